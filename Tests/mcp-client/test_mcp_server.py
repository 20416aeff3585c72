"""End-to-end tests of `pii-sanitize mcp` with the official Python MCP SDK client.

Run by ./test.sh (after `swift test`) as:
    PII_SANITIZE_BIN=.build/release/pii-sanitize .venv-ci/bin/python -m pytest Tests/mcp-client

Each test starts the server as a real subprocess over stdio, as an MCP host would.
"""

import asyncio
import json
import os
import re
import subprocess
import tempfile
import time
from contextlib import asynccontextmanager

import pytest
from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client
try:  # mcp 1.x spells it McpError, 2.x MCPError
    from mcp.shared.exceptions import McpError
except ImportError:
    from mcp.shared.exceptions import MCPError as McpError

BIN = os.environ.get("PII_SANITIZE_BIN", ".build/debug/pii-sanitize")

# PII values used below; none may come back, not even as their digits alone.
EMAIL = "ana.silva@example.com"
PHONE = "+44 20 7946 0958"
CARD = "4111 1111 1111 1111"
SSN = "536-22-1234"
IBAN = "DE89 3704 0044 0532 0130 00"
PASSWORD = "hunter2xyz"
VALUES = [EMAIL, PHONE, CARD, SSN, IBAN, PASSWORD]
PII_TEXT = f"mail {EMAIL}, call {PHONE}, card {CARD}, SSN {SSN}, IBAN {IBAN}, DB_PASSWORD={PASSWORD}\n"


def digits(s: str) -> str:
    return "".join(c for c in s if c.isdigit())


def assert_no_values(blob: str) -> None:
    # Separators removed, so "4111 1111 1111 1111" is also caught as "4111111111111111".
    compact = re.sub(r"[\s\-.()/]", "", blob)
    for value in VALUES:
        assert value not in blob, f"a {len(value)}-character value leaked"
        d = digits(value)
        if len(d) >= 5:
            assert d not in compact, f"the digits of a {len(value)}-character value leaked"


@asynccontextmanager
async def session(*extra_args, errlog=None):
    params = StdioServerParameters(command=BIN, args=["mcp", *extra_args])
    log = errlog or tempfile.TemporaryFile(mode="w+")
    async with stdio_client(params, errlog=log) as (read, write):
        async with ClientSession(read, write) as s:
            init = await s.initialize()
            yield s, init


def run(coro):
    return asyncio.run(coro)


def as_dict(model) -> dict:
    """The wire form of an SDK result (camelCase), the same for mcp 1.x and 2.x."""
    return model.model_dump(by_alias=True, mode="json", exclude_none=True)


async def call(s, name, arguments) -> dict:
    return as_dict(await s.call_tool(name, arguments))


def text_of(result: dict) -> str:
    assert len(result["content"]) == 1 and result["content"][0]["type"] == "text"
    return result["content"][0]["text"]


def test_initialize_and_tools_list_with_schemas_and_annotations():
    async def body():
        async with session() as (s, init):
            init = as_dict(init)
            assert init["serverInfo"]["name"] == "pii-sanitize"
            assert init["protocolVersion"] in ("2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25")
            assert "tools" in init["capabilities"]
            tools = {t["name"]: t for t in as_dict(await s.list_tools())["tools"]}
            assert set(tools) == {"sanitize_text", "sanitize_json", "list_pii_types"}
            for t in tools.values():
                assert t["annotations"]["readOnlyHint"] is True
                assert t["annotations"]["idempotentHint"] is True
                assert t["annotations"]["destructiveHint"] is False
                assert t["annotations"]["openWorldHint"] is False
                assert len(t["description"]) > 80
                assert t["inputSchema"]["type"] == "object"
                assert t["inputSchema"]["additionalProperties"] is False
                assert t["outputSchema"]["type"] == "object"
            text_schema = tools["sanitize_text"]["inputSchema"]
            assert text_schema["required"] == ["text"]
            assert text_schema["properties"]["text"]["type"] == "string"
            assert "EMAIL" in text_schema["properties"]["labels"]["items"]["enum"]
            assert tools["sanitize_json"]["inputSchema"]["required"] == ["json"]

    run(body())


def test_older_protocol_version_is_negotiated():
    proc = subprocess.run([BIN, "mcp"], input=json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2024-11-05", "capabilities": {}, "clientInfo": {"name": "old", "version": "0"}}}) + "\n",
        capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["result"]["protocolVersion"] == "2024-11-05"


def test_each_tool_with_pii_returns_no_value():
    async def body():
        async with session() as (s, _):
            r = await call(s, "sanitize_text", {"text": PII_TEXT})
            assert not r.get("isError")
            out = text_of(r)
            assert out == "mail [EMAIL], call [PHONE], card [CREDIT_CARD], SSN [US_SSN], IBAN [IBAN], DB_PASSWORD=[PASSWORD]\n"
            assert r["structuredContent"]["text"] == out
            assert r["structuredContent"]["total"] == sum(r["structuredContent"]["counts"].values()) >= 6
            assert_no_values(out + json.dumps(r["structuredContent"]))

            doc = {"user": {"email": EMAIL, "phone": PHONE}, "card": CARD, "password": PASSWORD,
                   "note": f"ssn {SSN} iban {IBAN}", "n": 42}
            r = await call(s, "sanitize_json", {"json": doc})
            assert not r.get("isError")
            assert_no_values(text_of(r) + json.dumps(r["structuredContent"]))
            assert json.loads(text_of(r))["n"] == 42
            assert r["structuredContent"]["json"] == json.loads(text_of(r))
            assert r["structuredContent"]["counts"]["PASSWORD"] == 1

            r = await call(s, "sanitize_json", {"json": json.dumps(doc)})  # a string holding JSON
            assert not r.get("isError")
            assert_no_values(text_of(r) + json.dumps(r["structuredContent"]))

            r = await call(s, "list_pii_types", {})
            assert not r.get("isError")
            labels = {e["label"]: e for e in r["structuredContent"]["labels"]}
            assert {"EMAIL", "PHONE", "CREDIT_CARD", "US_SSN", "IBAN", "PASSWORD"} <= set(labels)
            assert all(e["description"] and "\n" not in e["description"] for e in labels.values())
            assert "email" in {p["id"] for p in r["structuredContent"]["patterns"]}

    run(body())


@pytest.mark.parametrize("text", [
    "build 2.5.34.79 finished in 38ms, order ORD-2026-004217, id 12345678901234567890, qty 1.0\n",
    "data:,hello",
    'data: {"type":"message","delta":{"text":"hi"},"n":1.0}\n\ndata: [DONE]\n',
    "data:text/plain;base64,SGVsbG8=",
])
def test_text_without_pii_comes_back_unchanged(text):
    async def body():
        async with session() as (s, _):
            r = await call(s, "sanitize_text", {"text": text})
            assert not r.get("isError")
            assert text_of(r) == text
            assert r["structuredContent"] == {"text": text, "counts": {}, "total": 0}

    run(body())


def test_json_numbers_and_data_strings_are_byte_faithful():
    # Sent as a string holding JSON, so the client's own serializer cannot normalize the literals.
    document = '{"z": 1.0, "big": 12345678901234567890, "tiny": 1e-7, "s": "data:,hello", "sse": "data: {\\"a\\":1}", "email": "' + EMAIL + '"}'
    expected = document.replace(EMAIL, "[EMAIL]")

    async def body():
        async with session() as (s, _):
            r = await call(s, "sanitize_json", {"json": document})
            assert not r.get("isError")
            assert text_of(r) == expected

    run(body())


def test_bad_arguments_are_tool_errors_that_explain_the_fix():
    async def body():
        async with session() as (s, _):
            cases = [
                ("sanitize_text", {}, "needs the argument `text`"),
                ("sanitize_text", {"text": 123456789}, "must be a string"),
                ("sanitize_text", {"text": "x", "labels": ["NOT_A_LABEL"]}, "list_pii_types"),
                ("sanitize_text", {"text": "x", "operator": "shred"}, "must be one of"),
                ("sanitize_text", {"text": "x", "extra": EMAIL}, "does not take 1 argument(s) with other names"),
                ("sanitize_text", {"text": "x", EMAIL: "x"}, "not repeated"),
                ("sanitize_json", {}, "needs the argument `json`"),
                ("sanitize_json", {"json": f"not json {EMAIL}"}, "sanitize_text"),
            ]
            for tool, args, hint in cases:
                r = await call(s, tool, args)
                assert r.get("isError"), (tool, args)
                assert hint in text_of(r)
                assert EMAIL not in text_of(r) and "123456789" not in text_of(r)
            with pytest.raises(McpError) as info:
                await call(s, "no_such_tool", {"text": "x"})
            assert "sanitize_text" in str(info.value)
            # The server keeps serving.
            await s.send_ping()
            assert text_of(await call(s, "sanitize_text", {"text": EMAIL})) == "[EMAIL]"

    run(body())


def test_oversized_input_is_a_tool_error():
    async def body():
        async with session("--max-input-bytes", "1000") as (s, _):
            r = await call(s, "sanitize_text", {"text": "a" * 1001})
            assert r.get("isError") and "1000 bytes" in text_of(r) and "Split" in text_of(r)
            await s.send_ping()

    run(body())


def test_5mb_input_completes_quickly():
    # A log: one line in ten holds PII (a denser text costs the engine more: every line with three
    # findings takes about 0.9 s in the release build, the same as `pii-sanitize --format text`).
    pii_line = f"2026-03-14T09:12:44Z INFO user={EMAIL} ip=203.0.113.42 card {CARD} took=38ms\n"
    plain = "2026-03-14T09:12:44Z INFO GET /v1/items status=200 took=38ms build 2.5.34 rx_bytes=4829301827\n"
    block = pii_line + plain * 9
    text = block * (5_000_000 // len(block) + 1)
    with tempfile.TemporaryFile(mode="w+") as log:
        async def body():
            async with session(errlog=log) as (s, _):
                start = time.monotonic()
                r = await call(s, "sanitize_text", {"text": text})
                wall = time.monotonic() - start
                assert not r.get("isError")
                out = text_of(r)
                assert EMAIL not in out and CARD not in out
                assert out.count("[EMAIL]") == text.count(EMAIL)
                return wall

        wall = run(body())
        log.seek(0)
        audit = [l for l in log.read().splitlines() if "tool=sanitize_text" in l]
    server_ms = float(re.search(r"duration_ms=([0-9.]+)", audit[-1]).group(1))
    # The same text through the CLI on one thread, in the same run, so the bound follows the
    # machine's speed and load: the tool also counts findings and positions and escapes JSON
    # (about 3× the CLI here); a quadratic transport or parser would be a hundred times slower.
    start = time.monotonic()
    subprocess.run([BIN, "--format", "text", "--threads", "1"], input=text.encode(), capture_output=True, check=True)
    cli_ms = (time.monotonic() - start) * 1000
    print(f"5 MB sanitize_text: server {server_ms:.1f} ms, round trip {wall * 1000:.0f} ms, CLI {cli_ms:.0f} ms")
    limit = float(os.environ.get("PII_MCP_5MB_LIMIT_MS", "1000"))
    assert server_ms < max(limit, 6 * cli_ms)


def test_50_concurrent_calls_all_answer_correctly():
    async def body():
        async with session() as (s, _):
            start = time.monotonic()
            results = await asyncio.gather(*[
                call(s, "sanitize_text", {"text": f"call {i}: user{i}@example.com, card {CARD}"}) for i in range(50)
            ])
            elapsed = time.monotonic() - start
            for i, r in enumerate(results):
                assert not r.get("isError")
                assert text_of(r) == f"call {i}: [EMAIL], card [CREDIT_CARD]"
            print(f"50 concurrent calls: {elapsed * 1000:.0f} ms")

    run(body())


def raw_server(*args):
    return subprocess.Popen([BIN, "mcp", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_malformed_messages_get_jsonrpc_errors_and_stdout_is_only_jsonrpc():
    p = raw_server()
    lines = [
        b"this is not json",
        b'{"jsonrpc":"2.0","id":1,"method":"no/such/method"}',
        b'{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"arguments":{}}}',
        b'{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"sanitize_text","arguments":{"text":"' + EMAIL.encode() + b'"}}}',
        b'{"jsonrpc":"2.0","id":4,"method":"ping"}',
    ]
    out, err = p.communicate(b"\n".join(lines) + b"\n", timeout=60)
    assert p.returncode == 0
    messages = [json.loads(l) for l in out.decode().splitlines()]
    assert all(m["jsonrpc"] == "2.0" for m in messages)
    by_id = {m["id"]: m for m in messages}
    assert by_id[None]["error"]["code"] == -32700
    assert by_id[1]["error"]["code"] == -32601
    assert by_id[2]["error"]["code"] == -32602
    assert by_id[3]["result"]["content"][0]["text"] == "[EMAIL]"
    assert by_id[4]["result"] == {}
    assert EMAIL not in err.decode()  # the audit log never holds a value
    assert "tool=sanitize_text" in err.decode() and "counts=EMAIL:1" in err.decode()


def test_cancelled_call_gets_no_response():
    p = raw_server()
    big = ("user " + EMAIL + " ok\n") * 300_000  # about 8 MB
    call = {"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": "sanitize_text", "arguments": {"text": big[:7_000_000]}}}
    cancel = {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 9, "reason": "test"}}
    ping = {"jsonrpc": "2.0", "id": 10, "method": "ping"}
    data = "\n".join(json.dumps(m) for m in (call, cancel, ping)) + "\n"
    out, _ = p.communicate(data.encode(), timeout=120)
    assert p.returncode == 0
    ids = [json.loads(l)["id"] for l in out.decode().splitlines()]
    assert 10 in ids
    assert 9 not in ids


def test_closing_stdin_shuts_down_cleanly_after_in_flight_answers():
    p = raw_server()
    calls = [{"jsonrpc": "2.0", "id": i, "method": "tools/call",
              "params": {"name": "sanitize_text", "arguments": {"text": f"{i} {EMAIL}\n" * 20_000}}} for i in range(4)]
    start = time.monotonic()
    out, _ = p.communicate(("\n".join(json.dumps(c) for c in calls) + "\n").encode(), timeout=120)
    assert p.returncode == 0
    answers = {m["id"]: m for m in (json.loads(l) for l in out.decode().splitlines())}
    assert set(answers) == {0, 1, 2, 3}
    assert all(EMAIL not in a["result"]["content"][0]["text"] for a in answers.values())
    assert time.monotonic() - start < 60
