import Foundation
import Testing
@testable import GuideKit

/// `guide check` you can trust: every mistake reported once, where it is, in plain words;
/// nothing an author wrote silently lost or changed.
@Suite struct TrustTests {
    // Proves: the check-trust fixture reports exactly its planted mistakes, each once, at its
    // place, with the message a nurse can act on; and nothing else (no cascade, no false error).
    @Test func everyPlantedMistakeExactlyOnce() {
        let result = check(content: Fixtures.content("check-trust"))
        #expect(result.diagnostics.map { DiagnosticFormatter.line($0) } == [
            "Content/A0-home.md:16:16: error: chapter B1 has no heading '#no-such-heading' [broken-anchor]",
            "Content/A0-home.md:23:1: error: '[!URGENT]' makes a box only on the first line of a quote, so here it is shown as plain text and the urgency box is lost (write the box as a quote: '> [!URGENT]' on a line of its own, then '> ' before each line of the box) [misplaced-callout]",
            "Content/A0-home.md:25:10: warning: raw HTML ('<br>') is not shown on the page; a line break is shown in its place (to break a line, end it with a backslash (\\); for a new paragraph, leave a blank line) [raw-html]",
            "Content/A0-home.md:25:26: warning: raw HTML ('<iframe>') is not shown on the page (link to it instead, like [Watch the video](https://…)) [raw-html]",
            "Content/A0-home.md:27:1: warning: raw HTML ('<video>') is not shown on the page (link to it instead, like [Watch the video](https://…)) [raw-html]",
            "Content/A0-home.md:29:5: error: this link is shown as plain text, because its target 'A 1' has a space (did you mean '(A1)'?) [broken-link-syntax]",
            "Content/A0-home.md:29:24: error: this image is shown as plain text, because its target 'insulin pen.png' has a space (put the name in angle brackets, (<insulin pen.png>), or rename the file without spaces) [broken-link-syntax]",
            "Content/A0-home.md:31:7: error: no chapter with id 'a1' (did you mean 'A1'?) [broken-chapter-link]",
            "Content/A0-home.md:31:32: error: this chapter has no heading '#faq' (did you mean 'frequently-asked-questions'?) [broken-anchor]",
            "Content/A0-home.md:33:6: error: no chapter file 'A1-two.md' (did you mean 'sub/A1-two.md'?) [broken-file-link]",
            "Content/A1-one.md:4:1: error: 'reviewed' is 1 October 2062, which is in the future; write the date of the last medical review (check the year; today is 2026-11-21) [invalid-value]",
            "Content/B1-more.md:5:1: warning: 'One or two plain sentences about this chapter, for the home page and search results.' is the example text that guide new writes, and this chapter is published (replace it with your own words) [placeholder-text]",
            "Content/B1-more.md:10:1: warning: 'Start with what the reader most needs to know, in short sentences.' is the example text that guide new writes, and this chapter is published (replace it with your own words) [placeholder-text]",
            "Content/B2-again.md:2:1: error: the id 'B1' is already used by Content/B1-more.md (give this chapter an id of its own) [duplicate-id]",
            "Content/C4-care.md:1:1: error: the front matter has no 'title' [missing-field]",
            "Content/C4-care.md:9:1: error: '../../secret.png' leads outside the content folder; keep linked files inside it [path-outside-content]",
            "Content/C5-tab.md:3:1: error: this line is indented with a tab (use spaces, not tabs, to indent) [front-matter]",
            "Content/C6-colon.md:3:1: error: the value of 'title' has a colon in it, which YAML reads as another key (put the title in quotes: title: \"Diabetes: a guide\") [front-matter]",
            "Content/C7-quote.md:3:1: error: the quote that starts 'title' is never closed (add a closing \" at the end of the value) [front-matter]",
            "Content/C8-latin1.md:3:11: error: the character here is not UTF-8 (byte 0xE9): the file may be saved as Windows-1252 or Latin-1 (save the file as UTF-8: in most editors, choose Save As, then the encoding UTF-8) [unreadable-file]",
            "Content/C9-utf16.md:1:1: error: this file is saved as UTF-16, not UTF-8 (save the file as UTF-8: in most editors, choose Save As, then the encoding UTF-8) [unreadable-file]",
        ])
    }

    // Proves: a chapter whose front matter is broken is still parsed and its body checked, its
    // id still counts (links, `related:` and anchors to it are fine), and its links reach others.
    @Test func brokenFrontMatterStillChecked() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([
            "Content/guide.yml": "title: T\n",
            "Content/A0-a.md": "---\nid: A0\ntitle: A\nreviewed: 2026-10-01\nrelated: [C4]\n---\n\n# A\n\n[](C4) and [x](C4#help).\n",
            "Content/A1-b.md": "---\nid: A1\ntitle: B\nreviewed: 2026-10-01\n---\n\n# B\n\nOnly C4 links here; back to [](A0).\n",
            "Content/C4-c.md": "---\nid: C4\nsummary: no title\n---\n\n# C\n\n## Help\n\n[](A1) ![x](../../secret.png)\n",
        ])
        let result = check(content: folder.url.appendingPathComponent("Content"))
        #expect(compact(result.diagnostics) == [
            "Content/C4-c.md:1:1 error missing-field",
            "Content/C4-c.md:10:8 error path-outside-content",
        ])
    }

    // Proves: the words of every chapter, as cmark-gfm renders it alone, appear on the page in
    // the same order: glossary marks in tables, lists, quotes, callouts, emphasis, beside links
    // and at either end of a run of text never drop a word. For the shipped guide, every
    // fixture and the words fixture; fixtures with errors are compared at the linked chapter.
    @Test(arguments: ["shipped", "basic", "broken-links", "check-rules", "check-trust", "words", "markup"])
    func noWordIsLost(guideName: String) throws {
        let content = guideName == "shipped" ? Fixtures.shippedContent : Fixtures.content(guideName)
        // A build that keeps its chapters' text and bodies: a check keeps only the bodies'
        // urgency boxes, and a plain build lets both go as it goes. A guide with errors
        // writes nothing, and still gives what it read.
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let result = buildKeepingChapters(content: content, output: folder.url.appendingPathComponent("Site"))
        let guide = try #require(result.guide)
        var compared = 0, wordsCompared = 0
        for chapter in guide.chapters + guide.unlistedChapters {
            // The body as the parser reads it: the front matter's lines left empty.
            let body = String(decoding: LineTable(chapter.chapter.file.text, bodyStartLine: chapter.frontMatter.bodyStartLine).bytes, as: UTF8.self)
            // The callout marker is the one thing that is meant to go: it becomes the box's label.
            let plain = words(MarkdownParser.renderPlain(body).replacingOccurrences(of: #"\[![A-Za-z-]+\]"#, with: " ", options: .regularExpression))
            let page = words(chapter.chapter.markdown.html(glossary: guide.glossary.terms, links: chapter.links))
            var next = page.startIndex
            // Its text is there to compare (a plain build lets it go).
            #expect(!chapter.chapter.file.text.isEmpty, "\(guideName) \(chapter.name)")
            wordsCompared += plain.count
            for (n, word) in plain.enumerated() {
                guard let found = page[next...].firstIndex(of: word) else {
                    Issue.record("\(guideName) \(chapter.name): word \(n) '\(word)' (after '\(plain[max(0, n - 5)..<n].joined(separator: " "))') is missing from the page")
                    break
                }
                next = page.index(after: found)
            }
            compared += 1
        }
        #expect(compared > 0 && wordsCompared > compared)
    }

    func words(_ html: String) -> [String] {
        decodeEntities(html.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression))
            .components(separatedBy: CharacterSet.alphanumerics.inverted).filter { !$0.isEmpty }
    }

    // Proves: the words test can fail: a page that lost a word is caught.
    @Test func wordsTestCatchesALostWord() {
        let plain = words("<td>A fever can be a sign of infection or rejection</td>")
        let page = words("<td>A fever can be a sign of infection or</td>")
        #expect(!plain.allSatisfy(page.contains))
    }

    // Proves: glossary terms in table cells, at the start and end of a run, inside emphasis and
    // next to a link are marked and keep every word.
    @Test func glossaryMarksKeepEveryWord() {
        let terms = [GlossaryTerm(term: "Rejection", abbr: nil, aliases: [], definition: "D.", location: SourceLocation(file: "g")),
                     GlossaryTerm(term: "Tacrolimus", abbr: nil, aliases: [], definition: "M.", location: SourceLocation(file: "g"))]
        let html = MarkdownParser.parse("| a |\n|---|\n| A sign of infection or rejection |\n\n*Tacrolimus* [x](A0)\n", glossary: terms).html(glossary: terms)
        #expect(html.contains("<td>A sign of infection or <a class=\"glossary-term\" href=\"glossary.html#rejection\"><dfn title=\"D.\">rejection</dfn></a></td>"))
        #expect(html.contains("<em><a class=\"glossary-term\" href=\"glossary.html#tacrolimus\"><dfn title=\"M.\">Tacrolimus</dfn></a></em>"))
    }

    // Proves: an urgency marker with text on its line, or in bold, still makes its box.
    @Test func urgencyBoxesNeverDegrade() {
        let sameLine = MarkdownParser.parse("> [!EMERGENCY] Call 911 now\n")
        #expect(sameLine.html.contains("callout-emergency"))
        #expect(sameLine.html.contains("<p>Call 911 now</p>"))
        #expect(sameLine.problems.isEmpty)
        let bold = MarkdownParser.parse("> **[!URGENT]**\n> Call now\n")
        #expect(bold.html.contains("callout-urgent"))
        #expect(bold.html.contains("<p>Call now</p>"))
        let stray = MarkdownParser.parse("Text.\n\n[!NON-URGENT] Tell us soon.\n")
        #expect(stray.problems.map(\.rule) == [.misplacedCallout])
        #expect(stray.problems.first?.severity == .error)
    }

    // Proves: template mistakes are diagnostics at Templates/file:line:column, the same from
    // check as from build, and the build writes nothing.
    @Test func templateMistakes() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let templates = try folder.copy(Fixtures.templates, as: "Templates")
        let layout = templates.appendingPathComponent("layout.mustache")
        var text = try String(contentsOf: layout, encoding: .utf8)
        text = text.replacingOccurrences(of: "{{page.title}}", with: "{{page.titel}}")
            .replacingOccurrences(of: "{{> partials/search-box}}", with: "{{> partials/serch-box}}")
        try Data(text.utf8).write(to: layout)
        try Data("<p>{{#site}}\n".utf8).write(to: templates.appendingPathComponent("partials/broken.mustache"))
        func run(_ write: Bool) -> BuildResult {
            var options = BuildOptions(content: Fixtures.content("basic").path, templates: templates.path,
                                       output: folder.url.appendingPathComponent("Site").path, today: testToday)
            options.contentDisplay = "Content"
            options.templatesDisplay = "Templates"
            return write ? Pipeline.build(options) : Pipeline.check(options)
        }
        let expected = [
            "Templates/layout.mustache:6:8: error: the template uses 'page.titel', but no page has a value called 'titel', so it would show nothing (did you mean 'title'?) [template]",
            "Templates/layout.mustache:31:5: error: the partial 'partials/serch-box' does not exist (there is no partials/serch-box.mustache) (did you mean 'partials/search-box'?) [template]",
            "Templates/partials/broken.mustache:2:1: error: this template cannot be read: a section is opened but never closed; add {{/name}} [template]",
        ]
        let checked = run(false), built = run(true)
        #expect(checked.diagnostics.filter { $0.rule == .template }.map { DiagnosticFormatter.line($0) } == expected)
        #expect(built.diagnostics == checked.diagnostics)
        #expect(built.outcome == .contentErrors)
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("Site").path))
    }

    // Proves: every way swift-mustache can refuse a template is said in words, at its file,
    // line and column, never as the library's own name for it.
    @Test func templateSyntaxInWords() throws {
        let cases = [
            "{{#a}}x{{/b}}": "a section is closed with a different name than it was opened with ({{#name}} … {{/name}})",
            "x\n{{#a}}": "a section is opened but never closed; add {{/name}}",
            "{{<layout}}{{#a}}{{/a}}{{/layout}}": "between {{<parent}} and its {{/parent}} only {{$block}} … {{/block}} sections (and {{! comments}}) may stand",
            "{{$uppercased(a)}}x{{/uppercased(a)}}": "a transform such as name(…) cannot be used on a {{$block}} or {{<parent}}",
            "{{%CONTENT_TYPE}}": "a {{%…}} setting is not written correctly",
            "{{%NOPE: x}}": "a {{%…}} setting is not one Mustache knows",
        ]
        for (text, words) in cases {
            let folder = try TemporaryFolder()
            defer { folder.cleanup() }
            let templates = try folder.copy(Fixtures.templates, as: "Templates")
            try Data(text.utf8).write(to: templates.appendingPathComponent("partials/bad.mustache"))
            let log = DiagnosticLog()
            _ = try TemplateSet.load(from: templates, displayRoot: "Templates", log: log)
            let lines = log.diagnostics.map { DiagnosticFormatter.line($0) }
            #expect(lines.count == 1 && lines[0].hasPrefix("Templates/partials/bad.mustache:") && lines[0].hasSuffix(": error: this template cannot be read: \(words) [template]"),
                    "\(text): \(lines)")
        }
    }

    // Proves: templates saved with Windows line ends (\r\n) build the same site as with \n,
    // and a mistake in one is reported at the line and column an editor shows (a character
    // such as '·' before the tag counts as one column).
    @Test func windowsLineEndsInTemplates() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        func build(_ name: String, lineEnd: String, typo: Bool = false) throws -> BuildResult {
            let templates = try folder.copy(Fixtures.templates, as: name)
            for file in try FileManager.default.subpathsOfDirectory(atPath: templates.path) where file.hasSuffix(".mustache") {
                let url = templates.appendingPathComponent(file)
                var text = try String(contentsOf: url, encoding: .utf8)
                if typo, file == "layout.mustache" { text = text.replacingOccurrences(of: "{{page.title}}", with: "·{{page.titel}}") }
                try Data(text.replacingOccurrences(of: "\n", with: lineEnd).utf8).write(to: url)
            }
            var options = BuildOptions(content: Fixtures.content("basic").path, templates: templates.path,
                                       output: folder.url.appendingPathComponent(name + "-site").path, today: testToday)
            options.templatesDisplay = "Templates"
            return Pipeline.build(options)
        }
        let unix = try build("unix", lineEnd: "\n"), windows = try build("windows", lineEnd: "\r\n")
        #expect(unix.outcome == .success && windows.outcome == .success)
        #expect(windows.diagnostics == unix.diagnostics)
        let site = { (name: String) in folder.url.appendingPathComponent(name + "-site") }
        let pages = try FileManager.default.subpathsOfDirectory(atPath: site("unix").path).filter { $0.hasSuffix(".html") }.sorted()
        #expect(pages.count > 5)
        for page in pages {
            #expect(try Data(contentsOf: site("windows").appendingPathComponent(page)) == Data(contentsOf: site("unix").appendingPathComponent(page)), "\(page)")
        }
        let typo = try build("typo", lineEnd: "\r\n", typo: true)
        #expect(typo.diagnostics.filter { $0.rule == .template }.map { DiagnosticFormatter.line($0) } == [
            "Templates/layout.mustache:6:9: error: the template uses 'page.titel', but no page has a value called 'titel', so it would show nothing (did you mean 'title'?) [template]",
        ])
    }

    // Proves: a named pipe, a symbolic link out of the content folder (chapter or asset), a link
    // loop and a dangling link are errors naming the file, never a hang, and never published.
    @Test func filesThatAreNotWhatTheySeem() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([
            "Content/guide.yml": "title: T\n",
            "Content/A0-a.md": "---\nid: A0\ntitle: A\nreviewed: 2026-10-01\n---\n\n# A\n\nText.\n",
            "secret.md": "---\nid: A9\ntitle: Secret\n---\n\nPrivate.\n",
            "secret.png": "private",
        ])
        let content = folder.url.appendingPathComponent("Content")
        let fm = FileManager.default
        try fm.createDirectory(at: content.appendingPathComponent("assets"), withIntermediateDirectories: true)
        #expect(mkfifo(content.appendingPathComponent("assets/pipe.png").path, 0o644) == 0)
        try fm.createSymbolicLink(atPath: content.appendingPathComponent("A9-secret.md").path, withDestinationPath: folder.url.appendingPathComponent("secret.md").path)
        try fm.createSymbolicLink(atPath: content.appendingPathComponent("assets/secret.png").path, withDestinationPath: "../../secret.png")
        try fm.createSymbolicLink(atPath: content.appendingPathComponent("assets/loop-a").path, withDestinationPath: "loop-b")
        try fm.createSymbolicLink(atPath: content.appendingPathComponent("assets/loop-b").path, withDestinationPath: "loop-a")
        try fm.createSymbolicLink(atPath: content.appendingPathComponent("assets/gone.png").path, withDestinationPath: "nothing.png")
        let result = check(content: content)
        let lines = result.diagnostics.map { DiagnosticFormatter.line($0).replacingOccurrences(of: folder.url.resolvingSymlinksInPath().path, with: "TMP") }
        #expect(lines == [
            "Content/A9-secret.md: error: this file leads outside the content folder (it is a symbolic link to 'TMP/secret.md'), so it is not published; copy the file into the content folder instead [path-outside-content]",
            "Content/assets/gone.png: error: this file is a symbolic link to a file that does not exist; replace it with the real file [unsafe-file]",
            "Content/assets/loop-a: error: this file is a symbolic link that loops back on itself; replace it with the real file [unsafe-file]",
            "Content/assets/loop-b: error: this file is a symbolic link that loops back on itself; replace it with the real file [unsafe-file]",
            "Content/assets/pipe.png: error: this file is a named pipe, not a file; remove it from the content folder [unsafe-file]",
            "Content/assets/secret.png: error: this file leads outside the content folder (it is a symbolic link to 'TMP/secret.png'), so it is not published; copy the file into the content folder instead [path-outside-content]",
        ])
    }

    // Proves: a chapter, picture or folder whose name is not UTF-8 (written in another
    // encoding) is an error at the file, shown with U+FFFD where its bytes are not UTF-8,
    // never passed over without a word; the chapters in such a folder are not read.
    @Test func namesThatAreNotUTF8() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([
            "Content/guide.yml": "title: T\n",
            "Content/A0-a.md": "---\nid: A0\ntitle: A\nreviewed: 2026-10-01\n---\n\n# A\n\nText.\n",
        ])
        let content = folder.url.appendingPathComponent("Content")
        // Names in Latin-1, where é is the byte 0xE9.
        #expect(makeEntry(named: Array("A1-caf".utf8) + [0xE9] + Array(".md".utf8), in: content, text: "---\nid: A1\ntitle: Caf\n---\n\n# Caf\n"))
        #expect(makeEntry(named: Array("d".utf8) + [0xE9, 0x2E] + Array("png".utf8), in: content))
        #expect(makeEntry(named: Array("r".utf8) + [0xE9] + Array("sum".utf8), in: content, isFolder: true))
        let result = check(content: content)
        let lines = result.diagnostics.filter { $0.rule == .unsafeFile }.map { DiagnosticFormatter.line($0) }
        let reason = "has a name that is not UTF-8 text (shown here with \u{FFFD} where its bytes are not), so guide cannot read it (nor, for a folder, what is in it); rename it with letters, digits and hyphens [unsafe-file]"
        #expect(lines == [
            "Content/A1-caf\u{FFFD}.md: error: this file \(reason)",
            "Content/d\u{FFFD}.png: error: this file \(reason)",
            "Content/r\u{FFFD}sum: error: this file \(reason)",
        ])
        #expect(result.outcome == .contentErrors)
    }

    // Proves: a templates folder's file that guide must not read (a symbolic link leading
    // outside, a named pipe, a name that is not UTF-8) is an error at the file, in the
    // templates folder's words, not passed over for the built-in file of its name.
    @Test func templatesThatCannotBeRead() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write(["outside.mustache": "<p>{{page.title}}</p>\n", "Templates/static/ok.css": "p {}\n"])
        let templates = folder.url.appendingPathComponent("Templates")
        try FileManager.default.createDirectory(at: templates.appendingPathComponent("partials"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: templates.appendingPathComponent("layout.mustache").path, withDestinationPath: "../outside.mustache")
        #expect(mkfifo(templates.appendingPathComponent("partials/link.mustache").path, 0o644) == 0)
        #expect(makeEntry(named: Array("n".utf8) + [0xE9] + Array(".css".utf8), in: templates))
        let log = DiagnosticLog()
        _ = try TemplateSet.load(from: templates, displayRoot: "Templates", log: log)
        let lines = log.diagnostics.map { DiagnosticFormatter.line($0).replacingOccurrences(of: folder.url.resolvingSymlinksInPath().path, with: "TMP") }
        #expect(lines == [
            "Templates/layout.mustache: error: this file leads outside the templates folder (it is a symbolic link to 'TMP/outside.mustache'), so it is not used; copy the file into the templates folder instead [template]",
            "Templates/n\u{FFFD}.css: error: this file has a name that is not UTF-8 text (shown here with \u{FFFD} where its bytes are not), so guide cannot read it (nor, for a folder, what is in it); rename it with letters, digits and hyphens [template]",
            "Templates/partials/link.mustache: error: this file is a named pipe, not a file; remove it from the templates folder [template]",
        ])
    }

    // Proves: an output folder whose parent is a file is refused, naming that file.
    @Test func outputUnderAFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write(["file.txt": "x"])
        let result = build(content: Fixtures.content("basic"), output: folder.url.appendingPathComponent("file.txt/Site"))
        let path = folder.url.appendingPathComponent("file.txt").standardizedFileURL.path
        #expect(result.outcome == .configurationError("cannot write the site to '\(folder.url.appendingPathComponent("file.txt/Site").standardizedFileURL.path)': '\(path)' is a file, not a folder"))
    }

    // Proves: a chapter read by its path (the system's calls) is the same text, and fails the
    // same way, as read through Foundation: byte-order marks dropped alike, a NUL kept, a file
    // that is not UTF-8, a folder and a missing file each reported as before.
    @Test func readingByPathIsReadingByURL() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let files: [[UInt8]] = [[], Array("# A\n".utf8), [0xEF, 0xBB, 0xBF], [0xEF, 0xBB, 0xBF, 0x61], [0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF, 0x61],
                                [0x61, 0xEF, 0xBB, 0xBF], [0x61, 0x00, 0x62], Array("é ü 😀\r\n".utf8), [0x61, 0xE9, 0x0A], [0xFF, 0xFE, 0x61, 0x00],
                                Array(repeating: 0x61, count: 70_000)]
        var paths: [String] = []
        for (number, bytes) in files.enumerated() {
            let url = folder.url.appendingPathComponent("f\(number).md")
            try Data(bytes).write(to: url)
            paths.append(url.path)
        }
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("folder.md"), withIntermediateDirectories: true)
        paths += [folder.url.appendingPathComponent("folder.md").path, folder.url.appendingPathComponent("missing.md").path]
        func outcome(_ read: () throws(SourceFileError) -> SourceFile) -> String {
            do throws(SourceFileError) {
                let file = try read()
                return "text \(Array(file.text.utf8))"
            } catch {
                return "\(DiagnosticFormatter.line(error.diagnostic)) recovered \(error.recovered.map { Array($0.text.utf8) } ?? [])"
            }
        }
        for path in paths {
            let byPath = outcome { () throws(SourceFileError) in try SourceFile.read(path: path, relativePath: "x.md", displayPath: "Content/x.md") }
            let byURL = outcome { () throws(SourceFileError) in
                try SourceFile.read(at: URL(fileURLWithPath: path), relativePath: "x.md", displayPath: "Content/x.md")
            }
            #expect(byPath == byURL, "\(path)")
        }
    }
}
