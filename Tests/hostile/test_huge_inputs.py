"""Huge inputs through the release CLI: a 100 MB line without a newline (with and without spaces)
and a 100 MB JSON string value. Each must be redacted completely with the documented memory bound
(SECURITY.md, "Hostile input"): text in blocks of at most 1 MiB, a JSON string value held whole.

Peak RSS is the child's VmHWM from /proc (Linux; Tests/peak_rss.py)."""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from peak_rss import run_with_peak_rss  # noqa: E402

BIN = os.environ.get("PII_SANITIZE_BIN", ".build/release/pii-sanitize")
MB = 1_000_000
CHUNK = "lorem ipsum dolor " * 50 + "bob@example.com "


def run(path, *args):
    """Runs the CLI on `path`; returns (stdout bytes, stderr text, peak RSS in MB)."""
    status, out, stderr, peak = run_with_peak_rss([BIN, *args, path])
    with out:
        assert status == 0, stderr
        return out.read(), stderr, peak


def write(tmp_path, name, *parts):
    """Writes the file piece by piece, so this process stays small: the child's peak RSS counts
    what it inherits at fork, before it execs."""
    path = tmp_path / name
    with open(path, "w") as f:
        for part, times in parts:
            for _ in range(times):
                f.write(part)
    return str(path)


def test_100_mb_line_without_newline(tmp_path):
    n = 100 * MB // len(CHUNK)
    path = write(tmp_path, "line.txt", (CHUNK, n))
    out, _, peak = run(path)
    assert b"bob@example.com" not in out
    assert out.count(b"[EMAIL]") == n
    assert len(out) == (len(CHUNK) - len("bob@example.com") + len("[EMAIL]")) * n
    assert peak < 96, f"peak RSS {peak:.0f} MB"


def test_100_mb_line_without_spaces(tmp_path):
    path = write(tmp_path, "nospace.txt", ("a" * MB, 100), (" bob@example.com", 1))
    out, _, peak = run(path)
    assert out.startswith(b"a" * 1000) and out.endswith(b" [EMAIL]"), out[-40:]
    assert len(out) == 100 * MB + len(" [EMAIL]")
    assert peak < 96, f"peak RSS {peak:.0f} MB"


def test_100_mb_json_string_value(tmp_path):
    n = 100 * MB // len(CHUNK)
    path = write(tmp_path, "big.json", ('{"v": "', 1), (CHUNK, n), ('", "password": "hunter2"}', 1))
    out, _, peak = run(path, "--format", "json")
    assert b"bob@example.com" not in out and b"hunter2" not in out
    assert out.count(b"[EMAIL]") == n
    assert out.endswith(b'", "password": "[PASSWORD]"}')
    # A string value is one unit: held whole, with its decoded copy and its output.
    assert peak < 600, f"peak RSS {peak:.0f} MB"
