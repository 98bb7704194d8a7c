import CCmarkGFM
import Foundation

/// The guide's additions to GitHub Flavored Markdown, applied to cmark's tree before it is
/// rendered: callouts, FAQ blocks and glossary marks. Like `MarkdownParser`, this file works
/// on C nodes that never leave the parse step. New HTML goes in as custom nodes, whose
/// text cmark writes as it is (raw HTML written by authors is still never passed through).
enum MarkdownTransforms {
    // MARK: Callouts

    /// The markers an author can write, `NOTE` … `NON-URGENT`.
    static let calloutMarkers = CalloutKind.allCases.map(\.marker)

    /// A marker (`[!TYPE]`) that `applyCallouts` found: where its quote starts, and the marker.
    struct Marker {
        var name: String
        var node: OpaquePointer
    }

    /// Turns each block quote whose first line starts with `[!TYPE]` into a labelled callout
    /// box. Also accepted, because authors write them and a safety box must not degrade:
    /// text on the marker's line (`> [!EMERGENCY] Call 911 now`) and a bold or italic marker
    /// (`> **[!URGENT]**`). Returns the markers that are not a callout type.
    static func applyCallouts(_ document: OpaquePointer, marks: inout BodyMarks) -> [Marker] {
        var unknown: [Marker] = []
        for quote in descendants(document, ofType: CMARK_NODE_BLOCK_QUOTE) {
            guard let paragraph = cmark_node_first_child(quote), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH,
                  let first = cmark_node_first_child(paragraph) else { continue }
            let name: String
            if [CMARK_NODE_STRONG, CMARK_NODE_EMPH].contains(cmark_node_get_type(first)),
               let marker = markerName(plainText(first).trimmingCharacters(in: .whitespaces), wholeText: true) {
                name = marker
                if let kind = CalloutKind(marker: name) {
                    unlinkAndFree(first)
                    makeBox(quote, paragraph: paragraph, kind: kind, marks: &marks)
                } else {
                    unknown.append(Marker(name: name, node: quote))
                }
                continue
            }
            // cmark splits `[!NOTE]` into several text nodes; gather the leading ones.
            var leading: [OpaquePointer] = []
            var text = ""
            var child: OpaquePointer? = first
            while let node = child, cmark_node_get_type(node) == CMARK_NODE_TEXT {
                leading.append(node)
                text += literal(node)
                child = cmark_node_next(node)
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
                let bytes = Array(literal(node).utf8)
                if bytes.count <= toDrop {
                    toDrop -= bytes.count
                    unlinkAndFree(node)
                } else {
                    let rest = String(decoding: bytes[toDrop...], as: UTF8.self).drop { $0 == " " || $0 == "\t" }
                    cmark_node_set_literal(node, String(rest))
                    toDrop = 0
                }
            }
            makeBox(quote, paragraph: paragraph, kind: kind, marks: &marks)
        }
        return unknown
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
    static func makeBox(_ quote: OpaquePointer, paragraph: OpaquePointer, kind: CalloutKind, marks: inout BodyMarks) {
        if let first = cmark_node_first_child(paragraph),
           [CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK].contains(cmark_node_get_type(first)) {
            unlinkAndFree(first)
        }
        if cmark_node_first_child(paragraph) == nil { unlinkAndFree(paragraph) }
        let box = customBlock(enter: marks.open(.callout(kind)), exit: BodyMarks.close)
        moveChildren(of: quote, into: box)
        cmark_node_insert_before(quote, box)
        unlinkAndFree(quote)
    }

    /// A callout marker left in ordinary text (not the first line of a quote): the box it
    /// was meant to make is not there. Returns each with the text node where it starts.
    static func strayMarkers(_ document: OpaquePointer) -> [Marker] {
        var found: [Marker] = []
        let known = Set(calloutMarkers)
        for run in textRuns(document) {
            var search = run.text[...]
            while let open = search.range(of: "[!") {
                let after = search[open.lowerBound...]
                if let name = markerName(String(after.prefix(14)), wholeText: false), known.contains(name) {
                    found.append(Marker(name: name, node: run.nodes[0]))
                }
                search = search[open.upperBound...]
            }
        }
        return found
    }

    // MARK: Task lists

    /// Gives each task-list checkbox (`- [ ] Pack your wallet card`) its item's words as a
    /// label, which cmark-gfm's own checkbox lacks: a screen reader says what the box is for,
    /// and a reader can tick it on screen (nothing is stored; printed, it is an empty box).
    static func labelTaskItems(_ document: OpaquePointer, marks: inout BodyMarks) {
        guard let tasklist = cmark_find_syntax_extension("tasklist") else { return }
        for item in descendants(document, ofType: CMARK_NODE_ITEM) where cmark_node_get_syntax_extension(item) == tasklist {
            guard let paragraph = cmark_node_first_child(item), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH else { continue }
            let checked = cmark_gfm_extensions_get_tasklist_item_checked(item)
            cmark_node_set_syntax_extension(item, nil)
            let open = htmlInline(marks.open(.task(checked: checked)))
            if let first = cmark_node_first_child(paragraph) {
                cmark_node_insert_before(first, open)
            } else {
                cmark_node_append_child(paragraph, open)
            }
            cmark_node_append_child(paragraph, htmlInline(BodyMarks.close))
        }
    }

    // MARK: Raw HTML

    /// Raw HTML an author wrote, which the site never shows.
    struct RawHTML {
        var literal: String
        var node: OpaquePointer
        var isBlock: Bool
        /// An HTML comment (`<!-- … -->`) that is never closed, and so hides what follows it.
        var isUnclosedComment: Bool
    }

    /// Removes every raw HTML node, so that only the guide's own markup reaches the page
    /// (the page is rendered with cmark's "unsafe" option for that markup). A closed
    /// comment goes silently; a `<br>` becomes a line break, so words do not run together;
    /// anything else is returned, to be reported where it is.
    static func removeRawHTML(_ document: OpaquePointer) -> [RawHTML] {
        var found: [RawHTML] = []
        for node in descendants(document, ofTypes: [CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE]) {
            let text = literal(node)
            let isBlock = cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("<!--") {
                let closed = trimmed.dropFirst(4).contains("-->")
                if !closed {
                    found.append(RawHTML(literal: trimmed, node: node, isBlock: isBlock, isUnclosedComment: true))
                    // The reported node is needed for its position; it is freed after.
                    continue
                }
                unlinkAndFree(node)
                continue
            }
            if !isBlock, isLineBreakTag(trimmed), let lineBreak = cmark_node_new(CMARK_NODE_LINEBREAK) {
                cmark_node_insert_before(node, lineBreak)
            }
            // A closing tag belongs to the opening one already reported.
            if !trimmed.hasPrefix("</") {
                found.append(RawHTML(literal: trimmed, node: node, isBlock: isBlock, isUnclosedComment: false))
            } else {
                unlinkAndFree(node)
            }
        }
        return found
    }

    /// Frees a node, and its paragraph too when nothing else was in it.
    static func removeAndTidy(_ node: OpaquePointer) {
        let parent = cmark_node_parent(node)
        unlinkAndFree(node)
        if let parent, cmark_node_get_type(parent) == CMARK_NODE_PARAGRAPH, cmark_node_first_child(parent) == nil {
            unlinkAndFree(parent)
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
        var node: OpaquePointer
    }

    static func brokenLinkSyntax(_ document: OpaquePointer) -> [BrokenLinkSyntax] {
        var found: [BrokenLinkSyntax] = []
        for run in textRuns(document) {
            let chars = Array(run.text.utf8)
            var i = 0
            while i + 1 < chars.count {
                // `](`, then a target with a space and no bracket, then `)`.
                guard chars[i] == UInt8(ascii: "]"), chars[i + 1] == UInt8(ascii: "(") else { i += 1; continue }
                var j = i + 2
                while j < chars.count, ![UInt8(ascii: ")"), UInt8(ascii: "("), UInt8(ascii: "\n")].contains(chars[j]) { j += 1 }
                guard j < chars.count, chars[j] == UInt8(ascii: ")") else { i += 2; continue }
                let target = String(decoding: chars[(i + 2)..<j], as: UTF8.self)
                let inner = target.trimmingCharacters(in: .whitespaces)
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
    /// cmark leaves brackets that did not make a link as text nodes of their own.
    static func textRuns(_ document: OpaquePointer) -> [(nodes: [OpaquePointer], text: String)] {
        var runs: [(nodes: [OpaquePointer], text: String)] = []
        var previous: OpaquePointer? = nil
        for node in descendants(document, ofType: CMARK_NODE_TEXT) where !isInsideLinkOrImage(node) {
            if let previous, cmark_node_next(previous) == node, !runs.isEmpty {
                runs[runs.count - 1].nodes.append(node)
                runs[runs.count - 1].text += literal(node)
            } else {
                runs.append(([node], literal(node)))
            }
            previous = node
        }
        return runs
    }

    static func isInsideLinkOrImage(_ node: OpaquePointer) -> Bool {
        var current = cmark_node_parent(node)
        while let n = current {
            if [CMARK_NODE_LINK, CMARK_NODE_IMAGE].contains(cmark_node_get_type(n)) { return true }
            current = cmark_node_parent(n)
        }
        return false
    }

    // MARK: FAQ blocks

    /// Whether a level-2 heading opens an FAQ block.
    static func opensFAQ(_ text: String) -> Bool {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        return lowered.hasPrefix("faq") || lowered.hasPrefix("frequently asked questions")
    }

    /// Gathers each question of each FAQ block (a level-3 heading and its answer, up to the
    /// next heading of level 3 or above) into one construct. `headingNodes` are the heading
    /// nodes in document order. Returns, per question, the index of its heading.
    static func applyFAQ(_ document: OpaquePointer, headings: [ParsedMarkdown.Heading], headingNodes: [OpaquePointer],
                         marks: inout BodyMarks) -> [Int] {
        var questions: [Int] = []
        var inFAQ = false
        var question: OpaquePointer? = nil
        var headingIndex: [OpaquePointer: Int] = [:]
        for (i, node) in headingNodes.enumerated() { headingIndex[node] = i }
        var child = cmark_node_first_child(document)
        while let node = child {
            child = cmark_node_next(node)
            if cmark_node_get_type(node) == CMARK_NODE_HEADING, let index = headingIndex[node], headings[index].level <= 3 {
                question = nil
                let level = headings[index].level
                if level <= 2 {
                    inFAQ = level == 2 && opensFAQ(headings[index].text)
                } else if inFAQ {
                    let box = customBlock(enter: marks.open(.faqQuestion), exit: BodyMarks.close)
                    cmark_node_insert_before(node, box)
                    question = box
                    questions.append(index)
                }
            }
            if let question {
                cmark_node_unlink(node)
                cmark_node_append_child(question, node)
            }
        }
        return questions
    }

    // MARK: Glossary

    /// Marks the first use of each glossary term in ordinary text, never inside headings,
    /// links, images or code (see `GlossaryMatcher` for how terms match).
    /// Returns the indexes of the terms that were marked.
    static func applyGlossary(_ document: OpaquePointer, matcher: GlossaryMatcher, marks: inout BodyMarks) -> [Int] {
        guard !matcher.isEmpty else { return [] }
        let terms = matcher.terms
        var used = [Bool](repeating: false, count: terms.count)
        var usedCount = 0
        var marked: [Int] = []
        for textNode in descendants(document, ofType: CMARK_NODE_TEXT) where !isInsideExcludedNode(textNode) {
            var node = textNode
            while usedCount < terms.count {
                guard let cLiteral = cmark_node_get_literal(node) else { break }
                let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(cLiteral).assumingMemoryBound(to: UInt8.self), count: strlen(cLiteral))
                // ASCII text (most of it) is tested cheaply first; a form with other characters cannot occur in it.
                if bytes.allSatisfy({ $0 < 0x80 }), !matcher.mayMatch(bytes, used: used) { break }
                let original = Array(String(cString: cLiteral).unicodeScalars)
                guard let match = matcher.firstMatch(in: original, used: used) else { break }
                used[match.term] = true
                usedCount += 1
                marked.append(match.term)
                let term = terms[match.term]
                let before = String(String.UnicodeScalarView(original[..<match.range.lowerBound]))
                let matched = String(String.UnicodeScalarView(original[match.range]))
                let after = String(String.UnicodeScalarView(original[match.range.upperBound...]))
                // The mark is two raw-HTML inlines: unlike a custom inline, cmark lets these
                // stand in every inline container, table cells included.
                let mark = GlossaryMark(term: term.term, text: matched, isAbbreviation: match.isAbbreviation)
                let open = htmlInline(marks.open(.glossaryMark(mark))), end = htmlInline(BodyMarks.close)
                let rest = newText(after)
                guard cmark_node_insert_after(node, open) == 1 else {
                    // Never lose text: leave this node whole and unmarked.
                    [open, end, rest].forEach { cmark_node_free($0) }
                    used[match.term] = false
                    usedCount -= 1
                    marked.removeLast()
                    break
                }
                cmark_node_insert_after(open, end)
                cmark_node_insert_after(end, rest)
                cmark_node_set_literal(node, before)
                node = rest
            }
            if usedCount == terms.count { break }
        }
        return marked.sorted()
    }

    /// Text in headings, links, images, code or earlier marks is never marked.
    static func isInsideExcludedNode(_ node: OpaquePointer) -> Bool {
        var current = cmark_node_parent(node)
        while let n = current {
            switch cmark_node_get_type(n) {
            case CMARK_NODE_HEADING, CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                return true
            default:
                break
            }
            current = cmark_node_parent(n)
        }
        return false
    }

    // MARK: Headings, links and images

    /// Puts each heading's words between marks, so that Render writes the heading and its
    /// anchor. `nodes` are the heading nodes, in the order of `ParsedMarkdown.headings`.
    static func markHeadings(_ nodes: [OpaquePointer], marks: inout BodyMarks) {
        for (index, heading) in nodes.enumerated() {
            let box = customBlock(enter: marks.open(.heading(index)), exit: BodyMarks.close)
            moveChildren(of: heading, into: box)
            cmark_node_insert_before(heading, box)
            unlinkAndFree(heading)
        }
    }

    /// Replaces each link by its words between marks, and each image by a pair of marks that
    /// carries its alt text: Link decides where they lead, Render writes the tags.
    /// `nodes[i]` is the node of `ParsedMarkdown.links[i]`. What is inside an image is only
    /// its alt text (as cmark-gfm reads it), so a link there goes with the image.
    static func markLinks(_ nodes: [OpaquePointer], marks: inout BodyMarks) {
        let outermost = nodes.enumerated().filter { !hasAncestor($0.element, ofType: CMARK_NODE_IMAGE) }
        for (index, node) in outermost {
            let open: OpaquePointer
            if cmark_node_get_type(node) == CMARK_NODE_IMAGE {
                open = htmlInline(marks.open(.image(index, alt: altText(node))))
            } else {
                open = htmlInline(marks.open(.link(index)))
            }
            let close = htmlInline(BodyMarks.close)
            cmark_node_insert_before(node, open)
            if cmark_node_get_type(node) == CMARK_NODE_LINK {
                while let inner = cmark_node_first_child(node) {
                    cmark_node_unlink(inner)
                    cmark_node_insert_before(node, inner)
                }
            }
            cmark_node_insert_before(node, close)
            unlinkAndFree(node)
        }
    }

    /// An image's alt text as cmark-gfm writes it: the text of its descendants, each line
    /// break a space.
    static func altText(_ image: OpaquePointer) -> String {
        var text = ""
        for node in descendants(image, ofTypes: [CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE,
                                                 CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK]) where node != image {
            switch cmark_node_get_type(node) {
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            default: text += literal(node)
            }
        }
        return text
    }

    static func hasAncestor(_ node: OpaquePointer, ofType type: cmark_node_type) -> Bool {
        var current = cmark_node_parent(node)
        while let n = current {
            if cmark_node_get_type(n) == type { return true }
            current = cmark_node_parent(n)
        }
        return false
    }

    static func moveChildren(of node: OpaquePointer, into box: OpaquePointer) {
        while let inner = cmark_node_first_child(node) {
            cmark_node_unlink(inner)
            cmark_node_append_child(box, inner)
        }
    }

    // MARK: Tree helpers

    static func customBlock(enter: [CChar], exit: [CChar]) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
        cmark_node_set_on_enter(node, enter)
        cmark_node_set_on_exit(node, exit)
        return node
    }

    static func htmlInline(_ mark: [CChar]) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_HTML_INLINE)!
        cmark_node_set_literal(node, mark)
        return node
    }

    static func newText(_ text: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_TEXT)!
        cmark_node_set_literal(node, text)
        return node
    }

    static func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    /// The text of a node's text and code descendants.
    static func plainText(_ node: OpaquePointer) -> String {
        var text = ""
        for child in descendants(node, ofTypes: [CMARK_NODE_TEXT, CMARK_NODE_CODE]) { text += literal(child) }
        return text
    }

    static func unlinkAndFree(_ node: OpaquePointer) {
        cmark_node_unlink(node)
        cmark_node_free(node)
    }

    /// Nodes of one type, in document order, collected before any is changed.
    static func descendants(_ root: OpaquePointer, ofType type: cmark_node_type) -> [OpaquePointer] {
        descendants(root, ofTypes: [type])
    }

    static func descendants(_ root: OpaquePointer, ofTypes types: [cmark_node_type]) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        guard let iterator = cmark_iter_new(root) else { return result }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator), types.contains(cmark_node_get_type(node)) {
                result.append(node)
            }
        }
        return result
    }
}
