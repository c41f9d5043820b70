# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/native-report.py, the half of bench/native-profile.sh that turns
perf's samples into the CPU-time figures the docs quote, and
bench/l2-report.py, which splits bench/instructions.sh's second-level
cache misses by object and source line: on sample and callgrind files made
here, with counts chosen so that every figure is known beforehand, and an
address inside the plugin just built, whose function nm names."""
import json
import shutil
import subprocess
import sys

import pytest

from ntt_harness import ROOT, plugin_path

REPORT = ROOT / "bench" / "native-report.py"
L2_REPORT = ROOT / "bench" / "l2-report.py"
# Where the sample lines say ntt.so's code was mapped, and from which
# offset of the file: what perf's PERF_RECORD_MMAP2 lines give.
BASE, LENGTH, PGOFF = 0x7F0000100000, 0x80000, 0x3000
NTT = "/tmp/ntt-home.X/.local/lib/wireshark/plugins/4.0/epan/ntt.so"
WIRESHARK = "/usr/lib/x86_64-linux-gnu/libwireshark.so.16"


def function_offset(plugin, name):
    """The file offset of a function of the plugin (its code sits at its
    virtual address in a shared object), from nm."""
    if not shutil.which("nm") or not shutil.which("addr2line"):
        pytest.skip("binutils (nm, addr2line) not installed")
    out = subprocess.run(["nm", "--defined-only", plugin], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] == name:
            return int(fields[0], 16)
    pytest.skip(f"{name} not among the plugin's symbols (stripped?)")


def write_run(path, wireshark, ntt_ips):
    lines = ["tshark 1 1.0: PERF_RECORD_MMAP2 1/1: [0x%x(0x%x) @ 0x%x fe:00 1 2]: r-xp %s"
             % (BASE, LENGTH, PGOFF, NTT)]
    lines += ["    7f1234567890 (%s)" % WIRESHARK] * wireshark
    lines += ["    %x (%s)" % (ip, NTT) for ip in ntt_ips]
    path.write_text("\n".join(lines) + "\n")


def test_native_report_ratios_shares_and_functions(tmp_path):
    plugin = plugin_path()
    offset = function_offset(plugin, "dissect_ntt")
    ip = BASE + offset - PGOFF + 4          # inside dissect_ntt, as mapped
    # A: 200 samples in Wireshark; B: 150 + 50 in ntt (ratio 1.0, share
    # 0.25, rest/A 0.75); C: 240 + 60 in ntt (ratio 1.5, share 0.2,
    # rest/A 1.2). Two runs each, the second the same as the first but
    # for C's, which is larger: the medians are the middle of two.
    for run in (1, 2):
        write_run(tmp_path / f"A-{run}.txt", 200, [])
        write_run(tmp_path / f"B-{run}.txt", 150, [ip] * 50)
    write_run(tmp_path / "C-1.txt", 240, [ip] * 60)
    write_run(tmp_path / "C-2.txt", 480, [ip] * 120)
    out = tmp_path / "native.json"
    proc = subprocess.run([sys.executable, str(REPORT), "--dir", str(tmp_path), "--runs", "2",
                           "--hz", "999", "--plugin", plugin, "--capture", "x.pcap",
                           "--json", str(out)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    a, b, c = (data["configurations"][k] for k in "ABC")
    assert a["samples"] == 200 and a["ntt_share"] == 0
    assert b["ratio"] == pytest.approx(1.0)
    assert b["ntt_share"] == pytest.approx(0.25)
    assert b["rest_ratio"] == pytest.approx(0.75)
    # C: medians of 300 and 600 samples (450), of 240 and 480 outside ntt.
    assert c["ratio"] == pytest.approx(450 / 200)
    assert c["ntt_share"] == pytest.approx(0.2)
    assert c["rest_ratio"] == pytest.approx(360 / 200)
    # Every ntt.so sample of C is placed in dissect_ntt, however the
    # function's code was inlined.
    assert data["c_functions"]["outermost"] == [{"function": "dissect_ntt", "samples": 180}]
    assert "dissect_ntt" in proc.stdout


def test_native_report_refuses_a_run_without_samples(tmp_path):
    for label in "ABC":
        write_run(tmp_path / f"{label}-1.txt", 10, [])
    (tmp_path / "C-1.txt").write_text("")
    proc = subprocess.run([sys.executable, str(REPORT), "--dir", str(tmp_path), "--runs", "1",
                           "--hz", "999", "--plugin", plugin_path(), "--capture", "x.pcap"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "no samples in run C-1" in proc.stderr


CALLGRIND_HEAD = """version: 1
creator: callgrind-3.19.0
positions: {positions}
events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw
"""


def test_l2_report_splits_misses_by_object_and_line(tmp_path):
    plugin = plugin_path()
    at = function_offset(plugin, "dissect_ntt") + 4
    # A: libwireshark 100 code, 300 read, 30 written misses; the second
    # line is relative (+2) and leaves its last event (a zero) out.
    (tmp_path / "A.out").write_text(CALLGRIND_HEAD.format(positions="line") + f"""
ob=(1) {WIRESHARK}
fl=(1) packet.c
fn=(1) dissect
10 1000 0 0 0 0 0 100 200 30
+2 500 0 0 0 0 0 0 100
""")
    # C: libwireshark 300, 500, 30; a call into ntt.so, whose inclusive
    # cost (the line after calls=) is not the caller's own and must not
    # count; ntt.so's own code at two instructions inside dissect_ntt,
    # the object named by id the second time, the second instruction 16
    # bytes on (+16): 50 code, 700 + 300 read, 100 written misses.
    (tmp_path / "C.out").write_text(CALLGRIND_HEAD.format(positions="instr line") + f"""
ob=(1) {WIRESHARK}
fl=(1) packet.c
fn=(1) dissect
0x1000 10 1000 0 0 0 0 0 300 400 30
+4 +2 500 0 0 0 0 0 0 100
cob=(2) {NTT}
cfi=(2) packet-ntt.c
cfn=(2) dissect_ntt
calls=1000 {hex(at)} 287
* * 9999 0 0 0 0 0 9999 9999 9999
ob=(2)
fl=(2)
fn=(2)
{hex(at)} 290 2000 0 0 0 0 0 50 700 100
+16 * 100 0 0 0 0 0 0 300
""")
    out = tmp_path / "l2.json"
    proc = subprocess.run([sys.executable, str(L2_REPORT), "--a", str(tmp_path / "A.out"),
                           "--c", str(tmp_path / "C.out"), "--packets", "100",
                           "--plugin", plugin, "--json", str(out)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(out.read_text())
    assert data["A"] == 430 and data["C"] == 300 + 500 + 30 + 50 + 1000 + 100
    rows = {r["object"]: r for r in data["objects"]}
    assert rows["libwireshark.so.16"]["C"] == [300, 500, 30]
    assert rows["libwireshark.so.16"]["extra_a_packet"] == pytest.approx([2.0, 2.0, 0.0])
    assert rows["ntt.so"]["A"] == [0, 0, 0]
    assert rows["ntt.so"]["extra_a_packet"] == pytest.approx([0.5, 10.0, 1.0])
    # ntt.so's data misses, all in dissect_ntt's code (its first lines).
    assert sum(line["misses"] for line in data["ntt_lines"]) == 1100
    for line in data["ntt_lines"]:
        assert line["where"].startswith("dissect_ntt (packet-ntt.c:"), line
    assert "+15.5" in proc.stdout      # (1980 - 430) / 100 packets


def test_l2_report_refuses_a_run_without_the_cache_simulation(tmp_path):
    plain = "version: 1\npositions: line\nevents: Ir\nob=(1) x.so\nfn=(1) f\n10 100\n"
    (tmp_path / "A.out").write_text(plain)
    (tmp_path / "C.out").write_text(plain)
    proc = subprocess.run([sys.executable, str(L2_REPORT), "--a", str(tmp_path / "A.out"),
                           "--c", str(tmp_path / "C.out"), "--packets", "100"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "no cache simulation" in proc.stderr
