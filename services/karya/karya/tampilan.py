"""Request and response models of the Bukti Karya API (what goes over HTTP).

Requests are StrictModel (unknown fields refused, every text bounded);
responses never carry tokens, encrypted secrets or other users' ids.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared.models import StrictModel

from karya.adapters.youtube import HalamanUnggahan
from karya.domain import berbagi
from karya.domain.karya import PANJANG_DESKRIPSI_MAKS, PANJANG_JUDUL_MAKS, EmbedVideo, Karya, deskriptor_putar
from karya.domain.oauth import MulaiOtorisasi
from karya.domain.referensi.kanal_berbagi import KanalBerbagi
from karya.domain.referensi.kategori import Kategori, daftar_kategori
from karya.domain.referensi.mata_pelajaran import MataPelajaran, daftar_mata_pelajaran
from karya.domain.referensi.tingkat_kelas import TINGKAT_KELAS, TingkatKelas

IdVideo = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{11}$")]
IdAkun = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
TokenHalaman = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_=-]{1,200}$")]
Kursor = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_=-]{1,400}$")]
# Bounded loosely here; the domain answers with a kode per field (judul_terlalu_panjang, ...).
TeksForm = Annotated[str, StringConstraints(max_length=PANJANG_DESKRIPSI_MAKS + 1000)]
KodeForm = Annotated[str, StringConstraints(max_length=64)]


class View(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- requests ---------------------------------------------------------------------------

class CallbackQuery(StrictModel):
    """What Google appends to the redirect URI (the web app forwards it with the user's token)."""

    state: Annotated[str, StringConstraints(min_length=1, max_length=512)]
    code: Annotated[str, StringConstraints(min_length=1, max_length=512)] | None = None
    error: Annotated[str, StringConstraints(max_length=100)] | None = None
    scope: Annotated[str, StringConstraints(max_length=1000)] | None = None


class UnggahanQuery(StrictModel):
    halaman: TokenHalaman | None = None


class PilihVideoBody(StrictModel):
    akun_youtube_id: IdAkun
    video_id: IdVideo


class GantiVideoBody(StrictModel):
    video_id: IdVideo
    versi: int | None = Field(None, ge=1)


class SimpanKaryaBody(StrictModel):
    """K5. Each field is checked by the domain with its own kode (persetujuan_wajib, ...)."""

    judul: TeksForm = ""
    deskripsi: TeksForm = ""
    kategori: KodeForm = ""
    mata_pelajaran: KodeForm = ""
    tingkat_kelas: KodeForm = ""
    persetujuan: bool = False


class UbahKaryaBody(StrictModel):
    versi: int = Field(ge=1)
    judul: TeksForm | None = None
    deskripsi: TeksForm | None = None
    kategori: KodeForm | None = None
    mata_pelajaran: KodeForm | None = None
    tingkat_kelas: KodeForm | None = None

    def perubahan(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump(exclude={"versi"}).items() if v is not None}


class VersiQuery(StrictModel):
    versi: int | None = Field(None, ge=1)


class DaftarQuery(StrictModel):
    batas: int = Field(20, ge=1, le=50)
    kursor: Kursor | None = None


# --- responses --------------------------------------------------------------------------

class ReferensiView(View):
    kategori: list[Kategori]
    mata_pelajaran: list[MataPelajaran]
    tingkat_kelas: list[TingkatKelas]
    kanal_berbagi: list[KanalBerbagi]
    panjang_judul_maks: int = PANJANG_JUDUL_MAKS
    panjang_deskripsi_maks: int = PANJANG_DESKRIPSI_MAKS

    @classmethod
    def semua(cls) -> "ReferensiView":
        return cls(kategori=daftar_kategori(), mata_pelajaran=daftar_mata_pelajaran(),
                   tingkat_kelas=sorted(TINGKAT_KELAS, key=lambda t: t.urutan),
                   kanal_berbagi=berbagi.daftar_kanal_berbagi())


class OtorisasiView(View):
    url_otorisasi: str
    kedaluwarsa_pada: datetime

    @classmethod
    def of(cls, m: MulaiOtorisasi) -> "OtorisasiView":
        return cls(url_otorisasi=m.url, kedaluwarsa_pada=m.permintaan.kedaluwarsa_pada)


class AkunView(View):
    id: str
    channel_id: str
    judul_kanal: str
    thumbnail: str | None
    terhubung_pada: datetime

    @classmethod
    def of(cls, a) -> "AkunView":
        return cls(id=a.id, channel_id=a.channel_id, judul_kanal=a.judul_kanal, thumbnail=a.thumbnail,
                   terhubung_pada=a.terhubung_pada)


class DaftarAkunView(View):
    items: list[AkunView]


class VideoUnggahanView(View):
    video_id: str
    judul: str
    thumbnail: str | None
    dipublikasikan_pada: datetime | None
    privasi: str | None
    dapat_dipilih: bool = Field(description="false for private videos; processing and embedding are "
                                            "checked when a video is picked")


class UnggahanView(View):
    akun_youtube_id: str
    items: list[VideoUnggahanView]
    halaman_berikut: str | None
    total: int
    panduan_unggah: str | None = Field(None, description="set when the channel has no uploads (K3)")

    @classmethod
    def of(cls, akun_id: str, h: HalamanUnggahan, panduan: str) -> "UnggahanView":
        return cls(akun_youtube_id=akun_id, halaman_berikut=h.token_halaman_berikut, total=h.total,
                   panduan_unggah=panduan if h.total == 0 else None,
                   items=[VideoUnggahanView(video_id=i.video_id, judul=i.judul, thumbnail=i.thumbnail,
                                            dipublikasikan_pada=i.dipublikasikan_pada, privasi=i.privasi,
                                            dapat_dipilih=i.privasi != "private") for i in h.items])


class VideoView(View):
    video_id: str
    judul_asli: str
    thumbnail: str | None
    durasi_detik: int
    privasi: str


class DrafView(View):
    id: str
    akun_youtube_id: str
    video: VideoView | None
    judul_awal: str
    versi: int

    @classmethod
    def of(cls, d) -> "DrafView":
        v = d.video
        return cls(id=d.id, akun_youtube_id=d.akun_youtube_id, judul_awal=d.judul_awal, versi=d.versi,
                   video=VideoView(video_id=v.video_id, judul_asli=v.judul_asli, thumbnail=v.thumbnail,
                                   durasi_detik=v.durasi_detik, privasi=v.privasi) if v else None)


def _putar(k: Karya) -> EmbedVideo | None:
    return deskriptor_putar(k) if k.status == "aktif" else None


class KaryaView(View):
    """The owner's view (K1)."""

    id: str
    judul: str
    deskripsi: str
    kategori: str
    mata_pelajaran: str
    tingkat_kelas: str
    status: str
    alasan_tidak_tersedia: list[str]
    video_id: str
    thumbnail: str | None
    durasi_detik: int
    akun_youtube_id: str
    putar: EmbedVideo | None
    jumlah_umpan_balik: int
    dibuat_pada: datetime
    diperbarui_pada: datetime
    versi: int

    @classmethod
    def of(cls, k: Karya, jumlah_umpan_balik: int = 0) -> "KaryaView":
        return cls(id=k.id, judul=k.judul, deskripsi=k.deskripsi, kategori=k.kategori,
                   mata_pelajaran=k.mata_pelajaran, tingkat_kelas=k.tingkat_kelas, status=k.status,
                   alasan_tidak_tersedia=list(k.alasan_tidak_tersedia), video_id=k.video.video_id,
                   thumbnail=k.video.thumbnail, durasi_detik=k.video.durasi_detik,
                   akun_youtube_id=k.akun_youtube_id, putar=_putar(k), jumlah_umpan_balik=jumlah_umpan_balik,
                   dibuat_pada=k.dibuat_pada, diperbarui_pada=k.diperbarui_pada, versi=k.versi)


class DaftarKaryaView(View):
    items: list[KaryaView]
    kursor_berikut: str | None


class KaryaTerbagiView(View):
    """What a link holder sees (K7, K8): the work and its player, not the owner's account."""

    karya_id: str
    judul: str
    deskripsi: str
    kategori: str
    mata_pelajaran: str
    tingkat_kelas: str
    status: str
    putar: EmbedVideo | None
    milik_saya: bool
    dibuat_pada: datetime

    @classmethod
    def of(cls, k: Karya, pelaku: str) -> "KaryaTerbagiView":
        return cls(karya_id=k.id, judul=k.judul, deskripsi=k.deskripsi, kategori=k.kategori,
                   mata_pelajaran=k.mata_pelajaran, tingkat_kelas=k.tingkat_kelas, status=k.status,
                   putar=_putar(k), milik_saya=k.pemilik_id == pelaku, dibuat_pada=k.dibuat_pada)


class TautanView(View):
    """A new share link: shown once (only its hash is stored), with the
    message of every channel (K7)."""

    tautan_id: str
    tautan: str
    asal: str
    pesan: list[berbagi.PesanBerbagi]

    @classmethod
    def of(cls, url_dasar: str, token: str, t: berbagi.TautanBerbagi, judul: str) -> "TautanView":
        url = berbagi.tautan_karya(url_dasar, token)
        return cls(tautan_id=t.token_hash, tautan=url, asal=t.asal,
                   pesan=[berbagi.pesan_berbagi(k.kode, judul, url, t.asal) for k in berbagi.daftar_kanal_berbagi()])


class RingkasTautanView(View):
    tautan_id: str
    asal: str
    dibuat_oleh_saya: bool
    dibuat_pada: datetime
    dicabut: bool
    jumlah_diteruskan: int


class DaftarTautanView(View):
    items: list[RingkasTautanView]
    jumlah_tautan_penerus: int = Field(description="onward links made by link holders (K8 reach)")
