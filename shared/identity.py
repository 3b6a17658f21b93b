"""Who is calling: bearer ID tokens verified with google-auth, and partner API keys.

Production tokens are belajar.id (Google Workspace) ID tokens: signature
against Google's certificates, issuer, audience (PMM's OAuth client id),
expiry, and the hosted domain. Locally a development issuer with its own key
signs tokens (see `local/identity.py`); the very same code verifies them,
only the issuer, audience and certificate URL differ by settings.
A user id is never taken from the request in plain: only from a verified token.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from typing import Any, Callable, Iterable

import flask
import requests
from google.auth import exceptions as gauth_exceptions
from google.auth import jwt as gjwt

from shared.errors import DomainError, Unauthenticated
from shared.http import Principal

CERTS_TTL_SECONDS = 3600
CLOCK_SKEW_SECONDS = 30


class TokenVerifier:
    """Verifies RS256 ID tokens against an issuer's `{kid: PEM certificate}` document."""

    def __init__(self, issuer: str, audience: str, certs_url: str, hosted_domain: str | None = None,
                 fetch: Callable[[str], dict[str, str]] | None = None) -> None:
        self.issuer = issuer
        self.audience = audience
        self.certs_url = certs_url
        self.hosted_domain = hosted_domain
        self._fetch = fetch or self._http_fetch
        self._certs: dict[str, str] = {}
        self._fetched_at = 0.0
        self._lock = threading.Lock()
        self._session = requests.Session()

    def _http_fetch(self, url: str) -> dict[str, str]:
        response = self._session.get(url, timeout=5)
        response.raise_for_status()
        return response.json()

    def _certificates(self, refresh: bool = False) -> dict[str, str]:
        with self._lock:
            if refresh or not self._certs or time.monotonic() - self._fetched_at > CERTS_TTL_SECONDS:
                self._certs = self._fetch(self.certs_url)
                self._fetched_at = time.monotonic()
            return self._certs

    def verify(self, token: str) -> dict[str, Any]:
        """Claims of a valid token; raises Unauthenticated otherwise."""
        try:
            header = gjwt.decode_header(token)
        except Exception:  # noqa: BLE001 - any garbage is the same answer
            raise _invalid("Token tidak dapat dibaca.") from None
        certs = self._certificates()
        if header.get("kid") not in certs:  # key rotated since we cached: fetch once more
            certs = self._certificates(refresh=True)
        try:
            claims = gjwt.decode(token, certs=certs, audience=self.audience,
                                 clock_skew_in_seconds=CLOCK_SKEW_SECONDS)
        except (ValueError, gauth_exceptions.GoogleAuthError) as exc:
            text = str(exc).lower()
            if "expired" in text or "too early" in text:
                raise Unauthenticated("token_kedaluwarsa", "Sesi Anda sudah berakhir. Silakan masuk lagi.") from None
            if "audience" in text:
                raise _invalid("Token ini bukan untuk layanan ini.") from None
            raise _invalid("Tanda tangan token tidak valid.") from None
        if claims.get("iss") != self.issuer:
            raise _invalid("Penerbit token tidak dikenal.")
        if self.hosted_domain and claims.get("hd") != self.hosted_domain:
            raise _invalid(f"Masuk dengan akun {self.hosted_domain} Anda.")
        if not claims.get("sub"):
            raise _invalid("Token tidak memuat identitas pengguna.")
        return claims

    def principal(self, request: flask.Request) -> Principal:
        # Behind API Gateway the caller's token moves to X-Forwarded-Authorization (the gateway
        # calls the function with its own identity). Whichever header carries it, the token is
        # verified in full, so preferring the forwarded one trusts nothing unverified.
        header = request.headers.get("X-Forwarded-Authorization") or request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("token_tidak_ada", "Silakan masuk terlebih dahulu (token tidak ditemukan).")
        claims = self.verify(token.strip())
        return Principal(sub=claims["sub"], email=claims.get("email"))


def _invalid(pesan: str) -> Unauthenticated:
    return Unauthenticated("token_tidak_valid", pesan)


# --- partner API keys (e-Kinerja calling us)
def new_api_key() -> str:
    return "pmm_" + secrets.token_urlsafe(32)


def hash_api_key(key: str, pepper: str) -> str:
    """Keyed hash stored instead of the key (a leaked table reveals no usable key)."""
    return hmac.new(pepper.encode(), key.encode(), hashlib.sha256).hexdigest()


class ApiKeyVerifier:
    """Partner whitelist: `{partner name: hashed key}`; compared in constant time."""

    def __init__(self, hashed_keys: dict[str, str], pepper: str) -> None:
        self.hashed_keys = dict(hashed_keys)
        self.pepper = pepper

    def partner_for(self, key: str) -> str | None:
        candidate = hash_api_key(key, self.pepper)
        found = None
        for partner, stored in self.hashed_keys.items():  # no early exit: same time for every key
            if hmac.compare_digest(candidate, stored):
                found = partner
        return found

    def principal(self, request: flask.Request) -> Principal:
        key = request.headers.get("x-api-key", "")
        partner = self.partner_for(key) if key else None
        if partner is None:
            # SRC-BIMTEK-MAPPI error #6: "xApiKey tidak ada di whitelist".
            raise DomainError("kunci_api_tidak_terdaftar",
                              "xApiKey tidak ada di whitelist. Hubungi pengelola PMM untuk mendaftarkan kunci Anda.",
                              status=401, nomor_galat=6)
        return Principal(sub=f"mitra:{partner}", jenis="mitra", mitra=partner)


def parse_hashed_keys(spec: str) -> dict[str, str]:
    """`name=hash,name2=hash2` from settings into a dict."""
    pairs: Iterable[str] = (p for p in spec.split(",") if p.strip())
    return {name.strip(): value.strip() for name, _, value in (p.partition("=") for p in pairs)}
