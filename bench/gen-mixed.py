#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Deterministic generator of a mixed benchmark capture (classic pcap,
# Ethernet): many short TCP sessions (HTTP on 80/8080, a few refused,
# reset or unanswered), DNS over UDP 53 and ICMP echo pairs, over IPv4
# mostly and some IPv6, at about 2000 packets/s. With --attacks, a port
# scan, a spoofed SYN flood and a UDP flood against public servers are
# spread over it (see Attacks below).
#
#   bench/gen-mixed.py OUT.pcap [--packets N] [--seed S] [--pps R] [--attacks]
#
# Same arguments -> byte-identical file: the start time is fixed, the only
# randomness is random.Random(seed).random() (whose sequence Python keeps
# stable), and nothing reads the clock. Lengths and all checksums (IPv4,
# TCP, UDP, ICMP, ICMPv6) are correct. Sessions are never cut: the file
# holds at least N packets (a few more, to finish the last transactions).
# A summary with the number of TCP sessions (= tshark's -z conv,tcp rows
# and tcp.stream values) goes to stderr, or as JSON with --summary FILE.
#
# Only the standard library is used (struct, array); no scapy.
import argparse
import ipaddress
import json
import math
import random
import struct
import sys
from array import array

START_SEC = 1700000000          # 2023-11-14 22:13:20 UTC, fixed
LINKTYPE_ETHERNET = 1
SNAPLEN = 65535

ETH_IPV4 = 0x0800
ETH_IPV6 = 0x86DD
PROTO_ICMP = 1
PROTO_TCP = 6
PROTO_UDP = 17
PROTO_ICMPV6 = 58

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10

MSS = 1460
SYN_OPTS = b"\x02\x04\x05\xb4\x01\x03\x03\x07\x01\x01\x04\x02"   # MSS, WS 7, SACK permitted
GW_MAC = bytes.fromhex("020000000001")   # the router every host talks through

_BIG = sys.byteorder == "big"


def word_sum(data):
    """Sum of the big-endian 16-bit words of data (not folded)."""
    if len(data) & 1:
        data += b"\0"
    a = array("H", data)
    if not _BIG:
        a.byteswap()
    return sum(a)


def finish(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


class Host:
    __slots__ = ("addr", "v6", "mac", "asum", "rtt", "next_port", "icmp_id",
                 "icmp_seq", "ip_id", "inside")

    def __init__(self, addr, v6, rtt, port0, icmp_id, inside=None):
        self.addr = addr
        self.v6 = v6
        self.mac = bytes((0x02, 0x00)) + addr[-4:]
        self.asum = word_sum(addr)
        self.rtt = rtt
        self.next_port = port0
        # On the capture's side of the router: the clients (the only hosts
        # built with a port0) and, with --attacks, the attacked servers.
        self.inside = port0 != 0 if inside is None else inside
        self.icmp_id = icmp_id
        self.icmp_seq = 0
        self.ip_id = icmp_id * 7 & 0xFFFF

    def ephemeral(self):
        p = self.next_port
        self.next_port = 32768 + (p - 32768 + 1) % 28232   # Linux 32768-60999
        return p


class Gen:
    def __init__(self, seed, pps, public=False):
        self.rng = random.Random(seed)
        self.pps = pps
        self.events = []            # (time_us, order, frame)
        self.order = 0
        self.counts = {"tcp_sessions": 0, "tcp_complete": 0, "tcp_refused": 0,
                       "tcp_reset": 0, "tcp_syn_unanswered": 0,
                       "tcp_sessions_ipv6": 0, "dns_transactions": 0,
                       "dns_nxdomain": 0, "icmp_echo_pairs": 0}
        r = self.rng.random
        # 1800 IPv4 and 200 IPv6 clients, each with its own round-trip time.
        self.clients = []
        for i in range(2000):
            rtt = int(1000 + 60000 * r() ** 3)                  # 1..61 ms
            port0 = 32768 + int(r() * 28232)
            if i < 1800:
                addr = bytes((10, 1, 1 + i // 250, 1 + i % 250))
                self.clients.append(Host(addr, False, rtt, port0, 0x1000 + i))
            else:
                addr = bytes.fromhex("fd000001000000000000000000000000")[:14] + struct.pack("!H", i)
                self.clients.append(Host(addr, True, rtt, port0, 0x1000 + i))
        self.web4 = [Host(bytes((10, 2, 0, 1 + j)), False, 0, 0, 0) for j in range(60)]
        self.web6 = [Host(bytes.fromhex("fd000002000000000000000000000000")[:14] + struct.pack("!H", 1 + j),
                          True, 0, 0, 0) for j in range(10)]
        self.dns4 = [Host(bytes((10, 3, 0, 53)), False, 0, 0, 0),
                     Host(bytes((10, 3, 0, 54)), False, 0, 0, 0)]
        self.dns6 = [Host(bytes.fromhex("fd000003000000000000000000000053"), True, 0, 0, 0)]
        self.names = []
        for k in range(600):
            kind = k % 4
            if kind == 0:
                self.names.append("www%d.example.com" % k)
            elif kind == 1:
                self.names.append("cdn-%d.static.example.net" % k)
            elif kind == 2:
                self.names.append("api%d.svc.example.org" % k)
            else:
                self.names.append("host-%d.lab.example" % k)
        self.body = (b"ntt benchmark body; the quick brown fox jumps over the lazy dog. " * 200)
        if public:
            self.make_public(seed)

    def make_public(self, seed):
        """Every host moves to a routable address (the traffic itself stays
        the same: addresses come from a random stream of their own), so a
        GeoIP database has real work: many networks, countries and ASes."""
        rng = random.Random(seed + 7919)
        seen = set()

        def fresh(v6):
            while True:
                if v6:
                    a = ipaddress.IPv6Address((0x2 << 124) | rng.getrandbits(124))
                else:
                    a = ipaddress.IPv4Address(rng.getrandbits(32))
                if a.is_global and not a.is_multicast and a not in seen:
                    seen.add(a)
                    return a.packed
        for h in self.clients + self.web4 + self.web6 + self.dns4 + self.dns6:
            h.addr = fresh(h.v6)
            h.mac = bytes((0x02, 0x00)) + h.addr[-4:]
            h.asum = word_sum(h.addr)

    # -- helpers -----------------------------------------------------------
    def pick(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def exp(self, mean):
        return -mean * math.log(1.0 - self.rng.random())

    def emit(self, t_us, frame):
        self.events.append((t_us, self.order, frame))
        self.order += 1

    def ip(self, src, dst, proto, l4, csum_off, ttl):
        """IP packet around the layer-4 bytes l4, filling in its checksum
        at csum_off (None: no pseudo-header checksum, e.g. ICMPv4)."""
        n = len(l4)
        if csum_off is not None:
            c = finish(src.asum + dst.asum + n + proto + word_sum(l4))
            if c == 0 and proto == PROTO_UDP:
                c = 0xFFFF          # a UDP checksum of 0 means "none" (RFC 768)
            l4 = l4[:csum_off] + struct.pack("!H", c) + l4[csum_off + 2:]
        if src.v6:
            hdr = struct.pack("!IHBB", 0x60000000, n, proto, ttl) + src.addr + dst.addr
            return ETH_IPV6, hdr + l4
        src.ip_id = (src.ip_id + 1) & 0xFFFF
        hdr = struct.pack("!BBHHHBBH", 0x45, 0, 20 + n, src.ip_id, 0x4000, ttl, proto, 0)
        hdr += src.addr + dst.addr
        c = finish(word_sum(hdr))
        hdr = hdr[:10] + struct.pack("!H", c) + hdr[12:]
        return ETH_IPV4, hdr + l4

    def frame(self, t_us, src, dst, proto, l4, csum_off, ttl=64):
        etype, pkt = self.ip(src, dst, proto, l4, csum_off, ttl)
        # Captured on the clients' side of the router: hosts talk to GW_MAC.
        if src.inside:
            eth = GW_MAC + src.mac
        else:
            eth = dst.mac + GW_MAC
        self.emit(t_us, eth + struct.pack("!H", etype) + pkt)

    def tcp(self, t_us, src, dst, sport, dport, seq, ack, flags, win, payload=b"", opts=b""):
        off = (20 + len(opts)) // 4
        seg = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                          off << 4, flags, win, 0, 0) + opts + payload
        ttl = 64 if src.inside else 57
        self.frame(t_us, src, dst, PROTO_TCP, seg, 16, ttl)

    # -- transactions --------------------------------------------------------
    def tcp_session(self, t, client):
        r = self.rng.random
        if client.v6:
            server = self.pick(self.web6)
            self.counts["tcp_sessions_ipv6"] += 1
        else:
            server = self.pick(self.web4)
        dport = 80 if r() < 0.8 else 8080
        sport = client.ephemeral()
        rtt = client.rtt
        cisn = int(r() * 4294967296)
        sisn = int(r() * 4294967296)
        self.counts["tcp_sessions"] += 1
        kind = r()

        # SYN
        self.tcp(t, client, server, sport, dport, cisn, 0, SYN, 64240, opts=SYN_OPTS)
        if kind < 0.01:                      # unanswered: one retransmission
            self.counts["tcp_syn_unanswered"] += 1
            self.tcp(t + 1000000 + int(r() * 50000), client, server, sport, dport, cisn, 0,
                     SYN, 64240, opts=SYN_OPTS)
            return
        t += rtt
        if kind < 0.03:                      # refused: RST/ACK
            self.counts["tcp_refused"] += 1
            self.tcp(t, server, client, dport, sport, 0, cisn + 1, RST | ACK, 0)
            return
        # SYN/ACK, ACK, request
        self.tcp(t, server, client, dport, sport, sisn, cisn + 1, SYN | ACK, 65160, opts=SYN_OPTS)
        t += 30 + int(r() * 100)
        self.tcp(t, client, server, sport, dport, cisn + 1, sisn + 1, ACK, 502)
        path = "/%s/%d" % (("index.html", "api/v1/items", "img/logo.png", "search")[int(r() * 4)],
                           int(r() * 100000))
        host = "srv%d.example.com" % server.addr[-1]
        req = ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: ntt-bench/1.0\r\n"
               "Accept: */*\r\n\r\n" % (path, host)).encode()
        t += 20 + int(r() * 200)
        self.tcp(t, client, server, sport, dport, cisn + 1, sisn + 1, PSH | ACK, 502, req)
        cseq = cisn + 1 + len(req)
        sseq = sisn + 1
        t += rtt + 200 + int(self.exp(3000))
        if kind < 0.05:                      # reset by the server mid-session
            self.counts["tcp_reset"] += 1
            self.tcp(t, server, client, dport, sport, sseq, cseq, RST | ACK, 0)
            return
        self.counts["tcp_complete"] += 1
        # Response: headers + body, in MSS-sized segments; the client ACKs
        # every second segment and the last one.
        blen = int(100 + self.exp(2500))
        if blen > len(self.body):
            blen = len(self.body)
        resp = ("HTTP/1.1 200 OK\r\nServer: ntt-bench\r\nContent-Type: text/plain\r\n"
                "Content-Length: %d\r\n\r\n" % blen).encode() + self.body[:blen]
        segs = [resp[i:i + MSS] for i in range(0, len(resp), MSS)]
        for i, seg in enumerate(segs):
            last = i == len(segs) - 1
            self.tcp(t, server, client, dport, sport, sseq, cseq, (PSH | ACK) if last else ACK, 509, seg)
            sseq += len(seg)
            if last or i % 2 == 1:
                self.tcp(t + 40, client, server, sport, dport, cseq, sseq, ACK, 501)
            t += 120 + len(seg) // 12        # ~100 Mbit/s serialisation
        # Close: client first (70%) or server first.
        t += int(self.exp(20000))
        if r() < 0.7:
            a, b, ap, bp, aseq, bseq = client, server, sport, dport, cseq, sseq
        else:
            a, b, ap, bp, aseq, bseq = server, client, dport, sport, sseq, cseq
        self.tcp(t, a, b, ap, bp, aseq, bseq, FIN | ACK, 501)
        t += rtt
        self.tcp(t, b, a, bp, ap, bseq, aseq + 1, FIN | ACK, 509)
        t += 30 + int(r() * 100)
        self.tcp(t, a, b, ap, bp, aseq + 1, bseq + 1, ACK, 501)

    def dns(self, t, client):
        r = self.rng.random
        server = self.dns6[0] if client.v6 else self.pick(self.dns4)
        name = self.pick(self.names)
        qtype = 28 if r() < 0.3 else 1
        sport = client.ephemeral()
        qid = int(r() * 65536)
        qname = b"".join(bytes((len(p),)) + p.encode() for p in name.split(".")) + b"\0"
        question = qname + struct.pack("!HH", qtype, 1)
        query = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + question
        self.udp(t, client, server, sport, 53, query)
        nx = r() < 0.05
        if nx:
            self.counts["dns_nxdomain"] += 1
            resp = struct.pack("!HHHHHH", qid, 0x8183, 1, 0, 0, 0) + question
        else:
            nans = 1 + int(r() * 2)
            answers = b""
            for _ in range(nans):
                if qtype == 1:
                    rdata = bytes((10, 2, int(r() * 256), 1 + int(r() * 254)))
                else:
                    rdata = bytes.fromhex("fd000002000000000000000000000000")[:12] + struct.pack("!I", int(r() * 4294967296))
                answers += struct.pack("!HHHIH", 0xC00C, qtype, 1, 60 + int(r() * 3540), len(rdata)) + rdata
            resp = struct.pack("!HHHHHH", qid, 0x8180, 1, nans, 0, 0) + question + answers
        self.udp(t + 500 + int(self.exp(8000)), server, client, 53, sport, resp)
        self.counts["dns_transactions"] += 1

    def udp(self, t, src, dst, sport, dport, payload):
        dgram = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
        self.frame(t, src, dst, PROTO_UDP, dgram, 6, 64 if src.inside else 57)

    def icmp(self, t, client):
        server = self.pick(self.web6 if client.v6 else self.web4)
        client.icmp_seq = (client.icmp_seq + 1) & 0xFFFF
        sec = START_SEC + t // 1000000
        data = struct.pack("<QQ", sec, t % 1000000) + bytes(range(0x10, 0x38))   # 56 bytes, like ping
        for k, (src, dst) in enumerate(((client, server), (server, client))):
            if client.v6:
                typ = 128 if k == 0 else 129
                msg = struct.pack("!BBHHH", typ, 0, 0, client.icmp_id, client.icmp_seq) + data
                self.frame(t, src, dst, PROTO_ICMPV6, msg, 2, 64)
            else:
                typ = 8 if k == 0 else 0
                msg = struct.pack("!BBHHH", typ, 0, 0, client.icmp_id, client.icmp_seq) + data
                c = finish(word_sum(msg))
                msg = msg[:2] + struct.pack("!H", c) + msg[4:]
                self.frame(t, src, dst, PROTO_ICMP, msg, None, 64)
            t += client.rtt
        self.counts["icmp_echo_pairs"] += 1

    def run(self, packets):
        r = self.rng.random
        t = 0
        total = 0
        while total < packets:
            client = self.pick(self.clients)
            x = r()
            if x < 0.45:
                self.tcp_session(t, client)
            elif x < 0.87:
                self.dns(t, client)
            else:
                self.icmp(t, client)
            n = len(self.events) - total
            total += n
            # Poisson arrivals sized so the mean rate is self.pps packets/s.
            t += int(self.exp(n * 1000000.0 / self.pps))
        return total


# -- --attacks: three attacks laid over the ordinary traffic ------------------
#
# The attacked servers sit on the capture's side of the router with public
# addresses (GeoIP and ntt's address-scope code treat global addresses
# differently from private ones), the attackers on the Internet side. All of
# them are in 11.0.0.0/8: IANA global unicast (ntt's scope "global", Python's
# is_global), routable-looking, assigned to the US DoD and unannounced on the
# Internet for most of its history, so it is no reader's own network;
# gen-spoofed-flood.py spoofs from it too. The spoofed SYN sources are random
# global addresses (hping3 --rand-source), outside 11/8.
#
# Every attack is spread evenly over the whole capture, so any prefix of the
# file holds about the same share of attack packets: bench/instructions.sh
# counts only the first N packets.
ATTACK_SCANNER = bytes((11, 200, 66, 66))
ATTACK_SCAN_VICTIM = bytes((11, 2, 0, 20))
ATTACK_SCAN_PORTS = 1000                 # ports 1..1000, in random order
ATTACK_SCAN_OPEN = (22, 80, 443)         # answered by SYN/ACK, the rest by RST/ACK
ATTACK_SYN_VICTIM = bytes((11, 2, 0, 80))
ATTACK_SYN_PORT = 80
ATTACK_SYN_PACKETS = 20000
ATTACK_UDP_SOURCE = bytes((11, 200, 77, 77))
ATTACK_UDP_VICTIM = bytes((11, 2, 0, 30))
ATTACK_UDP_PORT = 27015                  # a game server, a usual UDP flood target
ATTACK_UDP_PACKETS = 20000
ATTACK_PACKETS = ATTACK_SCAN_PORTS * 2 + len(ATTACK_SCAN_OPEN) + ATTACK_SYN_PACKETS + ATTACK_UDP_PACKETS
ATTACKS_ORDINARY_PACKETS = 171000        # so the whole file has about 213,000


def dotted(addr):
    return str(ipaddress.ip_address(addr))


class Attacks:
    """A paced nmap-style SYN scan, a spoofed SYN flood and a UDP flood,
    added to a Gen's events between start_us and end_us. Their randomness
    is a stream of its own: the ordinary traffic stays byte-identical to
    gen-mixed.py without --attacks (same --packets, --seed, --pps)."""

    def __init__(self, gen, seed):
        self.gen = gen
        self.rng = random.Random(seed + 104729)
        self.counts = {}

    def server(self, addr):
        return Host(addr, False, 0, 0, 0, inside=True)

    def external(self, addr):
        return Host(addr, False, 0, 0, self.rng.getrandbits(16))

    def add(self, start_us, end_us):
        span = max(end_us - start_us, 1)
        self.port_scan(start_us, span)
        self.syn_flood(start_us, span)
        self.udp_flood(start_us, span)

    def port_scan(self, start_us, span):
        """nmap -sS paced to cover the span (about 12 ports/s with the
        defaults: between -T2 and -T3): one source port, a SYN with an MSS
        option per port; closed ports answer RST/ACK at once, open ones
        SYN/ACK, which the scanner's kernel resets a round trip later."""
        g, rng = self.gen, self.rng
        scanner, victim = self.external(ATTACK_SCANNER), self.server(ATTACK_SCAN_VICTIM)
        ports = list(range(1, ATTACK_SCAN_PORTS + 1))
        rng.shuffle(ports)
        sport = 32768 + rng.getrandbits(14)
        packets = 0
        for i, port in enumerate(ports):
            t = start_us + i * span // len(ports)
            seq = rng.getrandbits(32)
            g.tcp(t, scanner, victim, sport, port, seq, 0, SYN, 1024, opts=b"\x02\x04\x05\xb4")
            t += 80 + rng.getrandbits(7)                     # the server's answer
            if port in ATTACK_SCAN_OPEN:
                isn = rng.getrandbits(32)
                g.tcp(t, victim, scanner, port, sport, isn, seq + 1, SYN | ACK, 64240, opts=SYN_OPTS)
                g.tcp(t + 20000, scanner, victim, sport, port, seq + 1, 0, RST, 0)
                packets += 3
            else:
                g.tcp(t, victim, scanner, port, sport, 0, seq + 1, RST | ACK, 0)
                packets += 2
        self.counts["portscan"] = dict(src=dotted(ATTACK_SCANNER), dst=dotted(ATTACK_SCAN_VICTIM),
                                       ports=len(ports), open_ports=list(ATTACK_SCAN_OPEN), packets=packets)

    def spoofed_sources(self, n):
        seen = set()
        while len(seen) < n:
            a = ipaddress.IPv4Address(self.rng.getrandbits(32))
            if a.is_global and not a.is_multicast and a.packed[0] != 11:
                seen.add(a.packed)
        out = sorted(seen)                                  # a set's order is not part of the API
        self.rng.shuffle(out)
        return out

    def syn_flood(self, start_us, span):
        """hping3 -S --rand-source -p 80: bare SYNs (window 512, no
        options), the source port counting up, every one from another
        address; the victim, its backlog full, answers none."""
        g, rng = self.gen, self.rng
        victim = self.server(ATTACK_SYN_VICTIM)
        sport = 1024 + rng.getrandbits(12)
        sources = self.spoofed_sources(ATTACK_SYN_PACKETS)
        for i, addr in enumerate(sources):
            t = start_us + span // 3 // ATTACK_SYN_PACKETS + i * span // ATTACK_SYN_PACKETS
            src = self.external(addr)
            g.tcp(t, src, victim, 1024 + (sport + i) % 64512, ATTACK_SYN_PORT, rng.getrandbits(32), 0, SYN, 512)
        self.counts["synflood"] = dict(dst=dotted(ATTACK_SYN_VICTIM), dport=ATTACK_SYN_PORT,
                                       packets=ATTACK_SYN_PACKETS, sources=len(sources))

    def udp_flood(self, start_us, span):
        """hping3 --udp -p 27015 from one source: empty datagrams, the
        source port counting up (so every one opens a flow); the victim's
        firewall drops them, nothing answers."""
        g, rng = self.gen, self.rng
        src, victim = self.external(ATTACK_UDP_SOURCE), self.server(ATTACK_UDP_VICTIM)
        sport = 1024 + rng.getrandbits(12)
        for i in range(ATTACK_UDP_PACKETS):
            t = start_us + 2 * span // 3 // ATTACK_UDP_PACKETS + i * span // ATTACK_UDP_PACKETS
            g.udp(t, src, victim, 1024 + (sport + i) % 64512, ATTACK_UDP_PORT, b"")
        self.counts["udpflood"] = dict(src=dotted(ATTACK_UDP_SOURCE), dst=dotted(ATTACK_UDP_VICTIM),
                                       dport=ATTACK_UDP_PORT, packets=ATTACK_UDP_PACKETS)


def write_pcap(path, events):
    events.sort(key=lambda e: (e[0], e[1]))
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, SNAPLEN, LINKTYPE_ETHERNET)]
    pack = struct.Struct("<IIII").pack
    for t_us, _, frame in events:
        n = len(frame)
        out.append(pack(START_SEC + t_us // 1000000, t_us % 1000000, n, n))
        out.append(frame)
    with open(path, "wb") as f:
        f.write(b"".join(out))
    return events[-1][0] if events else 0


def main():
    ap = argparse.ArgumentParser(description="Deterministic mixed TCP/DNS/ICMP benchmark capture (classic pcap).")
    ap.add_argument("out", help="output pcap file")
    ap.add_argument("--packets", type=int,
                    help="at least this many packets of ordinary traffic (200000; %d with --attacks)"
                    % ATTACKS_ORDINARY_PACKETS)
    ap.add_argument("--seed", type=int, default=1, help="random seed (1)")
    ap.add_argument("--pps", type=float, default=2000.0, help="mean packets per second (2000)")
    ap.add_argument("--summary", help="also write the summary as JSON to this file")
    ap.add_argument("--public", action="store_true",
                    help="routable addresses instead of private ones (for GeoIP costs)")
    ap.add_argument("--attacks", action="store_true",
                    help="add a port scan, a spoofed SYN flood and a UDP flood against public servers "
                    "(%d packets)" % ATTACK_PACKETS)
    args = ap.parse_args()
    if args.packets is None:
        args.packets = ATTACKS_ORDINARY_PACKETS if args.attacks else 200000
    if args.packets < 1 or args.pps <= 0:
        ap.error("--packets and --pps must be positive")
    if args.attacks and args.public:
        # --public draws random routable addresses, which may fall in the
        # attacks' 11.0.0.0/8 or among the spoofed sources.
        ap.error("--attacks and --public do not combine")

    g = Gen(args.seed, args.pps, public=args.public)
    g.run(args.packets)
    ordinary = len(g.events)
    attacks = None
    if args.attacks:
        ordinary_end = max(e[0] for e in g.events)
        margin = min(1000000, ordinary_end // 10)
        attacks = Attacks(g, args.seed)
        attacks.add(margin, ordinary_end - margin)
    last_us = write_pcap(args.out, g.events)
    summary = dict(packets=len(g.events), seed=args.seed, pps=args.pps,
                   duration_s=round(last_us / 1e6, 6), **g.counts)
    text = ("gen-mixed: %(packets)d packets, %(duration_s).1f s, %(tcp_sessions)d TCP sessions "
            "(%(tcp_complete)d complete, %(tcp_reset)d reset, %(tcp_refused)d refused, "
            "%(tcp_syn_unanswered)d unanswered; %(tcp_sessions_ipv6)d over IPv6), "
            "%(dns_transactions)d DNS, %(icmp_echo_pairs)d ICMP echo pairs" % summary)
    if attacks:
        summary["ordinary_packets"] = ordinary
        summary["attacks"] = attacks.counts
        a = attacks.counts
        text += ("; attacks (%d packets): portscan %s -> %s, %d ports (%d open), %d packets; "
                 "synflood from %d spoofed sources -> %s:%d, %d packets; udpflood %s -> %s:%d, %d packets"
                 % (ATTACK_PACKETS, a["portscan"]["src"], a["portscan"]["dst"], a["portscan"]["ports"],
                    len(a["portscan"]["open_ports"]), a["portscan"]["packets"],
                    a["synflood"]["sources"], a["synflood"]["dst"], a["synflood"]["dport"], a["synflood"]["packets"],
                    a["udpflood"]["src"], a["udpflood"]["dst"], a["udpflood"]["dport"], a["udpflood"]["packets"]))
    print(text + " -> " + args.out, file=sys.stderr)
    if args.summary:
        with open(args.summary, "w") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")

if __name__ == "__main__":
    main()
