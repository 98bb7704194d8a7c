import Foundation
import Testing
@testable import GuideKit

/// The search indexer: tokens, stems, documents, synonyms, shards and escaping.
@Suite struct SearchTests {
    // Proves: words are folded (accents off, lower case) and split on anything but letters and digits.
    @Test func words() {
        #expect(SearchText.words("Café—CAR-T's 2025 Rejections, naïve ÉTUDE") == ["cafe", "car", "t", "s", "2025", "rejections", "naive", "etude"])
        #expect(SearchText.words("日本語 and ü") == ["日本語", "and", "u"])
    }

    // Proves: terms drop stop words and are Porter stems, so inflections meet.
    @Test func terms() {
        #expect(SearchText.terms("Can I drive after the infusion?") == ["drive", "infus"])
        #expect(SearchText.terms("rejections") == SearchText.terms("rejection"))
        #expect(SearchText.terms("infections infected infecting") == ["infect", "infect", "infect"])
    }

    // Proves: the stemmer gives Martin Porter's reference stems for every word of the shipped
    // guide and the classic examples (the same list the browser's stemmer is tested against).
    @Test func porterStemmerMatchesTheReference() throws {
        let text = try String(contentsOf: Fixtures.root.appendingPathComponent("porter-vectors.txt"), encoding: .utf8)
        var checked = 0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ").map(String.init)
            #expect(PorterStemmer.stem(parts[0]) == parts[1], "\(parts[0])")
            checked += 1
        }
        #expect(checked > 2000)
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
        #expect(index.synonyms[1] == [["cytokin", "releas", "syndrom"], ["cr"], ["cytokin", "storm"]])
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
