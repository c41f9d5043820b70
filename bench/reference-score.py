#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The scored reference table: for every labelled third-party capture of
../shared/reference (corpus/ and pcaps/), what ntt raises in one pass and
in two (tshark -2), judged by tests/e2e/reference_scoring.py, and the
totals: attacks found (type, attacker, every victim), ordinary captures
with any episode, episodes of other types on attack captures.

Usage: bench/reference-score.py [--plugin PLUGIN.so] [--jobs N] [--json OUT]
(default plugin: build/plugin/ntt.so). Exit status 0 whatever the score:
it is a measurement; the test tier (e2e.reference_scored) is the gate.
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "e2e"))
from reference_scoring import all_labels, extra_episodes, verdict  # noqa: E402


def alerts(plugin, path, two_pass):
    args = [str(REPO / "tests" / "tshark-as-user.sh"), plugin, "-r", str(path)]
    args += (["-2"] if two_pass else []) + ["-q", "-z", "ntt,json"]
    run = subprocess.run(args, capture_output=True, text=True)
    out = run.stdout
    if "{" not in out:
        raise SystemExit("reference-score: no report for %s: %s" % (path.name, run.stderr.strip()))
    return json.loads(out[out.index("{"):])["alerts"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plugin", default=str(REPO / "build" / "plugin" / "ntt.so"))
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--json", help="also write the verdicts here")
    args = ap.parse_args()
    cases = all_labels()
    if not cases:
        print("reference-score: ../shared/reference absent, nothing to score")
        return 0
    for path, _ in cases:       # tshark runs as another user: readable
        if not os.access(path, os.R_OK):
            raise SystemExit("reference-score: cannot read %s" % path)
    jobs = [(p, l, two) for p, l in cases for two in (False, True)]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as ex:
        found = list(ex.map(lambda j: alerts(args.plugin, j[0], j[2]), jobs))
    results = []
    for (path, label, two), al in zip(jobs, found):
        ok, words = verdict(al, label)
        results.append({"file": path.name, "tier": path.parent.name, "pass": 2 if two else 1,
                        "expected": sorted(label[0]) or ["none"], "ok": ok, "verdict": words,
                        "extra": len(extra_episodes(al, label))})
    width = max(len(r["file"]) for r in results)
    print("%-*s  %-18s  %-4s  %-4s  %s" % (width, "capture", "expected", "p1", "p2", "verdict (pass 1)"))
    by_file = {}
    for r in results:
        by_file.setdefault(r["file"], {})[r["pass"]] = r
    for name, passes in by_file.items():
        one, two = passes[1], passes[2]
        print("%-*s  %-18s  %-4s  %-4s  %s" % (width, name, ",".join(one["expected"]),
              "ok" if one["ok"] else "FAIL", "ok" if two["ok"] else "FAIL", one["verdict"]))
    for p in (1, 2):
        rs = [r for r in results if r["pass"] == p]
        attacks = [r for r in rs if r["expected"] != ["none"]]
        ordinary = [r for r in rs if r["expected"] == ["none"]]
        print("pass %d: attacks found %d/%d; ordinary captures with episodes %d/%d; "
              "other-type episodes on attack captures %d" % (
                  p, sum(r["ok"] for r in attacks), len(attacks),
                  sum(not r["ok"] for r in ordinary), len(ordinary),
                  sum(r["extra"] for r in attacks)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
