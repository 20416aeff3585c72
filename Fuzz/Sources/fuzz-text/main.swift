import FuzzDriver
import PIISanitizer
import PIISanitizerInvariants

// Input: see Invariants.TextCase (byte 0 picks the chunking, threads and operator; the rest is the
// text). The planted values are appended on their own lines, so every run also checks that they
// are redacted.
private let oracle = try! Sanitizer(options: Invariants.oracleOptions)
private let placeholder = try! Sanitizer(options: .init(operatorOverride: .defaultPlaceholder))

func fuzzText(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data, size > 0 else { return 0 }
    let textCase = Invariants.TextCase(fuzzInput: UnsafeBufferPointer(start: data, count: size))
    do {
        try Invariants.checkText(textCase.placeholder ? placeholder : oracle, input: textCase.input, chunkSizes: textCase.chunkSizes,
                                 exactReplacement: !textCase.placeholder, planted: Invariants.plantedValues,
                                 threads: textCase.threads)
    } catch {
        fatalError("\(error)")
    }
    return 0
}

runFuzzer { fuzzText($0, $1) }
