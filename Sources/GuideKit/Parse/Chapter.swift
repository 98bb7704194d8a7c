import Foundation

/// A chapter with its front matter and parsed Markdown.
public struct Chapter: Sendable {
    public var file: SourceFile
    public var frontMatter: FrontMatter
    public var markdown: ParsedMarkdown
    /// cmark-gfm could not parse it (too slow, or its worker crashed): it has no headings
    /// or links to check, and links to its headings are not reported.
    public var parseFailed = false

    /// The id of a chapter in the series; a chapter set aside for broken front matter may
    /// have none, so code that sees those uses `frontMatter.id`.
    public var id: ChapterID { frontMatter.id! }
    /// The title, or the id when the front matter has no title.
    public var title: String { frontMatter.title ?? frontMatter.rawID ?? file.relativePath }
}

/// The parse stage: every chapter's Markdown, on all cores, in this process or in
/// supervised workers.
public enum ChapterParser {
    /// Parses `sources`; with a `cache` (kept by `guide serve` between rebuilds), a chapter
    /// whose text and glossary are as they were is not parsed again.
    public static func parse(_ sources: [ChapterSource], glossary: Glossary = Glossary(), options: ParsingOptions = ParsingOptions(),
                             log: DiagnosticLog? = nil, cache: ParseCache?) -> [Chapter] {
        parse(sources, glossary: glossary, options: options, log: log, cache: cache, prestarted: nil)
    }

    /// `prestarted` workers, started before the glossary was known, are used first.
    static func parse(_ sources: [ChapterSource], glossary: Glossary, options: ParsingOptions, log: DiagnosticLog?,
                      cache: ParseCache?, prestarted: PrestartedWorkers?) -> [Chapter] {
        guard let cache else {
            var pool: ParserPool?
            if case let .workers(executable) = options.mode, let prestarted {
                pool = ParserPool(executable: executable, options: options, glossary: glossary.terms, prestarted: prestarted)
            }
            return parse(sources, glossary: glossary, options: options, log: log, pool: pool)
        }
        var chapters = [Chapter?](repeating: nil, count: sources.count)
        var missing: [Int] = []
        for (i, source) in sources.enumerated() {
            if let markdown = cache.lookup(source, glossary: glossary.terms) {
                chapters[i] = Chapter(file: source.file, frontMatter: source.frontMatter, markdown: markdown)
            } else {
                missing.append(i)
            }
        }
        var pool: ParserPool?
        if case let .workers(executable) = options.mode, !missing.isEmpty {
            pool = cache.pool(executable: executable, options: options, glossary: glossary.terms)
        }
        let parsed = parse(missing.map { sources[$0] }, glossary: glossary, options: options, log: log, pool: pool)
        for (i, chapter) in zip(missing, parsed) {
            chapters[i] = chapter
            if !chapter.parseFailed { cache.store(sources[i], glossary: glossary.terms, markdown: chapter.markdown) }
        }
        cache.keep(Set(sources.map(\.file.displayPath)))
        cache.lastParsed = missing.count
        return chapters.map { $0! }
    }

    public static func parse(_ sources: [ChapterSource], glossary: Glossary = Glossary(), options: ParsingOptions = ParsingOptions(),
                             log: DiagnosticLog? = nil) -> [Chapter] {
        parse(sources, glossary: glossary, options: options, log: log, pool: nil)
    }

    /// With a `pool` (serve's, which keeps its workers), the workers are its.
    static func parse(_ sources: [ChapterSource], glossary: Glossary, options: ParsingOptions, log: DiagnosticLog?,
                      pool: ParserPool?) -> [Chapter] {
        guard !sources.isEmpty else { return [] }
        switch options.mode {
        case .inProcess:
            let matcher = GlossaryMatcher(terms: glossary.terms)
            return parallelMap(sources) { source in
                Chapter(file: source.file, frontMatter: source.frontMatter,
                        markdown: MarkdownParser.parse(source.file.text, bodyStartLine: source.frontMatter.bodyStartLine, glossary: matcher))
            }
        case let .workers(executable):
            let pool = pool ?? ParserPool(executable: executable, options: options, glossary: glossary.terms)
            let results = pool.parse(sources.map { ($0.file.text, $0.frontMatter.bodyStartLine) })
            return zip(sources, results).map { source, result in
                switch result {
                case let .success(markdown):
                    return Chapter(file: source.file, frontMatter: source.frontMatter, markdown: markdown)
                case let .failure(failure):
                    log?.report(diagnostic(failure, file: source.file, options: options))
                    var chapter = Chapter(file: source.file, frontMatter: source.frontMatter,
                                          markdown: ParsedMarkdown(headings: [], links: [], blocks: [], body: []))
                    chapter.parseFailed = true
                    return chapter
                }
            }
        }
    }

    /// Every translated chapter, parsed with its language's glossary (`translations/<language>/glossary.yml`).
    static func parseTranslations(_ source: GuideSource, options: ParsingOptions, log: DiagnosticLog) -> [(language: String, chapter: Chapter)] {
        var result: [(language: String, chapter: Chapter)] = []
        for language in source.config.languages {
            let chapters = source.translations.filter { $0.language == language.id && $0.frontMatter.id != nil }
            guard !chapters.isEmpty else { continue }
            let glossary = source.translationSettings[language.id]?.glossary ?? Glossary()
            let parsed = parse(chapters.map { ChapterSource(file: $0.file, frontMatter: $0.frontMatter) }, glossary: glossary,
                               options: options, log: log, pool: nil)
            result += parsed.map { (language.id, $0) }
        }
        return result
    }

    /// What went wrong, where the likely cause is when a cheap scan finds one.
    static func diagnostic(_ failure: ParseFailure, file: SourceFile, options: ParsingOptions) -> Diagnostic {
        let suspect = SlowConstruct.find(in: file.text)
        var location = SourceLocation(file: file.displayPath)
        var cause = "look for very long runs of brackets, asterisks, pipes or '<!--'"
        if let suspect {
            location = file.location(line: suspect.line, column: suspect.column)
            cause = "the likely cause is here: \(suspect.description)"
        }
        switch failure {
        case .timedOut:
            let seconds = options.timeout == options.timeout.rounded() ? String(Int(options.timeout)) : String(options.timeout)
            return .error(.parseTimeout, at: location,
                          "cmark-gfm took longer than \(seconds) s on this chapter and was stopped; \(cause)",
                          suggestion: "break the run up, or remove it; a longer limit is --parse-timeout SECONDS")
        case let .crashed(signal, status):
            let how = signal.map { "was stopped by signal \($0)\($0 == SIGABRT ? " (abort)" : $0 == SIGKILL ? " (killed)" : $0 == SIGSEGV ? " (crash)" : "")" }
                ?? status.map { "exited with status \($0)" } ?? "could not be started"
            let gib = Double(options.memoryLimit) / Double(1 << 30)
            return .error(.parseCrash, at: location,
                          "cmark-gfm failed on this chapter (its worker \(how); it may have run out of its \(gib == gib.rounded() ? String(Int(gib)) : String(gib)) GiB of memory), so the chapter was not read; \(cause)")
        }
    }
}

/// A cheap scan for what makes cmark-gfm slow: a line with a thousand or more of one of
/// the characters its inline parser stacks up, or of `<!--`.
enum SlowConstruct {
    struct Found {
        var line: Int
        var column: Int
        var description: String
    }

    static let characters: [UInt8] = Array("[]()|*_>!:`<~".utf8)
    static let threshold = 1000

    static func find(in text: String) -> Found? {
        var counts = [Int](repeating: 0, count: 256)
        var firstColumn = [Int](repeating: 0, count: 256)
        var comments = 0, firstComment = 0
        var line = 1, column = 0
        var bytes = Array(text.utf8)
        bytes.append(0x0A)
        func verdict() -> Found? {
            if comments >= threshold {
                return Found(line: line, column: firstComment, description: "a line with \(comments.formatted()) '<!--'")
            }
            guard let worst = characters.max(by: { counts[Int($0)] < counts[Int($1)] }), counts[Int(worst)] >= threshold else { return nil }
            return Found(line: line, column: firstColumn[Int(worst)],
                         description: "a line with \(counts[Int(worst)].formatted()) '\(Character(Unicode.Scalar(worst)))'")
        }
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x0A || byte == 0x0D {
                if let found = verdict() { return found }
                for c in characters { counts[Int(c)] = 0 }
                comments = 0
                line += 1
                column = 0
                if byte == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                i += 1
                continue
            }
            // Columns count characters: only lead bytes start one.
            if byte & 0xC0 != 0x80 { column += 1 }
            if counts[Int(byte)] == 0 { firstColumn[Int(byte)] = column }
            counts[Int(byte)] += 1
            if byte == UInt8(ascii: "<"), i + 3 < bytes.count, bytes[i + 1] == UInt8(ascii: "!"), bytes[i + 2] == UInt8(ascii: "-"),
               bytes[i + 3] == UInt8(ascii: "-") {
                if comments == 0 { firstComment = column }
                comments += 1
            }
            i += 1
        }
        return nil
    }
}

/// Parsed chapters kept between builds (by `guide serve`), by file: reused while the file's
/// text and the glossary are the same.
public final class ParseCache: @unchecked Sendable {
    private struct Entry {
        var text: String
        var bodyStartLine: Int
        var glossary: [GlossaryTerm]
        var markdown: ParsedMarkdown
    }
    private var entries: [String: Entry] = [:]
    private let lock = NSLock()
    /// How many chapters the last build parsed (for tests and the serve log).
    public internal(set) var lastParsed = 0

    public init() {}

    func lookup(_ source: ChapterSource, glossary: [GlossaryTerm]) -> ParsedMarkdown? {
        lock.withLock {
            guard let entry = entries[source.file.displayPath], entry.text == source.file.text,
                  entry.bodyStartLine == source.frontMatter.bodyStartLine, entry.glossary == glossary else { return nil }
            return entry.markdown
        }
    }

    func store(_ source: ChapterSource, glossary: [GlossaryTerm], markdown: ParsedMarkdown) {
        lock.withLock {
            entries[source.file.displayPath] = Entry(text: source.file.text, bodyStartLine: source.frontMatter.bodyStartLine,
                                                     glossary: glossary, markdown: markdown)
        }
    }

    private var kept: (executable: URL, glossary: [GlossaryTerm], timeout: Double, memoryLimit: Int, pool: ParserPool)?

    /// The worker pool for this glossary, kept between rebuilds; a new one (and the old one's
    /// workers stopped) when the glossary or the limits change.
    func pool(executable: URL, options: ParsingOptions, glossary: [GlossaryTerm]) -> ParserPool {
        lock.withLock {
            if let kept, kept.executable == executable, kept.glossary == glossary, kept.timeout == options.timeout,
               kept.memoryLimit == options.memoryLimit {
                return kept.pool
            }
            let pool = ParserPool(executable: executable, options: options, glossary: glossary, keepsWorkers: true)
            kept = (executable, glossary, options.timeout, options.memoryLimit, pool)
            return pool
        }
    }

    /// Forgets files that are gone.
    func keep(_ paths: Set<String>) {
        lock.withLock { entries = entries.filter { paths.contains($0.key) } }
    }
}
