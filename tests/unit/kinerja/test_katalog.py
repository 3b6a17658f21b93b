"""Catalogues as versioned data (P2, P5, P7, P13)."""
from __future__ import annotations

import pytest

from kinerja.domain import katalog
from kinerja.domain.referensi import Jabatan, Jenjang
from shared.errors import DomainError

LIMA_TERKONFIRMASI = {"Penerapan Disiplin Positif", "Keteraturan Suasana Kelas", "Umpan Balik Konstruktif",
                      "Perhatian dan Kepedulian", "Instruksi Pembelajaran"}


def test_p2_d1_delapan_sub_indikator_lima_terkonfirmasi_tiga_ditandai_pilihan_tim():
    d1 = katalog.sub_indikator_untuk(Jabatan.GURU)
    assert len(d1) == 8 and {s.indikator for s in d1} == {"D1"}
    assert {s.nama for s in d1 if s.terkonfirmasi} == LIMA_TERKONFIRMASI
    dipilih = [s for s in d1 if not s.terkonfirmasi]
    assert len(dipilih) == 3 and all("belum terkonfirmasi" in s.sumber for s in dipilih)
    assert {s.komponen for s in d1} == {"manajemen_kelas", "dukungan_psikologis", "metode_pembelajaran"}


def test_p2_p14_p15_indikator_menurut_jabatan():
    assert katalog.indikator_untuk(Jabatan.GURU).nama == "Kualitas Pembelajaran"
    assert katalog.indikator_untuk(Jabatan.GURU_BK).id == "D1"  # P15: guru BK chooses from D1 too
    d3 = katalog.sub_indikator_untuk(Jabatan.KEPALA_SEKOLAH)
    assert katalog.indikator_untuk(Jabatan.KEPALA_SEKOLAH).nama == "Kepemimpinan Pembelajaran"
    assert len(d3) == 8 and {s.indikator for s in d3} == {"D3"}


def test_p5_setiap_sub_indikator_tiga_fokus_dengan_rubrik():
    for s in katalog.katalog_sub_indikator().sub_indikator:
        assert len(s.fokus_perilaku) == 3, s.id
        for f in s.fokus_perilaku:
            assert f.dianjurkan and f.dihindari, f.id
            assert set(f.dianjurkan).isdisjoint(f.dihindari)
    assert katalog.fokus_perilaku("D1.2.2").nama == "Konsekuensi yang mendidik"


def test_p6_skala_observasi_tiga_tingkat_berurutan():
    assert [n.nama for n in katalog.skala_observasi()] == [
        "Belum Dilakukan", "Dilakukan tapi Belum Efektif", "Dilakukan dan Efektif"]
    assert katalog.nilai_skala("dilakukan_efektif").urutan == 3


def test_p2_pengembangan_kompetensi_poin_dan_kategori():
    assert (katalog.batas_poin().minimal, katalog.batas_poin().maksimal) == (32, 128)
    k = katalog.kegiatan_pengembangan("pemimpin_komunitas_belajar")
    assert (k.poin, k.kategori) == (36, "kontribusi_komunitas")
    poin = {k.id: k.poin for k in katalog.katalog_pengembangan().kegiatan}
    assert poin["pelatihan_mandiri_aksi_nyata"] == 8 and poin["peserta_sesi_komunitas_belajar"] == 4
    assert poin["peninjau_cerita_praktik_baik"] == 6
    assert {k.id for k in katalog.katalog_pengembangan().kategori} == {
        "pendidikan", "pelatihan", "non_pelatihan", "kontribusi_komunitas", "kontribusi_sumber_belajar"}


def test_p2_tugas_tambahan_menurut_jenjang():
    sd = {t.id for t in katalog.tugas_tambahan_untuk(Jenjang.SD)}
    smk = {t.id for t in katalog.tugas_tambahan_untuk(Jenjang.SMK)}
    assert "wakil_kepala_satuan_pendidikan" not in sd and "wakil_kepala_satuan_pendidikan" in smk
    assert "ketua_program_keahlian" in smk and "ketua_program_keahlian" not in sd
    assert "wali_kelas" in sd and "kepala_perpustakaan" in sd


def test_p13_tujuh_nilai_berakhlak():
    assert [n.nama for n in katalog.daftar_perilaku_kerja()] == [
        "Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"]
    assert all(n.deskripsi for n in katalog.daftar_perilaku_kerja())


def test_p7_materi_pmm_terkait_sub_indikator():
    ids = {m.id for m in katalog.materi_untuk("D1.2")}
    assert "pm-disiplin-positif" in ids and "pm-kosp" not in ids
    # every sub-indikator has at least one material to follow up with
    for s in katalog.katalog_sub_indikator().sub_indikator:
        assert katalog.materi_untuk(s.id), s.id


@pytest.mark.parametrize("fungsi, kode", [
    (katalog.sub_indikator, "sub_indikator_tidak_dikenal"),
    (katalog.fokus_perilaku, "fokus_perilaku_tidak_dikenal"),
    (katalog.nilai_skala, "skala_observasi_tidak_dikenal"),
    (katalog.kegiatan_pengembangan, "kegiatan_pengembangan_tidak_dikenal"),
    (katalog.tugas_tambahan, "tugas_tambahan_tidak_dikenal"),
    (katalog.perilaku_kerja, "perilaku_kerja_tidak_dikenal"),
    (katalog.materi_pmm, "materi_tidak_dikenal"),
    (katalog.materi_untuk, "sub_indikator_tidak_dikenal"),
])
def test_p2_id_tidak_dikenal_ditolak_dengan_kode(fungsi, kode):
    with pytest.raises(DomainError) as info:
        fungsi("tidak-ada")
    assert info.value.kode == kode and info.value.pesan


def test_p2_setiap_katalog_berversi():
    versi = katalog.versi_katalog()
    assert set(versi) == {"sub_indikator", "pengembangan_kompetensi", "tugas_tambahan", "perilaku_kerja",
                          "materi_pmm", "tindak_lanjut"}
    assert all(versi.values())


def test_p2_katalog_rusak_ditolak_saat_dimuat():
    """A data edit that breaks the shape (7 sub-indikator) fails at load, not later in a plan."""
    isi = katalog.katalog_sub_indikator().model_dump()
    isi["sub_indikator"] = isi["sub_indikator"][1:]
    with pytest.raises(ValueError):
        katalog.KatalogSubIndikator.model_validate(isi)


def test_p2_setiap_berkas_data_berversi_dan_bersumber():
    """A regulation change is an edit of data: every data file names its version and source."""
    from importlib import resources

    from kinerja import data

    berkas = [p.name[:-5] for p in resources.files(data).iterdir() if p.name.endswith(".json")]
    assert {"sub_indikator", "pengembangan_kompetensi", "tugas_tambahan", "perilaku_kerja", "materi_pmm",
            "jadwal", "rhk", "aturan_referensi"} <= set(berkas)
    for nama in berkas:
        isi = data.muat(nama)
        assert isi["versi"] and isi["sumber"], nama


def test_p7_pilihan_tindak_lanjut_dari_data():
    """Dokumen Tindak Lanjut goals and support are data, unknown ids refused (P7)."""
    assert katalog.tujuan_tindak_lanjut("merancang_ulang_perangkat_ajar").nama
    assert katalog.dukungan_tindak_lanjut("komunitas_belajar").nama
    with pytest.raises(DomainError) as info:
        katalog.tujuan_tindak_lanjut("jalan-jalan")
    assert info.value.kode == "tujuan_tindak_lanjut_tidak_dikenal"
    with pytest.raises(DomainError) as info:
        katalog.dukungan_tindak_lanjut("uang")
    assert info.value.kode == "dukungan_tidak_dikenal"
