# SPDX-License-Identifier: GPL-2.0-or-later
"""What the bench reports share (native-report.py, l2-report.py): code
addresses of a shared object named by binutils' addr2line, inlined frames
included (an address is an offset into the file, where a shared object's
code sits at its virtual address), and the results written as JSON."""

import json
import subprocess


def frames(obj, addresses):
    """{address: [(function, "file:line"), ...]} for each address, the
    innermost frame first (an inlined lookup as itself, then the function
    it was inlined into, outward); [("??", "??:0")] for one addr2line
    cannot place."""
    todo = sorted(set(addresses))
    if not todo:
        return {}
    out = subprocess.run(["addr2line", "-a", "-f", "-i", "-e", obj] + [hex(a) for a in todo],
                         capture_output=True, text=True, check=False).stdout.splitlines()
    lines, groups = None, []
    for line in out:
        if line.startswith("0x"):       # -a: each address's frames follow its own line
            lines = []
            groups.append(lines)
        elif lines is not None:
            lines.append(line)
    result = {}
    for address, group in zip(todo, groups):
        pairs = list(zip(group[0::2], group[1::2]))
        result[address] = pairs or [("??", "??:0")]
    for address in todo[len(groups):]:
        result[address] = [("??", "??:0")]
    return result


def write_json(path, data):
    """The figures, indented, as the bench's other JSON results."""
    with open(path, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2)
        f.write("\n")
