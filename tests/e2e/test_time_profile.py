# SPDX-License-Identifier: GPL-2.0-or-later
"""The time profile, the time of day and surges end to end: the JSON
report's burstiness figures, timeline and hourly histogram equal the ones
worked out here from plain tshark's frame.time_epoch and frame.len (exact
nanoseconds, Python's own zoneinfo for local hours); a flood is far
burstier than ordinary traffic; no ordinary capture raises a surge with
working hours set, and a crafted one does, labelled in the zone given."""
import collections
import datetime
import decimal
import ipaddress
import json
import math
import zoneinfo

import pytest

import pcap_craft as pc
from conftest import capture_params
from ntt_harness import CAPTURES
from reference_scoring import all_labels

ALL = capture_params()
FILES = json.loads((CAPTURES / "ground-truth.json").read_text())["files"]
BENIGN = sorted(n for n in FILES if FILES[n]["benign"])
REFERENCE_ORDINARY = [p for p, label in all_labels() if not label[0]]
WORK = ("-o", "ntt.work_hours:08:00-18:00")
NS = 10 ** 9
# The JSON report writes real numbers with 6 decimals.
JSON_DIGITS = 5e-7 + 1e-12


def frames(tshark, capture):
    """(timestamp in ns, frame length) of every frame, from plain tshark."""
    rows = tshark.fields(capture, ("frame.time_epoch", "frame.len"), plugin=False)
    return [(int(decimal.Decimal(t) * NS), int(length)) for t, length in rows]


def expected_burstiness(rows, bin_ns=NS):
    """The figures as docs/analytics.md defines them: per-bin counts from the
    first packet to the last (a timestamp going backwards counts in the
    current bin), population variance; gaps in frame order, negative ones 0."""
    t0 = rows[0][0]
    counts = collections.Counter()
    current = 0
    for t, _ in rows:
        current = max(current, (t - t0) // bin_ns)
        counts[current] += 1
    series = [counts[b] for b in range(current + 1)]
    n = len(series)
    mean = sum(series) / n
    var = sum((c - mean) ** 2 for c in series) / n
    gaps = [max(b[0] - a[0], 0) / NS for a, b in zip(rows, rows[1:])]
    out = {"bins": n, "mean": mean, "peak": max(series),
           "cv": math.sqrt(var) / mean, "fano": var / mean, "peak_to_mean": max(series) / mean}
    if len(gaps) >= 2:
        gm = sum(gaps) / len(gaps)
        gs = math.sqrt(sum((g - gm) ** 2 for g in gaps) / len(gaps))
        out["b"] = (gs - gm) / (gs + gm) if gs + gm > 0 else None
        out["iat_mean"], out["iat_stdev"] = gm, gs
    else:
        out["b"] = None
    return out


@pytest.mark.parametrize("capture", ALL)
def test_burstiness_matches_plain_tshark(tshark, capture):
    rows = frames(tshark, capture)
    want = expected_burstiness(rows)
    report = tshark.report_json(capture)
    got = report["time_profile"]
    assert got["bin_seconds"] == 1
    assert got["bins"] == want["bins"]
    assert got["peak_packets_per_bin"] == want["peak"]
    # The existing peak rate is the same count.
    assert report["summary"]["peak_pps"] == want["peak"]
    for key, ours in (("mean_packets_per_bin", "mean"), ("cv", "cv"), ("fano", "fano"),
                      ("peak_to_mean", "peak_to_mean")):
        assert got[key] == pytest.approx(want[ours], rel=1e-9, abs=JSON_DIGITS), key
    iat = got["inter_arrival"]
    assert iat["count"] == len(rows) - 1
    if want["b"] is None:
        assert iat["burstiness"] is None
    else:
        assert iat["mean"] == pytest.approx(want["iat_mean"], rel=1e-9, abs=JSON_DIGITS)
        assert iat["stdev"] == pytest.approx(want["iat_stdev"], rel=1e-9, abs=JSON_DIGITS)
        assert iat["burstiness"] == pytest.approx(want["b"], rel=1e-9, abs=JSON_DIGITS)


@pytest.mark.parametrize("capture", ALL)
def test_timeline_keeps_every_packet_in_its_bin(tshark, capture):
    rows = frames(tshark, capture)
    tl = tshark.report_json(capture)["time_profile"]["timeline"]
    t0 = rows[0][0]
    width = round(tl["bin_seconds"] * NS)
    assert len(tl["packets"]) <= tl["max_bins"]
    pkts, byts = collections.Counter(), collections.Counter()
    for t, length in rows:
        b = max(t - t0, 0) // width
        pkts[b] += 1
        byts[b] += length
    assert tl["packets"] == [pkts[b] for b in range(len(tl["packets"]))]
    assert tl["bytes"] == [byts[b] for b in range(len(tl["bytes"]))]
    assert sum(tl["packets"]) == len(rows)


@pytest.mark.parametrize("two_pass", [False, True], ids=["pass1", "pass2"])
def test_new_flows_and_alert_packets_per_bin(tshark, two_pass):
    """Alert packets: those marked on a single pass (from the detection on),
    whichever pass the report is made in."""
    capture = CAPTURES / "hping3-syn-flood.pcap"
    tl = tshark.report_json(capture, two_pass=two_pass)["time_profile"]["timeline"]
    rows = tshark.fields(capture, ("frame.time_epoch", "ntt.flow.new", "ntt.alert"))
    t0 = int(decimal.Decimal(rows[0][0]) * NS)
    new, alert = collections.Counter(), collections.Counter()
    for t, is_new, has_alert in rows:
        b = max(int(decimal.Decimal(t) * NS) - t0, 0) // NS
        new[b] += bool(is_new)
        alert[b] += bool(has_alert)
    assert tl["new_flows"] == [new[b] for b in range(len(tl["new_flows"]))]
    assert tl["alert_packets"] == [alert[b] for b in range(len(tl["alert_packets"]))]
    assert sum(tl["alert_packets"]) > 0


def test_a_flood_is_far_burstier_than_ordinary_traffic(tshark):
    fano = lambda name: tshark.report_json(CAPTURES / name)["time_profile"]["fano"]
    ordinary = max(fano(n) for n in ("one-way-browsing.pcap", "ssh-ftp-ordinary.pcap",
                                     "client-fallback.pcap"))
    assert fano("hping3-udp-flood.pcap") > 10 * ordinary
    assert fano("hping3-syn-flood-spoofed.pcap") > 10 * ordinary


def test_bin_seconds_is_a_preference(tshark):
    capture = CAPTURES / "ssh-ftp-ordinary.pcap"
    rows = frames(tshark, capture)
    report = tshark.report_json(capture, extra=("-o", "ntt.bin_seconds:5"))
    got = report["time_profile"]
    want = expected_burstiness(rows, 5 * NS)
    assert got["bin_seconds"] == 5
    assert got["bins"] == want["bins"]
    assert got["fano"] == pytest.approx(want["fano"], rel=1e-9, abs=JSON_DIGITS)
    # The existing peak rate stays a 1-second figure.
    assert report["summary"]["peak_pps"] == expected_burstiness(rows)["peak"]


def day_capture(path, start):
    """A packet every 10 minutes for 48 hours, from start (UTC), between
    two hosts, alternating direction; sizes grow so bytes tell bins apart."""
    a, b = "192.0.2.10", "198.51.100.7"
    packets, times = [], []
    for i in range(48 * 6):
        src, dst = (a, b) if i % 2 == 0 else (b, a)
        data = bytes(i % 200)
        packets.append(pc.ether(pc.ipv4(src, dst, 17, pc.udp(40000, 9000, data))))
        times.append(i * 600.0)
    pc.write_pcap(path, packets, start=start, times=times)
    return path


# 2024-03-30 00:00 UTC: the capture spans Europe/Berlin's spring change.
DST_START = 1711756800.0


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Los_Angeles"])
def test_hours_and_off_hours_in_the_zone(tshark, tmp_path, zone):
    path = day_capture(tmp_path / "day.pcap", DST_START)
    report = tshark.report_json(path, extra=("-o", f"ntt.timezone:{zone}") + WORK)
    tod = report["time_of_day"]
    assert tod["time_zone"] == zone
    tz = zoneinfo.ZoneInfo(zone)
    hours_p, hours_b = [0] * 24, [0] * 24
    off = collections.Counter()
    total = collections.Counter()
    for (t, length), (src, dst) in zip(frames(tshark, path),
                                       tshark.fields(path, ("ip.src", "ip.dst"), plugin=False)):
        local = datetime.datetime.fromtimestamp(t // NS, tz)
        hours_p[local.hour] += 1
        hours_b[local.hour] += length
        working = local.weekday() < 5 and 8 <= local.hour < 18
        off["packets"] += not working
        for host in (src, dst):
            total[host] += length
            if not working:
                off[host] += length
                off["all"] += length / 2
    assert tod["hours"]["packets"] == hours_p
    assert tod["hours"]["bytes"] == hours_b
    assert tod["busiest_hours"][0] == max(range(24), key=lambda h: (hours_p[h], -h))
    outside = tod["outside_work_hours"]
    assert outside["bytes"] == off["all"]
    hosts = {h["address"]: h for h in outside["hosts"]}
    for host in ("192.0.2.10", "198.51.100.7"):
        assert hosts[host]["bytes"] == off[host]
        assert hosts[host]["byte_share"] == pytest.approx(off[host] / total[host],
                                                          abs=JSON_DIGITS)
    # 2024-03-30/31 is a weekend in Europe: everything is outside working
    # hours; in Los Angeles the capture begins on Friday at 17:00.
    working = sum(hours_p) - off["packets"]
    assert outside["packets"] == off["packets"]
    assert (working > 0) == (zone == "America/Los_Angeles")


def test_without_work_hours_there_is_no_off_hours_share(tshark):
    tod = tshark.report_json(CAPTURES / "http-dns.pcap")["time_of_day"]
    assert tod["time_zone"] == "UTC"
    assert tod["work_hours"] is None
    assert "outside_work_hours" not in tod


def test_bad_time_preferences_are_said_and_fall_back(tshark):
    path = tshark.readable(CAPTURES / "http-dns.pcap")
    run = tshark.run(["-r", path, "-q", "-o", "ntt.timezone:Nowhere/Land",
                      "-o", "ntt.work_hours:8-18", "-z", "ntt,json"])
    assert "ntt.timezone" in run.stderr and "Nowhere/Land" in run.stderr
    assert "ntt.work_hours" in run.stderr and "'8-18'" in run.stderr
    report = json.loads(run.stdout[run.stdout.index("{"):])
    assert report["time_of_day"]["time_zone"] == "UTC"
    assert report["time_of_day"]["work_hours"] is None
    assert report["summary"]["packets"] > 0


@pytest.mark.parametrize("name", BENIGN)
def test_no_ordinary_lab_capture_raises_a_surge(tshark, name):
    assert tshark.report_json(CAPTURES / name, extra=WORK)["alerts"] == []


@pytest.mark.skipif(not REFERENCE_ORDINARY, reason="../shared/reference absent")
@pytest.mark.parametrize("path", REFERENCE_ORDINARY, ids=[p.name for p in REFERENCE_ORDINARY])
def test_no_ordinary_reference_capture_raises_a_surge(tshark, path):
    assert tshark.report_json(path, extra=WORK)["alerts"] == []


def surge_capture(path, start):
    """Two datagrams each way (a conversation: both hosts are watched from
    it), then from 1 s on 120 s of 1 datagram/s from one host, then 45 s
    of 100/s: ten times its usual rate and over the 50/s floor for longer
    than surge_sustain."""
    a, b = "192.0.2.10", "198.51.100.7"
    there = pc.ether(pc.ipv4(a, b, 17, pc.udp(40000, 9000, b"x" * 64)))
    back = pc.ether(pc.ipv4(b, a, 17, pc.udp(9000, 40000, b"y" * 64)))
    times = [0.0, 0.1, 0.2, 0.3] + [1.0 + i for i in range(120)] + \
        [121 + i / 100 for i in range(4500)]
    packets = [there, back, there, back] + [there] * (len(times) - 4)
    pc.write_pcap(path, packets, start=start, times=times)
    return path


# 2023-11-14 10:13:20 UTC, a Tuesday: working hours in UTC, 02:13 in
# Los Angeles.
TUESDAY_MORNING = 1699956800.0


def test_a_surge_is_raised_and_labelled_in_the_zone(tshark, tmp_path):
    path = surge_capture(tmp_path / "surge.pcap", TUESDAY_MORNING)
    assert tshark.report_json(path)["alerts"] == []        # no working hours: off
    utc = tshark.report_json(path, extra=WORK)["alerts"]
    la = tshark.report_json(path, extra=WORK + ("-o", "ntt.timezone:America/Los_Angeles"))
    la = la["alerts"]
    for alerts, when in ((utc, "working hours"), (la, "off-hours")):
        assert sorted(a["type"] for a in alerts) == ["surge", "surge"]
        sending = [a for a in alerts if a["direction"] == "sending"]
        receiving = [a for a in alerts if a["direction"] == "receiving"]
        assert len(sending) == len(receiving) == 1
        assert sending[0]["src"] == "192.0.2.10" and sending[0]["dst"] is None
        assert receiving[0]["dst"] == "198.51.100.7" and receiving[0]["src"] is None
        for a in alerts:
            assert a["when"] == when
            assert a["usual_pps"] == pytest.approx(1.0)
            # 100/s over whole seconds: 1000 packets in the 10-s window.
            assert a["peak_pps"] == pytest.approx(100.0, abs=JSON_DIGITS)
            # The run begins once the 10-s window holds 500 packets (4.9 s
            # into the rise), is raised surge_sustain (30 s) later, and its
            # packets are those of the run to the end of the capture.
            assert a["start"] - TUESDAY_MORNING == pytest.approx(125.9, abs=0.1)
            assert a["detect"] - a["start"] == pytest.approx(30.0, abs=0.011)
            assert a["end"] - TUESDAY_MORNING == pytest.approx(165.99, abs=1e-6)
            assert a["packets"] == 1 + round((a["end"] - a["start"]) * 100)
