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

    // Proves: a folder guide wrote, to which someone has since added a .git repository, is
    // refused, naming that file, and left exactly as it was.
    @Test func markedFolderWithForeignFilesIsKept() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: Fixtures.content("basic"), output: site).outcome == .success)
        try folder.write(["Site/.git/HEAD": "ref: refs/heads/main\n", "Site/CNAME": "guide.example.org\n"])
        let result = build(content: Fixtures.content("basic"), output: site)
        #expect(result.outcome == .configurationError("the output folder '\(site.path)' holds '.git', which guide did not write; nothing was changed. Move it elsewhere, or choose another folder with --output"))
        #expect(try String(contentsOf: site.appendingPathComponent(".git/HEAD"), encoding: .utf8) == "ref: refs/heads/main\n")
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("CNAME").path))
        #expect(FileManager.default.fileExists(atPath: site.appendingPathComponent("a0.html").path))
    }

    // Proves: an output that is a symbolic link is refused (replacing it would leave the web
    // root it points to with the old site), and the link and its target are left alone.
    @Test func symbolicLinkOutputIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let webRoot = folder.url.appendingPathComponent("www")
        #expect(build(content: Fixtures.content("basic"), output: webRoot).outcome == .success)
        let link = folder.url.appendingPathComponent("Site")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: webRoot.path)
        let result = build(content: Fixtures.content("basic"), output: link)
        #expect(result.outcome == .configurationError("the output folder '\(link.path)' is a symbolic link (to '\(webRoot.path)'); nothing was changed. Give the real folder with --output"))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == webRoot.path)
    }

    // Proves: the staging folder a killed build left behind is removed by the next build,
    // while a folder of the same shape that is not ours (no marker) is kept.
    @Test func killedBuildsStagingIsCleanedUp() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        // A process id above the kernel's limit (2^22) cannot be running.
        try folder.write([".Site.guide-new-4194999/.guide-output": "marker\n", ".Site.guide-new-4194999/a0.html": "half",
                          ".Site.guide-old-4194998/notes.txt": "not ours"])
        #expect(build(content: Fixtures.content("basic"), output: folder.url.appendingPathComponent("Site")).outcome == .success)
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(".Site.guide-new-4194999").path))
        #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(".Site.guide-old-4194998/notes.txt").path))
        // The marker lists what was written, so the next build may replace it.
        let marker = try String(contentsOf: folder.url.appendingPathComponent("Site/.guide-output"), encoding: .utf8)
        #expect(marker.contains("\na0.html\n") && marker.contains("\nstatic/guide.css\n") && marker.contains("\nstatic\n"))
        #expect(build(content: Fixtures.content("basic"), output: folder.url.appendingPathComponent("Site")).outcome == .success)
    }

    // Proves: a stale staging folder is deleted with the folders in its folders and the
    // links in it, never what a link leads to; a link in a staging folder's place is left,
    // and so is the folder it leads to, marker and all.
    @Test func staleStagingRemovalFollowsNoLink() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write([".Site.guide-new-4194999/.guide-output": "marker\n", ".Site.guide-new-4194999/a0.html": "half",
                          ".Site.guide-new-4194999/search/x/0.js": "x", "elsewhere/.guide-output": "marker\n",
                          "elsewhere/notes.txt": "kept"])
        let elsewhere = folder.url.appendingPathComponent("elsewhere")
        let fm = FileManager.default
        try fm.createSymbolicLink(atPath: folder.url.appendingPathComponent(".Site.guide-new-4194999/search/link").path,
                                  withDestinationPath: elsewhere.path)
        let staleLink = folder.url.appendingPathComponent(".Site.guide-old-4194998")
        try fm.createSymbolicLink(atPath: staleLink.path, withDestinationPath: elsewhere.path)
        #expect(build(content: Fixtures.content("basic"), output: folder.url.appendingPathComponent("Site")).outcome == .success)
        #expect(!fm.fileExists(atPath: folder.url.appendingPathComponent(".Site.guide-new-4194999").path))
        #expect(try String(contentsOf: elsewhere.appendingPathComponent("notes.txt"), encoding: .utf8) == "kept")
        #expect(fm.fileExists(atPath: elsewhere.appendingPathComponent(".guide-output").path))
        #expect(try fm.destinationOfSymbolicLink(atPath: staleLink.path) == elsewhere.path)
    }

    /// The basic fixture copied into `folder` and built into its `Site`.
    static func builtBasicSite(in folder: TemporaryFolder) throws -> (content: URL, site: URL) {
        let content = try folder.copy(Fixtures.content("basic"), as: "Content")
        let site = folder.url.appendingPathComponent("Site")
        #expect(build(content: content, output: site).outcome == .success)
        return (content, site)
    }

    /// The inode number of a file (not following a link).
    static func inode(_ url: URL) -> UInt? {
        var status = stat()
        return lstat(url.path, &status) == 0 ? UInt(status.st_ino) : nil
    }

    // Proves: the print edition, written in pieces, is taken over only when every byte is
    // the same: an edit that keeps its length ("Jump" for "Read") still makes a new file.
    @Test func printEditionIsComparedByteForByte() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (content, site) = try Self.builtBasicSite(in: folder)
        let print = site.appendingPathComponent("print.html")
        let first = Self.inode(print)
        #expect(build(content: content, output: site).outcome == .success)
        #expect(Self.inode(print) == first && first != nil)
        let before = try Data(contentsOf: print)
        let chapter = content.appendingPathComponent("A0-start.md")
        let text = try String(contentsOf: chapter, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "Read [the next chapter]", with: "Jump [the next chapter]").utf8).write(to: chapter)
        #expect(build(content: content, output: site).outcome == .success)
        let after = try Data(contentsOf: print)
        #expect(Self.inode(print) != first)
        #expect(after.count == before.count && after != before)
        let clean = folder.url.appendingPathComponent("Clean")
        #expect(build(content: content, output: clean).outcome == .success)
        #expect(try Data(contentsOf: clean.appendingPathComponent("print.html")) == after)
    }

    // Proves: a build takes over the previous site's unchanged files by linking them (the
    // same file, no new one), writes changed ones anew, and the site is byte for byte what a
    // build into an empty folder writes; a link someone put in the old site in place of a
    // page is never carried over: the new site has a plain file there, and the old site is
    // removed with its links, never what they point to.
    @Test func unchangedFilesAreTakenOverAndLinksAreNot() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (content, site) = try Self.builtBasicSite(in: folder)
        let glossaryPage = site.appendingPathComponent("glossary.html"), a0 = site.appendingPathComponent("a0.html")
        let before = (glossary: Self.inode(glossaryPage), a0: Self.inode(a0))
        // A link to a file outside the site where a page was.
        let outside = folder.url.appendingPathComponent("secret.txt")
        try Data("secret".utf8).write(to: outside)
        let a2 = site.appendingPathComponent("a2.html")
        let a2Bytes = try Data(contentsOf: a2)
        try FileManager.default.removeItem(at: a2)
        try FileManager.default.createSymbolicLink(at: a2, withDestinationURL: outside)
        // Links to a folder outside where a page was, at the top of the site and in one of its
        // folders.
        let outsideFolder = folder.url.appendingPathComponent("Keep")
        try FileManager.default.createDirectory(at: outsideFolder, withIntermediateDirectories: true)
        try Data("kept".utf8).write(to: outsideFolder.appendingPathComponent("kept.txt"))
        for page in ["search.html", "search/index.js"] {
            try FileManager.default.removeItem(at: site.appendingPathComponent(page))
            try FileManager.default.createSymbolicLink(at: site.appendingPathComponent(page), withDestinationURL: outsideFolder)
        }
        let chapter = content.appendingPathComponent("A0-start.md")
        let text = try String(contentsOf: chapter, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "The first chapter", with: "The opening chapter").utf8).write(to: chapter)
        #expect(build(content: content, output: site).outcome == .success)
        #expect(Self.inode(glossaryPage) == before.glossary && before.glossary != nil)
        #expect(Self.inode(a0) != before.a0)
        let attributes = try FileManager.default.attributesOfItem(atPath: a2.path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular)
        #expect(try Data(contentsOf: a2) == a2Bytes)
        // The old site went, its links with it; what they pointed to is still there.
        #expect(try Data(contentsOf: outside) == Data("secret".utf8))
        #expect(try Data(contentsOf: outsideFolder.appendingPathComponent("kept.txt")) == Data("kept".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outsideFolder.path) == ["kept.txt"])
        let clean = folder.url.appendingPathComponent("Clean")
        #expect(build(content: content, output: clean).outcome == .success)
        for relative in SiteWriter.walk(clean) where relative != SiteWriter.markerName {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: clean.appendingPathComponent(relative).path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            #expect(FileManager.default.contents(atPath: site.appendingPathComponent(relative).path)
                    == FileManager.default.contents(atPath: clean.appendingPathComponent(relative).path), "\(relative)")
        }
    }

    // Reading ahead (asking the system for files before they are read) opens plain files
    // only, and returns without waiting: a pipe (which a plain open would wait on for a
    // writer), a link to it, a folder and a missing file are passed over. A changed marker
    // cannot make a build read ahead anything outside its output folder.
    // Proves: a file read moments ago is told to be in memory, and so is an empty one; a file
    // none of whose pages was ever read (a sparse one) is not; a pipe (never opened), a link,
    // a folder and a missing file tell nothing either way.
    @Test(.timeLimit(.minutes(1))) func filesInMemoryAreToldApart() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let root = folder.url.path
        try Data(repeating: UInt8(ascii: "a"), count: 20_000).write(to: folder.url.appendingPathComponent("read.html"))
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("read.html")).count == 20_000)
        try Data().write(to: folder.url.appendingPathComponent("empty.js"))
        let sparse = open(root + "/sparse.html", O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        #expect(sparse >= 0 && ftruncate(sparse, 1 << 20) == 0)
        close(sparse)
        #expect(mkfifo(root + "/pipe", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/read.html")
        #expect(ReadAhead.areInMemory([root + "/read.html", root + "/empty.js"]))
        #expect(!ReadAhead.areInMemory([root + "/read.html", root + "/sparse.html"]))
        // What is not a plain file tells nothing: passed over, and alone it is no evidence.
        let others = ["pipe", "link", "missing", ""].map { root + "/" + $0 }
        #expect(ReadAhead.areInMemory([root + "/read.html"] + others))
        #expect(!ReadAhead.areInMemory(others))
        #expect(!ReadAhead.areInMemory([root + "/sparse.html"] + others))
    }

    @Test(.timeLimit(.minutes(1))) func readingAheadOpensOnlyPlainFilesInTheSite() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let root = folder.url.path
        #expect(mkfifo(root + "/pipe", 0o600) == 0)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: root + "/pipe")
        try FileManager.default.createDirectory(atPath: root + "/search", withIntermediateDirectories: true)
        try Data("<p>page</p>".utf8).write(to: folder.url.appendingPathComponent("page.html"))
        ReadAhead.files(["pipe", "link", "search", "missing", "page.html"].map { root + "/" + $0 })
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("page.html")) == Data("<p>page</p>".utf8))
        let listed: Set<String> = ["a0.html", "search/index.js", "../secret.txt", "search/../../secret.txt", "/etc/passwd", "a..b.html"]
        #expect(SiteWriter.previousFiles(listed, in: root).sorted() == [root + "/a..b.html", root + "/a0.html", root + "/search/index.js"])
    }
}
