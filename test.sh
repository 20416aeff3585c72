#!/usr/bin/env bash
# The whole test suite — the one command the README names and CI runs:
#   1. swift test (unit, pattern-example, CLI end-to-end and in-process MCP server tests);
#   2. the official Python MCP SDK client (`pip install mcp`, in a virtual environment) against the
#      built `pii-sanitize mcp`, release build, as an MCP host would run it.
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")"

swift test

swift build -c release --product pii-sanitize
python3 -m venv .venv-ci
.venv-ci/bin/python -m pip install --quiet --disable-pip-version-check mcp pytest
PII_SANITIZE_BIN="$PWD/.build/release/pii-sanitize" .venv-ci/bin/python -m pytest -q -rA Tests/mcp-client
