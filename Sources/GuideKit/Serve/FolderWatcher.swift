import Foundation

/// Tells `guide serve` when a file under some folders changes, through Linux's inotify: the
/// process sleeps until something happens, so an idle server uses no CPU, and a save is
/// seen at once. Where inotify is missing, `changed` falls back to comparing the folders'
/// listings (names, sizes, times) every half second.
public final class FolderWatcher {
    private let folders: [URL]
    private var fd: Int32 = -1
    private var watched: [Int32: String] = [:]
    private var listing: [String: [Double]] = [:]

    public init(folders: [URL]) {
        self.folders = folders
        #if os(Linux)
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if fd >= 0 { folders.forEach { addTree($0.path) } }
        #endif
        if fd < 0 { listing = Self.listing(folders) }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Waits up to `timeout` seconds; true when something under the folders changed. A burst
    /// of events (an editor's save is often several) counts once: it waits until the folders
    /// have been quiet for `settle` seconds.
    public func changed(timeout: Double, settle: Double = 0.02) -> Bool {
        guard fd >= 0 else {
            Thread.sleep(forTimeInterval: min(timeout, 0.5))
            let now = Self.listing(folders)
            defer { listing = now }
            return now != listing
        }
        guard waitReadable(timeout) else { return false }
        repeat { drain() } while waitReadable(settle)
        return true
    }

    private func waitReadable(_ seconds: Double) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&poller, 1, Int32((seconds * 1000).rounded(.up)))
            if ready < 0, errno == EINTR { continue }
            return ready > 0
        }
    }

    /// Reads every pending event; a new folder is watched too.
    private func drain() {
        #if os(Linux)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let (wd, mask, length) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int) in
                    let event = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (event.wd, event.mask, Int(event.len))
                }
                let nameStart = offset + MemoryLayout<inotify_event>.size
                if mask & UInt32(IN_ISDIR) != 0, mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0, let parent = watched[wd] {
                    let name = String(decoding: buffer[nameStart..<(nameStart + length)].prefix { $0 != 0 }, as: UTF8.self)
                    addTree(parent + "/" + name)
                }
                offset = nameStart + length
            }
        }
        #endif
    }

    /// Watches a folder and every folder below it.
    private func addTree(_ path: String) {
        #if os(Linux)
        let mask = UInt32(IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_ATTRIB)
        let wd = inotify_add_watch(fd, path, mask)
        guard wd >= 0 else { return }
        watched[wd] = path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            var info = stat()
            if lstat(path + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { addTree(path + "/" + name) }
        }
        #endif
    }

    /// Every file under the folders, with its size and modification time.
    static func listing(_ folders: [URL]) -> [String: [Double]] {
        var files: [String: [Double]] = [:]
        for folder in folders {
            guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.contentModificationDateKey, .fileSizeKey]) else { continue }
            for case let url as URL in enumerator {
                let values = try? url.resourceValues(forKeys: [.contentModificationDateKey, .fileSizeKey])
                files[url.path] = [values?.contentModificationDate?.timeIntervalSince1970 ?? 0, Double(values?.fileSize ?? 0)]
            }
        }
        return files
    }
}
