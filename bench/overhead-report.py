#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The report half of bench/overhead.sh: reads the runs it recorded
# (overhead-runs.tsv), the untimed `-z ntt,json` reports (ntt-STEM.json)
# and the callgrind counts (instructions-STEM.json) from BUILD_DIR/bench,
# prints medians, ratios against plain tshark and the targets (met / NOT
# met, informative only), and writes BUILD_DIR/bench/overhead.json.
# overhead.sh passes everything in NTT_B_* environment variables; run it
# through overhead.sh.
import csv
import datetime
import hashlib
import json
import os
import platform
import statistics
import struct
import subprocess

env = os.environ
out = env["NTT_B_OUT"]
dry = env["NTT_B_DRY"] == "1"
plugin = env["NTT_B_PLUGIN"]
time_target = float(env["NTT_B_TARGET"])
rss_target = float(env["NTT_B_RSS_TARGET"])
stems = env["NTT_B_STEMS"].split()
want_instructions = env["NTT_B_INSTRUCTIONS"] == "1" and not dry
ipackets = int(env["NTT_B_IPACKETS"])

FLOOD_VICTIM = "10.10.10.10"        # gen-spoofed-flood.py's victim
LABEL = {"A": "io,phs     without ntt", "B": "ntt,stats  with ntt   ", "C": "io,phs     with ntt   "}
KEYS = ("tshark_s", "cpu_s", "rss_kib", "user_s", "sys_s", "wall_s", "wall_rss_kib")


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


def load_json(path):
    """The document, or None when the file is missing or not JSON (a
    plugin without the report, a run that was skipped)."""
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def verdict(value, limit):
    return "met" if value <= limit else "NOT met"


rows = list(csv.DictReader(open(env["NTT_B_TSV"]), delimiter="\t"))
for r in rows:
    r["cpu_s"] = "%.2f" % (float(r["user_s"]) + float(r["sys_s"]))
by = {}
for r in rows:
    by.setdefault(r["config"], []).append(r)


def summarise(cfg):
    rs = by.get(cfg, [])
    if not rs:
        return None
    s = {"runs": len(rs), "exit": sorted({int(r["exit"]) for r in rs})}
    for k in KEYS:
        vals = [float(r[k]) for r in rs]
        s[k] = {"median": statistics.median(vals), "min": min(vals), "max": max(vals), "all": vals}
    return s


def med(s, k):
    return s[k]["median"]


def flatten(obj, prefix=""):
    """("a.b", value) pairs of a nested JSON object, in its order."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from flatten(v, "%s.%s" % (prefix, k) if prefix else str(k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from flatten(v, "%s[%d]" % (prefix, i))
    else:
        yield prefix, obj


def print_engine(engine):
    """Whatever the report's `engine` object holds, one key per line group;
    replay bytes per frame called out when the report names them."""
    if not isinstance(engine, dict):
        print("  engine: (no engine object in this plugin's -z ntt,json)")
        return
    pairs = list(flatten(engine))
    line = "  engine:"
    for k, v in pairs:
        item = " %s=%s" % (k, json.dumps(v))
        if len(line) + len(item) > 100:
            print(line)
            line = "         "
        line += item
    print(line)
    for k, v in pairs:
        if "per_frame" in k or "bytes_per_frame" in k:
            print("  replay bytes per frame (%s): %s" % (k, v))


def alerts_of(report):
    return report.get("alerts") or [] if isinstance(report, dict) else []


def find_alert(alerts, **want):
    for a in alerts:
        if all(a.get(k) == v for k, v in want.items()):
            return a
    return None


def describe_alert(a):
    parts = ["%s %s -> %s%s" % (a.get("type"), a.get("src") or "(many)", a.get("dst") or "(many)",
                                ":%s" % a["port"] if a.get("port") is not None else "")]
    parts.append("frames %s-%s@%s" % (a.get("first_frame"), a.get("last_frame"), a.get("detect_frame")))
    for k in ("packets", "distinct_sources", "distinct_ports", "half_open", "peak_pps"):
        if k in a:
            parts.append("%s %s" % (k, a[k]))
    return ", ".join(parts)


def instruction_ratios(instr, startup, key, packets):
    """Ratios of configuration key (B or C) to A in instructions: as
    counted on the first N packets; with tshark's start-up (a 1-packet run
    of each configuration) taken off, what a packet costs; and projected to
    the whole file (start-up + packets x that cost), the figure to set
    beside a whole-file time ratio. The projection assumes the first N
    packets are like the rest (gen-mixed.py --attacks spreads its attacks
    for that reason)."""
    r = {"instructions": instr[key] / instr["A"]}
    n = instr["packets"]
    if startup is None or n <= 1:
        return r
    per_x = (instr[key] - startup[key]) / (n - 1)
    per_a = (instr["A"] - startup["A"]) / (n - 1)
    if per_a <= 0:
        return r
    r["instructions_per_packet"] = per_x / per_a
    r["instructions_projected"] = (startup[key] + per_x * (packets - 1)) / (startup["A"] + per_a * (packets - 1))
    return r


def section(stem, targets):
    suffix = "" if stem == "mixed" else "-" + stem
    capture = stem + ".pcap"
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

    instr = load_json(os.path.join(out, "instructions-%s-%d.json" % (stem, ipackets))) if want_instructions else None
    if instr is not None:
        res["instructions"] = instr
        if startup is not None:
            res["instructions"]["startup"] = startup

    a, b, cc = cfgs["A"], cfgs["B"], cfgs["C"]
    r = {}
    for name, x, key in (("B/A", b, "B"), ("C/A", cc, "C")):
        r[name] = {"tshark_s": med(x, "tshark_s") / med(a, "tshark_s"),
                   "cpu_s": med(x, "cpu_s") / med(a, "cpu_s"),
                   "wall_s": med(x, "wall_s") / med(a, "wall_s"),
                   "rss": med(x, "rss_kib") / med(a, "rss_kib")}
        print("  ratio %s: time %.3f (tshark)  %.3f (cpu)  %.3f (wall)   peak RSS %.3f"
              % (name, r[name]["tshark_s"], r[name]["cpu_s"], r[name]["wall_s"], r[name]["rss"]))
        if instr is not None:
            r[name].update(instruction_ratios(instr, startup, key, packets))
            i = r[name]
            print("         instructions %.3f (first %d packets)%s"
                  % (i["instructions"], instr["packets"],
                     "  %.3f (a packet, start-up off)  %.3f (whole file, projected)"
                     % (i["instructions_per_packet"], i["instructions_projected"])
                     if "instructions_projected" in i else ""))
    res["ratios"] = r
    res["rss_diff_mib"] = {"B-A": (med(b, "rss_kib") - med(a, "rss_kib")) / 1024,
                           "C-A": (med(cc, "rss_kib") - med(a, "rss_kib")) / 1024}
    res["per_packet_us"] = {"B-A": (med(b, "tshark_s") - med(a, "tshark_s")) / packets * 1e6,
                            "C-A": (med(cc, "tshark_s") - med(a, "tshark_s")) / packets * 1e6}
    print("  RSS B-A: %+.1f MiB   C-A: %+.1f MiB" % (res["rss_diff_mib"]["B-A"], res["rss_diff_mib"]["C-A"]))
    print("  per-packet overhead B-A: %+.2f us   C-A: %+.2f us" % (res["per_packet_us"]["B-A"], res["per_packet_us"]["C-A"]))
    if instr is not None:
        print("  instructions (callgrind, first %d packets): A %d  B %d  C %d   C-A %+.0f a packet%s"
              % (instr["packets"], instr["A"], instr["B"], instr["C"], (instr["C"] - instr["A"]) / instr["packets"],
                 "; start-up (1 packet) A %d  B %d  C %d" % (startup["A"], startup["B"], startup["C"])
                 if startup is not None else ""))
    elif want_instructions:
        print("  instructions: none recorded (instructions-%s.json missing)" % stem)

    report = None if dry else load_json(os.path.join(out, "ntt-%s.json" % stem))
    alerts = alerts_of(report)
    if report is not None:
        counts = {}
        for al in alerts:
            counts[al.get("type")] = counts.get(al.get("type"), 0) + 1
        print("  alerts (-z ntt,json): %s" % (", ".join("%s %d" % kv for kv in counts.items()) or "none"))
        res["alerts"] = alerts
        res["engine"] = report.get("engine")
        print_engine(report.get("engine"))
    elif not dry:
        print("  -z ntt,json: no report (ntt-%s.json missing or not JSON)" % stem)

    def target(what, value, limit):
        v = verdict(value, limit)
        targets.append({"capture": stem, "what": what, "value": round(value, 4), "limit": limit, "verdict": v})
        return v

    if stem == "attacks":
        summ = load_json(os.path.join(out, "attacks.json")) or {}
        expect = summ.get("attacks", {})
        checks = []
        for kind, want in (("portscan", {"src": expect.get("portscan", {}).get("src"),
                                         "dst": expect.get("portscan", {}).get("dst")}),
                           ("synflood", {"dst": expect.get("synflood", {}).get("dst"),
                                         "port": expect.get("synflood", {}).get("dport")}),
                           ("udpflood", {"src": expect.get("udpflood", {}).get("src"),
                                         "dst": expect.get("udpflood", {}).get("dst")})):
            if report is None or kind not in expect:
                continue
            found = find_alert(alerts, type=kind, **want)
            checks.append("%s %s" % (kind, "yes" if found else "NO"))
            res.setdefault("attacks_reported", {})[kind] = found is not None
        if checks:
            print("  the generator's attacks reported: %s" % ", ".join(checks))
        print("  targets (issue 9, attack-laden mix):")
        for name in ("B/A", "C/A"):
            print("    %s time %.3f <= %.2f %s;  peak RSS %.3f <= %.2f %s%s"
                  % (name, r[name]["tshark_s"], time_target, target("%s time" % name, r[name]["tshark_s"], time_target),
                     r[name]["rss"], rss_target, target("%s peak RSS" % name, r[name]["rss"], rss_target),
                     ("   (instructions, whole file projected, %.3f <= %.2f %s)"
                      % (r[name]["instructions_projected"], time_target,
                         target("%s instructions (projected)" % name, r[name]["instructions_projected"], time_target)))
                     if "instructions_projected" in r[name] else ""))
    elif stem == "flood":
        syn = find_alert(alerts, type="synflood", dst=FLOOD_VICTIM)
        if report is not None:
            print("  synflood on %s reported: %s" % (FLOOD_VICTIM, ("yes: " + describe_alert(syn)) if syn else "NO"))
            res["synflood_reported"] = syn is not None
            targets.append({"capture": stem, "what": "synflood reported", "value": syn is not None,
                            "limit": True, "verdict": "met" if syn else "NOT met"})
        print("  targets (issue 9, 1,000,000-source flood):")
        for name in ("B/A", "C/A"):
            print("    %s peak RSS %.3f <= %.2f %s" % (name, r[name]["rss"], rss_target,
                                                   target("%s peak RSS" % name, r[name]["rss"], rss_target)))
        if report is not None:
            print("    synflood still reported: %s" % ("met" if syn else "NOT met"))
    return res


ver = subprocess.run([env["NTT_B_TSHARK"], "--version"], capture_output=True, text=True).stdout.splitlines()[0]
sha = None
if plugin != "none":
    sha = hashlib.sha256(open(plugin, "rb").read()).hexdigest()
runs = int(env["NTT_B_RUNS"])
load = dict(zip(("start", "after_timed_runs", "end"), env["NTT_B_LOAD"].split("|")))
print("ntt overhead benchmark%s" % ("  ** DRY RUN: no plugin loaded, B is not ntt's cost **" if dry else ""))
print("tshark:  %s" % ver)
print("plugin:  %s%s" % (plugin, "  (sha256 %s)" % sha[:16] if sha else ""))
print("runs:    %d per configuration%s, interleaved (order reversed every other round), medians"
      % (runs, ", %s on the flood" % env["NTT_B_FLOOD_RUNS"] if "flood" in stems else ""))
print("load:    %s at the start, %s after the timed runs, %s at the end (1/5/15 min; %d CPUs)"
      % (load.get("start"), load.get("after_timed_runs"), load.get("end"), os.cpu_count()))

generated = {}
for line in open(env["NTT_B_GENERATED"]):
    name, secs = line.split()
    generated[name] = float(secs)
doc = {
    "dry_run": dry,
    "date_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "host": {"machine": platform.machine(), "kernel": platform.release(), "cpus": os.cpu_count()},
    "load_average": load,
    "tshark": ver,
    "plugin": plugin,
    "plugin_sha256": sha,
    "runs": runs,
    "warmup": int(env["NTT_B_WARMUP"]),
    "timing": "tshark_s: elapsed s of the tshark process (GNU time); cpu_s: its user+sys s; wall_s: the whole tests/tshark-as-user.sh; rss_kib: tshark's peak RSS",
    "target": time_target,
    "rss_target": rss_target,
    "generator_s": {stem: generated.get(stem) for stem in stems},
}
for stem in ("mixed", "attacks"):
    summ = os.path.join(out, stem + ".json")
    if stem in stems and os.path.exists(summ):
        doc[stem + "_summary"] = json.load(open(summ))
startup = load_json(os.path.join(out, "instructions-mixed-1.json")) if want_instructions else None
targets = []
for stem in stems:
    if stem == "flood":
        doc["flood_runs"] = int(env["NTT_B_FLOOD_RUNS"])
    doc[stem] = section(stem, targets)

ratio = doc["mixed"]["ratios"]["B/A"]["tshark_s"]
doc["overhead_ratio"] = ratio
doc["targets"] = targets
print()
if "flood" in stems:
    f = doc["flood"]
    print("flood peak RSS: %.0f MiB without ntt, %.0f MiB with ntt,stats (ratio %.2f)"
          % (med(f["configs"]["A"], "rss_kib") / 1024, med(f["configs"]["B"], "rss_kib") / 1024,
             f["ratios"]["B/A"]["rss"]))
print("overhead ratio (ntt,stats / io,phs) on mixed.pcap: %.2f  (target <= %.2f)%s"
      % (ratio, time_target, "  [DRY RUN]" if dry else ""))
if targets:
    missed = [t for t in targets if t["verdict"] != "met"]
    print("issue 9 targets: %d of %d met%s%s" % (len(targets) - len(missed), len(targets),
                                                "; NOT met: " + ", ".join("%s %s" % (t["capture"], t["what"]) for t in missed)
                                                if missed else "",
                                                "  [DRY RUN]" if dry else ""))
    print("(timings share the machine with whatever else runs: the instruction ratios are the steady figures)")

path = os.path.join(out, "overhead.json")
with open(path, "w") as fp:
    json.dump(doc, fp, indent=2)
    fp.write("\n")
print("results: %s" % path)
