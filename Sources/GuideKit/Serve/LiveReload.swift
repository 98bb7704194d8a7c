import Foundation

/// What `guide serve` tells the pages it serves: which site they show, and the problems of
/// a rebuild that failed, as server-sent events on `/__guide/events`. Pages reload when the
/// site changes (`serve/live-reload.js`, which the server adds to every page it sends).
public final class LiveReload: @unchecked Sendable {
    /// The state every listening page is told on connecting and on each change.
    public enum State: Equatable, Sendable {
        /// A site is up: its number (a new one after each good rebuild).
        case site(Int)
        /// The last rebuild failed: its diagnostics as `file:line:column: message` lines,
        /// shown over the last good site (`version`, or none yet).
        case problems([String], version: Int)
    }

    /// The script pages load, and the page served while no site has been built.
    let script: String
    let waitingPage: String
    private let condition = NSCondition()
    private var state = State.site(0)
    private var generation = 0
    private var stopped = false

    public init(script: String, waitingPage: String) {
        self.script = script
        self.waitingPage = waitingPage
    }

    /// A good rebuild: every page reloads.
    public func siteChanged() {
        update { state in
            switch state {
            case let .site(version), let .problems(_, version): return .site(version + 1)
            }
        }
    }

    /// A failed rebuild: every page shows `lines` until the next good one.
    public func problems(_ lines: [String]) {
        update { state in
            switch state {
            case let .site(version), let .problems(_, version): return .problems(lines, version: version)
            }
        }
    }

    /// Ends every event stream (the server is stopping).
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    private func update(_ change: (State) -> State) {
        condition.lock()
        state = change(state)
        generation += 1
        condition.broadcast()
        condition.unlock()
    }

    /// The number of the site being served.
    var siteVersion: Int {
        switch current.state {
        case let .site(version), let .problems(_, version): return version
        }
    }

    /// The current state, and a number that changes with it.
    var current: (state: State, generation: Int) {
        condition.lock()
        defer { condition.unlock() }
        return (state, generation)
    }

    /// Waits until the state changes from `generation`, the stream is stopped, or `timeout`
    /// seconds pass; nil when stopped.
    func wait(after generation: Int, timeout: Double) -> (state: State, generation: Int)? {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(timeout)
        while self.generation == generation, !stopped, condition.wait(until: deadline) {}
        return stopped ? nil : (state, self.generation)
    }

    /// The events that tell a page `state`.
    static func events(_ state: State) -> String {
        switch state {
        case let .site(version):
            return "event: site\ndata: \(version)\n\n"
        case let .problems(lines, version):
            let encoder = JSONEncoder()
            encoder.outputFormatting = .withoutEscapingSlashes
            let json = (try? encoder.encode(lines)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
            return "event: site\ndata: \(version)\n\nevent: problems\ndata: \(json)\n\n"
        }
    }
}
