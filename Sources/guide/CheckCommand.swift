import ArgumentParser
import Foundation
import GuideKit

/// `guide check`: every problem in one run, without writing anything.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every chapter and cross-reference without writing the site.",
        discussion: """
        Prints one line per problem, as file:line:column: severity: message [rule], then a \
        summary. Exits 1 when there is an error.

        Examples:
          guide check
          guide check --content path/to/Content
        """
    )

    @OptionGroup var folders: FolderOptions

    @Flag(help: "Check as if chapters marked 'draft: true' were published.")
    var drafts = false

    func run() throws {
        let options = BuildOptions(content: folders.content, includeDrafts: drafts)
        let result = Pipeline.check(options)
        printDiagnostics(result.diagnostics)
        if case let .configurationError(message) = result.outcome {
            printError("error: \(message)")
        } else {
            let errors = result.diagnostics.filter { $0.severity == .error }.count
            let warnings = result.diagnostics.count - errors
            print(DiagnosticFormatter.summary(errors: errors, warnings: warnings, chapters: result.chapterCount))
        }
        if result.exitCode != 0 { throw ExitCode(result.exitCode) }
    }
}
