import Foundation
import Testing
@testable import GuideKit

/// The service's own details in guide.yml, and the call card that gathers every "when to
/// get help" box on one sheet.
@Suite struct ServiceDetailsTests {
    /// The markup fixture with extra guide.yml lines, built into a temporary folder.
    func build(adding settings: String, in folder: TemporaryFolder) throws -> (BuildResult, URL) {
        let content = try folder.copy(Fixtures.content("markup"), as: "Content")
        let config = try String(contentsOf: content.appendingPathComponent("guide.yml"), encoding: .utf8)
        try Data((config + settings).utf8).write(to: content.appendingPathComponent("guide.yml"))
        let site = folder.url.appendingPathComponent("site")
        return (GuideKitTests.build(content: content, output: site), site)
    }

    func page(_ site: URL, _ name: String) throws -> String { try Page(site.appendingPathComponent(name)).html }

    // Proves: every setting is read and shown: the organisation and logo in the header, the
    // contact and the guide's own disclaimer in the footer, the emergency number in every
    // emergency box (chapter, print edition, call card); with show_ids false no reader sees
    // a chapter id, in lists, pagers, titles or filled-in links.
    @Test func settingsAreShown() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (result, site) = try build(adding: """
            organisation: Riverside Hospital Cell Therapy Unit
            contact:
              phone: "+1 555 0100"
              url: https://example.org/contact
            emergency_number: "911"
            disclaimer: Written by the Riverside team for our patients.
            logo: assets/diagram.svg
            show_ids: false

            """, in: folder)
        #expect(result.outcome == .success, "\(compact(result.diagnostics))")
        let a1 = try page(site, "a1.html")
        #expect(a1.contains("<img class=\"site-logo\" src=\"assets/diagram.svg\" alt=\"\"> Markup &amp; &quot;every&quot; &lt;construct&gt;</a>"))
        #expect(a1.contains("<span class=\"site-organisation\">Riverside Hospital Cell Therapy Unit</span>"))
        #expect(a1.contains("<p class=\"disclaimer\">Written by the Riverside team for our patients.</p>"))
        #expect(a1.contains("Contact: <a href=\"tel:+1 555 0100\">+1 555 0100</a> · <a href=\"https://example.org/contact\">https://example.org/contact</a>"))
        for name in ["a1.html", "print.html", "call-card.html"] {
            let html = try page(site, name)
            #expect(html.contains("</span>Emergency: call 911 now</p>"), "\(name)")
            #expect(!html.contains("call emergency services now</p>"), "\(name)")
        }
        for name in ["index.html", "a1.html", "a2.html", "a3.html", "print.html", "call-card.html"] {
            let html = try page(site, name)
            #expect(!html.contains("A1:") && !html.contains("A2:"), "\(name) shows an id")
        }
        // `[](A1)` is filled in with the title alone.
        #expect(try page(site, "a2.html").contains("<a href=\"a1.html\">Callouts &amp; boxes</a>"))
    }

    // Proves: wrong values are errors at their line, with what to write; a logo that is not
    // there is an error with the likely file.
    @Test func wrongSettingsAreErrors() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (result, _) = try build(adding: """
            emergency_number: call the police
            contact:
              web: example.org
              fax: 123
            show_ids: sometimes

            """, in: folder)
        // A wrong guide.yml stops the run before any chapter is read (exit code 2).
        #expect(result.outcome == .configurationError("Content/guide.yml has errors"))
        let lines = result.diagnostics.map { DiagnosticFormatter.line($0) }
        #expect(lines.contains { $0.hasSuffix("guide.yml:7:1: error: 'emergency_number' must be a phone number, like 911, 999 or 112, but is 'call the police' [guide-config]") })
        #expect(lines.contains { $0.hasSuffix("guide.yml:9:3: error: 'web' must start with https:// or http://, but is 'example.org' [guide-config]") })
        #expect(lines.contains { $0.hasSuffix("guide.yml:10:3: warning: unknown contact key 'fax' [unknown-key]") })
        #expect(lines.contains { $0.hasSuffix("guide.yml:11:1: error: 'show_ids' must be true or false, but is 'sometimes' [guide-config]") })

        let other = try TemporaryFolder()
        defer { other.cleanup() }
        let (missingLogo, _) = try build(adding: "logo: assets/diagramm.svg\n", in: other)
        #expect(missingLogo.outcome == .contentErrors)
        #expect(missingLogo.diagnostics.map { DiagnosticFormatter.line($0) }.contains {
            $0.hasSuffix("guide.yml:7:1: error: the logo 'assets/diagramm.svg' does not exist under the content folder (did you mean 'assets/diagram.svg'?) [missing-asset]")
        })
    }

    // Proves: a check keeps of each chapter's body its outermost urgency boxes, whole and in
    // order (inside a note or an FAQ answer too): the boxes a build finds, and nothing else.
    // A build's result keeps the same once its pages have taken the bodies.
    @Test func checkKeepsTheUrgencyBoxesOfBodies() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (built, _) = try build(adding: "", in: folder)
        let content = folder.url.appendingPathComponent("Content")
        let checked = check(content: content)
        let served = buildKeepingChapters(content: content, output: folder.url.appendingPathComponent("Served"))
        let builtGuide = try #require(built.guide), checkedGuide = try #require(checked.guide), wholeGuide = try #require(served.guide)
        #expect(builtGuide.chapters.map(\.id) == checkedGuide.chapters.map(\.id))
        #expect(wholeGuide.chapters.map(\.id) == checkedGuide.chapters.map(\.id))
        func urgencies(_ body: [BodyNode]) -> [BodyNode] {
            BodyNode.flatten(body).filter { if case let .callout(kind, _) = $0 { return kind.isUrgency } else { return false } }
        }
        var boxes = 0
        for ((whole, kept), built) in zip(zip(wholeGuide.chapters, checkedGuide.chapters), builtGuide.chapters) {
            #expect(whole.chapter.markdown.body.count > kept.chapter.markdown.body.count)
            #expect(kept.chapter.markdown.body == BodyNode.urgencyBoxes(whole.chapter.markdown.body))
            #expect(urgencies(kept.chapter.markdown.body) == urgencies(whole.chapter.markdown.body))
            #expect(built.chapter.markdown.body == kept.chapter.markdown.body)
            boxes += urgencies(kept.chapter.markdown.body).count
        }
        #expect(boxes == 5)
        // Nested: a box in a note and in an FAQ answer are kept; text around them is not.
        let box = BodyNode.callout(.urgent, body: [.html("<p>Call</p>\n")])
        let inner = BodyNode.callout(.emergency, body: [.html("<p>999</p>\n")])
        let outer = BodyNode.callout(.nonUrgent, body: [.html("<p>Later</p>\n"), inner])
        let body: [BodyNode] = [.html("<p>Intro</p>\n"), .callout(.note, body: [box]), .faq(heading: 0, question: [.html("Q")], answer: [outer])]
        #expect(BodyNode.urgencyBoxes(body) == [box, outer])
        #expect(urgencies(BodyNode.urgencyBoxes(body)) == urgencies(body))
    }

    // Proves: a check leaves out the chapters' text blocks when nothing it runs reads them,
    // and keeps them for a guide with plain-language settings or translations, and for
    // `guide report`; a build hands them to the search index, which lets them go.
    @Test func checkLeavesOutTextBlocksNoCheckReads() throws {
        func texts(_ result: BuildResult) throws -> Int {
            try #require(result.guide).chapters.reduce(0) { $0 + $1.chapter.markdown.blocks.count }
        }
        let basic = Fixtures.content("basic")
        #expect(try texts(check(content: basic)) == 0)
        #expect(try texts(checkKeepingText(content: basic)) > 0)
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        #expect(try texts(GuideKitTests.build(content: basic, output: folder.url.appendingPathComponent("Site"))) == 0)
        #expect(try texts(check(content: Fixtures.content("plain-language"))) > 0)
        #expect(try texts(check(content: Fixtures.content("translated"))) > 0)
        // What a check finds is the same either way.
        #expect(compact(check(content: basic).diagnostics) == compact(checkKeepingText(content: basic).diagnostics))
        #expect(!check(content: basic).diagnostics.isEmpty)
    }

    // Proves: the call card holds every emergency, urgent and non-urgent box of the guide,
    // grouped most urgent first, each with its chapter; it is linked from the home page and
    // from each chapter that has such a box (and no other); it and the print edition are
    // kept out of search engines.
    @Test func callCardGathersEveryBox() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (result, site) = try build(adding: "", in: folder)
        #expect(result.outcome == .success)
        let guide = try #require(result.guide)
        let boxes = guide.chapters.flatMap { chapter in
            BodyNode.flatten(chapter.chapter.markdown.body).compactMap { node -> CalloutKind? in
                if case let .callout(kind, _) = node, kind.isUrgency { return kind } else { return nil }
            }
        }
        #expect(boxes.count == 5)
        let card = try page(site, "call-card.html")
        let kinds = card.matches(of: /<div class="callout callout-([a-z-]+)" role="note">/).map { String($0.1) }
        #expect(kinds == ["emergency", "urgent", "urgent", "urgent", "non-urgent"])
        #expect(card.contains("<h2 id=\"call-card-emergency\">Call emergency services now</h2>"))
        #expect(card.contains("From <a href=\"a2.html\">A2: Questions</a>"))
        #expect(card.contains("<meta name=\"robots\" content=\"noindex\">"))
        let (print, index, a1, a2, a3) = (try page(site, "print.html"), try page(site, "index.html"), try page(site, "a1.html"),
                                          try page(site, "a2.html"), try page(site, "a3.html"))
        #expect(print.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(!a1.contains("<meta name=\"robots\""))
        #expect(index.contains("<p class=\"call-card-link\"><a href=\"call-card.html\">When to get help</a>"))
        #expect(a1.contains("<p class=\"call-card-link\">") && a2.contains("<p class=\"call-card-link\">"))
        #expect(!a3.contains("<p class=\"call-card-link\">"))
    }
}
