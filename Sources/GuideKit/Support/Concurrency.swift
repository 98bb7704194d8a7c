import Foundation
import Synchronization

/// `map` on every core, keeping the order of the input.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) -> [R] {
    var values = [R?](repeating: nil, count: items.count)
    values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let slots = buffer
        // Each iteration writes only its own slot, so no lock is needed.
        WorkPool.shared.run(items.count, pieces: false) { index in
            slots[index] = transform(items[index])
        }
    }
    return values.map { $0! }
}

/// Runs pieces of the pipeline at the same time (the pages, the search index) and returns
/// when every one is done. Each may itself use `parallelMap`.
func runConcurrently(_ work: [@Sendable () -> Void]) {
    WorkPool.shared.run(work.count, pieces: true) { work[$0]() }
}

/// Runs two pieces of work at the same time and returns both results; each may itself use
/// `parallelMap`, so the serial parts of one overlap the other. The two are a loop to the
/// pool, not pieces: a thread waiting for its own work takes the second. As pieces, the
/// search index's two gatherings (12 ms each at 1,000 chapters), started once the pages were
/// done, ran one after the other on the index's thread while the thread that had rendered
/// the pages waited, its core idle.
func concurrently<A: Sendable, B: Sendable>(_ first: @escaping @Sendable () -> A, _ second: @escaping @Sendable () -> B) -> (A, B) {
    let a = ResultBox<A>(), b = ResultBox<B>()
    WorkPool.shared.run(2, pieces: false) { index in
        if index == 0 { a.value = first() } else { b.value = second() }
    }
    return (a.value!, b.value!)
}

/// Holds a result written by one thread and read by another once the work that wrote it
/// has returned (`runConcurrently`, `concurrently`).
final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}

/// The threads every `parallelMap`, `runConcurrently` and `concurrently` share: one per
/// core, counting the thread that asks, which works too.
///
/// Not libdispatch's `concurrentPerform`: it runs a `concurrentPerform` nested in another
/// on one thread, so the chapter pages (a loop inside the render, beside the search index)
/// stayed on one core even after the index was done and its core free. Here a thread that
/// is free takes whatever work is waiting, however deep.
final class WorkPool: @unchecked Sendable {
    static let shared = WorkPool(helpers: max(1, ProcessInfo.processInfo.activeProcessorCount) - 1)

    /// One call's work: `count` items, taken in order by whichever threads are free.
    private final class Job {
        let count: Int
        let body: (Int) -> Void
        /// Pieces of the pipeline, each long. A thread waiting for its own job to finish
        /// helps with loops only, so its own work never waits behind a long piece.
        let isPieces: Bool
        var next = 0
        var finished = 0
        init(count: Int, isPieces: Bool, body: @escaping (Int) -> Void) {
            self.count = count
            self.isPieces = isPieces
            self.body = body
        }
    }

    private let condition = NSCondition()
    /// Jobs with items not yet taken, oldest first.
    private var open: [Job] = []
    /// How many jobs were ever opened: a helper watching for work (`expectWork`) reads it
    /// without the lock.
    private let opened = Atomic<Int>(0)
    /// Until when (`DispatchTime` nanoseconds) a helper with nothing to do watches for work
    /// instead of sleeping.
    private let watchUntil = Atomic<UInt64>(0)

    private init(helpers: Int) {
        for _ in 0..<helpers {
            let thread = Thread { [unowned self] in self.help() }
            thread.name = "guide work"
            thread.start()
        }
    }

    /// Runs `body` for each of `0..<count`, on this thread and any free one, and returns
    /// when all are done.
    func run(_ count: Int, pieces: Bool, _ body: @escaping (Int) -> Void) {
        guard count > 1 else {
            if count == 1 { body(0) }
            return
        }
        let job = Job(count: count, isPieces: pieces, body: body)
        condition.lock()
        open.append(job)
        opened.add(1, ordering: .releasing)
        condition.broadcast()
        while job.finished < job.count {
            if job.next < job.count {
                perform(job)
            } else if let loop = open.first(where: { !$0.isPieces }) {
                // The last items are running elsewhere: help with a loop meanwhile.
                perform(loop)
            } else {
                condition.wait()
            }
        }
        condition.unlock()
    }

    /// A helper thread's life: the oldest piece of the pipeline first (the longest work
    /// starts earliest), else the oldest loop.
    private func help() {
        condition.lock()
        while true {
            if let job = open.first(where: \.isPieces) ?? open.first {
                perform(job)
            } else if DispatchTime.now().uptimeNanoseconds < watchUntil.load(ordering: .relaxed) {
                // Watched for, on this core, while other threads (yielded to) go on.
                let seen = opened.load(ordering: .acquiring)
                condition.unlock()
                while opened.load(ordering: .acquiring) == seen, DispatchTime.now().uptimeNanoseconds < watchUntil.load(ordering: .relaxed) {
                    sched_yield()
                }
                condition.lock()
            } else {
                condition.wait()
            }
        }
    }

    /// Work comes within `seconds` (the parse stage is ending, the link and check stages
    /// follow): until then a helper with nothing to do watches for it on its core instead of
    /// sleeping. Woken from sleep by a job, a helper was put on the core of the thread that
    /// posted it, this machine's other core left idle for milliseconds, at each of the
    /// stages' loops.
    func expectWork(within seconds: Double) {
        watchUntil.store(DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9), ordering: .relaxed)
        condition.lock()
        condition.broadcast()
        condition.unlock()
    }

    /// Takes the next item of `job` and runs it outside the lock. Called with the lock held.
    private func perform(_ job: Job) {
        let index = job.next
        job.next += 1
        if job.next == job.count, let place = open.firstIndex(where: { $0 === job }) { open.remove(at: place) }
        condition.unlock()
        job.body(index)
        condition.lock()
        job.finished += 1
        if job.finished == job.count { condition.broadcast() }
    }
}

/// Values made on every core a batch at a time, as they are asked for in order: a page
/// written as its chapters' bodies are made holds one batch of them, not all.
final class MadeInBatches<Input: Sendable, Value: Sendable> {
    /// About 1.5 MB of the print edition's bodies.
    static var batchSize: Int { 256 }
    private let inputs: [Input]
    private let make: @Sendable (Input) -> Value
    private var start = 0
    private var batch: [Value] = []

    init(_ inputs: [Input], make: @escaping @Sendable (Input) -> Value) {
        self.inputs = inputs
        self.make = make
    }

    /// The value of `inputs[index]`; asked for in order, each made once.
    func value(_ index: Int) -> Value {
        if !(start..<start + batch.count).contains(index) {
            // The last batch is let go before the next is made.
            batch = []
            start = index
            batch = parallelMap(Array(inputs[index..<min(inputs.count, index + Self.batchSize)]), make)
        }
        return batch[index - start]
    }
}
