"""Huge inputs through the release CLI: a 100 MB line without a newline (with and without spaces)
and a 100 MB JSON string value. Each must be redacted completely with the documented memory bound
(SECURITY.md, "Hostile input"): text in blocks of at most 1 MiB, a JSON string value held whole.

Peak RSS is the child's VmHWM from /proc (Linux)."""

import os
import subprocess
import tempfile
import time

BIN = os.environ.get("PII_SANITIZE_BIN", ".build/release/pii-sanitize")
MB = 1_000_000
CHUNK = "lorem ipsum dolor " * 50 + "bob@example.com "


def run(path, *args):
    """Runs the CLI on `path`; returns (stdout bytes, stderr text, peak RSS in MB).

    The peak is the child's own VmHWM, polled from /proc while it runs (rusage would count the
    pages it shares with this process between fork and exec)."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen([BIN, *args, path], stdout=out, stderr=subprocess.PIPE)
        peak_kb = 0
        while proc.poll() is None:
            try:
                with open(f"/proc/{proc.pid}/status") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            peak_kb = max(peak_kb, int(line.split()[1]))
            except (FileNotFoundError, ProcessLookupError, ValueError):
                pass
            time.sleep(0.05)
        stderr = proc.stderr.read().decode(errors="replace")
        assert proc.returncode == 0, stderr
        out.seek(0)
        return out.read(), stderr, peak_kb / 1024


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
