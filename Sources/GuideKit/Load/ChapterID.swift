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
    public var pageName: String { description.lowercased() + ".html" }

    /// Orders by track letters, then by number (numerically, so A2 < A10).
    /// Both parts are ASCII, so their bytes are their characters.
    public static func < (a: ChapterID, b: ChapterID) -> Bool {
        if a.track != b.track { return a.track < b.track }
        let x = a.number.utf8.drop { $0 == 0x30 }, y = b.number.utf8.drop { $0 == 0x30 }
        if x.count != y.count { return x.count < y.count }
        if !x.elementsEqual(y) { return x.lexicographicallyPrecedes(y) }
        return a.number < b.number
    }
}
