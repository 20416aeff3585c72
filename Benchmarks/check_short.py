#!/usr/bin/env python3
"""Check short runs of the suite against Thresholds/ by what does not depend on the machine.

usage: check_short.py THRESHOLDS_DIR RUN_DIR [RUN_DIR…]

Each folder holds one `<target>.<benchmark>.p90.json` per benchmark, {metric: value}: THRESHOLDS_DIR
as `benchmark thresholds update` wrote it from a full run, each RUN_DIR as `benchmark --format
metricP90AbsoluteThresholds` wrote it for one short run (short.sh). Two checks per benchmark:

- mallocCountTotal, allocations per call: they belong to the code and the toolchain, not to the CPU
  or its load, so in every run they must be within MALLOC_TOLERANCE of the committed value either
  way, as in `thresholds check` (fewer also fails: update the thresholds so they keep describing
  the code).
- throughput, only as a ratio to BASELINE's throughput in the same run: the best ratio over the runs
  may fall to 1/SPEED_RATIO_LIMIT of the same ratio in THRESHOLDS_DIR, never further. A slower or
  busier machine slows both sides and leaves the ratio; a prefilter that stops filtering or a
  quadratic path does not. Faster never fails. The baselines are not checked themselves: copy
  against scan is the machine's memory against its ALU, not our code.

Why throughput and not wallClock: benchmark 1.38.1 writes the plain 90th percentile of each metric's
histogram to these files, which for throughput (one rate per iteration) is the fastest tenth of the
iterations. Load only ever slows an iteration, so that value moves little with it, where the wall
clock p90 (the slowest tenth) of the 0.35 ms baseline almost doubled between two runs here. What
still moves is a whole process: the same benchmark ran at 15 or 22 MiB/s from one process to the
next, which is why the best of several runs counts.

Exits 0 when everything passes; 2 when only speed failed, so another run may pass; 1 for anything a
rerun cannot change: allocations, or a benchmark missing from the runs or from THRESHOLDS_DIR.
"""

import json
import sys
from pathlib import Path

# `mallocTolerance` in PIISanitizerBenchmarks.swift: below 20 allocations this is exact.
MALLOC_TOLERANCE = 0.05
# Speed relative to the baseline may halve, no more. Between processes on one machine the ratio moved
# by up to 1.75× (0.57 of the committed ratio); a regression worth stopping a merge for costs more.
SPEED_RATIO_LIMIT = 2.0
BASELINE = "Baseline-newlines-1MiB"


def load(folder):
    """{benchmark name: {metric: value}} for every `<target>.<name>.p90.json` in folder."""
    results = {}
    for path in sorted(Path(folder).glob("*.p90.json")):
        name = path.name.removesuffix(".p90.json").split(".", 1)[1]
        results[name] = json.loads(path.read_text())
    return results


def speed(results, name):
    """name's throughput divided by the baseline's in one set of results, or None."""
    mine, base = results.get(name, {}).get("throughput"), results.get(BASELINE, {}).get("throughput")
    return mine / base if mine and base else None


def main(thresholds_dir, run_dirs):
    committed, runs = load(thresholds_dir), [load(folder) for folder in run_dirs]
    if not committed:
        sys.exit(f"check_short: no thresholds in {thresholds_dir}")
    final, slow = [], []  # failures no rerun changes; speeds below the floor

    print(f"{'benchmark':<24} {'mallocs per call':>22}   speed: throughput ÷ {BASELINE}'s, best of {len(runs)}")
    for name, want in committed.items():
        if any(name not in run for run in runs):
            final.append(f"{name}: no result in a run (did it crash?)")
            continue
        expected = want.get("mallocCountTotal")
        counts = [run[name].get("mallocCountTotal") for run in runs]
        if expected is None or None in counts:
            final.append(f"{name}: no mallocCountTotal to compare")
            continue
        furthest = max(counts, key=lambda count: abs(count - expected))
        if abs(furthest - expected) > expected * MALLOC_TOLERANCE:
            final.append(f"{name}: {furthest} allocations per call, committed {expected} "
                         f"(±{MALLOC_TOLERANCE:.0%}; after an intended change, update Thresholds/)")
        row = f"{name:<24} {furthest:>7} (committed {expected:>6})"

        if not name.startswith("Baseline-"):
            reference, ratios = speed(committed, name), [speed(run, name) for run in runs]
            if reference is None or None in ratios:
                final.append(f"{name}: no throughput to compare")
                continue
            best, floor = max(ratios), reference / SPEED_RATIO_LIMIT
            if best < floor:
                slow.append(f"{name}: speed {best:.3g} (best of {len(runs)}), committed {reference:.3g}, "
                            f"floor {floor:.3g} (1/{SPEED_RATIO_LIMIT:g}); a regression, or a very busy machine")
            row += f"   {best:>9.4g} (committed {reference:>9.4g}, floor {floor:>9.4g}, {best / reference:.2f}×)"
        print(row)

    final += [f"{name}: not in {thresholds_dir}: update the thresholds"
              for name in runs[0] if name not in committed]
    for failure in final + slow:
        print(f"check_short: FAIL {failure}")
    print(f"check_short: {len(committed)} benchmarks, {len(final) + len(slow)} failure(s)")
    sys.exit(1 if final else 2 if slow else 0)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__.split("\n\n")[1])
    main(sys.argv[1], sys.argv[2:])
