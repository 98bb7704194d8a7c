/// A chapter whose links are resolved: where each leads, and its place in the series.
public struct ResolvedChapter: Sendable {
    public var chapter: Chapter
    /// Where each link of `chapter.markdown.links` leads, in the same order.
    public var links: [ResolvedLink]
    public var related: [ChapterID]
    /// Chapters this one links to in its text (not counting `related`).
    public var linkedChapters: Set<ChapterID>
    /// Every http(s) link, with where it is written, for `check --external`.
    public var externalLinks: [ExternalLink]
    /// The chapter has "when to get help" boxes, gathered on the call card: found once, as
    /// its links are resolved, not by a walk of its body at each ask.
    public var hasUrgencyBoxes: Bool

    public var id: ChapterID { chapter.id }
    /// How messages name the chapter: its id, or its file when it has no readable id.
    public var name: String { frontMatter.id?.description ?? frontMatter.rawID ?? chapter.file.displayPath }
    public var title: String { chapter.title }
    public var frontMatter: FrontMatter { chapter.frontMatter }
}

/// The whole guide after linking: what the renderer turns into pages.
public struct Guide: Sendable {
    public var config: GuideConfig
    public var glossary: Glossary
    /// Published chapters (and drafts, with `--drafts`) in series order.
    public var chapters: [ResolvedChapter]
    /// Tracks in order, each with its chapters in series order; empty tracks are left out.
    public var tracks: [(track: GuideConfig.Track, chapters: [ResolvedChapter])]
    /// Relative paths of content files to copy into the site: `assets/` and linked files.
    public var files: [String]
    /// Chapters checked but given no page (broken front matter, a repeated id, an unknown
    /// track): their links and glossary uses still count, so nothing else is reported twice.
    public var unlistedChapters: [ResolvedChapter] = []
    /// Drafts left out of the site (without `--drafts`), in series order.
    public var draftsLeftOut: [ChapterID] = []
    /// Old addresses that lead to new ones: pages of former ids and renamed headings.
    public var redirects = Redirects()

    /// Takes the text blocks out of every chapter the guide holds (in its chapters, tracks
    /// and unlisted chapters), and gives the chapters' in series order: a build hands them
    /// to the search index, which alone reads them once the checks are done.
    mutating func takingTextBlocks() -> [[ParsedMarkdown.TextBlock]] {
        let taken = chapters.map(\.chapter.markdown.blocks)
        dropTextBlocks { _ in true }
        return taken
    }

    /// Takes the text blocks out of the chapters `which` picks by id (nil for a chapter set
    /// aside without one), wherever the guide holds them.
    mutating func dropTextBlocks(of which: (ChapterID?) -> Bool) {
        // In place, each list's chapters where they stand: made anew (with a table to give the
        // tracks the same copies), the chapters were copied whole, field by field, on the one
        // thread between the checks and the pages (2 ms at 1,000 chapters). A track's
        // chapters keep sharing everything else with the guide's. Picked by id, not by
        // chapter: handing each chapter to `which` copied it (a reference counted per field).
        for i in chapters.indices where which(chapters[i].chapter.frontMatter.id) { chapters[i].chapter.markdown.blocks = [] }
        for t in tracks.indices {
            for j in tracks[t].chapters.indices where which(tracks[t].chapters[j].chapter.frontMatter.id) { tracks[t].chapters[j].chapter.markdown.blocks = [] }
        }
        for i in unlistedChapters.indices where which(unlistedChapters[i].chapter.frontMatter.id) { unlistedChapters[i].chapter.markdown.blocks = [] }
    }

    /// Takes the bodies out of the guide's chapters for their pages, and gives them in
    /// series order: each chapter keeps only its urgency boxes (as a check's do), which the
    /// call card reads. A build's pages are the last readers of the rest, and let each body
    /// go once its page is made (`BodiesToRender`).
    mutating func takingBodies() -> [[BodyNode]] {
        let taken = chapters.map(\.chapter.markdown.body)
        let kept = parallelMap(chapters) { $0.hasUrgencyBoxes ? BodyNode.urgencyBoxes($0.chapter.markdown.body) : [] }
        var keptByID: [ChapterID: [BodyNode]] = [:]
        for i in chapters.indices {
            chapters[i].chapter.markdown.body = kept[i]
            keptByID[chapters[i].id] = kept[i]
        }
        // A track's chapters are the guide's: they keep the same boxes.
        for t in tracks.indices {
            for j in tracks[t].chapters.indices {
                tracks[t].chapters[j].chapter.markdown.body = keptByID[tracks[t].chapters[j].id] ?? []
            }
        }
        return taken
    }

    /// "Left out 2 drafts (B6, C2); include them with --drafts.", or nil when there are none.
    public var draftsNote: String? {
        guard !draftsLeftOut.isEmpty else { return nil }
        let count = draftsLeftOut.count == 1 ? "1 draft" : "\(draftsLeftOut.count) drafts"
        return "Left out \(count) (\(draftsLeftOut.map(\.description).joined(separator: ", "))); include \(draftsLeftOut.count == 1 ? "it" : "them") with --drafts."
    }
}

/// An http or https link as written in a chapter.
public struct ExternalLink: Sendable, Hashable {
    public var url: String
    public var location: SourceLocation
}

/// Where a link leads, as Link found it; each page writes the address its own way (the
/// print edition points links to chapters inside itself).
public enum LinkDestination: Sendable, Equatable {
    /// A chapter's page, or one of its headings (by anchor).
    case chapter(ChapterID, heading: String?)
    /// A heading of the linking chapter.
    case heading(String)
    /// A file under the content folder, copied into the site: its relative path and fragment.
    case file(String, fragment: String?)
    /// An http, https, mailto or tel address, as written.
    case external(String)
    /// A link that leads nowhere: reported as an error, or its chapter could not be read.
    case nowhere
}

/// A resolved link: where it leads, and the words for a link written without any (`[](A3)`).
public struct ResolvedLink: Sendable, Equatable {
    public var destination: LinkDestination
    public var fillText: String?
}
