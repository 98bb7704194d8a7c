import Foundation
@testable import GuideKit

/// Paths and helpers shared by the tests.
enum Fixtures {
    /// `Tests/Fixtures`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    /// The project's own `Templates/`.
    static let templates = root.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Templates")
    /// The project's own `Content/`.
    static let shippedContent = templates.deletingLastPathComponent().appendingPathComponent("Content")

    static func content(_ name: String) -> URL {
        root.appendingPathComponent(name).appendingPathComponent("Content")
    }

    /// The content folder of a guide of `chapters` chapters written by
    /// `scripts/generate-guide.py` (as `make bench` makes them): a new temporary folder of
    /// its own, which the caller removes.
    static func generatedGuide(chapters: Int) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("guide-test-generated-\(chapters)-\(UUID().uuidString)")
        let script = shippedContent.deletingLastPathComponent().appendingPathComponent("scripts/generate-guide.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, String(chapters), folder.path]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileWriteUnknown) }
        return folder
    }
}

/// A fresh temporary folder, removed when the value is discarded by `cleanup()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("guide-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func cleanup() { try? FileManager.default.removeItem(at: url) }

    /// Writes files given as relative path → text.
    func write(_ files: [String: String]) throws {
        for (path, text) in files {
            let target = url.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: target)
        }
    }

    /// Copies a folder into this one, then applies `edits` (by path in the copy) to its files.
    func copy(_ source: URL, as name: String, editing edits: [String: (String) -> String] = [:]) throws -> URL {
        let target = url.appendingPathComponent(name)
        try FileManager.default.copyItem(at: source, to: target)
        for (path, change) in edits {
            let file = target.appendingPathComponent(path)
            try Data(change(try String(contentsOf: file, encoding: .utf8)).utf8).write(to: file)
        }
        return target
    }
}

/// Makes a file (or, with `isFolder`, a folder) in `folder` whose name is `name`'s bytes as
/// they are, UTF-8 or not (Foundation takes names as strings, so it cannot); false if it
/// cannot be made.
func makeEntry(named name: [UInt8], in folder: URL, isFolder: Bool = false, text: String = "") -> Bool {
    let path = Array(folder.path.utf8) + [UInt8(ascii: "/")] + name + [0]
    return path.withUnsafeBufferPointer { path in
        path.baseAddress!.withMemoryRebound(to: CChar.self, capacity: path.count) { path in
            if isFolder { return mkdir(path, 0o755) == 0 }
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            return Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == text.utf8.count
        }
    }
}

/// Builds a content folder with the project's templates into `output`.
/// The date tests measure review deadlines from, so they do not change with the calendar.
let testToday = Day("2026-11-21")!

func build(content: URL, output: URL, drafts: Bool = false, displayName: String = "Content") -> BuildResult {
    var options = BuildOptions(content: content.path, templates: Fixtures.templates.path, output: output.path,
                               includeDrafts: drafts, today: testToday)
    options.contentDisplay = displayName
    return Pipeline.build(options)
}

/// A build whose chapters keep their text and their whole bodies, as `guide serve`'s do,
/// for tests that read them: a plain build lets each chapter's text go once it is parsed
/// (`ChapterTexts`) and each body once its page is made (`BodiesToRender`).
func buildKeepingChapters(content: URL, output: URL) -> BuildResult {
    var options = BuildOptions(content: content.path, templates: Fixtures.templates.path, output: output.path, today: testToday)
    options.contentDisplay = "Content"
    return Pipeline.rebuild(options, session: ServeSession())
}

/// Checks a content folder, naming files `Content/…` in diagnostics; `forReport`, as
/// `guide report` does (plain-language facts found even without `plain_language:`).
/// A check whose chapters keep their text blocks, which the search index and `ReadingLevel`
/// read: a plain check of a guide without plain-language settings or translations leaves
/// them out (`ParsingOptions.blocks`), and `guide report`, which finds the plain-language
/// facts, keeps them.
func checkKeepingText(content: URL) -> BuildResult { check(content: content, forReport: true) }

func check(content: URL, drafts: Bool = false, today: Day = testToday, forReport: Bool = false) -> BuildResult {
    var options = BuildOptions(content: content.path, templates: Fixtures.templates.path, output: "/nonexistent-output",
                               includeDrafts: drafts, today: today)
    options.contentDisplay = "Content"
    options.plainLanguageFactsAlways = forReport
    return Pipeline.check(options)
}

/// Diagnostics as compact strings, `file:line:col rule`, for exact comparisons.
func compact(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map { "\($0.location.file):\($0.location.line):\($0.location.column) \($0.severity.rawValue) \($0.rule.rawValue)" }
}

/// A page as a reader's browser sees its structure: its links and its element ids.
struct Page {
    let html: String

    init(_ url: URL) throws {
        html = try String(contentsOf: url, encoding: .utf8)
    }

    /// Values of an attribute on every element that has it, in document order.
    func attributes(_ name: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "\\s\(name)=\"([^\"]*)\"")
        let range = NSRange(html.startIndex..., in: html)
        return pattern.matches(in: html, range: range).map {
            decodeEntities(String(html[Range($0.range(at: 1), in: html)!]))
        }
    }

    /// `href`s of the `<a>` elements carrying `rel="…"`.
    func links(rel: String) -> [String] {
        let pattern = try! NSRegularExpression(pattern: "<a [^>]*rel=\"\(rel)\"[^>]*href=\"([^\"]*)\"")
        let range = NSRange(html.startIndex..., in: html)
        return pattern.matches(in: html, range: range).map { String(html[Range($0.range(at: 1), in: html)!]) }
    }

    var ids: Set<String> { Set(attributes("id")) }

    /// The text between `<tag …>` and `</tag>` of the first such element.
    func text(of tag: String) -> String? {
        guard let open = html.range(of: "<\(tag)"), let close = html.range(of: "</\(tag)>", range: open.upperBound..<html.endIndex),
              let end = html.range(of: ">", range: open.upperBound..<close.lowerBound) else { return nil }
        return String(html[end.upperBound..<close.lowerBound])
    }
}

func decodeEntities(_ s: String) -> String {
    s.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
        .replacingOccurrences(of: "&amp;", with: "&")
}

extension ParsedMarkdown {
    /// The body as a site page writes it with the project's own templates, each link led
    /// where its destination says without looking for the target (parser tests only).
    func html(glossary: [GlossaryTerm] = [], links resolved: [ResolvedLink]? = nil) -> String {
        let log = DiagnosticLog()
        var config = GuideConfig()
        config.title = "Test"
        let templates = try! TemplateSet.load(from: Fixtures.templates, displayRoot: "Templates", log: log).withStrings(for: config, log: log)
        let asWritten = self.links.map { link -> ResolvedLink in
            switch LinkTarget(link.destination) {
            case let .chapter(id, anchor): return ResolvedLink(destination: .chapter(ChapterID(id)!, heading: anchor), fillText: nil)
            case let .sameChapter(anchor): return ResolvedLink(destination: .heading(anchor), fillText: nil)
            case let .file(path, fragment): return ResolvedLink(destination: .file(path, fragment: fragment), fillText: nil)
            case let .external(url): return ResolvedLink(destination: .external(url), fillText: nil)
            default: return ResolvedLink(destination: .nowhere, fillText: nil)
            }
        }
        let links = resolved ?? asWritten
        let renderer = BodyRenderer(templates: templates, strings: templates.strings, glossary: Glossary(terms: glossary), policy: .site)
        return renderer.render(BodyRenderer.Chapter(markdown: self, links: links, id: ChapterID("A0")!,
                                                    headingPrefix: renderer.policy.headingPrefix(in: ChapterID("A0")!)))
    }

    /// `html()` with no glossary.
    var html: String { html() }
}
