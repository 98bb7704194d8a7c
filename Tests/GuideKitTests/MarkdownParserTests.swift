import Foundation
import Testing
@testable import GuideKit

/// The parse stage: cmark-gfm's tree copied into a plain value, positions made exact.
@Suite struct MarkdownParserTests {
    func positions(_ markdown: String) -> [String] {
        MarkdownParser.parse(markdown).links.map { "\($0.destination)@\($0.position.line):\($0.position.column)" }
    }

    // Proves: the search for a pair of bytes ("[!", "](") finds each place the byte-by-byte
    // search finds, first to last, at the edges of the text too.
    @Test func bytePairsAreFoundWhereTheyStand() {
        for text in ["", "[", "[!", "a[!b[!", "[[!", "![!", "x](y", "]]((", "](", "é[!é", String(repeating: "a", count: 100) + "[!"] {
            var copy = text
            copy.withUTF8 { bytes in
                var expected: [Int] = []
                for i in 0..<max(0, bytes.count - 1) where bytes[i] == UInt8(ascii: "[") && bytes[i + 1] == UInt8(ascii: "!") { expected.append(i) }
                var found: [Int] = [], from = 0
                while let at = indexOfPair(UInt8(ascii: "["), UInt8(ascii: "!"), in: bytes, from: from) { found.append(at); from = at + 1 }
                #expect(found == expected, "\(text.debugDescription)")
                let close = bytes.indices.dropLast().contains { bytes[$0] == UInt8(ascii: "]") && bytes[$0 + 1] == UInt8(ascii: "(") }
                #expect((indexOfPair(UInt8(ascii: "]"), UInt8(ascii: "("), in: bytes) != nil) == close, "\(text.debugDescription)")
            }
        }
    }

    // Proves: a worker's answer reads back every integer as it was written: of one byte
    // (-64...63) and of several, negative and positive, at each length's edges and the ends of
    // the range, one after another; and a number cut off before its last byte is refused.
    @Test func answerIntegersReadBackAsWritten() throws {
        var values = Array(-200...200) + [Int.min, Int.min + 1, Int.max, Int.max - 1]
        for shift in stride(from: 6, to: 63, by: 7) { values += [1 << shift, (1 << shift) - 1, -(1 << shift), -(1 << shift) - 1] }
        var out = BinaryWriter()
        for value in values { out.int(value) }
        try out.bytes.withUnsafeBufferPointer { bytes throws in
            var input = BinaryReader(bytes: bytes)
            for value in values { #expect(try input.int() == value, "\(value)") }
            #expect(input.offset == bytes.count)
        }
        try Array(out.bytes.suffix(1).map { $0 | 0x80 }).withUnsafeBufferPointer { bytes throws in
            var cut = BinaryReader(bytes: bytes)
            #expect(throws: BinaryReader.Malformed.self) { try cut.int() }
        }
    }

    // Proves: an ASCII heading's slug, made on its bytes, is what the rules for any text
    // give (a text with "é" after it takes the general way): every ASCII character alone,
    // after a letter, and in headings.
    @Test func asciiSlugsFollowTheGeneralRules() {
        let characters = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        let texts = characters + characters.map { "Ab" + $0 + "9z" } + ["", "Section one", "What is CAR-T?", "Side effects & risks", "  Two  spaces ", "snake_case 42"]
        for text in texts {
            #expect(SlugGenerator.slug(text) + "é" == SlugGenerator.slug(text + "é"), "\(text.debugDescription)")
        }
        #expect(SlugGenerator.slug("What is CAR-T?") == "what-is-car-t")
        var generator = SlugGenerator()
        #expect(["Risks", "Risks", "Risks-1", "Risks"].map { generator.slug(for: $0) } == ["risks", "risks-1", "risks-1-1", "risks-2"])
    }

    // Proves: a construct's opening mark is 0xFF, `o`, its number in decimal, 0xFF and a
    // NUL, for one-digit and longer numbers alike (the marks are made digit by digit).
    @Test func openingMarksNumberTheirConstructs() {
        var marks = BodyMarks()
        for number in 0...1_005 {
            let mark = marks.open(.task(checked: false))
            let expected = [BodyMarks.markByte, UInt8(ascii: "o")] + Array(String(number).utf8) + [BodyMarks.markByte, 0]
            #expect(mark.map { UInt8(bitPattern: $0) } == expected, "mark \(number)")
        }
        #expect(BodyMarks.close.map { UInt8(bitPattern: $0) } == [0xFF, UInt8(ascii: "c"), 0xFF, 0])
    }

    // Proves: a link's position is that of its `[`, and an image's that of its `!`.
    @Test func linkAndImagePositions() {
        #expect(positions("Read [this](A1) and ![alt](assets/x.png).") == ["A1@1:6", "assets/x.png@1:21"])
    }

    // Proves: cmark's wrong line for a link whose text wraps is corrected from the source.
    @Test func wrappedLinkTextKeepsTheOpeningLine() {
        #expect(positions("Some text [a link\nthat wraps](A1) and [b](B1).") == ["A1@1:11", "B1@2:21"])
    }

    // Proves: columns count characters, not bytes, after accents, CJK and emoji.
    @Test func columnsCountCharacters() {
        #expect(positions("é 日本 🙂 [x](A1)") == ["A1@1:8"])
        #expect(positions("👩‍⚕️ [x](A1)") == ["A1@1:3"])
    }

    // Proves: a tab is one column, and CRLF line ends do not shift lines or columns.
    @Test func tabsAndCRLF() {
        #expect(positions("- \t[x](A1)\r\n- [y](B1)\r\n") == ["A1@1:4", "B1@2:3"])
    }

    // Proves: positions are right inside lists, nested lists, block quotes, tables and headings.
    @Test func positionsInContainers() {
        let markdown = """
        # Title [h](H1)

        - item [c](C1)
          - nested [d](D1)

        > quote [e](E1)
        > > deeper ![f](img.png)

        | h | [g](G1) |
        |---|---|
        | x | y [i](I1) |

        1. item
           > q [k](K1)
        """
        #expect(positions(markdown) == ["H1@1:9", "C1@3:8", "D1@4:12", "E1@6:9", "img.png@7:12", "G1@9:7", "I1@11:9", "K1@14:8"])
    }

    // Proves: on a lazy continuation line of a block quote, cmark's shifted column is corrected.
    @Test func lazyContinuationLine() {
        #expect(positions("> quote\n[x](A1) here") == ["A1@2:1"])
    }

    // Proves: bare URLs (GFM autolinks), which cmark gives no position, are found in the text.
    @Test func autolinkPositions() {
        let links = MarkdownParser.parse("See https://example.org and <https://example.com/a>.\nAgain https://example.org").links
        #expect(links.map { "\($0.position.line):\($0.position.column)" } == ["1:5", "1:29", "2:7"])
        #expect(links.allSatisfy { $0.isAutolink })
    }

    // Proves: headings get GitHub-style anchors, in the HTML and in the parsed value.
    @Test func headingAnchors() {
        let parsed = MarkdownParser.parse("# Hello, World!\n\n## Hello World\n\n## Hello, World\n\n### Armored CARs: 4-1BB & CD28")
        #expect(parsed.headings.map(\.slug) == ["hello-world", "hello-world-1", "hello-world-2", "armored-cars-4-1bb--cd28"])
        #expect(parsed.headings.map(\.position.line) == [1, 3, 5, 7])
        #expect(parsed.html.contains("<h1 id=\"hello-world\">Hello, World!</h1>"))
        #expect(parsed.html.contains("<h3 id=\"armored-cars-4-1bb--cd28\">"))
    }

    // Proves: raw HTML never reaches the page, and each piece is reported where it is.
    @Test func rawHTMLIsNotPassedThrough() {
        let parsed = MarkdownParser.parse("<script>alert(1)</script>\n\nText <b onclick=x>bold</b>")
        #expect(parsed.html == "<p>Text bold</p>\n")
        #expect(parsed.problems.map { "\($0.position.line):\($0.position.column) \($0.rule.rawValue)" } == ["1:1 raw-html", "3:6 raw-html"])
    }

    // Proves: the five GFM extensions of the contract are on.
    @Test func gfmExtensions() {
        let html = MarkdownParser.parse("""
        | a | b |
        |---|---|
        | 1 | 2 |

        ~~gone~~ and www.example.org

        - [x] done
        - [ ] to do
        """).html
        #expect(html.contains("<table>"))
        #expect(html.contains("<del>gone</del>"))
        #expect(html.contains("<a href=\"http://www.example.org\">www.example.org</a>"))
        #expect(html.contains("type=\"checkbox\""))
    }

    // Proves: the parse result is a plain value that survives the workers' binary form,
    // every kind of body node included.
    @Test func resultSurvivesTheWorkersForm() throws {
        let markdown = """
        # T

        See [x](A1 "a title") and ![i *b*](a.png), [](A0).

        > [!URGENT]
        > Call.

        ## FAQ

        ### Q?

        - [x] done

        ```
        code
        ```
        """
        let parsed = MarkdownParser.parse(markdown, glossary: [GlossaryTerm(term: "Call", abbr: nil, aliases: [], definition: "d",
                                                                              location: SourceLocation(file: "g"))])
        #expect(parsed.readingScores.words > 0 && parsed.readingScores.sentences > 0)
        #expect(ParsedMarkdown(binary: parsed.binaryEncoded()) == parsed)
        #expect(parsed.blocks.map(\.kind) == [.heading, .prose, .prose, .heading, .heading, .prose, .code])
        let kinds = BodyNode.flatten(parsed.body).map { node -> String in
            switch node {
            case .html: return "html"
            case .heading: return "heading"
            case .callout: return "callout"
            case .faq: return "faq"
            case .link: return "link"
            case .image: return "image"
            case .glossaryMark: return "glossary"
            case .task: return "task"
            }
        }
        #expect(Set(kinds) == ["html", "heading", "callout", "faq", "link", "image", "glossary", "task"])
    }

    // Proves: a link's words, an image's alt text and a title come out as typed values, and
    // a link written without words has none for Link to fill in.
    @Test func linksAreTypedValues() {
        let parsed = MarkdownParser.parse("[](A0) [*go* `A1`](A1 \"t & u\") ![a *b* `c`\nd](x.png)")
        #expect(parsed.links.map(\.title) == [nil, "t & u", nil])
        guard case let .html(open)? = parsed.body.first, open == "<p>",
              parsed.body.count == 7,
              case let .link(0, empty) = parsed.body[1], empty.isEmpty,
              case let .link(1, words) = parsed.body[3], words == [.html("<em>go</em> <code>A1</code>")],
              case let .image(2, alt) = parsed.body[5], alt == "a b c d" else {
            Issue.record("unexpected body: \(parsed.body)")
            return
        }
    }

    // Proves: the lines before a chapter's body (its front matter) are read as empty lines,
    // one for each line end however it is written (LF, CRLF, CR), so the body keeps the
    // file's line numbers; the body itself is kept byte for byte, its own CRLFs included.
    @Test func frontMatterLinesBecomeEmptyLines() {
        let cases: [(text: String, start: Int, body: String)] = [
            ("---\nid: A1\n---\nBody\n", 4, "\n\n\nBody\n"),
            ("---\r\nid: A1\r\n---\r\nBody\r\nMore\r\n", 4, "\n\n\nBody\r\nMore\r\n"),
            ("---\rid: A1\r---\r\r\nBody", 4, "\n\n\n\r\nBody"),
            ("---\r\n\r\nBody", 3, "\n\nBody"),
            ("---\nid: A1\n", 6, "\n\n"),
            ("Body\r\n", 1, "Body\r\n"),
        ]
        for (text, start, body) in cases {
            #expect(LineTable(text, bodyStartLine: start).bytes == Array(body.utf8), "\(text.debugDescription) from line \(start)")
        }
    }

    // Proves: the glossaries a worker is started with survive its binary form (terms with and
    // without abbreviations and aliases, non-ASCII text, an empty glossary), and a frame that
    // is cut short or has bytes left over is refused, not read.
    @Test func glossaryFrameSurvivesTheWorkersForm() {
        let terms = [
            GlossaryTerm(term: "Cytokine release syndrome", abbr: "CRS", aliases: ["cytokine storm", "CRS reaction"],
                         definition: "A reaction \"quoted\" & more", location: SourceLocation(file: "Content/glossary.yml", line: 12, column: 3)),
            GlossaryTerm(term: "Linfocito T", abbr: nil, aliases: [], definition: "Glóbulo blanco — célula",
                         location: SourceLocation(file: "Content/translations/es/glossary.yml", line: 1, column: 1)),
        ]
        for frame in [ParseWorker.GlossaryFrame(glossaries: [terms, [], [terms[1]]], proseFacts: true),
                      ParseWorker.GlossaryFrame(glossaries: [[]], proseFacts: false, bodies: false),
                      ParseWorker.GlossaryFrame(glossaries: [[terms[0]]], proseFacts: true, bodies: false),
                      ParseWorker.GlossaryFrame(glossaries: [[]], proseFacts: true, englishFacts: false, blocks: false)] {
            let bytes = frame.binaryEncoded
            #expect(ParseWorker.GlossaryFrame(binary: bytes) == frame)
            #expect(ParseWorker.GlossaryFrame(binary: Array(bytes.dropLast())) == nil)
            #expect(ParseWorker.GlossaryFrame(binary: bytes + [0]) == nil)
        }
    }

    // Proves: a check, which renders only each chapter's outermost urgency boxes, gets the
    // very boxes a build's whole body holds: at the start and end of a chapter, in a list,
    // in a note, in an FAQ answer, one inside another, with a table, a heading, a task list,
    // links and glossary marks inside, a bold marker, and none at all. And the rest of what
    // it parses is the build's too, where a chapter without urgency boxes is not marked at
    // all: FAQ questions, glossary terms first used (repeated, plural, by abbreviation, in
    // text that is not ASCII, never in headings or links), headings, links, text blocks.
    @Test func checkRendersOnlyTheUrgencyBoxesABuildWould() {
        let glossary = GlossaryMatcher(terms: [
            GlossaryTerm(term: "Cytokine release syndrome", abbr: "CRS", aliases: ["cytokine storm"], definition: "A reaction",
                         location: SourceLocation(file: "glossary.yml", line: 1, column: 1)),
            GlossaryTerm(term: "Fever", abbr: nil, aliases: [], definition: "A high temperature",
                         location: SourceLocation(file: "glossary.yml", line: 2, column: 1)),
        ])
        let chapters = [
            "> [!EMERGENCY]\n> Call 911 for a fever over 40 °C.\n\nText after.\n",
            "# Title\n\nIntro with a fever.\n\n- item\n\n  > [!URGENT] Call the team\n  > about [CRS](A2) today.\n- next\n\nEnd.\n\n> [!NON-URGENT]\n> Last box.",
            "> [!NOTE]\n> Inside a note:\n>\n> > [!URGENT]\n> > | Sign | Call |\n> > |---|---|\n> > | fever | now |\n\nPlain.\n",
            "## FAQ\n\n### When do I call?\n\n> **[!EMERGENCY]**\n> ### Right away\n> - [ ] chest pain\n> - [x] a cytokine storm\n>\n> > [!URGENT]\n> > Inside the emergency box.\n\n### Anything else?\n\nNo.\n",
            "No boxes here, only a fever and a [link](https://example.org).\n\n> A plain quote.\n",
            "> [!TIP]\n> Just a tip.\n\n> [!URGENT]\n> First.\n\n> [!URGENT]\n> Second, with a fever.\n",
            "# About [CRS](A2)\n\n## FAQ\n\n### Is a fever CRS?\n\nA fever can be the first sign: CRS, fevers, a cytokine storm.\n\n"
                + "### And fevers later?\n\n- [ ] Take your temperature; café-style “fever” notes: Fever again.\n\n## Next\n\n"
                + "| Sign | What |\n|---|---|\n| [a fever](A3) | cytokine release syndrome |\n",
            "Señal: fiebre — a fever (la “fiebre”), then CRS: cytokine storms.\n\n### Not a question\n\nCRS again.\n",
            "Only here: a fever, then CRS.\n",
            "Só aqui: fiebre, a fever e CRS.\n",
        ]
        var boxes = 0
        for markdown in chapters {
            var whole = MarkdownParser.parse(markdown, glossary: glossary, bodies: true)
            var checked = MarkdownParser.parse(markdown, glossary: glossary, bodies: false)
            #expect(checked.body == BodyNode.urgencyBoxes(whole.body), "\(markdown.debugDescription)")
            boxes += checked.body.count
            (whole.body, checked.body) = ([], [])
            #expect(checked == whole, "\(markdown.debugDescription)")
        }
        #expect(boxes == 7)
        let faq = MarkdownParser.parse(chapters[6], glossary: glossary, bodies: false)
        #expect(faq.faqs.map(\.question) == ["Is a fever CRS?", "And fevers later?"])
        #expect(faq.glossaryTermsUsed == ["Cytokine release syndrome", "Fever"])
        for markdown in chapters.suffix(2) {
            #expect(MarkdownParser.parse(markdown, glossary: glossary, bodies: false).glossaryTermsUsed == ["Cytokine release syndrome", "Fever"])
        }
    }

    // Proves: a link written without words is remembered where it stands in its paragraph's
    // text, so search can show the words Link fills in; links with words are not.
    @Test func emptyLinksKeepTheirPlace() {
        let parsed = MarkdownParser.parse("Read [](A3), then [this](A1) and ![x](p.png) [](B2).\n\nAlso [](A0)")
        let prose = parsed.blocks.filter { $0.kind == .prose }
        #expect(prose.map(\.text) == ["Read , then this and x .", "Also "])
        #expect(prose[0].emptyLinks == [.init(offset: 5, link: 0), .init(offset: 23, link: 3)])
        #expect(prose[1].emptyLinks == [.init(offset: 5, link: 4)])
        #expect(ParsedMarkdown(binary: parsed.binaryEncoded()) == parsed)
    }

    // Proves: an author cannot forge the parser's marks: a 0xFF byte never reaches cmark-gfm
    // (chapters are UTF-8), and U+00FF and private-use characters stay text.
    @Test func marksCannotBeForged() {
        let parsed = MarkdownParser.parse("ÿo0ÿ text ÿcÿ \u{E000}0\u{E001} [a](A1)")
        #expect(parsed.body.first == .html("<p>ÿo0ÿ text ÿcÿ \u{E000}0\u{E001} "))
    }

    // Proves: the byte search's edge cases agree with the scalar search: a one-letter
    // abbreviation (under every second byte, and at the end of the text), a capital at a
    // sentence's start, a second letter in either case, an abbreviation that is an everyday
    // word in lower case, plurals, and hyphens and digits inside words.
    @Test func asciiGlossaryMatchEdgeCases() {
        func term(_ name: String, abbr: String? = nil, aliases: [String] = []) -> GlossaryTerm {
            GlossaryTerm(term: name, abbr: abbr, aliases: aliases, definition: "D.", location: SourceLocation(file: "g"))
        }
        let matcher = GlossaryMatcher(terms: [term("T cell", abbr: "T", aliases: ["T-cells"]), term("Chimeric antigen receptor", abbr: "CAR"),
                                              term("CD19"), term("B cell"), term("cAMP"), term("X")])
        let texts = ["T", "a T", "T.", "Tx T", "t cells and T cells", "The CAR binds", "the car is red", "CARs", "cd19 and CD19-positive",
                     "B CELLS", "B-cells", "b cell.", "camp cAMP CAMP", "X-ray X", "x", "TCell T-cells", "CAR-T", "a\u{0}T",
                     "CHIMERIC ANTIGEN RECEPTORS", "Chimeric Antigen", "a chimeric antigen receptor", "chimeric-antigen receptor",
                     "cd19", "CD1", "CD19s", "[Z@`{ T cell"]
        for text in texts {
            var used = [Bool](repeating: false, count: matcher.terms.count)
            var text = text
            while true {
                let scalar = matcher.firstMatch(in: Array(text.unicodeScalars), used: used)
                let bytes = text.withUTF8 { matcher.firstMatch(inASCII: $0, used: used) }
                #expect(bytes?.term == scalar?.term && bytes?.isAbbreviation == scalar?.isAbbreviation && bytes?.range == scalar?.range, "\(text)")
                guard let found = scalar else { break }
                used[found.term] = true
            }
        }
        let unused = [Bool](repeating: false, count: matcher.terms.count)
        #expect([UInt8]("see T".utf8).withUnsafeBufferPointer { matcher.firstMatch(inASCII: $0, used: unused) }?.range == 4..<5)
        #expect([UInt8]("the car".utf8).withUnsafeBufferPointer { matcher.firstMatch(inASCII: $0, used: unused) } == nil)
        // Every ASCII byte, eight at a time, in lower case as one byte at a time makes it.
        for first in stride(from: 0, to: 128, by: 8) {
            let bytes = (first..<(first + 8)).map { UInt8($0) }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
            let lowered = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element >= 65 && $1.element <= 90 ? $1.element + 32 : $1.element) << UInt64(8 * $1.offset) }
            #expect(GlossaryMatcher.lowercased(word) == lowered, "\(bytes)")
        }
    }

    // Proves: a scalar's lower case for glossary matching, read first from the
    // Changes_When_Lowercased property, is its one-scalar lower-case mapping, for every scalar.
    @Test func lowerScalarIsTheOneScalarMapping() {
        var checked = 0
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let mapped = scalar.properties.lowercaseMapping.unicodeScalars
            let expected = mapped.count == 1 ? mapped.first! : scalar
            if GlossaryMatcher.lowerScalar(scalar) != expected { Issue.record("U+\(String(value, radix: 16))") }
            checked += 1
        }
        #expect(checked > 1_100_000)
    }

    // Proves: the scalar search for glossary terms (its forms kept flat, grouped by first
    // character and passed over by second) finds what the plain rule finds (each word start,
    // its forms longest first, lower case then a capital's abbreviations), in every text of the
    // shipped guide's Spanish edition and English chapters, and texts with accents and
    // capitals beside terms, each first match used in turn.
    @Test func scalarGlossarySearchAgreesWithThePlainRule() throws {
        let result = check(content: Fixtures.shippedContent)
        let guide = try #require(result.guide)
        let edition = try #require(result.editions.first)
        let terms = edition.guide.glossary.terms + guide.glossary.terms
        let matcher = GlossaryMatcher(terms: terms)
        // The rule, written plainly: forms by first character, longest first (ties in order).
        var forms: [(term: Int, scalars: [Unicode.Scalar], isAbbreviation: Bool)] = []
        for (i, term) in terms.enumerated() {
            forms.append((i, GlossaryMatcher.lowered(term.term), false))
            if let abbr = term.abbr { forms.append((i, Array(abbr.unicodeScalars), true)) }
            for alias in term.aliases { forms.append((i, GlossaryMatcher.lowered(alias), false)) }
        }
        forms = forms.filter { !$0.scalars.isEmpty }.enumerated()
            .sorted { ($0.element.scalars.count, -$0.offset) > ($1.element.scalars.count, -$1.offset) }.map(\.element)
        func plain(_ text: [Unicode.Scalar], used: [Bool]) -> (term: Int, isAbbreviation: Bool, range: Range<Int>)? {
            let lower = text.map(GlossaryMatcher.lowerScalar)
            func at(_ start: Int, first: Unicode.Scalar) -> (term: Int, isAbbreviation: Bool, range: Range<Int>)? {
                for form in forms where form.scalars[0] == first && !used[form.term] {
                    let haystack = form.isAbbreviation ? text : lower
                    let n = form.scalars.count
                    guard start + n <= haystack.count, Array(haystack[start..<(start + n)]) == form.scalars else { continue }
                    var end = start + n
                    if !form.isAbbreviation {
                        if end < haystack.count, haystack[end] == "s" { end += 1 } else if end + 1 < haystack.count, haystack[end] == "e", haystack[end + 1] == "s" { end += 2 }
                        if end < haystack.count, GlossaryMatcher.isWordScalar(haystack[end]) { end = start + n }
                    }
                    if end == haystack.count || !GlossaryMatcher.isWordScalar(haystack[end]) { return (form.term, form.isAbbreviation, start..<end) }
                }
                return nil
            }
            for start in lower.indices where start == 0 || !GlossaryMatcher.isWordScalar(lower[start - 1]) {
                if let found = at(start, first: lower[start]) { return found }
                if text[start] != lower[start], let found = at(start, first: text[start]) { return found }
            }
            return nil
        }
        var texts = edition.translated.flatMap { $0.chapter.markdown.blocks.map(\.text) }
        texts += guide.chapters.prefix(4).flatMap { $0.chapter.markdown.blocks.map(\.text) }
        texts += ["Las células T (T cells) y el CAR-T: ¿qué es el SLC?", "Ña CAR-Tés T-cell, ÉTUDE CD19 ó", "é CAR é-CAR", "CAR", "C", "Células B", "FDAs FDA"]
        var compared = 0
        for text in texts {
            let scalars = Array(text.unicodeScalars)
            var used = [Bool](repeating: false, count: terms.count)
            while true {
                let expected = plain(scalars, used: used)
                let found = matcher.firstMatch(in: scalars, used: used)
                #expect(found?.term == expected?.term && found?.isAbbreviation == expected?.isAbbreviation && found?.range == expected?.range,
                        "\(text.prefix(60))")
                compared += 1
                guard let found else { break }
                used[found.term] = true
            }
        }
        #expect(compared > 1000)
    }

    // Proves: a search from a place in a text finds what a search of the text from there on
    // finds (term, form and range, moved), in every text of the shipped guide's Spanish
    // edition and some with accents beside terms, each first match used in turn.
    @Test func glossarySearchFromAPlaceAgreesWithASearchOfTheRest() throws {
        let result = check(content: Fixtures.shippedContent)
        let guide = try #require(result.guide)
        let edition = try #require(result.editions.first)
        let matcher = GlossaryMatcher(terms: edition.guide.glossary.terms + guide.glossary.terms)
        var texts = edition.translated.flatMap { $0.chapter.markdown.blocks.map(\.text) }
        texts += ["Las células T (T cells) y el CAR-T: ¿qué es el SLC?", "Ña CAR-Tés T-cell, ÉTUDE CD19 ó", "é CAR é-CAR"]
        var compared = 0
        for text in texts where !text.utf8.allSatisfy({ $0 < 0x80 }) {
            let scalars = Array(text.unicodeScalars)
            let lower = scalars.map(GlossaryMatcher.lowerScalar)
            var used = [Bool](repeating: false, count: matcher.terms.count)
            var offset = 0
            while offset < scalars.count {
                let rest = matcher.firstMatch(in: Array(scalars[offset...]), used: used)
                let found = matcher.firstMatch(in: scalars, lower: lower, from: offset, used: used)
                #expect(found?.term == rest?.term && found?.isAbbreviation == rest?.isAbbreviation
                        && found?.range == rest.map { ($0.range.lowerBound + offset)..<($0.range.upperBound + offset) }, "\(text.prefix(60))")
                compared += 1
                guard let found else { break }
                used[found.term] = true
                offset = found.range.upperBound
            }
        }
        #expect(compared > 300)
    }

    // Proves: on ASCII text, the byte search for glossary terms finds what the scalar search
    // finds (term, form and range), whichever terms are already used: every prose and table
    // text of the shipped guide against its glossary, with none used, then each first match used.
    @Test func asciiGlossaryMatchAgreesWithScalarMatch() throws {
        let guide = try #require(check(content: Fixtures.shippedContent).guide)
        let matcher = GlossaryMatcher(terms: guide.glossary.terms)
        var compared = 0
        for chapter in guide.chapters {
            for block in chapter.chapter.markdown.blocks where block.text.utf8.allSatisfy({ $0 < 0x80 }) {
                var used = [Bool](repeating: false, count: matcher.terms.count)
                var text = block.text
                while true {
                    let scalar = matcher.firstMatch(in: Array(text.unicodeScalars), used: used)
                    let bytes = text.withUTF8 { matcher.firstMatch(inASCII: $0, used: used) }
                    #expect(bytes?.term == scalar?.term && bytes?.isAbbreviation == scalar?.isAbbreviation && bytes?.range == scalar?.range,
                            "\(chapter.name): \(block.text.prefix(60))")
                    compared += 1
                    guard let found = scalar else { break }
                    used[found.term] = true
                }
            }
        }
        #expect(compared > 1000)
    }
}
