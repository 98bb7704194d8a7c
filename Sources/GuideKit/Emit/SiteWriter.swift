import CSystem
import Foundation

/// The emit stage: writes the site into a fresh folder beside the output and swaps it in
/// only when every file is written, so a failed build leaves the previous site as it was.
public enum SiteWriter {
    /// The file that marks a folder as written by `guide`: a note, then every path guide
    /// wrote there, one a line. Only a folder holding nothing else is ever replaced.
    public static let markerName = ".guide-output"
    static let markerNote = "This folder is written by `guide build` and replaced whole on every build. Do not edit it by hand.\n"
    /// The line before the list of written paths in the marker.
    static let manifestHeading = "Written by guide:"

    /// Refuses an output folder that would overwrite or swallow the guide's own files, or
    /// that holds files guide did not write; `files` are the paths the build will write.
    public static func checkOutput(_ output: URL, content: URL, templates: URL?) throws {
        try checkOutputPath(output, content: content, templates: templates)
        try checkOutputEntries(output)
    }

    /// The checks of `checkOutput` that look at paths, not at what the folder holds.
    static func checkOutputPath(_ output: URL, content: URL, templates: URL?) throws {
        let out = canonical(output)
        let protected = [("content", canonical(content))] + (templates.map { [("templates", canonical($0))] } ?? [])
        for (name, path) in protected {
            if out == path {
                throw ConfigurationError("the output folder '\(output.path)' is the \(name) folder; choose another, such as Site")
            }
            if path.hasPrefix(out == "/" ? "/" : out + "/") {
                throw ConfigurationError("the output folder '\(output.path)' contains the \(name) folder, which a build would replace; choose another, such as Site")
            }
            if out.hasPrefix(path + "/") {
                throw ConfigurationError("the output folder '\(output.path)' is inside the \(name) folder; choose a folder outside it, such as Site")
            }
        }
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        // The nearest part of the path that exists must be a folder, or nothing can be made.
        var ancestor = output.standardizedFileURL.deletingLastPathComponent()
        while ancestor.path != "/", !fm.fileExists(atPath: ancestor.path) { ancestor = ancestor.deletingLastPathComponent() }
        if fm.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ConfigurationError("cannot write the site to '\(output.path)': '\(ancestor.path)' is a file, not a folder")
        }
        if let target = try? fm.destinationOfSymbolicLink(atPath: output.standardizedFileURL.path) {
            // Replacing the link with a folder would leave the web root it points to stale.
            throw ConfigurationError("the output folder '\(output.path)' is a symbolic link (to '\(target)'); nothing was changed. Give the real folder with --output")
        }
        guard fm.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw ConfigurationError("the output path '\(output.path)' is a file, not a folder; nothing was changed")
        }
    }

    /// The check of `checkOutput` that reads every entry of an existing output folder (tens of
    /// thousands for a large guide): the pipeline runs it beside reading the content.
    /// With `readAhead`, the files the last build wrote are asked for from disk at once (see
    /// `ReadAhead`): a build compares each new file with the old one (`linkIfSame`).
    static func checkOutputEntries(_ output: URL, readAhead: Bool = false) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory), isDirectory.boolValue else { return }
        let marker = try? String(contentsOf: output.appendingPathComponent(markerName), encoding: .utf8)
        let written = marker.flatMap(listedPaths)
        // Asked for now, while the folder is looked through and the content read: the pages
        // are compared with them from the first one rendered.
        if readAhead, let written {
            let root = output.standardizedFileURL.path
            ReadAhead.filesInBackground { previousFiles(written, in: root) }
        }
        if let foreign = firstForeignEntry(in: output, hasMarker: marker != nil, written: written) {
            throw ConfigurationError("the output folder '\(output.path)' holds '\(foreign)', which guide did not write; nothing was changed. Move it elsewhere, or choose another folder with --output")
        }
    }

    /// The first entry (in sorted order) of an existing output folder that guide did not
    /// write: anything when there is no marker, else anything the marker's list (`written`)
    /// does not name.
    static func firstForeignEntry(in output: URL, hasMarker: Bool, written: Set<String>?) -> String? {
        let isForeign: (String) -> Bool
        if let written {
            isForeign = { $0 != markerName && !written.contains($0) }
        } else if hasMarker {
            // A marker from before the list was kept: only guide's own kinds of files.
            isForeign = { $0 != markerName && ($0.hasPrefix(".") || $0.contains("/.")) }
        } else {
            isForeign = { _ in true }
        }
        // The first in sorted order, found without sorting them all.
        var first: String?
        forEachEntry(below: output) { relative in
            if isForeign(relative), first.map({ relative < $0 }) ?? true { first = relative }
        }
        return first
    }

    /// Every file and folder below `folder`, relative and sorted; symbolic links are listed,
    /// never followed.
    static func walk(_ folder: URL) -> [String] {
        var result: [String] = []
        forEachEntry(below: folder) { result.append($0) }
        return result.sorted()
    }

    /// Every file and folder below `folder`, relative, in the order the system lists them;
    /// symbolic links are named, never followed. Through `readdir`, whose entries say which
    /// are folders, not a `stat` of each.
    static func forEachEntry(below folder: URL, _ body: (String) -> Void) {
        func visit(_ descriptor: Int32, _ prefix: String) {
            for entry in folderEntries(descriptor) {
                body(prefix + entry.name)
                guard entry.isFolder else { continue }
                let folder = openat(descriptor, entry.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard folder >= 0 else { continue }
                visit(folder, prefix + entry.name + "/")
                close(folder)
            }
        }
        let root = open(folder.standardizedFileURL.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { return }
        visit(root, "")
        close(root)
    }

    /// The files of the last build, by path, to read ahead: those its marker lists, but
    /// none a changed marker would place outside the output folder.
    static func previousFiles(_ listed: Set<String>, in root: String) -> [String] {
        listed.filter { !$0.hasPrefix("/") && !$0.split(separator: "/").contains("..") }.map { root + "/" + $0 }
    }

    /// The paths a marker lists as written by guide; nil for a marker without the list.
    static func listedPaths(_ marker: String) -> Set<String>? {
        let lines = marker.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let heading = lines.firstIndex(of: manifestHeading) else { return nil }
        return Set(lines[(heading + 1)...].filter { !$0.isEmpty })
    }

    /// Where a build's files go: a staging folder swapped in whole (`Staging`, for `build`),
    /// or the site folder itself, file by file, only where bytes differ (`Update`, for
    /// `serve`'s rebuilds, so an unchanged page is not touched).
    public protocol Sink: AnyObject, Sendable {
        func emit(_ file: OutputFile)
        func commit() throws
        func abandon()
    }

    /// The files of one build in one folder, claimed from any thread: a path claimed twice
    /// (a content file named like a page or a template's static file) is refused, each
    /// folder is made once, and the first failure is kept for `commit` to throw.
    final class Claims: @unchecked Sendable {
        /// The folder's path: each file's is made from it as text (thousands of URLs cost a
        /// few percent of a build).
        private let rootPath: String
        private let lock = NSLock()
        private var paths: Set<String> = []
        private var made: Set<String> = []
        private var failure: Error?

        init(root: URL) { rootPath = root.path }

        /// The path where `path` goes, its folder made.
        func claim(_ path: String) throws -> String {
            let target = rootPath + "/" + path
            // The last "/" found among the bytes, not by reading the path's characters backwards.
            let directory = String(target[..<target.utf8.lastIndex(of: UInt8(ascii: "/"))!])
            try lock.withLock {
                guard paths.insert(path).inserted else {
                    throw ConfigurationError("two files would be written to '\(path)' in the site; rename one of them")
                }
                if !made.contains(directory) {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    made.insert(directory)
                }
            }
            return target
        }

        /// Runs `write`, keeping its failure (emitting from parallel work cannot throw).
        func keepingFailure(_ write: () throws -> Void) {
            do { try write() } catch { lock.withLock { if failure == nil { failure = error } } }
        }

        /// Every path claimed and the folders that hold them; throws the first failure.
        func finish() throws -> (files: Set<String>, folders: Set<String>) {
            try lock.withLock {
                if let failure { throw failure }
                // Each path's folders, from the nearest up, until one is already listed (then so
                // are those above it): 20,000 paths are split into parts no more.
                var folders: Set<String> = []
                for path in paths {
                    var end = path.endIndex
                    while let slash = path[..<end].lastIndex(of: "/"), folders.insert(String(path[..<slash])).inserted {
                        end = slash
                    }
                }
                return (paths, folders)
            }
        }

        /// The marker listing what was written.
        static func manifest(_ files: Set<String>, _ folders: Set<String>) -> String {
            ([markerNote, manifestHeading] + (Array(files) + folders).sorted()).joined(separator: "\n") + "\n"
        }
    }

    /// A site being written: each file goes into a folder beside the output as soon as it is
    /// made (from any thread), so a large site is never held in memory whole; `commit` swaps
    /// the folder in when every file is there, and `abandon` removes it.
    public final class Staging: Sink, @unchecked Sendable {
        let output: URL
        private let outputPath: String
        let folder: URL
        private let claims: Claims
        /// The files the site in `output` lists in its marker (guide wrote them), if any.
        private let previous: Set<String>
        private let lock = NSLock()
        /// Files taken over from the previous site, for tests.
        public private(set) var reused = 0

        public init(output: URL) throws {
            let fm = FileManager.default
            self.output = output.standardizedFileURL
            outputPath = self.output.path
            let parent = self.output.deletingLastPathComponent()
            let name = self.output.lastPathComponent
            folder = parent.appendingPathComponent(".\(name).guide-new-\(ProcessInfo.processInfo.processIdentifier)")
            claims = Claims(root: folder)
            previous = (try? String(contentsOf: self.output.appendingPathComponent(markerName), encoding: .utf8)).flatMap(listedPaths) ?? []
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            removeStaleStaging(in: parent, name: name)
            try removeIfOurs(folder)
            try fm.createDirectory(at: folder, withIntermediateDirectories: false)
            // Marked at once, so the staging folder of a killed build is known to be ours. Not
            // synced to disk (Foundation's write syncs, which made every build wait for the
            // disk before its first page): only the marker `commit` writes is.
            try SiteWriter.write(markerNote, to: folder.path + "/" + markerName)
        }

        /// Writes one file; the first failure is thrown by `commit`. A file whose bytes are
        /// those of the previous site's file is linked to it instead (a new name for the same
        /// file): creating thousands of files again right after deleting them is most of a
        /// rebuild's time on ext4, which searches for inodes that were not freed recently.
        public func emit(_ file: OutputFile) {
            claims.keepingFailure {
                let target = try claims.claim(file.path)
                if previous.contains(file.path), SiteWriter.linkIfSame(file, old: outputPath + "/" + file.path, to: target) {
                    lock.withLock { reused += 1 }
                    return
                }
                switch file.contents {
                case let .bytes(data): try SiteWriter.write(data, to: target)
                case let .text(text): try SiteWriter.write(text, to: target)
                case let .pieces(pieces): try SiteWriter.write(pieces, to: target)
                case let .streamed(stream): try SiteWriter.write(stream, to: target)
                case let .copy(source): try FileManager.default.copyItem(atPath: source.resolvingSymlinksInPath().path, toPath: target)
                }
            }
        }

        /// Lists what was written in the marker, then puts the new site in the output's place.
        public func commit() throws {
            let (files, folders) = try claims.finish()
            try Data(Claims.manifest(files, folders).utf8).write(to: folder.appendingPathComponent(markerName))
            try SiteWriter.swap(folder, into: output)
        }

        /// Removes the staging folder; the output is left as it was.
        public func abandon() { try? removeIfOurs(folder) }
    }

    /// Brings an existing site folder (one guide wrote) up to date in place: a file whose
    /// bytes are unchanged is left alone, a changed one is replaced whole (written beside it
    /// and renamed over it, so a reader never sees half a page), and a file the build no
    /// longer makes is removed. Only paths listed in the folder's marker are ever removed.
    public final class Update: Sink, @unchecked Sendable {
        let output: URL
        private let previous: Set<String>
        private let claims: Claims
        private let lock = NSLock()
        /// How many files the update wrote (changed or new), for tests and the serve log.
        public private(set) var changed = 0

        private let written: WrittenFiles?

        /// Nil when `output` is not a folder guide wrote (then a `Staging` is needed).
        /// `written` remembers what earlier updates wrote, so an unchanged file is known
        /// without reading it back.
        public init?(output: URL, written: WrittenFiles? = nil) {
            self.output = output.standardizedFileURL
            guard let marker = try? String(contentsOf: self.output.appendingPathComponent(markerName), encoding: .utf8),
                  let previous = listedPaths(marker) else { return nil }
            self.previous = previous
            self.written = written
            claims = Claims(root: self.output)
        }

        public func emit(_ file: OutputFile) {
            claims.keepingFailure {
                let target = try claims.claim(file.path)
                // The same page as last time, which this update's session wrote (or found) then.
                if file.sameAsLastBuild, written?.has(file.path) == true, access(target, F_OK) == 0 { return }
                let bytes = file.bytes
                let digest = written.map { _ in WrittenFiles.Digest(bytes) }
                if let digest, written?.matches(file.path, digest) == true, access(target, F_OK) == 0 { return }
                if let existing = FileManager.default.contents(atPath: target), existing == bytes {
                    if let digest { written?.record(file.path, digest) }
                    return
                }
                let slash = target.lastIndex(of: "/")!
                let temporary = String(target[...slash]) + "." + target[target.index(after: slash)...] + ".guide-new"
                try SiteWriter.write(bytes, to: temporary)
                guard rename(temporary, target) == 0 else {
                    unlink(temporary)
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target])
                }
                if let digest { written?.record(file.path, digest) }
                lock.withLock { changed += 1 }
            }
        }

        public func commit() throws {
            let (files, folders) = try claims.finish()
            // What the last build wrote and this one did not: files first, then folders left empty.
            for gone in previous.subtracting(files).subtracting(folders).sorted(by: >) {
                let url = output.appendingPathComponent(gone)
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
                if isDirectory.boolValue {
                    if (try? FileManager.default.contentsOfDirectory(atPath: url.path))?.isEmpty == true { try? FileManager.default.removeItem(at: url) }
                } else {
                    try FileManager.default.removeItem(at: url)
                }
            }
            let manifest = Claims.manifest(files, folders)
            let markerURL = output.appendingPathComponent(markerName)
            if (try? String(contentsOf: markerURL, encoding: .utf8)) != manifest {
                try SiteWriter.write(Data(manifest.utf8), to: markerURL.path)
            }
        }

        /// Nothing to undo: each file was replaced whole, and the build only writes after
        /// every check passed.
        public func abandon() {}
    }

    /// What `guide serve`'s updates wrote, as a digest per path: two 64-bit SipHashes with
    /// different keys and the length, so a changed file is told from an unchanged one
    /// without reading the site folder back.
    public final class WrittenFiles: @unchecked Sendable {
        struct Digest: Equatable {
            var first: Int
            var second: Int
            var count: Int

            init(_ bytes: Data) {
                var a = Hasher(), b = Hasher()
                a.combine(0x6775_6964_65)
                b.combine(0x7365_7276_65)
                bytes.withUnsafeBytes { a.combine(bytes: $0); b.combine(bytes: $0) }
                first = a.finalize()
                second = b.finalize()
                count = bytes.count
            }
        }
        private let lock = NSLock()
        private var digests: [String: Digest] = [:]

        public init() {}

        func matches(_ path: String, _ digest: Digest) -> Bool { lock.withLock { digests[path] == digest } }
        func record(_ path: String, _ digest: Digest) { lock.withLock { digests[path] = digest } }
        func has(_ path: String) -> Bool { lock.withLock { digests[path] != nil } }
        /// Forgets everything (after an update that failed part of the way).
        func clear() { lock.withLock { digests = [:] } }
    }

    /// Puts `staging` in the place of `output`.
    static func swap(_ staging: URL, into output: URL) throws {
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        guard fm.fileExists(atPath: output.path) else {
            try fm.moveItem(at: staging, to: output)
            return
        }
        // One atomic swap where the system has it: readers (and `serve`) see the old site or
        // the new one, and a crash at any moment leaves a complete site under the name.
        if guide_rename_exchange(staging.path, output.path) == 0 {
            try? removeIfOurs(staging)
            return
        }
        let retired = parent.appendingPathComponent(".\(name).guide-old-\(ProcessInfo.processInfo.processIdentifier)")
        try removeIfOurs(retired)
        try fm.moveItem(at: output, to: retired)
        do {
            try fm.moveItem(at: staging, to: output)
        } catch {
            try? fm.moveItem(at: retired, to: output)
            try? removeIfOurs(staging)
            throw error
        }
        try? removeIfOurs(retired)
    }

    /// Writes bytes without Foundation's extra copy and sync.
    static func write(_ data: Data, to path: String) throws {
        try writeNew(path) { fd in
            data.withUnsafeBytes { Frames.writeAll(fd, UnsafeBufferPointer(start: $0.baseAddress?.assumingMemoryBound(to: UInt8.self), count: $0.count)) }
        }
    }

    /// Creates (or empties) the file at `url` and hands `write` its descriptor; `write` says
    /// whether every byte was written.
    private static func writeNew(_ path: String, _ write: (Int32) -> Bool) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        guard write(fd) else { throw CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: path]) }
    }

    /// Links `target` to `old` when `old` is a plain file (not a link, nothing else) with
    /// exactly the bytes `file` would have; false, and nothing done, otherwise.
    static func linkIfSame(_ file: OutputFile, old: String, to target: String) -> Bool {
        // A streamed page is made as it is written: comparing would cost what writing does.
        if case .streamed = file.contents { return false }
        var status = stat()
        guard lstat(old, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return false }
        let fd = guide_open_unread(old, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // Sized to the file (most pages are a few KB), and not zeroed first: read fills it.
        let size = min(65_536, max(1, Int(status.st_size)))
        var buffer = [UInt8](unsafeUninitializedCapacity: size) { _, count in count = size }
        // What of the buffer has been read from the file, and how much of that compared.
        var filled = 0, compared = 0
        /// Whether the old file's next bytes are `bytes` (read a buffer at a time: a print
        /// edition is compared in thousands of small pieces).
        func next(_ bytes: UnsafeRawBufferPointer) -> Bool {
            var offset = 0
            while offset < bytes.count {
                if compared == filled {
                    let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    guard got > 0 else { return false }
                    (filled, compared) = (got, 0)
                }
                let count = min(filled - compared, bytes.count - offset)
                let equal = buffer.withUnsafeBytes { memcmp($0.baseAddress! + compared, bytes.baseAddress! + offset, count) == 0 }
                guard equal else { return false }
                offset += count
                compared += count
            }
            return true
        }
        func same(_ bytes: UnsafeRawBufferPointer) -> Bool { bytes.count == Int(status.st_size) && next(bytes) }
        let equal: Bool
        switch file.contents {
        case let .pieces(pieces):
            guard pieces.reduce(0, { $0 + $1.utf8.count }) == Int(status.st_size) else { return false }
            equal = pieces.allSatisfy { piece in
                var piece = piece
                return piece.withUTF8 { next(UnsafeRawBufferPointer($0)) }
            }
        case var .text(text):
            guard text.utf8.count == Int(status.st_size) else { return false }
            equal = text.withUTF8 { same(UnsafeRawBufferPointer($0)) }
        case let .bytes(data):
            guard data.count == Int(status.st_size) else { return false }
            equal = data.withUnsafeBytes { same($0) }
        case .copy, .streamed:
            let data = file.bytes
            guard data.count == Int(status.st_size) else { return false }
            equal = data.withUnsafeBytes { same($0) }
        }
        return equal && link(old, target) == 0
    }

    /// Writes pieces of text one after another, gathered into writes of 64 KB (a print
    /// edition has some fifteen pieces a chapter); a long piece is written from its own storage.
    static func write(_ pieces: [Substring], to path: String) throws {
        try writeNew(path) { fd in
            var writer = PageTextWriter { Frames.writeAll(fd, $0) }
            for piece in pieces { writer.append(leaf: piece) }
            return writer.flush()
        }
    }

    /// Writes a streamed page as it is made, 64 KB at a time.
    static func write(_ stream: StreamedText, to path: String) throws {
        try writeNew(path) { fd in
            var writer = PageTextWriter { Frames.writeAll(fd, $0) }
            stream.write(&writer)
            return writer.flush()
        }
    }

    /// Writes a string's UTF-8 bytes from its own storage.
    static func write(_ text: String, to path: String) throws {
        var text = text
        try writeNew(path) { fd in text.withUTF8 { Frames.writeAll(fd, $0) } }
    }

    /// Staging folders of earlier builds that were killed (their process is gone): ours by
    /// name and marker, never anything else.
    static func removeStaleStaging(in parent: URL, name: String) {
        let prefixes = [".\(name).guide-new-", ".\(name).guide-old-"]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? [] {
            guard let prefix = prefixes.first(where: entry.hasPrefix), let pid = Int32(entry.dropFirst(prefix.count)),
                  pid != ProcessInfo.processInfo.processIdentifier, kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? removeIfOurs(parent.appendingPathComponent(entry))
        }
    }

    /// Deletes a folder only if it exists and carries guide's marker (or is empty). Its own
    /// files and each folder in it are deleted at the same time, on every core: the system
    /// deletes in different folders at once, and a build waits for its old site to go (a
    /// 10,000-chapter site took 0.18 s one folder after another, 0.10 s two at a time).
    /// Each entry is known as a file or a folder from the folder's listing and deleted by
    /// its name in its folder (`unlinkat`), not looked up again by its whole path: that was
    /// two lookups of every file of the old site. A link is deleted, never followed, nor is
    /// a folder that is a link looked into. The marker goes last, so a removal cut short
    /// leaves a folder still known as guide's.
    static func removeIfOurs(_ folder: URL) throws {
        let fm = FileManager.default
        // Nothing there, or a link in the folder's place, which is not guide's folder: left,
        // as is what it leads to.
        var status = stat()
        guard lstat(folder.path, &status) == 0, status.st_mode & S_IFMT != S_IFLNK else { return }
        let descriptor = open(folder.path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if descriptor >= 0 {
            defer { close(descriptor) }
            let entries = folderEntries(descriptor)
            guard entries.isEmpty || entries.contains(where: { $0.name == markerName }) else { return }
            enum Removal: Sendable { case files([String]), folder(String) }
            let files = entries.filter { !$0.isFolder && $0.name != markerName }.map(\.name)
            _ = parallelMap([Removal.files(files)] + entries.filter(\.isFolder).map { Removal.folder($0.name) }) { removal in
                switch removal {
                case let .files(names): for name in names { unlinkat(descriptor, name, 0) }
                case let .folder(name): removeFolder(name, in: descriptor)
                }
            }
        }
        // What is left (the marker, anything that could not be deleted) as before: a
        // failure is thrown from here.
        try fm.removeItem(at: folder)
    }

    /// The entries of the open folder `descriptor`, in the order the system lists them, each
    /// with whether it is a folder (a link to one is not): through `readdir`, whose entries
    /// say which are folders, not a `stat` of each.
    private static func folderEntries(_ descriptor: Int32) -> [(name: String, isFolder: Bool)] {
        // A listing of its own, so that `descriptor` stays open for the caller.
        let listing = openat(descriptor, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard listing >= 0 else { return [] }
        guard let stream = fdopendir(listing) else {
            close(listing)
            return []
        }
        defer { closedir(stream) }
        var entries: [(name: String, isFolder: Bool)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            var isFolder = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var info = stat()
                isFolder = fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == S_IFDIR
            }
            entries.append((name, isFolder))
        }
        return entries
    }

    /// Deletes the folder `name` of the open folder `parent` and all it holds, as far as it can.
    private static func removeFolder(_ name: String, in parent: Int32) {
        let descriptor = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if descriptor >= 0 {
            for entry in folderEntries(descriptor) {
                if entry.isFolder { removeFolder(entry.name, in: descriptor) } else { unlinkat(descriptor, entry.name, 0) }
            }
            close(descriptor)
        }
        unlinkat(parent, name, AT_REMOVEDIR)
    }

    static func canonical(_ url: URL) -> String {
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
