"""Predikat Kinerja: matrix, organisation predicate, distribution curve (P12, P14).

Source of every table below: PermenPANRB No. 6 Tahun 2022 tentang Pengelolaan
Kinerja Pegawai ASN, as summarised in docs/requirements.md#domain-facts (matrix: H; curve: M/H;
leader rule: M). A regulation change is an edit of these tables.

Counting rule (decision, exact integer arithmetic, never floats): with ``n``
ASN pegawai rated in the organisation (non-ASN teachers may join the cycle, P1,
but are not counted: the curve is the regulation's for ASN),
- "paling banyak p%"  -> at most floor(n * p / 100) pegawai (count / n <= p%),
  but never fewer than 1 when p > 0: the regulation writes a forbidden
  predicate as "tidak boleh ada" (Sangat Kurang: no Sangat Baik), so a nonzero
  share is an allowance, and rounding it down to nobody in a team where p% is
  less than one person would turn it into a prohibition (e.g. Istimewa, n = 1:
  the one teacher may be Sangat Baik; Baik, n = 1: may be Baik). Such a bound
  is marked ``disesuaikan``;
- "paling sedikit p%" -> at least ceil(n * p / 100) pegawai;
- "harus ada" (some)  -> at least 1 pegawai once the share the curve leaves
  outside its majority (``persen``: Baik keeps at most 70% Baik, so 30%) holds
  a whole person, n * 30 / 100 >= 1, i.e. n >= 4; below that the one
  Butuh Perbaikan / Kurang would be a third or more of the team, beyond the
  rule's own proportion, so it is lowered to 0 (``disesuaikan``). A principal of
  1-3 rated teachers is never forced to give Butuh Perbaikan / Kurang;
- "tidak boleh ada"   -> at most 0 pegawai.

Small teams (decision): the minimums of one curve may not fit together in a
small team (e.g. Kurang: "Kurang/Misconduct >= 60% and Butuh Perbaikan >= 10%"
needs 2 + 1 people when n = 2). Minimums are then satisfied in the order the
regulation lists them (the main 60% group first) and each later minimum is
lowered to what is left (possibly 0); such a bound is marked ``disesuaikan``.
Upper bounds never conflict with minimums because each curve's groups are
disjoint, and no curve caps every predicate, so every n has an allowed
assignment (``contoh_sebaran`` builds one). All-Baik is allowed under Istimewa
for every n ("the rest any other predicate") and under Baik only for n = 1.
n = 0: no bound applies.

Teacher predicate (P12): pre-filled from the matrix of the two ratings; the
superior may choose another predicate with a written reason (required exactly
when it differs from the matrix). Only after the Kepala Dinas has set the
school's Predikat Kinerja Organisasi (kode ``predikat_organisasi_belum_ada``)
and after the rating was sent to the Dinas (SRC-BIMTEK-MAPPI).

Kepala sekolah (P14, decision): the school's Predikat Kinerja Organisasi is
their Rating Hasil Kerja through ``RATING_HASIL_KERJA_PIMPINAN``: Istimewa ->
Di Atas Ekspektasi; Baik -> Sesuai Ekspektasi; Butuh Perbaikan, Kurang and
Sangat Kurang -> Di Bawah Ekspektasi. Their Rating Perilaku Kerja comes from
their own superior (Kepala Dinas / pengawas team) and the same matrix applies.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum

from pydantic import AwareDatetime, Field

from kinerja.domain.observasi import PejabatPenilai, pastikan_penilai
from kinerja.domain.penilaian import IsianRating, PenilaianKinerja, Rating
from shared.errors import DomainError, Forbidden
from shared.models import FrozenModel, Identifier, TeksPanjang


# ---------------------------------------------------------------- enums
class Predikat(StrEnum):
    """Predikat Kinerja Pegawai (PermenPANRB No. 6/2022)."""

    sangat_baik = "sangat_baik"
    baik = "baik"
    butuh_perbaikan = "butuh_perbaikan"
    kurang = "kurang"  # "Kurang/Misconduct"
    sangat_kurang = "sangat_kurang"


LABEL_PREDIKAT: dict[Predikat, str] = {
    Predikat.sangat_baik: "Sangat Baik",
    Predikat.baik: "Baik",
    Predikat.butuh_perbaikan: "Butuh Perbaikan",
    Predikat.kurang: "Kurang/Misconduct",
    Predikat.sangat_kurang: "Sangat Kurang",
}


class PredikatOrganisasi(StrEnum):
    """Predikat Kinerja Organisasi (PermenPANRB No. 6/2022)."""

    istimewa = "istimewa"
    baik = "baik"
    butuh_perbaikan = "butuh_perbaikan"
    kurang = "kurang"
    sangat_kurang = "sangat_kurang"


LABEL_PREDIKAT_ORGANISASI: dict[PredikatOrganisasi, str] = {
    PredikatOrganisasi.istimewa: "Istimewa",
    PredikatOrganisasi.baik: "Baik",
    PredikatOrganisasi.butuh_perbaikan: "Butuh Perbaikan",
    PredikatOrganisasi.kurang: "Kurang",
    PredikatOrganisasi.sangat_kurang: "Sangat Kurang",
}


# -------------------------------------------------------------- matrix
_A, _S, _B = Rating.di_atas_ekspektasi, Rating.sesuai_ekspektasi, Rating.di_bawah_ekspektasi

# PermenPANRB No. 6/2022: rows = Rating Hasil Kerja, columns = Rating Perilaku Kerja.
MATRIKS_PREDIKAT: dict[Rating, dict[Rating, Predikat]] = {
    _A: {_B: Predikat.kurang, _S: Predikat.baik, _A: Predikat.sangat_baik},
    _S: {_B: Predikat.kurang, _S: Predikat.baik, _A: Predikat.baik},
    _B: {_B: Predikat.sangat_kurang, _S: Predikat.butuh_perbaikan, _A: Predikat.butuh_perbaikan},
}


def predikat_dari_matriks(rating_hasil_kerja: Rating, rating_perilaku_kerja: Rating) -> Predikat:
    return MATRIKS_PREDIKAT[Rating(rating_hasil_kerja)][Rating(rating_perilaku_kerja)]


def isi_awal_predikat(penilaian: PenilaianKinerja) -> Predikat:
    """Pre-fill (P12). Reads the two ratings only; competence points never count (P10)."""
    return predikat_dari_matriks(penilaian.rating_hasil_kerja, penilaian.rating_perilaku_kerja)


# P14 (decision; docs/requirements.md#domain-facts "the organisation's result is their Rating Hasil Kerja").
RATING_HASIL_KERJA_PIMPINAN: dict[PredikatOrganisasi, Rating] = {
    PredikatOrganisasi.istimewa: Rating.di_atas_ekspektasi,
    PredikatOrganisasi.baik: Rating.sesuai_ekspektasi,
    PredikatOrganisasi.butuh_perbaikan: Rating.di_bawah_ekspektasi,
    PredikatOrganisasi.kurang: Rating.di_bawah_ekspektasi,
    PredikatOrganisasi.sangat_kurang: Rating.di_bawah_ekspektasi,
}


def rating_hasil_kerja_kepala_sekolah(predikat_organisasi: PredikatOrganisasi) -> Rating:
    return RATING_HASIL_KERJA_PIMPINAN[PredikatOrganisasi(predikat_organisasi)]


def isian_rating_kepala_sekolah(
    predikat_organisasi: PredikatOrganisasi,
    rating_perilaku_kerja: Rating,
    catatan_perilaku_kerja: str | None = None,
) -> IsianRating:
    """The kepala sekolah's ratings: Hasil Kerja from the school's result, Perilaku from their superior."""
    label = LABEL_PREDIKAT_ORGANISASI[PredikatOrganisasi(predikat_organisasi)]
    return IsianRating(
        rating_hasil_kerja=rating_hasil_kerja_kepala_sekolah(predikat_organisasi),
        rating_perilaku_kerja=rating_perilaku_kerja,
        catatan_hasil_kerja=f"Mengikuti Predikat Kinerja Organisasi satuan pendidikan: {label}.",
        catatan_perilaku_kerja=catatan_perilaku_kerja,
    )


def predikat_kepala_sekolah(predikat_organisasi: PredikatOrganisasi, rating_perilaku_kerja: Rating) -> Predikat:
    return predikat_dari_matriks(rating_hasil_kerja_kepala_sekolah(predikat_organisasi), rating_perilaku_kerja)


# ---------------------------------------------------------- the curve
class JenisBatas(StrEnum):
    paling_banyak = "paling_banyak"
    paling_sedikit = "paling_sedikit"
    harus_ada = "harus_ada"
    tidak_boleh_ada = "tidak_boleh_ada"


class BatasKurva(FrozenModel):
    """One bound of a curve; ``predikat`` lists predicates counted together ("dan/atau")."""

    jenis: JenisBatas
    predikat: tuple[Predikat, ...] = Field(min_length=1)
    # paling_banyak / paling_sedikit: the share; harus_ada: the share left outside the curve's majority
    persen: int = Field(default=0, ge=0, le=100)

    @property
    def minimum(self) -> bool:
        return self.jenis in (JenisBatas.paling_sedikit, JenisBatas.harus_ada)

    @property
    def label(self) -> str:
        return " dan/atau ".join(LABEL_PREDIKAT[p] for p in self.predikat)


def _banyak(persen: int, *p: Predikat) -> BatasKurva:
    return BatasKurva(jenis=JenisBatas.paling_banyak, predikat=p, persen=persen)


def _sedikit(persen: int, *p: Predikat) -> BatasKurva:
    return BatasKurva(jenis=JenisBatas.paling_sedikit, predikat=p, persen=persen)


def _ada(sisa_persen: int, *p: Predikat) -> BatasKurva:
    return BatasKurva(jenis=JenisBatas.harus_ada, predikat=p, persen=sisa_persen)


def _tidak_ada(*p: Predikat) -> BatasKurva:
    return BatasKurva(jenis=JenisBatas.tidak_boleh_ada, predikat=p)


_SB, _BA, _BP, _K, _SK = (
    Predikat.sangat_baik, Predikat.baik, Predikat.butuh_perbaikan, Predikat.kurang, Predikat.sangat_kurang,
)

# PermenPANRB No. 6/2022, annex "kurva distribusi" (docs/requirements.md#domain-facts). Minimums
# are listed in priority order (see "Small teams" in the module doc).
KURVA_DISTRIBUSI: dict[PredikatOrganisasi, tuple[BatasKurva, ...]] = {
    # Sangat Baik at most 70%; the rest any other predicate.
    PredikatOrganisasi.istimewa: (_banyak(70, _SB),),
    # Baik at most 70%; some Butuh Perbaikan and/or Kurang/Misconduct; others may be SB or SK.
    PredikatOrganisasi.baik: (_banyak(70, _BA), _ada(100 - 70, _BP, _K)),
    # Butuh Perbaikan at least 60%; Sangat Baik at most 10%.
    PredikatOrganisasi.butuh_perbaikan: (_sedikit(60, _BP), _banyak(10, _SB)),
    # Kurang/Misconduct at least 60%; Butuh Perbaikan at least 10%; Sangat Baik at most 10%.
    PredikatOrganisasi.kurang: (_sedikit(60, _K), _sedikit(10, _BP), _banyak(10, _SB)),
    # Sangat Kurang at least 60%; Kurang/Misconduct and/or Butuh Perbaikan at least 10%; no Sangat Baik.
    PredikatOrganisasi.sangat_kurang: (_sedikit(60, _SK), _sedikit(10, _K, _BP), _tidak_ada(_SB)),
}


class BatasJumlah(FrozenModel):
    """A curve bound turned into a head count for a team of ``n``."""

    batas: BatasKurva
    n: int = Field(ge=0)
    jumlah: int = Field(ge=0)  # the count limit (max for upper bounds, min for minimums)
    jumlah_regulasi: int = Field(ge=0)  # before the small-team adjustment
    disesuaikan: bool = False


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def batas_berlaku(predikat_organisasi: PredikatOrganisasi, n: int) -> list[BatasJumlah]:
    """The curve of ``predikat_organisasi`` as head counts for ``n`` ASN pegawai (rounding: module doc)."""
    if n < 0:
        raise ValueError("n tidak boleh negatif")
    hasil: list[BatasJumlah] = []
    sisa = n
    for batas in KURVA_DISTRIBUSI[PredikatOrganisasi(predikat_organisasi)]:
        if batas.jenis is JenisBatas.paling_banyak:
            regulasi = n * batas.persen // 100
            jumlah = max(regulasi, 1) if n > 0 and batas.persen > 0 else regulasi
            hasil.append(BatasJumlah(batas=batas, n=n, jumlah=jumlah, jumlah_regulasi=regulasi,
                                     disesuaikan=jumlah != regulasi))
        elif batas.jenis is JenisBatas.tidak_boleh_ada:
            hasil.append(BatasJumlah(batas=batas, n=n, jumlah=0, jumlah_regulasi=0))
        else:
            if batas.jenis is JenisBatas.paling_sedikit:
                regulasi = kebutuhan = _ceil_div(n * batas.persen, 100)
            else:  # harus_ada: one person, once the share outside the majority holds one
                regulasi = 1 if n > 0 else 0
                kebutuhan = regulasi if n * batas.persen >= 100 else 0
            jumlah = min(kebutuhan, sisa)
            sisa -= jumlah
            hasil.append(
                BatasJumlah(batas=batas, n=n, jumlah=jumlah, jumlah_regulasi=regulasi, disesuaikan=jumlah != regulasi)
            )
    return hasil


# Filling order of ``contoh_sebaran`` once the minimums are met: the matrix's middle first.
_URUTAN_ISI = (Predikat.baik, Predikat.sangat_baik, Predikat.butuh_perbaikan, Predikat.kurang, Predikat.sangat_kurang)


def contoh_sebaran(predikat_organisasi: PredikatOrganisasi, n: int) -> dict[Predikat, int]:
    """One distribution of ``n`` predicates that meets the curve (proof that the bounds fit every n;
    the school page can show it as an example)."""
    batas = batas_berlaku(predikat_organisasi, n)
    hitung = dict.fromkeys(Predikat, 0)
    for b in batas:
        if b.batas.minimum:
            hitung[b.batas.predikat[0]] += b.jumlah
    sisa = n - sum(hitung.values())
    for p in _URUTAN_ISI:
        ruang = min((b.jumlah - sum(hitung[q] for q in b.batas.predikat) for b in batas
                     if not b.batas.minimum and p in b.batas.predikat), default=sisa)
        tambah = max(0, min(ruang, sisa))
        hitung[p] += tambah
        sisa -= tambah
    return hitung


class Pelanggaran(FrozenModel):
    """One violated bound, with the counts needed to meet it."""

    jenis: JenisBatas
    predikat: tuple[Predikat, ...]
    persen: int
    n: int
    batas_jumlah: int
    jumlah_saat_ini: int
    selisih: int = Field(gt=0)  # how many to add (minimums) or to move away (upper bounds)
    disesuaikan: bool
    pesan: str


def _pesan(b: BatasJumlah, saat_ini: int, selisih: int) -> str:
    batas = b.batas
    catatan = " (disesuaikan untuk tim kecil)" if b.disesuaikan else ""
    if batas.jenis is JenisBatas.paling_banyak:
        kepala = f"{batas.label} paling banyak {batas.persen}% ({b.jumlah} dari {b.n} guru ASN){catatan}"
        aksi = f"kurangi {selisih}"
    elif batas.jenis is JenisBatas.tidak_boleh_ada:
        kepala = f"{batas.label} tidak boleh ada (0 dari {b.n} guru ASN)"
        aksi = f"kurangi {selisih}"
    elif batas.jenis is JenisBatas.paling_sedikit:
        kepala = f"{batas.label} paling sedikit {batas.persen}% ({b.jumlah} dari {b.n} guru ASN){catatan}"
        aksi = f"tambah {selisih}"
    else:
        kepala = f"Harus ada {batas.label} (paling sedikit {b.jumlah} dari {b.n} guru ASN){catatan}"
        aksi = f"tambah {selisih}"
    return f"{kepala}; saat ini {saat_ini}: {aksi}"


def periksa_kurva(
    predikat_organisasi: PredikatOrganisasi, predikat_list: Iterable[Predikat]
) -> list[Pelanggaran]:
    """Every bound of the organisation's curve that the pegawai predicates violate (P12).

    Pure and exact: counts only, integer arithmetic. An empty list means the
    distribution meets the curve."""
    daftar = [Predikat(p) for p in predikat_list]
    n = len(daftar)
    pelanggaran: list[Pelanggaran] = []
    for b in batas_berlaku(predikat_organisasi, n):
        saat_ini = sum(1 for p in daftar if p in b.batas.predikat)
        selisih = b.jumlah - saat_ini if b.batas.minimum else saat_ini - b.jumlah
        if selisih > 0:
            pelanggaran.append(
                Pelanggaran(
                    jenis=b.batas.jenis,
                    predikat=b.batas.predikat,
                    persen=b.batas.persen,
                    n=n,
                    batas_jumlah=b.jumlah,
                    jumlah_saat_ini=saat_ini,
                    selisih=selisih,
                    disesuaikan=b.disesuaikan,
                    pesan=_pesan(b, saat_ini, selisih),
                )
            )
    return pelanggaran


# ------------------------------------------------ organisation predicate
class PredikatKinerjaOrganisasi(FrozenModel):
    """The school's Predikat Kinerja Organisasi, set by the Kepala Dinas (P12)."""

    id: Identifier
    sekolah_id: Identifier
    periode_id: Identifier
    predikat: PredikatOrganisasi
    ditetapkan_oleh: Identifier
    ditetapkan_pada: AwareDatetime
    versi: int = Field(default=0, ge=0)

    @classmethod
    def tetapkan(
        cls,
        *,
        id: str,
        sekolah_id: str,
        periode_id: str,
        predikat: PredikatOrganisasi,
        aktor_id: str,
        kepala_dinas: PejabatPenilai,
        data_penilaian_diterima: bool,
        now: datetime,
    ) -> "PredikatKinerjaOrganisasi":
        """Only the Kepala Dinas (definitif or Plt.), after the school sent its data (SRC-BIMTEK-MAPPI)."""
        if now.tzinfo is None:
            raise ValueError("now harus memiliki zona waktu (timezone-aware)")
        if aktor_id not in {i for i in (kepala_dinas.definitif_id, kepala_dinas.plt_id) if i}:
            raise Forbidden(
                "bukan_kepala_dinas",
                "Predikat Kinerja Organisasi satuan pendidikan hanya dapat ditetapkan oleh Kepala "
                "Dinas Pendidikan yang berwenang.",
            )
        if not data_penilaian_diterima:
            raise DomainError(
                "penilaian_sekolah_belum_dikirim",
                "Satuan pendidikan ini belum mengirim data Penilaian Kinerja Guru. Predikat Kinerja "
                "Organisasi dapat ditetapkan setelah kepala sekolah mengirimkannya.",
            )
        return cls(
            id=id, sekolah_id=sekolah_id, periode_id=periode_id, predikat=predikat,
            ditetapkan_oleh=aktor_id, ditetapkan_pada=now,
        )


# ------------------------------------------------------ pegawai predicate
class PredikatKinerjaPegawai(FrozenModel):
    """One pegawai's Predikat Kinerja for a period (P12)."""

    id: Identifier
    pegawai_id: Identifier
    periode_id: Identifier
    sekolah_id: Identifier
    rating_hasil_kerja: Rating
    rating_perilaku_kerja: Rating
    predikat_matriks: Predikat
    predikat: Predikat
    alasan_penyesuaian: TeksPanjang | None = None
    predikat_organisasi: PredikatOrganisasi
    ditetapkan_oleh: Identifier
    ditetapkan_pada: AwareDatetime
    versi: int = Field(default=0, ge=0)

    @property
    def disesuaikan(self) -> bool:
        return self.predikat != self.predikat_matriks


def tetapkan_predikat_pegawai(
    *,
    id: str,
    aktor_id: str,
    penilai: PejabatPenilai,
    penilaian: PenilaianKinerja,
    predikat_organisasi: PredikatOrganisasi | None,
    now: datetime,
    predikat: Predikat | None = None,
    alasan_penyesuaian: str | None = None,
    sebelumnya: PredikatKinerjaPegawai | None = None,
    pimpinan: bool = False,
    langsung: bool | None = None,
) -> PredikatKinerjaPegawai:
    """Set (or change) a pegawai's predicate: pre-filled from the matrix; another
    predicate needs a reason. ``predikat_organisasi`` is the school's, or None
    when the Kepala Dinas has not set it yet.

    ``pimpinan`` (P14): the pegawai leads the school and is rated by the Kepala
    Dinas (or the delegated pengawas) directly -- nothing is "sent to the Dinas";
    instead the Rating Hasil Kerja must be the one the school's predicate gives
    (``RATING_HASIL_KERJA_PIMPINAN``), else ``rating_hasil_kerja_tidak_sesuai_organisasi``.

    ``langsung`` (default: ``pimpinan``): rated by the Dinas side directly, so nothing is sent to the
    Dinas first -- also the teacher cycle of a Plt. leading their own school, whose Hasil Kerja is their
    own practice (not the school's result)."""
    if now.tzinfo is None:
        raise ValueError("now harus memiliki zona waktu (timezone-aware)")
    pastikan_penilai(penilaian.pegawai_id, aktor_id, penilai)
    if predikat_organisasi is None:
        raise DomainError(
            "predikat_organisasi_belum_ada",
            "Predikat Kinerja Guru dapat ditetapkan setelah Kepala Dinas Pendidikan menetapkan "
            "Predikat Kinerja Organisasi satuan pendidikan Anda.",
        )
    if pimpinan:
        harus = rating_hasil_kerja_kepala_sekolah(predikat_organisasi)
        if penilaian.rating_hasil_kerja != harus:
            raise DomainError(
                "rating_hasil_kerja_tidak_sesuai_organisasi",
                "Rating Hasil Kerja kepala sekolah mengikuti Predikat Kinerja Organisasi sekolahnya "
                f"({LABEL_PREDIKAT_ORGANISASI[PredikatOrganisasi(predikat_organisasi)]}). Perbarui penilaiannya "
                "terlebih dahulu.",
                rating_hasil_kerja_seharusnya=harus.value,
            )
    if not (pimpinan if langsung is None else langsung) and not penilaian.terkirim:
        raise DomainError(
            "penilaian_belum_dikirim",
            "Kirim data Penilaian Kinerja guru ini ke Dinas Pendidikan terlebih dahulu, lalu "
            "tetapkan Predikat Kinerjanya.",
        )
    matriks = isi_awal_predikat(penilaian)
    pilihan = matriks if predikat is None else Predikat(predikat)
    alasan = (alasan_penyesuaian or "").strip() or None
    if pilihan != matriks and alasan is None:
        raise DomainError(
            "alasan_penyesuaian_wajib",
            f"Predikat yang Anda pilih ({LABEL_PREDIKAT[pilihan]}) berbeda dari predikat hasil "
            f"rating ({LABEL_PREDIKAT[matriks]}). Tuliskan alasan penyesuaiannya.",
            predikat_matriks=matriks.value,
        )
    if pilihan == matriks:
        alasan = None
    if sebelumnya is not None and (sebelumnya.pegawai_id, sebelumnya.periode_id) != (
        penilaian.pegawai_id, penilaian.periode_id
    ):
        raise ValueError("predikat sebelumnya milik pegawai/periode lain")
    return PredikatKinerjaPegawai(
        id=id,
        pegawai_id=penilaian.pegawai_id,
        periode_id=penilaian.periode_id,
        sekolah_id=penilaian.sekolah_id,
        rating_hasil_kerja=penilaian.rating_hasil_kerja,
        rating_perilaku_kerja=penilaian.rating_perilaku_kerja,
        predikat_matriks=matriks,
        predikat=pilihan,
        alasan_penyesuaian=alasan,
        predikat_organisasi=predikat_organisasi,
        ditetapkan_oleh=aktor_id,
        ditetapkan_pada=now,
        versi=0 if sebelumnya is None else sebelumnya.versi + 1,
    )


def periksa_kurva_sekolah(
    predikat_organisasi: PredikatOrganisasi, predikat_pegawai: Sequence[PredikatKinerjaPegawai]
) -> list[Pelanggaran]:
    """Convenience: the curve check over the predicates set so far."""
    return periksa_kurva(predikat_organisasi, (p.predikat for p in predikat_pegawai))
