/// Escapes text for an HTML attribute value or element content, as Mustache does.
func escapeAttribute(_ text: String) -> String {
    var contiguous = text
    // Most text has nothing to escape: one pass over the bytes spares building a copy.
    let escaped: [UInt8]? = contiguous.withUTF8 { bytes in
        let table = escapedBytes
        guard bytes.contains(where: { table[Int($0)] }) else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count + 16)
        appendEscapingHTML(bytes, to: &result)
        return result
    }
    return escaped.map { String(decoding: $0, as: UTF8.self) } ?? text
}

/// `bytes` escaped as `escapeAttribute` escapes them, added to `out`: the runs between
/// bytes that need an escape are copied whole.
func appendEscapingHTML(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    // The table read once: a global is checked for its first use at each read.
    let table = escapedBytes
    var run = 0
    for i in 0..<bytes.count where table[Int(bytes[i])] {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
        switch bytes[i] {
        case 0x26: out.append(contentsOf: "&amp;".utf8)
        case 0x3C: out.append(contentsOf: "&lt;".utf8)
        case 0x3E: out.append(contentsOf: "&gt;".utf8)
        case 0x22: out.append(contentsOf: "&quot;".utf8)
        default: out.append(contentsOf: "&#39;".utf8)
        }
        run = i + 1
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run...]))
}

/// Whether Mustache escapes this byte: `&`, `<`, `>`, `"` or `'`.
func needsEscape(_ byte: UInt8) -> Bool {
    byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27
}

/// `needsEscape` as a table: one load a byte.
nonisolated(unsafe) let escapedBytes = byteTable(needsEscape)
