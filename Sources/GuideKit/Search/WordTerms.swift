import Foundation

/// The written words one core has met while counting chapters for the search index, each
/// with its search term. Words are found by their bytes (`ByteKeys`), so a word met before
/// makes no String and is not hashed by SipHash; a new one is stemmed once per core, not once
/// per chapter. Terms are numbered here, so that counting a chapter is array
/// work; the arrays a chapter counts in are kept for the next one. A value, not an object,
/// so that reaching its arrays costs no exclusivity check at run time.
struct WordTerms {
    /// A written word: its term's number (-1 for a stop word) and its folded form.
    struct Word: Sendable {
        var term: Int
        var form: String
    }

    /// Its number in its pool, which chapters' counts name it by.
    let number: Int

    private(set) var words: [Word] = []
    /// Each term by its number.
    private(set) var terms: [String] = []
    /// Per term, where the glossary phrases (`GlossaryPhrases`) it is the first term of are
    /// listed in `startingPhrases` (an empty run for most terms), by the phrases' numbers:
    /// one array for all, so a term's are read in place, with no array of its own to count
    /// a reference to at each word that starts a phrase.
    private(set) var phraseRuns: [PhraseRun] = []
    private(set) var startingPhrases: [Int] = []
    private var termNumbers: [String: Int] = [:]
    /// Each word's written bytes, numbered as `words`; with no limit, so every word is kept.
    private var written = ByteKeys(slotLimit: .max)
    private let stemmer: Stemmer
    let phrases: GlossaryPhrases
    /// The phrases' terms by their numbers here, as `phrases.places` lists them (a phrase's
    /// from its `start`); -1 for a term no word here has had yet (then no text counted here
    /// writes the phrase). Each is filled in as its term is numbered.
    private(set) var phraseTerms: [Int]

    /// Per word, how often the chapter being counted writes it (0 outside it).
    var countInChapter: [Int] = []
    /// Per term, its number in the chapter being counted (-1 outside it).
    var numberInChapter: [Int] = []

    init(number: Int, language: String, phrases: GlossaryPhrases) {
        self.number = number
        stemmer = Stemmer(language: language)
        self.phrases = phrases
        phraseTerms = [Int](repeating: -1, count: phrases.places.count)
    }

    /// The number of the word written as `bytes`; `word` makes it when it is new here.
    @inline(__always)
    mutating func number(of bytes: UnsafeBufferPointer<UInt8>, _ word: () -> SearchText.Word) -> Int {
        let (index, added) = written.numberInline(of: bytes)!
        guard added else { return index }
        let made = word()
        var term = -1
        if let stem = SearchText.term(made, stemmer: stemmer) { term = number(ofTerm: stem) }
        words.append(Word(term: term, form: made.folded))
        countInChapter.append(0)
        return index
    }

    /// Each run of word characters with non-ASCII ones met here, by its bytes, and its words.
    private var runs = ByteKeys(slotLimit: .max)
    private var runWords: [[SearchText.Word]] = []

    /// The words of a run with non-ASCII characters (`SearchText.split`), split once here.
    mutating func words(ofRun bytes: UnsafeBufferPointer<UInt8>) -> [SearchText.Word] {
        let (index, added) = runs.number(of: bytes)!
        if added { runWords.append(SearchText.split(String(decoding: bytes, as: UTF8.self))) }
        return runWords[index]
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

    /// The number of a term (or a synonym token), given one if it is new here. Found, or
    /// numbered, with one lookup, and a new term's phrases with one more (most terms are in
    /// none): each lookup hashes the term again.
    mutating func number(ofTerm term: String) -> Int {
        let next = terms.count
        var isNew = false
        func numbered(_ slot: inout Int) -> Int {
            if slot < 0 {
                slot = next
                isNew = true
            }
            return slot
        }
        let number = numbered(&termNumbers[term, default: -1])
        guard isNew else { return number }
        terms.append(term)
        let inPhrases = phrases.phrases(of: term)
        let first = startingPhrases.count
        startingPhrases += inPhrases?.starting ?? []
        phraseRuns.append(PhraseRun(start: Int32(first), end: Int32(startingPhrases.count)))
        for place in inPhrases?.places ?? [] { phraseTerms[place] = number }
        numberInChapter.append(-1)
        return number
    }
}

extension WordTerms {
    /// Sets `found` to the glossary entry of each phrase written in `terms` (a field's terms
    /// by their numbers in the chapter; `chapterNumbers` gives each its number here), in the
    /// order they start. A phrase's terms are compared by number, not as strings; its first
    /// term is not compared, as the phrase is one of those that term starts.
    func phrasesWritten(_ terms: [Int], chapterNumbers: [Int], into found: inout [Int]) {
        found.removeAll(keepingCapacity: true)
        // Read through pointers, unchecked (every term of the guide is looked at here): each
        // term numbered here has its run, as `number(ofTerm:)` adds both.
        precondition(phraseRuns.count == self.terms.count, "one phrase run per term")
        terms.withUnsafeBufferPointer { terms in
            chapterNumbers.withUnsafeBufferPointer { core in
                phraseRuns.withUnsafeBufferPointer { runs in
                    startingPhrases.withUnsafeBufferPointer { starting in
                        phraseTerms.withUnsafeBufferPointer { phraseTerms in
                            phrases.list.withUnsafeBufferPointer { list in
                                for i in terms.indices {
                                    let run = runs[core[terms[i]]]
                                    guard run.start < run.end else { continue }
                                    for place in Int(run.start)..<Int(run.end) {
                                        let phrase = list[starting[place]]
                                        guard i + phrase.count <= terms.count else { continue }
                                        var k = 1
                                        while k < phrase.count, core[terms[i + k]] == phraseTerms[phrase.start + k] { k += 1 }
                                        if k == phrase.count { found.append(phrase.group) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Where a term's phrases are listed in `WordTerms.startingPhrases`.
struct PhraseRun {
    var start: Int32
    var end: Int32
}

@available(*, unavailable)
extension WordTerms: Sendable {}

/// The glossary's phrases as search terms (a phrase for each term, abbreviation and alias
/// of an entry), numbered; a text that writes one's terms in a row also counts its entry's
/// synonym token.
struct GlossaryPhrases: Sendable {
    /// A phrase: its entry's number, where its terms start among all phrases' terms
    /// (`places`), and how many it has.
    struct Phrase {
        var group: Int
        var start: Int
        var count: Int
    }

    /// Every phrase, by number.
    var list: [Phrase] = []
    /// Every phrase's terms, one phrase after another.
    var places: [String] = []
    /// The phrases each first term starts, by number, in the order they were added.
    var starting: [String: [Int]] = [:]
    /// Where each term stands among `places`.
    private var placesOfTerm: [String: [Int]] = [:]

    mutating func add(group: Int, terms phrase: [String]) {
        starting[phrase[0], default: []].append(list.count)
        list.append(Phrase(group: group, start: places.count, count: phrase.count))
        for term in phrase {
            placesOfTerm[term, default: []].append(places.count)
            places.append(term)
        }
    }

    /// Where `term` stands among `places`, and the phrases it starts (nil for none); nil
    /// for a term of no phrase (every phrase's first term is among its places).
    func phrases(of term: String) -> (places: [Int], starting: [Int]?)? {
        guard let places = placesOfTerm[term] else { return nil }
        return (places, starting[term])
    }
}

/// What a `WordTerms` numbered: each word (its term and folded form) and each term.
struct Vocabulary: Sendable {
    var words: [WordTerms.Word]
    var terms: [String]
}

/// One `WordTerms` per core, lent to one chapter's counting at a time (libstemmer's stemmers
/// are not thread-safe, and the arrays a chapter counts in are its own while it counts).
/// Every one is kept, by number, for as long as the pool: chapters' counts name their words
/// by these numbers.
final class WordTermsPool: @unchecked Sendable {
    private let language: String
    private let phrases: GlossaryPhrases
    private let lock = NSLock()
    /// Every `WordTerms` made here, by number; nil while lent.
    private var memories: [WordTerms?] = []
    private var idle: [Int] = []

    init(language: String, phrases: GlossaryPhrases) {
        self.language = language
        self.phrases = phrases
    }

    /// Runs `body` with a `WordTerms` no other task is using.
    func borrow<Result>(_ body: (inout WordTerms) -> Result) -> Result {
        var memory = lock.withLock { () -> WordTerms in
            guard let number = idle.popLast() else {
                memories.append(nil)
                return WordTerms(number: memories.count - 1, language: language, phrases: phrases)
            }
            defer { memories[number] = nil }
            return memories[number]!
        }
        defer {
            lock.withLock {
                idle.append(memory.number)
                memories[memory.number] = memory
            }
        }
        return body(&memory)
    }

    /// Each `WordTerms`' words and terms, by its number; asked once none is lent.
    var vocabularies: [Vocabulary] {
        lock.withLock { memories.map { Vocabulary(words: $0!.words, terms: $0!.terms) } }
    }
}
