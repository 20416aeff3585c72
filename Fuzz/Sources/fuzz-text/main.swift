import FuzzDriver
import PIISanitizer
import PIISanitizerInvariants

// Input: byte 0 picks the chunking and the operator; the rest is the text. The planted values
// are appended on their own lines, so every run also checks that they are redacted.
private let oracle = try! Sanitizer(options: Invariants.oracleOptions)
private let placeholder = try! Sanitizer(options: .init(operatorOverride: .defaultPlaceholder))

func fuzzText(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    guard size > 0 else { return 0 }
    let control = data[0]
    let text = Array(UnsafeBufferPointer(start: data + 1, count: size - 1)) + Invariants.plantedText
    let chunks = [Int(control & 0x3F) + 1, 7, 4096]
    do {
        if control & 0x80 == 0 {
            try Invariants.checkText(oracle, input: text, chunkSizes: chunks, planted: Invariants.plantedValues)
        } else {
            try Invariants.checkText(placeholder, input: text, chunkSizes: chunks, exactReplacement: false, planted: Invariants.plantedValues)
        }
    } catch {
        fatalError("\(error)")
    }
    return 0
}

runFuzzer { fuzzText($0, $1) }
