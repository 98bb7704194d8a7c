import Foundation

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

    /// The page at `path` for `context`: the last one, if its context was equal, else `render()`.
    func page<Context: Equatable & Sendable>(_ path: String, _ context: Context, render: () -> String) -> String {
        let known = lock.withLock { () -> Page? in
            used.insert(path)
            return pages[path]
        }
        if let known, let previous = known.context as? Context, previous == context { return known.text }
        let text = render()
        lock.withLock {
            pages[path] = Page(context: context, text: text)
            renderedPaths.append(path)
        }
        return text
    }

    /// Ends a build: pages it did not make (a chapter deleted) are forgotten.
    func finish() {
        lock.withLock { pages = pages.filter { used.contains($0.key) } }
    }
}
