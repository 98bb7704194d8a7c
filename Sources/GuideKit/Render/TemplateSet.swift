import Foundation
import Mustache

/// The site's templates and static files, loaded from a templates folder.
public struct TemplateSet: Sendable {
    /// Every page template a site needs; each lives in `<name>.mustache`.
    public static let requiredTemplates = ["layout", "index", "chapter", "glossary", "search", "404", "print", "call-card", "sitemap.xml", "redirect"]
        + BodyRenderer.partials.map { "partials/" + $0 }

    /// The folder whose files override the built-in ones, if any.
    public var directory: URL?
    public var displayRoot: String
    public var library: MustacheLibrary
    /// False for a set loaded for checking only (`load(…, forChecking: true)`): a template
    /// whose text is the built-in one's is not read into swift-mustache (it is known to
    /// read), so the set renders nothing.
    public private(set) var rendersPages = true
    /// The non-template files (CSS, JS, icons) by their path, copied into the site.
    public var staticFiles: [String: OutputFile.Contents]
    /// Each template's text and tags (found once, for the lint, `directTemplates` and the
    /// strings check), by its path under the folder.
    var texts: [(relative: String, text: String, tags: [TemplateLint.Tag])] = []
    /// The strings files (`strings/en.yml` …): their text and how messages name them.
    var stringFiles: [String: (text: String, displayPath: String)] = [:]
    /// The words around the guide's own, once the guide's language is known (`withStrings`).
    public var strings = Strings(values: [:], displayPath: "")
    /// The templates only `guide report` renders (the editor report). Build and check lint
    /// their tags but do not read them into swift-mustache, whose parser takes time that
    /// grows with the square of a template's length: the editor report was half of all the
    /// templates' parsing. `withReportTemplates(log:)` reads them.
    static let reportTemplates: Set<String> = ["editor-report"]
    /// The report templates' texts and how messages name them, by name, until read.
    var unreadReportTemplates: [String: (text: String, displayPath: String)] = [:]

    /// How messages name a built-in file.
    static let builtInRoot = "(built-in templates)"

    /// The built-in templates, with each file of `directory` (when given) in place of the
    /// built-in file of the same path, as in mdBook: a folder needs only the files it
    /// changes. A template's mistakes (syntax, a missing partial, a variable no page has) go
    /// to `log` at their file, line and column; a folder that does not exist is a
    /// configuration error.
    public static func load(from directory: URL?, displayRoot: String, log: DiagnosticLog) throws -> TemplateSet {
        try load(from: directory, displayRoot: displayRoot, log: log, cache: nil)
    }

    /// With a `cache` (serve), templates whose files are all as they were are not read into
    /// swift-mustache and checked again: the set and its diagnostics are the last ones.
    /// With `forChecking` (`guide check`, which renders no page), templates identical to the
    /// built-in ones are linted but not read into swift-mustache again: reading them was a
    /// tenth of checking a 1,000-chapter guide, and a guide made by `guide init`, or with
    /// no templates folder, has only those.
    static func load(from directory: URL?, displayRoot: String, log: DiagnosticLog, cache: TemplateCache?,
                     forChecking: Bool = false) throws -> TemplateSet {
        var sources: [String: (text: String?, url: URL?, displayPath: String)] = [:]
        for (relative, text) in BuiltInTemplates.files {
            sources[relative] = (text, nil, "\(builtInRoot)/\(relative)")
        }
        if let directory {
            let fm = FileManager.default
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ConfigurationError("the templates folder '\(displayRoot)' does not exist")
            }
            for listed in ContentLoader.walk(directory, folder: .templates) {
                let displayPath = "\(displayRoot)/\(listed.relative)"
                // A file guide must not read (a named pipe, a link leading outside, a name that
                // is not UTF-8) is an error at the file: passed over, the built-in file of its
                // name would be used in its place without a word.
                if let problem = listed.problem {
                    log.report(.error(.template, at: SourceLocation(file: displayPath), "this file \(problem.reason)"))
                    continue
                }
                sources[listed.relative] = (nil, directory.appendingPathComponent(listed.relative), displayPath)
            }
        }
        // What the set is made from: every file's path and, but for static files (copied as
        // they are when the site is written), its text.
        var key = displayRoot + "\u{0}"
        if let cache {
            for relative in sources.keys.sorted() {
                let source = sources[relative]!
                let isStatic = !relative.hasSuffix(".mustache") && !relative.hasPrefix("strings/") && !relative.hasPrefix("serve/")
                key += relative + "\u{0}" + source.displayPath + "\u{0}"
                if !isStatic {
                    key += source.url.map { (try? Data(contentsOf: $0)).map { String(decoding: $0, as: UTF8.self) } ?? "\u{1}unreadable" } ?? source.text ?? ""
                }
                key += "\u{0}"
            }
            if let kept = cache.lookup(key) {
                log.report(kept.diagnostics)
                return kept.set
            }
        }
        let loadLog = cache == nil ? log : DiagnosticLog()
        let set = try make(sources, directory: directory, displayRoot: displayRoot, log: loadLog, forChecking: forChecking)
        if let cache {
            log.report(loadLog.diagnostics)
            cache.store(key, set: set, diagnostics: loadLog.diagnostics)
        }
        return set
    }

    private static func make(_ sources: [String: (text: String?, url: URL?, displayPath: String)], directory: URL?,
                             displayRoot: String, log: DiagnosticLog, forChecking: Bool) throws -> TemplateSet {
        var library = MustacheLibrary()
        var staticFiles: [String: OutputFile.Contents] = [:]
        var stringFiles: [String: (text: String, displayPath: String)] = [:]
        var serveFiles: [String: String] = [:]
        var unreadReportTemplates: [String: (text: String, displayPath: String)] = [:]
        var texts: [(relative: String, text: String, tags: [TemplateLint.Tag])] = []
        var displayPaths: [String: String] = [:]
        for relative in sources.keys.sorted() {
            let source = sources[relative]!
            let isTemplate = relative.hasSuffix(".mustache")
            // The strings files are read for the guide's language, not published.
            let isStrings = relative.hasPrefix("strings/")
            guard isTemplate || isStrings else {
                // `serve/` holds what only `guide serve` sends (live reload), never published.
                if relative.hasPrefix("serve/") {
                    serveFiles[relative] = source.url.flatMap { try? String(contentsOf: $0, encoding: .utf8) } ?? source.text ?? ""
                } else {
                    staticFiles[relative] = source.url.map { .copy(of: $0) } ?? .text(source.text ?? "")
                }
                continue
            }
            var text = source.text ?? ""
            if let url = source.url {
                do {
                    text = try SourceFile.read(at: url, relativePath: relative, displayPath: source.displayPath).text
                } catch {
                    log.report(error.diagnostic)
                    continue
                }
            }
            // A template saved with Windows line ends reads as one saved with \n: swift-mustache
            // cannot read \r\n inside a {{$block}}, and its lines are counted as an editor does.
            if text.utf8.contains(UInt8(ascii: "\r")) {
                text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            }
            if isStrings {
                stringFiles[relative] = (text, source.displayPath)
                continue
            }
            let name = String(relative.dropLast(".mustache".count))
            if reportTemplates.contains(name) {
                unreadReportTemplates[name] = (text, source.displayPath)
            } else if forChecking, BuiltInTemplates.files[relative] == text {
                // A built-in template reads (BuiltInTemplateTests): only linted below.
            } else {
                guard let template = parse(text, displayPath: source.displayPath, log: log) else { continue }
                library.register(template, named: name)
            }
            texts.append((relative, text, TemplateLint.tags(in: text)))
            displayPaths[relative] = source.displayPath
        }
        let names = texts.map { String($0.relative.dropLast(".mustache".count)) }
        for (relative, _, tags) in texts {
            log.report(TemplateLint.check(tags, displayPath: displayPaths[relative]!, library: library,
                                          templateNames: names, vocabulary: TemplateVocabulary.names))
        }
        var set = TemplateSet(directory: directory, displayRoot: directory == nil ? builtInRoot : displayRoot, library: library,
                              staticFiles: staticFiles, texts: texts)
        set.stringFiles = stringFiles
        set.serveFiles = serveFiles
        set.displayPaths = displayPaths
        set.directTemplates = Self.directTemplates(texts)
        set.unreadReportTemplates = unreadReportTemplates
        set.rendersPages = !forChecking
        return set
    }

    /// Put before each template: its text is HTML (unless it says otherwise), escaped by
    /// `escapeAttribute`, as `TemplateShapes` escapes the values it fills in. swift-mustache's
    /// own escaper looks each character up in a dictionary, which was a twentieth of building
    /// the shipped guide; and it left a quote with a combining mark after it unescaped, where
    /// a filled-in page escaped it. A standalone tag: swift-mustache drops its line.
    private static let htmlPragma = "{{% CONTENT_TYPE: HTML}}\n"

    /// swift-mustache's `HTML` content type made guide's escaping, once, before any template
    /// is read (a template's pragma finds its type when it is read).
    private static let htmlEscaping: Void = MustacheContentTypes.register(GuideHTML(), named: "HTML")

    /// HTML, escaped as `TemplateShapes` escapes a filled-in value.
    private struct GuideHTML: MustacheContentType {
        func escapeText(_ text: String) -> String { escapeAttribute(text) }
    }

    /// `text` read into swift-mustache; nil, and its mistake in `log` at its line and column,
    /// when it cannot be.
    private static func parse(_ text: String, displayPath: String, log: DiagnosticLog) -> MustacheTemplate? {
        _ = htmlEscaping
        do {
            return try MustacheTemplate(string: htmlPragma + text)
        } catch let error as MustacheTemplate.ParserError {
            // The pragma is a line of its own before the template's first.
            log.report(.error(.template, at: SourceLocation(file: displayPath, line: max(1, error.context.lineNumber - 1), column: error.context.columnNumber),
                              "this template cannot be read: \(syntaxMessage(error.error))"))
        } catch {
            log.report(.error(.template, at: SourceLocation(file: displayPath), "this template cannot be read: \(error)"))
        }
        return nil
    }

    /// These templates with the report's (`reportTemplates`) read into swift-mustache, for
    /// `guide report`; a mistake that keeps one from being read goes to `log`.
    public func withReportTemplates(log: DiagnosticLog) -> TemplateSet {
        var set = self
        for (name, source) in unreadReportTemplates.sorted(by: { $0.key < $1.key }) {
            if let template = Self.parse(source.text, displayPath: source.displayPath, log: log) { set.library.register(template, named: name) }
        }
        set.unreadReportTemplates = [:]
        return set
    }

    /// The templates swift-mustache must render every time (`TemplateShapes`), by name
    /// without `.mustache`: those that, or whose included templates, transform a value or
    /// change the tag delimiters (then tags cannot be told apart from text). Found once per
    /// load, not once per renderer.
    var directTemplates: Set<String> = []

    static func directTemplates(_ texts: [(relative: String, text: String, tags: [TemplateLint.Tag])]) -> Set<String> {
        let byName = Dictionary(texts.map { (String($0.relative.dropLast(".mustache".count)), ($0.text, $0.tags)) }, uniquingKeysWith: { a, _ in a })
        // Each name is followed through its own includes (partials may include each other).
        func direct(_ name: String, _ seen: inout Set<String>) -> Bool {
            guard seen.insert(name).inserted, let (text, tags) = byName[name] else { return false }
            // A tag's "(" is looked for as a byte: Foundation's search for a string in a string
            // took a millisecond over the templates' tags, as every build starts.
            return text.containsBytes(of: "{{=") || tags.contains { tag in
                tag.name.utf8.contains(UInt8(ascii: "(")) || ((tag.sigil == ">" || tag.sigil == "<") && (tag.name.hasPrefix("*") || direct(tag.name, &seen)))
            }
        }
        return Set(byName.keys.filter { name in
            var seen: Set<String> = []
            return direct(name, &seen)
        })
    }

    /// What only `guide serve` sends (`serve/live-reload.js`, `serve/waiting.html`), by path.
    public var serveFiles: [String: String] = [:]

    /// How messages name each template, by its path.
    var displayPaths: [String: String] = [:]

    /// These templates with the strings for `config`'s language; a string a template uses
    /// that the strings file lacks is reported at the template's tag.
    public func withStrings(for config: GuideConfig, log: DiagnosticLog) -> TemplateSet {
        var set = self
        set.strings = Strings.load(from: stringFiles, displayRoot: displayRoot, config: config, log: log)
        guard !set.strings.displayPath.isEmpty else { return set }
        let keys = Array(set.strings.values.keys)
        for (relative, _, tags) in texts {
            for tag in tags where tag.name.hasPrefix("strings.") {
                let key = String(tag.name.dropFirst("strings.".count))
                guard set.strings.values[key] == nil, !set.strings.values.isEmpty else { continue }
                log.report(.error(.template, at: SourceLocation(file: displayPaths[relative] ?? "\(displayRoot)/\(relative)", line: tag.line, column: tag.column),
                                  "the template uses the string '\(key)', but \(set.strings.displayPath) has no '\(key)', so it would show nothing",
                                  suggestion: closestMatch(to: key, in: keys).map { "did you mean '\($0)'?" } ?? "add a line '\(key): …' to \(set.strings.displayPath)"))
            }
        }
        return set
    }

    /// swift-mustache's parser errors, in words.
    static func syntaxMessage(_ error: Error) -> String {
        switch "\(error)" {
        case "sectionCloseNameIncorrect": return "a section is closed with a different name than it was opened with ({{#name}} … {{/name}})"
        case "unfinishedName": return "a tag is not closed with }}"
        case "expectedSectionEnd": return "a section is opened but never closed; add {{/name}}"
        case "invalidSetDelimiter": return "a {{=…=}} delimiter change is not written correctly"
        case "illegalTokenInsideInheritSection":
            return "between {{<parent}} and its {{/parent}} only {{$block}} … {{/block}} sections (and {{! comments}}) may stand"
        case "transformAppliedToInheritanceSection": return "a transform such as name(…) cannot be used on a {{$block}} or {{<parent}}"
        case "invalidConfigVariableSyntax": return "a {{%…}} setting is not written correctly"
        case "unrecognisedConfigVariable": return "a {{%…}} setting is not one Mustache knows"
        default: return "\(error)"
        }
    }

    /// What pages are rendered with, as one text (every template and string): equal
    /// fingerprints render equal contexts alike, which `PageCache` relies on.
    var fingerprint: String {
        var text = ""
        for (relative, template, _) in texts { text += relative + "\u{0}" + template + "\u{0}" }
        for key in strings.values.keys.sorted() { text += key + "\u{0}" + strings.values[key]! + "\u{0}" }
        return text
    }

    /// Renders a page: its context, and the strings as `strings`.
    func render(_ context: Any, _ name: String) -> String {
        precondition(rendersPages, "a template set loaded for checking renders nothing")
        var value = Self.templateValue(context) as? [String: Any] ?? [:]
        value["strings"] = strings.values
        return library.render(value, withTemplate: name) ?? ""
    }

    /// The context as nested dictionaries and arrays. swift-mustache would otherwise reflect
    /// a struct with `Mirror` at every lookup, which was most of a 1,000-chapter build.
    /// Only stored properties are seen, as with `Mirror`; a nil optional becomes no key.
    static func templateValue(_ value: Any) -> Any? {
        if let context = value as? TemplateContext { return context.templateDictionary }
        if let fields = value as? TemplateFields { return fields.dictionary }
        switch value {
        case is String, is Bool, is Int, is Double:
            return value
        case let array as [Any]:
            return array.compactMap(templateValue)
        default:
            let mirror = Mirror(reflecting: value)
            switch mirror.displayStyle {
            case .optional:
                return mirror.children.first.flatMap { templateValue($0.value) }
            case .struct, .class:
                var dictionary: [String: Any] = [:]
                for child in mirror.children {
                    if let label = child.label, let converted = templateValue(child.value) { dictionary[label] = converted }
                }
                return dictionary
            default:
                return value
            }
        }
    }
}

/// The template set `guide serve` loaded last, with what it was made from and the
/// diagnostics loading gave.
final class TemplateCache: @unchecked Sendable {
    private let lock = NSLock()
    private var kept: (key: String, set: TemplateSet, diagnostics: [Diagnostic])?

    func lookup(_ key: String) -> (set: TemplateSet, diagnostics: [Diagnostic])? {
        lock.withLock { kept.flatMap { $0.key == key ? ($0.set, $0.diagnostics) : nil } }
    }

    func store(_ key: String, set: TemplateSet, diagnostics: [Diagnostic]) {
        lock.withLock { kept = (key, set, diagnostics) }
    }
}
