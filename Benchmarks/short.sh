#!/usr/bin/env bash
# The suite in CI's short mode: every benchmark runs (so a build break or a crash in Benchmarks/
# fails), for at most 0.25 s each (PII_BENCH_SHORT=1), and check_short.py compares what does not
# depend on the machine with Thresholds/: allocations per call, and throughput as a ratio to a
# baseline measured in the same run. test.sh runs it; under 10 s of measuring after the build.
# When only speed fails, the suite runs again, up to 3 times, and each benchmark's best run counts:
# one process can be 1.5× slower than the next, a real regression is slow in every run.
set -euo pipefail
cd "$(dirname "$0")"

# Above normal priority where that is allowed (root, as in CI): a 50 ms iteration that shares its
# core with a compiler at normal priority is preempted so often that its speed halves.
priority=()
if nice -n -10 true 2>/dev/null; then priority=(nice -n -10); fi

rm -rf .build/short-run
runs=()
for attempt in 1 2 3; do
    runs+=("$PWD/.build/short-run/$attempt")
    PII_BENCH_SHORT=1 "${priority[@]}" swift package --allow-writing-to-package-directory benchmark \
        --format metricP90AbsoluteThresholds --path "${runs[-1]}" --no-progress
    status=0
    python3 check_short.py Thresholds "${runs[@]}" || status=$?
    [[ $status == 2 ]] || exit "$status"
    echo "short.sh: speed below the floor in every run so far; running the suite again"
done
exit 1
