/// A place in a source file: the file's display path and a 1-based line and column.
///
/// Columns count characters (Swift `Character`s, so an emoji or an accented letter is one
/// column, and so is a tab), never bytes. A line of 0 means "the file as a whole".
public struct SourceLocation: Hashable, Sendable, Codable, Comparable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// A position inside one file, before the file's display path is known.
public struct SourcePosition: Hashable, Sendable, Codable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}
