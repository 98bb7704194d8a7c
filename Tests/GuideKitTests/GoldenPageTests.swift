import Foundation
import Testing
@testable import GuideKit

/// Golden pages, in the manner of mdBook's test suite: each fixture guide below is built with
/// the project's templates, and the `<main>` of every page is compared with the file of the
/// same name in the fixture's `Golden/` folder. `GUIDE_UPDATE_GOLDEN=1 swift test` writes the
/// golden files anew; review the difference with `git diff` before committing it.
@Suite struct GoldenPageTests {
    /// The fixtures with golden pages: each builds without errors.
    static let guides = ["basic", "markup", "words"]
    static let updating = ProcessInfo.processInfo.environment["GUIDE_UPDATE_GOLDEN"] == "1"

    static func goldenFolder(_ guide: String) -> URL {
        Fixtures.root.appendingPathComponent(guide).appendingPathComponent("Golden")
    }

    /// The `<main>` element of a page, as written.
    static func main(of page: String) -> String? {
        guard let open = page.range(of: "<main"), let close = page.range(of: "</main>", range: open.upperBound..<page.endIndex) else { return nil }
        return String(page[open.lowerBound..<close.upperBound]) + "\n"
    }

    // Proves: every page of every golden fixture has exactly its golden `<main>`.
    @Test(arguments: guides)
    func pagesMatchTheirGoldens(guide: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let site = folder.url.appendingPathComponent("site")
        let result = build(content: Fixtures.content(guide), output: site, drafts: true)
        #expect(result.outcome == .success, "\(compact(result.diagnostics))")
        let golden = Self.goldenFolder(guide)
        let pages = try FileManager.default.contentsOfDirectory(atPath: site.path).filter { $0.hasSuffix(".html") }.sorted()
        #expect(!pages.isEmpty)
        if Self.updating {
            try? FileManager.default.removeItem(at: golden)
            try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
        }
        for page in pages {
            let text = try String(contentsOf: site.appendingPathComponent(page), encoding: .utf8)
            let main = try #require(Self.main(of: text), "\(guide)/\(page) has no <main>")
            let goldenFile = golden.appendingPathComponent(page)
            if Self.updating {
                try Data(main.utf8).write(to: goldenFile)
                continue
            }
            guard let expected = try? String(contentsOf: goldenFile, encoding: .utf8) else {
                Issue.record("\(guide)/\(page) has no golden file; run GUIDE_UPDATE_GOLDEN=1 swift test --filter GoldenPageTests")
                continue
            }
            if main != expected {
                let got = main.split(separator: "\n", omittingEmptySubsequences: false)
                let want = expected.split(separator: "\n", omittingEmptySubsequences: false)
                let line = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
                Issue.record("""
                    \(guide)/\(page) differs from Golden/\(page) at line \(line + 1):
                      golden: \(line < want.count ? want[line] : "(end)")
                      built:  \(line < got.count ? got[line] : "(end)")
                    """)
            }
        }
    }

    // Proves: no golden file is left over: each belongs to a page that a golden test builds,
    // and only the fixtures above have a Golden folder.
    @Test func everyGoldenIsUsed() throws {
        let fm = FileManager.default
        for fixture in try fm.contentsOfDirectory(atPath: Fixtures.root.path).sorted() {
            let golden = Self.goldenFolder(fixture)
            guard fm.fileExists(atPath: golden.path) else { continue }
            guard Self.guides.contains(fixture) else {
                Issue.record("Tests/Fixtures/\(fixture)/Golden is not compared by any test; add '\(fixture)' to GoldenPageTests.guides or remove it")
                continue
            }
            let folder = try TemporaryFolder()
            defer { folder.cleanup() }
            let site = folder.url.appendingPathComponent("site")
            _ = build(content: Fixtures.content(fixture), output: site, drafts: true)
            let pages = Set(try fm.contentsOfDirectory(atPath: site.path))
            for file in try fm.contentsOfDirectory(atPath: golden.path).sorted() where !pages.contains(file) {
                Issue.record("Tests/Fixtures/\(fixture)/Golden/\(file) is not a page of the built fixture; remove it")
            }
        }
    }
}
