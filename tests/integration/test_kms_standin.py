"""Cloud KMS over real HTTP: the unchanged google-cloud-kms client (REST transport) through
karya's `PembungkusKunciKms` against the local stand-in (local/standins/kms.py), and the
stand-in's wire protocol itself.

No emulators: the stand-in runs in a thread on a free 127.0.0.1 port.
"""
from __future__ import annotations

import base64

import google_crc32c
import pytest
import requests

from karya.adapters.kms import GalatKms, PembungkusKunciKms
from karya.adapters.kripto import DekripsiGagal, EnkripsiAmplop
from local.standins.kms import KUNCI_BAWAAN, KeadaanKms, buat_server
from tests.support import serve_in_thread

KONTEKS = "karya/akun_youtube/akun-1/guru-1"
TOKEN = "1//0gTOKENrahasia-refresh_token"
LAIN = KUNCI_BAWAAN.replace("cryptoKeys/token", "cryptoKeys/lain")


@pytest.fixture
def standin():
    keadaan = KeadaanKms()
    with serve_in_thread(buat_server("127.0.0.1", 0, keadaan)) as url:
        yield url, keadaan


@pytest.fixture
def url(standin):
    return standin[0]


def amplop(url: str, kunci: str = KUNCI_BAWAAN, **kw) -> EnkripsiAmplop:
    return EnkripsiAmplop(PembungkusKunciKms(kunci, api_endpoint=url, **kw))


def admin(url: str, jalur: str, body: dict | None = None):
    r = requests.post(f"{url}/_admin/{jalur}", json=body, timeout=5) if body is not None else \
        requests.get(f"{url}/_admin/{jalur}", timeout=5)
    assert r.status_code < 300, r.text
    return r.json() if r.content else None


def test_pulang_pergi_lewat_klien_asli(url):
    a = amplop(url)
    sandi = a.enkripsi(TOKEN, KONTEKS)
    assert sandi.startswith(f"v1${KUNCI_BAWAAN}$") and TOKEN not in sandi
    assert a.dekripsi_teks(sandi, KONTEKS) == TOKEN
    assert amplop(url).dekripsi_teks(sandi, KONTEKS) == TOKEN  # another process, same key
    assert admin(url, "calls") == {"encrypt": 1, "decrypt": 2}


def test_aad_lain_ditolak_kms(url):
    a = amplop(url)
    sandi = a.enkripsi(TOKEN, KONTEKS)
    with pytest.raises(DekripsiGagal):
        a.dekripsi(sandi, "karya/akun_youtube/akun-2/guru-1")  # copied onto another document
    # the wrapped DEK is refused by KMS itself (not only by the outer AES-GCM layer)
    wrapper = PembungkusKunciKms(KUNCI_BAWAAN, api_endpoint=url)
    dek = wrapper.bungkus(b"d" * 32, b"aad-satu")
    with pytest.raises(DekripsiGagal):
        wrapper.buka(dek, b"aad-dua")


def test_kunci_tidak_dikenal_ditolak_dengan_galat_konfigurasi(url):
    with pytest.raises(GalatKms) as e:
        amplop(url, LAIN).enkripsi(TOKEN, KONTEKS)
    assert (e.value.kode, e.value.status) == ("konfigurasi_kunci_salah", 500)
    assert f"NotFound: CryptoKey {LAIN} not found." in e.value.sebab


def test_sandi_kunci_lain_tidak_terbuka(url):
    admin(url, "keys", {"name": LAIN})
    dek = PembungkusKunciKms(LAIN, api_endpoint=url).bungkus(b"d" * 32, b"aad")
    with pytest.raises(DekripsiGagal):
        PembungkusKunciKms(KUNCI_BAWAAN, api_endpoint=url).buka(dek, b"aad")


@pytest.mark.parametrize("gangguan", ["corrupt_next", "unverified_next", "bad_checksum_next"])
def test_rusak_di_jalan_sekali_diulang_dan_berhasil(url, gangguan):
    a = amplop(url)
    admin(url, "fault", {gangguan: 1})
    sandi = a.enkripsi(TOKEN, KONTEKS)
    assert admin(url, "calls")["encrypt"] == 2
    if gangguan != "unverified_next":  # decrypt has no verified_* flags
        admin(url, "fault", {gangguan: 1})
    assert a.dekripsi_teks(sandi, KONTEKS) == TOKEN


@pytest.mark.parametrize("gangguan", ["corrupt_next", "unverified_next", "bad_checksum_next"])
def test_rusak_terus_menjadi_503_dan_tidak_ada_sandi_rusak(url, gangguan):
    a = amplop(url)
    admin(url, "fault", {gangguan: 2})
    with pytest.raises(GalatKms) as e:
        a.enkripsi(TOKEN, KONTEKS)
    assert (e.value.kode, e.value.status) == ("kunci_enkripsi_tidak_tersedia", 503)
    assert "gave up after 2 attempts" in e.value.sebab


def test_crc_plaintext_rusak_saat_dekripsi_terdeteksi(url):
    a = amplop(url)
    sandi = a.enkripsi(TOKEN, KONTEKS)
    admin(url, "fault", {"corrupt_next": 2})
    with pytest.raises(GalatKms, match="plaintext_crc32c does not match the plaintext"):
        a.dekripsi(sandi, KONTEKS)


def test_503_sesaat_diulang_dan_kms_mati_menjadi_503_dalam_batas_waktu(standin):
    url, _ = standin
    a = amplop(url, timeout_detik=1.5)
    admin(url, "fault", {"fail_next": 2, "status": 503})
    sandi = a.enkripsi(TOKEN, KONTEKS)
    assert admin(url, "calls")["encrypt"] == 3
    admin(url, "fault", {"fail_next": 1000})
    with pytest.raises(GalatKms) as e:
        a.dekripsi(sandi, KONTEKS)
    assert e.value.kode == "kunci_enkripsi_tidak_tersedia" and "ServiceUnavailable" in e.value.sebab


def test_tidak_ada_kms_sama_sekali():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(GalatKms) as e:
        amplop(f"http://127.0.0.1:{port}", timeout_detik=0.5).enkripsi(TOKEN, KONTEKS)
    assert e.value.kode == "kunci_enkripsi_tidak_tersedia"


def test_rotasi_dan_restart_tetap_membuka_sandi_lama(standin):
    url, keadaan = standin
    a = amplop(url)
    lama = a.enkripsi(TOKEN, KONTEKS)
    assert admin(url, "rotate", {"name": KUNCI_BAWAAN})["primary"] == 2
    baru = a.enkripsi(TOKEN, KONTEKS)
    assert a.dekripsi_teks(lama, KONTEKS) == a.dekripsi_teks(baru, KONTEKS) == TOKEN
    # a restarted stand-in (same seed, keys) still opens both
    with serve_in_thread(buat_server("127.0.0.1", 0, KeadaanKms(kunci={KUNCI_BAWAAN: 2}))) as url_kedua:
        b = amplop(url_kedua)
        assert b.dekripsi_teks(lama, KONTEKS) == b.dekripsi_teks(baru, KONTEKS) == TOKEN


# --- the wire protocol, as the REST transport speaks it --------------------------------------------

def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode()


def post(url: str, nama: str, metode: str, body: dict, alt: bool = True) -> requests.Response:
    params = {"$alt": "json;enum-encoding=int"} if alt else None
    return requests.post(f"{url}/v1/{nama}:{metode}", params=params, json=body, timeout=5)


def test_bentuk_jawaban_encrypt_dan_decrypt(url):
    pt, aad = b"kunci-data", b"aad"
    r = post(url, KUNCI_BAWAAN, "encrypt", {"plaintext": _b64(pt), "additionalAuthenticatedData": _b64(aad),
                                            "plaintextCrc32c": str(google_crc32c.value(pt)),
                                            "additionalAuthenticatedDataCrc32c": google_crc32c.value(aad)})
    assert r.status_code == 200, r.text
    enc = r.json()
    assert enc["name"] == f"{KUNCI_BAWAAN}/cryptoKeyVersions/1" and enc["protectionLevel"] == 1
    assert enc["verifiedPlaintextCrc32c"] is True and enc["verifiedAdditionalAuthenticatedDataCrc32c"] is True
    assert enc["ciphertextCrc32c"] == str(google_crc32c.value(base64.b64decode(enc["ciphertext"])))
    r = post(url, KUNCI_BAWAAN, "decrypt", {"ciphertext": enc["ciphertext"], "additionalAuthenticatedData": _b64(aad)},
             alt=False)
    dec = r.json()
    assert base64.b64decode(dec["plaintext"]) == pt and dec["plaintextCrc32c"] == str(google_crc32c.value(pt))
    assert dec["usedPrimary"] is True and dec["protectionLevel"] == "SOFTWARE"
    # without checksums nothing is verified (the flags are left out, as proto3 JSON does for false)
    enc2 = post(url, KUNCI_BAWAAN, "encrypt", {"plaintext": _b64(pt)}).json()
    assert "verifiedPlaintextCrc32c" not in enc2 and "verifiedAdditionalAuthenticatedDataCrc32c" not in enc2


def test_galat_dalam_bentuk_json_google(url):
    r = post(url, LAIN, "encrypt", {"plaintext": _b64(b"x")})
    assert r.status_code == 404
    assert r.json() == {"error": {"code": 404, "message": f"CryptoKey {LAIN} not found.", "status": "NOT_FOUND"}}
    enc = post(url, KUNCI_BAWAAN, "encrypt", {"plaintext": _b64(b"x"), "additionalAuthenticatedData": _b64(b"a")})
    r = post(url, KUNCI_BAWAAN, "decrypt", {"ciphertext": enc.json()["ciphertext"],
                                            "additionalAuthenticatedData": _b64(b"b")})
    assert r.status_code == 400 and r.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert r.json()["error"]["message"].startswith("Decryption failed")
    r = post(url, KUNCI_BAWAAN, "encrypt", {"plaintext": _b64(b"x"), "plaintextCrc32c": "1"})
    assert r.status_code == 400 and "checksum in field plaintext_crc32c" in r.json()["error"]["message"]
    r = post(url, KUNCI_BAWAAN, "encrypt", {"plaintext": "!!bukan base64!!"})
    assert r.status_code == 400 and "Base64" in r.json()["error"]["message"]
    r = post(url, KUNCI_BAWAAN, "encrypt", {"plaintext": _b64(b"x" * (64 * 1024 + 1))})
    assert r.status_code == 400
    r = post(url, KUNCI_BAWAAN, "encrypt", {})
    assert r.status_code == 400 and "plaintext is required" in r.json()["error"]["message"]
    r = post(url, KUNCI_BAWAAN + "/cryptoKeyVersions/9", "encrypt", {"plaintext": _b64(b"x")})
    assert r.status_code == 404


def test_encrypt_dengan_versi_tertentu(url):
    admin(url, "rotate", {"name": KUNCI_BAWAAN})
    r = post(url, KUNCI_BAWAAN + "/cryptoKeyVersions/1", "encrypt", {"plaintext": _b64(b"x")})
    assert r.status_code == 200 and r.json()["name"].endswith("/cryptoKeyVersions/1")
    dec = post(url, KUNCI_BAWAAN, "decrypt", {"ciphertext": r.json()["ciphertext"]}).json()
    assert base64.b64decode(dec["plaintext"]) == b"x" and "usedPrimary" not in dec
