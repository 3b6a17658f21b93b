"""Perencanaan Kinerja use cases (P2, P3, P14, P15).

Every step is one transaction: identity (1 read), the plan (1 read; the caller
is authorised first -- owner, or the recorded atasan -- and only then is the
client's ``versi`` compared, stale -> 409), the cycle (1 read: a cycle closed by a
Dapodik status refuses edits), plus what the step needs (the school's Rapor
for Praktik Kinerja; PTK, school and Dinas for Ajukan), then one write.

The atasan is resolved from the reference data when the plan is submitted and
stored on the plan (a later Dapodik change does not move a plan under
review). Approval -- by the definitive atasan, or by the system when only a
Plt. leads the school -- opens the Pelaksanaan in the same transaction. The
owner's "Sepakati" publishes ``kinerja.rencana.disepakati`` through the outbox, for ASN only: a
non-ASN's plan is optional (P1) and stays in PMM, nothing of it goes to e-Kinerja. Every change of
stage before that (diajukan, dikembalikan, disetujui, back to draf) publishes
``kinerja.tahap_rencana.diperbarui`` (ids and stage only), so Sinkro PMM tells "no plan" (#2) from
"submitted, not yet agreed" (#14).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Sequence

from google.cloud.firestore_v1.base_query import FieldFilter

from kinerja.domain import katalog
from kinerja.domain import rencana as domain
from kinerja.domain.observasi import Pelaksanaan
from kinerja.domain.referensi import RaporPendidikan, tentukan_atasan
from kinerja.domain.rencana import Rencana, StatusRencana
from kinerja.domain.siklus import pastikan_siklus_aktif
from kinerja.service import akses, repo
from shared.contracts.kinerja import AtasanData, PerilakuData, RencanaDisepakati, RhkData, TahapRencanaDiperbarui
from shared.errors import Forbidden, NotFound
from shared.events import make_event
from shared.firestore import Tx, UnitOfWork

Langkah = domain.Langkah


def _rencana_wajib(tx: Tx, rencana_id: str) -> Rencana:
    """The plan, without the version check: authorise the caller, then ``repo.pastikan_versi``."""
    rencana = repo.rencana_repo.get(tx, rencana_id)
    if rencana is None:
        raise NotFound("rencana_tidak_ditemukan", "Rencana kinerja tidak ditemukan.")
    return rencana


def _siklus_aktif(tx: Tx, rencana: Rencana) -> None:
    siklus = repo.siklus_repo.get(tx, rencana.siklus_id)
    if siklus is not None:
        pastikan_siklus_aktif(siklus)


def mulai_pelaksanaan(tx: Tx, rencana: Rencana, now: datetime) -> Pelaksanaan:
    """The observation of practice opens when the plan is approved (SRC-JUMANKERA)."""
    assert rencana.praktik is not None
    sub = katalog.sub_indikator(rencana.praktik.sub_indikator_id)
    pel = Pelaksanaan.mulai(id=rencana.siklus_id, pegawai_id=rencana.ptk_id, periode_id=rencana.periode,
                            fokus_perilaku_ids=[f.id for f in sub.fokus_perilaku],
                            rencana_disetujui=rencana.status in (StatusRencana.DISETUJUI, StatusRencana.DISEPAKATI),
                            now=now)
    repo.pelaksanaan_repo.add(tx, pel)
    return pel


def _kabarkan_tahap(tx: Tx, lama: Rencana, baru: Rencana, now: datetime) -> None:
    """A stage change goes out with the commit; agreeing is ``kinerja.rencana.disepakati`` itself."""
    if baru.status is lama.status or baru.status is StatusRencana.DISEPAKATI:
        return
    tx.emit(make_event("kinerja", "kinerja.tahap_rencana.diperbarui", TahapRencanaDiperbarui(
        rencana_id=baru.rencana_id, ptk_id=baru.ptk_id, periode=baru.periode, tahap=baru.status.value,
        versi=baru.versi, pada=now, plt=baru.plt, npsn=baru.npsn if baru.plt else None),
        subject=f"rencana/{baru.rencana_id}"))


def _ubah(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int,
          langkah: Callable[[Tx, Rencana, str], Rencana]) -> Rencana:
    def work(tx: Tx) -> Rencana:
        aktor = akses.kenali(tx, email, repo.rencana_repo.ref(tx, rencana_id), repo.siklus_repo.ref(tx, rencana_id))
        rencana = _rencana_wajib(tx, rencana_id)
        if aktor.id != rencana.ptk_id:
            raise Forbidden("bukan_pemilik_rencana", "Hanya pemilik rencana yang dapat mengubah atau menyepakatinya.")
        repo.pastikan_versi(rencana, versi)  # only the owner learns that the version moved
        _siklus_aktif(tx, rencana)
        baru = langkah(tx, rencana, aktor.id)
        _kabarkan_tahap(tx, rencana, baru, baru.diperbarui_pada)
        return repo.rencana_repo.put(tx, baru)

    return uow.run(work)


def cek_data(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int, now: datetime) -> Rencana:
    return _ubah(uow, email, rencana_id, versi, lambda tx, r, a: domain.cek_data(r, a, now=now))


def pilih_praktik(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int, sub_indikator_id: str,
                  now: datetime) -> Rencana:
    def langkah(tx: Tx, r: Rencana, a: str) -> Rencana:
        rapor = repo.rapor_repo.get(tx, r.npsn)
        return domain.pilih_praktik_kinerja(r, a, sub_indikator_id, rapor, now=now)
    return _ubah(uow, email, rencana_id, versi, langkah)


def atur_pengembangan(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int,
                      items: Sequence[domain.InputPengembangan], now: datetime) -> Rencana:
    return _ubah(uow, email, rencana_id, versi,
                 lambda tx, r, a: domain.atur_pengembangan_kompetensi(r, a, items, now=now))


def atur_tugas_tambahan(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int,
                        items: Sequence[domain.InputTugasTambahan], now: datetime) -> Rencana:
    return _ubah(uow, email, rencana_id, versi, lambda tx, r, a: domain.atur_tugas_tambahan(r, a, items, now=now))


def atur_perilaku(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int, nilai_ids: Sequence[str],
                  now: datetime) -> Rencana:
    return _ubah(uow, email, rencana_id, versi, lambda tx, r, a: domain.atur_perilaku_kerja(r, a, nilai_ids, now=now))


def simpan_rangkuman(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int, rangkuman: str | None,
                     now: datetime) -> Rencana:
    return _ubah(uow, email, rencana_id, versi, lambda tx, r, a: domain.simpan_rangkuman(r, a, rangkuman, now=now))


def ajukan(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int, now: datetime) -> Rencana:
    """'Lanjut Ajukan' (P3): to the definitive atasan; approved by the system under a Plt. only;
    refused with "Data atasan Anda tidak ditemukan" and what the operator must fix when there is none."""
    def langkah(tx: Tx, r: Rencana, a: str) -> Rencana:
        ptk = repo.baca_ptk(tx, r.ptk_id)
        if ptk is None:  # pragma: no cover - a plan exists only for a known PTK
            raise NotFound("ptk_tidak_ditemukan", "Data PTK Anda belum tersedia dari Dapodik.")
        # the SKP sebagai Plt. is assessed at the school led, the own cycle at the sekolah induk
        sekolah = akses.sekolah_wajib(tx, r.npsn if r.plt else ptk.npsn_induk)
        dinas = akses.dinas_penilai(tx, r.jabatan, ptk.ptk_id, sekolah)
        atasan = tentukan_atasan(ptk, sekolah, dinas, sebagai_plt=r.plt)
        baru = domain.ajukan(r, a, atasan, now=now)
        if baru.status is StatusRencana.DISETUJUI:
            mulai_pelaksanaan(tx, baru, now)
        return baru
    return _ubah(uow, email, rencana_id, versi, langkah)


def _sebagai_atasan(rencana: Rencana, aktor: akses.Aktor) -> str:
    """The caller's id the plan records as atasan (a delegated pengawas with a PTK record, P14)."""
    return rencana.atasan.id if rencana.atasan is not None and rencana.atasan.id in aktor.ids else aktor.id


def _keputusan_atasan(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int,
                      putus: Callable[[Rencana, str], Rencana], now: datetime) -> Rencana:
    def work(tx: Tx) -> Rencana:
        aktor = akses.kenali(tx, email, repo.rencana_repo.ref(tx, rencana_id))
        rencana = _rencana_wajib(tx, rencana_id)
        aktor_id = _sebagai_atasan(rencana, aktor)
        domain.pastikan_atasan(rencana, aktor_id)  # only the recorded atasan learns the version
        repo.pastikan_versi(rencana, versi)
        baru = putus(rencana, aktor_id)
        _kabarkan_tahap(tx, rencana, baru, now)
        if baru.status is StatusRencana.DISETUJUI:
            mulai_pelaksanaan(tx, baru, now)
        return repo.rencana_repo.put(tx, baru)
    return uow.run(work)


def setujui(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int, catatan: str | None,
            now: datetime) -> Rencana:
    return _keputusan_atasan(uow, email, rencana_id, versi,
                             lambda r, a: domain.setujui(r, a, now=now, catatan=catatan), now)


def kembalikan(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int, catatan: str,
               now: datetime) -> Rencana:
    return _keputusan_atasan(uow, email, rencana_id, versi, lambda r, a: domain.kembalikan(r, a, catatan, now=now),
                             now)


def payload_disepakati(rencana: Rencana, nama_sekolah: str, nip_atasan: str | None) -> RencanaDisepakati:
    """The sync contract filled from the domain's ``data_sinkron`` (S1)."""
    d = domain.data_sinkron(rencana)
    return RencanaDisepakati(
        rencana_id=d.rencana_id, ptk_id=d.ptk_id, nip=d.nip, periode=d.periode, npsn=d.npsn,
        nama_sekolah=nama_sekolah, jabatan=d.jabatan.value,
        atasan=AtasanData(jenis=d.atasan.jenis.value, ptk_id=d.atasan.id, nip=nip_atasan, npsn=d.atasan.npsn,
                          dinas_id=d.atasan.dinas_id),
        rhk=[RhkData(urutan=x.urutan, jenis=x.jenis.value, teks=x.teks, indikator=x.indikator, poin=x.poin)
             for x in d.rhk],
        perilaku=[PerilakuData(id=x.id, nama=x.nama) for x in d.perilaku],
        disepakati_pada=d.disepakati_pada, versi=d.versi_rencana, plt=rencana.plt)


def sepakati(uow: UnitOfWork, email: str | None, rencana_id: str, versi: int, now: datetime) -> Rencana:
    """The owner agrees: the plan is the SKP; ``kinerja.rencana.disepakati`` goes out with the commit."""
    def langkah(tx: Tx, r: Rencana, a: str) -> Rencana:
        sekolah = akses.sekolah_wajib(tx, r.npsn)
        nip_atasan = None
        if r.atasan is not None and r.atasan.jenis.value in ("kepala_sekolah", "plt_kepala_sekolah"):
            atasan_ptk = repo.baca_ptk(tx, r.atasan.id)
            nip_atasan = atasan_ptk.nip if atasan_ptk else None
        baru = domain.sepakati(r, a, now=now)
        ptk = repo.baca_ptk(tx, baru.ptk_id)
        if ptk is not None and ptk.is_asn:  # a non-ASN's SKP stays in PMM (P1): nothing for e-Kinerja
            tx.emit(make_event("kinerja", "kinerja.rencana.disepakati",
                               payload_disepakati(baru, sekolah.nama, nip_atasan), subject=f"rencana/{baru.rencana_id}"))
        return baru
    return _ubah(uow, email, rencana_id, versi, langkah)


@dataclass(frozen=True)
class RencanaTerbaca:
    rencana: Rencana
    peran: str  # pemilik, atasan, kepala_sekolah
    rapor: RaporPendidikan | None = None


def lihat(uow: UnitOfWork, email: str | None, rencana_id: str, dengan_rapor: bool = False) -> RencanaTerbaca:
    """The owner, the atasan recorded on it, or the school's principal / Plt. may read a plan."""
    def work(tx: Tx) -> RencanaTerbaca:
        aktor = akses.kenali(tx, email, repo.rencana_repo.ref(tx, rencana_id))
        rencana = _rencana_wajib(tx, rencana_id)
        if aktor.id == rencana.ptk_id:
            peran = "pemilik"
        elif rencana.atasan is not None and rencana.atasan.id in aktor.ids:
            peran = "atasan"
        else:
            sekolah = repo.sekolah_repo.get(tx, rencana.npsn)
            if sekolah is None or not akses.memimpin(sekolah, aktor):
                raise Forbidden("tidak_berhak_melihat",
                                "Rencana ini hanya dapat dilihat oleh pemiliknya dan atasannya.")
            peran = "kepala_sekolah"
        rapor = repo.rapor_repo.get(tx, rencana.npsn) if dengan_rapor else None
        return RencanaTerbaca(rencana, peran, rapor)
    return uow.run(work)


def kotak_masuk(uow: UnitOfWork, email: str | None) -> list[Rencana]:
    """Plans waiting for the caller's decision (kepala sekolah for guru, Kepala Dinas for principals)."""
    def work(tx: Tx) -> list[Rencana]:
        aktor = akses.kenali(tx, email)
        hasil: list[Rencana] = []
        for aktor_id in aktor.ids:  # one id, or a PTK who is also a pengawas / Kepala Dinas (P14)
            q = (tx.collection("rencana").where(filter=FieldFilter("atasan.id", "==", aktor_id))
                 .where(filter=FieldFilter("status", "==", StatusRencana.DIAJUKAN.value)).limit(500))
            hasil += [Rencana.model_validate({k: v for k, v in d.items() if k != "_id"}) for d in tx.query(q)]
        return hasil
    return uow.run(work)


def pilihan_praktik(uow: UnitOfWork, email: str | None, rencana_id: str) -> tuple[Any, ...]:
    r = lihat(uow, email, rencana_id, dengan_rapor=True)
    return domain.daftar_pilihan_praktik(r.rencana.jabatan, r.rapor)
