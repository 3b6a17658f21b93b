"""Questionnaire templates per karya category, versioned (U2).

A template lives as one JSON file per version under
`umpan_balik/data/kuesioner/<kategori>.v<versi>.json`. Categories are data: a
new category is a new file, not a code branch (K2). A published version is
never edited; a change is a new version, and every answer stays validated and
counted against the version it was given on (the version travels with the
answer and with its counters).

Ids of pertanyaan, pilihan and tanggapan prompts are plain snake_case so they
can be used as Firestore field names in the sharded counters without quoting.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from shared.errors import NotFound
from shared.models import FrozenModel, Nama

IdKuesioner = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
"""snake_case id, also a valid unquoted Firestore field name."""

JUMLAH_SKALA_LIKERT = (4, 5)
"""A likert question has a 4-point (no neutral middle) or 5-point scale."""


class Pilihan(FrozenModel):
    id: IdKuesioner
    teks: Nama


class Pertanyaan(FrozenModel):
    """A closed question: the teacher picks exactly one pilihan."""

    id: IdKuesioner
    teks: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    jenis: Literal["likert", "pilihan_ganda"]
    pilihan: tuple[Pilihan, ...] = Field(min_length=2, max_length=10)
    wajib: bool = True

    @model_validator(mode="after")
    def _pilihan_konsisten(self) -> Pertanyaan:
        ids = [p.id for p in self.pilihan]
        if len(set(ids)) != len(ids):
            raise ValueError(f"pertanyaan {self.id}: id pilihan ganda {ids}")
        if self.jenis == "likert" and len(self.pilihan) not in JUMLAH_SKALA_LIKERT:
            raise ValueError(
                f"pertanyaan {self.id}: skala likert harus {JUMLAH_SKALA_LIKERT} titik"
            )
        return self

    def cari_pilihan(self, pilihan_id: str) -> Pilihan | None:
        return next((p for p in self.pilihan if p.id == pilihan_id), None)


class PromptTanggapan(FrozenModel):
    """A given question the teacher answers in their own words (U1 part 2)."""

    id: IdKuesioner
    teks: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    maks_panjang: int = Field(ge=1, le=5000)
    wajib: bool = False


class KolomSaran(FrozenModel):
    """The suggestion field: what the colleague should improve (U1 part 3)."""

    teks: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    maks_panjang: int = Field(ge=1, le=5000)
    wajib: bool = True


class Kuesioner(FrozenModel):
    """One version of the questionnaire of one karya category."""

    id: str
    kategori: IdKuesioner
    nama_kategori: Nama
    versi: int = Field(ge=1)
    sumber: str
    pertanyaan: tuple[Pertanyaan, ...] = Field(min_length=1)
    tanggapan: tuple[PromptTanggapan, ...] = ()
    saran: KolomSaran

    @model_validator(mode="after")
    def _id_dan_isi_konsisten(self) -> Kuesioner:
        if self.id != id_kuesioner(self.kategori, self.versi):
            raise ValueError(
                f"id {self.id!r} harus {id_kuesioner(self.kategori, self.versi)!r}"
            )
        for nama, ids in (
            ("pertanyaan", [q.id for q in self.pertanyaan]),
            ("tanggapan", [t.id for t in self.tanggapan]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"{self.id}: id {nama} ganda {ids}")
        return self

    def cari_pertanyaan(self, pertanyaan_id: str) -> Pertanyaan | None:
        return next((q for q in self.pertanyaan if q.id == pertanyaan_id), None)

    def cari_tanggapan(self, prompt_id: str) -> PromptTanggapan | None:
        return next((t for t in self.tanggapan if t.id == prompt_id), None)


def id_kuesioner(kategori: str, versi: int) -> str:
    return f"{kategori}.v{versi}"


class KatalogKuesioner:
    """Every version of every category's questionnaire, read once from files."""

    def __init__(self, daftar: Iterable[Kuesioner]) -> None:
        self._per_kunci: dict[tuple[str, int], Kuesioner] = {}
        for kuesioner in daftar:
            kunci = (kuesioner.kategori, kuesioner.versi)
            if kunci in self._per_kunci:
                raise ValueError(f"kuesioner {kuesioner.id} terdaftar dua kali")
            self._per_kunci[kunci] = kuesioner

    @classmethod
    def dari_direktori(cls, direktori: Path | Traversable) -> KatalogKuesioner:
        daftar = []
        for berkas in sorted(direktori.iterdir(), key=lambda b: b.name):
            if not berkas.name.endswith(".json"):
                continue
            kuesioner = Kuesioner.model_validate(json.loads(berkas.read_text(encoding="utf-8")))
            # The file name is the key a reviewer sees; keep it honest.
            if berkas.name != f"{kuesioner.id}.json":
                raise ValueError(f"berkas {berkas.name} berisi kuesioner {kuesioner.id}")
            daftar.append(kuesioner)
        return cls(daftar)

    def daftar_kategori(self) -> list[str]:
        return sorted({kategori for kategori, _ in self._per_kunci})

    def daftar_versi(self, kategori: str) -> list[int]:
        versi = sorted(v for k, v in self._per_kunci if k == kategori)
        if not versi:
            raise NotFound(
                "kuesioner_kategori_tidak_dikenal",
                "Kuesioner untuk kategori karya ini belum tersedia. "
                "Umpan balik belum dapat diberikan untuk karya ini.",
                kategori=kategori,
            )
        return versi

    def terkini(self, kategori: str) -> Kuesioner:
        """The version a new feedback form is built from: the highest one."""
        return self._per_kunci[(kategori, self.daftar_versi(kategori)[-1])]

    def versi(self, kategori: str, versi: int) -> Kuesioner:
        """A given version, old or current, to validate or count its answers."""
        self.daftar_versi(kategori)  # unknown category: its own error
        kuesioner = self._per_kunci.get((kategori, versi))
        if kuesioner is None:
            raise NotFound(
                "kuesioner_versi_tidak_dikenal",
                f"Kuesioner versi {versi} untuk kategori ini tidak ditemukan. "
                "Muat ulang halaman umpan balik lalu isi kembali.",
                kategori=kategori,
                versi=versi,
            )
        return kuesioner


@lru_cache(maxsize=1)
def katalog_bawaan() -> KatalogKuesioner:
    """The questionnaires shipped in `umpan_balik/data/kuesioner/`."""
    return KatalogKuesioner.dari_direktori(
        resources.files("umpan_balik.data").joinpath("kuesioner")
    )


def kuesioner_terkini(kategori: str) -> Kuesioner:
    return katalog_bawaan().terkini(kategori)


def kuesioner_versi(kategori: str, versi: int) -> Kuesioner:
    return katalog_bawaan().versi(kategori, versi)


__all__ = [
    "KatalogKuesioner",
    "KolomSaran",
    "Kuesioner",
    "Pertanyaan",
    "Pilihan",
    "PromptTanggapan",
    "id_kuesioner",
    "katalog_bawaan",
    "kuesioner_terkini",
    "kuesioner_versi",
]
