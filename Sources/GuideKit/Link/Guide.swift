/// A chapter whose links are resolved: its final HTML and its place in the series.
public struct ResolvedChapter: Sendable {
    public var chapter: Chapter
    /// The chapter body as HTML, every link pointing at its page, heading or file.
    public var html: String
    public var related: [ChapterID]
    /// Chapters this one links to in its text (not counting `related`).
    public var linkedChapters: Set<ChapterID>
    /// Every http(s) link, with where it is written, for `check --external`.
    public var externalLinks: [ExternalLink]
    /// Where each link of `chapter.markdown.links` leads, and the text of empty links, so
    /// the print edition can point the same links inside one page.
    public var linkHrefs: [String]
    public var linkTexts: [String?]

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
}

/// An http or https link as written in a chapter.
public struct ExternalLink: Sendable, Hashable {
    public var url: String
    public var location: SourceLocation
}
