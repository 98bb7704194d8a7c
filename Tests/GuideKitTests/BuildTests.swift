import Foundation
import Testing
@testable import GuideKit

/// End to end: a fixture guide built into a temporary folder, read as a browser would.
@Suite struct BuildTests {
    /// Every file of a built site, relative path → bytes.
    func snapshot(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let root = folder.standardizedFileURL.path
        let enumerator = FileManager.default.enumerator(atPath: root)!
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory)
            if !isDirectory.boolValue { files[relative] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative)) }
        }
        return files
    }

    // Proves: the site has every page of the contract, and nothing from drafts.
    @Test func writesThePagesOfTheContract() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let site = folder.url.appendingPathComponent("Site")
        let result = build(content: Fixtures.content("basic"), output: site)
        #expect(result.outcome == .success)
        #expect(result.chapterCount == 4)
        let files = Set(try snapshot(site).keys)
        for page in ["index.html", "a0.html", "a2.html", "a10.html", "b1.html", "glossary.html", "search.html", "404.html",
                     "sitemap.xml", "assets/diagram.svg", "assets/docs/leaflet v2.txt", "static/guide.css", "static/guide.js"] {
            #expect(files.contains(page), "missing \(page)")
        }
        #expect(!files.contains("b2.html"))
    }

    // Proves: every link on every page leads to a file of the site, and every #anchor to an id on that page.
    @Test func everyLinkResolves() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: Fixtures.content("basic"), output: site).outcome == .success)
        let pages = try snapshot(site).keys.filter { $0.hasSuffix(".html") }.sorted()
        var checked = 0
        for name in pages {
            let page = try Page(site.appendingPathComponent(name))
            for link in page.attributes("href") + page.attributes("src") where !link.hasPrefix("https://") {
                #expect(!link.hasPrefix("/"), "\(name): \(link) is not relative")
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let file = parts[0].isEmpty ? name : parts[0].removingPercentEncoding!
                #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent(file).path), "\(name): \(link) leads nowhere")
                if parts.count > 1, file.hasSuffix(".html") {
                    #expect(try Page(site.appendingPathComponent(file)).ids.contains(parts[1]), "\(name): no #\(parts[1]) in \(file)")
                }
                checked += 1
            }
        }
        #expect(checked > 50)
    }

    // Proves: previous/next follow the series order: tracks as guide.yml lists them, then id number.
    @Test func previousAndNextFollowSeriesOrder() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: Fixtures.content("basic"), output: site).outcome == .success)
        let order = ["b1.html", "a0.html", "a2.html", "a10.html"]
        for (index, name) in order.enumerated() {
            let page = try Page(site.appendingPathComponent(name))
            #expect(page.links(rel: "prev") == (index > 0 ? [order[index - 1]] : []), "\(name)")
            #expect(page.links(rel: "next") == (index + 1 < order.count ? [order[index + 1]] : []), "\(name)")
        }
        let home = try Page(site.appendingPathComponent("index.html"))
        #expect(home.attributes("href").filter { order.contains($0) } == ["b1.html"] + order)
        #expect(home.html.contains("New here? Start with <a href=\"b1.html\">B1: Deeper</a>."))
    }

    // Proves: titles and summaries with <, " and & are escaped in text and in attributes.
    @Test func escapesTitles() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: Fixtures.content("basic"), output: site).outcome == .success)
        let page = try Page(site.appendingPathComponent("a0.html"))
        #expect(page.text(of: "title") == "Start &lt;here&gt; &amp; &quot;now&quot; – Fixture Guide &lt;Tests&gt; &amp; &quot;Quotes&quot;")
        #expect(page.html.contains("<meta name=\"description\" content=\"The first chapter, with &lt;angle&gt; brackets &amp; &quot;quotes&quot; &lt;/script&gt;.\">"))
        #expect(page.html.contains("by Dr. A &amp; B"))
        #expect(!page.html.contains("<here>"))
        #expect(!page.html.contains("<script>alert"))
    }

    // Proves: a chapter page has its place, review dates, related chapters and canonical link.
    @Test func chapterPageParts() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: Fixtures.content("basic"), output: site).outcome == .success)
        let page = try Page(site.appendingPathComponent("a0.html"))
        #expect(page.html.contains("The basics · chapter 1 of 3"))
        #expect(page.html.contains("Page last reviewed: <time datetime=\"2026-01-15\">15 January 2026</time>"))
        #expect(page.html.contains("Next review due: 15 January 2027"))
        #expect(page.html.contains("<li><a href=\"a2.html\">A2: Second</a></li>"))
        #expect(page.html.contains("<li><a href=\"b1.html\">B1: Deeper</a></li>"))
        #expect(page.html.contains("<link rel=\"canonical\" href=\"https://example.org/fixture/a0.html\">"))
        #expect(page.html.contains("<html lang=\"en-GB\">"))
        // A chapter without its own `# Title` gets one from the front matter.
        #expect(try Page(site.appendingPathComponent("a10.html")).html.contains("<h1>Tenth</h1>"))
        let sitemap = try String(contentsOf: site.appendingPathComponent("sitemap.xml"), encoding: .utf8)
        #expect(sitemap.contains("<loc>https://example.org/fixture/a10.html</loc>"))
        #expect(sitemap.contains("<lastmod>2026-01-15</lastmod>"))
    }

    // Proves: drafts are built with --drafts, and marked as drafts.
    @Test func draftsWithFlag() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: Fixtures.content("basic"), output: site, drafts: true).outcome == .success)
        let draft = try Page(site.appendingPathComponent("b2.html"))
        #expect(draft.html.contains("this chapter is not published yet"))
    }

    // Proves: two builds of the same input are byte-identical.
    @Test func buildsAreDeterministic() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let first = folder.url.appendingPathComponent("one"), second = folder.url.appendingPathComponent("two")
        #expect(build(content: Fixtures.content("basic"), output: first).outcome == .success)
        #expect(build(content: Fixtures.content("basic"), output: second).outcome == .success)
        #expect(try snapshot(first) == snapshot(second))
    }

    // Proves: the print edition of a long guide is written as its chapters' bodies are made
    // (never held whole), and its bytes are those of the edition `guide serve` renders whole.
    @Test func longPrintEditionIsWrittenAsItIsMade() throws {
        let content = try Fixtures.generatedGuide(chapters: 700)
        let folder = try TemporaryFolder()
        defer {
            folder.cleanup()
            try? FileManager.default.removeItem(at: content)
        }
        let built = folder.url.appendingPathComponent("built"), served = folder.url.appendingPathComponent("served")
        let result = build(content: content, output: built)
        #expect(result.outcome == .success, "\(compact(result.diagnostics))")
        let rebuilt = buildKeepingChapters(content: content, output: served)
        #expect(rebuilt.outcome == .success)
        let printed = try Data(contentsOf: built.appendingPathComponent("print.html"))
        #expect(printed == (try Data(contentsOf: served.appendingPathComponent("print.html"))))
        #expect(printed.count > 700 * 1_000)
        // Rendered again from serve's chapters (whole), the edition is a stream, whose bytes
        // are the same.
        let guide = try #require(rebuilt.guide)
        let log = DiagnosticLog()
        let templates = try TemplateSet.load(from: Fixtures.templates, displayRoot: "Templates", log: log).withStrings(for: guide.config, log: log)
        let edition = try #require(SiteRenderer.render(guide, templates: templates, contentDirectory: content).first { $0.path == "print.html" })
        guard case .streamed = edition.contents else { Issue.record("the print edition was not streamed"); return }
        #expect(edition.bytes == printed)
    }

    // Proves: the pages of a guide long enough to be made with its print edition (the
    // shipped guide: its chapters and glossary terms), made from bodies handed over to them
    // as a build makes them, are the pages made from the chapters' own bodies, byte for
    // byte; the guide keeps only each body's urgency boxes, from which the call card is made;
    // and every body handed over is let go once its page is made.
    @Test func pagesMadeFromBodiesHandedOverLetThemGo() throws {
        let content = Fixtures.shippedContent
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let whole = try #require(buildKeepingChapters(content: content, output: folder.url.appendingPathComponent("site")).guide)
        let log = DiagnosticLog()
        let templates = try TemplateSet.load(from: Fixtures.templates, displayRoot: "Templates", log: log).withStrings(for: whole.config, log: log)
        final class Files: @unchecked Sendable {
            let lock = NSLock()
            var files: [OutputFile] = []
        }
        func render(_ guide: Guide, bodies: BodiesToRender?) -> [String: Data] {
            let made = Files()
            SiteRenderer.render(guide, templates: templates, contentDirectory: content, caches: nil, pagesWithPrint: true,
                                bodies: bodies) { file in made.lock.withLock { made.files.append(file) } }
            // The print edition is a stream: the chapter pages are made as it is written.
            let printed = made.lock.withLock { made.files.first { $0.path == "print.html" } }
            var bytes = ["print.html": printed?.bytes ?? Data()]
            for file in made.lock.withLock({ made.files }) where file.path != "print.html" { bytes[file.path] = file.bytes }
            return bytes
        }
        let expected = render(whole, bodies: nil)
        var handing = whole
        let bodies = BodiesToRender(handing.takingBodies())
        let nodes = bodies.nodesHeld
        #expect(whole.chapters.count + whole.glossary.terms.count >= TemplateShapes.fewestStreamedItems)
        #expect(nodes > whole.chapters.count * 10)
        #expect(handing.chapters.map(\.chapter.markdown.body) == whole.chapters.map { BodyNode.urgencyBoxes($0.chapter.markdown.body) })
        #expect(handing.tracks.flatMap(\.chapters).map(\.chapter.markdown.body)
                == whole.tracks.flatMap(\.chapters).map { BodyNode.urgencyBoxes($0.chapter.markdown.body) })
        let made = render(handing, bodies: bodies)
        #expect(bodies.nodesHeld == 0)
        #expect(made.count == expected.count && made.count > whole.chapters.count)
        #expect(made.keys.sorted() == expected.keys.sorted())
        for (path, data) in expected where made[path] != data { Issue.record("\(path) differs") }
        #expect(String(decoding: try #require(made["call-card.html"]), as: UTF8.self).contains("callout-emergency"))
    }

    // Proves: how a chapter's body ends, found from its last nodes alone, is how its whole
    // render ends: every chapter of the shipped guide and of the fixture guides, for the site
    // and the print edition; and bodies that are empty, whose last node is empty, or whose
    // "\r" and "\n" fall in two nodes (one character, so not a line break at the end).
    @Test func bodyEndingsAreTheirRendersEndings() throws {
        func ending(_ html: String) -> DeferredText.Ending { html.isEmpty ? .empty : html.hasSuffix("\n") ? .lineBreak : .other }
        let log = DiagnosticLog()
        let templates = try TemplateSet.load(from: Fixtures.templates, displayRoot: "Templates", log: log).withStrings(for: GuideConfig(), log: log)
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let guides = [Fixtures.shippedContent] + ["basic", "plain-language", "translated"].map(Fixtures.content)
        var checked = 0
        for (n, content) in guides.enumerated() {
            // A copy: a build adds to its content's published-urls.txt. Its chapters whole: a
            // plain build's pages take their bodies.
            let copy = try folder.copy(content, as: "content-\(n)")
            let guide = try #require(buildKeepingChapters(content: copy, output: folder.url.appendingPathComponent("site-\(n)")).guide)
            for policy in [URLPolicy.site, URLPolicy(page: .printEdition(Set(guide.chapters.map(\.id))))] {
                let renderer = BodyRenderer(templates: templates, strings: templates.strings, glossary: guide.glossary, policy: policy)
                for chapter in guide.chapters {
                    #expect(renderer.ending(chapter) == ending(renderer.render(chapter)), "\(content.deletingLastPathComponent().lastPathComponent) \(chapter.id)")
                    checked += 1
                }
            }
        }
        #expect(checked > 40)
        let renderer = BodyRenderer(templates: templates, strings: templates.strings, glossary: Glossary(terms: []), policy: .site)
        let cases: [([BodyNode], DeferredText.Ending)] = [
            ([], .empty), ([.html("")], .empty), ([.html("<p>a</p>\n"), .html("")], .lineBreak), ([.html("<p>a</p>")], .other),
            ([.html("<p>a</p>\r"), .html("\n")], .other), ([.html("<p>a</p>"), .html("\n")], .lineBreak), ([.html("\n")], .lineBreak),
        ]
        for (body, expected) in cases {
            let parts = BodyRenderer.Chapter(markdown: ParsedMarkdown(headings: [], links: [], blocks: [], body: body), links: [], id: ChapterID("A0")!,
                                             headingPrefix: renderer.policy.headingPrefix(in: ChapterID("A0")!))
            #expect(renderer.ending(parts) == expected, "\(body)")
            #expect(ending(renderer.render(parts)) == expected, "\(body)")
        }
    }

    // Proves: a chapter's page body and print-edition body made in one render (as a build
    // makes a long guide's) are the bodies the two renderers make apart, and the print body
    // is made by swapping the addresses and heading ids the policies write differently:
    // every chapter of the shipped guide and of the fixture guides, for the site and for a
    // translation's pages that show the chapter in the source language.
    @Test func pageAndPrintBodiesFromOneRenderAreTheRendersApart() throws {
        let log = DiagnosticLog()
        let templates = try TemplateSet.load(from: Fixtures.templates, displayRoot: "Templates", log: log).withStrings(for: GuideConfig(), log: log)
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let guides = [Fixtures.shippedContent] + ["basic", "markup", "plain-language", "translated", "words"].map(Fixtures.content)
        var checked = 0, swapped = 0
        for (n, content) in guides.enumerated() {
            // A copy: a build adds to its content's published-urls.txt. Its chapters whole: a
            // plain build's pages take their bodies.
            let copy = try folder.copy(content, as: "content-\(n)")
            let guide = try #require(buildKeepingChapters(content: copy, output: folder.url.appendingPathComponent("site-\(n)")).guide)
            let printed = Set(guide.chapters.map(\.id))
            func renderer(_ page: URLPolicy.Page, shownInSource: Bool) -> BodyRenderer {
                let policy = shownInSource ? URLPolicy(page: page, glossaryPage: "../glossary.html", filesRoot: "../", glossaryInPage: false)
                    : URLPolicy(page: page)
                return BodyRenderer(templates: templates, strings: templates.strings, glossary: guide.glossary, policy: policy,
                                    emergencyNumber: "911", labelLanguage: shownInSource ? "en" : nil)
            }
            for shownInSource in [false, true] {
                let page = renderer(.site, shownInSource: shownInSource), print = renderer(.printEdition(printed), shownInSource: shownInSource)
                for chapter in guide.chapters {
                    let name = "\(content.deletingLastPathComponent().lastPathComponent) \(chapter.id)\(shownInSource ? " shown in the source" : "")"
                    let apart = page.renderTitleApart(chapter)
                    let together = page.renderTitleApart(chapter, printedBy: print)
                    #expect(together.title == apart.title, "\(name)")
                    #expect(together.body == apart.body, "\(name)")
                    #expect(together.print == print.render(chapter), "\(name)")
                    checked += 1
                    if together.swapped { swapped += 1 }
                }
            }
        }
        #expect(checked > 60)
        #expect(swapped == checked)
    }

    // Proves: a build with errors leaves the previous site exactly as it was.
    @Test func failedBuildKeepsThePreviousSite() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: Fixtures.content("basic"), output: site).outcome == .success)
        let before = try snapshot(site)
        let result = build(content: Fixtures.content("broken-links"), output: site)
        #expect(result.outcome == .contentErrors)
        #expect(result.exitCode == 1)
        #expect(try snapshot(site) == before)
        // No staging folders are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["Site"])
    }

    // Proves: a rebuild replaces the site whole: a file removed from the content leaves the site.
    @Test func rebuildReplacesTheSite() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("basic"), as: "Content")
        try folder.write(["Content/assets/old.txt": "old"])
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: content, output: site).outcome == .success)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("assets/old.txt").path))
        try FileManager.default.removeItem(at: content.appendingPathComponent("assets/old.txt"))
        #expect(build(content: content, output: site).outcome == .success)
        #expect(!FileManager.default.fileExists(atPath: site.appendingPathComponent("assets/old.txt").path))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("a0.html").path))
    }

    // Proves: an output folder holding files guide did not write is refused, and nothing is deleted.
    @Test func foreignOutputFolderIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write(["Mine/notes.txt": "precious"])
        let result = build(content: Fixtures.content("basic"), output: folder.url.appendingPathComponent("Mine"))
        #expect(result.exitCode == 2)
        guard case let .configurationError(message) = result.outcome else { Issue.record("not refused"); return }
        #expect(message.contains("holds 'notes.txt', which guide did not write"))
        #expect(try String(contentsOf: folder.url.appendingPathComponent("Mine/notes.txt"), encoding: .utf8) == "precious")
        // Looked through beside reading the content and templates, but refused first: not
        // one message about a broken link or a broken template comes with it.
        let templates = try folder.copy(Fixtures.templates, as: "Templates")
        try folder.write(["Templates/partials/link.mustache": "{{#unclosed}}"])
        var options = BuildOptions(content: Fixtures.content("broken-links").path, templates: templates.path,
                                   output: folder.url.appendingPathComponent("Mine").path, today: testToday)
        options.contentDisplay = "Content"
        let refused = Pipeline.build(options)
        #expect(refused.outcome == .configurationError(message))
        #expect(refused.diagnostics.isEmpty, "\(refused.diagnostics.map { DiagnosticFormatter.line($0) })")
        #expect(Pipeline.check(options).diagnostics.contains { $0.rule == .template } )
    }

    // Proves: the output may not be, contain, or sit inside the content or templates folder.
    @Test func outputMayNotOverlapSources() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("basic"), as: "Content")
        let before = try snapshot(folder.url)
        for output in [content, folder.url, content.appendingPathComponent("Site"), Fixtures.templates,
                       Fixtures.templates.appendingPathComponent("out")] {
            let result = build(content: content, output: output)
            #expect(result.exitCode == 2, "\(output.path) was not refused")
        }
        #expect(try snapshot(folder.url) == before)
        #expect(!FileManager.default.fileExists(atPath: Fixtures.templates.appendingPathComponent("out").path))
    }

    // Proves: a missing content folder or guide.yml is a configuration error (exit 2).
    @Test func missingContentIsAConfigurationError() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        #expect(build(content: folder.url.appendingPathComponent("Nope"), output: folder.url.appendingPathComponent("Site")).exitCode == 2)
        try folder.write(["Content/A0.md": "---\nid: A0\ntitle: T\n---\n"])
        let result = build(content: folder.url.appendingPathComponent("Content"), output: folder.url.appendingPathComponent("Site"))
        #expect(result.exitCode == 2)
        #expect(compact(result.diagnostics) == ["Content/guide.yml:0:0 error guide-config"])
    }
}
