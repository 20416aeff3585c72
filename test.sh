#!/usr/bin/env bash
# The whole test suite — the one command the README names and CI runs:
#   1. swift test (unit, pattern-example, CLI end-to-end and in-process MCP server tests);
#   2. the official Python MCP SDK client (`pip install mcp`, in a virtual environment) against the
#      built `pii-sanitize mcp`, release build, as an MCP host would run it;
#   3. the side-channel test: the CLI and the MCP server over the whole development corpus
#      (Tests/Fixtures/dev-corpus) at every log level; no labelled value on stderr, in a report,
#      SARIF, --stats or an MCP response (pytest, stdlib only, same virtual environment).
#   4. Tests/hostile: 100 MB inputs (a line with and without spaces, a JSON string) through the
#      release CLI, each redacted completely within its documented peak RSS; Tests/footprint: peak
#      RSS at most 32 MB on 100 MB of text and of NDJSON, and a CLI binary that links neither
#      swift-sdk nor the full Foundation;
#   5. the benchmark suite (Benchmarks/) in its short mode: every benchmark for at most 0.25 s,
#      allocations per call and speed relative to a baseline from the same run checked against
#      Benchmarks/Thresholds (Benchmarks/short.sh; a few seconds after its build);
#   6. each libFuzzer target (Fuzz/: text, JSON, pattern files, MCP) from its seeds and past
#      findings, with a fixed seed and run count (deterministic), checking the invariants on every input;
#   7. the Swift suite again under ThreadSanitizer and under AddressSanitizer.
# Exits non-zero on the first failure. SKIP_SANITIZERS=1 skips 6 and 7 (a quick local run);
# SKIP_BENCHMARKS=1 skips 5.
set -euo pipefail
cd "$(dirname "$0")"

swift test

swift build -c release --product pii-sanitize
python3 -m venv .venv-ci
.venv-ci/bin/python -m pip install --quiet --disable-pip-version-check mcp pytest
PII_SANITIZE_BIN="$PWD/.build/release/pii-sanitize" .venv-ci/bin/python -m pytest -q -rA Tests/mcp-client
PII_SANITIZE_BIN="$PWD/.build/release/pii-sanitize" .venv-ci/bin/python -m pytest -q -rA Tests/side-channel
PII_SANITIZE_BIN="$PWD/.build/release/pii-sanitize" .venv-ci/bin/python -m pytest -q -rA Tests/hostile
PII_SANITIZE_BIN="$PWD/.build/release/pii-sanitize" .venv-ci/bin/python -m pytest -q -rA Tests/footprint

if [[ "${SKIP_BENCHMARKS:-0}" != 1 ]]; then
    echo "test.sh: benchmarks, short mode (Benchmarks/short.sh)"
    Benchmarks/short.sh
fi

if [[ "${SKIP_SANITIZERS:-0}" != 1 ]]; then
    Fuzz/run.sh smoke
    swift test --sanitize=thread --scratch-path .build-tsan
    LSAN_OPTIONS="suppressions=$PWD/Tests/lsan.supp" swift test --sanitize=address --scratch-path .build-asan
fi
