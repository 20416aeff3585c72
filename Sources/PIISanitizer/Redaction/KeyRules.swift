/// Decides whether a key (JSON member name, `key=value` key, HTTP header or URL query parameter name) names a
/// sensitive value, and with which label.
///
/// A key is split into lower-cased words (``normalize(_:)``). A term matches when its words occur in the key as
/// consecutive words, or glued into one word (`api key` ↔ `apikey`); the last word may also carry a plural `s`
/// (`passwords`, `cookies`) unless that plural is a neutral one (`tokens`, `keys`, `sessions`: LLM usage
/// counters and listings). A match counts only when the words around it keep its meaning:
/// - `token` terms: no word after the match is in `neutralizeAfter` (`token_count`, `api_key_id`) and no word
///   before it is in `neutralizeBefore` (`next_page_token`, `is_secret_santa`); unknown words keep the match
///   (`password_confirmation`, `api_key_prod`), failing towards redaction;
/// - `tokenWithPrefix` terms: as `token`, and at least one word precedes the match (`mysql_pwd`, not `PWD`);
/// - `exact` terms: the match is the whole key (`auth`, not `auth_type` or `author`).
///
/// Terms match whole words only, never substrings of a word: `passwordless`, `keyboard`, `classname` stay
/// non-sensitive.
package final class KeyRules: Sendable {
    /// One vocabulary entry: a word sequence, the label its values are redacted with, and how it must match.
    package struct Term: Sendable, Equatable {
        /// How much of the key around a term's words is allowed or required.
        package enum Mode: String, Sendable {
            case token
            case tokenWithPrefix = "token_with_prefix"
            case exact

            /// Higher is more specific; when one word sequence is listed with several modes, the highest wins.
            var specificity: Int {
                switch self {
                case .token: 0
                case .tokenWithPrefix: 1
                case .exact: 2
                }
            }
        }

        /// Normalized words, e.g. `["api", "key"]`; they are normalized again on use, so `["API_Key"]` works too.
        package var words: [String]
        /// The label values under a matching key are redacted with, e.g. `API_KEY`.
        package var label: String
        package var mode: Mode

        package init(words: [String], label: String, mode: Mode) {
            self.words = words
            self.label = label
            self.mode = mode
        }
    }

    /// Plurals that never match their singular term: `max_tokens`, `prompt_tokens`, `api_keys`, `active_sessions`.
    package static let defaultPluralNeutral: Set<String> = ["tokens", "keys", "sessions"]

    /// Only this many leading bytes of a key are classified, which bounds the work per key.
    package static let maxKeyBytes = 256

    /// A term with its words as vocabulary ids.
    private struct CompiledTerm: Sendable {
        var words: [Int32]
        /// The id of the last word with a plural `s`, or -1 when the term has no plural form.
        var pluralLast: Int32
        var label: String
        var mode: Term.Mode
        /// Total length of the term's words; the longest matching term gives the label.
        var weight: Int
    }

    /// A term that may start at a key word with a given id.
    private struct Candidate: Sendable {
        var term: Int32
        /// The term's words follow as separate key words; otherwise the one key word is the whole (glued) term.
        var isSequence: Bool
        /// The key word is the plural form of the (glued) term.
        var isPlural: Bool
    }

    private static let neutralAfterFlag: UInt8 = 1
    private static let neutralBeforeFlag: UInt8 = 2

    private let table: WordTable
    /// Neutralizer flags per word id.
    private let flags: [UInt8]
    /// Candidates of word id `w` are `candidates[candidateStart[w]..<candidateStart[w + 1]]`.
    private let candidateStart: [Int]
    private let candidates: [Candidate]
    private let terms: [CompiledTerm]

    /// Compiles a vocabulary; terms and neutralizer words are normalized like keys, so any spelling works.
    ///
    /// Terms whose words normalize to nothing are ignored, as are neutralizer entries that are not exactly one word
    /// (`last4` would also neutralize every `4`). A word sequence listed twice keeps its most specific mode.
    /// - Parameter pluralNeutral: plural words that do not match their singular term.
    package init(terms: [Term], neutralizeAfter: Set<String>, neutralizeBefore: Set<String>,
                 pluralNeutral: Set<String> = KeyRules.defaultPluralNeutral) {
        var ids: [[UInt8]: Int32] = [:]
        var words: [[UInt8]] = []
        func id(_ word: [UInt8]) -> Int32 {
            if let existing = ids[word] { return existing }
            let new = Int32(words.count)
            ids[word] = new
            words.append(word)
            return new
        }

        // Dedupe by word sequence, keeping the first listing of the most specific mode.
        var chosen: [Term] = []
        var index: [[String]: Int] = [:]
        for term in terms {
            let normalized = Self.normalize(term.words.joined(separator: " "))
            guard !normalized.isEmpty else { continue }
            let entry = Term(words: normalized, label: term.label, mode: term.mode)
            if let i = index[normalized] {
                if entry.mode.specificity > chosen[i].mode.specificity { chosen[i] = entry }
            } else {
                index[normalized] = chosen.count
                chosen.append(entry)
            }
        }
        let plurals = Set(pluralNeutral.flatMap { Self.normalize($0) })

        var compiled: [CompiledTerm] = []
        var byWord: [Int32: [Candidate]] = [:]
        for (t, term) in chosen.enumerated() {
            let bytes = term.words.map { Array($0.utf8) }
            let termID = Int32(t)
            let glued = Array(bytes.joined())
            // Plurals of digits (`2fa`) or of words already ending in `s` (`credentials`) are not words.
            let last = term.words[term.words.count - 1]
            let hasPlural = term.mode != .exact && !last.hasSuffix("s")
                && Self.byteClass(last.utf8.last ?? 0) != .digit && !plurals.contains(last + "s")
            let wordIDs = bytes.map(id)
            var pluralLast: Int32 = -1
            if hasPlural { pluralLast = id(bytes[bytes.count - 1] + [UInt8(ascii: "s")]) }
            compiled.append(CompiledTerm(words: wordIDs, pluralLast: pluralLast, label: term.label,
                                         mode: term.mode, weight: glued.count))
            if wordIDs.count > 1 {
                byWord[wordIDs[0], default: []].append(Candidate(term: termID, isSequence: true, isPlural: false))
                byWord[id(glued), default: []].append(Candidate(term: termID, isSequence: false, isPlural: false))
                if hasPlural {
                    let gluedPlural = id(glued + [UInt8(ascii: "s")])
                    byWord[gluedPlural, default: []].append(Candidate(term: termID, isSequence: false, isPlural: true))
                }
            } else {
                byWord[wordIDs[0], default: []].append(Candidate(term: termID, isSequence: false, isPlural: false))
                if hasPlural {
                    byWord[pluralLast, default: []].append(Candidate(term: termID, isSequence: false, isPlural: true))
                }
            }
        }

        var flagsByID: [Int32: UInt8] = [:]
        for (set, flag) in [(neutralizeAfter, Self.neutralAfterFlag), (neutralizeBefore, Self.neutralBeforeFlag)] {
            for entry in set {
                let normalized = Self.normalize(entry)
                guard normalized.count == 1 else { continue }
                flagsByID[id(Array(normalized[0].utf8)), default: 0] |= flag
            }
        }

        var flags = [UInt8](repeating: 0, count: words.count)
        for (w, f) in flagsByID { flags[Int(w)] = f }
        var start: [Int] = []
        var list: [Candidate] = []
        for w in 0..<words.count {
            start.append(list.count)
            list += byWord[Int32(w)] ?? []
        }
        start.append(list.count)

        self.table = WordTable(words: words)
        self.flags = flags
        self.candidateStart = start
        self.candidates = list
        self.terms = compiled
    }

    /// Returns the label of the matching term, or nil when the key is not sensitive.
    ///
    /// Only the first ``maxKeyBytes`` bytes are looked at. When several terms match, the longest one's label wins.
    /// - Complexity: O(`key.count`) to split and hash the words, plus a few integer comparisons per word that
    ///   starts a vocabulary term; no allocation on the heap.
    package func classify(_ key: UnsafeBufferPointer<UInt8>) -> String? {
        let key = UnsafeBufferPointer(rebasing: key.prefix(Self.maxKeyBytes))
        guard !key.isEmpty, !terms.isEmpty else { return nil }
        // The operators' own tokens (`[IP_ADDRESS]`, `[EMAIL_2]`) count as one unknown word, like
        // the value they replaced: a name that held a value before the first pass must not turn
        // sensitive after it (idempotence), nor a label's words (`IP`, `ADDRESS`) make it so.
        if key.contains(UInt8(ascii: "[")) {
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: key.count) { copy in
                _ = copy.initialize(from: key)
                Self.blankOperatorTokens(copy)
                return classifyWords(UnsafeBufferPointer(copy))
            }
        }
        return classifyWords(key)
    }

    /// Overwrites each `[` + uppercase letter + `[A-Za-z0-9_:]`… + `]` token (the shape of every
    /// operator's output, `PatternSet.operatorOutput`, and of little else in a key) with the
    /// unknown word `x` and spaces.
    static func blankOperatorTokens(_ key: UnsafeMutableBufferPointer<UInt8>) {
        var i = 0
        while i < key.count {
            guard key[i] == UInt8(ascii: "["), i + 1 < key.count, key[i + 1] &- UInt8(ascii: "A") < 26 else {
                i += 1
                continue
            }
            var j = i + 2
            while j < key.count, key[j] == UInt8(ascii: "_") || key[j] == UInt8(ascii: ":") || (key[j] | 0x20) &- UInt8(ascii: "a") < 26
                || key[j] &- UInt8(ascii: "0") < 10 { j += 1 }
            if j < key.count, key[j] == UInt8(ascii: "]") {
                key[i] = UInt8(ascii: "x")
                for k in (i + 1)...j { key[k] = 0x20 }
                i = j + 1
            } else {
                i += 1
            }
        }
    }

    private func classifyWords(_ key: UnsafeBufferPointer<UInt8>) -> String? {
        // A key has at most one word per byte.
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: key.count) { ids -> String? in
            var count = 0
            var anyKnown = false
            var firstBefore = Int.max  // index of the first neutralizeBefore word
            var lastAfter = -1  // index of the last neutralizeAfter word
            Self.forEachWord(in: key) { range in
                let id = table.lookup(key, range)
                ids[count] = id
                if id >= 0 {
                    anyKnown = true
                    let f = flags[Int(id)]
                    if f & Self.neutralBeforeFlag != 0, firstBefore == Int.max { firstBefore = count }
                    if f & Self.neutralAfterFlag != 0 { lastAfter = count }
                }
                count += 1
            }
            guard anyKnown else { return nil }

            var best = -1
            var bestWeight = -1
            for i in 0..<count {
                let id = ids[i]
                guard id >= 0 else { continue }
                for c in candidateStart[Int(id)]..<candidateStart[Int(id) + 1] {
                    let candidate = candidates[c]
                    let term = terms[Int(candidate.term)]
                    guard term.weight > bestWeight else { continue }
                    var end = i + 1
                    var plural = candidate.isPlural
                    if candidate.isSequence {
                        let m = term.words.count
                        guard i + m <= count else { continue }
                        var j = 1
                        while j < m {
                            let w = ids[i + j]
                            if w != term.words[j] {
                                guard j == m - 1, w >= 0, w == term.pluralLast else { break }
                                plural = true
                            }
                            j += 1
                        }
                        guard j == m else { continue }
                        end = i + m
                    }
                    switch term.mode {
                    case .exact:
                        guard i == 0, end == count, !plural else { continue }
                    case .tokenWithPrefix:
                        guard i >= 1, i <= firstBefore, end > lastAfter else { continue }
                    case .token:
                        guard i <= firstBefore, end > lastAfter else { continue }
                    }
                    best = Int(candidate.term)
                    bestWeight = term.weight
                }
            }
            return best >= 0 ? terms[best].label : nil
        }
    }

    /// Returns the label of the matching term for a key given as a string, or nil when it is not sensitive.
    package func classify(_ key: String) -> String? {
        var key = key
        return key.withUTF8 { classify($0) }
    }
}
