"""Inbound reference data from BKN's systems: SIASN, e-Kinerja and the Admin Instansi accounts (S4, S1-S3).

Wire formats the BKN side publishes. Lenient on purpose (plain strings, every
field optional except the key and `versi`): the Sinkro PMM consumer validates
strictly when it builds its check snapshot, and a malformed value becomes a
documented sync error (#1, #3, ...) for a person to fix, never a stuck topic.
`versi` is the source's own monotonically increasing version of the record:
consumers keep the newest and ignore older or repeated ones.

Consumed by sinkro (`sinkro_on_*`), which keeps the mirror `periksa` reads.
"""
from __future__ import annotations

from datetime import date, datetime

from pydantic import Field

from shared.contracts.registry import register_subscription, register_topic  # noqa: F401
from shared.events import EventPayload


class UnorData(EventPayload):
    """A unit organisasi (unor) as SIASN holds it; a school's unor usually maps to one NPSN."""

    id: str = Field(max_length=128)
    nama: str = Field("", max_length=200)
    aktif: bool = True
    unor_atasan_id: str | None = Field(None, max_length=128, description="parent unit; missing -> #5")
    npsn: str | None = Field(None, max_length=16)


class PegawaiDiperbarui(EventPayload):
    """SIASN: one civil servant (ASN) as BKN knows them now (#1, #3, #4, #5, #10, #16)."""

    nip: str = Field(max_length=32)
    pns_id: str | None = Field(None, max_length=64)
    nama: str | None = Field(None, max_length=200)
    status_kepegawaian: str | None = Field(None, max_length=40)
    instansi_id: str | None = Field(None, max_length=128, description="the instansi whose Admin Instansi manages them")
    instansi_nama: str | None = Field(None, max_length=200, description="its name as e-Kinerja's profile shows "
                                      "INSTANSI, e.g. \"Pemerintah Kota Harapan\" (names who to contact; additive)")
    unor: UnorData | None = None
    unor_sejak: date | None = Field(None, description="TMT of the current unor (tells #4 condition B from C)")
    atasan_nip: str | None = Field(None, max_length=32)
    versi: int = Field(ge=0)
    diperbarui_pada: datetime | None = None


class SkpEkinerjaData(EventPayload):
    periode: str = Field(max_length=16)
    unor_id: str = Field(max_length=128)
    unor_nama: str | None = Field(None, max_length=200)


class PltEkinerjaData(EventPayload):
    unor_id: str = Field(max_length=128)
    nama_unor: str | None = Field(None, max_length=200)


class PegawaiEkinerjaDiperbarui(EventPayload):
    """e-Kinerja: one pegawai's account there (#1 "User PMM", #3, #11, #12, #13, #19, #20)."""

    nip: str = Field(max_length=32)
    terdaftar: bool = Field(True, description="False: not added to e-Kinerja (unor_id undefined, #11)")
    instansi_id: str | None = Field(None, max_length=128)
    instansi_nama: str | None = Field(None, max_length=200, description="INSTANSI on the e-Kinerja profile (additive)")
    unor_id: str | None = Field(None, max_length=128)
    unor_aktif: bool = True
    pengguna_pmm: bool = Field(True, description="listed in the Admin Instansi's \"User PMM\" menu (#1)")
    skp: list[SkpEkinerjaData] = Field([], description="SKPs e-Kinerja already holds, per period (#12, #13)")
    penugasan_plt: list[PltEkinerjaData] = Field([], description="Plt. kepala sekolah assignments (#19, #20)")
    versi: int = Field(ge=0)
    diperbarui_pada: datetime | None = None


class SkpOrganisasiDiperbarui(EventPayload):
    """e-Kinerja: the organisation SKP of a superior (kepala sekolah) for a period (#15, #17)."""

    atasan_nip: str = Field(max_length=32)
    periode: str = Field(max_length=16)
    ada: bool = True
    jumlah_rhk: int = Field(0, ge=0, description="RHK a teacher's RHK can be linked to; 0 -> #17")
    versi: int = Field(ge=0)
    diperbarui_pada: datetime | None = None


class AdminInstansiDiperbarui(EventPayload):
    """e-Kinerja / BKD: who administers which instansi, by their belajar.id / e-mail (S1, S2)."""

    admin_id: str = Field(max_length=128)
    email: str = Field(max_length=254)
    nama: str | None = Field(None, max_length=200)
    instansi_ids: list[str] = []
    aktif: bool = True
    versi: int = Field(ge=0)
    diperbarui_pada: datetime | None = None


PEGAWAI_DIPERBARUI = register_topic(
    "referensi.pegawai.diperbarui", PegawaiDiperbarui, "eksternal:siasn",
    "SIASN: a civil servant's NIP, PNS ID, unor (parent, active), superior or status changed.")
PEGAWAI_EKINERJA_DIPERBARUI = register_topic(
    "referensi.pegawai_ekinerja.diperbarui", PegawaiEkinerjaDiperbarui, "eksternal:ekinerja",
    "e-Kinerja: a pegawai's registration, User PMM flag, unor, SKPs held or Plt. assignments changed.")
SKP_ORGANISASI_DIPERBARUI = register_topic(
    "referensi.skp_organisasi.diperbarui", SkpOrganisasiDiperbarui, "eksternal:ekinerja",
    "e-Kinerja: a superior's organisation SKP for a period was made or changed.")
ADMIN_INSTANSI_DIPERBARUI = register_topic(
    "referensi.admin_instansi.diperbarui", AdminInstansiDiperbarui, "eksternal:ekinerja",
    "e-Kinerja / BKD: an Admin Instansi account and the instansi it administers changed.")
