import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import GuideKit

/// The `guide` executable as an author or CI runs it: output and exit codes.
@Suite struct CommandLineTests {
    static let binary = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/guide")

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func guide(_ arguments: [String], in folder: URL) throws -> Run {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    // Proves: `guide build` in a guide's folder writes Site/ and ends with one summary line.
    @Test func buildPrintsASummary() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        _ = try folder.copy(Fixtures.content("basic"), as: "Content")
        _ = try folder.copy(Fixtures.templates, as: "Templates")
        let run = try guide(["build"], in: folder.url)
        #expect(run.status == 0)
        // The fixture's one planted problem: raw HTML, reported and not shown.
        #expect(run.stderr == "Content/A0-start.md:21:1: warning: raw HTML ('<script>') is not shown on the page (remove it: pages of the guide never run an author's scripts or styles) [raw-html]\n")
        let pattern = try NSRegularExpression(pattern: "^Built 4 chapters, 10 pages in [0-9]+\\.[0-9]{2} s into Site\\nLeft out 1 draft \\(B2\\); include it with --drafts\\.\\n$")
        #expect(pattern.firstMatch(in: run.stdout, range: NSRange(run.stdout.startIndex..., in: run.stdout)) != nil, "\(run.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("Site/index.html").path))
    }

    // Proves: the editor report's template is read by `guide report` (build and check never
    // render it, and do not read it into swift-mustache): a mistake in it is told at its line
    // and column there, and no report is written; `guide check` passes the same guide.
    @Test func aReportTemplateThatCannotBeReadStopsTheReport() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        _ = try folder.copy(Fixtures.content("basic"), as: "Content")
        _ = try folder.copy(Fixtures.templates, as: "Templates")
        try folder.write(["Templates/editor-report.mustache": "<h1>Report</h1>\n{{#chapters}}\n<p>{{title}}</p>\n"])
        #expect(try guide(["check"], in: folder.url).status == 0)
        let run = try guide(["report", "--html", "report.html"], in: folder.url)
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("Templates/editor-report.mustache:"), "\(run.stderr)")
        #expect(run.stderr.contains("error: this template cannot be read"), "\(run.stderr)")
        #expect(run.stderr.hasSuffix("error: the editor's report was not written\n"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("report.html").path))
    }

    // Proves: `guide init` in an empty folder starts a guide that `check --strict` passes and
    // that builds, with the built-in templates, the same site as with the source tree's
    // Templates/; a second init there is refused with exit 2.
    @Test func initThenCheckAndBuild() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let started = try guide(["init", "my-guide"], in: folder.url)
        #expect(started.status == 0)
        #expect(started.stdout.hasPrefix("Started a guide in my-guide: 7 files in Content/.\nNext:\n  cd my-guide\n  guide serve"))
        let guideFolder = folder.url.appendingPathComponent("my-guide")
        let checked = try guide(["check", "--strict"], in: guideFolder)
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout == "0 errors, 0 warnings in 3 chapters\n")
        #expect(try guide(["build"], in: guideFolder).status == 0)
        #expect(try guide(["build", "--templates", Fixtures.templates.path, "--output", "Site2"], in: guideFolder).status == 0)
        for page in ["index.html", "a1.html", "a2.html", "b1.html", "print.html", "static/guide.css", "search/index.js"] {
            let builtIn = try Data(contentsOf: guideFolder.appendingPathComponent("Site/" + page))
            #expect(builtIn == (try Data(contentsOf: guideFolder.appendingPathComponent("Site2/" + page))), "\(page)")
        }
        let again = try guide(["init", "my-guide"], in: folder.url)
        #expect(again.status == 2)
        #expect(again.stderr.contains("already has files; guide init starts a new guide only in an empty folder"))
    }

    // Proves: `serve` on a port that is taken says so and exits 2, without building.
    @Test func serveOnATakenPort() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        _ = try folder.copy(Fixtures.content("basic"), as: "Content")
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        let port = UInt16(bigEndian: address.sin_port)
        let run = try guide(["serve", "--port", "\(port)"], in: folder.url)
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("error: port \(port) on 127.0.0.1 is already in use"))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("Site").path))
    }

    // Proves: content errors exit 1 with compiler-style lines on stderr, and no site is written.
    @Test func contentErrorsExitOne() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        _ = try folder.copy(Fixtures.content("broken-links"), as: "Content")
        let run = try guide(["build", "--templates", Fixtures.templates.path], in: folder.url)
        #expect(run.status == 1)
        #expect(run.stderr.contains("\nContent/A0-links.md:4:1: error: no chapter with id 'B9' (did you mean 'B3'?) [broken-chapter-link]\n"))
        #expect(run.stderr.hasSuffix("error: 11 errors; the site was not written\n"))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("Site").path))
        let checked = try guide(["check"], in: folder.url)
        #expect(checked.status == 1)
        #expect(checked.stdout.hasSuffix("\n11 errors, 3 warnings in 4 chapters\n"))  // no review-missing on the set-aside duplicate
    }

    // Proves: usage and configuration errors exit 2.
    @Test func usageErrorsExitTwo() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        #expect(try guide(["build", "--no-such-flag"], in: folder.url).status == 2)
        let missing = try guide(["build", "--templates", Fixtures.templates.path], in: folder.url)
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: the content folder 'Content' does not exist\n")
    }

    // Proves: --help shows examples.
    @Test func helpHasExamples() throws {
        let run = try guide(["build", "--help"], in: Fixtures.root)
        #expect(run.status == 0)
        #expect(run.stdout.contains("Examples:\n  guide build\n"))
    }
}

/// `guide new`: a draft chapter that passes `guide check`, or a clear refusal.
@Suite struct NewChapterTests {
    // Proves: the new file has complete front matter, is a draft, and checks without errors.
    @Test func createsADraftChapter() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("basic"), as: "Content")
        let path = try NewChapter.create(id: "B6", title: "Living well: after \"CAR-T\"", contentDirectory: content,
                                         displayRoot: "Content", today: testToday)
        #expect(path == "Content/B6-living-well-after-car-t.md")
        let text = try String(contentsOf: content.appendingPathComponent("B6-living-well-after-car-t.md"), encoding: .utf8)
        #expect(text.hasPrefix("---\nid: B6\ntitle: \"Living well: after \\\"CAR-T\\\"\"\nsummary: "))
        let result = check(content: content, drafts: true)
        #expect(result.outcome == .success)
        let b6 = try #require(result.guide?.chapters.first { $0.id.description == "B6" })
        #expect(b6.title == "Living well: after \"CAR-T\"")
        #expect(b6.frontMatter.draft)
        #expect(b6.chapter.markdown.faqs.count == 1)
    }

    // Proves: a taken id, an unlisted track, a malformed id and an existing file are refused.
    @Test(arguments: [
        ("A0", "T", "the id 'A0' is already used by Content/A0-start.md"),
        ("C1", "T", "guide.yml lists no track 'C' (it lists B, A); add it under 'tracks' first"),
        ("b1", "T", "'b1' is not a chapter id; an id is capital letters then digits, like A0 or B12"),
        ("B7", " ", "the title must not be empty"),
    ])
    func refusals(id: String, title: String, message: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("basic"), as: "Content")
        #expect(throws: NewChapter.Problem.self) {
            try NewChapter.create(id: id, title: title, contentDirectory: content, displayRoot: "Content", today: testToday)
        }
        do {
            _ = try NewChapter.create(id: id, title: title, contentDirectory: content, displayRoot: "Content", today: testToday)
        } catch let problem as NewChapter.Problem {
            #expect(problem.description == message)
        }
    }
}

/// `guide serve`: the site over HTTP on 127.0.0.1, rebuilt when a chapter changes.
@Suite struct ServeTests {
    func get(_ url: String) async throws -> (Int, String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    // Proves: pages are served, missing ones get the 404 page, paths out of the site get nothing,
    // and an edited chapter is rebuilt and served.
    @Test func servesAndRebuilds() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("basic"), as: "Content")
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = ["serve", "--port", "0", "--templates", Fixtures.templates.path]
        process.currentDirectoryURL = folder.url
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        var text = ""
        while !text.contains("Serving") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let port = try #require(text.firstMatch(of: /127\.0\.0\.1:([0-9]+)/)?.1)
        let base = "http://127.0.0.1:\(port)"
        #expect(text.hasPrefix("Built 4 chapters, 10 pages in "))

        let (homeStatus, home) = try await get(base + "/")
        #expect(homeStatus == 200)
        #expect(home.contains("New here? Start with"))
        #expect(try await get(base + "/a0.html").0 == 200)
        let (missingStatus, missing) = try await get(base + "/no-such-page.html")
        #expect(missingStatus == 404)
        #expect(missing.contains("Page not found"))
        #expect(try await get(base + "/%2e%2e/%2e%2e/etc/passwd").0 == 404)

        let chapter = content.appendingPathComponent("A2-second.md")
        try (try String(contentsOf: chapter, encoding: .utf8)).replacingOccurrences(of: "# Second\n", with: "# Second, edited\n")
            .write(to: chapter, atomically: true, encoding: .utf8)
        var rebuilt = false
        for _ in 0..<40 where !rebuilt {
            try await Task.sleep(nanoseconds: 250_000_000)
            rebuilt = try await get(base + "/a2.html").1.contains("Second, edited")
        }
        #expect(rebuilt)
    }
}
