"""The principal's view of the school (P3-P8).

One query for the school's teachers (PTK records whose sekolah induk is the
school), then four batched reads (cycles, plans, observations, ratings by the
deterministic cycle ids of the period): 1 + 1 + N + 4N reads for N teachers.
Each row says the teacher's stage and what waits on the caller (the Penilaian stage adds
the assessment stages: ``penilaian_draf``, ``penilaian_dikirim`` and the task
``beri_penilaian``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from google.cloud.firestore_v1.base_query import FieldFilter

from kinerja.domain import siklus as siklus_domain
from kinerja.domain.observasi import Pelaksanaan
from kinerja.domain.penilaian import PenilaianKinerja
from kinerja.domain.referensi import Ptk
from kinerja.domain.rencana import Rencana, StatusRencana
from kinerja.domain.siklus import Siklus, StatusSiklus
from kinerja.service import akses, repo
from shared.firestore import Tx, UnitOfWork


@dataclass(frozen=True)
class BarisGuru:
    ptk: Ptk
    siklus: Siklus | None
    rencana: Rencana | None
    pelaksanaan: Pelaksanaan | None
    tahap: str
    menunggu_saya: tuple[str, ...] = field(default=())
    penilaian: PenilaianKinerja | None = None


def tahap_dan_tugas(siklus: Siklus | None, rencana: Rencana | None, pel: Pelaksanaan | None,
                    aktor_id: str, penilaian: PenilaianKinerja | None = None) -> tuple[str, tuple[str, ...]]:
    """(stage of the teacher, what waits on the principal ``aktor_id``)."""
    if siklus is not None and siklus.status is StatusSiklus.AKTIF and penilaian is not None:
        return ("penilaian_dikirim", ()) if penilaian.terkirim else ("penilaian_draf", ("kirim_ke_dinas",))
    if siklus is None or rencana is None:
        return "belum_memulai", ()
    if siklus.status is not StatusSiklus.AKTIF:
        return "siklus_ditutup", ()
    if rencana.status in (StatusRencana.DRAF, StatusRencana.DIKEMBALIKAN):
        return f"perencanaan_{rencana.status.value}", ()
    if rencana.status is StatusRencana.DIAJUKAN:
        saya = rencana.atasan is not None and rencana.atasan.id == aktor_id
        return "menunggu_persetujuan_rencana", ("tinjau_rencana",) if saya else ()
    tugas: list[str] = []
    if rencana.status is StatusRencana.DISETUJUI:
        tahap = "menunggu_kesepakatan_guru"
    else:
        tahap = "pelaksanaan"
    if pel is not None:
        aktif = pel.langkah_aktif
        if aktif is None:
            return "pelaksanaan_selesai", ("beri_penilaian",) if rencana.status is StatusRencana.DISEPAKATI else ()
        if tahap == "pelaksanaan":
            tahap = f"pelaksanaan_{aktif.value}"
        if pel.persiapan is not None and pel.persiapan.dikumpulkan and pel.jadwal is None:
            tugas.append("sepakati_jadwal_observasi")
        elif pel.jadwal is not None and pel.observasi is None:
            tugas.append("catat_observasi_kelas")
        if pel.refleksi is not None and pel.refleksi.dikumpulkan and pel.penilaian_tindak_lanjut is None:
            tugas.append("nilai_tindak_lanjut")
    if rencana.status is StatusRencana.DISEPAKATI and (pel is None or pel.langkah_aktif is None):
        tugas.append("beri_penilaian")
    return tahap, tuple(tugas)


def daftar_guru(uow: UnitOfWork, email: str | None, npsn: str, periode: str) -> list[BarisGuru]:
    p = siklus_domain.parse_periode(periode)

    def work(tx: Tx) -> list[BarisGuru]:
        aktor = akses.kenali(tx, email)
        sekolah = akses.sekolah_wajib(tx, npsn)
        akses.pastikan_memimpin(sekolah, aktor)
        docs = tx.query(tx.collection(repo.PTK).where(filter=FieldFilter("npsn_induk", "==", npsn)).limit(1000))
        ptks = sorted((repo.ptk_dari_dokumen(d) for d in docs if "data" in d), key=lambda x: (x.nama, x.ptk_id))
        ptks = [x for x in ptks if x is not None and x.ptk_id != aktor.ptk_id]
        ids = [siklus_domain.siklus_id(x.ptk_id, p) for x in ptks]
        siklus = tx.get_many(repo.siklus_repo.ref(tx, i) for i in ids)
        rencana = tx.get_many(repo.rencana_repo.ref(tx, i) for i in ids)
        pel = tx.get_many(repo.pelaksanaan_repo.ref(tx, i) for i in ids)
        nilai = tx.get_many(repo.penilaian_repo.ref(tx, i) for i in ids)
        hasil = []
        for x, i in zip(ptks, ids):
            s = Siklus.model_validate(siklus[i]) if siklus.get(i) else None
            r = Rencana.model_validate(rencana[i]) if rencana.get(i) else None
            o = Pelaksanaan.model_validate(pel[i]) if pel.get(i) else None
            n = PenilaianKinerja.model_validate(nilai[i]) if nilai.get(i) else None
            tahap, tugas = tahap_dan_tugas(s, r, o, aktor.id, n)
            hasil.append(BarisGuru(x, s, r, o, tahap, tugas, n))
        return hasil
    return uow.run(work)
