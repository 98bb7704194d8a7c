import Foundation

/// What `guide serve` keeps of the last render, so a rebuild renders only what changed.
struct RenderCaches: Sendable {
    let pages = PageCache()
    let bodies = BodyCache()
    private let pageShapes = ShapesHolder()

    /// The page shapes compiled by earlier rebuilds, while the templates and strings are the
    /// same (the print edition, which every edit changes, keeps its shape).
    func shapes(for templates: TemplateSet, fingerprint: String) -> TemplateShapes {
        pageShapes.lock.withLock {
            if let kept = pageShapes.kept, kept.fingerprint == fingerprint { return kept.shapes }
            let shapes = TemplateShapes(templates: templates, forPartials: false)
            pageShapes.kept = (fingerprint, shapes)
            return shapes
        }
    }

    /// Starts a rebuild: what every page and body depends on besides its own inputs (the
    /// templates and strings, the glossaries, the emergency number, which chapters there are).
    /// A translation's chapters shown in the source language mark `sourceGlossary`'s terms.
    func begin(templates: TemplateSet, guide: Guide, sourceGlossary: Glossary? = nil) {
        let fingerprint = templates.fingerprint
        pages.begin(templates: fingerprint)
        bodies.begin(setting: [fingerprint, "\(guide.glossary.terms)", sourceGlossary.map { "\($0.terms)" } ?? "", guide.config.emergencyNumber ?? "",
                               guide.chapters.map(\.id.description).joined(separator: " ")].joined(separator: "\u{0}"))
    }

    private final class ShapesHolder: @unchecked Sendable {
        let lock = NSLock()
        var kept: (fingerprint: String, shapes: TemplateShapes)?
    }
}

/// The pages `guide serve` rendered last time, by path, each with the context it was rendered
/// from: a page whose context and templates have not changed is not rendered again, which is
/// most of a rebuild's time when one chapter changed. The result is the same text, so a
/// rebuild still writes what a clean build would.
final class PageCache: @unchecked Sendable {
    /// By path; the setting is the templates and strings the pages were rendered with.
    private let pages = RebuildCache<String, any Equatable & Sendable, String>(same: PageCache.equal)

    /// Pages rendered (not taken from the cache) since `begin`, by path.
    var rendered: [String] { pages.made.sorted() }

    /// Starts a build with these templates (`TemplateSet.fingerprint`).
    func begin(templates fingerprint: String) { pages.begin(setting: fingerprint) }

    /// The page at `path` for `context`: the last one, if its context was equal (then
    /// `kept`), else `render()`.
    func page<Context: Equatable & Sendable>(_ path: String, _ context: Context, render: () -> String) -> (text: String, kept: Bool) {
        let page = pages.value(path, inputs: context, make: render)
        return (page.value, page.kept)
    }

    /// Forgets every page (after a build whose files may not all have been written).
    func clear() { pages.clear() }

    /// Ends a build: pages it did not make (a chapter deleted) are forgotten.
    func finish() { pages.finish() }

    /// Two contexts of the same type that are equal.
    private static func equal(_ a: any Equatable & Sendable, _ b: any Equatable & Sendable) -> Bool {
        func same<Context: Equatable>(_ a: Context) -> Bool { (b as? Context) == a }
        return same(a)
    }
}

/// Chapter bodies `guide serve` rendered last time, by use (chapter page, print edition,
/// call card) and chapter, each with everything its HTML is made from: what was parsed and
/// where its links lead. A chapter that another chapter's edit left alone is not rendered
/// again. Anything else a body depends on (templates, strings, glossary, emergency number,
/// which chapters are printed) is the `setting`; a change of it empties the cache.
final class BodyCache: @unchecked Sendable {
    private struct Key: Hashable {
        var use: String
        var chapter: ChapterID
    }
    private struct Inputs: Equatable {
        var body: [BodyNode]
        var headings: [ParsedMarkdown.Heading]
        var written: [ParsedMarkdown.Link]
        var links: [ResolvedLink]

        init(_ chapter: ResolvedChapter) {
            body = chapter.chapter.markdown.body
            headings = chapter.chapter.markdown.headings
            written = chapter.chapter.markdown.links
            links = chapter.links
        }
    }
    private let bodies = RebuildCache<Key, Inputs, any Sendable>()

    func begin(setting: String) { bodies.begin(setting: setting) }

    /// `chapter`'s body for `use`: the last one, if made from equal inputs, else `make()`.
    func body<Value: Sendable>(_ use: String, _ chapter: ResolvedChapter, make: () -> Value) -> Value {
        let body = bodies.value(Key(use: use, chapter: chapter.id), inputs: Inputs(chapter)) { make() }.value
        // A use always makes values of one type.
        return body as? Value ?? make()
    }

    func finish() { bodies.finish() }
}
