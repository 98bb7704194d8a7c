import Foundation

/// `Content/published-urls.txt`: every address the guide has published, one a line, so
/// that `guide check` notices an address that would stop working. `guide build` writes it;
/// authors commit it with the guide.
public struct PublishedURLList: Sendable {
    /// Its name in the content folder.
    public static let fileName = "published-urls.txt"

    /// One address and the line it is on.
    public struct Entry: Sendable, Equatable {
        public var address: String
        public var line: Int
    }

    public var file: SourceFile
    /// In file order; blank lines are left out.
    public var entries: [Entry] = []

    /// Reads the list; a line that cannot be an address of the site is an error at that line.
    public static func read(_ file: SourceFile) -> (PublishedURLList, [Diagnostic]) {
        var list = PublishedURLList(file: file)
        var diagnostics: [Diagnostic] = []
        var seen: Set<String> = []
        for (index, raw) in file.lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            let location = file.location(line: index + 1, column: 1)
            if ["<<<<<<<", "=======", ">>>>>>>", "|||||||"].contains(where: { line.hasPrefix($0) }) {
                diagnostics.append(.error(.publishedURLs, at: location,
                                          "this line is left over from a merge conflict",
                                          suggestion: "delete the conflict lines and keep the addresses of both sides; guide build sorts them again"))
                continue
            }
            if let problem = problem(line) {
                diagnostics.append(.error(.publishedURLs, at: location, "'\(line)' is not an address of this site: \(problem)",
                                          suggestion: fixed(line).map { "did you mean '\($0)'?" }))
                continue
            }
            guard seen.insert(line).inserted else { continue }
            list.entries.append(Entry(address: line, line: index + 1))
        }
        return (list, diagnostics)
    }

    /// What is wrong with an address written in the list, or nil when it can be one.
    static func problem(_ address: String) -> String? {
        if address.contains(where: \.isWhitespace) { return "an address has no spaces" }
        if address.contains("://") || address.hasPrefix("//") { return "write it as the site names it, without https:// and the server" }
        if address.hasPrefix("/") { return "write it without the leading '/'" }
        let path = address.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
        if path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
            return "a page's address has no '..', '.' or empty parts"
        }
        if !path.hasSuffix(".html") { return "a page's address ends in .html" }
        return nil
    }

    /// The address an author probably meant, for a line `problem` refuses.
    private static func fixed(_ address: String) -> String? {
        var text = address.trimmingCharacters(in: .whitespaces)
        // The site's pages are all in its top folder.
        if text.contains("://") { text = text.split(separator: "/").last.map(String.init) ?? "" }
        while text.hasPrefix("/") { text.removeFirst() }
        return text.isEmpty || text == address || problem(text) != nil ? nil : text
    }

    /// Writes the list for `addresses` into the content folder when it differs from
    /// `previous` (swapped in whole, by rename), and says what changed, or nil.
    static func write(_ addresses: [String], over previous: PublishedURLList?, contentDirectory: URL, display: String) throws -> String? {
        let text = Self.text(addresses)
        if let previous, previous.file.text == text { return nil }
        let target = contentDirectory.appendingPathComponent(fileName)
        let temporary = contentDirectory.appendingPathComponent(".\(fileName).\(UUID().uuidString).tmp")
        do {
            try Data(text.utf8).write(to: temporary)
            guard rename(temporary.path, target.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        let count = addresses.count == 1 ? "1 address" : "\(addresses.count) addresses"
        guard let previous else { return "Wrote \(display) (\(count)); commit it with the guide." }
        let before = Set(previous.entries.map(\.address)), after = Set(addresses)
        let added = after.subtracting(before).count, removed = before.subtracting(after).count
        var changes: [String] = []
        if added > 0 { changes.append("\(added) added") }
        if removed > 0 { changes.append("\(removed) taken out") }
        if changes.isEmpty { changes.append("sorted") }
        return "Updated \(display) (\(changes.joined(separator: ", "))); commit it with the guide."
    }

    /// The file's text for `addresses`: sorted by their UTF-8 bytes, one a line.
    public static func text(_ addresses: some Sequence<String>) -> String {
        let sorted = Set(addresses).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return sorted.map { $0 + "\n" }.joined()
    }
}
