import Foundation
import Testing

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
        #expect(run.stderr == "")
        let pattern = try NSRegularExpression(pattern: "^Built 4 chapters, 9 pages in [0-9]+\\.[0-9]{2} s into Site\\n$")
        #expect(pattern.firstMatch(in: run.stdout, range: NSRange(run.stdout.startIndex..., in: run.stdout)) != nil, "\(run.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("Site/index.html").path))
    }

    // Proves: content errors exit 1 with compiler-style lines on stderr, and no site is written.
    @Test func contentErrorsExitOne() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        _ = try folder.copy(Fixtures.content("broken-links"), as: "Content")
        let run = try guide(["build", "--templates", Fixtures.templates.path], in: folder.url)
        #expect(run.status == 1)
        #expect(run.stderr.contains("\nContent/A0-links.md:4:11: error: no chapter with id 'B9' (did you mean 'B3'?) [broken-chapter-link]\n"))
        #expect(run.stderr.hasSuffix("error: 11 errors; the site was not written\n"))
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("Site").path))
        let checked = try guide(["check"], in: folder.url)
        #expect(checked.status == 1)
        #expect(checked.stdout.hasSuffix("\n11 errors, 4 warnings in 4 chapters\n"))
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
