import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the built `pii-sanitize` executable with pipes, the way a shell would.
enum CLI {
    /// The executable next to the test products (swift-argument-parser's tests find theirs the same
    /// way); `#filePath` plus the usual scratch paths is the fallback.
    static let executable: URL = {
        var directories: [URL] = []
        let bundle = Bundle.main.bundleURL
        // Linux: the bundle URL is the products directory; macOS: it is the .xctest bundle inside it.
        directories += [bundle, bundle.deletingLastPathComponent()]
        if let first = CommandLine.arguments.first {
            directories.append(URL(fileURLWithPath: first).deletingLastPathComponent())
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        directories += [".build-tests/debug", ".build/debug"].map { root.appendingPathComponent($0) }
        for directory in directories {
            let candidate = directory.appendingPathComponent("pii-sanitize")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        fatalError("pii-sanitize not found in \(directories.map(\.path))")
    }()

    /// What one run produced.
    struct Result: Sendable {
        let status: Int32
        let stdout: [UInt8]
        let stderr: [UInt8]
        var out: String { String(decoding: stdout, as: UTF8.self) }
        var err: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Collects one pipe's bytes on its own thread.
    private final class Sink: @unchecked Sendable {
        // Safety: `data` is written once by the reading thread and read only after `done` is signalled.
        var data = Data()
    }

    /// Runs `pii-sanitize arguments…` with `stdin` piped in; stdout and stderr are read concurrently so
    /// that large inputs and outputs never deadlock on a full pipe.
    static func run(_ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:], in directory: String? = nil) throws -> Result {
        signal(SIGPIPE, SIG_IGN)  // a child that exits early (usage errors) must not kill the test runner
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["PII_SANITIZE_HASH_KEY"] = nil
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()

        let out = Sink(), err = Sink()
        let done = DispatchSemaphore(value: 0)
        let outReader = output.fileHandleForReading, errReader = errors.fileHandleForReading
        let writer = input.fileHandleForWriting
        let bytes = Data(stdin)
        Thread.detachNewThread { out.data = outReader.readDataToEndOfFile(); done.signal() }
        Thread.detachNewThread { err.data = errReader.readDataToEndOfFile(); done.signal() }
        Thread.detachNewThread {
            try? writer.write(contentsOf: bytes)  // EPIPE when the child did not read: fine
            try? writer.close()
            done.signal()
        }
        for _ in 0..<3 { done.wait() }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: Array(out.data), stderr: Array(err.data))
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("pii-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Writes `bytes` to `name` in a fresh temporary directory and returns the path.
    static func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = try temporaryDirectory() + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func file(_ name: String, _ text: String) throws -> String { try file(name, Array(text.utf8)) }
}
