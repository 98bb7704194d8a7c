/// A chapter id such as `A3`: its letters name the track, its number the order in the track.
public struct ChapterID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let track: String
    public let number: String

    /// Accepts exactly `^[A-Z]+[0-9]+$`. Read by bytes: every link's destination is tried.
    public init?(_ text: String) {
        let bytes = text.utf8
        let letters = bytes.prefix { $0 >= 0x41 && $0 <= 0x5A }.count
        guard letters > 0, letters < bytes.count, bytes.dropFirst(letters).allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let split = bytes.index(bytes.startIndex, offsetBy: letters)
        track = String(text[..<split])
        number = String(text[split...])
    }

    public var description: String { track + number }
    /// The page's file name, `a3.html`.
    public var pageName: String { lowercased(adding: ".html") }
    /// The id in lower case, `a3` (the print edition's anchor of the chapter).
    public var lowercased: String { lowercased(adding: "") }

    /// The id in lower case with `suffix` after it, made from its bytes: an id is capitals
    /// and digits (`init`), and every link to a chapter names its page (Unicode's case
    /// mapping, through `lowercased()`, was most of making a link's address).
    private func lowercased(adding suffix: StaticString) -> String {
        let (letters, digits) = (track.utf8, number.utf8)
        guard letters.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return description.lowercased() + suffix.description
        }
        return String(unsafeUninitializedCapacity: letters.count + digits.count + suffix.utf8CodeUnitCount) { buffer in
            var end = 0
            for byte in letters { buffer[end] = byte + 0x20; end += 1 }
            for byte in digits { buffer[end] = byte; end += 1 }
            for byte in UnsafeBufferPointer(start: suffix.utf8Start, count: suffix.utf8CodeUnitCount) { buffer[end] = byte; end += 1 }
            return end
        }
    }

    /// Orders by track letters, then by number (numerically, so A2 < A10).
    /// Both parts are ASCII, so their bytes are their characters.
    public static func < (a: ChapterID, b: ChapterID) -> Bool {
        if a.track != b.track { return a.track < b.track }
        // Numbers that fit a machine integer (every guide's) are compared as integers: the
        // same order as the digits' below, with a tenth of the work (sorting a guide's
        // chapters compares ids some 10,000 times).
        if a.number.utf8.count <= 18, b.number.utf8.count <= 18, let x = Int(a.number), let y = Int(b.number) {
            return x != y ? x < y : a.number < b.number
        }
        let x = a.number.utf8.drop { $0 == 0x30 }, y = b.number.utf8.drop { $0 == 0x30 }
        if x.count != y.count { return x.count < y.count }
        if !x.elementsEqual(y) { return x.lexicographicallyPrecedes(y) }
        return a.number < b.number
    }
}
