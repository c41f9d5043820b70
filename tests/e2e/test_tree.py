# SPDX-License-Identifier: GPL-2.0-or-later
"""The GUI's statistics tree (Statistics › Network Traffic Tracer,
tshark -z ntt,tree[,filter]): alerts by type, each episode, flows by final
state, talkers, then packets by protocol and service. Every count is
checked against numbers worked out without the tree: the packets
`tshark -Y` selects, the ntt.* fields of each packet, plain tshark's
addresses, and the JSON report under the same filter."""
import collections
import re

import pytest

from conftest import capture_params
from ntt_harness import CAPTURES

ALL = capture_params()

ALERTS = "Alerts by type"
EPISODES = "Episodes (type source -> target)"
FLOWS = "Flows by final state"
TALKERS = "Talkers (packets sent + received)"
PROTOCOLS = "Packets by protocol"
SERVICES = "Packets by service"
SECTIONS = [ALERTS, EPISODES, FLOWS, TALKERS, PROTOCOLS, SERVICES]

# Captures with attacks of different kinds, for the runs of their own
# (one -Y per type, filtered trees).
ATTACKS = [pytest.param(CAPTURES / name, id=name) for name in (
    "nmap-syn-scan.pcap", "nmap-ping-sweep.pcap", "nmap-arp-sweep.pcap",
    "hping3-syn-flood-spoofed.pcap", "hydra-ssh-fast.pcap", "nmap-xmas-scan.pcap")]

_trees = {}


def parse_tree(text):
    """({(section, item): count}, [sections in order]) from -z ...,tree."""
    rows, order, section = {}, [], None
    for line in text.splitlines():
        m = re.match(r"^( ?)(\S.*?)\s{2,}(\d+)\s", line)
        if not m or m.group(2) == "Topic / Item":
            continue
        if m.group(1):
            rows[(section, m.group(2))] = int(m.group(3))
        else:
            section = m.group(2)
            order.append(section)
            rows[(None, section)] = int(m.group(3))
    return rows, order


def tree(tshark, capture, tap_filter=None, two_pass=True):
    key = (str(capture), tap_filter, two_pass)
    if key not in _trees:
        z = "ntt,tree" + (f",{tap_filter}" if tap_filter else "")
        args = (["-2"] if two_pass else []) + ["-r", tshark.readable(capture), "-q", "-z", z]
        _trees[key] = parse_tree(tshark.run(args).stdout)
    return _trees[key]


def items(rows, section):
    return {item: n for (s, item), n in rows.items() if s == section}


def alert_fields(tshark, capture, two_pass=True):
    """Per packet: (frame, {types}, {episode ids}, flow id), every
    occurrence of the alert fields (a packet may belong to several)."""
    args = (["-2"] if two_pass else []) + [
        "-r", tshark.readable(capture), "-T", "fields", "-E", "separator=\t",
        "-E", "occurrence=a", "-E", "aggregator=|",
        "-e", "frame.number", "-e", "ntt.alert.type", "-e", "ntt.alert.episode",
        "-e", "ntt.flow.id"]
    out = []
    for line in tshark.run(args).stdout.splitlines():
        frame, types, episodes, flow = line.split("\t")
        out.append((int(frame), set(filter(None, types.split("|"))),
                    {int(e) for e in episodes.split("|") if e}, flow))
    return out


def count_of(tshark, capture, display_filter, two_pass=True):
    """How many packets `tshark [-2] -Y display_filter` shows."""
    args = (["-2"] if two_pass else []) + ["-r", tshark.readable(capture), "-Y", display_filter,
                                           "-T", "fields", "-e", "frame.number"]
    return len(tshark.run(args).stdout.splitlines())


def episode_name(alert):
    """The tree's item of an episode, from the JSON report's alert."""
    def host(addr):
        return f"[{addr}]" if ":" in addr else addr
    src = alert["src"] or "(many)"
    if alert["dst"] and "port" in alert:
        dst = f"{host(alert['dst'])}:{alert['port']}"
    elif alert["dst"]:
        dst = alert["dst"]
    elif "port" in alert:
        dst = f"(many):{alert['port']}"
    else:
        dst = "(many)"
    return f"#{alert['episode']} {alert['type']} {src} -> {dst}"


@pytest.mark.parametrize("capture", ALL)
def test_sections_come_in_order_alerts_first(tshark, capture):
    rows, order = tree(tshark, capture)
    report = tshark.report_json(capture)
    # A stats_tree prints every section it made, empty ones with 0.
    assert order == SECTIONS
    assert rows[(None, PROTOCOLS)] == report["summary"]["packets"]
    if report["alerts"]:
        assert rows[(None, ALERTS)] > 0


@pytest.mark.parametrize("capture", ALL)
def test_alerts_and_episodes_are_the_alert_fields_of_each_packet(tshark, capture):
    rows, _ = tree(tshark, capture)
    packets = alert_fields(tshark, capture)
    per_type = collections.Counter(t for _f, types, _e, _fl in packets for t in types)
    per_episode = collections.Counter(e for _f, _t, eps, _fl in packets for e in eps)
    alert_packets = sum(1 for _f, types, _e, _fl in packets if types)
    assert rows[(None, ALERTS)] == alert_packets
    assert rows[(None, EPISODES)] == alert_packets
    assert {k: v for k, v in items(rows, ALERTS).items() if v} == dict(per_type)
    # One row per episode, named from the JSON report's alert, counting
    # its packets: those the JSON report says it has.
    report = tshark.report_json(capture)
    want = {episode_name(a): per_episode[a["episode"]] for a in report["alerts"]}
    assert {k: v for k, v in items(rows, EPISODES).items() if v} == \
        {k: v for k, v in want.items() if v}
    for a in report["alerts"]:
        assert per_episode[a["episode"]] == a["packets"]


@pytest.mark.parametrize("capture", ATTACKS)
def test_alert_counts_are_what_display_filters_show(tshark, capture):
    rows, _ = tree(tshark, capture)
    types = items(rows, ALERTS)
    assert types, "an attack capture shows alerts"
    assert rows[(None, ALERTS)] == count_of(tshark, capture, "ntt.alert")
    for alert_type, n in types.items():
        assert n == count_of(tshark, capture, f'ntt.alert.type == "{alert_type}"')
    report = tshark.report_json(capture)
    for a in report["alerts"]:
        assert rows[(EPISODES, episode_name(a))] == \
            count_of(tshark, capture, f"ntt.alert.episode == {a['episode']}")


@pytest.mark.parametrize("capture", ATTACKS)
def test_single_pass_counts_alerts_from_their_detection(tshark, capture):
    """One pass knows an attack from its detection on, as -Y without -2
    shows it; the whole file (-2, the GUI) counts its earlier packets too."""
    one, _ = tree(tshark, capture, two_pass=False)
    two, _ = tree(tshark, capture)
    for alert_type in items(two, ALERTS):
        n = one.get((ALERTS, alert_type), 0)
        assert n == count_of(tshark, capture, f'ntt.alert.type == "{alert_type}"',
                             two_pass=False)
        assert n <= two[(ALERTS, alert_type)]
    assert one[(None, ALERTS)] < two[(None, ALERTS)]


@pytest.mark.parametrize("capture", ALL)
def test_talkers_are_the_addresses_of_each_packet(tshark, capture):
    rows, _ = tree(tshark, capture)
    want = collections.Counter()
    ip_packets = 0
    for src4, dst4, src6, dst6 in tshark.fields(
            capture, ("ip.src", "ip.dst", "ipv6.src", "ipv6.dst"), plugin=False):
        src, dst = src4 or src6, dst4 or dst6
        if src:
            ip_packets += 1
            want[src] += 1
            want[dst] += 1
    assert rows.get((None, TALKERS), 0) == ip_packets
    assert items(rows, TALKERS) == dict(want)


FILTERS = ["ntt.alert", "!ntt.alert", "tcp.port == 80 || udp.port == 53",
           'ntt.flow.state == "REJ" || ntt.flow.state == "S0"']


@pytest.mark.parametrize("tap_filter", FILTERS)
@pytest.mark.parametrize("capture", ATTACKS)
def test_a_filter_narrows_every_count_as_in_the_json_report(tshark, capture, tap_filter):
    rows, _ = tree(tshark, capture, tap_filter)
    report = tshark.report_json(capture, tap_filter=tap_filter, two_pass=True)
    assert rows.get((None, PROTOCOLS), 0) == report["summary"]["packets"] == \
        count_of(tshark, capture, tap_filter)
    assert rows.get((None, FLOWS), 0) == report["flows"]["count"]
    assert {k: v for k, v in items(rows, FLOWS).items() if v} == report["flows"]["by_state"]
    for t in report["talkers"]:
        assert rows[(TALKERS, t["address"])] == t["packets_sent"] + t["packets_received"]
    # The flows the filter lets a packet of through, by final state, from
    # the fields of those packets.
    final = dict(tshark.fields(capture, ("ntt.flow.id", "ntt.flow.final_state"),
                               two_pass=True))
    shown = {flow for (flow,) in tshark.own_fields(capture, ("ntt.flow.id",), True,
                                                    tap_filter) if flow}
    assert dict(collections.Counter(final[f] for f in shown)) == report["flows"]["by_state"]


@pytest.mark.parametrize("capture", ATTACKS)
def test_the_alert_filter_changes_the_counts(tshark, capture):
    """-z ntt,tree,ntt.alert: every alert still counts, nothing else does;
    -z ntt,tree,!ntt.alert: no alert at all."""
    whole, _ = tree(tshark, capture)
    alerts, _ = tree(tshark, capture, "ntt.alert")
    others, _ = tree(tshark, capture, "!ntt.alert")
    assert items(alerts, ALERTS) == items(whole, ALERTS)
    assert alerts[(None, PROTOCOLS)] == whole[(None, ALERTS)]
    assert alerts[(None, PROTOCOLS)] < whole[(None, PROTOCOLS)]
    assert others.get((None, ALERTS), 0) == 0
    assert not any(items(others, ALERTS).values())
    assert others[(None, PROTOCOLS)] == whole[(None, PROTOCOLS)] - whole[(None, ALERTS)]
