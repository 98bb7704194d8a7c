import Foundation
import Testing
@testable import GuideKit

/// `guide serve`'s rebuilds: only changed chapters parsed, only changed files written, and
/// the site always byte-identical to a clean build.
@Suite struct RebuildTests {
    /// Every file of a site folder (the marker aside) and its bytes.
    func files(_ site: URL) -> [String: Data] {
        var result: [String: Data] = [:]
        for relative in SiteWriter.walk(site) where relative != SiteWriter.markerName {
            var isDirectory: ObjCBool = false
            let url = site.appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[relative] = FileManager.default.contents(atPath: url.path)
            }
        }
        return result
    }

    // Proves: after each of a series of edits (change a chapter, add one, rename a heading
    // another chapter links to and the link with it, rename a chapter's file, delete a
    // chapter, change guide.yml), the folder serve brings up to date holds exactly what a
    // clean build writes, and only the pages whose content changed were rendered again.
    @Test func editsMatchACleanBuild() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        _ = try NewGuide.create(in: folder.url, templates: false, today: testToday)
        let content = folder.url.appendingPathComponent("Content")
        let served = folder.url.appendingPathComponent("Served")
        let session = ServeSession()
        func options(_ output: URL) -> BuildOptions {
            var options = BuildOptions(content: content.path, output: output.path, today: testToday, workingDirectory: folder.url)
            options.templatesDirectory = nil
            return options
        }
        func edit(_ name: String, _ old: String, _ new: String) throws {
            let url = content.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            #expect(text.contains(old), "\(name) has no '\(old)'")
            try Data(text.replacingOccurrences(of: old, with: new).utf8).write(to: url)
        }
        var step = 0
        func compare(parsed: Int?, rendered: [String]? = nil, _ label: String) throws {
            step += 1
            let result = Pipeline.rebuild(options(served), session: session)
            #expect(result.outcome == .success, "\(label): \(compact(result.diagnostics))")
            if let parsed { #expect(session.parseCache.lastParsed == parsed, "\(label)") }
            if let rendered { #expect(session.lastRendered == rendered, "\(label)") }
            let clean = folder.url.appendingPathComponent("clean-\(step)")
            // The edits take out published addresses, as an author may while trying things.
            var cleanOptions = options(clean)
            cleanOptions.removedURLs = .accept
            #expect(Pipeline.build(cleanOptions).outcome == .success)
            let got = files(served), want = files(clean)
            #expect(Set(got.keys) == Set(want.keys), "\(label): \(Set(got.keys).symmetricDifference(want.keys).sorted())")
            for (path, bytes) in want where got[path] != bytes { Issue.record("\(label): \(path) differs from a clean build") }
        }
        try compare(parsed: 3, "first build")
        try compare(parsed: 0, rendered: [], "nothing changed")
        #expect(session.lastWritten == 0)
        try edit("B1-after-you-go-home.md", "Rest as much as you need.", "Rest as much as you need. Walk a little each day.")
        // Its page and the print edition; its neighbours' pagers name only its title, unchanged.
        try compare(parsed: 1, rendered: ["b1.html", "print.html"], "a chapter changed")
        try folder.write(["Content/B2-money.md": "---\nid: B2\ntitle: Money\nsummary: Paying for care.\nreviewed: 2026-11-01\nreviewer: R\nrelated: [B1]\n---\n\n# Money\n\nAsk your team about costs. See [](B1).\n"])
        try edit("B1-after-you-go-home.md", "Rest as much as you need.", "Rest as much as you need. Read [](B2).")
        try compare(parsed: 2, "a chapter added")
        try edit("A2-what-to-bring.md", "## Frequently asked questions", "## Questions people ask\n\n## FAQ")
        try edit("A1-welcome.md", "(A2#frequently-asked-questions)", "(A2#faq)")
        try compare(parsed: 2, "a heading renamed, and the link to it")
        try FileManager.default.moveItem(at: content.appendingPathComponent("B2-money.md"), to: content.appendingPathComponent("B2-paying.md"))
        try compare(parsed: 1, "a file renamed")
        try edit("B1-after-you-go-home.md", " Read [](B2).", "")
        try FileManager.default.removeItem(at: content.appendingPathComponent("B2-paying.md"))
        try compare(parsed: 1, "a chapter deleted")
        #expect(!FileManager.default.fileExists(atPath: served.appendingPathComponent("b2.html").path))
        // A glossary meaning is in every body that marks the term, and on the glossary page.
        try edit("glossary.yml", "38 °C (100.4 °F) or higher.", "38 °C (100.4 °F) or more.")
        try compare(parsed: nil, "a glossary meaning changed")
        #expect(session.lastRendered.contains("glossary.html"))
        // The guide's title is on every page: every page is rendered again.
        try edit("guide.yml", "title: ", "title: New ")
        try compare(parsed: 0, "guide.yml changed")
        #expect(session.lastRendered == ["404.html", "a1.html", "a2.html", "b1.html", "call-card.html", "glossary.html", "index.html", "print.html", "search.html"])
    }

    // Proves: serve reuses the templates while their files are unchanged, and a change to a
    // template file is seen at once: a changed partial changes the pages (as a clean build
    // has them), a template mistake is reported on every rebuild until it is fixed.
    @Test func templateEditsAreSeen() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        _ = try NewGuide.create(in: folder.url, templates: false, today: testToday)
        let templates = folder.url.appendingPathComponent("Templates")
        let partial = templates.appendingPathComponent("partials/heading.mustache")
        try FileManager.default.createDirectory(at: partial.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("<h{{level}} id=\"{{anchor}}\">{{{content}}}</h{{level}}>\n".utf8).write(to: partial)
        let session = ServeSession()
        func rebuild(_ output: String) -> BuildResult {
            Pipeline.rebuild(BuildOptions(content: "Content", templates: "Templates", output: output, today: testToday,
                                          workingDirectory: folder.url), session: session)
        }
        func page(_ output: String) throws -> String {
            try String(contentsOf: folder.url.appendingPathComponent(output + "/a1.html"), encoding: .utf8)
        }
        #expect(rebuild("Served").outcome == .success)
        #expect(rebuild("Served").outcome == .success)
        #expect(try !page("Served").contains("class=\"changed\""))
        try Data("<h{{level}} class=\"changed\" id=\"{{anchor}}\">{{{content}}}</h{{level}}>\n".utf8).write(to: partial)
        #expect(rebuild("Served").outcome == .success)
        #expect(try page("Served").contains("class=\"changed\""))
        #expect(Pipeline.build(BuildOptions(content: "Content", templates: "Templates", output: "Clean", today: testToday,
                                            workingDirectory: folder.url)).outcome == .success)
        #expect(try page("Served") == page("Clean"))
        // A mistake: the same message on each rebuild while it stands.
        try Data("<h{{level}} id=\"{{anchor}}\">{{{content}}}</h{{level}}>{{#open}}\n".utf8).write(to: partial)
        for _ in 0..<2 {
            let result = rebuild("Served")
            #expect(result.diagnostics.contains { $0.location.file == "Templates/partials/heading.mustache" && $0.severity == .error },
                    "\(result.diagnostics.map { DiagnosticFormatter.line($0) })")
        }
    }

    // Proves: a link in a chapter that did not change is checked again when what it leads to
    // changes: renaming the heading it points at is an error on the next rebuild (serve does
    // not keep the old resolution), and renaming it back clears it.
    @Test func unchangedChaptersLinksAreCheckedAgain() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        _ = try NewGuide.create(in: folder.url, templates: false, today: testToday)
        let session = ServeSession()
        func rebuild() -> BuildResult {
            var options = BuildOptions(content: "Content", output: "Served", today: testToday, workingDirectory: folder.url)
            options.templatesDirectory = nil
            return Pipeline.rebuild(options, session: session)
        }
        #expect(rebuild().outcome == .success)
        let a2 = folder.url.appendingPathComponent("Content/A2-what-to-bring.md")
        let text = try String(contentsOf: a2, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "## Frequently asked questions", with: "## Questions").utf8).write(to: a2)
        let broken = rebuild()
        #expect(broken.outcome == .contentErrors)
        #expect(broken.diagnostics.contains { $0.location.file == "Content/A1-welcome.md" && $0.rule == .brokenAnchor },
                "\(broken.diagnostics.map { DiagnosticFormatter.line($0) })")
        try Data(text.utf8).write(to: a2)
        #expect(rebuild().outcome == .success)
    }

    // Proves: a chapter parsed while guide.yml had no `plain_language:` (its plain-language
    // facts not looked for) is parsed again when the settings appear, so serve's next
    // rebuild reports what a clean check does; and again when they go.
    @Test func plainLanguageSettingsParseAgain() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("plain-language"), as: "Content")
        let config = content.appendingPathComponent("guide.yml")
        let withSettings = try String(contentsOf: config, encoding: .utf8)
        #expect(withSettings.contains("plain_language:"))
        let without = "title: Plain Language Fixture\nreading_level:\n  target_grade: 12\n"
        let session = ServeSession()
        func rebuild() -> [String] {
            var options = BuildOptions(content: content.path, templates: Fixtures.templates.path,
                                       output: folder.url.appendingPathComponent("Served").path, today: testToday)
            options.contentDisplay = "Content"
            return Pipeline.rebuild(options, session: session).diagnostics.map { DiagnosticFormatter.line($0) }
        }
        try Data(without.utf8).write(to: config)
        #expect(rebuild().isEmpty)
        try Data(withSettings.utf8).write(to: config)
        let found = rebuild()
        #expect(found == check(content: content).diagnostics.map { DiagnosticFormatter.line($0) })
        #expect(found.count == 6)
        try Data(without.utf8).write(to: config)
        #expect(rebuild().isEmpty)
    }
}
