"""Penilaian Kinerja: the two ratings and the school's send to the Dinas (P10, P11).

Sources: SRC-BIMTEK-MAPPI ("Tahap Penilaian Kinerja", "Cara Mengirimkan Hasil Penilaian
Kinerja Guru kepada Kepala Dinas Pendidikan oleh Kepala Sekolah"); the rating
scale is PermenPANRB No. 6/2022 (docs/requirements.md#domain-facts).

Ratings (P10). The superior gives each pegawai a Rating Hasil Kerja (the
source's "Rating Praktik Kinerja") and a Rating Perilaku Kerja on the scale
Di Atas / Sesuai / Di Bawah Ekspektasi, each with an optional note. Only for a
pegawai whose plan is agreed (the SKP exists) and only inside the assessment
window (the service decides the window from the cycle and passes a bool;
Juli-Desember ratings only in December). Pengembangan Kompetensi points ride
along for display only: no rule and no formula in this package reads them.

Send to the Dinas (P11), decisions:
- one ``PengirimanDinas`` per school and period holds the guidance checklist
  (``PANDUAN_KIRIM_DINAS``, data), the draft explanation, and the batches sent;
- "Simpan Draf": ticks and explanation can be saved and changed, ratings can be
  changed, as long as they are not sent;
- "Kirim ke Dinas Pendidikan": every checklist item ticked, the confirmation
  ticked, and a written explanation of at least ``MIN_PANJANG_PENJELASAN``
  characters; the batch takes every complete rating of the school not sent yet;
- each rating is sent once: afterwards it cannot change (kode
  ``penilaian_sudah_dikirim``). Pegawai rated later go into a later batch
  (SRC-BIMTEK-MAPPI: "Kepala Sekolah hanya perlu mengirimkan data Penilaian Kinerja
  satu kali saja. Jika ada data guru yang belum dikirim, Anda tidak perlu khawatir");
- inactive (pensiun, meninggal, mutasi, ...) and duplicated pegawai (same NIP
  twice, or the same person twice: same NIK, or same name and birth date when a
  NIK is missing) are flagged with who fixes what, and held out of the batch
  until the reference data is fixed: inactive -> the Operator Sekolah updates
  Dapodik; duplicated -> the kepala sekolah contacts the Pusat Bantuan with a
  screenshot of the page and the belajar.id e-mail of the duplicated pegawai.
"""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AwareDatetime, Field, StringConstraints

from kinerja.domain.observasi import PejabatPenilai, pastikan_penilai
from shared.errors import Conflict, DomainError, Forbidden
from shared.models import FrozenModel, Identifier, Nama, TeksPanjang

Nip = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{18}$")]
Nik = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9]{16}$")]
Email = Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")]


# --------------------------------------------------------------------- data
class Rating(StrEnum):
    """Rating scale of PermenPANRB No. 6/2022."""

    di_atas_ekspektasi = "di_atas_ekspektasi"
    sesuai_ekspektasi = "sesuai_ekspektasi"
    di_bawah_ekspektasi = "di_bawah_ekspektasi"


LABEL_RATING: dict[Rating, str] = {
    Rating.di_atas_ekspektasi: "Di Atas Ekspektasi",
    Rating.sesuai_ekspektasi: "Sesuai Ekspektasi",
    Rating.di_bawah_ekspektasi: "Di Bawah Ekspektasi",
}


class ItemPanduan(FrozenModel):
    id: Identifier
    teks: str


# Guidance shown before "Kirim ke Dinas Pendidikan"; every item must be ticked.
# Source: SRC-BIMTEK-MAPPI, "Perlu diketahui!" boxes of the Penilaian Kinerja pages.
PANDUAN_KIRIM_DINAS: tuple[ItemPanduan, ...] = (
    ItemPanduan(
        id="pegawai_tidak_aktif",
        teks="Jika terdapat nama pegawai yang sudah tidak aktif (pensiun, meninggal dunia, "
        "mutasi, dan sebagainya), saya akan meminta pembaruan data di Dapodik.",
    ),
    ItemPanduan(
        id="pegawai_terduplikasi",
        teks="Jika terdapat nama pegawai yang terduplikasi, saya akan menghubungi Pusat Bantuan "
        "dengan menyertakan bukti halaman tersebut dan email akun belajar.id pegawai tersebut.",
    ),
    ItemPanduan(
        id="kirim_satu_kali",
        teks="Data Penilaian Kinerja setiap guru hanya dikirim satu kali. Guru yang belum dinilai "
        "dapat dikirim kemudian.",
    ),
    ItemPanduan(
        id="ubah_sebelum_kirim",
        teks="Perubahan penilaian hanya dapat dilakukan sebelum data dikirim ke Dinas Pendidikan.",
    ),
    ItemPanduan(
        id="poin_kompetensi_bukan_penentu",
        teks="Poin Pengembangan Kompetensi dapat diperiksa, tetapi bukan penentu utama Predikat Kinerja.",
    ),
    ItemPanduan(
        id="predikat_setelah_predikat_organisasi",
        teks="Predikat Kinerja Guru ditetapkan setelah Kepala Dinas Pendidikan menetapkan Predikat "
        "Kinerja Organisasi satuan pendidikan.",
    ),
)
ID_PANDUAN: frozenset[str] = frozenset(i.id for i in PANDUAN_KIRIM_DINAS)

# Minimum length of the written explanation sent with a batch (our choice: a
# sentence, not a tick). Counted on the stripped text.
MIN_PANJANG_PENJELASAN = 30


class StatusPegawai(StrEnum):
    aktif = "aktif"
    pensiun = "pensiun"
    meninggal = "meninggal"
    mutasi = "mutasi"
    tidak_aktif_lainnya = "tidak_aktif_lainnya"


LABEL_STATUS_PEGAWAI: dict[StatusPegawai, str] = {
    StatusPegawai.pensiun: "pensiun",
    StatusPegawai.meninggal: "meninggal dunia",
    StatusPegawai.mutasi: "mutasi",
    StatusPegawai.tidak_aktif_lainnya: "tidak aktif",
}


class JenisTemuan(StrEnum):
    tidak_aktif = "tidak_aktif"
    nip_ganda = "nip_ganda"
    orang_ganda = "orang_ganda"


# Who fixes each finding and how (SRC-BIMTEK-MAPPI, "Perlu diketahui!").
PERBAIKAN_TEMUAN: dict[JenisTemuan, tuple[str, str]] = {
    JenisTemuan.tidak_aktif: (
        "operator_sekolah",
        "Minta Operator Sekolah memperbarui status pegawai di Dapodik. Setelah data diperbarui, "
        "pegawai ini tidak lagi muncul di daftar penilaian.",
    ),
    JenisTemuan.nip_ganda: (
        "pusat_bantuan",
        "Hubungi Pusat Bantuan dengan menyertakan tangkapan layar halaman ini dan email akun "
        "belajar.id pegawai yang terduplikasi.",
    ),
    JenisTemuan.orang_ganda: (
        "pusat_bantuan",
        "Hubungi Pusat Bantuan dengan menyertakan tangkapan layar halaman ini dan email akun "
        "belajar.id pegawai yang terduplikasi.",
    ),
}


# ------------------------------------------------------------- helpers
def _waktu(now: datetime) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now harus memiliki zona waktu (timezone-aware)")
    return now


def _salin(model: FrozenModel, now: datetime, **perubahan: Any) -> Any:
    data = {name: getattr(model, name) for name in type(model).model_fields}
    data.update(perubahan)
    data["versi"] = model.versi + 1  # type: ignore[attr-defined]
    data["diperbarui_pada"] = now
    return type(model).model_validate(data)


def pastikan_kepala_sekolah(aktor_id: str, kepala_sekolah: PejabatPenilai) -> None:
    """Only the school's kepala sekolah (definitif or Plt.) sends to the Dinas (P11)."""
    if not kepala_sekolah.ids():
        raise DomainError(
            "atasan_tidak_ditemukan",
            "Data kepala sekolah untuk satuan pendidikan ini tidak ditemukan. Hubungi Operator "
            "Sekolah atau Dinas Pendidikan untuk memperbarui data di Dapodik.",
        )
    if aktor_id not in kepala_sekolah.ids():
        raise Forbidden(
            "bukan_kepala_sekolah",
            "Hanya kepala sekolah (atau Plt. kepala sekolah) satuan pendidikan ini yang dapat "
            "mengirim data penilaian ke Dinas Pendidikan.",
        )


# ------------------------------------------------------------- ratings
class IsianRating(FrozenModel):
    rating_hasil_kerja: Rating
    rating_perilaku_kerja: Rating
    catatan_hasil_kerja: TeksPanjang | None = None
    catatan_perilaku_kerja: TeksPanjang | None = None


class PenilaianKinerja(FrozenModel):
    """The superior's two ratings of one pegawai in one period (P10)."""

    id: Identifier
    pegawai_id: Identifier
    periode_id: Identifier
    sekolah_id: Identifier
    rating_hasil_kerja: Rating
    rating_perilaku_kerja: Rating
    catatan_hasil_kerja: TeksPanjang | None = None
    catatan_perilaku_kerja: TeksPanjang | None = None
    # P10: shown next to the ratings; never an input of a rule or formula.
    poin_kompetensi: int = Field(default=0, ge=0)
    asn: bool = True  # non-ASN may be rated (P1) but do not count in the distribution curve (P12)
    dinilai_oleh: Identifier
    nomor_kiriman: int | None = Field(default=None, ge=1)  # batch it was sent in
    versi: int = Field(default=0, ge=0)
    dibuat_pada: AwareDatetime
    diperbarui_pada: AwareDatetime

    @property
    def terkirim(self) -> bool:
        return self.nomor_kiriman is not None

    @staticmethod
    def _pastikan_boleh_dinilai(
        *,
        pegawai_id: str,
        aktor_id: str,
        penilai: PejabatPenilai,
        rencana_disepakati: bool,
        jendela_penilaian_terbuka: bool,
    ) -> None:
        pastikan_penilai(pegawai_id, aktor_id, penilai)
        if not rencana_disepakati:
            raise DomainError(
                "rencana_belum_disepakati",
                "Guru ini belum menyepakati Perencanaan Kinerjanya, sehingga belum dapat dinilai. "
                "Pastikan rencana sudah diajukan, disetujui, lalu disepakati oleh guru.",
            )
        if not jendela_penilaian_terbuka:
            raise DomainError(
                "di_luar_masa_penilaian",
                "Penilaian Kinerja hanya dapat dilakukan pada masa penilaian di akhir semester "
                "(untuk periode Juli-Desember, pada bulan Desember).",
            )

    @classmethod
    def beri(
        cls,
        *,
        id: str,
        pegawai_id: str,
        periode_id: str,
        sekolah_id: str,
        aktor_id: str,
        penilai: PejabatPenilai,
        isian: IsianRating,
        poin_kompetensi: int,
        rencana_disepakati: bool,
        jendela_penilaian_terbuka: bool,
        now: datetime,
    ) -> "PenilaianKinerja":
        """First rating of a pegawai in a period (P10)."""
        _waktu(now)
        cls._pastikan_boleh_dinilai(
            pegawai_id=pegawai_id, aktor_id=aktor_id, penilai=penilai,
            rencana_disepakati=rencana_disepakati, jendela_penilaian_terbuka=jendela_penilaian_terbuka,
        )
        return cls(
            id=id,
            pegawai_id=pegawai_id,
            periode_id=periode_id,
            sekolah_id=sekolah_id,
            poin_kompetensi=poin_kompetensi,
            dinilai_oleh=aktor_id,
            dibuat_pada=now,
            diperbarui_pada=now,
            **isian.model_dump(),
        )

    def ubah(
        self,
        *,
        aktor_id: str,
        penilai: PejabatPenilai,
        isian: IsianRating,
        jendela_penilaian_terbuka: bool,
        now: datetime,
        poin_kompetensi: int | None = None,
    ) -> "PenilaianKinerja":
        """Change the ratings before they are sent (P11: "perubahan hanya sebelum dikirim")."""
        _waktu(now)
        if self.terkirim:
            raise DomainError(
                "penilaian_sudah_dikirim",
                "Penilaian guru ini sudah dikirim ke Dinas Pendidikan dan tidak dapat diubah lagi.",
                status=409,
                nomor_kiriman=self.nomor_kiriman,
            )
        self._pastikan_boleh_dinilai(
            pegawai_id=self.pegawai_id, aktor_id=aktor_id, penilai=penilai,
            rencana_disepakati=True, jendela_penilaian_terbuka=jendela_penilaian_terbuka,
        )
        poin = self.poin_kompetensi if poin_kompetensi is None else poin_kompetensi
        return _salin(self, now, dinilai_oleh=aktor_id, poin_kompetensi=poin, **isian.model_dump())

    def periksa_versi(self, versi_diharapkan: int) -> None:
        if versi_diharapkan != self.versi:
            raise Conflict(
                "versi_berubah",
                "Penilaian ini sudah diubah di tempat lain. Muat ulang halaman, lalu ulangi.",
                versi_sekarang=self.versi,
            )


# ----------------------------------------------- staff data findings (P11)
class PegawaiSekolah(FrozenModel):
    """One row of the school's staff list, from reference data (Dapodik / SIASN)."""

    pegawai_id: Identifier
    nama: Nama
    nip: Nip | None = None
    nik: Nik | None = None
    tanggal_lahir: date | None = None
    email_belajar_id: Email | None = None
    status: StatusPegawai = StatusPegawai.aktif


class TemuanData(FrozenModel):
    """A staff-data problem to fix before the pegawai can be sent to the Dinas."""

    jenis: JenisTemuan
    pegawai_ids: tuple[Identifier, ...]
    pesan: str
    aktor: str  # who must act
    tindak_lanjut: str  # what to do
    email_belajar_id: tuple[str, ...] = ()


def _nama_normal(nama: str) -> str:
    teks = unicodedata.normalize("NFKD", nama).encode("ascii", "ignore").decode()
    return " ".join(teks.casefold().replace(".", " ").replace(",", " ").split())


def periksa_data_pegawai(pegawai: Iterable[PegawaiSekolah]) -> list[TemuanData]:
    """Flag inactive and duplicated staff with the applicable fix (P11).

    Duplicates: the same NIP on more than one entry; the same person on more
    than one entry (same NIK; or, when either NIK is missing, the same
    normalised name and the same birth date). Each group is reported once.
    """
    daftar = list(pegawai)
    temuan: list[TemuanData] = []
    for p in daftar:
        if p.status is not StatusPegawai.aktif:
            aktor, tindak = PERBAIKAN_TEMUAN[JenisTemuan.tidak_aktif]
            temuan.append(
                TemuanData(
                    jenis=JenisTemuan.tidak_aktif,
                    pegawai_ids=(p.pegawai_id,),
                    pesan=f"{p.nama} tercatat sudah tidak aktif ({LABEL_STATUS_PEGAWAI[p.status]}).",
                    aktor=aktor,
                    tindak_lanjut=tindak,
                )
            )

    sudah: set[frozenset[str]] = set()

    def _laporkan(jenis: JenisTemuan, kelompok: list[PegawaiSekolah], alasan: str) -> None:
        ids = frozenset(p.pegawai_id for p in kelompok)
        if len(ids) < 2 or ids in sudah:
            return
        sudah.add(ids)
        urut = sorted(kelompok, key=lambda p: p.pegawai_id)
        aktor, tindak = PERBAIKAN_TEMUAN[jenis]
        nama = ", ".join(p.nama for p in urut)
        temuan.append(
            TemuanData(
                jenis=jenis,
                pegawai_ids=tuple(p.pegawai_id for p in urut),
                pesan=f"Pegawai terduplikasi ({alasan}): {nama}.",
                aktor=aktor,
                tindak_lanjut=tindak,
                email_belajar_id=tuple(p.email_belajar_id for p in urut if p.email_belajar_id),
            )
        )

    per_nip: dict[str, list[PegawaiSekolah]] = defaultdict(list)
    per_nik: dict[str, list[PegawaiSekolah]] = defaultdict(list)
    per_nama_lahir: dict[tuple[str, date], list[PegawaiSekolah]] = defaultdict(list)
    for p in daftar:
        if p.nip:
            per_nip[p.nip].append(p)
        if p.nik:
            per_nik[p.nik].append(p)
        if p.tanggal_lahir:
            per_nama_lahir[(_nama_normal(p.nama), p.tanggal_lahir)].append(p)
    for nip, kelompok in sorted(per_nip.items()):
        _laporkan(JenisTemuan.nip_ganda, kelompok, f"NIP {nip} tercatat lebih dari sekali")
    for kelompok in per_nik.values():
        _laporkan(JenisTemuan.orang_ganda, kelompok, "NIK yang sama tercatat lebih dari sekali")
    for kelompok in per_nama_lahir.values():
        # Two different NIKs mean two different people with the same name and birthday.
        niks = {p.nik for p in kelompok if p.nik}
        if len(niks) <= 1:
            _laporkan(
                JenisTemuan.orang_ganda, kelompok,
                "nama dan tanggal lahir yang sama tercatat lebih dari sekali",
            )
    return temuan


# ---------------------------------------------------- send to the Dinas (P11)
class KirimanDinas(FrozenModel):
    """One batch sent to the Dinas Pendidikan."""

    nomor: int = Field(ge=1)
    pegawai_ids: tuple[Identifier, ...] = Field(min_length=1)
    penjelasan: TeksPanjang
    dikirim_oleh: Identifier
    dikirim_pada: AwareDatetime


class PratinjauKiriman(FrozenModel):
    """What "Kirim ke Dinas Pendidikan" would do now (the Data Penilaian page)."""

    siap_dikirim: tuple[Identifier, ...]
    sudah_dikirim: tuple[Identifier, ...]
    ditahan: tuple[Identifier, ...]  # flagged staff, held out of the batch
    belum_dinilai: tuple[Identifier, ...]  # active staff on the list without ratings
    temuan: tuple[TemuanData, ...]


def pratinjau_kiriman(
    *, sekolah_id: str, periode_id: str, penilaian: Sequence[PenilaianKinerja], pegawai: Sequence[PegawaiSekolah]
) -> PratinjauKiriman:
    for p in penilaian:
        if p.sekolah_id != sekolah_id or p.periode_id != periode_id:
            raise ValueError(f"penilaian {p.id} bukan milik sekolah/periode ini")
    temuan = periksa_data_pegawai(pegawai)
    ditandai = {i for t in temuan for i in t.pegawai_ids}
    dinilai = {p.pegawai_id for p in penilaian}
    siap = sorted(p.pegawai_id for p in penilaian if not p.terkirim and p.pegawai_id not in ditandai)
    return PratinjauKiriman(
        siap_dikirim=tuple(siap),
        sudah_dikirim=tuple(sorted(p.pegawai_id for p in penilaian if p.terkirim)),
        ditahan=tuple(sorted(p.pegawai_id for p in penilaian if not p.terkirim and p.pegawai_id in ditandai)),
        belum_dinilai=tuple(
            sorted(g.pegawai_id for g in pegawai if g.pegawai_id not in dinilai and g.pegawai_id not in ditandai)
        ),
        temuan=tuple(temuan),
    )


class HasilKirim(FrozenModel):
    pengiriman: "PengirimanDinas"
    terkirim: tuple[PenilaianKinerja, ...]  # the ratings now marked with the batch number
    pratinjau: PratinjauKiriman


class PengirimanDinas(FrozenModel):
    """The school's send of assessment data to the Dinas in one period (P11)."""

    id: Identifier
    sekolah_id: Identifier
    periode_id: Identifier
    panduan_dicentang: frozenset[Identifier] = frozenset()
    draf_penjelasan: TeksPanjang | None = None
    kiriman: tuple[KirimanDinas, ...] = ()
    versi: int = Field(default=0, ge=0)
    dibuat_pada: AwareDatetime
    diperbarui_pada: AwareDatetime

    @classmethod
    def baru(cls, *, id: str, sekolah_id: str, periode_id: str, now: datetime) -> "PengirimanDinas":
        _waktu(now)
        return cls(id=id, sekolah_id=sekolah_id, periode_id=periode_id, dibuat_pada=now, diperbarui_pada=now)

    @property
    def sudah_pernah_dikirim(self) -> bool:
        return bool(self.kiriman)

    @property
    def panduan_belum_dicentang(self) -> list[str]:
        return [i.id for i in PANDUAN_KIRIM_DINAS if i.id not in self.panduan_dicentang]

    def periksa_versi(self, versi_diharapkan: int) -> None:
        if versi_diharapkan != self.versi:
            raise Conflict(
                "versi_berubah",
                "Data pengiriman ini sudah diubah di tempat lain. Muat ulang halaman, lalu ulangi.",
                versi_sekarang=self.versi,
            )

    def centang_panduan(
        self, *, aktor_id: str, kepala_sekolah: PejabatPenilai, item_ids: Iterable[str], now: datetime
    ) -> "PengirimanDinas":
        """Save which guidance items are ticked (replaces the previous ticks)."""
        _waktu(now)
        pastikan_kepala_sekolah(aktor_id, kepala_sekolah)
        dicentang = frozenset(item_ids)
        asing = sorted(dicentang - ID_PANDUAN)
        if asing:
            raise DomainError(
                "panduan_tidak_dikenal",
                "Butir panduan yang dicentang tidak dikenal. Muat ulang halaman panduan.",
                item_ids=asing,
            )
        return _salin(self, now, panduan_dicentang=dicentang)

    def simpan_draf(
        self, *, aktor_id: str, kepala_sekolah: PejabatPenilai, penjelasan: str | None, now: datetime
    ) -> "PengirimanDinas":
        """"Simpan Draf" on the Data Penilaian page."""
        _waktu(now)
        pastikan_kepala_sekolah(aktor_id, kepala_sekolah)
        return _salin(self, now, draf_penjelasan=penjelasan or None)

    def kirim(
        self,
        *,
        aktor_id: str,
        kepala_sekolah: PejabatPenilai,
        penilaian: Sequence[PenilaianKinerja],
        pegawai: Sequence[PegawaiSekolah],
        konfirmasi: bool,
        penjelasan: str,
        now: datetime,
    ) -> HasilKirim:
        """"Kirim ke Dinas Pendidikan": sends every rating not sent yet, except flagged staff."""
        _waktu(now)
        pastikan_kepala_sekolah(aktor_id, kepala_sekolah)
        belum = self.panduan_belum_dicentang
        if belum:
            raise DomainError(
                "panduan_belum_dicentang",
                "Baca dan centang semua butir panduan sebelum mengirim data penilaian ke Dinas Pendidikan.",
                item_ids=belum,
            )
        if not konfirmasi:
            raise DomainError(
                "konfirmasi_belum_dicentang",
                "Centang konfirmasi bahwa data penilaian sudah benar sebelum mengirim.",
            )
        teks = (penjelasan or "").strip()
        if len(teks) < MIN_PANJANG_PENJELASAN:
            raise DomainError(
                "penjelasan_terlalu_pendek",
                f"Tuliskan penjelasan dan persetujuan Anda atas penilaian ini, minimal "
                f"{MIN_PANJANG_PENJELASAN} karakter.",
                panjang_minimal=MIN_PANJANG_PENJELASAN,
            )
        pratinjau = pratinjau_kiriman(
            sekolah_id=self.sekolah_id, periode_id=self.periode_id, penilaian=penilaian, pegawai=pegawai
        )
        if not pratinjau.siap_dikirim:
            raise DomainError(
                "tidak_ada_penilaian_untuk_dikirim",
                "Tidak ada penilaian baru untuk dikirim: semua penilaian sudah dikirim, atau guru "
                "yang tersisa belum dinilai atau datanya perlu diperbaiki.",
                ditahan=list(pratinjau.ditahan),
                belum_dinilai=list(pratinjau.belum_dinilai),
            )
        nomor = len(self.kiriman) + 1
        siap = set(pratinjau.siap_dikirim)
        terkirim = tuple(
            _salin(p, now, nomor_kiriman=nomor) for p in sorted(penilaian, key=lambda p: p.pegawai_id)
            if p.pegawai_id in siap
        )
        batch = KirimanDinas(
            nomor=nomor, pegawai_ids=pratinjau.siap_dikirim, penjelasan=teks, dikirim_oleh=aktor_id, dikirim_pada=now
        )
        baru = _salin(self, now, kiriman=self.kiriman + (batch,), draf_penjelasan=None)
        return HasilKirim(pengiriman=baru, terkirim=terkirim, pratinjau=pratinjau)


HasilKirim.model_rebuild()
