import Benchmark
import PIISanitizer

import class Foundation.ProcessInfo

// Each benchmark times only the call under test: corpora and sanitizers are built before
// `startMeasurement()`. Throughput benchmarks process 1 MiB per iteration, so their `throughput`
// (# / s) reads directly as MiB/s; elsewhere it is calls per second. The two "Baseline" benchmarks
// are the floor a number is read against: a newline scan and a copy of the same MiB, which no
// sanitizer can beat.
//
// Names have no spaces or slashes: benchmark 1.38.1 writes threshold files with those replaced by
// `_` but reads them back under the raw name, so such a benchmark would never find its threshold.
//
// Thresholds: `Benchmarks/Thresholds/` holds the committed p90 of every metric of every benchmark
// (written by `swift package --allow-writing-to-package-directory benchmark thresholds update`).
// `swift package benchmark thresholds check` runs the suite and exits non-zero when a p90 is
// worse than its committed value by more than the tolerances below (or better by more: then
// update the thresholds). Allocation counts are deterministic, so they are the sharp check.
// Wall-clock p90 on a shared 2-core VM moved by up to 60 % between two identical runs, so time
// fails only when it doubles: a prefilter that stops filtering, a quadratic path. Smaller drifts
// are for `compare.sh`, which alternates tools in one session and takes medians.
//
// CI runs the short mode instead (`short.sh`, `check_short.py`): every benchmark briefly, checked
// only by what another machine would also see: allocation counts, and throughput as a ratio to
// Baseline-newlines-1MiB in the same run. So every benchmark measures throughput.

/// Time: the p90 may double before the check fails.
var timeTolerance: BenchmarkThresholds { .init(relative: [.p90: 100.0]) }
/// Throughput: may halve (the same regression seen from the other side).
var throughputTolerance: BenchmarkThresholds { .init(relative: [.p90: 50.0]) }
/// Allocation counts: deterministic for one build, so 5 % (below 20 allocations: exact).
var mallocTolerance: BenchmarkThresholds { .init(relative: [.p90: 5.0]) }

/// `PII_BENCH_SECONDS` lengthens each benchmark for a careful local run.
let seconds = Int(ProcessInfo.processInfo.environment["PII_BENCH_SECONDS"] ?? "") ?? 1
/// `PII_BENCH_SHORT=1` is CI's mode (`short.sh`): each benchmark stops after 0.25 s or one pass over
/// the JSON values, whichever comes first; a JSONValue benchmark gets through all of them in a few
/// milliseconds, so its allocation p90 is the full run's. Under 10 s of measuring for the suite.
let short = ProcessInfo.processInfo.environment["PII_BENCH_SHORT"] == "1"

/// Short JSON string values per JSONValue benchmark; one iteration sanitizes one of them.
let jsonValueCount = 256

func configuration(_ metrics: [BenchmarkMetric]) -> Benchmark.Configuration {
    var thresholds: [BenchmarkMetric: BenchmarkThresholds] = [:]
    for metric in metrics {
        switch metric {
        case .mallocCountTotal: thresholds[metric] = mallocTolerance
        case .wallClock: thresholds[metric] = timeTolerance
        case .throughput: thresholds[metric] = throughputTolerance
        default: break
        }
    }
    return .init(metrics: metrics, timeUnits: .microseconds, warmupIterations: 3,
                 maxDuration: short ? .milliseconds(250) : .seconds(seconds),
                 maxIterations: short ? jsonValueCount : 1_000_000, thresholds: thresholds)
}

let mebibyte = 1 << 20

let benchmarks: @Sendable () -> Void = {
    let sanitizer = try! Sanitizer()
    var generator = CorpusGenerator()
    let clean = generator.text(bytes: mebibyte, density: .clean)
    let dense = generator.text(bytes: mebibyte, density: .dense)
    let ndjson = generator.ndjson(bytes: mebibyte, density: .dense)
    let piiValues = generator.jsonStringValues(count: jsonValueCount, withPII: true)
    let cleanValues = generator.jsonStringValues(count: jsonValueCount, withPII: false)
    let measured = configuration([.throughput, .wallClock, .mallocCountTotal])

    // MARK: Baselines (the floor: what touching 1 MiB costs at all)

    Benchmark("Baseline-newlines-1MiB", configuration: measured) { benchmark in
        benchmark.startMeasurement()
        var lines = 0
        clean.withUnsafeBufferPointer { for byte in $0 where byte == 0x0A { lines += 1 } }
        blackHole(lines)
    }

    Benchmark("Baseline-copy-1MiB", configuration: measured) { benchmark in
        benchmark.startMeasurement()
        var copy: [UInt8] = []
        copy.reserveCapacity(clean.count)
        copy.append(contentsOf: clean)
        blackHole(copy)
    }

    // MARK: Throughput (the CLI's path: a stream fed in 1 MiB blocks)

    Benchmark("Text-clean-1MiB", configuration: measured) { benchmark in
        benchmark.startMeasurement()
        blackHole(sanitizeText(clean, with: sanitizer))
    }

    Benchmark("Text-dense-1MiB", configuration: measured) { benchmark in
        benchmark.startMeasurement()
        blackHole(sanitizeText(dense, with: sanitizer))
    }

    Benchmark("NDJSON-dense-1MiB", configuration: measured) { benchmark in
        benchmark.startMeasurement()
        blackHole(try sanitizeNDJSON(ndjson, with: sanitizer))
    }

    // MARK: Short JSON string values (one value per iteration: mallocs are per value)

    for (name, values) in [("clean", cleanValues), ("pii", piiValues)] {
        Benchmark("JSONValue-\(name)", configuration: measured) { benchmark in
            let value = values[benchmark.currentIteration % values.count]
            benchmark.startMeasurement()
            blackHole(try sanitizer.sanitizeJSON(value))
        }
    }

    // MARK: Latency of one sanitize(_:) call

    for (name, size) in [("100B", 100), ("1KB", 1_000), ("64KB", 64_000)] {
        let text = String(decoding: dense.prefix(size), as: UTF8.self)
        Benchmark("Sanitize-dense-\(name)", configuration: measured) { benchmark in
            benchmark.startMeasurement()
            blackHole(sanitizer.sanitize(text))
        }
    }

    // MARK: Pattern-set compile (parse the embedded file, compile and JIT every pattern)

    Benchmark("Compile-Sanitizer", configuration: measured) { benchmark in
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
