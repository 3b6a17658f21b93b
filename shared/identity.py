"""Who is calling: bearer ID tokens verified with google-auth, and partner API keys.

Production tokens are belajar.id (Google Workspace) ID tokens: signature
against Google's certificates, issuer, audience (one of PMM's OAuth client
ids: web, Android), expiry, the hosted domain and a verified e-mail. Locally a
development issuer with its own key signs tokens (see `local/identity.py`); the
very same code verifies them, only the issuer, audience and certificate URL
differ by settings. A user id is never taken from the request in plain: only
from a verified token.
"""
from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import flask
import requests
from google.api_core import exceptions as gexc
from google.auth import exceptions as gauth_exceptions
from google.auth import jwt as gjwt

from shared.errors import DomainError, Forbidden, Unauthenticated
from shared.events import utcnow
from shared.firestore import collection_name, count_writes, read, separate_op_count
from shared.http import Principal
from shared.logs import get_logger

log = get_logger(__name__)

CLOCK_SKEW_SECONDS = 30
# Google documents both spellings of its ID tokens' `iss`; either is Google's.
GOOGLE_ISSUERS = frozenset({"https://accounts.google.com", "accounts.google.com"})

# Certificates (see CertificateCache): how long a response without Cache-Control counts, the ceiling
# on what a response may claim, how often an unknown `kid` may trigger a fetch, how long after a
# fetch attempt a refresh or a retry after failure may try again, and the HTTP timeouts.
CERTS_DEFAULT_MAX_AGE_SECONDS = 300
CERTS_MAX_AGE_CEILING_SECONDS = 24 * 3600
UNKNOWN_KID_REFETCH_SECONDS = 60
FAILED_FETCH_RETRY_SECONDS = 5
CERTS_HTTP_TIMEOUT = (3.05, 5)
CERTS_WAIT_SECONDS = 10  # longest a request waits for a fetch whose result it needs
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*(\d+)", re.IGNORECASE)

# url -> ({kid: PEM}, lifetime in seconds or None when the response names none)
Fetch = Callable[[str], tuple[Mapping[str, str], "float | None"]]


def http_fetch_certs(session: requests.Session) -> Fetch:
    """GET the `{kid: PEM}` document; its lifetime is Cache-Control max-age less Age (RFC 9111)."""
    def fetch(url: str) -> tuple[Mapping[str, str], float | None]:
        response = session.get(url, timeout=CERTS_HTTP_TIMEOUT)
        response.raise_for_status()
        m = _MAX_AGE.search(response.headers.get("Cache-Control", ""))
        max_age = None
        if m:
            age = response.headers.get("Age", "0")
            max_age = int(m.group(1)) - (int(age) if age.isdigit() else 0)
        return response.json(), max_age
    return fetch


@dataclass(frozen=True)
class _Snapshot:
    certs: Mapping[str, str]
    fetched_at: float
    max_age: float

    @property
    def expires_at(self) -> float:
        return self.fetched_at + self.max_age

    @property
    def refresh_at(self) -> float:
        # Refresh from half-life on, so a failing endpoint leaves the other half of the
        # certificates' own lifetime to be served stale before anything is refused.
        return self.fetched_at + self.max_age / 2


class CertificateCache:
    """The issuer's signing certificates, fetched at most by one request at a time.

    - Fresh certificates answer without a lock.
    - From half their lifetime (Cache-Control max-age) on, the first request to notice refreshes them
      while every other request keeps verifying with the cached ones; a failed refresh is logged, the
      cached certificates keep serving until their max-age ends, and the next try waits
      FAILED_FETCH_RETRY_SECONDS.
    - An unknown `kid` (a rotated key, or a forged token) triggers a fetch at most once per
      UNKNOWN_KID_REFETCH_SECONDS; in between the token is refused with the cached certificates.
    - With nothing usable cached, requests wait for the one fetch in flight (at most
      CERTS_WAIT_SECONDS) and use its outcome instead of fetching again each; after a failure the
      next fetch waits FAILED_FETCH_RETRY_SECONDS. Until then they get 503, not 500.
    """

    def __init__(self, url: str, fetch: Fetch, clock: Callable[[], float] = time.monotonic) -> None:
        self.url = url
        self._fetch = fetch
        self._clock = clock
        self._snap = _Snapshot({}, -math.inf, 0.0)
        self._lock = threading.Lock()  # held only by the request that fetches
        self._generation = 0  # fetch attempts finished
        self._last_attempt = -math.inf
        self._last_failed = False

    def get(self, kid: str | None) -> Mapping[str, str]:
        now = self._clock()
        snap = self._snap
        usable = now < snap.expires_at
        if usable and (kid is None or kid in snap.certs):
            if (now >= snap.refresh_at and now - self._last_attempt >= FAILED_FETCH_RETRY_SECONDS
                    and self._lock.acquire(blocking=False)):
                try:
                    self._attempt()
                finally:
                    self._lock.release()
            return self._snap.certs if self._clock() < self._snap.expires_at else snap.certs
        if usable and now - self._last_attempt < UNKNOWN_KID_REFETCH_SECONDS:
            return snap.certs  # fetched moments ago: the kid is not the issuer's (yet); the token fails
        generation = self._generation
        if self._lock.acquire(timeout=CERTS_WAIT_SECONDS):
            try:
                waited_for_another = self._generation != generation
                backing_off = (not usable and self._last_failed
                               and self._clock() - self._last_attempt < FAILED_FETCH_RETRY_SECONDS)
                if not waited_for_another and not backing_off:
                    self._attempt()
            finally:
                self._lock.release()
        snap = self._snap
        if self._clock() < snap.expires_at:
            return snap.certs
        raise DomainError("verifikasi_token_tidak_tersedia",
                          "Sesi masuk Anda belum dapat diperiksa saat ini. Coba lagi dalam beberapa saat.",
                          status=503)

    def _attempt(self) -> None:
        started = self._last_attempt = self._clock()
        try:
            certs, max_age = self._fetch(self.url)
            if not isinstance(certs, Mapping) or not certs or not all(
                    isinstance(k, str) and isinstance(v, str) for k, v in certs.items()):
                raise ValueError("not a {kid: PEM certificate} document")
            if max_age is None:
                max_age = CERTS_DEFAULT_MAX_AGE_SECONDS
            self._snap = _Snapshot(dict(certs), started, float(min(max(max_age, 0), CERTS_MAX_AGE_CEILING_SECONDS)))
            self._last_failed = False
        except Exception as exc:  # noqa: BLE001 - any failure: keep what we have, answer from it
            self._last_failed = True
            log.warning("token certificates fetch failed; serving cached certificates while they last",
                        extra={"certs_url": self.url, "error": type(exc).__name__})
        finally:
            self._generation += 1


class TokenVerifier:
    """Verifies RS256 ID tokens against an issuer's `{kid: PEM certificate}` document."""

    def __init__(self, issuer: str, audience: str | Iterable[str], certs_url: str,
                 hosted_domain: str | None = None, fetch: Fetch | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.issuer = issuer
        self.issuers = GOOGLE_ISSUERS if issuer in GOOGLE_ISSUERS else frozenset({issuer})
        self.audiences = [audience] if isinstance(audience, str) else list(audience)
        if not self.audiences:
            raise ValueError("at least one audience")
        self.certs_url = certs_url
        self.hosted_domain = hosted_domain
        self.certificates = CertificateCache(certs_url, fetch or http_fetch_certs(requests.Session()), clock)

    def verify(self, token: str) -> dict[str, Any]:
        """Claims of a valid token; raises Unauthenticated otherwise."""
        try:
            header = gjwt.decode_header(token)
        except Exception:  # noqa: BLE001 - any garbage is the same answer
            raise _invalid("Token tidak dapat dibaca.") from None
        kid = header.get("kid") if isinstance(header, dict) else None
        certs = self.certificates.get(kid if isinstance(kid, str) else None)
        try:
            # A list: the token's `aud` must be one of them (a comma-joined string would be one audience).
            claims = gjwt.decode(token, certs=certs, audience=self.audiences,
                                 clock_skew_in_seconds=CLOCK_SKEW_SECONDS)
        except (ValueError, gauth_exceptions.GoogleAuthError) as exc:
            text = str(exc).lower()
            if "expired" in text or "too early" in text:
                raise Unauthenticated("token_kedaluwarsa", "Sesi Anda sudah berakhir. Silakan masuk lagi.") from None
            if "audience" in text:
                raise _invalid("Token ini bukan untuk layanan ini.") from None
            raise _invalid("Tanda tangan token tidak valid.") from None
        if claims.get("iss") not in self.issuers:
            raise _invalid("Penerbit token tidak dikenal.")
        if self.hosted_domain and claims.get("hd") != self.hosted_domain:
            raise _invalid(f"Masuk dengan akun {self.hosted_domain} Anda.")
        if not claims.get("sub"):
            raise _invalid("Token tidak memuat identitas pengguna.")
        # Callers are identified by their e-mail: an address Google has not verified identifies no one.
        if claims.get("email") and claims.get("email_verified") not in (True, "true"):
            raise Unauthenticated("email_belum_terverifikasi",
                                  "Alamat email akun Anda belum terverifikasi. Verifikasi alamat email akun "
                                  "belajar.id Anda, lalu masuk lagi.")
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


class EmailBinding:
    """The first Google account (`sub`) seen for an e-mail address, per service.

    kinerja, umpan_balik and sinkro find a caller's records through the e-mail (Dapodik and SIASN
    know people by their belajar.id address), and Workspace can give a deleted user's address to a
    new account later. So the first `sub` a service sees for an address is bound to it
    (`<service>__ikatan_email/<hash of the address>`, written with a create that fails if another
    request bound it first); a token with another `sub` for a bound address gets 403
    `akun_email_berganti` telling the user to contact the admin, who moves the data and deletes the
    binding document (the next sign-in binds the new account).

    Cost: one read the first time a process sees an (address, sub) pair, plus one write the first
    time ever, logged on their own line (`ikatan email`, with `firestore_reads`/`firestore_writes`)
    rather than in the request's, so per-route budgets keep measuring the route. A confirmed pair is
    cached in the process (bounded LRU): a binding never moves to another `sub` except by the admin,
    and only for a deleted account, which gets no new tokens. A refusal is not cached, so the admin's
    fix applies at once. The address itself is never stored nor logged, only its hash.
    """

    COLLECTION = "ikatan_email"

    def __init__(self, db: Any, service: str, cache_size: int = 20_000) -> None:
        self.db = db
        self.service = service
        self.cache_size = cache_size
        self._confirmed: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def key(self, email: str) -> str:
        return hashlib.sha256(f"{self.service}.ikatan_email|{email.strip().lower()}".encode()).hexdigest()

    def check(self, principal: Principal) -> None:
        if not principal.email:
            return
        key = self.key(principal.email)
        with self._lock:
            if self._confirmed.get(key) == principal.sub:
                self._confirmed.move_to_end(key)
                return
        ref = self.db.collection(collection_name(self.service, self.COLLECTION)).document(key)
        with separate_op_count() as ops:
            bound = (read(ref) or {}).get("sub")
            outcome = "cocok"
            if bound is None:
                try:
                    ref.create({"sub": principal.sub, "terikat_pada": utcnow()})
                    count_writes(1)
                    bound, outcome = principal.sub, "baru"
                except gexc.Conflict:  # another request bound the address between our read and create
                    bound = (read(ref) or {}).get("sub")
            if bound != principal.sub:
                outcome = "berbeda"
        log.info("ikatan email", extra={"ikatan": key[:16], "hasil": outcome,
                                        "firestore_reads": ops.reads, "firestore_writes": ops.writes})
        if bound != principal.sub:
            raise Forbidden("akun_email_berganti",
                            "Alamat email ini sudah terhubung dengan akun belajar.id lain di PMM. Hubungi admin "
                            "PMM di sekolah atau dinas Anda untuk memindahkan data ke akun yang sekarang.",
                            aktor="admin")
        with self._lock:
            self._confirmed[key] = principal.sub
            while len(self._confirmed) > self.cache_size:
                self._confirmed.popitem(last=False)


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
