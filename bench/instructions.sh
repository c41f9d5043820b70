#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# ntt's cost in instructions, not seconds: the same three configurations
# as overhead.sh (A io,phs without ntt, B ntt,stats, C io,phs with ntt) on
# the first N packets of the mixed capture, under valgrind's callgrind,
# whose counts do not depend on what else the machine is doing. Use it
# when overhead.sh's spread is large (a shared or throttled machine).
#
# Usage: bench/instructions.sh [BUILD_DIR]          (default build/)
#   NTT_BENCH_PACKETS  packets to read (default 30000; ~1 min a run)
#   NTT_BENCH_EXTRA    extra tshark arguments for B and C (e.g.
#                      "-o ntt.geoip:FALSE")
#   NTT_BENCH_CAPTURE  another capture in BUILD_DIR/bench (e.g.
#                      mixed-public.pcap, made by geoip-cost.sh, or
#                      attacks.pcap and flood.pcap, made by overhead.sh)
#   NTT_HOME           a home folder to run tshark in (tests/tshark-as-user.sh),
#                      e.g. one with ntt's open GeoIP database in
#                      .local/share/ntt
#   NTT_PLUGIN         plugin to load (default BUILD_DIR/plugin/ntt.so)
#   NTT_BENCH_CACHE=1  also simulate the caches (callgrind --cache-sim=yes,
#                      about twice as slow) and print callgrind's estimated
#                      cycles, Ir + 10 x L1 misses + 100 x last-level
#                      misses. Not a time: the model has no memory latency,
#                      no TLB and no second level, which is where ntt's
#                      lookups pay (C/A 1.13 here against 1.43 in CPU
#                      time); bench/native-profile.sh measures the time
#   NTT_BENCH_CACHE=l2 instead count the misses of this machine's second-level
#                      cache (read from /sys; 512 KiB, 8 ways if absent),
#                      simulated as callgrind's last level. ntt's lookups
#                      land at random in tables far larger than it, so
#                      nearly every such miss goes to memory: C - A a
#                      packet is ntt's memory budget. The load of the
#                      machine does not move it, but the memory layout
#                      does: two runs of one plugin differed by 0.4-0.6 %,
#                      runs under other file names by up to 3 %. Compare
#                      several runs of each.
#                      On the attack mix here C's extra CPU time, less
#                      its extra instructions, came to about 250 cycles
#                      a miss (native-profile.sh against these counts):
#                      a memory access each. Then bench/l2-report.py
#                      splits C - A by object (code, data read, data
#                      written) and names the source lines of ntt.so whose
#                      data misses most. Results: l2misses-STEM-N.json,
#                      l2lines-STEM-N.json
# Needs valgrind; generates BUILD_DIR/bench/mixed.pcap like overhead.sh.
# Besides the table, the counts go to BUILD_DIR/bench/instructions-STEM-N.json
# (STEM: the capture's name without .pcap, N: the packets), which overhead.sh
# --instructions reads (with NTT_BENCH_CACHE=1: cycles-STEM-N.json, the estimates).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
packets=${NTT_BENCH_PACKETS:-30000}
case "$packets" in
    ''|*[!0-9]*|0) echo "instructions.sh: NTT_BENCH_PACKETS must be a positive whole number" >&2; exit 2 ;;
esac
plugin=${NTT_PLUGIN:-$build/plugin/ntt.so}
out=$build/bench
command -v valgrind >/dev/null || { echo "instructions.sh: apt-get install valgrind" >&2; exit 2; }
[ -f "$plugin" ] || { echo "instructions.sh: build the plugin first ($plugin)" >&2; exit 2; }
mkdir -p "$out"
chmod a+rwx "$out"
if [ ! -s "$out/mixed.pcap" ]; then
    /usr/bin/python3 "$here/gen-mixed.py" "$out/mixed.pcap" --summary "$out/mixed.json" 2>/dev/null
fi
chmod a+r "$out/mixed.pcap"
capture=$out/${NTT_BENCH_CAPTURE:-mixed.pcap}
[ -s "$capture" ] || { echo "instructions.sh: no capture $capture" >&2; exit 2; }
stem=$(basename "$capture" .pcap)
real_tshark=$(command -v "${NTT_TSHARK:-tshark}")
read -r -a extra <<<"${NTT_BENCH_EXTRA:-}"
cache=${NTT_BENCH_CACHE:-0}
sim= what=instructions kind=instructions
case "$cache" in
    0) ;;
    1) sim=--cache-sim=yes what="estimated cycles" kind=cycles ;;
    l2)
        l2=/sys/devices/system/cpu/cpu0/cache/index2
        l2_size=512K l2_ways=8 l2_line=64
        if [ "$(cat "$l2/level" 2>/dev/null)" = 2 ]; then
            l2_size=$(cat "$l2/size") l2_ways=$(cat "$l2/ways_of_associativity")
            l2_line=$(cat "$l2/coherency_line_size")
        fi
        case "$l2_size" in
            *K) l2_bytes=$(( ${l2_size%K} * 1024 )) ;;
            *M) l2_bytes=$(( ${l2_size%M} * 1024 * 1024 )) ;;
            *) l2_bytes=$l2_size ;;
        esac
        sim="--cache-sim=yes --LL=$l2_bytes,$l2_ways,$l2_line"
        what="second-level cache misses ($l2_size, $l2_ways ways)" kind=l2misses ;;
    *) echo "instructions.sh: NTT_BENCH_CACHE is 0, 1 or l2" >&2; exit 2 ;;
esac

count() {       # label plugin -z-argument [args...]
    local label=$stem-$packets-$1 pl=$2 z=$3 shim=$out/tshark-callgrind-$1.sh n run_sim=$sim
    shift 3
    # l2-report.py names ntt.so's source lines from C's instructions only.
    [ "$cache" = l2 ] && [ "$label" = "$stem-$packets-C" ] && run_sim="$sim --dump-instr=yes"
    cat >"$shim" <<EOF
#!/bin/sh
[ "\$1" = --version ] && exec '$real_tshark' "\$@"
exec valgrind --tool=callgrind $run_sim --callgrind-out-file='$out/callgrind-$label.out' '$real_tshark' "\$@"
EOF
    chmod 755 "$shim"
    if ! NTT_TSHARK=$shim "$repo/tests/tshark-as-user.sh" "$pl" -r "$capture" \
        -c "$packets" -q -z "$z" "$@" >/dev/null 2>"$out/callgrind-$label.err"; then
        echo "instructions.sh: run $label failed:" >&2
        tail -n 20 "$out/callgrind-$label.err" >&2
        exit 1
    fi
    # Collected: Ir, then with the cache simulation Dr Dw I1mr D1mr D1mw
    # ILmr DLmr DLmw; the estimate is callgrind_annotate's "cycles".
    if [ "$cache" = 1 ]; then
        n=$(sed -n 's/.*Collected : \([0-9 ]*\)$/\1/p' "$out/callgrind-$label.err" |
            awk 'NF == 9 { printf "%.0f", $1 + 10 * ($4 + $5 + $6) + 100 * ($7 + $8 + $9) }')
    elif [ "$cache" = l2 ]; then
        n=$(sed -n 's/.*Collected : \([0-9 ]*\)$/\1/p' "$out/callgrind-$label.err" |
            awk 'NF == 9 { printf "%.0f", $7 + $8 + $9 }')
    else
        n=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$out/callgrind-$label.err")
    fi
    [ -n "$n" ] || { echo "instructions.sh: no instruction count from run $label" >&2; exit 1; }
    echo "$n"
}

a=$(count A none io,phs)
b=$(count B "$plugin" ntt,stats "${extra[@]}")
c=$(count C "$plugin" io,phs "${extra[@]}")
per=%.0f
[ "$cache" = l2 ] && per=%.1f
awk -v a="$a" -v b="$b" -v c="$c" -v n="$packets" -v f="$(basename "$capture")" -v what="$what" -v per="$per" 'BEGIN {
    printf "%s, first %d packets of %s (callgrind)\n", what, n, f
    printf "  A io,phs     without ntt  %14.0f\n", a
    printf "  B ntt,stats  with ntt     %14.0f   B/A %.3f\n", b, b / a
    printf "  C io,phs     with ntt     %14.0f   C/A %.3f   (+" per " a packet)\n", c, c / a, (c - a) / n
}'
if [ "$cache" = l2 ]; then
    /usr/bin/python3 "$here/l2-report.py" --a "$out/callgrind-$stem-$packets-A.out" \
        --c "$out/callgrind-$stem-$packets-C.out" --packets "$packets" --plugin "$plugin" \
        --json "$out/l2lines-$stem-$packets.json"
fi
NTT_I_CAPTURE=$(basename "$capture") NTT_I_PACKETS=$packets NTT_I_EXTRA=${NTT_BENCH_EXTRA:-} \
NTT_I_A=$a NTT_I_B=$b NTT_I_C=$c /usr/bin/python3 -c '
import json, os, sys
e = os.environ
json.dump({"capture": e["NTT_I_CAPTURE"], "packets": int(e["NTT_I_PACKETS"]), "extra": e["NTT_I_EXTRA"],
           "A": int(e["NTT_I_A"]), "B": int(e["NTT_I_B"]), "C": int(e["NTT_I_C"])}, sys.stdout, indent=2)
print()' >"$out/$kind-$stem-$packets.json"
