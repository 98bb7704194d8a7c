import Foundation

/// How freed memory goes back to the system. The `guide` program, which links mimalloc,
/// sets `returnAtOnce`; a process without it (the tests) keeps its allocator's usual way.
public enum FreedMemory {
    /// With true, the allocator gives each freed page back to the system at once, not after
    /// its usual delay (mimalloc's is 100 ms); with false, after the delay again. At once for
    /// a whole build costs 5-10% more time; for a stage that frees one large part of the
    /// build's memory while it makes another (the search index's gathering), it keeps the
    /// two from being held at the same time.
    nonisolated(unsafe) public static var returnAtOnce: @Sendable (Bool) -> Void = { _ in }

    private static let stages = Stages { FreedMemory.returnAtOnce($0) }

    /// From here until `endReturningAtOnce`, freed pages go back at once.
    static func beginReturningAtOnce() { stages.begin() }
    static func endReturningAtOnce() { stages.end() }

    /// Stages running side by side (each language's index) each begin and end: the first
    /// one's begin turns it on, the last one's end turns it off.
    final class Stages: @unchecked Sendable {
        private let lock = NSLock()
        private var running = 0
        private let set: @Sendable (Bool) -> Void

        init(_ set: @escaping @Sendable (Bool) -> Void) { self.set = set }

        func begin() {
            lock.withLock {
                running += 1
                if running == 1 { set(true) }
            }
        }

        func end() {
            lock.withLock {
                running -= 1
                if running == 0 { set(false) }
            }
        }
    }
}
