import ArgumentParser
import Foundation
import GuideKit

/// `guide new`: starts a chapter with complete front matter, as a draft.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create a new chapter file, or start a translation of one, as a draft.",
        discussion: """
        Writes <content>/<ID>-<title>.md with front matter to fill in, a first heading, an FAQ \
        block and a References section. The chapter is a draft (left out of the site) until \
        you remove its 'draft: true' line.

        With --translation LANGUAGE, starts a translation of chapter ID instead: \
        <content>/translations/<LANGUAGE>/<ID>-<title>.md holds the chapter's front matter and \
        text, to translate in place, and the source: line of its version today. It is a draft \
        (the site shows the source page) until you remove 'draft: true'. TITLE, if given, is \
        the translated title.

        Examples:
          guide new B6 "Living well after CAR-T"
          guide new A5 "Paying for treatment" --content path/to/Content
          guide new A3 --translation es
        """
    )

    @Argument(help: "The chapter's id: its track's letters, then a number (A5, B12).")
    var id: String

    @Argument(help: "The chapter's title (with --translation, the translated title; default: the source's).")
    var title: String?

    @Option(help: ArgumentHelp("Start a translation of chapter ID into this language (one of guide.yml's languages).", valueName: "language"))
    var translation: String?

    @OptionGroup var folders: FolderOptions

    func run() throws {
        let options = BuildOptions(content: folders.content)
        do {
            if let translation {
                let path = try NewChapter.createTranslation(of: id, language: translation, title: title, contentDirectory: options.contentDirectory,
                                                            displayRoot: options.contentDisplay)
                print("Created \(path): translate it in place, then remove its 'draft: true' line")
                return
            }
            guard let title else { throw ValidationError("give the chapter's title after its id, like: guide new \(id) \"Living well after CAR-T\"") }
            let path = try NewChapter.create(id: id, title: title, contentDirectory: options.contentDirectory,
                                             displayRoot: options.contentDisplay, today: options.today)
            print("Created \(path)")
        } catch let problem as NewChapter.Problem {
            printError("error: \(problem.description)")
            throw ExitCode(1)
        }
    }
}
