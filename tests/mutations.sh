#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Mutation check of the detection rules: applies each mutation below, one
# at a time, to a scratch copy of the source tree, rebuilds the engine and
# its unit tests there (no plugin: no Wireshark needed) and runs the unit
# tests. A mutation some test fails on is "caught"; one every test passes
# on "SURVIVED" -- a rule nothing pins. The tree itself is never touched.
#
# Usage: tests/mutations.sh [NAME...]     (default: every mutation)
#   NTT_MUTATION_JOBS  parallel build jobs (default 2)
#
# Exit status: 0 every mutation caught; 1 one survived, or its pattern is
# no longer in the code, or the mutated tree did not build; 2 the
# unmutated tree does not build or its unit tests fail.
#
# Each mutation is a sed expression anchored on the code's text. When the
# code changes, the pattern stops matching and the mutation is reported
# "pattern not found" (and fails the run): update the pattern, never drop
# the mutation silently. Not part of CTest: it rebuilds once per mutation.
set -euo pipefail

# name | file | sed expression | what the mutation breaks
MUTATIONS=(
    "few-sources|plugin/engine/detect/detect-flood.c|s/^#define FEW_SOURCES 4\$/#define FEW_SOURCES 40/|a flood from up to 40 sources put on one source"
    "episode-gap|plugin/engine/detect/detect-flood.c|s/int64_t gap = 10 \\* d->config\\.flood_window_ns;/int64_t gap = 2 * d->config.flood_window_ns;/|a baselined flood's episode over after 2 windows, not 10"
    "ddos-during-synflood|plugin/engine/detect/detect-flood.c|s/!syn_flooded(d, dv, p->ts_ns) \\&\\&//|ddos raised while its host is under a SYN flood"
    "synflood-never-over|plugin/engine/detect/detect-flood.c|s/return dv->syn_flood_ns != 0 \\&\\& now_ns - dv->syn_flood_ns <= 10 \\* d->config.flood_window_ns;/return dv->syn_flood_ns != 0 \\&\\& (now_ns || d);/|a SYN flood suppresses its host's ddos for ever"
    "walk-benign-reset|plugin/engine/detect/detect-sweep.c|s/if (s->llr <= d->benign_at)\$/if (0)/|the random walk never starts over once benign"
    "bruteforce-window|plugin/engine/detect/detect-bruteforce.c|s/return now_ns - oldest <= d->config\\.bruteforce_window_ns;/return now_ns - oldest < d->config.bruteforce_window_ns;/|the brute-force window exclusive"
    "keep-max-attempts|plugin/engine/report/episode-types.c|s/COUNT(\"attempts\", \"ntt.alert.attempts\", bruteforce.attempts, \"%s connections\"),/{ \"attempts\", \"ntt.alert.attempts\", NTT_EPISODE_FIELD_U32, AT(bruteforce.attempts), true, NTT_EPISODE_MERGE_FIRST, \"%s connections\" },/|an episode's attempts frozen at the raise"
)

jobs=${NTT_MUTATION_JOBS:-2}
src=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ntt-mutations.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
tree=$scratch/src
build=$scratch/build
log=$scratch/log

selected() {
    local wanted

    [ ${#WANTED[@]} -eq 0 ] && return 0
    for wanted in "${WANTED[@]}"; do
        [ "$wanted" = "$1" ] && return 0
    done
    return 1
}

WANTED=("$@")
for wanted in "${WANTED[@]}"; do
    found=0
    for m in "${MUTATIONS[@]}"; do
        [ "${m%%|*}" = "$wanted" ] && found=1
    done
    if [ $found -eq 0 ]; then
        echo "mutations.sh: no mutation named '$wanted'; known:" >&2
        for m in "${MUTATIONS[@]}"; do echo "  ${m%%|*}" >&2; done
        exit 2
    fi
done

build_tree() {
    cmake --build "$build" -j"$jobs" >"$log" 2>&1
}

run_unit_tests() {
    (cd "$build" && ctest -L unit --output-on-failure >"$log" 2>&1)
}

# The failing test programs, and in them the failing cmocka tests.
failed_tests() {
    local programs cases

    programs=$(sed -n 's/^[[:space:]]*[0-9]* - unit\.\([^ ]*\) (.*/\1/p' "$log" | tr '\n' ' ')
    cases=$(sed -n 's/^\[  FAILED  \] \([A-Za-z_][A-Za-z0-9_]*\)$/\1/p' "$log" | sort -u | tr '\n' ' ')
    echo "${programs% }: ${cases% }"
}

started=$SECONDS
# The working tree as it is (uncommitted changes too), without build
# folders or git metadata.
mkdir -p "$tree"
tar -C "$src" --exclude='./build*' --exclude='./.git' -cf - . | tar -C "$tree" -xf -
if ! cmake -S "$tree" -B "$build" -DNTT_BUILD_PLUGIN=OFF >"$log" 2>&1 || ! build_tree; then
    cat "$log" >&2
    echo "mutations.sh: the unmutated tree does not build" >&2
    exit 2
fi
if ! run_unit_tests; then
    echo "mutations.sh: unit tests fail on the unmutated tree: $(failed_tests)" >&2
    exit 2
fi
echo "unmutated: builds, unit tests pass ($((SECONDS - started)) s)"

status=0
for m in "${MUTATIONS[@]}"; do
    IFS='|' read -r name file expr what <<<"$m"
    selected "$name" || continue
    t0=$SECONDS
    target=$tree/$file
    if [ ! -f "$target" ]; then
        printf '%-22s pattern not found: no file %s\n' "$name" "$file"
        status=1
        continue
    fi
    cp -p "$target" "$scratch/original"
    if ! sed -e "$expr" "$scratch/original" >"$target" ||
       cmp -s "$target" "$scratch/original"; then
        printf '%-22s pattern not found in %s: %s\n' "$name" "$file" "$expr"
        cp -p "$scratch/original" "$target"
        status=1
        continue
    fi
    if ! build_tree; then
        printf '%-22s BUILD FAILED (fix the sed expression):\n' "$name"
        grep -m5 -E 'error' "$log" | sed 's/^/    /'
        status=1
    elif run_unit_tests; then
        printf '%-22s SURVIVED  (%s) %d s\n' "$name" "$what" $((SECONDS - t0))
        status=1
    else
        printf '%-22s caught by %s %d s\n' "$name" "$(failed_tests)" $((SECONDS - t0))
    fi
    # Restored with a fresh time stamp, so the next build recompiles it.
    cp "$scratch/original" "$target"
    touch "$target"
done
echo "total $((SECONDS - started)) s"
exit $status
