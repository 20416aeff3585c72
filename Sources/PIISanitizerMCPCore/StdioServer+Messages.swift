import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// JSON-RPC dispatch: what each message gets.
///
/// Errors follow JSON-RPC: -32700 for a line that is not JSON, -32600 for a message that is
/// not a request, -32601 for an unknown method, -32602 for bad `tools/call` params (including
/// an unknown tool). Problems with a tool's *arguments* are a normal result with
/// `isError: true`, so the model sees the message and can correct its call.
extension StdioServer {
    func handleLine(_ line: [UInt8]) {
        line.withUnsafeBufferPointer { bytes in
            // Blank lines (and a CR from CRLF framing) are not messages.
            guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
            let message: JSONNode
            do {
                message = try JSONParser.parse(bytes, expandDepth: 3)
            } catch {
                logger.warning("unparsable message", metadata: ["bytes": "\(bytes.count)", "error": "\(error)", "outcome": "protocol_error"], source: Self.logSource)
                sendError(id: nil, code: -32700, message: "Parse error: \(error). Send one complete JSON-RPC message per line.")
                return
            }
            dispatch(message, in: bytes, line: line)
        }
    }

    private func dispatch(_ message: JSONNode, in bytes: UnsafeBufferPointer<UInt8>, line: [UInt8]) {
        guard case .object = message.kind else {
            let what = if case .array = message.kind { "a batch (array); send each message on its own line" } else { "not an object" }
            sendError(id: nil, code: -32600, message: "Invalid Request: the message is \(what).")
            return
        }
        var id: [UInt8]?
        var key: [UInt8] = []
        if let node = message["id"] {
            switch node.kind {
            case .string, .number:
                id = Array(bytes[node.range])
                key = Self.idKey(node, in: bytes) ?? []
            default:
                sendError(id: nil, code: -32600, message: "Invalid Request: `id` must be a string or an integer.")
                return
            }
        }
        guard let methodNode = message["method"], methodNode.isString else {
            // A response to a request of ours (we send none) or garbage: answer only the latter.
            if message["result"] == nil && message["error"] == nil {
                sendError(id: id, code: -32600, message: "Invalid Request: a request needs `method` (a string) and `jsonrpc: \"2.0\"`.")
            }
            return
        }
        let method = JSONBytes.string(bytes, methodNode.range)
        let params = message["params"]
        guard let id else {
            notification(method, params: params, in: bytes)
            return
        }
        switch method {
        case "initialize":
            sendResult(id: id, result: initializeResult(params: params, in: bytes))
        case "ping":
            sendResult(id: id, result: Array("{}".utf8))
        case "tools/list":
            sendResult(id: id, result: toolsListResult)
        case "tools/call":
            call(id: id, key: key, params: params, line: line)
        default:
            let shown = EchoedName.method(method)
            logger.warning("unknown method", metadata: ["method": "\(shown)", "outcome": "protocol_error"], source: Self.logSource)
            sendError(id: id, code: -32601, message: "Method not found: \(shown). This server supports initialize, ping, tools/list and tools/call (tools: \(ToolName.allCases.map(\.rawValue).joined(separator: ", "))).")
        }
    }

    private func notification(_ method: String, params: JSONNode?, in bytes: UnsafeBufferPointer<UInt8>) {
        guard method == "notifications/cancelled" else { return }  // initialized, progress, …: nothing to do
        guard let requestID = params?["requestId"], let key = Self.idKey(requestID, in: bytes) else { return }
        if cancelCall(key: key) {
            logger.debug("call cancelled by the client", source: Self.logSource)
        }
    }

    /// A request id in one canonical form, so `"a\u0062"` and `"ab"` name the same call.
    static func idKey(_ node: JSONNode, in bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        switch node.kind {
        case .string: return SanitizerTools.stringLiteral(JSONBytes.decodeString(bytes, node.range))
        case .number: return Array(bytes[node.range])
        default: return nil
        }
    }

    private func initializeResult(params: JSONNode?, in bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        // Answer with the client's version when we speak it, else with our newest (the spec's
        // negotiation: the client then decides whether it can go on).
        var version = Self.supportedProtocolVersions[0]
        if let requested = params?["protocolVersion"], requested.isString {
            let name = JSONBytes.string(bytes, requested.range)
            if Self.supportedProtocolVersions.contains(name) { version = name }
        }
        logger.info("initialize", metadata: ["protocol_version": "\(version)"], source: Self.logSource)
        return JSONValue.object([
            ("protocolVersion", .string(version)),
            ("capabilities", .object([("tools", .object([("listChanged", .bool(false))]))])),
            ("serverInfo", .object([("name", .string(serverName)), ("title", .string("PII sanitizer")), ("version", .string(serverVersion))])),
            ("instructions", .string("Tools that redact personal data and secrets: sanitize_text for free text, sanitize_json for JSON documents (byte-faithful outside the redactions), list_pii_types for the kinds redacted. Results report counts per label, never the redacted values.")),
        ]).bytes
    }

    // MARK: tools/call

    private func call(id: [UInt8], key: [UInt8], params: JSONNode?, line: [UInt8]) {
        startCall(key: key) { [self] flag in
            let start = ContinuousClock.now
            var audit = Audit()
            let response = line.withUnsafeBufferPointer { bytes in
                respond(params: params, in: bytes, audit: &audit, isCancelled: { flag.isCancelled })
            }
            let elapsed = ContinuousClock.now - start
            let answered = finishCall(key: key, flag: flag)
            if !answered { audit.outcome = "cancelled" }
            log(audit, duration: elapsed)
            guard answered, let response else { return }
            switch response {
            case let .result(bytes): sendResult(id: id, result: bytes)
            case let .error(code, message): sendError(id: id, code: code, message: message)
            }
        }
    }

    private enum Response {
        case result([UInt8])
        case error(code: Int, message: String)
    }

    /// What the audit line says about one call. Never a value.
    private struct Audit {
        var tool = "-"
        var inputBytes = 0
        var counts: [String: Int] = [:]
        var outcome = "ok"
    }

    private func respond(params: JSONNode?, in bytes: UnsafeBufferPointer<UInt8>, audit: inout Audit, isCancelled: () -> Bool) -> Response? {
        let toolNames = ToolName.allCases.map(\.rawValue).joined(separator: ", ")
        guard let params, case .object = params.kind, let nameNode = params["name"], nameNode.isString else {
            audit.outcome = "protocol_error"
            return .error(code: -32602, message: "Invalid params: tools/call needs params {\"name\": one of \(toolNames), \"arguments\": {...}}.")
        }
        let name = JSONBytes.string(bytes, nameNode.range)
        guard let tool = ToolName(rawValue: name) else {
            audit.outcome = "protocol_error"
            return .error(code: -32602, message: "\(EchoedName.unknownTool). This server's tools are \(toolNames); tools/list describes them.")
        }
        audit.tool = tool.rawValue
        var arguments: [String: ArgumentValue] = [:]
        if let node = params["arguments"] {
            guard case let .object(members) = node.kind else {
                audit.outcome = "protocol_error"
                return .error(code: -32602, message: "Invalid params: `arguments` must be an object, such as {\"text\": \"...\"}.")
            }
            for (key, value) in members { arguments[key] = Self.argument(value, named: key, in: bytes) }
        }
        let request: ToolRequest
        do {
            request = try ToolRequest(tool: tool, arguments: arguments, tools: tools)
        } catch {
            audit.outcome = "tool_error"
            return .result(Self.encode(.error(error.message)))
        }
        audit.inputBytes = request.inputBytes
        do {
            let result = try tools.run(request, isCancelled: isCancelled)
            audit.counts = result.counts
            if result.isError { audit.outcome = "tool_error" }
            return .result(Self.encode(result))
        } catch {
            audit.outcome = "cancelled"
            return nil
        }
    }

    /// One argument from its bytes in the request: strings unescaped, anything else as it was sent.
    private static func argument(_ node: JSONNode, named name: String, in bytes: UnsafeBufferPointer<UInt8>) -> ArgumentValue {
        if node.isString { return .string(JSONBytes.decodeString(bytes, node.range)) }
        let raw = Array(bytes[node.range])
        let typeName: String
        var strings: [String]?
        switch bytes[node.range.lowerBound] {
        case UInt8(ascii: "{"): typeName = "an object"
        case UInt8(ascii: "["):
            typeName = "an array"
            // Only `labels` is read as a list; a large `json` array is never expanded.
            if name == "labels" { strings = Self.strings(raw) }
        default: typeName = node.typeName
        }
        return .other(typeName: typeName, json: raw, strings: strings)
    }

    private static func strings(_ array: [UInt8]) -> [String]? {
        array.withUnsafeBufferPointer { bytes in
            guard let node = try? JSONParser.parse(bytes, expandDepth: 1), case let .array(elements) = node.kind,
                elements.allSatisfy(\.isString)
            else { return nil }
            return elements.map { JSONBytes.string(bytes, $0.range) }
        }
    }

    /// A `CallToolResult`: the text content, the structured content, `isError`.
    static func encode(_ result: ToolResult) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(result.text.count * 2 + 128)
        out.append(contentsOf: Array(#"{"content":[{"type":"text","text":"#.utf8))
        JSONBytes.appendString(result.text, to: &out)
        out.append(contentsOf: Array("}]".utf8))
        if let structured = result.structured {
            out.append(contentsOf: Array(#","structuredContent":"#.utf8))
            out.append(contentsOf: structured)
        }
        out.append(contentsOf: Array((result.isError ? #","isError":true}"# : #","isError":false}"#).utf8))
        return out
    }

    private func log(_ audit: Audit, duration: Duration) {
        let ms = Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
        let counts = audit.counts.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
        logger.info("tools/call", metadata: [
            "tool": "\(audit.tool)",
            "input_bytes": "\(audit.inputBytes)",
            "duration_ms": "\(Self.twoDecimals(ms))",
            "counts": "\(counts.isEmpty ? "-" : counts)",
            "total": "\(audit.counts.values.reduce(0, +))",
            "outcome": "\(audit.outcome)",
        ], source: Self.logSource)
    }

    /// `value` as C's `%.2f` prints it (what `String(format:)` gave, without Foundation).
    static func twoDecimals(_ value: Double) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            let n = withVaList([value]) { vsnprintf(buffer.baseAddress, buffer.count, "%.2f", $0) }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: max(0, min(Int(n), buffer.count - 1))), as: UTF8.self)
        }
    }
}
