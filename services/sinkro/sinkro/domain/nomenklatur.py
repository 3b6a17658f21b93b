"""Nomenclature rules for school / unor names (data only; logic in `unor.py`).

Why: error #4 condition A (SRC-BIMTEK-MAPPI, slides 52-54) is "only the nomenclature
differs between Dapodik and SIASN/e-Kinerja", the source's example being
"SD Negeri 4 Pagi" (Dapodik) vs "SDN 4 Pagi" (SIASN/e-Kinerja). Such a pair may
proceed with a warning. These tables say which spellings count as the same
name; widening them is an edit here, not in the comparison code.

Entries marked "(ours)" are not in the source: common spellings in Dapodik and
SIASN unor names that we treat as nomenclature only.
"""
from __future__ import annotations

from types import MappingProxyType

# School levels (jenjang): canonical short form -> long forms written out.
# SRC-BIMTEK-MAPPI slide 53 uses "SD"; the other levels and long forms are (ours).
JENJANG: MappingProxyType[str, tuple[tuple[str, ...], ...]] = MappingProxyType(
    {
        "tk": (("taman", "kanak", "kanak"),),
        "sd": (("sekolah", "dasar"),),
        "smp": (("sekolah", "menengah", "pertama"), ("sltp",)),  # SLTP: pre-2003 name of SMP
        "sma": (("sekolah", "menengah", "atas"), ("smu",)),  # SMU: 1994-2003 name of SMA
        "smk": (("sekolah", "menengah", "kejuruan"),),
        "slb": (("sekolah", "luar", "biasa"),),
    }
)

# Status after the level: canonical word -> abbreviations.
# SRC-BIMTEK-MAPPI slide 53: "Negeri" written as "N" glued to the level ("SDN"); "Swasta"/"S" (ours).
STATUS_SEKOLAH: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "negeri": ("n", "neg"),
        "swasta": ("s", "sw", "swt"),
    }
)

# Glued level+status letters, e.g. "SDN", "SMPN", "SMAS" (SRC-BIMTEK-MAPPI slide 53 for "SDN").
HURUF_STATUS_MENEMPEL: MappingProxyType[str, str] = MappingProxyType({"n": "negeri", "s": "swasta"})

# Prefixes of the managing unit that regions put in front of a school's unor
# name in SIASN and that Dapodik leaves out, e.g. "UPTD SDN 4 Pagi",
# "UPT SPF SD Negeri 4" (ours). Longest first.
AWALAN_LEMBAGA: tuple[tuple[str, ...], ...] = (
    ("uptd", "satuan", "pendidikan"),
    ("upt", "satuan", "pendidikan"),
    ("uptd", "spf"),
    ("upt", "spf"),
    ("uptd", "sp"),
    ("upt", "sp"),
    ("uptd",),
    ("upt",),
)

# Roman numerals written for the school number, "SMP Negeri II" = "SMP Negeri 2" (ours).
ANGKA_ROMAWI: MappingProxyType[str, int] = MappingProxyType(
    {
        "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
        "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15, "xvi": 16, "xvii": 17, "xviii": 18,
        "xix": 19, "xx": 20,
    }
)
