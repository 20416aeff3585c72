import Testing

@Suite("CLI: fail closed")
struct FailClosedCLITests {
    @Test("--stats names the patterns that hit their match limit; the line is redacted whole")
    func stats() throws {
        let patterns = try CLI.file("evil.json", #"""
            {"version": 1, "extends": ["builtin"], "patterns": [
              {"id": "evil", "label": "EVIL", "category": "custom", "regex": "(a+)+$"}
            ]}
            """#)
        let input = String(repeating: "a", count: 40) + "b\nmail bob@example.com\n"
        let result = try CLI.run(["--patterns", patterns, "--stats"], stdin: Array(input.utf8))
        #expect(result.status == 0)
        #expect(result.out == "[EVIL]\nmail [EMAIL]\n")
        #expect(result.err == """
            pii-sanitize: 2 redacted
              EMAIL\t1
              EVIL\t1
              redacted whole because a pattern hit its match limit (fail closed): evil 1

            """)
    }
}
