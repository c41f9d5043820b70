# SPDX-License-Identifier: GPL-2.0-or-later
"""The entropy figures of -z ntt,json and -z ntt,stats and the
ntt.alert.entropy_* fields, against a reference computation in Python
from plain tshark's addresses and ports (docs/analytics.md, "Entropy"),
and against the ground truth of the attack captures: a spoofed flood's
sources toward its victim are near 1, a single-source flood's near 0, a
scan's ports and a sweep's hosts near 1, ordinary traffic's capture-wide
sources are not."""
import collections
import ipaddress
import json
import math
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CAPTURES = ROOT / "captures"
TRUTH = json.loads((CAPTURES / "ground-truth.json").read_text())["files"]
ORDINARY = sorted(name for name, f in TRUTH.items() if not f.get("attacks"))
NS = 1_000_000_000

# Captures of plain IP traffic (no ICMP errors quoting a header, no
# tunnels), where the reference below reads the same addresses and ports
# as ntt: the ordinary ones, a flood, a scan, a sweep.
REFERENCE = ["http-dns.pcap", "ssh-ftp-ordinary.pcap", "busy-client.pcap", "dns-server.pcap",
             "hping3-syn-flood-spoofed.pcap", "nmap-syn-scan.pcap", "nmap-ping-sweep.pcap",
             "nmap6-syn-scan.pcap"]
FIELDS = ("frame.time_epoch", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.dstport",
          "udp.dstport", "frame.protocols")


def epoch_ns(text):
    whole, _, frac = text.partition(".")
    return int(whole) * NS + int((frac + "000000000")[:9])


def packets(tshark, capture):
    """(ns, (version, src), (version, dst), dport or None) of each IP packet."""
    out = []
    for t, s4, d4, s6, d6, tport, uport, protocols in tshark.fields(
            CAPTURES / capture, FIELDS, plugin=False):
        if s4:
            src, dst = (4, ipaddress.ip_address(s4).packed), (4, ipaddress.ip_address(d4).packed)
        elif s6:
            src, dst = (6, ipaddress.ip_address(s6).packed), (6, ipaddress.ip_address(d6).packed)
        else:
            continue
        port = None
        if "icmp" not in protocols.split(":"):
            port = int(tport) if tport else int(uport) if uport else None
        out.append((epoch_ns(t), src, dst, port))
    return out


def entropy(values):
    """(packets, distinct, bits, normalised) of a list of values."""
    counts = collections.Counter(values)
    n = len(values)
    if n < 2:
        return n, len(counts), 0.0, 0.0
    bits = -sum(c / n * math.log2(c / n) for c in counts.values())
    return n, len(counts), bits, bits / math.log2(n)


def reference_windows(pkts, window_ns):
    """The windows ntt reads, from scratch: tenths of the window counted
    from the first packet (a packet earlier than the latest tenth counts
    in it); a window ends at every whole window from the first packet, and
    the one the last packet is in is open. [(start, end, packets)]"""
    tenth_ns = window_ns // 10
    origin, current, by_tenth = pkts[0][0], 0, collections.defaultdict(list)
    for p in pkts:
        current = max(current, (p[0] - origin) // tenth_ns if p[0] >= origin else 0)
        by_tenth[current].append(p)
    windows = []
    for end_tenth in range(10, current + 1, 10):
        inside = [p for t in range(end_tenth - 10, end_tenth) for p in by_tenth.get(t, ())]
        if inside:
            windows.append((origin + (end_tenth - 10) * tenth_ns, origin + end_tenth * tenth_ns,
                            inside))
    first = max(0, current - 9)
    windows.append((origin + first * tenth_ns, max(p[0] for p in pkts),
                    [p for t in range(first, current + 1) for p in by_tenth.get(t, ())]))
    return windows


def figures(inside):
    return {
        "src": entropy([p[1] for p in inside]),
        "dst": entropy([p[2] for p in inside]),
        "dport": entropy([p[3] for p in inside if p[3] is not None]),
    }


def top_destinations(inside):
    received = collections.Counter(p[2] for p in inside)
    ranked = sorted((h for h, n in received.items() if n >= 2),
                    key=lambda h: (-received[h], h[0], h[1]))
    return [(str(ipaddress.ip_address(h[1])), entropy([p[1] for p in inside if p[2] == h]),
             entropy([p[3] for p in inside if p[2] == h and p[3] is not None]))
            for h in ranked[:3]]


def assert_figure(got, want):
    n, distinct, bits, normalized = want
    assert (got["packets"], got["distinct"]) == (n, distinct)
    assert got["bits"] == pytest.approx(bits, abs=2e-6)
    assert got["normalized"] == pytest.approx(normalized, abs=2e-6)


@pytest.mark.parametrize("window", [10, 1])
@pytest.mark.parametrize("capture", REFERENCE)
def test_timeline_matches_a_reference_computation(tshark, capture, window):
    report = tshark.report_json(CAPTURES / capture, extra=("-o", f"ntt.entropy_window:{window}"))
    e = report["entropy"]
    want = reference_windows(packets(tshark, capture), window * NS)
    assert e["window"] == window
    assert e["uncounted_packets"] == 0
    assert e["timeline_stride"] == 1
    assert e["windows"] == len(want) == len(e["timeline"])
    for got, (start, end, inside) in zip(e["timeline"], want):
        assert got["start"] == pytest.approx(start / NS, abs=1e-6)
        assert got["end"] == pytest.approx(end / NS, abs=1e-6)
        for key, fig in figures(inside).items():
            assert_figure(got[key], fig)
        tops = top_destinations(inside)
        assert [h["address"] for h in got["top_dst"]] == [t[0] for t in tops]
        for h, (_addr, src, dport) in zip(got["top_dst"], tops):
            assert_figure(h["src"], src)
            assert_figure(h["dport"], dport)
    assert [w["open"] for w in e["timeline"]] == [False] * (len(want) - 1) + [True]


@pytest.mark.parametrize("capture", ["hping3-syn-flood-spoofed.pcap", "ssh-ftp-ordinary.pcap"])
def test_moves_and_ranges_follow_the_timeline(tshark, capture):
    e = tshark.report_json(CAPTURES / capture, extra=("-o", "ntt.entropy_window:1"))["entropy"]
    timeline = e["timeline"]
    changes = []
    for before, after in zip(timeline, timeline[1:]):
        for key in ("src", "dst", "dport"):
            if before[key]["packets"] and after[key]["packets"]:
                changes.append(abs(after[key]["bits"] - before[key]["bits"]))
    changes.sort(reverse=True)
    got = [abs(m["change_bits"]) for m in e["moves"]]
    assert got == pytest.approx(changes[:5], abs=2e-6)
    for key in ("src", "dst", "dport"):
        values = [w[key]["normalized"] for w in timeline if w[key]["packets"] >= 2]
        if not values:
            continue
        assert e["range"][key]["lowest"] == pytest.approx(min(values), abs=2e-6)
        assert e["range"][key]["highest"] == pytest.approx(max(values), abs=2e-6)
        assert e["range"][key]["mean"] == pytest.approx(sum(values) / len(values), abs=2e-6)


def victim_host(entropy_report, address):
    return next(h for h in entropy_report["hosts"] if h["address"] == address)


def test_a_spoofed_floods_source_entropy_is_near_one(tshark):
    capture = "hping3-syn-flood-spoofed.pcap"
    attack = TRUTH[capture]["attacks"][0]
    report = tshark.report_json(CAPTURES / capture)
    alert = next(a for a in report["alerts"] if a["dst"] == attack["dst"])
    assert alert["entropy_src"] >= 0.95
    # The victim's busiest window: thousands of SYNs, nearly each from a
    # source of its own (ground truth: distinct sources = SYNs).
    host = victim_host(report["entropy"], attack["dst"])
    assert attack["distinct_sources"] == attack["syn"]
    assert host["packets"] >= attack["syn"] * 0.9
    assert host["src"]["normalized"] >= 0.95
    assert host["dport"]["normalized"] <= 0.05       # one port, 80


@pytest.mark.parametrize("capture", ["hping3-syn-flood.pcap", "hping3-udp-flood.pcap",
                                     "hping3-icmp-flood.pcap"])
def test_a_single_source_floods_source_entropy_is_near_zero(tshark, capture):
    attack = TRUTH[capture]["attacks"][0]
    report = tshark.report_json(CAPTURES / capture)
    alert = next(a for a in report["alerts"] if a["dst"] == attack["dst"])
    assert 0 <= alert["entropy_src"] <= 0.1


@pytest.mark.parametrize("capture,key", [("nmap-syn-scan.pcap", "entropy_dport"),
                                         ("nmap6-syn-scan.pcap", "entropy_dport"),
                                         ("nmap-udp-scan.pcap", "entropy_dport"),
                                         ("nmap-ping-sweep.pcap", "entropy_dst"),
                                         ("nmap-syn-sweep.pcap", "entropy_dst")])
def test_a_scans_ports_and_a_sweeps_hosts_are_near_one(tshark, capture, key):
    attack = TRUTH[capture]["attacks"][0]
    report = tshark.report_json(CAPTURES / capture)
    alerts = [a for a in report["alerts"] if a["type"] == attack["type"]]
    assert alerts and all(a[key] >= 0.9 for a in alerts)


def test_an_arp_sweep_is_not_measured(tshark):
    report = tshark.report_json(CAPTURES / "nmap-arp-sweep.pcap")
    sweeps = [a for a in report["alerts"] if a["type"] == "sweep"]
    assert sweeps and not any("entropy_dst" in a for a in sweeps)


@pytest.mark.parametrize("capture", ORDINARY)
def test_ordinary_traffics_source_entropy_is_not_near_one(tshark, capture):
    e = tshark.report_json(CAPTURES / capture)["entropy"]
    assert e["range"]["src"]["highest"] < 0.8
    assert all(w["src"]["normalized"] < 0.8 for w in e["timeline"])


def test_alert_fields_show_the_json_figure_on_every_packet(tshark):
    capture = CAPTURES / "hping3-syn-flood-spoofed.pcap"
    report = tshark.report_json(capture, two_pass=True)
    alert = report["alerts"][0]
    rows = tshark.fields(capture, ("ntt.alert.episode", "ntt.alert.entropy_src"), two_pass=True,
                         display_filter="ntt.alert")
    assert len(rows) == alert["packets"]
    shown = {float(v) for _ep, v in rows}
    assert len(shown) == 1
    assert shown.pop() == pytest.approx(alert["entropy_src"], abs=1e-6)


def test_the_figures_belong_to_the_capture_not_the_filter(tshark):
    capture = CAPTURES / "http-dns.pcap"
    whole = tshark.report_json(capture)["entropy"]
    narrowed = tshark.report_json(capture, tap_filter="dns")["entropy"]
    assert narrowed == whole


def test_the_text_report_says_the_same(tshark):
    capture = CAPTURES / "hping3-syn-flood-spoofed.pcap"
    e = tshark.report_json(capture)["entropy"]
    text = tshark.run(["-r", tshark.readable(capture), "-q", "-z", "ntt,stats"]).stdout
    section = text[text.index("\nEntropy:"):text.index("\nEngine")]
    assert f"Entropy: {e['windows']} window" in section
    victim = TRUTH["hping3-syn-flood-spoofed.pcap"]["attacks"][0]["dst"]
    host = victim_host(e, victim)
    line = next(line for line in section.splitlines() if line.strip().startswith(victim + " "))
    assert line.split()[1:3] == [str(host["packets"]), f"{host['src']['normalized']:.3f}"]
