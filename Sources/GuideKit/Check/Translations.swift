import Foundation

/// The version of a source chapter that a translation records (`source: A2@…`), made from
/// its content, not its date: a short hash of each section (the text before the first `##`
/// heading, with the title and summary, then each `##` section), and of its urgency boxes.
/// Written `7f3a.91c2.0b4e!e2a9b1`.
public struct SourceVersion: Sendable, Equatable {
    /// Each section's hash, in order.
    public var sections: [String]
    /// The hash of every urgency box's kind and text, in order ("" when it has none).
    public var urgency: String

    /// The version of `chapter` as it is now, and the title of each of its sections.
    static func of(_ chapter: Chapter) -> (version: SourceVersion, titles: [String]) {
        let markdown = chapter.markdown
        var texts = [[chapter.frontMatter.title ?? "", chapter.frontMatter.summary ?? ""].joined(separator: "\n")]
        var titles = ["the opening, before the first section"]
        var sectionOf: [Int: Int] = [:]
        for (index, heading) in markdown.headings.enumerated() {
            if heading.level == 2 {
                texts.append("")
                titles.append(heading.text)
            }
            sectionOf[index] = texts.count - 1
        }
        for block in markdown.blocks {
            texts[block.section.flatMap { sectionOf[$0] } ?? 0] += "\n" + block.text
        }
        var boxes = ""
        for node in BodyNode.flatten(markdown.body) {
            if case let .callout(kind, body) = node, kind.isUrgency { boxes += kind.rawValue + ":" + BodyNode.text(body) + "\n" }
        }
        let sections = texts.map { hex(normalizedHash($0), digits: 4) }
        return (SourceVersion(sections: sections, urgency: boxes.isEmpty ? "" : hex(normalizedHash(boxes), digits: 6)), titles)
    }

    /// As written after the `@`.
    public var text: String { sections.joined(separator: ".") + (urgency.isEmpty ? "" : "!" + urgency) }

    /// Reads what `text` wrote; nil when it is not such a version.
    init?(_ text: String) {
        let parts = text.split(separator: "!", maxSplits: 1, omittingEmptySubsequences: false)
        sections = parts[0].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        urgency = parts.count > 1 ? String(parts[1]) : ""
        guard sections.allSatisfy({ $0.count == 4 }), urgency.isEmpty || urgency.count == 6 else { return nil }
    }

    init(sections: [String], urgency: String) {
        self.sections = sections
        self.urgency = urgency
    }

    /// Runs of white space as one space: rewrapping a paragraph changes no version.
    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func hash(_ text: String) -> UInt64 { HardWords.hash(text) }

    /// `hash(normalized(text))`, without making the normalized text: every chapter's version
    /// is made at each check of a translated guide, and splitting text into `Character`s is
    /// slow. White space is Unicode's White_Space, as `Character.isWhitespace` reads it; a
    /// test holds the two equal on the shipped guide.
    static func normalizedHash(_ text: String) -> UInt64 {
        var h = HardWords.fnvBasis
        var pendingSpace = false, started = false
        // Over the bytes: a character outside ASCII is decoded only to ask whether it is
        // white space, and its bytes are hashed as they stand, as its `utf8` would give them.
        var text = text
        text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let lead = bytes[i]
                let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                let isSpace: Bool
                if length == 1 {
                    isSpace = lead == 0x20 || (0x09...0x0D).contains(lead)
                } else {
                    var value = UInt32(lead & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07))
                    for k in 1..<length { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
                    isSpace = Unicode.Scalar(value)?.properties.isWhitespace ?? false
                }
                if isSpace {
                    pendingSpace = started
                    i += length
                    continue
                }
                if pendingSpace {
                    h = (h ^ 0x20) &* HardWords.fnvPrime
                    pendingSpace = false
                }
                started = true
                for k in i..<(i + length) { h = (h ^ UInt64(bytes[k])) &* HardWords.fnvPrime }
                i += length
            }
        }
        return h
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let full = String(value, radix: 16)
        let padded = String(repeating: "0", count: max(0, 16 - full.count)) + full
        return String(padded.suffix(digits))
    }

    /// The sections of `now` that `self` (an older version) does not have: changed or added,
    /// by their index in `now`; a section only taken out leaves nothing to name.
    func changedSections(in now: SourceVersion) -> [Int] {
        // The longest common run of equal hashes, in order, keeps the sections that stayed.
        let old = sections, new = now.sections
        var table = [[Int]](repeating: [Int](repeating: 0, count: new.count + 1), count: old.count + 1)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var kept: Set<Int> = []
        var i = 0, j = 0
        while i < old.count, j < new.count {
            if old[i] == new[j] {
                kept.insert(j)
                i += 1
                j += 1
            } else if table[i + 1][j] >= table[i][j + 1] {
                i += 1
            } else {
                j += 1
            }
        }
        return new.indices.filter { !kept.contains($0) }
    }
}

extension BodyNode {
    /// The text of body nodes, as HTML where cmark-gfm made it: enough to tell a change.
    static func text(_ nodes: [BodyNode]) -> String {
        nodes.map { node -> String in
            switch node {
            case let .html(html): return html.description
            case let .heading(_, content), let .link(_, content), let .task(_, content): return text(content)
            case let .callout(kind, body): return kind.rawValue + text(body)
            case let .faq(_, question, answer): return text(question) + text(answer)
            case let .image(_, alt): return alt
            case let .glossaryMark(mark): return mark.text
            }
        }.joined()
    }
}

/// How one translated chapter stands against its source chapter.
public struct TranslationStatus: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable {
        case upToDate = "up to date"
        case stale
        /// Stale, and the source's urgency boxes changed: an error until the translation is updated.
        case urgencyChanged = "urgency boxes changed"
        /// The source chapter has no translation in this language.
        case missing
        /// The translation does not say which version it translates, or names a wrong one.
        case noSource = "no source version"
    }
    public var language: String
    public var id: String
    /// The translation's file, when there is one.
    public var file: String?
    public var state: State
    /// The source's sections that changed since the translated version, by their titles.
    public var changedSections: [String] = []
    /// The `source:` line for the source chapter as it is now.
    public var sourceLine: String
    /// The translation is marked `draft: true`: the site shows the source page.
    public var draft = false
}

/// Checks each translated chapter against its source chapter, and says how every chapter
/// stands in every language (`guide translate-status`).
public enum TranslationCheck {
    /// One status per language and published chapter (`series`, in order), and the problems
    /// to report; `chapters` are all chapters read (drafts and those set aside too).
    static func statuses(_ translations: [TranslatedChapter], chapters: [Chapter], series: [ChapterID], config: GuideConfig)
        -> (statuses: [TranslationStatus], diagnostics: [Diagnostic]) {
        let sourceName = Locale(identifier: "en").localizedString(forLanguageCode: config.language) ?? config.language
        var byID: [ChapterID: Chapter] = [:]
        for chapter in chapters { if let id = chapter.frontMatter.id, byID[id] == nil { byID[id] = chapter } }
        // Every chapter's version, on every core: a missing translation's status has its line too.
        let chapterList = Array(byID)
        let versions = Dictionary(uniqueKeysWithValues: zip(chapterList.map(\.key), parallelMap(chapterList) { SourceVersion.of($0.value) }))
        var statuses: [TranslationStatus] = []
        var diagnostics: [Diagnostic] = []
        var translated: Set<String> = []
        for translation in translations {
            let matter = translation.frontMatter
            guard let id = matter.id else { continue }  // Its front matter error is reported.
            guard let source = byID[id], let version = versions[id] else {
                diagnostics.append(.error(.translationSource, at: matter.idLocation ?? matter.openingLocation,
                                          "there is no \(sourceName) chapter \(id) for this translation",
                                          suggestion: closestMatch(to: id.description, in: byID.keys.map(\.description)).map { "did you mean '\($0)'?" }))
                continue
            }
            let (now, titles) = version
            translated.insert(translation.language + " " + id.description)
            let line = "source: \(id)@\(now.text)"
            var status = TranslationStatus(language: translation.language, id: id.description, file: translation.file.displayPath,
                                           state: .upToDate, sourceLine: line, draft: matter.draft)
            defer { statuses.append(status) }
            guard let recorded = matter.source else {
                status.state = .noSource
                // A 'source' line that could not be read is already an error at its line.
                if matter.keyLocations["source"] != nil { continue }
                diagnostics.append(.error(.translationSource, at: matter.openingLocation,
                                          "this translation does not say which version of the \(sourceName) \(id) it translates",
                                          suggestion: "if it matches \(source.file.displayPath) as it is now, add '\(line)' to its front matter"))
                continue
            }
            guard recorded.id == id else {
                status.state = .noSource
                diagnostics.append(.error(.translationSource, at: recorded.location,
                                          "'source' names \(recorded.id), but this translation's id is \(id)",
                                          suggestion: "a translation has the id of the chapter it translates"))
                continue
            }
            guard let then = SourceVersion(recorded.version) else {
                status.state = .noSource
                diagnostics.append(.error(.translationSource, at: recorded.location, "'\(recorded.version)' is not a version that guide wrote",
                                          suggestion: "guide translate-status prints the line to paste"))
                continue
            }
            guard then != now else { continue }
            let changed = then.changedSections(in: now).map { titles[$0] }
            status.changedSections = changed
            let named = changed.isEmpty ? "a section was taken out" : "sections changed: " + changed.map { "\"\($0)\"" }.joined(separator: ", ")
            if then.urgency != now.urgency {
                status.state = .urgencyChanged
                diagnostics.append(.error(.translationStale, at: recorded.location,
                                          "the \(sourceName) \(id) changed its urgency boxes since this translation (\(named)); safety text must not lag",
                                          suggestion: "update the translation's boxes, then its line to '\(line)'"))
            } else {
                status.state = .stale
                diagnostics.append(.warning(.translationStale, at: recorded.location,
                                            "the \(sourceName) \(id) changed since this translation (\(named))",
                                            suggestion: "update the translation, then its line to '\(line)'"))
            }
        }
        // Chapters not yet translated, for the status table (not a problem to report).
        for language in config.languages {
            for id in series where !translated.contains(language.id + " " + id.description) {
                guard let now = versions[id] else { continue }
                statuses.append(TranslationStatus(language: language.id, id: id.description, file: nil, state: .missing,
                                                  sourceLine: "source: \(id)@\(now.version.text)"))
            }
        }
        let order = Dictionary(series.enumerated().map { ($1.description, $0) }, uniquingKeysWith: { a, _ in a })
        let languageOrder = Dictionary(config.languages.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        statuses.sort { (languageOrder[$0.language] ?? 0, order[$0.id] ?? Int.max, $0.id) < (languageOrder[$1.language] ?? 0, order[$1.id] ?? Int.max, $1.id) }
        return (statuses, diagnostics)
    }

    /// Reports each translation's problems (a missing or wrong `source:`, a stale version)
    /// and returns every status.
    static func run(_ translations: [TranslatedChapter], chapters: [Chapter], series: [ChapterID], config: GuideConfig,
                    log: DiagnosticLog) -> [TranslationStatus] {
        guard !config.languages.isEmpty else { return [] }
        let (statuses, diagnostics) = statuses(translations, chapters: chapters, series: series, config: config)
        log.report(diagnostics)
        return statuses
    }

    /// A table per language: each chapter, how its translation stands, and its `source:` line.
    public static func table(_ statuses: [TranslationStatus], config: GuideConfig) -> String {
        var text = ""
        for language in config.languages {
            let rows = statuses.filter { $0.language == language.id }
            let done = rows.filter { $0.state != .missing }.count
            let current = rows.filter { $0.state == .upToDate }.count
            text += "\(language.id) (\(language.name)): \(done) of \(rows.count) chapters translated, \(current) up to date\n"
            for row in rows {
                var state = row.state.rawValue + (row.draft ? " (draft)" : "")
                if !row.changedSections.isEmpty { state += ": " + row.changedSections.map { "\"\($0)\"" }.joined(separator: ", ") }
                text += "  \(row.id)  \(state)\(row.state == .upToDate ? "" : "  (\(row.sourceLine))")\n"
            }
        }
        return text.isEmpty ? "guide.yml lists no languages to translate into (languages:).\n" : text
    }

    /// The statuses as one JSON list.
    public static func json(_ statuses: [TranslationStatus]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(statuses)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
    }
}
