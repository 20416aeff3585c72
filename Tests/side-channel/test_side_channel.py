"""Side channels: no labelled PII value of the development corpus reaches stderr, a scan report (text,
JSON, SARIF), --stats, or an MCP response or audit log, at every log level, also for broken input.

Run by ./test.sh (after Tests/mcp-client) as:
    PII_SANITIZE_BIN=.build/release/pii-sanitize .venv-ci/bin/python -m pytest Tests/side-channel

Stdlib and pytest only. The corpus is the committed copy in Tests/Fixtures/dev-corpus. Log levels,
report formats and operators are read from the binary's --help, so a new level or format is covered
without editing this file. A failure names the channel, PII type, record id and a hash of the value,
never the value: so no plain `assert` here touches an output (pytest would print it).
"""

import json
import os
import re
import subprocess
from functools import cache

import pytest

from leak_detector import SEPARATOR, Corpus, Leaks, Probe, find_in

BIN = os.environ.get("PII_SANITIZE_BIN", ".build/release/pii-sanitize")
# The hash operator needs a key; any 16+ bytes do.
ENV = {**os.environ, "PII_SANITIZE_HASH_KEY": "side-channel-test-key-0123456789"}
EXIT_FINDINGS, EXIT_DATA = 1, 65


def check(condition: bool, message: str) -> None:
    if not condition:
        pytest.fail(message, pytrace=False)


def no_leaks(leaks: Leaks) -> None:
    check(not leaks.found, leaks.message())


def decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def run(args: list[str], stdin: bytes | None = None, expect: tuple[int, ...] = (0,)) -> tuple[str, str]:
    proc = subprocess.run([BIN, *args], input=stdin, capture_output=True, timeout=120, env=ENV)
    shown = " ".join(args[:10]) + (f" … ({len(args) - 10} more)" if len(args) > 10 else "")
    check(proc.returncode in expect, f"pii-sanitize {shown}: exit {proc.returncode}, expected {expect} "
          f"(stderr {len(proc.stderr)} bytes, not shown: it may hold input)")
    return decode(proc.stdout), decode(proc.stderr)


# MARK: what the binary offers, from its --help

@cache
def help_text(*subcommand: str) -> str:
    return run([*subcommand, "--help"])[0]


def choices(help: str, option: str) -> list[str]:
    """The values an option's help lists: `(values: a, b; default: …)` or `Some words: a, b, c.`"""
    match = re.search(rf"^\s+{re.escape(option)}\b.*?(?=^\s+-|\Z)", help, re.M | re.S)
    check(match is not None, f"--help no longer shows {option}")
    paragraph = " ".join(match.group(0).split())
    listed = re.search(r"\(values: ([^;)]+)", paragraph) or re.search(r": ([a-z]+(?:, [a-z]+)+)\.", paragraph)
    check(listed is not None, f"cannot read the values of {option} from --help")
    return [v.strip() for v in listed.group(1).split(",")]


def verbosities(subcommand: str) -> list[list[str]]:
    """Every log-level setting a subcommand accepts; [[]] when it has none (sanitize and scan today:
    their only stderr output is diagnostics and --stats, checked at the one setting there is)."""
    help = help_text(subcommand)
    variants = [["--log-level", level] for level in choices(help, "--log-level")] if "--log-level" in help else []
    variants += [[flag] for flag in ("-v", "--verbose", "--debug", "--trace", "-q", "--quiet") if re.search(rf"^\s+{flag}\b", help, re.M)]
    return variants or [[]]


def operators() -> list[str]:
    return choices(help_text("sanitize"), "--operator")


def report_formats() -> list[str]:
    return choices(help_text("scan"), "--report-format")


# MARK: the corpus

@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus()


@pytest.fixture(scope="module")
def files(tmp_path_factory, corpus):
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "text.txt").write_bytes(corpus.joined_text())
    (folder / "records.ndjson").write_bytes(corpus.ndjson())
    return folder


def truncated(line: str, probes: list[Probe]) -> str:
    """The record cut in the middle of its first labelled value (the JSON string is left open)."""
    positions = [(line.find(p.text), len(p.text)) for p in probes if p.form in ("value", "raw", "json-escaped", "leaf")]
    positions = sorted((at, n) for at, n in positions if at >= 0)
    at, n = positions[0] if positions else (0, len(line))
    return line[:at + n // 2]


def truncated_records(corpus: Corpus) -> list[bytes]:
    return [truncated(decode(r), ps).encode("utf-8", "surrogateescape") for r, ps in zip(corpus.records, corpus.record_probes)]


def json_view(line: str) -> str:
    """A JSON line as written plus every key and string in it, unescaped (`\\u0040` → `@`)."""
    try:
        value = json.loads(line)
    except ValueError:
        return line
    strings: list[str] = []

    def walk(v):
        if isinstance(v, dict):
            for k, x in v.items():
                strings.append(k)
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str):
            strings.append(v)
            if v[:1] in "{[":  # JSON inside a string (an MCP sanitize_json result): its strings too
                strings.append(json_view(v))

    walk(value)
    return line + "\n" + "\n".join(strings)


def check_text_output(leaks: Leaks, channel: str, out: str, corpus: Corpus) -> None:
    """Sanitized text: split at the separator lines, each part checked for its own text's values
    (a value of one text may legitimately occur unlabelled in another)."""
    parts = re.split(r"\n" + SEPARATOR + r"\r?\n", out)
    if len(parts) != len(corpus.texts):
        leaks.found.append(f"{channel}: {len(parts)} parts instead of {len(corpus.texts)}; checked as a whole")
        leaks.check(channel, out, corpus.all)
        return
    for part, probes in zip(parts, corpus.text_probes):
        leaks.check_record(channel, part, probes)


def check_ndjson_output(leaks: Leaks, channel: str, out: str, corpus: Corpus) -> None:
    lines = out.splitlines()
    if len(lines) != len(corpus.records):
        leaks.found.append(f"{channel}: {len(lines)} lines instead of {len(corpus.records)}; checked as a whole")
        leaks.check(channel, out, corpus.all)
        return
    for line, probes in zip(lines, corpus.record_probes):
        leaks.check_record(channel, json_view(line), probes)


def check_report(fmt: str, out: str, channel: str) -> None:
    """The report is a real one with findings, so a clean result means something."""
    if fmt == "json":
        check(len(json.loads(out)["findings"]) > 100, f"{channel}: the JSON report has too few findings")
    elif fmt == "sarif":
        check(len(json.loads(out)["runs"][0]["results"]) > 100, f"{channel}: the SARIF report has too few results")
    else:
        check("finding(s)" in out, f"{channel}: the text report has no summary line")


def test_detector_finds_every_value_in_the_unsanitized_corpus(corpus):
    # The detector itself can fail: every labelled value is found in its own unsanitized record.
    for text, probes in zip(corpus.texts, corpus.text_probes):
        check(len(find_in(text, probes)) >= len([p for p in probes if p.form == "value"]), "a text value is not found in its text")
    for line, probes in zip(corpus.records, corpus.record_probes):
        found = {(p.pii_type, p.form) for p in find_in(json_view(decode(line)), probes)}
        check(all((p.pii_type, p.form) in found for p in probes if p.form in ("value", "raw")), "a record value is not found in its record")
    check(len(corpus.all.find(decode(corpus.joined_text()))) > 2800, "the detector misses values in the joined texts")


# MARK: CLI, text

def test_cli_text_sanitize_with_stats(corpus, files):
    leaks = Leaks()
    text = corpus.joined_text()
    for verbosity in verbosities("sanitize"):
        for operator in operators():
            for source in ("stdin", "file"):
                args = ["sanitize", *verbosity, "--stats", "--operator", operator]
                out, err = run(args + ([str(files / "text.txt")] if source == "file" else []), stdin=text if source == "stdin" else None)
                channel = f"{' '.join(args)} <{source}>"
                check("redacted" in err, f"{channel}: no --stats on stderr")
                leaks.check(f"{channel}: stderr", err, corpus.all)
                check_text_output(leaks, f"{channel}: stdout", out, corpus)
    out, err = run(["--stats"], stdin=text)  # the default subcommand
    leaks.check("--stats (default subcommand): stderr", err, corpus.all)
    check_text_output(leaks, "--stats (default subcommand): stdout", out, corpus)
    no_leaks(leaks)


@pytest.mark.parametrize("kind", ["text", "ndjson"])
def test_cli_scan_reports(corpus, files, kind):
    leaks = Leaks()
    path = files / ("text.txt" if kind == "text" else "records.ndjson")
    for verbosity in verbosities("scan"):
        for fmt in report_formats():
            for subcommand, source in (("scan", "file"), ("check", "stdin")):
                for input_format in ("auto", kind):
                    args = [subcommand, *verbosity, "--report-format", fmt, "--format", input_format]
                    out, err = run(args + ([str(path)] if source == "file" else []),
                                   stdin=path.read_bytes() if source == "stdin" else None, expect=(EXIT_FINDINGS,))
                    channel = f"{' '.join(args)} <{source}>"
                    check_report(fmt, out, channel)
                    leaks.check(f"{channel}: report on stdout", out, corpus.all)
                    leaks.check(f"{channel}: stderr", err, corpus.all)
    no_leaks(leaks)


def test_cli_text_with_invalid_utf8(corpus):
    # Each text between bytes that are not UTF-8: diagnostics, stats and reports stay clean, and the
    # values are still redacted.
    data = ("\n" + SEPARATOR + "\n").encode().join(b"\xff " + t.encode() + b" \xc3" for t in corpus.texts) + b"\n"
    leaks = Leaks()
    out, err = run(["sanitize", "--stats", "--format", "text"], stdin=data)
    leaks.check("sanitize --stats (invalid UTF-8): stderr", err, corpus.all)
    check_text_output(leaks, "sanitize --stats (invalid UTF-8): stdout", out, corpus)
    for fmt in report_formats():
        out, err = run(["scan", "--report-format", fmt, "--format", "text"], stdin=data, expect=(EXIT_FINDINGS,))
        leaks.check(f"scan --report-format {fmt} (invalid UTF-8): report", out, corpus.all)
        leaks.check(f"scan --report-format {fmt} (invalid UTF-8): stderr", err, corpus.all)
    no_leaks(leaks)


# MARK: CLI, JSON

def test_cli_ndjson_sanitize_with_stats(corpus, files):
    leaks = Leaks()
    data = corpus.ndjson()
    for verbosity in verbosities("sanitize"):
        for operator in operators():
            for input_format in ("ndjson", "auto"):
                args = ["sanitize", *verbosity, "--stats", "--operator", operator, "--format", input_format]
                out, err = run(args, stdin=data)
                channel = " ".join(args)
                check("redacted" in err, f"{channel}: no --stats on stderr")
                leaks.check(f"{channel}: stderr", err, corpus.all)
                check_ndjson_output(leaks, f"{channel}: stdout", out, corpus)
    out, err = run(["--stats", str(files / "records.ndjson")])
    leaks.check("--stats records.ndjson: stderr", err, corpus.all)
    check_ndjson_output(leaks, "--stats records.ndjson: stdout", out, corpus)
    no_leaks(leaks)


def test_cli_broken_json_streams(corpus):
    # Every record cut in the middle of a labelled value, each followed by the whole record.
    broken = truncated_records(corpus)
    mixed = b"".join(t + b"\n" + r + b"\n" for t, r in zip(broken, corpus.records))
    leaks = Leaks()
    for policy in ("text", "skip"):
        args = ["sanitize", "--stats", "--format", "ndjson", "--on-invalid", policy]
        out, err = run(args, stdin=mixed)
        leaks.check(f"{' '.join(args)}: stderr", err, corpus.all)
        lines = out.splitlines()
        if policy == "text":  # the cut records come out sanitized as text: no value they still hold whole
            for line, cut, probes in zip(lines[0::2], broken, corpus.record_probes):
                held = [p for p in probes if p.text in decode(cut)]
                leaks.check_record(f"{' '.join(args)}: stdout, a cut record", line, held)
            lines = lines[1::2]
        check_ndjson_output(leaks, f"{' '.join(args)}: stdout, the whole records", "\n".join(lines), corpus)
    for args, data in ((["sanitize", "--stats", "--format", "ndjson", "--on-invalid", "fail"], mixed),
                       (["sanitize", "--stats", "--format", "json"], corpus.ndjson()),  # NDJSON is not one document
                       (["sanitize", "--stats", "--format", "json"], mixed)):
        out, err = run(args, stdin=data, expect=(EXIT_DATA,))
        check("line" in err, f"{' '.join(args)}: the error names no line")
        leaks.check(f"{' '.join(args)}: stderr", err, corpus.all)
        leaks.check(f"{' '.join(args)}: stdout", out, corpus.all)
    for fmt in report_formats():
        for input_format in ("ndjson", "json", "auto"):
            args = ["scan", "--report-format", fmt, "--format", input_format]
            out, err = run(args, stdin=mixed, expect=(EXIT_FINDINGS, EXIT_DATA))
            leaks.check(f"{' '.join(args)} (broken records): report", out, corpus.all)
            leaks.check(f"{' '.join(args)} (broken records): stderr", err, corpus.all)
    no_leaks(leaks)


def test_cli_each_truncated_record_is_an_error_that_does_not_echo_it(corpus, tmp_path):
    # One file per record: the CLI reports each bad file and goes on, so one run gives 600 messages.
    paths = []
    for record_id, line in zip(corpus.record_ids, truncated_records(corpus)):
        paths.append(tmp_path / f"{record_id}.json")
        paths[-1].write_bytes(line + b"\n")
    names = [str(p) for p in paths]
    leaks = Leaks()
    # (scan reads a bad NDJSON line as text, as `sanitize --on-invalid text` does: no error for it.)
    runs = [(["sanitize", "--stats", "--format", "json"], True),
            (["sanitize", "--stats", "--format", "ndjson", "--on-invalid", "fail"], True)]
    runs += [(["scan", "--report-format", fmt, "--format", f], f == "json") for fmt in report_formats() for f in ("json", "ndjson")]
    for args, each_fails in runs:
        out, err = run(args + names, expect=(EXIT_DATA,) if each_fails else (EXIT_FINDINGS, EXIT_DATA))
        if each_fails:
            check(sum(f"{p.name}'" in err for p in paths) == len(paths), f"{' '.join(args)}: not every file has its error")
        leaks.check(f"{' '.join(args)} <600 truncated records>: stderr", err, corpus.all)
        leaks.check(f"{' '.join(args)} <600 truncated records>: stdout", out, corpus.all)
    no_leaks(leaks)


# MARK: MCP server

# The tools this test knows how to feed; a new tool fails test_mcp_lists_only_tools_this_test_feeds
# until it is fed below.
FED_TOOLS = {"sanitize_text", "sanitize_json", "list_pii_types"}


def message(id, method: str, params=None) -> bytes:
    m = {"jsonrpc": "2.0", **({"id": id} if id is not None else {}), "method": method}
    return json.dumps(m | ({"params": params} if params is not None else {}), ensure_ascii=False).encode()


def tool_call(id: str, tool: str, arguments: bytes) -> bytes:
    """A tools/call line with `arguments` spliced in as bytes, so a record goes out exactly as written."""
    return b'{"jsonrpc":"2.0","id":"' + id.encode() + b'","method":"tools/call","params":{"name":"' + tool.encode() + b'","arguments":' + arguments + b"}}"


HANDSHAKE = [
    message("init", "initialize", {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "side-channel-test", "version": "1"}}),
    message(None, "notifications/initialized"),
]


def serve(args: list[str], lines: list[bytes]) -> tuple[list[tuple[str, dict]], str]:
    """`pii-sanitize mcp ARGS` with LINES on stdin, all at once (the server answers every request, then
    exits at end of input). Returns each stdout line with its message, and stderr (the audit log)."""
    proc = subprocess.run([BIN, "mcp", *args], input=b"\n".join(HANDSHAKE + lines) + b"\n", capture_output=True, timeout=120, env=ENV)
    check(proc.returncode == 0, f"mcp {' '.join(args)}: exit {proc.returncode}")
    messages = []
    for raw in decode(proc.stdout).splitlines():
        try:
            m = json.loads(raw)
        except ValueError:
            pytest.fail(f"mcp {' '.join(args)}: stdout holds a line that is not JSON (not shown)", pytrace=False)
        check(isinstance(m, dict) and m.get("jsonrpc") == "2.0", f"mcp {' '.join(args)}: stdout holds a non-JSON-RPC message")
        messages.append((raw, m))
    return messages, decode(proc.stderr)


@cache
def mcp_tools() -> dict:
    messages, _ = serve([], [message("list", "tools/list")])
    return {t["name"]: t for raw, m in messages if m.get("id") == "list" for t in m["result"]["tools"]}


def mcp_operators() -> list[str]:
    return mcp_tools()["sanitize_text"]["inputSchema"]["properties"]["operator"]["enum"]


def test_mcp_lists_only_tools_this_test_feeds():
    unfed = set(mcp_tools()) - FED_TOOLS
    check(not unfed, f"tools/list has {sorted(unfed)}: feed them the corpus in this file")
    check(any(v == ["--log-level", "trace"] for v in verbosities("mcp")), "mcp --help no longer lists the trace log level")


def corpus_calls(corpus: Corpus, operator: str | None) -> list[tuple[str, bytes, list[Probe] | None]]:
    """Every text through sanitize_text, every record through sanitize_json twice (the record itself as
    `json`, and a string holding it), and list_pii_types: (id, line, probes of the record or None)."""
    op = b',"operator":"' + operator.encode() + b'"' if operator else b""
    tag = operator or "default"
    calls = []
    for i, (text, probes) in enumerate(zip(corpus.texts, corpus.text_probes)):
        calls.append((f"t{i}-{tag}", tool_call(f"t{i}-{tag}", "sanitize_text", json.dumps({"text": text}, ensure_ascii=False).encode()[:-1] + op + b"}"), probes))
    for i, (record, probes) in enumerate(zip(corpus.records, corpus.record_probes)):
        calls.append((f"j{i}-{tag}", tool_call(f"j{i}-{tag}", "sanitize_json", b'{"json":' + record + op + b"}"), probes))
        as_string = json.dumps({"json": decode(record)}, ensure_ascii=False).encode()[:-1] + op + b"}"
        calls.append((f"s{i}-{tag}", tool_call(f"s{i}-{tag}", "sanitize_json", as_string), probes))
    calls.append((f"list-{tag}", tool_call(f"list-{tag}", "list_pii_types", b"{}"), None))
    return calls


def test_mcp_corpus_at_every_log_level(corpus):
    # Every operator at the most verbose level, the default one at the others.
    leaks = Leaks()
    for verbosity in verbosities("mcp"):
        operators = [None] + (mcp_operators() if verbosity[-1] == "trace" else [])
        calls = [c for op in operators for c in corpus_calls(corpus, op)]
        messages, err = serve(verbosity, [line for _, line, _ in calls] + [message("end", "ping")])
        answers = {m.get("id"): (raw, m) for raw, m in messages}
        channel = f"mcp {' '.join(verbosity)}"
        leaks.check(f"{channel}: stderr", err, corpus.all)
        if verbosity[-1] in ("trace", "debug", "info"):
            check(err.count("tools/call") >= len(calls), f"{channel}: fewer audit lines than calls")
        for id, _, probes in calls:
            check(id in answers, f"{channel}: no answer to {id}")
            raw, m = answers[id]
            check("result" in m and not m["result"].get("isError"), f"{channel}: {id} is an error")
            if probes is None:
                leaks.check(f"{channel}: {id} result", json_view(raw), corpus.all)
            else:
                leaks.check_record(f"{channel}: {id} result", json_view(raw), probes)
    no_leaks(leaks)


def malformed_requests(corpus: Corpus, rotate: bool = False) -> tuple[list[tuple[str, bytes, str]], int]:
    """Requests that carry a labelled value where the server must not echo it: (id, line, what the
    answer must be: "error", "tool_error", "none", or "null_id" for an error with id null: the line
    is not JSON or is a batch), and how many of those.
    With `rotate`, each text and record gives one kind of request, in turn."""
    kinds: list[list[tuple[str, bytes, str]]] = []
    for i, (text, probes) in enumerate(zip(corpus.texts, corpus.text_probes)):
        requests: list[tuple[str, bytes, str]] = []
        values = [p.text for p in probes if p.form == "value"]
        if not values:
            continue
        v = values[0]
        digits = "".join(c for c in v if c in "0123456789").lstrip("0")
        line = tool_call(f"x{i}", "sanitize_text", json.dumps({"text": text}, ensure_ascii=False).encode())
        escaped = json.dumps(v, ensure_ascii=False)[1:-1].encode()
        at = line.find(escaped)
        requests.append((f"cut{i}", line[:at + len(escaped) // 2] if at >= 0 else line[:len(line) // 2], "null_id"))  # not JSON
        requests.append((f"batch{i}", b"[" + message(f"batch{i}", "tools/call", {"name": "sanitize_text", "arguments": {"text": v}}) + b"]", "null_id"))
        requests += [
            (f"tool{i}", message(f"tool{i}", "tools/call", {"name": v, "arguments": {"text": v}}), "error"),
            (f"method{i}", message(f"method{i}", v, {"text": v}), "error"),
            (f"notify{i}", message(None, v, {"text": v}), "none"),
            (f"nomethod{i}", json.dumps({"jsonrpc": "2.0", "id": f"nomethod{i}", "params": {"text": v}}).encode(), "error"),
            (f"name{i}", message(f"name{i}", "tools/call", {"name": {"tool": v}, "arguments": {}}), "error"),
            (f"args{i}", message(f"args{i}", "tools/call", {"name": "sanitize_text", "arguments": v}), "error"),
            (f"key{i}", message(f"key{i}", "tools/call", {"name": "sanitize_text", "arguments": {"text": "x", v: 1}}), "tool_error"),
            (f"object{i}", message(f"object{i}", "tools/call", {"name": "sanitize_text", "arguments": {"text": {"note": v}}}), "tool_error"),
            (f"array{i}", message(f"array{i}", "tools/call", {"name": "sanitize_text", "arguments": {"text": [v]}}), "tool_error"),
            (f"labels{i}", message(f"labels{i}", "tools/call", {"name": "sanitize_text", "arguments": {"text": "x", "labels": [v]}}), "tool_error"),
            (f"operator{i}", message(f"operator{i}", "tools/call", {"name": "sanitize_json", "arguments": {"json": {}, "operator": v}}), "tool_error"),
            (f"badjson{i}", message(f"badjson{i}", "tools/call", {"name": "sanitize_json", "arguments": {"json": '{"note": "' + text[:text.find(v) + len(v)]}}), "tool_error"),
        ]
        if digits:  # a card or phone number as a JSON number where a string belongs
            requests.append((f"number{i}", tool_call(f"number{i}", "sanitize_text", b'{"text":' + digits.encode() + b"}"), "tool_error"))
        kinds.append(requests)
    for i, cut in enumerate(truncated_records(corpus)):
        kinds.append([(f"rcut{i}", tool_call(f"rcut{i}", "sanitize_json", b'{"json":' + cut), "null_id"),  # not JSON
                      (f"rstring{i}", tool_call(f"rstring{i}", "sanitize_json", json.dumps({"json": decode(cut)}).encode()), "tool_error")])
    chosen = [r for i, rs in enumerate(kinds) for r in ([rs[i % len(rs)]] if rotate else rs)]
    return chosen, sum(expect == "null_id" for _, _, expect in chosen)


def test_mcp_malformed_requests_do_not_echo_values(corpus):
    # Every kind of malformed request for every value at the most verbose level; at the others, one
    # kind per value in turn (each kind still meets ~150 values), which keeps the test fast.
    everything, null_id_all = malformed_requests(corpus)
    leaks = Leaks()
    for verbosity in verbosities("mcp"):
        requests, null_id = (everything, null_id_all) if verbosity[-1] == "trace" else malformed_requests(corpus, rotate=True)
        messages, err = serve(verbosity, [line for _, line, _ in requests] + [message("end", "ping")])
        channel = f"mcp {' '.join(verbosity)}"
        leaks.check(f"{channel}: stderr", err, corpus.all)
        leaks.check(f"{channel}: responses", "\n".join(json_view(raw) for raw, _ in messages), corpus.all)
        answers = {m.get("id"): m for _, m in messages}
        check(sum(m.get("id") is None and "error" in m for _, m in messages) == null_id, f"{channel}: not every unparsable line or batch got an error")
        check("end" in answers, f"{channel}: the server stopped answering")
        for id, _, expect in requests:
            m = answers.get(id)
            if expect == "null_id":
                continue  # counted above
            if expect == "none":
                check(m is None, f"{channel}: {id} got an answer")
            elif expect == "error":
                check(m is not None and "error" in m, f"{channel}: {id} is not a JSON-RPC error")
            else:
                check(m is not None and m.get("result", {}).get("isError") is True, f"{channel}: {id} is not a tool error")
    no_leaks(leaks)
