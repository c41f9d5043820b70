# SPDX-License-Identifier: GPL-2.0-or-later
"""The shared dissections (shared_dissection.py) answer what a run of a
test's own prints: the same rows, for every shared display filter, with
and without the plugin, in one pass and in two. The capture is crafted so
that each filter selects some of its packets and leaves others out."""
import struct

import pytest

import pcap_craft as pc
from shared_dissection import SHARED_FILTERS, SharedDissection

A4, B4, R4 = "192.0.2.10", "203.0.113.20", "198.51.100.1"
A6, B6, R6 = "2001:db8:2::10", "2001:db8:20::20", "2001:db8:66::1"

# Columns compared: Wireshark's own, and with the plugin, ntt's of both
# passes (totals and final states exist only in the second).
PLAIN = ("frame.number", "frame.len", "ip.src", "ipv6.dst", "tcp.stream",
         "udp.dstport", "icmp.type", "icmpv6.type", "arp.opcode")
WITH_PLUGIN = PLAIN + ("ntt.flow.id", "ntt.flow.state", "ntt.flow.total_pkts",
                       "ntt.flow.final_state", "ntt.service")


def echo(kind, ident):
    return struct.pack("!BBHHH", kind, 0, 0, ident, 1) + b"ping"


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    udp_probe = pc.ipv4(A4, B4, 17, pc.udp(40000, 161, b"q"))
    syn = pc.ipv4(A4, B4, 6, pc.tcp(40001, 80, 0x02))
    udp_probe6 = pc.ipv6(A6, B6, 17, pc.udp(40000, 161, b"q"))
    packets = [
        pc.ether(syn),
        pc.ether(pc.ipv4(B4, A4, 6, pc.tcp(80, 40001, 0x12, seq=5))),
        pc.ether(pc.ipv4(A4, B4, 6, pc.tcp(40002, 22, 0x02))),
        pc.ether(pc.ipv4(A4, B4, 17, pc.udp(40003, 53, b"query"))),
        pc.ether(pc.ipv4(B4, A4, 17, pc.udp(53, 40003, b"answer"))),
        pc.ether(udp_probe),
        pc.ether(pc.ipv4(B4, A4, 1, pc.icmp_error(3, 3, udp_probe))),
        pc.ether(pc.ipv4(R4, A4, 1, pc.icmp_error(3, 1, syn))),
        pc.ether(pc.ipv4(A4, B4, 1, echo(8, 7))),
        pc.ether(pc.ipv4(B4, A4, 1, echo(0, 7))),
        pc.ether(pc.ipv6(A6, B6, 58, echo(128, 9)), 0x86dd),
        pc.ether(pc.ipv6(B6, A6, 58, echo(129, 9)), 0x86dd),
        pc.ether(pc.ipv6(A6, B6, 6, pc.tcp(40004, 443, 0x02)), 0x86dd),
        pc.ether(udp_probe6, 0x86dd),
        pc.ether(pc.ipv6(R6, A6, 58, pc.icmp_error(1, 4, udp_probe6)), 0x86dd),
        pc.ether(pc.ipv4(A4, B4, 47, b"\x00\x00\x08\x00")),
        pc.arp_request(A4, B4),
        pc.ether(b"\x00" * 46, 0x88b5),
    ]
    path = tmp_path_factory.mktemp("harness") / "every-kind.pcap"
    pc.write_pcap(path, packets)
    return path, len(packets)


MODES = [pytest.param(False, True, WITH_PLUGIN, id="1-pass"),
         pytest.param(True, True, WITH_PLUGIN, id="2-pass"),
         pytest.param(False, False, PLAIN, id="plain")]


@pytest.mark.parametrize("display_filter", [None] + list(SHARED_FILTERS))
@pytest.mark.parametrize("two_pass,plugin,columns", MODES)
def test_shared_rows_are_what_a_run_of_their_own_prints(tshark, crafted, two_pass, plugin,
                                                        columns, display_filter):
    path, count = crafted
    shared = tshark.fields(path, columns, two_pass=two_pass, plugin=plugin,
                           display_filter=display_filter)
    own = tshark.own_fields(path, columns, two_pass=two_pass, plugin=plugin,
                            display_filter=display_filter)
    assert shared == own
    if display_filter is None:
        assert len(own) == count
    else:
        # The comparison means something: the filter keeps some, not all.
        assert 0 < len(own) < count, display_filter


def test_without_the_selection_script_filters_run_on_their_own(tshark, crafted, tmp_path):
    """A tshark without Lua loads no script: each filter then gets a -Y
    run of its own, with the same answer."""
    path, _count = crafted
    silent = tmp_path / "silent.lua"
    silent.write_text("-- loads, selects nothing, says nothing\n")
    head = ["-r", tshark.readable(path)]
    fallback = SharedDissection(lambda args: tshark.run(head + args), tshark.shared_fields(),
                                tshark.shared_filters_file, tshark.readable(silent))
    for display_filter in SHARED_FILTERS:
        assert fallback.select(WITH_PLUGIN, display_filter) == \
            tshark.fields(path, WITH_PLUGIN, display_filter=display_filter)
