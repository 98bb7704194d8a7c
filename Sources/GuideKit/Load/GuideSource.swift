import Foundation

/// One chapter file with its front matter read, before its Markdown is parsed.
public struct ChapterSource: Sendable {
    public var file: SourceFile
    public var frontMatter: FrontMatter
}

/// Everything read from the content folder: settings, chapters, glossary, other files.
public struct GuideSource: Sendable {
    public var contentDirectory: URL
    public var config: GuideConfig
    /// Chapter files in file-name order; only those with a valid id and title.
    public var chapters: [ChapterSource]
    /// Chapters left out of the series (a repeated id, an unknown track): their links are
    /// still checked, but they get no page.
    public var unlistedChapters: [ChapterSource]
    public var glossary: Glossary
    /// Relative paths of every file under the content folder that is not a chapter.
    public var otherFiles: Set<String>
    /// Relative paths of every chapter file, including ones whose front matter failed.
    public var chapterFiles: Set<String>
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
    public static func load(contentDirectory: URL, displayRoot: String, log: DiagnosticLog) throws -> GuideSource {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: contentDirectory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationError("the content folder '\(displayRoot)' does not exist")
        }
        func display(_ relative: String) -> String { displayRoot.isEmpty ? relative : "\(displayRoot)/\(relative)" }

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
            log.report(.error(.unreadableFile, at: SourceLocation(file: display("guide.yml")), "guide.yml cannot be read as UTF-8 text"))
            throw ConfigurationError("cannot read \(display("guide.yml"))")
        }
        let (maybeConfig, configDiagnostics) = GuideConfig.read(configFile)
        log.report(configDiagnostics)
        guard let config = maybeConfig, !configDiagnostics.contains(where: { $0.severity == .error }) else {
            throw ConfigurationError("\(display("guide.yml")) has errors")
        }

        var chapters: [ChapterSource] = []
        var otherFiles: Set<String> = []
        var chapterFiles: Set<String> = []
        var glossary = Glossary()
        for relative in listFiles(in: contentDirectory) {
            let url = contentDirectory.appendingPathComponent(relative)
            if relative == "guide.yml" { continue }
            if relative == "glossary.yml" {
                do {
                    let file = try SourceFile.read(at: url, relativePath: relative, displayPath: display(relative))
                    let (read, diagnostics) = Glossary.read(file)
                    glossary = read
                    log.report(diagnostics)
                } catch {
                    log.report(.error(.unreadableFile, at: SourceLocation(file: display(relative)), "glossary.yml cannot be read as UTF-8 text"))
                }
                continue
            }
            guard isChapterPath(relative) else {
                otherFiles.insert(relative)
                continue
            }
            chapterFiles.insert(relative)
            let file: SourceFile
            do {
                file = try SourceFile.read(at: url, relativePath: relative, displayPath: display(relative))
            } catch {
                log.report(.error(.unreadableFile, at: SourceLocation(file: display(relative)), "this chapter cannot be read as UTF-8 text"))
                continue
            }
            let (matter, diagnostics) = FrontMatter.read(file)
            log.report(diagnostics)
            if matter.id != nil, matter.title != nil {
                chapters.append(ChapterSource(file: file, frontMatter: matter))
            }
        }
        let (listed, unlisted) = checkCatalog(chapters, config: config, log: log)
        return GuideSource(contentDirectory: contentDirectory, config: config, chapters: listed, unlistedChapters: unlisted,
                           glossary: glossary, otherFiles: otherFiles, chapterFiles: chapterFiles)
    }

    /// Markdown files are chapters, except under `assets/`, which is copied as it is.
    static func isChapterPath(_ relative: String) -> Bool {
        relative.lowercased().hasSuffix(".md") && !relative.hasPrefix("assets/")
    }

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

    /// Every file below `directory`, as sorted relative paths; hidden files are skipped.
    static func listFiles(in directory: URL) -> [String] {
        let fm = FileManager.default
        let root = directory.standardizedFileURL.path
        guard let enumerator = fm.enumerator(atPath: root) else { return [] }
        var result: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                enumerator.skipDescendants()
                continue
            }
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                result.append(relative)
            }
        }
        return result.sorted()
    }
}
