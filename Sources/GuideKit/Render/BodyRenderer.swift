import Foundation

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
    /// Each term, by its name, with its anchor made once (not once per mark), and the HTML
    /// of its marks as they are made.
    let glossary: [String: GlossaryMarkMemo]
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
        self.glossary = Dictionary(glossary.terms.map { ($0.term, GlossaryMarkMemo($0)) }, uniquingKeysWith: { a, _ in a })
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
        // A body is made at about its size (its HTML, and a little for each construct): grown
        // by doubling, a chapter's was copied a dozen times.
        var output = UTF8Text(capacity: nodes.count > 8 ? nodes.reduce(0) { size, node in
            if case let .html(html) = node { return size + html.count }
            return size + 64
        } : 0)
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
                guard let entry = glossary[mark.term] else { output.append(text: escapeAttribute(mark.text)); continue }
                output.append(text: entry.html(mark) {
                    inline("partials/glossary-mark", GlossaryMarkContext(href: policy.glossaryHref(entry.anchor), text: mark.text,
                                                                         term: entry.term.term, definition: entry.term.definition,
                                                                         isAbbreviation: mark.isAbbreviation))
                })
            case let .task(checked, content):
                inline("partials/task", TaskContext(checked: checked, content: render(content, of: chapter)), into: &output)
            }
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
}

/// A glossary term as a body renderer marks it: its anchor, and the marks of it the renderer
/// has made (a mark's HTML depends on nothing else but the renderer): the same few hundred
/// terms are marked throughout a guide (25,000 marks at 1,000 chapters), and each render of
/// the partial escapes the term's whole definition again. A term is written in a few ways
/// (a plural, a capital, its abbreviation), so its marks are found by comparing, once the
/// term is found by its name.
final class GlossaryMarkMemo: @unchecked Sendable {
    let term: GlossaryTerm
    let anchor: String
    private let lock = NSLock()
    private var made: [(text: String, isAbbreviation: Bool, html: String)] = []

    init(_ term: GlossaryTerm) {
        self.term = term
        anchor = term.anchor
    }

    func html(_ mark: GlossaryMark, make: () -> String) -> String {
        if let known = lock.withLock({ made.first { $0.text == mark.text && $0.isAbbreviation == mark.isAbbreviation }?.html }) { return known }
        let html = make()
        lock.withLock { made.append((mark.text, mark.isAbbreviation, html)) }
        return html
    }
}
