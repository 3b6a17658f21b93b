"""Predikat Kinerja use cases: the Kepala Dinas's view and organisation predicate, the
principal's teacher predicates against the curve, the principal's own predicate (P12, P14).

Decisions:
- The Kepala Dinas is whoever the Dinas record names (``Dinas.kepala_dinas_id``,
  topic ``referensi.dinas.diperbarui``); they see and decide only schools whose
  ``dinas_id`` is their Dinas.
- The organisation predicate needs data sent by the school (SRC-BIMTEK-MAPPI). It can be
  changed while nothing depends on it; once the principal set teacher predicates,
  or the principal's own rating (whose Rating Hasil Kerja it is) exists, it is
  locked (409 ``predikat_organisasi_terkunci``).
- Teacher predicates are set as one set per school and period (document
  ``penetapan_predikat/<npsn>_<periode>``, its own ``versi``): the set covers every
  teacher whose rating was sent; an entry without ``predikat`` takes the matrix
  pre-fill; another predicate needs a reason; the whole set must meet the curve
  of the organisation predicate, else 422 ``kurva_distribusi_tidak_terpenuhi``
  naming every violated bound with its counts. Teachers sent in a later batch are
  added by setting the set again (entries already set may be left out: they stay).
- Each new or changed predicate is written to ``predikat/<siklus_id>`` with
  ``versi`` + 1 (1 the first time) and publishes ``kinerja.predikat.ditetapkan``
  through the outbox in the same commit; an unchanged entry publishes nothing.
- No curve applies to a principal's own predicate: the curve is the school's
  (its teachers); the principal belongs to the Dinas's organisation, whose
  predicate is not in PMM's data.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.cloud.firestore_v1.base_query import FieldFilter

from kinerja.domain import siklus as siklus_domain
from kinerja.domain.observasi import PejabatPenilai, pastikan_penilai
from kinerja.domain.penilaian import PengirimanDinas, PenilaianKinerja
from kinerja.domain.predikat import (
    LABEL_PREDIKAT_ORGANISASI,
    Predikat,
    PredikatKinerjaOrganisasi,
    PredikatKinerjaPegawai,
    PredikatOrganisasi,
    periksa_kurva,
    tetapkan_predikat_pegawai,
)
from kinerja.domain.referensi import Dinas, Jabatan, Ptk, Sekolah, dinilai_dinas
from kinerja.domain.siklus import Periode
from kinerja.service import akses, repo
from kinerja.service.penilaian import (
    baca_penilaian,
    cek_versi,
    memimpin_sekolah,
    pastikan_masa_penilaian,
    penilai_siklus,
)
from shared.contracts.kinerja import PredikatDitetapkan
from shared.errors import Conflict, DomainError, Forbidden, NotFound
from shared.events import make_event
from shared.firestore import Tx, UnitOfWork


# ------------------------------------------------------------------ Kepala Dinas
def _kepala_dinas(tx: Tx, aktor: akses.Aktor) -> Dinas:
    tolak = Forbidden("bukan_kepala_dinas",
                      "Hanya Kepala Dinas Pendidikan yang berwenang yang dapat melihat dan menetapkan Predikat Kinerja "
                      "Organisasi satuan pendidikan.")
    if aktor.kepala_dinas_id is None or aktor.dinas_id is None:
        raise tolak
    dinas = repo.baca_dinas(tx, aktor.dinas_id)
    if dinas is None or dinas.kepala_dinas_id != aktor.kepala_dinas_id:
        raise tolak
    return dinas


def _sekolah_wilayah(tx: Tx, dinas: Dinas, npsn: str) -> Sekolah:
    sekolah = akses.sekolah_wajib(tx, npsn)
    if sekolah.dinas_id != dinas.dinas_id:
        raise Forbidden("sekolah_di_luar_kewenangan",
                        "Sekolah ini tidak berada di bawah Dinas Pendidikan Anda.", npsn=npsn)
    return sekolah


@dataclass(frozen=True)
class BarisSekolahDinas:
    sekolah: Sekolah
    pengiriman: PengirimanDinas | None
    predikat_organisasi: PredikatKinerjaOrganisasi | None


def daftar_sekolah_dinas(uow: UnitOfWork, email: str | None, periode: str) -> tuple[Dinas, list[BarisSekolahDinas]]:
    """The schools of the Kepala Dinas's district with what they sent and their organisation predicate (P12)."""
    p = siklus_domain.parse_periode(periode)

    def work(tx: Tx):
        dinas = _kepala_dinas(tx, akses.kenali(tx, email))
        docs = tx.query(tx.collection(repo.sekolah_repo.collection)
                        .where(filter=FieldFilter("dinas_id", "==", dinas.dinas_id)).limit(2000))
        sekolah = sorted((Sekolah.model_validate({k: v for k, v in d.items() if k != "_id"}) for d in docs
                          if "npsn" in d), key=lambda s: (s.nama, s.npsn))
        ids = [repo.sekolah_periode_id(s.npsn, p.id) for s in sekolah]
        kiriman = tx.get_many(repo.pengiriman_repo.ref(tx, i) for i in ids)
        org = tx.get_many(repo.predikat_organisasi_repo.ref(tx, i) for i in ids)
        return dinas, [BarisSekolahDinas(s, PengirimanDinas.model_validate(kiriman[i]) if kiriman.get(i) else None,
                                         PredikatKinerjaOrganisasi.model_validate(org[i]) if org.get(i) else None)
                       for s, i in zip(sekolah, ids)]
    return uow.run(work)


@dataclass(frozen=True)
class DataSekolahDinas:
    sekolah: Sekolah
    periode: Periode
    pengiriman: PengirimanDinas | None
    penilaian: list[tuple[Ptk | None, PenilaianKinerja]]
    predikat_organisasi: PredikatKinerjaOrganisasi | None


def data_sekolah_untuk_dinas(uow: UnitOfWork, email: str | None, npsn: str, periode: str) -> DataSekolahDinas:
    """The assessment data a school sent, for its Kepala Dinas (P12)."""
    p = siklus_domain.parse_periode(periode)

    def work(tx: Tx) -> DataSekolahDinas:
        dinas = _kepala_dinas(tx, akses.kenali(tx, email))
        sekolah = _sekolah_wilayah(tx, dinas, npsn)
        pid = repo.sekolah_periode_id(npsn, p.id)
        pengiriman = repo.pengiriman_repo.get(tx, pid)
        org = repo.predikat_organisasi_repo.get(tx, pid)
        ids = sorted({i for k in (pengiriman.kiriman if pengiriman else ()) for i in k.pegawai_ids})
        penilaian = baca_penilaian(tx, ids, p)
        ptk = repo.baca_banyak_ptk(tx, ids) if ids else {}
        baris = [(ptk.get(i), penilaian[i]) for i in ids if i in penilaian]
        return DataSekolahDinas(sekolah, p, pengiriman, baris, org)
    return uow.run(work)


def tetapkan_predikat_organisasi(uow: UnitOfWork, email: str | None, npsn: str, periode: str, versi: int,
                                 predikat: PredikatOrganisasi, now: datetime) -> PredikatKinerjaOrganisasi:
    """The Kepala Dinas sets the school's Predikat Kinerja Organisasi after the school sent its data (P12)."""
    p = siklus_domain.parse_periode(periode)

    def work(tx: Tx) -> PredikatKinerjaOrganisasi:
        aktor = akses.kenali(tx, email)
        dinas = _kepala_dinas(tx, aktor)
        sekolah = _sekolah_wilayah(tx, dinas, npsn)
        pid = repo.sekolah_periode_id(npsn, p.id)
        lama = repo.predikat_organisasi_repo.get(tx, pid)
        cek_versi(lama.versi if lama else None, versi)
        pastikan_masa_penilaian(p, now)
        pengiriman = repo.pengiriman_repo.get(tx, pid)
        if lama is not None:
            penetapan = tx.get(tx.ref(repo.PENETAPAN, pid)) or {}
            ks = sekolah.kepala_sekolah_ptk_id
            ks_dinilai = ks is not None and repo.penilaian_repo.get(tx, siklus_domain.siklus_id(ks, p)) is not None
            if penetapan.get("entri") or ks_dinilai:
                raise Conflict("predikat_organisasi_terkunci",
                               "Predikat Kinerja Organisasi sekolah ini sudah dipakai: kepala sekolah sudah menetapkan "
                               "Predikat Kinerja guru atau kepala sekolahnya sudah dinilai. Predikat ini tidak dapat "
                               "diubah lagi pada periode ini.")
        baru = PredikatKinerjaOrganisasi.tetapkan(
            id=pid, sekolah_id=npsn, periode_id=p.id, predikat=predikat, aktor_id=aktor.id,
            kepala_dinas=PejabatPenilai(definitif_id=dinas.kepala_dinas_id),
            data_penilaian_diterima=pengiriman is not None and pengiriman.sudah_pernah_dikirim, now=now)
        return repo.predikat_organisasi_repo.put(tx, baru.model_copy(update={"versi": (lama.versi if lama else 0) + 1}))
    return uow.run(work)


# ------------------------------------------------------------------ events
def payload_predikat(pr: PredikatKinerjaPegawai, ptk: Ptk | None, jabatan: str, plt: bool = False) -> PredikatDitetapkan:
    return PredikatDitetapkan(plt=plt,
        predikat_id=pr.id, ptk_id=pr.pegawai_id, nip=ptk.nip if ptk else None, periode=pr.periode_id,
        npsn=pr.sekolah_id, jabatan=jabatan, rating_hasil_kerja=pr.rating_hasil_kerja.value,
        rating_perilaku_kerja=pr.rating_perilaku_kerja.value, predikat=pr.predikat.value,
        predikat_organisasi=pr.predikat_organisasi.value, ditetapkan_pada=pr.ditetapkan_pada, versi=pr.versi,
        predikat_matriks=pr.predikat_matriks.value, disesuaikan=pr.disesuaikan)


def _terbitkan(tx: Tx, pr: PredikatKinerjaPegawai, ptk: Ptk | None, jabatan: str, plt: bool = False) -> None:
    if ptk is not None and not ptk.is_asn:
        return  # a non-ASN's predicate stays in PMM (P1): nothing for e-Kinerja
    tx.emit(make_event("kinerja", "kinerja.predikat.ditetapkan", payload_predikat(pr, ptk, jabatan, plt),
                       subject=f"predikat/{pr.id}"))


# ------------------------------------------------------------------ teacher predicates (P12)
@dataclass(frozen=True)
class IsianPredikat:
    pegawai_id: str
    predikat: Predikat | None = None  # None: the matrix pre-fill
    alasan_penyesuaian: str | None = None


def _entri(pr: PredikatKinerjaPegawai) -> dict[str, Any]:
    return {"predikat": pr.predikat.value, "predikat_matriks": pr.predikat_matriks.value,
            "alasan_penyesuaian": pr.alasan_penyesuaian, "predikat_organisasi": pr.predikat_organisasi.value,
            "versi": pr.versi, "ditetapkan_pada": pr.ditetapkan_pada.isoformat()}


@dataclass(frozen=True)
class HasilPenetapan:
    entri: dict[str, dict[str, Any]]
    versi: int
    berubah: tuple[str, ...]  # pegawai whose predicate was published now
    predikat_organisasi: PredikatOrganisasi


def tetapkan_predikat_guru(uow: UnitOfWork, email: str | None, npsn: str, periode: str, versi: int,
                           isian: list[IsianPredikat], now: datetime) -> HasilPenetapan:
    """The principal sets the teachers' predicates as one set that must meet the curve (P12)."""
    p = siklus_domain.parse_periode(periode)

    def work(tx: Tx) -> HasilPenetapan:
        aktor = akses.kenali(tx, email)
        sekolah = akses.sekolah_wajib(tx, npsn)
        akses.pastikan_memimpin(sekolah, aktor)
        pid = repo.sekolah_periode_id(npsn, p.id)
        doc = tx.get(tx.ref(repo.PENETAPAN, pid)) or {}
        cek_versi(doc.get("versi"), versi)
        pastikan_masa_penilaian(p, now)
        org = repo.predikat_organisasi_repo.get(tx, pid)
        if org is None:
            raise DomainError("predikat_organisasi_belum_ada",
                              "Predikat Kinerja Guru dapat ditetapkan setelah Kepala Dinas Pendidikan menetapkan "
                              "Predikat Kinerja Organisasi satuan pendidikan Anda.")
        pengiriman = repo.pengiriman_repo.get(tx, pid)
        terkirim = sorted({i for k in (pengiriman.kiriman if pengiriman else ()) for i in k.pegawai_ids})
        diminta: dict[str, IsianPredikat] = {}
        for e in isian:
            if e.pegawai_id in diminta:
                raise DomainError("pegawai_ganda_dalam_isian", "Setiap guru hanya boleh muncul sekali.",
                                  pegawai_id=e.pegawai_id)
            diminta[e.pegawai_id] = e
        asing = sorted(set(diminta) - set(terkirim))
        if asing:
            raise DomainError("penilaian_belum_dikirim",
                              "Predikat hanya dapat ditetapkan untuk guru yang penilaiannya sudah dikirim ke Dinas "
                              "Pendidikan. Kirim penilaian guru berikut terlebih dahulu.", pegawai_ids=asing)
        penilaian = baca_penilaian(tx, terkirim, p)
        lama: dict[str, dict[str, Any]] = doc.get("entri", {})
        entri: dict[str, dict[str, Any]] = {}
        berubah: list[PredikatKinerjaPegawai] = []
        belum: list[str] = []
        for i in terkirim:
            if i not in diminta:
                if i in lama:
                    entri[i] = lama[i]
                else:
                    belum.append(i)
                continue
            pn = penilaian[i]
            pr = tetapkan_predikat_pegawai(
                id=pn.id, aktor_id=aktor.id, penilai=akses.penilai_untuk(Jabatan.GURU, i, sekolah, None),
                penilaian=pn, predikat_organisasi=org.predikat, now=now, predikat=diminta[i].predikat,
                alasan_penyesuaian=diminta[i].alasan_penyesuaian)
            sebelum = lama.get(i)
            if sebelum and (sebelum["predikat"], sebelum.get("alasan_penyesuaian"), sebelum["predikat_organisasi"]) \
                    == (pr.predikat.value, pr.alasan_penyesuaian, pr.predikat_organisasi.value):
                entri[i] = sebelum
                continue
            pr = pr.model_copy(update={"versi": (sebelum["versi"] if sebelum else 0) + 1})
            berubah.append(pr)
            entri[i] = _entri(pr)
        if belum:
            raise DomainError("predikat_belum_lengkap",
                              "Tetapkan Predikat Kinerja untuk setiap guru yang penilaiannya sudah dikirim (isian "
                              "kosong memakai predikat hasil rating).", pegawai_ids=belum)
        # non-ASN teachers may be rated (P1) but the curve is the regulation's for ASN (P12)
        pelanggaran = periksa_kurva(org.predikat, [Predikat(e["predikat"]) for i, e in entri.items()
                                                   if i not in penilaian or penilaian[i].asn])
        if pelanggaran:
            raise DomainError(
                "kurva_distribusi_tidak_terpenuhi",
                f"Sebaran Predikat Kinerja guru belum memenuhi kurva distribusi untuk Predikat Kinerja Organisasi "
                f"{LABEL_PREDIKAT_ORGANISASI[org.predikat]}: " + "; ".join(v.pesan for v in pelanggaran) + ". "
                "Sesuaikan predikat (dengan alasan) lalu tetapkan lagi.",
                predikat_organisasi=org.predikat.value,
                pelanggaran=[v.model_dump(mode="json") for v in pelanggaran])
        ptk = repo.baca_banyak_ptk(tx, [pr.pegawai_id for pr in berubah]) if berubah else {}
        # --- writes
        for pr in berubah:
            repo.predikat_repo.put(tx, pr)
            orang = ptk.get(pr.pegawai_id)
            _terbitkan(tx, pr, orang, orang.jabatan.value if orang else Jabatan.GURU.value)
        baru_versi = doc.get("versi", 0) + 1
        tx.set(tx.ref(repo.PENETAPAN, pid), {"npsn": npsn, "periode": p.id, "predikat_organisasi": org.predikat.value,
                                             "entri": entri, "versi": baru_versi, "ditetapkan_oleh": aktor.id,
                                             "diperbarui_pada": now})
        return HasilPenetapan(entri, baru_versi, tuple(pr.pegawai_id for pr in berubah), org.predikat)
    return uow.run(work)


# ------------------------------------------------------------------ the principal's own predicate (P14)
def tetapkan_predikat_kepala_sekolah(uow: UnitOfWork, email: str | None, siklus_id: str, versi: int,
                                     predikat: Predikat | None, alasan: str | None,
                                     now: datetime) -> PredikatKinerjaPegawai:
    """The Kepala Dinas (or delegated pengawas) sets a principal's predicate: matrix of the school's
    result (Rating Hasil Kerja) and their own Rating Perilaku Kerja; publishes the event."""
    def work(tx: Tx) -> PredikatKinerjaPegawai:
        aktor = akses.kenali(tx, email)
        siklus = repo.siklus_repo.get(tx, siklus_id)
        if siklus is None:
            raise NotFound("siklus_tidak_ditemukan", "Siklus kinerja pegawai ini tidak ditemukan.")
        sekolah = akses.sekolah_wajib(tx, siklus.npsn)
        if not dinilai_dinas(siklus.jabatan, siklus.ptk_id, sekolah):  # principal, Plt. (both cycles)
            raise DomainError("bukan_siklus_kepala_sekolah",
                              "Predikat Kinerja guru ditetapkan oleh kepala sekolah sebagai satu set di halaman "
                              "Penilaian Kinerja sekolah.")
        penilai = penilai_siklus(tx, siklus, sekolah)
        aktor_id = aktor.sebagai_penilai(penilai)  # a delegated pengawas sets it too (P14)
        pastikan_penilai(siklus.ptk_id, aktor_id, penilai)
        lama = repo.predikat_repo.get(tx, siklus_id)
        cek_versi(lama.versi if lama else None, versi)
        pastikan_masa_penilaian(siklus.periode, now)
        pn = repo.penilaian_repo.get(tx, siklus_id)
        if pn is None:
            raise DomainError("penilaian_belum_ada", "Beri Rating Perilaku Kerja kepala sekolah ini terlebih dahulu.")
        org = repo.predikat_organisasi_repo.get(tx, repo.sekolah_periode_id(siklus.npsn, siklus.periode))
        ptk = repo.baca_ptk(tx, siklus.ptk_id)
        pr = tetapkan_predikat_pegawai(id=siklus_id, aktor_id=aktor_id, penilai=penilai, penilaian=pn,
                                       predikat_organisasi=org.predikat if org else None, now=now, predikat=predikat,
                                       alasan_penyesuaian=alasan, pimpinan=memimpin_sekolah(siklus, sekolah),
                                       langsung=True)
        pr = pr.model_copy(update={"versi": (lama.versi if lama else 0) + 1})
        repo.predikat_repo.put(tx, pr)
        pimpinan = memimpin_sekolah(siklus, sekolah)
        _terbitkan(tx, pr, ptk, Jabatan.KEPALA_SEKOLAH.value if pimpinan else siklus.jabatan.value, siklus.plt)
        return pr
    return uow.run(work)
