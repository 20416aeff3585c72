/// Reads a `JSONTree` strictly: every member must be known, every type right, and each error
/// carries the JSON Pointer of the offending value.
struct TreeReader {
    let file: String
    /// The id of the pattern being read, so errors can name it.
    var patternID: String?

    func fail(_ pointer: String, _ reason: String) -> SanitizerError {
        .invalidPatternFile(file: file, pointer: pointer, patternID: patternID, reason: reason)
    }

    /// Escapes a member name for use in a JSON Pointer (RFC 6901).
    /// - Complexity: O(key.count); no Foundation (this runs for every member read while loading).
    static func escape(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return key }
        var out = ""
        for c in key.unicodeScalars {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    // The readers take the pointer as an autoclosure: it is built only for an error message, and
    // building one for each of the built-in file's thousands of values was a tenth of start-up.

    func string(_ tree: JSONTree, at pointer: @autoclosure () -> String) throws(SanitizerError) -> String {
        guard case let .string(s) = tree else { throw fail(pointer(), "expected a string, found \(tree.typeName)") }
        return s
    }

    func bool(_ tree: JSONTree, at pointer: @autoclosure () -> String) throws(SanitizerError) -> Bool {
        guard case let .bool(b) = tree else { throw fail(pointer(), "expected true or false, found \(tree.typeName)") }
        return b
    }

    func int(_ tree: JSONTree, at pointer: @autoclosure () -> String, in range: ClosedRange<Int>) throws(SanitizerError) -> Int {
        guard case let .number(raw) = tree, let n = Int(raw) else {
            throw fail(pointer(), "expected an integer, found \(tree.typeName)")
        }
        guard range.contains(n) else { throw fail(pointer(), "expected an integer from \(range.lowerBound) to \(range.upperBound)") }
        return n
    }

    func double(_ tree: JSONTree, at pointer: @autoclosure () -> String) throws(SanitizerError) -> Double {
        guard case let .number(raw) = tree, let d = Double(raw) else {
            throw fail(pointer(), "expected a number, found \(tree.typeName)")
        }
        return d
    }

    func array(_ tree: JSONTree, at pointer: @autoclosure () -> String) throws(SanitizerError) -> [JSONTree] {
        guard case let .array(items) = tree else { throw fail(pointer(), "expected an array, found \(tree.typeName)") }
        return items
    }

    func strings(_ tree: JSONTree, at pointer: @autoclosure () -> String) throws(SanitizerError) -> [String] {
        var out: [String] = []
        for (i, item) in try array(tree, at: pointer()).enumerated() {
            out.append(try string(item, at: "\(pointer())/\(i)"))
        }
        return out
    }

    /// Opens an object whose members are limited to `allowed` (plus `x-` extension members).
    func object(_ tree: JSONTree, at pointer: String, allowed: Set<String>) throws(SanitizerError) -> ObjectView {
        guard case let .object(members) = tree else { throw fail(pointer, "expected an object, found \(tree.typeName)") }
        for (key, _) in members where !allowed.contains(key) && !key.hasPrefix("x-") {
            let known = allowed.sorted().joined(separator: ", ")
            throw fail("\(pointer)/\(Self.escape(key))", "unknown member '\(key)' (known: \(known); prefix 'x-' for extensions)")
        }
        return ObjectView(members: members, pointer: pointer)
    }
}

/// An object's members with the pointer to each.
struct ObjectView {
    let members: [(key: String, value: JSONTree)]
    let pointer: String

    subscript(key: String) -> JSONTree? { members.first { $0.key == key }?.value }
    func at(_ key: String) -> String { "\(pointer)/\(TreeReader.escape(key))" }
}
