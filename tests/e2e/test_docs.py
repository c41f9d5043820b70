# SPDX-License-Identifier: GPL-2.0-or-later
"""The field and preference references in docs/ say what the plugin
registers."""
import subprocess
import sys

from ntt_harness import ROOT, plugin_path


def test_field_and_preference_tables_are_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "docs" / "gen-reference.py"),
                           "--check", plugin_path()], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_field_is_explained_in_prose_or_table():
    text = (ROOT / "docs" / "fields.md").read_text()
    for name in ("ntt.flow.id", "ntt.flow.state", "ntt.flow.total_pkts", "ntt.service"):
        assert f"`{name}`" in text
