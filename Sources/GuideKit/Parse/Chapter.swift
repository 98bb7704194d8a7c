/// A chapter with its front matter and parsed Markdown.
public struct Chapter: Sendable {
    public var file: SourceFile
    public var frontMatter: FrontMatter
    public var markdown: ParsedMarkdown

    /// The id of a chapter in the series; a chapter set aside for broken front matter may
    /// have none, so code that sees those uses `frontMatter.id`.
    public var id: ChapterID { frontMatter.id! }
    /// The title, or the id when the front matter has no title.
    public var title: String { frontMatter.title ?? frontMatter.rawID ?? file.relativePath }
}

/// The parse stage: every chapter's Markdown, on all cores.
public enum ChapterParser {
    public static func parse(_ sources: [ChapterSource], glossary: Glossary = Glossary()) -> [Chapter] {
        let matcher = GlossaryMatcher(terms: glossary.terms)
        return parallelMap(sources) { source in
            Chapter(file: source.file, frontMatter: source.frontMatter,
                    markdown: MarkdownParser.parse(source.file.text, bodyStartLine: source.frontMatter.bodyStartLine, glossary: matcher))
        }
    }
}
