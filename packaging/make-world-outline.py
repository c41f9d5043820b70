#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Generates the world outline of the HTML report's map (the C table that
# plugin/engine/report/world-outline.h declares) from the 'world' database
# of Debian's r-cran-maps: Natural Earth's 1:50m countries (public domain)
# as the R package maps stores them. Nothing of R is run: the database is
# three small binary files, read here as the package's C source (mapget.c,
# map.h) reads them:
#   world.L  int coordtype, int nlines, nlines line headers
#            {u32 offset, u16 npair, u16 left, u16 right, 2 pad,
#             float sw.x, sw.y, ne.x, ne.y}, then the points, float x, y
#            pairs (radians for a spherical coordtype);
#   world.G  u16 nregions, nregions region headers {u32 offset, u8 nline,
#            3 pad, float sw.x, sw.y, ne.x, ne.y}, then each region's
#            polylines, int32 line numbers (negative: walked backwards);
#   world.N  "name<TAB>region" lines; a name is "Country" or
#            "Country:Part" (an island, an exclave).
# Each region is a closed ring made of its polylines, which it shares with
# its neighbours; each polyline is simplified once (Douglas-Peucker), so
# neighbouring countries keep the same border. The rings of a country are
# one SVG path, countries are named by ISO 3166-1 alpha-2 code (English
# names from iso-codes, as make-open-geo.py uses), in code order.
#
# Usage: make-world-outline.py --maps-dir /usr/lib/R/site-library/maps
#        --iso-codes /usr/share/iso-codes/json --output world-outline.c
#        [--tolerance DEGREES] [--list]

import argparse
import math
import json
import os
import re
import struct
import sys
import unicodedata

DEFAULT_TOLERANCE = 0.25     # degrees: a pixel of a 1440-wide map
FINE_TOLERANCE = 0.02        # for a country that would vanish otherwise
SPHERICAL_TYPES = (0, 2)     # SPHERE, SPHERE0 in maps' map.h: radians

# maps' names that iso-codes' English names do not give; "" is land of no
# single country (Siachen: disputed between India and Pakistan).
NAME_CODES = {
    "UK": "GB", "USA": "US", "Antigua": "AG", "Barbuda": "AG",
    "Azores": "PT", "Madeira Islands": "PT", "Canary Islands": "ES",
    "Ascension Island": "SH", "Saint Helena": "SH",
    "Bonaire": "BQ", "Saba": "BQ", "Sint Eustatius": "BQ",
    "Chagos Archipelago": "IO", "Cocos Islands": "CC",
    "Grenadines": "VC", "Saint Vincent": "VC",
    "Saint Kitts": "KN", "Nevis": "KN", "Trinidad": "TT", "Tobago": "TT",
    "Heard Island": "HM", "South Georgia": "GS", "South Sandwich Islands": "GS",
    "Ivory Coast": "CI", "Swaziland": "SZ", "Czech Republic": "CZ",
    "Republic of Congo": "CG", "Democratic Republic of the Congo": "CD",
    "Vatican": "VA", "Virgin Islands, British": "VG", "Virgin Islands, US": "VI",
    "Micronesia": "FM", "Palestine": "PS", "Turkey": "TR", "Cape Verde": "CV",
    "Saint Martin": "MF", "Sint Maarten": "SX", "Pitcairn Islands": "PN",
    "French Southern and Antarctic Lands": "TF", "North Korea": "KP",
    "South Korea": "KR", "Falkland Islands": "FK", "Macedonia": "MK",
    "Brunei": "BN", "Russia": "RU",
    "Kosovo": "XK",          # user-assigned, as GeoIP data (and ntt) use it
    "Siachen Glacier": "",
}
# Parts that have their own ISO code.
PART_CODES = {
    "China:Hong Kong": "HK", "China:Macao": "MO", "Finland:Aland Islands": "AX",
    "Norway:Svalbard": "SJ", "Norway:Jan Mayen": "SJ",
}
# Codes outside ISO 3166-1 that the table may hold.
EXTRA_CODES = {"XK"}


def fail(message):
    sys.exit("make-world-outline: " + message)


# ---------------------------------------------------------------- reading

def read_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        fail(f"cannot read {path}: {e} (apt-get install r-cran-maps)")


def read_lines(path):
    """[[(lon, lat), ...]] in degrees, index 0 = polyline 1."""
    data = read_file(path)
    if len(data) < 8:
        fail(f"{path}: too short")
    for order in "<>":       # the C reader also accepts either byte order
        coordtype, count = struct.unpack_from(order + "ii", data, 0)
        if 0 <= coordtype <= 10000:
            break
    else:
        fail(f"{path}: unknown coordinate type")
    scale = 180 / math.pi if coordtype in SPHERICAL_TYPES else 1.0
    header = struct.Struct(order + "IHHH2xffff")
    if count <= 0 or 8 + count * header.size > len(data):
        fail(f"{path}: bad polyline count {count}")
    lines = []
    for i in range(count):
        offset, npair, _left, _right, *_box = header.unpack_from(data, 8 + i * header.size)
        if npair == 0 or offset + 8 * npair > len(data):
            fail(f"{path}: polyline {i + 1} lies outside the file")
        xy = struct.unpack_from(f"{order}{2 * npair}f", data, offset)
        lines.append([(xy[2 * k] * scale, xy[2 * k + 1] * scale) for k in range(npair)])
    return lines, order


def read_regions(path, order, nlines):
    """[[signed polyline number, ...]], index 0 = region 1."""
    data = read_file(path)
    (count,) = struct.unpack_from(order + "H", data, 0)
    header = struct.Struct(order + "IB3xffff")
    if count == 0 or 2 + count * header.size > len(data):
        fail(f"{path}: bad region count {count}")
    regions = []
    for i in range(count):
        offset, nline, *_box = header.unpack_from(data, 2 + i * header.size)
        if nline == 0 or offset + 4 * nline > len(data):
            fail(f"{path}: region {i + 1} lies outside the file")
        numbers = struct.unpack_from(f"{order}{nline}i", data, offset)
        if any(n == 0 or abs(n) > nlines for n in numbers):
            fail(f"{path}: region {i + 1} names a polyline that does not exist")
        regions.append(list(numbers))
    return regions


def read_names(path, nregions):
    """{region number: name}."""
    names = {}
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line:
                    continue
                try:
                    name, region = line.rsplit("\t", 1)
                    region = int(region)
                except ValueError:
                    fail(f"{path}:{number}: cannot read {line!r}")
                if not 1 <= region <= nregions or region in names:
                    fail(f"{path}:{number}: bad region {region}")
                names[region] = name.strip()
    except OSError as e:
        fail(f"cannot read {path}: {e} (apt-get install r-cran-maps)")
    return names


def maps_version(maps_dir):
    try:
        with open(os.path.join(maps_dir, "DESCRIPTION"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("Version:"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


# ------------------------------------------------------------ naming

def fold(text):
    """Lower case ASCII letters and digits only: 'Åland' == 'aland'."""
    text = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode().lower())


def iso_names(iso_dir):
    """({folded English name: code}, {valid codes})."""
    path = os.path.join(iso_dir, "iso_3166-1.json")
    try:
        with open(path, encoding="utf-8") as f:
            entries = json.load(f)["3166-1"]
    except (OSError, ValueError, KeyError) as e:
        fail(f"cannot read {path} ({e}); apt-get install iso-codes")
    by_name, codes = {}, set()
    for entry in entries:
        code = entry["alpha_2"]
        codes.add(code)
        for key in ("name", "common_name", "official_name"):
            if key in entry:
                by_name.setdefault(fold(entry[key]), code)
        # "Bolivia, Plurinational State of" -> "Bolivia"
        by_name.setdefault(fold(entry["name"].split(",")[0]), code)
    return by_name, codes


def code_of(name, by_name):
    """The ISO code of a maps region name, "" for no country, None unknown."""
    parts = name.split(":")
    if ":".join(parts[:2]) in PART_CODES:
        return PART_CODES[":".join(parts[:2])]
    country = parts[0]
    if country in NAME_CODES:
        return NAME_CODES[country]
    return by_name.get(fold(country))


# --------------------------------------------------------- simplifying

def segment_distance(p, a, b):
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - ax, p[1] - ay)
    t = max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy)


def douglas_peucker(points, tolerance):
    """Keeps both ends; iterative, so long coasts do not recurse deeply."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, worst_at = -1.0, None
        for i in range(first + 1, last):
            d = segment_distance(points[i], points[first], points[last])
            if d > worst:
                worst, worst_at = d, i
        if worst_at is not None and worst > tolerance:
            keep[worst_at] = True
            stack.append((first, worst_at))
            stack.append((worst_at, last))
    return [p for p, k in zip(points, keep) if k]


def to_frame(point, decimals):
    """(lon, lat) -> the header's frame, rounded."""
    return (round(point[0] + 180.0, decimals), round(90.0 - point[1], decimals))


def rings_of(region, lines, tolerance, decimals, cache):
    """The region's closed rings in frame coordinates, consecutive repeats
    removed: one, or two where it crosses the antimeridian; none where
    rounding leaves less than a triangle."""
    ring = []
    for number in region:
        key = (abs(number), tolerance)
        if key not in cache:
            cache[key] = douglas_peucker(lines[abs(number) - 1], tolerance)
        points = cache[key] if number > 0 else cache[key][::-1]
        for p in points:
            if not ring or ring[-1] != p:
                ring.append(p)
    while len(ring) > 1 and ring[0] == ring[-1]:
        ring.pop()
    ring = through_the_pole(ring)
    out = []
    for piece in across_the_antimeridian(ring):
        framed = []
        for p in piece:
            q = to_frame(p, decimals)
            if not framed or framed[-1] != q:
                framed.append(q)
        while len(framed) > 1 and framed[0] == framed[-1]:
            framed.pop()
        if len(set(framed)) >= 3 and abs(shoelace(framed)) > 1e-9:
            out.append(framed)
    return out


def through_the_pole(ring):
    """A ring around a pole (Antarctica) has one edge that jumps across the
    map, from 180 E back to 180 W; the data stops short of the pole there
    (at 84.4 S). It is closed through the pole instead, so the land reaches
    the map's bottom edge, with no line across the map."""
    out = []
    for i, p in enumerate(ring):
        out.append(p)
        q = ring[(i + 1) % len(ring)]
        if abs(q[0] - p[0]) > 180:
            pole = -90.0 if p[1] + q[1] < 0 else 90.0
            out += [(p[0], pole), (q[0], pole)]
    return out


def clip(ring, inside, cross):
    """Sutherland-Hodgman: the part of the ring where inside(p); cross(p, q)
    is where the edge p-q meets the boundary."""
    out = []
    for i, q in enumerate(ring):
        p = ring[i - 1]
        if inside(q):
            if not inside(p):
                out.append(cross(p, q))
            out.append(q)
        elif inside(p):
            out.append(cross(p, q))
    return out


def meridian_cross(lon):
    def cross(p, q):
        t = (lon - p[0]) / (q[0] - p[0])
        return (lon, p[1] + t * (q[1] - p[1]))
    return cross


def across_the_antimeridian(ring):
    """maps keeps a country that crosses 180 degrees in one piece, with
    longitudes past 180 (Chukotka reaches 190 E): such a ring is cut at the
    antimeridian and its far part drawn again at the map's other edge."""
    east = max(p[0] for p in ring)
    west = min(p[0] for p in ring)
    if east <= 180 and west >= -180:
        return [ring]
    pieces = []
    if east > 180:
        pieces.append(clip(ring, lambda p: p[0] <= 180, meridian_cross(180.0)))
        shifted = [(x - 360, y) for x, y in ring]
        pieces.append(clip(shifted, lambda p: p[0] >= -180, meridian_cross(-180.0)))
    else:
        pieces.append(clip(ring, lambda p: p[0] >= -180, meridian_cross(-180.0)))
        shifted = [(x + 360, y) for x, y in ring]
        pieces.append(clip(shifted, lambda p: p[0] <= 180, meridian_cross(180.0)))
    return [piece for piece in pieces if piece]


def shoelace(ring):
    return sum(ring[i - 1][0] * p[1] - p[0] * ring[i - 1][1] for i, p in enumerate(ring)) / 2


def bbox_area(region, lines):
    xs = [p[0] for n in region for p in lines[abs(n) - 1]]
    ys = [p[1] for n in region for p in lines[abs(n) - 1]]
    return (max(xs) - min(xs)) * (max(ys) - min(ys))


def number_text(value):
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def path_of(rings):
    """Absolute coordinates: 'M x y x y ... Z' per ring (an implicit L after M)."""
    out = []
    for ring in rings:
        coords = " ".join(f"{number_text(x)} {number_text(y)}" for x, y in ring)
        out.append("M" + coords + "Z")
    return "".join(out)


# -------------------------------------------------------------- output

def c_string(text):
    """Splits a long string literal into lines of < 100 characters."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    pieces = [text[i:i + 88] for i in range(0, len(text), 88)] or [""]
    return "\n".join(f'        "{p}"' for p in pieces)


def write_c(path, shapes, source):
    body = ["/* world-outline.c: GENERATED by packaging/make-world-outline.py; do not edit.",
            f" * {source}",
            " *",
            " * SPDX-License-Identifier: GPL-2.0-or-later",
            " */",
            '#include "report/world-outline.h"',
            "",
            f"const ntt_world_shape_t ntt_world_shapes[{len(shapes)}] = {{"]
    for code, text in shapes:
        body.append(f'    {{ "{code}",\n{c_string(text)} }},')
    body += ["};",
             f"const unsigned ntt_world_shape_count = {len(shapes)};",
             f"const char ntt_world_outline_source[] =\n{c_string(source)};",
             ""]
    tmp = path + ".tmp"
    try:
        with open(tmp, "w", encoding="ascii") as f:
            f.write("\n".join(body))
        os.replace(tmp, path)
    except OSError as e:
        fail(f"cannot write {path}: {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--maps-dir", default="/usr/lib/R/site-library/maps")
    ap.add_argument("--iso-codes", default="/usr/share/iso-codes/json")
    ap.add_argument("--output", required=True)
    ap.add_argument("--tolerance", type=float, default=DEFAULT_TOLERANCE)
    ap.add_argument("--list", action="store_true",
                    help="print each region's name and code on stderr")
    args = ap.parse_args()

    base = os.path.join(args.maps_dir, "mapdata", "world")
    lines, order = read_lines(base + ".L")
    regions = read_regions(base + ".G", order, len(lines))
    names = read_names(base + ".N", len(regions))
    by_name, valid = iso_names(args.iso_codes)
    valid |= EXTRA_CODES

    unknown = sorted({n.split(":")[0] for n in names.values() if code_of(n, by_name) is None})
    if unknown:
        fail("no ISO code for " + ", ".join(unknown) + " (add them to NAME_CODES)")
    codes = {r: code_of(n, by_name) for r, n in names.items()}
    bad = sorted({c for c in codes.values() if c and c not in valid})
    if bad:
        fail("not ISO 3166-1 codes: " + ", ".join(bad))

    cache = {}
    by_code = {}
    for number in range(1, len(regions) + 1):
        code = codes.get(number, "")     # an unnamed region: no country
        if args.list:
            print(f"{number}\t{code}\t{names.get(number, '')}", file=sys.stderr)
        by_code.setdefault(code, []).extend(
            rings_of(regions[number - 1], lines, args.tolerance, 1, cache))
    # A country too small for the tolerance (Vatican, Monaco, Nauru ...)
    # keeps its largest region, finer, rather than vanish from the map.
    for code in sorted(by_code):
        if by_code[code]:
            continue
        mine = [r for r in codes if codes[r] == code]
        largest = max(mine, key=lambda r: (bbox_area(regions[r - 1], lines), -r))
        by_code[code].extend(rings_of(regions[largest - 1], lines, FINE_TOLERANCE, 2, cache))

    # Countries in code order, land of no country ("") last.
    shapes = [(code, path_of(by_code[code]))
              for code in sorted(by_code, key=lambda c: (c == "", c)) if by_code[code]]
    source = (f"Natural Earth 1:50m countries (public domain), from the world database of "
              f"R package maps {maps_version(args.maps_dir)} (GPL-2), simplified to "
              f"{args.tolerance:g} degrees")
    write_c(args.output, shapes, source)
    total = sum(len(text) for _, text in shapes)
    print(f"make-world-outline: {len(shapes)} shapes, {total} bytes of path data "
          f"-> {args.output}")


if __name__ == "__main__":
    main()
