/// The print edition: every chapter on one page (`print.html`), rendered from the same
/// body as the chapter pages under `URLPolicy.Page.printEdition`.
enum PrintEdition {
    /// The anchor of a chapter in the print edition: its id in lower case.
    static func anchor(_ id: ChapterID) -> String { id.lowercased }
}
