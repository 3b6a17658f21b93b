"""The Cloud KMS key wrapper without a network (a fake client speaking the library's types), and
the settings that choose it: CRC32C checks on both calls, error mapping, lazy client, guards
for staging/prod, and local-key values staying readable after the switch to KMS."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from google.api_core import exceptions as gexc
from google.cloud.kms_v1.types import service as kms_types

from karya.adapters.kms import GalatKms, PembungkusKunciKms, crc32c
from karya.adapters.kripto import DekripsiGagal, EnkripsiAmplop, PembungkusKunci, PembungkusKunciLokal
from karya.bootstrap import KaryaSettings, bootstrap
from shared.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[3]
KUNCI = "projects/demo-pmm/locations/asia-southeast2/keyRings/pmm-lokal/cryptoKeys/token"
DEK = bytes(range(32))
AAD = b"v1|" + KUNCI.encode() + b"|karya/akun_youtube/a/guru-1"
KUNCI_LOKAL_B64 = base64.b64encode(b"k" * 32).decode()


def _tutup(data: bytes) -> bytes:
    """The fake KMS's 'ciphertext': reversible, not the plaintext."""
    return b"KMS:" + bytes(b ^ 0x5A for b in data)


class KlienPalsu:
    """Answers like KeyManagementServiceClient: request dicts in, proto-plus messages out.
    `gangguan` is a list of per-call behaviours consumed in order (then normal)."""

    def __init__(self, *gangguan: object) -> None:
        self.gangguan = list(gangguan)
        self.permintaan: list[tuple[str, dict]] = []

    def _berikut(self):
        return self.gangguan.pop(0) if self.gangguan else None

    def encrypt(self, request, retry=None, timeout=None):
        self.permintaan.append(("encrypt", request))
        g = self._berikut()
        if isinstance(g, Exception):
            raise g
        assert request["plaintext_crc32c"] == crc32c(request["plaintext"])
        assert request["additional_authenticated_data_crc32c"] == crc32c(request["additional_authenticated_data"])
        sandi = _tutup(request["plaintext"] + request["additional_authenticated_data"][:4])
        jawaban = kms_types.EncryptResponse(
            name=request["name"] + "/cryptoKeyVersions/1", ciphertext=sandi, ciphertext_crc32c=crc32c(sandi),
            verified_plaintext_crc32c=g != "tak_terverifikasi",
            verified_additional_authenticated_data_crc32c=True)
        if g == "rusak":
            jawaban.ciphertext = sandi[:-1] + bytes([sandi[-1] ^ 1])
        return jawaban

    def decrypt(self, request, retry=None, timeout=None):
        self.permintaan.append(("decrypt", request))
        g = self._berikut()
        if isinstance(g, Exception):
            raise g
        assert request["ciphertext_crc32c"] == crc32c(request["ciphertext"])
        buka = bytes(b ^ 0x5A for b in request["ciphertext"][4:])
        data, aad4 = buka[:-4], buka[-4:]
        if aad4 != request["additional_authenticated_data"][:4] or not request["ciphertext"].startswith(b"KMS:"):
            raise gexc.BadRequest("Decryption failed: verify that 'name' refers to the correct CryptoKey.")
        jawaban = kms_types.DecryptResponse(plaintext=data, plaintext_crc32c=crc32c(data), used_primary=True)
        if g == "rusak":
            jawaban.plaintext = data[:-1] + bytes([data[-1] ^ 1])
        return jawaban


def bungkus_dengan(*gangguan):
    klien = KlienPalsu(*gangguan)
    return PembungkusKunciKms(KUNCI, klien=klien), klien


def test_memenuhi_protokol_dan_nama_kunci_harus_cryptokey():
    p, _ = bungkus_dengan()
    assert isinstance(p, PembungkusKunci) and p.nama_kunci == KUNCI
    for salah in ("", "kunci", KUNCI + "/cryptoKeyVersions/1", KUNCI.replace("keyRings", "rings"), KUNCI + "$x"):
        with pytest.raises(ValueError):
            PembungkusKunciKms(salah)


def test_pulang_pergi_mengirim_crc32c_dan_aad():
    p, klien = bungkus_dengan()
    terbungkus = p.bungkus(DEK, AAD)
    assert DEK not in terbungkus
    assert p.buka(terbungkus, AAD) == DEK
    (op1, enc), (op2, dec) = klien.permintaan
    assert (op1, op2) == ("encrypt", "decrypt")
    assert enc["name"] == dec["name"] == KUNCI  # the CryptoKey: KMS picks the version (rotation)
    assert enc["additional_authenticated_data"] == dec["additional_authenticated_data"] == AAD
    assert enc["plaintext_crc32c"] == crc32c(DEK) and dec["ciphertext_crc32c"] == crc32c(terbungkus)


def test_crc32c_adalah_castagnoli():
    assert crc32c(b"123456789") == 0xE3069283


@pytest.mark.parametrize("gangguan", ["tak_terverifikasi", "rusak",
                                      gexc.BadRequest("The checksum in field plaintext_crc32c did not match the "
                                                      "data in field plaintext.")])
def test_bungkus_yang_rusak_di_jalan_diulang_sekali(gangguan):
    p, klien = bungkus_dengan(gangguan)
    assert p.buka(p.bungkus(DEK, AAD), AAD) == DEK
    assert [op for op, _ in klien.permintaan] == ["encrypt", "encrypt", "decrypt"]


@pytest.mark.parametrize("gangguan", ["tak_terverifikasi", "rusak"])
def test_bungkus_yang_terus_rusak_menjadi_503_bukan_sandi_rusak_tersimpan(gangguan):
    p, klien = bungkus_dengan(gangguan, gangguan)
    with pytest.raises(GalatKms) as e:
        p.bungkus(DEK, AAD)
    assert e.value.kode == "kunci_enkripsi_tidak_tersedia" and e.value.status == 503
    assert "corrupted in transit" in e.value.sebab and len(klien.permintaan) == 2


def test_buka_memeriksa_crc_plaintext():
    p, klien = bungkus_dengan()
    terbungkus = p.bungkus(DEK, AAD)
    klien.gangguan = ["rusak"]
    assert p.buka(terbungkus, AAD) == DEK  # retried
    klien.gangguan = ["rusak", "rusak"]
    with pytest.raises(GalatKms, match="plaintext_crc32c does not match"):
        p.buka(terbungkus, AAD)


def test_aad_lain_atau_sandi_rusak_adalah_dekripsi_gagal():
    p, _ = bungkus_dengan()
    terbungkus = p.bungkus(DEK, AAD)
    with pytest.raises(DekripsiGagal):
        p.buka(terbungkus, b"lain" + AAD)
    with pytest.raises(DekripsiGagal):
        p.buka(b"bukan sandi KMS", AAD)


@pytest.mark.parametrize("galat, kode, status", [
    (gexc.NotFound("CryptoKey x not found."), "konfigurasi_kunci_salah", 500),
    (gexc.PermissionDenied("Permission 'cloudkms.cryptoKeyVersions.useToEncrypt' denied"),
     "konfigurasi_kunci_salah", 500),
    (gexc.FailedPrecondition("CryptoKeyVersion is not enabled"), "konfigurasi_kunci_salah", 500),
    (gexc.ServiceUnavailable("unavailable"), "kunci_enkripsi_tidak_tersedia", 503),
    (gexc.InternalServerError("internal"), "kunci_enkripsi_tidak_tersedia", 503),
    (gexc.RetryError("Timeout of 5.0s exceeded", gexc.ServiceUnavailable("x")), "kunci_enkripsi_tidak_tersedia",
     503),
])
@pytest.mark.parametrize("operasi", ["bungkus", "buka"])
def test_galat_kms_dipetakan_ke_kode_yang_jelas(galat, kode, status, operasi):
    p, _ = bungkus_dengan(galat)
    with pytest.raises(GalatKms) as e:
        p.bungkus(DEK, AAD) if operasi == "bungkus" else p.buka(_tutup(DEK), AAD)
    assert (e.value.kode, e.value.status) == (kode, status)
    assert KUNCI in e.value.sebab and type(galat).__name__ in e.value.sebab
    assert DEK.hex() not in str(e.value)


def test_koneksi_putus_dan_waktu_habis_menjadi_503():
    import requests

    for galat in (requests.exceptions.ConnectionError("refused"), requests.exceptions.ReadTimeout("slow")):
        p, _ = bungkus_dengan(galat)
        with pytest.raises(GalatKms) as e:
            p.bungkus(DEK, AAD)
        assert e.value.kode == "kunci_enkripsi_tidak_tersedia"


def test_endpoint_http_memakai_kredensial_anonim_dan_rest():
    from google.auth.credentials import AnonymousCredentials

    p = PembungkusKunciKms(KUNCI, api_endpoint="http://127.0.0.1:9/")
    klien = p.klien()
    assert klien is p.klien()  # built once
    assert klien.transport.kind == "rest"
    assert klien.transport._host == "http://127.0.0.1:9"
    assert isinstance(klien.transport._credentials, AnonymousCredentials)
    assert "127.0.0.1:9" in repr(p)


def test_klien_kms_tidak_diimpor_saat_start():
    """Cold start: importing the service and building its encryption does not load google.cloud.kms."""
    kode = ("import sys, main; from karya.bootstrap import default; e = default().enkripsi; "
            "print(type(e._utama).__name__, 'google.cloud.kms' in sys.modules)")
    env = {"PATH": os.environ.get("PATH", ""), "PMM_SERVICE": "karya", "GOOGLE_CLOUD_PROJECT": "demo-pmm-test",
           "PMM_ENV": "test", "PMM_AUTH_ISSUER": "i", "PMM_AUTH_AUDIENCE": "a", "PMM_AUTH_CERTS_URL": "c",
           "PMM_GOOGLE_CLIENT_ID": "c", "PMM_GOOGLE_CLIENT_SECRET": "s", "PMM_RAHASIA_STATE": "r" * 40,
           "PMM_KMS_KUNCI_TOKEN": KUNCI, "PMM_KMS_URL": "http://127.0.0.1:9",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "services" / "karya")])}
    out = subprocess.run([sys.executable, "-c", kode], env=env, cwd=ROOT / "services" / "karya",
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-2:] == ["PembungkusKunciKms", "False"]


# --- settings: which wrapper, and what staging/prod refuse ---------------------------------------

def settings(**env) -> KaryaSettings:
    base = {"PMM_SERVICE": "karya", "GOOGLE_CLOUD_PROJECT": "demo-pmm-test", "PMM_ENV": "test",
            "PMM_AUTH_ISSUER": "i", "PMM_AUTH_AUDIENCE": "a", "PMM_AUTH_CERTS_URL": "c",
            "PMM_GOOGLE_CLIENT_ID": "c", "PMM_GOOGLE_CLIENT_SECRET": "s", "PMM_RAHASIA_STATE": "r" * 40}
    return load_settings(KaryaSettings, **(base | env))


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_staging_prod_menolak_kunci_lokal_dan_stand_in_dan_mewajibkan_kms(env):
    with pytest.raises(SettingsError, match="PMM_KUNCI_ENKRIPSI_TOKEN: .*hanya untuk local/test"):
        settings(PMM_ENV=env, PMM_KMS_KUNCI_TOKEN=KUNCI, PMM_KUNCI_ENKRIPSI_TOKEN=KUNCI_LOKAL_B64)
    with pytest.raises(SettingsError, match="PMM_KMS_KUNCI_TOKEN: .*wajib di staging/prod"):
        settings(PMM_ENV=env)
    with pytest.raises(SettingsError, match="PMM_KMS_URL: .*hanya untuk local/test"):
        settings(PMM_ENV=env, PMM_KMS_KUNCI_TOKEN=KUNCI, PMM_KMS_URL="http://127.0.0.1:8577")
    s = settings(PMM_ENV=env, PMM_KMS_KUNCI_TOKEN=KUNCI, PMM_KMS_URL="https://cloudkms.googleapis.com")
    assert isinstance(bootstrap(s).enkripsi._utama, PembungkusKunciKms)


def test_nama_kunci_kms_diperiksa_saat_start():
    with pytest.raises(SettingsError, match="PMM_KMS_KUNCI_TOKEN: .*harus nama CryptoKey"):
        settings(PMM_KMS_KUNCI_TOKEN=KUNCI + "/cryptoKeyVersions/1")


def test_tanpa_kunci_apa_pun_enkripsi_pertama_menyebut_keduanya():
    p = bootstrap(settings())
    with pytest.raises(SettingsError, match="PMM_KMS_KUNCI_TOKEN.*PMM_KUNCI_ENKRIPSI_TOKEN"):
        p.enkripsi


def test_kunci_lokal_saja_tetap_jalan_lokal():
    p = bootstrap(settings(PMM_KUNCI_ENKRIPSI_TOKEN=KUNCI_LOKAL_B64))
    assert p.enkripsi.enkripsi("t", "k").startswith("v1$lokal/kek-1$")


def test_nilai_kunci_lokal_tetap_terbaca_setelah_beralih_ke_kms():
    """The local cloud before and after it used KMS: what the local key sealed still opens (the value
    names its key, no KMS call), and what is sealed now is sealed by KMS."""
    lama = bootstrap(settings(PMM_KUNCI_ENKRIPSI_TOKEN=KUNCI_LOKAL_B64)).enkripsi.enkripsi("token-lama", "k")
    p = bootstrap(settings(PMM_KUNCI_ENKRIPSI_TOKEN=KUNCI_LOKAL_B64, PMM_KMS_KUNCI_TOKEN=KUNCI,
                           PMM_KMS_URL="http://127.0.0.1:9"))
    klien = KlienPalsu()
    p.enkripsi._utama._klien = klien
    assert p.enkripsi.dekripsi_teks(lama, "k") == "token-lama" and klien.permintaan == []
    assert p.enkripsi.perlu_dienkripsi_ulang(lama)
    baru = p.enkripsi.enkripsi("token-baru", "k")
    assert baru.startswith(f"v1${KUNCI}$") and not p.enkripsi.perlu_dienkripsi_ulang(baru)
    assert p.enkripsi.dekripsi_teks(baru, "k") == "token-baru"
    with pytest.raises(DekripsiGagal):  # the local key alone cannot open a KMS-sealed value
        EnkripsiAmplop(PembungkusKunciLokal(b"k" * 32)).dekripsi(baru, "k")
    assert json.dumps({"a": baru})  # one string, fits a Firestore field
