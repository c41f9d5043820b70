#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Checks the generated world outline (world-outline.c, made by
# make-world-outline.py) without that script's code:
#   - the C table: its declared size, count and entries agree, the source
#     line names the data and its licence;
#   - every path parses as SVG path data (its own parser, all commands),
#     each subpath is closed, stays in the 360 x 180 frame, and only the
#     frame's top or bottom edge crosses it from side to side;
#   - every code is ISO 3166-1 alpha-2 (iso-codes) or XK, once each;
#   - places known by hand lie in the right country and nowhere else
#     (Paris in FR, Canberra in AU ...), open ocean in no country;
#   - each of a few countries' outline agrees with the bounding boxes that
#     r-cran-maps' own region headers (world.G) give for the regions named
#     after it: it stays inside their union, and covers the largest.
# Usage: check-world-outline.py --outline build/plugin/generated/world-outline.c
#        [--maps-dir DIR] [--iso-codes DIR] [--tolerance DEGREES]
# Exit 0 with "N passed, 0 failed", 1 on any failure.

import argparse
import json
import math
import os
import re
import struct
import sys

# (name, lon, lat, code): capitals and inland cities, well away from coasts
# and borders (> 1 degree), so a 0.25 degree simplification cannot move them.
PLACES = [
    ("Paris", 2.35, 48.85, "FR"), ("Lyon", 4.84, 45.76, "FR"),
    ("Canberra", 149.13, -35.28, "AU"), ("Alice Springs", 133.88, -23.70, "AU"),
    ("Brasilia", -47.88, -15.79, "BR"), ("Tokyo", 139.69, 35.69, "JP"),
    ("Kansas City", -94.58, 39.10, "US"), ("Fairbanks", -147.72, 64.84, "US"),
    ("Moscow", 37.62, 55.75, "RU"), ("Chukotka, west of 180", 172.0, 66.0, "RU"),
    ("Chukotka, east of 180", -176.0, 66.5, "RU"), ("Ottawa", -75.70, 45.42, "CA"),
    ("Cairo", 31.24, 30.04, "EG"), ("Beijing", 116.40, 39.90, "CN"),
    ("New Delhi", 77.21, 28.61, "IN"), ("Nairobi", 36.82, -1.29, "KE"),
    ("Cordoba", -64.18, -31.42, "AR"), ("Madrid", -3.70, 40.42, "ES"),
    ("Berlin", 13.40, 52.52, "DE"), ("Warsaw", 21.01, 52.23, "PL"),
    ("Kinshasa hinterland", 20.0, -3.0, "CD"), ("Riyadh", 46.68, 24.71, "SA"),
    ("Ulaanbaatar", 106.92, 47.92, "MN"), ("Kiruna", 20.23, 67.86, "SE"),
    ("Greenland ice", -40.0, 72.0, "GL"), ("McMurdo region", 160.0, -80.0, "AQ"),
    ("near the South Pole", 45.0, -88.0, "AQ"),
]
OCEAN = [("mid-Atlantic", -30.0, 30.0), ("central Pacific", -150.0, 0.0),
         ("Indian Ocean", 80.0, -30.0), ("Southern Ocean", 0.0, -60.0),
         ("Arctic Ocean", 0.0, 88.0), ("Tasman Sea", 160.0, -38.0)]
# code: the maps region names (before ':') that are that country.
COUNTRY_NAMES = {"FR": ("France",), "AU": ("Australia",), "BR": ("Brazil",),
                 "JP": ("Japan",), "DE": ("Germany",), "ZA": ("South Africa",),
                 "IN": ("India",), "MX": ("Mexico",), "IT": ("Italy",)}

results = []


def check(ok, what):
    results.append(ok)
    print(("ok   " if ok else "FAIL ") + what)


# -------------------------------------------------------------- the table

def c_strings(text):
    """The concatenated value of adjacent C string literals."""
    value = ""
    for m in re.finditer(r'"((?:[^"\\]|\\.)*)"', text):
        value += re.sub(r"\\(.)", r"\1", m.group(1))
    return value


def read_table(path):
    src = open(path, encoding="ascii").read()
    size = re.search(r"ntt_world_shapes\[(\d+)\]\s*=\s*\{(.*?)\n\};", src, re.S)
    count = re.search(r"ntt_world_shape_count\s*=\s*(\d+)\s*;", src)
    source = re.search(r"ntt_world_outline_source\[\]\s*=\s*((?:\s*\"(?:[^\"\\]|\\.)*\")+)\s*;", src)
    if not (size and count and source):
        sys.exit(f"check-world-outline: {path} is not a world outline table")
    entries = re.findall(r'\{\s*"([A-Z]*)",\s*((?:"(?:[^"\\]|\\.)*"\s*)+)\}', size.group(2))
    shapes = [(code, c_strings(body)) for code, body in entries]
    return int(size.group(1)), int(count.group(1)), shapes, c_strings(source.group(1))


# ------------------------------------------------------ SVG path parsing

NUMBER = r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?"
TOKEN = re.compile(rf"\s*(?:([MmLlHhVvZz])|({NUMBER}))\s*,?")


def parse_path(d):
    """SVG path data (move, line, horizontal, vertical, close: what a
    polygon outline can use) -> closed subpaths [[(x, y), ...]].
    Raises ValueError on anything else or a subpath left open."""
    tokens, pos = [], 0
    while pos < len(d):
        m = TOKEN.match(d, pos)
        if not m or m.end() == pos:
            raise ValueError(f"bad path data at {pos}: {d[pos:pos + 20]!r}")
        tokens.append(m.group(1) or float(m.group(2)))
        pos = m.end()
    subpaths, current, command = [], None, None
    x = y = 0.0
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if isinstance(t, str):
            command = t
            i += 1
            if command in "Zz":
                if not current:
                    raise ValueError("Z with no subpath")
                subpaths.append(current)
                x, y = current[0]
                current = None
                command = None
            continue
        if command is None:
            raise ValueError("a number with no command")
        arity = 1 if command in "HhVv" else 2
        args = tokens[i:i + arity]
        if len(args) < arity or any(isinstance(a, str) for a in args):
            raise ValueError(f"{command} lacks numbers")
        i += arity
        if command in "Mm":
            if current:
                raise ValueError("a subpath left open (no Z)")
            x, y = (args[0], args[1]) if command == "M" else (x + args[0], y + args[1])
            current = [(x, y)]
            command = "L" if command == "M" else "l"   # pairs after M are lines
            continue
        if current is None:
            raise ValueError(f"{command} before any M")
        if command == "L":
            x, y = args
        elif command == "l":
            x, y = x + args[0], y + args[1]
        elif command == "H":
            x = args[0]
        elif command == "h":
            x += args[0]
        elif command == "V":
            y = args[0]
        elif command == "v":
            y += args[0]
        current.append((x, y))
    if current:
        raise ValueError("the last subpath is left open (no Z)")
    return subpaths


def inside(rings, x, y):
    """Even-odd rule, as SVG fills with fill-rule evenodd (and as nonzero
    fills these rings, which do not overlap)."""
    hit = False
    for ring in rings:
        for i, (x1, y1) in enumerate(ring):
            x0, y0 = ring[i - 1]
            if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
                hit = not hit
    return hit


def box(points):
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


# --------------------------------------------------- the source's boxes

def source_boxes(maps_dir):
    """{region name: (x0, y0, x1, y1)} in the frame, from world.G's region
    headers and world.L's coordinate type (radians or degrees)."""
    base = os.path.join(maps_dir, "mapdata", "world")
    with open(base + ".L", "rb") as f:
        head = f.read(4)
    order = "<" if 0 <= struct.unpack("<i", head)[0] <= 10000 else ">"
    coordtype = struct.unpack(order + "i", head)[0]
    scale = 180 / math.pi if coordtype in (0, 2) else 1.0
    data = open(base + ".G", "rb").read()
    (count,) = struct.unpack_from(order + "H", data, 0)
    boxes = {}
    for i in range(count):
        _, _, swx, swy, nex, ney = struct.unpack_from(order + "IB3xffff", data, 2 + 24 * i)
        boxes[i + 1] = (swx * scale + 180, 90 - ney * scale, nex * scale + 180, 90 - swy * scale)
    names = {}
    with open(base + ".N", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                name, region = line.rstrip("\n").rsplit("\t", 1)
                names[name] = boxes[int(region)]
    return names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--outline", required=True)
    ap.add_argument("--maps-dir", default="/usr/lib/R/site-library/maps")
    ap.add_argument("--iso-codes", default="/usr/share/iso-codes/json")
    ap.add_argument("--tolerance", type=float, default=0.25)
    args = ap.parse_args()

    size, count, shapes, source = read_table(args.outline)
    check(size == count == len(shapes) and count > 200,
          f"table: size {size}, count {count}, {len(shapes)} entries (> 200 countries)")
    check("Natural Earth" in source and "public domain" in source and "maps" in source,
          f"source line: {source!r}")

    with open(os.path.join(args.iso_codes, "iso_3166-1.json"), encoding="utf-8") as f:
        iso = {c["alpha_2"] for c in json.load(f)["3166-1"]}
    codes = [c for c, _ in shapes]
    bad = [c for c in codes if c and c not in iso | {"XK"}]
    check(not bad, f"every code is ISO 3166-1 alpha-2 or XK (bad: {bad})")
    check(len(set(codes)) == len(codes), "each code once")
    check(codes == sorted(codes, key=lambda c: (c == "", c)),
          "codes in order, land of no country last")

    rings = {}
    errors = []
    for code, d in shapes:
        try:
            rings[code] = parse_path(d)
        except ValueError as e:
            errors.append(f"{code}: {e}")
            continue
        for ring in rings[code]:
            if len(ring) < 3:
                errors.append(f"{code}: a ring of {len(ring)} points")
            x0, y0, x1, y1 = box(ring)
            if x0 < 0 or y0 < 0 or x1 > 360 or y1 > 180:
                errors.append(f"{code}: outside the frame {box(ring)}")
            for i, (bx, by) in enumerate(ring):
                ax, ay = ring[i - 1]
                if abs(bx - ax) > 90 and not (ay == by and ay in (0.0, 180.0)):
                    errors.append(f"{code}: an edge across the map ({ax},{ay})-({bx},{by})")
    check(not errors, "paths parse, close, stay in the frame, cross it only along "
                      f"its top or bottom edge ({'; '.join(errors[:5])})")
    total = sum(len(d) for _, d in shapes)
    check(total < 150_000, f"{total} bytes of path data (< 150000)")

    for name, lon, lat, want in PLACES:
        x, y = lon + 180, 90 - lat
        found = sorted(c for c, r in rings.items() if inside(r, x, y))
        check(found == [want], f"{name} ({lon}, {lat}) lies in {found}, want [{want!r}]")
    for name, lon, lat in OCEAN:
        found = sorted(c for c, r in rings.items() if inside(r, lon + 180, 90 - lat))
        check(not found, f"{name} ({lon}, {lat}) lies in no country ({found})")

    names = source_boxes(args.maps_dir)
    slack = args.tolerance + 0.06     # simplification + rounding to 0.1
    for code, countries in sorted(COUNTRY_NAMES.items()):
        mine = [b for n, b in names.items() if n.split(":")[0] in countries]
        union = (min(b[0] for b in mine), min(b[1] for b in mine),
                 max(b[2] for b in mine), max(b[3] for b in mine))
        largest = max(mine, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
        got = box([p for ring in rings.get(code, []) for p in ring] or [(0, 0)])
        within = (got[0] >= union[0] - slack and got[1] >= union[1] - slack and
                  got[2] <= union[2] + slack and got[3] <= union[3] + slack)
        covers = (got[0] <= largest[0] + slack and got[1] <= largest[1] + slack and
                  got[2] >= largest[2] - slack and got[3] >= largest[3] - slack)
        fmt = lambda b: "(" + ", ".join(f"{v:.2f}" for v in b) + ")"
        check(within and covers, f"{code}: box {fmt(got)} inside the source's {fmt(union)}, "
                                 f"covering its largest region {fmt(largest)}")

    failed = results.count(False)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
