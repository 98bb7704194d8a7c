import Foundation

/// The search index, built from the linked guide and written as JavaScript files that the
/// search page loads with `<script>` elements (so it works from `file://`, where `fetch`
/// is blocked), split so that a query loads only what it needs. The files, their fields and
/// the text rules are written down once, in `docs/search-index.md`; `search.js` reads them:
///
/// - `search/index.js`: the manifest: where each vocabulary shard starts, stop words,
///   glossary synonyms.
/// - `search/v/<n>.js`: a vocabulary shard: the terms and word forms whose shard keys (first
///   two code points) fall in its run of keys; per term its document frequency, postings
///   chunk and shown word, per form its terms, so the browser needs no stemmer.
/// - `search/p/<n>-<c>.js`: postings of shard n, about `postingsBytes` per chunk: for each term,
///   the documents (chapter, section) and a precomputed BM25F score, the best
///   `maxPostingsPerTerm` of them.
/// - `search/x/<n>.js`: the documents of a few chapters in a row: anchor, heading path and
///   text, for result titles and excerpts.
/// Each kind of file is sized by bytes, not by word or chapter.
public struct SearchIndex: Sendable {
    /// One document's score for one term.
    public struct Posting: Sendable, Equatable {
        public var chapter: Int
        public var section: Int
        /// BM25F score, scaled to 1…255 across the whole index.
        public var impact: UInt8
    }

    /// A term of the vocabulary.
    public struct Term: Sendable {
        public var documentFrequency: Int
        /// The word most often written for this term ("infection" for "infect").
        public var word: String
        public var postings: [Posting]
    }

    public var terms: [String: Term]
    /// The word forms of the guide and its glossary (folded) that are not simply their own
    /// term, each with its terms (usually one; two if differently accented words fold alike).
    public var forms: [String: [String]]
    /// Per glossary entry, its phrases (term, abbreviation, aliases) as search terms; a
    /// document containing any of them gets the entry's synonym token `~<n>`.
    public var synonyms: [[[String]]]
    /// Per chapter in series order, its page (as the excerpt files list them). The
    /// documents' texts are in `excerpts`, not kept twice.
    public var pages: [String]
    /// Per chapter, its entry in an excerpt file: `{"u":page,"d":[[anchor,headingPath,text],…]}`,
    /// or its parts' entries when chapters are split.
    var excerpts: [[[UInt8]]] = []
    /// Chapters per excerpt file (`ExcerptLayout`).
    var excerptsPerFile = 1
    /// When chapters are split into parts: per chapter, where each part starts (by document).
    var excerptParts: [[Int32]] = []
    /// When chapters are split: the most documents a part holds, by which a document's number
    /// in the browser's postings tells its part (0: chapters are whole).
    var partStride = 0
    /// The excerpt files were written as the chapters were counted (`write`): `excerpts` is empty.
    var excerptsWritten = false
    /// The words the browser leaves out of a query, for the guide's language.
    var stopWords: Set<String> = SearchText.stopWords

    public static let maxPostingsPerTerm = 300
    /// The text (bytes) from which the index's gathering gives freed memory back at once
    /// (`FreedMemory`): about 2,000 chapters.
    static let returnedAtOnceFrom = 16 << 20
    static let k1 = 1.2, b = 0.75

    public static func synonymToken(_ group: Int) -> String { "~\(String(group, radix: 36))" }

    /// A chapter's documents' statistics: each document's terms and their weighted
    /// frequencies, one document's run after another in `postings` (one array per chapter,
    /// not two per document: 100,000 documents at 10,000 chapters), and each document's
    /// weighted length.
    struct ChapterStats: Sendable {
        /// The terms its documents' statistics number, as the counting memory's term numbers.
        var terms: [Int32] = []
        var postings: [ChapterPosting] = []
        var documents: [DocumentStats] = []
    }

    /// A term a document writes, as its place in the chapter's `terms`, and its weighted
    /// frequency (as the raw postings keep it).
    struct ChapterPosting: Sendable {
        var term: Int32
        var tf: Float
    }

    /// Per document: where its run of `ChapterStats.postings` ends, and its weighted length.
    struct DocumentStats: Sendable {
        var end: Int
        var length: Double
        /// What every score of the document is multiplied by (a References section's is low).
        var prior: Double
    }

    /// A written word of a chapter that has a term (its number in the `WordTerms` that
    /// counted the chapter), and how often the chapter writes it.
    struct WordCount: Sendable {
        var word: Int32
        var count: Int32
    }

    /// Every term's raw postings in one array, term after term: a term's run starts at
    /// `starts[number]` and ends where the next one's starts. What a posting's score needs
    /// of its document is kept once per document (numbered in the guide's order), not in
    /// each posting: 10,000 chapters have millions of postings.
    struct RawPostings: Sendable {
        var postings: [RawPosting]
        var starts: [Int]
        var documents: [RawDocument]
        func of(_ number: Int) -> ArraySlice<RawPosting> { postings[starts[number]..<starts[number + 1]] }

        /// These postings, leaving none here: their one holder is then the caller.
        mutating func handedOver() -> RawPostings {
            defer { self = RawPostings(postings: [], starts: [], documents: []) }
            return self
        }
    }

    /// BM25F scores, at most `maxPostingsPerTerm` per term (on both cores), in the guide's
    /// order: a term's raw postings are laid out chapter by chapter, section by section, so
    /// only a term with more than that many is cut, to its best (`bestPostings`).
    static func scored(_ raw: RawPostings, termCount: Int, documentCount n: Double, averageLength: Double)
        -> [(documentFrequency: Int, best: Double, list: [(chapter: Int, section: Int, score: Double)])] {
        parallelMap(Array(0..<termCount)) { number -> (documentFrequency: Int, best: Double, list: [(chapter: Int, section: Int, score: Double)]) in
            let postings = raw.of(number)
            let df = Double(postings.count)
            let idf = log(1 + (n - df + 0.5) / (df + 0.5))
            var best = 0.0
            let list = postings.map { p -> (chapter: Int, section: Int, score: Double) in
                let tf = Double(p.tf), document = raw.documents[Int(p.document)]
                let score = Double(document.prior) * idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * Double(document.length) / averageLength))
                best = max(best, score)
                return (Int(document.chapter), Int(document.section), score)
            }
            return (postings.count, best, SearchIndex.bestPostings(maxPostingsPerTerm, of: list))
        }
    }

    /// One document's counts for one term, before scoring.
    struct RawPosting: Sendable {
        /// Its place in `RawPostings.documents`.
        var document: Int32
        var tf: Float
    }

    /// A document's place and what its postings' scores are weighed by.
    struct RawDocument: Sendable {
        var chapter: Int32
        var section: Int32
        var length: Float
        var prior: Float
    }

    /// What counting a chapter keeps as it goes: the terms it writes, numbered in the order it
    /// first writes them (`coreNumbers`, each a term's number in the memory), the words it
    /// writes, and the current field's terms as chapter numbers.
    struct ChapterTally {
        var coreNumbers: [Int] = []
        var wordsWritten: [Int] = []
        var terms: [Int] = []

        /// The chapter's number for the memory's `term`, given at its first writing.
        @inline(__always)
        mutating func chapterNumber(_ term: Int, memory: inout WordTerms) -> Int {
            if memory.numberInChapter[term] < 0 {
                memory.numberInChapter[term] = coreNumbers.count
                coreNumbers.append(term)
            }
            return memory.numberInChapter[term]
        }

        /// Adds `weight` to each of `terms`' frequencies (`tf`, by chapter number, long enough
        /// for all of them), noting in `touched` each that was 0.
        static func add(_ terms: [Int], weight: Double, to tf: inout [Double], touched: inout [Int]) {
            terms.withUnsafeBufferPointer { terms in
                tf.withUnsafeMutableBufferPointer { tf in
                    for number in terms {
                        if tf[number] == 0 { touched.append(number) }
                        tf[number] += weight
                    }
                }
            }
        }

        /// Counts a writing of a word, and adds its term (if it has one) to the field's terms.
        @inline(__always)
        mutating func written(_ bytes: UnsafeBufferPointer<UInt8>, memory: inout WordTerms, _ word: () -> SearchText.Word) {
            let number = memory.number(of: bytes, word)
            if memory.countInChapter[number] == 0 { wordsWritten.append(number) }
            memory.countInChapter[number] += 1
            let term = memory.words[number].term
            if term >= 0 { terms.append(chapterNumber(term, memory: &memory)) }
        }
    }

    /// One chapter's share of the index, which depends on nothing but its documents, the
    /// language and the glossary's phrases. Its words and terms are numbers in the
    /// `WordTerms` that counted it (`memory`), not strings: 10,000 chapters' words as strings
    /// were a seventh of a build's memory, and hashing them again to gather them, more time
    /// than counting them.
    struct ChapterTerms: Sendable {
        /// The number of the `WordTerms` in the pool that numbered its words and terms.
        var memory: Int
        /// Its entry in an excerpt file, as UTF-8 (made from strings and ASCII, so never
        /// checked again as a string); one per part when chapters are split (`ExcerptLayout`).
        var excerpt: [[UInt8]]
        /// Where each part of its excerpt starts, by document ([0] for a whole chapter).
        var parts: [Int32]
        var stats: ChapterStats
        var words: [WordCount]
    }

    /// The chapters' statistics, handed over to the gathering of the raw postings, which
    /// lets each chapter's go once the postings hold it.
    final class StatsToGather: @unchecked Sendable {
        var chapters: [ChapterStats]
        init(_ chapters: [ChapterStats]) { self.chapters = chapters }
    }

    /// Builds the index of every chapter of the guide, stemming for its `language`.
    public static func build(_ guide: Guide) -> SearchIndex {
        build(guide, cache: nil)
    }

    /// Builds the index and hands its files to `emit` (from several threads): each excerpt
    /// file as soon as its chapters are counted, so that their texts (35 MB at 10,000
    /// chapters) are never all held; the rest once it is scored.
    /// The same files as `build(…).files(…)`.
    ///
    /// With `blocks`, the chapters' text blocks are read from there, each chapter's let go
    /// once counted, not from the guide.
    static func write(_ guide: Guide, blocks: TextBlocksToCount? = nil, cache: SearchCache?, folder: String = "",
                      emit: @escaping @Sendable (OutputFile) -> Void) {
        build(guide, blocks: blocks, cache: cache, excerptsTo: (folder, emit)).files(folder: folder, emit: emit)
    }

    /// With a `cache` (serve), a chapter whose documents are unchanged is not counted again.
    /// With `excerptsTo`, the excerpt files are written as soon as they can be (`write`).
    static func build(_ guide: Guide, blocks handedOver: TextBlocksToCount? = nil, cache: SearchCache?,
                      excerptsTo: (folder: String, emit: @Sendable (OutputFile) -> Void)? = nil) -> SearchIndex {
        let language = guide.config.language
        // Glossary phrases' words are forms too, so a query can reach a synonym whose words
        // no chapter uses ("black box warning").
        let glossaryStemmer = Stemmer(language: language)
        var glossaryForms: [(form: String, term: String)] = []
        let synonyms = guide.glossary.terms.map { entry in
            ([entry.term] + (entry.abbr.map { [$0] } ?? []) + entry.aliases).map { phrase in
                SearchText.scan(phrase).compactMap { word -> String? in
                    guard let term = SearchText.term(word, stemmer: glossaryStemmer) else { return nil }
                    glossaryForms.append((word.folded, term))
                    return term
                }
            }.filter { !$0.isEmpty }
        }
        var glossaryPhrases = GlossaryPhrases()
        for (group, phrases) in synonyms.enumerated() {
            for phrase in phrases { glossaryPhrases.add(group: group, terms: phrase) }
        }
        let phrases = glossaryPhrases
        let chapters = guide.chapters
        let textBytes = handedOver?.textBytes ?? chapters.reduce(0) { $0 + $1.chapter.markdown.blocks.reduce(0) { $0 + $1.text.utf8.count } }
        let layout = excerptLayout(chapters, textBytes: textBytes)
        // What serve's cache is kept for, a chapter's excerpt parts included (written out
        // only when there is one: printing nested arrays reflects on every element).
        let setting = cache.map { _ in "\(language)\u{0}\(synonyms)\u{0}\(layout.partBytes ?? 0)" } ?? ""
        cache?.begin(setting: setting)
        // Serve keeps the pool with the chapters' counts, which are numbered in it.
        let makePool = { WordTermsPool(language: language, phrases: phrases) }
        let wordTerms = cache?.wordTerms(setting: setting, make: makePool) ?? makePool()
        // A smaller guide's counts are a few megabytes, which the allocator keeps for what
        // comes next: given back at once, each page was a system call (and the other core
        // told to forget it), and its next use a page fault.
        let returnsAtOnce = textBytes >= Self.returnedAtOnceFrom
        // Each excerpt file is written as soon as its chapters are counted, so their texts
        // (35 MB at 10,000 chapters) are never all held.
        let excerptFiles = excerptsTo.map { ExcerptFiles(chapters: chapters.count, perFile: layout.perFile, split: layout.partBytes != nil,
                                                         folder: $0.folder, emit: $0.emit) }
        // Counted and gathered in a scope of their own: the chapters' counts, the index's
        // largest part, are let go when it ends, before scoring.
        var gathered: (documentCount: Int, totalLength: Double, termList: [String], raw: RawPostings)
        let formsGathered: (formTerms: [String: Set<String>], shownWord: [String: String])
        let excerpts: [[[UInt8]]]
        var excerptParts: [[Int32]] = []
        var partStride = 0
        do {
            var counted = parallelMap(Array(chapters.indices)) { index -> ChapterTerms in
                let chapter = chapters[index]
                var terms: ChapterTerms
                if let handedOver {
                    terms = count(SearchDocument.documents(for: chapter, blocks: handedOver.take(index)), page: chapter.id.pageName)
                } else if let cache {
                    terms = cache.terms(chapter.id.pageName, SearchCache.Inputs(chapter)) {
                        count(SearchDocument.documents(for: chapter), page: chapter.id.pageName)
                    }
                } else {
                    terms = count(SearchDocument.documents(for: chapter), page: chapter.id.pageName)
                }
                if let excerptFiles {
                    excerptFiles.add(terms.excerpt, chapter: index)
                    terms.excerpt = []
                }
                return terms
            }
            cache?.finish()
            if layout.partBytes != nil {
                excerptParts = counted.map(\.parts)
                partStride = counted.map { terms in
                    zip(terms.parts, terms.parts.dropFirst().map(Int.init) + [terms.stats.documents.count]).map { $1 - Int($0) }.max() ?? 1
                }.max() ?? 1
            }
            // Each chapter's statistics are moved out, for the gathering to let go of.
            let statsToGather = StatsToGather(counted.indices.map { index in
                defer { counted[index].stats = ChapterStats() }
                return counted[index].stats
            })
            let perChapter = counted
            // A chapter's documents' term frequencies, and the forms it writes.
            @Sendable func count(_ documents: [SearchDocument], page: String) -> ChapterTerms {
                wordTerms.borrow { count(documents, page: page, memory: &$0) }
            }
            @Sendable func count(_ documents: [SearchDocument], page: String, memory: inout WordTerms) -> ChapterTerms {
                // Words and terms have this core's numbers (`memory`); the chapter numbers its own
                // terms in the order it first writes them, for its documents' statistics.
                var tally = ChapterTally()
                var tf: [Double] = []
                var touched: [Int] = []
                var synonymsWritten: [Int] = []
                // A loop, not `map`: the counting arrays are then reached directly, not as
                // captures of a closure, which Swift checks for exclusive access at every use.
                var documentStats: [DocumentStats] = []
                documentStats.reserveCapacity(documents.count)
                // Made here, then kept (until the index is gathered) at its size, not as grown.
                var postings: [ChapterPosting] = []
                // Each document read where it is (a loop over the array took a copy of each,
                // every string in it counted again, and let it go).
                for index in documents.indices {
                    var length = 0.0
                    touched.removeAll(keepingCapacity: true)
                    func count(_ term: Int, _ weight: Double) {
                        // Grown in place: a new array of zeros to add was made for each of a
                        // chapter's new terms (most of its terms are new to it).
                        if term >= tf.count { tf.append(contentsOf: repeatElement(0, count: term - tf.count + 1)) }
                        if tf[term] == 0 { touched.append(term) }
                        tf[term] += weight
                    }
                    for field in SearchDocument.Field.allCases {
                        guard let text = documents[index].fields[field] else { continue }
                        tally.terms.removeAll(keepingCapacity: true)
                        // The tally goes through the scan as an argument, not a capture: a
                        // closure's captured variables are checked for exclusive access at
                        // every use, and this runs for every word of the guide.
                        SearchText.forEachWord(in: text, into: &tally) { tally, run in
                            switch run {
                            case let .ascii(bytes):
                                tally.written(bytes, memory: &memory) {
                                    let word = String(decoding: bytes, as: UTF8.self)
                                    return SearchText.Word(written: word, folded: word)
                                }
                            case let .other(run):
                                for word in memory.words(ofRun: run) {
                                    var text = word.written
                                    text.withUTF8 { tally.written($0, memory: &memory) { word } }
                                }
                            }
                        }
                        length += field.weight * Double(tally.terms.count)
                        // The field's terms all have their chapter numbers now: `tf` is grown once
                        // for them, not checked at each (a synonym token's, numbered below, is).
                        if tally.coreNumbers.count > tf.count { tf.append(contentsOf: repeatElement(0, count: tally.coreNumbers.count - tf.count)) }
                        let weight = field.weight
                        // The field's terms counted, and the glossary phrases it writes found, on
                        // arrays read through pointers (handed over as arguments: captured by a
                        // closure, each use was checked for exclusive access); the phrases' synonym
                        // tokens are counted after, as numbering one can grow those arrays. The same
                        // counts and numbers as counting each where it is found: nothing else is
                        // numbered in between.
                        ChapterTally.add(tally.terms, weight: weight, to: &tf, touched: &touched)
                        memory.phrasesWritten(tally.terms, chapterNumbers: tally.coreNumbers, into: &synonymsWritten)
                        for group in synonymsWritten {
                            count(tally.chapterNumber(memory.number(ofSynonym: group), memory: &memory), weight)
                        }
                    }
                    for number in touched {
                        postings.append(ChapterPosting(term: Int32(number), tf: Float(tf[number])))
                        tf[number] = 0
                    }
                    documentStats.append(DocumentStats(end: postings.count, length: length,
                                                       prior: documents[index].fields[.reference] != nil ? SearchDocument.referencePrior : 1))
                }
                let (coreNumbers, wordsWritten) = (tally.coreNumbers, tally.wordsWritten)
                // Kept until the index is gathered: made to size, not grown by doubling.
                var words: [WordCount] = []
                words.reserveCapacity(wordsWritten.reduce(0) { $0 + (memory.words[$1].term < 0 ? 0 : 1) })
                for number in wordsWritten where memory.words[number].term >= 0 {
                    words.append(WordCount(word: Int32(number), count: Int32(memory.countInChapter[number])))
                }
                // The counting arrays as the next chapter expects them.
                for number in wordsWritten { memory.countInChapter[number] = 0 }
                for term in coreNumbers { memory.numberInChapter[term] = -1 }
                // `{"u":page,"d":[[anchor,headingPath,text],…]}`, written as bytes once: made
                // from strings for each document and joined, it took twice the time.
                // A long chapter's (`layout.partBytes`) in parts, each closed before its
                // documents' texts would pass that size (a part has at least one document).
                func size(_ document: SearchDocument) -> Int {
                    document.anchor.utf8.count + document.headingPath.utf8.count + document.textPartsByteCount + 16
                }
                var excerpt: [[UInt8]] = []
                var parts: [Int32] = []
                var entry: [UInt8] = []
                var entrySize = 0
                func openPart(at first: Int) {
                    parts.append(Int32(first))
                    entry = []
                    // The rest of the chapter, or of a part at most (and its first document).
                    let rest = documents[first...].reduce(0) { $0 + size($1) }
                    entry.reserveCapacity(page.utf8.count + 16 + min(rest, (layout.partBytes ?? rest) + size(documents[first])))
                    entry.append(contentsOf: "{\"u\":".utf8)
                    appendJSONString(page, .script, to: &entry)
                    entry.append(contentsOf: ",\"d\":[".utf8)
                    entrySize = 0
                }
                func closePart() {
                    entry.append(contentsOf: "]}".utf8)
                    excerpt.append(entry)
                }
                openPart(at: 0)
                for n in documents.indices {
                    let documentSize = size(documents[n])
                    if let limit = layout.partBytes, entrySize > 0, entrySize + documentSize > limit {
                        closePart()
                        openPart(at: n)
                    }
                    entry.append(contentsOf: entrySize == 0 ? "[".utf8 : ",[".utf8)
                    entrySize += documentSize
                    appendJSONString(documents[n].anchor, .script, to: &entry)
                    entry.append(UInt8(ascii: ","))
                    appendJSONString(documents[n].headingPath, .script, to: &entry)
                    entry.append(UInt8(ascii: ","))
                    documents[n].appendTextLiteral(to: &entry)
                    entry.append(UInt8(ascii: "]"))
                }
                closePart()
                let stats = ChapterStats(terms: coreNumbers.map { Int32($0) }, postings: postings.withUnsafeBufferPointer(Array.init), documents: documentStats)
                return ChapterTerms(memory: memory.number, excerpt: excerpt, parts: parts, stats: stats, words: words)
            }

            // Postings and forms are gathered at the same time, on both cores. Each memory's
            // words and terms are named (hashed as strings) once, at their first use.
            let frozenGlossaryForms = glossaryForms
            let vocabularies = wordTerms.vocabularies
            // The chapters' statistics are let go while the raw postings are made from them,
            // and those while scored: in a large guide, their pages go back to the system as
            // they are freed (`returnsAtOnce`).
            if returnsAtOnce { FreedMemory.beginReturningAtOnce() }
            (gathered, formsGathered) = concurrently({ () -> (documentCount: Int, totalLength: Double, termList: [String], raw: RawPostings) in
                var documentCount = 0
                var totalLength = 0.0
                // Terms get numbers across the guide, so postings are gathered by number, each
                // chapter's names looked up once rather than once per document; they are counted
                // first, then laid out term by term in one array.
                // Sized for the largest memory's terms (most are in every memory): grown from
                // empty, the table was hashed again at each doubling.
                var termNumbers: [String: Int] = [:]
                termNumbers.reserveCapacity(vocabularies.map(\.terms.count).max() ?? 0)
                var termList: [String] = []
                var counts: [Int] = []
                // Per memory, the guide's number of each of its terms (-1 until a chapter uses it).
                // Once every chapter is numbered, a chapter's terms are read through it again
                // (not kept per chapter: 16 MB at 10,000 chapters).
                var guideNumbers = vocabularies.map { [Int](repeating: -1, count: $0.terms.count) }
                for (chapter, stats) in statsToGather.chapters.enumerated() {
                    let memory = perChapter[chapter].memory
                    let numbers = stats.terms.map { term -> Int in
                        let known = guideNumbers[memory][Int(term)]
                        if known >= 0 { return known }
                        let name = vocabularies[memory].terms[Int(term)]
                        let number: Int
                        if let named = termNumbers[name] {
                            number = named
                        } else {
                            number = termList.count
                            termNumbers[name] = number
                            termList.append(name)
                            counts.append(0)
                        }
                        guideNumbers[memory][Int(term)] = number
                        return number
                    }
                    for posting in stats.postings { counts[numbers[Int(posting.term)]] += 1 }
                }
                var starts = [Int](repeating: 0, count: counts.count + 1)
                for (number, count) in counts.enumerated() { starts[number + 1] = starts[number] + count }
                var next = starts
                var documents: [RawDocument] = []
                documents.reserveCapacity(statsToGather.chapters.reduce(0) { $0 + $1.documents.count })
                // Each term's run is filled in the chapters' order, so a page of the array is
                // first written (and so held) as the runs reach it, while each chapter's
                // statistics are let go once read: the two (about 21 MB each at 10,000
                // chapters) are not both held whole.
                let total = starts[counts.count]
                let postings = [RawPosting](unsafeUninitializedCapacity: total) { buffer, initialized in
                    for chapter in statsToGather.chapters.indices {
                        let stats = statsToGather.chapters[chapter]
                        statsToGather.chapters[chapter] = ChapterStats()
                        let numbers = guideNumbers[perChapter[chapter].memory]
                        var start = 0
                        for (section, document) in stats.documents.enumerated() {
                            documentCount += 1
                            totalLength += document.length
                            let place = Int32(documents.count)
                            documents.append(RawDocument(chapter: Int32(chapter), section: Int32(section), length: Float(document.length),
                                                         prior: Float(document.prior)))
                            for posting in stats.postings[start..<document.end] {
                                let number = numbers[Int(stats.terms[Int(posting.term)])]
                                buffer[next[number]] = RawPosting(document: place, tf: posting.tf)
                                next[number] += 1
                            }
                            start = document.end
                        }
                    }
                    initialized = total
                }
                return (documentCount, totalLength, termList, RawPostings(postings: postings, starts: starts, documents: documents))
            }, { () -> (formTerms: [String: Set<String>], shownWord: [String: String]) in
                // Per folded form: its terms; per term: how often each of its forms was written.
                // Forms and terms get numbers, so each is hashed as a string once per chapter.
                var formNumbers: [String: Int] = [:], formNames: [String] = [], termsOfForm: [[Int]] = []
                // Per term, each of its forms' number and count: a term has a few forms, found
                // sooner by looking through them than by hashing (once per chapter's word).
                var termNumbers: [String: Int] = [:], termNames: [String] = [], countsOfTerm: [[(form: Int, count: Int)]] = []
                formNumbers.reserveCapacity(vocabularies.map(\.words.count).max() ?? 0)
                termNumbers.reserveCapacity(vocabularies.map(\.terms.count).max() ?? 0)
                func formNumber(_ form: String) -> Int {
                    if let known = formNumbers[form] { return known }
                    formNumbers[form] = formNames.count
                    formNames.append(form)
                    termsOfForm.append([])
                    return formNames.count - 1
                }
                func termNumber(_ term: String) -> Int {
                    if let known = termNumbers[term] { return known }
                    termNumbers[term] = termNames.count
                    termNames.append(term)
                    countsOfTerm.append([])
                    return termNames.count - 1
                }
                for (form, term) in frozenGlossaryForms {
                    let f = formNumber(form), t = termNumber(term)
                    if !termsOfForm[f].contains(t) { termsOfForm[f].append(t) }
                }
                // Per memory's word, the number here of its form and of its term (-1 until used),
                // in one array for all memories (each from its `wordBase`): a word's form and term
                // never change, so each is named, and paired in `termsOfForm`, at its first use
                // only; after that a chapter's word is two array reads (not a copy of the word,
                // its form counted again as a reference, and a search through its form's terms).
                var wordBase = [0]
                for vocabulary in vocabularies { wordBase.append(wordBase.last! + vocabulary.words.count) }
                var formHere = [Int](repeating: -1, count: wordBase.last!)
                var termHere = [Int](repeating: -1, count: wordBase.last!)
                var numberOfTerm = vocabularies.map { [Int](repeating: -1, count: $0.terms.count) }
                for counted in perChapter {
                    let memory = counted.memory, base = wordBase[memory]
                    for seen in counted.words {
                        let slot = base + Int(seen.word)
                        if formHere[slot] < 0 {
                            let vocabulary = vocabularies[memory]
                            let term = vocabulary.words[Int(seen.word)].term
                            let f = formNumber(vocabulary.words[Int(seen.word)].form)
                            var t = numberOfTerm[memory][term]
                            if t < 0 {
                                t = termNumber(vocabulary.terms[term])
                                numberOfTerm[memory][term] = t
                            }
                            if !termsOfForm[f].contains(t) { termsOfForm[f].append(t) }
                            formHere[slot] = f
                            termHere[slot] = t
                        }
                        let f = formHere[slot], t = termHere[slot]
                        if let i = countsOfTerm[t].firstIndex(where: { $0.form == f }) {
                            countsOfTerm[t][i].count += Int(seen.count)
                        } else {
                            countsOfTerm[t].append((f, Int(seen.count)))
                        }
                    }
                }
                var formTerms: [String: Set<String>] = [:]
                formTerms.reserveCapacity(formNames.count)
                for (f, form) in formNames.enumerated() { formTerms[form] = Set(termsOfForm[f].map { termNames[$0] }) }
                // The word shown for a term: the form written most often (ties: the alphabetically first).
                var shownWord: [String: String] = [:]
                for (t, counts) in countsOfTerm.enumerated() where !counts.isEmpty {
                    var best: (form: String, count: Int)?
                    for (f, count) in counts {
                        let form = formNames[f]
                        if let current = best, current.count > count || (current.count == count && current.form < form) { continue }
                        best = (form, count)
                    }
                    shownWord[termNames[t]] = best?.form
                }
                return (formTerms, shownWord)
            })
            // Past here only the chapters' excerpts are read, if they were not written already:
            // the rest of their counts (the index's largest part, with the raw postings below) is
            // freed before scoring.
            excerpts = excerptFiles == nil ? perChapter.map(\.excerpt) : []
        }
        let (documentCount, totalLength, termList) = (gathered.documentCount, gathered.totalLength, gathered.termList)
        let (formTerms, shownWord) = formsGathered
        let averageLength = max(1, totalLength / Double(max(1, documentCount)))
        let n = Double(documentCount)

        // The raw postings are handed over to scoring, and let go when it ends, before the
        // terms are made from the scores (21 MB at 10,000 chapters).
        let scoredLists = scored(gathered.raw.handedOver(), termCount: termList.count, documentCount: n, averageLength: averageLength)
        if returnsAtOnce { FreedMemory.endReturningAtOnce() }
        // Scores are scaled to one byte across the whole index.
        let maxScore = scoredLists.map(\.best).max() ?? 0

        // Each term's entry made on every core, in runs of 512 terms (an item of the pool
        // per term would take its lock per term), then put in the table in order: alone, at
        // the end of a build, this loop kept one core busy for 12 ms at 1,000 chapters while
        // the other waited.
        let runs = parallelMap(Array(stride(from: 0, to: termList.count, by: 512))) { first -> [Term] in
            (first..<min(termList.count, first + 512)).map { number in
                let (documentFrequency, _, list) = scoredLists[number]
                let postings = list.map {
                    Posting(chapter: $0.chapter, section: $0.section,
                            impact: UInt8(max(1, min(255, ($0.score / max(maxScore, 1e-9) * 255).rounded()))))
                }
                return Term(documentFrequency: documentFrequency, word: shownWord[termList[number]] ?? termList[number], postings: postings)
            }
        }
        var terms: [String: Term] = [:]
        terms.reserveCapacity(termList.count)
        for (term, entry) in zip(termList, runs.joined()) { terms[term] = entry }
        // A query word is looked up as a form; a form that is its own term needs no entry, as
        // the term's vocabulary entry stands for it (unless only the glossary has the term).
        var forms: [String: [String]] = [:]
        for (form, set) in formTerms where !(set.count == 1 && set.contains(form) && terms[form] != nil) {
            forms[form] = set.sorted()
        }
        var index = SearchIndex(terms: terms, forms: forms, synonyms: synonyms, pages: guide.chapters.map(\.id.pageName))
        index.excerpts = excerpts
        index.excerptsPerFile = layout.perFile
        index.excerptParts = excerptParts
        index.partStride = partStride
        index.excerptsWritten = excerptFiles != nil
        index.stopWords = SearchText.stopWords(for: Stemmer.algorithm(for: language))
        return index
    }

    /// The `count` best-scored of a term's postings, `list` being in the guide's order (by
    /// chapter, then section), kept in that order; of postings scored alike, the first in
    /// the guide, so builds repeat exactly. What sorting by score and cutting the list short
    /// gives, found from the score that is the `count`-th best (`scoreRanked`), without
    /// sorting: a common word's list runs to every section. A new array, not the list cut
    /// short, which would keep its whole buffer while every term's list is held.
    /// A list of at most `count` is returned as it is.
    static func bestPostings(_ count: Int, of list: [(chapter: Int, section: Int, score: Double)]) -> [(chapter: Int, section: Int, score: Double)] {
        guard list.count > count else { return list }
        var scores = list.map(\.score)
        let threshold = scoreRanked(count, in: &scores)
        var tiesKept = count - list.reduce(0) { $0 + ($1.score > threshold ? 1 : 0) }
        var kept: [(chapter: Int, section: Int, score: Double)] = []
        kept.reserveCapacity(count)
        for posting in list where posting.score >= threshold {
            if posting.score == threshold {
                guard tiesKept > 0 else { continue }
                tiesKept -= 1
            }
            kept.append(posting)
        }
        return kept
    }

    /// The `rank`-th highest of `scores` (1 is the highest), which are reordered: found by
    /// splitting them around a middle value, each time keeping the side that holds it
    /// (quickselect, with runs of equal scores set apart so that they cost nothing more).
    /// After many rounds, which a hostile order could force, the rest is sorted instead.
    static func scoreRanked(_ rank: Int, in scores: inout [Double]) -> Double {
        precondition(rank >= 1 && rank <= scores.count)
        var low = 0, high = scores.count - 1
        let target = rank - 1
        for _ in 0..<64 {
            guard low < high else { return scores[target] }
            let (a, b, c) = (scores[low], scores[low + (high - low) / 2], scores[high])
            let pivot = max(min(a, b), min(max(a, b), c))
            // Highest first: [above the pivot][equal to it][below it].
            var above = low, next = low, below = high
            while next <= below {
                if scores[next] > pivot {
                    scores.swapAt(above, next)
                    above += 1
                    next += 1
                } else if scores[next] < pivot {
                    scores.swapAt(next, below)
                    below -= 1
                } else {
                    next += 1
                }
            }
            if target < above {
                high = above - 1
            } else if target > below {
                low = below + 1
            } else {
                return pivot
            }
        }
        scores[low...high].sort(by: >)
        return scores[target]
    }

    /// The shard a term or form lives in: its first two Unicode code points (it is folded,
    /// so NFC), which the browser computes alike; Swift's characters would differ for Hangul.
    public static func shardKey(_ term: String) -> String {
        // A slice of the term's own storage, not a view built scalar by scalar.
        String(term.unicodeScalars.prefix(2))
    }

    /// The order JavaScript compares strings in (UTF-16 code units), so the browser's binary
    /// search over shard keys agrees with the indexer's order.
    static func precedes(_ a: String, _ b: String) -> Bool {
        // By UTF-8 bytes, which order as code points do, and so as UTF-16 units do, but where
        // the first characters that differ are U+E000 or above: then a code point above
        // U+FFFF (two units from D800) comes before one from U+E000 to U+FFFF by units, after
        // it by code points. A byte that differs inside a character (after equal bytes) is
        // ordered alike either way.
        // Read in place (sorting compares some 140,000 pairs at 1,000 chapters): a copy to
        // read through `withUTF8` counted each string as a reference twice per comparison.
        let byBytes = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y -> Bool? in
                let common = min(x.count, y.count)
                var i = 0
                while i < common, x[i] == y[i] { i += 1 }
                guard i < common else { return x.count < y.count }
                if x[i] & 0xC0 != 0x80, x[i] >= 0xEE || y[i] >= 0xEE { return nil }
                return x[i] < y[i]
            } ?? nil
        } ?? nil
        return byBytes ?? a.utf16.lexicographicallyPrecedes(b.utf16)
    }

    /// Varint-encoded postings (chapter delta, section, impact), as base64. When chapters are
    /// split (`stride` > 0), a document's number is its part times `stride` plus its place in
    /// the part (`parts`: per chapter, where each part starts), so the browser finds its part.
    static func encode(_ postings: [Posting], parts: [[Int32]] = [], stride: Int = 0) -> String {
        var bytes: [UInt8] = []
        // Most postings take three bytes: made to size, not grown.
        bytes.reserveCapacity(postings.count * 4)
        var previous = 0
        func varint(_ value: Int) {
            var v = value
            while v >= 0x80 {
                bytes.append(UInt8(v & 0x7F) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }
        func number(_ p: Posting) -> Int {
            let starts = parts[p.chapter]
            let part = starts.lastIndex { Int($0) <= p.section } ?? 0
            return part * stride + p.section - Int(starts[part])
        }
        for p in postings {
            varint(p.chapter - previous)
            varint(stride > 0 ? number(p) : p.section)
            bytes.append(p.impact)
            previous = p.chapter
        }
        return Data(bytes).base64EncodedString()
    }

    /// About how many bytes each kind of index file holds: so a small guide has a handful of
    /// files, a large one not thousands, and a query, which loads a few vocabulary shards and
    /// postings chunks and one excerpt file per result shown, stays near 100 KB.
    static let vocabularyBytes = 2_048

    /// About how many bytes of postings a chunk holds in a guide of `chapters`: 3 KB up to 500
    /// chapters, then in proportion to 6 KB from 1,000 (as `excerptBytes`). A query loads one
    /// chunk per word it looks up, a few kilobytes more; a first build of 1,000 chapters
    /// writes 121 files fewer.
    static func postingsBytes(chapters: Int) -> Int {
        fileBytes(3_072, growingTo: 6_144, chapters: chapters)
    }

    /// About how many bytes of text an excerpt file holds in a guide of `chapters`: 4 KB up
    /// to 500 chapters, then in proportion to 6 KB from 1,000. Excerpt files are most of a
    /// large guide's index (one per short chapter), and each file written costs a build more
    /// than its bytes (a first build of 1,000 short chapters took 2-6% less time with two
    /// chapters a file), while a query, which loads one per result shown, loads only a few
    /// more kilobytes for each.
    static func excerptBytes(chapters: Int) -> Int {
        fileBytes(4_096, growingTo: 6_144, chapters: chapters)
    }

    /// An index file's size in a guide of `chapters`: `small` up to 500 chapters, `large` from
    /// 1,000, in proportion between.
    private static func fileBytes(_ small: Int, growingTo large: Int, chapters: Int) -> Int {
        small + (large - small) * (min(1_000, max(500, chapters)) - 500) / 500
    }

    /// The index's files, under `search/`, made on both cores and handed to `emit` (from
    /// several threads) as they are made.
    public func files(folder: String = "", emit: @escaping @Sendable (OutputFile) -> Void) {
        @Sendable func file(_ path: String, _ text: String) -> OutputFile { SearchIndex.file(folder, path, text) }
        let byKey = Dictionary(grouping: terms.keys, by: SearchIndex.shardKey)
        // A form is listed under its own key, where a query looks it up, and also under the key
        // of each of its terms, where excerpts find the words to mark.
        var formsByKey: [String: Set<String>] = [:]
        for (form, formTerms) in forms {
            formsByKey[SearchIndex.shardKey(form), default: []].insert(form)
            for term in formTerms where terms[term] != nil { formsByKey[SearchIndex.shardKey(term), default: []].insert(form) }
        }
        let keys = Set(byKey.keys).union(formsByKey.keys).sorted(by: SearchIndex.precedes)
        // Vocabulary shards: runs of keys, in order, closed at about `vocabularyBytes` of entries.
        var shards: [[String]] = []
        var run: [String] = []
        var runBytes = 0
        for key in keys {
            run.append(key)
            // What the entries will take, near enough: `["term",df,chunk,"word"],` and `"form":ref,`.
            for term in byKey[key] ?? [] {
                let entry = terms[term]!
                runBytes += term.utf8.count + String(entry.documentFrequency).utf8.count + 9
                if entry.word != term { runBytes += entry.word.utf8.count + 3 }
            }
            for form in formsByKey[key] ?? [] { runBytes += form.utf8.count + 4 + 3 * forms[form]!.count }
            if runBytes >= SearchIndex.vocabularyBytes {
                shards.append(run)
                run = []
                runBytes = 0
            }
        }
        if !run.isEmpty { shards.append(run) }

        let terms = self.terms
        let forms = self.forms
        let frozenFormsByKey = formsByKey
        let frozenShards = shards
        let postingsBytes = SearchIndex.postingsBytes(chapters: pages.count)
        // The manifest first, then each shard's files as soon as they are made, on both cores:
        // written one after another once all were made, they kept one core busy for 3-4 ms at
        // the end of a 1,000-chapter build while the other waited.
        let perFile = excerptsPerFile
        let firstKeys = shards.map { jsString($0[0]) }.joined(separator: ",")
        let stopWords = self.stopWords.sorted().map(jsString).joined(separator: ",")
        let synonymList = synonyms.map { phrases in "[" + phrases.map { "[" + $0.map(jsString).joined(separator: ",") + "]" }.joined(separator: ",") + "]" }
            .joined(separator: ",")
        emit(file("index.js", "GuideSearch.init({\"chapters\":\(pages.count),\"shards\":[\(firstKeys)],\"perFile\":\(perFile),\"parts\":\(partStride),\"stopWords\":[\(stopWords)],\"synonyms\":[\(synonymList)]});\n"))
        _ = parallelMap(Array(shards.indices)) { number in
            let name = String(number)
            var files: [OutputFile] = []
            // `"term":"postings"` for each term of the chunk, and the vocabulary's
            // `["term",df,chunk]` (or `…,"word"]`), each list with commas between.
            var vocabulary: [UInt8] = []
            var position: [String: Int] = [:]
            var chunk = 0
            var chunkEntries: [UInt8] = []
            var chunkSize = 0
            func flushChunk() {
                guard !chunkEntries.isEmpty else { return }
                let path = "p/\(name)-\(chunk)"
                files.append(SearchIndex.addFile(folder, path, [chunkEntries]))
                chunkEntries.removeAll(keepingCapacity: true)
                chunkSize = 0
                chunk += 1
            }
            for key in frozenShards[number] {
                for term in (byKey[key] ?? []).sorted(by: SearchIndex.precedes) {
                    let entry = terms[term]!
                    let encoded = SearchIndex.encode(entry.postings, parts: excerptParts, stride: partStride)
                    // Base64 is ASCII: its bytes are its characters, and are not walked to count them.
                    let encodedSize = encoded.utf8.count
                    if chunkSize > 0 && chunkSize + encodedSize > postingsBytes { flushChunk() }
                    if !chunkEntries.isEmpty { chunkEntries.append(UInt8(ascii: ",")) }
                    appendJSONString(term, .script, to: &chunkEntries)
                    chunkEntries.append(UInt8(ascii: ":"))
                    appendJSONString(encoded, .script, to: &chunkEntries)
                    chunkSize += encodedSize + term.utf8.count
                    if !vocabulary.isEmpty { vocabulary.append(UInt8(ascii: ",")) }
                    position[term] = position.count
                    vocabulary.append(UInt8(ascii: "["))
                    appendJSONString(term, .script, to: &vocabulary)
                    vocabulary.append(contentsOf: ",\(entry.documentFrequency),\(chunk)".utf8)
                    if entry.word != term {
                        vocabulary.append(UInt8(ascii: ","))
                        appendJSONString(entry.word, .script, to: &vocabulary)
                    }
                    vocabulary.append(UInt8(ascii: "]"))
                }
            }
            flushChunk()
            // A form's terms: by position in this shard's list, or by name when elsewhere.
            let shardForms = Set(frozenShards[number].flatMap { frozenFormsByKey[$0] ?? [] }).sorted(by: SearchIndex.precedes)
            var formEntries: [UInt8] = []
            for form in shardForms {
                if !formEntries.isEmpty { formEntries.append(UInt8(ascii: ",")) }
                appendJSONString(form, .script, to: &formEntries)
                formEntries.append(UInt8(ascii: ":"))
                let formTerms = forms[form]!
                if formTerms.count != 1 { formEntries.append(UInt8(ascii: "[")) }
                for (n, term) in formTerms.enumerated() {
                    if n > 0 { formEntries.append(UInt8(ascii: ",")) }
                    if let place = position[term] {
                        formEntries.append(contentsOf: String(place).utf8)
                    } else {
                        appendJSONString(term, .script, to: &formEntries)
                    }
                }
                if formTerms.count != 1 { formEntries.append(UInt8(ascii: "]")) }
            }
            files.append(SearchIndex.addFile(folder, "v/\(name)", [Array("\"t\":[".utf8), vocabulary, Array("],\"f\":{".utf8), formEntries, Array("}".utf8)]))
            files.forEach(emit)
        }

        if !excerptsWritten {
            let excerpts = self.excerpts
            if partStride > 0 {
                _ = parallelMap(Array(excerpts.indices)) { chapter in
                    SearchIndex.partFiles(excerpts[chapter], chapter: chapter, folder: folder).forEach(emit)
                }
            } else {
                _ = parallelMap(Array(stride(from: 0, to: excerpts.count, by: perFile))) { first in
                    emit(SearchIndex.excerptFile("\(first / perFile)", excerpts[first..<min(excerpts.count, first + perFile)].map { $0[0] }, folder: folder))
                }
            }
        }
    }

    static func file(_ folder: String, _ path: String, _ text: String) -> OutputFile {
        OutputFile(path: folder + "search/" + path, contents: .text(text))
    }

    /// How excerpts are laid out in files, the bulk of the index, from the chapters' text as
    /// read (their titles, summaries and text blocks), known before they are counted: so that
    /// a file holds about `excerptBytes(chapters:)` of text.
    struct ExcerptLayout: Equatable {
        /// Chapters per excerpt file: the same number in each (1 when chapters are split).
        var perFile: Int
        /// When chapters are more than half again as long as a file's size, each is split
        /// into parts of at most three quarters of that size in bytes of entries (a part has
        /// at least one document), one file each: a query loads one file per result shown, and
        /// a whole long chapter each time was most of its bytes (148 KB for a query of 100
        /// chapters as long as the shipped guide's; 101 KB with parts of the full size, 86 KB
        /// with these). Nil: files hold whole chapters.
        var partBytes: Int?
    }

    static func excerptLayout(_ chapters: [ResolvedChapter], textBytes: Int) -> ExcerptLayout {
        let bytes = textBytes + chapters.reduce(0) { $0 + $1.title.utf8.count + ($1.frontMatter.summary?.utf8.count ?? 0) }
        let average = max(1, bytes / max(1, chapters.count)), size = excerptBytes(chapters: chapters.count)
        // Up to half again as long, a chapter is kept whole: another file per chapter costs a
        // build more than the few kilobytes a query would load less.
        if average * 2 > size * 3 { return ExcerptLayout(perFile: 1, partBytes: size * 3 / 4) }
        return ExcerptLayout(perFile: max(1, size / average), partBytes: nil)
    }

    /// Excerpt file `name` (`<n>`, or `<chapter>-<part>`), holding `entries`.
    static func excerptFile<Entries: Collection<[UInt8]>>(_ name: String, _ entries: Entries, folder: String) -> OutputFile {
        var parts = [Array("\"c\":[".utf8)]
        for (n, entry) in entries.enumerated() { parts += n == 0 ? [entry] : [[UInt8(ascii: ",")], entry] }
        return addFile(folder, "x/\(name)", parts + [[UInt8(ascii: "]")]])
    }

    /// A split chapter's excerpt files, `x/<chapter>-<part>`, one per part's entry.
    static func partFiles(_ entries: [[UInt8]], chapter: Int, folder: String) -> [OutputFile] {
        entries.enumerated().map { part, entry in excerptFile("\(chapter)-\(part)", [entry], folder: folder) }
    }

    /// The index file `path` (without `.js`) as the browser loads it, written as bytes:
    /// `GuideSearch.add("path",{` and `parts` one after another, then `});` (a shard's or an
    /// excerpt file's entries are thousands of short texts, not made into strings).
    static func addFile(_ folder: String, _ path: String, _ parts: [[UInt8]]) -> OutputFile {
        var start = Array("GuideSearch.add(".utf8)
        appendJSONString(path, .script, to: &start)
        start += Array(",{".utf8)
        let end = Array("});\n".utf8)
        var bytes = Data(capacity: parts.reduce(start.count + end.count) { $0 + $1.count })
        bytes.append(contentsOf: start)
        for part in parts { bytes.append(contentsOf: part) }
        bytes.append(contentsOf: end)
        return OutputFile(path: folder + "search/" + path + ".js", contents: .bytes(bytes))
    }

    /// Every file of the index, in memory (for tests).
    public func files() -> [OutputFile] {
        let lock = NSLock()
        nonisolated(unsafe) var all: [OutputFile] = []
        files { file in lock.withLock { all.append(file) } }
        return all.sorted { $0.path < $1.path }
    }
}

/// Each chapter's share of the search index from `guide serve`'s last build, by page: a
/// chapter whose documents are unchanged is not counted again. A change of language or
/// glossary phrases empties it.
final class SearchCache: @unchecked Sendable {
    /// What a chapter's documents are made from (`SearchDocument.documents(for:)`): comparing
    /// these is cheaper than making the documents again.
    struct Inputs: Equatable {
        var title: String
        var summary: String?
        var headings: [ParsedMarkdown.Heading]
        var blocks: [ParsedMarkdown.TextBlock]
        var faqHeadings: [Int]
        /// The words Link filled in for links written without any.
        var fillTexts: [String?]

        init(_ chapter: ResolvedChapter) {
            title = chapter.title
            summary = chapter.frontMatter.summary
            headings = chapter.chapter.markdown.headings
            blocks = chapter.chapter.markdown.blocks
            faqHeadings = chapter.chapter.markdown.faqs.map(\.heading)
            fillTexts = chapter.links.map(\.fillText)
        }
    }
    private let chapters = RebuildCache<String, Inputs, SearchIndex.ChapterTerms>()

    private let lock = NSLock()
    private var pool: (setting: String, words: WordTermsPool)?

    func begin(setting: String) { chapters.begin(setting: setting) }

    /// The pool whose numbers the kept chapters' counts use: kept while the setting is.
    func wordTerms(setting: String, make: () -> WordTermsPool) -> WordTermsPool {
        lock.withLock {
            if let pool, pool.setting == setting { return pool.words }
            let made = make()
            pool = (setting, made)
            return made
        }
    }

    /// The chapter at `page`'s share of the index: the last one if made from equal inputs,
    /// else `count()`.
    func terms(_ page: String, _ inputs: Inputs, count: () -> SearchIndex.ChapterTerms) -> SearchIndex.ChapterTerms {
        chapters.value(page, inputs: inputs, make: count).value
    }

    func finish() { chapters.finish() }
}

/// The chapters' text blocks, taken out of a build's guide for the search index, their last
/// reader (`Guide.takingTextBlocks`): the index lets each chapter's go once it has counted
/// them, so they are not all held while it gathers (46 MB at 10,000 chapters).
final class TextBlocksToCount: @unchecked Sendable {
    private let lock = NSLock()
    private var blocks: [[ParsedMarkdown.TextBlock]]
    /// The bytes of all the blocks' text, as handed over.
    let textBytes: Int

    init(_ blocks: [[ParsedMarkdown.TextBlock]]) {
        self.blocks = blocks
        textBytes = blocks.reduce(0) { $0 + $1.reduce(0) { $0 + $1.text.utf8.count } }
    }

    /// The blocks of the guide's `index`-th chapter, no longer held here.
    func take(_ index: Int) -> [ParsedMarkdown.TextBlock] {
        lock.withLock {
            let taken = blocks[index]
            blocks[index] = []
            return taken
        }
    }
}

/// The excerpt files of an index being built, each written by the thread that counts its
/// last chapter, its entries then let go.
final class ExcerptFiles: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [[UInt8]?]
    /// Whether chapters are split into parts: each part is then a file of its own.
    private let split: Bool
    /// Per file, its chapters not yet counted.
    private var waiting: [Int]
    private let perFile: Int
    private let folder: String
    private let emit: @Sendable (OutputFile) -> Void

    init(chapters: Int, perFile: Int, split: Bool = false, folder: String, emit: @escaping @Sendable (OutputFile) -> Void) {
        self.split = split
        entries = Array(repeating: nil, count: chapters)
        waiting = stride(from: 0, to: chapters, by: perFile).map { min(perFile, chapters - $0) }
        (self.perFile, self.folder, self.emit) = (perFile, folder, emit)
    }

    /// A counted chapter's entry (or its parts' entries); its file is written if it was the
    /// file's last, and a split chapter's files at once.
    func add(_ excerpt: [[UInt8]], chapter: Int) {
        if split {
            SearchIndex.partFiles(excerpt, chapter: chapter, folder: folder).forEach(emit)
            return
        }
        let number = chapter / perFile
        let ready: ArraySlice<[UInt8]>? = lock.withLock {
            entries[chapter] = excerpt[0]
            waiting[number] -= 1
            guard waiting[number] == 0 else { return nil }
            let range = (number * perFile)..<min(entries.count, (number + 1) * perFile)
            defer { for place in range { entries[place] = nil } }
            return ArraySlice(range.map { entries[$0]! })
        }
        if let ready { emit(SearchIndex.excerptFile("\(number)", ready, folder: folder)) }
    }
}
