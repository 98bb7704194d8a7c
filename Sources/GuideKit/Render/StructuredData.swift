import Foundation

/// schema.org JSON-LD for a chapter page: `MedicalWebPage` and, when it has FAQ blocks, `FAQPage`.
enum StructuredData {
    struct Thing: Encodable {
        var type: String
        var name: String

        enum CodingKeys: String, CodingKey { case type = "@type", name }
    }

    struct Audience: Encodable {
        var type = "Patient"
        enum CodingKeys: String, CodingKey { case type = "@type" }
    }

    struct MedicalWebPage: Encodable {
        var context = "https://schema.org"
        var type = "MedicalWebPage"
        var name: String
        var description: String?
        var inLanguage: String
        var url: String?
        var lastReviewed: String?
        var reviewedBy: Thing?
        var audience = Audience()
        var isPartOf: Thing

        enum CodingKeys: String, CodingKey {
            case context = "@context", type = "@type", name, description, inLanguage, url, lastReviewed, reviewedBy, audience, isPartOf
        }
    }

    struct Answer: Encodable {
        var type = "Answer"
        var text: String
        enum CodingKeys: String, CodingKey { case type = "@type", text }
    }

    struct Question: Encodable {
        var type = "Question"
        var name: String
        var acceptedAnswer: Answer
        enum CodingKeys: String, CodingKey { case type = "@type", name, acceptedAnswer }
    }

    struct FAQPage: Encodable {
        var context = "https://schema.org"
        var type = "FAQPage"
        var mainEntity: [Question]
        enum CodingKeys: String, CodingKey { case context = "@context", type = "@type", mainEntity }
    }

    static func medicalWebPage(_ chapter: ResolvedChapter, config: GuideConfig, canonical: String?) -> String {
        let matter = chapter.frontMatter
        return encode(MedicalWebPage(
            name: chapter.title, description: matter.summary, inLanguage: config.language, url: canonical,
            lastReviewed: matter.reviewed?.description,
            reviewedBy: matter.reviewer.map { Thing(type: isOrganization($0) ? "Organization" : "Person", name: $0) },
            isPartOf: Thing(type: "WebSite", name: config.title)))
    }

    static func faqPage(_ faqs: [ParsedMarkdown.FAQ]) -> String? {
        guard !faqs.isEmpty else { return nil }
        return encode(FAQPage(mainEntity: faqs.map { Question(name: $0.question, acceptedAnswer: Answer(text: $0.answer)) }))
    }

    /// "Clinical review team" is an organization; "Jane Doe, MD" a person.
    static func isOrganization(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return ["team", "board", "committee", "group", "panel", "department", "service", "unit"].contains { lowered.contains($0) }
    }

    /// JSON with keys in a fixed order, safe inside `<script>`: `<`, `>` and `&` are written
    /// as `\u003c`, `\u003e` and `\u0026`, so no text can close the script element.
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
        return json.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }
}
