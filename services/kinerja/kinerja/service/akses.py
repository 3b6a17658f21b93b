"""Who is calling, from the reference data (P3, P14, P15).

The verified token gives only the belajar.id e-mail; the identity index maps
its hash to the PTK (and/or the Kepala Dinas) Dapodik published for it. Roles
are never read from the token or the request body:

- guru / guru BK: ``Ptk.jabatan``;
- kepala sekolah of a school: the school's ``kepala_sekolah_ptk_id``;
- Plt. kepala sekolah: the school's ``plt_ptk_id`` (acts as principal: views,
  observation, assessment, school documents, opening period 2; a plan under
  a Plt. only is approved by the system);
- Kepala Dinas: the ``kepala_dinas_id`` of a Dinas record (approves and
  observes principals, P14);
- pengawas: the ``pengawas_id`` of an active pengawas record (topic
  ``referensi.pengawas.diperbarui``); acts only where a school's
  ``delegasi_penilai`` names them, as the principal's Pejabat Penilai (P14).
"""
from __future__ import annotations

from dataclasses import dataclass

from kinerja.domain.observasi import PejabatPenilai
from kinerja.domain.referensi import Dinas, Jabatan, Ptk, Sekolah, akun_kemenag, dinilai_dinas
from kinerja.service import repo
from shared import klaim_email
from shared.errors import Forbidden, NotFound, Unauthenticated
from shared.firestore import Tx


@dataclass(frozen=True)
class Aktor:
    """The caller as the reference data knows them."""

    id: str  # ptk_id, else the Kepala Dinas id, else the pengawas id
    ptk_id: str | None
    kepala_dinas_id: str | None
    dinas_id: str | None
    pengawas_id: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        """Every id the reference data gives the caller (PTK, Kepala Dinas, pengawas)."""
        return tuple(dict.fromkeys(i for i in (self.ptk_id, self.kepala_dinas_id, self.pengawas_id) if i))

    def sebagai_penilai(self, penilai: PejabatPenilai) -> str:
        """The caller's id this Pejabat Penilai knows (a PTK who is also a delegated pengawas acts on
        the principal with their pengawas id, P14); otherwise ``id``, which the checks then refuse."""
        ids = penilai.ids()
        return next((i for i in self.ids if i in ids), self.id)


def kenali(tx: Tx, email: str | None, *juga) -> Aktor:
    """One read: the identity index entry of the caller's e-mail. `juga`: the documents the use case
    reads next (a cycle's plan, observation and ratings share the cycle's id, so they are known up
    front), fetched in the same batched get; their `tx.get` answers from it."""
    if not email:
        raise Unauthenticated("email_tidak_ada", "Token tidak memuat email akun belajar.id. Masuk ulang.")
    ref = tx.ref(repo.IDENTITAS, repo.hash_email(email))
    if juga:
        tx.prefetch([ref, *juga])
    doc = tx.get(ref) or {}
    klaim_email.periksa(doc)  # an address two records list is nobody's until Dapodik is fixed
    ptk_id, kd_id, pengawas_id = doc.get("ptk_id"), doc.get("kepala_dinas_id"), doc.get("pengawas_id")
    if not ptk_id and not kd_id and not pengawas_id:
        if doc.get("ptk_ditolak"):
            raise _data_ptk_ditolak(tx.get(tx.ref(repo.DITOLAK, doc["ptk_ditolak"])) or {})
        if akun_kemenag(email):
            raise Forbidden("guru_kemenag_gunakan_ekinerja",
                            "Anda masuk dengan akun madrasah (Kementerian Agama). Pengelolaan Kinerja di PMM untuk "
                            "guru dan kepala sekolah di bawah Kemendikbudristek; guru dan kepala sekolah Kemenag "
                            "mengisi SKP langsung di e-Kinerja BKN (kinerja.bkn.go.id). Tidak ada data yang "
                            "disinkronkan dari PMM untuk akun ini.", aktor="pegawai",
                            tindak_lanjut="Isi SKP langsung di e-Kinerja BKN; hubungi Admin Instansi Kemenag "
                                          "bila akun e-Kinerja Anda belum ada.")
        raise Forbidden("akun_belum_terdaftar",
                        "Akun belajar.id Anda belum terhubung dengan data PTK di Dapodik. Minta Operator Sekolah "
                        "memastikan email belajar.id Anda tercatat di Dapodik, lalu coba lagi setelah data diperbarui.",
                        aktor="operator_sekolah")
    return Aktor(id=ptk_id or kd_id or pengawas_id, ptk_id=ptk_id, kepala_dinas_id=kd_id,
                 dinas_id=doc.get("dinas_id"), pengawas_id=pengawas_id)


def _data_ptk_ditolak(ditolak: dict) -> Forbidden:
    """Dapodik did send the person, but the record was refused (e.g. an invalid NIP): the real reason
    and who fixes it, not "your e-mail is not in Dapodik" (which sends them to the wrong fix)."""
    alasan = ditolak.get("pesan") or "data PTK Anda tidak lolos pemeriksaan."
    tindak_lanjut = ditolak.get("tindak_lanjut") or "Operator Sekolah memperbaiki data PTK Anda di Dapodik."
    return Forbidden("data_ptk_ditolak",
                     f"Data PTK Anda sudah dikirim Dapodik, tetapi belum dapat dipakai: {alasan} "
                     f"{tindak_lanjut}", aktor=ditolak.get("aktor") or "operator_sekolah",
                     alasan_kode=ditolak.get("kode"), tindak_lanjut=tindak_lanjut)


def ptk_saya(tx: Tx, aktor: Aktor) -> Ptk:
    if aktor.ptk_id is None:
        raise Forbidden("bukan_ptk", "Fitur ini untuk guru dan kepala sekolah yang terdaftar di Dapodik.")
    ptk = repo.baca_ptk(tx, aktor.ptk_id)
    if ptk is None:  # pragma: no cover - the index is written with the PTK
        raise Forbidden("akun_belum_terdaftar", "Data PTK Anda belum tersedia. Coba lagi beberapa saat lagi.")
    return ptk


def sekolah_wajib(tx: Tx, npsn: str) -> Sekolah:
    sekolah = repo.sekolah_repo.get(tx, npsn)
    if sekolah is None:
        raise NotFound("sekolah_tidak_ditemukan",
                       f"Data sekolah NPSN {npsn} belum tersedia dari Dapodik. Minta Operator Sekolah memeriksa "
                       "data sekolah di Dapodik.", npsn=npsn)
    return sekolah


def memimpin(sekolah: Sekolah, aktor: Aktor) -> bool:
    """Kepala sekolah definitif or Plt. of this school."""
    return aktor.ptk_id is not None and aktor.ptk_id in (sekolah.kepala_sekolah_ptk_id, sekolah.plt_ptk_id)


def pastikan_memimpin(sekolah: Sekolah, aktor: Aktor) -> None:
    if not memimpin(sekolah, aktor):
        raise Forbidden("bukan_kepala_sekolah",
                        "Hanya Kepala Sekolah (atau Plt. Kepala Sekolah) sekolah ini yang dapat melakukan ini.",
                        npsn=sekolah.npsn)


def dinas_penilai(tx: Tx, jabatan: Jabatan, pegawai_id: str, sekolah: Sekolah) -> Dinas | None:
    """The Dinas record, read only when the Dinas side assesses this person (``dinilai_dinas``)."""
    return repo.baca_dinas(tx, sekolah.dinas_id) if dinilai_dinas(jabatan, pegawai_id, sekolah) else None


def penilai_untuk(jabatan: Jabatan, pegawai_id: str, sekolah: Sekolah, dinas: Dinas | None) -> PejabatPenilai:
    """Who observes and assesses this person now (P6, P8, P14): the Dinas side for a principal's cycle
    and for a Plt. leading their own school (``dinilai_dinas``), else the school's principal / Plt."""
    if dinilai_dinas(jabatan, pegawai_id, sekolah):
        tim = frozenset({sekolah.delegasi_penilai.pengawas_id}) if sekolah.delegasi_penilai else frozenset()
        kd = dinas.kepala_dinas_id if dinas is not None and dinas.dinas_id == sekolah.dinas_id else None
        return PejabatPenilai(definitif_id=kd, tim_penilai_ids=tim)
    plt = sekolah.plt_ptk_id if sekolah.plt_ptk_id != pegawai_id else None
    definitif = sekolah.kepala_sekolah_ptk_id if sekolah.kepala_sekolah_ptk_id != pegawai_id else None
    return PejabatPenilai(definitif_id=definitif, plt_id=plt)


def profil(uow, email: str | None) -> dict:
    """'Cek Data' (P2): the caller's Dapodik profile and the roles the reference data gives them."""
    def work(tx: Tx) -> dict:
        aktor = kenali(tx, email)
        ptk = repo.baca_ptk(tx, aktor.ptk_id) if aktor.ptk_id else None
        peran: list[str] = []
        memimpin_npsn: list[str] = []
        if ptk is not None:
            peran.append(ptk.jabatan.value)
            kandidat = list(dict.fromkeys([ptk.npsn_induk, *(p.npsn for p in ptk.plt)]))
            found = tx.get_many(repo.sekolah_repo.ref(tx, n) for n in kandidat)
            for n in kandidat:
                s = Sekolah.model_validate(found[n]) if found.get(n) else None
                if s is not None and s.kepala_sekolah_ptk_id == ptk.ptk_id:
                    memimpin_npsn.append(n)
                    peran.append("kepala_sekolah")
                elif s is not None and s.plt_ptk_id == ptk.ptk_id:
                    memimpin_npsn.append(n)
                    peran.append("plt_kepala_sekolah")
        if aktor.kepala_dinas_id:
            peran.append("kepala_dinas")
        if aktor.pengawas_id:
            peran.append("pengawas")
        return {"ptk_id": aktor.ptk_id, "nama": ptk.nama if ptk else None,
                "jabatan": ptk.jabatan.value if ptk else None,
                "status_kepegawaian": ptk.status_kepegawaian.value if ptk else None,
                "npsn_induk": ptk.npsn_induk if ptk else None, "npsn_lain": list(ptk.npsn_lain) if ptk else [],
                "peran": list(dict.fromkeys(peran)), "memimpin_sekolah": memimpin_npsn,
                "kepala_dinas_dari": aktor.dinas_id if aktor.kepala_dinas_id else None}
    return uow.run(work)
