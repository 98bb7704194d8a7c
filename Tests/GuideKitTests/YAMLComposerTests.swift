import Foundation
import Testing
import Yams
@testable import GuideKit

/// The YAML composer that reads libyaml's events itself: it makes exactly the nodes Yams
/// makes, or leaves the text to Yams.
@Suite struct YAMLComposerTests {
    nonisolated(unsafe) static let constructor = Constructor.default

    /// Every YAML text of the project: the shipped guide's and the fixtures' settings,
    /// glossaries and strings, and each chapter's front matter.
    static func projectTexts() throws -> [(name: String, text: String)] {
        let project = Fixtures.shippedContent.deletingLastPathComponent()
        var texts: [(String, String)] = []
        for folder in ["Content", "Templates", "Tests/Fixtures"] {
            let walker = FileManager.default.enumerator(at: project.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            while let url = walker?.nextObject() as? URL {
                guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
                if url.pathExtension == "yml" {
                    texts.append((url.path, text))
                } else if url.pathExtension == "md", case let .closed(_, yaml) = FrontMatter.split(text) {
                    texts.append((url.path, yaml))
                }
            }
        }
        return texts.sorted { $0.0 < $1.0 }
    }

    /// Texts of every kind of value a guide writes, one at a time.
    static let kinds = [
        "", "---\n", "# only a comment\n", "id: A1\n", "title: 'single'\nsummary: \"double \\u00e9\"\n",
        "related: [A0, B3]\nformerly:\n  - A2\n  - B1\n", "anchors: {old-slug: new-slug, two: three}\n",
        "text: |\n  kept\n  lines\nfolded: >\n  one\n  two\n", "empty:\nnull-word: null\nbool: yes\nnumber: 012\n",
        "nested:\n  - term: CRS\n    aliases: [cytokine storm]\n  - term: ICANS\n", "é: ñ\n\"quoted key\": v\n",
        "- a\n- [b, c]\n- {d: e}\n", "plain text at the root", "key: value # a comment\n", "id: A1\r\ntitle: T\r\n",
        "long: " + String(repeating: "word ", count: 2_000) + "\n", "a: 'it''s'\nb: \"tab\\there\"\n",
        (0..<40).map { "k\($0): v\n" }.joined(),
    ]

    /// Whether two nodes are the same in everything a reader of them can see: kind, text,
    /// tag (as written and as resolved), style, place, and their items in order.
    static func same(_ a: Node, _ b: Node) -> Bool {
        guard a.mark?.line == b.mark?.line, a.mark?.column == b.mark?.column, a.tag.description == b.tag.description else { return false }
        switch (a, b) {
        case let (.scalar(x), .scalar(y)):
            return x.string == y.string && x.tag.description == y.tag.description && x.style == y.style
        case let (.sequence(x), .sequence(y)):
            return x.tag.description == y.tag.description && x.style == y.style && x.count == y.count && zip(x, y).allSatisfy { same($0, $1) }
        case let (.mapping(x), .mapping(y)):
            return x.tag.description == y.tag.description && x.style == y.style && x.count == y.count
                && zip(x, y).allSatisfy { same($0.key, $1.key) && same($0.value, $1.value) }
        default:
            return false
        }
    }

    /// Whether the composer makes of `text` what Yams makes; a text it leaves to Yams must
    /// be one Yams refuses, or one with a tag, an anchor or an alias.
    func composedAlike(_ text: String) -> Bool {
        let outcome = YAMLComposer.compose(text, resolver: .basic, constructor: Self.constructor)
        let theirs: Node?
        do { theirs = try Yams.compose(yaml: text, .basic, Self.constructor, .utf8) } catch { return outcome == .leftToYams }
        guard case let .composed(ours) = outcome else { return text.contains { "!&*".contains($0) } }
        switch (ours, theirs) {
        case (nil, nil): return true
        case let (ours?, theirs?): return Self.same(ours, theirs) && ours == theirs
        default: return false
        }
    }

    // Proves: every YAML text of the project, and each kind of value, is composed here into
    // the nodes Yams makes of it.
    @Test func composesWhatYamsComposes() throws {
        let texts = try Self.projectTexts()
        #expect(texts.count > 60)
        for (name, text) in texts { #expect(composedAlike(text), "\(name)") }
        for text in Self.kinds {
            #expect(YAMLComposer.compose(text, resolver: .basic, constructor: Self.constructor) != .leftToYams, "\(text)")
            #expect(composedAlike(text), "\(text)")
        }
    }

    // Proves: what this composer does not make is left to Yams, which reports it or makes it
    // as it always has: malformed text, a key written twice, a tag, an anchor or alias, a
    // key that is a list, a second document.
    @Test(arguments: [
        "title: [unclosed\n", "id: A1\nid: A2\n", "a:\n  b: 1\n  b: 2\n", "id: !!str A1\n", "list: !custom [a]\n",
        "id: &a A1\ntitle: *a\n", "? [a, b]\n: c\n", "id: A1\n---\nid: A2\n", "a: b: c\n", "\tid: A1\n",
        // A key written twice among a long mapping's keys (past those compared in a list).
        (0..<40).map { "k\($0): v\n" }.joined() + "k3: again\n", (0..<40).map { "k\($0): v\n" }.joined() + "k39: again\n",
        (0..<16).map { "k\($0): v\n" }.joined() + "k15: again\n",
    ])
    func leavesTheRestToYams(text: String) {
        #expect(YAMLComposer.compose(text, resolver: .basic, constructor: Self.constructor) == .leftToYams)
    }

    // Proves: a place made here reads back as the line and column it was made from, as Yams'
    // own places do.
    @Test func yamlMarksAreLinesAndColumns() throws {
        let mark = YAMLComposer.mark(line: 12, column: 7)
        #expect(mark.line == 12 && mark.column == 7 && mark.description == "12:7")
        let yams = try #require(try Yams.compose(yaml: "a:\n  b: c\n", .basic, Self.constructor, .utf8)?.mapping?.first?.value.mapping?.first?.value.mark)
        #expect(yams.line == 2 && yams.column == 6)
        #expect(YAMLComposer.mark(line: 2, column: 6).description == yams.description)
    }
}
