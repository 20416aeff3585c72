/// The tool definitions `tools/list` returns: descriptions written for a model, input schemas
/// with constraints, output schemas, and the annotations of a pure function.
struct ToolDefinitions {
    let maxInputBytes: Int
    let labels: [String]
    let operatorNames: [String]

    /// The `tools` array of a `tools/list` result, as JSON bytes.
    var json: [UInt8] {
        JSONValue.array(ToolName.allCases.map(definition)).bytes
    }

    private func definition(_ tool: ToolName) -> JSONValue {
        .object([
            ("name", .string(tool.rawValue)),
            ("title", .string(title(tool))),
            ("description", .string(description(tool))),
            ("inputSchema", inputSchema(tool)),
            ("outputSchema", outputSchema(tool)),
            ("annotations", .object([
                ("title", .string(title(tool))),
                // Sanitizing reads its arguments and nothing else: no side effects, the same
                // call gives the same result, and nothing outside the server is touched.
                ("readOnlyHint", .bool(true)),
                ("destructiveHint", .bool(false)),
                ("idempotentHint", .bool(true)),
                ("openWorldHint", .bool(false)),
            ])),
        ])
    }

    private func title(_ tool: ToolName) -> String {
        switch tool {
        case .sanitizeText: "Sanitize text"
        case .sanitizeJSON: "Sanitize JSON"
        case .listPIITypes: "List PII types"
        }
    }

    private var limitSentence: String {
        "At most \(maxInputBytes) bytes per call; split longer input and call once per part."
    }

    private func description(_ tool: ToolName) -> String {
        switch tool {
        case .sanitizeText:
            """
            Redact personal data and secrets from free text (logs, chat, e-mails, stack traces): e-mail addresses, \
            phone numbers, payment cards, IBANs, IP and MAC addresses, US SSNs, private keys, JWTs, API tokens, \
            credentials in URLs and password=… assignments. Returns the text with each finding replaced (by default \
            with its label, such as [EMAIL]) and every other byte unchanged. Use it before storing, quoting or \
            forwarding text that may contain personal data or credentials. For JSON use sanitize_json, which also \
            redacts values under sensitive keys. \(limitSentence) structuredContent holds the sanitized text and the \
            number of findings per label, never the values.
            """
        case .sanitizeJSON:
            """
            Redact personal data and secrets from a JSON document (an API payload, a tool result, a config, a log \
            event). Pass the document itself as `json` (object, array or any JSON value), or a string that holds a \
            JSON document. String values are checked for PII; values under sensitive keys (password, api_key, \
            Authorization, …) are redacted whole; JSON inside strings is sanitized too. Key order, whitespace, escapes \
            and number literals are kept exactly. Returns the sanitized document as text, and in structuredContent as \
            `json` with the number of findings per label (never the values). \(limitSentence)
            """
        case .listPIITypes:
            """
            List the kinds of personal data and secrets this server redacts: each label (the placeholder name, \
            such as EMAIL) and each pattern id, with a one-line description, plus the operators a call may choose. \
            Use it to pick `labels` for sanitize_text or sanitize_json.
            """
        }
    }

    private func inputSchema(_ tool: ToolName) -> JSONValue {
        let labelsSchema: JSONValue = .object([
            ("type", .string("array")),
            ("description", .string("Redact only these kinds (label names from list_pii_types). Omit to redact every kind.")),
            ("items", .object([("type", .string("string")), ("enum", .array(labels.map { .string($0) }))])),
            ("minItems", .int(1)),
            ("uniqueItems", .bool(true)),
        ])
        let operatorSchema: JSONValue = .object([
            ("type", .string("string")),
            ("description", .string("How findings are rewritten: replace ([EMAIL], the default), mask (keep the last 4 characters), placeholder ([EMAIL_1], numbered per distinct value), remove (delete)\(operatorNames.contains("hash") ? ", hash ([EMAIL:3fa4…], a keyed hash, stable across calls)" : "").")),
            ("enum", .array(operatorNames.map { .string($0) })),
        ])
        switch tool {
        case .sanitizeText:
            return .object([
                ("type", .string("object")),
                ("properties", .object([
                    ("text", .object([
                        ("type", .string("string")),
                        ("description", .string("The text to sanitize, exactly as it is (any size up to \(maxInputBytes) bytes of UTF-8).")),
                    ])),
                    ("labels", labelsSchema),
                    ("operator", operatorSchema),
                ])),
                ("required", .array([.string("text")])),
                ("additionalProperties", .bool(false)),
            ])
        case .sanitizeJSON:
            return .object([
                ("type", .string("object")),
                ("properties", .object([
                    ("json", .object([
                        ("description", .string("The JSON document to sanitize: any JSON value, or a string holding a JSON document (up to \(maxInputBytes) bytes).")),
                        ("type", .array(["object", "array", "string", "number", "boolean", "null"].map { .string($0) })),
                    ])),
                    ("labels", labelsSchema),
                    ("operator", operatorSchema),
                ])),
                ("required", .array([.string("json")])),
                ("additionalProperties", .bool(false)),
            ])
        case .listPIITypes:
            return .object([
                ("type", .string("object")),
                ("properties", .object([])),
                ("additionalProperties", .bool(false)),
            ])
        }
    }

    private func outputSchema(_ tool: ToolName) -> JSONValue {
        let counts: JSONValue = .object([
            ("type", .string("object")),
            ("description", .string("Findings per label; values are never reported.")),
            ("additionalProperties", .object([("type", .string("integer")), ("minimum", .int(1))])),
        ])
        let total: JSONValue = .object([("type", .string("integer")), ("minimum", .int(0))])
        switch tool {
        case .sanitizeText:
            return .object([
                ("type", .string("object")),
                ("properties", .object([
                    ("text", .object([("type", .string("string")), ("description", .string("The sanitized text."))])),
                    ("counts", counts),
                    ("total", total),
                ])),
                ("required", .array(["text", "counts", "total"].map { .string($0) })),
            ])
        case .sanitizeJSON:
            return .object([
                ("type", .string("object")),
                ("properties", .object([
                    ("json", .object([("description", .string("The sanitized JSON document."))])),
                    ("counts", counts),
                    ("total", total),
                ])),
                ("required", .array(["json", "counts", "total"].map { .string($0) })),
            ])
        case .listPIITypes:
            let entry: ([(String, JSONValue)]) -> JSONValue = { props in
                .object([("type", .string("object")), ("properties", .object(props)),
                         ("required", .array(props.map { .string($0.0) }))])
            }
            let string: JSONValue = .object([("type", .string("string"))])
            return .object([
                ("type", .string("object")),
                ("properties", .object([
                    ("labels", .object([("type", .string("array")), ("items", entry([
                        ("label", string), ("description", string),
                        ("patternIds", .object([("type", .string("array")), ("items", string)])),
                    ]))])),
                    ("patterns", .object([("type", .string("array")), ("items", entry([
                        ("id", string), ("label", string), ("category", string), ("description", string),
                    ]))])),
                    ("operators", .object([("type", .string("array")), ("items", string)])),
                    ("maxInputBytes", .object([("type", .string("integer"))])),
                ])),
                ("required", .array(["labels", "patterns", "operators", "maxInputBytes"].map { .string($0) })),
            ])
        }
    }
}
