"""Collections of the kinerja service and how documents map to domain models.

Collections (``kinerja__<name>``):

| name | id | content |
|---|---|---|
| ``ptk`` | ptk_id | ``{"data": Ptk (e-mail removed), "npsn_induk", "email_hash": [...], "diterima_pada"}`` |
| ``sekolah`` | npsn | ``Sekolah`` |
| ``dinas`` | dinas_id | ``{"data": Dinas, "email_hash": [...]}`` |
| ``pengawas`` | pengawas_id | ``{"data": Pengawas, "email_hash": [...]}`` (e-mail indexed only while active) |
| ``rapor`` | npsn | ``RaporPendidikan`` (newest tahun, then versi) |
| ``identitas`` | sha256 of the e-mail | ``{"ptk_id", "kepala_dinas_id", "dinas_id", "pengawas_id", "pengawas_dinas_id"}`` |
| ``referensi_ditolak`` | event id | a refused reference record for operators (kode, pesan, key) |
| ``konfirmasi_periode`` | ``<npsn>_<periode>`` | the principal opened period 2 for the school |
| ``siklus`` | siklus_id | ``Siklus`` (one per person and period) |
| ``rencana`` | siklus_id | ``Rencana`` |
| ``pelaksanaan`` | siklus_id | ``Pelaksanaan`` (created when the plan is approved) |
| ``berkas`` | random | ``Berkas`` (uploads: RPP, evidence, school documents) |
| ``penilaian`` | siklus_id | ``PenilaianKinerja`` (the two ratings, P10; ``sekolah_id`` = NPSN) |
| ``pengiriman_dinas`` | ``<npsn>_<periode>`` | ``PengirimanDinas`` (checklist ticks, draft, batches sent, P11) |
| ``predikat_organisasi`` | ``<npsn>_<periode>`` | ``PredikatKinerjaOrganisasi`` set by the Kepala Dinas (P12) |
| ``penetapan_predikat`` | ``<npsn>_<periode>`` | the school's set of teacher predicates (curve, versi; P12) |
| ``predikat`` | siklus_id | ``PredikatKinerjaPegawai`` of one person (P12, P14) |

Aggregates whose domain transitions already bump ``versi`` (Rencana,
Pelaksanaan, Siklus, the assessment aggregates) are written as they are (``put``); ``pastikan_versi``
refuses a stale client ``versi`` with 409 ``versi_tidak_cocok``.

Write use cases never call ``get_for_update`` with the client's ``versi``: they load the document
(``get``), authorise the caller (role, ownership, leadership of the school) and only then compare the
version with ``pastikan_versi``, so a caller who may not write gets 403/404 and never learns the
current ``versi`` from a 409.
"""
from __future__ import annotations

import hashlib
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from kinerja.domain.observasi import Pelaksanaan
from kinerja.domain.penilaian import PengirimanDinas, PenilaianKinerja
from kinerja.domain.predikat import PredikatKinerjaOrganisasi, PredikatKinerjaPegawai
from kinerja.domain.referensi import Dinas, Ptk, RaporPendidikan, Sekolah
from kinerja.domain.rencana import Rencana
from kinerja.domain.siklus import Siklus
from shared.errors import Conflict
from shared import klaim_email
from shared.firestore import Repository, Tx, koleksi_kedaluwarsa, tanpa_indeks

M = TypeVar("M", bound=BaseModel)


class AggregateRepo(Repository[M], Generic[M]):
    def put(self, tx: Tx, obj: M) -> M:
        """Write the aggregate as the domain returned it (its transition already bumped versi)."""
        tx.set(self.ref(tx, getattr(obj, self.id_field)), obj.model_dump(mode="json"))
        return obj


def pastikan_versi(obj: BaseModel, versi: int | None) -> None:
    """409 ``versi_tidak_cocok`` when the client edited another version. Call it only after the caller
    has been authorised (a refused caller must not learn the current version)."""
    sekarang = getattr(obj, "versi")
    if versi is not None and sekarang != versi:
        raise Conflict("versi_tidak_cocok",
                       "Data ini sudah diubah di tempat lain. Muat ulang halaman, periksa perubahannya, lalu coba lagi.",
                       versi_sekarang=sekarang, versi_dikirim=versi)


siklus_repo = AggregateRepo(Siklus, "siklus", id_field="siklus_id")
rencana_repo = AggregateRepo(Rencana, "rencana", id_field="rencana_id")
pelaksanaan_repo = AggregateRepo(Pelaksanaan, "pelaksanaan", id_field="id")
sekolah_repo = AggregateRepo(Sekolah, "sekolah", id_field="npsn")
rapor_repo = AggregateRepo(RaporPendidikan, "rapor", id_field="npsn")
penilaian_repo = AggregateRepo(PenilaianKinerja, "penilaian", id_field="id")
pengiriman_repo = AggregateRepo(PengirimanDinas, "pengiriman_dinas", id_field="id")
predikat_organisasi_repo = AggregateRepo(PredikatKinerjaOrganisasi, "predikat_organisasi", id_field="id")
predikat_repo = AggregateRepo(PredikatKinerjaPegawai, "predikat", id_field="id")
PENETAPAN = "penetapan_predikat"

PTK = "ptk"
DINAS = "dinas"
PENGAWAS = "pengawas"
IDENTITAS = tanpa_indeks("kinerja", "identitas", klaim_email.KLAIM,
                         "every record's claim on an e-mail (shared/klaim_email.py), keyed by record id; read by id only")
DITOLAK = "referensi_ditolak"
KONFIRMASI = "konfirmasi_periode"
# pending uploads expire (TTL field `kedaluwarsa`, set until confirmed; shared/objectstore.py)
BERKAS = koleksi_kedaluwarsa("kinerja", "berkas", "TTL: an upload not confirmed within a day is deleted from the "
                                                  "bucket (lifecycle rule on sementara/); its record goes too")


def hash_email(email: str) -> str:
    """Id of the identity index: the e-mail itself is never a document id or a log field."""
    return hashlib.sha256(f"kinerja.identitas|{email.strip().lower()}".encode()).hexdigest()


# --- PTK (wrapped: the e-mail is kept only as its hash)
def ptk_dari_dokumen(doc: dict[str, Any] | None) -> Ptk | None:
    return None if doc is None else Ptk.model_validate(doc["data"])


def baca_ptk(tx: Tx, ptk_id: str) -> Ptk | None:
    return ptk_dari_dokumen(tx.get(tx.ref(PTK, ptk_id)))


def baca_banyak_ptk(tx: Tx, ptk_ids: list[str]) -> dict[str, Ptk | None]:
    found = tx.get_many(tx.ref(PTK, i) for i in dict.fromkeys(ptk_ids))
    return {k: ptk_dari_dokumen(v) for k, v in found.items()}


def baca_dinas(tx: Tx, dinas_id: str) -> Dinas | None:
    doc = tx.get(tx.ref(DINAS, dinas_id))
    return None if doc is None else Dinas.model_validate(doc["data"])


def konfirmasi_id(npsn: str, periode: str) -> str:
    return f"{npsn}_{periode}"


def sekolah_periode_id(npsn: str, periode: str) -> str:
    """Id of the per-school, per-period assessment documents (send, organisation predicate, predicate set)."""
    return f"{npsn}_{periode}"
