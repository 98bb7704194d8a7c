import Foundation

/// Readability of a translation's prose, counted as textstat counts text in its language.
///
/// Words and sentences for every language, syllables where a hyphenation dictionary is
/// installed, and for Spanish the Fernández-Huerta and Szigriszt-Pazos scores.
///
/// Everything is counted as textstat 0.7.13 counts it (with `textstat.set_lang(<language>)`),
/// so that an editor can check a score with that established tool and get the same number:
/// - The text is the prose blocks (paragraphs and list items, as for English), each with its
///   whitespace collapsed and a "." added when it does not end with ".", "!" or "?", joined by
///   spaces: every block ends a sentence. Bare URLs and e-mail addresses are left out.
/// - A word is what is left between whitespace once every character other than a letter,
///   digit, "_", whitespace or an apostrophe of an English contraction is deleted ("CAR-T"
///   is one word, "CART"; a lone "—" is none). Languages written without spaces (Chinese,
///   Japanese, Thai) therefore count runs between spaces, not words, as textstat does.
/// - A sentence runs from a letter or digit to the next ".", "!" or "?" (with any that follow);
///   one of two words or fewer is not counted, and text that is not empty has at least one.
///   "¿" and "¡" open nothing and "。" ends nothing, as in textstat.
/// - Syllables are a word's hyphenation points + 1 by the language's LibreOffice dictionary
///   (`Hyphenator`), as textstat counts them with pyphen. pyphen carries its own copy of the
///   dictionaries, which may be a newer one than the system's: Debian 12's Spanish dictionary
///   splits a few words differently (mostly English ones), which moves the scores of the
///   shipped chapters by up to 0.6 from textstat's.
///
/// How to read the Spanish scores: both are 0–100 reading-ease scores, higher is easier.
/// Fernández-Huerta ≥ 70 and Szigriszt-Pazos ≥ 65 are "fairly easy" (bastante fácil), roughly
/// the plain-language target for patient material. Fernández-Huerta's bands (70–80 "algo
/// fácil", 60–70 "normal") are his 1959 scale as legible.es gives it; Szigriszt-Pazos' (65–80
/// "bastante fácil", 55–65 "normal", 40–55 "algo difícil") are the INFLESZ scale of
/// Barrio-Cantalejo IM et al., An Sist Sanit Navar 2008;31(2):135–152.
public struct LanguageReadingScores: Sendable, Codable, Equatable {
    /// The BCP 47 tag the prose was measured for ("es", "es-MX").
    public let language: String
    public let words: Int
    public let sentences: Int
    /// nil when no hyphenation dictionary for the language is installed.
    public let syllables: Int?
    /// 206.84 − 60 × syllables/word − 1.02 × words/sentence; Spanish only, nil otherwise or
    /// without syllables or words. This is the corrected form (syllables per 100 words × 0.6,
    /// words per sentence) that legible.es and textstat use.
    public let fernandezHuerta: Double?
    /// 206.84 − 62.3 × syllables/word − words/sentence; Spanish only, nil otherwise or without
    /// syllables or words. Szigriszt-Pazos published 206.835; textstat uses its Spanish base,
    /// 206.84, and so does this, to give the same number (0.005 apart).
    public let szigrisztPazos: Double?

    /// Scores from counts; the Spanish formulas are worked out here so that they always agree
    /// with the counts.
    public init(language: String, words: Int, sentences: Int, syllables: Int?) {
        self.language = language
        self.words = words
        self.sentences = sentences
        self.syllables = syllables
        if let syllables, words > 0, sentences > 0, LanguageReadingScores.hasSpanishFormulas(language) {
            let perWord = Double(syllables) / Double(words)
            let perSentence = Double(words) / Double(sentences)
            fernandezHuerta = 206.84 - 60 * perWord - 1.02 * perSentence
            szigrisztPazos = 206.84 - 62.3 * perWord - perSentence
        } else {
            fernandezHuerta = nil
            szigrisztPazos = nil
        }
    }

    /// Whether a language tag is Spanish ("es", "es-MX", "es_419").
    static func hasSpanishFormulas(_ language: String) -> Bool {
        let primary = language.replacingOccurrences(of: "_", with: "-").split(separator: "-").first ?? ""
        return primary.lowercased() == "es"
    }
}

extension ReadingLevel {
    /// The reading level of a translation's prose blocks, counted as textstat counts text in
    /// that language (see `LanguageReadingScores`). English keeps its own rules in
    /// `measure(_:)`; this does not change them.
    public static func measure(_ blocks: [ParsedMarkdown.TextBlock], language: String) -> LanguageReadingScores {
        let text = Array(textstatProse(blocks).unicodeScalars)
        let words = TextstatCounting.words(text[...])
        let sentences = TextstatCounting.sentences(text)
        var syllables: Int? = nil
        if let hyphenator = Hyphenator.shared(language: language) {
            // A chapter repeats its words; a lookup is cheaper than libhyphen.
            var known: [String: Int] = [:]
            var total = 0
            for word in words {
                let string = String(String.UnicodeScalarView(word))
                if let count = known[string] {
                    total += count
                } else {
                    let count = hyphenator.syllables(in: string)
                    known[string] = count
                    total += count
                }
            }
            syllables = total
        }
        return LanguageReadingScores(language: language, words: words.count, sentences: sentences, syllables: syllables)
    }

    /// The prose blocks as one text the way textstat is given it: each block's whitespace
    /// collapsed, bare addresses left out, a "." added unless it ends a sentence already, and
    /// the blocks joined by spaces.
    static func textstatProse(_ blocks: [ParsedMarkdown.TextBlock]) -> String {
        var parts: [String] = []
        for block in blocks where block.kind == .prose {
            let tokens = block.text.unicodeScalars.split(whereSeparator: TextstatCounting.isSpace)
                .filter { !isAddress(Array($0)) }
            guard !tokens.isEmpty else { continue }
            var part = tokens.map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
            if let last = part.unicodeScalars.last, !TextstatCounting.isTerminator(last) { part += "." }
            parts.append(part)
        }
        return parts.joined(separator: " ")
    }
}

/// textstat 0.7.13's word and sentence rules, over Unicode scalars because Python's strings
/// are sequences of code points and its `\w`, `\s` and `split()` test one code point at a time.
enum TextstatCounting {
    /// Python's `str.isspace()`, which is also what `\s` and `split()` use.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Python's `\w`: a letter (Lu, Ll, Lt, Lm, Lo), any numeric character, or "_".
    /// Combining marks are not, so textstat deletes a decomposed accent.
    static func isWordCharacter(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F
        }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return s.properties.numericType != nil
        }
    }

    static func isTerminator(_ s: Unicode.Scalar) -> Bool { s == "." || s == "!" || s == "?" }

    /// textstat's `list_words(text)`: an ASCII apostrophe not followed by "t", "s", "d", "ve",
    /// "ll" or "re" is deleted, then every character that is not `\w`, whitespace or an
    /// apostrophe, and the rest is split at whitespace.
    static func words(_ text: ArraySlice<Unicode.Scalar>) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var word: [Unicode.Scalar] = []
        var i = text.startIndex
        while i < text.endIndex {
            let s = text[i]
            if isSpace(s) {
                if !word.isEmpty { words.append(word); word.removeAll(keepingCapacity: true) }
            } else if s == "'" {
                if startsContraction(text, after: i) { word.append(s) }
            } else if isWordCharacter(s) {
                word.append(s)
            }
            i += 1
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// The lookahead of textstat's `'(?![tsd]|ve|ll|re)`, which is case-sensitive.
    static func startsContraction(_ text: ArraySlice<Unicode.Scalar>, after i: Int) -> Bool {
        let next = i + 1 < text.endIndex ? text[i + 1] : nil
        let second = i + 2 < text.endIndex ? text[i + 2] : nil
        switch (next, second) {
        case ("t", _), ("s", _), ("d", _), ("v", "e"), ("l", "l"), ("r", "e"): return true
        default: return false
        }
    }

    /// textstat's `count_sentences`: the matches of `\b[^.!?]+[.!?]*`, less those of two words
    /// or fewer, and at least one for text that is not empty. A match can only begin at a `\w`
    /// character (the one before it is a terminator, whitespace or punctuation, or the text's
    /// start), so the scan jumps from one to the next.
    static func sentences(_ text: [Unicode.Scalar]) -> Int {
        guard !text.isEmpty else { return 0 }
        var matches = 0
        var short = 0
        var i = 0
        while i < text.count {
            guard isWordCharacter(text[i]) else { i += 1; continue }
            var end = i
            while end < text.count, !isTerminator(text[end]) { end += 1 }
            while end < text.count, isTerminator(text[end]) { end += 1 }
            matches += 1
            if words(text[i..<end]).count <= 2 { short += 1 }
            i = end
        }
        return max(1, matches - short)
    }
}
