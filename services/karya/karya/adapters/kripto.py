"""Envelope encryption of YouTube refresh tokens at rest (docs/design.md#identity-and-access: "YouTube
refresh tokens are encrypted at rest").

The Cloud KMS pattern: every secret gets its own random 256-bit data key
(DEK); the secret is sealed with AES-256-GCM under the DEK; the DEK is then
wrapped by a key-encryption key (KEK) that never leaves the key service.
Stored: the wrapped DEK + nonce + ciphertext, and the KEK's name.

- `PembungkusKunci` is the KEK interface, shaped like Cloud KMS
  `encrypt(name, plaintext, additional_authenticated_data)` /
  `decrypt(...)`: `nama_kunci`, `bungkus`, `buka`.
- `PembungkusKunciKms` (karya/adapters/kms.py) is production's KEK: a Cloud
  KMS CryptoKey through google-cloud-kms (locally the stand-in
  local/standins/kms.py).
- `PembungkusKunciLokal` is the local KEK: a 32-byte key from settings,
  AES-256-GCM. For local runs and tests only (refused in staging/prod).
- `konteks` (e.g. "karya/akun_youtube/<id>") is bound into both layers as
  additional authenticated data: a ciphertext copied onto another document
  does not decrypt there.
- Several KEKs can be given: the first encrypts, all decrypt (rotation);
  `perlu_dienkripsi_ulang` tells which stored values still use an old KEK.
  Each value names the KEK that wrapped it, so values sealed under the
  local key stay readable after a switch to KMS while the local key is
  still given (karya's bootstrap: KMS first, the local key second).

Format (one string, fits a Firestore field):
  "v1$<nama_kunci>$<b64url wrapped DEK>$<b64url nonce>$<b64url ciphertext+tag>"
"""
from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSI = "v1"
_NONCE = 12
_DEK = 32


class DekripsiGagal(Exception):
    """The value cannot be opened: tampered, wrong context, or unknown key.
    Carries no plaintext or key material. The service should ask the
    teacher to connect the YouTube account again."""


@runtime_checkable
class PembungkusKunci(Protocol):
    @property
    def nama_kunci(self) -> str: ...

    def bungkus(self, kunci_data: bytes, aad: bytes) -> bytes: ...

    def buka(self, kunci_terbungkus: bytes, aad: bytes) -> bytes: ...


class PembungkusKunciLokal:
    """Local KEK: 32 bytes from settings (e.g. base64 in an env var)."""

    def __init__(self, kunci: bytes, nama_kunci: str = "lokal/kek-1") -> None:
        if len(kunci) != 32:
            raise ValueError("KEK lokal harus 32 byte")
        if "$" in nama_kunci or not nama_kunci:
            raise ValueError("nama_kunci tidak boleh kosong atau memuat '$'")
        self._aead = AESGCM(kunci)
        self._nama = nama_kunci

    @property
    def nama_kunci(self) -> str:
        return self._nama

    def bungkus(self, kunci_data: bytes, aad: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, kunci_data, aad)

    def buka(self, kunci_terbungkus: bytes, aad: bytes) -> bytes:
        try:
            return self._aead.decrypt(kunci_terbungkus[:_NONCE], kunci_terbungkus[_NONCE:], aad)
        except (InvalidTag, ValueError):
            raise DekripsiGagal("kunci data tidak dapat dibuka") from None

    def __repr__(self) -> str:  # never print key material
        return f"PembungkusKunciLokal(nama_kunci={self._nama!r})"


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


class EnkripsiAmplop:
    def __init__(self, pembungkus: PembungkusKunci | Sequence[PembungkusKunci]) -> None:
        daftar = [pembungkus] if isinstance(pembungkus, PembungkusKunci) else list(pembungkus)
        if not daftar:
            raise ValueError("minimal satu KEK")
        self._utama = daftar[0]
        self._per_nama = {p.nama_kunci: p for p in daftar}

    @staticmethod
    def _aad(nama_kunci: str, konteks: str) -> bytes:
        return f"{VERSI}|{nama_kunci}|{konteks}".encode("utf-8")

    def enkripsi(self, data: bytes | str, konteks: str) -> str:
        if isinstance(data, str):
            data = data.encode("utf-8")
        aad = self._aad(self._utama.nama_kunci, konteks)
        dek = AESGCM.generate_key(bit_length=_DEK * 8)
        nonce = os.urandom(_NONCE)
        sandi = AESGCM(dek).encrypt(nonce, data, aad)
        terbungkus = self._utama.bungkus(dek, aad)
        return "$".join((VERSI, self._utama.nama_kunci, _b64(terbungkus), _b64(nonce), _b64(sandi)))

    def dekripsi(self, amplop: str, konteks: str) -> bytes:
        try:
            versi, nama, terbungkus, nonce, sandi = amplop.split("$")
            terbungkus_b, nonce_b, sandi_b = _unb64(terbungkus), _unb64(nonce), _unb64(sandi)
        except (ValueError, AttributeError):
            raise DekripsiGagal("format amplop tidak dikenal") from None
        pembungkus = self._per_nama.get(nama)
        if versi != VERSI or pembungkus is None or len(nonce_b) != _NONCE:
            raise DekripsiGagal("versi atau kunci amplop tidak dikenal")
        aad = self._aad(nama, konteks)
        dek = pembungkus.buka(terbungkus_b, aad)
        try:
            return AESGCM(dek).decrypt(nonce_b, sandi_b, aad)
        except (InvalidTag, ValueError):
            raise DekripsiGagal("data tidak dapat dibuka") from None

    def dekripsi_teks(self, amplop: str, konteks: str) -> str:
        return self.dekripsi(amplop, konteks).decode("utf-8")

    def perlu_dienkripsi_ulang(self, amplop: str) -> bool:
        """True when the value was sealed under a KEK other than the current one."""
        bagian = amplop.split("$")
        return len(bagian) != 5 or bagian[1] != self._utama.nama_kunci
