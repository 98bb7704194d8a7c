import CYaml

/// Refuses YAML anchors (`&a`), aliases (`*a`) and merge keys (`<<`) from libyaml's own
/// event stream (the parser Yams is built on), before Yams composes the text: an alias can
/// make a few hundred bytes expand into an exponential tree, and no guide needs one.
enum YAMLEvents {
    /// The first anchor, alias or merge key, with its 1-based line and column; nil when
    /// there is none, or when the text is malformed (Yams then reports that).
    static func firstReference(in text: String) -> (line: Int, column: Int, what: String)? {
        // Each starts with `&`, `*` or `<<`: text with none of them (nearly all front matter)
        // needs no second pass of libyaml. Looked for with memchr, many bytes at a time.
        var contiguous = text
        let mayRefer = contiguous.withUTF8 { bytes in
            indexOf(UInt8(ascii: "&"), in: bytes) != nil || indexOf(UInt8(ascii: "*"), in: bytes) != nil
                || indexOfPair(UInt8(ascii: "<"), UInt8(ascii: "<"), in: bytes) != nil
        }
        guard mayRefer else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> (Int, Int, String)? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            // For each open container: nil for a sequence, else whether the next node is a key.
            var containers: [Bool?] = []
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                let place = (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                    pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
                }
                let isNode = [YAML_SCALAR_EVENT, YAML_ALIAS_EVENT, YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT].contains(event.type)
                var isKey = false
                if isNode, let last = containers.last, let expectingKey = last {
                    isKey = expectingKey
                    containers[containers.count - 1] = !expectingKey
                }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_ALIAS_EVENT:
                    return (place.0, place.1, "the alias '*\(name(event.data.alias.anchor) ?? "")'")
                case YAML_SCALAR_EVENT:
                    if let anchor = name(event.data.scalar.anchor) { return (place.0, place.1, "the anchor '&\(anchor)'") }
                    if isKey, event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE, name(event.data.scalar.value) == "<<" {
                        return (place.0, place.1, "the merge key '<<'")
                    }
                case YAML_SEQUENCE_START_EVENT:
                    if let anchor = name(event.data.sequence_start.anchor) { return (place.0, place.1, "the anchor '&\(anchor)'") }
                    containers.append(nil)
                case YAML_MAPPING_START_EVENT:
                    if let anchor = name(event.data.mapping_start.anchor) { return (place.0, place.1, "the anchor '&\(anchor)'") }
                    containers.append(true)
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    _ = containers.popLast()
                default:
                    break
                }
            }
        }
    }
}
