/// What a link destination, as written, refers to.
public enum LinkTarget: Equatable, Sendable {
    /// `A0` or `A0#heading`.
    case chapter(id: String, anchor: String?)
    /// `#heading` in the same chapter.
    case sameChapter(anchor: String)
    /// `A0-what-is-car-t.md` or `…md#heading`, relative to the linking chapter.
    case chapterFile(path: String, anchor: String?)
    /// Any other relative path: an image, a download.
    case file(path: String, fragment: String?)
    /// http, https, mailto or tel.
    case external(url: String)
    case empty
    case unsafeScheme(scheme: String)

    static let allowedSchemes: Set<String> = ["http", "https", "mailto", "tel"]

    /// Classifies a destination without looking at any file.
    public init(_ destination: String) {
        var bytes = destination
        if let plain = bytes.withUTF8(LinkTarget.plain) {
            self = plain
            return
        }
        self.init(reading: destination)
    }

    /// What `init(reading:)` makes of a destination of ASCII bytes with no space or tab
    /// around it and no `:` or `%` in it (nearly every link inside a guide: `B3`,
    /// `#heading`, `A0-start.md#part`), read from those bytes; nil for any other, left to
    /// `init(reading:)`. Reading each link as a string (trimmed by Unicode scalars, looked
    /// through for a scheme, cut into substrings) was a third of resolving a guide's links.
    static func plain(_ bytes: UnsafeBufferPointer<UInt8>) -> LinkTarget? {
        let count = bytes.count
        guard count > 0, isASCII(bytes),
              bytes[0] != 0x20, bytes[0] != 0x09, bytes[count - 1] != 0x20, bytes[count - 1] != 0x09,
              indexOf(UInt8(ascii: ":"), in: bytes) == nil, indexOf(UInt8(ascii: "%"), in: bytes) == nil,
              !(count >= 2 && bytes[0] == UInt8(ascii: "/") && bytes[1] == UInt8(ascii: "/")) else { return nil }
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        if bytes[0] == UInt8(ascii: "#") { return .sameChapter(anchor: text(1..<count)) }
        let hash = indexOf(UInt8(ascii: "#"), in: bytes) ?? count
        let fragment = hash < count ? text(hash + 1..<count) : nil
        // A chapter id: capitals, then digits (`ChapterID`).
        var letters = 0
        while letters < hash, bytes[letters] >= 0x41, bytes[letters] <= 0x5A { letters += 1 }
        var digits = letters
        while digits < hash, bytes[digits] >= 0x30, bytes[digits] <= 0x39 { digits += 1 }
        if letters > 0, letters < hash, digits == hash { return .chapter(id: text(0..<hash), anchor: fragment) }
        // `.md` in any case (`endsWithMarkdownExtension`).
        if hash >= 3, bytes[hash - 3] == UInt8(ascii: "."), bytes[hash - 2] | 0x20 == UInt8(ascii: "m"),
           bytes[hash - 1] | 0x20 == UInt8(ascii: "d") {
            return .chapterFile(path: text(0..<hash), anchor: fragment)
        }
        return .file(path: text(0..<(indexOf(UInt8(ascii: "?"), in: bytes, before: hash) ?? hash)), fragment: fragment)
    }

    /// Classifies any destination, as a string.
    init(reading destination: String) {
        let trimmed = destination.trimmingSpaces()
        if trimmed.isEmpty { self = .empty; return }
        if let scheme = LinkTarget.scheme(of: trimmed) {
            self = LinkTarget.allowedSchemes.contains(scheme.lowercased())
                ? .external(url: trimmed) : .unsafeScheme(scheme: scheme)
            return
        }
        if trimmed.hasPrefix("//") { self = .external(url: "https:" + trimmed); return }
        if trimmed.hasPrefix("#") { self = .sameChapter(anchor: String(trimmed.dropFirst())); return }
        // Cut on bytes: `#` and `?` are ASCII, and a guide has some ten links a chapter.
        let hash = trimmed.utf8.firstIndex(of: UInt8(ascii: "#"))
        let path = String(trimmed[..<(hash ?? trimmed.endIndex)])
        let fragment = hash.map { String(trimmed[trimmed.utf8.index(after: $0)...]) }
        if ChapterID(path) != nil {
            self = .chapter(id: path, anchor: fragment)
        } else if LinkTarget.endsWithMarkdownExtension(path) {
            self = .chapterFile(path: LinkTarget.decoded(path), anchor: fragment)
        } else {
            let query = path.utf8.firstIndex(of: UInt8(ascii: "?"))
            self = .file(path: LinkTarget.decoded(String(path[..<(query ?? path.endIndex)])), fragment: fragment)
        }
    }

    /// The path with its percent escapes decoded (as written when one is malformed); a path
    /// without `%` is left as it is, without asking Foundation.
    /// Whether a path ends with `.md` in any case, as `lowercased().hasSuffix(".md")` says,
    /// read from its last bytes (not case-mapping every link): only ASCII letters lower to
    /// `m` and `d`. After a character outside ASCII, which could join the dot into one
    /// character, it is asked as before.
    static func endsWithMarkdownExtension(_ path: String) -> Bool {
        let last = Array(path.utf8.suffix(4))
        guard last.count >= 3 else { return false }
        if last.count == 4, last[0] >= 0x80 { return path.lowercased().hasSuffix(".md") }
        let end = last.suffix(3)
        return end[end.startIndex] == UInt8(ascii: ".") && end[end.startIndex + 1] | 0x20 == UInt8(ascii: "m")
            && end[end.startIndex + 2] | 0x20 == UInt8(ascii: "d")
    }

    static func decoded(_ path: String) -> String {
        guard path.utf8.contains(UInt8(ascii: "%")) else { return path }
        return path.removingPercentEncoding ?? path
    }

    /// `javascript` in `javascript:alert(1)`; nil for relative paths (a colon after a slash
    /// or a `#` is part of a path).
    static func scheme(of s: String) -> String? {
        guard let colon = s.utf8.firstIndex(of: UInt8(ascii: ":")) else { return nil }
        let candidate = s.utf8[..<colon]
        func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
        guard let first = candidate.first, isLetter(first),
              candidate.allSatisfy({ isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }) else { return nil }
        return String(s[..<colon])
    }
}

import Foundation
