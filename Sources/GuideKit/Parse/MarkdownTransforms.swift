import CCmarkGFM
import Foundation

/// The guide's additions to GitHub Flavored Markdown, applied to cmark's tree before it is
/// rendered: callouts, FAQ blocks and glossary marks. Like `MarkdownParser`, this file works
/// on C nodes that never leave the parse step. New HTML goes in as custom nodes, whose
/// text cmark writes as it is (raw HTML written by authors is still never passed through).
enum MarkdownTransforms {
    // MARK: Callouts

    /// A callout type: GitHub's five alerts and the three "when to get help" urgencies.
    struct CalloutKind {
        var marker: String
        var className: String
        var title: String
    }

    static let calloutKinds: [CalloutKind] = [
        CalloutKind(marker: "NOTE", className: "note", title: "Note"),
        CalloutKind(marker: "TIP", className: "tip", title: "Tip"),
        CalloutKind(marker: "IMPORTANT", className: "important", title: "Important"),
        CalloutKind(marker: "WARNING", className: "warning", title: "Warning"),
        CalloutKind(marker: "CAUTION", className: "caution", title: "Caution"),
        CalloutKind(marker: "EMERGENCY", className: "emergency", title: "Emergency: call emergency services now"),
        CalloutKind(marker: "URGENT", className: "urgent", title: "Urgent: call your care team now, day or night"),
        CalloutKind(marker: "NON-URGENT", className: "non-urgent", title: "Non-urgent: tell your care team soon, or at your next visit"),
    ]

    /// Turns each block quote whose first line is `[!TYPE]` into a labelled callout box.
    /// Returns the markers that were not recognised, with the quote's start line.
    static func applyCallouts(_ document: OpaquePointer) -> [(marker: String, line: Int, column: Int)] {
        var unknown: [(String, Int, Int)] = []
        for quote in descendants(document, ofType: CMARK_NODE_BLOCK_QUOTE) {
            guard let paragraph = cmark_node_first_child(quote), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH else { continue }
            // cmark splits `[!NOTE]` into several text nodes; gather the first line's.
            var firstLine: [OpaquePointer] = []
            var text = ""
            var child = cmark_node_first_child(paragraph)
            while let node = child, cmark_node_get_type(node) == CMARK_NODE_TEXT {
                firstLine.append(node)
                text += cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                child = cmark_node_next(node)
            }
            let marker = text.trimmingCharacters(in: .whitespaces)
            guard marker.hasPrefix("[!"), marker.hasSuffix("]"), marker.count > 3,
                  child == nil || [CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK].contains(cmark_node_get_type(child!)) else { continue }
            let name = String(marker.dropFirst(2).dropLast()).uppercased()
            guard let kind = calloutKinds.first(where: { $0.marker == name }) else {
                unknown.append((name, Int(cmark_node_get_start_line(quote)), Int(cmark_node_get_start_column(quote))))
                continue
            }
            for node in firstLine { unlinkAndFree(node) }
            if let lineBreak = cmark_node_first_child(paragraph) { unlinkAndFree(lineBreak) }
            if cmark_node_first_child(paragraph) == nil { unlinkAndFree(paragraph) }

            let box = customBlock(
                enter: "<div class=\"callout callout-\(kind.className)\" role=\"note\">\n<p class=\"callout-title\"><span class=\"callout-icon\" aria-hidden=\"true\"></span>\(kind.title)</p>",
                exit: "</div>")
            while let inner = cmark_node_first_child(quote) {
                cmark_node_unlink(inner)
                cmark_node_append_child(box, inner)
            }
            cmark_node_insert_before(quote, box)
            unlinkAndFree(quote)
        }
        return unknown
    }


    // MARK: FAQ blocks

    /// Whether a level-2 heading opens an FAQ block.
    static func opensFAQ(_ text: String) -> Bool {
        let lowered = text.trimmingCharacters(in: .whitespaces).lowercased()
        return lowered.hasPrefix("faq") || lowered.hasPrefix("frequently asked questions")
    }

    /// Wraps each question of each FAQ block (a level-3 heading and its answer) in a
    /// `<details>` disclosure widget. `headingNodes` are the heading nodes in document order.
    /// Returns, per question, the index of its heading.
    static func applyFAQ(_ document: OpaquePointer, headings: [ParsedMarkdown.Heading], headingNodes: [OpaquePointer]) -> [Int] {
        var questions: [Int] = []
        var inFAQ = false
        var openQuestion = false
        var headingIndex: [OpaquePointer: Int] = [:]
        for (i, node) in headingNodes.enumerated() { headingIndex[node] = i }
        func closeQuestion(before node: OpaquePointer?) {
            guard openQuestion else { return }
            let close = customBlock(enter: "</div>\n</details>", exit: "")
            if let node { cmark_node_insert_before(node, close) } else { cmark_node_append_child(document, close) }
            openQuestion = false
        }
        var child = cmark_node_first_child(document)
        while let node = child {
            child = cmark_node_next(node)
            guard cmark_node_get_type(node) == CMARK_NODE_HEADING, let index = headingIndex[node] else { continue }
            let level = headings[index].level
            if level <= 2 {
                closeQuestion(before: node)
                inFAQ = level == 2 && opensFAQ(headings[index].text)
            } else if level == 3 && inFAQ {
                closeQuestion(before: node)
                cmark_node_insert_before(node, customBlock(enter: "<details class=\"faq\">\n<summary>", exit: ""))
                cmark_node_insert_after(node, customBlock(enter: "</summary>\n<div class=\"faq-answer\">", exit: ""))
                openQuestion = true
                questions.append(index)
            }
        }
        closeQuestion(before: nil)
        return questions
    }

    // MARK: Glossary

    /// Marks the first use of each glossary term in ordinary text, never inside headings,
    /// links, images or code (see `GlossaryMatcher` for how terms match).
    /// Returns the indexes of the terms that were marked.
    static func applyGlossary(_ document: OpaquePointer, matcher: GlossaryMatcher, glossaryPage: String) -> [Int] {
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
                let href = "\(glossaryPage)#\(escapeAttribute(term.anchor))"
                let mark: String
                let close: String
                if match.isAbbreviation {
                    mark = "<a class=\"glossary-term\" href=\"\(href)\"><abbr title=\"\(escapeAttribute(term.term + ": " + term.definition))\">"
                    close = "</abbr></a>"
                } else {
                    mark = "<a class=\"glossary-term\" href=\"\(href)\"><dfn title=\"\(escapeAttribute(term.definition))\">"
                    close = "</dfn></a>"
                }
                let before = String(String.UnicodeScalarView(original[..<match.range.lowerBound]))
                let matched = String(String.UnicodeScalarView(original[match.range]))
                let after = String(String.UnicodeScalarView(original[match.range.upperBound...]))
                let inline = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
                cmark_node_set_on_enter(inline, mark)
                cmark_node_set_on_exit(inline, close)
                let matchedText = cmark_node_new(CMARK_NODE_TEXT)!
                cmark_node_set_literal(matchedText, matched)
                cmark_node_append_child(inline, matchedText)
                cmark_node_set_literal(node, before)
                cmark_node_insert_after(node, inline)
                let rest = cmark_node_new(CMARK_NODE_TEXT)!
                cmark_node_set_literal(rest, after)
                cmark_node_insert_after(inline, rest)
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
            case CMARK_NODE_HEADING, CMARK_NODE_LINK, CMARK_NODE_IMAGE, CMARK_NODE_CUSTOM_INLINE, CMARK_NODE_CUSTOM_BLOCK:
                // Custom blocks hold callouts, whose body is ordinary text; only marks are custom inlines.
                if cmark_node_get_type(n) != CMARK_NODE_CUSTOM_BLOCK { return true }
            default:
                break
            }
            current = cmark_node_parent(n)
        }
        return false
    }

    // MARK: Tree helpers

    static func customBlock(enter: String, exit: String) -> OpaquePointer {
        let node = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
        cmark_node_set_on_enter(node, enter)
        cmark_node_set_on_exit(node, exit)
        return node
    }

    static func unlinkAndFree(_ node: OpaquePointer) {
        cmark_node_unlink(node)
        cmark_node_free(node)
    }

    /// Nodes of one type, in document order, collected before any is changed.
    static func descendants(_ root: OpaquePointer, ofType type: cmark_node_type) -> [OpaquePointer] {
        var result: [OpaquePointer] = []
        guard let iterator = cmark_iter_new(root) else { return result }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator), cmark_node_get_type(node) == type {
                result.append(node)
            }
        }
        return result
    }
}
