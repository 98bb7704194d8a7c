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
        // Most headings are ASCII: the same rules, on bytes.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(text.utf8.count)
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: " "): bytes.append(UInt8(ascii: "-"))
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): bytes.append(byte + 32)
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                    bytes.append(byte)
                default: break
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
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
