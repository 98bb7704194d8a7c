import Foundation

/// One language's edition of the guide: every published chapter, in the translation where
/// one is ready, else in the guide's own language (a fallback page, with a notice).
public struct LanguageEdition: Sendable {
    /// How one chapter of the edition stands.
    public enum Page: Sendable, Equatable {
        case translated
        /// Translated from an older version of the source (`guide translate-status` names
        /// the sections that changed since).
        case stale
        /// Not translated (or only as a draft): the source chapter is shown.
        case fallback
    }
    public var language: Language
    /// The edition as a guide: settings in its language (its tag, title, track titles,
    /// strings), its glossary, its chapters in the series order of the source guide.
    public var guide: Guide
    /// Each published chapter's state in this language.
    public var pages: [ChapterID: Page]
    /// Translated chapters as read and linked (drafts included), for the reports.
    public var translated: [ResolvedChapter]

    /// The folder of its pages in the site: `es/`.
    public var folder: String { language.id + "/" }

    /// What the language's search index holds: its translated chapters. A chapter shown in
    /// the source language is found by the source's search, in its own language's words.
    public var searchable: Guide {
        var searchable = guide
        searchable.chapters = guide.chapters.filter { pages[$0.id] != .fallback }
        return searchable
    }

    /// Chapters of the edition that are translations (up to date or not).
    public var translatedIDs: Set<ChapterID> {
        Set(pages.compactMap { $0.value == .fallback ? nil : $0.key })
    }
}

/// Builds each language's edition from the linked guide and the parsed translations, and
/// checks the translations' links as Link checks the guide's: within the language, where a
/// chapter not yet translated is its source chapter.
enum LanguageEditions {
    static func resolve(_ guide: Guide, translations: [(language: String, chapter: Chapter)], statuses: [TranslationStatus],
                        source: GuideSource, includeDrafts: Bool, log: DiagnosticLog) -> [LanguageEdition] {
        let config = source.config
        // A guide in one language has no edition: nothing to index its chapters by (a
        // thousand chapters' copies and a table of them, while the other checks waited).
        guard !config.languages.isEmpty else { return [] }
        let everySource = guide.chapters + guide.unlistedChapters
        let sourceByID = Dictionary(everySource.compactMap { c in c.frontMatter.id.map { ($0, c) } }, uniquingKeysWith: { a, _ in a })
        let published = Set(guide.chapters.map(\.id))
        var editions: [LanguageEdition] = []
        for language in config.languages {
            let settings = source.translationSettings[language.id] ?? TranslationSettings()
            let stateByID = Dictionary(statuses.filter { $0.language == language.id }.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            // The translations this edition shows: one per published chapter.
            var chosen: [ChapterID: Chapter] = [:]
            // Each translated heading's own slug, by chapter id, for links to name it by.
            var aliases: [String: [String: String]] = [:]
            for (lang, chapter) in translations where lang == language.id {
                guard let id = chapter.frontMatter.id, let sourceChapter = sourceByID[id] else { continue }
                if let first = chosen[id] {
                    log.report(.error(.translationSource, at: chapter.frontMatter.idLocation ?? chapter.frontMatter.openingLocation,
                                      "\(id) is translated into \(language.id) twice; \(first.file.displayPath) is the one shown",
                                      suggestion: "take one of the two files out of translations/\(language.id)/"))
                    continue
                }
                let (mapped, alias) = withSourceAnchors(chapter, source: sourceChapter.chapter)
                chosen[id] = mapped
                aliases[id.description] = alias
                if let mismatch = headingMismatch(chapter, source: sourceChapter.chapter) { log.report(mismatch) }
            }
            // Every chapter as this language has it, for links to land on: a draft translation
            // is not published (unless drafts are built), so links land on its source.
            var editionByID: [String: Chapter] = [:]
            for (id, chapter) in sourceByID {
                let translation = chosen[id].flatMap { includeDrafts || !$0.frontMatter.draft ? $0 : nil }
                editionByID[id.description] = translation ?? chapter.chapter
            }
            var editionByPath: [String: Chapter] = [:]
            for chapter in everySource { editionByPath[chapter.chapter.file.relativePath] = chapter.frontMatter.id.flatMap { editionByID[$0.description] } ?? chapter.chapter }
            var editionSource = source
            editionSource.config.language = language.id
            var context = LinkResolver.Context(byID: editionByID, byPath: editionByPath, source: editionSource, includeDrafts: includeDrafts,
                                               realContentRoot: source.contentDirectory.resolvingSymlinksInPath().standardizedFileURL.path,
                                               formerIDs: LinkResolver.formerIDs(everySource.map(\.chapter)))
            context.anchorAliases = aliases
            let order = chosen.keys.sorted()
            let (toResolve, resolver) = (chosen, context)
            let results = parallelMap(order) { id in resolver.resolve(toResolve[id]!) }
            var resolvedByID: [ChapterID: ResolvedChapter] = [:]
            var files = Set(guide.files)
            var translated: [ResolvedChapter] = []
            for (id, result) in zip(order, results) {
                log.report(result.diagnostics)
                let chapter = chosen[id]!
                let related = chapter.frontMatter.related.isEmpty ? sourceByID[id]!.related : result.related
                let resolved = ResolvedChapter(chapter: chapter, links: result.links, related: related,
                                               linkedChapters: result.linkedChapters, externalLinks: result.externalLinks,
                                               hasUrgencyBoxes: result.hasUrgencyBoxes)
                translated.append(resolved)
                // A draft translation stays out of the edition, as a draft chapter stays out of the guide.
                guard published.contains(id), includeDrafts || !chapter.frontMatter.draft else { continue }
                resolvedByID[id] = resolved
                files.formUnion(result.files)
            }
            var pages: [ChapterID: LanguageEdition.Page] = [:]
            let chapters = guide.chapters.map { sourceChapter -> ResolvedChapter in
                guard let resolved = resolvedByID[sourceChapter.id] else {
                    pages[sourceChapter.id] = .fallback
                    return sourceChapter
                }
                pages[sourceChapter.id] = stateByID[sourceChapter.id.description]?.state == .stale ? .stale : .translated
                return resolved
            }
            let byID = Dictionary(chapters.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let editionConfig = settings.config(over: config, language: language.id, tracks: guide.tracks.map(\.track.id), log: log)
            let tracks = guide.tracks.map { track -> (track: GuideConfig.Track, chapters: [ResolvedChapter]) in
                var renamed = track.track
                renamed.title = settings.trackTitles[renamed.id]?.text ?? renamed.title
                return (renamed, track.chapters.map { byID[$0.id] ?? $0 })
            }
            // The source's old addresses lead on in every language: its redirect pages are written in each folder.
            let editionGuide = Guide(config: editionConfig, glossary: settings.glossary ?? Glossary(), chapters: chapters, tracks: tracks,
                                     files: files.sorted(), redirects: guide.redirects)
            editions.append(LanguageEdition(language: language, guide: editionGuide, pages: pages, translated: translated))
        }
        return editions
    }

    /// A warning at the first heading where a translation's headings stop matching its
    /// source's (in number and level), or nil when they match.
    static func headingMismatch(_ translation: Chapter, source: Chapter) -> Diagnostic? {
        let mine = translation.markdown.headings, theirs = source.markdown.headings
        guard !translation.parseFailed, !source.parseFailed,
              let index = (0..<max(mine.count, theirs.count)).first(where: { $0 >= mine.count || $0 >= theirs.count || mine[$0].level != theirs[$0].level })
        else { return nil }
        let location = index < mine.count ? translation.file.location(mine[index].position) : (translation.frontMatter.idLocation ?? translation.frontMatter.openingLocation)
        let sourceName = "\(source.id)"
        let what: String
        if index >= theirs.count {
            what = "this heading has none in the source \(sourceName) to match"
        } else if index >= mine.count {
            what = "the source \(sourceName) has a heading here that the translation does not: '\(theirs[index].text)' (\(String(repeating: "#", count: theirs[index].level)))"
        } else {
            what = "this is a level-\(mine[index].level) heading where the source \(sourceName) has a level-\(theirs[index].level) one ('\(theirs[index].text)')"
        }
        return .warning(.translationSource, at: location,
                        "\(what); while the headings differ, they keep their own anchors, so links, search results and the language switcher cannot land on the same section in both languages",
                        suggestion: "give the translation the source's headings, in the same order and at the same levels")
    }

    /// A translation whose headings have the anchors of its source's headings, when the two
    /// have the same headings at the same levels: a link, a search result or the language
    /// switcher then lands on the same section in every language. Each heading's own slug
    /// (from the translated words) is kept as an alias, so links
    /// may use either (`LinkResolver.Context.anchorAliases`).
    static func withSourceAnchors(_ translation: Chapter, source: Chapter) -> (Chapter, [String: String]) {
        let mine = translation.markdown.headings, theirs = source.markdown.headings
        guard mine.count == theirs.count, zip(mine, theirs).allSatisfy({ $0.level == $1.level }) else { return (translation, [:]) }
        var chapter = translation
        var aliases: [String: String] = [:]
        for index in mine.indices {
            aliases[mine[index].slug] = theirs[index].slug
            chapter.markdown.headings[index].slug = theirs[index].slug
        }
        for index in chapter.markdown.faqs.indices {
            chapter.markdown.faqs[index].anchor = chapter.markdown.headings[chapter.markdown.faqs[index].heading].slug
        }
        return (chapter, aliases)
    }
}
