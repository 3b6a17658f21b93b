"""Use cases of Bukti Karya (K1-K8): one function per user action.

No Flask and no Pub/Sub here. Each use case gets the platform (`p`: unit of
work, Firestore, Google configuration, envelope encryption) and the verified
user id (`pelaku`, the token's `sub`; never from a body) and the request time.
Calls to Google never run inside a Firestore transaction (a transaction may be
retried); they happen before or after it.

YouTube quota units per use case (each call 1 unit; `search.list` never used):
  hubungkan akun (callback)      1  channels.list mine=true (channel + uploads playlist stored)
  daftar unggahan, per page      1  playlistItems.list (uploads playlist id is stored)
  pilih video / ganti video      1  videos.list (ownership, processed, embeddable, privacy)
  simpan karya                   1  videos.list (re-check: it may have changed while the form was filled)
  => one import (list + pick + save) = 3 units
  periksa ulang (scheduler)      1  per 50 saved videos of one account
"""
from __future__ import annotations

import base64
import hashlib
import json
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterator

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from pydantic import AwareDatetime, Field

from shared.contracts.karya import (
    KaryaDihapus,
    KaryaDiperbarui,
    KaryaDipublikasikan,
    TautanKaryaDibuat,
    TautanKaryaDicabut,
    VideoKaryaTidakTersedia,
)
from shared.errors import Conflict, DomainError, NotFound
from shared.events import make_event
from shared.firestore import (Repository, Tx, collection_name, count_writes, dengan_kedaluwarsa, koleksi_kedaluwarsa,
                              read, read_many, stream, tanpa_kedaluwarsa)
from shared.logs import get_logger
from shared.models import Identifier, StrictModel

from karya.adapters.kms import GALAT_KUNCI_UMUM
from karya.adapters.kripto import DekripsiGagal
from karya.adapters.youtube import HalamanUnggahan, KlienYoutube, TokenTersimpan, cabut_token, tukar_kode
from karya.domain import berbagi
from karya.domain.berbagi import TautanBerbagi
from karya.domain.karya import Draf, Karya, MetadataKarya, pastikan_pemilik, urutan_waktu
from karya.domain.oauth import MulaiOtorisasi, PermintaanOtorisasi, mulai_otorisasi, periksa_state

log = get_logger(__name__)
SERVICE = "karya"
PANDUAN_UNGGAH = "https://support.google.com/youtube/answer/57407?hl=id"
UKURAN_BATCH_VIDEO = 50


# --- what is stored ------------------------------------------------------------------

class AkunYoutube(StrictModel):
    """A connected YouTube account of one PMM user (K3, K4: several per user).
    The refresh token is stored only envelope-encrypted, bound to this document."""

    id: Identifier
    pemilik_id: Identifier
    channel_id: str
    judul_kanal: str
    playlist_unggahan: str
    thumbnail: str | None = None
    refresh_token_terenkripsi: str
    terhubung_pada: AwareDatetime
    versi: int = 1


class DrafTersimpan(Draf):
    """A `Draf` (chosen video, not yet saved) with its storage fields."""

    id: Identifier
    dibuat_pada: AwareDatetime
    diperbarui_pada: AwareDatetime
    versi: int = 1


class KaryaTersimpan(Karya):
    """A `Karya` with its query fields: `urutan` (newest-first sort key) and
    `diperiksa` (microseconds of the last YouTube re-check)."""

    urutan: int
    diperiksa: int = 0


class HitunganUmpanBalik(StrictModel):
    karya_id: str
    jumlah: int = 0
    per_peran: dict[str, int] = Field(default_factory=dict)


akun_repo = Repository(AkunYoutube, "akun_youtube")
draf_repo = Repository(DrafTersimpan, "draf")
karya_repo = Repository(KaryaTersimpan, "karya")
# a started login holds the PKCE verifier: it is deleted (TTL) once its state has expired, used or not
OTORISASI = koleksi_kedaluwarsa(SERVICE, "otorisasi", "TTL: a pending YouTube login (PKCE verifier) is useless "
                                                      "after its state expires (about ten minutes); read by id only")
TAUTAN = "tautan"
UMPAN_BALIK = "umpan_balik"
KUOTA = "kuota_youtube"


# --- errors ---------------------------------------------------------------------------

def _akun_tidak_ditemukan() -> NotFound:
    return NotFound("akun_youtube_tidak_ditemukan",
                    "Akun YouTube tidak ditemukan. Klik 'Login dengan akun YouTube' untuk menghubungkannya.")


def _draf_tidak_ditemukan() -> NotFound:
    return NotFound("draf_tidak_ditemukan",
                    "Draf karya tidak ditemukan atau sudah disimpan. Pilih video lagi dari akun YouTube Anda.")


def _perlu_login_ulang() -> DomainError:
    return DomainError("akun_youtube_kedaluwarsa",
                       "Izin akses ke akun YouTube Anda sudah berakhir atau dicabut. Klik 'Login dengan akun "
                       "YouTube' untuk menghubungkan akun Anda lagi.", status=403)


def _tautan_tidak_valid() -> NotFound:
    return NotFound("tautan_tidak_valid", "Tautan karya tidak valid. Minta tautan yang benar kepada pengirimnya.")


# --- helpers --------------------------------------------------------------------------

def _utc(now: datetime) -> datetime:
    return now.astimezone(timezone.utc)


def _id_akun(pemilik_id: str, channel_id: str) -> str:
    """One document per (user, channel): reconnecting the same channel replaces its token."""
    return hashlib.sha256(f"{pemilik_id}\x00{channel_id}".encode()).hexdigest()[:32]


def _konteks(akun_id: str, pemilik_id: str) -> str:
    return f"karya/akun_youtube/{akun_id}/{pemilik_id}"


def _hari_kuota(now: datetime) -> str:
    """YouTube's quota day resets at midnight Pacific time."""
    try:
        from zoneinfo import ZoneInfo

        return now.astimezone(ZoneInfo("America/Los_Angeles")).date().isoformat()
    except Exception:  # noqa: BLE001 - no tz database
        return now.date().isoformat()


def catat_kuota(p: Any, use_case: str, unit: int, now: datetime) -> None:
    """Log and count the YouTube units one use case spent: a sharded daily
    counter (`karya__kuota_youtube/<PT day>-<shard>`, one field per use case),
    so the app's 10,000 units a day can be watched per use case. Never fails the request."""
    if unit <= 0:
        return
    log.info("youtube quota", extra={"use_case": use_case, "unit_kuota_youtube": unit})
    hari = _hari_kuota(now)
    try:
        p.db.collection(collection_name(SERVICE, KUOTA)).document(f"{hari}-{random.randrange(10)}").set(
            {"hari": hari, use_case: firestore.Increment(unit), "total": firestore.Increment(unit)}, merge=True)
        count_writes(1)
    except Exception:  # noqa: BLE001 - a metric must not break the teacher's action
        log.warning("quota counter not written", extra={"use_case": use_case})


class _Kuota:
    """`with _Kuota(p, "simpan_karya", now) as k: k.klien = ...` records the
    units spent by the client(s) used inside, also when the use case fails."""

    def __init__(self, p: Any, use_case: str, now: datetime) -> None:
        self.p, self.use_case, self.now = p, use_case, now
        self.klien: list[KlienYoutube] = []

    def pakai(self, klien: KlienYoutube) -> KlienYoutube:
        self.klien.append(klien)
        return klien

    def __enter__(self) -> "_Kuota":
        return self

    def __exit__(self, *exc: Any) -> None:
        catat_kuota(self.p, self.use_case, sum(k.unit_kuota for k in self.klien), self.now)


def _sidik(akun: AkunYoutube) -> str:
    return hashlib.sha256(akun.refresh_token_terenkripsi.encode()).hexdigest()


def _klien(p: Any, akun: AkunYoutube, now: datetime | None = None) -> KlienYoutube:
    """A client for the account: the per-process token cache first (no key unwrap and,
    while the access token is valid, no token call); whatever the client refreshes is
    cached again for the next request."""
    sidik, cache = _sidik(akun), p.cache_token
    tersimpan = cache.ambil(akun.id, sidik, _utc(now or datetime.now(timezone.utc)))
    if tersimpan is None:
        try:
            refresh = p.enkripsi.dekripsi_teks(akun.refresh_token_terenkripsi, _konteks(akun.id, akun.pemilik_id))
        except DekripsiGagal:
            raise _perlu_login_ulang() from None
        tersimpan = TokenTersimpan(refresh_token=refresh)
        cache.simpan(akun.id, sidik, tersimpan)
    refresh = tersimpan.refresh_token.get_secret_value()

    def baru(access: str, kedaluwarsa: datetime | None) -> None:
        cache.simpan(akun.id, sidik, TokenTersimpan(refresh_token=refresh, access_token=access,
                                                    kedaluwarsa_pada=kedaluwarsa))

    return p.klien_youtube(
        refresh,
        access_token=tersimpan.access_token.get_secret_value() if tersimpan.access_token else None,
        kedaluwarsa_pada=tersimpan.kedaluwarsa_pada, saat_token_baru=baru)


def _akun_milik(p: Any, pelaku: str, akun_id: str) -> AkunYoutube:
    data = read(p.db.collection(collection_name(SERVICE, "akun_youtube")).document(akun_id))
    akun = AkunYoutube.model_validate(data) if data is not None else None
    if akun is None or akun.pemilik_id != pelaku:
        raise _akun_tidak_ditemukan()
    return akun


# --- 1. connect a YouTube account (K3, K4) ----------------------------------------------

def mulai_hubungkan(p: Any, pelaku: str, now: datetime) -> MulaiOtorisasi:
    """"Login dengan akun YouTube": the URL to send the browser to. The pending
    request (PKCE verifier, user, expiry) is stored under the state's nonce."""
    mulai = mulai_otorisasi(rahasia=p.rahasia_state, pengguna_id=pelaku, client_id=p.google.client_id,
                            redirect_uri=p.redirect_uri, sekarang=_utc(now), auth_uri=p.google.auth_uri)

    def work(tx: Tx) -> None:
        tx.create(tx.ref(OTORISASI, mulai.permintaan.nonce),
                  dengan_kedaluwarsa(mulai.permintaan.model_dump(mode="json"), mulai.permintaan.kedaluwarsa_pada))

    p.uow.run(work)
    return mulai


def _pakai_permintaan(p: Any, pelaku: str, state: str, now: datetime) -> PermintaanOtorisasi:
    """Verify the state (signature, user, expiry) and burn its pending request (single use)."""
    data = periksa_state(p.rahasia_state, state, pelaku, now)

    def work(tx: Tx) -> PermintaanOtorisasi:
        ref = tx.ref(OTORISASI, data.nonce)
        raw = tx.get(ref)
        if raw is None:
            raise DomainError("state_tidak_valid", "Permintaan login YouTube tidak valid. Ulangi dengan klik "
                              "'Login dengan akun YouTube'.", status=400)
        dipakai = PermintaanOtorisasi.model_validate(tanpa_kedaluwarsa(raw)).pakai(pelaku, now)
        tx.set(ref, dengan_kedaluwarsa(dipakai.model_dump(mode="json"), dipakai.kedaluwarsa_pada))
        return dipakai

    return p.uow.run(work)


def selesaikan_hubungkan(p: Any, pelaku: str, *, code: str | None, state: str, error: str | None,
                         now: datetime) -> AkunYoutube:
    """The OAuth callback: state checked and used once, code exchanged (PKCE),
    the channel read (1 unit), the refresh token stored encrypted."""
    now = _utc(now)
    permintaan = _pakai_permintaan(p, pelaku, state, now)
    if error or not code:
        raise DomainError("login_youtube_dibatalkan",
                          "Login YouTube dibatalkan atau izin tidak diberikan. Klik 'Login dengan akun YouTube' "
                          "lalu izinkan PMM melihat akun YouTube Anda.", status=400)
    token = tukar_kode(p.google, code=code, code_verifier=permintaan.code_verifier,
                       redirect_uri=permintaan.redirect_uri, sekarang=now)
    refresh = token.refresh_token.get_secret_value()  # tukar_kode refuses a grant without one
    with _Kuota(p, "hubungkan_akun", now) as kuota:
        kanal = kuota.pakai(p.klien_youtube(refresh, access_token=token.access_token.get_secret_value(),
                                            kedaluwarsa_pada=token.kedaluwarsa_pada)).kanal_saya()
    if kanal is None:
        try:
            cabut_token(p.google, refresh)  # nothing to keep: do not hold a token we will not use
        except DomainError:
            pass
        raise DomainError("kanal_youtube_tidak_ada",
                          "Akun Google ini belum memiliki kanal YouTube. Buat kanal dan unggah video Anda ke "
                          "YouTube terlebih dahulu, lalu hubungkan lagi.", panduan_unggah=PANDUAN_UNGGAH)
    akun_id = _id_akun(pelaku, kanal.channel_id)
    akun = AkunYoutube(
        id=akun_id, pemilik_id=pelaku, channel_id=kanal.channel_id, judul_kanal=kanal.judul,
        playlist_unggahan=kanal.playlist_unggahan, thumbnail=kanal.thumbnail,
        refresh_token_terenkripsi=p.enkripsi.enkripsi(refresh, _konteks(akun_id, pelaku)), terhubung_pada=now)
    p.cache_token.simpan(akun_id, _sidik(akun), TokenTersimpan(
        refresh_token=refresh, access_token=token.access_token, kedaluwarsa_pada=token.kedaluwarsa_pada))

    def work(tx: Tx) -> AkunYoutube:
        lama = akun_repo.get(tx, akun_id)
        if lama is None:
            return akun_repo.add(tx, akun)
        return akun_repo.save(tx, akun.model_copy(update={"versi": lama.versi}))

    return p.uow.run(work)


def daftar_akun(p: Any, pelaku: str) -> list[AkunYoutube]:
    q = p.db.collection(collection_name(SERVICE, "akun_youtube")).where(
        filter=FieldFilter("pemilik_id", "==", pelaku))
    return sorted((AkunYoutube.model_validate(d.to_dict()) for d in stream(q)),
                  key=lambda a: a.terhubung_pada, reverse=True)


def putuskan_akun(p: Any, pelaku: str, akun_id: str) -> None:
    """Disconnect ("Ganti akun" away from one): the encrypted token is deleted
    and revoked at Google (best effort). Saved karya of the account stay."""
    akun = _akun_milik(p, pelaku, akun_id)

    def work(tx: Tx) -> None:
        tx.delete(akun_repo.ref(tx, akun_id))

    p.uow.run(work)
    p.cache_token.hapus(akun_id)
    try:
        refresh = p.enkripsi.dekripsi_teks(akun.refresh_token_terenkripsi, _konteks(akun.id, akun.pemilik_id))
        cabut_token(p.google, refresh)
    except (DekripsiGagal, DomainError):
        log.warning("revocation at Google not confirmed", extra={"akun_id": akun_id})


# --- 2. pick a video (K3, K4) -----------------------------------------------------------

def daftar_unggahan(p: Any, pelaku: str, akun_id: str, halaman: str | None,
                    now: datetime) -> tuple[AkunYoutube, HalamanUnggahan]:
    """One page (50, newest first) of the account's uploads: 1 unit."""
    akun = _akun_milik(p, pelaku, akun_id)
    with _Kuota(p, "daftar_unggahan", now) as kuota:
        return akun, kuota.pakai(_klien(p, akun)).unggahan(akun.playlist_unggahan, halaman)


def _periksa_video(p: Any, akun: AkunYoutube, video_id: str, use_case: str, now: datetime):
    with _Kuota(p, use_case, now) as kuota:
        videos = kuota.pakai(_klien(p, akun)).video([video_id])
    return videos[0] if videos else None


def buat_draf(p: Any, pelaku: str, akun_id: str, video_id: str, now: datetime) -> DrafTersimpan:
    """Pick a video of the connected channel: it must be this channel's,
    processed, embeddable, public or unlisted (1 unit)."""
    now = _utc(now)
    akun = _akun_milik(p, pelaku, akun_id)
    video = _periksa_video(p, akun, video_id, "pilih_video", now)
    draf = DrafTersimpan(id=uuid.uuid4().hex, pemilik_id=pelaku, akun_youtube_id=akun.id,
                         channel_id=akun.channel_id, dibuat_pada=now, diperbarui_pada=now).pilih_video(video)
    return p.uow.run(lambda tx: draf_repo.add(tx, draf))


def _draf_milik(tx: Tx, pelaku: str, draf_id: str, versi: int | None = None) -> DrafTersimpan:
    draf = draf_repo.get(tx, draf_id)
    if draf is None or draf.pemilik_id != pelaku:  # a stranger gets 404, exactly as for a missing draft
        raise _draf_tidak_ditemukan()
    if versi is not None and draf.versi != versi:  # checked after ownership: a stranger never sees a 409
        raise Conflict("versi_tidak_cocok", "Draf ini sudah diubah di tempat lain. Muat ulang halaman, periksa "
                       "perubahannya, lalu coba lagi.", versi_sekarang=draf.versi, versi_dikirim=versi)
    return draf


def ganti_video(p: Any, pelaku: str, draf_id: str, video_id: str, versi: int | None,
                now: datetime) -> DrafTersimpan:
    """"Ganti Video" (K4): swap the video of an unsaved draft (1 unit)."""
    now = _utc(now)
    draf = p.uow.run(lambda tx: _draf_milik(tx, pelaku, draf_id, versi))
    akun = _akun_milik(p, pelaku, draf.akun_youtube_id)
    video = _periksa_video(p, akun, video_id, "ganti_video", now)
    baru = draf.ganti_video(video)

    def work(tx: Tx) -> DrafTersimpan:
        _draf_milik(tx, pelaku, draf_id, draf.versi)
        return draf_repo.save(tx, baru.model_copy(update={"diperbarui_pada": now}))

    return p.uow.run(work)


# --- 3. save, edit, delete (K5) ---------------------------------------------------------

def _payload(k: Karya) -> dict[str, Any]:
    return dict(karya_id=k.id, pemilik_id=k.pemilik_id, kategori=k.kategori, judul=k.judul,
                mata_pelajaran=k.mata_pelajaran, tingkat_kelas=k.tingkat_kelas, video_id=k.video.video_id,
                dibuat_pada=k.dibuat_pada, versi=k.versi)


def simpan_karya(p: Any, pelaku: str, draf_id: str, metadata: MetadataKarya, now: datetime) -> KaryaTersimpan:
    """"Simpan Video": metadata and consent checked, the video re-checked on
    YouTube (1 unit), the karya created and `karya.karya.dipublikasikan` published."""
    now = _utc(now)
    draf = p.uow.run(lambda tx: _draf_milik(tx, pelaku, draf_id))
    if draf.video is None:
        raise DomainError("video_belum_dipilih", "Pilih salah satu video dari akun YouTube Anda terlebih dahulu.")
    # The cheap checks first: a form error costs no quota.
    from karya.domain.karya import periksa_metadata

    periksa_metadata(metadata)
    akun = _akun_milik(p, pelaku, draf.akun_youtube_id)
    terbaru = _periksa_video(p, akun, draf.video.video_id, "simpan_karya", now)
    karya = draf.pilih_video(terbaru).simpan(karya_id=uuid.uuid4().hex, metadata=metadata,
                                             versi_persetujuan=p.settings.versi_persetujuan, sekarang=now)
    tersimpan = KaryaTersimpan(**karya.model_dump(), urutan=urutan_waktu(now), diperiksa=urutan_waktu(now))

    def work(tx: Tx) -> KaryaTersimpan:
        _draf_milik(tx, pelaku, draf_id, draf.versi)  # a double click saves once
        tx.delete(draf_repo.ref(tx, draf_id))
        karya_repo.add(tx, tersimpan)
        tx.emit(make_event(SERVICE, "karya.karya.dipublikasikan", KaryaDipublikasikan(**_payload(tersimpan)),
                           subject=f"karya/{tersimpan.id}"))
        return tersimpan

    return p.uow.run(work)


def _karya_milik(tx: Tx, pelaku: str, karya_id: str, versi: int | None = None) -> KaryaTersimpan:
    karya = karya_repo.get(tx, karya_id)
    pastikan_pemilik(karya, pelaku)  # a stranger gets 404, exactly as for a karya that does not exist
    assert karya is not None
    if versi is not None and karya.versi != versi:  # checked after ownership: a stranger never sees a 409
        raise Conflict("versi_tidak_cocok", "Karya ini sudah diubah di tempat lain. Muat ulang halaman, periksa "
                       "perubahannya, lalu coba lagi.", versi_sekarang=karya.versi, versi_dikirim=versi)
    return karya


def ubah_karya(p: Any, pelaku: str, karya_id: str, versi: int | None, perubahan: dict[str, str],
               now: datetime) -> KaryaTersimpan:
    now = _utc(now)

    def work(tx: Tx) -> KaryaTersimpan:
        karya = _karya_milik(tx, pelaku, karya_id, versi)
        baru = karya.ubah_metadata(perubahan, now)
        if baru is karya:
            return karya
        saved = karya_repo.save(tx, baru)
        tx.emit(make_event(SERVICE, "karya.karya.diperbarui",
                           KaryaDiperbarui(**_payload(saved), diperbarui_pada=now), subject=f"karya/{karya_id}"))
        return saved

    return p.uow.run(work)


def hapus_karya(p: Any, pelaku: str, karya_id: str, versi: int | None, now: datetime) -> None:
    now = _utc(now)

    def work(tx: Tx) -> None:
        karya = _karya_milik(tx, pelaku, karya_id, versi)
        tx.delete(karya_repo.ref(tx, karya_id))
        tx.emit(make_event(SERVICE, "karya.karya.dihapus", KaryaDihapus(
            karya_id=karya_id, pemilik_id=pelaku, dihapus_pada=now, versi=karya.versi), subject=f"karya/{karya_id}"))

    p.uow.run(work)


# --- 6. "Bukti Karya Saya" --------------------------------------------------------------

def _kursor(k: KaryaTersimpan) -> str:
    return base64.urlsafe_b64encode(json.dumps([k.urutan, k.id]).encode()).rstrip(b"=").decode()


def _baca_kursor(kursor: str) -> tuple[int, str]:
    try:
        u, i = json.loads(base64.urlsafe_b64decode(kursor + "=" * (-len(kursor) % 4)))
        if not isinstance(u, int) or not isinstance(i, str):
            raise ValueError
        return u, i
    except (ValueError, TypeError):
        raise DomainError("kursor_tidak_valid", "Kursor halaman tidak valid. Muat ulang daftar karya Anda.") from None


def _hitungan(p: Any, ids: list[str]) -> dict[str, HitunganUmpanBalik]:
    """Feedback counts of a page of karya: the shards of all of them in one `karya_id in [...]`
    query (≤ 30 ids a query), summed. Billed per shard document that exists (an empty query
    is one read): a karya without feedback costs nothing, one with k feedbacks min(k, N)."""
    if not ids:
        return {}
    col = p.db.collection(collection_name(SERVICE, UMPAN_BALIK))
    jumlah = {i: 0 for i in ids}
    per_peran: dict[str, dict[str, int]] = {i: {} for i in ids}
    for potongan in _potong(list(dict.fromkeys(ids)), 30):
        for snap in stream(col.where(filter=FieldFilter("karya_id", "in", potongan))):
            d = snap.to_dict()
            k = d["karya_id"]
            jumlah[k] += int(d.get("jumlah", 0))
            for peran, n in (d.get("per_peran") or {}).items():
                per_peran[k][peran] = per_peran[k].get(peran, 0) + int(n)
    return {i: HitunganUmpanBalik(karya_id=i, jumlah=jumlah[i], per_peran=per_peran[i]) for i in ids}


@dataclass
class HalamanKarya:
    items: list[tuple[KaryaTersimpan, HitunganUmpanBalik]]
    kursor_berikut: str | None


def daftar_karya_saya(p: Any, pelaku: str, batas: int, kursor: str | None) -> HalamanKarya:
    """The owner's works, newest first, `batas` a page, with feedback counts.
    Needs the composite index (pemilik_id ASC, urutan DESC, id DESC)."""
    q = (p.db.collection(collection_name(SERVICE, "karya"))
         .where(filter=FieldFilter("pemilik_id", "==", pelaku))
         .order_by("urutan", direction=firestore.Query.DESCENDING)
         .order_by("id", direction=firestore.Query.DESCENDING))
    if kursor:
        u, i = _baca_kursor(kursor)
        q = q.start_after({"urutan": u, "id": i})
    docs = [KaryaTersimpan.model_validate(d.to_dict()) for d in stream(q.limit(batas + 1))]
    halaman, lebih = docs[:batas], len(docs) > batas
    hitungan = _hitungan(p, [k.id for k in halaman])
    return HalamanKarya([(k, hitungan[k.id]) for k in halaman], _kursor(halaman[-1]) if lebih else None)


def ambil_karya(p: Any, pelaku: str, karya_id: str) -> tuple[KaryaTersimpan, HitunganUmpanBalik]:
    """The owner's full view (K1); anyone else gets 404."""
    data = read(p.db.collection(collection_name(SERVICE, "karya")).document(karya_id))
    karya = KaryaTersimpan.model_validate(data) if data is not None else None
    pastikan_pemilik(karya, pelaku)
    assert karya is not None
    return karya, _hitungan(p, [karya_id])[karya_id]


# --- 5. share by link (K7, K8) ----------------------------------------------------------

def _simpan_tautan(tx: Tx, tautan: TautanBerbagi) -> None:
    """Store the link and publish its hash (`karya.tautan.dibuat`): umpan_balik checks link holders with it."""
    tx.create(tx.ref(TAUTAN, tautan.token_hash), tautan.model_dump(mode="json"))
    tx.emit(make_event(SERVICE, "karya.tautan.dibuat", TautanKaryaDibuat(
        token_hash=tautan.token_hash, karya_id=tautan.karya_id, akar_hash=tautan.akar_hash,
        induk_hash=tautan.induk_hash, asal=tautan.asal, dibuat_pada=tautan.dibuat_pada),
        subject=f"karya/{tautan.karya_id}"))


def _baca_tautan(tx: Tx, token_hash: str) -> TautanBerbagi | None:
    raw = tx.get(tx.ref(TAUTAN, token_hash))
    return TautanBerbagi.model_validate(raw) if raw else None


def bagikan(p: Any, pelaku: str, karya_id: str, now: datetime) -> tuple[str, TautanBerbagi, KaryaTersimpan]:
    """"Bagikan Karya" by the owner: a new capability link (the raw token is
    returned once; only its hash is stored)."""
    now = _utc(now)

    def work(tx: Tx):
        karya = _karya_milik(tx, pelaku, karya_id)
        token, tautan = berbagi.buat_tautan_pemilik(karya, pelaku, now)
        _simpan_tautan(tx, tautan)
        return token, tautan, karya

    return p.uow.run(work)


def _buka(tx: Tx, token: str) -> tuple[TautanBerbagi, KaryaTersimpan]:
    tautan = _baca_tautan(tx, berbagi.hash_token(token))
    if tautan is None:
        raise _tautan_tidak_valid()
    akar = tautan if tautan.akar_hash == tautan.token_hash else _baca_tautan(tx, tautan.akar_hash)
    berbagi.periksa_tautan(tautan, akar)
    karya = karya_repo.get(tx, tautan.karya_id)
    if karya is None:  # deleted by its owner
        raise _tautan_tidak_valid()
    return tautan, karya


def buka_tautan(p: Any, token: str) -> tuple[TautanBerbagi, KaryaTersimpan]:
    """A colleague opens a shared link (K7): valid and not revoked (nor its root).
    Read-only, so plain reads (no transaction): link, then its root and the karya together."""
    col = p.db.collection(collection_name(SERVICE, TAUTAN))
    data = read(col.document(berbagi.hash_token(token)))
    if data is None:
        raise _tautan_tidak_valid()
    tautan = TautanBerbagi.model_validate(data)
    karya_ref = p.db.collection(collection_name(SERVICE, "karya")).document(tautan.karya_id)
    refs = [karya_ref] + ([col.document(tautan.akar_hash)] if tautan.akar_hash != tautan.token_hash else [])
    d_karya, *d_akar = read_many(p.db, refs)
    akar = tautan
    if d_akar:
        akar = TautanBerbagi.model_validate(d_akar[0]) if d_akar[0] is not None else None
    berbagi.periksa_tautan(tautan, akar)
    if d_karya is None:  # deleted by its owner
        raise _tautan_tidak_valid()
    return tautan, KaryaTersimpan.model_validate(d_karya)


def teruskan(p: Any, pelaku: str, token: str, now: datetime) -> tuple[str, TautanBerbagi, KaryaTersimpan]:
    """K8: a link holder shares onward with a link of their own (recorded: the owner sees reach)."""
    now = _utc(now)

    def work(tx: Tx):
        induk, karya = _buka(tx, token)
        akar = induk if induk.akar_hash == induk.token_hash else _baca_tautan(tx, induk.akar_hash)
        baru_token, baru = berbagi.teruskan_tautan(induk, akar, karya, pelaku, now)
        _simpan_tautan(tx, baru)
        return baru_token, baru, karya

    return p.uow.run(work)


def daftar_tautan(p: Any, pelaku: str, karya_id: str) -> list[tuple[TautanBerbagi, int]]:
    """The owner's view of reach: every link of the karya (own and onward), each
    with how many onward links were made from it."""
    ambil_karya(p, pelaku, karya_id)
    q = p.db.collection(collection_name(SERVICE, TAUTAN)).where(filter=FieldFilter("karya_id", "==", karya_id))
    semua = [TautanBerbagi.model_validate(d.to_dict()) for d in stream(q)]
    anak: dict[str, int] = {}
    for t in semua:
        if t.induk_hash:
            anak[t.induk_hash] = anak.get(t.induk_hash, 0) + 1
    return [(t, anak.get(t.token_hash, 0)) for t in sorted(semua, key=lambda t: t.dibuat_pada)]


def cabut(p: Any, pelaku: str, karya_id: str, tautan_id: str, now: datetime) -> TautanBerbagi:
    """Revoke a link (owner: any link of the karya; a sharer: their own).
    Revoking a link also stops every onward link made from the root."""
    now = _utc(now)

    def work(tx: Tx) -> TautanBerbagi:
        karya = karya_repo.get(tx, karya_id)
        tautan = _baca_tautan(tx, tautan_id) if len(tautan_id) == 64 else None
        if karya is None or tautan is None or tautan.karya_id != karya_id \
                or pelaku not in (karya.pemilik_id, tautan.dibuat_oleh):
            raise NotFound("tautan_tidak_ditemukan", "Tautan tidak ditemukan.")
        dicabut = berbagi.cabut_tautan(tautan, karya, pelaku, now)
        if dicabut is not tautan:
            tx.set(tx.ref(TAUTAN, tautan_id), dicabut.model_dump(mode="json"))
            tx.emit(make_event(SERVICE, "karya.tautan.dicabut", TautanKaryaDicabut(
                token_hash=dicabut.token_hash, karya_id=karya_id, akar_hash=dicabut.akar_hash, dicabut_pada=now),
                subject=f"karya/{karya_id}"))
        return dicabut

    return p.uow.run(work)


# --- feedback counts (consumer of umpan_balik.umpan_balik.dikirim) ------------------------

SHARD_UMPAN_BALIK = 8  # counter documents per karya: ~1 sustained write/s each -> ~8 feedbacks/s per karya


def shard_umpan_balik(event_id: str, n: int = SHARD_UMPAN_BALIK) -> int:
    """Stable: a redelivery of an event (same id) lands on the same shard."""
    return int.from_bytes(hashlib.sha256(event_id.encode()).digest()[:8], "big") % n


def hitung_umpan_balik(tx: Tx, event) -> None:
    """One more feedback on a karya: +1 on one of SHARD_UMPAN_BALIK counter documents
    `umpan_balik/{karya_id}~{shard}`, the shard chosen by a hash of the event id, so a
    popular karya's feedback spreads over N documents instead of queueing on one. A blind
    merge-increment: no read of the counter (the consumer ledger, read and written in the
    same transaction, makes a redelivered event count once). Documents written before the
    sharding (`umpan_balik/{karya_id}`, no `shard`) carry the same fields and are summed too."""
    d = event.data
    shard = shard_umpan_balik(event.id)
    tx.set(tx.ref(UMPAN_BALIK, f"{d.karya_id}~{shard}"),
           {"karya_id": d.karya_id, "shard": shard, "jumlah": firestore.Increment(1),
            "per_peran": {d.pemberi_peran: firestore.Increment(1)}}, merge=True)


# --- 4. scheduled re-check of saved videos (K6) -----------------------------------------

def _potong(items: list[Any], n: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


# YouTube failing for every account alike (not one account's expired token or missing consent)
GALAT_YOUTUBE_UMUM = frozenset({"youtube_tidak_tersedia", "youtube_sibuk", "kuota_youtube_habis",
                                "konfigurasi_google_salah"})


# One re-check round stops starting accounts after ANGGARAN_PERIKSA_DETIK; the account in hand may
# still take CADANGAN_PERIKSA_DETIK (key unwrap 5 s, token refresh up to 3 x 10 s, a videos.list 10 s,
# its writes). Their sum stays within the function's timeout in every stage (tests/infra), which the
# push subscription's ack deadline equals: a round never outlives its delivery, so it is never
# redelivered while it runs. What is left waits for the next tick, oldest check first.
ANGGARAN_PERIKSA_DETIK = 60.0
CADANGAN_PERIKSA_DETIK = 55.0


def periksa_video_berkala(p: Any, now: datetime, batas: int | None = None,
                          anggaran_detik: float = ANGGARAN_PERIKSA_DETIK,
                          jam: Any = time.monotonic) -> dict[str, int]:
    """Re-check the `batas` karya checked longest ago: per YouTube account,
    `videos.list` with up to 50 ids a call, using that account's own token (a
    private video is visible only to its owner). A karya whose video became
    private, deleted or non-embeddable turns `video_tidak_tersedia` and
    `karya.video.tidak_tersedia` tells the owner; one that was fixed turns
    `aktif` again. Karya of a disconnected or expired account are skipped.
    A failed call never marks a video unavailable (only an answer without it
    does). When YouTube itself fails (5xx, timeout, quota, rate limit) the
    rest of the round is skipped without being marked checked, so it comes
    first next round: a down YouTube costs one failed call per tick, not one
    per account (500 timeouts would outlast the function's timeout). After
    `anggaran_detik` no further account is started (`ditunda`, unstamped: first
    next round)."""
    now = _utc(now)
    batas = batas or p.settings.batas_periksa_video
    col = p.db.collection(collection_name(SERVICE, "karya"))
    daftar = [KaryaTersimpan.model_validate(d.to_dict())
              for d in stream(col.order_by("diperiksa").limit(batas))]
    mulai = jam()
    per_akun: dict[str, list[KaryaTersimpan]] = {}
    for k in daftar:
        per_akun.setdefault(k.akun_youtube_id, []).append(k)
    hasil = {"diperiksa": 0, "berubah": 0, "tidak_tersedia": 0, "dilewati": 0, "ditunda": 0, "unit_kuota": 0}
    kini = urutan_waktu(now)
    akun_col = p.db.collection(collection_name(SERVICE, "akun_youtube"))
    akun_data = dict(zip(per_akun, read_many(p.db, [akun_col.document(a) for a in per_akun])))
    youtube_gagal = False
    with _Kuota(p, "periksa_video_berkala", now) as kuota:
        for akun_id, karya_akun in per_akun.items():
            if jam() - mulai >= anggaran_detik:
                # Out of time: not stamped, so these come first next tick (safe to redo anyway).
                hasil["ditunda"] += len(karya_akun)
                continue
            if youtube_gagal:
                hasil["dilewati"] += len(karya_akun)
                continue
            data_akun = akun_data.get(akun_id)
            terbaru: dict[str, Any] | None = None
            if data_akun is not None:
                try:
                    klien = kuota.pakai(_klien(p, AkunYoutube.model_validate(data_akun)))
                    terbaru = {}
                    for potong in _potong([k.video.video_id for k in karya_akun], UKURAN_BATCH_VIDEO):
                        terbaru |= {v.video_id: v for v in klien.video(potong)}
                except DomainError as e:
                    log.warning("re-check skipped for an account", extra={"akun_id": akun_id, "kode": e.kode})
                    terbaru = None
                    youtube_gagal = e.kode in GALAT_YOUTUBE_UMUM or e.kode in GALAT_KUNCI_UMUM
                    if youtube_gagal:
                        log.warning("YouTube or the key service unavailable: rest of the re-check round skipped",
                                    extra={"kode": e.kode})
            batch = p.db.batch()
            for k in karya_akun:
                if terbaru is None:
                    hasil["dilewati"] += 1
                    batch.update(col.document(k.id), {"diperiksa": kini})
                    continue
                hasil["diperiksa"] += 1
                baru = k.perbarui_ketersediaan(terbaru.get(k.video.video_id), now)
                if baru is k:
                    batch.update(col.document(k.id), {"diperiksa": kini})
                    continue
                if _terapkan_ketersediaan(p, k, baru.model_copy(update={"diperiksa": kini}), now):
                    hasil["berubah"] += 1
                    hasil["tidak_tersedia"] += baru.status == "video_tidak_tersedia"
            try:
                ditulis = len(batch)
                batch.commit()
                count_writes(ditulis)
            except Exception:  # noqa: BLE001 - e.g. a karya deleted meanwhile; checked again next tick
                log.warning("re-check timestamps not written", extra={"akun_id": akun_id})
        hasil["unit_kuota"] = sum(k.unit_kuota for k in kuota.klien)
    log.info("video re-check done", extra=hasil)
    return hasil


def _terapkan_ketersediaan(p: Any, lama: KaryaTersimpan, baru: KaryaTersimpan, now: datetime) -> bool:
    def work(tx: Tx) -> bool:
        try:
            sekarang = karya_repo.get_for_update(tx, lama.id, lama.versi)
        except Conflict:
            return False  # edited meanwhile: the next tick checks it again
        if sekarang is None:
            return False
        saved = karya_repo.save(tx, baru)
        if saved.status == "video_tidak_tersedia" and lama.status != "video_tidak_tersedia":
            tx.emit(make_event(SERVICE, "karya.video.tidak_tersedia", VideoKaryaTidakTersedia(
                karya_id=saved.id, pemilik_id=saved.pemilik_id, judul=saved.judul, video_id=saved.video.video_id,
                alasan=list(saved.alasan_tidak_tersedia), diperiksa_pada=now, versi=saved.versi),
                subject=f"karya/{saved.id}"))
        return True

    return p.uow.run(work)
