import Foundation

/// The plain-language checks: long sentences and paragraphs, abbreviations used before
/// they are spelled out, hard words the glossary does not explain, and passive voice.
/// Their findings come from the parse stage (`ProseFacts`); the thresholds from guide.yml.
public enum PlainLanguageChecks {
    /// One finding, as `guide check` reports it and `guide report` lists it.
    public struct Finding: Sendable, Equatable {
        public var rule: Rule
        public var position: SourcePosition
        public var message: String
        public var suggestion: String
        /// The sentence it is in (long sentences, passive voice), for the report page.
        public var sentence: String?
        /// The words to mark in that sentence.
        public var marked: [String] = []
    }

    /// The rules that read English: `hard-word` judges words by how common they are in
    /// English, and `passive-voice` finds English forms of "be" and past participles. In a
    /// guide in another language (`language:` in guide.yml) nearly every word would be
    /// "hard", so they are not run; the others count sentences, paragraphs and capitals.
    public static let englishOnlyRules: Set<Rule> = [.hardWord, .passiveVoice]

    /// Whether a guide in `language` (a BCP 47 tag: en, en-GB, es) is in English.
    public static func isEnglish(_ language: String) -> Bool {
        language.split(separator: "-", maxSplits: 1).first.map { $0.lowercased() == "en" } ?? false
    }

    /// Every finding of one chapter of a guide in `language`, in the order of the text.
    /// `withSentences`: give long and passive sentences' text (the report shows it; check does not).
    public static func findings(_ chapter: Chapter, settings: PlainLanguageSettings, language: String,
                                withSentences: Bool = true) -> [Finding] {
        let prose = chapter.markdown.prose
        let blocks = chapter.markdown.blocks
        func text(_ sentence: ProseFacts.Sentence) -> String? {
            withSentences ? blocks[sentence.block].text.utf8Slice(sentence.start, sentence.end) : nil
        }
        var found: [Finding] = []
        for sentence in prose.sentences where sentence.words > settings.sentenceWords {
            found.append(Finding(rule: .longSentence, position: sentence.position,
                                 message: "this sentence has \(sentence.words) words; the limit is \(settings.sentenceWords)",
                                 suggestion: "split it into shorter sentences, one idea each", sentence: text(sentence)))
        }
        for paragraph in prose.paragraphs where paragraph.sentenceCount > settings.paragraphSentences {
            found.append(Finding(rule: .longParagraph, position: paragraph.position,
                                 message: "this paragraph has \(paragraph.sentenceCount) sentences; the limit is \(settings.paragraphSentences)",
                                 suggestion: "break it into shorter paragraphs, or make a list"))
        }
        for abbreviation in prose.abbreviations {
            let example = abbreviation.spelledOut.map { "\($0.lowercased()) (\(abbreviation.abbreviation))" }
            found.append(Finding(rule: .abbreviationFirstUse, position: abbreviation.position,
                                 message: "'\(abbreviation.abbreviation)' is used before it is spelled out",
                                 suggestion: "spell out \(abbreviation.abbreviation) at its first use" + (example.map { ", like '\($0)'" } ?? ""),
                                 marked: [abbreviation.abbreviation]))
        }
        for word in prose.hardWords where !settings.everydayWords.contains(word.word)
            && !HardWords.stems(word.word).contains(where: settings.everydayWords.contains) {
            let others = word.positions.dropFirst().map { "\($0.line):\($0.column)" }
            let also = others.isEmpty ? "" : "; also at \(others.prefix(5).joined(separator: ", "))\(others.count > 5 ? " and \(others.count - 5) more" : "")"
            found.append(Finding(rule: .hardWord, position: word.positions[0],
                                 message: "'\(word.word)' is not an everyday word, and the glossary does not explain it\(also)",
                                 suggestion: "define it in glossary.yml or use a plainer word", marked: [word.word]))
        }
        let passive = prose.sentences.filter(\.passive)
        if let first = passive.first, !prose.sentences.isEmpty {
            let percent = Double(passive.count) * 100 / Double(prose.sentences.count)
            if percent > settings.passivePercent {
                found.append(Finding(rule: .passiveVoice, position: first.position,
                                     message: "\(passive.count) of \(prose.sentences.count) sentences (\(Int(percent.rounded()))%) are in the passive voice, more than \(formatPercent(settings.passivePercent))%; this is the first",
                                     suggestion: "say who does what: 'your nurse checks your blood', not 'your blood is checked'",
                                     sentence: text(first)))
            }
        }
        // A guide in another language is parsed without these facts; left out here too, for
        // chapters parsed with them (a test's, a report's).
        if !isEnglish(language) { found.removeAll { englishOnlyRules.contains($0.rule) } }
        return found.sorted { ($0.position.line, $0.position.column, $0.rule.rawValue) < ($1.position.line, $1.position.column, $1.rule.rawValue) }
    }

    /// Each finding of each published chapter as a warning, when guide.yml turns the checks on.
    static func run(_ guide: Guide, log: DiagnosticLog) {
        guard let settings = guide.config.plainLanguage, PlainLanguage.enabled else { return }
        _ = parallelMap(guide.chapters.filter { !$0.chapter.parseFailed }) { chapter in
            log.report(findings(chapter.chapter, settings: settings, language: guide.config.language, withSentences: false).map {
                .warning($0.rule, at: chapter.chapter.file.location($0.position), $0.message, suggestion: $0.suggestion)
            })
        }
    }

    static func formatPercent(_ p: Double) -> String { p == p.rounded() ? String(Int(p)) : String(p) }
}
