import CCmarkGFM
import Foundation

/// The one place that talks to cmark-gfm: Markdown text in, a `ParsedMarkdown` value out.
///
/// Every C object is created and freed inside `parse`; nothing C escapes it.
public enum MarkdownParser {
    /// The GFM extensions the contract names.
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// Registration is not thread-safe, so it runs once, lazily, through a `static let`.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// Parses one chapter's Markdown. Lines that are not Markdown (front matter) should be
    /// blanked by the caller, so that line numbers stay those of the file. The first use of
    /// each `glossary` term is marked, linking to `glossaryPage`.
    public static func parse(_ markdown: String, glossary: [GlossaryTerm] = [], glossaryPage: String = "glossary.html") -> ParsedMarkdown {
        parse(markdown, glossary: GlossaryMatcher(terms: glossary), glossaryPage: glossaryPage)
    }

    /// Parses one chapter with a glossary matcher prepared once for all chapters.
    public static func parse(_ markdown: String, glossary: GlossaryMatcher, glossaryPage: String = "glossary.html") -> ParsedMarkdown {
        precondition(registered)
        // Source positions on; CMARK_OPT_UNSAFE off, so raw HTML never reaches the page.
        let options = CMARK_OPT_SOURCEPOS
        guard let parser = cmark_parser_new(options) else {
            return ParsedMarkdown(headings: [], links: [], blocks: [], html: "")
        }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        var bytes = Array(markdown.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                cmark_parser_feed(parser, $0, buffer.count)
            }
        }
        guard let document = cmark_parser_finish(parser) else {
            return ParsedMarkdown(headings: [], links: [], blocks: [], html: "")
        }
        defer { cmark_node_free(document) }

        let lines = SourceFile.splitLines(markdown)
        var walker = TreeWalker(lines: lines)
        var problems: [ParsedMarkdown.Problem] = []
        for html in MarkdownTransforms.removeRawHTML(document) {
            problems.append(rawHTMLProblem(html, at: walker.locate(html.node, needle: String(html.literal.prefix { $0 != "\n" }))))
            MarkdownTransforms.removeAndTidy(html.node)
        }
        let unknownCallouts = MarkdownTransforms.applyCallouts(document)
        for callout in unknownCallouts {
            let markers = MarkdownTransforms.calloutKinds.map(\.marker)
            let guess = markers.first { callout.name.count >= 3 && $0.hasPrefix(callout.name) } ?? closestMatch(to: callout.name, in: markers)
            problems.append(.init(severity: .warning, rule: .unknownCallout,
                                  message: "'[!\(callout.name)]' is not a callout type, so this is shown as a plain quote",
                                  suggestion: guess.map { "did you mean '[!\($0)]'?" }, position: walker.blockPosition(callout.node)))
        }
        for marker in MarkdownTransforms.strayMarkers(document) {
            let urgent = MarkdownTransforms.urgencyMarkers.contains(marker.name)
            problems.append(.init(severity: urgent ? .error : .warning, rule: .misplacedCallout,
                                  message: "'[!\(marker.name)]' makes a box only on the first line of a quote, so here it is shown as plain text\(urgent ? " and the urgency box is lost" : "")",
                                  suggestion: "write the box as a quote: '> [!\(marker.name)]' on a line of its own, then '> ' before each line of the box",
                                  position: walker.locate(marker.node, needle: "[!\(marker.name)", ignoringCase: true)))
        }
        for broken in MarkdownTransforms.brokenLinkSyntax(document) {
            problems.append(brokenLinkProblem(broken, at: walker.locate(broken.node, needle: "](\(broken.destination))", linkStart: true)))
        }
        walker.walk(document)
        MarkdownTransforms.labelTaskItems(document)
        let questions = MarkdownTransforms.applyFAQ(document, headings: walker.headings, headingNodes: walker.headingNodes)
        let marked = MarkdownTransforms.applyGlossary(document, matcher: glossary, glossaryPage: glossaryPage)

        let extensions = cmark_parser_get_syntax_extensions(parser)
        var html = ""
        // Every raw HTML node the author wrote is gone (reported above), so "unsafe" lets
        // through only the guide's own marks; link targets are placeholders checked by Link.
        if let rendered = cmark_render_html(document, CMARK_OPT_UNSAFE, extensions) {
            html = String(cString: rendered)
            free(rendered)
        }
        html = addHeadingIDs(html, headings: walker.headings)
        var parsed = ParsedMarkdown(headings: walker.headings, links: walker.links, blocks: walker.blocks, html: html)
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
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(rendered) }
        return String(cString: rendered)
    }

    /// cmark renders headings without attributes, and raw HTML is never passed through, so
    /// every `<hN>` in its output is a heading, in document order.
    static func addHeadingIDs(_ html: String, headings: [ParsedMarkdown.Heading]) -> String {
        guard !headings.isEmpty else { return html }
        let bytes = Array(html.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + headings.count * 32)
        var next = 0
        var i = 0
        while i < bytes.count {
            if next < headings.count, bytes[i] == UInt8(ascii: "<") {
                let tag = Array("<h\(headings[next].level)>".utf8)
                if bytes.starts(with: tag, at: i) {
                    output += "<h\(headings[next].level) id=\"\(escapeAttribute(headings[next].slug))\">".utf8
                    i += tag.count
                    next += 1
                    continue
                }
            }
            output.append(bytes[i])
            i += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    /// Whether `prefix` stands in this array at `index`.
    func starts(with prefix: [UInt8], at index: Int) -> Bool {
        guard index + prefix.count <= count else { return false }
        for k in 0..<prefix.count where self[index + k] != prefix[k] { return false }
        return true
    }
}

/// Walks cmark's tree once, copying out headings, links and text.
struct TreeWalker {
    let lines: [String]
    var headings: [ParsedMarkdown.Heading] = []
    /// The heading nodes, in the same order as `headings`, for the FAQ transform.
    var headingNodes: [OpaquePointer] = []
    var links: [ParsedMarkdown.Link] = []
    var blocks: [ParsedMarkdown.TextBlock] = []
    var slugs = SlugGenerator()
    /// Where the last link found by searching the text was, so a repeated URL is not
    /// attributed to its first occurrence twice.
    var searchCursor = SourcePosition(line: 1, column: 1)

    init(lines: [String]) { self.lines = lines }

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
        let index = links.count
        let destination = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
        let text = inlineText(node)
        let startLine = Int(cmark_node_get_start_line(node))
        let position = locate(node, isImage: isImage, destination: destination)
        let isAutolink = !isImage && (startLine == 0 || isAngleAutolink(at: position, destination: destination))
        links.append(.init(kind: isImage ? .image : .link, destination: destination, text: text,
                           position: position, isAutolink: isAutolink, section: currentSection))
        // Resolution happens later: leave placeholders that the Link stage fills in.
        cmark_node_set_url(node, ParsedMarkdown.destinationPlaceholder(index))
        if !isImage, cmark_node_first_child(node) == nil, let textNode = cmark_node_new(CMARK_NODE_TEXT) {
            cmark_node_set_literal(textNode, ParsedMarkdown.emptyTextPlaceholder(index))
            cmark_node_append_child(node, textNode)
        }
    }

    // MARK: Positions

    /// Finds the `[` or `!` that starts a link. cmark 0.29.0.gfm.6 reports the closing line
    /// for a link whose text wraps, shifts columns on lazy continuation lines, and gives no
    /// position for GFM autolinks, so its answer is checked against the source text.
    mutating func locate(_ node: OpaquePointer, isImage: Bool, destination: String) -> SourcePosition {
        let marker: UInt8 = isImage ? UInt8(ascii: "!") : UInt8(ascii: "[")
        var candidates: [(Int, Int)] = []
        if let child = cmark_node_first_child(node), cmark_node_get_start_line(child) > 0 {
            candidates.append((Int(cmark_node_get_start_line(child)),
                               Int(cmark_node_get_start_column(child)) - (isImage ? 2 : 1)))
        }
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        if line > 0 { candidates.append((line, column)) }
        for (l, c) in candidates where l >= 1 && l <= lines.count && lines[l - 1].byte(atColumn: c) == marker {
            return found(line: l, byteColumn: c)
        }
        if line > 0, let c = findLink(inLine: line, destination: destination, isImage: isImage) {
            return found(line: line, byteColumn: c)
        }
        // An autolink: its text is the URL, or the URL less a `mailto:` that GFM added.
        let blockStart = enclosingBlockPosition(node)
        var needles = [destination]
        if destination.hasPrefix("mailto:") { needles.append(String(destination.dropFirst(7))) }
        let from = max(blockStart.line, 1)
        for l in from...max(from, lines.count) where l <= lines.count {
            for needle in needles where !needle.isEmpty {
                let lineText = lines[l - 1]
                var searchStart = lineText.startIndex
                if l == searchCursor.line, searchCursor.column > 1 {
                    searchStart = lineText.utf8.index(lineText.startIndex,
                                                      offsetBy: min(searchCursor.column - 1, lineText.utf8.count))
                }
                if let range = lineText.range(of: needle, range: searchStart..<lineText.endIndex) {
                    var byteColumn = lineText.utf8.distance(from: lineText.startIndex, to: range.lowerBound) + 1
                    if byteColumn > 1, lineText.byte(atColumn: byteColumn - 1) == UInt8(ascii: "<") { byteColumn -= 1 }
                    searchCursor = SourcePosition(line: l, column: byteColumn + needle.utf8.count)
                    return found(line: l, byteColumn: byteColumn)
                }
            }
        }
        return blockStart
    }

    func found(line: Int, byteColumn: Int) -> SourcePosition {
        SourcePosition(line: line, column: lines[line - 1].characterColumn(ofByteColumn: byteColumn))
    }

    /// The byte column of the `[` (or `!`) of a link to `destination` on a line, found from
    /// its `](destination` by matching brackets backwards.
    func findLink(inLine line: Int, destination: String, isImage: Bool) -> Int? {
        guard line >= 1, line <= lines.count, !destination.isEmpty else { return nil }
        let bytes = Array(lines[line - 1].utf8)
        let needle = Array("](\(destination)".utf8)
        guard bytes.count >= needle.count else { return nil }
        for start in 0...(bytes.count - needle.count) where Array(bytes[start..<start + needle.count]) == needle {
            var depth = 0
            var i = start
            while i >= 0 {
                let escaped = i > 0 && bytes[i - 1] == UInt8(ascii: "\\")
                if !escaped && bytes[i] == UInt8(ascii: "]") { depth += 1 }
                if !escaped && bytes[i] == UInt8(ascii: "[") {
                    depth -= 1
                    if depth == 0 {
                        if isImage { return i > 0 && bytes[i - 1] == UInt8(ascii: "!") ? i : nil }
                        return i + 1
                    }
                }
                i -= 1
            }
        }
        return nil
    }

    func isAngleAutolink(at position: SourcePosition, destination: String) -> Bool {
        guard position.line >= 1, position.line <= lines.count else { return false }
        let line = lines[position.line - 1]
        let start = line.index(line.startIndex, offsetBy: min(position.column - 1, line.count))
        return line[start...].hasPrefix("<")
    }

    func blockPosition(_ node: OpaquePointer) -> SourcePosition {
        let line = Int(cmark_node_get_start_line(node))
        let column = Int(cmark_node_get_start_column(node))
        guard line >= 1, line <= lines.count else { return SourcePosition(line: max(line, 1), column: 1) }
        return found(line: line, byteColumn: max(column, 1))
    }

    /// Where `needle` is written for `node`: at the node's own position when cmark gives one
    /// that matches, else its first occurrence from the enclosing block's first line on.
    /// With `linkStart`, the needle is a link's `](target)` and the answer is its `[` or `!`.
    func locate(_ node: OpaquePointer, needle: String, ignoringCase: Bool = false, linkStart: Bool = false) -> SourcePosition {
        let wanted = Array((ignoringCase ? needle.lowercased() : needle).utf8)
        let line = Int(cmark_node_get_start_line(node)), column = Int(cmark_node_get_start_column(node))
        func bytes(_ l: Int) -> [UInt8] { Array((ignoringCase ? lines[l - 1].lowercased() : lines[l - 1]).utf8) }
        if !linkStart, line >= 1, line <= lines.count, column >= 1, bytes(line).starts(with: wanted, at: column - 1) {
            return found(line: line, byteColumn: column)
        }
        var block: OpaquePointer? = node
        while let b = block, cmark_node_get_start_line(b) == 0 || cmark_node_get_type(b).rawValue & 0xc000 == 0xc000 {
            block = cmark_node_parent(b)
        }
        let first = max(1, block.map { Int(cmark_node_get_start_line($0)) } ?? 1)
        let last = min(lines.count, max(first, block.map { Int(cmark_node_get_end_line($0)) } ?? lines.count))
        guard first <= last else { return SourcePosition(line: first, column: 1) }
        for l in first...last {
            let haystack = bytes(l)
            guard haystack.count >= wanted.count, !wanted.isEmpty else { continue }
            for start in 0...(haystack.count - wanted.count) where haystack.starts(with: wanted, at: start) {
                if linkStart {
                    if let open = MarkdownTransforms.openingBracket(haystack, before: start) {
                        let isImage = open > 0 && haystack[open - 1] == UInt8(ascii: "!")
                        return found(line: l, byteColumn: isImage ? open : open + 1)
                    }
                    continue
                }
                return found(line: l, byteColumn: start + 1)
            }
        }
        return block.map(blockPosition) ?? SourcePosition(line: 1, column: 1)
    }

    func enclosingBlockPosition(_ node: OpaquePointer) -> SourcePosition {
        var current: OpaquePointer? = cmark_node_parent(node)
        while let n = current {
            if cmark_node_get_start_line(n) > 0 { return blockPosition(n) }
            current = cmark_node_parent(n)
        }
        return SourcePosition(line: 1, column: 1)
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
        return url == text || url == "mailto:" + text || url == "http://" + text || url.hasPrefix("guide-ref:") && looksLikeAddress(text)
    }

    func looksLikeAddress(_ text: String) -> Bool {
        text.hasPrefix("http://") || text.hasPrefix("https://") || text.hasPrefix("www.")
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
