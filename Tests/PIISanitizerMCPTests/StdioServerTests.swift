import Foundation
import PIISanitizer
import Testing
@testable import PIISanitizerMCP
@testable import PIISanitizerMCPCore

/// What `pii-sanitize --format text` prints for `text`.
private func cliText(_ text: String, sanitizer: Sanitizer) -> String {
    var stream = TextStream(sanitizer: sanitizer)
    var out: [UInt8] = []
    Array(text.utf8).withUnsafeBytes { stream.write($0) { out += $0 } }
    stream.finish { out += $0 }
    return String(decoding: out, as: UTF8.self)
}

/// A JSON string literal for `s`, as a client would send it.
private func quoted(_ s: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])
    return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
}

@Suite("StdioServer: protocol")
struct StdioProtocolTests {
    @Test("initialize answers with the client's version when supported, else the newest",
          arguments: [("2024-11-05", "2024-11-05"), ("2025-03-26", "2025-03-26"), ("2025-06-18", "2025-06-18"),
                      ("2025-11-25", "2025-11-25"), ("1999-01-01", "2025-11-25")])
    func initialize(requested: String, answered: String) throws {
        let h = try ServerHarness()
        let r = try #require(h.call(1, "initialize", #"{"protocolVersion":"\#(requested)","capabilities":{},"clientInfo":{"name":"t","version":"1"}}"#))
        #expect(r.result?["protocolVersion"] as? String == answered)
        #expect((r.result?["capabilities"] as? [String: Any])?["tools"] != nil)
        #expect((r.result?["serverInfo"] as? [String: Any])?["name"] as? String == "pii-sanitize")
        h.closeInput()
        #expect(h.waitForShutdown() != nil)
    }

    @Test("tools/list: three tools with schemas, output schemas and read-only annotations")
    func toolsList() throws {
        let h = try ServerHarness()
        let r = try #require(h.call(1, "tools/list"))
        let tools = try #require(r.result?["tools"] as? [[String: Any]])
        #expect(tools.map { $0["name"] as? String } == ["sanitize_text", "sanitize_json", "list_pii_types"])
        for tool in tools {
            let annotations = try #require(tool["annotations"] as? [String: Any])
            #expect(annotations["readOnlyHint"] as? Bool == true)
            #expect(annotations["idempotentHint"] as? Bool == true)
            #expect(annotations["destructiveHint"] as? Bool == false)
            #expect(annotations["openWorldHint"] as? Bool == false)
            #expect((tool["inputSchema"] as? [String: Any])?["type"] as? String == "object")
            #expect((tool["outputSchema"] as? [String: Any])?["type"] as? String == "object")
            #expect(((tool["description"] as? String)?.count ?? 0) > 80)
        }
        let text = try #require(tools[0]["inputSchema"] as? [String: Any])
        #expect(text["required"] as? [String] == ["text"])
        #expect(text["additionalProperties"] as? Bool == false)
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("protocol errors: parse -32700, not a request -32600, unknown method -32601, bad params -32602; serving goes on")
    func protocolErrors() throws {
        let h = try ServerHarness()
        h.send("this is not json")
        let parse = try #require(h.response(id: "null"))
        #expect(parse.errorCode == -32700)
        h.send(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}]"#)
        #expect(h.response(id: "null")?.errorCode == -32600)
        #expect(h.call(2, "resources/read")?.errorCode == -32601)
        #expect(h.call(3, "tools/call", #"{"arguments":{}}"#)?.errorCode == -32602)
        let unknown = try #require(h.callTool(4, "sanitise_text", arguments: #"{"text":"x"}"#))
        #expect(unknown.errorCode == -32602)
        #expect(unknown.errorMessage?.contains("sanitize_text") == true)
        #expect(h.call(5, "tools/call", #"{"name":"sanitize_text","arguments":"text"}"#)?.errorCode == -32602)
        #expect(h.call(6, "ping")?.result != nil)
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("a method or tool name is repeated only when MCP or this server defines it", arguments: [
        ("resources/read", nil, "Method not found: 'resources/read'"),
        ("ana@example.com", nil, "Method not found: (a name MCP does not define"),
        ("tools/call", #"{"name":"ana@example.com","arguments":{}}"#, "Unknown tool (its name is not repeated"),
        ("tools/call", #"{"name":"4111 1111 1111 1111","arguments":{"text":"x"}}"#, "Unknown tool (its name is not repeated"),
    ] as [(String, String?, String)])
    func echoedNames(method: String, params: String?, message: String) throws {
        let h = try ServerHarness()
        let r = try #require(h.call(1, method, params))
        #expect(r.errorMessage?.hasPrefix(message) == true, "\(r.errorMessage ?? "no error")")
        #expect(!r.rawText.contains("ana@example.com") && !r.rawText.contains("4111"))
        // The log line of an unknown method uses the same rendering.
        #expect(EchoedName.method("ana@example.com").contains("ana") == false)
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("string ids are echoed as sent")
    func stringID() throws {
        let h = try ServerHarness()
        h.send(#"{"jsonrpc":"2.0","id":"req-\u0041","method":"ping"}"#)
        let r = try #require(h.response(id: "\"req-A\""))
        #expect(r.rawText.contains(#""id":"req-\u0041""#))
        h.closeInput()
        _ = h.waitForShutdown()
    }
}

@Suite("StdioServer: tools")
struct StdioToolTests {
    static let sanitizer = try! Sanitizer()

    @Test("sanitize_text returns what the CLI prints, byte for byte",
          arguments: [
              "mail ana.silva@example.com or call +44 20 7946 0958",
              "data:,hello",
              "data: {\"user\":\"ana@example.com\",\"n\":1.0}\n\ndata: [DONE]\n",
              "nothing personal here: build 2.5.34.79, 12345678901234567890, 1.0",
              "quotes \" and \\ backslashes\ttabs\r\nCRLF and unicode é ✓ 🚀 \u{0001}",
              "card 4111 1111 1111 1111, SSN 536-22-1234, DB_PASSWORD=hunter2 max_tokens=4096",
              "",
          ])
    func sanitizeText(input: String) throws {
        let h = try ServerHarness()
        let r = try #require(h.callTool(1, "sanitize_text", arguments: #"{"text":\#(quoted(input))}"#))
        #expect(r.isError == false)
        let expected = cliText(input, sanitizer: Self.sanitizer)
        #expect(r.text == expected)
        #expect(r.structured?["text"] as? String == expected)
        #expect(r.counts != nil)
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("no value survives, not in the text, not in structuredContent, not as digits")
    func noLeak() throws {
        let h = try ServerHarness()
        let input = "ana.silva@example.com, +44 20 7946 0958, card 4111 1111 1111 1111, SSN 536-22-1234"
        let r = try #require(h.callTool(1, "sanitize_text", arguments: #"{"text":\#(quoted(input))}"#))
        let raw = r.rawText
        for value in ["ana.silva@example.com", "7946 0958", "4111 1111 1111 1111", "536-22-1234", "442079460958", "4111111111111111", "536221234"] {
            #expect(!raw.contains(value), "\(value.count)-character value leaked")
        }
        #expect(r.counts == ["EMAIL": 1, "PHONE": 1, "CREDIT_CARD": 1, "US_SSN": 1])
        #expect(r.structured?["total"] as? Int == 4)
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("sanitize_json keeps number literals, key order, escapes and data: strings as sent")
    func sanitizeJSONFaithful() throws {
        let h = try ServerHarness()
        let document = #"{"z":1.0,"a":12345678901234567890,"e":1e-7,"s":"data:,hello","sse":"data: {\"x\":1}","esc":"caf\u00e9","email":"ana@example.com","password":"hunter2"}"#
        let r = try #require(h.callTool(1, "sanitize_json", arguments: #"{"json":\#(document)}"#))
        #expect(r.isError == false)
        let expected = #"{"z":1.0,"a":12345678901234567890,"e":1e-7,"s":"data:,hello","sse":"data: {\"x\":1}","esc":"caf\u00e9","email":"[EMAIL]","password":"[PASSWORD]"}"#
        #expect(r.text == expected)
        // structuredContent.json is the same document, embedded as a value, bytes intact.
        #expect(r.rawText.contains(#""structuredContent":{"json":\#(expected),"#))
        #expect(r.counts == ["EMAIL": 1, "PASSWORD": 1])
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("sanitize_json accepts a string holding JSON, and any JSON value", arguments: [
        (#""{\"email\":\"ana@example.com\",\"n\":1.50}""#, #"{"email":"[EMAIL]","n":1.50}"#),
        (#"[1.0, "ana@example.com", null, true]"#, #"[1.0, "[EMAIL]", null, true]"#),
        ("12345678901234567890", "12345678901234567890"),
        (#""\"data:,hello\"""#, #""data:,hello""#),
    ])
    func sanitizeJSONForms(argument: String, expected: String) throws {
        let h = try ServerHarness()
        let r = try #require(h.callTool(1, "sanitize_json", arguments: #"{"json":\#(argument)}"#))
        #expect(r.isError == false)
        #expect(r.text == expected)
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("labels restrict, operator chooses the rewrite")
    func labelsAndOperator() throws {
        let h = try ServerHarness()
        let input = "ana@example.com +44 20 7946 0958 bob@example.org ana@example.com"
        let only = try #require(h.callTool(1, "sanitize_text", arguments: #"{"text":\#(quoted(input)),"labels":["EMAIL"]}"#))
        #expect(only.text == "[EMAIL] +44 20 7946 0958 [EMAIL] [EMAIL]")
        let numbered = try #require(h.callTool(2, "sanitize_text", arguments: #"{"text":\#(quoted(input)),"operator":"placeholder"}"#))
        #expect(numbered.text == "[EMAIL_1] [PHONE_1] [EMAIL_2] [EMAIL_1]")
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("list_pii_types lists labels and pattern ids with descriptions")
    func listTypes() throws {
        let h = try ServerHarness()
        let r = try #require(h.callTool(1, "list_pii_types", arguments: "{}"))
        let labels = try #require(r.structured?["labels"] as? [[String: Any]])
        let patterns = try #require(r.structured?["patterns"] as? [[String: Any]])
        #expect(labels.contains { $0["label"] as? String == "EMAIL" })
        #expect(patterns.contains { $0["id"] as? String == "email" })
        #expect(labels.allSatisfy { !(($0["description"] as? String) ?? "").isEmpty && !(($0["description"] as? String) ?? "\n").contains("\n") })
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("argument problems are tool errors that say how to fix the call, and never echo the value", arguments: [
        (#"{"name":"sanitize_text","arguments":{}}"#, "needs the argument `text`"),
        (#"{"name":"sanitize_text","arguments":{"text":12345678901}}"#, "must be a string"),
        (#"{"name":"sanitize_text","arguments":{"text":{"email":"ana@example.com"}}}"#, "call sanitize_json"),
        (#"{"name":"sanitize_text","arguments":{"text":"x","txt":"ana@example.com"}}"#, "does not take 1 argument(s) with other names"),
        (#"{"name":"sanitize_text","arguments":{"text":"x","json":"ana@example.com"}}"#, "does not take `json`"),
        (#"{"name":"sanitize_text","arguments":{"text":"x","ana@example.com":1}}"#, "does not take 1 argument(s) with other names"),
        (#"{"name":"sanitize_text","arguments":{"text":"x","labels":["ana@example.com"]}}"#, "not known label names"),
        (#"{"name":"sanitize_text","arguments":{"text":"x","labels":"EMAIL"}}"#, "non-empty array"),
        (#"{"name":"sanitize_text","arguments":{"text":"x","operator":"shred"}}"#, "`operator` must be one of"),
        (#"{"name":"sanitize_text","arguments":{"text":"x","operator":"hash"}}"#, "`operator` must be one of"),
        (#"{"name":"sanitize_json","arguments":{}}"#, "needs the argument `json`"),
        (#"{"name":"sanitize_json","arguments":{"json":"ana@example.com is not json"}}"#, "not a valid JSON document"),
        (#"{"name":"sanitize_json","arguments":{"json":"{\"email\":\"ana@example.com\""}}"#, "not a valid JSON document"),
    ])
    func toolErrors(params: String, message: String) throws {
        let h = try ServerHarness()
        let r = try #require(h.call(1, "tools/call", params))
        #expect(r.isError == true)
        #expect(r.text?.contains(message) == true, "\(r.text ?? "no text")")
        #expect(!r.rawText.contains("ana@example.com"))
        #expect(!r.rawText.contains("12345678901"))
        #expect(h.call(2, "ping")?.result != nil)
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("oversized input: a tool error within the message limit, a JSON-RPC error past it; serving goes on")
    func oversized() throws {
        let h = try ServerHarness(maxInputBytes: 1_000)
        let big = String(repeating: "a", count: 1_001)
        let r = try #require(h.callTool(1, "sanitize_text", arguments: #"{"text":"\#(big)"}"#))
        #expect(r.isError == true)
        #expect(r.text?.contains("limit of 1000 bytes") == true)
        // Past the message limit (6 × input limit + 1 MiB) the line is skipped unparsed.
        let huge = String(repeating: "b", count: 1_200_000)
        let e = try #require(h.callTool(2, "sanitize_text", arguments: #"{"text":"\#(huge)"}"#))
        #expect(e.errorCode == -32600)
        #expect(e.errorMessage?.contains("--max-input-bytes") == true)
        #expect(h.call(3, "ping")?.result != nil)
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("the same responses whatever the size of the server's reads", arguments: [1, 7, 64, 1 << 20])
    func readBlockSize(bytes: Int) throws {
        let h = try ServerHarness(maxInputBytes: 100, readBlockBytes: bytes)
        let session = [
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"sanitize_text","arguments":{"text":"mail ana@example.com"}}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sanitize_json","arguments":{"json":{"password":"x","n":1.50}}}}"#,
            #"{"jsonrpc":"2.0","id":3,"#,  // cut short: a parse error, and the next line is read as usual
            #"{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"sanitize_text","arguments":{"text":"\#(String(repeating: "a", count: 101))"}}}"#,
            #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"sanitize_text","arguments":{"text":"\#(String(repeating: "b", count: 2_000))"}}}"#,
            #"{"jsonrpc":"2.0","id":6,"method":"ping"}"#,
        ]
        h.send(bytes: Array(session.joined(separator: "\n").utf8))
        h.closeInput()
        let responses = try #require(h.waitForShutdown())
        let byID = Dictionary(responses.map { ($0.idJSON, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byID["1"]?.text == "mail [EMAIL]")
        #expect(byID["2"]?.text == #"{"password":"[PASSWORD]","n":1.50}"#)
        #expect(byID["null"]?.errorCode == -32700)
        #expect(byID["4"]?.isError == true)
        #expect(byID["5"]?.isError == true, "over the input limit, within the message limit")
        #expect(byID["6"]?.result != nil)
        #expect(responses.count == 6)
    }
}

@Suite("StdioServer: load, cancellation, shutdown")
struct StdioLoadTests {
    /// About `megabytes` MB of log lines with PII in each.
    static func bigText(megabytes: Int) -> String {
        let line = "2026-03-14T09:12:44Z INFO user=ana.silva@example.com ip=203.0.113.42 card 4111 1111 1111 1111 ok\n"
        return String(repeating: line, count: megabytes * 1_000_000 / line.utf8.count)
    }

    @Test("ping is answered while a heavy call runs")
    func pingDuringHeavyCall() throws {
        let h = try ServerHarness()
        h.send(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"sanitize_text","arguments":{"text":\#(quoted(Self.bigText(megabytes: 5)))}}}"#)
        h.send(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#)
        h.send(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"sanitize_text","arguments":{"text":"ana@example.com"}}}"#)
        let ping = try #require(h.response(id: "2"))
        #expect(ping.result != nil)
        // The small call is not stuck behind the heavy one.
        #expect(h.response(id: "3")?.text == "[EMAIL]")
        // Generous: under ThreadSanitizer the 5 MB call takes minutes; normally about a second.
        let heavy = try #require(h.response(id: "1", timeout: 900))
        #expect(heavy.isError == false)
        #expect(!(heavy.text ?? "ana.silva@example.com").contains("ana.silva@example.com"))
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("a cancelled call gets no response; the server goes on")
    func cancellation() throws {
        let h = try ServerHarness()
        h.send(#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"sanitize_text","arguments":{"text":\#(quoted(Self.bigText(megabytes: 6)))}}}"#)
        h.send(#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"test"}}"#)
        #expect(h.call(8, "ping")?.result != nil)
        h.closeInput()
        let rest = try #require(h.waitForShutdown(timeout: 600))
        #expect(!rest.contains { $0.idJSON == "7" })
    }

    @Test("50 concurrent calls all answer correctly")
    func concurrentCalls() throws {
        let h = try ServerHarness()
        for i in 0..<50 {
            h.send(#"{"jsonrpc":"2.0","id":\#(i),"method":"tools/call","params":{"name":"sanitize_text","arguments":{"text":"call \#(i): user\#(i)@example.com"}}}"#)
        }
        for i in 0..<50 {
            #expect(h.response(id: String(i))?.text == "call \(i): [EMAIL]")
        }
        h.closeInput()
        _ = h.waitForShutdown()
    }

    @Test("closing stdin: in-flight answers are written, then run returns")
    func shutdown() throws {
        let h = try ServerHarness()
        h.send(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"sanitize_text","arguments":{"text":\#(quoted(Self.bigText(megabytes: 1)))}}}"#)
        h.send(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"sanitize_json","arguments":{"json":{"n":1.0}}}}"#)
        h.closeInput()
        let rest = try #require(h.waitForShutdown(timeout: 600))
        #expect(Set(rest.map(\.idJSON)) == ["1", "2"])
        #expect(rest.allSatisfy { $0.isError == false })
    }
}
