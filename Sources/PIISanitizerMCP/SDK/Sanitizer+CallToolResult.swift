public import MCP
public import PIISanitizer
import Foundation

/// A `tools/call` handler as swift-sdk's `Server.withMethodHandler(CallTool.self, handler:)` takes it.
public typealias CallToolHandler = @Sendable (CallTool.Parameters) async throws -> CallTool.Result

extension Sanitizer {
    /// Wraps a `tools/call` handler so that every result it returns is sanitized before it
    /// leaves the server — the one-line way to make a swift-sdk server's own tools safe:
    ///
    /// ```swift
    /// await server.withMethodHandler(CallTool.self, handler: sanitizer.sanitizing { params in
    ///     try await myTools.call(params)          // results may hold PII; clients never see it
    /// })
    /// ```
    ///
    /// The sanitizing runs on a dispatch queue, off Swift's cooperative pool, so a large result
    /// does not stall the server's other requests. See `CallTool.Result.sanitized(with:)`.
    public func sanitizing(_ handler: @escaping CallToolHandler) -> CallToolHandler {
        { params in
            let result = try await handler(params)
            return await offPool { result.sanitized(with: self) }
        }
    }
}

extension CallTool.Result {
    /// This result with every piece of text sanitized:
    /// - `.text` content and text resources as the CLI would print them (JSON-looking text
    ///   goes through the JSON rewriter, with its key rules; other text through the text rules);
    /// - `structuredContent` encoded to JSON, sanitized as JSON, and decoded again;
    /// - images, audio and blobs are left as they are.
    ///
    /// Fails closed: structured content that cannot be sanitized is dropped, never passed on.
    public func sanitized(with sanitizer: Sanitizer) -> CallTool.Result {
        let content = content.map { item -> Tool.Content in
            switch item {
            case let .text(text, annotations, meta):
                return .text(text: sanitizer.sanitizeAsCLI(text), annotations: annotations, _meta: meta)
            case let .resource(resource, annotations, meta):
                guard let text = resource.text else { return item }
                let clean = Resource.Content.text(sanitizer.sanitizeAsCLI(text), uri: resource.uri, mimeType: resource.mimeType, _meta: resource._meta)
                return .resource(resource: clean, annotations: annotations, _meta: meta)
            default:
                return item
            }
        }
        var structured: Value?
        if let structuredContent {
            structured = try? sanitizer.sanitizedValue(structuredContent)
        }
        return CallTool.Result(content: content, structuredContent: structured, isError: isError, _meta: _meta)
    }
}

extension Sanitizer {
    /// `text` as `pii-sanitize` (format auto) prints it: JSON or NDJSON when it looks like it,
    /// else text.
    func sanitizeAsCLI(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        bytes.withUnsafeBytes { raw in
            switch InputFormat.detect(bytes, sanitizer: self) {
            case .json:
                var stream = JSONStream(sanitizer: self)
                do {
                    try stream.write(raw) { output.append(contentsOf: $0) }
                    try stream.finish { output.append(contentsOf: $0) }
                    return
                } catch {
                    output.removeAll()  // not JSON after all: sanitize it as text below
                }
            case .ndjson:
                var stream = NDJSONStream(sanitizer: self)
                try? stream.write(raw) { output.append(contentsOf: $0) }
                try? stream.finish { output.append(contentsOf: $0) }
                return
            case .text:
                break
            }
            var stream = TextStream(sanitizer: self)
            stream.write(raw) { output.append(contentsOf: $0) }
            stream.finish { output.append(contentsOf: $0) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A `Value` sanitized as the JSON it encodes to.
    func sanitizedValue(_ value: Value) throws -> Value {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let json = try sanitizeJSON(try encoder.encode(value))
        return try JSONDecoder().decode(Value.self, from: json)
    }
}

/// Runs CPU-bound `work` on a dispatch queue and resumes with its result, so the cooperative
/// pool (two threads on a two-core machine) stays free for other requests.
func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async { continuation.resume(returning: work()) }
    }
}
