#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What does ntt cost on top of plain tshark? Measured in one run, with the
# configurations interleaved, N repetitions each, medians reported:
#
#   A  tshark -r CAPTURE -q -z io,phs      without ntt  (baseline: full dissection)
#   B  tshark -r CAPTURE -q -z ntt,stats   with ntt     (ntt's report)
#   C  tshark -r CAPTURE -q -z io,phs      with ntt     (the post-dissector alone)
#
# on the benign mix (mixed.pcap) and, when asked for, on
#   --attacks  the attack-laden mix (gen-mixed.py --attacks: 213,007 packets,
#              a port scan, a spoofed SYN flood and a UDP flood): targets
#              time <= 1.10x and peak RSS <= 1.15x of A
#   --flood    a spoofed SYN flood of 1,000,000 sources (memory: are ntt's
#              tables bounded?): target peak RSS <= 1.15x of A, with the
#              synflood still reported
# plus, with --instructions, A B C counted by callgrind on the first
# NTT_BENCH_PACKETS packets of each capture (bench/instructions.sh), printed
# beside the timings. After the timed runs, one untimed `-z ntt,json` run per
# capture gives the alerts and the report's `engine` object, printed as they
# are. --all = --attacks --flood --instructions: the whole evidence in one run.
#
# Usage: bench/overhead.sh [--all] [--attacks] [--flood] [--instructions]
#                          [--runs K] [--dry-run] [BUILD_DIR]     (default build/)
#   --runs K              K timed repetitions for every capture (overrides both
#                         NTT_BENCH_RUNS and NTT_BENCH_FLOOD_RUNS)
#   NTT_PLUGIN            plugin to load (default BUILD_DIR/plugin/ntt.so)
#   NTT_BENCH_RUNS        repetitions per configuration (default 5)
#   NTT_BENCH_FLOOD       1: also run the flood (like --flood)
#   NTT_BENCH_FLOOD_RUNS  repetitions per flood configuration (default 3)
#   NTT_BENCH_WARMUP      untimed runs of each configuration first (default 1)
#   NTT_BENCH_TARGET      time ratio printed as the target (default 1.10)
#   NTT_BENCH_RSS_TARGET  peak-RSS ratio printed as the target (default 1.15)
#   NTT_BENCH_PACKETS     packets counted by --instructions (default 30000)
#   NTT_TSHARK, NTT_RUN_USER  passed on to tests/tshark-as-user.sh
#
# --dry-run checks the scripts without a plugin: every run loads no plugin,
# and B's "-z ntt,stats" is allowed to fail with tshark's "invalid -z
# argument"; no ntt,json and no callgrind runs. Its numbers are NOT ntt's
# cost.
#
# Every run goes through tests/tshark-as-user.sh (as root tshark ignores
# personal plugin folders), with and without the plugin alike. Two times are
# taken: "tshark" is GNU time around the tshark process itself, "wall" is
# around the whole tshark-as-user.sh (temporary home, user switch, one
# `tshark --version`: a constant that dilutes ratios). The headline ratios
# use the tshark time; peak RSS is the tshark process's. Targets are printed
# with "met" / "NOT met"; they never change the exit status.
#
# Results: a table on stdout (bench/overhead-report.py) and
# BUILD_DIR/bench/overhead.json.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

dry_run=0
flood=${NTT_BENCH_FLOOD:-0}
attacks=0
instructions=0
runs=${NTT_BENCH_RUNS:-5}
flood_runs=${NTT_BENCH_FLOOD_RUNS:-3}
build=
while [ $# -gt 0 ]; do
    case "$1" in
        --dry-run) dry_run=1 ;;
        --flood) flood=1 ;;
        --attacks) attacks=1 ;;
        --instructions) instructions=1 ;;
        --all) attacks=1; flood=1; instructions=1 ;;
        --runs) [ $# -ge 2 ] || { echo "overhead.sh: --runs needs a count" >&2; exit 2; }
                runs=$2; flood_runs=$2; shift ;;
        --runs=*) runs=${1#--runs=}; flood_runs=$runs ;;
        -h|--help) sed -n '4,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "overhead.sh: unknown option $1" >&2; exit 2 ;;
        *) [ -z "$build" ] || { echo "overhead.sh: one BUILD_DIR only" >&2; exit 2; }
           build=$1 ;;
    esac
    shift
done
[ "$flood" = 1 ] || flood=0
build=${build:-$repo/build}
[ -d "$build" ] || { echo "overhead.sh: no build folder $build (build first: cmake -S . -B build && cmake --build build)" >&2; exit 2; }
build=$(cd "$build" && pwd)

warmup=${NTT_BENCH_WARMUP:-1}
target=${NTT_BENCH_TARGET:-1.10}
rss_target=${NTT_BENCH_RSS_TARGET:-1.15}
ipackets=${NTT_BENCH_PACKETS:-30000}
for v in "$runs" "$flood_runs" "$warmup" "$ipackets"; do
    case "$v" in ''|*[!0-9]*) echo "overhead.sh: run and packet counts must be whole numbers" >&2; exit 2 ;; esac
done
if [ "$instructions" = 1 ] && [ "$dry_run" = 0 ] && ! command -v valgrind >/dev/null; then
    echo "overhead.sh: --instructions needs valgrind (apt-get install valgrind)" >&2
    exit 2
fi
if [ "$runs" -lt 1 ] || [ "$flood_runs" -lt 1 ] || [ "$ipackets" -lt 1 ]; then
    echo "overhead.sh: at least one run (and one packet for --instructions)" >&2
    exit 2
fi

if [ "$dry_run" = 1 ]; then
    plugin=none
else
    plugin=${NTT_PLUGIN:-$build/plugin/ntt.so}
    if [ "$plugin" = none ]; then
        echo "overhead.sh: NTT_PLUGIN=none: use --dry-run to run without a plugin" >&2
        exit 2
    fi
    if [ ! -f "$plugin" ]; then
        echo "overhead.sh: plugin $plugin does not exist (build it, or set NTT_PLUGIN, or use --dry-run)" >&2
        exit 2
    fi
    plugin=$(cd "$(dirname "$plugin")" && pwd)/$(basename "$plugin")
fi

[ -x /usr/bin/time ] || { echo "overhead.sh: /usr/bin/time missing: apt-get install time" >&2; exit 2; }
real_tshark=$(command -v "${NTT_TSHARK:-tshark}") || { echo "overhead.sh: tshark not found" >&2; exit 2; }
wrapper=$repo/tests/tshark-as-user.sh
[ -x "$wrapper" ] || { echo "overhead.sh: $wrapper missing" >&2; exit 2; }

out=$build/bench
mkdir -p "$out"
chmod a+rX "$out"

# As root, tshark runs as NTT_RUN_USER; everything it opens must be readable.
readable_by_runner() {
    if [ "$(id -u)" -eq 0 ]; then
        local ids=${NTT_RUN_USER:-65534:65534}
        setpriv --reuid="${ids%%:*}" --regid="${ids##*:}" --clear-groups test -r "$1"
    else
        test -r "$1"
    fi
}

# -- captures: generated when missing or older than their generator ----------
# The captures measured, in this order; config names are A B C for mixed and
# A-STEM B-STEM C-STEM for the others.
stems=()
[ "$attacks" = 0 ] || stems+=(attacks)
stems+=(mixed)
[ "$flood" = 0 ] || stems+=(flood)
gen_times=$out/overhead-generated.tsv    # stem, seconds (only the ones made now)
: >"$gen_times"
generate() {    # stem script args...
    local name=$1 script=$2; shift 2
    local file=$out/$name.pcap
    if [ -s "$file" ] && [ "$file" -nt "$here/$script" ]; then
        return 0
    fi
    echo "generating $file ..." >&2
    local t0 t1
    t0=$(date +%s.%N)
    "$PY" "$here/$script" "$file.tmp" "$@"
    t1=$(date +%s.%N)
    mv "$file.tmp" "$file"
    chmod a+r "$file"
    printf '%s\t%s\n' "$name" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')" >>"$gen_times"
}
captures=()
for stem in "${stems[@]}"; do
    case "$stem" in
        mixed) generate mixed gen-mixed.py --summary "$out/mixed.json" ;;
        attacks) generate attacks gen-mixed.py --attacks --summary "$out/attacks.json" ;;
        flood) generate flood gen-spoofed-flood.py ;;
    esac
    captures+=("$out/$stem.pcap")
done
for f in "${captures[@]}"; do
    chmod a+r "$f"
    readable_by_runner "$f" || { echo "overhead.sh: $f is not readable by the user tshark runs as (a folder on its path not world-searchable?)" >&2; exit 2; }
done

# -- tshark under GNU time, as tshark-as-user.sh's NTT_TSHARK ----------------
shim=$out/tshark-timed.sh
cat >"$shim" <<EOF
#!/bin/sh
# Generated by bench/overhead.sh: tshark under GNU time (NTT_TSHARK for
# tests/tshark-as-user.sh). The time line goes to stderr.
[ "\$1" = --version ] && exec '$real_tshark' "\$@"
exec /usr/bin/time -f 'NTT-BENCH-TIME %e %M %U %S' '$real_tshark' "\$@"
EOF
chmod 755 "$shim"
readable_by_runner "$shim" || { echo "overhead.sh: $shim is not readable by the user tshark runs as" >&2; exit 2; }

tsv=$out/overhead-runs.tsv
printf 'config\trep\tcapture\texit\ttshark_s\trss_kib\tuser_s\tsys_s\twall_s\twall_rss_kib\n' >"$tsv"
log=$out/overhead-last-stderr.txt

# config -> plugin, capture, -z argument
cfg_plugin() { case "$1" in A*) echo none ;; *) echo "$plugin" ;; esac; }
cfg_z()      { case "$1" in B*) echo ntt,stats ;; *) echo io,phs ;; esac; }
cfg_stem()   { case "$1" in *-*) echo "${1#*-}" ;; *) echo mixed ;; esac; }
cfg_file()   { echo "$out/$(cfg_stem "$1").pcap"; }
cfg_names()  { if [ "$1" = mixed ]; then echo A B C; else echo "A-$1" "B-$1" "C-$1"; fi; }

run_one() {     # config rep   (rep 0: warm-up, not recorded)
    local cfg=$1 rep=$2 pl z file rc=0 outer inner
    pl=$(cfg_plugin "$cfg"); z=$(cfg_z "$cfg"); file=$(cfg_file "$cfg")
    outer=$(mktemp)
    NTT_TSHARK=$shim /usr/bin/time -f '%e %M' -o "$outer" \
        "$wrapper" "$pl" -r "$file" -q -z "$z" >"$out/$cfg.out" 2>"$log" || rc=$?
    inner=$(sed -n 's/^NTT-BENCH-TIME //p' "$log" | tail -n 1)
    if [ "$rc" -ne 0 ]; then
        if [ "$dry_run" = 1 ] && [ "$z" = ntt,stats ] && grep -qi 'invalid -z argument' "$log"; then
            :   # expected without the plugin
        else
            echo "overhead.sh: run $cfg failed (exit $rc):" >&2
            grep -v '^NTT-BENCH-TIME' "$log" | head -n 20 >&2
            rm -f "$outer"
            exit 1
        fi
    fi
    [ -n "$inner" ] || { echo "overhead.sh: no timing from run $cfg" >&2; cat "$log" >&2; exit 1; }
    if [ "$rep" -gt 0 ]; then
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$cfg" "$rep" "$(basename "$file")" "$rc" \
            "$(echo "$inner" | tr ' ' '\t')" "$(tail -n 1 "$outer" | tr ' ' '\t')" >>"$tsv"
    fi
    rm -f "$outer"
    printf '.' >&2
}

run_set() {     # reps configs...  (alternating order: forward, backward, ...)
    local reps=$1; shift
    local cfgs=("$@") rev=() i c
    for ((i = ${#cfgs[@]} - 1; i >= 0; i--)); do rev+=("${cfgs[i]}"); done
    for ((i = 1; i <= warmup; i++)); do
        for c in "${cfgs[@]}"; do run_one "$c" 0; done
    done
    for ((i = 1; i <= reps; i++)); do
        if [ $((i % 2)) -eq 1 ]; then
            for c in "${cfgs[@]}"; do run_one "$c" "$i"; done
        else
            for c in "${rev[@]}"; do run_one "$c" "$i"; done
        fi
    done
}

# -- sanity: the plugin really loads and answers -z ntt,stats ----------------
if [ "$dry_run" = 0 ]; then
    if ! NTT_TSHARK=$real_tshark "$wrapper" "$plugin" -G plugins 2>/dev/null | grep -q 'ntt\.so'; then
        echo "overhead.sh: tshark does not load $plugin (tshark -G plugins)" >&2
        exit 1
    fi
fi

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
load_start=$(loadavg)
echo "ntt overhead benchmark: ${stems[*]}; $runs runs per configuration$([ "$flood" = 0 ] || echo ", flood $flood_runs"), warm-up $warmup$([ "$dry_run" = 0 ] || echo ', DRY RUN (no plugin)'); load average $load_start" >&2
for stem in "${stems[@]}"; do
    reps=$runs
    [ "$stem" != flood ] || reps=$flood_runs
    printf '%-8s ' "$stem" >&2
    # shellcheck disable=SC2046   # three words on purpose
    run_set "$reps" $(cfg_names "$stem")
    echo >&2
done
for stem in "${stems[@]}"; do
    b=$(cfg_names "$stem" | cut -d' ' -f2)
    if [ "$dry_run" = 0 ] && ! grep -q . "$out/$b.out"; then
        echo "overhead.sh: -z ntt,stats printed nothing on $stem.pcap" >&2
        exit 1
    fi
done
load_timed=$(loadavg)

# -- untimed: ntt's JSON report per capture (alerts, engine figures) -----------
if [ "$dry_run" = 0 ]; then
    for stem in "${stems[@]}"; do
        rm -f "$out/ntt-$stem.json"
        if ! NTT_TSHARK=$real_tshark "$wrapper" "$plugin" -r "$out/$stem.pcap" -q -z ntt,json \
            >"$out/ntt-$stem.json" 2>"$log"; then
            echo "overhead.sh: -z ntt,json failed on $stem.pcap:" >&2
            head -n 20 "$log" >&2
            exit 1
        fi
        printf 'ntt,json %s done\n' "$stem" >&2
    done
fi

# -- callgrind: the same three configurations in instructions ------------------
# tshark's start-up (one packet) is counted too: on N packets it is a
# large share of A, and the report takes it off for per-packet ratios.
if [ "$instructions" = 1 ] && [ "$dry_run" = 0 ]; then
    count_instructions() {   # stem packets
        rm -f "$out/instructions-$1-$2.json"
        NTT_PLUGIN=$plugin NTT_BENCH_CAPTURE=$1.pcap NTT_BENCH_PACKETS=$2 NTT_BENCH_EXTRA= \
            "$here/instructions.sh" "$build" >&2
    }
    echo "callgrind: start-up (1 packet of mixed.pcap, 3 runs) ..." >&2
    count_instructions mixed 1
    for stem in "${stems[@]}"; do
        echo "callgrind: the first $ipackets packets of $stem.pcap (3 runs, about a minute each) ..." >&2
        count_instructions "$stem" "$ipackets"
    done
fi
load_end=$(loadavg)

# -- medians, ratios, targets, table, JSON ------------------------------------
NTT_B_TSV=$tsv NTT_B_OUT=$out NTT_B_PLUGIN=$plugin NTT_B_DRY=$dry_run \
NTT_B_TSHARK=$real_tshark NTT_B_RUNS=$runs NTT_B_FLOOD_RUNS=$flood_runs \
NTT_B_WARMUP=$warmup NTT_B_TARGET=$target NTT_B_RSS_TARGET=$rss_target \
NTT_B_STEMS="${stems[*]}" NTT_B_INSTRUCTIONS=$instructions NTT_B_IPACKETS=$ipackets \
NTT_B_GENERATED=$gen_times \
NTT_B_LOAD="$load_start|$load_timed|$load_end" \
"$PY" "$here/overhead-report.py"
