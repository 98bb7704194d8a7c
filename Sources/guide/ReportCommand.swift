import ArgumentParser
import Foundation
import GuideKit

/// `guide report`: each chapter's length, reading level and review dates.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Show each chapter's words, reading time, reading level, review dates and plain-language hot spots.",
        discussion: """
        Reading level is given three ways: the Flesch-Kincaid grade, the SMOG grade (which \
        health-literacy research prefers; it runs higher) and Flesch Reading Ease (0-100, \
        higher is easier). Only prose counts: not headings, code, tables or link addresses. \
        Then every plain-language hot spot (long sentences and paragraphs, abbreviations used \
        before they are spelled out and, in a guide in English, words neither everyday nor in \
        the glossary and passive voice), with guide.yml's plain_language thresholds or the \
        defaults. --html writes one page for an editorial team: grades as bars against the \
        target, reviews on a timeline with what falls due in the next 90 days, each hot spot \
        with its sentence; \
        sortable, printable, no network. A translated guide's chapters follow, measured in \
        their language: words, sentences and, for Spanish, the Fernández-Huerta and \
        Szigriszt-Pazos scores (0-100, higher is easier; 70 and 65 are "fairly easy"); \
        --language shows only one language's.

        Examples:
          guide report
          guide report --format json > report.json
          guide report --html report.html
          guide report --language es
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var folders: FolderOptions
    @OptionGroup var parse: ParseOptions

    @Option(help: ArgumentHelp("Output: text (a table) or json.", valueName: "format"))
    var format: Format = .text

    @Flag(help: "Include chapters marked 'draft: true'.")
    var drafts = false

    @Option(help: ArgumentHelp("Only the chapters translated into this language (one of guide.yml's languages).", valueName: "language"))
    var language: String?

    @Option(help: ArgumentHelp("Also write the editor's report page to this file.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("A folder of templates that replace the built-in ones (editor-report.mustache). Default: Templates/ here, else beside the content folder, else none.", valueName: "dir"))
    var templates: String?

    func run() throws {
        var options = BuildOptions(content: folders.content, templates: templates, includeDrafts: drafts)
        options.parsing = parse.parsing
        // The report lists plain-language findings with the default thresholds when guide.yml has none.
        options.plainLanguageFactsAlways = true
        let result = Pipeline.check(options)
        guard let guide = result.guide else {
            printDiagnostics(result.diagnostics)
            if case let .configurationError(message) = result.outcome { printError("error: \(message)") }
            printError("error: the guide has errors; run 'guide check' to see them all")
            throw ExitCode(result.exitCode == 0 ? 1 : result.exitCode)
        }
        let translations = TranslationReport.rows(for: result.editions, statuses: result.translations)
        if let language {
            guard guide.config.languages.contains(where: { $0.id == language }) else {
                let listed = guide.config.languages.map(\.id)
                printError("error: '\(language)' is not one of the guide's languages (\(listed.isEmpty ? "guide.yml lists none under 'languages'" : listed.joined(separator: ", ")))")
                throw ExitCode(2)
            }
            let rows = translations.filter { $0.language == language }
            print(format == .json ? TranslationReport.json(rows) : TranslationReport.table(rows), terminator: "")
            return
        }
        let rows = ChapterReport.rows(for: guide)
        var text = format == .json ? ChapterReport.json(rows) : ChapterReport.table(rows) + ChapterReport.hotSpots(rows)
        if format == .text, !translations.isEmpty {
            text += "\nTranslations, measured in their language:\n" + TranslationReport.table(translations)
        }
        print(text, terminator: "")
        if let html {
            // The templates were checked with the guide; only the report's is read here, and a
            // mistake that keeps it from being read stops the report before any file is written.
            let log = DiagnosticLog()
            let loaded = try TemplateSet.load(from: options.templatesDirectory, displayRoot: options.templatesDisplay, log: DiagnosticLog())
                .withReportTemplates(log: log)
            if log.hasErrors {
                printDiagnostics(log.diagnostics)
                printError("error: the editor's report was not written")
                throw ExitCode(1)
            }
            let page = EditorReport.html(guide, templates: loaded.withStrings(for: guide.config, log: log), today: options.today)
            do {
                try Data(page.utf8).write(to: URL(fileURLWithPath: html))
            } catch {
                printError("error: could not write \(html): \(error.localizedDescription)")
                throw ExitCode(2)
            }
            printError("Wrote the editor's report to \(html)")
        }
    }
}
