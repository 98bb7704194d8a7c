import Foundation
import Synchronization

/// How a page writes addresses. On the site, links lead to pages; in the one-page print
/// edition, links to printed chapters and to the glossary lead inside the page, and every
/// heading's anchor carries its chapter's (`a3-…`) so that chapters' headings do not clash.
public struct URLPolicy: Sendable {
    public enum Page: Sendable {
        case site
        /// The print edition, holding these chapters.
        case printEdition(Set<ChapterID>)
        /// Another page of the site that shows parts of chapters (the call card): a link to
        /// a heading leads to the heading's chapter page.
        case otherPage
    }
    public var page: Page
    public var glossaryPage = "glossary.html"
    /// Put before a content file's path: "../" on a translation's pages.
    public var filesRoot = ""
    /// The print edition's glossary holds the terms (false for chapters shown in the source
    /// language, whose terms are on the source glossary page).
    public var glossaryInPage = true

    public static let site = URLPolicy(page: .site)

    /// The address of a link in `chapter`.
    func href(_ destination: LinkDestination, in chapter: ChapterID) -> String {
        let href: String
        switch destination {
        case let .chapter(id, heading):
            if case let .printEdition(printed) = page, printed.contains(id) {
                href = "#" + PrintEdition.anchor(id) + (heading.map { "-" + $0 } ?? "")
            } else {
                href = heading.map { String(page: id.pageName, anchor: $0) } ?? id.pageName
            }
        case let .heading(anchor):
            if case .otherPage = page { href = String(page: chapter.pageName, anchor: anchor) } else { href = "#" + headingAnchor(anchor, in: chapter) }
        case let .file(path, fragment):
            let table = Self.pathAllowedASCII
            // Most paths need nothing (`assets/x.png`): taken as they are, not cut at each
            // slash and joined again, when every byte may stand in a path and no part is empty.
            var bytes = path
            let plain = bytes.withUTF8 { bytes in
                !bytes.isEmpty && bytes.first != UInt8(ascii: "/") && bytes.last != UInt8(ascii: "/")
                    && bytes.allSatisfy { $0 < 0x80 && table[Int($0)] } && indexOfPair(UInt8(ascii: "/"), UInt8(ascii: "/"), in: bytes) == nil
            }
            let encoded = plain ? path : path.slashSeparatedParts.map { part in
                // Most names need nothing: a byte check spares building Foundation's answer.
                if part.utf8.allSatisfy({ $0 < 0x80 && table[Int($0)] }) { return String(part) }
                return String(part).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String(part)
            }.joined(separator: "/")
            href = filesRoot + encoded + (fragment.map { "#" + $0 } ?? "")
        case let .external(url):
            href = url
        case .nowhere:
            href = "#"
        }
        return Self.encode(href)
    }

    /// The `id` of a heading of `chapter` on this page.
    func headingAnchor(_ slug: String, in chapter: ChapterID) -> String {
        let prefix = headingPrefix(in: chapter)
        return prefix.isEmpty ? slug : prefix + slug
    }

    /// What the `id` of each heading of `chapter` starts with on this page: nothing on the
    /// site, `a3-` in the print edition.
    func headingPrefix(in chapter: ChapterID) -> String {
        if case .printEdition = page { return PrintEdition.anchor(chapter) + "-" }
        return ""
    }

    /// The address of a glossary entry.
    func glossaryHref(_ anchor: String) -> String {
        if case .printEdition = page, glossaryInPage { return "#glossary-" + anchor }
        return glossaryPage + "#" + anchor
    }

    /// Percent-encodes what may not stand in a URL, keeping what already is encoded.
    static func encode(_ href: String) -> String {
        // Most addresses need nothing: a byte check spares building Foundation's answer (the
        // table read once: a global is checked for its first use at each read).
        let table = allowedASCII
        var bytes = href
        if bytes.withUTF8({ $0.allSatisfy { $0 < 0x80 && table[Int($0)] } }) { return href }
        return href.addingPercentEncoding(withAllowedCharacters: allowed) ?? href
    }

    private static let allowed: CharacterSet = {
        var set = CharacterSet.urlQueryAllowed
        set.insert(charactersIn: "#%")
        return set
    }()

    private static let allowedASCII: [Bool] = (0..<128).map { byte in
        allowed.contains(Unicode.Scalar(UInt8(byte)))
    }

    private static let pathAllowedASCII: [Bool] = (0..<128).map { byte in
        CharacterSet.urlPathAllowed.contains(Unicode.Scalar(UInt8(byte)))
    }
}

/// The one renderer of chapter bodies: cmark-gfm's HTML as it is, and each construct the
/// guide adds through its partial in `Templates/partials/`, under a URL policy.
struct BodyRenderer {
    /// The partial of each construct, under `partials/`.
    static let partials = ["heading", "callout", "faq", "link", "image", "glossary-mark", "task"]

    let templates: TemplateSet
    let strings: Strings
    /// Each term, found by its name, with its anchor made once (not once per mark), and the
    /// HTML of its marks as they are made.
    let glossary: GlossaryMarkMemos
    let policy: URLPolicy
    /// The page's language, given to callout labels when the body is in another.
    let labelLanguage: String?
    let partials: TemplateShapes
    /// The emergency number the emergency box's label names, if any.
    var emergencyNumber: String?

    /// `partials`, when given, are the compiled partials of other body renderers of the same
    /// templates (a site's pages, print edition and call card), so each shape is compiled once.
    init(templates: TemplateSet, strings: Strings, glossary: Glossary, policy: URLPolicy, emergencyNumber: String? = nil,
         labelLanguage: String? = nil, partials: TemplateShapes? = nil) {
        self.labelLanguage = labelLanguage
        self.templates = templates
        self.emergencyNumber = emergencyNumber
        self.partials = partials ?? TemplateShapes(templates: templates, forPartials: true)
        self.strings = strings
        self.glossary = GlossaryMarkMemos(glossary.terms)
        self.policy = policy
    }

    /// The parts of a chapter a body needs: what was parsed, where its links lead, its id,
    /// and what its headings' ids start with on this page (made once, not for each heading).
    struct Chapter {
        var markdown: ParsedMarkdown
        var links: [ResolvedLink]
        var id: ChapterID
        var headingPrefix: String

        /// A heading's `id` on this page (`URLPolicy.headingAnchor`).
        func headingAnchor(_ slug: String) -> String { headingPrefix.isEmpty ? slug : headingPrefix + slug }
    }

    private func parts(_ chapter: ResolvedChapter) -> Chapter {
        Chapter(markdown: chapter.chapter.markdown, links: chapter.links, id: chapter.id, headingPrefix: policy.headingPrefix(in: chapter.id))
    }

    /// A chapter's body as HTML.
    func render(_ chapter: ResolvedChapter) -> String {
        render(parts(chapter))
    }

    func render(_ chapter: Chapter) -> String {
        render(chapter.markdown.body, of: chapter)
    }

    /// How `render(chapter)` ends, found by rendering only its last nodes: a body is its
    /// nodes' HTML one after another. The print edition's shape needs it before its bodies
    /// are made (`DeferredText`).
    func ending(_ chapter: ResolvedChapter) -> DeferredText.Ending {
        ending(parts(chapter))
    }

    func ending(_ parts: Chapter) -> DeferredText.Ending {
        // A text ends with the character "\n" when its last scalar is a line feed that no
        // carriage return comes before (the two would be one character).
        var last: [Unicode.Scalar] = []
        for node in parts.markdown.body.reversed() {
            let html = render([node], of: parts)
            last = Array(html.unicodeScalars.suffix(2 - last.count)) + last
            if last.count == 2 || !last.isEmpty && last.last != "\n" { break }
        }
        guard let final = last.last else { return .empty }
        if final == "\r" { return .carriageReturn }
        return final == "\n" && (last.count < 2 || last[0] != "\r") ? .lineBreak : .other
    }

    /// A chapter's own title (its body's first node, when that is a level-1 heading) and
    /// the rest of its body, apart: the chapter page puts "On this page" between them.
    func renderTitleApart(_ chapter: ResolvedChapter) -> (title: String?, body: String) {
        let parts = parts(chapter)
        guard case let .heading(index, _)? = parts.markdown.body.first, parts.markdown.headings[index].level == 1 else {
            return (nil, render(parts))
        }
        var title = render([parts.markdown.body[0]], of: parts)
        if title.endsWithLineBreak { title.removeLast() }
        return (title, render(Array(parts.markdown.body.dropFirst()), of: parts))
    }

    /// The chapter's "when to get help" boxes, each whole, in document order.
    func urgencyBoxes(_ chapter: ResolvedChapter) -> [(kind: CalloutKind, html: String)] {
        let parts = parts(chapter)
        return BodyNode.flatten(parts.markdown.body).compactMap { node in
            guard case let .callout(kind, _) = node, kind.isUrgency else { return nil }
            return (kind, render([node], of: parts))
        }
    }

    private func render(_ nodes: [BodyNode], of chapter: Chapter) -> String {
        var output = UTF8Text(capacity: Self.estimatedSize(nodes))
        render(nodes, of: chapter, into: &output)
        return output.string
    }

    private func render(_ nodes: [BodyNode], of chapter: Chapter, into output: inout UTF8Text) {
        let markdown = chapter.markdown
        for node in nodes {
            switch node {
            case let .html(html):
                output.append(html: html)
            case let .heading(index, content):
                let heading = markdown.headings[index]
                append(block: "partials/heading", HeadingContext(level: heading.level, anchor: chapter.headingAnchor(heading.slug),
                                                                  content: render(content, of: chapter)), to: &output)
            case let .callout(kind, body):
                append(block: "partials/callout", CalloutContext(kind: kind.rawValue, label: strings.calloutLabel(kind, emergencyNumber: emergencyNumber),
                                                                  body: render(body, of: chapter), labelLanguage: labelLanguage), to: &output)
            case let .faq(index, question, answer):
                append(block: "partials/faq", FAQContext(anchor: chapter.headingAnchor(markdown.headings[index].slug),
                                                          question: render(question, of: chapter), answer: render(answer, of: chapter)), to: &output)
            case let .link(index, content):
                let written = markdown.links[index]
                let resolved = chapter.links[index]
                var words = render(content, of: chapter)
                if content.isEmpty { words = escapeAttribute(resolved.fillText ?? "") }
                inline("partials/link", LinkContext(href: policy.href(resolved.destination, in: chapter.id), title: written.title,
                                                    content: words), into: &output)
            case let .image(index, alt):
                inline("partials/image", ImageContext(src: policy.href(chapter.links[index].destination, in: chapter.id), alt: alt,
                                                      title: markdown.links[index].title), into: &output)
            case let .glossaryMark(mark):
                output.append(text: markHTML(mark))
            case let .task(checked, content):
                inline("partials/task", TaskContext(checked: checked, content: render(content, of: chapter)), into: &output)
            }
        }
    }

    /// A glossary mark's HTML: its partial, made once per way of writing the term.
    private func markHTML(_ mark: GlossaryMark) -> String {
        guard let entry = glossary.memo(named: mark.term) else { return escapeAttribute(mark.text) }
        return entry.html(mark) {
            inline("partials/glossary-mark", GlossaryMarkContext(href: policy.glossaryHref(entry.anchor), text: mark.text,
                                                                 term: entry.term.term, definition: entry.term.definition,
                                                                 isAbbreviation: mark.isAbbreviation))
        }
    }

    /// A block construct: its partial (named with its folder), then a line break, as
    /// cmark-gfm ends its blocks.
    private func append<Context: FlatTemplateContext>(block partial: String, _ context: Context, to output: inout UTF8Text) {
        inline(partial, context, into: &output)
        output.append(byte: UInt8(ascii: "\n"))
    }

    /// An inline construct: its partial, less the line break an editor leaves at the end of
    /// the file (which would put a space before the next word), added to `output`.
    private func inline<Context: FlatTemplateContext>(_ partial: String, _ context: Context, into output: inout UTF8Text) {
        partials.render(partial, flat: context, into: &output, droppingFinalLineBreak: true)
    }

    /// The same, as a text of its own.
    private func inline<Context: FlatTemplateContext>(_ partial: String, _ context: Context) -> String {
        var text = UTF8Text()
        inline(partial, context, into: &text)
        return text.string
    }

    // MARK: The page body and the print edition's, from one render

    /// A range of a page body where the print edition's body of the same chapter has other
    /// bytes: an address or a heading id, which the two policies write differently.
    struct PrintSwap {
        var range: Range<Int>
        /// Where its bytes are in the render's `PrintTwin.swapBytes`.
        var bytes: Range<Int>
    }

    /// What the print edition's body is made with: its renderer, and the chapter's parts
    /// under its policy.
    private final class PrintTwin {
        let renderer: BodyRenderer
        let chapter: Chapter
        /// Where a partial wrote its values, kept for the next partial.
        var writes: [TemplateShapes.ValueWrite] = []
        /// The bytes of every swap, one after another.
        var swapBytes = UTF8Text(capacity: 4096)

        init(renderer: BodyRenderer, chapter: Chapter) {
            (self.renderer, self.chapter) = (renderer, chapter)
        }
    }

    /// A nested body (a heading's words, a box's body) as the page has it, and its swaps.
    private struct Nested {
        var bytes: UTF8Text
        var text: String
        var swaps: [PrintSwap]
        /// False when the print body cannot be made from the page's.
        var shared: Bool
    }

    /// A chapter's page body with its title apart (`renderTitleApart`) and its body in the
    /// print edition (`print.render(chapter)`), from one render.
    struct PageAndPrint {
        var title: String?
        var body: String
        var print: String
        /// Whether the print body was made by swaps, not rendered on its own.
        var swapped: Bool
    }

    /// The page and print bodies of a chapter from one render: the two differ only in the
    /// addresses and heading ids their policies write, so the print body is the page body
    /// with those swapped, not rendered again. Where a swap could change how a partial is
    /// written (a partial swift-mustache renders, a value written escaped around another's
    /// swaps, a swap that would change a value's kind or the line break a construct drops),
    /// the print body is rendered on its own.
    func renderTitleApart(_ chapter: ResolvedChapter, printedBy print: BodyRenderer) -> PageAndPrint {
        let parts = parts(chapter)
        let twin = PrintTwin(renderer: print, chapter: print.parts(chapter))
        let nodes = parts.markdown.body
        var shared = true
        var title: String?
        var printed = UTF8Text(capacity: Self.estimatedSize(nodes))
        var rest = nodes
        if case let .heading(index, _)? = nodes.first, parts.markdown.headings[index].level == 1 {
            var titleText = UTF8Text(), titleSwaps: [PrintSwap] = []
            shared = render([nodes[0]], of: parts, twin: twin, into: &titleText, swaps: &titleSwaps)
            var text = titleText.string
            if text.endsWithLineBreak { text.removeLast() }
            title = text
            if shared { Self.apply(titleSwaps, to: titleText, from: twin.swapBytes, into: &printed) }
            rest.removeFirst()
        }
        var body = UTF8Text(capacity: Self.estimatedSize(rest)), swaps: [PrintSwap] = []
        shared = render(rest, of: parts, twin: twin, into: &body, swaps: &swaps) && shared
        guard shared else { return PageAndPrint(title: title, body: body.string, print: print.render(chapter), swapped: false) }
        Self.apply(swaps, to: body, from: twin.swapBytes, into: &printed)
        return PageAndPrint(title: title, body: body.string, print: printed.string, swapped: true)
    }

    /// About the size of nodes' HTML (each construct a little more than its text): a body
    /// is made at about its size; grown by doubling, a chapter's was copied a dozen times.
    private static func estimatedSize(_ nodes: [BodyNode]) -> Int {
        nodes.count > 8 ? nodes.reduce(0) { size, node in
            if case let .html(html) = node { return size + html.count }
            return size + 64
        } : 0
    }

    /// `text` with `swaps` (in order, apart; their bytes in `swapBytes`) made, added to `output`.
    private static func apply(_ swaps: [PrintSwap], to text: UTF8Text, from swapBytes: UTF8Text, into output: inout UTF8Text) {
        swapBytes.withBytes { replacements in
            text.withBytes { bytes in
                var at = 0
                for swap in swaps {
                    output.append(bytes: UnsafeBufferPointer(rebasing: bytes[at..<swap.range.lowerBound]))
                    output.append(bytes: UnsafeBufferPointer(rebasing: replacements[swap.bytes]))
                    at = swap.range.upperBound
                }
                output.append(bytes: UnsafeBufferPointer(rebasing: bytes[at...]))
            }
        }
    }

    /// `render(_:of:into:)`, adding to `swaps` where the print body differs; false when the
    /// print body cannot be made from this one (the page's text is still whole). A walk of
    /// its own, beside the plain one: folded into one walk with the twin optional, the plain
    /// renders (serve, short guides, call cards) and this one both cost more (main process
    /// 1,706 -> 1,748 M instructions at 1,000 chapters).
    private func render(_ nodes: [BodyNode], of chapter: Chapter, twin: PrintTwin, into output: inout UTF8Text,
                        swaps: inout [PrintSwap]) -> Bool {
        let markdown = chapter.markdown
        var shared = true
        for node in nodes {
            switch node {
            case let .html(html):
                output.append(html: html)
            case let .heading(index, content):
                let heading = markdown.headings[index]
                let words = nested(content, of: chapter, twin: twin)
                shared = partial("partials/heading", HeadingContext(level: heading.level, anchor: chapter.headingAnchor(heading.slug), content: words.text),
                                 block: true, swapped: (1, twin.chapter.headingAnchor(heading.slug)), inner: [(2, words)],
                                 twin: twin, into: &output, swaps: &swaps) && shared
            case let .callout(kind, body):
                let inside = nested(body, of: chapter, twin: twin)
                shared = partial("partials/callout", CalloutContext(kind: kind.rawValue, label: strings.calloutLabel(kind, emergencyNumber: emergencyNumber),
                                                                    body: inside.text, labelLanguage: labelLanguage),
                                 block: true, swapped: nil, inner: [(2, inside)], twin: twin, into: &output, swaps: &swaps) && shared
            case let .faq(index, question, answer):
                let slug = markdown.headings[index].slug
                let asked = nested(question, of: chapter, twin: twin), answered = nested(answer, of: chapter, twin: twin)
                shared = partial("partials/faq", FAQContext(anchor: chapter.headingAnchor(slug), question: asked.text, answer: answered.text),
                                 block: true, swapped: (0, twin.chapter.headingAnchor(slug)), inner: [(1, asked), (2, answered)],
                                 twin: twin, into: &output, swaps: &swaps) && shared
            case let .link(index, content):
                let resolved = chapter.links[index]
                var words = nested(content, of: chapter, twin: twin)
                if content.isEmpty { words.text = escapeAttribute(resolved.fillText ?? "") }
                let href = policy.href(resolved.destination, in: chapter.id)
                let printHref = twin.renderer.policy.href(twin.chapter.links[index].destination, in: chapter.id)
                shared = partial("partials/link", LinkContext(href: href, title: markdown.links[index].title, content: words.text),
                                 block: false, swapped: href == printHref ? nil : (0, printHref), inner: [(1, words)],
                                 twin: twin, into: &output, swaps: &swaps) && shared
            case let .image(index, alt):
                let src = policy.href(chapter.links[index].destination, in: chapter.id)
                let printSrc = twin.renderer.policy.href(twin.chapter.links[index].destination, in: chapter.id)
                shared = partial("partials/image", ImageContext(src: src, alt: alt, title: markdown.links[index].title),
                                 block: false, swapped: src == printSrc ? nil : (0, printSrc), inner: [], twin: twin, into: &output, swaps: &swaps) && shared
            case let .glossaryMark(mark):
                let html = markHTML(mark), printHTML = twin.renderer.markHTML(mark)
                let start = output.count
                output.append(text: html)
                if html != printHTML {
                    let from = twin.swapBytes.count
                    twin.swapBytes.append(text: printHTML)
                    swaps.append(PrintSwap(range: start..<output.count, bytes: from..<twin.swapBytes.count))
                }
            case let .task(checked, content):
                let words = nested(content, of: chapter, twin: twin)
                shared = partial("partials/task", TaskContext(checked: checked, content: words.text), block: false, swapped: nil, inner: [(1, words)],
                                 twin: twin, into: &output, swaps: &swaps) && shared
            }
        }
        return shared
    }

    /// Nodes inside a construct, rendered on their own, with their swaps and whether the
    /// print body can be made from them.
    private func nested(_ nodes: [BodyNode], of chapter: Chapter, twin: PrintTwin) -> Nested {
        var bytes = UTF8Text(capacity: Self.estimatedSize(nodes)), swaps: [PrintSwap] = []
        let shared = render(nodes, of: chapter, twin: twin, into: &bytes, swaps: &swaps)
        return Nested(bytes: bytes, text: bytes.string, swaps: swaps, shared: shared)
    }

    /// A construct's partial, as `append(block:)` (`block`) or `inline` writes it, adding to
    /// `swaps` where the print body differs: there the value at `swapped.place` (in the
    /// context's `flatValues`) is `swapped.text`, and the nested bodies at `inner`'s places
    /// have swaps of their own. False when the print body cannot be made from this one.
    private func partial<Context: FlatTemplateContext>(_ name: String, _ context: Context, block: Bool, swapped: (place: Int, text: String)?,
                                                       inner: [(place: Int, nested: Nested)], twin: PrintTwin, into output: inout UTF8Text,
                                                       swaps: inout [PrintSwap]) -> Bool {
        // Where nothing in it is swapped, the print body has the partial as the page has it.
        let record = swapped != nil || inner.contains { !$0.nested.swaps.isEmpty }
        let (recorded, end) = partials.renderRecording(name, flat: context, into: &output, record: record, writes: &twin.writes)
        if block { output.append(byte: UInt8(ascii: "\n")) }
        guard inner.allSatisfy(\.nested.shared) else { return false }
        if record {
            guard recorded else { return false }
            // A swap must leave the partial's shape as it is: each value of the same kind.
            if let swapped, case let .text(text) = context.flatValues[swapped.place], !TemplateShapes.sameKind(text, swapped.text) { return false }
            for (_, nested) in inner where !Self.keepsKind(nested, twin: twin) { return false }
            for write in twin.writes {
                if let swapped, write.value == swapped.place {
                    let from = twin.swapBytes.count
                    TemplateShapes.write(swapped.text, escaped: write.escaped, into: &twin.swapBytes)
                    swaps.append(PrintSwap(range: write.range, bytes: from..<twin.swapBytes.count))
                } else if let nested = inner.first(where: { $0.place == write.value })?.nested, !nested.swaps.isEmpty {
                    // Escaped, a nested body's bytes are not where its swaps say.
                    guard !write.escaped else { return false }
                    for swap in nested.swaps {
                        let range = swap.range.lowerBound + write.range.lowerBound..<swap.range.upperBound + write.range.lowerBound
                        // A text that ends with a line break is written without it.
                        guard range.upperBound <= write.range.upperBound else { return false }
                        swaps.append(PrintSwap(range: range, bytes: swap.bytes))
                    }
                }
            }
        }
        // A construct's final line break goes or stays by its last two bytes.
        if let last = swaps.last, last.range.upperBound > end - 2 { return false }
        return true
    }

    /// Whether a nested body made with its swaps is of the same kind (`TemplateShapes.sameKind`),
    /// which its last two bytes decide.
    private static func keepsKind(_ nested: Nested, twin: PrintTwin) -> Bool {
        guard let last = nested.swaps.last, last.range.upperBound > nested.bytes.count - 2 else { return true }
        var printed = UTF8Text()
        apply(nested.swaps, to: nested.bytes, from: twin.swapBytes, into: &printed)
        return nested.bytes.withBytes { page in printed.withBytes { TemplateShapes.sameKind(page, $0) } }
    }

}

/// A body renderer's glossary terms, each found by its name (as a mark names it; the first
/// of two terms with one name). Looked up by the name's bytes (`ByteKeys`): a dictionary of
/// strings hashed each name whole, and every mark of every chapter is looked up, for its page
/// and for the print edition (61,000 at 1,000 chapters).
final class GlossaryMarkMemos: Sendable {
    private let names: ByteKeys
    /// By each name's number in `names`.
    private let memos: [GlossaryMarkMemo]

    init(_ terms: [GlossaryTerm]) {
        var names = ByteKeys(), memos: [GlossaryMarkMemo] = []
        for term in terms {
            var name = term.term
            if name.withUTF8({ names.number(of: $0)?.added }) == true { memos.append(GlossaryMarkMemo(term)) }
        }
        (self.names, self.memos) = (names, memos)
    }

    func memo(named name: String) -> GlossaryMarkMemo? {
        var name = name
        return name.withUTF8 { names.find($0) }.map { memos[$0] }
    }
}

/// A glossary term as a body renderer marks it: its anchor, and the marks of it the renderer
/// has made (a mark's HTML depends on nothing else but the renderer): the same few hundred
/// terms are marked throughout a guide (25,000 marks at 1,000 chapters), and each render of
/// the partial escapes the term's whole definition again. A term is written in a few ways
/// (a plural, a capital, its abbreviation), so its marks are found by comparing, once the
/// term is found by its name.
final class GlossaryMarkMemo: Sendable {
    let term: GlossaryTerm
    let anchor: String
    /// A `Mutex`, not an `NSLock` beside a variable: every mark takes it, and the variable's
    /// every use was also checked for exclusive access.
    private let made = Mutex<[(text: String, isAbbreviation: Bool, html: String)]>([])

    init(_ term: GlossaryTerm) {
        self.term = term
        anchor = term.anchor
    }

    func html(_ mark: GlossaryMark, make: () -> String) -> String {
        if let known = made.withLock({ $0.first { $0.text == mark.text && $0.isAbbreviation == mark.isAbbreviation }?.html }) { return known }
        let html = make()
        made.withLock { $0.append((mark.text, mark.isAbbreviation, html)) }
        return html
    }
}
