# SPDX-License-Identifier: GPL-2.0-or-later
"""Attack detection end to end: every attack in the lab captures is found
as the episode type(s) the ground truth names, with its attacker and
victim, and nothing is raised on the benign captures; the third-party
reference captures are a second tier (skipped when ../shared is absent).
Ground truth: captures/ground-truth.json (measured by ground-truth.py,
not by ntt) and ../shared/reference/README.md."""
import ipaddress
import json

import pytest

import pcap_craft as pc
from ntt_harness import CAPTURES, REFERENCE_PCAPS

FILES = json.loads((CAPTURES / "ground-truth.json").read_text())["files"]
# Types issue #4 adds (blocklist, geo) are not raised by the detectors.
DETECTOR_TYPES = {"portscan", "sweep", "synflood", "udpflood", "icmpflood",
                  "ddos", "bruteforce", "flags"}


def alerts_of(tshark, path, *extra):
    return tshark.report_json(path, extra=extra)["alerts"]


def expected_attacks(name):
    return [a for a in FILES[name]["attacks"] if a["type"] in DETECTOR_TYPES]


@pytest.mark.parametrize("name", sorted(FILES))
def test_lab_capture_raises_exactly_its_attacks(tshark, name):
    alerts = alerts_of(tshark, CAPTURES / name)
    expected = expected_attacks(name)
    assert sorted({a["type"] for a in alerts}) == sorted({a["type"] for a in expected})
    for attack in expected:
        matching = [a for a in alerts if a["type"] == attack["type"]]
        assert matching, attack
        if attack["src"]:
            assert {a["src"] for a in matching} == {attack["src"]}
        else:                      # spoofed: no single source
            assert {a["src"] for a in matching} == {None}
        if "/" in attack["dst"]:   # a sweep of a network
            net = ipaddress.ip_network(attack["dst"])
            for a in matching:
                assert a["dst"] is None or ipaddress.ip_address(a["dst"]) in net
        else:
            assert {a["dst"] for a in matching} == {attack["dst"]}
        # One episode per attack: the attack in each capture is one burst.
        assert len(matching) == 1, matching


@pytest.mark.parametrize("name", sorted(n for n in FILES if FILES[n]["benign"]))
def test_benign_capture_raises_nothing(tshark, name):
    assert alerts_of(tshark, CAPTURES / name) == []


def fallback_capture(path, told):
    """A client resolving a name to 16 addresses (told: the capture holds
    the DNS answer; otherwise the addresses it names are others) and
    trying each in turn, 0.6 s apart, each refused at once by its router's
    ICMP host unreachable: what a client falling back looks like."""
    client, router, resolver = "192.0.2.10", "192.0.2.1", "192.0.2.53"
    hosts = [f"203.0.113.{i}" for i in range(1, 17)]
    named = hosts if told else [f"198.51.100.{i}" for i in range(1, 17)]
    packets = [pc.ether(pc.ipv4(resolver, client, 17,
                                pc.udp(53, 33000, pc.dns_response("app.example", named))))]
    times = [0.0]
    for i, h in enumerate(hosts):
        syn = pc.ipv4(client, h, 6, pc.tcp(40000 + i, 443, 0x02))
        packets.append(pc.ether(syn))
        packets.append(pc.ether(pc.ipv4(router, client, 1, pc.icmp_error(3, 1, syn[:28]))))
        times += [0.1 + 0.6 * i, 0.1 + 0.6 * i + 0.002]
    pc.write_pcap(path, packets, times=times)
    return client, named


def test_a_client_trying_the_addresses_dns_gave_it_is_not_a_sweep(tshark, tmp_path):
    told, untold = tmp_path / "told.pcap", tmp_path / "untold.pcap"
    client, named = fallback_capture(told, True)
    fallback_capture(untold, False)
    # The answer is what Wireshark reads too (the capture is sound).
    rows = tshark.run(["-r", tshark.readable(told), "-T", "fields", "-E", "occurrence=a",
                       "-e", "dns.a", "-Y", "dns"], plugin=False).stdout.split()
    assert rows[0].split(",") == named
    assert alerts_of(tshark, told) == []
    # The same failures without the answer are a sweep by the client.
    alerts = alerts_of(tshark, untold)
    assert [(a["type"], a["src"]) for a in alerts] == [("sweep", client)]


def test_episode_fields_and_both_passes(tshark):
    """nmap -sS: single pass marks from the detection on, -2 every packet
    of the episode; ntt.alert.src filters by address."""
    path = CAPTURES / "nmap-syn-scan.pcap"
    attack = expected_attacks("nmap-syn-scan.pcap")[0]
    (alert,) = alerts_of(tshark, path)
    cols = ("frame.number", "ntt.alert.type", "ntt.alert.episode", "ntt.alert.first",
            "ntt.alert.raised", "ntt.alert.count")
    one = tshark.fields(path, cols, display_filter="ntt.alert")
    two = tshark.fields(path, cols, display_filter="ntt.alert", two_pass=True)
    assert one and two
    assert min(int(r[0]) for r in one) == alert["detect_frame"]
    assert min(int(r[0]) for r in two) == alert["first_frame"]
    assert len(two) == alert["packets"] > len(one)
    for row in two:
        assert row[1:5] == ("portscan", "0", str(alert["first_frame"]),
                            str(alert["detect_frame"]))
    # Counts grow along the episode and end at its packet total.
    counts = [int(r[5]) for r in two]
    assert counts == sorted(counts) and counts[-1] == alert["packets"]
    by_src = tshark.fields(path, ("frame.number",),
                           display_filter=f"ntt.alert.src == {attack['src']}")
    assert len(by_src) == len(one)
    assert tshark.fields(path, ("frame.number",),
                         display_filter="ntt.alert.src == 192.0.2.1") == []


def test_ipv6_episode_uses_the_ipv6_fields(tshark):
    path = CAPTURES / "nmap6-syn-scan.pcap"
    attack = expected_attacks("nmap6-syn-scan.pcap")[0]
    rows = tshark.fields(path, ("ntt.alert.src6", "ntt.alert.dst6", "ntt.alert.src"),
                         display_filter="ntt.alert")
    assert rows
    assert {r[:2] for r in rows} == {(attack["src"], attack["dst"])}
    assert {r[2] for r in rows} == {""}


def test_expert_info_once_per_episode(tshark):
    path = CAPTURES / "nmap-null-scan.pcap"
    alerts = alerts_of(tshark, path)
    rows = tshark.fields(path, ("frame.number", "_ws.expert.message"),
                         display_filter="ntt.expert.portscan || ntt.expert.flags")
    assert sorted(int(r[0]) for r in rows) == sorted(a["detect_frame"] for a in alerts)


def test_portscan_detected_by_the_tenth_port(tshark):
    """Latency in attempts, worked out from plain tshark: distinct ports
    the scanner probed up to the detection frame."""
    for name in ("nmap-syn-scan.pcap", "nmap-connect-scan.pcap", "nmap6-syn-scan.pcap"):
        attack = expected_attacks(name)[0]
        (alert,) = [a for a in alerts_of(tshark, CAPTURES / name) if a["type"] == "portscan"]
        field = "ipv6.src" if ":" in attack["src"] else "ip.src"
        probes = tshark.fields(CAPTURES / name, ("frame.number", "tcp.dstport"),
                               display_filter=f"{field} == {attack['src']} && tcp",
                               plugin=False)
        ports = {p for n, p in probes if int(n) <= alert["detect_frame"]}
        assert len(ports) <= 10, (name, len(ports))


@pytest.mark.parametrize("name,probe", [
    ("nmap-ping-sweep.pcap", "icmp.type == 8"),
    ("nmap-syn-sweep.pcap", "tcp.flags == 0x002"),
    ("nmap-arp-sweep.pcap", "arp.opcode == 1"),
])
def test_sweep_detected_by_the_fifth_host(tshark, name, probe):
    """Latency in attempts, from plain tshark: distinct hosts the sweeper
    had probed up to the detection frame."""
    attack = expected_attacks(name)[0]
    (alert,) = [a for a in alerts_of(tshark, CAPTURES / name) if a["type"] == "sweep"]
    src, target = ("arp.src.proto_ipv4", "arp.dst.proto_ipv4") if probe.startswith("arp") \
        else ("ip.src", "ip.dst")
    probes = tshark.fields(CAPTURES / name, ("frame.number", target),
                           display_filter=f"{src} == {attack['src']} && {probe} && "
                                          f"{target} == {attack['dst']}", plugin=False)
    hosts = {h for n, h in probes if int(n) <= alert["detect_frame"]}
    assert 1 <= len(hosts) <= 5, (name, len(hosts))


def test_arp_requests_carry_the_sweep(tshark):
    """ARP has no flow, but its frames belong to the episode (second
    pass): every request of the sweeper into the swept network for an
    address that has not answered yet (asking a known neighbour again is
    not a probe, as for IP first contacts) -- worked out from plain tshark."""
    name = "nmap-arp-sweep.pcap"
    attack = expected_attacks(name)[0]
    rows = tshark.fields(CAPTURES / name, ("frame.number", "arp.opcode", "arp.src.proto_ipv4",
                                           "arp.dst.proto_ipv4"), display_filter="arp",
                         plugin=False)
    net = ipaddress.ip_network(attack["dst"])
    answered, truth = set(), []
    for frame, op, sender, target in rows:
        if op == "2" and target == attack["src"]:
            answered.add(sender)
        elif op == "1" and sender == attack["src"] and ipaddress.ip_address(target) in net \
                and target not in answered:
            truth.append(int(frame))
    marked = tshark.fields(CAPTURES / name, ("frame.number",), two_pass=True,
                           display_filter='ntt.alert.type == "sweep" && arp.opcode == 1')
    assert [int(r[0]) for r in marked] == truth
    assert len(truth) >= attack["silent_targets"]
    rows = tshark.fields(CAPTURES / name, ("ntt.alert.src",), two_pass=True,
                         display_filter='ntt.alert.type == "sweep"')
    assert {r[0] for r in rows} == {attack["src"]}


@pytest.mark.parametrize("name", ["hping3-syn-flood.pcap", "hping3-syn-flood-spoofed.pcap",
                                  "hping3-udp-flood.pcap", "hping3-icmp-flood.pcap"])
def test_floods_detected_within_a_second(tshark, name):
    attack = expected_attacks(name)[0]
    (alert,) = [a for a in alerts_of(tshark, CAPTURES / name) if a["type"] == attack["type"]]
    first = float(FILES[name]["first_epoch"])
    onset = tshark.fields(CAPTURES / name, ("frame.time_epoch",),
                          display_filter=f"frame.number == {attack['first_frame']}",
                          plugin=False)
    onset = float(onset[0][0]) if onset else first
    assert alert["detect"] - onset <= 1.0


def test_detection_can_be_switched_off(tshark):
    path = CAPTURES / "nmap-syn-scan.pcap"
    assert alerts_of(tshark, path, "-o", "ntt.detect:FALSE") == []


def test_thresholds_are_preferences(tshark):
    """The SSH burst raises at exactly the preferred attempt: the detection
    frame is the SYN of that connection, counted from plain tshark."""
    path = CAPTURES / "ssh-bruteforce.pcap"
    attack = expected_attacks("ssh-bruteforce.pcap")[0]
    syns = [int(r[0]) for r in tshark.fields(
        path, ("frame.number",), plugin=False,
        display_filter=f"ip.src == {attack['src']} && tcp.dstport == 22 && "
                       "tcp.flags.syn == 1 && tcp.flags.ack == 0")]
    # Its 30 connections are refused logins too: the slow horizon is
    # set out of reach here to isolate the fast one.
    slow_off = ("-o", "ntt.bruteforce_slow_attempts:1000")
    assert alerts_of(tshark, path, "-o", "ntt.bruteforce_attempts:1000", *slow_off) == []
    for wanted in (5, 20):
        (alert,) = alerts_of(tshark, path, "-o", f"ntt.bruteforce_attempts:{wanted}",
                             *slow_off)
        assert alert["type"] == "bruteforce"
        assert alert["detect_frame"] == syns[wanted - 1]
        assert alert["first_frame"] == syns[0]


REFERENCE_EXPECTED = {
    "synscan.pcapng": {"portscan"},
    "ps-tcp_syn.pcap": {"portscan"},
    "tcp_0_1000_20190821.pcap": {"portscan"},
    "udp_0_1000_20190821.pcap": {"portscan"},
    "hs-icmpScan.pcap": {"sweep"},
    "hs-tcp_synPingSweepRand.pcapng": {"sweep"},
    "pkt.TCP.synflood.spoofed.pcap": {"synflood"},
    "amp.UDP.isakmp.pcap": {"udpflood", "ddos"},
    "http_espn.pcapng": set(),
    "dns_lab.pcapng": set(),
    "wikipedia.pcap": set(),
    "var-services-std-ports.pcap": set(),
    "google-cert-repeat.pcap": set(),
}


@pytest.mark.skipif(not REFERENCE_PCAPS.is_dir(),
                    reason=f"{REFERENCE_PCAPS} absent: reference tier skipped")
@pytest.mark.parametrize("name", sorted(REFERENCE_EXPECTED))
def test_reference_capture(tshark, name):
    types = {a["type"] for a in alerts_of(tshark, REFERENCE_PCAPS / name)}
    expected = REFERENCE_EXPECTED[name]
    if expected:
        # Every attack found; a second view of the same attack (a flood
        # that is also many-to-one) is allowed only where listed.
        assert types and types <= expected, types
        assert types & expected
    else:
        assert types == set()
