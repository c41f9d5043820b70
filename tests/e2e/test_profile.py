# SPDX-License-Identifier: GPL-2.0-or-later
"""The "ntt" configuration profile (packaging/profile/ntt, docs/profile.md)
as `tshark -C ntt` uses it, run as the unprivileged user with the profile
copied into its personal profiles folder: the columns it prints are the
packets' ntt fields, the colouring rules colour exactly the packets their
filters select, the filter buttons and I/O graph filters compile and
select what they say."""
import os
import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET

import pytest

from ntt_harness import CAPTURES, ROOT

PROFILE = ROOT / "packaging" / "profile" / "ntt"
INSTALL = ROOT / "packaging" / "install-profile.sh"
COLUMNS = ["No.", "Time", "Source", "Destination", "Protocol", "Length",
           "Flow", "State", "Service", "Alert", "Info"]
NTT_COLUMNS = {"Flow": "ntt.flow.id", "State": "ntt.flow.state",
               "Service": "ntt.service", "Alert": "ntt.alert"}
# The colouring rules' (foreground, background), as tshark --color writes
# them (8 bits a channel): white on crimson, black on orange.
ALERT_COLOUR = ((255, 255, 255), (220, 20, 60))
FAILED_COLOUR = ((0, 0, 0), (255, 191, 60))
FAILED = 'ntt.flow.final_state in {"REJ", "S0", "RSTOS0", "RSTRH", "SH", "SHR"}'

CAPS = [pytest.param(CAPTURES / name, id=name) for name in (
    "nmap-syn-scan.pcap", "nmap-ping-sweep.pcap", "nmap-arp-sweep.pcap",
    "hping3-syn-flood-spoofed.pcap", "hydra-ssh-fast.pcap", "http-dns.pcap")]


def uat_rows(path):
    """The records of a UAT file: lists of unquoted fields."""
    rows = []
    for line in path.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        fields = re.findall(r'"((?:[^"\\]|\\.)*)"(?:,|$)', line)
        assert ",".join(f'"{f}"' for f in fields) == line, f"not a UAT record: {line}"
        rows.append([re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), f)
                     for f in fields])
    return rows


def frames(tshark, capture, display_filter, two_pass=True):
    args = (["-2"] if two_pass else []) + ["-r", tshark.readable(capture), "-Y", display_filter,
                                           "-T", "fields", "-e", "frame.number"]
    return {int(n) for n in tshark.run(args).stdout.split()}


def all_frames(tshark, capture):
    return frames(tshark, capture, "frame")


def ntt_values(tshark, capture, two_pass):
    """Per frame, the four ntt fields the columns show (every occurrence,
    comma-joined as a custom column joins them)."""
    args = (["-2"] if two_pass else []) + [
        "-r", tshark.readable(capture), "-T", "fields", "-E", "separator=\t",
        "-E", "occurrence=a", "-E", "aggregator=,", "-e", "frame.number"]
    for field in NTT_COLUMNS.values():
        args += ["-e", field]
    out = {}
    for line in tshark.run(args).stdout.splitlines():
        number, *values = line.split("\t")
        out[int(number)] = dict(zip(NTT_COLUMNS, values))
    return out


def with_profile(tshark, args, profile=PROFILE, **kw):
    return tshark.run(["-C", "ntt"] + args, profiles=[profile], **kw)


@pytest.mark.parametrize("two_pass", [False, True], ids=["one-pass", "two-pass"])
@pytest.mark.parametrize("capture", CAPS)
def test_columns_are_the_packets_ntt_fields(tshark, capture, two_pass):
    args = (["-2"] if two_pass else []) + ["-r", tshark.readable(capture), "-T", "psml"]
    proc = with_profile(tshark, args)
    assert proc.stderr.strip() == ""
    root = ET.fromstring(proc.stdout)
    titles = [s.text for s in root.find("structure").findall("section")]
    assert titles == COLUMNS
    want = ntt_values(tshark, capture, two_pass)
    packets = root.findall("packet")
    assert len(packets) == len(want)
    alerts = 0
    for packet in packets:
        cells = dict(zip(COLUMNS, (s.text or "" for s in packet.findall("section"))))
        got = {title: cells[title] for title in NTT_COLUMNS}
        assert got == want[int(cells["No."])]
        alerts += bool(got["Alert"])
    if capture.name != "http-dns.pcap":
        assert alerts > 0


@pytest.mark.parametrize("capture", CAPS)
def test_plain_output_prints_the_custom_columns(tshark, capture):
    """`tshark -C ntt -r FILE`, no output options: the profile's columns,
    here with tabs between them (-T tabs) to tell them apart."""
    text = with_profile(tshark, ["-r", tshark.readable(capture)]).stdout
    tabs = with_profile(tshark, ["-r", tshark.readable(capture), "-T", "tabs"]).stdout
    want = ntt_values(tshark, capture, False)
    lines, rows = text.splitlines(), tabs.splitlines()
    assert len(lines) == len(rows) == len(want)
    for line, row in zip(lines, rows):
        cells = [c.strip() for c in row.split("\t")]
        # No. Time Source → Destination Protocol Length Flow State Service Alert Info
        assert cells[3] == "\u2192"
        number = int(cells[0])
        flow, state, service, alert = cells[7:11]
        assert {"Flow": flow, "State": state, "Service": service, "Alert": alert} == want[number]
        for value in (flow, state, service, alert):
            assert value in line


def colours(tshark, capture, profile):
    """{frame: ((r, g, b) foreground, (r, g, b) background) or None} from
    `tshark -C ntt -2 --color` on a terminal with 24-bit colour."""
    proc = with_profile(tshark, ["-2", "-r", tshark.readable(capture), "--color"],
                        profile=profile, tty=True, tshark_env=["COLORTERM=truecolor"])
    out = {}
    for line in proc.stdout.splitlines():
        fg = re.search(r"\x1b\[38;2;(\d+);(\d+);(\d+)m", line)
        bg = re.search(r"\x1b\[48;2;(\d+);(\d+);(\d+)m", line)
        plain = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", line)
        if not plain.strip():
            continue
        number = int(plain.split()[0])
        out[number] = (tuple(int(v) for v in fg.groups()),
                       tuple(int(v) for v in bg.groups())) if fg and bg else None
    return out


@pytest.mark.parametrize("capture", CAPS)
def test_colour_rules_colour_exactly_the_packets_their_filters_select(tshark, capture):
    got = colours(tshark, capture, PROFILE)
    everything = all_frames(tshark, capture)
    alert = frames(tshark, capture, "ntt.alert")
    failed = frames(tshark, capture, f"({FAILED}) && !ntt.alert")
    assert set(got) == everything
    assert {n for n, bg in got.items() if bg == ALERT_COLOUR} == alert
    assert {n for n, bg in got.items() if bg == FAILED_COLOUR} == failed
    # The shipped profile has only ntt's rules: nothing else is coloured.
    assert {n for n, bg in got.items() if bg is None} == everything - alert - failed
    if capture.name == "nmap-syn-scan.pcap":
        # Both rules are at work: the scan, and unanswered attempts of others.
        assert alert and failed


@pytest.mark.parametrize("capture", [CAPS[0], CAPS[5]])
def test_installed_profile_keeps_wiresharks_colours_below_ntts(tshark, capture):
    with tempfile.TemporaryDirectory() as config:
        proc = subprocess.run(["bash", str(INSTALL), config], capture_output=True, text=True,
                              env=dict(os.environ, NTT_TSHARK="tshark"))
        assert proc.returncode == 0, proc.stderr
        installed = os.path.join(config, "profiles", "ntt")
        rules = open(os.path.join(installed, "colorfilters")).read()
        assert rules.index("@ntt alert@") < rules.index("@ntt failed connection@") < \
            rules.index("@TCP@")
        os.chmod(config, 0o755)
        got = colours(tshark, capture, installed)
    alert = frames(tshark, capture, "ntt.alert")
    failed = frames(tshark, capture, f"({FAILED}) && !ntt.alert")
    assert {n for n, bg in got.items() if bg == ALERT_COLOUR} == alert
    assert {n for n, bg in got.items() if bg == FAILED_COLOUR} == failed
    # Wireshark's defaults colour the rest (TCP, UDP, ARP ... all have one).
    others = {n: bg for n, bg in got.items() if n not in alert | failed}
    assert others and all(bg is not None for bg in others.values())


def test_filter_buttons_compile_and_select_their_alerts(tshark):
    rows = uat_rows(PROFILE / "dfilter_buttons")
    assert [r[1] for r in rows] == ["Alerts", "Scans+sweeps", "Floods", "Brute force",
                                    "Blocklist", "Failed conns", "Big flows"]
    buttons = {label: expr for enabled, label, expr, _comment in rows}
    assert all(r[0] == "TRUE" for r in rows)
    scan, flood = CAPTURES / "nmap-syn-scan.pcap", CAPTURES / "hping3-syn-flood.pcap"
    brute = CAPTURES / "hydra-ssh-fast.pcap"
    for capture in (scan, flood, brute):
        alert = frames(tshark, capture, "ntt.alert")
        assert alert
        assert frames(tshark, capture, buttons["Alerts"]) == alert
    assert frames(tshark, scan, buttons["Scans+sweeps"]) == frames(tshark, scan, "ntt.alert")
    assert not frames(tshark, scan, buttons["Floods"])
    assert frames(tshark, flood, buttons["Floods"]) == frames(tshark, flood, "ntt.alert")
    assert frames(tshark, brute, buttons["Brute force"]) == frames(tshark, brute, "ntt.alert")
    assert not frames(tshark, brute, buttons["Scans+sweeps"])
    blocklist = CAPTURES / "blocklist-download.pcap"
    listed = ["-o", f"ntt.blocklist_file:{tshark.readable(CAPTURES / 'lab-blocklist.txt')}"]
    hits = tshark.run(["-2", "-r", tshark.readable(blocklist), "-Y", buttons["Blocklist"]]
                      + listed + ["-T", "fields", "-e", "ntt.alert.type"]).stdout.split()
    assert hits and set(hits) == {"blocklist"}
    assert frames(tshark, scan, buttons["Failed conns"]) == frames(tshark, scan, FAILED)
    # Whole-flow totals exist only once the file is read: -2 (the GUI).
    # The ICMP flood's one echo flow has 10,000 packets.
    icmp = CAPTURES / "hping3-icmp-flood.pcap"
    big = frames(tshark, icmp, buttons["Big flows"])
    assert big == frames(tshark, icmp, "ntt.flow.id == 4")
    assert len(big) == 10000
    assert not frames(tshark, icmp, buttons["Big flows"], two_pass=False)


def test_profile_loads_without_complaint(tshark):
    """tshark reads preferences, colouring rules and the buttons' table of
    the profile; a malformed one says so on stderr."""
    proc = with_profile(tshark, ["-2", "-r", tshark.readable(CAPTURES / "http-dns.pcap"),
                                 "-c", "1", "--color"])
    assert proc.stderr.strip() == ""


def test_io_graphs_are_records_wireshark_reads(tshark):
    """Nine fields a record (4.0 to 4.4; 4.6 adds a tenth with a default),
    values from the I/O graph table's lists, filters that compile."""
    rows = uat_rows(PROFILE / "io_graphs")
    types = ["portscan", "sweep", "synflood", "udpflood", "icmpflood", "ddos",
             "bruteforce", "flags", "blocklist", "geo"]
    assert [r[1] for r in rows] == ["All packets", "Alert packets"] + types
    for enabled, _name, dfilter, color, style, yaxis, yfield, sma, factor in rows:
        assert enabled in ("Enabled", "Disabled")
        assert re.fullmatch(r"#[0-9a-f]{6}", color)
        assert style in ("Line", "Bar")
        assert yaxis == "Packets" and yfield == "" and sma == "None" and factor == "1"
        if dfilter:
            tshark.run(["-r", tshark.readable(CAPTURES / "http-dns.pcap"), "-c", "1",
                        "-Y", dfilter])
    # The type graphs select the packets of their type.
    scan = CAPTURES / "nmap-syn-scan.pcap"
    by_name = {r[1]: r[2] for r in rows}
    assert frames(tshark, scan, by_name["portscan"]) == frames(tshark, scan, "ntt.alert")
    assert frames(tshark, scan, by_name["Alert packets"]) == frames(tshark, scan, "ntt.alert")
