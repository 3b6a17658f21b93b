"""Tingkat kelas (K5: "Pilih tingkatan kelas yang sesuai").

Sources:
- Jenjang and fase of Kurikulum Merdeka: Permendikbudristek No. 12/2024
  tentang Kurikulum pada PAUD, Jenjang Pendidikan Dasar, dan Jenjang
  Pendidikan Menengah (Fase Fondasi = PAUD; Fase A = kelas I-II; B = III-IV;
  C = V-VI; D = VII-IX; E = X; F = XI-XII, and XIII for four-year SMK
  programmes).
- PAUD groups (Kelompok Bermain, TK A, TK B): Permendikbudristek No. 7/2022
  tentang Standar Isi (PAUD usia 3-6; TK A 4-5 tahun, TK B 5-6 tahun).

Ids are stable: they are stored on every karya. Labels may change.
"""
from __future__ import annotations

from shared.errors import DomainError
from shared.models import FrozenModel, Kode, Nama

# Jenjang codes used by this table and by the mata pelajaran table.
PAUD, SD, SMP, SMA, SMK = "paud", "sd", "smp", "sma", "smk"
JENJANG: dict[str, str] = {
    PAUD: "PAUD",
    SD: "SD/MI",
    SMP: "SMP/MTs",
    SMA: "SMA/MA",
    SMK: "SMK/MAK",
}


class TingkatKelas(FrozenModel):
    id: Kode
    label: Nama
    jenjang: tuple[str, ...]
    fase: str
    urutan: int


def _kelas(n: int, romawi: str, jenjang: tuple[str, ...], fase: str) -> TingkatKelas:
    return TingkatKelas(
        id=f"kelas_{n}", label=f"Kelas {n} ({romawi})", jenjang=jenjang, fase=fase, urutan=10 + n
    )


TINGKAT_KELAS: tuple[TingkatKelas, ...] = (
    TingkatKelas(id="paud_kb", label="PAUD - Kelompok Bermain", jenjang=(PAUD,), fase="Fondasi", urutan=1),
    TingkatKelas(id="tk_a", label="PAUD - TK A", jenjang=(PAUD,), fase="Fondasi", urutan=2),
    TingkatKelas(id="tk_b", label="PAUD - TK B", jenjang=(PAUD,), fase="Fondasi", urutan=3),
    _kelas(1, "I", (SD,), "A"),
    _kelas(2, "II", (SD,), "A"),
    _kelas(3, "III", (SD,), "B"),
    _kelas(4, "IV", (SD,), "B"),
    _kelas(5, "V", (SD,), "C"),
    _kelas(6, "VI", (SD,), "C"),
    _kelas(7, "VII", (SMP,), "D"),
    _kelas(8, "VIII", (SMP,), "D"),
    _kelas(9, "IX", (SMP,), "D"),
    _kelas(10, "X", (SMA, SMK), "E"),
    _kelas(11, "XI", (SMA, SMK), "F"),
    _kelas(12, "XII", (SMA, SMK), "F"),
    # Only four-year SMK programmes have a thirteenth grade.
    _kelas(13, "XIII", (SMK,), "F"),
)

_PER_ID = {t.id: t for t in TINGKAT_KELAS}


def daftar_tingkat_kelas() -> list[TingkatKelas]:
    return sorted(TINGKAT_KELAS, key=lambda t: t.urutan)


def cari_tingkat_kelas(id_: str) -> TingkatKelas:
    tingkat = _PER_ID.get(id_)
    if tingkat is None:
        raise DomainError(
            "tingkat_kelas_tidak_dikenal",
            "Tingkat kelas tidak dikenal. Pilih tingkat kelas dari daftar yang tersedia.",
            tingkat_kelas=id_,
        )
    return tingkat
