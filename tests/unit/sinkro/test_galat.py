"""S2/S3: the catalogue of the 20 documented sync errors (SRC-BIMTEK-MAPPI, slides 48-65)."""
import re

import pytest

from shared.errors import DomainError
from sinkro.domain.galat import (
    KATALOG,
    Aktor,
    Golongan,
    SinkroGagal,
    entri,
    entri_menurut_kode,
)


def test_s3_katalog_memuat_tepat_nomor_1_sampai_20():
    assert sorted(KATALOG) == list(range(1, 21))


def test_s3_kode_stabil_unik_dan_snake_case():
    kode = [e.kode for e in KATALOG.values()]
    assert len(set(kode)) == 20
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", k) for k in kode)


def test_s2_setiap_galat_punya_aktor_tindak_lanjut_dan_sumber():
    for e in KATALOG.values():
        assert isinstance(e.aktor, Aktor)
        assert e.tindak_lanjut and all(t.strip() for t in e.tindak_lanjut)
        assert e.sumber.startswith("SRC-BIMTEK-MAPPI, slide")


def test_s3_hanya_galat_9_yang_diulang_otomatis():
    assert [n for n, e in KATALOG.items() if e.dapat_diulang_otomatis] == [9]


@pytest.mark.parametrize(
    ("nomor", "aktor"),
    [
        (1, Aktor.operator_sekolah),
        (2, Aktor.pegawai),
        (3, Aktor.admin_instansi),
        (5, Aktor.admin_instansi),
        (6, Aktor.helpdesk_bkn),
        (7, Aktor.operator_sekolah),
        (8, Aktor.helpdesk_bkn),
        (9, Aktor.helpdesk_bkn),
        (10, Aktor.operator_sekolah),
        (11, Aktor.admin_instansi),
        (12, Aktor.pegawai),
        (13, Aktor.pegawai),
        (14, Aktor.pegawai),
        (15, Aktor.kepala_sekolah),
        (16, Aktor.admin_instansi),
        (17, Aktor.kepala_sekolah),
        (18, Aktor.pegawai),
        (19, Aktor.admin_instansi),
        (20, Aktor.admin_instansi),
    ],
)
def test_s2_aktor_menurut_sumber(nomor, aktor):
    assert entri(nomor).aktor is aktor


def test_s3_judul_sumber_tercatat_apa_adanya():
    """Headings as the source writes them, so admins recognise e-Kinerja's messages."""
    assert entri(6).judul_seed == "xApiKey does not exists in whitelist"
    assert entri(8).judul_seed == "Unexpected period value"
    assert entri(9).judul_seed == "Request failed with status code 500"
    assert "unor_id" in entri(11).judul_seed
    assert entri(2).pesan == "Pegawai belum membuat SKP di PMM"


def test_s3_pesan_berbahasa_indonesia_juga_untuk_judul_inggris_6_8_9_11():
    for nomor in (6, 8, 9, 11):
        e = entri(nomor)
        assert e.pesan != e.judul_seed
        assert re.search(r"\b(tidak|gagal|belum)\b", e.pesan)


def test_s3_golongan_sesuai_bagian_sumber():
    assert {n for n, e in KATALOG.items() if e.golongan is Golongan.guru} == {15, 16, 17}
    assert {n for n, e in KATALOG.items() if e.golongan is Golongan.plt_kepala_sekolah} == {18, 19, 20}


def test_s3_galat_4_kondisi_a_boleh_lanjut_b_dan_c_tidak():
    e = entri(4)
    assert [k.kondisi for k in e.kondisi] == ["A", "B", "B_atau_C", "C"]
    assert e.cari_kondisi("A").boleh_lanjut is True
    assert e.cari_kondisi("B").boleh_lanjut is False
    assert e.cari_kondisi("B").aktor is Aktor.admin_instansi
    assert e.cari_kondisi("C").boleh_lanjut is False
    assert e.cari_kondisi("C").aktor is Aktor.operator_sekolah
    assert "SDN 4 Pagi" in e.cari_kondisi("A").keterangan


def test_s3_galat_1_dua_penyebab_dengan_aktor_berbeda():
    e = entri(1)
    assert e.cari_kondisi("nip_tidak_sesuai_siasn").aktor is Aktor.operator_sekolah
    assert e.cari_kondisi("belum_terdaftar_pengguna_pmm").aktor is Aktor.admin_instansi


def test_s3_cari_menurut_kode():
    assert entri_menurut_kode("periode_tidak_sesuai").nomor == 8
    assert entri_menurut_kode("tidak_ada") is None
    with pytest.raises(KeyError):
        entri(21)


def test_s2_sinkro_gagal_membawa_nomor_aktor_tindak_lanjut_dan_nilai_berdampingan():
    """#16: superior differs; both NIPs side by side for the Admin Instansi."""
    galat = SinkroGagal(16, nilai_pmm="198001012005011001", nilai_bkn="197501012000031002")
    assert isinstance(galat, DomainError)
    assert galat.kode == "atasan_tidak_sama"
    assert galat.nomor == 16
    assert galat.aktor is Aktor.admin_instansi
    assert galat.extra["nomor_galat"] == 16
    assert galat.extra["aktor"] == "admin_instansi"
    assert galat.extra["nilai_pmm"] == "198001012005011001"
    assert galat.extra["nilai_bkn"] == "197501012000031002"
    assert galat.extra["tindak_lanjut"] == list(entri(16).tindak_lanjut)
    assert galat.ringkasan()["kode"] == "atasan_tidak_sama"


def test_s3_sinkro_gagal_kondisi_mengganti_aktor_dan_tindak_lanjut():
    """#4 condition C: Dapodik not updated, so the school operator acts."""
    galat = SinkroGagal(4, kondisi="C", nilai_pmm="SD Negeri 9 Petang", nilai_bkn="SD Negeri 13 Pagi")
    assert galat.aktor is Aktor.operator_sekolah
    assert galat.kondisi == "C"
    assert any("Dapodik" in t for t in galat.tindak_lanjut)
    with pytest.raises(KeyError):
        SinkroGagal(4, kondisi="D")


def test_s3_status_http_galat_9_sementara_dan_12_konflik():
    assert SinkroGagal(9).status == 503
    assert SinkroGagal(9).dapat_diulang_otomatis is True
    assert SinkroGagal(12).status == 409
    assert SinkroGagal(14).status == 422


def test_tindak_lanjut_menyebut_bkd_instansi_pegawai_bukan_hubungi_bkd_umum():
    """SRC-BIMTEK-MAPPI slide 49: the Admin Instansi to contact is the INSTANSI on the pegawai's e-Kinerja profile
    ("Pemerintah Provinsi Jawa Tengah" -> BKD Provinsi Jawa Tengah)."""
    from sinkro.domain.galat import sebut_instansi

    galat = sebut_instansi(SinkroGagal(3), "inst-33", "Pemerintah Provinsi Jawa Tengah")
    assert galat.extra["hubungi"] == {"instansi_id": "inst-33", "instansi_nama": "Pemerintah Provinsi Jawa Tengah",
                                      "bkd": "BKD Provinsi Jawa Tengah"}
    assert "BKD Provinsi Jawa Tengah" in galat.tindak_lanjut[-1]
    assert list(galat.tindak_lanjut[:-1]) == list(entri(3).tindak_lanjut)
    # only the name's id known: still names it, and where to read the name
    tanpa_nama = sebut_instansi(SinkroGagal(1, kondisi="belum_terdaftar_pengguna_pmm"), "inst-33", None)
    assert "inst-33" in tanpa_nama.tindak_lanjut[-1] and "kinerja.bkn.go.id/profil" in tanpa_nama.tindak_lanjut[-1]
    # a follow-up that needs no admin is left alone
    assert "hubungi" not in sebut_instansi(SinkroGagal(7), "inst-33", "Pemerintah Kota Harapan").extra
