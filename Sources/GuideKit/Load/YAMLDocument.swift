import Yams

/// A YAML text composed into `YAMLValue`s, with problems mapped to lines of the file it came from.
struct YAMLDocument {
    /// A YAML problem at a line and column of the YAML text (1-based).
    struct Problem: Error {
        var line: Int
        var column: Int
        var message: String
        var suggestion: String? = nil
        /// What libyaml was reading when it found the problem ("while scanning a quoted
        /// scalar"), which says more of its cause than the problem itself often does.
        var context: String? = nil
    }

    /// One constructor for every document: Yams' `.default` makes a new one, with three
    /// dictionaries of its functions, at each use (some thirty allocations for each chapter's
    /// front matter). Its maps are constants, so it is read safely from any thread.
    nonisolated(unsafe) private static let constructor = Constructor.default

    /// Composes `text`. Anchors, aliases and merge keys are refused first, from libyaml's
    /// events: authors never need them, and aliases can make composing a small file take
    /// exponential time.
    static func compose(_ text: String) throws(Problem) -> YAMLValue? {
        if let found = YAMLEvents.firstReference(in: text) {
            throw Problem(line: found.line, column: found.column,
                          message: "\(found.what) is a YAML shortcut that guide does not accept",
                          suggestion: "write the value out in full; if it is text that starts with & or *, put it in quotes")
        }
        // Most texts are composed from libyaml's events here; the rest (and every problem)
        // by Yams.
        if case let .composed(root) = YAMLComposer.compose(text) { return root }
        let root: Node?
        do {
            // UTF-8 named here: Yams' default reads the whole environment at every call.
            // No implicit types (`.basic`): guide reads every value from its text, and Yams'
            // default resolver runs a set of regular expressions over each key and value
            // (for its duplicate-key check, too), a sixth of reading a chapter's front matter.
            root = try Yams.compose(yaml: text, .basic, constructor, .utf8)
        } catch let error as YamlError {
            throw plainWords(for: problem(from: error), in: text)
        } catch {
            throw Problem(line: 1, column: 1, message: "\(error)")
        }
        return try root.map(YAMLValue.init)
    }

    static func problem(from error: YamlError) -> Problem {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            return Problem(line: mark.line, column: mark.column, message: "malformed YAML: \(problem)", context: context?.text)
        case let .duplicatedKeysInMapping(duplicates, context):
            return Problem(line: context.mark.line, column: context.mark.column,
                           message: "the key '\(duplicates.joined(separator: "', '"))' appears more than once")
        case let .reader(problem, _, _, _):
            return Problem(line: 1, column: 1, message: "unreadable YAML: \(problem)")
        default:
            return Problem(line: 1, column: 1, message: "malformed YAML")
        }
    }

    /// The common mistakes behind a YAML error, said in plain words at the place of the
    /// mistake (libyaml often notices it lines later, or at the end of the file).
    static func plainWords(for problem: Problem, in text: String) -> Problem {
        let lines = SourceFile.splitLines(text)
        let upTo = min(max(problem.line, 1), lines.count)
        // A tab in the indentation.
        for (index, line) in lines.prefix(upTo).enumerated() {
            let indent = line.prefix { $0 == " " || $0 == "\t" }
            if let tab = indent.firstIndex(of: "\t"), indent.count < line.count {
                return Problem(line: index + 1, column: line.distance(from: line.startIndex, to: tab) + 1,
                               message: "this line is indented with a tab", suggestion: "use spaces, not tabs, to indent")
            }
        }
        // A quote that is opened and never closed.
        for (index, line) in lines.prefix(upTo).enumerated() {
            guard let (key, value, column) = keyAndValue(line), let quote = value.first, quote == "\"" || quote == "'" else { continue }
            let rest = value.dropFirst()
            let closed = quote == "'" ? rest.contains("'") : rest.contains { $0 == "\"" }
            let inQuote = problem.message.contains("quoted scalar") || problem.context?.contains("quoted scalar") == true
            if !closed, inQuote || problem.line > index + 1 {
                return Problem(line: index + 1, column: column,
                               message: "the quote that starts '\(key)' is never closed",
                               suggestion: "add a closing \(quote) at the end of the value")
            }
        }
        // A value that starts like a list or mapping (`title: [draft] …`) but is not one.
        for index in [upTo - 1, upTo - 2] where index >= 0 && index < lines.count {
            guard let (key, value, column) = keyAndValue(lines[index]), let first = value.first, first == "[" || first == "{",
                  !value.hasSuffix(first == "[" ? "]" : "}") else { continue }
            return Problem(line: index + 1, column: column,
                           message: "the value of '\(key)' starts with '\(first)', which YAML reads as the start of a \(first == "[" ? "list" : "mapping") that is never closed",
                           suggestion: "put the \(key) in quotes: \(key): \"\(value.replacingOccurrences(of: "\"", with: "\\\""))\"")
        }
        // An unquoted value with ': ' in it, on the line of the error or the one before.
        for index in [upTo - 1, upTo - 2] where index >= 0 && index < lines.count {
            guard let (key, value, column) = keyAndValue(lines[index]),
                  !value.hasPrefix("\""), !value.hasPrefix("'"), !value.hasPrefix("["), !value.hasPrefix("{"),
                  value.contains(": ") || value.hasSuffix(":") else { continue }
            return Problem(line: index + 1, column: column,
                           message: "the value of '\(key)' has a colon in it, which YAML reads as another key",
                           suggestion: "put the \(key) in quotes: \(key): \"\(value.replacingOccurrences(of: "\"", with: "\\\""))\"")
        }
        return problem
    }

    /// `key`, its value and the key's column, for a line `key: value` (indented or not).
    static func keyAndValue(_ line: String) -> (String, String, Int)? {
        let indent = line.prefix { $0 == " " || $0 == "-" }
        let body = line.dropFirst(indent.count)
        guard let colon = body.range(of: ": ") else { return nil }
        let key = body[..<colon.lowerBound]
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else { return nil }
        let value = body[colon.upperBound...].trimmingCharacters(in: .whitespaces)
        return (String(key), value, indent.count + 1)
    }
}
