import ArgumentParser
import PIISanitizer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Flags that choose the pattern set and operator, shared by the subcommands.
struct PatternOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A pattern file; it may extend the built-in set.", valueName: "file"))
    var patterns: String?

    @Option(name: .long, help: ArgumentHelp("Redact only these labels (comma-separated, e.g. EMAIL,PHONE).", valueName: "labels"))
    var only: [String] = []

    @Option(name: .long, help: ArgumentHelp("Turn off these pattern ids (comma-separated).", valueName: "ids"))
    var disable: [String] = []

    @Option(name: .long, help: ArgumentHelp("One operator for every finding: replace, mask, hash, placeholder, remove.", valueName: "operator"))
    var `operator`: String?

    @Option(name: .long, help: ArgumentHelp("File holding the key for the hash operator (else $PII_SANITIZE_HASH_KEY).", valueName: "file"))
    var hashKeyFile: String?

    @Flag(name: .long, help: .hidden)
    var noJit = false

    func validate() throws {
        if let op = `operator`, RedactionOperator(name: op) == nil {
            throw ValidationError("unknown operator '\(op)' (replace, mask, hash, placeholder, remove)")
        }
    }

    private static func list(_ values: [String]) -> Set<String> {
        // Labels and ids never contain spaces, so dropping them all is the same as trimming.
        Set(values.flatMap { $0.split(separator: ",") }.map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty })
    }

    /// Builds the sanitizer, or prints why not and exits with the fitting status.
    func makeSanitizer() throws -> Sanitizer {
        try makeSanitizer(options: try sanitizerOptions())
    }

    /// Builds the sanitizer from `options` (made by `sanitizerOptions()` and adjusted).
    func makeSanitizer(options: Sanitizer.Options) throws -> Sanitizer {
        try Self.build(patternFile: patterns, options: options)
    }

    /// The library options these flags choose.
    func sanitizerOptions() throws -> Sanitizer.Options {
        var options = Sanitizer.Options(useJIT: !noJit)
        let labels = Self.list(only)
        options.onlyLabels = labels.isEmpty ? nil : Set(labels.map { $0.uppercased() })
        options.disabledPatterns = Self.list(disable)
        options.operatorOverride = `operator`.flatMap(RedactionOperator.init(name:))
        options.hashKey = try loadHashKey()
        return options
    }

    /// Builds a sanitizer from an optional pattern file, or prints why not and exits.
    static func build(patternFile: String?, options: Sanitizer.Options = Sanitizer.Options()) throws -> Sanitizer {
        do {
            if let patternFile { return try Sanitizer(patternFile: patternFile, options: options) }
            return try Sanitizer(options: options)
        } catch {
            diagnose(error.description)
            throw error.exitCode
        }
    }

    private func loadHashKey() throws -> HashKey? {
        var bytes: [UInt8]
        if let hashKeyFile {
            var data: [UInt8] = []
            do {
                try forEachBlock(of: hashKeyFile) { data.append(contentsOf: $0) }
            } catch let error as InputError {
                diagnose("cannot read hash key file '\(hashKeyFile)': \(error.reason)")
                throw ExitStatus.noInput
            }
            bytes = data
        } else if let env = getenv("PII_SANITIZE_HASH_KEY") {
            bytes = Array(String(cString: env).utf8)
        } else {
            return nil
        }
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        guard let key = HashKey(bytes: bytes) else {
            diagnose("the hash key must be at least 16 bytes")
            throw ExitStatus.config
        }
        return key
    }
}
