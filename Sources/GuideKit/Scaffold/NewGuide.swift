import Foundation

/// `guide init`: a small guide that builds cleanly and shows every feature an author uses,
/// to start from.
public enum NewGuide {
    /// Why a guide could not be created.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes the starter guide into `folder/Content` (and, with `templates`, the built-in
    /// templates into `folder/Templates`); refuses a content folder that has files. Returns
    /// the paths written, relative to `folder`.
    public static func create(in folder: URL, templates: Bool, today: Day) throws -> [String] {
        let fm = FileManager.default
        let content = folder.appendingPathComponent("Content")
        for (name, target) in [("Content", content), ("Templates", folder.appendingPathComponent("Templates"))]
            where name == "Content" || templates {
            if let entries = try? fm.contentsOfDirectory(atPath: target.path), !entries.isEmpty {
                throw Problem(description: "'\(target.path)' already has files; guide init starts a new guide only in an empty folder (to add a chapter to a guide, use guide new)")
            }
        }
        var files = starterFiles(today: today).map { ("Content/" + $0.key, $0.value) }
        if templates {
            files += BuiltInTemplates.files.map { ("Templates/" + $0.key, $0.value) }
        }
        files.sort { $0.0 < $1.0 }
        for (path, text) in files {
            let url = folder.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return files.map(\.0)
    }

    /// The starter guide's files by their path under `Content/`.
    static func starterFiles(today: Day) -> [String: String] {
        [
            "guide.yml": """
            # The guide's settings. Only 'title' is required; the rest show their defaults or an example.
            title: My first guide            # the guide's name, on every page
            language: en                     # the pages' language (BCP 47), which also picks Templates/strings/<language>.yml
            base_url: https://example.org/my-guide/   # where the site will live: canonical links and sitemap.xml; remove if unknown
            tracks:                          # the tracks in reading order; a chapter's id letter picks its track
              - id: A
                title: Getting started
              - id: B
                title: Going further
            reading_level:
              target_grade: 8                # chapters harder to read than this grade get a warning
            review:
              interval_months: 12            # how often a chapter needs a medical review ("Next review due")
            strings: {}                      # your own words for the site's labels, e.g. callout-tip: "Good to know"
            organisation: Your clinic's name # shown under the title and on the call card
            contact:                         # how readers reach you: in the footer and on the call card
              phone: "+1 555 0100"
              url: https://example.org/contact
            emergency_number: "911"          # your country's emergency number (911, 999, 112…): the emergency box says to call it
            disclaimer: This guide is for education only. It is not medical advice. Talk to your care team about your own care.
            logo: assets/logo.svg            # an image under Content/, shown beside the title
            show_ids: true                   # false hides chapter ids like "A1" from readers
            redirects: {}                    # pages taken out or merged, old → new, e.g. A7: B2 (see published-urls.txt in the README)
            plain_language:                  # guide check warns about hard reading (guide report lists it all)
              sentence_words: 25             # sentences longer than this
              paragraph_sentences: 5         # paragraphs longer than this
              passive_percent: 10            # chapters with more passive sentences than this
              everyday_words: [glossary]     # words you judge plain that the check does not know
            languages: []                    # translations in translations/<id>/, e.g. - {id: es, name: Español}

            """,
            "glossary.yml": """
            # Medical words and their plain meanings. The first use of each in a chapter links here.
            - term: Care team
              aliases: [your team]
              definition: The doctors, nurses and other staff who look after you.
            - term: Fever
              definition: A body temperature of 38 °C (100.4 °F) or higher.

            """,
            "A1-welcome.md": """
            ---
            id: A1
            title: Welcome
            summary: What this guide is and how to use it.
            reviewed: \(today)
            reviewer: Your name, RN
            related: [A2]
            ---

            # Welcome

            This guide helps you and your family get ready for your treatment. Read the
            chapters in order, or jump to the one you need.

            Next, read [](A2). It shows what to pack. For the questions people ask most, see
            [the questions in chapter A2](A2#frequently-asked-questions).

            ![A checklist with three ticked boxes](assets/checklist.svg)

            ## How to use this guide

            Each chapter is short. Words in the glossary link to their meaning. A link can also
            name a chapter's file, like this one to [the packing list](A2-what-to-bring.md).

            When you are ready for more, go on to [](B1).

            """,
            "A2-what-to-bring.md": """
            ---
            id: A2
            title: What to bring
            summary: A short list of things to pack, and when to call your care team.
            reviewed: \(today)
            reviewer: Your name, RN
            related: [A1, B1]
            ---

            # What to bring

            Pack these things the day before you come in:

            - [ ] Your wallet card and a list of your medicines
            - [ ] Comfortable clothes and something to read
            - [ ] The phone number of your care team

            > [!URGENT]
            > Call your care team right away if you have a fever, day or night.

            ## Frequently asked questions

            ### Can someone stay with me?

            Yes. Most people have a family member or friend with them. Ask your team
            what works on your ward.

            ### What if I forget something?

            Do not worry. Your team can help you find what you need. See
            [the list above](#what-to-bring).

            """,
            "B1-after-you-go-home.md": """
            ---
            id: B1
            title: After you go home
            summary: How to take care of yourself in the first weeks at home.
            reviewed: \(today)
            reviewer: Your name, RN
            related: [A2]
            ---

            # After you go home

            Rest as much as you need. Eat well and drink plenty of water.

            Keep a note of how you feel each day. Bring it to your next visit. If you are
            not sure what to watch for, read [](A2) again.

            > [!TIP]
            > Put your care team's phone number on the fridge.

            """,
            "assets/logo.svg": """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" role="img" aria-label="Logo">
              <circle cx="16" cy="16" r="14" fill="#1f4e79"/>
              <path d="M16 8v16M8 16h16" stroke="#fff" stroke-width="4"/>
            </svg>

            """,
            "assets/checklist.svg": """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="A checklist">
              <rect x="8" y="6" width="48" height="52" rx="4" fill="#fff" stroke="#1f4e79" stroke-width="3"/>
              <path d="M16 20l4 4 8-8M16 34l4 4 8-8M16 48l4 4 8-8" fill="none" stroke="#2e7d32" stroke-width="3"/>
              <path d="M34 20h14M34 34h14M34 48h14" stroke="#1f4e79" stroke-width="3"/>
            </svg>

            """,
        ]
    }
}
