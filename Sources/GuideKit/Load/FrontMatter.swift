import Foundation

/// A chapter's front matter, as the contract defines it.
public struct FrontMatter: Sendable {
    public var id: ChapterID?
    public var rawID: String?
    public var idLocation: SourceLocation?
    public var title: String?
    public var summary: String?
    public var reviewed: Day?
    public var reviewer: String?
    /// Related chapter ids, each with where it is written.
    public var related: [(id: String, location: SourceLocation)] = []
    public var draft = false
    /// Ids this chapter had before (`formerly: [A3]`): their pages send readers here.
    public var formerly: [(id: ChapterID, location: SourceLocation)] = []
    /// Old heading slugs of this chapter and the slug each became (`anchors: {old: new}`).
    public var anchors: [MovedAnchor] = []
    /// In a translation: the source chapter and the version of it translated (`source: A2@…`).
    public var source: TranslationSource?
    /// The line after the closing `---`; 1 when there is no front matter.
    public var bodyStartLine = 1
    /// Where the opening `---` is (line 1).
    public var openingLocation: SourceLocation
    /// Where each key is written.
    public var keyLocations: [String: SourceLocation] = [:]

    public static let knownKeys = ["id", "title", "summary", "reviewed", "reviewer", "related", "draft", "formerly", "anchors", "source"]

    /// Splits and reads the front matter of a chapter, reporting every problem it finds.
    public static func read(_ file: SourceFile) -> (FrontMatter, [Diagnostic]) {
        var matter = FrontMatter(openingLocation: file.location(line: 1, column: 1))
        var diagnostics: [Diagnostic] = []
        let close: Int, yaml: String
        switch split(file.text) {
        case .missing:
            diagnostics.append(.error(.frontMatter, at: file.location(line: 1, column: 1),
                                      "the chapter has no front matter; it must start with a line '---', then 'id:' and 'title:' lines, then '---'"))
            return (matter, diagnostics)
        case .unclosed:
            diagnostics.append(.error(.frontMatter, at: file.location(line: 1, column: 1),
                                      "the front matter is not closed: add a line '---' after its last key"))
            return (matter, diagnostics)
        case let .closed(line, text):
            (close, yaml) = (line, text)
        }
        matter.bodyStartLine = close + 2
        var fields = YAMLFields(file: file, lineOffset: 1)
        let root: YAMLValue?
        do {
            root = try YAMLDocument.compose(yaml)
        } catch {
            diagnostics.append(.error(.frontMatter, at: file.location(line: error.line + 1, column: error.column), error.message,
                                      suggestion: error.suggestion))
            // The id still counts, when a plain `id:` line shows it, so links to this
            // chapter are not reported as well.
            for (index, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.hasPrefix("id:") {
                let value = line.dropFirst(3).trimmingCharacters(in: .whitespaces)
                if let id = ChapterID(value) {
                    matter.id = id
                    matter.rawID = value
                    matter.idLocation = file.location(line: index + 2, column: 1)
                }
            }
            return (matter, diagnostics)
        }
        guard let root, let pairs = fields.pairs(of: root, what: "the front matter") else {
            if root == nil {
                diagnostics.append(.error(.missingField, at: matter.openingLocation, "the front matter is empty; it needs at least 'id:' and 'title:'"))
            }
            return (matter, diagnostics + fields.diagnostics)
        }
        matter.keyLocations.reserveCapacity(pairs.count)
        for (key, keyNode, value) in pairs {
            matter.keyLocations[key] = fields.location(keyNode)
            switch key {
            case "id":
                guard let text = fields.text(value, key: keyNode, name: key) else { break }
                matter.rawID = text
                matter.idLocation = fields.location(keyNode)
                if let id = ChapterID(text) {
                    matter.id = id
                } else {
                    let fixed = ChapterID(text.uppercased().filter { !$0.isWhitespace && $0 != "-" })
                    fields.error(keyNode, "'\(text)' is not a chapter id; an id is capital letters then digits, like A0 or B12",
                                 rule: .invalidID, suggestion: fixed.map { "did you mean '\($0)'?" })
                }
            case "title": matter.title = fields.text(value, key: keyNode, name: key)
            case "summary": matter.summary = fields.text(value, key: keyNode, name: key)
            case "reviewer": matter.reviewer = fields.text(value, key: keyNode, name: key)
            case "reviewed": matter.reviewed = fields.day(value, key: keyNode, name: key)
            case "draft": matter.draft = fields.bool(value, key: keyNode, name: key) ?? false
            case "related":
                // Problems with an entry are reported at the key, like every front-matter problem.
                matter.related = (fields.textList(value, key: keyNode, name: key) ?? []).map { ($0.0, fields.location(keyNode)) }
            case "formerly":
                for (text, node) in fields.textList(value, key: keyNode, name: key) ?? [] {
                    if let id = ChapterID(text) {
                        matter.formerly.append((id, fields.location(node)))
                    } else {
                        let fixed = ChapterID(text.uppercased().filter { !$0.isWhitespace && $0 != "-" })
                        fields.error(node, "'\(text)' in 'formerly' is not a chapter id; an id is capital letters then digits, like A3",
                                     rule: .invalidID, suggestion: fixed.map { "did you mean '\($0)'?" })
                    }
                }
            case "source":
                guard let text = fields.text(value, key: keyNode, name: key) else { break }
                let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
                if parts.count == 2, let id = ChapterID(parts[0]), !parts[1].isEmpty,
                   parts[1].allSatisfy({ ($0.isASCII && $0.isHexDigit && !$0.isUppercase) || $0 == "." || $0 == "!" }) {
                    matter.source = TranslationSource(id: id, version: parts[1], location: fields.location(keyNode))
                } else {
                    fields.error(keyNode, "'source' must be the source chapter's id and the version translated, like A2@7f3a.91c2!e2a9b1, but is '\(text)'",
                                 suggestion: "guide translate-status prints the line to paste")
                }
            case "anchors":
                guard let entries = fields.pairs(of: value, what: "'anchors'", example: "anchors: {armored-cars: armoured-cars}") else { break }
                for (old, oldNode, new) in entries {
                    guard let newSlug = fields.text(new, key: oldNode, name: old) else { continue }
                    matter.anchors.append(MovedAnchor(old: old, new: newSlug, location: fields.location(oldNode)))
                }
            default:
                let guess = closestMatch(to: key, in: knownKeys)
                fields.warning(keyNode, "unknown front-matter key '\(key)'", rule: .unknownKey,
                               suggestion: guess.map { "did you mean '\($0)'?" })
            }
        }
        diagnostics += fields.diagnostics
        for required in ["id", "title"] where matter.keyLocations[required] == nil {
            diagnostics.append(.error(.missingField, at: matter.openingLocation, "the front matter has no '\(required)'"))
        }
        return (matter, diagnostics)
    }
}

/// A translation's `source:` line: the source chapter and the version of it translated.
/// A struct, not a tuple: a front matter is copied as it is read, and an optional tuple of
/// a string was copied through the runtime's generic tuple code (a twentieth of reading one).
public struct TranslationSource: Sendable {
    public var id: ChapterID
    public var version: String
    public var location: SourceLocation
}

extension FrontMatter {
    /// Where a chapter's front matter is: none (its first line is not `---`), not closed, or
    /// closed by the `---` or `...` line of that number (0-based), with the lines between.
    enum Split: Equatable {
        case missing
        case unclosed
        /// The lines between, joined by "\n" (each line ends at "\n", "\r" or "\r\n").
        case closed(line: Int, yaml: String)
    }

    /// Finds the front matter on the text's bytes, line by line up to its closing line: the
    /// body is not looked at, and no line is made into a string of its own. A line is a
    /// marker when it is `---` (or `...`) followed only by spaces and tabs.
    static func split(_ text: String) -> Split {
        var text = text
        return text.withUTF8 { bytes -> Split in
            func isMarker(_ line: Range<Int>) -> Bool {
                var end = line.upperBound
                while end > line.lowerBound, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
                guard end - line.lowerBound == 3 else { return false }
                let (a, b, c) = (bytes[line.lowerBound], bytes[line.lowerBound + 1], bytes[line.lowerBound + 2])
                return a == b && b == c && (a == UInt8(ascii: "-") || a == UInt8(ascii: "."))
            }
            var yaml: [UInt8] = []
            var number = 0, start = 0
            while true {
                // The line's end: its `\n`, or a `\r` before it (memchr, many bytes at a time).
                let newline = indexOf(0x0A, in: bytes, from: start) ?? bytes.count
                let i = indexOf(0x0D, in: bytes, from: start, before: newline) ?? newline
                let line = start..<i
                if number == 0 {
                    // Only `---` opens front matter (`...` closes it).
                    guard isMarker(line), bytes[start] == UInt8(ascii: "-") else { return .missing }
                } else if isMarker(line) {
                    return .closed(line: number, yaml: String(decoding: yaml, as: UTF8.self))
                } else {
                    if number > 1 { yaml.append(0x0A) }
                    yaml.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[line]))
                }
                if i >= bytes.count { return .unclosed }
                start = bytes[i] == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A ? i + 2 : i + 1
                number += 1
            }
        }
    }
}

/// A heading slug that was published and the slug it became (`anchors:` in front matter).
public struct MovedAnchor: Sendable, Equatable {
    public var old: String
    public var new: String
    /// Where the old slug is written.
    public var location: SourceLocation
}
