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
///   aloud, approximated as one; an all-capital abbreviation (CRS, ICANS) counts as one
///   syllable, as a reader takes it in as one familiar unit.
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
///
/// Works on Unicode scalars, not `Character`s or Foundation strings: it runs over every
/// word of every chapter, and those are slow on Linux.
public enum ReadingLevel {
    /// The reading level of prose blocks on their own. The parser counts the same in its one
    /// pass over the prose (`PlainLanguage.analyse`); a test holds the two equal.
    public static func measure(_ blocks: [ParsedMarkdown.TextBlock]) -> ReadingScores {
        var scores = ReadingScores(words: 0, sentences: 0, syllables: 0, polysyllables: 0)
        var token: [Unicode.Scalar] = []
        for block in blocks where block.kind == .prose {
            var wordsInSentence = 0
            func finishToken() {
                defer { token.removeAll(keepingCapacity: true) }
                guard !token.isEmpty, !isAddress(token) else { return }
                let word = token.filter { isLetter($0) || isDigit($0) || $0 == "'" || $0 == "’" || $0 == "-" }
                if word.contains(where: { isLetter($0) || isDigit($0) }) {
                    let count = syllables(in: word)
                    scores.words += 1
                    scores.syllables += count
                    if count >= 3 { scores.polysyllables += 1 }
                    wordsInSentence += 1
                }
                if let last = token.last(where: { !isCloser($0) }), last == "." || last == "!" || last == "?",
                   wordsInSentence > 0 {
                    scores.sentences += 1
                    wordsInSentence = 0
                }
            }
            for scalar in block.text.unicodeScalars {
                if scalar == " " || scalar == "\n" || scalar == "\t" || (!scalar.isASCII && scalar.properties.isWhitespace) {
                    finishToken()
                } else {
                    token.append(scalar)
                }
            }
            finishToken()
            if wordsInSentence > 0 { scores.sentences += 1 }
        }
        return scores
    }

    /// Closing quotes, brackets and emphasis marks, which may follow a sentence's . ! or ?
    /// (a switch, not a set: it is asked at the end of every word).
    static func isCloser(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "\"", "'", "”", "’", ")", "]", "*", "_": return true
        default: return false
        }
    }

    static func isDigit(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? s >= "0" && s <= "9" : s.properties.numericType != nil
    }

    /// URLs and e-mail addresses are not words a reader reads.
    static func isAddress(_ token: [Unicode.Scalar]) -> Bool {
        func starts(_ prefix: StaticString) -> Bool {
            let n = prefix.utf8CodeUnitCount
            guard token.count >= n else { return false }
            for k in 0..<n where token[k].value != UInt32(prefix.utf8Start[k]) { return false }
            return true
        }
        return token.contains("@") || starts("http://") || starts("https://") || starts("www.")
    }

    /// Syllables in one word, by English spelling.
    public static func syllables(in word: String) -> Int {
        syllables(in: Array(word.unicodeScalars))
    }

    static let accentedVowels: Set<Unicode.Scalar> = ["à", "á", "â", "ä", "è", "é", "ê", "ë", "ì", "í", "î", "ï", "ò", "ó", "ô", "ö", "ù", "ú", "û", "ü",
                                                       "À", "Á", "Â", "Ä", "È", "É", "Ê", "Ë", "Ì", "Í", "Î", "Ï", "Ò", "Ó", "Ô", "Ö", "Ù", "Ú", "Û", "Ü"]

    static func isLetter(_ s: Unicode.Scalar) -> Bool {
        s.isASCII ? (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") : s.properties.isAlphabetic
    }

    static func syllables(in word: [Unicode.Scalar]) -> Int {
        if word.contains("-") {
            return word.split(separator: "-").reduce(0) { $0 + syllables(in: Array($1)) }
        }
        var part = SyllablePart()
        for s in word { part.add(s) }
        return part.syllables()
    }

    /// One part of a word (between hyphens) as syllable counting sees it, built a scalar at a
    /// time so that a caller can count from bytes without making the word.
    struct SyllablePart {
        /// Lower-case ASCII letters; any other vowel letter becomes "a", any other letter "b".
        var chars: [UInt8] = []
        var scalars = 0
        var allCapitals = true

        mutating func add(_ s: Unicode.Scalar) {
            scalars += 1
            if s.isASCII {
                let b = UInt8(s.value)
                if b >= 65 && b <= 90 { chars.append(b + 32) } else if b >= 97 && b <= 122 { chars.append(b); allCapitals = false }
                else if !(b >= 48 && b <= 57) { allCapitals = false }
            } else if isLetter(s) {
                chars.append(accentedVowels.contains(s) ? UInt8(ascii: "a") : UInt8(ascii: "b"))
                if !s.properties.isUppercase { allCapitals = false }
            }
        }

        mutating func reset() {
            chars.removeAll(keepingCapacity: true)
            scalars = 0
            allCapitals = true
        }

        func syllables() -> Int {
            guard !chars.isEmpty else { return 1 }
            // An abbreviation (CRS, ICANS, CAR) is read as one familiar unit.
            if allCapitals && scalars > 1 && scalars <= 5 { return 1 }
            return ReadingLevel.syllables(chars: chars)
        }
    }

    /// Syllables of a word part's letters, lower-case ASCII ("a" for other vowels, "b" for
    /// other letters), by English spelling.
    static func syllables(chars: [UInt8]) -> Int {
        func isVowel(_ c: UInt8) -> Bool {
            c == 97 || c == 101 || c == 105 || c == 111 || c == 117 || c == 121
        }
        var count = 0
        var previousWasVowel = false
        for (i, c) in chars.enumerated() {
            let vowel = isVowel(c) && !(c == UInt8(ascii: "y") && i == 0)
            if vowel && !previousWasVowel { count += 1 }
            previousWasVowel = vowel
        }
        let n = chars.count
        func at(_ i: Int, _ s: StaticString) -> Bool {
            let len = s.utf8CodeUnitCount
            guard i >= 0, i + len <= n else { return false }
            let p = s.utf8Start
            for k in 0..<len where chars[i + k] != p[k] { return false }
            return true
        }
        if n > 2, chars[n - 1] == UInt8(ascii: "e"), !isVowel(chars[n - 2]) {
            // A silent final "e" ("make"), but "-le" after a consonant is a syllable ("table").
            if !(chars[n - 2] == UInt8(ascii: "l") && n > 3 && !isVowel(chars[n - 3])) { count -= 1 }
        }
        if n > 3, at(n - 2, "es") || at(n - 2, "ed") {
            let before = chars[n - 3]
            // "makes", "liked": silent; "boxes", "needed", "rated": spoken.
            let spoken: Bool
            switch (chars[n - 1], before) {
            case (UInt8(ascii: "s"), UInt8(ascii: "s")), (UInt8(ascii: "s"), UInt8(ascii: "x")), (UInt8(ascii: "s"), UInt8(ascii: "z")),
                 (UInt8(ascii: "s"), UInt8(ascii: "c")), (UInt8(ascii: "s"), UInt8(ascii: "g")), (UInt8(ascii: "s"), UInt8(ascii: "h")),
                 (UInt8(ascii: "d"), UInt8(ascii: "t")), (UInt8(ascii: "d"), UInt8(ascii: "d")):
                spoken = true
            default:
                spoken = false
            }
            if !isVowel(before), !spoken, count > 1 { count -= 1 }
        }
        // Vowel pairs said as two syllables: "ia" (bacteria), "io" (radio), "ua" (usual),
        // "uo", "iu"; unless the word has "tion", "sion", "cious", "tial" or "lion". One pass.
        var pairs = 0
        for i in 0..<n {
            switch chars[i] {
            case UInt8(ascii: "t"): if at(i, "tion") || at(i, "tial") { return max(1, count) }
            case UInt8(ascii: "s"): if at(i, "sion") { return max(1, count) }
            case UInt8(ascii: "c"): if at(i, "cious") { return max(1, count) }
            case UInt8(ascii: "l"): if at(i, "lion") { return max(1, count) }
            case UInt8(ascii: "i") where i + 1 < n:
                let next = chars[i + 1]
                if next == UInt8(ascii: "a") || next == UInt8(ascii: "o") || next == UInt8(ascii: "u") { pairs += 1 }
            case UInt8(ascii: "u") where i + 1 < n:
                let next = chars[i + 1]
                if next == UInt8(ascii: "a") || next == UInt8(ascii: "o") { pairs += 1 }
            default:
                break
            }
        }
        count += pairs
        return max(1, count)
    }
}

/// The syllables of tokens met before, found again by their bytes (`ByteKeys`): a parse
/// worker keeps one across its chapters, where the same words recur, so each is counted once.
/// A value, lent to each parse.
struct SyllableMemo {
    private var tokens: ByteKeys
    private var counts: [Int] = []

    /// Past half of `slotLimit` (8 million words; a worker meets tens of thousands), new words
    /// are counted, not kept.
    init(slotLimit: Int = 1 << 24) {
        tokens = ByteKeys(slotLimit: slotLimit)
    }

    /// `token`'s count: the one found for the same bytes before, else `count()`'s.
    mutating func syllables(of token: UnsafeBufferPointer<UInt8>, _ count: () -> Int) -> Int {
        guard let (number, added) = tokens.number(of: token) else { return count() }
        if added { counts.append(count()) }
        return counts[number]
    }
}
