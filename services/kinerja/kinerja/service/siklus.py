"""Opening a cycle (P1, P14, P15) and the principal's confirmation of period 2.

``buka_siklus`` is idempotent: the cycle id is derived from (ptk_id, periode),
so a retry, a second tab or a second account of the same person lands on the
same cycle and the same (empty) plan.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kinerja.domain import rencana as rencana_domain
from kinerja.domain import siklus as siklus_domain
from kinerja.domain.rencana import Rencana
from kinerja.domain.siklus import Siklus
from kinerja.service import akses, repo
from kinerja.domain.observasi import Pelaksanaan
from shared.errors import Conflict, Forbidden, NotFound
from shared.firestore import Tx, UnitOfWork


@dataclass(frozen=True)
class SiklusDibuka:
    siklus: Siklus
    rencana: Rencana
    baru: bool


def buka_siklus(uow: UnitOfWork, email: str | None, periode: str, now: datetime,
                plt_npsn: str | None = None) -> SiklusDibuka:
    """The caller's own cycle; with ``plt_npsn`` their SKP sebagai Plt. Kepala Sekolah of that school
    (a separate cycle per school led, P14; the own teacher cycle stays)."""
    p = siklus_domain.parse_periode(periode)

    def work(tx: Tx) -> SiklusDibuka:
        aktor = akses.kenali(tx, email)
        ptk = akses.ptk_saya(tx, aktor)
        sid = siklus_domain.siklus_id(ptk.ptk_id, p, plt_npsn)
        siklus, rencana = repo.siklus_repo.get(tx, sid), repo.rencana_repo.get(tx, sid)
        if siklus is not None and rencana is not None:
            return SiklusDibuka(siklus, rencana, False)
        sekolah = akses.sekolah_wajib(tx, plt_npsn or ptk.npsn_induk)
        dikonfirmasi = True
        if siklus_domain.perlu_konfirmasi_kepala_sekolah(p):
            dikonfirmasi = tx.get(tx.ref(repo.KONFIRMASI, repo.konfirmasi_id(sekolah.npsn, p.id))) is not None
        if plt_npsn is not None:
            siklus = siklus or siklus_domain.buka_siklus_plt(ptk, sekolah.npsn, sekolah.plt_ptk_id, p, now=now,
                                                             dikonfirmasi_kepala_sekolah=dikonfirmasi)
        siklus = siklus or siklus_domain.buka_siklus(ptk, p, now=now, dikonfirmasi_kepala_sekolah=dikonfirmasi)
        rencana = rencana_domain.buat_rencana(siklus, ptk, sekolah.jenjang, now=now)
        repo.siklus_repo.put(tx, siklus)
        repo.rencana_repo.put(tx, rencana)
        return SiklusDibuka(siklus, rencana, True)

    return uow.run(work)


@dataclass(frozen=True)
class SiklusLengkap:
    siklus: Siklus
    rencana: Rencana | None
    pelaksanaan: Pelaksanaan | None


def siklus_saya(uow: UnitOfWork, email: str | None, periode: str, plt_npsn: str | None = None) -> SiklusLengkap:
    """The caller's own cycle of a period (or their SKP sebagai Plt. of ``plt_npsn``), its plan and
    observation (a teacher sees only their own)."""
    p = siklus_domain.parse_periode(periode)

    def work(tx: Tx) -> SiklusLengkap:
        aktor = akses.kenali(tx, email)
        if aktor.ptk_id is None:
            raise Forbidden("bukan_ptk", "Fitur ini untuk guru dan kepala sekolah yang terdaftar di Dapodik.")
        sid = siklus_domain.siklus_id(aktor.ptk_id, p, plt_npsn)
        siklus = repo.siklus_repo.get(tx, sid)
        if siklus is None:
            raise NotFound("siklus_belum_dibuka",
                           f"Anda belum memulai Pengelolaan Kinerja periode {p.nama}. Mulai dari Perencanaan Kinerja.",
                           periode=p.id)
        return SiklusLengkap(siklus, repo.rencana_repo.get(tx, sid), repo.pelaksanaan_repo.get(tx, sid))

    return uow.run(work)


def konfirmasi_periode(uow: UnitOfWork, email: str | None, npsn: str, periode: str, now: datetime) -> dict:
    """The school's principal (definitif or Plt.) opens period 2 for the school's teachers (P1)."""
    p = siklus_domain.parse_periode(periode)
    if not siklus_domain.perlu_konfirmasi_kepala_sekolah(p):
        raise Conflict("periode_tidak_perlu_konfirmasi",
                       f"Periode {p.nama} dimulai tanpa konfirmasi Kepala Sekolah.", periode=p.id)

    def work(tx: Tx) -> dict:
        aktor = akses.kenali(tx, email)
        sekolah = akses.sekolah_wajib(tx, npsn)
        akses.pastikan_memimpin(sekolah, aktor)
        ref = tx.ref(repo.KONFIRMASI, repo.konfirmasi_id(npsn, p.id))
        ada = tx.get(ref)
        if ada is not None:
            return ada
        siklus_domain.pastikan_periode_terbuka(p, siklus_domain.tanggal_lokal(now))
        doc = {"npsn": npsn, "periode": p.id, "oleh": aktor.id, "pada": now.isoformat()}
        tx.create(ref, doc)
        return doc

    return uow.run(work)
