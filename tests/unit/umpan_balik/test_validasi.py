"""Validation of a submitted feedback against its questionnaire version (U1, U2, K8)."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from shared.errors import DomainError
from umpan_balik.domain.kuesioner import kuesioner_terkini
from umpan_balik.domain.validasi import (
    UmpanBalikMasuk,
    periksa_umpan_balik,
    validasi_umpan_balik,
)

PP = kuesioner_terkini("praktik_pembelajaran")
MA = kuesioner_terkini("materi_ajar")


def lengkap(kuesioner, **ubah) -> dict:
    """A complete, valid submission for `kuesioner` (last option of every question)."""
    data = {
        "versi_kuesioner": kuesioner.versi,
        "jawaban": {q.id: q.pilihan[-1].id for q in kuesioner.pertanyaan},
        "tanggapan": {t.id: "  Penjelasan runtut dan contohnya dekat dengan murid.  " for t in kuesioner.tanggapan},
        "saran": "\n Tambahkan waktu diskusi kelompok. \n",
    }
    data.update(ubah)
    return data


def galat_dari(data, kuesioner=PP) -> DomainError:
    with pytest.raises(DomainError) as info:
        validasi_umpan_balik(UmpanBalikMasuk.model_validate(data), kuesioner)
    return info.value


@pytest.mark.parametrize("kuesioner", [PP, MA], ids=lambda k: k.kategori)
def test_u1_umpan_balik_lengkap_diterima_dan_teks_dirapikan(kuesioner):
    hasil = validasi_umpan_balik(UmpanBalikMasuk.model_validate(lengkap(kuesioner)), kuesioner)
    assert (hasil.kuesioner_id, hasil.kategori, hasil.versi) == (kuesioner.id, kuesioner.kategori, 1)
    assert hasil.jawaban == {q.id: q.pilihan[-1].id for q in kuesioner.pertanyaan}
    assert all(teks == "Penjelasan runtut dan contohnya dekat dengan murid." for teks in hasil.tanggapan.values())
    assert hasil.saran == "Tambahkan waktu diskusi kelompok."


def test_u1_jawaban_wajib_kosong_menyebut_pertanyaannya():
    data = lengkap(PP)
    del data["jawaban"]["pp_instruksi_jelas"]
    galat = galat_dari(data)
    assert galat.kode == "jawaban_wajib_kosong"
    assert "nomor 3" in galat.pesan and "Penjelasan dan instruksi guru" in galat.pesan
    assert galat.extra["kolom"] == "jawaban.pp_instruksi_jelas"


def test_u1_jawaban_spasi_saja_dianggap_kosong():
    data = lengkap(PP)
    data["jawaban"]["pp_tujuan_jelas"] = "   "
    assert galat_dari(data).kode == "jawaban_wajib_kosong"


def test_u2_pilihan_dari_kuesioner_lain_tidak_valid():
    data = lengkap(MA)
    data["jawaban"]["ma_durasi"] = "ya"  # an option of praktik_pembelajaran's last question
    galat = galat_dari(data, MA)
    assert galat.kode == "pilihan_tidak_valid"
    assert "Terlalu singkat, Sesuai, Terlalu panjang" in galat.pesan
    assert galat.extra["pertanyaan_id"] == "ma_durasi"


def test_u2_pertanyaan_kategori_lain_tidak_dikenal():
    data = lengkap(PP)
    data["jawaban"]["ma_isi_akurat"] = "s"
    galat = galat_dari(data)
    assert galat.kode == "pertanyaan_tidak_dikenal"
    assert "ma_isi_akurat" in galat.pesan and "Praktik Pembelajaran versi 1" in galat.pesan


def test_u1_tanggapan_tidak_dikenal_dan_wajib_kosong():
    data = lengkap(PP, tanggapan={"pp_hal_baik": "Bagus", "pp_lain": "x"})
    semua = [g.kode for g in periksa_umpan_balik(UmpanBalikMasuk.model_validate(data), PP)]
    assert semua == ["tanggapan_tidak_dikenal", "tanggapan_wajib_kosong"]


def test_u1_tanggapan_tidak_wajib_boleh_kosong_dan_tidak_disimpan():
    data = lengkap(PP)
    data["tanggapan"]["pp_ingin_diterapkan"] = "   "
    hasil = validasi_umpan_balik(UmpanBalikMasuk.model_validate(data), PP)
    assert "pp_ingin_diterapkan" not in hasil.tanggapan
    assert set(hasil.tanggapan) == {"pp_hal_baik", "pp_respons_kesulitan"}


def test_u1_saran_wajib():
    galat = galat_dari(lengkap(PP, saran=" \n\t "))
    assert galat.kode == "saran_wajib_kosong"
    assert galat.extra["kolom"] == "saran"


@pytest.mark.parametrize("panjang, diterima", [(1000, True), (1001, False)])
def test_u1_batas_panjang_tanggapan_dihitung_setelah_dirapikan(panjang, diterima):
    data = lengkap(PP)
    data["tanggapan"]["pp_hal_baik"] = "   " + "a" * panjang + "   "
    masuk = UmpanBalikMasuk.model_validate(data)
    if diterima:
        assert len(validasi_umpan_balik(masuk, PP).tanggapan["pp_hal_baik"]) == panjang
    else:
        galat = galat_dari(data)
        assert galat.kode == "teks_terlalu_panjang"
        assert "1001 karakter" in galat.pesan and "1000 karakter" in galat.pesan
        assert galat.extra["maks_panjang"] == 1000


def test_u1_saran_terlalu_panjang_melebihi_batas_templat_tetap_pesan_yang_jelas():
    galat = galat_dari(lengkap(PP, saran="b" * 6000))
    assert galat.kode == "teks_terlalu_panjang" and "1500 karakter" in galat.pesan


def test_u1_teks_raksasa_ditolak_di_tepi():
    with pytest.raises(ValidationError):
        UmpanBalikMasuk.model_validate(lengkap(PP, saran="c" * 20_001))


def test_u1_kolom_tak_dikenal_ditolak_model():
    with pytest.raises(ValidationError):
        UmpanBalikMasuk.model_validate(lengkap(PP, nilai=5))


def test_u2_versi_formulir_berbeda_ditolak_konflik():
    galat = galat_dari(lengkap(PP, versi_kuesioner=2))
    assert galat.kode == "versi_kuesioner_tidak_cocok" and galat.status == 409


def test_u1_semua_galat_dilaporkan_sekaligus_untuk_formulir():
    data = lengkap(PP, saran="")
    del data["jawaban"]["pp_tujuan_jelas"]
    data["jawaban"]["pp_layak_dicontoh"] = "mungkin"
    galat = galat_dari(data)
    assert galat.kode == "jawaban_wajib_kosong"  # form order: question 1 first
    assert [g["kode"] for g in galat.extra["semua_galat"]] == [
        "jawaban_wajib_kosong",
        "pilihan_tidak_valid",
        "saran_wajib_kosong",
    ]


def test_u1_pemeriksa_isi_dipanggil_untuk_setiap_teks_terisi():
    dilihat = []
    validasi_umpan_balik(
        UmpanBalikMasuk.model_validate(lengkap(MA)),
        MA,
        periksa_isi=lambda teks, kolom, label: dilihat.append(kolom),
    )
    assert dilihat == ["tanggapan.ma_bagian_membantu", "tanggapan.ma_potensi_miskonsepsi", "saran"]
