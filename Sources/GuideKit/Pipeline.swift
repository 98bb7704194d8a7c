import Foundation

/// What to build, and where.
public struct BuildOptions: Sendable {
    public var contentDirectory: URL
    /// How diagnostics name the content folder (`Content`, as the author typed it).
    public var contentDisplay: String
    /// The folder whose templates override the built-in ones; nil for the built-in set alone.
    public var templatesDirectory: URL?
    public var templatesDisplay: String
    public var outputDirectory: URL
    public var includeDrafts: Bool
    /// The date review deadlines are measured against.
    public var today: Day
    /// In this process (the default, for tests) or in supervised workers (the CLI).
    public var parsing = ParsingOptions()
    /// Find every chapter's plain-language facts even when guide.yml has no
    /// `plain_language:` settings (`guide report` lists them with the default thresholds);
    /// otherwise only a guide that checks them has them found.
    public var plainLanguageFactsAlways = false
    /// Published addresses that would break: errors, or (`--accept-removed-urls`) taken
    /// out of `published-urls.txt`.
    public var removedURLs = RemovedURLPolicy.refuse

    public init(content: String = "Content", templates: String? = nil, output: String = "Site", includeDrafts: Bool = false,
                today: Day? = nil, workingDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        func resolve(_ path: String) -> URL {
            path.hasPrefix("/") ? URL(fileURLWithPath: path) : workingDirectory.appendingPathComponent(path)
        }
        func tidy(_ path: String) -> String {
            var p = path
            while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
            return p == "." ? "" : p
        }
        contentDirectory = resolve(content).standardizedFileURL
        contentDisplay = tidy(content)
        let templatesPath = templates ?? BuildOptions.defaultTemplates(workingDirectory: workingDirectory, content: contentDirectory)
        templatesDirectory = templatesPath.map { resolve($0).standardizedFileURL }
        templatesDisplay = templatesPath.map(tidy) ?? TemplateSet.builtInRoot
        outputDirectory = resolve(output).standardizedFileURL
        self.includeDrafts = includeDrafts
        self.today = today ?? BuildOptions.defaultToday()
    }

    /// `SOURCE_DATE_EPOCH` when set (reproducible builds), else the system date, in UTC.
    public static func defaultToday(environment: [String: String]? = nil) -> Day {
        if let epoch = (environment.map { $0["SOURCE_DATE_EPOCH"] } ?? Environment.value("SOURCE_DATE_EPOCH")).flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            return Day(unixTime: epoch)
        }
        return Day(unixTime: Int(Date().timeIntervalSince1970))
    }

    /// `Templates/` in the working folder, else beside the content folder, else none: the
    /// templates built into guide.
    static func defaultTemplates(workingDirectory: URL, content: URL) -> String? {
        let fm = FileManager.default
        let here = workingDirectory.appendingPathComponent("Templates")
        let beside = content.deletingLastPathComponent().appendingPathComponent("Templates")
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: here.path, isDirectory: &isDirectory), isDirectory.boolValue { return "Templates" }
        if fm.fileExists(atPath: beside.path, isDirectory: &isDirectory), isDirectory.boolValue { return beside.path }
        return nil
    }
}

/// What a run produced: its diagnostics and counts, and whether it failed.
public struct BuildResult: Sendable {
    public enum Outcome: Sendable, Equatable {
        case success
        /// Content errors: exit code 1.
        case contentErrors
        /// Usage or configuration problems that stopped the run: exit code 2.
        case configurationError(String)
    }
    public var outcome: Outcome
    public var diagnostics: [Diagnostic]
    public var chapterCount = 0
    public var pageCount = 0
    public var seconds = 0.0
    /// What was read and linked. A check's chapters keep only their bodies' urgency boxes
    /// (`ParsingOptions.bodies`): it renders no page. Nor do they keep their text blocks,
    /// unless the guide has plain-language settings or translations (`ParsingOptions.blocks`).
    /// A build's chapters keep the same: its pages took their bodies (`BodiesToRender`),
    /// its search index their text blocks (`TextBlocksToCount`).
    public var guide: Guide?
    /// How each chapter stands in each language of `languages:` (`guide translate-status`).
    public var translations: [TranslationStatus] = []
    /// Each language's edition of the guide (`Site/<language>/`).
    public var editions: [LanguageEdition] = []
    /// What each language's pages hold, in a sentence, so that a chapter shown in the
    /// source language is never a surprise.
    public var translationsNote: String? {
        guard !editions.isEmpty else { return nil }
        return editions.map { edition in
            let total = edition.pages.count, translated = edition.translatedIDs.count
            let stale = edition.pages.values.filter { $0 == .stale }.count
            var text = "\(edition.folder) (\(edition.language.name)): \(translated) of \(total) chapters translated"
            if stale > 0 { text += ", \(stale) from an older source" }
            let source = SiteEdition.ownName(of: guide?.config.language ?? "en")
            switch total - translated {
            case 0: break
            case 1: text += "; the other chapter is shown in \(source) with a notice"
            case let rest: text += "; the other \(rest) are shown in \(source) with a notice"
            }
            return text + "."
        }.joined(separator: "\n")
    }
    /// What `build` did to `published-urls.txt`, in a sentence; nil when it is unchanged.
    public var publishedURLsNote: String?

    public var exitCode: Int32 {
        switch outcome {
        case .success: return 0
        case .contentErrors: return 1
        case .configurationError: return 2
        }
    }
}

/// The pipeline: Content/ → sources → chapters → linked guide → pages → Site/.
/// `check` runs the same stages without rendering or writing.
public enum Pipeline {
    public static func build(_ options: BuildOptions) -> BuildResult {
        run(options, write: true, session: nil)
    }

    /// A rebuild for `guide serve`: chapters unchanged since the last build of `session` are
    /// not parsed again, and the site folder is brought up to date in place, file by file,
    /// only where bytes differ. The files are the same as a clean `build` writes.
    public static func rebuild(_ options: BuildOptions, session: ServeSession) -> BuildResult {
        // An address the edit would break is a warning here: the preview shows the edit, and
        // check and build refuse it until a redirect is added.
        var options = options
        if options.removedURLs == .refuse { options.removedURLs = .warn }
        return run(options, write: true, session: session)
    }

    public static func check(_ options: BuildOptions) -> BuildResult {
        run(options, write: false, session: nil)
    }

    static func run(_ options: BuildOptions, write: Bool, session: ServeSession?) -> BuildResult {
        let start = Date()
        let timer = StageTimer()
        let log = DiagnosticLog()
        func result(_ outcome: BuildResult.Outcome) -> BuildResult {
            BuildResult(outcome: outcome, diagnostics: log.diagnostics, seconds: Date().timeIntervalSince(start))
        }
        // The stages up to the checks, in a function of their own: what they read and made
        // that the render stage does not take is let go when it returns.
        func checkStage() throws -> CheckStage {
            // A build's parse workers start now, while the content is read (serve keeps its own),
            // unless the command line started them already (`PrestartedWorkers.startEarly`).
            let prestarted: PrestartedWorkers?
            if session == nil, case let .workers(executable) = options.parsing.mode {
                prestarted = PrestartedWorkers.early(executable: executable, options: options.parsing)
                    ?? PrestartedWorkers(executable: executable, options: options.parsing)
            } else {
                prestarted = nil
            }
            if write {
                try SiteWriter.checkOutputPath(options.outputDirectory, content: options.contentDirectory, templates: options.templatesDirectory)
            }
            // Check loads and checks the templates as build does, so it reports the same
            // template mistakes (a template that is the built-in one is known to read, and is
            // only linted); only rendering the pages, which finds nothing, is left to build.
            // The templates are read while the content is read and parsed, neither needing the
            // other; the content's messages count only when the templates could be read, as
            // if it were read after them. A build first looks through the output folder for
            // files it did not write, on the same thread: a refused folder stops the run
            // before any message about the content or templates, as if it were looked at first.
            let contentLog = DiagnosticLog(), templateLog = DiagnosticLog()
            let ((outputChecked, readTemplates), readContent) = concurrently({ () -> (Result<Void, Error>, Result<TemplateSet, Error>) in
                let checked = Result { if write { try SiteWriter.checkOutputEntries(options.outputDirectory, readAhead: session == nil) } }
                return (checked, Result { try TemplateSet.load(from: options.templatesDirectory, displayRoot: options.templatesDisplay,
                                                               log: templateLog, cache: session?.templateCache, forChecking: !write) })
            }, {
                Result { () throws -> (GuideSource, parsed: [Chapter], translated: [(language: String, chapter: Chapter)]) in
                    var source = try ContentLoader.load(contentDirectory: options.contentDirectory, displayRoot: options.contentDisplay,
                                                        log: contentLog, cache: session?.frontMatterCache)
                    timer.lap("load content")
                    // Translations are parsed on the same workers, each with its language's glossary.
                    var parsing = options.parsing
                    parsing.proseFacts = parsing.proseFacts && (options.plainLanguageFactsAlways || source.config.plainLanguage != nil)
                    parsing.englishFacts = PlainLanguageChecks.isEnglish(source.config.language)
                    // A check renders no page: only the bodies' urgency boxes come back, and text
                    // blocks only for the checks that read them.
                    parsing.bodies = parsing.bodies && write
                    parsing.blocks = parsing.blocks && (write || parsing.proseFacts || !source.config.languages.isEmpty)
                    // Past parsing, a build reads no chapter's text: each is let go as its chapter is
                    // parsed, so the parser holds the only copy. Serve keeps them, and check, which
                    // ends without freeing anything, has no use for freeing them early.
                    let letsTextsGo = write && session == nil
                    let chapterSources = source.chapters + source.unlistedChapters
                    let translations = ChapterParser.translations(of: source)
                    if letsTextsGo {
                        for i in source.chapters.indices { source.chapters[i].forgetText() }
                        for i in source.unlistedChapters.indices { source.unlistedChapters[i].forgetText() }
                    }
                    let (parsed, translated) = ChapterParser.parse(consume chapterSources, glossary: source.glossary, translations: translations,
                                                                   options: parsing, log: contentLog, cache: session?.parseCache,
                                                                   prestarted: prestarted, letsTextsGo: letsTextsGo)
                    return (source, parsed, translated)
                }
            })
            try outputChecked.get()
            log.report(templateLog.diagnostics)
            let loaded = try readTemplates.get()
            log.report(contentLog.diagnostics)
            let (source, parsed, translated) = try readContent.get()
            let templates = loaded.withStrings(for: source.config, log: log)
            timer.lap("load templates, parse")
            reportProblems(of: parsed, to: log)
            reportProblems(of: translated.map(\.chapter), to: log)
            let guide = LinkResolver.resolve(Array(parsed.prefix(source.chapters.count)), unlisted: Array(parsed.dropFirst(source.chapters.count)),
                                             source: source, includeDrafts: options.includeDrafts, log: log, cache: session?.linkCache)
            timer.lap("link")
            // The guide's own checks run beside the translations' and the published addresses'
            // (which need the translations); neither reads what the other finds.
            let writesList = write && session == nil
            let (_, (translations, editions, addresses)) = concurrently({
                GuideChecks.run(guide, today: options.today, log: log)
            }, { () -> ([TranslationStatus], [LanguageEdition], [String]) in
                let translations = TranslationCheck.run(source.translations, chapters: parsed, series: guide.chapters.map(\.id),
                                                        config: source.config, log: log)
                // Translations are linked within their language.
                let editions = LanguageEditions.resolve(guide, translations: translated, statuses: translations, source: source,
                                                        includeDrafts: options.includeDrafts, log: log)
                for edition in editions where !edition.translated.contains(where: \.chapter.parseFailed) {
                    GuideChecks.checkGlossaryUse(edition.guide.glossary, in: edition.translated, language: edition.language.id, log: log)
                }
                let addresses = PublishedURLCheck.run(guide, editions: editions, list: source.publishedURLs, policy: options.removedURLs,
                                                      writes: writesList, log: log)
                return (translations, editions, addresses)
            })
            let editionTemplates = editions.map { loaded.withStrings(for: $0.guide.config, log: log) }

            timer.lap("check")
            if log.hasErrors {
                var failed = result(.contentErrors)
                failed.chapterCount = parsed.count
                failed.translations = translations
                failed.editions = editions
                // Kept for tests and tools that look at what was read, though nothing is written.
                failed.guide = guide
                return .failed(failed)
            }
            return .checked(Checked(guide: guide, templates: templates, editionTemplates: editionTemplates, translations: translations,
                                    editions: editions, addresses: addresses, publishedFile: source.publishedURLs?.file,
                                    publishedDisplay: source.display(PublishedURLList.fileName), chaptersRead: parsed.count))
        }
        do {
            var checked: Checked
            switch try checkStage() {
            case let .failed(failed): return failed
            case let .checked(value): checked = value
            }
            // The search index is built while the pages render. GUIDE_NO_SEARCH_INDEX=1 leaves it
            // out, for `make bench` to measure what the index adds to a build.
            let withIndex = Environment.value("GUIDE_NO_SEARCH_INDEX") == nil
            // A build's index is the last reader of the chapters' text blocks: it is handed
            // them (serve keeps its chapters whole, for the next rebuild).
            let blocksToCount = write && session == nil && withIndex ? checked.handOverTextBlocks() : nil
            // And its pages are the last readers of the chapters' bodies (serve keeps them).
            let bodiesToRender = write && session == nil ? BodiesToRender(checked.guide.takingBodies()) : nil
            let (guide, templates, editionTemplates) = (checked.guide, checked.templates, checked.editionTemplates)
            let (translations, editions, addresses) = (checked.translations, checked.editions, checked.addresses)
            var outcome = result(.success)
            // A build counts the chapters it published; a check, every chapter it read.
            outcome.chapterCount = write ? guide.chapters.count : checked.chaptersRead
            outcome.guide = guide
            outcome.translations = translations
            outcome.editions = editions
            if write {
                let contentDirectory = options.contentDirectory
                // Each file is written as soon as it is made, into a folder swapped in at the end
                // (or, for serve, into the site folder where its bytes changed).
                let staging: SiteWriter.Sink
                if let session, let update = SiteWriter.Update(output: options.outputDirectory, written: session.written) {
                    staging = update
                } else {
                    staging = try SiteWriter.Staging(output: options.outputDirectory)
                }
                let pages = PageCounter()
                let renderCaches = session?.renderCaches
                let searchCache = session?.searchCache
                renderCaches?.begin(templates: templates, guide: guide)
                // Each translation has caches of its own in serve.
                let editionCaches = editions.map { session?.caches(forLanguage: $0.language.id) }
                for ((edition, caches), languageTemplates) in zip(zip(editions, editionCaches), editionTemplates) {
                    caches?.render.begin(templates: languageTemplates, guide: edition.guide, sourceGlossary: guide.glossary)
                }
                let emit: @Sendable (OutputFile) -> Void = { file in
                    if file.path.hasSuffix(".html") { pages.increment() }
                    staging.emit(file)
                }
                let sites = SiteEdition.all(guide, editions: editions)
                // The pages and index of each language, all at once, on every core. Each
                // translation also brings the files only its chapters link to.
                var work: [@Sendable () -> Void] = [{
                    SiteRenderer.render(guide, templates: templates, contentDirectory: contentDirectory, caches: renderCaches,
                                        edition: sites[0], pagesWithPrint: session == nil, bodies: bodiesToRender, emit: emit)
                    timer.lap("render (beside index)", since: .check)
                }]
                if withIndex {
                    work.append {
                        SearchIndex.write(guide, blocks: blocksToCount, cache: searchCache, emit: emit)
                        timer.lap("index (beside render)", since: .check)
                    }
                }
                for (index, edition) in editions.enumerated() {
                    let (site, languageTemplates, caches) = (sites[index + 1], editionTemplates[index], editionCaches[index])
                    work.append {
                        SiteRenderer.render(edition.guide, templates: languageTemplates, contentDirectory: contentDirectory, caches: caches?.render,
                                            edition: site, pagesWithPrint: session == nil, emit: emit)
                        for path in Set(edition.guide.files).subtracting(guide.files).sorted() {
                            emit(OutputFile(path: path, contents: .copy(of: contentDirectory.appendingPathComponent(path))))
                        }
                        timer.lap("\(edition.folder) render (beside the rest)", since: .check)
                    }
                    if withIndex { work.append { SearchIndex.write(edition.searchable, cache: caches?.search, folder: edition.folder, emit: emit) } }
                }
                // The published list's new text is made beside the pages too, last: made first,
                // its working memory added to the build's peak (15-20 MB at 10,000 chapters). It
                // is written only once the site is.
                let publishedText = ResultBox<String>()
                if session == nil { work.append { publishedText.value = PublishedURLList.text(addresses) } }
                runConcurrently(work)
                timer.lap("render and index")
                do {
                    try staging.commit()
                } catch {
                    staging.abandon()
                    // Some files may not be what the caches say was written last.
                    session?.renderCaches.pages.clear()
                    for caches in editionCaches { caches?.render.pages.clear() }
                    session?.written.clear()
                    throw error
                }
                timer.lap("commit")
                for caches in [renderCaches] + editionCaches.map({ $0?.render }) {
                    caches?.pages.finish()
                    caches?.bodies.finish()
                }
                outcome.pageCount = pages.count
                session?.lastWritten = (staging as? SiteWriter.Update)?.changed
                // Only a build publishes: serve's previews never add to the list.
                if session == nil {
                    do {
                        outcome.publishedURLsNote = try PublishedURLList.write(addresses, text: publishedText.value, over: checked.publishedFile,
                                                                                 contentDirectory: options.contentDirectory,
                                                                                 display: checked.publishedDisplay)
                    } catch {
                        outcome.diagnostics.append(.warning(.publishedURLs, at: SourceLocation(file: checked.publishedDisplay),
                                                            "could not be written: \(error.localizedDescription)",
                                                            suggestion: "the site was written; make the content folder writable and build again to keep the list"))
                    }
                }
            }
            outcome.seconds = Date().timeIntervalSince(start)
            timer.report()
            return outcome
        } catch let error as ConfigurationError {
            return result(.configurationError(error.description))
        } catch {
            return result(.configurationError("could not write the site: \(error.localizedDescription)"))
        }
    }
}

extension Pipeline {
    /// What the stages up to the checks hand on: the content's errors, or what the render
    /// stage takes.
    enum CheckStage {
        case failed(BuildResult)
        case checked(Checked)
    }

    /// The checked guide and what comes with it, for the render stage (or a check's result).
    /// Not the content as read: a build's pages are made from the guide alone.
    struct Checked {
        var guide: Guide
        var templates: TemplateSet
        var editionTemplates: [TemplateSet]
        var translations: [TranslationStatus]
        var editions: [LanguageEdition]
        /// The site's addresses now, for `published-urls.txt`.
        var addresses: [String]
        /// That file as it was read (nil when there was none), and how messages name it.
        var publishedFile: SourceFile?
        var publishedDisplay: String
        var chaptersRead: Int

        /// Takes the text blocks out of the guide's chapters and out of the source chapters
        /// each translation shows, for the search index: nothing else holds them then, so
        /// each chapter's are let go once counted. An edition's own index reads its
        /// translations' blocks, which stay.
        mutating func handOverTextBlocks() -> TextBlocksToCount {
            let blocks = TextBlocksToCount(guide.takingTextBlocks())
            for index in editions.indices {
                let pages = editions[index].pages
                editions[index].guide.dropTextBlocks { $0.map { pages[$0] == .fallback } ?? false }
            }
            return blocks
        }
    }

    /// What the parser noticed in each chapter (an unknown callout, raw HTML), at its place.
    static func reportProblems(of chapters: [Chapter], to log: DiagnosticLog) {
        for chapter in chapters {
            log.report(chapter.markdown.problems.map {
                Diagnostic($0.severity, $0.rule, at: chapter.file.location($0.position), $0.message, suggestion: $0.suggestion)
            })
        }
    }
}

/// Counts pages written from several threads.
final class PageCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}

/// What `guide serve` keeps between rebuilds (`Pipeline.rebuild`).
public final class ServeSession: @unchecked Sendable {
    public let parseCache = ParseCache()
    /// Each chapter's resolved links, kept while it and every link target are unchanged.
    let linkCache = LinkCache()
    /// The templates, kept while their files are unchanged.
    let templateCache = TemplateCache()
    /// Chapters' front matter, kept while their text is unchanged.
    let frontMatterCache = FrontMatterCache()
    /// Pages and chapter bodies of the last build, reused where what they are made from is unchanged.
    let renderCaches = RenderCaches()
    /// What the updates wrote, so unchanged files are not read back.
    let written = SiteWriter.WrittenFiles()
    /// Each chapter's share of the search index, reused where its documents are unchanged.
    let searchCache = SearchCache()
    /// Each translation's render and search caches, by language, made at its first rebuild.
    private let languageLock = NSLock()
    private var languageCaches: [String: (render: RenderCaches, search: SearchCache)] = [:]

    func caches(forLanguage language: String) -> (render: RenderCaches, search: SearchCache) {
        languageLock.withLock {
            if let kept = languageCaches[language] { return kept }
            let made = (RenderCaches(), SearchCache())
            languageCaches[language] = made
            return made
        }
    }

    /// Pages the last rebuild rendered, by path (the rest were unchanged).
    public var lastRendered: [String] {
        let translations = languageLock.withLock { languageCaches.values.flatMap { $0.render.pages.rendered } }
        return (renderCaches.pages.rendered + translations).sorted()
    }
    /// Files the last rebuild wrote (changed or new); nil when it wrote a whole new site.
    public internal(set) var lastWritten: Int?
    public init() {}
}

/// Wall time of each stage, printed to standard error when `GUIDE_TIMINGS=1`: for
/// `make bench` and for finding where a slow build spends its time. Each stage timed from
/// the one before also says how many cores this process kept busy meanwhile (its parse
/// workers, other processes, are not counted): less than the machine has is time a core
/// waited.
final class StageTimer: @unchecked Sendable {
    enum Mark { case previous, check }
    private let enabled = Environment.value("GUIDE_TIMINGS") == "1"
    private let lock = NSLock()
    private let start = DispatchTime.now().uptimeNanoseconds
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = StageTimer.cpuNanoseconds()
    private var checkDone: UInt64 = 0
    private var laps: [(name: String, seconds: Double, cores: Double?)] = []

    func lap(_ name: String, since mark: Mark = .previous) {
        guard enabled else { return }
        lock.withLock {
            let now = DispatchTime.now().uptimeNanoseconds
            let from = mark == .check ? checkDone : last
            var cores: Double?
            if mark == .previous {
                let cpu = StageTimer.cpuNanoseconds()
                if now > last { cores = Double(cpu - lastCPU) / Double(now - last) }
                last = now
                lastCPU = cpu
            }
            laps.append((name, Double(now - from) / 1e9, cores))
            if name == "check" { checkDone = now }
        }
    }

    func report() {
        guard enabled else { return }
        let total = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var text = ""
        for lap in laps {
            text += "\(lap.name): \(Int(lap.seconds * 1000)) ms"
            if let cores = lap.cores { text += " (\(String(format: "%.1f", cores)) cores)" }
            text += "\n"
        }
        text += "total: \(Int(total * 1000)) ms\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// User and system time of every thread of this process so far.
    private static func cpuNanoseconds() -> UInt64 {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func nanoseconds(_ t: timeval) -> UInt64 { UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_usec) * 1000 }
        return nanoseconds(usage.ru_utime) + nanoseconds(usage.ru_stime)
    }
}
