"""Inbound reference data from Dapodik / Verval PTK and Rapor Pendidikan (S4, P1-P3, P15).

These are the wire formats the ministry systems publish. They are lenient on
purpose (plain strings): each consumer validates strictly in its own domain
(e.g. kinerja checks NIP and NPSN) and records what it refuses, so one bad
record never blocks the topic. `versi` is the source's own monotonically
increasing version of the record: consumers keep the newest.
"""
from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from shared.contracts.registry import register_subscription, register_topic  # noqa: F401
from shared.events import EventPayload


class PenugasanPltData(EventPayload):
    npsn: str
    nomor_sk: str | None = None
    tmt: date | None = None


class PtkDiperbarui(EventPayload):
    """One person (pendidik / tenaga kependidikan) as Dapodik knows them now."""

    ptk_id: str = Field(max_length=128)
    nama: str = Field(max_length=200)
    nip: str | None = Field(None, max_length=32)
    pns_id: str | None = Field(None, max_length=64, description="PNS ID as Verval PTK holds it (Sinkro #10)")
    nik: str | None = Field(None, max_length=32)
    nuptk: str | None = Field(None, max_length=32)
    tanggal_lahir: date | None = None
    email_belajar_id: str | None = Field(None, max_length=254)
    email_belajar_id_lain: list[str] = Field(
        [], description="other belajar.id accounts of the same person (a second school's account, P15)")
    npsn_induk: str = Field(max_length=16)
    tmt_sekolah: date | None = Field(
        None, description="since when the person is assigned to npsn_induk (TMT penugasan); tells Sinkro #4 "
                          "condition B from C (additive: absent in older payloads)")
    npsn_lain: list[str] = []
    status_kepegawaian: str = Field(max_length=40, description="pns, pppk, cpns, pns_diperbantukan, honorer, gty, gtt")
    jabatan: str = Field(max_length=40, description="guru, guru_bk, kepala_sekolah")
    plt: list[PenugasanPltData] = []
    status_keaktifan: str = Field("aktif", max_length=20, description="aktif, pensiun, meninggal, mutasi")
    tanggal_status: date | None = None
    versi: int = Field(ge=0)
    diperbarui_pada: datetime | None = None


class DelegasiPenilaiData(EventPayload):
    pengawas_id: str
    nomor_sk: str


class SekolahDiperbarui(EventPayload):
    """A school (satuan pendidikan) and its leadership as Dapodik knows it now."""

    npsn: str = Field(max_length=16)
    nama: str = Field(max_length=200)
    jenjang: str = Field(max_length=20)
    dinas_id: str = Field(max_length=128)
    kepala_sekolah_ptk_id: str | None = None
    plt_ptk_id: str | None = None
    pengawas_ids: list[str] = []
    delegasi_penilai: DelegasiPenilaiData | None = None
    versi: int = Field(ge=0)
    diperbarui_pada: datetime | None = None


class RekomendasiData(EventPayload):
    sub_indikator_id: str
    prioritas: int = Field(ge=1)


class RaporDiterbitkan(EventPayload):
    """Rapor Pendidikan of one school: the sub-indicators recommended for improvement."""

    npsn: str = Field(max_length=16)
    tahun: int
    rekomendasi: list[RekomendasiData] = []
    versi: int = Field(ge=0)


class DinasDiperbarui(EventPayload):
    """A district / province education office and its head (Kepala Dinas), the principals'
    Pejabat Penilai Kinerja (P14)."""

    dinas_id: str = Field(max_length=128)
    nama: str = Field(max_length=200)
    kepala_dinas_id: str | None = Field(None, max_length=128)
    kepala_dinas_nama: str | None = Field(None, max_length=200)
    kepala_dinas_email_belajar_id: str | None = Field(None, max_length=254)
    versi: int = Field(ge=0)
    diperbarui_pada: datetime | None = None


class PengawasDiperbarui(EventPayload):
    """A pengawas sekolah (school supervisor) of a Dinas Pendidikan: the one a Kepala Dinas may
    delegate a principal's assessment to by decree (``SekolahDiperbarui.delegasi_penilai``, P14)."""

    pengawas_id: str = Field(max_length=128)
    nama: str = Field(max_length=200)
    email_belajar_id: str | None = Field(None, max_length=254)
    dinas_id: str = Field(max_length=128)
    status: str = Field("aktif", max_length=20, description="aktif, nonaktif")
    versi: int = Field(ge=0)
    diperbarui_pada: datetime | None = None


PTK_DIPERBARUI = register_topic(
    "referensi.ptk.diperbarui", PtkDiperbarui, "eksternal:dapodik",
    "Dapodik / Verval PTK: a person's identity, school, employment status, role and Plt. assignments changed.")
SEKOLAH_DIPERBARUI = register_topic(
    "referensi.sekolah.diperbarui", SekolahDiperbarui, "eksternal:dapodik",
    "Dapodik: a school's name, district office, principal, Plt. or supervisors changed.")
RAPOR_DITERBITKAN = register_topic(
    "referensi.rapor.diterbitkan", RaporDiterbitkan, "eksternal:rapor_pendidikan",
    "Rapor Pendidikan published a school's report with recommended sub-indicators.")
DINAS_DIPERBARUI = register_topic(
    "referensi.dinas.diperbarui", DinasDiperbarui, "eksternal:dapodik",
    "Dapodik: a Dinas Pendidikan and its Kepala Dinas (the principals' Pejabat Penilai Kinerja) changed.")
PENGAWAS_DIPERBARUI = register_topic(
    "referensi.pengawas.diperbarui", PengawasDiperbarui, "eksternal:dapodik",
    "Dapodik: a pengawas sekolah of a Dinas Pendidikan (the principals' delegated Pejabat Penilai) changed.")
