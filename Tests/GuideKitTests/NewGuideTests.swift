import Foundation
import Testing
@testable import GuideKit

/// `guide init`: a starter guide that passes `guide check --strict` and builds.
@Suite struct NewGuideTests {
    // Proves: the starter guide has no error and no warning, builds with the built-in
    // templates, and uses every link form, an FAQ, an urgency box and a picture.
    @Test func starterGuideIsClean() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let written = try NewGuide.create(in: folder.url, templates: false, today: testToday)
        #expect(written.contains("Content/guide.yml") && written.contains("Content/glossary.yml") && written.count == 7)
        let result = check(content: folder.url.appendingPathComponent("Content"))
        #expect(result.outcome == .success)
        #expect(result.diagnostics.isEmpty, "\(compact(result.diagnostics))")
        let guide = try #require(result.guide)
        #expect(guide.tracks.count == 2)
        let targets = guide.chapters.flatMap(\.links).map(\.destination)
        #expect(targets.contains(.chapter(ChapterID("A2")!, heading: nil)))
        #expect(targets.contains(.chapter(ChapterID("A2")!, heading: "frequently-asked-questions")))
        #expect(targets.contains(.heading("what-to-bring")))
        #expect(targets.contains(.file("assets/checklist.svg", fragment: nil)))
        // A check keeps only the bodies' urgency boxes; the FAQ is in each chapter's questions.
        let bodies = guide.chapters.flatMap { BodyNode.flatten($0.chapter.markdown.body) }
        #expect(bodies.contains { if case .callout(.urgent, _) = $0 { return true } else { return false } })
        #expect(guide.chapters.contains { !$0.chapter.markdown.faqs.isEmpty })
        var options = BuildOptions(content: folder.url.appendingPathComponent("Content").path, output: folder.url.appendingPathComponent("Site").path,
                                   today: testToday, workingDirectory: folder.url)
        options.templatesDirectory = nil
        #expect(Pipeline.build(options).outcome == .success)
    }

    // Proves: a content folder with files is refused and left as it was; --templates writes
    // the built-in set.
    @Test func refusesContentAndWritesTemplates() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write(["Content/A1-mine.md": "mine"])
        #expect(throws: NewGuide.Problem.self) { try NewGuide.create(in: folder.url, templates: false, today: testToday) }
        #expect(try String(contentsOf: folder.url.appendingPathComponent("Content/A1-mine.md"), encoding: .utf8) == "mine")
        let other = folder.url.appendingPathComponent("other")
        let written = try NewGuide.create(in: other, templates: true, today: testToday)
        #expect(written.filter { $0.hasPrefix("Templates/") }.count == BuiltInTemplates.files.count)
        #expect(try String(contentsOf: other.appendingPathComponent("Templates/partials/callout.mustache"), encoding: .utf8)
            == BuiltInTemplates.files["partials/callout.mustache"])
    }
}
