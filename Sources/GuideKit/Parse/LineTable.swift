/// A chapter's source as bytes, with where each line starts, computed once: positions
/// become line and column without copying a line or counting from its start again, so a
/// chapter with 20,000 links on one line costs no more than one with a link per line.
final class LineTable {
    let bytes: [UInt8]
    /// Byte offset of each line's first byte; line ends are `\n`, `\r\n` or a lone `\r`.
    /// Constants, not variables, so that reading them costs no exclusivity check.
    let starts: [Int]
    /// Byte offset just past each line's last byte (before its line end).
    let ends: [Int]
    /// Per line, the offset of its first byte that is not ASCII (or its end), once asked.
    private var firstNonASCII: [Int: Int] = [:]
    /// Per line, the offset of its last `](`, or -1, once asked.
    private var lastLinkMiddle: [Int: Int] = [:]
    /// The last column computed, to count on from it in the same line.
    private var cursor = (line: 0, byte: 0, column: 1)
    /// Where each kind of search left off, so a run of finds in document order is linear.
    var searchFrom: [String: (line: Int, byte: Int)] = [:]

    /// The bytes of `text`, with every line before `bodyStartLine` left empty (front matter).
    convenience init(_ text: String, bodyStartLine: Int = 1) {
        self.init(bytes: Array(text.utf8), bodyStartLine: bodyStartLine)
    }

    /// The same, from bytes (taken, not copied, when there is no front matter to blank).
    init(bytes text: [UInt8], bodyStartLine: Int = 1) {
        if bodyStartLine <= 1 {
            bytes = text
        } else {
            // Each line before the body becomes an empty one; the body is copied whole.
            var copy = [UInt8]()
            copy.reserveCapacity(text.count)
            var line = 1, i = 0
            while i < text.count, line < bodyStartLine {
                let byte = text[i]
                if byte == 0x0A || byte == 0x0D {
                    copy.append(0x0A)
                    line += 1
                    // The `\n` of a `\r\n` belongs to the line end its `\r` counted.
                    if byte == 0x0D, i + 1 < text.count, text[i + 1] == 0x0A { i += 1 }
                }
                i += 1
            }
            copy.append(contentsOf: text[i...])
            bytes = copy
        }
        var starts = [0], ends: [Int] = []
        bytes.withUnsafeBufferPointer { text in
            // Most chapters have no carriage return: their lines are found by `indexOf`, many
            // bytes at a time, not byte by byte.
            guard indexOf(0x0D, in: text) == nil else {
                var i = 0
                while i < text.count {
                    let byte = text[i]
                    if byte == 0x0A || byte == 0x0D {
                        ends.append(i)
                        if byte == 0x0D, i + 1 < text.count, text[i + 1] == 0x0A { i += 1 }
                        starts.append(i + 1)
                    }
                    i += 1
                }
                return
            }
            var i = 0
            while let found = indexOf(0x0A, in: text, from: i) {
                ends.append(found)
                i = found + 1
                starts.append(i)
            }
        }
        ends.append(bytes.count)
        self.starts = starts
        self.ends = ends
    }

    var lineCount: Int { starts.count }

    /// The bytes of a 1-based line, without its line end (no copy).
    func line(_ l: Int) -> ArraySlice<UInt8> {
        guard l >= 1, l <= lineCount else { return [] }
        return bytes[starts[l - 1]..<ends[l - 1]]
    }

    /// The byte at a 1-based byte column of a line, if the line is that long.
    func byte(line l: Int, column: Int) -> UInt8? {
        guard l >= 1, l <= lineCount, column >= 1, starts[l - 1] + column - 1 < ends[l - 1] else { return nil }
        return bytes[starts[l - 1] + column - 1]
    }

    /// The 1-based character column of a 1-based byte column (a byte inside a multi-byte
    /// character belongs to that character).
    func characterColumn(line l: Int, byteColumn: Int) -> Int {
        guard l >= 1, l <= lineCount else { return max(byteColumn, 1) }
        let start = starts[l - 1], end = ends[l - 1]
        var target = min(max(start + byteColumn - 1, start), end)
        while target > start, target < end, bytes[target] & 0xC0 == 0x80 { target -= 1 }
        let ascii = firstNonASCII[l] ?? {
            let k = bytes.withUnsafeBufferPointer { GuideKit.firstNonASCII(in: $0, from: start, before: end) }
            firstNonASCII[l] = k
            return k
        }()
        if target <= ascii { return target - start + 1 }
        var from = start, column = 1
        if cursor.line == l, cursor.byte <= target { (from, column) = (cursor.byte, cursor.column) }
        column += String(decoding: bytes[from..<target], as: UTF8.self).count
        cursor = (l, target, column)
        return column
    }

    /// The offset (from the line's start) of the last `](` in a line, or -1: a search for a
    /// link's `](target` after it can stop at once (autolink lines have none).
    func lastLinkMiddle(inLine l: Int) -> Int {
        if let known = lastLinkMiddle[l] { return known }
        let text = line(l)
        var i = text.endIndex - 2
        while i >= text.startIndex, !(bytes[i] == UInt8(ascii: "]") && bytes[i + 1] == UInt8(ascii: "(")) { i -= 1 }
        let found = i >= text.startIndex ? i - text.startIndex : -1
        lastLinkMiddle[l] = found
        return found
    }

    func position(line l: Int, byteColumn: Int) -> SourcePosition {
        SourcePosition(line: l, column: characterColumn(line: l, byteColumn: byteColumn))
    }

    /// The byte offset (from the line's start) of the first `needle` in line `l` at or after
    /// `from`; ASCII letters match in any case when `ignoringCase`.
    func find(_ needle: [UInt8], inLine l: Int, from: Int = 0, ignoringCase: Bool = false) -> Int? {
        find(needle[...], inLine: l, from: from, ignoringCase: ignoringCase)
    }

    func find(_ needle: ArraySlice<UInt8>, inLine l: Int, from: Int = 0, ignoringCase: Bool = false) -> Int? {
        let text = line(l)
        let count = needle.count, n0 = needle.startIndex
        guard count > 0, text.count >= count else { return nil }
        let base = text.startIndex
        func lower(_ b: UInt8) -> UInt8 { ignoringCase && b >= 65 && b <= 90 ? b + 32 : b }
        let first = lower(needle[n0])
        var i = base + max(from, 0)
        while i + count <= text.endIndex {
            if lower(bytes[i]) == first {
                var k = 1
                while k < count, lower(bytes[i + k]) == lower(needle[n0 + k]) { k += 1 }
                if k == count { return i - base }
            }
            i += 1
        }
        return nil
    }
}
