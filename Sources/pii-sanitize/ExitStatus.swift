import ArgumentParser
import PIISanitizer

/// sysexits(3) codes the CLI uses.
enum ExitStatus {
    static let usage = ExitCode(64)
    static let dataError = ExitCode(65)
    static let noInput = ExitCode(66)
    static let ioError = ExitCode(74)
    static let config = ExitCode(78)
    /// `patterns test` found failing examples.
    static let examplesFailed = ExitCode(1)
}

/// Prints a diagnostic to stderr. Messages name files, labels and positions, never input content.
func diagnose(_ message: String) {
    writeAll(2, Array("pii-sanitize: \(message)\n".utf8))
}

extension SanitizerError {
    /// The exit status that fits the error.
    var exitCode: ExitCode {
        switch self {
        case .unreadablePatternFile: ExitStatus.noInput
        case .patternFileSyntax, .invalidPatternFile, .missingHashKey: ExitStatus.config
        case .unknownSelection: ExitStatus.usage
        case .invalidJSON, .jsonTooDeep: ExitStatus.dataError
        }
    }
}
