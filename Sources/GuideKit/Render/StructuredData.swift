import Foundation

/// schema.org JSON-LD for a chapter page: `MedicalWebPage` and, when it has FAQ blocks, `FAQPage`.
/// Written by hand, with keys sorted, as `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` writes it (a test holds the two to the same bytes): the encoder
/// was a tenth of a 1,000-chapter build.
enum StructuredData {
    static func medicalWebPage(_ chapter: ResolvedChapter, config: GuideConfig, canonical: String?) -> String {
        let matter = chapter.frontMatter
        return object([
            ("@context", string("https://schema.org")),
            ("@type", string("MedicalWebPage")),
            ("name", string(chapter.title)),
            ("description", matter.summary.map(string)),
            ("inLanguage", string(config.language)),
            ("url", canonical.map(string)),
            ("lastReviewed", matter.reviewed.map { string($0.description) }),
            ("reviewedBy", matter.reviewer.map { thing(isOrganization($0) ? "Organization" : "Person", $0) }),
            ("audience", object([("@type", string("Patient"))])),
            ("isPartOf", thing("WebSite", config.title)),
        ])
    }

    static func faqPage(_ faqs: [ParsedMarkdown.FAQ]) -> String? {
        guard !faqs.isEmpty else { return nil }
        let questions = faqs.map { faq in
            object([
                ("@type", string("Question")),
                ("name", string(faq.question)),
                ("acceptedAnswer", object([("@type", string("Answer")), ("text", string(faq.answer))])),
            ])
        }
        return object([
            ("@context", string("https://schema.org")),
            ("@type", string("FAQPage")),
            ("mainEntity", "[" + questions.joined(separator: ",") + "]"),
        ])
    }

    static func thing(_ type: String, _ name: String) -> String {
        object([("@type", string(type)), ("name", string(name))])
    }

    /// An object of the fields that have a value, keys sorted.
    static func object(_ fields: [(key: String, value: String?)]) -> String {
        let present = fields.compactMap { field in field.value.map { (key: field.key, value: $0) } }.sorted { $0.key < $1.key }
        return "{" + present.map { string($0.key) + ":" + $0.value }.joined(separator: ",") + "}"
    }

    /// A JSON string as `JSONEncoder` writes it, safe inside `<script>`.
    static func string(_ text: String) -> String { jsonString(text, .likeJSONEncoder) }

    /// "Clinical review team" is an organization; "Jane Doe, MD" a person.
    static func isOrganization(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return ["team", "board", "committee", "group", "panel", "department", "service", "unit"].contains { lowered.contains($0) }
    }
}
