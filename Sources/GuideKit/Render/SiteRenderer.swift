import Foundation
import Synchronization

/// A file of the finished site: its path under the output folder and its bytes, or the
/// content file it is a copy of.
public struct OutputFile: Sendable {
    public enum Contents: Sendable {
        case bytes(Data)
        /// A page as the template made it, written as UTF-8 without another copy in memory.
        case text(String)
        /// A long page as the template made it, in pieces written one after another, never
        /// joined into one string (`PageTextPieces`).
        case pieces([Substring])
        /// A long page written as it is made, never held whole (`StreamedText`).
        case streamed(StreamedText)
        case copy(of: URL)
    }
    public var path: String
    public var contents: Contents
    /// What the last build of this `guide serve` made for this path, unchanged (taken from
    /// its page cache), so an update need not compare it with the file.
    var sameAsLastBuild = false

    public init(path: String, contents: Contents) {
        self.path = path
        self.contents = contents
    }

    /// The bytes the file will have (a copied file is read).
    public var bytes: Data {
        switch contents {
        case let .bytes(data): return data
        case let .text(text): return Data(text.utf8)
        case let .pieces(pieces):
            var data = Data(capacity: pieces.reduce(0) { $0 + $1.utf8.count })
            for piece in pieces { data.append(contentsOf: piece.utf8) }
            return data
        case let .streamed(stream):
            final class Gathered: @unchecked Sendable { var data = Data() }
            let gathered = Gathered()
            var writer = PageTextWriter { bytes in
                gathered.data.append(bytes)
                return true
            }
            stream.write(&writer)
            writer.flush()
            return gathered.data
        case let .copy(source): return (try? Data(contentsOf: source)) ?? Data()
        }
    }
}

/// A page's text made as it is written: `write` hands it to the writer piece by piece (and
/// may be run again, to make the same text again).
public struct StreamedText: Sendable {
    let write: @Sendable (inout PageTextWriter) -> Void
}

/// The bodies of a guide's chapters, by place in the series, handed from the guide to its
/// pages (`Guide.takingBodies`): each is let go once its chapter's page and print body are
/// made, so that a build does not hold every body to its end (135 MB at 10,000 chapters).
final class BodiesToRender: Sendable {
    private let bodies: Mutex<[[BodyNode]]>
    init(_ bodies: [[BodyNode]]) { self.bodies = Mutex(bodies) }
    /// The body of the chapter at `index`, still held here.
    subscript(index: Int) -> [BodyNode] { bodies.withLock { $0[index] } }
    /// How many nodes the bodies still held have: none once every page is made.
    var nodesHeld: Int { bodies.withLock { $0.reduce(0) { $0 + $1.count } } }
    /// The body of the chapter at `index`, no longer held here.
    func take(_ index: Int) -> [BodyNode] {
        bodies.withLock {
            let taken = $0[index]
            $0[index] = []
            return taken
        }
    }
}

/// The render stage: the linked guide and the templates in, every file of the site out.
public enum SiteRenderer {
    /// Every file of the site, in memory (for tests and small tools).
    public static func render(_ guide: Guide, templates: TemplateSet, contentDirectory: URL) -> [OutputFile] {
        let collected = Collected()
        render(guide, templates: templates, contentDirectory: contentDirectory, emit: collected.add)
        return collected.files.sorted { $0.path < $1.path }
    }

    /// A chapter's `##` sections, for "On this page".
    static func sections(_ chapter: ResolvedChapter) -> [SectionLink] {
        chapter.chapter.markdown.headings.filter { $0.level == 2 }.map { SectionLink(anchor: $0.slug, title: $0.text) }
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var files: [OutputFile] = []
        func add(_ file: OutputFile) { lock.withLock { files.append(file) } }
    }

    /// Renders every file of the site and hands each to `emit` as soon as it is made (from
    /// several threads), so that a page can be written and let go before the next is made.
    /// With a `cache` (serve), a page whose context is unchanged is taken from it.
    public static func render(_ guide: Guide, templates: TemplateSet, contentDirectory: URL,
                              emit: @escaping @Sendable (OutputFile) -> Void) {
        render(guide, templates: templates, contentDirectory: contentDirectory, caches: nil, emit: emit)
    }

    /// With an `edition`, the pages are one language's, in its folder, linking to the others.
    ///
    /// With `pagesWithPrint`, the chapter pages of a long guide are made as its print edition
    /// is written (a streamed file), each from the same render as its print body: only for
    /// an `emit` that writes each streamed file once, as a build's does (a page made in a
    /// stream never written would be missing).
    ///
    /// With `bodies`, the chapters' bodies are taken from there (the guide's chapters hold
    /// only their urgency boxes, for the call card); each is let go once its page is made
    /// when the pages are made with the print edition.
    static func render(_ guide: Guide, templates: TemplateSet, contentDirectory: URL, caches: RenderCaches?,
                       edition: SiteEdition? = nil, pagesWithPrint: Bool = false, bodies: BodiesToRender? = nil,
                       emit: @escaping @Sendable (OutputFile) -> Void) {
        let edition = edition ?? .single(guide.config)
        let root = edition.root, folder = edition.language.folder
        // Pages of the same shape (most chapter pages) are filled in, not rendered each.
        let shapes = caches?.shapes(for: templates, fingerprint: templates.fingerprint)
            ?? TemplateShapes(templates: templates, forPartials: false)
        @Sendable func renderPage<Context: TemplateContext & Equatable & Sendable>(_ path: String, _ context: Context, _ template: String) -> OutputFile {
            // A build's page is made as bytes and written as they are: made as a string, each
            // of its hundreds of pieces was added through the string's checks, and each value
            // escaped into a string of its own first. Serve keeps its pages as strings, to compare.
            guard let caches else {
                return OutputFile(path: folder + path, contents: .bytes(shapes.render(template, typed: context, as: UTF8Text.self).data))
            }
            let (text, kept) = caches.pages.page(folder + path, context) { shapes.render(template, typed: context, as: String.self) }
            var file = OutputFile(path: folder + path, contents: .text(text))
            file.sameAsLastBuild = kept
            return file
        }
        @Sendable func body<Value: Sendable>(_ use: String, _ chapter: ResolvedChapter, _ make: () -> Value) -> Value {
            guard let caches else { return make() }
            return caches.bodies.body(folder + use, chapter, make: make)
        }
        let config = guide.config
        let strings = templates.strings
        let dates = Strings.Dates(strings)
        let guideTitle = ["guide": config.title]
        var details = SiteContext(title: config.title, language: config.language, hasGlossary: !guide.glossary.terms.isEmpty)
        details.showIDs = config.showIDs
        details.organisation = config.organisation
        details.contactPhone = config.contactPhone
        details.contactWeb = config.contactWeb
        details.emergencyNumber = config.emergencyNumber
        details.disclaimer = config.disclaimer
        details.logoHref = config.logo.map { URLPolicy.encode(root + $0.path) }
        details.stylesheetHref = root + details.stylesheetHref
        details.scriptHref = root + details.scriptHref
        details.searchScriptHref = root + details.searchScriptHref
        let urgencyChapters = Set(guide.chapters.compactMap { $0.hasUrgencyBoxes ? $0.id : nil })
        details.hasCallCard = !urgencyChapters.isEmpty
        let site = details
        /// A page's meta: its canonical address (a fallback page's is its source page) and
        /// its languages.
        @Sendable func meta(_ title: String, _ description: String?, _ page: String, chapter: ChapterID? = nil) -> PageMeta {
            let shownInSource = chapter.map { edition.pages[$0] == .fallback } ?? false
            let address = (shownInSource ? "" : folder) + (page == "index.html" ? "" : page)
            var meta = PageMeta(title: title, description: description, canonical: config.baseURL.map { $0 + address })
            meta.alternates = edition.alternates(page, chapter: chapter, baseURL: config.baseURL)
            meta.languages = edition.switcher(page)
            meta.hasLanguages = !meta.languages.isEmpty
            // The source page is the one to index; this copy only frames it in the language.
            meta.noindex = shownInSource
            return meta
        }
        @Sendable func isFallback(_ chapter: ResolvedChapter) -> Bool { edition.pages[chapter.id] == .fallback }
        // Languages named in the page's language ("inglés"), as a sentence names them.
        let sourceLanguageName = SiteEdition.name(of: edition.source.id, in: edition.language.id) ?? edition.source.name
        let ownLanguageName = SiteEdition.name(of: edition.language.id, in: edition.language.id) ?? edition.language.name
        let shownIn = strings.format("shown-in", ["language": sourceLanguageName])
        @Sendable func link(_ c: ResolvedChapter) -> ChapterLinkContext {
            var link = ChapterLinkContext(href: c.id.pageName, id: c.id.description, title: c.title, summary: c.frontMatter.summary)
            if isFallback(c) { (link.titleLanguage, link.languageNote) = (edition.source.id, shownIn) }
            return link
        }

        let home = HomeContext(
            site: site, page: meta(config.title, nil, "index.html"),
            start: guide.chapters.first.map(link),
            tracks: guide.tracks.map { track in
                HomeContext.Track(id: track.track.id, anchor: "track-" + track.track.id.lowercased(),
                                  title: track.track.title, chapters: track.chapters.map(link))
            })

        let byID = Dictionary(guide.chapters.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let chapters = guide.chapters
        /// The chapter at `index` with its whole body; with `taking`, the body is no longer
        /// held in `bodies` (its last reader).
        @Sendable func whole(_ index: Int, taking: Bool = false) -> ResolvedChapter {
            guard let bodies else { return chapters[index] }
            var chapter = chapters[index]
            chapter.chapter.markdown.body = taking ? bodies.take(index) : bodies[index]
            return chapter
        }
        // Each chapter's track and place in it, found once (not by a search per page).
        var places: [ChapterID: (track: GuideConfig.Track, position: Int, count: Int)] = [:]
        for track in guide.tracks {
            for (n, chapter) in track.chapters.enumerated() { places[chapter.id] = (track.track, n + 1, track.chapters.count) }
        }
        let trackPlaces = places
        /// The body renderer of a kind of page, and its twin for chapters shown in the source
        /// language, which mark the source glossary's terms (explained on its glossary page)
        /// and say their box labels are in the page's language.
        let partials = TemplateShapes(templates: templates, forPartials: true)
        func bodyRenderers(_ page: URLPolicy.Page) -> (own: BodyRenderer, fallback: BodyRenderer) {
            (BodyRenderer(templates: templates, strings: strings, glossary: guide.glossary,
                          policy: URLPolicy(page: page, glossaryPage: site.glossaryHref, filesRoot: root), emergencyNumber: config.emergencyNumber,
                          partials: partials),
             BodyRenderer(templates: templates, strings: strings, glossary: edition.sourceGlossary,
                          policy: URLPolicy(page: page, glossaryPage: root + "glossary.html", filesRoot: root, glossaryInPage: false),
                          emergencyNumber: config.emergencyNumber, labelLanguage: edition.language.id, partials: partials))
        }
        let (sitePages, fallbackPages) = bodyRenderers(.site)
        let printed = Set(chapters.map(\.id))
        let (printEdition, printFallback) = bodyRenderers(.printEdition(printed))
        let (card, cardFallback) = bodyRenderers(.otherPage)
        let terms = guide.glossary.terms.map {
            GlossaryContext.Term(anchor: $0.anchor, term: $0.term, abbr: $0.abbr,
                                 aliases: $0.aliases.isEmpty ? nil : $0.aliases.joined(separator: ", "), definition: $0.definition)
        }

        /// The page of the chapter at `index`, with its body (its title apart).
        @Sendable func chapterPage(_ index: Int, _ madeBody: (title: String?, body: String)) {
            let chapter = chapters[index]
            let matter = chapter.frontMatter
            let (track, position, inTrack) = trackPlaces[chapter.id]!
            let page = meta("\(chapter.title) – \(config.title)", matter.summary, chapter.id.pageName, chapter: chapter.id)
            // A chapter shown in the source language is in that language for search engines too.
            var pageConfig = config
            if isFallback(chapter) { pageConfig.language = edition.source.id }
            let structuredData = [StructuredData.medicalWebPage(chapter, config: pageConfig, canonical: page.canonical)]
                + (StructuredData.faqPage(chapter.chapter.markdown.faqs).map { [$0] } ?? [])
            let (ownHeading, html) = madeBody
            var notice: TranslationNotice?
            switch edition.pages[chapter.id] {
            case .fallback?:
                notice = TranslationNotice(text: strings.format("translation-missing", ["language": ownLanguageName, "source": sourceLanguageName]))
            case .stale?:
                notice = TranslationNotice(text: strings.format("translation-stale", ["source": sourceLanguageName]),
                                           linkText: strings.format("translation-stale-link", ["source": sourceLanguageName]),
                                           href: edition.href(chapter.id.pageName, in: edition.source))
            default:
                break
            }
            let sections = Self.sections(chapter)
            let context = ChapterContext(
                site: site,
                page: page,
                id: chapter.id.description, title: chapter.title, summary: matter.summary,
                html: html,
                hasOwnHeading: chapter.chapter.markdown.headings.first.map { $0.level == 1 } ?? false,
                trackTitle: track.title, trackAnchor: "track-" + track.id.lowercased(),
                positionInTrack: position, chaptersInTrack: inTrack,
                chapterPlace: strings.format("chapter-place", ["position": String(position), "count": String(inTrack)]),
                hasUrgencyBoxes: urgencyChapters.contains(chapter.id),
                ownHeading: ownHeading,
                sections: sections,
                hasContents: sections.count >= 3,
                reviewed: matter.reviewed?.description, reviewedLong: matter.reviewed.map { dates($0) },
                nextReviewLong: config.nextReview(after: matter.reviewed).map { dates($0) },
                reviewer: matter.reviewer, isDraft: matter.draft,
                previous: index > 0 ? link(chapters[index - 1]) : nil,
                next: index + 1 < chapters.count ? link(chapters[index + 1]) : nil,
                related: chapter.related.compactMap { byID[$0] }.map(link),
                hasRelated: !chapter.related.isEmpty,
                structuredData: structuredData,
                movedAnchors: guide.redirects.anchors[chapter.id].map(Self.movedAnchorsJSON),
                contentLanguage: isFallback(chapter) ? edition.source.id : nil,
                notice: notice)
            emit(renderPage(chapter.id.pageName, context, "chapter"))
        }
        let chapterPages: @Sendable () -> Void = {
            _ = parallelMap(Array(chapters.indices)) { index in
                let chapter = chapters[index]
                chapterPage(index, body("page", chapter) { (isFallback(chapter) ? fallbackPages : sitePages).renderTitleApart(whole(index)) })
            }
        }

        @Sendable func printRenderer(_ chapter: ResolvedChapter) -> BodyRenderer { isFallback(chapter) ? printFallback : printEdition }
        @Sendable func printChapter(_ chapter: ResolvedChapter, html: String) -> PrintContext.Chapter {
            PrintContext.Chapter(
                id: chapter.id.description, anchor: PrintEdition.anchor(chapter.id), title: chapter.title,
                trackTitle: trackPlaces[chapter.id]?.track.title ?? "", html: html,
                hasOwnHeading: chapter.chapter.markdown.headings.first.map { $0.level == 1 } ?? false,
                reviewedLong: chapter.frontMatter.reviewed.map { dates($0) }, reviewer: chapter.frontMatter.reviewer,
                contentLanguage: isFallback(chapter) ? edition.source.id : nil)
        }
        var printMeta = meta(strings.format("title-print", guideTitle), strings.format("description-print", guideTitle), "print.html")
        printMeta.noindex = true
        // A build of a long guide writes the edition as its bodies are made, a few hundred
        // at a time (60 MB at 10,000 chapters, never all held); serve keeps pages whole, to
        // compare, and a short edition is rendered whole.
        var streamedPrint: TemplateShapes.StreamedPage?
        if caches == nil, chapters.count + terms.count >= TemplateShapes.fewestStreamedItems {
            let outline = PrintContext(site: site, page: printMeta, chapters: chapters.map { printChapter($0, html: "") },
                                       terms: terms, hasTerms: !terms.isEmpty)
            let endings = parallelMap(Array(chapters.indices)) { printRenderer(chapters[$0]).ending(whole($0)) }
            streamedPrint = shapes.streamed("print", outline.templateFields(bodies: endings))
        }
        // With `pagesWithPrint`, each chapter's page is made as the streamed edition reaches
        // the chapter, from the render that makes its print body too.
        let pagesGoWithPrint = pagesWithPrint && streamedPrint != nil
        let printPage: @Sendable () -> Void = { [streamedPrint, printMeta] in
            if let page = streamedPrint {
                return emit(OutputFile(path: folder + "print.html", contents: .streamed(StreamedText { output in
                    let bodies = MadeInBatches(Array(chapters.indices)) { index -> String in
                        let chapter = chapters[index]
                        guard pagesGoWithPrint else { return printRenderer(chapter).render(whole(index)) }
                        let made = (isFallback(chapter) ? fallbackPages : sitePages).renderTitleApart(whole(index, taking: true),
                                                                                                       printedBy: printRenderer(chapter))
                        chapterPage(index, (made.title, made.body))
                        return made.print
                    }
                    TemplateShapes.write(page, texts: bodies.value, into: &output)
                })))
            }
            let printChapters = parallelMap(Array(chapters.indices)) { index in
                let chapter = chapters[index]
                return printChapter(chapter, html: body("print", chapter) { printRenderer(chapter).render(whole(index)) })
            }
            let context = PrintContext(site: site, page: printMeta, chapters: printChapters, terms: terms, hasTerms: !terms.isEmpty)
            // A build writes the edition's pieces as they are; serve keeps pages whole, to compare.
            guard caches == nil else { return emit(renderPage("print.html", context, "print")) }
            emit(OutputFile(path: folder + "print.html", contents: .pieces(shapes.render("print", typed: context, as: PageTextPieces.self).pieces)))
        }

        let otherPages: @Sendable () -> Void = {
            emit(renderPage("index.html", home, "index"))
            emit(renderPage("glossary.html", GlossaryContext(site: site, page: meta(strings.format("title-glossary", guideTitle), strings.format("description-glossary", guideTitle), "glossary.html"), terms: terms), "glossary"))
            if site.hasCallCard {
                // Every box of every chapter, by urgency (most urgent first), in series order.
                let boxes = parallelMap(chapters.filter { urgencyChapters.contains($0.id) }) { chapter in
                    let language = isFallback(chapter) ? edition.source.id : nil
                    return body("call card", chapter) { (isFallback(chapter) ? cardFallback : card).urgencyBoxes(chapter) }.map {
                        (kind: $0.kind, box: CallCardContext.Box(chapter: link(chapter), html: $0.html, contentLanguage: language))
                    }
                }.flatMap { $0 }
                let groups = [CalloutKind.emergency, .urgent, .nonUrgent].compactMap { kind -> CallCardContext.Group? in
                    let inGroup = boxes.filter { $0.kind == kind }.map(\.box)
                    guard !inGroup.isEmpty else { return nil }
                    return CallCardContext.Group(kind: kind.rawValue, label: strings.format("call-card-\(kind.rawValue)"), boxes: inGroup)
                }
                var cardMeta = meta(strings.format("title-call-card", guideTitle), strings.format("description-call-card", guideTitle), "call-card.html")
                cardMeta.noindex = true
                emit(renderPage("call-card.html", CallCardContext(site: site, page: cardMeta, groups: groups), "call-card"))
            }
            emit(renderPage("search.html", PlainPageContext(site: site, page: meta(strings.format("title-search", guideTitle), nil, "search.html")), "search"))
            emit(renderPage("404.html", PlainPageContext(site: site, page: PageMeta(title: strings.format("title-not-found", guideTitle))), "404"))

            for redirect in guide.redirects.pages {
                let href: String, targetTitle: String
                switch redirect.target {
                case let .chapter(id, heading):
                    href = URLPolicy.encode(id.pageName + (heading.map { "#" + $0 } ?? ""))
                    let target = byID[id]
                    targetTitle = target.map { config.showIDs ? "\($0.id): \($0.title)" : $0.title } ?? id.description
                case let .page(path):
                    href = URLPolicy.encode(path)
                    let names = ["index.html": config.title, "glossary.html": strings.format("glossary"), "search.html": strings.format("search"),
                                 "print.html": strings.format("print-the-guide"), "call-card.html": strings.format("call-card")]
                    targetTitle = names[path] ?? path
                }
                // The canonical address is the page itself, without the heading.
                let targetPage = String(href.prefix { $0 != "#" })
                var page = meta(strings.format("title-moved", ["page": targetTitle, "guide": config.title]), nil, targetPage)
                page.canonical = page.canonical ?? targetPage
                page.noindex = true
                (page.alternates, page.languages, page.hasLanguages) = ([], [], false)
                let context = RedirectContext(site: site, page: page, href: href, hrefScript: jsonString(href, .script),
                                              keepsAnchor: !href.contains("#"), targetTitle: targetTitle)
                emit(renderPage(redirect.path, context, "redirect"))
            }
            // The rest is the site's once: its sitemap, its shared files.
            guard edition.isSource else { return }
            // Only current pages: redirect pages are never listed.
            if let base = config.baseURL {
                var urls = [SitemapContext.URL(loc: base, lastmod: nil)]
                urls += chapters.map { SitemapContext.URL(loc: base + $0.id.pageName, lastmod: $0.frontMatter.reviewed?.description) }
                urls.append(SitemapContext.URL(loc: base + "glossary.html", lastmod: nil))
                // Each translation's own pages; a page it shows in the source language is the source's.
                for language in edition.languages.dropFirst() {
                    urls.append(SitemapContext.URL(loc: base + language.folder, lastmod: nil))
                    urls += chapters.filter { language.translated?.contains($0.id) == true }.map {
                        SitemapContext.URL(loc: base + language.folder + $0.id.pageName, lastmod: nil)
                    }
                }
                emit(renderPage("sitemap.xml", SitemapContext(urls: urls), "sitemap.xml"))
            }

            for (path, contents) in templates.staticFiles.sorted(by: { $0.key < $1.key }) {
                emit(OutputFile(path: path, contents: contents))
            }
            for path in guide.files {
                emit(OutputFile(path: path, contents: .copy(of: contentDirectory.appendingPathComponent(path))))
            }
        }
        // The parts at once: the print edition, whose one long page is the longest single
        // piece of work (started first, so that it does not finish last), with the chapter
        // pages when they are made from its renders (else they are a part of their own); and
        // the rest. Each part also uses every core.
        runConcurrently(pagesGoWithPrint ? [printPage, otherPages] : [printPage, chapterPages, otherPages])
    }
}

extension SiteRenderer {
    /// Old anchor → new, as JSON for a `data-` attribute, in a stable order.
    static func movedAnchorsJSON(_ moved: [String: String]) -> String {
        "{" + moved.sorted { $0.key < $1.key }.map { jsonString($0.key, .script) + ":" + jsonString($0.value, .script) }.joined(separator: ",") + "}"
    }
}

