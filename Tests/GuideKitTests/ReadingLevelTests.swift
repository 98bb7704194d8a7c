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
}
