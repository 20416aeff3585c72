/// The private-key BEGIN and END markers of a buffer, as the `private_key_pem` pattern reads them:
/// where a stream holds an unfinished block from (`firstOpen`), and how far a line redacted whole
/// (fail closed) inside a block widens (`widen`).
///
/// No class matches an invalid UTF-8 byte, so one inside a key block keeps the key pattern from
/// matching (`[\s\S]*?` cannot cross it). A line redacted whole may take that byte with it, and a
/// second run would then find the key: the key pattern reads across lines, which the rescan
/// around each replacement does not. Redacting the block in the first run keeps sanitizing
/// idempotent, and fails closed. Removing ASCII (or any valid UTF-8) cannot unblock the pattern,
/// so only a line with a byte of 0x80 or above is widened.
struct PrivateKeyBlocks {
    /// Offsets of the `-----BEGIN…PRIVATE KEY-----` markers, ascending.
    private var begins: [Int] = []
    /// Where each of `begins`' markers ends.
    private var beginMarkerEnds: [Int] = []
    /// Offsets of the `-----END…PRIVATE KEY-----` markers after the first BEGIN, ascending; not
    /// those inside a BEGIN marker (`-----BEGIN-----END PRIVATE KEY-----` is one BEGIN marker, as
    /// the pattern reads it, and a stream that took its END for one cut the block before it).
    private var ends: [Int] = []

    /// Finds the markers in `buffer` before `limit` (its end by default). Without a BEGIN marker
    /// that is one pass and one allocation, as for text that holds no key.
    /// - Complexity: O(n) in the buffer's length.
    init(_ buffer: UnsafeBufferPointer<UInt8>, before limit: Int? = nil) {
        let limit = limit ?? buffer.count
        let begin = Array("-----BEGIN".utf8)
        var at = 0
        while let b = TextStream.find(begin, in: buffer, from: at, to: limit) {
            if let markerEnd = TextStream.markerEnd(buffer, at: b, prefix: begin.count, to: limit) {
                begins.append(b)
                beginMarkerEnds.append(markerEnd)
            }
            at = b + 1
        }
        guard let first = begins.first else { return }
        let end = Array("-----END".utf8)
        at = first
        var k = 0, cover = -1  // how far the BEGIN markers that start before an END reach
        while let e = TextStream.find(end, in: buffer, from: at, to: limit) {
            while k < begins.count, begins[k] < e {
                cover = max(cover, beginMarkerEnds[k])
                k += 1
            }
            if e >= cover, TextStream.markerEnd(buffer, at: e, prefix: end.count, to: limit) != nil { ends.append(e) }
            at = e + 1
        }
    }

    /// The first BEGIN marker with no END marker after it: where a block that may still grow
    /// begins. An END closes every block open before it (the key pattern's body runs to the first
    /// END, over later BEGIN lines), so this is the first BEGIN after the last END.
    var firstOpen: Int? {
        let b = Self.firstIndex(in: begins, notBelow: (ends.last ?? -1) + 1)
        return b < begins.count ? begins[b] : nil
    }

    /// Widens `finding` (whole lines holding a byte of 0x80 or above) inside a key block: from the
    /// line of the block's BEGIN marker (the first one with no END marker between it and the
    /// finding) through the line of the END marker that closes it, or to the end of the buffer
    /// when none does. When that END lies inside the finding, the block ends there (a stream cuts
    /// it there too) and the finding only grows back to the BEGIN line, which is enough: with its
    /// BEGIN gone the block cannot match. A finding in no open block is left as it is.
    func widen(_ finding: inout RawFinding, in buffer: UnsafeBufferPointer<UInt8>) {
        guard !begins.isEmpty, buffer[finding.start..<finding.end].contains(where: { $0 >= 0x80 }) else { return }
        // Only a BEGIN after the last END before the finding can open a block around it.
        let lastEnd = Self.firstIndex(in: ends, notBelow: finding.start) - 1
        let b = Self.firstIndex(in: begins, notBelow: lastEnd >= 0 ? ends[lastEnd] + 1 : 0)
        guard b < begins.count, begins[b] < finding.start else { return }
        // No END lies between that BEGIN and the finding, so the first one after it closes it.
        let e = Self.firstIndex(in: ends, notBelow: begins[b] + 1)
        finding.start = PatternSet.lineStart(buffer, before: begins[b])
        if e == ends.count {
            finding.end = buffer.count
        } else if ends[e] >= finding.end {
            finding.end = PatternSet.lineEnd(buffer, from: ends[e])
        }
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
