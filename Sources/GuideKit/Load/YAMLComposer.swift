import CYaml

/// Composes a YAML text into `YAMLValue`s straight from libyaml's events (the parser Yams
/// is built on), for the texts guide reads most: plain mappings, lists and values. Yams'
/// composer makes an object of each event, a tag and a duplicate-key table of hashed nodes
/// for each mapping, and its nodes were read again into guide's values: most of the time of
/// reading a chapter's few lines of front matter, and half of loading a guide's content.
///
/// Anything else is left to Yams, which composes it or says what is wrong as it always
/// has: a text libyaml cannot parse, an explicit tag, an anchor or alias, a key that is a
/// list or mapping, a key written twice, more than one document.
enum YAMLComposer {
    /// What became of a text.
    enum Outcome: Equatable {
        /// Its root value; nil for a text with no document (empty, or only comments).
        case composed(YAMLValue?)
        /// Yams must compose it (or report its problem).
        case leftToYams
    }

    static func compose(_ text: String) -> Outcome {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return .leftToYams }
        defer { yaml_parser_delete(&parser) }
        var text = text
        return withUnsafeMutablePointer(to: &parser) { parser in
            text.withUTF8 { bytes -> Outcome in
                yaml_parser_set_input_string(parser, bytes.baseAddress, bytes.count)
                yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
                var events = Events(parser: parser)
                defer { events.release() }
                guard events.next() == YAML_STREAM_START_EVENT else { return .leftToYams }
                switch events.next() {
                case YAML_STREAM_END_EVENT:
                    return .composed(nil)
                case YAML_DOCUMENT_START_EVENT:
                    guard let root = events.node(), events.next() == YAML_DOCUMENT_END_EVENT,
                          events.next() == YAML_STREAM_END_EVENT else { return .leftToYams }
                    return .composed(root)
                default:
                    return .leftToYams
                }
            }
        }
    }

    /// libyaml's events, read one at a time, and the values made of them.
    private struct Events {
        let parser: UnsafeMutablePointer<yaml_parser_t>
        /// The event read last; deleted (its strings freed) when the next is read.
        var event = yaml_event_t()
        private var holdsEvent = false

        init(parser: UnsafeMutablePointer<yaml_parser_t>) {
            self.parser = parser
        }

        /// Reads the next event; its type, or nil where libyaml found a problem.
        mutating func next() -> yaml_event_type_t? {
            if holdsEvent { yaml_event_delete(&event) }
            holdsEvent = yaml_parser_parse(parser, &event) == 1
            return holdsEvent ? event.type : nil
        }

        /// Frees the event read last.
        mutating func release() {
            if holdsEvent { yaml_event_delete(&event) }
            holdsEvent = false
        }

        /// The value that starts with the next event (read past its end); nil where Yams
        /// must compose the text.
        mutating func node() -> YAMLValue? {
            guard let type = next() else { return nil }
            return node(startingWith: type)
        }

        private mutating func node(startingWith type: yaml_event_type_t) -> YAMLValue? {
            let (line, column) = (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
            switch type {
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                guard scalar.anchor == nil, scalar.tag == nil else { return nil }
                let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                return YAMLValue(content: .scalar(.init(string: text, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE)), line: line, column: column)
            case YAML_SEQUENCE_START_EVENT:
                guard event.data.sequence_start.anchor == nil, event.data.sequence_start.implicit != 0 else { return nil }
                var items: [YAMLValue] = []
                while true {
                    guard let type = next() else { return nil }
                    if type == YAML_SEQUENCE_END_EVENT { break }
                    guard let item = node(startingWith: type) else { return nil }
                    items.append(item)
                }
                return YAMLValue(content: .sequence(items), line: line, column: column)
            case YAML_MAPPING_START_EVENT:
                guard event.data.mapping_start.anchor == nil, event.data.mapping_start.implicit != 0 else { return nil }
                var pairs: [YAMLValue.Pair] = []
                // The keys so far: a front matter's few are compared in a list (hashing each
                // cost more than reading it); a long mapping's go into a set as well.
                var keyList: [String] = []
                var keys: Set<String> = []
                while true {
                    guard let type = next() else { return nil }
                    if type == YAML_MAPPING_END_EVENT { break }
                    // A key written twice is Yams' to report, as is a key that is not a value.
                    guard let key = node(startingWith: type), let keyText = key.scalar?.string else { return nil }
                    if keyList.count < 16 {
                        guard !keyList.contains(keyText) else { return nil }
                        keyList.append(keyText)
                        if keyList.count == 16 { keys = Set(keyList) }
                    } else {
                        guard keys.insert(keyText).inserted else { return nil }
                    }
                    guard let value = node() else { return nil }
                    pairs.append(YAMLValue.Pair(key: key, value: value))
                }
                return YAMLValue(content: .mapping(pairs), line: line, column: column)
            default:
                // An alias, or an event that cannot start a node.
                return nil
            }
        }
    }
}
