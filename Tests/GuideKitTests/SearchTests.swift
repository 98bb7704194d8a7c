import Foundation
import Testing
@testable import GuideKit

/// The search indexer: tokens, folding, Snowball stems, forms, documents, synonyms, shards and escaping.
@Suite struct SearchTests {
    // Proves: words are folded (accents off, lower case) and split on anything but letters and digits.
    @Test func words() {
        #expect(SearchText.words("Café—CAR-T's 2025 Rejections, naïve ÉTUDE") == ["cafe", "car", "t", "s", "2025", "rejections", "naive", "etude"])
        #expect(SearchText.words("日本語 and ü") == ["日本語", "and", "u"])
    }

    // Proves: folding and shard keys follow docs/search-index.md in every script: accents
    // off, lower case, final sigma as σ, NFC (so a Hangul syllable is one code point, as the
    // browser has it), and the key is the first two code points.
    @Test func foldingAndShardKeys() {
        let cases: [(text: String, words: [String], key: String)] = [
            ("Fever", ["fever"], "fe"),
            ("fièvre", ["fievre"], "fi"),
            ("Müdigkeit", ["mudigkeit"], "mu"),
            ("Лихорадка", ["лихорадка"], "ли"),
            ("πυρετός", ["πυρετοσ"], "πυ"),
            ("ΠΥΡΕΤΟΣ", ["πυρετοσ"], "πυ"),
            ("열", ["열"], "열"),
            ("발열", ["발열"], "발열"),
            // The same Hangul written as jamo (NFD) folds to the same syllables.
            ("\u{1107}\u{1161}\u{11AF}\u{110B}\u{1167}\u{11AF}", ["발열"], "발열"),
        ]
        for c in cases {
            let words = SearchText.words(c.text)
            #expect(words == c.words, "\(c.text)")
            #expect(words.first.map(SearchIndex.shardKey) == c.key, "\(c.text)")
        }
        // Keys are ordered as JavaScript orders strings, by UTF-16 code units: U+FF21 (one
        // unit) comes after U+1F600 (two units, starting D83D), unlike by code points.
        #expect(SearchIndex.precedes("\u{1F600}", "\u{FF21}"))
        #expect(!SearchIndex.precedes("\u{FF21}", "\u{1F600}"))
        // Compared by bytes where that orders alike: every pair of words of up to two letters,
        // the letters from each range (ASCII, accented, Hangul, private use and full-width,
        // beyond U+FFFF), is ordered as by UTF-16 units.
        let letters: [Unicode.Scalar] = ["a", "z", "\u{E9}", "\u{7FF}", "\u{800}", "\u{C5F4}", "\u{D7FF}", "\u{E000}", "\u{FF21}",
                                         "\u{FFFD}", "\u{10000}", "\u{1F600}", "\u{10FFFF}"]
        var words = [""]
        for _ in 0..<2 { words += words.flatMap { word in letters.map { word + String($0) } } }
        words = Array(Set(words)).sorted()
        for a in words {
            for b in words {
                #expect(SearchIndex.precedes(a, b) == a.utf16.lexicographicallyPrecedes(b.utf16), "\(a.debugDescription) \(b.debugDescription)")
            }
        }
        #expect(SearchText.words("열").first?.unicodeScalars.map(\.value) == [0xC5F4])
        #expect(SearchIndex.shardKey("발열").unicodeScalars.count == 2)
        #expect(SearchIndex.shardKey("a") == "a")
        // The written form keeps its accents for the stemmer; the folded one is matched.
        #expect(SearchText.scan("Canción, MÜDIGKEIT") == [.init(written: "canción", folded: "cancion"),
                                                        .init(written: "müdigkeit", folded: "mudigkeit")])
        // Marks other than the folded accents stay inside a word (Devanagari vowel signs).
        #expect(SearchText.words("हिन्दी भाषा") == ["हिन्दी", "भाषा"])
    }

    // Proves: the wrapper gives Snowball's own stems (checked against libstemmer's C API):
    // Porter2 for English, Spanish for es, and words as they are for a language it lacks.
    /// A character outside ASCII is decoded from its bytes and is part of a word when
    /// `isWordScalar` says so: every character of two and three bytes, and some of four,
    /// between two letters.
    @Test func charactersOutsideASCIIAreReadAsScalarsAre() {
        let scalars = (UInt32(0x80)...0xFFFF).compactMap(Unicode.Scalar.init) + (UInt32(0x1F600)...0x1F64F).compactMap(Unicode.Scalar.init)
            + (UInt32(0x20000)...0x2004F).compactMap(Unicode.Scalar.init)
        for scalar in scalars {
            let text = "x" + String(scalar) + "y"
            let expected = SearchText.isWordScalar(scalar) ? SearchText.split(text).map(\.folded) : ["x", "y"]
            if SearchText.words(text) != expected { Issue.record("U+\(String(scalar.value, radix: 16))") }
        }
    }

    /// A counting memory splits each run with non-ASCII characters once and gives the same
    /// words every time it meets it again, as `split` would.
    @Test func runsAreSplitOnceAndAlike() {
        var memory = WordTerms(number: 0, language: "es", phrases: GlossaryPhrases())
        let runs = ["canción", "información", "niños", "πυρετός", "e\u{301}tude", "日本語", "müdigkeit", "ﬁn", "canción", "niños", "información"]
        for _ in 0..<2 {
            for run in runs {
                var bytes = Array(run.utf8)
                let words = bytes.withUnsafeMutableBufferPointer { memory.words(ofRun: UnsafeBufferPointer($0)) }
                #expect(words == SearchText.split(run), "\(run)")
            }
        }
    }

    /// A field writes a glossary phrase when all its terms follow one another: a phrase
    /// cut short, broken by another word or cut off by the field's end is not written; two
    /// phrases that start alike are both found, in the order they start, and a phrase of one
    /// term wherever its term is.
    @Test func phrasesAreFoundByTheirTermsInARow() {
        var phrases = GlossaryPhrases()
        phrases.add(group: 0, terms: ["cytokin", "releas", "syndrom"])
        phrases.add(group: 1, terms: ["cytokin", "storm"])
        phrases.add(group: 2, terms: ["crs"])
        var memory = WordTerms(number: 0, language: "en", phrases: phrases)
        let vocabulary = ["cytokin", "releas", "syndrom", "storm", "crs", "fever"]
        for term in vocabulary { _ = memory.number(ofTerm: term) }
        // Here each term's number in the chapter is its number in the memory.
        let inChapter = Array(vocabulary.indices)
        func found(_ words: [String]) -> [Int] {
            var groups: [Int] = []
            memory.phrasesWritten(words.map { vocabulary.firstIndex(of: $0)! }, chapterNumbers: inChapter, into: &groups)
            return groups
        }
        #expect(found(["cytokin", "releas", "syndrom"]) == [0])
        #expect(found(["fever", "cytokin", "storm", "crs"]) == [1, 2])
        #expect(found(["cytokin", "releas"]) == [])
        #expect(found(["cytokin", "fever", "syndrom"]) == [])
        #expect(found(["cytokin", "releas", "storm"]) == [])
        #expect(found(["crs", "cytokin", "storm", "cytokin", "releas", "syndrom", "crs"]) == [2, 1, 0, 2])
        #expect(found([]) == [])
    }

    @Test func snowballStems() {
        let english = Stemmer(language: "en")
        #expect(english.algorithm == "en")
        #expect(["running", "generously", "infections", "dying", "happily"].map(english.stem) == ["run", "generous", "infect", "die", "happili"])
        #expect(Stemmer(language: "en-GB").stem("generously") == "generous")
        let spanish = Stemmer(language: "es")
        #expect(["canciones", "canción", "fiebres", "corriendo"].map(spanish.stem) == ["cancion", "cancion", "fiebr", "corr"])
        #expect(Stemmer(language: "fr").stem("fièvres") == "fievr")
        #expect(Stemmer(language: "de").stem("müdigkeit") == "mudig")
        #expect(Stemmer(language: "ru").stem("лихорадкой") == "лихорадк")
        #expect(Stemmer(language: "el").stem("πυρετού") == "πυρετ")
        let korean = Stemmer(language: "ko")
        #expect(korean.algorithm == nil && korean.stem("발열") == "발열")
        #expect(Stemmer.algorithm(for: "nb-NO") == "no")
        #expect(Stemmer.algorithm(for: "porter") == nil)
        for code in ["pt", "it", "nl", "sv", "fi", "tr", "ar", "hi", "ta"] { #expect(Stemmer.algorithm(for: code) == code) }
        #expect(Stemmer.algorithms.contains("english") && Stemmer.algorithms.contains("spanish"))
    }

    // Proves: terms drop stop words and are stems of the written word, folded, so inflections
    // and accents meet.
    @Test func terms() {
        let english = Stemmer(language: "en")
        #expect(SearchText.terms("Can I drive after the infusion?", stemmer: english) == ["drive", "infus"])
        #expect(SearchText.terms("rejections", stemmer: english) == SearchText.terms("rejection", stemmer: english))
        #expect(SearchText.terms("infections infected infecting", stemmer: english) == ["infect", "infect", "infect"])
        #expect(SearchText.terms("Canciones, canción", stemmer: Stemmer(language: "es")) == ["cancion", "cancion"])
        #expect(SearchText.terms("Niños", stemmer: Stemmer(language: "es")) == ["nin"])
        #expect(SearchText.terms("Лихорадка лихорадкой", stemmer: Stemmer(language: "ru")) == ["лихорадк", "лихорадк"])
        #expect(SearchText.terms("ΠΥΡΕΤΟΣ πυρετού", stemmer: Stemmer(language: "el")) == ["πυρετ", "πυρετ"])
    }

    // Proves: the index lists the guide's word forms with their terms, in the shard of the
    // form, so the browser looks a query word up instead of stemming it.
    @Test func forms() throws {
        let guide = try #require(checkKeepingText(content: Fixtures.content("search-words")).guide)
        let index = SearchIndex.build(guide)
        #expect(index.forms["infections"] == ["infect"])
        #expect(index.forms["infection"] == ["infect"])
        #expect(index.forms["fievre"] == ["fievr"])
        #expect(index.forms["pyrexia"] == ["pyrexia"]) // only the glossary has it
        #expect(index.forms["infect"] == nil && index.terms["infect"]?.word == "infection")
        #expect(index.terms["열"] != nil && index.forms["열"] == nil) // its own term: listed as a term only
        let files = index.files()
        let shard = try #require(files.lazy.filter { $0.path.hasPrefix("search/v/") }.compactMap(Self.vocabulary)
            .first { $0.terms.contains { $0.first as? String == "infect" } })
        let infect = try #require(shard.terms.firstIndex { $0.first as? String == "infect" })
        #expect(shard.terms[infect].count == 4 && shard.terms[infect][1] as? Int == 2 && shard.terms[infect][3] as? String == "infection")
        #expect(shard.forms["infection"] as? Int == infect && shard.forms["infections"] as? Int == infect)
        #expect(files.contains { $0.path.hasPrefix("search/v/") && String(decoding: $0.bytes, as: UTF8.self).contains("[\"열\",") })
        // Same input, the same bytes.
        let again = SearchIndex.build(guide).files()
        #expect(files.map(\.path) == again.map(\.path) && files.map(\.bytes) == again.map(\.bytes))
        // A build writes the excerpt files early, then the rest: the same files, in a folder too.
        for folder in ["", "es/"] {
            let lock = NSLock()
            nonisolated(unsafe) var written: [OutputFile] = []
            SearchIndex.write(guide, cache: nil, folder: folder) { file in lock.withLock { written.append(file) } }
            let expected = folder.isEmpty ? files : { () -> [OutputFile] in
                let lock = NSLock()
                nonisolated(unsafe) var all: [OutputFile] = []
                index.files(folder: folder) { file in lock.withLock { all.append(file) } }
                return all.sorted { $0.path < $1.path }
            }()
            written.sort { $0.path < $1.path }
            #expect(written.map(\.path) == expected.map(\.path) && written.map(\.bytes) == expected.map(\.bytes))
            #expect(written.contains { $0.path == folder + "search/x/0.js" })
        }
    }

    // Proves: a chapter's words are counted by what is written, whatever its length: 3,000
    // made-up words (more than the first table of words holds), each written once as it is
    // and three times with "-ing" in three cases, all reach the index, each word form with
    // its term, and the term shows the form written most.
    @Test func manyDifferentWords() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let letters = Array("bcdfghjklmnpqrstvwxz")
        let words = (0..<3000).map { n in "zqa" + String([letters[n / 400], letters[n / 20 % 20], letters[n % 20]]) + "x" }
        let prose = words.map { "\($0) \($0)ing \($0.uppercased())ING \($0.prefix(1).uppercased() + $0.dropFirst())ing" }.joined(separator: ". ")
        try folder.write([
            "Content/guide.yml": "title: T\n",
            "Content/A0-a.md": "---\nid: A0\ntitle: A\nreviewed: 2026-10-01\n---\n\n# Start\n\n\(prose).\n",
        ])
        let index = SearchIndex.build(try #require(checkKeepingText(content: folder.url.appendingPathComponent("Content")).guide))
        let stemmer = Stemmer(language: "en")
        #expect(Set(words.map(stemmer.stem)).count == words.count)
        for word in words {
            let term = stemmer.stem(word)
            #expect(stemmer.stem(word + "ing") == term)
            #expect(index.terms[term]?.documentFrequency == 1 && index.terms[term]?.word == word + "ing", "\(word)")
            #expect(term == word ? index.forms[word] == nil : index.forms[word] == [term], "\(word)")
            #expect(index.forms[word + "ing"] == [term], "\(word)")
        }
    }

    func index() throws -> SearchIndex {
        SearchIndex.build(try #require(checkKeepingText(content: Fixtures.content("basic")).guide))
    }

    // Proves: a chapter gives one document for itself, one per h2/h3 section and one per FAQ question.
    @Test func documents() throws {
        let guide = try #require(checkKeepingText(content: Fixtures.content("basic")).guide)
        let a0 = try #require(guide.chapters.first { $0.id.description == "A0" })
        let documents = SearchDocument.documents(for: a0)
        #expect(documents.map(\.url) == ["a0.html", "a0.html#frequently-asked-questions", "a0.html#is-it-safe-script--quoted",
                                         "a0.html#can-i-drive", "a0.html#after-the-questions", "a0.html#not-a-question"])
        #expect(documents[0].fields[.title] == "Start <here> & \"now\"")
        #expect(documents[0].fields[.body]?.hasPrefix("The first chapter, with <angle> brackets") == true)
        #expect(documents[2].fields[.question] == "Is it safe? </script> & \"quoted\"")
        #expect(documents[2].fields[.body] == "Usually. It has risks: fever confusion")
        #expect(documents[3].headingPath == "Start <here> & \"now\" › Frequently asked questions › Can I drive?")
        #expect(documents[5].fields[.heading] == "Not a question")
    }

    // Proves: a document containing a glossary term, abbreviation or alias gets the entry's synonym token.
    @Test func synonyms() throws {
        let index = try index()
        let crs = SearchIndex.synonymToken(1) // glossary.yml lists Apheresis, then Cytokine release syndrome
        #expect(index.synonyms[1] == [["cytokin", "releas", "syndrom"], ["crs"], ["cytokin", "storm"]])
        let postings = try #require(index.terms[crs]?.postings)
        // A0's body says "cytokine storm" and "CRS"; the glossary page is not indexed.
        #expect(postings.map(\.chapter) == [1])
        #expect(index.terms[SearchIndex.synonymToken(0)]?.postings.map(\.chapter) == [0]) // apheresis, in B1
    }

    /// A vocabulary file's `t` and `f`.
    static func vocabulary(_ file: OutputFile) -> (terms: [[Any]], forms: [String: Any])? {
        guard let object = arguments(file).last as? [String: Any], let terms = object["t"] as? [[Any]],
              let forms = object["f"] as? [String: Any] else { return nil }
        return (terms, forms)
    }

    /// The JSON arguments of an index file's one call.
    static func arguments(_ file: OutputFile) -> [Any] {
        let text = String(decoding: file.bytes, as: UTF8.self)
        guard let open = text.firstRange(of: "(")?.upperBound, let close = text.lastRange(of: ");")?.lowerBound,
              let json = try? JSONSerialization.jsonObject(with: Data(("[" + text[open..<close] + "]").utf8)) as? [Any] else { return [] }
        return json
    }

    // Proves: every term lives in the vocabulary shard the manifest's first keys lead to (as
    // the browser finds it), the shards and postings chunks are sized by bytes, and excerpt
    // files hold `perFile` chapters in a row.
    @Test func shards() throws {
        let index = try index()
        let files = index.files()
        let manifestFile = try #require(files.first { $0.path == "search/index.js" })
        let manifest = try #require(Self.arguments(manifestFile).first as? [String: Any])
        let firstKeys = try #require(manifest["shards"] as? [String])
        #expect(firstKeys == firstKeys.sorted(by: SearchIndex.precedes) && !firstKeys.isEmpty)
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0) })
        for (term, entry) in index.terms {
            let key = SearchIndex.shardKey(term)
            let shard = try #require(firstKeys.lastIndex { !SearchIndex.precedes(key, $0) }, "\(term)")
            let vocabulary = try #require(byPath["search/v/\(shard).js"].flatMap(Self.vocabulary), "\(term)")
            let row = try #require(vocabulary.terms.first { $0.first as? String == term }, "\(term)")
            let chunk = try #require(row[2] as? Int)
            let chunkFile = try #require(byPath["search/p/\(shard)-\(chunk).js"])
            let postings = try #require(Self.arguments(chunkFile).last as? [String: String])
            #expect(postings[term] == SearchIndex.encode(entry.postings), "\(term)")
        }
        // A small guide (under 2 KB of vocabulary): one file of each kind.
        #expect(files.map(\.path).sorted() == ["search/index.js", "search/p/0-0.js", "search/v/0.js", "search/x/0.js"])
        #expect(manifest["perFile"] as? Int ?? 0 >= 4 && manifest["chapters"] as? Int == 4)
        let excerptFile = try #require(byPath["search/x/0.js"])
        let excerpts = try #require(Self.arguments(excerptFile).last as? [String: Any])
        #expect((excerpts["c"] as? [[String: Any]])?.map { $0["u"] as? String } == index.pages)
        #expect((manifest["stopWords"] as? [String])?.prefix(2) == ["a", "about"])
    }

    // Proves: a build hands the chapters' text blocks to the search index, whose files are
    // those an index of the checked guide has; afterwards no chapter of the guide (in its
    // series, its tracks, or shown by a translation) holds them, while the translations keep
    // their own for their language's index, which is also the same.
    @Test func buildHandsTextBlocksToTheIndex() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        for (name, languages) in [("basic", [String]()), ("translated", ["es"])] {
            let content = try folder.copy(Fixtures.content(name), as: name)
            let site = folder.url.appendingPathComponent("site-\(name)")
            let built = build(content: content, output: site)
            #expect(built.outcome == .success, "\(compact(built.diagnostics))")
            let guide = try #require(built.guide)
            let held = guide.chapters + guide.tracks.flatMap(\.chapters) + guide.unlistedChapters
                + built.editions.flatMap { edition in edition.guide.chapters.filter { edition.pages[$0.id] == .fallback } }
            #expect(held.allSatisfy { $0.chapter.markdown.blocks.isEmpty }, "\(name)")
            #expect(built.editions.allSatisfy { $0.translated.contains { !$0.chapter.markdown.blocks.isEmpty } }, "\(name)")
            let checked = checkKeepingText(content: content)
            var indexes = [("", try #require(checked.guide))]
            for (language, edition) in zip(languages, checked.editions) { indexes.append(("\(language)/", edition.searchable)) }
            #expect(indexes.count == 1 + languages.count)
            for (folderName, searched) in indexes {
                final class Files: @unchecked Sendable {
                    let lock = NSLock()
                    var all: [OutputFile] = []
                }
                let files = Files()
                SearchIndex.build(searched).files(folder: folderName) { file in files.lock.withLock { files.all.append(file) } }
                #expect(files.all.count > 3)
                for file in files.all {
                    #expect(try Data(contentsOf: site.appendingPathComponent(file.path)) == file.bytes, "\(name): \(file.path)")
                }
            }
        }
    }

    // Proves: while an index is built, each excerpt file is written as soon as the last of its
    // chapters is counted, whatever order they are counted in, holding its chapters in series
    // order; a file is written once, and the last one holds the chapters left.
    @Test func excerptFilesAreWrittenAsTheirChaptersAreCounted() throws {
        final class Written: @unchecked Sendable {
            let lock = NSLock()
            var paths: [String] = []
            var texts: [String: String] = [:]
        }
        let written = Written()
        let files = ExcerptFiles(chapters: 5, perFile: 2, folder: "es/") { file in
            written.lock.withLock {
                written.paths.append(file.path)
                written.texts[file.path] = String(decoding: file.bytes, as: UTF8.self)
            }
        }
        var seen: [[String]] = []
        for chapter in [4, 1, 0, 3, 2] {
            files.add([Array("{\"u\":\"a\(chapter).html\"}".utf8)], chapter: chapter)
            seen.append(written.paths)
        }
        #expect(seen == [["es/search/x/2.js"], ["es/search/x/2.js"], ["es/search/x/2.js", "es/search/x/0.js"],
                         ["es/search/x/2.js", "es/search/x/0.js"], ["es/search/x/2.js", "es/search/x/0.js", "es/search/x/1.js"]])
        #expect(written.texts["es/search/x/0.js"] == "GuideSearch.add(\"x/0\",{\"c\":[{\"u\":\"a0.html\"},{\"u\":\"a1.html\"}]});\n")
        #expect(written.texts["es/search/x/2.js"] == "GuideSearch.add(\"x/2\",{\"c\":[{\"u\":\"a4.html\"}]});\n")
    }

    // Proves: index files are sized by bytes, not one per word prefix: in a 300-chapter guide,
    // every vocabulary shard but the last holds at least 2 KB and none much more, postings
    // chunks stay near 3 KB, and its long chapters (as long as the shipped guide's) are split
    // into excerpt parts of at most 3 KB of entries, where each posting's document is found
    // as the browser finds it (docs/search-index.md).
    @Test func filesAreSizedByBytes() throws {
        let content = try Fixtures.generatedGuide(chapters: 300)
        defer { try? FileManager.default.removeItem(at: content) }
        let guide = try #require(checkKeepingText(content: content).guide)
        let index = SearchIndex.build(guide)
        let files = index.files()
        let byPath = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0) })
        let shards = files.filter { $0.path.hasPrefix("search/v/") }.count
        #expect(shards > 1)
        for number in 0..<shards {
            let size = try #require(byPath["search/v/\(number).js"]).bytes.count
            #expect(size < 4_096, "v/\(number): \(size) bytes")
            // "About": the indexer counts entries, not the file's few bytes of wrapping.
            if number < shards - 1 { #expect(size >= 1_900, "v/\(number): \(size) bytes") }
        }
        for file in files where file.path.hasPrefix("search/p/") {
            #expect(file.bytes.count < 6_144, "\(file.path): \(file.bytes.count) bytes")
        }
        let manifestFile = try #require(byPath["search/index.js"])
        let manifest = try #require(Self.arguments(manifestFile).first as? [String: Any])
        #expect(manifest["perFile"] as? Int == 1)
        let stride = try #require(manifest["parts"] as? Int)
        #expect(stride >= 1)
        // Each chapter's parts, numbered from 0, each holding its page and at most `stride`
        // documents, none (of more than one document) past 4 KB of entries.
        var partsFound: [Int: [Int: [[Any]]]] = [:]
        for file in files where file.path.hasPrefix("search/x/") {
            let name = file.path.dropFirst("search/x/".count).dropLast(".js".count).split(separator: "-").map { Int($0)! }
            let entries = try #require((Self.arguments(file).last as? [String: Any])?["c"] as? [[String: Any]])
            #expect(entries.count == 1 && entries[0]["u"] as? String == index.pages[name[0]])
            let documents = try #require(entries[0]["d"] as? [[Any]])
            #expect(!documents.isEmpty && documents.count <= stride)
            if documents.count > 1 { #expect(file.bytes.count < 3_072 + 200, "\(file.path): \(file.bytes.count) bytes") }
            partsFound[name[0], default: [:]][name[1]] = documents
        }
        let parts = partsFound.mapValues { found in (0..<found.count).compactMap { found[$0] } }
        #expect(parts.allSatisfy { $0.value.count == partsFound[$0.key]!.count }, "parts numbered from 0")
        #expect(parts.count == 300 && parts.values.contains { $0.count > 1 })
        // Every posting, decoded as the browser decodes it, names a document of its part: the
        // same document as the index's own numbering (the n-th of its chapter).
        for (term, entry) in index.terms {
            let bytes = Array(Data(base64Encoded: SearchIndex.encode(entry.postings, parts: index.excerptParts, stride: index.partStride))!)
            var at = 0
            func varint() -> Int {
                var value = 0, shift = 0
                while true {
                    let byte = Int(bytes[at]); at += 1
                    value |= (byte & 0x7F) << shift
                    if byte < 0x80 { return value }
                    shift += 7
                }
            }
            var chapter = 0
            for posting in entry.postings {
                chapter += varint()
                let number = varint()
                at += 1
                #expect(chapter == posting.chapter, "\(term)")
                let part = try #require(parts[chapter].flatMap { number / stride < $0.count ? $0[number / stride] : nil }, "\(term)")
                let document = try #require(number % stride < part.count ? part[number % stride] : nil, "\(term)")
                let inChapter = parts[chapter]!.prefix(number / stride).reduce(0) { $0 + $1.count } + number % stride
                #expect(inChapter == posting.section, "\(term)")
                #expect(document.count == 3)
            }
        }
    }

    // Proves: an excerpt file holds about 4 KB of text up to 500 chapters and 6 KB from 1,000,
    // in proportion between (docs/search-index.md), so a large guide of short chapters writes
    // about half as many excerpt files.
    @Test func excerptFilesGrowWithTheGuide() {
        #expect(SearchIndex.excerptBytes(chapters: 1) == 4_096)
        #expect(SearchIndex.excerptBytes(chapters: 500) == 4_096)
        #expect(SearchIndex.excerptBytes(chapters: 750) == 5_120)
        #expect(SearchIndex.excerptBytes(chapters: 1_000) == 6_144)
        #expect(SearchIndex.excerptBytes(chapters: 10_000) == 6_144)
    }

    // Proves: a postings chunk holds about 3 KB of postings up to 500 chapters and 6 KB from
    // 1,000, in proportion between (docs/search-index.md), and the index of a 1,000-chapter
    // guide is made with the larger size: its chunks pass 3 KB, and none passes 6 KB by more
    // than its last term's postings.
    @Test func postingsChunksGrowWithTheGuide() throws {
        #expect(SearchIndex.postingsBytes(chapters: 1) == 3_072)
        #expect(SearchIndex.postingsBytes(chapters: 500) == 3_072)
        #expect(SearchIndex.postingsBytes(chapters: 750) == 4_608)
        #expect(SearchIndex.postingsBytes(chapters: 1_000) == 6_144)
        #expect(SearchIndex.postingsBytes(chapters: 10_000) == 6_144)
        let content = try Fixtures.generatedGuide(chapters: 1_000)
        defer { try? FileManager.default.removeItem(at: content) }
        let guide = try #require(checkKeepingText(content: content).guide)
        let chunks = SearchIndex.build(guide).files().filter { $0.path.hasPrefix("search/p/") }
        // What the indexer counts: each term's name and encoded postings.
        let sizes = try chunks.map { file -> (total: Int, largest: Int) in
            let postings = try #require(Self.arguments(file).last as? [String: String])
            let sizes = postings.map { $0.key.utf8.count + $0.value.utf8.count }
            return (sizes.reduce(0, +), sizes.max() ?? 0)
        }
        #expect(sizes.filter { $0.total > 3_072 }.count > sizes.count / 2)
        for (file, size) in zip(chunks, sizes) {
            #expect(size.total <= 6_144 + size.largest, "\(file.path): \(size.total) bytes of postings")
        }
    }

    // Proves: a term keeps at most `maxPostingsPerTerm` documents, the best ones.
    @Test func postingsAreCapped() throws {
        var postings: [SearchIndex.Posting] = []
        for chapter in 0..<400 { postings.append(.init(chapter: chapter, section: 0, impact: UInt8(1 + chapter % 200))) }
        #expect(SearchIndex.maxPostingsPerTerm == 300)
        // Encoding round trip: varint deltas and impacts.
        let encoded = SearchIndex.encode(Array(postings.prefix(3)))
        #expect(Array(Data(base64Encoded: encoded)!) == [0, 0, 1, 1, 0, 2, 1, 0, 3])
    }

    // Proves: the postings a term keeps are those sorting by score (ties by place) and
    // cutting short would keep, in the guide's order: for lists with many ties, all scores
    // alike, scores rising and falling, a list one longer than kept, and random ones.
    // Proves: a document's excerpt text is written into the index as the literal of its
    // text, its parts (question, body, references) escaped one after another, for every mix
    // of parts and for text that needs escaping (quotes, `<`, control characters, U+2028).
    @Test func excerptTextIsWrittenAsTheLiteralOfTheJoinedText() {
        let texts = ["", "plain words", "say \"CAR-T\" <b>&</b>", "line\u{2028}break\u{2029}", "tab\there\u{1}", "fièvre à 38 °C", "\\"]
        for question in [nil] + texts.map(Optional.some) {
            for body in [nil, texts[2], texts[5]] {
                for reference in [nil, texts[3]] {
                    var fields: SearchDocument.Fields = [:]
                    fields[.question] = question
                    fields[.body] = body
                    fields[.reference] = reference
                    let document = SearchDocument(url: "a1.html", anchor: "", headingPath: "A", fields: fields)
                    var written: [UInt8] = []
                    document.appendTextLiteral(to: &written)
                    #expect(String(decoding: written, as: UTF8.self) == jsString(document.text), "\(fields)")
                }
            }
        }
    }

    // Proves: a term's score follows how often a document writes it: three chapters of the same
    // length write "ferritin" four times, twice and once, and their postings' impacts fall in
    // that order.
    @Test func aDocumentThatWritesATermMoreOftenScoresHigher() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let filler = ["apple", "river", "candle", "orbit", "meadow", "lantern", "pepper", "harbor", "velvet", "cobalt", "summit", "willow"]
        func chapter(_ id: String, _ times: Int) -> String {
            let words = Array(repeating: "ferritin", count: times) + filler.prefix(12 - times)
            return "---\nid: \(id)\ntitle: Part \(id)\nreviewed: 2026-10-01\n---\n\n# Part \(id)\n\n\(words.joined(separator: " ")).\n"
        }
        try folder.write([
            "Content/guide.yml": "title: T\n",
            "Content/A0-four.md": chapter("A0", 4),
            "Content/A1-two.md": chapter("A1", 2),
            "Content/A2-one.md": chapter("A2", 1),
        ])
        let index = SearchIndex.build(try #require(checkKeepingText(content: folder.url.appendingPathComponent("Content")).guide))
        let postings = try #require(index.terms[Stemmer(language: "en").stem("ferritin")]?.postings)
        #expect(postings.map(\.chapter) == [0, 1, 2])
        #expect(postings[0].impact > postings[1].impact && postings[1].impact > postings[2].impact, "\(postings.map(\.impact))")
    }

    /// Each language's index gathers its postings with freed pages given back at once: two
    /// side by side turn it on once, and off when the last one ends.
    @Test func freedPagesGoBackAtOnceUntilTheLastIndexHasGathered() {
        final class Calls: @unchecked Sendable {
            let lock = NSLock()
            var all: [Bool] = []
        }
        let calls = Calls()
        let stages = FreedMemory.Stages { on in calls.lock.withLock { calls.all.append(on) } }
        stages.begin()
        stages.begin()
        stages.end()
        #expect(calls.all == [true])
        stages.end()
        stages.begin()
        stages.end()
        #expect(calls.all == [true, false, true, false])
    }

    @Test func keptPostingsAreTheBestInTheGuidesOrder() {
        typealias Posting = (chapter: Int, section: Int, score: Double)
        func reference(_ count: Int, _ list: [Posting]) -> [Posting] {
            var sorted = list
            sorted.sort { $0.score != $1.score ? $0.score > $1.score : ($0.chapter, $0.section) < ($1.chapter, $1.section) }
            return Array(sorted.prefix(count)).sorted { ($0.chapter, $0.section) < ($1.chapter, $1.section) }
        }
        var generator = SystemRandomNumberGenerator()
        var lists: [[Double]] = [
            Array(repeating: 1.5, count: 1000), (0..<1000).map(Double.init), (0..<1000).reversed().map(Double.init),
            (0..<301).map { Double($0 % 7) }, (0..<5000).map { Double(($0 * 7919) % 13) },
        ]
        for _ in 0..<40 {
            let size = Int.random(in: 301...3000, using: &generator)
            let distinct = [2, 5, 50, 100_000].randomElement(using: &generator)!
            lists.append((0..<size).map { _ in Double(Int.random(in: 0..<distinct, using: &generator)) / 7 })
        }
        for scores in lists {
            let list: [Posting] = scores.enumerated().map { (chapter: $0.offset / 4, section: $0.offset % 4, score: $0.element) }
            let kept = SearchIndex.bestPostings(300, of: list)
            let expected = reference(300, list)
            #expect(kept.count == expected.count && zip(kept, expected).allSatisfy { $0.chapter == $1.chapter && $0.section == $1.section && $0.score == $1.score },
                    "\(scores.count) scores")
        }
    }

    // Proves: a section's text, joined in one buffer, is what joining its blocks' texts
    // gives, with empty texts, one text, none, and characters of every length.
    @Test func sectionTextsJoinAsStrings() {
        let cases: [[String]] = [[], [""], ["a"], ["", ""], ["", "b", ""], ["one", "two", "three"],
                                 ["día", "\u{301}accent", "emoji 👩🏽‍⚕️", "日本語"], [String(repeating: "x", count: 70_000), "y"]]
        for parts in cases {
            for separator in [" ", " › ", ""] {
                // By bytes: String's == would also take text in another normal form.
                #expect(Array(String(joining: parts, separator: separator).utf8) == Array(parts.joined(separator: separator).utf8),
                        "\(parts) \(separator)")
            }
        }
    }

    // Proves: indexed text with </script>, quotes, backslashes and line separators is escaped,
    // and every index file is one call with JSON arguments.
    @Test func escaping() throws {
        #expect(jsString("</script> \"q\" \\ \u{2028} & <b>") == "\"\\u003c/script\\u003e \\\"q\\\" \\\\ \\u2028 \\u0026 \\u003cb\\u003e\"")
        #expect(jsString("plain") == "\"plain\"")
        // Each character that is escaped, at every place in and across the sixteen-byte runs
        // the escaper skips at once, in both styles, as a plain reference writes it.
        func reference(_ text: String, _ style: JSONStringStyle) -> String {
            "\"" + text.unicodeScalars.map { scalar -> String in
                switch scalar {
                case "\"": return "\\\""
                case "\\": return "\\\\"
                case "<": return "\\u003c"
                case ">": return "\\u003e"
                case "&": return "\\u0026"
                case "\n": return "\\n"
                case "\r": return "\\r"
                case "\t": return "\\t"
                case "\u{08}" where style == .likeJSONEncoder: return "\\b"
                case "\u{0C}" where style == .likeJSONEncoder: return "\\f"
                case "\u{2028}" where style == .script: return "\\u2028"
                case "\u{2029}" where style == .script: return "\\u2029"
                case _ where scalar.value < 0x20: return String(format: "\\u%04x", scalar.value)
                default: return String(scalar)
                }
            }.joined() + "\""
        }
        let special: [String] = (0..<0x20).map { String(Unicode.Scalar($0)!) } + ["\"", "\\", "<", ">", "&", "\u{2028}", "\u{2029}", "\u{2026}", "é", "\u{7F}"]
        for character in special {
            for place in 0..<40 {
                let text = String(repeating: "a", count: place) + character + String(repeating: "b", count: 39 - place)
                for style in [JSONStringStyle.script, .likeJSONEncoder] {
                    #expect(jsonString(text, style) == reference(text, style), "\(Array(character.unicodeScalars)) at \(place)")
                }
            }
        }
        let files = try index().files()
        #expect(files.count > 3)
        for file in files {
            let text = String(decoding: file.bytes, as: UTF8.self)
            #expect(!text.contains("</"), "\(file.path)")
            let call = try #require(text.firstRange(of: "(")).upperBound
            let arguments = text[call..<text.lastRange(of: ");")!.lowerBound]
            let json = "[" + arguments + "]"
            #expect((try? JSONSerialization.jsonObject(with: Data(json.utf8))) != nil, "\(file.path) is not JSON")
        }
    }
}

private extension String {
    func lastRange(of needle: String) -> Range<String.Index>? {
        range(of: needle, options: .backwards)
    }
}
