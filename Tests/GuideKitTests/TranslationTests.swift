import Foundation
import Testing
@testable import GuideKit

/// Translations that never go stale silently: each records the version of its source chapter
/// it translates, made from the source's content; check names the sections that changed
/// since, and refuses a translation whose source changed its urgency boxes.
@Suite struct TranslationTests {
    private func lines(_ result: BuildResult) -> [String] { result.diagnostics.map { DiagnosticFormatter.line($0) } }

    /// A copy of the translated fixture with `edit` applied to its files.
    private func translatedGuide(_ folder: TemporaryFolder, edit: [String: (String) -> String] = [:]) throws -> URL {
        try folder.copy(Fixtures.content("translated"), as: "Content", editing: edit)
    }

    // Proves: translations are not chapters of the guide (no repeated ids); a stale one is a
    // warning at its source: line naming the section that changed and the line to paste; a
    // folder for a language guide.yml does not list is a warning.
    @Test func staleTranslationNamesTheSection() {
        let result = check(content: Fixtures.content("translated"))
        #expect(lines(result) == [
            "Content/translations/es/A2.md:5:1: warning: the English A2 changed since this translation (sections changed: \"Key points\") (update the translation, then its line to 'source: A2@a11f.cea4.93d3!cce1d2') [translation-stale]",
            "Content/translations/fr/A0.md: warning: translations/fr/ is not a language of this guide, so its chapters are not checked (add it to guide.yml under 'languages', like - {id: fr, name: …}) [translation-source]",
        ])
        #expect(result.chapterCount == 3)
    }

    // Proves: a translation's chapters are parsed without plain-language facts (the checks
    // and the editor's report are of the guide's own language), in worker processes as in
    // this one, while their reading scores are measured; the guide's own chapters get both.
    @Test func translationsAreParsedWithoutPlainLanguageFacts() throws {
        for inWorkers in [false, true] {
            var options = BuildOptions(content: Fixtures.content("translated").path, templates: Fixtures.templates.path,
                                       output: "/nonexistent-output", today: testToday)
            options.plainLanguageFactsAlways = true
            if inWorkers { options.parsing = ParsingOptions(mode: .workers(executable: CommandLineTests.binary)) }
            let result = Pipeline.check(options)
            let guide = try #require(result.guide)
            #expect(guide.chapters.allSatisfy { !$0.chapter.markdown.prose.sentences.isEmpty }, "workers: \(inWorkers)")
            let translated = result.editions.flatMap(\.translated)
            #expect(!translated.isEmpty)
            for chapter in translated.map(\.chapter) {
                #expect(chapter.markdown.prose == ProseFacts(), "\(chapter.file.displayPath), workers: \(inWorkers)")
                #expect(chapter.markdown.readingScores.words > 0 && chapter.markdown.readingScores.sentences > 0, "\(chapter.file.displayPath)")
            }
        }
    }

    // Proves: a change to an urgency box of the source makes its stale translation an error;
    // updating the translation's source: line to the new version clears it.
    @Test func changedUrgencyBoxIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try translatedGuide(folder, edit: ["A2-when-to-call.md": { $0.replacingOccurrences(of: "38 °C", with: "37.5 °C") }])
        let result = check(content: content)
        let stale = try #require(result.diagnostics.first { $0.rule == .translationStale })
        #expect(stale.severity == .error)
        #expect(stale.message == "the English A2 changed its urgency boxes since this translation (sections changed: \"When to call your care team\", \"Key points\"); safety text must not lag")
        let line = try #require(result.translations.first { $0.language == "es" && $0.id == "A2" }?.sourceLine)
        let translation = content.appendingPathComponent("translations/es/A2.md")
        let text = try String(contentsOf: translation, encoding: .utf8)
        try Data(text.replacingOccurrences(of: #"source: \S+"#, with: line, options: .regularExpression).utf8).write(to: translation)
        #expect(!check(content: content).diagnostics.contains { $0.rule == .translationStale })
    }

    // Proves: the status of every published chapter in every listed language, in series
    // order: up to date, stale with its sections, missing; each with its source: line.
    @Test func statusTable() throws {
        let result = check(content: Fixtures.content("translated"))
        #expect(result.translations.map { "\($0.language) \($0.id) \($0.state.rawValue) \($0.changedSections) \($0.sourceLine)" } == [
            "es A0 up to date [] source: A0@baec.f2dc.fc84",
            "es A1 missing [] source: A1@8deb",
            "es A2 stale [\"Key points\"] source: A2@a11f.cea4.93d3!cce1d2",
        ])
        #expect(TranslationCheck.table(result.translations, config: try #require(result.guide).config) == """
            es (Español): 2 of 3 chapters translated, 1 up to date
              A0  up to date
              A1  missing  (source: A1@8deb)
              A2  stale: "Key points"  (source: A2@a11f.cea4.93d3!cce1d2)

            """)
    }

    // Proves: rewrapping a paragraph of the source, or changing its front matter's review
    // date, changes no version; a changed word does.
    @Test func versionsFollowContentNotLayout() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try translatedGuide(folder, edit: ["A0-welcome.md": {
            $0.replacingOccurrences(of: "Start here. Then read", with: "Start here.\nThen   read").replacingOccurrences(of: "2026-10-01", with: "2026-11-01")
        }])
        #expect(check(content: content).translations.first { $0.id == "A0" }?.state == .upToDate)
        try folder.write(["Content/A0-welcome.md": try String(contentsOf: content.appendingPathComponent("A0-welcome.md"), encoding: .utf8)
            .replacingOccurrences(of: "for patients", with: "for people")])
        #expect(check(content: content).translations.first { $0.id == "A0" }?.changedSections == ["What this guide is"])
    }

    // Proves: a translation with no source: line, one naming another chapter, one not written
    // by guide, and one of a chapter that does not exist are errors at their place.
    @Test func sourceProblems() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try translatedGuide(folder)
        try folder.write([
            "Content/translations/es/A0.md": "---\nid: A0\ntitle: Bienvenida\n---\n\n# Bienvenida\n",
            "Content/translations/es/A1.md": "---\nid: A1\ntitle: Las células\nsource: A2@8deb\n---\n\n# Las células\n",
            "Content/translations/es/A2.md": "---\nid: A2\ntitle: Cuándo llamar\nsource: A2@latest\n---\n\n# Cuándo\n",
            "Content/translations/es/A9.md": "---\nid: A9\ntitle: Nada\nsource: A9@0000\n---\n\n# Nada\n",
        ])
        #expect(lines(check(content: content)).filter { $0.contains("/es/") && $0.contains(": error: ") } == [
            "Content/translations/es/A0.md:1:1: error: this translation does not say which version of the English A0 it translates (if it matches Content/A0-welcome.md as it is now, add 'source: A0@baec.f2dc.fc84' to its front matter) [translation-source]",
            "Content/translations/es/A1.md:4:1: error: 'source' names A2, but this translation's id is A1 (a translation has the id of the chapter it translates) [translation-source]",
            "Content/translations/es/A2.md:4:1: error: 'source' must be the source chapter's id and the version translated, like A2@7f3a.91c2!e2a9b1, but is 'A2@latest' (guide translate-status prints the line to paste) [invalid-value]",
            "Content/translations/es/A9.md:2:1: error: there is no English chapter A9 for this translation (did you mean 'A0'?) [translation-source]",
        ])
    }

    // Proves: guide.yml's languages are checked: a tag that is not BCP 47, the guide's own
    // language, a language listed twice.
    @Test func languagesSetting() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write(["Content/guide.yml": "title: T\nlanguage: en\nlanguages:\n  - {id: es, name: Español}\n  - {id: en, name: English}\n  - {id: es, name: Español}\n  - {id: e_s, name: X}\n  - {id: fr}\n"])
        let file = try SourceFile.read(at: folder.url.appendingPathComponent("Content/guide.yml"), relativePath: "guide.yml", displayPath: "Content/guide.yml")
        let (config, diagnostics) = GuideConfig.read(file)
        #expect(config?.languages.map(\.id) == ["es", "en"])
        #expect(diagnostics.map { DiagnosticFormatter.line($0) } == [
            "Content/guide.yml:6:5: error: language 'es' is listed twice [guide-config]",
            "Content/guide.yml:7:6: error: a language id must be a BCP 47 language tag such as es or zh-Hans, but is 'e_s' [guide-config]",
            "Content/guide.yml:8:5: error: this language has no 'name', its name in itself (Español) [guide-config]",
            "Content/guide.yml:5:5: error: 'en' is the guide's own language; 'languages' lists the languages it is translated into [guide-config]",
        ])
    }

    // Proves: the fast version hash is the hash of the text with its white space collapsed,
    // on every section of every shipped chapter and on text with Unicode white space.
    @Test func versionHashCollapsesWhiteSpace() throws {
        for text in ["", "  a  b ", "a\r\nb\tc", "fiebre\u{00A0}de 38\u{2009}°C\u{2028}x", "ñ é\n\n\n", "\u{3000}中文 字", "a🙂\u{2003}b 😀\u{85}"] {
            #expect(SourceVersion.normalizedHash(text) == SourceVersion.hash(SourceVersion.normalized(text)), "\(text.debugDescription)")
        }
        // A check of the shipped guide keeps its text blocks (it has translations): every one
        // is compared, and there are some to compare.
        let guide = try #require(check(content: Fixtures.shippedContent).guide)
        var compared = 0
        for chapter in guide.chapters {
            for block in chapter.chapter.markdown.blocks {
                #expect(SourceVersion.normalizedHash(block.text) == SourceVersion.hash(SourceVersion.normalized(block.text)))
                compared += 1
            }
        }
        #expect(compared > 100)
    }
}
