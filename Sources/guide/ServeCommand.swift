import ArgumentParser
import Foundation
import GuideKit

/// `guide serve`: builds the site, serves it on this computer, and rebuilds on every change.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build the site, serve it at http://127.0.0.1:PORT/, and rebuild when a file changes.",
        discussion: """
        Only this computer can open the site (the server listens on 127.0.0.1). When a chapter, \
        guide.yml, the glossary or a template is saved, the site is rebuilt at once (only \
        changed chapters are parsed again, only pages whose content changed are rendered \
        again, only changed files written), \
        and pages open in a browser reload by themselves. If the new version has errors, they \
        are printed and shown over the open pages, and the last good site stays up. An edit \
        that would break an address of published-urls.txt is only a warning here (check and \
        build refuse it), and serve never writes that list. Press Ctrl-C to stop.

        Examples:
          guide serve
          guide serve --port 8080 --drafts
        """
    )

    @OptionGroup var folders: FolderOptions
    @OptionGroup var parse: ParseOptions

    @Option(help: ArgumentHelp("The folder with the Mustache templates and static files (as for build).", valueName: "dir"))
    var templates: String?

    @Option(help: ArgumentHelp("The folder to write the site to.", valueName: "dir"))
    var output = "Site"

    @Option(help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "port"))
    var port: UInt16 = 8000

    @Flag(help: "Include chapters marked 'draft: true'.")
    var drafts = false

    func run() async throws {
        var options = BuildOptions(content: folders.content, templates: templates, output: output, includeDrafts: drafts)
        options.parsing = parse.parsing
        // Listen before any build: a taken port is a usage problem, said at once.
        let server = SiteServer(root: options.outputDirectory, log: printError)
        let builtIn = try? TemplateSet.load(from: options.templatesDirectory, displayRoot: options.templatesDisplay, log: DiagnosticLog())
        let live = LiveReload(script: builtIn?.serveFiles["serve/live-reload.js"] ?? "",
                              waitingPage: builtIn?.serveFiles["serve/waiting.html"] ?? "")
        server.liveReload = live
        do {
            try server.start(port: port)
        } catch let error as ServerError where error.addressInUse {
            printError("error: port \(port) on 127.0.0.1 is already in use; stop the program using it, or choose another port with --port (for example --port \(port == 8000 ? 8001 : 8000))")
            throw ExitCode(2)
        } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        let session = ServeSession()
        // Watching starts before the first build, so a file saved while it runs is built next.
        let watcher = FolderWatcher(folders: [options.contentDirectory] + (options.templatesDirectory.map { [$0] } ?? []))
        _ = build(options, live: live, session: session)
        printNow("Serving \(output) at http://127.0.0.1:\(server.port)/ (Ctrl-C to stop)")
        while true {
            // Sleeps until a file changes (inotify); an idle server uses no CPU.
            if watcher.changed(timeout: 60) {
                _ = build(options, live: live, session: session)
            }
            try Task.checkCancellation()
        }
    }

    /// Builds and prints what happened; true when the site was written.
    func build(_ options: BuildOptions, live: LiveReload, session: ServeSession) -> Bool {
        let result = Pipeline.rebuild(options, session: session)
        printDiagnostics(result.diagnostics)
        if result.outcome == .success {
            live.siteChanged()
        } else {
            var lines = result.diagnostics.filter { $0.severity == .error }.map { DiagnosticFormatter.line($0) }
            if case let .configurationError(message) = result.outcome { lines.append("error: \(message)") }
            live.problems(lines)
        }
        switch result.outcome {
        case .success:
            let work = session.lastWritten.map { " (parsed \(session.parseCache.lastParsed), wrote \($0) files)" } ?? ""
            printNow("Built \(result.chapterCount) chapters, \(result.pageCount) pages in \(String(format: "%.2f", result.seconds)) s\(work)"
                     + (result.guide?.draftsNote.map { ". " + $0 } ?? ""))
        case .contentErrors:
            printError("error: the site was not rebuilt; fix the errors above (the last good site is still served, and pages open in a browser show the errors)")
        case let .configurationError(message):
            printError("error: \(message)")
        }
        return result.outcome == .success
    }
}
