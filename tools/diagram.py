"""Render docs/arsitektur.dot to docs/arsitektur.svg with Graphviz and stamp the source's sha256 in
the SVG, so a test can tell, without Graphviz, that the committed picture is the current source's.

    python -m tools.diagram           # make diagram (needs `dot`: apt-get install graphviz)
    python -m tools.diagram --check   # exit 1 when the SVG is not the current source's rendering
"""
from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "docs" / "arsitektur.dot"
SVG = ROOT / "docs" / "arsitektur.svg"
_STAMP = re.compile(r"<!-- source: docs/arsitektur\.dot sha256:([0-9a-f]{64}) -->")


def source_hash() -> str:
    return hashlib.sha256(SOURCE.read_bytes()).hexdigest()


def stamped_hash(svg: str) -> str | None:
    m = _STAMP.search(svg)
    return m[1] if m else None


def render() -> Path:
    dot = shutil.which("dot")
    if not dot:
        raise SystemExit("Graphviz `dot` not found: apt-get install graphviz")
    svg = subprocess.run([dot, "-Tsvg", str(SOURCE)], check=True, capture_output=True, text=True).stdout
    # Graphviz writes its version in a comment; the stamp goes right after the XML declaration
    head, sep, rest = svg.partition("?>\n")
    stamp = f"<!-- source: docs/arsitektur.dot sha256:{source_hash()} -->\n"
    SVG.write_text(head + sep + stamp + rest if sep else stamp + svg)
    return SVG


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.diagram", description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare the stamp with the source")
    args = parser.parse_args(argv)
    if args.check:
        current = SVG.exists() and stamped_hash(SVG.read_text()) == source_hash()
        print(f"{SVG.relative_to(ROOT)}: {'current' if current else 'stale: make diagram'}")
        return 0 if current else 1
    print(f"{render().relative_to(ROOT)} rendered from {SOURCE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
