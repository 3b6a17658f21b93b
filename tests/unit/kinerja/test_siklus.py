"""The six-month cycle: periods, windows, obligation, cycle ids (P1, P10, P14, P15)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from kinerja.domain import siklus as s
from kinerja.domain.referensi import Ptk
from shared.errors import DomainError

WIB = timezone(timedelta(hours=7))
NOW = datetime(2024, 1, 10, 9, 0, tzinfo=WIB)


def ptk(**ubah) -> Ptk:
    dasar = dict(ptk_id="ptk-1", nama="Budi", nip="198503142010011003", npsn_induk="20100001",
                 status_kepegawaian="pns", jabatan="guru", versi=1)
    dasar.update(ubah)
    return Ptk(**dasar)


def kode(fungsi, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as info:
        fungsi(*args, **kwargs)
    return info.value.kode


# ------------------------------------------------------------------- periode


def test_p1_periode_dua_per_tahun():
    p1, p2 = s.parse_periode("2024-1"), s.parse_periode("2024-2")
    assert (p1.mulai, p1.selesai) == (date(2024, 1, 1), date(2024, 6, 30))
    assert (p2.mulai, p2.selesai) == (date(2024, 7, 1), date(2024, 12, 31))
    assert p1.nama == "Januari-Juni 2024" and str(p2) == "2024-2"
    assert p2.berikutnya().id == "2025-1" and p1.berikutnya().id == "2024-2"


@pytest.mark.parametrize("teks", ["2024-3", "2024-0", "24-1", "2024/1", "2024-1 ", "", "2023-2", "abcd-1", None])
def test_p1_periode_tidak_valid(teks):
    assert kode(s.parse_periode, teks) == "periode_tidak_valid"


def test_p1_periode_untuk_tanggal():
    assert s.periode_untuk_tanggal(date(2024, 6, 30)).id == "2024-1"
    assert s.periode_untuk_tanggal(date(2024, 7, 1)).id == "2024-2"


def test_p1_tanggal_lokal_memakai_wib():
    # 30 June 23:30 UTC is already 1 July in WIB
    assert s.tanggal_lokal(datetime(2024, 6, 30, 17, 30, tzinfo=timezone.utc)) == date(2024, 7, 1)
    with pytest.raises(ValueError):
        s.tanggal_lokal(datetime(2024, 6, 30, 17, 30))


# ------------------------------------------------------------------- jendela


def test_p4_observasi_februari_sampai_mei_dan_cerminannya():
    j1, j2 = s.jendela("observasi", "2024-1"), s.jendela("observasi", "2024-2")
    assert (j1.mulai, j1.selesai) == (date(2024, 2, 1), date(2024, 5, 31))
    assert (j2.mulai, j2.selesai) == (date(2024, 8, 1), date(2024, 11, 30))


def test_p10_penilaian_periode_2_hanya_desember():
    assert s.periksa_jendela("penilaian", "2024-2", date(2024, 12, 1)).tahap is s.Tahap.PENILAIAN
    with pytest.raises(DomainError) as info:
        s.periksa_jendela("penilaian", "2024-2", date(2024, 11, 30))
    e = info.value
    assert e.kode == "di_luar_jadwal"
    assert "1 Desember 2024 sampai 31 Desember 2024" in e.pesan
    assert (e.extra["mulai"], e.extra["selesai"]) == ("2024-12-01", "2024-12-31")


def test_p1_perencanaan_dianjurkan_januari_diterima_sampai_mei():
    j = s.periksa_jendela(s.Tahap.PERENCANAAN, "2024-1", date(2024, 5, 31))
    assert j.anjuran_selesai == date(2024, 1, 31)
    assert kode(s.periksa_jendela, "perencanaan", "2024-1", date(2024, 6, 1)) == "di_luar_jadwal"
    assert kode(s.periksa_jendela, "perencanaan", "2024-2", date(2024, 6, 30)) == "di_luar_jadwal"


def test_p1_periode_ditutup_hanya_baca():
    assert not s.periode_ditutup("2024-1", date(2024, 6, 30))
    assert s.periode_ditutup("2024-1", date(2024, 7, 1))
    with pytest.raises(DomainError) as info:
        s.pastikan_periode_terbuka("2024-1", date(2024, 7, 1))
    assert info.value.kode == "periode_ditutup" and info.value.status == 409
    assert kode(s.pastikan_periode_terbuka, "2024-2", date(2024, 6, 1)) == "periode_belum_dimulai"


def test_p10_penilaian_januari_juni_dapat_dituntaskan_juli_desember():
    """Unfinished Januari-Juni ratings are completed during Juli-Desember (data: penyelesaian_selesai);
    plans and observations of that period stay closed after 30 June."""
    j = s.jendela("penilaian", "2024-1")
    assert (j.selesai, j.batas_akhir) == (date(2024, 6, 30), date(2024, 12, 31))
    assert s.periksa_jendela("penilaian", "2024-1", date(2024, 8, 15)).memuat(date(2024, 12, 31))
    s.pastikan_periode_terbuka("2024-1", date(2024, 8, 15), s.Tahap.PENILAIAN)
    assert kode(s.pastikan_periode_terbuka, "2024-1", date(2025, 1, 1), s.Tahap.PENILAIAN) == "periode_ditutup"
    assert kode(s.pastikan_periode_terbuka, "2024-1", date(2024, 8, 15)) == "periode_ditutup"  # other stages
    assert kode(s.periksa_jendela, "observasi", "2024-1", date(2024, 7, 1)) == "di_luar_jadwal"
    assert "dituntaskan sampai 31 Desember 2024" in j.teks
    # the second period has no catch-up: its ratings end with the year
    assert s.jendela("penilaian", "2024-2").batas_akhir == date(2024, 12, 31)
    assert kode(s.pastikan_periode_terbuka, "2024-2", date(2025, 1, 2), s.Tahap.PENILAIAN) == "periode_ditutup"


def test_p1_periode_2_perlu_konfirmasi_kepala_sekolah():
    assert s.perlu_konfirmasi_kepala_sekolah("2024-2") and not s.perlu_konfirmasi_kepala_sekolah("2025-1")
    s.pastikan_periode_dibuka("2025-1", dikonfirmasi_kepala_sekolah=False)
    s.pastikan_periode_dibuka("2024-2", dikonfirmasi_kepala_sekolah=True)
    assert kode(s.pastikan_periode_dibuka, "2024-2", False) == "periode_belum_dibuka"


# ----------------------------------------------------------------- kewajiban


@pytest.mark.parametrize("status, harapan", [
    ("pns", s.Kewajiban.WAJIB), ("pppk", s.Kewajiban.WAJIB), ("cpns", s.Kewajiban.WAJIB),
    ("pns_diperbantukan", s.Kewajiban.WAJIB), ("honorer", s.Kewajiban.OPSIONAL),
    ("gty", s.Kewajiban.OPSIONAL), ("gtt", s.Kewajiban.OPSIONAL),
])
def test_p1_asn_wajib_non_asn_opsional(status, harapan):
    nip = "199009132022212014" if status == "pppk" else ("198503142010011003" if status in (
        "pns", "cpns", "pns_diperbantukan") else None)
    assert s.kewajiban(ptk(status_kepegawaian=status, nip=nip), "2024-1") is harapan


def test_p15_pensiun_sebelum_penilaian_tidak_wajib():
    # born 10 March 1964: TMT pensiun 1 April 2024, before June's penilaian
    akan_pensiun = ptk(nip="196403101990031002")
    assert s.kewajiban(akan_pensiun, "2024-1") is s.Kewajiban.OPSIONAL
    # born 10 July 1964: retires 1 Aug 2024, after the first period's assessment
    assert s.kewajiban(ptk(nip="196407101990031002"), "2024-1") is s.Kewajiban.WAJIB


# -------------------------------------------------------------------- siklus


def test_p1_siklus_id_deterministik_tidak_berurutan():
    a = s.siklus_id("ptk-1", "2024-1")
    assert a == s.siklus_id("ptk-1", s.parse_periode("2024-1"))
    assert a != s.siklus_id("ptk-1", "2024-2") and a != s.siklus_id("ptk-2", "2024-1")
    assert len(a) == 32 and int(a, 16) >= 0
    assert kode(s.siklus_id, "ptk-1", "2024-7") == "periode_tidak_valid"


def test_p1_buka_siklus_di_sekolah_induk():
    c = s.buka_siklus(ptk(npsn_lain=["20100002"]), "2024-1", now=NOW, dikonfirmasi_kepala_sekolah=False)
    assert c.siklus_id == s.siklus_id("ptk-1", "2024-1")
    assert (c.npsn, c.periode, c.kewajiban, c.status) == ("20100001", "2024-1", s.Kewajiban.WAJIB,
                                                          s.StatusSiklus.AKTIF)


def test_p15_dua_sekolah_siklus_hanya_di_sekolah_induk():
    p = ptk(npsn_lain=["20100002"])
    with pytest.raises(DomainError) as info:
        s.buka_siklus(p, "2024-1", now=NOW, dikonfirmasi_kepala_sekolah=False, npsn_akun="20100002")
    assert info.value.kode == "bukan_sekolah_induk" and "20100001" in info.value.pesan
    # the account of the home school reaches the very same cycle id
    c = s.buka_siklus(p, "2024-1", now=NOW, dikonfirmasi_kepala_sekolah=False, npsn_akun="20100001")
    assert c.siklus_id == s.siklus_id("ptk-1", "2024-1")


def test_p1_buka_siklus_periode_2_menunggu_konfirmasi_dan_jadwal():
    juli = datetime(2024, 7, 2, 8, 0, tzinfo=WIB)
    assert kode(s.buka_siklus, ptk(), "2024-2", now=juli, dikonfirmasi_kepala_sekolah=False) == \
        "periode_belum_dibuka"
    assert s.buka_siklus(ptk(), "2024-2", now=juli, dikonfirmasi_kepala_sekolah=True).periode == "2024-2"
    assert kode(s.buka_siklus, ptk(), "2024-1", now=juli, dikonfirmasi_kepala_sekolah=True) == "periode_ditutup"
    assert kode(s.buka_siklus, ptk(), "2024-1", now=datetime(2024, 6, 3, tzinfo=WIB),
                dikonfirmasi_kepala_sekolah=True) == "di_luar_jadwal"


def test_p15_ptk_tidak_aktif_tidak_membuka_siklus():
    p = ptk(status_keaktifan="meninggal", tanggal_status=date(2024, 1, 2))
    assert kode(s.buka_siklus, p, "2024-1", now=NOW, dikonfirmasi_kepala_sekolah=False) == "ptk_tidak_aktif"


def test_p15_pensiun_tengah_semester_ditandai_lalu_ditutup():
    p = ptk(nip="196403101990031002")
    c = s.buka_siklus(p, "2024-1", now=NOW, dikonfirmasi_kepala_sekolah=False)
    assert [f.kode for f in c.penanda] == ["akan_pensiun"] and c.penanda[0].tanggal == date(2024, 4, 1)
    assert c.kewajiban is s.Kewajiban.OPSIONAL
    pensiun = ptk(nip="196403101990031002", status_keaktifan="pensiun", tanggal_status=date(2024, 4, 1), versi=2)
    tutup = s.terapkan_referensi_ptk(c, pensiun)
    assert tutup.status is s.StatusSiklus.DITUTUP_TIDAK_AKTIF and tutup.versi == c.versi + 1
    assert tutup.penanda[-1].kode == "ptk_tidak_aktif" and tutup.penanda[-1].tanggal == date(2024, 4, 1)
    assert s.terapkan_referensi_ptk(tutup, pensiun) is tutup  # replay: no change
    with pytest.raises(DomainError) as info:
        s.pastikan_siklus_aktif(tutup)
    assert info.value.kode == "siklus_ditutup"
    s.pastikan_siklus_aktif(c)


def test_p15_status_tidak_aktif_setelah_periode_tidak_menutup_siklus_ini():
    c = s.buka_siklus(ptk(), "2024-1", now=NOW, dikonfirmasi_kepala_sekolah=False)
    nanti = ptk(status_keaktifan="mutasi", tanggal_status=date(2024, 7, 15), versi=2)
    assert s.terapkan_referensi_ptk(c, nanti) is c


def test_p15_pindah_sekolah_induk_siklus_ikut_dan_ditandai():
    c = s.buka_siklus(ptk(), "2024-1", now=NOW, dikonfirmasi_kepala_sekolah=False)
    pindah = s.terapkan_referensi_ptk(c, ptk(npsn_induk="20100003", versi=2))
    assert pindah.siklus_id == c.siklus_id and pindah.npsn == "20100003"
    assert pindah.penanda[-1].kode == "sekolah_induk_berubah"


# --- the SKP sebagai Plt. follows Dapodik (P15)
def _sekolah_plt(**ubah):
    from kinerja.domain.referensi import Sekolah

    return Sekolah(**(dict(npsn="20100009", nama="SMP Negeri 9", jenjang="smp", dinas_id="dinas-1",
                               plt_ptk_id="ptk-1", versi=1) | ubah))


def _siklus_plt():
    return s.buka_siklus_plt(ptk(), "20100009", "ptk-1", "2024-1", now=NOW, dikonfirmasi_kepala_sekolah=False)


@pytest.mark.parametrize("ubah, sebab", [({"plt_ptk_id": "ptk-2"}, "Plt. Kepala Sekolah lain"),
                                         ({"plt_ptk_id": None}, "tidak lagi mencatat"),
                                         ({"kepala_sekolah_ptk_id": "ptk-3"}, "Kepala Sekolah definitif")])
def test_p15_skp_plt_ditutup_bila_sekolah_tidak_lagi_mencatatnya_sebagai_plt(ubah, sebab):
    plt = _siklus_plt()
    assert s.terapkan_referensi_plt(plt, ptk(versi=2), _sekolah_plt(), date(2024, 3, 1)) is plt  # still the Plt.
    tutup = s.terapkan_referensi_plt(plt, ptk(versi=2), _sekolah_plt(versi=2, **ubah), date(2024, 3, 1))
    assert tutup.status is s.StatusSiklus.DITUTUP_TIDAK_AKTIF and tutup.versi == plt.versi + 1
    assert tutup.penanda[-1].kode == "plt_berakhir" and sebab in tutup.penanda[-1].pesan
    assert s.terapkan_referensi_plt(tutup, None, _sekolah_plt(versi=2, **ubah), date(2024, 3, 2)) is tutup  # replay
    with pytest.raises(DomainError) as info:
        s.pastikan_siklus_aktif(tutup)
    assert info.value.kode == "siklus_ditutup" and "Plt." in info.value.pesan


def test_p15_skp_plt_ditutup_seperti_siklus_guru_saat_pensiun_dan_tidak_pindah_ke_sekolah_induk():
    plt, pensiun = _siklus_plt(), ptk(status_keaktifan="pensiun", tanggal_status=date(2024, 4, 1), versi=2)
    tutup = s.terapkan_referensi_plt(plt, pensiun, _sekolah_plt(), date(2024, 3, 1))
    assert tutup.status is s.StatusSiklus.DITUTUP_TIDAK_AKTIF and tutup.penanda[-1].kode == "ptk_tidak_aktif"
    assert s.terapkan_referensi_ptk(plt, pensiun).penanda[-1] == tutup.penanda[-1]  # the same closing
    # a move of sekolah induk moves the teacher cycle, never the SKP sebagai Plt. of the school led
    assert s.terapkan_referensi_ptk(plt, ptk(npsn_induk="20100002", versi=2)) is plt
    guru = s.buka_siklus(ptk(), "2024-1", now=NOW, dikonfirmasi_kepala_sekolah=False)
    assert s.terapkan_referensi_plt(guru, pensiun, None, date(2024, 3, 1)) is guru  # not a Plt. cycle
