import Foundation
import Testing
@testable import GuideKit

/// The link stage: every reference form of the contract, resolved or reported.
@Suite struct LinkResolutionTests {
    // Proves: a destination is sorted by what it starts with and cut at its first `#` and
    // `?`; percent escapes are decoded in file paths (a malformed one is kept as written).
    @Test func destinationsAreClassified() {
        #expect(LinkTarget("A1") == .chapter(id: "A1", anchor: nil))
        #expect(LinkTarget(" A1#what-next ") == .chapter(id: "A1", anchor: "what-next"))
        #expect(LinkTarget("#top") == .sameChapter(anchor: "top"))
        #expect(LinkTarget("B2-side%20effects.md#a#b") == .chapterFile(path: "B2-side effects.md", anchor: "a#b"))
        #expect(LinkTarget("A1-start.MD") == .chapterFile(path: "A1-start.MD", anchor: nil))
        #expect(LinkTarget("assets/leaflet%20v2.pdf?download=1#page=2") == .file(path: "assets/leaflet v2.pdf", fragment: "page=2"))
        #expect(LinkTarget("assets/100%.svg") == .file(path: "assets/100%.svg", fragment: nil))
        #expect(LinkTarget("assets/día.svg") == .file(path: "assets/día.svg", fragment: nil))
        #expect(LinkTarget("HTTPS://example.org/a#b") == .external(url: "HTTPS://example.org/a#b"))
        #expect(LinkTarget("tel:+4412345") == .external(url: "tel:+4412345"))
        #expect(LinkTarget("//example.org") == .external(url: "https://example.org"))
        #expect(LinkTarget("JavaScript:alert(1)") == .unsafeScheme(scheme: "JavaScript"))
        #expect(LinkTarget("c++:x") == .unsafeScheme(scheme: "c++"))
        #expect(LinkTarget("a/b:c") == .file(path: "a/b:c", fragment: nil))
        #expect(LinkTarget("1a:b") == .file(path: "1a:b", fragment: nil))
        #expect(LinkTarget("é:b") == .file(path: "é:b", fragment: nil))
        #expect(LinkTarget("   ") == .empty)
    }

    // Proves: a link's address on a page: a chapter's page, with its heading; a file's path
    // with each part percent-encoded and empty parts left out (after a translation's "../").
    @Test(arguments: [
        (LinkDestination.file("assets/x.png", fragment: nil), "", "assets/x.png"),
        (.file("assets/leaflet v2.pdf", fragment: "page=2"), "", "assets/leaflet%20v2.pdf#page=2"),
        (.file("assets//x.png", fragment: nil), "", "assets/x.png"),
        (.file("assets/x.png/", fragment: nil), "", "assets/x.png"),
        (.file("assets/x.png", fragment: nil), "../", "../assets/x.png"),
        (.file("d\u{ED}a/\u{F1}.png", fragment: "a"), "", "d%C3%ADa/%C3%B1.png#a"),
        (.chapter(ChapterID("B3")!, heading: "side-effects"), "", "b3.html#side-effects"),
        (.chapter(ChapterID("B3")!, heading: nil), "", "b3.html"),
    ])
    func linkAddressesOnAPage(destination: LinkDestination, filesRoot: String, expected: String) {
        var policy = URLPolicy.site
        policy.filesRoot = filesRoot
        #expect(policy.href(destination, in: ChapterID("A0")!) == expected)
    }

    // Proves: a path taken as it is, as its own normal form, is what cutting it into parts
    // and joining them again makes of it; a path with a `.` or `..` part, an empty part, a
    // slash first or last, or a letter outside ASCII, is cut.
    @Test(arguments: ["x.png", "assets/x.png", "a/b/c.pdf", ".x", "x.", "a/.b/c", "...", "a/.../b",
                      ".", "..", "a/./b", "a/../b", "../a", "a//b", "/a", "a/", "", "día.svg", "a/\u{301}b"])
    func plainPathsAreTheirOwnNormalForm(path: String) {
        let plain = LinkResolver.Context.isPlainRelative(path)
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        let expected = !path.isEmpty && path.allSatisfy(\.isASCII) && !parts.contains { $0.isEmpty || $0 == "." || $0 == ".." }
        #expect(plain == expected)
        if plain { #expect(LinkResolver.Context.normalized(path, relativeTo: "A0-start.md") == path) }
    }

    // Proves: a destination read from its bytes (ASCII, nothing to trim, no scheme, nothing
    // escaped) is what reading it as a string makes of it, and any other is left to that.
    @Test(arguments: ["A1", "A1#what-next", "#top", "B2-side-effects.md#a#b", "A1-start.MD", "a.Md", ".md", "md",
                      "assets/leaflet.pdf?download=1#page=2", "assets/a?b", "?x#y", "A", "1", "A1B", "AB12#", "a1", "A1/",
                      "A1.md", "#", "x#", "/A1", "../A1-x.md", "assets//a.png", "A1 ", " A1", "\tA1", "A1\t", "//x.org",
                      "HTTPS://example.org/a#b", "tel:+44", "a/b:c", "assets/100%.svg", "assets/día.svg", "", "   "])
    func linkTargetFromBytesIsTheSame(destination: String) {
        var bytes = destination
        let plain = bytes.withUTF8(LinkTarget.plain)
        let read = LinkTarget(reading: destination)
        if let plain { #expect(plain == read) }
        let isPlain = !destination.isEmpty && destination.allSatisfy(\.isASCII) && destination.trimmingSpaces() == destination
            && !destination.contains(":") && !destination.contains("%") && !destination.hasPrefix("//")
        #expect((plain != nil) == isPlain)
        #expect(LinkTarget(destination) == read)
    }

    // Proves: a chapter file's `.md` and a path's parts are read from bytes exactly as the
    // case-mapped, character-by-character reading has them, for ASCII paths and others
    // (a combining mark after a slash or a letter, a prepended mark before the dot).
    @Test func pathsAreReadAsCharactersSayThem() {
        for path in ["a.md", "a.Md", "A.MD", ".md", "md", "a.mdx", "a.m", "amd", "día.md", "a.md\u{301}", "\u{600}.md", "é.MD", "x/y.md"] {
            #expect(LinkTarget.endsWithMarkdownExtension(path) == path.lowercased().hasSuffix(".md"), "\(path.debugDescription)")
        }
        for path in ["a/b", "/a//b/", "", "/", "a", "../x/./y", "día/b", "a/\u{301}b/c", "é//", "x/y/z.png"] {
            #expect(path.slashSeparatedParts == path.split(separator: "/"), "\(path.debugDescription)")
        }
    }

    // Proves: each link form becomes the right relative link, and empty text becomes "ID: Title".
    @Test func everyFormResolves() throws {
        let result = check(content: Fixtures.content("basic"))
        #expect(result.outcome == .success)
        let guide = try #require(result.guide)
        let a0 = try #require(guide.chapters.first { $0.id.description == "A0" })
        func leadsTo(_ chapter: ResolvedChapter, _ text: String) -> ResolvedLink? {
            chapter.chapter.markdown.links.firstIndex { $0.text == text }.map { chapter.links[$0] }
        }
        let b1 = ChapterID("B1")!, a2 = ChapterID("A2")!
        #expect(leadsTo(a0, "the next chapter") == ResolvedLink(destination: .chapter(a2, heading: nil), fillText: nil))
        #expect(leadsTo(a0, "") == ResolvedLink(destination: .chapter(b1, heading: nil), fillText: "B1: Deeper"))
        #expect(leadsTo(a0, "a heading") == ResolvedLink(destination: .chapter(b1, heading: "armored-cars"), fillText: nil))
        #expect(leadsTo(a0, "see below") == ResolvedLink(destination: .heading("frequently-asked-questions"), fillText: nil))
        #expect(leadsTo(a0, "file link") == ResolvedLink(destination: .chapter(a2, heading: nil), fillText: nil))
        #expect(leadsTo(a0, "with anchor") == ResolvedLink(destination: .chapter(b1, heading: "armored-cars"), fillText: nil))
        #expect(leadsTo(a0, "A diagram of the steps") == ResolvedLink(destination: .file("assets/diagram.svg", fragment: nil), fillText: nil))
        #expect(leadsTo(a0, "download") == ResolvedLink(destination: .file("assets/docs/leaflet v2.txt", fragment: nil), fillText: nil))
        #expect(leadsTo(a0, "an outside page") == ResolvedLink(destination: .external("https://example.com/page?a=1&b=2"), fillText: nil))
        let a10 = try #require(guide.chapters.first { $0.id.description == "A10" })
        #expect(leadsTo(a10, "") == ResolvedLink(destination: .chapter(ChapterID("A0")!, heading: nil), fillText: "A0: Start <here> & \"now\""))
        // How each is written on the page is the golden pages' part (GoldenPageTests).
    }

    // Proves: every broken reference is reported at its `[` or `!` with the rule and a suggestion.
    @Test func brokenReferencesAreReported() {
        let result = check(content: Fixtures.content("broken-links"))
        #expect(result.outcome == .contentErrors)
        #expect(result.diagnostics.filter { $0.severity == .error }.map { DiagnosticFormatter.line($0) } == [
            "Content/A0-links.md:4:1: error: no chapter with id 'B9' (did you mean 'B3'?) [broken-chapter-link]",
            "Content/A0-links.md:9:18: error: no chapter with id 'B9' (did you mean 'B3'?) [broken-chapter-link]",
            "Content/A0-links.md:10:18: error: chapter B3 has no heading '#armord-cars' (did you mean 'armored-cars'?) [broken-anchor]",
            "Content/A0-links.md:10:42: error: this chapter has no heading '#no-such' [broken-anchor]",
            "Content/A0-links.md:11:15: error: no chapter file 'A1-missing.md' [broken-file-link]",
            "Content/A0-links.md:11:38: error: image 'assets/missing.png' does not exist under the content folder [missing-asset]",
            "Content/A0-links.md:12:28: error: '../../secret.txt' leads outside the content folder; keep linked files inside it [path-outside-content]",
            "Content/A0-links.md:13:13: error: chapter B4 is a draft, so this link would break on the published site (remove the link, or publish B4 by setting 'draft: false') [link-to-draft]",
            "Content/A0-links.md:14:8: error: the link has no destination: write what it points to between the ( ) [empty-link-destination]",
            "Content/A0-links.md:14:18: error: 'javascript:' links are not allowed; use http, https, mailto or tel [unsafe-link-scheme]",
            "Content/A0-same-id.md:2:1: error: the id 'A0' is already used by Content/A0-links.md (give this chapter an id of its own) [duplicate-id]",
        ])
    }

    // Proves: with drafts included, a link to a draft is fine.
    @Test func draftLinksAllowedWithDrafts() {
        let result = check(content: Fixtures.content("broken-links"), drafts: true)
        #expect(!result.diagnostics.contains { $0.rule == .linkToDraft })
    }

    // Proves: a symbolic link that leads out of the content folder is refused.
    @Test func symlinkOutOfContent() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([
            "secret.txt": "secret",
            "Content/guide.yml": "title: T\n",
            "Content/A0.md": "---\nid: A0\ntitle: T\n---\n\n[x](assets/secret.txt)\n",
        ])
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("Content/assets"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.url.appendingPathComponent("Content/assets/secret.txt").path,
                                                   withDestinationPath: folder.url.appendingPathComponent("secret.txt").path)
        let result = check(content: folder.url.appendingPathComponent("Content"))
        #expect(compact(result.diagnostics) == ["Content/A0.md:1:1 warning review-missing", "Content/A0.md:6:1 error path-outside-content"])
    }

    // Proves: a chapter in a subfolder links relative to its folder, or from the content folder
    // when the path is not in its folder (so `assets/…` works from anywhere).
    @Test func chaptersInSubfolders() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([
            "Content/guide.yml": "title: T\n",
            "Content/assets/a.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "Content/A0.md": "---\nid: A0\ntitle: T\nreviewed: 2026-11-01\n---\n\n[b](part/B1.md)\n",
            "Content/part/B1.md": "---\nid: B1\ntitle: B\nreviewed: 2026-11-01\n---\n\n![A](assets/a.svg) [a](A0.md) [up](../A0.md) [x](assets/none.svg)\n",
        ])
        let result = check(content: folder.url.appendingPathComponent("Content"))
        #expect(compact(result.diagnostics) == ["Content/part/B1.md:7:46 error missing-asset"])
    }
}

