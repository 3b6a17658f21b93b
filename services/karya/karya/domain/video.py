"""A YouTube video as Bukti Karya sees it, and the rule deciding whether it
may become a karya (K3: the video must come from the user's own channel and
be playable by the colleagues the work is shared with, K6/K7).

Facts behind the rule (YouTube Data API v3, videos resource, docs/requirements.md#domain-facts):
`status.uploadStatus` is one of uploaded (still processing), processed,
failed, rejected, deleted; `status.privacyStatus` is public, unlisted or
private; `status.embeddable` says whether other sites may embed it. A deleted
video is simply absent from `videos.list`.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, model_validator

from shared.errors import DomainError, NotFound
from shared.models import FrozenModel

ID_VIDEO = r"^[A-Za-z0-9_-]{11}$"
ID_KANAL = r"^UC[A-Za-z0-9_-]{22}$"

VideoId = Annotated[str, Field(pattern=ID_VIDEO)]
ChannelId = Annotated[str, Field(pattern=ID_KANAL)]
Privasi = Literal["public", "unlisted", "private"]
StatusUnggah = Literal["uploaded", "processed", "failed", "rejected", "deleted"]

_DURASI = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?"
    r"(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$"
)


def durasi_ke_detik(iso: str) -> int:
    """Seconds of an ISO 8601 duration as YouTube writes it (PT15M33S, P1DT2H,
    P0D for a video still processing). Years and months never occur for a
    video and are refused, as is anything else malformed."""
    m = _DURASI.match(iso or "")
    if not m or iso in ("P", "PT") or iso.endswith("T"):
        raise ValueError(f"durasi ISO 8601 tidak valid: {iso!r}")
    g = {k: int(v or 0) for k, v in m.groupdict().items()}
    return ((g["w"] * 7 + g["d"]) * 24 + g["h"]) * 3600 + g["m"] * 60 + g["s"]


class KanalYoutube(FrozenModel):
    """The channel of a connected Google account (`channels.list mine=true`)."""

    channel_id: ChannelId
    judul: str = Field(max_length=500)
    playlist_unggahan: str = Field(pattern=r"^[A-Za-z0-9_-]{2,64}$")
    thumbnail: str | None = None


class VideoYoutube(FrozenModel):
    """Snapshot of one video, taken from `videos.list` when it is chosen."""

    video_id: VideoId
    channel_id: ChannelId
    judul_asli: str = Field(max_length=500)
    thumbnail: str | None = None
    durasi_iso: str = "P0D"
    durasi_detik: int = Field(default=0, ge=0)
    privasi: Privasi
    dapat_disematkan: bool
    status_unggah: StatusUnggah
    dipublikasikan_pada: datetime | None = None

    @model_validator(mode="before")
    @classmethod
    def _isi_durasi_detik(cls, data):
        if isinstance(data, dict) and "durasi_detik" not in data and "durasi_iso" in data:
            try:
                data = {**data, "durasi_detik": durasi_ke_detik(data["durasi_iso"])}
            except ValueError as e:
                raise ValueError(str(e)) from None
        return data

    @model_validator(mode="after")
    def _durasi_konsisten(self):
        if durasi_ke_detik(self.durasi_iso) != self.durasi_detik:
            raise ValueError("durasi_detik tidak sesuai dengan durasi_iso")
        return self


# (kode, pesan) in the order the rule checks them. A teacher fixes the first
# one shown; all of them travel along in `semua_masalah`.
PESAN_MASALAH: dict[str, str] = {
    "video_tidak_ditemukan": (
        "Video tidak ditemukan di YouTube, mungkin sudah dihapus. Pilih video lain."
    ),
    "video_bukan_milik_kanal": (
        "Video ini bukan unggahan kanal YouTube yang sedang terhubung. Pilih video dari "
        "kanal Anda sendiri, atau klik 'Ganti akun' untuk masuk dengan akun YouTube lain."
    ),
    "video_gagal_diproses": (
        "YouTube gagal memproses atau menolak video ini. Unggah ulang video ke YouTube, "
        "lalu pilih video yang baru."
    ),
    "video_belum_diproses": (
        "YouTube masih memproses video ini. Tunggu hingga selesai diproses, lalu coba lagi."
    ),
    "video_privat": (
        "Video ini berstatus Pribadi (Private) sehingga rekan Anda tidak dapat menontonnya. "
        "Ubah visibilitasnya menjadi Publik atau Tidak Publik (Unlisted) di YouTube Studio, "
        "lalu coba lagi."
    ),
    "video_tidak_dapat_disematkan": (
        "Video ini tidak mengizinkan penyematan. Aktifkan 'Izinkan penyematan' pada video "
        "di YouTube Studio, lalu coba lagi."
    ),
}


def masalah_video(video: VideoYoutube | None, channel_id_akun: str) -> list[str]:
    """Every reason (kode) why `video` cannot become a karya of the account
    whose channel is `channel_id_akun`; empty when it can. Used both to grey
    out videos in the picker and by `periksa_video`."""
    if video is None or video.status_unggah == "deleted":
        return ["video_tidak_ditemukan"]
    masalah: list[str] = []
    if video.channel_id != channel_id_akun:
        masalah.append("video_bukan_milik_kanal")
    if video.status_unggah in ("failed", "rejected"):
        masalah.append("video_gagal_diproses")
    elif video.status_unggah != "processed":
        masalah.append("video_belum_diproses")
    if video.privasi == "private":
        masalah.append("video_privat")
    if not video.dapat_disematkan:
        masalah.append("video_tidak_dapat_disematkan")
    return masalah


def periksa_video(video: VideoYoutube | None, channel_id_akun: str) -> VideoYoutube:
    """Returns the video when it may become a karya; otherwise raises a
    DomainError whose kode is the first problem (K3)."""
    masalah = masalah_video(video, channel_id_akun)
    if not masalah:
        assert video is not None
        return video
    kode = masalah[0]
    video_id = video.video_id if video is not None else None
    if kode == "video_tidak_ditemukan":
        raise NotFound(kode, PESAN_MASALAH[kode], video_id=video_id, semua_masalah=masalah)
    raise DomainError(kode, PESAN_MASALAH[kode], video_id=video_id, semua_masalah=masalah)
