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
