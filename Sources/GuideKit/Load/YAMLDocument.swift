import Yams

/// A YAML text composed into Yams nodes, with problems mapped to lines of the file it came from.
struct YAMLDocument {
    /// A YAML problem at a line and column of the YAML text (1-based).
    struct Problem: Error {
        var line: Int
        var column: Int
        var message: String
    }

    /// Composes `text`. Anchors and aliases are refused first: authors never need them, and
    /// aliases can make composing a small file take exponential time.
    static func compose(_ text: String) throws(Problem) -> Node? {
        if let (line, column) = firstAnchorOrAlias(in: text) {
            throw Problem(line: line, column: column,
                          message: "YAML anchors and aliases ('&' or '*' at the start of a value) are not supported; put the text in quotes")
        }
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw problem(from: error)
        } catch {
            throw Problem(line: 1, column: 1, message: "\(error)")
        }
    }

    static func problem(from error: YamlError) -> Problem {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return Problem(line: mark.line, column: mark.column, message: "malformed YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return Problem(line: context.mark.line, column: context.mark.column,
                           message: "the key '\(duplicates.joined(separator: "', '"))' appears more than once")
        case let .reader(problem, _, _, _):
            return Problem(line: 1, column: 1, message: "unreadable YAML: \(problem)")
        default:
            return Problem(line: 1, column: 1, message: "malformed YAML")
        }
    }

    /// Where the first anchor (`&a`) or alias (`*a`) starts a node, if anywhere; a small
    /// scanner that knows where YAML nodes can start, so `a *b*` inside a value is fine.
    static func firstAnchorOrAlias(in text: String) -> (Int, Int)? {
        var flowDepth = 0
        var blockScalarIndent: Int? = nil
        for (lineIndex, line) in SourceFile.splitLines(text).enumerated() {
            let chars = Array(line)
            let indent = chars.prefix { $0 == " " }.count
            if let block = blockScalarIndent {
                if indent == chars.count || indent > block { continue }
                blockScalarIndent = nil
            }
            var expectingNode = true
            var i = indent
            while i < chars.count {
                let c = chars[i]
                let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
                let atWordStart = i == 0 || chars[i - 1] == " " || chars[i - 1] == "\t"
                if c == "#" && atWordStart { break }
                if expectingNode {
                    switch c {
                    case " ", "\t":
                        break
                    case "&", "*":
                        return (lineIndex + 1, i + 1)
                    case "-", "?" where next == nil || next == " ":
                        break
                    case "[", "{":
                        flowDepth += 1
                    case "|", ">":
                        blockScalarIndent = indent
                        i = chars.count
                        continue
                    case "\"", "'":
                        var j = i + 1
                        while j < chars.count, chars[j] != c { j += chars[j] == "\\" && c == "\"" ? 2 : 1 }
                        i = j
                        expectingNode = false
                    case "]", "}":
                        flowDepth = max(0, flowDepth - 1)
                        expectingNode = false
                    case "!":
                        // A tag; the node itself follows it.
                        while i + 1 < chars.count, chars[i + 1] != " " { i += 1 }
                    default:
                        expectingNode = false
                    }
                } else {
                    if c == ":" && (next == nil || next == " ") {
                        expectingNode = true
                    } else if flowDepth > 0 {
                        if c == "," { expectingNode = true }
                        if c == "]" || c == "}" { flowDepth = max(0, flowDepth - 1) }
                    }
                }
                i += 1
            }
        }
        return nil
    }
}

extension Node {
    /// The 1-based line of this node in its YAML text.
    var line: Int { mark?.line ?? 1 }
    var column: Int { mark?.column ?? 1 }

    /// A short name for the kind of value, for messages.
    var kindName: String {
        switch self {
        case .scalar: return "a single value"
        case .mapping: return "a mapping (key: value lines)"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
