import Foundation

/// The emit stage: writes the site into a fresh folder beside the output and swaps it in
/// only when every file is written, so a failed build leaves the previous site as it was.
public enum SiteWriter {
    /// The file that marks a folder as written by `guide`, and so safe to replace.
    public static let markerName = ".guide-output"
    static let markerText = "This folder is written by `guide build` and replaced whole on every build. Do not edit it by hand.\n"

    /// Refuses an output folder that would overwrite or swallow the guide's own files.
    public static func checkOutput(_ output: URL, content: URL, templates: URL?) throws {
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
        guard fm.fileExists(atPath: output.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else {
            throw ConfigurationError("the output path '\(output.path)' is a file, not a folder; nothing was changed")
        }
        let entries = (try? fm.contentsOfDirectory(atPath: output.path)) ?? []
        if !entries.isEmpty && !entries.contains(markerName) {
            throw ConfigurationError("the output folder '\(output.path)' holds files that guide did not write; nothing was changed. Choose an empty or new folder, or remove it yourself")
        }
    }

    /// Writes `files` as the new contents of `output`.
    public static func write(_ files: [OutputFile], to output: URL) throws {
        let fm = FileManager.default
        let output = output.standardizedFileURL
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(name).guide-new-\(pid)")
        let retired = parent.appendingPathComponent(".\(name).guide-old-\(pid)")
        try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        try removeIfOurs(staging)
        try removeIfOurs(retired)
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            try Data(markerText.utf8).write(to: staging.appendingPathComponent(markerName))
            var made: Set<String> = []
            for file in files.sorted(by: { $0.path < $1.path }) {
                let target = staging.appendingPathComponent(file.path)
                let folder = target.deletingLastPathComponent().path
                if !made.contains(folder) {
                    try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    made.insert(folder)
                }
                switch file.contents {
                case let .bytes(data): try data.write(to: target)
                case let .copy(source): try fm.copyItem(at: source.resolvingSymlinksInPath(), to: target)
                }
            }
        } catch {
            try? removeIfOurs(staging)
            throw error
        }
        // Swap: the old site steps aside, the new one takes its name, then the old one goes.
        let hadOutput = fm.fileExists(atPath: output.path)
        if hadOutput { try fm.moveItem(at: output, to: retired) }
        do {
            try fm.moveItem(at: staging, to: output)
        } catch {
            if hadOutput { try? fm.moveItem(at: retired, to: output) }
            try? removeIfOurs(staging)
            throw error
        }
        if hadOutput { try? removeIfOurs(retired) }
    }

    /// Deletes a folder only if it exists and carries guide's marker (or is empty).
    static func removeIfOurs(_ folder: URL) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: folder.path) else { return }
        let entries = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
        guard entries.isEmpty || entries.contains(markerName) else { return }
        try fm.removeItem(at: folder)
    }

    static func canonical(_ url: URL) -> String {
        let path = url.standardizedFileURL.resolvingSymlinksInPath().path
        return path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }
}
