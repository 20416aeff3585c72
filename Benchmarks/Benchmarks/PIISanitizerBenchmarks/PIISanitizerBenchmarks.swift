import Benchmark
import PIISanitizer

import class Foundation.ProcessInfo

// Each benchmark times only the call under test: corpora and sanitizers are built before
// `startMeasurement()`. Throughput benchmarks process 1 MiB per iteration, so their `throughput`
// (# / s) reads directly as MiB/s. The two "Baseline" benchmarks are the floor a number is read
// against: a newline scan and a copy of the same MiB, which no sanitizer can beat.
//
// Thresholds: `Thresholds/` holds the committed p90 values (`swift package benchmark thresholds
// update`); `swift package benchmark thresholds check` fails (exit 2) when a run is worse than them
// by more than the tolerances below. See README "Performance".

/// Time is noisy on a shared 2-core machine: a regression must cost more than this to fail.
var timeTolerance: BenchmarkThresholds { .init(relative: [.p90: 35.0]) }
/// Allocation counts are deterministic for a given input and build: allow a little slack only.
var mallocTolerance: BenchmarkThresholds { .init(relative: [.p90: 5.0], absolute: [.p90: 2]) }

/// `PII_BENCH_SECONDS` lengthens each benchmark for a careful local run; CI uses the default.
let seconds = Int(ProcessInfo.processInfo.environment["PII_BENCH_SECONDS"] ?? "") ?? 1

func configuration(_ metrics: [BenchmarkMetric]) -> Benchmark.Configuration {
    var thresholds: [BenchmarkMetric: BenchmarkThresholds] = [:]
    for metric in metrics {
        switch metric {
        case .mallocCountTotal: thresholds[metric] = mallocTolerance
        case .wallClock, .throughput: thresholds[metric] = timeTolerance
        default: break
        }
    }
    return .init(metrics: metrics, timeUnits: .microseconds, warmupIterations: 3,
                 maxDuration: .seconds(seconds), maxIterations: 1_000_000, thresholds: thresholds)
}

let mebibyte = 1 << 20

let benchmarks: @Sendable () -> Void = {
    let sanitizer = try! Sanitizer()
    var generator = CorpusGenerator()
    let clean = generator.text(bytes: mebibyte, density: .clean)
    let dense = generator.text(bytes: mebibyte, density: .dense)
    let ndjson = generator.ndjson(bytes: mebibyte, density: .dense)
    let piiValues = generator.jsonStringValues(count: 256, withPII: true)
    let cleanValues = generator.jsonStringValues(count: 256, withPII: false)
    let throughput = configuration([.throughput, .wallClock, .mallocCountTotal])

    // MARK: Baselines (the floor: what touching 1 MiB costs at all)

    Benchmark("Baseline: count newlines, 1 MiB", configuration: throughput) { benchmark in
        benchmark.startMeasurement()
        var lines = 0
        clean.withUnsafeBufferPointer { for byte in $0 where byte == 0x0A { lines += 1 } }
        blackHole(lines)
    }

    Benchmark("Baseline: copy, 1 MiB", configuration: throughput) { benchmark in
        benchmark.startMeasurement()
        var copy: [UInt8] = []
        copy.reserveCapacity(clean.count)
        copy.append(contentsOf: clean)
        blackHole(copy)
    }

    // MARK: Throughput (the CLI's path: a stream fed in 1 MiB blocks)

    Benchmark("Text clean, 1 MiB", configuration: throughput) { benchmark in
        benchmark.startMeasurement()
        blackHole(sanitizeText(clean, with: sanitizer))
    }

    Benchmark("Text dense, 1 MiB", configuration: throughput) { benchmark in
        benchmark.startMeasurement()
        blackHole(sanitizeText(dense, with: sanitizer))
    }

    Benchmark("NDJSON dense, 1 MiB", configuration: throughput) { benchmark in
        benchmark.startMeasurement()
        blackHole(try sanitizeNDJSON(ndjson, with: sanitizer))
    }

    // MARK: Short JSON string values (one value per iteration: mallocs are per value)

    for (name, values) in [("clean", cleanValues), ("with PII", piiValues)] {
        Benchmark("JSON short string value, \(name)", configuration: configuration([.throughput, .wallClock, .mallocCountTotal])) { benchmark in
            let value = values[benchmark.currentIteration % values.count]
            benchmark.startMeasurement()
            blackHole(try sanitizer.sanitizeJSON(value))
        }
    }

    // MARK: Latency of one sanitize(_:) call

    for (name, size) in [("100 B", 100), ("1 KB", 1_000), ("64 KB", 64_000)] {
        let text = String(decoding: dense.prefix(size), as: UTF8.self)
        Benchmark("sanitize(_:) dense, \(name)", configuration: configuration([.wallClock, .mallocCountTotal])) { benchmark in
            benchmark.startMeasurement()
            blackHole(sanitizer.sanitize(text))
        }
    }

    // MARK: Pattern-set compile (parse the embedded file, compile and JIT every pattern)

    Benchmark("Compile: try Sanitizer()", configuration: configuration([.wallClock, .mallocCountTotal])) { benchmark in
        benchmark.startMeasurement()
        blackHole(try Sanitizer())
    }
}

/// What `pii-sanitize --format text` does with a block: one write, then finish.
func sanitizeText(_ input: [UInt8], with sanitizer: Sanitizer) -> Int {
    var stream = TextStream(sanitizer: sanitizer)
    var written = 0
    input.withUnsafeBytes { stream.write($0) { written += $0.count } }
    stream.finish { written += $0.count }
    return written
}

/// What `pii-sanitize --format ndjson` does with a block.
func sanitizeNDJSON(_ input: [UInt8], with sanitizer: Sanitizer) throws -> Int {
    var stream = NDJSONStream(sanitizer: sanitizer)
    var written = 0
    try input.withUnsafeBytes { raw in try stream.write(raw) { written += $0.count } }
    try stream.finish { written += $0.count }
    return written
}
