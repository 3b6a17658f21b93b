"""The repository stands alone: no tracked file points at documents a clone does not have.

Requirements live in docs/requirements.md, the architecture in docs/design.md, sources by
their SRC-* ids. tools/check_standalone.py finds the old outside pointers and
tools/rewrite_refs.py rewrites them; both are pinned here.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]


def _muat(nama: str):
    spec = importlib.util.spec_from_file_location(nama, RAIZ / "tools" / f"{nama}.py")
    modul = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(modul)
    return modul


check_standalone = _muat("check_standalone")
rewrite_refs = _muat("rewrite_refs")

# Built from pieces so that this file itself holds no pointer.
HANDOUT = "../" + "shared/"
NOMOR = "seed" + " 003"
MIS, DES = check_standalone.HANDOUT_FILE["requirements"], check_standalone.HANDOUT_FILE["design"]
FACTS = check_standalone.HANDOUT_FILE["domain_facts"]


def test_tidak_ada_berkas_terlacak_yang_menunjuk_ke_luar_repositori():
    temuan = check_standalone.check()
    assert temuan == [], "\n".join(f"{p}:{n}: {label}: {baris}" for p, n, label, baris in temuan[:40])


@pytest.mark.parametrize("baris", [
    f"see `{HANDOUT}{MIS}.md`",
    MIS + " P7: the follow-up document",
    "(" + FACTS + ".md, 'Timeline of one cycle')",
    "(" + DES + ".md, Storage)",
    f"# {NOMOR}, slide 55",
    "def test_k2_dari_" + "seed" + "_000():",
    "as the " + "seed" + " words it",
    "where the " + "seeds" + " allow it",
    "Timeouts and retries (" + "issue" + " 9): every socket",
])
def test_pemeriksa_menemukan_setiap_bentuk_penunjuk_luar(baris):
    assert check_standalone.line_hits(baris), baris


@pytest.mark.parametrize("baris", [
    "rng = random.Random(seed)",
    'parser.add_argument("--seed", default=None)',
    "comes from a seeded generator",
    "docs/requirements.md#p7 and docs/design.md#storage",
    "PMM_AUTH_ISSUER is not set",
])
def test_pemeriksa_tidak_menandai_benih_acak_atau_penunjuk_dalam(baris):
    assert check_standalone.line_hits(baris) == []


@pytest.mark.parametrize("lama, baru", [
    (f"`{HANDOUT}{MIS}.md`", "`docs/requirements.md`"),
    ("(" + MIS + " S1)", "(docs/requirements.md#s1)"),
    (f'sumber="{NOMOR}, slide 55",', 'sumber="SRC-BIMTEK-MAPPI, slide 55",'),
    ("(" + "seed" + " 004 'Langkah-langkah Mengisi SKP di PMM')", "(SRC-JUMANKERA 'Langkah-langkah Mengisi SKP di PMM')"),
    ("(" + DES + ".md, Storage)", "(docs/design.md#storage)"),
    (FACTS + ".md 'Timeline of one cycle' (H)",
     "docs/requirements.md#timeline-of-one-cycle 'Timeline of one cycle' (H)"),
    ("where the " + "seeds" + " allow it", "where the sources allow it"),
    ('"""Long fault runs (' + "issue" + ' 9): prints', '"""Long fault runs: prints'),
    ("(" + "issue" + " 5 item 1; S4, P1-P3)", "(S4, P1-P3)"),
])
def test_penulis_ulang_mengganti_dengan_penunjuk_dalam(lama, baru):
    assert rewrite_refs.rewrite_line(lama) == baru
    assert rewrite_refs.rewrite_line(baru) == baru  # idempotent
    assert check_standalone.line_hits(baru) == []
