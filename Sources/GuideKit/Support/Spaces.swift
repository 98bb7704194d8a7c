extension String {
    /// The text without the spaces and tabs around it: what `trimmingCharacters(in:
    /// .whitespaces)` gives (tab and the space separators, Unicode's Zs), without bridging to
    /// Foundation, for text that is trimmed once per word or heading.
    func trimmingSpaces() -> String {
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == "\t" || s == " " || (!s.isASCII && s.properties.generalCategory == .spaceSeparator) }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
