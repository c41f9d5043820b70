# SPDX-License-Identifier: GPL-2.0-or-later
"""-z ntt,kml and -z ntt,geojson: the documents parse, have the shape
their formats require (KML 2.2's Document/Placemark/Point/LineString,
RFC 7946's FeatureCollection with [longitude, latitude] positions), and
say what plain tshark and the fixtures' source say: one point per placed
address with its packets and bytes, one line per pair of placed
addresses that exchanged packets, with the bytes between them, and the
attacker styled apart."""
import collections
import json
import math
import xml.etree.ElementTree as ET

import pytest

from geo_truth import fixtures_dir, place
from ntt_harness import CAPTURES

KML = "{http://www.opengis.net/kml/2.2}"
SCAN = CAPTURES / "nmap-syn-scan.pcap"
MIXED = CAPTURES / "http-dns.pcap"


def prefs(tshark):
    return ["-o", f"ntt.geoip_city_db:{tshark.readable(fixtures_dir() / 'ntt-test-city.mmdb')}",
            "-o", f"ntt.geoip_asn_db:{tshark.readable(fixtures_dir() / 'ntt-test-asn.mmdb')}"]


def render(tshark, capture, kind, tap_filter=None, extra=()):
    z = f"ntt,{kind}" + (f",{tap_filter}" if tap_filter else "")
    out = tshark.run(["-r", tshark.readable(capture), "-q", "-z", z] + prefs(tshark)
                     + list(extra)).stdout
    start = out.index("<?xml") if kind == "kml" else out.index("{")
    return out[start:]


def truth(tshark, capture, display_filter=None):
    """From plain tshark: per placed address (packets, bytes); per
    unordered pair of placed addresses (packets, bytes)."""
    flt = f"(ip || ipv6) && ({display_filter})" if display_filter else "ip || ipv6"
    rows = tshark.fields(capture, ("ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "frame.len"),
                         display_filter=flt, plugin=False)
    points = collections.defaultdict(lambda: [0, 0])
    lines = collections.defaultdict(lambda: [0, 0])
    for s4, s6, d4, d6, length in rows:
        src, dst = s4 or s6, d4 or d6
        placed = [a for a in (src, dst) if place(a) and "lat" in place(a)]
        for a in set(placed):
            points[a][0] += 1
            points[a][1] += int(length)
        if len(placed) == 2 and src != dst:
            key = tuple(sorted((src, dst)))
            lines[key][0] += 1
            lines[key][1] += int(length)
    return points, lines


def kml_features(doc):
    root = ET.fromstring(doc)
    assert root.tag == f"{KML}kml"
    document = root.find(f"{KML}Document")
    assert document is not None
    styles = {s.get("id") for s in document.findall(f"{KML}Style")}
    assert {"endpoint", "attacker"} <= styles
    points, lines = {}, {}
    for pm in document.iter(f"{KML}Placemark"):
        data = {d.get("name"): d.find(f"{KML}value").text or ""
                for d in pm.iter(f"{KML}Data")}
        point = pm.find(f"{KML}Point")
        line = pm.find(f"{KML}LineString")
        assert (point is None) != (line is None)
        if point is not None:
            lon, lat = map(float, point.find(f"{KML}coordinates").text.split(","))
            points[data["address"]] = (lon, lat, int(data["packets"]), int(data["bytes"]),
                                       pm.find(f"{KML}styleUrl").text)
        else:
            coords = [tuple(map(float, c.split(",")))
                      for c in line.find(f"{KML}coordinates").text.split()]
            assert len(coords) == 2
            a, b = pm.find(f"{KML}name").text.split(" - ")
            lines[tuple(sorted((a, b)))] = (coords, int(data["packets"]), int(data["bytes"]))
    return points, lines


def test_kml_points_and_lines_match_the_capture(tshark):
    points, lines = kml_features(render(tshark, SCAN, "kml"))
    want_points, want_lines = truth(tshark, SCAN)
    assert {a: v[2:4] for a, v in points.items()} == \
        {a: tuple(v) for a, v in want_points.items()}
    for address, (lon, lat, _, _, style) in points.items():
        assert (round(lat, 4), round(lon, 4)) == (place(address)["lat"], place(address)["lon"])
        assert style == ("#attacker" if address == "198.51.100.66" else "#endpoint")
    assert {k: v[1:] for k, v in lines.items()} == {k: tuple(v) for k, v in want_lines.items()}
    assert ("198.51.100.66", "203.0.113.20") in lines


def test_geojson_is_rfc7946_and_matches_the_kml(tshark):
    doc = json.loads(render(tshark, MIXED, "geojson"))
    assert doc["type"] == "FeatureCollection"
    want_points, want_lines = truth(tshark, MIXED)
    points, lines = {}, {}
    for f in doc["features"]:
        assert f["type"] == "Feature" and set(f) == {"type", "geometry", "properties"}
        geom = f["geometry"]
        if geom["type"] == "Point":
            lon, lat = geom["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            p = f["properties"]
            assert (round(lat, 4), round(lon, 4)) == (place(p["address"])["lat"],
                                                      place(p["address"])["lon"])
            assert p["country"] == place(p["address"])["country"]
            points[p["address"]] = (p["packets"], p["bytes"])
        else:
            assert geom["type"] == "LineString" and len(geom["coordinates"]) == 2
            for position in geom["coordinates"]:
                assert len(position) == 2 and all(isinstance(x, float) for x in position)
            p = f["properties"]
            assert 1.0 <= p["weight"] <= 8.0
            lines[tuple(sorted((p["a"], p["b"])))] = (p["packets"], p["bytes"])
    assert points == {a: tuple(v) for a, v in want_points.items()}
    assert lines == {k: tuple(v) for k, v in want_lines.items()}
    assert any(":" in a for a in points) and any("." in a for a in points)
    # Heavier conversations are drawn wider.
    weights = sorted(((p["properties"]["bytes"], p["properties"]["weight"])
                      for p in doc["features"] if p["geometry"]["type"] == "LineString"))
    assert all(w1 <= w2 for (_, w1), (_, w2) in zip(weights, weights[1:]))
    assert math.isclose(weights[-1][1], 8.0)


def test_a_filter_narrows_the_map(tshark):
    doc = json.loads(render(tshark, MIXED, "geojson", tap_filter="ipv6"))
    points = {f["properties"]["address"]: (f["properties"]["packets"], f["properties"]["bytes"])
              for f in doc["features"] if f["geometry"]["type"] == "Point"}
    want_points, _ = truth(tshark, MIXED, display_filter="ipv6")
    assert points == {a: tuple(v) for a, v in want_points.items()}
    assert points and all(":" in a for a in points)


def test_without_a_location_database_the_map_is_empty_but_valid(tshark):
    out = tshark.run(["-r", tshark.readable(SCAN), "-q", "-z", "ntt,kml",
                      "-o", "ntt.geoip:FALSE"]).stdout
    points, lines = kml_features(out[out.index("<?xml"):])
    assert points == {} and lines == {}
    out = tshark.run(["-r", tshark.readable(SCAN), "-q", "-z", "ntt,geojson",
                      "-o", "ntt.geoip:FALSE"]).stdout
    assert json.loads(out[out.index("{"):]) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize("kind", ["kml", "geojson"])
def test_bad_argument_is_refused(tshark, kind):
    proc = tshark.run(["-r", tshark.readable(SCAN), "-q", "-z", f"ntt,{kind}x"], check=False)
    # ntt's own refusal, naming the argument and the form it takes.
    assert f'ntt: invalid "-z ntt,{kind}x" argument; use -z ntt,{kind}[,filter]' in proc.stderr
    assert "<kml" not in proc.stdout and "FeatureCollection" not in proc.stdout
