# SPDX-License-Identifier: GPL-2.0-or-later
"""Live capture end to end: `tshark -i IFACE -l -Y ntt.alert` raises a real
port scan while it happens.

The test builds its own network: two network namespaces (attacker and
victim, names starting ntt-live-) joined by a veth pair, addresses from the
documentation range 198.51.100.0/24 only, IPv6 off so nothing else is said
on the link. tshark captures on the victim's end, inside the victim
namespace, as an unprivileged user (tests/tshark-as-user.sh with
NTT_CAPTURE_CAPS=1: dumpcap keeps CAP_NET_RAW/CAP_NET_ADMIN as ambient
capabilities). In the attacker namespace a connect() scan probes 40 closed
ports; the victim's kernel answers each with a RST.

Skipped (with the reason) when not root, when network namespaces cannot be
made, or when the capture cannot start. No timing is asserted here: the
latency is measured by bench/live-latency.py.
"""
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from ntt_harness import RUNNER, TSHARK, plugin_path

ATTACKER = "198.51.100.66"
VICTIM = "198.51.100.20"
PREFIX = 24
SCAN_PORTS = range(20000, 20040)          # 40 ports nothing listens on
# Namespaces are per test process, so a concurrent bench run cannot clash.
NS_ATTACKER = f"ntt-live-a-{os.getpid()}"
NS_VICTIM = f"ntt-live-v-{os.getpid()}"
CAPTURE_START_TIMEOUT = 30                # seconds for dumpcap to start
ALERT_WAIT = 15                           # seconds for the alert to be printed
BACKSTOP_DURATION = 90                    # tshark -a duration: ends it whatever happens

# Run as root inside the attacker namespace: one connect() per port, short
# timeouts. Prints how many were refused (answered by a RST).
CONNECT_SCAN = r"""
import errno, socket, sys
victim, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
refused = 0
for port in range(first, last + 1):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(0.5)
    try:
        s.connect((victim, port))
    except ConnectionRefusedError:
        refused += 1
    except OSError:
        pass
    finally:
        s.close()
print(refused)
"""


def sh(*cmd, check=True):
    proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=30)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc


def delete_namespaces():
    for ns in (NS_ATTACKER, NS_VICTIM):
        sh("ip", "netns", "del", ns, check=False)


@pytest.fixture(scope="module")
def live_net():
    """Attacker and victim namespaces joined by veth-a <-> veth-v."""
    if os.geteuid() != 0:
        pytest.skip("live capture test needs root (network namespaces, capabilities)")
    for tool in ("ip", "setpriv"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} not found")
    proc = sh("ip", "netns", "add", NS_VICTIM, check=False)
    if proc.returncode != 0:
        pytest.skip(f"ip netns add failed: {proc.stderr.strip()}")
    try:
        sh("ip", "netns", "add", NS_ATTACKER)
        sh("ip", "link", "add", "veth-a", "netns", NS_ATTACKER, "type", "veth",
           "peer", "name", "veth-v", "netns", NS_VICTIM)
        for ns, dev, addr in ((NS_ATTACKER, "veth-a", ATTACKER),
                              (NS_VICTIM, "veth-v", VICTIM)):
            # No IPv6: no router solicitations or MLD reports on the link.
            for key in ("all", "default"):
                sh("ip", "netns", "exec", ns, "sysctl", "-qw",
                   f"net.ipv6.conf.{key}.disable_ipv6=1")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
            sh("ip", "-n", ns, "addr", "add", f"{addr}/{PREFIX}", "dev", dev)
            sh("ip", "-n", ns, "link", "set", dev, "up")
    except Exception as exc:
        delete_namespaces()
        pytest.skip(f"cannot build the test network: {exc}")
    try:
        yield
    finally:
        delete_namespaces()


class LiveTshark:
    """tshark capturing on the victim's veth; stdout lines and stderr are
    read by threads so nothing blocks."""

    def __init__(self, home, fields):
        args = [str(RUNNER), plugin_path(), "-i", "veth-v", "-l",
                "-a", f"duration:{BACKSTOP_DURATION}", "-Y", "ntt.alert",
                "-T", "fields", "-E", "separator=/t", "-E", "occurrence=f"]
        for f in fields:
            args += ["-e", f]
        env = dict(os.environ, NTT_HOME=home, NTT_TSHARK=TSHARK, NTT_CAPTURE_CAPS="1")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", NS_VICTIM] + args, env=env, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        self.lines = queue.Queue()
        self.stderr = []
        self.started = threading.Event()
        self.capturing = False
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _read_stderr(self):
        for line in self.proc.stderr:
            self.stderr.append(line)
            # "Capturing on ..." comes before dumpcap has opened the
            # device (and before a permission error); this one after.
            if "Capture started" in line:
                self.capturing = True
                self.started.set()
        self.started.set()          # ended: wake the waiter up

    def wait_started(self, timeout):
        """True once dumpcap captures; False if tshark ended or took too long."""
        self.started.wait(timeout)
        return self.capturing

    def stop(self):
        """SIGINT (tshark stops cleanly), then SIGKILL if it lingers."""
        for sig, grace in ((signal.SIGINT, 10), (signal.SIGKILL, 10)):
            if self.proc.poll() is not None:
                break
            try:
                os.killpg(self.proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                pass

    def rows_until(self, predicate, timeout):
        """Rows (lists of fields) read until one satisfies predicate, the
        output ends, or timeout seconds pass."""
        rows, deadline = [], time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return rows
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                return rows
            if line is None:
                return rows
            rows.append(line.split("\t"))
            if predicate(rows[-1]):
                return rows

    def remaining_rows(self):
        rows = []
        while True:
            try:
                line = self.lines.get(timeout=5)
            except queue.Empty:
                return rows
            if line is None:
                return rows
            rows.append(line.split("\t"))


FIELDS = ("ntt.alert.type", "ntt.alert.src", "ntt.alert.dst", "ntt.alert",
          "ntt.expert.portscan")


def test_live_port_scan_alerts(live_net, tshark):
    capture = LiveTshark(tshark.home, FIELDS)
    try:
        if not capture.wait_started(CAPTURE_START_TIMEOUT):
            timed_out = not capture.started.is_set()
            capture.stop()
            err = "".join(capture.stderr).strip()
            # The first error line says why; dumpcap's advice follows.
            why = [l for l in capture.stderr if l.startswith("tshark: ")]
            err = why[0].strip() if why else err
            if timed_out:
                pytest.skip(f"live capture did not start within "
                            f"{CAPTURE_START_TIMEOUT} s: {err or 'no output'}")
            if any(word in err.lower() for word in
                   ("permission", "not permitted", "dumpcap", "capabilit")):
                pytest.skip(f"live capture cannot start: {err}")
            pytest.fail(f"tshark ended before capturing ({capture.proc.returncode}): {err}")
        time.sleep(0.5)          # let the capture settle before the first SYN

        scan = subprocess.run(
            ["ip", "netns", "exec", NS_ATTACKER, sys.executable, "-c", CONNECT_SCAN,
             VICTIM, str(SCAN_PORTS[0]), str(SCAN_PORTS[-1])],
            capture_output=True, text=True, timeout=120)
        assert scan.returncode == 0, scan.stderr
        # The network works: every probe reached the victim and got a RST.
        assert int(scan.stdout) == len(SCAN_PORTS), scan.stdout

        rows = capture.rows_until(lambda row: row[0] == "portscan", ALERT_WAIT)
        time.sleep(1)            # the rest of the scan's packets
        capture.stop()
        rows += capture.remaining_rows()
    finally:
        capture.stop()

    err = "".join(capture.stderr)
    assert rows, f"no ntt.alert line printed while a port scan ran\n{err}"
    types = {row[0] for row in rows}
    assert types == {"portscan"}, rows
    for kind, src, dst, summary, _expert in rows:
        assert (src, dst) == (ATTACKER, VICTIM), summary
        assert summary.startswith(f"portscan {ATTACKER} \u2192 {VICTIM}: "), summary
    # One expert item per episode, at its detection frame (-z expert does
    # not work live, so the expert field itself is counted).
    expert = [row for row in rows if row[4]]
    assert len(expert) == 1, rows
    # The expert item is on the first frame that shows the alert: live
    # capture is one pass, so the alert is marked from its detection on.
    assert rows[0][4], rows[0]
