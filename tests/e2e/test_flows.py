# SPDX-License-Identifier: GPL-2.0-or-later
"""Per-packet flow fields, checked against what Wireshark works out itself
(tcp.stream, udp.stream, frame lengths and times, -z conv)."""
import collections
import decimal
import functools
import re

import pytest

from conftest import capture_params
# Packets whose own transport is TCP/UDP (not a header quoted in ICMP).
from shared_dissection import (ICMP_ECHO_ONLY, TCP_ONLY, TRANSPORT_ONLY, UDP_ONLY,
                               UNREACHABLE)

ALL = capture_params()


def is_set(value):
    """A boolean field as -T fields prints it: "1"/"0" in Wireshark 4.0,
    "True"/"False" from 4.2 on."""
    return value in ("1", "True")


@functools.lru_cache(maxsize=None)
def _streams_as_in_40(tshark, capture):
    """frame number -> tcp.stream as Wireshark 4.0 numbers it, which is
    the rule ntt's flows follow on every release. 4.0 keeps a SYN that
    comes again after a RST with the sequence number its connection began
    with (tcptraceroute resends one SYN with rising TTLs) in that stream;
    4.4 and 4.6 start a new tcp.stream there. So a stream whose first
    packet is such a SYN (same ports and addresses, same side, same
    tcp.seq_raw as the first SYN of the latest stream on that 5-tuple) is
    folded into that stream, and the streams are numbered again in order
    of first packet. On 4.0 this changes nothing."""
    rows = tshark.fields(capture, ("frame.number", "tcp.stream", "ip.src", "ipv6.src",
                                   "ip.dst", "ipv6.dst", "tcp.srcport", "tcp.dstport",
                                   "tcp.flags.syn", "tcp.flags.ack", "tcp.seq_raw"),
                         display_filter=TCP_ONLY, plugin=False)
    into, first_syn, latest, renumber, out = {}, {}, {}, {}, {}
    for frame, stream, s4, s6, d4, d6, sport, dport, syn, ack, seq in rows:
        src, dst = (s4 or s6, sport), (d4 or d6, dport)
        tuple5 = frozenset((src, dst))
        if stream not in into:
            bare_syn = (src, seq) if is_set(syn) and not is_set(ack) else None
            earlier = latest.get(tuple5)
            if bare_syn and earlier is not None and first_syn.get(earlier) == bare_syn:
                into[stream] = into[earlier]
            else:
                into[stream] = stream
            first_syn[stream] = bare_syn
            latest[tuple5] = stream
        out[frame] = renumber.setdefault(into[stream], str(len(renumber)))
    return out


def tcp_fields(tshark, capture, fields, **kwargs):
    """tshark.fields() of TCP_ONLY packets, with the "tcp.stream" column
    as Wireshark 4.0 numbers it (_streams_as_in_40)."""
    streams = _streams_as_in_40(tshark, capture)
    at = fields.index("tcp.stream")
    rows = tshark.fields(capture, ("frame.number",) + tuple(fields),
                         display_filter=TCP_ONLY, **kwargs)
    return [tuple(streams.get(row[0], v) if i == at else v for i, v in enumerate(row[1:]))
            for row in rows]


def one_to_one(pairs):
    forward, backward = collections.defaultdict(set), collections.defaultdict(set)
    for a, b in pairs:
        forward[a].add(b)
        backward[b].add(a)
    bad = {a: bs for a, bs in forward.items() if len(bs) > 1}
    bad.update({("ntt", b): as_ for b, as_ in backward.items() if len(as_) > 1})
    return bad


@pytest.mark.parametrize("capture", ALL)
def test_every_ip_packet_has_a_flow_and_no_other_does(tshark, capture):
    rows = tshark.fields(capture, ("frame.number", "ip.version", "ipv6.version",
                                   "ntt.flow.id"))
    assert rows, "no packets read"
    for number, v4, v6, flow in rows:
        is_ip = bool(v4 or v6)
        assert bool(flow) == is_ip, f"frame {number}: ip={is_ip} ntt.flow.id={flow!r}"


@pytest.mark.parametrize("capture", ALL)
def test_tcp_flows_map_one_to_one_onto_tcp_stream(tshark, capture):
    rows = tcp_fields(tshark, capture, ("tcp.stream", "ntt.flow.id"))
    if not rows:
        pytest.skip("no TCP in this capture")
    assert one_to_one(rows) == {}


@pytest.mark.parametrize("capture", ALL)
def test_udp_flows_map_one_to_one_onto_the_5_tuple(tshark, capture):
    """udp.stream is not a pure 5-tuple (a dissector's wildcard conversation
    can merge ports, as after the ICMP errors of nmap -sU), so the truth here
    is the 5-tuple itself, from plain tshark output."""
    truth = tshark.fields(capture, ("ip.src", "ipv6.src", "udp.srcport", "ip.dst",
                                    "ipv6.dst", "udp.dstport"),
                          display_filter=UDP_ONLY, plugin=False)
    if not truth:
        pytest.skip("no UDP in this capture")
    flows = tshark.fields(capture, ("ntt.flow.id",), display_filter=UDP_ONLY)
    keys = [frozenset(((s4 or s6, sp), (d4 or d6, dp))) for s4, s6, sp, d4, d6, dp in truth]
    assert len(keys) == len(flows)
    assert one_to_one(zip(keys, (f[0] for f in flows))) == {}


@pytest.mark.parametrize("capture", ALL)
def test_flow_ids_are_numbered_in_order_of_first_packet(tshark, capture):
    ids = [int(r[0]) for r in tshark.fields(capture, ("ntt.flow.id",)) if r[0]]
    first_seen = list(dict.fromkeys(ids))
    assert first_seen == list(range(len(first_seen)))


def expected_running_counts(rows):
    """From (stream, src, len, epoch, flags) rows, what ntt.flow.* should say
    at each packet, worked out from the stream alone."""
    streams = {}
    expected = []
    for stream, src, length, epoch, syn_ack in rows:
        length, epoch = int(length), float(epoch)
        st = streams.get(stream)
        if st is None:
            # The originator sent the first packet, unless that packet is a
            # SYN-ACK (the capture missed the SYN).
            st = streams[stream] = {"orig": None, "pkts": [0, 0], "bytes": [0, 0],
                                    "first": epoch, "last": epoch, "first_src": src,
                                    "first_synack": syn_ack == "1"}
        d = 0 if (src == st["first_src"]) != st["first_synack"] else 1
        st["pkts"][d] += 1
        st["bytes"][d] += length
        iat = epoch - st["last"]
        st["last"] = epoch
        expected.append((d, sum(st["pkts"]), sum(st["bytes"]), st["pkts"][0],
                         st["pkts"][1], st["bytes"][0], st["bytes"][1],
                         epoch - st["first"], iat))
    return expected


@pytest.mark.parametrize("capture", ALL)
def test_running_counts_and_times_per_tcp_stream(tshark, capture):
    truth_rows = tcp_fields(
        tshark, capture, ("tcp.stream", "ip.src", "ipv6.src", "frame.len",
                          "frame.time_epoch", "tcp.flags.syn", "tcp.flags.ack"),
        plugin=False)
    if not truth_rows:
        pytest.skip("no TCP in this capture")
    truth = expected_running_counts(
        [(s, src4 or src6, ln, t, "1" if (is_set(syn) and is_set(ack)) else "0")
         for s, src4, src6, ln, t, syn, ack in truth_rows])
    ntt = tshark.fields(
        capture, ("ntt.flow.dir", "ntt.flow.pkts", "ntt.flow.bytes",
                  "ntt.flow.orig_pkts", "ntt.flow.resp_pkts",
                  "ntt.flow.orig_bytes", "ntt.flow.resp_bytes",
                  "ntt.flow.duration", "ntt.flow.iat"),
        display_filter=TCP_ONLY)
    assert len(ntt) == len(truth)
    for i, (got, want) in enumerate(zip(ntt, truth)):
        ints = tuple(int(x) for x in got[:7])
        assert ints == want[:7], f"packet {i}: {got} != {want}"
        assert float(got[7]) == pytest.approx(want[7], abs=2e-6)
        assert float(got[8]) == pytest.approx(want[8], abs=2e-6)


@pytest.mark.parametrize("capture", ALL)
def test_iat_and_duration_agree_with_tcp_timestamps(tshark, capture):
    # The gap is worked out from the stream's own segments: tshark's
    # tcp.time_delta also restarts at an ICMP error quoting the stream
    # (traceroute's time-exceeded, a router's no-route), which is not a
    # packet of the connection.
    rows = tcp_fields(tshark, capture, ("tcp.stream", "frame.time_epoch", "tcp.time_relative",
                                        "ntt.flow.iat", "ntt.flow.duration"),
                      extra=("-o", "tcp.calculate_timestamps:TRUE"))
    if not rows:
        pytest.skip("no TCP in this capture")
    last, first, restarted = {}, {}, set()
    for stream, epoch, rel, iat, duration in rows:
        t = decimal.Decimal(epoch)
        delta = t - last.get(stream, t)
        last[stream] = t
        assert float(iat) == pytest.approx(float(delta), abs=2e-6)
        # The time since the stream's first segment: tcp.time_relative in
        # 4.0; 4.4+ restart that where they start a stream that 4.0 (and
        # ntt) continue (tcp_fields()), so there it is worked out from the
        # stream's own first segment.
        first.setdefault(stream, t)
        want = float(rel) if stream not in restarted else float(t - first[stream])
        if abs(float(t - first[stream]) - want) > 2e-6:
            restarted.add(stream)
            want = float(t - first[stream])
        assert float(duration) == pytest.approx(want, abs=2e-6)


@functools.lru_cache(maxsize=None)
def conv_tables(tshark, capture):
    """{"tcp"/"udp": {frozenset of the two endpoints: total frames}} from
    one run of -z conv,tcp -z conv,udp."""
    out = tshark.run(["-r", tshark.readable(capture), "-q", "-z", "conv,tcp",
                      "-z", "conv,udp"], plugin=False).stdout
    tables, table = {}, None
    for line in out.splitlines():
        # Each table starts with its title ("TCP Conversations").
        title = re.match(r"^(TCP|UDP) Conversations$", line)
        if title:
            table = tables.setdefault(title.group(1).lower(), {})
            continue
        m = re.match(r"^(\S+)\s+<->\s+(\S+)\s+(.*)$", line)
        if not m:
            continue
        # "<- frames bytes unit  -> frames bytes unit  total frames bytes unit"
        frames = re.findall(r"(\d+)\s+\d+\s(?:bytes|kB|MB|GB)", m.group(3))
        assert len(frames) == 3, line
        key = frozenset((m.group(1), m.group(2)))
        table[key] = table.get(key, 0) + int(frames[2])
    assert set(tables) == {"tcp", "udp"}, out
    return tables


def conv_frames(tshark, capture, kind):
    """{frozenset of the two endpoints: total frames} from -z conv,KIND."""
    return conv_tables(tshark, capture)[kind]


def endpoint(addr, port):
    return f"{addr}:{port}"


@pytest.mark.parametrize("kind,filt", [("tcp", TCP_ONLY), ("udp", UDP_ONLY)])
@pytest.mark.parametrize("capture", ALL)
def test_flow_totals_agree_with_conv(tshark, capture, kind, filt):
    """Two passes: ntt.flow.total_pkts of each flow, summed per endpoint
    pair, equals the frames -z conv counts for that pair."""
    rows = tshark.fields(capture, ("ntt.flow.id", "ip.src", "ip.dst", "ipv6.src",
                                   "ipv6.dst", f"{kind}.srcport", f"{kind}.dstport",
                                   "ntt.flow.total_pkts"),
                         two_pass=True, display_filter=filt)
    if not rows:
        pytest.skip(f"no {kind} in this capture")
    per_flow = {}
    for flow, src4, dst4, src6, dst6, sport, dport, total in rows:
        key = frozenset((endpoint(src4 or src6, sport), endpoint(dst4 or dst6, dport)))
        assert per_flow.setdefault(flow, (key, total)) == (key, total)
    ntt_pairs = collections.Counter()
    for key, total in per_flow.values():
        ntt_pairs[key] += int(total)
    conv = conv_frames(tshark, capture, kind)
    assert dict(ntt_pairs) == conv


@pytest.mark.parametrize("capture", ALL)
def test_total_bytes_equal_frame_lengths_of_the_stream(tshark, capture):
    truth = collections.Counter()
    for stream, length in tcp_fields(tshark, capture, ("tcp.stream", "frame.len"),
                                     plugin=False):
        truth[stream] += int(length)
    if not truth:
        pytest.skip("no TCP in this capture")
    rows = tcp_fields(tshark, capture, ("tcp.stream", "ntt.flow.total_bytes",
                                        "ntt.flow.total_pkts"), two_pass=True)
    counts = collections.Counter(r[0] for r in rows)
    for stream, total_bytes, total_pkts in rows:
        assert int(total_bytes) == truth[stream]
        assert int(total_pkts) == counts[stream]


FIELDS_REPLAYED = ("frame.number", "ntt.flow.id", "ntt.flow.dir", "ntt.flow.new",
                   "ntt.flow.pkts", "ntt.flow.bytes", "ntt.flow.orig_pkts",
                   "ntt.flow.resp_bytes", "ntt.flow.duration", "ntt.flow.iat",
                   "ntt.flow.state", "ntt.service")


@pytest.mark.parametrize("capture", ALL)
def test_single_pass_and_two_pass_show_the_same_values(tshark, capture):
    one = tshark.fields(capture, FIELDS_REPLAYED)
    two = tshark.fields(capture, FIELDS_REPLAYED, two_pass=True)
    assert one == two


@pytest.mark.parametrize("capture", ALL)
def test_totals_only_once_the_file_has_been_read(tshark, capture):
    one = tshark.fields(capture, ("ntt.flow.total_pkts", "ntt.flow.final_state"))
    assert all(r == ("", "") for r in one)
    two = tshark.fields(capture, ("ntt.flow.id", "ntt.flow.pkts",
                                  "ntt.flow.total_pkts", "ntt.flow.state",
                                  "ntt.flow.final_state"), two_pass=True)
    last = {}
    for flow, pkts, total, state, final in two:
        if flow:
            last[flow] = (pkts, state)
    for flow, pkts, total, state, final in two:
        if flow:
            # The last packet of a flow knows its totals already.
            assert (total, final) == last[flow]


@pytest.mark.parametrize("capture", ALL)
def test_display_filters_select_by_flow_fields(tshark, capture):
    rows = tshark.fields(capture, ("ntt.flow.pkts",))
    big = sum(1 for r in rows if r[0] and int(r[0]) > 10)
    filtered = tshark.fields(capture, ("frame.number",), display_filter="ntt.flow.pkts > 10")
    assert len(filtered) == big


@pytest.mark.parametrize("capture", ALL)
def test_icmp_echo_flows_follow_the_identifier(tshark, capture):
    rows = tshark.fields(capture, ("ip.src", "ip.dst", "icmp.type", "icmp.ident",
                                   "ntt.flow.id"),
                         # Echo itself, not an ICMP error quoting an echo.
                         display_filter=ICMP_ECHO_ONLY)
    if not rows:
        pytest.skip("no ICMP echo in this capture")
    pairs = [(frozenset((s, d)), ident, flow) for s, d, _t, ident, flow in rows]
    assert one_to_one([((p, i), f) for p, i, f in pairs]) == {}


@pytest.mark.parametrize("capture", ALL)
def test_icmp_errors_are_not_counted_as_the_flow_they_quote(tshark, capture):
    errors = tshark.fields(capture, ("ntt.flow.id", "ntt.service"),
                           display_filter=UNREACHABLE)
    if not errors:
        pytest.skip("no ICMP unreachable in this capture")
    transport_flows = {r[0] for r in tshark.fields(
        capture, ("ntt.flow.id",), display_filter=TRANSPORT_ONLY)}
    for flow, service in errors:
        assert flow not in transport_flows
        assert service == ""
