"""Reference data the kinerja domain receives from other ministry systems (S4, P15).

Content of the inbound events ``referensi.ptk.diperbarui`` (Dapodik / Verval PTK),
``referensi.sekolah.diperbarui`` (Dapodik) and ``referensi.rapor.diterbitkan``
(Rapor Pendidikan), with strict identifier validation, a newest-wins
comparison for unordered at-least-once delivery, and the rule that finds a
person's atasan (P3, P14).

Identifier rules: NIP / NI PPPK layout and NPSN in ``shared/nip.py`` (shared with sinkro); ASN
statuses and retirement age are data: ``kinerja/data/aturan_referensi.json``.
"""
from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, Field, ValidationInfo, field_validator, model_validator

from kinerja import data
from shared.errors import DomainError, Forbidden
from shared.nip import InfoNip, periksa_nip, periksa_npsn  # noqa: F401 (re-exported)
from shared.models import FrozenModel, Identifier, Kode, Nama, TeksPendek


def _aturan() -> dict:
    return data.muat("aturan_referensi")


# --------------------------------------------------------------------------- enums


class StatusKepegawaian(StrEnum):
    """Status kepegawaian as Dapodik / Verval PTK report it."""

    PNS = "pns"
    PPPK = "pppk"
    CPNS = "cpns"
    PNS_DIPERBANTUKAN = "pns_diperbantukan"
    HONORER = "honorer"  # non-ASN
    GTY = "gty"  # guru tetap yayasan, non-ASN
    GTT = "gtt"  # guru tidak tetap, non-ASN

    @property
    def is_asn(self) -> bool:
        """ASN per SRC-BIMTEK-MAPPI galat #7 (list kept in aturan_referensi.json)."""
        return self.value in _aturan()["status_asn"]


class Jabatan(StrEnum):
    """The function a person's own cycle is run for (decides D1 vs D3, RHK wording)."""

    GURU = "guru"
    GURU_BK = "guru_bk"
    KEPALA_SEKOLAH = "kepala_sekolah"  # definitif


class Peran(StrEnum):
    """Roles a person holds; ``plt_kepala_sekolah`` comes from a Plt. assignment."""

    GURU = "guru"
    GURU_BK = "guru_bk"
    KEPALA_SEKOLAH = "kepala_sekolah"
    PLT_KEPALA_SEKOLAH = "plt_kepala_sekolah"


class StatusKeaktifan(StrEnum):
    AKTIF = "aktif"
    PENSIUN = "pensiun"
    MENINGGAL = "meninggal"
    MUTASI = "mutasi"


class Jenjang(StrEnum):
    PAUD = "paud"  # TK, KB, TPA, SPS
    SD = "sd"
    SMP = "smp"
    SMA = "sma"
    SMK = "smk"
    SLB = "slb"


# ---------------------------------------------------------- identifier validation


# NIP / NI PPPK and NPSN rules live in shared/nip.py: sinkro checks the same identifiers the same way.


def periksa_nuptk(nuptk: str) -> str:
    if not isinstance(nuptk, str) or not re.fullmatch(r"\d{16}", nuptk):
        raise DomainError("nuptk_tidak_valid", "NUPTK harus tepat 16 digit angka. Perbaiki di Dapodik / Verval PTK.",
                          nuptk=str(nuptk))
    return nuptk


def periksa_email_belajar_id(email: str) -> str:
    """An account on belajar.id (e.g. ``nama@guru.sd.belajar.id``), lower-cased."""
    domain = _aturan()["domain_email_belajar_id"]
    email = email.strip().lower() if isinstance(email, str) else ""
    lokal, _, host = email.partition("@")
    if not lokal or not re.fullmatch(r"[a-z0-9._%+-]+", lokal) or not (
        host == domain or host.endswith("." + domain)
    ):
        raise DomainError("email_bukan_belajar_id",
                          "Email harus akun belajar.id (contoh: nama@guru.sd.belajar.id).")
    return email


def akun_kemenag(email: str | None) -> bool:
    """An account of a madrasah (Kemenag) teacher: the domain they sign in with (data). Their SKP is
    filled in e-Kinerja BKN directly; PMM runs no cycle for them and syncs nothing (P1, S1)."""
    host = (email or "").strip().lower().rpartition("@")[2]
    return bool(host) and any(host == d or host.endswith("." + d) for d in _aturan()["domain_email_kemenag"])


Npsn = Annotated[str, AfterValidator(periksa_npsn)]
Nuptk = Annotated[str, AfterValidator(periksa_nuptk)]
EmailBelajarId = Annotated[str, AfterValidator(periksa_email_belajar_id)]


# ------------------------------------------------------------- newest wins


class Berversi(FrozenModel):
    """A reference row ordered by ``versi`` (source counter) or ``diperbarui_pada``."""

    versi: int | None = Field(default=None, ge=0)
    diperbarui_pada: AwareDatetime | None = None

    @model_validator(mode="after")
    def _ada_penanda_versi(self) -> "Berversi":
        if self.versi is None and self.diperbarui_pada is None:
            raise DomainError("versi_referensi_wajib",
                              "Data referensi harus membawa versi atau waktu pembaruan (diperbarui_pada).")
        return self


def lebih_baru(a: Berversi, b: Berversi) -> bool:
    """True when ``a`` should replace ``b`` (strictly newer). Pure, for unordered delivery.

    Versi is compared first when both carry one; then the timestamps. Equal rows
    are not newer (replaying an event changes nothing). Rows that share no
    ordering key cannot be ordered: refused rather than guessed.
    """
    if a.versi is not None and b.versi is not None and a.versi != b.versi:
        return a.versi > b.versi
    if a.diperbarui_pada is not None and b.diperbarui_pada is not None:
        return a.diperbarui_pada > b.diperbarui_pada
    if a.versi is not None and b.versi is not None:
        return False  # same versi, no timestamps to break the tie
    raise DomainError("versi_referensi_tidak_sebanding",
                      "Dua data referensi tidak dapat dibandingkan: satu memakai versi, yang lain waktu pembaruan.",
                      status=409)


# --------------------------------------------------------------- reference rows


def _pppk(status: StatusKepegawaian) -> bool | None:
    """How to read NIP digits 13-14 for this status (see ``periksa_nip``)."""
    if status is StatusKepegawaian.PPPK:
        return True
    return False if status.is_asn else None


class PenugasanPlt(FrozenModel):
    """An acting-principal assignment (Plt. Kepala Sekolah) for a school."""

    npsn: Npsn
    nomor_sk: TeksPendek | None = None
    tmt: date | None = None


class Ptk(Berversi):
    """A teacher or principal as Dapodik / Verval PTK publishes them (S4)."""

    ptk_id: Identifier
    nama: Nama
    nip: str | None = None  # required for ASN, optional for non-ASN
    nuptk: Nuptk | None = None
    email_belajar_id: EmailBelajarId | None = None
    npsn_induk: Npsn  # sekolah induk: the only school a cycle runs at (P15)
    npsn_lain: tuple[Npsn, ...] = ()
    status_kepegawaian: StatusKepegawaian
    jabatan: Jabatan
    plt: tuple[PenugasanPlt, ...] = ()
    status_keaktifan: StatusKeaktifan = StatusKeaktifan.AKTIF
    tanggal_status: date | None = None  # since when pensiun / meninggal / mutasi

    @model_validator(mode="after")
    def _aturan_ptk(self) -> "Ptk":
        if self.status_kepegawaian.is_asn and self.nip is None:
            raise DomainError("nip_wajib_untuk_asn",
                              "Pegawai ASN (PNS, PPPK, CPNS, PNS Diperbantukan) wajib memiliki NIP di Dapodik.",
                              ptk_id=self.ptk_id)
        if self.nip is not None:
            periksa_nip(self.nip, pppk=_pppk(self.status_kepegawaian))
        if self.status_keaktifan is not StatusKeaktifan.AKTIF and self.tanggal_status is None:
            raise DomainError("tanggal_status_wajib",
                              f"Status '{self.status_keaktifan.value}' harus disertai tanggal berlakunya.",
                              ptk_id=self.ptk_id)
        return self

    @field_validator("npsn_lain")
    @classmethod
    def _tanpa_induk(cls, lain: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
        """Other schools never repeat the home school; duplicates dropped (order kept)."""
        induk = info.data.get("npsn_induk")
        return tuple(dict.fromkeys(n for n in lain if n != induk))

    @property
    def is_asn(self) -> bool:
        return self.status_kepegawaian.is_asn

    @property
    def peran(self) -> frozenset[Peran]:
        peran = {Peran(self.jabatan.value)}
        if self.plt:
            peran.add(Peran.PLT_KEPALA_SEKOLAH)
        return frozenset(peran)

    @property
    def info_nip(self) -> InfoNip | None:
        if self.nip is None:
            return None
        return periksa_nip(self.nip, pppk=_pppk(self.status_kepegawaian))

    def aktif_pada(self, tanggal: date) -> bool:
        """Active on ``tanggal`` (an inactive status counts from its tanggal_status)."""
        if self.status_keaktifan is StatusKeaktifan.AKTIF:
            return True
        assert self.tanggal_status is not None
        return tanggal < self.tanggal_status


def perkiraan_tanggal_pensiun(tanggal_lahir: date) -> date:
    """TMT pensiun at the retirement age (BUP, data): first day of the month after the birthday."""
    bup = _aturan()["batas_usia_pensiun_tahun"]
    tahun, bulan = tanggal_lahir.year + bup, tanggal_lahir.month + 1
    if bulan == 13:
        tahun, bulan = tahun + 1, 1
    return date(tahun, bulan, 1)


class DelegasiPenilai(FrozenModel):
    """Kepala Dinas delegating the principal's assessment to a pengawas by decree."""

    pengawas_id: Identifier
    nomor_sk: TeksPendek = Field(min_length=1)


class Sekolah(Berversi):
    npsn: Npsn
    nama: Nama
    jenjang: Jenjang
    dinas_id: Identifier  # kabupaten/kota (or provinsi for SMA/SMK/SLB) education office
    kepala_sekolah_ptk_id: Identifier | None = None  # definitif
    plt_ptk_id: Identifier | None = None
    pengawas_ids: tuple[Identifier, ...] = ()
    delegasi_penilai: DelegasiPenilai | None = None


class Dinas(Berversi):
    """Dinas Pendidikan; its head is the principals' Pejabat Penilai Kinerja."""

    dinas_id: Identifier
    nama: Nama
    kepala_dinas_id: Identifier | None = None
    kepala_dinas_nama: Nama | None = None


class StatusPengawas(StrEnum):
    AKTIF = "aktif"
    NONAKTIF = "nonaktif"


class Pengawas(Berversi):
    """A pengawas sekolah of a Dinas; the Kepala Dinas may delegate a principal's assessment to
    them by decree (``Sekolah.delegasi_penilai``, P14). Only an active pengawas can sign in."""

    pengawas_id: Identifier
    nama: Nama
    dinas_id: Identifier
    status: StatusPengawas = StatusPengawas.AKTIF

    @property
    def aktif(self) -> bool:
        return self.status is StatusPengawas.AKTIF


class RekomendasiRapor(FrozenModel):
    sub_indikator_id: Kode
    prioritas: int = Field(ge=1)  # 1 = most urgent


class RaporPendidikan(Berversi):
    """Rapor Pendidikan recommendations of one school for one year."""

    npsn: Npsn
    tahun: int = Field(ge=2021, le=2100)
    rekomendasi: tuple[RekomendasiRapor, ...] = ()

    @model_validator(mode="after")
    def _unik(self) -> "RaporPendidikan":
        ids = [r.sub_indikator_id for r in self.rekomendasi]
        if len(ids) != len(set(ids)):
            raise DomainError("rekomendasi_rapor_ganda",
                              "Rekomendasi Rapor Pendidikan memuat sub-indikator yang sama lebih dari sekali.",
                              npsn=self.npsn)
        return self


# ------------------------------------------------------------------ the atasan


class JenisAtasan(StrEnum):
    KEPALA_SEKOLAH = "kepala_sekolah"
    PLT_KEPALA_SEKOLAH = "plt_kepala_sekolah"
    KEPALA_DINAS = "kepala_dinas"
    PENGAWAS = "pengawas"


class Atasan(FrozenModel):
    """Who approves a plan and rates its owner (Pejabat Penilai Kinerja)."""

    jenis: JenisAtasan
    id: Identifier
    perlu_persetujuan: bool  # False: the system approves (only a Plt. leads the school)
    npsn: str | None = None
    dinas_id: str | None = None
    nomor_sk: str | None = None


PESAN_ATASAN_TIDAK_DITEMUKAN = "Data atasan Anda tidak ditemukan"


def pastikan_plt(ptk_id: str, npsn: str, plt_ptk_id: str | None) -> None:
    """Only the Plt. the school's Dapodik record names has an SKP sebagai Plt. of that school."""
    if plt_ptk_id != ptk_id:
        raise Forbidden("bukan_plt_sekolah",
                        f"Anda tidak tercatat sebagai Plt. Kepala Sekolah NPSN {npsn} di Dapodik. Bila penugasan "
                        "Plt. Anda belum tercatat, minta Operator Sekolah atau Dinas Pendidikan memperbaruinya di "
                        "Dapodik.", npsn=npsn, aktor="operator_sekolah")


def dinilai_dinas(jabatan: Jabatan, pegawai_id: str, sekolah: Sekolah) -> bool:
    """Whose Pejabat Penilai is the Dinas side (Kepala Dinas, or the pengawas delegated by decree, P14):
    a principal's cycle (jabatan kepala_sekolah, also the SKP sebagai Plt.), the definitive principal,
    and the Plt. of their own sekolah induk when it has no definitive principal -- nobody at the school
    stands above them, and a Plt. approving or rating their own teacher plan is no assessment at all."""
    return (jabatan is Jabatan.KEPALA_SEKOLAH or sekolah.kepala_sekolah_ptk_id == pegawai_id
            or (sekolah.kepala_sekolah_ptk_id is None and sekolah.plt_ptk_id == pegawai_id))


def tentukan_atasan(ptk: Ptk, sekolah_induk: Sekolah, dinas: Dinas | None = None, *,
                    sebagai_plt: bool = False) -> Atasan:
    """The atasan of ``ptk`` from the current reference data of the home school (P3, P14).

    - guru / guru BK: kepala sekolah definitif (approval needed); else the Plt.
      (approved automatically by the system); else ``atasan_tidak_ditemukan``.
    - kepala sekolah: a pengawas delegated by decree if any, else the Kepala Dinas.
    - the Plt. of their own sekolah induk (no definitive principal), for their teacher plan: as a
      principal (never approved by themselves);
    - ``sebagai_plt``: the SKP sebagai Plt. Kepala Sekolah of ``sekolah_induk`` (here: the school led,
      not necessarily the sekolah induk): as a principal; only its recorded Plt. (``bukan_plt_sekolah``).
    The use case resolves it when the plan is submitted and stores the result on
    the plan, so a later change in Dapodik does not move a plan under review.
    """
    if sebagai_plt:
        pastikan_plt(ptk.ptk_id, sekolah_induk.npsn, sekolah_induk.plt_ptk_id)
    elif ptk.npsn_induk != sekolah_induk.npsn:
        raise DomainError("bukan_sekolah_induk",
                          "Pengelolaan Kinerja hanya dilakukan di sekolah induk Anda "
                          f"(NPSN {ptk.npsn_induk}). Jika sekolah induk salah, minta Operator Sekolah memperbaikinya di Dapodik.",
                          npsn=sekolah_induk.npsn)
    if sebagai_plt or dinilai_dinas(ptk.jabatan, ptk.ptk_id, sekolah_induk):
        if sekolah_induk.delegasi_penilai is not None:
            d = sekolah_induk.delegasi_penilai
            return Atasan(jenis=JenisAtasan.PENGAWAS, id=d.pengawas_id, perlu_persetujuan=True,
                          dinas_id=sekolah_induk.dinas_id, nomor_sk=d.nomor_sk)
        if dinas is None or dinas.dinas_id != sekolah_induk.dinas_id or dinas.kepala_dinas_id is None:
            raise DomainError(
                "atasan_tidak_ditemukan",
                f"{PESAN_ATASAN_TIDAK_DITEMUKAN}. Data Kepala Dinas Pendidikan untuk sekolah Anda "
                f"(NPSN {sekolah_induk.npsn}) belum tersedia. Hubungi Dinas Pendidikan setempat agar data "
                "Kepala Dinas dan unit kerja sekolah diperbarui.",
                aktor="dinas_pendidikan", npsn=sekolah_induk.npsn,
                tindak_lanjut="Dinas Pendidikan memastikan data Kepala Dinas tercatat untuk sekolah ini.")
        return Atasan(jenis=JenisAtasan.KEPALA_DINAS, id=dinas.kepala_dinas_id, perlu_persetujuan=True,
                      dinas_id=dinas.dinas_id)
    if sekolah_induk.kepala_sekolah_ptk_id is not None:
        return Atasan(jenis=JenisAtasan.KEPALA_SEKOLAH, id=sekolah_induk.kepala_sekolah_ptk_id,
                      perlu_persetujuan=True, npsn=sekolah_induk.npsn, dinas_id=sekolah_induk.dinas_id)
    if sekolah_induk.plt_ptk_id is not None:
        return Atasan(jenis=JenisAtasan.PLT_KEPALA_SEKOLAH, id=sekolah_induk.plt_ptk_id,
                      perlu_persetujuan=False, npsn=sekolah_induk.npsn, dinas_id=sekolah_induk.dinas_id)
    raise DomainError(
        "atasan_tidak_ditemukan",
        f"{PESAN_ATASAN_TIDAK_DITEMUKAN}. Sekolah induk Anda (NPSN {sekolah_induk.npsn}) belum memiliki "
        "Kepala Sekolah definitif maupun Plt. Kepala Sekolah di Dapodik. Minta Operator Sekolah mengisi data "
        "Kepala Sekolah atau Plt. Kepala Sekolah (beserta SK penugasannya) di Dapodik, atau hubungi Dinas "
        "Pendidikan setempat. Anda dapat melanjutkan setelah data atasan tersedia.",
        aktor="operator_sekolah", npsn=sekolah_induk.npsn,
        tindak_lanjut="Operator Sekolah memperbarui data Kepala Sekolah / Plt. di Dapodik.")
