import Crypto

/// State that lives for one input: placeholder numbering and the counters of what was redacted.
///
/// Placeholders are numbered per distinct value within one input, so the context keeps each
/// redacted value (only in memory, never printed) until the input ends.
struct RedactionContext {
    private var placeholderNumbers: [String: [[UInt8]: Int]] = [:]
    /// Findings per label.
    var counts: [String: Int] = [:]
    /// Values redacted whole because a pattern hit a limit.
    var limitHits = 0
    /// Spans redacted whole because a pattern hit a PCRE2 limit, per pattern id (fail closed).
    var failedClosed: [String: Int] = [:]

    /// Adds the counters of `other` (a context that numbered no placeholders) and clears them there.
    mutating func absorb(_ other: inout RedactionContext) {
        counts.merge(other.counts, uniquingKeysWith: +)
        failedClosed.merge(other.failedClosed, uniquingKeysWith: +)
        limitHits += other.limitHits
        other.counts.removeAll(keepingCapacity: true)
        other.failedClosed.removeAll(keepingCapacity: true)
        other.limitHits = 0
    }

    /// The number for `value` under `label`: 1 for the first distinct value, 2 for the next, …
    mutating func placeholderNumber(label: String, value: UnsafeBufferPointer<UInt8>) -> Int {
        let key = Array(value)
        if let n = placeholderNumbers[label]?[key] { return n }
        let n = (placeholderNumbers[label]?.count ?? 0) + 1
        placeholderNumbers[label, default: [:]][key] = n
        return n
    }
}

/// The key for the hash operator. Kept out of pattern files on purpose: whoever holds the key can
/// test guesses against tokens.
public struct HashKey: Sendable {
    let key: SymmetricKey

    /// A key from raw bytes; at least 16 bytes.
    public init?(bytes: some Sequence<UInt8>) {
        let data = Array(bytes)
        guard data.count >= 16 else { return nil }
        key = SymmetricKey(data: data)
    }

    /// `[LABEL:hex]` with `length` hex digits of HMAC-SHA256(value).
    func token(label: String, value: UnsafeBufferPointer<UInt8>, length: Int) -> [UInt8] {
        let mac = HMAC<SHA256>.authenticationCode(for: value, using: key)
        let hexDigits = Array("0123456789abcdef".utf8)
        var out = Array("[\(label):".utf8)
        for byte in mac {
            guard out.count - label.utf8.count - 2 < length else { break }
            out.append(hexDigits[Int(byte >> 4)])
            if out.count - label.utf8.count - 2 < length { out.append(hexDigits[Int(byte & 0xF)]) }
        }
        out.append(UInt8(ascii: "]"))
        return out
    }
}
