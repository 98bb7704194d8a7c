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
    // Most text has nothing to escape: one pass over the bytes spares rebuilding it (0xE2
    // starts U+2028 and U+2029).
    if !text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2 }) {
        return "\"" + text + "\""
    }
    var result = "\""
    result.reserveCapacity(text.utf8.count + 2)
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": result += "\\\""
        case "\\": result += "\\\\"
        case "\n": result += "\\n"
        case "\r": result += "\\r"
        case "\t": result += "\\t"
        case "<": result += "\\u003c"
        case ">": result += "\\u003e"
        case "&": result += "\\u0026"
        case "\u{8}" where style == .likeJSONEncoder: result += "\\b"
        case "\u{C}" where style == .likeJSONEncoder: result += "\\f"
        case "\u{2028}" where style == .script: result += "\\u2028"
        case "\u{2029}" where style == .script: result += "\\u2029"
        default:
            if scalar.value < 0x20 {
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
    }
    return result + "\""
}

/// The search index's string literals (`JSONStringStyle.script`).
func jsString(_ text: String) -> String { jsonString(text, .script) }
