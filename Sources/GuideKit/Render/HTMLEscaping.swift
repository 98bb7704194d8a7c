/// Escapes text for an HTML attribute value or element content, as Mustache does.
func escapeAttribute(_ text: String) -> String {
    // Most text has nothing to escape: one pass over the bytes spares building a copy.
    guard text.utf8.contains(where: needsEscape) else { return text }
    var result: [UInt8] = []
    result.reserveCapacity(text.utf8.count + 16)
    for byte in text.utf8 {
        switch byte {
        case 0x26: result += "&amp;".utf8
        case 0x3C: result += "&lt;".utf8
        case 0x3E: result += "&gt;".utf8
        case 0x22: result += "&quot;".utf8
        case 0x27: result += "&#39;".utf8
        default: result.append(byte)
        }
    }
    return String(decoding: result, as: UTF8.self)
}

/// Whether Mustache escapes this byte: `&`, `<`, `>`, `"` or `'`.
func needsEscape(_ byte: UInt8) -> Bool {
    byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27
}
