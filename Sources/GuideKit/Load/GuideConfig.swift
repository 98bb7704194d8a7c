import Foundation

/// The series settings in `guide.yml`.
public struct GuideConfig: Sendable {
    /// A track: the chapters whose id starts with `id`.
    public struct Track: Sendable {
        public var id: String
        public var title: String
        public var location: SourceLocation?
    }

    public var title: String = ""
    public var language: String = "en"
    /// With a trailing `/`, or nil.
    public var baseURL: String?
    public var tracks: [Track] = []
    /// True when guide.yml names the tracks; otherwise each id letter is a track of its own.
    public var declaresTracks = false
    public var targetGrade: Double?
    public var reviewIntervalMonths: Int?
    /// The guide's own words for some of the strings file's (`strings:` in guide.yml), each
    /// with where it is written.
    public var strings: [String: (text: String, location: SourceLocation)] = [:]

    /// The service that hands out the guide, shown in the header (`organisation`).
    public var organisation: String?
    /// How readers reach the service (`contact: {phone: …, url: …}`).
    public var contactPhone: String?
    public var contactWeb: String?
    /// The local emergency number (`911`, `999`, `112`): the emergency box says to call it.
    public var emergencyNumber: String?
    /// The footer's disclaimer, in the guide's words (else the strings file's).
    public var disclaimer: String?
    /// An image under the content folder shown beside the title, relative to it.
    public var logo: (path: String, location: SourceLocation)?
    /// Whether readers see chapter ids ("A0: …"); the ids still name the pages.
    public var showIDs = true
    /// The plain-language checks' thresholds (`plain_language:`); nil turns the checks off
    /// in `guide check` (`guide report` lists their findings with the defaults).
    public var plainLanguage: PlainLanguageSettings?
    /// The languages the guide is translated into (`languages:`), each with its name in
    /// itself; their chapters are in `translations/<id>/`.
    public var languages: [Language] = []
    /// Whole pages that moved (`redirects: {A7: B2}`): each old address, in file order.
    public var redirects: [PageRedirect] = []

    public static let knownKeys = ["title", "language", "base_url", "tracks", "reading_level", "review", "strings",
                                   "organisation", "contact", "emergency_number", "disclaimer", "logo", "show_ids", "redirects", "plain_language", "languages"]

    public init() {}

    /// When a chapter reviewed on `reviewed` is due its next review (`review.interval_months`).
    public func nextReview(after reviewed: Day?) -> Day? {
        guard let reviewed, let months = reviewIntervalMonths else { return nil }
        return reviewed.adding(months: months)
    }

    /// Reads guide.yml; a nil config means it could not be used at all.
    public static func read(_ file: SourceFile) -> (GuideConfig?, [Diagnostic]) {
        var fields = YAMLFields(file: file, rule: .guideConfig)
        let root: YAMLValue?
        do {
            root = try YAMLDocument.compose(file.text)
        } catch {
            return (nil, [.error(.guideConfig, at: file.location(line: error.line, column: error.column), error.message, suggestion: error.suggestion)])
        }
        guard let root else {
            return (nil, [.error(.guideConfig, at: file.location(line: 1, column: 1), "guide.yml is empty; it needs at least 'title:'")])
        }
        guard let pairs = fields.pairs(of: root, what: "guide.yml") else { return (nil, fields.diagnostics) }
        var config = GuideConfig()
        var sawTitle = false
        for (key, keyNode, value) in pairs {
            switch key {
            case "title":
                sawTitle = true
                if let title = fields.text(value, key: keyNode, name: key) { config.title = title }
            case "language":
                if let language = fields.text(value, key: keyNode, name: key) {
                    if isLanguageTag(language) {
                        config.language = language
                    } else {
                        fields.error(keyNode, "'language' must be a BCP 47 language tag such as en or en-GB, but is '\(language)'")
                    }
                }
            case "base_url":
                if let url = fields.text(value, key: keyNode, name: key) {
                    if url.hasPrefix("https://") || url.hasPrefix("http://") {
                        config.baseURL = url.hasSuffix("/") ? url : url + "/"
                    } else {
                        fields.error(keyNode, "'base_url' must start with https:// or http://, but is '\(url)'")
                    }
                }
            case "tracks":
                config.declaresTracks = true
                for entry in idList(value, key: keyNode, fields: &fields, noun: "track", shape: "'- id: A' / 'title: …'", second: "title",
                                    entryExample: nil, missingSecond: "this track has no 'title'", idProblem: { id in
                                        id.allSatisfy { $0.isASCII && $0.isUppercase } ? nil : "a track id is one or more capital letters, like A, but is '\(id)'"
                                    }) {
                    config.tracks.append(Track(id: entry.id, title: entry.text, location: entry.location))
                }
            case "reading_level":
                guard let entry = fields.pairs(of: value, what: "'reading_level'") else { continue }
                for (k, kNode, v) in entry {
                    if k == "target_grade" {
                        if let s = v.scalar?.string, let grade = Double(s), grade > 0 {
                            config.targetGrade = grade
                        } else {
                            fields.error(kNode, "'target_grade' must be a number above 0, like 8")
                        }
                    } else {
                        fields.warning(kNode, "unknown reading_level key '\(k)'", rule: .unknownKey,
                                       suggestion: closestMatch(to: k, in: ["target_grade"]).map { "did you mean '\($0)'?" })
                    }
                }
            case "review":
                guard let entry = fields.pairs(of: value, what: "'review'") else { continue }
                for (k, kNode, v) in entry {
                    if k == "interval_months" {
                        config.reviewIntervalMonths = fields.positiveInt(v, key: kNode, name: k)
                        if let months = config.reviewIntervalMonths, months > 1200 {
                            fields.error(kNode, "'interval_months' must be at most 1200 (100 years), but is \(months)")
                            config.reviewIntervalMonths = nil
                        }
                    } else {
                        fields.warning(kNode, "unknown review key '\(k)'", rule: .unknownKey,
                                       suggestion: closestMatch(to: k, in: ["interval_months"]).map { "did you mean '\($0)'?" })
                    }
                }
            case "organisation":
                config.organisation = fields.text(value, key: keyNode, name: key)
            case "contact":
                guard let entry = fields.pairs(of: value, what: "'contact'") else { continue }
                for (k, kNode, v) in entry {
                    switch k {
                    case "phone": config.contactPhone = fields.text(v, key: kNode, name: k)
                    // `url` as CONTENT-FORMAT.md writes it; `web` as the first issue did.
                    case "url", "web":
                        if let web = fields.text(v, key: kNode, name: k) {
                            if web.hasPrefix("https://") || web.hasPrefix("http://") { config.contactWeb = web } else {
                                fields.error(kNode, "'\(k)' must start with https:// or http://, but is '\(web)'")
                            }
                        }
                    default:
                        fields.warning(kNode, "unknown contact key '\(k)'", rule: .unknownKey,
                                       suggestion: closestMatch(to: k, in: ["phone", "url"]).map { "did you mean '\($0)'?" })
                    }
                }
            case "emergency_number":
                if let number = fields.text(value, key: keyNode, name: key) {
                    if number.count <= 15, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "+" || $0 == " " || $0 == "-") }) {
                        config.emergencyNumber = number
                    } else {
                        fields.error(keyNode, "'emergency_number' must be a phone number, like 911, 999 or 112, but is '\(number)'")
                    }
                }
            case "disclaimer":
                config.disclaimer = fields.text(value, key: keyNode, name: key)
            case "logo":
                if let path = fields.text(value, key: keyNode, name: key) { config.logo = (path, fields.location(keyNode)) }
            case "show_ids":
                if let show = fields.bool(value, key: keyNode, name: key) { config.showIDs = show }
            case "languages":
                for entry in idList(value, key: keyNode, fields: &fields, noun: "language", shape: "'- {id: es, name: Español}'", second: "name",
                                    entryExample: "- {id: es, name: Español}", missingSecond: "this language has no 'name', its name in itself (Español)",
                                    idProblem: { id in
                                        isLanguageTag(id) ? nil : "a language id must be a BCP 47 language tag such as es or zh-Hans, but is '\(id)'"
                                    }) {
                    config.languages.append(Language(id: entry.id, name: entry.text, location: entry.location))
                }
            case "plain_language":
                var settings = PlainLanguageSettings()
                if !value.isNull, let entry = fields.pairs(of: value, what: "'plain_language'",
                                                           example: "plain_language: {sentence_words: 25, paragraph_sentences: 5, passive_percent: 10}") {
                    for (k, kNode, v) in entry {
                        switch k {
                        case "sentence_words": settings.sentenceWords = fields.positiveInt(v, key: kNode, name: k) ?? settings.sentenceWords
                        case "paragraph_sentences": settings.paragraphSentences = fields.positiveInt(v, key: kNode, name: k) ?? settings.paragraphSentences
                        case "passive_percent":
                            if let text = v.scalar?.string, let percent = Double(text), percent >= 0, percent <= 100 {
                                settings.passivePercent = percent
                            } else {
                                fields.error(kNode, "'passive_percent' must be a number from 0 to 100, like 10")
                            }
                        case "everyday_words":
                            settings.everydayWords = Set((fields.textList(v, key: kNode, name: k) ?? []).map { $0.0.lowercased() })
                        default:
                            fields.warning(kNode, "unknown plain_language key '\(k)'", rule: .unknownKey,
                                           suggestion: closestMatch(to: k, in: PlainLanguageSettings.keys).map { "did you mean '\($0)'?" })
                        }
                    }
                }
                config.plainLanguage = settings
            case "redirects":
                guard let entries = fields.pairs(of: value, what: "'redirects'", example: "redirects: {A7: B2}") else { continue }
                for (from, fromNode, to) in entries {
                    guard let target = fields.text(to, key: fromNode, name: from) else { continue }
                    config.redirects.append(PageRedirect(from: from, to: target, location: fields.location(fromNode)))
                }
            case "strings":
                guard let entry = fields.pairs(of: value, what: "'strings'") else { continue }
                for (k, kNode, v) in entry {
                    if let text = fields.text(v, key: kNode, name: k) { config.strings[k] = (text, fields.location(kNode)) }
                }
            default:
                fields.warning(keyNode, "unknown guide.yml key '\(key)'", rule: .unknownKey,
                               suggestion: closestMatch(to: key, in: knownKeys).map { "did you mean '\($0)'?" })
            }
        }
        for language in config.languages where language.id.lowercased() == config.language.lowercased() {
            fields.diagnostics.append(.error(.guideConfig, at: language.location ?? file.location(line: 1, column: 1),
                                             "'\(language.id)' is the guide's own language; 'languages' lists the languages it is translated into"))
        }
        if !sawTitle {
            fields.diagnostics.append(.error(.guideConfig, at: file.location(line: 1, column: 1), "guide.yml has no 'title'"))
        }
        return (config, fields.diagnostics)
    }

    /// A list of `- {id: …, <second>: …}` entries (tracks, languages), each with where it is.
    /// A list that is not one, an entry without either key, a wrong id (`idProblem` says
    /// why) and an id listed twice are reported and left out.
    private static func idList(_ value: YAMLValue, key: YAMLValue, fields: inout YAMLFields, noun: String, shape: String, second: String,
                               entryExample: String?, missingSecond: String, idProblem: (String) -> String?)
        -> [(id: String, text: String, location: SourceLocation)] {
        guard let items = value.sequence else {
            fields.error(key, "'\(noun)s' must be a list of \(shape) entries, but is \(value.kindName)")
            return []
        }
        var result: [(id: String, text: String, location: SourceLocation)] = []
        for item in items {
            guard let entry = fields.pairs(of: item, what: "each \(noun)", example: entryExample) else { continue }
            var id: String?, text: String?
            for (k, kNode, v) in entry {
                switch k {
                case "id":
                    id = fields.text(v, key: kNode, name: "id")
                    if let i = id, let problem = idProblem(i) {
                        fields.error(kNode, problem)
                        id = nil
                    }
                case second: text = fields.text(v, key: kNode, name: second)
                default:
                    fields.warning(kNode, "unknown \(noun) key '\(k)'", rule: .unknownKey,
                                   suggestion: closestMatch(to: k, in: ["id", second]).map { "did you mean '\($0)'?" })
                }
            }
            guard let id, let text else {
                if !entry.contains(where: { $0.key == "id" }) { fields.error(item, "this \(noun) has no 'id'") }
                if !entry.contains(where: { $0.key == second }) { fields.error(item, missingSecond) }
                continue
            }
            if result.contains(where: { $0.id == id }) {
                fields.error(item, "\(noun) '\(id)' is listed twice")
                continue
            }
            result.append((id, text, fields.location(item)))
        }
        return result
    }

    static func isLanguageTag(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = parts.first, (2...8).contains(first.count), first.allSatisfy({ $0.isASCII && $0.isLetter }) else { return false }
        return parts.dropFirst().allSatisfy { (1...8).contains($0.count) && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }
    }
}

/// A published page that moved as a whole (`redirects:` in guide.yml), as written: the old
/// address (a chapter id or a page like `old-page.html`) and where it now leads (a chapter
/// id, optionally with `#heading`, or one of the site's pages).
public struct PageRedirect: Sendable, Equatable {
    public var from: String
    public var to: String
    /// Where `from` is written.
    public var location: SourceLocation
}

/// Thresholds of the plain-language checks (`plain_language:` in guide.yml).
public struct PlainLanguageSettings: Sendable, Equatable {
    /// A sentence of more words is `long-sentence`.
    public var sentenceWords = 25
    /// A paragraph of more sentences is `long-paragraph`.
    public var paragraphSentences = 5
    /// A chapter with a larger share of passive sentences is `passive-voice`.
    public var passivePercent = 10.0
    /// Words the editors judge plain though the frequency list does not (`hard-word` skips them).
    public var everydayWords: Set<String> = []

    public static let keys = ["sentence_words", "paragraph_sentences", "passive_percent", "everyday_words"]
    public init() {}
}

/// A language the guide is translated into (`languages:` in guide.yml).
public struct Language: Sendable, Equatable {
    /// A BCP 47 tag: the folder `translations/<id>/`.
    public var id: String
    /// Its name in itself (Español), for the language switcher.
    public var name: String
    public var location: SourceLocation?
}
