"""The check before sending to e-Kinerja (S1, S3, S4).

The sync service keeps a mirror (`CerminSinkro`) of what PMM, SIASN and
e-Kinerja last told it about one pegawai and one period, built from events.
`periksa` decides every precondition the source documents on that mirror alone,
so a teacher learns who must fix what before anything is sent, and a send is
only attempted when e-Kinerja can be expected to accept it.

Order of the checks (first failure wins; the order follows who can act and
what makes later checks meaningful):

1. Identity — without it nothing else can be matched.
   Not ASN in PMM: a real non-ASN (SIASN does not know them as ASN) is told
   that nothing is sent (`BukanAsn`, P1: optional for them); an ASN whose
   Dapodik status is wrong gets #7. #1 NIP in PMM not matching SIASN;
   #10 PNS ID different, or missing in PMM; #11 pegawai not in e-Kinerja (unor_id undefined);
   #1 (second cause) not registered as PMM user in e-Kinerja.
2. What is being sent exists in PMM.
   skp: #2 no plan or one still in the teacher's hands (draf, dikembalikan);
   #14 submitted or approved but not yet agreed, or agreed without RHK.
   predikat: #2 no SKP; predikat not yet set (`SinkroBelumSiap`, not a documented error).
   plt: #18 no SKP sebagai Plt. Kepala Sekolah in PMM (one per school led).
3. Unit kerja. #3 unor missing or inactive in SIASN or e-Kinerja; #5 unor has
   no parent unit; #4 school name differs from unor name: A warns and goes on,
   B/C stop (decided from the assignment dates; `B_atau_C` when they cannot tell).
4. Plt. (jenis plt). #19 no Plt. assignment in e-Kinerja; #20 counts differ.
5. Superior (jenis skp, guru only as the source groups #15-#17 "Pesan Error di
   Guru"). #16 superior differs; #15 superior's organisation SKP missing;
   #17 that SKP has no RHK to link to.
6. predikat: no SKP in e-Kinerja for the period yet (`SkpBelumAdaDiEkinerja`,
   not a documented error): the SKP must be synced first.
7. skp: #12 e-Kinerja already holds an SKP for the period under another unor.
   Last on purpose: it asks the pegawai to decide ("Tetap Lakukan Sinkro"),
   which should only be asked when nothing else stands in the way.

Errors only e-Kinerja can know (#6 API key, #8 period value, #9 HTTP 500,
#13 an SKP typed in by hand in e-Kinerja after 2023) come from the adapter,
not from here.

A mirror part that is `None`: `siasn=None` means SIASN has no pegawai with
this NIP (#1); `ekinerja=None` means we hold no mirror of e-Kinerja yet, so
the checks that need it are left to e-Kinerja's own answer.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from shared.errors import DomainError
from shared.models import FrozenModel, Identifier, Nama, TeksPanjang, TeksPendek
from sinkro.domain.galat import Aktor, BukanAsn, SinkroGagal, SkpBelumAdaDiEkinerja
from sinkro.domain.referensi import status_kepegawaian_asn
from sinkro.domain.unor import KesamaanUnor, bandingkan_nama_unor

Periode = Annotated[str, StringConstraints(pattern=r"^\d{4}-[12]$")]  # "2024-1" Jan-Jun, "2024-2" Jul-Dec (P1)
Nip = Annotated[str, StringConstraints(pattern=r"^\d{18}$")]  # NIP ASN: 18 digits
Npsn = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{8}$")]  # school id in Dapodik

JenisSinkro = Literal["skp", "predikat", "plt"]


class Peran(StrEnum):
    guru = "guru"
    kepala_sekolah = "kepala_sekolah"


class StatusRencana(StrEnum):
    """Where the plan stands in PMM (P2/P3); only `disepakati` is an SKP."""

    draf = "draf"
    diajukan = "diajukan"
    dikembalikan = "dikembalikan"
    disetujui = "disetujui"
    disepakati = "disepakati"


# --- mirror of PMM (kinerja.rencana.*, kinerja.predikat.ditetapkan, referensi.ptk.diperbarui) ---


class Sekolah(FrozenModel):
    npsn: Npsn
    nama: Nama


class Rhk(FrozenModel):
    """Rencana Hasil Kerja of the agreed plan."""

    id: Identifier
    uraian: TeksPanjang
    indikator: tuple[TeksPendek, ...] = ()


class SkpPmm(FrozenModel):
    periode: Periode
    status: StatusRencana
    rhk: tuple[Rhk, ...] = ()
    perilaku: tuple[TeksPendek, ...] = ()
    versi: int = Field(ge=1)


class PredikatPmm(FrozenModel):
    periode: Periode
    predikat: Nama
    versi: int = Field(ge=1)


class PenugasanPltPmm(FrozenModel):
    """A school the pegawai leads as Plt. kepala sekolah, per Dapodik/PMM."""

    npsn: Npsn
    nama_sekolah: Nama


class CerminPmm(FrozenModel):
    pegawai_id: Identifier
    nip: Nip | None = None
    pns_id: Identifier | None = None
    status_kepegawaian: Nama | None = None
    peran: Peran = Peran.guru
    sekolah: Sekolah | None = None
    sekolah_sejak: date | None = None  # since when Dapodik has the pegawai at this school
    atasan_nip: Nip | None = None
    skp: SkpPmm | None = None
    predikat: PredikatPmm | None = None
    penugasan_plt: tuple[PenugasanPltPmm, ...] = ()


# --- mirror of SIASN (referensi.pegawai.diperbarui) ---


class UnorSiasn(FrozenModel):
    id: Identifier
    nama: Nama
    aktif: bool
    unor_atasan_id: Identifier | None = None
    npsn: Npsn | None = None  # when SIASN maps the unor to a school


class CerminSiasn(FrozenModel):
    nip: Nip
    pns_id: Identifier | None = None
    status_kepegawaian: Nama | None = None
    unor: UnorSiasn | None = None
    unor_sejak: date | None = None  # TMT of the pegawai's current unor
    atasan_nip: Nip | None = None


# --- mirror of e-Kinerja (answers to our sends and its reference reads) ---


class SkpEkinerja(FrozenModel):
    """The SKP e-Kinerja already holds for the period."""

    periode: Periode
    unor_id: Identifier
    unor_nama: Nama | None = None


class SkpOrganisasiAtasan(FrozenModel):
    atasan_nip: Nip
    periode: Periode
    jumlah_rhk: int = Field(ge=0)


class PenugasanPltEkinerja(FrozenModel):
    unor_id: Identifier
    nama_unor: Nama | None = None


class CerminEkinerja(FrozenModel):
    pegawai_terdaftar: bool  # False: "cannot read properties of undefined (reading 'unor_id')" (#11)
    unor_id: Identifier | None = None
    unor_aktif: bool = True
    terdaftar_pengguna_pmm: bool = True  # "User PMM" menu of the Admin Instansi (#1)
    skp: SkpEkinerja | None = None
    penugasan_plt: tuple[PenugasanPltEkinerja, ...] = ()
    skp_organisasi_atasan: SkpOrganisasiAtasan | None = None


class CerminSinkro(FrozenModel):
    """Everything the check needs about one pegawai and one period."""

    periode: Periode
    pmm: CerminPmm
    siasn: CerminSiasn | None = None
    ekinerja: CerminEkinerja | None = None

    @model_validator(mode="after")
    def _satu_periode(self) -> "CerminSinkro":
        lain = [
            bagian.periode
            for bagian in (
                self.pmm.skp,
                self.pmm.predikat,
                self.ekinerja.skp if self.ekinerja else None,
                self.ekinerja.skp_organisasi_atasan if self.ekinerja else None,
            )
            if bagian is not None and bagian.periode != self.periode
        ]
        if lain:
            raise ValueError(f"cermin periode {self.periode} memuat data periode lain: {sorted(set(lain))}")
        return self


# --- result ---


class SinkroBelumSiap(DomainError):
    """Nothing to send yet; not one of the 20 documented errors (it never reaches e-Kinerja)."""

    def __init__(self, kode: str, pesan: str, *, aktor: Aktor, tindak_lanjut: tuple[str, ...]) -> None:
        self.aktor = aktor
        self.tindak_lanjut = tindak_lanjut
        super().__init__(kode, pesan, status=409, aktor=aktor.value, tindak_lanjut=list(tindak_lanjut))


class Peringatan(FrozenModel):
    """A finding that lets the sync go on but must be shown (e.g. #4 condition A, #12 confirmed)."""

    nomor: int
    kode: str
    kondisi: str | None = None
    pesan: str
    keterangan: str = ""
    aktor: Aktor
    tindak_lanjut: tuple[str, ...]
    nilai_pmm: Any = None
    nilai_bkn: Any = None

    @classmethod
    def dari_galat(cls, galat: SinkroGagal) -> "Peringatan":
        return cls(
            nomor=galat.nomor,
            kode=galat.kode,
            kondisi=galat.kondisi,
            pesan=galat.pesan,
            keterangan=galat.keterangan,
            aktor=galat.aktor,
            tindak_lanjut=galat.tindak_lanjut,
            nilai_pmm=galat.nilai_pmm,
            nilai_bkn=galat.nilai_bkn,
        )


@dataclass(frozen=True)
class Hasil:
    """Outcome of `periksa`: ok (maybe with warnings) or the first failing check."""

    galat: DomainError | None = None
    peringatan: tuple[Peringatan, ...] = ()
    timpa_skp_lain: bool = False  # send with "Tetap Lakukan Sinkro": the old SKP is replaced
    unor_id: str | None = None  # the unor to send under, when known

    @property
    def ok(self) -> bool:
        return self.galat is None

    def pastikan_ok(self) -> "Hasil":
        if self.galat is not None:
            raise self.galat
        return self


@dataclass
class _Temuan:
    peringatan: list[Peringatan] = field(default_factory=list)


class _Berhenti(Exception):
    def __init__(self, galat: DomainError) -> None:
        self.galat = galat


def _gagal(galat: DomainError) -> None:
    raise _Berhenti(galat)


def periksa(cermin: CerminSinkro, jenis: JenisSinkro, tetap_lakukan_sinkro: bool = False) -> Hasil:
    """Decide whether `jenis` may be sent to e-Kinerja now; see the module docstring for the order."""
    if jenis not in ("skp", "predikat", "plt"):
        raise ValueError(f"jenis sinkro tidak dikenal: {jenis!r}")
    temuan = _Temuan()
    try:
        _periksa_identitas(cermin)
        _periksa_isi(cermin, jenis)
        _periksa_unor(cermin, temuan)
        if jenis == "plt":
            _periksa_plt_ekinerja(cermin)
        if jenis == "skp":
            _periksa_atasan(cermin)
        if jenis == "predikat":
            _periksa_skp_ada_di_ekinerja(cermin)
        timpa = _periksa_skp_lama(cermin, temuan, tetap_lakukan_sinkro) if jenis == "skp" else False
    except _Berhenti as berhenti:
        return Hasil(galat=berhenti.galat, peringatan=tuple(temuan.peringatan))
    return Hasil(peringatan=tuple(temuan.peringatan), timpa_skp_lain=timpa, unor_id=_unor_id(cermin))


def _unor_id(cermin: CerminSinkro) -> str | None:
    if cermin.ekinerja and cermin.ekinerja.unor_id:
        return cermin.ekinerja.unor_id
    if cermin.siasn and cermin.siasn.unor:
        return cermin.siasn.unor.id
    return None


def _periksa_identitas(cermin: CerminSinkro) -> None:
    pmm, siasn, ekinerja = cermin.pmm, cermin.siasn, cermin.ekinerja
    if not status_kepegawaian_asn(pmm.status_kepegawaian):
        if siasn is None or not status_kepegawaian_asn(siasn.status_kepegawaian):
            _gagal(BukanAsn(pmm.status_kepegawaian))  # P1: optional for non-ASN, nothing to send
        _gagal(SinkroGagal(7, nilai_pmm=pmm.status_kepegawaian, nilai_bkn=siasn.status_kepegawaian))
    if pmm.nip is None or siasn is None or siasn.nip != pmm.nip:
        _gagal(SinkroGagal(1, kondisi="nip_tidak_sesuai_siasn", nilai_pmm=pmm.nip, nilai_bkn=siasn.nip if siasn else None))
    if pmm.pns_id != siasn.pns_id:
        kondisi = "pns_id_belum_ada" if pmm.pns_id is None else "pns_id_berbeda"
        _gagal(SinkroGagal(10, kondisi=kondisi, nilai_pmm=pmm.pns_id, nilai_bkn=siasn.pns_id))
    if ekinerja is None:
        return
    if not ekinerja.pegawai_terdaftar or ekinerja.unor_id is None:
        _gagal(SinkroGagal(11))
    if not ekinerja.terdaftar_pengguna_pmm:
        _gagal(SinkroGagal(1, kondisi="belum_terdaftar_pengguna_pmm"))


def _periksa_isi(cermin: CerminSinkro, jenis: JenisSinkro) -> None:
    pmm = cermin.pmm
    if jenis == "plt":
        if not pmm.penugasan_plt:
            _gagal(SinkroGagal(18))
        return
    if pmm.skp is None:
        _gagal(SinkroGagal(2))
    if pmm.skp.status in (StatusRencana.draf, StatusRencana.dikembalikan):
        # still being written (or returned to be rewritten): the source's "belum membuat SKP" follow-up
        _gagal(SinkroGagal(2, nilai_pmm=pmm.skp.status.value))
    if jenis == "skp":
        if pmm.skp.status is not StatusRencana.disepakati or not pmm.skp.rhk:
            _gagal(SinkroGagal(14, nilai_pmm=pmm.skp.status.value, rincian=f"jumlah RHK: {len(pmm.skp.rhk)}"))
    elif pmm.predikat is None:
        _gagal(
            SinkroBelumSiap(
                "predikat_belum_ditetapkan",
                "Predikat Kinerja untuk periode ini belum ditetapkan di PMM, sehingga belum ada yang "
                "dapat disinkronkan.",
                aktor=Aktor.kepala_sekolah,
                tindak_lanjut=(
                    "Kepala Sekolah menetapkan Predikat Kinerja pegawai di PMM setelah Kepala Dinas "
                    "menetapkan Predikat Kinerja Organisasi sekolah.",
                    "Sinkronisasi predikat berjalan otomatis setelah predikat ditetapkan.",
                ),
            )
        )


def _periksa_unor(cermin: CerminSinkro, temuan: _Temuan) -> None:
    pmm, siasn, ekinerja = cermin.pmm, cermin.siasn, cermin.ekinerja
    assert siasn is not None  # identity checks passed
    unor = siasn.unor
    if unor is None or not unor.aktif or (ekinerja is not None and not ekinerja.unor_aktif):
        _gagal(
            SinkroGagal(
                3,
                nilai_bkn=unor.nama if unor else None,
                rincian=_rincian_unor_tidak_aktif(unor, ekinerja),
            )
        )
    if unor.unor_atasan_id is None:
        _gagal(SinkroGagal(5, nilai_bkn=unor.nama))
    if pmm.sekolah is None:
        return  # Dapodik gave no school; nothing to compare
    kesamaan = bandingkan_nama_unor(pmm.sekolah.nama, unor.nama)
    if kesamaan is KesamaanUnor.sama:
        return
    if kesamaan is KesamaanUnor.nomenklatur or (unor.npsn is not None and unor.npsn == pmm.sekolah.npsn):
        # Same school written differently (or renamed): #4 condition A may proceed.
        temuan.peringatan.append(
            Peringatan.dari_galat(SinkroGagal(4, kondisi="A", nilai_pmm=pmm.sekolah.nama, nilai_bkn=unor.nama))
        )
        return
    _gagal(SinkroGagal(4, kondisi=_kondisi_b_atau_c(pmm, siasn), nilai_pmm=pmm.sekolah.nama, nilai_bkn=unor.nama))


def _kondisi_b_atau_c(pmm: CerminPmm, siasn: CerminSiasn) -> str:
    """Which side is outdated: the one whose *assignment* is older (SRC-BIMTEK-MAPPI, slide 53:
    B SIASN/e-Kinerja not updated, C Dapodik not updated).

    Only assignment dates count: Dapodik's TMT at the school (`sekolah_sejak`, from the PTK's
    `tmt_sekolah`) and SIASN's TMT of the unor (`unor_sejak`). A record's last-update stamp
    says nothing about the move (a Dapodik record touched for an e-mail makes an old school
    look new). Without both dates, or with equal ones, we do not guess: `B_atau_C` names both
    fixes and lets the pegawai, who knows where they teach, pick.
    """
    if pmm.sekolah_sejak is None or siasn.unor_sejak is None or pmm.sekolah_sejak == siasn.unor_sejak:
        return "B_atau_C"
    return "C" if siasn.unor_sejak > pmm.sekolah_sejak else "B"


def _rincian_unor_tidak_aktif(unor: UnorSiasn | None, ekinerja: CerminEkinerja | None) -> str:
    if unor is None:
        return "unor pegawai tidak ditemukan di SIASN"
    if not unor.aktif:
        return "unor tidak aktif di SIASN"
    return "unor tidak aktif di e-Kinerja"


def _periksa_plt_ekinerja(cermin: CerminSinkro) -> None:
    ekinerja = cermin.ekinerja
    if ekinerja is None:
        return
    jumlah_pmm = len(cermin.pmm.penugasan_plt)
    jumlah_ekinerja = len(ekinerja.penugasan_plt)
    if jumlah_ekinerja == 0:
        _gagal(SinkroGagal(19, nilai_pmm=jumlah_pmm, nilai_bkn=0))
    if jumlah_ekinerja != jumlah_pmm:
        _gagal(SinkroGagal(20, nilai_pmm=jumlah_pmm, nilai_bkn=jumlah_ekinerja))


def _periksa_atasan(cermin: CerminSinkro) -> None:
    pmm, siasn, ekinerja = cermin.pmm, cermin.siasn, cermin.ekinerja
    if pmm.peran is not Peran.guru:
        return
    assert siasn is not None
    if pmm.atasan_nip != siasn.atasan_nip:
        _gagal(SinkroGagal(16, nilai_pmm=pmm.atasan_nip, nilai_bkn=siasn.atasan_nip))
    if ekinerja is None:
        return
    skp_atasan = ekinerja.skp_organisasi_atasan
    if skp_atasan is None or skp_atasan.atasan_nip != pmm.atasan_nip:
        _gagal(SinkroGagal(15))
    if skp_atasan.jumlah_rhk == 0:
        _gagal(SinkroGagal(17, nilai_bkn=0))


def _periksa_skp_ada_di_ekinerja(cermin: CerminSinkro) -> None:
    if cermin.ekinerja is not None and cermin.ekinerja.skp is None:
        _gagal(SkpBelumAdaDiEkinerja())


def _periksa_skp_lama(cermin: CerminSinkro, temuan: _Temuan, tetap_lakukan_sinkro: bool) -> bool:
    ekinerja = cermin.ekinerja
    if ekinerja is None or ekinerja.skp is None or ekinerja.skp.unor_id == ekinerja.unor_id:
        return False
    unor_kini = cermin.siasn.unor if cermin.siasn else None
    galat = SinkroGagal(
        12,
        nilai_pmm=unor_kini.nama if unor_kini else ekinerja.unor_id,  # the pegawai's unor now
        nilai_bkn=ekinerja.skp.unor_nama or ekinerja.skp.unor_id,  # the unor of the SKP already there
        rincian="SKP lama di e-Kinerja akan diganti dan terhapus." if tetap_lakukan_sinkro else None,
    )
    if not tetap_lakukan_sinkro:
        _gagal(galat)
    temuan.peringatan.append(Peringatan.dari_galat(galat))
    return True
