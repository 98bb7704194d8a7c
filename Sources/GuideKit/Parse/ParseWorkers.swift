import CSystem
import Foundation
import Synchronization

/// How chapters are parsed: in this process, or in worker processes that `guide` starts
/// and supervises, so that no chapter can hang or crash a run.
public struct ParsingOptions: Sendable {
    public enum Mode: Sendable, Equatable {
        /// In this process (tests, and `make bench` to measure what supervision costs).
        case inProcess
        /// In workers started as `executable parse-worker`.
        case workers(executable: URL)
    }
    public var mode: Mode = .inProcess
    /// Seconds one chapter may take before its worker is stopped.
    public var timeout: Double = 5
    /// Bytes of address space a worker may use (`setrlimit`), 2 GiB.
    public var memoryLimit = 2 << 30
    public var workerCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
    /// Whether parsing finds each chapter's plain-language facts (sentences, hard words,
    /// abbreviations, passive voice), which only the plain-language checks and `guide report`
    /// read; a chapter's reading scores are measured either way. The pipeline turns it off
    /// for a guide without `plain_language:` settings.
    public var proseFacts = true
    /// Whether those facts include the ones that read English: hard words and passive
    /// sentences (`PlainLanguageChecks.englishOnlyRules`). The pipeline turns it off for a
    /// guide in another language, whose checks do not run those rules.
    public var englishFacts = true
    /// Whether each chapter's body comes back whole. A check renders no page: its chapters
    /// keep only their urgency boxes (`BodyNode.urgencyBoxes`), which its checks read, and
    /// the workers do not copy out every page's HTML.
    public var bodies = true
    /// Whether each chapter's text blocks come back. The search index reads them, and so do
    /// the plain-language checks and a translation's source version; a check of a guide
    /// with neither plain-language settings nor translations reads none, and is not sent them.
    public var blocks = true

    public init(mode: Mode = .inProcess, timeout: Double = 5) {
        self.mode = mode
        self.timeout = timeout
    }

    /// Whether a chapter parsed with the glossary numbered `glossary` gets its plain-language
    /// facts: only the guide's own chapters (glossary 0) do. A translation's are never read,
    /// as the plain-language checks and the editor's report are of the guide's own language
    /// (finding them took an eighth of parsing the shipped guide with its Spanish edition);
    /// its reading scores are measured either way.
    static func findsProseFacts(_ proseFacts: Bool, glossary: Int) -> Bool { proseFacts && glossary == 0 }
}

extension ParsingOptions {
    /// Starts the parse workers of a build or check that will parse with these options,
    /// before its command line is read: reading it (swift-argument-parser looks up each
    /// option's type at run time) keeps one core a few milliseconds while the other waits,
    /// and starting a worker (a process) takes about as long, which otherwise fell on the
    /// reading of the content, when both cores are busy. The run takes them if it parses in
    /// workers of the same executable, number and memory limit; otherwise they are stopped
    /// (`stopWorkersStartedEarly`, or as the run starts its own). Does nothing for `inProcess`.
    public func startWorkersEarly() {
        guard case let .workers(executable) = mode else { return }
        PrestartedWorkers.startEarly(executable: executable, options: self)
    }

    /// Stops the workers `startWorkersEarly` started if no run took them (the command line
    /// asked for help, or was wrong): waited for here, not left to end after this program.
    public static func stopWorkersStartedEarly() {
        PrestartedWorkers.stopEarly()
    }
}

/// Why a chapter could not be parsed.
public enum ParseFailure: Error, Sendable, Equatable {
    case timedOut
    /// The worker died: a signal number, or an exit status.
    case crashed(signal: Int32?, status: Int32?)
}

/// The worker side: reads chapters from standard input, writes `ParsedMarkdown` values to
/// standard output, until its input ends. Frames are an 8-byte little-endian length, then
/// that many bytes. The first frame is the glossaries (the guide's, then each
/// translation's), whether to find plain-language facts, whether to send bodies whole and
/// whether to send text blocks (`GlossaryFrame.binaryEncoded`);
/// each later one is a chapter: 8 bytes of body start line, 8 bytes of the number of its
/// glossary, then its UTF-8 text; each answer is `binaryEncoded`.
public enum ParseWorker {
    public static func run(memoryLimit: Int) -> Int32 {
        var limit = rlimit(rlim_cur: rlim_t(memoryLimit), rlim_max: rlim_t(memoryLimit))
        setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
        let abortMarker = Environment.value("GUIDE_WORKER_TEST_ABORT")
        // One reader for the whole input: a read may bring the glossary and chapters together.
        var input = FrameReader(STDIN_FILENO)
        guard case let .frame(glossaryFrame) = input.next(),
              let settings = GlossaryFrame(binary: glossaryFrame) else { return 1 }
        let glossaries = settings.glossaries
        // Each glossary's matcher is made when a chapter first needs it.
        var matchers = [GlossaryMatcher?](repeating: nil, count: glossaries.count)
        var syllables = SyllableMemo()
        while case let .frame(place) = input.nextInPlace() {
            // The chapter's text copied once, out of the read buffer, past its line and glossary.
            guard place.count >= 16 else { return 1 }
            let (bodyStartLine, glossary, frame) = input.withFrame(place) { bytes in
                (Frames.integer(bytes[0..<8]), Frames.integer(bytes[8..<16]), Array(UnsafeBufferPointer(rebasing: bytes[16...])))
            }
            guard matchers.indices.contains(glossary) else { return 1 }
            // A test-only way to make a worker crash, to test that the supervisor copes.
            if let abortMarker, !abortMarker.isEmpty, String(decoding: frame, as: UTF8.self).containsBytes(of: abortMarker) { abort() }
            if matchers[glossary] == nil { matchers[glossary] = GlossaryMatcher(terms: glossaries[glossary]) }
            let parsed = MarkdownParser.parse(LineTable(bytes: frame, bodyStartLine: bodyStartLine), glossary: matchers[glossary]!,
                                              proseFacts: ParsingOptions.findsProseFacts(settings.proseFacts, glossary: glossary),
                                              englishFacts: settings.englishFacts, bodies: settings.bodies, blocks: settings.blocks,
                                              syllables: &syllables)
            guard Frames.write(STDOUT_FILENO, parsed.binaryEncoded()) else { return 1 }
        }
        return 0
    }

    /// The first frame: the glossaries, whether to find plain-language facts (and those
    /// that read English), whether to send bodies whole and whether to send text blocks.
    /// In the answers' binary form: decoding it as JSON was a good part of starting a worker.
    struct GlossaryFrame: Equatable {
        var glossaries: [[GlossaryTerm]]
        var proseFacts: Bool
        var englishFacts: Bool
        var bodies: Bool
        var blocks: Bool

        var binaryEncoded: [UInt8] {
            var out = BinaryWriter()
            out.int(proseFacts ? 1 : 0)
            out.int(englishFacts ? 1 : 0)
            out.int(bodies ? 1 : 0)
            out.int(blocks ? 1 : 0)
            out.list(glossaries) { out, terms in
                out.list(terms) { out, term in
                    out.string(term.term)
                    out.optional(term.abbr) { $0.string($1) }
                    out.list(term.aliases) { $0.string($1) }
                    out.string(term.definition)
                    out.string(term.location.file)
                    out.int(term.location.line)
                    out.int(term.location.column)
                }
            }
            return out.bytes
        }

        init(glossaries: [[GlossaryTerm]], proseFacts: Bool, englishFacts: Bool = true, bodies: Bool = true, blocks: Bool = true) {
            self.glossaries = glossaries
            self.proseFacts = proseFacts
            self.englishFacts = englishFacts
            self.bodies = bodies
            self.blocks = blocks
        }

        /// Nil for a frame that is not one `binaryEncoded` made.
        init?(binary bytes: [UInt8]) {
            guard let read = bytes.withUnsafeBufferPointer({ GlossaryFrame(binary: $0) }) else { return nil }
            self = read
        }

        init?(binary bytes: UnsafeBufferPointer<UInt8>) {
            var r = BinaryReader(bytes: bytes)
            do {
                proseFacts = try r.int() == 1
                englishFacts = try r.int() == 1
                bodies = try r.int() == 1
                blocks = try r.int() == 1
                glossaries = try r.list { r in
                    try r.list { r in
                        GlossaryTerm(term: try r.string(), abbr: try r.optional { try $0.string() }, aliases: try r.list { try $0.string() },
                                     definition: try r.string(),
                                     location: SourceLocation(file: try r.string(), line: try r.int(), column: try r.int()))
                    }
                }
            } catch {
                return nil
            }
            guard r.offset == bytes.count else { return nil }
        }
    }
}

/// Length-prefixed frames on file descriptors.
enum Frames {
    static func header(_ count: Int) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: count >> (8 * $0)) } }

    /// The number `header` wrote into 8 bytes.
    static func integer<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int {
        bytes.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    }

    static func write(_ fd: Int32, _ payload: [UInt8]) -> Bool {
        payload.withUnsafeBufferPointer { writeAll(fd, header(payload.count), $0) }
    }

    /// `head` then `body` in one system call (`writev`) where the pipe takes them whole: a
    /// frame's few bytes of header sent apart cost a call, and woke the reader, of their own.
    static func writeAll(_ fd: Int32, _ head: [UInt8], _ body: UnsafeBufferPointer<UInt8>) -> Bool {
        head.withUnsafeBufferPointer { head in
            let total = head.count + body.count
            var sent = 0
            while sent < total {
                var parts: [iovec] = []
                if sent < head.count {
                    parts.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: head.baseAddress! + sent), iov_len: head.count - sent))
                }
                let bodySent = max(0, sent - head.count)
                if bodySent < body.count {
                    parts.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: body.baseAddress! + bodySent), iov_len: body.count - bodySent))
                }
                let written = writev(fd, parts, Int32(parts.count))
                if written < 0, errno == EINTR { continue }
                guard written > 0 else { return false }
                sent += written
            }
            return true
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { writeAll(fd, $0) }
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// What a read with a deadline found: a frame (its bytes, or where they are in the
    /// reader's buffer), or why there is none.
    enum ReadResult<Frame> {
        case frame(Frame)
        case timedOut
        /// The end of input, or a broken frame.
        case closed
    }
}

/// Frames read from a descriptor through a buffer of its own: what one read brings (a
/// chapter and the ones sent after it, answers that came together) is taken frame by
/// frame, with no system call for each frame's header and body. With a deadline, the
/// descriptor must not block (`O_NONBLOCK`): a read that finds nothing waits in `poll`.
struct FrameReader {
    let fd: Int32
    /// Bytes read and not taken yet: `buffer[start..<end]`.
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var start = 0
    private var end = 0

    init(_ fd: Int32) { self.fd = fd }

    /// The next whole frame, or why there is none: the deadline passed, or the input ended
    /// (or holds a broken frame).
    mutating func next(deadline: Date? = nil) -> Frames.ReadResult<[UInt8]> {
        switch nextInPlace(deadline: deadline) {
        case let .frame(place): return .frame(Array(buffer[place]))
        case .timedOut: return .timedOut
        case .closed: return .closed
        }
    }

    /// The frame at `place`, read where it is: only until the next call of `nextInPlace`
    /// (which reads over it). An answer decoded there is not copied out first (a
    /// 1,000-chapter build's answers are 19 MB).
    func withFrame<Result>(_ place: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[place])) }
    }

    /// The next whole frame, left where it was read (`withFrame`).
    mutating func nextInPlace(deadline: Date? = nil) -> Frames.ReadResult<Range<Int>> {
        while true {
            let available = end - start
            var needed = 8
            if available >= 8 {
                let count = Frames.integer(buffer[start..<(start + 8)])
                guard count >= 0, count < 1 << 34 else { return .closed }
                if available - 8 >= count {
                    let place = (start + 8)..<(start + 8 + count)
                    start += 8 + count
                    if start == end { (start, end) = (0, 0) }
                    return .frame(place)
                }
                needed = 8 + count
            }
            // Room for the whole frame after what is held: what is held moves to the front,
            // and a frame larger than the buffer makes it larger.
            if start + needed > buffer.count {
                if start > 0 {
                    buffer.withUnsafeMutableBufferPointer { b in
                        _ = memmove(b.baseAddress!, b.baseAddress! + start, available)
                    }
                    (start, end) = (0, available)
                }
                if needed > buffer.count { buffer += [UInt8](repeating: 0, count: needed - buffer.count) }
            }
            if let failure = fill(deadline) { return failure }
        }
    }

    /// Reads what the descriptor has (at least a byte) after what is held; nil when it did.
    private mutating func fill(_ deadline: Date?) -> Frames.ReadResult<Range<Int>>? {
        while true {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + end, $0.count - end) }
            if got > 0 {
                end += got
                return nil
            }
            if got == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN:
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                var wait: Int32 = -1
                if let deadline {
                    let remaining = deadline.timeIntervalSinceNow
                    if remaining <= 0 { return .timedOut }
                    wait = Int32(min((remaining * 1000).rounded(.up), Double(Int32.max)))
                }
                let ready = poll(&poller, 1, wait)
                if ready < 0, errno != EINTR { return .closed }
                // Ready, interrupted or out of time: the loop reads again, or finds the deadline passed.
                if ready == 0, let deadline, deadline.timeIntervalSinceNow <= 0 { return .timedOut }
            default:
                return .closed
            }
        }
    }
}

/// The supervisor: parses chapters in worker processes, one per core, each reused across
/// chapters. A chapter that takes longer than the limit, or whose worker crashes or runs
/// out of memory, is reported and its worker replaced; every other chapter is still parsed.
final class ParserPool: @unchecked Sendable {
    let executable: URL
    let options: ParsingOptions
    let glossaryFrame: [UInt8]
    /// Keep workers between calls of `parse` (serve, which parses a few chapters at each
    /// save, and would otherwise start its workers again each time). An idle worker waits
    /// on its input and uses no CPU.
    let keepsWorkers: Bool
    private let idleLock = NSLock()
    private var idle: [Worker] = []

    /// `prestarted` workers (started before the glossary was known) are handed it, and used
    /// first.
    init(executable: URL, options: ParsingOptions, glossaries: [[GlossaryTerm]], keepsWorkers: Bool = false,
         prestarted: PrestartedWorkers? = nil) {
        self.executable = executable
        self.options = options
        self.keepsWorkers = keepsWorkers
        glossaryFrame = ParseWorker.GlossaryFrame(glossaries: glossaries, proseFacts: options.proseFacts, englishFacts: options.englishFacts,
                                                  bodies: options.bodies, blocks: options.blocks).binaryEncoded
        // (Workers come from `spawn`, which keeps a dying worker's pipe from stopping us.)
        for worker in prestarted?.take() ?? [] {
            if Frames.write(worker.input, glossaryFrame) { idle.append(worker) } else { stop(worker) }
        }
    }

    deinit {
        for worker in idle { _ = worker.wait() }
    }

    /// The process ids of the workers waiting for the next call (for tests).
    var idleProcesses: [pid_t] { idleLock.withLock { idle.map(\.pid) } }

    /// A running worker: its process id and our ends of its pipes.
    final class Worker {
        let pid: pid_t
        var input: Int32
        let output: Int32
        /// Bytes its input pipe holds: a chapter sent ahead must fit, so that writing it never
        /// waits on a worker that is itself waiting to write its answer.
        let inputCapacity: Int
        /// Its answers, as they come (`output` does not block: a read waits in `poll`, until
        /// the chapter's time is up).
        var answers: FrameReader
        init(pid: pid_t, input: Int32, output: Int32) {
            self.pid = pid
            self.input = input
            self.output = output
            inputCapacity = guide_pipe_capacity(input)
            _ = fcntl(output, F_SETFL, fcntl(output, F_GETFL) | O_NONBLOCK)
            answers = FrameReader(output)
        }

        /// Still running (an idle worker someone stopped is not handed a chapter).
        func isRunning() -> Bool {
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == 0 else {
                closeInput()
                close(output)
                return false
            }
            return true
        }

        /// Ends its input (a worker stops when its input ends).
        func closeInput() {
            if input >= 0 { close(input) }
            input = -1
        }

        /// Waits for it to end; its signal, or its exit status.
        func wait() -> (signal: Int32?, status: Int32?) {
            closeInput()
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            close(output)
            let signal = status & 0x7F
            return signal != 0 ? (signal, nil) : (nil, (status >> 8) & 0xFF)
        }
    }

    func startWorker() -> Worker? {
        guard let worker = Self.spawn(executable: executable, options: options) else { return nil }
        guard Frames.write(worker.input, glossaryFrame) else { stop(worker); return nil }
        return worker
    }

    /// A new worker process, waiting for its glossary.
    static func spawn(executable: URL, options: ParsingOptions) -> Worker? {
        // A worker that dies while we write to it must not take this process with it.
        signal(SIGPIPE, SIG_IGN)
        var toWorker: [Int32] = [-1, -1], fromWorker: [Int32] = [-1, -1]
        guard pipe(&toWorker) == 0 else { return nil }
        guard pipe(&fromWorker) == 0 else { close(toWorker[0]); close(toWorker[1]); return nil }
        // Our ends must not leak into other workers started later.
        for fd in [toWorker[1], fromWorker[0]] { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let null = open("/dev/null", O_WRONLY)
        let arguments = [executable.path, "parse-worker", "--memory-limit", String(options.memoryLimit)]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = guide_spawn(executable.path, &argv, toWorker[0], fromWorker[1], null, &pid)
        close(toWorker[0]); close(fromWorker[1]); if null >= 0 { close(null) }
        guard result == 0 else { close(toWorker[1]); close(fromWorker[0]); return nil }
        return Worker(pid: pid, input: toWorker[1], output: fromWorker[0])
    }

    func stop(_ worker: Worker) {
        kill(worker.pid, SIGKILL)
        _ = worker.wait()
    }

    /// Parses every chapter with the glossary of its number, and makes what `make` makes of
    /// each one's result (the chapter's number, and its value or why it failed) on the thread
    /// that read it, as it comes.
    func parse<Made: Sendable>(_ chapters: [(text: String, bodyStartLine: Int, glossary: Int)],
                               making make: @Sendable (Int, Result<ParsedMarkdown, ParseFailure>) -> Made) -> [Made] {
        parse(chapters.map { ($0.bodyStartLine, $0.glossary) }, texts: ChapterTexts(chapters.map(\.text)), making: make)
    }

    /// The same, each chapter's text taken from `texts` by its number.
    func parse<Made: Sendable>(_ chapters: [(bodyStartLine: Int, glossary: Int)], texts: ChapterTexts,
                               making make: @Sendable (Int, Result<ParsedMarkdown, ParseFailure>) -> Made) -> [Made] {
        let work = ParseWork<Made>(count: chapters.count)
        let workers = max(1, min(options.workerCount, chapters.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var worker: Worker? = idleLock.withLock { idle.popLast() }
            if let kept = worker, !kept.isRunning() { worker = nil }
            supervise(&worker, chapters: chapters, texts: texts, take: { work.take(below: chapters.count) }, store: { work.store($0, make($0, $1)) })
            // A worker is done, a core free: the stages after parsing come next.
            WorkPool.shared.expectWork(within: 0.03)
            if let worker {
                if keepsWorkers {
                    idleLock.withLock { idle.append(worker) }
                } else {
                    // Its input ended, it exits by itself: reaped on another thread, as the
                    // build goes on (waiting for its exit held the build up about a millisecond).
                    worker.closeInput()
                    // Handed over whole: nothing here touches it again.
                    nonisolated(unsafe) let ended = worker
                    DispatchQueue.global().async { _ = ended.wait() }
                }
            }
        }
        return work.results.enumerated().map { $1 ?? make($0, .failure(.crashed(signal: nil, status: nil))) }
    }

    /// How many chapters a worker is sent ahead of its answers. Two would keep it busy if
    /// this process answered at once; on a loaded machine the thread that reads the answers
    /// may wait a few milliseconds for a core, a dozen small chapters' parsing.
    static let sentAhead = 8

    /// The bytes a chapter's request takes in the pipe: its length, line and glossary, then its text.
    static func frameSize(_ text: String) -> Int { 8 + 16 + text.utf8.count }

    /// One worker's share: chapters taken one by one, each answer read within the time
    /// limit. Up to `sentAhead` chapters are sent before the answer to the first is read (as
    /// many as fit in the pipe besides the one being parsed, so neither side can wait on the
    /// other), and an answer is decoded while the worker parses the next: a worker never waits
    /// for this process between chapters, even when this process's threads are not run at
    /// once. A chapter whose worker failed before starting it is sent again, to the next worker.
    private func supervise(_ worker: inout Worker?, chapters: [(bodyStartLine: Int, glossary: Int)], texts: ChapterTexts,
                           take: () -> Int?, store: (Int, Result<ParsedMarkdown, ParseFailure>) -> Void) {
        var inFlight: [Int] = []
        // The frame size of each chapter in flight, by its place in `inFlight`.
        var inFlightSizes: [Int] = []
        // Taken but not sent yet: sent again after a failure, or too big to send ahead.
        var waiting: [Int] = []
        // When the oldest chapter in flight could start: its time limit counts from there.
        var startedAt = Date()
        // The last answer, decoded where its worker read it once the next chapters are sent.
        var answered: (index: Int, from: Worker, place: Range<Int>)?
        while true {
            while inFlight.count < Self.sentAhead, let index = waiting.isEmpty ? take() : waiting.removeFirst() {
                if worker == nil {
                    worker = startWorker()
                    guard worker != nil else {
                        store(index, .failure(.crashed(signal: nil, status: nil)))
                        continue
                    }
                }
                let current = worker!
                var text = texts[index]
                // The pipe may still hold every chapter in flight but the first.
                let queued = inFlightSizes.dropFirst().reduce(0, +)
                if !inFlight.isEmpty, queued + Self.frameSize(text) > current.inputCapacity {
                    waiting.insert(index, at: 0)
                    break
                }
                // The text goes out from its own storage, not copied into a request first.
                let sent = text.withUTF8 { bytes in
                    Frames.writeAll(current.input, Frames.header(16 + bytes.count) + Frames.header(chapters[index].bodyStartLine)
                                    + Frames.header(chapters[index].glossary), bytes)
                }
                if inFlight.isEmpty { startedAt = Date() }
                inFlight.append(index)
                inFlightSizes.append(Self.frameSize(text))
                // A worker that cannot take a chapter has died: reading its answers says how.
                if !sent { break }
            }
            if let (index, from, place) = answered {
                let markdown = from.answers.withFrame(place) { ParsedMarkdown(binary: $0) }
                store(index, markdown.map { .success($0) } ?? .failure(.crashed(signal: nil, status: nil)))
                answered = nil
            }
            guard let head = inFlight.first, let current = worker else { return }
            let answer = current.answers.nextInPlace(deadline: startedAt.addingTimeInterval(options.timeout))
            if case let .frame(place) = answer {
                inFlight.removeFirst()
                inFlightSizes.removeFirst()
                startedAt = Date()
                answered = (head, current, place)
                continue
            }
            // No answer: too slow, or the worker died. Either way it is stopped, and a new one
            // takes the next chapter; the one it had not started yet goes with it.
            worker = nil
            inFlight.removeFirst()
            waiting = inFlight + waiting
            inFlight = []
            inFlightSizes = []
            switch answer {
            case .timedOut:
                stop(current)
                store(head, .failure(.timedOut))
            case .closed, .frame:
                // It died (or ends now that its input is closed): its own signal or status.
                let (signal, status) = current.wait()
                store(head, .failure(.crashed(signal: signal, status: status)))
            }
        }
    }
}

/// The texts of the chapters being parsed, by number, shared by the threads that send
/// them. A build lets each go once its chapter is made (`release`): held until the last
/// chapter was parsed, they were 76 MB at 10,000 chapters at the build's fullest.
final class ChapterTexts: Sendable {
    private let texts: Mutex<[String]>
    init(_ texts: [String]) { self.texts = Mutex(texts) }
    subscript(index: Int) -> String { texts.withLock { $0[index] } }
    func release(_ index: Int) { texts.withLock { $0[index] = "" } }
}

/// The chapters still to hand out, and what was made of each answer, shared by the threads
/// that supervise the workers.
private final class ParseWork<Made>: @unchecked Sendable {
    let lock = NSLock()
    var next = 0
    var results: [Made?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
    func take(below count: Int) -> Int? {
        lock.withLock {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }
    func store(_ index: Int, _ made: Made) {
        lock.withLock { results[index] = made }
    }
}

/// Parse workers started before the glossary is known: a build starts them first thing, so
/// that starting them (a process each) overlaps reading the content instead of following
/// it. `ParserPool` hands them the glossary; any not handed over are stopped.
final class PrestartedWorkers: @unchecked Sendable {
    private let lock = NSLock()
    private var workers: [ParserPool.Worker] = []
    private let starting = DispatchGroup()

    init(executable: URL, options: ParsingOptions) {
        for _ in 0..<max(1, options.workerCount) {
            DispatchQueue.global().async(group: starting) { [self] in
                guard let worker = ParserPool.spawn(executable: executable, options: options) else { return }
                lock.withLock { workers.append(worker) }
            }
        }
    }

    /// The workers, once all have started; they are the caller's from then on.
    func take() -> [ParserPool.Worker] {
        starting.wait()
        return lock.withLock {
            defer { workers = [] }
            return workers
        }
    }

    deinit {
        starting.wait()
        for worker in workers { _ = worker.wait() }
    }

    /// The workers `startEarly` started, and for what.
    private static let earlyLock = NSLock()
    nonisolated(unsafe) private static var early: (executable: URL, options: ParsingOptions, workers: PrestartedWorkers)?

    /// Starts workers for `ParsingOptions.startWorkersEarly()`.
    static func startEarly(executable: URL, options: ParsingOptions) {
        // Any started before and not taken are stopped first, outside the lock.
        stopEarly()
        let workers = PrestartedWorkers(executable: executable, options: options)
        earlyLock.withLock { early = (executable, options, workers) }
    }

    /// Stops the workers `startEarly` started, if no run took them: each worker's input is
    /// closed and its exit waited for as they go (`deinit`).
    static func stopEarly() {
        _ = takeEarly()
    }

    /// The workers `startEarly` started, if they are what `executable` and `options` ask
    /// for; each is taken once. Workers started for other options are stopped.
    static func early(executable: URL, options: ParsingOptions) -> PrestartedWorkers? {
        guard let started = takeEarly(), started.executable == executable, started.options.workerCount == options.workerCount,
              started.options.memoryLimit == options.memoryLimit else { return nil }
        return started.workers
    }

    /// What `startEarly` started, taken out (nil once taken).
    private static func takeEarly() -> (executable: URL, options: ParsingOptions, workers: PrestartedWorkers)? {
        earlyLock.withLock {
            defer { early = nil }
            return early
        }
    }
}
