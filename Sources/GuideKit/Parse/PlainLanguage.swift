import CSystem
import Foundation

/// What the plain-language checks look at in a chapter's prose, found as it is parsed (so
/// it runs in the parse workers and is kept between serve's rebuilds). Thresholds are the
/// check's (`plain_language:` in guide.yml): this holds every sentence and paragraph, and
/// the words and abbreviations that need explaining, each with where it is.
public struct ProseFacts: Sendable, Equatable {
    /// A sentence of prose, split as `ReadingLevel` splits them.
    public struct Sentence: Sendable, Equatable {
        /// Where its first word is.
        public var position: SourcePosition
        /// Its prose block (an index into `ParsedMarkdown.blocks`) and its UTF-8 range there.
        public var block: Int
        public var start: Int
        public var end: Int
        public var words: Int
        /// A form of "be" then a past participle ("is given", "were checked").
        public var passive: Bool
    }

    /// A paragraph or list item of prose.
    public struct Paragraph: Sendable, Equatable {
        public var position: SourcePosition
        /// Its sentences: `sentences[firstSentence..<firstSentence + sentenceCount]`.
        public var firstSentence: Int
        public var sentenceCount: Int
    }

    /// A word that is neither everyday English nor explained by the glossary.
    public struct HardWord: Sendable, Equatable {
        /// In lower case, as first written.
        public var word: String
        /// Every place it is used, in order.
        public var positions: [SourcePosition]
    }

    /// An abbreviation whose first use comes before it is spelled out.
    public struct Abbreviation: Sendable, Equatable {
        public var abbreviation: String
        /// The spelled-out form the glossary gives, if it has the abbreviation.
        public var spelledOut: String?
        public var position: SourcePosition
    }

    public var sentences: [Sentence] = []
    public var paragraphs: [Paragraph] = []
    public var hardWords: [HardWord] = []
    public var abbreviations: [Abbreviation] = []

    public init() {}
}

/// Finds `ProseFacts` in a chapter's prose blocks, with positions in its source.
///
/// Works on each block's UTF-8 bytes: it runs over every word of every chapter, so a word
/// becomes a `String` only when it needs a closer look (a long word, an abbreviation).
enum PlainLanguage {
    /// `lines` gives each prose block's first and last source line, by block index. The
    /// same pass counts the chapter's reading level (`ReadingScores`), with the rules and
    /// results of `ReadingLevel.measure`, over every prose block, citations included.
    /// GUIDE_NO_PLAIN_LANGUAGE=1 leaves the hot spots out (the reading level is still
    /// counted), for `make bench` to measure what the plain-language checks add.
    static let enabled = Environment.value("GUIDE_NO_PLAIN_LANGUAGE") == nil

    /// A block in `pictures` (a picture alone, its words the alt text) is no paragraph.
    /// Without `proseFacts` (a guide that does not check plain language), only the reading
    /// scores are counted; without `englishFacts` (a guide in another language), no word is
    /// judged hard and no sentence passive, as those rules read English.
    static func analyse(_ blocks: [ParsedMarkdown.TextBlock], headings: [ParsedMarkdown.Heading], lines: [Int: (first: Int, last: Int)],
                        pictures: Set<Int> = [], table: LineTable, glossary: GlossaryMatcher,
                        proseFacts: Bool = true, englishFacts: Bool = true, syllables memo: inout SyllableMemo) -> (ProseFacts, ReadingScores) {
        var facts = ProseFacts()
        var scores = ReadingScores(words: 0, sentences: 0, syllables: 0, polysyllables: 0)
        let citations = citationSections(headings)
        // Made only for a guide that checks plain language (`proseFacts`).
        let (explained, explainedHashes) = enabled && proseFacts && englishFacts ? glossary.explainedWords : ([], WordHashes([]))
        var hardIndex: [String: Int] = [:]
        var seenAbbreviations: Set<String> = []
        var seenAbbreviationHashes: [UInt64] = []
        // Words judged hard or not, by their hash (words recur within a chapter).
        var judged: [UInt64: Bool] = [:]
        // The chapter's prose in lower case (ASCII letters), made once a glossary abbreviation
        // needs it, and where each block starts in it.
        var lowered = LoweredProse(blocks: blocks)
        var part = ReadingLevel.SyllablePart()
        /// Counts a word's syllables toward the reading scores: the word `block[range]`,
        /// looked up by its bytes in place (a slice of the block, made for each word, counted
        /// the block's bytes again); the slice is made only for a word met first.
        func countWord(_ block: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ bytes: [UInt8]) {
            let count = memo.syllables(of: UnsafeBufferPointer(rebasing: block[range])) { syllables(bytes[range], &part) }
            scores.words += 1
            scores.syllables += count
            if count >= 3 { scores.polysyllables += 1 }
        }

        for (blockIndex, block) in blocks.enumerated() where block.kind == .prose {
            let isProse = enabled && proseFacts && !(block.section.map(citations.contains) ?? false)
            let range = lines[blockIndex] ?? (1, table.lineCount)
            var locator = WordLocator(table: table, line: range.first, lastLine: range.last)
            let bytes = Array(block.text.utf8)
            guard isProse else {
                // Only the reading scores: each token counted as it is found, none kept, its
                // letters not classified.
                var wordsInSentence = 0
                bytes.withUnsafeBufferPointer { block in
                    Token.forEach(in: bytes, classify: false) { token in
                        if token.isWord {
                            countWord(block, token.start..<token.end, bytes)
                            wordsInSentence += 1
                        }
                        if token.endsSentence && wordsInSentence > 0 {
                            scores.sentences += 1
                            wordsInSentence = 0
                        }
                    }
                }
                if wordsInSentence > 0 { scores.sentences += 1 }
                continue
            }
            var tokens = Token.split(bytes)
            let paragraphStart = facts.sentences.count
            var sentenceStart = 0
            var wordsInSentence = 0
            var atSentenceStart = true

            func finishSentence(upTo end: Int) {
                let sentence = tokens[sentenceStart..<end]
                sentenceStart = end
                guard isProse, let first = sentence.first(where: \.isWord) else { return }
                facts.sentences.append(.init(position: first.position(table), block: blockIndex, start: first.start, end: sentence.last!.end,
                                             words: sentence.reduce(0) { $0 + ($1.isWord ? 1 : 0) }, passive: englishFacts && isPassive(sentence, bytes)))
                for token in sentence where token.isAbbreviation {
                    // Abbreviations recur in nearly every sentence: known ones by their bytes' hash.
                    let h = HardWords.hash(bytes: bytes[token.coreStart..<token.coreEnd])
                    guard !seenAbbreviationHashes.contains(h) else { continue }
                    seenAbbreviationHashes.append(h)
                    let word = token.word(bytes)
                    guard seenAbbreviations.insert(word).inserted else { continue }
                    if let finding = abbreviation(word, token, in: sentence, bytes, glossary: glossary, prose: &lowered, block: blockIndex, table: table) {
                        facts.abbreviations.append(finding)
                    }
                }
            }

            for index in tokens.indices {
                if tokens[index].isWord {
                    let range = tokens[index].start..<tokens[index].end
                    bytes.withUnsafeBufferPointer { countWord($0, range, bytes) }
                    wordsInSentence += 1
                }
                let endsSentence = tokens[index].endsSentence && wordsInSentence > 0
                if endsSentence {
                    scores.sentences += 1
                    wordsInSentence = 0
                }
                guard isProse, tokens[index].isWord else {
                    if endsSentence {
                        finishSentence(upTo: index + 1)
                        atSentenceStart = true
                    }
                    continue
                }
                tokens[index].place = locator.locate(bytes[tokens[index].coreStart..<tokens[index].coreEnd])
                let token = tokens[index]
                // A capitalised word inside a sentence is taken for a name (Samaritans, Kymriah).
                let name = !atSentenceStart && token.firstUpper
                atSentenceStart = false
                if endsSentence {
                    finishSentence(upTo: index + 1)
                    atSentenceStart = true
                }
                guard englishFacts, !name, token.isHardCandidate else { continue }
                // Most words are everyday words, found by their hash alone; a word already judged
                // in this chapter is not judged again.
                if token.lowerHash != 0 {
                    if HardWords.common.contains(token.lowerHash) || explainedHashes.contains(token.lowerHash) { continue }
                    if let hard = judged[token.lowerHash], !hard { continue }
                }
                let lower = token.word(bytes).lowercased()
                let hard = !explained.contains(lower) && HardWords.isHard(lower, explained: explained)
                if token.lowerHash != 0 { judged[token.lowerHash] = hard }
                guard hard else { continue }
                if let known = hardIndex[lower] {
                    facts.hardWords[known].positions.append(token.position(table))
                } else {
                    hardIndex[lower] = facts.hardWords.count
                    facts.hardWords.append(.init(word: lower, positions: [token.position(table)]))
                }
            }
            if wordsInSentence > 0 { scores.sentences += 1 }
            finishSentence(upTo: tokens.count)
            let count = facts.sentences.count - paragraphStart
            if count > 0, !pictures.contains(blockIndex) {
                facts.paragraphs.append(.init(position: facts.sentences[paragraphStart].position, firstSentence: paragraphStart, sentenceCount: count))
            }
        }
        return (facts, scores)
    }

    /// Syllables of a word as `ReadingLevel.syllables` counts them: its letters, digits,
    /// apostrophes and hyphens, each part between hyphens apart.
    static func syllables(_ token: ArraySlice<UInt8>, _ part: inout ReadingLevel.SyllablePart) -> Int {
        var total = 0
        part.reset()
        var i = token.startIndex
        while i < token.endIndex {
            let (s, w) = Token.decode(token, i)
            i += w
            if s == "-" {
                if part.scalars > 0 { total += part.syllables() }
                part.reset()
            } else if ReadingLevel.isLetter(s) || ReadingLevel.isDigit(s) || s == "'" || s == "’" {
                part.add(s)
            }
        }
        if part.scalars > 0 { total += part.syllables() }
        return total
    }

    /// An abbreviation's first use, when it comes before the abbreviation is spelled out.
    static func abbreviation(_ word: String, _ token: Token, in sentence: ArraySlice<Token>, _ bytes: [UInt8], glossary: GlossaryMatcher,
                             prose: inout LoweredProse, block: Int, table: LineTable) -> ProseFacts.Abbreviation? {
        // A glossary term that is itself an abbreviation (CD19) is explained where it is marked.
        if glossary.terms.contains(where: { $0.term == word || $0.aliases.contains(word) }) { return nil }
        if let term = glossary.terms.first(where: { $0.abbr == word }) {
            // Spelled out before, or in the same sentence.
            let end = prose.start(of: block) + sentence.last!.end
            let forms = [term.term] + term.aliases.filter { $0.uppercased() != $0 }
            if forms.contains(where: { prose.contains(LoweredProse.lower($0), before: end) }) { return nil }
            return .init(abbreviation: word, spelledOut: term.term, position: token.position(table))
        }
        if spelledOutNearby(word, token, in: sentence, bytes) { return nil }
        return .init(abbreviation: word, spelledOut: nil, position: token.position(table))
    }

    /// Headings whose sections list sources (References, Sources, …), and every heading
    /// under them: citations are not prose a patient reads as such.
    static func citationSections(_ headings: [ParsedMarkdown.Heading]) -> Set<Int> {
        var result: Set<Int> = []
        var level: Int?
        for (index, heading) in headings.enumerated() {
            if let open = level, heading.level > open {
                result.insert(index)
                continue
            }
            level = nil
            // Most headings are not one of these: their length and first letter tell at once.
            if heading.text.utf8.count <= 21, let first = heading.text.utf8.first, citationInitials.contains(first | 0x20),
               citationHeadings.contains(heading.text.lowercased().trimmingSpaces()) {
                result.insert(index)
                level = heading.level
            }
        }
        return result
    }

    static let citationHeadings: Set<String> = ["references", "sources", "bibliography", "citations", "further reading", "where this comes from"]
    static let citationInitials = Set(citationHeadings.compactMap(\.utf8.first))

    /// An abbreviation not in the glossary is spelled out where it is first used when it is
    /// followed by an explanation in brackets (`ECG (a heart tracing)`), or when the words
    /// just before it (`intensive care unit (ICU)`) or just after it start with its letters,
    /// small joining words aside (`measles, mumps and rubella`).
    static func spelledOutNearby(_ word: String, _ token: Token, in sentence: ArraySlice<Token>, _ bytes: [UInt8]) -> Bool {
        let letters = Array(word.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic })
        guard !letters.isEmpty else { return true }
        if token.end == token.coreEnd, let next = sentence.first(where: { $0.start > token.start }), bytes[next.start] == UInt8(ascii: "(") {
            return true
        }
        let words = sentence.filter { $0.isWord && !smallWords.contains($0.word(bytes).lowercased()) || $0.start == token.start }
        guard let position = words.firstIndex(where: { $0.start == token.start }) else { return false }
        func initials(_ slice: ArraySlice<Token>) -> [Unicode.Scalar] {
            slice.flatMap { $0.word(bytes).lowercased().split(separator: "-").compactMap { $0.unicodeScalars.first } }
        }
        for length in 1...min(letters.count, 8) {
            let before = words[max(0, position - length)..<position]
            if before.count == length, initials(before) == letters { return true }
            let after = words[min(words.count, position + 1)..<min(words.count, position + 1 + length)]
            if after.count == length, initials(after) == letters { return true }
        }
        return false
    }

    static let smallWords: Set<String> = ["and", "of", "the", "for", "to", "in", "on", "a", "an", "or", "with"]

    static let beVerbs: Set<String> = ["am", "is", "are", "was", "were", "be", "been", "being", "isn't", "aren't", "wasn't", "weren't",
                                       "isn’t", "aren’t", "wasn’t", "weren’t"]
    static let beVerbInitials: [UInt8] = Array("aiwb".utf8)
    static let beVerbHashes = WordHashes(beVerbs.filter { !$0.contains("'") }.map(HardWords.hash))
    static let adverbs: Set<String> = ["not", "also", "often", "usually", "always", "never", "then", "still", "sometimes", "only", "first", "now", "rarely", "just"]
    static let irregularParticiples: Set<String> = [
        "given", "taken", "done", "made", "seen", "known", "shown", "written", "found", "told", "held", "kept", "left", "put", "set", "sent",
        "spent", "built", "brought", "bought", "caught", "taught", "thought", "paid", "said", "born", "chosen", "driven", "eaten", "fallen",
        "forgotten", "frozen", "gotten", "hidden", "hurt", "cut", "lost", "meant", "met", "sold", "split", "spread", "stolen", "stuck",
        "struck", "thrown", "understood", "worn", "withdrawn", "broken", "spoken", "begun", "drawn", "grown", "blown", "shaken", "woken",
    ]
    /// Words ending in "-ed" that are adjectives after "be" more often than passives.
    static let adjectivesInED: Set<String> = ["tired", "worried", "scared", "interested", "excited", "married", "used", "supposed", "concerned",
                                              "bored", "pleased", "surprised", "confused", "ashamed", "embarrassed", "frightened", "needed"]

    /// A form of "be", perhaps an adverb, then a past participle.
    static func isPassive(_ words: [String]) -> Bool {
        for (i, word) in words.enumerated() where beVerbs.contains(word) {
            var j = i + 1
            if j < words.count, adverbs.contains(words[j]) || (words[j].hasSuffix("ly") && words[j].count > 4) { j += 1 }
            guard j < words.count else { continue }
            let next = words[j]
            if irregularParticiples.contains(next) { return true }
            if next.count > 4, next.hasSuffix("ed"), !adjectivesInED.contains(next) { return true }
        }
        return false
    }

    /// The same for a sentence's tokens: only the words after a form of "be" become strings.
    static func isPassive(_ sentence: ArraySlice<Token>, _ bytes: [UInt8]) -> Bool {
        var i = sentence.startIndex
        while i < sentence.endIndex {
            let token = sentence[i]
            i += 1
            // A form of "be" is letters only (its hash), or a contraction such as "isn't".
            let length = token.coreEnd - token.coreStart
            guard token.isWord, length >= 2, length <= 7, beVerbInitials.contains(bytes[token.coreStart] | 0x20),
                  beVerbHashes.contains(token.lowerHash)
                    || (token.lowerHash == 0 && bytes[token.coreStart..<token.coreEnd].contains { $0 == 0x27 || $0 == 0x80 }
                        && beVerbs.contains(token.word(bytes).lowercased())) else { continue }
            var words = [token.word(bytes).lowercased()]
            var j = i
            while j < sentence.endIndex, words.count < 3 {
                if sentence[j].isWord { words.append(sentence[j].word(bytes).lowercased()) }
                j += 1
            }
            if isPassive(words) { return true }
        }
        return false
    }
}

/// A chapter's prose blocks as one run of bytes, ASCII letters in lower case (so offsets
/// stay those of the text), made when first searched.
struct LoweredProse {
    let blocks: [ParsedMarkdown.TextBlock]
    private var bytes: [UInt8] = []
    private var starts: [Int] = []

    init(blocks: [ParsedMarkdown.TextBlock]) { self.blocks = blocks }

    static func lower(_ text: String) -> [UInt8] { text.utf8.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 } }

    mutating func start(of block: Int) -> Int {
        if starts.isEmpty {
            for b in blocks {
                starts.append(bytes.count)
                // Only prose is searched; other blocks keep their place with nothing in it.
                if b.kind == .prose { bytes += LoweredProse.lower(b.text) }
                bytes.append(0x0A)
            }
        }
        return starts[block]
    }

    /// Whether `needle` occurs in the first `end` bytes.
    mutating func contains(_ needle: [UInt8], before end: Int) -> Bool {
        _ = start(of: 0)
        let limit = min(end, bytes.count)
        return bytes.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                n.isEmpty || guide_contains_bytes(h.baseAddress, limit, n.baseAddress, n.count) == 1
            }
        }
    }
}

/// A whitespace-separated piece of prose, as UTF-8 offsets into its block's text.
struct Token {
    var start: Int
    var end: Int
    /// The token less the punctuation around it (`(CRS),` → `CRS`).
    var coreStart: Int
    var coreEnd: Int
    /// It has a letter or digit, as `ReadingLevel` counts a word.
    var isWord = false
    var endsSentence = false
    /// It has a dot inside (a web address, "e.g."): neither a hard word nor an abbreviation.
    var dotted = false
    /// Its first letter is a capital.
    var firstUpper = false
    /// All capitals (two or more), perhaps with digits and hyphens, not starting with a digit:
    /// CRS, ICANS, CAR-T, CD19 (not a phone number such as 1-800-4-CANCER).
    var capitalsOnly = false
    /// Letters and hyphens only, five or more letters.
    var longLettersOnly = false
    /// `HardWords.hash` of the core in lower case, when it is ASCII letters only; else 0.
    var lowerHash: UInt64 = 0
    /// Where it is in the source: line and byte column (made a character column only for
    /// the few words reported, by `LineTable.position`).
    var place: (line: Int, byte: Int)?

    func position(_ table: LineTable) -> SourcePosition { table.position(line: place!.line, byteColumn: place!.byte) }

    /// An abbreviation, unless it is a shouted everyday word ("CALL").
    var isAbbreviation: Bool { capitalsOnly && !dotted }

    /// A word the hard-word check looks at: letters only (hyphenated parts apart), not an
    /// abbreviation, not a contraction, not too short to be hard.
    var isHardCandidate: Bool { longLettersOnly && !dotted && !capitalsOnly }

    /// The word: the core's letters, digits, apostrophes and hyphens, less a possessive.
    func word(_ bytes: [UInt8]) -> String {
        var text = String(decoding: bytes[coreStart..<coreEnd], as: UTF8.self)
        if text.unicodeScalars.contains(where: { !(ReadingLevel.isLetter($0) || ReadingLevel.isDigit($0) || $0 == "-") }) {
            var kept = String.UnicodeScalarView()
            kept.append(contentsOf: text.unicodeScalars.filter { ReadingLevel.isLetter($0) || ReadingLevel.isDigit($0) || $0 == "'" || $0 == "’" || $0 == "-" })
            text = String(kept)
            for suffix in ["'s", "’s", "'", "’"] where text.hasSuffix(suffix) && text.count > suffix.count { text.removeLast(suffix.count); break }
        }
        return text
    }

    /// The tokens of a block's text.
    static func split(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        forEach(in: bytes) { tokens.append($0) }
        return tokens
    }

    /// The tokens of a block's text, each handed to `body` as it is found; without
    /// `classify`, only where they are, whether each is a word and whether it ends a sentence
    /// (all the reading level needs).
    static func forEach(in bytes: [UInt8], classify: Bool = true, _ body: (Token) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in forEach(in: bytes, buffer, classify: classify, body) }
    }

    /// Eight bytes' flags (0x80 in each byte) where a byte ends a token (space, line break,
    /// tab), is an "@" or is not ASCII: the lowest flag is exact (a flag can be wrong only
    /// above a byte truly flagged), which is all `forEach` reads.
    @inline(__always)
    private static func tokenStops(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zeroBytes(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        return zeroBytes(word ^ (0x20 &* ones)) | zeroBytes(word ^ (0x0A &* ones)) | zeroBytes(word ^ (0x09 &* ones))
            | zeroBytes(word ^ (0x40 &* ones)) | (word & highs)
    }

    private static func forEach(in bytes: [UInt8], _ buffer: UnsafeBufferPointer<UInt8>, classify: Bool, _ body: (Token) -> Void) {
        var i = 0
        let n = buffer.count
        while i < n {
            // Skip white space (ASCII, or a non-ASCII space such as U+00A0), a space read
            // from the buffer (most of them), any other decoded.
            let first = buffer[i]
            if first == 0x20 || first == 0x0A || first == 0x09 { i += 1; continue }
            if first >= 0x80 {
                let (scalar, width) = decode(bytes, i)
                if isSpace(scalar) { i += width; continue }
            }
            let start = i
            var end = i
            var ascii = true
            // An "@" makes the token an e-mail address: noticed here, as its bytes are read.
            var at = false
            while end < n {
                // Eight bytes at a time up to the next that ends the token, is an "@" or
                // starts a character of several bytes: most of a text's bytes are inside words.
                while end + 8 <= n {
                    let stops = tokenStops(UInt64(littleEndian: UnsafeRawPointer(buffer.baseAddress! + end).loadUnaligned(as: UInt64.self)))
                    if stops == 0 { end += 8; continue }
                    end += stops.trailingZeroBitCount / 8
                    break
                }
                guard end < n else { break }
                let byte = buffer[end]
                if byte < 0x80 {
                    if byte == 0x20 || byte == 0x0A || byte == 0x09 { break }
                    at = at || byte == 0x40
                    end += 1
                    continue
                }
                let (s, w) = decode(bytes, end)
                if isSpace(s) { break }
                ascii = false
                end += w
            }
            i = end
            body(ascii ? makeASCII(bytes, start, end, classify: classify, at: at) : make(bytes, start, end, classify: classify, at: at))
        }
    }

    /// Whether an ASCII byte is a letter or digit (`ReadingLevel.isLetter` or `isDigit`), by
    /// arithmetic: a table, a global, was checked for its one-time setup at every word.
    @inline(__always)
    private static func isASCIILetterOrDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 || (byte | 0x20) &- 0x61 < 26 }

    /// `make` for a token of ASCII bytes only (most of them): its core and sentence end are
    /// found byte by byte, without decoding; classifying it is `make`'s.
    private static func makeASCII(_ bytes: [UInt8], _ start: Int, _ end: Int, classify: Bool, at: Bool) -> Token {
        if classify { return make(bytes, start, end, classify: true, at: at) }
        var token = Token(start: start, end: end, coreStart: start, coreEnd: end)
        var k = start
        while k < end, !isASCIILetterOrDigit(bytes[k]) { k += 1 }
        token.coreStart = k
        var last = end
        while last > k, !isASCIILetterOrDigit(bytes[last - 1]) { last -= 1 }
        token.coreEnd = last
        if at || isWebAddress(bytes, start, end) { return token }
        // The sentence ends at . ! or ? before any closing quotes, brackets and emphasis marks.
        var e = end
        while e > start {
            let byte = bytes[e - 1]
            if byte == 0x22 || byte == 0x27 || byte == 0x29 || byte == 0x5D || byte == 0x2A || byte == 0x5F { e -= 1; continue }
            token.endsSentence = byte == 0x2E || byte == 0x21 || byte == 0x3F
            break
        }
        token.isWord = token.coreStart < token.coreEnd
        return token
    }

    /// Whether the token is a web address (an e-mail address is told by its "@", noticed as
    /// the token is read): not words a reader reads (as `ReadingLevel` has it). Most words
    /// start with neither letter an address prefix starts with.
    @inline(__always)
    private static func isWebAddress(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        guard bytes[start] == UInt8(ascii: "h") || bytes[start] == UInt8(ascii: "w") else { return false }
        func starts(with prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            guard end - start >= count else { return false }
            for k in 0..<count where bytes[start + k] != prefix.utf8Start[k] { return false }
            return true
        }
        return starts(with: "http://") || starts(with: "https://") || starts(with: "www.")
    }

    /// `at`: whether the token has an "@" (an e-mail address), when its reader noticed.
    static func make(_ bytes: [UInt8], _ start: Int, _ end: Int, classify: Bool, at: Bool? = nil) -> Token {
        var token = Token(start: start, end: end, coreStart: start, coreEnd: end)
        // The core: from the first letter or digit to the last.
        var k = start
        while k < end {
            let (s, w) = decode(bytes, k)
            if ReadingLevel.isLetter(s) || ReadingLevel.isDigit(s) { break }
            k += w
        }
        token.coreStart = k
        var last = end
        while last > token.coreStart {
            var b = last - 1
            while b > token.coreStart, bytes[b] & 0xC0 == 0x80 { b -= 1 }
            let (s, _) = decode(bytes, b)
            if ReadingLevel.isLetter(s) || ReadingLevel.isDigit(s) { break }
            last = b
        }
        token.coreEnd = last
        if at ?? bytes[start..<end].contains(UInt8(ascii: "@")) || isWebAddress(bytes, start, end) { return token }
        // The sentence ends at . ! or ? before any closing quotes, brackets and emphasis marks.
        var e = end
        while e > start {
            var b = e - 1
            while b > start, bytes[b] & 0xC0 == 0x80 { b -= 1 }
            let (s, _) = decode(bytes, b)
            if ReadingLevel.isCloser(s) { e = b; continue }
            token.endsSentence = s == "." || s == "!" || s == "?"
            break
        }
        guard token.coreStart < token.coreEnd else { return token }
        token.isWord = true
        guard classify else { return token }
        var capitals = 0, letters = 0, lettersOnly = true, allCapitals = true, first = true, firstIsDigit = false
        var hash = HardWords.fnvBasis, asciiLetters = true
        var j = token.coreStart
        while j < token.coreEnd {
            let (s, w) = decode(bytes, j)
            if s.isASCII, ReadingLevel.isLetter(s) {
                let b = UInt8(s.value)
                hash = (hash ^ UInt64(b >= 65 && b <= 90 ? b + 32 : b)) &* HardWords.fnvPrime
            } else {
                asciiLetters = false
            }
            if s == "." { token.dotted = true }
            if ReadingLevel.isLetter(s) {
                letters += 1
                let upper = s.isASCII ? (s.value >= 65 && s.value <= 90) : s.properties.isUppercase
                if upper { capitals += 1 } else { allCapitals = false }
                if first { token.firstUpper = upper }
            } else if ReadingLevel.isDigit(s) {
                lettersOnly = false
                if first { firstIsDigit = true }
            } else if s != "-" {
                lettersOnly = false
                allCapitals = false
            }
            first = false
            j += w
        }
        if asciiLetters { token.lowerHash = hash }
        token.capitalsOnly = capitals >= 2 && allCapitals && !firstIsDigit
        if token.capitalsOnly, asciiLetters {
            // A shouted everyday word ("CALL") is not an abbreviation.
            token.capitalsOnly = !HardWords.common.contains(hash)
        }
        token.longLettersOnly = lettersOnly && letters >= 5
        return token
    }

    private static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\n" || s == "\t" || (!s.isASCII && s.properties.isWhitespace)
    }

    /// The scalar at a byte offset of valid UTF-8, and its width.
    static func decode(_ bytes: [UInt8], _ i: Int) -> (Unicode.Scalar, Int) { decode(bytes[...], i) }

    static func decode(_ bytes: ArraySlice<UInt8>, _ i: Int) -> (Unicode.Scalar, Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let width = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2
        guard i + width <= bytes.endIndex else { return (Unicode.Scalar(0xFFFD)!, 1) }
        var value = UInt32(b0) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
        for k in 1..<width { value = value << 6 | UInt32(bytes[i + k] & 0x3F) }
        return (Unicode.Scalar(value) ?? Unicode.Scalar(0xFFFD)!, width)
    }
}

/// Finds each word of a prose block in its source lines, in order, so that a sentence or a
/// word is reported where it is written. A word it cannot find (its text differs from the
/// source, as `&amp;` does) is placed where the last one was found.
struct WordLocator {
    let table: LineTable
    var line: Int
    let lastLine: Int
    var byte = 0

    /// The line and byte column of the word's next use.
    mutating func locate(_ needle: ArraySlice<UInt8>) -> (line: Int, byte: Int) {
        var l = line
        while l <= lastLine, !needle.isEmpty {
            if let offset = table.find(needle, inLine: l, from: l == line ? byte : 0) {
                line = l
                byte = offset + needle.count
                return (l, offset + 1)
            }
            l += 1
        }
        return (line, byte + 1)
    }
}

/// Everyday English (wordfreq's frequency data, `CommonWords`), for the hard-word check.
enum HardWords {
    /// The lists as hashes of their words' bytes (`hash`): made without a string per word,
    /// and looked up without one for the words of prose.
    static let common = WordHashes(hashes(CommonWords.common))
    static let known = WordHashes(hashes(CommonWords.known))

    static func hashes(_ list: String) -> [UInt64] {
        var result: [UInt64] = []
        result.reserveCapacity(16_000)
        var h = fnvBasis, inWord = false
        // Read as one buffer: the lists are 200 KB, hashed at each parse worker's start.
        var list = list
        list.withUTF8 { bytes in
            for byte in bytes {
                if byte == 0x20 || byte == 0x0A {
                    if inWord { result.append(h) }
                    h = fnvBasis
                    inWord = false
                } else {
                    h = (h ^ UInt64(byte)) &* fnvPrime
                    inWord = true
                }
            }
        }
        if inWord { result.append(h) }
        return result
    }

    static let fnvBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x100_0000_01b3

    /// FNV-1a of a word's UTF-8 bytes.
    static func hash(_ word: String) -> UInt64 { hash(bytes: word.utf8) }

    /// FNV-1a of bytes: a word's, without making it a string.
    static func hash<Bytes: Sequence>(bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var h = fnvBasis
        for byte in bytes { h = (h ^ UInt64(byte)) &* fnvPrime }
        return h
    }

    /// A word (in lower case) is hard when neither it nor its stem (less an ending such as
    /// -s, -ed, -ing, -ly, -ness) is everyday English, and it is rare (not even in the
    /// known list) or has three or more syllables. Hyphenated words are judged by parts.
    static func isHard(_ word: String, explained: Set<String>) -> Bool {
        if word.utf8.contains(UInt8(ascii: "-")) {
            return word.split(separator: "-").contains { part in
                let p = String(part)
                return p.count >= 5 && !explained.contains(p) && isHard(p, explained: explained)
            }
        }
        let forms = [word] + stems(word)
        if forms.contains(where: { common.contains(hash($0)) || explained.contains($0) }) { return false }
        if forms.contains(where: { known.contains(hash($0)) }) { return ReadingLevel.syllables(in: word) >= 3 }
        return true
    }

    /// Longest first.
    static let endings = ["s", "es", "ies", "ed", "d", "ied", "ing", "ly", "ily", "ness", "iness", "less", "ful", "er", "est", "ment", "ments"]
        .sorted { $0.count > $1.count }

    /// The word less one common ending (`-ies` and `-ied` back to `-y`), longest first.
    static func stems(_ word: String) -> [String] {
        // An ASCII word's characters are its bytes: its ends and length are read from them,
        // not by walking its characters for each ending (a glossary's words, at each parse
        // worker's start).
        if word.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) {
            let bytes = Array(word.utf8)
            var result: [String] = []
            for (ending, endingBytes) in asciiEndings where bytes.count > endingBytes.count + 2 && bytes.suffix(endingBytes.count).elementsEqual(endingBytes) {
                let base = String(decoding: bytes.dropLast(endingBytes.count), as: UTF8.self)
                result.append(ending.hasPrefix("i") && ending != "ing" ? base + "y" : base)
                if ending == "ing" || ending == "ed" || ending == "er" || ending == "est" { result.append(base + "e") }
            }
            return result
        }
        return stemsOfAnyWord(word)
    }

    /// `endings` with their bytes.
    private static let asciiEndings = endings.map { ($0, Array($0.utf8)) }

    /// `stems` of a word in any script, by its characters.
    static func stemsOfAnyWord(_ word: String) -> [String] {
        var result: [String] = []
        for ending in endings where word.hasSuffix(ending) && word.count > ending.count + 2 {
            let base = String(word.dropLast(ending.count))
            result.append(ending.hasPrefix("i") && ending != "ing" ? base + "y" : base)
            if ending == "ing" || ending == "ed" || ending == "er" || ending == "est" { result.append(base + "e") }
        }
        return result
    }
}

extension GlossaryMatcher {
    /// Every word of the glossary's terms, abbreviations and aliases, in lower case, with
    /// their stems: a word the glossary explains is not a hard word.
    static func explainedWords(_ terms: [GlossaryTerm]) -> Set<String> {
        var words: Set<String> = []
        for term in terms {
            for text in [term.term] + (term.abbr.map { [$0] } ?? []) + term.aliases {
                // Each parse worker makes this at its start, for each language's glossary: an
                // ASCII text is lowered and split by its bytes, not walked character by character.
                if text.utf8.allSatisfy({ $0 < 0x80 }) {
                    insertASCIIWords(of: text, into: &words)
                } else {
                    insertWords(of: text, into: &words)
                }
            }
        }
        return words
    }

    /// A text's words (letters, hyphens and apostrophes), each hyphenated word's parts, and
    /// their stems.
    static func insertWords(of text: String, into words: inout Set<String>) {
        for word in text.lowercased().split(whereSeparator: { !($0.isLetter || $0 == "-" || $0 == "'") }) {
            words.insert(String(word))
            for part in word.split(separator: "-") { words.insert(String(part)) }
            words.formUnion(HardWords.stems(String(word)))
        }
    }

    /// `insertWords` for an ASCII text, whose letters are its bytes a–z once lowered.
    static func insertASCIIWords(of text: String, into words: inout Set<String>) {
        let bytes = text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        func isWordByte(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x27 }
        var start = 0
        for end in 0...bytes.count where end == bytes.count || !isWordByte(bytes[end]) {
            defer { start = end + 1 }
            guard end > start else { continue }
            let word = bytes[start..<end]
            let whole = String(decoding: word, as: UTF8.self)
            words.insert(whole)
            var partStart = start
            for partEnd in start...end where partEnd == end || bytes[partEnd] == 0x2D {
                if partEnd > partStart { words.insert(String(decoding: bytes[partStart..<partEnd], as: UTF8.self)) }
                partStart = partEnd + 1
            }
            words.formUnion(HardWords.stems(whole))
        }
    }
}

extension String {
    /// The text between two UTF-8 offsets.
    func utf8Slice(_ start: Int, _ end: Int) -> String {
        let bytes = Array(utf8)
        return String(decoding: bytes[max(0, start)..<min(bytes.count, end)], as: UTF8.self)
    }
}

/// A set of words' `HardWords.hash`es, looked up with one multiply (Fibonacci hashing of
/// the FNV value) instead of `Set`'s SipHash: every word of every chapter is looked up, and
/// hashing was most of that cost. Open addressing, at most half full.
struct WordHashes: Sendable {
    private var slots: [UInt64]
    private let shift: UInt64

    init(_ hashes: some Sequence<UInt64>) {
        let values = Array(hashes)
        var bits: UInt64 = 4
        while (1 << bits) < values.count * 2 { bits += 1 }
        slots = [UInt64](repeating: 0, count: 1 << bits)
        shift = 64 - bits
        for value in values where value != 0 {
            var i = slot(value)
            while slots[i] != 0, slots[i] != value { i = (i + 1) & (slots.count - 1) }
            slots[i] = value
        }
    }

    private func slot(_ value: UInt64) -> Int { Int(truncatingIfNeeded: (value &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    func contains(_ value: UInt64) -> Bool {
        guard value != 0 else { return false }
        let mask = slots.count - 1
        var i = slot(value)
        while true {
            let found = slots[i]
            if found == value { return true }
            if found == 0 { return false }
            i = (i + 1) & mask
        }
    }
}
