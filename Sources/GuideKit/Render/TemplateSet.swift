import Foundation
import Mustache

/// The site's templates and static files, loaded from a templates folder.
public struct TemplateSet: Sendable {
    /// Every page template a site needs; each lives in `<name>.mustache`.
    public static let requiredTemplates = ["layout", "index", "chapter", "glossary", "search", "404", "print", "sitemap.xml"]
        + BodyRenderer.partials.map { "partials/" + $0 }

    public var directory: URL
    public var displayRoot: String
    public var library: MustacheLibrary
    /// Relative paths of the non-template files (CSS, JS, icons), copied into the site.
    public var staticFiles: [String]
    /// Each template's text, by its path under the folder, for checks that need the strings.
    var texts: [(relative: String, text: String)] = []
    /// The words around the guide's own, once the guide's language is known (`withStrings`).
    public var strings = Strings(values: [:], displayPath: "")

    /// Loads `directory`. A template's mistakes (syntax, a missing partial, a variable no page
    /// has) go to `log` at their file, line and column; a missing folder or page template
    /// is a configuration error.
    public static func load(from directory: URL, displayRoot: String, log: DiagnosticLog) throws -> TemplateSet {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationError("the templates folder '\(displayRoot)' does not exist")
        }
        var library = MustacheLibrary()
        var staticFiles: [String] = []
        var texts: [(relative: String, text: String)] = []
        var failed: Set<String> = []
        for relative in ContentLoader.listFiles(in: directory) {
            let url = directory.appendingPathComponent(relative)
            // The strings files are read for the guide's language, not published.
            if relative.hasPrefix("strings/") { continue }
            guard relative.hasSuffix(".mustache") else {
                staticFiles.append(relative)
                continue
            }
            let name = String(relative.dropLast(".mustache".count))
            let file: SourceFile
            do {
                file = try SourceFile.read(at: url, relativePath: relative, displayPath: "\(displayRoot)/\(relative)")
            } catch {
                log.report(error.diagnostic)
                failed.insert(name)
                continue
            }
            do {
                library.register(try MustacheTemplate(string: file.text), named: name)
                texts.append((relative, file.text))
            } catch let error as MustacheTemplate.ParserError {
                log.report(.error(.template, at: SourceLocation(file: "\(displayRoot)/\(relative)", line: error.context.lineNumber,
                                                               column: error.context.columnNumber),
                                  "this template cannot be read: \(syntaxMessage(error.error))"))
                failed.insert(name)
            } catch {
                log.report(.error(.template, at: SourceLocation(file: "\(displayRoot)/\(relative)"), "this template cannot be read: \(error)"))
                failed.insert(name)
            }
        }
        let names = texts.map { String($0.relative.dropLast(".mustache".count)) }
        for (relative, text) in texts {
            log.report(TemplateLint.check(text, displayPath: "\(displayRoot)/\(relative)", library: library,
                                          templateNames: names, vocabulary: TemplateVocabulary.names))
        }
        let missing = requiredTemplates.filter { library.getTemplate(named: $0) == nil && !failed.contains($0) }
        guard missing.isEmpty else {
            throw ConfigurationError("the templates folder '\(displayRoot)' has no \(missing.map { "\($0).mustache" }.joined(separator: ", "))")
        }
        return TemplateSet(directory: directory, displayRoot: displayRoot, library: library, staticFiles: staticFiles, texts: texts)
    }

    /// These templates with the strings for `config`'s language; a string a template uses
    /// that the strings file lacks is reported at the template's tag.
    public func withStrings(for config: GuideConfig, log: DiagnosticLog) -> TemplateSet {
        var set = self
        set.strings = Strings.load(from: directory, displayRoot: displayRoot, config: config, log: log)
        guard !set.strings.displayPath.isEmpty else { return set }
        let keys = Array(set.strings.values.keys)
        for (relative, text) in texts {
            for tag in TemplateLint.tags(in: text) where tag.name.hasPrefix("strings.") {
                let key = String(tag.name.dropFirst("strings.".count))
                guard set.strings.values[key] == nil, !set.strings.values.isEmpty else { continue }
                log.report(.error(.template, at: SourceLocation(file: "\(displayRoot)/\(relative)", line: tag.line, column: tag.column),
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
        default: return "\(error)"
        }
    }

    /// Renders a page: its context, and the strings as `strings`.
    func render(_ context: Any, _ name: String) -> String {
        var value = Self.templateValue(context) as? [String: Any] ?? [:]
        value["strings"] = strings.values
        return library.render(value, withTemplate: name) ?? ""
    }

    /// The context as nested dictionaries and arrays. swift-mustache would otherwise reflect
    /// a struct with `Mirror` at every lookup, which was most of a 1,000-chapter build.
    /// Only stored properties are seen, as with `Mirror`; a nil optional becomes no key.
    static func templateValue(_ value: Any) -> Any? {
        if let partial = value as? PartialContext { return partial.templateDictionary }
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
