// `Data` and `JSONEncoder` live in FoundationEssentials where it exists (Linux): importing only it
// keeps the full Foundation (ICU, a few MB of resident pages) out of programs such as the CLI.
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A sanitized JSON document and what was redacted in it.
public struct SanitizedJSON: Sendable, Hashable {
    public let json: [UInt8]
    /// Findings with their JSON Pointer (`jsonPointer`), labels and positions; never values.
    public let findings: [Finding]
}

extension Sanitizer {
    /// Sanitizes one JSON document held as bytes and returns the same document with only the
    /// values that needed it rewritten: key order, whitespace, escapes and numbers stay as written.
    ///
    /// String values run through the value patterns (after unescaping, so `bob\u0040x.com` is
    /// found); a value under a sensitive key (`password`, `X-Api-Key`, …) is redacted whole —
    /// strings and numbers (a redacted number becomes a string), while booleans, null and `""` stay;
    /// an object or array under a sensitive key keeps its structure with every scalar redacted.
    /// Pair objects (`{"name": "Authorization", "value": …}`) use the sibling name as the key.
    /// - Throws: `SanitizerError.invalidJSON` (line, column, what was expected; never content) or
    ///   `.jsonTooDeep`.
    /// - Complexity: O(n) in the document plus pattern work on its string values.
    public func sanitizeJSON(_ json: [UInt8]) throws(SanitizerError) -> [UInt8] {
        try sanitizeJSONWithFindings(json, reportFindings: false).json
    }

    /// Sanitizes one JSON document held as a `String`.
    public func sanitizeJSON(_ json: String) throws(SanitizerError) -> String {
        String(decoding: try sanitizeJSON(Array(json.utf8)), as: UTF8.self)
    }

    /// Sanitizes one JSON document held as `Data`.
    public func sanitizeJSON(_ json: Data) throws(SanitizerError) -> Data {
        Data(try sanitizeJSON([UInt8](json)))
    }

    /// Sanitizes one JSON document and reports the findings with their JSON Pointers.
    public func sanitizeJSONWithFindings(_ json: [UInt8]) throws(SanitizerError) -> SanitizedJSON {
        try sanitizeJSONWithFindings(json, reportFindings: true)
    }

    private func sanitizeJSONWithFindings(_ json: [UInt8], reportFindings: Bool) throws(SanitizerError) -> SanitizedJSON {
        var rewriter = JSONRewriter(sanitizer: self, maxDepth: maxJSONDepth)
        let collector = FindingCollector()
        if reportFindings { rewriter.onFinding = { collector.findings.append($0) } }
        var output: [UInt8] = []
        output.reserveCapacity(json.count)
        try json.withUnsafeBufferPointer { buffer throws(SanitizerError) in
            _ = try rewriter.feed(buffer, isFinal: true, output: &output)
        }
        return SanitizedJSON(json: output, findings: collector.findings)
    }

    /// Encodes `value` with `encoder` and sanitizes the result: a convenience for logging or
    /// returning `Encodable` payloads.
    public func sanitizeJSON<T: Encodable>(encoding value: T, encoder: JSONEncoder = JSONEncoder()) throws -> Data {
        try sanitizeJSON(try encoder.encode(value))
    }
}

/// Collects findings from a callback (a class, so the escaping closure can append).
final class FindingCollector {
    var findings: [Finding] = []
}
