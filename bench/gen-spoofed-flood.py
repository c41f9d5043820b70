#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Deterministic generator of a spoofed SYN flood (classic pcap, Ethernet):
# N TCP SYNs (1,000,000 by default), each from its own IPv4 source, to one
# victim 10.10.10.10:80, at 100,000 packets/s. Every packet is a separate
# TCP conversation, which is what makes it a memory test: a per-flow
# tracker without bounds grows with N.
#
#   bench/gen-spoofed-flood.py OUT.pcap [--packets N] [--pps R]
#
# Sources count up from 11.0.0.1 skipping .0 and .255 in the last octet
# (1,000,000 sources end at 11.15.97.2); source ports, sequence numbers
# and IP IDs come from the packet index, so the file is byte-identical for
# the same arguments. The frame is a fixed 58-byte template (Ethernet, IPv4,
# TCP with an MSS option); only the source address, source port, sequence
# number, IP ID, both checksums (updated incrementally, so they are correct)
# and the timestamp change.
import argparse
import struct
import sys

START_SEC = 1700000000          # fixed, same as gen-mixed.py
VICTIM = bytes((10, 10, 10, 10))
VICTIM_MAC = bytes.fromhex("02000a0a0a0a")
GW_MAC = bytes.fromhex("020000000001")


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def main():
    ap = argparse.ArgumentParser(description="Deterministic spoofed-source TCP SYN flood (classic pcap).")
    ap.add_argument("out", help="output pcap file")
    ap.add_argument("--packets", type=int, default=1000000, help="number of SYNs / sources (1000000)")
    ap.add_argument("--pps", type=int, default=100000, help="packets per second (100000)")
    args = ap.parse_args()
    n, pps = args.packets, args.pps
    if n < 1 or pps < 1:
        ap.error("--packets and --pps must be positive")
    if n > 254 * 256 * 213:
        ap.error("--packets too large: sources would leave 11.0.0.0 - 223.255.255.254")

    # Template: Ethernet | IPv4 (20) | TCP (24: MSS option), zero checksums,
    # zero source address / port / seq / IP ID.
    tcp_len = 24
    eth = VICTIM_MAC + GW_MAC + b"\x08\x00"
    ip_tmpl = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + tcp_len, 0, 0, 243, 6, 0,
                          b"\0\0\0\0", VICTIM)
    tcp_tmpl = struct.pack("!HHIIBBHHH", 0, 80, 0, 0, (tcp_len // 4) << 4, 0x02, 1024, 0, 0) \
        + b"\x02\x04\x05\xb4"
    frame = eth + ip_tmpl + tcp_tmpl
    flen = len(frame)                                    # 58
    rec = struct.pack("<IIII", 0, 0, flen, flen) + frame
    rlen = len(rec)

    def words(b):
        return sum(struct.unpack("!%dH" % (len(b) // 2), b))

    # Checksum sums of everything that does not change.
    ip_base = words(ip_tmpl)                             # IP ID, source are 0
    tcp_base = words(tcp_tmpl) + words(VICTIM) + 6 + tcp_len   # + pseudo-header

    # Offsets inside a record (16-byte record header + frame).
    o_ts = 0
    o_ipid = 16 + 14 + 4
    o_ipck = 16 + 14 + 10
    o_sport = 16 + 34
    o_seq = 16 + 34 + 4
    o_tcpck = 16 + 34 + 16

    chunk = 65536
    buf = bytearray(rec * chunk)
    pack_into = struct.pack_into
    step_us = 1000000 / pps

    with open(args.out, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        i = 0
        a, b, c = 0, 0, 1                                # 11.a.b.c
        while i < n:
            m = min(chunk, n - i)
            for k in range(m):
                j = i + k
                base = k * rlen
                t_us = int(j * step_us)
                src = (11 << 24) | (a << 16) | (b << 8) | c
                c += 1
                if c == 255:
                    c = 1
                    b += 1
                    if b == 256:
                        b = 0
                        a += 1
                sport = 1024 + (j * 7919) % 64512
                seq = (j * 2654435761 + 12345) & 0xFFFFFFFF
                ipid = (j * 40503) & 0xFFFF
                shi, slo = src >> 16, src & 0xFFFF
                ipck = (~fold(ip_base + ipid + shi + slo)) & 0xFFFF
                tcpck = (~fold(tcp_base + shi + slo + sport + (seq >> 16) + (seq & 0xFFFF))) & 0xFFFF
                pack_into("<II", buf, base + o_ts, START_SEC + t_us // 1000000, t_us % 1000000)
                pack_into("!H", buf, base + o_ipid, ipid)
                pack_into("!HI", buf, base + o_ipck, ipck, src)
                pack_into("!H", buf, base + o_sport, sport)
                pack_into("!I", buf, base + o_seq, seq)
                pack_into("!H", buf, base + o_tcpck, tcpck)
            f.write(memoryview(buf)[:m * rlen])
            i += m
    print("gen-spoofed-flood: %d SYNs from %d sources to 10.10.10.10:80, %.1f s at %d pps -> %s"
          % (n, n, (n - 1) / pps, pps, args.out), file=sys.stderr)


if __name__ == "__main__":
    main()
