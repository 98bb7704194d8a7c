import CSystem
import Foundation

/// The text of one file with its lines, so positions can be turned into line and column.
///
/// A leading byte-order mark is dropped, and `\r\n` and lone `\r` line ends count as one
/// line break, so neither shifts a line or a column.
public struct SourceFile: Sendable {
    /// Path relative to the content folder, with `/` separators (`A3-solid-tumors.md`).
    public var relativePath: String
    /// Path as printed in diagnostics (`Content/A3-solid-tumors.md`).
    public var displayPath: String
    /// The text, without a byte-order mark. A chapter's is empty once a build has parsed it
    /// (`Chapter.forgetText`); what the checks need of it is found while parsing.
    public var text: String
    /// The lines, without their line ends; split when asked, so a large chapter is not
    /// held twice for the whole run.
    public var lines: [String] { SourceFile.splitLines(text) }

    public init(relativePath: String, displayPath: String, text: String) {
        self.relativePath = relativePath
        self.displayPath = displayPath
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        self.text = text
    }

    /// Reads a file as UTF-8; throws a diagnostic naming the first byte that is not UTF-8.
    public static func read(at url: URL, relativePath: String, displayPath: String) throws(SourceFileError) -> SourceFile {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SourceFileError(diagnostic: .error(.unreadableFile, at: SourceLocation(file: displayPath),
                                                     "this file cannot be read: \(error.localizedDescription)"))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let guess = String(data: data, encoding: data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) ? .utf16 : .isoLatin1)
            throw SourceFileError(diagnostic: notUTF8(data, displayPath: displayPath),
                                  recovered: guess.map { SourceFile(relativePath: relativePath, displayPath: displayPath, text: $0) })
        }
        return SourceFile(relativePath: relativePath, displayPath: displayPath, text: text)
    }

    /// The same as `read(at:)`, by path: a file that opens, reads and is UTF-8 is read with
    /// the system's calls, not through Foundation's URL and Data (about 25,000 instructions
    /// a chapter, a tenth of checking a guide's chapters beside its parse workers); any
    /// other file is read by `read(at:)`, which says what is wrong with it as it always has.
    public static func read(path: String, relativePath: String, displayPath: String) throws(SourceFileError) -> SourceFile {
        if let bytes = wholeFile(path) {
            // Foundation drops a byte-order mark as it decodes, and the text drops one more (`init`).
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            let start = bytes.starts(with: bom) ? 3 : 0
            if let text = bytes.withUnsafeBufferPointer({ String(validating: UnsafeBufferPointer(rebasing: $0[start...]), as: UTF8.self) }) {
                return SourceFile(relativePath: relativePath, displayPath: displayPath, text: text)
            }
        }
        return try read(at: URL(fileURLWithPath: path, isDirectory: false), relativePath: relativePath, displayPath: displayPath)
    }

    /// A plain file's bytes, or nil when it cannot be opened or read (or is not a plain file).
    private static func wholeFile(_ path: String) -> [UInt8]? {
        // Not waiting to open what is not a plain file (a named pipe waits for a writer).
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        // Sized to the file, plus a byte to see its end; a file that grows meanwhile is read on.
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4_096, bytes.count))) }
            let got = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if got < 0, errno == EINTR { continue }
            guard got >= 0 else { return nil }
            if got == 0 { break }
            filled += got
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    /// Where the first byte that is not UTF-8 is, and which encoding the file probably has.
    static func notUTF8(_ data: Data, displayPath: String) -> Diagnostic {
        let bytes = [UInt8](data)
        let fix = "save the file as UTF-8: in most editors, choose Save As, then the encoding UTF-8"
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) || bytes.prefix(64).contains(0) {
            return .error(.unreadableFile, at: SourceLocation(file: displayPath, line: 1, column: 1),
                          "this file is saved as UTF-16, not UTF-8", suggestion: fix)
        }
        var line = 1, column = 1, i = 0
        while i < bytes.count {
            let lead = bytes[i]
            let length = lead < 0x80 ? 1 : lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0
            let valid = length > 0 && i + length <= bytes.count && bytes[(i + 1)..<(i + length)].allSatisfy { $0 & 0xC0 == 0x80 }
            guard valid else {
                return .error(.unreadableFile, at: SourceLocation(file: displayPath, line: line, column: column),
                              "the character here is not UTF-8 (byte 0x\(String(lead, radix: 16, uppercase: true))): the file may be saved as Windows-1252 or Latin-1",
                              suggestion: fix)
            }
            if lead == 0x0A { line += 1; column = 1 } else if lead != 0x0D { column += 1 }
            i += length
        }
        return .error(.unreadableFile, at: SourceLocation(file: displayPath, line: 1, column: 1), "this file is not UTF-8 text", suggestion: fix)
    }

    public func location(_ position: SourcePosition) -> SourceLocation {
        SourceLocation(file: displayPath, line: position.line, column: position.column)
    }

    public func location(line: Int, column: Int = 1) -> SourceLocation {
        SourceLocation(file: displayPath, line: line, column: column)
    }

    /// The lines of `text`, each ending at "\n", "\r" or "\r\n".
    static func splitLines(_ text: String) -> [String] {
        var lines: [String] = []
        var copy = text
        // Works on contiguous UTF-8 bytes; \r and \n are never part of a multi-byte character.
        return copy.withUTF8 { bytes in
            var start = 0
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte == 0x0A || byte == 0x0D {
                    lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self))
                    if byte == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                    start = i + 1
                }
                i += 1
            }
            lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<bytes.count]), as: UTF8.self))
            return lines
        }
    }
}

/// Why a source file could not be read, as the diagnostic to show, with the text as best
/// it can be read (UTF-16, or Latin-1 bytes) so that the rest of the file is still checked.
public struct SourceFileError: Error {
    public var diagnostic: Diagnostic
    public var recovered: SourceFile? = nil
}

extension String {
    /// Whether `needle` occurs in this text, by bytes (Foundation's search is slow on Linux).
    func containsBytes(of needle: String) -> Bool {
        var haystack = self, needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in
                n.isEmpty || guide_contains_bytes(h.baseAddress, h.count, n.baseAddress, n.count) == 1
            }
        }
    }
}
