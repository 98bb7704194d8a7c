import Foundation
import Testing
@testable import GuideKit

/// FAQ blocks, callouts, glossary marks, structured data and the print edition.
@Suite struct PatientFeatureTests {
    func parse(_ markdown: String, glossary: [GlossaryTerm] = []) -> ParsedMarkdown {
        MarkdownParser.parse(markdown, glossary: glossary)
    }

    func term(_ term: String, abbr: String? = nil, aliases: [String] = [], definition: String = "A meaning.") -> GlossaryTerm {
        GlossaryTerm(term: term, abbr: abbr, aliases: aliases, definition: definition, location: SourceLocation(file: "glossary.yml"))
    }

    // MARK: FAQ

    // Proves: each question of an FAQ block is a disclosure widget whose summary is a real heading with its anchor.
    @Test func faqQuestionsAreDisclosureWidgets() {
        let parsed = parse("## Frequently asked questions\n\nIntro.\n\n### Is it safe?\n\nUsually.\n\n- a\n- b\n\n### Can I drive?\n\nNot yet.\n\n## Next\n\n### Not a question\n")
        #expect(parsed.html == """
        <h2 id="frequently-asked-questions">Frequently asked questions</h2>
        <p>Intro.</p>
        <details class="faq">
        <summary>
        <h3 id="is-it-safe">Is it safe?</h3>
        </summary>
        <div class="faq-answer">
        <p>Usually.</p>
        <ul>
        <li>a</li>
        <li>b</li>
        </ul>
        </div>
        </details>
        <details class="faq">
        <summary>
        <h3 id="can-i-drive">Can I drive?</h3>
        </summary>
        <div class="faq-answer">
        <p>Not yet.</p>
        </div>
        </details>
        <h2 id="next">Next</h2>
        <h3 id="not-a-question">Not a question</h3>

        """)
        #expect(parsed.faqs == [
            .init(question: "Is it safe?", anchor: "is-it-safe", answer: "Usually. a b", heading: 1),
            .init(question: "Can I drive?", anchor: "can-i-drive", answer: "Not yet.", heading: 2),
        ])
    }

    // Proves: "FAQ" and "Frequently asked questions" open a block in any case; other level-2 headings do not.
    @Test(arguments: [("## FAQ", 1), ("## faq: driving", 1), ("## FREQUENTLY ASKED QUESTIONS about CAR-T", 1), ("## Questions", 0), ("### FAQ", 0)])
    func faqHeadings(heading: String, questions: Int) {
        #expect(parse("\(heading)\n\n### Q?\n\nA.\n").faqs.count == questions)
    }

    // MARK: Callouts

    // Proves: all eight callout types become labelled boxes that say the type or urgency in words.
    @Test(arguments: [
        ("NOTE", "callout-note", "Note"), ("TIP", "callout-tip", "Tip"), ("IMPORTANT", "callout-important", "Important"),
        ("WARNING", "callout-warning", "Warning"), ("CAUTION", "callout-caution", "Caution"),
        ("EMERGENCY", "callout-emergency", "Emergency: call emergency services now"),
        ("URGENT", "callout-urgent", "Urgent: call your care team now, day or night"),
        ("NON-URGENT", "callout-non-urgent", "Non-urgent: tell your care team soon, or at your next visit"),
        ("urgent", "callout-urgent", "Urgent: call your care team now, day or night"),
    ])
    func callouts(marker: String, className: String, title: String) {
        let html = parse("> [!\(marker)]\n> Body **text**.\n").html
        #expect(html == """
        <div class="callout \(className)" role="note">
        <p class="callout-title"><span class="callout-icon" aria-hidden="true"></span>\(title)</p>
        <p>Body <strong>text</strong>.</p>
        </div>

        """)
    }

    // Proves: an unknown type stays a quote, with a warning that suggests the type meant.
    @Test func unknownCalloutType() {
        let parsed = parse("Text.\n\n> [!WARN]\n> Careful.\n")
        #expect(parsed.html.contains("<blockquote>"))
        #expect(parsed.problems == [.init(severity: .warning, rule: .unknownCallout, message: "'[!WARN]' is not a callout type, so this is shown as a plain quote",
                                          suggestion: "did you mean '[!WARNING]'?", position: SourcePosition(line: 3, column: 1))])
    }

    // MARK: Glossary

    // Proves: only the first use of a term (or its abbreviation or alias) is marked, linking to the glossary.
    @Test func firstUseIsMarked() {
        let crs = term("Cytokine release syndrome", abbr: "CRS", aliases: ["cytokine storm"], definition: "A strong reaction & \"more\".")
        let parsed = parse("A Cytokine Storm can happen. CRS again, cytokine release syndrome again.", glossary: [crs])
        #expect(parsed.html(glossary: [crs]) == "<p>A <a class=\"glossary-term\" href=\"glossary.html#cytokine-release-syndrome\"><dfn title=\"A strong reaction &amp; &quot;more&quot;.\">Cytokine Storm</dfn></a> can happen. CRS again, cytokine release syndrome again.</p>\n")
        #expect(parsed.glossaryTermsUsed == ["Cytokine release syndrome"])
    }

    // Proves: an abbreviation is marked with <abbr> and matches only in its own case.
    @Test func abbreviationsMatchExactly() {
        let car = term("Chimeric antigen receptor", abbr: "CAR", definition: "A receptor.")
        #expect(parse("Do not drive a car.", glossary: [car]).glossaryTermsUsed == [])
        #expect(parse("The CAR finds its target.", glossary: [car]).html(glossary: [car])
            == "<p>The <a class=\"glossary-term\" href=\"glossary.html#chimeric-antigen-receptor\"><abbr title=\"Chimeric antigen receptor: A receptor.\">CAR</abbr></a> finds its target.</p>\n")
        // "CAR" inside "CAR-T" is not a whole word.
        #expect(parse("CAR-T cells.", glossary: [car]).glossaryTermsUsed == [])
    }

    // Proves: never inside headings, links, images or code; whole words only; plurals count.
    @Test func notInsideOtherMarkup() {
        let bCell = term("B cell")
        let markdown = "# B cell heading\n\n[B cell link](A0) `B cell` ![B cell](x.png) sub-B cell? no: SB cells\n\nYour B cells."
        let parsed = parse(markdown, glossary: [bCell])
        let html = parsed.html(glossary: [bCell])
        #expect(html.contains("<h1 id=\"b-cell-heading\">B cell heading</h1>"))
        #expect(html.contains("<p>Your <a class=\"glossary-term\" href=\"glossary.html#b-cell\"><dfn title=\"A meaning.\">B cells</dfn></a>.</p>"))
        #expect(html.components(separatedBy: "glossary-term").count == 2)
    }

    // Proves: a glossary term no chapter uses is a warning at the term's line.
    @Test func unusedTermIsAWarning() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([
            "Content/guide.yml": "title: T\n",
            "Content/glossary.yml": "- term: Apheresis\n  definition: Collecting cells.\n- term: Lymphodepletion\n  abbr: LD\n  definition: Chemotherapy first.\n",
            "Content/A0.md": "---\nid: A0\ntitle: T\nreviewed: 2026-11-01\n---\n\nApheresis comes first.\n",
        ])
        let result = check(content: folder.url.appendingPathComponent("Content"))
        #expect(result.diagnostics.map { DiagnosticFormatter.line($0) } == [
            "Content/glossary.yml:3:3: warning: no chapter uses the glossary term 'Lymphodepletion' (as 'Lymphodepletion', 'LD') (check its spelling, use it in a chapter, or remove it) [unused-glossary-term]",
        ])
    }

    // MARK: Pages

    func builtSite() throws -> (TemporaryFolder, URL) {
        let folder = try TemporaryFolder()
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: Fixtures.content("basic"), output: site).outcome == .success)
        return (folder, site)
    }

    /// The JSON-LD documents of a page, decoded.
    func structuredData(_ page: Page) throws -> [[String: Any]] {
        let regex = try NSRegularExpression(pattern: "<script type=\"application/ld\\+json\">(.*?)</script>", options: [.dotMatchesLineSeparators])
        return try regex.matches(in: page.html, range: NSRange(page.html.startIndex..., in: page.html)).map {
            let json = String(page.html[Range($0.range(at: 1), in: page.html)!])
            return try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        }
    }

    // Proves: the FAQPage JSON-LD has the page's questions and answers, as plain text.
    @Test func faqStructuredDataMatchesThePage() throws {
        let (folder, site) = try builtSite()
        defer { folder.cleanup() }
        let page = try Page(site.appendingPathComponent("a0.html"))
        let faq = try #require(try structuredData(page).first { $0["@type"] as? String == "FAQPage" })
        let questions = try #require(faq["mainEntity"] as? [[String: Any]])
        #expect(questions.map { $0["name"] as? String } == ["Is it safe? </script> & \"quoted\"", "Can I drive?"])
        #expect(questions.map { ($0["acceptedAnswer"] as? [String: Any])?["text"] as? String } == ["Usually. It has risks: fever confusion", "Not for two weeks."])
        // The page shows the same questions as headings inside <summary>.
        #expect(page.html.contains("<summary>\n<h3 id=\"is-it-safe-script--quoted\">Is it safe? &lt;/script&gt; &amp; &quot;quoted&quot;</h3>\n</summary>"))
        // Nothing in the JSON-LD can close its <script> early.
        let scripts = page.html.components(separatedBy: "<script type=\"application/ld+json\">").dropFirst()
        #expect(scripts.allSatisfy { $0.components(separatedBy: "</script>").first?.contains("<") == false })
    }

    // Proves: MedicalWebPage JSON-LD carries review date, reviewer, audience, name, description and language.
    @Test func medicalWebPageStructuredData() throws {
        let (folder, site) = try builtSite()
        defer { folder.cleanup() }
        let data = try structuredData(try Page(site.appendingPathComponent("a0.html")))
        let page = try #require(data.first { $0["@type"] as? String == "MedicalWebPage" })
        #expect(page["@context"] as? String == "https://schema.org")
        #expect(page["name"] as? String == "Start <here> & \"now\"")
        #expect(page["description"] as? String == "The first chapter, with <angle> brackets & \"quotes\" </script>.")
        #expect(page["inLanguage"] as? String == "en-GB")
        #expect(page["lastReviewed"] as? String == "2026-01-15")
        #expect((page["reviewedBy"] as? [String: String]) == ["@type": "Person", "name": "Dr. A & B"])
        #expect((page["audience"] as? [String: String]) == ["@type": "Patient"])
        #expect(page["url"] as? String == "https://example.org/fixture/a0.html")
        // A chapter without FAQ has no FAQPage.
        #expect(try structuredData(try Page(site.appendingPathComponent("a2.html"))).count == 1)
    }

    // Proves: the JSON-LD, written by hand for speed, is byte for byte what JSONEncoder
    // (sorted keys, slashes as they are) writes, then `<`, `>`, `&` as \u escapes: for every
    // control character, quotes, backslashes, line separators and non-Latin text.
    @Test func structuredDataIsWhatJSONEncoderWrites() throws {
        struct Thing: Encodable {
            var type: String, name: String
            enum CodingKeys: String, CodingKey { case type = "@type", name }
        }
        struct Answer: Encodable {
            var type = "Answer", text: String
            enum CodingKeys: String, CodingKey { case type = "@type", text }
        }
        struct Question: Encodable {
            var type = "Question", name: String, acceptedAnswer: Answer
            enum CodingKeys: String, CodingKey { case type = "@type", name, acceptedAnswer }
        }
        struct FAQPage: Encodable {
            var context = "https://schema.org", type = "FAQPage", mainEntity: [Question]
            enum CodingKeys: String, CodingKey { case context = "@context", type = "@type", mainEntity }
        }
        func reference(_ value: some Encodable) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(value), as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
                .replacingOccurrences(of: ">", with: "\\u003e").replacingOccurrences(of: "&", with: "\\u0026")
        }
        let controls = String(String.UnicodeScalarView((0..<0x20).compactMap(Unicode.Scalar.init)))
        let texts = [controls, "\"quoted\" \\ back/slash </script> & <b>", "line\u{2028}sep\u{2029}\u{7F}", "발열, πυρετός, 😀", ""]
        for text in texts {
            #expect(StructuredData.string(text) == (try reference([text])).dropFirst().dropLast().description, "\(text.debugDescription)")
            let faq = [ParsedMarkdown.FAQ(question: text, anchor: "q", answer: text + "!", heading: 0)]
            #expect(StructuredData.faqPage(faq) == (try reference(FAQPage(mainEntity: [Question(name: text, acceptedAnswer: Answer(text: text + "!"))]))))
        }
        #expect(StructuredData.thing("Person", "Dr. A & B") == (try reference(Thing(type: "Person", name: "Dr. A & B"))))
    }

    // Proves: the glossary page lists every term alphabetically, each with an anchor, escaped.
    @Test func glossaryPage() throws {
        let (folder, site) = try builtSite()
        defer { folder.cleanup() }
        let page = try Page(site.appendingPathComponent("glossary.html"))
        #expect(page.attributes("id").filter { !$0.hasPrefix("search") && $0 != "main" } == ["apheresis", "cytokine-release-syndrome"])
        #expect(page.html.contains("<p>Collecting one part of the blood &amp; returning the rest.</p>"))
        #expect(page.html.contains("<p class=\"aliases\">Also called: cytokine storm</p>"))
    }

    // Proves: print.html has every chapter in series order, and every link inside it leads to an id on the page.
    @Test func printEdition() throws {
        let (folder, site) = try builtSite()
        defer { folder.cleanup() }
        let page = try Page(site.appendingPathComponent("print.html"))
        let ids = page.ids
        #expect(ids.count == Set(page.attributes("id")).count)
        let articles = try NSRegularExpression(pattern: "<article class=\"print-chapter\" id=\"([a-z0-9]+)\"")
            .matches(in: page.html, range: NSRange(page.html.startIndex..., in: page.html))
            .map { String(page.html[Range($0.range(at: 1), in: page.html)!]) }
        #expect(articles == ["b1", "a0", "a2", "a10"])
        let inPage = page.attributes("href").filter { $0.hasPrefix("#") }
        #expect(inPage.count > 10)
        for href in inPage { #expect(ids.contains(String(href.dropFirst())), "print.html: \(href) leads nowhere") }
        #expect(page.html.contains("<a href=\"#b1-armored-cars\">a heading</a>"))
        #expect(page.html.contains("href=\"#glossary-cytokine-release-syndrome\""))
        #expect(!page.html.contains("href=\"a0.html"))
    }
}
