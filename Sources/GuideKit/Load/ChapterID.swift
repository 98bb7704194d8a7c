/// A chapter id such as `A3`: its letters name the track, its number the order in the track.
public struct ChapterID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let track: String
    public let number: String

    /// Accepts exactly `^[A-Z]+[0-9]+$`.
    public init?(_ text: String) {
        let letters = text.prefix { $0.isASCII && $0.isUppercase }
        let digits = text.dropFirst(letters.count)
        guard !letters.isEmpty, !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        track = String(letters)
        number = String(digits)
    }

    public var description: String { track + number }
    /// The page's file name, `a3.html`.
    public var pageName: String { description.lowercased() + ".html" }

    /// Orders by track letters, then by number (numerically, so A2 < A10).
    public static func < (a: ChapterID, b: ChapterID) -> Bool {
        if a.track != b.track { return a.track < b.track }
        let x = a.number.drop { $0 == "0" }, y = b.number.drop { $0 == "0" }
        if x.count != y.count { return x.count < y.count }
        if x != y { return x < y }
        return a.number < b.number
    }
}
