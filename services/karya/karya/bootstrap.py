"""Composition root of the Bukti Karya service: the one place adapters are chosen.

Tests call `bootstrap(**overrides)` with replacements instead of patching.

Locally (local/cloud.py) every Google URL points at the stand-ins
(local/standins/google.py for OAuth and YouTube, local/standins/kms.py for
Cloud KMS). In production the same settings point at Google (the defaults).

The refresh tokens' key-encryption key (`enkripsi`, karya/adapters/kripto.py):
- `PMM_KMS_KUNCI_TOKEN` (a CryptoKey resource name,
  `projects/*/locations/*/keyRings/*/cryptoKeys/*`) selects Cloud KMS:
  `PembungkusKunciKms` (karya/adapters/kms.py) wraps each token's data key
  with KMS encrypt/decrypt and the envelope's additional authenticated data.
  Required in staging/prod, where Terraform sets it to the `token` key of
  infra/modules/kms (the functions' service account holds
  roles/cloudkms.cryptoKeyEncrypterDecrypter on it). `PMM_KMS_URL` points the
  client at another endpoint: locally the stand-in (`http://`, anonymous
  credentials; refused in staging/prod), unset in production.
- `PMM_KUNCI_ENKRIPSI_TOKEN` (base64 of 32 bytes) is the fixed local key,
  local/test only: staging/prod refuse it at start (SettingsError naming the
  variable).
- Both set (the local cloud): KMS seals new values and both open, since each
  value names the key that wrapped it; values sealed under the local key
  before the local cloud used KMS stay readable. Only one set: that one.
  Neither: the first encryption raises SettingsError naming both.
The KMS client is created at the first wrap or unwrap, not at import.

`PMM_RAHASIA_STATE` and `PMM_GOOGLE_CLIENT_SECRET` come from Secret Manager.
"""
from __future__ import annotations

import base64
import binascii
import functools
from functools import cached_property
from typing import Any

from pydantic import Field, SecretStr, ValidationInfo, field_validator

from shared.batas import Jatah, JatahSetelan
from shared.platform import Platform
from shared.settings import Settings, SettingsError, load_settings

from karya.adapters.kms import PembungkusKunciKms, periksa_nama_kunci
from karya.adapters.kripto import EnkripsiAmplop, PembungkusKunci, PembungkusKunciLokal
from karya.adapters.youtube import TOKEN_URI_GOOGLE, CacheToken, KlienYoutube, KonfigurasiGoogle
from karya.domain.oauth import AUTH_URI_GOOGLE


PRODUKSI = ("staging", "prod")  # stages that refuse the local key and the plain-HTTP KMS stand-in


class KaryaSettings(Settings):
    """Settings of this service (beyond the platform's)."""

    google_auth_url: str = Field(AUTH_URI_GOOGLE, alias="PMM_GOOGLE_OAUTH_AUTH_URL",
                                 description="Google's OAuth 2.0 authorization endpoint")
    google_token_url: str = Field(TOKEN_URI_GOOGLE, alias="PMM_GOOGLE_TOKEN_URL",
                                  description="Google's OAuth 2.0 token endpoint")
    google_revoke_url: str | None = Field(
        None, alias="PMM_GOOGLE_REVOKE_URL",
        description="token revocation endpoint (default: `/revoke` beside the token endpoint)")
    youtube_api_url: str | None = Field(None, alias="PMM_YOUTUBE_API_URL",
                                        description="YouTube Data API root (default https://youtube.googleapis.com/)")
    google_client_id: str = Field(alias="PMM_GOOGLE_CLIENT_ID", min_length=1,
                                  description="OAuth client id of PMM (web application)")
    google_client_secret: SecretStr = Field(alias="PMM_GOOGLE_CLIENT_SECRET",
                                            description="OAuth client secret (Secret Manager in production)")
    kunci_enkripsi_token: SecretStr | None = Field(
        None, alias="PMM_KUNCI_ENKRIPSI_TOKEN",
        description="base64 of the 32-byte local key-encryption key for refresh tokens (local/test only)")
    kms_kunci_token: str | None = Field(
        None, alias="PMM_KMS_KUNCI_TOKEN", validate_default=True,
        description="Cloud KMS CryptoKey resource name wrapping refresh-token data keys (required in staging/prod)")
    kms_url: str | None = Field(
        None, alias="PMM_KMS_URL",
        description="Cloud KMS API endpoint (default Google's; locally the stand-in, http:// only in local/test)")
    rahasia_state: SecretStr = Field(alias="PMM_RAHASIA_STATE", min_length=32,
                                     description="HMAC secret (>= 32 bytes) signing the OAuth `state`")
    url_publik: str = Field("http://localhost:8080", alias="PMM_URL_PUBLIK",
                            description="base URL the browser sees (the API Gateway / web app host)")
    oauth_redirect_uri: str | None = Field(
        None, alias="PMM_KARYA_OAUTH_REDIRECT_URI",
        description="registered OAuth redirect URI (default: <url_publik>/v1/karya/youtube/callback)")
    url_tautan_karya: str | None = Field(
        None, alias="PMM_URL_TAUTAN_KARYA",
        description="base of share links (default: <url_publik>/bukti-karya/t)")
    versi_persetujuan: str = Field("2024-01", alias="PMM_VERSI_PERSETUJUAN", min_length=1, max_length=64,
                                   description="version of the Terms/Privacy text a teacher consents to (K5)")
    batas_periksa_video: int = Field(500, alias="PMM_BATAS_PERIKSA_VIDEO", ge=1, le=5000,
                                     description="karya re-checked per scheduler tick")
    # Per-teacher budgets on the routes that spend the app's YouTube quota (10,000 units a day for
    # everyone; OWASP API4): a loop is stopped within a minute, and one teacher can spend about 1 %
    # of the day. A normal import (connect, a page of uploads, pick, save) costs 3-4 units.
    batas_youtube_menit: JatahSetelan = Field(Jatah(20, 60), alias="PMM_BATAS_YOUTUBE_MENIT",
                                              description="YouTube-spending requests per teacher: <jumlah>/<detik>")
    batas_youtube_hari: JatahSetelan = Field(Jatah(100, 86400), alias="PMM_BATAS_YOUTUBE_HARI",
                                             description="YouTube-spending requests per teacher a day (UTC day)")

    @field_validator("kunci_enkripsi_token")
    @classmethod
    def _kunci_32_byte(cls, v: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if v is None:
            return v
        if info.data.get("environment") in PRODUKSI:
            raise ValueError("kunci lokal hanya untuk local/test; staging/prod memakai Cloud KMS "
                             "(PMM_KMS_KUNCI_TOKEN)")
        try:
            raw = base64.b64decode(v.get_secret_value(), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("harus base64") from None
        if len(raw) != 32:
            raise ValueError("harus base64 dari tepat 32 byte")
        return v

    @field_validator("kms_kunci_token")
    @classmethod
    def _kunci_kms(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is None:
            if info.data.get("environment") in PRODUKSI:
                raise ValueError("wajib di staging/prod: nama kunci Cloud KMS untuk refresh token")
            return v
        return periksa_nama_kunci(v)

    @field_validator("kms_url")
    @classmethod
    def _url_kms(cls, v: str | None, info: ValidationInfo) -> str | None:
        if v is None:
            return v
        if not v.startswith(("https://", "http://")):
            raise ValueError("harus URL http(s)://")
        if v.startswith("http://") and info.data.get("environment") in PRODUKSI:
            raise ValueError("http:// (stand-in lokal) hanya untuk local/test")
        return v


class KaryaPlatform(Platform):
    """The platform plus karya's own adapters, each built at first use."""

    settings: KaryaSettings
    ikat_email = False  # karya keys every record by the caller's `sub` and never reads the e-mail

    @cached_property
    def google(self) -> KonfigurasiGoogle:
        s = self.settings
        revoke = s.google_revoke_url or s.google_token_url.rsplit("/", 1)[0] + "/revoke"
        api = s.youtube_api_url.rstrip("/") + "/" if s.youtube_api_url else None
        return KonfigurasiGoogle(client_id=s.google_client_id, client_secret=s.google_client_secret,
                                 token_uri=s.google_token_url, auth_uri=s.google_auth_url,
                                 revoke_uri=revoke, api_endpoint=api)

    @cached_property
    def enkripsi(self) -> EnkripsiAmplop:
        """Cloud KMS first (seals), the local key second (opens what it sealed before); see the docstring."""
        s = self.settings
        pembungkus: list[PembungkusKunci] = []
        if s.kms_kunci_token:
            pembungkus.append(PembungkusKunciKms(s.kms_kunci_token, api_endpoint=s.kms_url))
        if s.kunci_enkripsi_token is not None:
            pembungkus.append(PembungkusKunciLokal(base64.b64decode(s.kunci_enkripsi_token.get_secret_value())))
        if not pembungkus:
            raise SettingsError("KaryaSettings: refresh tokens cannot be encrypted: set PMM_KMS_KUNCI_TOKEN "
                                "(Cloud KMS key) or, local/test only, PMM_KUNCI_ENKRIPSI_TOKEN")
        return EnkripsiAmplop(pembungkus)

    @cached_property
    def rahasia_state(self) -> bytes:
        return self.settings.rahasia_state.get_secret_value().encode("utf-8")

    @cached_property
    def redirect_uri(self) -> str:
        s = self.settings
        return s.oauth_redirect_uri or s.url_publik.rstrip("/") + "/v1/karya/youtube/callback"

    @cached_property
    def url_tautan(self) -> str:
        s = self.settings
        return s.url_tautan_karya or s.url_publik.rstrip("/") + "/bukti-karya/t"

    @cached_property
    def cache_token(self) -> CacheToken:
        """Per process: decrypted refresh + access tokens by account (see CacheToken)."""
        return CacheToken()

    def klien_youtube(self, refresh_token: str, **token: Any) -> KlienYoutube:
        return KlienYoutube(self.google, refresh_token=refresh_token, **token)


@functools.cache
def default() -> KaryaPlatform:
    """The process-wide platform, built at first use from the environment."""
    return bootstrap()


def bootstrap(settings: KaryaSettings | None = None, **overrides: Any) -> KaryaPlatform:
    return KaryaPlatform(settings or load_settings(KaryaSettings), **overrides)
