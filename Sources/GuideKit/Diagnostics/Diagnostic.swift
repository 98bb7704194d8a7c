/// One problem found in a guide: where, how bad, which rule, and what to do about it.
public struct Diagnostic: Hashable, Sendable, Codable {
    /// How bad a problem is.
    public enum Severity: String, Sendable, Codable, Comparable {
        case warning
        case error

        public static func < (a: Severity, b: Severity) -> Bool {
            a == .warning && b == .error
        }
    }

    public var location: SourceLocation
    public var severity: Severity
    public var rule: Rule
    public var message: String
    /// A concrete fix, when there is one (the "did you mean" part).
    public var suggestion: String?

    public init(_ severity: Severity, _ rule: Rule, at location: SourceLocation,
                _ message: String, suggestion: String? = nil) {
        self.location = location
        self.severity = severity
        self.rule = rule
        self.message = message
        self.suggestion = suggestion
    }

    public static func error(_ rule: Rule, at location: SourceLocation, _ message: String,
                             suggestion: String? = nil) -> Diagnostic {
        Diagnostic(.error, rule, at: location, message, suggestion: suggestion)
    }

    public static func warning(_ rule: Rule, at location: SourceLocation, _ message: String,
                               suggestion: String? = nil) -> Diagnostic {
        Diagnostic(.warning, rule, at: location, message, suggestion: suggestion)
    }

    /// The same diagnostic as an error (`--strict` treats warnings as errors).
    public var asError: Diagnostic {
        var copy = self
        copy.severity = .error
        return copy
    }

    /// The message with its suggestion, as the text and GitHub formats print it.
    public var fullMessage: String {
        guard let suggestion else { return message }
        return "\(message) (\(suggestion))"
    }
}

extension Diagnostic: Comparable {
    /// Sorted by file, then position, then severity, rule and message, so output is stable.
    public static func < (a: Diagnostic, b: Diagnostic) -> Bool {
        if a.location != b.location { return a.location < b.location }
        if a.severity != b.severity { return a.severity > b.severity }
        if a.rule != b.rule { return a.rule.rawValue < b.rule.rawValue }
        return a.message < b.message
    }
}
