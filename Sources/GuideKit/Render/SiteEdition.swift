import Foundation

/// Where one render's pages sit among the guide's languages: its folder, the other
/// languages a page links to (`hreflang` alternates and the language switcher), and which
/// of its chapters are shown in the source language or from an older source.
public struct SiteEdition: Sendable {
    /// A language of the site, as pages link to it.
    public struct Language: Sendable {
        /// BCP 47 tag.
        public var id: String
        /// Its name in itself.
        public var name: String
        /// The folder of its pages: "" for the guide's own language, "es/".
        public var folder: String
        /// Its translated chapters; nil for the guide's own language, which has them all.
        public var translated: Set<ChapterID>?

        /// Whether this language has a page in its own words: every page but the page of a
        /// chapter it has not translated.
        func hasOwnPage(for chapter: ChapterID?) -> Bool {
            guard let translated, let chapter else { return true }
            return translated.contains(chapter)
        }
    }

    /// This render's language.
    public var language: Language
    /// Every language of the site, the guide's own first (just this one for a guide with no translations).
    public var languages: [Language]
    /// How each chapter of an edition stands; empty for the guide's own language.
    public var pages: [ChapterID: LanguageEdition.Page] = [:]
    /// The guide's own glossary, for the marks in chapters shown in its language.
    public var sourceGlossary = Glossary()

    /// From this render's folder to the site's top: "" or "../".
    public var root: String { String(repeating: "../", count: language.folder.split(separator: "/").count) }
    public var isSource: Bool { language.translated == nil }
    var source: Language { languages[0] }

    /// The only language of a guide with no translations.
    static func single(_ config: GuideConfig) -> SiteEdition {
        let language = Language(id: config.language, name: ownName(of: config.language), folder: "", translated: nil)
        return SiteEdition(language: language, languages: [language])
    }

    /// The guide's own language and each edition, as each of their renders sees the site.
    static func all(_ guide: Guide, editions: [LanguageEdition]) -> [SiteEdition] {
        let config = guide.config
        let source = Language(id: config.language, name: ownName(of: config.language), folder: "", translated: nil)
        let languages = [source] + editions.map { Language(id: $0.language.id, name: $0.language.name, folder: $0.folder, translated: $0.translatedIDs) }
        return languages.enumerated().map { index, language in
            SiteEdition(language: language, languages: languages, pages: index == 0 ? [:] : editions[index - 1].pages,
                        sourceGlossary: guide.glossary)
        }
    }

    /// A language's name in itself ("English", "Deutsch"), for the switcher; the tag when unknown.
    static func ownName(of tag: String) -> String {
        guard let name = name(of: tag, in: tag) else { return tag }
        return name.prefix(1).uppercased() + name.dropFirst()
    }

    /// A language's name as a sentence in `language` writes it ("inglés" in Spanish), or nil when unknown.
    static func name(of tag: String, in language: String) -> String? {
        let code = tag.split(separator: "-").first.map(String.init) ?? tag
        guard let name = Locale(identifier: language).localizedString(forLanguageCode: code), !name.isEmpty, name != code else { return nil }
        return name
    }

    /// The address of `page` in `other`'s folder, from a page of this render.
    func href(_ page: String, in other: Language) -> String { other.id == language.id ? page : root + other.folder + page }

    /// The page in every language, for the switcher: this one marked current.
    func switcher(_ page: String) -> [LanguageLink] {
        guard languages.count > 1 else { return [] }
        return languages.map { LanguageLink(id: $0.id, name: $0.name, href: href(page, in: $0), current: $0.id == language.id) }
    }

    /// The languages that have `page` in their own words, for `hreflang` alternates, and
    /// `x-default` (the guide's own language) for a reader whose language is none of them:
    /// none when this page is not itself in its language (a fallback page).
    func alternates(_ page: String, chapter: ChapterID?, baseURL: String?) -> [LanguageLink] {
        let having = languages.filter { $0.hasOwnPage(for: chapter) }
        guard having.count > 1, language.hasOwnPage(for: chapter) else { return [] }
        func link(_ other: Language, id: String) -> LanguageLink {
            LanguageLink(id: id, name: other.name, href: baseURL.map { $0 + other.folder + page } ?? href(page, in: other),
                         current: other.id == language.id)
        }
        return having.map { link($0, id: $0.id) } + [link(source, id: "x-default")]
    }
}

/// A page in one language, as the switcher and the `hreflang` alternates link to it.
public struct LanguageLink: Sendable, Equatable {
    public var id: String
    public var name: String
    public var href: String
    public var current: Bool
}

/// What a chapter page tells the reader about its language: shown in the source language,
/// or translated from an older version of its source.
public struct TranslationNotice: Sendable, Equatable {
    public var text: String
    /// The current source page, for a stale translation.
    public var linkText: String?
    public var href: String?
}
