/// How the parser finds the guide's own constructs again in cmark-gfm's HTML.
///
/// cmark-gfm renders a whole tree at once and has no callback for the nodes we add, so
/// each construct is put in the tree as a pair of marks (raw-HTML nodes, or a custom block's
/// enter and exit text) and the rendered bytes are split at them into `BodyNode` values.
/// A mark starts with the byte 0xFF, which valid UTF-8 never holds and cmark-gfm never
/// writes for a chapter's text (chapters are read as UTF-8), so a mark cannot be forged by
/// what an author writes. The marks never leave the parse stage.
struct BodyMarks {
    /// What a pair of marks stands for.
    enum Construct {
        case heading(Int)
        case callout(CalloutKind)
        case faqQuestion
        case link(Int)
        case image(Int, alt: String)
        case glossaryMark(GlossaryMark)
        case task(checked: Bool)

        /// Block constructs are custom blocks: cmark-gfm writes a line break after each of
        /// their marks, which is not part of the page.
        var isBlock: Bool {
            switch self {
            case .heading, .callout, .faqQuestion: return true
            case .link, .image, .glossaryMark, .task: return false
            }
        }
    }

    static let markByte: UInt8 = 0xFF
    private(set) var constructs: [Construct] = []

    /// The NUL-terminated bytes that open `construct`: 0xFF, `o`, its number, 0xFF.
    /// `construct` is taken, not copied: each is made for its mark.
    mutating func open(_ construct: consuming Construct) -> [CChar] {
        let number = constructs.count
        constructs.append(construct)
        // Made in place, digit by digit: a chapter opens dozens of marks, and joining arrays
        // and a number's string for each cost more than the rest of marking it.
        var digits = 1, rest = number / 10
        while rest > 0 { digits += 1; rest /= 10 }
        return [CChar](unsafeUninitializedCapacity: digits + 4) { buffer, count in
            buffer[0] = CChar(bitPattern: Self.markByte)
            buffer[1] = CChar(UInt8(ascii: "o"))
            var value = number
            for place in stride(from: digits + 1, through: 2, by: -1) {
                buffer[place] = CChar(UInt8(ascii: "0") + UInt8(value % 10))
                value /= 10
            }
            buffer[digits + 2] = CChar(bitPattern: Self.markByte)
            buffer[digits + 3] = 0
            count = digits + 4
        }
    }

    /// The NUL-terminated bytes that close the construct opened last: 0xFF, `c`, 0xFF.
    static let close: [CChar] = cString([markByte, UInt8(ascii: "c"), markByte])

    static func cString(_ bytes: [UInt8]) -> [CChar] { bytes.map { CChar(bitPattern: $0) } + [0] }

    /// Splits rendered HTML at its marks into body nodes, in one pass.
    func split(_ html: UnsafeBufferPointer<UInt8>) -> [BodyNode] {
        struct Frame {
            var construct: Construct?
            var children: [BodyNode] = []
        }
        var stack = [Frame(construct: nil)]
        var textStart = 0
        var i = 0
        func flush(upTo end: Int) {
            if end > textStart {
                stack[stack.count - 1].children.append(.html(HTMLText(bytes: html[textStart..<end])))
            }
        }
        while i < html.count {
            // The next mark: most of a body is text.
            guard let found = indexOf(Self.markByte, in: html, from: i) else { break }
            i = found
            flush(upTo: i)
            var j = i + 2
            var construct: Construct?
            if i + 1 < html.count, html[i + 1] == UInt8(ascii: "o") {
                var number = 0
                while j < html.count, html[j] != Self.markByte {
                    number = number * 10 + Int(html[j] &- 0x30)
                    j += 1
                }
                construct = constructs[number]
                stack.append(Frame(construct: construct))
            } else if stack.count > 1 {
                let frame = stack.removeLast()
                construct = frame.construct
                if let node = Self.node(frame.construct!, frame.children) {
                    stack[stack.count - 1].children.append(node)
                } else {
                    stack[stack.count - 1].children += frame.children
                }
            }
            i = j + 1
            // The line break cmark-gfm writes after a custom block's mark.
            if construct?.isBlock == true, i < html.count, html[i] == UInt8(ascii: "\n") { i += 1 }
            textStart = i
        }
        flush(upTo: html.count)
        return stack[0].children
    }

    /// The node for a construct and what was rendered between its marks; nil when they
    /// stand as they are.
    static func node(_ construct: Construct, _ children: [BodyNode]) -> BodyNode? {
        switch construct {
        case let .heading(index):
            return .heading(index: index, content: droppingFinalLineBreak(children))
        case let .callout(kind):
            return .callout(kind, body: children)
        case .faqQuestion:
            // The question's heading comes first, then the answer's blocks.
            guard case let .heading(index, content)? = children.first else { return nil }
            return .faq(heading: index, question: content, answer: Array(children.dropFirst()))
        case let .link(index):
            return .link(index: index, content: children)
        case let .image(index, alt):
            return .image(index: index, alt: alt)
        case let .glossaryMark(mark):
            return .glossaryMark(mark)
        case let .task(checked):
            return .task(checked: checked, content: children)
        }
    }

    /// A heading's words end where cmark-gfm put a line break before the closing mark.
    static func droppingFinalLineBreak(_ nodes: [BodyNode]) -> [BodyNode] {
        // A line feed after a carriage return is one character with it, which is not "\n".
        guard case let .html(text)? = nodes.last else { return nodes }
        let trimmed: HTMLText? = text.withBytes { bytes in
            guard bytes.last == UInt8(ascii: "\n"), bytes.count < 2 || bytes[bytes.count - 2] != UInt8(ascii: "\r") else { return nil }
            return HTMLText(bytes: bytes.dropLast())
        }
        guard let trimmed else { return nodes }
        var kept = nodes
        kept.removeLast()
        if trimmed.count > 0 { kept.append(.html(trimmed)) }
        return kept
    }
}
