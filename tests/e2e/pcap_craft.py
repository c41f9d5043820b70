# SPDX-License-Identifier: GPL-2.0-or-later
"""Writes small classic pcap files for the robustness tests: well-formed
Ethernet/IPv4 packets to start from, and the ways to break them."""
import socket
import struct


def ipv4(src, dst, proto, payload, ident=1, flags_frag=0x4000, ttl=64):
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                         flags_frag, ttl, proto, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
    return header + payload


def ether(payload, ethertype=0x0800):
    return b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + \
        struct.pack("!H", ethertype) + payload


def udp(sport, dport, data):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def tcp(sport, dport, flags, seq=1000, data=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags,
                       65535, 0, 0) + data


def arp_request(sender, target):
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1,
                       b"\x02\x00\x00\x00\x00\x01", socket.inet_aton(sender),
                       b"\x00" * 6, socket.inet_aton(target))
    return ether(body, 0x0806)


def write_pcap(path, packets, start=1700000000.0, step=0.001, times=None):
    """packets: bytes, or (bytes, orig_len) to fake a length; times: offsets
    in seconds from start (default: step apart)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, pkt in enumerate(packets):
            data, orig_len = pkt if isinstance(pkt, tuple) else (pkt, len(pkt))
            t = start + (times[i] if times else i * step)
            f.write(struct.pack("<IIII", int(t), int(round((t % 1) * 1e6)),
                                len(data), orig_len))
            f.write(data)


def records(path):
    """(offset of data, length) of each packet in a classic pcap file."""
    with open(path, "rb") as f:
        blob = f.read()
    out, off = [], 24
    while off + 16 <= len(blob):
        incl = struct.unpack_from("<I", blob, off + 8)[0]
        out.append((off + 16, incl))
        off += 16 + incl
    return blob, out


def ipv4_options(src, dst, proto, payload, options=b"\x01\x01\x01\x00"):
    """IPv4 with options (NOPs and an end-of-list by default)."""
    ihl = (20 + len(options)) // 4
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + len(payload),
                         7, 0x4000, 64, proto, 0,
                         socket.inet_aton(src), socket.inet_aton(dst))
    return header + options + payload


def ipv6(src, dst, next_header, payload, hop_limit=64, extensions=()):
    """IPv6; extensions: (next-header value, body) pairs placed in front of
    payload, each body padded to 8-byte units (hop-by-hop = 0, dest opts = 60)."""
    chain = b""
    kinds = [k for k, _ in extensions] + [next_header]
    for i, (_kind, body) in enumerate(extensions):
        raw = bytes([kinds[i + 1], 0]) + body
        raw += b"\x00" * (-len(raw) % 8)
        chain += bytes([raw[0], len(raw) // 8 - 1]) + raw[2:]
    first = kinds[0]
    header = struct.pack("!IHBB16s16s", 6 << 28, len(chain) + len(payload), first,
                         hop_limit, socket.inet_pton(socket.AF_INET6, src),
                         socket.inet_pton(socket.AF_INET6, dst))
    return header + chain + payload


def icmp_error(kind, code, quoted):
    """ICMP (type 3..) or ICMPv6 (type 1..) error quoting a packet; the
    checksum is left zero (Wireshark only flags it)."""
    return struct.pack("!BBHI", kind, code, 0, 0) + quoted


def dns_name(name):
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"


def dns_response(name, addresses, ident=0x1234):
    """A DNS response (RFC 1035 4.1) to "name A?" answering with each
    address (A or AAAA by its form), each answer's name a pointer to the
    question's."""
    msg = struct.pack("!HHHHHH", ident, 0x8180, 1, len(addresses), 0, 0)
    msg += dns_name(name) + struct.pack("!HH", 1, 1)
    for a in addresses:
        family = socket.AF_INET6 if ":" in a else socket.AF_INET
        rdata = socket.inet_pton(family, a)
        msg += struct.pack("!HHHIH", 0xc00c, 28 if ":" in a else 1, 1, 60, len(rdata))
        msg += rdata
    return msg
