# SPDX-License-Identifier: GPL-2.0-or-later
"""Reading Zeek conn.log files and comparing ntt's -z ntt,conn with the
conn.log Zeek itself wrote for the same trace (its btest baselines).

Connections are matched by protocol and endpoints (either way round: a
flow ntt and Zeek orient differently is matched "flipped"); where several
share them, by timestamp when the baseline keeps one, else by the fewest
differing fields."""
import os
import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Zeek's repository as the search tool's fetch leaves it (a bare mirror):
# its testing/btest/Traces and testing/btest/Baseline at this commit.
ZEEK_REPO = pathlib.Path(os.environ.get(
    "NTT_ZEEK_REPO", ROOT.parent / ".mirror" / "zeek+zeek" / "repo"))
ZEEK_COMMIT = "a13de64fbbdb01f90961c04719b308fbbb6d199e"

KEY = ("proto", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p")
COMPARED = ("conn_state", "orig_pkts", "resp_pkts", "orig_ip_bytes", "resp_ip_bytes",
            "orig_bytes", "resp_bytes", "duration", "ts")
SWAP = {"orig_pkts": "resp_pkts", "resp_pkts": "orig_pkts",
        "orig_ip_bytes": "resp_ip_bytes", "resp_ip_bytes": "orig_ip_bytes",
        "orig_bytes": "resp_bytes", "resp_bytes": "orig_bytes"}


def parse(text):
    """(header lines as {tag: value}, fields, rows as dicts)."""
    header, fields, rows = {}, None, []
    for line in text.splitlines():
        if line.startswith("#"):
            tag, _, value = line[1:].partition("\t" if "\t" in line else " ")
            header[tag] = value
            if tag == "fields":
                fields = value.split("\t")
        elif line.strip() and fields:
            rows.append(dict(zip(fields, line.split("\t"))))
    return header, fields, rows


def zeek_available():
    if not shutil.which("git"):
        return False
    if not (ZEEK_REPO / "HEAD").exists() and not (ZEEK_REPO / ".git").exists():
        return False
    return subprocess.run(["git", "-C", str(ZEEK_REPO), "cat-file", "-e", ZEEK_COMMIT],
                          capture_output=True).returncode == 0


def zeek_file(path):
    """A file of Zeek's repository at ZEEK_COMMIT, as bytes."""
    return subprocess.run(["git", "-C", str(ZEEK_REPO), "show", f"{ZEEK_COMMIT}:{path}"],
                          capture_output=True, check=True).stdout


def key_of(row, flipped=False):
    k = tuple(row.get(f) for f in KEY)
    return (k[0], k[3], k[4], k[1], k[2]) if flipped else k


def masked(value):
    return value is None or value.startswith("X")


def differences(zrow, nrow, flipped):
    out = {}
    for field in COMPARED:
        zv = zrow.get(field)
        if masked(zv):
            continue
        nv = nrow.get(SWAP.get(field, field) if flipped else field)
        if zv != nv:
            out[field] = (zv, nv)
    return out


def compare(zeek_rows, ntt_rows):
    """Every disagreement, as sorted tuples:
    ("zeek-only", key), ("ntt-only", key), ("flipped", key) and
    ("differs", key, field, zeek_value, ntt_value); key is Zeek's
    orientation (ntt's for ntt-only rows), as "proto a:p > b:q"."""
    by_key = {}
    for row in ntt_rows:
        by_key.setdefault(key_of(row), []).append(row)
    found = []
    for zrow in zeek_rows:
        flipped = False
        cands = by_key.get(key_of(zrow))
        if not cands:
            cands = by_key.get(key_of(zrow, flipped=True))
            flipped = bool(cands)
        name = label(key_of(zrow))
        if not cands:
            found.append(("zeek-only", name))
            continue
        if not masked(zrow.get("ts")):
            best = min(cands, key=lambda r: abs(float(r["ts"]) - float(zrow["ts"])))
        else:
            best = min(cands, key=lambda r: len(differences(zrow, r, flipped)))
        cands.remove(best)
        if flipped:
            found.append(("flipped", name))
        for field, (zv, nv) in differences(zrow, best, flipped).items():
            found.append(("differs", name, field, zv, nv))
    for rows in by_key.values():
        for row in rows:
            found.append(("ntt-only", label(key_of(row))))
    return sorted(found)


def label(key):
    proto, oh, op, rh, rp = key
    return f"{proto} {oh}:{op} > {rh}:{rp}"
