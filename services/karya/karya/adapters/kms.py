"""Cloud KMS as the key-encryption key of the refresh tokens' envelopes
(`PembungkusKunci` of karya/adapters/kripto.py).

`PembungkusKunciKms(nama_kunci)` wraps a data key with Cloud KMS
`encrypt(name=<CryptoKey>, plaintext=DEK, additional_authenticated_data=AAD)`
and unwraps it with `decrypt(...)`, the AAD being the one `EnkripsiAmplop`
binds into both layers (`v1|<nama_kunci>|<konteks>`). The CryptoKey's name
(not a version) is the envelope's `nama_kunci`: KMS encrypts with the primary
version and reads the version from the ciphertext on decrypt, so a rotated key
keeps every stored token readable.

- Client: google-cloud-kms `KeyManagementServiceClient`, REST transport, built
  at first use (importing the library costs ~0.2 s: not on the cold-start
  path of functions that never touch a token). `api_endpoint` (setting
  `PMM_KMS_URL`) points it elsewhere; an `http://` endpoint is the local
  stand-in (local/standins/kms.py) and gets anonymous credentials, anything
  else the function's own (Application Default Credentials).
- Integrity, as Google's "Verifying end-to-end data integrity" asks: every
  request carries the CRC32C of what it sends (`plaintext_crc32c` or
  `ciphertext_crc32c`, and `additional_authenticated_data_crc32c`); encrypt
  must answer `verified_plaintext_crc32c` and
  `verified_additional_authenticated_data_crc32c` true and a
  `ciphertext_crc32c` matching the ciphertext, decrypt a `plaintext_crc32c`
  matching the plaintext, and a checksum INVALID_ARGUMENT counts as corrupted
  in transit. Corruption is retried (`percobaan_integritas`, 2 attempts in
  all), then reported as `kunci_enkripsi_tidak_tersedia`.
- Timeouts and retries: one budget of `timeout_detik` (5 s) per call; within
  it UNAVAILABLE, 429 and a dropped connection are retried with backoff
  (0.1 s doubling up to 1 s); an attempt that times out uses up the budget
  (not retried, as for YouTube). The library's own default would be 60 s.

What a caller gets:
- `DekripsiGagal` (kripto): KMS refused to decrypt (INVALID_ARGUMENT
  "Decryption failed"): another key or AAD, or a damaged value. The teacher
  connects the account again.
- `GalatKms`, a DomainError the HTTP layer answers as is:
  `kunci_enkripsi_tidak_tersedia` 503 (KMS unreachable, slow, overloaded or
  the data corrupted in transit; try again later) or `konfigurasi_kunci_salah`
  500 (unknown key, no permission, key disabled: an operator's problem). Its
  `sebab` (logged, never shown) says what happened; no key material or token
  is ever in a message or a log.
"""
from __future__ import annotations

import re
import threading
from typing import Any

import google_crc32c

from shared.errors import DomainError
from shared.logs import get_logger

from karya.adapters.kripto import DekripsiGagal

log = get_logger(__name__)

POLA_NAMA_KUNCI = re.compile(r"^projects/[^/$]+/locations/[^/$]+/keyRings/[^/$]+/cryptoKeys/[^/$]+$")

KODE_TIDAK_TERSEDIA = "kunci_enkripsi_tidak_tersedia"
KODE_KONFIGURASI_SALAH = "konfigurasi_kunci_salah"
# The key service failing for every account alike (the scheduled re-check stops its round on these).
GALAT_KUNCI_UMUM = frozenset({KODE_TIDAK_TERSEDIA, KODE_KONFIGURASI_SALAH})


class GalatKms(DomainError):
    """Cloud KMS could not wrap or unwrap a data key for a reason that is not the
    value's fault. `sebab` is for logs: which call and what went wrong."""

    def __init__(self, kode: str, sebab: str) -> None:
        if kode == KODE_TIDAK_TERSEDIA:
            super().__init__(kode, "Layanan kunci enkripsi sedang tidak dapat dihubungi. Coba lagi beberapa "
                                   "saat lagi.", status=503)
        else:
            super().__init__(kode, "Layanan kunci enkripsi PMM sedang bermasalah. Coba lagi nanti atau hubungi "
                                   "layanan bantuan.", status=500)
        self.sebab = sebab

    def __str__(self) -> str:
        return f"{self.kode}: {self.sebab}"


class _Rusak(Exception):
    """Corrupted in transit (checksum); retried, then a GalatKms."""


def crc32c(data: bytes) -> int:
    return google_crc32c.value(data)


def periksa_nama_kunci(nama: str) -> str:
    """A CryptoKey resource name (not a version): `projects/*/locations/*/keyRings/*/cryptoKeys/*`."""
    if not isinstance(nama, str) or not POLA_NAMA_KUNCI.match(nama):
        raise ValueError("harus nama CryptoKey: projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>")
    return nama


class PembungkusKunciKms:
    """KEK in Cloud KMS (see the module docstring). Thread-safe; one per process."""

    def __init__(self, nama_kunci: str, *, api_endpoint: str | None = None, klien: Any = None,
                 timeout_detik: float = 5.0, percobaan_integritas: int = 2) -> None:
        self._nama = periksa_nama_kunci(nama_kunci)
        self._endpoint = api_endpoint.rstrip("/") if api_endpoint else None
        self._klien = klien  # tests may hand one in; otherwise built at first use
        self._kunci = threading.Lock()
        self._timeout = timeout_detik
        self._percobaan = max(1, percobaan_integritas)

    @property
    def nama_kunci(self) -> str:
        return self._nama

    def __repr__(self) -> str:
        return f"PembungkusKunciKms(nama_kunci={self._nama!r}, api_endpoint={self._endpoint!r})"

    # --- the client, at first use
    def klien(self) -> Any:
        if self._klien is None:
            with self._kunci:
                if self._klien is None:
                    self._klien = self._buat_klien()
        return self._klien

    def _buat_klien(self) -> Any:
        from google.cloud import kms

        kwargs: dict[str, Any] = {"transport": "rest"}
        if self._endpoint:
            kwargs["client_options"] = {"api_endpoint": self._endpoint}
            if self._endpoint.startswith("http://"):  # the local stand-in: Google never serves plain HTTP
                from google.auth.credentials import AnonymousCredentials

                kwargs["credentials"] = AnonymousCredentials()
        return kms.KeyManagementServiceClient(**kwargs)

    def _ulang(self) -> Any:
        import requests
        from google.api_core import exceptions as gexc
        from google.api_core import retry as retries

        return retries.Retry(initial=0.1, maximum=1.0, multiplier=2.0, timeout=self._timeout,
                             predicate=retries.if_exception_type(gexc.ServiceUnavailable, gexc.TooManyRequests,
                                                                 requests.exceptions.ConnectionError))

    # --- PembungkusKunci
    def bungkus(self, kunci_data: bytes, aad: bytes) -> bytes:
        permintaan = {"name": self._nama, "plaintext": kunci_data, "additional_authenticated_data": aad,
                      "plaintext_crc32c": crc32c(kunci_data), "additional_authenticated_data_crc32c": crc32c(aad)}

        def satu_kali() -> bytes:
            jawaban = self._panggil("encrypt", permintaan)
            if not jawaban.verified_plaintext_crc32c or not jawaban.verified_additional_authenticated_data_crc32c:
                raise _Rusak("encrypt: KMS did not verify the request's checksums (request corrupted in transit)")
            if jawaban.ciphertext_crc32c != crc32c(jawaban.ciphertext):
                raise _Rusak("encrypt: ciphertext_crc32c does not match the ciphertext (response corrupted in "
                             "transit)")
            return bytes(jawaban.ciphertext)

        return self._dengan_integritas("encrypt", satu_kali)

    def buka(self, kunci_terbungkus: bytes, aad: bytes) -> bytes:
        permintaan = {"name": self._nama, "ciphertext": kunci_terbungkus, "additional_authenticated_data": aad,
                      "ciphertext_crc32c": crc32c(kunci_terbungkus),
                      "additional_authenticated_data_crc32c": crc32c(aad)}

        def satu_kali() -> bytes:
            jawaban = self._panggil("decrypt", permintaan)
            if jawaban.plaintext_crc32c != crc32c(jawaban.plaintext):
                raise _Rusak("decrypt: plaintext_crc32c does not match the plaintext (response corrupted in "
                             "transit)")
            return bytes(jawaban.plaintext)

        return self._dengan_integritas("decrypt", satu_kali)

    # --- calls and their errors
    def _dengan_integritas(self, operasi: str, satu_kali: Any) -> bytes:
        sebab = ""
        for percobaan in range(1, self._percobaan + 1):
            try:
                return satu_kali()
            except _Rusak as e:
                sebab = str(e)
                log.warning("Cloud KMS data corrupted in transit", extra={
                    "operasi": operasi, "kunci": self._nama, "percobaan": percobaan, "sebab": sebab})
        raise GalatKms(KODE_TIDAK_TERSEDIA, f"{sebab}; gave up after {self._percobaan} attempts")

    def _panggil(self, operasi: str, permintaan: dict[str, Any]) -> Any:
        import google.auth.exceptions
        import requests
        from google.api_core import exceptions as gexc

        try:
            return getattr(self.klien(), operasi)(request=permintaan, retry=self._ulang(), timeout=self._timeout)
        except gexc.BadRequest as e:  # REST maps by HTTP status: 400 is INVALID_ARGUMENT or FAILED_PRECONDITION
            status = _status_google(e)
            if status == "INVALID_ARGUMENT" and "checksum" in (e.message or "").lower():
                raise _Rusak(f"{operasi}: {_ringkas(e)}") from None
            if status == "INVALID_ARGUMENT" and operasi == "decrypt":
                raise DekripsiGagal("kunci data tidak dapat dibuka (Cloud KMS: decryption failed)") from None
            raise self._galat(operasi, KODE_KONFIGURASI_SALAH, e) from None
        except (gexc.NotFound, gexc.PermissionDenied, gexc.Unauthenticated, gexc.FailedPrecondition,
                gexc.MethodNotImplemented, google.auth.exceptions.DefaultCredentialsError) as e:
            raise self._galat(operasi, KODE_KONFIGURASI_SALAH, e) from None
        except (gexc.GoogleAPIError, requests.exceptions.RequestException,
                google.auth.exceptions.TransportError) as e:
            # 5xx, 429, a timeout, a refused or dropped connection, retries exhausted
            raise self._galat(operasi, KODE_TIDAK_TERSEDIA, e) from None

    def _galat(self, operasi: str, kode: str, e: BaseException) -> GalatKms:
        sebab = f"Cloud KMS {operasi} on {self._nama}: {type(e).__name__}: {_ringkas(e)}"
        (log.error if kode == KODE_KONFIGURASI_SALAH else log.warning)(
            "Cloud KMS call failed", extra={"operasi": operasi, "kunci": self._nama, "kode": kode,
                                            "sebab": sebab})
        return GalatKms(kode, sebab)


def _status_google(e: Any) -> str:
    """The canonical status name (INVALID_ARGUMENT, FAILED_PRECONDITION, ...) of an API error: gRPC
    carries it, REST in the error JSON's `status`; a 400 without one is INVALID_ARGUMENT."""
    if getattr(e, "grpc_status_code", None) is not None:
        return e.grpc_status_code.name
    try:
        return str(e.response.json()["error"]["status"])
    except Exception:  # noqa: BLE001 - no JSON body: judge by the HTTP status alone
        return "INVALID_ARGUMENT" if getattr(e, "code", None) == 400 else "UNKNOWN"


_AWALAN_REST = re.compile(r"^(?:GET|POST|PUT|PATCH|DELETE) \S+: ")


def _ringkas(e: BaseException) -> str:
    """The error's own message (Google's error text or the transport's), one line, bounded; for an
    exhausted retry also the last attempt's error."""
    pesan = _AWALAN_REST.sub("", " ".join(str(getattr(e, "message", None) or e).split()))
    sebab = getattr(e, "cause", None)
    if sebab is not None:
        pesan += f" (last: {type(sebab).__name__}: {_ringkas(sebab)})"
    return pesan[:400]
