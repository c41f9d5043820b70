# SPDX-License-Identifier: GPL-2.0-or-later
"""The scored reference tier: every labelled third-party capture of
../shared/reference (corpus/labels.tsv and the pcaps/ labels in
reference_scoring.py), in one pass and in two: every attack found with its
type, attacker and every victim (the swept range for a sweep), and no
episode at all on ordinary traffic. Skipped when the folder is absent.
bench/reference-score.py prints the same verdicts as a table."""
import pytest

from reference_scoring import all_labels, verdict

CASES = all_labels()


@pytest.mark.skipif(not CASES, reason="../shared/reference absent: scored tier skipped")
@pytest.mark.parametrize("two_pass", [False, True], ids=["pass1", "pass2"])
@pytest.mark.parametrize("path,label", CASES, ids=[p.name for p, _ in CASES])
def test_reference_verdict(tshark, path, label, two_pass):
    alerts = tshark.report_json(path, two_pass=two_pass)["alerts"]
    ok, words = verdict(alerts, label)
    assert ok, words


# The scorer itself, on made-up episodes: it must fail what the rules fail.
SCAN = ({"portscan"}, "10.0.0.135", "10.0.0.1,10.0.0.2")
SWEEP = ({"sweep"}, "10.0.0.128", "10.0.0.0/24")


def episode(kind, src, dst=None, dst_net=None):
    return {"type": kind, "src": src, "dst": dst, "dst_net": dst_net}


def test_a_scan_must_name_every_victim():
    both = [episode("portscan", "10.0.0.135", "10.0.0.1"),
            episode("portscan", "10.0.0.135", "10.0.0.2")]
    assert verdict(both, SCAN)[0]
    assert not verdict(both[:1], SCAN)[0]
    assert not verdict([episode("portscan", "10.0.0.9", "10.0.0.1"), both[1]], SCAN)[0]
    assert not verdict([episode("sweep", "10.0.0.135", "10.0.0.1"), both[1]], SCAN)[0]


def test_a_sweep_must_name_an_overlapping_range():
    assert verdict([episode("sweep", "10.0.0.128", dst_net="10.0.0.0/25")], SWEEP)[0]
    assert verdict([episode("sweep", "10.0.0.128", dst_net="10.0.0.0/16")], SWEEP)[0]
    assert not verdict([episode("sweep", "10.0.0.128", dst_net="10.0.1.0/24")], SWEEP)[0]
    assert not verdict([episode("sweep", "10.0.0.128")], SWEEP)[0]
    assert not verdict([episode("sweep", "10.0.0.128", dst_net="2001:db8::/48")], SWEEP)[0]


def test_ordinary_traffic_allows_no_episode():
    assert verdict([], (set(), "-", "-"))[0]
    assert not verdict([episode("geo", "192.0.2.1", "198.51.100.1")], (set(), "-", "-"))[0]
