import FuzzDriver
import PIISanitizer
import PIISanitizerInvariants

// Input: a JSON document (or not). Checked as given, then inside an array beside a string of
// planted values, which must not survive; an input of several lines is also read as NDJSON on
// one thread and on three, which must agree.
private let oracle = try! Sanitizer(options: Invariants.oracleOptions)

func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let document = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try Invariants.checkJSONTarget(oracle, document: document)
    } catch {
        fatalError("\(error)")
    }
    return 0
}

runFuzzer { fuzzJSON($0, $1) }
