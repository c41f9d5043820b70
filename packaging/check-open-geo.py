#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Checks ntt's open GeoIP database (built by make-open-geo.py) against its
# sources, reading it through libmaxminddb's own mmdblookup so that what is
# checked is what ntt sees:
#   - metadata: database type, IPv6 tree, description naming the sources;
#   - IPv4 aliasing: ::ffff:a.b.c.d and 2002:AABB:CCDD:: answer as a.b.c.d;
#   - a fixed-seed sample of addresses (IPv4 and IPv6, drawn from Tor's
#     ranges and from libloc's networks): the country must be Tor's (none
#     where Tor says '??' or has no range) and the ASN and AS name libloc's.
# Exits 1 on any mismatch, listing the first ones.

import argparse
import bisect
import ipaddress
import random
import re
import socket
import subprocess
import sys

ALIASED_V6 = [ipaddress.ip_network(n) for n in ("::/96", "::ffff:0:0/96", "2002::/16")]


def read_tor(path, ipv6):
    starts, ends, codes = [], [], []
    with open(path, encoding="ascii") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            first, last, cc = line.strip().split(",")
            if ipv6:
                first = int(ipaddress.IPv6Address(first))
                last = int(ipaddress.IPv6Address(last))
            else:
                first, last = int(first), int(last)
            starts.append(first)
            ends.append(last)
            codes.append(None if cc == "??" else cc)
    order = sorted(range(len(starts)), key=starts.__getitem__)
    return ([starts[i] for i in order], [ends[i] for i in order],
            [codes[i] for i in order])


def tor_country(table, number):
    starts, ends, codes = table
    i = bisect.bisect_right(starts, number) - 1
    if i >= 0 and ends[i] >= number:
        return codes[i]
    return None


def lookup(mmdb, address):
    """(iso_code, asn, organization) as mmdblookup reads them; None where absent."""
    out = subprocess.run(["mmdblookup", "--file", mmdb, "--ip", address],
                         capture_output=True, text=True, check=False)
    text = out.stdout + out.stderr
    if "Could not find an entry" in text:
        return None, None, None
    if out.returncode != 0:
        raise RuntimeError(f"mmdblookup {address}: {text.strip()}")
    cc = re.search(r'"iso_code":\s*"([^"]*)" <utf8_string>', text)
    asn = re.search(r'"autonomous_system_number":\s*(\d+) <uint32>', text)
    org = re.search(r'"autonomous_system_organization":\s*"(.*)" <utf8_string>', text)
    return (cc.group(1) if cc else None, int(asn.group(1)) if asn else None,
            org.group(1) if org else None)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mmdb", required=True)
    p.add_argument("--tor-geoip", default="/usr/share/tor/geoip")
    p.add_argument("--tor-geoip6", default="/usr/share/tor/geoip6")
    p.add_argument("--location-db", default="/usr/share/libloc-location/location.db")
    p.add_argument("--samples", type=int, default=1000)
    p.add_argument("--seed", type=int, default=20261201)
    args = p.parse_args()

    import location
    from libloc_oracle import Libloc
    db = location.Database(args.location_db)
    libloc = Libloc(db)
    tor = {4: read_tor(args.tor_geoip, False), 6: read_tor(args.tor_geoip6, True)}
    rng = random.Random(args.seed)
    failures = []
    checks = 0

    def expect(what, got, want):
        nonlocal checks
        checks += 1
        if got != want:
            failures.append(f"{what}: got {got!r}, want {want!r}")

    # Metadata.
    meta = subprocess.run(["mmdblookup", "--file", args.mmdb, "--ip", "8.8.8.8",
                           "--verbose"], capture_output=True, text=True).stdout
    expect("database type", re.search(r"Type:\s*(\S+)", meta).group(1), "ntt-open-country-asn")
    expect("IP version", re.search(r"IP version:\s*(\S+)", meta).group(1), "IPv6")
    for word in ("tor-geoipdb", "libloc-database", "CC BY-SA 4.0", "IPFire"):
        expect(f"description names {word}", word in meta, True)

    # IPv4 aliases.
    for v4 in ("8.8.8.8", "1.1.1.1", "185.220.101.1"):
        want = lookup(args.mmdb, v4)
        packed = socket.inet_aton(v4).hex()
        expect(f"::ffff:{v4}", lookup(args.mmdb, f"::ffff:{v4}"), want)
        expect(f"2002 alias of {v4}",
               lookup(args.mmdb, f"2002:{packed[:4]}:{packed[4:]}::1"), want)

    # Sample: 90 % from Tor's ranges, 10 % from libloc's networks with an AS.
    with_as = {4: [], 6: []}
    for net in db.networks:
        if net.asn:
            with_as[4 if net.family == socket.AF_INET else 6].append(str(net))
    addresses = []
    while len(addresses) < args.samples:
        family = 4 if len(addresses) % 2 == 0 else 6
        if rng.random() < 0.9:
            starts, ends, _ = tor[family]
            i = rng.randrange(len(starts))
            number = rng.randint(starts[i], ends[i])
        else:
            net = ipaddress.ip_network(rng.choice(with_as[family]))
            number = rng.randint(int(net.network_address), int(net.broadcast_address))
        address = ipaddress.ip_address(number) if family == 4 else ipaddress.IPv6Address(number)
        if family == 6 and any(address in n for n in ALIASED_V6):
            continue        # answered by the IPv4 tree, checked above
        addresses.append((family, number, str(address)))

    have_cc = have_asn = 0
    for family, number, address in addresses:
        cc, asn, org = lookup(args.mmdb, address)
        want_cc = tor_country(tor[family], number)
        want_asn, want_org = libloc.asn(address)
        expect(f"{address} country", cc, want_cc)
        expect(f"{address} ASN", asn, want_asn)
        expect(f"{address} AS name", org, want_org)
        have_cc += cc is not None
        have_asn += asn is not None

    print(f"check-open-geo: {len(addresses)} addresses "
          f"({sum(1 for a in addresses if a[0] == 4)} IPv4), "
          f"{have_cc} with a country, {have_asn} with an ASN")
    for failure in failures[:20]:
        print("MISMATCH " + failure)
    print(f"{checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
