"""Karya: a video from the teacher's own YouTube channel with its metadata
(K1, K4, K5, K6).

Flow (SRC-BUKTI-KARYA, III.1): login with a YouTube account -> pick an uploaded
video (a `Draf`; "Ganti Video" swaps it, "Ganti akun" switches account) ->
judul, deskripsi, kategori, mata pelajaran, tingkat kelas, consent ->
"Simpan Video" creates the `Karya`.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Literal

from pydantic import AwareDatetime, ConfigDict, Field, StringConstraints

from shared.errors import DomainError, NotFound
from shared.models import FrozenModel, Identifier, Kode, StrictModel

from karya.domain.referensi.kategori import cari_kategori
from karya.domain.referensi.mata_pelajaran import cari_mata_pelajaran, pastikan_cocok
from karya.domain.referensi.tingkat_kelas import cari_tingkat_kelas
from karya.domain.video import ChannelId, VideoYoutube, masalah_video, periksa_video

# YouTube's own limits for a title and a description; a karya keeps within them.
PANJANG_JUDUL_MAKS = 100
PANJANG_DESKRIPSI_MAKS = 5000

Judul = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=PANJANG_JUDUL_MAKS)
]
Deskripsi = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=PANJANG_DESKRIPSI_MAKS)
]
StatusKarya = Literal["aktif", "video_tidak_tersedia"]


class MetadataKarya(StrictModel):
    """What the teacher fills in (K5). Deliberately loose: the limits are
    checked by `periksa_metadata`, which answers with a kode per problem."""

    model_config = ConfigDict(**{**StrictModel.model_config, "str_max_length": 20000})

    judul: str = ""
    deskripsi: str = ""
    kategori: str = ""
    mata_pelajaran: str = ""
    tingkat_kelas: str = ""
    persetujuan: bool = False


class Persetujuan(FrozenModel):
    """Consent to the Persyaratan Layanan and Kebijakan Privasi (K5): which
    version was agreed to, and when."""

    disetujui: Literal[True]
    versi: Kode
    disetujui_pada: AwareDatetime


def _galat(kode: str, pesan: str, field: str) -> dict[str, str]:
    return {"kode": kode, "pesan": pesan, "field": field}


def periksa_metadata(metadata: MetadataKarya) -> MetadataKarya:
    """Checks K5 and returns the normalised metadata. On failure raises the
    first problem as a DomainError; `extra["galat"]` lists all of them so a
    form can mark every field at once."""
    judul = metadata.judul.strip()
    deskripsi = metadata.deskripsi.strip()
    galat: list[dict[str, str]] = []
    if not judul:
        galat.append(_galat("judul_wajib", "Judul video wajib diisi.", "judul"))
    elif len(judul) > PANJANG_JUDUL_MAKS:
        galat.append(_galat(
            "judul_terlalu_panjang",
            f"Judul video paling banyak {PANJANG_JUDUL_MAKS} karakter. Persingkat judul Anda.",
            "judul",
        ))
    if not deskripsi:
        galat.append(_galat(
            "deskripsi_wajib", "Buat deskripsi singkat mengenai isi video.", "deskripsi"
        ))
    elif len(deskripsi) > PANJANG_DESKRIPSI_MAKS:
        galat.append(_galat(
            "deskripsi_terlalu_panjang",
            f"Deskripsi paling banyak {PANJANG_DESKRIPSI_MAKS} karakter. Persingkat deskripsi Anda.",
            "deskripsi",
        ))
    mapel = tingkat = None
    for field, cari in (
        ("kategori", cari_kategori),
        ("mata_pelajaran", cari_mata_pelajaran),
        ("tingkat_kelas", cari_tingkat_kelas),
    ):
        try:
            hasil = cari(getattr(metadata, field))
        except DomainError as e:
            galat.append(_galat(e.kode, e.pesan, field))
            continue
        if field == "mata_pelajaran":
            mapel = hasil
        elif field == "tingkat_kelas":
            tingkat = hasil
    if mapel is not None and tingkat is not None:
        try:
            pastikan_cocok(mapel, tingkat)
        except DomainError as e:
            galat.append(_galat(e.kode, e.pesan, "mata_pelajaran"))
    if metadata.persetujuan is not True:
        galat.append(_galat(
            "persetujuan_wajib",
            "Setujui Persyaratan Layanan dan Kebijakan Privasi dengan memberi centang "
            "sebelum menyimpan video.",
            "persetujuan",
        ))
    if galat:
        pertama = galat[0]
        raise DomainError(pertama["kode"], pertama["pesan"], field=pertama["field"], galat=galat)
    return metadata.model_copy(update={"judul": judul, "deskripsi": deskripsi})


class Draf(StrictModel):
    """An import in progress: the connected YouTube account and the video
    chosen from it (K3, K4). Saving it makes a `Karya`."""

    pemilik_id: Identifier
    akun_youtube_id: Identifier
    channel_id: ChannelId
    video: VideoYoutube | None = None

    def pilih_video(self, video: VideoYoutube | None) -> "Draf":
        """Choose a video, or replace the chosen one ("Ganti Video", K4).
        Only an eligible video of this account's channel is accepted."""
        return self.model_copy(update={"video": periksa_video(video, self.channel_id)})

    ganti_video = pilih_video

    def ganti_akun(self, akun_youtube_id: str, channel_id: str) -> "Draf":
        """"Ganti akun" (K4): switch the YouTube account; the video chosen
        from the previous account no longer belongs here and is dropped."""
        return Draf(pemilik_id=self.pemilik_id, akun_youtube_id=akun_youtube_id, channel_id=channel_id)

    @property
    def judul_awal(self) -> str:
        """Suggested judul: the video's own title, cut to the karya limit."""
        return self.video.judul_asli.strip()[:PANJANG_JUDUL_MAKS] if self.video else ""

    def simpan(
        self,
        *,
        karya_id: str,
        metadata: MetadataKarya,
        versi_persetujuan: str,
        sekarang: datetime,
    ) -> "Karya":
        """"Simpan Video" (K5): checks the metadata and makes the Karya."""
        if self.video is None:
            raise DomainError(
                "video_belum_dipilih",
                "Pilih salah satu video dari akun YouTube Anda terlebih dahulu.",
            )
        periksa_video(self.video, self.channel_id)
        m = periksa_metadata(metadata)
        return Karya(
            id=karya_id,
            pemilik_id=self.pemilik_id,
            akun_youtube_id=self.akun_youtube_id,
            video=self.video,
            judul=m.judul,
            deskripsi=m.deskripsi,
            kategori=m.kategori,
            mata_pelajaran=m.mata_pelajaran,
            tingkat_kelas=m.tingkat_kelas,
            persetujuan=Persetujuan(disetujui=True, versi=versi_persetujuan, disetujui_pada=sekarang),
            status="aktif",
            versi=1,
            dibuat_pada=sekarang,
            diperbarui_pada=sekarang,
        )


class Karya(StrictModel):
    """A saved work (K1). Only `pemilik_id` has full access."""

    id: Identifier
    pemilik_id: Identifier
    akun_youtube_id: Identifier
    video: VideoYoutube
    judul: Judul
    deskripsi: Deskripsi
    kategori: Kode
    mata_pelajaran: Kode
    tingkat_kelas: Kode
    persetujuan: Persetujuan
    status: StatusKarya = "aktif"
    alasan_tidak_tersedia: list[str] = Field(default_factory=list)
    versi: int = Field(ge=1)  # bumped by the repository on every save (optimistic concurrency)
    dibuat_pada: AwareDatetime
    diperbarui_pada: AwareDatetime

    @property
    def urutan_waktu(self) -> int:
        """Microseconds since the epoch of `dibuat_pada`: the sort key of
        "Bukti Karya Saya" (newest first) and of its cursors. An integer,
        because ISO strings of mixed precision do not sort by time."""
        return urutan_waktu(self.dibuat_pada)

    def ubah_metadata(self, perubahan: dict[str, str], sekarang: datetime) -> "Karya":
        """Edit judul, deskripsi, kategori, mata pelajaran, tingkat kelas (K5).
        The same rules as when saving; consent was given at saving and stays.
        A category switched off later (`aktif=False`) may be kept but not chosen anew."""
        boleh = {"judul", "deskripsi", "kategori", "mata_pelajaran", "tingkat_kelas"}
        tidak_dikenal = set(perubahan) - boleh
        if tidak_dikenal:
            raise ValueError(f"kolom tidak dapat diubah: {sorted(tidak_dikenal)}")
        gabungan = {f: getattr(self, f) for f in boleh} | perubahan
        kategori_tetap = gabungan["kategori"] == self.kategori
        m = periksa_metadata(MetadataKarya(
            **{**gabungan, "kategori": "praktik_pembelajaran" if kategori_tetap else gabungan["kategori"]},
            persetujuan=True,
        ))
        baru = {f: getattr(m, f) for f in boleh} | ({"kategori": self.kategori} if kategori_tetap else {})
        if all(baru[f] == getattr(self, f) for f in boleh):
            return self
        return self.model_copy(update={**baru, "diperbarui_pada": sekarang})

    def perbarui_ketersediaan(self, video_terbaru: VideoYoutube | None, sekarang: datetime) -> "Karya":
        """Re-check the video against YouTube's latest answer (None = it is
        gone). The karya turns `video_tidak_tersedia` while the owner made
        it private, non-embeddable or deleted it, and back to `aktif` when
        fixed. Unchanged state returns self (nothing to write); the repository
        bumps `versi` when a changed karya is saved."""
        masalah = masalah_video(video_terbaru, self.video.channel_id)
        status: StatusKarya = "video_tidak_tersedia" if masalah else "aktif"
        video = video_terbaru if video_terbaru is not None and video_terbaru.video_id == self.video.video_id else self.video
        if status == self.status and masalah == self.alasan_tidak_tersedia and video == self.video:
            return self
        return self.model_copy(update={
            "status": status,
            "alasan_tidak_tersedia": masalah,
            "video": video,
            "diperbarui_pada": sekarang,
        })


def urutan_waktu(waktu: datetime) -> int:
    delta = waktu - datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


def pastikan_pemilik(karya: Karya | None, pengguna_id: str) -> Karya:
    """K1: only the owner manages a karya. Someone else gets the same answer
    as for a karya that does not exist, so ids cannot be probed."""
    if karya is None or karya.pemilik_id != pengguna_id:
        raise NotFound("karya_tidak_ditemukan", "Karya tidak ditemukan.")
    return karya


URL_EMBED = "https://www.youtube-nocookie.com/embed/{video_id}"


class EmbedVideo(FrozenModel):
    """What the player needs to play a karya (K6). The privacy-enhanced
    youtube-nocookie.com host sets no tracking cookie until play."""

    video_id: str
    url_embed: str
    thumbnail: str | None
    durasi_detik: int
    durasi_iso: str
    judul: str


def deskriptor_putar(karya: Karya) -> EmbedVideo:
    """Embed descriptor for ▶ (K6); refused while the video is unavailable."""
    if karya.status != "aktif":
        raise DomainError(
            "video_tidak_tersedia",
            "Video karya ini sedang tidak dapat diputar karena sudah dihapus, dijadikan "
            "Pribadi, atau tidak mengizinkan penyematan di YouTube.",
            status=409,
            alasan=list(karya.alasan_tidak_tersedia),
        )
    v = karya.video
    return EmbedVideo(
        video_id=v.video_id,
        url_embed=URL_EMBED.format(video_id=v.video_id),
        thumbnail=v.thumbnail,
        durasi_detik=v.durasi_detik,
        durasi_iso=v.durasi_iso,
        judul=karya.judul,
    )
