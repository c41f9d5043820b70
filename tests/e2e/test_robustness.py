# SPDX-License-Identifier: GPL-2.0-or-later
"""Bad input never crashes tshark with ntt loaded and gets a clear message;
preferences change what they say they change."""
import json
import os
import random
import signal

import pytest

import pcap_craft as pc
from test_reports import pick_capture


def ran_without_crash(proc):
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}"
    assert proc.returncode not in (128 + signal.SIGSEGV, 128 + signal.SIGABRT)
    assert "Segmentation" not in proc.stderr and "Aborted" not in proc.stderr


def report_of(proc):
    return json.loads(proc.stdout[proc.stdout.index("{"):])


def json_run(tshark, path, *extra):
    return tshark.run(["-r", tshark.readable(path), "-q", "-z", "ntt,json"] + list(extra),
                      check=False)


def pcap_copy(tshark, tmp_path):
    """A classic-pcap copy of a capture with TCP and UDP."""
    src = pick_capture(tshark)
    dest = tmp_path / "base.pcap"
    tshark.run(["-r", str(src), "-F", "pcap", "-w", str(dest)], plugin=False)
    return dest


def test_truncated_capture(tshark, tmp_path):
    base = pcap_copy(tshark, tmp_path)
    blob, recs = pc.records(base)
    off, length = recs[len(recs) // 2]
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(blob[:off + length // 2])
    proc = json_run(tshark, cut)
    ran_without_crash(proc)
    assert "cut short" in proc.stderr
    # Everything before the cut is still counted.
    assert report_of(proc)["summary"]["packets"] == len(recs) // 2


def test_corrupted_packet_bytes(tshark, tmp_path):
    base = pcap_copy(tshark, tmp_path)
    blob, recs = pc.records(base)
    data = bytearray(blob)
    rng = random.Random(7)
    for off, length in recs:
        # Keep Ethernet so most packets still reach IP, then scramble.
        for _ in range(max(1, length // 8)):
            data[off + rng.randrange(14, max(15, length))] = rng.randrange(256)
    bad = tmp_path / "scrambled.pcap"
    bad.write_bytes(bytes(data))
    proc = json_run(tshark, bad)
    ran_without_crash(proc)
    assert proc.returncode == 0
    assert report_of(proc)["summary"]["packets"] == len(recs)


def test_bogus_lengths_fragments_and_non_ip(tshark, tmp_path):
    frag1 = pc.ether(pc.ipv4("192.0.2.1", "192.0.2.2", 17,
                             pc.udp(5000, 53, b"x" * 40)[:24], ident=9, flags_frag=0x2000))
    frag2 = pc.ether(pc.ipv4("192.0.2.1", "192.0.2.2", 17, b"y" * 24,
                             ident=9, flags_frag=3))
    lying = pc.ether(pc.ipv4("192.0.2.1", "192.0.2.2", 6, pc.tcp(1, 2, 0x02)))
    lying = lying[:14] + bytes([0x45, 0, 0xff, 0xff]) + lying[18:]   # ip.len 65535
    short_tcp = pc.ether(pc.ipv4("192.0.2.1", "192.0.2.2", 6, pc.tcp(1, 2, 0x02)[:7]))
    packets = [pc.arp_request("192.0.2.1", "192.0.2.2"), frag1, frag2, lying,
               short_tcp, (pc.ether(b"\x45"), 1500), b"\x00" * 10]
    path = tmp_path / "odd.pcap"
    pc.write_pcap(path, packets)
    proc = json_run(tshark, path)
    ran_without_crash(proc)
    report = report_of(proc)
    assert report["summary"]["packets"] == len(packets)
    rows = tshark.fields(path, ("frame.number", "ip.src", "arp", "ntt.flow.id"))
    arp_rows = [r for r in rows if r[2]]
    assert arp_rows and all(r[3] == "" for r in arp_rows)
    # Every packet that reached an IP header got a flow; nothing else did.
    assert [r[0] for r in rows if r[3]] == [r[0] for r in rows if r[1]]


def test_not_a_capture_file(tshark, tmp_path):
    junk = tmp_path / "junk.pcap"
    junk.write_bytes(bytes(random.Random(1).randrange(256) for _ in range(4096)))
    proc = json_run(tshark, junk)
    ran_without_crash(proc)
    assert proc.returncode != 0
    assert "format" in proc.stderr or "capture file" in proc.stderr


def test_malformed_preference_value(tshark):
    capture = pick_capture(tshark)
    proc = json_run(tshark, capture, "-o", "ntt.flow_timeout:soon")
    ran_without_crash(proc)
    assert proc.returncode != 0
    assert "ntt.flow_timeout:soon" in proc.stderr


@pytest.mark.parametrize("name", ["flow_timeout", "max_flows", "max_talkers", "top_n"])
def test_zero_preference_is_refused_and_the_default_kept(tshark, name):
    capture = pick_capture(tshark)
    plain = report_of(json_run(tshark, capture))
    proc = json_run(tshark, capture, "-o", f"ntt.{name}:0")
    ran_without_crash(proc)
    assert f"ntt.{name} must be at least 1" in proc.stderr
    assert report_of(proc)["flows"] == plain["flows"]


def test_small_flow_table_evicts_and_says_so_once(tshark):
    capture = pick_capture(tshark)
    plain = report_of(json_run(tshark, capture))
    proc = json_run(tshark, capture, "-o", "ntt.max_flows:2", "-z", "expert,note")
    ran_without_crash(proc)
    report = report_of(proc)
    assert report["engine"]["evicted_flows"] > 0
    assert report["engine"]["peak_live_flows"] == 2
    # Flows pushed out and seen again come back as new flows.
    assert report["engine"]["flows"] >= plain["engine"]["flows"]
    assert proc.stdout.count("ntt flow table full (2 flows)") == 1
    assert report["summary"]["packets"] == plain["summary"]["packets"]


def test_flow_timeout_splits_idle_flows(tshark, tmp_path):
    # One UDP 5-tuple: packets at 0 s, 1 s and 22 s.
    pkt = pc.ether(pc.ipv4("192.0.2.1", "192.0.2.2", 17, pc.udp(4000, 53, b"q" * 12)))
    gap = tmp_path / "gap.pcap"
    pc.write_pcap(gap, [pkt] * 3, times=[0.0, 1.0, 22.0])
    default = [r[0] for r in tshark.fields(gap, ("ntt.flow.id",))]
    short = [r[0] for r in tshark.fields(gap, ("ntt.flow.id",),
                                         extra=("-o", "ntt.flow_timeout:10"))]
    assert default == ["0", "0", "0"]
    assert short == ["0", "0", "1"]


def test_top_n_preference(tshark):
    capture = pick_capture(tshark)
    report = report_of(json_run(tshark, capture, "-o", "ntt.top_n:3"))
    assert len(report["flows"]["top"]) == min(3, report["flows"]["count"])
    assert len(report["talkers"]) == min(3, report["talkers_total"])
