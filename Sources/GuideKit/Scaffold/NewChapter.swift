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
        guard let id = ChapterID(rawID) else {
            throw Problem(description: "'\(rawID)' is not a chapter id; an id is capital letters then digits, like A0 or B12")
        }
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw Problem(description: "the title must not be empty") }
        let log = DiagnosticLog()
        let source: GuideSource
        do {
            source = try ContentLoader.load(contentDirectory: contentDirectory, displayRoot: displayRoot, log: log)
        } catch {
            throw Problem(description: "\(error)")
        }
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
