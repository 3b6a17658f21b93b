"""Reference tables of Bukti Karya (K2 categories as data, K5 metadata lists)."""
import re

import pytest

from shared.errors import DomainError
from karya.domain.referensi import kategori, mata_pelajaran, tingkat_kelas
from karya.domain.referensi.mata_pelajaran import cocok_dengan_tingkat, pastikan_cocok

ID = re.compile(r"^[a-z][a-z0-9_]*$")


def test_k2_kategori_aktif_hanya_dua_dari_bukti_karya_dan_urut():
    assert [k.kode for k in kategori.daftar_kategori()] == ["praktik_pembelajaran", "materi_ajar"]


def test_k2_kategori_mendatang_ada_sebagai_data_tidak_aktif():
    semua = {k.kode: k for k in kategori.daftar_kategori(termasuk_tidak_aktif=True)}
    assert not semua["praktik_baik"].aktif and not semua["simulasi_mengajar"].aktif


def test_k2_label_dan_deskripsi_dari_bukti_karya():
    k = kategori.cari_kategori("praktik_pembelajaran")
    assert k.label == "Praktik Pembelajaran"
    assert "tatap muka" in k.deskripsi and "jarak jauh" in k.deskripsi
    assert "belajar secara mandiri" in kategori.cari_kategori("materi_ajar").deskripsi


def test_k2_kategori_tidak_dikenal_punya_kode_sendiri():
    with pytest.raises(DomainError) as e:
        kategori.cari_kategori("vlog")
    assert e.value.kode == "kategori_tidak_dikenal" and e.value.extra["kategori"] == "vlog"


def test_k2_kategori_tidak_aktif_ditolak_untuk_karya_baru_tapi_terbaca_untuk_karya_lama():
    with pytest.raises(DomainError) as e:
        kategori.cari_kategori("praktik_baik")
    assert e.value.kode == "kategori_belum_tersedia"
    assert kategori.cari_kategori("praktik_baik", hanya_aktif=False).kode == "praktik_baik"


def test_k5_tingkat_kelas_paud_sampai_kelas_13_smk():
    ids = [t.id for t in tingkat_kelas.daftar_tingkat_kelas()]
    assert ids[:3] == ["paud_kb", "tk_a", "tk_b"]
    assert ids[3:] == [f"kelas_{n}" for n in range(1, 14)]
    assert tingkat_kelas.cari_tingkat_kelas("kelas_13").jenjang == ("smk",)
    assert tingkat_kelas.cari_tingkat_kelas("kelas_10").jenjang == ("sma", "smk")
    assert tingkat_kelas.cari_tingkat_kelas("kelas_4").fase == "B"


def test_k5_tingkat_kelas_tidak_dikenal_punya_kode_sendiri():
    with pytest.raises(DomainError) as e:
        tingkat_kelas.cari_tingkat_kelas("kelas_14")
    assert e.value.kode == "tingkat_kelas_tidak_dikenal"


def test_k5_mata_pelajaran_tidak_dikenal_punya_kode_sendiri():
    with pytest.raises(DomainError) as e:
        mata_pelajaran.cari_mata_pelajaran("PPKn")
    assert e.value.kode == "mata_pelajaran_tidak_dikenal"


def test_k5_id_stabil_unik_dan_snake_case():
    for tabel in (
        [m.id for m in mata_pelajaran.MATA_PELAJARAN],
        [t.id for t in tingkat_kelas.TINGKAT_KELAS],
        [k.kode for k in kategori.KATEGORI],
    ):
        assert len(tabel) == len(set(tabel))
        assert all(ID.match(i) for i in tabel)


def test_k5_setiap_jenjang_punya_mata_pelajaran_dan_setiap_mapel_punya_jenjang_dikenal():
    for jenjang in tingkat_kelas.JENJANG:
        assert mata_pelajaran.daftar_mata_pelajaran(jenjang), jenjang
    for m in mata_pelajaran.MATA_PELAJARAN:
        assert m.jenjang and set(m.jenjang) <= set(tingkat_kelas.JENJANG), m.id


def test_k5_mata_pelajaran_kurikulum_merdeka_per_jenjang():
    sd = {m.id for m in mata_pelajaran.daftar_mata_pelajaran("sd")}
    smp = {m.id for m in mata_pelajaran.daftar_mata_pelajaran("smp")}
    smk = {m.id for m in mata_pelajaran.daftar_mata_pelajaran("smk")}
    assert {"ipas", "pendidikan_pancasila", "bahasa_indonesia", "matematika"} <= sd
    assert "fisika" not in sd and "ipa" not in sd
    assert {"ipa", "ips", "informatika"} <= smp and "ipas" not in smp
    assert {"dasar_program_keahlian", "projek_ipas", "sejarah"} <= smk


def test_k5_mapel_harus_cocok_dengan_jenjang_tingkat_kelas():
    fisika = mata_pelajaran.cari_mata_pelajaran("fisika")
    assert cocok_dengan_tingkat(fisika, tingkat_kelas.cari_tingkat_kelas("kelas_11"))
    with pytest.raises(DomainError) as e:
        pastikan_cocok(fisika, tingkat_kelas.cari_tingkat_kelas("kelas_4"))
    assert e.value.kode == "mata_pelajaran_tidak_sesuai_tingkat"
    # kelas 10-12 serve both SMA and SMK subjects
    pastikan_cocok(
        mata_pelajaran.cari_mata_pelajaran("konsentrasi_keahlian"),
        tingkat_kelas.cari_tingkat_kelas("kelas_12"),
    )
