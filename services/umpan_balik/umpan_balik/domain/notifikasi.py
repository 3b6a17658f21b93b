"""Feedback notifications of a karya owner (U1, U4).

SRC-BUKTI-KARYA (III.3): the owner opens the notification page; "Tanda bulat berwarna
biru menandakan umpan balik terbaru yang belum pernah dilihat"; clicking a
notification leads straight to that feedback (hence `karya_id` and
`umpan_balik_id` on it).

A notification is built only from the `umpan_balik.umpan_balik.dikirim` event:
its id is derived from the event id and its time is the event's
`dikirim_pada`, so a redelivered event yields the very same document. The
service writes it create-if-absent, so a redelivery never resets `dibaca`.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, model_validator

from shared.models import FrozenModel, Identifier

PeranPemberi = Literal["guru", "kepala_sekolah"]
"""Who gave the feedback, as the owner sees it (SRC-BUKTI-KARYA: "rekan guru dan kepala sekolah")."""


def notifikasi_id(event_id: str) -> str:
    """Document id from the feedback event id: the same event always gives the
    same id, and hashed ids spread Firestore writes (never monotonic)."""
    return "nb_" + hashlib.sha256(event_id.encode("utf-8")).hexdigest()[:32]


class Notifikasi(FrozenModel):
    id: Identifier
    penerima_id: Identifier  # the karya owner: only they read their notifications (K1)
    karya_id: Identifier
    umpan_balik_id: Identifier
    pemberi_peran: PeranPemberi
    karya_judul: str | None = None  # shown in the list; copied from the feedback, no extra read
    dibaca: bool = False
    dibuat: AwareDatetime
    dibaca_pada: AwareDatetime | None = None

    @model_validator(mode="after")
    def _dibaca_punya_waktu(self) -> Notifikasi:
        if self.dibaca != (self.dibaca_pada is not None):
            raise ValueError("dibaca dan dibaca_pada harus sejalan")
        return self


def buat_notifikasi(
    *,
    event_id: str,
    penerima_id: str,
    karya_id: str,
    umpan_balik_id: str,
    pemberi_peran: PeranPemberi,
    dibuat: datetime,
    karya_judul: str | None = None,
) -> Notifikasi:
    """The unread notification of one feedback event (same event, same result)."""
    return Notifikasi(
        id=notifikasi_id(event_id),
        penerima_id=penerima_id,
        karya_id=karya_id,
        umpan_balik_id=umpan_balik_id,
        pemberi_peran=pemberi_peran,
        karya_judul=karya_judul,
        dibuat=dibuat,
    )


def tandai_dibaca(notifikasi: Notifikasi, pada: datetime) -> Notifikasi:
    """Opening a notification clears its blue dot; opening it again keeps the
    first reading time."""
    if notifikasi.dibaca:
        return notifikasi
    return notifikasi.model_copy(update={"dibaca": True, "dibaca_pada": pada})


def _unik(daftar: Iterable[Notifikasi]) -> dict[str, Notifikasi]:
    # A duplicate (e.g. read from two pages) keeps the read copy: reading only moves forward.
    per_id: dict[str, Notifikasi] = {}
    for n in daftar:
        lama = per_id.get(n.id)
        if lama is None or (n.dibaca and not lama.dibaca):
            per_id[n.id] = n
    return per_id


def urutkan_terbaru(daftar: Iterable[Notifikasi]) -> list[Notifikasi]:
    """Newest first; equal times by id so pages are stable; duplicates once."""
    return sorted(_unik(daftar).values(), key=lambda n: (n.dibuat, n.id), reverse=True)


def jumlah_belum_dibaca(daftar: Iterable[Notifikasi]) -> int:
    """The number beside the notification bell (blue dots)."""
    return sum(1 for n in _unik(daftar).values() if not n.dibaca)
