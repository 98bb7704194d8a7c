extension String {
    /// The text without the spaces around it: what `trimmingCharacters(in: .whitespaces)`
    /// gives (tab, Unicode's space separators and U+200B, as Foundation lists them), without
    /// bridging to Foundation, for text that is trimmed once per word, heading or field.
    func trimmingSpaces() -> String { trimming(Self.isSpace) }

    /// What `trimmingCharacters(in: .whitespacesAndNewlines)` gives: also U+000A to U+000D,
    /// U+0085, U+2028 and U+2029.
    func trimmingSpacesAndNewlines() -> String {
        trimming { s in
            switch s.value {
            case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return true
            default: return Self.isSpace(s)
            }
        }
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x20, 0xA0, 0x1680, 0x2000...0x200B, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    private func trimming(_ isSpace: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
