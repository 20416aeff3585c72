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

    @OptionGroup var patternOptions: PatternOptions

    @Flag(name: .long, help: "Print the number of findings per label to stderr.")
    var stats = false

    func validate() throws {
        guard maxDepth >= 1 else { throw ValidationError("--max-depth must be at least 1") }
    }

    func run() throws {
        var options = try patternOptions.sanitizerOptions()
        options.maxJSONDepth = maxDepth
        let sanitizer = try patternOptions.makeSanitizer(options: options)
        var status: ExitCode?
        var counts: [String: Int] = [:]
        for path in files.isEmpty ? ["-"] : files {
            let name = path == "-" ? "stdin" : "'\(path)'"
            // Each file is one input: placeholder numbering restarts, counts add up.
            var processor: StreamProcessor?
            var head: [UInt8] = []
            func emit(_ bytes: [UInt8]) throws { guard writeAll(1, bytes) else { throw OutputError() } }
            do {
                try forEachBlock(of: path) { block in
                    if processor == nil {
                        // Auto-detection looks at the first line (up to 16 MiB) before choosing.
                        head.append(contentsOf: block)
                        guard format != .auto || head.contains(UInt8(ascii: "\n")) || head.count >= 16 << 20 else { return }
                        processor = makeProcessor(head, sanitizer: sanitizer, name: name)
                        try head.withUnsafeBytes { try processor!.write($0, emit: emit) }
                        head = []
                        return
                    }
                    try processor!.write(block, emit: emit)
                }
                if processor == nil { processor = makeProcessor(head, sanitizer: sanitizer, name: name) ; try head.withUnsafeBytes { try processor!.write($0, emit: emit) } }
                try processor!.finish(emit: emit)
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
        }
        if stats { printStats(counts) }
        if let status { throw status }
    }

    private func makeProcessor(_ head: [UInt8], sanitizer: Sanitizer, name: String) -> StreamProcessor {
        let chosen: InputFormat = switch format {
        case .auto: InputFormat.detect(head, sanitizer: sanitizer)
        case .text: .text
        case .json: .json
        case .ndjson: .ndjson
        }
        return StreamProcessor(format: chosen, sanitizer: sanitizer, onInvalid: onInvalid, name: name)
    }

    private func printStats(_ counts: [String: Int]) {
        let total = counts.values.reduce(0, +)
        var lines = ["pii-sanitize: \(total) redacted"]
        for (label, n) in counts.sorted(by: { $0.key < $1.key }) { lines.append("  \(label)\t\(n)") }
        writeAll(2, Array((lines.joined(separator: "\n") + "\n").utf8))
    }
}
