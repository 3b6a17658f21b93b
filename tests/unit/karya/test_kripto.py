"""Envelope encryption of YouTube refresh tokens at rest (K3 tokens; docs/design.md
"YouTube refresh tokens are encrypted at rest")."""
import pytest

from karya.adapters.kripto import (
    DekripsiGagal,
    EnkripsiAmplop,
    PembungkusKunci,
    PembungkusKunciLokal,
)

KEK = bytes(range(32))
KONTEKS = "karya/akun_youtube/akun-1"
TOKEN = "1//0gTOKENrahasia-refresh_token"


@pytest.fixture
def amplop():
    return EnkripsiAmplop(PembungkusKunciLokal(KEK))


def test_pulang_pergi_dan_plaintext_tidak_terlihat(amplop):
    sandi = amplop.enkripsi(TOKEN, KONTEKS)
    assert TOKEN not in sandi and sandi.startswith("v1$lokal/kek-1$")
    assert amplop.dekripsi_teks(sandi, KONTEKS) == TOKEN


def test_setiap_enkripsi_memakai_kunci_data_dan_nonce_baru(amplop):
    a, b = amplop.enkripsi(TOKEN, KONTEKS), amplop.enkripsi(TOKEN, KONTEKS)
    assert a != b
    assert a.split("$")[2] != b.split("$")[2]  # different wrapped DEKs


@pytest.mark.parametrize("bagian", [2, 3, 4])
def test_perubahan_satu_bit_di_bagian_mana_pun_ditolak(amplop, bagian):
    sandi = amplop.enkripsi(TOKEN, KONTEKS).split("$")
    raw = bytearray(sandi[bagian].encode())
    raw[5] = ord("A") if raw[5] != ord("A") else ord("B")
    sandi[bagian] = raw.decode()
    with pytest.raises(DekripsiGagal):
        amplop.dekripsi("$".join(sandi), KONTEKS)


def test_konteks_lain_ditolak_sandi_tidak_bisa_dipindah_dokumen(amplop):
    sandi = amplop.enkripsi(TOKEN, KONTEKS)
    with pytest.raises(DekripsiGagal):
        amplop.dekripsi(sandi, "karya/akun_youtube/akun-2")


def test_kek_lain_ditolak(amplop):
    sandi = amplop.enkripsi(TOKEN, KONTEKS)
    lain = EnkripsiAmplop(PembungkusKunciLokal(b"\x01" * 32))
    with pytest.raises(DekripsiGagal):
        lain.dekripsi(sandi, KONTEKS)
    # same key name, different key material
    with pytest.raises(DekripsiGagal):
        EnkripsiAmplop(PembungkusKunciLokal(b"\x02" * 32, "lokal/kek-1")).dekripsi(sandi, KONTEKS)


@pytest.mark.parametrize("rusak", ["", "v1$x", "v2$lokal/kek-1$a$b$c", "v1$lokal/kek-1$!!$b$c"])
def test_format_rusak_ditolak(amplop, rusak):
    with pytest.raises(DekripsiGagal):
        amplop.dekripsi(rusak, KONTEKS)


def test_rotasi_kek_lama_tetap_dapat_dibuka_dan_ditandai_untuk_enkripsi_ulang():
    lama = PembungkusKunciLokal(KEK, "lokal/kek-1")
    baru = PembungkusKunciLokal(b"\x03" * 32, "lokal/kek-2")
    sandi_lama = EnkripsiAmplop(lama).enkripsi(TOKEN, KONTEKS)
    rotasi = EnkripsiAmplop([baru, lama])
    assert rotasi.dekripsi_teks(sandi_lama, KONTEKS) == TOKEN
    assert rotasi.perlu_dienkripsi_ulang(sandi_lama)
    sandi_baru = rotasi.enkripsi(TOKEN, KONTEKS)
    assert sandi_baru.split("$")[1] == "lokal/kek-2" and not rotasi.perlu_dienkripsi_ulang(sandi_baru)


def test_kek_lokal_memenuhi_antarmuka_dan_tidak_membocorkan_kunci():
    p = PembungkusKunciLokal(KEK)
    assert isinstance(p, PembungkusKunci)
    assert KEK.hex() not in repr(p) and str(KEK) not in repr(p)
    with pytest.raises(ValueError):
        PembungkusKunciLokal(b"pendek")
