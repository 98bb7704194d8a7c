import Foundation

/// Values `guide serve` made in its last build, each kept with what it was made from, so a
/// rebuild makes again only what changed. A value is reused only when made from the same
/// inputs; what every value depends on is the `setting`, and a new setting empties the
/// cache; values a build did not ask for (a deleted chapter's) are forgotten at `finish`.
final class RebuildCache<Key: Hashable, Inputs, Value>: @unchecked Sendable {
    private let same: (Inputs, Inputs) -> Bool
    private let lock = NSLock()
    private var setting = ""
    private var entries: [Key: (inputs: Inputs, value: Value)] = [:]
    private var used: Set<Key> = []
    private var madeKeys: [Key] = []

    init(same: @escaping (Inputs, Inputs) -> Bool) { self.same = same }

    /// Starts a build with this setting.
    func begin(setting: String = "") {
        lock.withLock {
            if setting != self.setting {
                entries = [:]
                self.setting = setting
            }
            used = []
            madeKeys = []
        }
    }

    /// The value for `key`: the last one if made from the same inputs (`kept`), else `make()`.
    func value(_ key: Key, inputs: Inputs, make: () -> Value) -> (value: Value, kept: Bool) {
        let known = lock.withLock { () -> (inputs: Inputs, value: Value)? in
            used.insert(key)
            return entries[key]
        }
        if let known, same(known.inputs, inputs) { return (known.value, true) }
        let value = make()
        lock.withLock {
            entries[key] = (inputs, value)
            madeKeys.append(key)
        }
        return (value, false)
    }

    /// The keys whose values were made (not kept) since `begin`.
    var made: [Key] { lock.withLock { madeKeys } }

    /// Forgets everything (after a build whose output may not all have been written).
    func clear() {
        lock.withLock { entries = [:] }
    }

    /// Ends a build: values it did not ask for are forgotten.
    func finish() {
        lock.withLock { entries = entries.filter { used.contains($0.key) } }
    }
}

extension RebuildCache where Inputs: Equatable {
    convenience init() { self.init(same: ==) }
}
