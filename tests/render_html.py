#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Renders an HTML file in Debian's headless Chromium, to PNG and PDF, and
reports what a person opening it would have run into.

Chromium is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ending in NUL on file descriptors
3 and 4), so Python's standard library is all it needs. While the page
loads it collects
  - console messages (Runtime.consoleAPICalled) and uncaught exceptions
    (Runtime.exceptionThrown),
  - the browser's own log (Log.entryAdded: failed loads, CSP, security),
  - every request but the page itself and data:/blob:/about: URLs
    (Network.requestWillBeSent and the Fetch domain's requestPaused).
A self-contained report needs none: each one found is reported, and no
request leaves the machine: the Fetch domain fails every request before it
is sent, the only proxy is a closed loopback port and no name resolves.
Then it takes a screenshot (Page.captureScreenshot) and prints the page
(Page.printToPDF), writes both, and checks them: the PNG decodes (zlib,
PNG filters undone here) to the size asked for with more than one colour in
a visible share of it; the PDF starts with %PDF- and has at least one page.

As root, Chromium runs as an unprivileged user (NTT_RUN_USER uid:gid,
default 65534:65534, as tests/tshark-as-user.sh), on a world-readable copy
of the page, in a new empty profile folder; --no-sandbox either way (the
sandbox needs user namespaces that containers often lack).

Usage: render_html.py PAGE.html [--png OUT.png] [--pdf OUT.pdf]
       [--width 1280] [--height 900] [--full-page] [--json OUT.json]
Exit: 0 clean, 1 findings (console errors, requests, blank PNG, no PDF
page), 2 bad use or a render that failed, 77 no Chromium (skipped).
"""
import argparse
import base64
import fcntl
import json
import os
import re
import select
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
SKIP = 77

# The flags this machine needs (no GPU, no network, no first-run or
# background work) and a new empty profile folder each run.
BASE_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--no-default-browser-check", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
    # Belt and braces behind the Fetch domain's block: nothing resolves,
    # and the only proxy is the discard port on loopback, which is closed.
    "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
    "--remote-debugging-pipe",
]
ALLOWED_SCHEMES = ("data:", "blob:", "about:")


class RenderError(Exception):
    """The render itself failed (not a finding about the page)."""


def find_chromium():
    explicit = os.environ.get("NTT_CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


# ------------------------------------------------------------ DevTools

class DevTools:
    """The DevTools protocol over Chromium's pipe."""

    def __init__(self, proc, to_browser, from_browser):
        self.proc = proc
        self.to_browser = to_browser
        self.from_browser = from_browser
        self.buffer = b""
        self.next_id = 0
        self.events = []       # (method, params, sessionId) in arrival order
        self.handlers = []     # called with each event as it arrives
        self.replies = {}      # id -> reply not yet taken by its sender

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RenderError("Chromium did not answer in time")
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RenderError("Chromium closed the DevTools pipe "
                                  f"(exit {self.proc.poll()})")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def _event(self, message):
        event = (message["method"], message.get("params", {}), message.get("sessionId"))
        self.events.append(event)
        for handler in self.handlers:
            handler(*event)

    def send(self, method, params=None, session=None, timeout=30):
        """Sends a command and returns its result. Events that arrive
        meanwhile go to the handlers, which may send commands of their own
        (a paused request is answered at once: the navigation waits on it),
        so replies are kept by id until their sender takes them."""
        self.next_id += 1
        mine = self.next_id
        message = {"id": mine, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self.to_browser, data):]
        deadline = time.monotonic() + timeout
        while mine not in self.replies:
            reply = self._read_message(deadline)
            if "method" in reply:
                self._event(reply)
            else:
                self.replies[reply.get("id")] = reply
        reply = self.replies.pop(mine)
        if "error" in reply:
            raise RenderError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def pump(self, seconds):
        """Takes events for a while (the page goes on loading meanwhile)."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self._event_or_nothing(deadline)
        except TimeoutError:
            pass

    def _event_or_nothing(self, deadline):
        if b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.from_browser], [], [], left)
            if not ready:
                raise TimeoutError
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RenderError("Chromium closed the DevTools pipe")
            self.buffer += chunk
            if b"\0" not in self.buffer:
                return
        message = self._read_message(deadline + 30)
        if "method" in message:
            self._event(message)

    def wait_for(self, method, session, timeout):
        deadline = time.monotonic() + timeout
        seen = len(self.events)
        while True:
            for m, _, s in self.events[seen:]:
                if m == method and s == session:
                    return
            seen = len(self.events)
            try:
                self._event_or_nothing(deadline)
            except TimeoutError:
                raise RenderError(f"no {method} within {timeout} s") from None


# ------------------------------------------------------------ launching

def run_user():
    """(uid, gid) to run Chromium as: None when not root."""
    if os.geteuid() != 0:
        return None
    text = os.environ.get("NTT_RUN_USER", "65534:65534")
    try:
        uid, gid = (int(v) for v in text.split(":"))
    except ValueError:
        raise RenderError(f"NTT_RUN_USER must be uid:gid, not {text!r}") from None
    return uid, gid


def launch(chromium, workdir, width, height, user):
    profile = os.path.join(workdir, "profile")
    os.mkdir(profile, 0o700)
    if user:
        os.chown(profile, *user)
    env = {"HOME": profile, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "XDG_CONFIG_HOME": os.path.join(profile, "config"),
           "XDG_CACHE_HOME": os.path.join(profile, "cache"),
           "TMPDIR": profile, "LANG": "C.UTF-8", "TZ": "UTC"}
    # Pipes: Chromium reads commands on fd 3 and writes replies on fd 4.
    cmd_r, cmd_w = os.pipe()
    out_r, out_w = os.pipe()
    # Copies above 4, so that putting them at 3 and 4 in the child cannot
    # overwrite one with the other.
    high_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD_CLOEXEC, 10)
    high_w = fcntl.fcntl(out_w, fcntl.F_DUPFD_CLOEXEC, 10)

    def child_fds():
        os.dup2(high_r, 3)
        os.dup2(high_w, 4)

    argv = [chromium] + BASE_FLAGS + [f"--user-data-dir={profile}",
                                      f"--window-size={width},{height}", "about:blank"]
    log = open(os.path.join(workdir, "chromium.log"), "wb")
    kwargs = {}
    if user:
        kwargs = {"user": user[0], "group": user[1], "extra_groups": []}
    try:
        proc = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT, cwd=profile,
                                pass_fds=(3, 4), preexec_fn=child_fds,
                                start_new_session=True, **kwargs)
    finally:
        for fd in {cmd_r, out_w, high_r, high_w}:
            os.close(fd)
        log.close()
    return proc, DevTools(proc, cmd_w, out_r)


def stop(proc, devtools):
    try:
        devtools.send("Browser.close", timeout=5)
    except (RenderError, OSError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()
    for fd in (devtools.to_browser, devtools.from_browser):
        try:
            os.close(fd)
        except OSError:
            pass


# ------------------------------------------------------------ the page

def render(page, png=None, pdf=None, width=1280, height=900, full_page=False,
           settle=0.5, timeout=60, full_png=None):
    """Renders page; returns a dict of findings and checks (see main).
    full_png: also a screenshot of the whole page, for a person to look
    at, checked by its header only (decoding a tall page here is slow)."""
    chromium = find_chromium()
    if not chromium:
        raise FileNotFoundError("no Chromium (apt-get install chromium)")
    user = run_user()
    workdir = tempfile.mkdtemp(prefix="ntt-render-")
    os.chmod(workdir, 0o755)
    try:
        copy = os.path.join(workdir, "page.html")
        shutil.copyfile(page, copy)
        os.chmod(copy, 0o644)
        url = "file://" + copy
        proc, dt = launch(chromium, workdir, width, height, user)
        try:
            result = drive(dt, url, png, pdf, width, height, full_page, settle, timeout,
                           full_png)
        except RenderError as e:
            with open(os.path.join(workdir, "chromium.log"), "rb") as f:
                tail = f.read()[-2000:].decode(errors="replace")
            raise RenderError(f"{e}\nChromium's log ends:\n{tail}") from None
        finally:
            stop(proc, dt)
        return result
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def drive(dt, url, png, pdf, width, height, full_page, settle, timeout, full_png):
    target = dt.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = dt.send("Target.attachToTarget",
                      {"targetId": target, "flatten": True})["sessionId"]
    console, exceptions, log, requests = [], [], [], []

    def on_event(method, params, sid):
        if sid != session:
            return
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(a.get("value", a.get("description", "")))
                            for a in params.get("args", []))
            console.append({"type": params.get("type"), "text": text})
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            exc = details.get("exception", {})
            exceptions.append(exc.get("description") or details.get("text", "exception"))
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            log.append({"level": entry.get("level"), "source": entry.get("source"),
                        "text": entry.get("text"), "url": entry.get("url")})
        elif method in ("Network.requestWillBeSent", "Fetch.requestPaused"):
            request_url = params.get("request", {}).get("url", "")
            if request_url != url and not request_url.startswith(ALLOWED_SCHEMES) \
                    and request_url not in requests:
                requests.append(request_url)
            if method == "Fetch.requestPaused":
                # The page itself goes on; anything else fails here, unsent.
                if request_url == url or request_url.startswith(ALLOWED_SCHEMES):
                    dt.send("Fetch.continueRequest", {"requestId": params["requestId"]},
                            session=session)
                else:
                    dt.send("Fetch.failRequest", {"requestId": params["requestId"],
                                                  "errorReason": "BlockedByClient"},
                            session=session)

    dt.handlers.append(on_event)
    for domain in ("Runtime", "Log", "Network", "Page"):
        dt.send(f"{domain}.enable", session=session)
    dt.send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}, session=session)
    dt.send("Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
            session=session)

    nav = dt.send("Page.navigate", {"url": url}, session=session)
    if nav.get("errorText"):
        raise RenderError(f"cannot open {url}: {nav['errorText']}")
    deadline = time.monotonic() + timeout
    loaded = False
    while not loaded:
        if time.monotonic() > deadline:
            raise RenderError(f"the page did not finish loading within {timeout} s")
        before = len(dt.events)
        try:
            dt._event_or_nothing(min(deadline, time.monotonic() + 0.2))
        except TimeoutError:
            pass
        loaded = any(m == "Page.loadEventFired" and s == session
                     for m, _, s in dt.events[before:]) or loaded
    # Late work (timers, lazy images) gets a moment, its requests blocked too.
    dt.pump(settle)

    metrics = dt.send("Page.getLayoutMetrics", session=session)
    content = metrics.get("cssContentSize") or metrics.get("contentSize") or {}
    page_height = max(height, min(int(content.get("height", height)), 16384))
    result = {"url": url, "console": console, "exceptions": exceptions, "log": log,
              "requests": requests,
              "content_size": [content.get("width"), content.get("height")]}

    def screenshot(path, shot_height, decode):
        dt.send("Emulation.setDeviceMetricsOverride",
                {"width": width, "height": shot_height, "deviceScaleFactor": 1,
                 "mobile": False}, session=session)
        shot = dt.send("Page.captureScreenshot", {"format": "png"}, session=session)
        data = base64.b64decode(shot["data"])
        write_file(path, data)
        facts = png_facts(data) if decode else png_header(data)
        facts.update(path=path, expected=[width, shot_height])
        return facts

    if png:
        result["png"] = screenshot(png, page_height if full_page else height, True)
    if full_png:
        result["full_png"] = screenshot(full_png, page_height, False)
    if pdf:
        printed = dt.send("Page.printToPDF", {"printBackground": True,
                                              "preferCSSPageSize": True}, session=session,
                          timeout=timeout)
        data = base64.b64decode(printed["data"])
        write_file(pdf, data)
        result["pdf"] = pdf_facts(data)
        result["pdf"]["path"] = pdf
    return result


def write_file(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


# ------------------------------------------------------------ checking

def png_pixels(data):
    """(width, height, channels, rows of bytes) of an 8-bit PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, ihdr = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if zlib.crc32(kind + body) != struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])[0]:
            raise ValueError(f"bad CRC in {kind!r}")
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    if not ihdr:
        raise ValueError("no IHDR")
    width, height, depth, colour, _, _, interlace = ihdr
    channels = {0: 1, 2: 3, 4: 2, 6: 4}.get(colour)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG: depth {depth}, colour type {colour}, "
                         f"interlace {interlace}")
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    if len(raw) != height * (stride + 1):
        raise ValueError("PNG data does not match its size")
    rows, previous = [], bytes(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if kind == 1:
            for i in range(channels, stride):
                line[i] = (line[i] + line[i - channels]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous))
        elif kind == 3:
            for i in range(stride):
                left = line[i - channels] if i >= channels else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        elif kind != 0:
            raise ValueError(f"bad PNG filter {kind}")
        rows.append(bytes(line))
        previous = line
    return width, height, channels, rows


def png_header(data):
    """Size from the IHDR chunk, without decoding the pixels."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    return {"bytes": len(data), "width": width, "height": height}


def png_facts(data):
    """Size, distinct colours and the share of pixels unlike the most
    common colour (the background)."""
    width, height, channels, rows = png_pixels(data)
    counts = {}
    for row in rows:
        for x in range(0, len(row), channels):
            pixel = row[x:x + channels]
            counts[pixel] = counts.get(pixel, 0) + 1
    total = width * height
    background = max(counts.values())
    return {"bytes": len(data), "width": width, "height": height, "colours": len(counts),
            "not_background": (total - background) / total}


def pdf_facts(data):
    pages = len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))
    return {"bytes": len(data), "header": data[:5] == b"%PDF-", "pages": pages}


def findings(result, min_colours=4, min_ink=0.0002):
    """What is wrong with a render, as sentences (empty: clean)."""
    out = []
    for c in result["console"]:
        if c["type"] in ("error", "assert", "warning"):
            out.append(f"console {c['type']}: {c['text']}")
    out += [f"uncaught exception: {e}" for e in result["exceptions"]]
    for entry in result["log"]:
        if entry["level"] in ("error", "warning"):
            out.append(f"browser {entry['level']} ({entry['source']}): {entry['text']}")
    out += [f"network request: {u}" for u in result["requests"]]
    png = result.get("png")
    if png:
        if [png["width"], png["height"]] != png["expected"]:
            out.append(f"PNG is {png['width']}x{png['height']}, not {png['expected']}")
        if png["colours"] < min_colours or png["not_background"] < min_ink:
            out.append(f"PNG looks blank: {png['colours']} colours, "
                       f"{png['not_background']:.2%} of pixels not background")
    full = result.get("full_png")
    if full and [full["width"], full["height"]] != full["expected"]:
        out.append(f"full-page PNG is {full['width']}x{full['height']}, not {full['expected']}")
    pdf = result.get("pdf")
    if pdf and (not pdf["header"] or pdf["pages"] < 1):
        out.append(f"PDF is not a PDF with pages (header {pdf['header']}, "
                   f"{pdf['pages']} pages)")
    return out


def main():
    ap = argparse.ArgumentParser(description="Render an HTML file in headless Chromium.")
    ap.add_argument("page")
    ap.add_argument("--png")
    ap.add_argument("--pdf")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=900)
    ap.add_argument("--full-page", action="store_true",
                    help="screenshot the whole page, not the first window")
    ap.add_argument("--json", help="write the findings and checks here")
    args = ap.parse_args()
    if not os.path.isfile(args.page):
        print(f"render_html: no such file {args.page}", file=sys.stderr)
        return 2
    try:
        result = render(args.page, args.png, args.pdf, args.width, args.height,
                        args.full_page)
    except FileNotFoundError as e:
        print(f"render_html: skipped: {e}")
        return SKIP
    except (RenderError, ValueError, OSError) as e:
        print(f"render_html: {e}", file=sys.stderr)
        return 2
    problems = findings(result)
    result["findings"] = problems
    if args.json:
        write_file(args.json, json.dumps(result, indent=1).encode())
    for line in problems:
        print("render_html: " + line)
    if "png" in result:
        p = result["png"]
        print(f"render_html: {p['path']}: {p['width']}x{p['height']}, {p['bytes']} bytes, "
              f"{p['colours']} colours, {p['not_background']:.1%} not background")
    if "pdf" in result:
        p = result["pdf"]
        print(f"render_html: {p['path']}: {p['pages']} pages, {p['bytes']} bytes")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
