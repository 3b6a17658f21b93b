"""Validation of a submitted feedback against its questionnaire version (U1).

A feedback has three parts (SRC-BUKTI-KARYA, III.4): the questionnaire answers
(`jawaban`: pertanyaan id -> pilihan id), typed answers to given prompts
(`tanggapan`: prompt id -> text) and a suggestion (`saran`). It is checked
against the exact version the form was built from; every failure is a
`DomainError` with its own `kode` and an Indonesian `pesan` naming the question.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Annotated

from pydantic import Field, StringConstraints

from shared.errors import Conflict, DomainError
from shared.models import FrozenModel, StrictModel
from umpan_balik.domain.kuesioner import Kuesioner
from umpan_balik.domain.moderasi import tolak_jika_tidak_pantas

TEKS_MASUK_MAKS = 20_000
"""Hard edge bound on any submitted text. Above the template's own (smaller)
limit the teacher still gets `teks_terlalu_panjang` with the real limit,
instead of a generic schema error."""

KunciMasuk = Annotated[str, StringConstraints(min_length=1, max_length=64)]
TeksMasuk = Annotated[str, StringConstraints(max_length=TEKS_MASUK_MAKS)]


class UmpanBalikMasuk(StrictModel):
    """A feedback as the giver sends it with "Kirim Umpan Balik"."""

    versi_kuesioner: int | None = Field(default=None, ge=1)
    jawaban: dict[KunciMasuk, Annotated[str, StringConstraints(max_length=64)]] = Field(
        default_factory=dict, max_length=50
    )
    tanggapan: dict[KunciMasuk, TeksMasuk] = Field(default_factory=dict, max_length=20)
    saran: TeksMasuk = ""


class UmpanBalikTervalidasi(FrozenModel):
    """A feedback that passed every check, tied to its questionnaire version.

    Only answered questions and non-empty texts are kept; texts are stripped
    and NFC-normalised.
    """

    kuesioner_id: str
    kategori: str
    versi: int
    jawaban: dict[str, str]
    tanggapan: dict[str, str]
    saran: str


def rapikan_teks(teks: str) -> str:
    """Strip, and NFC so that the same visible text has the same length."""
    return unicodedata.normalize("NFC", teks).strip()


def _kutip(teks: str) -> str:
    return f"“{teks}”"


def periksa_umpan_balik(masuk: UmpanBalikMasuk, kuesioner: Kuesioner) -> list[DomainError]:
    """Every problem of `masuk` against `kuesioner`, in form order (empty: valid)."""
    galat: list[DomainError] = []
    if masuk.versi_kuesioner is not None and masuk.versi_kuesioner != kuesioner.versi:
        # The form on screen is from another version: its questions may differ.
        return [
            Conflict(
                "versi_kuesioner_tidak_cocok",
                f"Kuesioner {kuesioner.nama_kategori} sudah diperbarui. Muat ulang halaman "
                "umpan balik lalu isi kembali kuesionernya.",
                kolom="versi_kuesioner",
                versi_dikirim=masuk.versi_kuesioner,
                versi_kuesioner=kuesioner.versi,
            )
        ]

    dikenal = {q.id for q in kuesioner.pertanyaan}
    for pertanyaan_id in sorted(set(masuk.jawaban) - dikenal):
        galat.append(
            DomainError(
                "pertanyaan_tidak_dikenal",
                f"Pertanyaan {_kutip(pertanyaan_id)} tidak ada di kuesioner "
                f"{kuesioner.nama_kategori} versi {kuesioner.versi}. Muat ulang halaman "
                "lalu isi kembali kuesionernya.",
                kolom=f"jawaban.{pertanyaan_id}",
                pertanyaan_id=pertanyaan_id,
            )
        )
    for nomor, pertanyaan in enumerate(kuesioner.pertanyaan, start=1):
        pilihan_id = masuk.jawaban.get(pertanyaan.id, "").strip()
        label = f"Pertanyaan nomor {nomor} {_kutip(pertanyaan.teks)}"
        if not pilihan_id:
            if pertanyaan.wajib:
                galat.append(
                    DomainError(
                        "jawaban_wajib_kosong",
                        f"{label} wajib dijawab. Pilih salah satu jawaban.",
                        kolom=f"jawaban.{pertanyaan.id}",
                        pertanyaan_id=pertanyaan.id,
                    )
                )
        elif pertanyaan.cari_pilihan(pilihan_id) is None:
            daftar = ", ".join(p.teks for p in pertanyaan.pilihan)
            galat.append(
                DomainError(
                    "pilihan_tidak_valid",
                    f"Jawaban untuk {label[0].lower()}{label[1:]} tidak termasuk pilihan yang "
                    f"tersedia. Pilih salah satu: {daftar}.",
                    kolom=f"jawaban.{pertanyaan.id}",
                    pertanyaan_id=pertanyaan.id,
                )
            )

    dikenal = {t.id for t in kuesioner.tanggapan}
    for prompt_id in sorted(set(masuk.tanggapan) - dikenal):
        galat.append(
            DomainError(
                "tanggapan_tidak_dikenal",
                f"Pertanyaan tanggapan {_kutip(prompt_id)} tidak ada di kuesioner "
                f"{kuesioner.nama_kategori} versi {kuesioner.versi}. Muat ulang halaman "
                "lalu isi kembali tanggapan Anda.",
                kolom=f"tanggapan.{prompt_id}",
                pertanyaan_id=prompt_id,
            )
        )
    for prompt in kuesioner.tanggapan:
        galat += _periksa_teks(
            rapikan_teks(masuk.tanggapan.get(prompt.id, "")),
            wajib=prompt.wajib,
            maks_panjang=prompt.maks_panjang,
            kode_kosong="tanggapan_wajib_kosong",
            label=f"Tanggapan untuk pertanyaan {_kutip(prompt.teks)}",
            kolom=f"tanggapan.{prompt.id}",
            pertanyaan_id=prompt.id,
        )
    galat += _periksa_teks(
        rapikan_teks(masuk.saran),
        wajib=kuesioner.saran.wajib,
        maks_panjang=kuesioner.saran.maks_panjang,
        kode_kosong="saran_wajib_kosong",
        label=f"Saran untuk pertanyaan {_kutip(kuesioner.saran.teks)}",
        kolom="saran",
        pertanyaan_id=None,
    )
    return galat


def _periksa_teks(
    teks: str,
    *,
    wajib: bool,
    maks_panjang: int,
    kode_kosong: str,
    label: str,
    kolom: str,
    pertanyaan_id: str | None,
) -> list[DomainError]:
    if not teks:
        if not wajib:
            return []
        return [
            DomainError(
                kode_kosong,
                f"{label} wajib diisi.",
                kolom=kolom,
                pertanyaan_id=pertanyaan_id,
            )
        ]
    if len(teks) > maks_panjang:
        return [
            DomainError(
                "teks_terlalu_panjang",
                f"{label} terlalu panjang ({len(teks)} karakter). Ringkas menjadi paling "
                f"banyak {maks_panjang} karakter.",
                kolom=kolom,
                pertanyaan_id=pertanyaan_id,
                panjang=len(teks),
                maks_panjang=maks_panjang,
            )
        ]
    return []


PemeriksaTeks = Callable[[str, str, str], None]
"""(teks, kolom, label) -> None, raising a DomainError to refuse the text."""


def validasi_umpan_balik(
    masuk: UmpanBalikMasuk,
    kuesioner: Kuesioner,
    *,
    periksa_isi: PemeriksaTeks = tolak_jika_tidak_pantas,
) -> UmpanBalikTervalidasi:
    """The feedback ready to store, or the first problem raised.

    The raised error carries every problem in `extra["semua_galat"]` so a form
    can mark all fields at once. `periksa_isi` checks each non-empty text after
    the structural checks pass; by default the SARA / hate-speech moderation
    (U3), so nothing refused ever reaches storage.
    """
    galat = periksa_umpan_balik(masuk, kuesioner)
    if galat:
        pertama = galat[0]
        pertama.extra["semua_galat"] = [
            {"kode": g.kode, "pesan": g.pesan, "kolom": g.extra.get("kolom")} for g in galat
        ]
        raise pertama

    tanggapan = {
        prompt.id: rapikan_teks(masuk.tanggapan[prompt.id])
        for prompt in kuesioner.tanggapan
        if rapikan_teks(masuk.tanggapan.get(prompt.id, ""))
    }
    saran = rapikan_teks(masuk.saran)
    for prompt in kuesioner.tanggapan:
        if prompt.id in tanggapan:
            periksa_isi(
                tanggapan[prompt.id],
                f"tanggapan.{prompt.id}",
                f"Tanggapan untuk pertanyaan {_kutip(prompt.teks)}",
            )
    if saran:
        periksa_isi(saran, "saran", "Saran Anda")
    return UmpanBalikTervalidasi(
        kuesioner_id=kuesioner.id,
        kategori=kuesioner.kategori,
        versi=kuesioner.versi,
        jawaban={
            q.id: masuk.jawaban[q.id].strip()
            for q in kuesioner.pertanyaan
            if masuk.jawaban.get(q.id, "").strip()
        },
        tanggapan=tanggapan,
        saran=saran,
    )
