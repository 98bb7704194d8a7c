/// A compact binary form of `ParsedMarkdown`, for the answers of parse workers: written and
/// read in one pass with no intermediate tree, so a large chapter's answer costs about its
/// own size (a property list or JSON took several times that, and most of the time).
///
/// Integers are zigzag LEB128 (7 bits a byte, small numbers in one); a string is its byte count, then its UTF-8 bytes; an
/// optional is a 0 or 1 flag, then the value; a list is its count, then its items; a body
/// node is its kind's number, then its fields. A link's and a text block's kind are their
/// case's place (`caseNumber`): read back by name, each was compared with every case's name.
extension ParsedMarkdown {
    func binaryEncoded() -> [UInt8] {
        var out = BinaryWriter()
        out.reserve(1024)
        out.list(headings) { out, h in out.int(h.level); out.string(h.text); out.string(h.slug); out.position(h.position) }
        out.list(links) { out, l in
            out.caseNumber(l.kind, of: Link.Kind.inOrder); out.string(l.destination); out.string(l.text); out.position(l.position)
            out.int(l.isAutolink ? 1 : 0); out.optional(l.section) { $0.int($1) }; out.optional(l.title) { $0.string($1) }
        }
        out.list(blocks) { out, b in
            out.caseNumber(b.kind, of: TextBlock.Kind.inOrder); out.string(b.text); out.optional(b.section) { $0.int($1) }
            out.list(b.emptyLinks) { out, e in out.int(e.offset); out.int(e.link) }
        }
        out.list(faqs) { out, f in out.string(f.question); out.string(f.anchor); out.string(f.answer); out.int(f.heading) }
        out.list(glossaryTermsUsed) { $0.string($1) }
        out.list(problems) { out, p in
            out.string(p.severity.rawValue); out.string(p.rule.rawValue); out.string(p.message)
            out.optional(p.suggestion) { $0.string($1) }; out.position(p.position)
        }
        out.int(readingScores.words); out.int(readingScores.sentences); out.int(readingScores.syllables); out.int(readingScores.polysyllables)
        out.list(prose.sentences) { out, s in
            out.position(s.position); out.int(s.block); out.int(s.start); out.int(s.end); out.int(s.words); out.int(s.passive ? 1 : 0)
        }
        out.list(prose.paragraphs) { out, p in out.position(p.position); out.int(p.firstSentence); out.int(p.sentenceCount) }
        out.list(prose.hardWords) { out, w in out.string(w.word); out.list(w.positions) { $0.position($1) } }
        out.list(prose.abbreviations) { out, a in out.string(a.abbreviation); out.optional(a.spelledOut) { $0.string($1) }; out.position(a.position) }
        out.body(body)
        return out.bytes
    }

    /// Reads what `binaryEncoded` wrote; nil if the bytes are not such a value.
    init?(binary bytes: [UInt8]) {
        guard let read = bytes.withUnsafeBufferPointer({ ParsedMarkdown(binary: $0) }) else { return nil }
        self = read
    }

    /// The same, read where the bytes are (a worker's answer, in the buffer it was read into).
    init?(binary bytes: UnsafeBufferPointer<UInt8>) {
        var input = BinaryReader(bytes: bytes)
        do {
            let headings = try input.list { r in Heading(level: try r.int(), text: try r.string(), slug: try r.string(), position: try r.position()) }
            let links = try input.list { r in
                Link(kind: try r.caseValue(of: Link.Kind.inOrder), destination: try r.string(), text: try r.string(), position: try r.position(),
                     isAutolink: try r.int() == 1, section: try r.optional { try $0.int() }, title: try r.optional { try $0.string() })
            }
            let blocks = try input.list { r in
                TextBlock(kind: try r.caseValue(of: TextBlock.Kind.inOrder), text: try r.string(), section: try r.optional { try $0.int() },
                          emptyLinks: try r.list { r in TextBlock.EmptyLink(offset: try r.int(), link: try r.int()) })
            }
            let faqs = try input.list { r in FAQ(question: try r.string(), anchor: try r.string(), answer: try r.string(), heading: try r.int()) }
            let terms = try input.list { try $0.string() }
            let problems = try input.list { r in
                Problem(severity: try r.enumValue(Diagnostic.Severity.self), rule: try r.enumValue(Rule.self), message: try r.string(),
                        suggestion: try r.optional { try $0.string() }, position: try r.position())
            }
            let scores = ReadingScores(words: try input.int(), sentences: try input.int(), syllables: try input.int(), polysyllables: try input.int())
            var prose = ProseFacts()
            prose.sentences = try input.list { r in
                ProseFacts.Sentence(position: try r.position(), block: try r.int(), start: try r.int(), end: try r.int(), words: try r.int(),
                                    passive: try r.int() == 1)
            }
            prose.paragraphs = try input.list { r in ProseFacts.Paragraph(position: try r.position(), firstSentence: try r.int(), sentenceCount: try r.int()) }
            prose.hardWords = try input.list { r in ProseFacts.HardWord(word: try r.string(), positions: try r.list { try $0.position() }) }
            prose.abbreviations = try input.list { r in
                ProseFacts.Abbreviation(abbreviation: try r.string(), spelledOut: try r.optional { try $0.string() }, position: try r.position())
            }
            self.init(headings: headings, links: links, blocks: blocks, body: try input.body())
            self.prose = prose
            readingScores = scores
            self.faqs = faqs
            glossaryTermsUsed = terms
            self.problems = problems
        } catch {
            return nil
        }
    }
}

struct BinaryWriter {
    var bytes: [UInt8] = []
    mutating func reserve(_ n: Int) { bytes.reserveCapacity(n) }
    /// Zigzag, then 7 bits a byte (LEB128): most numbers (positions, counts) take one or two.
    mutating func int(_ value: Int) {
        var v = UInt64(bitPattern: Int64((value << 1) ^ (value >> 63)))
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }
    /// Copied from the string's own storage in one go: appended as a sequence of its UTF-8
    /// view, each of a chapter's strings was copied byte by byte.
    mutating func string(_ value: String) {
        // From the string's own storage where it has one (a copy of it, to call `withUTF8`
        // on, counted it again: every text of every chapter is written here).
        func add(_ utf8: UnsafeBufferPointer<UInt8>) {
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
        if value.utf8.withContiguousStorageIfAvailable(add) == nil {
            var value = value
            value.withUTF8(add)
        }
    }
    mutating func html(_ value: HTMLText) { int(value.count); value.withBytes { bytes.append(contentsOf: $0) } }
    /// A case as its place among `cases` (one byte).
    mutating func caseNumber<E: Equatable>(_ value: E, of cases: [E]) { int(cases.firstIndex(of: value)!) }
    mutating func position(_ p: SourcePosition) { int(p.line); int(p.column) }
    mutating func optional<T>(_ value: T?, _ write: (inout BinaryWriter, T) -> Void) {
        if let value { int(1); write(&self, value) } else { int(0) }
    }
    mutating func list<T>(_ items: [T], _ write: (inout BinaryWriter, T) -> Void) {
        int(items.count)
        // Each item written where it is, not copied out by a loop over the array.
        items.withUnsafeBufferPointer { items in
            for index in items.indices { write(&self, items[index]) }
        }
    }
}

extension BinaryWriter {
    mutating func body(_ nodes: [BodyNode]) {
        list(nodes) { out, node in
            switch node {
            case let .html(text): out.int(0); out.html(text)
            case let .heading(index, content): out.int(1); out.int(index); out.body(content)
            case let .callout(kind, body): out.int(2); out.string(kind.rawValue); out.body(body)
            case let .faq(heading, question, answer): out.int(3); out.int(heading); out.body(question); out.body(answer)
            case let .link(index, content): out.int(4); out.int(index); out.body(content)
            case let .image(index, alt): out.int(5); out.int(index); out.string(alt)
            case let .glossaryMark(mark): out.int(6); out.string(mark.term); out.string(mark.text); out.int(mark.isAbbreviation ? 1 : 0)
            case let .task(checked, content): out.int(7); out.int(checked ? 1 : 0); out.body(content)
            }
        }
    }
}

extension BinaryReader {
    mutating func body() throws -> [BodyNode] {
        try list { r -> BodyNode in
            switch try r.int() {
            case 0: return .html(try r.html())
            case 1: return .heading(index: try r.int(), content: try r.body())
            case 2: return .callout(try r.enumValue(CalloutKind.self), body: try r.body())
            case 3: return .faq(heading: try r.int(), question: try r.body(), answer: try r.body())
            case 4: return .link(index: try r.int(), content: try r.body())
            case 5: return .image(index: try r.int(), alt: try r.string())
            case 6: return .glossaryMark(GlossaryMark(term: try r.string(), text: try r.string(), isAbbreviation: try r.int() == 1))
            case 7: return .task(checked: try r.int() == 1, content: try r.body())
            default: throw Malformed()
            }
        }
    }
}

/// Reads what `BinaryWriter` wrote, from bytes it does not own (valid while it reads).
struct BinaryReader {
    struct Malformed: Error {}
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// An integer of one byte (below 64 either way, most of an answer's) read here, in its
    /// caller; a longer one by `longInt`.
    @inline(__always)
    mutating func int() throws -> Int {
        if offset < bytes.count {
            let b = bytes[offset]
            if b < 0x80 {
                offset += 1
                return Int(b >> 1) ^ (0 &- Int(b & 1))
            }
        }
        return try longInt()
    }

    private mutating func longInt() throws -> Int {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw Malformed() }
            let b = bytes[offset]
            offset += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return Int(Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1))))
    }
    /// The next bytes, after their count (`string(_:)` and `html(_:)` write them so).
    @inline(__always) private mutating func counted() throws -> UnsafeBufferPointer<UInt8> {
        let count = try int()
        guard count >= 0, count <= bytes.count - offset else { throw Malformed() }
        defer { offset += count }
        return UnsafeBufferPointer(rebasing: bytes[offset..<offset + count])
    }
    mutating func string() throws -> String { String(decoding: try counted(), as: UTF8.self) }
    /// HTML written by `html(_:)`, its bytes as they are.
    mutating func html() throws -> HTMLText { HTMLText(bytes: try counted()) }
    mutating func position() throws -> SourcePosition { SourcePosition(line: try int(), column: try int()) }
    mutating func enumValue<E: RawRepresentable>(_ type: E.Type) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: try string()) else { throw Malformed() }
        return value
    }
    /// A case written by `caseNumber`.
    mutating func caseValue<E>(of cases: [E]) throws -> E {
        let number = try int()
        guard cases.indices.contains(number) else { throw Malformed() }
        return cases[number]
    }
    mutating func optional<T>(_ read: (inout BinaryReader) throws -> T) throws -> T? {
        try int() == 1 ? try read(&self) : nil
    }
    mutating func list<T>(_ read: (inout BinaryReader) throws -> T) throws -> [T] {
        let count = try int()
        guard count >= 0, count <= bytes.count else { throw Malformed() }
        var items: [T] = []
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try read(&self)) }
        return items
    }
}

extension ParsedMarkdown.Link.Kind {
    /// The cases in the order `caseNumber` numbers them.
    static let inOrder = allCases
}

extension ParsedMarkdown.TextBlock.Kind {
    /// The cases in the order `caseNumber` numbers them.
    static let inOrder = allCases
}
