import Dispatch

/// `map` on every core, keeping the order of the input.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) -> [R] {
    var values = [R?](repeating: nil, count: items.count)
    values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let slots = buffer
        // Each iteration writes only its own slot, so no lock is needed.
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            slots[index] = transform(items[index])
        }
    }
    return values.map { $0! }
}

/// Runs two pieces of work at the same time and returns both results; each may itself use
/// `parallelMap`, so the serial parts of one overlap the other.
func concurrently<A: Sendable, B: Sendable>(_ first: @escaping @Sendable () -> A, _ second: @escaping @Sendable () -> B) -> (A, B) {
    let box = ResultBox<A>()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { box.value = first() }
    let b = second()
    group.wait()
    return (box.value!, b)
}

/// Holds a result written by one thread and read by another after a `DispatchGroup` wait.
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
