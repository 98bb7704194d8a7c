import ArgumentParser
// The system's mimalloc serves every malloc and free of the program and its parse workers,
// by being linked; the program also sets when it gives freed pages back (`FreedMemory`).
import CMimalloc
import Foundation
import GuideKit

/// The `guide` command: one subcommand per verb, each a thin layer over GuideKit.
@main
struct Guide: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guide",
        abstract: "Build and check a patient-education guide written in Markdown.",
        discussion: """
        Chapters are Markdown files in Content/, shaped by the templates in Templates/; \
        the site is written to Site/.

        Exit codes: 0 success, 1 content errors, 2 usage or configuration errors.
        """,
        subcommands: [InitCommand.self, BuildCommand.self, CheckCommand.self, ReportCommand.self, TranslateStatusCommand.self, ServeCommand.self,
                      NewCommand.self,
                      ParseWorkerCommand.self]
    )

    /// Runs the command, mapping argument errors to exit code 2 (ArgumentParser's own is 64).
    static func main() async {
        // Every build starts its parse workers with exactly these arguments: read here, they
        // skip the argument parser, a share of each worker's start.
        let arguments = CommandLine.arguments
        if arguments.count == 4, arguments[1] == "parse-worker", arguments[2] == "--memory-limit", let limit = Int(arguments[3]) {
            Foundation.exit(ParseWorker.run(memoryLimit: limit))
        }
        // A build's or check's parse workers start while its command line is read (see
        // `startWorkersEarly`); the run takes them if its options ask for the same workers.
        if arguments.count > 1, arguments[1] == "build" || arguments[1] == "check" {
            ParseOptions.parsing(timeout: ParseOptions.defaultTimeout).startWorkersEarly()
        }
        // mimalloc's delay before it gives a freed page back to the system, as it starts.
        let delay = mi_option_get(mi_option_decommit_delay)
        FreedMemory.returnAtOnce = { atOnce in mi_option_set(mi_option_decommit_delay, atOnce ? 0 : delay) }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // Help, or a mistake in the command line: no run took the workers started early.
            ParsingOptions.stopWorkersStartedEarly()
            let code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if code == 0 {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { printError(message) }
            Foundation.exit(code == ExitCode.validationFailure.rawValue ? 2 : code)
        }
    }
}

/// The folders every command reads, as flags.
struct FolderOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The folder with guide.yml and the chapters.", valueName: "dir"))
    var content = "Content"
}

/// How chapters are parsed: in worker processes that this binary starts and supervises.
struct ParseOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Seconds cmark-gfm may take on one chapter before it is stopped and reported.", valueName: "seconds"))
    var parseTimeout: Double = ParseOptions.defaultTimeout

    static let defaultTimeout: Double = 5

    func validate() throws {
        if parseTimeout <= 0 { throw ValidationError("--parse-timeout must be above 0") }
    }

    /// Workers are this same binary (`guide parse-worker`); GUIDE_PARSE_IN_PROCESS=1 parses
    /// in this process instead, for `make bench` to measure what supervision costs.
    var parsing: ParsingOptions { Self.parsing(timeout: parseTimeout) }

    static func parsing(timeout: Double) -> ParsingOptions {
        let inProcess = Environment.value("GUIDE_PARSE_IN_PROCESS") == "1"
        guard !inProcess, let executable = Bundle.main.executableURL else { return ParsingOptions(mode: .inProcess, timeout: timeout) }
        return ParsingOptions(mode: .workers(executable: executable), timeout: timeout)
    }
}

/// `guide parse-worker`: parses chapters sent on standard input (see `ParseWorker`).
/// Started by `guide` itself; not for people.
struct ParseWorkerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "parse-worker", shouldDisplay: false)

    @Option var memoryLimit: Int = 2 << 30

    func run() throws {
        let status = ParseWorker.run(memoryLimit: memoryLimit)
        if status != 0 { throw ExitCode(status) }
    }
}

/// Prints diagnostics to standard error, coloured only on a terminal.
func printDiagnostics(_ diagnostics: [Diagnostic]) {
    let colour = isatty(STDERR_FILENO) == 1 && Environment.value("NO_COLOR") == nil
    for diagnostic in diagnostics {
        printError(DiagnosticFormatter.line(diagnostic, colour: colour))
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints a line to standard output at once, not when the buffer fills (for `serve`, whose
/// output is read while it runs).
func printNow(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
