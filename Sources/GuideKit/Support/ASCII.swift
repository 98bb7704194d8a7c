import Foundation

/// A flag for each of the 256 byte values, for scans that test every byte with one load:
/// made once and never written again, so it is read safely from any thread.
func byteTable(_ holds: (UInt8) -> Bool) -> UnsafeBufferPointer<Bool> {
    let table = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 256)
    for byte in 0...255 { table[byte] = holds(UInt8(byte)) }
    return UnsafeBufferPointer(table)
}

/// A number for each of the 256 byte values (what kind of byte it is, for a scan that
/// tells a few kinds apart with one load); made once, never written again.
func byteKinds(_ kind: (UInt8) -> UInt8) -> UnsafeBufferPointer<UInt8> {
    let table = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
    for byte in 0...255 { table[byte] = kind(UInt8(byte)) }
    return UnsafeBufferPointer(table)
}

/// Where `byte` next stands, from `start` on, up to `end` (the whole text by default); nil
/// when nowhere. Found with memchr, which reads many bytes at a time: the bytes a scan looks
/// for (a line end, a mark, a bracket) are rare in text.
func indexOf(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, before end: Int? = nil) -> Int? {
    let end = end ?? bytes.count
    guard let base = bytes.baseAddress, start < end, let found = memchr(base + start, Int32(byte), end - start) else { return nil }
    return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
}

/// Where the two bytes `first`, `second` next stand side by side, from `start` on; nil when
/// nowhere.
func indexOfPair(_ first: UInt8, _ second: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
    var i = start
    while let found = indexOf(first, in: bytes, from: i, before: bytes.count - 1) {
        if bytes[found + 1] == second { return found }
        i = found + 1
    }
    return nil
}

/// Whether every byte is ASCII, eight bytes at a time (text is checked this way before it is
/// searched on its bytes, which is most of a chapter's text).
func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    firstNonASCII(in: bytes) == bytes.count
}

/// Where the first byte that is not ASCII stands, from `start` up to `end` (the whole text
/// by default); `end` when there is none. Eight bytes at a time, then one by one.
func firstNonASCII(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0, before end: Int? = nil) -> Int {
    let end = end ?? bytes.count
    guard let base = bytes.baseAddress else { return end }
    let raw = UnsafeRawPointer(base)
    var i = start
    while i + 8 <= end, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
    while i < end, bytes[i] < 0x80 { i += 1 }
    return i
}

extension String {
    /// `page#anchor`, the address of a heading, made in one buffer at its size: two
    /// appends cost some 600 instructions, and a guide makes one for every heading it has.
    init(page: String, anchor: String) {
        var (page, anchor) = (page, anchor)
        self = page.withUTF8 { pageBytes in
            anchor.withUTF8 { anchorBytes in
                String(unsafeUninitializedCapacity: pageBytes.count + 1 + anchorBytes.count) { buffer in
                    _ = buffer.initialize(from: pageBytes)
                    buffer[pageBytes.count] = UInt8(ascii: "#")
                    _ = UnsafeMutableBufferPointer(rebasing: buffer[(pageBytes.count + 1)...]).initialize(from: anchorBytes)
                    return buffer.count
                }
            }
        }
    }

    /// `parts` joined by `separator`, made in one buffer at its size. String's own
    /// `append` costs some hundreds of instructions even into reserved space, and the search
    /// index joins every text block of the guide into its section's text.
    init(joining parts: [String], separator: String) {
        guard parts.count > 1 else {
            self = parts.first ?? ""
            return
        }
        var separator = separator
        let size = parts.reduce(separator.utf8.count * (parts.count - 1)) { $0 + $1.utf8.count }
        self = separator.withUTF8 { separatorBytes in
            String(unsafeUninitializedCapacity: size) { buffer in
                var end = 0
                for (n, var part) in parts.enumerated() {
                    if n > 0 {
                        _ = UnsafeMutableBufferPointer(rebasing: buffer[end...]).initialize(from: separatorBytes)
                        end += separatorBytes.count
                    }
                    part.withUTF8 { bytes in
                        _ = UnsafeMutableBufferPointer(rebasing: buffer[end...]).initialize(from: bytes)
                        end += bytes.count
                    }
                }
                return end
            }
        }
    }

    /// Whether the last character is a line break, read from the last bytes: "\n" is one
    /// character unless a carriage return comes before it (then the two are one, as
    /// `hasSuffix("\n")` says, at a fraction of its cost).
    var endsWithLineBreak: Bool {
        utf8.withContiguousStorageIfAvailable { bytes in
            bytes.last == UInt8(ascii: "\n") && (bytes.count == 1 || bytes[bytes.count - 2] != UInt8(ascii: "\r"))
        } ?? hasSuffix("\n")
    }

    /// The parts between its slashes, empty ones left out, as `split(separator: "/")` gives
    /// them: cut on bytes when the text is ASCII (a path nearly always is), where each byte
    /// is a character; otherwise by characters, where a combining mark after a slash makes
    /// the two one character. Every link to a file is cut this way, some twice.
    var slashSeparatedParts: [Substring] {
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return split(separator: "/") }
        var parts: [Substring] = []
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            if utf8[index] == UInt8(ascii: "/") {
                if index != start { parts.append(self[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if index != start { parts.append(self[start..<index]) }
        return parts
    }
}
