"""The release CLI's footprint (issue 5): peak RSS at most 32 MB on a 100 MB stream of text and of
NDJSON, and a binary that does not link swift-sdk or the full Foundation (the libraries that made
up most of that memory and of the start-up time).

Peak RSS is the child's VmHWM from /proc (Linux): Tests/peak_rss.py, shared with Tests/hostile."""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peak_rss import run_with_peak_rss  # noqa: E402

BIN = os.environ.get("PII_SANITIZE_BIN", ".build/release/pii-sanitize")
MB = 1_000_000
LIMIT_MB = 32

TEXT_LINES = [
    "2026-03-17T16:41:55.975Z INFO  http: served req=8e7aa6e9-9f19-4504-a9dd-251de5121482 v3.18.70 count=95753 took=795ms\n",
    "2026-03-17T16:41:56.002Z WARN  auth: login failed for bob.smith@example.com from 203.0.113.7\n",
    "2026-03-17T16:41:56.114Z DEBUG billing: card 4111 1111 1111 1111 declined, retry in 30s\n",
    "2026-03-17T16:41:56.230Z INFO  queue: done request took=12ms size=4096\n",
]
NDJSON_LINES = [
    '{"ts":1716769007847,"level":"warn","msg":"closed","req":"99dd251d-e512-4482-a929-2d22e255accb","qty":36.0,"ok":true}\n',
    '{"ts":1716769007848,"level":"info","user":{"email":"li.wei372@mail.test","phone":"+44 20 7946 0958"},"ip":"203.0.113.62"}\n',
    '{"ts":1716769007849,"level":"error","headers":{"Authorization":"Bearer abc.def.ghi","X-Api-Key":"k-123456"},"price":560.72}\n',
]


def write(tmp_path, name, lines):
    """About 100 MB of `lines`, repeated; written in pieces so this process stays small."""
    path = tmp_path / name
    block = "".join(lines) * 1000
    with open(path, "w") as f:
        for _ in range(100 * MB // len(block) + 1):
            f.write(block)
    return str(path)


def peak_rss_mb(path, *args):
    """Runs the CLI on `path` (stdin, as a filter); returns the child's peak RSS in MB."""
    with open(path, "rb") as stdin:
        status, out, stderr, peak = run_with_peak_rss([BIN, *args], stdin=stdin)
    with out:
        assert status == 0, stderr
        head = out.read(1 << 16)
    assert b"@example.com" not in head and b"[EMAIL]" in head
    return peak


def test_100_mb_text_stream(tmp_path):
    peak = peak_rss_mb(write(tmp_path, "log.txt", TEXT_LINES), "--format", "text")
    print(f"peak RSS {peak:.1f} MB (limit {LIMIT_MB})")
    assert peak <= LIMIT_MB, f"peak RSS {peak:.1f} MB"


def test_100_mb_ndjson_stream(tmp_path):
    peak = peak_rss_mb(write(tmp_path, "log.ndjson", NDJSON_LINES), "--format", "ndjson")
    print(f"peak RSS {peak:.1f} MB (limit {LIMIT_MB})")
    assert peak <= LIMIT_MB, f"peak RSS {peak:.1f} MB"


def test_binary_links_neither_swift_sdk_nor_full_foundation():
    libraries = subprocess.run(["ldd", BIN], capture_output=True, text=True, check=True).stdout
    for name in ["libFoundation.so", "libFoundationNetworking.so", "libFoundationInternationalization.so", "libcurl"]:
        assert name not in libraries, f"{BIN} loads {name}"
    # swift-sdk's module is linked statically: look for its mangled symbol prefix (`$s3MCP`).
    with open(BIN, "rb") as f:
        assert b"$s3MCP" not in f.read(), f"{BIN} contains swift-sdk (module MCP)"
