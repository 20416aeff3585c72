import Foundation
import Logging
import FuzzDriver
import PIISanitizer
import PIISanitizerInvariants
import PIISanitizerMCP

// Input: the bytes a client writes to `pii-sanitize mcp`, message lines or not. After them come
// requests carrying the planted values (as tool input, as an unknown method and as an unknown
// tool name). The server runs over the whole input through its real stdio loop (files stand in
// for the pipes). Every line it writes must be valid JSON; no answer to a planted request may
// hold a planted value; the log may hold no more copies of one than the client wrote itself.
//
// The client's own requests may echo planted values when their context makes them no PII (a
// call restricted to `labels: ["EMAIL"]` keeps an IBAN, in both `content` and
// `structuredContent`), so the planted requests carry ids derived from the whole input, which
// the fuzzer cannot write ahead of time, and only their answers are held to absence.
private let tools = try! SanitizerTools(options: Invariants.oracleOptions, maxInputBytes: 1 << 20)

/// The planted requests; their ids are `"planted-<tag>-1"` … `"planted-<tag>-4"`.
private func plantedRequests(tag: String) -> [UInt8] {
    let text = Invariants.plantedValues.joined(separator: "\\n")
    let email = Invariants.plantedValues[0]
    return Array("""

        {"jsonrpc":"2.0","id":"planted-\(tag)-1","method":"tools/call","params":{"name":"sanitize_text","arguments":{"text":"\(text)"}}}
        {"jsonrpc":"2.0","id":"planted-\(tag)-2","method":"tools/call","params":{"name":"sanitize_json","arguments":{"json":{"note":"\(text)","password":"\(email)"}}}}
        {"jsonrpc":"2.0","id":"planted-\(tag)-3","method":"\(email)"}
        {"jsonrpc":"2.0","id":"planted-\(tag)-4","method":"tools/call","params":{"name":"\(email)","arguments":{}}}

        """.utf8)
}

/// FNV-1a of `bytes`, in hex: a tag no input can contain for itself.
private func tag(of bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return String(hash, radix: 16)
}

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

/// An in-memory file holding `bytes`, positioned at its start.
private func file(holding bytes: [UInt8]) -> Int32 {
    let fd = memoryFile()
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
    let size = Int(lseek(fd, 0, SEEK_END))
    lseek(fd, 0, SEEK_SET)
    var out = [UInt8](repeating: 0, count: size)
    var done = 0
    while done < size {
        let n = out[done...].withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { fatalError("read failed") }
        done += n
    }
    return out
}

func fuzzMCP(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let client = Array(UnsafeBufferPointer(start: data, count: size))
    let runTag = tag(of: client)
    let plantedPrefix = Array(#"{"jsonrpc":"2.0","id":"planted-\#(runTag)-"#.utf8)
    let input = file(holding: client + plantedRequests(tag: runTag))
    let output = file(holding: [])
    defer { close(input); close(output) }
    let logger = Logger(label: "fuzz-mcp") { _ in CapturingHandler(log: captured) }
    // Reads of 127 bytes, not the CLI's 1 MiB: most messages then cross a read boundary.
    StdioServer(tools: tools, logger: logger, readBlockBytes: 127).run(input: input, output: output)
    let written = contents(of: output)
    let log = captured.take()
    do {
        var answered = 0
        for line in written.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
            guard JSONGrammar.isValid(line) else {
                throw Invariants.Violation(invariant: "valid JSON-RPC output", detail: "a response line of \(line.count) bytes is not valid JSON")
            }
            if line.starts(with: plantedPrefix) {
                answered += 1
                try Invariants.checkAbsent(Invariants.plantedValues, in: Array(line), notIn: [], channel: "answer to a planted request")
            }
        }
        if written.last != 0x0A && !written.isEmpty {
            throw Invariants.Violation(invariant: "valid JSON-RPC output", detail: "output does not end with a newline")
        }
        // The planted requests start on a line of their own and carry ids no client line can
        // cancel or repeat, so each must be answered.
        guard answered == 4 else {
            throw Invariants.Violation(invariant: "every request answered", detail: "\(answered) of the 4 planted requests answered")
        }
        try Invariants.checkAbsent(Invariants.plantedValues, in: log, notIn: client, channel: "server log")
    } catch {
        fatalError("\(error)")
    }
    return 0
}

runFuzzer { fuzzMCP($0, $1) }
