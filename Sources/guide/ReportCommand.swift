import ArgumentParser
import Foundation
import GuideKit

/// `guide report`: each chapter's length, reading level and review dates.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show each chapter's words, reading time, reading level and review dates.",
        discussion: """
        Reading level is given three ways: the Flesch-Kincaid grade, the SMOG grade (which \
        health-literacy research prefers; it runs higher) and Flesch Reading Ease (0-100, \
        higher is easier). Only prose counts: not headings, code, tables or link addresses.

        Examples:
          guide report
          guide report --format json > report.json
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var folders: FolderOptions
    @OptionGroup var parse: ParseOptions

    @Option(help: ArgumentHelp("Output: text (a table) or json.", valueName: "format"))
    var format: Format = .text

    @Flag(help: "Include chapters marked 'draft: true'.")
    var drafts = false

    func run() throws {
        var options = BuildOptions(content: folders.content, includeDrafts: drafts)
        options.parsing = parse.parsing
        let result = Pipeline.check(options)
        guard let guide = result.guide else {
            printDiagnostics(result.diagnostics)
            if case let .configurationError(message) = result.outcome { printError("error: \(message)") }
            printError("error: the guide has errors; run 'guide check' to see them all")
            throw ExitCode(result.exitCode == 0 ? 1 : result.exitCode)
        }
        let rows = ChapterReport.rows(for: guide)
        print(format == .json ? ChapterReport.json(rows) : ChapterReport.table(rows), terminator: "")
    }
}
