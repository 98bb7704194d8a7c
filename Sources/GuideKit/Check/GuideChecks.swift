/// Checks that look at the whole linked guide: reachability, review dates, reading level.
public enum GuideChecks {
    public static func run(_ guide: Guide, today: Day, log: DiagnosticLog) {
        // A chapter cmark could not read may link anywhere and use any term: its error is
        // enough, with no guesses about what nothing links to.
        if !(guide.chapters + guide.unlistedChapters).contains(where: \.chapter.parseFailed) {
            checkReachability(guide, log: log)
            checkGlossaryUse(guide.glossary, in: guide.chapters + guide.unlistedChapters, log: log)
        }
        let config = guide.config
        let listed = guide.chapters.count
        _ = parallelMap(Array(zip(guide.chapters + guide.unlistedChapters, 0...))) { chapter, index in
            // A chapter set aside has an error already; a missing date would be a second.
            checkReview(chapter, config: config, today: today, reportMissing: index < listed, log: log)
            if !chapter.frontMatter.draft { checkPlaceholders(chapter, log: log) }
            checkReadingLevel(chapter, config: config, log: log)
        }
        PlainLanguageChecks.run(guide, log: log)
    }

    /// A chapter no other chapter links to (in its text or its `related` list) can only be
    /// found from the home page.
    static func checkReachability(_ guide: Guide, log: DiagnosticLog) {
        guard guide.chapters.count > 1 else { return }
        var linked: Set<ChapterID> = []
        for chapter in guide.chapters + guide.unlistedChapters where !chapter.frontMatter.draft {
            linked.formUnion(chapter.linkedChapters)
            linked.formUnion(chapter.related.filter { $0 != chapter.frontMatter.id })
        }
        for chapter in guide.chapters where !chapter.frontMatter.draft && !linked.contains(chapter.id) {
            log.report(.warning(.unreachableChapter, at: chapter.frontMatter.idLocation ?? chapter.frontMatter.openingLocation,
                                "no other chapter links to \(chapter.id); readers can reach it only from the home page",
                                suggestion: "link to it with [](\(chapter.id)) from a chapter on a nearby topic, or list it under 'related'"))
        }
    }

    /// A glossary term no published chapter uses is probably misspelled, or no longer needed.
    /// `language` names a translation's glossary, whose chapters are its translations.
    static func checkGlossaryUse(_ glossary: Glossary, in chapters: [ResolvedChapter], language: String? = nil, log: DiagnosticLog) {
        let used = Set(chapters.filter { !$0.frontMatter.draft }.flatMap(\.chapter.markdown.glossaryTermsUsed))
        for term in glossary.terms where !used.contains(term.term) {
            let forms = ([term.term] + (term.abbr.map { [$0] } ?? []) + term.aliases).map { "'\($0)'" }.joined(separator: ", ")
            log.report(.warning(.unusedGlossaryTerm, at: term.location,
                                "no chapter\(language.map { " translated into \($0)" } ?? "") uses the glossary term '\(term.term)' (as \(forms))",
                                suggestion: "check its spelling, use it in a chapter, or remove it"))
        }
    }

    static func checkReview(_ chapter: ResolvedChapter, config: GuideConfig, today: Day, reportMissing: Bool = true, log: DiagnosticLog) {
        let matter = chapter.frontMatter
        guard let reviewed = matter.reviewed else {
            // A date that is written but wrong is already an error at its line.
            guard matter.keyLocations["reviewed"] == nil, reportMissing else { return }
            log.report(.warning(.reviewMissing, at: matter.openingLocation,
                                "\(chapter.name) has no 'reviewed' date; add the date of its last medical review",
                                suggestion: "for example reviewed: \(today)"))
            return
        }
        if reviewed > today {
            log.report(.error(.invalidValue, at: matter.keyLocations["reviewed"] ?? matter.openingLocation,
                              "'reviewed' is \(reviewed.longForm), which is in the future; write the date of the last medical review",
                              suggestion: "check the year; today is \(today)"))
            return
        }
        guard let months = config.reviewIntervalMonths else { return }
        let due = reviewed.adding(months: months)
        guard due < today else { return }
        let days = today.daysSinceEpoch - due.daysSinceEpoch
        let overdue = days >= 60 ? "\(days / 30) months" : days == 1 ? "1 day" : "\(days) days"
        log.report(.warning(.reviewOverdue, at: matter.keyLocations["reviewed"] ?? matter.openingLocation,
                            "\(chapter.name) was last reviewed on \(reviewed); its review was due on \(due), \(overdue) ago"))
    }

    /// Text that `guide new` writes for the author to replace, left in a published chapter.
    static func checkPlaceholders(_ chapter: ResolvedChapter, log: DiagnosticLog) {
        for use in chapter.chapter.placeholders {
            // In the front matter, at the key (column 1), like every front-matter diagnostic.
            log.report(.warning(.placeholderText, at: chapter.chapter.file.location(line: use.line, column: use.column),
                                "'\(use.text)' is the example text that guide new writes, and this chapter is published",
                                suggestion: "replace it with your own words"))
        }
    }

    static func checkReadingLevel(_ chapter: ResolvedChapter, config: GuideConfig, log: DiagnosticLog) {
        guard let target = config.targetGrade else { return }
        let scores = chapter.chapter.markdown.readingScores
        let grade = scores.fleschKincaidGrade
        guard scores.words > 0, grade > target else { return }
        let shown = (grade * 10).rounded() / 10
        log.report(.warning(.readingLevel, at: chapter.frontMatter.openingLocation,
                            "\(chapter.name) reads at grade \(shown) (Flesch-Kincaid), above the target of \(formatGrade(target))",
                            suggestion: "use shorter sentences and everyday words"))
    }

    static func formatGrade(_ g: Double) -> String {
        g == g.rounded() ? String(Int(g)) : String(g)
    }
}
