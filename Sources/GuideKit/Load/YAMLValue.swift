import Yams

/// A YAML value as guide reads it: a text, a list or a mapping, with the line and column
/// (1-based, in its YAML text) it starts at. Made from libyaml's events by `YAMLComposer`,
/// or from the nodes Yams composes of a text the composer leaves to it.
struct YAMLValue: Sendable, Equatable {
    /// A single value: its text, and whether it is written plain (not quoted, not a `|` or
    /// `>` block), which alone lets `~`, `null` or nothing mean "empty".
    struct Scalar: Sendable, Equatable {
        var string: String
        var isPlain: Bool
    }

    /// One `key: value` of a mapping.
    struct Pair: Sendable, Equatable {
        var key: YAMLValue
        var value: YAMLValue
    }

    enum Content: Sendable, Equatable {
        case scalar(Scalar)
        case sequence([YAMLValue])
        /// In file order.
        case mapping([Pair])
    }

    var content: Content
    var line: Int
    var column: Int

    var scalar: Scalar? {
        if case let .scalar(scalar) = content { return scalar }
        return nil
    }

    var sequence: [YAMLValue]? {
        if case let .sequence(items) = content { return items }
        return nil
    }

    var mapping: [Pair]? {
        if case let .mapping(pairs) = content { return pairs }
        return nil
    }

    /// An empty value (`key:` with nothing after it, `~` or `null`).
    var isNull: Bool {
        guard let scalar, scalar.isPlain else { return false }
        switch scalar.string {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// A short name for the kind of value, for messages.
    var kindName: String {
        switch content {
        case .scalar: return "a single value"
        case .mapping: return "a mapping (key: value lines)"
        case .sequence: return "a list"
        }
    }
}

extension YAMLValue {
    /// The value of a node Yams composed. Yams resolves an alias to the node it names, and
    /// guide refuses aliases before Yams reads a text; one met here is refused all the same.
    init(_ node: Node) throws(YAMLDocument.Problem) {
        let (line, column) = (node.mark?.line ?? 1, node.mark?.column ?? 1)
        switch node {
        case let .scalar(scalar):
            content = .scalar(Scalar(string: scalar.string, isPlain: scalar.style == .plain))
        case let .sequence(sequence):
            var items: [YAMLValue] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try YAMLValue(item)) }
            content = .sequence(items)
        case let .mapping(mapping):
            var pairs: [Pair] = []
            pairs.reserveCapacity(mapping.count)
            for (key, value) in mapping { pairs.append(Pair(key: try YAMLValue(key), value: try YAMLValue(value))) }
            content = .mapping(pairs)
        case .alias:
            throw YAMLDocument.Problem(line: line, column: column, message: "an alias is a YAML shortcut that guide does not accept",
                                       suggestion: "write the value out in full")
        }
        (self.line, self.column) = (line, column)
    }
}
