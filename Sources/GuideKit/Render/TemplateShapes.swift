import Foundation

/// Renders a template through swift-mustache once per shape of its context, then fills the
/// values in by itself: swift-mustache looks every tag up through dynamic casts, which was
/// most of a build's time (a long chapter has thousands of links; a guide, a thousand pages
/// made by the same template).
///
/// A context's shape is everything a template can branch on: which values are empty or
/// missing, each flag, each list's length, and which texts end with a line break (an
/// indented partial indents after one). Every other text or number becomes a probe
/// (`\u{1}<n>aB"\u{2}`: the letters in both cases show any change of case) and the template
/// is rendered once; where a probe comes out as written its value goes in as it is, where it
/// comes out as `&quot;` the value goes in escaped as Mustache escapes. A template set that
/// uses a transform (`{{uppercased(label)}}`), or a render that changes a probe in any other
/// way, is rendered through swift-mustache every time, so the output is always what
/// Mustache would write.
final class TemplateShapes: @unchecked Sendable {
    private enum Piece {
        case text(String)
        case value(Int, escaped: Bool)
    }
    private enum Entry {
        /// Seen once: rendered directly (a page whose shape is unique costs nothing extra).
        case seen
        case compiled([Piece])
        /// Must always be rendered by swift-mustache.
        case direct
    }
    private var entries: [String: Entry] = [:]
    private let lock = NSLock()
    private let templates: TemplateSet
    /// Compile at the first use (partials, used thousands of times) or the second (pages).
    private let compileAtFirstUse: Bool

    init(templates: TemplateSet, compileAtFirstUse: Bool) {
        self.templates = templates
        self.compileAtFirstUse = compileAtFirstUse
    }

    private func rendersDirectly(_ name: String) -> Bool { templates.directTemplates.contains(name) }

    /// What `templates.render(context, name)` would give.
    func render(_ name: String, _ context: Any) -> String {
        // A typed context is read in its own order; anything else as a dictionary.
        let typed = (context as? TemplateContext)?.templateFields
        guard !rendersDirectly(name), let value = typed ?? (context as? [String: Any]) ?? TemplateSet.templateValue(context) else {
            return templates.render(context, name)
        }
        var shape = name + "|"
        var leaves: [String] = []
        guard Self.shape(of: value, into: &shape, leaves: &leaves) else { return templates.render(value, name) }
        let entry = lock.withLock { () -> Entry? in
            let known = entries[shape]
            if known == nil, !compileAtFirstUse { entries[shape] = .seen }
            return known
        }
        let pieces: [Piece]
        switch entry {
        case let .compiled(known):
            pieces = known
        case .direct, .none where !compileAtFirstUse:
            return templates.render(value, name)
        case .seen, .none:
            var next = 0
            guard let compiled = compile(name, Self.probed(value, next: &next), leaves: leaves.count) else {
                lock.withLock { entries[shape] = .direct }
                return templates.render(value, name)
            }
            lock.withLock { entries[shape] = .compiled(compiled) }
            pieces = compiled
        }
        var output = ""
        for piece in pieces {
            switch piece {
            case let .text(text): output += text
            case let .value(index, escaped): output += escaped ? escapeAttribute(leaves[index]) : leaves[index]
            }
        }
        return output
    }

    /// Adds the shape of `value` to `shape` and its texts and numbers to `leaves`, in the
    /// order `probed` numbers them; false for a value of another kind.
    private static func shape(of value: Any, into shape: inout String, leaves: inout [String]) -> Bool {
        switch value {
        case let flag as Bool:
            shape += flag ? "t" : "f"
        case let text as String:
            if text.isEmpty {
                shape += "e"
            } else if text.hasSuffix("\n") {
                shape += "n"
                leaves.append(String(text[..<text.index(before: text.endIndex)]))
            } else {
                shape += "s"
                leaves.append(text)
            }
        case let number as Int:
            shape += "s"
            leaves.append(String(number))
        case let fields as TemplateFields:
            // Told apart from a dictionary's shape, whose keys are sorted.
            shape += "("
            for (key, item) in zip(fields.keys, fields.values) {
                shape += key
                shape += ":"
                guard Self.shape(of: item, into: &shape, leaves: &leaves) else { return false }
            }
            shape += ")"
        case let list as [TemplateFields]:
            // Before `[Any]`, which would box each item to read it.
            shape += "[\(list.count)"
            for item in list where !Self.shape(of: item, into: &shape, leaves: &leaves) { return false }
            shape += "]"
        case let list as [Any]:
            shape += "[\(list.count)"
            for item in list where !Self.shape(of: item, into: &shape, leaves: &leaves) { return false }
            shape += "]"
        case let object as [String: Any]:
            shape += "{"
            for key in object.keys.sorted() {
                shape += key
                shape += ":"
                guard Self.shape(of: object[key]!, into: &shape, leaves: &leaves) else { return false }
            }
            shape += "}"
        default:
            return false
        }
        return true
    }

    /// The context with each text or number replaced by its probe (`\u{1}<n>aB"\u{2}`, and
    /// the line break of a text that ends with one), numbered as `shape(of:)` lists them.
    private static func probed(_ value: Any, next: inout Int) -> Any {
        func probe(endsLine: Bool) -> String {
            defer { next += 1 }
            return "\u{1}\(next)aB\"\u{2}" + (endsLine ? "\n" : "")
        }
        switch value {
        case let flag as Bool: return flag
        case let text as String: return text.isEmpty ? text : probe(endsLine: text.hasSuffix("\n"))
        case is Int: return probe(endsLine: false)
        case let fields as TemplateFields:
            var result: [String: Any] = [:]
            for (key, item) in zip(fields.keys, fields.values) { result[key] = probed(item, next: &next) }
            return result
        case let list as [TemplateFields]: return list.map { probed($0, next: &next) }
        case let list as [Any]: return list.map { probed($0, next: &next) }
        case let object as [String: Any]:
            var result: [String: Any] = [:]
            for key in object.keys.sorted() { result[key] = probed(object[key]!, next: &next) }
            return result
        default: return value
        }
    }

    /// The pieces of a shape: the template rendered with probes, split at them.
    private func compile(_ name: String, _ probed: Any, leaves: Int) -> [Piece]? {
        let rendered = Array(templates.render(probed, name).unicodeScalars)
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
            guard j > i + 1, number < leaves else { return nil }
            if !text.isEmpty { pieces.append(.text(String(text))) }
            text = String.UnicodeScalarView()
            pieces.append(.value(number, escaped: escaped))
            i = j
        }
        if !text.isEmpty { pieces.append(.text(String(text))) }
        return pieces
    }
}
