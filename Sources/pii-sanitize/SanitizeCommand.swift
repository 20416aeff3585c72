import ArgumentParser
import PIISanitizer

/// `pii-sanitize [FILE…]`: the filter. Reads files or stdin, writes the sanitized stream to stdout.
struct SanitizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sanitize",
        abstract: "Sanitize files or stdin to stdout (the default command)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case auto, text, json, ndjson
    }

    @Argument(help: ArgumentHelp("Input files; '-' or none for stdin.", valueName: "file"))
    var files: [String] = []

    @Option(name: .long, help: "Input format: auto, text, json, ndjson.")
    var format: Format = .auto

    @OptionGroup var patternOptions: PatternOptions

    @Flag(name: .long, help: "Print the number of findings per label to stderr.")
    var stats = false

    func run() throws {
        let sanitizer = try patternOptions.makeSanitizer()
        var status: ExitCode?
        var counts: [String: Int] = [:]
        var limitHits = 0
        for path in files.isEmpty ? ["-"] : files {
            // Each file is one input: placeholder numbering restarts, counts add up.
            var stream = TextStream(sanitizer: sanitizer)
            let name = path == "-" ? "stdin" : "'\(path)'"
            do {
                try forEachBlock(of: path) { block in
                    try stream.write(block) { guard writeAll(1, $0) else { throw OutputError() } }
                }
                try stream.finish { guard writeAll(1, $0) else { throw OutputError() } }
            } catch let error as InputError {
                // What was read before the failure has been sanitized and written; say where it stopped.
                stream.finish { _ = writeAll(1, $0) }
                diagnose("cannot read \(name): \(error.reason)")
                status = status ?? (error.atOpen ? ExitStatus.noInput : ExitStatus.ioError)
            } catch is OutputError {
                diagnose("cannot write to stdout")
                throw ExitStatus.ioError
            }
            for (label, n) in stream.counts { counts[label, default: 0] += n }
            limitHits += stream.limitHits
        }
        if stats { printStats(counts, limitHits: limitHits) }
        if let status { throw status }
    }

    private func printStats(_ counts: [String: Int], limitHits: Int) {
        let total = counts.values.reduce(0, +)
        var lines = ["pii-sanitize: \(total) redacted"]
        for (label, n) in counts.sorted(by: { $0.key < $1.key }) { lines.append("  \(label)\t\(n)") }
        if limitHits > 0 { lines.append("  (\(limitHits) redacted whole: a pattern hit its match limit)") }
        writeAll(2, Array((lines.joined(separator: "\n") + "\n").utf8))
    }
}
