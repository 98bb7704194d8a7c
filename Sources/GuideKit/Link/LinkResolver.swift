import Foundation

/// The link stage: resolves every cross-reference against the whole guide, reports the
/// broken ones, and says where each link leads.
public enum LinkResolver {
    /// Resolves the links of `chapters` (the series) and of `unlisted` chapters, which are
    /// checked but get no page.
    public static func resolve(_ chapters: [Chapter], unlisted: [Chapter] = [], source: GuideSource, includeDrafts: Bool,
                               log: DiagnosticLog) -> Guide {
        resolve(chapters, unlisted: unlisted, source: source, includeDrafts: includeDrafts, log: log, cache: nil)
    }

    /// With a `cache` (serve), a chapter whose text is unchanged keeps its links as resolved
    /// last time, while nothing a link can lead to has changed.
    static func resolve(_ chapters: [Chapter], unlisted: [Chapter], source: GuideSource, includeDrafts: Bool,
                        log: DiagnosticLog, cache: LinkCache?) -> Guide {
        // Chapters set aside (broken front matter, a repeated id) still count as existing, so
        // links to them are not reported a second time; the series' own come first.
        let byID = Dictionary((chapters + unlisted).compactMap { c in c.frontMatter.id.map { ($0.description, c) } },
                              uniquingKeysWith: { a, _ in a })
        let byPath = Dictionary((chapters + unlisted).map { ($0.file.relativePath, $0) }, uniquingKeysWith: { a, _ in a })
        let formerIDs = Self.formerIDs(chapters + unlisted)
        let context = Context(byID: byID, byPath: byPath, source: source, includeDrafts: includeDrafts,
                              realContentRoot: source.contentDirectory.resolvingSymlinksInPath().standardizedFileURL.path,
                              formerIDs: formerIDs)

        cache?.begin(targets: LinkCache.targets(chapters + unlisted, source: source, includeDrafts: includeDrafts,
                                                root: context.realContentRoot))
        let results = parallelMap(chapters + unlisted) { chapter in
            cache?.result(chapter) { context.resolve(chapter) } ?? context.resolve(chapter)
        }
        cache?.finish()
        let refusedLinked = results.reduce(into: Set<String>()) { $0.formUnion($1.refused) }
        // A refused file no chapter links to is reported at the file itself.
        for (relative, problem) in source.refusedFiles.sorted(by: { $0.key < $1.key })
            where !ContentLoader.isChapterPath(relative) && !refusedLinked.contains(relative) {
            log.report(problem.diagnostic(source.display(relative)))
        }
        var linkedFiles: Set<String> = []
        var resolved: [ResolvedChapter] = []
        log.report(results.dropFirst(chapters.count).flatMap(\.diagnostics))
        var unlistedResolved: [ResolvedChapter] = []
        for (chapter, result) in zip(unlisted, results.dropFirst(chapters.count)) {
            unlistedResolved.append(ResolvedChapter(chapter: chapter, links: result.links, related: result.related,
                                                    linkedChapters: result.linkedChapters, externalLinks: result.externalLinks,
                                                    hasUrgencyBoxes: result.hasUrgencyBoxes))
        }
        var draftsLeftOut: [ChapterID] = []
        for (chapter, result) in zip(chapters, results) {
            log.report(result.diagnostics)
            guard includeDrafts || !chapter.frontMatter.draft else {
                draftsLeftOut.append(chapter.id)
                continue
            }
            linkedFiles.formUnion(result.files)
            resolved.append(ResolvedChapter(chapter: chapter, links: result.links, related: result.related,
                                            linkedChapters: result.linkedChapters, externalLinks: result.externalLinks,
                                            hasUrgencyBoxes: result.hasUrgencyBoxes))
        }

        let config = source.config
        var tracks = config.tracks
        if !config.declaresTracks {
            tracks = Set(resolved.map(\.id.track)).sorted().map { GuideConfig.Track(id: $0, title: "Track \($0)", location: nil) }
        }
        // Each chapter's id read once, and its place sorted, not the chapter: sorting the
        // chapters moved whole values and read both ids again at every comparison.
        let ids = resolved.map(\.id)
        let grouped = tracks.map { track in
            (track: track, chapters: resolved.indices.filter { ids[$0].track == track.id }.sorted { ids[$0] < ids[$1] }.map { resolved[$0] })
        }.filter { !$0.chapters.isEmpty }
        if let logo = source.config.logo {
            if source.otherFiles.contains(logo.path) {
                linkedFiles.insert(logo.path)
            } else {
                log.report(.error(.missingAsset, at: logo.location, "the logo '\(logo.path)' does not exist under the content folder",
                                  suggestion: closestMatch(to: logo.path, in: source.otherFiles).map { "did you mean '\($0)'?" }))
            }
        }
        let files = source.otherFiles.filter { $0.hasPrefix("assets/") }.union(linkedFiles).sorted()
        let published = grouped.flatMap(\.chapters)
        let redirects = Redirects.resolve(chapters: chapters + unlisted, published: published, config: config, log: log)
        return Guide(config: config, glossary: source.glossary, chapters: published,
                     tracks: grouped, files: files, unlistedChapters: unlistedResolved, draftsLeftOut: draftsLeftOut.sorted(),
                     redirects: redirects)
    }

    /// The chapter each former id (`formerly:`) now is, by id; the first chapter to claim one keeps it.
    static func formerIDs(_ chapters: [Chapter]) -> [String: String] {
        var formerIDs: [String: String] = [:]
        for chapter in chapters {
            for old in chapter.frontMatter.formerly where formerIDs[old.id.description] == nil {
                formerIDs[old.id.description] = chapter.frontMatter.id?.description
            }
        }
        return formerIDs
    }

    struct Result: Sendable {
        var links: [ResolvedLink]
        var related: [ChapterID]
        var files: Set<String>
        var linkedChapters: Set<ChapterID>
        var externalLinks: [ExternalLink]
        var diagnostics: [Diagnostic]
        /// Refused files that this chapter links to.
        var refused: Set<String>
        /// Whether its body has "when to get help" boxes (`ResolvedChapter.hasUrgencyBoxes`).
        var hasUrgencyBoxes: Bool
    }

    /// What every chapter's resolution needs to know about the guide.
    struct Context: Sendable {
        let byID: [String: Chapter]
        let byPath: [String: Chapter]
        let source: GuideSource
        let includeDrafts: Bool
        let realContentRoot: String
        /// The chapter that each former id (`formerly:`) now is.
        let formerIDs: [String: String]
        /// Other names of headings, by chapter id: a translated heading's own slug, which
        /// leads to the anchor it shares with its source heading.
        var anchorAliases: [String: [String: String]] = [:]
        /// The content files (not chapters) that no symbolic link takes outside the content
        /// folder: asked of the disk once per file, not once per link to it.
        let filesInsideContent: Set<String>

        init(byID: [String: Chapter], byPath: [String: Chapter], source: GuideSource, includeDrafts: Bool, realContentRoot: String,
             formerIDs: [String: String]) {
            (self.byID, self.byPath, self.source, self.includeDrafts) = (byID, byPath, source, includeDrafts)
            (self.realContentRoot, self.formerIDs) = (realContentRoot, formerIDs)
            filesInsideContent = source.otherFiles.filter { relative in
                let real = source.contentDirectory.appendingPathComponent(relative).resolvingSymlinksInPath().standardizedFileURL.path
                return real.hasPrefix(realContentRoot + "/")
            }
        }

        /// The anchor `anchor` names in `chapter`: a heading's slug, or an alias of one.
        func heading(_ anchor: String, in chapter: Chapter) -> ParsedMarkdown.Heading? {
            let headings = chapter.markdown.headings
            if let heading = headings.first(where: { $0.slug == anchor }) { return heading }
            guard let aliases = chapter.frontMatter.id.flatMap({ anchorAliases[$0.description] }),
                  let slug = aliases[anchor] ?? Self.unaccented(anchor, in: aliases) else { return nil }
            return headings.first { $0.slug == slug }
        }

        /// Slugs keep accents ("cuándo-llamar"): an alias typed without them names it too.
        static func unaccented(_ anchor: String, in aliases: [String: String]) -> String? {
            let folded = SearchText.fold(anchor)
            return aliases.keys.sorted().first { SearchText.fold($0) == folded }.flatMap { aliases[$0] }
        }

        /// The heading an unknown anchor probably means in `chapter`, by its slug or an alias.
        func closestHeading(to anchor: String, in chapter: Chapter) -> String? {
            var headings = chapter.markdown.headings
            if let aliases = chapter.frontMatter.id.flatMap({ anchorAliases[$0.description] }) {
                // The translated words' slugs come first: a translator types those.
                let own = aliases.keys.sorted().compactMap { alias in
                    headings.first { $0.slug == aliases[alias] }.map { ParsedMarkdown.Heading(level: $0.level, text: $0.text, slug: alias, position: $0.position) }
                }
                headings = own + headings
            }
            return closestHeading(to: anchor, in: headings)
        }

        /// The id a missing one probably means: the chapter it became, else the closest by spelling.
        func closestID(to id: String) -> String? {
            formerIDs[id.uppercased()] ?? closestMatch(to: id, in: byID.keys)
        }

        func resolve(_ chapter: Chapter) -> Result {
            var diagnostics: [Diagnostic] = []
            var links: [ResolvedLink] = []
            var files: Set<String> = []
            var linkedChapters: Set<ChapterID> = []
            var externalLinks: [ExternalLink] = []
            var refused: Set<String> = []
            for link in chapter.markdown.links {
                let location = chapter.file.location(link.position)
                if link.kind == .image, link.text.trimmingSpaces().isEmpty {
                    diagnostics.append(.warning(.missingAltText, at: location,
                                                "the image has no alt text; describe what it shows between the [ ] for readers who cannot see it"))
                }
                switch resolve(link, in: chapter) {
                case let .success(resolved):
                    links.append(ResolvedLink(destination: resolved.destination, fillText: resolved.emptyText))
                    if let file = resolved.file { files.insert(file) }
                    if let target = resolved.chapter, target != chapter.frontMatter.id { linkedChapters.insert(target) }
                    if case let .external(url) = resolved.destination, url.hasPrefix("http://") || url.hasPrefix("https://") {
                        externalLinks.append(ExternalLink(url: url, location: location))
                    }
                    if link.kind == .link, link.text.isEmpty, resolved.chapter == nil, !resolved.isHeading {
                        diagnostics.append(.warning(.emptyLinkText, at: location,
                                                    "the link has no text; only chapter links fill it in (as 'ID: Title'), so write the words to show between the [ ]"))
                    }
                case let .failure(problem):
                    if case let .refused(path, _) = problem, let relative = locate(path, from: chapter, among: source.otherFiles) {
                        refused.insert(relative)
                    }
                    // A wrong heading still reaches its chapter: no "unreachable" on top.
                    if let target = intendedChapter(of: link, problem: problem, in: chapter), target != chapter.frontMatter.id {
                        linkedChapters.insert(target)
                    }
                    links.append(ResolvedLink(destination: .nowhere, fillText: nil))
                    diagnostics.append(problem.diagnostic(at: location))
                }
            }
            var related: [ChapterID] = []
            for (id, location) in chapter.frontMatter.related {
                guard let target = byID[id] else {
                    diagnostics.append(Problem.noChapter(id, closestID(to: id)).diagnostic(at: location))
                    continue
                }
                if isDraftLink(from: chapter, to: target) {
                    diagnostics.append(Problem.draft(id).diagnostic(at: location))
                    continue
                }
                related.append(target.id)
            }
            return Result(links: links, related: related, files: files, linkedChapters: linkedChapters,
                          externalLinks: externalLinks, diagnostics: diagnostics, refused: refused,
                          hasUrgencyBoxes: ResolvedChapter.hasUrgencyBoxes(chapter.markdown.body))
        }

        struct Resolved {
            var destination: LinkDestination
            /// The text for a link written with empty text, `[](A0)`.
            var emptyText: String?
            var file: String?
            /// The chapter linked to, if any.
            var chapter: ChapterID?
            /// A heading of the same chapter, whose text fills an empty link.
            var isHeading = false
        }

        func resolve(_ link: ParsedMarkdown.Link, in chapter: Chapter) -> Swift.Result<Resolved, Problem> {
            let emptyText = link.kind == .link && link.text.isEmpty
            switch LinkTarget(link.destination) {
            case .empty:
                return .failure(.emptyDestination)
            case let .unsafeScheme(scheme):
                return .failure(.unsafeScheme(scheme))
            case let .external(url):
                return .success(Resolved(destination: .external(url), emptyText: emptyText ? url : nil))
            case let .sameChapter(anchor):
                guard let heading = heading(anchor, in: chapter) else {
                    return .failure(.noAnchor(anchor, chapter: nil, closestHeading(to: anchor, in: chapter)))
                }
                return .success(Resolved(destination: .heading(heading.slug), emptyText: emptyText ? heading.text : nil, isHeading: true))
            case let .chapter(id, anchor):
                guard let target = byID[id] else {
                    return .failure(.noChapter(id, closestID(to: id)))
                }
                guard target.frontMatter.id != nil else { return .success(Resolved(destination: .nowhere)) }
                return chapterLink(to: target, anchor: anchor, from: chapter, emptyText: emptyText)
            case let .chapterFile(path, anchor):
                switch locate(path, from: chapter, among: source.chapterFiles) {
                case nil:
                    return .failure(.outsideContent(path))
                case let relative?:
                    if let target = byPath[relative] {
                        return chapterLink(to: target, anchor: anchor, from: chapter, emptyText: emptyText)
                    }
                    if source.chapterFiles.contains(relative) {
                        // Its own front matter is broken and already reported.
                        return .success(Resolved(destination: .nowhere))
                    }
                    return .failure(.noChapterFile(path, suggestPath(path, for: relative, from: chapter, among: source.chapterFiles)))
                }
            case let .file(path, fragment):
                guard let relative = locate(path, from: chapter, among: source.otherFiles) else {
                    return .failure(.outsideContent(path))
                }
                if let problem = source.refusedFiles[relative] { return .failure(.refused(path, problem)) }
                guard source.otherFiles.contains(relative) else {
                    // `(a1)`: a chapter id in lower case.
                    let upper = path.uppercased()
                    if link.kind == .link, ChapterID(upper) != nil, byID[upper] != nil {
                        return .failure(.noChapter(path, upper + (fragment.map { "#" + $0 } ?? "")))
                    }
                    return .failure(.noFile(path, image: link.kind == .image,
                                            suggestPath(path, for: relative, from: chapter, among: source.otherFiles)))
                }
                guard isInsideContent(relative) else { return .failure(.outsideContent(path)) }
                return .success(Resolved(destination: .file(relative, fragment: fragment),
                                         emptyText: emptyText ? (path as NSString).lastPathComponent : nil, file: relative))
            }
        }

        func chapterLink(to target: Chapter, anchor: String?, from chapter: Chapter, emptyText: Bool) -> Swift.Result<Resolved, Problem> {
            if isDraftLink(from: chapter, to: target) { return .failure(.draft(target.id.description)) }
            var anchor = anchor.flatMap { $0.isEmpty ? nil : $0 }
            if let written = anchor {
                // A chapter cmark could not read has its one error; its headings are unknown.
                guard !target.parseFailed else {
                    return .success(Resolved(destination: .chapter(target.id, heading: written), emptyText: nil, chapter: target.id))
                }
                guard let heading = heading(written, in: target) else {
                    return .failure(.noAnchor(written, chapter: target.id.description, closestHeading(to: written, in: target)))
                }
                anchor = heading.slug
            }
            var destination = LinkDestination.chapter(target.id, heading: anchor)
            if target.id == chapter.frontMatter.id, let anchor { destination = .heading(anchor) }
            return .success(Resolved(destination: destination, emptyText: emptyText ? (source.config.showIDs ? "\(target.id): \(target.title)" : target.title) : nil, chapter: target.id))
        }

        /// The chapter a broken link surely means: the right chapter with a wrong heading,
        /// an id in lower case, or a chapter file written without its folder.
        func intendedChapter(of link: ParsedMarkdown.Link, problem: Problem, in chapter: Chapter) -> ChapterID? {
            switch (LinkTarget(link.destination), problem) {
            case let (.chapter(id, _), .noAnchor): return byID[id]?.frontMatter.id
            case let (_, .noChapter(_, guess?)):
                let id = guess.split(separator: "#").first.map(String.init) ?? guess
                return link.destination.uppercased().hasPrefix(id) ? byID[id]?.frontMatter.id : nil
            case let (_, .noChapterFile(path, guess?)) where (guess as NSString).lastPathComponent == (path as NSString).lastPathComponent:
                return normalize(guess, relativeTo: chapter.file.relativePath).flatMap { byPath[$0]?.frontMatter.id }
            default: return nil
            }
        }

        /// The heading an anchor probably means: one whose slug starts with it, or whose
        /// words' initials spell it (`faq` for "Frequently asked questions"), else the
        /// closest by spelling.
        func closestHeading(to anchor: String, in headings: [ParsedMarkdown.Heading]) -> String? {
            let slugs = headings.map(\.slug)
            let lowered = anchor.lowercased()
            if let exact = slugs.first(where: { $0 == lowered && $0 != anchor }) { return exact }
            if lowered.count >= 3, let prefixed = slugs.first(where: { $0.hasPrefix(lowered) }) { return prefixed }
            let wanted = lowered.hasSuffix("s") && lowered.count > 2 ? [lowered, String(lowered.dropLast())] : [lowered]
            if lowered.count >= 2, let initials = slugs.first(where: { wanted.contains(String($0.split(separator: "-").compactMap(\.first))) }) {
                return initials
            }
            return closestMatch(to: anchor, in: slugs)
        }

        /// The closest existing file to a path that is not there, written as the author
        /// would write it from `chapter` (`sub/A1-two.md`, not the bare name they wrote).
        func suggestPath(_ path: String, for relative: String, from chapter: Chapter, among files: Set<String>) -> String? {
            let name = (relative as NSString).lastPathComponent
            let byName = Dictionary(files.map { (($0 as NSString).lastPathComponent, $0) }, uniquingKeysWith: { a, b in min(a, b) })
            guard let closest = byName[name] != nil ? name : closestMatch(to: name, in: byName.keys),
                  let full = byName[closest] else { return nil }
            let written = pathFrom(chapter.file.relativePath, to: full)
            return written == path ? nil : written
        }

        /// How a chapter at `from` writes the content-relative path `to`.
        func pathFrom(_ from: String, to: String) -> String {
            let fromFolder = from.split(separator: "/").dropLast()
            let target = to.split(separator: "/")
            var common = 0
            while common < fromFolder.count, common < target.count - 1, fromFolder[fromFolder.startIndex + common] == target[common] {
                common += 1
            }
            let ups = Array(repeating: "..", count: fromFolder.count - common)
            return (ups + target.dropFirst(common).map(String.init)).joined(separator: "/")
        }

        /// A published chapter may not link to a draft, unless drafts are being built.
        func isDraftLink(from chapter: Chapter, to target: Chapter) -> Bool {
            target.frontMatter.draft && !chapter.frontMatter.draft && !includeDrafts
        }

        /// A path as written in a chapter, relative to the chapter's folder; for a chapter in a
        /// subfolder, a path that is not there but is under the content folder (`assets/x.png`)
        /// means that one. Nil if it leaves the content folder.
        func locate(_ path: String, from chapter: Chapter, among files: Set<String>) -> String? {
            guard let relative = normalize(path, relativeTo: chapter.file.relativePath) else { return nil }
            if !files.contains(relative), chapter.file.relativePath.contains("/"),
               let fromRoot = normalize(path, relativeTo: ""), files.contains(fromRoot) {
                return fromRoot
            }
            return relative
        }

        /// The content-relative path of `path` written in the chapter at `from`; nil if it
        /// leaves the content folder. A leading `/` means the content folder itself.
        func normalize(_ path: String, relativeTo from: String) -> String? {
            // Most links are to a file beside a chapter at the top of the content folder.
            if !from.utf8.contains(UInt8(ascii: "/")), Self.isPlainRelative(path) { return path }
            return Self.normalized(path, relativeTo: from)
        }

        /// `normalize`, part by part.
        static func normalized(_ path: String, relativeTo from: String) -> String? {
            var components: [Substring] = path.hasPrefix("/") ? [] : from.slashSeparatedParts.dropLast()
            for part in path.slashSeparatedParts {
                switch part {
                case ".": continue
                case "..":
                    if components.isEmpty { return nil }
                    components.removeLast()
                default: components.append(part)
                }
            }
            return components.joined(separator: "/")
        }

        /// Whether `path` is its own normal form from the content folder: ASCII parts
        /// between single slashes, none of them `.` or `..`, no slash first or last (read on
        /// its bytes; a picture's link, `assets/x.png`, is not cut into parts and joined again).
        static func isPlainRelative(_ path: String) -> Bool {
            var path = path
            return path.withUTF8 { bytes in
                guard !bytes.isEmpty, isASCII(bytes) else { return false }
                var partStart = 0
                for i in 0...bytes.count where i == bytes.count || bytes[i] == UInt8(ascii: "/") {
                    let length = i - partStart
                    if length == 0 || (length <= 2 && bytes[partStart] == UInt8(ascii: ".") && bytes[i - 1] == UInt8(ascii: ".")) { return false }
                    partStart = i + 1
                }
                return true
            }
        }

        /// False when a symbolic link takes the file outside the content folder.
        func isInsideContent(_ relative: String) -> Bool { filesInsideContent.contains(relative) }
    }
}

/// A broken reference, turned into a diagnostic at the link's position.
enum Problem: Error {
    case emptyDestination
    case unsafeScheme(String)
    case noChapter(String, String?)
    case noAnchor(String, chapter: String?, String?)
    case noChapterFile(String, String?)
    case noFile(String, image: Bool, String?)
    case outsideContent(String)
    case draft(String)
    case refused(String, RefusedFile)

    func diagnostic(at location: SourceLocation) -> Diagnostic {
        func mean(_ s: String?) -> String? { s.map { "did you mean '\($0)'?" } }
        switch self {
        case .emptyDestination:
            return .error(.emptyLinkDestination, at: location, "the link has no destination: write what it points to between the ( )")
        case let .unsafeScheme(scheme):
            return .error(.unsafeLinkScheme, at: location, "'\(scheme):' links are not allowed; use http, https, mailto or tel")
        case let .noChapter(id, guess):
            return .error(.brokenChapterLink, at: location, "no chapter with id '\(id)'", suggestion: mean(guess))
        case let .noAnchor(anchor, chapter?, guess):
            return .error(.brokenAnchor, at: location, "chapter \(chapter) has no heading '#\(anchor)'", suggestion: mean(guess))
        case let .noAnchor(anchor, nil, guess):
            return .error(.brokenAnchor, at: location, "this chapter has no heading '#\(anchor)'", suggestion: mean(guess))
        case let .noChapterFile(path, guess):
            return .error(.brokenFileLink, at: location, "no chapter file '\(path)'", suggestion: mean(guess))
        case let .noFile(path, image, guess):
            return .error(.missingAsset, at: location, "\(image ? "image" : "file") '\(path)' does not exist under the content folder",
                          suggestion: mean(guess))
        case let .outsideContent(path):
            return .error(.pathOutsideContent, at: location, "'\(path)' leads outside the content folder; keep linked files inside it")
        case let .refused(path, problem):
            return .error(problem.rule, at: location, "'\(path)' \(problem.reason)")
        case let .draft(id):
            return .error(.linkToDraft, at: location, "chapter \(id) is a draft, so this link would break on the published site",
                          suggestion: "remove the link, or publish \(id) by setting 'draft: false'")
        }
    }
}

/// Each chapter's links as `guide serve` resolved them last time, kept while the chapter's
/// text is unchanged and nothing a link can lead to has changed (`targets`: every chapter's
/// id, file, title, draft state and headings; the content's files; the settings links
/// read). A heading renamed anywhere resolves every chapter again.
final class LinkCache: @unchecked Sendable {
    /// What a chapter's links are read from.
    private struct Inputs: Equatable {
        var text: String
        var parseFailed: Bool
    }
    /// By file; the setting is `targets`.
    private let results = RebuildCache<String, Inputs, LinkResolver.Result>()

    /// Everything a link can lead to, as one text.
    static func targets(_ chapters: [Chapter], source: GuideSource, includeDrafts: Bool, root: String) -> String {
        var text = "\(includeDrafts)\u{0}\(source.config.showIDs)\u{0}\(root)\u{0}"
        for chapter in chapters {
            let matter = chapter.frontMatter
            text += "\(chapter.file.relativePath)\u{1}\(matter.id?.description ?? "-")\u{1}\(matter.title ?? "")\u{1}\(matter.draft)\u{1}\(chapter.parseFailed)"
            // A former id is the suggestion for a link to it.
            text += "\u{1}" + matter.formerly.map(\.id.description).joined(separator: " ")
            for heading in chapter.markdown.headings { text += "\u{1}" + heading.slug }
            text += "\u{0}"
        }
        for file in source.otherFiles.sorted() { text += file + "\u{1}" }
        text += "\u{0}"
        for file in source.chapterFiles.sorted() { text += file + "\u{1}" }
        text += "\u{0}"
        for (file, refused) in source.refusedFiles.sorted(by: { $0.key < $1.key }) { text += "\(file)\u{1}\(refused.rule)\u{1}\(refused.reason)\u{0}" }
        return text
    }

    func begin(targets: String) { results.begin(setting: targets) }

    func result(_ chapter: Chapter, resolve: () -> LinkResolver.Result) -> LinkResolver.Result {
        results.value(chapter.file.displayPath, inputs: Inputs(text: chapter.file.text, parseFailed: chapter.parseFailed), make: resolve).value
    }

    func finish() { results.finish() }
}
