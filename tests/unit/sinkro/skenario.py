"""The 20 documented sync errors as scenarios fed only through events (and the e-Kinerja stand-in).

Shared by the integration suite (in-process, emulators) and the e2e suite (the whole
stack, events on the real topics). A `Dunia` is one pegawai's world with unique ids;
`SKENARIO` says how to break it so that exactly documented error #N follows (SRC-BIMTEK-MAPPI,
slides 50-65), who must act, and how the data is fixed so a retry succeeds.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable

from shared.contracts.kinerja import AtasanData, PerilakuData, PredikatDitetapkan, RencanaDisepakati, RhkData
from shared.contracts.referensi_bkn import (
    AdminInstansiDiperbarui,
    PegawaiDiperbarui,
    PegawaiEkinerjaDiperbarui,
    PltEkinerjaData,
    SkpEkinerjaData,
    SkpOrganisasiDiperbarui,
    UnorData,
)
from shared.contracts.referensi_dapodik import PenugasanPltData, PtkDiperbarui, SekolahDiperbarui
from shared.events import EventPayload

PERIODE = "2024-1"


def nip_acak(rng: random.Random) -> str:
    """A NIP the shared rules accept (shared/nip.py): birth date, TMT year and month, gender, serial."""
    lahir = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 38))
    tmt = lahir.year + rng.randrange(20, 35)
    return (f"{lahir:%Y%m%d}{tmt:04d}{rng.randrange(1, 13):02d}{rng.choice('12')}"
            f"{rng.randrange(1, 1000):03d}")


def npsn_acak(rng: random.Random) -> str:
    return "6" + "".join(str(rng.randrange(10)) for _ in range(7))


@dataclass
class Dunia:
    """One guru (or Plt.) whose agreed SKP for PERIODE can be sent: every check passes."""

    u: str
    rng: random.Random = field(repr=False, default_factory=random.Random)

    def __post_init__(self) -> None:
        r = self.rng
        self.ptk_id = f"ptk-{self.u}"
        self.nip = nip_acak(r)
        self.nip_salah = nip_acak(r)
        self.nip_atasan = nip_acak(r)
        self.email = f"guru-{self.u}@belajar.id"
        self.pns_id = f"PNS-{self.u}"
        self.instansi = f"inst-{self.u}"
        self.instansi_nama = f"Pemerintah Kota Uji {self.u}"
        self.npsn = npsn_acak(r)
        self.npsn_lain = npsn_acak(r)
        self.npsn_plt = [npsn_acak(r), npsn_acak(r)]
        self.unor = f"unor-{self.u}"
        self.nama_sekolah = "SD Negeri 4 Pagi"
        # payload fields, edited by a scenario before publishing
        self.ptk: dict[str, Any] = dict(
            ptk_id=self.ptk_id, nama=f"Guru {self.u}", nip=self.nip, pns_id=self.pns_id,
            email_belajar_id=self.email, npsn_induk=self.npsn, status_kepegawaian="pns", jabatan="guru",
            plt=[], versi=1, diperbarui_pada=datetime(2021, 7, 1, tzinfo=timezone.utc))
        self.sekolah: dict[str, Any] = dict(npsn=self.npsn, nama=self.nama_sekolah, jenjang="sd",
                                            dinas_id=f"dinas-{self.u}", versi=1)
        self.siasn: dict[str, Any] = dict(
            nip=self.nip, pns_id=self.pns_id, status_kepegawaian="PNS", instansi_id=self.instansi,
            instansi_nama=self.instansi_nama,
            unor=dict(id=self.unor, nama=self.nama_sekolah, aktif=True, unor_atasan_id=f"dinas-{self.u}"),
            unor_sejak="2021-07-01", atasan_nip=self.nip_atasan, versi=1)
        self.ekinerja: dict[str, Any] = dict(nip=self.nip, terdaftar=True, instansi_id=self.instansi,
                                             unor_id=self.unor, pengguna_pmm=True, skp=[], penugasan_plt=[], versi=1)
        self.organisasi: dict[str, Any] | None = dict(atasan_nip=self.nip_atasan, periode=PERIODE, jumlah_rhk=3,
                                                      versi=1)
        self.rencana: dict[str, Any] | None = dict(
            rencana_id=f"rencana-{self.u}", ptk_id=self.ptk_id, nip=self.nip, periode=PERIODE, npsn=self.npsn,
            nama_sekolah=self.nama_sekolah, jabatan="guru",
            atasan=AtasanData(jenis="kepala_sekolah", ptk_id=f"kepsek-{self.u}", nip=self.nip_atasan, npsn=self.npsn),
            rhk=[RhkData(urutan=1, jenis="praktik_kinerja", teks="Meningkatnya kualitas pembelajaran",
                         indikator="Umpan Balik Konstruktif")],
            perilaku=[PerilakuData(id="kolaboratif", nama="Kolaboratif")],
            disepakati_pada=datetime(2024, 1, 20, tzinfo=timezone.utc), versi=1)
        self.predikat: dict[str, Any] | None = None
        self.rencana_plt: list[dict[str, Any]] = []  # the SKPs sebagai Plt. Kepala Sekolah, one per school led

    def beri_predikat(self) -> None:
        self.predikat = dict(predikat_id=f"predikat-{self.u}", ptk_id=self.ptk_id, nip=self.nip, periode=PERIODE,
                             npsn=self.npsn, jabatan="guru", rating_hasil_kerja="sesuai_ekspektasi",
                             rating_perilaku_kerja="sesuai_ekspektasi", predikat="baik",
                             ditetapkan_pada=datetime(2024, 6, 20, tzinfo=timezone.utc), versi=1)

    def jadi_plt(self, jumlah_pmm: int = 1, jumlah_ekinerja: int = 1) -> None:
        """Plt. of `jumlah_pmm` schools in Dapodik, each with an agreed SKP sebagai Plt. in PMM; `jumlah_ekinerja`
        Plt. assignments in e-Kinerja."""
        self.ptk["plt"] = [PenugasanPltData(npsn=n) for n in self.npsn_plt[:jumlah_pmm]]
        self.rencana_plt = [self.skp_plt(i) for i in range(jumlah_pmm)]
        self.ekinerja["penugasan_plt"] = [PltEkinerjaData(unor_id=f"unor-plt-{i}-{self.u}")
                                          for i in range(jumlah_ekinerja)]

    def skp_plt(self, i: int, versi: int = 1) -> dict[str, Any]:
        """The agreed SKP sebagai Plt. Kepala Sekolah of `npsn_plt[i]` (kinerja's `plt: true` event)."""
        return dict(rencana_id=f"rencana-plt-{i}-{self.u}", ptk_id=self.ptk_id, nip=self.nip, periode=PERIODE,
                    npsn=self.npsn_plt[i], nama_sekolah=f"SD Negeri {i + 1} Plt", jabatan="kepala_sekolah",
                    atasan=AtasanData(jenis="kepala_dinas", ptk_id=f"kadis-{self.u}", dinas_id=f"dinas-{self.u}"),
                    rhk=[RhkData(urutan=1, jenis="hasil_kerja_sekolah", teks=f"Meningkatnya mutu sekolah {i + 1}",
                                 indikator="Rapor Pendidikan")],
                    perilaku=[PerilakuData(id="berorientasi_pelayanan", nama="Berorientasi Pelayanan")],
                    disepakati_pada=datetime(2024, 1, 22, tzinfo=timezone.utc), versi=versi, plt=True)

    def events(self) -> list[tuple[str, EventPayload]]:
        """(topic, payload) of the whole world, references first."""
        out: list[tuple[str, EventPayload]] = [
            ("referensi.sekolah.diperbarui", SekolahDiperbarui(**self.sekolah)),
            ("referensi.ptk.diperbarui", PtkDiperbarui(**self.ptk)),
            ("referensi.pegawai.diperbarui", pegawai(self.siasn)),
            ("referensi.pegawai_ekinerja.diperbarui", pegawai_ekinerja(self.ekinerja)),
        ]
        if self.organisasi:
            out.append(("referensi.skp_organisasi.diperbarui", SkpOrganisasiDiperbarui(**self.organisasi)))
        if self.rencana:
            out.append(("kinerja.rencana.disepakati", RencanaDisepakati(**self.rencana)))
        if self.predikat:
            out.append(("kinerja.predikat.ditetapkan", PredikatDitetapkan(**self.predikat)))
        out += [("kinerja.rencana.disepakati", RencanaDisepakati(**r)) for r in self.rencana_plt]
        return out

    # --- fixes: the next version of one record
    def ptk_v2(self, **ubah) -> tuple[str, EventPayload]:
        self.ptk |= ubah | {"versi": self.ptk["versi"] + 1}
        return "referensi.ptk.diperbarui", PtkDiperbarui(**self.ptk)

    def siasn_v2(self, **ubah) -> tuple[str, EventPayload]:
        self.siasn |= ubah | {"versi": self.siasn["versi"] + 1}
        return "referensi.pegawai.diperbarui", pegawai(self.siasn)

    def ekinerja_v2(self, **ubah) -> tuple[str, EventPayload]:
        self.ekinerja |= ubah | {"versi": self.ekinerja["versi"] + 1}
        return "referensi.pegawai_ekinerja.diperbarui", pegawai_ekinerja(self.ekinerja)

    def sekolah_baru(self, npsn: str, nama: str) -> tuple[str, EventPayload]:
        return "referensi.sekolah.diperbarui", SekolahDiperbarui(npsn=npsn, nama=nama, jenjang="sd",
                                                                 dinas_id=f"dinas-{self.u}", versi=1)


def pegawai(d: dict[str, Any]) -> PegawaiDiperbarui:
    return PegawaiDiperbarui(**(d | {"unor": UnorData(**d["unor"]) if isinstance(d.get("unor"), dict) else d.get("unor")}))


def pegawai_ekinerja(d: dict[str, Any]) -> PegawaiEkinerjaDiperbarui:
    return PegawaiEkinerjaDiperbarui(**(d | {"skp": [SkpEkinerjaData(**s) if isinstance(s, dict) else s
                                                      for s in d["skp"]]}))


def admin(admin_id: str, email: str, instansi: list[str], versi: int = 1) -> tuple[str, EventPayload]:
    return "referensi.admin_instansi.diperbarui", AdminInstansiDiperbarui(
        admin_id=admin_id, email=email, instansi_ids=instansi, versi=versi)


@dataclass
class Skenario:
    """Break `Dunia` so that exactly #nomor (kondisi) follows; `perbaiki` fixes the data.

    `perbaikan`: "otomatis" (a reference event fixes it and the service retries by itself),
    "ulang" (the stand-in is fixed, the pegawai retries), "tetap" (retry with Tetap
    Lakukan Sinkro), "peringatan" (#4 A: the sync succeeds with a warning).
    """

    id: str
    nomor: int
    aktor: str
    rusak: Callable[[Dunia], None]
    perbaiki: Callable[[Dunia], list[tuple[str, EventPayload]]] = lambda d: []
    perbaikan: str = "otomatis"
    jenis: str = "skp"
    kondisi: str | None = None
    standin: dict[str, Any] | None = None  # PUT /_admin/perilaku/<nip> before the attempt


def _tanpa_rencana(d: Dunia) -> None:
    d.rencana = None


def _rencana_kembali(d: Dunia) -> list:
    baru = Dunia(d.u, random.Random(0))
    d.rencana = baru.rencana | {"ptk_id": d.ptk_id, "nip": d.nip, "npsn": d.npsn,
                                "atasan": AtasanData(jenis="kepala_sekolah", ptk_id=f"kepsek-{d.u}",
                                                     nip=d.nip_atasan, npsn=d.npsn)}
    return [("kinerja.rencana.disepakati", RencanaDisepakati(**d.rencana))]


def _c_rusak(d: Dunia) -> None:
    # Dapodik still has the old school (assigned 2020); SIASN already the new one (since 2024): condition C.
    # The Dapodik record itself was touched in 2024 (another field): that must not make the old school look new.
    d.sekolah["nama"] = "SD Negeri 9 Petang"
    d.rencana |= {"nama_sekolah": "SD Negeri 9 Petang"}
    d.ptk |= {"tmt_sekolah": date(2020, 7, 1), "diperbarui_pada": datetime(2024, 3, 1, tzinfo=timezone.utc)}
    d.siasn |= {"unor": d.siasn["unor"] | {"nama": "SD Negeri 13 Pagi"}, "unor_sejak": "2024-01-02"}


def _c_perbaiki(d: Dunia) -> list:
    return [d.sekolah_baru(d.npsn_lain, "SD Negeri 13 Pagi"),
            d.ptk_v2(npsn_induk=d.npsn_lain, tmt_sekolah=date(2024, 1, 2))]


def _b_rusak(d: Dunia) -> None:
    # Dapodik has the new school (assigned 2024); SIASN still the old one (since 2019): condition B.
    d.sekolah["nama"] = "SD Negeri 5 Petang"
    d.rencana |= {"nama_sekolah": "SD Negeri 5 Petang"}
    d.ptk |= {"tmt_sekolah": date(2024, 1, 10), "diperbarui_pada": datetime(2024, 1, 10, tzinfo=timezone.utc)}
    d.siasn |= {"unor": d.siasn["unor"] | {"nama": "SD Negeri 7 Pagi"}, "unor_sejak": "2019-07-01"}


def _bc_rusak(d: Dunia) -> None:
    # Names differ and no assignment date on either side: which one is outdated cannot be told.
    d.sekolah["nama"] = "SD Negeri 5 Petang"
    d.rencana |= {"nama_sekolah": "SD Negeri 5 Petang"}
    d.siasn |= {"unor": d.siasn["unor"] | {"nama": "SD Negeri 7 Pagi"}, "unor_sejak": None}


SKENARIO: list[Skenario] = [
    Skenario("1-nip", 1, "operator_sekolah", lambda d: d.ptk.update(nip=d.nip_salah),
             lambda d: [d.ptk_v2(nip=d.nip)], kondisi="nip_tidak_sesuai_siasn"),
    Skenario("1-user-pmm", 1, "admin_instansi", lambda d: d.ekinerja.update(pengguna_pmm=False),
             lambda d: [d.ekinerja_v2(pengguna_pmm=True)], kondisi="belum_terdaftar_pengguna_pmm"),
    Skenario("2", 2, "pegawai", _tanpa_rencana, _rencana_kembali),
    Skenario("3", 3, "admin_instansi", lambda d: d.siasn["unor"].update(aktif=False),
             lambda d: [d.siasn_v2(unor=d.siasn["unor"] | {"aktif": True})]),
    Skenario("4-A", 4, "admin_instansi", lambda d: (d.sekolah.update(nama="SDN 4 Pagi"),
                                                    d.rencana.update(nama_sekolah="SDN 4 Pagi")),
             perbaikan="peringatan", kondisi="A"),
    Skenario("4-B", 4, "admin_instansi", _b_rusak,
             lambda d: [d.siasn_v2(unor=d.siasn["unor"] | {"nama": "SD Negeri 5 Petang"}, unor_sejak="2024-01-10")],
             kondisi="B"),
    Skenario("4-C", 4, "operator_sekolah", _c_rusak, _c_perbaiki, kondisi="C"),
    Skenario("4-B-atau-C", 4, "pegawai", _bc_rusak,
             lambda d: [d.siasn_v2(unor=d.siasn["unor"] | {"nama": "SD Negeri 5 Petang"}, unor_sejak="2024-01-10")],
             kondisi="B_atau_C"),
    Skenario("5", 5, "admin_instansi", lambda d: d.siasn["unor"].update(unor_atasan_id=None),
             lambda d: [d.siasn_v2(unor=d.siasn["unor"] | {"unor_atasan_id": f"dinas-{d.u}"})]),
    Skenario("6", 6, "helpdesk_bkn", lambda d: None, perbaikan="ulang",
             standin={"galat": "api_key_tidak_terdaftar"}),
    Skenario("7", 7, "operator_sekolah", lambda d: d.ptk.update(status_kepegawaian="honorer"),
             lambda d: [d.ptk_v2(status_kepegawaian="pppk")]),
    Skenario("8", 8, "helpdesk_bkn", lambda d: None, perbaikan="ulang", standin={"galat": "periode_tidak_sesuai"}),
    Skenario("9", 9, "helpdesk_bkn", lambda d: None, perbaikan="ulang", standin={"gagal_kali": 1000}),
    Skenario("10", 10, "operator_sekolah", lambda d: d.ptk.update(pns_id=f"PNS-LAMA-{d.u}"),
             lambda d: [d.ptk_v2(pns_id=d.pns_id)], kondisi="pns_id_berbeda"),
    Skenario("10-belum-ada", 10, "operator_sekolah", lambda d: d.ptk.update(pns_id=None),
             lambda d: [d.ptk_v2(pns_id=d.pns_id)], kondisi="pns_id_belum_ada"),
    Skenario("11", 11, "admin_instansi", lambda d: d.ekinerja.update(terdaftar=False, unor_id=None),
             lambda d: [d.ekinerja_v2(terdaftar=True, unor_id=d.unor)]),
    Skenario("12", 12, "pegawai",
             lambda d: d.ekinerja.update(skp=[dict(periode=PERIODE, unor_id=f"unor-lama-{d.u}",
                                                   unor_nama="SD Negeri 7 Pagi")]),
             perbaikan="tetap"),
    # #13 is e-Kinerja's answer to an SKP made by hand there after 2023 (the stand-in's own situation)
    Skenario("13", 13, "pegawai", lambda d: None, perbaikan="ulang", standin={"galat": "skp_hanya_lewat_sinkro"}),
    Skenario("14", 14, "pegawai", lambda d: d.rencana.update(rhk=[]),
             lambda d: [("kinerja.rencana.disepakati", RencanaDisepakati(**(d.rencana | {"versi": 2, "rhk": [
                 RhkData(urutan=1, jenis="praktik_kinerja", teks="Meningkatnya kualitas pembelajaran",
                         indikator="Instruksi Pembelajaran")]})))]),
    Skenario("15", 15, "kepala_sekolah", lambda d: setattr(d, "organisasi", None),
             lambda d: [("referensi.skp_organisasi.diperbarui", SkpOrganisasiDiperbarui(
                 atasan_nip=d.nip_atasan, periode=PERIODE, jumlah_rhk=3, versi=1))]),
    Skenario("16", 16, "admin_instansi", lambda d: d.siasn.update(atasan_nip=d.nip_salah),
             lambda d: [d.siasn_v2(atasan_nip=d.nip_atasan)]),
    Skenario("17", 17, "kepala_sekolah", lambda d: d.organisasi.update(jumlah_rhk=0),
             lambda d: [("referensi.skp_organisasi.diperbarui", SkpOrganisasiDiperbarui(
                 atasan_nip=d.nip_atasan, periode=PERIODE, jumlah_rhk=3, versi=2))]),
    Skenario("18", 18, "pegawai", lambda d: None,
             lambda d: [d.ptk_v2(plt=[PenugasanPltData(npsn=d.npsn_plt[0])]),
                        ("kinerja.rencana.disepakati", RencanaDisepakati(**d.skp_plt(0))),
                        d.ekinerja_v2(penugasan_plt=[PltEkinerjaData(unor_id=f"unor-plt-0-{d.u}")])],
             jenis="plt"),
    Skenario("19", 19, "admin_instansi", lambda d: d.jadi_plt(1, 0),
             lambda d: [d.ekinerja_v2(penugasan_plt=[PltEkinerjaData(unor_id=f"unor-plt-0-{d.u}")])], jenis="plt"),
    Skenario("20", 20, "admin_instansi", lambda d: d.jadi_plt(2, 1),
             lambda d: [d.ekinerja_v2(penugasan_plt=[PltEkinerjaData(unor_id=f"unor-plt-{i}-{d.u}")
                                                     for i in range(2)])], jenis="plt"),
]
