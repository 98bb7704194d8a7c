/// What a link destination, as written, refers to.
public enum LinkTarget: Equatable, Sendable {
    /// `A0` or `A0#heading`.
    case chapter(id: String, anchor: String?)
    /// `#heading` in the same chapter.
    case sameChapter(anchor: String)
    /// `A0-what-is-car-t.md` or `…md#heading`, relative to the linking chapter.
    case chapterFile(path: String, anchor: String?)
    /// Any other relative path: an image, a download.
    case file(path: String, fragment: String?)
    /// http, https, mailto or tel.
    case external(url: String)
    case empty
    case unsafeScheme(scheme: String)

    static let allowedSchemes: Set<String> = ["http", "https", "mailto", "tel"]

    /// Classifies a destination without looking at any file.
    public init(_ destination: String) {
        let trimmed = destination.trimmingSpaces()
        if trimmed.isEmpty { self = .empty; return }
        if let scheme = LinkTarget.scheme(of: trimmed) {
            self = LinkTarget.allowedSchemes.contains(scheme.lowercased())
                ? .external(url: trimmed) : .unsafeScheme(scheme: scheme)
            return
        }
        if trimmed.hasPrefix("//") { self = .external(url: "https:" + trimmed); return }
        if trimmed.hasPrefix("#") { self = .sameChapter(anchor: String(trimmed.dropFirst())); return }
        let parts = trimmed.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts[0])
        let fragment = parts.count > 1 ? String(parts[1]) : nil
        if ChapterID(path) != nil {
            self = .chapter(id: path, anchor: fragment)
        } else if path.lowercased().hasSuffix(".md") {
            self = .chapterFile(path: path.removingPercentEncoding ?? path, anchor: fragment)
        } else {
            let withoutQuery = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
            self = .file(path: String(withoutQuery).removingPercentEncoding ?? String(withoutQuery), fragment: fragment)
        }
    }

    /// `javascript` in `javascript:alert(1)`; nil for relative paths (a colon after a slash
    /// or a `#` is part of a path).
    static func scheme(of s: String) -> String? {
        guard let colon = s.firstIndex(of: ":") else { return nil }
        let candidate = s[..<colon]
        guard let first = candidate.first, first.isASCII, first.isLetter,
              candidate.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
        return String(candidate)
    }
}

import Foundation
