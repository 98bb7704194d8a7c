import Foundation

/// Reads typed values out of a YAML mapping, reporting each problem at its key's line.
struct YAMLFields {
    let file: SourceFile
    /// File line of the YAML text's first line, less one (front matter starts on line 2).
    let lineOffset: Int
    /// The rule that a wrong value breaks.
    let rule: Rule
    var diagnostics: [Diagnostic] = []

    init(file: SourceFile, lineOffset: Int = 0, rule: Rule = .invalidValue) {
        self.file = file
        self.lineOffset = lineOffset
        self.rule = rule
    }

    func location(_ node: YAMLValue) -> SourceLocation {
        file.location(line: node.line + lineOffset, column: node.column)
    }

    mutating func error(_ node: YAMLValue, _ message: String, rule: Rule? = nil, suggestion: String? = nil) {
        diagnostics.append(.error(rule ?? self.rule, at: location(node), message, suggestion: suggestion))
    }

    mutating func warning(_ node: YAMLValue, _ message: String, rule: Rule, suggestion: String? = nil) {
        diagnostics.append(.warning(rule, at: location(node), message, suggestion: suggestion))
    }

    /// The pairs of a mapping with string keys, in file order; reports a non-mapping.
    mutating func pairs(of node: YAMLValue, what: String, example: String? = nil) -> [(key: String, keyNode: YAMLValue, value: YAMLValue)]? {
        guard let mapping = node.mapping else {
            error(node, "\(what) must be a mapping of 'key: value' lines, but is \(node.kindName)",
                  suggestion: example.map { "for example \($0)" })
            return nil
        }
        var result: [(key: String, keyNode: YAMLValue, value: YAMLValue)] = []
        result.reserveCapacity(mapping.count)
        for pair in mapping {
            guard let name = pair.key.scalar?.string else {
                error(pair.key, "\(what) has a key that is not a plain name")
                continue
            }
            result.append((name, pair.key, pair.value))
        }
        return result
    }

    /// A non-empty single-line or multi-line text value.
    mutating func text(_ value: YAMLValue, key: YAMLValue, name: String) -> String? {
        guard let scalar = value.scalar, !value.isNull else {
            error(key, "'\(name)' must be text, but is \(value.scalar == nil ? value.kindName : "empty")")
            return nil
        }
        let string = scalar.string.trimmingSpacesAndNewlines()
        if string.isEmpty {
            error(key, "'\(name)' must not be empty")
            return nil
        }
        return string
    }

    mutating func bool(_ value: YAMLValue, key: YAMLValue, name: String) -> Bool? {
        if let scalar = value.scalar {
            switch scalar.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        error(key, "'\(name)' must be true or false, but is '\(value.scalar?.string ?? value.kindName)'")
        return nil
    }

    mutating func positiveInt(_ value: YAMLValue, key: YAMLValue, name: String) -> Int? {
        if let string = value.scalar?.string, let n = Int(string.trimmingCharacters(in: .whitespaces)), n > 0 { return n }
        error(key, "'\(name)' must be a whole number above 0, but is '\(value.scalar?.string ?? value.kindName)'")
        return nil
    }

    mutating func day(_ value: YAMLValue, key: YAMLValue, name: String) -> Day? {
        let string = value.scalar?.string ?? ""
        if let day = Day(string) { return day }
        let shown = value.scalar == nil ? value.kindName : "'\(string)'"
        let reason = looksLikeISODate(string) ? "is not a real date" : "must be a date written YYYY-MM-DD"
        error(key, "'\(name)' \(reason), but is \(shown)", suggestion: "for example \(name): 2026-10-01")
        return nil
    }

    /// A list of texts, written `[A, B]` or as `- ` lines; a single text is a list of one.
    mutating func textList(_ value: YAMLValue, key: YAMLValue, name: String) -> [(String, YAMLValue)]? {
        if let scalar = value.scalar {
            if value.isNull { return [] }
            return [(scalar.string, value)]
        }
        guard let sequence = value.sequence else {
            error(key, "'\(name)' must be a list like [A0, B3], but is \(value.kindName)")
            return nil
        }
        var result: [(String, YAMLValue)] = []
        for item in sequence {
            guard let string = item.scalar?.string else {
                error(item, "each item of '\(name)' must be a single value, but one is \(item.kindName)")
                continue
            }
            result.append((string, item))
        }
        return result
    }

    private func looksLikeISODate(_ s: String) -> Bool {
        s.count == 10 && s.split(separator: "-").map(\.count) == [4, 2, 2]
    }
}
