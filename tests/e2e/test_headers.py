# SPDX-License-Identifier: GPL-2.0-or-later
"""Where ntt finds a packet's own IP header: IPv4 options, IPv6 extension
headers, ICMP and ICMPv6 errors quoting other packets, IP in IP. Each
crafted packet's expected flow is written down from its bytes."""
import pytest

import pcap_craft as pc

A4, B4, R4 = "192.0.2.10", "203.0.113.20", "198.51.100.1"
A6, B6, R6 = "2001:db8:2::10", "2001:db8:20::20", "2001:db8:66::1"


def flows_of(tshark, path):
    rows = tshark.fields(path, ("frame.number", "ntt.flow.id", "ntt.flow.dir",
                                "ntt.flow.pkts", "ntt.service"))
    return {int(n): (f, d, p, s) for n, f, d, p, s in rows}


@pytest.fixture(scope="module")
def crafted(tmp_path_factory):
    udp_probe6 = pc.ipv6(A6, B6, 17, pc.udp(40000, 53, b"q"))
    tcp_syn4 = pc.ipv4(A4, B4, 6, pc.tcp(40001, 80, 0x02))
    packets = [
        # 1, 2: TCP over IPv4 with options, both directions: one flow.
        pc.ether(pc.ipv4_options(A4, B4, 6, pc.tcp(40000, 22, 0x02, seq=1))),
        pc.ether(pc.ipv4_options(B4, A4, 6, pc.tcp(22, 40000, 0x12, seq=9))),
        # 3, 4: UDP over IPv6 behind hop-by-hop and destination options.
        pc.ether(pc.ipv6(A6, B6, 17, pc.udp(40000, 53, b"q"),
                         extensions=((0, b"\x01\x04\x00\x00\x00\x00"),
                                     (60, b"\x01\x0c" + b"\x00" * 12))), 0x86dd),
        pc.ether(pc.ipv6(B6, A6, 17, pc.udp(53, 40000, b"a")), 0x86dd),
        # 5: ICMPv6 port unreachable from a router, quoting packet 3's kind.
        pc.ether(pc.ipv6(R6, A6, 58, pc.icmp_error(1, 4, udp_probe6)), 0x86dd),
        # 6: ICMP host unreachable carried by IPv4 with options, quoting a SYN.
        pc.ether(pc.ipv4_options(R4, A4, 1, pc.icmp_error(3, 1, tcp_syn4))),
        # 7: IPv4 in IPv4 (protocol 4): the inner header is the flow.
        pc.ether(pc.ipv4(R4, "198.51.100.2", 4, tcp_syn4)),
        # 8: the same SYN without the tunnel: the same flow as 7.
        pc.ether(tcp_syn4),
    ]
    path = tmp_path_factory.mktemp("headers") / "headers.pcap"
    pc.write_pcap(path, packets)
    return path


def test_options_and_extension_headers_do_not_hide_the_ports(tshark, crafted):
    f = flows_of(tshark, crafted)
    assert f[1][0] == f[2][0] and (f[1][1], f[2][1]) == ("0", "1")
    assert f[2][2] == "2"
    assert f[3][0] == f[4][0] and (f[3][1], f[4][1]) == ("0", "1")
    assert f[3][3] == "dns"
    assert f[1][3] == "ssh"


def test_icmp_errors_belong_to_their_carrier_not_the_quoted_flow(tshark, crafted):
    f = flows_of(tshark, crafted)
    # Each error is its own flow (router -> client), new, with no service.
    for n in (5, 6):
        assert f[n][0] not in {f[m][0] for m in (1, 3, 7)}
        assert (f[n][1], f[n][2], f[n][3]) == ("0", "1", "")
    assert f[5][0] != f[6][0]


def test_tunnels_count_the_innermost_header(tshark, crafted):
    f = flows_of(tshark, crafted)
    assert f[7][0] == f[8][0]
    assert (f[7][2], f[8][2]) == ("1", "2")
    assert f[7][3] == "http"


def test_every_crafted_packet_has_a_flow(tshark, crafted):
    f = flows_of(tshark, crafted)
    assert sorted(f) == list(range(1, 9))
    assert all(v[0] for v in f.values())
    # 1-2, 3-4, 5, 6, 7-8
    assert len({v[0] for v in f.values()}) == 5
