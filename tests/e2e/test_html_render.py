# SPDX-License-Identifier: GPL-2.0-or-later
"""The render tier: pages in Debian's headless Chromium (tests/render_html.py).

First the renderer itself, on small hand-written pages whose right answer
is known: a clean page with an inline SVG renders with no finding and the
colour of a box drawn at a known place is read back from the PNG; a console
error, an uncaught exception and requests (a name, an address, a fetch, a
stylesheet) are each reported, and blocked before they are sent; a blank
page is found blank; page breaks give that many PDF pages.

Then the HTML report (`-z ntt,html`) of shipped captures: no console error,
no request, a PNG that is not blank, a PDF with pages. The screenshots are
kept in $NTT_RENDER_OUT (CTest: build/render) for a person to look at.

Skipped, with the reason, without Chromium (packaging/deps.sh --tests
installs it) and, for the report, while the plugin has no `-z ntt,html`.
"""
import os
import pathlib
import sys

import pytest

from ntt_harness import CAPTURES, ROOT

sys.path.insert(0, str(ROOT / "tests"))
import render_html  # noqa: E402

pytestmark = pytest.mark.skipif(
    render_html.find_chromium() is None,
    reason="no Chromium: apt-get install chromium (packaging/deps.sh --tests)")

OPEN_GEO = pathlib.Path(os.environ.get("NTT_OPEN_GEO") or
                        ROOT / "build" / "geo" / "ntt-open-geo.mmdb")
REPORT_CAPTURES = [
    ("hping3-syn-flood-spoofed.pcap", ()),       # a flood from spoofed sources
    ("nmap-syn-scan.pcap", ()),                  # a port scan
    ("blocklist-download.pcap", ("blocklist",)),  # a download from a listed name
]


def page(tmp_path, body, head=""):
    path = tmp_path / "page.html"
    path.write_text("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title>"
                    f"{head}</head><body>{body}</body></html>")
    return str(path)


def render(tmp_path, html, **kw):
    return render_html.render(html, png=str(tmp_path / "out.png"),
                              pdf=str(tmp_path / "out.pdf"), **kw)


# ------------------------------------------------------------ the renderer

BOX = ('<div style="position:absolute;left:100px;top:200px;width:60px;height:40px;'
       'background:#336699"></div>')
SVG = ('<svg width="300" height="120" viewBox="0 0 300 120" style="position:absolute;'
       'left:300px;top:300px"><rect x="0" y="0" width="300" height="120" fill="#c63"/>'
       '<text x="10" y="60" font-size="20" fill="#fff">inline SVG</text></svg>')


def test_clean_page_renders_with_no_finding(tmp_path):
    result = render(tmp_path, page(tmp_path, "<h1>render check</h1>" + BOX + SVG),
                    width=800, height=600)
    assert render_html.findings(result) == []
    assert result["requests"] == [] and result["console"] == []
    png = result["png"]
    assert (png["width"], png["height"]) == (800, 600)
    assert png["colours"] >= 4
    # The decoder reads back what the page drew where it drew it: the box
    # (#336699 at 100..160 x 200..240), the SVG (#cc6633 at 300..600 x
    # 300..420) and the white page beside them.
    width, height, channels, rows = render_html.png_pixels(
        (tmp_path / "out.png").read_bytes())
    def pixel(x, y):
        return tuple(rows[y][x * channels:x * channels + 3])
    assert pixel(130, 220) == (0x33, 0x66, 0x99)
    assert pixel(310, 310) == (0xCC, 0x66, 0x33)
    assert pixel(700, 100) == (0xFF, 0xFF, 0xFF)
    pdf = result["pdf"]
    assert pdf["header"] and pdf["pages"] == 1


def test_console_error_is_reported(tmp_path):
    result = render(tmp_path, page(tmp_path, "<p>x</p><script>console.error('deliberate "
                                             "console error')</script>"))
    assert any("deliberate console error" in f for f in render_html.findings(result))


def test_uncaught_exception_is_reported(tmp_path):
    result = render(tmp_path, page(tmp_path, "<p>x</p><script>null.property;</script>"))
    assert any(f.startswith("uncaught exception: TypeError")
               for f in render_html.findings(result))


def test_requests_are_reported_and_blocked(tmp_path):
    # Nothing answers these: every request fails in the browser before it
    # is sent (the Fetch domain), behind a closed loopback proxy and a
    # resolver that resolves nothing.
    body = ('<p>x</p><img src="http://192.0.2.1/x.png">'
            '<img src="https://ntt-render-test.invalid/y.png">'
            '<script>fetch("http://192.0.2.1/z").catch(() => {});</script>')
    head = '<link rel="stylesheet" href="http://ntt-render-test.invalid/s.css">'
    result = render(tmp_path, page(tmp_path, body, head))
    assert set(result["requests"]) == {
        "http://192.0.2.1/x.png", "https://ntt-render-test.invalid/y.png",
        "http://192.0.2.1/z", "http://ntt-render-test.invalid/s.css"}
    found = render_html.findings(result)
    assert sum(f.startswith("network request: ") for f in found) == 4
    assert any("ERR_BLOCKED_BY_CLIENT" in (e["text"] or "") for e in result["log"])


def test_data_urls_are_not_requests(tmp_path):
    pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlE"
             "QVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
    result = render(tmp_path, page(tmp_path, f'<h1>data</h1><img src="{pixel}">'))
    assert result["requests"] == []
    assert render_html.findings(result) == []


def test_blank_page_is_reported(tmp_path):
    result = render(tmp_path, page(tmp_path, ""))
    assert result["png"]["colours"] == 1
    assert any(f.startswith("PNG looks blank") for f in render_html.findings(result))


def test_pdf_pages_are_counted(tmp_path):
    sheets = ('<div style="page-break-after:always">sheet 1</div>'
              '<div style="page-break-after:always">sheet 2</div><div>sheet 3</div>')
    result = render(tmp_path, page(tmp_path, sheets))
    assert result["pdf"]["pages"] == 3


def test_full_page_screenshot_is_as_tall_as_the_page(tmp_path):
    result = render(tmp_path, page(tmp_path, '<div style="height:2500px">tall</div>'),
                    width=640, height=480, full_page=True)
    assert result["png"]["width"] == 640
    # The body's 8 px margins above and below the 2500 px block.
    assert result["png"]["height"] == 2516


# ------------------------------------------------------------ the report

def offers_html(tshark):
    """tshark -z help lists the taps, on its standard error."""
    proc = tshark.run(["-z", "help"], check=False)
    return "ntt,html" in proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    path = os.environ.get("NTT_RENDER_OUT")
    if path:
        os.makedirs(path, exist_ok=True)
        return pathlib.Path(path)
    return tmp_path_factory.mktemp("render")


@pytest.mark.parametrize("name,extras", REPORT_CAPTURES, ids=[c for c, _ in REPORT_CAPTURES])
def test_html_report_renders_cleanly(tshark, out_dir, name, extras):
    if not offers_html(tshark):
        pytest.skip("the plugin has no -z ntt,html yet (tshark -z help)")
    args = ["-r", tshark.readable(CAPTURES / name), "-q", "-z", "ntt,html"]
    if OPEN_GEO.exists():
        args += ["-o", f"ntt.geoip_city_db:{tshark.readable(OPEN_GEO)}",
                 "-o", f"ntt.geoip_asn_db:{tshark.readable(OPEN_GEO)}"]
    if "blocklist" in extras:
        args += ["-o", f"ntt.blocklist_file:{tshark.readable(CAPTURES / 'lab-blocklist.txt')}"]
    out = tshark.run(args).stdout
    start = out.lower().find("<!doctype html")
    assert start >= 0, f"no HTML document in the output: {out[:200]!r}"
    stem = name.rsplit(".", 1)[0]
    html = out_dir / f"{stem}.html"
    html.write_text(out[start:])
    # The first window is decoded and checked; the whole page is kept too.
    result = render_html.render(str(html), png=str(out_dir / f"{stem}.png"),
                                pdf=str(out_dir / f"{stem}.pdf"), width=1280, height=900,
                                full_png=str(out_dir / f"{stem}-full.png"))
    assert render_html.findings(result) == []
    assert result["pdf"]["pages"] >= 1
    assert result["full_png"]["height"] >= 900
    # A report is text, tables and charts: many colours (anti-aliased
    # text), a visible share of the page drawn.
    assert result["png"]["colours"] >= 16
    assert result["png"]["not_background"] >= 0.01
