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
    /// Offsets of the `-----END…PRIVATE KEY-----` markers after the first BEGIN, ascending, as
    /// the pattern finds them: one inside a later BEGIN marker (`x-----BEGIN-----END PRIVATE
    /// KEY-----`) closes the blocks before it (not its own, whose body starts after its marker).
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
        while let e = TextStream.find(end, in: buffer, from: at, to: limit) {
            if TextStream.markerEnd(buffer, at: e, prefix: end.count, to: limit) != nil { ends.append(e) }
            at = e + 1
        }
    }

    /// The first BEGIN marker whose block no END closes yet: where a block that may still grow
    /// begins. The key pattern's body runs to the first END after its BEGIN, over later BEGIN
    /// lines, but not over an invalid UTF-8 byte (any byte of 0x80 or above counts here, to be
    /// safe): a block with such a byte before its first END is open, and a line redacted whole
    /// later may take the byte away (see `widen`).
    /// - Complexity: O(n): each stretch before an END is looked at once.
    ///
    /// - Returns: that BEGIN (`open`), and where a stream holds from (`hold`): its line, or the
    ///   line of an earlier block whose END lies on that line (`-----END-----BEGIN…` closes one
    ///   block and opens the next), which must not be cut from it.
    func firstOpen(in buffer: UnsafeBufferPointer<UInt8>) -> (open: Int, hold: Int)? {
        var clearFrom = Int.max, clearEnd = -1  // a stretch already seen to hold no high byte
        var open: Int?
        for k in begins.indices {
            let e = Self.firstIndex(in: ends, notBelow: beginMarkerEnds[k])
            if e == ends.count || !(ends[e] == clearEnd && beginMarkerEnds[k] >= clearFrom)
                && Self.hasHighByte(buffer, beginMarkerEnds[k]..<ends[e])
            {
                open = k
                break
            }
            (clearFrom, clearEnd) = (beginMarkerEnds[k], ends[e])
        }
        guard let open else { return nil }
        // The blocks before it are closed, each by the first END after its marker.
        var hold = PatternSet.lineStart(buffer, before: begins[open])
        for j in stride(from: open - 1, through: 0, by: -1) where begins[j] < hold {
            if ends[Self.firstIndex(in: ends, notBelow: beginMarkerEnds[j])] >= hold {
                hold = PatternSet.lineStart(buffer, before: begins[j])
            }
        }
        return (begins[open], hold)
    }

    /// Widens `finding` (whole lines) back to the line of the earliest BEGIN marker whose body
    /// runs on into it (no END marker between), when the finding holds a byte of 0x80 or above:
    /// with that byte replaced, a second run could find the block. The text
    /// taken before that BEGIN on its line may hold such a byte too, so the step repeats from
    /// there. With their BEGIN lines gone, those blocks cannot match; what follows the finding
    /// stays (a stream may cut the block after it). A finding in no open block is left as it is.
    func widen(_ finding: inout RawFinding, in buffer: UnsafeBufferPointer<UInt8>) {
        guard !begins.isEmpty, Self.hasHighByte(buffer, finding.start..<finding.end) else { return }
        var start = finding.start
        while true {
            // A BEGIN's body reaches `start` when it starts past the last END before `start`.
            // A byte of 0x80 or above in between may be valid UTF-8 (`€`), which the pattern
            // crosses, so it does not stop the widening: a block it did stop goes too.
            let lastEnd = Self.firstIndex(in: ends, notBelow: start) - 1
            let floor = lastEnd >= 0 ? ends[lastEnd] : -1
            // The body starts where the marker ends: an END inside the marker is not in it.
            guard let k = begins.indices.first(where: { begins[$0] < start && beginMarkerEnds[$0] > floor && beginMarkerEnds[$0] <= start })
            else { break }
            let lineStart = PatternSet.lineStart(buffer, before: begins[k])
            let again = Self.hasHighByte(buffer, lineStart..<begins[k])
            start = lineStart
            if !again { break }
        }
        finding.start = start
    }

    /// Whether `buffer[range]` holds a byte of 0x80 or above (where an invalid UTF-8 byte may be).
    static func hasHighByte(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        UnsafeBufferPointer(rebasing: buffer[range]).contains { $0 >= 0x80 }
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
