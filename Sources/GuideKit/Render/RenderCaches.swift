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
            let shapes = TemplateShapes(templates: templates, compileAtFirstUse: false)
            pageShapes.kept = (fingerprint, shapes)
            return shapes
        }
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
    private struct Page {
        var context: any Equatable & Sendable
        var text: String
    }
    private let lock = NSLock()
    /// The templates and strings the pages were rendered with; any change empties the cache.
    private var templates = ""
    private var pages: [String: Page] = [:]
    private var used: Set<String> = []
    /// Pages rendered (not taken from the cache) since `begin`, by path.
    private var renderedPaths: [String] = []
    var rendered: [String] { lock.withLock { renderedPaths.sorted() } }

    /// Starts a build with these templates (`TemplateSet.fingerprint`).
    func begin(templates fingerprint: String) {
        lock.withLock {
            if fingerprint != templates {
                pages = [:]
                templates = fingerprint
            }
            used = []
            renderedPaths = []
        }
    }

    /// The page at `path` for `context`: the last one, if its context was equal (then
    /// `kept`), else `render()`.
    func page<Context: Equatable & Sendable>(_ path: String, _ context: Context, render: () -> String) -> (text: String, kept: Bool) {
        let known = lock.withLock { () -> Page? in
            used.insert(path)
            return pages[path]
        }
        if let known, let previous = known.context as? Context, previous == context { return (known.text, true) }
        let text = render()
        lock.withLock {
            pages[path] = Page(context: context, text: text)
            renderedPaths.append(path)
        }
        return (text, false)
    }

    /// Forgets every page (after a build whose files may not all have been written).
    func clear() {
        lock.withLock { pages = [:] }
    }

    /// Ends a build: pages it did not make (a chapter deleted) are forgotten.
    func finish() {
        lock.withLock { pages = pages.filter { used.contains($0.key) } }
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
    private struct Entry {
        var inputs: Inputs
        var value: any Sendable
    }
    private let lock = NSLock()
    private var setting = ""
    private var entries: [Key: Entry] = [:]
    private var used: Set<Key> = []

    func begin(setting: String) {
        lock.withLock {
            if setting != self.setting {
                entries = [:]
                self.setting = setting
            }
            used = []
        }
    }

    /// `chapter`'s body for `use`: the last one, if made from equal inputs, else `make()`.
    func body<Value: Sendable>(_ use: String, _ chapter: ResolvedChapter, make: () -> Value) -> Value {
        let key = Key(use: use, chapter: chapter.id)
        let inputs = Inputs(chapter)
        let known = lock.withLock { () -> Entry? in
            used.insert(key)
            return entries[key]
        }
        if let known, known.inputs == inputs, let value = known.value as? Value { return value }
        let value = make()
        lock.withLock { entries[key] = Entry(inputs: inputs, value: value) }
        return value
    }

    func finish() {
        lock.withLock { entries = entries.filter { used.contains($0.key) } }
    }
}
