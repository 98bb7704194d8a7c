/// One search result the reader can land on: a chapter (title and summary), one of its
/// sections (an h2 or h3 and the text under it), or one FAQ question with its answer.
public struct SearchDocument: Sendable, Equatable {
    /// The fields of a document, weighted for ranking: title > heading > FAQ question > body.
    public enum Field: Int, Sendable, CaseIterable {
        case title, heading, question, body
        /// A References, Sources or Related chapters section: heading and text.
        case reference

        public var weight: Double {
            switch self {
            case .title: return 4
            case .heading: return 2.5
            case .question: return 2
            case .body: return 1
            case .reference: return 1
            }
        }
    }

    /// `a3.html` or `a3.html#some-heading`.
    public var url: String
    /// The anchor on the page, or "" for the chapter itself.
    public var anchor: String
    /// What a result shows as its title: "Chapter title › Section heading".
    public var headingPath: String
    /// Text per field.
    public var fields: Fields

    /// A document's text in each field it has: a place of its own per field, not a
    /// dictionary made, hashed and freed for each of the guide's sections (its words are
    /// counted field by field).
    public struct Fields: Sendable, Equatable, ExpressibleByDictionaryLiteral {
        private var title, heading, question, body, reference: String?

        public init(dictionaryLiteral elements: (Field, String)...) {
            for (field, text) in elements { self[field] = text }
        }

        /// No field yet (`documents` sets each, without a list of them made first).
        init() {}

        public subscript(field: Field) -> String? {
            get {
                switch field {
                case .title: return title
                case .heading: return heading
                case .question: return question
                case .body: return body
                case .reference: return reference
                }
            }
            set {
                switch field {
                case .title: title = newValue
                case .heading: heading = newValue
                case .question: question = newValue
                case .body: body = newValue
                case .reference: reference = newValue
                }
            }
        }
    }

    /// The excerpt text: what a reader sees under the result title.
    public var text: String {
        Self.textFields.compactMap { fields[$0] }.joined(separator: " ")
    }

    /// The fields `text` joins, in order.
    private static let textFields: [Field] = [.question, .body, .reference]

    /// The bytes of `text`, but for the spaces that join its parts.
    var textPartsByteCount: Int { Self.textFields.reduce(0) { $0 + (fields[$1]?.utf8.count ?? 0) } }

    /// `jsString(text)`, added to `out` without the text being joined first (the index
    /// writes every document's).
    func appendTextLiteral(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var first = true
        for field in Self.textFields {
            guard let part = fields[field] else { continue }
            if !first { out.append(UInt8(ascii: " ")) }
            first = false
            appendJSONStringContent(part, .script, to: &out)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The documents of one chapter: the chapter first, then its sections and FAQ questions in page order.
    public static func documents(for chapter: ResolvedChapter) -> [SearchDocument] {
        documents(for: chapter, blocks: chapter.chapter.markdown.blocks)
    }

    /// With the chapter's text blocks given apart (a build hands them to the index).
    static func documents(for chapter: ResolvedChapter, blocks: [ParsedMarkdown.TextBlock]) -> [SearchDocument] {
        // The chapter's headings, FAQs and blocks are read where they are, through their
        // arrays' buffers: every chapter of a guide comes through here, and a loop over an
        // array (or a copy of the chapter's parsed Markdown) took a copy of each, every
        // string in it counted again.
        let headings = chapter.chapter.markdown.headings
        let page = chapter.id.pageName
        let title = chapter.title
        // Per heading, in arrays by its index: whether it asks an FAQ question, the h2 or h3
        // whose document holds its text (h4 and below fold into their parent; -1 for the
        // chapter's own document), and an h2's or h3's heading path.
        var isQuestion = [Bool](repeating: false, count: headings.count)
        chapter.chapter.markdown.faqs.withUnsafeBufferPointer { faqs in
            for f in faqs.indices where faqs[f].heading >= 0 && faqs[f].heading < headings.count { isQuestion[faqs[f].heading] = true }
        }
        var owner = [Int](repeating: -1, count: headings.count)
        var path = [String?](repeating: nil, count: headings.count)
        // Sections a reader does not search for: a match there ranks below one in the text.
        var low = [Bool](repeating: false, count: headings.count)
        headings.withUnsafeBufferPointer { headings in
            var currentOwner = -1
            var currentH2: String? = nil
            var lowSection = false
            for index in headings.indices {
                switch headings[index].level {
                case 1:
                    currentOwner = -1
                    currentH2 = nil
                case 2:
                    currentOwner = index
                    currentH2 = headings[index].text
                    path[index] = joinedPath(title, headings[index].text)
                case 3:
                    currentOwner = index
                    path[index] = currentH2.map { joinedPath(title, $0, headings[index].text) } ?? joinedPath(title, headings[index].text)
                default:
                    break
                }
                owner[index] = currentOwner
                if headings[index].level <= 2 { lowSection = isReferenceHeading(headings[index].text) }
                if lowSection, headings[index].level >= 2 { low[index] = true }
            }
        }
        // Each document's text, its blocks' texts joined by spaces: the chapter's own first,
        // then one per heading (by its index + 1).
        var texts = [[String]](repeating: [], count: headings.count + 1)
        if let summary = chapter.frontMatter.summary { texts[0].append(summary) }
        blocks.withUnsafeBufferPointer { blocks in
            for b in blocks.indices where blocks[b].kind != .heading {
                let section = blocks[b].section.flatMap { $0 >= 0 && $0 < headings.count ? owner[$0] : nil } ?? -1
                texts[section + 1].append(readerText(blocks[b], chapter))
            }
        }
        let bodies = texts.map { String(joining: $0, separator: " ") }
        var documents: [SearchDocument] = []
        documents.reserveCapacity(headings.count + 1)
        var fields = Fields()
        fields[.title] = title
        fields[.body] = bodies[0]
        documents.append(SearchDocument(url: page, anchor: "", headingPath: title, fields: fields))
        headings.withUnsafeBufferPointer { headings in
            for index in headings.indices where headings[index].level == 2 || headings[index].level == 3 {
                let (text, slug) = (headings[index].text, headings[index].slug)
                let body = bodies[index + 1]
                var fields = Fields()
                if low[index] {
                    fields[.reference] = String(joining: [text, body], separator: " ")
                } else if isQuestion[index] {
                    fields[.question] = text
                    fields[.body] = body
                } else {
                    fields[.heading] = text
                    fields[.body] = body
                }
                documents.append(SearchDocument(url: String(page: page, anchor: slug), anchor: slug, headingPath: path[index] ?? title, fields: fields))
            }
        }
        return documents
    }

    /// Headings joined by " › " (every section of the guide has a path).
    static func joinedPath(_ parts: String...) -> String { String(joining: parts, separator: " › ") }

    /// What the scores of a References section's document are multiplied by: a match there
    /// ranks below the same match in a chapter's text.
    static let referencePrior = 0.2

    /// The headings of sections that list sources or other chapters.
    static let referenceHeadings: Set<String> = ["references", "sources", "related chapters", "further reading", "see also"]

    static func isReferenceHeading(_ text: String) -> Bool {
        referenceHeadings.contains(text.trimmingSpaces().lowercased())
    }

    /// A block's text as the reader sees it: links written without words get the words
    /// Link filled in (`[](A2)` reads "A2: What is CAR-T?").
    static func readerText(_ block: ParsedMarkdown.TextBlock, _ chapter: ResolvedChapter) -> String {
        guard !block.emptyLinks.isEmpty else { return block.text }
        var bytes = Array(block.text.utf8)
        for empty in block.emptyLinks.reversed() where empty.link < chapter.links.count && empty.offset <= bytes.count {
            guard let words = chapter.links[empty.link].fillText else { continue }
            bytes.insert(contentsOf: Array(words.utf8), at: empty.offset)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
