"""Compare a school's name in Dapodik/PMM with its unor name in SIASN/e-Kinerja.

Error #4 (SRC-BIMTEK-MAPPI, slides 52-54) separates a pure nomenclature difference
(condition A, may proceed) from a real one (conditions B/C, data must be fixed
first). Which side is outdated (B or C) cannot be told from the names alone;
`pemeriksaan` decides that from dates and identifiers. The spelling rules are
data in `nomenklatur.py`.
"""
from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from sinkro.domain.nomenklatur import (
    ANGKA_ROMAWI,
    AWALAN_LEMBAGA,
    HURUF_STATUS_MENEMPEL,
    JENJANG,
    STATUS_SEKOLAH,
)


class KesamaanUnor(StrEnum):
    sama = "sama"  # equal up to case, spacing and punctuation
    nomenklatur = "nomenklatur"  # #4 condition A: only the way of writing differs
    berbeda = "berbeda"  # a different school (#4 condition B or C)


_BUKAN_HURUF_ANGKA = re.compile(r"[^0-9a-z]+")

_BENTUK_PANJANG = sorted(
    ((bentuk, kanon) for kanon, daftar in JENJANG.items() for bentuk in daftar),
    key=lambda pasangan: -len(pasangan[0]),
)
_SINGKATAN_STATUS = {singkat: kanon for kanon, daftar in STATUS_SEKOLAH.items() for singkat in daftar}
_JENJANG_MENEMPEL = re.compile(
    rf"^({'|'.join(sorted(JENJANG, key=len, reverse=True))})([{''.join(HURUF_STATUS_MENEMPEL)}])$"
)


def token_sederhana(nama: str) -> list[str]:
    """Lower case, accents folded, punctuation as spaces, split on whitespace."""
    teks = unicodedata.normalize("NFKD", nama).encode("ascii", "ignore").decode("ascii").lower()
    return _BUKAN_HURUF_ANGKA.sub(" ", teks).split()


def _ganti_bentuk_panjang(token: list[str]) -> list[str]:
    hasil: list[str] = []
    i = 0
    while i < len(token):
        for bentuk, kanon in _BENTUK_PANJANG:
            if tuple(token[i : i + len(bentuk)]) == bentuk:
                hasil.append(kanon)
                i += len(bentuk)
                break
        else:
            hasil.append(token[i])
            i += 1
    return hasil


def _buang_awalan_lembaga(token: list[str]) -> list[str]:
    for awalan in AWALAN_LEMBAGA:
        if tuple(token[: len(awalan)]) == awalan and len(token) > len(awalan):
            return token[len(awalan) :]
    return token


def _pisah_jenjang_menempel(token: list[str]) -> list[str]:
    hasil: list[str] = []
    for t in token:
        cocok = _JENJANG_MENEMPEL.match(t)
        if cocok:
            hasil += [cocok.group(1), HURUF_STATUS_MENEMPEL[cocok.group(2)]]
        else:
            hasil.append(t)
    return hasil


def _kanonkan_status_dan_nomor(token: list[str]) -> list[str]:
    hasil: list[str] = []
    for t in token:
        sebelumnya = hasil[-1] if hasil else None
        if sebelumnya in JENJANG and t in _SINGKATAN_STATUS:
            t = _SINGKATAN_STATUS[t]  # only right after a level: a lone "s" elsewhere stays
        elif sebelumnya in STATUS_SEKOLAH and t in ANGKA_ROMAWI:
            t = str(ANGKA_ROMAWI[t])  # the school number follows the status
        if t.isdigit():
            t = str(int(t))  # "SDN 004" = "SD Negeri 4"
        hasil.append(t)
    return hasil


def normalisasi_nama_unor(nama: str) -> str:
    """Canonical form of a school / unor name: "SDN 4 Pagi" -> "sd negeri 4 pagi"."""
    token = token_sederhana(nama)
    token = _ganti_bentuk_panjang(token)
    token = _buang_awalan_lembaga(token)
    token = _pisah_jenjang_menempel(token)
    token = _kanonkan_status_dan_nomor(token)
    return " ".join(token)


def bandingkan_nama_unor(nama_pmm: str, nama_bkn: str) -> KesamaanUnor:
    """Classify the Dapodik/PMM school name against the SIASN/e-Kinerja unor name."""
    if token_sederhana(nama_pmm) == token_sederhana(nama_bkn):
        return KesamaanUnor.sama
    if normalisasi_nama_unor(nama_pmm) == normalisasi_nama_unor(nama_bkn):
        return KesamaanUnor.nomenklatur
    return KesamaanUnor.berbeda
