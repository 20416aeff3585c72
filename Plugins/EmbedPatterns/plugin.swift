import PackagePlugin

/// Runs `embed-patterns` on `patterns/default.json` so the built-in set is compiled into the library.
@main
struct EmbedPatterns: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let input = context.package.directoryURL.appending(path: "patterns/default.json")
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltinPatternFile.swift")
        return [
            .buildCommand(
                displayName: "Embedding patterns/default.json",
                executable: try context.tool(named: "embed-patterns").url,
                arguments: [input.path(), output.path()],
                inputFiles: [input],
                outputFiles: [output]
            )
        ]
    }
}
