// Splitting keys into words, and the hash table that turns a word's bytes into a vocabulary id.

extension KeyRules {
    /// The four byte classes the splitter distinguishes; anything but an ASCII letter or digit separates words.
    enum ByteClass { case lower, upper, digit, other }

    @inline(__always)
    static func byteClass(_ b: UInt8) -> ByteClass {
        if b &- 0x61 < 26 { return .lower }
        if b &- 0x41 < 26 { return .upper }
        if b &- 0x30 < 10 { return .digit }
        return .other
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 {
        b &- 0x41 < 26 ? b | 0x20 : b
    }

    /// Calls `body` with the byte range of every word of `key`, left to right.
    ///
    /// Words break at every byte that is not an ASCII letter or digit (so non-ASCII bytes separate words too),
    /// between a lower-case letter and an upper-case one (`newPassword`), between a letter and a digit
    /// (`address_line1`), and before the last capital of an acronym followed by at least two lower-case letters
    /// (`APIKey` → `API` `Key`). Requiring two lower-case letters keeps plural and version acronyms whole:
    /// `URLs`, `IDs`, `IPv4` → `urls`, `ids`, `ipv` `4`.
    @inline(__always)
    static func forEachWord(in key: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>) -> Void) {
        let n = key.count
        var start = -1
        var previous = ByteClass.other
        var i = 0
        while i < n {
            let current = byteClass(key[i])
            if current == .other {
                if start >= 0 { body(start..<i); start = -1 }
            } else if start < 0 {
                start = i
            } else {
                let split: Bool
                switch (previous, current) {
                case (.lower, .upper), (.lower, .digit), (.upper, .digit), (.digit, .lower), (.digit, .upper):
                    split = true
                case (.upper, .upper):
                    split = i + 2 < n && byteClass(key[i + 1]) == .lower && byteClass(key[i + 2]) == .lower
                default:
                    split = false
                }
                if split { body(start..<i); start = i }
            }
            previous = current
            i += 1
        }
        if start >= 0 { body(start..<n) }
    }

    /// Splits a key into lower-cased words exactly as `classify` sees it.
    ///
    /// `X-Api-Key` → `["x", "api", "key"]`, `APIKey` → `["api", "key"]`, `address_line1` →
    /// `["address", "line", "1"]`, `OAuth2Token` → `["o", "auth", "2", "token"]`. Unlike `classify`, the whole key is
    /// split, however long.
    package static func normalize(_ key: String) -> [String] {
        let bytes = Array(key.utf8)
        var words: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            forEachWord(in: buffer) { range in
                words.append(String(decoding: buffer[range].map(lower), as: UTF8.self))
            }
        }
        return words
    }

    /// An immutable open-addressing table from a lower-cased word to its vocabulary id.
    ///
    /// Lookups hash the key's bytes in place (FNV-1a over lower-cased bytes) and confirm with a byte comparison,
    /// so classifying a key allocates nothing.
    struct WordTable: Sendable {
        /// Word id per slot, or -1; the count is a power of two at most half full, so probing always ends.
        private let slots: [Int32]
        private let hashes: [UInt64]
        /// The words' bytes back to back; word `id` spans `offsets[id]..<offsets[id + 1]`.
        private let bytes: [UInt8]
        private let offsets: [Int]
        /// Longer words cannot be in the table, so they are not hashed at all.
        private let maxLength: Int

        /// Builds the table; `words[id]` must be lower-case ASCII and distinct.
        init(words: [[UInt8]]) {
            var capacity = 16
            while capacity < words.count * 2 { capacity *= 2 }
            var slots = [Int32](repeating: -1, count: capacity)
            var hashes: [UInt64] = []
            var bytes: [UInt8] = []
            var offsets = [0]
            for (id, word) in words.enumerated() {
                let h = word.withUnsafeBufferPointer { Self.hash($0, 0..<$0.count) }
                var slot = Int(truncatingIfNeeded: h) & (capacity - 1)
                while slots[slot] >= 0 { slot = (slot + 1) & (capacity - 1) }
                slots[slot] = Int32(id)
                hashes.append(h)
                bytes += word
                offsets.append(bytes.count)
            }
            self.slots = slots
            self.hashes = hashes
            self.bytes = bytes
            self.offsets = offsets
            self.maxLength = words.map(\.count).max() ?? 0
        }

        @inline(__always)
        private static func hash(_ key: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for i in range { h = (h ^ UInt64(KeyRules.lower(key[i]))) &* 0x0000_0100_0000_01b3 }
            return h
        }

        /// The id of the word `key[range]` compared without ASCII case, or -1 when it is not in the vocabulary.
        /// - Complexity: O(`range.count`) expected.
        @inline(__always)
        func lookup(_ key: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int32 {
            guard range.count <= maxLength, !slots.isEmpty else { return -1 }
            let h = Self.hash(key, range)
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: h) & mask
            while true {
                let id = slots[slot]
                if id < 0 { return -1 }
                if hashes[Int(id)] == h, matches(Int(id), key, range) { return id }
                slot = (slot + 1) & mask
            }
        }

        @inline(__always)
        private func matches(_ id: Int, _ key: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
            let start = offsets[id]
            guard offsets[id + 1] - start == range.count else { return false }
            var j = start
            for i in range {
                if KeyRules.lower(key[i]) != bytes[j] { return false }
                j += 1
            }
            return true
        }
    }
}
