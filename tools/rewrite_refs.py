#!/usr/bin/env python3
"""Rewrites pointers outside the repository into pointers inside it.

Before docs/requirements.md and docs/design.md existed, code and docs cited a
handout one level up (its requirements, design and domain-facts files), its
source documents by number, and tracker issue numbers. This script replaces
them, line by line, with what a reader of a clone can open:

- the requirements file          -> docs/requirements.md (single ids: #p7 anchors)
- the domain-facts file          -> docs/requirements.md#domain-facts (or the section's anchor)
- the design / platform files    -> docs/design.md (#section, #platform-facts)
- numbered source documents      -> their source ids (SRC-..., docs/requirements.md#sources)
- "issue N" in comments and docs -> dropped (the sentence around it says the reason)

Idempotent: a second run changes nothing. It prints every changed line, then
every pointer ``tools/check_standalone.py`` still finds (left for a person).

    python tools/rewrite_refs.py           # rewrite in place
    python tools/rewrite_refs.py --dry-run # only print what would change; exit 1 if anything would

After a run that touched shared/contracts or an entry point's description, run
``make infra-sync`` (descriptions are copied into infra/generated and AsyncAPI).

Merging branches written before the rewrite: where a file the rewrite changed
conflicts, keep the other branch's side (merging this branch into the
integration branch: ``git checkout --ours FILE``), commit the merge, then run
this script again; it rewrites that side the same way.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_standalone  # noqa: E402

ROOT = check_standalone.ROOT
HANDOUT_FILE = check_standalone.HANDOUT_FILE
MIS, DES = HANDOUT_FILE["requirements"], HANDOUT_FILE["design"]
FACTS, PLATFORM = HANDOUT_FILE["domain_facts"], HANDOUT_FILE["platform_facts"]

# Numbered source documents of the old handout and their public identity
# (docs/requirements.md#sources).
SOURCE_ID = {
    "000": "SRC-BUKTI-KARYA",   # "Bukti Karya Saya" guide, Kemendikbudristek
    "002": "SRC-JUMANKERA",     # jumankera.com posts labelled PMM
    "003": "SRC-BIMTEK-MAPPI",  # "Bimtek PMM" slides, Dinas Pendidikan Kab. Mappi 2024
    "004": "SRC-BANGKAPOS",     # Bangkapos.com, "Cara Mengisi e-Kinerja PMM 2024"
}
SOURCE_WORD = {"000": "bukti_karya", "002": "jumankera", "003": "bimtek_mappi", "004": "bangkapos"}
# Every passage the code quoted as document 004 so far is also (and often only) in the
# jumankera.com posts; only these passages are Bangkapos's own.
BANGKAPOS_ONLY = ("100 persen", "100%", "Bangka", "Surat Edaran", "SE Bersama", "madrasah")

DESIGN_SECTION = {
    "layout": "layout", "storage": "storage", "events": "events", "http apis": "http-apis",
    "identity and access": "identity-and-access", "outside systems": "outside-systems-locally",
    "outside systems, locally": "outside-systems-locally", "scale": "scale",
}
FACTS_SECTION = {
    "Timeline of one cycle": "timeline-of-one-cycle",
    "Perencanaan Kinerja for guru": "perencanaan-kinerja-for-guru",
    "Who rates whom": "who-rates-whom",
    "Sync with e-Kinerja": "sync-with-e-kinerja",
    "YouTube Data API v3": "youtube-data-api-v3",
    "Predikat Kinerja Pegawai": "predikat-kinerja-pegawai",
}


def _source_id(number: str, line: str) -> str:
    if number == "004" and not any(p in line for p in BANGKAPOS_ONLY):
        return SOURCE_ID["002"]
    return SOURCE_ID.get(number, f"SRC-UNKNOWN-{number}")


def _sources(m: re.Match[str], line: str) -> str:
    numbers = re.findall(r"0\d\d", m.group(2))
    ids: list[str] = []
    for n in numbers:
        i = _source_id(n, line)
        if i not in ids:
            ids.append(i)
    return ", ".join(ids)


def _capitalise_after_label(m: re.Match[str]) -> str:
    return m.group(1).upper()


def _rules() -> list[tuple[re.Pattern[str], object]]:
    r = re.compile
    design_sections = "|".join(re.escape(k) for k in sorted(DESIGN_SECTION, key=len, reverse=True))
    df_sections = "|".join(re.escape(k) for k in FACTS_SECTION)
    return [
        # --- the handout folder and its files
        (r(r"\.\./shared/seeds/?"), "docs/requirements.md#sources"),
        (r(r"\.\./shared/(?=(?:" + "|".join(HANDOUT_FILE.values()) + r")\b)"), ""),
        (r(rf"\b{MIS}(?:\.md)?\s+([KUPS])(\d+)\b(?!\s*[–-]\s*[KUPS]?\d)(?!,\s*[KUPS]\d)"),
         lambda m: f"docs/requirements.md#{m.group(1).lower()}{m.group(2)}"),
        (r(rf"\b{MIS}(?:\.md)?\b"), "docs/requirements.md"),
        (r(rf"\b{FACTS}(?:\.md)?(,?\s*)(['\"])(" + df_sections + ")"),
         lambda m: f"docs/requirements.md#{FACTS_SECTION[m.group(3)]}{m.group(1)}{m.group(2)}{m.group(3)}"),
        (r(rf"\b{FACTS}(?:\.md)?\b"), "docs/requirements.md#domain-facts"),
        (r(rf"\b{PLATFORM}(?:\.md)?\b"), "docs/design.md#platform-facts"),
        (r(rf"\b{DES}(?:\.md)?(?::|,)?\s*\"?(" + design_sections + r")\"?", re.I),
         lambda m: f"docs/design.md#{DESIGN_SECTION[m.group(1).lower()]}"),
        (r(rf"\b{DES}: \"YouTube"), "docs/design.md#identity-and-access: \"YouTube"),
        (r(rf"\b{DES}(?:\.md)?\b"), "docs/design.md"),
        # --- numbered source documents
        (r(r"(?i)\b(seeds?)\s+(0\d\d(?:\s*(?:,|and|dan|/|&)\s*0\d\d)*)\b"), "SOURCES"),
        (r(r"(?i)(?<=_)seed_(0\d\d)(?![0-9])"), lambda m: SOURCE_WORD.get(m.group(1), "sumber")),
        (r(r"(?i)\bseeds/"), "docs/requirements.md#sources"),
        # --- the unnumbered "seed" of prose and test names
        (r(r"\ba non-seed\b"), "an undocumented"),
        (r(r"\bnon-seed\b"), "undocumented"),
        (r(r"\bdi seed\b"), "di sumber"),
        (r(r"\b([Ss])eed's\b"), r"\1ource's"),
        (r(r"\bseed errors\b"), "documented errors"),
        (r(r"\bseed error\b"), "documented error"),
        (r(r"\bseed (numbers?)\b"), r"published \1"),
        (r(r"\bits seed\b"), "its published"),
        (r(r"\bseed heading\b"), "published heading"),
        (r(r"\bSeed example\b"), "Published example"),
        (r(r"\bseed example\b"), "published example"),
        (r(r"\bSeed groups\b"), "The source groups"),
        (r(r"\bseed file\b"), "source document"),
        (r(r"\b([Tt])he seeds\b"), r"\1he sources"),
        (r(r"\b([Tt])he seed\b(?!\s*(?:=|value|generator|phrase))"), r"\1he source"),
        (r(r"\bgalat seed\b"), "galat terdokumentasi"),
        (r(r"(def test_\w*?)galat_seed"), r"\1galat_terdokumentasi"),
        (r(r"(def test_\w*?)sumber_seed"), r"\1sumber"),
        (r(r"(def test_\w*?)seed"), r"\1sumber"),
        # --- tracker numbers
        (r(r"(def test_)issue_?\d+_"), r"\1"),
        (r(r"\bissue 9's load\b"), "the half-ceiling load"),
        (r(r"\bissue 9 ramp\b"), "semester-load ramp (`make load`)"),
        (r(r"\(issue 5 route; "), "(the period-confirmation route; "),
        (r(r"\(issue 6 adds\b"), "(the Penilaian stage adds"),
        (r(r"\bthe issue's\b"), "the target"),
        (r(r"\s*\([Ii]ssues? \d+(?: and \d+)?(?: item \d+)?\)"), ""),
        (r(r"\([Ii]ssues? \d+(?: and \d+)?(?: item \d+)?(?: \"[^\"]*\")?[;,] "), "("),
        (r(r"[;,] [Ii]ssues? \d+(?: item \d+)?\)"), ")"),
        (r(r"\s+—\s+[Ii]ssues? \d+(?=[;,.])"), ""),
        (r(r",\s*[Ii]ssues? \d+\s*$"), ""),
        (r(r"\b[Ii]ssues? \d+(?: and \d+)?: (\w)"), _capitalise_after_label),
        (r(r"\b[Ii]ssue \d+'s\b"), "the"),
    ]


RULES = _rules()


def rewrite_line(line: str) -> str:
    for pattern, repl in RULES:
        if repl == "SOURCES":
            line = pattern.sub(lambda m: _sources(m, line), line)
        elif callable(repl):
            line = pattern.sub(repl, line)
        else:
            line = pattern.sub(repl, line)
    return line


def rewrite_text(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """The rewritten text and (line number, old, new) for each changed line."""
    changes = []
    out = []
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        new = rewrite_line(body)
        if new != body:
            changes.append((number, body, new))
        out.append(new + ending)
    return "".join(out), changes


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
    parser.add_argument("paths", nargs="*", help="only these tracked files (default: all)")
    args = parser.parse_args(argv)

    files = args.paths or check_standalone.tracked_files(ROOT)
    touched = 0
    left = []
    for rel in files:
        if rel in check_standalone.EXEMPT:
            continue
        path = ROOT / rel
        text = check_standalone.read_text(path)
        if text is None:
            continue
        new, changes = rewrite_text(text)
        if changes:
            touched += 1
            for number, old, line in changes:
                print(f"{rel}:{number}:\n  - {old.strip()}\n  + {line.strip()}")
            if not args.dry_run:
                path.write_text(new, encoding="utf-8")
        for number, line in enumerate(new.splitlines(), 1):
            left += [(rel, number, label, line.strip()) for label in check_standalone.line_hits(line, rel)]

    print(f"\n{touched} file(s) {'would change' if args.dry_run else 'changed'}; "
          f"{len(left)} pointer(s) left for a person:")
    for rel, number, label, line in left:
        print(f"  {rel}:{number}: {label}: {line[:160]}")
    return 1 if left or (args.dry_run and touched) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
