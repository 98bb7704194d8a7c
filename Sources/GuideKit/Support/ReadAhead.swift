import CSystem
import Foundation

/// Files about to be read, asked for from disk all at once (`guide_read_ahead`). Where the
/// system's cache no longer holds them (it lets files go within seconds on some machines),
/// reading a thousand small files one after another waits for the disk a thousand times;
/// asked for together, they come in one go.
enum ReadAhead {
    /// Asks for each file now, on this thread (a few microseconds a file).
    static func files(_ paths: some Sequence<String>) {
        for path in paths { guide_read_ahead(path) }
    }

    /// Asks for each file on a thread of its own, which nothing waits for: a file gone or
    /// changed by then is passed over or read as it is, and nothing is read into the build.
    /// The paths are made there too.
    static func filesInBackground(_ paths: @escaping @Sendable () -> [String]) {
        DispatchQueue.global(qos: .utility).async { files(paths()) }
    }
}
