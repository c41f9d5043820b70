# SPDX-License-Identifier: GPL-2.0-or-later
"""Runs tshark with and without the freshly built ntt plugin.

As root, tshark ignores personal plugin folders, so every run with the
plugin goes through tests/tshark-as-user.sh (an unprivileged user, a
throw-away HOME). Runs without the plugin ("truth" runs, whose numbers the
tests compare against) call the system tshark directly: it cannot see ntt.
Inputs are copied into a world-readable folder first, so the unprivileged
user can read them wherever the checkout lives. Field reads share one run
per capture, pass and preferences (shared_dissection.py).
"""
import functools
import json
import os
import pathlib
import shutil
import subprocess
import tempfile

from shared_dissection import SELECT_SCRIPT, SHARED_FIELDS, SHARED_FILTERS, SharedDissection

ROOT = pathlib.Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tests" / "tshark-as-user.sh"
CAPTURES = ROOT / "captures"
REFERENCE = ROOT.parent / "shared" / "reference"
REFERENCE_PCAPS = REFERENCE / "pcaps"
TSHARK = os.environ.get("NTT_TSHARK", "tshark")


def plugin_path():
    path = os.environ.get("NTT_PLUGIN") or str(ROOT / "build" / "plugin" / "ntt.so")
    if not os.path.exists(path):
        raise RuntimeError(f"ntt plugin not built: {path} (set NTT_PLUGIN)")
    return path


class Tshark:
    def __init__(self):
        self.plugin = plugin_path()
        self.workdir = tempfile.mkdtemp(prefix="ntt-e2e-")
        os.chmod(self.workdir, 0o755)
        self.home = os.path.join(self.workdir, "home")
        os.mkdir(self.home)
        self._copies = {}
        self._dissections = {}
        filters = os.path.join(self.workdir, "shared-filters.txt")
        with open(filters, "w") as out:
            out.writelines(f + "\n" for f in SHARED_FILTERS)
        os.chmod(filters, 0o644)
        self.shared_filters_file = filters

    def close(self):
        shutil.rmtree(self.workdir, ignore_errors=True)

    def readable(self, path):
        """A world-readable copy of an input file."""
        path = str(path)
        if path not in self._copies:
            dest = os.path.join(self.workdir, f"{len(self._copies)}-{os.path.basename(path)}")
            shutil.copyfile(path, dest)
            os.chmod(dest, 0o644)
            self._copies[path] = dest
        return self._copies[path]

    def run(self, args, plugin=True, check=True, timeout=600, profiles=(),
            tshark_env=(), tty=False, wrapper=()):
        """Runs tshark; returns the CompletedProcess (text). profiles:
        configuration profile folders copied into tshark's personal
        profiles folder first (`-C NAME` then finds them); tshark_env:
        VAR=value words added to tshark's environment; tty: tshark's
        standard output is a terminal (a pseudo-terminal read here), as
        --color needs; wrapper: a command (words) the run is started
        through, e.g. unshare."""
        env = dict(os.environ, NTT_HOME=self.home, NTT_TSHARK=TSHARK,
                   NTT_PROFILES=" ".join(str(p) for p in profiles),
                   NTT_ENV=" ".join(tshark_env))
        if plugin:
            cmd = [str(RUNNER), self.plugin] + list(args)
        else:
            cmd = [TSHARK] + list(args)
        cmd = list(wrapper) + cmd
        if tty:
            proc = run_on_a_terminal(cmd, env, timeout)
        else:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True,
                                  timeout=timeout)
        if check and proc.returncode != 0:
            raise AssertionError(
                f"tshark failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
        return proc

    def fields(self, capture, fields, two_pass=False, display_filter=None,
               plugin=True, extra=()):
        """Rows of -T fields output (a list of tuples of strings), as
        `-e FIELD... [-Y display_filter]` prints them: cut from the shared
        dissection of the capture where it has those fields and that
        filter, else from a run of their own."""
        fields, extra = tuple(fields), tuple(extra)
        if (display_filter is None or display_filter in SHARED_FILTERS) and \
                set(fields) <= set(self.shared_fields(plugin)):
            return self.dissection(capture, two_pass, plugin, extra).select(
                fields, display_filter)
        return self.own_fields(capture, fields, two_pass, display_filter, plugin, extra)

    def shared_fields(self, plugin=True):
        """The fields a shared dissection prints."""
        return SHARED_FIELDS + (self.ntt_fields() if plugin else ())

    def dissection(self, capture, two_pass=False, plugin=True, extra=()):
        """The SharedDissection of a capture for one pass and preferences."""
        key = (str(capture), two_pass, plugin, tuple(extra))
        if key not in self._dissections:
            head = ["-r", self.readable(capture)] + (["-2"] if two_pass else []) + list(extra)
            self._dissections[key] = SharedDissection(
                lambda args: self.run(head + args, plugin=plugin), self.shared_fields(plugin),
                self.shared_filters_file, self.readable(SELECT_SCRIPT))
        return self._dissections[key]

    @functools.lru_cache(maxsize=None)
    def ntt_fields(self):
        """Every field the plugin registers (tshark -G fields)."""
        out = self.run(["-G", "fields"]).stdout
        return tuple(cols[2] for cols in (line.split("\t") for line in out.splitlines())
                     if cols[0] == "F" and cols[2].startswith("ntt."))

    @functools.lru_cache(maxsize=None)
    def own_fields(self, capture, fields, two_pass=False, display_filter=None,
                   plugin=True, extra=()):
        """Rows of -T fields output from a run of their own."""
        args = ["-r", self.readable(capture), "-T", "fields", "-E", "separator=\t",
                "-E", "occurrence=f"]
        if two_pass:
            args.append("-2")
        if display_filter:
            args += ["-Y", display_filter]
        for f in fields:
            args += ["-e", f]
        args += list(extra)
        out = self.run(args, plugin=plugin).stdout
        return [tuple(line.split("\t")) for line in out.splitlines()]

    @functools.lru_cache(maxsize=None)
    def report_json(self, capture, tap_filter=None, two_pass=False, extra=()):
        z = "ntt,json" + (f",{tap_filter}" if tap_filter else "")
        args = ["-r", self.readable(capture), "-q", "-z", z] + list(extra)
        if two_pass:
            args.insert(0, "-2")
        out = self.run(args).stdout
        return json.loads(out[out.index("{"):])


def run_on_a_terminal(cmd, env, timeout):
    """subprocess.run with standard output on a pseudo-terminal; the
    terminal's CR LF line ends are read back as LF."""
    import pty
    import select
    import time
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, env=env, stdout=slave, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while True:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                proc.kill()
                raise subprocess.TimeoutExpired(cmd, timeout)
            try:
                chunk = os.read(master, 65536)
            except OSError:        # EIO: the other end closed
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(master)
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.wait()
    stdout = b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")
    return subprocess.CompletedProcess(cmd, proc.returncode, stdout, stderr)


def shipped_captures():
    return sorted(p for p in CAPTURES.glob("*.pcap*") if p.is_file())


# The third-party captures listed in ../shared/reference/README.md.
REFERENCE_NAMES = [
    "amp.UDP.isakmp.pcap", "dns_lab.pcapng", "google-cert-repeat.pcap",
    "hs-icmpScan.pcap", "hs-tcp_synPingSweepRand.pcapng", "http_espn.pcapng",
    "pkt.TCP.synflood.spoofed.pcap", "ps-tcp_syn.pcap", "synscan.pcapng",
    "tcp_0_1000_20190821.pcap", "udp_0_1000_20190821.pcap",
    "var-services-std-ports.pcap", "wikipedia.pcap",
]
