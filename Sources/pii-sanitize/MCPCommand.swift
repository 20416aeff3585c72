import ArgumentParser
import Logging
import PIISanitizer
import PIISanitizerMCPCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `pii-sanitize mcp`: serves the sanitizer as MCP tools over stdio until stdin closes.
struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve MCP over stdio: tools sanitize_text, sanitize_json, list_pii_types.",
        discussion: """
            JSON-RPC 2.0, one message per line, protocol versions 2024-11-05 to 2025-11-25. stdout carries
            only JSON-RPC; logs, with one audit line per call (tool, input size, duration, counts per label,
            outcome; never a value), go to stderr. Closing stdin ends the server after in-flight answers.

            Client configuration (Claude Desktop, Claude Code, Cursor, VS Code):
              {"command": "pii-sanitize", "args": ["mcp"]}
            """
    )

    @Option(name: .long, help: ArgumentHelp("Log level on stderr: trace, debug, info, notice, warning, error, critical.", valueName: "level"))
    var logLevel: String = "info"

    @Option(name: .long, help: ArgumentHelp("Largest text or JSON input accepted per call, in bytes.", valueName: "bytes"))
    var maxInputBytes: Int = SanitizerTools.defaultMaxInputBytes

    @OptionGroup var patternOptions: PatternOptions

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown log level '\(logLevel)' (trace, debug, info, notice, warning, error, critical)")
        }
        guard maxInputBytes >= 1 else { throw ValidationError("--max-input-bytes must be at least 1") }
    }

    func run() throws {
        let level = Logger.Level(rawValue: logLevel)!
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let tools: SanitizerTools
        do {
            tools = try SanitizerTools(patternFile: patternOptions.patterns, options: try patternOptions.sanitizerOptions(),
                                       maxInputBytes: maxInputBytes)
        } catch let error as SanitizerError {
            diagnose(error.description)
            throw error.exitCode
        }
        // A client that goes away mid-answer must not kill the server with SIGPIPE; the write
        // fails instead and the server stops writing.
        signal(SIGPIPE, SIG_IGN)
        StdioServer(tools: tools, logger: Logger(label: "pii-sanitize.mcp")).run()
    }
}
