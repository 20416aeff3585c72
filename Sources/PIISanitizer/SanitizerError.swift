/// Everything the library can refuse, with what the user needs to fix it and never a PII value.
public enum SanitizerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A pattern file could not be read at all.
    case unreadablePatternFile(file: String, reason: String)
    /// A pattern file is not valid JSON; `line` and `column` are 1-based.
    case patternFileSyntax(file: String, line: Int, column: Int, expected: String)
    /// A pattern file is valid JSON but breaks the schema. `pointer` is an RFC 6901 JSON Pointer.
    case invalidPatternFile(file: String, pointer: String, patternID: String?, reason: String)
    /// The hash operator was chosen but no key was supplied.
    case missingHashKey(reason: String)
    /// Input that should be JSON is not; `line` and `column` (in characters) are 1-based.
    case invalidJSON(line: Int, column: Int, expected: String)
    /// JSON nested deeper than the configured limit.
    case jsonTooDeep(line: Int, column: Int, limit: Int)
    /// An option names a label or pattern id that the pattern set does not have.
    case unknownSelection(kind: String, names: [String])

    public var description: String {
        switch self {
        case let .unreadablePatternFile(file, reason):
            return "\(file): cannot read pattern file: \(reason)"
        case let .patternFileSyntax(file, line, column, expected):
            return "\(file):\(line):\(column): invalid JSON: expected \(expected)"
        case let .invalidPatternFile(file, pointer, patternID, reason):
            let id = patternID.map { " (pattern '\($0)')" } ?? ""
            return "\(file): at \(pointer.isEmpty ? "/" : pointer)\(id): \(reason)"
        case let .missingHashKey(reason):
            return "hash operator needs a key: \(reason)"
        case let .invalidJSON(line, column, expected):
            return "invalid JSON at line \(line), column \(column): expected \(expected)"
        case let .jsonTooDeep(line, column, limit):
            return "JSON nested deeper than \(limit) levels at line \(line), column \(column)"
        case let .unknownSelection(kind, names):
            return "unknown \(kind): \(names.joined(separator: ", "))"
        }
    }
}
