import Foundation
import Testing
@testable import GuideKit

/// One place for markup: the guide's constructs are written by partials and strings in the
/// templates folder, so a designer or translator changes them there and nowhere else.
@Suite struct MarkupTests {
    /// The project's templates, copied so a test can change one file.
    func templatesCopy(in folder: TemporaryFolder) throws -> URL {
        try folder.copy(Fixtures.templates, as: "Templates")
    }

    /// The fixture templates and `extra` ones (name: text), loaded with the English strings.
    func templateSet(with extra: [String: String], in folder: TemporaryFolder) throws -> TemplateSet {
        let templates = try templatesCopy(in: folder)
        for (name, text) in extra {
            try Data(text.utf8).write(to: templates.appendingPathComponent(name + ".mustache"))
        }
        let log = DiagnosticLog()
        return try TemplateSet.load(from: templates, displayRoot: "Templates", log: log).withStrings(for: GuideConfig(), log: log)
    }

    func build(_ content: URL, templates: URL, output: URL) -> BuildResult {
        let options = BuildOptions(content: content.path, templates: templates.path, output: output.path,
                                   includeDrafts: false, today: testToday)
        return Pipeline.build(options)
    }

    // Proves: overriding partials/callout.mustache restyles every callout, on every chapter
    // page and in the print edition, and nothing of the shipped callout markup is left.
    @Test func calloutPartialRestylesEveryCallout() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let templates = try templatesCopy(in: folder)
        try Data("<aside class=\"box box-{{kind}}\"><b>{{label}}</b>\n{{{body}}}</aside>\n".utf8)
            .write(to: templates.appendingPathComponent("partials/callout.mustache"))
        let site = folder.url.appendingPathComponent("site")
        let result = build(Fixtures.content("markup"), templates: templates, output: site)
        #expect(result.outcome == .success, "\(compact(result.diagnostics))")
        let callouts = try Page(site.appendingPathComponent("a1.html")).html
        let print = try Page(site.appendingPathComponent("print.html")).html
        for page in [callouts, print] {
            #expect(!page.contains("callout-title"))
            #expect(page.components(separatedBy: "<aside class=\"box box-").count - 1 >= 11)
            #expect(page.contains("<aside class=\"box box-non-urgent\"><b>Non-urgent: tell your care team soon, or at your next visit</b>"))
        }
        // The FAQ's callout on another page too.
        #expect(try Page(site.appendingPathComponent("a2.html")).html.contains("<aside class=\"box box-urgent\">"))
    }

    // Proves: a guide changes one string in guide.yml; a string that does not exist is a
    // warning at its line, with the likely one.
    @Test func guideOverridesAString() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let content = try folder.copy(Fixtures.content("markup"), as: "Content")
        var config = try String(contentsOf: content.appendingPathComponent("guide.yml"), encoding: .utf8)
        config += "strings:\n  callout-urgent: \"Call the clinic now\"\n  calout-tip: Hint\n  search-none: \"Nothing found for {query}\"\n"
        try Data(config.utf8).write(to: content.appendingPathComponent("guide.yml"))
        let site = folder.url.appendingPathComponent("site")
        let result = build(content, templates: Fixtures.templates, output: site)
        #expect(result.outcome == .success)
        #expect(try Page(site.appendingPathComponent("a1.html")).html
            .contains("<span class=\"callout-icon\" aria-hidden=\"true\"></span>Call the clinic now</p>"))
        // The search page's messages, which search.js reads from the page.
        #expect(try Page(site.appendingPathComponent("search.html")).html.contains("data-none=\"Nothing found for {query}\""))
        #expect(result.diagnostics.map { DiagnosticFormatter.line($0) }.contains { $0.contains("guide.yml:9:3: warning: 'calout-tip' is not one of the site's strings") && $0.contains("did you mean 'callout-tip'?") })
    }

    // Proves: a strings file without a callout label, a template using a string the file
    // lacks, and a language with no strings file are errors that say what to do.
    @Test func missingStringsAreErrors() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let templates = try templatesCopy(in: folder)
        let stringsFile = templates.appendingPathComponent("strings/en.yml")
        let strings = try String(contentsOf: stringsFile, encoding: .utf8)
        try Data(strings.replacingOccurrences(of: "callout-urgent:", with: "# callout-urgent:").utf8).write(to: stringsFile)
        let heading = templates.appendingPathComponent("partials/heading.mustache")
        try Data("<h{{level}} id=\"{{anchor}}\" title=\"{{strings.no-such}}\">{{{content}}}</h{{level}}>\n".utf8).write(to: heading)
        var result = build(Fixtures.content("markup"), templates: templates, output: folder.url.appendingPathComponent("site"))
        #expect(result.outcome == .contentErrors)
        let messages = result.diagnostics.map { DiagnosticFormatter.line($0) }
        #expect(messages.contains { $0.contains("strings/en.yml: error: the strings file has no 'callout-urgent', the label of [!URGENT] boxes") })
        #expect(messages.contains { $0.contains("partials/heading.mustache:1:36: error: the template uses the string 'no-such'") })

        let content = try folder.copy(Fixtures.content("markup"), as: "Content")
        let config = try String(contentsOf: content.appendingPathComponent("guide.yml"), encoding: .utf8)
        try Data(config.replacingOccurrences(of: "language: en", with: "language: xx").utf8).write(to: content.appendingPathComponent("guide.yml"))
        result = build(content, templates: Fixtures.templates, output: folder.url.appendingPathComponent("site2"))
        #expect(result.diagnostics.map { DiagnosticFormatter.line($0) }.contains { $0.contains("there is no strings file for the guide's language 'xx'") })
        #expect(result.outcome == .contentErrors)
    }

    /// A context as Mirror sees it (stored properties; a nil optional is no key), as plain
    /// text with keys sorted, to compare with what a context gives templates.
    static func viaMirror(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.map { viaMirror($0.value) } ?? "nil"
        case .struct, .class:
            return "{" + mirror.children.compactMap { child -> String? in
                guard let label = child.label else { return nil }
                if Mirror(reflecting: child.value).displayStyle == .optional, Mirror(reflecting: child.value).children.isEmpty { return nil }
                return label + ":" + viaMirror(child.value)
            }.sorted().joined(separator: ",") + "}"
        case .collection: return "[" + mirror.children.map { viaMirror($0.value) }.joined(separator: ",") + "]"
        default: return "\(value)"
        }
    }

    /// What a template gets, as plain text with keys sorted.
    static func asGiven(_ value: Any) -> String {
        switch value {
        case let object as [String: Any]: return "{" + object.map { $0.key + ":" + asGiven($0.value) }.sorted().joined(separator: ",") + "}"
        case let list as [Any]: return "[" + list.map(asGiven).joined(separator: ",") + "]"
        default: return "\(value)"
        }
    }

    // Proves: every page context hands swift-mustache, without Mirror, the same values that
    // Mirror would (with every optional set, and with them all nil); and the template
    // vocabulary, read from the contexts' fields, holds every name Mirror finds in them.
    @Test func pageContextsAgreeWithMirror() throws {
        #expect(TemplateVocabulary.samples.count == 16)
        var mirrored: Set<String> = ["first", "last", "index", "even", "odd"]
        func collect(_ value: Any) {
            for child in Mirror(reflecting: value).children {
                if let label = child.label, label != "some" { mirrored.insert(label) }
                collect(child.value)
            }
        }
        TemplateVocabulary.samples.forEach(collect)
        #expect(TemplateVocabulary.names == mirrored, "\(TemplateVocabulary.names.symmetricDifference(mirrored).sorted())")
        for sample in TemplateVocabulary.samples {
            #expect(Self.asGiven(sample.templateDictionary) == Self.viaMirror(sample), "\(type(of: sample))")
        }
        let site = SiteContext(title: "t", language: "en", hasGlossary: false)
        let page = PageMeta(title: "p")
        let sparse: [TemplateContext] = [
            site, page, ChapterLinkContext(href: "h", id: "A1", title: "t", summary: nil),
            HomeContext(site: site, page: page, start: nil, tracks: []),
            ChapterContext(site: site, page: page, id: "A1", title: "t", summary: nil, html: "", hasOwnHeading: false, trackTitle: "",
                           trackAnchor: "", positionInTrack: 1, chaptersInTrack: 1, chapterPlace: "", ownHeading: nil, reviewed: nil,
                           reviewedLong: nil, nextReviewLong: nil, reviewer: nil, isDraft: true, previous: nil, next: nil, related: [],
                           hasRelated: false, structuredData: []),
            PrintContext.Chapter(id: "", anchor: "", title: "", trackTitle: "", html: "", hasOwnHeading: false, reviewedLong: nil, reviewer: nil),
            GlossaryContext.Term(anchor: "", term: "", abbr: nil, aliases: nil, definition: ""),
            SitemapContext.URL(loc: "", lastmod: nil),
        ]
        for sample in sparse {
            #expect(Self.asGiven(sample.templateDictionary) == Self.viaMirror(sample), "\(type(of: sample))")
        }
    }

    // Proves: the partial contexts hand swift-mustache the same values that Mirror would, so
    // the template vocabulary (read with Mirror) is what the partials really get.
    @Test func partialContextsAgreeWithMirror() {
        let samples: [TemplateContext] = [
            HeadingContext(level: 2, anchor: "a", content: "c"),
            CalloutContext(kind: "k", label: "l", body: "b"),
            FAQContext(anchor: "a", question: "q", answer: "x"),
            LinkContext(href: "h", title: "t", content: "c"),
            LinkContext(href: "h", title: nil, content: "c"),
            ImageContext(src: "s", alt: "a", title: "t"),
            GlossaryMarkContext(href: "h", text: "t", term: "m", definition: "d", isAbbreviation: true),
            TaskContext(checked: false, content: "c"),
        ]
        for sample in samples {
            var viaMirror: [String: String] = [:]
            for child in Mirror(reflecting: sample).children {
                guard let label = child.label, let value = TemplateSet.templateValue(child.value) else { continue }
                // An optional property arrives boxed; its value is what a template sees.
                let unwrapped = Mirror(reflecting: value).displayStyle == .optional ? Mirror(reflecting: value).children.first?.value ?? value : value
                viaMirror[label] = "\(unwrapped)"
            }
            #expect(sample.templateDictionary.mapValues { "\($0)" } == viaMirror, "\(type(of: sample))")
        }
    }

    // Proves: a partial filled in from its cached shape gives exactly what swift-mustache
    // gives, for values with characters to escape (a quote with a combining mark after it
    // too, which swift-mustache's own escaper left as it was), empty, missing and line-ending values and
    // flags, whether it is shaped from its dictionary or from its type and values (as chapter
    // bodies are); after the first round only the partial that transforms a value is rendered
    // by swift-mustache, every time.
    @Test func cachedPartialsMatchMustache() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let templates = try templatesCopy(in: folder)
        try Data("<b title=\"{{uppercased(label)}}\" data-n=\"{{count(kind)}}\">{{label}}</b>{{{body}}}\n".utf8)
            .write(to: templates.appendingPathComponent("partials/callout.mustache"))
        let log = DiagnosticLog()
        let set = try TemplateSet.load(from: templates, displayRoot: "Templates", log: log).withStrings(for: GuideConfig(), log: log)
        let cache = TemplateShapes(templates: set, forPartials: true)
        let samples: [(String, any FlatTemplateContext)] = [
            ("link", LinkContext(href: "a.html?x=1&y=\"2\"", title: "It's <here>", content: "<em>go</em>")),
            ("link", LinkContext(href: "c.html", title: "T", content: "words\n")),
            ("link", LinkContext(href: "b.html", title: nil, content: "")),
            ("link", LinkContext(href: "", title: "", content: "x")),
            ("image", ImageContext(src: "p q.png", alt: "A \"quoted\" & 'single'", title: nil)),
            ("glossary-mark", GlossaryMarkContext(href: "g#a", text: "Graves' disease", term: "T", definition: "D & <d>", isAbbreviation: false)),
            ("glossary-mark", GlossaryMarkContext(href: "g#b", text: "CRS", term: "T", definition: "D", isAbbreviation: true)),
            ("task", TaskContext(checked: true, content: "Pack")),
            ("heading", HeadingContext(level: 3, anchor: "a-b", content: "A <code>b</code>")),
            ("callout", CalloutContext(kind: "urgent", label: "Call now", body: "<p>x</p>\n")),
            ("callout", CalloutContext(kind: "note", label: "Note", body: "")),
        ]
        let flat = TemplateShapes(templates: set, forPartials: true)
        for round in 0..<2 {
            let before = flat.mustacheRenders
            for (name, context) in samples {
                let direct = set.render(context.templateDictionary, "partials/" + name)
                #expect(cache.render("partials/" + name, context.templateDictionary) == direct, "\(name), round \(round)")
                #expect(flat.render("partials/" + name, flat: context) == direct, "\(name), round \(round)")
            }
            // The callouts (a transform) each time; the others' shapes once, at the first round.
            #expect(flat.mustacheRenders - before == (round == 0 ? samples.count : 2))
        }
        #expect(set.render(CalloutContext(kind: "k", label: "Call now", body: "").templateDictionary, "partials/callout").contains("CALL NOW"))
        // A quote or bracket with a combining mark after it is one Character, but still a
        // byte that ends an attribute: swift-mustache escapes it as a filled-in value is.
        let marked = LinkContext(href: "d.html", title: "say \"\u{301}hi\" <\u{301}b>", content: "y")
        let direct = set.render(marked.templateDictionary, "partials/link")
        #expect(direct.contains("title=\"say &quot;\u{301}hi&quot; &lt;\u{301}b&gt;\""))
        #expect(cache.render("partials/link", marked.templateDictionary) == direct)
        #expect(flat.render("partials/link", flat: marked) == direct)
    }

    // Proves: a leaf is escaped as Mustache escapes it (`&`, `<`, `>`, `"`, `'`), whether
    // it goes into a string or straight into a body's bytes, at either end, in runs, and
    // beside characters of two to four bytes.
    @Test func leavesAreEscapedAsMustacheEscapesThem() {
        func reference(_ text: String) -> String {
            text.map { character -> String in
                switch character {
                case "&": return "&amp;"
                case "<": return "&lt;"
                case ">": return "&gt;"
                case "\"": return "&quot;"
                case "'": return "&#39;"
                default: return String(character)
                }
            }.joined()
        }
        let texts = ["", "plain", "&", "<b>", "a & b < c > d \" e ' f", "&&<<>>", "é<ü>€'😀\"", "x\r\n&", String(repeating: "ab&", count: 50)]
        for text in texts {
            #expect(escapeAttribute(text) == reference(text), "\(text.debugDescription)")
            let leaf = Substring("[" + text + "]").dropFirst().dropLast()
            var bytes = UTF8Text("before ")
            bytes.append(escaping: leaf)
            #expect(bytes.string == "before " + reference(text), "\(text.debugDescription)")
            var string = "before "
            string.append(escaping: leaf)
            #expect(string == "before " + reference(text), "\(text.debugDescription)")
        }
    }

    // Proves: a UTF-8 text keeps its own bytes: a copy that is added to (or shortened and
    // added to) leaves the original as it was, pieces short and long come out in order
    // across its growing, and its data holds the same bytes after the text is gone.
    @Test func utf8TextsAreValuesWhoseBytesComeOutAsAdded() {
        var text = UTF8Text(capacity: 0)
        var expected: [UInt8] = []
        let pieces = ["a", "", "<p>", String(repeating: "é", count: 9), String(repeating: "long piece ", count: 40), "\n"]
        for round in 0..<30 {
            let piece = pieces[round % pieces.count]
            text.append(text: piece)
            text.append(byte: UInt8(ascii: "|"))
            expected += Array(piece.utf8) + [UInt8(ascii: "|")]
        }
        #expect(text.bytes == expected)
        #expect(text.count == expected.count && text.last == UInt8(ascii: "|"))
        var copy = text
        copy.removeLast()
        copy.append(text: "changed")
        #expect(text.bytes == expected, "the original is untouched by its copy's changes")
        #expect(copy.bytes == Array(expected.dropLast()) + Array("changed".utf8))
        var shortened = text
        shortened.removeLast()
        #expect(text.bytes == expected && shortened.bytes == Array(expected.dropLast()))
        let data = { () -> Data in
            var page = UTF8Text("<h1>")
            page.append(escaping: "Fish & chips")
            return page.data
        }()
        #expect(data == Data("<h1>Fish &amp; chips".utf8))
    }

    // Proves: an inline partial written straight into a chapter body is what swift-mustache
    // writes for it, less a line break that ends it (not a carriage return's), whatever the
    // body held before: even a partial that writes only "\n" after a "\r" leaves the "\r".
    @Test func inlinePartialsAddedToABodyLeaveOutTheirLastLineBreak() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let set = try templateSet(with: ["partials/bare": "{{#checked}}{{{content}}}{{/checked}}\n"], in: folder)
        let samples: [(String, any FlatTemplateContext)] = [
            ("partials/link", LinkContext(href: "a.html", title: nil, content: "<em>go</em>")),
            ("partials/link", LinkContext(href: "c.html", title: "T", content: "words\n")),
            ("partials/heading", HeadingContext(level: 2, anchor: "a", content: "A")),
            ("partials/bare", TaskContext(checked: false, content: "x")),
            ("partials/bare", TaskContext(checked: true, content: "ends\r")),
            ("partials/bare", TaskContext(checked: true, content: "ends\r\n")),
        ]
        let shapes = TemplateShapes(templates: set, forPartials: true)
        for before in ["", "x", "x\r", "x\r\n", "x\n"] {
            for (name, context) in samples {
                var expected = set.render(context.templateDictionary, name)
                if expected.endsWithLineBreak { expected.removeLast() }
                var body = UTF8Text(before)
                shapes.render(name, flat: context, into: &body, droppingFinalLineBreak: true)
                #expect(body.bytes == Array((before + expected).utf8), "\(name) after \(before.debugDescription)")
            }
        }
    }

    // Proves: a text that ends with a line break is told from one that ends with a carriage
    // return and a line break (one character, after which an indented partial does not
    // indent) as swift-mustache tells them apart: a page including texts that end in "\n",
    // "\r\n", "\r" or neither, indented, is filled in exactly as swift-mustache writes it,
    // the first time and from its compiled shape.
    @Test func lineEndsAreReadAsCharacters() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let set = try templateSet(with: ["ends": "<div>\n  {{> partials/end-text}}\n</div>\n",
                                         "partials/end-text": "{{{text}}}\n{{title}}\n"], in: folder)
        let shapes = TemplateShapes(templates: set, forPartials: false)
        let texts = ["a\n", "a\r\n", "a\r", "a", "\n", "\r\n", "\r", "é\n", "x\n\u{301}", "two\nlines\n", "two\r\nlines\r\n"]
        for round in 0..<2 {
            for text in texts {
                let context = TemplateFields(capacity: 2) { $0.add("text", text); $0.add("title", "T") }
                #expect(shapes.render("ends", context) == set.render(context, "ends"), "\(text.debugDescription), round \(round)")
            }
        }
    }

    // Proves: pages filled in from a cached shape give exactly what swift-mustache gives:
    // chapter pages whose values have characters to escape, line breaks at the end, empty
    // and missing values, lists of different lengths, each page rendered after others of
    // its shape; and a page whose template (or a template it includes) transforms a value
    // is rendered by swift-mustache itself.
    @Test func pagesOfOneShapeMatchMustache() throws {
        let log = DiagnosticLog()
        let set = try TemplateSet.load(from: Fixtures.templates, displayRoot: "Templates", log: log).withStrings(for: GuideConfig(), log: log)
        var site = SiteContext(title: "Guide & \"co\"", language: "en", hasGlossary: true)
        site.contactPhone = "0800 'now'"
        func chapter(_ n: Int, title: String, summary: String?, html: String, sections: Int, related: Int) -> ChapterContext {
            let link = ChapterLinkContext(href: "a\(n).html", id: "A\(n)", title: title + " <\(n)>", summary: summary)
            return ChapterContext(
                site: site, page: PageMeta(title: title, description: summary, canonical: n % 2 == 0 ? nil : "https://x/a\(n).html"),
                id: "A\(n)", title: title, summary: summary, html: html, hasOwnHeading: n % 3 == 0,
                trackTitle: "Track \"\(n)\"", trackAnchor: "track-a", positionInTrack: n, chaptersInTrack: 9,
                chapterPlace: "chapter \(n) of 9", hasUrgencyBoxes: n % 2 == 1, ownHeading: n % 3 == 0 ? "<h1>\(title)</h1>" : nil,
                sections: (0..<sections).map { SectionLink(anchor: "s\($0)", title: "Section & \($0)") }, hasContents: sections >= 3,
                reviewed: "2026-01-0\(n % 9 + 1)", reviewedLong: "\(n) January 2026", nextReviewLong: nil, reviewer: n % 2 == 0 ? "Dr 'A'" : nil,
                isDraft: false, previous: n > 0 ? link : nil, next: link, related: Array(repeating: link, count: related),
                hasRelated: related > 0, structuredData: ["{\"n\":\(n)}"])
        }
        let shapes = TemplateShapes(templates: set, forPartials: false)
        let pages = [
            chapter(1, title: "It's <one> & \"two\"", summary: "Sum & mary", html: "<p>One</p>\n", sections: 3, related: 1),
            chapter(3, title: "Three", summary: "S", html: "<p>Three\nlines</p>\n", sections: 3, related: 1),
            chapter(5, title: "Five \u{1F600}", summary: "Ünïcode", html: "<p>5</p>", sections: 3, related: 1),
            chapter(7, title: "Seven", summary: nil, html: "", sections: 4, related: 2),
            chapter(9, title: "Nine", summary: nil, html: "x\n", sections: 4, related: 2),
            chapter(11, title: "Eleven", summary: nil, html: "y\n", sections: 4, related: 2),
            chapter(13, title: "", summary: "", html: "\n", sections: 0, related: 0),
        ]
        for round in 0..<2 {
            for page in pages {
                #expect(shapes.render("chapter", page) == set.render(page, "chapter"), "A\(page.id), round \(round)")
            }
        }
    }

    // Proves: long lists are filled in item by item and give exactly what swift-mustache
    // gives: the print edition with 80, 81 and 200 chapters (escaped values, line breaks at
    // the end) beside a short list of terms; 680 glossary terms of four kinds, in and out of
    // order; a list written twice, one whose items start with a value from outside the list,
    // one at the very end. A template whose output does not grow item by item (a list inside
    // its own section, n² times) is still what swift-mustache writes.
    @Test func longListsRepeatItemByItem() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let extra = [
            "twice": "<ol>{{#items}}<li>{{name}}</li>{{/items}}</ol>\n{{#items}}\n  <p id=\"{{id}}\">{{{body}}}</p>\n{{/items}}\nend {{title}}",
            "outer-first": "{{#items}}{{title}}: {{name}}; {{/items}}",
            "at-end": "{{title}}{{#items}}[{{name}}]{{/items}}",
            "squared": "{{#items}}<{{#items}}x{{/items}}>{{/items}}|{{title}}",
        ]
        let set = try templateSet(with: extra, in: folder)
        let site = SiteContext(title: "Guide & \"co\"", language: "en", hasGlossary: true)
        let terms = (0..<5).map { n in
            GlossaryContext.Term(anchor: "t\(n)", term: "Term <\(n)>", abbr: n % 2 == 0 ? "T\(n)" : nil, aliases: n == 3 ? "a, b" : nil,
                                 definition: "It's & \(n)")
        }
        let shapes = TemplateShapes(templates: set, forPartials: false)
        for count in [80, 81, 200] {
            let chapters = (0..<count).map { n in
                PrintContext.Chapter(id: "A\(n)", anchor: "a\(n)", title: "Chapter \"\(n)\" & <more>", trackTitle: "Track 'A'",
                                     html: "<p>Body \(n)</p>\n", hasOwnHeading: false, reviewedLong: "\(n) May 2026", reviewer: "Dr <B>")
            }
            let print = PrintContext(site: site, page: PageMeta(title: "Print"), chapters: chapters, terms: terms, hasTerms: true)
            for round in 0..<2 {
                let before = shapes.mustacheRenders
                #expect(shapes.render("print", print) == set.render(print, "print"), "\(count) chapters, round \(round)")
                // The chapters are of one kind (the few terms, of several, stay in the shape by
                // their number): compiled at the first use, from one render with three
                // chapters; filled in after that, for every length.
                #expect(shapes.mustacheRenders - before == (round == 0 && count == 80 ? 1 : 0), "\(count) chapters, round \(round)")
            }
        }
        // Fewer items, of another kind: compiled too, in the one render rendering it took.
        let short = PrintContext(site: site, page: PageMeta(title: "Print"), chapters: (0..<20).map { n in
            PrintContext.Chapter(id: "A\(n)", anchor: "a\(n)", title: "C\(n)", trackTitle: "T", html: "", hasOwnHeading: true,
                                 reviewedLong: nil, reviewer: nil)
        }, terms: terms, hasTerms: true)
        let beforeShort = shapes.mustacheRenders
        #expect(shapes.render("print", short) == set.render(short, "print"))
        #expect(shapes.mustacheRenders - beforeShort == 1)
        // Glossary terms of four kinds (with and without an abbreviation, aliases), in and
        // out of order, filled in too.
        for (count, renders) in [(680, 1), (683, 0), (682, 1)] {
            let terms = (0..<count).map { n in
                GlossaryContext.Term(anchor: "t\(n)", term: "Term <\(n)>", abbr: n % 3 == 0 ? "T\(n)" : nil, aliases: n % 4 == 1 ? "a, b" : nil,
                                     definition: "It's & \(n)")
            }
            let glossary = GlossaryContext(site: site, page: PageMeta(title: "Glossary"), terms: terms)
            let before = shapes.mustacheRenders
            #expect(shapes.render("glossary", glossary) == set.render(glossary, "glossary"), "\(count) terms")
            // Compiled at the first use, in one render with an item of each of the four kinds
            // after one of each; again only for another last kind (the 682nd term has both an
            // abbreviation and aliases).
            #expect(shapes.mustacheRenders - before == renders, "\(count) terms")
        }
        for count in [80, 100] {
            let items = (0..<count).map { n in
                TemplateFields(capacity: 3) { $0.add("name", "N<\(n)>"); $0.add("id", "i\(n)"); $0.add("body", "b & \(n)\n") }
            }
            let context = TemplateFields(capacity: 2) { $0.add("title", "T \"x\""); $0.add("items", items) }
            for name in extra.keys.sorted() {
                let before = shapes.mustacheRenders
                #expect(shapes.render(name, context) == set.render(context.dictionary, name), "\(name), \(count) items")
                // The others are filled in, compiled at their first use (one render with three
                // items). "squared" is rendered with its list by length, after that render
                // showed it does not repeat item by item.
                let expected = name == "squared" ? (count == 80 ? 2 : 1) : (count == 80 ? 1 : 0)
                #expect(shapes.mustacheRenders - before == expected, "\(name), \(count) items")
            }
        }
    }

    // Proves: a compile render gives a repeated list an item of each kind after one of each:
    // every pair of kinds side by side, from kind 0 (a page's first item is of kind 0) to the
    // page's last item's kind, within the items a render may give one list.
    @Test func compileRendersMeetEveryPairOfKinds() {
        #expect(TemplateShapes.walk(kinds: 1, last: 0) == [0, 0, 0])
        for kinds in 2...4 {
            for last in 0..<kinds {
                let walk = TemplateShapes.walk(kinds: kinds, last: last)
                #expect(walk.first == 0 && walk.last == last, "\(kinds) kinds, last \(last)")
                let pairs = Set(zip(walk, walk.dropFirst()).map { $0 * kinds + $1 })
                #expect(pairs == Set(0..<(kinds * kinds)), "\(kinds) kinds, last \(last)")
                #expect(walk.count <= kinds * kinds + 2, "\(kinds) kinds, last \(last)")
            }
        }
    }

    // Proves: a page written as its long list's texts are made (the print edition of a
    // large guide) is exactly what swift-mustache writes with those texts in place. Each text
    // is asked for once, in order, by the one section that writes it (not by the contents
    // list that goes over the chapters first); an empty one is not asked for. Bodies end with
    // a line break, without one, with "\r\n", or are empty (three kinds of chapter, compiled in
    // one render however many there are). A template that writes the bodies twice is not
    // streamed: its caller renders it whole.
    @Test func streamedPagesAreWhatMustacheWrites() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let set = try templateSet(with: ["bodies-twice": "{{#chapters}}{{{html}}}{{/chapters}}|{{#chapters}}<{{{html}}}>{{/chapters}}"],
                                  in: folder)
        let site = SiteContext(title: "Guide & \"co\"", language: "en", hasGlossary: true)
        let terms = (0..<5).map { n in
            GlossaryContext.Term(anchor: "t\(n)", term: "Term <\(n)>", abbr: n % 2 == 0 ? "T\(n)" : nil, aliases: nil, definition: "It's & \(n)")
        }
        let ends = ["\n", "", "\r\n"]
        func edition(_ count: Int) -> PrintContext {
            PrintContext(site: site, page: PageMeta(title: "Print"), chapters: (0..<count).map { n in
                PrintContext.Chapter(id: "A\(n)", anchor: "a\(n)", title: "Chapter \"\(n)\" & <more>", trackTitle: "Track 'A'",
                                     html: n % 4 == 3 ? "" : "<p>Body \(n) é &amp; more</p>" + ends[n % 4], hasOwnHeading: false,
                                     reviewedLong: "\(n) May 2026", reviewer: "Dr <B>")
            }, terms: terms, hasTerms: true)
        }
        func ending(_ html: String) -> DeferredText.Ending { html.isEmpty ? .empty : html.hasSuffix("\n") ? .lineBreak : .other }
        func outline(_ full: PrintContext) -> TemplateFields {
            var outline = full
            for n in outline.chapters.indices { outline.chapters[n].html = "" }
            return outline.templateFields(bodies: full.chapters.map { ending($0.html) })
        }
        let shapes = TemplateShapes(templates: set, forPartials: false)
        for count in [399, 400, 401, 1000] {
            let full = edition(count)
            let page = try #require(shapes.streamed("print", outline(full)), "\(count) chapters")
            var asked: [Int] = []
            var written = Data()
            var writer = PageTextWriter { bytes in
                written.append(bytes)
                return true
            }
            TemplateShapes.write(page, texts: { n in
                asked.append(n)
                return full.chapters[n].html
            }, into: &writer)
            let flushed = writer.flush()
            #expect(flushed)
            #expect(String(decoding: written, as: UTF8.self) == set.render(full, "print"), "\(count) chapters")
            #expect(asked == full.chapters.indices.filter { !full.chapters[$0].html.isEmpty }, "\(count) chapters")
        }
        #expect(shapes.streamed("bodies-twice", outline(edition(1000))) == nil)
    }

    // Proves: a page's short lists whose items have one shape (a chapter's sections) do not
    // make its shape, so pages with different numbers of them share one: compiled at the
    // first sight from one render with three items (what rendering the page costs), filled in
    // after that. A short list with two kinds of item stays in the shape by its length, and a
    // template that does not repeat item by item is still held to swift-mustache: a list
    // inside its own section, and a section over the list whose items write none of their
    // own values (it cannot be seen among the others' probes).
    @Test func shortListsOfOneKindShareAPageShape() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let extra = [
            "sections": "<h1>{{title}}</h1>\n<ol>\n  {{#items}}\n  <li><a href=\"#{{id}}\">{{name}}</a></li>\n  {{/items}}\n</ol>\n{{^items}}none{{/items}}",
            "squared": "{{#items}}<{{#items}}{{id}}{{/items}}>{{/items}}|{{title}}",
            "silent": "<ol>{{#items}}<li>{{name}}</li>{{/items}}</ol>{{#items}}<hr>{{/items}}|{{title}}",
            "outside": "{{#items}}[{{title}}]{{/items}}",
        ]
        let set = try templateSet(with: extra, in: folder)
        func page(_ count: Int, kinds: Int = 1) -> TemplateFields {
            let items = (0..<count).map { n in
                TemplateFields(capacity: 2) { $0.add("id", "s\(n)"); $0.add("name", n % kinds == 0 ? "Section \"\(n)\" & more" : "") }
            }
            return TemplateFields(capacity: 2) { $0.add("title", "Page <\(count)>"); $0.add("items", items) }
        }
        for name in extra.keys.sorted() {
            let shapes = TemplateShapes(templates: set, forPartials: false)
            // Lengths 3, 5, 1, 8, then 0 (no items is a shape of its own).
            for (count, renders) in [(3, 1), (5, 0), (1, 0), (8, 0), (0, 1)] {
                let before = shapes.mustacheRenders
                #expect(shapes.render(name, page(count)) == set.render(page(count).dictionary, name), "\(name), \(count) items")
                // The others do not repeat item by item as far as one render shows: the page
                // is rendered again with its list by length, and each length is then a shape
                // of its own.
                let expected = name == "sections" ? renders : [3: 2, 5: 1, 1: 1, 8: 1, 0: 1][count]!
                #expect(shapes.mustacheRenders - before == expected, "\(name), \(count) items")
            }
            // Two kinds of item in a short list, the last of the second kind: one shape too,
            // compiled in one render; the others again by length.
            for count in [4, 6] {
                let before = shapes.mustacheRenders
                #expect(shapes.render(name, page(count, kinds: 2)) == set.render(page(count, kinds: 2).dictionary, name))
                let expected = name == "sections" ? [4: 1, 6: 0][count]! : [4: 2, 6: 1][count]!
                #expect(shapes.mustacheRenders - before == expected, "\(name), \(count) items of two kinds")
            }
        }
    }

    // Proves: a string's {slots} are filled in one pass, left to right: every slot given is
    // filled, one not given is left as written (a mistake shows), a value put in is not read
    // for slots again, and a lone brace stays. The same in a text with other characters than
    // ASCII, where a brace with a combining mark after it is one Character, not a brace.
    @Test func stringSlots() {
        let strings = Strings(values: ["date": "{day} {month} {year}", "odd": "{ {nope} {a}{a} }", "plain": "No slots",
                                       "accented": "Revisión: {a} — «{b}» {", "combining": "{\u{301}a} {a}"], displayPath: "")
        #expect(strings.format("accented", ["a": "x", "b": "{a}"]) == "Revisión: x — «{a}» {")
        #expect(strings.format("combining", ["a": "x", "\u{301}a": "not a slot"]) == "{\u{301}a} x")
        #expect(strings.format("date", ["day": "1", "month": "{year}", "year": "2026"]) == "1 {year} 2026")
        #expect(strings.format("odd", ["a": "x"]) == "{ {nope} xx }")
        #expect(strings.format("plain", ["a": "x"]) == "No slots")
        #expect(strings.format("missing-key") == "missing-key")
        #expect(strings.date(Day("2026-11-01")!) == "1 month-11 2026")
    }

    // Proves: every shipped strings file has every string of en.yml, with the same {slots};
    // a guide in Spanish builds with no missing label and shows the Spanish box labels.
    @Test func shippedStringsFilesAreComplete() throws {
        let folder = Fixtures.templates.appendingPathComponent("strings")
        func entries(_ name: String) throws -> [String: String] {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            var result: [String: String] = [:]
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                result[String(line[..<colon])] = String(line[line.index(after: colon)...])
            }
            return result
        }
        func slots(_ value: String) -> Set<String> { Set(value.matches(of: /\{[a-z]+\}/).map { String($0.output) }) }
        let english = try entries("en.yml")
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".yml") && name != "en.yml" {
            let other = try entries(name)
            #expect(Set(other.keys) == Set(english.keys), "\(name)")
            for (key, value) in english { #expect(slots(other[key] ?? "") == slots(value), "\(name): \(key)") }
        }
        let site = try TemporaryFolder()
        defer { site.cleanup() }
        let content = try site.copy(Fixtures.content("basic"), as: "Content")
        let yml = content.appendingPathComponent("guide.yml")
        try Data(try String(contentsOf: yml, encoding: .utf8).replacingOccurrences(of: "language: en-GB", with: "language: es").utf8).write(to: yml)
        let result = GuideKitTests.build(content: content, output: site.url.appendingPathComponent("Site"))
        #expect(result.outcome == BuildResult.Outcome.success)
        #expect(!result.diagnostics.contains { $0.rule == Rule.template })
        let card = try String(contentsOf: site.url.appendingPathComponent("Site/call-card.html"), encoding: .utf8)
        #expect(card.contains("Urgente: llame ahora a su equipo de atención médica, de día o de noche"))
    }
}
