"""Partner API keys (e-Kinerja calling our "Sinkro PMM" route): a whitelist that rotates without a redeploy.

The whitelist is `name=hmac-sha256(key, pepper)` pairs, comma-separated; a partner may appear more than
once, so while a key is rotated both the old and the new one are valid (put the new hash in, hand the new
key over, take the old hash out). Stored hashed with a pepper and compared in constant time, as
`shared.identity` does (its `hash_api_key` is reused).

Where it comes from:
- production: Secret Manager, read at runtime (`PMM_KUNCI_MITRA_RAHASIA`: a secret id of this project, or
  a full `projects/*/secrets/*/versions/*` name; `latest` by default) through the REST method
  `projects.secrets.versions.access` (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access),
  and read again every `PMM_KUNCI_MITRA_SEGAR_DETIK` (5 minutes by default). A secret mounted as an
  environment variable is resolved only when an instance starts, so a new version would need a redeploy;
- locally and as a fallback: `PMM_KUNCI_MITRA` (the environment).

A failed re-read keeps the last good whitelist (logged, retried after a short pause): a Secret Manager
hiccup must not lock the partner out.
"""
from __future__ import annotations

import base64
import hmac
import logging
import threading
import time
from typing import Callable

from shared.identity import hash_api_key

log = logging.getLogger(__name__)

SECRET_MANAGER_URL = "https://secretmanager.googleapis.com/v1"
JEDA_SETELAH_GAGAL = 30.0  # seconds before a failed re-read is tried again


def urai_kunci_mitra(spec: str) -> dict[str, tuple[str, ...]]:
    """`name=hash,name=hash2,...` -> {name: (hash, hash2)}; order kept, duplicates dropped."""
    hasil: dict[str, list[str]] = {}
    for bagian in spec.replace("\n", ",").split(","):
        nama, _, nilai = bagian.strip().partition("=")
        if nama.strip() and nilai.strip() and nilai.strip() not in hasil.setdefault(nama.strip(), []):
            hasil[nama.strip()].append(nilai.strip())
    return {k: tuple(v) for k, v in hasil.items() if v}


def nama_versi_rahasia(rahasia: str, project: str) -> str:
    """A secret id -> `projects/<project>/secrets/<id>/versions/latest`; a full name stays."""
    if rahasia.startswith("projects/"):
        return rahasia if "/versions/" in rahasia else f"{rahasia}/versions/latest"
    return f"projects/{project}/secrets/{rahasia}/versions/latest"


def pembaca_secret_manager(nama_versi: str, session=None) -> Callable[[], str]:
    """Reads the secret version's payload with the function's own service account (ADC)."""

    def baca() -> str:
        nonlocal session
        if session is None:
            import google.auth
            from google.auth.transport.requests import AuthorizedSession

            kredensial, _ = google.auth.default(scopes=["https://www.googleapis.com/auth/cloud-platform"])
            session = AuthorizedSession(kredensial)
        jawaban = session.get(f"{SECRET_MANAGER_URL}/{nama_versi}:access", timeout=10)
        jawaban.raise_for_status()
        return base64.b64decode(jawaban.json()["payload"]["data"]).decode("utf-8")

    return baca


class SumberKunciMitra:
    """The partner whitelist, re-read every `segar_detik` (thread-safe)."""

    def __init__(self, baca: Callable[[], str], pepper: str, *, segar_detik: float = 300.0,
                 cadangan: str = "", jam: Callable[[], float] = time.monotonic) -> None:
        self._baca, self._pepper, self._segar, self._jam = baca, pepper, segar_detik, jam
        self._kunci = urai_kunci_mitra(cadangan)
        self._berikut = 0.0  # read at first use
        self._lock = threading.Lock()

    def _segarkan(self) -> dict[str, tuple[str, ...]]:
        with self._lock:
            sekarang = self._jam()
            if sekarang >= self._berikut:
                try:
                    baru = urai_kunci_mitra(self._baca())
                except Exception as exc:  # noqa: BLE001 - keep the last good whitelist
                    log.error("daftar kunci mitra gagal dibaca ulang, memakai yang terakhir",
                              extra={"galat": type(exc).__name__})
                    self._berikut = sekarang + min(self._segar, JEDA_SETELAH_GAGAL)
                else:
                    if not baru:
                        log.error("daftar kunci mitra kosong, memakai yang terakhir")
                    else:
                        self._kunci = baru
                    self._berikut = sekarang + self._segar
            return self._kunci

    def mitra_untuk(self, kunci: str) -> str | None:
        """The partner whose (current or next) key this is; every stored hash compared, no early exit."""
        calon = hash_api_key(kunci, self._pepper)
        ketemu = None
        for mitra, daftar in self._segarkan().items():
            for tersimpan in daftar:
                if hmac.compare_digest(calon, tersimpan):
                    ketemu = mitra
        return ketemu
