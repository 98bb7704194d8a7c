import Foundation
import Testing
@testable import GuideKit

/// The templates built into the binary: the same as `Templates/`, used when a guide has no
/// templates folder, and overridden file by file by one that has.
@Suite struct BuiltInTemplateTests {
    // Proves: the built-in set is exactly Templates/ (run scripts/embed-templates, or
    // `make build`, after changing a template).
    @Test func builtInSetIsTemplatesFolder() throws {
        var onDisk: [String: String] = [:]
        for listed in ContentLoader.walk(Fixtures.templates, folder: .templates) {
            #expect(listed.problem == nil, "\(listed.relative)")
            onDisk[listed.relative] = try String(contentsOf: Fixtures.templates.appendingPathComponent(listed.relative), encoding: .utf8)
        }
        #expect(Set(BuiltInTemplates.files.keys) == Set(onDisk.keys), "run scripts/embed-templates")
        for (path, text) in onDisk where BuiltInTemplates.files[path] != text {
            Issue.record("the built-in \(path) differs from Templates/\(path); run scripts/embed-templates")
        }
    }

    // Proves: every built-in template reads into swift-mustache with no mistake (what a
    // check relies on to leave them unread), and a set loaded for checking reads only the
    // templates that differ from the built-in ones: a broken one is still reported at its
    // line, and the set renders nothing.
    @Test func checkReadsOnlyTemplatesThatDifferFromTheBuiltInOnes() throws {
        let log = DiagnosticLog()
        let full = try TemplateSet.load(from: Fixtures.templates, displayRoot: "Templates", log: log, cache: nil)
        #expect(log.diagnostics.isEmpty, "\(compact(log.diagnostics))")
        for path in BuiltInTemplates.files.keys where path.hasSuffix(".mustache") && !path.hasPrefix("editor-report") {
            #expect(full.library.getTemplate(named: String(path.dropLast(".mustache".count))) != nil, "\(path)")
        }
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let templates = try folder.copy(Fixtures.templates, as: "Templates")
        try Data("{{#title}}\n".utf8).write(to: templates.appendingPathComponent("partials/faq.mustache"))
        let checkLog = DiagnosticLog()
        let checked = try TemplateSet.load(from: templates, displayRoot: "Templates", log: checkLog, cache: nil, forChecking: true)
        #expect(compact(checkLog.diagnostics) == ["Templates/partials/faq.mustache:2:1 error template"])
        #expect(checked.library.getTemplate(named: "chapter") == nil && !checked.rendersPages && full.rendersPages)
    }

    func site(templates: URL?, in folder: TemporaryFolder, name: String) throws -> [String: Data] {
        var options = BuildOptions(content: Fixtures.content("markup").path, output: folder.url.appendingPathComponent(name).path,
                                   today: testToday, workingDirectory: folder.url)
        options.templatesDirectory = templates
        let result = Pipeline.build(options)
        #expect(result.outcome == .success, "\(compact(result.diagnostics))")
        var files: [String: Data] = [:]
        let root = folder.url.appendingPathComponent(name)
        for relative in SiteWriter.walk(root) {
            var isDirectory: ObjCBool = false
            let url = root.appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue, relative != SiteWriter.markerName {
                files[relative] = try Data(contentsOf: url)
            }
        }
        return files
    }

    // Proves: with no templates folder, guide builds the same site, byte for byte, as with
    // the source tree's Templates/.
    @Test func noTemplatesFolderBuildsTheSameSite() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        #expect(BuildOptions(content: "Content", workingDirectory: folder.url).templatesDirectory == nil)
        let builtIn = try site(templates: nil, in: folder, name: "built-in")
        let fromFolder = try site(templates: Fixtures.templates, in: folder, name: "folder")
        #expect(builtIn.count > 15 && builtIn["search/index.js"] != nil && builtIn["static/guide.css"] != nil)
        #expect(builtIn == fromFolder)
    }

    // Proves: a folder holding one template changes what that template writes and nothing
    // else; the rest comes from the built-in set.
    @Test func oneFileOverridesOnlyItself() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write(["Mine/partials/task.mustache": "<input type=\"checkbox\" class=\"mine\"{{#checked}} checked{{/checked}}> {{{content}}}\n"])
        let builtIn = try site(templates: nil, in: folder, name: "built-in")
        let overridden = try site(templates: folder.url.appendingPathComponent("Mine"), in: folder, name: "mine")
        #expect(Set(builtIn.keys) == Set(overridden.keys))
        let changed = builtIn.keys.filter { builtIn[$0] != overridden[$0] }.sorted()
        // The tasks are in A3, and in the print edition; the search index holds no markup.
        #expect(changed == ["a3.html", "print.html"])
        #expect(String(decoding: overridden["a3.html"]!, as: UTF8.self).contains("<input type=\"checkbox\" class=\"mine\" checked> Ask about"))
    }
}
