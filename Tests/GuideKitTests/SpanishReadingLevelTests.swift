import Foundation
import Testing
@testable import GuideKit

/// Reading level of translations: textstat 0.7.13's counting rules, syllables from the system's
/// hyphenation dictionary (Debian: hyphen-es), and the Spanish formulas.
///
/// Expected numbers come from textstat 0.7.13 and pyphen 0.18.1 (in .venv), never by hand.
/// pyphen ships a newer LibreOffice Spanish dictionary than Debian 12's hyphen-es (1:7.5.0),
/// and the two split a few words differently ("cansancio": can-san-cio in pyphen's,
/// can-s-an-cio in Debian's), which is why the scores are compared within one point.
@Suite struct SpanishReadingLevelTests {
    static func spanish() throws -> Hyphenator {
        try #require(Hyphenator.shared(language: "es"), "hyphen-es is not installed: run scripts/install-system-deps")
    }

    // Proves: syllables are hyphenation points + 1, as pyphen counts them: lower-cased first,
    // two letters kept before the first point and after the last, and a digit read as a
    // character rather than (as libhyphen would) the end of a word.
    // Expected: .venv/bin/python -c 'import textstat; textstat.set_lang("es"); print([textstat.syllable_count(w) for w in ["quimioterapia", "Médico", "infusión", "linfocitos", "enfermedad", "pequeñas", "corazón", "año", "HER2", "covid19"]])'
    @Test(arguments: [
        ("quimioterapia", 5), ("Médico", 3), ("infusión", 3), ("linfocitos", 4), ("enfermedad", 4),
        ("pequeñas", 3), ("corazón", 3), ("año", 1), ("HER2", 2), ("covid19", 3),
    ])
    func syllables(word: String, expected: Int) throws {
        #expect(try Self.spanish().syllables(in: word) == expected)
    }

    // Proves: a BCP 47 tag finds the language's dictionary whatever its region or spelling, and
    // a language without one finds none.
    @Test func findsDictionaries() {
        for tag in ["es", "es-MX", "es_ES", "ES", "es-419"] {
            let path = Hyphenator.dictionaryPath(for: tag)
            #expect(path.map { ($0 as NSString).lastPathComponent.hasPrefix("hyph_es") } == true, "\(tag): \(path ?? "nil")")
        }
        #expect(Hyphenator.dictionaryPath(for: "es-MX")?.hasSuffix("hyph_es_MX.dic") == true)
        for tag in ["xx", "zh-Hans", "", "-", "e"] {
            #expect(Hyphenator.dictionaryPath(for: tag) == nil, "\(tag)")
            #expect(Hyphenator(language: tag) == nil, "\(tag)")
        }
        #expect(Hyphenator.shared(language: "es") === Hyphenator.shared(language: "es-MX"))
    }

    static let paragraphs = """
    Su médico le explicará cada paso del tratamiento. Las células T son parte de su sistema inmunitario. Ayudan a su cuerpo a combatir infecciones y algunos tipos de cáncer.

    Después de la infusión, usted se quedará cerca del hospital durante unas cuatro semanas. Su equipo revisará su temperatura, su presión y su estado de ánimo todos los días. ¿Tiene fiebre o escalofríos? Llame enseguida, de día o de noche.

    Es normal sentir cansancio durante varias semanas. Descanse cuando lo necesite y pida ayuda a su familia.
    """

    /// The prose of `markdown` is `prose` (the text textstat was given), with textstat's
    /// words and sentences exactly and its two scores within one point.
    private func agreesWithTextstat(_ markdown: String, language: String, prose: String, words: Int, sentences: Int,
                                    fernandezHuerta: Double, szigrisztPazos: Double) throws {
        _ = try Self.spanish()
        let blocks = MarkdownParser.parse(markdown).blocks
        #expect(ReadingLevel.textstatProse(blocks) == prose)
        let scores = ReadingLevel.measure(blocks, language: language)
        #expect(scores.words == words)
        #expect(scores.sentences == sentences)
        #expect(try abs(#require(scores.fernandezHuerta) - fernandezHuerta) <= 1.0)
        #expect(try abs(#require(scores.szigrisztPazos) - szigrisztPazos) <= 1.0)
    }

    // Proves: Fernández-Huerta and Szigriszt-Pazos of three paragraphs agree with textstat's
    // within one point, and words and sentences exactly.
    // Golden values: with t the `expected` string below,
    // .venv/bin/python -c 'import textstat; textstat.set_lang("es"); t = "…"; print(textstat.lexicon_count(t), textstat.sentence_count(t), textstat.syllable_count(t), textstat.fernandez_huerta(t), textstat.szigriszt_pazos(t))'
    // → 86 9 172 77.09333333333333 72.68444444444445 (ours: 173 syllables, "cansancio")
    @Test func paragraphsAgreeWithTextstat() throws {
        try agreesWithTextstat(Self.paragraphs, language: "es", prose: "Su médico le explicará cada paso del tratamiento. Las células T son parte de su sistema inmunitario. Ayudan a su cuerpo a combatir infecciones y algunos tipos de cáncer. Después de la infusión, usted se quedará cerca del hospital durante unas cuatro semanas. Su equipo revisará su temperatura, su presión y su estado de ánimo todos los días. ¿Tiene fiebre o escalofríos? Llame enseguida, de día o de noche. Es normal sentir cansancio durante varias semanas. Descanse cuando lo necesite y pida ayuda a su familia.",
                               words: 86, sentences: 9, fernandezHuerta: 77.09333333333333, szigrisztPazos: 72.68444444444445)
    }

    static let listAndMarkup = """
    # Efectos secundarios frecuentes

    Algunos efectos secundarios aparecen en los **primeros días**. Otros tardan más. Lea la [línea de tiempo](A1) para saber qué esperar.

    - Fiebre alta
    - Presión arterial baja, que puede causar mareos al ponerse de pie
    - Confusión o dificultad para hablar, que su cuidador debe anotar

    ```
    código que no es prosa
    ```

    Escriba a equipo@example.org o visite https://example.org/car-t si tiene preguntas.
    """

    // Proves: only prose counts (no heading, no code), every list item ends a sentence, a
    // sentence of two words or fewer ("Fiebre alta.") is not counted while its words are, and
    // bare addresses are left out; the scores agree with textstat's on that text.
    // Golden values: as above, with t the `expected` string below
    // → 50 6 96 83.14000000000001 78.89066666666669
    @Test func listsAndMarkupAgreeWithTextstat() throws {
        try agreesWithTextstat(Self.listAndMarkup, language: "es-MX", prose: "Algunos efectos secundarios aparecen en los primeros días. Otros tardan más. Lea la línea de tiempo para saber qué esperar. Fiebre alta. Presión arterial baja, que puede causar mareos al ponerse de pie. Confusión o dificultad para hablar, que su cuidador debe anotar. Escriba a o visite si tiene preguntas.",
                               words: 50, sentences: 6, fernandezHuerta: 83.14000000000001, szigrisztPazos: 78.89066666666669)
        #expect(ReadingLevel.measure(MarkdownParser.parse(Self.listAndMarkup).blocks, language: "es-MX").syllables == 96)
    }

    // Proves: words and sentences follow textstat's rules: punctuation and hyphens are deleted
    // inside a word ("CAR-T" is one word, a lone "—" none), "¿" opens nothing, and a decimal
    // point ends a "sentence" as textstat's pattern does.
    // Expected: .venv/bin/python -c 'import textstat; t = "La terapia CAR-T — una opción nueva — llega en 2,5 o 3.5 semanas. ¿Qué pasa después? Su equipo le avisa."; print(textstat.lexicon_count(t), textstat.sentence_count(t))'
    // → 19 3
    @Test func countsWordsAndSentencesAsTextstat() {
        let blocks = MarkdownParser.parse("La terapia CAR-T — una opción nueva — llega en 2,5 o 3.5 semanas. ¿Qué pasa después? Su equipo le avisa.").blocks
        let scores = ReadingLevel.measure(blocks, language: "es")
        #expect(scores.words == 19)
        #expect(scores.sentences == 3)
    }

    // Proves: a language without a hyphenation dictionary gets words and sentences only.
    // Expected: .venv/bin/python -c 'import textstat; t = "细胞疗法 是 一种 新的 治疗。 Cada día cuenta. Hoy empieza la semana."; print(textstat.lexicon_count(t), textstat.sentence_count(t))'
    // → 12 2
    @Test func languageWithoutDictionaryCountsWordsAndSentencesOnly() {
        let blocks = MarkdownParser.parse("细胞疗法 是 一种 新的 治疗。 Cada día cuenta. Hoy empieza la semana.").blocks
        for language in ["zh-Hans", "xx"] {
            let scores = ReadingLevel.measure(blocks, language: language)
            #expect(scores.language == language)
            #expect(scores.words == 12)
            #expect(scores.sentences == 2)
            #expect(scores.syllables == nil)
            #expect(scores.fernandezHuerta == nil)
            #expect(scores.szigrisztPazos == nil)
        }
    }

    // Proves: the formulas are worked out from the counts, for Spanish tags only, and not
    // without words.
    @Test func formulas() {
        let scores = LanguageReadingScores(language: "es-MX", words: 100, sentences: 5, syllables: 200)
        #expect(abs(scores.fernandezHuerta! - (206.84 - 60 * 2 - 1.02 * 20)) < 1e-9)
        #expect(abs(scores.szigrisztPazos! - (206.84 - 62.3 * 2 - 20)) < 1e-9)
        #expect(LanguageReadingScores(language: "pt-BR", words: 100, sentences: 5, syllables: 200).fernandezHuerta == nil)
        #expect(LanguageReadingScores(language: "es", words: 0, sentences: 0, syllables: 0).szigrisztPazos == nil)
        #expect(LanguageReadingScores(language: "es", words: 10, sentences: 1, syllables: nil).fernandezHuerta == nil)
        let none = ReadingLevel.measure([], language: "es")
        #expect(none.words == 0 && none.sentences == 0 && none.fernandezHuerta == nil && none.szigrisztPazos == nil)
    }

    // Proves: one dictionary is safely shared by concurrent tasks (libhyphen only reads it).
    @Test func sharedAcrossTasks() async throws {
        let hyphenator = try Self.spanish()
        let words = ["quimioterapia", "médico", "infusión", "linfocitos", "enfermedad", "pequeñas", "corazón", "año"]
        let expected = words.map { hyphenator.syllables(in: $0) }
        let results = await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<16 {
                group.addTask { (0..<200).flatMap { _ in words.map { Hyphenator.shared(language: "es")!.syllables(in: $0) } } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for result in results { #expect(result == Array(repeating: expected, count: 200).flatMap { $0 }) }
    }

    // Proves: English keeps its own rules: `measure(_:)` counts as it always has (3 + 3 + 5 + 2
    // words, one sentence per block, 22 syllables by English spelling with "lymphodepletion"
    // and "another" of three or more), and the language-aware measure gives English no
    // Spanish formulas.
    @Test func englishIsUntouched() {
        let parsed = MarkdownParser.parse("""
        The cat sat. The dog ran!

        - A short item about lymphodepletion
        - Another item
        """)
        #expect(ReadingLevel.measure(parsed.blocks) == ReadingScores(words: 13, sentences: 4, syllables: 22, polysyllables: 2))
        let english = ReadingLevel.measure(parsed.blocks, language: "en")
        #expect(english.fernandezHuerta == nil && english.szigrisztPazos == nil)
    }
}
