"""Sharing a karya by link (K7, K8).

Published works are reachable only through shared links (SRC-BUKTI-KARYA, III.4).
A link carries a capability token: `secrets.token_urlsafe(32)` (256 bits).
Only its SHA-256 is stored (`TautanBerbagi.token_hash`), so a leak of the
database does not leak working links; the raw token is shown once, in the
URL handed to the share channel.

Anyone holding a link may share onward (K8, III.5): that makes a new link
(asal "penerus") whose `induk_hash` is the link it came from and whose
`akar_hash` is the owner's link at the root of the chain. Revoking the root
switches off every onward link; checking a link needs the link and its root.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Literal
from urllib.parse import quote

from pydantic import AwareDatetime, Field

from shared.errors import DomainError, Forbidden, NotFound
from shared.models import FrozenModel, Identifier

from karya.domain.karya import Karya, pastikan_pemilik
from karya.domain.referensi.kanal_berbagi import (
    KANAL_BERBAGI,
    TEMPLATE_PESAN,
    TEMPLATE_SUBJEK,
    KanalBerbagi,
)

AsalTautan = Literal["pemilik", "penerus"]
TokenHash = str  # 64 lowercase hex digits


def buat_token() -> str:
    """A fresh capability token (43 url-safe characters, 256 bits)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> TokenHash:
    """What is stored and looked up: sha256 of the raw token, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def tautan_karya(url_dasar: str, token: str) -> str:
    """The link a colleague opens, e.g. https://guru.kemdikbud.go.id/bukti-karya/t/<token>.
    The page behind it should send `Referrer-Policy: no-referrer` so the
    token does not travel on to third parties."""
    if not (url_dasar.startswith("https://") or url_dasar.startswith("http://localhost")
            or url_dasar.startswith("http://127.0.0.1")):
        raise ValueError("url_dasar tautan harus https (http hanya untuk localhost)")
    return f"{url_dasar.rstrip('/')}/{quote(token, safe='')}"


class TautanBerbagi(FrozenModel):
    token_hash: TokenHash = Field(pattern=r"^[0-9a-f]{64}$")
    karya_id: Identifier
    dibuat_oleh: Identifier
    asal: AsalTautan
    induk_hash: TokenHash | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    akar_hash: TokenHash = Field(pattern=r"^[0-9a-f]{64}$")
    dibuat_pada: AwareDatetime
    dicabut: bool = False
    dicabut_oleh: Identifier | None = None
    dicabut_pada: AwareDatetime | None = None


def _pastikan_bisa_dibagikan(karya: Karya) -> None:
    if karya.status != "aktif":
        raise DomainError(
            "video_tidak_tersedia",
            "Karya ini belum dapat dibagikan karena videonya tidak tersedia di YouTube "
            "(dihapus, Pribadi, atau tidak mengizinkan penyematan).",
            status=409,
        )


def buat_tautan_pemilik(
    karya: Karya, pengguna_id: str, sekarang: datetime, *, token: str | None = None
) -> tuple[str, TautanBerbagi]:
    """"Bagikan Karya" by the owner (K7). Returns (raw token, stored link)."""
    pastikan_pemilik(karya, pengguna_id)
    _pastikan_bisa_dibagikan(karya)
    token = token or buat_token()
    h = hash_token(token)
    return token, TautanBerbagi(
        token_hash=h, karya_id=karya.id, dibuat_oleh=pengguna_id, asal="pemilik",
        akar_hash=h, dibuat_pada=sekarang,
    )


def periksa_tautan(tautan: TautanBerbagi | None, akar: TautanBerbagi | None) -> TautanBerbagi:
    """A link grants access while neither it nor its root was revoked."""
    if tautan is None:
        raise NotFound(
            "tautan_tidak_valid",
            "Tautan karya tidak valid. Minta tautan yang benar kepada pengirimnya.",
        )
    if akar is None or akar.token_hash != tautan.akar_hash:
        raise NotFound(
            "tautan_tidak_valid",
            "Tautan karya tidak valid. Minta tautan yang benar kepada pengirimnya.",
        )
    if tautan.dicabut or akar.dicabut:
        raise DomainError(
            "tautan_dicabut",
            "Tautan ini sudah tidak berlaku. Minta tautan baru kepada pemilik karya.",
            status=410,
        )
    return tautan


def teruskan_tautan(
    induk: TautanBerbagi | None,
    akar: TautanBerbagi | None,
    karya: Karya,
    pengguna_id: str,
    sekarang: datetime,
    *,
    token: str | None = None,
) -> tuple[str, TautanBerbagi]:
    """K8: a link holder shares a colleague's karya onward with a new link
    of their own (so each sharer can be told apart and revoke their own)."""
    periksa_tautan(induk, akar)
    assert induk is not None
    if induk.karya_id != karya.id:
        raise NotFound("tautan_tidak_valid", "Tautan karya tidak valid.")
    _pastikan_bisa_dibagikan(karya)
    token = token or buat_token()
    return token, TautanBerbagi(
        token_hash=hash_token(token), karya_id=karya.id, dibuat_oleh=pengguna_id,
        asal="penerus", induk_hash=induk.token_hash, akar_hash=induk.akar_hash,
        dibuat_pada=sekarang,
    )


def cabut_tautan(
    tautan: TautanBerbagi, karya: Karya, pelaku_id: str, sekarang: datetime
) -> TautanBerbagi:
    """The karya's owner may revoke any of its links; a link's creator may
    revoke their own. Revoking twice is a no-op."""
    if pelaku_id not in (karya.pemilik_id, tautan.dibuat_oleh) or tautan.karya_id != karya.id:
        raise Forbidden(
            "bukan_pembuat_tautan",
            "Hanya pemilik karya atau pembuat tautan yang dapat mencabut tautan ini.",
        )
    if tautan.dicabut:
        return tautan
    return tautan.model_copy(update={"dicabut": True, "dicabut_oleh": pelaku_id, "dicabut_pada": sekarang})


class PesanBerbagi(FrozenModel):
    kanal: str
    url_berbagi: str | None  # what the client opens; None for salin_tautan
    teks: str  # the message with the link (what salin_tautan copies)
    tautan: str


_PER_KODE = {k.kode: k for k in KANAL_BERBAGI}


def daftar_kanal_berbagi() -> list[KanalBerbagi]:
    return sorted(KANAL_BERBAGI, key=lambda k: k.urutan)


def cari_kanal_berbagi(kode: str) -> KanalBerbagi:
    kanal = _PER_KODE.get(kode)
    if kanal is None:
        raise DomainError(
            "kanal_berbagi_tidak_dikenal",
            "Kanal berbagi tidak dikenal. Pilih WhatsApp, Telegram, Facebook, X, e-mail, atau salin tautan.",
            kanal=kode,
        )
    return kanal


def pesan_berbagi(kanal: str, judul: str, tautan: str, asal: AsalTautan = "pemilik") -> PesanBerbagi:
    """The message template with the link for one channel (K7), every
    parameter percent-encoded (spaces as %20, which mailto: needs too)."""
    k = cari_kanal_berbagi(kanal)
    judul_bersih = " ".join(judul.split())
    teks = TEMPLATE_PESAN[asal].format(judul=judul_bersih)
    teks_dan_tautan = f"{teks}\n{tautan}"
    url = None
    if k.template_url is not None:
        nilai = {
            "tautan": tautan,
            "teks": teks,
            "teks_dan_tautan": teks_dan_tautan,
            "subjek": TEMPLATE_SUBJEK.format(judul=judul_bersih),
        }
        url = k.template_url.format(**{n: quote(v, safe="") for n, v in nilai.items()})
    return PesanBerbagi(kanal=k.kode, url_berbagi=url, teks=teks_dan_tautan, tautan=tautan)
