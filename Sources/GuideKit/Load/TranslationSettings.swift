import Foundation

/// A language's own words for what `guide.yml` and the other guide files say, read from
/// `translations/<language>/`: `guide.yml` (title, track titles, disclaimer, organisation),
/// `strings.yml` (labels that replace the strings file's) and `glossary.yml`.
public struct TranslationSettings: Sendable {
    public var title: String?
    /// Track titles by track id (`tracks: {A: Lo básico}`), with where each is written.
    public var trackTitles: [String: (text: String, location: SourceLocation)] = [:]
    public var disclaimer: String?
    public var organisation: String?
    /// Labels in this language that replace the templates' strings file's, with where each is.
    public var strings: [String: (text: String, location: SourceLocation)] = [:]
    /// The language's glossary; nil when it has none, and chapters in it mark no terms.
    public var glossary: Glossary?

    public init() {}

    /// The guide's settings as a language has them: its words over the guide's own. The
    /// guide's `strings:` are words in its own language, so the translation's replace them.
    /// A track title for a track the guide does not have (`tracks`) is an error at its line.
    func config(over config: GuideConfig, language: String, tracks: [String], log: DiagnosticLog) -> GuideConfig {
        var edition = config
        edition.language = language
        edition.title = title ?? config.title
        edition.disclaimer = disclaimer ?? config.disclaimer
        edition.organisation = organisation ?? config.organisation
        edition.strings = strings
        for (id, title) in trackTitles.sorted(by: { $0.key < $1.key }) where !tracks.contains(id) {
            log.report(.error(.guideConfig, at: title.location, "the guide has no track '\(id)' to name",
                              suggestion: closestMatch(to: id, in: tracks).map { "did you mean '\($0)'?" } ?? "its tracks are \(tracks.joined(separator: ", "))"))
        }
        edition.tracks = config.tracks.map { track in
            var track = track
            track.title = trackTitles[track.id]?.text ?? track.title
            return track
        }
        return edition
    }

    static let guideKeys = ["title", "tracks", "disclaimer", "organisation"]

    /// Reads `translations/<language>/guide.yml` (its track ids are checked when the tracks are known).
    mutating func readGuide(_ file: SourceFile) -> [Diagnostic] {
        var fields = YAMLFields(file: file, rule: .guideConfig)
        let root: YAMLValue?
        do {
            root = try YAMLDocument.compose(file.text)
        } catch {
            return [.error(.guideConfig, at: file.location(line: error.line, column: error.column), error.message, suggestion: error.suggestion)]
        }
        guard let root, let pairs = fields.pairs(of: root, what: "a translation's guide.yml", example: "'title: Guía de …'") else {
            return fields.diagnostics
        }
        for (key, keyNode, value) in pairs {
            switch key {
            case "title": title = fields.text(value, key: keyNode, name: key)
            case "disclaimer": disclaimer = fields.text(value, key: keyNode, name: key)
            case "organisation": organisation = fields.text(value, key: keyNode, name: key)
            case "tracks":
                guard let tracks = fields.pairs(of: value, what: "'tracks'", example: "'tracks: {A: Lo básico, B: Más a fondo}'") else { continue }
                for (id, idNode, titleNode) in tracks {
                    if let text = fields.text(titleNode, key: idNode, name: id) { trackTitles[id] = (text, fields.location(idNode)) }
                }
            default:
                fields.warning(keyNode, "unknown key '\(key)'; a translation's guide.yml gives the guide's own words in its language (\(Self.guideKeys.joined(separator: ", ")))",
                               rule: .unknownKey, suggestion: closestMatch(to: key, in: Self.guideKeys).map { "did you mean '\($0)'?" })
            }
        }
        return fields.diagnostics
    }

    /// Reads `translations/<language>/strings.yml`: `key: words` lines, as in the strings file.
    mutating func readStrings(_ file: SourceFile) -> [Diagnostic] {
        var fields = YAMLFields(file: file, rule: .template)
        do {
            guard let root = try YAMLDocument.compose(file.text),
                  let pairs = fields.pairs(of: root, what: "a strings file", example: "'search: Buscar'") else { return fields.diagnostics }
            for (key, keyNode, value) in pairs {
                if let text = fields.text(value, key: keyNode, name: key) { strings[key] = (text, fields.location(keyNode)) }
            }
        } catch {
            fields.diagnostics.append(.error(.template, at: file.location(line: error.line, column: error.column), error.message,
                                             suggestion: error.suggestion))
        }
        return fields.diagnostics
    }
}
