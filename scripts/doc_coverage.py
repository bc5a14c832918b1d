#!/usr/bin/env python3
"""Lists the library's public symbols that have no doc comment: exit status 1 if there are any,
2 if a target has no symbol graph yet.

It reads the symbol graphs that `swift package generate-documentation` leaves under
.build/<triple>/extracted-symbols/<package>/<Target>/ (./run.sh docs runs both), so it costs no
build of its own. A symbol counts as documented when it has a doc comment of its own,
written in this package's sources, or when it implements a protocol requirement whose doc comment
DocC shows in its place (Swift's `description`, say). Skipped: symbols the compiler synthesises
(their identifier contains ::SYNTHESIZED::, e.g. Equatable's !=), extension blocks (their members
are checked) and symbols declared outside ./Sources (the standard library's, say).

usage: scripts/doc_coverage.py [--build-dir .build] TARGET...
"""

import argparse
import glob
import json
import os
import sys
from urllib.parse import unquote


def symbol_graphs(build_dir, target):
    pattern = os.path.join(build_dir, "*", "extracted-symbols", "*", target, "*.symbols.json")
    return sorted(glob.glob(pattern))


def undocumented(path, sources_root):
    with open(path) as f:
        graph = json.load(f)
    missing = []
    for s in graph.get("symbols", []):
        if s.get("accessLevel") not in ("public", "open"):
            continue
        if "::SYNTHESIZED::" in s["identifier"]["precise"]:
            continue
        if s["kind"]["identifier"] == "swift.extension":
            continue  # an extension block: DocC documents its members, not the block
        location = unquote(s.get("location", {}).get("uri", ""))
        if not location.startswith("file://") or sources_root not in location:
            continue
        # Documented: a non-empty doc comment, written in Sources/ or inherited from the protocol
        # requirement the symbol implements (Swift's `description`, `init(from:)`), which DocC
        # shows on the symbol's page.
        comment = s.get("docComment") or {}
        text = "".join(line.get("text", "") for line in comment.get("lines", [])).strip()
        if text:
            continue
        line = s["location"].get("position", {}).get("line", 0) + 1
        file = location[len("file://"):]
        title = ".".join(s.get("pathComponents", [s["names"]["title"]]))
        missing.append((os.path.relpath(file), line, s["kind"]["displayName"].lower(), title))
    return missing


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build-dir", default=".build")
    parser.add_argument("targets", nargs="+")
    args = parser.parse_args()
    sources_root = os.path.abspath("Sources") + os.sep
    status = 0
    total = 0
    for target in args.targets:
        paths = symbol_graphs(args.build_dir, target)
        if not paths:
            print(f"doc_coverage: no symbol graph for target '{target}' under {args.build_dir}; "
                  "run swift package generate-documentation first", file=sys.stderr)
            status = 2
            continue
        seen = set()
        for path in paths:
            for item in undocumented(path, sources_root):
                if item not in seen:
                    seen.add(item)
        for file, line, kind, title in sorted(seen):
            print(f"{file}:{line}: undocumented public {kind} {title}")
        total += len(seen)
    if total:
        print(f"doc_coverage: {total} public symbol(s) without a doc comment", file=sys.stderr)
        status = max(status, 1)
    elif status == 0:
        print(f"doc_coverage: every public symbol of {', '.join(args.targets)} has a doc comment")
    return status


if __name__ == "__main__":
    sys.exit(main())
