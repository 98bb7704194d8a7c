import Foundation

/// How text becomes search terms, identically here and in the browser (`search.js`):
/// accents removed (NFD, then U+0300–U+036F dropped), lower case, split into runs of
/// letters and digits, stop words dropped, each word stemmed with `PorterStemmer`.
public enum SearchText {
    /// Words too common to help a search; the browser gets this list from the index.
    public static let stopWords: Set<String> = [
        "a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "been", "before",
        "being", "but", "by", "can", "could", "did", "do", "does", "doing", "for", "from", "had", "has", "have",
        "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
        "just", "me", "might", "more", "most", "much", "my", "no", "nor", "not", "of", "on", "or", "our", "ours",
        "out", "over", "own", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
        "them", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up",
        "very", "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will",
        "with", "would", "you", "your", "yours",
    ]

    /// The words of a text, folded (no accents, lower case), in order, stop words kept.
    /// ASCII runs are read byte by byte; a word with other characters goes through `fold`.
    public static func words(_ text: String) -> [String] {
        var result: [String] = []
        var utf8 = text
        utf8.withUTF8 { bytes in
            var start = -1
            var nonASCII = false
            var i = 0
            func flush(_ end: Int) {
                guard start >= 0 else { return }
                let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
                if nonASCII {
                    result += foldedWords(String(decoding: slice, as: UTF8.self))
                } else {
                    result.append(String(unsafeUninitializedCapacity: slice.count) { buffer in
                        for (n, byte) in slice.enumerated() { buffer[n] = byte >= 65 && byte <= 90 ? byte + 32 : byte }
                        return slice.count
                    })
                }
                start = -1
                nonASCII = false
            }
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x80 {
                    let isWord = (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57)
                    if isWord { if start < 0 { start = i } } else { flush(i) }
                    i += 1
                } else {
                    // A multi-byte character: part of a word if it is a letter, digit or accent.
                    var length = 1
                    while i + length < bytes.count, bytes[i + length] & 0xC0 == 0x80 { length += 1 }
                    let scalar = String(decoding: UnsafeBufferPointer(rebasing: bytes[i..<(i + length)]), as: UTF8.self).unicodeScalars.first!
                    if isWordScalar(scalar) || (0x300...0x36F).contains(scalar.value) {
                        if start < 0 { start = i }
                        nonASCII = true
                    } else {
                        flush(i)
                    }
                    i += length
                }
            }
            flush(bytes.count)
        }
        return result
    }

    /// Words of a run that holds non-ASCII letters, after folding (which can split it).
    static func foldedWords(_ run: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in fold(run).unicodeScalars {
            if isWordScalar(scalar) { current.append(scalar) } else if !current.isEmpty { words.append(String(current)); current = .init() }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// A word's search term, or nil for a stop word.
    public static func term(_ word: String) -> String? {
        stopWords.contains(word) ? nil : PorterStemmer.stem(word)
    }

    /// The search terms of a text, in order.
    public static func terms(_ text: String) -> [String] {
        words(text).compactMap(term)
    }

    /// `\p{L}` and `\p{N}`, as the browser's regular expression has them.
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// NFD, combining accents (U+0300–U+036F) dropped, lower case: `String.normalize("NFD")`,
    /// a replace and `toLowerCase()` in the browser. A word may split where a non-letter
    /// appears after decomposition.
    static func fold(_ word: String) -> String {
        let decomposed = word.decomposedStringWithCanonicalMapping.unicodeScalars.filter { !(0x300...0x36F).contains($0.value) }
        return String(String.UnicodeScalarView(decomposed)).lowercased()
    }
}
