# SPDX-License-Identifier: GPL-2.0-or-later
"""ntt against the lab captures' ground truth (captures/ground-truth.json),
which captures/ground-truth.py measured with plain tshark and its own
implementation of Zeek's connection states -- not with ntt."""
import collections
import hashlib
import json

import pytest

from ntt_harness import CAPTURES
# A packet's own transport, not a header quoted in an ICMP error.
from shared_dissection import ECHO_ONLY, TCP_ONLY, UDP_ONLY

GROUND_TRUTH = CAPTURES / "ground-truth.json"
FILES = json.loads(GROUND_TRUTH.read_text())["files"]
NAMES = sorted(FILES)


def test_every_shipped_capture_has_ground_truth():
    shipped = sorted(p.name for p in CAPTURES.glob("*.pcap*"))
    assert shipped == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_ground_truth_is_of_these_very_files(name):
    data = (CAPTURES / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == FILES[name]["sha256"], \
        f"{name} changed since captures/ground-truth.py last ran: re-run it"


@pytest.fixture(scope="module")
def reports(tshark):
    return {name: tshark.report_json(CAPTURES / name) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_summary_matches(reports, name):
    truth, summary = FILES[name], reports[name]["summary"]
    assert summary["packets"] == truth["packets"]
    assert summary["duration"] == pytest.approx(truth["duration"], abs=2e-6)


def flows_by(tshark, name, display_filter, *extra_fields):
    """{flow id: (final state, extra fields of its first packet...)}."""
    rows = tshark.fields(CAPTURES / name, ("ntt.flow.id", "ntt.flow.final_state")
                         + extra_fields, two_pass=True, display_filter=display_filter)
    flows = {}
    for flow, state, *rest in rows:
        flows.setdefault(flow, (state, *rest))
    return flows


@pytest.mark.parametrize("name", NAMES)
def test_tcp_flows_and_their_final_states(tshark, name):
    truth = FILES[name]
    flows = flows_by(tshark, name, TCP_ONLY)
    assert len(flows) == truth["tcp_streams"]
    states = collections.Counter(state for state, in flows.values())
    assert dict(states) == truth["tcp_states"]


@pytest.mark.parametrize("name", NAMES)
def test_udp_flows_are_the_udp_conversations(tshark, name):
    flows = flows_by(tshark, name, UDP_ONLY)
    assert len(flows) == FILES[name]["udp_conversations"]


@pytest.mark.parametrize("name", NAMES)
def test_icmp_echo_flows(tshark, name):
    flows = flows_by(tshark, name, ECHO_ONLY)
    assert len(flows) == FILES[name]["icmp_echo_flows"]


@pytest.mark.parametrize("name", NAMES)
def test_report_flow_count_covers_every_kind(reports, name):
    """TCP + UDP + echo flows are a lower bound of all flows; what is left
    is ICMP errors and other IP, one flow per address pair and protocol."""
    truth = FILES[name]
    known = truth["tcp_streams"] + truth["udp_conversations"] + truth["icmp_echo_flows"]
    assert reports[name]["flows"]["count"] >= known
    by_state = reports[name]["flows"]["by_state"]
    for state, count in truth["tcp_states"].items():
        assert by_state.get(state, 0) >= count
