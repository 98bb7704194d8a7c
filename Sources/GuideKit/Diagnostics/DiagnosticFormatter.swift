import Foundation

/// Turns diagnostics into text: one compiler-style line each, then a summary line.
public enum DiagnosticFormatter {
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
