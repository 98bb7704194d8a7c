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
        return LinkResolver.fill(chapter.chapter.markdown.html, hrefs: hrefs, texts: chapter.linkTexts)
            .replacingOccurrences(of: " id=\"", with: " id=\"\(prefix)-")
            .replacingOccurrences(of: "href=\"\(glossaryPage)#", with: "href=\"#glossary-")
    }

    /// The anchor of a chapter in the print edition: its id in lower case.
    static func anchor(_ id: ChapterID) -> String { id.description.lowercased() }
}
