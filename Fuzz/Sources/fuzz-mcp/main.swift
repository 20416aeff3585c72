import Foundation
import Logging
import FuzzDriver
import PIISanitizer
import PIISanitizerInvariants
import PIISanitizerMCP

// Input: the bytes a client writes to `pii-sanitize mcp`, message lines or not. After them come
// requests carrying the planted values (as tool input, as an unknown method and as an unknown
// tool name). The server runs over the whole input through its real stdio loop (files stand in
// for the pipes); every line it writes must be valid JSON, and no planted copy may reach its
// output or its log (copies the fuzzer wrote itself are its own, and may be echoed when they are
// not PII in their context).
private let tools = try! SanitizerTools(options: Invariants.oracleOptions, maxInputBytes: 1 << 20)

private let plantedRequests: [UInt8] = {
    let text = Invariants.plantedValues.joined(separator: "\\n")
    let email = Invariants.plantedValues[0]
    return Array("""

        {"jsonrpc":"2.0","id":"planted-1","method":"tools/call","params":{"name":"sanitize_text","arguments":{"text":"\(text)"}}}
        {"jsonrpc":"2.0","id":"planted-2","method":"tools/call","params":{"name":"sanitize_json","arguments":{"json":{"note":"\(text)","password":"\(email)"}}}}
        {"jsonrpc":"2.0","id":"planted-3","method":"\(email)"}
        {"jsonrpc":"2.0","id":"planted-4","method":"tools/call","params":{"name":"\(email)","arguments":{}}}

        """.utf8)
}()

/// Keeps every log line the server writes (message and metadata), to search them.
private final class CapturedLog: @unchecked Sendable {
    // Safety: `text` is only touched while `lock` is held.
    private let lock = NSLock()
    private var text: [UInt8] = []
    func append(_ line: String) { lock.withLock { text += Array(line.utf8) + [0x0A] } }
    func take() -> [UInt8] { lock.withLock { defer { text = [] }; return text } }
}

private struct CapturingHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        var line = "\(event.level) \(event.message)"
        for (key, value) in (event.metadata ?? [:]).merging(metadata, uniquingKeysWith: { a, _ in a }) { line += " \(key)=\(value)" }
        log.append(line)
    }
}

private let captured = CapturedLog()

/// A temporary file (unlinked at once) holding `bytes`, positioned at its start.
private func file(holding bytes: [UInt8]) -> Int32 {
    guard let handle = tmpfile() else { fatalError("tmpfile failed") }
    let fd = dup(fileno(handle))
    fclose(handle)
    var written = 0
    while written < bytes.count {
        let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { fatalError("write failed") }
        written += n
    }
    lseek(fd, 0, SEEK_SET)
    return fd
}

private func contents(of fd: Int32) -> [UInt8] {
    lseek(fd, 0, SEEK_SET)
    var out: [UInt8] = []
    var block = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        out += block[..<n]
    }
    return out
}

func fuzzMCP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let client = Array(UnsafeBufferPointer(start: data, count: size))
    let input = file(holding: client + plantedRequests)
    let output = file(holding: [])
    defer { close(input); close(output) }
    let logger = Logger(label: "fuzz-mcp") { _ in CapturingHandler(log: captured) }
    StdioServer(tools: tools, logger: logger).run(input: input, output: output)
    let written = contents(of: output)
    let log = captured.take()
    do {
        for line in written.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() where !JSONGrammar.isValid(line) {
            throw Invariants.Violation(invariant: "valid JSON-RPC output", detail: "a response line of \(line.count) bytes is not valid JSON")
        }
        if written.last != 0x0A && !written.isEmpty {
            throw Invariants.Violation(invariant: "valid JSON-RPC output", detail: "output does not end with a newline")
        }
        try Invariants.checkAbsent(Invariants.plantedValues, in: written, notIn: client, channel: "server output")
        try Invariants.checkAbsent(Invariants.plantedValues, in: log, notIn: client, channel: "server log")
    } catch {
        fatalError("\(error)")
    }
    return 0
}

runFuzzer { fuzzMCP($0, $1) }
