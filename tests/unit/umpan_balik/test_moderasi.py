"""Moderation of feedback texts: no SARA insults, no hate speech (U3)."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from shared.errors import DomainError
from umpan_balik.domain.kuesioner import kuesioner_terkini
from umpan_balik.domain.moderasi import (
    leksikon_bawaan,
    normalisasi_teks,
    periksa_teks,
    tolak_jika_tidak_pantas,
)
from umpan_balik.domain.validasi import UmpanBalikMasuk, validasi_umpan_balik

DATA = Path(__file__).parents[3] / "services/umpan_balik/umpan_balik/data"


def ditolak(teks: str) -> bool:
    return not periksa_teks(teks).aman


# -- each normalisation trick -------------------------------------------------

@pytest.mark.parametrize(
    "teks",
    [
        pytest.param("Dasar kafir", id="polos"),
        pytest.param("DASAR KAFIR!!!", id="huruf_besar"),
        pytest.param("dasar k4f1r", id="leet_4_1"),
        pytest.param("guru k@f!r", id="leet_at_seru"),
        pytest.param("n3gr0 kayak kamu", id="leet_3_0"),
        pytest.param("Kristen se$at", id="leet_dolar"),
        pytest.param("kaaafiiirrr semua", id="huruf_berulang"),
        pytest.param("guru k a f i r", id="spasi_antarhuruf"),
        pytest.param("guru k.a.f.i.r", id="titik_antarhuruf"),
        pytest.param("guru k-a-f-i-r", id="tanda_hubung_antarhuruf"),
        pytest.param("guru k_a_f_i_r", id="garis_bawah_antarhuruf"),
        pytest.param("guru k*a*f*i*r", id="bintang_antarhuruf"),
        pytest.param("guru k*fir", id="bintang_menyamarkan_huruf"),
        pytest.param("guru ka fir", id="kata_dipotong"),
        pytest.param("guru KÁFÎR", id="diakritik"),
        pytest.param("guru ｋａｆｉｒ", id="huruf_lebar_nfkc"),
        pytest.param("guru 𝐤𝐚𝐟𝐢𝐫", id="huruf_matematis_nfkc"),
        pytest.param("guru kаfіr", id="homoglif_kiril"),
        pytest.param("guru καfιr", id="homoglif_yunani"),
        pytest.param("guru ka\u200bf\u00adir", id="karakter_tak_terlihat"),
        pytest.param("guru kafir2 itu", id="reduplikasi_angka_2"),
        pytest.param("gurunya kafirnya", id="akhiran_nya"),
        pytest.param("C!na b4b!", id="seru_di_akhir_sebagai_i"),
    ],
)
def test_u3_trik_penyamaran_tetap_terdeteksi(teks):
    assert ditolak(teks)


@pytest.mark.parametrize(
    "masuk, keluar",
    [
        ("ＫÂFÌR", "kafir"),
        ("сіnа", "cina"),  # Cyrillic с, і, а
        ("ka\u200bfir", "kafir"),
        ("𝐤𝐚𝐟𝐢𝐫", "kafir"),
        ("Ağama", "agama"),
    ],
)
def test_u3_normalisasi_teks_ke_ejaan_latin_kecil(masuk, keluar):
    assert normalisasi_teks(masuk) == keluar


# -- no false positives on ordinary words -------------------------------------

@pytest.mark.parametrize(
    "teks",
    [
        pytest.param("Murid berhitung dengan jari kelingking.", id="kelingking_memuat_slur"),
        pytest.param("Model pembuluh kapiler dari sedotan.", id="kapiler"),
        pytest.param("Cari letak negara Niger di peta.", id="niger_beda_huruf_ganda"),
        pytest.param("Montenegro di Semenanjung Balkan.", id="montenegro"),
        pytest.param("Peran Babinsa di desa.", id="babinsa"),
        pytest.param("Kaum bangsawan Majapahit.", id="bangsawan"),
        pytest.param("Kafilah dagang dari Arab.", id="kafilah"),
        pytest.param("Tafsir surat Al-Kafirun tentang toleransi.", id="al_kafirun"),
        pytest.param("Cara membasmi hama wereng.", id="basmi_hama"),
        pytest.param("Konsep dasar Islam tentang kejujuran.", id="dasar_di_tengah_kalimat"),
        pytest.param("Dasar-dasar pemrograman dengan Scratch.", id="dasar_dasar"),
        pytest.param("Keragaman suku Jawa, Batak, dan Papua.", id="nama_suku_netral"),
        pytest.param("Hewan mamalia: monyet, anjing, babi hutan.", id="nama_hewan"),
        pytest.param("Cebong berubah menjadi katak.", id="cebong_berudu"),
        pytest.param("Nilai naik dari 70 menjadi 85 di kelas 5.", id="angka_bukan_leet"),
        pytest.param("S U P E R! Gurunya keren b4nget.", id="ejaan_main_main_kata_biasa"),
    ],
)
def test_u3_kata_biasa_tidak_ditolak(teks):
    assert not ditolak(teks)


@pytest.mark.parametrize(
    "teks",
    [
        "Kisah hijrah menghindari kejaran kafir Quraisy.",
        "Guru dari Kecamatan Keling, Jepara.",
        "Sungai Rio Negro di Amazon.",
    ],
)
def test_u3_frasa_pengizinan_lolos(teks):
    assert not ditolak(teks)


def test_u3_pengizinan_hanya_menutup_frasanya_sendiri():
    assert ditolak("Kisah kafir Quraisy bagus, tapi dasar kafir kamu.")


# -- combination rules ---------------------------------------------------------

@pytest.mark.parametrize(
    "teks, kategori",
    [
        ("Kristen sesat, jangan ditonton.", "agama"),
        ("Orang Padang itu pelit.", "suku"),
        ("Guru cina babi.", "suku"),
        ("Dasar Madura, ribut terus.", "suku"),
        ("Videonya jelek. Dasar binatang!", "dehumanisasi"),
        ("Usir semua orang Madura dari sini.", "ajakan_kekerasan"),
        ("Bakar gereja mereka.", "ajakan_kekerasan"),
        ("Guru ini sampah masyarakat.", "dehumanisasi"),
        ("Papua monyet.", "ras"),
    ],
)
def test_u3_kategori_temuan(teks, kategori):
    assert kategori in periksa_teks(teks).kategori


# -- the refusal the teacher sees -----------------------------------------------

def test_u3_penolakan_sara_menyebut_kategori_tanpa_mengulang_hinaan():
    with pytest.raises(DomainError) as info:
        tolak_jika_tidak_pantas("Dasar k4f1r!", kolom="saran", label="Saran Anda")
    galat = info.value
    assert galat.kode == "teks_mengandung_sara"
    assert galat.extra == {"kolom": "saran", "kategori_pelanggaran": ["agama"]}
    assert galat.pesan.startswith("Saran Anda tidak dapat dikirim")
    assert "hinaan terhadap agama atau pemeluk agama (SARA)" in galat.pesan
    assert "kafir" not in normalisasi_teks(galat.pesan).replace(" ", "")


def test_u3_ujaran_kebencian_tanpa_sara_punya_kode_sendiri():
    with pytest.raises(DomainError) as info:
        tolak_jika_tidak_pantas("Kamu sampah masyarakat.")
    assert info.value.kode == "teks_mengandung_ujaran_kebencian"
    assert "(SARA)" not in info.value.pesan


def test_u3_teks_bersih_tidak_ditolak():
    tolak_jika_tidak_pantas("Penjelasan runtut, murid antusias.")


def test_u1_u3_umpan_balik_berisi_sara_ditolak_sebelum_disimpan():
    kuesioner = kuesioner_terkini("praktik_pembelajaran")
    masuk = UmpanBalikMasuk(
        jawaban={q.id: q.pilihan[0].id for q in kuesioner.pertanyaan},
        tanggapan={"pp_hal_baik": "Bagus.", "pp_respons_kesulitan": "Guru itu c i n a b a b i"},
        saran="Tambah diskusi.",
    )
    with pytest.raises(DomainError) as info:
        validasi_umpan_balik(masuk, kuesioner)
    assert info.value.kode == "teks_mengandung_sara"
    assert info.value.extra["kolom"] == "tanggapan.pp_respons_kesulitan"
    assert "cara guru merespons pertanyaan" in info.value.pesan


# -- data and evaluation set ---------------------------------------------------

def test_u3_leksikon_bersumber_dan_kategorinya_lengkap():
    data = json.loads((DATA / "leksikon_moderasi.json").read_text(encoding="utf-8"))
    assert "SE/6/X/2015" in data["sumber"]
    assert set(data["kategori"]) == {
        "suku", "agama", "ras", "antargolongan", "dehumanisasi", "ajakan_kekerasan"
    }
    assert any(" " in e["teks"] for e in data["istilah"])  # multiword phrases too
    assert leksikon_bawaan().label_kategori["suku"]


def test_u3_set_evaluasi_dan_ambang_mutu():
    baris = [
        json.loads(b) for b in (DATA / "moderasi_eval.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(baris) >= 120
    assert len({b["id"] for b in baris}) == len(baris)
    positif = [b for b in baris if b["label"] == "melanggar"]
    negatif = [b for b in baris if b["label"] == "bersih"]
    assert len(positif) + len(negatif) == len(baris)
    assert any(b["jenis"] == "samaran" for b in positif)
    assert any(b["jenis"] == "mirip" for b in negatif)
    # Regression floor, below today's figures (see benchmarks/moderasi_eval.py).
    recall = sum(ditolak(b["teks"]) for b in positif) / len(positif)
    fp_rate = sum(ditolak(b["teks"]) for b in negatif) / len(negatif)
    assert recall >= 0.93
    assert fp_rate <= 0.02


def test_u3_teks_terpanjang_diperiksa_cepat():
    teks = ("Penjelasan guru runtut, k a f i r, k*fir x1 " * 120)[:5000]
    mulai = time.perf_counter()
    assert ditolak(teks)
    assert time.perf_counter() - mulai < 2.0
