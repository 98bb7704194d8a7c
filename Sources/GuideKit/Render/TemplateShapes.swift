import Foundation
import Mustache

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
/// A list whose items have at most four shapes and hold no lists (any list of a page; a
/// partial's from sixteen items) is not part of the shape by its length: what an item of
/// each shape writes (its part of each section over the list), and what stands between two
/// items of each pair of shapes, is found in one probe render that gives the list an item of
/// each shape after one of each (`walk`), and is repeated for each item. So a print edition
/// of a thousand chapters, or chapter pages with different numbers of sections, are filled
/// in, not rendered; that render costs what rendering the page would, so a shape is compiled
/// at its first sight. A template whose output does not repeat item by item keeps its lists
/// in its shape, by length.
///
/// A partial's context (`FlatTemplateContext`: texts, numbers and flags under keys its type
/// always lists) is shaped from its type and the kind of each value, without casting its
/// values or writing its shape out: chapter bodies render thousands of partials.
final class TemplateShapes: @unchecked Sendable {
    fileprivate enum Piece: Equatable {
        case text(String)
        /// A leaf of the context, outside any repeated list.
        case value(Int, escaped: Bool)
        /// A leaf of the list item being repeated.
        case item(Int, escaped: Bool)
        /// Each item of the context's `list`-th repeated list: the middle of its kind (its
        /// shape) filled in with its leaves, and between two items the separator for their
        /// two kinds.
        case each(list: Int, middles: [[Piece]], separators: [[[Piece]]])
    }
    private enum Entry {
        case compiled([Piece])
        /// Must always be rendered by swift-mustache.
        case direct
        /// Lists do not repeat item by item here: shaped by their lengths instead.
        case listsByLength
    }
    private var entries: [ShapeText: Entry] = [:]
    /// A flat context's shape: the template, the context's type and, three bits per value,
    /// the kind of each (see `render(_:flat:)`).
    private struct FlatShape: Hashable {
        var name: String
        var type: ObjectIdentifier
        var kinds: UInt64

        /// Hashed by its type and kinds: a context type is rendered with one partial (its
        /// name is still compared), and hashing the name was a third of each lookup.
        func hash(into hasher: inout Hasher) {
            hasher.combine(type)
            hasher.combine(kinds)
        }
    }
    /// Per flat shape, its compiled pieces, or nil when swift-mustache renders it.
    private var flatEntries: [FlatShape: FlatPieces?] = [:]

    /// A flat shape's pieces as plain numbers over its texts' bytes: each a text (its
    /// bytes) or a leaf, so that filling a partial (thousands a chapter body) copies and
    /// counts no reference, as going over the pieces themselves did at each piece.
    fileprivate struct FlatPieces {
        struct Op {
            /// The leaf written, or -1 for the text `bytes[start..<start + count]`.
            var leaf: Int32
            var escaped: Bool
            var start: Int32
            var count: Int32
        }
        let ops: [Op]
        let bytes: [UInt8]
        /// Each leaf's place among the context's values (which values are leaves follows
        /// from their kinds, which the shape fixes).
        var leafValues: [Int32] = []

        /// Nil for pieces that repeat a list (a flat context has none).
        init?(_ pieces: [Piece]) {
            var ops: [Op] = [], bytes: [UInt8] = []
            for piece in pieces {
                switch piece {
                case let .text(text):
                    ops.append(Op(leaf: -1, escaped: false, start: Int32(bytes.count), count: Int32(text.utf8.count)))
                    bytes += text.utf8
                case let .value(index, escaped):
                    ops.append(Op(leaf: Int32(index), escaped: escaped, start: 0, count: 0))
                case .item, .each:
                    return nil
                }
            }
            (self.ops, self.bytes) = (ops, bytes)
        }
    }
    private let lock = NSLock()
    private let templates: TemplateSet
    /// The length from which a partial's list is repeated item by item. A shorter one stays
    /// in the shape by its length: a partial's few items cost less to render than a compile
    /// render's items of every kind.
    private static let longListFrom = 16
    /// The length from which a list is repeated item by item here: a page's lists of any
    /// length (a chapter's sections, its related chapters), so that pages with different
    /// numbers of them share a shape; a partial's from `longListFrom`.
    private let repeatedFrom: Int

    /// The strings, as probe renders are given them.
    private let probeStrings: ProbeFields

    /// `forPartials`: the shapes of partials, whose short lists stay in the shape by length
    /// (`repeatedFrom`); else of pages.
    init(templates: TemplateSet, forPartials: Bool) {
        precondition(templates.rendersPages, "a template set loaded for checking renders nothing")
        self.templates = templates
        var strings = ProbeFields()
        for (key, text) in templates.strings.values { strings.append(key, ProbeText(text: text)) }
        probeStrings = strings
        repeatedFrom = forPartials ? Self.longListFrom : 1
    }

    private func rendersDirectly(_ name: String) -> Bool { templates.directTemplates.contains(name) }

    /// How many times swift-mustache rendered a template here (probes included), for tests.
    private(set) var mustacheRenders = 0

    private func mustache(_ context: Any, _ name: String) -> String {
        lock.withLock { mustacheRenders += 1 }
        return templates.render(context, name)
    }

    /// A probe render: its context, and the strings as `strings`, in the probe contexts'
    /// own types (see `ProbeFields`).
    private func mustache(probed context: ProbeFields, _ name: String) -> String {
        lock.withLock { mustacheRenders += 1 }
        var root = context
        root.append("strings", probeStrings)
        return templates.library.render(root, withTemplate: name) ?? ""
    }

    /// A shaped value rendered by swift-mustache: given as the context it came from.
    private func mustache(_ value: TemplateValue, _ name: String) -> String {
        switch value {
        case let .fields(fields): return mustache(fields, name)
        case let .other(other): return mustache(other.value, name)
        default: return mustache(value.plain, name)
        }
    }

    /// A list whose items are repeated by the template, item by item: each item's leaves
    /// and kind (its shape, numbered in order of first appearance), and an item of each kind.
    fileprivate struct RepeatedList {
        var items: [[Substring]] = []
        var kinds: [Int] = []
        var samples: [TemplateFields] = []
        /// Per item, when any item holds a `DeferredText`: the place of its text among the
        /// item's leaves (-1 for an empty one, which has none). Its leaf there is a stand-in.
        var deferredLeaves: [Int] = []
        /// Items that hold a `DeferredText`.
        var deferredItems = 0
        /// Its number among the lists of fields its page holds, in the order a `Prober` meets
        /// them (each list before the lists inside its items).
        var met = 0
    }
    /// At most this many kinds of item in one repeated list: a compile render gives the list
    /// an item of each kind after one of each kind (`walk`), 17 or 18 items for four.
    private static let kindsAtMost = 4

    /// What `templates.render(context, name)` would give.
    func render(_ name: String, _ context: Any) -> String {
        render(name, context, as: String.self)
    }

    /// The same text, as `Output` holds it: one string, or a long page's pieces.
    func render<Output: PageText>(_ name: String, _ context: Any, as _: Output.Type) -> Output {
        // A typed context is read in its own order; anything else as a dictionary.
        let typed = (context as? TemplateContext)?.templateFields ?? (context as? TemplateFields)
        guard !rendersDirectly(name), let value = typed.map(TemplateValue.fields)
                ?? (context as? [String: Any]).map(TemplateValue.init(any:)) ?? TemplateSet.templateValue(context).map(TemplateValue.init(any:)) else {
            return Output(whole: mustache(context, name))
        }
        return render(name, shaping: value, as: Output.self)
    }

    /// The same for a page's typed context, read through its type: not copied into an `Any`
    /// (a chapter page's context is a box of its own, every value in it counted again) and
    /// cast back, for each page.
    func render<Context: TemplateContext, Output: PageText>(_ name: String, typed context: Context, as _: Output.Type) -> Output {
        guard !rendersDirectly(name) else { return Output(whole: mustache(context, name)) }
        return render(name, shaping: .fields(context.templateFields), as: Output.self)
    }

    private func render<Output: PageText>(_ name: String, shaping value: TemplateValue, as _: Output.Type) -> Output {
        var shapeText = ShapeText(name + "|")
        var leaves: [Substring] = []
        leaves.reserveCapacity(64)
        var lists: [RepeatedList]? = []
        guard Self.shape(of: value, into: &shapeText, leaves: &leaves, lists: &lists, from: repeatedFrom), let repeated = lists else {
            return Output(whole: mustache(value, name))
        }
        // Compiled at its first sight, in one render, as rendering the page would cost; a
        // template whose lists do not repeat item by item keeps them in its shape by length.
        let shape = shapeText
        if !repeated.isEmpty, lock.withLock({ if case .listsByLength? = entries[shape] { return true } else { return false } }) {
            // Shaped again, each list by its length, as a page without long lists is.
            var exactShape = ShapeText(name + "|#")
            var exactLeaves: [Substring] = []
            var none: [RepeatedList]? = nil
            guard Self.shape(of: value, into: &exactShape, leaves: &exactLeaves, lists: &none) else { return Output(whole: mustache(value, name)) }
            return render(name, value, shape: exactShape, leaves: exactLeaves, lists: [])
        }
        return render(name, value, shape: shape, leaves: leaves, lists: repeated)
    }

    /// What `render(name, context)` gives, for a flat context: its shape is found from its
    /// type and its values' kinds, and the pieces the general way compiles for that shape
    /// are kept under it. Compiled at the first use, as partials are.
    func render<Context: FlatTemplateContext>(_ name: String, flat context: Context) -> String {
        var output = UTF8Text()
        var none: [ValueWrite] = []
        _ = renderAdding(name, flat: context, to: &output, writes: &none, record: false)
        return output.string
    }

    /// The same text, added to `output` (a chapter body renders thousands of partials, each
    /// made into a string of its own and copied into the body before). With
    /// `droppingFinalLineBreak`, a line break that ends the partial's text is left out, as
    /// an inline construct leaves out the one an editor puts at the end of a file.
    func render<Context: FlatTemplateContext>(_ name: String, flat context: Context, into output: inout UTF8Text,
                                              droppingFinalLineBreak: Bool = false) {
        var none: [ValueWrite] = []
        let start = output.count
        _ = renderAdding(name, flat: context, to: &output, writes: &none, record: false)
        if droppingFinalLineBreak { Self.dropFinalLineBreak(of: &output, partialFrom: start) }
    }

    /// Where a partial wrote one of its context's values (`renderRecording`).
    struct ValueWrite {
        /// The value's place in the context's `flatValues`.
        var value: Int
        /// The bytes the value became in the output.
        var range: Range<Int>
        /// Written by `{{…}}` (escaped), not `{{{…}}}`.
        var escaped: Bool
    }

    /// `render(_:flat:into:droppingFinalLineBreak:)`, saying also where the partial's text
    /// ended before a line break was dropped and, with `record`, where each value was written
    /// (in `writes`, emptied first, in the order written). `recorded` is false for a partial
    /// swift-mustache renders, whose values' places cannot be told.
    func renderRecording<Context: FlatTemplateContext>(_ name: String, flat context: Context, into output: inout UTF8Text,
                                                       record: Bool, writes: inout [ValueWrite]) -> (recorded: Bool, end: Int) {
        writes.removeAll(keepingCapacity: true)
        let start = output.count
        let compiled = renderAdding(name, flat: context, to: &output, writes: &writes, record: record)
        let end = output.count
        Self.dropFinalLineBreak(of: &output, partialFrom: start)
        return (compiled, end)
    }

    /// Leaves out a line break that ends the partial written from `start`.
    private static func dropFinalLineBreak(of output: inout UTF8Text, partialFrom start: Int) {
        // As `endsWithLineBreak` reads the partial's own text: a "\n" that no "\r" of it
        // comes before. After a "\r" already there, a partial's lone "\n" goes too (the two
        // were one character of the text); a "\r\n" of its own stays.
        let added = output.count - start
        guard added > 0, output.last == UInt8(ascii: "\n") else { return }
        let afterReturn = output.count > 1 && output[output.count - 2] == UInt8(ascii: "\r")
        if !afterReturn || added == 1 { output.removeLast() }
    }

    /// Adds the bytes `text` becomes where a partial writes it, escaped (`{{…}}`) or not:
    /// what a recorded write of it holds (a text that ends with a line break is written
    /// without it; the partial's shape writes the break).
    static func write(_ text: String, escaped: Bool, into output: inout UTF8Text) {
        if let leaf = leaf(of: text, kind: kind(of: text)) { append(leaf, escaped: escaped, to: &output) }
    }

    /// Whether two texts give a partial the same shape (`textKind`), and so are written in
    /// the same places.
    static func sameKind(_ first: String, _ second: String) -> Bool { kind(of: first) == kind(of: second) }

    static func sameKind(_ first: UnsafeBufferPointer<UInt8>, _ second: UnsafeBufferPointer<UInt8>) -> Bool {
        kind(ofBytes: first) == kind(ofBytes: second)
    }

    /// True when the pieces compiled for the shape wrote it (then, with `record`, `writes`
    /// holds where each value went); false when swift-mustache did.
    private func renderAdding<Context: FlatTemplateContext>(_ name: String, flat context: Context, to output: inout UTF8Text,
                                                            writes: inout [ValueWrite], record: Bool) -> Bool {
        let values = context.flatValues
        guard values.count <= 21 else {
            output.append(text: render(name, context))
            return false
        }
        // The same kinds and leaves `shape(of:)` finds in the context's fields.
        var kinds: UInt64 = 0
        var leaves: [Substring] = []
        leaves.reserveCapacity(values.count)
        for value in values {
            kinds <<= 3
            switch value {
            case .absent: kinds |= 1
            case let .flag(flag): kinds |= flag ? 2 : 3
            case let .number(number):
                kinds |= 4
                leaves.append(Substring(String(number)))
            case let .text(text):
                switch Self.textKind(text, leaves: &leaves) {
                // A carriage return's kind is the one left, 0.
                case UInt8(ascii: "r"): break
                case UInt8(ascii: "e"): kinds |= 5
                case UInt8(ascii: "n"): kinds |= 6
                default: kinds |= 7
                }
            }
        }
        let key = FlatShape(name: name, type: ObjectIdentifier(Context.self), kinds: kinds)
        let known = lock.withLock { flatEntries[key] }
        let entry: FlatPieces?
        if let known {
            entry = known
        } else {
            var made = compiledPieces(name, context.templateFields).flatMap(FlatPieces.init)
            // A number, or a text that is not empty, is a leaf.
            made?.leafValues = values.indices.compactMap { index in
                switch values[index] {
                case .number: return Int32(index)
                case let .text(text): return Self.kind(of: text) == UInt8(ascii: "e") ? nil : Int32(index)
                case .flag, .absent: return nil
                }
            }
            entry = made
            lock.withLock { flatEntries[key] = entry }
        }
        guard let entry else {
            output.append(text: mustache(context, name))
            return false
        }
        entry.ops.withUnsafeBufferPointer { ops in
            entry.bytes.withUnsafeBufferPointer { bytes in
                for op in ops {
                    if op.leaf < 0 {
                        output.append(bytes: UnsafeBufferPointer(rebasing: bytes[Int(op.start)..<Int(op.start + op.count)]))
                    } else {
                        let start = output.count
                        Self.append(leaves[Int(op.leaf)], escaped: op.escaped, to: &output)
                        if record {
                            writes.append(ValueWrite(value: Int(entry.leafValues[Int(op.leaf)]), range: start..<output.count, escaped: op.escaped))
                        }
                    }
                }
            }
        }
        return true
    }

    /// The pieces of the shape of `fields`, which hold no list, compiled now if they were not;
    /// nil when swift-mustache must render it.
    private func compiledPieces(_ name: String, _ fields: TemplateFields) -> [Piece]? {
        var shape = ShapeText(name + "|")
        var leaves: [Substring] = []
        var none: [RepeatedList]? = nil
        guard !rendersDirectly(name), Self.shape(of: .fields(fields), into: &shape, leaves: &leaves, lists: &none) else { return nil }
        return pieces(name, .fields(fields), shape: shape, leaves: leaves.count, lists: [])
    }

    private func render<Output: PageText>(_ name: String, _ value: TemplateValue, shape: ShapeText, leaves: [Substring], lists: [RepeatedList]) -> Output {
        // A shape costs one render to compile, as it would to render: compiled at once.
        guard let pieces = pieces(name, value, shape: shape, leaves: leaves.count, lists: lists) else {
            return lists.isEmpty ? Output(whole: mustache(value, name)) : probeRendered(name, value)
        }
        return Self.filled(pieces, leaves: leaves, lists: lists)
    }

    /// `pieces` filled in; a string is made at its full size at once: a print edition of
    /// 10,000 chapters is 60 MB, which growing by doubling would copy, and hold twice over
    /// at the last copy.
    private static func filled<Output: PageText>(_ pieces: [Piece], leaves: [Substring], lists: [RepeatedList]) -> Output {
        var output = Output(size: { size(pieces, leaves: leaves, lists: lists, item: []) })
        fill(pieces, leaves: leaves, lists: lists, item: [], into: &output)
        return output
    }

    /// A page whose lists do not repeat item by item, rendered with a probe for each leaf (its
    /// lists by length) and filled in: swift-mustache escapes and measures every character of
    /// the text it is given, so a render of probes, a few bytes each, costs less than one of
    /// the page's long texts.
    private func probeRendered<Output: PageText>(_ name: String, _ value: TemplateValue) -> Output {
        var shape = ShapeText()
        var leaves: [Substring] = []
        var none: [RepeatedList]? = nil
        guard Self.shape(of: value, into: &shape, leaves: &leaves, lists: &none), let pieces = compile(name, value, leaves: leaves.count) else {
            return Output(whole: mustache(value, name))
        }
        return Self.filled(pieces, leaves: leaves, lists: [])
    }

    /// The pieces of `shape`, compiled now if they were not; nil when swift-mustache renders it.
    private func pieces(_ name: String, _ value: TemplateValue, shape: ShapeText, leaves: Int, lists: [RepeatedList]) -> [Piece]? {
        switch lock.withLock({ entries[shape] }) {
        case let .compiled(known):
            return known
        case .direct, .listsByLength:
            return nil
        case .none:
            let compiled = lists.isEmpty ? compile(name, value, leaves: leaves) : compileRepeating(name, value, leaves: leaves, lists: lists)
            lock.withLock { entries[shape] = compiled.map(Entry.compiled) ?? (lists.isEmpty ? .direct : .listsByLength) }
            return compiled
        }
    }

    /// With `deferred`, each deferred text of a repeated list's item is asked for once, in
    /// the items' order, as its item is written.
    private static func fill<Output: PageTextOutput>(_ pieces: [Piece], leaves: [Substring], lists: [RepeatedList], item: [Substring],
                                                     deferred: ((Int) -> String)? = nil, into output: inout Output) {
        // Pieces, and each list's items, read where they are: a loop over an array, or its
        // subscript, took a copy of each (its text or its leaves counted again), and a page's
        // lists repeat their pieces once per item.
        pieces.withUnsafeBufferPointer { pieces in
            for p in pieces.indices {
                switch pieces[p] {
                case let .text(text): output.append(text: text)
                case let .value(index, escaped): append(leaves[index], escaped: escaped, to: &output)
                case let .item(index, escaped): append(item[index], escaped: escaped, to: &output)
                case let .each(list, middles, separators):
                    let items = lists[list]
                    // Only the section that writes the deferred texts asks for them (the print
                    // edition's contents list goes over the same chapters first).
                    if deferred != nil && !items.deferredLeaves.isEmpty && usesDeferred(middles, separators, items) {
                        fillAsking(items, middles, separators, leaves: leaves, lists: lists, deferred: deferred!, into: &output)
                        continue
                    }
                    items.kinds.withUnsafeBufferPointer { kinds in
                        items.items.withUnsafeBufferPointer { itemLeaves in
                            for n in itemLeaves.indices {
                                if n > 0 { fill(separators[kinds[n - 1]][kinds[n]], leaves: leaves, lists: lists, item: itemLeaves[n - 1], into: &output) }
                                fill(middles[kinds[n]], leaves: leaves, lists: lists, item: itemLeaves[n], into: &output)
                            }
                        }
                    }
                }
            }
        }
    }

    /// A repeated list's items written with their deferred texts, each asked for once, in
    /// the items' order, as its item is written.
    private static func fillAsking<Output: PageTextOutput>(_ items: RepeatedList, _ middles: [[Piece]], _ separators: [[[Piece]]], leaves: [Substring],
                                                           lists: [RepeatedList], deferred: (Int) -> String, into output: inout Output) {
        var previous: [Substring] = []
        for n in items.items.indices {
            let kind = items.kinds[n]
            var current = items.items[n]
            if items.deferredLeaves[n] >= 0 {
                current[items.deferredLeaves[n]] = deferredLeaf(deferred(n), standIn: current[items.deferredLeaves[n]])
            }
            if n > 0 { fill(separators[items.kinds[n - 1]][kind], leaves: leaves, lists: lists, item: previous, into: &output) }
            fill(middles[kind], leaves: leaves, lists: lists, item: current, into: &output)
            previous = current
        }
    }

    /// Whether a repetition of `items` writes a leaf that holds a deferred text's place.
    private static func usesDeferred(_ middles: [[Piece]], _ separators: [[[Piece]]], _ items: RepeatedList) -> Bool {
        let places = Set(items.deferredLeaves.filter { $0 >= 0 })
        return (middles + separators.flatMap { $0 }).contains { pieces in
            pieces.contains { if case let .item(index, _) = $0 { return places.contains(index) } else { return false } }
        }
    }

    /// How many repetitions of the list with deferred texts write them; `streamed` needs one.
    private static func repetitionsUsingDeferred(_ pieces: [Piece], _ lists: [RepeatedList]) -> Int {
        pieces.reduce(0) { count, piece in
            guard case let .each(list, middles, separators) = piece else { return count }
            let nested = (middles + separators.flatMap { $0 }).reduce(0) { $0 + repetitionsUsingDeferred($1, lists) }
            let uses = !lists[list].deferredLeaves.isEmpty && usesDeferred(middles, separators, lists[list])
            return count + nested + (uses ? 1 : 0)
        }
    }

    /// A deferred text as the leaf its stand-in holds the place of: without its last line
    /// break or carriage return when the stand-in had one (see `textKind`).
    private static func deferredLeaf(_ text: String, standIn: Substring) -> Substring {
        var leaves: [Substring] = []
        let kind = textKind(text, leaves: &leaves)
        assert(kind == Self.kind(of: standIn.base), "a deferred text ends otherwise than its ending said")
        return leaves.first ?? ""
    }

    /// The bytes `fill` writes, but for what escaping adds.
    private static func size(_ pieces: [Piece], leaves: [Substring], lists: [RepeatedList], item: [Substring]) -> Int {
        var total = 0
        for piece in pieces {
            switch piece {
            case let .text(text): total += text.utf8.count
            case let .value(index, _): total += leaves[index].utf8.count
            case let .item(index, _): total += item[index].utf8.count
            case let .each(list, middles, separators):
                let items = lists[list]
                for n in items.items.indices {
                    let kind = items.kinds[n]
                    if n > 0 { total += size(separators[items.kinds[n - 1]][kind], leaves: leaves, lists: lists, item: items.items[n - 1]) }
                    total += size(middles[kind], leaves: leaves, lists: lists, item: items.items[n])
                }
            }
        }
        return total
    }

    /// A leaf as Mustache writes it: escaped by `{{…}}`, as it is by `{{{…}}}`.
    private static func append<Output: PageTextOutput>(_ leaf: Substring, escaped: Bool, to output: inout Output) {
        if escaped { output.append(escaping: leaf) } else { output.append(leaf: leaf) }
    }

    /// `list` as a repeated list, and its part of the shape (its kinds' shapes, and the
    /// last item's kind), when it is long enough, its items hold no lists and have at most
    /// `kindsAtMost` shapes.
    private static func repeated(_ list: [TemplateFields], from: Int) -> (shape: ShapeText, list: RepeatedList)? {
        guard list.count >= from else { return nil }
        var repeated = RepeatedList()
        var kindShapes: [ShapeText] = []
        // Each item's shape is made in one buffer, kept (copied) only for a kind not met before.
        var shape = ShapeText()
        for index in list.indices {
            shape.removeAll()
            var leaves: [Substring] = []
            leaves.reserveCapacity(8)
            var none: [RepeatedList]? = nil
            // Looked at in place, through the buffer (a scan's closure, or an array's
            // subscript, took a copy of each value).
            var deferredPlace: Int? = nil
            let holdsList = list[index].values.withUnsafeBufferPointer { values in
                for k in values.indices {
                    if values[k].isList { return true }
                    if deferredPlace == nil, values[k].isDeferred { deferredPlace = k }
                }
                return false
            }
            guard !holdsList else { return nil }
            var item = list[index]
            // A deferred text is shaped as a stand-in of its kind; its place is kept, to be
            // filled when the item is written.
            if let place = deferredPlace, case let .deferred(deferred) = item.values[place] {
                var before = ShapeText()
                var leavesBefore: [Substring] = []
                guard Self.shape(of: .fields(TemplateFields(keys: Array(item.keys[..<place]), values: Array(item.values[..<place]))),
                                 into: &before, leaves: &leavesBefore, lists: &none) else { return nil }
                if repeated.deferredLeaves.isEmpty { repeated.deferredLeaves = Array(repeating: -1, count: repeated.items.count) }
                repeated.deferredLeaves.append(deferred.ending == .empty ? -1 : leavesBefore.count)
                repeated.deferredItems += 1
                var values = item.values
                values[place] = .text(deferred.standIn)
                item = TemplateFields(keys: item.keys, values: values)
            } else if !repeated.deferredLeaves.isEmpty {
                repeated.deferredLeaves.append(-1)
            }
            guard Self.shape(ofFields: item, into: &shape, leaves: &leaves, lists: &none) else { return nil }
            let kind: Int
            if let known = kindShapes.firstIndex(of: shape) {
                kind = known
            } else {
                guard kindShapes.count < kindsAtMost else { return nil }
                kind = kindShapes.count
                kindShapes.append(shape)
                repeated.samples.append(item)
            }
            repeated.kinds.append(kind)
            repeated.items.append(leaves)
        }
        var listShape = ShapeText("[*")
        for (n, kindShape) in kindShapes.enumerated() {
            if n > 0 { listShape.append(UInt8(ascii: "/")) }
            listShape.append(kindShape)
        }
        listShape.append(UInt8(ascii: ">"))
        listShape.append(String(repeated.kinds.last!))
        listShape.append(UInt8(ascii: "]"))
        return (listShape, repeated)
    }

    /// Adds the shape of `value` to `shape` and its texts and numbers to `leaves`, in the
    /// order `probed` numbers them; false for a value of another kind. With `lists`, a list
    /// repeated item by item is shaped by its items' one shape, not its length, and its
    /// leaves go to `lists`.
    private static func shape(of value: TemplateValue, into shape: inout ShapeText, leaves: inout [Substring], lists: inout [RepeatedList]?,
                              from: Int = longListFrom) -> Bool {
        var met = 0
        return Self.shape(of: value, into: &shape, leaves: &leaves, lists: &lists, met: &met, from: from)
    }

    /// `shape(of: .fields(fields), …)`, without the fields being copied into a value first.
    private static func shape(ofFields fields: TemplateFields, into shape: inout ShapeText, leaves: inout [Substring], lists: inout [RepeatedList]?,
                              from: Int = longListFrom) -> Bool {
        var met = 0
        return Self.shape(ofFields: fields, into: &shape, leaves: &leaves, lists: &lists, met: &met, from: from)
    }

    private static func shape(ofFields fields: TemplateFields, into shape: inout ShapeText, leaves: inout [Substring], lists: inout [RepeatedList]?,
                              met: inout Int, from: Int) -> Bool {
        shape.append(UInt8(ascii: "("))
        // Through the arrays' buffers: each key and value is read where it is, not copied
        // out (and counted as a reference) as an array's subscript does; every value of
        // every page comes through here.
        let shaped = fields.keys.withUnsafeBufferPointer { keys in
            fields.values.withUnsafeBufferPointer { values in
                for k in values.indices {
                    shape.append(keys[k])
                    shape.append(UInt8(ascii: ":"))
                    guard Self.shape(of: values[k], into: &shape, leaves: &leaves, lists: &lists, met: &met, from: from) else { return false }
                }
                return true
            }
        }
        guard shaped else { return false }
        shape.append(UInt8(ascii: ")"))
        return true
    }

    /// `met` counts the lists of fields met (when `lists` are gathered), for `RepeatedList.met`.
    private static func shape(of value: TemplateValue, into shape: inout ShapeText, leaves: inout [Substring], lists: inout [RepeatedList]?,
                              met: inout Int, from: Int) -> Bool {
        switch value {
        case let .flag(flag):
            shape.append(UInt8(ascii: flag ? "t" : "f"))
        case let .text(text):
            shape.append(textKind(text, leaves: &leaves))
        case let .number(number):
            shape.append(UInt8(ascii: "s"))
            leaves.append(Substring(String(number)))
        case let .fields(fields):
            return Self.shape(ofFields: fields, into: &shape, leaves: &leaves, lists: &lists, met: &met, from: from)
        case let .list(list):
            if lists != nil {
                let number = met
                met += 1
                if case (let listShape, var repeated)? = repeated(list, from: from) {
                    shape.append(listShape)
                    repeated.met = number
                    lists!.append(repeated)
                    return true
                }
            }
            shape.append(UInt8(ascii: "["))
            shape.append(String(list.count))
            for item in list where !Self.shape(of: .fields(item), into: &shape, leaves: &leaves, lists: &lists, met: &met, from: from) { return false }
            shape.append(UInt8(ascii: "]"))
        case let .values(list):
            shape.append(UInt8(ascii: "["))
            shape.append(String(list.count))
            for k in list.indices where !Self.shape(of: list[k], into: &shape, leaves: &leaves, lists: &lists, met: &met, from: from) { return false }
            shape.append(UInt8(ascii: "]"))
        case .deferred, .other:
            return false
        }
        return true
    }

    /// How a text stands in a shape: "e" empty, "n" ending with a line break (an indented
    /// partial indents after one; its leaf is the text without it), "r" ending with a
    /// carriage return (which a line break after it joins into one character, after which
    /// nothing is indented; its leaf is the text without it), "s" any other; its leaf is
    /// added to `leaves`.
    private static func textKind(_ text: String, leaves: inout [Substring]) -> UInt8 {
        let kind = kind(of: text)
        if let leaf = leaf(of: text, kind: kind) { leaves.append(leaf) }
        return kind
    }

    /// The leaf a text of `kind` is written as: none for an empty one.
    private static func leaf(of text: String, kind: UInt8) -> Substring? {
        switch kind {
        // The last byte is a line break or carriage return, a character of its own: cut off
        // as bytes, its place needs no rounding to a character's.
        case UInt8(ascii: "n"), UInt8(ascii: "r"): return Substring(text.utf8.dropLast())
        case UInt8(ascii: "s"): return Substring(text)
        default: return nil
        }
    }

    /// A text's kind (`textKind`), read from its last bytes as characters
    /// (`endsWithLineBreak`): in place, as every value of every page and partial is read.
    private static func kind(of text: String) -> UInt8 {
        text.utf8.withContiguousStorageIfAvailable(kind(ofBytes:)) ?? Array(text.utf8).withUnsafeBufferPointer(kind(ofBytes:))
    }

    private static func kind(ofBytes bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        switch bytes.last {
        case nil: return UInt8(ascii: "e")
        case UInt8(ascii: "\r"): return UInt8(ascii: "r")
        case UInt8(ascii: "\n") where bytes.count == 1 || bytes[bytes.count - 2] != UInt8(ascii: "\r"): return UInt8(ascii: "n")
        default: return UInt8(ascii: "s")
        }
    }

    /// Probe numbers from here on stand for items of repeated lists: the `position`-th item
    /// of the `list`-th list is numbered from `firstProbe(list:position:)`.
    private static let itemProbeBase = 1_000_000
    /// Items a compile render gives a repeated list at most (`walk`).
    private static let positionsPerList = 32

    /// The probe number of the first leaf of the `position`-th item of the `list`-th list.
    private static func firstProbe(list: Int, position: Int) -> Int {
        itemProbeBase * (1 + positionsPerList * list + position)
    }

    /// A probe, and the line break or carriage return a text of `kind` ends with.
    private static func probe(_ number: Int, kind: UInt8 = UInt8(ascii: "s")) -> String {
        "\u{1}\(number)aB\"\u{2}" + (kind == UInt8(ascii: "n") ? "\n" : kind == UInt8(ascii: "r") ? "\r" : "")
    }

    /// Makes probe renders' contexts: each text or number replaced by its probe
    /// (`\u{1}<n>aB"\u{2}`, and the line break of a text that ends with one), numbered as
    /// `shape(of:)` lists them. With `plans`, each repeated list is given one item of each
    /// kind its plan names, each probed from its own base.
    private struct Prober {
        /// Per repeated list, the kinds of the items it is given; nil leaves lists as they are.
        var plans: [[Int]]?
        /// Per list of fields met, in the order met, an item of each kind when it repeats
        /// item by item (`RepeatedList.met`); none past its end.
        var repeating: [[TemplateFields]?] = []
        /// Per planned list, where its walks are counted (`ProbeList`).
        let walks: [ProbeList.Walks]
        private var next = 0, list = 0, met = 0

        init(plans: [[Int]]? = nil, repeating: [[TemplateFields]?] = []) {
            self.plans = plans
            self.repeating = repeating
            walks = (plans ?? []).map { _ in ProbeList.Walks() }
        }

        /// The probed context of a page or partial, whose value is always fields.
        mutating func probedRoot(_ value: TemplateValue) -> ProbeFields {
            probed(value) as? ProbeFields ?? ProbeFields()
        }

        mutating func probed(_ value: TemplateValue) -> Any {
            switch value {
            case let .flag(flag): return flag
            case let .text(text):
                defer { if !text.isEmpty { next += 1 } }
                return text.isEmpty ? text : ProbeText(text: probe(next, kind: TemplateShapes.kind(of: text)))
            case .number:
                defer { next += 1 }
                return ProbeText(text: probe(next))
            case let .fields(fields):
                var result = ProbeFields(capacity: fields.keys.count)
                for (key, item) in zip(fields.keys, fields.values) { result.append(key, probed(item)) }
                return result
            case let .list(items):
                if let plans {
                    defer { met += 1 }
                    if met < repeating.count, let samples = repeating[met] {
                        defer { list += 1 }
                        let items = plans[list].enumerated().map { position, kind -> Any in
                            var item = Prober()
                            item.next = firstProbe(list: list, position: position)
                            return item.probed(.fields(samples[kind]))
                        }
                        return ProbeList(items: items, walks: walks[list])
                    }
                }
                return items.map { probed(.fields($0)) }
            case let .values(items): return items.map { probed($0) }
            case .deferred, .other: return value.plain
            }
        }
    }

    /// A probe in a probe render's context: written as its text, and, inside a section over
    /// it, a context with no values of its own. As a `String` it was written the same, but
    /// swift-mustache found that out through four failed casts at each use, and looked up
    /// every name inside such a section (`{{#reviewer}} …{{strings.by}}…`) by reflecting on
    /// the string (`Mirror`).
    fileprivate struct ProbeText: MustacheCustomRenderable, MustacheParent {
        let text: String
        var renderText: String { text }
        var isNull: Bool { false }
        func child(named: String) -> Any? { nil }
    }

    /// A repeated list in a probe render, read by swift-mustache as the array of its items
    /// would be, which counts the walks over all of its items (a section over the list; an
    /// inverted section reads only its first item).
    fileprivate struct ProbeList: MustacheSequence, MustacheParent, CustomStringConvertible {
        final class Walks {
            var count = 0
        }
        struct Iterator: IteratorProtocol {
            let items: [Any]
            let walks: Walks
            var index = 0
            mutating func next() -> Any? {
                guard index < items.count else {
                    if index == items.count { walks.count += 1 }
                    index = items.count + 1
                    return nil
                }
                defer { index += 1 }
                return items[index]
            }
        }
        let items: [Any]
        let walks: Walks
        func makeIterator() -> Iterator { Iterator(items: items, walks: walks) }
        /// As an array is read: it has no named values, and writes as its items.
        func child(named: String) -> Any? { nil }
        var description: String { String(describing: items) }
    }

    /// A probe render's fields (and its strings): what a dictionary of them gave
    /// swift-mustache, at less cost. A name is found among a page's few keys by comparing,
    /// not hashing; the strings are `ProbeText`s, which swift-mustache writes after two
    /// casts, where a `String` took four. As in a dictionary filled in order, the last value
    /// under a key is the one found (the strings, added last, are always `strings`).
    fileprivate struct ProbeFields: MustacheParent {
        private var keys: [String] = []
        private var values: [Any] = []

        init(capacity: Int = 0) {
            keys.reserveCapacity(capacity)
            values.reserveCapacity(capacity)
        }

        mutating func append(_ key: String, _ value: Any) {
            keys.append(key)
            values.append(value)
        }

        func child(named name: String) -> Any? {
            keys.lastIndex(of: name).map { values[$0] }
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
        // By bytes: the probes' marks (0x01, 0x02) are ASCII, so never part of another
        // character's bytes, and the texts between them are cut at whole characters.
        var rendered = rendered
        return rendered.withUTF8 { bytes -> (texts: [String], probes: [Probe])? in
            let escapedEnd = Array("aB&quot;\u{2}".utf8), plainEnd = Array("aB\"\u{2}".utf8)
            func matches(_ end: [UInt8], at index: Int) -> Bool {
                index + end.count <= bytes.count && end.indices.allSatisfy { bytes[index + $0] == end[$0] }
            }
            var texts: [String] = [], probes: [Probe] = []
            var textStart = 0, i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte == 2 { return nil }
                guard byte == 1 else {
                    i += 1
                    continue
                }
                var j = i + 1
                var number = 0
                while j < bytes.count, j - i <= 18, bytes[j] &- UInt8(ascii: "0") < 10 {
                    number = number * 10 + Int(bytes[j] &- UInt8(ascii: "0"))
                    j += 1
                }
                let escaped: Bool
                if matches(plainEnd, at: j) {
                    escaped = false
                    j += plainEnd.count
                } else if matches(escapedEnd, at: j) {
                    escaped = true
                    j += escapedEnd.count
                } else {
                    return nil
                }
                if number < itemProbeBase {
                    guard number < leaves else { return nil }
                    probes.append(Probe(list: -1, position: 0, index: number, escaped: escaped))
                } else {
                    let slot = number / itemProbeBase - 1
                    probes.append(Probe(list: slot / positionsPerList, position: slot % positionsPerList, index: number % itemProbeBase, escaped: escaped))
                }
                texts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[textStart..<i]), as: UTF8.self))
                i = j
                textStart = j
            }
            texts.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[textStart...]), as: UTF8.self))
            return (texts, probes)
        }
    }

    /// The pieces of a shape: the template rendered with probes, split at them.
    private func compile(_ name: String, _ value: TemplateValue, leaves: Int) -> [Piece]? {
        var prober = Prober()
        guard let (texts, probes) = Self.split(mustache(probed: prober.probedRoot(value), name), leaves: leaves),
              probes.allSatisfy({ $0.list == -1 }) else { return nil }
        var pieces: [Piece] = []
        for (n, text) in texts.enumerated() {
            if !text.isEmpty { pieces.append(.text(text)) }
            if n < probes.count { pieces.append(.value(probes[n].index, escaped: probes[n].escaped)) }
        }
        return pieces
    }

    /// The probes `first` to `last` of a render and the texts between them, as pieces: the
    /// page's leaves as values, and the `position`-th item's of `list` as the item's. Nil
    /// for another item's probe.
    private static func pieces(_ render: (texts: [String], probes: [Probe]), from first: Int, to last: Int, list: Int, position: Int) -> [Piece]? {
        var pieces: [Piece] = []
        for n in first...last {
            if n > first, !render.texts[n].isEmpty { pieces.append(.text(render.texts[n])) }
            let probe = render.probes[n]
            if probe.list == -1 {
                pieces.append(.value(probe.index, escaped: probe.escaped))
            } else {
                guard probe.list == list, probe.position == position else { return nil }
                pieces.append(.item(probe.index, escaped: probe.escaped))
            }
        }
        return pieces
    }

    /// What stands between two items in a render: after the probes to `end`, before those
    /// from `start`; the page's leaves in it as values. Nil for an item's probe there.
    private static func separator(_ render: (texts: [String], probes: [Probe]), after end: Int, before start: Int) -> [Piece]? {
        var separator: [Piece] = []
        if !render.texts[end + 1].isEmpty { separator.append(.text(render.texts[end + 1])) }
        if end + 1 < start {
            guard let between = pieces(render, from: end + 1, to: start - 1, list: -2, position: -1) else { return nil }
            separator += between
            if !render.texts[start].isEmpty { separator.append(.text(render.texts[start])) }
        }
        return separator
    }

    /// The kinds of the items a compile render gives a repeated list of `kinds` kinds whose
    /// last item is of kind `last`: one of each kind after one of each kind (each pair of
    /// kinds side by side once, as in a de Bruijn sequence), starting with kind 0 and ending
    /// with `last`, as the page's list does. Three items of one kind.
    static func walk(kinds: Int, last: Int) -> [Int] {
        guard kinds > 1 else { return [0, 0, 0] }
        // The Lyndon words of length one and two in order, joined, make a cycle through every
        // pair; it ends where it starts, so 0 is added, and then `last`.
        var walk: [Int] = []
        for first in 0..<kinds {
            walk.append(first)
            for second in (first + 1)..<max(first + 1, kinds) { walk += [first, second] }
        }
        walk.append(0)
        if last != 0 { walk.append(last) }
        return walk
    }

    /// The pieces of a shape with repeated lists, from one render: each list is given items
    /// of its kinds in the order `walk` gives. Each section over a list shows what an item
    /// of each kind writes (the same wherever that kind stands) and what stands between two
    /// items of each pair of kinds: Mustache repeats a section alike for each item (a
    /// template that tells items apart by place, with `first()` or `index()`, uses
    /// transforms and is always rendered by swift-mustache). A section whose items write
    /// none of their own values would not be seen in the render, so every walk over all of
    /// a list's items must be one of the sections found (`ProbeList` counts them). The
    /// pieces must give the render back. Nil when the render is not made that way.
    private func compileRepeating(_ name: String, _ value: TemplateValue, leaves: Int, lists: [RepeatedList]) -> [Piece]? {
        guard leaves < Self.itemProbeBase, lists.count <= 64 else { return nil }
        let plans = lists.map { Self.walk(kinds: $0.samples.count, last: $0.kinds.last ?? 0) }
        guard plans.allSatisfy({ $0.count <= Self.positionsPerList }) else { return nil }
        // Each list of fields, by its number as met, with an item of each kind when it repeats:
        // taken from the shaping, not found by shaping the lists' items again.
        var repeating = [[TemplateFields]?](repeating: nil, count: (lists.map(\.met).max() ?? -1) + 1)
        for list in lists { repeating[list.met] = list.samples }
        var prober = Prober(plans: plans, repeating: repeating)
        let rendered = mustache(probed: prober.probedRoot(value), name)
        guard let render = Self.split(rendered, leaves: leaves) else { return nil }
        /// A section over a list in the render: the probes of each of its items, in order.
        typealias Section = [(from: Int, to: Int)]
        var repetitions: [(list: Int, span: Section, middles: [[Piece]], separators: [[[Piece]]])] = []
        for (list, plan) in plans.enumerated() {
            var sections: [Section] = []
            // Each item's probes come together, the items in order; other lists' and the
            // page's probes between them are passed over here (`pieces` refuses an item's).
            for (n, probe) in render.probes.enumerated() where probe.list == list {
                if var section = sections.last, section.count - 1 == probe.position {
                    section[probe.position].to = n
                    sections[sections.count - 1] = section
                } else if var section = sections.last, section.count == probe.position, section.count < plan.count {
                    section.append((n, n))
                    sections[sections.count - 1] = section
                } else if probe.position == 0, sections.last.map({ $0.count == plan.count }) ?? true {
                    sections.append([(n, n)])
                } else {
                    return nil
                }
            }
            guard sections.allSatisfy({ $0.count == plan.count }), prober.walks[list].count == sections.count else { return nil }
            let kinds = lists[list].samples.count
            for section in sections {
                var middles = [[Piece]?](repeating: nil, count: kinds)
                var separators = [[[Piece]?]](repeating: [[Piece]?](repeating: nil, count: kinds), count: kinds)
                for (position, kind) in plan.enumerated() {
                    guard let middle = Self.pieces(render, from: section[position].from, to: section[position].to, list: list, position: position),
                          middles[kind].map({ $0 == middle }) ?? true else { return nil }
                    middles[kind] = middle
                    guard position > 0 else { continue }
                    let previous = plan[position - 1]
                    guard let separator = Self.separator(render, after: section[position - 1].to, before: section[position].from),
                          separators[previous][kind].map({ $0 == separator }) ?? true else { return nil }
                    separators[previous][kind] = separator
                }
                // Every kind and pair was met (`walk`).
                repetitions.append((list, section, middles.map { $0! }, separators.map { $0.map { $0! } }))
            }
        }
        // The render with each section made a repetition of its list's items.
        repetitions.sort { $0.span[0].from < $1.span[0].from }
        var pieces: [Piece] = []
        var n = 0, next = 0
        while n <= render.probes.count {
            if !render.texts[n].isEmpty { pieces.append(.text(render.texts[n])) }
            guard n < render.probes.count else { break }
            if next < repetitions.count, repetitions[next].span[0].from == n {
                let repetition = repetitions[next]
                pieces.append(.each(list: repetition.list, middles: repetition.middles, separators: repetition.separators))
                n = repetition.span[repetition.span.count - 1].to + 1
                next += 1
                guard next == repetitions.count || repetitions[next].span[0].from >= n else { return nil }
                continue
            }
            guard render.probes[n].list == -1 else { return nil }
            pieces.append(.value(render.probes[n].index, escaped: render.probes[n].escaped))
            n += 1
        }
        // Held to the render it was read from, filled in with the same probes.
        let probeLists = lists.indices.map { list in
            // A kind's items all have as many leaves as its first, already shaped.
            let leafCounts = (0..<lists[list].samples.count).map { lists[list].items[lists[list].kinds.firstIndex(of: $0)!].count }
            return RepeatedList(items: plans[list].enumerated().map { position, kind in
                (0..<leafCounts[kind]).map { Substring(Self.probe(Self.firstProbe(list: list, position: position) + $0)) }
            }, kinds: plans[list], samples: lists[list].samples)
        }
        var assembled = ""
        Self.fill(pieces, leaves: (0..<leaves).map { Substring(Self.probe($0)) }, lists: probeLists, item: [], into: &assembled)
        return assembled == rendered ? pieces : nil
    }
}

/// A text of a long list's item that is made only when its item is written
/// (`TemplateShapes.streamed`): the print edition's chapter bodies, 60 MB at 10,000 chapters,
/// are never all held at once. How it ends must be known ahead: it is part of the page's shape.
struct DeferredText {
    /// How the text ends, as `TemplateShapes` tells texts apart: empty, ending with a line
    /// break (`Character("\n")`), with a carriage return, or any other way.
    enum Ending { case empty, lineBreak, carriageReturn, other }
    var ending: Ending

    /// A text that ends the same way, shaped and probed in its place.
    var standIn: String {
        switch ending {
        case .empty: return ""
        case .lineBreak: return "\n"
        case .carriageReturn: return "\r"
        case .other: return " "
        }
    }
}

extension TemplateShapes {
    /// Below this many list items, a page is rendered whole, not streamed: its texts are few
    /// enough to hold.
    static let fewestStreamedItems = 80

    /// A page ready to be written with its deferred texts made as it goes (`write`).
    struct StreamedPage: @unchecked Sendable {
        // Immutable once made; its samples' values are texts, numbers and flags.
        fileprivate let pieces: [Piece]
        fileprivate let leaves: [Substring]
        fileprivate let lists: [RepeatedList]
    }

    /// The page `name` makes from `context`, whose one long list's items each hold a
    /// `DeferredText`, compiled now, as a render of the context with those texts in place
    /// would compile it (a list long enough to pay for its compile at once); nil when that
    /// render would not (a shorter list, a template swift-mustache must render, a list that
    /// does not repeat item by item), and the caller renders the page whole.
    func streamed(_ name: String, _ context: TemplateFields) -> StreamedPage? {
        guard !rendersDirectly(name) else { return nil }
        var shape = ShapeText(name + "|")
        var leaves: [Substring] = []
        var lists: [RepeatedList]? = []
        guard Self.shape(of: .fields(context), into: &shape, leaves: &leaves, lists: &lists, from: repeatedFrom), let repeated = lists,
              repeated.filter({ $0.deferredItems > 0 }).count == 1,
              repeated.reduce(0, { $0 + $1.deferredItems }) == Self.deferredTexts(in: .fields(context)) else { return nil }
        // Asked for once each, in order: one repetition may write them.
        guard let pieces = pieces(name, .fields(context), shape: shape, leaves: leaves.count, lists: repeated),
              Self.repetitionsUsingDeferred(pieces, repeated) == 1 else { return nil }
        return StreamedPage(pieces: pieces, leaves: leaves, lists: repeated)
    }

    /// Writes `page` to `output`, asking `texts` for the deferred text of each item of its
    /// long list, once each, in order.
    static func write<Output: PageTextOutput>(_ page: StreamedPage, texts: (Int) -> String, into output: inout Output) {
        withoutActuallyEscaping(texts) { texts in
            fill(page.pieces, leaves: page.leaves, lists: page.lists, item: [], deferred: texts, into: &output)
        }
    }

    /// How many deferred texts `value` holds, wherever they are.
    private static func deferredTexts(in value: TemplateValue) -> Int {
        switch value {
        case .deferred: return 1
        case let .fields(fields): return fields.values.reduce(0) { $0 + deferredTexts(in: $1) }
        case let .list(list): return list.reduce(0) { $0 + deferredTexts(in: .fields($1)) }
        case let .values(list): return list.reduce(0) { $0 + deferredTexts(in: $1) }
        default: return 0
        }
    }
}

/// Where `TemplateShapes` fills a page's text in.
protocol PageTextOutput {
    mutating func append(text: String)
    mutating func append(leaf: Substring)
    /// The leaf as `{{…}}` writes it (`escapeAttribute`).
    mutating func append(escaping leaf: Substring)
}

extension PageTextOutput {
    mutating func append(escaping leaf: Substring) {
        var leaf = leaf
        let table = escapedBytes
        // Read as one buffer: most leaves need no escape.
        if leaf.withUTF8({ $0.contains { table[Int($0)] } }) {
            append(text: escapeAttribute(String(leaf)))
        } else {
            append(leaf: leaf)
        }
    }
}

/// Where `TemplateShapes` writes a page's text: one string, or a long page's pieces in order.
protocol PageText: PageTextOutput {
    /// Text swift-mustache rendered whole.
    init(whole: String)
    /// An empty text that will hold about `size()` bytes.
    init(size: () -> Int)
}

/// A page's text gathered into writes of 64 KB and handed to `sink` (a file, as it is made);
/// a long piece is handed on from its own storage.
struct PageTextWriter: PageTextOutput {
    private static let capacity = 65_536
    private var buffer: [UInt8] = []
    private let sink: (UnsafeBufferPointer<UInt8>) -> Bool
    /// False once `sink` failed; nothing more is handed to it.
    private(set) var succeeded = true

    init(sink: @escaping (UnsafeBufferPointer<UInt8>) -> Bool) {
        self.sink = sink
        buffer.reserveCapacity(Self.capacity)
    }

    mutating func append(text: String) {
        var text = text
        text.withUTF8 { add($0) }
    }

    mutating func append(leaf: Substring) {
        var leaf = leaf
        leaf.withUTF8 { add($0) }
    }

    private mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard succeeded else { return }
        if buffer.count + bytes.count > Self.capacity { flush() }
        if bytes.count >= Self.capacity {
            succeeded = succeeded && sink(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Hands on what is gathered; true when every write succeeded.
    @discardableResult
    mutating func flush() -> Bool {
        if succeeded, !buffer.isEmpty { succeeded = buffer.withUnsafeBufferPointer { sink($0) } }
        buffer.removeAll(keepingCapacity: true)
        return succeeded
    }
}

/// Text made as UTF-8 bytes: a chapter body is made of thousands of small pieces, and
/// adding bytes to a buffer is a copy, where adding to a `String` also checked and updated
/// the string's state at each piece. A build's pages are made so too, and written as bytes.
/// Its own buffer, not an array: adding a few bytes to an array went through the array's
/// generic checks and copy, a hundred instructions for each of a build's million pieces.
struct UTF8Text: PageText {
    /// Owns the bytes: the last copy of a text frees them, and a copy that is added to
    /// while another holds them (`isKnownUniquelyReferenced`) takes bytes of its own first.
    private final class Buffer {
        let start: UnsafeMutablePointer<UInt8>
        init(capacity: Int) { start = .allocate(capacity: capacity) }
        deinit { start.deallocate() }
    }
    private var buffer: Buffer
    private var capacity: Int
    /// The bytes held.
    private(set) var count = 0

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 16)
        buffer = Buffer(capacity: self.capacity)
    }
    init(_ text: String) {
        self.init(capacity: text.utf8.count)
        append(text: text)
    }
    init(whole: String) { self.init(whole) }
    /// Not measured first: a page grows by doubling from 16 KB, one or two copies, where
    /// measuring each page's pieces before filling them in cost more.
    init(size: () -> Int) { self.init(capacity: 16 << 10) }

    /// The bytes, as an array of their own.
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: buffer.start, count: count)) }

    /// The bytes as `Data` that holds them where they are (not copied: a page is written
    /// from them), kept until the data goes.
    var data: Data {
        let owner = buffer
        return Data(bytesNoCopy: owner.start, count: count, deallocator: .custom { _, _ in withExtendedLifetime(owner) {} })
    }

    /// The last byte, if any.
    var last: UInt8? { count > 0 ? buffer.start[count - 1] : nil }

    /// Calls `body` with the bytes.
    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        withExtendedLifetime(buffer) { body(UnsafeBufferPointer(start: buffer.start, count: count)) }
    }

    /// The byte at `index` (below `count`).
    subscript(index: Int) -> UInt8 {
        precondition(index >= 0 && index < count)
        return buffer.start[index]
    }

    /// Leaves out the last byte.
    mutating func removeLast() {
        precondition(count > 0)
        count -= 1
    }

    /// Room for `more` bytes after the text, in a buffer of its own.
    @inline(__always) private mutating func reserve(_ more: Int) {
        if count + more > capacity || !isKnownUniquelyReferenced(&buffer) { grow(to: count + more) }
    }

    private mutating func grow(to needed: Int) {
        let newCapacity = needed > capacity ? max(needed, capacity * 2) : capacity
        let new = Buffer(capacity: newCapacity)
        new.start.initialize(from: buffer.start, count: count)
        (buffer, capacity) = (new, newCapacity)
    }

    mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress, !bytes.isEmpty else { return }
        reserve(bytes.count)
        let to = buffer.start + count
        // Most pieces are a few bytes: copied here, not through a call to memcpy.
        if bytes.count <= 16 {
            for i in 0..<bytes.count { to[i] = from[i] }
        } else {
            to.initialize(from: from, count: bytes.count)
        }
        count += bytes.count
    }

    mutating func append(text: String) {
        var text = text
        text.withUTF8 { append(bytes: $0) }
    }

    mutating func append(leaf: Substring) {
        var leaf = leaf
        leaf.withUTF8 { append(bytes: $0) }
    }

    mutating func append(byte: UInt8) {
        reserve(1)
        buffer.start[count] = byte
        count += 1
    }

    mutating func append(html: HTMLText) { html.withBytes { append(bytes: $0) } }

    /// Escaped as it is added (`escapeHTML`); a leaf that needs no escape in one copy.
    mutating func append(escaping leaf: Substring) {
        // Read in place (a copy of the substring, to call `withUTF8` on, counted its string
        // again, and a page has hundreds of leaves).
        func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            let table = escapedBytes
            guard bytes.contains(where: { table[Int($0)] }) else { return append(bytes: bytes) }
            escapeHTML(bytes) { append(bytes: $0) }
        }
        if leaf.utf8.withContiguousStorageIfAvailable(add) == nil {
            var leaf = leaf
            leaf.withUTF8(add)
        }
    }

    /// The text (whole characters: only whole texts and leaves are ever added).
    var string: String { String(decoding: UnsafeBufferPointer(start: buffer.start, count: count), as: UTF8.self) }
}

extension String: PageText {
    init(whole: String) { self = whole }
    init(size: () -> Int) {
        self.init()
        reserveCapacity(size())
    }
    mutating func append(text: String) { append(contentsOf: text) }
    // The overload for substrings: `+=` takes the generic one for any sequence of characters.
    mutating func append(leaf: Substring) { append(contentsOf: leaf) }
}

/// A page's text as the pieces it is filled in from, which share the template's texts and
/// the context's values: the print edition of 10,000 chapters is 60 MB of chapters it holds
/// anyway, which one string would copy whole, at the build's busiest moment.
struct PageTextPieces: PageText {
    var pieces: [Substring] = []
    init(whole: String) { pieces = [Substring(whole)] }
    init(size: () -> Int) {}
    mutating func append(text: String) { pieces.append(Substring(text)) }
    mutating func append(leaf: Substring) { pieces.append(leaf) }
}

/// A shape as `TemplateShapes` writes it: bytes, appended without a string's bookkeeping at
/// each key (a thousand pages' shapes, hundreds of keys each, were a tenth of a build's main
/// process), and looked up as they are: made into a string, each was validated as UTF-8 and
/// hashed byte by byte.
private struct ShapeText: Hashable {
    private var bytes: [UInt8] = []

    /// Hashed eight bytes at a time (a page's shape is a kilobyte or two, looked up twice a
    /// page; SipHash over each byte was most of a lookup), then mixed once by `Hasher`.
    /// Equal shapes are still told apart by all their bytes.
    func hash(into hasher: inout Hasher) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + 8 <= raw.count {
                state = (state ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x100_0000_01B3
                state ^= state >> 29
                offset += 8
            }
            while offset < raw.count {
                state = (state ^ UInt64(raw[offset])) &* 0x100_0000_01B3
                offset += 1
            }
        }
        hasher.combine(state)
    }

    /// Compared with one `memcmp`, not byte by byte as arrays compare their elements.
    static func == (a: ShapeText, b: ShapeText) -> Bool {
        a.bytes.count == b.bytes.count && a.bytes.withUnsafeBytes { x in
            b.bytes.withUnsafeBytes { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
    }

    init() {}
    init(_ text: String) { bytes = Array(text.utf8) }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }
    /// A key's bytes from the string's own storage (appended as a sequence, the string was
    /// counted again for each key of each page).
    mutating func append(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil { bytes.append(contentsOf: text.utf8) }
    }
    /// Empty, its room kept for the next shape.
    mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }
    mutating func append(_ other: ShapeText) { bytes.append(contentsOf: other.bytes) }

}
