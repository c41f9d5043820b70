# SPDX-License-Identifier: GPL-2.0-or-later
"""-z ntt,stats and -z ntt,json, checked against numbers worked out from
plain tshark output."""
import collections
import math

import pytest

from conftest import capture_params
from shared_dissection import ICMP_ANY, NON_IP, TCP_ONLY, UDP_ONLY, WEB_AND_DNS

ALL = capture_params()


def truth_frames(tshark, capture, display_filter=None):
    return tshark.fields(capture, ("frame.len", "frame.time_epoch"),
                         display_filter=display_filter, plugin=False)


@pytest.mark.parametrize("capture", ALL)
def test_summary_matches_the_capture(tshark, capture):
    frames = truth_frames(tshark, capture)
    report = tshark.report_json(capture)
    times = [float(t) for _l, t in frames]
    s = report["summary"]
    assert s["packets"] == len(frames)
    assert s["bytes"] == sum(int(length) for length, _t in frames)
    assert s["duration"] == pytest.approx(max(times) - min(times), abs=2e-6)
    assert s["mean_packet_size"] == pytest.approx(s["bytes"] / s["packets"], rel=1e-6)
    bins = collections.Counter(math.floor(t - times[0]) for t in times)
    assert s["peak_pps"] == max(bins.values())


@pytest.mark.parametrize("capture", ALL)
def test_protocol_mix(tshark, capture):
    report = tshark.report_json(capture)
    p = report["protocols"]
    count = lambda f: len(truth_frames(tshark, capture, f))
    assert p["tcp"]["packets"] == count(TCP_ONLY)
    assert p["udp"]["packets"] == count(UDP_ONLY)
    assert p["icmp"]["packets"] == count(ICMP_ANY)
    assert p["non_ip"]["packets"] == count(NON_IP)
    assert sum(v["packets"] for v in p.values()) == report["summary"]["packets"]


@pytest.mark.parametrize("capture", ALL)
def test_flow_counts_and_states(tshark, capture):
    report = tshark.report_json(capture)
    rows = tshark.fields(capture, ("ntt.flow.id", "ntt.flow.final_state"), two_pass=True)
    final = {flow: state for flow, state in rows if flow}
    assert report["flows"]["count"] == len(final)
    assert report["flows"]["by_state"] == dict(collections.Counter(final.values()))


@pytest.mark.parametrize("capture", ALL)
def test_top_flows_are_the_largest_by_bytes(tshark, capture):
    report = tshark.report_json(capture)
    per_flow = collections.Counter()
    packets = collections.Counter()
    for flow, length in tshark.fields(capture, ("ntt.flow.id", "frame.len")):
        if flow:
            per_flow[int(flow)] += int(length)
            packets[int(flow)] += 1
    top = report["flows"]["top"]
    expected = sorted(per_flow.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
    assert [(f["id"], f["bytes"]) for f in top] == expected
    for f in top:
        assert f["packets"] == packets[f["id"]]


@pytest.mark.parametrize("capture", ALL)
def test_talkers(tshark, capture):
    report = tshark.report_json(capture)
    sent, received = collections.Counter(), collections.Counter()
    for src4, dst4, src6, dst6, length in tshark.fields(
            capture, ("ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "frame.len"),
            plugin=False):
        src, dst = src4 or src6, dst4 or dst6
        if src:
            sent[src] += int(length)
            received[dst] += int(length)
    assert report["talkers_total"] == len(set(sent) | set(received))
    ranked = sorted(set(sent) | set(received),
                    key=lambda a: -(sent[a] + received[a]))
    want_top_bytes = [sent[a] + received[a] for a in ranked[:10]]
    got = report["talkers"]
    assert [t["bytes_sent"] + t["bytes_received"] for t in got] == want_top_bytes
    for t in got:
        assert t["bytes_sent"] == sent[t["address"]]
        assert t["bytes_received"] == received[t["address"]]


@pytest.mark.parametrize("capture", ALL)
def test_services(tshark, capture):
    report = tshark.report_json(capture)
    rows = tshark.fields(capture, ("ntt.flow.id", "ntt.service", "frame.len"))
    flows, pkts = collections.defaultdict(set), collections.Counter()
    for flow, service, _length in rows:
        if flow:
            flows[service or "unclassified"].add(flow)
            pkts[service or "unclassified"] += 1
    got = {s["name"]: (s["flows"], s["packets"]) for s in report["services"]}
    want = {name: (len(ids), pkts[name]) for name, ids in flows.items()}
    assert got == want


@pytest.mark.parametrize("capture", ALL)
def test_filtered_report_counts_only_matching_packets(tshark, capture):
    report = tshark.report_json(capture, tap_filter=WEB_AND_DNS)
    frames = truth_frames(tshark, capture, WEB_AND_DNS)
    assert report["filter"] == "tcp.port == 80 || udp.port == 53"
    assert report["summary"]["packets"] == len(frames)
    assert report["summary"]["bytes"] == sum(int(length) for length, _t in frames)


@pytest.mark.parametrize("capture", ALL)
def test_two_pass_report_is_the_same(tshark, capture):
    one = tshark.report_json(capture)
    two = tshark.report_json(capture, two_pass=True)
    assert one == two


def test_text_report_sections(tshark):
    capture = pick_capture(tshark)
    report = tshark.report_json(capture)
    out = tshark.run(["-r", tshark.readable(capture), "-q", "-z", "ntt,stats"]).stdout
    assert "ntt statistics" in out
    assert "Filter: <none>" in out
    assert f"  Packets:           {report['summary']['packets']}\n" in out
    assert f"  Bytes:             {report['summary']['bytes']}\n" in out
    assert f"Flows: {report['flows']['count']}\n" in out
    for section in ("Capture", "Protocols", "Top ", "talkers by bytes"):
        assert section in out
    top = report["flows"]["top"][0]
    assert f"{top['src']}:{top['sport']}" in out or f"[{top['src']}]:{top['sport']}" in out


def test_both_reports_in_one_run(tshark):
    capture = pick_capture(tshark)
    out = tshark.run(["-r", tshark.readable(capture), "-q",
                      "-z", "ntt,stats", "-z", "ntt,json"]).stdout
    assert "ntt statistics" in out
    assert '"tool": "ntt"' in out


def test_bad_z_argument_is_refused(tshark):
    capture = pick_capture(tshark)
    proc = tshark.run(["-r", tshark.readable(capture), "-q", "-z", "ntt,statsx"],
                      check=False)
    # Before 4.6 a -z init callback cannot fail the run (it returns void):
    # a clear message and no report is what the user gets.
    assert 'invalid "-z ntt,statsx" argument' in proc.stderr
    assert "ntt statistics" not in proc.stdout


def test_bad_tap_filter_is_refused(tshark):
    capture = pick_capture(tshark)
    proc = tshark.run(["-r", tshark.readable(capture), "-q", "-z", "ntt,stats,tcp.port =="],
                      check=False)
    assert 'could not start -z ntt,stats: Filter "tcp.port ==" is invalid' in proc.stderr
    assert "ntt statistics" not in proc.stdout


def pick_capture(tshark):
    """A capture with TCP and UDP: a shipped one, else a reference one."""
    from ntt_harness import CAPTURES, REFERENCE_PCAPS
    for candidate in (CAPTURES / "http-dns.pcap", REFERENCE_PCAPS / "http_espn.pcapng"):
        if candidate.exists():
            return candidate
    pytest.skip("no capture with HTTP and DNS available")


def stats_tree_rows(text):
    """{(parent, item): count} from a -z ...,tree table."""
    rows, parent = {}, None
    for line in text.splitlines():
        m = __import__("re").match(r"^( ?)(\S.*?)\s{2,}(\d+)\s", line)
        if not m:
            continue
        if m.group(1):
            rows[(parent, m.group(2))] = int(m.group(3))
        else:
            parent = m.group(2)
            rows[(None, parent)] = int(m.group(3))
    return rows


@pytest.mark.parametrize("capture", ALL)
def test_stats_tree_agrees_with_the_json_report(tshark, capture):
    report = tshark.report_json(capture)
    out = tshark.run(["-2", "-r", tshark.readable(capture), "-q", "-z", "ntt,tree"]).stdout
    rows = stats_tree_rows(out)
    names = {"tcp": "TCP", "udp": "UDP", "icmp": "ICMP", "other_ip": "Other IP",
             "non_ip": "Non-IP"}
    for key, counts in report["protocols"].items():
        if counts["packets"]:
            assert rows[("Packets by protocol", names[key])] == counts["packets"]
    assert rows.get((None, "Flows by final state"), 0) == report["flows"]["count"]
    for state, count in report["flows"]["by_state"].items():
        assert rows[("Flows by final state", state)] == count
    for service in report["services"]:
        name = "(unclassified)" if service["name"] == "unclassified" else service["name"]
        assert rows[("Packets by service", name)] == service["packets"]


def test_stats_tree_single_pass_says_final_states_need_two_passes(tshark):
    capture = pick_capture(tshark)
    report = tshark.report_json(capture)
    out = tshark.run(["-r", tshark.readable(capture), "-q", "-z", "ntt,tree"]).stdout
    rows = stats_tree_rows(out)
    key = ("Flows by final state", "(final state needs two passes: tshark -2)")
    assert rows[key] == report["flows"]["count"]
