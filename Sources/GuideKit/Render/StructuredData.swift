import Foundation

/// schema.org JSON-LD for a chapter page: `MedicalWebPage` and, when it has FAQ blocks, `FAQPage`.
/// Written by hand, with keys sorted, as `JSONEncoder` with `.sortedKeys` and
/// `.withoutEscapingSlashes` writes it (a test holds the two to the same bytes): the encoder
/// was a tenth of a 1,000-chapter build.
enum StructuredData {
    static func medicalWebPage(_ chapter: ResolvedChapter, config: GuideConfig, canonical: String?) -> String {
        let matter = chapter.frontMatter
        var json = JSONWriter()
        json.openDocument("MedicalWebPage")
        json.key("audience")
        json.openObject("Patient")
        json.close()
        json.field("description", matter.summary)
        json.field("inLanguage", config.language)
        json.key("isPartOf")
        json.thing("WebSite", config.title)
        json.field("lastReviewed", matter.reviewed?.description)
        json.field("name", chapter.title)
        if let reviewer = matter.reviewer {
            json.key("reviewedBy")
            json.thing(isOrganization(reviewer) ? "Organization" : "Person", reviewer)
        }
        json.field("url", canonical)
        json.close()
        return json.text
    }

    static func faqPage(_ faqs: [ParsedMarkdown.FAQ]) -> String? {
        guard !faqs.isEmpty else { return nil }
        var json = JSONWriter()
        json.openDocument("FAQPage")
        json.key("mainEntity")
        json.openList()
        for faq in faqs {
            json.openObject("Question")
            json.key("acceptedAnswer")
            json.openObject("Answer")
            json.field("text", faq.answer)
            json.close()
            json.field("name", faq.question)
            json.close()
        }
        json.closeList()
        json.close()
        return json.text
    }

    static func thing(_ type: StaticString, _ name: String) -> String {
        var json = JSONWriter()
        json.thing(type, name)
        return json.text
    }

    /// A JSON string as `JSONEncoder` writes it, safe inside `<script>`.
    static func string(_ text: String) -> String { jsonString(text, .likeJSONEncoder) }

    /// "Clinical review team" is an organization; "Jane Doe, MD" a person.
    static func isOrganization(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return ["team", "board", "committee", "group", "panel", "department", "service", "unit"].contains { lowered.contains($0) }
    }

    /// JSON written into one buffer as it is made: objects field by field, each object's
    /// keys given in sorted order (as `JSONEncoder`'s `.sortedKeys` writes them), a nil
    /// value left out.
    private struct JSONWriter {
        private var bytes: [UInt8] = []
        /// Per open object or list, whether something was written in it (a comma comes next).
        private var written: [Bool] = []
        /// Per open object, its last key, to hold the keys' order in debug builds (the tests').
        private var lastKeys: [String] = []

        var text: String { String(decoding: bytes, as: UTF8.self) }

        mutating func open() {
            item()
            bytes.append(UInt8(ascii: "{"))
            written.append(false)
            #if DEBUG
            lastKeys.append("")
            #endif
        }

        mutating func close() {
            bytes.append(UInt8(ascii: "}"))
            written.removeLast()
            #if DEBUG
            lastKeys.removeLast()
            #endif
        }

        mutating func openList() {
            item()
            bytes.append(UInt8(ascii: "["))
            written.append(false)
        }

        mutating func closeList() {
            bytes.append(UInt8(ascii: "]"))
            written.removeLast()
        }

        /// The next field's key; its value follows. Keys (and schema.org's type names) are
        /// written as they are: text of this file, which JSON writes without escapes (each
        /// page has a dozen, and escaping checked each one's characters).
        mutating func key(_ key: StaticString) {
            #if DEBUG
            let name = key.description
            assert(lastKeys.last.map { $0 < name } ?? false, "keys out of order at \(name)")
            lastKeys[lastKeys.count - 1] = name
            #endif
            item()
            appendPlain(key)
            bytes.append(UInt8(ascii: ":"))
            // The value is this item's own.
            written[written.count - 1] = false
        }

        mutating func field(_ key: StaticString, _ value: String?) {
            guard let value else { return }
            self.key(key)
            item()
            appendJSONString(value, .likeJSONEncoder, to: &bytes)
        }

        /// A field whose value is text of this file, as `key`'s.
        mutating func field(_ key: StaticString, plain value: StaticString) {
            self.key(key)
            item()
            appendPlain(value)
        }

        /// `"text"`, for text that JSON writes as it is (`key`).
        private mutating func appendPlain(_ text: StaticString) {
            assert(jsonString(text.description, .likeJSONEncoder) == "\"\(text)\"", "\(text) needs escaping")
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
            bytes.append(UInt8(ascii: "\""))
        }

        /// A schema.org document's object, open: `{"@context":"https://schema.org","@type":type`.
        mutating func openDocument(_ type: StaticString) {
            open()
            field("@context", plain: "https://schema.org")
            field("@type", plain: type)
        }

        /// An object of a schema.org type, open: `{"@type":type`.
        mutating func openObject(_ type: StaticString) {
            open()
            field("@type", plain: type)
        }

        /// `{"@type":type,"name":name}`.
        mutating func thing(_ type: StaticString, _ name: String) {
            openObject(type)
            field("name", name)
            close()
        }

        /// A comma before a value that is not the first of its object or list.
        private mutating func item() {
            guard let last = written.last else { return }
            if last { bytes.append(UInt8(ascii: ",")) }
            written[written.count - 1] = true
        }
    }
}
