import Foundation
import Testing
@testable import GuideKit

/// Reading level: the counting rules documented on `ReadingScores`.
@Suite struct ReadingLevelTests {
    // Proves: syllables follow English spelling rules, including silent e, -le, -es, -ed and abbreviations.
    @Test(arguments: [
        ("the", 1), ("make", 1), ("table", 2), ("boxes", 2), ("makes", 1), ("needed", 2), ("liked", 1),
        ("cytokine", 3), ("infusion", 3), ("bacteria", 4), ("lymphodepletion", 5), ("radio", 3),
        ("CRS", 1), ("ICANS", 1), ("follow-up", 3), ("café", 2), ("rhythm", 1), ("2025", 1),
    ])
    func syllables(word: String, expected: Int) {
        #expect(ReadingLevel.syllables(in: word) == expected)
    }

    // Proves: only prose counts; every paragraph or list item ends a sentence; URLs are not words.
    @Test func countsProseOnly() {
        let parsed = MarkdownParser.parse("""
        # A heading with many extraordinarily complicated words

        The cat sat. The dog ran!

        - A short item
        - Another item

        ```
        code is not prose at all
        ```

        | a table | is not prose |
        | --- | --- |

        See https://example.org/a-very-long-address now.
        """)
        let scores = ReadingLevel.measure(parsed.blocks)
        #expect(scores.words == 6 + 3 + 2 + 2)
        #expect(scores.sentences == 5)
    }

    // Proves: the three formulas, on known counts.
    @Test func formulas() {
        let scores = ReadingScores(words: 100, sentences: 5, syllables: 150, polysyllables: 10)
        #expect(abs(scores.fleschKincaidGrade - (0.39 * 20 + 11.8 * 1.5 - 15.59)) < 1e-9)
        #expect(abs(scores.fleschReadingEase - (206.835 - 1.015 * 20 - 84.6 * 1.5)) < 1e-9)
        #expect(abs(scores.smogGrade - (1.043 * (10.0 * 30 / 5).squareRoot() + 3.1291)) < 1e-9)
    }

    // Proves: the parser's one pass over the prose (which also finds the plain-language hot
    // spots) counts words, sentences and syllables exactly as `ReadingLevel.measure` does, on
    // every chapter of the shipped guide, every fixture and a generated guide of 300 chapters.
    @Test func onePassCountsAsMeasureDoes() throws {
        var folders = [Fixtures.shippedContent] + ["basic", "broken-links", "check-rules", "check-trust", "words", "markup", "plain-language",
                                                   "renamed", "search-words"].map(Fixtures.content)
        let generated = try Fixtures.generatedGuide(chapters: 300)
        defer { try? FileManager.default.removeItem(at: generated) }
        folders.append(generated)
        var compared = 0
        for folder in folders {
            let guide = try #require(checkKeepingText(content: folder).guide)
            for chapter in guide.chapters + guide.unlistedChapters {
                let markdown = chapter.chapter.markdown
                #expect(markdown.readingScores == ReadingLevel.measure(markdown.blocks), "\(chapter.chapter.file.displayPath)")
                compared += 1
            }
        }
        #expect(compared > 350)
    }

    // Proves: a parse worker's syllable memo, kept across chapters as a worker keeps it,
    // gives the counts `ReadingLevel.measure` gives, for every chapter of the shipped guide
    // and of a generated guide of 300 chapters, in that order; and it counts each word once.
    @Test func syllableMemoAcrossChaptersCountsAsMeasureDoes() throws {
        let generated = try Fixtures.generatedGuide(chapters: 300)
        defer { try? FileManager.default.removeItem(at: generated) }
        var memo = SyllableMemo()
        var compared = 0
        for folder in [Fixtures.shippedContent, generated] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".md") {
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                let parsed = MarkdownParser.parse(LineTable(text, bodyStartLine: 1), glossary: GlossaryMatcher(terms: []), syllables: &memo)
                #expect(parsed.readingScores == ReadingLevel.measure(parsed.blocks), "\(name)")
                compared += 1
            }
        }
        #expect(compared > 300)
        // Each word is counted at its first sight only, and its count is found by its bytes;
        // a full memo keeps what it has and counts new words without keeping them.
        let list = (0..<5_000).map { "w\($0)ord" } + ["a", "ab", "abc", "ab"]
        /// How many times `memo` counted, over the list twice; each count checked.
        func counts(_ memo: SyllableMemo) -> Int {
            var memo = memo, counted = 0
            for _ in 0..<2 {
                for word in list {
                    let bytes = Array(word.utf8)
                    var part = ReadingLevel.SyllablePart(), fresh = ReadingLevel.SyllablePart()
                    let count = bytes.withUnsafeBufferPointer { word in
                        memo.syllables(of: word) { counted += 1; return PlainLanguage.syllables(bytes[...], &part) }
                    }
                    #expect(count == PlainLanguage.syllables(bytes[...], &fresh), "\(word)")
                }
            }
            return counted
        }
        #expect(counts(SyllableMemo()) == 5_003)
        #expect(counts(SyllableMemo(slotLimit: 1 << 13)) == 5_004 + (5_004 - 4_096))
    }

    // Proves: byte strings are numbered in the order they are first met and found again by
    // their bytes alone, whatever their length: the empty key, keys that share their first
    // seven bytes or differ only in the eighth, keys that are a prefix of another, and keys
    // with bytes above 0x7F; through the table's growth, as a dictionary numbers them; and
    // looked up without being added (`find`).
    @Test func byteKeysNumberEachKeyByItsBytes() throws {
        var words = ["", "a", "ab", "abcdefg", "abcdefgh", "abcdefgi", "abcdefghijklmnop", "abcdefghijklmnoq", "bcdefgh", "\u{0}", "\u{0}\u{0}", "é", "ée"]
        words += (0..<30_000).map { n in String(repeating: "x", count: n % 13) + String(n, radix: 36) }
        var keys = ByteKeys()
        var oracle: [[UInt8]: Int] = [:]
        for round in 0..<2 {
            for word in words {
                let bytes = Array(word.utf8)
                let found = bytes.withUnsafeBufferPointer { keys.number(of: $0) }
                let expected = oracle[bytes] ?? oracle.count
                #expect(found?.number == expected && found?.added == (oracle[bytes] == nil), "\(word), round \(round)")
                oracle[bytes] = expected
            }
        }
        #expect(oracle.count == words.count)
        // Looked up without adding: each key's number, and none for a key never added (a
        // longer or shorter key, one byte changed); the table is as it was.
        for word in words.prefix(200) {
            let bytes = Array(word.utf8)
            #expect(bytes.withUnsafeBufferPointer { keys.find($0) } == oracle[bytes], "\(word)")
            for other in [bytes + [0x7A], bytes.dropLast().map { $0 }, bytes.isEmpty ? [0x01] : [bytes[0] ^ 0x01] + bytes.dropFirst()] where oracle[other] == nil {
                #expect(other.withUnsafeBufferPointer { keys.find($0) } == nil, "\(word) -> \(other)")
            }
        }
        #expect([UInt8]("never added".utf8).withUnsafeBufferPointer { keys.number(of: $0) }?.number == words.count)
        // Two keys whose bytes differ only by a trailing zero byte, in the same slot of a new
        // table: the second is a key of its own.
        func slot(_ key: [UInt8]) -> UInt64 { key.withUnsafeBufferPointer { ByteKeys.hashAndTag($0).hash } & 4095 }
        let pair = (1...255).lazy.flatMap { b in (0...255).lazy.map { c in [UInt8(b), UInt8(c)] } }.first { key in slot(key) == slot(key + [0]) }
        let short = try #require(pair)
        var fresh = ByteKeys()
        #expect(short.withUnsafeBufferPointer { fresh.number(of: $0) }?.number == 0)
        #expect((short + [0]).withUnsafeBufferPointer { fresh.number(of: $0) }.map { [$0.number, $0.added ? 1 : 0] } == [1, 1])
        #expect((short + [0]).withUnsafeBufferPointer { fresh.number(of: $0) }?.number == 1)
    }

    // Proves: an ASCII token's core, word and sentence end, read byte by byte, are those the
    // scalar reading gives: every token of the shipped guide's and a generated guide's text,
    // and punctuation, addresses and emphasis around words; and a chapter's reading scores
    // without the plain-language facts are `ReadingLevel.measure`'s.
    @Test func asciiTokensAreReadAsScalarsAre() throws {
        let generated = try Fixtures.generatedGuide(chapters: 100)
        defer { try? FileManager.default.removeItem(at: generated) }
        var compared = 0
        func compare(_ text: String, _ name: String) {
            let bytes = Array(text.utf8)
            // The tokens' places, as white space (a space, line break, tab or non-ASCII white
            // space) splits the text, scalar by scalar.
            var expected: [Range<Int>] = [], start: Int?, offset = 0
            for scalar in text.unicodeScalars {
                let space = scalar == " " || scalar == "\n" || scalar == "\t" || (!scalar.isASCII && scalar.properties.isWhitespace)
                if space, let first = start { expected.append(first..<offset); start = nil }
                if !space, start == nil { start = offset }
                offset += UTF8.width(scalar)
            }
            if let first = start { expected.append(first..<offset) }
            var found: [Range<Int>] = []
            Token.forEach(in: bytes, classify: false) { found.append($0.start..<$0.end) }
            #expect(found == expected, "\(name): tokens")
            Token.forEach(in: bytes, classify: false) { token in
                let scalar = Token.make(bytes, token.start, token.end, classify: false)
                #expect([token.coreStart, token.coreEnd] == [scalar.coreStart, scalar.coreEnd] && token.isWord == scalar.isWord
                        && token.endsSentence == scalar.endsSentence, "\(name): \(String(decoding: bytes[token.start..<token.end], as: UTF8.self))")
                compared += 1
            }
        }
        // Addresses, which are not words: an "@" anywhere in a token, ASCII or not, or a web prefix.
        compare("Write to team@example.org, or (help@nhs.uk). See https://x.org/a, http://y.org and www.z.org. Ünï@é ok. hat wow.", "addresses")
        for folder in [Fixtures.shippedContent, generated] {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".md") {
                let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                var memo = SyllableMemo()
                let parsed = MarkdownParser.parse(LineTable(text, bodyStartLine: 1), glossary: GlossaryMatcher(terms: []), proseFacts: false, syllables: &memo)
                #expect(parsed.readingScores == ReadingLevel.measure(parsed.blocks), "\(name)")
                for block in parsed.blocks { compare(block.text, name) }
            }
        }
        compare("(CRS), \"Stop.\") it's e.g. www.x.org http://a.b https://c a@b.c *bold!* _it?_ ... [1]. '' 3.5 -- ** x\ty\nz A.", "edges")
        compare("café, «naïve» word\u{00A0}after — done.” “Quote?”", "not ASCII")
        // Stops at every place within and across eight bytes (read eight at a time).
        for shift in 0..<9 {
            let pad = String(repeating: "a", count: shift)
            compare(pad + "abcdefghijkl@mnop qrstuvwx\tyz0123456789\nabcdefgh é ijklmnopqrstuv\u{00A0}w longwordlongword@x.org end.", "stops \(shift)")
        }
        #expect(compared > 10_000)
    }
}
