import Dispatch

/// A chapter with its front matter and parsed Markdown.
public struct Chapter: Sendable {
    public var file: SourceFile
    public var frontMatter: FrontMatter
    public var markdown: ParsedMarkdown

    public var id: ChapterID { frontMatter.id! }
    public var title: String { frontMatter.title! }
}

/// The parse stage: every chapter's Markdown, on all cores.
public enum ChapterParser {
    public static func parse(_ sources: [ChapterSource], glossary: Glossary = Glossary()) -> [Chapter] {
        let matcher = GlossaryMatcher(terms: glossary.terms)
        return parallelMap(sources) { source in
            let body = FrontMatter.body(of: source.file, startingAt: source.frontMatter.bodyStartLine)
            return Chapter(file: source.file, frontMatter: source.frontMatter,
                           markdown: MarkdownParser.parse(body, glossary: matcher))
        }
    }
}

/// `map` on every core, keeping the order of the input.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) -> R) -> [R] {
    var values = [R?](repeating: nil, count: items.count)
    values.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let slots = buffer
        // Each iteration writes only its own slot, so no lock is needed.
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            slots[index] = transform(items[index])
        }
    }
    return values.map { $0! }
}

/// Runs two pieces of work at the same time and returns both results; each may itself use
/// `parallelMap`, so the serial parts of one overlap the other.
func concurrently<A: Sendable, B: Sendable>(_ first: @escaping @Sendable () -> A, _ second: @escaping @Sendable () -> B) -> (A, B) {
    let box = ResultBox<A>()
    let group = DispatchGroup()
    DispatchQueue.global().async(group: group) { box.value = first() }
    let b = second()
    group.wait()
    return (box.value!, b)
}

/// Holds a result written by one thread and read by another after a `DispatchGroup` wait.
private final class ResultBox<Value>: @unchecked Sendable {
    var value: Value?
}
