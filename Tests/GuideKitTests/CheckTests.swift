import Foundation
import Testing
@testable import GuideKit

/// `guide check`: one planted problem per rule, each reported exactly once, exactly where it is.
@Suite struct CheckTests {
    // Proves: the check-rules fixture reports exactly its planted problems, at their `[`, `!` or key,
    // after a BOM, CRLF line ends, tabs and wide characters, in lists, quotes, tables and headings.
    @Test func everyPlantedProblemExactlyOnce() {
        let result = check(content: Fixtures.content("check-rules"))
        #expect(result.outcome == .contentErrors)
        #expect(compact(result.diagnostics) == [
            "Content/A0-hub.md:12:24 error broken-chapter-link",     // in a list item
            "Content/A0-hub.md:14:20 error broken-anchor",           // in a block quote
            "Content/A0-hub.md:18:11 error broken-file-link",        // in a table
            "Content/A0-hub.md:20:19 error broken-anchor",           // in a heading, same chapter
            "Content/A0-hub.md:22:1 error missing-asset",
            "Content/A0-hub.md:24:14 error path-outside-content",    // by ..
            "Content/A0-hub.md:24:55 error path-outside-content",    // through a symbolic link
            "Content/A0-hub.md:26:3 error link-to-draft",
            "Content/A0-hub.md:26:16 error empty-link-destination",
            "Content/A0-hub.md:26:32 error unsafe-link-scheme",
            "Content/A0-hub.md:28:1 warning missing-alt-text",
            "Content/A0-hub.md:28:28 warning empty-link-text",
            "Content/A0-hub.md:30:1 warning unknown-callout",        // [!WARN]
            "Content/A1-bom-crlf.md:6:1 warning unknown-key",        // after a BOM, CRLF
            "Content/A1-bom-crlf.md:11:32 error broken-anchor",
            "Content/A2-unicode.md:8:29 error broken-chapter-link",  // after é, CJK and an emoji
            "Content/A2-unicode.md:10:22 error broken-anchor",       // after a tab
            "Content/A3-values.md:5:1 error invalid-value",          // reviewed: 2025-02-30
            "Content/A3-values.md:6:1 error invalid-value",          // draft: perhaps
            "Content/A3-values.md:7:1 error broken-chapter-link",    // related: [A0, B8], at the key
            "Content/A4-hard.md:1:1 warning reading-level",
            "Content/A4-hard.md:5:1 warning review-overdue",
            "Content/B1-no-review.md:1:1 warning review-missing",
            "Content/B2-second.md:2:1 error duplicate-id",
            "Content/B4-orphan.md:2:1 warning unreachable-chapter",
            "Content/C1-no-track.md:2:1 error unknown-track",
            "Content/glossary.yml:1:3 warning unused-glossary-term",
            "Content/glossary.yml:3:3 error glossary",
            "Content/x-bad-id.md:2:1 error invalid-id",
            "Content/x-bad-yaml.md:3:1 error front-matter",     // at the value that opens a list
            "Content/x-no-title.md:1:1 error missing-field",
            "Content/x-not-closed.md:1:1 error front-matter",
            "Content/x-not-mapping.md:2:1 error invalid-value",
        ])
    }

    // Proves: messages say what is wrong and what was probably meant.
    @Test func messagesSuggestTheFix() {
        let lines = check(content: Fixtures.content("check-rules")).diagnostics.map { DiagnosticFormatter.line($0) }
        for expected in [
            "Content/A0-hub.md:12:24: error: no chapter with id 'B7' (did you mean 'B1'?) [broken-chapter-link]",
            "Content/A0-hub.md:14:20: error: chapter A1 has no heading '#side-efects' (did you mean 'side-effects'?) [broken-anchor]",
            "Content/A1-bom-crlf.md:6:1: warning: unknown front-matter key 'reviwed' (did you mean 'reviewed'?) [unknown-key]",
            "Content/A4-hard.md:5:1: warning: A4 was last reviewed on 2024-01-01; its review was due on 2025-01-01, 22 months ago [review-overdue]",
            "Content/B2-second.md:2:1: error: the id 'B2' is already used by Content/B2-first.md (give this chapter an id of its own) [duplicate-id]",
        ] {
            #expect(lines.contains(expected), "missing: \(expected)")
        }
        #expect(lines.contains { $0.hasPrefix("Content/A4-hard.md:1:1: warning: A4 reads at grade ") && $0.contains("above the target of 8") })
    }

    // Proves: the review deadline moves with "today": the same chapter is fine a year earlier.
    @Test func reviewDeadlineFollowsToday() {
        let early = check(content: Fixtures.content("check-rules"), today: Day("2024-12-31")!)
        #expect(!early.diagnostics.contains { $0.rule == .reviewOverdue })
        #expect(BuildOptions.defaultToday(environment: ["SOURCE_DATE_EPOCH": "1790000000"]) == Day("2026-09-21"))
    }

    // Proves: GitHub Actions annotations, with the characters GitHub needs escaped.
    @Test func githubFormat() {
        let d = Diagnostic.error(.brokenChapterLink, at: SourceLocation(file: "Content/A,3.md", line: 42, column: 17),
                                 "no chapter with id 'B9'", suggestion: "did you mean 'B3'?")
        #expect(DiagnosticFormatter.github(d) == "::error file=Content/A%2C3.md,line=42,col=17,title=broken-chapter-link::no chapter with id 'B9' (did you mean 'B3'?)")
        let report = DiagnosticFormatter.report([d], chapters: 3, format: .github)
        #expect(report.hasSuffix("\n1 error, 0 warnings in 3 chapters\n"))
    }

    // Proves: JSON output is one document, a list with every field of every diagnostic.
    @Test func jsonFormat() throws {
        let diagnostics = check(content: Fixtures.content("check-rules")).diagnostics
        let json = DiagnosticFormatter.report(diagnostics, chapters: 11, format: .json)
        let list = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(list.count == diagnostics.count)
        let first = try #require(list.first)
        #expect(first["file"] as? String == "Content/A0-hub.md")
        #expect(first["line"] as? Int == 12)
        #expect(first["column"] as? Int == 24)
        #expect(first["severity"] as? String == "error")
        #expect(first["rule"] as? String == "broken-chapter-link")
        #expect(first["message"] as? String == "no chapter with id 'B7'")
        #expect(first["suggestion"] as? String == "did you mean 'B1'?")
        #expect(list.allSatisfy { Set($0.keys) == ["file", "line", "column", "severity", "rule", "message", "suggestion"] })
    }

    // Proves: the text format ends with the summary line.
    @Test func textSummary() {
        let result = check(content: Fixtures.content("check-rules"))
        let report = DiagnosticFormatter.report(result.diagnostics, chapters: result.chapterCount, format: .text)
        #expect(report.hasSuffix("\n24 errors, 9 warnings in 16 chapters\n"))
    }

    // Proves: guide.yml problems are reported at their line and stop the check (exit 2).
    @Test(arguments: [
        ("title: [unclosed\n", "Content/guide.yml:1:1 error guide-config"),
        ("- a list\n", "Content/guide.yml:1:1 error guide-config"),
        ("language: en\n", "Content/guide.yml:1:1 error guide-config"),
        ("title: T\ntracks: A\n", "Content/guide.yml:2:1 error guide-config"),
        ("title: T\nreview:\n  interval_months: soon\n", "Content/guide.yml:3:3 error guide-config"),
        ("title: T\nbase_url: example.org\n", "Content/guide.yml:2:1 error guide-config"),
    ])
    func guideConfigProblems(text: String, expected: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write(["Content/guide.yml": text, "Content/A0.md": "---\nid: A0\ntitle: T\nreviewed: 2026-11-01\n---\n"])
        let result = check(content: folder.url.appendingPathComponent("Content"))
        #expect(result.exitCode == 2)
        #expect(compact(result.diagnostics) == [expected])
    }

    // Proves: an unknown guide.yml key is a warning with a suggestion, not a stop.
    @Test func unknownGuideKey() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write(["Content/guide.yml": "title: T\nlanguaje: en\n", "Content/A0.md": "---\nid: A0\ntitle: T\nreviewed: 2026-11-01\n---\n"])
        let result = check(content: folder.url.appendingPathComponent("Content"))
        #expect(result.exitCode == 0)
        #expect(result.diagnostics.map { DiagnosticFormatter.line($0) } == [
            "Content/guide.yml:2:1: warning: unknown guide.yml key 'languaje' (did you mean 'language'?) [unknown-key]",
        ])
    }

    // Proves: the shipped guide passes `guide check --strict`: no errors and no warnings
    // (today pinned, so review dates do not expire under the test).
    @Test func shippedGuidePassesStrict() {
        let result = check(content: Fixtures.shippedContent, today: Day("2026-12-01")!)
        #expect(result.outcome == .success)
        #expect(result.diagnostics.map { DiagnosticFormatter.line($0) } == [])
    }
}

/// `guide check --external`, against a web server on 127.0.0.1 that the test starts.
@Suite(.serialized) struct ExternalLinkTests {
    final class Server {
        let process = Process()
        let port: Int
        let log = Pipe()

        init() throws {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", Fixtures.root.appendingPathComponent("link-server.py").path]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = log
            try process.run()
            var line = Data()
            while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) { line += byte }
            port = Int(String(decoding: line, as: UTF8.self)) ?? 0
        }

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

        /// Stops the server and returns the requests it saw.
        func stop() -> [String] {
            // SIGKILL: the child may inherit a signal mask that blocks SIGTERM.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let text = String(decoding: log.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            return text.split(separator: "\n").map(String.init)
        }
    }

    func link(_ url: String, line: Int) -> ExternalLink {
        ExternalLink(url: url, location: SourceLocation(file: "Content/A0.md", line: line, column: 1))
    }

    // Proves: broken links are errors, redirects are warnings, HEAD-less servers and one failure are tolerated.
    @Test func checksAgainstALocalServer() async throws {
        let server = try Server()
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        var checker = ExternalLinkChecker(cacheFile: folder.url.appendingPathComponent("cache.json"), timeout: 2)
        checker.allowPrivate = true  // the test server is on 127.0.0.1
        let diagnostics = await checker.check([
            link(server.url("/ok"), line: 1), link(server.url("/missing"), line: 2), link(server.url("/moved"), line: 3),
            link(server.url("/no-head"), line: 4), link(server.url("/flaky"), line: 5), link(server.url("/slow"), line: 6),
            link(server.url("/ok"), line: 7),
        ])
        let requests = server.stop()
        #expect(diagnostics.map { "\($0.location.line) \($0.severity.rawValue) \($0.rule.rawValue)" } == [
            "2 error broken-external-link", "3 warning external-redirect", "6 error broken-external-link",
        ])
        #expect(diagnostics[0].message == "\(server.url("/missing")) is broken: the server answered 404 Not Found")
        #expect(diagnostics[1].message == "\(server.url("/moved")) redirects to \(server.url("/ok"))")
        #expect(diagnostics[2].message.contains("no answer within 2 seconds"))
        // /ok is asked about once although it is linked twice (the other request is /moved's
        // redirect); /flaky is retried once.
        #expect(requests.filter { $0 == "HEAD /ok" }.count == 2)
        #expect(requests.filter { $0.hasSuffix(" /flaky") }.count == 2)
        #expect(requests.contains("GET /no-head"))
    }

    // Proves: links to this computer and to private networks are skipped with a warning unless
    // allowed, and no request reaches the server.
    @Test func privateAddressesAreSkipped() async throws {
        let server = try Server()
        let checker = ExternalLinkChecker(cacheFile: nil, timeout: 2)
        let diagnostics = await checker.check([
            link(server.url("/ok"), line: 1), link("http://localhost:9/x", line: 2), link("http://10.1.2.3/", line: 3),
            link("http://192.168.0.1/", line: 4), link("http://169.254.169.254/latest/meta-data/", line: 5),
            link("http://[::1]:8080/", line: 6), link("http://172.20.0.1/", line: 7),
        ])
        #expect(server.stop().isEmpty)
        #expect(diagnostics.map { "\($0.location.line) \($0.rule.rawValue)" } == (1...7).map { "\($0) external-link-skipped" })
        #expect(diagnostics[0].message == "\(server.url("/ok")) points to this computer or a private network, so it was not checked")
        #expect(!ExternalLinkChecker.isPrivate("93.184.215.14") && !ExternalLinkChecker.isPrivate("172.32.0.1"))
    }

    // Proves: good answers are cached for a day, so a second check asks the server nothing.
    @Test func answersAreCachedForADay() async throws {
        let server = try Server()
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let cache = folder.url.appendingPathComponent("cache.json")
        var checker = ExternalLinkChecker(cacheFile: cache, timeout: 2)
        checker.allowPrivate = true
        let links = [link(server.url("/ok"), line: 1), link(server.url("/missing"), line: 2)]
        _ = await checker.check(links)
        let second = await checker.check(links)
        let dayLater = await checker.check(links, now: Date().addingTimeInterval(86_400 + 60))
        let requests = server.stop()
        #expect(second.count == 1)
        #expect(dayLater.count == 1)
        #expect(requests.filter { $0 == "HEAD /ok" }.count == 2)
        // A broken link is not cached: it is asked about every time (a 404 is not retried).
        #expect(requests.filter { $0.hasSuffix(" /missing") }.count == 3)
    }
}
