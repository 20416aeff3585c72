import ArgumentParser

/// The front door: lists the subcommands; each validates its flags and calls the library.
@main
struct PIISanitizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pii-sanitize",
        abstract: "Redact PII and secrets from text, logs and JSON without touching anything else.",
        discussion: """
            Examples:
              pii-sanitize < app.log > app.clean.log
              pii-sanitize --operator placeholder --stats chat.txt
              pii-sanitize --only EMAIL,PHONE --disable ipv4 access.log
              pii-sanitize scan --report-format sarif logs/*.json > findings.sarif
              pii-sanitize patterns list
              pii-sanitize patterns test my-patterns.json
              pii-sanitize mcp                    (MCP server on stdio)

            Exit status: 0 success, 64 bad usage, 65 bad input data, 66 unreadable input,
            74 I/O error, 78 bad pattern file or configuration.
            """,
        version: "0.1.0",
        subcommands: [SanitizeCommand.self, ScanCommand.self, PatternsCommand.self, MCPCommand.self],
        defaultSubcommand: SanitizeCommand.self
    )
}
