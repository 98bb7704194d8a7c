import Foundation
import Testing
import Yams
@testable import GuideKit

/// The YAML composer that reads libyaml's events itself: it reads exactly the values guide
/// reads of the nodes Yams makes, or leaves the text to Yams.
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

    /// Whether the composer reads of `text` the values guide reads of Yams' nodes (kind,
    /// text, whether plain, place, and items in order); a text it leaves to Yams must be one
    /// Yams refuses, or one with a tag, an anchor or an alias.
    func composedAlike(_ text: String) -> Bool {
        let outcome = YAMLComposer.compose(text)
        let theirs: Node?
        do { theirs = try Yams.compose(yaml: text, .basic, Self.constructor, .utf8) } catch { return outcome == .leftToYams }
        guard case let .composed(ours) = outcome else { return text.contains { "!&*".contains($0) } }
        switch (ours, theirs) {
        case (nil, nil): return true
        case let (ours?, theirs?): return (try? YAMLValue(theirs)) == ours
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
            #expect(YAMLComposer.compose(text) != .leftToYams, "\(text)")
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
        #expect(YAMLComposer.compose(text) == .leftToYams)
    }

    // Proves: what guide reads of a text is its values' texts, whether each is plain, and
    // where each starts, keys included, whichever of the composer and Yams read it.
    @Test func readsTextsPlainnessAndPlaces() throws {
        let text = "a:\n  b: 'c'\n  list: [d, \"e\"]\nf: |\n  g\n"
        let expected = YAMLValue(content: .mapping([
            .init(key: YAMLValue(content: .scalar(.init(string: "a", isPlain: true)), line: 1, column: 1),
                  value: YAMLValue(content: .mapping([
                      .init(key: YAMLValue(content: .scalar(.init(string: "b", isPlain: true)), line: 2, column: 3),
                            value: YAMLValue(content: .scalar(.init(string: "c", isPlain: false)), line: 2, column: 6)),
                      .init(key: YAMLValue(content: .scalar(.init(string: "list", isPlain: true)), line: 3, column: 3),
                            value: YAMLValue(content: .sequence([
                                YAMLValue(content: .scalar(.init(string: "d", isPlain: true)), line: 3, column: 10),
                                YAMLValue(content: .scalar(.init(string: "e", isPlain: false)), line: 3, column: 13),
                            ]), line: 3, column: 9)),
                  ]), line: 2, column: 3)),
            .init(key: YAMLValue(content: .scalar(.init(string: "f", isPlain: true)), line: 4, column: 1),
                  value: YAMLValue(content: .scalar(.init(string: "g\n", isPlain: false)), line: 4, column: 4)),
        ]), line: 1, column: 1)
        #expect(YAMLComposer.compose(text) == .composed(expected))
        let yams = try #require(try Yams.compose(yaml: text, .basic, Self.constructor, .utf8))
        #expect(try YAMLValue(yams) == expected)
        // A text with a tag is Yams' to read, into the same values.
        #expect(try YAMLDocument.compose("a: !!str 'x'\n") == YAMLValue(content: .mapping([
            .init(key: YAMLValue(content: .scalar(.init(string: "a", isPlain: true)), line: 1, column: 1),
                  value: YAMLValue(content: .scalar(.init(string: "x", isPlain: false)), line: 1, column: 4)),
        ]), line: 1, column: 1))
    }
}
