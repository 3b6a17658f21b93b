"""Events the kinerja service publishes (and subscriptions of its functions).

`kinerja.rencana.disepakati` and `kinerja.predikat.ditetapkan` carry everything
Sinkro PMM needs to build the e-Kinerja request without reading kinerja's
collections (S1, P3, P12); both are published for ASN only (P1: optional for
non-ASN, whose plans and predicates stay in PMM). `versi` is the source record's version: a changed
plan or predicate is a higher version, so the sync sends only what changed.
"""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from shared.contracts.registry import register_subscription, register_topic  # noqa: F401
from shared.events import EventPayload


class AtasanData(EventPayload):
    jenis: str = Field(description="kepala_sekolah, plt_kepala_sekolah, kepala_dinas, pengawas")
    ptk_id: str
    nip: str | None = None
    npsn: str | None = None
    dinas_id: str | None = None


class RhkData(EventPayload):
    urutan: int
    jenis: str = Field(description="praktik_kinerja, pengembangan_kompetensi, tugas_tambahan")
    teks: str
    indikator: str
    poin: int | None = None


class PerilakuData(EventPayload):
    id: str
    nama: str


class RencanaDisepakati(EventPayload):
    """The teacher agreed the approved plan: it is now their SKP (P3, S1)."""

    rencana_id: str
    ptk_id: str
    nip: str | None = None
    periode: str = Field(pattern=r"^\d{4}-[12]$")
    npsn: str
    nama_sekolah: str
    jabatan: str = Field(description="guru, guru_bk, kepala_sekolah")
    atasan: AtasanData
    rhk: list[RhkData]
    perilaku: list[PerilakuData]
    disepakati_pada: datetime
    versi: int = Field(ge=1)
    # additive: the SKP sebagai Plt. Kepala Sekolah of `npsn` (one per school led; "Sinkro data PLT PMM",
    # #18-#20). The person's own SKP of the same period is another event with plt=false and another rencana_id.
    plt: bool = Field(False, description="true: SKP sebagai Plt. Kepala Sekolah of npsn (jabatan kepala_sekolah)")


class PredikatDitetapkan(EventPayload):
    """The final Predikat Kinerja of one person for one period (P12)."""

    predikat_id: str
    ptk_id: str
    nip: str | None = None
    periode: str = Field(pattern=r"^\d{4}-[12]$")
    npsn: str
    jabatan: str
    rating_hasil_kerja: str = Field(description="di_atas_ekspektasi, sesuai_ekspektasi, di_bawah_ekspektasi")
    rating_perilaku_kerja: str
    predikat: str = Field(description="sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang")
    predikat_organisasi: str | None = None
    ditetapkan_pada: datetime
    versi: int = Field(ge=1)
    # additive: the matrix pre-fill and whether the Pejabat Penilai adjusted it (with a reason)
    predikat_matriks: str | None = Field(None, description="predicate the PermenPANRB 6/2022 matrix gives")
    disesuaikan: bool | None = Field(None, description="true when predikat differs from predikat_matriks")
    plt: bool = Field(False, description="true: the predicate of the SKP sebagai Plt. Kepala Sekolah of npsn")


class TahapRencanaDiperbarui(EventPayload):
    """A plan moved to another stage (P2, P3): draf, diajukan, dikembalikan, disetujui, disepakati.

    Lets Sinkro PMM tell "no plan yet" (#2) from "submitted or approved, not yet agreed" (#14).
    `versi` is the plan's own version (the one `kinerja.rencana.disepakati` carries too), so a
    consumer keeps the newest stage whatever the delivery order. Agreeing is announced by
    `kinerja.rencana.disepakati` (ASN only) and not repeated here. Ids and stage only: nothing of
    the plan's content, so a non-ASN's plan still stays in PMM.
    """

    rencana_id: str
    ptk_id: str
    periode: str = Field(pattern=r"^\d{4}-[12]$")
    tahap: str = Field(description="draf, diajukan, dikembalikan, disetujui, disepakati")
    versi: int = Field(ge=1)
    pada: datetime
    # additive: the stage of an SKP sebagai Plt. Kepala Sekolah of `npsn` (not of the person's own plan)
    plt: bool = Field(False, description="true: the plan is the SKP sebagai Plt. Kepala Sekolah of npsn")
    npsn: str | None = Field(None, description="the school led, when plt")


RENCANA_DISEPAKATI = register_topic(
    "kinerja.rencana.disepakati", RencanaDisepakati, "kinerja",
    "A teacher or principal agreed their approved performance plan; it is their SKP for the period.")
TAHAP_RENCANA_DIPERBARUI = register_topic(
    "kinerja.tahap_rencana.diperbarui", TahapRencanaDiperbarui, "kinerja",
    "A performance plan moved to another stage before agreement (submitted, returned, approved, draft again).")
PREDIKAT_DITETAPKAN = register_topic(
    "kinerja.predikat.ditetapkan", PredikatDitetapkan, "kinerja",
    "A person's final performance predicate for a period was set.")

# Reference data the kinerja service keeps its own copy of (newest version wins, refused rows recorded).
register_subscription("referensi.ptk.diperbarui", "kinerja", "kinerja_on_ptk_diperbarui",
                      "PTK identity, school, status, role and Plt. assignments (P1-P3, P15)")
register_subscription("referensi.sekolah.diperbarui", "kinerja", "kinerja_on_sekolah_diperbarui",
                      "school, its principal, Plt. and supervisors (P3, P14)")
register_subscription("referensi.rapor.diterbitkan", "kinerja", "kinerja_on_rapor_diterbitkan",
                      "Rapor Pendidikan recommendations offered first in Praktik Kinerja (P2)")
register_subscription("referensi.dinas.diperbarui", "kinerja", "kinerja_on_dinas_diperbarui",
                      "Kepala Dinas, the principals' Pejabat Penilai Kinerja (P14)")
register_subscription("referensi.pengawas.diperbarui", "kinerja", "kinerja_on_pengawas_diperbarui",
                      "pengawas sekolah, the principals' delegated Pejabat Penilai (P14)")
