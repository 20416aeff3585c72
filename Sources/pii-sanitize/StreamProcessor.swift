public import ArgumentParser
import PIISanitizer

/// One input's sanitizer, whatever its format: the CLI feeds blocks and collects counts.
enum StreamProcessor {
    case text(TextStream)
    case json(JSONStream)
    case ndjson(NDJSONStream)

    init(format: InputFormat, sanitizer: Sanitizer, onInvalid: NDJSONStream.InvalidLinePolicy, name: String, threads: Int = 1) {
        switch format {
        case .text:
            var stream = TextStream(sanitizer: sanitizer)
            stream.threads = threads
            self = .text(stream)
        case .json:
            self = .json(JSONStream(sanitizer: sanitizer))
        case .ndjson:
            var stream = NDJSONStream(sanitizer: sanitizer, onInvalid: onInvalid)
            stream.threads = threads
            stream.report = { line, error in
                let action = switch onInvalid {
                case .text: "sanitized as text"
                case .skip: "skipped"
                case .fail: "stopping"
                }
                diagnose("\(name): line \(line): \(error.description.replacingFirstLine(line)); \(action)")
            }
            self = .ndjson(stream)
        }
    }

    mutating func write(_ block: UnsafeRawBufferPointer, emit: ([UInt8]) throws -> Void) throws {
        switch self {
        case var .text(s): try s.write(block, emit: emit); self = .text(s)
        case var .json(s): try s.write(block, emit: emit); self = .json(s)
        case var .ndjson(s): try s.write(block, emit: emit); self = .ndjson(s)
        }
    }

    mutating func finish(emit: ([UInt8]) throws -> Void) throws {
        switch self {
        case var .text(s): try s.finish(emit: emit); self = .text(s)
        case var .json(s): try s.finish(emit: emit); self = .json(s)
        case var .ndjson(s): try s.finish(emit: emit); self = .ndjson(s)
        }
    }

    /// Receives each finding; for NDJSON the finding's line is the input line.
    var onFinding: ((Finding) -> Void)? {
        get {
            switch self {
            case let .text(s): s.onFinding
            case let .json(s): s.onFinding
            case let .ndjson(s): s.onFinding
            }
        }
        set {
            switch self {
            case var .text(s): s.onFinding = newValue; self = .text(s)
            case var .json(s): s.onFinding = newValue; self = .json(s)
            case var .ndjson(s): s.onFinding = newValue; self = .ndjson(s)
            }
        }
    }

    var failedClosed: [String: Int] {
        switch self {
        case let .text(s): s.failedClosed
        case let .json(s): s.failedClosed
        case let .ndjson(s): s.failedClosed
        }
    }

    var counts: [String: Int] {
        switch self {
        case let .text(s): s.counts
        case let .json(s): s.counts
        case let .ndjson(s): s.counts
        }
    }
}

extension StreamProcessor {
    /// Reads `path` block by block into `processor`, which is created from the first line when
    /// `format` is auto (up to 1 MiB is looked at before choosing).
    /// - Throws: `InputError`, `SanitizerError`, or what `emit` throws; `processor` then holds
    ///   what was processed so far.
    static func feed(
        path: String, format: SanitizeCommand.Format, into processor: inout StreamProcessor?,
        make: ([UInt8], InputFormat?) -> StreamProcessor, emit: ([UInt8]) throws -> Void
    ) throws {
        let forced: InputFormat? = switch format {
        case .auto: nil
        case .text: .text
        case .json: .json
        case .ndjson: .ndjson
        }
        var head: [UInt8] = []
        func start() throws {
            processor = make(head, forced)
            try head.withUnsafeBytes { try processor!.write($0, emit: emit) }
            head = []
        }
        try forEachBlock(of: path) { block in
            if processor != nil { return try processor!.write(block, emit: emit) }
            head.append(contentsOf: block)
            if forced != nil || head.contains(UInt8(ascii: "\n")) || head.count >= 1 << 20 { try start() }
        }
        if processor == nil { try start() }
        try processor!.finish(emit: emit)
    }
}

extension String {
    /// An NDJSON line error already says "line 1" (the line is its own document); drop that part.
    fileprivate func replacingFirstLine(_ line: Int) -> String {
        let needle = Array("at line \(line), column".utf8)
        var bytes = Array(utf8)[...]
        var out: [UInt8] = []
        while let i = bytes.indices.first(where: { bytes[$0...].starts(with: needle) }) {
            out += bytes[..<i]
            out += "at column".utf8
            bytes = bytes[(i + needle.count)...]
        }
        out += bytes
        return String(decoding: out, as: UTF8.self)
    }
}

extension NDJSONStream.InvalidLinePolicy: ExpressibleByArgument {}
