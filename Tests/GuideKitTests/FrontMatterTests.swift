import Testing
@testable import GuideKit

/// Front matter: the YAML block between the first two `---` lines of a chapter.
@Suite struct FrontMatterTests {
    func read(_ text: String) -> (FrontMatter, [String]) {
        let (matter, diagnostics) = FrontMatter.read(SourceFile(relativePath: "A1.md", displayPath: "Content/A1.md", text: text))
        return (matter, diagnostics.sorted().map { "\($0.location.line):\($0.location.column) \($0.rule.rawValue): \($0.fullMessage)" })
    }

    // Proves: every key of the contract is read, with its type.
    @Test func readsEveryKey() {
        let (matter, problems) = read("""
        ---
        id: A3
        title: Why solid tumors are hard
        summary: One plain sentence.
        reviewed: 2026-10-01
        reviewer: Jane Doe, MD
        related: [B3, A0]
        draft: true
        ---
        # Body
        """)
        #expect(problems == [])
        #expect(matter.id?.description == "A3")
        #expect(matter.title == "Why solid tumors are hard")
        #expect(matter.summary == "One plain sentence.")
        #expect(matter.reviewed == Day(year: 2026, month: 10, day: 1))
        #expect(matter.reviewer == "Jane Doe, MD")
        #expect(matter.related.map(\.id) == ["B3", "A0"])
        // Problems with an entry are reported at the key, like every front-matter problem.
        #expect(matter.related.map(\.location.column) == [1, 1])
        #expect(matter.draft)
        #expect(matter.bodyStartLine == 10)
    }

    // Proves: the front matter is found on bytes exactly as splitting the chapter into lines
    // (at "\n", "\r" and "\r\n") and joining the lines between the markers found it: the
    // same closing line and the same YAML text, for every kind of line end, markers with
    // trailing spaces or tabs, `...`, a marker followed by a combining mark, none at all.
    @Test func frontMatterIsFoundAsLinesFindIt() {
        func byLines(_ text: String) -> FrontMatter.Split {
            func trimmed(_ line: String) -> String {
                var s = Substring(line)
                while let last = s.last, last == " " || last == "\t" { s.removeLast() }
                return String(s)
            }
            let lines = SourceFile.splitLines(text)
            guard trimmed(lines[0]) == "---" else { return .missing }
            guard let close = lines.indices.dropFirst().first(where: { ["---", "..."].contains(trimmed(lines[$0])) }) else { return .unclosed }
            return .closed(line: close, yaml: lines[1..<close].joined(separator: "\n"))
        }
        let texts = ["", "---", "---\n", "---\n---", "---\n---\n", "---\nid: A1\n---\nbody\n---\n", "--- \t\nid: A1\n... \nx",
                     "---\r\nid: A1\r\ntitle: T\r\n---\r\n", "---\rid: A1\r---\r", "---\n\n\nid: A1\n\n---", " ---\nid: A1\n---\n",
                     "----\nid: A1\n---\n", "...\nid: A1\n...\n", "---\nid: A1\n---\u{301}\n---\n", "---\nid: é\n\r\n---", "# Title\n---\n",
                     "---\nid: A1\ntitle: T", "\u{FEFF}---\nid: A1\n---\n"]
        for text in texts { #expect(FrontMatter.split(text) == byLines(text), "\(text.debugDescription)") }
    }

    // Proves: a missing id or title is an error at the opening `---`.
    @Test func missingIDAndTitle() {
        let (_, problems) = read("---\nsummary: x\n---\n")
        #expect(problems == ["1:1 missing-field: the front matter has no 'id'", "1:1 missing-field: the front matter has no 'title'"])
    }

    // Proves: an unknown key is a warning with the likely key.
    @Test func unknownKeyWithSuggestion() {
        let (_, problems) = read("---\nid: A1\ntitle: T\nreviwed: 2026-01-01\n---\n")
        #expect(problems == ["4:1 unknown-key: unknown front-matter key 'reviwed' (did you mean 'reviewed'?)"])
    }

    // Proves: dates must be real and written YYYY-MM-DD; the error is at the key's line.
    @Test(arguments: [
        ("yesterday", "'reviewed' must be a date written YYYY-MM-DD, but is 'yesterday'"),
        ("08/20/2026", "'reviewed' must be a date written YYYY-MM-DD, but is '08/20/2026'"),
        ("2025-02-30", "'reviewed' is not a real date, but is '2025-02-30'"),
    ])
    func impossibleDates(value: String, message: String) {
        let (matter, problems) = read("---\nid: A1\ntitle: T\nreviewed: \(value)\n---\n")
        #expect(matter.reviewed == nil)
        #expect(problems == ["4:1 invalid-value: \(message) (for example reviewed: 2026-10-01)"])
    }

    // Proves: the id must match ^[A-Z]+[0-9]+$.
    @Test func invalidID() {
        let (matter, problems) = read("---\nid: a-3\ntitle: T\n---\n")
        #expect(matter.id == nil)
        #expect(problems == ["2:1 invalid-id: 'a-3' is not a chapter id; an id is capital letters then digits, like A0 or B12 (did you mean 'A3'?)"])
    }

    // Proves: unterminated front matter and a file without any are errors at line 1.
    @Test func unterminatedAndMissingFrontMatter() {
        #expect(read("---\nid: A1\ntitle: T\n# Body").1 == ["1:1 front-matter: the front matter is not closed: add a line '---' after its last key"])
        #expect(read("# Just a body").1.first?.hasPrefix("1:1 front-matter: the chapter has no front matter") == true)
    }

    // Proves: front matter that is not a mapping, and malformed YAML, are errors at their line.
    @Test func notAMappingAndMalformedYAML() {
        #expect(read("---\n- a\n- b\n---\n").1 == ["2:1 invalid-value: the front matter must be a mapping of 'key: value' lines, but is a list"])
        let malformed = read("---\nid: A1\ntitle: [unclosed\n---\n").1
        #expect(malformed.count == 1)
        #expect(malformed == ["3:1 front-matter: the value of 'title' starts with '[', which YAML reads as the start of a list that is never closed (put the title in quotes: title: \"[unclosed\")"])
        // A quote left open on the last line: libyaml finds the end of the text, while
        // scanning the quoted value, on that same line.
        #expect(read("---\nid: A1\ntitle: \"open\n---\n").1 == ["3:1 front-matter: the quote that starts 'title' is never closed (add a closing \" at the end of the value)"])
        #expect(read("---\nid: A1\ntitle: 'open\n---\n").1 == ["3:1 front-matter: the quote that starts 'title' is never closed (add a closing ' at the end of the value)"])
    }

    // Proves: wrong types are errors at the key's line.
    @Test func wrongTypes() {
        let (_, problems) = read("---\nid: A1\ntitle: T\ndraft: maybe\nrelated: {a: b}\nsummary: [x]\n---\n")
        #expect(problems == [
            "4:1 invalid-value: 'draft' must be true or false, but is 'maybe'",
            "5:1 invalid-value: 'related' must be a list like [A0, B3], but is a mapping (key: value lines)",
            "6:1 invalid-value: 'summary' must be text, but is a list",
        ])
    }

    // Proves: YAML anchors, aliases and merge keys are refused from libyaml's events before
    // composing (a tab after the colon too), while `*` and `&` inside text are fine.
    @Test func anchorsAndAliasesAreRefused() {
        #expect(read("---\nid: &a A1\ntitle: *a\n---\n").1 == ["2:5 front-matter: the anchor '&a' is a YAML shortcut that guide does not accept (write the value out in full; if it is text that starts with & or *, put it in quotes)"])
        #expect(read("---\nid:\t&a A1\n---\n").1 == ["2:5 front-matter: the anchor '&a' is a YAML shortcut that guide does not accept (write the value out in full; if it is text that starts with & or *, put it in quotes)"])
        #expect(read("---\nid: A1\n<<: {title: T}\n---\n").1 == ["3:1 front-matter: the merge key '<<' is a YAML shortcut that guide does not accept (write the value out in full; if it is text that starts with & or *, put it in quotes)"])
        #expect(read("---\nid: A1\ntitle: Risks *and* benefits & more\n---\n").1 == [])
    }

    // Proves: a BOM and CRLF line ends do not change lines.
    @Test func bomAndCRLF() {
        let (matter, problems) = read("\u{FEFF}---\r\nid: A1\r\ntitle: T\r\nreviwed: x\r\n---\r\n")
        #expect(matter.id?.description == "A1")
        #expect(problems.first?.hasPrefix("4:1 unknown-key") == true)
    }
}

/// Calendar dates, validated by hand because YAML rolls impossible dates over.
@Suite struct DayTests {
    @Test func parsesAndFormats() {
        #expect(Day("2026-10-01")?.longForm == "1 October 2026")
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2025-02-29") == nil)
        #expect(Day("2026-1-01") == nil)
        #expect(Day("2026-13-01") == nil)
        // Exactly YYYY-MM-DD in ASCII digits: not other digits, signs, spaces or separators.
        for text in ["", "2026-01-1", "2026-001-1", " 2026-01-01", "2026-01-01 ", "+026-01-01", "2026/01/01", "2026-01-0a",
                     "２０２６-01-01", "2026-01-0\u{0663}", "2026-0\u{0301}1-01", "2026-00-10", "2026-01-00", "0000-01-01"] {
            #expect(Day(text) == nil, "\(text)")
        }
        #expect(Day("0001-01-01").map { [$0.year, $0.month, $0.day] } == [1, 1, 1])
        #expect(Day("9999-12-31").map { [$0.year, $0.month, $0.day] } == [9999, 12, 31])
    }

    @Test func addsMonths() {
        #expect(Day("2026-01-31")!.adding(months: 1) == Day("2026-02-28"))
        #expect(Day("2026-11-01")!.adding(months: 12) == Day("2027-11-01"))
    }

    @Test func unixTime() {
        #expect(Day(unixTime: 0) == Day("1970-01-01"))
        #expect(Day(unixTime: 1_790_000_000) == Day("2026-09-21"))
        #expect(Day("2026-09-21")!.daysSinceEpoch == 1_790_000_000 / 86_400)
    }
}

/// Chapter ids and their series order.
@Suite struct ChapterIDTests {
    @Test func pattern() {
        #expect(ChapterID("A0") != nil)
        #expect(ChapterID("AB12") != nil)
        #expect(ChapterID("a0") == nil)
        #expect(ChapterID("A") == nil)
        #expect(ChapterID("0") == nil)
        #expect(ChapterID("A1b") == nil)
        // Only ASCII capitals and digits: not a capital with an accent (one character, or
        // a letter and a combining mark), another script's digit, or a line end.
        for text in ["", "Á1", "A\u{301}1", "A1\u{301}", "A\u{663}", "A1\r\n", "A1 ", " A1", "A-1", "Ａ1"] { #expect(ChapterID(text) == nil, "\(text)") }
        #expect(ChapterID("ABC0123").map { [$0.track, $0.number] } == ["ABC", "0123"])
    }

    @Test func pageNameIsTheIDInLowerCase() {
        #expect(ChapterID("A0")?.pageName == "a0.html")
        #expect(ChapterID("ABZ0129")?.pageName == "abz0129.html")
        #expect(ChapterID("ABZ0129")?.lowercased == "abz0129")
        #expect(PrintEdition.anchor(ChapterID("XY7")!) == "xy7")
        // Every id `init` accepts gives what Unicode's case mapping gives.
        for text in ["A1", "Z99", "QRS0", "M5"] {
            let id = ChapterID(text)!
            #expect(id.pageName == text.lowercased() + ".html")
        }
    }

    @Test func numericOrder() {
        let ids = ["A10", "A2", "A1", "B0"].compactMap(ChapterID.init)
        #expect(ids.sorted().map(\.description) == ["A1", "A2", "A10", "B0"])
        // By track, then by number with its leading zeros left out, then as written.
        let more = ["B1", "AA1", "A010", "A9", "A09", "A0", "A00", "A10", "Z1"].compactMap(ChapterID.init)
        #expect(more.sorted().map(\.description) == ["A0", "A00", "A09", "A9", "A010", "A10", "AA1", "B1", "Z1"])
        // Numbers past a machine integer's 18 digits, beside ones within it, in the same order.
        let long = ["A1000000000000000000", "A1", "A999999999999999999", "A0000000000000000001", "A01"].compactMap(ChapterID.init)
        #expect(long.sorted().map(\.description) == ["A0000000000000000001", "A01", "A1", "A999999999999999999", "A1000000000000000000"])
    }
}

@Suite struct TrimmingTests {
    // Proves: the trims that spare Foundation's bridging give what Foundation's do, for
    // every code point below U+3100 and a few beyond, around text and alone.
    @Test func trimsAgreeWithFoundation() {
        let scalars = (0..<0x3100).compactMap(Unicode.Scalar.init) + ["\u{FEFF}", "\u{10000}", "\u{E0020}"]
        for scalar in scalars {
            let s = String(scalar)
            for text in [s, s + "a b" + s, s + s + "x", "x" + s, s + "\u{A0}\t" + s] {
                #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces), "U+\(String(scalar.value, radix: 16))")
                #expect(text.trimmingSpacesAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines),
                        "U+\(String(scalar.value, radix: 16))")
            }
        }
    }
}
