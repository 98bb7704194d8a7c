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
    public var fields: [Field: String]

    /// The excerpt text: what a reader sees under the result title.
    public var text: String {
        [fields[.question], fields[.body], fields[.reference]].compactMap { $0 }.joined(separator: " ")
    }

    /// The documents of one chapter: the chapter first, then its sections and FAQ questions in page order.
    public static func documents(for chapter: ResolvedChapter) -> [SearchDocument] {
        documents(for: chapter, blocks: chapter.chapter.markdown.blocks)
    }

    /// With the chapter's text blocks given apart (a build hands them to the index).
    static func documents(for chapter: ResolvedChapter, blocks: [ParsedMarkdown.TextBlock]) -> [SearchDocument] {
        let markdown = chapter.chapter.markdown
        let page = chapter.id.pageName
        let title = chapter.title
        let faqHeadings = Set(markdown.faqs.map(\.heading))
        // Each block belongs to the nearest h2 or h3 above it; h4 and below fold into their parent.
        var owner: [Int: Int] = [:]
        var currentOwner: Int? = nil
        var path: [Int: String] = [:]
        var currentH2: String? = nil
        for (index, heading) in markdown.headings.enumerated() {
            switch heading.level {
            case 1:
                currentOwner = nil
                currentH2 = nil
            case 2:
                currentOwner = index
                currentH2 = heading.text
                path[index] = "\(title) › \(heading.text)"
            case 3:
                currentOwner = index
                path[index] = [title, currentH2, heading.text].compactMap { $0 }.joined(separator: " › ")
            default:
                break
            }
            if let currentOwner { owner[index] = currentOwner }
        }
        var bodies: [Int?: [String]] = [:]
        for block in blocks where block.kind != .heading {
            let key = block.section.flatMap { owner[$0] }
            bodies[key, default: []].append(readerText(block, chapter))
        }
        // Sections a reader does not search for: a match there ranks below one in the text.
        var lowSection: Int? = nil
        var low: Set<Int> = []
        for (index, heading) in markdown.headings.enumerated() {
            if heading.level <= 2 { lowSection = isReferenceHeading(heading.text) ? index : nil }
            if lowSection != nil, heading.level >= 2 { low.insert(index) }
        }
        var documents = [SearchDocument(
            url: page, anchor: "", headingPath: title,
            fields: [.title: title, .body: ([chapter.frontMatter.summary].compactMap { $0 } + (bodies[nil] ?? [])).joined(separator: " ")])]
        for (index, heading) in markdown.headings.enumerated() where heading.level == 2 || heading.level == 3 {
            let body = (bodies[index] ?? []).joined(separator: " ")
            if low.contains(index) {
                documents.append(SearchDocument(url: "\(page)#\(heading.slug)", anchor: heading.slug, headingPath: path[index] ?? title,
                                                fields: [.reference: heading.text + " " + body]))
            } else if faqHeadings.contains(index) {
                documents.append(SearchDocument(url: "\(page)#\(heading.slug)", anchor: heading.slug, headingPath: path[index] ?? title,
                                                fields: [.question: heading.text, .body: body]))
            } else {
                documents.append(SearchDocument(url: "\(page)#\(heading.slug)", anchor: heading.slug, headingPath: path[index] ?? title,
                                                fields: [.heading: heading.text, .body: body]))
            }
        }
        return documents
    }

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
