import Foundation
import MCP
import PIISanitizer
import Testing
@testable import PIISanitizerMCP
@testable import PIISanitizerMCPCore

/// A sample swift-sdk server whose own tool returns PII, connected to a swift-sdk `Client`
/// through the SDK's in-memory transport.
private func connectedPair(_ register: @Sendable (Server) async throws -> Void) async throws -> (Client, Server) {
    let server = Server(name: "sample", version: "1.0", capabilities: .init(tools: .init()))
    try await register(server)
    let (clientTransport, serverTransport) = await InMemoryTransport.createConnectedPair()
    try await server.start(transport: serverTransport)
    let client = Client(name: "test", version: "1.0")
    _ = try await client.connect(transport: clientTransport)
    return (client, server)
}

/// The sample server's own tool: a user lookup whose result holds PII.
private let lookupUser = Tool(name: "lookup_user", description: "Look up a user.", inputSchema: .object(["type": "object"]))

@Sendable private func lookupHandler(_ params: CallTool.Parameters) async throws -> CallTool.Result {
    guard params.name == "lookup_user" else { throw MCPError.invalidParams("Unknown tool") }
    return CallTool.Result(
        content: [.text(text: "user ana.silva@example.com, phone +44 20 7946 0958, plan pro", annotations: nil, _meta: nil),
                  .text(text: #"{"email":"bob@example.org","api_key":"k-8f2a91","n":3}"#, annotations: nil, _meta: nil)],
        structuredContent: .object(["email": "ana.silva@example.com", "password": "hunter2", "plan": "pro", "seats": 3]))
}

@Suite("swift-sdk integration")
struct SDKIntegrationTests {
    static let sanitizer = try! Sanitizer()

    @Test("the one-line wrap sanitizes a sample server's own tool results before they leave")
    func oneLineWrap() async throws {
        let sanitizer = Self.sanitizer
        let (client, server) = try await connectedPair { server in
            await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: [lookupUser]) }
            // The one line:
            await server.withMethodHandler(CallTool.self, handler: sanitizer.sanitizing(lookupHandler))
        }
        let result = try await client.callTool(name: "lookup_user", arguments: [:]).value
        let texts = result.content.compactMap { if case let .text(text, _, _) = $0 { text } else { nil } }
        #expect(texts == ["user [EMAIL], phone [PHONE], plan pro", #"{"email":"[EMAIL]","api_key":"[API_KEY]","n":3}"#])
        let structured = try #require(result.structuredContent?.objectValue)
        #expect(structured["email"] == .string("[EMAIL]"))
        #expect(structured["password"] == .string("[PASSWORD]"))
        #expect(structured["plan"] == .string("pro"))
        #expect(structured["seats"] == .int(3))
        await client.disconnect()
        await server.stop()
    }

    @Test("CallTool.Result.sanitized(with:) leaves images and non-PII alone")
    func sanitizedResult() {
        let result = CallTool.Result(content: [.image(data: "iVBORw0KGgo=", mimeType: "image/png", annotations: nil, _meta: nil),
                                               .text(text: "nothing here 1.0", annotations: nil, _meta: nil)], isError: false)
        let clean = result.sanitized(with: Self.sanitizer)
        #expect(clean == result)
    }

    @Test("registerPIISanitizerTools adds the PII tools next to the server's own, in one call")
    func registerTools() async throws {
        let tools = try SanitizerTools()
        let (client, server) = try await connectedPair { server in
            await server.registerPIISanitizerTools(tools, alongside: [lookupUser], handler: lookupHandler)
        }
        let listed = try await client.listTools().tools
        #expect(listed.map(\.name) == ["sanitize_text", "sanitize_json", "list_pii_types", "lookup_user"])
        #expect(listed[0].annotations.readOnlyHint == true)
        #expect(listed[0].outputSchema != nil)

        let text = try await client.callTool(name: "sanitize_text", arguments: ["text": "mail ana@example.com"]).value
        #expect(text.content == [.text(text: "mail [EMAIL]", annotations: nil, _meta: nil)])
        #expect(text.structuredContent?.objectValue?["counts"] == .object(["EMAIL": 1]))

        let json = try await client.callTool(name: "sanitize_json", arguments: ["json": .object(["password": "x"])]).value
        #expect(json.content == [.text(text: #"{"password":"[PASSWORD]"}"#, annotations: nil, _meta: nil)])

        let bad = try await client.callTool(name: "sanitize_text", arguments: [:]).value
        #expect(bad.isError == true)

        // The server's own tool: its results are sanitized too.
        let own = try await client.callTool(name: "lookup_user", arguments: [:]).value
        #expect(own.structuredContent?.objectValue?["email"] == .string("[EMAIL]"))

        await #expect(throws: (any Error).self) { _ = try await client.callTool(name: "nope", arguments: [:]).value }
        await client.disconnect()
        await server.stop()
    }
}
