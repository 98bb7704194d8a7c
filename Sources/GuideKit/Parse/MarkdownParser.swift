import CCmarkGFM
import Foundation

/// The one place that talks to cmark-gfm: Markdown text in, a `ParsedMarkdown` value out.
///
/// Every C object is created and freed inside `parse`; nothing C escapes it.
public enum MarkdownParser {
    /// The GFM extensions the contract names.
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// cmark-gfm 0.29 adds the extensions' special characters (`~`, `|`, `w` …) to one table
    /// for the whole process while it parses inlines, and takes them out again when done: two
    /// threads finishing at once drop each other's strikethrough, tables and autolinks. So
    /// that step runs one at a time in a process; workers parse one chapter each anyway.
    private static let inlineLock = NSLock()

    static func finish(_ parser: OpaquePointer) -> OpaquePointer? {
        inlineLock.withLock { cmark_parser_finish(parser) }
    }

    /// Registration is not thread-safe, so it runs once, lazily, through a `static let`.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// Parses one chapter's Markdown. Lines that are not Markdown (front matter) should be
    /// blanked by the caller, so that line numbers stay those of the file. The first use of
    /// each `glossary` term is marked.
    public static func parse(_ markdown: String, glossary: [GlossaryTerm] = []) -> ParsedMarkdown {
        parse(markdown, glossary: GlossaryMatcher(terms: glossary))
    }

    /// Parses one chapter with a glossary matcher prepared once for all chapters.
    /// Parses a chapter file's text from `bodyStartLine` on: the lines before it (front
    /// matter) are read as empty, so line numbers stay the file's, without copying the text.
    public static func parse(_ markdown: String, bodyStartLine: Int = 1, glossary: GlossaryMatcher) -> ParsedMarkdown {
        parse(LineTable(markdown, bodyStartLine: bodyStartLine), glossary: glossary)
    }

    /// Parses a chapter's bytes, already in a line table (a worker's request, not copied).
    static func parse(_ table: LineTable, glossary: GlossaryMatcher) -> ParsedMarkdown {
        precondition(registered)
        // Source positions on; CMARK_OPT_UNSAFE off, so raw HTML never reaches the page.
        let options = CMARK_OPT_SOURCEPOS
        guard let parser = cmark_parser_new(options) else {
            return ParsedMarkdown(headings: [], links: [], blocks: [], body: [])
        }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        table.bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parser_feed(parser, $0, buffer.count)
            }
        }
        guard let document = finish(parser) else {
            return ParsedMarkdown(headings: [], links: [], blocks: [], body: [])
        }
        // Freed as soon as it is rendered (below), so a large chapter's tree and its page
        // are not held at once.
        var documentFreed = false
        defer { if !documentFreed { cmark_node_free(document) } }

        var walker = TreeWalker(table: table)
        var problems: [ParsedMarkdown.Problem] = []
        for html in MarkdownTransforms.removeRawHTML(document) {
            problems.append(rawHTMLProblem(html, at: walker.locate(html.node, needle: String(html.literal.prefix { $0 != "\n" }), kind: "html")))
            MarkdownTransforms.removeAndTidy(html.node)
        }
        var marks = BodyMarks()
        let unknownCallouts = MarkdownTransforms.applyCallouts(document, marks: &marks)
        for callout in unknownCallouts {
            let markers = MarkdownTransforms.calloutMarkers
            let guess = markers.first { callout.name.count >= 3 && $0.hasPrefix(callout.name) } ?? closestMatch(to: callout.name, in: markers)
            problems.append(.init(severity: .warning, rule: .unknownCallout,
                                  message: "'[!\(callout.name)]' is not a callout type, so this is shown as a plain quote",
                                  suggestion: guess.map { "did you mean '[!\($0)]'?" }, position: walker.blockPosition(callout.node)))
        }
        for marker in MarkdownTransforms.strayMarkers(document) {
            let urgent = CalloutKind(marker: marker.name)?.isUrgency ?? false
            problems.append(.init(severity: urgent ? .error : .warning, rule: .misplacedCallout,
                                  message: "'[!\(marker.name)]' makes a box only on the first line of a quote, so here it is shown as plain text\(urgent ? " and the urgency box is lost" : "")",
                                  suggestion: "write the box as a quote: '> [!\(marker.name)]' on a line of its own, then '> ' before each line of the box",
                                  position: walker.locate(marker.node, needle: "[!\(marker.name)", kind: "marker", ignoringCase: true)))
        }
        for broken in MarkdownTransforms.brokenLinkSyntax(document) {
            problems.append(brokenLinkProblem(broken, at: walker.locate(broken.node, needle: "](\(broken.destination))", kind: "link-syntax", linkStart: true)))
        }
        walker.walk(document)
        MarkdownTransforms.labelTaskItems(document, marks: &marks)
        let questions = MarkdownTransforms.applyFAQ(document, headings: walker.headings, headingNodes: walker.headingNodes, marks: &marks)
        let marked = MarkdownTransforms.applyGlossary(document, matcher: glossary, marks: &marks)
        MarkdownTransforms.markHeadings(walker.headingNodes, marks: &marks)
        MarkdownTransforms.markLinks(walker.linkNodes, marks: &marks)

        let extensions = cmark_parser_get_syntax_extensions(parser)
        var body: [BodyNode] = []
        // Every raw HTML node the author wrote is gone (reported above), so "unsafe" lets
        // through only the marks, which `split` takes out again.
        if let rendered = cmark_render_html(document, CMARK_OPT_UNSAFE, extensions) {
            cmark_node_free(document)
            documentFreed = true
            body = marks.split(UnsafeBufferPointer(start: UnsafeRawPointer(rendered).assumingMemoryBound(to: UInt8.self),
                                                   count: strlen(rendered)))
            free(rendered)
        }
        var parsed = ParsedMarkdown(headings: walker.headings, links: walker.links, blocks: walker.blocks, body: body)
        parsed.faqs = questions.map { index in
            let answer = walker.blocks.filter { $0.section == index && $0.kind != .heading }.map(\.text).joined(separator: " ")
            return ParsedMarkdown.FAQ(question: walker.headings[index].text, anchor: walker.headings[index].slug,
                                      answer: answer, heading: index)
        }
        parsed.glossaryTermsUsed = marked.map { glossary.terms[$0].term }
        parsed.problems = problems
        return parsed
    }

    /// Raw HTML is never shown: say so where it is, and what to write instead.
    static func rawHTMLProblem(_ html: MarkdownTransforms.RawHTML, at position: SourcePosition) -> ParsedMarkdown.Problem {
        if html.isUnclosedComment {
            return .init(severity: .error, rule: .rawHTML,
                         message: "this comment ('<!--') is never closed, so everything after it is hidden from readers",
                         suggestion: "end the comment with '-->'", position: position)
        }
        let tag = MarkdownTransforms.tagName(html.literal)
        let instead: String
        switch tag {
        case "br": instead = "to break a line, end it with a backslash (\\); for a new paragraph, leave a blank line"
        case "script", "style": instead = "remove it: pages of the guide never run an author's scripts or styles"
        case "iframe", "video", "audio", "embed", "object":
            instead = "link to it instead, like [Watch the video](https://…)"
        case "img": instead = "show a picture with ![what it shows](assets/picture.png)"
        case "a": instead = "write a link as [text](address)"
        case "b", "strong": instead = "write **bold** with two asterisks on each side"
        case "i", "em": instead = "write *italics* with one asterisk on each side"
        case "u", "span", "font", "div", "p", "center": instead = "write plain Markdown; styling belongs in the templates"
        case "table", "tr", "td", "th": instead = "write a Markdown table with | between cells"
        case "ul", "ol", "li": instead = "write a list with '- ' or '1. ' at the start of each line"
        case "sup", "sub": instead = "write it as plain text, like 10^9 or 'to the power of'"
        default: instead = "write it in Markdown"
        }
        let shown = tag.isEmpty ? String(html.literal.prefix(20)) : "<\(tag)>"
        return .init(severity: .warning, rule: .rawHTML,
                     message: "raw HTML ('\(shown)') is not shown on the page\(tag == "br" ? "; a line break is shown in its place" : "")",
                     suggestion: instead, position: position)
    }

    /// A link whose target has a space is not a link to cmark-gfm, only text.
    static func brokenLinkProblem(_ broken: MarkdownTransforms.BrokenLinkSyntax, at position: SourcePosition) -> ParsedMarkdown.Problem {
        let target = broken.destination.trimmingCharacters(in: .whitespaces)
        let squeezed = target.filter { $0 != " " && $0 != "\t" }
        let suggestion: String
        if let id = ChapterID(squeezed.uppercased()) ?? ChapterID(squeezed.split(separator: "#").first.map(String.init)?.uppercased() ?? "") {
            suggestion = "did you mean '(\(squeezed.contains("#") ? id.description + "#" + squeezed.split(separator: "#", maxSplits: 1)[1] : id.description))'?"
        } else if target.hasPrefix("http://") || target.hasPrefix("https://") {
            suggestion = "replace each space in the address with %20"
        } else {
            suggestion = "put the name in angle brackets, (<\(target)>), or rename the file without spaces"
        }
        return .init(severity: .error, rule: .brokenLinkSyntax,
                     message: "this \(broken.isImage ? "image" : "link") is shown as plain text, because its target '\(target)' has a space",
                     suggestion: suggestion, position: position)
    }

    /// The HTML cmark-gfm makes of `markdown` on its own, with the contract's extensions and
    /// none of the guide's additions: what tests compare the site's words against.
    public static func renderPlain(_ markdown: String) -> String {
        precondition(registered)
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        cmark_parser_feed(parser, markdown, markdown.utf8.count)
        guard let document = finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}

/// Walks cmark's tree once, copying out headings, links and text.
struct TreeWalker {
    let table: LineTable
    var headings: [ParsedMarkdown.Heading] = []
    /// The heading nodes, in the same order as `headings`, for the FAQ transform.
    var headingNodes: [OpaquePointer] = []
    var links: [ParsedMarkdown.Link] = []
    /// The link and image nodes, in the same order as `links`.
    var linkNodes: [OpaquePointer] = []
    var blocks: [ParsedMarkdown.TextBlock] = []
    var slugs = SlugGenerator()
    init(table: LineTable) { self.table = table }

    var currentSection: Int? { headings.isEmpty ? nil : headings.count - 1 }

    mutating func walk(_ document: OpaquePointer) {
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            switch type {
            case CMARK_NODE_HEADING:
                let text = inlineText(node)
                headings.append(.init(level: Int(cmark_node_get_heading_level(node)), text: text,
                                      slug: slugs.slug(for: text), position: blockPosition(node)))
                headingNodes.append(node)
                blocks.append(.init(kind: .heading, text: text, section: currentSection))
            case CMARK_NODE_PARAGRAPH:
                if !isInsideTable(node) {
                    blocks.append(.init(kind: .prose, text: inlineText(node, skippingAddresses: true), section: currentSection))
                }
            case CMARK_NODE_CODE_BLOCK:
                blocks.append(.init(kind: .code, text: literal(node), section: currentSection))
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                recordLink(node, isImage: type == CMARK_NODE_IMAGE)
            default:
                if typeName(node) == "table_row" || typeName(node) == "table_header" {
                    let cells = children(node).map { inlineText($0) }
                    blocks.append(.init(kind: .table, text: cells.joined(separator: " "), section: currentSection))
                }
            }
        }
    }

    mutating func recordLink(_ node: OpaquePointer, isImage: Bool) {
        let destination = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
        let text = inlineText(node)
        let startLine = Int(cmark_node_get_start_line(node))
        let place = locateLink(node, isImage: isImage, destination: destination)
        let position = found(line: place.line, byteColumn: place.byte)
        let isAutolink = !isImage && (startLine == 0 || table.byte(line: place.line, column: place.byte) == UInt8(ascii: "<"))
        let title = cmark_node_get_title(node).map { String(cString: $0) } ?? ""
        links.append(.init(kind: isImage ? .image : .link, destination: destination, text: text,
                           position: position, isAutolink: isAutolink, section: currentSection,
                           title: title.isEmpty ? nil : title))
        linkNodes.append(node)
    }

    // MARK: Positions

    /// Finds the `[` or `!` that starts a link. cmark 0.29.0.gfm.6 reports the closing line
    /// for a link whose text wraps, shifts columns on lazy continuation lines, and gives no
    /// position for GFM autolinks, so its answer is checked against the source text.
    /// Returns the line and byte column.
    mutating func locateLink(_ node: OpaquePointer, isImage: Bool, destination: String) -> (line: Int, byte: Int) {
        let marker: UInt8 = isImage ? UInt8(ascii: "!") : UInt8(ascii: "[")
        var candidates: [(Int, Int)] = []
        if let child = cmark_node_first_child(node), cmark_node_get_start_line(child) > 0 {
            candidates.append((Int(cmark_node_get_start_line(child)),
                               Int(cmark_node_get_start_column(child)) - (isImage ? 2 : 1)))
        }
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        if line > 0 { candidates.append((line, column)) }
        for (l, c) in candidates where table.byte(line: l, column: c) == marker {
            return (l, c)
        }
        if line > 0, let c = findLink(inLine: line, destination: destination, isImage: isImage) {
            return (line, c)
        }
        // An autolink: its text is the URL, or the URL less the `mailto:` or `http://` that
        // GFM added (`www.…`). Searched from where the last one was found, so a repeated URL
        // is found again, and only within its block.
        let (blockStart, blockEnd) = enclosingBlockLines(node)
        var shortest = destination
        var prefix = ""
        for added in ["mailto:", "http://"] where destination.hasPrefix(added) {
            shortest = String(destination.dropFirst(added.count))
            prefix = added
        }
        let needle = Array(shortest.utf8)
        let cursor = table.searchFrom["autolink"] ?? (0, 0)
        var l = max(blockStart, cursor.line, 1)
        while l <= min(blockEnd, table.lineCount), !needle.isEmpty {
            if let offset = table.find(needle, inLine: l, from: l == cursor.line ? cursor.byte : 0) {
                var byteColumn = offset + 1
                // The text may hold the whole URL (`<http://…>`) or GFM may have added the prefix.
                let before = Array(prefix.utf8)
                if !before.isEmpty, offset >= before.count,
                   (0..<before.count).allSatisfy({ table.byte(line: l, column: offset - before.count + 1 + $0) == before[$0] }) {
                    byteColumn -= before.count
                }
                if byteColumn > 1, table.byte(line: l, column: byteColumn - 1) == UInt8(ascii: "<") { byteColumn -= 1 }
                table.searchFrom["autolink"] = (l, offset + needle.count)
                return (l, byteColumn)
            }
            l += 1
        }
        return (max(blockStart, 1), 1)
    }

    func found(line: Int, byteColumn: Int) -> SourcePosition {
        table.position(line: line, byteColumn: byteColumn)
    }

    /// The byte column of the `[` (or `!`) of a link to `destination` on a line, found from
    /// its `](destination` by matching brackets backwards.
    func findLink(inLine line: Int, destination: String, isImage: Bool) -> Int? {
        guard !destination.isEmpty else { return nil }
        let needle = Array("](\(destination)".utf8)
        // Links come in document order: search on from the last one found on this line.
        let cursor = table.searchFrom["link"] ?? (0, 0)
        let last = table.lastLinkMiddle(inLine: line)
        for start in [cursor.line == line ? cursor.byte : 0, 0] where start <= last {
            var from = start
            while from <= last, let middle = table.find(needle, inLine: line, from: from) {
                let text = table.line(line)
                if let open = MarkdownTransforms.openingBracket(text, before: middle) {
                    table.searchFrom["link"] = (line, middle + 1)
                    if isImage { return open > 0 && text[text.startIndex + open - 1] == UInt8(ascii: "!") ? open : nil }
                    return open + 1
                }
                from = middle + 1
            }
        }
        return nil
    }

    func blockPosition(_ node: OpaquePointer) -> SourcePosition {
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        guard line >= 1, line <= table.lineCount else { return SourcePosition(line: max(line, 1), column: 1) }
        return found(line: line, byteColumn: max(column, 1))
    }

    /// Where `needle` is written for `node`: at the node's own position when cmark gives one
    /// that matches, else its next occurrence (after the last one found for `kind`) from the
    /// enclosing block's first line on. With `linkStart`, the needle is a link's
    /// `](target)` and the answer is its `[` or `!`.
    func locate(_ node: OpaquePointer, needle: String, kind: String, ignoringCase: Bool = false, linkStart: Bool = false) -> SourcePosition {
        let wanted = Array(needle.utf8)
        let line = Int(cmark_node_get_start_line(node)), column = Int(cmark_node_get_start_column(node))
        if !linkStart, column >= 1, table.find(wanted, inLine: line, from: column - 1, ignoringCase: ignoringCase) == column - 1 {
            return found(line: line, byteColumn: column)
        }
        var block: OpaquePointer? = node
        while let b = block, cmark_node_get_start_line(b) == 0 || cmark_node_get_type(b).rawValue & 0xc000 == 0xc000 {
            block = cmark_node_parent(b)
        }
        let first = max(1, block.map { Int(cmark_node_get_start_line($0)) } ?? 1)
        let last = min(table.lineCount, max(first, block.map { Int(cmark_node_get_end_line($0)) } ?? table.lineCount))
        let cursor = table.searchFrom[kind] ?? (0, 0)
        var l = max(first, cursor.line)
        while l <= last {
            var from = l == cursor.line ? cursor.byte : 0
            while let start = table.find(wanted, inLine: l, from: from, ignoringCase: ignoringCase) {
                from = start + 1
                if linkStart {
                    let text = table.line(l)
                    guard let open = MarkdownTransforms.openingBracket(text, before: start) else { continue }
                    table.searchFrom[kind] = (l, start + 1)
                    let isImage = open > 0 && text[text.startIndex + open - 1] == UInt8(ascii: "!")
                    return found(line: l, byteColumn: isImage ? open : open + 1)
                }
                table.searchFrom[kind] = (l, start + 1)
                return found(line: l, byteColumn: start + 1)
            }
            l += 1
        }
        return block.map(blockPosition) ?? SourcePosition(line: 1, column: 1)
    }

    /// The first and last line of the nearest enclosing node that has a position.
    func enclosingBlockLines(_ node: OpaquePointer) -> (Int, Int) {
        var current: OpaquePointer? = cmark_node_parent(node)
        while let n = current {
            if cmark_node_get_start_line(n) > 0 {
                return (Int(cmark_node_get_start_line(n)), max(Int(cmark_node_get_end_line(n)), Int(cmark_node_get_start_line(n))))
            }
            current = cmark_node_parent(n)
        }
        return (1, table.lineCount)
    }

    // MARK: Text

    /// The plain text under `node`; for prose (`skippingAddresses`), without bare link
    /// addresses, which are not read as words.
    func inlineText(_ node: OpaquePointer, skippingAddresses: Bool = false) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return text }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT where skippingAddresses && isAutolinkAddress(child):
                // A bare address (`https://…`) is not prose: not read, not measured.
                break
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                text += literal(child)
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            default:
                break
            }
        }
        return text
    }

    func literal(_ node: OpaquePointer) -> String { MarkdownTransforms.literal(node) }

    /// The text of a link that is its own address (`<https://…>`, a bare `www.…`).
    func isAutolinkAddress(_ node: OpaquePointer) -> Bool {
        guard let parent = cmark_node_parent(node), cmark_node_get_type(parent) == CMARK_NODE_LINK,
              cmark_node_first_child(parent) == node, cmark_node_next(node) == nil,
              let url = cmark_node_get_url(parent).map({ String(cString: $0) }) else { return false }
        let text = literal(node)
        return url == text || url == "mailto:" + text || url == "http://" + text
    }

    func typeName(_ node: OpaquePointer) -> String {
        cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
    }

    func children(_ node: OpaquePointer) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let c = child {
            result.append(c)
            child = cmark_node_next(c)
        }
        return result
    }

    func isInsideTable(_ node: OpaquePointer) -> Bool {
        var current = cmark_node_parent(node)
        while let n = current {
            if typeName(n).hasPrefix("table") { return true }
            current = cmark_node_parent(n)
        }
        return false
    }
}
