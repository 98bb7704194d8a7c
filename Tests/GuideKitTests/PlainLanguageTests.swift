import Foundation
import Testing
@testable import GuideKit

/// Plain language you can see: long sentences and paragraphs, abbreviations before they
/// are spelled out, words neither everyday nor in the glossary, and passive voice, each at
/// its place; `guide report` lists them and writes the editor's page.
@Suite struct PlainLanguageTests {
    // Proves: each rule of the plain-language fixture is reported once, at its place, with
    // its suggestion; the plain chapter (abbreviations spelled out, short sentences, a
    // References list of long citations) reports nothing.
    @Test func eachRuleAtItsPlace() {
        let result = check(content: Fixtures.content("plain-language"))
        #expect(result.diagnostics.map { DiagnosticFormatter.line($0) } == [
            "Content/A1-long-sentence.md:9:18: warning: this sentence has 30 words; the limit is 20 (split it into shorter sentences, one idea each) [long-sentence]",
            "Content/A2-long-paragraph.md:9:1: warning: this paragraph has 4 sentences; the limit is 3 (break it into shorter paragraphs, or make a list) [long-paragraph]",
            "Content/A3-abbreviation.md:9:20: warning: 'CRS' is used before it is spelled out (spell out CRS at its first use, like 'cytokine release syndrome (CRS)') [abbreviation-first-use]",
            "Content/A3-abbreviation.md:11:18: warning: 'ECG' is used before it is spelled out (spell out ECG at its first use) [abbreviation-first-use]",
            "Content/A4-hard-word.md:9:31: warning: 'lymphodepletion' is not an everyday word, and the glossary does not explain it; also at 11:29 (define it in glossary.yml or use a plainer word) [hard-word]",
            "Content/A5-passive.md:9:1: warning: 2 of 6 sentences (33%) are in the passive voice, more than 10%; this is the first (say who does what: 'your nurse checks your blood', not 'your blood is checked') [passive-voice]",
        ])
    }

    // Proves: without `plain_language:` in guide.yml, check reports none of it (and its
    // parse does not look for it, though it measures the reading level), and `guide report`
    // still lists every hot spot, with the default thresholds.
    @Test func checkOnlyWhenAskedReportAlways() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("plain-language"), as: "Content")
        try folder.write(["Content/guide.yml": "title: Plain Language Fixture\nreading_level:\n  target_grade: 12\n"])
        let checked = check(content: content)
        #expect(checked.diagnostics.isEmpty)
        let checkedChapters = try #require(checked.guide).chapters.map(\.chapter.markdown)
        #expect(checkedChapters.allSatisfy { $0.prose.sentences.isEmpty && $0.prose.hardWords.isEmpty && $0.readingScores.words > 0 })
        let result = check(content: content, forReport: true)
        #expect(result.diagnostics.isEmpty)
        #expect(zip(result.guide!.chapters, checkedChapters).allSatisfy { $0.chapter.markdown.readingScores == $1.readingScores })
        let rows = ChapterReport.rows(for: try #require(result.guide))
        // Defaults: 25 words, 5 sentences, 10% passive; no everyday_words, so thermometer counts.
        #expect(rows.map { "\($0.id) " + $0.hotSpots.map { "\($0.line):\($0.column) \($0.rule)" }.joined(separator: ", ") } == [
            "A0 ", "A1 9:18 long-sentence", "A2 ", "A3 9:20 abbreviation-first-use, 11:18 abbreviation-first-use",
            "A4 9:31 hard-word, 11:8 hard-word", "A5 9:1 passive-voice",
        ])
        #expect(ChapterReport.hotSpots(rows).hasPrefix("""

            Plain-language hot spots (6):
            Content/A1-long-sentence.md:9:18: long-sentence: this sentence has 30 words; the limit is 25 (split it into shorter sentences, one idea each)

            """))
    }

    // Proves: in a guide in another language, the rules that read English (hard-word,
    // passive-voice) are not run, by check or by report; the rules that count sentences,
    // paragraphs and capitals are.
    @Test func englishRulesOnlyInAGuideInEnglish() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("plain-language"), as: "Content")
        let settings = try String(contentsOf: content.appendingPathComponent("guide.yml"), encoding: .utf8)
        try folder.write(["Content/guide.yml": settings.replacingOccurrences(of: "language: en", with: "language: es")])
        let checked = check(content: content)
        #expect(checked.diagnostics.map(\.rule) == [.longSentence, .longParagraph, .abbreviationFirstUse, .abbreviationFirstUse])
        // Not looked for at all: the parse judged no word and no sentence.
        #expect(try #require(checked.guide).chapters.allSatisfy { $0.chapter.markdown.prose.hardWords.isEmpty && !$0.chapter.markdown.prose.sentences.contains(where: \.passive) })
        let rows = ChapterReport.rows(for: try #require(check(content: content, forReport: true).guide))
        #expect(rows.flatMap(\.hotSpots).map(\.rule) == ["long-sentence", "long-paragraph", "abbreviation-first-use", "abbreviation-first-use"])
        let templates = try TemplateSet.load(from: Fixtures.templates, displayRoot: "Templates", log: DiagnosticLog())
            .withReportTemplates(log: DiagnosticLog())
        let html = EditorReport.html(try #require(checked.guide), templates: templates, today: testToday)
        #expect(html.contains("<p>Looked for: sentences over 20 words, paragraphs over 3 sentences; abbreviations used before they are spelled out. "
            + "Hard words and passive voice are looked for only in a guide in English.</p>"))
        #expect(PlainLanguageChecks.isEnglish("en") && PlainLanguageChecks.isEnglish("en-GB") && PlainLanguageChecks.isEnglish("EN"))
        #expect(!PlainLanguageChecks.isEnglish("es") && !PlainLanguageChecks.isEnglish("eng") && !PlainLanguageChecks.isEnglish("es-419"))
    }

    // Proves: without the facts that read English (a guide in another language), parsing
    // judges no word hard and no sentence passive, and finds the same sentences,
    // abbreviations and reading scores.
    @Test func englishFactsAreLeftOutForAnotherLanguage() {
        let text = "# T\n\nBefore treatment you may have lymphodepletion. Your cells are collected in one day. The ICU team sees you.\n"
        let matcher = GlossaryMatcher(terms: [])
        let english = MarkdownParser.parse(text, glossary: matcher)
        let other = MarkdownParser.parse(text, glossary: matcher, englishFacts: false)
        #expect(english.prose.hardWords.map(\.word) == ["lymphodepletion"])
        #expect(english.prose.sentences.map(\.passive) == [false, true, false])
        #expect(other.prose.hardWords.isEmpty && other.prose.sentences.map(\.passive) == [false, false, false])
        #expect(other.prose.sentences.map(\.words) == english.prose.sentences.map(\.words))
        #expect(other.prose.abbreviations == english.prose.abbreviations && other.prose.abbreviations.map(\.abbreviation) == ["ICU"])
        #expect(other.readingScores == english.readingScores)
    }

    // Proves: a word is judged with its endings and its glossary: plurals and -ing forms of
    // everyday words pass; a glossary term's words pass in any form; a rare word, or a less
    // common word of three syllables or more, is hard; contractions and names are not looked at.
    @Test func hardWordsAreJudgedByStemAndGlossary() {
        let matcher = GlossaryMatcher(terms: [GlossaryTerm(term: "Cytokine release syndrome", abbr: "CRS", aliases: [], definition: "d",
                                                           location: SourceLocation(file: "g"))])
        let explained = matcher.explainedWords.words
        #expect(!HardWords.isHard("treatments", explained: explained))
        #expect(!HardWords.isHard("cytokines", explained: explained))
        #expect(!HardWords.isHard("dizzy", explained: explained))
        #expect(HardWords.isHard("lymphodepletion", explained: explained))
        #expect(HardWords.isHard("apheresis", explained: explained))
        let facts = MarkdownParser.parse("You'd call the Samaritans about apheresis.\n", glossary: matcher).prose
        #expect(facts.hardWords.map(\.word) == ["apheresis"])
    }

    // Proves: an ASCII word's stems, read from its bytes, are those its characters give, for
    // every everyday and known word and each ending (with the -y and -e forms).
    @Test func asciiStemsAreTheStemsOfItsCharacters() {
        let words = (CommonWords.common + " " + CommonWords.known).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
            + ["studies", "studied", "making", "hoped", "nicer", "nicest", "happily", "happiness", "hopeless", "hopeful", "payments", "ies", "xes"]
        #expect(words.count > 20_000)
        let differing = words.filter { HardWords.stems($0) != HardWords.stemsOfAnyWord($0) }
        #expect(differing.isEmpty, "\(differing.prefix(5))")
        #expect(HardWords.stems("studies") == ["study", "studi", "studie"])
    }

    // Proves: a glossary's ASCII texts give, read by their bytes, the words, parts and stems
    // their characters give: for the shipped guide's glossaries and texts that mix case,
    // hyphens, apostrophes, digits and punctuation.
    @Test func asciiGlossaryWordsAreTheWordsOfItsCharacters() throws {
        var texts = ["Cytokine-Release Syndrome", "CAR-T", "T-cell's", "--x--", "'s", "B2-microglobulin (B2M)", "ICANS; CRS",
                     "Graves' disease", "non-Hodgkin lymphoma", "A", "", "IL-6/IL-1", "x-", "-y"]
        for file in ["Content/glossary.yml", "Content/translations/es/glossary.yml"] {
            let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(file)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            let glossary = Glossary.read(SourceFile(relativePath: file, displayPath: file, text: text)).0
            for term in glossary.terms { texts += [term.term] + (term.abbr.map { [$0] } ?? []) + term.aliases }
        }
        let ascii = texts.filter { $0.utf8.allSatisfy { $0 < 0x80 } }
        #expect(ascii.count > 300)
        for text in ascii {
            var byBytes: Set<String> = [], byCharacters: Set<String> = []
            GlossaryMatcher.insertASCIIWords(of: text, into: &byBytes)
            GlossaryMatcher.insertWords(of: text, into: &byCharacters)
            #expect(byBytes == byCharacters, "\(text)")
        }
    }

    // Proves: an abbreviation outside the glossary counts as spelled out when an explanation
    // in brackets follows it, or the words beside it start with its letters (small joining
    // words aside); one in capitals that is an everyday word, or a phone number, is none.
    @Test func abbreviationsSpelledOutNearby() {
        let facts = MarkdownParser.parse("""
            You will have an ECG (a heart tracing). Get the measles, mumps and rubella (MMR) vaccine.
            Stay in the ICU, the intensive care unit, for a day. CALL 1-800-4-CANCER now. Ask about the TLA.

            """).prose
        #expect(facts.abbreviations.map(\.abbreviation) == ["TLA"])
        #expect(facts.abbreviations.first?.position == SourcePosition(line: 2, column: 93))
    }

    // Proves: passive voice is a form of "be" (perhaps with an adverb) and a past participle,
    // regular or not; "be" with an adjective in -ed ("tired") is not.
    @Test func passiveVoice() {
        #expect(PlainLanguage.isPassive(["your", "cells", "are", "collected"]))
        #expect(PlainLanguage.isPassive(["it", "is", "usually", "given", "once"]))
        #expect(PlainLanguage.isPassive(["they", "were", "frozen"]))
        #expect(!PlainLanguage.isPassive(["you", "may", "be", "tired"]))
        #expect(!PlainLanguage.isPassive(["your", "team", "collects", "your", "cells"]))
    }

    // Proves: the editor's page holds every chapter with its grades, reviews and hot spots,
    // each hot spot's sentence shown with its words marked; it loads nothing from elsewhere.
    @Test func editorReportPage() throws {
        let result = check(content: Fixtures.content("plain-language"))
        let templates = try TemplateSet.load(from: Fixtures.templates, displayRoot: "Templates", log: DiagnosticLog())
            .withReportTemplates(log: DiagnosticLog())
        let html = EditorReport.html(try #require(result.guide), templates: templates, today: testToday)
        #expect(html.contains("<th scope=\"row\" data-value=\"4\"><a href=\"#chapter-a4\">A4</a> Hard words</th>"))
        #expect(html.contains("<blockquote>Before treatment you may have <mark>lymphodepletion</mark>.</blockquote>"))
        #expect(html.contains("<blockquote>Your cells are collected in one day.</blockquote>"))
        #expect(html.contains("<span class=\"rule\">abbreviation-first-use</span> at Content/A3-abbreviation.md:9:20: &#39;CRS&#39; is used before it is spelled out."))
        #expect(html.contains("Plain-language hot spots (6)"))
        #expect(html.contains("<p>Looked for: sentences over 20 words, paragraphs over 3 sentences, passive voice in over 10% of a chapter&#39;s sentences; "
            + "abbreviations used before they are spelled out; words that are neither everyday English nor in the glossary.</p>"))
        #expect(!html.contains("src=") && !html.contains("http://") && !html.contains("https://"))
    }
}
