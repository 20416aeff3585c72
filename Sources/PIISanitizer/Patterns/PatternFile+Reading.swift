import PCRE2

extension PatternFile {
    /// Reads and checks a pattern file's schema; regexes are compiled later, by `PatternSet`.
    /// - Throws: `SanitizerError` naming the file, the JSON Pointer and, where known, the pattern id.
    init(bytes: [UInt8], file: String) throws(SanitizerError) {
        let tree: JSONTree
        do {
            tree = try JSONTreeParser.parse(bytes)
        } catch {
            throw .patternFileSyntax(file: file, line: error.line, column: error.column, expected: error.expected)
        }
        let reader = TreeReader(file: file)
        let top = try reader.object(
            tree, at: "",
            allowed: ["$schema", "version", "name", "description", "extends", "disable", "defaults", "allowlist",
                      "patterns", "keyRules"])
        self.file = file
        guard let versionTree = top["version"] else { throw reader.fail("", "missing member 'version'") }
        let version = try reader.int(versionTree, at: top.at("version"), in: 0...Int.max)
        guard version == Self.schemaVersion else {
            throw reader.fail(top.at("version"), "unsupported schema version \(version) (this build reads version \(Self.schemaVersion))")
        }
        name = try top["name"].map { t throws(SanitizerError) in try reader.string(t, at: top.at("name")) }
        if let t = top["description"] { _ = try reader.string(t, at: top.at("description")) }
        if let t = top["extends"] {
            extends = try reader.strings(t, at: top.at("extends"))
            for (i, e) in extends.enumerated() where e != "builtin" {
                throw reader.fail("\(top.at("extends"))/\(i)", "unknown base '\(e)' (only 'builtin' exists)")
            }
        }
        if let t = top["disable"] { disable = try reader.strings(t, at: top.at("disable")) }
        if let t = top["defaults"] {
            let d = try reader.object(t, at: top.at("defaults"), allowed: ["operator"])
            if let op = d["operator"] { defaultOperator = try reader.redactionOperator(op, at: d.at("operator")) }
        }
        if let t = top["allowlist"] { allowlist = try reader.allowlist(t, at: top.at("allowlist")) }
        if let t = top["patterns"] {
            var seen: [String: String] = [:]
            for (i, p) in try reader.array(t, at: top.at("patterns")).enumerated() {
                let spec = try reader.pattern(p, at: "\(top.at("patterns"))/\(i)")
                if let first = seen[spec.id] {
                    var named = reader
                    named.patternID = spec.id
                    throw named.fail("\(spec.pointer)/id", "duplicate pattern id '\(spec.id)' (first defined at \(first))")
                }
                seen[spec.id] = spec.pointer
                patterns.append(spec)
            }
        }
        if let t = top["keyRules"] { keyRules = try reader.keyRules(t, at: top.at("keyRules")) }
    }
}

extension TreeReader {
    private static let patternMembers: Set<String> = [
        "id", "label", "category", "description", "enabled", "kind", "regex", "flags", "group", "keywords",
        "prefilter", "matchStart", "validator", "trimTrailingGroup", "minEntropy", "allowlist", "priority", "operator", "examples", "source",
    ]

    fileprivate func pattern(_ tree: JSONTree, at pointer: String) throws(SanitizerError) -> PatternSpec {
        var reader = self
        // Read the id first so every later error can name the pattern.
        if case let .object(members) = tree, let idTree = members.first(where: { $0.key == "id" })?.value,
            case let .string(id) = idTree
        {
            reader.patternID = id
        }
        let o = try reader.object(tree, at: pointer, allowed: Self.patternMembers)
        func required(_ key: String) throws(SanitizerError) -> JSONTree {
            guard let t = o[key] else { throw reader.fail(pointer, "missing member '\(key)'") }
            return t
        }
        let id = try reader.string(try required("id"), at: o.at("id"))
        // Checked by hand: a Swift Regex literal costs milliseconds of start-up to build.
        func isSnake(_ s: String, letters: ClosedRange<UInt8>) -> Bool {
            guard let first = s.utf8.first, letters.contains(first) else { return false }
            return s.utf8.allSatisfy { letters.contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "_") }
        }
        guard id.utf8.count <= 64, isSnake(id, letters: 0x61...0x7A) else {
            throw reader.fail(o.at("id"), "id must be lower_snake_case ([a-z][a-z0-9_]*, at most 64 bytes)")
        }
        let label = try reader.string(try required("label"), at: o.at("label"))
        guard isSnake(label, letters: 0x41...0x5A) else {
            throw reader.fail(o.at("label"), "label must be UPPER_SNAKE_CASE")
        }
        let categoryText = try reader.string(try required("category"), at: o.at("category"))
        guard let category = PatternSpec.Category(rawValue: categoryText) else {
            throw reader.fail(o.at("category"), "category must be one of pii, secret, custom")
        }
        let regex = try reader.string(try required("regex"), at: o.at("regex"))
        var spec = PatternSpec(id: id, label: label, category: category, regex: regex, pointer: pointer, file: file)
        if let t = o["description"] { spec.description = try reader.string(t, at: o.at("description")) }
        if let t = o["source"] { _ = try reader.string(t, at: o.at("source")) }
        if let t = o["enabled"] { spec.enabled = try reader.bool(t, at: o.at("enabled")) }
        if let t = o["kind"] {
            let k = try reader.string(t, at: o.at("kind"))
            guard let kind = PatternSpec.Kind(rawValue: k) else {
                throw reader.fail(o.at("kind"), "kind must be 'regex' or 'kv_text'")
            }
            spec.kind = kind
        }
        if let t = o["flags"] {
            spec.flags = try reader.string(t, at: o.at("flags"))
            guard spec.flags.allSatisfy({ "imsx".contains($0) }) else {
                throw reader.fail(o.at("flags"), "flags may only contain i, m, s, x")
            }
        }
        if let t = o["group"] {
            switch t {
            case .string(let name): spec.group = .name(name)
            default: spec.group = .number(try reader.int(t, at: o.at("group"), in: 0...99))
            }
        }
        if let t = o["keywords"] {
            spec.keywords = try reader.strings(t, at: o.at("keywords"))
            for (i, k) in spec.keywords.enumerated() where k.isEmpty || !k.utf8.allSatisfy({ $0 < 0x80 }) {
                throw reader.fail("\(o.at("keywords"))/\(i)", "keywords must be non-empty ASCII literals")
            }
        }
        if let t = o["prefilter"] {
            guard spec.kind == .regex else { throw reader.fail(o.at("prefilter"), "a kv_text pattern runs on its keyword lines already; 'prefilter' applies to kind 'regex'") }
            spec.prefilter = try reader.prefilter(t, at: o.at("prefilter"))
        }
        if let t = o["matchStart"] {
            guard spec.kind == .kvText, !spec.keywords.isEmpty else {
                throw reader.fail(o.at("matchStart"), "'matchStart' applies to kind 'kv_text' with keywords")
            }
            spec.matchStart = try reader.matchStart(t, at: o.at("matchStart"))
        }
        if let t = o["validator"] { spec.validator = try reader.validator(t, at: o.at("validator")) }
        if let t = o["trimTrailingGroup"] { spec.trimTrailingGroup = try reader.bool(t, at: o.at("trimTrailingGroup")) }
        if let t = o["minEntropy"] { spec.minEntropy = try reader.double(t, at: o.at("minEntropy")) }
        if let t = o["allowlist"] { spec.allowlist = try reader.allowlist(t, at: o.at("allowlist")) }
        if let t = o["priority"] { spec.priority = try reader.int(t, at: o.at("priority"), in: 0...100) }
        if let t = o["operator"] { spec.operator = try reader.redactionOperator(t, at: o.at("operator")) }
        if let t = o["examples"] { spec.examples = try reader.examples(t, at: o.at("examples")) }
        return spec
    }

    fileprivate func allowlist(_ tree: JSONTree, at pointer: String) throws(SanitizerError) -> Allowlist {
        let o = try object(tree, at: pointer, allowed: ["values", "regexes"])
        var list = Allowlist()
        if let t = o["values"] { list.values = try strings(t, at: o.at("values")) }
        if let t = o["regexes"] { list.regexes = try strings(t, at: o.at("regexes")) }
        return list
    }

    fileprivate func examples(_ tree: JSONTree, at pointer: String) throws(SanitizerError) -> Examples {
        let o = try object(tree, at: pointer, allowed: ["positive", "negative"])
        var examples = Examples()
        if let t = o["positive"] {
            for (i, item) in try array(t, at: o.at("positive")).enumerated() {
                let p = "\(o.at("positive"))/\(i)"
                let e = try object(item, at: p, allowed: ["text", "match"])
                guard let text = e["text"], let match = e["match"] else {
                    throw fail(p, "a positive example needs 'text' and 'match' (the exact span redacted)")
                }
                let positive = Examples.Positive(text: try string(text, at: e.at("text")), match: try string(match, at: e.at("match")))
                // Bytes, as `runExamples` compares spans; `String.contains` compares characters
                // and, without Foundation, costs some 65 000 instructions a call at start-up.
                guard !positive.match.isEmpty, Array(positive.text.utf8).contains(Array(positive.match.utf8)) else {
                    throw fail(e.at("match"), "'match' must be a non-empty part of 'text'")
                }
                examples.positive.append(positive)
            }
        }
        if let t = o["negative"] { examples.negative = try strings(t, at: o.at("negative")) }
        return examples
    }

    /// `"replace"` or `{"type": "mask", "keepLast": 4}` and so on.
    func redactionOperator(_ tree: JSONTree, at pointer: String) throws(SanitizerError) -> RedactionOperator {
        if case let .string(name) = tree {
            guard let op = RedactionOperator(name: name) else {
                throw fail(pointer, "unknown operator '\(name)' (replace, mask, hash, placeholder, remove)")
            }
            return op
        }
        let o = try object(tree, at: pointer, allowed: ["type", "template", "keepLast", "character", "length"])
        guard let typeTree = o["type"] else { throw fail(pointer, "missing member 'type'") }
        let type = try string(typeTree, at: o.at("type"))
        func template(_ fallback: String) throws(SanitizerError) -> String {
            guard let t = o["template"] else { return fallback }
            return try string(t, at: o.at("template"))
        }
        func reject(_ members: [String]) throws(SanitizerError) {
            for m in members where o[m] != nil { throw fail(o.at(m), "'\(m)' does not apply to operator '\(type)'") }
        }
        switch type {
        case "replace":
            try reject(["keepLast", "character", "length"])
            return .replace(template: try template("[{label}]"))
        case "mask":
            try reject(["template", "length"])
            let keep = try o["keepLast"].map { t throws(SanitizerError) in try int(t, at: o.at("keepLast"), in: 0...64) } ?? 4
            var character: Character = "*"
            if let t = o["character"] {
                let s = try string(t, at: o.at("character"))
                guard s.count == 1, let c = s.first else { throw fail(o.at("character"), "expected one character") }
                character = c
            }
            return .mask(keepLast: keep, character: character)
        case "hash":
            try reject(["template", "keepLast", "character"])
            return .hash(length: try o["length"].map { t throws(SanitizerError) in try int(t, at: o.at("length"), in: 8...64) } ?? 16)
        case "placeholder":
            try reject(["keepLast", "character", "length"])
            return .placeholder(template: try template("[{label}_{n}]"))
        case "remove":
            try reject(["template", "keepLast", "character", "length"])
            return .remove
        default:
            throw fail(o.at("type"), "unknown operator '\(type)' (replace, mask, hash, placeholder, remove)")
        }
    }

    /// `[{"literal": "@"}, {"run": "digit", "separators": " -", "minUnits": 13}]`: at least one rule.
    fileprivate func prefilter(_ tree: JSONTree, at pointer: String) throws(SanitizerError) -> [Prefilter.Rule] {
        var rules: [Prefilter.Rule] = []
        for (i, item) in try array(tree, at: pointer).enumerated() {
            let p = "\(pointer)/\(i)"
            let o = try object(item, at: p, allowed: ["literal", "run", "separators", "maxGap", "minUnits", "maxUnits", "minGroups"])
            if let t = o["literal"] {
                for key in ["run", "separators", "maxGap", "minUnits", "maxUnits", "minGroups"] where o[key] != nil {
                    throw fail(o.at(key), "'\(key)' does not apply to a literal rule")
                }
                let literal = try string(t, at: o.at("literal"))
                guard !literal.isEmpty, literal.utf8.allSatisfy({ $0 < 0x80 && $0 != 0x0A }) else {
                    throw fail(o.at("literal"), "a literal must be non-empty ASCII without a line break")
                }
                rules.append(.literal(literal.utf8.map(KeywordScanner.lower)))
                continue
            }
            guard let unitTree = o["run"] else { throw fail(p, "a prefilter rule needs 'literal' or 'run'") }
            let unitName = try string(unitTree, at: o.at("run"))
            guard let unit = Prefilter.Run.Unit(rawValue: unitName) else {
                throw fail(o.at("run"), "run must be one of \(Prefilter.Run.Unit.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var run = Prefilter.Run(unit: unit, separators: [])
            if let t = o["separators"] {
                run.separators = Array(try string(t, at: o.at("separators")).utf8)
                guard run.separators.allSatisfy({ $0 < 0x80 && $0 != 0x0A && !Prefilter.isUnit($0, unit) }) else {
                    throw fail(o.at("separators"), "separators must be ASCII, not a line break and not \(unit.rawValue) units")
                }
            }
            if let t = o["maxGap"] { run.maxGap = try int(t, at: o.at("maxGap"), in: 1...8) }
            if let t = o["minUnits"] { run.minUnits = try int(t, at: o.at("minUnits"), in: 1...1024) }
            if let t = o["maxUnits"] { run.maxUnits = try int(t, at: o.at("maxUnits"), in: run.minUnits...1024) }
            if let t = o["minGroups"] { run.minGroups = try int(t, at: o.at("minGroups"), in: 1...64) }
            rules.append(.run(run))
        }
        guard !rules.isEmpty else { throw fail(pointer, "a prefilter needs at least one rule (omit it to scan everything)") }
        return rules
    }

    /// `{"wordBytes": "A-Za-z0-9_.-", "maxKeywordOffset": 40}`; `wordBytes` lists ASCII bytes and
    /// ranges (`a-z`); a `-` first or last is itself.
    fileprivate func matchStart(_ tree: JSONTree, at pointer: String) throws(SanitizerError) -> MatchStart {
        let o = try object(tree, at: pointer, allowed: ["wordBytes", "maxKeywordOffset"])
        guard let bytesTree = o["wordBytes"], let offsetTree = o["maxKeywordOffset"] else {
            throw fail(pointer, "'matchStart' needs 'wordBytes' and 'maxKeywordOffset'")
        }
        let text = Array(try string(bytesTree, at: o.at("wordBytes")).utf8)
        guard !text.isEmpty, text.allSatisfy({ $0 < 0x80 && $0 != 0x0A }) else {
            throw fail(o.at("wordBytes"), "wordBytes must be non-empty ASCII without a line break")
        }
        var word = [Bool](repeating: false, count: 256)
        var i = 0
        while i < text.count {
            if i + 2 < text.count, text[i + 1] == UInt8(ascii: "-") {
                guard text[i] <= text[i + 2] else { throw fail(o.at("wordBytes"), "range out of order in wordBytes") }
                for b in text[i]...text[i + 2] { word[Int(b)] = true }
                i += 3
            } else {
                word[Int(text[i])] = true
                i += 1
            }
        }
        return MatchStart(wordBytes: word, maxKeywordOffset: try int(offsetTree, at: o.at("maxKeywordOffset"), in: 0...1024))
    }

    /// `"luhn"` or `{"name": "ipv4", "skip": ["loopback"]}`.
    fileprivate func validator(_ tree: JSONTree, at pointer: String) throws(SanitizerError) -> ValidatorSpec {
        let name: String
        var params = ObjectView(members: [], pointer: pointer)
        if case let .string(s) = tree {
            name = s
        } else {
            params = try object(tree, at: pointer, allowed: ["name", "skip", "minEntropy", "minLength", "allowIdentifiers", "minDigits", "maxDigits"])
            guard let t = params["name"] else { throw fail(pointer, "missing member 'name'") }
            name = try string(t, at: params.at("name"))
        }
        func allow(_ keys: Set<String>) throws(SanitizerError) {
            for (key, _) in params.members where key != "name" && !keys.contains(key) {
                throw fail(params.at(key), "validator '\(name)' takes no parameter '\(key)'")
            }
        }
        switch name {
        case "luhn": try allow([]); return .luhn
        case "iban_mod97": try allow([]); return .ibanMod97
        case "us_ssn": try allow([]); return .usSSN
        case "ipv6": try allow([]); return .ipv6
        case "mac": try allow([]); return .mac
        case "jwt": try allow([]); return .jwt
        case "basic_auth": try allow([]); return .basicAuth
        case "ipv4":
            try allow(["skip"])
            var skip: Validators.IPv4Skip = []
            if let t = params["skip"] {
                for (i, s) in try strings(t, at: params.at("skip")).enumerated() {
                    switch s {
                    case "unspecified": skip.insert(.unspecified)
                    case "loopback": skip.insert(.loopback)
                    case "broadcast": skip.insert(.broadcast)
                    case "private": skip.insert(.private)
                    case "link_local": skip.insert(.linkLocal)
                    default:
                        throw fail("\(params.at("skip"))/\(i)", "unknown address class '\(s)' (unspecified, loopback, broadcast, private, link_local)")
                    }
                }
            }
            return .ipv4(skip: skip)
        case "phone":
            try allow(["minDigits", "maxDigits"])
            let minDigits = try params["minDigits"].map { t throws(SanitizerError) in try int(t, at: params.at("minDigits"), in: 7...15) } ?? 7
            let maxDigits = try params["maxDigits"].map { t throws(SanitizerError) in try int(t, at: params.at("maxDigits"), in: minDigits...15) } ?? 15
            return .phone(minDigits: minDigits, maxDigits: maxDigits)
        case "token_shape":
            try allow(["minEntropy"])
            return .tokenShape(minEntropy: try params["minEntropy"].map { t throws(SanitizerError) in try double(t, at: params.at("minEntropy")) } ?? 3.0)
        case "literal_value":
            try allow(["minLength", "allowIdentifiers"])
            let minLength = try params["minLength"].map { t throws(SanitizerError) in try int(t, at: params.at("minLength"), in: 1...64) } ?? 4
            let allowIdentifiers = try params["allowIdentifiers"].map { t throws(SanitizerError) in try bool(t, at: params.at("allowIdentifiers")) } ?? false
            return .literalValue(minLength: minLength, allowIdentifiers: allowIdentifiers)
        default:
            throw fail(params.members.isEmpty ? pointer : params.at("name"),
                       "unknown validator '\(name)' (known: \(ValidatorSpec.names.joined(separator: ", ")))")
        }
    }

    fileprivate func keyRules(_ tree: JSONTree, at pointer: String) throws(SanitizerError) -> KeyRulesSpec {
        let o = try object(tree, at: pointer, allowed: ["terms", "neutralizeAfter", "neutralizeBefore", "tests"])
        var spec = KeyRulesSpec()
        if let t = o["terms"] {
            for (i, item) in try array(t, at: o.at("terms")).enumerated() {
                let p = "\(o.at("terms"))/\(i)"
                let term = try object(item, at: p, allowed: ["term", "label", "mode"])
                guard let termTree = term["term"], let labelTree = term["label"] else {
                    throw fail(p, "a term needs 'term' and 'label'")
                }
                var mode = KeyRules.Term.Mode.token
                if let m = term["mode"] {
                    let text = try string(m, at: term.at("mode"))
                    guard let parsed = KeyRules.Term.Mode(rawValue: text) else {
                        throw fail(term.at("mode"), "mode must be token, token_with_prefix or exact")
                    }
                    mode = parsed
                }
                spec.terms.append(.init(term: try string(termTree, at: term.at("term")), label: try string(labelTree, at: term.at("label")), mode: mode))
            }
        }
        if let t = o["neutralizeAfter"] { spec.neutralizeAfter = try strings(t, at: o.at("neutralizeAfter")) }
        if let t = o["neutralizeBefore"] { spec.neutralizeBefore = try strings(t, at: o.at("neutralizeBefore")) }
        if let t = o["tests"] {
            let tests = try object(t, at: o.at("tests"), allowed: ["sensitive", "notSensitive"])
            if let s = tests["sensitive"] { spec.sensitiveExamples = try strings(s, at: tests.at("sensitive")) }
            if let s = tests["notSensitive"] { spec.notSensitiveExamples = try strings(s, at: tests.at("notSensitive")) }
        }
        return spec
    }
}
