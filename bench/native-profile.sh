#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Where ntt's time goes on the real machine: the same three configurations
# as overhead.sh (A io,phs without ntt, B ntt,stats, C io,phs with ntt),
# each tshark run sampled by perf's software clock (perf record -e
# cpu-clock: no hardware counters needed, so it works in a VM), the runs
# interleaved, medians reported.
#
# Why beside callgrind (instructions.sh): callgrind counts instructions and
# models two cache levels, but not memory latency, TLB misses or branch
# misses. ntt's per-packet work is mostly table lookups -- a bucket and an
# entry, each a likely miss -- so it runs far slower per instruction than
# Wireshark's dissection, and its working set slows Wireshark's own code
# beside it. The samples show both, in the same process, whatever else the
# machine is doing:
#   - ntt.so's share of a run's samples: ntt's own code;
#   - "the rest" of C against A: Wireshark, GLib and libc, slowed by ntt's
#     cache footprint (and doing ntt's allocations);
#   - the whole of C (or B) against A: the time ratio, as CPU time.
# And it names the hot functions of ntt.so in C (addresses resolved with
# addr2line against the plugin, as tshark's temporary home is gone by then).
#
# Usage: bench/native-profile.sh [BUILD_DIR]        (default build/)
#   NTT_BENCH_CAPTURE  a capture in BUILD_DIR/bench (default attacks.pcap,
#                      made with gen-mixed.py --attacks when missing)
#   NTT_BENCH_RUNS     runs per configuration (default 5)
#   NTT_BENCH_HZ       samples a second (default 999)
#   NTT_PLUGIN         plugin to load (default BUILD_DIR/plugin/ntt.so)
# Needs perf (Debian: linux-perf) and kernel.perf_event_paranoid <= 2.
# Results: a table on stdout and BUILD_DIR/bench/native-STEM.json.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
plugin=${NTT_PLUGIN:-$build/plugin/ntt.so}
runs=${NTT_BENCH_RUNS:-5}
hz=${NTT_BENCH_HZ:-999}
out=$build/bench
for n in "$runs" "$hz"; do
    case "$n" in
        ''|*[!0-9]*|0) echo "native-profile.sh: NTT_BENCH_RUNS and NTT_BENCH_HZ must be positive whole numbers" >&2; exit 2 ;;
    esac
done
command -v perf >/dev/null || { echo "native-profile.sh: apt-get install linux-perf" >&2; exit 2; }
command -v addr2line >/dev/null || { echo "native-profile.sh: apt-get install binutils" >&2; exit 2; }
[ -f "$plugin" ] || { echo "native-profile.sh: build the plugin first ($plugin)" >&2; exit 2; }
mkdir -p "$out"
chmod a+rwx "$out"
capture=$out/${NTT_BENCH_CAPTURE:-attacks.pcap}
if [ ! -s "$capture" ] && [ "$(basename "$capture")" = attacks.pcap ]; then
    /usr/bin/python3 "$here/gen-mixed.py" "$capture" --attacks \
        --summary "$out/attacks.json" 2>/dev/null
fi
[ -s "$capture" ] || { echo "native-profile.sh: no capture $capture" >&2; exit 2; }
chmod a+r "$capture"
stem=$(basename "$capture" .pcap)
real_tshark=$(command -v "${NTT_TSHARK:-tshark}")
samples=$out/native-$stem
mkdir -p "$samples"
chmod a+rwx "$samples"

# One sampled run: label run plugin -z-argument. perf writes the samples
# where the unprivileged user can; perf script turns them into lines of
# "address (object)", after the mappings that place ntt.so's code.
sample() {
    local label=$1 run=$2 pl=$3 z=$4 shim=$samples/tshark-perf.sh data
    data=$samples/$label-$run.data
    cat >"$shim" <<EOF
#!/bin/sh
[ "\$1" = --version ] && exec '$real_tshark' "\$@"
exec perf record -q -e cpu-clock -F $hz -o '$data' '$real_tshark' "\$@"
EOF
    chmod 755 "$shim"
    rm -f "$data"
    if ! NTT_TSHARK=$shim "$repo/tests/tshark-as-user.sh" "$pl" -r "$capture" -q -z "$z" \
        >/dev/null 2>"$samples/$label-$run.err"; then
        echo "native-profile.sh: run $label-$run failed:" >&2
        tail -n 20 "$samples/$label-$run.err" >&2
        exit 1
    fi
    perf script -f -i "$data" -F ip,dso --show-mmap-events 2>/dev/null >"$samples/$label-$run.txt"
    rm -f "$data"
}

for run in $(seq "$runs"); do
    sample A "$run" none io,phs
    sample B "$run" "$plugin" ntt,stats
    sample C "$run" "$plugin" io,phs
done

/usr/bin/python3 "$here/native-report.py" --dir "$samples" --runs "$runs" --hz "$hz" \
    --plugin "$plugin" --capture "$(basename "$capture")" --json "$out/native-$stem.json"
