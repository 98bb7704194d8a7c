import Foundation

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
    /// A form as `firstMatch(in:)` tries it: its scalars are `formScalars[start..<start + count]`.
    /// Forms and their scalars are kept in two flat arrays, as the ASCII forms are, so that
    /// trying one copies and counts no reference.
    struct ScalarForm: Sendable {
        var term: Int
        var start: Int
        var count: Int
        var isAbbreviation: Bool
    }
    /// Every form, those with the same first character together, each such group longest
    /// first, so "CAR-T cell therapy" wins over "CAR-T" (forms of a length in the glossary's order).
    let scalarForms: [ScalarForm]
    let formScalars: [Unicode.Scalar]
    /// The forms that start with one character: where they stand in `scalarForms`, and a bit
    /// for each second character one of them has, lower-cased (value modulo 64; every bit
    /// when one has no second): a word whose second character none has is passed over
    /// without trying each form, as most are.
    struct FormGroup: Sendable {
        var forms: Range<Int> = 0..<0
        var seconds: UInt64 = 0
    }
    /// Each first character's group.
    let byFirst: [Unicode.Scalar: FormGroup]
    /// The same for the 128 ASCII characters, by value (empty where no form starts so).
    let byFirstASCII: [FormGroup]
    /// ASCII forms by their first byte (lower case, or exact for abbreviations) and their
    /// second in lower case (0 for a form of one byte, which is also under every second
    /// byte), longest first: for `firstMatch` on ASCII text without decoding or hashing it.
    /// 65,536 keys, nearly all without forms; a word's start looks at one or two short lists.
    let asciiByFirstTwo: [ASCIIList]
    /// Each key's list in `asciiByFirstTwo`, or -1: most words start with two letters no form
    /// starts with, and this answers without touching a list.
    let asciiListOfKey: [Int32]
    /// A bit per key, set where it has a list: 8 KB that stay in the nearest cache, where
    /// `asciiListOfKey` is looked at only for the few keys that have forms.
    let asciiKeyBits: [UInt64]

    /// The forms under one key, and the bytes a text's third byte may be for one of them to
    /// match there: a common word under a busy key ("and" under "an", with "antibody",
    /// "antigen", "anemia"…) is ruled out by one bit, not by trying each form.
    struct ASCIIList: Sendable {
        /// Its forms: `asciiForms[forms]`, longest first.
        var forms: Range<Int> = 0..<0
        /// A bit per byte value (four words of 64); every bit while a form has fewer than
        /// three bytes.
        var third = SIMD4<UInt64>(repeating: 0)

        /// Lets through the third byte of `form` (whose bytes are `bytes`), or every byte
        /// for a form of fewer than three.
        mutating func allowThird(of form: ASCIIForm, bytes: [UInt8]) {
            guard form.count >= 3 else {
                third = SIMD4(repeating: .max)
                return
            }
            let byte = bytes[2]
            allow(byte)
            // A term matches in any case: its letters are kept in lower case.
            if !form.isAbbreviation, byte >= 97, byte <= 122 { allow(byte - 32) }
        }

        private mutating func allow(_ byte: UInt8) { third[Int(byte >> 6)] |= 1 << UInt64(byte & 63) }

        /// Whether a form here can match where the text's third byte is `byte`.
        func allowsThird(_ byte: UInt8) -> Bool { third[Int(byte >> 6)] & 1 << UInt64(byte & 63) != 0 }
    }

    /// A form of only ASCII characters: its bytes (lower case unless an abbreviation) are
    /// `asciiFormBytes[start..<start + count]`. Forms and their bytes are kept in two flat
    /// arrays, so that trying a form copies and counts no reference: every word of every
    /// chapter is looked up.
    struct ASCIIForm: Sendable {
        var term: Int
        var start: Int
        var count: Int
        var isAbbreviation: Bool
        /// Its first eight bytes (fewer, for a shorter form) as one little-endian word, and
        /// the mask of those bytes: a form is ruled out by one comparison with the text's
        /// next eight bytes, not byte by byte ("care" and "cart" under "car…").
        var prefix: UInt64 = 0
        var prefixMask: UInt64 = 0

        init(term: Int, start: Int, bytes: [UInt8], isAbbreviation: Bool) {
            self.term = term
            self.start = start
            count = bytes.count
            self.isAbbreviation = isAbbreviation
            for (k, byte) in bytes.prefix(8).enumerated() {
                prefix |= UInt64(byte) << UInt64(8 * k)
                prefixMask |= 0xFF << UInt64(8 * k)
            }
        }
    }
    /// Every list's forms, list after list.
    let asciiForms: [ASCIIForm]
    let asciiFormBytes: [UInt8]
    /// The words the glossary explains, made at the first use: only a guide that checks
    /// plain language reads them, and making them is a share of each parse worker's start.
    private let explained: ExplainedWords

    /// Every word the glossary explains, for the plain-language check (`PlainLanguage`), and
    /// the same as `HardWords.hash`es, to look up a word of prose without making it a string.
    var explainedWords: (words: Set<String>, hashes: WordHashes) { explained.value }

    public init(terms: [GlossaryTerm]) {
        self.terms = terms
        explained = ExplainedWords(terms)
        var forms: [Form] = []
        for (i, term) in terms.enumerated() {
            forms.append(Form(term: i, scalars: GlossaryMatcher.lowered(term.term), isAbbreviation: false))
            if let abbr = term.abbr { forms.append(Form(term: i, scalars: Array(abbr.unicodeScalars), isAbbreviation: true)) }
            for alias in term.aliases { forms.append(Form(term: i, scalars: GlossaryMatcher.lowered(alias), isAbbreviation: false)) }
        }
        forms = forms.filter { !$0.scalars.isEmpty }.enumerated().sorted { a, b in
            a.element.scalars.count != b.element.scalars.count ? a.element.scalars.count > b.element.scalars.count : a.offset < b.offset
        }.map(\.element)
        var groups: [Unicode.Scalar: [Form]] = [:]
        // Lists are numbered as keys are first used: a table of 65,536 lists, mostly empty,
        // was megabytes to clear for each matcher made.
        var listOfKey = [Int32](repeating: -1, count: 65_536)
        var lists: [ASCIIList] = []
        var formsOfList: [[ASCIIForm]] = []
        var formBytes: [UInt8] = []
        func add(_ form: ASCIIForm, _ bytes: [UInt8], under key: Int) {
            if listOfKey[key] < 0 {
                listOfKey[key] = Int32(lists.count)
                lists.append(ASCIIList())
                formsOfList.append([])
            }
            let list = Int(listOfKey[key])
            lists[list].allowThird(of: form, bytes: bytes)
            formsOfList[list].append(form)
        }
        for form in forms {
            groups[form.scalars[0], default: []].append(form)
            guard form.scalars.allSatisfy(\.isASCII) else { continue }
            let bytes = form.scalars.map { UInt8($0.value) }
            let ascii = ASCIIForm(term: form.term, start: formBytes.count, bytes: bytes, isAbbreviation: form.isAbbreviation)
            formBytes += bytes
            // Forms are added longest first, so each list stays in that order.
            if bytes.count == 1 {
                for second in 0..<256 { add(ascii, bytes, under: Int(bytes[0]) << 8 | second) }
            } else {
                add(ascii, bytes, under: GlossaryMatcher.key(bytes[0], bytes[1]))
            }
        }
        var flatForms: [ASCIIForm] = []
        for (list, forms) in formsOfList.enumerated() {
            lists[list].forms = flatForms.count..<(flatForms.count + forms.count)
            flatForms += forms
        }
        var scalarForms: [ScalarForm] = [], formScalars: [Unicode.Scalar] = []
        var byFirst: [Unicode.Scalar: FormGroup] = [:]
        for first in groups.keys.sorted(by: { $0.value < $1.value }) {
            var group = FormGroup()
            let start = scalarForms.count
            for form in groups[first]! {
                scalarForms.append(ScalarForm(term: form.term, start: formScalars.count, count: form.scalars.count, isAbbreviation: form.isAbbreviation))
                formScalars += form.scalars
                group.seconds |= form.scalars.count < 2 ? ~0 : 1 << UInt64(GlossaryMatcher.lowerScalar(form.scalars[1]).value & 63)
            }
            group.forms = start..<scalarForms.count
            byFirst[first] = group
        }
        self.scalarForms = scalarForms
        self.formScalars = formScalars
        self.byFirst = byFirst
        byFirstASCII = (0..<128).map { byFirst[Unicode.Scalar(UInt8($0))] ?? FormGroup() }
        asciiListOfKey = listOfKey
        asciiByFirstTwo = lists
        asciiForms = flatForms
        asciiFormBytes = formBytes
        var bits = [UInt64](repeating: 0, count: 65_536 / 64)
        for (key, number) in asciiListOfKey.enumerated() where number >= 0 { bits[key >> 6] |= 1 << UInt64(key & 63) }
        asciiKeyBits = bits
    }

    /// The list of forms that start with `first`, then `second` in either case.
    static func key(_ first: UInt8, _ second: UInt8) -> Int {
        Int(first) << 8 | Int(second >= 65 && second <= 90 ? second + 32 : second)
    }

    public var isEmpty: Bool { terms.isEmpty }

    /// `firstMatch` for ASCII text, on its bytes (which are its scalars): the same forms
    /// tried in the same order. At each word's start: the forms that start with its first
    /// letter in lower case, then (for a capital) the abbreviations that start with the
    /// capital; each list longest first.
    func firstMatch(inASCII text: UnsafeBufferPointer<UInt8>, used: [Bool]) -> (term: Int, isAbbreviation: Bool, range: Range<Int>)? {
        // Most of the time is spent skipping words: one load from a table per byte, not five comparisons.
        let wordBytes = GlossaryMatcher.asciiWordBytes
        func isWord(_ b: UInt8) -> Bool { wordBytes[Int(b)] }
        func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        let count = text.count
        return withASCIITables(used) { forms, formBytes, lists, used in
            func match(_ form: ASCIIForm, at start: Int) -> Range<Int>? {
                let n = form.count
                guard !used[form.term], start + n <= count else { return nil }
                for k in 0..<n where (form.isAbbreviation ? text[start + k] : lower(text[start + k])) != formBytes[form.start + k] { return nil }
                var end = start + n
                if !form.isAbbreviation {
                    // An optional plural: "B cells" uses "B cell".
                    if end < count, lower(text[end]) == UInt8(ascii: "s") { end += 1 }
                    else if end + 1 < count, lower(text[end]) == UInt8(ascii: "e"), lower(text[end + 1]) == UInt8(ascii: "s") { end += 2 }
                    if end < count, isWord(text[end]) { end = start + n }
                }
                return end == count || !isWord(text[end]) ? start..<end : nil
            }
            /// The first of the forms under `key` that matches at `start`.
            func firstForm(_ key: Int, at start: Int) -> (term: Int, isAbbreviation: Bool, range: Range<Int>)? {
                guard asciiKeyBits[key >> 6] & (1 << UInt64(key & 63)) != 0 else { return nil }
                let list = lists[Int(asciiListOfKey[key])]
                guard start + 2 >= count || list.allowsThird(text[start + 2]) else { return nil }
                // The text's next eight bytes as they are (for abbreviations) and in lower case.
                var exact: UInt64 = 0
                if start + 8 <= count {
                    exact = UInt64(littleEndian: UnsafeRawPointer(text.baseAddress! + start).loadUnaligned(as: UInt64.self))
                } else {
                    for k in 0..<(count - start) { exact |= UInt64(text[start + k]) << UInt64(8 * k) }
                }
                let lowered = GlossaryMatcher.lowercased(exact)
                for index in list.forms {
                    let form = forms[index]
                    guard (form.isAbbreviation ? exact : lowered) & form.prefixMask == form.prefix else { continue }
                    if let range = match(form, at: start) { return (form.term, form.isAbbreviation, range) }
                }
                return nil
            }
            var start = 0
            while start < count {
                let original = text[start], first = lower(original)
                let second = start + 1 < count ? text[start + 1] : 0
                if let found = firstForm(GlossaryMatcher.key(first, second), at: start) { return found }
                if original != first, let found = firstForm(GlossaryMatcher.key(original, second), at: start) { return found }
                // On to the next place a word can start: just after a byte that is not a word's.
                start += 1
                if isWord(original) {
                    while start < count, isWord(text[start]) { start += 1 }
                    start += 1
                }
            }
            return nil
        }
    }

    /// Eight ASCII bytes in one word, each capital letter made small (as `lower` does one
    /// byte): a byte b is a capital when b + 0x3F reaches 0x80 (b ≥ "A") and b + 0x25 does
    /// not (b ≤ "Z"); no sum carries into the next byte, as every byte is below 0x80.
    static func lowercased(_ word: UInt64) -> UInt64 {
        let capitals = (word &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(word &+ 0x2525_2525_2525_2525) & 0x8080_8080_8080_8080
        return word | capitals >> 2
    }

    /// The tables `firstMatch(inASCII:)` tries forms from, and `used`, as buffers: looking
    /// into them counts no references, and every word of every chapter is looked up.
    private func withASCIITables<Result>(_ used: [Bool], _ body: (_ forms: UnsafeBufferPointer<ASCIIForm>, _ formBytes: UnsafeBufferPointer<UInt8>,
                                                                   _ lists: UnsafeBufferPointer<ASCIIList>, _ used: UnsafeBufferPointer<Bool>) -> Result) -> Result {
        // Read without bounds checks from here: every form's term must have its flag.
        precondition(used.count == terms.count, "one flag per glossary term")
        return asciiForms.withUnsafeBufferPointer { forms in
            asciiFormBytes.withUnsafeBufferPointer { formBytes in
                asciiByFirstTwo.withUnsafeBufferPointer { lists in
                    used.withUnsafeBufferPointer { used in body(forms, formBytes, lists, used) }
                }
            }
        }
    }

    /// The first whole-word use of a term not yet `used` in the text, as a range of its scalars.
    func firstMatch(in original: [Unicode.Scalar], used: [Bool]) -> (term: Int, isAbbreviation: Bool, range: Range<Int>)? {
        firstMatch(in: original, lower: original.map(GlossaryMatcher.lowerScalar), from: 0, used: used)
    }

    /// The same in the text from scalar `from` on, as if it began there (a word may start at
    /// `from`), given the text lower-cased (`lowerScalar`); the range is in the whole text.
    func firstMatch(in original: [Unicode.Scalar], lower: [Unicode.Scalar], from: Int,
                    used: [Bool]) -> (term: Int, isAbbreviation: Bool, range: Range<Int>)? {
        // On buffers: every scalar of a text is looked at, and looking into an array, or
        // copying a form that holds one, counts references.
        original.withUnsafeBufferPointer { original in
            lower.withUnsafeBufferPointer { lower in
                used.withUnsafeBufferPointer { used in
                    scalarForms.withUnsafeBufferPointer { forms in
                        formScalars.withUnsafeBufferPointer { formScalars in
                            firstMatch(in: original, lower: lower, from: from, used: used, forms: forms, formScalars: formScalars)
                        }
                    }
                }
            }
        }
    }

    private func firstMatch(in original: UnsafeBufferPointer<Unicode.Scalar>, lower: UnsafeBufferPointer<Unicode.Scalar>, from: Int,
                            used: UnsafeBufferPointer<Bool>, forms: UnsafeBufferPointer<ScalarForm>,
                            formScalars: UnsafeBufferPointer<Unicode.Scalar>) -> (term: Int, isAbbreviation: Bool, range: Range<Int>)? {
        func match(at start: Int, _ candidates: Range<Int>) -> (term: Int, isAbbreviation: Bool, range: Range<Int>)? {
            for candidate in candidates {
                let form = forms[candidate]
                guard !used[form.term] else { continue }
                let haystack = form.isAbbreviation ? original : lower
                let n = form.count
                guard start + n <= haystack.count else { continue }
                var k = 0
                while k < n, haystack[start + k] == formScalars[form.start + k] { k += 1 }
                guard k == n else { continue }
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
        // An ASCII scalar's forms and whether it is a word's are read from tables; only
        // another is hashed or has its properties looked up (most scalars are ASCII even in
        // a text with accents).
        let wordBytes = GlossaryMatcher.asciiWordBytes
        func group(startingWith scalar: Unicode.Scalar) -> FormGroup {
            scalar.value < 128 ? byFirstASCII[Int(scalar.value)] : byFirst[scalar] ?? FormGroup()
        }
        var previousIsWord = false
        for start in from..<lower.count {
            let scalar = lower[start]
            let isWord = scalar.value < 128 ? wordBytes[Int(scalar.value)] : GlossaryMatcher.isWordScalar(scalar)
            defer { previousIsWord = isWord }
            guard !previousIsWord else { continue }
            // A form of two or more characters matches only where the next character is its
            // second (lower-cased, as `seconds` has it); at the text's end, only one of one.
            let next: UInt64 = start + 1 < lower.count ? 1 << UInt64(lower[start + 1].value & 63) : ~0
            let first = group(startingWith: scalar)
            if first.seconds & next != 0, let found = match(at: start, first.forms) { return found }
            if original[start] != scalar {
                let other = group(startingWith: original[start])
                if other.seconds & next != 0, let found = match(at: start, other.forms) { return found }
            }
        }
        return nil
    }

    /// Whether each byte is a word's (ASCII letters, digits, `-` and `_`), as `isWordScalar` says.
    nonisolated(unsafe) static let asciiWordBytes = byteTable { $0 < 128 && isWordScalar(Unicode.Scalar($0)) }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            return (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "-" || s == "_"
        }
        return s.properties.isAlphabetic || s.properties.numericType != nil
    }

    static func lowerScalar(_ s: Unicode.Scalar) -> Unicode.Scalar {
        if s.isASCII { return s >= "A" && s <= "Z" ? Unicode.Scalar(s.value + 32)! : s }
        // Most letters outside ASCII in a text are small already (é, ñ); a property lookup
        // says so without making the mapping's string (a test holds the two to agree on
        // every scalar).
        guard s.properties.changesWhenLowercased else { return s }
        let mapped = s.properties.lowercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : s
    }

    static func lowered(_ text: String) -> [Unicode.Scalar] { text.unicodeScalars.map(lowerScalar) }
}

/// A glossary's explained words (`GlossaryMatcher.explainedWords(_:)`), made once, at the
/// first use, from whichever thread asks first.
private final class ExplainedWords: @unchecked Sendable {
    private let terms: [GlossaryTerm]
    private let lock = NSLock()
    private var made: (words: Set<String>, hashes: WordHashes)?

    init(_ terms: [GlossaryTerm]) { self.terms = terms }

    var value: (words: Set<String>, hashes: WordHashes) {
        lock.withLock {
            if let made { return made }
            let words = GlossaryMatcher.explainedWords(terms)
            let value = (words, WordHashes(words.map(HardWords.hash)))
            made = value
            return value
        }
    }
}
