"""Reference data from Dapodik / Verval PTK / Rapor Pendidikan (S4, P3, P14, P15)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from kinerja.domain.referensi import (
    PESAN_ATASAN_TIDAK_DITEMUKAN,
    DelegasiPenilai,
    Dinas,
    Jabatan,
    JenisAtasan,
    Peran,
    PenugasanPlt,
    Ptk,
    RaporPendidikan,
    Sekolah,
    StatusKepegawaian,
    lebih_baru,
    perkiraan_tanggal_pensiun,
    periksa_email_belajar_id,
    periksa_nip,
    periksa_npsn,
    periksa_nuptk,
    tentukan_atasan,
)
from shared.errors import DomainError

NIP_PNS = "198503142010012003"  # born 1985-03-14, TMT 2010-01, wanita, #003
NIP_PPPK = "199009132022212014"  # born 1990-09-13, PPPK 2022 code 21, wanita, #014
T0 = datetime(2024, 1, 5, 8, 0, tzinfo=timezone.utc)


def ptk(**ubah) -> Ptk:
    dasar = dict(ptk_id="ptk-1", nama="Siti Aminah", nip=NIP_PNS, npsn_induk="20100001",
                 status_kepegawaian="pns", jabatan="guru", versi=1)
    dasar.update(ubah)
    return Ptk(**dasar)


def sekolah(**ubah) -> Sekolah:
    dasar = dict(npsn="20100001", nama="SD Negeri 4 Pagi", jenjang="sd", dinas_id="dinas-3171",
                 kepala_sekolah_ptk_id="ks-1", versi=1)
    dasar.update(ubah)
    return Sekolah(**dasar)


def kode_galat(fungsi, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as info:
        fungsi(*args, **kwargs)
    return info.value.kode


# ------------------------------------------------------------------ NIP


def test_s4_nip_pns_dibaca_per_bagian():
    info = periksa_nip(NIP_PNS, pppk=False)
    assert info.tanggal_lahir == date(1985, 3, 14)
    assert (info.tahun_pengangkatan, info.bulan_pengangkatan) == (2010, 1)
    assert info.jenis_kelamin == "wanita" and info.nomor_urut == 3
    assert info.kode_pppk is None


@pytest.mark.parametrize("nip, kode", [
    ("19850314201001200", "nip_format_tidak_valid"),  # 17 digits
    ("1985031420100120031", "nip_format_tidak_valid"),  # 19 digits
    ("19850314 201001 2 003", "nip_format_tidak_valid"),
    ("198502302010012003", "nip_tanggal_lahir_tidak_valid"),  # 30 Feb
    ("198513142010012003", "nip_tanggal_lahir_tidak_valid"),  # month 13
    ("193001012010012003", "nip_tanggal_lahir_tidak_valid"),  # implausible year
    ("198503141995012003", "nip_tmt_tidak_valid"),  # appointed at 10
    ("198503142010132003", "nip_tmt_tidak_valid"),  # TMT month 13
    ("198503142010002003", "nip_tmt_tidak_valid"),  # TMT month 00
    ("198503142010013003", "nip_jenis_kelamin_tidak_valid"),
    ("198503142010010003", "nip_jenis_kelamin_tidak_valid"),
    ("198503142010012000", "nip_nomor_urut_tidak_valid"),
])
def test_s4_nip_setiap_kesalahan_punya_kode_sendiri(nip, kode):
    assert kode_galat(periksa_nip, nip, pppk=False) == kode


def test_s4_ni_pppk_digit_13_14_adalah_kode_bukan_bulan():
    info = periksa_nip(NIP_PPPK, pppk=True)
    assert info.kode_pppk == "21" and info.bulan_pengangkatan is None
    # status unknown: the known PPPK code is accepted ...
    assert periksa_nip(NIP_PPPK).kode_pppk == "21"
    # ... but a PNS cannot carry it
    assert kode_galat(periksa_nip, NIP_PPPK, pppk=False) == "nip_tmt_tidak_valid"
    # and an unknown code with unknown status is refused
    assert kode_galat(periksa_nip, "199009132022992014") == "nip_tmt_tidak_valid"


def test_s4_ptk_pppk_dengan_ni_pppk_diterima_pns_ditolak():
    assert ptk(nip=NIP_PPPK, status_kepegawaian="pppk").info_nip.kode_pppk == "21"
    assert kode_galat(ptk, nip=NIP_PPPK, status_kepegawaian="pns") == "nip_tmt_tidak_valid"


# --------------------------------------------------------- NPSN, NUPTK, email


@pytest.mark.parametrize("npsn", ["1234567", "123456789", "1234567a", ""])
def test_s4_npsn_harus_8_digit(npsn):
    assert kode_galat(periksa_npsn, npsn) == "npsn_tidak_valid"
    assert kode_galat(sekolah, npsn=npsn) == "npsn_tidak_valid"


def test_s4_nuptk_harus_16_digit():
    assert periksa_nuptk("1234567890123456") == "1234567890123456"
    assert kode_galat(periksa_nuptk, "123456789012345") == "nuptk_tidak_valid"
    assert kode_galat(ptk, nuptk="12345678901234567") == "nuptk_tidak_valid"


def test_p1_akun_madrasah_kemenag_dikenali_dari_domain():
    from kinerja.domain.referensi import akun_kemenag
    assert akun_kemenag("Ahmad@Madrasah.Kemenag.go.id")
    assert akun_kemenag("ahmad@mi.madrasah.kemenag.go.id")
    assert not akun_kemenag("ahmad@guru.sd.belajar.id")
    assert not akun_kemenag("ahmad@bukanmadrasah.kemenag.go.id") and not akun_kemenag(None)
    # a madrasah account is never a Dapodik (belajar.id) identity
    assert kode_galat(periksa_email_belajar_id, "ahmad@madrasah.kemenag.go.id") == "email_bukan_belajar_id"


def test_s4_email_harus_belajar_id():
    assert periksa_email_belajar_id(" Siti@Guru.SD.Belajar.ID ") == "siti@guru.sd.belajar.id"
    assert kode_galat(periksa_email_belajar_id, "siti@gmail.com") == "email_bukan_belajar_id"
    assert kode_galat(periksa_email_belajar_id, "siti@notbelajar.id") == "email_bukan_belajar_id"
    assert kode_galat(ptk, email_belajar_id="x@madrasah.kemenag.go.id") == "email_bukan_belajar_id"


# ------------------------------------------------------------------ PTK rows


def test_p1_status_asn_dan_non_asn():
    asn = {s for s in StatusKepegawaian if s.is_asn}
    assert asn == {StatusKepegawaian.PNS, StatusKepegawaian.PPPK, StatusKepegawaian.CPNS,
                   StatusKepegawaian.PNS_DIPERBANTUKAN}


def test_s4_asn_wajib_nip_non_asn_boleh_tanpa_nip():
    assert kode_galat(ptk, nip=None) == "nip_wajib_untuk_asn"
    honorer = ptk(nip=None, status_kepegawaian="honorer")
    assert honorer.nip is None and not honorer.is_asn


def test_p15_status_tidak_aktif_wajib_bertanggal():
    assert kode_galat(ptk, status_keaktifan="pensiun") == "tanggal_status_wajib"
    pensiun = ptk(status_keaktifan="pensiun", tanggal_status=date(2024, 4, 1))
    assert pensiun.aktif_pada(date(2024, 3, 31)) and not pensiun.aktif_pada(date(2024, 4, 1))


def test_p15_sekolah_lain_tidak_mengulang_sekolah_induk():
    p = ptk(npsn_lain=["20100001", "20100002", "20100002"])
    assert p.npsn_lain == ("20100002",)


def test_p15_peran_plt_dari_penugasan():
    p = ptk(plt=[PenugasanPlt(npsn="20100009", nomor_sk="800/12/2024")])
    assert p.peran == {Peran.GURU, Peran.PLT_KEPALA_SEKOLAH}


def test_p15_perkiraan_pensiun_bulan_berikutnya_usia_60():
    assert perkiraan_tanggal_pensiun(date(1964, 4, 10)) == date(2024, 5, 1)
    assert perkiraan_tanggal_pensiun(date(1964, 12, 31)) == date(2025, 1, 1)


def test_s4_rapor_menolak_rekomendasi_ganda():
    with pytest.raises(DomainError) as info:
        RaporPendidikan(npsn="20100001", tahun=2024, versi=1,
                        rekomendasi=[{"sub_indikator_id": "D1.1", "prioritas": 1},
                                     {"sub_indikator_id": "D1.1", "prioritas": 2}])
    assert info.value.kode == "rekomendasi_rapor_ganda"


def test_s4_referensi_tanpa_versi_maupun_waktu_ditolak():
    assert kode_galat(ptk, versi=None) == "versi_referensi_wajib"


# ----------------------------------------------------------------- newest wins


def test_s4_lebih_baru_membandingkan_versi_lalu_waktu():
    lama, baru = ptk(versi=3), ptk(versi=4, nama="Siti A.")
    assert lebih_baru(baru, lama) and not lebih_baru(lama, baru)
    assert not lebih_baru(lama, ptk(versi=3))  # replay changes nothing
    t_lama = ptk(versi=None, diperbarui_pada=T0)
    t_baru = ptk(versi=None, diperbarui_pada=T0 + timedelta(seconds=1))
    assert lebih_baru(t_baru, t_lama) and not lebih_baru(t_lama, t_baru)
    # same versi: the timestamp breaks the tie
    assert lebih_baru(ptk(versi=3, diperbarui_pada=T0 + timedelta(hours=1)), ptk(versi=3, diperbarui_pada=T0))


def test_s4_lebih_baru_tidak_menebak_bila_tidak_sebanding():
    assert kode_galat(lebih_baru, ptk(versi=5), ptk(versi=None, diperbarui_pada=T0)) == \
        "versi_referensi_tidak_sebanding"


def test_s4_waktu_tanpa_zona_ditolak():
    with pytest.raises(Exception):
        ptk(versi=None, diperbarui_pada=datetime(2024, 1, 1))


# ----------------------------------------------------------------- atasan


def test_p3_atasan_guru_adalah_kepala_sekolah_definitif_perlu_persetujuan():
    a = tentukan_atasan(ptk(), sekolah(plt_ptk_id="plt-1"))
    assert (a.jenis, a.id, a.perlu_persetujuan) == (JenisAtasan.KEPALA_SEKOLAH, "ks-1", True)


def test_p3_p15_hanya_plt_disetujui_otomatis():
    a = tentukan_atasan(ptk(jabatan="guru_bk"), sekolah(kepala_sekolah_ptk_id=None, plt_ptk_id="plt-1"))
    assert (a.jenis, a.id, a.perlu_persetujuan) == (JenisAtasan.PLT_KEPALA_SEKOLAH, "plt-1", False)


def test_p3_p15_tanpa_atasan_pesan_dan_tindak_lanjut_operator():
    with pytest.raises(DomainError) as info:
        tentukan_atasan(ptk(), sekolah(kepala_sekolah_ptk_id=None))
    e = info.value
    assert e.kode == "atasan_tidak_ditemukan"
    assert e.pesan.startswith(PESAN_ATASAN_TIDAK_DITEMUKAN)
    assert "Operator Sekolah" in e.pesan and "Dapodik" in e.pesan
    assert e.extra["aktor"] == "operator_sekolah"


def test_p14_atasan_kepala_sekolah_adalah_kepala_dinas():
    ks = ptk(ptk_id="ks-1", jabatan=Jabatan.KEPALA_SEKOLAH)
    dinas = Dinas(dinas_id="dinas-3171", nama="Dinas Pendidikan Kota X", kepala_dinas_id="kadis-1", versi=1)
    a = tentukan_atasan(ks, sekolah(), dinas)
    assert (a.jenis, a.id, a.perlu_persetujuan) == (JenisAtasan.KEPALA_DINAS, "kadis-1", True)


def test_p14_kepala_sekolah_dinilai_pengawas_bila_didelegasikan():
    ks = ptk(ptk_id="ks-1", jabatan="kepala_sekolah")
    s = sekolah(delegasi_penilai=DelegasiPenilai(pengawas_id="pgw-7", nomor_sk="421/55/2024"))
    a = tentukan_atasan(ks, s, None)
    assert (a.jenis, a.id, a.nomor_sk) == (JenisAtasan.PENGAWAS, "pgw-7", "421/55/2024")


def test_p14_kepala_sekolah_tanpa_data_dinas_ditolak():
    ks = ptk(ptk_id="ks-1", jabatan="kepala_sekolah")
    lain = Dinas(dinas_id="dinas-lain", nama="Dinas Lain", kepala_dinas_id="kadis-9", versi=1)
    for dinas in (None, lain):
        with pytest.raises(DomainError) as info:
            tentukan_atasan(ks, sekolah(), dinas)
        assert info.value.kode == "atasan_tidak_ditemukan"
        assert info.value.extra["aktor"] == "dinas_pendidikan"


def test_p15_guru_yang_tercatat_kepala_sekolah_tidak_menyetujui_dirinya_sendiri():
    """Dapodik names this 'guru' as the school's KS: routed to the Kepala Dinas, not to themself."""
    dinas = Dinas(dinas_id="dinas-3171", nama="Dinas", kepala_dinas_id="kadis-1", versi=1)
    a = tentukan_atasan(ptk(ptk_id="ks-1"), sekolah(), dinas)
    assert a.jenis is JenisAtasan.KEPALA_DINAS


def test_p15_atasan_hanya_dari_sekolah_induk():
    assert kode_galat(tentukan_atasan, ptk(npsn_lain=["20100002"]), sekolah(npsn="20100002")) == \
        "bukan_sekolah_induk"


# ------------------------------------------------------------------ pengawas (P14)
def test_p14_pengawas_status_aktif_atau_nonaktif_saja():
    from kinerja.domain.referensi import Pengawas

    p = Pengawas(pengawas_id="pgw-1", nama="Pak Pengawas", dinas_id="dinas-1", versi=1)
    assert p.aktif
    assert not Pengawas(pengawas_id="pgw-1", nama="Pak Pengawas", dinas_id="dinas-1", status="nonaktif", versi=2).aktif
    with pytest.raises(ValueError):
        Pengawas(pengawas_id="pgw-1", nama="Pak Pengawas", dinas_id="dinas-1", status="pensiun", versi=1)
    assert lebih_baru(Pengawas(pengawas_id="pgw-1", nama="B", dinas_id="d", versi=2), p)
    assert not lebih_baru(p, p)


def test_p14_pengawas_yang_didelegasikan_dikenali_sebagai_penilai_kepala_sekolah():
    from kinerja.service.akses import Aktor, penilai_untuk

    sekolah = Sekolah(npsn="20100001", nama="SDN 1", jenjang="sd", dinas_id="dinas-1", kepala_sekolah_ptk_id="ks-1",
                      delegasi_penilai=DelegasiPenilai(pengawas_id="pgw-1", nomor_sk="SK/1"), versi=1)
    dinas = Dinas(dinas_id="dinas-1", nama="Dinas Pendidikan", kepala_dinas_id="kd-1", versi=1)
    pj = penilai_untuk(Jabatan.KEPALA_SEKOLAH, "ks-1", sekolah, dinas)
    pengawas = Aktor(id="pgw-1", ptk_id=None, kepala_dinas_id=None, dinas_id=None, pengawas_id="pgw-1")
    assert pengawas.ids == ("pgw-1",) and pengawas.sebagai_penilai(pj) == "pgw-1"
    # a PTK who is also the delegated pengawas acts on the principal as the pengawas
    guru_pengawas = Aktor(id="guru-9", ptk_id="guru-9", kepala_dinas_id=None, dinas_id=None, pengawas_id="pgw-1")
    assert guru_pengawas.ids == ("guru-9", "pgw-1") and guru_pengawas.sebagai_penilai(pj) == "pgw-1"
    # another pengawas keeps their own id, which the Pejabat Penilai does not know (refused by the checks)
    lain = Aktor(id="pgw-2", ptk_id=None, kepala_dinas_id=None, dinas_id=None, pengawas_id="pgw-2")
    assert lain.sebagai_penilai(pj) == "pgw-2" and "pgw-2" not in pj.ids()
    # without delegation only the Kepala Dinas rates the principal
    tanpa = penilai_untuk(Jabatan.KEPALA_SEKOLAH, "ks-1", sekolah.model_copy(update={"delegasi_penilai": None}), dinas)
    assert pengawas.sebagai_penilai(tanpa) == "pgw-1" and "pgw-1" not in tanpa.ids()
