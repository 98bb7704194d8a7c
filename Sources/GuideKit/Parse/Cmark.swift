import CCmarkGFM
import Foundation

/// cmark-gfm, seen from Swift: the only file that calls its C functions. The parser and
/// the transforms work on `MarkdownTree` and `MarkdownNode`, which never leave the parse
/// stage: a tree is made and freed inside one `MarkdownParser.parse` call.
final class MarkdownTree {
    /// The GFM extensions the contract names.
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    /// cmark-gfm 0.29 adds the extensions' special characters (`~`, `|`, `w` …) to one table
    /// for the whole process while it parses inlines, and takes them out again when done: two
    /// threads finishing at once drop each other's strikethrough, tables and autolinks. So
    /// that step runs one at a time in a process; workers parse one chapter each anyway.
    private static let inlineLock = NSLock()

    /// Registration is not thread-safe, so it runs once, lazily, through a `static let`.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    fileprivate let parser: OpaquePointer
    fileprivate var document: OpaquePointer?

    /// Parses UTF-8 Markdown with the contract's extensions; with `sourcePositions`, nodes
    /// know their lines and columns. Nil only if cmark-gfm cannot allocate.
    init?(parsing bytes: UnsafeBufferPointer<UInt8>, sourcePositions: Bool = true) {
        precondition(Self.registered)
        guard let parser = cmark_parser_new(sourcePositions ? CMARK_OPT_SOURCEPOS : CMARK_OPT_DEFAULT) else { return nil }
        self.parser = parser
        for name in Self.extensionNames {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        if let base = bytes.baseAddress {
            base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { cmark_parser_feed(parser, $0, bytes.count) }
        }
        guard let document = Self.inlineLock.withLock({ cmark_parser_finish(parser) }) else { return nil }
        self.document = document
    }

    deinit {
        if let document { cmark_node_free(document) }
        cmark_parser_free(parser)
    }

    /// The document node; only valid until `renderHTML`.
    var root: MarkdownNode { MarkdownNode(document!) }

    /// Renders the tree as HTML and frees it at once, so that a large chapter's tree and its
    /// page are not held together. With `unsafe`, HTML nodes are written as they are: the
    /// parser removes every one an author wrote first, so only its own marks pass.
    func renderHTML<Result>(unsafe: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result? {
        guard let document else { return nil }
        return renderHTML(of: [MarkdownNode(document)], unsafe: unsafe, body)?.first
    }
}

extension MarkdownTree {
    /// Renders each of `nodes` (of this tree) as HTML on its own, as it is written within the
    /// whole tree's HTML, then frees the tree before `body` reads the HTML, as `renderHTML`
    /// does: a check needs only its chapters' urgency boxes, a few lines of each chapter.
    func renderHTML<Result>(of nodes: [MarkdownNode], unsafe: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> [Result]? {
        guard let document else { return nil }
        let rendered = nodes.map { cmark_render_html($0.pointer, unsafe ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser)) }
        cmark_node_free(document)
        self.document = nil
        defer { rendered.forEach { free($0) } }
        guard !rendered.contains(nil) else { return nil }
        return rendered.map { html in
            body(UnsafeBufferPointer(start: UnsafeRawPointer(html!).assumingMemoryBound(to: UInt8.self), count: strlen(html!)))
        }
    }
}

/// A node of a `MarkdownTree`, valid while the tree is.
struct MarkdownNode: Hashable {
    /// The node kinds the guide looks at; everything else is `.other` (see `typeName`).
    enum Kind: Int, Equatable {
        case document, blockQuote, list, item, codeBlock, htmlBlock, customBlock, paragraph, heading
        case text, softBreak, lineBreak, code, htmlInline, emphasis, strong, link, image, other
    }

    /// A few kinds, as one bit each: asked of every node a transform walks, where a
    /// `Set<Kind>` was built and hashed at each ask.
    struct Kinds: ExpressibleByArrayLiteral {
        private var bits: UInt32
        init(arrayLiteral kinds: Kind...) { bits = kinds.reduce(0) { $0 | 1 << UInt32($1.rawValue) } }
        func contains(_ kind: Kind) -> Bool { bits & 1 << UInt32(kind.rawValue) != 0 }
    }

    fileprivate let pointer: OpaquePointer
    fileprivate init(_ pointer: OpaquePointer) { self.pointer = pointer }

    var kind: Kind {
        switch cmark_node_get_type(pointer) {
        case CMARK_NODE_DOCUMENT: return .document
        case CMARK_NODE_BLOCK_QUOTE: return .blockQuote
        case CMARK_NODE_LIST: return .list
        case CMARK_NODE_ITEM: return .item
        case CMARK_NODE_CODE_BLOCK: return .codeBlock
        case CMARK_NODE_HTML_BLOCK: return .htmlBlock
        case CMARK_NODE_CUSTOM_BLOCK: return .customBlock
        case CMARK_NODE_PARAGRAPH: return .paragraph
        case CMARK_NODE_HEADING: return .heading
        case CMARK_NODE_TEXT: return .text
        case CMARK_NODE_SOFTBREAK: return .softBreak
        case CMARK_NODE_LINEBREAK: return .lineBreak
        case CMARK_NODE_CODE: return .code
        case CMARK_NODE_HTML_INLINE: return .htmlInline
        case CMARK_NODE_EMPH: return .emphasis
        case CMARK_NODE_STRONG: return .strong
        case CMARK_NODE_LINK: return .link
        case CMARK_NODE_IMAGE: return .image
        default: return .other
        }
    }

    /// cmark-gfm's name for the node's type (`table_row`, `paragraph` …).
    var typeName: String { cmark_node_get_type_string(pointer).map { String(cString: $0) } ?? "" }
    /// An inline node (text, emphasis, link …), as opposed to a block.
    var isInline: Bool { cmark_node_get_type(pointer).rawValue & UInt32(CMARK_NODE_TYPE_INLINE) == UInt32(CMARK_NODE_TYPE_INLINE) }

    var parent: MarkdownNode? { cmark_node_parent(pointer).map(MarkdownNode.init) }
    var firstChild: MarkdownNode? { cmark_node_first_child(pointer).map(MarkdownNode.init) }
    var next: MarkdownNode? { cmark_node_next(pointer).map(MarkdownNode.init) }

    /// The node's children, collected before any is changed.
    var children: [MarkdownNode] {
        var result: [MarkdownNode] = []
        var child = firstChild
        while let c = child {
            result.append(c)
            child = c.next
        }
        return result
    }

    /// Whether an ancestor has one of `kinds`.
    func hasAncestor(_ kinds: Kinds) -> Bool {
        var current = parent
        while let n = current {
            if kinds.contains(n.kind) { return true }
            current = n.parent
        }
        return false
    }

    // MARK: Values

    var literal: String { cmark_node_get_literal(pointer).map { String(cString: $0) } ?? "" }
    /// The literal's bytes, without a copy; empty for a node that has none.
    func withLiteralBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        guard let literal = cmark_node_get_literal(pointer) else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return body(UnsafeBufferPointer(start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self), count: strlen(literal)))
    }
    func setLiteral(_ text: String) { cmark_node_set_literal(pointer, text) }

    /// The same from UTF-8 bytes, copied with a NUL after them for cmark, made into no
    /// String (glossary marking cuts a text node in three at each use).
    func setLiteral(bytes: ArraySlice<UInt8>) {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            bytes.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { _ = buffer.initialize(fromContentsOf: $0) }
            }
            buffer[bytes.count] = 0
            cmark_node_set_literal(pointer, buffer.baseAddress)
        }
    }
    var url: String? { cmark_node_get_url(pointer).map { String(cString: $0) } }
    var title: String? { cmark_node_get_title(pointer).map { String(cString: $0) } }
    var headingLevel: Int { Int(cmark_node_get_heading_level(pointer)) }

    /// Where the node starts and ends in the source: 0 when cmark-gfm does not say.
    var startLine: Int { Int(cmark_node_get_start_line(pointer)) }
    var startColumn: Int { Int(cmark_node_get_start_column(pointer)) }
    var endLine: Int { Int(cmark_node_get_end_line(pointer)) }

    /// A GFM task-list item (`- [ ] …`), and whether it is ticked.
    var isTaskItem: Bool {
        guard let tasklist = cmark_find_syntax_extension("tasklist") else { return false }
        return kind == .item && cmark_node_get_syntax_extension(pointer) == tasklist
    }
    var isTaskChecked: Bool { cmark_gfm_extensions_get_tasklist_item_checked(pointer) }
    /// Makes a task item an ordinary item, whose checkbox the guide writes itself.
    func dropTaskMarker() { cmark_node_set_syntax_extension(pointer, nil) }

    // MARK: Changes

    @discardableResult func insertBefore(_ node: MarkdownNode) -> Bool { cmark_node_insert_before(pointer, node.pointer) == 1 }
    @discardableResult func insertAfter(_ node: MarkdownNode) -> Bool { cmark_node_insert_after(pointer, node.pointer) == 1 }
    @discardableResult func append(_ node: MarkdownNode) -> Bool { cmark_node_append_child(pointer, node.pointer) == 1 }
    func unlink() { cmark_node_unlink(pointer) }
    /// Takes the node (and what is under it) out of the tree and frees it.
    func remove() {
        cmark_node_unlink(pointer)
        cmark_node_free(pointer)
    }
    /// Frees a node that is in no tree.
    func free() { cmark_node_free(pointer) }

    /// Moves every child of this node to the end of `box`.
    func moveChildren(into box: MarkdownNode) {
        while let inner = firstChild {
            inner.unlink()
            box.append(inner)
        }
    }

    // MARK: New nodes

    static func text(_ text: String) -> MarkdownNode {
        let node = MarkdownNode(cmark_node_new(CMARK_NODE_TEXT)!)
        node.setLiteral(text)
        return node
    }

    /// A text node of UTF-8 bytes.
    static func text(bytes: ArraySlice<UInt8>) -> MarkdownNode {
        let node = MarkdownNode(cmark_node_new(CMARK_NODE_TEXT)!)
        node.setLiteral(bytes: bytes)
        return node
    }

    static func lineBreak() -> MarkdownNode { MarkdownNode(cmark_node_new(CMARK_NODE_LINEBREAK)!) }

    /// An inline node written as it is (NUL-terminated bytes).
    static func htmlInline(_ bytes: [CChar]) -> MarkdownNode {
        let node = MarkdownNode(cmark_node_new(CMARK_NODE_HTML_INLINE)!)
        cmark_node_set_literal(node.pointer, bytes)
        return node
    }

    /// A block whose opening and closing are written as they are (NUL-terminated bytes).
    static func customBlock(enter: [CChar], exit: [CChar]) -> MarkdownNode {
        let node = MarkdownNode(cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!)
        cmark_node_set_on_enter(node.pointer, enter)
        cmark_node_set_on_exit(node.pointer, exit)
        return node
    }

    // MARK: Walking

    /// This node and everything under it, in document order, collected before any is changed.
    func descendants(_ kinds: Kinds? = nil) -> [MarkdownNode] {
        var result: [MarkdownNode] = []
        forEach { node in
            if kinds?.contains(node.kind) ?? true { result.append(node) }
        }
        return result
    }

    /// Calls `body` on this node and everything under it, in document order.
    func forEach(_ body: (MarkdownNode) -> Void) {
        guard let iterator = cmark_iter_new(pointer) else { return }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            if event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) { body(MarkdownNode(node)) }
        }
    }
}
