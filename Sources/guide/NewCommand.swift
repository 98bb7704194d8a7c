import ArgumentParser
import Foundation
import GuideKit

/// `guide new`: starts a chapter with complete front matter, as a draft.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a new chapter file, as a draft.",
        discussion: """
        Writes <content>/<ID>-<title>.md with front matter to fill in, a first heading, an FAQ \
        block and a References section. The chapter is a draft (left out of the site) until \
        you remove its 'draft: true' line.

        Examples:
          guide new B6 "Living well after CAR-T"
          guide new A5 "Paying for treatment" --content path/to/Content
        """
    )

    @Argument(help: "The chapter's id: its track's letters, then a number (A5, B12).")
    var id: String

    @Argument(help: "The chapter's title.")
    var title: String

    @OptionGroup var folders: FolderOptions

    func run() throws {
        let options = BuildOptions(content: folders.content)
        do {
            let path = try NewChapter.create(id: id, title: title, contentDirectory: options.contentDirectory,
                                             displayRoot: options.contentDisplay, today: options.today)
            print("Created \(path)")
        } catch let problem as NewChapter.Problem {
            printError("error: \(problem.description)")
            throw ExitCode(1)
        }
    }
}
