import Foundation

/// The parse stage for one chapter: Markdown text in, a `ParsedMarkdown` value out, through
/// cmark-gfm (`MarkdownTree`), the guide's additions (`MarkdownTransforms`) and `BodyMarks`.
///
/// Every node is made and freed inside `parse`; nothing of cmark-gfm's escapes it.
public enum MarkdownParser {
    /// Parses one chapter's Markdown. Lines that are not Markdown (front matter) should be
    /// blanked by the caller, so that line numbers stay those of the file. The first use of
    /// each `glossary` term is marked.
    public static func parse(_ markdown: String, glossary: [GlossaryTerm] = []) -> ParsedMarkdown {
        parse(markdown, glossary: GlossaryMatcher(terms: glossary))
    }

    /// Parses one chapter with a glossary matcher prepared once for all chapters.
    /// Parses a chapter file's text from `bodyStartLine` on: the lines before it (front
    /// matter) are read as empty, so line numbers stay the file's, without copying the text.
    /// Without `proseFacts`, the plain-language facts are left empty (reading scores are
    /// measured either way); without `englishFacts`, those that read English (hard words,
    /// passive sentences).
    /// Without `bodies` (a check), the body holds only its urgency boxes; without `blocks`,
    /// the text blocks are left out once everything made from them is made.
    public static func parse(_ markdown: String, bodyStartLine: Int = 1, glossary: GlossaryMatcher, proseFacts: Bool = true,
                             englishFacts: Bool = true, bodies: Bool = true, blocks: Bool = true) -> ParsedMarkdown {
        var syllables = SyllableMemo()
        return parse(LineTable(markdown, bodyStartLine: bodyStartLine), glossary: glossary, proseFacts: proseFacts,
                     englishFacts: englishFacts, bodies: bodies, blocks: blocks, syllables: &syllables)
    }

    /// Parses a chapter's bytes, already in a line table (a worker's request, not copied),
    /// with the syllable counts of words met in earlier chapters.
    static func parse(_ table: LineTable, glossary: GlossaryMatcher, proseFacts: Bool = true, englishFacts: Bool = true,
                      bodies: Bool = true, blocks: Bool = true, syllables: inout SyllableMemo) -> ParsedMarkdown {
        // Source positions on; raw HTML is removed below, so it never reaches the page.
        guard let tree = table.bytes.withUnsafeBufferPointer({ MarkdownTree(parsing: $0) }) else {
            return ParsedMarkdown(headings: [], links: [], blocks: [], body: [])
        }
        let document = tree.root
        var walker = TreeWalker(table: table)
        var problems: [ParsedMarkdown.Problem] = []
        let toTransform = MarkdownTransforms.nodesToTransform(document)
        for html in MarkdownTransforms.removeRawHTML(toTransform.html) {
            problems.append(rawHTMLProblem(html, at: walker.locate(html.node, needle: String(html.literal.prefix { $0 != "\n" }), kind: "html")))
            MarkdownTransforms.removeAndTidy(html.node)
        }
        var marks = BodyMarks()
        let (unknownCallouts, urgencyBoxes) = MarkdownTransforms.applyCallouts(toTransform.quotes, marks: &marks)
        for callout in unknownCallouts {
            let markers = MarkdownTransforms.calloutMarkers
            let guess = markers.first { callout.name.count >= 3 && $0.hasPrefix(callout.name) } ?? closestMatch(to: callout.name, in: markers)
            problems.append(.init(severity: .warning, rule: .unknownCallout,
                                  message: "'[!\(callout.name)]' is not a callout type, so this is shown as a plain quote",
                                  suggestion: guess.map { "did you mean '[!\($0)]'?" }, position: walker.blockPosition(callout.node)))
        }
        // Every node, in document order, gathered once for the text runs and the walker (from
        // here until the walker is done nothing changes the tree), and for the glossary's
        // text nodes. The text runs are found once for both searches.
        let nodes = document.descendants()
        let textRuns = MarkdownTransforms.textRuns(nodes)
        for marker in MarkdownTransforms.strayMarkers(in: textRuns) {
            let urgent = CalloutKind(marker: marker.name)?.isUrgency ?? false
            problems.append(.init(severity: urgent ? .error : .warning, rule: .misplacedCallout,
                                  message: "'[!\(marker.name)]' makes a box only on the first line of a quote, so here it is shown as plain text\(urgent ? " and the urgency box is lost" : "")",
                                  suggestion: "write the box as a quote: '> [!\(marker.name)]' on a line of its own, then '> ' before each line of the box",
                                  position: walker.locate(marker.node, needle: "[!\(marker.name)", kind: "marker", ignoringCase: true)))
        }
        for broken in MarkdownTransforms.brokenLinkSyntax(in: textRuns) {
            problems.append(brokenLinkProblem(broken, at: walker.locate(broken.node, needle: "](\(broken.destination))", kind: "link-syntax", linkStart: true)))
        }
        walker.walk(nodes)
        // A check keeps no body but its urgency boxes: a chapter without one needs no marks,
        // only the FAQ questions and glossary uses the marking finds.
        let marking = bodies || !urgencyBoxes.isEmpty
        if marking { MarkdownTransforms.labelTaskItems(toTransform.items, marks: &marks) }
        let questions = MarkdownTransforms.applyFAQ(document, headings: walker.headings, headingNodes: walker.headingNodes, marks: &marks,
                                                    marking: marking)
        // The text nodes gathered above: since then, marking task items and FAQ questions
        // added only marks and moved whole blocks, in order, so they are the same, in the same order.
        let marked = MarkdownTransforms.applyGlossary(nodes.filter { $0.kind == .text }, matcher: glossary, marks: &marks, marking: marking)
        if marking {
            MarkdownTransforms.markHeadings(walker.headingNodes, marks: &marks)
            MarkdownTransforms.markLinks(walker.linkNodes, marks: &marks)
        }

        // Every raw HTML node the author wrote is gone (reported above), so "unsafe" lets
        // through only the marks, which `split` takes out again.
        // A check keeps only the urgency boxes (`ParsingOptions.bodies`): only the outermost
        // ones are rendered, each on its own, and a chapter without one needs no HTML at all.
        let body: [BodyNode]
        if bodies {
            body = tree.renderHTML(unsafe: true) { marks.split($0) } ?? []
        } else {
            let boxes = Set(urgencyBoxes)
            let outermost = urgencyBoxes.filter { box in
                var ancestor = box.parent
                while let node = ancestor, !boxes.contains(node) { ancestor = node.parent }
                return ancestor == nil
            }
            body = (tree.renderHTML(of: outermost, unsafe: true) { marks.split($0) } ?? []).flatMap { $0 }
        }
        var parsed = ParsedMarkdown(headings: walker.headings, links: walker.links, blocks: walker.blocks, body: body)
        parsed.faqs = questions.map { index in
            let answer = walker.blocks.filter { $0.section == index && $0.kind != .heading }.map(\.text).joined(separator: " ")
            return ParsedMarkdown.FAQ(question: walker.headings[index].text, anchor: walker.headings[index].slug,
                                      answer: answer, heading: index)
        }
        parsed.glossaryTermsUsed = marked.map { glossary.terms[$0].term }
        parsed.problems = problems
        // Measured here, with the text just made, so it runs in the parse workers and is
        // kept with the chapter between serve's rebuilds; Check compares it with the target.
        (parsed.prose, parsed.readingScores) = PlainLanguage.analyse(parsed.blocks, headings: walker.headings, lines: walker.proseLines,
                                                                     pictures: walker.pictures, table: table, glossary: glossary,
                                                                     proseFacts: proseFacts, englishFacts: englishFacts,
                                                                     syllables: &syllables)
        // The FAQs' answers and the reading scores are made from them: what is left out now
        // is only the text (`ParsingOptions.blocks`).
        if !blocks { parsed.blocks = [] }
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
        var text = markdown
        return text.withUTF8 { bytes in
            MarkdownTree(parsing: bytes, sourcePositions: false)?.renderHTML(unsafe: false) { String(decoding: $0, as: UTF8.self) }
        } ?? ""
    }
}

/// Walks cmark's tree once, copying out headings, links and text.
struct TreeWalker {
    let table: LineTable
    var headings: [ParsedMarkdown.Heading] = []
    /// The heading nodes, in the same order as `headings`, for the FAQ transform.
    var headingNodes: [MarkdownNode] = []
    var links: [ParsedMarkdown.Link] = []
    /// The link and image nodes, in the same order as `links`.
    var linkNodes: [MarkdownNode] = []
    var blocks: [ParsedMarkdown.TextBlock] = []
    /// Each prose block's first and last source line, by its index in `blocks`.
    var proseLines: [Int: (first: Int, last: Int)] = [:]
    /// Prose blocks that are a picture alone: their words are its alt text.
    var pictures: Set<Int> = []
    var slugs = SlugGenerator()
    init(table: LineTable) { self.table = table }

    var currentSection: Int? { headings.isEmpty ? nil : headings.count - 1 }

    /// Reads `nodes`, every node of the document in document order.
    mutating func walk(_ nodes: [MarkdownNode]) {
        // A loop over the nodes gathered first, not a closure handed to `forEach`: called
        // from a closure that holds it, each of the walker's own functions was given a copy
        // of the whole walker (its arrays and tables each counted up and down).
        for node in nodes {
            let type = node.kind
            switch type {
            case .heading:
                let text = inlineText(node)
                headings.append(.init(level: node.headingLevel, text: text,
                                      slug: slugs.slug(for: text), position: blockPosition(node)))
                headingNodes.append(node)
                blocks.append(.init(kind: .heading, text: text, section: currentSection))
            case .paragraph:
                if !isInsideTable(node) {
                    var block = ParsedMarkdown.TextBlock(kind: .prose, text: "", section: currentSection)
                    (block.text, block.emptyLinks) = proseText(node, firstLink: links.count)
                    if node.startLine > 0 { proseLines[blocks.count] = (node.startLine, max(node.startLine, node.endLine)) }
                    if isPicture(node) { pictures.insert(blocks.count) }
                    blocks.append(block)
                }
            case .codeBlock:
                blocks.append(.init(kind: .code, text: node.literal, section: currentSection))
            case .link, .image:
                recordLink(node, isImage: type == .image)
            case .other:
                // Only extensions' nodes (tables, strikethrough) are named by a string.
                let name = node.typeName
                if name == "table_row" || name == "table_header" {
                    let cells = node.children.map { inlineText($0) }
                    blocks.append(.init(kind: .table, text: cells.joined(separator: " "), section: currentSection))
                }
            default:
                break
            }
        }
    }

    mutating func recordLink(_ node: MarkdownNode, isImage: Bool) {
        let destination = node.url ?? ""
        let text = inlineText(node)
        let startLine = node.startLine
        let place = locateLink(node, isImage: isImage, destination: destination)
        let position = found(line: place.line, byteColumn: place.byte)
        let isAutolink = !isImage && (startLine == 0 || table.byte(line: place.line, column: place.byte) == UInt8(ascii: "<"))
        let title = node.title ?? ""
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
    mutating func locateLink(_ node: MarkdownNode, isImage: Bool, destination: String) -> (line: Int, byte: Int) {
        let marker: UInt8 = isImage ? UInt8(ascii: "!") : UInt8(ascii: "[")
        var candidates: [(Int, Int)] = []
        if let child = node.firstChild, child.startLine > 0 {
            candidates.append((child.startLine,
                               child.startColumn - (isImage ? 2 : 1)))
        }
        let line = node.startLine
        let column = node.startColumn
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

    func blockPosition(_ node: MarkdownNode) -> SourcePosition {
        let line = node.startLine
        let column = node.startColumn
        guard line >= 1, line <= table.lineCount else { return SourcePosition(line: max(line, 1), column: 1) }
        return found(line: line, byteColumn: max(column, 1))
    }

    /// Where `needle` is written for `node`: at the node's own position when cmark gives one
    /// that matches, else its next occurrence (after the last one found for `kind`) from the
    /// enclosing block's first line on. With `linkStart`, the needle is a link's
    /// `](target)` and the answer is its `[` or `!`.
    func locate(_ node: MarkdownNode, needle: String, kind: String, ignoringCase: Bool = false, linkStart: Bool = false) -> SourcePosition {
        let wanted = Array(needle.utf8)
        let line = node.startLine, column = node.startColumn
        if !linkStart, column >= 1, table.find(wanted, inLine: line, from: column - 1, ignoringCase: ignoringCase) == column - 1 {
            return found(line: line, byteColumn: column)
        }
        var block: MarkdownNode? = node
        while let b = block, b.startLine == 0 || b.isInline {
            block = b.parent
        }
        let first = max(1, block?.startLine ?? 1)
        let last = min(table.lineCount, max(first, block?.endLine ?? table.lineCount))
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
    func enclosingBlockLines(_ node: MarkdownNode) -> (Int, Int) {
        var current: MarkdownNode? = node.parent
        while let n = current {
            if n.startLine > 0 {
                return (n.startLine, max(n.endLine, n.startLine))
            }
            current = n.parent
        }
        return (1, table.lineCount)
    }

    // MARK: Text

    /// The plain text under `node` (a heading, a table cell, a link's words).
    func inlineText(_ node: MarkdownNode) -> String {
        text(node, prose: false, firstLink: 0).text
    }

    /// A paragraph's prose, and where in it each link written without words stands (Link
    /// fills those in; search shows the words). `firstLink` is the index the paragraph's
    /// first link or image will have in `links`: they are recorded in this same order.
    func proseText(_ node: MarkdownNode, firstLink: Int) -> (String, [ParsedMarkdown.TextBlock.EmptyLink]) {
        let prose = text(node, prose: true, firstLink: firstLink)
        return (prose.text, prose.emptyLinks)
    }

    /// The text under `node`; for prose, without bare link addresses (which are not read as
    /// words, nor measured), and with where its empty links stand.
    private func text(_ node: MarkdownNode, prose: Bool, firstLink: Int) -> (text: String, emptyLinks: [ParsedMarkdown.TextBlock.EmptyLink]) {
        // Gathered as bytes and made a string once: a string for each piece was a third of the cost.
        var text: [UInt8] = []
        var empty: [ParsedMarkdown.TextBlock.EmptyLink] = []
        var next = firstLink
        node.forEach { child in
            switch child.kind {
            case .link, .image:
                if prose, child.kind == .link, child.firstChild == nil { empty.append(.init(offset: text.count, link: next)) }
                next += 1
            case .text where prose && isAutolinkAddress(child):
                break
            case .text, .code:
                child.withLiteralBytes { text.append(contentsOf: $0) }
            case .softBreak, .lineBreak:
                text.append(UInt8(ascii: " "))
            default:
                break
            }
        }
        return (String(decoding: text, as: UTF8.self), empty)
    }

    /// Whether a paragraph is pictures alone: images, line breaks and blank text.
    func isPicture(_ paragraph: MarkdownNode) -> Bool {
        var child = paragraph.firstChild
        while let node = child {
            switch node.kind {
            case .image, .softBreak, .lineBreak: break
            case .text:
                // Most paragraphs start with a word: told from its first byte, without its text.
                let startsWithWord = node.withLiteralBytes { $0.first.map { $0 > 0x20 && $0 < 0x7F } ?? false }
                guard !startsWithWord, node.literal.allSatisfy(\.isWhitespace) else { return false }
            default: return false
            }
            child = node.next
        }
        return true
    }

    /// The text of a link that is its own address (`<https://…>`, a bare `www.…`).
    func isAutolinkAddress(_ node: MarkdownNode) -> Bool {
        guard let parent = node.parent, parent.kind == .link,
              parent.firstChild == node, node.next == nil,
              let url = parent.url else { return false }
        let text = node.literal
        return url == text || url == "mailto:" + text || url == "http://" + text
    }

    func isInsideTable(_ node: MarkdownNode) -> Bool {
        var current = node.parent
        while let n = current {
            if n.kind == .other, n.typeName.hasPrefix("table") { return true }
            current = n.parent
        }
        return false
    }
}
