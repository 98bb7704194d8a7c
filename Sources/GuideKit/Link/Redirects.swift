import Foundation

/// The old addresses a guide keeps working: a page at each former chapter id
/// (`formerly:`) and at each of guide.yml's `redirects`, and each chapter's renamed
/// heading anchors (`anchors:`).
public struct Redirects: Sendable, Equatable {
    /// Where a redirect page sends the reader.
    public enum Target: Sendable, Equatable {
        /// A chapter's page, or one of its headings.
        case chapter(ChapterID, heading: String?)
        /// One of the site's own pages (`glossary.html`).
        case page(String)
    }

    /// A page written at an old address that sends the reader on.
    public struct Page: Sendable, Equatable {
        /// Its path in the site (`a3.html`, `old/faq.html`).
        public var path: String
        public var target: Target
        /// A former id (`formerly:`) keeps the reader's `#heading`, which must still be a
        /// heading of the chapter; a whole page moved in guide.yml takes all its headings
        /// to its target.
        public var fromFormerID: Bool
    }

    /// Redirect pages, by path.
    public var pages: [Page] = []
    /// Each chapter's renamed heading anchors, old slug → new slug; only checked ones.
    public var anchors: [ChapterID: [String: String]] = [:]

    public init() {}

    /// The redirect page at `path`, if there is one.
    public func page(at path: String) -> Page? { pages.first { $0.path == path } }

    /// Reads `formerly:` and `anchors:` of every chapter and guide.yml's `redirects`, and
    /// reports each that cannot work. `published` are the chapters that get a page; an old
    /// address that leads to a chapter left out (a draft) gets no page.
    static func resolve(chapters: [Chapter], published: [ResolvedChapter], config: GuideConfig, log: DiagnosticLog) -> Redirects {
        var redirects = Redirects()
        let publishedByID = Dictionary(published.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let fileOfID = Dictionary(chapters.compactMap { c in c.frontMatter.id.map { ($0, c.file.displayPath) } }, uniquingKeysWith: { a, _ in a })
        // Who claimed each old page first, for a second claim's message.
        var claimedBy: [String: String] = [:]
        var pages: [String: Page] = [:]

        for chapter in chapters {
            guard let id = chapter.frontMatter.id else { continue }
            // Most chapters have no renamed headings: their slugs are not gathered.
            let slugs = chapter.frontMatter.anchors.isEmpty ? [] : Set(chapter.markdown.headings.map(\.slug))
            var moved: [String: String] = [:]
            for entry in chapter.frontMatter.anchors {
                let written = SlugGenerator.slug(entry.old)
                if written != entry.old {
                    log.report(.error(.invalidRedirect, at: entry.location,
                                      "'\(entry.old)' is not written as a heading's address is: lower case, with '-' for spaces",
                                      suggestion: "did you mean '\(written)'?"))
                    continue
                }
                if slugs.contains(entry.old) {
                    log.report(.warning(.invalidRedirect, at: entry.location,
                                        "'\(entry.old)' is still a heading of this chapter, so its address still works",
                                        suggestion: "take '\(entry.old)' out of 'anchors'"))
                    continue
                }
                guard chapter.parseFailed || slugs.contains(entry.new) else {
                    log.report(.error(.invalidRedirect, at: entry.location,
                                      "'\(entry.new)' is not a heading of this chapter, so '\(entry.old)' cannot lead to it",
                                      suggestion: renamedHeading(entry.new, among: chapter.markdown.headings.map(\.slug)).map { "did you mean '\($0)'?" }))
                    continue
                }
                moved[entry.old] = entry.new
            }
            if !moved.isEmpty { redirects.anchors[id] = moved }

            for (old, location) in chapter.frontMatter.formerly {
                if old == id {
                    log.report(.error(.invalidRedirect, at: location, "'\(old)' is this chapter's own id, not a former one",
                                      suggestion: "take '\(old)' out of 'formerly'"))
                    continue
                }
                if let other = fileOfID[old] {
                    log.report(.error(.invalidRedirect, at: location,
                                      "'\(old)' is the id of \(other), so its address cannot lead here",
                                      suggestion: "an old id can lead to a new chapter only once no chapter has it"))
                    continue
                }
                let path = old.pageName
                if let first = claimedBy[path] {
                    log.report(.error(.invalidRedirect, at: location, "'\(old)' already leads to \(first)",
                                      suggestion: "an old address can lead to one place only; keep one of the two"))
                    continue
                }
                claimedBy[path] = id.description
                if publishedByID[id] != nil {
                    pages[path] = Page(path: path, target: .chapter(id, heading: nil), fromFormerID: true)
                }
            }
        }

        let fixedPages = SiteAddresses.fixedPages(published)
        for redirect in config.redirects {
            let path: String
            if let id = ChapterID(redirect.from) {
                if let file = fileOfID[id] {
                    log.report(.error(.invalidRedirect, at: redirect.location, "'\(redirect.from)' is the id of \(file), so its address cannot lead elsewhere",
                                      suggestion: "take '\(redirect.from)' out of 'redirects'"))
                    continue
                }
                path = id.pageName
            } else if PublishedURLList.problem(redirect.from) == nil, !redirect.from.contains("#"), !redirect.from.contains("/") {
                path = redirect.from
                if let id = fileOfID.keys.first(where: { $0.pageName == path }) {
                    log.report(.error(.invalidRedirect, at: redirect.location, "'\(path)' is the page of chapter \(id) (\(fileOfID[id]!)), so it cannot lead elsewhere",
                                      suggestion: "take '\(path)' out of 'redirects'"))
                    continue
                }
                if fixedPages.contains(path) || path == "404.html" {
                    log.report(.error(.invalidRedirect, at: redirect.location, "'\(path)' is a page of the site, so it cannot lead elsewhere"))
                    continue
                }
            } else {
                log.report(.error(.invalidRedirect, at: redirect.location,
                                  "'\(redirect.from)' is not an old address: write a chapter id like A7, or a page of the site's top folder like old-page.html"))
                continue
            }
            if let first = claimedBy[path] {
                log.report(.error(.invalidRedirect, at: redirect.location, "'\(redirect.from)' already leads to \(first)",
                                  suggestion: "an old address can lead to one place only; keep one of the two"))
                continue
            }
            guard let target = target(redirect, published: publishedByID, drafts: Set(fileOfID.keys), fixedPages: fixedPages, log: log) else { continue }
            claimedBy[path] = redirect.to
            pages[path] = Page(path: path, target: target, fromFormerID: false)
        }
        redirects.pages = pages.values.sorted { $0.path < $1.path }
        return redirects
    }

    /// Where a guide.yml redirect leads, or nil (reported) when that is not in the site.
    private static func target(_ redirect: PageRedirect, published: [ChapterID: ResolvedChapter], drafts: Set<ChapterID>,
                               fixedPages: Set<String>, log: DiagnosticLog) -> Target? {
        let parts = redirect.to.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let heading = parts.count > 1 ? parts[1] : nil
        if let id = ChapterID(parts[0]) {
            guard let chapter = published[id] else {
                let message = drafts.contains(id) ? "'\(id)' is a draft, which the site leaves out" : "there is no chapter with id '\(id)'"
                log.report(.error(.invalidRedirect, at: redirect.location, "'\(redirect.from)' cannot lead to '\(redirect.to)': \(message)",
                                  suggestion: drafts.contains(id) ? nil : closestMatch(to: id.description, in: published.keys.map(\.description)).map { "did you mean '\($0)'?" }))
                return nil
            }
            if let heading, !chapter.chapter.parseFailed, !chapter.chapter.markdown.headings.contains(where: { $0.slug == heading }) {
                log.report(.error(.invalidRedirect, at: redirect.location, "'\(redirect.from)' cannot lead to '\(redirect.to)': \(id) has no heading '\(heading)'",
                                  suggestion: renamedHeading(heading, among: chapter.chapter.markdown.headings.map(\.slug)).map { "did you mean '\(id)#\($0)'?" }))
                return nil
            }
            return .chapter(id, heading: heading)
        }
        if heading == nil, fixedPages.contains(parts[0]) { return .page(parts[0]) }
        log.report(.error(.invalidRedirect, at: redirect.location,
                          "'\(redirect.from)' cannot lead to '\(redirect.to)': write a chapter id like B2 (or B2#a-heading), or one of the pages \(fixedPages.sorted().joined(separator: ", "))",
                          suggestion: closestMatch(to: redirect.to, in: fixedPages.union(published.keys.map(\.description))).map { "did you mean '\($0)'?" }))
        return nil
    }
}

/// Every address of the published site: its pages and its chapters' heading anchors.
public enum SiteAddresses {
    /// The pages every site has besides its chapters (and the call card, when it has one).
    /// The 404 page is not an address anyone links to.
    static func fixedPages(_ chapters: [ResolvedChapter]) -> Set<String> {
        fixedPages(callCard: chapters.contains(where: \.hasUrgencyBoxes))
    }

    static func fixedPages(callCard: Bool) -> Set<String> {
        var pages: Set<String> = ["index.html", "glossary.html", "search.html", "print.html"]
        if callCard { pages.insert("call-card.html") }
        return pages
    }

    /// The addresses `guide` publishes: drafts are never counted, even when `--drafts`
    /// writes their pages, and redirect pages are not addresses of their own here.
    public static func current(_ guide: Guide) -> Set<String> {
        // The chapters are read where they stand, by index: filtered into an array of their
        // own, or taken one by one from the array, each was copied whole (a reference
        // counted per field).
        let chapters = guide.chapters
        var callCard = false, count = 0
        for i in chapters.indices where !chapters[i].frontMatter.draft {
            callCard = callCard || chapters[i].hasUrgencyBoxes
            count += 1 + chapters[i].chapter.markdown.headings.count
        }
        var addresses = fixedPages(callCard: callCard)
        // Sized at once: a large guide has a hundred thousand, which growing would hash again.
        addresses.reserveCapacity(addresses.count + count)
        for i in chapters.indices where !chapters[i].frontMatter.draft {
            let page = chapters[i].id.pageName
            addresses.insert(page)
            for heading in chapters[i].chapter.markdown.headings { addresses.insert(String(page: page, anchor: heading.slug)) }
        }
        return addresses
    }
}

extension ResolvedChapter {
    /// Whether a body has "when to get help" boxes, gathered on the call card.
    static func hasUrgencyBoxes(_ body: [BodyNode]) -> Bool {
        BodyNode.contains(body) { if case let .callout(kind, _) = $0 { return kind.isUrgency } else { return false } }
    }
}

/// The heading a renamed one probably became: the one sharing most of its words (a
/// reworded heading keeps most of them, perhaps respelled), else the closest by spelling.
func renamedHeading(_ old: String, among slugs: some Sequence<String>) -> String? {
    let oldWords = old.split(separator: "-").map(String.init)
    guard !oldWords.isEmpty else { return nil }
    func same(_ a: String, _ b: String) -> Bool {
        a == b || (min(a.count, b.count) >= 4 && editDistance(a, b) <= max(1, a.count / 4))
    }
    // Ranked by the share of the old words kept, then by the share of the new words that
    // are old ones, then by spelling.
    var best: (kept: Double, old: Double, distance: Int, slug: String)?
    for slug in slugs where slug != old {
        let words = slug.split(separator: "-").map(String.init)
        let shared = oldWords.filter { word in words.contains { same(word, $0) } }.count
        let candidate = (kept: Double(shared) / Double(oldWords.count), old: Double(shared) / Double(max(1, words.count)),
                         distance: editDistance(old, slug), slug: slug)
        if let current = best, (current.kept, current.old, -current.distance) >= (candidate.kept, candidate.old, -candidate.distance) { continue }
        best = candidate
    }
    if let best, best.kept >= 0.5 { return best.slug }
    return closestMatch(to: old, in: slugs)
}
