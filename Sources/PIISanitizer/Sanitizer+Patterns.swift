/// A pattern as `pii-sanitize patterns list` shows it.
public struct PatternDescription: Sendable, Hashable {
    public let id: String
    public let label: String
    public let category: String
    public let description: String?
    public let enabled: Bool
    public let keywords: [String]
}

/// One embedded example that did not behave as its pattern file says.
public struct ExampleFailure: Sendable, Hashable, CustomStringConvertible {
    /// The pattern id, or `keyRules` for key-rule vectors.
    public let patternID: String
    /// JSON Pointer to the example in its file.
    public let pointer: String
    /// What went wrong; never quotes the example text.
    public let reason: String

    public var description: String { "\(patternID) \(pointer): \(reason)" }
}

extension Sanitizer {
    /// Every pattern of the loaded files, in file order, enabled or not.
    public var patternDescriptions: [PatternDescription] {
        let active = Set(set.patterns.map(\.id))
        return set.allSpecs.map {
            PatternDescription(id: $0.id, label: $0.label, category: $0.category.rawValue, description: $0.description,
                               enabled: active.contains($0.id), keywords: $0.keywords)
        }
    }

    /// The labels this sanitizer can produce: pattern labels and key-rule labels.
    public var labels: [String] {
        Array(Set(set.patterns.map(\.label)).union(set.keyRulesSpec.terms.map(\.label))).sorted()
    }

    /// Runs every active pattern's embedded examples through the full pipeline, and the key-rule
    /// vectors through the key classifier.
    ///
    /// A positive example passes when its pattern reports exactly the `match` span and the output
    /// no longer contains it; a negative passes when the whole output equals the input.
    /// - Returns: the failures; empty when all pass.
    public func runExamples() -> [ExampleFailure] {
        var failures: [ExampleFailure] = []
        var workspace = Workspace(set: set)
        for (index, pattern) in set.patterns.enumerated() {
            let spec = pattern.spec
            for (i, example) in spec.examples.positive.enumerated() {
                let pointer = "\(spec.pointer)/examples/positive/\(i)"
                let (output, raw) = run(example.text, workspace: &workspace)
                let expected = Array(example.match.utf8)
                let input = Array(example.text.utf8)
                let own = raw.filter { $0.pattern == index }
                if !own.contains(where: { Array(input[$0.start..<$0.end]) == expected }) {
                    let spans = own.map { "\($0.start)..<\($0.end)" }.joined(separator: ", ")
                    failures.append(.init(patternID: spec.id, pointer: pointer,
                                          reason: own.isEmpty ? "the pattern found nothing" : "the pattern found other spans (bytes \(spans))"))
                } else if output.contains(expected) {
                    failures.append(.init(patternID: spec.id, pointer: pointer, reason: "the expected span survives in the output"))
                }
            }
            for (i, text) in spec.examples.negative.enumerated() {
                let (output, raw) = run(text, workspace: &workspace)
                if output != Array(text.utf8) {
                    let who = Set(raw.map { set.patterns[$0.pattern].id }).sorted().joined(separator: ", ")
                    failures.append(.init(patternID: spec.id, pointer: "\(spec.pointer)/examples/negative/\(i)",
                                          reason: "a near miss was changed (by \(who))"))
                }
            }
        }
        let rules = set.keyRulesSpec
        for (i, key) in rules.sensitiveExamples.enumerated() where set.keyRules.classify(key) == nil {
            failures.append(.init(patternID: "keyRules", pointer: "/keyRules/tests/sensitive/\(i)", reason: "key not classified as sensitive"))
        }
        for (i, key) in rules.notSensitiveExamples.enumerated() where set.keyRules.classify(key) != nil {
            failures.append(.init(patternID: "keyRules", pointer: "/keyRules/tests/notSensitive/\(i)", reason: "key classified as sensitive"))
        }
        return failures
    }

    private func run(_ text: String, workspace: inout Workspace) -> (output: [UInt8], raw: [RawFinding]) {
        var context = RedactionContext()
        var output: [UInt8] = []
        var input = text
        input.withUTF8 { _ = redact($0, into: &output, context: &context, workspace: &workspace) }
        // `redact` leaves every accepted candidate, before merging, in the workspace.
        return (output, workspace.raw)
    }
}

extension Array where Element == UInt8 {
    /// True when `needle` occurs as a contiguous run.
    func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        for i in 0...(count - needle.count) where self[i] == needle[0] && Array(self[i..<(i + needle.count)]) == needle {
            return true
        }
        return false
    }
}
