import Foundation

/// Turns diagnostics into text: compiler-style lines, GitHub Actions commands, or JSON.
public enum DiagnosticFormatter {
    /// The output formats of `guide check --format`.
    public enum Format: String, CaseIterable, Sendable {
        case text, github, json
    }

    /// Every diagnostic in `format`, then (for text and github) the summary line.
    public static func report(_ diagnostics: [Diagnostic], chapters: Int, format: Format, colour: Bool = false) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let summaryLine = summary(errors: errors, warnings: diagnostics.count - errors, chapters: chapters)
        switch format {
        case .text:
            return (diagnostics.map { line($0, colour: colour) } + [summaryLine]).joined(separator: "\n") + "\n"
        case .github:
            return (diagnostics.map(github) + [summaryLine]).joined(separator: "\n") + "\n"
        case .json:
            return json(diagnostics) + "\n"
        }
    }

    /// A GitHub Actions workflow command: `::error file=…,line=…,col=…,title=RULE::message`.
    public static func github(_ d: Diagnostic) -> String {
        func property(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A").replacingOccurrences(of: ":", with: "%3A")
                .replacingOccurrences(of: ",", with: "%2C")
        }
        func message(_ s: String) -> String {
            s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
                .replacingOccurrences(of: "\n", with: "%0A")
        }
        var properties = ["file=\(property(d.location.file))"]
        if d.location.line > 0 { properties.append("line=\(d.location.line)") }
        if d.location.column > 0 { properties.append("col=\(d.location.column)") }
        properties.append("title=\(property(d.rule.rawValue))")
        return "::\(d.severity.rawValue) \(properties.joined(separator: ","))::\(message(d.fullMessage))"
    }

    /// One JSON document: a list of diagnostics with file, line, column, severity, rule,
    /// message and suggestion (null when there is none).
    public static func json(_ diagnostics: [Diagnostic]) -> String {
        struct Item: Encodable {
            var file: String
            var line: Int
            var column: Int
            var severity: String
            var rule: String
            var message: String
            var suggestion: String?

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(file, forKey: .file)
                try c.encode(line, forKey: .line)
                try c.encode(column, forKey: .column)
                try c.encode(severity, forKey: .severity)
                try c.encode(rule, forKey: .rule)
                try c.encode(message, forKey: .message)
                try c.encode(suggestion, forKey: .suggestion)
            }
            enum CodingKeys: String, CodingKey { case file, line, column, severity, rule, message, suggestion }
        }
        let items = diagnostics.map {
            Item(file: $0.location.file, line: $0.location.line, column: $0.location.column, severity: $0.severity.rawValue,
                 rule: $0.rule.rawValue, message: $0.message, suggestion: $0.suggestion)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(items)) ?? Data("[]".utf8), as: UTF8.self)
    }
    /// `path:line:col: severity: message [rule]`, the line editors and CI understand.
    public static func line(_ d: Diagnostic, colour: Bool = false) -> String {
        var place = d.location.file
        if d.location.line > 0 {
            place += ":\(d.location.line)"
            if d.location.column > 0 { place += ":\(d.location.column)" }
        }
        var severity = d.severity.rawValue
        if colour {
            let code = d.severity == .error ? "1;31" : "1;33"
            severity = "\u{1B}[\(code)m\(severity)\u{1B}[0m"
            place = "\u{1B}[1m\(place)\u{1B}[0m"
        }
        return "\(place): \(severity): \(d.fullMessage) [\(d.rule.rawValue)]"
    }

    /// `N errors, M warnings in K chapters`.
    public static func summary(errors: Int, warnings: Int, chapters: Int) -> String {
        "\(plural(errors, "error")), \(plural(warnings, "warning")) in \(plural(chapters, "chapter"))"
    }

    static func plural(_ n: Int, _ word: String) -> String {
        n == 1 ? "1 \(word)" : "\(n) \(word)s"
    }
}
