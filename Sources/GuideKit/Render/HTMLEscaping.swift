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

/// `bytes` escaped as `escapeAttribute` escapes them, added to `out`.
func appendEscapingHTML(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    escapeHTML(bytes) { out.append(contentsOf: $0) }
}

/// `bytes` escaped as Mustache escapes them, handed to `add` in pieces: each run of bytes
/// that need no escape whole, and each escape.
@inline(__always)
func escapeHTML(_ bytes: UnsafeBufferPointer<UInt8>, _ add: (UnsafeBufferPointer<UInt8>) -> Void) {
    // The table read once: a global is checked for its first use at each read.
    let table = escapedBytes
    var run = 0
    for i in 0..<bytes.count where table[Int(bytes[i])] {
        add(UnsafeBufferPointer(rebasing: bytes[run..<i]))
        let entity: StaticString
        switch bytes[i] {
        case 0x26: entity = "&amp;"
        case 0x3C: entity = "&lt;"
        case 0x3E: entity = "&gt;"
        case 0x22: entity = "&quot;"
        default: entity = "&#39;"
        }
        add(UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
        run = i + 1
    }
    add(UnsafeBufferPointer(rebasing: bytes[run...]))
}

/// Whether Mustache escapes this byte: `&`, `<`, `>`, `"` or `'`.
func needsEscape(_ byte: UInt8) -> Bool {
    byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27
}

/// `needsEscape` as a table: one load a byte.
nonisolated(unsafe) let escapedBytes = byteTable(needsEscape)
