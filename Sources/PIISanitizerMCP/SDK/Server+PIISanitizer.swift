public import MCP
public import PIISanitizerMCPCore
import Foundation

extension Server {
    /// Registers the PII tools (`sanitize_text`, `sanitize_json`, `list_pii_types`) on this
    /// server, in one call:
    ///
    /// ```swift
    /// let server = Server(name: "my-server", version: "1.0", capabilities: .init(tools: .init()))
    /// await server.registerPIISanitizerTools(try SanitizerTools(), alongside: myTools,
    ///                                        handler: myHandler)   // the server's own tools, optional
    /// ```
    ///
    /// swift-sdk keeps one handler per method, so this installs the `tools/list` and
    /// `tools/call` handlers: pass the server's own tools and their handler as `alongside` and
    /// `handler` and they are listed and called next to the PII tools. With `sanitizeResults`
    /// (the default) the results of the server's own tools are sanitized too.
    ///
    /// Arguments arrive through swift-sdk's `Value`, which turns strings shaped like data URLs
    /// (`data:,hello`) into base64 and normalizes numbers; for byte-faithful results use
    /// `pii-sanitize mcp` (`StdioServer`), which does not go through `Value`.
    @discardableResult
    public func registerPIISanitizerTools(
        _ tools: SanitizerTools, alongside ownTools: [Tool] = [], handler: CallToolHandler? = nil, sanitizeResults: Bool = true
    ) -> Self {
        let definitions = (try? JSONDecoder().decode([Tool].self, from: Data(tools.toolDefinitionsJSON))) ?? []
        let own: CallToolHandler? = handler.map { handler in sanitizeResults ? tools.sanitizer.sanitizing(handler) : handler }
        withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: definitions + ownTools) }
        withMethodHandler(CallTool.self) { params in
            if let tool = ToolName(rawValue: params.name) {
                return await tools.call(tool, arguments: params.arguments ?? [:])
            }
            if let own { return try await own(params) }
            let names = (definitions + ownTools).map(\.name).joined(separator: ", ")
            throw MCPError.invalidParams("\(EchoedName.unknownTool). Available tools: \(names).")
        }
        return self
    }
}

extension SanitizerTools {
    /// Runs one of the PII tools with swift-sdk arguments, off the cooperative pool, honouring
    /// task cancellation between 1 MiB blocks.
    func call(_ tool: ToolName, arguments: [String: Value]) async -> CallTool.Result {
        let flag = CancelFlag()
        let result: ToolResult? = await withTaskCancellationHandler {
            await offPool { [self] in
                do {
                    let request = try ToolRequest(tool: tool, arguments: arguments.mapValues(ArgumentValue.init), tools: self)
                    return try run(request, isCancelled: { flag.isCancelled })
                } catch let error as ToolArgumentError {
                    return .error(error.message)
                } catch {
                    return nil
                }
            }
        } onCancel: {
            flag.cancel()
        }
        guard let result else { return CallTool.Result(content: [], isError: true) }
        let structured = result.structured.flatMap { try? JSONDecoder().decode(Value.self, from: Data($0)) }
        return CallTool.Result(
            content: [.text(text: String(decoding: result.text, as: UTF8.self), annotations: nil, _meta: nil)],
            structuredContent: structured, isError: result.isError)
    }
}

extension ArgumentValue {
    /// An argument from swift-sdk's `Value`. A `.data` value (a string that looked like a data
    /// URL) becomes the string swift-sdk would send for it.
    init(_ value: Value) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let json = (try? encoder.encode(value)).map { [UInt8]($0) } ?? Array("null".utf8)
        switch value {
        case let .string(s):
            self = .string(Array(s.utf8))
        case .data:
            self = .string(Array(value.description.utf8))
        case let .array(elements):
            let strings = elements.compactMap(\.stringValue)
            self = .other(typeName: "an array", json: json, strings: strings.count == elements.count ? strings : nil)
        case .object: self = .other(typeName: "an object", json: json, strings: nil)
        case .int, .double: self = .other(typeName: "a number", json: json, strings: nil)
        case .bool: self = .other(typeName: "a boolean", json: json, strings: nil)
        case .null: self = .other(typeName: "null", json: json, strings: nil)
        }
    }
}
