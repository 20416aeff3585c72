import PCRE2

/// The compiled, immutable set of patterns and key rules one `Sanitizer` uses; shared across threads.
final class PatternSet: Sendable {
    let patterns: [CompiledPattern]
    /// Every pattern of the loaded files, enabled or not, for listings and example tests.
    let allSpecs: [PatternSpec]
    let keywords: KeywordScanner
    /// Per pattern, its keywords indexed for `KeywordScanner.firstOccurrence`.
    let keywordTables: [KeywordScanner.Table]
    /// Per pattern, the first pattern with the same keywords (the three `secret_assignment`
    /// patterns share one keyword search per buffer).
    let keywordGroups: [Int]
    /// Per keyword id, the patterns that name it.
    let patternsByKeyword: [[Int]]
    /// The patterns that name no keyword (they always run), as a bitset: bit `i % 64` of word `i / 64`.
    let alwaysRunWords: [UInt64]
    /// Per pattern, its prefilter's quick test (`Prefilter.Quick.always` without one).
    let quickTests: [Prefilter.Quick]
    /// The patterns whose prefilters are digit runs only (cards, phones, SSNs, IPv4), which share
    /// one pass over a buffer; per pattern, its place in that list or -1.
    let digitRunPatterns: [Int]
    let digitRunSlots: [Int]
    /// Per byte, 1 for a digit and 2 for a separator of any of their rules; and the fewest bytes
    /// any of their runs spans.
    let digitRunClasses: [UInt8]
    let digitRunSpan: Int
    /// Per digit-run pattern, the fewest bytes and the fewest digits a stretch needs to hold one
    /// of its candidates.
    let digitRunNeeds: [(bytes: Int, digits: Int)]
    let keyRules: KeyRules
    let keyRulesSpec: KeyRulesSpec
    let globalAllowValues: Set<[UInt8]>
    let globalAllowRegexes: [Regex]
    /// Recognizes the sanitizer's own output (`[EMAIL]`, `[EMAIL_2]`, `[EMAIL:3fa4…]`) so that
    /// sanitizing twice changes nothing.
    let operatorOutput: Regex
    /// Scratch capacity that fits every pattern's groups.
    let captureCapacity: Int
    /// Match scratch of that capacity, reused from call to call.
    let scratchPool: MatchScratchPool
    /// The operator for key-rule findings in JSON: the override, else the file's default.
    let keyRuleOperator: RedactionOperator

    /// What the caller selected; applied while compiling.
    struct Selection: Sendable {
        var onlyLabels: Set<String>?
        var disabledIDs: Set<String> = []
        var operatorOverride: RedactionOperator?
        var jit: JITChoice = .attempt
        /// Off runs every pattern over whole blocks, for tests that prove both paths agree.
        var prefilters = true
    }

    /// Loads the built-in set, a user file, or a user file that extends the built-in set.
    /// - Throws: `SanitizerError` naming the file, pointer and pattern for any problem.
    init(userFile: PatternFile?, selection: Selection) throws(SanitizerError) {
        var specs: [PatternSpec] = []
        var keyRulesSpec = KeyRulesSpec()
        var defaultOperator = RedactionOperator.defaultReplace
        var allow = Allowlist()
        let files: [PatternFile]
        if let userFile {
            files = userFile.extends.contains("builtin") ? [try PatternFile.builtin(), userFile] : [userFile]
        } else {
            files = [try PatternFile.builtin()]
        }
        for file in files {
            for (k, id) in file.disable.enumerated() {
                guard let i = specs.firstIndex(where: { $0.id == id }) else {
                    throw .invalidPatternFile(file: file.file, pointer: "/disable/\(k)", patternID: id,
                                              reason: "cannot disable unknown pattern id '\(id)'")
                }
                specs[i].enabled = false
            }
            for spec in file.patterns {
                if let i = specs.firstIndex(where: { $0.id == spec.id }) { specs[i] = spec } else { specs.append(spec) }
            }
            if let rules = file.keyRules {
                keyRulesSpec.terms += rules.terms
                keyRulesSpec.neutralizeAfter += rules.neutralizeAfter
                keyRulesSpec.neutralizeBefore += rules.neutralizeBefore
                keyRulesSpec.sensitiveExamples += rules.sensitiveExamples
                keyRulesSpec.notSensitiveExamples += rules.notSensitiveExamples
            }
            if let op = file.defaultOperator { defaultOperator = op }
            allow.values += file.allowlist.values
            allow.regexes += file.allowlist.regexes
        }
        let known = Set(specs.map(\.id))
        let unknownIDs = selection.disabledIDs.subtracting(known)
        guard unknownIDs.isEmpty else { throw .unknownSelection(kind: "pattern id", names: unknownIDs.sorted()) }
        if let only = selection.onlyLabels {
            let labels = Set(specs.map(\.label)).union(keyRulesSpec.terms.map(\.label))
            let unknown = only.subtracting(labels)
            guard unknown.isEmpty else { throw .unknownSelection(kind: "label", names: unknown.sorted()) }
        }

        let fileName = files.last?.file ?? "<built-in>"
        func compile(_ pattern: String, _ options: RegexOptions, pointer: String, file: String, id: String?) throws(SanitizerError) -> Regex {
            do {
                return try Regex(pattern, options: options, jit: selection.jit)
            } catch {
                throw .invalidPatternFile(file: file, pointer: pointer, patternID: id, reason: "regex does not compile: \(error)")
            }
        }
        var keywordIndex: [[UInt8]: Int] = [:]
        var compiled: [CompiledPattern] = []
        var capacity = 1
        for spec in specs where spec.enabled && !selection.disabledIDs.contains(spec.id) {
            if let only = selection.onlyLabels, !only.contains(spec.label), spec.kind != .kvText { continue }
            var options: RegexOptions = []
            if spec.flags.contains("i") { options.insert(.caseless) }
            if spec.flags.contains("m") { options.insert(.multiline) }
            if spec.flags.contains("s") { options.insert(.dotAll) }
            if spec.flags.contains("x") { options.insert(.extended) }
            let regex = try compile(spec.regex, options, pointer: spec.pointer + "/regex", file: spec.file, id: spec.id)
            var anchored: Regex?
            if spec.matchStart != nil && selection.prefilters {
                anchored = try compile(spec.regex, options.union(.anchored), pointer: spec.pointer + "/regex", file: spec.file, id: spec.id)
            }
            func fail(_ member: String, _ reason: String) -> SanitizerError {
                .invalidPatternFile(file: spec.file, pointer: "\(spec.pointer)/\(member)", patternID: spec.id, reason: reason)
            }
            let group: Int
            switch spec.group {
            case let .number(n):
                guard n <= regex.captureCount else { throw fail("group", "group \(n) does not exist (the regex has \(regex.captureCount))") }
                group = n
            case let .name(name):
                guard let n = regex.groupNumber(named: name) else { throw fail("group", "the regex has no group named '\(name)'") }
                group = n
            }
            var keyGroup: Int?
            if spec.kind == .kvText {
                guard let k = regex.groupNumber(named: "key"), regex.groupNumber(named: "value") != nil else {
                    throw fail("regex", "a kv_text pattern needs named groups 'key' and 'value'")
                }
                keyGroup = k
            }
            let ids = spec.keywords.map { k in
                let lowered = k.utf8.map(KeywordScanner.lower)
                if let i = keywordIndex[lowered] { return i }
                keywordIndex[lowered] = keywordIndex.count
                return keywordIndex.count - 1
            }
            var allowRegexes: [Regex] = []
            for (i, r) in spec.allowlist.regexes.enumerated() {
                allowRegexes.append(try compile(r, [], pointer: "\(spec.pointer)/allowlist/regexes/\(i)", file: spec.file, id: spec.id))
            }
            capacity = max(capacity, regex.captureCount + 1)
            compiled.append(CompiledPattern(
                spec: spec, regex: regex, group: group, keyGroup: keyGroup, keywordIDs: ids,
                prefilter: selection.prefilters ? spec.prefilter.map(Prefilter.init) : nil, anchored: anchored,
                allowValues: Set(spec.allowlist.values.map { Array($0.utf8) }), allowRegexes: allowRegexes,
                operator: selection.operatorOverride ?? spec.operator ?? defaultOperator))
        }
        var keywordList = [[UInt8]](repeating: [], count: keywordIndex.count)
        for (k, i) in keywordIndex { keywordList[i] = k }

        var globalRegexes: [Regex] = []
        for (i, r) in allow.regexes.enumerated() {
            globalRegexes.append(try compile(r, [], pointer: "/allowlist/regexes/\(i)", file: fileName, id: nil))
        }
        self.patterns = compiled
        self.allSpecs = specs
        self.keywords = KeywordScanner(keywords: keywordList)
        self.keywordTables = compiled.map { [keywords] in keywords.table(for: $0.keywordIDs) }
        var byKeyword = [[Int]](repeating: [], count: keywordList.count)
        for (i, p) in compiled.enumerated() { for k in Set(p.keywordIDs) { byKeyword[k].append(i) } }
        self.patternsByKeyword = byKeyword
        var always = [UInt64](repeating: 0, count: (compiled.count + 63) / 64)
        for (i, p) in compiled.enumerated() where p.keywordIDs.isEmpty { always[i >> 6] |= 1 << UInt64(i & 63) }
        self.alwaysRunWords = always
        self.quickTests = compiled.map { $0.prefilter?.quick ?? .always }
        let digitRuns = compiled.indices.filter { compiled[$0].prefilter?.isDigitRuns == true }
        var slots = [Int](repeating: -1, count: compiled.count)
        var classes = [UInt8](repeating: 0, count: 256)
        var span = Int.max
        var needs: [(bytes: Int, digits: Int)] = []
        for (slot, i) in digitRuns.enumerated() {
            slots[i] = slot
            var need = (bytes: Int.max, digits: Int.max)
            for case let .run(run) in compiled[i].prefilter!.rules {
                for b in UInt8(ascii: "0")...UInt8(ascii: "9") { classes[Int(b)] = 1 }
                for b in run.separators { classes[Int(b)] = 2 }
                span = min(span, Prefilter.span(of: run))
                need = (min(need.bytes, Prefilter.span(of: run)), min(need.digits, max(run.minUnits, run.minGroups)))
            }
            needs.append(need)
        }
        self.digitRunNeeds = needs
        self.digitRunPatterns = digitRuns
        self.digitRunSlots = slots
        self.digitRunClasses = classes
        self.digitRunSpan = span
        self.keywordGroups = compiled.map { p in compiled.firstIndex { Set($0.keywordIDs) == Set(p.keywordIDs) }! }
        self.keyRulesSpec = keyRulesSpec
        self.keyRules = KeyRules(
            terms: keyRulesSpec.terms.compactMap { t in
                if let only = selection.onlyLabels, !only.contains(t.label) { return nil }
                return KeyRules.Term(words: t.term.split(separator: " ").map(String.init), label: t.label, mode: t.mode)
            },
            neutralizeAfter: Set(keyRulesSpec.neutralizeAfter),
            neutralizeBefore: Set(keyRulesSpec.neutralizeBefore))
        self.globalAllowValues = Set(allow.values.map { Array($0.utf8) })
        self.globalAllowRegexes = globalRegexes
        // Cannot fail: a fixed, tested pattern.
        self.operatorOutput = try! Regex(#"^(?:\[[A-Z][A-Z0-9_]*(?:_[0-9]+|:[0-9a-f]{8,64})?\]|\[REDACTED(?::[A-Z][A-Z0-9_]*)?\])$"#, jit: selection.jit)
        self.captureCapacity = capacity
        scratchPool = MatchScratchPool(captureCapacity: capacity)
        self.keyRuleOperator = selection.operatorOverride ?? defaultOperator
    }
}

extension PatternFile {
    /// The built-in set, embedded at build time from `patterns/default.json`.
    static func builtin() throws(SanitizerError) -> PatternFile {
        try PatternFile(bytes: Array(builtinPatternFileText.utf8), file: "<built-in>/default.json")
    }
}
