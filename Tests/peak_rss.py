"""Runs a process and measures its peak RSS: shared by Tests/hostile and Tests/footprint.

The peak is the child's own VmHWM, polled from /proc while it runs (Linux; rusage would count the
pages it shares with the parent between fork and exec)."""

import subprocess
import tempfile
import time


def run_with_peak_rss(argv, stdin=None):
    """Runs `argv` with stdout to a temporary file; returns (exit status, that file rewound,
    stderr text, peak RSS in MB)."""
    out = tempfile.TemporaryFile()
    proc = subprocess.Popen(argv, stdin=stdin, stdout=out, stderr=subprocess.PIPE)
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
    out.seek(0)
    return proc.returncode, out, stderr, peak_kb / 1024
