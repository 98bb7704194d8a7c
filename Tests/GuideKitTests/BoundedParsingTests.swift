import Foundation
import Testing
@testable import GuideKit

/// No input can hang or crash a run: our own passes are linear, and cmark-gfm runs in
/// supervised workers with a time limit.
@Suite struct BoundedParsingTests {
    /// A chapter body of one shape, and what it is.
    static let ownShapes: [(String, String)] = [
        ("20,000 links on one line", String(repeating: "[a](A0) ", count: 20_000)),
        ("30,000 www. autolinks on one line", String(repeating: "www.example.com/x ", count: 30_000)),
        ("30,000 identical headings", String(repeating: "## Same\n\ntext\n\n", count: 30_000)),
        ("raw HTML, markers and bad links, 10,000 each on one line",
         String(repeating: "a<br> [!URGENT] [x](A 1) ", count: 10_000)),
    ]

    // Proves: each of our own shapes that used to take minutes (positions counted from the
    // line start per link, autolinks searched from the start, slugs retried from -1) is
    // parsed in seconds; a generous bound, as the machine is shared.
    @Test(arguments: 0..<4)
    func ownPassesAreLinear(shape: Int) {
        let (name, body) = Self.ownShapes[shape]
        let start = Date()
        let parsed = MarkdownParser.parse("# Shape\n\n" + body + "\n")
        let seconds = Date().timeIntervalSince(start)
        #expect(seconds < 15, "\(name): \(seconds) s")
        #expect(!parsed.body.isEmpty)
        if shape == 2 {
            #expect(parsed.headings.last?.slug == "same-29999")
        }
        if shape == 1 {
            // Every autolink found at its own place, not the block's start.
            #expect(parsed.links.last?.position == SourcePosition(line: 3, column: 18 * 29_999 + 1))
        }
    }

    // Proves: a template of one long line with 50,000 tags (a minified layout) is read for
    // its lint in seconds, not once per tag, and each tag's column counts characters ('é'
    // is one); a generous bound, as the machine is shared.
    @Test func templateTagsAreReadOnce() {
        let start = Date()
        let tags = TemplateLint.tags(in: String(repeating: "é{{a}}", count: 50_000))
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(tags.count == 50_000)
        #expect(tags.last?.line == 1 && tags.last?.column == 6 * 49_999 + 2)
    }

    /// The cmark-gfm 0.29.0.gfm.6 shapes (2023 CVEs) that take it far longer than a second.
    static let cmarkShapes: [(name: String, body: String, line: Int, column: Int, suspect: String)] = [
        ("images in brackets", String(repeating: "![[]()", count: 50_000), 7, 2, "a line with 100,000 '['"),
        ("nested strong emphasis", String(repeating: "*a **a ", count: 65_000) + "b" + String(repeating: " a** a*", count: 65_000),
         7, 1, "a line with 390,000 '*'"),
        ("a table row of pipes", "| a |\n| --- |\n" + String(repeating: "|", count: 150_000), 9, 1, "a line with 150,000 '|'"),
    ]

    // Proves: a chapter that takes cmark-gfm longer than the limit is stopped and reported at
    // the likely cause; another chapter's broken link is still reported; exit 1; within the
    // limit plus a few seconds; and a build leaves the old site untouched.
    @Test(arguments: 0..<3)
    func slowChaptersAreStopped(shape: Int) throws {
        let (name, body, line, column, suspect) = Self.cmarkShapes[shape]
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([
            "Content/guide.yml": "title: T\n",
            "Content/A0-slow.md": "---\nid: A0\ntitle: Slow\nreviewed: 2026-10-01\n---\n\n" + body + "\n",
            "Content/A1-other.md": "---\nid: A1\ntitle: Other\nreviewed: 2026-10-01\n---\n\nSee [](A0) and [nowhere](B9).\n",
            "Site/.guide-output": "old\n", "Site/index.html": "old site",
        ])
        let start = Date()
        let run = try runGuide(["check", "--parse-timeout", "1"], in: folder.url)
        #expect(Date().timeIntervalSince(start) < 8, "\(name)")
        #expect(run.status == 1)
        #expect(run.stdout == """
            Content/A0-slow.md:\(line):\(column): error: cmark-gfm took longer than 1 s on this chapter and was stopped; the likely cause is here: \(suspect) (break the run up, or remove it; a longer limit is --parse-timeout SECONDS) [parse-timeout]
            Content/A1-other.md:7:16: error: no chapter with id 'B9' [broken-chapter-link]
            2 errors, 0 warnings in 2 chapters

            """, "\(name)")
        let built = try runGuide(["build", "--parse-timeout", "1", "--templates", Fixtures.templates.path], in: folder.url)
        #expect(built.status == 1)
        #expect(try String(contentsOf: folder.url.appendingPathComponent("Site/index.html"), encoding: .utf8) == "old site")
    }

    // Proves: a worker that aborts is reported on its chapter, replaced, and the chapters
    // after it are still parsed and checked.
    @Test func crashingWorkerIsReplaced() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        var files = ["Content/guide.yml": "title: T\n"]
        for n in 0..<6 {
            let body = n == 2 ? "CRASH-HERE\n" : "See [](A\((n + 1) % 6)) and [x](B\(n)).\n"
            files["Content/A\(n)-c.md"] = "---\nid: A\(n)\ntitle: C\(n)\nreviewed: 2026-10-01\n---\n\n" + body
        }
        try folder.write(files)
        let run = try runGuide(["check"], in: folder.url, environment: ["GUIDE_WORKER_TEST_ABORT": "CRASH-HERE"])
        #expect(run.status == 1)
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("Content/A2-c.md: error: cmark-gfm failed on this chapter (its worker was stopped by signal 6 (abort); it may have run out of its 2 GiB of memory), so the chapter was not read; look for very long runs of brackets, asterisks, pipes or '<!--' [parse-crash]"))
        // Every other chapter's broken link is reported: all were parsed.
        #expect(lines.filter { $0.hasSuffix("[broken-chapter-link]") }.count == 5)
    }

    // Proves: a worker is sent chapters ahead of its answers, and they are not lost when the
    // worker fails first: with one worker, the chapters behind a chapter that times out and
    // those behind a chapter that crashes are parsed by the next worker;
    // a chapter bigger than a pipe holds, and its answer, pass without either side waiting on
    // the other; every answer comes back in order.
    @Test func oneWorkerPassesOnTheChapterSentAhead() throws {
        let marker = "CRASH-HERE-SENT-AHEAD"
        setenv("GUIDE_WORKER_TEST_ABORT", marker, 1)
        defer { unsetenv("GUIDE_WORKER_TEST_ABORT") }
        let big = (0..<2_000).map { "## Part \($0)\n\nA paragraph of plain words about part \($0), with [a link](A0).\n" }.joined(separator: "\n")
        let bodies = ["# Zero\n", Self.cmarkShapes[0].body, "# Two\n", marker + "\n", "# Four\n", "# Big\n\n" + big, "# Six\n"]
        let sources = bodies.enumerated().map { n, body in
            let file = SourceFile(relativePath: "A\(n)-c.md", displayPath: "Content/A\(n)-c.md", text: "---\nid: A\(n)\ntitle: C\(n)\n---\n\n" + body)
            return ChapterSource(file: file, frontMatter: FrontMatter.read(file).0)
        }
        #expect(sources[5].file.text.utf8.count > 2 * 65_536)
        var options = ParsingOptions(mode: .workers(executable: CommandLineTests.binary), timeout: 1)
        options.workerCount = 1
        let log = DiagnosticLog()
        let chapters = ChapterParser.parse(sources, options: options, log: log)
        #expect(chapters.map(\.parseFailed) == [false, true, false, true, false, false, false])
        #expect(chapters.map { $0.markdown.headings.first?.text } == ["Zero", nil, "Two", nil, "Four", "Big", "Six"])
        #expect(chapters[5].markdown.headings.count == 2_001)
        #expect(log.diagnostics.map { "\($0.location.file) \($0.rule)" } == ["Content/A1-c.md parseTimeout", "Content/A3-c.md parseCrash"])
    }

    // Proves: a build's parse, which lets each chapter's text go as the chapter is made,
    // gives the chapters a parse that keeps the text gives, less the text: the same Markdown,
    // placeholders still to replace, failures and messages (a timed-out chapter's likely
    // cause still found in its text), in workers and in this process.
    @Test(arguments: [true, false])
    func chaptersParsedLettingTheirTextGoAreTheSame(inWorkers: Bool) {
        // Only workers stop a parse that takes too long.
        let bodies = ["# Zero\n\n\(NewChapter.placeholders[0]) and [a link](A1).\n", inWorkers ? Self.cmarkShapes[0].body : "# One\n",
                      "# Two\n\nWords.\n"]
        let sources = bodies.enumerated().map { n, body in
            let file = SourceFile(relativePath: "A\(n)-c.md", displayPath: "Content/A\(n)-c.md", text: "---\nid: A\(n)\ntitle: C\(n)\n---\n\n" + body)
            return ChapterSource(file: file, frontMatter: FrontMatter.read(file).0)
        }
        var options = ParsingOptions()
        if inWorkers {
            options = ParsingOptions(mode: .workers(executable: CommandLineTests.binary), timeout: 1)
            options.workerCount = 1
        }
        func parse(lettingTextsGo: Bool) -> ([Chapter], [String]) {
            let log = DiagnosticLog()
            let chapters = ChapterParser.parse(sources, glossary: Glossary(), translations: [], options: options, log: log, cache: nil,
                                               prestarted: nil, letsTextsGo: lettingTextsGo).chapters
            return (chapters, log.diagnostics.map { DiagnosticFormatter.line($0) })
        }
        let (kept, keptMessages) = parse(lettingTextsGo: false)
        let (parsed, messages) = parse(lettingTextsGo: true)
        #expect(kept.map(\.file.text) == sources.map(\.file.text))
        #expect(parsed.map(\.file.text) == ["", "", ""])
        #expect(parsed.map(\.markdown) == kept.map(\.markdown))
        #expect(parsed.map(\.placeholders) == kept.map(\.placeholders))
        #expect(parsed[0].placeholders.map(\.line) == [8])
        #expect(parsed.map(\.parseFailed) == kept.map(\.parseFailed))
        #expect(messages == keptMessages)
        if inWorkers {
            #expect(parsed.map(\.parseFailed) == [false, true, false])
            #expect(messages.count == 1 && messages[0].hasPrefix("Content/A1-c.md:6:2: error: cmark-gfm took longer than 1 s"))
        }
    }

    // Proves: serve's parse cache keeps its workers between rebuilds (the same processes
    // parse the next change), and a kept worker that was stopped meanwhile is replaced
    // without a word: the chapter is parsed all the same.
    @Test func serveKeepsItsWorkers() throws {
        func source(_ n: Int, _ body: String) -> ChapterSource {
            let file = SourceFile(relativePath: "A\(n)-c.md", displayPath: "Content/A\(n)-c.md",
                                  text: "---\nid: A\(n)\ntitle: C\(n)\n---\n\n" + body)
            return ChapterSource(file: file, frontMatter: FrontMatter.read(file).0)
        }
        var options = ParsingOptions(mode: .workers(executable: CommandLineTests.binary))
        options.workerCount = 1
        let cache = ParseCache()
        let first = ChapterParser.parse([source(0, "# One\n"), source(1, "# Two\n")], options: options, cache: cache)
        #expect(first.map { $0.markdown.headings.first?.text } == ["One", "Two"])
        let pool = cache.pool(executable: CommandLineTests.binary, options: options, glossaries: [[]])
        let kept = pool.idleProcesses
        #expect(kept.count == 1)
        let second = ChapterParser.parse([source(0, "# One again\n"), source(1, "# Two\n")], options: options, cache: cache)
        #expect(second.first?.markdown.headings.first?.text == "One again" && cache.lastParsed == 1)
        #expect(pool.idleProcesses == kept)
        kill(kept[0], SIGKILL)
        usleep(100_000)
        let third = ChapterParser.parse([source(0, "# One, third\n"), source(1, "# Two\n")], options: options, cache: cache)
        #expect(third.first?.markdown.headings.first?.text == "One, third" && !third[0].parseFailed)
        #expect(pool.idleProcesses.count == 1 && pool.idleProcesses != kept)
    }

    // Proves: workers a command line starts before its arguments are read are taken by the
    // run whose options ask for the same workers (once), and they parse; a run that asks for
    // other workers does not get them (they are stopped, their input closed), nor does any
    // run once they were stopped.
    @Test func workersStartedEarlyGoToTheRunThatAsksForThem() throws {
        var options = ParsingOptions(mode: .workers(executable: CommandLineTests.binary))
        options.workerCount = 1
        // A limit no other test asks for, so no other run can take these workers.
        options.memoryLimit = 1 << 30
        options.startWorkersEarly()
        var other = options
        other.workerCount = 2
        #expect(PrestartedWorkers.early(executable: CommandLineTests.binary, options: other) == nil)
        #expect(PrestartedWorkers.early(executable: CommandLineTests.binary, options: options) == nil)

        options.startWorkersEarly()
        let early = try #require(PrestartedWorkers.early(executable: CommandLineTests.binary, options: options))
        #expect(PrestartedWorkers.early(executable: CommandLineTests.binary, options: options) == nil)
        let pool = ParserPool(executable: CommandLineTests.binary, options: options, glossaries: [[]], keepsWorkers: true, prestarted: early)
        let started = pool.idleProcesses
        #expect(started.count == 1)
        let parsed = pool.parse([(text: "# Early\n\nWords.\n", bodyStartLine: 1, glossary: 0)]) { _, result in
            (try? result.get())?.headings.first?.text
        }
        #expect(parsed == ["Early"])
        #expect(pool.idleProcesses == started)

        // Workers no run takes (a command line that asked for help) are stopped.
        options.startWorkersEarly()
        ParsingOptions.stopWorkersStartedEarly()
        #expect(PrestartedWorkers.early(executable: CommandLineTests.binary, options: options) == nil)
    }

    // Proves: a guide's chapters and its translations' are parsed by the same workers, each
    // chapter with its own language's glossary, and come back in their order and language.
    @Test func translationsShareTheWorkers() throws {
        func source(_ path: String, _ body: String) -> ChapterSource {
            let file = SourceFile(relativePath: path, displayPath: "Content/" + path, text: "---\nid: A0\ntitle: C\n---\n\n" + body)
            return ChapterSource(file: file, frontMatter: FrontMatter.read(file).0)
        }
        func glossary(_ term: String) -> Glossary {
            Glossary(terms: [GlossaryTerm(term: term, abbr: nil, aliases: [], definition: "D.", location: SourceLocation(file: "g"))])
        }
        var options = ParsingOptions(mode: .workers(executable: CommandLineTests.binary))
        options.workerCount = 1
        let spanish = ChapterParser.Translations(language: "es", sources: [source("translations/es/A0.md", "La fiebre y el fever.\n")],
                                                 glossary: glossary("fiebre"))
        let (chapters, translated) = ChapterParser.parse([source("A0.md", "A fever, not fiebre.\n")], glossary: glossary("Fever"),
                                                         translations: [spanish], options: options, log: nil, cache: nil, prestarted: nil)
        #expect(chapters.map(\.markdown.glossaryTermsUsed) == [["Fever"]])
        #expect(translated.map(\.language) == ["es"])
        #expect(translated.map(\.chapter.markdown.glossaryTermsUsed) == [["fiebre"]])
        #expect(translated.map(\.chapter.file.displayPath) == ["Content/translations/es/A0.md"])
    }

    // Proves: a worker's answer reads back as exactly the value parsed, for every chapter of the
    // shipped guide and of the fixtures (problems, FAQs, optional sections included), and a
    // truncated answer is refused rather than misread.
    @Test func workerAnswersRoundTrip() throws {
        let glossary = GlossaryMatcher(terms: [GlossaryTerm(term: "Fever", abbr: "F", aliases: ["high temperature"], definition: "D.",
                                                            location: SourceLocation(file: "g"))])
        var compared = 0
        for content in [Fixtures.shippedContent, Fixtures.content("check-trust"), Fixtures.content("basic")] {
            for name in try FileManager.default.contentsOfDirectory(atPath: content.path) where name.hasSuffix(".md") {
                guard let text = try? String(contentsOf: content.appendingPathComponent(name), encoding: .utf8) else { continue }
                let parsed = MarkdownParser.parse(text, glossary: glossary)
                let bytes = parsed.binaryEncoded()
                #expect(ParsedMarkdown(binary: bytes) == parsed, "\(name)")
                #expect(ParsedMarkdown(binary: Array(bytes.dropLast(3))) == nil)
                compared += 1
            }
        }
        #expect(compared > 20)
    }

    // Proves: frames come back whole and in order however the pipe brings them: several
    // in one read, one larger than the reader's buffer, one whose bytes come in two writes
    // (its header apart); with nothing to read, the deadline ends the wait; a frame cut off
    // by the end of input is no frame.
    @Test func framesAreReadWholeHoweverTheyCome() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
        var reader = FrameReader(ends[0])
        let small: [UInt8] = Array("one".utf8), large = [UInt8]((0..<200_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        // Written on another thread: the large frame is more than the pipe holds.
        let input = ends[1]
        let writer = Thread {
            _ = Frames.write(input, small)
            _ = Frames.write(input, [])
            _ = Frames.write(input, large)
            _ = Frames.writeAll(input, Frames.header(5))
            Thread.sleep(forTimeInterval: 0.05)
            _ = Frames.writeAll(input, Array("later".utf8))
        }
        writer.start()
        var read: [[UInt8]] = []
        for _ in 0..<4 {
            guard case let .frame(bytes) = reader.next(deadline: Date().addingTimeInterval(10)) else { break }
            read.append(bytes)
        }
        #expect(read == [small, [], large, Array("later".utf8)])
        guard case .timedOut = reader.next(deadline: Date().addingTimeInterval(0.05)) else {
            Issue.record("a read with nothing to read waits for its deadline")
            return
        }
        _ = Frames.writeAll(ends[1], Frames.header(10) + Array("cut".utf8))
        close(ends[1])
        guard case .closed = reader.next(deadline: Date().addingTimeInterval(10)) else {
            Issue.record("a frame cut off by the end of input is not read as one")
            return
        }
    }

    // Proves: the cheap scan points at the first long run, at its line and column.
    @Test func slowConstructScan() {
        let found = SlowConstruct.find(in: "fine\nalso fine\n  a" + String(repeating: "<!--", count: 1_200) + "\n")
        #expect(found.map { "\($0.line):\($0.column) \($0.description)" } == "3:4 a line with 1,200 '<!--'")
        #expect(SlowConstruct.find(in: String(repeating: "[a] ", count: 999)) == nil)
    }

    func runGuide(_ arguments: [String], in folder: URL, environment: [String: String] = [:]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = CommandLineTests.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

