#!/usr/bin/env python3
"""Fails when a tracked file points outside the repository.

A reader who clones this repository has only what is in it. Requirements are in
docs/requirements.md, the architecture in docs/design.md, sources by their
SRC-* ids (docs/requirements.md#sources). This check finds the old pointers the
project used before those documents existed: a handout folder one level up,
its file names, numbered source documents, and tracker numbers in comments.
``tools/rewrite_refs.py`` rewrites them.

    python tools/check_standalone.py          # prints every hit, exit 1 if any
    python tools/check_standalone.py PATH...  # only these files

Random seeds (``random.Random(seed)``, ``--seed``) and the verb "to seed" are not
pointers and are not reported.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Files that must name the patterns to do their job.
EXEMPT = frozenset({
    "tools/check_standalone.py",
    "tools/rewrite_refs.py",
})

# The old handout's file names (upper case: the files, not the English words), spelled in
# pieces so that a plain `git grep` for them finds real pointers, not this checker.
HANDOUT_FILE = {
    "requirements": "MIS" "SION",
    "design": "DES" "IGN",
    "domain_facts": "DOMAIN" "_FACTS",
    "platform_facts": "PLATFORM" "_FACTS",
}

PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (f"handout file {name}", re.compile(rf"\b{name}\b")) for name in HANDOUT_FILE.values()
) + (
    ("numbered source document", re.compile(r"(?i)(?:\b|_)seeds?[ _]0\d\d(?![0-9])")),
    ("source documents folder", re.compile(r"(?i)\bseeds/")),
    ("unnamed source document", re.compile(
        r"(?i)\b(?:the|its|this|that|these|those|each|non)[ -]seeds?\b(?!\s*(?:=|value|generator|phrase))")),
    ("unnamed source document", re.compile(r"(?i)\bseed's\b")),
    ("unnamed source document", re.compile(
        r"(?i)\bseed (?:error|number|example|heading|group|word|wording|document|page|slide|file|passage)s?\b")),
    ("unnamed source document", re.compile(r"(?i)\bgalat[ _]seed\b")),
    ("unnamed source document", re.compile(r"(?i)\bdi seed\b")),
    ("unnamed source document", re.compile(r"def test_\w*seed\w*")),
    ("tracker number", re.compile(r"(?i)\bissues? #?\d+\b")),
    ("tracker number", re.compile(r"(?i)\bthe issue's\b")),
    ("tracker number", re.compile(r"def test_\w*issue_?\d")),
)


def tracked_files(root: Path = ROOT) -> list[str]:
    """Tracked files, relative to the repository root."""
    result = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True)
    return [p for p in result.stdout.decode().split("\0") if p]


def read_text(path: Path) -> str | None:
    """The file's text, or None for binary or missing files."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


# A relative path that climbs to a "shared/" folder: fine when it lands on the repository's own
# shared/ (a doc under docs/ linking the library's README), a pointer outside when it does not.
RELATIVE_SHARED = re.compile(r"((?:\.\./)+)shared/([\w./-]*)")


def _outside(rel: str, match: re.Match[str], root: Path) -> bool:
    if not rel:
        return True
    target = (root / rel).parent / match.group(1) / "shared" / match.group(2)
    target = Path(os.path.normpath(target))
    return root not in target.parents or not target.exists()


def line_hits(line: str, rel: str = "", root: Path = ROOT) -> list[str]:
    """Labels of every pattern the line matches (``rel``: the file's path, for relative links)."""
    hits = [label for label, pattern in PATTERNS if pattern.search(line)]
    if any(_outside(rel, m, root) for m in RELATIVE_SHARED.finditer(line)):
        hits.insert(0, "path to the handout folder")
    return hits


def check(root: Path = ROOT, files: list[str] | None = None) -> list[tuple[str, int, str, str]]:
    """(path, line number, label, line) for every pointer outside the repository."""
    result = []
    for rel in files if files is not None else tracked_files(root):
        if rel in EXEMPT:
            continue
        text = read_text(root / rel)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for label in line_hits(line, rel, root):
                result.append((rel, number, label, line.strip()))
    return result


def main(argv: list[str]) -> int:
    hits = check(ROOT, argv or None)
    for rel, number, label, line in hits:
        print(f"{rel}:{number}: {label}: {line[:160]}")
    if hits:
        print(f"\n{len(hits)} pointer(s) outside the repository; run `python tools/rewrite_refs.py` "
              "or cite docs/requirements.md / docs/design.md instead.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
