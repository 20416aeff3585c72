#!/usr/bin/env bash
# Compares pii-sanitize (release build) with ripgrep, jq and a Python `re` sanitizer on generated
# corpora, in one session, alternating the tools round by round, and prints MB/s, the speed ratio
# against pii-sanitize measured in the same run, and peak RSS. `cat` is the I/O floor.
#
#   Benchmarks/compare.sh              # 100 MB per corpus, 3 rounds (a few minutes)
#   Benchmarks/compare.sh --quick      # 2 MB per corpus, 2 rounds (about 15 s after the build)
#   Benchmarks/compare.sh --size 20 --rounds 5
#
# Environment: PII_SANITIZE=path uses that binary instead of building; KEEP=dir keeps the corpora.
# Needs python3, /usr/bin/time (Debian: time), rg (Debian: ripgrep) and jq; a missing rg or jq
# is reported and skipped. Presidio is detected and reported (not importable on the reference machine).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
size=100
rounds=3
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) size=2; rounds=2 ;;
        --size) size="$2"; shift ;;
        --rounds) rounds="$2"; shift ;;
        -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare.sh: unknown argument '$1' (try --help)" >&2; exit 64 ;;
    esac
    shift
done

[[ -x /usr/bin/time ]] || { echo "compare.sh: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 69; }

if [[ -z "${PII_SANITIZE:-}" ]]; then
    echo "building pii-sanitize (release)…" >&2
    (cd "$root" && swift build -c release --product pii-sanitize >&2)
    PII_SANITIZE="$root/.build/release/pii-sanitize"
fi

work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[[ -n "${KEEP:-}" ]] || trap 'rm -rf "$work"' EXIT
patterns="$here/compare-patterns.txt"
pysan="$here/py_sanitizer.py"

have() { command -v "$1" >/dev/null 2>&1; }

echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# pii-sanitize $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') ($(swift --version 2>/dev/null | head -1 | sed 's/ (.*//'))"
have rg && echo "# $(rg --version | head -1)"
have jq && echo "# $(jq --version)"
echo "# Python $(python3 -c 'import platform; print(platform.python_version())') re"
presidio=no
python3 -c 'import presidio_analyzer, presidio_anonymizer' 2>/dev/null && presidio=yes
if [[ $presidio == yes ]]; then
    echo "# Presidio: importable, but not run: it needs a spaCy model and a runner (not written yet)"
else
    echo "# Presidio: not importable, skipped"
fi
echo "# corpora: ${size} MB each, seed 2026; ${rounds} rounds, tools alternating; median time per tool"
echo

# Each tool: "name|command" reading stdin, writing stdout. rg exits 1 when nothing matched.
tools_for() {
    local kind=$1
    echo "cat|cat"
    echo "pii-sanitize|$PII_SANITIZE --format $([[ $kind == ndjson-* ]] && echo ndjson || echo text)"
    have rg && echo "rg|rg --no-unicode --passthru -r [PII] -f $patterns"
    if [[ $kind == ndjson-* ]]; then
        have jq && echo "jq -c .|jq -c ."
        echo "python re|python3 $pysan --ndjson"
    else
        echo "python re|python3 $pysan"
    fi
    return 0
}

printf '%-13s %-18s %9s %10s %9s %12s\n' corpus tool MB/s "x pii" seconds "peak RSS MB"
for kind in text-clean text-dense ndjson-dense; do
    corpus="$work/$kind"
    [[ -s "$corpus" ]] || python3 "$here/gen_corpus.py" "$kind" "$size" "$corpus"
    bytes=$(stat -c %s "$corpus")
    mapfile -t tools < <(tools_for "$kind")
    declare -A times=() rss=()
    for ((r = 0; r < rounds; r++)); do
        n=${#tools[@]}
        for ((i = 0; i < n; i++)); do
            entry=${tools[$(((i + r) % n))]}   # rotate the order each round
            name=${entry%%|*}
            read -r -a cmd <<< "${entry#*|}"
            start=$EPOCHREALTIME
            status=0
            /usr/bin/time -f %M -o "$work/rss" "${cmd[@]}" < "$corpus" > "$work/out" 2> "$work/err" || status=$?
            end=$EPOCHREALTIME
            if [[ $status -ne 0 && ! ($name == rg && $status -eq 1) ]]; then
                echo "compare.sh: $name failed on $kind (exit $status):" >&2; tail -3 "$work/err" >&2; exit 70
            fi
            times[$name]+="$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}') "
            rss[$name]=$(tail -1 "$work/rss")
        done
    done
    median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
    pii=$(echo "${times[pii-sanitize]}" | median)
    for entry in "${tools[@]}"; do
        name=${entry%%|*}
        t=$(echo "${times[$name]}" | median)
        awk -v k="$kind" -v n="$name" -v b="$bytes" -v t="$t" -v p="$pii" -v m="${rss[$name]}" \
            'BEGIN {printf "%-13s %-18s %9.1f %9.2fx %9.3f %12.1f\n", k, n, b / 1e6 / t, p / t, t, m / 1024}'
    done
    unset times rss
done
echo
echo "x pii: speed relative to pii-sanitize in this run (above 1 = faster). rg and python re use the"
echo "simplified combined set in compare-patterns.txt (no validators, no key rules, no JSON awareness)."
