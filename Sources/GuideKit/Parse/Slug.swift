/// GitHub-style heading anchors: lower-case, punctuation dropped, spaces to `-`, and a
/// repeated slug numbered `-1`, `-2`, … in document order.
public struct SlugGenerator: Sendable {
    private var used: Set<String> = []
    /// The next number to try for each base slug, so 30,000 equal headings take linear time.
    private var next: [String: Int] = [:]

    public init() {}

    public mutating func slug(for text: String) -> String {
        let base = Self.slug(text)
        // Most headings' slugs are new: one lookup. (A base in `next` is always in `used`,
        // so a new one needs no entry there: its next number is the default, 0.)
        if used.insert(base).inserted { return base }
        var candidate = base
        var n = next[base] ?? 0
        while used.contains(candidate) {
            n += 1
            candidate = "\(base)-\(n)"
        }
        next[base] = n
        used.insert(candidate)
        return candidate
    }

    /// The slug of one heading's text, before de-duplication.
    public static func slug(_ text: String) -> String {
        // Most headings are ASCII: the same rules, on the text's own bytes, written straight
        // into the slug's storage.
        var text = text
        let ascii: String? = text.withUTF8 { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            return String(unsafeUninitializedCapacity: bytes.count) { slug in
                var count = 0
                for byte in bytes {
                    switch byte {
                    case UInt8(ascii: " "): slug[count] = UInt8(ascii: "-")
                    case UInt8(ascii: "A")...UInt8(ascii: "Z"): slug[count] = byte + 32
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                        slug[count] = byte
                    default: continue
                    }
                    count += 1
                }
                return count
            }
        }
        if let ascii { return ascii }
        var result = ""
        for scalar in text.lowercased().unicodeScalars {
            let p = scalar.properties
            if scalar == " " {
                result += "-"
            } else if scalar == "-" || scalar == "_" || p.isAlphabetic || p.numericType != nil
                        || p.generalCategory == .nonspacingMark || p.generalCategory == .spacingMark {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
