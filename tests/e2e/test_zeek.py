# SPDX-License-Identifier: GPL-2.0-or-later
"""-z ntt,conn against Zeek itself: the conn.log Zeek wrote for the same
traces (its btest baselines), connection by connection: states, packet
and IP byte counts, payload sizes, durations and, where the baseline
keeps them, start times. Where ntt and Zeek read a trace differently the
disagreement is listed, with its reason, in zeek_baselines.py and
docs/exports.md; the test holds ntt to exactly that list.

Tiers: wikipedia.pcap from ../shared/reference against the two Zeek
baselines stored in tests/e2e/zeek (with Zeek's BSD licence); every
other trace and baseline read from a local mirror of Zeek's repository
(skipped where there is none); zeek-cut, built from Zeek's own source in
a mirror of zeek-aux, reading ntt's file (skipped likewise)."""
import os
import pathlib
import shutil
import subprocess

import pytest

import zeek_conn
from ntt_harness import REFERENCE_PCAPS
from zeek_baselines import CASES

HERE = pathlib.Path(__file__).resolve().parent
WIKIPEDIA = REFERENCE_PCAPS / "wikipedia.pcap"
reference = pytest.mark.skipif(not WIKIPEDIA.exists(),
                               reason=f"{WIKIPEDIA} absent: reference tier skipped")
mirror = pytest.mark.skipif(not zeek_conn.zeek_available(),
                            reason=f"no mirror of Zeek's repository at {zeek_conn.ZEEK_REPO}")

ZEEK_AUX = pathlib.Path(os.environ.get(
    "NTT_ZEEK_AUX_REPO", zeek_conn.ROOT.parent / ".mirror" / "zeek+zeek-aux" / "repo"))
# The last zeek-aux commit with zeek-cut's C source in it.
ZEEK_CUT_COMMIT = "0f4ad4c9c3b511375e147a29768ce2e1049e1a28"


def ntt_conn(tshark, capture, tap_filter=None):
    z = "ntt,conn" + (f",{tap_filter}" if tap_filter else "")
    out = tshark.run(["-r", tshark.readable(capture), "-q", "-z", z]).stdout
    return zeek_conn.parse(out)


def stored_baseline(name):
    return zeek_conn.parse((HERE / "zeek" / f"{name}.conn.log").read_text())[2]


@reference
def test_wikipedia_agrees_with_zeek(tshark):
    _h, _f, rows = ntt_conn(tshark, WIKIPEDIA)
    zeek = stored_baseline("opt.basic")
    assert len(rows) == len(zeek) == 34
    assert zeek_conn.compare(zeek, rows) == []


@reference
def test_a_filter_lists_the_flows_zeek_lists_with_that_capture_filter(tshark):
    """Zeek read the trace with `-f "port 50000"`: the same connection, and
    only it, for ntt's display filter."""
    _h, _f, rows = ntt_conn(tshark, WIKIPEDIA, "tcp.port == 50000 || udp.port == 50000")
    zeek = stored_baseline("core.pcap.read-trace-with-filter")
    assert len(rows) == 1
    assert zeek_conn.compare(zeek, rows) == []


@mirror
@pytest.mark.parametrize("baseline,trace,reasons,expected", CASES,
                         ids=[c[0] for c in CASES])
def test_zeek_baseline(tshark, baseline, trace, reasons, expected):
    path = pathlib.Path(tshark.workdir) / ("zeek-" + trace.replace("/", "_"))
    path.write_bytes(zeek_conn.zeek_file(f"testing/btest/Traces/{trace}"))
    path.chmod(0o644)
    _h, _f, zeek = zeek_conn.parse(
        zeek_conn.zeek_file(f"testing/btest/Baseline/{baseline}/conn.log").decode())
    _h, _f, rows = ntt_conn(tshark, path)
    found = zeek_conn.compare(zeek, rows)
    assert [tuple(d) for d in found] == [tuple(d) for d in expected], reasons
    # No disagreement is pinned without its reason.
    assert bool(reasons) == bool(expected)
    # Every reason named is one docs/exports.md explains.
    doc = (zeek_conn.ROOT / "docs" / "exports.md").read_text()
    for tag in reasons.split():
        assert f"`{tag}`" in doc


@pytest.fixture(scope="module")
def zeek_cut(tmp_path_factory):
    # A fresh machine (or a release root) may have neither git nor the mirror.
    if not shutil.which("git") or not ZEEK_AUX.is_dir():
        pytest.skip(f"no git or no mirror of zeek-aux at {ZEEK_AUX}")
    probe = subprocess.run(["git", "-C", str(ZEEK_AUX), "cat-file", "-e",
                            f"{ZEEK_CUT_COMMIT}:zeek-cut/zeek-cut.c"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no mirror of zeek-aux with zeek-cut at {ZEEK_AUX}")
    folder = tmp_path_factory.mktemp("zeek-cut")
    source = folder / "zeek-cut.c"
    source.write_bytes(subprocess.run(
        ["git", "-C", str(ZEEK_AUX), "show", f"{ZEEK_CUT_COMMIT}:zeek-cut/zeek-cut.c"],
        capture_output=True, check=True).stdout)
    binary = folder / "zeek-cut"
    subprocess.run(["cc", "-O1", "-o", str(binary), str(source)], check=True)
    return binary


@reference
def test_zeek_cut_reads_the_file(tshark, zeek_cut):
    out = tshark.run(["-r", tshark.readable(WIKIPEDIA), "-q", "-z", "ntt,conn"]).stdout
    _h, _f, rows = zeek_conn.parse(out)
    cut = subprocess.run([str(zeek_cut), "uid", "conn_state", "orig_ip_bytes", "history"],
                         input=out, capture_output=True, text=True, check=True)
    assert [line.split("\t") for line in cut.stdout.splitlines()] == \
        [[r["uid"], r["conn_state"], r["orig_ip_bytes"], r["history"]] for r in rows]
    # -u: zeek-cut finds ts by its type and turns it into a date (UTC here).
    dated = subprocess.run([str(zeek_cut), "-u", "ts", "uid"], input=out,
                           capture_output=True, text=True, check=True)
    first = dated.stdout.splitlines()[0].split("\t")
    assert first[0].startswith("2011-03-18T19:06:07") and first[1] == rows[0]["uid"]
