import Foundation

/// The guide's additions to GitHub Flavored Markdown, applied to cmark-gfm's tree before it
/// is rendered: callouts, FAQ questions, glossary marks, task labels, headings and links
/// become pairs of `BodyMarks`, which the parser turns into typed `BodyNode` values; raw
/// HTML and broken link syntax are found and reported. No HTML is written here.
enum MarkdownTransforms {
    // MARK: Callouts

    /// The markers an author can write, `NOTE` … `NON-URGENT`.
    static let calloutMarkers = CalloutKind.allCases.map(\.marker)

    /// A marker (`[!TYPE]`) that `applyCallouts` found: where its quote starts, and the marker.
    struct Marker {
        var name: String
        var node: MarkdownNode
    }

    /// The nodes the first transforms change, found in one walk of the tree, not one walk
    /// each (every walk visits every node of every chapter): the raw HTML (`removeRawHTML`),
    /// the block quotes (`applyCallouts`) and the list items (`labelTaskItems`), each in
    /// document order. Found before any is changed: removing raw HTML (and a paragraph it
    /// leaves empty) removes no block quote or list item, and making a box frees only the
    /// quote it replaces, once its children (nested quotes and items too) are moved into it.
    struct NodesToTransform {
        var html: [MarkdownNode] = []
        var quotes: [MarkdownNode] = []
        var items: [MarkdownNode] = []
    }

    static func nodesToTransform(_ document: MarkdownNode) -> NodesToTransform {
        var found = NodesToTransform()
        document.forEach { node in
            switch node.kind {
            case .htmlBlock, .htmlInline: found.html.append(node)
            case .blockQuote: found.quotes.append(node)
            case .item: found.items.append(node)
            default: break
            }
        }
        return found
    }

    /// Turns each block quote whose first line starts with `[!TYPE]` into a labelled callout
    /// box. Also accepted, because authors write them and a safety box must not degrade:
    /// text on the marker's line (`> [!EMERGENCY] Call 911 now`) and a bold or italic marker
    /// (`> **[!URGENT]**`). Returns the markers that are not a callout type, and the
    /// "when to get help" boxes made, in document order.
    static func applyCallouts(_ quotes: [MarkdownNode], marks: inout BodyMarks) -> (unknown: [Marker], urgencyBoxes: [MarkdownNode]) {
        var unknown: [Marker] = []
        var urgencyBoxes: [MarkdownNode] = []
        for quote in quotes {
            guard let paragraph = quote.firstChild, paragraph.kind == .paragraph,
                  let first = paragraph.firstChild else { continue }
            let name: String
            if [.strong, .emphasis].contains(first.kind),
               let marker = markerName(plainText(first).trimmingSpaces(), wholeText: true) {
                name = marker
                if let kind = CalloutKind(marker: name) {
                    first.remove()
                    let box = makeBox(quote, paragraph: paragraph, kind: kind, marks: &marks)
                    if kind.isUrgency { urgencyBoxes.append(box) }
                } else {
                    unknown.append(Marker(name: name, node: quote))
                }
                continue
            }
            // cmark splits `[!NOTE]` into several text nodes; gather the leading ones.
            var leading: [MarkdownNode] = []
            var text = ""
            var child: MarkdownNode? = first
            while let node = child, node.kind == .text {
                leading.append(node)
                text += node.literal
                child = node.next
            }
            let trimmed = text.drop { $0 == " " || $0 == "\t" }
            guard trimmed.hasPrefix("[!"), let close = trimmed.firstIndex(of: "]"),
                  let marker = markerName(String(trimmed[...close]), wholeText: true) else { continue }
            name = marker
            guard let kind = CalloutKind(marker: name) else {
                unknown.append(Marker(name: name, node: quote))
                continue
            }
            // Drop the marker's bytes from the leading text nodes; keep the words after it.
            var toDrop = text.utf8.count - trimmed.utf8.count + trimmed[...close].utf8.count
            for node in leading where toDrop > 0 {
                let bytes = Array(node.literal.utf8)
                if bytes.count <= toDrop {
                    toDrop -= bytes.count
                    node.remove()
                } else {
                    let rest = String(decoding: bytes[toDrop...], as: UTF8.self).drop { $0 == " " || $0 == "\t" }
                    node.setLiteral(String(rest))
                    toDrop = 0
                }
            }
            let box = makeBox(quote, paragraph: paragraph, kind: kind, marks: &marks)
            if kind.isUrgency { urgencyBoxes.append(box) }
        }
        return (unknown, urgencyBoxes)
    }

    /// `NAME` of a text that is exactly `[!NAME]` (or starts with it, when not `wholeText`).
    static func markerName(_ text: String, wholeText: Bool) -> String? {
        guard text.hasPrefix("[!"), let close = text.firstIndex(of: "]") else { return nil }
        if wholeText, text.index(after: close) != text.endIndex { return nil }
        let name = text[text.index(text.startIndex, offsetBy: 2)..<close]
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }) else { return nil }
        return name.uppercased()
    }

    /// Replaces `quote` by a callout box holding its blocks; a first line left empty by the
    /// marker's removal goes, and so does a first paragraph left empty.
    /// The quote's blocks in a box (a custom block between the callout's marks), which takes
    /// the quote's place; returns the box.
    static func makeBox(_ quote: MarkdownNode, paragraph: MarkdownNode, kind: CalloutKind, marks: inout BodyMarks) -> MarkdownNode {
        if let first = paragraph.firstChild,
           [.softBreak, .lineBreak].contains(first.kind) {
            first.remove()
        }
        if paragraph.firstChild == nil { paragraph.remove() }
        let box = MarkdownNode.customBlock(enter: marks.open(.callout(kind)), exit: BodyMarks.close)
        quote.moveChildren(into: box)
        quote.insertBefore(box)
        quote.remove()
        return box
    }

    /// A callout marker left in ordinary text (not the first line of a quote): the box it
    /// was meant to make is not there. Returns each with the text node where it starts.
    static func strayMarkers(in runs: [(nodes: [MarkdownNode], text: String)]) -> [Marker] {
        var found: [Marker] = []
        let known = Set(calloutMarkers)
        for run in runs {
            // Each "[!" by its bytes (Foundation's search was a share of every parse); the
            // text after one is made a string only there.
            var text = run.text
            let starts = text.withUTF8 { bytes -> [Int] in
                var starts: [Int] = []
                var from = 0
                while let found = indexOfPair(UInt8(ascii: "["), UInt8(ascii: "!"), in: bytes, from: from) {
                    starts.append(found)
                    from = found + 1
                }
                return starts
            }
            for start in starts {
                let at = text.utf8.index(text.utf8.startIndex, offsetBy: start)
                if let name = markerName(String(text[at...].prefix(14)), wholeText: false), known.contains(name) {
                    found.append(Marker(name: name, node: run.nodes[0]))
                }
            }
        }
        return found
    }

    // MARK: Task lists

    /// Gives each task-list checkbox (`- [ ] Pack your wallet card`) its item's words as a
    /// label, which cmark-gfm's own checkbox lacks: a screen reader says what the box is for,
    /// and a reader can tick it on screen (nothing is stored; printed, it is an empty box).
    static func labelTaskItems(_ items: [MarkdownNode], marks: inout BodyMarks) {
        for item in items where item.isTaskItem {
            guard let paragraph = item.firstChild, paragraph.kind == .paragraph else { continue }
            let checked = item.isTaskChecked
            item.dropTaskMarker()
            let open = MarkdownNode.htmlInline(marks.open(.task(checked: checked)))
            if let first = paragraph.firstChild {
                first.insertBefore(open)
            } else {
                paragraph.append(open)
            }
            paragraph.append(MarkdownNode.htmlInline(BodyMarks.close))
        }
    }

    // MARK: Raw HTML

    /// Raw HTML an author wrote, which the site never shows.
    struct RawHTML {
        var literal: String
        var node: MarkdownNode
        var isBlock: Bool
        /// An HTML comment (`<!-- … -->`) that is never closed, and so hides what follows it.
        var isUnclosedComment: Bool
    }

    /// Removes every raw HTML node, so that only the guide's own markup reaches the page
    /// (the page is rendered with cmark's "unsafe" option for that markup). A closed
    /// comment goes silently; a `<br>` becomes a line break, so words do not run together;
    /// anything else is returned, to be reported where it is.
    static func removeRawHTML(_ nodes: [MarkdownNode]) -> [RawHTML] {
        var found: [RawHTML] = []
        for node in nodes {
            let text = node.literal
            let isBlock = node.kind == .htmlBlock
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("<!--") {
                let closed = trimmed.dropFirst(4).contains("-->")
                if !closed {
                    found.append(RawHTML(literal: trimmed, node: node, isBlock: isBlock, isUnclosedComment: true))
                    // The reported node is needed for its position; it is freed after.
                    continue
                }
                node.remove()
                continue
            }
            if !isBlock, isLineBreakTag(trimmed) {
                node.insertBefore(MarkdownNode.lineBreak())
            }
            // A closing tag belongs to the opening one already reported.
            if !trimmed.hasPrefix("</") {
                found.append(RawHTML(literal: trimmed, node: node, isBlock: isBlock, isUnclosedComment: false))
            } else {
                node.remove()
            }
        }
        return found
    }

    /// Frees a node, and its paragraph too when nothing else was in it.
    static func removeAndTidy(_ node: MarkdownNode) {
        let parent = node.parent
        node.remove()
        if let parent, parent.kind == .paragraph, parent.firstChild == nil {
            parent.remove()
        }
    }

    static func isLineBreakTag(_ tag: String) -> Bool {
        let compact = tag.lowercased().filter { $0 != " " && $0 != "/" }
        return compact == "<br>"
    }

    /// The tag name of raw HTML such as `<iframe src=…>` (`iframe`), lower-cased.
    static func tagName(_ html: String) -> String {
        String(html.dropFirst().prefix { $0.isLetter || $0.isNumber }).lowercased()
    }

    // MARK: Link syntax

    /// A link or image that cmark did not take as one because its target has a space
    /// (`[insulin](A 1)`, `![pen](insulin pen.png)`), so it would be shown as raw text.
    struct BrokenLinkSyntax {
        var isImage: Bool
        var destination: String
        var node: MarkdownNode
    }

    /// Each such link in text runs (`textRuns`, found once for this and `strayMarkers`).
    static func brokenLinkSyntax(in runs: [(nodes: [MarkdownNode], text: String)]) -> [BrokenLinkSyntax] {
        var found: [BrokenLinkSyntax] = []
        for run in runs {
            // Most runs have no `](` at all: looked for before the run's bytes are copied.
            var text = run.text
            guard text.withUTF8({ indexOfPair(UInt8(ascii: "]"), UInt8(ascii: "("), in: $0) != nil }) else {
                continue
            }
            let chars = Array(text.utf8)
            var i = 0
            while i + 1 < chars.count {
                // `](`, then a target with a space and no bracket, then `)`.
                guard chars[i] == UInt8(ascii: "]"), chars[i + 1] == UInt8(ascii: "(") else { i += 1; continue }
                var j = i + 2
                while j < chars.count, chars[j] != UInt8(ascii: ")"), chars[j] != UInt8(ascii: "("), chars[j] != UInt8(ascii: "\n") { j += 1 }
                guard j < chars.count, chars[j] == UInt8(ascii: ")") else { i += 2; continue }
                let target = String(decoding: chars[(i + 2)..<j], as: UTF8.self)
                let inner = target.trimmingSpaces()
                guard inner.contains(" ") || inner.contains("\t"), let open = openingBracket(chars, before: i) else { i = j; continue }
                let isImage = open > 0 && chars[open - 1] == UInt8(ascii: "!")
                found.append(BrokenLinkSyntax(isImage: isImage, destination: target, node: run.nodes[0]))
                i = j + 1
            }
        }
        return found
    }

    /// The `[` that opens the link text ending at `close`, if it is in the same run.
    static func openingBracket<Bytes: RandomAccessCollection>(_ chars: Bytes, before close: Int) -> Int?
        where Bytes.Element == UInt8, Bytes.Index == Int {
        let base = chars.startIndex
        var depth = 0
        var k = close
        while k >= 0 {
            let escaped = k > 0 && chars[base + k - 1] == UInt8(ascii: "\\")
            if !escaped && chars[base + k] == UInt8(ascii: "]") { depth += 1 }
            if !escaped && chars[base + k] == UInt8(ascii: "[") {
                depth -= 1
                if depth == 0 { return k }
            }
            k -= 1
        }
        return nil
    }

    /// Runs of adjacent text nodes, outside code, links and images, with their joined text:
    /// cmark leaves brackets that did not make a link as text nodes of their own. Only the
    /// runs that hold a bracket: a stray callout marker (`[!`) and broken link syntax (`](`)
    /// both need one, and most runs have none, whose text is then never made. `nodes` are
    /// every node of the document, in document order.
    static func textRuns(_ nodes: [MarkdownNode]) -> [(nodes: [MarkdownNode], text: String)] {
        var runs: [(nodes: [MarkdownNode], text: String)] = []
        // The run being read, by its first and last node (all text, each the one before's
        // next): its nodes are gathered only if it holds a bracket.
        var first: MarkdownNode? = nil, last: MarkdownNode? = nil, hasBracket = false
        func endRun() {
            guard hasBracket, var node = first, let last else { return }
            var nodes = [node]
            while node != last, let next = node.next {
                nodes.append(next)
                node = next
            }
            runs.append((nodes, nodes.map(\.literal).joined()))
        }
        // A run's nodes share a parent: whether it is inside a link is asked once a parent.
        var checked: (parent: MarkdownNode?, inside: Bool)? = nil
        for node in nodes {
            guard node.kind == .text else { continue }
            let parent = node.parent
            let inside: Bool
            if let checked, checked.parent == parent {
                inside = checked.inside
            } else {
                inside = isInsideLinkOrImage(node)
                checked = (parent, inside)
            }
            guard !inside else { continue }
            // Every byte of the text is looked at: memchr, which reads many at a time.
            let bracket = node.withLiteralBytes { bytes in
                guard let start = bytes.baseAddress else { return false }
                return memchr(start, Int32(UInt8(ascii: "[")), bytes.count) != nil || memchr(start, Int32(UInt8(ascii: "]")), bytes.count) != nil
            }
            if let previous = last, previous.next == node {
                last = node
                if bracket { hasBracket = true }
            } else {
                endRun()
                (first, last, hasBracket) = (node, node, bracket)
            }
        }
        endRun()
        return runs
    }

    static func isInsideLinkOrImage(_ node: MarkdownNode) -> Bool { node.hasAncestor([.link, .image]) }

    // MARK: FAQ blocks

    /// Whether a level-2 heading opens an FAQ block: "FAQ", "Frequently asked questions",
    /// or the same in a translation's language ("Preguntas frecuentes"). The parser does not
    /// know a chapter's language, so every language's words count in every chapter.
    static func opensFAQ(_ text: String) -> Bool {
        let lowered = text.trimmingSpaces().lowercased()
        return faqOpenings.contains { lowered.hasPrefix($0) }
    }

    static let faqOpenings = ["faq", "frequently asked questions", "preguntas frecuentes"]

    /// Gathers each question of each FAQ block (a level-3 heading and its answer, up to the
    /// next heading of level 3 or above) into one construct. `headingNodes` are the heading
    /// nodes in document order. Returns, per question, the index of its heading.
    static func applyFAQ(_ document: MarkdownNode, headings: [ParsedMarkdown.Heading], headingNodes: [MarkdownNode],
                         marks: inout BodyMarks, marking: Bool = true) -> [Int] {
        var questions: [Int] = []
        var inFAQ = false
        var question: MarkdownNode? = nil
        var headingIndex: [MarkdownNode: Int] = [:]
        for (i, node) in headingNodes.enumerated() { headingIndex[node] = i }
        var child = document.firstChild
        while let node = child {
            child = node.next
            if node.kind == .heading, let index = headingIndex[node], headings[index].level <= 3 {
                question = nil
                let level = headings[index].level
                if level <= 2 {
                    inFAQ = level == 2 && opensFAQ(headings[index].text)
                } else if inFAQ {
                    questions.append(index)
                    // Without `marking` (a check that keeps no body), the questions are only found.
                    guard marking else { continue }
                    let box = MarkdownNode.customBlock(enter: marks.open(.faqQuestion), exit: BodyMarks.close)
                    node.insertBefore(box)
                    question = box
                }
            }
            if let question {
                node.unlink()
                question.append(node)
            }
        }
        return questions
    }

    // MARK: Glossary

    /// Marks the first use of each glossary term in ordinary text, never inside headings,
    /// links, images or code (see `GlossaryMatcher` for how terms match).
    /// Returns the indexes of the terms that were marked. Without `marking` (a check that
    /// keeps no body), the same first uses are found and nothing is cut or marked.
    /// `textNodes` are the document's text nodes in document order.
    static func applyGlossary(_ textNodes: [MarkdownNode], matcher: GlossaryMatcher, marks: inout BodyMarks, marking: Bool = true) -> [Int] {
        guard !matcher.isEmpty else { return [] }
        var used = [Bool](repeating: false, count: matcher.terms.count)
        var usedCount = 0
        var marked: [Int] = []
        for textNode in textNodes where !isInsideExcludedNode(textNode) {
            let uses = firstUses(in: textNode, matcher: matcher, used: &used, usedCount: &usedCount)
            let kept = marking && !uses.isEmpty ? markUses(uses, in: textNode, terms: matcher.terms, marks: &marks) : uses.count
            for use in uses.dropFirst(kept) {
                used[use.term] = false
                usedCount -= 1
            }
            marked += uses.prefix(kept).map(\.term)
            if usedCount == used.count { break }
        }
        return marked.sorted()
    }

    /// A glossary term's use in a text node: the term, whether its abbreviation matched, and
    /// where it is in the node's UTF-8 bytes.
    typealias GlossaryUse = (term: Int, isAbbreviation: Bool, range: Range<Int>)

    /// The first uses, left to right, of the terms not yet `used` in a text node, each then
    /// counted as used; the text after a use is searched on, as the node cut there would be.
    /// ASCII text (most of it) is searched on its bytes, as a form with other characters
    /// cannot occur in it; other text on its scalars.
    static func firstUses(in node: MarkdownNode, matcher: GlossaryMatcher, used: inout [Bool], usedCount: inout Int) -> [GlossaryUse] {
        var uses: [GlossaryUse] = []
        node.withLiteralBytes { bytes in
            guard isASCII(bytes) else {
                // Decoded and lower-cased once for the node, each search then starting where
                // the last use ended: lower-casing the rest of the text again for each search
                // was most of a worker's time on a guide with accented words.
                var scalars: [Unicode.Scalar] = []
                scalars.reserveCapacity(bytes.count)
                // Where each scalar starts in the UTF-8 bytes (and where the last one ends).
                var byteOffsets = [0]
                byteOffsets.reserveCapacity(bytes.count + 1)
                for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
                    scalars.append(scalar)
                    byteOffsets.append(byteOffsets[byteOffsets.count - 1] + UTF8.width(scalar))
                }
                let lower = scalars.map(GlossaryMatcher.lowerScalar)
                var offset = 0
                while usedCount < used.count, offset < scalars.count,
                      let match = matcher.firstMatch(in: scalars, lower: lower, from: offset, used: used) {
                    uses.append((match.term, match.isAbbreviation, byteOffsets[match.range.lowerBound]..<byteOffsets[match.range.upperBound]))
                    used[match.term] = true
                    usedCount += 1
                    offset = match.range.upperBound
                }
                return
            }
            var offset = 0
            while usedCount < used.count, offset < bytes.count,
                  let match = matcher.firstMatch(inASCII: UnsafeBufferPointer(rebasing: bytes[offset...]), used: used) {
                uses.append((match.term, match.isAbbreviation, (offset + match.range.lowerBound)..<(offset + match.range.upperBound)))
                used[match.term] = true
                usedCount += 1
                offset += match.range.upperBound
            }
        }
        return uses
    }

    /// Cuts a text node at `uses`, each put between its pair of marks: two raw-HTML inlines,
    /// which, unlike a custom inline, cmark lets stand in every inline container, table cells
    /// included. Returns how many were marked: all of them, unless cmark refuses a node; the
    /// text from that use on then stays as it is, never lost.
    static func markUses(_ uses: [GlossaryUse], in textNode: MarkdownNode, terms: [GlossaryTerm], marks: inout BodyMarks) -> Int {
        // The node's text cut as bytes: only the marked words become a String.
        let bytes = textNode.withLiteralBytes { Array($0) }
        var node = textNode, start = 0
        for (count, use) in uses.enumerated() {
            let mark = GlossaryMark(term: terms[use.term].term, text: String(decoding: bytes[use.range], as: UTF8.self), isAbbreviation: use.isAbbreviation)
            let open = MarkdownNode.htmlInline(marks.open(.glossaryMark(mark))), end = MarkdownNode.htmlInline(BodyMarks.close)
            let rest = MarkdownNode.text(bytes: bytes[use.range.upperBound..<bytes.count])
            guard node.insertAfter(open) else {
                [open, end, rest].forEach { $0.free() }
                return count
            }
            open.insertAfter(end)
            end.insertAfter(rest)
            node.setLiteral(bytes: bytes[start..<use.range.lowerBound])
            node = rest
            start = use.range.upperBound
        }
        return uses.count
    }

    /// Text in headings, links, images, code or earlier marks is never marked.
    static func isInsideExcludedNode(_ node: MarkdownNode) -> Bool { node.hasAncestor([.heading, .link, .image]) }

    // MARK: Headings, links and images

    /// Puts each heading's words between marks, so that Render writes the heading and its
    /// anchor. `nodes` are the heading nodes, in the order of `ParsedMarkdown.headings`.
    static func markHeadings(_ nodes: [MarkdownNode], marks: inout BodyMarks) {
        for (index, heading) in nodes.enumerated() {
            let box = MarkdownNode.customBlock(enter: marks.open(.heading(index)), exit: BodyMarks.close)
            heading.moveChildren(into: box)
            heading.insertBefore(box)
            heading.remove()
        }
    }

    /// Replaces each link by its words between marks, and each image by a pair of marks that
    /// carries its alt text: Link decides where they lead, Render writes the tags.
    /// `nodes[i]` is the node of `ParsedMarkdown.links[i]`. What is inside an image is only
    /// its alt text (as cmark-gfm reads it), so a link there goes with the image.
    static func markLinks(_ nodes: [MarkdownNode], marks: inout BodyMarks) {
        let outermost = nodes.enumerated().filter { !$0.element.hasAncestor([.image]) }
        for (index, node) in outermost {
            let open: MarkdownNode
            if node.kind == .image {
                open = MarkdownNode.htmlInline(marks.open(.image(index, alt: altText(node))))
            } else {
                open = MarkdownNode.htmlInline(marks.open(.link(index)))
            }
            let close = MarkdownNode.htmlInline(BodyMarks.close)
            node.insertBefore(open)
            if node.kind == .link {
                for inner in node.children {
                    inner.unlink()
                    node.insertBefore(inner)
                }
            }
            node.insertBefore(close)
            node.remove()
        }
    }

    /// An image's alt text as cmark-gfm writes it: the text of its descendants, each line
    /// break a space.
    static func altText(_ image: MarkdownNode) -> String {
        var text = ""
        for node in image.descendants([.text, .code, .htmlInline, .softBreak, .lineBreak]) where node != image {
            switch node.kind {
            case .softBreak, .lineBreak: text += " "
            default: text += node.literal
            }
        }
        return text
    }

    // MARK: Tree helpers

    /// The text of a node's text and code descendants.
    static func plainText(_ node: MarkdownNode) -> String {
        var text = ""
        for child in node.descendants([.text, .code]) { text += child.literal }
        return text
    }
}
