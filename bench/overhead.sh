#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What does ntt cost on top of plain tshark? Measured in one run, with the
# configurations interleaved, N repetitions each, medians reported:
#
#   A  tshark -r mixed.pcap -q -z io,phs      without ntt  (baseline: full dissection)
#   B  tshark -r mixed.pcap -q -z ntt,stats   with ntt     (ntt's report)
#   C  tshark -r mixed.pcap -q -z io,phs      with ntt     (the post-dissector alone)
#
# and, with --flood (or NTT_BENCH_FLOOD=1), the same three on a spoofed SYN
# flood of 1,000,000 sources (memory: are ntt's tables bounded?).
#
# Usage: bench/overhead.sh [--flood] [--dry-run] [BUILD_DIR]     (default build/)
#   NTT_PLUGIN            plugin to load (default BUILD_DIR/plugin/ntt.so)
#   NTT_BENCH_RUNS        repetitions per configuration (default 5)
#   NTT_BENCH_FLOOD       1: also run the flood (like --flood)
#   NTT_BENCH_FLOOD_RUNS  repetitions per flood configuration (default 3)
#   NTT_BENCH_WARMUP      untimed runs of each configuration first (default 1)
#   NTT_BENCH_TARGET      the ratio printed as the target (default 1.10)
#   NTT_TSHARK, NTT_RUN_USER  passed on to tests/tshark-as-user.sh
#
# --dry-run checks the scripts without a plugin: every run loads no plugin,
# and B's "-z ntt,stats" is allowed to fail with tshark's "invalid -z
# argument". Its numbers are NOT ntt's cost.
#
# Every run goes through tests/tshark-as-user.sh (as root tshark ignores
# personal plugin folders), with and without the plugin alike. Two times are
# taken: "tshark" is GNU time around the tshark process itself, "wall" is
# around the whole tshark-as-user.sh (temporary home, user switch, one
# `tshark --version`: a constant that dilutes ratios). The headline ratios
# use the tshark time; peak RSS is the tshark process's.
#
# Results: a table on stdout and BUILD_DIR/bench/overhead.json.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

dry_run=0
flood=${NTT_BENCH_FLOOD:-0}
build=
while [ $# -gt 0 ]; do
    case "$1" in
        --dry-run) dry_run=1 ;;
        --flood) flood=1 ;;
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

runs=${NTT_BENCH_RUNS:-5}
flood_runs=${NTT_BENCH_FLOOD_RUNS:-3}
warmup=${NTT_BENCH_WARMUP:-1}
target=${NTT_BENCH_TARGET:-1.10}
for v in "$runs" "$flood_runs" "$warmup"; do
    case "$v" in ''|*[!0-9]*) echo "overhead.sh: run counts must be whole numbers" >&2; exit 2 ;; esac
done
if [ "$runs" -lt 1 ] || [ "$flood_runs" -lt 1 ]; then
    echo "overhead.sh: at least one run" >&2
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
gen_mixed_s=null
gen_flood_s=null
generate() {    # name script args...
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
    printf -v "gen_${name}_s" '%s' "$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')"
}
generate mixed gen-mixed.py --summary "$out/mixed.json"
[ "$flood" = 0 ] || generate flood gen-spoofed-flood.py
captures=("$out/mixed.pcap")
[ "$flood" = 0 ] || captures+=("$out/flood.pcap")
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
cfg_file()   { case "$1" in *flood) echo "$out/flood.pcap" ;; *) echo "$out/mixed.pcap" ;; esac; }

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

echo "ntt overhead benchmark: $runs runs per configuration$([ "$flood" = 0 ] || echo ", flood $flood_runs"), warm-up $warmup$([ "$dry_run" = 0 ] || echo ', DRY RUN (no plugin)')" >&2
run_set "$runs" A B C
if [ "$flood" = 1 ]; then
    echo >&2
    run_set "$flood_runs" A-flood B-flood C-flood
fi
echo >&2
if [ "$dry_run" = 0 ] && ! grep -q . "$out/B.out"; then
    echo "overhead.sh: -z ntt,stats printed nothing" >&2
    exit 1
fi

# -- medians, ratios, table, JSON --------------------------------------------
NTT_B_TSV=$tsv NTT_B_OUT=$out NTT_B_PLUGIN=$plugin NTT_B_DRY=$dry_run \
NTT_B_TSHARK=$real_tshark NTT_B_RUNS=$runs NTT_B_FLOOD_RUNS=$flood_runs \
NTT_B_WARMUP=$warmup NTT_B_TARGET=$target NTT_B_FLOOD=$flood \
NTT_B_GEN_MIXED=$gen_mixed_s NTT_B_GEN_FLOOD=$gen_flood_s \
"$PY" - <<'EOF'
import csv, datetime, hashlib, json, os, platform, statistics, struct, subprocess

env = os.environ
out = env["NTT_B_OUT"]
dry = env["NTT_B_DRY"] == "1"
plugin = env["NTT_B_PLUGIN"]
target = float(env["NTT_B_TARGET"])


def count_packets(path):
    """Records in a classic pcap file (either byte order, us or ns)."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    off, n, size = 24, 0, len(data)
    unpack = struct.Struct(endian + "I").unpack_from
    while off + 16 <= size:
        off += 16 + unpack(data, off + 8)[0]
        n += 1
    return n


rows = list(csv.DictReader(open(env["NTT_B_TSV"]), delimiter="\t"))
for r in rows:
    r["cpu_s"] = "%.2f" % (float(r["user_s"]) + float(r["sys_s"]))
keys = ("tshark_s", "cpu_s", "rss_kib", "user_s", "sys_s", "wall_s", "wall_rss_kib")
by = {}
for r in rows:
    by.setdefault(r["config"], []).append(r)

LABEL = {"A": "io,phs     without ntt", "B": "ntt,stats  with ntt   ", "C": "io,phs     with ntt   "}


def summarise(cfg):
    rs = by.get(cfg, [])
    if not rs:
        return None
    s = {"runs": len(rs), "exit": sorted({int(r["exit"]) for r in rs})}
    for k in keys:
        vals = [float(r[k]) for r in rs]
        s[k] = {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "all": vals}
    return s


def med(s, k):
    return s[k]["median"]


def section(suffix, capture):
    path = os.path.join(out, capture)
    packets = count_packets(path)
    cfgs = {c: summarise(c + suffix) for c in "ABC"}
    res = {"capture": path, "packets": packets, "configs": {}}
    print()
    print("capture %s: %d packets" % (path, packets))
    print("  %-28s %9s %8s %8s %7s %13s" % ("", "tshark s", "cpu s", "wall s", "spread", "peak RSS MiB"))
    for c in "ABC":
        s = cfgs[c]
        if s is None:
            continue
        spread = (s["tshark_s"]["max"] - s["tshark_s"]["min"]) / med(s, "tshark_s") * 100 if med(s, "tshark_s") else 0.0
        note = "  (failed as expected: dry run)" if dry and c == "B" and s["exit"] != [0] else ""
        print("  %s %-25s %9.2f %8.2f %8.2f %6.1f%% %13.1f%s" % (c, LABEL[c], med(s, "tshark_s"), med(s, "cpu_s"),
                                                               med(s, "wall_s"), spread, med(s, "rss_kib") / 1024, note))
        res["configs"][c] = dict(s, command="tshark -r %s -q -z %s" % (capture, "ntt,stats" if c == "B" else "io,phs"),
                                 plugin=c != "A" and not dry, spread_pct=round(spread, 2))
    a, b, cc = cfgs["A"], cfgs["B"], cfgs["C"]
    r = {}
    for name, x in (("B/A", b), ("C/A", cc)):
        r[name] = {"tshark_s": med(x, "tshark_s") / med(a, "tshark_s"),
                   "cpu_s": med(x, "cpu_s") / med(a, "cpu_s"),
                   "wall_s": med(x, "wall_s") / med(a, "wall_s"),
                   "rss": med(x, "rss_kib") / med(a, "rss_kib")}
        print("  time ratio %s: %.3f (tshark)  %.3f (cpu)  %.3f (wall)   RSS ratio %.3f"
              % (name, r[name]["tshark_s"], r[name]["cpu_s"], r[name]["wall_s"], r[name]["rss"]))
    res["ratios"] = r
    res["rss_diff_mib"] = {"B-A": (med(b, "rss_kib") - med(a, "rss_kib")) / 1024,
                           "C-A": (med(cc, "rss_kib") - med(a, "rss_kib")) / 1024}
    res["per_packet_us"] = {"B-A": (med(b, "tshark_s") - med(a, "tshark_s")) / packets * 1e6,
                            "C-A": (med(cc, "tshark_s") - med(a, "tshark_s")) / packets * 1e6}
    print("  RSS B-A: %+.1f MiB   C-A: %+.1f MiB" % (res["rss_diff_mib"]["B-A"], res["rss_diff_mib"]["C-A"]))
    print("  per-packet overhead B-A: %+.2f us   C-A: %+.2f us" % (res["per_packet_us"]["B-A"], res["per_packet_us"]["C-A"]))
    return res


ver = subprocess.run([env["NTT_B_TSHARK"], "--version"], capture_output=True, text=True).stdout.splitlines()[0]
sha = None
if plugin != "none":
    sha = hashlib.sha256(open(plugin, "rb").read()).hexdigest()
runs = int(env["NTT_B_RUNS"])
print("ntt overhead benchmark%s" % ("  ** DRY RUN: no plugin loaded, B is not ntt's cost **" if dry else ""))
print("tshark:  %s" % ver)
print("plugin:  %s%s" % (plugin, "  (sha256 %s)" % sha[:16] if sha else ""))
print("runs:    %d per configuration, interleaved (order reversed every other round), medians" % runs)

doc = {
    "dry_run": dry,
    "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "host": {"machine": platform.machine(), "kernel": platform.release(), "cpus": os.cpu_count()},
    "tshark": ver,
    "plugin": plugin,
    "plugin_sha256": sha,
    "runs": runs,
    "warmup": int(env["NTT_B_WARMUP"]),
    "timing": "tshark_s: elapsed s of the tshark process (GNU time); cpu_s: its user+sys s; wall_s: the whole tests/tshark-as-user.sh; rss_kib: tshark's peak RSS",
    "target": target,
    "generator_s": {"mixed": None if env["NTT_B_GEN_MIXED"] == "null" else float(env["NTT_B_GEN_MIXED"]),
                    "flood": None if env["NTT_B_GEN_FLOOD"] == "null" else float(env["NTT_B_GEN_FLOOD"])},
}
summ = os.path.join(out, "mixed.json")
if os.path.exists(summ):
    doc["mixed_summary"] = json.load(open(summ))
doc["mixed"] = section("", "mixed.pcap")
if env["NTT_B_FLOOD"] == "1":
    doc["flood_runs"] = int(env["NTT_B_FLOOD_RUNS"])
    doc["flood"] = section("-flood", "flood.pcap")

ratio = doc["mixed"]["ratios"]["B/A"]["tshark_s"]
doc["overhead_ratio"] = ratio
print()
if env["NTT_B_FLOOD"] == "1":
    f = doc["flood"]
    print("flood peak RSS: %.0f MiB without ntt, %.0f MiB with ntt,stats (ratio %.2f)"
          % (med(f["configs"]["A"], "rss_kib") / 1024, med(f["configs"]["B"], "rss_kib") / 1024,
             f["ratios"]["B/A"]["rss"]))
print("overhead ratio (ntt,stats / io,phs): %.2f  (target <= %.2f)%s" % (ratio, target, "  [DRY RUN]" if dry else ""))

path = os.path.join(out, "overhead.json")
with open(path, "w") as fp:
    json.dump(doc, fp, indent=2)
    fp.write("\n")
print("results: %s" % path)
EOF
