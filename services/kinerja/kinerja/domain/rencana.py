"""The performance plan (Perencanaan Kinerja) aggregate and its state machine (P2, P3, P14, P15).

Steps, strictly in order (SRC-JUMANKERA 'Langkah-langkah Mengisi SKP di PMM'):
Cek Data -> Praktik Kinerja -> Pengembangan Kompetensi -> Tugas Tambahan ->
Perilaku Kerja -> Rangkuman -> Ajukan. A step may be saved only when every
earlier step is done (``langkah_belum_berurutan``); an earlier step may be
re-edited at any time while the plan is a draft, which asks the owner to look
at the Rangkuman again before submitting.

States: draf -> diajukan -> (dikembalikan, with a note -> draf on the next
edit) -> disetujui (by the definitive atasan, or automatically when only a
Plt. leads the school) -> disepakati (the owner agrees: this is the SKP).

Every transition returns a new ``Rencana`` with ``versi`` + 1; the use case
writes it with the precondition that the stored versi is the one it read
(``pastikan_versi`` for a client's If-Match). Only the owner edits, submits
and agrees; only the atasan recorded at submission approves or returns.

P15 decisions here:
- Guru BK: chooses one D1 sub-indikator like every guru, practised in
  bimbingan dan konseling services (klasikal, kelompok, individual) instead of
  a subject lesson; the RHK wording differs (``data/rhk.json``), the rest of
  the plan is the same.
- a school without a definitive principal: the atasan passed to ``ajukan`` says
  whether approval is needed (Plt. only -> approved by the system at once);
  with no atasan at all ``referensi.tentukan_atasan`` already refused.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field

from kinerja import data
from kinerja.domain import katalog
from kinerja.domain.referensi import Atasan, Jabatan, Jenjang, Ptk, RaporPendidikan
from kinerja.domain.siklus import (
    Siklus,
    Tahap,
    pastikan_periode_terbuka,
    pastikan_siklus_aktif,
    periksa_jendela,
    tanggal_lokal,
)
from shared.errors import Conflict, DomainError, Forbidden
from shared.models import FrozenModel, Identifier, TeksPanjang, TeksPendek


class Langkah(StrEnum):
    CEK_DATA = "cek_data"
    PRAKTIK_KINERJA = "praktik_kinerja"
    PENGEMBANGAN_KOMPETENSI = "pengembangan_kompetensi"
    TUGAS_TAMBAHAN = "tugas_tambahan"
    PERILAKU_KERJA = "perilaku_kerja"
    RANGKUMAN = "rangkuman"


URUTAN_LANGKAH: tuple[Langkah, ...] = tuple(Langkah)
NAMA_LANGKAH = {
    Langkah.CEK_DATA: "Cek Data", Langkah.PRAKTIK_KINERJA: "Praktik Kinerja",
    Langkah.PENGEMBANGAN_KOMPETENSI: "Pengembangan Kompetensi", Langkah.TUGAS_TAMBAHAN: "Tugas Tambahan",
    Langkah.PERILAKU_KERJA: "Perilaku Kerja", Langkah.RANGKUMAN: "Rangkuman",
}


class StatusRencana(StrEnum):
    DRAF = "draf"
    DIAJUKAN = "diajukan"
    DIKEMBALIKAN = "dikembalikan"
    DISETUJUI = "disetujui"
    DISEPAKATI = "disepakati"


_DAPAT_DIUBAH = (StatusRencana.DRAF, StatusRencana.DIKEMBALIKAN)


class AksiDialog(StrEnum):
    DIAJUKAN = "diajukan"
    DIKEMBALIKAN = "dikembalikan"
    DISETUJUI = "disetujui"
    DISETUJUI_OTOMATIS = "disetujui_otomatis"
    DISEPAKATI = "disepakati"


class EntriDialog(FrozenModel):
    """One line of the performance-dialogue history."""

    pelaku_id: str
    peran: Literal["pemilik", "atasan", "sistem"]
    aksi: AksiDialog
    catatan: TeksPanjang | None = None
    pada: AwareDatetime


class PraktikKinerja(FrozenModel):
    sub_indikator_id: str
    indikator: Literal["D1", "D3"]
    nama: str
    direkomendasikan: bool  # recommended by the school's Rapor Pendidikan when chosen


class InputPengembangan(FrozenModel):
    kegiatan_id: str
    materi_id: str | None = None  # required for a Pelatihan Mandiri topic
    keterangan: TeksPendek | None = None


class ItemPengembangan(FrozenModel):
    kegiatan_id: str
    nama: str
    kategori: str
    poin: int
    materi_id: str | None = None
    keterangan: str | None = None


class InputTugasTambahan(FrozenModel):
    tugas_id: str
    nomor_sk: TeksPendek  # nomor SK / Surat Tugas from the atasan
    tanggal_sk: date | None = None


class ItemTugasTambahan(FrozenModel):
    tugas_id: str
    nama: str
    nomor_sk: str
    tanggal_sk: date | None = None


class Rencana(FrozenModel):
    rencana_id: str  # = siklus_id: one plan per cycle
    siklus_id: str
    ptk_id: Identifier
    nip: str | None
    periode: str
    npsn: str
    jenjang: Jenjang
    jabatan: Jabatan
    plt: bool = False  # the SKP sebagai Plt. Kepala Sekolah of ``npsn`` (see Siklus.plt)
    status: StatusRencana = StatusRencana.DRAF
    langkah_selesai: tuple[Langkah, ...] = ()
    praktik: PraktikKinerja | None = None
    pengembangan: tuple[ItemPengembangan, ...] = ()
    tugas_tambahan: tuple[ItemTugasTambahan, ...] = ()
    perilaku_prioritas: tuple[str, ...] = ()
    rangkuman: TeksPanjang | None = None
    atasan: Atasan | None = None
    riwayat: tuple[EntriDialog, ...] = ()
    versi_katalog: dict[str, str]
    versi: int = Field(default=1, ge=1)
    dibuat_pada: AwareDatetime
    diperbarui_pada: AwareDatetime

    @property
    def total_poin(self) -> int:
        return sum(i.poin for i in self.pengembangan)

    @property
    def langkah_berikutnya(self) -> Langkah | None:
        for langkah in URUTAN_LANGKAH:
            if langkah not in self.langkah_selesai:
                return langkah
        return None


# ------------------------------------------------------------------ guards


def pastikan_versi(rencana: Rencana, versi: int) -> None:
    """Optimistic concurrency: the client edits the version it read."""
    if rencana.versi != versi:
        raise Conflict("versi_tidak_cocok",
                       "Rencana ini baru saja diubah di tempat lain. Muat ulang halaman lalu ulangi perubahan Anda.",
                       versi_sekarang=rencana.versi)


def _pastikan_pemilik(rencana: Rencana, pelaku_id: str) -> None:
    if pelaku_id != rencana.ptk_id:
        raise Forbidden("bukan_pemilik_rencana", "Hanya pemilik rencana yang dapat mengubah atau menyepakatinya.")


def _pastikan_atasan(rencana: Rencana, pelaku_id: str) -> None:
    if rencana.atasan is None or pelaku_id != rencana.atasan.id:
        raise Forbidden("bukan_atasan",
                        "Hanya atasan yang tercatat saat rencana diajukan yang dapat menyetujui atau mengembalikannya.")


pastikan_atasan = _pastikan_atasan  # the service authorises with it before comparing versions


def _pastikan_status(rencana: Rencana, boleh: Sequence[StatusRencana], kode: str, pesan: str) -> None:
    if rencana.status not in boleh:
        raise Conflict(kode, pesan, status_rencana=rencana.status.value)


def _pastikan_dapat_diubah(rencana: Rencana, pelaku_id: str, now: datetime) -> None:
    _pastikan_pemilik(rencana, pelaku_id)
    _pastikan_status(rencana, _DAPAT_DIUBAH, "rencana_tidak_dapat_diubah",
                     f"Rencana berstatus {rencana.status.value} sehingga tidak dapat diubah lagi. Perubahan hanya "
                     "dapat dilakukan sebelum diajukan atau setelah dikembalikan oleh atasan.")
    today = tanggal_lokal(now)
    pastikan_periode_terbuka(rencana.periode, today)
    periksa_jendela(Tahap.PERENCANAAN, rencana.periode, today)


def _pastikan_urutan(rencana: Rencana, langkah: Langkah) -> None:
    for sebelumnya in URUTAN_LANGKAH[: URUTAN_LANGKAH.index(langkah)]:
        if sebelumnya not in rencana.langkah_selesai:
            raise DomainError("langkah_belum_berurutan",
                              f"Selesaikan langkah {NAMA_LANGKAH[sebelumnya]} terlebih dahulu sebelum "
                              f"{NAMA_LANGKAH[langkah]}.", langkah=langkah.value, langkah_kurang=sebelumnya.value)


def _simpan_langkah(rencana: Rencana, langkah: Langkah, now: datetime, **perubahan) -> Rencana:
    selesai = [x for x in rencana.langkah_selesai if x != langkah]
    if langkah is not Langkah.RANGKUMAN:
        # any edit asks the owner to look at the Rangkuman again before submitting
        selesai = [x for x in selesai if x is not Langkah.RANGKUMAN]
    selesai.append(langkah)
    urut = tuple(x for x in URUTAN_LANGKAH if x in selesai)
    return rencana.model_copy(update={**perubahan, "langkah_selesai": urut, "status": StatusRencana.DRAF,
                                      "versi": rencana.versi + 1, "diperbarui_pada": now})


# ------------------------------------------------------------------ creation


def buat_rencana(siklus: Siklus, ptk: Ptk, jenjang: Jenjang, *, now: datetime) -> Rencana:
    """An empty draft for the owner's cycle (the cycle is already at the sekolah induk)."""
    if ptk.ptk_id != siklus.ptk_id:
        raise Forbidden("bukan_pemilik_rencana", "Rencana hanya dapat dibuat oleh pemilik siklus kinerja.")
    pastikan_siklus_aktif(siklus)
    today = tanggal_lokal(now)
    pastikan_periode_terbuka(siklus.periode, today)
    periksa_jendela(Tahap.PERENCANAAN, siklus.periode, today)
    return Rencana(rencana_id=siklus.siklus_id, siklus_id=siklus.siklus_id, ptk_id=siklus.ptk_id, nip=ptk.nip,
                   periode=siklus.periode, npsn=siklus.npsn, jenjang=jenjang, jabatan=siklus.jabatan, plt=siklus.plt,
                   versi_katalog=katalog.versi_katalog(), dibuat_pada=now, diperbarui_pada=now)


# --------------------------------------------------------------------- steps


def cek_data(rencana: Rencana, pelaku_id: str, *, now: datetime) -> Rencana:
    """The owner confirms the Dapodik profile shown (fixes go through the Operator Sekolah)."""
    _pastikan_dapat_diubah(rencana, pelaku_id, now)
    return _simpan_langkah(rencana, Langkah.CEK_DATA, now)


class PilihanPraktik(FrozenModel):
    sub_indikator: katalog.SubIndikator
    direkomendasikan: bool
    prioritas: int | None = None


def daftar_pilihan_praktik(jabatan: Jabatan, rapor: RaporPendidikan | None) -> tuple[PilihanPraktik, ...]:
    """The jabatan's sub-indikator, the school's Rapor recommendations first (by priority).

    With no rapor every sub-indikator is still offered (SRC-BIMTEK-MAPPI: 'Guru yang tidak
    memperoleh Rapor Pendidikan masih dapat memilih sub indikator lain').
    Recommendations outside the jabatan's indicator or unknown to this catalogue
    version are ignored.
    """
    semua = katalog.sub_indikator_untuk(jabatan)
    prioritas = {r.sub_indikator_id: r.prioritas for r in (rapor.rekomendasi if rapor else ())}
    rekomendasi = sorted((s for s in semua if s.id in prioritas), key=lambda s: (prioritas[s.id], s.id))
    lain = [s for s in semua if s.id not in prioritas]
    return tuple([PilihanPraktik(sub_indikator=s, direkomendasikan=True, prioritas=prioritas[s.id])
                  for s in rekomendasi] + [PilihanPraktik(sub_indikator=s, direkomendasikan=False) for s in lain])


def pilih_praktik_kinerja(rencana: Rencana, pelaku_id: str, sub_indikator_id: str,
                          rapor: RaporPendidikan | None, *, now: datetime) -> Rencana:
    """Exactly one sub-indikator: D1 for guru / guru BK, D3 for kepala sekolah (P2, P14)."""
    _pastikan_dapat_diubah(rencana, pelaku_id, now)
    _pastikan_urutan(rencana, Langkah.PRAKTIK_KINERJA)
    sub = katalog.sub_indikator(sub_indikator_id)
    indikator = katalog.indikator_untuk(rencana.jabatan)
    if sub.indikator != indikator.id:
        raise DomainError("sub_indikator_tidak_sesuai_jabatan",
                          f"Sub-indikator {sub.nama} bukan bagian dari indikator {indikator.id} "
                          f"'{indikator.nama}' yang berlaku untuk jabatan Anda. Pilih dari daftar Praktik Kinerja.")
    direkomendasikan = rapor is not None and rapor.npsn == rencana.npsn and any(
        r.sub_indikator_id == sub.id for r in rapor.rekomendasi)
    praktik = PraktikKinerja(sub_indikator_id=sub.id, indikator=sub.indikator, nama=sub.nama,
                             direkomendasikan=direkomendasikan)
    return _simpan_langkah(rencana, Langkah.PRAKTIK_KINERJA, now, praktik=praktik)


def atur_pengembangan_kompetensi(rencana: Rencana, pelaku_id: str, items: Sequence[InputPengembangan],
                                 *, now: datetime) -> Rencana:
    """Competence development activities totalling 32..128 points (data: batas_poin)."""
    _pastikan_dapat_diubah(rencana, pelaku_id, now)
    _pastikan_urutan(rencana, Langkah.PENGEMBANGAN_KOMPETENSI)
    hasil: list[ItemPengembangan] = []
    topik: set[tuple[str, str]] = set()
    for masukan in items:
        kegiatan = katalog.kegiatan_pengembangan(masukan.kegiatan_id)
        if masukan.materi_id is not None:
            katalog.materi_pmm(masukan.materi_id)
            # one topic, one completion certificate: the same topic twice would count its points twice
            if (kegiatan.id, masukan.materi_id) in topik:
                raise DomainError("materi_ganda", f"Topik '{masukan.materi_id}' sudah dipilih untuk kegiatan "
                                  f"'{kegiatan.nama}'. Setiap topik dihitung satu kali; pilih topik lain.",
                                  kegiatan_id=kegiatan.id, materi_id=masukan.materi_id)
            topik.add((kegiatan.id, masukan.materi_id))
        elif kegiatan.perlu_materi:
            raise DomainError("materi_wajib",
                              f"Kegiatan '{kegiatan.nama}' harus menyebutkan topik Pelatihan Mandiri yang dipilih.",
                              kegiatan_id=kegiatan.id)
        hasil.append(ItemPengembangan(kegiatan_id=kegiatan.id, nama=kegiatan.nama, kategori=kegiatan.kategori,
                                      poin=kegiatan.poin, materi_id=masukan.materi_id,
                                      keterangan=masukan.keterangan))
    total, batas = sum(i.poin for i in hasil), katalog.batas_poin()
    if total < batas.minimal:
        # name activities that close the gap exactly (or just past it) so the teacher can act on it
        k = katalog.katalog_pengembangan()
        kurang = batas.minimal - total
        saran = next(c for c in (k.kombinasi(g) for g in range(kurang, batas.maksimal - total + 1)) if c)
        nama = {x.id: f"{x.nama} ({x.poin} poin)" for x in k.kegiatan}
        raise DomainError("poin_pengembangan_kurang",
                          f"Total poin Pengembangan Kompetensi Anda {total}; minimal {batas.minimal} poin, kurang "
                          f"{kurang} poin. Tambahkan kegiatan, misalnya: " + "; ".join(nama[i] for i in saran) + ".",
                          total_poin=total, minimal=batas.minimal, kurang=kurang, saran_kegiatan_ids=list(saran))
    if total > batas.maksimal:
        raise DomainError("poin_pengembangan_berlebih",
                          f"Total poin Pengembangan Kompetensi Anda {total}; maksimal {batas.maksimal} poin "
                          f"per semester, lebih {total - batas.maksimal} poin. Kurangi kegiatan.",
                          total_poin=total, maksimal=batas.maksimal, lebih=total - batas.maksimal)
    return _simpan_langkah(rencana, Langkah.PENGEMBANGAN_KOMPETENSI, now, pengembangan=tuple(hasil))


def atur_tugas_tambahan(rencana: Rencana, pelaku_id: str, items: Sequence[InputTugasTambahan],
                        *, now: datetime) -> Rencana:
    """Optional, several allowed, each backed by an SK / Surat Tugas; an empty list completes the step."""
    _pastikan_dapat_diubah(rencana, pelaku_id, now)
    _pastikan_urutan(rencana, Langkah.TUGAS_TAMBAHAN)
    hasil: list[ItemTugasTambahan] = []
    for masukan in items:
        opsi = katalog.tugas_tambahan(masukan.tugas_id)
        if rencana.jenjang not in opsi.jenjang:
            raise DomainError("tugas_tambahan_tidak_berlaku",
                              f"Tugas Tambahan '{opsi.nama}' tidak berlaku untuk jenjang "
                              f"{rencana.jenjang.value.upper()}. Pilih tugas yang sesuai SK atasan Anda.",
                              tugas_id=opsi.id)
        if not masukan.nomor_sk.strip():
            raise DomainError("nomor_sk_wajib",
                              f"Isi nomor SK atau Surat Tugas untuk Tugas Tambahan '{opsi.nama}'.", tugas_id=opsi.id)
        if any(h.tugas_id == opsi.id for h in hasil):
            raise DomainError("tugas_tambahan_ganda", f"Tugas Tambahan '{opsi.nama}' dipilih lebih dari sekali.",
                              tugas_id=opsi.id)
        hasil.append(ItemTugasTambahan(tugas_id=opsi.id, nama=opsi.nama, nomor_sk=masukan.nomor_sk.strip(),
                                       tanggal_sk=masukan.tanggal_sk))
    return _simpan_langkah(rencana, Langkah.TUGAS_TAMBAHAN, now, tugas_tambahan=tuple(hasil))


def atur_perilaku_kerja(rencana: Rencana, pelaku_id: str, nilai_ids: Sequence[str], *, now: datetime) -> Rencana:
    """BerAKHLAK values to prioritise: at least one, no repeats (P13)."""
    _pastikan_dapat_diubah(rencana, pelaku_id, now)
    _pastikan_urutan(rencana, Langkah.PERILAKU_KERJA)
    if not nilai_ids:
        raise DomainError("perilaku_kerja_kosong", "Pilih paling sedikit satu aspek Perilaku Kerja (BerAKHLAK).")
    if len(set(nilai_ids)) != len(nilai_ids):
        raise DomainError("perilaku_kerja_ganda", "Setiap aspek Perilaku Kerja cukup dipilih satu kali.")
    for nilai in nilai_ids:
        katalog.perilaku_kerja(nilai)
    return _simpan_langkah(rencana, Langkah.PERILAKU_KERJA, now, perilaku_prioritas=tuple(nilai_ids))


def simpan_rangkuman(rencana: Rencana, pelaku_id: str, rangkuman: str | None, *, now: datetime) -> Rencana:
    """The owner reviews (and may edit) the summary; required again after any earlier edit."""
    _pastikan_dapat_diubah(rencana, pelaku_id, now)
    _pastikan_urutan(rencana, Langkah.RANGKUMAN)
    teks = rangkuman.strip() if rangkuman else None
    return _simpan_langkah(rencana, Langkah.RANGKUMAN, now, rangkuman=teks or None)


# ---------------------------------------------------------------- dialogue


def ajukan(rencana: Rencana, pelaku_id: str, atasan: Atasan, *, now: datetime) -> Rencana:
    """'Lanjut Ajukan': to the atasan, or approved by the system when only a Plt. leads (P3)."""
    _pastikan_dapat_diubah(rencana, pelaku_id, now)
    kurang = [NAMA_LANGKAH[x] for x in URUTAN_LANGKAH if x not in rencana.langkah_selesai]
    if kurang:
        raise DomainError("langkah_belum_lengkap",
                          f"Rencana belum dapat diajukan. Lengkapi langkah: {', '.join(kurang)}.",
                          langkah_kurang=kurang)
    if atasan.id == rencana.ptk_id:  # nobody approves (or is auto-approved under) themselves
        raise Conflict("atasan_tidak_valid",
                       "Atasan Anda tercatat sebagai diri Anda sendiri. Minta Operator Sekolah memperbaiki data "
                       "Kepala Sekolah di Dapodik.", aktor="operator_sekolah")
    riwayat = rencana.riwayat + (EntriDialog(pelaku_id=pelaku_id, peran="pemilik", aksi=AksiDialog.DIAJUKAN,
                                             pada=now),)
    status = StatusRencana.DIAJUKAN
    if not atasan.perlu_persetujuan:
        riwayat += (EntriDialog(pelaku_id="sistem", peran="sistem", aksi=AksiDialog.DISETUJUI_OTOMATIS, pada=now,
                                catatan="Disetujui otomatis: sekolah dipimpin Plt. Kepala Sekolah."),)
        status = StatusRencana.DISETUJUI
    return rencana.model_copy(update={"status": status, "atasan": atasan, "riwayat": riwayat,
                                      "versi": rencana.versi + 1, "diperbarui_pada": now})


def _dialog_atasan(rencana: Rencana, pelaku_id: str, now: datetime) -> None:
    _pastikan_atasan(rencana, pelaku_id)
    _pastikan_status(rencana, (StatusRencana.DIAJUKAN,), "rencana_belum_diajukan",
                     f"Rencana berstatus {rencana.status.value}; hanya rencana yang sedang diajukan yang dapat "
                     "disetujui atau dikembalikan.")
    pastikan_periode_terbuka(rencana.periode, tanggal_lokal(now))


def setujui(rencana: Rencana, pelaku_id: str, *, now: datetime, catatan: str | None = None) -> Rencana:
    _dialog_atasan(rencana, pelaku_id, now)
    entri = EntriDialog(pelaku_id=pelaku_id, peran="atasan", aksi=AksiDialog.DISETUJUI, catatan=catatan or None,
                        pada=now)
    return rencana.model_copy(update={"status": StatusRencana.DISETUJUI, "riwayat": rencana.riwayat + (entri,),
                                      "versi": rencana.versi + 1, "diperbarui_pada": now})


def kembalikan(rencana: Rencana, pelaku_id: str, catatan: str, *, now: datetime) -> Rencana:
    """Return with a note the owner acts on; the owner's next edit makes it a draft again."""
    _dialog_atasan(rencana, pelaku_id, now)
    if not catatan or not catatan.strip():
        raise DomainError("catatan_wajib", "Tuliskan catatan perbaikan agar pemilik rencana tahu apa yang diubah.")
    entri = EntriDialog(pelaku_id=pelaku_id, peran="atasan", aksi=AksiDialog.DIKEMBALIKAN, catatan=catatan.strip(),
                        pada=now)
    return rencana.model_copy(update={"status": StatusRencana.DIKEMBALIKAN, "riwayat": rencana.riwayat + (entri,),
                                      "versi": rencana.versi + 1, "diperbarui_pada": now})


def sepakati(rencana: Rencana, pelaku_id: str, *, now: datetime) -> Rencana:
    """The owner agrees to the approved plan: it becomes the SKP (P3, S1)."""
    _pastikan_pemilik(rencana, pelaku_id)
    _pastikan_status(rencana, (StatusRencana.DISETUJUI,), "rencana_belum_disetujui",
                     "Rencana hanya dapat disepakati setelah disetujui atasan.")
    pastikan_periode_terbuka(rencana.periode, tanggal_lokal(now))
    entri = EntriDialog(pelaku_id=pelaku_id, peran="pemilik", aksi=AksiDialog.DISEPAKATI, pada=now)
    return rencana.model_copy(update={"status": StatusRencana.DISEPAKATI, "riwayat": rencana.riwayat + (entri,),
                                      "versi": rencana.versi + 1, "diperbarui_pada": now})


# ----------------------------------------------------------- sync payload


class JenisRhk(StrEnum):
    PRAKTIK_KINERJA = "praktik_kinerja"
    PENGEMBANGAN_KOMPETENSI = "pengembangan_kompetensi"
    TUGAS_TAMBAHAN = "tugas_tambahan"


class Rhk(FrozenModel):
    """One Rencana Hasil Kerja of the SKP, derived from the agreed plan."""

    urutan: int
    jenis: JenisRhk
    teks: str
    indikator: str
    sub_indikator_id: str | None = None
    fokus_perilaku: tuple[str, ...] = ()
    kegiatan: tuple[str, ...] = ()
    poin: int | None = None
    tugas_id: str | None = None
    nomor_sk: str | None = None


class PerilakuSkp(FrozenModel):
    id: str
    nama: str
    deskripsi: str


class DataSinkronSkp(FrozenModel):
    """Everything Sinkro PMM needs once the plan is agreed (payload of ``kinerja.rencana.disepakati``)."""

    rencana_id: str
    siklus_id: str
    ptk_id: str
    nip: str | None
    periode: str
    npsn: str
    jabatan: Jabatan
    atasan: Atasan
    rhk: tuple[Rhk, ...]
    perilaku: tuple[PerilakuSkp, ...]
    total_poin: int
    disepakati_pada: AwareDatetime
    versi_rencana: int
    versi_katalog: dict[str, str]
    versi_rumusan_rhk: str


def data_sinkron(rencana: Rencana) -> DataSinkronSkp:
    """Derive the SKP: RHK from the practice, competence development and each additional task."""
    if rencana.status is not StatusRencana.DISEPAKATI:
        raise Conflict("rencana_belum_disepakati",
                       "SKP baru terbentuk setelah rencana disetujui atasan dan disepakati. Selesaikan perencanaan "
                       "terlebih dahulu.", status_rencana=rencana.status.value)
    assert rencana.praktik is not None and rencana.atasan is not None
    rumusan = data.muat("rhk")
    jabatan = rencana.jabatan.value
    sub = katalog.sub_indikator(rencana.praktik.sub_indikator_id)
    nama_sub = sub.nama
    pk = rumusan["praktik_kinerja"][jabatan]
    rhk = [Rhk(urutan=1, jenis=JenisRhk.PRAKTIK_KINERJA, teks=pk["teks"].format(sub_indikator=nama_sub),
               indikator=pk["indikator"].format(sub_indikator=nama_sub), sub_indikator_id=sub.id,
               fokus_perilaku=tuple(f.nama for f in sub.fokus_perilaku))]
    pengembangan = rumusan["pengembangan_kompetensi"][jabatan]
    rhk.append(Rhk(urutan=2, jenis=JenisRhk.PENGEMBANGAN_KOMPETENSI, teks=pengembangan["teks"],
                   indikator=pengembangan["indikator"].format(poin=rencana.total_poin,
                                                              minimal=katalog.batas_poin().minimal),
                   kegiatan=tuple(i.nama for i in rencana.pengembangan), poin=rencana.total_poin))
    tt = rumusan["tugas_tambahan"]
    for n, tugas in enumerate(rencana.tugas_tambahan, start=3):
        rhk.append(Rhk(urutan=n, jenis=JenisRhk.TUGAS_TAMBAHAN, teks=tt["teks"].format(tugas=tugas.nama),
                       indikator=tt["indikator"].format(nomor_sk=tugas.nomor_sk), tugas_id=tugas.tugas_id,
                       nomor_sk=tugas.nomor_sk))
    perilaku = tuple(PerilakuSkp(id=n.id, nama=n.nama, deskripsi=n.deskripsi)
                     for n in (katalog.perilaku_kerja(i) for i in rencana.perilaku_prioritas))
    disepakati = next(e.pada for e in reversed(rencana.riwayat) if e.aksi is AksiDialog.DISEPAKATI)
    return DataSinkronSkp(rencana_id=rencana.rencana_id, siklus_id=rencana.siklus_id, ptk_id=rencana.ptk_id,
                          nip=rencana.nip, periode=rencana.periode, npsn=rencana.npsn, jabatan=rencana.jabatan,
                          atasan=rencana.atasan, rhk=tuple(rhk), perilaku=perilaku, total_poin=rencana.total_poin,
                          disepakati_pada=disepakati, versi_rencana=rencana.versi,
                          versi_katalog=rencana.versi_katalog, versi_rumusan_rhk=rumusan["versi"])
