import Foundation

/// How text becomes search terms, identically here and in the browser (`search.js`), as
/// `docs/search-index.md` defines it: each word is folded (NFD, U+0300–U+036F dropped,
/// lower case, ς as σ, NFC) for matching, and its written form (lower case, accents kept)
/// is stemmed by Snowball for the guide's language, then folded, to give its term.
public enum SearchText {
    /// Words too common to help a search, by Snowball algorithm (`Stemmer.algorithm`),
    /// folded; the browser gets its language's list from the index. A language without a
    /// list keeps every word.
    public static func stopWords(for algorithm: String?) -> Set<String> {
        switch algorithm {
        case "en"?: return stopWords
        case "es"?: return spanishStopWords
        default: return []
        }
    }

    /// Articles, prepositions, pronouns and the commonest verbs of Spanish, folded (a
    /// subset of Snowball's Spanish stop list).
    static let spanishStopWords: Set<String> = [
        "a", "al", "algo", "algun", "alguna", "algunas", "alguno", "algunos", "ante", "antes", "como", "con", "contra", "cual",
        "cuales", "cuando", "de", "del", "desde", "donde", "durante", "e", "el", "ella", "ellas", "ellos", "en", "entre", "era",
        "eran", "es", "esa", "esas", "ese", "eso", "esos", "esta", "estan", "estar", "estas", "este", "esto", "estos", "fue",
        "fueron", "ha", "han", "hasta", "hay", "la", "las", "le", "les", "lo", "los", "mas", "me", "mi", "mis", "mucho", "muy",
        "nada", "ni", "no", "nos", "nosotros", "o", "otra", "otras", "otro", "otros", "para", "pero", "poco", "por", "porque",
        "que", "quien", "quienes", "se", "sea", "ser", "si", "sin", "sobre", "son", "su", "sus", "tambien", "te", "ti", "tu",
        "tus", "u", "un", "una", "uno", "unos", "unas", "usted", "ustedes", "y", "ya", "yo",
    ]

    /// English words too common to help a search.
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

    /// A word of a text: as written (lower case, accents kept, NFC), which the stemmer reads,
    /// and folded, which is what a reader's query is matched against.
    public struct Word: Hashable, Sendable {
        public var written: String
        public var folded: String
    }

    /// The folded words of a text, in order, stop words kept.
    public static func words(_ text: String) -> [String] {
        scan(text).map(\.folded)
    }

    /// The words of a text, in order, stop words kept.
    public static func scan(_ text: String) -> [Word] {
        var result: [Word] = []
        forEachWord(in: text) { scanned in
            switch scanned {
            case let .ascii(bytes):
                let word = String(decoding: bytes, as: UTF8.self)
                result.append(Word(written: word, folded: word))
            case let .other(run):
                result += split(String(decoding: run, as: UTF8.self))
            }
        }
        return result
    }

    /// A run of word characters as `forEachWord` hands it over.
    enum ScannedRun {
        /// An ASCII word, lower-cased: its written and folded forms are these bytes.
        case ascii(UnsafeBufferPointer<UInt8>)
        /// A run with other characters, as bytes (ASCII letters lower-cased): `split` gives its
        /// words (usually one). Not split here, so that a caller that has met the run before
        /// reuses its words: splitting decomposes and recomposes the run through Foundation,
        /// tens of thousands of instructions, and a guide in Spanish or French has a run in
        /// every few words.
        case other(UnsafeBufferPointer<UInt8>)
    }

    /// Calls `body` with each run of word characters of `text`, in order. ASCII runs are
    /// read byte by byte and handed over as bytes, so a caller that has seen the word
    /// before makes no String; so is a run with other characters, which `split` reads.
    static func forEachWord(in text: String, _ body: (ScannedRun) -> Void) {
        var none: Void = ()
        forEachWord(in: text, into: &none) { _, run in body(run) }
    }

    /// The same, with `state` handed to `body` as an argument: what `body` changes as it
    /// goes is then not a variable it captures, which Swift would check for exclusive access
    /// at every word.
    static func forEachWord<State>(in text: String, into state: inout State, _ body: (inout State, ScannedRun) -> Void) {
        // Lower-cased in place: ASCII letters only, which `split` would lower-case alike.
        var bytes = Array(text.utf8)
        let latinWordScalars = SearchText.latinWordScalars
        let asciiKinds = SearchText.asciiKinds
        bytes.withUnsafeMutableBufferPointer { bytes in
            var start = -1
            var nonASCII = false
            var i = 0
            func flush(_ end: Int) {
                guard start >= 0 else { return }
                let run = UnsafeBufferPointer(rebasing: bytes[start..<end])
                body(&state, nonASCII ? .other(run) : .ascii(run))
                start = -1
                nonASCII = false
            }
            let count = bytes.count
            while i < count {
                let byte = bytes[i]
                let kind = asciiKinds[Int(byte)]
                if kind <= ASCIIKind.capital {
                    if start < 0 { start = i }
                    // The rest of the run's ASCII letters and digits, capitals made small, in
                    // a loop of its own: most of a text's bytes are inside words.
                    var k = kind
                    repeat {
                        if k == ASCIIKind.capital { bytes[i] += 32 }
                        i += 1
                        guard i < count else { break }
                        k = asciiKinds[Int(bytes[i])]
                    } while k <= ASCIIKind.capital
                } else if kind == ASCIIKind.other {
                    flush(i)
                    i += 1
                } else {
                    // A multi-byte character: part of a run if it is a letter, digit or mark.
                    // Decoded by the standard library's parser from the bytes, which are valid
                    // UTF-8 (they are a String's): a String made of each was most of the time a
                    // text with accents took here.
                    var rest = UnsafeBufferPointer(rebasing: bytes[i...]).makeIterator()
                    var parser = Unicode.UTF8.ForwardParser()
                    guard case let .valid(encoded) = parser.parseScalar(from: &rest) else { preconditionFailure("a String's bytes are valid UTF-8") }
                    let length = encoded.count
                    let scalar = Unicode.UTF8.decode(encoded)
                    let isWord = scalar.value < UInt32(latinWordScalars.count) ? latinWordScalars[Int(scalar.value)] : isWordScalar(scalar)
                    if isWord {
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
    }

    /// The words of a run that holds non-ASCII characters. The run is decomposed and each
    /// code point lower-cased on its own; dropped accents stay in the written form only, so
    /// both forms split where the folded text does (a non-letter can appear after decomposition).
    static func split(_ run: String) -> [Word] {
        var words: [Word] = []
        var written = String.UnicodeScalarView()
        var folded = String.UnicodeScalarView()
        func flush() {
            guard !folded.isEmpty else { return }
            words.append(Word(written: String(written).precomposedStringWithCanonicalMapping,
                              folded: String(folded).precomposedStringWithCanonicalMapping))
            written = .init()
            folded = .init()
        }
        for scalar in run.decomposedStringWithCanonicalMapping.unicodeScalars {
            if isDroppedAccent(scalar) {
                if !folded.isEmpty { written.append(scalar) }
                continue
            }
            for lower in lowercase(scalar) {
                if isWordScalar(lower) {
                    written.append(lower)
                    folded.append(lower)
                } else {
                    flush()
                }
            }
        }
        flush()
        return words
    }

    /// A word's search term, or nil for a stop word: the written form's stem, folded.
    public static func term(_ word: Word, stemmer: Stemmer) -> String? {
        if stemmer.stopWords.contains(word.folded) { return nil }
        return fold(stemmer.stem(word.written))
    }

    /// The search terms of a text, in order.
    public static func terms(_ text: String, stemmer: Stemmer) -> [String] {
        scan(text).compactMap { term($0, stemmer: stemmer) }
    }

    /// `\p{L}`, `\p{M}` and `\p{N}`, as the browser's regular expression has them. Marks
    /// are part of words so that scripts written with them (Devanagari's vowel signs, Thai)
    /// are not cut apart; the accents folding drops never reach this.
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// `isWordScalar` for each scalar below U+0250 (ASCII and the Latin letters with accents),
    /// looked up once: a text in Spanish or French has an accented letter in every few words.
    nonisolated(unsafe) static let latinWordScalars: UnsafeBufferPointer<Bool> = {
        let table = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 0x250)
        for value in 0..<0x250 { table[value] = isWordScalar(Unicode.Scalar(UInt32(value))!) }
        return UnsafeBufferPointer(table)
    }()

    /// What an ASCII byte is to `forEachWord`: a letter or digit (`wordByte`), a capital
    /// letter (made small), any other ASCII byte, or the start of a multi-byte character.
    /// (The two kinds of a word's byte are the lowest, tested as one: `kind <= capital`.)
    enum ASCIIKind {
        static let wordByte: UInt8 = 0, capital: UInt8 = 1, other: UInt8 = 2, multiByte: UInt8 = 3
    }

    /// Each byte value's `ASCIIKind`, looked up once per byte.
    nonisolated(unsafe) static let asciiKinds: UnsafeBufferPointer<UInt8> = {
        let table = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 256)
        for byte in 0..<256 {
            switch byte {
            case 0x80...: table[byte] = ASCIIKind.multiByte
            case 65...90: table[byte] = ASCIIKind.capital
            case 97...122, 48...57: table[byte] = ASCIIKind.wordByte
            default: table[byte] = ASCIIKind.other
            }
        }
        return UnsafeBufferPointer(table)
    }()

    /// The combining accents folding drops: U+0300–U+036F.
    static func isDroppedAccent(_ s: Unicode.Scalar) -> Bool { (0x300...0x36F).contains(s.value) }

    /// One code point's full lower-case mapping, without context, and final sigma as σ: the
    /// browser's `toLowerCase()` writes ς at the end of a word, which a per-code-point mapping
    /// cannot know, so both sides write σ.
    static func lowercase(_ s: Unicode.Scalar) -> [Unicode.Scalar] {
        if s.value < 0x80 { return [s.value >= 65 && s.value <= 90 ? Unicode.Scalar(s.value + 32)! : s] }
        if s.value == 0x3C2 { return ["\u{3C3}"] }
        return s.properties.lowercaseMapping.unicodeScalars.map { $0 == "\u{3C2}" ? "\u{3C3}" : $0 }
    }

    /// Folding: NFD, U+0300–U+036F dropped, lower case (ς as σ), NFC; what the browser does
    /// with `normalize("NFD")`, a replace, `toLowerCase()`, a replace and `normalize("NFC")`.
    public static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 65 && $0 <= 90) }) { return text }
        var folded = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars where !isDroppedAccent(scalar) {
            folded.append(contentsOf: lowercase(scalar))
        }
        return String(folded).precomposedStringWithCanonicalMapping
    }
}
