# SPDX-License-Identifier: GPL-2.0-or-later
"""libloc's answer for an address: the most specific network of
location.db holding it, as python3-location's Database.lookup() gives it.

Debian 13's python3-location 0.9.18 misses some of them: where a network
has more specific networks nested in it, but none of those holds the
address (91.134.23.59 in OVH's 91.134.0.0/16, which has a /28 at
91.134.0.0), its lookup() answers None instead of the enclosing network.
Debian 12's 0.9.16 and forky's 0.9.19 answer it. So where lookup() finds
nothing, this reads every network of the database once (db.networks, in
tree order) and answers the most specific one holding the address from
that list; where lookup() finds one, its answer stands."""
import ipaddress
import socket


class Libloc:
    def __init__(self, db):
        self.db = db
        self._table = None      # {(family, prefix length, network as int): Network}

    def _networks(self):
        if self._table is None:
            table = {}
            for net in self.db.networks:
                text = str(net)
                address, length = text.split("/")
                family = socket.AF_INET6 if ":" in address else socket.AF_INET
                number = int.from_bytes(socket.inet_pton(family, address), "big")
                table[(4 if family == socket.AF_INET else 6, int(length), number)] = net
            self._table = table
        return self._table

    def lookup(self, address):
        """The libloc Network holding the address, or None."""
        try:
            net = self.db.lookup(address)
        except OSError:          # libloc says ENOENT for "no network"
            net = None
        if net is not None:
            return net
        ip = ipaddress.ip_address(address)
        bits = 32 if ip.version == 4 else 128
        number = int(ip)
        table = self._networks()
        for length in range(bits, -1, -1):
            masked = number & ~((1 << (bits - length)) - 1)
            net = table.get((ip.version, length, masked))
            if net is not None:
                return net
        return None

    def asn(self, address):
        """(ASN, AS name) of the address; (None, None) where it has none."""
        net = self.lookup(address)
        if net is None or not net.asn:
            return None, None
        as_ = self.db.get_as(net.asn)
        return net.asn, (as_.name or None) if as_ else None
