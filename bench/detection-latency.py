#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""How soon does ntt raise each attack in the lab captures?

For every attack in captures/ground-truth.json that a detector handles, it
runs tshark with the plugin (through tests/tshark-as-user.sh) and prints:

  attempts  distinct ports (port scans) or hosts (sweeps; for an ARP sweep
            the addresses its ARP requests asked for) the attacker had
            probed up to and including the detection frame, counted from
            plain tshark output, not from ntt;
  seconds   from the attack's first packet (ground truth) to the detection;
  pps       the attack's packet rate (ground truth).

Targets (issue #3): a port scan by the 10th distinct port, a sweep by the
5th host, floods within 1 s of onset at >= 500 packets/s. The figures go to
stdout and to BUILD_DIR/bench/detection-latency.json.

Usage: bench/detection-latency.py [BUILD_DIR]      (default build/)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNNER = REPO / "tests" / "tshark-as-user.sh"
TSHARK = os.environ.get("NTT_TSHARK", "tshark")
TARGETS = {"portscan": ("attempts", 10), "sweep": ("attempts", 5),
           "synflood": ("seconds", 1.0), "udpflood": ("seconds", 1.0),
           "icmpflood": ("seconds", 1.0), "ddos": ("seconds", 1.0)}


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stderr}")
    return proc.stdout


def main():
    build = Path(sys.argv[1] if len(sys.argv) > 1 else REPO / "build")
    plugin = Path(os.environ.get("NTT_PLUGIN", build / "plugin" / "ntt.so"))
    if not plugin.is_file():
        sys.exit(f"no plugin at {plugin}: build first")
    truth = json.loads((REPO / "captures" / "ground-truth.json").read_text())["files"]
    work = Path(tempfile.mkdtemp(prefix="ntt-latency-"))
    os.chmod(work, 0o755)
    rows = []
    try:
        for name, info in sorted(truth.items()):
            attacks = [a for a in info["attacks"] if a["type"] in TARGETS or a["type"] in
                       ("bruteforce", "flags")]
            if not attacks:
                continue
            copy = work / name
            shutil.copyfile(REPO / "captures" / name, copy)
            os.chmod(copy, 0o644)
            out = run([str(RUNNER), str(plugin), "-r", str(copy), "-q", "-z", "ntt,json"])
            alerts = json.loads(out[out.index("{"):])["alerts"]
            times = run([TSHARK, "-r", str(copy), "-T", "fields", "-e", "frame.number",
                         "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ipv6.src",
                         "-e", "ip.dst", "-e", "ipv6.dst", "-e", "tcp.dstport",
                         "-e", "udp.dstport", "-e", "arp.opcode", "-e", "arp.src.proto_ipv4",
                         "-e", "arp.dst.proto_ipv4", "-E", "occurrence=f"]).splitlines()
            packets = [line.split("\t") for line in times]
            for attack in attacks:
                found = [a for a in alerts if a["type"] == attack["type"]]
                row = {"capture": name, "type": attack["type"], "detected": bool(found)}
                if found:
                    alert = found[0]
                    onset_frame = attack.get("first_frame", alert["first_frame"])
                    onset = float(packets[onset_frame - 1][1])
                    row["seconds"] = round(alert["detect"] - onset, 4)
                    row["detect_frame"] = alert["detect_frame"]
                    src = attack.get("src")
                    probed = set()
                    for p in packets[:alert["detect_frame"]]:
                        if attack.get("kind") == "arp":
                            # An ARP sweep: the addresses its requests asked for.
                            if p[8] == "1" and p[9] == src:
                                probed.add(p[10])
                        elif src and src in (p[2], p[3]):
                            if attack["type"] == "portscan":
                                probed.add(p[6] or p[7])
                            else:
                                probed.add(p[4] or p[5])
                    probed.discard("")
                    row["attempts"] = len(probed)
                    row["pps"] = attack.get("attack_pps")
                rows.append(row)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'capture':32} {'type':11} {'attempts':>8} {'seconds':>8} {'pps':>9}  target")
    for r in rows:
        target = TARGETS.get(r["type"])
        goal = f"{target[0]} <= {target[1]}" if target else "-"
        if not r["detected"]:
            print(f"{r['capture']:32} {r['type']:11} {'NOT DETECTED':>18}")
            continue
        met = ""
        if target:
            met = " met" if r[target[0]] <= target[1] else " MISSED"
        pps = f"{r['pps']:.0f}" if r.get("pps") else "-"
        print(f"{r['capture']:32} {r['type']:11} {r['attempts']:8} {r['seconds']:8.3f} "
              f"{pps:>9}  {goal}{met}")
    dest = build / "bench"
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "detection-latency.json").write_text(json.dumps(rows, indent=1) + "\n")
    print(f"results: {dest / 'detection-latency.json'}")


if __name__ == "__main__":
    main()
