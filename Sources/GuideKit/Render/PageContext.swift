/// What templates see. Templates never get the internal `Chapter`; each page gets one of
/// these plain values, so every key a template uses is listed, typed and tested here.

/// Site-wide values, on every page as `site`.
public struct SiteContext: Sendable, Equatable {
    public var title: String
    public var language: String
    public var homeHref = "index.html"
    public var glossaryHref = "glossary.html"
    public var searchHref = "search.html"
    public var printHref = "print.html"
    public var stylesheetHref = "static/guide.css"
    public var scriptHref = "static/guide.js"
    public var searchScriptHref = "static/search.js"
    public var callCardHref = "call-card.html"
    public var hasGlossary: Bool
    /// The guide has "when to get help" boxes, gathered on the call card.
    public var hasCallCard = false
    /// Readers see chapter ids ("A0: …"): `show_ids` in guide.yml.
    public var showIDs = true
    /// The service's details from guide.yml, when set.
    public var organisation: String?
    public var contactPhone: String?
    public var contactWeb: String?
    public var emergencyNumber: String?
    /// The footer's disclaimer in the guide's words; else the strings file's.
    public var disclaimer: String?
    public var logoHref: String?
}

/// A link to a chapter, as lists and pagers show it.
public struct ChapterLinkContext: Sendable, Equatable {
    public var href: String
    public var id: String
    public var title: String
    public var summary: String?
    /// The language of its title and summary when it is not the page's (a chapter a
    /// translation shows in the source language), and a note that says so ("in English").
    public var titleLanguage: String? = nil
    public var languageNote: String? = nil
}

/// Values every page has, on every page as `page`.
public struct PageMeta: Sendable, Equatable {
    /// The `<title>` text.
    public var title: String
    /// The `<meta name="description">` text.
    public var description: String?
    /// The absolute canonical URL, when `base_url` is set.
    public var canonical: String?
    /// Kept out of search engines: pages that repeat the chapters (print, call card).
    public var noindex = false
    /// The page in every language that has it in its own words, for `hreflang` links.
    public var alternates: [LanguageLink] = []
    /// The page in every language of the site, for the language switcher (empty with one).
    public var languages: [LanguageLink] = []
    public var hasLanguages = false
}

/// The home page.
public struct HomeContext: Sendable, Equatable {
    public struct Track: Sendable, Equatable {
        public var id: String
        public var anchor: String
        public var title: String
        public var chapters: [ChapterLinkContext]
    }
    public var site: SiteContext
    public var page: PageMeta
    public var start: ChapterLinkContext?
    public var tracks: [Track]
}

/// A chapter page.
public struct ChapterContext: Sendable, Equatable {
    public var site: SiteContext
    public var page: PageMeta
    public var id: String
    public var title: String
    public var summary: String?
    /// The chapter body, already HTML.
    public var html: String
    /// False when the body does not start with its own `# Title`, so the template adds one.
    public var hasOwnHeading: Bool
    public var trackTitle: String
    public var trackAnchor: String
    public var positionInTrack: Int
    public var chaptersInTrack: Int
    /// "chapter 2 of 5", from the strings file.
    public var chapterPlace: String
    /// The chapter has "when to get help" boxes (so it links to the call card).
    public var hasUrgencyBoxes = false
    /// The chapter's own `#` title as HTML, when its text starts with one (else `title`).
    public var ownHeading: String?
    /// Its sections (`##` headings), listed "On this page" when there are three or more.
    public var sections: [SectionLink] = []
    public var hasContents = false
    public var reviewed: String?
    public var reviewedLong: String?
    public var nextReviewLong: String?
    public var reviewer: String?
    public var isDraft: Bool
    public var previous: ChapterLinkContext?
    public var next: ChapterLinkContext?
    public var related: [ChapterLinkContext]
    /// Stored, not computed: templates see stored properties only (Mirror reflection).
    public var hasRelated: Bool
    /// schema.org JSON-LD documents, each safe to put in a `<script>` element as it is.
    public var structuredData: [String]
    /// Renamed headings' old anchors → new, as JSON, when the chapter has any
    /// (`anchors:` in its front matter): the page's script takes an old `#anchor` on.
    public var movedAnchors: String? = nil
    /// The language of the chapter's words when it is not the page's (a chapter not yet
    /// translated, shown in the source language).
    public var contentLanguage: String? = nil
    /// Said above the chapter: not yet translated, or translated from an older source.
    public var notice: TranslationNotice? = nil
}

/// `print.html`: the whole guide on one page.
public struct PrintContext: Sendable, Equatable {
    public struct Chapter: Sendable, Equatable {
        public var id: String
        public var anchor: String
        public var title: String
        public var trackTitle: String
        public var html: String
        public var hasOwnHeading: Bool
        public var reviewedLong: String?
        public var reviewer: String?
        /// The chapter's language when it is not the page's (shown in the source language).
        public var contentLanguage: String? = nil
    }
    public var site: SiteContext
    public var page: PageMeta
    public var chapters: [Chapter]
    public var terms: [GlossaryContext.Term]
    public var hasTerms: Bool
}

/// The glossary page.
public struct GlossaryContext: Sendable, Equatable {
    public struct Term: Sendable, Equatable {
        public var anchor: String
        public var term: String
        public var abbr: String?
        public var aliases: String?
        public var definition: String
    }
    public var site: SiteContext
    public var page: PageMeta
    public var terms: [Term]
}

/// Pages with nothing of their own but the site: search and 404.
public struct PlainPageContext: Sendable, Equatable {
    public var site: SiteContext
    public var page: PageMeta
}

/// A page at an old address that sends the reader on (`redirect.mustache`).
public struct RedirectContext: Sendable, Equatable {
    public var site: SiteContext
    /// Its canonical address is where it leads; never indexed.
    public var page: PageMeta
    /// Where it leads, relative to it.
    public var href: String
    /// `href` as a JavaScript string, quotes included.
    public var hrefScript: String
    /// The reader's `#heading` goes along (a page moved as a whole keeps its anchors).
    public var keepsAnchor: Bool
    /// The title of where it leads.
    public var targetTitle: String
}

/// `sitemap.xml`.
public struct SitemapContext: Sendable, Equatable {
    public struct URL: Sendable, Equatable {
        public var loc: String
        public var lastmod: String?
    }
    public var urls: [URL]
}

/// A section of a chapter, for the "On this page" list.
public struct SectionLink: Sendable, Equatable {
    public var anchor: String
    public var title: String
}

/// `call-card.html`: every "when to get help" box of the guide, by urgency, on one sheet.
public struct CallCardContext: Sendable, Equatable {
    public struct Box: Sendable, Equatable {
        /// The chapter it comes from.
        public var chapter: ChapterLinkContext
        /// The whole box, as `partials/callout.mustache` writes it.
        public var html: String
        /// The box's language when it is not the page's.
        public var contentLanguage: String? = nil
    }
    public struct Group: Sendable, Equatable {
        /// `emergency`, `urgent` or `non-urgent`.
        public var kind: String
        public var label: String
        public var boxes: [Box]
    }
    public var site: SiteContext
    public var page: PageMeta
    public var groups: [Group]
}

// MARK: The partials of a chapter body (`Templates/partials/`). Values named `content`,
// `body`, `question` and `answer` are HTML already, for `{{{…}}}`.

/// A context that gives swift-mustache its values as a dictionary directly, instead of
/// through `Mirror` (a long chapter has thousands of links, a guide a thousand pages); a test
/// checks that the two agree for every context, so the template vocabulary (read with
/// Mirror) cannot drift from what templates get. A nil value is no key.
protocol TemplateContext {
    var templateFields: TemplateFields { get }
}

extension TemplateContext {
    /// The values as swift-mustache reads them: nested contexts as dictionaries too.
    var templateDictionary: [String: Any] { templateFields.dictionary }
}

/// A value of a context made of texts, numbers and flags only.
enum FlatValue {
    case text(String)
    case number(Int)
    case flag(Bool)
    /// A nil value: no key.
    case absent

    init(_ text: String?) { self = text.map(FlatValue.text) ?? .absent }
}

/// A context of texts, numbers and flags only, whose type always lists the same keys (a
/// partial's, rendered thousands of times a build): `TemplateShapes` finds its shape from
/// its type and the kind of each value, with no cast and no shape string.
protocol FlatTemplateContext: TemplateContext {
    /// The keys, in order.
    static var flatKeys: [String] { get }
    /// Each key's value, in the order of `flatKeys`.
    var flatValues: [FlatValue] { get }
}

extension FlatTemplateContext {
    var templateFields: TemplateFields {
        var keys: [String] = [], values: [TemplateValue] = []
        for (key, value) in zip(Self.flatKeys, flatValues) {
            switch value {
            case let .text(text): values.append(.text(text))
            case let .number(number): values.append(.number(number))
            case let .flag(flag): values.append(.flag(flag))
            case .absent: continue
            }
            keys.append(key)
        }
        return TemplateFields(keys: keys, values: values)
    }
}

/// A value of a template's context, of a kind `TemplateShapes` reads from its case, with no
/// cast: a thousand pages of dozens of values each are shaped.
enum TemplateValue {
    case text(String)
    case number(Int)
    case flag(Bool)
    case fields(TemplateFields)
    /// A list of nested contexts, which a page may repeat item by item.
    case list([TemplateFields])
    /// A list of other values (texts, or an untyped context's items).
    case values([TemplateValue])
    /// A text made only as its page is written (`TemplateShapes.streamed`).
    case deferred(DeferredText)
    /// Anything else an untyped context holds: never shaped, so rendered by swift-mustache.
    /// Held in a box: an `Any` in place made every value of this type one that is copied,
    /// and told apart by case, through its type's metadata (a thousand pages' values were).
    case other(OtherValue)

    /// A value of another kind (`other`).
    final class OtherValue {
        let value: Any
        init(_ value: Any) { self.value = value }
    }

    /// An untyped context's value (a dictionary's keys sorted), read through casts once.
    init(any value: Any) {
        switch value {
        case let flag as Bool: self = .flag(flag)
        case let text as String: self = .text(text)
        case let number as Int: self = .number(number)
        case let fields as TemplateFields: self = .fields(fields)
        case let list as [TemplateFields]: self = .list(list)
        case let deferred as DeferredText: self = .deferred(deferred)
        case let list as [Any]: self = .values(list.map(TemplateValue.init(any:)))
        case let object as [String: Any]:
            let keys = object.keys.sorted()
            self = .fields(TemplateFields(keys: keys, values: keys.map { TemplateValue(any: object[$0]!) }))
        default: self = .other(OtherValue(value))
        }
    }

    /// A list of either kind.
    var isList: Bool {
        switch self {
        case .list, .values: return true
        default: return false
        }
    }

    /// A text still to be made (`DeferredText`).
    var isDeferred: Bool {
        if case .deferred = self { return true }
        return false
    }

    /// The value as swift-mustache is given it: nested contexts as dictionaries.
    var plain: Any {
        switch self {
        case let .text(text): return text
        case let .number(number): return number
        case let .flag(flag): return flag
        case let .fields(fields): return fields.dictionary
        case let .list(list): return list.map(\.dictionary)
        case let .values(values): return values.map(\.plain)
        case let .deferred(deferred): return deferred
        case let .other(other): return other.value
        }
    }
}

/// A context's values in the order its type lists them, nil values left out: what
/// `TemplateShapes` reads without hashing or sorting keys (the same type always lists its
/// keys in the same order), and what becomes swift-mustache's dictionary.
struct TemplateFields {
    let keys: [String]
    /// Each key's value.
    let values: [TemplateValue]

    init(keys: [String], values: [TemplateValue]) {
        self.keys = keys
        self.values = values
    }

    /// The fields `build` adds, in its order, with room made for `capacity` of them.
    init(capacity: Int, _ build: (inout Builder) -> Void) {
        var builder = Builder()
        builder.keys.reserveCapacity(capacity)
        builder.values.reserveCapacity(capacity)
        build(&builder)
        keys = builder.keys
        values = builder.values
    }

    /// A context's fields added one by one, each value as its own kind of `TemplateValue`, a
    /// nil one left out: overloads by type, not a list of existential (`any`) values, which
    /// were boxed and copied one by one (71 million instructions for a 1,000-chapter guide).
    struct Builder {
        fileprivate var keys: [String] = []
        fileprivate var values: [TemplateValue] = []

        /// `value` is taken, not copied: made by the caller for this field only.
        mutating func add(_ key: String, _ value: consuming TemplateValue?) {
            guard let value else { return }
            assert(!keys.contains(key), "\(key) is listed twice")
            keys.append(key)
            values.append(value)
        }
        mutating func add(_ key: String, _ text: String?) { add(key, text.map(TemplateValue.text)) }
        mutating func add(_ key: String, _ number: Int?) { add(key, number.map(TemplateValue.number)) }
        mutating func add(_ key: String, _ flag: Bool?) { add(key, flag.map(TemplateValue.flag)) }
        /// Not shaped (a page with one is rendered by swift-mustache): `guide report`'s measures.
        mutating func add(_ key: String, _ number: Double?) { add(key, number.map { TemplateValue.other(TemplateValue.OtherValue($0)) }) }
        mutating func add(_ key: String, _ texts: [String]) { add(key, .values(texts.map(TemplateValue.text))) }
        mutating func add(_ key: String, _ list: [TemplateFields]) { add(key, .list(list)) }
        mutating func add<Context: TemplateContext>(_ key: String, _ context: Context?) { add(key, context.map { .fields($0.templateFields) }) }
        mutating func add<Context: TemplateContext>(_ key: String, _ contexts: [Context]) { add(key, .list(contexts.map(\.templateFields))) }
    }

    var dictionary: [String: Any] {
        var result: [String: Any] = [:]
        result.reserveCapacity(keys.count)
        for (key, value) in zip(keys, values) { result[key] = value.plain }
        return result
    }
}

extension SiteContext: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 19) { f in
            f.add("title", title)
            f.add("language", language)
            f.add("homeHref", homeHref)
            f.add("glossaryHref", glossaryHref)
            f.add("searchHref", searchHref)
            f.add("printHref", printHref)
            f.add("stylesheetHref", stylesheetHref)
            f.add("scriptHref", scriptHref)
            f.add("callCardHref", callCardHref)
            f.add("hasGlossary", hasGlossary)
            f.add("hasCallCard", hasCallCard)
            f.add("showIDs", showIDs)
            f.add("searchScriptHref", searchScriptHref)
            f.add("organisation", organisation)
            f.add("contactPhone", contactPhone)
            f.add("contactWeb", contactWeb)
            f.add("emergencyNumber", emergencyNumber)
            f.add("disclaimer", disclaimer)
            f.add("logoHref", logoHref)
        }
    }
}

extension ChapterLinkContext: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 6) { f in
            f.add("href", href)
            f.add("id", id)
            f.add("title", title)
            f.add("summary", summary)
            f.add("titleLanguage", titleLanguage)
            f.add("languageNote", languageNote)
        }
    }
}

extension PageMeta: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 7) { f in
            f.add("title", title)
            f.add("noindex", noindex)
            f.add("alternates", alternates)
            f.add("languages", languages)
            f.add("hasLanguages", hasLanguages)
            f.add("description", description)
            f.add("canonical", canonical)
        }
    }
}

extension HomeContext.Track: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 4) { f in
            f.add("id", id)
            f.add("anchor", anchor)
            f.add("title", title)
            f.add("chapters", chapters)
        }
    }
}

extension HomeContext: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 4) { f in
            f.add("site", site)
            f.add("page", page)
            f.add("tracks", tracks)
            f.add("start", start)
        }
    }
}

extension ChapterContext: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 29) { f in
            f.add("site", site)
            f.add("page", page)
            f.add("id", id)
            f.add("title", title)
            f.add("html", html)
            f.add("hasOwnHeading", hasOwnHeading)
            f.add("trackTitle", trackTitle)
            f.add("trackAnchor", trackAnchor)
            f.add("positionInTrack", positionInTrack)
            f.add("chaptersInTrack", chaptersInTrack)
            f.add("chapterPlace", chapterPlace)
            f.add("hasUrgencyBoxes", hasUrgencyBoxes)
            f.add("sections", sections)
            f.add("hasContents", hasContents)
            f.add("isDraft", isDraft)
            f.add("related", related)
            f.add("hasRelated", hasRelated)
            f.add("structuredData", structuredData)
            f.add("summary", summary)
            f.add("ownHeading", ownHeading)
            f.add("reviewed", reviewed)
            f.add("reviewedLong", reviewedLong)
            f.add("nextReviewLong", nextReviewLong)
            f.add("reviewer", reviewer)
            f.add("previous", previous)
            f.add("next", next)
            f.add("movedAnchors", movedAnchors)
            f.add("contentLanguage", contentLanguage)
            f.add("notice", notice)
        }
    }
}

extension LanguageLink: TemplateContext {
    var templateFields: TemplateFields { TemplateFields(capacity: 4) { f in
        f.add("id", id)
        f.add("name", name)
        f.add("href", href)
        f.add("current", current)
    } }
}

extension TranslationNotice: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 3) { f in
            f.add("text", text)
            f.add("linkText", linkText)
            f.add("href", href)
        }
    }
}

extension RedirectContext: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 6) { f in
            f.add("site", site)
            f.add("page", page)
            f.add("href", href)
            f.add("hrefScript", hrefScript)
            f.add("keepsAnchor", keepsAnchor)
            f.add("targetTitle", targetTitle)
        }
    }
}

extension PrintContext.Chapter: TemplateContext {
    var templateFields: TemplateFields { templateFields(html: .text(html)) }

    /// The fields with `html` in the body's place (a `DeferredText`, for a page written as
    /// its bodies are made).
    func templateFields(html: TemplateValue) -> TemplateFields {
        TemplateFields(capacity: 9) { f in
            f.add("id", id)
            f.add("anchor", anchor)
            f.add("title", title)
            f.add("trackTitle", trackTitle)
            f.add("html", html)
            f.add("hasOwnHeading", hasOwnHeading)
            f.add("reviewedLong", reviewedLong)
            f.add("reviewer", reviewer)
            f.add("contentLanguage", contentLanguage)
        }
    }
}

extension PrintContext: TemplateContext {
    var templateFields: TemplateFields { templateFields(chapters: chapters.map(\.templateFields)) }

    /// The fields with each chapter's body made only as the page is written: how each ends.
    func templateFields(bodies: [DeferredText.Ending]) -> TemplateFields {
        templateFields(chapters: zip(chapters, bodies).map { $0.templateFields(html: .deferred(DeferredText(ending: $1))) })
    }

    private func templateFields(chapters: [TemplateFields]) -> TemplateFields {
        TemplateFields(capacity: 5) { f in
            f.add("site", site)
            f.add("page", page)
            f.add("chapters", chapters)
            f.add("terms", terms)
            f.add("hasTerms", hasTerms)
        }
    }
}

extension GlossaryContext.Term: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 5) { f in
            f.add("anchor", anchor)
            f.add("term", term)
            f.add("definition", definition)
            f.add("abbr", abbr)
            f.add("aliases", aliases)
        }
    }
}

extension GlossaryContext: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 3) { f in
            f.add("site", site)
            f.add("page", page)
            f.add("terms", terms)
        }
    }
}

extension PlainPageContext: TemplateContext {
    var templateFields: TemplateFields { TemplateFields(capacity: 2) { f in
        f.add("site", site)
        f.add("page", page)
    } }
}

extension SitemapContext.URL: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 2) { f in
            f.add("loc", loc)
            f.add("lastmod", lastmod)
        }
    }
}

extension SitemapContext: TemplateContext {
    var templateFields: TemplateFields { TemplateFields(capacity: 1) { f in
        f.add("urls", urls)
    } }
}

extension SectionLink: TemplateContext {
    var templateFields: TemplateFields { TemplateFields(capacity: 2) { f in
        f.add("anchor", anchor)
        f.add("title", title)
    } }
}

extension CallCardContext.Box: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 3) { f in
            f.add("chapter", chapter)
            f.add("html", html)
            f.add("contentLanguage", contentLanguage)
        }
    }
}

extension CallCardContext.Group: TemplateContext {
    var templateFields: TemplateFields { TemplateFields(capacity: 3) { f in
        f.add("kind", kind)
        f.add("label", label)
        f.add("boxes", boxes)
    } }
}

extension CallCardContext: TemplateContext {
    var templateFields: TemplateFields {
        TemplateFields(capacity: 3) { f in
            f.add("site", site)
            f.add("page", page)
            f.add("groups", groups)
        }
    }
}

extension HeadingContext: FlatTemplateContext {
    static let flatKeys = ["level", "anchor", "content"]
    var flatValues: [FlatValue] { [.number(level), .text(anchor), .text(content)] }
}

extension CalloutContext: FlatTemplateContext {
    static let flatKeys = ["kind", "label", "body", "labelLanguage"]
    var flatValues: [FlatValue] { [.text(kind), .text(label), .text(body), FlatValue(labelLanguage)] }
}

extension FAQContext: FlatTemplateContext {
    static let flatKeys = ["anchor", "question", "answer"]
    var flatValues: [FlatValue] { [.text(anchor), .text(question), .text(answer)] }
}

extension LinkContext: FlatTemplateContext {
    static let flatKeys = ["href", "content", "title"]
    var flatValues: [FlatValue] { [.text(href), .text(content), FlatValue(title)] }
}

extension ImageContext: FlatTemplateContext {
    static let flatKeys = ["src", "alt", "title"]
    var flatValues: [FlatValue] { [.text(src), .text(alt), FlatValue(title)] }
}

extension GlossaryMarkContext: FlatTemplateContext {
    static let flatKeys = ["href", "text", "term", "definition", "isAbbreviation"]
    var flatValues: [FlatValue] { [.text(href), .text(text), .text(term), .text(definition), .flag(isAbbreviation)] }
}

extension TaskContext: FlatTemplateContext {
    static let flatKeys = ["checked", "content"]
    var flatValues: [FlatValue] { [.flag(checked), .text(content)] }
}

/// `partials/heading.mustache`: a heading and its anchor.
public struct HeadingContext: Sendable {
    public var level: Int
    public var anchor: String
    public var content: String
}

/// `partials/callout.mustache`: a callout box; `kind` is `note` … `non-urgent`.
public struct CalloutContext: Sendable {
    public var kind: String
    /// The box's label from the strings file (`callout-urgent`).
    public var label: String
    public var body: String
    /// The label's language when the box's words are in another (a chapter a translation
    /// shows in the source language keeps the page's labels).
    public var labelLanguage: String? = nil
}

/// `partials/faq.mustache`: one question of an FAQ block.
public struct FAQContext: Sendable {
    public var anchor: String
    public var question: String
    public var answer: String
}

/// `partials/link.mustache`: a link, with its words (or the words Link filled in).
public struct LinkContext: Sendable {
    public var href: String
    public var title: String?
    public var content: String
}

/// `partials/image.mustache`: an image.
public struct ImageContext: Sendable {
    public var src: String
    public var alt: String
    public var title: String?
}

/// `partials/glossary-mark.mustache`: the first use of a glossary term.
public struct GlossaryMarkContext: Sendable {
    public var href: String
    /// The words as written in the chapter.
    public var text: String
    public var term: String
    public var definition: String
    /// Matched by the entry's abbreviation (`CRS`).
    public var isAbbreviation: Bool
}

/// `partials/task.mustache`: a task-list checkbox and its words.
public struct TaskContext: Sendable {
    public var checked: Bool
    public var content: String
}
