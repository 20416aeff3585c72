import ArgumentParser
import PIISanitizer

/// `pii-sanitize patterns list|test|validate`.
///
/// Every command names itself: a name ArgumentParser derives from the type demangles it, which cost
/// a tenth of the CLI's start-up (4 M instructions), whatever the subcommand run.
struct PatternsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "List, test and validate pattern files.",
        subcommands: [List.self, Test.self, Validate.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the patterns of the built-in set or of --patterns FILE.")
        @OptionGroup var patternOptions: PatternOptions

        func run() throws {
            let sanitizer = try patternOptions.makeSanitizer()
            var lines = ["ID\tLABEL\tCATEGORY\tENABLED\tKEYWORDS"]
            for p in sanitizer.patternDescriptions {
                lines.append("\(p.id)\t\(p.label)\t\(p.category)\t\(p.enabled ? "yes" : "no")\t\(p.keywords.joined(separator: ","))")
            }
            writeAll(1, Array((lines.joined(separator: "\n") + "\n").utf8))
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "test",
            abstract: "Run a pattern file's embedded examples (the built-in set without FILE).",
            discussion: "Exits 1 and names each failing pattern and example when any example fails."
        )
        @Argument(help: ArgumentHelp("The pattern file to test.", valueName: "file"))
        var file: String?

        func run() throws {
            let sanitizer = try PatternOptions.build(patternFile: file)
            let failures = sanitizer.runExamples()
            for failure in failures { diagnose("FAIL \(failure)") }
            let patterns = sanitizer.patternDescriptions.filter(\.enabled).count
            if failures.isEmpty {
                writeAll(1, Array("\(patterns) patterns: all examples passed\n".utf8))
            } else {
                diagnose("\(failures.count) example(s) failed in \(Set(failures.map(\.patternID)).count) pattern(s)")
                throw ExitStatus.examplesFailed
            }
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "validate", abstract: "Check that a pattern file loads and every regex compiles.")
        @Argument(help: ArgumentHelp("The pattern file to check.", valueName: "file"))
        var file: String

        func run() throws {
            let sanitizer = try PatternOptions.build(patternFile: file)
            writeAll(1, Array("\(file): valid, \(sanitizer.patternDescriptions.count) patterns\n".utf8))
        }
    }
}
