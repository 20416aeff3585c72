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

    @Option(name: .long, help: "Input format: auto (detect JSON, NDJSON or text), text, json, ndjson.")
    var format: Format = .auto

    @Option(name: .long, help: ArgumentHelp("NDJSON lines that are not JSON: text (sanitize as text), skip, fail.", valueName: "policy"))
    var onInvalid: NDJSONStream.InvalidLinePolicy = .text

    @Option(name: .long, help: ArgumentHelp("Deepest JSON nesting accepted.", valueName: "levels"))
    var maxDepth: Int = 1_000

    @Option(name: .long, help: ArgumentHelp("Threads that rewrite text or NDJSON at once (default: the processors available, at most 4); the output is the same for any number.", valueName: "n"))
    var threads: Int = min(4, onlineProcessors())

    @OptionGroup var patternOptions: PatternOptions

    @Flag(name: .long, help: "Print the number of findings per label to stderr.")
    var stats = false

    func validate() throws {
        guard maxDepth >= 1 else { throw ValidationError("--max-depth must be at least 1") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    func run() throws {
        var options = try patternOptions.sanitizerOptions()
        options.maxJSONDepth = maxDepth
        let sanitizer = try patternOptions.makeSanitizer(options: options)
        var status: ExitCode?
        var counts: [String: Int] = [:]
        var failedClosed: [String: Int] = [:]
        for path in files.isEmpty ? ["-"] : files {
            let name = path == "-" ? "stdin" : "'\(path)'"
            // Each file is one input: placeholder numbering restarts, counts add up.
            var processor: StreamProcessor?
            do {
                try StreamProcessor.feed(path: path, format: format, into: &processor, make: { head, forced in
                    StreamProcessor(format: forced ?? InputFormat.detect(head, sanitizer: sanitizer), sanitizer: sanitizer,
                                    onInvalid: onInvalid, name: name, threads: threads)
                }, emit: { bytes in
                    guard writeAll(1, bytes) else { throw OutputError() }
                })
            } catch let error as InputError {
                diagnose("cannot read \(name): \(error.reason)")
                status = status ?? (error.atOpen ? ExitStatus.noInput : ExitStatus.ioError)
            } catch is OutputError {
                diagnose("cannot write to stdout")
                throw ExitStatus.ioError
            } catch let error as SanitizerError {
                // Invalid JSON: what was already written is sanitized; nothing after the error is.
                diagnose("\(name): \(error)")
                status = status ?? error.exitCode
            }
            for (label, n) in processor?.counts ?? [:] { counts[label, default: 0] += n }
            for (id, n) in processor?.failedClosed ?? [:] { failedClosed[id, default: 0] += n }
        }
        if stats { printStats(counts, failedClosed: failedClosed) }
        if let status { throw status }
    }

    private func printStats(_ counts: [String: Int], failedClosed: [String: Int]) {
        let total = counts.values.reduce(0, +)
        var lines = ["pii-sanitize: \(total) redacted"]
        for (label, n) in counts.sorted(by: { $0.key < $1.key }) { lines.append("  \(label)\t\(n)") }
        if !failedClosed.isEmpty {
            let byPattern = failedClosed.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("  redacted whole because a pattern hit its match limit (fail closed): \(byPattern)")
        }
        writeAll(2, Array((lines.joined(separator: "\n") + "\n").utf8))
    }
}
