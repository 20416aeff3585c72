public import Logging
import Dispatch
import PIISanitizer

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An MCP server over stdio (JSON-RPC 2.0, one message per line) serving `SanitizerTools`.
///
/// This is the server behind `pii-sanitize mcp`. It does not use swift-sdk's `Server` and
/// `StdioTransport`, on purpose (see DESIGN.md): that transport rescans its buffer on every read
/// (quadratic in the message size) and polls, and its `Value` type rewrites `data:`-shaped
/// strings and number literals. Here a message is read with large reads and split on newlines
/// (linear), parsed only as deep as the envelope, and a tool's input is handed to the sanitizer
/// as the exact bytes the client sent; the result is escaped into the response by hand.
///
/// Threads: the calling thread reads and answers `initialize`, `ping` and `tools/list` at once;
/// tool calls run on a concurrent dispatch queue, so a CPU-heavy call neither blocks the reader
/// nor Swift's cooperative pool; one serial queue writes every response, whole, in order of
/// completion. `notifications/cancelled` stops a call between 1 MiB blocks and suppresses its
/// response. At end of input, `run` waits for the calls in flight, writes their answers, and
/// returns.
public final class StdioServer: @unchecked Sendable {
    // Safety: `inFlight` is guarded by `lock`; `outputBroken` and `outputFD` are touched only
    // on `writer` (after `run` sets `outputFD` before any work is queued).

    /// The protocol versions this server speaks, newest first.
    public static let supportedProtocolVersions = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"]

    /// The `source` of every log line (swift-log prints it as `[PIISanitizerMCP]`): the module
    /// this server was in before the SDK glue moved out, kept so log lines and filters on them stay
    /// the same.
    static let logSource = "PIISanitizerMCP"

    public let tools: SanitizerTools
    let logger: Logger
    let serverName: String
    let serverVersion: String
    /// The longest message line accepted: room for an input at the limit written with JSON
    /// escapes (up to 6 bytes per byte for control characters), plus the envelope.
    let maxMessageBytes: Int
    /// Bytes asked of each `read(2)` on the input.
    let readBlockBytes: Int

    private let work = DispatchQueue(label: "pii-sanitize.mcp.work", qos: .userInitiated, attributes: .concurrent)
    private let writer = DispatchQueue(label: "pii-sanitize.mcp.writer")
    private let group = DispatchGroup()
    private let lock = Lock()
    private var inFlight: [[UInt8]: CancelFlag] = [:]
    private var outputFD: Int32 = 1
    private var outputBroken = false
    let toolsListResult: [UInt8]

    /// - Parameters:
    ///   - tools: the tools to serve.
    ///   - logger: receives one audit line per call (never a value) and protocol problems.
    ///   - readBlockBytes: bytes asked of each read of the input. The default, 1 MiB, reads a
    ///     large message in few calls; the fuzz target reads in small blocks so that its short
    ///     inputs still cross block boundaries.
    public init(tools: SanitizerTools, logger: Logger, serverName: String = "pii-sanitize", serverVersion: String = "0.1.0",
                readBlockBytes: Int = 1 << 20) {
        self.tools = tools
        self.readBlockBytes = max(1, readBlockBytes)
        self.logger = logger
        self.serverName = serverName
        self.serverVersion = serverVersion
        let (product, overflow) = tools.maxInputBytes.multipliedReportingOverflow(by: 6)
        maxMessageBytes = overflow ? Int.max / 2 : product + (1 << 20)
        toolsListResult = JSONValue.object([("tools", .raw(tools.toolDefinitionsJSON))]).bytes
    }

    /// Serves until `input` reaches end of file; then waits for the calls in flight, writes
    /// their responses and returns. Blocks the calling thread, which becomes the reader.
    public func run(input: Int32 = 0, output: Int32 = 1) {
        writer.sync { outputFD = output }
        logger.info("serving MCP on stdio", metadata: ["tools": "\(ToolName.allCases.map(\.rawValue).joined(separator: ","))",
                                                       "max_input_bytes": "\(tools.maxInputBytes)"], source: Self.logSource)
        readLoop(input)
        group.wait()
        writer.sync {}
        logger.info("end of input; all responses written, shutting down", source: Self.logSource)
    }

    // MARK: Reading

    private func readLoop(_ fd: Int32) {
        let blockSize = readBlockBytes
        let block = UnsafeMutableRawBufferPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { block.deallocate() }
        var pending: [UInt8] = []
        // Where the next newline search starts: bytes before it are known to hold none, so a
        // long message is scanned once however many reads it takes (linear, not quadratic).
        var searchFrom = 0
        // Set while skipping the rest of an oversized line; holds its first bytes, to find its id.
        var oversizedPrefix: [UInt8]?
        while true {
            let n = read(fd, block.baseAddress, blockSize)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                if n < 0 { logger.error("cannot read stdin", metadata: ["errno": "\(errno)"], source: Self.logSource) }
                break
            }
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: block[..<n]))
            var lineStart = 0
            while let newline = Self.newline(in: pending, from: searchFrom) {
                if let prefix = oversizedPrefix {
                    rejectOversized(prefix: prefix)
                    oversizedPrefix = nil
                } else {
                    handleLine(Array(pending[lineStart..<newline]))
                }
                lineStart = newline + 1
                searchFrom = lineStart
            }
            if lineStart > 0 { pending.removeFirst(lineStart) }
            searchFrom = pending.count
            if oversizedPrefix != nil {
                pending.removeAll(keepingCapacity: true)
                searchFrom = 0
            } else if pending.count > maxMessageBytes {
                oversizedPrefix = Array(pending.prefix(64 << 10))
                pending.removeAll(keepingCapacity: false)
                searchFrom = 0
            }
        }
        if let prefix = oversizedPrefix {
            rejectOversized(prefix: prefix)
        } else if !pending.isEmpty {
            handleLine(pending)  // a last message without its newline
        }
    }

    private static func newline(in bytes: [UInt8], from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes.withUnsafeBytes { raw -> Int? in
            guard let hit = memchr(raw.baseAddress! + start, 0x0A, raw.count - start) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(hit))
        }
    }

    private func rejectOversized(prefix: [UInt8]) {
        let id = prefix.withUnsafeBufferPointer { p in JSONParser.idRange(inPrefix: p).map { Array(p[$0]) } }
        logger.warning("message over the size limit rejected", metadata: ["limit_bytes": "\(maxMessageBytes)", "outcome": "protocol_error"], source: Self.logSource)
        sendError(id: id, code: -32600, message: "Request too large: a message may be at most \(maxMessageBytes) bytes and a tool input at most \(tools.maxInputBytes) bytes (pii-sanitize mcp --max-input-bytes). Split the input into smaller parts and call once per part.")
    }

    // MARK: Writing

    /// Queues one message (a newline is added) for the writer.
    func send(_ message: [UInt8]) {
        writer.async { [self] in
            guard !outputBroken else { return }
            var line = message
            line.append(0x0A)
            if !writeAll(outputFD, line) {
                outputBroken = true
                logger.error("cannot write to stdout; responses are dropped until end of input", source: Self.logSource)
            }
        }
    }

    func sendResult(id: [UInt8], result: [UInt8]) {
        var out: [UInt8] = []
        out.reserveCapacity(result.count + id.count + 40)
        out.append(contentsOf: Array(#"{"jsonrpc":"2.0","id":"#.utf8))
        out.append(contentsOf: id)
        out.append(contentsOf: Array(#","result":"#.utf8))
        out.append(contentsOf: result)
        out.append(UInt8(ascii: "}"))
        send(out)
    }

    /// A JSON-RPC error; `id` nil writes `null` (the request's id could not be read).
    func sendError(id: [UInt8]?, code: Int, message: String) {
        let body = JSONValue.object([("code", .int(code)), ("message", .string(message))])
        let out = JSONValue.object([("jsonrpc", .string("2.0")), ("id", .raw(id ?? Array("null".utf8))), ("error", body)])
        send(out.bytes)
    }

    // MARK: Calls in flight

    /// Runs `body` on the work queue as the call `key`, unless it is cancelled first.
    func startCall(key: [UInt8], _ body: @escaping @Sendable (CancelFlag) -> Void) {
        let flag = CancelFlag()
        lock.withLock { inFlight[key] = flag }
        group.enter()
        work.async { [self] in
            defer { group.leave() }
            body(flag)
        }
    }

    /// Ends the call `key`; returns false when it was cancelled (and so must not be answered).
    func finishCall(key: [UInt8], flag: CancelFlag) -> Bool {
        lock.withLock {
            if inFlight[key] === flag { inFlight[key] = nil }
        }
        return !flag.isCancelled
    }

    func cancelCall(key: [UInt8]) -> Bool {
        lock.withLock {
            guard let flag = inFlight.removeValue(forKey: key) else { return false }
            flag.cancel()
            return true
        }
    }
}

/// Set once when the client cancels a call; read by the worker between blocks.
package final class CancelFlag: @unchecked Sendable {
    // Safety: `cancelled` is read and written only under `lock`.
    private let lock = Lock()
    private var cancelled = false

    package init() {}

    package var isCancelled: Bool { lock.withLock { cancelled } }
    package func cancel() { lock.withLock { cancelled = true } }
}
