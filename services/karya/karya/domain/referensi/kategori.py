"""Kategori karya video (K2).

Source: SRC-BUKTI-KARYA ("Bukti Karya Saya", bagian "Ada 2 (dua) jenis video yang
dapat dibuat dan ditambahkan ke Bukti Karya Saya"): Praktik Pembelajaran and
Materi Ajar today; "Ke depannya, berbagai jenis video lainnya seperti Praktik
Baik dan Simulasi Mengajar juga dapat ditambahkan". Those two are kept as
inactive rows: switching one on is an edit of `aktif` here, not code.
The labels/descriptions of the inactive rows are ours (the source names them only).
"""
from __future__ import annotations

from shared.errors import DomainError
from shared.models import FrozenModel, Kode, Nama


class Kategori(FrozenModel):
    kode: Kode
    label: Nama
    deskripsi: str
    aktif: bool
    urutan: int


KATEGORI: tuple[Kategori, ...] = (
    Kategori(
        kode="praktik_pembelajaran",
        label="Praktik Pembelajaran",
        deskripsi=(
            "Video rekaman kegiatan belajar mengajar, baik secara tatap muka "
            "maupun jarak jauh."
        ),
        aktif=True,
        urutan=1,
    ),
    Kategori(
        kode="materi_ajar",
        label="Materi Ajar",
        deskripsi=(
            "Video berisi topik pembelajaran yang diminati oleh murid dan/atau "
            "sulit dipahami oleh murid, sehingga bisa membantu murid untuk "
            "belajar secara mandiri."
        ),
        aktif=True,
        urutan=2,
    ),
    Kategori(
        kode="praktik_baik",
        label="Praktik Baik",
        deskripsi="Video berbagi praktik baik guru atau kepala sekolah.",
        aktif=False,
        urutan=3,
    ),
    Kategori(
        kode="simulasi_mengajar",
        label="Simulasi Mengajar",
        deskripsi="Video simulasi kegiatan mengajar.",
        aktif=False,
        urutan=4,
    ),
)

_PER_KODE = {k.kode: k for k in KATEGORI}


def daftar_kategori(*, termasuk_tidak_aktif: bool = False) -> list[Kategori]:
    """Categories a teacher can pick (ordered), or all rows."""
    return sorted(
        (k for k in KATEGORI if termasuk_tidak_aktif or k.aktif), key=lambda k: k.urutan
    )


def cari_kategori(kode: str, *, hanya_aktif: bool = True) -> Kategori:
    """Row for `kode`. A new karya may only use an active category
    (`hanya_aktif=True`); reading a stored karya uses `hanya_aktif=False`."""
    kategori = _PER_KODE.get(kode)
    if kategori is None:
        raise DomainError(
            "kategori_tidak_dikenal",
            "Kategori video tidak dikenal. Pilih salah satu kategori yang tersedia.",
            kategori=kode,
        )
    if hanya_aktif and not kategori.aktif:
        raise DomainError(
            "kategori_belum_tersedia",
            f"Kategori {kategori.label} belum dapat dipilih. Pilih kategori lain yang tersedia.",
            kategori=kode,
        )
    return kategori
