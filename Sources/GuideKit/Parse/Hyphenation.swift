import CHyphen
import Foundation

/// Syllables of words by a LibreOffice hyphenation dictionary, through the system's libhyphen.
///
/// A word has its hyphenation points + 1 syllables, as textstat counts them through pyphen;
/// the dictionaries are `hyph_*.dic` files (Debian: hyphen-es and the other hyphen-* packages).
///
/// Thread safety: one `Hyphenator` may be shared by any number of tasks. Loading builds the
/// dictionary's state machine once; after that libhyphen's `hnj_hyphen_hyphenate3` only reads
/// it (its work buffers are allocated per call, and it keeps no global state), and the
/// dictionary is freed only in `deinit`, when no task can hold the `Hyphenator` any more.
/// `shared(language:)` keeps one per dictionary file for the whole process.
public final class Hyphenator: @unchecked Sendable {
    /// The dictionary file.
    public let path: String
    private let dictionary: UnsafeMutablePointer<HyphenDict>
    /// The dictionary's own charset, when it is not UTF-8 (libhyphen compares bytes, so a word
    /// must reach it in the encoding of the patterns).
    private let legacyEncoding: String.Encoding?

    /// Hyphenation dictionaries by file, loaded once each.
    private static let cache = Cache()

    /// Where Debian's hyphen-* packages (and a local install) put the dictionaries.
    static let directories = ["/usr/share/hyphen", "/usr/local/share/hyphen"]

    /// The dictionary for a BCP 47 language tag ("es", "es-MX", "pt-BR"), or nil when no
    /// dictionary for the language is installed. This loads a copy of its own; use
    /// `shared(language:)` to load each dictionary once per process.
    public convenience init?(language: String) {
        guard let path = Hyphenator.dictionaryPath(for: language) else { return nil }
        self.init(path: path)
    }

    /// A dictionary file, or nil when libhyphen cannot load it or its charset is not one
    /// Foundation can encode words into.
    public init?(path: String) {
        guard let loaded = hnj_hyphen_load(path) else { return nil }
        let charset = withUnsafeBytes(of: loaded.pointee.cset) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }.trimmingCharacters(in: .whitespaces)
        var encoding: String.Encoding? = nil
        if loaded.pointee.utf8 == 0 {
            guard let legacy = Hyphenator.encoding(named: charset) else {
                hnj_hyphen_free(loaded)
                return nil
            }
            encoding = legacy
        }
        // pyphen (and so textstat) keeps two letters before the first hyphen and after the
        // last whatever the dictionary asks for; `hnj_hyphen_hyphenate3` takes the larger of
        // its arguments and the dictionary's own minimum, so the dictionary's is lowered here,
        // once, before any task can see it.
        loaded.pointee.lhmin = min(loaded.pointee.lhmin, 2)
        loaded.pointee.rhmin = min(loaded.pointee.rhmin, 2)
        self.path = path
        dictionary = loaded
        legacyEncoding = encoding
    }

    deinit { hnj_hyphen_free(dictionary) }

    /// The process's `Hyphenator` for a language tag, loaded on first use; nil when the
    /// language has no dictionary. Tags that find the same file share one (Debian's regional
    /// Spanish files are links to hyph_es_ES.dic, so "es" and "es-MX" load it once).
    public static func shared(language: String) -> Hyphenator? {
        guard let path = dictionaryPath(for: language) else { return nil }
        return cache.hyphenator(path: URL(fileURLWithPath: path).resolvingSymlinksInPath().path)
    }

    /// Syllables in one word: its hyphenation points + 1, as pyphen counts them (at least two
    /// letters before the first point and after the last). The word is lower-cased first, as
    /// pyphen does, because the patterns are lower-case.
    public func syllables(in word: String) -> Int {
        let lower = word.lowercased()
        let characters = lower.unicodeScalars.count
        guard characters > 0 else { return 1 }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(lower.utf8.count + 1)
        for scalar in lower.unicodeScalars {
            // libhyphen reads an ASCII digit as the end of a word (and leaves leading and
            // trailing digits out of the two-letter minimum); pyphen reads it as a character no
            // pattern contains. A byte no pattern contains makes libhyphen count as pyphen does.
            if scalar.value >= 0x30 && scalar.value <= 0x39 {
                bytes.append(Hyphenator.noPattern)
            } else if let encoding = legacyEncoding {
                let encoded = String(scalar).data(using: encoding)
                if let encoded, encoded.count == 1 { bytes.append(encoded[encoded.startIndex]) } else { bytes.append(Hyphenator.noPattern) }
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        let size = bytes.count
        bytes.append(0)  // libhyphen also reads the word as a C string
        var hyphens = [CChar](repeating: 0, count: size + 5)
        var rep: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        var pos: UnsafeMutablePointer<Int32>? = nil
        var cut: UnsafeMutablePointer<Int32>? = nil
        let failed = bytes.withUnsafeBufferPointer { word in
            word.withMemoryRebound(to: CChar.self) { word in
                hnj_hyphen_hyphenate3(dictionary, word.baseAddress, Int32(size), &hyphens, nil, &rep, &pos, &cut, 2, 2, 2, 2)
            }
        }
        // Non-standard hyphenation (Hungarian "ssz" → "sz-sz") hands back arrays to free.
        if let rep {
            for i in 0..<size { free(rep[i]) }
            free(rep)
        }
        free(pos)
        free(cut)
        guard failed == 0 else { return 1 }
        // For a UTF-8 dictionary libhyphen moves the points to one per character and ends
        // them with a NUL; what follows is left over from the byte positions, so only the
        // first `characters` are read. An odd digit is a point after that character.
        var points = 0
        for i in 0..<min(characters, size) where hyphens[i] & 1 == 1 { points += 1 }
        return points + 1
    }

    /// A control character: in no pattern of any dictionary.
    static let noPattern: UInt8 = 0x01

    /// The dictionary file for a language tag: `hyph_<language>_<REGION>.dic` for a tag with a
    /// region, then `hyph_<language>.dic`, then `hyph_<language>_<LANGUAGE>.dic` (es_ES, de_DE),
    /// then any other region's; Debian installs most as regional files (hyph_es_ES.dic, with
    /// the other Spanish regions as links to it).
    public static func dictionaryPath(for language: String) -> String? {
        let subtags = language.replacingOccurrences(of: "_", with: "-").split(separator: "-").map(String.init)
        guard let primary = subtags.first?.lowercased(), (2...3).contains(primary.count),
              primary.allSatisfy({ $0 >= "a" && $0 <= "z" }) else { return nil }
        // A region is two letters or three digits; a four-letter script subtag is skipped.
        let region = subtags.dropFirst().first { ($0.count == 2 && $0.allSatisfy(\.isLetter)) || ($0.count == 3 && $0.allSatisfy(\.isNumber)) }
        var names: [String] = []
        if let region { names.append("hyph_\(primary)_\(region.uppercased()).dic") }
        names += ["hyph_\(primary).dic", "hyph_\(primary)_\(primary.uppercased()).dic"]
        let files = FileManager.default
        for directory in directories {
            for name in names where files.isReadableFile(atPath: directory + "/" + name) { return directory + "/" + name }
            let others = ((try? files.contentsOfDirectory(atPath: directory)) ?? [])
                .filter { $0.hasPrefix("hyph_\(primary)_") && $0.hasSuffix(".dic") }.sorted()
            if let other = others.first { return directory + "/" + other }
        }
        return nil
    }

    /// The charsets older dictionaries name on their first line that Foundation encodes on
    /// every platform; Debian's dictionaries are UTF-8 today.
    static func encoding(named charset: String) -> String.Encoding? {
        switch charset.uppercased() {
        case "ISO8859-1", "ISO-8859-1": return .isoLatin1
        case "ISO8859-2", "ISO-8859-2": return .isoLatin2
        case "MICROSOFT-CP1250", "CP1250", "WINDOWS-1250": return .windowsCP1250
        case "MICROSOFT-CP1251", "CP1251", "WINDOWS-1251": return .windowsCP1251
        case "MICROSOFT-CP1252", "CP1252", "WINDOWS-1252": return .windowsCP1252
        default: return nil
        }
    }

    /// Loaded dictionaries by file, so that each is read once per process.
    private final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var loaded: [String: Hyphenator?] = [:]

        func hyphenator(path: String) -> Hyphenator? {
            lock.lock()
            defer { lock.unlock() }
            if let known = loaded[path] { return known }
            let made = Hyphenator(path: path)
            loaded[path] = .some(made)
            return made
        }
    }
}
