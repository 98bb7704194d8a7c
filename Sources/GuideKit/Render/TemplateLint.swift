import Mustache

/// What swift-mustache accepts without a word but a reader would notice: a partial or
/// parent template that does not exist, and a variable that no page has (a typo in
/// `{{page.titel}}` would leave every `<title>` empty). Parsing itself is swift-mustache's;
/// this only reads the names inside the tags, with their positions.
enum TemplateLint {
    /// One `{{…}}` tag: its kind (`#`, `^`, `>`, … or nil for a plain variable), its name
    /// and where it starts.
    struct Tag: Equatable {
        var sigil: Character?
        var name: String
        var line: Int
        var column: Int
    }

    /// The tags of a template, in order. Stops at a `{{=… …=}}` delimiter change, after
    /// which tags are written differently.
    /// Without spaces and tabs at either end (as Foundation's `.whitespaces`: tab and the
    /// space separators), without Foundation, which was a share of every build.
    static func trimmed<S: BidirectionalCollection>(_ characters: S) -> String where S.Element == Character {
        func isSpace(_ c: Character) -> Bool {
            c.unicodeScalars.allSatisfy { $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }
        }
        guard let first = characters.firstIndex(where: { !isSpace($0) }), let last = characters.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(characters[first...last])
    }

    static func tags(in text: String) -> [Tag] {
        var tags: [Tag] = []
        var text = text
        text.withUTF8 { bytes in
            let n = bytes.count
            let open = UInt8(ascii: "{"), close = UInt8(ascii: "}"), newline = UInt8(ascii: "\n")
            // A tag's column counts characters from the last tag on its line (or the line's
            // start), so a long line of many tags is read once, not once per tag.
            var line = 1, columnAt = (offset: 0, column: 1), i = 0
            while i < n {
                if bytes[i] == open, i + 1 < n, bytes[i + 1] == open {
                    let triple = i + 2 < n && bytes[i + 2] == open
                    let start = i + (triple ? 3 : 2)
                    var end = start
                    while end + 1 < n, !(bytes[end] == close && bytes[end + 1] == close) { end += 1 }
                    guard end + 1 < n else { break }
                    var content = trimmed(bytes[start..<end])
                    var sigil: Character? = triple ? "{" : nil
                    if let first = content.first, "#^/!>&<$=%".contains(first) {
                        sigil = first
                        content = trimmed(content.dropFirst())
                    }
                    if sigil == "=" { break }
                    // The column counts characters, as an editor shows them.
                    columnAt = (i, columnAt.column + String(decoding: bytes[columnAt.offset..<i], as: UTF8.self).count)
                    tags.append(Tag(sigil: sigil, name: content, line: line, column: columnAt.column))
                    // Move past the tag, counting its lines (a comment may span several).
                    let stop = end + 2 + (triple && end + 2 < n && bytes[end + 2] == close ? 1 : 0)
                    while i < stop {
                        if bytes[i] == newline { line += 1; columnAt = (i + 1, 1) }
                        i += 1
                    }
                    continue
                }
                if bytes[i] == newline { line += 1; columnAt = (i + 1, 1) }
                i += 1
            }
        }
        return tags
    }

    /// A tag's bytes without spaces and tabs at either end; ASCII (nearly every tag) without
    /// making characters of it.
    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return trimmed(String(decoding: bytes, as: UTF8.self)) }
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }

    /// The problems of one template (its `tags`, shown as `displayPath`) against the library
    /// of every template and the names pages have.
    static func check(_ tags: [Tag], displayPath: String, library: MustacheLibrary, templateNames: [String],
                      vocabulary: Set<String>) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for tag in tags {
            let location = SourceLocation(file: displayPath, line: tag.line, column: tag.column)
            switch tag.sigil {
            case "!", "/", "$", "%":
                continue
            case ">", "<":
                // Or among the templates' names: the report's are not read into the library
                // by build and check (`TemplateSet.reportTemplates`).
                if library.getTemplate(named: tag.name) == nil, !templateNames.contains(tag.name) {
                    diagnostics.append(.error(.template, at: location,
                                              "the \(tag.sigil == ">" ? "partial" : "parent template") '\(tag.name)' does not exist (there is no \(tag.name).mustache)",
                                              suggestion: closestMatch(to: tag.name, in: templateNames).map { "did you mean '\($0)'?" }))
                }
            default:
                // `{{uppercased(name)}}` applies a transform to `name`.
                var name = tag.name
                if let open = name.firstIndex(of: "("), name.hasSuffix(")") {
                    name = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
                }
                // The strings are checked against the strings file, once the language is known.
                guard name != ".", !name.hasPrefix("strings.") else { continue }
                for part in name.split(separator: ".").map(String.init) where !vocabulary.contains(part) {
                    diagnostics.append(.error(.template, at: location,
                                              "the template uses '\(name)', but no page has a value called '\(part)', so it would show nothing",
                                              suggestion: closestMatch(to: part, in: vocabulary).map { "did you mean '\($0)'?" }))
                    break
                }
            }
        }
        return diagnostics
    }
}

/// Every name a template can use: the stored properties of every page context (read from
/// sample values, so the list cannot drift from the types), and swift-mustache's own names
/// inside a list section.
enum TemplateVocabulary {
    /// A value of every context, with every optional set.
    static let samples: [any TemplateContext & Sendable] = {
        let link = ChapterLinkContext(href: "", id: "", title: "", summary: "", titleLanguage: "", languageNote: "")
        var site = SiteContext(title: "", language: "", hasGlossary: true)
        (site.organisation, site.contactPhone, site.contactWeb, site.emergencyNumber, site.disclaimer, site.logoHref) = ("", "", "", "", "", "")
        var page = PageMeta(title: "", description: "", canonical: "")
        page.noindex = true
        page.alternates = [LanguageLink(id: "", name: "", href: "", current: true)]
        page.languages = page.alternates
        let term = GlossaryContext.Term(anchor: "", term: "", abbr: "", aliases: "", definition: "")
        let samples: [any TemplateContext & Sendable] = [
            HomeContext(site: site, page: page, start: link,
                        tracks: [HomeContext.Track(id: "", anchor: "", title: "", chapters: [link])]),
            ChapterContext(site: site, page: page, id: "", title: "", summary: "", html: "", hasOwnHeading: true,
                           trackTitle: "", trackAnchor: "", positionInTrack: 1, chaptersInTrack: 1, chapterPlace: "", hasUrgencyBoxes: true,
                           ownHeading: "", sections: [SectionLink(anchor: "", title: "")], hasContents: true, reviewed: "",
                           reviewedLong: "", nextReviewLong: "", reviewer: "", isDraft: false, previous: link, next: link,
                           related: [link], hasRelated: true, structuredData: [""], movedAnchors: "", contentLanguage: "",
                           notice: TranslationNotice(text: "", linkText: "", href: "")),
            RedirectContext(site: site, page: page, href: "", hrefScript: "", keepsAnchor: true, targetTitle: ""),
            EditorReportContext(title: "", language: "", today: "", targetGrade: "", targetBar: 0, thresholds: "", englishRules: true,
                                chapters: [EditorReportContext.Chapter(
                                    order: 0, id: "", title: "", file: "", anchor: "", draft: true, words: 0, minutes: 0, fleschKincaid: "",
                                    smog: "", readingEase: "", fleschKincaidValue: 0, smogValue: 0, readingEaseValue: 0, fleschKincaidBar: 0,
                                    smogBar: 0, readingEaseBar: 0, aboveTarget: true, reviewed: "", nextReview: "", reviewedLong: "",
                                    nextReviewLong: "", timelineStart: 0, timelineWidth: 0, hasTimeline: true, dueSoon: true, hotSpotCount: 0,
                                    hasHotSpots: true, hotSpots: [EditorReportContext.HotSpot(location: "", rule: "", message: "", suggestion: "", sentenceHTML: "")])],
                                dueSoon: [EditorReportContext.Due(id: "", title: "", anchor: "", date: "", when: "", overdue: true)], hasDueSoon: true,
                                timelineFrom: "", timelineTo: "", todayAt: 0, hotSpotTotal: 0),
            PrintContext(site: site, page: page,
                         chapters: [PrintContext.Chapter(id: "", anchor: "", title: "", trackTitle: "", html: "",
                                                         hasOwnHeading: true, reviewedLong: "", reviewer: "", contentLanguage: "")],
                         terms: [term], hasTerms: true),
            GlossaryContext(site: site, page: page, terms: [term]),
            CallCardContext(site: site, page: page, groups: [CallCardContext.Group(kind: "", label: "", boxes: [CallCardContext.Box(chapter: link, html: "", contentLanguage: "")])]),
            PlainPageContext(site: site, page: page),
            SitemapContext(urls: [SitemapContext.URL(loc: "", lastmod: "")]),
            HeadingContext(level: 1, anchor: "", content: ""),
            CalloutContext(kind: "", label: "", body: "", labelLanguage: ""),
            FAQContext(anchor: "", question: "", answer: ""),
            LinkContext(href: "", title: "", content: ""),
            ImageContext(src: "", alt: "", title: ""),
            GlossaryMarkContext(href: "", text: "", term: "", definition: "", isAbbreviation: true),
            TaskContext(checked: true, content: ""),
        ]
        return samples
    }()

    /// Read from the samples' typed fields, which hold what Mirror would find (a test holds
    /// them to it) without Mirror's reflection, which was 4 ms of every build.
    static let names: Set<String> = {
        var names: Set<String> = ["first", "last", "index", "even", "odd"]
        func collect(_ fields: TemplateFields) {
            for (key, value) in zip(fields.keys, fields.values) {
                names.insert(key)
                switch value {
                case let .fields(nested): collect(nested)
                case let .list(list): list.forEach(collect)
                default: break
                }
            }
        }
        // Typed as contexts: no cast, whose first look for each type's conformance went
        // through all of the program's (a quarter of a millisecond a type, as a build starts).
        for sample in samples { collect(sample.templateFields) }
        return names
    }()
}
