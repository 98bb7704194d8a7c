/// Finds glossary terms in text: prepared once per build from the glossary, then used for
/// every chapter. Terms and aliases match whole words in any case, with an optional plural
/// "s" or "es"; abbreviations match exactly, so the abbreviation "CAR" is not the word "car".
public struct GlossaryMatcher: Sendable {
    /// One way of writing a term: the term itself, its abbreviation, or an alias.
    struct Form: Sendable {
        var term: Int
        var scalars: [Unicode.Scalar]
        var isAbbreviation: Bool
    }

    public let terms: [GlossaryTerm]
    /// Forms by first character, longest first, so "CAR-T cell therapy" wins over "CAR-T".
    let byFirst: [Unicode.Scalar: [Form]]
    /// Terms by the first one to three bytes of their ASCII forms (lower case, or exact for
    /// abbreviations): a cheap test that most text holds no term at all.
    let prefixes: [UInt32: [Int]]
    /// Every word the glossary explains, for the plain-language check (`PlainLanguage`).
    let explainedWords: Set<String>
    /// The same as `HardWords.hash`es, to look up a word of prose without making it a string.
    let explainedHashes: Set<UInt64>

    public init(terms: [GlossaryTerm]) {
        self.terms = terms
        explainedWords = GlossaryMatcher.explainedWords(terms)
        explainedHashes = Set(explainedWords.map(HardWords.hash))
        var forms: [Form] = []
        for (i, term) in terms.enumerated() {
            forms.append(Form(term: i, scalars: GlossaryMatcher.lowered(term.term), isAbbreviation: false))
            if let abbr = term.abbr { forms.append(Form(term: i, scalars: Array(abbr.unicodeScalars), isAbbreviation: true)) }
            for alias in term.aliases { forms.append(Form(term: i, scalars: GlossaryMatcher.lowered(alias), isAbbreviation: false)) }
        }
        forms = forms.filter { !$0.scalars.isEmpty }.enumerated().sorted { a, b in
            a.element.scalars.count != b.element.scalars.count ? a.element.scalars.count > b.element.scalars.count : a.offset < b.offset
        }.map(\.element)
        var byFirst: [Unicode.Scalar: [Form]] = [:]
        var prefixes: [UInt32: [Int]] = [:]
        for form in forms {
            byFirst[form.scalars[0], default: []].append(form)
            guard form.scalars.allSatisfy(\.isASCII) else { continue }
            let bytes = form.scalars.prefix(3).map { UInt8($0.value) }
            prefixes[GlossaryMatcher.key(bytes[...], abbreviation: form.isAbbreviation), default: []].append(form.term)
        }
        self.byFirst = byFirst
        self.prefixes = prefixes
    }

    public var isEmpty: Bool { terms.isEmpty }

    static func key(_ bytes: ArraySlice<UInt8>, abbreviation: Bool) -> UInt32 {
        var key = UInt32(bytes.count) << 25 | (abbreviation ? 1 << 24 : 0)
        for (n, byte) in bytes.enumerated() { key |= UInt32(byte) << (16 - 8 * n) }
        return key
    }

    /// For ASCII text: could an unused term start at one of its word starts? False means
    /// the text certainly holds none; true means `firstMatch` should look.
    func mayMatch(_ bytes: UnsafeBufferPointer<UInt8>, used: [Bool]) -> Bool {
        func isWord(_ b: UInt8) -> Bool {
            (b >= 97 && b <= 122) || (b >= 65 && b <= 90) || (b >= 48 && b <= 57) || b == 45 || b == 95
        }
        var lower: [UInt8] = [0, 0, 0]
        var exact: [UInt8] = [0, 0, 0]
        for start in 0..<bytes.count where start == 0 || !isWord(bytes[start - 1]) {
            let available = min(3, bytes.count - start)
            for n in 0..<available {
                let b = bytes[start + n]
                exact[n] = b
                lower[n] = b >= 65 && b <= 90 ? b + 32 : b
            }
            for length in 1...max(1, available) where length <= available {
                if let candidates = prefixes[GlossaryMatcher.key(lower[0..<length], abbreviation: false)],
                   candidates.contains(where: { !used[$0] }) {
                    return true
                }
                if let candidates = prefixes[GlossaryMatcher.key(exact[0..<length], abbreviation: true)],
                   candidates.contains(where: { !used[$0] }) {
                    return true
                }
            }
        }
        return false
    }

    /// The first whole-word use of a term not yet `used` in the text, as a range of its scalars.
    func firstMatch(in original: [Unicode.Scalar], used: [Bool]) -> (term: Int, isAbbreviation: Bool, range: Range<Int>)? {
        let lower = original.map(GlossaryMatcher.lowerScalar)
        func match(at start: Int, _ candidates: [Form]) -> (term: Int, isAbbreviation: Bool, range: Range<Int>)? {
            for form in candidates where !used[form.term] {
                let haystack = form.isAbbreviation ? original : lower
                let n = form.scalars.count
                guard haystack[start] == form.scalars[0], start + n <= haystack.count,
                      haystack[start..<(start + n)].elementsEqual(form.scalars) else { continue }
                var end = start + n
                if !form.isAbbreviation {
                    // An optional plural: "B cells" uses "B cell".
                    if end < haystack.count, haystack[end] == "s" { end += 1 } else if end + 1 < haystack.count, haystack[end] == "e", haystack[end + 1] == "s" { end += 2 }
                    if end < haystack.count, GlossaryMatcher.isWordScalar(haystack[end]) { end = start + n }
                }
                if end == haystack.count || !GlossaryMatcher.isWordScalar(haystack[end]) {
                    return (form.term, form.isAbbreviation, start..<end)
                }
            }
            return nil
        }
        for start in 0..<lower.count where start == 0 || !GlossaryMatcher.isWordScalar(lower[start - 1]) {
            if let forms = byFirst[lower[start]], let found = match(at: start, forms) { return found }
            if original[start] != lower[start], let forms = byFirst[original[start]], let found = match(at: start, forms) { return found }
        }
        return nil
    }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            return (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "-" || s == "_"
        }
        return s.properties.isAlphabetic || s.properties.numericType != nil
    }

    static func lowerScalar(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.isASCII { return s >= "A" && s <= "Z" ? Unicode.Scalar(s.value + 32)! : s }
        let mapped = s.properties.lowercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : s
    }

    static func lowered(_ text: String) -> [Unicode.Scalar] { text.unicodeScalars.map(lowerScalar) }
}
