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
///
/// A long list whose items all have one shape (and hold no lists) is not part of the shape by
/// its length: the template is rendered with one item, then two, and what the second item added
/// (its part of each section over the list, and what stands between two items) is repeated
/// for each item. So a print edition of a thousand chapters, or chapter pages with different
/// numbers of sections, are filled in, not rendered. Before such a shape is used, the same
/// is done for three items and held to what swift-mustache renders for them; a template
/// whose output does not repeat that way (Mustache's `{{#-first}}`-like tricks) keeps its
/// lists in its shape, by length, as before.
final class TemplateShapes: @unchecked Sendable {
    private indirect enum Piece {
        case text(String)
        /// A leaf of the context, outside any repeated list.
        case value(Int, escaped: Bool)
        /// A leaf of the list item being repeated.
        case item(Int, escaped: Bool)
        /// Each item of the context's `list`-th repeated list: `middle` filled in with its
        /// leaves, `separator` between two items.
        case each(list: Int, middle: [Piece], separator: String)
    }
    private enum Entry {
        /// Seen once: rendered directly (a page whose shape is unique costs nothing extra).
        case seen
        case compiled([Piece])
        /// Must always be rendered by swift-mustache.
        case direct
        /// Lists do not repeat item by item here: shaped by their lengths instead.
        case listsByLength
    }
    private var entries: [String: Entry] = [:]
    private let lock = NSLock()
    private let templates: TemplateSet
    /// Compile at the first use (partials, used thousands of times) or the second (pages).
    private let compileAtFirstUse: Bool
    /// The length from which a list is repeated item by item. A shorter one (a chapter's
    /// sections) stays in the shape by its length: finding how a list repeats takes three or
    /// more renders, which pay only for long lists (the print edition's chapters), and such a
    /// page is compiled at its first use.
    private static let repeatedFrom = 16

    init(templates: TemplateSet, compileAtFirstUse: Bool) {
        self.templates = templates
        self.compileAtFirstUse = compileAtFirstUse
    }

    private func rendersDirectly(_ name: String) -> Bool { templates.directTemplates.contains(name) }

    /// How many times swift-mustache rendered a template here (probes included), for tests.
    private(set) var mustacheRenders = 0

    private func mustache(_ context: Any, _ name: String) -> String {
        lock.withLock { mustacheRenders += 1 }
        return templates.render(context, name)
    }

    /// A list whose items are repeated by the template, item by item: each item's leaves.
    private struct RepeatedList {
        var items: [[String]]
    }

    /// What `mustache(context, name)` would give.
    func render(_ name: String, _ context: Any) -> String {
        // A typed context is read in its own order; anything else as a dictionary.
        let typed = (context as? TemplateContext)?.templateFields ?? (context as? TemplateFields)
        guard !rendersDirectly(name), let value = typed ?? (context as? [String: Any]) ?? TemplateSet.templateValue(context) else {
            return mustache(context, name)
        }
        var shape = name + "|"
        var leaves: [String] = []
        var lists: [RepeatedList]? = []
        guard Self.shape(of: value, into: &shape, leaves: &leaves, lists: &lists), let repeated = lists else {
            return mustache(value, name)
        }
        if !repeated.isEmpty, lock.withLock({ if case .listsByLength? = entries[shape] { return true } else { return false } }) {
            // Shaped again, each list by its length.
            var exactShape = name + "|#"
            var exactLeaves: [String] = []
            var none: [RepeatedList]? = nil
            guard Self.shape(of: value, into: &exactShape, leaves: &exactLeaves, lists: &none) else { return mustache(value, name) }
            return render(name, value, shape: exactShape, leaves: exactLeaves, lists: [])
        }
        return render(name, value, shape: shape, leaves: leaves, lists: repeated)
    }

    private func render(_ name: String, _ value: Any, shape: String, leaves: [String], lists: [RepeatedList]) -> String {
        let atFirstUse = compileAtFirstUse || !lists.isEmpty
        let entry = lock.withLock { () -> Entry? in
            let known = entries[shape]
            if known == nil, !atFirstUse { entries[shape] = .seen }
            return known
        }
        let pieces: [Piece]
        switch entry {
        case let .compiled(known):
            pieces = known
        case .direct, .listsByLength, .none where !atFirstUse:
            return mustache(value, name)
        case .seen, .none:
            let compiled = lists.isEmpty ? compile(name, value, leaves: leaves.count) : compileRepeating(name, value, leaves: leaves.count, lists: lists)
            guard let compiled else {
                lock.withLock { entries[shape] = lists.isEmpty ? .direct : .listsByLength }
                return mustache(value, name)
            }
            lock.withLock { entries[shape] = .compiled(compiled) }
            pieces = compiled
        }
        var output = ""
        Self.fill(pieces, leaves: leaves, lists: lists.map(\.items), item: [], into: &output)
        return output
    }

    private static func fill(_ pieces: [Piece], leaves: [String], lists: [[[String]]], item: [String], into output: inout String) {
        for piece in pieces {
            switch piece {
            case let .text(text): output += text
            case let .value(index, escaped): output += escaped ? escapeAttribute(leaves[index]) : leaves[index]
            case let .item(index, escaped): output += escaped ? escapeAttribute(item[index]) : item[index]
            case let .each(list, middle, separator):
                for (n, itemLeaves) in lists[list].enumerated() {
                    if n > 0 { output += separator }
                    fill(middle, leaves: leaves, lists: lists, item: itemLeaves, into: &output)
                }
            }
        }
    }

    /// The shape of the items of `list` when they all have one and hold no list: then the
    /// list is repeated item by item. Each item's leaves go to `itemLeaves`.
    private static func repeatedItemShape(_ list: [TemplateFields], itemLeaves: inout [[String]]) -> String? {
        guard !list.isEmpty else { return nil }
        var first: String?
        for item in list {
            var shape = ""
            var leaves: [String] = []
            var none: [RepeatedList]? = nil
            guard !item.values.contains(where: { $0 is [Any] || $0 is [TemplateFields] }),
                  Self.shape(of: item, into: &shape, leaves: &leaves, lists: &none), first == nil || first == shape else { return nil }
            first = shape
            itemLeaves.append(leaves)
        }
        return first
    }

    /// Adds the shape of `value` to `shape` and its texts and numbers to `leaves`, in the
    /// order `probed` numbers them; false for a value of another kind. With `lists`, a list
    /// repeated item by item is shaped by its items' one shape, not its length, and its
    /// leaves go to `lists`.
    private static func shape(of value: Any, into shape: inout String, leaves: inout [String], lists: inout [RepeatedList]?) -> Bool {
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
                guard Self.shape(of: item, into: &shape, leaves: &leaves, lists: &lists) else { return false }
            }
            shape += ")"
        case let list as [TemplateFields]:
            // Before `[Any]`, which would box each item to read it.
            var itemLeaves: [[String]] = []
            if lists != nil, list.count >= Self.repeatedFrom, let itemShape = repeatedItemShape(list, itemLeaves: &itemLeaves) {
                shape += "[*" + itemShape + "]"
                lists!.append(RepeatedList(items: itemLeaves))
                return true
            }
            shape += "[\(list.count)"
            for item in list where !Self.shape(of: item, into: &shape, leaves: &leaves, lists: &lists) { return false }
            shape += "]"
        case let list as [Any]:
            shape += "[\(list.count)"
            for item in list where !Self.shape(of: item, into: &shape, leaves: &leaves, lists: &lists) { return false }
            shape += "]"
        case let object as [String: Any]:
            shape += "{"
            for key in object.keys.sorted() {
                shape += key
                shape += ":"
                guard Self.shape(of: object[key]!, into: &shape, leaves: &leaves, lists: &lists) else { return false }
            }
            shape += "}"
        default:
            return false
        }
        return true
    }

    /// Probe numbers from here on stand for items of repeated lists: the `position`-th item
    /// of the `list`-th list is numbered from `itemProbeBase * (1 + 4 * list + position)`.
    private static let itemProbeBase = 1_000_000

    private static func probe(_ number: Int, endsLine: Bool) -> String {
        "\u{1}\(number)aB\"\u{2}" + (endsLine ? "\n" : "")
    }

    /// The context with each text or number replaced by its probe (`\u{1}<n>aB"\u{2}`, and
    /// the line break of a text that ends with one), numbered as `shape(of:)` lists them.
    /// With `counts`, each list repeated item by item is given that many copies of its first
    /// item, each probed from its own base.
    private static func probed(_ value: Any, next: inout Int, counts: [Int]? = nil, list: inout Int) -> Any {
        switch value {
        case let flag as Bool: return flag
        case let text as String:
            defer { if !text.isEmpty { next += 1 } }
            return text.isEmpty ? text : probe(next, endsLine: text.hasSuffix("\n"))
        case is Int:
            defer { next += 1 }
            return probe(next, endsLine: false)
        case let fields as TemplateFields:
            var result: [String: Any] = [:]
            for (key, item) in zip(fields.keys, fields.values) { result[key] = probed(item, next: &next, counts: counts, list: &list) }
            return result
        case let items as [TemplateFields]:
            var itemLeaves: [[String]] = []
            if let counts, items.count >= repeatedFrom, repeatedItemShape(items, itemLeaves: &itemLeaves) != nil {
                defer { list += 1 }
                return (0..<counts[list]).map { position -> Any in
                    var itemNext = itemProbeBase * (1 + 4 * list + position)
                    var inner = 0
                    return probed(items[0], next: &itemNext, counts: nil, list: &inner)
                }
            }
            return items.map { probed($0, next: &next, counts: counts, list: &list) }
        case let items as [Any]: return items.map { probed($0, next: &next, counts: counts, list: &list) }
        case let object as [String: Any]:
            var result: [String: Any] = [:]
            for key in object.keys.sorted() { result[key] = probed(object[key]!, next: &next, counts: counts, list: &list) }
            return result
        default: return value
        }
    }

    /// A probe as it came out: which leaf it stands for, and whether it was escaped.
    private struct Probe: Equatable {
        /// -1 for a leaf outside the repeated lists.
        var list: Int
        var position: Int
        var index: Int
        var escaped: Bool
    }

    /// A render split at its probes: texts and probes in turn, a text first and last
    /// (perhaps empty). Nil where a probe was changed.
    private static func split(_ rendered: String, leaves: Int) -> (texts: [String], probes: [Probe])? {
        let scalars = Array(rendered.unicodeScalars)
        var texts: [String] = [], probes: [Probe] = []
        var text = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "\u{1}" else {
                if scalars[i] == "\u{2}" { return nil }
                text.append(scalars[i])
                i += 1
                continue
            }
            var j = i + 1
            var number = 0
            while j < scalars.count, j - i <= 18, let digit = scalars[j].properties.numericType == .decimal ? Int(String(scalars[j])) : nil {
                number = number * 10 + digit
                j += 1
            }
            let rest = String(String.UnicodeScalarView(scalars[j..<min(scalars.count, j + 9)]))
            let escaped: Bool
            if rest.hasPrefix("aB\"\u{2}") { escaped = false; j += 4 } else if rest.hasPrefix("aB&quot;\u{2}") { escaped = true; j += 9 } else { return nil }
            guard j > i + 1 else { return nil }
            if number < itemProbeBase {
                guard number < leaves else { return nil }
                probes.append(Probe(list: -1, position: 0, index: number, escaped: escaped))
            } else {
                let slot = number / itemProbeBase - 1
                probes.append(Probe(list: slot / 4, position: slot % 4, index: number % itemProbeBase, escaped: escaped))
            }
            texts.append(String(text))
            text = String.UnicodeScalarView()
            i = j
        }
        texts.append(String(text))
        return (texts, probes)
    }

    /// The pieces of a shape: the template rendered with probes, split at them.
    private func compile(_ name: String, _ value: Any, leaves: Int) -> [Piece]? {
        var next = 0, list = 0
        guard let (texts, probes) = Self.split(mustache(Self.probed(value, next: &next, list: &list), name), leaves: leaves),
              probes.allSatisfy({ $0.list == -1 }) else { return nil }
        var pieces: [Piece] = []
        for (n, text) in texts.enumerated() {
            if !text.isEmpty { pieces.append(.text(text)) }
            if n < probes.count { pieces.append(.value(probes[n].index, escaped: probes[n].escaped)) }
        }
        return pieces
    }

    /// The pieces of a shape with repeated lists, found from renders with one item in each
    /// list and with two in one; nil when the template does not repeat its lists item by
    /// item, as a render with three items in each shows.
    private func compileRepeating(_ name: String, _ value: Any, leaves: Int, lists: [RepeatedList]) -> [Piece]? {
        guard leaves < Self.itemProbeBase, lists.count <= 64 else { return nil }
        func rendered(_ counts: [Int]) -> String {
            var next = 0, list = 0
            return mustache(Self.probed(value, next: &next, counts: counts, list: &list), name)
        }
        let ones = [Int](repeating: 1, count: lists.count)
        guard let one = Self.split(rendered(ones), leaves: leaves) else { return nil }
        // Where each list's sections are, from what a second item adds to each.
        struct Section {
            var list: Int
            /// The first and last probe of the one item, in `one`.
            var first: Int, last: Int
            var middle: [Piece]
            var separator: String
        }
        var sections: [Section] = []
        for list in lists.indices {
            var counts = ones
            counts[list] = 2
            guard let two = Self.split(rendered(counts), leaves: leaves) else { return nil }
            var i = 0, k = 0
            while i < one.probes.count || k < two.probes.count {
                if i < one.probes.count, k < two.probes.count, one.texts[i] == two.texts[k], one.probes[i] == two.probes[k] {
                    i += 1
                    k += 1
                    continue
                }
                // The second item starts here: its probes up to the last of them, after which
                // the two renders go on alike.
                // (It may start with a leaf from outside the list, written before each item.)
                guard k < two.probes.count, two.probes[k].list == -1 || (two.probes[k].list == list && two.probes[k].position == 1), i > 0 else {
                    return nil
                }
                var last = k
                while true {
                    guard last < two.probes.count else { return nil }
                    if two.probes[last].list == list, two.probes[last].position == 1, two.texts[last + 1] == one.texts[i],
                       i == one.probes.count ? last + 1 == two.probes.count : (last + 1 < two.probes.count && two.probes[last + 1] == one.probes[i]) {
                        break
                    }
                    last += 1
                }
                let width = last - k
                let first = i - 1 - width
                guard first >= 0 else { return nil }
                var middle: [Piece] = []
                for n in k...last {
                    // The first item's probes, in `one`, must be the second's, moved.
                    let added = two.probes[n], own = one.probes[first + n - k]
                    let ownText = one.texts[first + n - k], addedText = two.texts[n]
                    if n > k {
                        guard ownText == addedText else { return nil }
                        if !addedText.isEmpty { middle.append(.text(addedText)) }
                    }
                    if added.list == -1 {
                        guard own == added else { return nil }
                        middle.append(.value(added.index, escaped: added.escaped))
                    } else {
                        guard added.list == list, added.position == 1, own.list == list, own.position == 0, own.index == added.index,
                              own.escaped == added.escaped else { return nil }
                        middle.append(.item(added.index, escaped: added.escaped))
                    }
                }
                sections.append(Section(list: list, first: first, last: i - 1, middle: middle, separator: two.texts[k]))
                k = last + 1
            }
            guard one.texts[one.probes.count] == two.texts[two.probes.count] else { return nil }
        }
        // The one-item render with each section made a repetition of its list's items.
        sections.sort { $0.first < $1.first }
        var pieces: [Piece] = []
        var n = 0, next = 0
        while n <= one.probes.count {
            if !one.texts[n].isEmpty { pieces.append(.text(one.texts[n])) }
            guard n < one.probes.count else { break }
            if next < sections.count, sections[next].first == n {
                let section = sections[next]
                pieces.append(.each(list: section.list, middle: section.middle, separator: section.separator))
                n = section.last + 1
                next += 1
                guard next == sections.count || sections[next].first >= n else { return nil }
                continue
            }
            guard one.probes[n].list == -1 else { return nil }
            pieces.append(.value(one.probes[n].index, escaped: one.probes[n].escaped))
            n += 1
        }
        // Held to swift-mustache with three items in every list.
        let threes = [Int](repeating: 3, count: lists.count)
        var expected = ""
        let probeLeaves = (0..<leaves).map { Self.probe($0, endsLine: false) }
        let probeLists = lists.indices.map { list in
            (0..<3).map { position in
                (0..<(lists[list].items.first?.count ?? 0)).map { Self.probe(Self.itemProbeBase * (1 + 4 * list + position) + $0, endsLine: false) }
            }
        }
        Self.fill(pieces, leaves: probeLeaves, lists: probeLists, item: [], into: &expected)
        guard expected == rendered(threes) else { return nil }
        return pieces
    }
}
