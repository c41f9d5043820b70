#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Where the second-level cache misses of bench/instructions.sh's
NTT_BENCH_CACHE=l2 runs fall: per object, the misses of C (tshark with ntt)
against A (without), a packet, split into code fetches, data reads and data
writes; and, when C was recorded with --dump-instr=yes, ntt.so's own data
misses by the source line whose instruction missed (its inlined frames
named by addr2line against the plugin).

Reads callgrind's output files as they are written: "ob=" and "cob=" name
objects ("(id) path" the first time, "(id)" after), cost lines give the
positions ("positions:", each absolute, +/- relative to the last, or "*"
for the same) then the events ("events:", trailing zeros left out), and the
line after "calls=" is the called function's inclusive cost, not the
caller's own, so it is not counted."""

import argparse
import collections
import os
import re
import sys

from ntt_bench import frames, write_json

NAME = re.compile(r"^(c?ob)=\((\d+)\)(?: (.*))?$")
MISSES = ("ILmr", "DLmr", "DLmw")        # code, data read, data write


def position(token, last):
    if token == "*":
        return last
    if token[0] in "+-":
        return last + int(token, 0)
    return int(token, 0)


def read(path, object_name=None):
    """(misses by object: [code, read, write], {instruction offset: data
    misses} of object_name's own code when the file has instr positions)."""
    objects, names = collections.defaultdict(lambda: [0, 0, 0]), {}
    lines = collections.Counter()
    current, events, columns, slots = "", [], ["line"], None
    last = []
    skip = False
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("positions:"):
                columns = line.split()[1:]
                last = [0] * len(columns)
                continue
            if line.startswith("events:"):
                events = line.split()[1:]
                if not all(e in events for e in MISSES):
                    sys.exit(f"l2-report.py: {path} has no cache simulation (events: {line[7:]})")
                slots = [events.index(e) for e in MISSES]
                continue
            m = NAME.match(line)
            if m:
                if m.group(3):
                    names[m.group(2)] = m.group(3)
                if m.group(1) == "ob":
                    current = os.path.basename(names.get(m.group(2), "?"))
                continue
            if line.startswith("calls="):
                skip = True
                continue
            if not line or line[0] not in "0123456789+-*":
                continue
            tokens = line.split()
            if len(tokens) < len(columns) or slots is None:
                continue
            last = [position(t, l) for t, l in zip(tokens, last)]
            if skip:
                skip = False
                continue
            values = [int(v) for v in tokens[len(columns):]]
            values += [0] * (len(events) - len(values))
            counts = [values[i] for i in slots]
            total = objects[current]
            for i in range(3):
                total[i] += counts[i]
            if current == object_name and columns[0] == "instr":
                lines[last[0]] += counts[1] + counts[2]
    if slots is None:
        sys.exit(f"l2-report.py: {path} is not a callgrind output file")
    return objects, lines


def by_source_line(plugin, misses, top):
    """ntt.so's data misses grouped by the frames of the instruction that
    missed (innermost first, at most three), largest first."""
    groups = collections.Counter()
    for address, chain in frames(plugin, misses).items():
        where = " < ".join("%s (%s)" % (fn, os.path.basename(at)) for fn, at in chain[:3])
        groups[where] += misses[address]
    return groups.most_common(top)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--a", required=True, help="callgrind output of A (without ntt)")
    ap.add_argument("--c", required=True, help="callgrind output of C (with ntt)")
    ap.add_argument("--packets", type=int, required=True)
    ap.add_argument("--plugin", help="the plugin C ran, for its source lines")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--json", help="also write the figures here")
    args = ap.parse_args()
    if args.packets <= 0:
        sys.exit("l2-report.py: --packets must be positive")
    a, _ = read(args.a)
    c, lines = read(args.c, "ntt.so")
    per = args.packets
    rows = []
    for obj in set(a) | set(c):
        x, y = a.get(obj, [0, 0, 0]), c.get(obj, [0, 0, 0])
        rows.append({"object": obj, "A": x, "C": y,
                     "extra_a_packet": [(y[i] - x[i]) / per for i in range(3)]})
    rows.sort(key=lambda r: -sum(r["extra_a_packet"]))
    total_a = sum(sum(v) for v in a.values())
    total_c = sum(sum(v) for v in c.values())
    print("second-level misses of C against A, a packet (code fetches, data reads, data writes)")
    for r in rows[:8]:
        e = r["extra_a_packet"]
        print("  %-30s %+7.1f   (%+.1f, %+.1f, %+.1f)" % (r["object"], sum(e), *e))
    print("  %-30s %+7.1f" % ("all", (total_c - total_a) / per))
    result = {"packets": per, "A": total_a, "C": total_c, "objects": rows}
    if args.plugin and lines:
        own = sum(lines.values())
        top = by_source_line(args.plugin, lines, args.top)
        print("ntt.so's data misses by source line (%d in all)" % own)
        for where, n in top:
            print("  %5.1f %%  %s" % (100.0 * n / own, where))
        result["ntt_lines"] = [{"where": w, "misses": n} for w, n in top]
    if args.json:
        write_json(args.json, result)


if __name__ == "__main__":
    main()
