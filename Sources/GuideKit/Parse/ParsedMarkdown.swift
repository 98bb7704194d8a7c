/// What the Markdown parser found in one chapter body: a plain value with no C pointers,
/// so parsing can run on any thread or, later, in a separate worker process.
public struct ParsedMarkdown: Sendable, Equatable {
    /// A heading with its GitHub-style anchor.
    public struct Heading: Sendable, Codable, Equatable {
        public var level: Int
        public var text: String
        public var slug: String
        public var position: SourcePosition
    }

    /// A link or image as written in the source, before it is resolved.
    public struct Link: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable, CaseIterable { case link, image }
        public var kind: Kind
        public var destination: String
        /// The link text (or an image's alt text), as plain text.
        public var text: String
        /// Where the link's `[` (or the image's `!`) is; the enclosing block's start when
        /// cmark does not say and the source text does not show it.
        public var position: SourcePosition
        /// Written with angle brackets or as a bare URL (GFM autolink).
        public var isAutolink: Bool
        /// Index of the heading this link appears under, if any.
        public var section: Int?
        /// The title written after the destination (`[a](A1 "title")`), shown on hover.
        public var title: String? = nil
    }

    /// A block of text, for search and reading level.
    public struct TextBlock: Sendable, Codable, Equatable {
        public enum Kind: String, Sendable, Codable, CaseIterable { case prose, heading, code, table }
        public var kind: Kind
        public var text: String
        /// Index of the heading this block appears under, if any.
        public var section: Int?
        /// Links written without words (`[](A3)`), where they stand in `text`.
        public var emptyLinks: [EmptyLink] = []

        /// A link without words: its UTF-8 offset in the text, and its index in `links`.
        public struct EmptyLink: Sendable, Codable, Equatable {
            public var offset: Int
            public var link: Int
        }
    }

    /// A question of an FAQ block, with its answer as plain text.
    public struct FAQ: Sendable, Codable, Equatable {
        public var question: String
        /// The question heading's anchor.
        public var anchor: String
        public var answer: String
        /// Index of the question's heading in `headings`.
        public var heading: Int
    }

    /// A problem the parser noticed, such as an unknown callout type or raw HTML.
    public struct Problem: Sendable, Codable, Equatable {
        public var severity: Diagnostic.Severity
        public var rule: Rule
        public var message: String
        public var suggestion: String?
        public var position: SourcePosition
    }

    public var headings: [Heading]
    public var links: [Link]
    public var blocks: [TextBlock]
    public var faqs: [FAQ] = []
    /// Glossary terms (by `term`) whose first use in this chapter was marked.
    public var glossaryTermsUsed: [String] = []
    public var problems: [Problem] = []
    /// The readability of its prose (`ReadingLevel`).
    public var readingScores = ReadingScores(words: 0, sentences: 0, syllables: 0, polysyllables: 0)
    /// Its sentences, paragraphs, hard words and abbreviations, for the plain-language checks.
    public var prose = ProseFacts()
    /// The body: cmark-gfm's HTML and the guide's own constructs, for Render.
    public var body: [BodyNode]
}
