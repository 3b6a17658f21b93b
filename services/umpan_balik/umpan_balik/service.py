"""Use cases and event effects of Umpan Balik (U1-U5, K8).

One function per user action, and one effect per consumed topic. No Flask and
no Pub/Sub here: a use case gets the platform (`p.uow`, `p.db`), the verified
caller (`pelaku` = token `sub`, `email` for the role lookup) and the request's
time; an effect gets the transaction and the typed event.

Collections (`umpan_balik__<name>`):

- `karya/{karya_id}`          mirror of what feedback needs from a karya event:
                              owner, kategori, title, versi, deleted tombstone
- `tautan/{sha256(token)}`    mirror of karya's share links (`karya.tautan.*`): karya, root hash,
                              `dikenal` (dibuat seen), `dicabut` (final). The raw token a link holder
                              sends is the capability: hashed here and checked against this mirror
- `ptk/{ptk_id}`              the PTK's role and name, newest `versi`, e-mail hashes
- `identitas/{sha256(email)}` e-mail hash -> ptk id, role, name (never the e-mail)
- `umpan_balik/{id}`          one feedback; id = hash(karya, giver): one per person
- `notifikasi/{nb_<hash>}`    the owner's notification, id from the event id
- `penghitung/{karya}~{kuesioner}~{shard}`  sharded answer counts (see domain.penghitung)
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared import klaim_email
from shared.contracts.umpan_balik import UmpanBalikDikirim
from shared.errors import DomainError, Forbidden, NotFound
from shared.events import Event, make_event
from shared.firestore import Tx, collection_name, count, read, read_many, stream, tanpa_indeks
from shared.logs import get_logger
from shared.models import FrozenModel
from umpan_balik.domain import kuesioner as kuesioner_domain
from umpan_balik.domain import notifikasi as notifikasi_domain
from umpan_balik.domain import penghitung
from umpan_balik.domain.analisa import AnalisaKuesioner, analisa_kuesioner
from umpan_balik.domain.kuesioner import Kuesioner
from umpan_balik.domain.notifikasi import Notifikasi, PeranPemberi
from umpan_balik.domain.validasi import UmpanBalikMasuk, UmpanBalikTervalidasi, validasi_umpan_balik

SERVICE = "umpan_balik"
TOPIK_DIKIRIM = "umpan_balik.umpan_balik.dikirim"
KARYA, PTK, TAUTAN = "karya", "ptk", "tautan"
IDENTITAS = tanpa_indeks(SERVICE, "identitas", klaim_email.KLAIM,
                         "every record's claim on an e-mail (shared/klaim_email.py), keyed by record id; read by id only")
PANJANG_TOKEN_MAKS = 200  # karya's tokens are 43 characters; anything far longer is not a link
UMPAN_BALIK, NOTIFIKASI, PENGHITUNG = "umpan_balik", "notifikasi", "penghitung"
BATAS_HALAMAN_BAWAAN, BATAS_HALAMAN_MAKS = 20, 50

log = get_logger(__name__)


# --- records -----------------------------------------------------------------------------

class KaryaCermin(FrozenModel):
    """What umpan_balik knows of a karya, from karya's events only."""

    karya_id: str
    pemilik_id: str
    kategori: str
    judul: str
    versi: int
    dihapus: bool = False


class UmpanBalik(FrozenModel):
    """One stored feedback (the three parts of U1), tied to its questionnaire version."""

    id: str
    karya_id: str
    pemilik_karya_id: str
    karya_judul: str
    pemberi_id: str
    pemberi_peran: PeranPemberi
    pemberi_nama: str | None = None
    kuesioner_id: str
    kategori: str
    versi: int
    jawaban: dict[str, str]
    tanggapan: dict[str, str]
    saran: str
    dikirim_pada: datetime
    urutan: int

    def tervalidasi(self) -> UmpanBalikTervalidasi:
        return UmpanBalikTervalidasi(kuesioner_id=self.kuesioner_id, kategori=self.kategori, versi=self.versi,
                                     jawaban=self.jawaban, tanggapan=self.tanggapan, saran=self.saran)


def umpan_balik_id(karya_id: str, pemberi_id: str) -> str:
    """One feedback per person per karya: the id is the hash of both."""
    return "ub_" + hashlib.sha256(f"{karya_id}|{pemberi_id}".encode()).hexdigest()[:32]


def hash_email(email: str) -> str:
    """Id of the identity index: the e-mail itself is never stored, used as an id or logged."""
    return hashlib.sha256(f"umpan_balik.identitas|{email.strip().lower()}".encode()).hexdigest()


def _urutan(t: datetime) -> int:
    """Sort key: microseconds since the epoch (with the id as tie-breaker)."""
    return int(t.astimezone(timezone.utc).timestamp() * 1_000_000)


def _utc(t: datetime) -> datetime:
    return t.astimezone(timezone.utc) if t.tzinfo else t.replace(tzinfo=timezone.utc)


def _col(p: Any, name: str) -> firestore.CollectionReference:
    return p.db.collection(collection_name(SERVICE, name))


def _karya_tidak_ditemukan(karya_id: str) -> NotFound:
    return NotFound("karya_tidak_ditemukan",
                    "Karya tidak ditemukan. Tautannya mungkin salah, karya sudah dihapus pemiliknya, atau karya "
                    "baru saja disimpan: buka kembali tautan dari rekan Anda beberapa saat lagi.", karya_id=karya_id)


# --- cursors -----------------------------------------------------------------------------

def buat_kursor(urutan: int, doc_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([urutan, doc_id]).encode()).decode().rstrip("=")


def baca_kursor(kursor: str | None) -> tuple[int, str] | None:
    if not kursor:
        return None
    try:
        urutan, doc_id = json.loads(base64.urlsafe_b64decode(kursor + "=" * (-len(kursor) % 4)))
        if isinstance(urutan, int) and isinstance(doc_id, str):
            return urutan, doc_id
    except (ValueError, TypeError, binascii.Error):
        pass
    raise DomainError("kursor_tidak_valid", "Penanda halaman tidak valid. Muat ulang daftar dari halaman pertama.",
                      status=422)


def _halaman(query: firestore.Query, batas: int, kursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """Newest first (`urutan`, `id` descending), `batas` a page, opaque cursor."""
    query = query.order_by("urutan", direction=firestore.Query.DESCENDING) \
                 .order_by("id", direction=firestore.Query.DESCENDING)
    posisi = baca_kursor(kursor)
    if posisi is not None:
        query = query.start_after({"urutan": posisi[0], "id": posisi[1]})
    docs = [d.to_dict() for d in stream(query.limit(batas + 1))]
    berikut = buat_kursor(docs[batas - 1]["urutan"], docs[batas - 1]["id"]) if len(docs) > batas else None
    return docs[:batas], berikut


# --- 1. consumers: karya mirror ----------------------------------------------------------

def terapkan_karya(tx: Tx, event: Event[Any]) -> None:
    """`karya.karya.dipublikasikan` / `diperbarui`: keep the newest owner, kategori and title.
    Out-of-order and replayed events (versi not newer) change nothing; a deleted karya stays deleted."""
    d = event.data
    ref = tx.ref(KARYA, d.karya_id)
    lama = tx.get(ref)
    if lama is not None and (lama.get("dihapus") or lama["versi"] >= d.versi):
        return
    tx.set(ref, KaryaCermin(karya_id=d.karya_id, pemilik_id=d.pemilik_id, kategori=d.kategori, judul=d.judul,
                            versi=d.versi).model_dump(mode="json"))


def terapkan_karya_dihapus(tx: Tx, event: Event[Any]) -> None:
    """`karya.karya.dihapus`: a tombstone, so a late publish/edit event never revives the karya."""
    d = event.data
    ref = tx.ref(KARYA, d.karya_id)
    lama = tx.get(ref) or {}
    tx.set(ref, {"karya_id": d.karya_id, "pemilik_id": d.pemilik_id, "kategori": lama.get("kategori", ""),
                 "judul": lama.get("judul", ""), "versi": max(d.versi, lama.get("versi", 0)), "dihapus": True})


# --- 1b. consumers: share links (the capability of a link holder) --------------------------

def hash_token(token: str) -> str:
    """The same hash karya stores and publishes: sha256 of the raw token, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def terapkan_tautan_dibuat(tx: Tx, event: Event[Any]) -> None:
    """`karya.tautan.dibuat`: remember the link's hash, karya and root. A revocation seen before
    (disorder) stays: `dicabut` is never cleared."""
    d = event.data
    ref = tx.ref(TAUTAN, d.token_hash)
    lama = tx.get(ref) or {}
    tx.set(ref, {"token_hash": d.token_hash, "karya_id": d.karya_id, "akar_hash": d.akar_hash,
                 "dikenal": True, "dicabut": bool(lama.get("dicabut"))})


def terapkan_tautan_dicabut(tx: Tx, event: Event[Any]) -> None:
    """`karya.tautan.dicabut`: final. Arriving before its `dibuat` it still wins (the later create keeps it)."""
    d = event.data
    ref = tx.ref(TAUTAN, d.token_hash)
    lama = tx.get(ref) or {}
    tx.set(ref, {"token_hash": d.token_hash, "karya_id": d.karya_id, "akar_hash": d.akar_hash,
                 "dikenal": bool(lama.get("dikenal")), "dicabut": True})


def _tautan_tidak_valid() -> NotFound:
    return NotFound("tautan_tidak_valid",
                    "Tautan karya tidak valid. Minta tautan yang benar kepada pengirimnya; tautan yang baru saja "
                    "dibuat dapat dipakai beberapa saat lagi.")


def periksa_tautan(tautan: dict[str, Any] | None, akar: dict[str, Any] | None) -> str:
    """The karya id a link gives access to: 404 when the link is unknown, 410 when it or its root was
    revoked. A root not mirrored yet (its event still on the way) counts as not revoked."""
    if tautan is None or not tautan.get("dikenal"):
        if tautan is not None and tautan.get("dicabut"):
            raise _tautan_dicabut()
        raise _tautan_tidak_valid()
    if tautan.get("dicabut") or (akar or {}).get("dicabut"):
        raise _tautan_dicabut()
    return tautan["karya_id"]


def _tautan_dicabut() -> DomainError:
    return DomainError("tautan_dicabut", "Tautan ini sudah tidak berlaku. Minta tautan baru kepada pemilik karya.",
                       status=410)


def _hash_dari_token(token: str) -> str:
    if not token or len(token) > PANJANG_TOKEN_MAKS:
        raise _tautan_tidak_valid()
    return hash_token(token)


def karya_dari_tautan(p: Any, token: str) -> str:
    """Plain reads (read-only routes): the link, then its root."""
    h = _hash_dari_token(token)
    tautan = read(_col(p, TAUTAN).document(h))
    akar = None
    if tautan is not None and tautan.get("akar_hash") and tautan["akar_hash"] != h:
        akar = read(_col(p, TAUTAN).document(tautan["akar_hash"]))
    return periksa_tautan(tautan, akar)


def _karya_dari_tautan_tx(tx: Tx, token: str) -> str:
    h = _hash_dari_token(token)
    tautan = tx.get(tx.ref(TAUTAN, h))
    akar = None
    if tautan is not None and tautan.get("akar_hash") and tautan["akar_hash"] != h:
        akar = tx.get(tx.ref(TAUTAN, tautan["akar_hash"]))
    return periksa_tautan(tautan, akar)


# --- 2. consumer: PTK reference (role of a giver) ------------------------------------------

SLOT_PTK = klaim_email.Slot("ptk", orang="ptk_id", kunci="ptk_id", kolom=("ptk_id", "peran", "nama", "versi"))


def peran_dari_ptk(jabatan: str, plt: list[Any]) -> PeranPemberi:
    """kepala sekolah (definitive or Plt.) or guru (guru, guru BK, anything else)."""
    return "kepala_sekolah" if jabatan.strip().lower() == "kepala_sekolah" or plt else "guru"


def terapkan_ptk(tx: Tx, event: Event[Any]) -> None:
    """`referensi.ptk.diperbarui`: role and name by e-mail hash; newest `versi` wins; an address two
    PTK records list is quarantined (nobody's role) until one of them drops it.
    Only the role, the name and the e-mail hashes are kept (no NIP, NIK, birth date, e-mail)."""
    d = event.data
    ref = tx.ref(PTK, d.ptk_id)
    lama = tx.get(ref)
    if lama is not None and lama["versi"] >= d.versi:
        return
    emails = [e for e in [d.email_belajar_id, *d.email_belajar_id_lain] if e and "@" in e]
    hash_baru = sorted({hash_email(e) for e in emails})
    hash_lama = (lama or {}).get("email_hash", [])
    hashes = list(dict.fromkeys([*hash_lama, *hash_baru]))
    entri = tx.get_many([tx.ref(IDENTITAS, h) for h in hashes]) if hashes else {}
    # --- writes: each address gets this record's claim (or loses it); two persons on one address
    # quarantine it for both (shared/klaim_email.py), whatever the arrival order
    peran = peran_dari_ptk(d.jabatan, d.plt)
    isi = {"ptk_id": d.ptk_id, "peran": peran, "nama": d.nama, "versi": d.versi}
    for h in hashes:
        tx.set(tx.ref(IDENTITAS, h), klaim_email.klaim(entri.get(h), SLOT_PTK, d.ptk_id,
                                                       isi if h in hash_baru else None))
    tx.set(ref, {"ptk_id": d.ptk_id, "peran": peran, "nama": d.nama, "versi": d.versi, "email_hash": hash_baru})


# --- 3. use cases: questionnaire, send, list ------------------------------------------------

@dataclass(frozen=True)
class FormulirKuesioner:
    karya: KaryaCermin
    kuesioner: Kuesioner
    milik_saya: bool
    umpan_balik_saya_id: str | None


def _karya_aktif(data: dict[str, Any] | None, karya_id: str) -> KaryaCermin:
    if data is None or data.get("dihapus"):
        raise _karya_tidak_ditemukan(karya_id)
    return KaryaCermin.model_validate(data)


def ambil_kuesioner(p: Any, pelaku: str, token: str) -> FormulirKuesioner:
    """The form of the karya behind a live link (U2): the current version of its kategori's questionnaire."""
    karya_id = karya_dari_tautan(p, token)
    refs = [_col(p, KARYA).document(karya_id), _col(p, UMPAN_BALIK).document(umpan_balik_id(karya_id, pelaku))]
    d_karya, d_ub = read_many(p.db, refs)
    karya = _karya_aktif(d_karya, karya_id)
    sudah = d_ub is not None
    return FormulirKuesioner(karya, kuesioner_domain.kuesioner_terkini(karya.kategori), karya.pemilik_id == pelaku,
                             refs[1].id if sudah else None)


def kirim_umpan_balik(p: Any, pelaku: str, email: str | None, token: str, masuk: UmpanBalikMasuk,
                      now: datetime) -> tuple[UmpanBalik, bool]:
    """"Kirim Umpan Balik" (U1, U3, K8) through a live share link. Returns (feedback, new?).

    One transaction: reads (the link and its root: 404 unknown, 410 revoked; karya mirror, this
    person's feedback, their identity) first; a
    resend answers the existing feedback; the owner is refused; validation and moderation
    run before any write, so a refused text is never stored; then the feedback and the
    `dikirim` event (outbox) are written together."""
    now = _utc(now)
    karya_id = karya_dari_tautan(p, token)  # fail fast outside the transaction; checked again inside
    ub_id = umpan_balik_id(karya_id, pelaku)

    def work(tx: Tx) -> tuple[UmpanBalik, bool]:
        if _karya_dari_tautan_tx(tx, token) != karya_id:  # pragma: no cover - a link never changes karya
            raise _tautan_tidak_valid()
        refs = [tx.ref(KARYA, karya_id), tx.ref(UMPAN_BALIK, ub_id)]
        if email:
            refs.append(tx.ref(IDENTITAS, hash_email(email)))
        found = tx.get_many(refs)
        karya = _karya_aktif(found.get(karya_id), karya_id)
        if karya.pemilik_id == pelaku:
            raise Forbidden("pemilik_tidak_dapat_memberi_umpan_balik",
                            "Anda tidak dapat memberi umpan balik pada karya Anda sendiri. Bagikan tautannya kepada "
                            "rekan guru dan kepala sekolah untuk mendapatkan umpan balik.")
        if found.get(ub_id) is not None:
            return UmpanBalik.model_validate(found[ub_id]), False
        kuesioner = kuesioner_domain.kuesioner_terkini(karya.kategori)
        valid = validasi_umpan_balik(masuk, kuesioner)  # raises before any write (U3 moderation included)
        identitas = found.get(hash_email(email)) if email else None
        klaim_email.periksa(identitas)  # an address two Dapodik records list speaks for neither
        peran: PeranPemberi = (identitas or {}).get("peran") or "guru"
        ub = UmpanBalik(id=ub_id, karya_id=karya_id, pemilik_karya_id=karya.pemilik_id, karya_judul=karya.judul,
                        pemberi_id=pelaku, pemberi_peran=peran, pemberi_nama=(identitas or {}).get("nama"),
                        kuesioner_id=valid.kuesioner_id, kategori=valid.kategori, versi=valid.versi,
                        jawaban=valid.jawaban, tanggapan=valid.tanggapan, saran=valid.saran,
                        dikirim_pada=now, urutan=_urutan(now))
        tx.create(tx.ref(UMPAN_BALIK, ub_id), ub.model_dump(mode="json"))
        tx.emit(make_event(SERVICE, TOPIK_DIKIRIM, UmpanBalikDikirim(
            umpan_balik_id=ub_id, karya_id=karya_id, pemilik_karya_id=karya.pemilik_id, pemberi_peran=peran,
            kategori=valid.kategori, kuesioner_versi=valid.versi, dikirim_pada=now), subject=f"karya/{karya_id}"))
        return ub, True

    try:
        return p.uow.run(work)
    except gexc.AlreadyExists:  # a double click lost the race to its twin: answer the twin's feedback
        return UmpanBalik.model_validate(read(_col(p, UMPAN_BALIK).document(ub_id))), False


def _karya_untuk(p: Any, karya_id: str) -> KaryaCermin:
    return _karya_aktif(read(_col(p, KARYA).document(karya_id)), karya_id)


def _karya_milik(p: Any, pelaku: str, karya_id: str) -> KaryaCermin:
    """The owner's karya; anybody else's answers the same 404 as a missing one (K1)."""
    karya = _karya_untuk(p, karya_id)
    if karya.pemilik_id != pelaku:
        raise _karya_tidak_ditemukan(karya_id)
    return karya


def daftar_umpan_balik(p: Any, pelaku: str, karya_id: str, batas: int, kursor: str | None,
                       sebagai_pemilik: bool = True) -> tuple[KaryaCermin, list[UmpanBalik], str | None]:
    """The owner's view of a karya's feedback, newest first (U5): only the owner (K1: 404 for anyone else).
    Link holders read through `daftar_umpan_balik_tautan` (the link token is their capability)."""
    if not sebagai_pemilik:
        raise ValueError("link holders read with daftar_umpan_balik_tautan(token)")
    return _daftar(p, _karya_milik(p, pelaku, karya_id), batas, kursor)


def daftar_umpan_balik_tautan(p: Any, pelaku: str, token: str, batas: int,
                              kursor: str | None) -> tuple[KaryaCermin, list[UmpanBalik], str | None]:
    """Feedback visible to link holders (U3), newest first: only through a live link of the karya
    (unknown link 404, revoked link or root 410)."""
    return _daftar(p, _karya_untuk(p, karya_dari_tautan(p, token)), batas, kursor)


def _daftar(p: Any, karya: KaryaCermin, batas: int, kursor: str | None):
    q = _col(p, UMPAN_BALIK).where(filter=FieldFilter("karya_id", "==", karya.karya_id))
    docs, berikut = _halaman(q, batas, kursor)
    return karya, [UmpanBalik.model_validate(d) for d in docs], berikut


# --- 4. consumer of our own event: counters and notification -------------------------------

def _kenaikan_bersarang(kenaikan: dict[str, int]) -> dict[str, Any]:
    """`{"a.b.c": 1}` -> `{"a": {"b": {"c": Increment(1)}}}` for a merge-set (creates the shard if absent)."""
    hasil: dict[str, Any] = {}
    for jalur, n in kenaikan.items():
        *induk, daun = jalur.split(".")
        tujuan = hasil
        for bagian in induk:
            tujuan = tujuan.setdefault(bagian, {})
        tujuan[daun] = firestore.Increment(n)
    return hasil


def catat_umpan_balik_dikirim(tx: Tx, event: Event[Any], shard_count: int = penghitung.SHARD_COUNT) -> None:
    """`umpan_balik.umpan_balik.dikirim` (ours): +1 on one counter shard of the feedback's
    questionnaire version (U5) and the owner's unread notification (U4).

    Runs under the consumer ledger (same transaction), so a redelivery does nothing; the
    notification is also created only if absent (its id is derived from the event id), so
    even a replay after the ledger expired never resets `dibaca`. The shard is chosen from
    the event id: concurrent feedbacks spread over `shard_count` documents."""
    d = event.data
    ub_ref = tx.ref(UMPAN_BALIK, d.umpan_balik_id)
    notif_ref = tx.ref(NOTIFIKASI, notifikasi_domain.notifikasi_id(event.id))
    found = tx.get_many([ub_ref, notif_ref])
    data = found.get(ub_ref.id)
    if data is None:  # written in the same commit as the event: only a purge can remove it
        log.warning("feedback of event missing; nothing counted", extra={"event_id": event.id})
        return
    ub = UmpanBalik.model_validate(data)
    shard = penghitung.pilih_shard(event.id, shard_count)
    # --- writes
    tx.set(tx.ref(PENGHITUNG, penghitung.id_shard(ub.karya_id, ub.kuesioner_id, shard)),
           {"karya_id": ub.karya_id, "kuesioner_id": ub.kuesioner_id, "kategori": ub.kategori, "versi": ub.versi,
            "shard": shard, **_kenaikan_bersarang(penghitung.kenaikan_shard(ub.tervalidasi()))}, merge=True)
    if found.get(notif_ref.id) is None:
        n = notifikasi_domain.buat_notifikasi(
            event_id=event.id, penerima_id=ub.pemilik_karya_id, karya_id=ub.karya_id, umpan_balik_id=ub.id,
            pemberi_peran=ub.pemberi_peran, dibuat=_utc(d.dikirim_pada), karya_judul=ub.karya_judul)
        tx.create(notif_ref, _dokumen_notifikasi(n))


# --- 5. notifications (U4) ------------------------------------------------------------------

def _dokumen_notifikasi(n: Notifikasi) -> dict[str, Any]:
    return n.model_dump(mode="json") | {"urutan": _urutan(n.dibuat)}


def _notifikasi(data: dict[str, Any]) -> Notifikasi:
    return Notifikasi.model_validate({k: v for k, v in data.items() if k in Notifikasi.model_fields})


def daftar_notifikasi(p: Any, pelaku: str, batas: int, kursor: str | None) -> tuple[list[Notifikasi], int, str | None]:
    """My notifications newest first, and the number of unread ones (the blue dots)."""
    q = _col(p, NOTIFIKASI).where(filter=FieldFilter("penerima_id", "==", pelaku))
    docs, berikut = _halaman(q, batas, kursor)
    belum = count(_col(p, NOTIFIKASI).where(filter=FieldFilter("penerima_id", "==", pelaku))
                  .where(filter=FieldFilter("dibaca", "==", False)))
    return [_notifikasi(d) for d in docs], belum, berikut


def buka_notifikasi(p: Any, pelaku: str, notifikasi_id: str, now: datetime) -> tuple[Notifikasi, UmpanBalik]:
    """Opening a notification clears its blue dot and leads straight to the feedback (U4).
    Someone else's notification answers the same 404 as a missing one."""
    now = _utc(now)

    def work(tx: Tx) -> tuple[Notifikasi, UmpanBalik]:
        data = tx.get(tx.ref(NOTIFIKASI, notifikasi_id))
        if data is None or data.get("penerima_id") != pelaku:
            raise NotFound("notifikasi_tidak_ditemukan", "Notifikasi tidak ditemukan.")
        n = _notifikasi(data)
        found = tx.get_many([tx.ref(UMPAN_BALIK, n.umpan_balik_id), tx.ref(KARYA, n.karya_id)])
        _karya_aktif(found.get(n.karya_id), n.karya_id)
        ub_data = found.get(n.umpan_balik_id)
        if ub_data is None:
            raise NotFound("umpan_balik_tidak_ditemukan", "Umpan balik ini sudah tidak tersedia.")
        dibaca = notifikasi_domain.tandai_dibaca(n, now)
        if dibaca is not n:
            tx.update(tx.ref(NOTIFIKASI, n.id), {"dibaca": True, "dibaca_pada": dibaca.dibaca_pada.isoformat()})
        return dibaca, UmpanBalik.model_validate(ub_data)

    return p.uow.run(work)


# --- 6. analysis (U5) -----------------------------------------------------------------------

@dataclass(frozen=True)
class AnalisaVersi:
    analisa: AnalisaKuesioner
    jumlah_umpan_balik: int
    terkini: bool


def _shard_karya(p: Any, karya_id: str) -> dict[str, list[dict[str, Any]]]:
    q = _col(p, PENGHITUNG).where(filter=FieldFilter("karya_id", "==", karya_id))
    per_kuesioner: dict[str, list[dict[str, Any]]] = {}
    for snap in stream(q):
        data = snap.to_dict()
        per_kuesioner.setdefault(data["kuesioner_id"], []).append(data)
    return per_kuesioner


def _kuesioner_dari_id(kuesioner_id: str) -> Kuesioner:
    kategori, _, versi = kuesioner_id.rpartition(".v")
    return kuesioner_domain.kuesioner_versi(kategori, int(versi))


def hitungan_karya(p: Any, karya_id: str) -> dict[str, penghitung.Hitungan]:
    """Merged counters of every questionnaire version the karya was answered on."""
    return {kid: penghitung.gabung_shard(shards) for kid, shards in _shard_karya(p, karya_id).items()}


def analisa_karya(p: Any, pelaku: str, karya_id: str) -> tuple[KaryaCermin, list[AnalisaVersi]]:
    """"Lihat Analisa Kuesioner" (U5): per version answered (and the current one, even if
    empty), each question's counts and percentages. Old answers stay with their version."""
    karya = _karya_milik(p, pelaku, karya_id)
    hitungan = hitungan_karya(p, karya_id)
    terkini = kuesioner_domain.kuesioner_terkini(karya.kategori)
    hitungan.setdefault(terkini.id, penghitung.Hitungan())
    hasil = []
    for kid, h in hitungan.items():
        k = _kuesioner_dari_id(kid)
        hasil.append(AnalisaVersi(analisa_kuesioner(k, h.jumlah), h.jumlah_umpan_balik, kid == terkini.id))
    hasil.sort(key=lambda a: (not a.terkini, a.analisa.kategori, -a.analisa.versi))
    return karya, hasil


def hitung_ulang_karya(p: Any, karya_id: str) -> dict[str, penghitung.Hitungan]:
    """Counts recomputed from the raw feedback (to check or rebuild the counters)."""
    daftar = [UmpanBalik.model_validate(s.to_dict()) for s in
              stream(_col(p, UMPAN_BALIK).where(filter=FieldFilter("karya_id", "==", karya_id)))]
    return {kid: penghitung.hitung_ulang([u.tervalidasi() for u in daftar], _kuesioner_dari_id(kid))
            for kid in sorted({u.kuesioner_id for u in daftar})}


def label_umpan_balik(ub: UmpanBalik) -> Kuesioner:
    """The questionnaire version a feedback was given on (to label its answers)."""
    return kuesioner_domain.kuesioner_versi(ub.kategori, ub.versi)


EffectFn = Callable[[Tx, Event[Any]], None]
