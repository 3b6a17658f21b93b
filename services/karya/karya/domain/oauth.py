"""Pure helpers for "Login dengan akun YouTube" (K3, K4): Google's OAuth 2.0
authorization-code flow for a web server app, with PKCE (RFC 7636, S256) and
a `state` bound to the signed-in PMM user.

- The authorization URL asks only for `youtube.readonly`, offline access (a
  refresh token) and `prompt=select_account consent`: the teacher picks the
  Google account they upload with (SRC-BUKTI-KARYA, III.1 step 5; also "Ganti akun")
  and Google asks consent again, so a refresh token is always returned.
- `state` = "v1.<payload>.<signature>": payload holds a keyed hash of the
  user id (the id itself never goes to Google), a nonce and an expiry;
  signature is HMAC-SHA256 with a server secret. Verification needs the
  user id from the session, so a state issued to another user is refused.
  Replay is stopped by `PermintaanOtorisasi` (one stored per nonce, used once).

No I/O here; time comes in as `sekarang` and randomness can be injected.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from pydantic import AwareDatetime

from shared.errors import DomainError, Forbidden
from shared.models import FrozenModel, Identifier

SCOPE_YOUTUBE_READONLY = "https://www.googleapis.com/auth/youtube.readonly"
AUTH_URI_GOOGLE = "https://accounts.google.com/o/oauth2/v2/auth"
BERLAKU_STATE = timedelta(minutes=10)
_VERIFIER = re.compile(r"^[A-Za-z0-9._~-]{43,128}$")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- PKCE -------------------------------------------------------------------

def buat_code_verifier() -> str:
    """86 characters from the unreserved set (RFC 7636 4.1 allows 43-128)."""
    return secrets.token_urlsafe(64)


def code_challenge_s256(code_verifier: str) -> str:
    """BASE64URL(SHA256(ASCII(code_verifier))) without padding (RFC 7636 4.2)."""
    if not _VERIFIER.match(code_verifier):
        raise ValueError("code_verifier harus 43-128 karakter [A-Za-z0-9._~-]")
    return _b64(hashlib.sha256(code_verifier.encode("ascii")).digest())


# --- authorization URL -------------------------------------------------------

def url_otorisasi(
    *,
    client_id: str,
    redirect_uri: str,
    state: str,
    code_challenge: str,
    auth_uri: str = AUTH_URI_GOOGLE,
    login_hint: str | None = None,
) -> str:
    params = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": SCOPE_YOUTUBE_READONLY,
        "access_type": "offline",
        "prompt": "select_account consent",
        "state": state,
        "code_challenge": code_challenge,
        "code_challenge_method": "S256",
    }
    if login_hint:
        params["login_hint"] = login_hint
    return f"{auth_uri}?{urlencode(params)}"


# --- state -------------------------------------------------------------------

class DataState(FrozenModel):
    nonce: str
    kedaluwarsa_pada: AwareDatetime


def _rahasia_list(rahasia: bytes | Sequence[bytes]) -> list[bytes]:
    daftar = [rahasia] if isinstance(rahasia, bytes) else list(rahasia)
    if not daftar or any(len(r) < 32 for r in daftar):
        raise ValueError("rahasia state minimal 32 byte")
    return daftar


def _hash_pengguna(rahasia: bytes, pengguna_id: str) -> str:
    return _b64(hmac.new(rahasia, b"pengguna:" + pengguna_id.encode("utf-8"), hashlib.sha256).digest()[:16])


def _tanda_tangan(rahasia: bytes, payload: str) -> str:
    return _b64(hmac.new(rahasia, b"state:v1:" + payload.encode("ascii"), hashlib.sha256).digest())


def buat_state(
    rahasia: bytes | Sequence[bytes],
    pengguna_id: str,
    sekarang: datetime,
    *,
    nonce: str | None = None,
    berlaku: timedelta = BERLAKU_STATE,
) -> tuple[str, DataState]:
    """Signs a state for `pengguna_id`. With several secrets (rotation) the
    first one signs and all of them verify."""
    kunci = _rahasia_list(rahasia)[0]
    nonce = nonce or secrets.token_urlsafe(16)
    kedaluwarsa = sekarang + berlaku
    payload = _b64(json.dumps(
        {"u": _hash_pengguna(kunci, pengguna_id), "n": nonce, "x": int(kedaluwarsa.timestamp())},
        separators=(",", ":"),
    ).encode("utf-8"))
    state = f"v1.{payload}.{_tanda_tangan(kunci, payload)}"
    return state, DataState(nonce=nonce, kedaluwarsa_pada=kedaluwarsa.astimezone(timezone.utc))


def _tidak_valid() -> DomainError:
    return DomainError(
        "state_tidak_valid",
        "Permintaan login YouTube tidak valid. Ulangi dengan klik 'Login dengan akun YouTube'.",
        status=400,
    )


def _kedaluwarsa() -> DomainError:
    return DomainError(
        "state_kedaluwarsa",
        "Waktu login YouTube sudah habis. Ulangi dengan klik 'Login dengan akun YouTube'.",
        status=410,  # gone: the pending attempt (PKCE verifier) expired and is deleted by TTL
    )


def _pengguna_lain() -> Forbidden:
    return Forbidden(
        "state_pengguna_lain",
        "Login YouTube ini dimulai oleh akun PMM lain. Ulangi login YouTube dari akun PMM Anda sendiri.",
    )


def _sudah_dipakai() -> DomainError:
    return DomainError(
        "state_sudah_dipakai",
        "Permintaan login YouTube ini sudah pernah dipakai. Ulangi dengan klik 'Login dengan akun YouTube'.",
        status=409,
    )


def periksa_state(
    rahasia: bytes | Sequence[bytes], state: str, pengguna_id: str, sekarang: datetime
) -> DataState:
    """Verifies signature, owner and expiry; returns the nonce to look the
    pending `PermintaanOtorisasi` up by. Kodes: state_tidak_valid,
    state_pengguna_lain, state_kedaluwarsa."""
    bagian = (state or "").split(".")
    if len(bagian) != 3 or bagian[0] != "v1" or len(state) > 512:
        raise _tidak_valid()
    _, payload, tanda = bagian
    kunci = next(
        (k for k in _rahasia_list(rahasia) if hmac.compare_digest(_tanda_tangan(k, payload), tanda)),
        None,
    )
    if kunci is None:
        raise _tidak_valid()
    try:
        data = json.loads(_unb64(payload))
        nonce, exp, u = str(data["n"]), int(data["x"]), str(data["u"])
    except (ValueError, KeyError, TypeError):
        raise _tidak_valid() from None
    if not hmac.compare_digest(u, _hash_pengguna(kunci, pengguna_id)):
        raise _pengguna_lain()
    kedaluwarsa = datetime.fromtimestamp(exp, tz=timezone.utc)
    if sekarang >= kedaluwarsa:
        raise _kedaluwarsa()
    return DataState(nonce=nonce, kedaluwarsa_pada=kedaluwarsa)


class PermintaanOtorisasi(FrozenModel):
    """A login started and not yet finished, stored under its nonce (for
    about ten minutes). Holds the PKCE verifier, which never leaves the
    server; used exactly once."""

    nonce: str
    pengguna_id: Identifier
    code_verifier: str
    redirect_uri: str
    dibuat_pada: AwareDatetime
    kedaluwarsa_pada: AwareDatetime
    dipakai_pada: AwareDatetime | None = None

    def pakai(self, pengguna_id: str, sekarang: datetime) -> "PermintaanOtorisasi":
        if self.dipakai_pada is not None:
            raise _sudah_dipakai()
        if pengguna_id != self.pengguna_id:
            raise _pengguna_lain()
        if sekarang >= self.kedaluwarsa_pada:
            raise _kedaluwarsa()
        return self.model_copy(update={"dipakai_pada": sekarang})


class MulaiOtorisasi(FrozenModel):
    url: str
    permintaan: PermintaanOtorisasi


def mulai_otorisasi(
    *,
    rahasia: bytes | Sequence[bytes],
    pengguna_id: str,
    client_id: str,
    redirect_uri: str,
    sekarang: datetime,
    auth_uri: str = AUTH_URI_GOOGLE,
    code_verifier: str | None = None,
    nonce: str | None = None,
) -> MulaiOtorisasi:
    """Everything "Login dengan akun YouTube" needs: the URL to send the
    browser to and the pending request to store under its nonce."""
    verifier = code_verifier or buat_code_verifier()
    state, data = buat_state(rahasia, pengguna_id, sekarang, nonce=nonce)
    url = url_otorisasi(
        client_id=client_id, redirect_uri=redirect_uri, state=state,
        code_challenge=code_challenge_s256(verifier), auth_uri=auth_uri,
    )
    return MulaiOtorisasi(url=url, permintaan=PermintaanOtorisasi(
        nonce=data.nonce, pengguna_id=pengguna_id, code_verifier=verifier,
        redirect_uri=redirect_uri, dibuat_pada=sekarang, kedaluwarsa_pada=data.kedaluwarsa_pada,
    ))
