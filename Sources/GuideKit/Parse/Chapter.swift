import Foundation

/// A chapter with its front matter and parsed Markdown.
public struct Chapter: Sendable {
    // One shared box, copied only when a copy is changed: a chapter is handed between
    // stages, sorted and filtered thousands of times, and its text, front matter and parsed
    // values would otherwise be retained and released one by one at each copy. Its parts
    // are read in place (`_read`), not copied out.
    private final class Storage: @unchecked Sendable {
        var file: SourceFile
        var frontMatter: FrontMatter
        var markdown: ParsedMarkdown
        var parseFailed: Bool
        var placeholders: [PlaceholderUse] = []
        init(file: SourceFile, frontMatter: FrontMatter, markdown: ParsedMarkdown, parseFailed: Bool, placeholders: [PlaceholderUse] = []) {
            (self.file, self.frontMatter, self.markdown, self.parseFailed) = (file, frontMatter, markdown, parseFailed)
            self.placeholders = placeholders
        }
    }
    private var storage: Storage

    public init(file: SourceFile, frontMatter: FrontMatter, markdown: ParsedMarkdown, parseFailed: Bool = false) {
        storage = Storage(file: file, frontMatter: frontMatter, markdown: markdown, parseFailed: parseFailed)
    }

    private mutating func unique() -> Storage {
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage(file: storage.file, frontMatter: storage.frontMatter, markdown: storage.markdown, parseFailed: storage.parseFailed,
                              placeholders: storage.placeholders)
        }
        return storage
    }

    public var file: SourceFile {
        _read { yield storage.file }
        _modify { yield &unique().file }
    }
    public var frontMatter: FrontMatter {
        _read { yield storage.frontMatter }
        _modify { yield &unique().frontMatter }
    }
    public var markdown: ParsedMarkdown {
        _read { yield storage.markdown }
        _modify { yield &unique().markdown }
    }
    /// cmark-gfm could not parse it (too slow, or its worker crashed): it has no headings
    /// or links to check, and links to its headings are not reported.
    public var parseFailed: Bool {
        _read { yield storage.parseFailed }
        _modify { yield &unique().parseFailed }
    }
    /// Where the chapter still has text that `guide new` wrote for its author to replace:
    /// found while parsing, as a build lets the text go after it.
    public var placeholders: [PlaceholderUse] {
        _read { yield storage.placeholders }
        _modify { yield &unique().placeholders }
    }

    /// Lets the chapter's text go, which a build needs only to parse it (76 MB at 10,000
    /// chapters); serve keeps it, to see what an edit changed. In place: a chapter held
    /// once keeps its box, where a changed copy would copy the box and free the old one.
    mutating func forgetText() {
        file.text = ""
    }

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
        parse(sources, glossary: glossary, translations: [], options: options, log: log, cache: cache, prestarted: nil).chapters
    }

    public static func parse(_ sources: [ChapterSource], glossary: Glossary = Glossary(), options: ParsingOptions = ParsingOptions(),
                             log: DiagnosticLog? = nil) -> [Chapter] {
        parse(sources, glossary: glossary, translations: [], options: options, log: log, cache: nil, prestarted: nil).chapters
    }

    /// One language's translated chapters, and the glossary they are parsed with
    /// (`translations/<language>/glossary.yml`).
    struct Translations {
        var language: String
        var sources: [ChapterSource]
        var glossary: Glossary
    }

    /// Every translated chapter of `source`, by language.
    static func translations(of source: GuideSource) -> [Translations] {
        source.config.languages.compactMap { language in
            let chapters = source.translations.filter { $0.language == language.id && $0.frontMatter.id != nil }
            guard !chapters.isEmpty else { return nil }
            return Translations(language: language.id, sources: chapters.map { ChapterSource(file: $0.file, frontMatter: $0.frontMatter) },
                                glossary: source.translationSettings[language.id]?.glossary ?? Glossary())
        }
    }

    /// The guide's chapters and its translations' together, on the same workers (each
    /// chapter with its language's glossary). `prestarted` workers, started before the
    /// glossaries were known, are used first.
    ///
    /// With `letsTextsGo` (a build's, which reads no chapter's text after parsing), each
    /// chapter comes back without its text, and the text of each of `sources` is let go as
    /// its chapter is made: for that, the caller hands over `sources` with nothing else
    /// holding their texts.
    static func parse(_ sources: consuming [ChapterSource], glossary: Glossary, translations: [Translations], options: ParsingOptions,
                      log: DiagnosticLog?, cache: ParseCache?, prestarted: PrestartedWorkers?, letsTextsGo: Bool = false)
        -> (chapters: [Chapter], translated: [(language: String, chapter: Chapter)]) {
        // A cache keeps each text, to compare with the next build's.
        let letsTextsGo = letsTextsGo && cache == nil
        let glossaries = [glossary] + translations.map(\.glossary)
        let sourceCount = sources.count
        var jobs = (consume sources).map { Job(source: $0, glossary: 0) }
            + translations.enumerated().flatMap { number, language in language.sources.map { Job(source: $0, glossary: number + 1) } }
        var chapters = [Chapter?](repeating: nil, count: jobs.count)
        var missing: [Int] = []
        var kept: [Int] = []
        for (i, job) in jobs.enumerated() {
            if let markdown = cache?.lookup(job.source, glossary: glossaries[job.glossary].terms, proseFacts: job.proseFacts(options),
                                            englishFacts: options.englishFacts) {
                chapters[i] = Chapter(file: job.source.file, frontMatter: job.source.frontMatter, markdown: markdown)
                kept.append(i)
            } else {
                missing.append(i)
            }
        }
        var pool: ParserPool?
        if case let .workers(executable) = options.mode, !missing.isEmpty {
            let terms = glossaries.map(\.terms)
            pool = cache?.pool(executable: executable, options: options, glossaries: terms)
                ?? ParserPool(executable: executable, options: options, glossaries: terms, prestarted: prestarted)
        }
        // The texts to parse are held here alone, when they may go.
        let texts = ChapterTexts(missing.map { jobs[$0].source.file.text })
        if letsTextsGo {
            for i in jobs.indices { jobs[i].source.forgetText() }
        }
        let parsed = parse(missing.map { jobs[$0] }, texts: texts, letsTextsGo: letsTextsGo, glossaries: glossaries, options: options,
                           log: log, pool: pool)
        for (i, chapter) in zip(missing, parsed) {
            chapters[i] = chapter
            if !chapter.parseFailed {
                cache?.store(jobs[i].source, glossary: glossaries[jobs[i].glossary].terms, proseFacts: jobs[i].proseFacts(options),
                             englishFacts: options.englishFacts, markdown: chapter.markdown)
            }
        }
        if let cache {
            cache.keep(Set(jobs.map(\.source.file.displayPath)))
            cache.lastParsed = missing.count
        }
        // A parsed chapter's placeholders were found as it was made; those of a chapter whose
        // parse was kept from the last build (serve) are found here.
        for (i, chapter) in zip(kept, parallelMap(kept.map { chapters[$0]! }, withPlaceholders)) { chapters[i] = chapter }
        let done = chapters.map { $0! }
        var translated: [(language: String, chapter: Chapter)] = []
        var next = sourceCount
        for language in translations {
            translated += done[next..<(next + language.sources.count)].map { (language.language, $0) }
            next += language.sources.count
        }
        return (Array(done.prefix(sourceCount)), translated)
    }

    /// Each chapter with the glossary of its number, its text the same-numbered of `texts`;
    /// with a `pool`, in its workers.
    private static func parse(_ jobs: [Job], texts: ChapterTexts, letsTextsGo: Bool, glossaries: [Glossary], options: ParsingOptions,
                              log: DiagnosticLog?, pool: ParserPool?) -> [Chapter] {
        guard !jobs.isEmpty else { return [] }
        /// Job `index`'s file with its text.
        @Sendable func file(_ index: Int) -> SourceFile {
            var file = jobs[index].source.file
            file.text = texts[index]
            return file
        }
        /// The chapter of job `index` as parsed, with the placeholders its text still has;
        /// then, with `letsTextsGo`, without its text, and the text let go.
        @Sendable func made(_ index: Int, _ markdown: ParsedMarkdown, failed: Bool = false) -> Chapter {
            var chapter = Chapter(file: file(index), frontMatter: jobs[index].source.frontMatter, markdown: markdown, parseFailed: failed)
            chapter = withPlaceholders(chapter)
            if letsTextsGo {
                chapter.forgetText()
                texts.release(index)
            }
            return chapter
        }
        guard let pool else {
            let matchers = glossaries.map { GlossaryMatcher(terms: $0.terms) }
            return parallelMap(Array(jobs.indices)) { index in
                let job = jobs[index]
                return made(index, MarkdownParser.parse(texts[index], bodyStartLine: job.source.frontMatter.bodyStartLine,
                                                        glossary: matchers[job.glossary], proseFacts: job.proseFacts(options),
                                                        englishFacts: options.englishFacts, bodies: options.bodies, blocks: options.blocks))
            }
        }
        // Each chapter is made as its answer comes, on the thread that read it, while the
        // workers parse the next: made after the last answer, they held up the build.
        return pool.parse(jobs.map { ($0.source.frontMatter.bodyStartLine, $0.glossary) }, texts: texts) { index, result in
            switch result {
            case let .success(markdown):
                return made(index, markdown)
            case let .failure(failure):
                log?.report(diagnostic(failure, file: file(index), options: options))
                return made(index, ParsedMarkdown(headings: [], links: [], blocks: [], body: []), failed: true)
            }
        }
    }

    /// `chapter` with the placeholder text it still has, found while its text is at hand
    /// (and set only where found: setting a chapter's value copies its shared storage).
    @Sendable private static func withPlaceholders(_ chapter: Chapter) -> Chapter {
        let found = PlaceholderUse.find(in: chapter.file, bodyStartLine: chapter.frontMatter.bodyStartLine)
        guard !found.isEmpty else { return chapter }
        var chapter = chapter
        chapter.placeholders = found
        return chapter
    }

    /// A chapter to parse, and the number of its glossary (the guide's is 0).
    private struct Job: Sendable {
        var source: ChapterSource
        var glossary: Int

        /// Whether this chapter gets its plain-language facts (`findsProseFacts`).
        func proseFacts(_ options: ParsingOptions) -> Bool { ParsingOptions.findsProseFacts(options.proseFacts, glossary: glossary) }
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
        var proseFacts: Bool
        var englishFacts: Bool
        var markdown: ParsedMarkdown
    }
    private var entries: [String: Entry] = [:]
    private let lock = NSLock()
    /// How many chapters the last build parsed (for tests and the serve log).
    public internal(set) var lastParsed = 0

    public init() {}

    func lookup(_ source: ChapterSource, glossary: [GlossaryTerm], proseFacts: Bool, englishFacts: Bool) -> ParsedMarkdown? {
        lock.withLock {
            guard let entry = entries[source.file.displayPath], entry.text == source.file.text,
                  entry.bodyStartLine == source.frontMatter.bodyStartLine, entry.glossary == glossary,
                  entry.proseFacts == proseFacts, entry.englishFacts == englishFacts else { return nil }
            return entry.markdown
        }
    }

    func store(_ source: ChapterSource, glossary: [GlossaryTerm], proseFacts: Bool, englishFacts: Bool, markdown: ParsedMarkdown) {
        lock.withLock {
            entries[source.file.displayPath] = Entry(text: source.file.text, bodyStartLine: source.frontMatter.bodyStartLine,
                                                     glossary: glossary, proseFacts: proseFacts, englishFacts: englishFacts, markdown: markdown)
        }
    }

    private var kept: (executable: URL, glossaries: [[GlossaryTerm]], timeout: Double, memoryLimit: Int, proseFacts: Bool,
                       englishFacts: Bool, pool: ParserPool)?

    /// The worker pool for these glossaries, kept between rebuilds; a new one (and the old
    /// one's workers stopped) when a glossary, the limits, `proseFacts` or `englishFacts` change.
    func pool(executable: URL, options: ParsingOptions, glossaries: [[GlossaryTerm]]) -> ParserPool {
        lock.withLock {
            if let kept, kept.executable == executable, kept.glossaries == glossaries, kept.timeout == options.timeout,
               kept.memoryLimit == options.memoryLimit, kept.proseFacts == options.proseFacts, kept.englishFacts == options.englishFacts {
                return kept.pool
            }
            let pool = ParserPool(executable: executable, options: options, glossaries: glossaries, keepsWorkers: true)
            kept = (executable, glossaries, options.timeout, options.memoryLimit, options.proseFacts, options.englishFacts, pool)
            return pool
        }
    }

    /// Forgets files that are gone.
    func keep(_ paths: Set<String>) {
        lock.withLock { entries = entries.filter { paths.contains($0.key) } }
    }
}
