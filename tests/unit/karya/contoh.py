"""Factories shared by the karya unit tests."""
from datetime import datetime, timedelta, timezone

from karya.domain.karya import Draf, Karya, MetadataKarya
from karya.domain.video import VideoYoutube

KANAL = "UC" + "a" * 22
KANAL_LAIN = "UC" + "b" * 22
T0 = datetime(2024, 8, 1, 9, 0, tzinfo=timezone(timedelta(hours=7)))


def video(**ubah) -> VideoYoutube:
    data = dict(
        video_id="dQw4w9WgXcQ",
        channel_id=KANAL,
        judul_asli="Pembelajaran Pecahan Kelas 4",
        thumbnail="https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg",
        durasi_iso="PT12M5S",
        privasi="unlisted",
        dapat_disematkan=True,
        status_unggah="processed",
    )
    data.update(ubah)
    return VideoYoutube(**data)


def metadata(**ubah) -> MetadataKarya:
    data = dict(
        judul="Pecahan dengan benda konkret",
        deskripsi="Murid kelas 4 belajar pecahan memakai potongan kue.",
        kategori="praktik_pembelajaran",
        mata_pelajaran="matematika",
        tingkat_kelas="kelas_4",
        persetujuan=True,
    )
    data.update(ubah)
    return MetadataKarya(**data)


def draf(**ubah) -> Draf:
    return Draf(pemilik_id="guru-1", akun_youtube_id="akun-1", channel_id=KANAL, **ubah)


def karya_contoh() -> Karya:
    return draf().pilih_video(video()).simpan(
        karya_id="k-1", metadata=metadata(), versi_persetujuan="v1", sekarang=T0
    )
