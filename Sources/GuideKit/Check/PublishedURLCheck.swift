import Foundation

/// What to do about published addresses that would stop working.
public enum RemovedURLPolicy: Sendable, Equatable {
    /// Each is an error at its line of `published-urls.txt`.
    case refuse
    /// Each is a warning, and `guide build` takes it out of the list
    /// (`--accept-removed-urls`).
    case accept
    /// Each is a warning, so that a preview (`guide serve`) shows the page being edited;
    /// `check` and `build` still refuse it.
    case warn
}

/// Compares the guide with `published-urls.txt`: every address published before must still
/// lead somewhere, to its page or through a redirect. Says what the list holds after this
/// build.
public enum PublishedURLCheck {
    /// Reports each listed address that would break, and returns the addresses the list
    /// should hold now: the site's, its redirect pages', and every listed address that
    /// still leads somewhere.
    /// `writes`: the list will be written (by `build`), so the addresses are wanted even
    /// when there is no list to compare with.
    public static func run(_ guide: Guide, editions: [LanguageEdition] = [], list: PublishedURLList?, policy: RemovedURLPolicy,
                           writes: Bool = true, log: DiagnosticLog) -> [String] {
        if list == nil, !writes { return [] }
        // Each language's pages are its edition's addresses in its folder, checked against
        // its part of the list; the rest of the list is the guide's own language's.
        let folders = editions.map(\.folder)
        let own = list?.entries.filter { entry in !folders.contains { entry.address.hasPrefix($0) } }
        var kept = run(guide, folder: "", entries: own, list: list, policy: policy, log: log)
        for edition in editions {
            let entries = list?.entries.filter { $0.address.hasPrefix(edition.folder) }
            kept += run(edition.guide, folder: edition.folder, entries: entries, list: list, policy: policy, log: log)
        }
        return kept
    }

    /// One language's addresses, in `folder`, against `entries` of the list (nil: no list).
    private static func run(_ guide: Guide, folder: String, entries: [PublishedURLList.Entry]?, list: PublishedURLList?,
                            policy: RemovedURLPolicy, log: DiagnosticLog) -> [String] {
        let current = SiteAddresses.current(guide)
        let published = Dictionary(guide.chapters.filter { !$0.frontMatter.draft }.map { ($0.id.pageName, $0) }, uniquingKeysWith: { a, _ in a })
        // What is kept besides the current addresses (not a union of the two, which would
        // copy a hundred thousand addresses): a redirect to a draft (written with --drafts) is
        // not published either.
        var kept = Set(guide.redirects.pages.filter { page in
            if case let .chapter(id, _) = page.target { return published[id.pageName] != nil }
            return true
        }.map(\.path)).subtracting(current)
        func all() -> [String] {
            let addresses = Array(current) + kept
            return folder.isEmpty ? addresses : addresses.map { folder + $0 }
        }
        guard let list, let entries else { return all() }
        // Made only for a suggestion, which only a broken address needs: a large guide
        // lists a hundred thousand addresses.
        var listedSet: Set<String>?
        func listed() -> Set<String> {
            if let listedSet { return listedSet }
            let made = Set(entries.map { String($0.address.dropFirst(folder.count)) })
            listedSet = made
            return made
        }
        for entry in entries {
            let address = folder.isEmpty ? entry.address : String(entry.address.dropFirst(folder.count))
            if current.contains(address) { continue }
            let (page, fragment) = split(address)
            if leads(page: page, fragment: fragment, guide: guide, published: published, current: current) {
                kept.insert(address)
                continue
            }
            let location = list.file.location(line: entry.line, column: 1)
            let suggestion = self.suggestion(page: page, fragment: fragment, guide: guide, published: published, listed: listed())
                .map { folder.isEmpty ? $0 : $0.replacingOccurrences(of: "did you mean '", with: "did you mean '" + folder) }
            switch policy {
            case .refuse, .warn:
                log.report(Diagnostic(policy == .refuse ? .error : .warning, .publishedURLRemoved, at: location,
                                      "'\(entry.address)' was published and would break; add a redirect (see README) or run guide build --accept-removed-urls",
                                      suggestion: suggestion))
            case .accept:
                log.report(.warning(.publishedURLRemoved, at: location,
                                    "'\(entry.address)' was published and no longer works; it is taken out of the list, as --accept-removed-urls asks"))
            }
        }
        return all()
    }

    private static func split(_ address: String) -> (page: String, fragment: String?) {
        let parts = address.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        return (parts[0], parts.count > 1 ? parts[1] : nil)
    }

    /// Whether an address that is not one of the site's own still leads somewhere.
    private static func leads(page: String, fragment: String?, guide: Guide, published: [String: ResolvedChapter], current: Set<String>) -> Bool {
        guard let fragment else { return current.contains(page) || guide.redirects.page(at: page) != nil }
        if let chapter = published[page] {
            return guide.redirects.anchors[chapter.id]?[fragment] != nil
        }
        // The other pages' own anchors (the glossary's terms) are not listed, nor checked.
        if current.contains(page) { return true }
        guard let redirect = guide.redirects.page(at: page) else { return false }
        guard redirect.fromFormerID, case let .chapter(id, nil) = redirect.target, let chapter = published[id.pageName] else { return true }
        return current.contains(String(page: chapter.id.pageName, anchor: fragment)) || guide.redirects.anchors[id]?[fragment] != nil
    }

    /// The closest address the guide has now, with what to write to send readers there.
    private static func suggestion(page: String, fragment: String?, guide: Guide, published: [String: ResolvedChapter],
                                   listed: Set<String>) -> String? {
        let oldID = page.hasSuffix(".html") ? ChapterID(String(page.dropLast(5)).uppercased()) : nil
        var chapter = published[page]
        var becameID = false
        if chapter == nil, let redirect = guide.redirects.page(at: page), case let .chapter(id, nil) = redirect.target {
            chapter = published[id.pageName]
        }
        if chapter == nil, let oldID {
            chapter = renamedChapter(page, guide: guide, published: published, listed: listed)
            becameID = chapter != nil
            if chapter == nil {
                return "if \(oldID) was taken out, add 'redirects: {\(oldID): …}' to guide.yml with the id of the chapter its readers should go to"
            }
        }
        guard let chapter else { return nil }
        let formerly = becameID ? "'formerly: [\(oldID!)]'" : nil
        guard let fragment else {
            return "did you mean '\(chapter.id.pageName)'? if \(oldID!) became \(chapter.id), add \(formerly!) to the front matter of \(chapter.chapter.file.displayPath)"
        }
        let slugs = chapter.chapter.markdown.headings.map(\.slug)
        if slugs.contains(fragment) {
            // Only the page moved; its heading is there.
            return "did you mean '\(chapter.id.pageName)#\(fragment)'? add \(formerly ?? "'formerly: [\(oldID?.description ?? page)]'") to the front matter of \(chapter.chapter.file.displayPath)"
        }
        guard let heading = renamedHeading(fragment, among: slugs) else {
            return "if the heading was taken out, send its readers to another heading of \(chapter.id) with 'anchors: {\(fragment): …}' in the front matter of \(chapter.chapter.file.displayPath)"
        }
        let anchors = "'anchors: {\(fragment): \(heading)}'"
        let add = formerly.map { "\($0) and \(anchors)" } ?? anchors
        return "did you mean '\(chapter.id.pageName)#\(heading)'? add \(add) to the front matter of \(chapter.chapter.file.displayPath)"
    }

    /// The published chapter a removed page probably became: a new one (not in the list)
    /// that has most of the headings the old page had.
    private static func renamedChapter(_ page: String, guide: Guide, published: [String: ResolvedChapter], listed: Set<String>) -> ResolvedChapter? {
        let prefix = page + "#"
        let oldSlugs = Set(listed.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) })
        guard !oldSlugs.isEmpty else { return nil }
        var best: (shared: Int, chapter: ResolvedChapter)?
        for chapter in guide.chapters where !chapter.frontMatter.draft && !listed.contains(chapter.id.pageName) {
            let shared = chapter.chapter.markdown.headings.filter { oldSlugs.contains($0.slug) || oldSlugs.contains(renamedHeading($0.slug, among: oldSlugs) ?? "") }.count
            if shared > (best?.shared ?? 0) { best = (shared, chapter) }
        }
        guard let best, best.shared * 2 >= oldSlugs.count else { return nil }
        return best.chapter
    }
}
