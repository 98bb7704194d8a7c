import CSystem
/// How `jsonString` writes what must be escaped besides quotes, backslashes and `<`, `>`, `&`.
enum JSONStringStyle {
    /// For the search index's scripts: U+2028 and U+2029 as `\u` escapes (older JavaScript
    /// ends a line at them), control characters other than `\n`, `\r`, `\t` as `\u00xx`.
    case script
    /// Byte for byte what `JSONEncoder` writes (`\b` and `\f` too, the line separators as
    /// they are), for the JSON-LD a test holds to it.
    case likeJSONEncoder
}

/// A JSON string literal that is safe anywhere in a `<script>` element: quotes, backslashes
/// and control characters escaped, and `<`, `>` and `&` as `\u` escapes, so no text can
/// close the element.
func jsonString(_ text: String, _ style: JSONStringStyle) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(text.utf8.count + 2)
    appendJSONString(text, style, to: &out)
    return String(decoding: out, as: UTF8.self)
}

/// `jsonString(text, style)`'s bytes, added to `out` (a document made of many).
func appendJSONString(_ text: String, _ style: JSONStringStyle, to out: inout [UInt8]) {
    out.append(0x22)
    appendJSONStringContent(text, style, to: &out)
    out.append(0x22)
}

/// `jsonString(text, style)`'s bytes between its quotes, added to `out`: texts added one
/// after another are the literal of the texts joined (a character is never split between
/// two of them, and nothing is escaped across one's end).
func appendJSONStringContent(_ text: String, _ style: JSONStringStyle, to out: inout [UInt8]) {
    var text = text
    text.withUTF8 { bytes in
        // Runs of bytes that need no escape are copied whole; most text is one run. (No
        // capacity reserved here: reserving at each of a document's strings would reallocate
        // the buffer each time instead of letting it double.)
        var run = 0
        func escape(_ i: Int, _ replacement: String) {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
            out.append(contentsOf: replacement.utf8)
        }
        // The few bytes that need a look (a quote, a backslash, `<`, `>`, `&`, a control
        // character, or the first byte of U+2028 or U+2029) are found sixteen at a time.
        var i = 0
        while i < bytes.count {
            i += guide_json_plain_prefix(bytes.baseAddress! + i, bytes.count - i)
            guard i < bytes.count else { break }
            let byte = bytes[i]
            switch byte {
            case 0x22: escape(i, "\\\""); run = i + 1
            case 0x5C: escape(i, "\\\\"); run = i + 1
            case 0x3C: escape(i, "\\u003c"); run = i + 1
            case 0x3E: escape(i, "\\u003e"); run = i + 1
            case 0x26: escape(i, "\\u0026"); run = i + 1
            case 0x0A: escape(i, "\\n"); run = i + 1
            case 0x0D: escape(i, "\\r"); run = i + 1
            case 0x09: escape(i, "\\t"); run = i + 1
            case 0x08 where style == .likeJSONEncoder: escape(i, "\\b"); run = i + 1
            case 0x0C where style == .likeJSONEncoder: escape(i, "\\f"); run = i + 1
            case ..<0x20:
                let hex = String(byte, radix: 16)
                escape(i, "\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                run = i + 1
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9 in UTF-8.
            case 0xE2 where style == .script && i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                escape(i, bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                i += 2
                run = i + 1
            default:
                break
            }
            i += 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
    }
}

/// The search index's string literals (`JSONStringStyle.script`).
func jsString(_ text: String) -> String { jsonString(text, .script) }
