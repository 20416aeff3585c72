import ArgumentParser
import PIISanitizer

/// `pii-sanitize scan [FILE…]` (alias `check`): reports findings without printing any value, and
/// exits 1 when anything is found, so it can gate CI or a commit hook.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Report PII and secrets (label, pattern, location; never the value); exit 1 when any is found.",
        discussion: """
            Locations are FILE:LINE:COLUMN for text and FILE:LINE plus a JSON Pointer for JSON.
            Exit status: 0 nothing found, 1 findings, 64/65/66/74/78 as for sanitizing.
            """,
        aliases: ["check"]
    )

    enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, sarif
    }

    @Argument(help: ArgumentHelp("Input files; '-' or none for stdin.", valueName: "file"))
    var files: [String] = []

    @Option(name: .long, help: "Input format: auto, text, json, ndjson.")
    var format: SanitizeCommand.Format = .auto

    @Option(name: .long, help: "Report format: text, json, sarif (SARIF 2.1.0).")
    var reportFormat: ReportFormat = .text

    @OptionGroup var patternOptions: PatternOptions

    func run() throws {
        let sanitizer = try patternOptions.makeSanitizer()
        var report = ScanReport()
        var status: ExitCode?
        for path in files.isEmpty ? ["-"] : files {
            let name = path == "-" ? "stdin" : path
            let collector = Collector()
            var processor: StreamProcessor?
            do {
                try StreamProcessor.feed(path: path, format: format, into: &processor, make: { head, forced in
                    var p = StreamProcessor(format: forced ?? InputFormat.detect(head, sanitizer: sanitizer), sanitizer: sanitizer,
                                            onInvalid: .text, name: "'\(name)'")
                    p.onFinding = { collector.findings.append($0) }
                    return p
                }, emit: { _ in })
            } catch let error as InputError {
                diagnose("cannot read '\(name)': \(error.reason)")
                status = status ?? (error.atOpen ? ExitStatus.noInput : ExitStatus.ioError)
            } catch let error as SanitizerError {
                diagnose("'\(name)': \(error)")
                status = status ?? error.exitCode
            }
            report.add(file: name, findings: collector.findings)
        }
        let rendered: String = switch reportFormat {
        case .text: report.text()
        case .json: report.json()
        case .sarif: report.sarif(rules: sanitizer.patternDescriptions)
        }
        guard writeAll(1, Array(rendered.utf8)) else { throw ExitStatus.ioError }
        if let status { throw status }
        if !report.isEmpty { throw ExitStatus.examplesFailed }
    }
}

/// Collects findings from the streams' callbacks.
final class Collector {
    var findings: [Finding] = []
}
