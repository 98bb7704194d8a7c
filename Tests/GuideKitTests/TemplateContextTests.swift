import Foundation
import Testing
@testable import GuideKit

/// swift-mustache renders a missing key as nothing, silently. These tests make sure every
/// name a shipped template uses is a stored property of the value that template gets.
@Suite struct TemplateContextTests {
    /// The names used in `{{name}}`, `{{{name}}}`, `{{#name}}` and `{{^name}}` tags.
    func names(in template: String) throws -> Set<String> {
        let text = try String(contentsOf: Fixtures.templates.appendingPathComponent(template), encoding: .utf8)
        let regex = try NSRegularExpression(pattern: "\\{\\{\\{?[#^]?\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*\\}?\\}\\}")
        let range = NSRange(text.startIndex..., in: text)
        return Set(regex.matches(in: text, range: range).map { String(text[Range($0.range(at: 1), in: text)!]) })
    }

    /// Every property path reachable from a value by Mirror, including inside arrays and optionals.
    func paths(_ value: Any, prefix: String = "") -> Set<String> {
        var result: Set<String> = []
        var mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional, let child = mirror.children.first { mirror = Mirror(reflecting: child.value) }
        for child in mirror.children {
            guard let label = child.label else { continue }
            result.insert(prefix + label)
            result.insert(label)
            var inner = child.value
            let innerMirror = Mirror(reflecting: inner)
            if innerMirror.displayStyle == .collection, let first = innerMirror.children.first { inner = first.value }
            result.formUnion(paths(inner, prefix: prefix + label + "."))
        }
        return result
    }

    func sample() throws -> (Guide, [String: Any]) {
        let guide = try #require(check(content: Fixtures.content("basic")).guide)
        let site = SiteContext(title: "T", language: "en", hasGlossary: true)
        var page = PageMeta(title: "T", description: "D", canonical: "https://x/")
        page.languages = [LanguageLink(id: "en", name: "English", href: "a0.html", current: true)]
        page.alternates = page.languages
        let link = ChapterLinkContext(href: "a0.html", id: "A0", title: "T", summary: "S", titleLanguage: "en", languageNote: "in English")
        let contexts: [String: Any] = [
            "index.mustache": HomeContext(site: site, page: page, start: link,
                                          tracks: [.init(id: "A", anchor: "track-a", title: "T", chapters: [link])]),
            "chapter.mustache": ChapterContext(site: site, page: page, id: "A0", title: "T", summary: "S", html: "", hasOwnHeading: false,
                                               trackTitle: "T", trackAnchor: "track-a", positionInTrack: 1, chaptersInTrack: 1, chapterPlace: "chapter 1 of 1", hasUrgencyBoxes: true,
                                               ownHeading: "<h1>T</h1>", sections: [SectionLink(anchor: "a", title: "A")], hasContents: true,
                                               reviewed: "2026-01-01", reviewedLong: "1 January 2026", nextReviewLong: "1 January 2027",
                                               reviewer: "R", isDraft: false, previous: link, next: link, related: [link], hasRelated: true,
                                               structuredData: ["{}"], contentLanguage: "en",
                                               notice: TranslationNotice(text: "T", linkText: "L", href: "a0.html")),
            "glossary.mustache": GlossaryContext(site: site, page: page, terms: [.init(anchor: "a", term: "T", abbr: "A", aliases: "x", definition: "D")]),
            "search.mustache": PlainPageContext(site: site, page: page),
            "print.mustache": PrintContext(site: site, page: page, chapters: [.init(id: "A0", anchor: "a0", title: "T", trackTitle: "T", html: "",
                                                                              hasOwnHeading: true, reviewedLong: "1 January 2026", reviewer: "R")],
                                           terms: [.init(anchor: "a", term: "T", abbr: "A", aliases: "x", definition: "D")], hasTerms: true),
            "404.mustache": PlainPageContext(site: site, page: page),
            "sitemap.xml.mustache": SitemapContext(urls: [.init(loc: "https://x/", lastmod: "2026-01-01")]),
        ]
        return (guide, contexts)
    }

    // Proves: no template uses a name its context does not have.
    @Test(arguments: ["index.mustache", "chapter.mustache", "glossary.mustache", "search.mustache", "404.mustache", "print.mustache", "sitemap.xml.mustache"])
    func everyNameExists(template: String) throws {
        let (_, contexts) = try sample()
        let context = try #require(contexts[template])
        // Every page also has the strings of the shipped strings file.
        let strings = try String(contentsOf: Fixtures.templates.appendingPathComponent("strings/en.yml"), encoding: .utf8)
        let keys = strings.split(separator: "\n").filter { !$0.hasPrefix("#") && $0.contains(":") }.map { "strings." + $0.prefix { $0 != ":" } }
        let known = paths(context).union(keys)
        // The layout and partials are rendered with each page's context.
        let used = try names(in: template).union(template.hasPrefix("sitemap") ? [] : names(in: "layout.mustache"))
            .union(template.hasPrefix("sitemap") ? [] : names(in: "partials/search-box.mustache"))
        let unknown = used.filter { !known.contains($0) }
        #expect(unknown.isEmpty, "\(template) uses \(unknown.sorted()), which its context does not have")
    }
}
