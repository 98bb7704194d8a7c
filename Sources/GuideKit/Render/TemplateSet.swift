import Foundation
import Mustache

/// The site's templates and static files, loaded from a templates folder.
public struct TemplateSet: Sendable {
    /// Every page template a site needs; each lives in `<name>.mustache`.
    public static let requiredTemplates = ["layout", "index", "chapter", "glossary", "search", "404", "print", "sitemap.xml"]

    public var directory: URL
    public var library: MustacheLibrary
    /// Relative paths of the non-template files (CSS, JS, icons), copied into the site.
    public var staticFiles: [String]

    /// Loads `directory`; a problem is a configuration error naming the template file and line.
    public static func load(from directory: URL, displayRoot: String) throws -> TemplateSet {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ConfigurationError("the templates folder '\(displayRoot)' does not exist")
        }
        var library = MustacheLibrary()
        var staticFiles: [String] = []
        for relative in ContentLoader.listFiles(in: directory) {
            let url = directory.appendingPathComponent(relative)
            guard relative.hasSuffix(".mustache") else {
                staticFiles.append(relative)
                continue
            }
            let name = String(relative.dropLast(".mustache".count))
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw ConfigurationError("\(displayRoot)/\(relative): cannot be read as UTF-8 text")
            }
            do {
                library.register(try MustacheTemplate(string: text), named: name)
            } catch let error as MustacheTemplate.ParserError {
                throw ConfigurationError("\(displayRoot)/\(relative):\(error.context.lineNumber):\(error.context.columnNumber): error: template syntax: \(error.error) [template]")
            }
        }
        let missing = requiredTemplates.filter { library.getTemplate(named: $0) == nil }
        guard missing.isEmpty else {
            throw ConfigurationError("the templates folder '\(displayRoot)' has no \(missing.map { "\($0).mustache" }.joined(separator: ", "))")
        }
        return TemplateSet(directory: directory, library: library, staticFiles: staticFiles)
    }

    func render(_ context: Any, _ name: String) -> String {
        library.render(Self.templateValue(context), withTemplate: name) ?? ""
    }

    /// The context as nested dictionaries and arrays. swift-mustache would otherwise reflect
    /// a struct with `Mirror` at every lookup, which was most of a 1,000-chapter build.
    /// Only stored properties are seen, as with `Mirror`; a nil optional becomes no key.
    static func templateValue(_ value: Any) -> Any? {
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
