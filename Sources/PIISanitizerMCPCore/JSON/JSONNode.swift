/// A JSON value parsed from a message, with the byte range it occupies there.
///
/// Only the shallow part of a message is expanded into nodes (the JSON-RPC envelope, `params`,
/// the tool arguments' names); deeper values stay `.unexpanded` spans — validated, but never
/// turned into a tree — so an argument is handed to the sanitizer as the exact bytes the client
/// sent. That is what keeps `1.0`, `12345678901234567890`, key order and escapes as written.
struct JSONNode: Sendable {
    enum Kind: Sendable {
        case object([(key: String, value: JSONNode)])
        case array([JSONNode])
        /// The range covers the quotes; decode with `JSONBytes.decodeString`.
        case string
        case number
        case bool(Bool)
        case null
        /// A container below the expansion depth: validated, kept as raw bytes.
        case unexpanded
    }

    var kind: Kind
    /// The value's bytes in the message, quotes and brackets included.
    var range: Range<Int>

    /// The member named `key` of an object; nil for other kinds or a missing member.
    subscript(key: String) -> JSONNode? {
        guard case let .object(members) = kind else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// What a model would call this value's type, for error messages.
    var typeName: String {
        switch kind {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .unexpanded: "a container"
        }
    }

    var isString: Bool { if case .string = kind { true } else { false } }
}
