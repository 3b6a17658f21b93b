"""Penilaian Kinerja use cases: ratings, the school's Data Penilaian page, the send to the Dinas (P10, P11, P14).

Rules live in ``domain.penilaian`` / ``domain.predikat``; here each user action is
one transaction: identity, the documents it needs (reads first), the domain
decision, the writes.

Decisions recorded here:
- ``versi`` in a body is the version the client read; a document that does not
  exist yet reads as version 0, and a stored assessment document always has
  ``versi >= 1``. So two principals (or tabs) creating the same rating both send
  0: the first creates it, the second gets 409 ``versi_tidak_cocok``.
- Ratings (P10) are given in the ``penilaian`` window of ``data/jadwal.json``
  (June; December for Juli-Desember) to a pegawai whose plan is agreed, by their
  Pejabat Penilai resolved from the reference data now. Competence points are
  copied next to the ratings for display; nothing reads them in a rule.
- A principal's own cycle (P14) is rated by the Kepala Dinas or the pengawas
  delegated by decree: only the Rating Perilaku Kerja is chosen; the Rating
  Hasil Kerja is the school's Predikat Kinerja Organisasi (``RATING_HASIL_KERJA_PIMPINAN``),
  so it can be rated only after the Kepala Dinas set that predicate, and it is
  locked once the principal's predicate is set.
- The school's staff list is every PTK whose sekolah induk is the school, except
  the principal (rated by the Dinas) and the caller. Inactive (Dapodik status
  pensiun / meninggal / mutasi) and duplicated entries are flagged with the fix
  (``periksa_data_pegawai``) and held out of a batch.
- Sending, the organisation predicate and teacher predicates are done in the
  same ``penilaian`` window; a closed period is read-only (``periode_ditutup``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from google.cloud.firestore_v1.base_query import FieldFilter

from kinerja.domain import siklus as siklus_domain
from kinerja.domain.observasi import PejabatPenilai, pastikan_dapat_membaca, pastikan_penilai
from kinerja.domain.penilaian import (
    IsianRating,
    PegawaiSekolah,
    PengirimanDinas,
    PenilaianKinerja,
    PratinjauKiriman,
    Rating,
    StatusPegawai,
    TemuanData,
    pastikan_kepala_sekolah,
    pratinjau_kiriman,
)
from kinerja.domain.predikat import (
    LABEL_PREDIKAT_ORGANISASI,
    Pelanggaran,
    Predikat,
    PredikatKinerjaOrganisasi,
    PredikatKinerjaPegawai,
    isi_awal_predikat,
    isian_rating_kepala_sekolah,
    periksa_kurva,
    rating_hasil_kerja_kepala_sekolah,
)
from kinerja.domain.referensi import Jabatan, Ptk, Sekolah, StatusKeaktifan
from kinerja.domain.rencana import Rencana, StatusRencana
from kinerja.domain.siklus import (
    Periode,
    Siklus,
    Tahap,
    jendela,
    pastikan_periode_terbuka,
    pastikan_siklus_aktif,
    periksa_jendela,
    tanggal_lokal,
)
from kinerja.service import akses, repo
from shared.errors import Conflict, DomainError, NotFound
from shared.firestore import Tx, UnitOfWork


# ------------------------------------------------------------------ helpers
def cek_versi(tersimpan: int | None, dikirim: int) -> None:
    """``dikirim`` must equal the stored version (0 when the document does not exist yet)."""
    sekarang = tersimpan or 0
    if sekarang != dikirim:
        raise Conflict("versi_tidak_cocok",
                       "Data ini sudah diubah di tempat lain. Muat ulang halaman, periksa perubahannya, lalu coba lagi.",
                       versi_sekarang=sekarang, versi_dikirim=dikirim)


def pastikan_masa_penilaian(periode: Periode | str, now: datetime) -> None:
    """Closed period -> 409 ``periode_ditutup``; outside the assessment window -> ``di_luar_jadwal``."""
    today = tanggal_lokal(now)
    pastikan_periode_terbuka(periode, today, Tahap.PENILAIAN)
    periksa_jendela(Tahap.PENILAIAN, periode, today)


def memimpin_sekolah(siklus: Siklus, sekolah: Sekolah) -> bool:
    """The cycle is a principal's own (P14): rated by the Kepala Dinas / delegated pengawas."""
    return siklus.jabatan is Jabatan.KEPALA_SEKOLAH or sekolah.kepala_sekolah_ptk_id == siklus.ptk_id


def penilai_siklus(tx: Tx, siklus: Siklus, sekolah: Sekolah) -> PejabatPenilai:
    return akses.penilai_untuk(siklus.jabatan, siklus.ptk_id, sekolah,
                               akses.dinas_penilai(tx, siklus.jabatan, siklus.ptk_id, sekolah))


def kepala_sekolah_dari(sekolah: Sekolah) -> PejabatPenilai:
    return PejabatPenilai(definitif_id=sekolah.kepala_sekolah_ptk_id, plt_id=sekolah.plt_ptk_id)


def staf_sekolah(tx: Tx, sekolah: Sekolah, aktor_id: str | None) -> list[Ptk]:
    """Teachers the principal rates: PTK with this sekolah induk, except the principal and the caller."""
    docs = tx.query(tx.collection(repo.PTK).where(filter=FieldFilter("npsn_induk", "==", sekolah.npsn)).limit(1000))
    ptks = [repo.ptk_dari_dokumen(d) for d in docs if "data" in d]
    return sorted((p for p in ptks if p is not None and p.ptk_id not in (aktor_id, sekolah.kepala_sekolah_ptk_id)
                   and p.jabatan is not Jabatan.KEPALA_SEKOLAH), key=lambda p: (p.nama, p.ptk_id))


def pegawai_sekolah(p: Ptk) -> PegawaiSekolah:
    """The staff row the P11 checks need (birth date from the NIP; kinerja keeps no NIK)."""
    info = p.info_nip
    status = StatusPegawai.aktif if p.status_keaktifan is StatusKeaktifan.AKTIF \
        else StatusPegawai(p.status_keaktifan.value)
    return PegawaiSekolah(pegawai_id=p.ptk_id, nama=p.nama, nip=p.nip,
                          tanggal_lahir=info.tanggal_lahir if info else None, status=status)


def baca_penilaian(tx: Tx, ptk_ids: list[str], periode: Periode) -> dict[str, PenilaianKinerja]:
    ids = {siklus_domain.siklus_id(i, periode): i for i in ptk_ids}
    found = tx.get_many(repo.penilaian_repo.ref(tx, s) for s in ids)
    return {ids[s]: PenilaianKinerja.model_validate(v) for s, v in found.items() if v}


# ------------------------------------------------------------------ ratings (P10, P14)
@dataclass(frozen=True)
class MasukanRating:
    rating_perilaku_kerja: Rating
    rating_hasil_kerja: Rating | None = None  # for a principal: derived from the organisation predicate
    catatan_hasil_kerja: str | None = None
    catatan_perilaku_kerja: str | None = None


def beri_rating(uow: UnitOfWork, email: str | None, siklus_id: str, versi: int, m: MasukanRating,
                now: datetime) -> "PenilaianTerbaca":
    """The Pejabat Penilai gives (or changes, before sending) the two ratings of one pegawai."""
    def work(tx: Tx) -> PenilaianTerbaca:
        aktor = akses.kenali(tx, email, *(r.ref(tx, siklus_id) for r in
                                           (repo.penilaian_repo, repo.siklus_repo, repo.rencana_repo)))
        lama = repo.penilaian_repo.get(tx, siklus_id)
        siklus = repo.siklus_repo.get(tx, siklus_id)
        rencana = repo.rencana_repo.get(tx, siklus_id)
        if siklus is None or rencana is None:
            raise NotFound("siklus_tidak_ditemukan", "Siklus kinerja pegawai ini tidak ditemukan.")
        sekolah = akses.sekolah_wajib(tx, siklus.npsn)
        pimpinan = memimpin_sekolah(siklus, sekolah)
        penilai = penilai_siklus(tx, siklus, sekolah)
        aktor_id = aktor.sebagai_penilai(penilai)  # a delegated pengawas rates a principal (P14)
        pastikan_penilai(siklus.ptk_id, aktor_id, penilai)
        cek_versi(lama.versi if lama else None, versi)
        today = tanggal_lokal(now)
        pastikan_periode_terbuka(siklus.periode, today, Tahap.PENILAIAN)
        pastikan_siklus_aktif(siklus)
        if pimpinan:
            isian = _isian_pimpinan(tx, siklus, m)
        else:
            if m.rating_hasil_kerja is None:
                raise DomainError("rating_hasil_kerja_wajib",
                                  "Pilih Rating Hasil Kerja (Praktik Kinerja) untuk guru ini.")
            isian = IsianRating(rating_hasil_kerja=m.rating_hasil_kerja, rating_perilaku_kerja=m.rating_perilaku_kerja,
                                catatan_hasil_kerja=m.catatan_hasil_kerja,
                                catatan_perilaku_kerja=m.catatan_perilaku_kerja)
        terbuka = jendela(Tahap.PENILAIAN, siklus.periode).memuat(today)
        if lama is None:
            baru = PenilaianKinerja.beri(
                id=siklus_id, pegawai_id=siklus.ptk_id, periode_id=siklus.periode, sekolah_id=siklus.npsn,
                aktor_id=aktor_id, penilai=penilai, isian=isian, poin_kompetensi=rencana.total_poin,
                rencana_disepakati=rencana.status is StatusRencana.DISEPAKATI, jendela_penilaian_terbuka=terbuka,
                now=now).model_copy(update={"versi": 1})
        else:
            baru = lama.ubah(aktor_id=aktor_id, penilai=penilai, isian=isian, jendela_penilaian_terbuka=terbuka,
                             now=now, poin_kompetensi=rencana.total_poin)
        baru = baru.model_copy(update={"asn": siklus.asn is not False})
        # a predicate exists only after sending (teacher) or locks the rating (principal): none here
        return PenilaianTerbaca(siklus, rencana, repo.penilaian_repo.put(tx, baru), None, "penilai", pimpinan)
    return uow.run(work)


def _isian_pimpinan(tx: Tx, siklus: Siklus, m: MasukanRating) -> IsianRating:
    """P14: the principal's Rating Hasil Kerja is the school's result; locked once the predicate is set."""
    org = repo.predikat_organisasi_repo.get(tx, repo.sekolah_periode_id(siklus.npsn, siklus.periode))
    if org is None:
        raise DomainError("predikat_organisasi_belum_ada",
                          "Rating Hasil Kerja kepala sekolah mengikuti Predikat Kinerja Organisasi sekolahnya. "
                          "Tetapkan Predikat Kinerja Organisasi sekolah ini terlebih dahulu.", npsn=siklus.npsn)
    if repo.predikat_repo.get(tx, siklus.siklus_id) is not None:
        raise Conflict("predikat_sudah_ditetapkan",
                       "Predikat Kinerja kepala sekolah ini sudah ditetapkan; penilaiannya tidak dapat diubah lagi.")
    harus = rating_hasil_kerja_kepala_sekolah(org.predikat)
    if m.rating_hasil_kerja is not None and m.rating_hasil_kerja != harus:
        raise DomainError("rating_hasil_kerja_mengikuti_organisasi",
                          "Rating Hasil Kerja kepala sekolah adalah hasil sekolahnya: Predikat Kinerja Organisasi "
                          f"{LABEL_PREDIKAT_ORGANISASI[org.predikat]} berarti {harus.value.replace('_', ' ')}. "
                          "Cukup pilih Rating Perilaku Kerja.", rating_hasil_kerja_seharusnya=harus.value)
    return isian_rating_kepala_sekolah(org.predikat, m.rating_perilaku_kerja, m.catatan_perilaku_kerja)


@dataclass(frozen=True)
class PenilaianTerbaca:
    siklus: Siklus
    rencana: Rencana | None
    penilaian: PenilaianKinerja | None
    predikat: PredikatKinerjaPegawai | None
    peran: str  # pemilik / penilai
    pimpinan: bool


def lihat_penilaian(uow: UnitOfWork, email: str | None, siklus_id: str) -> PenilaianTerbaca:
    """The pegawai and their Pejabat Penilai read the ratings, points and predicate."""
    def work(tx: Tx) -> PenilaianTerbaca:
        aktor = akses.kenali(tx, email)
        siklus = repo.siklus_repo.get(tx, siklus_id)
        if siklus is None:
            raise NotFound("siklus_tidak_ditemukan", "Siklus kinerja pegawai ini tidak ditemukan.")
        sekolah = akses.sekolah_wajib(tx, siklus.npsn)
        penilai = penilai_siklus(tx, siklus, sekolah)
        pastikan_dapat_membaca(siklus.ptk_id, aktor.id if aktor.id == siklus.ptk_id
                               else aktor.sebagai_penilai(penilai), penilai)
        return PenilaianTerbaca(siklus, repo.rencana_repo.get(tx, siklus_id), repo.penilaian_repo.get(tx, siklus_id),
                                repo.predikat_repo.get(tx, siklus_id),
                                "pemilik" if aktor.id == siklus.ptk_id else "penilai", memimpin_sekolah(siklus, sekolah))
    return uow.run(work)


# ------------------------------------------------------------------ the school page (P10-P12)
@dataclass(frozen=True)
class BarisPenilaian:
    ptk: Ptk
    siklus: Siklus | None
    rencana: Rencana | None
    penilaian: PenilaianKinerja | None
    dapat_dinilai: bool
    predikat_matriks: Predikat | None
    predikat: dict[str, Any] | None  # the entry set by the principal, if any
    temuan: tuple[str, ...]


@dataclass(frozen=True)
class HalamanPenilaian:
    sekolah: Sekolah
    periode: Periode
    baris: list[BarisPenilaian]
    pengiriman: PengirimanDinas
    pratinjau: PratinjauKiriman
    predikat_organisasi: PredikatKinerjaOrganisasi | None
    penetapan_versi: int
    pelanggaran_kurva: list[Pelanggaran]  # of the current set (set predicates, else the matrix pre-fill)
    jendela_penilaian: siklus_domain.Jendela


def halaman_penilaian(uow: UnitOfWork, email: str | None, npsn: str, periode: str, now: datetime) -> HalamanPenilaian:
    """"Penilaian Kinerja" / "Data Penilaian" of the school for its principal or Plt."""
    p = siklus_domain.parse_periode(periode)

    def work(tx: Tx) -> HalamanPenilaian:
        aktor = akses.kenali(tx, email)
        sekolah = akses.sekolah_wajib(tx, npsn)
        akses.pastikan_memimpin(sekolah, aktor)
        staf = staf_sekolah(tx, sekolah, aktor.ptk_id)
        sid = {x.ptk_id: siklus_domain.siklus_id(x.ptk_id, p) for x in staf}
        siklus = tx.get_many(repo.siklus_repo.ref(tx, i) for i in sid.values())
        rencana = tx.get_many(repo.rencana_repo.ref(tx, i) for i in sid.values())
        penilaian = baca_penilaian(tx, list(sid), p)
        pid = repo.sekolah_periode_id(npsn, p.id)
        pengiriman = repo.pengiriman_repo.get(tx, pid) or \
            PengirimanDinas.baru(id=pid, sekolah_id=npsn, periode_id=p.id, now=now)
        org = repo.predikat_organisasi_repo.get(tx, pid)
        penetapan = tx.get(tx.ref(repo.PENETAPAN, pid)) or {}
        entri = penetapan.get("entri", {})
        pratinjau = pratinjau_kiriman(sekolah_id=npsn, periode_id=p.id, penilaian=list(penilaian.values()),
                                      pegawai=[pegawai_sekolah(x) for x in staf])
        temuan: dict[str, list[str]] = {}
        for t in pratinjau.temuan:
            for i in t.pegawai_ids:
                temuan.setdefault(i, []).append(t.jenis.value)
        baris = []
        for x in staf:
            s = Siklus.model_validate(siklus[sid[x.ptk_id]]) if siklus.get(sid[x.ptk_id]) else None
            r = Rencana.model_validate(rencana[sid[x.ptk_id]]) if rencana.get(sid[x.ptk_id]) else None
            pn = penilaian.get(x.ptk_id)
            dapat = r is not None and r.status is StatusRencana.DISEPAKATI and s is not None \
                and s.status is siklus_domain.StatusSiklus.AKTIF
            baris.append(BarisPenilaian(x, s, r, pn, dapat, isi_awal_predikat(pn) if pn else None,
                                        entri.get(x.ptk_id), tuple(temuan.get(x.ptk_id, ()))))
        pelanggaran: list[Pelanggaran] = []
        if org is not None:
            usulan = [Predikat(b.predikat["predikat"]) if b.predikat else b.predikat_matriks
                      for b in baris if b.penilaian is not None and b.penilaian.terkirim and b.predikat_matriks
                      and b.penilaian.asn and b.ptk.is_asn]  # the curve counts ASN only (P12)
            pelanggaran = periksa_kurva(org.predikat, usulan)
        return HalamanPenilaian(sekolah, p, baris, pengiriman, pratinjau, org, penetapan.get("versi", 0),
                                pelanggaran, jendela(Tahap.PENILAIAN, p))
    return uow.run(work)


# ------------------------------------------------------------------ send to the Dinas (P11)
def _pengiriman(tx: Tx, email: str | None, npsn: str, p: Periode, versi: int, now: datetime):
    aktor = akses.kenali(tx, email)
    sekolah = akses.sekolah_wajib(tx, npsn)
    kepsek = kepala_sekolah_dari(sekolah)
    pastikan_kepala_sekolah(aktor.id, kepsek)
    pid = repo.sekolah_periode_id(npsn, p.id)
    lama = repo.pengiriman_repo.get(tx, pid)
    cek_versi(lama.versi if lama else None, versi)
    pastikan_masa_penilaian(p, now)
    pengiriman = lama or PengirimanDinas.baru(id=pid, sekolah_id=npsn, periode_id=p.id, now=now)
    return aktor, sekolah, kepsek, pengiriman


def simpan_draf_kiriman(uow: UnitOfWork, email: str | None, npsn: str, periode: str, versi: int,
                        panduan_dicentang: list[str] | None, penjelasan: str | None, now: datetime) -> PengirimanDinas:
    """The guidance ticks and "Simpan Draf" of the explanation (changeable until sent)."""
    p = siklus_domain.parse_periode(periode)

    def work(tx: Tx) -> PengirimanDinas:
        aktor, _, kepsek, pengiriman = _pengiriman(tx, email, npsn, p, versi, now)
        baru = pengiriman
        if panduan_dicentang is not None:
            baru = baru.centang_panduan(aktor_id=aktor.id, kepala_sekolah=kepsek, item_ids=panduan_dicentang, now=now)
        baru = baru.simpan_draf(aktor_id=aktor.id, kepala_sekolah=kepsek, penjelasan=penjelasan, now=now)
        return repo.pengiriman_repo.put(tx, baru.model_copy(update={"versi": pengiriman.versi + 1}))
    return uow.run(work)


@dataclass(frozen=True)
class HasilKirimDinas:
    pengiriman: PengirimanDinas
    terkirim: tuple[str, ...]
    pratinjau: PratinjauKiriman


def kirim_ke_dinas(uow: UnitOfWork, email: str | None, npsn: str, periode: str, versi: int, konfirmasi: bool,
                   penjelasan: str, now: datetime) -> HasilKirimDinas:
    """"Kirim ke Dinas Pendidikan": every rating not sent yet, except flagged staff, in one batch."""
    p = siklus_domain.parse_periode(periode)

    def work(tx: Tx) -> HasilKirimDinas:
        aktor, sekolah, kepsek, pengiriman = _pengiriman(tx, email, npsn, p, versi, now)
        staf = staf_sekolah(tx, sekolah, aktor.ptk_id)
        penilaian = baca_penilaian(tx, [x.ptk_id for x in staf], p)
        hasil = pengiriman.kirim(aktor_id=aktor.id, kepala_sekolah=kepsek, penilaian=list(penilaian.values()),
                                 pegawai=[pegawai_sekolah(x) for x in staf], konfirmasi=konfirmasi,
                                 penjelasan=penjelasan, now=now)
        for pn in hasil.terkirim:
            repo.penilaian_repo.put(tx, pn)
        simpan = repo.pengiriman_repo.put(tx, hasil.pengiriman.model_copy(update={"versi": pengiriman.versi + 1}))
        return HasilKirimDinas(simpan, tuple(pn.pegawai_id for pn in hasil.terkirim), hasil.pratinjau)
    return uow.run(work)


def temuan_view(t: TemuanData) -> dict[str, Any]:
    """A finding for the principal's page (no e-mail: kinerja keeps e-mails only as hashes)."""
    return {"jenis": t.jenis.value, "pegawai_ids": list(t.pegawai_ids), "pesan": t.pesan, "aktor": t.aktor,
            "tindak_lanjut": t.tindak_lanjut}
