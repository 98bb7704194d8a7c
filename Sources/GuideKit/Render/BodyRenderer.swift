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
                href = id.pageName + (heading.map { "#" + $0 } ?? "")
            }
        case let .heading(anchor):
            if case .otherPage = page { href = chapter.pageName + "#" + anchor } else { href = "#" + headingAnchor(anchor, in: chapter) }
        case let .file(path, fragment):
            href = filesRoot + path.split(separator: "/").map { part in
                // Most names need nothing: a byte check spares building Foundation's answer.
                if part.utf8.allSatisfy({ $0 < 0x80 && Self.pathAllowedASCII[Int($0)] }) { return String(part) }
                return String(part).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String(part)
            }.joined(separator: "/") + (fragment.map { "#" + $0 } ?? "")
        case let .external(url):
            href = url
        case .nowhere:
            href = "#"
        }
        return Self.encode(href)
    }

    /// The `id` of a heading of `chapter` on this page.
    func headingAnchor(_ slug: String, in chapter: ChapterID) -> String {
        if case .printEdition = page { return PrintEdition.anchor(chapter) + "-" + slug }
        return slug
    }

    /// The address of a glossary entry.
    func glossaryHref(_ anchor: String) -> String {
        if case .printEdition = page, glossaryInPage { return "#glossary-" + anchor }
        return glossaryPage + "#" + anchor
    }

    /// Percent-encodes what may not stand in a URL, keeping what already is encoded.
    static func encode(_ href: String) -> String {
        // Most addresses need nothing: a byte check spares building Foundation's answer.
        if href.utf8.allSatisfy({ $0 < 0x80 && allowedASCII[Int($0)] }) { return href }
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

/// An address or anchor of a chapter body that differs from page to page (the chapter's
/// page, the print edition): left as a slot when the body is rendered once for both.
enum BodySlot: Sendable {
    /// A heading's or question's anchor, by its slug.
    case anchor(String)
    /// A link to a chapter or to a heading.
    case href(LinkDestination)
    /// A glossary mark's address, by the term's anchor.
    case glossary(String)
}

/// A chapter body rendered once, each address that depends on the page a slot: filled in
/// for the chapter's page and for the print edition, instead of rendering the body twice.
struct BodyTemplate: Sendable {
    /// The HTML, each slot written as `\u{1}\u{2}<n>\u{3}`.
    let text: String
    let slots: [BodySlot]

    /// The body under `policy`; nil where a slot's value would need escaping (the partial
    /// may have escaped it, or not), which the caller then renders whole.
    func filled(_ policy: URLPolicy, in chapter: ChapterID) -> String? {
        let values = slots.map { slot -> String in
            switch slot {
            case let .anchor(slug): return policy.headingAnchor(slug, in: chapter)
            case let .href(destination): return policy.href(destination, in: chapter)
            case let .glossary(anchor): return policy.glossaryHref(anchor)
            }
        }
        guard values.allSatisfy({ !$0.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) }) else {
            return nil
        }
        var output = [UInt8]()
        var text = text
        text.withUTF8 { bytes in
            output.reserveCapacity(bytes.count + values.count * 16)
            var i = 0
            while i < bytes.count {
                guard bytes[i] == 0x01 else {
                    var j = i
                    while j < bytes.count, bytes[j] != 0x01 { j += 1 }
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
                    i = j
                    continue
                }
                // A slot, as `BodyRenderer` wrote it and checked it.
                var number = 0
                i += 2
                while bytes[i] != 0x03 {
                    number = number * 10 + Int(bytes[i] - 0x30)
                    i += 1
                }
                i += 1
                output.append(contentsOf: values[number].utf8)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether every `\u{1}` of `text` begins a slot numbered below `count`.
    static func slotsAreWhole(_ text: String, count: Int) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                defer { i += 1 }
                guard bytes[i] == 0x01 else { continue }
                guard i + 1 < bytes.count, bytes[i + 1] == 0x02 else { return false }
                var j = i + 2, number = 0
                while j < bytes.count, bytes[j] >= 0x30, bytes[j] <= 0x39, j - i < 12 {
                    number = number * 10 + Int(bytes[j] - 0x30)
                    j += 1
                }
                guard j > i + 2, j < bytes.count, bytes[j] == 0x03, number < count else { return false }
                i = j
            }
            return true
        }
    }
}

/// The slots of one body being rendered, in order.
private final class SlotRecorder {
    var slots: [BodySlot] = []
    func slot(_ slot: BodySlot) -> String {
        slots.append(slot)
        return "\u{1}\u{2}\(slots.count - 1)\u{3}"
    }
}

/// The one renderer of chapter bodies: cmark-gfm's HTML as it is, and each construct the
/// guide adds through its partial in `Templates/partials/`, under a URL policy.
struct BodyRenderer {
    /// The partial of each construct, under `partials/`.
    static let partials = ["heading", "callout", "faq", "link", "image", "glossary-mark", "task"]

    let templates: TemplateSet
    let strings: Strings
    /// Each term, by its name, with its anchor made once (not once per mark).
    let glossary: [String: (term: GlossaryTerm, anchor: String)]
    let policy: URLPolicy
    /// The page's language, given to callout labels when the body is in another.
    let labelLanguage: String?
    let partials: TemplateShapes
    /// The emergency number the emergency box's label names, if any.
    var emergencyNumber: String?

    init(templates: TemplateSet, strings: Strings, glossary: Glossary, policy: URLPolicy, emergencyNumber: String? = nil,
         labelLanguage: String? = nil) {
        self.labelLanguage = labelLanguage
        self.templates = templates
        self.emergencyNumber = emergencyNumber
        partials = TemplateShapes(templates: templates, compileAtFirstUse: true)
        self.strings = strings
        self.glossary = Dictionary(glossary.terms.map { ($0.term, ($0, $0.anchor)) }, uniquingKeysWith: { a, _ in a })
        self.policy = policy
        // Slots pass through partials as they are, unless swift-mustache transforms a
        // partial's values; nor may a text a partial shows hold the slots' first character.
        let direct = templates.directTemplates
        slotsAreSafe = !Self.partials.contains { direct.contains("partials/" + $0) }
            && !glossary.terms.contains { ($0.term + $0.definition).utf8.contains(0x01) }
            && !strings.values.values.contains { $0.utf8.contains(0x01) }
            && !(emergencyNumber ?? "").utf8.contains(0x01)
    }

    /// Whether bodies can be rendered once with slots (`template`).
    private let slotsAreSafe: Bool

    /// The parts of a chapter a body needs: what was parsed, where its links lead, its id.
    struct Chapter {
        var markdown: ParsedMarkdown
        var links: [ResolvedLink]
        var id: ChapterID
    }

    /// A chapter's body as HTML.
    func render(_ chapter: ResolvedChapter) -> String {
        render(Chapter(markdown: chapter.chapter.markdown, links: chapter.links, id: chapter.id))
    }

    func render(_ chapter: Chapter) -> String {
        var output = ""
        render(chapter.markdown.body, of: chapter, into: &output)
        return output
    }

    /// A chapter's own title (its body's first node, when that is a level-1 heading) and
    /// the rest of its body, apart: the chapter page puts "On this page" between them.
    func renderTitleApart(_ chapter: ResolvedChapter) -> (title: String?, body: String) {
        let parts = Chapter(markdown: chapter.chapter.markdown, links: chapter.links, id: chapter.id)
        guard case let .heading(index, _)? = parts.markdown.body.first, parts.markdown.headings[index].level == 1 else {
            return (nil, render(parts))
        }
        var title = render([parts.markdown.body[0]], of: parts)
        if title.hasSuffix("\n") { title.removeLast() }
        return (title, render(Array(parts.markdown.body.dropFirst()), of: parts))
    }

    /// `renderTitleApart`'s two parts rendered once with their addresses as slots, for any
    /// policy to fill in (`BodyTemplate.filled`); nil when the chapter's text or the
    /// templates could confuse a slot, and the body is then rendered for each page.
    func templateTitleApart(_ chapter: ResolvedChapter) -> (title: BodyTemplate?, body: BodyTemplate)? {
        guard slotsAreSafe, !chapter.chapter.file.text.utf8.contains(0x01),
              !chapter.links.contains(where: { $0.fillText?.utf8.contains(0x01) == true }) else { return nil }
        let parts = Chapter(markdown: chapter.chapter.markdown, links: chapter.links, id: chapter.id)
        func template(_ nodes: [BodyNode], trimmingLineBreak: Bool) -> BodyTemplate? {
            let recorder = SlotRecorder()
            var text = ""
            render(nodes, of: parts, into: &text, slots: recorder)
            if trimmingLineBreak, text.hasSuffix("\n") { text.removeLast() }
            guard BodyTemplate.slotsAreWhole(text, count: recorder.slots.count) else { return nil }
            return BodyTemplate(text: text, slots: recorder.slots)
        }
        guard case let .heading(index, _)? = parts.markdown.body.first, parts.markdown.headings[index].level == 1 else {
            return template(parts.markdown.body, trimmingLineBreak: false).map { (nil, $0) }
        }
        guard let title = template([parts.markdown.body[0]], trimmingLineBreak: true),
              let body = template(Array(parts.markdown.body.dropFirst()), trimmingLineBreak: false) else { return nil }
        return (title, body)
    }

    /// The chapter's "when to get help" boxes, each whole, in document order.
    func urgencyBoxes(_ chapter: ResolvedChapter) -> [(kind: CalloutKind, html: String)] {
        let parts = Chapter(markdown: chapter.chapter.markdown, links: chapter.links, id: chapter.id)
        return BodyNode.flatten(parts.markdown.body).compactMap { node in
            guard case let .callout(kind, _) = node, kind.isUrgency else { return nil }
            return (kind, render([node], of: parts))
        }
    }

    private func render(_ nodes: [BodyNode], of chapter: Chapter, slots: SlotRecorder? = nil) -> String {
        var output = ""
        render(nodes, of: chapter, into: &output, slots: slots)
        return output
    }

    /// With `slots`, each address that depends on the page is written as a slot instead.
    private func render(_ nodes: [BodyNode], of chapter: Chapter, into output: inout String, slots: SlotRecorder? = nil) {
        let markdown = chapter.markdown
        func anchor(_ slug: String) -> String { slots?.slot(.anchor(slug)) ?? policy.headingAnchor(slug, in: chapter.id) }
        func href(_ destination: LinkDestination) -> String {
            switch destination {
            case .chapter, .heading: return slots?.slot(.href(destination)) ?? policy.href(destination, in: chapter.id)
            case .file, .external, .nowhere: return policy.href(destination, in: chapter.id)
            }
        }
        for node in nodes {
            switch node {
            case let .html(html):
                output += html
            case let .heading(index, content):
                let heading = markdown.headings[index]
                output += block("heading", HeadingContext(level: heading.level, anchor: anchor(heading.slug),
                                                          content: render(content, of: chapter, slots: slots)))
            case let .callout(kind, body):
                output += block("callout", CalloutContext(kind: kind.rawValue, label: strings.calloutLabel(kind, emergencyNumber: emergencyNumber),
                                                          body: render(body, of: chapter, slots: slots), labelLanguage: labelLanguage))
            case let .faq(index, question, answer):
                output += block("faq", FAQContext(anchor: anchor(markdown.headings[index].slug),
                                                  question: render(question, of: chapter, slots: slots), answer: render(answer, of: chapter, slots: slots)))
            case let .link(index, content):
                let written = markdown.links[index]
                let resolved = chapter.links[index]
                var words = render(content, of: chapter, slots: slots)
                if content.isEmpty { words = escapeAttribute(resolved.fillText ?? "") }
                output += inline("link", LinkContext(href: href(resolved.destination), title: written.title, content: words))
            case let .image(index, alt):
                output += inline("image", ImageContext(src: href(chapter.links[index].destination), alt: alt,
                                                       title: markdown.links[index].title))
            case let .glossaryMark(mark):
                guard let (term, termAnchor) = glossary[mark.term] else { output += escapeAttribute(mark.text); continue }
                output += inline("glossary-mark", GlossaryMarkContext(href: slots?.slot(.glossary(termAnchor)) ?? policy.glossaryHref(termAnchor),
                                                                      text: mark.text, term: term.term, definition: term.definition,
                                                                      isAbbreviation: mark.isAbbreviation))
            case let .task(checked, content):
                output += inline("task", TaskContext(checked: checked, content: render(content, of: chapter, slots: slots)))
            }
        }
    }

    /// A block construct: its partial, then a line break, as cmark-gfm ends its blocks.
    private func block(_ partial: String, _ context: TemplateContext) -> String {
        inline(partial, context) + "\n"
    }

    /// An inline construct: its partial, less the line break an editor leaves at the end of
    /// the file (which would put a space before the next word).
    private func inline(_ partial: String, _ context: TemplateContext) -> String {
        var text = partials.render("partials/" + partial, context)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
