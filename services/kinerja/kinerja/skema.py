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
    plt_npsn: str | None = Field(None, pattern=r"^\d{8}$",
                                 description="NPSN sekolah yang Anda pimpin sebagai Plt.: membuka SKP sebagai Plt. "
                                             "Kepala Sekolah (terpisah dari siklus guru Anda)")


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
    bukti_khusus: Identifier | None = Field(
        None, description="jenis bukti bernama dari katalog, mis. surat_keterangan_selesai_pelatihan_mandiri")
    materi_id: Identifier | None = Field(None, description="topik Pelatihan Mandiri untuk bukti per topik")


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


class TemplatView(BaseModel):
    id: str
    nama: str
    tahap: str
    langkah: str
    rhk: str
    item_id: str | None = None
    nama_berkas: str
    jenis: str
    ukuran: int
    url_unduh: str


class DaftarTemplat(BaseModel):
    versi: str
    templat: list[TemplatView]


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


# ============================================================ Penilaian, Predikat (P10-P12, P14)
from kinerja.domain.penilaian import PANDUAN_KIRIM_DINAS, LABEL_RATING, PengirimanDinas, PenilaianKinerja, Rating  # noqa: E402
from kinerja.domain.predikat import (  # noqa: E402
    LABEL_PREDIKAT,
    LABEL_PREDIKAT_ORGANISASI,
    Predikat,
    PredikatKinerjaOrganisasi,
    PredikatKinerjaPegawai,
    PredikatOrganisasi,
)


class RatingBody(VersiBody):
    rating_hasil_kerja: Rating | None = Field(
        None, description="wajib untuk guru; untuk kepala sekolah mengikuti Predikat Kinerja Organisasi (boleh kosong)")
    rating_perilaku_kerja: Rating
    catatan_hasil_kerja: TeksPanjang | None = None
    catatan_perilaku_kerja: TeksPanjang | None = None


class DrafKirimanBody(VersiBody):
    panduan_dicentang: list[Identifier] | None = Field(
        None, max_length=20, description="butir panduan yang dicentang (menggantikan yang lama); kosong: tidak diubah")
    penjelasan: TeksPanjang | None = Field(None, description="draf penjelasan dan persetujuan")


class KirimBody(VersiBody):
    konfirmasi: bool = Field(description="centang konfirmasi bahwa data penilaian sudah benar")
    penjelasan: TeksPanjang = Field(description="penjelasan dan persetujuan kepala sekolah")


class PredikatOrganisasiBody(VersiBody):
    predikat: PredikatOrganisasi


class IsianPredikatBody(StrictModel):
    pegawai_id: Identifier
    predikat: Predikat | None = Field(None, description="kosong: predikat hasil matriks (isian awal)")
    alasan_penyesuaian: TeksPanjang | None = Field(None, description="wajib bila berbeda dari predikat matriks")


class PredikatGuruBody(VersiBody):
    predikat: list[IsianPredikatBody] = Field(max_length=1000)


class PredikatKepalaSekolahBody(VersiBody):
    predikat: Predikat | None = None
    alasan_penyesuaian: TeksPanjang | None = None


class PenilaianView(BaseModel):
    siklus_id: str
    pegawai_id: str
    periode: str
    peran: str
    kepala_sekolah: bool = Field(description="siklus kepala sekolah: dinilai Kepala Dinas / pengawas (P14)")
    poin_kompetensi: int | None = Field(description="ditampilkan, bukan penentu predikat (P10)")
    penilaian: PenilaianKinerja | None
    versi: int = Field(description="versi penilaian (0: belum dinilai)")
    label_rating: dict[str, str] = {}
    predikat: PredikatKinerjaPegawai | None = None
    predikat_versi: int = 0
    label_predikat: str | None = None

    @classmethod
    def of(cls, t) -> "PenilaianView":
        pn, pr = t.penilaian, t.predikat
        return cls(siklus_id=t.siklus.siklus_id, pegawai_id=t.siklus.ptk_id, periode=t.siklus.periode, peran=t.peran,
                   kepala_sekolah=t.pimpinan, poin_kompetensi=t.rencana.total_poin if t.rencana else None,
                   penilaian=pn, versi=pn.versi if pn else 0,
                   label_rating={"hasil_kerja": LABEL_RATING[pn.rating_hasil_kerja],
                                 "perilaku_kerja": LABEL_RATING[pn.rating_perilaku_kerja]} if pn else {},
                   predikat=pr, predikat_versi=pr.versi if pr else 0,
                   label_predikat=LABEL_PREDIKAT[pr.predikat] if pr else None)


class BarisPenilaianView(BaseModel):
    ptk_id: str
    nama: str
    jabatan: str
    siklus_id: str | None
    status_rencana: str | None
    dapat_dinilai: bool = Field(description="rencana disepakati dan siklus aktif")
    poin_kompetensi: int | None = Field(description="ditampilkan, bukan penentu predikat (P10)")
    penilaian: PenilaianKinerja | None
    penilaian_versi: int
    terkirim: bool
    nomor_kiriman: int | None
    predikat_matriks: Predikat | None = Field(description="isian awal dari matriks PermenPANRB 6/2022")
    predikat: dict[str, Any] | None = Field(description="predikat yang sudah ditetapkan kepala sekolah")
    temuan: list[str] = Field(description="tidak_aktif, nip_ganda, orang_ganda")


def _org_view(org: PredikatKinerjaOrganisasi | None) -> dict[str, Any] | None:
    if org is None:
        return None
    return {"predikat": org.predikat.value, "label": LABEL_PREDIKAT_ORGANISASI[org.predikat], "versi": org.versi,
            "ditetapkan_pada": org.ditetapkan_pada.isoformat()}


def pengiriman_view(p: PengirimanDinas) -> dict[str, Any]:
    return {"versi": p.versi, "panduan_dicentang": sorted(p.panduan_dicentang), "draf_penjelasan": p.draf_penjelasan,
            "sudah_pernah_dikirim": p.sudah_pernah_dikirim,
            "kiriman": [{"nomor": k.nomor, "pegawai_ids": list(k.pegawai_ids), "penjelasan": k.penjelasan,
                         "dikirim_pada": k.dikirim_pada.isoformat()} for k in p.kiriman]}


def pratinjau_view(p, temuan_view) -> dict[str, Any]:
    return {"siap_dikirim": list(p.siap_dikirim), "sudah_dikirim": list(p.sudah_dikirim), "ditahan": list(p.ditahan),
            "belum_dinilai": list(p.belum_dinilai), "temuan": [temuan_view(t) for t in p.temuan]}


class HalamanPenilaianView(BaseModel):
    npsn: str
    periode: str
    jendela_penilaian: dict[str, str]
    panduan: list[dict[str, Any]] = Field(description="panduan sebelum Kirim ke Dinas Pendidikan, dengan status centang")
    guru: list[BarisPenilaianView]
    pengiriman: dict[str, Any]
    pratinjau: dict[str, Any] = Field(description="siap_dikirim, sudah_dikirim, ditahan, belum_dinilai, temuan")
    predikat_organisasi: dict[str, Any] | None
    penetapan_versi: int = Field(description="versi set Predikat Kinerja guru (0: belum ditetapkan)")
    pelanggaran_kurva: list[dict[str, Any]] = Field(
        description="batas kurva yang dilanggar oleh predikat saat ini (atau isian awal matriks)")

    @classmethod
    def of(cls, h, temuan_view) -> "HalamanPenilaianView":
        guru = [BarisPenilaianView(
            ptk_id=b.ptk.ptk_id, nama=b.ptk.nama, jabatan=b.ptk.jabatan.value,
            siklus_id=b.siklus.siklus_id if b.siklus else None,
            status_rencana=b.rencana.status.value if b.rencana else None, dapat_dinilai=b.dapat_dinilai,
            poin_kompetensi=b.rencana.total_poin if b.rencana else None, penilaian=b.penilaian,
            penilaian_versi=b.penilaian.versi if b.penilaian else 0,
            terkirim=bool(b.penilaian and b.penilaian.terkirim),
            nomor_kiriman=b.penilaian.nomor_kiriman if b.penilaian else None, predikat_matriks=b.predikat_matriks,
            predikat=b.predikat, temuan=list(b.temuan)) for b in h.baris]
        dicentang = h.pengiriman.panduan_dicentang
        return cls(npsn=h.sekolah.npsn, periode=h.periode.id,
                   jendela_penilaian={"mulai": h.jendela_penilaian.mulai.isoformat(),
                                      "selesai": h.jendela_penilaian.selesai.isoformat()},
                   panduan=[{"id": i.id, "teks": i.teks, "dicentang": i.id in dicentang} for i in PANDUAN_KIRIM_DINAS],
                   guru=guru, pengiriman=pengiriman_view(h.pengiriman), pratinjau=pratinjau_view(h.pratinjau, temuan_view),
                   predikat_organisasi=_org_view(h.predikat_organisasi), penetapan_versi=h.penetapan_versi,
                   pelanggaran_kurva=[v.model_dump(mode="json") for v in h.pelanggaran_kurva])


class PengirimanView(BaseModel):
    npsn: str
    periode: str
    pengiriman: dict[str, Any]
    terkirim: list[str] = []
    pratinjau: dict[str, Any] | None = None


class SekolahDinasView(BaseModel):
    npsn: str
    nama: str
    jenjang: str
    data_terkirim: bool
    jumlah_guru_terkirim: int
    jumlah_kiriman: int
    terakhir_dikirim_pada: str | None
    predikat_organisasi: dict[str, Any] | None


class DaftarSekolahDinasView(BaseModel):
    dinas_id: str
    nama_dinas: str
    periode: str
    sekolah: list[SekolahDinasView]

    @classmethod
    def of(cls, dinas, periode: str, baris) -> "DaftarSekolahDinasView":
        out = []
        for b in baris:
            k = b.pengiriman.kiriman if b.pengiriman else ()
            out.append(SekolahDinasView(
                npsn=b.sekolah.npsn, nama=b.sekolah.nama, jenjang=b.sekolah.jenjang.value, data_terkirim=bool(k),
                jumlah_guru_terkirim=sum(len(x.pegawai_ids) for x in k), jumlah_kiriman=len(k),
                terakhir_dikirim_pada=k[-1].dikirim_pada.isoformat() if k else None,
                predikat_organisasi=_org_view(b.predikat_organisasi)))
        return cls(dinas_id=dinas.dinas_id, nama_dinas=dinas.nama, periode=periode, sekolah=out)


class DataSekolahDinasView(BaseModel):
    npsn: str
    nama: str
    periode: str
    kiriman: list[dict[str, Any]]
    penilaian: list[dict[str, Any]]
    predikat_organisasi: dict[str, Any] | None
    predikat_organisasi_versi: int

    @classmethod
    def of(cls, d) -> "DataSekolahDinasView":
        kiriman = pengiriman_view(d.pengiriman)["kiriman"] if d.pengiriman else []
        rows = [{"ptk_id": pn.pegawai_id, "nama": ptk.nama if ptk else None,
                 "jabatan": ptk.jabatan.value if ptk else None,
                 "rating_hasil_kerja": pn.rating_hasil_kerja.value, "rating_perilaku_kerja": pn.rating_perilaku_kerja.value,
                 "catatan_hasil_kerja": pn.catatan_hasil_kerja, "catatan_perilaku_kerja": pn.catatan_perilaku_kerja,
                 "poin_kompetensi": pn.poin_kompetensi, "nomor_kiriman": pn.nomor_kiriman} for ptk, pn in d.penilaian]
        org = d.predikat_organisasi
        return cls(npsn=d.sekolah.npsn, nama=d.sekolah.nama, periode=d.periode.id, kiriman=kiriman, penilaian=rows,
                   predikat_organisasi=_org_view(org), predikat_organisasi_versi=org.versi if org else 0)


class PredikatOrganisasiView(BaseModel):
    predikat_organisasi: PredikatKinerjaOrganisasi
    versi: int
    label: str


class PenetapanView(BaseModel):
    npsn: str
    periode: str
    versi: int
    predikat_organisasi: str
    entri: dict[str, dict[str, Any]]
    diterbitkan: list[str] = Field(description="pegawai yang predikatnya baru/berubah dan diterbitkan sekarang")


class PredikatView(BaseModel):
    predikat: PredikatKinerjaPegawai
    versi: int
    label: str
