import Foundation
import Logging
import PIISanitizerMCP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a `StdioServer` in process over two pipes, as a client process would see it: requests
/// are written as lines, responses read back as lines.
final class ServerHarness: @unchecked Sendable {
    // Safety: `lines` and `finished` are guarded by `lock`; the pipes' ends are used by one
    // thread each (the test writes `toServer`, the collector reads `fromServer`).
    private let toServer: Int32
    private let fromServer: Int32
    private let lock = NSCondition()
    private var lines: [[UInt8]] = []
    private var outputClosed = false
    private var serverReturned = false

    init(maxInputBytes: Int = SanitizerTools.defaultMaxInputBytes, readBlockBytes: Int = 1 << 20) throws {
        var input: [Int32] = [0, 0], output: [Int32] = [0, 0]
        precondition(pipe(&input) == 0 && pipe(&output) == 0)
        toServer = input[1]
        fromServer = output[0]
        let tools = try SanitizerTools(maxInputBytes: maxInputBytes)
        var logger = Logger(label: "test.mcp")
        logger.logLevel = .critical
        let server = StdioServer(tools: tools, logger: logger, readBlockBytes: readBlockBytes)
        let serverIn = input[0], serverOut = output[1]
        let serverThread = Thread { [self] in
            server.run(input: serverIn, output: serverOut)
            close(serverIn)
            close(serverOut)
            lock.withLock { serverReturned = true; lock.broadcast() }
        }
        serverThread.stackSize = 8 << 20
        serverThread.start()
        let collector = Thread { [self] in collect() }
        collector.start()
    }

    deinit {
        close(fromServer)
    }

    private func collect() {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = read(fromServer, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            pending.append(contentsOf: buffer[..<n])
            var start = 0
            var found: [[UInt8]] = []
            while let nl = pending[start...].firstIndex(of: 0x0A) {
                found.append(Array(pending[start..<nl]))
                start = nl + 1
            }
            pending.removeFirst(start)
            if !found.isEmpty { lock.withLock { lines += found; lock.broadcast() } }
        }
        lock.withLock { outputClosed = true; lock.broadcast() }
    }

    /// Writes one message (a newline is added).
    func send(_ message: String) { send(bytes: Array(message.utf8)) }

    func send(bytes: [UInt8]) {
        var line = bytes
        line.append(0x0A)
        line.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(toServer, raw.baseAddress! + offset, raw.count - offset)
                precondition(n > 0, "write to server failed")
                offset += n
            }
        }
    }

    /// Closes the server's stdin.
    func closeInput() { close(toServer) }

    /// Waits for the response whose `id` is `id` (raw JSON, e.g. `1` or `"a"`).
    func response(id: String, timeout: TimeInterval = 60) -> Response? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return lock.withLock {
            while true {
                if let i = lines.firstIndex(where: { Response($0)?.idJSON == id }) {
                    return Response(lines.remove(at: i))
                }
                if outputClosed || !lock.wait(until: deadline) { return nil }
            }
        }
    }

    /// Waits until the server has returned from `run` and closed its output; returns the lines
    /// not yet taken.
    func waitForShutdown(timeout: TimeInterval = 60) -> [Response]? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return lock.withLock {
            while !(serverReturned && outputClosed) {
                if !lock.wait(until: deadline) { return nil }
            }
            return lines.compactMap(Response.init)
        }
    }

    /// Sends a request and waits for its response.
    func call(_ id: Int, _ method: String, _ params: String? = nil) -> Response? {
        send(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)""# + (params.map { #","params":\#($0)"# } ?? "") + "}")
        return response(id: String(id))
    }

    func callTool(_ id: Int, _ name: String, arguments: String) -> Response? {
        call(id, "tools/call", #"{"name":"\#(name)","arguments":\#(arguments)}"#)
    }
}

/// One response line: its raw bytes and its parsed form.
struct Response: @unchecked Sendable {
    // Safety: `object` is a parsed JSON tree that nothing mutates.
    let raw: [UInt8]
    let object: [String: Any]

    init?(_ raw: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(raw), options: [.fragmentsAllowed]) as? [String: Any] else { return nil }
        self.raw = raw
        self.object = object
    }

    var rawText: String { String(decoding: raw, as: UTF8.self) }

    /// The id as JSON text (`1`, `"a"`, `null`).
    var idJSON: String {
        switch object["id"] {
        case let n as NSNumber: n.stringValue
        case let s as String: "\"\(s)\""
        default: "null"
        }
    }

    var result: [String: Any]? { object["result"] as? [String: Any] }
    var errorCode: Int? { (object["error"] as? [String: Any])?["code"] as? Int }
    var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }
    var isError: Bool? { result?["isError"] as? Bool }
    var text: String? { ((result?["content"] as? [[String: Any]])?.first)?["text"] as? String }
    var structured: [String: Any]? { result?["structuredContent"] as? [String: Any] }
    var counts: [String: Int]? { structured?["counts"] as? [String: Int] }
}
