#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""How soon does `tshark -i IFACE -l -Y ntt.alert` print an alert on live
traffic? Target: within 1 s of the attack's first packet.

It builds the network of tests/e2e/test_live.py: two network namespaces
(ntt-live-a-PID attacker 198.51.100.66, ntt-live-v-PID victim
198.51.100.20; documentation addresses only, IPv6 off, static neighbour
entries so no ARP delays the first packet) joined by a veth pair. tshark
with the plugin captures on the victim's end inside the victim namespace, as
an unprivileged user (tests/tshark-as-user.sh, NTT_CAPTURE_CAPS=1). The
senders run as root inside the attacker namespace:

  portscan  connect() to 40 closed ports of the victim, paced at
            --scan-pps (default 100/s; 0 = as fast as the kernel answers);
            the victim's kernel answers each SYN with a RST.
  pipeline  the port scan again, but tshark prints the first SYN it sees
            (-Y "tcp.flags.syn == 1 && tcp.flags.ack == 0", plugin loaded):
            the delay of the capture pipeline itself (dumpcap, libpcap's
            buffering, tshark's reads), which no detector can beat.
  synflood  raw-socket TCP SYNs, each from its own source port, to port 80
            of the victim (closed: it answers RSTs, no handshake completes)
            at --flood-pps (default 2000/s) for --flood-seconds (3 s).

Per run the sender stamps every probe with CLOCK_MONOTONIC just before
sending it; a thread reads tshark's stdout line by line and stamps each
line on arrival with the same clock. Latency = arrival of the first alert
line of the expected type - the first probe's stamp; "probes" = how many
had been sent by then; "ntt count" is what the alert line itself says
(ntt.alert.ports for the scan, ntt.alert.count for the flood). Each
repetition starts a fresh tshark, so the detectors start clean.

This measures the tool, so it reads the clock; ntt's own logic only ever
uses packet timestamps.

Usage: bench/live-latency.py [--runs N] [--scan-pps R] [--flood-pps R]
                             [--flood-seconds S] [--no-flood] [--json FILE]
                             [BUILD_DIR]      (default build/)
Needs root (namespaces, raw sockets), ip (iproute2), setpriv (util-linux).
"""
import argparse
import bisect
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNNER = REPO / "tests" / "tshark-as-user.sh"
TSHARK = os.environ.get("NTT_TSHARK", "tshark")
ATTACKER, VICTIM, PREFIX = "198.51.100.66", "198.51.100.20", 24
NS_ATTACKER = f"ntt-live-a-{os.getpid()}"
NS_VICTIM = f"ntt-live-v-{os.getpid()}"
TARGET_S = 1.0
SCAN_PORT0, SCAN_PORTS = 20000, 40
FLOOD_PORT = 80
FIRST_SYN = "tcp.flags.syn == 1 && tcp.flags.ack == 0"
FIELDS = ("ntt.alert.type", "ntt.alert.src", "ntt.alert.dst", "ntt.alert.ports",
          "ntt.alert.count", "ntt.alert")

# Runs as root in the attacker namespace. Prints a JSON list of the
# CLOCK_MONOTONIC stamps taken just before each probe was sent.
SENDER = r"""
import json, random, socket, struct, sys, time

def pace(t0, i, pps):
    if pps <= 0:
        return
    target = t0 + i / pps
    while True:
        left = target - time.monotonic()
        if left <= 0:
            return
        if left > 0.002:
            time.sleep(left - 0.001)

def scan(victim, port0, count, pps):
    stamps, t0 = [], time.monotonic()
    for i in range(count):
        pace(t0, i, pps)
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(0.5)
        stamps.append(time.monotonic())
        try:
            s.connect((victim, port0 + i))
        except OSError:
            pass
        finally:
            s.close()
    return stamps

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF

def syn(src, dst, sport, dport, seq):
    header = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, 0x02, 64240, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(header))
    return header[:16] + struct.pack("!H", checksum(pseudo + header)) + header[18:]

def flood(src, victim, port, pps, seconds):
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)
    rng = random.Random(1)
    count = int(pps * seconds)
    frames = [syn(src, victim, 1024 + i % 64000, port, rng.getrandbits(32)) for i in range(count)]
    stamps, t0 = [], time.monotonic()
    for i, frame in enumerate(frames):
        pace(t0, i, pps)
        stamps.append(time.monotonic())
        s.sendto(frame, (victim, 0))
    return stamps

mode = sys.argv[1]
if mode == "scan":
    out = scan(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]))
else:
    out = flood(sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]))
print(json.dumps(out))
"""


def sh(*cmd, check=True):
    proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=30)
    if check and proc.returncode != 0:
        sys.exit(f"live-latency: {' '.join(cmd)} failed: {proc.stderr.strip()}")
    return proc


def mac_of(ns, dev):
    return json.loads(sh("ip", "-n", ns, "-j", "link", "show", "dev", dev).stdout)[0]["address"]


def build_network():
    sh("ip", "netns", "add", NS_VICTIM)
    sh("ip", "netns", "add", NS_ATTACKER)
    sh("ip", "link", "add", "veth-a", "netns", NS_ATTACKER, "type", "veth",
       "peer", "name", "veth-v", "netns", NS_VICTIM)
    ends = ((NS_ATTACKER, "veth-a", ATTACKER), (NS_VICTIM, "veth-v", VICTIM))
    for ns, dev, addr in ends:
        for key in ("all", "default"):
            sh("ip", "netns", "exec", ns, "sysctl", "-qw", f"net.ipv6.conf.{key}.disable_ipv6=1")
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "-n", ns, "addr", "add", f"{addr}/{PREFIX}", "dev", dev)
        sh("ip", "-n", ns, "link", "set", dev, "up")
    # Static neighbours: the first probe leaves at once, no ARP first.
    for (ns, dev, _), (peer_ns, peer_dev, peer_addr) in (ends, ends[::-1]):
        sh("ip", "-n", ns, "neigh", "replace", peer_addr, "lladdr",
           mac_of(peer_ns, peer_dev), "dev", dev, "nud", "permanent")


def delete_network():
    for ns in (NS_ATTACKER, NS_VICTIM):
        sh("ip", "netns", "del", ns, check=False)


class LiveTshark:
    def __init__(self, plugin, home, display_filter):
        args = [str(RUNNER), str(plugin), "-i", "veth-v", "-l", "-a", "duration:60",
                "-Y", display_filter, "-T", "fields", "-E", "separator=/t",
                "-E", "occurrence=f"]
        for f in FIELDS:
            args += ["-e", f]
        env = dict(os.environ, NTT_HOME=home, NTT_TSHARK=TSHARK, NTT_CAPTURE_CAPS="1")
        self.proc = subprocess.Popen(["ip", "netns", "exec", NS_VICTIM] + args, env=env,
                                     text=True, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, start_new_session=True)
        self.lines = queue.Queue()
        self.stderr = []
        self.started = threading.Event()
        self.capturing = False
        threading.Thread(target=self._stdout, daemon=True).start()
        threading.Thread(target=self._stderr, daemon=True).start()

    def _stdout(self):
        for line in self.proc.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n").split("\t")))
        self.lines.put(None)

    def _stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line)
            if "Capture started" in line:   # dumpcap has the device open
                self.capturing = True
                self.started.set()
        self.started.set()

    def first_alert(self, kind, timeout):
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                item = self.lines.get(timeout=left)
            except queue.Empty:
                return None
            if item is None:
                return None
            if kind is None or item[1][0] == kind:
                return item
        return None

    def stop(self):
        for sig in (signal.SIGINT, signal.SIGKILL):
            if self.proc.poll() is not None:
                return
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass


def one_run(plugin, home, kind, sender_args, sender_timeout):
    # kind None: the pipeline baseline, the first SYN printed at all.
    tshark = LiveTshark(plugin, home, "ntt.alert" if kind else FIRST_SYN)
    try:
        tshark.started.wait(30)
        if not tshark.capturing:
            tshark.stop()
            sys.exit("live-latency: the capture did not start:\n" + "".join(tshark.stderr))
        time.sleep(0.5)
        sent = subprocess.run(["ip", "netns", "exec", NS_ATTACKER, sys.executable, "-c",
                               SENDER] + sender_args, capture_output=True, text=True,
                              timeout=sender_timeout)
        if sent.returncode != 0:
            sys.exit(f"live-latency: sender failed: {sent.stderr}")
        stamps = json.loads(sent.stdout)
        alert = tshark.first_alert(kind, 5)
    finally:
        tshark.stop()
    if alert is None:
        return {"detected": False, "probes_total": len(stamps)}
    arrival, row = alert
    fields = dict(zip(FIELDS, row))
    ntt_count = fields["ntt.alert.ports"] if kind == "portscan" else fields["ntt.alert.count"]
    if kind is None:
        ntt_count = None
    return {"detected": True, "seconds": arrival - stamps[0],
            "probes": bisect.bisect_right(stamps, arrival), "probes_total": len(stamps),
            "ntt_count": int(ntt_count) if ntt_count else None,
            "alert": fields["ntt.alert"],
            "src": fields["ntt.alert.src"], "dst": fields["ntt.alert.dst"]}


def summarize(name, runs):
    hits = [r for r in runs if r["detected"]]
    line = {"scenario": name, "runs": len(runs), "detected": len(hits)}
    if hits:
        secs = [r["seconds"] for r in hits]
        line.update(median_s=statistics.median(secs), max_s=max(secs),
                    probes_median=statistics.median(r["probes"] for r in hits),
                    probes_max=max(r["probes"] for r in hits),
                    ntt_count_median=statistics.median(r["ntt_count"] or 0 for r in hits))
        met = len(hits) == len(runs) and max(secs) <= TARGET_S
        line["target"] = (f"max <= {TARGET_S} s {'met' if met else 'MISSED'}"
                          if name != "pipeline" else "- (first SYN printed, no alert)")
    else:
        line["target"] = f"max <= {TARGET_S} s MISSED (never alerted)"
    return line


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("build", nargs="?", default=str(REPO / "build"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--scan-pps", type=float, default=100.0)
    ap.add_argument("--flood-pps", type=float, default=2000.0)
    ap.add_argument("--flood-seconds", type=float, default=3.0)
    ap.add_argument("--no-flood", action="store_true")
    ap.add_argument("--json", help="also write every run to this file")
    opts = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("live-latency: needs root (network namespaces, raw sockets)")
    plugin = Path(os.environ.get("NTT_PLUGIN", Path(opts.build) / "plugin" / "ntt.so"))
    if not plugin.is_file():
        sys.exit(f"live-latency: no plugin at {plugin}: build first")

    scan = ["scan", VICTIM, str(SCAN_PORT0), str(SCAN_PORTS), str(opts.scan_pps)]
    scenarios = [("pipeline", None, scan, 120), ("portscan", "portscan",
                  ["scan", VICTIM, str(SCAN_PORT0), str(SCAN_PORTS), str(opts.scan_pps)], 120)]
    if not opts.no_flood:
        scenarios.append(("synflood", "synflood",
                          ["flood", ATTACKER, VICTIM, str(FLOOD_PORT), str(opts.flood_pps),
                           str(opts.flood_seconds)], opts.flood_seconds + 60))
    work = tempfile.mkdtemp(prefix="ntt-live-latency-")
    os.chmod(work, 0o755)
    results = {}
    try:
        build_network()
        for name, kind, args, limit in scenarios:
            runs = []
            for i in range(opts.runs):
                home = os.path.join(work, f"{name}-{i}")
                os.mkdir(home)
                runs.append(one_run(plugin, home, kind, args, limit))
                r = runs[-1]
                if r["detected"]:
                    print(f"  {name} run {i + 1}: {r['seconds']:.3f} s, {r['probes']}/"
                          f"{r['probes_total']} probes sent, alert: {r['alert']}",
                          file=sys.stderr)
                else:
                    print(f"  {name} run {i + 1}: no alert", file=sys.stderr)
            results[name] = {"summary": summarize(name, runs), "runs": runs}
    finally:
        delete_network()
        subprocess.run(["rm", "-rf", work])

    scan_rate = (f"{SCAN_PORTS} ports at {opts.scan_pps:g}/s" if opts.scan_pps
                 else f"{SCAN_PORTS} ports unpaced")
    rate = {"pipeline": scan_rate, "portscan": scan_rate,
            "synflood": f"{opts.flood_pps:g} SYN/s for {opts.flood_seconds:g} s"}
    print(f"{'scenario':10} {'traffic':24} {'alerted':>7} {'median s':>9} {'max s':>7} "
          f"{'probes med':>10} {'probes max':>10} {'ntt count':>9}  target")
    for name, res in results.items():
        s = res["summary"]
        count = "-" if name == "pipeline" else f"{s.get('ntt_count_median', 0):g}"
        if s["detected"]:
            print(f"{name:10} {rate[name]:24} {s['detected']:>3}/{s['runs']:<3} "
                  f"{s['median_s']:9.3f} {s['max_s']:7.3f} {s['probes_median']:10g} "
                  f"{s['probes_max']:10d} {count:>9}  {s['target']}")
        else:
            print(f"{name:10} {rate[name]:24} {0:>3}/{s['runs']:<3} {'-':>9} {'-':>7} "
                  f"{'-':>10} {'-':>10} {'-':>9}  {s['target']}")
    if opts.json:
        Path(opts.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
