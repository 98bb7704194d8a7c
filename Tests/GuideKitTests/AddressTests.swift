import Foundation
import Testing
@testable import GuideKit

/// Published addresses never break: `published-urls.txt` lists every address the guide has
/// published; `check` refuses one that would disappear without a redirect; `formerly:`,
/// `anchors:` and guide.yml's `redirects` keep old addresses working.
@Suite struct AddressTests {
    /// A copy of the renamed fixture (B1 became B3, a heading was respelled, A5 merged into
    /// A0), with `edit` applied to its files; builds write its list, so never the fixture's own.
    private func renamedGuide(_ folder: TemporaryFolder, edit: [String: (String) -> String] = [:]) throws -> URL {
        try folder.copy(Fixtures.content("renamed"), as: "Content", editing: edit)
    }

    private func lines(_ result: BuildResult) -> [String] { result.diagnostics.map { DiagnosticFormatter.line($0) } }

    private func withoutRedirects(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("formerly:") && !$0.hasPrefix("anchors:") && !$0.hasPrefix("redirects:") && !$0.hasPrefix("  A5:") }
            .joined(separator: "\n")
    }

    // Proves: a renamed chapter id, a respelled heading and a page taken out are each an
    // error at its line of the list, with the closest new address and what to write.
    @Test func renamesWithoutRedirectsAreErrors() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try renamedGuide(folder, edit: ["B3-design.md": withoutRedirects, "guide.yml": withoutRedirects])
        let result = check(content: content)
        let again = " was published and would break; add a redirect (see README) or run guide build --accept-removed-urls"
        #expect(lines(result) == [
            "Content/published-urls.txt:3:1: error: 'a5.html'\(again) (if A5 was taken out, add 'redirects: {A5: …}' to guide.yml with the id of the chapter its readers should go to) [published-url-removed]",
            "Content/published-urls.txt:4:1: error: 'a5.html#side-effects'\(again) (if A5 was taken out, add 'redirects: {A5: …}' to guide.yml with the id of the chapter its readers should go to) [published-url-removed]",
            "Content/published-urls.txt:5:1: error: 'b1.html'\(again) (did you mean 'b3.html'? if B1 became B3, add 'formerly: [B1]' to the front matter of Content/B3-design.md) [published-url-removed]",
            "Content/published-urls.txt:6:1: error: 'b1.html#armored-cars'\(again) (did you mean 'b3.html#armoured-cars'? add 'formerly: [B1]' and 'anchors: {armored-cars: armoured-cars}' to the front matter of Content/B3-design.md) [published-url-removed]",
            "Content/published-urls.txt:7:1: error: 'b1.html#designing-car-t-cells'\(again) (did you mean 'b3.html#designing-car-t-cells'? add 'formerly: [B1]' to the front matter of Content/B3-design.md) [published-url-removed]",
            "Content/published-urls.txt:8:1: error: 'b1.html#safety-switches'\(again) (did you mean 'b3.html#safety-switches'? add 'formerly: [B1]' to the front matter of Content/B3-design.md) [published-url-removed]",
        ])
        #expect(result.exitCode == 1)
        // And the build refuses, leaving the list as it was.
        let before = try String(contentsOf: content.appendingPathComponent("published-urls.txt"), encoding: .utf8)
        #expect(build(content: content, output: folder.url.appendingPathComponent("Site")).outcome == .contentErrors)
        #expect(try String(contentsOf: content.appendingPathComponent("published-urls.txt"), encoding: .utf8) == before)
    }

    // Proves: a heading reworded in a chapter that kept its id is an error naming the new
    // heading and the `anchors:` line that sends readers there.
    @Test func rewordedHeadingIsAnError() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try renamedGuide(folder, edit: ["A0-welcome.md": { $0.replacingOccurrences(of: "# Welcome", with: "# Welcome to the guide") }])
        #expect(lines(check(content: content)) == [
            "Content/published-urls.txt:2:1: error: 'a0.html#welcome' was published and would break; add a redirect (see README) or run guide build --accept-removed-urls (did you mean 'a0.html#welcome-to-the-guide'? add 'anchors: {welcome: welcome-to-the-guide}' to the front matter of Content/A0-welcome.md) [published-url-removed]",
        ])
    }

    // Proves: with `formerly:`, `anchors:` and guide.yml's `redirects` the guide passes; the
    // build writes a page at each old address (instant refresh, visible link, canonical,
    // noindex, a script that keeps the #anchor), the chapter lists its moved anchors, the
    // sitemap lists only current pages, and the list keeps the old addresses, sorted.
    @Test func redirectsKeepOldAddresses() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try renamedGuide(folder)
        #expect(lines(check(content: content)) == [])
        let site = folder.url.appendingPathComponent("Site")
        let result = build(content: content, output: site)
        #expect(result.outcome == .success)
        #expect(result.publishedURLsNote == "Updated Content/published-urls.txt (5 added); commit it with the guide.")

        let moved = try String(contentsOf: site.appendingPathComponent("b1.html"), encoding: .utf8)
        #expect(moved.contains("<script>location.replace(\"b3.html\" + location.hash);</script>\n<meta http-equiv=\"refresh\" content=\"0; url=b3.html\">"))
        #expect(moved.contains("<link rel=\"canonical\" href=\"https://example.org/renamed/b3.html\">"))
        #expect(moved.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(moved.contains("<p>Its new address is: <a href=\"b3.html\">B3: Designing CAR-T cells</a></p>"))
        #expect(moved.contains("<title>Moved: B3: Designing CAR-T cells – Renamed Fixture</title>"))
        let merged = try String(contentsOf: site.appendingPathComponent("a5.html"), encoding: .utf8)
        #expect(merged.contains("<script>location.replace(\"a0.html\" + location.hash);</script>"))
        let chapter = try String(contentsOf: site.appendingPathComponent("b3.html"), encoding: .utf8)
        #expect(chapter.contains("<article class=\"chapter\" data-moved-anchors=\"{&quot;armored-cars&quot;:&quot;armoured-cars&quot;}\">"))

        let sitemap = try String(contentsOf: site.appendingPathComponent("sitemap.xml"), encoding: .utf8)
        #expect(sitemap.contains("renamed/b3.html") && !sitemap.contains("b1.html") && !sitemap.contains("a5.html"))
        let index = try String(contentsOf: site.appendingPathComponent("search/index.js"), encoding: .utf8)
        #expect(!index.contains("b1.html"))

        #expect(try String(contentsOf: content.appendingPathComponent("published-urls.txt"), encoding: .utf8) == """
            a0.html
            a0.html#side-effects-in-short
            a0.html#welcome
            a5.html
            a5.html#side-effects
            b1.html
            b1.html#armored-cars
            b1.html#designing-car-t-cells
            b1.html#safety-switches
            b3.html
            b3.html#armoured-cars
            b3.html#designing-car-t-cells
            b3.html#safety-switches
            glossary.html
            index.html
            print.html
            search.html

            """)
        // Built again, nothing changes; taking a redirect out later is an error again.
        #expect(build(content: content, output: site).publishedURLsNote == nil)
        let edited = content.appendingPathComponent("B3-design.md")
        try Data(withoutRedirects(try String(contentsOf: edited, encoding: .utf8)).utf8).write(to: edited)
        #expect(check(content: content).diagnostics.filter { $0.rule == .publishedURLRemoved }.count == 4)
    }

    // Proves: a page moved to a heading of a chapter goes there, whatever #anchor the reader
    // asked for; its canonical address is the chapter's page.
    @Test func redirectToAHeading() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try renamedGuide(folder, edit: ["guide.yml": { $0 + "  faq.html: A0#side-effects-in-short\n" }])
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: content, output: site).outcome == .success)
        let page = try String(contentsOf: site.appendingPathComponent("faq.html"), encoding: .utf8)
        #expect(page.contains("<script>location.replace(\"a0.html#side-effects-in-short\");</script>"))
        #expect(page.contains("<meta http-equiv=\"refresh\" content=\"0; url=a0.html#side-effects-in-short\">"))
        #expect(page.contains("<link rel=\"canonical\" href=\"https://example.org/renamed/a0.html\">"))
        #expect(try String(contentsOf: content.appendingPathComponent("published-urls.txt"), encoding: .utf8).contains("\nfaq.html\n"))
    }

    // Proves: --accept-removed-urls lets the build go on, says which addresses it let go, and
    // takes them out of the list.
    @Test func acceptRemovedURLs() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try renamedGuide(folder, edit: ["B3-design.md": withoutRedirects, "guide.yml": withoutRedirects])
        var options = BuildOptions(content: content.path, templates: Fixtures.templates.path,
                                   output: folder.url.appendingPathComponent("Site").path, today: testToday)
        options.removedURLs = .accept
        let result = Pipeline.build(options)
        #expect(result.outcome == .success)
        #expect(result.diagnostics.map { "\($0.location.line ?? 0) \($0.severity) \($0.rule.rawValue)" } == (3...8).map { "\($0) warning published-url-removed" })
        #expect(result.diagnostics[2].message == "'b1.html' was published and no longer works; it is taken out of the list, as --accept-removed-urls asks")
        let list = try String(contentsOf: content.appendingPathComponent("published-urls.txt"), encoding: .utf8)
        #expect(!list.contains("b1.html") && !list.contains("a5.html") && list.contains("b3.html#armoured-cars\n"))
        #expect(check(content: content).diagnostics.isEmpty)
    }

    // Proves: a link to a chapter's former id is an error that names the chapter it became,
    // which spelling alone would not find.
    @Test func linkToAFormerIDSuggestsItsChapter() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try renamedGuide(folder, edit: [
            "B3-design.md": { $0.replacingOccurrences(of: "formerly: [B1]", with: "formerly: [B1, C9]") },
            "A0-welcome.md": { $0.replacingOccurrences(of: "Start here,", with: "Start [here](C9),") },
        ])
        #expect(lines(check(content: content)) == [
            "Content/A0-welcome.md:10:7: error: no chapter with id 'C9' (did you mean 'B3'?) [broken-chapter-link]",
        ])
    }

    // Proves: serve's preview shows an edit that breaks a published address (a warning,
    // the page updated), and leaves the list alone; check still refuses it.
    @Test func servePreviewWarns() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try renamedGuide(folder, edit: ["A0-welcome.md": { $0.replacingOccurrences(of: "# Welcome", with: "# Hello") }])
        let before = try String(contentsOf: content.appendingPathComponent("published-urls.txt"), encoding: .utf8)
        var options = BuildOptions(content: content.path, templates: Fixtures.templates.path,
                                   output: folder.url.appendingPathComponent("Preview").path, today: testToday)
        options.contentDisplay = "Content"
        let result = Pipeline.rebuild(options, session: ServeSession())
        #expect(result.outcome == .success)
        #expect(result.diagnostics.map { "\($0.location.line ?? 0) \($0.severity) \($0.message)" } == [
            "2 warning 'a0.html#welcome' was published and would break; add a redirect (see README) or run guide build --accept-removed-urls",
        ])
        #expect(try String(contentsOf: folder.url.appendingPathComponent("Preview/a0.html"), encoding: .utf8).contains(">Hello</h1>"))
        #expect(try String(contentsOf: content.appendingPathComponent("published-urls.txt"), encoding: .utf8) == before)
        #expect(check(content: content).exitCode == 1)
    }

    // Proves: a guide without a list gets one from its first build, sorted, with every page
    // and heading anchor; check and serve's rebuilds never write it; a failed build neither.
    @Test func onlyBuildWritesTheList() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([
            "Content/guide.yml": "title: T\n",
            "Content/A0-a.md": "---\nid: A0\ntitle: A\nreviewed: 2026-10-01\n---\n\n# Start\n\n## Ärger & more\n\n> [!URGENT]\n> Call.\n",
        ])
        let content = folder.url.appendingPathComponent("Content")
        let list = content.appendingPathComponent("published-urls.txt")
        _ = check(content: content)
        var options = BuildOptions(content: content.path, templates: Fixtures.templates.path,
                                   output: folder.url.appendingPathComponent("Preview").path, today: testToday)
        options.contentDisplay = "Content"
        _ = Pipeline.rebuild(options, session: ServeSession())
        #expect(!FileManager.default.fileExists(atPath: list.path))
        options.outputDirectory = folder.url.appendingPathComponent("Site")
        #expect(Pipeline.build(options).publishedURLsNote == "Wrote Content/published-urls.txt (8 addresses); commit it with the guide.")
        #expect(try String(contentsOf: list, encoding: .utf8) == """
            a0.html
            a0.html#start
            a0.html#ärger--more
            call-card.html
            glossary.html
            index.html
            print.html
            search.html

            """)
        try folder.write(["Content/A1-b.md": "---\nid: A1\ntitle: B\n---\n\n[](A9)\n"])
        #expect(Pipeline.build(options).outcome == .contentErrors)
        #expect(!(try String(contentsOf: list, encoding: .utf8)).contains("a1.html"))
    }

    // Proves: a build with --drafts writes the drafts' pages but never lists them (nor the
    // call card that only a draft fills, nor a redirect to a draft), so the next build
    // without --drafts has nothing to refuse.
    @Test func draftsAreNeverListed() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([
            "Content/guide.yml": "title: T\n",
            "Content/A0-a.md": "---\nid: A0\ntitle: A\nreviewed: 2026-10-01\n---\n\n# A\n",
            "Content/A1-b.md": "---\nid: A1\ntitle: B\ndraft: true\nformerly: [A9]\n---\n\n# B\n\n> [!URGENT]\n> Call.\n",
        ])
        let content = folder.url.appendingPathComponent("Content")
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: content, output: site, drafts: true).outcome == .success)
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("a9.html").path))
        #expect(try String(contentsOf: content.appendingPathComponent("published-urls.txt"), encoding: .utf8)
            == "a0.html\na0.html#a\nglossary.html\nindex.html\nprint.html\nsearch.html\n")
        #expect(build(content: content, output: site).diagnostics.isEmpty)
    }

    // Proves: redirects that cannot work are errors at their line, in plain words, with the
    // likely fix: an id still in use, the chapter's own id, an old id claimed twice, an
    // anchor to a heading that is not there, an anchor not written as an address, a heading
    // still there, and guide.yml redirects from a current page or to nowhere.
    @Test func redirectsThatCannotWork() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([
            "Content/guide.yml": "title: T\nredirects:\n  B1: A0\n  glossary.html: A0\n  A8: A3\n  old.html: A0#nowhere\n  sub/old.html: A0\n  a1.html: A0\n",
            "Content/A0-a.md": "---\nid: A0\ntitle: A\nreviewed: 2026-10-01\nformerly: [A0, A1, B1]\nanchors: {Old Heading: start, gone: strat, start: start}\n---\n\n# Start\n\n[](A1)\n",
            "Content/A1-b.md": "---\nid: A1\ntitle: B\nreviewed: 2026-10-01\n---\n\n# B\n\n[](A0)\n",
        ])
        #expect(lines(check(content: folder.url.appendingPathComponent("Content"))) == [
            "Content/A0-a.md:5:12: error: 'A0' is this chapter's own id, not a former one (take 'A0' out of 'formerly') [invalid-redirect]",
            "Content/A0-a.md:5:16: error: 'A1' is the id of Content/A1-b.md, so its address cannot lead here (an old id can lead to a new chapter only once no chapter has it) [invalid-redirect]",
            "Content/A0-a.md:6:11: error: 'Old Heading' is not written as a heading's address is: lower case, with '-' for spaces (did you mean 'old-heading'?) [invalid-redirect]",
            "Content/A0-a.md:6:31: error: 'strat' is not a heading of this chapter, so 'gone' cannot lead to it (did you mean 'start'?) [invalid-redirect]",
            "Content/A0-a.md:6:44: warning: 'start' is still a heading of this chapter, so its address still works (take 'start' out of 'anchors') [invalid-redirect]",
            "Content/guide.yml:3:3: error: 'B1' already leads to A0 (an old address can lead to one place only; keep one of the two) [invalid-redirect]",
            "Content/guide.yml:4:3: error: 'glossary.html' is a page of the site, so it cannot lead elsewhere [invalid-redirect]",
            "Content/guide.yml:5:3: error: 'A8' cannot lead to 'A3': there is no chapter with id 'A3' (did you mean 'A0'?) [invalid-redirect]",
            "Content/guide.yml:6:3: error: 'old.html' cannot lead to 'A0#nowhere': A0 has no heading 'nowhere' [invalid-redirect]",
            "Content/guide.yml:7:3: error: 'sub/old.html' is not an old address: write a chapter id like A7, or a page of the site's top folder like old-page.html [invalid-redirect]",
            "Content/guide.yml:8:3: error: 'a1.html' is the page of chapter A1 (Content/A1-b.md), so it cannot lead elsewhere (take 'a1.html' out of 'redirects') [invalid-redirect]",
        ])
    }

    // Proves: the fast test of a line (bytes, for the thousands of plain addresses) never
    // passes a line that the full test would refuse.
    @Test(arguments: ["a0.html", "a0.html#x", "sub/a.html", "sub//a.html", "./a.html", "../a.html", "a/./b.html", "a.htm", "#x",
                      "/a.html", "//a.html", "http://a/b.html", "a b.html", "=======", "<<<<<<< HEAD", ".html", "a..html", "é.html", "a.html#",
                      "a.html#b#c", "a.html:8", "x://y.html", "a\u{7F}.html"])
    func fastAddressTestIsSafe(line: String) {
        var text = line
        let fast = text.withUTF8 { PublishedURLList.isPlainAddress($0) }
        if fast {
            #expect(PublishedURLList.refusal(line, at: SourceLocation(file: "f")) == nil, "\(line)")
        }
    }

    // Proves: the list is sorted as String sorts its addresses, one a line, each once,
    // whether they differ in their first bytes, only after 24, by length or by a NUL, and
    // with addresses outside ASCII (sorted by their bytes).
    @Test func listIsSortedByBytes() {
        var addresses = ["a10.html", "a1.html", "a1.html#x", "a1.html", "b.html", "a.html\u{0}", "a.html", "A.html", "a1.html#section-one-two-three",
                         "a1.html#section-one-two-thre", "a1.html#section-one-two-three-four", "a1.html#section-one-two-threE", "z.html#q", "~.html"]
        for n in 0..<300 { addresses.append("c\(n % 37).html#" + String(repeating: "s", count: n % 29) + "\(n)") }
        let expected = Set(addresses).sorted().map { $0 + "\n" }.joined()
        #expect(PublishedURLList.text(addresses.shuffled()) == expected)
        #expect(PublishedURLList.sortedByBytes(addresses) == addresses.sorted())
        // Outside ASCII, by their bytes too: ties past 24 bytes, accents before and after them.
        var accented = ["sección.html", "seccion.html", "sección.html#a", "é.html", "z.html", "capítulo-1.html#sección-uno-dos-tres-cuatro",
                        "capítulo-1.html#sección-uno-dos-tres-cuatrö", "capítulo-1.html#sección-uno-dos-tres", "capítulo-1.html#sección-uno-dos-tres-cuatro-cinco"]
        for n in 0..<200 { accented.append("c\(n % 13)ñ.html#" + String(repeating: "é", count: n % 17) + "\(n)") }
        #expect(PublishedURLList.sortedByBytes(accented) == accented.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        // Outside ASCII, addresses String holds equal ("é" written as one character or as
        // "e" and an accent) are listed once, as the first was written.
        let other = ["\u{E9}.html", "e.html", "z.html", "e\u{301}.html", "\u{E9}.html"]
        #expect(Array(PublishedURLList.text(other).utf8) == Array("e.html\nz.html\n\u{E9}.html\n".utf8))
    }

    // Proves: lines of the list that cannot be addresses are errors at their line: a merge
    // conflict left in, a full URL, a leading '/'.
    @Test func listLinesThatCannotBeAddresses() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([
            "Content/guide.yml": "title: T\n",
            "Content/A0-a.md": "---\nid: A0\ntitle: A\nreviewed: 2026-10-01\n---\n\n# A\n",
            "Content/published-urls.txt": "a0.html\n<<<<<<< HEAD\nhttps://example.org/guide/a0.html#a\n=======\n/index.html\n>>>>>>> other\n",
        ])
        #expect(lines(check(content: folder.url.appendingPathComponent("Content"))) == [
            "Content/published-urls.txt:2:1: error: this line is left over from a merge conflict (delete the conflict lines and keep the addresses of both sides; guide build sorts them again) [published-urls]",
            "Content/published-urls.txt:3:1: error: 'https://example.org/guide/a0.html#a' is not an address of this site: write it as the site names it, without https:// and the server (did you mean 'a0.html#a'?) [published-urls]",
            "Content/published-urls.txt:4:1: error: this line is left over from a merge conflict (delete the conflict lines and keep the addresses of both sides; guide build sorts them again) [published-urls]",
            "Content/published-urls.txt:5:1: error: '/index.html' is not an address of this site: write it without the leading '/' (did you mean 'index.html'?) [published-urls]",
            "Content/published-urls.txt:6:1: error: this line is left over from a merge conflict (delete the conflict lines and keep the addresses of both sides; guide build sorts them again) [published-urls]",
        ])
    }

    // Proves: each address is listed once, as first written, whatever the order of the
    // lines: sorted, out of order, repeated, with spaces around, or outside ASCII where
    // String holds two spellings equal (a Kelvin sign is a K).
    @Test(arguments: [
        ("a.html\nb.html\nc.html\n", ["a.html", "b.html", "c.html"]),
        ("a.html\nb.html\na.html\nc.html\nb.html\n", ["a.html", "b.html", "c.html"]),
        ("b.html\na.html\n\nb.html\n", ["b.html", "a.html"]),
        ("a.html\na.html\n", ["a.html"]),
        ("a.html\n  b.html \nb.html\n", ["a.html", "b.html"]),
        ("K.html\n\u{212A}.html\nk.html\n", ["K.html", "k.html"]),
        ("a.html#x\na.html\na.html#x\n", ["a.html#x", "a.html"]),
        ("\u{E9}.html\ne\u{301}.html\ne.html\n", ["\u{E9}.html", "e.html"]),
    ])
    func listedAddressesAreReadOnce(text: String, expected: [String]) {
        let (list, diagnostics) = PublishedURLList.read(SourceFile(relativePath: "published-urls.txt", displayPath: "published-urls.txt", text: text))
        #expect(diagnostics.isEmpty)
        #expect(list.entries.map(\.address) == expected)
    }
}
