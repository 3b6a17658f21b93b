"""Events the karya service publishes (and subscriptions of its functions).

`karya.karya.dipublikasikan` carries everything the feedback service needs to
know about a karya without reading karya's collections: its owner (the
belajar.id token `sub`), its kategori (the questionnaire differs by kategori,
U2) and what to show. `versi` is the karya's version: edits publish
`karya.karya.diperbarui` with a higher `versi`, so a consumer keeps the newest.

Share links (K7, K8) are capabilities: karya publishes `karya.tautan.dibuat` and
`karya.tautan.dicabut` with the SHA-256 of the token (never the token), the karya and the
root link's hash, so umpan_balik can check a link holder's token without reading karya's
collections. Revocation is final: a consumer that sees `dicabut` (even before `dibuat`)
keeps the link revoked; a revoked root switches off every onward link made from it.
"""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from shared.contracts.platform import JadwalTick
from shared.contracts.registry import register_subscription, register_topic
from shared.events import EventPayload


class KaryaDipublikasikan(EventPayload):
    """A teacher saved a karya ("Simpan Video", K5)."""

    karya_id: str
    pemilik_id: str = Field(description="the owner's belajar.id `sub`")
    kategori: str = Field(description="praktik_pembelajaran, materi_ajar, ... (K2)")
    judul: str
    mata_pelajaran: str
    tingkat_kelas: str
    video_id: str
    dibuat_pada: datetime
    versi: int = Field(ge=1)


class KaryaDiperbarui(KaryaDipublikasikan):
    """The owner edited a karya's metadata (the whole current state, not a diff)."""

    diperbarui_pada: datetime


class KaryaDihapus(EventPayload):
    """The owner deleted a karya; its links stop working."""

    karya_id: str
    pemilik_id: str
    dihapus_pada: datetime
    versi: int = Field(ge=1, description="the last version before deletion")


class VideoKaryaTidakTersedia(EventPayload):
    """The scheduled re-check found a karya's video private, deleted, not
    embeddable or failed (K6); the owner should be told."""

    karya_id: str
    pemilik_id: str
    judul: str
    video_id: str
    alasan: list[str] = Field(description="kodes, e.g. video_privat, video_tidak_ditemukan")
    diperiksa_pada: datetime
    versi: int = Field(ge=1)


class TautanKaryaDibuat(EventPayload):
    """A share link was made: the owner's "Bagikan Karya" (asal pemilik, its own root) or a link holder's
    onward share (asal penerus, K8)."""

    token_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 (hex) of the link's raw token")
    karya_id: str
    akar_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="the owner's link at the root of the chain")
    induk_hash: str | None = Field(None, pattern=r"^[0-9a-f]{64}$", description="the link it was shared from")
    asal: str = Field(description="pemilik or penerus")
    dibuat_pada: datetime


class TautanKaryaDicabut(EventPayload):
    """A share link was revoked (final). Revoking a root stops its onward links too."""

    token_hash: str = Field(pattern=r"^[0-9a-f]{64}$", description="sha256 (hex) of the link's raw token")
    karya_id: str
    akar_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    dicabut_pada: datetime


KARYA_DIPUBLIKASIKAN = register_topic(
    "karya.karya.dipublikasikan", KaryaDipublikasikan, "karya",
    "A teacher saved a karya (video from their own YouTube channel with its metadata).")
KARYA_DIPERBARUI = register_topic(
    "karya.karya.diperbarui", KaryaDiperbarui, "karya",
    "The owner edited a karya's metadata; the payload is the whole current state.")
KARYA_DIHAPUS = register_topic(
    "karya.karya.dihapus", KaryaDihapus, "karya",
    "The owner deleted a karya.")
VIDEO_TIDAK_TERSEDIA = register_topic(
    "karya.video.tidak_tersedia", VideoKaryaTidakTersedia, "karya",
    "A karya's YouTube video became private, deleted or non-embeddable (scheduled re-check).")
TAUTAN_DIBUAT = register_topic(
    "karya.tautan.dibuat", TautanKaryaDibuat, "karya",
    "A share link of a karya was made (owner's link or an onward share); carries only the token's hash.")
TAUTAN_DICABUT = register_topic(
    "karya.tautan.dicabut", TautanKaryaDicabut, "karya",
    "A share link was revoked (final); a revoked root link also stops every onward link made from it.")
JADWAL_PERIKSA_VIDEO = register_topic(
    "jadwal.karya.periksa", JadwalTick, "cloud_scheduler",
    "Cloud Scheduler: re-check saved karya videos on YouTube (batches of 50 ids per videos.list).")

register_subscription("jadwal.karya.periksa", "karya", "karya_periksa_video",
                      "re-check the videos of the karya checked longest ago")
register_subscription("umpan_balik.umpan_balik.dikirim", "karya", "karya_on_umpan_balik_dikirim",
                      "count feedback per karya for 'Bukti Karya Saya'")
