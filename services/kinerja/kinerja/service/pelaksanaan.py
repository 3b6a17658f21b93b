"""Pelaksanaan Kinerja use cases: the four observation steps (P4-P8).

The Pelaksanaan (id = siklus_id) is opened when the plan is approved. Each
write: identity (1 read), the Pelaksanaan (1 read), the cycle (1 read: period,
active status), plus for the principal's steps the school (and for a
principal's own cycle the Dinas) to resolve the Pejabat Penilai from the
reference data now; the caller is authorised (the owner for their documents,
the Pejabat Penilai for theirs) before the client's ``versi`` is compared
(stale -> 409, so only someone allowed to write learns the version); then one
write.

Dates are checked server-side (data/jadwal.json): Dokumen Persiapan, the
schedule agreement, the observation and the Dokumen Tindak Lanjut inside the
``observasi`` window (February-May / August-November); the reflection and the
principal's assessment inside ``pelaksanaan`` (to the end of the semester).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Callable

from kinerja.domain import katalog
from kinerja.domain.observasi import (
    BerkasTerkonfirmasi,
    HasilObservasi,
    IsianPersiapan,
    IsianRefleksi,
    IsianTindakLanjut,
    PejabatPenilai,
    Pelaksanaan,
    RincianObservasi,
    pastikan_dapat_membaca,
    pastikan_pemilik,
    pastikan_penilai,
)
from kinerja.domain.siklus import Siklus, Tahap, pastikan_periode_terbuka, pastikan_siklus_aktif, periksa_jendela, tanggal_lokal
from kinerja.service import akses, repo
from kinerja.service.berkas import Berkas, StatusBerkas, TujuanBerkas
from shared.errors import DomainError, NotFound
from shared.firestore import Tx, UnitOfWork


@dataclass(frozen=True)
class Konteks:
    aktor: akses.Aktor
    pelaksanaan: Pelaksanaan
    siklus: Siklus


def _muat(tx: Tx, email: str | None, pelaksanaan_id: str) -> Konteks:
    """Loaded without the version check: authorise the caller, then ``repo.pastikan_versi``."""
    aktor = akses.kenali(tx, email, repo.pelaksanaan_repo.ref(tx, pelaksanaan_id),
                         repo.siklus_repo.ref(tx, pelaksanaan_id))
    pel = repo.pelaksanaan_repo.get(tx, pelaksanaan_id)
    siklus = repo.siklus_repo.get(tx, pelaksanaan_id)
    if pel is None or siklus is None:
        raise NotFound("pelaksanaan_tidak_ditemukan",
                       "Pelaksanaan Kinerja belum tersedia. Pelaksanaan dimulai setelah Perencanaan Kinerja disetujui.")
    return Konteks(aktor, pel, siklus)


def _penilai(tx: Tx, siklus: Siklus) -> PejabatPenilai:
    sekolah = akses.sekolah_wajib(tx, siklus.npsn)
    dinas = akses.dinas_penilai(tx, siklus.jabatan, siklus.ptk_id, sekolah)
    return akses.penilai_untuk(siklus.jabatan, siklus.ptk_id, sekolah, dinas)


def _jadwal(siklus: Siklus, tahap: Tahap, now: datetime) -> None:
    pastikan_siklus_aktif(siklus)
    today = tanggal_lokal(now)
    pastikan_periode_terbuka(siklus.periode, today)
    periksa_jendela(tahap, siklus.periode, today)


def _tulis(uow: UnitOfWork, email: str | None, pelaksanaan_id: str, versi: int, tahap: Tahap, now: datetime,
           ubah: Callable[..., Pelaksanaan], penilai: bool = False) -> Pelaksanaan:
    def work(tx: Tx) -> Pelaksanaan:
        k = _muat(tx, email, pelaksanaan_id)
        if penilai:
            pj = _penilai(tx, k.siklus)
            # a delegated pengawas who also has a PTK record acts on the principal as the pengawas (P14)
            k = replace(k, aktor=replace(k.aktor, id=k.aktor.sebagai_penilai(pj)))
            pastikan_penilai(k.pelaksanaan.pegawai_id, k.aktor.id, pj)
        else:
            pj = None
            pastikan_pemilik(k.pelaksanaan.pegawai_id, k.aktor.id)
        repo.pastikan_versi(k.pelaksanaan, versi)
        _jadwal(k.siklus, tahap, now)
        baru = ubah(tx, k, pj) if penilai else ubah(tx, k)
        return repo.pelaksanaan_repo.put(tx, baru)
    return uow.run(work)


# ------------------------------------------------------------ Dokumen Persiapan
@dataclass(frozen=True)
class MasukanPersiapan:
    target_perilaku_ids: tuple[str, ...] = ()
    upaya: str | None = None
    jadwal_observasi: datetime | None = None
    rpp_berkas_id: str | None = None


def _rpp(tx: Tx, k: Konteks, berkas_id: str | None) -> BerkasTerkonfirmasi | None:
    """The RPP / Modul Ajar as an upload the owner confirmed for this cycle (P5, P9)."""
    if berkas_id is None:
        return None
    doc = tx.get(tx.ref(repo.BERKAS, berkas_id))
    berkas = Berkas.model_validate(doc) if doc else None
    if berkas is None or berkas.pemilik_id != k.aktor.id or berkas.siklus_id != k.pelaksanaan.id \
            or berkas.tujuan is not TujuanBerkas.RPP_MODUL_AJAR:
        raise DomainError("berkas_rpp_tidak_valid",
                          "Berkas RPP/Modul Ajar tidak ditemukan untuk Pelaksanaan Anda. Unggah RPP/Modul Ajar "
                          "melalui tombol unggah pada Dokumen Persiapan.", berkas_id=berkas_id)
    if berkas.status is not StatusBerkas.TERKONFIRMASI:
        raise DomainError("berkas_belum_dikonfirmasi",
                          "Unggahan RPP/Modul Ajar belum selesai. Unggah berkasnya lalu konfirmasi, kemudian simpan lagi.",
                          berkas_id=berkas_id)
    return BerkasTerkonfirmasi(object_key=berkas.object_key, nama_berkas=berkas.nama_berkas,
                               content_type=berkas.jenis, ukuran_byte=berkas.ukuran, md5_base64=berkas.md5_base64,
                               berkas_id=berkas.berkas_id)


def _isian_persiapan(tx: Tx, k: Konteks, m: MasukanPersiapan | None) -> IsianPersiapan | None:
    if m is None:
        return None
    return IsianPersiapan(target_perilaku_ids=m.target_perilaku_ids, upaya=m.upaya,
                          jadwal_observasi=m.jadwal_observasi, rpp_modul_ajar=_rpp(tx, k, m.rpp_berkas_id))


def simpan_persiapan(uow: UnitOfWork, email: str | None, pelaksanaan_id: str, versi: int, m: MasukanPersiapan,
                     kumpulkan: bool, now: datetime) -> Pelaksanaan:
    """'Simpan Draf' or 'Kumpulkan' of the Dokumen Persiapan (P5)."""
    def ubah(tx: Tx, k: Konteks) -> Pelaksanaan:
        isian = _isian_persiapan(tx, k, m)
        if kumpulkan:
            return k.pelaksanaan.kumpulkan_persiapan(aktor_id=k.aktor.id, now=now, isian=isian)
        return k.pelaksanaan.simpan_draf_persiapan(aktor_id=k.aktor.id, isian=isian, now=now)
    return _tulis(uow, email, pelaksanaan_id, versi, Tahap.OBSERVASI, now, ubah)


def sepakati_jadwal(uow: UnitOfWork, email: str | None, pelaksanaan_id: str, versi: int, waktu: datetime | None,
                    now: datetime) -> Pelaksanaan:
    """The principal confirms the teacher's proposed time or another agreed one (P5)."""
    def ubah(tx: Tx, k: Konteks, pj: PejabatPenilai) -> Pelaksanaan:
        if waktu is not None:
            periksa_jendela(Tahap.OBSERVASI, k.siklus.periode, tanggal_lokal(waktu))
        return k.pelaksanaan.sepakati_jadwal(aktor_id=k.aktor.id, penilai=pj, now=now, waktu=waktu)
    return _tulis(uow, email, pelaksanaan_id, versi, Tahap.OBSERVASI, now, ubah, penilai=True)


def catat_observasi(uow: UnitOfWork, email: str | None, pelaksanaan_id: str, versi: int,
                    hasil: dict[str, HasilObservasi], rekomendasi: str, now: datetime) -> Pelaksanaan:
    """Observasi Kelas by the principal on/after the agreed date (P6)."""
    def ubah(tx: Tx, k: Konteks, pj: PejabatPenilai) -> Pelaksanaan:
        return k.pelaksanaan.catat_observasi(aktor_id=k.aktor.id, penilai=pj, hasil=hasil, rekomendasi=rekomendasi,
                                             now=now)
    return _tulis(uow, email, pelaksanaan_id, versi, Tahap.OBSERVASI, now, ubah, penilai=True)


def _validasi_tindak_lanjut(isian: IsianTindakLanjut) -> None:
    for t in isian.tujuan_ids:
        katalog.tujuan_tindak_lanjut(t)
    for d in isian.dukungan_ids:
        katalog.dukungan_tindak_lanjut(d)
    for m in isian.materi_pmm_ids:
        katalog.materi_pmm(m)


def simpan_tindak_lanjut(uow: UnitOfWork, email: str | None, pelaksanaan_id: str, versi: int,
                         isian: IsianTindakLanjut | None, kumpulkan: bool, now: datetime) -> Pelaksanaan:
    """'Simpan Draf' / 'Kumpulkan' of the Dokumen Tindak Lanjut (P7)."""
    def ubah(tx: Tx, k: Konteks) -> Pelaksanaan:
        if isian is not None:
            _validasi_tindak_lanjut(isian)
        if kumpulkan:
            return k.pelaksanaan.kumpulkan_tindak_lanjut(aktor_id=k.aktor.id, now=now, isian=isian)
        return k.pelaksanaan.simpan_draf_tindak_lanjut(aktor_id=k.aktor.id, isian=isian or IsianTindakLanjut(),
                                                       now=now)
    return _tulis(uow, email, pelaksanaan_id, versi, Tahap.OBSERVASI, now, ubah)


def simpan_refleksi(uow: UnitOfWork, email: str | None, pelaksanaan_id: str, versi: int,
                    isian: IsianRefleksi | None, kumpulkan: bool, now: datetime) -> Pelaksanaan:
    """'Simpan Draf' / 'Kumpulkan' of the Refleksi Tindak Lanjut (P8)."""
    def ubah(tx: Tx, k: Konteks) -> Pelaksanaan:
        if kumpulkan:
            return k.pelaksanaan.kumpulkan_refleksi(aktor_id=k.aktor.id, now=now, isian=isian)
        return k.pelaksanaan.simpan_draf_refleksi(aktor_id=k.aktor.id, isian=isian or IsianRefleksi(), now=now)
    return _tulis(uow, email, pelaksanaan_id, versi, Tahap.PELAKSANAAN, now, ubah)


def nilai_tindak_lanjut(uow: UnitOfWork, email: str | None, pelaksanaan_id: str, versi: int,
                        hasil: dict[str, HasilObservasi], catatan: str, now: datetime) -> Pelaksanaan:
    """The principal assesses the follow-up after the reflection (P8): the step table reads 100%."""
    def ubah(tx: Tx, k: Konteks, pj: PejabatPenilai) -> Pelaksanaan:
        return k.pelaksanaan.nilai_tindak_lanjut(aktor_id=k.aktor.id, penilai=pj, hasil=hasil, catatan=catatan,
                                                 now=now)
    return _tulis(uow, email, pelaksanaan_id, versi, Tahap.PELAKSANAAN, now, ubah, penilai=True)


# ------------------------------------------------------------------- reads
@dataclass(frozen=True)
class PelaksanaanTerbaca:
    pelaksanaan: Pelaksanaan
    siklus: Siklus
    peran: str  # pemilik / penilai
    penilai: PejabatPenilai


def lihat(uow: UnitOfWork, email: str | None, pelaksanaan_id: str) -> PelaksanaanTerbaca:
    """The teacher and their Pejabat Penilai read the Pelaksanaan (with the rubric)."""
    def work(tx: Tx) -> PelaksanaanTerbaca:
        k = _muat(tx, email, pelaksanaan_id)
        pj = _penilai(tx, k.siklus)
        if k.aktor.id != k.pelaksanaan.pegawai_id:
            k = replace(k, aktor=replace(k.aktor, id=k.aktor.sebagai_penilai(pj)))
        pastikan_dapat_membaca(k.pelaksanaan.pegawai_id, k.aktor.id, pj)
        peran = "pemilik" if k.aktor.id == k.pelaksanaan.pegawai_id else "penilai"
        return PelaksanaanTerbaca(k.pelaksanaan, k.siklus, peran, pj)
    return uow.run(work)


def rincian_observasi(uow: UnitOfWork, email: str | None, pelaksanaan_id: str) -> RincianObservasi:
    """'Cek Rincian' (P6): the observation result with 'bukan nilai akhir'."""
    t = lihat(uow, email, pelaksanaan_id)
    # read access was checked by `lihat`; the domain re-checks it with the owner's id
    return t.pelaksanaan.rincian_observasi(aktor_id=t.pelaksanaan.pegawai_id, penilai=t.penilai)
