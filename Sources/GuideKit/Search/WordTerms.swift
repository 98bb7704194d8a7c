import Foundation

/// The written words one core has met while counting chapters for the search index, each
/// with its search term. Words are found by their bytes (FNV-1a, open addressing), so a word
/// met before makes no String and is not hashed by SipHash; a new one is stemmed once per
/// core, not once per chapter. Terms are numbered here, so that counting a chapter is array
/// work; the arrays a chapter counts in are kept for the next one. A value, not an object,
/// so that reaching its arrays costs no exclusivity check at run time.
struct WordTerms {
    /// A written word: its term's number (-1 for a stop word) and its folded form.
    struct Word {
        var term: Int
        var form: String
        fileprivate var hash: UInt64
        fileprivate var start: Int
        fileprivate var length: Int
    }

    private(set) var words: [Word] = []
    /// Each term by its number, and whether it is the first of a glossary phrase's terms.
    private(set) var terms: [String] = []
    private(set) var startsPhrase: [Bool] = []
    private var termNumbers: [String: Int] = [:]
    /// Open addressing: a word's place in `words`, or -1; a power of two long.
    private var slots = [Int](repeating: -1, count: 4096)
    /// Every word's written bytes, one after another.
    private var keys: [UInt8] = []
    private let stemmer: Stemmer
    private let phraseStarts: Set<String>

    /// Per word, how often the chapter being counted writes it (0 outside it).
    var countInChapter: [Int] = []
    /// Per term, its number in the chapter being counted (-1 outside it).
    var numberInChapter: [Int] = []

    init(language: String, phraseStarts: Set<String>) {
        stemmer = Stemmer(language: language)
        self.phraseStarts = phraseStarts
    }

    /// The number of the word written as `bytes`; `word` makes it when it is new here.
    mutating func number(of bytes: UnsafeBufferPointer<UInt8>, _ word: () -> SearchText.Word) -> Int {
        let hash = HardWords.hash(bytes: bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 {
            let index = slots[slot]
            if words[index].hash == hash, words[index].length == bytes.count,
               keys.withUnsafeBufferPointer({ memcmp($0.baseAddress! + words[index].start, bytes.baseAddress!, bytes.count) == 0 }) {
                return index
            }
            slot = (slot + 1) & mask
        }
        let made = word()
        var term = -1
        if let stem = SearchText.term(made, stemmer: stemmer) { term = number(ofTerm: stem) }
        if (words.count + 1) * 2 > slots.count { grow() }
        slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = words.count
        words.append(Word(term: term, form: made.folded, hash: hash, start: keys.count, length: bytes.count))
        keys.append(contentsOf: bytes)
        countInChapter.append(0)
        return words.count - 1
    }

    /// Per glossary entry, the number of its synonym token (`SearchIndex.synonymToken`), or -1
    /// before a chapter uses it.
    private var synonymNumbers: [Int] = []

    /// The number of the synonym token of glossary entry `group`.
    mutating func number(ofSynonym group: Int) -> Int {
        if group >= synonymNumbers.count { synonymNumbers += [Int](repeating: -1, count: group - synonymNumbers.count + 1) }
        if synonymNumbers[group] < 0 { synonymNumbers[group] = number(ofTerm: SearchIndex.synonymToken(group)) }
        return synonymNumbers[group]
    }

    /// The number of a term (or a synonym token), given one if it is new here.
    mutating func number(ofTerm term: String) -> Int {
        if let known = termNumbers[term] { return known }
        termNumbers[term] = terms.count
        terms.append(term)
        startsPhrase.append(phraseStarts.contains(term))
        numberInChapter.append(-1)
        return terms.count - 1
    }

    private mutating func grow() {
        slots = [Int](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, word) in words.enumerated() {
            var slot = Int(truncatingIfNeeded: word.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = index
        }
    }
}

@available(*, unavailable)
extension WordTerms: Sendable {}

/// One `WordTerms` per core, lent to one chapter's counting at a time (libstemmer's stemmers
/// are not thread-safe, and the arrays a chapter counts in are its own while it counts).
final class WordTermsPool: @unchecked Sendable {
    private let language: String
    private let phraseStarts: Set<String>
    private let lock = NSLock()
    private var idle: [WordTerms] = []

    init(language: String, phraseStarts: Set<String>) {
        self.language = language
        self.phraseStarts = phraseStarts
    }

    /// Runs `body` with a `WordTerms` no other task is using.
    func borrow<Result>(_ body: (inout WordTerms) -> Result) -> Result {
        var memory = lock.withLock { idle.popLast() } ?? WordTerms(language: language, phraseStarts: phraseStarts)
        defer { lock.withLock { idle.append(memory) } }
        return body(&memory)
    }
}
