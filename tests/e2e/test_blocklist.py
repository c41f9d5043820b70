# SPDX-License-Identifier: GPL-2.0-or-later
"""Blocklist end to end: the lab capture in which a client resolves and
downloads from a blocklisted name (captures/blocklist-download.pcap),
every kind of entry, names from DNS, HTTP and TLS, the report, and bad
lists. Expected frames, addresses and byte counts come from
captures/ground-truth.json and from plain tshark, never from ntt."""
import json

import pytest

import pcap_craft
from ntt_harness import CAPTURES

CAPTURE = CAPTURES / "blocklist-download.pcap"
TRUTH = json.loads((CAPTURES / "ground-truth.json").read_text())["files"]
ATTACK = next(a for a in TRUTH["blocklist-download.pcap"]["attacks"] if a["type"] == "blocklist")


def write_list(tshark, tmp_path, text, name="list.txt"):
    path = tmp_path / name
    path.write_text(text)
    return tshark.readable(path)


def run_json(tshark, capture, blocklist, *extra):
    args = ["-r", tshark.readable(capture), "-q", "-z", "ntt,json",
            "-o", f"ntt.blocklist_file:{blocklist}"] + list(extra)
    proc = tshark.run(args)
    return proc, json.loads(proc.stdout[proc.stdout.index("{"):])


def blocklist_alerts(data):
    return [a for a in data["alerts"] if a["type"] == "blocklist"]


def plain_frames(tshark, capture, display_filter):
    return [int(r[0]) for r in tshark.fields(capture, ("frame.number",),
                                             display_filter=display_filter, plugin=False)]


def marked_frames(tshark, capture, blocklist, two_pass=True):
    rows = tshark.fields(capture, ("frame.number",), two_pass=two_pass,
                         display_filter='ntt.alert.type == "blocklist"',
                         extra=("-o", f"ntt.blocklist_file:{blocklist}"))
    return [int(r[0]) for r in rows]


def test_lookup_and_download_of_a_listed_name(tshark, tmp_path):
    blocklist = write_list(tshark, tmp_path, f"# lab\n{ATTACK['domain']}\n")
    _, data = run_json(tshark, CAPTURE, blocklist)
    alerts = blocklist_alerts(data)
    assert len(alerts) == 1, alerts
    a = alerts[0]
    assert (a["src"], a["dst"], a["entry"]) == (ATTACK["src"], ATTACK["dst"], ATTACK["domain"])
    # The download: every frame byte the bad address sent the client.
    assert a["bytes_received"] == ATTACK["bytes_from_ip"]
    assert a["uri"] == ATTACK["url"].split(ATTACK["domain"], 1)[1]
    assert a["first_frame"] == min(ATTACK["dns_query_frames"]) == a["detect_frame"]
    # Once the file is read, the episode is the lookups of the name and
    # every packet to or from the address the answer gave.
    truth = plain_frames(tshark, CAPTURE, f'dns.qry.name == "{ATTACK["domain"]}" || '
                                          f'ip.addr == {ATTACK["dst"]}')
    assert marked_frames(tshark, CAPTURE, blocklist) == truth
    assert a["packets"] == len(truth)
    # Nothing else in the capture is blocklisted.
    assert [x["type"] for x in data["alerts"]] == ["blocklist"]


def test_single_pass_marks_from_the_first_hit_on(tshark, tmp_path):
    blocklist = write_list(tshark, tmp_path, f"{ATTACK['domain']}\n")
    assert marked_frames(tshark, CAPTURE, blocklist, two_pass=False) == \
        marked_frames(tshark, CAPTURE, blocklist, two_pass=True)   # detected at its first frame


@pytest.mark.parametrize("entry,indicator", [
    ("203.0.113.80", "ip"),
    ("203.0.113.80/29", "cidr"),
    ("203.0.113.0/24", "cidr"),      # every server: one episode per (host, entry)
])
def test_address_entries_mark_the_flows_to_them(tshark, tmp_path, entry, indicator):
    blocklist = write_list(tshark, tmp_path, f"{entry}\n")
    _, data = run_json(tshark, CAPTURE, blocklist)
    alerts = blocklist_alerts(data)
    contacted = tshark.fields(CAPTURE, ("frame.number", "ip.dst"),
                              display_filter=f"ip.src == {ATTACK['src']} && ip.dst == {entry}",
                              plugin=False)
    first_frame, first_dst = contacted[0]
    assert [(a["src"], a["dst"], a["entry"], a["first_frame"]) for a in alerts] == \
        [(ATTACK["src"], first_dst, entry, int(first_frame))]
    got = tshark.fields(CAPTURE, ("ntt.blocklist.indicator", "ntt.blocklist.entry",
                                  "ntt.blocklist.host", "ntt.blocklist.line"),
                        two_pass=True, display_filter="ntt.alert",
                        extra=("-o", f"ntt.blocklist_file:{blocklist}"))
    assert set(got) == {(indicator, entry, ATTACK["src"], "1")}
    # An address entry matches the traffic with the listed addresses (not
    # the lookups of names that resolve there).
    assert marked_frames(tshark, CAPTURE, blocklist) == \
        plain_frames(tshark, CAPTURE, f"ip.addr == {entry}")
    from_listed = tshark.fields(CAPTURE, ("frame.len",), display_filter=f"ip.src == {entry}",
                                plugin=False)
    assert alerts[0]["bytes_received"] == sum(int(r[0]) for r in from_listed)


@pytest.mark.parametrize("entry,hit", [
    (".bad.example", True),          # the name and everything below
    ("*.bad.example", True),         # strictly below
    ("MALWARE.Bad.Example.", True),  # case and a trailing dot do not matter
    ("*.malware.bad.example", False),
    ("bad.example", False),          # an exact name is only itself
    ("alware.bad.example", False),
])
def test_domain_entry_forms(tshark, tmp_path, entry, hit):
    blocklist = write_list(tshark, tmp_path, f"{entry}\n")
    alerts = blocklist_alerts(run_json(tshark, CAPTURE, blocklist)[1])
    if hit:
        assert [(a["dst"], a["bytes_received"]) for a in alerts] == \
            [(ATTACK["dst"], ATTACK["bytes_from_ip"])]
    else:
        assert alerts == []


def test_http_host_of_a_listed_name(tshark, tmp_path):
    """files.lab.example: its lookups and its download, found by name."""
    blocklist = write_list(tshark, tmp_path, "files.lab.example\n")
    alerts = blocklist_alerts(run_json(tshark, CAPTURE, blocklist)[1])
    assert [(a["dst"], a["uri"]) for a in alerts] == [("203.0.113.21", "/payload.bin")]
    from_server = tshark.fields(CAPTURE, ("frame.len",), display_filter="ip.src == 203.0.113.21",
                                plugin=False)
    assert alerts[0]["bytes_received"] == sum(int(r[0]) for r in from_server)


def client_hello(sni):
    """A TLS 1.2 ClientHello carrying one server_name."""
    name = sni.encode()
    server_name = b"\x00" + len(name).to_bytes(2, "big") + name
    ext = b"\x00\x00" + (len(server_name) + 2).to_bytes(2, "big") + \
        len(server_name).to_bytes(2, "big") + server_name
    body = b"\x03\x03" + bytes(32) + b"\x00" + b"\x00\x02\xc0\x2f" + b"\x01\x00" + \
        len(ext).to_bytes(2, "big") + ext
    handshake = b"\x01" + len(body).to_bytes(3, "big") + body
    return b"\x16\x03\x01" + len(handshake).to_bytes(2, "big") + handshake


def test_tls_server_name(tshark, tmp_path):
    capture = tmp_path / "tls.pcap"
    tcp = pcap_craft.tcp
    c, s = "10.0.0.5", "198.51.100.9"
    pcap_craft.write_pcap(capture, [
        pcap_craft.ether(pcap_craft.ipv4(c, s, 6, tcp(50000, 443, 0x02, seq=100))),
        pcap_craft.ether(pcap_craft.ipv4(s, c, 6, tcp(443, 50000, 0x12, seq=900))),
        pcap_craft.ether(pcap_craft.ipv4(c, s, 6, tcp(50000, 443, 0x18, seq=101,
                                                      data=client_hello("c2.evil.example")))),
        pcap_craft.ether(pcap_craft.ipv4(s, c, 6, tcp(443, 50000, 0x18, seq=901, data=b"\x17" * 300))),
    ])
    assert tshark.fields(capture, ("tls.handshake.extensions_server_name",),
                         display_filter="tls.handshake", plugin=False) == [("c2.evil.example",)]
    blocklist = write_list(tshark, tmp_path, "*.evil.example\n")
    alerts = blocklist_alerts(run_json(tshark, capture, blocklist)[1])
    assert [(a["src"], a["dst"], a["bytes_received"]) for a in alerts] == [(c, s, 354)]
    assert alerts[0]["first_frame"] == 3         # the ClientHello names it


def test_report_lists_destinations_per_host(tshark, tmp_path):
    blocklist = write_list(tshark, tmp_path, "malware.bad.example\nfiles.lab.example\n")
    _, data = run_json(tshark, CAPTURE, blocklist)
    section = data["blocklist"]
    assert section["entries"] == 2
    assert [h["host"] for h in section["hosts"]] == [ATTACK["src"]]
    dests = {d["entry"]: d for d in section["hosts"][0]["destinations"]}
    assert set(dests) == {"malware.bad.example", "files.lab.example"}
    bad = dests["malware.bad.example"]
    assert (bad["dst"], bad["line"], bad["indicator"], bad["bytes_received"], bad["uri"]) == \
        (ATTACK["dst"], 1, "domain", ATTACK["bytes_from_ip"], "/payload.bin")
    assert bad["first"] <= bad["last"]
    text = tshark.run(["-r", tshark.readable(CAPTURE), "-q", "-z", "ntt,stats",
                       "-o", f"ntt.blocklist_file:{blocklist}"]).stdout
    assert "Blocklist: 2 entries, 2 contacts" in text
    assert f"host {ATTACK['src']}" in text
    assert f"malware.bad.example (domain, line 1) -> {ATTACK['dst']}" in text
    assert f"received {ATTACK['bytes_from_ip']} bytes" in text


def test_malformed_lines_are_reported_and_the_rest_works(tshark, tmp_path):
    blocklist = write_list(tshark, tmp_path,
                           "# bad lines around a good one\n300.1.2.3\n10.1.2.3/8\n"
                           "malware.bad.example\nbad..name\n")
    proc, data = run_json(tshark, CAPTURE, blocklist)
    assert "3 malformed lines skipped in blocklist" in proc.stderr
    for line in (2, 3, 5):
        assert f"list.txt:{line}:" in proc.stderr
    assert "10.0.0.0/8" in proc.stderr           # the hint for host bits
    assert [a["dst"] for a in blocklist_alerts(data)] == [ATTACK["dst"]]
    assert data["blocklist"]["entries"] == 1


@pytest.mark.parametrize("kind", ["missing", "directory"])
def test_unreadable_list_gives_one_message_and_the_rest_works(tshark, tmp_path, kind):
    path = tmp_path / "nope.txt" if kind == "missing" else tshark.workdir
    proc, data = run_json(tshark, CAPTURE, path)
    messages = [l for l in proc.stderr.splitlines() if "blocklist off" in l]
    assert len(messages) == 1 and "preference ntt.blocklist_file" in messages[0]
    assert data["blocklist"] is None and data["alerts"] == []
    without = tshark.report_json(CAPTURE)
    assert data["flows"] == without["flows"] and data["summary"] == without["summary"]


@pytest.mark.parametrize("name", sorted(n for n in TRUTH if TRUTH[n]["benign"]))
def test_benign_captures_hit_nothing_on_a_list_that_names_none_of_them(tshark, tmp_path, name):
    blocklist = write_list(tshark, tmp_path, "malware.bad.example\n192.0.2.200\n2001:db8:bad::/48\n")
    assert blocklist_alerts(run_json(tshark, CAPTURES / name, blocklist)[1]) == []
