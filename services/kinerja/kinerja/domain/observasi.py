"""Pelaksanaan Kinerja: the four observation steps of one pegawai in one period (P4-P8).

Source: SRC-BIMTEK-MAPPI ("Tahap Pelaksanaan Kinerja") and SRC-JUMANKERA ("Cara Pengisian
Dokumen Persiapan / Dokumen Tindak Lanjut Pelaksanaan Kinerja Guru di PMM").

The steps run strictly in order; a write to a step whose predecessor is not
finished is refused with kode ``langkah_observasi_belum_berurutan`` (P4):

1. ``dokumen_persiapan`` (Diskusi Persiapan) -- the guru fills the Dokumen
   Persiapan (P5). Finished when the document is submitted ("Kumpulkan") AND
   the observation schedule is agreed (see "Schedule agreement" below).
2. ``observasi_kelas`` -- the kepala sekolah observes on/after the agreed date
   and rates every fokus perilaku of the rubric, with recommendations (P6).
3. ``dokumen_tindak_lanjut`` (Diskusi Tindak Lanjut) -- the guru sees the
   observation result ("bukan nilai akhir") and fills the Dokumen Tindak
   Lanjut (P7). Finished when submitted.
4. ``refleksi_tindak_lanjut`` -- the guru submits a reflection, then the
   kepala sekolah assesses the follow-up (P8). Finished when both are done.

Progress ("Observasi Praktik Kinerja" table) is 25% per finished step; 100%
when all four are done (P8).

Schedule agreement (decision): the guru proposes the date/time inside the
Dokumen Persiapan after discussing it with the kepala sekolah (SRC-JUMANKERA: "pastikan
untuk berdiskusi terlebih dahulu sebelum menetapkan jadwal"). After
"Kumpulkan", the kepala sekolah confirms it with ``sepakati_jadwal``: either
the proposed time as it is, or another time agreed in their discussion (SRC-JUMANKERA:
"jika jadwal yang diajukan tidak sesuai, Guru dapat berdiskusi ... di luar
dari jadwal yang sudah ditetapkan"). The agreement is the principal's own
record beside the teacher's document, so the submitted document itself never
changes (P5). It can be re-agreed until the observation is recorded. The
observation may be recorded from the agreed date onward (compared as calendar
dates in the schedule's own timezone), never before.

Drafts ("Simpan Draf") replace the whole draft with what is sent: every field
may be empty, but what is present must be valid (e.g. a ticked behaviour must
belong to the rubric). "Kumpulkan" requires the complete document and then
freezes it: any later write is refused with kode ``dokumen_sudah_dikumpulkan``.
The "Cek Ulang" confirmation is a client dialog; the API call is the confirmed
submit.

Roles are pure rules on ids the service resolves from reference data: only the
pegawai whose Pelaksanaan it is writes the guru documents; only their
pejabat penilai (kepala sekolah definitif, the Plt. kepala sekolah, or for a
kepala sekolah's own cycle the Kepala Dinas / the pengawas team by decree,
P14) records the schedule agreement, the observation and the assessment.
Nobody assesses themselves (a Plt. who is also a guru of the school).

Every transition returns a new ``Pelaksanaan`` with ``versi`` + 1 (optimistic
concurrency: the repository writes with a precondition on the old ``versi``).
"""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AwareDatetime, Field, StringConstraints, field_validator

from shared.errors import Conflict, DomainError, Forbidden
from shared.models import FrozenModel, Identifier, Nama, TeksPanjang, TeksPendek

ObjectKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:/=+-]{1,1024}$")]
Md5Base64 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]{22}==$")]  # what the object store verifies


# --------------------------------------------------------------------------- data
class Langkah(StrEnum):
    dokumen_persiapan = "dokumen_persiapan"
    observasi_kelas = "observasi_kelas"
    dokumen_tindak_lanjut = "dokumen_tindak_lanjut"
    refleksi_tindak_lanjut = "refleksi_tindak_lanjut"


# Order and names of the steps (SRC-BIMTEK-MAPPI, "empat proses tahapan").
URUTAN_LANGKAH: tuple[Langkah, ...] = (
    Langkah.dokumen_persiapan,
    Langkah.observasi_kelas,
    Langkah.dokumen_tindak_lanjut,
    Langkah.refleksi_tindak_lanjut,
)
NAMA_LANGKAH: dict[Langkah, str] = {
    Langkah.dokumen_persiapan: "Diskusi Persiapan (Dokumen Persiapan)",
    Langkah.observasi_kelas: "Observasi Kelas",
    Langkah.dokumen_tindak_lanjut: "Diskusi Tindak Lanjut (Dokumen Tindak Lanjut)",
    Langkah.refleksi_tindak_lanjut: "Refleksi Tindak Lanjut",
}
PERSEN_PER_LANGKAH = 100 // len(URUTAN_LANGKAH)  # 25


class HasilObservasi(StrEnum):
    """How one fokus perilaku was observed (docs/requirements.md#domain-facts, Perencanaan Kinerja)."""

    belum_dilakukan = "belum_dilakukan"
    dilakukan_belum_efektif = "dilakukan_belum_efektif"
    dilakukan_efektif = "dilakukan_efektif"


LABEL_HASIL_OBSERVASI: dict[HasilObservasi, str] = {
    HasilObservasi.belum_dilakukan: "Belum Dilakukan",
    HasilObservasi.dilakukan_belum_efektif: "Dilakukan tapi Belum Efektif",
    HasilObservasi.dilakukan_efektif: "Dilakukan dan Efektif",
}

# Shown with the observation result to the guru (SRC-JUMANKERA, Dokumen Tindak Lanjut step 2).
KETERANGAN_BUKAN_NILAI_AKHIR = (
    "Hasil penilaian observasi ini menjadi dasar tindak lanjut Anda dan bukan nilai akhir."
)


class StatusDokumen(StrEnum):
    draf = "draf"
    dikumpulkan = "dikumpulkan"


# ------------------------------------------------------------------------- roles
class PejabatPenilai(FrozenModel):
    """Who may act as the superior of this pegawai now (resolved by the service
    from reference data, never from the request).

    For a guru: the kepala sekolah definitif and/or the Plt. kepala sekolah.
    For a kepala sekolah (P14): the Kepala Dinas as ``definitif_id`` and the
    pengawas team appointed by decree as ``tim_penilai_ids``.
    """

    definitif_id: Identifier | None = None
    plt_id: Identifier | None = None
    tim_penilai_ids: frozenset[Identifier] = frozenset()

    def ids(self) -> frozenset[str]:
        found = {i for i in (self.definitif_id, self.plt_id) if i}
        return frozenset(found | set(self.tim_penilai_ids))


def pastikan_pemilik(pegawai_id: str, aktor_id: str) -> None:
    """Only the pegawai themselves writes their own documents (P5, P7, P8)."""
    if aktor_id != pegawai_id:
        raise Forbidden(
            "bukan_pemilik_dokumen",
            "Dokumen ini hanya dapat diisi oleh guru yang bersangkutan melalui akunnya sendiri.",
        )


def pastikan_penilai(pegawai_id: str, aktor_id: str, penilai: PejabatPenilai) -> None:
    """Only the pegawai's own superior (definitif or Plt.) observes and assesses (P6, P8)."""
    ids = penilai.ids()
    if not ids:
        raise DomainError(
            "atasan_tidak_ditemukan",
            "Data atasan Anda tidak ditemukan. Hubungi Operator Sekolah atau Dinas Pendidikan "
            "setempat untuk memperbarui data kepala sekolah di Dapodik.",
        )
    if aktor_id == pegawai_id:
        raise Forbidden(
            "tidak_dapat_menilai_diri_sendiri",
            "Anda tidak dapat mengobservasi atau menilai kinerja Anda sendiri.",
        )
    if aktor_id not in ids:
        raise Forbidden(
            "bukan_atasan",
            "Hanya kepala sekolah (atau Plt. kepala sekolah) dari guru ini yang dapat "
            "melakukan langkah ini.",
        )


def pastikan_dapat_membaca(pegawai_id: str, aktor_id: str, penilai: PejabatPenilai) -> None:
    """The pegawai and their superior may read the detail ("Cek Rincian")."""
    if aktor_id != pegawai_id and aktor_id not in penilai.ids():
        raise Forbidden(
            "tidak_berhak_melihat",
            "Rincian ini hanya dapat dilihat oleh guru yang bersangkutan dan atasannya.",
        )


def _waktu(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now harus memiliki zona waktu (timezone-aware)")
    return now


def _pastikan_teks(teks: str | None, kode: str, pesan: str) -> None:
    if not teks or not teks.strip():
        raise DomainError(kode, pesan)


def _unik(ids: tuple[str, ...], nama: str) -> tuple[str, ...]:
    if len(set(ids)) != len(ids):
        raise ValueError(f"{nama} tidak boleh berisi pilihan ganda")
    return ids


# --------------------------------------------------------------------- documents
class BerkasTerkonfirmasi(FrozenModel):
    """An upload the service has already confirmed in the object store
    (size, type, checksum); the domain only keeps the reference. The checksum is
    the MD5 (base64) the pre-signed PUT and the confirm check, so the reference
    names exactly the bytes that were verified."""

    object_key: ObjectKey
    nama_berkas: Nama
    content_type: TeksPendek
    ukuran_byte: int = Field(gt=0)
    berkas_id: Identifier | None = None
    md5_base64: Md5Base64


class IsianPersiapan(FrozenModel):
    """What the guru types in the Dokumen Persiapan (P5). Any field may be empty in a draft."""

    target_perilaku_ids: tuple[Identifier, ...] = ()
    upaya: TeksPanjang | None = None
    jadwal_observasi: AwareDatetime | None = None  # proposed by the guru after discussing it
    rpp_modul_ajar: BerkasTerkonfirmasi | None = None

    @field_validator("target_perilaku_ids")
    @classmethod
    def validasi_unik(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return _unik(v, "target_perilaku_ids")

    def kekurangan(self) -> list[str]:
        kurang: list[str] = []
        if not self.target_perilaku_ids:
            kurang.append("target_perilaku_ids")
        if not self.upaya:
            kurang.append("upaya")
        if self.jadwal_observasi is None:
            kurang.append("jadwal_observasi")
        if self.rpp_modul_ajar is None:
            kurang.append("rpp_modul_ajar")
        return kurang


class IsianTindakLanjut(FrozenModel):
    """What the guru types in the Dokumen Tindak Lanjut (P7). Ids come from the catalogue."""

    tantangan: TeksPanjang | None = None
    tujuan_ids: tuple[Identifier, ...] = ()
    materi_pmm_ids: tuple[Identifier, ...] = ()
    periode_belajar: TeksPendek | None = None  # free text (SRC-JUMANKERA: "menuliskan secara bebas waktunya")
    dukungan_ids: tuple[Identifier, ...] = ()
    pembelajaran_lainnya: TeksPanjang | None = None  # optional

    @field_validator("tujuan_ids", "materi_pmm_ids", "dukungan_ids")
    @classmethod
    def validasi_unik(cls, v: tuple[str, ...], info: Any) -> tuple[str, ...]:
        return _unik(v, info.field_name)

    def kekurangan(self) -> list[str]:
        kurang: list[str] = []
        if not self.tantangan:
            kurang.append("tantangan")
        if not self.tujuan_ids:
            kurang.append("tujuan_ids")
        if not self.materi_pmm_ids:
            kurang.append("materi_pmm_ids")
        if not self.periode_belajar:
            kurang.append("periode_belajar")
        if not self.dukungan_ids:
            kurang.append("dukungan_ids")
        return kurang


class IsianRefleksi(FrozenModel):
    """The guru's reflection on the follow-up (P8)."""

    refleksi: TeksPanjang | None = None

    def kekurangan(self) -> list[str]:
        return [] if self.refleksi else ["refleksi"]


LABEL_ISIAN: dict[str, str] = {
    "target_perilaku_ids": "pilih minimal satu target perilaku",
    "upaya": "tuliskan upaya yang akan dilakukan",
    "jadwal_observasi": "atur jadwal observasi",
    "rpp_modul_ajar": "unggah RPP/Modul Ajar",
    "tantangan": "ceritakan tantangan yang dihadapi",
    "tujuan_ids": "pilih minimal satu tujuan tindak lanjut",
    "materi_pmm_ids": "pilih materi pembelajaran dari PMM",
    "periode_belajar": "tuliskan periode belajar",
    "dukungan_ids": "pilih dukungan yang dibutuhkan",
    "refleksi": "tuliskan refleksi tindak lanjut",
}

I = TypeVar("I", IsianPersiapan, IsianTindakLanjut, IsianRefleksi)


class DokumenGuru(FrozenModel, Generic[I]):
    """A guru document with its draft/submitted state."""

    isian: I
    status: StatusDokumen
    disimpan_pada: AwareDatetime
    dikumpulkan_pada: AwareDatetime | None = None

    @property
    def dikumpulkan(self) -> bool:
        return self.status is StatusDokumen.dikumpulkan


class JadwalObservasi(FrozenModel):
    """The schedule as agreed, recorded by the superior (see module doc)."""

    waktu: AwareDatetime
    disepakati_oleh: Identifier
    disepakati_pada: AwareDatetime


class HasilPenilaianKepalaSekolah(FrozenModel):
    """A rating of each fokus perilaku plus text, by the superior."""

    hasil: dict[Identifier, HasilObservasi]
    catatan: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
    oleh: Identifier
    pada: AwareDatetime


class RincianObservasi(FrozenModel):
    """Read model for "Cek Rincian" and for the guru before the Dokumen Tindak Lanjut."""

    jadwal: AwareDatetime | None
    hasil: dict[Identifier, HasilObservasi]
    label_hasil: dict[Identifier, str]
    rekomendasi: str
    keterangan: str = KETERANGAN_BUKAN_NILAI_AKHIR


# ---------------------------------------------------------------------- aggregate
class Pelaksanaan(FrozenModel):
    """The observation of practice of one pegawai in one period (P4-P8)."""

    id: Identifier
    pegawai_id: Identifier
    periode_id: Identifier
    fokus_perilaku_ids: tuple[Identifier, ...] = Field(min_length=1)
    persiapan: DokumenGuru[IsianPersiapan] | None = None
    jadwal: JadwalObservasi | None = None
    observasi: HasilPenilaianKepalaSekolah | None = None
    tindak_lanjut: DokumenGuru[IsianTindakLanjut] | None = None
    refleksi: DokumenGuru[IsianRefleksi] | None = None
    penilaian_tindak_lanjut: HasilPenilaianKepalaSekolah | None = None
    versi: int = Field(default=0, ge=0)
    dibuat_pada: AwareDatetime
    diperbarui_pada: AwareDatetime

    @field_validator("fokus_perilaku_ids")
    @classmethod
    def validasi_unik(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return _unik(v, "fokus_perilaku_ids")

    # ----------------------------------------------------------- creation
    @classmethod
    def mulai(
        cls,
        *,
        id: str,
        pegawai_id: str,
        periode_id: str,
        fokus_perilaku_ids: list[str] | tuple[str, ...],
        rencana_disetujui: bool,
        now: datetime,
    ) -> "Pelaksanaan":
        """Open the Pelaksanaan once the plan is approved (SRC-JUMANKERA: "Setelah
        perencanaan kinerja ... mendapatkan persetujuan dari Kepala Sekolah").
        ``fokus_perilaku_ids`` are the three fokus perilaku of the sub-indicator
        chosen in the plan (from the catalogue)."""
        _waktu(now)
        if not rencana_disetujui:
            raise DomainError(
                "rencana_belum_disetujui",
                "Pelaksanaan Kinerja dapat dimulai setelah Perencanaan Kinerja Anda disetujui "
                "kepala sekolah. Ajukan perencanaan Anda terlebih dahulu.",
            )
        return cls(
            id=id,
            pegawai_id=pegawai_id,
            periode_id=periode_id,
            fokus_perilaku_ids=tuple(fokus_perilaku_ids),
            dibuat_pada=now,
            diperbarui_pada=now,
        )

    # ------------------------------------------------------------ queries
    def langkah_selesai(self, langkah: Langkah) -> bool:
        if langkah is Langkah.dokumen_persiapan:
            return self.persiapan is not None and self.persiapan.dikumpulkan and self.jadwal is not None
        if langkah is Langkah.observasi_kelas:
            return self.observasi is not None
        if langkah is Langkah.dokumen_tindak_lanjut:
            return self.tindak_lanjut is not None and self.tindak_lanjut.dikumpulkan
        return (
            self.refleksi is not None
            and self.refleksi.dikumpulkan
            and self.penilaian_tindak_lanjut is not None
        )

    @property
    def langkah_aktif(self) -> Langkah | None:
        """The first unfinished step, or None when all four are done."""
        for langkah in URUTAN_LANGKAH:
            if not self.langkah_selesai(langkah):
                return langkah
        return None

    @property
    def progres_persen(self) -> int:
        """25 / 50 / 75 / 100 (P8). Steps finish in order, so this counts the prefix."""
        aktif = self.langkah_aktif
        selesai = len(URUTAN_LANGKAH) if aktif is None else URUTAN_LANGKAH.index(aktif)
        return 100 if selesai == len(URUTAN_LANGKAH) else selesai * PERSEN_PER_LANGKAH

    @property
    def selesai(self) -> bool:
        return self.langkah_aktif is None

    def rubrik_observasi(self) -> tuple[str, ...]:
        """The fokus perilaku the superior will observe ("Cek Rubrik Observasi", P5)."""
        return self.fokus_perilaku_ids

    def rincian_observasi(self, *, aktor_id: str, penilai: PejabatPenilai) -> RincianObservasi:
        """"Cek Rincian" (P6) and the result the guru sees before the follow-up (P7)."""
        pastikan_dapat_membaca(self.pegawai_id, aktor_id, penilai)
        if self.observasi is None:
            raise DomainError(
                "observasi_belum_dilakukan",
                "Kepala sekolah belum mencatat hasil observasi kelas. Rincian akan tersedia "
                "setelah observasi dilakukan sesuai jadwal.",
                status=404,
            )
        return RincianObservasi(
            jadwal=self.jadwal.waktu if self.jadwal else None,
            hasil=self.observasi.hasil,
            label_hasil={k: LABEL_HASIL_OBSERVASI[v] for k, v in self.observasi.hasil.items()},
            rekomendasi=self.observasi.catatan,
        )

    def periksa_versi(self, versi_diharapkan: int) -> None:
        if versi_diharapkan != self.versi:
            raise Conflict(
                "versi_berubah",
                "Data pelaksanaan ini sudah diubah di tempat lain. Muat ulang halaman, lalu ulangi.",
                versi_sekarang=self.versi,
            )

    # ------------------------------------------------------------ helpers
    def _lanjut(self, now: datetime, **perubahan: Any) -> "Pelaksanaan":
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(perubahan)
        data["versi"] = self.versi + 1
        data["diperbarui_pada"] = now
        return type(self).model_validate(data)

    def _pastikan_berurutan(self, langkah: Langkah) -> None:
        for sebelumnya in URUTAN_LANGKAH[: URUTAN_LANGKAH.index(langkah)]:
            if not self.langkah_selesai(sebelumnya):
                raise DomainError(
                    "langkah_observasi_belum_berurutan",
                    f"Selesaikan langkah {NAMA_LANGKAH[sebelumnya]} terlebih dahulu sebelum "
                    f"{NAMA_LANGKAH[langkah]}.",
                    langkah=langkah.value,
                    langkah_belum_selesai=sebelumnya.value,
                )

    @staticmethod
    def _pastikan_belum_dikumpulkan(dokumen: DokumenGuru | None, nama: str) -> None:
        if dokumen is not None and dokumen.dikumpulkan:
            raise DomainError(
                "dokumen_sudah_dikumpulkan",
                f"{nama} sudah dikumpulkan dan tidak dapat diubah lagi.",
                status=409,
            )

    @staticmethod
    def _pastikan_lengkap(isian: IsianPersiapan | IsianTindakLanjut | IsianRefleksi, nama: str) -> None:
        kurang = isian.kekurangan()
        if kurang:
            daftar = "; ".join(LABEL_ISIAN[k] for k in kurang)
            raise DomainError(
                "dokumen_belum_lengkap",
                f"{nama} belum lengkap: {daftar}. Lengkapi lalu klik Kumpulkan, "
                "atau klik Simpan Draf untuk melanjutkan nanti.",
                kurang=kurang,
            )

    def _pastikan_hasil_rubrik(self, hasil: dict[str, HasilObservasi]) -> None:
        asing = sorted(set(hasil) - set(self.fokus_perilaku_ids))
        if asing:
            raise DomainError(
                "fokus_perilaku_tidak_dikenal",
                "Penilaian hanya untuk fokus perilaku pada rubrik observasi guru ini.",
                fokus_perilaku_ids=asing,
            )
        kurang = [f for f in self.fokus_perilaku_ids if f not in hasil]
        if kurang:
            raise DomainError(
                "hasil_observasi_belum_lengkap",
                "Beri penilaian untuk setiap fokus perilaku pada rubrik observasi.",
                fokus_perilaku_ids=kurang,
            )

    # -------------------------------------------- step 1: Dokumen Persiapan
    def _validasi_persiapan(self, isian: IsianPersiapan) -> None:
        asing = sorted(set(isian.target_perilaku_ids) - set(self.fokus_perilaku_ids))
        if asing:
            raise DomainError(
                "target_perilaku_tidak_dikenal",
                "Pilih target perilaku dari rubrik observasi indikator yang Anda pilih.",
                target_perilaku_ids=asing,
            )

    def simpan_draf_persiapan(self, *, aktor_id: str, isian: IsianPersiapan, now: datetime) -> "Pelaksanaan":
        """"Simpan Draf" of the Dokumen Persiapan (P5): partial allowed."""
        _waktu(now)
        pastikan_pemilik(self.pegawai_id, aktor_id)
        self._pastikan_belum_dikumpulkan(self.persiapan, "Dokumen Persiapan")
        self._validasi_persiapan(isian)
        dokumen = DokumenGuru[IsianPersiapan](isian=isian, status=StatusDokumen.draf, disimpan_pada=now)
        return self._lanjut(now, persiapan=dokumen)

    def kumpulkan_persiapan(
        self, *, aktor_id: str, now: datetime, isian: IsianPersiapan | None = None
    ) -> "Pelaksanaan":
        """"Kumpulkan" (P5): the given content, or the saved draft, must be complete;
        afterwards the document never changes."""
        _waktu(now)
        pastikan_pemilik(self.pegawai_id, aktor_id)
        self._pastikan_belum_dikumpulkan(self.persiapan, "Dokumen Persiapan")
        if isian is None:
            isian = self.persiapan.isian if self.persiapan else IsianPersiapan()
        self._validasi_persiapan(isian)
        self._pastikan_lengkap(isian, "Dokumen Persiapan")
        dokumen = DokumenGuru[IsianPersiapan](
            isian=isian, status=StatusDokumen.dikumpulkan, disimpan_pada=now, dikumpulkan_pada=now
        )
        return self._lanjut(now, persiapan=dokumen)

    def sepakati_jadwal(
        self,
        *,
        aktor_id: str,
        penilai: PejabatPenilai,
        now: datetime,
        waktu: datetime | None = None,
    ) -> "Pelaksanaan":
        """The superior confirms the schedule: the guru's proposal (``waktu=None``)
        or another time agreed in their discussion. Allowed until the observation
        is recorded."""
        _waktu(now)
        pastikan_penilai(self.pegawai_id, aktor_id, penilai)
        if self.persiapan is None or not self.persiapan.dikumpulkan:
            raise DomainError(
                "dokumen_persiapan_belum_dikumpulkan",
                "Jadwal observasi dapat disepakati setelah guru mengumpulkan Dokumen Persiapan "
                "berisi usulan jadwal.",
            )
        if self.observasi is not None:
            raise DomainError(
                "observasi_sudah_dicatat",
                "Observasi kelas sudah dicatat; jadwalnya tidak dapat diubah lagi.",
                status=409,
            )
        if waktu is not None:
            _waktu(waktu)
        disepakati = waktu or self.persiapan.isian.jadwal_observasi
        assert disepakati is not None  # a submitted document always has a proposal
        jadwal = JadwalObservasi(waktu=disepakati, disepakati_oleh=aktor_id, disepakati_pada=now)
        return self._lanjut(now, jadwal=jadwal)

    # ---------------------------------------------- step 2: Observasi Kelas
    def catat_observasi(
        self,
        *,
        aktor_id: str,
        penilai: PejabatPenilai,
        hasil: dict[str, HasilObservasi],
        rekomendasi: str,
        now: datetime,
    ) -> "Pelaksanaan":
        """The superior records the classroom observation on/after the agreed date (P6)."""
        _waktu(now)
        pastikan_penilai(self.pegawai_id, aktor_id, penilai)
        if self.observasi is not None:
            raise DomainError(
                "observasi_sudah_dicatat",
                "Hasil observasi kelas untuk guru ini sudah dicatat.",
                status=409,
            )
        if self.persiapan is None or not self.persiapan.dikumpulkan:
            self._pastikan_berurutan(Langkah.observasi_kelas)  # raises: step 1 unfinished
        if self.jadwal is None:
            raise DomainError(
                "jadwal_observasi_belum_disepakati",
                "Sepakati jadwal observasi yang diusulkan guru terlebih dahulu, lalu catat "
                "hasil observasi pada tanggal tersebut.",
            )
        tanggal_jadwal = self.jadwal.waktu.date()
        hari_ini = now.astimezone(self.jadwal.waktu.tzinfo).date()
        if hari_ini < tanggal_jadwal:
            raise DomainError(
                "observasi_sebelum_jadwal",
                f"Observasi kelas dijadwalkan pada {tanggal_jadwal.isoformat()}. Catat hasil "
                "observasi pada atau setelah tanggal tersebut, atau sepakati jadwal baru dengan guru.",
                jadwal=self.jadwal.waktu.isoformat(),
            )
        hasil = {k: HasilObservasi(v) for k, v in hasil.items()}
        self._pastikan_hasil_rubrik(hasil)
        _pastikan_teks(rekomendasi, "rekomendasi_wajib_diisi", "Tuliskan rekomendasi tindak lanjut untuk guru.")
        catatan = HasilPenilaianKepalaSekolah(hasil=hasil, catatan=rekomendasi, oleh=aktor_id, pada=now)
        return self._lanjut(now, observasi=catatan)

    # ---------------------------------------- step 3: Dokumen Tindak Lanjut
    def simpan_draf_tindak_lanjut(
        self, *, aktor_id: str, isian: IsianTindakLanjut, now: datetime
    ) -> "Pelaksanaan":
        _waktu(now)
        pastikan_pemilik(self.pegawai_id, aktor_id)
        self._pastikan_berurutan(Langkah.dokumen_tindak_lanjut)
        self._pastikan_belum_dikumpulkan(self.tindak_lanjut, "Dokumen Tindak Lanjut")
        dokumen = DokumenGuru[IsianTindakLanjut](isian=isian, status=StatusDokumen.draf, disimpan_pada=now)
        return self._lanjut(now, tindak_lanjut=dokumen)

    def kumpulkan_tindak_lanjut(
        self, *, aktor_id: str, now: datetime, isian: IsianTindakLanjut | None = None
    ) -> "Pelaksanaan":
        _waktu(now)
        pastikan_pemilik(self.pegawai_id, aktor_id)
        self._pastikan_berurutan(Langkah.dokumen_tindak_lanjut)
        self._pastikan_belum_dikumpulkan(self.tindak_lanjut, "Dokumen Tindak Lanjut")
        if isian is None:
            isian = self.tindak_lanjut.isian if self.tindak_lanjut else IsianTindakLanjut()
        self._pastikan_lengkap(isian, "Dokumen Tindak Lanjut")
        dokumen = DokumenGuru[IsianTindakLanjut](
            isian=isian, status=StatusDokumen.dikumpulkan, disimpan_pada=now, dikumpulkan_pada=now
        )
        return self._lanjut(now, tindak_lanjut=dokumen)

    # --------------------------------------- step 4: Refleksi Tindak Lanjut
    def simpan_draf_refleksi(self, *, aktor_id: str, isian: IsianRefleksi, now: datetime) -> "Pelaksanaan":
        _waktu(now)
        pastikan_pemilik(self.pegawai_id, aktor_id)
        self._pastikan_berurutan(Langkah.refleksi_tindak_lanjut)
        self._pastikan_belum_dikumpulkan(self.refleksi, "Refleksi Tindak Lanjut")
        dokumen = DokumenGuru[IsianRefleksi](isian=isian, status=StatusDokumen.draf, disimpan_pada=now)
        return self._lanjut(now, refleksi=dokumen)

    def kumpulkan_refleksi(
        self, *, aktor_id: str, now: datetime, isian: IsianRefleksi | None = None
    ) -> "Pelaksanaan":
        _waktu(now)
        pastikan_pemilik(self.pegawai_id, aktor_id)
        self._pastikan_berurutan(Langkah.refleksi_tindak_lanjut)
        self._pastikan_belum_dikumpulkan(self.refleksi, "Refleksi Tindak Lanjut")
        if isian is None:
            isian = self.refleksi.isian if self.refleksi else IsianRefleksi()
        self._pastikan_lengkap(isian, "Refleksi Tindak Lanjut")
        dokumen = DokumenGuru[IsianRefleksi](
            isian=isian, status=StatusDokumen.dikumpulkan, disimpan_pada=now, dikumpulkan_pada=now
        )
        return self._lanjut(now, refleksi=dokumen)

    def nilai_tindak_lanjut(
        self,
        *,
        aktor_id: str,
        penilai: PejabatPenilai,
        hasil: dict[str, HasilObservasi],
        catatan: str,
        now: datetime,
    ) -> "Pelaksanaan":
        """The superior assesses the follow-up after the guru's reflection (P8)."""
        _waktu(now)
        pastikan_penilai(self.pegawai_id, aktor_id, penilai)
        self._pastikan_berurutan(Langkah.refleksi_tindak_lanjut)
        if self.refleksi is None or not self.refleksi.dikumpulkan:
            raise DomainError(
                "refleksi_belum_dikumpulkan",
                "Penilaian tindak lanjut dapat diberikan setelah guru mengumpulkan Refleksi "
                "Tindak Lanjut.",
            )
        if self.penilaian_tindak_lanjut is not None:
            raise DomainError(
                "tindak_lanjut_sudah_dinilai",
                "Tindak lanjut guru ini sudah dinilai.",
                status=409,
            )
        hasil = {k: HasilObservasi(v) for k, v in hasil.items()}
        self._pastikan_hasil_rubrik(hasil)
        _pastikan_teks(catatan, "catatan_wajib_diisi", "Tuliskan catatan penilaian tindak lanjut.")
        penilaian = HasilPenilaianKepalaSekolah(hasil=hasil, catatan=catatan, oleh=aktor_id, pada=now)
        return self._lanjut(now, penilaian_tindak_lanjut=penilaian)
