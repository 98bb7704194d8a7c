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

    /// `filesUnlessInMemory` on a thread of its own, which nothing waits for: a file gone or
    /// changed by then is passed over or read as it is, and nothing is read into the build.
    /// The paths are made there too.
    static func filesInBackground(_ paths: @escaping @Sendable () -> [String]) {
        DispatchQueue.global(qos: .utility).async { filesUnlessInMemory(paths()) }
    }

    /// Asks for each file, unless sixteen of them, spread over the list, are all in the
    /// system's memory already: then the others most likely are too (a site rebuilt moments
    /// ago, chapters just read), and asking for each again costs more than it saves (four
    /// system calls a file: 13,000 of the 44,000 of a 1,000-chapter rebuild). A file that is
    /// not is only read when its turn comes.
    static func filesUnlessInMemory(_ paths: [String]) {
        let step = max(1, paths.count / sampleSize)
        let sample = stride(from: 0, to: paths.count, by: step).prefix(sampleSize).map { paths[$0] }
        guard sample.isEmpty || !areInMemory(sample) else { return }
        files(paths)
    }

    private static let sampleSize = 16

    /// Whether the plain files among `paths` (one at least) are each wholly in the system's
    /// memory already; what is not a plain file (a folder the list names, a file gone) tells
    /// nothing and is passed over.
    static func areInMemory(_ paths: some Sequence<String>) -> Bool {
        var plainFiles = 0
        for path in paths {
            switch guide_file_is_in_memory(path) {
            case 1: plainFiles += 1
            case 0: return false
            default: continue
            }
        }
        return plainFiles > 0
    }
}
