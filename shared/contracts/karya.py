"""Events the karya service publishes (and subscriptions of its functions).

`karya.karya.dipublikasikan` carries everything the feedback service needs to
know about a karya without reading karya's collections: its owner (the
belajar.id token `sub`), its kategori (the questionnaire differs by kategori,
U2) and what to show. `versi` is the karya's version: edits publish
`karya.karya.diperbarui` with a higher `versi`, so a consumer keeps the newest.
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
JADWAL_PERIKSA_VIDEO = register_topic(
    "jadwal.karya.periksa", JadwalTick, "cloud_scheduler",
    "Cloud Scheduler: re-check saved karya videos on YouTube (batches of 50 ids per videos.list).")

register_subscription("jadwal.karya.periksa", "karya", "karya_periksa_video",
                      "re-check the videos of the karya checked longest ago")
register_subscription("umpan_balik.umpan_balik.dikirim", "karya", "karya_on_umpan_balik_dikirim",
                      "count feedback per karya for 'Bukti Karya Saya'")
