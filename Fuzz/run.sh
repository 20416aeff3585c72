#!/usr/bin/env bash
# Builds the libFuzzer targets (AddressSanitizer + coverage, release) and runs them.
#
#   Fuzz/run.sh build                       # build only
#   Fuzz/run.sh smoke                       # each target, fixed seed and run count (test.sh; ~1 min)
#   Fuzz/run.sh TARGET [SECONDS] [ARGS...]  # fuzz one target (text, json, patterns, mcp) from its seeds
#   Fuzz/run.sh all [SECONDS]               # each target in turn, a random seed each time
#   Fuzz/run.sh TARGET 0 -runs=10000000     # a long run: stop after 10 million executions
#
# A run starts from Seeds/TARGET and Regressions/TARGET (inputs that once failed); the corpus it
# grows is kept in Fuzz/.corpus/TARGET (not committed). A failing input is written to
# Fuzz/.artifacts/ and the run exits non-zero: add it to Regressions/TARGET once fixed (swift test
# replays those too). Replay one with `Fuzz/.build/release/fuzz-TARGET FILE`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
targets=(text json patterns mcp)

swift_bin=$(readlink -f "$(command -v swift)")
libfuzzer=$(ls "$(dirname "$swift_bin")"/../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-"$(uname -m)".a 2>/dev/null | head -1)
[[ -n "$libfuzzer" ]] || { echo "run.sh: libclang_rt.fuzzer_no_main not found in the Swift toolchain" >&2; exit 69; }

build() {
    # The build manifest of a path dependency can miss a source file added since the last build.
    rm -f "$here/.build/release.yaml"
    swift build -c release --package-path "$here" \
        -Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table \
        -Xlinker "$libfuzzer" -Xlinker -lstdc++ >&2
}

fuzz() {
    local target=$1 seconds=${2:-20}
    shift 2 || shift $#
    local bin="$here/.build/release/fuzz-$target" corpus="$here/.corpus/$target"
    mkdir -p "$corpus" "$here/.artifacts"
    local limit=()
    [[ "$seconds" != 0 ]] && limit=(-max_total_time="$seconds")
    echo "fuzz-$target: ${seconds}s" >&2
    # -rss_limit_mb: ASan's shadow memory included; -timeout: a single input may not take 10 s.
    "$bin" "${limit[@]}" -max_len=8192 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$here/.artifacts/$target-" -dict="$here/Seeds/$target.dict" "$@" "$corpus" "$here/Seeds/$target" \
        $( [[ -d "$here/Regressions/$target" ]] && echo "$here/Regressions/$target" )
}

# The smoke run is deterministic (fixed seed, fixed number of runs, fresh corpus), so a commit
# that passes it here passes it in CI; counts are about 15 s of work each on 2 cores.
smoke_runs() { case "$1" in text) echo 25000 ;; json) echo 60000 ;; patterns) echo 60000 ;; mcp) echo 1500 ;; esac; }

case "${1:-}" in
    build) build ;;
    smoke)
        build
        rm -rf "$here/.corpus-smoke"
        for t in "${targets[@]}"; do
            mkdir -p "$here/.corpus-smoke/$t" "$here/.artifacts"
            echo "fuzz-$t: smoke, $(smoke_runs "$t") runs" >&2
            "$here/.build/release/fuzz-$t" -seed=1 -runs="$(smoke_runs "$t")" -max_len=4096 -timeout=10 -rss_limit_mb=4096 \
                -print_final_stats=1 -artifact_prefix="$here/.artifacts/$t-" -dict="$here/Seeds/$t.dict" \
                "$here/.corpus-smoke/$t" "$here/Seeds/$t" $( [[ -d "$here/Regressions/$t" ]] && echo "$here/Regressions/$t" )
        done ;;
    all) build; for t in "${targets[@]}"; do fuzz "$t" "${2:-20}"; done ;;
    text|json|patterns|mcp) build; t=$1; shift; fuzz "$t" "${1:-20}" "${@:2}" ;;
    *) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
esac
