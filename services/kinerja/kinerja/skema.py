"""Request bodies and response views of the kinerja HTTP API (OpenAPI is generated from these).

Every mutating body carries ``versi``: the version the client read. A stale
one is refused with 409 ``versi_tidak_cocok`` (two tabs, two principals).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, Field

from kinerja.domain import katalog
from kinerja.domain.observasi import HasilObservasi, IsianRefleksi, IsianTindakLanjut, Pelaksanaan
from kinerja.domain.rencana import InputPengembangan, InputTugasTambahan, Rencana
from kinerja.domain.siklus import Siklus
from kinerja.service.berkas import Berkas, KategoriDokumenSekolah, TujuanBerkas
from shared.models import Identifier, Kode, Nama, StrictModel, TeksPanjang, TeksPendek

Versi = Field(ge=0, description="versi yang dibaca klien (optimistic concurrency)")


# ------------------------------------------------------------------ bodies
class BukaSiklusBody(StrictModel):
    periode: str = Field(pattern=r"^\d{4}-[12]$", description="TAHUN-1 (Januari-Juni) atau TAHUN-2 (Juli-Desember)")


class VersiBody(StrictModel):
    versi: int = Versi


class PraktikBody(VersiBody):
    sub_indikator_id: Kode


class PengembanganBody(VersiBody):
    kegiatan: list[InputPengembangan] = Field(max_length=40)


class TugasTambahanBody(VersiBody):
    tugas: list[InputTugasTambahan] = Field(default=[], max_length=20)


class PerilakuBody(VersiBody):
    nilai_ids: list[Kode] = Field(max_length=7)


class RangkumanBody(VersiBody):
    rangkuman: TeksPanjang | None = None


class SetujuiBody(VersiBody):
    catatan: TeksPanjang | None = None


class KembalikanBody(VersiBody):
    catatan: TeksPanjang


class IsianPersiapanBody(StrictModel):
    target_perilaku_ids: list[Identifier] = Field(default=[], max_length=10)
    upaya: TeksPanjang | None = None
    jadwal_observasi: AwareDatetime | None = None
    rpp_berkas_id: Identifier | None = Field(None, description="berkas RPP/Modul Ajar yang sudah dikonfirmasi")


class PersiapanBody(VersiBody):
    isian: IsianPersiapanBody | None = Field(None, description="kosong pada Kumpulkan: draf yang tersimpan dikumpulkan")


class JadwalBody(VersiBody):
    waktu: AwareDatetime | None = Field(None, description="kosong: jadwal usulan guru disepakati apa adanya")


class PenilaianBody(VersiBody):
    hasil: dict[Identifier, HasilObservasi] = Field(max_length=10)
    rekomendasi: TeksPanjang = Field(min_length=1)


class TindakLanjutBody(VersiBody):
    isian: IsianTindakLanjut | None = None


class RefleksiBody(VersiBody):
    isian: IsianRefleksi | None = None


class UnggahBody(StrictModel):
    tujuan: TujuanBerkas
    nama_berkas: Nama
    jenis: TeksPendek = Field(description="content type, mis. application/pdf")
    ukuran: int = Field(gt=0, description="ukuran dalam byte")
    md5_base64: str = Field(max_length=32, description="MD5 isi berkas, base64 (Content-MD5)")
    siklus_id: Identifier | None = None
    item_id: Identifier | None = Field(None, description="kegiatan_id / tugas_id untuk bukti dukung")
    npsn: Identifier | None = Field(None, description="untuk dokumen sekolah")
    kategori: KategoriDokumenSekolah | None = None


# ------------------------------------------------------------------- views
class RencanaView(BaseModel):
    rencana: Rencana
    versi: int
    total_poin: int
    langkah_berikutnya: str | None

    @classmethod
    def of(cls, r: Rencana) -> "RencanaView":
        return cls(rencana=r, versi=r.versi, total_poin=r.total_poin,
                   langkah_berikutnya=r.langkah_berikutnya.value if r.langkah_berikutnya else None)


class DaftarRencana(BaseModel):
    rencana: list[RencanaView]


class FokusView(BaseModel):
    id: str
    nama: str
    dianjurkan: tuple[str, ...]
    dihindari: tuple[str, ...]


class PelaksanaanView(BaseModel):
    pelaksanaan: Pelaksanaan
    versi: int
    langkah_aktif: str | None
    progres_persen: int
    rubrik_observasi: list[FokusView]
    peran: str | None = None

    @classmethod
    def of(cls, p: Pelaksanaan, peran: str | None = None) -> "PelaksanaanView":
        rubrik = [katalog.fokus_perilaku(f) for f in p.rubrik_observasi()]
        return cls(pelaksanaan=p, versi=p.versi, langkah_aktif=p.langkah_aktif.value if p.langkah_aktif else None,
                   progres_persen=p.progres_persen, peran=peran,
                   rubrik_observasi=[FokusView(id=f.id, nama=f.nama, dianjurkan=f.dianjurkan, dihindari=f.dihindari)
                                     for f in rubrik])


class SiklusView(BaseModel):
    siklus: Siklus
    rencana: RencanaView | None = None
    pelaksanaan: PelaksanaanView | None = None


class BerkasView(BaseModel):
    berkas: Berkas
    versi: int
    url_unduh: str | None = None


class TiketUnggahView(BaseModel):
    berkas: Berkas
    versi: int
    unggah: dict[str, Any] = Field(description="url, method, headers: PUT berkas persis seperti ini")


class DaftarBerkas(BaseModel):
    berkas: list[BerkasView]


class GuruView(BaseModel):
    ptk_id: str
    nama: str
    jabatan: str
    status_kepegawaian: str
    siklus_id: str | None
    kewajiban: str | None
    tahap: str
    status_rencana: str | None
    rencana_versi: int | None
    langkah_observasi: str | None
    progres_observasi_persen: int | None
    pelaksanaan_versi: int | None
    menunggu_saya: list[str]


class DaftarGuru(BaseModel):
    npsn: str
    periode: str
    guru: list[GuruView]
    ringkasan_menunggu: dict[str, int]


class SayaView(BaseModel):
    ptk_id: str | None
    nama: str | None
    jabatan: str | None
    status_kepegawaian: str | None
    npsn_induk: str | None
    npsn_lain: list[str] = []
    peran: list[str]
    memimpin_sekolah: list[str] = []
    kepala_dinas_dari: str | None = None


class PilihanPraktikView(BaseModel):
    pilihan: list[dict[str, Any]]


class KonfirmasiPeriodeView(BaseModel):
    npsn: str
    periode: str
    oleh: str
    pada: datetime | str
