import Foundation

/// One row of `guide report`: a chapter's size, readability and review dates.
public struct ChapterReport: Sendable, Codable, Equatable {
    public var id: String
    public var title: String
    public var file: String
    public var words: Int
    public var readingMinutes: Int
    public var fleschKincaidGrade: Double
    public var smogGrade: Double
    public var fleschReadingEase: Double
    public var lastReviewed: String?
    public var nextReviewDue: String?
    public var draft: Bool
    /// Its plain-language findings, with guide.yml's thresholds or the defaults.
    public var hotSpots: [HotSpot] = []

    /// One plain-language finding: rule, place, what and what to do.
    public struct HotSpot: Sendable, Codable, Equatable {
        public var rule: String
        public var line: Int
        public var column: Int
        public var message: String
        public var suggestion: String
    }

    /// Rows for every chapter of a checked guide, in series order.
    public static func rows(for guide: Guide) -> [ChapterReport] {
        let settings = guide.config.plainLanguage ?? PlainLanguageSettings()
        return guide.chapters.map { chapter in
            let scores = chapter.chapter.markdown.readingScores
            let reviewed = chapter.frontMatter.reviewed
            return ChapterReport(
                id: chapter.id.description, title: chapter.title, file: chapter.chapter.file.displayPath,
                words: scores.words, readingMinutes: scores.readingMinutes,
                fleschKincaidGrade: round1(scores.fleschKincaidGrade), smogGrade: round1(scores.smogGrade),
                fleschReadingEase: round1(scores.fleschReadingEase),
                lastReviewed: reviewed?.description,
                nextReviewDue: guide.config.nextReview(after: reviewed)?.description,
                draft: chapter.frontMatter.draft,
                hotSpots: PlainLanguageChecks.findings(chapter.chapter, settings: settings, language: guide.config.language).map {
                    HotSpot(rule: $0.rule.rawValue, line: $0.position.line, column: $0.position.column, message: $0.message, suggestion: $0.suggestion)
                })
        }
    }

    @Sendable static func round1(_ x: Double) -> Double { (x * 10).rounded() / 10 }

    /// A plain-text table with a header row, columns padded to line up.
    public static func table(_ rows: [ChapterReport]) -> String {
        let header = ["id", "title", "words", "minutes", "FK grade", "SMOG", "reading ease", "last reviewed", "next review due", "hot spots"]
        let body = rows.map { row in
            [row.id, row.title.count > 40 ? String(row.title.prefix(39)) + "…" : row.title, String(row.words), String(row.readingMinutes),
             String(format: "%.1f", row.fleschKincaidGrade), String(format: "%.1f", row.smogGrade),
             String(format: "%.1f", row.fleschReadingEase), row.lastReviewed ?? "-", row.nextReviewDue ?? "-", String(row.hotSpots.count)]
        }
        return layOut([header] + body, numeric: [2, 3, 4, 5, 6, 9])
    }

    /// Rows of cells as columns that line up: numbers to the right, text to the left.
    static func layOut(_ all: [[String]], numeric: Set<Int>) -> String {
        let widths = all[0].indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { cells in
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return numeric.contains(column) ? pad + cell : cell + pad
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    /// Every chapter's plain-language hot spots, a line each (`file:line:column rule: message (suggestion)`).
    public static func hotSpots(_ rows: [ChapterReport]) -> String {
        let lines = rows.flatMap { row in
            row.hotSpots.map { "\(row.file):\($0.line):\($0.column): \($0.rule): \($0.message) (\($0.suggestion))" }
        }
        guard !lines.isEmpty else { return "\nPlain language: no hot spots.\n" }
        return "\nPlain-language hot spots (\(lines.count)):\n" + lines.joined(separator: "\n") + "\n"
    }

    /// The rows as one JSON list.
    public static func json(_ rows: [ChapterReport]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(rows)) ?? Data("[]".utf8), as: UTF8.self) + "\n"
    }
}

