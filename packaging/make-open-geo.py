#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Builds ntt's open GeoIP database (ntt-open-geo.mmdb) from the IPFire
# Location data that Debian ships, so that country and ASN resolve without
# a MaxMind account through the same libmaxminddb code path:
#   - countries from tor-geoipdb (/usr/share/tor/geoip, geoip6): Tor's
#     conversion of IPFire's data, far newer than Debian's libloc-database;
#   - AS numbers and names from libloc-database's location.db, read with
#     Debian's python3-location.
# The output is an IPv6 MaxMind DB (format 2.0) with IPv4 at ::/96 and
# aliased at ::ffff:0:0/96 and 2002::/16, records in GeoLite2's key layout.
# The writer is our own, small, and follows the MaxMind DB spec; it needs
# nothing beyond Python's standard library (and python3-location for ASNs).
#
# Usage: make-open-geo.py --output geo/ntt-open-geo.mmdb --info geo/ntt-open-geo.txt
#        [--tor-geoip F --tor-geoip6 F --location-db F --iso-codes DIR]
#        [--countries-from tor|libloc]

import argparse
import array
import bisect
import datetime
import email.utils
import json
import os
import socket
import sys

DATABASE_TYPE = "ntt-open-country-asn"
LICENCE = "CC BY-SA 4.0"
ATTRIBUTION = ("This database has been obtained from https://location.ipfire.org/ "
               "(IPFire Location, CC BY-SA 4.0, "
               "https://creativecommons.org/licenses/by-sa/4.0/)")

# Codes the IPFire data uses that are not current ISO 3166-1 alpha-2 codes
# (nor withdrawn ones that iso_3166-3.json names). Codes not listed here or
# in iso-codes (AB, OS, UN, ZZ, XX ...) keep their iso_code but get no name.
SPECIAL_NAMES = {
    "A1": "Anonymous Proxy",
    "A2": "Satellite Provider",
    "A3": "Anycast",
    "XD": "Hostile networks safe to drop",
    "AP": "Asia/Pacific Region",
    "EU": "European Union",         # ISO exceptional reservation
    "UK": "United Kingdom",          # ISO's exceptional reservation for GB
    "FX": "France, Metropolitan",
    "XK": "Kosovo",
}
# libloc's network flags, which its own exports turn into pseudo-countries.
LIBLOC_FLAG_CODES = (("NETWORK_FLAG_ANONYMOUS_PROXY", "A1"),
                     ("NETWORK_FLAG_SATELLITE_PROVIDER", "A2"),
                     ("NETWORK_FLAG_ANYCAST", "A3"),
                     ("NETWORK_FLAG_DROP", "XD"))

IPV4_ALIASES = ((0xffff << 32, 96),      # ::ffff:0:0/96, IPv4-mapped
                (0x2002 << 112, 16))     # 2002::/16, 6to4


def fail(message):
    sys.exit("make-open-geo: " + message)


def date_of(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%d")


def v6_int(text):
    return int.from_bytes(socket.inet_pton(socket.AF_INET6, text), "big")


def v4_int(text):
    return int.from_bytes(socket.inet_pton(socket.AF_INET, text), "big")


# ---------------------------------------------------------------- sources

def read_tor(path, ipv6):
    """Returns ([(first, last, cc)], generated_epoch) from a Tor geoip file;
    '??' (IPFire has no country) lines are left out."""
    ranges = []
    generated = None
    with open(path, encoding="ascii") as f:
        for number, line in enumerate(f, 1):
            if line.startswith("#"):
                if line.startswith("# Generated:"):
                    generated = int(email.utils.parsedate_to_datetime(
                        line.split(":", 1)[1].strip()).timestamp())
                continue
            line = line.strip()
            if not line:
                continue
            try:
                first, last, cc = line.split(",")
                if ipv6:
                    first, last = v6_int(first), v6_int(last)
                else:
                    first, last = int(first), int(last)
            except (ValueError, OSError):
                fail(f"{path}:{number}: cannot read {line!r}")
            if first > last or len(cc) != 2:
                fail(f"{path}:{number}: bad range {line!r}")
            if cc != "??":
                ranges.append((first, last, cc))
    if generated is None:
        fail(f"{path} has no '# Generated:' line")
    ranges.sort()
    for a, b in zip(ranges, ranges[1:]):
        if b[0] <= a[1]:
            fail(f"{path}: overlapping ranges at {b[0]}")
    return ranges, generated


def read_libloc(path, with_country):
    """Returns ({4: [(first, last, value)], 6: [...]}, as_names, created_epoch)
    with nested networks flattened (the most specific wins, as in libloc's
    own lookups). value is the ASN (0: none), or (cc, asn) with_country."""
    try:
        import location
    except ImportError:
        fail("the Python module 'location' is missing (apt-get install python3-location)")
    try:
        db = location.Database(path)
    except OSError as e:
        fail(f"cannot open {path}: {e}")
    flags = [(getattr(location, name), code) for name, code in LIBLOC_FLAG_CODES]
    nets = {4: [], 6: []}
    # db.networks walks libloc's tree in order, a network before the ones
    # nested in it; it is ~100 times faster than db.networks_flattened.
    for net in db.networks:
        text = str(net)
        address, length = text.split("/")
        length = int(length)
        if net.family == socket.AF_INET:
            bits, first = 32, v4_int(address)
        else:
            bits, first = 128, v6_int(address)
        last = first | ((1 << (bits - length)) - 1)
        asn = net.asn or 0
        if with_country:
            cc = net.country_code or None
            for flag, code in flags:
                if net.has_flag(flag):
                    cc = code
                    break
            value = (cc, asn)
        else:
            value = asn
        nets[4 if bits == 32 else 6].append((first, last, value))
    empty = (None, 0) if with_country else 0
    flat = {family: merge_adjacent(flatten_nested(nets[family]), empty)
            for family in nets}
    names = {a.number: a.name for a in db.ases if a.name}
    return flat, names, db.created_at


def flatten_nested(nets):
    """Nested CIDRs in pre-order -> disjoint ranges, inner ones winning."""
    out = []
    stack = []      # (last, value) of the networks enclosing the cursor
    cursor = 0
    for first, last, value in nets:
        while stack and stack[-1][0] < first:
            end, outer = stack.pop()
            if cursor <= end:
                out.append((cursor, end, outer))
                cursor = end + 1
        if stack and cursor < first:
            out.append((cursor, first - 1, stack[-1][1]))
        if stack and last > stack[-1][0]:
            fail("location.db networks are not in tree order")
        cursor = first
        stack.append((last, value))
    while stack:
        end, outer = stack.pop()
        if cursor <= end:
            out.append((cursor, end, outer))
            cursor = end + 1
    return out


def merge_adjacent(ranges, empty=None):
    """Joins touching ranges with equal values and drops empty ones."""
    out = []
    for first, last, value in ranges:
        if value == empty:
            continue
        if out and out[-1][2] == value and out[-1][1] + 1 == first:
            out[-1] = (out[-1][0], last, value)
        else:
            out.append((first, last, value))
    return out


def overlay(countries, asns):
    """Two sorted disjoint range lists -> ranges of (cc, asn)."""
    points = set()
    for ranges in (countries, asns):
        for first, last, _ in ranges:
            points.add(first)
            points.add(last + 1)
    points = sorted(points)
    out = []
    i = j = 0
    for k in range(len(points) - 1):
        first, last = points[k], points[k + 1] - 1
        while i < len(countries) and countries[i][1] < first:
            i += 1
        while j < len(asns) and asns[j][1] < first:
            j += 1
        cc = countries[i][2] if i < len(countries) and countries[i][0] <= first else None
        asn = asns[j][2] if j < len(asns) and asns[j][0] <= first else 0
        out.append((first, last, (cc, asn)))
    return merge_adjacent(out, (None, 0))


def cut_out(ranges, first, last):
    """ranges without [first, last] (used for the IPv4 alias blocks)."""
    out = []
    for a, b, v in ranges:
        if b < first or a > last:
            out.append((a, b, v))
            continue
        if a < first:
            out.append((a, first - 1, v))
        if b > last:
            out.append((last + 1, b, v))
    return out


def country_names(iso_dir):
    names = {}
    for file, key in (("iso_3166-3.json", "3166-3"), ("iso_3166-1.json", "3166-1")):
        path = os.path.join(iso_dir, file)
        try:
            with open(path, encoding="utf-8") as f:
                entries = json.load(f)[key]
        except (OSError, ValueError, KeyError) as e:
            fail(f"cannot read {path} ({e}); apt-get install iso-codes")
        for c in entries:
            if "alpha_2" in c:
                names[c["alpha_2"]] = c.get("common_name", c["name"])
    names.update(SPECIAL_NAMES)
    return names


# ----------------------------------------------------------- data section

class DataSection:
    """MaxMind DB data section: values are written once; repeated strings
    and maps become pointers to the first copy."""

    def __init__(self):
        self.buf = bytearray()
        self.seen = {}

    @staticmethod
    def control(kind, size):
        if size < 29:
            head, extra = size, b""
        elif size < 285:
            head, extra = 29, bytes([size - 29])
        elif size < 65821:
            head, extra = 30, (size - 285).to_bytes(2, "big")
        else:
            head, extra = 31, (size - 65821).to_bytes(3, "big")
        if kind <= 7:
            return bytes([(kind << 5) | head]) + extra
        return bytes([head, kind - 7]) + extra

    @staticmethod
    def pointer(offset):
        if offset < 1 << 11:
            return bytes([0x20 | (offset >> 8), offset & 0xff])
        if offset < (1 << 19) + 2048:
            q = offset - 2048
            return bytes([0x28 | (q >> 16)]) + (q & 0xffff).to_bytes(2, "big")
        if offset < (1 << 27) + 526336:
            q = offset - 526336
            return bytes([0x30 | (q >> 24)]) + (q & 0xffffff).to_bytes(3, "big")
        return bytes([0x38]) + offset.to_bytes(4, "big")

    @classmethod
    def encode(cls, value):
        """Plain encoding, no pointers (the metadata section needs this)."""
        if isinstance(value, str):
            raw = value.encode("utf-8")
            return cls.control(2, len(raw)) + raw
        if isinstance(value, dict):
            return cls.control(7, len(value)) + b"".join(
                cls.encode(k) + cls.encode(v) for k, v in value.items())
        if isinstance(value, list):
            return cls.control(11, len(value)) + b"".join(cls.encode(v) for v in value)
        if isinstance(value, tuple):        # (type, int): explicit integer types
            kind, number = value
            length = {5: 2, 6: 4, 9: 8}[kind]
            raw = number.to_bytes(length, "big").lstrip(b"\0")
            return cls.control(kind, len(raw)) + raw
        raise TypeError(value)

    def _write(self, value):
        if isinstance(value, (str, dict)):
            key = (type(value), json.dumps(value, sort_keys=False))
            offset = self.seen.get(key)
            if offset is not None:
                ptr = self.pointer(offset)
                if len(ptr) < len(self.encode(value)):
                    self.buf += ptr
                    return
            else:
                self.seen[key] = len(self.buf)
            if isinstance(value, dict):
                self.buf += self.control(7, len(value))
                for k, v in value.items():
                    self._write(k)
                    self._write(v)
                return
        self.buf += self.encode(value)

    def add_record(self, value):
        """Writes a top-level record inline and returns its offset."""
        offset = len(self.buf)
        self.buf += self.control(7, len(value))
        for k, v in value.items():
            self._write(k)
            self._write(v)
        return offset


# ------------------------------------------------------------ search tree

EMPTY = -1          # no data
ALIAS = -2          # the IPv4 subtree (in the IPv6 tree only)
# data record k is stored as -(k + 3)


def build_tree(ranges, bits):
    """Sorted disjoint [(first, last, record_value)] -> (left, right) node
    arrays; node 0 is the root. Returns the root's record if the whole space
    is one value (then there are no nodes)."""
    starts = [r[0] for r in ranges]
    ends = [r[1] for r in ranges]
    values = [r[2] for r in ranges]
    left = array.array("q")
    right = array.array("q")

    def node(lo, hi, base, depth):
        if lo == hi:
            return EMPTY
        span = 1 << (bits - depth)
        if hi - lo == 1 and starts[lo] <= base and ends[lo] >= base + span - 1:
            return values[lo]
        index = len(left)
        left.append(EMPTY)
        right.append(EMPTY)
        mid = base + (span >> 1)
        k = bisect.bisect_left(starts, mid, lo, hi)
        left[index] = node(lo, k, base, depth + 1)
        straddles = k > lo and ends[k - 1] >= mid
        right[index] = node(k - 1 if straddles else k, hi, mid, depth + 1)
        return index

    root = node(0, len(ranges), 0, 0)
    return left, right, root


def search_tree_bytes(v6_left, v6_right, v4_left, v4_right, v4_root, data_offsets,
                      data_size, smallest_record=24):
    n6 = len(v6_left)
    node_count = n6 + len(v4_left)
    for record_size in (24, 28, 32):
        if record_size >= smallest_record and node_count + 16 + data_size < 1 << record_size:
            break
    else:
        fail("database too large for a 32-bit record")

    def resolve(value, shift):
        if value >= 0:
            return value + shift
        if value == EMPTY:
            return node_count
        return node_count + 16 + data_offsets[-value - 3]

    alias = resolve(v4_root, n6)
    lefts = array.array("I")
    rights = array.array("I")
    for src_l, src_r, shift in ((v6_left, v6_right, 0), (v4_left, v4_right, n6)):
        for v in src_l:
            lefts.append(alias if v == ALIAS else resolve(v, shift))
        for v in src_r:
            rights.append(alias if v == ALIAS else resolve(v, shift))
    if sys.byteorder == "little":
        lefts.byteswap()
        rights.byteswap()
    lb, rb = lefts.tobytes(), rights.tobytes()
    if record_size == 32:
        out = bytearray(8 * node_count)
        for i in range(4):
            out[i::8] = lb[i::4]
            out[4 + i::8] = rb[i::4]
    elif record_size == 24:
        out = bytearray(6 * node_count)
        for i in range(3):
            out[i::6] = lb[1 + i::4]
            out[3 + i::6] = rb[1 + i::4]
    else:
        out = bytearray(7 * node_count)
        for i in range(3):
            out[i::7] = lb[1 + i::4]
            out[4 + i::7] = rb[1 + i::4]
        out[3::7] = bytes(((a & 0x0f) << 4) | (b & 0x0f) for a, b in zip(lb[0::4], rb[0::4]))
    return bytes(out), node_count, record_size


# ------------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--tor-geoip", default="/usr/share/tor/geoip")
    p.add_argument("--tor-geoip6", default="/usr/share/tor/geoip6")
    p.add_argument("--location-db", default="/usr/share/libloc-location/location.db")
    p.add_argument("--iso-codes", default="/usr/share/iso-codes/json")
    p.add_argument("--countries-from", choices=("tor", "libloc"), default="tor",
                   help="country source (default tor: newer data)")
    p.add_argument("--output", required=True)
    p.add_argument("--info", help="text file naming sources, licence and dates")
    p.add_argument("--record-size", type=int, choices=(24, 28, 32), default=24,
                   help="smallest record size to use (larger ones are for testing)")
    args = p.parse_args()

    names = country_names(args.iso_codes)
    from_tor = args.countries_from == "tor"
    libloc, as_names, libloc_date = read_libloc(args.location_db, not from_tor)
    per_family = {}
    if from_tor:
        tor4, tor_date = read_tor(args.tor_geoip, False)
        tor6, tor6_date = read_tor(args.tor_geoip6, True)
        tor_date = max(tor_date, tor6_date)
        per_family[4] = overlay(merge_adjacent(tor4), libloc[4])
        per_family[6] = overlay(merge_adjacent(tor6), libloc[6])
        country_source = (f"tor-geoipdb ({args.tor_geoip}, {args.tor_geoip6}), "
                          f"IPFire Location data generated {date_of(tor_date)}")
        data_epoch = tor_date
    else:
        per_family = libloc
        country_source = f"libloc-database ({args.location_db}), created {date_of(libloc_date)}"
        data_epoch = libloc_date
    asn_source = f"libloc-database ({args.location_db}), created {date_of(libloc_date)}"

    data = DataSection()
    record_ids = {}
    offsets = []

    def record_value(key):
        k = record_ids.get(key)
        if k is None:
            cc, asn = key
            value = {}
            if cc:
                country = {"iso_code": cc}
                if cc in names:
                    country["names"] = {"en": names[cc]}
                value["country"] = country
            if asn:
                value["autonomous_system_number"] = (6, asn)
                if asn in as_names:
                    value["autonomous_system_organization"] = as_names[asn]
            k = record_ids[key] = len(offsets)
            offsets.append(data.add_record(value))
        return -(k + 3)

    v4 = [(a, b, record_value(v)) for a, b, v in per_family[4]]
    v6 = per_family[6]
    v6 = cut_out(v6, 0, (1 << 32) - 1)
    for prefix, length in IPV4_ALIASES:
        v6 = cut_out(v6, prefix, prefix | ((1 << (128 - length)) - 1))
    v6 = [(a, b, record_value(v)) for a, b, v in v6]
    v6 += [(0, (1 << 32) - 1, ALIAS)]
    v6 += [(prefix, prefix | ((1 << (128 - length)) - 1), ALIAS)
           for prefix, length in IPV4_ALIASES]
    v6.sort()

    v4_left, v4_right, v4_root = build_tree(v4, 32)
    v6_left, v6_right, v6_root = build_tree(v6, 128)
    if v6_root != 0:
        fail("IPv6 tree has no root node")
    tree, node_count, record_size = search_tree_bytes(
        v6_left, v6_right, v4_left, v4_right, v4_root, offsets, len(data.buf),
        args.record_size)

    description = (f"ntt open country/ASN database. Countries: {country_source}. "
                   f"ASNs and AS names: {asn_source}. Data: IPFire Location, "
                   f"{LICENCE}, https://location.ipfire.org/")
    metadata = {
        "binary_format_major_version": (5, 2),
        "binary_format_minor_version": (5, 0),
        "build_epoch": (9, data_epoch),     # the data's date, not the clock
        "database_type": DATABASE_TYPE,
        "description": {"en": description},
        "ip_version": (5, 6),
        "languages": ["en"],
        "node_count": (6, node_count),
        "record_size": (5, record_size),
    }
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(tree)
        f.write(bytes(16))
        f.write(data.buf)
        f.write(b"\xab\xcd\xefMaxMind.com")
        f.write(DataSection.encode(metadata))
    os.replace(tmp, args.output)

    networks = len(per_family[4]) + len(per_family[6])
    summary = (f"{networks} ranges ({len(per_family[4])} IPv4, {len(per_family[6])} IPv6), "
               f"{len(offsets)} distinct records, {node_count} nodes, "
               f"{record_size}-bit records, {os.path.getsize(args.output)} bytes")
    if args.info:
        with open(args.info, "w", encoding="utf-8") as f:
            f.write(f"{os.path.basename(args.output)}: {DATABASE_TYPE}\n"
                    f"Countries: {country_source}\n"
                    f"ASNs and AS names: {asn_source}\n"
                    f"Licence: {LICENCE} (https://creativecommons.org/licenses/by-sa/4.0/)\n"
                    f"Attribution: {ATTRIBUTION}\n"
                    f"Built by ntt's packaging/make-open-geo.py: {summary}\n")
    print(f"make-open-geo: wrote {args.output}: {summary}")


if __name__ == "__main__":
    main()
