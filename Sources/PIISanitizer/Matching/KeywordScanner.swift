/// Finds which of a fixed set of ASCII keywords occur in a buffer, ignoring ASCII case, in one pass.
///
/// Keywords are the main speed lever: a pattern whose keywords are all absent never runs.
struct KeywordScanner: Sendable {
    /// Lower-cased keywords.
    let keywords: [[UInt8]]
    /// For each lower-cased first byte, the keywords starting with it.
    private let byFirstByte: [[Int]]

    init(keywords: [[UInt8]]) {
        self.keywords = keywords
        var table = [[Int]](repeating: [], count: 256)
        for (i, k) in keywords.enumerated() { table[Int(k[0])].append(i) }
        byFirstByte = table
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 {
        b &- 0x41 < 26 ? b | 0x20 : b
    }

    /// Marks in `found` (indexed like `keywords`) every keyword present in `buffer`.
    /// - Complexity: O(buffer.count) plus the comparisons at candidate positions; stops early once
    ///   every keyword is found.
    func scan(_ buffer: UnsafeBufferPointer<UInt8>, found: inout [Bool]) {
        if keywords.isEmpty { return }
        var remaining = keywords.count
        let n = buffer.count
        var i = 0
        while i < n {
            let candidates = byFirstByte[Int(Self.lower(buffer[i]))]
            if !candidates.isEmpty {
                for k in candidates where !found[k] {
                    let word = keywords[k]
                    if i + word.count <= n {
                        var j = 1
                        while j < word.count, Self.lower(buffer[i + j]) == word[j] { j += 1 }
                        if j == word.count {
                            found[k] = true
                            remaining -= 1
                            if remaining == 0 { return }
                        }
                    }
                }
            }
            i += 1
        }
    }

    /// The offset of the first occurrence at or after `from` of any keyword in `ids`, or nil.
    /// - Complexity: O(n) byte comparisons over the searched range.
    func firstOccurrence(of ids: [Int], in buffer: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var firstBytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        withUnsafeMutableBytes(of: &firstBytes) { bits in
            for id in ids {
                let b = Int(keywords[id][0])
                bits[b >> 3] |= 1 << UInt8(b & 7)
            }
        }
        return withUnsafeBytes(of: &firstBytes) { bits -> Int? in
            var i = from
            let n = buffer.count
            while i < n {
                let b = Int(Self.lower(buffer[i]))
                if bits[b >> 3] & (1 << UInt8(b & 7)) != 0 {
                    for id in ids where Int(keywords[id][0]) == b {
                        let word = keywords[id]
                        guard i + word.count <= n else { continue }
                        var j = 1
                        while j < word.count, Self.lower(buffer[i + j]) == word[j] { j += 1 }
                        if j == word.count { return i }
                    }
                }
                i += 1
            }
            return nil
        }
    }
}
