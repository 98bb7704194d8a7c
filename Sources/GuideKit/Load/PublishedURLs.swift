import Foundation

/// `Content/published-urls.txt`: every address the guide has published, one a line, so
/// that `guide check` notices an address that would stop working. `guide build` writes it;
/// authors commit it with the guide.
public struct PublishedURLList: Sendable {
    /// Its name in the content folder.
    public static let fileName = "published-urls.txt"

    /// One address and the line it is on.
    public struct Entry: Sendable, Equatable {
        public var address: String
        public var line: Int
    }

    public var file: SourceFile
    /// In file order; blank lines are left out.
    public var entries: [Entry] = []

    /// Reads the list; a line that cannot be an address of the site is an error at that line.
    public static func read(_ file: SourceFile) -> (PublishedURLList, [Diagnostic]) {
        var list = PublishedURLList(file: file)
        var diagnostics: [Diagnostic] = []
        var seen: Set<String> = []
        // A guide of 1,000 chapters lists some 11,000 addresses: lines are taken from the
        // bytes, and only a line that is not a plain ASCII address is looked at as text.
        var text = file.text
        text.withUTF8 { bytes in
            // Sized for a line each, at once, not grown (and hashed again) by doubling.
            var lines = 1, from = 0
            while let end = indexOf(0x0A, in: bytes, from: from) { lines += 1; from = end + 1 }
            list.entries.reserveCapacity(lines)
            var ascending = true, previous = 0..<0
            var lineNumber = 1, start = 0, i = 0
            func take(_ end: Int) {
                var from = start, to = end
                while from < to, bytes[from] == 0x20 || bytes[from] == 0x09 { from += 1 }
                while to > from, bytes[to - 1] == 0x20 || bytes[to - 1] == 0x09 { to -= 1 }
                defer { lineNumber += 1 }
                guard from < to else { return }
                var line = String(decoding: UnsafeBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
                let plain = isPlainAddress(UnsafeBufferPointer(rebasing: bytes[from..<to]))
                if !plain {
                    line = line.trimmingSpaces()
                    if line.isEmpty { return }
                    if let diagnostic = refusal(line, at: file.location(line: lineNumber, column: 1)) {
                        diagnostics.append(diagnostic)
                        return
                    }
                }
                // A list guide wrote is sorted by bytes: while each line is a plain (ASCII)
                // address after the one before, none can repeat another, and no set of them
                // is made. The first line out of that order makes it from the lines so far.
                if ascending {
                    if plain, previous.isEmpty || compareBytes(bytes, previous, from..<to) < 0 {
                        list.entries.append(Entry(address: line, line: lineNumber))
                        previous = from..<to
                        return
                    }
                    ascending = false
                    seen = Set(list.entries.map(\.address))
                }
                if seen.insert(line).inserted { list.entries.append(Entry(address: line, line: lineNumber)) }
            }
            while i < bytes.count {
                if bytes[i] == 0x0A || bytes[i] == 0x0D {
                    take(i)
                    if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                    start = i + 1
                }
                i += 1
            }
            if start < bytes.count { take(bytes.count) }
        }
        return (list, diagnostics)
    }

    /// How the bytes at `a` compare with those at `b` (both in `bytes`): below, equal to or
    /// above 0, as memcmp orders them, a shorter text before a longer one it begins.
    private static func compareBytes(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Int {
        let common = min(a.count, b.count)
        if common > 0, let base = bytes.baseAddress {
            let order = memcmp(base + a.lowerBound, base + b.lowerBound, common)
            if order != 0 { return Int(order) }
        }
        return a.count - b.count
    }

    /// Why a line of the list cannot be an address, as a diagnostic, or nil when it can.
    static func refusal(_ line: String, at location: SourceLocation) -> Diagnostic? {
        if ["<<<<<<<", "=======", ">>>>>>>", "|||||||"].contains(where: { line.hasPrefix($0) }) {
            return .error(.publishedURLs, at: location, "this line is left over from a merge conflict",
                          suggestion: "delete the conflict lines and keep the addresses of both sides; guide build sorts them again")
        }
        if let problem = problem(line) {
            return .error(.publishedURLs, at: location, "'\(line)' is not an address of this site: \(problem)",
                          suggestion: fixed(line).map { "did you mean '\($0)'?" })
        }
        return nil
    }

    /// Per byte, for `isPlainAddress`: 0 for one that needs no more thought, 1 for one no
    /// plain address has (outside ASCII, a space or control), 2 for `:`, `#` and `/`.
    nonisolated(unsafe) private static let addressByteKinds = byteKinds { b in
        if b >= 0x80 || b <= 0x20 || b == 0x7F { return 1 }
        return b == UInt8(ascii: ":") || b == UInt8(ascii: "#") || b == UInt8(ascii: "/") ? 2 : 0
    }

    /// An ASCII address that `problem` and the merge-conflict test certainly pass: no
    /// spaces, no scheme, no leading `/`, a page path ending in `.html` without empty, `.`
    /// or `..` parts. False sends the line to the full test.
    static func isPlainAddress(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first, !"/<=>|".utf8.contains(first) else { return false }
        var pathEnd = bytes.count
        var segmentStart = 0
        let kinds = addressByteKinds
        for i in 0..<bytes.count {
            // Most bytes are letters, digits or `-`: one load tells them from the rest.
            let b = bytes[i]
            let kind = kinds[Int(b)]
            if kind == 0 { continue }
            if kind == 1 { return false }
            if b == UInt8(ascii: ":"), i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "/"), bytes[i + 2] == UInt8(ascii: "/") { return false }
            guard i < pathEnd else { continue }
            if b == UInt8(ascii: "#") || b == UInt8(ascii: "/") {
                let length = i - segmentStart
                if length == 0 || (length == 1 && bytes[segmentStart] == UInt8(ascii: "."))
                    || (length == 2 && bytes[segmentStart] == UInt8(ascii: ".") && bytes[segmentStart + 1] == UInt8(ascii: ".")) { return false }
                segmentStart = i + 1
                if b == UInt8(ascii: "#") { pathEnd = i }
            }
        }
        if pathEnd == bytes.count {
            let length = pathEnd - segmentStart
            if length == 0 || (length == 1 && bytes[segmentStart] == UInt8(ascii: "."))
                || (length == 2 && bytes[segmentStart] == UInt8(ascii: ".") && bytes[segmentStart + 1] == UInt8(ascii: ".")) { return false }
        }
        // `.html`, byte by byte: no array made for each of 110,000 lines.
        guard pathEnd >= 5 else { return false }
        return bytes[pathEnd - 5] == UInt8(ascii: ".") && bytes[pathEnd - 4] == UInt8(ascii: "h") && bytes[pathEnd - 3] == UInt8(ascii: "t")
            && bytes[pathEnd - 2] == UInt8(ascii: "m") && bytes[pathEnd - 1] == UInt8(ascii: "l")
    }

    /// What is wrong with an address written in the list, or nil when it can be one.
    static func problem(_ address: String) -> String? {
        if address.contains(where: \.isWhitespace) { return "an address has no spaces" }
        if address.contains("://") || address.hasPrefix("//") { return "write it as the site names it, without https:// and the server" }
        if address.hasPrefix("/") { return "write it without the leading '/'" }
        let path = address.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        if path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
            return "a page's address has no '..', '.' or empty parts"
        }
        if !path.hasSuffix(".html") { return "a page's address ends in .html" }
        return nil
    }

    /// The address an author probably meant, for a line `problem` refuses.
    private static func fixed(_ address: String) -> String? {
        var text = address.trimmingSpaces()
        // The site's pages are all in its top folder.
        if text.contains("://") { text = text.split(separator: "/").last.map(String.init) ?? "" }
        while text.hasPrefix("/") { text.removeFirst() }
        return text.isEmpty || text == address || problem(text) != nil ? nil : text
    }

    /// Writes the list for `addresses` into the content folder when it differs from
    /// `previous` (swapped in whole, by rename), and says what changed, or nil.
    /// `text` is `text(addresses)` when the caller made it already (beside the render).
    /// `previous` is the list's file as the build read it: its addresses are read from it
    /// again only when the list changed (a build does not hold them while it renders).
    static func write(_ addresses: [String], text: String? = nil, over previous: SourceFile?, contentDirectory: URL,
                      display: String) throws -> String? {
        let text = text ?? Self.text(addresses)
        if let previous, previous.text == text { return nil }
        let target = contentDirectory.appendingPathComponent(fileName)
        let temporary = contentDirectory.appendingPathComponent(".\(fileName).\(UUID().uuidString).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
            guard rename(temporary.path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        let count = addresses.count == 1 ? "1 address" : "\(addresses.count) addresses"
        guard let previous else { return "Wrote \(display) (\(count)); commit it with the guide." }
        let before = Set(read(previous).0.entries.map(\.address)), after = Set(addresses)
        let added = after.subtracting(before).count, removed = before.subtracting(after).count
        var changes: [String] = []
        if added > 0 { changes.append("\(added) added") }
        if removed > 0 { changes.append("\(removed) taken out") }
        if changes.isEmpty { changes.append("sorted") }
        return "Updated \(display) (\(changes.joined(separator: ", "))); commit it with the guide."
    }

    /// The file's text for `addresses`: sorted by their UTF-8 bytes, one a line.
    public static func text(_ addresses: some Sequence<String>) -> String {
        let all = Array(addresses)
        // Sorted by their bytes; a repeated ASCII address (nearly all are: they are
        // percent-encoded) follows itself. Others are made unique as String compares them
        // first (an accent written apart from its letter is the same address).
        let ascii = all.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
        let sorted = sortedByBytes(ascii ? all : Array(Set(all)))
        var text = UTF8Text(capacity: sorted.reduce(0) { $0 + $1.utf8.count + 1 })
        for (index, address) in sorted.enumerated() where index == 0 || sorted[index - 1] != address {
            text.append(text: address)
            text.append(byte: UInt8(ascii: "\n"))
        }
        return text.string
    }

    /// Texts sorted by their UTF-8 bytes (for ASCII texts, as String sorts them): each is
    /// compared by its first 24 bytes as three numbers, and byte by byte only when those are
    /// the same. An address's page and most of its heading are in those bytes; comparing
    /// 11,000 addresses as strings was most of the list's time, and as `UTF8View`s (for a
    /// guide with accented headings) slower still.
    static func sortedByBytes(_ texts: [String]) -> [String] {
        struct Key {
            var first: UInt64, second: UInt64, third: UInt64
            var index: Int
        }
        var keys = texts.indices.map { index -> Key in
            var text = texts[index]
            return text.withUTF8 { bytes in
                // Big-endian, and 0 past the end: the numbers are in the bytes' order.
                func word(_ start: Int) -> UInt64 {
                    var value: UInt64 = 0
                    for k in start..<(start + 8) { value = value << 8 | UInt64(k < bytes.count ? bytes[k] : 0) }
                    return value
                }
                return Key(first: word(0), second: word(8), third: word(16), index: index)
            }
        }
        keys.sort { a, b in
            if a.first != b.first { return a.first < b.first }
            if a.second != b.second { return a.second < b.second }
            if a.third != b.third { return a.third < b.third }
            return precedesByBytes(texts[a.index], texts[b.index])
        }
        return keys.map { texts[$0.index] }
    }

    /// Whether `a`'s UTF-8 bytes come before `b`'s.
    static func precedesByBytes(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let common = min(x.count, y.count)
                let order = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                return order != 0 ? order < 0 : x.count < y.count
            }
        }
    }
}
