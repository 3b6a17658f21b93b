"""Versioned catalogues of Pengelolaan Kinerja (P2, P5, P7, P13).

The content lives in ``kinerja/data/*.json`` (each with ``versi`` and ``sumber``);
this module only types it, checks its shape once at first use, and offers
lookups that answer an unknown id with a ``DomainError`` the user can act on.

- sub-indikator D1 "Kualitas Pembelajaran" (guru, guru BK) and D3
  "Kepemimpinan Pembelajaran" (kepala sekolah), 8 each, 3 fokus perilaku
  each with recommended / avoided behaviours, and the observation scale
- Pengembangan Kompetensi activities with points and category, 32-128 points
- Tugas Tambahan options with the jenjang they apply to
- the seven BerAKHLAK values
- PMM learning materials (Pelatihan Mandiri topics) tied to sub-indikator
"""
from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator

from kinerja import data
from kinerja.domain.referensi import Jabatan, Jenjang
from shared.errors import DomainError
from shared.models import FrozenModel

# ------------------------------------------------------------- sub-indikator


class NilaiSkala(FrozenModel):
    id: str
    nama: str
    urutan: int


class SkalaObservasi(FrozenModel):
    sumber: str
    nilai: tuple[NilaiSkala, ...]


class FokusPerilaku(FrozenModel):
    id: str
    nama: str
    dianjurkan: tuple[str, ...] = Field(min_length=1)
    dihindari: tuple[str, ...] = Field(min_length=1)


class SubIndikator(FrozenModel):
    id: str
    indikator: Literal["D1", "D3"]
    komponen: str
    nama: str
    terkonfirmasi: bool  # False: name chosen by the team, not confirmed by a source
    sumber: str
    deskripsi: str
    fokus_perilaku: tuple[FokusPerilaku, ...] = Field(min_length=3, max_length=3)


class Indikator(FrozenModel):
    id: Literal["D1", "D3"]
    nama: str
    jabatan: tuple[Jabatan, ...]
    komponen: tuple[str, ...]


class KatalogSubIndikator(FrozenModel):
    versi: str
    sumber: tuple[str, ...]
    skala_observasi: SkalaObservasi
    indikator: tuple[Indikator, ...]
    sub_indikator: tuple[SubIndikator, ...]

    @model_validator(mode="after")
    def _bentuk(self) -> "KatalogSubIndikator":
        ids = [s.id for s in self.sub_indikator] + [f.id for s in self.sub_indikator for f in s.fokus_perilaku]
        if len(ids) != len(set(ids)):
            raise ValueError("id sub-indikator / fokus perilaku ganda")
        for ind in self.indikator:
            anggota = [s for s in self.sub_indikator if s.indikator == ind.id]
            if len(anggota) != 8:
                raise ValueError(f"indikator {ind.id} harus punya 8 sub-indikator, ada {len(anggota)}")
            if any(s.komponen not in ind.komponen for s in anggota):
                raise ValueError(f"komponen sub-indikator {ind.id} tidak dikenal")
        return self


# ---------------------------------------------------- pengembangan kompetensi


class BatasPoin(FrozenModel):
    minimal: int = Field(gt=0)
    maksimal: int = Field(gt=0)


class KategoriPengembangan(FrozenModel):
    id: str
    nama: str


class BuktiKhusus(FrozenModel):
    """A named kind of evidence a kegiatan accepts (e.g. the Surat Keterangan Selesai of a Pelatihan
    Mandiri topic); ``per_topik``: one per chosen topic (the upload names its materi_id)."""

    id: str
    nama: str
    per_topik: bool = False


class KegiatanPengembangan(FrozenModel):
    id: str
    nama: str
    poin: int = Field(gt=0)
    kategori: str
    perlu_materi: bool = False  # a Pelatihan Mandiri topic must name its materi PMM
    bukti_khusus: tuple[BuktiKhusus, ...] = ()


class KatalogPengembangan(FrozenModel):
    versi: str
    sumber: tuple[str, ...]
    batas_poin: BatasPoin
    kategori: tuple[KategoriPengembangan, ...]
    kegiatan: tuple[KegiatanPengembangan, ...]

    @model_validator(mode="after")
    def _bentuk(self) -> "KatalogPengembangan":
        kategori = {k.id for k in self.kategori}
        if any(k.kategori not in kategori for k in self.kegiatan):
            raise ValueError("kegiatan dengan kategori tidak dikenal")
        if self.batas_poin.minimal > self.batas_poin.maksimal:
            raise ValueError("batas poin terbalik")
        # the limits are exact totals a teacher can pick: a data edit that makes them unreachable
        # (e.g. only 6- and 36-point items, so 32 cannot be met exactly) fails loudly at load
        for batas in (self.batas_poin.minimal, self.batas_poin.maksimal):
            if not self.kombinasi(batas):
                raise ValueError(f"batas poin {batas} tidak dapat dicapai dari kegiatan katalog")
        return self

    def kombinasi(self, total: int) -> tuple[str, ...]:
        """Fewest catalogue activities (repeats allowed) whose points add up to ``total``; () if none."""
        if total <= 0:
            return ()
        terbaik: list[tuple[str, ...] | None] = [()] + [None] * total
        for t in range(1, total + 1):
            for k in self.kegiatan:
                sebelum = terbaik[t - k.poin] if k.poin <= t else None
                if sebelum is not None and (terbaik[t] is None or len(sebelum) + 1 < len(terbaik[t])):
                    terbaik[t] = sebelum + (k.id,)
        return terbaik[total] or ()


# ------------------------------------------------------ tugas tambahan, dll.


class OpsiTugasTambahan(FrozenModel):
    id: str
    nama: str
    jenjang: tuple[Jenjang, ...] = Field(min_length=1)
    keyakinan: Literal["H", "M"]


class KatalogTugasTambahan(FrozenModel):
    versi: str
    sumber: tuple[str, ...]
    tugas: tuple[OpsiTugasTambahan, ...]


class NilaiBerakhlak(FrozenModel):
    id: str
    nama: str
    deskripsi: str


class KatalogPerilakuKerja(FrozenModel):
    versi: str
    sumber: tuple[str, ...]
    nilai: tuple[NilaiBerakhlak, ...] = Field(min_length=7, max_length=7)


class MateriPmm(FrozenModel):
    id: str
    judul: str
    sub_indikator: tuple[str, ...]


class KatalogMateri(FrozenModel):
    versi: str
    sumber: tuple[str, ...]
    materi: tuple[MateriPmm, ...]


class OpsiSederhana(FrozenModel):
    id: str
    nama: str


class KatalogTindakLanjut(FrozenModel):
    """Options of the Dokumen Tindak Lanjut (P7): follow-up goals and support needed."""

    versi: str
    sumber: tuple[str, ...]
    tujuan: tuple[OpsiSederhana, ...] = Field(min_length=1)
    dukungan: tuple[OpsiSederhana, ...] = Field(min_length=1)


class TemplatBukti(FrozenModel):
    """A "Contoh Format Bukti Dukung" a teacher can download (P9): for a step and an RHK (and the chosen
    kegiatan / tugas tambahan it documents, if any). The file ships in ``data/templat/``."""

    id: str
    nama: str
    tahap: Literal["perencanaan", "pelaksanaan", "penilaian"]
    langkah: str
    rhk: Literal["praktik_kinerja", "pengembangan_kompetensi", "tugas_tambahan"]
    item_id: str | None = None
    berkas: str = Field(pattern=r"^[a-z0-9_]+\.(docx|xlsx|pdf)$")

    @property
    def jenis(self) -> str:
        return JENIS_TEMPLAT[self.berkas.rsplit(".", 1)[1]]


JENIS_TEMPLAT = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 "pdf": "application/pdf"}


class KatalogTemplat(FrozenModel):
    versi: str
    sumber: tuple[str, ...]
    templat: tuple[TemplatBukti, ...] = Field(min_length=1)


# ------------------------------------------------------------------- loading


@lru_cache(maxsize=1)
def katalog_sub_indikator() -> KatalogSubIndikator:
    return KatalogSubIndikator.model_validate(data.muat("sub_indikator"))


@lru_cache(maxsize=1)
def katalog_pengembangan() -> KatalogPengembangan:
    return KatalogPengembangan.model_validate(data.muat("pengembangan_kompetensi"))


@lru_cache(maxsize=1)
def katalog_tugas_tambahan() -> KatalogTugasTambahan:
    return KatalogTugasTambahan.model_validate(data.muat("tugas_tambahan"))


@lru_cache(maxsize=1)
def katalog_perilaku_kerja() -> KatalogPerilakuKerja:
    return KatalogPerilakuKerja.model_validate(data.muat("perilaku_kerja"))


@lru_cache(maxsize=1)
def katalog_materi() -> KatalogMateri:
    k = KatalogMateri.model_validate(data.muat("materi_pmm"))
    dikenal = {s.id for s in katalog_sub_indikator().sub_indikator}
    if any(s not in dikenal for m in k.materi for s in m.sub_indikator):
        raise ValueError("materi PMM merujuk sub-indikator yang tidak dikenal")
    return k


@lru_cache(maxsize=1)
def katalog_tindak_lanjut() -> KatalogTindakLanjut:
    return KatalogTindakLanjut.model_validate(data.muat("tindak_lanjut"))


@lru_cache(maxsize=1)
def katalog_templat() -> KatalogTemplat:
    """Evidence templates; every item they name exists in its catalogue and every file is shipped."""
    k = KatalogTemplat.model_validate(data.muat("templat_bukti"))
    dikenal = {"pengembangan_kompetensi": {x.id for x in katalog_pengembangan().kegiatan},
               "tugas_tambahan": {x.id for x in katalog_tugas_tambahan().tugas}, "praktik_kinerja": set()}
    for t in k.templat:
        if t.item_id is not None and t.item_id not in dikenal[t.rhk]:
            raise ValueError(f"templat {t.id}: item {t.item_id} tidak ada di katalog {t.rhk}")
        isi_templat(t)
    return k


def isi_templat(t: TemplatBukti) -> bytes:
    return data.berkas(f"templat/{t.berkas}")


def versi_katalog() -> dict[str, str]:
    """Versions of every catalogue, recorded on a plan so an old plan stays explainable."""
    return {
        "sub_indikator": katalog_sub_indikator().versi,
        "pengembangan_kompetensi": katalog_pengembangan().versi,
        "tugas_tambahan": katalog_tugas_tambahan().versi,
        "perilaku_kerja": katalog_perilaku_kerja().versi,
        "materi_pmm": katalog_materi().versi,
        "tindak_lanjut": katalog_tindak_lanjut().versi,
    }


# ------------------------------------------------------------------- lookups


def _cari(koleksi, id_: str, kode: str, pesan: str):
    for item in koleksi:
        if item.id == id_:
            return item
    raise DomainError(kode, pesan, id=id_)


def indikator_untuk(jabatan: Jabatan) -> Indikator:
    """D1 for guru and guru BK, D3 for kepala sekolah."""
    for ind in katalog_sub_indikator().indikator:
        if jabatan in ind.jabatan:
            return ind
    raise DomainError("indikator_tidak_dikenal", f"Tidak ada indikator Praktik Kinerja untuk jabatan {jabatan}.")


def sub_indikator(id_: str) -> SubIndikator:
    return _cari(katalog_sub_indikator().sub_indikator, id_, "sub_indikator_tidak_dikenal",
                 f"Sub-indikator '{id_}' tidak dikenal. Pilih salah satu sub-indikator dari daftar Praktik Kinerja.")


def sub_indikator_untuk(jabatan: Jabatan) -> tuple[SubIndikator, ...]:
    ind = indikator_untuk(jabatan).id
    return tuple(s for s in katalog_sub_indikator().sub_indikator if s.indikator == ind)


def fokus_perilaku(id_: str) -> FokusPerilaku:
    semua = [f for s in katalog_sub_indikator().sub_indikator for f in s.fokus_perilaku]
    return _cari(semua, id_, "fokus_perilaku_tidak_dikenal",
                 f"Fokus perilaku '{id_}' tidak dikenal. Pilih dari rubrik observasi sub-indikator Anda.")


def skala_observasi() -> tuple[NilaiSkala, ...]:
    return tuple(sorted(katalog_sub_indikator().skala_observasi.nilai, key=lambda n: n.urutan))


def nilai_skala(id_: str) -> NilaiSkala:
    return _cari(skala_observasi(), id_, "skala_observasi_tidak_dikenal",
                 f"Nilai observasi '{id_}' tidak dikenal. Gunakan: Belum Dilakukan, Dilakukan tapi Belum Efektif, "
                 "atau Dilakukan dan Efektif.")


def batas_poin() -> BatasPoin:
    return katalog_pengembangan().batas_poin


def kegiatan_pengembangan(id_: str) -> KegiatanPengembangan:
    return _cari(katalog_pengembangan().kegiatan, id_, "kegiatan_pengembangan_tidak_dikenal",
                 f"Kegiatan Pengembangan Kompetensi '{id_}' tidak dikenal. Pilih dari daftar kegiatan yang tersedia.")


def tugas_tambahan(id_: str) -> OpsiTugasTambahan:
    return _cari(katalog_tugas_tambahan().tugas, id_, "tugas_tambahan_tidak_dikenal",
                 f"Tugas Tambahan '{id_}' tidak dikenal. Pilih dari daftar Tugas Tambahan yang tersedia.")


def tugas_tambahan_untuk(jenjang: Jenjang) -> tuple[OpsiTugasTambahan, ...]:
    return tuple(t for t in katalog_tugas_tambahan().tugas if jenjang in t.jenjang)


def perilaku_kerja(id_: str) -> NilaiBerakhlak:
    return _cari(katalog_perilaku_kerja().nilai, id_, "perilaku_kerja_tidak_dikenal",
                 f"Aspek Perilaku Kerja '{id_}' tidak dikenal. Pilih dari tujuh nilai BerAKHLAK.")


def daftar_perilaku_kerja() -> tuple[NilaiBerakhlak, ...]:
    return katalog_perilaku_kerja().nilai


def materi_pmm(id_: str) -> MateriPmm:
    return _cari(katalog_materi().materi, id_, "materi_tidak_dikenal",
                 f"Materi PMM '{id_}' tidak dikenal. Pilih materi dari daftar Pelatihan Mandiri.")


def materi_untuk(sub_indikator_id: str) -> tuple[MateriPmm, ...]:
    sub_indikator(sub_indikator_id)
    return tuple(m for m in katalog_materi().materi if sub_indikator_id in m.sub_indikator)


def tujuan_tindak_lanjut(id_: str) -> OpsiSederhana:
    return _cari(katalog_tindak_lanjut().tujuan, id_, "tujuan_tindak_lanjut_tidak_dikenal",
                 f"Tujuan tindak lanjut '{id_}' tidak dikenal. Pilih dari daftar tujuan yang tersedia.")


def dukungan_tindak_lanjut(id_: str) -> OpsiSederhana:
    return _cari(katalog_tindak_lanjut().dukungan, id_, "dukungan_tidak_dikenal",
                 f"Dukungan '{id_}' tidak dikenal. Pilih dari daftar dukungan yang tersedia.")
