import Foundation

/// One chapter file with its front matter read, before its Markdown is parsed.
public struct ChapterSource: Sendable {
    public var file: SourceFile
    public var frontMatter: FrontMatter

    /// Lets the chapter file's text go, once it is parsed (see `Chapter.forgetText`).
    mutating func forgetText() {
        file.text = ""
    }
}

/// Everything read from the content folder: settings, chapters, glossary, other files.
public struct GuideSource: Sendable {
    public var contentDirectory: URL
    public var config: GuideConfig
    /// Chapter files in file-name order; only those with a valid id and title.
    public var chapters: [ChapterSource]
    /// Chapters left out of the series (a repeated id, an unknown track, front matter with
    /// no id or title): their bodies are still checked, but they get no page.
    public var unlistedChapters: [ChapterSource]
    public var glossary: Glossary
    /// Relative paths of every file under the content folder that is not a chapter.
    public var otherFiles: Set<String>
    /// Relative paths of every chapter file, including ones whose front matter failed.
    public var chapterFiles: Set<String>
    /// Files that are never read or published (a symbolic link out of the content folder,
    /// a named pipe …), each with the reason.
    public var refusedFiles: [String: RefusedFile] = [:]
    /// How diagnostics name the content folder.
    public var displayRoot = ""
    /// `published-urls.txt`, when the guide has one.
    public var publishedURLs: PublishedURLList?
    /// Chapters of `translations/<language>/` for the languages guide.yml lists, in path order.
    public var translations: [TranslatedChapter] = []
    /// Each language's own words from `translations/<language>/` (title, strings, glossary).
    public var translationSettings: [String: TranslationSettings] = [:]

    /// A content-relative path as diagnostics print it.
    public func display(_ relative: String) -> String { displayRoot.isEmpty ? relative : "\(displayRoot)/\(relative)" }
}

/// A translated chapter (`translations/<language>/…md`) with its front matter read.
public struct TranslatedChapter: Sendable {
    /// The language's id, as guide.yml lists it.
    public var language: String
    public var file: SourceFile
    public var frontMatter: FrontMatter
}

/// A file in the content folder that is never read or published, and why.
public struct RefusedFile: Sendable {
    public var rule: Rule
    /// What is wrong, said of the file ("is a named pipe, not a file; …").
    public var reason: String

    /// The diagnostic at the file itself.
    func diagnostic(_ displayPath: String) -> Diagnostic {
        .error(rule, at: SourceLocation(file: displayPath), "this file \(reason)")
    }
}

/// Why the content folder could not be read at all (exit code 2).
public struct ConfigurationError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Reads the content folder: `guide.yml`, every chapter's front matter, `glossary.yml`.
public enum ContentLoader {
    /// Reads `contentDirectory`, naming files in diagnostics as `displayRoot/relative/path`.
    /// Throws when the folder or its guide.yml cannot be used; content problems go to `log`.
    /// With a `cache` (serve), a chapter file whose text is unchanged keeps its front matter
    /// as it was read last time.
    public static func load(contentDirectory: URL, displayRoot: String, log: DiagnosticLog,
                            cache: FrontMatterCache? = nil) throws -> GuideSource {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: contentDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationError("the content folder '\(displayRoot)' does not exist")
        }
        @Sendable func display(_ relative: String) -> String { displayRoot.isEmpty ? relative : "\(displayRoot)/\(relative)" }

        let configURL = contentDirectory.appendingPathComponent("guide.yml")
        guard fm.fileExists(atPath: configURL.path) else {
            log.report(.error(.guideConfig, at: SourceLocation(file: display("guide.yml")),
                              "there is no guide.yml; create one with at least a 'title:' line"))
            throw ConfigurationError("cannot build without \(display("guide.yml"))")
        }
        let configFile: SourceFile
        do {
            configFile = try SourceFile.read(at: configURL, relativePath: "guide.yml", displayPath: display("guide.yml"))
        } catch {
            log.report(error.diagnostic)
            throw ConfigurationError("cannot read \(display("guide.yml"))")
        }
        let (maybeConfig, configDiagnostics) = GuideConfig.read(configFile)
        log.report(configDiagnostics)
        guard let config = maybeConfig, !configDiagnostics.contains(where: { $0.severity == .error }) else {
            throw ConfigurationError("\(display("guide.yml")) has errors")
        }

        var chapters: [ChapterSource] = []
        var broken: [ChapterSource] = []
        var refusedFiles: [String: RefusedFile] = [:]
        var otherFiles: Set<String> = []
        var chapterFiles: Set<String> = []
        var glossary = Glossary()
        var publishedURLs: PublishedURLList?
        var publishedURLsFile: URL?
        var translations: [TranslatedChapter] = []
        var chapterPaths: [String] = []
        var translationPaths: [(language: String, relative: String)] = []
        var unlistedLanguages: [String: String] = [:]
        var settings: [String: TranslationSettings] = [:]
        // The glossaries (the guide's, then each language's by its id) are read beside the
        // chapters, not one after another before them: a large glossary takes as long to
        // read as dozens of chapters.
        var glossaryFiles: [(language: String?, url: URL, relative: String)] = []
        let languages = Set(config.languages.map(\.id))
        /// Reads one of the guide's own files (never published), reporting its problems.
        @Sendable func readOwn<Value>(_ url: URL, _ relative: String, _ parse: (SourceFile) -> (Value, [Diagnostic])) -> Value? {
            do {
                let (value, diagnostics) = parse(try SourceFile.read(at: url, relativePath: relative, displayPath: display(relative)))
                log.report(diagnostics)
                return value
            } catch {
                log.report(error.diagnostic)
                return nil
            }
        }
        for listed in walk(contentDirectory) {
            let relative = listed.relative
            if let problem = listed.problem {
                refusedFiles[relative] = problem
                // A refused chapter is reported here; a refused other file where a chapter
                // links to it, or here when none does (see LinkResolver).
                if isChapterPath(relative) { log.report(problem.diagnostic(display(relative))) }
                continue
            }
            if relative == "guide.yml" { continue }
            // Made only for the few files read here or kept by address (a URL costs about
            // 12,000 instructions to make).
            var url: URL { contentDirectory.appendingPathComponent(relative, isDirectory: false) }
            func read<Value>(_ parse: (SourceFile) -> (Value, [Diagnostic])) -> Value? { readOwn(url, relative, parse) }
            if relative.hasPrefix(translationsFolder) {
                // Chapters and the language's own guide.yml, strings.yml and glossary.yml are
                // read for listed languages; other files there (a translated picture) are
                // published where a chapter links to them.
                let parts = relative.split(separator: "/", maxSplits: 2).map(String.init)
                guard parts.count == 3 else { continue }
                let language = parts[1]
                guard languages.contains(language) else {
                    if unlistedLanguages[language] == nil { unlistedLanguages[language] = relative }
                    continue
                }
                switch parts[2] {
                case _ where relative.lowercased().hasSuffix(".md"):
                    translationPaths.append((language, relative))
                case "guide.yml":
                    _ = read { file in ((), settings[language, default: TranslationSettings()].readGuide(file)) }
                case "strings.yml":
                    _ = read { file in ((), settings[language, default: TranslationSettings()].readStrings(file)) }
                case "glossary.yml":
                    glossaryFiles.append((language, url, relative))
                default:
                    otherFiles.insert(relative)
                }
                continue
            }
            if relative == PublishedURLList.fileName {
                // Read below, beside the chapters: a large guide lists a hundred thousand addresses.
                publishedURLsFile = url
                continue
            }
            if relative == "glossary.yml" {
                glossaryFiles.append((nil, url, relative))
                continue
            }
            guard isChapterPath(relative) else {
                otherFiles.insert(relative)
                continue
            }
            chapterFiles.insert(relative)
            chapterPaths.append(relative)
        }
        // Chapter files are read and their front matter parsed on every core.
        enum Read: Sendable {
            case failed(Diagnostic)
            case read(SourceFile, FrontMatter, [Diagnostic], readable: Bool)
            /// A glossary, for the guide (nil) or a language; empty when it cannot be read.
            case glossary(language: String?, Glossary)
        }
        /// What one turn of the loop reads.
        enum Item: Sendable {
            /// The files asked for ahead, and the published list.
            case start
            case glossary(Int)
            case chapter(String)
        }
        cache?.begin()
        let (paths, publishedFile) = (chapterPaths, publishedURLsFile)
        // The published list (110,000 lines at 10,000 chapters) is the loop's first item, so
        // that it starts at once and the chapters go to the other cores: as a piece of its
        // own beside the loop, it was only taken once the loop was done, and then ran alone.
        let published = ResultBox<PublishedURLList>()
        let translationFiles = translationPaths.map(\.relative)
        let glossariesToRead = glossaryFiles
        let items = [Item.start] + glossariesToRead.indices.map(Item.glossary) + paths.map(Item.chapter)
        let root = contentDirectory.path
        let reads = parallelMap(items) { item -> Read? in
            let relative: String
            switch item {
            case let .glossary(number):
                let (language, url, relative) = glossariesToRead[number]
                return .glossary(language: language, readOwn(url, relative, Glossary.read) ?? Glossary())
            case let .chapter(path):
                relative = path
            case .start:
                // The chapters and translations are asked for from disk at once, ahead of the
                // other cores reading them one by one (not by serve, which read them moments ago).
                if cache == nil {
                    ReadAhead.filesUnlessInMemory((paths + translationFiles).map { root + "/" + $0 })
                }
                published.value = publishedFile.flatMap { readOwn($0, PublishedURLList.fileName, PublishedURLList.read) }
                return nil
            }
            var diagnostics: [Diagnostic] = []
            let file: SourceFile
            var readable = true
            do throws(SourceFileError) {
                file = try SourceFile.read(path: root + "/" + relative, relativePath: relative, displayPath: display(relative))
            } catch {
                guard let recovered = error.recovered else { return .failed(error.diagnostic) }
                diagnostics.append(error.diagnostic)
                // Read as well as it can be, and set aside: its id still counts, its links are checked.
                file = recovered
                readable = false
            }
            let (matter, found) = cache?.read(file) ?? FrontMatter.read(file)
            return .read(file, matter, diagnostics + found, readable: readable)
        }.dropFirst().map { $0! }
        cache?.finish()
        publishedURLs = published.value
        for (language, first) in unlistedLanguages.sorted(by: { $0.key < $1.key }) {
            log.report(.warning(.translationSource, at: SourceLocation(file: display(first)),
                                "translations/\(language)/ is not a language of this guide, so its chapters are not checked",
                                suggestion: "add it to guide.yml under 'languages', like - {id: \(language), name: …}"))
        }
        let translated = parallelMap(translationPaths) { language, relative -> (TranslatedChapter?, [Diagnostic]) in
            do throws(SourceFileError) {
                let file = try SourceFile.read(path: root + "/" + relative, relativePath: relative, displayPath: display(relative))
                let (matter, found) = FrontMatter.read(file)
                return (TranslatedChapter(language: language, file: file, frontMatter: matter), found)
            } catch {
                return (nil, [error.diagnostic])
            }
        }
        for (chapter, diagnostics) in translated {
            log.report(diagnostics)
            if let chapter { translations.append(chapter) }
        }
        for read in reads {
            guard case let .read(file, matter, diagnostics, readable) = read else {
                switch read {
                case let .failed(diagnostic): log.report(diagnostic)
                case let .glossary(nil, read): glossary = read
                case let .glossary(language?, read): settings[language, default: TranslationSettings()].glossary = read
                case .read: break
                }
                continue
            }
            log.report(diagnostics)
            guard readable else {
                broken.append(ChapterSource(file: file, frontMatter: matter))
                continue
            }
            if let source = matter.source {
                log.report(.warning(.translationSource, at: source.location,
                                    "'source' is for translated chapters, in translations/<language>/; this chapter is not one",
                                    suggestion: "take the 'source' line out"))
            }
            // A chapter whose front matter is broken is still parsed and checked, like a
            // compiler recovers from an error: one mistake, one diagnostic.
            if matter.id != nil, matter.title != nil {
                chapters.append(ChapterSource(file: file, frontMatter: matter))
            } else {
                broken.append(ChapterSource(file: file, frontMatter: matter))
            }
        }
        var (listed, unlisted) = checkCatalog(chapters, config: config, log: log)
        unlisted += broken
        return GuideSource(contentDirectory: contentDirectory, config: config, chapters: listed, unlistedChapters: unlisted,
                           glossary: glossary, otherFiles: otherFiles, chapterFiles: chapterFiles,
                           refusedFiles: refusedFiles, displayRoot: displayRoot, publishedURLs: publishedURLs,
                           translations: translations, translationSettings: settings)
    }

    /// Markdown files are chapters, except under `assets/`, which is copied as it is, and
    /// under `translations/`, whose chapters are translations of these.
    static func isChapterPath(_ relative: String) -> Bool {
        relative.lowercased().hasSuffix(".md") && !relative.hasPrefix("assets/") && !relative.hasPrefix(translationsFolder)
    }

    /// Where translations live: `translations/<language>/`.
    static let translationsFolder = "translations/"

    /// Sets aside repeated ids (reported at each later file) and ids of undeclared tracks.
    static func checkCatalog(_ chapters: [ChapterSource], config: GuideConfig, log: DiagnosticLog)
        -> (listed: [ChapterSource], unlisted: [ChapterSource]) {
        var firstFile: [ChapterID: String] = [:]
        var kept: [ChapterSource] = []
        var unlisted: [ChapterSource] = []
        let tracks = Set(config.tracks.map(\.id))
        for chapter in chapters {
            let matter = chapter.frontMatter
            guard let id = matter.id, let location = matter.idLocation else { continue }
            if let first = firstFile[id] {
                log.report(.error(.duplicateID, at: location, "the id '\(id)' is already used by \(first)",
                                  suggestion: "give this chapter an id of its own"))
                unlisted.append(chapter)
                continue
            }
            firstFile[id] = chapter.file.displayPath
            if config.declaresTracks, !tracks.contains(id.track) {
                let listed = config.tracks.map(\.id).joined(separator: ", ")
                log.report(.error(.unknownTrack, at: location,
                                  "the id '\(id)' is in track '\(id.track)', which guide.yml does not list under 'tracks'",
                                  suggestion: "add a track with 'id: \(id.track)' to guide.yml, or use a listed track (\(listed))"))
                unlisted.append(chapter)
                continue
            }
            kept.append(chapter)
        }
        return (kept, unlisted)
    }

    /// A file found under a folder, or why it must not be read.
    struct ListedFile {
        var relative: String
        var problem: RefusedFile?
    }

    /// The folder `walk` lists, as its refusals name it and say what becomes of a file.
    struct ListedFolder {
        var name: String
        /// What a file refused is not: "published" (content), "used" (templates).
        var refusedIsNot: String
        static let content = ListedFolder(name: "the content folder", refusedIsNot: "published")
        static let templates = ListedFolder(name: "the templates folder", refusedIsNot: "used")
    }

    /// Every file below `directory`, sorted, hidden ones skipped. Nothing is opened: a named
    /// pipe, socket or device is refused by its type (reading one could hang), and so is a
    /// symbolic link that leads outside the folder, loops, or leads nowhere, and a name that
    /// is not UTF-8. Links to folders inside are followed once.
    static func walk(_ directory: URL, folder: ListedFolder = .content) -> [ListedFile] {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath().path
        var result: [ListedFile] = []
        var visited: Set<String> = [root]
        func kind(_ mode: mode_t) -> String? {
            switch mode & S_IFMT {
            case S_IFIFO: return "a named pipe"
            case S_IFSOCK: return "a socket"
            case S_IFCHR, S_IFBLK: return "a device"
            default: return nil
            }
        }
        func visit(_ path: String, _ prefix: String) {
            for (name, type, isUTF8) in entries(path) where !name.hasPrefix(".") {
                let full = path + "/" + name
                let relative = prefix + name
                // Such a name cannot be opened by the text guide reads it as (nor written into
                // a page's address): refused, in its place, not passed over without a word.
                guard isUTF8 else {
                    result.append(ListedFile(relative: relative, problem: RefusedFile(rule: .unsafeFile, reason:
                        "has a name that is not UTF-8 text (shown here with \u{FFFD} where its bytes are not), so guide cannot read it (nor, for a folder, what is in it); rename it with letters, digits and hyphens")))
                    continue
                }
                // A plain file, as the folder lists it: most of a guide's files, asked about
                // no further (a thousand `lstat` calls before anything could be read).
                if type == UInt8(DT_REG) {
                    result.append(ListedFile(relative: relative, problem: nil))
                    continue
                }
                var info = stat()
                guard lstat(full, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFLNK {
                    guard let real = realPath(full) else {
                        let loops = errno == ELOOP
                        result.append(ListedFile(relative: relative, problem: RefusedFile(rule: .unsafeFile, reason: loops
                            ? "is a symbolic link that loops back on itself; replace it with the real file"
                            : "is a symbolic link to a file that does not exist; replace it with the real file")))
                        continue
                    }
                    guard real.hasPrefix(root + "/") else {
                        result.append(ListedFile(relative: relative, problem: RefusedFile(rule: .pathOutsideContent, reason:
                            "leads outside \(folder.name) (it is a symbolic link to '\(real)'), so it is not \(folder.refusedIsNot); copy the file into \(folder.name) instead")))
                        continue
                    }
                    guard stat(real, &info) == 0 else { continue }
                    if info.st_mode & S_IFMT == S_IFDIR {
                        if visited.insert(real).inserted { visit(full, relative + "/") }
                        continue
                    }
                }
                if let kind = kind(info.st_mode) {
                    result.append(ListedFile(relative: relative, problem: RefusedFile(rule: .unsafeFile,
                                                                                      reason: "is \(kind), not a file; remove it from \(folder.name)")))
                } else if info.st_mode & S_IFMT == S_IFDIR {
                    if visited.insert(full).inserted { visit(full, relative + "/") }
                } else if info.st_mode & S_IFMT == S_IFREG {
                    result.append(ListedFile(relative: relative, problem: nil))
                }
            }
        }
        visit(root, "")
        return result.sorted { $0.relative < $1.relative }
    }

    /// The names in a folder, sorted, each with its type as the folder lists it (`DT_REG`
    /// for a plain file; `DT_UNKNOWN` where the file system does not say) and whether it is
    /// UTF-8 (if not, it is shown repaired, with U+FFFD). Empty when the folder cannot be read.
    static func entries(_ path: String) -> [(name: String, type: UInt8, isUTF8: Bool)] {
        guard let folder = opendir(path) else { return [] }
        defer { closedir(folder) }
        var found: [(name: String, type: UInt8, isUTF8: Bool)] = []
        while let entry = readdir(folder) {
            let (name, valid) = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                let bytes = UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self)
                return String(validatingCString: bytes).map { ($0, true) } ?? (String(cString: bytes), false)
            }
            if name == "." || name == ".." { continue }
            found.append((name, entry.pointee.d_type, valid))
        }
        return found.sorted { $0.name < $1.name }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

/// Chapters' front matter as `guide serve` last read it, by file: a file whose text is
/// unchanged is not read again (YAML is most of loading).
public final class FrontMatterCache: @unchecked Sendable {
    /// By file; a file's text is what its front matter is read from.
    private let files = RebuildCache<String, String, (FrontMatter, [Diagnostic])>()

    public init() {}

    func begin() { files.begin() }

    /// What `FrontMatter.read(file)` gives.
    func read(_ file: SourceFile) -> (FrontMatter, [Diagnostic]) {
        files.value(file.displayPath, inputs: file.text) { FrontMatter.read(file) }.value
    }

    /// Forgets files this load did not read.
    func finish() { files.finish() }
}
