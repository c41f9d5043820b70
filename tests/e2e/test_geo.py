# SPDX-License-Identifier: GPL-2.0-or-later
"""GeoIP end to end: ntt.geo.* fields, the Geography report, alerts with
the attacker's country, unusual-geography episodes and bad databases.

Expected values come from tests/geo-fixtures/places.json through Python's
ipaddress module (geo_truth.py) and from plain tshark's own addresses and
frame lengths, never from ntt. MaxMind's official test databases in
../shared/reference/maxmind form a second tier (skipped when absent)."""
import bisect
import collections
import ipaddress
import json
import os
import pathlib
import re
import shutil
import sys

import pytest

import pcap_craft
from geo_truth import country, fixtures_dir, place, scope
from ntt_harness import CAPTURES, REFERENCE, ROOT, Tshark

MAXMIND = REFERENCE / "maxmind" / "test-data"
BOTH_FAMILIES = CAPTURES / "http-dns.pcap"       # IPv4 and IPv6 traffic
SCAN = CAPTURES / "nmap-syn-scan.pcap"           # 198.51.100.66 scans 203.0.113.20

GEO_FIELDS = ("country", "country_name", "city", "subdivision", "lat", "lon",
              "asn", "org", "scope")


def city_prefs(tshark, city="ntt-test-city.mmdb", asn="ntt-test-asn.mmdb"):
    prefs = []
    if city:
        prefs += ["-o", f"ntt.geoip_city_db:{tshark.readable(fixtures_dir() / city)}"]
    if asn:
        prefs += ["-o", f"ntt.geoip_asn_db:{tshark.readable(fixtures_dir() / asn)}"]
    return tuple(prefs)


def geo_rows(tshark, capture, prefs, two_pass=False):
    """Per IP packet: (src, dst, {src fields}, {dst fields})."""
    fields = ["ip.src", "ipv6.src", "ip.dst", "ipv6.dst"]
    for end in ("src", "dst"):
        fields += [f"ntt.geo.{end}.{f}" for f in GEO_FIELDS]
    rows = tshark.fields(capture, tuple(fields), two_pass=two_pass,
                         display_filter="ip || ipv6", extra=prefs)
    out = []
    n = len(GEO_FIELDS)
    for row in rows:
        src = row[0] or row[1]
        dst = row[2] or row[3]
        out.append((src, dst, dict(zip(GEO_FIELDS, row[4:4 + n])),
                    dict(zip(GEO_FIELDS, row[4 + n:4 + 2 * n]))))
    return out


def expected_fields(address, city=True, asn=True):
    p = place(address) or {}
    want = dict.fromkeys(GEO_FIELDS, "")
    want["country"] = country(address)
    if p.get("country"):
        want["country_name"] = p["country_name"]
    elif p.get("registered_country"):
        want["country_name"] = p["registered_country_name"]
    if city and p.get("city"):
        want["city"] = p["city"]
        want["subdivision"] = p["subdivision"]
        want["lat"] = p["lat"]
        want["lon"] = p["lon"]
    if asn and p.get("asn"):
        want["asn"] = str(p["asn"])
        want["org"] = p["org"]
    want["scope"] = scope(address)
    return want


def normalized(fields):
    out = dict(fields)
    for k in ("lat", "lon"):
        if out[k] != "":
            out[k] = round(float(out[k]), 4)
    return out


@pytest.mark.parametrize("two_pass", [False, True], ids=["1-pass", "2-pass"])
def test_fields_match_the_fixtures_for_both_ends_and_families(tshark, two_pass):
    rows = geo_rows(tshark, BOTH_FAMILIES, city_prefs(tshark), two_pass)
    families = collections.Counter(":" in src for src, _, _, _ in rows)
    assert families[True] > 10 and families[False] > 10    # IPv6 and IPv4 both seen
    placed = 0
    for src, dst, got_src, got_dst in rows:
        assert normalized(got_src) == expected_fields(src), (src, got_src)
        assert normalized(got_dst) == expected_fields(dst), (dst, got_dst)
        placed += bool(got_src["city"]) + bool(got_dst["city"])
    assert placed > len(rows)      # most ends are in the fixtures


def test_country_database_has_no_city_or_coordinates(tshark):
    prefs = city_prefs(tshark, city="ntt-test-country.mmdb", asn=None)
    rows = geo_rows(tshark, BOTH_FAMILIES, prefs)
    for src, _, got, _ in rows:
        assert normalized(got) == expected_fields(src, city=False, asn=False), (src, got)


def test_scope_needs_no_database(tshark):
    rows = geo_rows(tshark, BOTH_FAMILIES, ("-o", "ntt.geoip:FALSE"))
    assert rows
    for src, dst, got_src, got_dst in rows:
        assert got_src["scope"] == scope(src) and got_dst["scope"] == scope(dst)
        assert got_src["country"] == got_dst["country"] == ""


def report(tshark, capture, prefs, two_pass=False):
    return tshark.report_json(capture, two_pass=two_pass, extra=tuple(prefs))


def test_geography_counts_each_country_once_per_packet(tshark):
    """Packets and bytes per country and per AS, worked out from plain
    tshark's addresses and frame lengths."""
    rows = tshark.fields(BOTH_FAMILIES, ("ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
                                         "frame.len"),
                         display_filter="ip || ipv6", plugin=False)
    countries = collections.defaultdict(lambda: [0, 0])
    asns = collections.defaultdict(lambda: [0, 0])
    for s4, s6, d4, d6, length in rows:
        ends = [place(s4 or s6), place(d4 or d6)]
        for key, table in (("country", countries), ("asn", asns)):
            for value in {e[key] for e in ends if e and e.get(key)}:
                table[value][0] += 1
                table[value][1] += int(length)
    geo = report(tshark, BOTH_FAMILIES, city_prefs(tshark))["geo"]
    assert "GeoLite2-City built 2025-01-01" in geo["databases"]["location"]
    assert "GeoLite2-ASN built 2025-01-01" in geo["databases"]["asn"]
    assert {c["country"]: [c["packets"], c["bytes"]] for c in geo["countries"]} == countries
    assert {a["asn"]: [a["packets"], a["bytes"]] for a in geo["asns"]} == asns
    names = {c["country"]: c["name"] for c in geo["countries"]}
    assert names == {c: place_name(c) for c in countries}


def place_name(code):
    from geo_truth import PLACES
    return next(p["country_name"] for p in PLACES["networks"] if p.get("country") == code)


def test_text_report_names_the_databases_and_top_countries(tshark):
    out = tshark.run(["-r", tshark.readable(SCAN), "-q", "-z", "ntt,stats"]
                     + list(city_prefs(tshark))).stdout
    section = out[out.index("\nGeography"):]
    assert "location database: GeoLite2-City built 2025-01-01" in section
    assert "AS64501 Example Cloud GmbH" in section
    assert "alerted sources by country: DE 1" in section


def test_alerts_carry_the_attackers_country_and_as(tshark):
    prefs = city_prefs(tshark)
    alerts = report(tshark, SCAN, prefs)["alerts"]
    assert [(a["type"], a["src"], a["src_country"], a["src_asn"], a["src_org"])
            for a in alerts] == [("portscan", "198.51.100.66", "DE", 64501,
                                  "Example Cloud GmbH")]
    rows = tshark.fields(SCAN, ("ntt.alert.country", "ntt.alert.asn"), two_pass=True,
                         display_filter="ntt.alert.country == \"DE\"", extra=prefs)
    assert rows and set(rows) == {("DE", "64501")}


def geo_alerts(tshark, capture, prefs):
    return [a for a in report(tshark, capture, prefs)["alerts"] if a["type"] == "geo"]


def test_watched_country_raises_one_episode_per_external_address(tshark):
    prefs = city_prefs(tshark) + ("-o", "ntt.geo_watch_countries:de")
    alerts = geo_alerts(tshark, SCAN, prefs)
    assert [(a["src"], a["country"]) for a in alerts] == [("198.51.100.66", "DE")]
    # Every packet of 198.51.100.66's flows belongs to it (second pass).
    marked = tshark.fields(SCAN, ("frame.number",), two_pass=True,
                           display_filter='ntt.alert.type == "geo"', extra=prefs)
    truth = tshark.fields(SCAN, ("frame.number",), display_filter="ip.addr == 198.51.100.66",
                          plugin=False)
    assert marked == truth
    expert = tshark.run(["-r", tshark.readable(SCAN), "-q", "-z", "expert"] + list(prefs)).stdout
    geo_lines = [l for l in expert.splitlines() if "geo 198.51.100.66" in l]
    assert len(geo_lines) == 1 and geo_lines[0].split()[0] == "1", expert


def test_allowed_countries_flag_everything_else(tshark):
    assert geo_alerts(tshark, BOTH_FAMILIES,
                      city_prefs(tshark) + ("-o", "ntt.geo_allow_countries:GB,US")) == []
    alerts = geo_alerts(tshark, BOTH_FAMILIES,
                        city_prefs(tshark) + ("-o", "ntt.geo_allow_countries:GB"))
    rows = tshark.fields(BOTH_FAMILIES, ("ip.src", "ipv6.src", "ip.dst", "ipv6.dst"),
                         display_filter="ip || ipv6", plugin=False)
    us = {a for row in rows for a in row if a and country(a) == "US"}
    assert {a["src"] for a in alerts} == us
    assert {a["country"] for a in alerts} == {"US"}
    assert len(alerts) == len(us)


def test_malformed_country_list_is_refused_with_a_message(tshark):
    proc = tshark.run(["-r", tshark.readable(SCAN), "-q", "-z", "ntt,json",
                       "-o", "ntt.geo_watch_countries:DE,Germany"] + list(city_prefs(tshark)))
    assert "ntt.geo_watch_countries: 'Germany' is not an ISO 3166 country code" in proc.stderr
    data = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert [a["type"] for a in data["alerts"]] == ["portscan"]


def bad_database_run(tshark, path, pref="geoip_city_db"):
    proc = tshark.run(["-r", tshark.readable(SCAN), "-q", "-z", "ntt,json",
                       "-o", f"ntt.{pref}:{path}"])
    return proc, json.loads(proc.stdout[proc.stdout.index("{"):])


@pytest.mark.parametrize("kind", ["missing", "text", "empty", "truncated"])
def test_bad_database_gives_one_message_and_the_rest_works(tshark, kind, tmp_path):
    if kind == "missing":
        path = tmp_path / "nope.mmdb"
    else:
        path = tmp_path / f"{kind}.mmdb"
        if kind == "text":
            path.write_text("this is not a database\n" * 100)
        elif kind == "empty":
            path.write_bytes(b"")
        else:
            data = (fixtures_dir() / "ntt-test-city.mmdb").read_bytes()
            path.write_bytes(data[: len(data) // 2])
        path = tshark.readable(path)
    proc, data = bad_database_run(tshark, path)
    messages = [l for l in proc.stderr.splitlines() if "GeoIP location lookups are off" in l]
    assert len(messages) == 1, proc.stderr
    assert "preference ntt.geoip_city_db" in messages[0]
    assert data["flows"]["count"] > 1000 and data["alerts"][0]["type"] == "portscan"


# -- MaxMind's official test databases (third-party reference tier) --------

needs_maxmind = pytest.mark.skipif(not MAXMIND.is_dir(),
                                   reason=f"{MAXMIND} absent: reference tier skipped")


@needs_maxmind
def test_maxmind_test_databases_answer_as_their_sources_say(tshark, tmp_path):
    capture = tmp_path / "maxmind.pcap"
    pcap_craft.write_pcap(capture, [
        pcap_craft.ether(pcap_craft.ipv4("81.2.69.142", "1.128.0.1", 17,
                                         pcap_craft.udp(40000, 53, b"x"))),
        pcap_craft.ether(pcap_craft.ipv6("2001:480:10::1", "2001:480:10::2", 17,
                                         pcap_craft.udp(40000, 53, b"x")), 0x86DD),
    ])
    source = json.loads((MAXMIND.parent / "source-data" / "GeoIP2-City-Test.json").read_text())
    london = next(r["::81.2.69.142/127"] for r in source if "::81.2.69.142/127" in r)
    san_diego = next(r["2001:480:10::/48"] for r in source if "2001:480:10::/48" in r)
    asn_source = json.loads((MAXMIND.parent / "source-data" / "GeoLite2-ASN-Test.json").read_text())
    telstra = next(r["1.128.0.0/11"] for r in asn_source if "1.128.0.0/11" in r)
    prefs = ("-o", f"ntt.geoip_city_db:{tshark.readable(MAXMIND / 'GeoIP2-City-Test.mmdb')}",
             "-o", f"ntt.geoip_asn_db:{tshark.readable(MAXMIND / 'GeoLite2-ASN-Test.mmdb')}")
    rows = tshark.fields(capture, ("ntt.geo.src.country", "ntt.geo.src.city",
                                   "ntt.geo.dst.asn", "ntt.geo.dst.org"), extra=prefs)
    assert rows[0] == (london["country"]["iso_code"], london["city"]["names"]["en"],
                       str(telstra["autonomous_system_number"]),
                       telstra["autonomous_system_organization"])
    assert rows[0][:3] == ("GB", "London", "1221")
    assert rows[1][:2] == (san_diego["country"]["iso_code"], san_diego["city"]["names"]["en"])
    assert rows[1][:2] == ("US", "San Diego")


@needs_maxmind
@pytest.mark.parametrize("name", sorted(p.name for p in MAXMIND.glob("*.mmdb")
                                        if "roken" in p.name or "Invalid" in p.name)
                         if MAXMIND.is_dir() else ["none"])
def test_broken_maxmind_databases_never_crash(tshark, name):
    proc, data = bad_database_run(tshark, tshark.readable(MAXMIND / name))
    assert data["flows"]["count"] > 1000
    assert [a["type"] for a in data["alerts"]] == ["portscan"]


# -- ntt's open database: works with no MaxMind account ----------------------

OPEN_GEO = pathlib.Path(os.environ.get("NTT_OPEN_GEO") or
                        ROOT / "build" / "geo" / "ntt-open-geo.mmdb")
TOR_GEOIP = pathlib.Path("/usr/share/tor/geoip")
PUBLIC = ["8.8.8.8", "193.0.14.129", "2001:4860:4860::8888", "2a00:1450:4001:80b::200e"]


def tor_country(address):
    """The country Tor's geoip files (the open database's country source)
    give an address: parsed here, independently of the .mmdb."""
    ip = ipaddress.ip_address(address)
    path = TOR_GEOIP if ip.version == 4 else TOR_GEOIP.with_name("geoip6")
    n = int(ip)
    for line in path.read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        start, end, code = line.split(",")
        lo, hi = ((int(start), int(end)) if ip.version == 4 else
                  (int(ipaddress.ip_address(start)), int(ipaddress.ip_address(end))))
        if lo <= n <= hi:
            return "" if code == "??" else code
    return ""


@pytest.mark.skipif(not OPEN_GEO.exists(), reason=f"{OPEN_GEO} not built "
                    "(tor-geoipdb / libloc-database missing)")
def test_open_database_answers_out_of_the_box(tmp_path):
    """A fresh user: no preference, no MaxMind database, only ntt's open
    database where the install puts it (~/.local/share/ntt)."""
    import location                     # python3-location, libloc's own reader
    sys.path.insert(0, str(ROOT / "packaging"))
    from libloc_oracle import Libloc      # lookup() as it should answer (trixie's misses some)
    libloc = Libloc(location.Database("/usr/share/libloc-location/location.db"))
    capture = tmp_path / "public.pcap"
    pcap_craft.write_pcap(capture, [
        pcap_craft.ether(pcap_craft.ipv4(PUBLIC[0], PUBLIC[1], 17, pcap_craft.udp(40000, 53, b"x"))),
        pcap_craft.ether(pcap_craft.ipv6(PUBLIC[2], PUBLIC[3], 17, pcap_craft.udp(40000, 53, b"x")),
                         0x86DD),
    ])
    fresh = Tshark()
    try:
        data_dir = pathlib.Path(fresh.home) / ".local" / "share" / "ntt"
        data_dir.mkdir(parents=True)
        shutil.copyfile(OPEN_GEO, data_dir / "ntt-open-geo.mmdb")
        rows = fresh.fields(capture, ("ntt.geo.src.country", "ntt.geo.src.asn",
                                      "ntt.geo.dst.country", "ntt.geo.dst.asn",
                                      "ntt.geo.src.city"))
        for row, (src, dst) in zip(rows, [(PUBLIC[0], PUBLIC[1]), (PUBLIC[2], PUBLIC[3])]):
            want = (tor_country(src), str(libloc.asn(src)[0]),
                    tor_country(dst), str(libloc.asn(dst)[0]), "")
            assert row == want, (src, dst)
        assert rows[0][:2] == ("US", "15169")
        out = fresh.run(["-r", fresh.readable(capture), "-q", "-z", "ntt,json"]).stdout
        geo = json.loads(out[out.index("{"):])["geo"]
        assert geo["databases"]["location"].startswith("ntt-open-country-asn built ")
        assert geo["databases"]["location"] == geo["databases"]["asn"]
        org = next(a["org"] for a in geo["asns"] if a["asn"] == 15169)
        assert org == libloc.db.get_as(15169).name
    finally:
        fresh.close()


def test_databases_in_wiresharks_maxmind_folders_are_found(tmp_path):
    """No ntt preference: a City database in a folder of Wireshark's own
    "MaxMind database directories" preference (its maxmind_db_paths file)
    is used, as Wireshark itself would."""
    fresh = Tshark()
    try:
        folder = pathlib.Path(fresh.workdir) / "my dbs"      # a space, escaped by no one
        folder.mkdir()
        shutil.copyfile(fixtures_dir() / "ntt-test-city.mmdb", folder / "GeoLite2-City.mmdb")
        os.chmod(folder, 0o755)
        os.chmod(folder / "GeoLite2-City.mmdb", 0o644)
        config = pathlib.Path(fresh.home) / ".config" / "wireshark"
        config.mkdir(parents=True)
        (config / "maxmind_db_paths").write_text(
            "# This file is automatically generated, DO NOT MODIFY.\n"
            f"\"{folder}\"\n")
        out = fresh.run(["-r", fresh.readable(SCAN), "-q", "-z", "ntt,json"]).stdout
        geo = json.loads(out[out.index("{"):])["geo"]
        assert geo["databases"]["location"] == \
            f"GeoLite2-City built 2025-01-01 ({folder}/GeoLite2-City.mmdb)"
        assert {c["country"] for c in geo["countries"]} == {"GB", "DE", "US"}
    finally:
        fresh.close()


def quickstart_capture():
    """The capture packaging/quickstart.sh reports on by default."""
    text = (ROOT / "packaging" / "quickstart.sh").read_text()
    return ROOT / re.search(r"set -- -r (\S+) -q -z ntt,stats", text).group(1)


@pytest.mark.skipif(not OPEN_GEO.exists(), reason=f"{OPEN_GEO} not built "
                    "(tor-geoipdb / libloc-database missing)")
def test_the_quickstart_report_has_no_empty_section():
    """The first thing a new user sees shows what ntt is for: an attack,
    flows and, with only the open database installed, geography."""
    capture = quickstart_capture()
    fresh = Tshark()
    try:
        data_dir = pathlib.Path(fresh.home) / ".local" / "share" / "ntt"
        data_dir.mkdir(parents=True)
        shutil.copyfile(OPEN_GEO, data_dir / "ntt-open-geo.mmdb")
        text = fresh.run(["-r", fresh.readable(capture), "-q", "-z", "ntt,stats"]).stdout
        ends = fresh.fields(capture, ("ip.src", "ip.dst"), plugin=False)
    finally:
        fresh.close()
    assert "(no address placed" not in text and "(none)" not in text
    assert re.search(r"^Alerts: [1-9]\d* episodes? ", text, re.M), text
    assert re.search(r"^Flows: [1-9]", text, re.M), text
    geo = text[text.index("\nGeography\n"):text.index("\nEngine\n")]
    rows = re.findall(r"^  ([A-Z]{2}) .*?\s(\d+)\s+\d+$", geo, re.M)
    # Tor's own country files, read here, place the capture's ends too.
    starts, ranges = [], []
    for line in TOR_GEOIP.read_text().splitlines():
        if line and not line.startswith("#"):
            lo, hi, code = line.split(",")
            starts.append(int(lo))
            ranges.append((int(hi), code))
    placed = collections.Counter()
    for src, dst in ends:
        for a in (src, dst):
            if not a:
                continue
            i = bisect.bisect_right(starts, int(ipaddress.ip_address(a))) - 1
            if i >= 0 and int(ipaddress.ip_address(a)) <= ranges[i][0] and ranges[i][1] != "??":
                placed[ranges[i][1]] += 1
    assert rows and placed
    assert rows[0][0] == placed.most_common(1)[0][0]
