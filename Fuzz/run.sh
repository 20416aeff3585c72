#!/usr/bin/env bash
# Builds the libFuzzer targets (AddressSanitizer + coverage, release) and runs them.
#
#   Fuzz/run.sh build                       # build only
#   Fuzz/run.sh smoke                       # each target, fixed seed and run count (test.sh; ~3 min)
#   Fuzz/run.sh TARGET [SECONDS] [ARGS...]  # fuzz one target (text, json, patterns, mcp) from its seeds
#   Fuzz/run.sh all [SECONDS]               # each target in turn, a random seed each time
#   Fuzz/run.sh TARGET 0 -runs=10000000     # a long run: stop after 10 million executions
#   Fuzz/run.sh campaign MINUTES TARGET...  # fuzz the targets in turn, MINUTES each, until stopped
#   Fuzz/run.sh goal json,mcp text,patterns # each list on its own core, each target until it has
#                                           # 10 million clean executions on the tree's code
#   Fuzz/run.sh stop                        # end a campaign or goal run now, its current run counted
#   Fuzz/run.sh counts                      # clean executions per target and code version, from the ledger
#
# A run starts from Seeds/TARGET and Regressions/TARGET (inputs that once failed); the corpus it
# grows is kept in Fuzz/.corpus/TARGET (not committed). A failing input is written to
# Fuzz/.artifacts/ and the run exits non-zero: add it to Regressions/TARGET once fixed (swift test
# replays those too). Replay one with `Fuzz/.build/release/fuzz-TARGET FILE`.
#
# Every run appends a line to Fuzz/runs.tsv, the ledger: time, target, code version (the last
# commit that changed the code that target runs, +dirty if the tree differs), executions, exit
# status. Commit it: machines are not kept between sessions, and the 10-million-execution goal
# per target is reached over several. `counts` sums the clean runs per version; a
# run stopped by SIGINT (status 72, libFuzzer's "interrupted") found nothing and counts as clean.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
targets=(text json patterns mcp)
ledger=${FUZZ_LEDGER:-$here/runs.tsv}
goal=${FUZZ_GOAL:-10000000}  # clean executions per target and code version (goal)
# Swift's backtracer, started on a crash, trips AddressSanitizer itself and can hang the run:
# libFuzzer's own report (invariant, stack, input file) is the one wanted.
export SWIFT_BACKTRACE=enable=no

swift_bin=$(readlink -f "$(command -v swift)")
libfuzzer=$(ls "$(dirname "$swift_bin")"/../lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-"$(uname -m)".a 2>/dev/null | head -1)
[[ -n "$libfuzzer" ]] || { echo "run.sh: libclang_rt.fuzzer_no_main not found in the Swift toolchain" >&2; exit 69; }

build() {
    declare -gA built_code
    for t in "${targets[@]}"; do built_code[$t]=$(code_version "$t"); done
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
    local log; log=$(mktemp)
    local status=0
    "$bin" "${limit[@]}" -max_len=8192 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$here/.artifacts/$target-" -dict="$here/Seeds/$target.dict" "$@" "$corpus" "$here/Seeds/$target" \
        $( [[ -d "$here/Regressions/$target" ]] && echo "$here/Regressions/$target" ) 2> >(tee "$log" >&2) || status=$?
    wait  # for tee
    record "$target" "$status" "$log"
    rm -f "$log"
    return "$status"
}

# What each target runs: the core, its harness and the build files; fuzz-mcp also the servers.
# (A change to the MCP server leaves the counts of the other targets standing.)
code_paths() {
    echo Sources/CPCRE2 Sources/PCRE2 Sources/PIISanitizer Sources/PIISanitizerInvariants Sources/embed-patterns \
        Plugins patterns Package.swift Fuzz/Package.swift Fuzz/Sources/CFuzzDriver Fuzz/Sources/FuzzDriver "Fuzz/Sources/fuzz-$1"
    [[ "$1" == mcp ]] && echo Sources/PIISanitizerMCPCore Sources/PIISanitizerMCP
    return 0
}

# The last commit that changed what TARGET runs, +dirty when the tree differs from it.
code_version() {
    local root; root=$(cd "$here/.." && pwd)
    local paths; read -r -a paths <<< "$(code_paths "$1" | tr '\n' ' ')"
    local code; code=$(git -C "$root" log -1 --format=%h -- "${paths[@]}")
    git -C "$root" diff --quiet HEAD -- "${paths[@]}" || code="$code+dirty"
    echo "$code"
}

# Logs a run against the code version its binary was built from.
record() {
    local target=$1 status=$2 log=$3 code=${built_code[$1]}
    local runs; runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
    printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$target" "$code" "${runs:-0}" "$status" >> "$ledger"
}

# Settings for fuzzing for hours beside other work (campaign, goal).
low_priority() {
    # Leak checks are off (they dominate the mcp target); the ASan test run checks leaks. A run
    # at low priority may wait long for the CPU, so one input may take 60 s, not 10.
    # Under autogroup scheduling nice counts only within a session: lower the session's own
    # weight too (Linux; ignored where /proc/self/autogroup is not writable).
    echo 19 2>/dev/null > /proc/self/autogroup || true
    # Allocation stacks are not recorded (malloc_context_size=0): unwinding on every malloc cost
    # the mcp target a tenth of its time. Replaying a finding's input shows them.
    export ASAN_OPTIONS=${ASAN_OPTIONS:-malloc_context_size=0}
}

# The clean executions the ledger holds for target $1 on code version $2.
clean_count() {
    [[ -f "$ledger" ]] || { echo 0; return; }
    awk -F'\t' -v t="$1" -v c="$2" '!/^#/ && $2 == t && $3 == c && ($5 == 0 || $5 == 72) { n += $4 } END { print n + 0 }' "$ledger"
}

# Fuzzes each target of the comma-separated list $1 in turn until its clean executions on the
# code it was built from reach $goal, or until `stop`.
goal_loop() {
    local t have
    for t in ${1//,/ }; do
        while [[ ! -e "$here/.stop" ]]; do
            have=$(clean_count "$t" "${built_code[$t]}")
            (( have < goal )) || { echo "fuzz-$t: $have clean executions on ${built_code[$t]}, goal reached" >&2; break; }
            fuzz "$t" 0 -runs=$((goal - have)) -detect_leaks=0 -timeout=60 || { local s=$?; [[ $s == 72 ]] || return "$s"; }
        done
    done
}

# Clean executions and failed runs per target and code version; `current` marks the version the
# tree now has, the one whose count matters.
counts() {
    [[ -f "$ledger" ]] || { echo "no runs logged yet ($ledger)" >&2; return; }
    local current=""
    for t in "${targets[@]}"; do current+="$t $(code_version "$t"),"; done
    printf "target\tcode\tclean executions\tfailed runs\tcurrent\n"
    awk -F'\t' -v current="$current" '
        /^#/ { next }
        $5 == 0 || $5 == 72 { clean[$2 "\t" $3] += $4; seen[$2 "\t" $3] = 1 }
        $5 != 0 && $5 != 72 { bad[$2 "\t" $3]++; seen[$2 "\t" $3] = 1 }
        END { for (k in seen) { split(k, f, "\t")
                  printf "%s\t%d\t%d\t%s\n", k, clean[k], bad[k], index(current, f[1] " " f[2] ",") ? "yes" : "" } }' "$ledger" | sort
}

# The smoke run is deterministic (fixed seed, fixed number of runs, fresh corpus), so a commit
# that passes it here passes it in CI. In the CI rehearsal (2 cores) text and json took 70–85 s
# each, patterns and mcp about 10 s.
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
    campaign)
        low_priority
        build; minutes=${2:?minutes}; shift 2
        rm -f "$here/.stop"
        while [[ ! -e "$here/.stop" ]]; do
            for t in "$@"; do
                [[ -e "$here/.stop" ]] && break
                fuzz "$t" $((minutes * 60)) -detect_leaks=0 -timeout=60 || { status=$?; [[ $status == 72 ]] || exit $status; }
            done
        done ;;
    goal)
        # One loop per argument, in parallel; built once before they start, so that no loop
        # relinks a binary another one is running.
        shift; (( $# )) || { echo "run.sh goal: name the targets, e.g. goal json,mcp text,patterns" >&2; exit 64; }
        low_priority
        build
        rm -f "$here/.stop"
        for list in "$@"; do goal_loop "$list" & done
        failed=0
        for job in $(jobs -p); do wait "$job" || failed=$?; done
        exit "$failed" ;;
    stop)
        # The loops see the flag; the fuzzer now running gets SIGINT, prints its final count and
        # exits with 72, and its run is logged. The flag stays until a campaign or goal run starts
        # (a campaign that removed it on its way out let another one, still running, miss it).
        touch "$here/.stop"
        pkill -INT -f "$here/.build/release/fuzz-(text|json|patterns|mcp) " || true ;;
    counts) counts ;;
    text|json|patterns|mcp) build; t=$1; shift; fuzz "$t" "${1:-20}" "${@:2}" ;;
    *) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 64 ;;
esac
