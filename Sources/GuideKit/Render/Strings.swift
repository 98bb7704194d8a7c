import Foundation

/// The words the site shows around a guide's own (labels, buttons, messages), from the
/// templates' strings file for the guide's language, `strings/<language>.yml`, with the
/// guide's own choices (`strings:` in guide.yml) on top.
public struct Strings: Sendable {
    /// Each string by its key (`callout-urgent`, `next`).
    public var values: [String: String]
    /// The strings file, as messages name it.
    public var displayPath: String

    /// The strings file for `language` among the templates' files: `en-GB.yml`, else `en.yml`.
    static func file(for language: String, among files: [String: (text: String, displayPath: String)]) -> String? {
        let primary = language.split(separator: "-").first.map(String.init) ?? language
        return [language, primary].map { "strings/\($0).yml" }.first { files[$0] != nil }
    }

    /// Reads the strings for `config.language`. A missing file, a missing callout label and
    /// an override of a string that does not exist are reported to `log`.
    static func load(from files: [String: (text: String, displayPath: String)], displayRoot: String, config: GuideConfig,
                     log: DiagnosticLog) -> Strings {
        guard let relative = file(for: config.language, among: files), let source = files[relative] else {
            log.report(.error(.template, at: SourceLocation(file: "\(displayRoot)/strings/\(config.language).yml"),
                              "there is no strings file for the guide's language '\(config.language)', so the site would have no labels",
                              suggestion: "copy \(displayRoot)/strings/en.yml to strings/\(config.language).yml and translate the words after each ':'"))
            return Strings(values: [:], displayPath: "\(displayRoot)/strings/\(config.language).yml")
        }
        let displayPath = source.displayPath
        var strings = Strings(values: [:], displayPath: displayPath)
        let file = SourceFile(relativePath: relative, displayPath: displayPath, text: source.text)
        var fields = YAMLFields(file: file, rule: .template)
        do {
            if let root = try YAMLDocument.compose(file.text), let pairs = fields.pairs(of: root, what: "a strings file") {
                for (key, keyNode, value) in pairs {
                    if let text = fields.text(value, key: keyNode, name: key) { strings.values[key] = text }
                }
            }
        } catch {
            fields.diagnostics.append(.error(.template, at: file.location(line: error.line, column: error.column), error.message,
                                             suggestion: error.suggestion))
        }
        log.report(fields.diagnostics)
        let fileKeys = Array(strings.values.keys)
        for (key, override) in config.strings.sorted(by: { $0.key < $1.key }) {
            guard strings.values[key] != nil else {
                log.report(.warning(.unknownKey, at: override.location,
                                    "'\(key)' is not one of the site's strings (see \(displayPath)), so this changes nothing",
                                    suggestion: closestMatch(to: key, in: fileKeys).map { "did you mean '\($0)'?" }))
                continue
            }
            strings.values[key] = override.text
        }
        for kind in CalloutKind.allCases where strings.values[calloutKey(kind)] == nil {
            log.report(.error(.template, at: SourceLocation(file: displayPath),
                              "the strings file has no '\(calloutKey(kind))', the label of [!\(kind.marker)] boxes",
                              suggestion: "add a line like '\(calloutKey(kind)): \(kind.rawValue.capitalized)'"))
        }
        return strings
    }

    static func calloutKey(_ kind: CalloutKind) -> String { "callout-" + kind.rawValue }

    /// A string with its `{slot}`s filled in: `format("title-search", ["guide": title])`.
    /// A slot with no value is left as written, so a mistake shows rather than vanishes.
    func format(_ key: String, _ slots: [String: String] = [:]) -> String {
        let text = values[key] ?? key
        guard !slots.isEmpty, text.utf8.contains(UInt8(ascii: "{")) else { return text }
        // Most strings are ASCII: their braces are found by their bytes (read as Characters,
        // the pages' dates and titles were 2% of a 1,000-chapter build). In other text a brace
        // may begin a Character with a combining mark after it, which is not a brace.
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return Self.fillASCII(text, slots) }
        // One pass, left to right: a value put in is never read for slots itself.
        var result = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            if let close = rest[afterOpen...].firstIndex(of: "}"), let value = slots[String(rest[afterOpen..<close])] {
                result += value
                rest = rest[rest.index(after: close)...]
            } else {
                result += "{"
                rest = rest[afterOpen...]
            }
        }
        return result + rest
    }

    /// `format`'s filling of an ASCII text, by its bytes, with the same result.
    private static func fillASCII(_ text: String, _ slots: [String: String]) -> String {
        var text = text
        return text.withUTF8 { bytes in
            var result = ""
            result.reserveCapacity(bytes.count + 16)
            var start = 0, index = 0
            while index < bytes.count {
                guard bytes[index] == UInt8(ascii: "{") else { index += 1; continue }
                var close = index + 1
                while close < bytes.count, bytes[close] != UInt8(ascii: "}") { close += 1 }
                if close < bytes.count, let value = slots[String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<close]), as: UTF8.self)] {
                    result += String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                    result += value
                    index = close + 1
                    start = index
                } else {
                    index += 1
                }
            }
            return result + String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]), as: UTF8.self)
        }
    }

    /// A date in words, as the strings file writes dates ("1 November 2026").
    func date(_ day: Day) -> String {
        format("date", ["day": String(day.day), "month": format("month-\(day.month)"), "year": String(day.year)])
    }

    /// `date(_:)` of each day, made once per render: a guide's chapters share a few review
    /// dates, and each date is two strings filled in (at 1,000 chapters, 3,000 dates were 1%
    /// of a build).
    final class Dates: @unchecked Sendable {
        private let strings: Strings
        private let lock = NSLock()
        private var made: [Day: String] = [:]

        init(_ strings: Strings) { self.strings = strings }

        func callAsFunction(_ day: Day) -> String {
            if let known = lock.withLock({ made[day] }) { return known }
            let words = strings.date(day)
            lock.withLock { made[day] = words }
            return words
        }
    }

    /// The label of a callout box; the emergency box names the guide's emergency number
    /// when `guide.yml` gives one.
    func calloutLabel(_ kind: CalloutKind, emergencyNumber: String? = nil) -> String {
        if kind == .emergency, let number = emergencyNumber, values["callout-emergency-number"] != nil {
            return format("callout-emergency-number", ["number": number])
        }
        return values[Self.calloutKey(kind)] ?? kind.marker
    }
}
