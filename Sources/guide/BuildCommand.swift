import ArgumentParser
import Foundation
import GuideKit

/// `guide build`: checks the guide, then writes the site.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Check the guide and write the site.",
        discussion: """
        Nothing is written when the guide has an error: the previous site stays as it was. \
        The site is written into a new folder and swapped in when complete (files unchanged \
        since the previous site are linked into it, not written again). The output folder \
        must be new, empty, or one that guide wrote before. It says how many drafts it left \
        out; --drafts includes them. It then brings Content/published-urls.txt up to date (every \
        address published; commit it), and refuses an edit that would break one of its \
        addresses unless a redirect keeps it or --accept-removed-urls lets it go. Each \
        language of guide.yml's languages gets the same pages under Site/<language>/, its \
        translations where they are ready and the source pages, with a notice, where they \
        are not; it says how many of each. Templates are built in; a templates folder \
        replaces them file by file.

        Examples:
          guide build
          guide build --content Content --templates Templates --output Site
          guide build --drafts --output /tmp/preview
        """
    )

    @OptionGroup var folders: FolderOptions
    @OptionGroup var parse: ParseOptions

    @Option(help: ArgumentHelp("A folder of templates and static files that replace the built-in ones of the same name (the others stay built in). Default: Templates/ here, else beside the content folder, else none.", valueName: "dir"))
    var templates: String?

    @Option(help: ArgumentHelp("The folder to write the site to.", valueName: "dir"))
    var output = "Site"

    @Flag(help: "Include chapters marked 'draft: true'.")
    var drafts = false

    @Flag(help: "Let published addresses that no longer lead anywhere go: take them out of published-urls.txt instead of refusing to build.")
    var acceptRemovedUrls = false

    func run() throws {
        var options = BuildOptions(content: folders.content, templates: templates, output: output, includeDrafts: drafts)
        options.parsing = parse.parsing
        if acceptRemovedUrls { options.removedURLs = .accept }
        let result = Pipeline.build(options)
        printDiagnostics(result.diagnostics)
        switch result.outcome {
        case .success:
            let seconds = String(format: "%.2f", result.seconds)
            print("Built \(result.chapterCount) chapters, \(result.pageCount) pages in \(seconds) s into \(output)")
            if let note = result.guide?.draftsNote { print(note) }
            if let note = result.publishedURLsNote { print(note) }
            if let note = result.translationsNote { print(note) }
        case .contentErrors:
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            printError("error: \(errors == 1 ? "1 error" : "\(errors) errors"); the site was not written")
        case let .configurationError(message):
            printError("error: \(message)")
        }
        // Ends here, before the guide is freed part by part: the system takes the whole
        // process back at once (about 15 ms of a 1,000-chapter build, in perf). The result is
        // kept alive through the call: Swift would free it after its last use, before `exit`.
        withExtendedLifetime(result) { Foundation.exit(result.exitCode) }
    }
}
