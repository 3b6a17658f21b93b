"""Consumers of the inbound reference events (S4, P1-P3, P14, P15).

Each effect runs inside the consumer's transaction (ledger + effect, once per
event id). The wire payloads are lenient; here every record is validated
strictly by the domain (NIP, NPSN, NUPTK, belajar.id e-mail, roles). A record
the domain refuses is written to ``referensi_ditolak`` for operators (kode,
pesan, key, event id) and acked: one bad row never blocks the topic, and it
is not retried forever. Only the newest version of a record is kept
(``lebih_baru``), so duplicates and out-of-order deliveries change nothing.

A PTK record also keeps the identity index (hash of every belajar.id e-mail
-> ptk_id; entries of e-mails no longer listed are cleared) and applies
itself to the person's open cycle of the event's period (retiring or moving
mid-semester closes or moves it, P15). A Dinas record indexes its Kepala
Dinas's e-mail and a pengawas record the pengawas's e-mail (while active),
with the same rules: the old e-mail's entry is cleared when it changes.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Callable

from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import BaseModel, ValidationError

from kinerja.domain import siklus as siklus_domain
from kinerja.domain.referensi import Dinas, Pengawas, Ptk, RaporPendidikan, Sekolah, lebih_baru, periksa_email_belajar_id
from kinerja.service import repo
from shared import klaim_email
from shared.errors import DomainError
from shared.events import Event
from shared.firestore import Tx
from shared.logs import get_logger

log = get_logger(__name__)

TINDAK_LANJUT_PTK_DITOLAK = ("Operator Sekolah memperbaiki data PTK Anda di Dapodik / Verval PTK; setelah data "
                             "terkirim ulang, akun Anda terhubung otomatis.")


def _galat(model: type[BaseModel], data: dict[str, Any]) -> tuple[BaseModel | None, DomainError | None]:
    try:
        return model.model_validate(data), None
    except DomainError as exc:
        return None, exc
    except ValidationError as exc:
        # a DomainError raised in a validator arrives wrapped; keep its kode
        for err in exc.errors(include_url=False):
            cause = (err.get("ctx") or {}).get("error")
            if isinstance(cause, DomainError):
                return None, cause
        bidang = sorted({".".join(str(p) for p in e["loc"]) for e in exc.errors(include_url=False)})
        return None, DomainError("referensi_tidak_valid", f"Data referensi tidak valid pada kolom: {', '.join(bidang)}.")


def _validasi(model: type[BaseModel], data: dict[str, Any]) -> tuple[BaseModel | None, str, str]:
    obj, exc = _galat(model, data)
    return obj, exc.kode if exc else "", exc.pesan if exc else ""


def _tolak(tx: Tx, event: Event[Any], kunci: str, kode: str, pesan: str, **lain: Any) -> None:
    tx.set(tx.ref(repo.DITOLAK, event.id), {
        "topic": event.topic, "kunci": kunci, "kode": kode, "pesan": pesan,
        "versi_sumber": getattr(event.data, "versi", None), "event_time": event.time,
        "diterima_pada": datetime.now(timezone.utc), **lain})
    log.warning("reference record refused", extra={"topic": event.topic, "kunci": kunci, "kode": kode,
                                                   "event_id": event.id})


# one role per slot: the same person as PTK and as pengawas is not a collision (shared/klaim_email.py)
SLOT_PTK = klaim_email.Slot("ptk", orang="ptk_id", kunci="ptk_id", kolom=("ptk_id",))
SLOT_DINAS = klaim_email.Slot("kepala_dinas", orang="kepala_dinas_id", kunci="dinas_id",
                              kolom=("kepala_dinas_id", "dinas_id"))
SLOT_PENGAWAS = klaim_email.Slot("pengawas", orang="pengawas_id", kunci="pengawas_id",
                                 kolom=("pengawas_id", "pengawas_dinas_id"))


def _baca_identitas(tx: Tx, hashes: list[str]) -> dict[str, dict[str, Any] | None]:
    """The identity entries a record touches, read before any write (the claim rule needs them)."""
    unik = list(dict.fromkeys(hashes))
    return tx.get_many([tx.ref(repo.IDENTITAS, h) for h in unik]) if unik else {}


def _tulis_klaim(tx: Tx, event: Event[Any], entri: dict[str, dict[str, Any] | None], h: str,
                 slot: klaim_email.Slot, kunci: str, isi: dict[str, Any] | None) -> None:
    """Apply one record's claim on one address (``klaim_email.klaim``) and keep the operators' view in
    step: while the address is quarantined a ``referensi_ditolak`` entry (one per address and role, kode
    ``email_bentrok``) names the records that list it; it is removed when the collision clears."""
    sebelum = klaim_email.bentrok(entri.get(h)).get(slot.nama)
    baru = klaim_email.klaim(entri.get(h), slot, kunci, isi)
    entri[h] = baru
    tx.set(tx.ref(repo.IDENTITAS, h), baru)
    sesudah = klaim_email.bentrok(baru).get(slot.nama)
    if sesudah == sebelum:
        return
    ref = tx.ref(repo.DITOLAK, f"{klaim_email.KODE_BENTROK}-{slot.nama}-{h[:32]}")
    if not sesudah:
        tx.delete(ref)
        return
    tx.set(ref, {"topic": event.topic, "kunci": [f"{slot.nama}/{i}" for i in sesudah], "kode": klaim_email.KODE_BENTROK,
                 "pesan": f"Email belajar.id yang sama tercatat pada {len(sesudah)} data {slot.nama} berbeda: "
                          f"{', '.join(sesudah)}. Email ini tidak dipakai sampai hanya satu data yang mencantumkannya.",
                 "aktor": "operator_sekolah", "tindak_lanjut": klaim_email.TINDAK_LANJUT_BENTROK,
                 "email_hash": [h], "event_time": event.time, "diterima_pada": datetime.now(timezone.utc)})
    log.warning("e-mail collision quarantined", extra={"topic": event.topic, "slot": slot.nama,
                                                       "jumlah": len(sesudah), "event_id": event.id})


def _email_valid(alamat: list[str | None]) -> list[str]:
    hasil = []
    for a in alamat:
        if a:
            try:
                hasil.append(periksa_email_belajar_id(a))
            except DomainError:
                continue
    return list(dict.fromkeys(hasil))


def terapkan_ptk(tx: Tx, event: Event[Any]) -> None:
    """``referensi.ptk.diperbarui``: newest PTK, identity index, open cycle (P15)."""
    wire = event.data.model_dump()
    lain = wire.get("email_belajar_id_lain") or []
    # only what kinerja needs: NIK, birth date (the NIP carries it), PNS ID etc. are never stored here
    payload = {k: v for k, v in wire.items() if k in Ptk.model_fields}
    ptk, galat = _galat(Ptk, payload)
    if ptk is None:
        assert galat is not None
        # an invalid secondary e-mail must not refuse the whole record: it is only skipped.
        # The refusal is indexed under the record's valid e-mails, so the teacher's own /saya says
        # why they are unknown and who fixes it instead of "e-mail not in Dapodik" (P2, P15).
        hash_email = [repo.hash_email(e) for e in _email_valid([wire.get("email_belajar_id"), *lain])]
        _tolak(tx, event, f"ptk/{payload.get('ptk_id')}", galat.kode, galat.pesan,
               aktor=galat.extra.get("aktor", "operator_sekolah"),
               tindak_lanjut=galat.extra.get("tindak_lanjut", TINDAK_LANJUT_PTK_DITOLAK), email_hash=hash_email)
        for h in hash_email:
            tx.set(tx.ref(repo.IDENTITAS, h), {"ptk_ditolak": event.id}, merge=True)
        return
    assert isinstance(ptk, Ptk)
    ref = tx.ref(repo.PTK, ptk.ptk_id)
    lama_doc = tx.get(ref)
    lama = repo.ptk_dari_dokumen(lama_doc)
    if lama is not None and not lebih_baru(ptk, lama):
        return  # older or same version: out-of-order or replay
    hari = siklus_domain.tanggal_lokal(event.time)
    periode = siklus_domain.periode_untuk_tanggal(hari)
    siklus = repo.siklus_repo.get(tx, siklus_domain.siklus_id(ptk.ptk_id, periode))
    plt_terbuka = _siklus_plt_terbuka(tx, periode, ptk_id=ptk.ptk_id)
    sekolah_plt = {s.npsn: repo.sekolah_repo.get(tx, s.npsn) for s in plt_terbuka}
    hash_baru = [repo.hash_email(e) for e in _email_valid([ptk.email_belajar_id, *lain])]
    hash_lama = (lama_doc or {}).get("email_hash", [])
    entri = _baca_identitas(tx, [*hash_lama, *hash_baru])
    # --- writes
    for h in hash_lama:
        if h not in hash_baru:
            _tulis_klaim(tx, event, entri, h, SLOT_PTK, ptk.ptk_id, None)
    for h in hash_baru:
        entri[h] = {k: v for k, v in (entri.get(h) or {}).items() if k != "ptk_ditolak"}
        _tulis_klaim(tx, event, entri, h, SLOT_PTK, ptk.ptk_id, {"ptk_id": ptk.ptk_id})
    disimpan = ptk.model_copy(update={"email_belajar_id": None})
    tx.set(ref, {"data": disimpan.model_dump(mode="json"), "npsn_induk": ptk.npsn_induk, "email_hash": hash_baru,
                 "diterima_pada": datetime.now(timezone.utc)})
    if siklus is not None:
        baru = siklus_domain.terapkan_referensi_ptk(siklus, ptk)
        if baru is not siklus:
            repo.siklus_repo.put(tx, baru)
    for s in plt_terbuka:
        _simpan_bila_berubah(tx, s, siklus_domain.terapkan_referensi_plt(s, ptk, sekolah_plt[s.npsn], hari))


def _siklus_plt_terbuka(tx: Tx, periode: Any, **sama_dengan: str) -> list[siklus_domain.Siklus]:
    """The open SKPs sebagai Plt. of the period (of one person, or of one school): read before any write."""
    q = tx.collection(repo.siklus_repo.collection).where(filter=FieldFilter("periode", "==", str(periode))) \
        .where(filter=FieldFilter("plt", "==", True)) \
        .where(filter=FieldFilter("status", "==", siklus_domain.StatusSiklus.AKTIF.value))
    for nama, nilai in sama_dengan.items():
        q = q.where(filter=FieldFilter(nama, "==", nilai))
    return [siklus_domain.Siklus.model_validate({k: v for k, v in d.items() if k != "_id"})
            for d in tx.query(q.limit(50))]


def _simpan_bila_berubah(tx: Tx, lama: siklus_domain.Siklus, baru: siklus_domain.Siklus) -> None:
    if baru is not lama:
        repo.siklus_repo.put(tx, baru)
        log.info("plt cycle closed", extra={"siklus_id": baru.siklus_id, "kode": baru.penanda[-1].kode})


def _terapkan_sederhana(tx: Tx, event: Event[Any], model: type, repository: repo.AggregateRepo, kunci: str,
                        lebih_baru_dari: Callable[[Any, Any], bool] = lebih_baru) -> Any:
    """Keep the newest record; returns it when written (None: refused, older or same version)."""
    obj, kode, pesan = _validasi(model, {k: v for k, v in event.data.model_dump().items() if k in model.model_fields})
    if obj is None:
        _tolak(tx, event, kunci, kode, pesan)
        return None
    lama = repository.get(tx, getattr(obj, repository.id_field))
    if lama is not None and not lebih_baru_dari(obj, lama):
        return None
    repository.put(tx, obj)
    return obj


def terapkan_sekolah(tx: Tx, event: Event[Any]) -> None:
    """``referensi.sekolah.diperbarui``: the school, its principal, Plt. and supervisors. A record that no
    longer names the person as Plt. (or names a definitive principal) closes their open SKP sebagai Plt.
    of the event's period (P15)."""
    hari = siklus_domain.tanggal_lokal(event.time)
    plt_terbuka = _siklus_plt_terbuka(tx, siklus_domain.periode_untuk_tanggal(hari), npsn=event.data.npsn)
    sekolah = _terapkan_sederhana(tx, event, Sekolah, repo.sekolah_repo, f"sekolah/{event.data.npsn}")
    if sekolah is not None:
        for s in plt_terbuka:
            _simpan_bila_berubah(tx, s, siklus_domain.terapkan_referensi_plt(s, None, sekolah, hari))


def _rapor_lebih_baru(a: RaporPendidikan, b: RaporPendidikan) -> bool:
    return a.tahun > b.tahun or (a.tahun == b.tahun and lebih_baru(a, b))


def terapkan_rapor(tx: Tx, event: Event[Any]) -> None:
    """``referensi.rapor.diterbitkan``: the newest year's recommendations of a school (P2)."""
    _terapkan_sederhana(tx, event, RaporPendidikan, repo.rapor_repo, f"rapor/{event.data.npsn}",
                        _rapor_lebih_baru)


def _terapkan_dengan_identitas(tx: Tx, event: Event[Any], model: type, koleksi: str, id_field: str,
                               email_field: str, diindeks: Callable[[Any], bool],
                               isi: Callable[[Any], dict[str, str | None]], slot: klaim_email.Slot) -> None:
    """Newest record of a person known by a belajar.id e-mail (Kepala Dinas, pengawas): stored as
    ``{"data", "email_hash"}``; while ``diindeks`` the e-mail's identity entry gets ``isi`` (merged, so a PTK
    or another role on the same e-mail stays), and those fields are cleared from an e-mail no longer listed
    (changed, removed, or the record no longer ``diindeks``)."""
    wire = event.data.model_dump()
    payload = {k: v for k, v in wire.items() if k in model.model_fields}
    obj, kode, pesan = _validasi(model, payload)
    if obj is None:
        _tolak(tx, event, f"{koleksi}/{payload.get(id_field)}", kode, pesan)
        return
    ref = tx.ref(koleksi, getattr(obj, id_field))
    lama_doc = tx.get(ref)
    if lama_doc is not None and not lebih_baru(obj, model.model_validate(lama_doc["data"])):
        return
    hash_baru = [repo.hash_email(e) for e in _email_valid([wire.get(email_field)])] if diindeks(obj) else []
    hash_lama = (lama_doc or {}).get("email_hash", [])
    entri = _baca_identitas(tx, [*hash_lama, *hash_baru])
    kunci = getattr(obj, id_field)
    for h in hash_lama:
        if h not in hash_baru:
            _tulis_klaim(tx, event, entri, h, slot, kunci, None)
    for h in hash_baru:
        _tulis_klaim(tx, event, entri, h, slot, kunci, isi(obj))
    tx.set(ref, {"data": obj.model_dump(mode="json"), "email_hash": hash_baru,
                 "diterima_pada": datetime.now(timezone.utc)})


def terapkan_dinas(tx: Tx, event: Event[Any]) -> None:
    """``referensi.dinas.diperbarui``: the Kepala Dinas, Pejabat Penilai of principals (P14)."""
    _terapkan_dengan_identitas(tx, event, Dinas, repo.DINAS, "dinas_id", "kepala_dinas_email_belajar_id",
                               lambda d: bool(d.kepala_dinas_id),
                               lambda d: {"kepala_dinas_id": d.kepala_dinas_id, "dinas_id": d.dinas_id}, SLOT_DINAS)


def terapkan_pengawas(tx: Tx, event: Event[Any]) -> None:
    """``referensi.pengawas.diperbarui``: a pengawas sekolah, who may be the delegated Pejabat Penilai of a
    principal (P14). Active: their e-mail is indexed; inactive or e-mail changed: the old entry is cleared. The
    pengawas's Dinas is ``pengawas_dinas_id`` so a Kepala Dinas entry on the same e-mail is never touched."""
    _terapkan_dengan_identitas(tx, event, Pengawas, repo.PENGAWAS, "pengawas_id", "email_belajar_id",
                               lambda p: p.aktif,
                               lambda p: {"pengawas_id": p.pengawas_id, "pengawas_dinas_id": p.dinas_id}, SLOT_PENGAWAS)
