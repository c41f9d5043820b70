# SPDX-License-Identifier: GPL-2.0-or-later
"""The files other tools read: -z ntt,conn (Zeek's conn.log) checked for
its format and against plain tshark's packet and byte counts, and
-z ntt,csv / -z ntt,csv,alerts read back with Python's csv module and
compared with -z ntt,json. (test_zeek.py compares ntt,conn with Zeek.)"""
import collections
import csv
import datetime
import io
import re

import pytest

import zeek_conn
from conftest import capture_params
from ntt_harness import CAPTURES, ROOT
from shared_dissection import WEB_AND_DNS
from test_anomaly import bulk_capture, write_model  # noqa: F401 (a fixture)
from test_blocklist import ATTACK as BLOCKLIST_ATTACK
from test_geo import city_prefs
from test_time_profile import TUESDAY_MORNING, WORK, surge_capture

SHIPPED = capture_params(include_reference=False)

FIELDS = ("ts uid id.orig_h id.orig_p id.resp_h id.resp_p proto service duration "
          "orig_bytes resp_bytes conn_state local_orig local_resp missed_bytes history "
          "orig_pkts orig_ip_bytes resp_pkts resp_ip_bytes tunnel_parents").split()
TYPES = ("time string addr port addr port enum string interval count count string "
         "bool bool count string count count count count set[string]").split()
FLOW_COLUMNS = ["id", "proto", "src", "sport", "dst", "dport", "service", "state",
                "packets", "bytes", "total_packets", "total_bytes", "start", "duration"]


def run_z(tshark, capture, z, two_pass=False, extra=()):
    args = ["-r", tshark.readable(capture), "-q", "-z", z] + list(extra)
    return tshark.run((["-2"] if two_pass else []) + args).stdout


def conn_log(tshark, capture, tap_filter=None):
    return run_z(tshark, capture, "ntt,conn" + (f",{tap_filter}" if tap_filter else ""))


def read_csv(text):
    # (The harness reads tshark's output as text, CRLF turned into LF; the
    # unit test checks the CRLF line ends.)
    return list(csv.DictReader(io.StringIO(text, newline="")))


def header_time(epoch):
    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc) \
        .strftime("%Y-%m-%d-%H-%M-%S")


@pytest.mark.parametrize("capture", SHIPPED)
def test_conn_log_is_zeeks_format(tshark, capture):
    text = conn_log(tshark, capture)
    lines = text.splitlines()
    assert lines[:5] == ["#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)",
                         "#unset_field\t-", "#path\tconn"]
    header, fields, rows = zeek_conn.parse(text)
    assert fields == FIELDS
    assert header["types"].split("\t") == TYPES
    times = [float(t) for (t,) in tshark.fields(capture, ("frame.time_epoch",), plugin=False)]
    # From the packets, never the wall clock.
    assert header["open"] == header_time(min(times))
    assert header["close"] == header_time(max(times))
    assert lines[-1].startswith("#close\t")
    uids = set()
    for line in lines[8:-1]:
        cells = line.split("\t")
        assert len(cells) == len(FIELDS)
        row = dict(zip(FIELDS, cells))
        assert re.fullmatch(r"\d+\.\d{6}", row["ts"])
        assert re.fullmatch(r"C[0-9A-Za-z]{2,18}", row["uid"])
        uids.add(row["uid"])
        assert row["proto"] in ("tcp", "udp", "icmp", "unknown_transport")
        for port in ("id.orig_p", "id.resp_p"):
            assert 0 <= int(row[port]) <= 65535
        for count in ("orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes"):
            assert int(row[count]) >= 0
        if row["duration"] == "-":
            assert row["orig_bytes"] == row["resp_bytes"] == "-"
        else:
            assert re.fullmatch(r"\d+\.\d{6}", row["duration"]) and float(row["duration"]) > 0
            assert int(row["orig_bytes"]) >= 0 and int(row["resp_bytes"]) >= 0
        for unset in ("service", "local_orig", "local_resp", "missed_bytes", "history",
                      "tunnel_parents"):
            assert row[unset] == "-"
    assert len(uids) == len(rows)


@pytest.mark.parametrize("capture", SHIPPED)
def test_conn_log_counts_every_ip_packet_and_its_ip_bytes(tshark, capture):
    """Packets and IP-level bytes (the IP headers' own lengths, as Zeek
    counts them), summed over the flows, against plain tshark."""
    _h, _f, rows = zeek_conn.parse(conn_log(tshark, capture))
    report = tshark.report_json(capture)
    packets = ip_bytes = 0
    for ip_len, plen in tshark.fields(capture, ("ip.len", "ipv6.plen"), plugin=False,
                                      display_filter="ip || ipv6"):
        packets += 1
        ip_bytes += int(ip_len) if ip_len else int(plen) + 40
    assert len(rows) == report["flows"]["count"]
    assert sum(int(r["orig_pkts"]) + int(r["resp_pkts"]) for r in rows) == packets
    assert sum(int(r["orig_ip_bytes"]) + int(r["resp_ip_bytes"]) for r in rows) == ip_bytes


@pytest.mark.parametrize("name", ["http-dns.pcap", "ssh-ftp-ordinary.pcap",
                                  "blocklist-download.pcap", "busy-client.pcap"])
def test_tcp_payload_bytes_are_the_streams_data(tshark, name):
    """In a stream without retransmissions or lost segments, Zeek's
    sequence-number payload size is the data tshark counts per side."""
    capture = CAPTURES / name
    if not capture.exists():
        pytest.skip(f"{capture} absent")
    data, dirty = collections.Counter(), set()
    rows = tshark.own_fields(capture, ("tcp.stream", "ip.src", "ipv6.src", "tcp.srcport",
                                       "tcp.len", "tcp.analysis.retransmission",
                                       "tcp.analysis.lost_segment",
                                       "tcp.analysis.out_of_order"),
                             display_filter="tcp", plugin=False)
    endpoints = collections.defaultdict(set)
    for stream, src4, src6, sport, length, rexmit, lost, ooo in rows:
        endpoints[stream].add((src4 or src6, sport))
        data[(stream, src4 or src6, sport)] += int(length or 0)
        if rexmit or lost or ooo:
            dirty.add(stream)
    _h, _f, conns = zeek_conn.parse(conn_log(tshark, capture))
    checked = 0
    for stream, ends in endpoints.items():
        if stream in dirty:
            continue
        for row in conns:
            orig = (row["id.orig_h"], row["id.orig_p"])
            resp = (row["id.resp_h"], row["id.resp_p"])
            if row["proto"] == "tcp" and {orig, resp} == ends and row["duration"] != "-":
                assert int(row["orig_bytes"]) == data[(stream,) + orig]
                assert int(row["resp_bytes"]) == data[(stream,) + resp]
                checked += 1
    assert checked > 0


def test_conn_log_is_deterministic_and_the_same_in_two_passes(tshark):
    capture = CAPTURES / "http-dns.pcap"
    one = conn_log(tshark, capture)
    assert conn_log(tshark, capture) == one
    assert run_z(tshark, capture, "ntt,conn", two_pass=True) == one


def test_conn_log_filter_lists_the_flows_it_touches(tshark):
    capture = CAPTURES / "http-dns.pcap"
    _h, _f, rows = zeek_conn.parse(conn_log(tshark, capture, "udp.port == 53"))
    report = tshark.report_json(capture, tap_filter="udp.port == 53")
    assert len(rows) == report["flows"]["count"] > 0
    assert all(r["proto"] == "udp" and "53" in (r["id.orig_p"], r["id.resp_p"]) for r in rows)


def json_equal(json_value, cell):
    if json_value is None:
        return cell == ""
    if isinstance(json_value, bool):
        return cell == str(json_value).lower()
    if isinstance(json_value, int):
        return cell == str(json_value)
    if isinstance(json_value, float):
        return float(cell) == json_value
    return cell == json_value


@pytest.mark.parametrize("capture", SHIPPED)
def test_csv_flows_are_the_json_flows(tshark, capture):
    text = run_z(tshark, capture, "ntt,csv")
    rows = read_csv(text)
    report = tshark.report_json(capture)
    assert text.splitlines()[0].split(",") == FLOW_COLUMNS
    assert len(rows) == report["flows"]["count"]
    by_id = {int(r["id"]): r for r in rows}
    assert len(by_id) == len(rows)
    for flow in report["flows"]["top"]:
        assert list(flow) == FLOW_COLUMNS
        row = by_id[flow["id"]]
        assert all(json_equal(flow[k], row[k]) for k in FLOW_COLUMNS), (flow, row)
    states = collections.Counter(r["state"] for r in rows)
    assert dict(states) == report["flows"]["by_state"]
    assert sum(int(r["packets"]) for r in rows) == \
        report["summary"]["packets"] - report["protocols"]["non_ip"]["packets"]


def test_csv_flows_follow_the_filter(tshark):
    capture = CAPTURES / "http-dns.pcap"
    rows = read_csv(run_z(tshark, capture, f"ntt,csv,{WEB_AND_DNS}"))
    report = tshark.report_json(capture, tap_filter=WEB_AND_DNS)
    assert len(rows) == report["flows"]["count"]
    assert sum(int(r["packets"]) for r in rows) == report["summary"]["packets"]
    assert sum(int(r["bytes"]) for r in rows) == report["summary"]["bytes"]


def lab_blocklist(tshark, tmp_path, _capture):
    listed = tmp_path / "list.txt"
    listed.write_text(f"{BLOCKLIST_ATTACK['domain']}\n")
    return ("-o", f"ntt.blocklist_file:{tshark.readable(listed)}")


def geo_watch(tshark, _tmp_path, _capture):
    return city_prefs(tshark) + ("-o", "ntt.geo_watch_countries:de")


def baseline_with_threshold(tshark, tmp_path, capture):
    model = write_model(tshark, capture, tmp_path)
    return ("-o", f"ntt.anomaly_model:{tshark.readable(model)}",
            "-o", "ntt.anomaly_threshold:60")


# (id, capture or a function of (tmp_path, request) making one, a function
# of (tshark, tmp_path, capture) giving the preferences, the episode types
# raised):
# together every episode type but ddos (no capture here raises one), so
# that every kind of detail key (counts, rates, entropies, names, texts
# with the characters CSV quotes, countries, scores) and the attacker's
# place are read back.
ALERT_CASES = [(name[:-5], name, None, types) for name, types in (
    ("nmap-syn-scan.pcap", ["portscan"]),
    ("hping3-syn-flood-spoofed.pcap", ["synflood"]),
    ("ssh-bruteforce.pcap", ["bruteforce"]),
    ("nmap-ping-sweep.pcap", ["sweep"]),
    ("hping3-udp-flood.pcap", ["udpflood"]),
    ("hping3-icmp-flood.pcap", ["icmpflood"]),
    ("nmap-xmas-scan.pcap", ["flags", "portscan"]))] + [
    ("blocklist", "blocklist-download.pcap", lab_blocklist, ["blocklist"]),
    ("geo", "nmap-syn-scan.pcap", geo_watch, ["geo", "portscan"]),
    ("surge", lambda tmp_path, _r: surge_capture(tmp_path / "surge.pcap", TUESDAY_MORNING),
     lambda _t, _p, _c: WORK, ["surge", "surge"]),
    ("anomaly", lambda _p, request: request.getfixturevalue("bulk_capture"),
     baseline_with_threshold, ["anomaly"]),
]


def test_the_alert_cases_raise_every_episode_type_but_ddos():
    types = {t for case in ALERT_CASES for t in case[3]}
    assert types == {"portscan", "sweep", "synflood", "udpflood", "icmpflood",
                     "bruteforce", "flags", "blocklist", "geo", "anomaly", "surge"}


@pytest.mark.parametrize("capture,prefs,types", [c[1:] for c in ALERT_CASES],
                         ids=[c[0] for c in ALERT_CASES])
def test_csv_alerts_are_the_json_alerts(tshark, tmp_path, request, capture, prefs, types):
    capture = CAPTURES / capture if isinstance(capture, str) else capture(tmp_path, request)
    extra = tuple(prefs(tshark, tmp_path, capture)) if prefs else ()
    text = run_z(tshark, capture, "ntt,csv,alerts", extra=extra)
    rows = read_csv(text)
    header = text.splitlines()[0].split(",")
    alerts = tshark.report_json(capture, extra=extra)["alerts"]
    assert sorted({a["type"] for a in alerts}) == sorted(set(types))
    assert len(rows) == len(alerts) > 0
    for alert, row in zip(alerts, rows):
        assert set(alert) <= set(header)
        for key in header:
            if key in alert:
                assert json_equal(alert[key], row[key]), (key, alert, row)
            else:
                assert row[key] == "", (key, row)
    if "geo" in types:
        assert all(row["src_country"] and row["src_asn"] and row["src_org"] for row in rows)


def test_csv_alert_columns_are_the_ones_the_docs_list(tshark):
    header = run_z(tshark, CAPTURES / "http-dns.pcap", "ntt,csv,alerts").splitlines()[0]
    doc = (ROOT / "docs" / "exports.md").read_text()
    section = doc[doc.index("## `-z ntt,csv,alerts`"):]
    listed = [k for part in re.findall(r"`([a-z_]+(?:,\s+[a-z_]+)+)`", section)
              for k in re.split(r",\s+", part)]
    assert header.split(",") == listed


def test_csv_alerts_of_an_ordinary_capture_is_the_header_alone(tshark):
    rows = read_csv(run_z(tshark, CAPTURES / "http-dns.pcap", "ntt,csv,alerts"))
    assert rows == []


def test_a_bad_filter_is_named_and_no_file_is_written(tshark):
    capture = CAPTURES / "http-dns.pcap"
    for z in ("ntt,conn,tcp.port ==", "ntt,csv,ip.src == not-an-address"):
        proc = tshark.run(["-r", tshark.readable(capture), "-q", "-z", z], check=False)
        assert "ntt: could not start" in proc.stderr
        assert "#fields" not in proc.stdout and "id,proto" not in proc.stdout
