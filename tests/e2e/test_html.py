# SPDX-License-Identifier: GPL-2.0-or-later
"""-z ntt,html: the page parses (balanced tags, each chart as XML), every
number it shows is the JSON report's (each carries its data-json path and
data-value, and reads as the one rounding rule makes of that value),
sections without content are left out, nothing from a capture becomes
markup, and nothing is fetched from anywhere. One tshark run per case
writes -z ntt,json, -z ntt,html and -z ntt,geojson together, so the three
are of the very same dissection."""
import functools
import html.parser
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import pcap_craft
from ntt_harness import CAPTURES, plugin_path
from test_geo import city_prefs

LAB_BLOCKLIST = CAPTURES / "lab-blocklist.txt"
HOSTILE_URI = "/\"><script>alert(1)</script><img/src=x/onerror=alert(1)>&'"
HOSTILE_FILTER = 'frame.len > 0 || frame contains "<script>"'


def hostile_capture(path):
    """An HTTP download from a listed name whose URI is markup."""
    c, s = "10.0.0.5", "198.51.100.9"
    request = (f"GET {HOSTILE_URI} HTTP/1.1\r\nHost: cdn.evil.example\r\n\r\n").encode()
    response = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n<script>!"
    tcp, ip, eth = pcap_craft.tcp, pcap_craft.ipv4, pcap_craft.ether
    pcap_craft.write_pcap(path, [
        eth(ip(c, s, 6, tcp(50000, 80, 0x02, seq=100))),
        eth(ip(s, c, 6, tcp(80, 50000, 0x12, seq=900))),
        eth(ip(c, s, 6, tcp(50000, 80, 0x18, seq=101, data=request))),
        eth(ip(s, c, 6, tcp(80, 50000, 0x18, seq=901, data=response))),
    ])


def scans_capture(path):
    """14 scanners in turn, 3 s apart, each with 10 unanswered SYNs to
    distinct ports of one host (a portscan episode each), and a client's
    DNS-port datagram every second all along."""
    packets, times = [], []
    for k in range(14):
        for j in range(10):
            packets.append(pcap_craft.ether(pcap_craft.ipv4(
                f"198.51.100.{10 + k}", "203.0.113.20", 6,
                pcap_craft.tcp(40000 + j, 1000 + j, 0x02))))
            times.append(k * 3 + j * 0.2)
    for t in range(45):
        packets.append(pcap_craft.ether(pcap_craft.ipv4(
            "10.0.0.5", "10.0.0.53", 17, pcap_craft.udp(5353, 53, b"x" * 20))))
        times.append(t + 0.5)
    order = sorted(range(len(packets)), key=lambda i: times[i])
    pcap_craft.write_pcap(path, [packets[i] for i in order], times=[times[i] for i in order])


CRAFTED = {"hostile": hostile_capture, "scans": scans_capture}

# name -> (capture, extra tshark arguments, tap filter); the attack with
# geography and working hours, a scan, the blocklist lab, ordinary
# traffic, a filtered report, and the hostile capture.
CASES = {
    "synflood-geo": ("hping3-syn-flood-spoofed.pcap", ("city", "-o", "ntt.work_hours:09:00-17:00"),
                     None),
    "scan": ("nmap-syn-scan.pcap", (), None),
    "blocklist": ("blocklist-download.pcap", ("blocklist",), None),
    "benign": ("busy-client.pcap", (), None),
    "filtered": ("hping3-syn-flood-spoofed.pcap", ("city",), "ip.src == 192.0.2.10 || tcp.flags.syn == 1"),
    "hostile": ("hostile", ("hostile-list",), HOSTILE_FILTER),
    "scans": ("scans", (), None),
}


@pytest.fixture(scope="module")
def outputs(tshark, tmp_path_factory):
    """name -> (html text, JSON report, GeoJSON), computed on first use."""
    folder = tmp_path_factory.mktemp("html")

    @functools.lru_cache(maxsize=None)
    def get(name):
        capture, extra, tap_filter = CASES[name]
        args = []
        for word in extra:
            if word == "city":
                args += list(city_prefs(tshark))
            elif word == "blocklist":
                args += ["-o", f"ntt.blocklist_file:{tshark.readable(LAB_BLOCKLIST)}"]
            elif word == "hostile-list":
                listed = folder / "hostile-list.txt"
                listed.write_text("*.evil.example\n")
                args += ["-o", f"ntt.blocklist_file:{tshark.readable(listed)}"]
            else:
                args.append(word)
        if capture in CRAFTED:
            path = folder / f"{capture}.pcap"
            CRAFTED[capture](path)
        else:
            path = CAPTURES / capture
        suffix = f",{tap_filter}" if tap_filter else ""
        out = tshark.run(["-r", tshark.readable(path), "-q"] + args +
                         ["-z", "ntt,json" + suffix, "-z", "ntt,html" + suffix,
                          "-z", "ntt,geojson" + suffix]).stdout
        return split_outputs(out)
    return get


def split_outputs(text):
    start = text.index("<!DOCTYPE html>")
    end = text.index("</html>\n", start) + len("</html>\n")
    page, rest = text[start:end], text[:start] + text[end:]
    docs, decoder, pos = [], json.JSONDecoder(), 0
    while True:
        while pos < len(rest) and rest[pos].isspace():
            pos += 1
        if pos >= len(rest):
            break
        doc, pos = decoder.raw_decode(rest, pos)
        docs.append(doc)
    report = next(d for d in docs if d.get("tool") == "ntt")
    geojson = next(d for d in docs if d.get("type") == "FeatureCollection")
    return page, report, geojson


# --- reading the page -------------------------------------------------

VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.parts = [], []      # parts: text and children, in order

    def add_text(self, text):
        self.parts.append(text)

    def add_child(self, child):
        self.children.append(child)
        self.parts.append(child)

    def all_text(self):
        return "".join(p if isinstance(p, str) else p.all_text() for p in self.parts)

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


class StrictTree(html.parser.HTMLParser):
    """A tree of the page; fails on a closing tag that does not close the
    innermost open element, on anything left open, and on an entity that
    is not one the writer uses."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.root = Element("#root", (), None)
        self.open = self.root
        self.decl = None

    def handle_decl(self, decl):
        self.decl = decl

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.open)
        self.open.add_child(element)
        if tag not in VOID:
            self.open = element

    def handle_startendtag(self, tag, attrs):
        self.open.add_child(Element(tag, attrs, self.open))

    def handle_endtag(self, tag):
        assert tag not in VOID, f"</{tag}>"
        assert self.open.tag == tag, f"</{tag}> closes <{self.open.tag}>"
        self.open = self.open.parent

    def handle_data(self, data):
        self.open.add_text(data)

    def handle_entityref(self, name):
        assert name in ("lt", "gt", "amp", "quot"), f"&{name};"
        self.open.add_text({"lt": "<", "gt": ">", "amp": "&", "quot": '"'}[name])

    def handle_charref(self, name):
        assert name == "39", f"&#{name};"
        self.open.add_text("'")


def parse(page):
    tree = StrictTree()
    tree.feed(page)
    tree.close()
    assert tree.open is tree.root, f"<{tree.open.tag}> left open"
    assert tree.decl == "DOCTYPE html"
    return tree.root


# --- the JSON side ----------------------------------------------------

def json_at(report, path):
    value = report
    for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        value = value[int(index)] if index else value[key]
    return value


IDENTIFIERS = {"id", "sport", "dport", "port", "episode", "first_frame", "detect_frame",
               "last_frame", "line", "asn", "peak_second", "peak_bin", "seed"}


def shown(value, path):
    """The rounding rule of html-text.h, written out again here."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    key = re.sub(r"\[\d+\]$", "", path).rsplit(".", 1)[-1]
    end, _, name = key.partition("_")
    if key in IDENTIFIERS or (end in ("src", "dst") and name in IDENTIFIERS):
        return str(value)
    return measure_shown(value)


def measure_shown(value):
    """A count or measure: the rule's rounding, whatever its key."""
    if abs(value) >= 999.5 or float(value).is_integer():
        return f"{value:,.0f}"
    return format(value, "#.3g").rstrip(".")


def literal(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6f}"
    return str(value)


def valued(root):
    return [e for e in root.walk() if "data-json" in e.attrs and "data-value" in e.attrs]


# --- the tests --------------------------------------------------------

@pytest.mark.parametrize("name", CASES)
def test_the_page_parses_and_each_chart_is_xml(outputs, name):
    page, _report, _geo = outputs(name)
    root = parse(page)
    assert [c.tag for c in root.children] == ["html"]
    charts = re.findall(r"<svg xmlns=.*?</svg>", page, flags=re.S)
    assert charts
    for svg in charts:
        element = ET.fromstring(svg)
        assert element.tag == "{http://www.w3.org/2000/svg}svg"
        assert element.find("{http://www.w3.org/2000/svg}title").text


@pytest.mark.parametrize("name", CASES)
def test_every_number_shown_is_the_json_reports(outputs, name):
    page, report, _geo = outputs(name)
    root = parse(page)
    checked = 0
    for e in valued(root):
        path = e.attrs["data-json"]
        want = json_at(report, path)
        if isinstance(want, float):
            assert float(e.attrs["data-value"]) == pytest.approx(want, abs=5e-7), path
        else:
            assert e.attrs["data-value"] == literal(want), path
        if e.tag in ("rect", "path", "tr"):
            continue            # a shape: its value is in the attribute
        text = e.all_text()
        if e.tag in ("time",) or "time" in e.attrs.get("class", ""):
            assert text.startswith(page_utc(want)), path
        else:
            assert text == shown(want, path), path
        checked += 1
    assert checked > 20


def page_utc(epoch):
    import datetime
    whole, _, fraction = f"{epoch:.6f}".partition(".")
    t = datetime.datetime.fromtimestamp(int(whole), datetime.timezone.utc)
    return t.strftime("%Y-%m-%d %H:%M:%S") + "." + fraction


@pytest.mark.parametrize("name", CASES)
def test_chart_labels_are_json_values(outputs, name):
    """Each number a chart prints: a tick of its axis, or a value label
    tied to the JSON; the episode labels name the JSON's episodes."""
    page, report, _geo = outputs(name)
    root = parse(page)
    for svg in (e for e in root.walk() if e.tag == "svg" and "xmlns" in e.attrs):
        for t in (e for e in svg.walk() if e.tag == "text"):
            cls = t.attrs.get("class", "")
            text = t.all_text()
            if cls == "val" and "data-from" in t.attrs:
                assert text == measure_shown(summed(report, t.attrs["data-from"]))
            elif cls == "val":
                assert text == shown(json_at(report, t.attrs["data-json"]), t.attrs["data-json"])
            elif cls == "tick":
                assert re.fullmatch(r"-?\d+(\.\d+)?[kMGTP]?", text), text
            elif cls == "lane-label":
                assert text.rstrip("\u2026") in {lane_label(a)[:len(text.rstrip("\u2026"))]
                                                  for a in report["alerts"]}, text
            elif cls == "more":
                assert text == f"and {len(report['alerts']) - LANES_MAX} more episodes " \
                               "(see Alerts)"
            else:
                assert cls in ("cat", "unit", "legend", "legend source"), (cls, text)
    # The timeline's series: one value per bin, per second of a bin.
    series = [e for e in root.walk() if e.tag == "polyline" and
              e.attrs.get("data-json", "").startswith("time_profile.timeline.")]
    if report.get("time_profile"):
        assert {e.attrs["data-json"] for e in series} >= {"time_profile.timeline.packets",
                                                          "time_profile.timeline.bytes"}


# --- bar charts: the largest first, the rest summed -----------------

BARS_MAX = 12                   # html-charts.h NTT_CHART_BARS_MAX


def summed(report, data_from):
    return sum(json_at(report, path) for path in data_from.split(" + "))


def list_paths(report, path):
    """Every path like path over its list: services[3].packets ->
    services[0].packets ... (None when path is in no list)."""
    m = re.fullmatch(r"(.*?)\[(\d+)\](.*)", path)
    if not m:
        return None
    return [f"{m.group(1)}[{i}]{m.group(3)}" for i in range(len(json_at(report, m.group(1))))]


@pytest.mark.parametrize("name", CASES)
def test_bar_charts_show_the_largest_and_sum_the_rest(outputs, name):
    """Each bar chart: largest first, equal values by name; more than
    13 rows: the 12 largest and "(N others)" holding the sum of all the
    rest (its data-from names them: each is in the JSON list and none is
    larger than a bar shown); the table under it keeps every row."""
    page, report, _geo = outputs(name)
    root = parse(page)
    charts = [svg for svg in root.walk() if svg.tag == "svg" and
              any(t.attrs.get("class") == "cat" for t in svg.walk())]
    assert charts
    capped = 0
    for svg in charts:
        bars = [r for r in svg.walk() if r.tag == "rect" and
                r.attrs.get("class", "").startswith("bar")]
        names = [t.all_text() for t in svg.walk() if t.attrs.get("class") == "cat"]
        shown_bars = [(json_at(report, r.attrs["data-json"]), n, r.attrs["data-json"])
                      for r, n in zip(bars, names) if "data-json" in r.attrs]
        for (v, n, _), (v2, n2, _) in zip(shown_bars, shown_bars[1:]):
            assert v > v2 or (v == v2 and n <= n2), (n, n2)
        others = [r for r in bars if "data-from" in r.attrs]
        everything = list_paths(report, shown_bars[0][2])
        if not others:
            assert len(bars) <= BARS_MAX + 1
            if everything:
                assert sorted(p for _, _, p in shown_bars) == sorted(everything)
            continue
        capped += 1
        assert len(bars) == BARS_MAX + 1 and bars[-1] is others[0]
        rest = others[0].attrs["data-from"].split(" + ")
        assert names[-1] == f"({len(rest)} others)"
        assert sorted(rest + [p for _, _, p in shown_bars]) == sorted(everything)
        assert rest == [p for p in everything if p in rest]          # the JSON's order
        assert max(json_at(report, p) for p in rest) <= shown_bars[-1][0]
        value = next(t for t in svg.walk() if t.attrs.get("class") == "val" and
                     t.attrs.get("data-from") == others[0].attrs["data-from"])
        assert value.all_text() == measure_shown(sum(json_at(report, p) for p in rest))
    if name == "scan":              # 26 services
        assert capped == 1 and len(report["services"]) > BARS_MAX + 1
        rows = [e for e in root.walk() if e.attrs.get("data-json", "").startswith("services[")
                and e.attrs["data-json"].endswith(".name")]
        assert [e.attrs["data-json"] for e in rows] == \
            [f"services[{i}].name" for i in range(len(report["services"]))]


# --- the episodes' lanes under the timeline -------------------------

SVG = "{http://www.w3.org/2000/svg}"
LANES_MAX = 12                  # html-charts.h NTT_CHART_LANES_MAX
LANE_FONT = 10.5                # NTT_CHART_LANE_FONT
CHART_WIDTH = 760               # NTT_CHART_WIDTH


def text_width(text):
    """html-charts.c ntt_chart_text_width: 0.62 em a character."""
    return len(text) * LANE_FONT * 0.62


def lane_label(alert):
    ends = [alert[k] if alert[k] is not None else "(many)" for k in ("src", "dst")]
    return f"#{alert['episode']} {alert['type']} {ends[0]}\u2192{ends[1]}"


def tick_value(text):
    scale = {"k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15}
    return float(text[:-1]) * scale[text[-1]] if text[-1] in scale else float(text)


def x_axis(svg):
    """The chart's x axis read from its tick labels (value, position):
    the linear map from axis units to SVG x, and seconds per unit."""
    axis = next(g for g in svg.iter(SVG + "g") if g.get("class") == "axis x")
    ticks = [(tick_value(t.text), float(t.get("x"))) for t in axis.iter(SVG + "text")
             if t.get("class") == "tick"]
    (v0, x0), (v1, x1) = ticks[0], ticks[-1]
    scale = (x1 - x0) / (v1 - v0)
    for v, x in ticks:
        assert x == pytest.approx(x0 + (v - v0) * scale, abs=0.02)
    unit = next(t.text for t in axis.iter(SVG + "text") if t.get("class") == "unit")
    seconds = {"s": 1, "min": 60, "h": 3600}[re.search(r"\((\w+)\)$", unit).group(1)]
    return (lambda v: x0 + (v - v0) * scale), seconds


def timeline_charts(page):
    charts = [ET.fromstring(svg) for svg in re.findall(r"<svg xmlns=.*?</svg>", page, flags=re.S)]
    return [c for c in charts if any(p.get("data-json") == "time_profile.timeline.packets" or
                                     p.get("data-json") == "time_profile.timeline.bytes"
                                     for p in c.iter(SVG + "polyline"))]


def box(x, width, anchor, y0, y1):
    left = x - width if anchor == "end" else x
    return (left, y0, left + width, y1)


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("name", CASES)
def test_episodes_in_lanes_under_the_timeline(outputs, name):
    """One lane per episode (at most 12, the rest counted) under the
    packets chart; each bar from the episode's start to its end and its
    diamond at the detection, through the x axis the ticks give (the
    same one the bins are drawn on); labels name the episode and no
    label overlaps another, a bar not its own, or a diamond."""
    page, report, _geo = outputs(name)
    alerts = report["alerts"]
    packets, bytes_ = timeline_charts(page)
    lanes = [g for g in packets.iter(SVG + "g") if g.get("class") == "lane"]
    assert len(lanes) == min(len(alerts), LANES_MAX)
    assert not [g for g in bytes_.iter(SVG + "g") if g.get("class") == "lane"]
    more = [t.text for t in packets.iter(SVG + "text") if t.get("class") == "more"]
    assert more == ([f"and {len(alerts) - LANES_MAX} more episodes (see Alerts)"]
                    if len(alerts) > LANES_MAX else [])
    timeline = report["time_profile"]["timeline"]
    to_x, seconds = x_axis(packets)
    # The data on that axis: the bins' steps start at 0, a bin wide.
    line = next(p for p in packets.iter(SVG + "polyline")
                if p.get("data-json") == "time_profile.timeline.packets")
    xs = [float(pt.split(",")[0]) for pt in line.get("points").split()]
    assert xs[0] == pytest.approx(to_x(0), abs=0.02)
    lo, hi = to_x(0), xs[-1]      # the axis ends with the capture
    assert xs[1] == pytest.approx(min(to_x(timeline["bin_seconds"] / seconds), hi), abs=0.02)
    at = lambda t: min(max(to_x((t - timeline["start"]) / seconds), lo), hi)  # noqa: E731
    label_boxes, shapes = [], []
    for i, (lane, alert) in enumerate(zip(lanes, alerts)):
        bar = next(r for r in lane.iter(SVG + "rect") if r.get("class") == "span")
        assert bar.get("data-json") == f"alerts[{i}].episode"
        x0, width = float(bar.get("x")), float(bar.get("width"))
        assert x0 == pytest.approx(at(alert["start"]), abs=0.02)
        assert width == pytest.approx(max(at(alert["end"]) - at(alert["start"]), 2), abs=0.03)
        y0, y1 = float(bar.get("y")), float(bar.get("y")) + float(bar.get("height"))
        diamond = next(p for p in lane.iter(SVG + "path") if p.get("class") == "mark-detect")
        mx = float(re.match(r"M([\d.]+) ", diamond.get("d")).group(1))
        assert mx == pytest.approx(at(alert["detect"]), abs=0.02)
        link = next(lane.iter(SVG + "a"))
        assert link.get("href") == f"#episode-{i}"
        text = next(t for t in lane.iter(SVG + "text") if t.get("class") == "lane-label")
        full = lane_label(alert)
        assert text.text == full or (text.text.endswith("\u2026") and
                                     full.startswith(text.text[:-1]))
        inside = any(r.get("class") == "label-bg" for r in lane.iter(SVG + "rect"))
        label = box(float(text.get("x")), text_width(text.text), text.get("text-anchor"),
                    float(text.get("y")) - LANE_FONT * 0.8, float(text.get("y")) + LANE_FONT * 0.2)
        assert 0 <= label[0] and label[2] <= CHART_WIDTH, text.text
        bar_box = (x0, y0, x0 + width, y1)
        assert inside == overlap(label, bar_box), text.text
        label_boxes.append(label)
        shapes += [(i, bar_box), (i, (mx - 5, y0, mx + 5, y1))]
        shapes.append((-1, (mx - 5, y0, mx + 5, y1)))       # its own diamond too
    for i, label in enumerate(label_boxes):
        for j, other in enumerate(label_boxes[:i]):
            assert not overlap(label, other), (i, j)
        for owner, shape in shapes:
            if owner != i:
                assert not overlap(label, shape), (i, owner)


SECTIONS = {
    "alerts": lambda r: bool(r["alerts"]),
    "blocklist": lambda r: bool(r["blocklist"] and r["blocklist"]["hosts"]),
    "geo": lambda r: bool(r["geo"] and (r["geo"]["countries"] or r["geo"]["asns"])),
    "entropy": lambda r: bool(r["entropy"] and r["entropy"]["timeline"]),
    "anomaly": lambda r: bool(r["anomaly"] and r["anomaly"].get("top")),
    "talkers": lambda r: bool(r["talkers"]),
    "time-of-day": lambda r: "time_of_day" in r,
    "timeline": lambda r: "time_profile" in r,
    "flows": lambda r: r["flows"]["count"] > 0,
}


@pytest.mark.parametrize("name", CASES)
def test_sections_are_there_when_the_json_has_content(outputs, name):
    page, report, geojson = outputs(name)
    ids = {e.attrs["id"] for e in parse(page).walk() if e.tag == "section"}
    for section, has_content in SECTIONS.items():
        assert (section in ids) == has_content(report), section
    # The contents list exactly the sections, in order.
    links = re.findall(r'<li><a href="#([^"]+)">', page)
    assert links == re.findall(r'<section id="([^"]+)">', page)
    # A map exactly when the build has the world outline (generated next
    # to the plugin, packaging/world-outline.cmake) and a country is
    # placed; its points are GeoJSON's endpoints.
    points = re.findall(r'data-geojson="features\[(\d+)\]"', page)
    outline = (Path(plugin_path()).parent / "generated" / "world-outline.c").exists()
    countries = bool(report["geo"] and report["geo"]["countries"])
    assert ('<div class="map">' in page) == (outline and countries)
    if '<div class="map">' in page:
        endpoints = [i for i, f in enumerate(geojson["features"])
                     if f["properties"]["kind"] == "endpoint"]
        assert sorted(map(int, points)) == endpoints
    else:
        assert points == []


def test_sections_left_out_in_ordinary_traffic(outputs):
    page, report, _geo = outputs("benign")
    assert report["alerts"] == [] and report["blocklist"] is None and report["geo"] is None
    for absent in ("alerts", "blocklist", "geo"):
        assert f'<section id="{absent}">' not in page


def test_working_hours_are_shaded(outputs):
    page, report, _geo = outputs("synflood-geo")
    assert report["time_of_day"]["work_hours"].startswith("09:00-17:00")
    # 09 .. 16 in both hour charts, named in the tooltip.
    assert page.count('<rect class="shade"') == 2 * (8 + 1)   # the legend's swatch too
    assert "hour of day (UTC)" in page


def test_alert_table_lists_the_episodes(outputs):
    page, report, _geo = outputs("synflood-geo")
    root = parse(page)
    rows = [e for e in root.walk() if e.tag == "tr" and e.attrs.get("id", "").startswith("episode-")]
    assert len(rows) == len(report["alerts"]) == 1
    cells = [c.all_text() for c in rows[0].children]
    a = report["alerts"][0]
    assert cells[:4] == [str(a["episode"]), a["type"], "(many)", f"{a['dst']} port {a['port']}"]
    assert cells[6:9] == [str(a["first_frame"]), str(a["detect_frame"]), str(a["last_frame"])]
    assert cells[5] == shown(a["end"] - a["start"], "duration")


ALERT_COMMON = {"type", "src", "dst", "port", "episode", "first_frame", "detect_frame",
                "last_frame", "packets", "start", "detect", "end"}


@pytest.mark.parametrize("name", ["synflood-geo", "scan"])
def test_alert_size_figures_follow_the_rule(outputs, name):
    """Each episode's size figures (docs/detectors.md: counts, rates,
    entropies; none names a thing) are each shown once on the episode's
    size row, rounded by the rule: entropy_dport 0.992689 reads 0.993."""
    page, report, _geo = outputs(name)
    root = parse(page)
    assert report["alerts"]
    for i, alert in enumerate(report["alerts"]):
        sizes = {k: v for k, v in alert.items() if k not in ALERT_COMMON}
        assert sizes
        for key, value in sizes.items():
            spans = [e for e in valued(root) if e.attrs["data-json"] == f"alerts[{i}].{key}"]
            assert len(spans) == 1, key
            assert spans[0].all_text() == measure_shown(value), (key, value)
            assert spans[0].parent.parent.attrs.get("class") == "detail"


def test_the_filter_narrows_the_page_as_the_json(outputs):
    page, report, _geo = outputs("filtered")
    assert report["filter"] == CASES["filtered"][2]
    assert f'<code class="filter">{CASES["filtered"][2]}</code>' in page
    _full, unfiltered, _ = outputs("synflood-geo")
    assert report["summary"]["packets"] < unfiltered["summary"]["packets"]
    assert f'data-json="summary.packets" data-value="{report["summary"]["packets"]}"' in page


def test_a_capture_never_injects_markup(outputs):
    page, report, _geo = outputs("hostile")
    assert report["blocklist"]["hosts"][0]["destinations"][0]["uri"] == HOSTILE_URI
    root = parse(page)
    tags = {e.tag for e in root.walk()}
    assert not tags & {"script", "img", "iframe", "object", "embed", "link"}
    assert "<script" not in page and "<img" not in page
    escaped = HOSTILE_URI.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;").replace("'", "&#39;")
    assert escaped in page
    # The filter (a string from the command line) is escaped as well.
    assert "frame contains &quot;&lt;script&gt;&quot;" in page
    # The parsed page reads the URI back as it was (in the alert's size
    # and in the blocklist table).
    uris = [e.all_text() for e in root.walk() if e.attrs.get("data-json", "").endswith(".uri")]
    assert uris == [HOSTILE_URI] * 2


@pytest.mark.parametrize("name", CASES)
def test_nothing_is_fetched(outputs, name):
    page, _report, _geo = outputs(name)
    root = parse(page)
    assert not re.search(r"<script|<link|<img|<iframe|<object|<embed|@import|@font-face",
                         page, flags=re.I)
    styles = [e.all_text() for e in root.walk() if e.tag == "style"]
    assert len(styles) == 1
    for e in root.walk():
        assert not {"src", "srcset", "background", "action", "poster"} & set(e.attrs), e.tag
        assert not any(a.startswith("on") for a in e.attrs), e.tag
        for a in ("href", "xlink:href"):
            assert e.attrs.get(a, "#").startswith("#"), e.attrs[a]
        styles.append(e.attrs.get("style", ""))
    for style in styles:
        for target in re.findall(r"url\(\s*([^)]*)\)", style, flags=re.I):
            assert target.startswith("#"), target
    # The one URL is SVG's namespace name, which is never fetched.
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) <= {"http://www.w3.org/2000/svg"}
    assert "@media print" in page


def test_the_page_is_the_same_every_time(tshark, outputs):
    page, _report, _geo = outputs("scan")
    again = tshark.run(["-r", tshark.readable(CAPTURES / CASES["scan"][0]), "-q",
                        "-z", "ntt,html"]).stdout
    assert again[again.index("<!DOCTYPE html>"):] == page


def test_the_flood_with_city_data_is_mapped_when_the_outline_is_built(outputs):
    # The assertion above is an equivalence; this pins that one case
    # really draws the map (the city fixtures place the flood's sources).
    page, report, geojson = outputs("synflood-geo")
    if not (Path(plugin_path()).parent / "generated" / "world-outline.c").exists():
        pytest.skip("this build has no world outline (r-cran-maps absent)")
    assert '<div class="map">' in page
    assert re.findall(r'data-geojson="features\[(\d+)\]"', page)
