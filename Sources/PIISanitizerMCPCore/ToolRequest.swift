/// One tool argument as the transport delivered it, reduced to what the tools need.
///
/// The stdio server builds these from the raw request bytes (byte-faithful); the swift-sdk
/// integration builds them from `Value` (as faithful as `Value` is).
package enum ArgumentValue {
    /// A JSON string, unescaped to UTF-8 bytes.
    case string([UInt8])
    /// Any other JSON value: its type (for messages), its JSON bytes, and, for an array whose
    /// elements are all strings, those strings.
    case other(typeName: String, json: [UInt8], strings: [String]?)
}

/// An argument problem, phrased so that a model can correct its call. Never quotes a value.
package struct ToolArgumentError: Error {
    package let message: String
}

/// A validated tool call.
package struct ToolRequest {
    enum Input {
        case text([UInt8])
        /// JSON document bytes (a JSON value's raw bytes, or the content of a string holding JSON).
        case json([UInt8])
        case none
    }

    let tool: ToolName
    let input: Input
    let labels: [String]?
    let operatorName: String?

    var inputBytes: Int {
        switch input {
        case let .text(b), let .json(b): b.count
        case .none: 0
        }
    }

    /// Checks `arguments` against the tool's input schema.
    /// - Throws: `ToolArgumentError` saying what to change.
    package init(tool: ToolName, arguments: [String: ArgumentValue], tools: SanitizerTools) throws(ToolArgumentError) {
        self.tool = tool
        let unknown = arguments.keys.filter { !tool.argumentNames.contains($0) }.sorted()
        if !unknown.isEmpty {
            let accepted = tool.argumentNames.isEmpty ? "no arguments" : "only " + tool.argumentNames.map { "`\($0)`" }.joined(separator: ", ")
            throw ToolArgumentError(message: "\(tool.rawValue) does not take \(EchoedName.arguments(unknown)); it accepts \(accepted). Remove the unknown argument(s) and call again.")
        }
        switch tool {
        case .sanitizeText:
            guard let value = arguments["text"] else {
                throw ToolArgumentError(message: "sanitize_text needs the argument `text`: the text to sanitize, as a string. Call again with {\"text\": \"...\"}.")
            }
            guard case let .string(bytes) = value else {
                let hint = if case let .other(typeName, _, _) = value, typeName == "an object" || typeName == "an array" {
                    " To sanitize JSON, call sanitize_json with {\"json\": ...} instead."
                } else {
                    " Pass the text as a JSON string."
                }
                throw ToolArgumentError(message: "sanitize_text: `text` must be a string, but it is \(Self.typeName(value)).\(hint)")
            }
            input = .text(bytes)
        case .sanitizeJSON:
            guard let value = arguments["json"] else {
                throw ToolArgumentError(message: "sanitize_json needs the argument `json`: a JSON value (object, array, …) or a string holding a JSON document. Call again with {\"json\": {...}}.")
            }
            switch value {
            case let .string(bytes): input = .json(bytes)
            case let .other(_, json, _): input = .json(json)
            }
        case .listPIITypes:
            input = .none
        }
        labels = try Self.labels(arguments["labels"], tool: tool, tools: tools)
        operatorName = try Self.operatorName(arguments["operator"], tool: tool, tools: tools)
        if inputBytes > tools.maxInputBytes {
            let name = tool == .sanitizeText ? "text" : "json"
            throw ToolArgumentError(message: "\(tool.rawValue): `\(name)` is \(inputBytes) bytes, over this server's limit of \(tools.maxInputBytes) bytes per call. Split the input into parts of at most \(tools.maxInputBytes) bytes (at line breaks, or per JSON record) and call once per part.")
        }
    }

    private static func typeName(_ value: ArgumentValue) -> String {
        switch value {
        case .string: "a string"
        case let .other(typeName, _, _): typeName
        }
    }

    private static func labels(_ value: ArgumentValue?, tool: ToolName, tools: SanitizerTools) throws(ToolArgumentError) -> [String]? {
        guard let value else { return nil }
        let valid = tools.labels
        guard case let .other(_, _, strings?) = value, !strings.isEmpty else {
            throw ToolArgumentError(message: "\(tool.rawValue): `labels` must be a non-empty array of label names such as [\"EMAIL\", \"PHONE\"] (it is \(typeName(value))). Omit it to redact every type; list_pii_types gives the names.")
        }
        let unknown = strings.filter { !valid.contains($0.uppercased()) }
        guard unknown.isEmpty else {
            // Label names are not input content, but a model may have put data there: name
            // only how many were wrong, and list the valid ones.
            throw ToolArgumentError(message: "\(tool.rawValue): \(unknown.count) of the `labels` are not known label names. Use names from this list (or call list_pii_types): \(valid.joined(separator: ", ")).")
        }
        return strings.map { $0.uppercased() }
    }

    private static func operatorName(_ value: ArgumentValue?, tool: ToolName, tools: SanitizerTools) throws(ToolArgumentError) -> String? {
        guard let value else { return nil }
        let names = tools.operatorNames
        guard case let .string(bytes) = value, let name = String(validating: bytes, as: UTF8.self), names.contains(name) else {
            throw ToolArgumentError(message: "\(tool.rawValue): `operator` must be one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")). Omit it for the default ([EMAIL]-style placeholders).")
        }
        return name
    }
}
