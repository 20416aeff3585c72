/// A message or argument that is not valid JSON: the byte offset and what was expected there.
/// Never holds content.
struct JSONSyntaxError: Error, CustomStringConvertible {
    let offset: Int
    let expected: String

    var description: String { "invalid JSON at byte \(offset): expected \(expected)" }
}
