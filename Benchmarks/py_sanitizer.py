#!/usr/bin/env python3
"""A small Python `re` sanitizer, the comparison point for compare.sh: the same combined pattern
set that ripgrep gets (compare-patterns.txt, one regex a line), every match replaced by [PII].

Text mode rewrites each line with one compiled alternation; --ndjson parses each line with `json`,
rewrites string values and writes the line back compactly (what `jq -c .` does, plus the regex).
Reads stdin or a file, writes stdout, all bytes as latin-1 so invalid UTF-8 passes through.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load(path):
    with open(path, encoding="ascii") as f:
        return re.compile("|".join("(?:%s)" % line.rstrip("\n") for line in f if line.strip()))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file", nargs="?")
    p.add_argument("--ndjson", action="store_true")
    p.add_argument("--patterns", default=os.path.join(HERE, "compare-patterns.txt"))
    a = p.parse_args()
    rx = load(a.patterns)
    sub = lambda s: rx.sub("[PII]", s)
    src = open(a.file, "r", encoding="latin-1", newline="") if a.file else \
        open(sys.stdin.fileno(), "r", encoding="latin-1", newline="", closefd=False)
    out = open(sys.stdout.fileno(), "w", encoding="latin-1", newline="", closefd=False, buffering=1 << 20)
    if not a.ndjson:
        for line in src:
            out.write(sub(line))
    else:
        def walk(v):
            if isinstance(v, str):
                return sub(v)
            if isinstance(v, list):
                return [walk(x) for x in v]
            if isinstance(v, dict):
                return {k: walk(x) for k, x in v.items()}
            return v
        for line in src:
            if line.strip():
                out.write(json.dumps(walk(json.loads(line)), separators=(",", ":"), ensure_ascii=False) + "\n")
    out.flush()


if __name__ == "__main__":
    main()
