import Foundation

/// Renders a body partial through swift-mustache once per shape of its values, then fills
/// the values in by itself: a long chapter has thousands of links and glossary marks, and
/// rendering each through the template engine was most of a build's time.
///
/// A shape is which values are empty, which flags are set and which numbers they are. For
/// a new shape, each non-empty text value is replaced by a probe (`\u{1}<n>aB"\u{2}`: the
/// letters in both cases show any change of case) and the
/// partial is rendered; where a probe comes out as written the value goes in as it is,
/// where it comes out as `&quot;` it goes in escaped as Mustache escapes. A partial that
/// uses a transform (`{{uppercased(label)}}`, `{{count(alt)}}`), or changes a probe in any
/// other way, is rendered through swift-mustache every time, so the output is always what
/// Mustache would write.
final class PartialCache: @unchecked Sendable {
    private enum Piece {
        case text(String)
        case value(key: String, escaped: Bool)
    }
    /// The pieces of a shape, or nil when the partial must always be rendered.
    private var shapes: [String: [Piece]?] = [:]
    private let lock = NSLock()
    private let templates: TemplateSet

    init(templates: TemplateSet) { self.templates = templates }

    /// What `templates.render(values, name)` would give.
    func render(_ name: String, _ values: [String: Any]) -> String {
        let keys = values.keys.sorted()
        var shape = name
        for key in keys {
            switch values[key] {
            case let text as String: shape += text.isEmpty ? "|\(key)=" : "|\(key)=s"
            case let flag as Bool: shape += "|\(key)=\(flag)"
            case let number as Int: shape += "|\(key)=\(number)"
            default: shape += "|\(key)?"
            }
        }
        let pieces: [Piece]?
        if let known = lock.withLock({ shapes[shape] }) {
            pieces = known
        } else {
            pieces = compile(name, values, keys: keys)
            lock.withLock { shapes[shape] = .some(pieces) }
        }
        guard let pieces else { return templates.render(values, name) }
        var output = ""
        for piece in pieces {
            switch piece {
            case let .text(text): output += text
            case let .value(key, escaped):
                let value = values[key] as? String ?? ""
                output += escaped ? escapeAttribute(value) : value
            }
        }
        return output
    }

    private func compile(_ name: String, _ values: [String: Any], keys: [String]) -> [Piece]? {
        let source = templates.texts.first { $0.relative == name + ".mustache" }?.text ?? ""
        if TemplateLint.tags(in: source).contains(where: { $0.name.contains("(") }) { return nil }
        var probes = values
        var probed: [String] = []
        for key in keys {
            if let text = values[key] as? String, !text.isEmpty {
                probes[key] = "\u{1}\(probed.count)aB\"\u{2}"
                probed.append(key)
            }
        }
        let rendered = Array(templates.render(probes, name).unicodeScalars)
        var pieces: [Piece] = []
        var text = String.UnicodeScalarView()
        var i = 0
        while i < rendered.count {
            guard rendered[i] == "\u{1}" else {
                if rendered[i] == "\u{2}" { return nil }
                text.append(rendered[i])
                i += 1
                continue
            }
            var j = i + 1
            var number = 0
            while j < rendered.count, let digit = rendered[j].properties.numericType == .decimal ? Int(String(rendered[j])) : nil {
                number = number * 10 + digit
                j += 1
            }
            let rest = String(String.UnicodeScalarView(rendered[j..<min(rendered.count, j + 9)]))
            let escaped: Bool
            if rest.hasPrefix("aB\"\u{2}") { escaped = false; j += 4 } else if rest.hasPrefix("aB&quot;\u{2}") { escaped = true; j += 9 } else { return nil }
            guard j > i + 1, number < probed.count else { return nil }
            if !text.isEmpty { pieces.append(.text(String(text))) }
            text = String.UnicodeScalarView()
            pieces.append(.value(key: probed[number], escaped: escaped))
            i = j
        }
        if !text.isEmpty { pieces.append(.text(String(text))) }
        return pieces
    }
}
