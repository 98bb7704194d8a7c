import Foundation

/// One glossary entry.
public struct GlossaryTerm: Sendable, Codable, Equatable {
    public var term: String
    public var abbr: String?
    public var aliases: [String]
    public var definition: String
    public var location: SourceLocation

    /// The anchor of the term on the glossary page.
    public var anchor: String { SlugGenerator.slug(term) }
}

/// The terms in `glossary.yml`.
public struct Glossary: Sendable {
    public var terms: [GlossaryTerm] = []

    public init(terms: [GlossaryTerm] = []) { self.terms = terms }

    /// Reads glossary.yml: a list of entries with `term`, `definition`, and optionally
    /// `abbr` and `aliases`.
    public static func read(_ file: SourceFile) -> (Glossary, [Diagnostic]) {
        var fields = YAMLFields(file: file, rule: .glossary)
        let root: YAMLValue?
        do {
            root = try YAMLDocument.compose(file.text)
        } catch {
            return (Glossary(), [.error(.glossary, at: file.location(line: error.line, column: error.column), error.message, suggestion: error.suggestion)])
        }
        guard let root else { return (Glossary(), []) }
        guard let items = root.sequence else {
            fields.error(root, "glossary.yml must be a list of entries, each starting '- term: …', but is \(root.kindName)")
            return (Glossary(), fields.diagnostics)
        }
        var glossary = Glossary()
        var seen: [String: SourceLocation] = [:]
        for item in items {
            guard let entry = fields.pairs(of: item, what: "each glossary entry") else { continue }
            var term: String?, abbr: String?, definition: String?, aliases: [String] = []
            for (k, kNode, v) in entry {
                switch k {
                case "term": term = fields.text(v, key: kNode, name: k)
                case "abbr": abbr = fields.text(v, key: kNode, name: k)
                case "definition": definition = fields.text(v, key: kNode, name: k)
                case "aliases": aliases = (fields.textList(v, key: kNode, name: k) ?? []).map(\.0)
                default:
                    fields.warning(kNode, "unknown glossary key '\(k)'", rule: .unknownKey,
                                   suggestion: closestMatch(to: k, in: ["term", "abbr", "aliases", "definition"]).map { "did you mean '\($0)'?" })
                }
            }
            let keys = Set(entry.map(\.key))
            if !keys.contains("term") { fields.error(item, "this glossary entry has no 'term'") }
            if !keys.contains("definition") { fields.error(item, "this glossary entry has no 'definition'") }
            guard let term, let definition else { continue }
            let location = fields.location(item)
            if let first = seen[term.lowercased()] {
                fields.error(item, "the term '\(term)' is already defined at line \(first.line)")
                continue
            }
            seen[term.lowercased()] = location
            glossary.terms.append(GlossaryTerm(term: term, abbr: abbr, aliases: aliases, definition: definition, location: location))
        }
        glossary.terms.sort { $0.term.lowercased() < $1.term.lowercased() }
        return (glossary, fields.diagnostics)
    }
}
