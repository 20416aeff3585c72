import FuzzDriver
import PIISanitizer
import PIISanitizerInvariants

// Input: a user pattern file. Loading must either succeed or throw a `SanitizerError` (never
// crash, never hang past the match limits); a file that loads is run over a sample text, with
// its own examples, and the text invariants are checked (not idempotence or planted values: a
// user pattern may match its own replacement, and a user file may turn built-in patterns off).
// The JIT is off: compiling it per input would dominate the run, and the interpreter is the
// path with the step limits that matter here.
private let sample = Array("""
    user bob@example.com logged in from 10.1.2.3 at 2026-11-22T10:00:00Z
    password=hunter2 token: ghp_pL4nT3dT0k3nAbCdEfGhIjKlMnOpQrStUv12 aaaaaaaaaaaaaaaaaaaaaaaaaaaaab
    card 4111 1111 1111 1111, call +1 415 555 0100, order #12345

    """.utf8)

func fuzzPatterns(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let data else { return 0 }
    let file = UnsafeBufferPointer(start: data, count: size)
    let sanitizer: Sanitizer
    do {
        sanitizer = try Sanitizer(patternFileContents: file, name: "fuzz.json",
                                  options: .init(operatorOverride: .defaultReplace, useJIT: false))
    } catch {
        _ = error.description
        return 0
    }
    _ = sanitizer.runExamples()
    do {
        try Invariants.checkText(sanitizer, input: sample, chunkSizes: [13, 4096], idempotent: false)
    } catch {
        fatalError("\(error)")
    }
    return 0
}

runFuzzer { fuzzPatterns($0, $1) }
