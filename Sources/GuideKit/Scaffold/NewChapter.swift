import Foundation

/// `guide new`: a new chapter file with complete front matter, as a draft.
public enum NewChapter {
    /// Why a chapter could not be created.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes `<content>/<ID>-<title slug>.md` and returns its path; refuses a malformed or
    /// taken id, a track guide.yml does not list, or a file that exists.
    public static func create(id rawID: String, title: String, contentDirectory: URL, displayRoot: String, today: Day) throws -> String {
        let id = try chapterID(rawID)
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Problem(description: "the title must not be empty") }
        let source = try load(contentDirectory, displayRoot: displayRoot)
        if let taken = (source.chapters + source.unlistedChapters).first(where: { $0.frontMatter.id == id }) {
            throw Problem(description: "the id '\(id)' is already used by \(taken.file.displayPath)")
        }
        if source.config.declaresTracks, !source.config.tracks.contains(where: { $0.id == id.track }) {
            let listed = source.config.tracks.map(\.id).joined(separator: ", ")
            throw Problem(description: "guide.yml lists no track '\(id.track)' (it lists \(listed)); add it under 'tracks' first")
        }
        let slug = SlugGenerator.slug(trimmed).split(separator: "-").prefix(6).joined(separator: "-")
        let name = slug.isEmpty ? "\(id).md" : "\(id)-\(slug).md"
        let url = contentDirectory.appendingPathComponent(name)
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw Problem(description: "\(displayRoot)/\(name) already exists")
        }
        let text = """
        ---
        id: \(id)
        title: \(yamlQuoted(trimmed))
        summary: \(placeholders[0])
        # reviewed: \(today)      # the date of the last medical review; add it when the chapter has been reviewed
        # reviewer: Name, credentials
        related: []
        draft: true               # remove this line to publish the chapter
        ---

        # \(trimmed)

        \(placeholders[1])

        ## Frequently asked questions

        ### \(placeholders[2])

        \(placeholders[3])

        ## References

        - \(placeholders[4])

        """
        try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        return displayRoot.isEmpty ? name : "\(displayRoot)/\(name)"
    }

    /// The id an author typed, or why it is not one.
    static func chapterID(_ raw: String) throws -> ChapterID {
        guard let id = ChapterID(raw) else {
            throw Problem(description: "'\(raw)' is not a chapter id; an id is capital letters then digits, like A0 or B12")
        }
        return id
    }

    /// The guide as it is now, or why it cannot be read.
    static func load(_ contentDirectory: URL, displayRoot: String) throws -> GuideSource {
        do {
            return try ContentLoader.load(contentDirectory: contentDirectory, displayRoot: displayRoot, log: DiagnosticLog())
        } catch {
            throw Problem(description: "\(error)")
        }
    }

    /// The example text a new chapter holds, for the author to replace; `guide check`
    /// warns about any left in a published chapter.
    static let placeholders = [
        "One or two plain sentences about this chapter, for the home page and search results.",
        "Start with what the reader most needs to know, in short sentences.",
        "A question people really ask?",
        "A short, plain answer.",
        "A real source, cited by name.",
    ]

    /// A title as YAML: quoted when it holds characters YAML would read otherwise.
    static func yamlQuoted(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isLetter || $0.isNumber || " -,.()'?".contains($0) } && !text.hasPrefix("-")
        if plain { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}

extension NewChapter {
    /// Writes `translations/<language>/<ID>-<source title slug>.md`: the source chapter's
    /// front matter and text to translate in place, its `source:` version, and
    /// `draft: true`, so the site keeps showing the source page until the translation is
    /// done. Returns its path; refuses a language guide.yml does not list, a chapter that
    /// does not exist, or a translation that exists.
    public static func createTranslation(of rawID: String, language: String, title: String?, contentDirectory: URL, displayRoot: String) throws -> String {
        let id = try chapterID(rawID)
        let source = try load(contentDirectory, displayRoot: displayRoot)
        guard source.config.languages.contains(where: { $0.id == language }) else {
            let listed = source.config.languages.map(\.id)
            throw Problem(description: "'\(language)' is not one of the guide's languages (\(listed.isEmpty ? "guide.yml lists none; add 'languages: [{id: \(language), name: …}]'" : listed.joined(separator: ", ")))")
        }
        guard let chapter = (source.chapters + source.unlistedChapters).first(where: { $0.frontMatter.id == id }) else {
            let ids = source.chapters.compactMap { $0.frontMatter.id?.description }
            throw Problem(description: "there is no chapter \(id)" + (closestMatch(to: id.description, in: ids).map { " (did you mean '\($0)'?)" } ?? ""))
        }
        if let existing = source.translations.first(where: { $0.language == language && $0.frontMatter.id == id }) {
            throw Problem(description: "\(id) already has a translation into \(language): \(existing.file.displayPath)")
        }
        let parsed = ChapterParser.parse([chapter])[0]
        let version = SourceVersion.of(parsed).version
        let matter = chapter.frontMatter
        let body = chapter.file.lines.dropFirst(max(0, matter.bodyStartLine - 1)).joined(separator: "\n")
        let slug = SlugGenerator.slug(matter.title ?? id.description).split(separator: "-").prefix(6).joined(separator: "-")
        let relative = "translations/\(language)/" + (slug.isEmpty ? "\(id).md" : "\(id)-\(slug).md")
        let url = contentDirectory.appendingPathComponent(relative)
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw Problem(description: "\(displayRoot.isEmpty ? relative : "\(displayRoot)/\(relative)") already exists")
        }
        var lines = ["---", "id: \(id)", "title: \(yamlQuoted(title ?? matter.title ?? id.description))"]
        if let summary = matter.summary { lines.append("summary: \(yamlQuoted(summary))") }
        lines += [
            "source: \(id)@\(version.text)",
            "draft: true               # remove this line when the translation is done and reviewed",
            "---",
        ]
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data((lines.joined(separator: "\n") + "\n" + body + (body.hasSuffix("\n") ? "" : "\n")).utf8).write(to: url, options: .withoutOverwriting)
        return displayRoot.isEmpty ? relative : "\(displayRoot)/\(relative)"
    }
}

/// Text that `guide new` writes for the author to replace, where a chapter still has it.
public struct PlaceholderUse: Sendable, Equatable {
    public var text: String
    public var line: Int
    /// 1 in the front matter, where diagnostics point at the key.
    public var column: Int

    /// Every line of `file` with placeholder text (the first placeholder on it).
    static func find(in file: SourceFile, bodyStartLine: Int) -> [PlaceholderUse] {
        guard NewChapter.placeholders.contains(where: { file.text.containsBytes(of: $0) }) else { return [] }
        var found: [PlaceholderUse] = []
        for (index, line) in file.lines.enumerated() {
            guard let placeholder = NewChapter.placeholders.first(where: { line.contains($0) }) else { continue }
            let inFrontMatter = index + 1 < bodyStartLine
            let column = inFrontMatter ? 1 : line.distance(from: line.startIndex, to: line.range(of: placeholder)!.lowerBound) + 1
            found.append(PlaceholderUse(text: placeholder, line: index + 1, column: column))
        }
        return found
    }
}
