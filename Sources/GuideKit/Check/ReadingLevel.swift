import Foundation

/// Readability of a chapter's prose: Flesch-Kincaid grade, SMOG grade, Flesch Reading Ease.
///
/// What is counted:
/// - Prose only: paragraphs and list items. Headings, code, tables and link destinations
///   are left out; link text is prose. Bare URLs and e-mail addresses are left out.
/// - A word is a run of letters, digits, apostrophes and hyphens with at least one letter
///   or digit ("CAR-T", "don't" and "2025" are one word each).
/// - A sentence ends at `.`, `!` or `?` followed by a space or the end of the block, and
///   every paragraph or list item ends one, so a list of short items reads as short sentences.
/// - Syllables are counted by English spelling rules (vowel groups, a silent final "e", "-le",
///   "-es" and "-ed" endings); a word of digits counts one syllable per digit group read
///   aloud, approximated as one; an all-capital abbreviation (CRS, ICANS) counts as a word.
public struct ReadingScores: Sendable, Codable, Equatable {
    public var words: Int
    public var sentences: Int
    public var syllables: Int
    /// Words of three or more syllables.
    public var polysyllables: Int

    /// 0.39 × words/sentence + 11.8 × syllables/word − 15.59.
    public var fleschKincaidGrade: Double {
        guard words > 0, sentences > 0 else { return 0 }
        return 0.39 * Double(words) / Double(sentences) + 11.8 * Double(syllables) / Double(words) - 15.59
    }

    /// 1.043 × √(polysyllables × 30 / sentences) + 3.1291.
    public var smogGrade: Double {
        guard sentences > 0 else { return 0 }
        return 1.043 * (Double(polysyllables) * 30 / Double(sentences)).squareRoot() + 3.1291
    }

    /// 206.835 − 1.015 × words/sentence − 84.6 × syllables/word (higher is easier).
    public var fleschReadingEase: Double {
        guard words > 0, sentences > 0 else { return 0 }
        return 206.835 - 1.015 * Double(words) / Double(sentences) - 84.6 * Double(syllables) / Double(words)
    }

    /// Minutes to read at 200 words a minute, at least 1.
    public var readingMinutes: Int { max(1, Int((Double(words) / 200).rounded())) }
}

/// Measures prose with the counting rules documented on `ReadingScores`.
public enum ReadingLevel {
    public static func measure(_ blocks: [ParsedMarkdown.TextBlock]) -> ReadingScores {
        var scores = ReadingScores(words: 0, sentences: 0, syllables: 0, polysyllables: 0)
        for block in blocks where block.kind == .prose {
            var wordsInSentence = 0
            for token in block.text.split(whereSeparator: { $0.isWhitespace }) {
                if token.contains("://") || token.hasPrefix("www.") || token.contains("@") { continue }
                let word = token.filter { $0.isLetter || $0.isNumber || $0 == "'" || $0 == "’" || $0 == "-" }
                if word.contains(where: { $0.isLetter || $0.isNumber }) {
                    let count = syllables(in: String(word))
                    scores.words += 1
                    scores.syllables += count
                    if count >= 3 { scores.polysyllables += 1 }
                    wordsInSentence += 1
                }
                if let last = token.last(where: { !"\"'”’)]*_".contains($0) }), ".!?".contains(last), wordsInSentence > 0 {
                    scores.sentences += 1
                    wordsInSentence = 0
                }
            }
            if wordsInSentence > 0 { scores.sentences += 1 }
        }
        return scores
    }

    /// Syllables in one word, by English spelling.
    public static func syllables(in word: String) -> Int {
        let parts = word.split(separator: "-")
        if parts.count > 1 { return parts.reduce(0) { $0 + syllables(in: String($1)) } }
        let letters = word.lowercased().filter { $0.isLetter }
        guard !letters.isEmpty else { return 1 }
        if word.count <= 5, word == word.uppercased(), word.allSatisfy({ $0.isLetter || $0.isNumber }), word.count > 1 {
            // An abbreviation read letter by letter (CRS) or as a word (ICANS): about one per two letters.
            return max(1, (letters.count + 1) / 2)
        }
        let chars = Array(letters)
        let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y"]
        var count = 0
        var previousWasVowel = false
        for (i, c) in chars.enumerated() {
            let isVowel = vowels.contains(c) && !(c == "y" && i == 0)
            if isVowel && !previousWasVowel { count += 1 }
            previousWasVowel = isVowel
        }
        let n = chars.count
        if n > 2, chars[n - 1] == "e", !vowels.contains(chars[n - 2]) {
            // A silent final "e" ("make"), but "-le" after a consonant is a syllable ("table").
            if !(chars[n - 2] == "l" && n > 3 && !vowels.contains(chars[n - 3])) { count -= 1 }
        }
        if n > 3, letters.hasSuffix("es") || letters.hasSuffix("ed") {
            let before = chars[n - 3]
            // "makes", "liked": silent; "boxes", "needed", "rated": spoken.
            let spoken: Set<Character> = letters.hasSuffix("es") ? ["s", "x", "z", "c", "g", "h"] : ["t", "d"]
            if !vowels.contains(before), !spoken.contains(before), count > 1 { count -= 1 }
        }
        // Vowel pairs that are two syllables: "ia" (bacteria), "io" (radio), "eo", "ua" (usual).
        for pair in ["ia", "io", "eo", "ua", "uo", "iu"] where letters.contains(pair) && !letters.contains("tion") && !letters.contains("sion") && !letters.contains("cious") && !letters.contains("tial") {
            count += letters.components(separatedBy: pair).count - 1
        }
        return max(1, count)
    }
}
