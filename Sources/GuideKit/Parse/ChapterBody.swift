/// A chapter's body as the parse stage leaves it: cmark-gfm's HTML for ordinary Markdown,
/// with what the guide adds to Markdown as typed values in between. The render stage writes
/// those values through partials in `Templates/partials/`; parse writes no HTML of its own.
public enum BodyNode: Sendable, Equatable {
    /// HTML cmark-gfm wrote for ordinary Markdown: paragraphs, lists, tables, code, emphasis.
    case html(HTMLText)
    /// A heading; its anchor is the slug of `ParsedMarkdown.headings[index]`.
    case heading(index: Int, content: [BodyNode])
    /// A callout box (`> [!URGENT]`) and the blocks inside it.
    case callout(CalloutKind, body: [BodyNode])
    /// One question of an FAQ block: the question heading (`headings[heading]`), its words,
    /// and the blocks of its answer.
    case faq(heading: Int, question: [BodyNode], answer: [BodyNode])
    /// A link; `ParsedMarkdown.links[index]` is what was written, and Link says where it
    /// leads. Empty content (`[](A3)`) is filled in with the text Link finds.
    case link(index: Int, content: [BodyNode])
    /// An image; `links[index]` is its source as written, `alt` its text.
    case image(index: Int, alt: String)
    /// The first use of a glossary term in a chapter.
    case glossaryMark(GlossaryMark)
    /// A task-list item's checkbox, labelled with the item's words.
    case task(checked: Bool, content: [BodyNode])
}

/// HTML cmark-gfm wrote, as its UTF-8 bytes. It goes from a parse worker to a page as it
/// is: made a string, each piece was checked as UTF-8 again, in the worker and once more in
/// the build. A short piece ("</p>\n", most of those between a body's constructs) is kept in
/// a string's own storage, which holds up to 15 bytes without allocating; as an array of its
/// own, each cost a build of 10,000 chapters some megabytes.
public struct HTMLText: Sendable, Equatable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Which of the two is decided by the length alone.
    private enum Storage: Sendable {
        case short(String)
        case long([UInt8])
    }
    private let storage: Storage

    /// `bytes` must be UTF-8 (cmark-gfm's HTML always is).
    public init<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        storage = bytes.count <= 15 ? .short(String(decoding: bytes, as: UTF8.self)) : .long(Array(bytes))
    }
    public init(_ text: String) { self.init(bytes: Array(text.utf8)) }
    public init(stringLiteral text: String) { self.init(text) }

    /// The HTML as a string (for messages and tests).
    public var description: String {
        switch storage {
        case let .short(text): return text
        case let .long(bytes): return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// Calls `body` with the HTML's bytes.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        switch storage {
        case var .short(text): return text.withUTF8(body)
        case let .long(bytes): return bytes.withUnsafeBufferPointer(body)
        }
    }

    var count: Int {
        switch storage {
        case let .short(text): return text.utf8.count
        case let .long(bytes): return bytes.count
        }
    }

    /// The same bytes (not strings' canonical equivalence: a page shows the bytes).
    public static func == (a: HTMLText, b: HTMLText) -> Bool {
        a.withBytes { x in b.withBytes { y in x.elementsEqual(y) } }
    }
}

/// The kinds of callout box: GitHub's five alerts and the three "when to get help" urgencies.
public enum CalloutKind: String, Sendable, Equatable, CaseIterable {
    case note, tip, important, warning, caution, emergency, urgent
    case nonUrgent = "non-urgent"

    /// The marker an author writes, `NON-URGENT` in `> [!NON-URGENT]`.
    public var marker: String { rawValue.uppercased() }
    /// The "when to get help" kinds: a lost box of these is an error, not a warning.
    public var isUrgency: Bool { self == .emergency || self == .urgent || self == .nonUrgent }

    public init?(marker: String) { self.init(rawValue: marker.lowercased()) }
}

/// A glossary term's first use: which entry (by its `term`), and the words as written.
public struct GlossaryMark: Sendable, Hashable {
    public var term: String
    public var text: String
    /// Matched by the entry's abbreviation (`CRS`), shown with `<abbr>`.
    public var isAbbreviation: Bool
}

extension BodyNode {
    /// The outermost urgency boxes of a body, whole and in order: what a check keeps of a
    /// chapter's body (`ParsingOptions.bodies`). `flatten` finds the same urgency boxes in it
    /// as in the whole body.
    public static func urgencyBoxes(_ nodes: [BodyNode]) -> [BodyNode] {
        var found: [BodyNode] = []
        func visit(_ node: BodyNode) {
            switch node {
            case let .callout(kind, body):
                if kind.isUrgency { found.append(node) } else { body.forEach(visit) }
            case .html, .image, .glossaryMark: break
            case let .heading(_, content), let .link(_, content), let .task(_, content): content.forEach(visit)
            case let .faq(_, question, answer): (question + answer).forEach(visit)
            }
        }
        nodes.forEach(visit)
        return found
    }

    /// Every node of a body, depth first, for tests and checks that look for one kind.
    public static func flatten(_ nodes: [BodyNode]) -> [BodyNode] {
        var result: [BodyNode] = []
        func visit(_ node: BodyNode) {
            result.append(node)
            switch node {
            case .html, .image, .glossaryMark: break
            case let .heading(_, content), let .link(_, content), let .task(_, content): content.forEach(visit)
            case let .callout(_, body): body.forEach(visit)
            case let .faq(_, question, answer): (question + answer).forEach(visit)
            }
        }
        nodes.forEach(visit)
        return result
    }

    /// Whether any node of a body, at any depth, is one `predicate` accepts (without
    /// gathering the nodes as `flatten` does).
    public static func contains(_ nodes: [BodyNode], where predicate: (BodyNode) -> Bool) -> Bool {
        for node in nodes {
            if predicate(node) { return true }
            switch node {
            case .html, .image, .glossaryMark: break
            case let .heading(_, content), let .link(_, content), let .task(_, content):
                if contains(content, where: predicate) { return true }
            case let .callout(_, body):
                if contains(body, where: predicate) { return true }
            case let .faq(_, question, answer):
                if contains(question, where: predicate) || contains(answer, where: predicate) { return true }
            }
        }
        return false
    }
}
