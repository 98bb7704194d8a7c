import Foundation

/// One row of `guide report` for a translated chapter: its size and reading level, measured
/// for its language (`LanguageReadingScores`), and how it stands against its source.
public struct TranslationReport: Sendable, Codable, Equatable {
    public var language: String
    public var id: String
    public var title: String
    public var file: String
    public var words: Int
    public var sentences: Int
    /// Spanish only: Fernández-Huerta and Szigriszt-Pazos, 0–100, higher is easier.
    public var fernandezHuerta: Double?
    public var szigrisztPazos: Double?
    /// "up to date", "stale" … (`TranslationStatus.State`).
    public var state: String

    /// A row for every translated chapter of every edition (drafts too), in series order.
    public static func rows(for editions: [LanguageEdition], statuses: [TranslationStatus]) -> [TranslationReport] {
        let states = Dictionary(statuses.map { ($0.language + " " + $0.id, $0.state.rawValue) }, uniquingKeysWith: { a, _ in a })
        return editions.flatMap { edition in
            let order = Dictionary(edition.guide.chapters.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            let translated = edition.translated.sorted { (order[$0.id] ?? .max, $0.id) < (order[$1.id] ?? .max, $1.id) }
            return parallelMap(translated) { chapter in
                let scores = ReadingLevel.measure(chapter.chapter.markdown.blocks, language: edition.language.id)
                return TranslationReport(language: edition.language.id, id: chapter.id.description, title: chapter.title,
                                         file: chapter.chapter.file.displayPath, words: scores.words, sentences: scores.sentences,
                                         fernandezHuerta: scores.fernandezHuerta.map(ChapterReport.round1),
                                         szigrisztPazos: scores.szigrisztPazos.map(ChapterReport.round1),
                                         state: states[edition.language.id + " " + chapter.id.description] ?? "")
            }
        }
    }

    /// A plain-text table, as `ChapterReport.table` lays one out.
    public static func table(_ rows: [TranslationReport]) -> String {
        let header = ["language", "id", "title", "words", "sentences", "Fernández-Huerta", "Szigriszt-Pazos", "state"]
        let body = rows.map { row in
            [row.language, row.id, row.title.count > 40 ? String(row.title.prefix(39)) + "…" : row.title, String(row.words),
             String(row.sentences), row.fernandezHuerta.map { String(format: "%.1f", $0) } ?? "-",
             row.szigrisztPazos.map { String(format: "%.1f", $0) } ?? "-", row.state]
        }
        return ChapterReport.layOut([header] + body, numeric: [3, 4, 5, 6])
    }

    /// The rows as one JSON list.
    public static func json(_ rows: [TranslationReport]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(rows)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
    }
}
