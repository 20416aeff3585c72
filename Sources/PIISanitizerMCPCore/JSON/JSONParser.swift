/// A validating JSON parser over bytes that expands only the top `expandDepth` levels.
///
/// Values deeper than that are checked against the grammar and kept as byte ranges
/// (`JSONNode.Kind.unexpanded`, or a `.string`/`.number` range), never built into a tree.
/// Nesting deeper than `maxDepth` is an error, so recursion is bounded.
/// - Complexity: O(n) in the input.
struct JSONParser {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0
    private let expandDepth: Int
    private let maxDepth: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, expandDepth: Int, maxDepth: Int = 1_000) {
        self.bytes = bytes
        self.expandDepth = expandDepth
        self.maxDepth = maxDepth
    }

    /// Parses one whole document: a value with only whitespace around it.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, expandDepth: Int) throws(JSONSyntaxError) -> JSONNode {
        var parser = JSONParser(bytes, expandDepth: expandDepth)
        parser.skipWhitespace()
        let node = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.i == bytes.count else { throw JSONSyntaxError(offset: parser.i, expected: "the end of the message") }
        return node
    }

    /// The raw range of the top-level member `"id"` of a message that may be cut short (an
    /// oversized message of which only a prefix was kept), so an error can still name the request.
    static func idRange(inPrefix bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        var parser = JSONParser(bytes, expandDepth: 0)
        parser.skipWhitespace()
        guard parser.peek == UInt8(ascii: "{") else { return nil }
        parser.i += 1
        while true {
            parser.skipWhitespace()
            guard parser.peek == UInt8(ascii: "\""), let keyNode = try? parser.string() else { return nil }
            parser.skipWhitespace()
            guard parser.peek == UInt8(ascii: ":") else { return nil }
            parser.i += 1
            parser.skipWhitespace()
            guard let value = try? parser.value(depth: 1) else { return nil }
            if JSONBytes.string(bytes, keyNode.range) == "id" { return value.range }
            parser.skipWhitespace()
            guard parser.peek == UInt8(ascii: ",") else { return nil }
            parser.i += 1
        }
    }

    private var peek: UInt8? { i < bytes.count ? bytes[i] : nil }

    private mutating func skipWhitespace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        guard let b = peek else { throw JSONSyntaxError(offset: i, expected: "a value") }
        switch b {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return try string()
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw JSONSyntaxError(offset: i, expected: "a value")
        }
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        guard depth < maxDepth else { throw JSONSyntaxError(offset: i, expected: "nesting no deeper than \(maxDepth) levels") }
        let start = i
        let build = depth < expandDepth
        var members: [(key: String, value: JSONNode)] = []
        i += 1
        skipWhitespace()
        if peek == UInt8(ascii: "}") {
            i += 1
            return JSONNode(kind: build ? .object([]) : .unexpanded, range: start..<i)
        }
        while true {
            skipWhitespace()
            guard peek == UInt8(ascii: "\"") else { throw JSONSyntaxError(offset: i, expected: "a member name in quotes") }
            let key = try string()
            skipWhitespace()
            guard peek == UInt8(ascii: ":") else { throw JSONSyntaxError(offset: i, expected: "':' after the member name") }
            i += 1
            skipWhitespace()
            let member = try value(depth: depth + 1)
            if build { members.append((JSONBytes.string(bytes, key.range), member)) }
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"):
                i += 1
                return JSONNode(kind: build ? .object(members) : .unexpanded, range: start..<i)
            default: throw JSONSyntaxError(offset: i, expected: "',' or '}'")
            }
        }
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONNode {
        guard depth < maxDepth else { throw JSONSyntaxError(offset: i, expected: "nesting no deeper than \(maxDepth) levels") }
        let start = i
        let build = depth < expandDepth
        var elements: [JSONNode] = []
        i += 1
        skipWhitespace()
        if peek == UInt8(ascii: "]") {
            i += 1
            return JSONNode(kind: build ? .array([]) : .unexpanded, range: start..<i)
        }
        while true {
            skipWhitespace()
            let element = try value(depth: depth + 1)
            if build { elements.append(element) }
            skipWhitespace()
            switch peek {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"):
                i += 1
                return JSONNode(kind: build ? .array(elements) : .unexpanded, range: start..<i)
            default: throw JSONSyntaxError(offset: i, expected: "',' or ']'")
            }
        }
    }

    /// A string: validated (escapes, no raw control characters), not decoded.
    private mutating func string() throws(JSONSyntaxError) -> JSONNode {
        let start = i
        i += 1
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return JSONNode(kind: .string, range: start..<i)
            }
            if b < 0x20 { throw JSONSyntaxError(offset: i, expected: "a control character to be escaped") }
            if b == UInt8(ascii: "\\") {
                guard i + 1 < bytes.count else { break }
                switch bytes[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    guard i + 6 <= bytes.count, (2..<6).allSatisfy({ JSONBytes.hexValue(bytes[i + $0]) != nil }) else {
                        throw JSONSyntaxError(offset: i, expected: "four hex digits after \\u")
                    }
                    i += 6
                default:
                    throw JSONSyntaxError(offset: i, expected: "a valid escape")
                }
                continue
            }
            i += 1
        }
        throw JSONSyntaxError(offset: i, expected: "'\"' to close the string")
    }

    private mutating func number() throws(JSONSyntaxError) -> JSONNode {
        let start = i
        if peek == UInt8(ascii: "-") { i += 1 }
        func digits(_ p: inout JSONParser) -> Int {
            let s = p.i
            while let b = p.peek, b >= 0x30, b <= 0x39 { p.i += 1 }
            return p.i - s
        }
        if peek == UInt8(ascii: "0") {
            i += 1
        } else if digits(&self) == 0 {
            throw JSONSyntaxError(offset: i, expected: "a digit")
        }
        if peek == UInt8(ascii: ".") {
            i += 1
            guard digits(&self) > 0 else { throw JSONSyntaxError(offset: i, expected: "a digit after '.'") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            i += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
            guard digits(&self) > 0 else { throw JSONSyntaxError(offset: i, expected: "a digit in the exponent") }
        }
        return JSONNode(kind: .number, range: start..<i)
    }

    private mutating func literal(_ word: String, _ kind: JSONNode.Kind) throws(JSONSyntaxError) -> JSONNode {
        let start = i
        let utf8 = Array(word.utf8)
        guard i + utf8.count <= bytes.count, (0..<utf8.count).allSatisfy({ bytes[i + $0] == utf8[$0] }) else {
            throw JSONSyntaxError(offset: i, expected: word)
        }
        i += utf8.count
        return JSONNode(kind: kind, range: start..<i)
    }
}
