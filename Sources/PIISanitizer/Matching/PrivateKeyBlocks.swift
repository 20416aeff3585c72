/// The private-key BEGIN and END markers of a buffer, as the `private_key_pem` pattern reads them,
/// for widening a line redacted whole (fail closed) to the key block around it.
///
/// No class matches an invalid UTF-8 byte, so one inside a key block keeps the key pattern from
/// matching (`[\s\S]*?` cannot cross it). A line redacted whole may take that byte with it, and a
/// second run would then find the key: the key pattern reads across lines, which the rescan
/// around each replacement does not. Redacting the whole block in the first run keeps sanitizing
/// idempotent, and fails closed.
struct PrivateKeyBlocks {
    /// Offsets of the `-----BEGIN…PRIVATE KEY-----` markers, ascending.
    private var begins: [Int] = []
    /// Offsets of the `-----END…PRIVATE KEY-----` markers, ascending.
    private var ends: [Int] = []

    /// Finds the markers of `buffer`: one pass over its dashes.
    /// - Complexity: O(n) in the buffer's length.
    init(_ buffer: UnsafeBufferPointer<UInt8>) {
        let begin = Array("-----BEGIN".utf8), end = Array("-----END".utf8)
        var at = 0
        while let b = TextStream.find(begin, in: buffer, from: at, to: buffer.count) {
            if TextStream.markerEnd(buffer, at: b, prefix: begin.count, to: buffer.count) != nil { begins.append(b) }
            at = b + 1
        }
        at = 0
        while let e = TextStream.find(end, in: buffer, from: at, to: buffer.count) {
            if TextStream.markerEnd(buffer, at: e, prefix: end.count, to: buffer.count) != nil { ends.append(e) }
            at = e + 1
        }
    }

    /// Widens `finding` (whole lines) to the lines of the key block it lies in: from the line of
    /// the first BEGIN marker with no END marker between it and the finding, through the line of
    /// the first END marker after the finding, or to the end of the buffer when there is none.
    /// A finding in no open block is left as it is.
    func widen(_ finding: inout RawFinding, in buffer: UnsafeBufferPointer<UInt8>) {
        guard !begins.isEmpty else { return }
        // Only a BEGIN after the last END before the finding can open a block around it.
        let lastEnd = Self.firstIndex(in: ends, notBelow: finding.start) - 1
        let after = lastEnd >= 0 ? ends[lastEnd] : -1
        let b = Self.firstIndex(in: begins, notBelow: after + 1)
        guard b < begins.count, begins[b] < finding.start else { return }
        finding.start = PatternSet.lineStart(buffer, before: begins[b])
        let e = Self.firstIndex(in: ends, notBelow: finding.end)
        finding.end = e < ends.count ? PatternSet.lineEnd(buffer, from: ends[e]) : buffer.count
    }

    /// The index of the first element of `sorted` that is at least `value` (`sorted.count` if none).
    private static func firstIndex(in sorted: [Int], notBelow value: Int) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
