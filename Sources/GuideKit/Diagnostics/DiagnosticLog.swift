import Foundation

/// Collects the diagnostics of one run; every pipeline stage reports into it.
///
/// It is a class with a lock so that stages running on both cores can report into one log.
public final class DiagnosticLog: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Diagnostic] = []

    public init() {}

    public func report(_ diagnostic: Diagnostic) {
        lock.withLock { items.append(diagnostic) }
    }

    public func report(_ diagnostics: [Diagnostic]) {
        lock.withLock { items.append(contentsOf: diagnostics) }
    }

    /// Every diagnostic so far, sorted by file and position.
    public var diagnostics: [Diagnostic] {
        lock.withLock { items.sorted() }
    }

    public var hasErrors: Bool { lock.withLock { items.contains { $0.severity == .error } } }
}
