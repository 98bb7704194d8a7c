import ArgumentParser
import Foundation
import GuideKit

extension DiagnosticFormatter.Format: ExpressibleByArgument {}

/// `guide check`: every problem in one run, without writing anything.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every chapter and cross-reference without writing the site.",
        discussion: """
        Runs the stages of a build (templates loaded and checked) without rendering or writing. \
        An address listed in published-urls.txt that the guide would no longer have is an \
        error, unless a redirect keeps it. Prints every problem, sorted by file and position, then a summary line. Exits 1 when \
        there is an error (or, with --strict, a warning), 2 when the check itself could not run.

        Examples:
          guide check
          guide check --format github --strict
          guide check --external --today 2026-11-01
          guide check --content path/to/Content --format json > problems.json
        """
    )

    @OptionGroup var folders: FolderOptions
    @OptionGroup var parse: ParseOptions

    @Option(help: ArgumentHelp("The folder with the Mustache templates, checked like the chapters (as for build).", valueName: "dir"))
    var templates: String?

    @Option(help: ArgumentHelp("Output: text (file:line:col: severity: message [rule]), github (GitHub Actions annotations) or json.", valueName: "format"))
    var format: DiagnosticFormatter.Format = .text

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    @Flag(help: "Also check http(s) links by asking their servers (answers are cached for a day in .guide-cache/).")
    var external = false

    @Flag(help: "With --external, also check links to this computer and to private networks (skipped by default).")
    var allowPrivate = false

    @Option(help: ArgumentHelp("Seconds to wait for each server with --external.", valueName: "seconds"))
    var timeout: Double = 10

    @Option(help: ArgumentHelp("The date to measure review deadlines from, YYYY-MM-DD. Default: SOURCE_DATE_EPOCH when set, else today.", valueName: "date"))
    var today: String?

    @Flag(help: "Check as if chapters marked 'draft: true' were published.")
    var drafts = false

    func validate() throws {
        if let today, Day(today) == nil {
            throw ValidationError("--today must be a real date written YYYY-MM-DD, like 2026-11-01, not '\(today)'")
        }
        if timeout <= 0 { throw ValidationError("--timeout must be above 0") }
    }

    func run() async throws {
        var options = BuildOptions(content: folders.content, templates: templates, includeDrafts: drafts, today: today.flatMap(Day.init))
        options.parsing = parse.parsing
        let result = Pipeline.check(options)
        if case let .configurationError(message) = result.outcome {
            printDiagnostics(result.diagnostics)
            printError("error: \(message)")
            throw ExitCode(2)
        }
        var diagnostics = result.diagnostics
        if external, let guide = result.guide {
            let cache = URL(fileURLWithPath: ".guide-cache/external-links.json")
            var checker = ExternalLinkChecker(cacheFile: cache, timeout: timeout)
            checker.allowPrivate = allowPrivate
            diagnostics = (diagnostics + (await checker.check(guide.chapters.flatMap(\.externalLinks)))).sorted()
        }
        if strict { diagnostics = diagnostics.map(\.asError) }
        let colour = format == .text && isatty(STDOUT_FILENO) == 1 && Environment.value("NO_COLOR") == nil
        print(DiagnosticFormatter.report(diagnostics, chapters: result.chapterCount, format: format, colour: colour), terminator: "")
        // Ends here, before the guide is freed part by part (as `build` does). The result is
        // kept alive through the call: Swift would free it after its last use, before `exit`.
        let code: Int32 = diagnostics.contains(where: { $0.severity == .error }) ? 1 : 0
        withExtendedLifetime((result, diagnostics)) { Foundation.exit(code) }
    }
}
