/// The print edition: every chapter on one page, its links pointed inside that page.
enum PrintEdition {
    /// A chapter's body for `print.html`: ids prefixed with the chapter's anchor (`a3-…`), so
    /// headings of different chapters do not clash, and links to chapters, headings and
    /// glossary entries turned into links within the page.
    static func html(for chapter: ResolvedChapter, chapterPages: Set<String>, glossaryPage: String) -> String {
        let prefix = anchor(chapter.id)
        let hrefs = chapter.linkHrefs.map { href -> String in
            if href.hasPrefix("#") { return "#\(prefix)-\(href.dropFirst())" }
            let parts = href.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard chapterPages.contains(parts[0]) else { return href }
            let target = String(parts[0].dropLast(".html".count))
            return parts.count > 1 ? "#\(target)-\(parts[1])" : "#\(target)"
        }
        let html = LinkResolver.fill(chapter.chapter.markdown.html, hrefs: hrefs, texts: chapter.linkTexts)
        return replacing(html, [(" id=\"", " id=\"\(prefix)-"), ("href=\"\(glossaryPage)#", "href=\"#glossary-")])
    }

    /// Replaces each of several byte strings in one pass (Foundation's search is slow on Linux).
    static func replacing(_ text: String, _ pairs: [(String, String)]) -> String {
        let bytes = Array(text.utf8)
        let patterns = pairs.map { (Array($0.0.utf8), Array($0.1.utf8)) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 16)
        var i = 0
        outer: while i < bytes.count {
            for (pattern, replacement) in patterns where bytes[i] == pattern[0] && bytes.starts(with: pattern, at: i) {
                output += replacement
                i += pattern.count
                continue outer
            }
            output.append(bytes[i])
            i += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The anchor of a chapter in the print edition: its id in lower case.
    static func anchor(_ id: ChapterID) -> String { id.description.lowercased() }
}
