import Foundation

/// One environment variable at a time, read with `getenv`: `ProcessInfo`'s `environment`
/// makes a dictionary of the whole environment at every use (about 0.7 million
/// instructions), and each process of a build asked it several times as it started.
public enum Environment {
    /// The variable's value; nil when it is not set.
    public static func value(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
