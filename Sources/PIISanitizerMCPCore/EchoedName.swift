/// How a name the client sent — a method, a tool, an argument — may appear in an error message or
/// the log.
///
/// A name is client input like any other: a model may put a value where a name belongs
/// (`"method": "ana@example.com"`, an argument named after a card number). So a name is repeated
/// only when this server or the MCP specification defines it, and otherwise described, never
/// quoted (fail closed: a name we do not know is treated as data).
package enum EchoedName {
    /// Request methods of the MCP specification, 2024-11-05 to 2025-11-25, in both directions (a
    /// client may send a server→client method by mistake). Safe to repeat: we spell them here.
    static let mcpMethods: Set<String> = [
        "initialize", "ping", "tools/list", "tools/call",
        "resources/list", "resources/templates/list", "resources/read", "resources/subscribe", "resources/unsubscribe",
        "prompts/list", "prompts/get", "logging/setLevel", "completion/complete",
        "tasks/get", "tasks/result", "tasks/list", "tasks/cancel",
        "sampling/createMessage", "roots/list", "elicitation/create",
    ]

    /// Every argument name of every tool: safe to repeat (`sanitize_text does not take `json``).
    static let argumentNames: Set<String> = Set(ToolName.allCases.flatMap(\.argumentNames))

    /// A method this server does not handle, for the -32601 message and the log.
    static func method(_ name: String) -> String {
        mcpMethods.contains(name) ? "'\(name)'" : "(a name MCP does not define; not repeated, as it may hold input)"
    }

    /// The unknown argument names of one call: those a tool of ours defines by name, the others
    /// only counted.
    static func arguments(_ names: [String]) -> String {
        var shown = names.filter(argumentNames.contains).map { "`\($0)`" }
        let others = names.count - shown.count
        if others > 0 {
            shown.append("\(others) argument(s) with other names (not repeated, as they may hold input)")
        }
        return shown.joined(separator: ", ")
    }

    /// An unknown tool: the name is never repeated (every name we could echo safely is one of our tools).
    package static let unknownTool = "Unknown tool (its name is not repeated, as it may hold input)"
}
