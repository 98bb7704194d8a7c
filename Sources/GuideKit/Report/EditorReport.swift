import Foundation

/// `guide report --html`: one self-contained page for an editorial team, made from
/// `Templates/editor-report.mustache`: each chapter's grades against the target, its words
/// and reading time, review dates on a timeline, and its plain-language hot spots.
public enum EditorReport {
    /// The page for a checked guide, as of `today`.
    public static func html(_ guide: Guide, templates: TemplateSet, today: Day) -> String {
        templates.render(context(guide, today: today), "editor-report")
    }

    static func context(_ guide: Guide, today: Day) -> EditorReportContext {
        let config = guide.config
        let settings = config.plainLanguage ?? PlainLanguageSettings()
        let rows = ChapterReport.rows(for: guide)
        // The timeline runs from the oldest review to the latest due date (and today).
        let reviewed = guide.chapters.compactMap(\.frontMatter.reviewed)
        let due = guide.chapters.compactMap { config.nextReview(after: $0.frontMatter.reviewed) }
        let first = (reviewed + [today]).min()!.daysSinceEpoch
        let last = max((due + [today]).max()!.daysSinceEpoch, first + 1)
        func place(_ day: Day) -> Double { percent(Double(day.daysSinceEpoch - first) / Double(last - first)) }
        let soon = today.daysSinceEpoch + 90

        var chapters: [EditorReportContext.Chapter] = []
        var dueSoon: [(days: Int, due: EditorReportContext.Due)] = []
        for (chapter, row) in zip(guide.chapters, rows) {
            let findings = PlainLanguageChecks.findings(chapter.chapter, settings: settings, language: config.language)
            let next = config.nextReview(after: chapter.frontMatter.reviewed)
            let start = chapter.frontMatter.reviewed
            let anchor = "chapter-" + chapter.id.description.lowercased()
            if let next, next.daysSinceEpoch <= soon {
                let days = next.daysSinceEpoch - today.daysSinceEpoch
                dueSoon.append((days, .init(id: row.id, title: row.title, anchor: anchor, date: next.longForm,
                                            when: days < 0 ? "\(-days) days overdue" : days == 0 ? "due today" : "due in \(days) days",
                                            overdue: days < 0)))
            }
            chapters.append(EditorReportContext.Chapter(
                order: chapters.count, id: row.id, title: row.title, file: row.file, anchor: anchor, draft: row.draft,
                words: row.words, minutes: row.readingMinutes,
                fleschKincaid: format(row.fleschKincaidGrade), smog: format(row.smogGrade), readingEase: format(row.fleschReadingEase),
                fleschKincaidValue: row.fleschKincaidGrade, smogValue: row.smogGrade, readingEaseValue: row.fleschReadingEase,
                fleschKincaidBar: percent(row.fleschKincaidGrade / 16), smogBar: percent(row.smogGrade / 16), readingEaseBar: percent(row.fleschReadingEase / 100),
                aboveTarget: config.targetGrade.map { row.fleschKincaidGrade > $0 } ?? false,
                reviewed: row.lastReviewed, nextReview: row.nextReviewDue,
                reviewedLong: start?.longForm, nextReviewLong: next?.longForm,
                timelineStart: start.map(place) ?? 0, timelineWidth: start.flatMap { s in next.map { max(0.5, place($0) - place(s)) } } ?? 0,
                hasTimeline: start != nil && next != nil,
                dueSoon: next.map { $0.daysSinceEpoch <= soon } ?? false,
                hotSpotCount: findings.count, hasHotSpots: !findings.isEmpty,
                hotSpots: findings.map { finding in
                    EditorReportContext.HotSpot(
                        location: "\(chapter.chapter.file.displayPath):\(finding.position.line):\(finding.position.column)",
                        rule: finding.rule.rawValue, message: finding.message, suggestion: finding.suggestion,
                        sentenceHTML: shownSentence(finding, in: chapter.chapter))
                }))
        }
        let due90 = dueSoon.sorted { ($0.days, $0.due.id) < ($1.days, $1.due.id) }.map(\.due)
        let englishRules = PlainLanguageChecks.isEnglish(config.language)
        var thresholds = "sentences over \(settings.sentenceWords) words, paragraphs over \(settings.paragraphSentences) sentences"
            + (englishRules ? ", passive voice in over \(PlainLanguageChecks.formatPercent(settings.passivePercent))% of a chapter's sentences" : "")
        if config.plainLanguage == nil { thresholds += " (the defaults: guide.yml has no plain_language settings)" }
        return EditorReportContext(
            title: config.title, language: config.language, today: today.longForm,
            targetGrade: config.targetGrade.map(GuideChecks.formatGrade), targetBar: config.targetGrade.map { percent($0 / 16) },
            thresholds: thresholds, englishRules: englishRules, chapters: chapters, dueSoon: due90, hasDueSoon: !due90.isEmpty,
            timelineFrom: Day(unixTime: first * 86_400).longForm, timelineTo: Day(unixTime: last * 86_400).longForm, todayAt: place(today),
            hotSpotTotal: chapters.reduce(0) { $0 + $1.hotSpotCount })
    }

    /// The sentence a finding is in, as HTML with its words marked; nil when it has none.
    static func shownSentence(_ finding: PlainLanguageChecks.Finding, in chapter: Chapter) -> String? {
        let prose = chapter.markdown.prose
        let sentence: ProseFacts.Sentence?
        switch finding.rule {
        case .longSentence, .passiveVoice, .longParagraph:
            sentence = prose.sentences.first { $0.position == finding.position }
        default:
            sentence = prose.sentences.last { ($0.position.line, $0.position.column) <= (finding.position.line, finding.position.column) }
        }
        guard let sentence else { return nil }
        let text = chapter.markdown.blocks[sentence.block].text.utf8Slice(sentence.start, sentence.end)
        return mark(finding.marked, in: text)
    }

    /// `text` escaped for HTML, each whole-word use of `words` (any case) in `<mark>`.
    static func mark(_ words: [String], in text: String) -> String {
        guard !words.isEmpty else { return escapeAttribute(text) }
        var html = ""
        var rest = Substring(text)
        let lowered = words.map { $0.lowercased() }
        while !rest.isEmpty {
            var hit: (range: Range<Substring.Index>, length: Int)?
            for word in lowered {
                if let range = rest.range(of: word, options: .caseInsensitive),
                   hit == nil || range.lowerBound < hit!.range.lowerBound,
                   range.lowerBound == rest.startIndex || !rest[rest.index(before: range.lowerBound)].isLetter,
                   range.upperBound == rest.endIndex || !rest[range.upperBound].isLetter {
                    hit = (range, word.count)
                }
            }
            guard let hit else { break }
            html += escapeAttribute(String(rest[..<hit.range.lowerBound])) + "<mark>" + escapeAttribute(String(rest[hit.range])) + "</mark>"
            rest = rest[hit.range.upperBound...]
        }
        return html + escapeAttribute(String(rest))
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
    static func percent(_ fraction: Double) -> Double { (min(max(fraction, 0), 1) * 1000).rounded() / 10 }
}


/// What `editor-report.mustache` sees.
public struct EditorReportContext: Sendable, Equatable {
    public struct HotSpot: Sendable, Equatable {
        /// `file:line:column`.
        public var location: String
        public var rule: String
        public var message: String
        public var suggestion: String
        /// The sentence, HTML-escaped, with the words in question in `<mark>`.
        public var sentenceHTML: String?
    }
    public struct Chapter: Sendable, Equatable {
        /// Its place in series order, for sorting back to it.
        public var order: Int
        public var id: String
        public var title: String
        public var file: String
        public var anchor: String
        public var draft: Bool
        public var words: Int
        public var minutes: Int
        public var fleschKincaid: String
        public var smog: String
        public var readingEase: String
        /// The same as numbers, for sorting.
        public var fleschKincaidValue: Double
        public var smogValue: Double
        public var readingEaseValue: Double
        /// Bar lengths in percent (grades out of 16, reading ease out of 100).
        public var fleschKincaidBar: Double
        public var smogBar: Double
        public var readingEaseBar: Double
        public var aboveTarget: Bool
        public var reviewed: String?
        public var nextReview: String?
        public var reviewedLong: String?
        public var nextReviewLong: String?
        /// Where its review period sits on the timeline, in percent of its width.
        public var timelineStart: Double
        public var timelineWidth: Double
        public var hasTimeline: Bool
        /// Its review falls due within 90 days, or is overdue.
        public var dueSoon: Bool
        public var hotSpotCount: Int
        public var hasHotSpots: Bool
        public var hotSpots: [HotSpot]
    }
    public struct Due: Sendable, Equatable {
        public var id: String
        public var title: String
        public var anchor: String
        public var date: String
        public var when: String
        public var overdue: Bool
    }
    public var title: String
    public var language: String
    public var today: String
    public var targetGrade: String?
    /// The target's place on the grade bars, in percent.
    public var targetBar: Double?
    public var thresholds: String
    /// Whether the rules that read English (hard words, passive voice) were run: the guide
    /// is in English (`PlainLanguageChecks.englishOnlyRules`).
    public var englishRules: Bool
    public var chapters: [Chapter]
    public var dueSoon: [Due]
    public var hasDueSoon: Bool
    public var timelineFrom: String
    public var timelineTo: String
    /// Today's place on the timeline, in percent.
    public var todayAt: Double
    public var hotSpotTotal: Int
}

extension EditorReportContext.HotSpot: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 5) { f in
            f.add("location", location)
            f.add("rule", rule)
            f.add("message", message)
            f.add("suggestion", suggestion)
            f.add("sentenceHTML", sentenceHTML)
        }
    }
}

extension EditorReportContext.Chapter: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 29) { f in
            f.add("order", order)
            f.add("id", id)
            f.add("title", title)
            f.add("file", file)
            f.add("anchor", anchor)
            f.add("draft", draft)
            f.add("words", words)
            f.add("minutes", minutes)
            f.add("fleschKincaid", fleschKincaid)
            f.add("smog", smog)
            f.add("readingEase", readingEase)
            f.add("fleschKincaidValue", fleschKincaidValue)
            f.add("smogValue", smogValue)
            f.add("readingEaseValue", readingEaseValue)
            f.add("fleschKincaidBar", fleschKincaidBar)
            f.add("smogBar", smogBar)
            f.add("readingEaseBar", readingEaseBar)
            f.add("aboveTarget", aboveTarget)
            f.add("timelineStart", timelineStart)
            f.add("timelineWidth", timelineWidth)
            f.add("hasTimeline", hasTimeline)
            f.add("dueSoon", dueSoon)
            f.add("hotSpotCount", hotSpotCount)
            f.add("hasHotSpots", hasHotSpots)
            f.add("hotSpots", hotSpots)
            f.add("reviewed", reviewed)
            f.add("nextReview", nextReview)
            f.add("reviewedLong", reviewedLong)
            f.add("nextReviewLong", nextReviewLong)
        }
    }
}

extension EditorReportContext.Due: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 6) { f in
            f.add("id", id)
            f.add("title", title)
            f.add("anchor", anchor)
            f.add("date", date)
            f.add("when", when)
            f.add("overdue", overdue)
        }
    }
}

extension EditorReportContext: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 14) { f in
            f.add("title", title)
            f.add("language", language)
            f.add("today", today)
            f.add("thresholds", thresholds)
            f.add("englishRules", englishRules)
            f.add("chapters", chapters)
            f.add("dueSoon", dueSoon)
            f.add("hasDueSoon", hasDueSoon)
            f.add("timelineFrom", timelineFrom)
            f.add("timelineTo", timelineTo)
            f.add("todayAt", todayAt)
            f.add("hotSpotTotal", hotSpotTotal)
            f.add("targetGrade", targetGrade)
            f.add("targetBar", targetBar)
        }
    }
}
