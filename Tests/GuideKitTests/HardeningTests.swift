import Foundation
import Testing
@testable import GuideKit

/// Safe to leave running: inputs meant to hang or exhaust `guide` are refused quickly.
@Suite struct HardeningTests {
    /// A "billion laughs" YAML bomb: nine levels of nine aliases, then an alias used as a key,
    /// with a tab after a colon so that a scan for ": &" would miss it.
    static func bomb(indent: String = "") -> String {
        var lines = ["\(indent)l0:\t&l0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            lines.append("\(indent)l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        lines.append("\(indent)? *l9\n\(indent): boom")
        return lines.joined(separator: "\n") + "\n"
    }

    // Proves: a YAML bomb in a chapter, in guide.yml and in glossary.yml is an error at its first
    // anchor, answered within a second (composing it would take minutes or run out of memory).
    @Test(arguments: ["chapter", "guide.yml", "glossary.yml"])
    func yamlBombsAreRefusedAtOnce(place: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        var files = [
            "Content/guide.yml": "title: T\n",
            "Content/A0-a.md": "---\nid: A0\ntitle: A\nreviewed: 2026-10-01\n---\n\n# A\n",
        ]
        switch place {
        case "chapter": files["Content/A0-a.md"] = "---\nid: A0\ntitle: A\n" + Self.bomb() + "---\n\n# A\n"
        case "guide.yml": files["Content/guide.yml"] = "title: T\n" + Self.bomb()
        default: files["Content/glossary.yml"] = "- term: T\n  definition: D\n  extra:\n" + Self.bomb(indent: "    ")
        }
        try folder.write(files)
        let start = Date()
        let result = check(content: folder.url.appendingPathComponent("Content"))
        #expect(Date().timeIntervalSince(start) < 1)
        let line = place == "chapter" ? 4 : place == "guide.yml" ? 2 : 4
        let column = place == "glossary.yml" ? 9 : 5
        #expect(result.diagnostics.contains {
            $0.location.line == line && $0.location.column == column && $0.message == "the anchor '&l0' is a YAML shortcut that guide does not accept"
        }, "\(result.diagnostics.map { DiagnosticFormatter.line($0) })")
    }
}
