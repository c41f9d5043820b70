#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# What does GeoIP add to an ntt run? `tshark -q -z ntt,stats` on the
# benchmark captures, with GeoIP off (-o ntt.geoip:FALSE) and on (ntt's
# open country+ASN database, ~985,000 networks, found where an install
# puts it: ~/.local/share/ntt), interleaved, N runs each, medians:
#
#   mixed.pcap         the 200,000-packet mix of bench/gen-mixed.py (private
#                      addresses: every lookup is a miss, the cheap case)
#   mixed-public.pcap  the same traffic on routable addresses
#                      (gen-mixed.py --public: every lookup walks the tree
#                      and most find a country and an AS)
#
# Usage: bench/geoip-cost.sh [BUILD_DIR]        (default build/)
#   NTT_BENCH_RUNS  repetitions per configuration (default 5)
#   NTT_OPEN_GEO    the database (default BUILD_DIR/geo/ntt-open-geo.mmdb)
# Prints a table and writes BUILD_DIR/bench/geoip-cost.json. No test
# asserts these numbers; the target (GeoIP adds at most 3 %) is printed
# next to the ratio.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
runs=${NTT_BENCH_RUNS:-5}
plugin=$build/plugin/ntt.so
db=${NTT_OPEN_GEO:-$build/geo/ntt-open-geo.mmdb}
out=$build/bench
PY=/usr/bin/python3
[ -f "$plugin" ] || { echo "geoip-cost.sh: build the plugin first ($plugin)" >&2; exit 2; }
[ -f "$db" ] || { echo "geoip-cost.sh: no open database $db (tor-geoipdb, libloc-database)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "geoip-cost.sh: /usr/bin/time missing: apt-get install time" >&2; exit 2; }
mkdir -p "$out"
chmod a+rX "$out"

for name in mixed mixed-public; do
    file=$out/$name.pcap
    if [ ! -s "$file" ] || [ "$file" -ot "$here/gen-mixed.py" ]; then
        flag=(); [ "$name" = mixed-public ] && flag=(--public)
        echo "generating $file ..." >&2
        "$PY" "$here/gen-mixed.py" "$file.tmp" "${flag[@]}" 2>/dev/null
        mv "$file.tmp" "$file"
    fi
    chmod a+r "$file"
done

# One home for every run, with the open database where an install puts it.
home=$(mktemp -d "${TMPDIR:-/tmp}/ntt-geo-bench.XXXXXX")
trap 'rm -rf "$home"' EXIT
mkdir -p "$home/.local/share/ntt"
cp "$db" "$home/.local/share/ntt/ntt-open-geo.mmdb"
real_tshark=$(command -v "${NTT_TSHARK:-tshark}")
shim=$out/tshark-timed-geo.sh
cat >"$shim" <<EOF
#!/bin/sh
[ "\$1" = --version ] && exec '$real_tshark' "\$@"
exec /usr/bin/time -f 'NTT-BENCH-TIME %e %M %U %S' '$real_tshark' "\$@"
EOF
chmod 755 "$shim"

tsv=$out/geoip-cost-runs.tsv
printf 'capture\tgeoip\trep\ttshark_s\trss_kib\tuser_s\tsys_s\n' >"$tsv"
run_one() {     # capture on|off rep
    local prefs=() log
    [ "$2" = off ] && prefs=(-o ntt.geoip:FALSE)
    log=$(mktemp)
    NTT_HOME=$home NTT_TSHARK=$shim "$repo/tests/tshark-as-user.sh" "$plugin" \
        -r "$out/$1.pcap" -q -z ntt,stats "${prefs[@]}" >"$out/geoip-$1-$2.out" 2>"$log"
    if [ "$3" -gt 0 ]; then
        printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" \
            "$(sed -n 's/^NTT-BENCH-TIME //p' "$log" | tail -n 1 | tr ' ' '\t')" >>"$tsv"
    fi
    rm -f "$log"
    printf '.' >&2
}
for cap in mixed mixed-public; do
    run_one "$cap" off 0
    run_one "$cap" on 0
    for ((i = 1; i <= runs; i++)); do
        if [ $((i % 2)) -eq 1 ]; then run_one "$cap" off "$i"; run_one "$cap" on "$i"
        else run_one "$cap" on "$i"; run_one "$cap" off "$i"; fi
    done
done
echo >&2
grep -q "Geography" "$out/geoip-mixed-public-on.out" ||
    { echo "geoip-cost.sh: GeoIP did not answer in the 'on' runs" >&2; exit 1; }

NTT_G_TSV=$tsv NTT_G_OUT=$out NTT_G_RUNS=$runs "$PY" - <<'EOF'
import csv, json, os, statistics

rows = list(csv.DictReader(open(os.environ["NTT_G_TSV"]), delimiter="\t"))
res = {"runs": int(os.environ["NTT_G_RUNS"]), "captures": {}}
print("GeoIP cost: tshark -q -z ntt,stats, GeoIP off vs on (ntt's open database); medians")
print("  %-14s %10s %10s %8s %9s %9s" % ("capture", "off s", "on s", "ratio", "RSS off", "RSS on"))
for cap in ("mixed", "mixed-public"):
    m = {}
    for g in ("off", "on"):
        rs = [r for r in rows if r["capture"] == cap and r["geoip"] == g]
        m[g] = {"tshark_s": statistics.median(float(r["tshark_s"]) for r in rs),
                "cpu_s": statistics.median(float(r["user_s"]) + float(r["sys_s"]) for r in rs),
                "rss_mib": statistics.median(float(r["rss_kib"]) for r in rs) / 1024,
                "all_s": [float(r["tshark_s"]) for r in rs]}
    ratio = m["on"]["tshark_s"] / m["off"]["tshark_s"]
    cpu_ratio = m["on"]["cpu_s"] / m["off"]["cpu_s"]
    res["captures"][cap] = dict(m, ratio=ratio, cpu_ratio=cpu_ratio)
    print("  %-14s %10.2f %10.2f %8.3f %8.0fM %8.0fM   (cpu ratio %.3f)"
          % (cap, m["off"]["tshark_s"], m["on"]["tshark_s"], ratio, m["off"]["rss_mib"],
             m["on"]["rss_mib"], cpu_ratio))
print("target: GeoIP adds at most 3 % (ratio <= 1.03)")
path = os.path.join(os.environ["NTT_G_OUT"], "geoip-cost.json")
json.dump(res, open(path, "w"), indent=2)
print("results: %s" % path)
EOF
