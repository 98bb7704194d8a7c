import ArgumentParser
import Foundation
import GuideKit

/// `guide translate-status`: how each chapter stands in each language the guide lists.
struct TranslateStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate-status",
        abstract: "Show, per language, which chapters are translated, up to date, stale or missing.",
        discussion: """
        A translation records the version of its source chapter it translates (source: A2@… \
        in its front matter), made from the source's content, not its date. A translation \
        whose source has changed since is stale, with the sections that changed named; one \
        whose source changed its urgency boxes is an error in guide check until it is \
        updated. Each chapter not up to date is shown with the source: line for its source \
        as it is now, to paste once the translation matches it. A translation marked \
        'draft: true' says so; the site shows its source page until it is published. Start \
        one with: guide new ID --translation LANGUAGE.

        Examples:
          guide translate-status
          guide translate-status --format json > translations.json
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var folders: FolderOptions
    @OptionGroup var parse: ParseOptions

    @Option(help: ArgumentHelp("Output: text (a table per language) or json.", valueName: "format"))
    var format: Format = .text

    func run() throws {
        var options = BuildOptions(content: folders.content)
        options.parsing = parse.parsing
        let result = Pipeline.check(options)
        guard let guide = result.guide else {
            printDiagnostics(result.diagnostics)
            if case let .configurationError(message) = result.outcome { printError("error: \(message)") }
            throw ExitCode(result.exitCode == 0 ? 1 : result.exitCode)
        }
        print(format == .json ? TranslationCheck.json(result.translations) : TranslationCheck.table(result.translations, config: guide.config),
              terminator: "")
    }
}
