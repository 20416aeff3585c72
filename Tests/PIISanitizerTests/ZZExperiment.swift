@testable import PIISanitizer
import Testing

@Test func zzExperiment() {
    var s = TextStream(sanitizer: builtinSanitizer)
    s.maxHeldBytes = 64
    let input = Array(("key:\n" + fakePEM() + "\nend\n").utf8)
    var out: [UInt8] = []
    for b in input { [b].withUnsafeBytes { s.write($0) { out += $0 } } }
    s.finish { out += $0 }
    print("EXPERIMENT<<\(String(decoding: out, as: UTF8.self))>>")
}
