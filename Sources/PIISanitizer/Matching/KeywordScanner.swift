/// Finds which of a fixed set of ASCII keywords occur in a buffer, ignoring ASCII case, in one pass.
///
/// Keywords are the main speed lever: a pattern whose keywords are all absent never runs.
struct KeywordScanner: Sendable {
    /// Lower-cased keywords.
    let keywords: [[UInt8]]
    /// Every keyword, for `scan`.
    let all: Table
    /// For each keyword, the others that set one of its bits (`sk_live` and `sk-ant-`; `:` and `://`).
    private let sharers: [[Int]]

    init(keywords: [[UInt8]]) {
        self.keywords = keywords
        all = Table(ids: Array(keywords.indices), keywords: keywords)
        sharers = keywords.indices.map { id in
            keywords.indices.filter { k in k != id && Self.overlap(keywords[k], keywords[id]) }
        }
    }

    /// True when two lower-cased keywords set a common bit of a `Table`.
    private static func overlap(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a[0] == b[0] && (a.count == 1 || b.count == 1 || a[1] == b[1])
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        b &- 0x41 < 26 ? b | 0x20 : b
    }

    /// A set of keywords (all of them, or one pattern's) indexed by their first two bytes, so a
    /// scan compares whole keywords only where those two bytes occur. Flat arrays: the hot loop
    /// touches no reference-counted inner array.
    struct Table: Sendable {
        /// Bit `(b0 << 8) | b1` set when a keyword starts with `b0 b1` in any ASCII case; a
        /// one-byte keyword sets the bits of every second byte.
        let pairs: [UInt64]
        /// Keyword ids grouped by lower-cased first byte: those starting with `b` are
        /// `ids[firstByteStart[b]..<firstByteStart[b + 1]]`.
        fileprivate let ids: [Int32]
        fileprivate let firstByteStart: [Int32]
        /// The keywords' bytes, concatenated: keyword `id` is `bytes[offsets[id]..<offsets[id + 1]]`.
        fileprivate let bytes: [UInt8]
        fileprivate let offsets: [Int32]

        init(ids selected: [Int], keywords: [[UInt8]]) {
            var pairs = [UInt64](repeating: 0, count: 1024)
            for id in selected {
                for pair in Self.pairBits(of: keywords[id]) { pairs[pair >> 6] |= 1 << UInt64(pair & 63) }
            }
            // Group the ids by first byte with a counting pass (start-up cost matters: one table per pattern).
            var counts = [Int32](repeating: 0, count: 257)
            for id in selected { counts[Int(keywords[id][0]) + 1] += 1 }
            for b in 0..<256 { counts[b + 1] += counts[b] }
            let starts = counts
            var ids = [Int32](repeating: 0, count: selected.count)
            for id in selected {
                let b = Int(keywords[id][0])
                ids[Int(counts[b])] = Int32(id)
                counts[b] += 1
            }
            self.pairs = pairs
            self.ids = ids
            firstByteStart = starts
            bytes = keywords.flatMap { $0 }
            offsets = keywords.reduce(into: [0]) { $0.append($0.last! + Int32($1.count)) }
        }

        /// The bits a (lower-cased) keyword sets: its first two bytes in every ASCII case.
        static func pairBits(of keyword: [UInt8]) -> [Int] {
            func cases(_ b: UInt8) -> [Int] { b &- 0x61 < 26 ? [Int(b), Int(b - 0x20)] : [Int(b)] }
            var bits: [Int] = []
            for first in cases(keyword[0]) {
                if keyword.count == 1 {
                    bits += (first << 8)..<((first + 1) << 8)
                } else {
                    for second in cases(keyword[1]) { bits.append(first << 8 | second) }
                }
            }
            return bits
        }
    }

    /// Per-call state for `scan`: which keywords were found, and a copy of the pair bitmap from
    /// which found keywords are cleared so their later occurrences cost nothing.
    struct State {
        var found: [Bool]
        /// The ids set in `found`, in the order found: a short buffer finds few keywords, so
        /// clearing and reading these beats a pass over every keyword.
        var foundList: [Int] = []
        fileprivate var pairs: [UInt64]
        /// Words of `pairs` changed during the current scan, restored at its end.
        fileprivate var dirty: [Int] = []
        /// Every occurrence in the current buffer of the keywords of the patterns in group
        /// `occurrencesGroup` (patterns with the same keywords share one search); -1: none yet.
        var occurrences: [Int] = []
        var occurrencesGroup = -1
        /// The patterns that run on the current buffer, as a bitset (filled by `PatternSet.scan`).
        var active: [UInt64] = []
        /// Per digit-run pattern, the first candidate of each digit stretch that has one, when
        /// `PatternSet.scan` collected them for the current buffer.
        var digitRunHits: [[Int]] = []
        var digitRunHitsCollected = false

        init(_ scanner: KeywordScanner) {
            found = [Bool](repeating: false, count: scanner.keywords.count)
            pairs = scanner.all.pairs
        }
    }

    /// The buffer size from which found keywords are cleared from the bitmap copy.
    static let clearingThreshold = 4096

    /// A table for the keywords `ids`.
    func table(for ids: [Int]) -> Table { Table(ids: ids, keywords: keywords) }

    /// Sets `state.found` (indexed like `keywords`) and `state.foundList` for every keyword present in `buffer`.
    /// - Complexity: O(buffer.count) plus the comparisons where the first two bytes of a keyword
    ///   not yet found occur; allocation-free once `state` has grown.
    func scan(_ buffer: UnsafeBufferPointer<UInt8>, state: inout State) {
        for id in state.foundList { state.found[id] = false }
        state.foundList.removeAll(keepingCapacity: true)
        state.occurrencesGroup = -1
        if keywords.isEmpty { return }
        // One allocation on the first long buffer rather than a series of doublings; short
        // buffers (one-shot calls, JSON values) never clear bits, so never need it.
        if buffer.count >= Self.clearingThreshold, state.dirty.capacity == 0 { state.dirty.reserveCapacity(8 * keywords.count) }
        var remaining = keywords.count
        var from = 0
        while from < buffer.count, remaining > 0 {
            let hit = state.pairs.withUnsafeBufferPointer { pairs in
                Self.search(all, pairs: pairs, in: buffer, from: from) { !state.found[$0] }
            }
            guard let (at, id) = hit else { break }
            state.found[id] = true
            // One allocation, on the first keyword found, rather than a series of doublings.
            if state.foundList.capacity == 0 { state.foundList.reserveCapacity(keywords.count) }
            state.foundList.append(id)
            remaining -= 1
            // Clearing pays off only over long buffers; a short one (a JSON string value, a
            // one-shot call) would pay for copying the bitmap instead.
            if buffer.count >= Self.clearingThreshold { clear(id, in: &state) }
            from = at  // another keyword may start at the same offset
        }
        for w in state.dirty { state.pairs[w] = all.pairs[w] }
        state.dirty.removeAll(keepingCapacity: true)
    }

    /// Clears the bits of found keyword `id` unless a keyword still missing shares one.
    private func clear(_ id: Int, in state: inout State) {
        if sharers[id].contains(where: { !state.found[$0] }) { return }
        let k = keywords[id]
        func upper(_ b: UInt8) -> UInt8 { b &- 0x61 < 26 ? b - 0x20 : b }
        func clear(first: UInt8) {
            if k.count == 1 {
                // Every second byte: four whole words.
                for w in (Int(first) << 2)..<((Int(first) << 2) + 4) where state.pairs[w] != 0 {
                    state.pairs[w] = 0
                    state.dirty.append(w)
                }
                return
            }
            clearBit(Int(first) << 8 | Int(k[1]))
            clearBit(Int(first) << 8 | Int(upper(k[1])))
        }
        func clearBit(_ pair: Int) {
            state.pairs[pair >> 6] &= ~(1 << UInt64(pair & 63))
            state.dirty.append(pair >> 6)
        }
        // Both ASCII cases; for a non-letter both calls clear the same bits, which is harmless.
        clear(first: k[0])
        clear(first: upper(k[0]))
    }

    /// The offset of the first occurrence at or after `from` of any keyword in `table`, or nil.
    /// - Complexity: O(n) over the searched range.
    func firstOccurrence(of table: Table, in buffer: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        table.pairs.withUnsafeBufferPointer { pairs in
            Self.search(table, pairs: pairs, in: buffer, from: from) { _ in true }?.0
        }
    }

    /// The first occurrence at or after `from` of a keyword of `table` that `accept` takes,
    /// looking only where `pairs` (the table's bitmap, or a copy with bits cleared) has a bit.
    private static func search(
        _ table: Table, pairs: UnsafeBufferPointer<UInt64>, in buffer: UnsafeBufferPointer<UInt8>, from: Int,
        accept: (Int) -> Bool
    ) -> (Int, Int)? {
        guard let p = buffer.baseAddress, from < buffer.count else { return nil }
        let n = buffer.count
        return table.ids.withUnsafeBufferPointer { ids in
            table.firstByteStart.withUnsafeBufferPointer { starts in
                table.bytes.withUnsafeBufferPointer { bytes in
                    table.offsets.withUnsafeBufferPointer { offsets -> (Int, Int)? in
                        // Safety: indexes into `p` stay below `n`; the table's arrays have one
                        // entry past their last group by construction.
                        var i = from
                        var current = Int(p[i])
                        while i < n {
                            let next = i + 1 < n ? Int(p[i + 1]) : 0
                            let pair = current << 8 | next
                            if pairs[pair >> 6] & (1 << UInt64(pair & 63)) != 0 {
                                let b0 = Int(lower(UInt8(current)))
                                for c in Int(starts[b0])..<Int(starts[b0 + 1]) {
                                    let id = Int(ids[c])
                                    let start = Int(offsets[id]), count = Int(offsets[id + 1]) - start
                                    guard i + count <= n else { continue }
                                    var j = 1
                                    while j < count, lower(p[i + j]) == bytes[start + j] { j += 1 }
                                    if j == count, accept(id) { return (i, id) }
                                }
                            }
                            current = next
                            i += 1
                        }
                        return nil
                    }
                }
            }
        }
    }
}
