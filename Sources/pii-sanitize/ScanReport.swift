import PIISanitizer

/// Findings of a scan, rendered as text, JSON or SARIF 2.1.0. Never holds a value.
struct ScanReport {
    private var entries: [(file: String, finding: Finding)] = []

    var isEmpty: Bool { entries.isEmpty }

    mutating func add(file: String, findings: [Finding]) {
        entries += findings.map { (file, $0) }
    }

    /// `FILE:LINE:COLUMN: LABEL (pattern)` or, for JSON, `FILE:LINE: POINTER: LABEL (pattern)`.
    func text() -> String {
        var lines: [String] = []
        for (file, f) in entries {
            var location = "\(file):\(f.line ?? 0)"
            if let pointer = f.jsonPointer {
                location += ": \(pointer.isEmpty ? "/" : pointer)"
            } else if let column = f.column {
                location += ":\(column)"
            }
            lines.append("\(location): \(f.label) (\(f.patternID))")
        }
        let counts = Dictionary(grouping: entries, by: { $0.finding.label }).mapValues(\.count)
        let summary = counts.isEmpty ? "no findings" : "\(entries.count) finding(s): " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"findings": [...], "counts": {...}}`.
    func json() -> String {
        var items: [String] = []
        for (file, f) in entries {
            var fields = ["\"file\": \(quote(file))", "\"label\": \(quote(f.label))", "\"patternId\": \(quote(f.patternID))"]
            if let line = f.line { fields.append("\"line\": \(line)") }
            if let column = f.column, f.jsonPointer == nil { fields.append("\"column\": \(column)") }
            if let pointer = f.jsonPointer { fields.append("\"jsonPointer\": \(quote(pointer))") }
            fields.append("\"byteStart\": \(f.byteRange.lowerBound)")
            fields.append("\"byteEnd\": \(f.byteRange.upperBound)")
            items.append("    {" + fields.joined(separator: ", ") + "}")
        }
        let counts = Dictionary(grouping: entries, by: { $0.finding.label }).mapValues(\.count)
        let countText = counts.sorted { $0.key < $1.key }.map { "\(quote($0.key)): \($0.value)" }.joined(separator: ", ")
        return "{\n  \"findings\": [\n" + items.joined(separator: ",\n") + (items.isEmpty ? "" : "\n") + "  ],\n  \"counts\": {\(countText)}\n}\n"
    }

    /// A SARIF 2.1.0 log with one run; rules are the pattern ids (plus `key_rules`).
    func sarif(rules patterns: [PatternDescription]) -> String {
        var rules = patterns.map { p in
            "{\"id\": \(quote(p.id)), \"name\": \(quote(p.label)), \"shortDescription\": {\"text\": \(quote(p.description ?? p.label))}}"
        }
        rules.append("{\"id\": \"key_rules\", \"name\": \"SENSITIVE_KEY\", \"shortDescription\": {\"text\": \"A value under a sensitive key (password, api_key, …)\"}}")
        var results: [String] = []
        for (file, f) in entries {
            var region = "\"startLine\": \(max(1, f.line ?? 1))"
            if let column = f.column { region += ", \"startColumn\": \(max(1, column))" }
            var location = "{\"physicalLocation\": {\"artifactLocation\": {\"uri\": \(quote(file))}, \"region\": {\(region)}}"
            if let pointer = f.jsonPointer {
                location += ", \"logicalLocations\": [{\"fullyQualifiedName\": \(quote(pointer)), \"kind\": \"member\"}]"
            }
            location += "}"
            let message = "\(f.label) found (\(f.patternID))"
            results.append("{\"ruleId\": \(quote(f.patternID)), \"level\": \"error\", \"message\": {\"text\": \(quote(message))}, \"locations\": [\(location)]}")
        }
        return """
            {
              "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
              "version": "2.1.0",
              "runs": [
                {
                  "tool": {"driver": {"name": "pii-sanitize", "version": "0.1.0", "rules": [
                    \(rules.joined(separator: ",\n        "))
                  ]}},
                  "results": [
                    \(results.joined(separator: ",\n      "))
                  ]
                }
              ]
            }

            """
    }

    private func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += "\\u00" + (u.value < 0x10 ? "0" : "") + String(u.value, radix: 16)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
