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
        let cases: [(text: String, words: [String], key: String, file: String)] = [
            ("Fever", ["fever"], "fe", "fe"),
            ("fièvre", ["fievre"], "fi", "fi"),
            ("Müdigkeit", ["mudigkeit"], "mu", "mu"),
            ("Лихорадка", ["лихорадка"], "ли", "_43b_438"),
            ("πυρετός", ["πυρετοσ"], "πυ", "_3c0_3c5"),
            ("ΠΥΡΕΤΟΣ", ["πυρετοσ"], "πυ", "_3c0_3c5"),
            ("열", ["열"], "열", "_c5f4"),
            ("발열", ["발열"], "발열", "_bc1c_c5f4"),
            // The same Hangul written as jamo (NFD) folds to the same syllables.
            ("\u{1107}\u{1161}\u{11AF}\u{110B}\u{1167}\u{11AF}", ["발열"], "발열", "_bc1c_c5f4"),
        ]
        for c in cases {
            let words = SearchText.words(c.text)
            #expect(words == c.words, "\(c.text)")
            #expect(words.first.map(SearchIndex.shardKey) == c.key, "\(c.text)")
            #expect(SearchIndex.fileName(c.key) == c.file, "\(c.text)")
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
        let guide = try #require(check(content: Fixtures.content("search-words")).guide)
        let index = SearchIndex.build(guide)
        #expect(index.forms["infections"] == ["infect"])
        #expect(index.forms["infection"] == ["infect"])
        #expect(index.forms["fievre"] == ["fievr"])
        #expect(index.forms["pyrexia"] == ["pyrexia"]) // only the glossary has it
        #expect(index.forms["infect"] == nil && index.terms["infect"]?.word == "infection")
        #expect(index.terms["열"] != nil && index.forms["열"] == nil) // its own term: listed as a term only
        let files = index.files()
        let vocabulary = try #require(files.first { $0.path == "search/v/in.js" })
        #expect(String(decoding: vocabulary.bytes, as: UTF8.self)
            == "GuideSearch.add(\"v/in\",{\"t\":[[\"infect\",2,0,\"infection\"]],\"f\":{\"infection\":0,\"infections\":0}});\n")
        #expect(files.contains { $0.path == "search/v/_c5f4.js" })
        // Same input, the same bytes.
        let again = SearchIndex.build(guide).files()
        #expect(files.map(\.path) == again.map(\.path) && files.map(\.bytes) == again.map(\.bytes))
    }

    func index() throws -> SearchIndex {
        SearchIndex.build(try #require(check(content: Fixtures.content("basic")).guide))
    }

    // Proves: a chapter gives one document for itself, one per h2/h3 section and one per FAQ question.
    @Test func documents() throws {
        let guide = try #require(check(content: Fixtures.content("basic")).guide)
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

    // Proves: terms are sharded by their first two characters, postings chunks stay small,
    // and the manifest names every shard.
    @Test func shards() throws {
        let index = try index()
        let files = index.files()
        let paths = Set(files.map(\.path))
        for term in index.terms.keys {
            #expect(paths.contains("search/v/\(SearchIndex.fileName(SearchIndex.shardKey(term))).js"), "\(term)")
        }
        #expect(SearchIndex.fileName("~1") == "_7e1")
        #expect(SearchIndex.fileName("ca") == "ca")
        #expect(paths.contains("search/index.js"))
        #expect(paths.filter { $0.hasPrefix("search/x/") }.sorted() == ["search/x/0.js", "search/x/1.js", "search/x/2.js", "search/x/3.js"])
        let manifest = try #require(files.first { $0.path == "search/index.js" })
        let text = String(decoding: manifest.bytes, as: UTF8.self)
        #expect(text.contains("\"names\":{\"~0\":\"_7e0\",\"~1\":\"_7e1\"}"))
        #expect(text.contains("\"stopWords\":[\"a\",\"about\","))
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

    // Proves: indexed text with </script>, quotes, backslashes and line separators is escaped,
    // and every index file is one call with JSON arguments.
    @Test func escaping() throws {
        #expect(jsString("</script> \"q\" \\ \u{2028} & <b>") == "\"\\u003c/script\\u003e \\\"q\\\" \\\\ \\u2028 \\u0026 \\u003cb\\u003e\"")
        #expect(jsString("plain") == "\"plain\"")
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
