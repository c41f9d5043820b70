#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""How much memory ntt's per-frame replay store takes: bytes per frame.

Runs `tshark -r CAPTURE -q -z ntt,json` with the plugin once per capture
and reads the report's engine section (replay_bytes, replay_frames); also
prints the run's peak RSS (GNU time), so the store is seen next to the
whole process. To compare two builds, run it with NTT_PLUGIN set to each.
(A run without the plugin is no baseline here: with no tap and no filter
tshark does not dissect at all; overhead.sh has the baselines.)

Usage: bench/replay-size.py [--build DIR] [--flood] [CAPTURE ...]
  Without captures: BUILD_DIR/bench/mixed.pcap (generated when missing,
  like overhead.sh does), and with --flood BUILD_DIR/bench/flood.pcap.
  NTT_PLUGIN, NTT_TSHARK, NTT_RUN_USER as for overhead.sh.
Captures must be readable by the user tshark runs as (see
tests/tshark-as-user.sh).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
WRAPPER = os.path.join(REPO, "tests", "tshark-as-user.sh")
TIME = "/usr/bin/time"


def generate(out_dir, name, script):
    path = os.path.join(out_dir, name + ".pcap")
    gen = os.path.join(HERE, script)
    if not (os.path.getsize(path) if os.path.exists(path) else 0) or \
            os.path.getmtime(path) < os.path.getmtime(gen):
        print(f"generating {path} ...", file=sys.stderr)
        subprocess.run([sys.executable, gen, path + ".tmp"], check=True,
                       stderr=subprocess.DEVNULL)
        os.replace(path + ".tmp", path)
    os.chmod(path, 0o644)
    return path


def run(plugin, capture, timed_shim, extra):
    """tshark's stdout and peak RSS in KiB."""
    env = dict(os.environ, NTT_TSHARK=timed_shim)
    p = subprocess.run([WRAPPER, plugin, "-r", capture, "-q"] + extra,
                       env=env, capture_output=True, text=True)
    rss = None
    for line in p.stderr.splitlines():
        if line.startswith("NTT-BENCH-RSS "):
            rss = int(line.split()[1])
    if p.returncode != 0:
        sys.exit(f"replay-size: tshark failed on {capture}:\n{p.stderr}")
    return p.stdout, rss


def main():
    ap = argparse.ArgumentParser(description="bytes per frame of ntt's replay store")
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--flood", action="store_true", help="also the 1,000,000-packet flood")
    ap.add_argument("captures", nargs="*")
    args = ap.parse_args()

    plugin = os.environ.get("NTT_PLUGIN", os.path.join(args.build, "plugin", "ntt.so"))
    if not os.path.exists(plugin):
        sys.exit(f"replay-size: no plugin {plugin} (build first)")
    if not os.access(TIME, os.X_OK):
        sys.exit("replay-size: /usr/bin/time missing: apt-get install time")
    captures = args.captures
    if not captures:
        out_dir = os.path.join(args.build, "bench")
        os.makedirs(out_dir, exist_ok=True)
        os.chmod(out_dir, 0o755)
        captures = [generate(out_dir, "mixed", "gen-mixed.py")]
        if args.flood:
            captures.append(generate(out_dir, "flood", "gen-spoofed-flood.py"))

    tshark = subprocess.run(["sh", "-c", "command -v " + os.environ.get("NTT_TSHARK", "tshark")],
                            capture_output=True, text=True).stdout.strip()
    if not tshark:
        sys.exit("replay-size: tshark not found")
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        shim = os.path.join(tmp, "tshark-timed.sh")
        with open(shim, "w") as f:
            # The wrapper asks tshark its version first; only the real run is timed.
            f.write("#!/bin/sh\n"
                    f"[ \"$1\" = --version ] && exec '{tshark}' \"$@\"\n"
                    f"exec {TIME} -f 'NTT-BENCH-RSS %M' '{tshark}' \"$@\"\n")
        os.chmod(shim, 0o755)

        print(f"{'capture':32} {'frames':>9} {'replay bytes':>13} {'B/frame':>8}"
              f" {'RSS MiB':>8}")
        for capture in captures:
            out, rss = run(plugin, capture, shim, ["-z", "ntt,json"])
            engine = json.loads(out)["engine"]
            frames, size = engine["replay_frames"], engine["replay_bytes"]
            per_frame = size / frames if frames else 0.0
            print(f"{os.path.basename(capture):32} {frames:9d} {size:13d} {per_frame:8.2f}"
                  f" {rss / 1024:8.1f}")


if __name__ == "__main__":
    main()
