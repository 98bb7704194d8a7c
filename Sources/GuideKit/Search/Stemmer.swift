import Foundation
import CStemmer

/// Snowball stemming (the system's libstemmer) for a guide's language; not thread-safe, so each task makes or borrows its own.
public final class Stemmer {
    /// The name libstemmer was asked for ("en", "es", "no"), or nil when it has no algorithm
    /// for the language and words are kept as they are.
    public let algorithm: String?
    private let stemmer: OpaquePointer?
    /// The language's stop words (`SearchText.stopWords(for:)`), looked up once.
    let stopWords: Set<String>
    // A chapter repeats its words; libstemmer is fast, but a lookup is faster.
    private var cache: [String: String] = [:]

    /// A stemmer for a BCP 47 language tag from `guide.yml` ("en", "en-GB", "es", "pt-BR").
    public init(language: String) {
        let algorithm = Stemmer.algorithm(for: language)
        self.algorithm = algorithm
        stopWords = SearchText.stopWords(for: algorithm)
        stemmer = algorithm.flatMap { sb_stemmer_new($0, "UTF_8") }
    }

    deinit { sb_stemmer_delete(stemmer) }

    /// The libstemmer name for a language tag, or nil. libstemmer knows its algorithms by
    /// their ISO 639 codes as well as their names ("en" is Porter2's English, not the old
    /// "porter"), so the tag's primary subtag is asked for as it is; longer subtags are not
    /// codes, and would reach names such as "porter".
    public static func algorithm(for language: String) -> String? {
        let primary = language.split(separator: "-").first.map { $0.lowercased() } ?? ""
        // Bokmål and Nynorsk are both Snowball's Norwegian, which libstemmer files under "no".
        if primary == "nb" || primary == "nn" { return "no" }
        guard (2...3).contains(primary.count), primary.allSatisfy({ $0 >= "a" && $0 <= "z" }) else { return nil }
        guard let probe = sb_stemmer_new(primary, "UTF_8") else { return nil }
        sb_stemmer_delete(probe)
        return primary
    }

    /// Every algorithm libstemmer has, by its canonical name.
    public static var algorithms: [String] {
        var names: [String] = []
        guard var list = sb_stemmer_list() else { return names }
        while let name = list.pointee {
            names.append(String(cString: name))
            list += 1
        }
        return names
    }

    /// The stem of a lower-case word (accents kept, NFC), or the word itself without an algorithm.
    public func stem(_ word: String) -> String {
        guard let stemmer, !word.isEmpty else { return word }
        if let known = cache[word] { return known }
        var utf8 = word
        let stem = utf8.withUTF8 { bytes -> String in
            guard let result = sb_stemmer_stem(stemmer, bytes.baseAddress, Int32(bytes.count)) else { return word }
            return String(decoding: UnsafeBufferPointer(start: result, count: Int(sb_stemmer_length(stemmer))), as: UTF8.self)
        }
        cache[word] = stem
        return stem
    }
}

@available(*, unavailable)
extension Stemmer: Sendable {}
