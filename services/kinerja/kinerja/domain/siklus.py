"""The six-month performance cycle (P1, P14, P15).

- Periods ``YYYY-1`` (Januari-Juni) and ``YYYY-2`` (Juli-Desember).
- Stage windows (perencanaan, pelaksanaan, observasi, penilaian) are data:
  ``kinerja/data/jadwal.json``; ``periksa_jendela`` refuses outside them.
- Who is obliged (ASN) and who may join (non-ASN).
- One cycle per person per period at the sekolah induk, with an id derived
  from (ptk_id, periode) by hashing: deterministic and not monotonic.
- Period 2 opens only after the school's principal confirms it; a period
  past its last window is closed and read-only.

P15 decisions implemented here (see ``terapkan_referensi_ptk``):
- two schools / two belajar.id accounts: the cycle belongs to the person
  (ptk_id) and runs at the sekolah induk only; a request in the context of
  another school is refused (``bukan_sekolah_induk``);
- retiring (or leaving) mid-semester: the cycle closes as inactive on the
  Dapodik status and carries a flag for the principal's P11 list; a teacher
  whose retirement (from the NIP birth date) falls before the penilaian window
  is not obliged (nobody could rate them) but may still plan.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta, timezone
from enum import StrEnum
from functools import lru_cache
from typing import Literal

from pydantic import AwareDatetime, Field

from kinerja import data
from kinerja.domain.referensi import Jabatan, Ptk, Sekolah, StatusKeaktifan, pastikan_plt, perkiraan_tanggal_pensiun
from shared.errors import Conflict, DomainError
from shared.models import FrozenModel, Identifier, TeksPendek

_BULAN = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember"]


def _jadwal() -> dict:
    return data.muat("jadwal")


@lru_cache(maxsize=1)
def zona_waktu() -> timezone:
    z = _jadwal()["zona_waktu"]
    return timezone(timedelta(hours=z["utc_offset_jam"]), z["nama"])


def tanggal_lokal(now: datetime) -> date:
    """The calendar date of an aware instant in the schedule's time zone (WIB)."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zona_waktu()).date()


def format_tanggal(d: date) -> str:
    return f"{d.day} {_BULAN[d.month - 1]} {d.year}"


# ------------------------------------------------------------------- periode


class Periode(FrozenModel):
    tahun: int
    semester: Literal[1, 2]

    @property
    def id(self) -> str:
        return f"{self.tahun}-{self.semester}"

    def __str__(self) -> str:
        return self.id

    @property
    def nama(self) -> str:
        """e.g. 'Januari-Juni 2024'."""
        return f"{_jadwal()['periode'][str(self.semester)]['nama']} {self.tahun}"

    def _tanggal(self, bulan_hari: str) -> date:
        bulan, hari = (int(x) for x in bulan_hari.split("-"))
        return date(self.tahun, bulan, hari)

    @property
    def mulai(self) -> date:
        return self._tanggal(_jadwal()["periode"][str(self.semester)]["mulai"])

    @property
    def selesai(self) -> date:
        return self._tanggal(_jadwal()["periode"][str(self.semester)]["selesai"])

    def memuat(self, tanggal: date) -> bool:
        return self.mulai <= tanggal <= self.selesai

    def berikutnya(self) -> "Periode":
        return Periode(tahun=self.tahun, semester=2) if self.semester == 1 else Periode(tahun=self.tahun + 1, semester=1)


def _periode_tidak_valid(teks: object) -> DomainError:
    return DomainError("periode_tidak_valid",
                       f"Periode '{teks}' tidak valid. Gunakan TAHUN-1 untuk Januari-Juni atau TAHUN-2 untuk "
                       f"Juli-Desember, mulai {_jadwal()['tahun_minimal']}-1 (contoh: 2024-2).",
                       periode=str(teks))


def parse_periode(teks: str | Periode) -> Periode:
    """``'2024-1'`` -> Periode; anything else -> ``periode_tidak_valid``."""
    if isinstance(teks, Periode):
        return teks
    cocok = re.fullmatch(r"(\d{4})-([12])", teks) if isinstance(teks, str) else None
    if not cocok:
        raise _periode_tidak_valid(teks)
    tahun = int(cocok.group(1))
    if not _jadwal()["tahun_minimal"] <= tahun <= _jadwal()["tahun_maksimal"]:
        raise _periode_tidak_valid(teks)
    return Periode(tahun=tahun, semester=int(cocok.group(2)))


def periode_untuk_tanggal(tanggal: date) -> Periode:
    return Periode(tahun=tanggal.year, semester=1 if tanggal.month <= 6 else 2)


# ------------------------------------------------------------------- jendela


class Tahap(StrEnum):
    PERENCANAAN = "perencanaan"
    PELAKSANAAN = "pelaksanaan"  # the whole execution: observation steps, evidence, reflection
    OBSERVASI = "observasi"  # the observation steps proper (Feb-May / Aug-Nov)
    PENILAIAN = "penilaian"


_NAMA_TAHAP = {Tahap.PERENCANAAN: "Perencanaan Kinerja", Tahap.PELAKSANAAN: "Pelaksanaan Kinerja",
               Tahap.OBSERVASI: "Observasi Praktik Kinerja", Tahap.PENILAIAN: "Penilaian Kinerja"}


class Jendela(FrozenModel):
    tahap: Tahap
    periode: str
    mulai: date
    selesai: date
    anjuran_selesai: date | None = None
    # Work of this stage left unfinished at ``selesai`` may still be completed until this day
    # (P10: Januari-Juni ratings are finished during Juli-Desember; data, ``penyelesaian_selesai``).
    penyelesaian_sampai: date | None = None

    @property
    def batas_akhir(self) -> date:
        return max(self.selesai, self.penyelesaian_sampai or self.selesai)

    def memuat(self, tanggal: date) -> bool:
        return self.mulai <= tanggal <= self.batas_akhir

    @property
    def teks(self) -> str:
        teks = f"{format_tanggal(self.mulai)} sampai {format_tanggal(self.selesai)}"
        if self.batas_akhir > self.selesai:
            teks += f" (yang belum selesai dapat dituntaskan sampai {format_tanggal(self.batas_akhir)})"
        return teks


def jendela(tahap: Tahap | str, periode: Periode | str) -> Jendela:
    """The window of a stage in a period, including any decided extension (data)."""
    tahap, periode = Tahap(tahap), parse_periode(periode)
    j = _jadwal()["jendela"][str(periode.semester)][tahap.value]
    selesai = periode._tanggal(j["selesai"])
    perpanjangan = _jadwal()["perpanjangan"]["periode"].get(periode.id, {}).get(tahap.value)
    if perpanjangan:
        selesai = max(selesai, date.fromisoformat(perpanjangan))
    return Jendela(tahap=tahap, periode=periode.id, mulai=periode._tanggal(j["mulai"]), selesai=selesai,
                   anjuran_selesai=periode._tanggal(j["anjuran_selesai"]) if "anjuran_selesai" in j else None,
                   penyelesaian_sampai=periode._tanggal(j["penyelesaian_selesai"])
                   if "penyelesaian_selesai" in j else None)


def periksa_jendela(tahap: Tahap | str, periode: Periode | str, today: date) -> Jendela:
    """Refuse with ``di_luar_jadwal`` (naming the window) when ``today`` is outside it."""
    j = jendela(tahap, periode)
    if not j.memuat(today):
        p = parse_periode(periode)
        raise DomainError(
            "di_luar_jadwal",
            f"{_NAMA_TAHAP[j.tahap]} periode {p.nama} hanya dapat dilakukan pada {j.teks}. "
            f"Hari ini {format_tanggal(today)} berada di luar jadwal tersebut.",
            tahap=j.tahap.value, periode=p.id, mulai=j.mulai.isoformat(), selesai=j.selesai.isoformat())
    return j


def akhir_periode(periode: Periode | str, tahap: Tahap | str | None = None) -> date:
    """Last day anything may change in a period: the end of its last window (or the period).

    With ``tahap``, that stage's own completion time counts too: unfinished Januari-Juni ratings
    stay writable during Juli-Desember (P10) while plans and observations of the period are closed."""
    p = parse_periode(periode)
    akhir = max([p.selesai] + [jendela(t, p).selesai for t in Tahap])
    return max(akhir, jendela(tahap, p).batas_akhir) if tahap is not None else akhir


def periode_ditutup(periode: Periode | str, today: date, tahap: Tahap | str | None = None) -> bool:
    return today > akhir_periode(periode, tahap)


def pastikan_periode_terbuka(periode: Periode | str, today: date, tahap: Tahap | str | None = None) -> None:
    """A closed period is read-only (``periode_ditutup``); ``tahap``: closed for that stage's work."""
    p = parse_periode(periode)
    if periode_ditutup(p, today, tahap):
        raise Conflict("periode_ditutup",
                       f"Periode {p.nama} sudah ditutup pada {format_tanggal(akhir_periode(p, tahap))}. "
                       "Data periode ini hanya dapat dilihat, tidak dapat diubah.", periode=p.id)
    if today < p.mulai:
        raise DomainError("periode_belum_dimulai",
                          f"Periode {p.nama} baru dimulai pada {format_tanggal(p.mulai)}.", periode=p.id)


def perlu_konfirmasi_kepala_sekolah(periode: Periode | str) -> bool:
    return parse_periode(periode).semester in _jadwal()["periode_perlu_konfirmasi_kepala_sekolah"]


def pastikan_periode_dibuka(periode: Periode | str, dikonfirmasi_kepala_sekolah: bool) -> None:
    """Period 2 starts only after the school's principal (definitif or Plt.) confirms it."""
    p = parse_periode(periode)
    if perlu_konfirmasi_kepala_sekolah(p) and not dikonfirmasi_kepala_sekolah:
        raise DomainError("periode_belum_dibuka",
                          f"Periode {p.nama} belum dibuka oleh Kepala Sekolah Anda. Minta Kepala Sekolah "
                          "mengonfirmasi dimulainya periode ini di Pengelolaan Kinerja PMM.", periode=p.id)


# ------------------------------------------------------------------ kewajiban


class Kewajiban(StrEnum):
    WAJIB = "wajib"
    OPSIONAL = "opsional"


def kewajiban(ptk: Ptk, periode: Periode | str) -> Kewajiban:
    """ASN (PNS, PPPK, CPNS, PNS Diperbantukan) are obliged, non-ASN may join (P1).

    An ASN whose retirement (from the NIP birth date) or recorded inactive date
    falls before the penilaian window could not be rated: optional (P15).
    """
    if not ptk.is_asn:
        return Kewajiban.OPSIONAL
    mulai_penilaian = jendela(Tahap.PENILAIAN, periode).mulai
    if not ptk.aktif_pada(mulai_penilaian):
        return Kewajiban.OPSIONAL
    info = ptk.info_nip
    if info is not None and perkiraan_tanggal_pensiun(info.tanggal_lahir) <= mulai_penilaian:
        return Kewajiban.OPSIONAL
    return Kewajiban.WAJIB


# -------------------------------------------------------------------- siklus


def siklus_id(ptk_id: str, periode: Periode | str, plt_npsn: str | None = None) -> str:
    """Deterministic, non-monotonic id of the one cycle of a person in a period (and, with
    ``plt_npsn``, of their SKP sebagai Plt. Kepala Sekolah of that school: one per school led).

    Hashing spreads Firestore writes (docs/design.md#storage) and makes every
    account of the same person, and every retry, land on the same document.
    """
    p = parse_periode(periode)
    kunci = f"kinerja.siklus|{ptk_id}|{p.id}" + (f"|plt|{plt_npsn}" if plt_npsn else "")
    return hashlib.sha256(kunci.encode()).hexdigest()[:32]


class StatusSiklus(StrEnum):
    AKTIF = "aktif"
    DITUTUP_TIDAK_AKTIF = "ditutup_tidak_aktif"


class Penanda(FrozenModel):
    """A flag the principal / operator sees (P11 list of inactive or moved staff)."""

    kode: str
    pesan: TeksPendek
    tanggal: date | None = None


class Siklus(FrozenModel):
    siklus_id: str
    ptk_id: Identifier
    periode: str
    npsn: str  # sekolah induk
    jabatan: Jabatan
    kewajiban: Kewajiban
    # ASN on the latest Dapodik row (None: opened before this was kept; counted as ASN). Only ASN
    # count in the school's distribution curve (P12).
    asn: bool | None = None
    # the SKP sebagai Plt. Kepala Sekolah of ``npsn`` (the school led), beside the person's own teacher
    # cycle; jabatan kepala_sekolah (D3 plan, rated by the Dinas side like a principal, P14)
    plt: bool = False
    status: StatusSiklus = StatusSiklus.AKTIF
    penanda: tuple[Penanda, ...] = ()
    dibuka_pada: AwareDatetime
    versi: int = Field(default=1, ge=1)


def _pastikan_sekolah_induk(ptk: Ptk, npsn_akun: str | None) -> None:
    if npsn_akun is not None and npsn_akun != ptk.npsn_induk:
        raise DomainError("bukan_sekolah_induk",
                          f"Pengelolaan Kinerja hanya dilakukan di sekolah induk Anda (NPSN {ptk.npsn_induk}), "
                          f"bukan di sekolah NPSN {npsn_akun}. Gunakan akun belajar.id sekolah induk Anda; bila "
                          "sekolah induk salah, minta Operator Sekolah memperbaikinya di Dapodik.",
                          npsn=npsn_akun, npsn_induk=ptk.npsn_induk)


def buka_siklus(ptk: Ptk, periode: Periode | str, *, now: datetime, dikonfirmasi_kepala_sekolah: bool,
                npsn_akun: str | None = None) -> Siklus:
    """Open the person's cycle for ``periode`` at their sekolah induk (P1, P15)."""
    p = parse_periode(periode)
    today = tanggal_lokal(now)
    _pastikan_sekolah_induk(ptk, npsn_akun)
    pastikan_periode_terbuka(p, today)
    pastikan_periode_dibuka(p, dikonfirmasi_kepala_sekolah)
    periksa_jendela(Tahap.PERENCANAAN, p, today)
    if not ptk.aktif_pada(today):
        raise DomainError("ptk_tidak_aktif",
                          f"Data Anda di Dapodik berstatus {ptk.status_keaktifan.value} sejak "
                          f"{format_tanggal(ptk.tanggal_status)}. Pengelolaan Kinerja hanya untuk pegawai aktif; "
                          "bila data ini keliru, minta Operator Sekolah memperbaikinya di Dapodik.")
    penanda: list[Penanda] = []
    info = ptk.info_nip
    if info is not None:
        pensiun = perkiraan_tanggal_pensiun(info.tanggal_lahir)
        if pensiun <= p.selesai:
            penanda.append(Penanda(kode="akan_pensiun", tanggal=pensiun,
                                   pesan=f"Perkiraan pensiun {format_tanggal(pensiun)} jatuh dalam periode ini; "
                                         "siklus ditutup saat status pensiun tercatat di Dapodik."))
    return Siklus(siklus_id=siklus_id(ptk.ptk_id, p), ptk_id=ptk.ptk_id, periode=p.id, npsn=ptk.npsn_induk,
                  jabatan=ptk.jabatan, kewajiban=kewajiban(ptk, p), asn=ptk.is_asn, penanda=tuple(penanda),
                  dibuka_pada=now)


def buka_siklus_plt(ptk: Ptk, npsn_plt: str, plt_ptk_id: str | None, periode: Periode | str, *, now: datetime,
                    dikonfirmasi_kepala_sekolah: bool) -> Siklus:
    """Open the SKP sebagai Plt. Kepala Sekolah of school ``npsn_plt`` (one per school led, each
    synced as its own SKP: "Sinkro data PLT PMM"). Only the Plt. the school's record names."""
    pastikan_plt(ptk.ptk_id, npsn_plt, plt_ptk_id)
    guru = buka_siklus(ptk, periode, now=now, dikonfirmasi_kepala_sekolah=dikonfirmasi_kepala_sekolah)
    return guru.model_copy(update={"siklus_id": siklus_id(ptk.ptk_id, guru.periode, npsn_plt), "npsn": npsn_plt,
                                   "jabatan": Jabatan.KEPALA_SEKOLAH, "plt": True})


def terapkan_referensi_ptk(siklus: Siklus, ptk: Ptk) -> Siklus:
    """Apply a newer Dapodik row to an open cycle (idempotent; P11, P15).

    - inactive (pensiun / meninggal / mutasi) before the period ends: the cycle
      closes as inactive with a flag naming the status and date;
    - a new sekolah induk: the cycle (same id) moves with the person; flagged so
      the use case re-resolves the atasan of a plan not yet approved.
    Returns the same object when nothing changes (the handler then skips the write).
    """
    if ptk.ptk_id != siklus.ptk_id:
        raise ValueError("ptk does not own this siklus")
    if siklus.status is not StatusSiklus.AKTIF:
        return siklus
    tutup = _tutup_bila_tidak_aktif(siklus, ptk)
    if tutup is not None:
        return tutup
    if siklus.plt:  # the SKP sebagai Plt. stays at the school led: terapkan_referensi_plt
        return siklus
    if ptk.npsn_induk != siklus.npsn:
        flag = Penanda(kode="sekolah_induk_berubah",
                       pesan=f"Sekolah induk berubah dari NPSN {siklus.npsn} ke NPSN {ptk.npsn_induk}.")
        return siklus.model_copy(update={"npsn": ptk.npsn_induk, "penanda": siklus.penanda + (flag,),
                                         "asn": ptk.is_asn, "versi": siklus.versi + 1})
    if siklus.asn is not ptk.is_asn:  # e.g. appointed PPPK mid-semester
        return siklus.model_copy(update={"asn": ptk.is_asn, "versi": siklus.versi + 1})
    return siklus


def _tutup(siklus: Siklus, flag: Penanda) -> Siklus:
    return siklus.model_copy(update={"status": StatusSiklus.DITUTUP_TIDAK_AKTIF,
                                     "penanda": siklus.penanda + (flag,), "versi": siklus.versi + 1})


def _tutup_bila_tidak_aktif(siklus: Siklus, ptk: Ptk) -> Siklus | None:
    """Inactive (pensiun / meninggal / mutasi) before the period ends: closed as inactive, flagged."""
    if ptk.status_keaktifan is StatusKeaktifan.AKTIF or ptk.tanggal_status > parse_periode(siklus.periode).selesai:
        return None
    return _tutup(siklus, Penanda(
        kode="ptk_tidak_aktif", tanggal=ptk.tanggal_status,
        pesan=f"Status {ptk.status_keaktifan.value} sejak {format_tanggal(ptk.tanggal_status)}: "
              "siklus ditutup. Bila keliru, Operator Sekolah memperbarui data di Dapodik."))


def terapkan_referensi_plt(siklus: Siklus, ptk: Ptk | None, sekolah: Sekolah | None, pada: date) -> Siklus:
    """An open SKP sebagai Plt. Kepala Sekolah follows Dapodik like the teacher cycle (P15), closed the same way:
    when the person is no longer active, or no longer the Plt. of the school it is for: the school's record
    names another Plt., none, or a definitive principal (the record is what made them Plt.: ``pastikan_plt``).
    Returns the same object when nothing changes. The teacher cycle is left to ``terapkan_referensi_ptk``."""
    if not siklus.plt or siklus.status is not StatusSiklus.AKTIF:
        return siklus
    if ptk is not None:
        if ptk.ptk_id != siklus.ptk_id:
            raise ValueError("ptk does not own this siklus")
        tutup = _tutup_bila_tidak_aktif(siklus, ptk)
        if tutup is not None:
            return tutup
    if sekolah is None or sekolah.npsn != siklus.npsn:
        return siklus
    if sekolah.plt_ptk_id != siklus.ptk_id:
        sebab = "Dapodik mencatat Plt. Kepala Sekolah lain" if sekolah.plt_ptk_id else \
            "Dapodik tidak lagi mencatat Anda sebagai Plt. Kepala Sekolah"
    elif sekolah.kepala_sekolah_ptk_id is not None:
        sebab = "Dapodik mencatat Kepala Sekolah definitif"
    else:
        return siklus
    return _tutup(siklus, Penanda(
        kode="plt_berakhir", tanggal=pada,
        pesan=f"{sebab} untuk NPSN {siklus.npsn} sejak {format_tanggal(pada)}: SKP sebagai Plt. Kepala Sekolah "
              "ditutup. Bila keliru, Operator Sekolah atau Dinas Pendidikan memperbarui data di Dapodik."))


def pastikan_siklus_aktif(siklus: Siklus) -> None:
    if siklus.status is not StatusSiklus.AKTIF and siklus.penanda and siklus.penanda[-1].kode == "plt_berakhir":
        raise Conflict("siklus_ditutup", f"SKP sebagai Plt. Kepala Sekolah ini sudah ditutup: {siklus.penanda[-1].pesan}",
                       siklus_id=siklus.siklus_id)
    if siklus.status is not StatusSiklus.AKTIF:
        raise Conflict("siklus_ditutup",
                       "Siklus kinerja ini sudah ditutup karena status Anda di Dapodik tidak aktif. "
                       "Data hanya dapat dilihat; bila status keliru, minta Operator Sekolah memperbaikinya.",
                       siklus_id=siklus.siklus_id)
