#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Summarises bench/native-profile.sh's samples: per configuration the
median samples of a run (CPU time at the sampling rate), split into ntt.so
and the rest, the ratios against A, and ntt.so's hot functions in C.

A sample line is perf script's "ADDRESS (OBJECT)"; an address inside
ntt.so is turned into an offset into the plugin file by the mapping that
placed it (a PERF_RECORD_MMAP2 line: start, length, file offset), which
addr2line names (a shared object's code sits at its file offset)."""

import argparse
import collections
import os
import re
import statistics
import sys

from ntt_bench import frames, write_json

LINE = re.compile(r"^\s*([0-9a-f]+)\s+\((.*)\)\s*$")
MMAP = re.compile(r"PERF_RECORD_MMAP2? .*\[0x([0-9a-f]+)\(0x([0-9a-f]+)\) @ 0x([0-9a-f]+)"
                  r".*\]: r-xp (\S*ntt\.so)\s*$")


def read_run(path):
    total = ntt = 0
    addresses = collections.Counter()
    maps = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = MMAP.search(line)
            if m:
                maps.append(tuple(int(x, 16) for x in m.groups()[:3]))
                continue
            m = LINE.match(line)
            if not m:
                continue
            total += 1
            if os.path.basename(m.group(2)) == "ntt.so":
                ntt += 1
                ip = int(m.group(1), 16)
                for start, length, offset in maps:
                    if start <= ip < start + length:
                        addresses[ip - start + offset] += 1
                        break
    return total, ntt, addresses


def functions(plugin, addresses):
    """Samples by function, twice: under the innermost function a sample's
    code belongs to (an inlined lookup is named as itself) and under the
    outermost (the real function it was inlined into)."""
    inner, outer = collections.Counter(), collections.Counter()
    for address, chain in frames(plugin, addresses).items():
        inner[chain[0][0]] += addresses[address]
        outer[chain[-1][0]] += addresses[address]
    return inner, outer


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--runs", type=int, required=True)
    ap.add_argument("--hz", type=int, required=True)
    ap.add_argument("--plugin", required=True)
    ap.add_argument("--capture", required=True)
    ap.add_argument("--json")
    args = ap.parse_args()

    runs = {}
    c_addresses = collections.Counter()
    for label in "ABC":
        runs[label] = []
        for run in range(1, args.runs + 1):
            total, ntt, addresses = read_run(os.path.join(args.dir, f"{label}-{run}.txt"))
            if total == 0:
                sys.exit(f"native-report.py: no samples in run {label}-{run}")
            runs[label].append({"samples": total, "ntt": ntt})
            if label == "C":
                c_addresses.update(addresses)

    def median(label, key):
        return statistics.median(r[key] for r in runs[label])

    def median_rest(label):
        return statistics.median(r["samples"] - r["ntt"] for r in runs[label])

    def median_share(label):
        return statistics.median(r["ntt"] / r["samples"] for r in runs[label])

    a = median("A", "samples")
    result = {"capture": args.capture, "runs": args.runs, "hz": args.hz, "configurations": {}}
    print(f"CPU samples at {args.hz} Hz, {args.capture}, median of {args.runs} interleaved runs")
    print(f"  {'':24s} {'samples':>8s} {'ratio':>6s} {'ntt.so':>7s} {'rest/A':>7s}")
    for label, what in (("A", "io,phs     without ntt"), ("B", "ntt,stats   with ntt"),
                        ("C", "io,phs      with ntt")):
        s = median(label, "samples")
        share = median_share(label)
        rest = median_rest(label) / median_rest("A")
        spread = (max(r["samples"] for r in runs[label]) /
                  min(r["samples"] for r in runs[label]) - 1)
        result["configurations"][label] = {
            "samples": s, "ratio": s / a, "ntt_share": share, "rest_ratio": rest,
            "spread": spread, "runs": runs[label]}
        print(f"  {label} {what:22s} {s:8.0f} {s / a:6.3f} {100 * share:6.1f}% {rest:7.3f}"
              f"   (spread {100 * spread:.0f} %)")
    print("  ratio: the run's samples against A's (CPU time); ntt.so: its share of the run;")
    print("  rest/A: everything but ntt.so against A (Wireshark beside ntt)")

    inner, outer = functions(args.plugin, c_addresses)
    total_ntt = sum(inner.values())
    result["c_functions"] = {
        "innermost": [{"function": f, "samples": n} for f, n in inner.most_common(25)],
        "outermost": [{"function": f, "samples": n} for f, n in outer.most_common(25)]}
    if total_ntt:
        print(f"ntt.so's hot functions in C (all runs, {total_ntt} samples)")
        print(f"  {'innermost (inlined code as itself)':44s} outermost (where it was inlined)")
        a_list, b_list = inner.most_common(15), outer.most_common(15)
        for i in range(max(len(a_list), len(b_list))):
            left = (f"{100 * a_list[i][1] / total_ntt:5.1f}%  {a_list[i][0]}"
                    if i < len(a_list) else "")
            right = (f"{100 * b_list[i][1] / total_ntt:5.1f}%  {b_list[i][0]}"
                     if i < len(b_list) else "")
            print(f"  {left:44s} {right}")
    if args.json:
        write_json(args.json, result)


if __name__ == "__main__":
    main()
