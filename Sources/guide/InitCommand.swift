import ArgumentParser
import Foundation
import GuideKit

/// `guide init`: starts a new guide that builds cleanly.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a new guide: a small one that builds, to change into your own.",
        discussion: """
        Writes DIR/Content with guide.yml (every setting, each with a comment), glossary.yml, \
        three short chapters in two tracks (every kind of link, an FAQ block, an urgency box, \
        a picture) and an assets folder. Refuses a Content folder that already has files. \
        With --templates, also writes the built-in templates to DIR/Templates, to change \
        them; a file left out there comes from the built-in set.

        Examples:
          guide init my-guide
          guide init --templates
        """
    )

    @Argument(help: "The folder to start the guide in (made if needed).")
    var folder = "."

    @Flag(help: "Also write the built-in templates and static files to DIR/Templates.")
    var templates = false

    func run() throws {
        let url = URL(fileURLWithPath: folder)
        do {
            let written = try NewGuide.create(in: url, templates: templates, today: BuildOptions.defaultToday())
            print("Started a guide in \(folder == "." ? "this folder" : folder): \(written.filter { $0.hasPrefix("Content/") }.count) files in Content/\(templates ? ", \(written.count(where: { $0.hasPrefix("Templates/") })) in Templates/" : "").")
            print("Next:")
            if folder != "." { print("  cd \(folder)") }
            print("  guide serve          # see it at http://127.0.0.1:8000/ while you edit")
            print("  guide new A3 \"Your next chapter\"")
            print("  guide build          # write the site to Site/")
        } catch let problem as NewGuide.Problem {
            printError("error: \(problem.description)")
            throw ExitCode(2)
        }
    }
}
