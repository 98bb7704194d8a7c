import Foundation
import Testing
@testable import GuideKit

/// A translated guide's site: each language's pages in its folder, linked both ways, with a
/// notice on every page a reader gets in another language or from an older source.
@Suite struct LanguageEditionTests {
    /// The translated fixture, built into a temporary folder; returns the site folder.
    private func builtSite(_ folder: TemporaryFolder, edit: [String: (String) -> String] = [:]) throws -> (URL, BuildResult) {
        let content = try folder.copy(Fixtures.content("translated"), as: "Content", editing: edit)
        let site = folder.url.appendingPathComponent("Site")
        let result = build(content: content, output: site)
        return (site, result)
    }

    private func page(_ site: URL, _ path: String) throws -> String {
        try String(contentsOf: site.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every `<link rel="alternate">` of a page, as `hreflang href`.
    private func alternates(_ html: String) -> [String] {
        html.split(separator: "\n").filter { $0.hasPrefix("<link rel=\"alternate\"") }.map { line in
            let attribute = { (name: String) in line.components(separatedBy: "\(name)=\"")[1].prefix { $0 != "\"" } }
            return "\(attribute("hreflang")) \(attribute("href"))"
        }
    }

    // Proves: every page of the site has its Spanish page under es/, with <html lang="es">,
    // the Spanish strings (and the translation's own override), the translated title and
    // track names; the Spanish search index is its own; translations/ is never published.
    @Test func spanishPagesSitUnderTheirFolder() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (site, result) = try builtSite(folder)
        #expect(result.outcome == .success)
        for name in ["index.html", "a0.html", "a1.html", "a2.html", "glossary.html", "search.html", "print.html", "call-card.html", "404.html",
                     "search/index.js"] {
            #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("es/" + name).path), "es/\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("es/static").path))
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("translations").path))
        let home = try page(site, "es/index.html")
        #expect(home.contains("<html lang=\"es\">"))
        #expect(home.contains("<title>Guía de prueba traducida</title>"))
        #expect(home.contains(">Lo básico<"))
        #expect(home.contains("placeholder=\"Buscar en esta guía de prueba\""))
        #expect(home.contains("<link rel=\"stylesheet\" href=\"../static/guide.css\">"))
        #expect(try page(site, "es/search.html").contains("<script src=\"../static/search.js\" data-index=\"search/\"></script>"))
        #expect(result.translationsNote == "es/ (Español): 2 of 3 chapters translated, 1 from an older source; the other chapter is shown in English with a notice.")
    }

    // Proves: hreflang alternates point both ways between a chapter and its translation,
    // with x-default the guide's own language; a page shown in the source language has none
    // (it is not a translation).
    @Test func hreflangPairsPointBothWays() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (site, _) = try builtSite(folder)
        #expect(alternates(try page(site, "a0.html")) == ["en a0.html", "es es/a0.html", "x-default a0.html"])
        #expect(alternates(try page(site, "es/a0.html")) == ["en ../a0.html", "es a0.html", "x-default ../a0.html"])
        #expect(alternates(try page(site, "index.html")) == ["en index.html", "es es/index.html", "x-default index.html"])
        #expect(alternates(try page(site, "es/index.html")) == ["en ../index.html", "es index.html", "x-default ../index.html"])
        #expect(alternates(try page(site, "a1.html")).isEmpty)
        #expect(alternates(try page(site, "es/a1.html")).isEmpty)
    }

    // Proves: with base_url the alternates are absolute, and a fallback page's canonical
    // address is its source page, kept out of search engines.
    @Test func absoluteAlternatesAndCanonicals() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (site, _) = try builtSite(folder, edit: ["guide.yml": { $0 + "base_url: https://example.org/g/\n" }])
        let spanish = try page(site, "es/a0.html")
        #expect(spanish.contains("<link rel=\"canonical\" href=\"https://example.org/g/es/a0.html\">"))
        #expect(alternates(spanish) == ["en https://example.org/g/a0.html", "es https://example.org/g/es/a0.html", "x-default https://example.org/g/a0.html"])
        let fallback = try page(site, "es/a1.html")
        #expect(fallback.contains("<link rel=\"canonical\" href=\"https://example.org/g/a1.html\">"))
        #expect(fallback.contains("<meta name=\"robots\" content=\"noindex\">"))
        let sitemap = try page(site, "sitemap.xml")
        #expect(sitemap.contains("<loc>https://example.org/g/es/a0.html</loc>"))
        #expect(!sitemap.contains("https://example.org/g/es/a1.html"))
    }

    // Proves: every page has the language switcher, linking to the same page in each
    // language, the current one marked.
    @Test func everyPageHasTheSwitcher() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (site, _) = try builtSite(folder)
        for name in ["index.html", "a0.html", "a1.html", "a2.html", "glossary.html", "search.html", "print.html", "call-card.html"] {
            let english = try page(site, name), spanish = try page(site, "es/" + name)
            #expect(english.contains("<li><a href=\"\(name)\" lang=\"en\" hreflang=\"en\" aria-current=\"page\">English</a></li>"), "\(name)")
            #expect(english.contains("<li><a href=\"es/\(name)\" lang=\"es\" hreflang=\"es\">Español</a></li>"), "\(name)")
            #expect(spanish.contains("<li><a href=\"../\(name)\" lang=\"en\" hreflang=\"en\">English</a></li>"), "es/\(name)")
            #expect(spanish.contains("<li><a href=\"\(name)\" lang=\"es\" hreflang=\"es\" aria-current=\"page\">Español</a></li>"), "es/\(name)")
        }
    }

    // Proves: a chapter not yet translated is its source page under es/, in Spanish chrome,
    // with a notice in Spanish and its own words marked as English; its glossary marks lead
    // to the source glossary; its boxes' labels are Spanish, marked as such.
    @Test func untranslatedChapterFallsBackWithANotice() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (site, _) = try builtSite(folder, edit: ["A1-the-cells.md": { $0 + "\nKeep a thermometer near.\n\n> [!NOTE]\n> Ask your nurse.\n" }])
        let fallback = try page(site, "es/a1.html")
        #expect(fallback.contains("<html lang=\"es\">"))
        #expect(fallback.contains("<p class=\"translation-notice\" role=\"note\">Esta página todavía no está disponible en español. Se muestra en inglés.</p>"))
        #expect(fallback.contains("<div class=\"chapter-body\" lang=\"en\">"))
        #expect(fallback.contains("href=\"../glossary.html#thermometer\""))
        // The box's label is the page's, in Spanish, and says so.
        #expect(fallback.contains("<p class=\"callout-title\" lang=\"es\"><span class=\"callout-icon\" aria-hidden=\"true\"></span>Nota</p>"))
        #expect(!(try page(site, "es/a0.html")).contains("translation-notice"))
    }

    // Proves: a stale translation is shown with a notice that links to the current source page.
    @Test func staleTranslationLinksToTheSource() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (site, _) = try builtSite(folder)
        let stale = try page(site, "es/a2.html")
        #expect(stale.contains("<p class=\"translation-notice\" role=\"note\">Esta página se tradujo de una versión anterior de la página en inglés, que ha cambiado desde entonces. <a href=\"../a2.html\">Lea la página actual en inglés.</a></p>"))
        #expect(!stale.contains("<div class=\"chapter-body\" lang="))
    }

    // Proves: a translated chapter's headings keep the source's anchors, so links, search
    // results and the switcher land on the same section in both languages; a link may name
    // a heading by its own words' slug, with or without accents; its FAQ heading in Spanish
    // opens an FAQ block; its glossary is the language's.
    @Test func translatedHeadingsKeepSourceAnchors() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (site, _) = try builtSite(folder)
        let welcome = try page(site, "es/a0.html")
        #expect(welcome.contains("<h2 id=\"what-this-guide-is\">Qué es esta guía</h2>"))
        #expect(welcome.contains("<a href=\"a2.html#when-to-call-your-care-team\">cuándo llamar</a>"))
        #expect(welcome.contains("<a href=\"a2.html#key-points\">puntos clave</a>"))
        #expect(welcome.contains("<details class=\"faq\">"))
        #expect(try page(site, "es/a2.html").contains("glossary.html#fiebre"))
        #expect(try page(site, "es/glossary.html").contains("Una temperatura del cuerpo más alta de lo normal."))
    }

    // Proves: a translation's broken link is an error at its line, suggesting the heading by
    // its translated words; a translation's guide.yml naming a track the guide does not have
    // is an error at its line.
    @Test func translationLinksAreChecked() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("translated"), as: "Content", editing: [
            "translations/es/A0.md": { $0.replacingOccurrences(of: "(A2#key-points)", with: "(A2#puntos)").replacingOccurrences(of: "[](A1)", with: "[](A7)") },
            "translations/es/guide.yml": { $0.replacingOccurrences(of: "{A: Lo básico}", with: "{A: Lo básico, Q: Otra}") },
        ])
        #expect(check(content: content).diagnostics.filter { $0.severity == .error }.map { DiagnosticFormatter.line($0) } == [
            "Content/translations/es/A0.md:10:76: error: chapter A2 has no heading '#puntos' (did you mean 'puntos-clave'?) [broken-anchor]",
            "Content/translations/es/A0.md:10:104: error: no chapter with id 'A7' (did you mean 'A0'?) [broken-chapter-link]",
            "Content/translations/es/guide.yml:3:24: error: the guide has no track 'Q' to name (did you mean 'A'?) [guide-config]",
        ])
    }

    // Proves: the Spanish index holds the Spanish chapters (not those shown in English); it
    // stems with Snowball's Spanish stemmer and folds accents, so
    // "llamar" and "llame" share a term and "señales" is the term "senal"; its stop words
    // are Spanish.
    @Test func spanishSearchIndexStemsSpanish() throws {
        let result = check(content: Fixtures.content("translated"))
        let edition = try #require(result.editions.first)
        let index = SearchIndex.build(edition.searchable)
        #expect(index.pages == ["a0.html", "a2.html"])
        let stemmer = Stemmer(language: "es")
        #expect(stemmer.algorithm == "es")
        #expect(stemmer.stem("llamar") == stemmer.stem("llame"))
        #expect(index.terms[SearchText.fold(stemmer.stem("llame"))] != nil)
        #expect(stemmer.stem("señales") == "señal")
        #expect(index.terms["senal"] != nil)
        #expect(index.stopWords.contains("para"))
        #expect(!index.stopWords.contains("the"))
    }

    // Proves: guide report measures each translated chapter in its language: words,
    // sentences and, for Spanish, Fernández-Huerta and Szigriszt-Pazos, with its state.
    @Test func reportMeasuresTranslationsInTheirLanguage() throws {
        let result = check(content: Fixtures.content("translated"))
        let rows = TranslationReport.rows(for: result.editions, statuses: result.translations)
        #expect(rows.map { "\($0.language) \($0.id) \($0.words) \($0.sentences) \($0.state)" } == ["es A0 20 3 up to date", "es A2 21 3 stale"])
        #expect(rows.allSatisfy { $0.fernandezHuerta != nil && $0.szigrisztPazos != nil })
        #expect(TranslationReport.table(rows).hasPrefix("language  id  title"))
    }

    // Proves: a translation's addresses are published too (its pages and their anchors,
    // under its folder); a renamed heading breaks them in both languages, each an error at
    // its line of the list with a did-you-mean in its folder, and the source's 'anchors:'
    // redirect mends both.
    @Test func translatedAddressesArePublished() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("translated"), as: "Content")
        #expect(build(content: content, output: folder.url.appendingPathComponent("Site")).outcome == .success)
        let list = try String(contentsOf: content.appendingPathComponent("published-urls.txt"), encoding: .utf8)
        #expect(list.contains("\nes/a2.html#key-points\n"))
        #expect(list.contains("\nes/index.html\n"))
        let rename = { (text: String) in text.replacingOccurrences(of: "## Key points", with: "## Main points") }
        try folder.write(["Content/A2-when-to-call.md": rename(try String(contentsOf: content.appendingPathComponent("A2-when-to-call.md"), encoding: .utf8)),
                          "Content/translations/es/A0.md": try String(contentsOf: content.appendingPathComponent("translations/es/A0.md"), encoding: .utf8)
                            .replacingOccurrences(of: "(A2#key-points)", with: "(A2#puntos-clave)")])
        let lines = check(content: content).diagnostics.filter { $0.rule == .publishedURLRemoved }.map { DiagnosticFormatter.line($0) }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.contains("did you mean '") && $0.contains("#main-points'? add 'anchors: {key-points: main-points}'") })
        #expect(lines.contains { $0.contains("'es/a2.html#key-points' was published and would break") && $0.contains("did you mean 'es/a2.html#main-points'") })
        try folder.write(["Content/A2-when-to-call.md": try String(contentsOf: content.appendingPathComponent("A2-when-to-call.md"), encoding: .utf8)
            .replacingOccurrences(of: "reviewed: 2026-10-01", with: "reviewed: 2026-10-01\nanchors: {key-points: main-points}")])
        #expect(!check(content: content).diagnostics.contains { $0.rule == .publishedURLRemoved })
    }

    // Proves: a translation whose headings stop matching its source's is a warning at the
    // first heading that differs; its headings keep their own anchors.
    @Test func headingsThatDifferAreAWarning() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("translated"), as: "Content", editing: [
            "translations/es/A2.md": { $0.replacingOccurrences(of: "## Puntos clave", with: "### Puntos clave") },
        ])
        let result = check(content: content)
        #expect(result.diagnostics.filter { $0.rule == .translationSource && $0.location.file.hasSuffix("A2.md") }.map { DiagnosticFormatter.line($0) } == [
            "Content/translations/es/A2.md:17:1: warning: this is a level-3 heading where the source A2 has a level-2 one ('Key points'); while the headings differ, they keep their own anchors, so links, search results and the language switcher cannot land on the same section in both languages (give the translation the source's headings, in the same order and at the same levels) [translation-source]",
        ])
        let spanish = try #require(result.editions.first?.guide.chapters.first { $0.id.description == "A2" })
        #expect(spanish.chapter.markdown.headings.map(\.slug) == ["cuándo-llamar", "cuándo-llamar-a-su-equipo", "puntos-clave"])
    }

    // Proves: guide new --translation starts a translation of a chapter as a draft, with its
    // source's text and today's source: line; the site keeps showing the source page (and
    // links land there) until the draft line goes; a language not listed, a chapter that does
    // not exist and a translation that exists are refused.
    @Test func newTranslationStartsAsADraft() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("translated"), as: "Content")
        let path = try NewChapter.createTranslation(of: "A1", language: "es", title: nil, contentDirectory: content, displayRoot: "Content")
        #expect(path == "Content/translations/es/A1-the-cells.md")
        let text = try String(contentsOf: content.appendingPathComponent("translations/es/A1-the-cells.md"), encoding: .utf8)
        #expect(text == """
            ---
            id: A1
            title: The cells
            summary: How the cells are made.
            source: A1@8deb
            draft: true               # remove this line when the translation is done and reviewed
            ---

            # The cells

            Your cells go to a lab. Back to [](A0).

            """)
        let result = check(content: content)
        #expect(!result.diagnostics.contains { $0.severity == .error })
        #expect(result.editions.first?.pages[ChapterID("A1")!] == .fallback)
        #expect(TranslationCheck.table(result.translations, config: try #require(result.guide).config).contains("  A1  up to date (draft)\n"))
        for (id, language, problem) in [("A1", "es", "A1 already has a translation into es: Content/translations/es/A1-the-cells.md"),
                                        ("A1", "fr", "'fr' is not one of the guide's languages (es)"),
                                        ("A7", "es", "there is no chapter A7 (did you mean 'A0'?)")] {
            do {
                _ = try NewChapter.createTranslation(of: id, language: language, title: nil, contentDirectory: content, displayRoot: "Content")
                Issue.record("a translation of \(id) into \(language) was not refused")
            } catch let error as NewChapter.Problem {
                #expect(error.description == problem)
            }
        }
    }

    // Proves: what the parser notices in a translation (an unknown callout type) is reported
    // at its place in the translation's file.
    @Test func translationsAreParsedAndChecked() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("translated"), as: "Content", editing: [
            "translations/es/A2.md": { $0.replacingOccurrences(of: "> [!URGENT]", with: "> [!URGNET]") },
        ])
        #expect(compact(check(content: content).diagnostics.filter { $0.rule == .unknownCallout }) == ["Content/translations/es/A2.md:14:1 warning unknown-callout"])
    }

    // Proves: a term of a translation's glossary that no translated chapter uses is a
    // warning at its entry, as in the guide's own glossary; the source chapters shown in
    // the language do not count as uses.
    @Test func unusedTranslationGlossaryTermIsAWarning() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("translated"), as: "Content", editing: [
            "translations/es/glossary.yml": { $0 + "- term: Thermometer\n  definition: Un aparato que mide la temperatura.\n" },
        ])
        #expect(check(content: content).diagnostics.filter { $0.rule == .unusedGlossaryTerm }.map { DiagnosticFormatter.line($0) } == [
            "Content/translations/es/glossary.yml:3:3: warning: no chapter translated into es uses the glossary term 'Thermometer' (as 'Thermometer') (check its spelling, use it in a chapter, or remove it) [unused-glossary-term]",
        ])
    }

    // Proves: guide serve keeps each translation's pages and index between rebuilds: an edit
    // to one translated chapter renders again only the pages made from it, in its language,
    // and the folder holds exactly what a clean build writes.
    @Test func serveRebuildsOnlyWhatATranslationEditChanged() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("translated"), as: "Content")
        let session = ServeSession()
        func options(_ output: String) -> BuildOptions {
            BuildOptions(content: content.path, templates: Fixtures.templates.path, output: folder.url.appendingPathComponent(output).path,
                         today: testToday)
        }
        #expect(Pipeline.rebuild(options("Served"), session: session).outcome == .success)
        #expect(Pipeline.rebuild(options("Served"), session: session).outcome == .success)
        #expect(session.lastRendered.isEmpty)
        let file = content.appendingPathComponent("translations/es/A0.md")
        try Data(try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "Una guía para", with: "Una guía escrita para").utf8).write(to: file)
        #expect(Pipeline.rebuild(options("Served"), session: session).outcome == .success)
        #expect(session.lastRendered == ["es/a0.html", "es/print.html"])
        #expect(Pipeline.build(options("Clean")).outcome == .success)
        let served = RebuildTests().files(folder.url.appendingPathComponent("Served"))
        let clean = RebuildTests().files(folder.url.appendingPathComponent("Clean"))
        #expect(Set(served.keys) == Set(clean.keys))
        for (path, bytes) in clean where served[path] != bytes { Issue.record("\(path) differs from a clean build") }
    }
}
