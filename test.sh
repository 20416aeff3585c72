#!/usr/bin/env bash
# The whole test suite — the one command the README names and CI runs:
#   1. swift test (unit, pattern-example, CLI end-to-end and in-process MCP server tests);
#   2. the official Python MCP SDK client (`pip install mcp`, in a virtual environment) against the
#      built `pii-sanitize mcp`, release build, as an MCP host would run it;
#   3. the side-channel test: the CLI and the MCP server over the whole development corpus
#      (Tests/Fixtures/dev-corpus) at every log level; no labelled value on stderr, in a report,
#      SARIF, --stats or an MCP response (pytest, stdlib only, same virtual environment).
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")"

swift test

swift build -c release --product pii-sanitize
python3 -m venv .venv-ci
.venv-ci/bin/python -m pip install --quiet --disable-pip-version-check mcp pytest
PII_SANITIZE_BIN="$PWD/.build/release/pii-sanitize" .venv-ci/bin/python -m pytest -q -rA Tests/mcp-client
PII_SANITIZE_BIN="$PWD/.build/release/pii-sanitize" .venv-ci/bin/python -m pytest -q -rA Tests/side-channel
