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
    var templateDictionary: [String: Any] { get }
}

extension SiteContext: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = [
            "title": title, "language": language, "homeHref": homeHref, "glossaryHref": glossaryHref, "searchHref": searchHref,
            "printHref": printHref, "stylesheetHref": stylesheetHref, "scriptHref": scriptHref, "callCardHref": callCardHref,
            "hasGlossary": hasGlossary, "hasCallCard": hasCallCard, "showIDs": showIDs,
            "searchScriptHref": searchScriptHref,
        ]
        values["organisation"] = organisation
        values["contactPhone"] = contactPhone
        values["contactWeb"] = contactWeb
        values["emergencyNumber"] = emergencyNumber
        values["disclaimer"] = disclaimer
        values["logoHref"] = logoHref
        return values
    }
}

extension ChapterLinkContext: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = ["href": href, "id": id, "title": title]
        values["summary"] = summary
        values["titleLanguage"] = titleLanguage
        values["languageNote"] = languageNote
        return values
    }
}

extension PageMeta: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = ["title": title, "noindex": noindex, "alternates": alternates.map(\.templateDictionary),
                                     "languages": languages.map(\.templateDictionary), "hasLanguages": hasLanguages]
        values["description"] = description
        values["canonical"] = canonical
        return values
    }
}

extension HomeContext.Track: TemplateContext {
    var templateDictionary: [String: Any] {
        ["id": id, "anchor": anchor, "title": title, "chapters": chapters.map(\.templateDictionary)]
    }
}

extension HomeContext: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = ["site": site.templateDictionary, "page": page.templateDictionary, "tracks": tracks.map(\.templateDictionary)]
        values["start"] = start?.templateDictionary
        return values
    }
}

extension ChapterContext: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = [
            "site": site.templateDictionary, "page": page.templateDictionary, "id": id, "title": title, "html": html,
            "hasOwnHeading": hasOwnHeading, "trackTitle": trackTitle, "trackAnchor": trackAnchor, "positionInTrack": positionInTrack,
            "chaptersInTrack": chaptersInTrack, "chapterPlace": chapterPlace, "hasUrgencyBoxes": hasUrgencyBoxes,
            "sections": sections.map(\.templateDictionary), "hasContents": hasContents, "isDraft": isDraft,
            "related": related.map(\.templateDictionary), "hasRelated": hasRelated, "structuredData": structuredData,
        ]
        values["summary"] = summary
        values["ownHeading"] = ownHeading
        values["reviewed"] = reviewed
        values["reviewedLong"] = reviewedLong
        values["nextReviewLong"] = nextReviewLong
        values["reviewer"] = reviewer
        values["previous"] = previous?.templateDictionary
        values["next"] = next?.templateDictionary
        values["movedAnchors"] = movedAnchors
        values["contentLanguage"] = contentLanguage
        values["notice"] = notice?.templateDictionary
        return values
    }
}

extension LanguageLink: TemplateContext {
    var templateDictionary: [String: Any] { ["id": id, "name": name, "href": href, "current": current] }
}

extension TranslationNotice: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = ["text": text]
        values["linkText"] = linkText
        values["href"] = href
        return values
    }
}

extension RedirectContext: TemplateContext {
    var templateDictionary: [String: Any] {
        ["site": site.templateDictionary, "page": page.templateDictionary, "href": href, "hrefScript": hrefScript,
         "keepsAnchor": keepsAnchor, "targetTitle": targetTitle]
    }
}

extension PrintContext.Chapter: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = ["id": id, "anchor": anchor, "title": title, "trackTitle": trackTitle, "html": html, "hasOwnHeading": hasOwnHeading]
        values["reviewedLong"] = reviewedLong
        values["reviewer"] = reviewer
        values["contentLanguage"] = contentLanguage
        return values
    }
}

extension PrintContext: TemplateContext {
    var templateDictionary: [String: Any] {
        ["site": site.templateDictionary, "page": page.templateDictionary, "chapters": chapters.map(\.templateDictionary),
         "terms": terms.map(\.templateDictionary), "hasTerms": hasTerms]
    }
}

extension GlossaryContext.Term: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = ["anchor": anchor, "term": term, "definition": definition]
        values["abbr"] = abbr
        values["aliases"] = aliases
        return values
    }
}

extension GlossaryContext: TemplateContext {
    var templateDictionary: [String: Any] {
        ["site": site.templateDictionary, "page": page.templateDictionary, "terms": terms.map(\.templateDictionary)]
    }
}

extension PlainPageContext: TemplateContext {
    var templateDictionary: [String: Any] { ["site": site.templateDictionary, "page": page.templateDictionary] }
}

extension SitemapContext.URL: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = ["loc": loc]
        values["lastmod"] = lastmod
        return values
    }
}

extension SitemapContext: TemplateContext {
    var templateDictionary: [String: Any] { ["urls": urls.map(\.templateDictionary)] }
}

extension SectionLink: TemplateContext {
    var templateDictionary: [String: Any] { ["anchor": anchor, "title": title] }
}

extension CallCardContext.Box: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = ["chapter": chapter.templateDictionary, "html": html]
        values["contentLanguage"] = contentLanguage
        return values
    }
}

extension CallCardContext.Group: TemplateContext {
    var templateDictionary: [String: Any] { ["kind": kind, "label": label, "boxes": boxes.map(\.templateDictionary)] }
}

extension CallCardContext: TemplateContext {
    var templateDictionary: [String: Any] {
        ["site": site.templateDictionary, "page": page.templateDictionary, "groups": groups.map(\.templateDictionary)]
    }
}

extension HeadingContext: TemplateContext {
    var templateDictionary: [String: Any] { ["level": level, "anchor": anchor, "content": content] }
}

extension CalloutContext: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = ["kind": kind, "label": label, "body": body]
        values["labelLanguage"] = labelLanguage
        return values
    }
}

extension FAQContext: TemplateContext {
    var templateDictionary: [String: Any] { ["anchor": anchor, "question": question, "answer": answer] }
}

extension LinkContext: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = ["href": href, "content": content]
        values["title"] = title
        return values
    }
}

extension ImageContext: TemplateContext {
    var templateDictionary: [String: Any] {
        var values: [String: Any] = ["src": src, "alt": alt]
        values["title"] = title
        return values
    }
}

extension GlossaryMarkContext: TemplateContext {
    var templateDictionary: [String: Any] {
        ["href": href, "text": text, "term": term, "definition": definition, "isAbbreviation": isAbbreviation]
    }
}

extension TaskContext: TemplateContext {
    var templateDictionary: [String: Any] { ["checked": checked, "content": content] }
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
