"""YouTube adapter of Bukti Karya (K3): reads a teacher's own channel through
the unchanged Google client libraries.

- API calls: google-api-python-client (`googleapiclient`), built from the
  discovery document the library ships (static discovery: no network fetch),
  authorised by google-auth `google.oauth2.credentials.Credentials` holding
  the teacher's refresh token. google-auth-httplib2 refreshes the access
  token before the first call and again on a 401.
- Code exchange and revocation: plain form POSTs with `requests` to the
  configured token/revoke endpoints (google-auth has no public helper for
  the authorization-code grant; google-auth-oauthlib is not a dependency).
- Locally every URL points at `local/standins/google.py`:
      KonfigurasiGoogle(token_uri="http://127.0.0.1:8575/token",
                        auth_uri="http://127.0.0.1:8575/authorize",
                        revoke_uri="http://127.0.0.1:8575/revoke",
                        api_endpoint="http://127.0.0.1:8575/")
  In production leave the defaults (oauth2.googleapis.com, youtube.googleapis.com).

Quota (YouTube Data API v3, 10,000 units a day for the whole app by
default; every call below costs 1 unit; `search.list`, 100 units, is never
used):
  connect an account ("Login dengan akun YouTube")   1  channels.list mine=true
  list uploads, first page of 50 for the picker       3  channels.list + playlistItems.list + videos.list
  each further page of 50                             2  playlistItems.list + videos.list
  import one chosen video ("Simpan Video")            2  channels.list + videos.list
  re-check saved videos (karya status), per 50        1  videos.list
The token endpoint costs no YouTube quota. `KlienYoutube.unit_kuota` counts
the units a client instance spent (for logs and budgets).

Timeouts and retries: every socket waits at most `timeout_detik`
(10 s). A 5xx/429 or a dropped connection is retried `num_retries` times (1)
with googleapiclient's backoff (<= 2 s); google-auth retries a 5xx of the
token endpoint itself (3 attempts, ~1 s and ~2 s apart). A timeout is not
retried (`_HttpTanpaUlangWaktuHabis`): a YouTube that answered nothing in 10 s
would most likely not answer the second time either, and the teacher would
wait twice as long for the same 503 `youtube_tidak_tersedia`. Worst case per
call: one timeout of the token refresh plus one of the API call.
"""
from __future__ import annotations

import functools
import socket
import threading
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

from pydantic import Field, SecretStr

from shared.errors import DomainError, Forbidden, NotFound
from shared.models import FrozenModel

from karya.domain.oauth import AUTH_URI_GOOGLE, SCOPE_YOUTUBE_READONLY
from karya.domain.video import KanalYoutube, VideoYoutube

TOKEN_URI_GOOGLE = "https://oauth2.googleapis.com/token"
REVOKE_URI_GOOGLE = "https://oauth2.googleapis.com/revoke"
MAKS_PER_PANGGILAN = 50  # YouTube's maxResults / ids-per-call ceiling
PART_VIDEO = "snippet,contentDetails,status"


class KonfigurasiGoogle(FrozenModel):
    client_id: str
    client_secret: SecretStr
    token_uri: str = TOKEN_URI_GOOGLE
    auth_uri: str = AUTH_URI_GOOGLE
    revoke_uri: str = REVOKE_URI_GOOGLE
    api_endpoint: str | None = None  # None: https://youtube.googleapis.com/
    timeout_detik: float = 10.0  # per socket operation; a timeout is never retried (see module docstring)
    num_retries: int = Field(default=1, ge=0, le=5)  # googleapiclient retries 5xx/429 with backoff


class TokenGoogle(FrozenModel):
    access_token: SecretStr
    refresh_token: SecretStr | None
    kedaluwarsa_pada: datetime
    scope: tuple[str, ...]


class ItemUnggahan(FrozenModel):
    video_id: str
    judul: str
    thumbnail: str | None
    dipublikasikan_pada: datetime | None
    privasi: str | None


class HalamanUnggahan(FrozenModel):
    items: list[ItemUnggahan]
    token_halaman_berikut: str | None
    total: int


# --- errors --------------------------------------------------------------------

def _tidak_tersedia() -> DomainError:
    return DomainError(
        "youtube_tidak_tersedia",
        "YouTube sedang tidak dapat dihubungi. Coba lagi beberapa saat lagi.",
        status=503,
    )


def _kedaluwarsa() -> DomainError:
    return Forbidden(
        "akun_youtube_kedaluwarsa",
        "Izin akses ke akun YouTube Anda sudah berakhir atau dicabut. Klik 'Login dengan akun "
        "YouTube' untuk menghubungkan akun Anda lagi.",
    )


def _izin_kurang() -> DomainError:
    return Forbidden(
        "izin_youtube_tidak_diberikan",
        "PMM belum diizinkan membaca akun YouTube Anda. Ulangi 'Login dengan akun YouTube' dan "
        "centang izin untuk melihat akun YouTube Anda.",
    )


def _konfigurasi_salah() -> DomainError:
    return DomainError(
        "konfigurasi_google_salah",
        "Layanan login YouTube PMM sedang bermasalah. Coba lagi nanti atau hubungi layanan bantuan.",
        status=500,
    )


class WaktuHabis(Exception):
    """Google answered nothing within `timeout_detik`. Deliberately not an
    OSError: googleapiclient retries socket timeouts, this it passes on."""


class _HttpTanpaUlangWaktuHabis:
    """Wraps the authorised http handed to `execute()`: a socket timeout (of the
    API call or of the token refresh inside it) becomes `WaktuHabis`, so
    googleapiclient's retry loop, which retries 5xx, 429 and dropped
    connections, does not wait a second full timeout."""

    def __init__(self, http: Any) -> None:
        self._http = http

    def request(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return self._http.request(*args, **kwargs)
        except TimeoutError as e:  # socket.timeout is TimeoutError
            raise WaktuHabis(str(e) or "timed out") from e


def _alasan_http(e: Any) -> str:
    details = getattr(e, "error_details", None)
    if isinstance(details, list) and details and isinstance(details[0], dict):
        return str(details[0].get("reason", ""))
    return ""


def petakan_galat(e: BaseException) -> DomainError:
    """Google failure -> DomainError with a stable kode (K3)."""
    from google.auth import exceptions as gexc
    from googleapiclient.errors import HttpError

    if isinstance(e, DomainError):
        return e
    if isinstance(e, gexc.RefreshError):
        data = e.args[1] if len(e.args) > 1 and isinstance(e.args[1], dict) else {}
        err = data.get("error")
        if err == "invalid_grant":
            return _kedaluwarsa()
        if err in ("invalid_client", "unauthorized_client"):
            return _konfigurasi_salah()
        if "scope" in str(e).lower() and "missing" in str(e).lower():
            return _izin_kurang()
        return _tidak_tersedia()
    if isinstance(e, HttpError):
        status, alasan = e.resp.status, _alasan_http(e)
        if alasan in ("quotaExceeded", "dailyLimitExceeded"):
            return DomainError(
                "kuota_youtube_habis",
                "Batas harian akses YouTube di PMM sudah tercapai. Coba lagi besok.",
                status=503,
            )
        if alasan in ("rateLimitExceeded", "userRateLimitExceeded") or status == 429:
            return DomainError(
                "youtube_sibuk", "YouTube sedang sibuk. Coba lagi beberapa saat lagi.", status=503
            )
        if status == 401:
            return _kedaluwarsa()
        if alasan in ("insufficientPermissions", "forbidden") and status == 403:
            return _izin_kurang()
        if status == 404 and alasan == "playlistNotFound":
            return NotFound(
                "daftar_unggahan_tidak_ditemukan",
                "Daftar unggahan kanal YouTube Anda tidak ditemukan. Muat ulang halaman lalu coba lagi.",
            )
        if alasan == "invalidPageToken":
            return DomainError(
                "halaman_unggahan_tidak_valid",
                "Halaman daftar video tidak valid. Muat ulang daftar video Anda.",
            )
        if status >= 500:
            return _tidak_tersedia()
        return DomainError(
            "youtube_menolak_permintaan",
            "YouTube menolak permintaan PMM. Coba lagi nanti atau hubungi layanan bantuan.",
            status=502,
            alasan_youtube=alasan or str(status),
        )
    if isinstance(e, (WaktuHabis, gexc.TransportError, OSError, socket.timeout, TimeoutError)):
        return _tidak_tersedia()
    try:
        import httplib2

        if isinstance(e, httplib2.HttpLib2Error):
            return _tidak_tersedia()
    except ImportError:  # pragma: no cover
        pass
    raise e


# --- OAuth: code exchange and revocation ----------------------------------------

def tukar_kode(
    konfigurasi: KonfigurasiGoogle,
    *,
    code: str,
    code_verifier: str,
    redirect_uri: str,
    sekarang: datetime | None = None,
    session: Any = None,
) -> TokenGoogle:
    """Authorization code + PKCE verifier -> tokens (K3). Refuses a grant
    without youtube.readonly (the teacher unticked it on Google's granular
    consent screen) and one without a refresh token."""
    import requests

    http = session or requests
    try:
        resp = http.post(
            konfigurasi.token_uri,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "code_verifier": code_verifier,
                "redirect_uri": redirect_uri,
                "client_id": konfigurasi.client_id,
                "client_secret": konfigurasi.client_secret.get_secret_value(),
            },
            headers={"Accept": "application/json"},
            timeout=konfigurasi.timeout_detik,
        )
    except requests.RequestException:
        raise _tidak_tersedia() from None
    try:
        body = resp.json()
    except ValueError:
        body = {}
    if resp.status_code >= 500:
        raise _tidak_tersedia()
    if resp.status_code != 200:
        err = body.get("error")
        if err == "invalid_grant":
            raise DomainError(
                "kode_otorisasi_tidak_valid",
                "Login YouTube tidak dapat diselesaikan karena sudah kedaluwarsa atau sudah dipakai. "
                "Ulangi dengan klik 'Login dengan akun YouTube'.",
                status=400,
            )
        if err in ("invalid_client", "unauthorized_client", "redirect_uri_mismatch"):
            raise _konfigurasi_salah()
        raise DomainError(
            "login_youtube_gagal",
            "Login YouTube gagal. Ulangi dengan klik 'Login dengan akun YouTube'.",
            status=400,
            alasan_google=str(err),
        )
    scope = tuple(str(body.get("scope", "")).split())
    if SCOPE_YOUTUBE_READONLY not in scope and "https://www.googleapis.com/auth/youtube" not in scope:
        raise _izin_kurang()
    if not body.get("refresh_token"):
        raise DomainError(
            "token_youtube_tidak_lengkap",
            "Google tidak memberikan izin akses jangka panjang. Ulangi 'Login dengan akun YouTube'.",
            status=502,
        )
    sekarang = sekarang or datetime.now(timezone.utc)
    return TokenGoogle(
        access_token=body["access_token"],
        refresh_token=body["refresh_token"],
        kedaluwarsa_pada=sekarang + timedelta(seconds=int(body.get("expires_in", 3599))),
        scope=scope,
    )


def cabut_token(konfigurasi: KonfigurasiGoogle, token: str, *, session: Any = None) -> bool:
    """Revokes a refresh (or access) token at Google, e.g. when a teacher
    disconnects an account. False when Google no longer knew the token."""
    import requests

    http = session or requests
    try:
        resp = http.post(konfigurasi.revoke_uri, data={"token": token}, timeout=konfigurasi.timeout_detik)
    except requests.RequestException:
        raise _tidak_tersedia() from None
    if resp.status_code >= 500:
        raise _tidak_tersedia()
    return resp.status_code == 200


class TokenTersimpan(FrozenModel):
    refresh_token: SecretStr
    access_token: SecretStr | None = None
    kedaluwarsa_pada: datetime | None = None


class CacheToken:
    """Per process: account id -> decrypted refresh token and the current
    access token with its expiry, so a pick or save within the access token's
    lifetime makes no token call and no key unwrap. An entry counts only for
    the same ciphertext (a reconnect stores a new one), and an access token is
    handed out only while it has `sisa` left; google-auth refreshes on a 401
    anyway (revoked at Google). Bounded LRU; thread-safe."""

    def __init__(self, maks: int = 10_000, sisa: timedelta = timedelta(minutes=5)) -> None:
        from collections import OrderedDict

        self._isi: OrderedDict[str, tuple[str, TokenTersimpan]] = OrderedDict()
        self._kunci = threading.Lock()
        self._maks, self._sisa = maks, sisa

    def ambil(self, akun_id: str, sidik: str, sekarang: datetime) -> TokenTersimpan | None:
        with self._kunci:
            masuk = self._isi.get(akun_id)
            if masuk is None or masuk[0] != sidik:
                return None
            self._isi.move_to_end(akun_id)
            token = masuk[1]
        if token.kedaluwarsa_pada is None or token.kedaluwarsa_pada - self._sisa <= sekarang:
            return token.model_copy(update={"access_token": None, "kedaluwarsa_pada": None})
        return token

    def simpan(self, akun_id: str, sidik: str, token: TokenTersimpan) -> None:
        with self._kunci:
            self._isi[akun_id] = (sidik, token)
            self._isi.move_to_end(akun_id)
            while len(self._isi) > self._maks:
                self._isi.popitem(last=False)

    def hapus(self, akun_id: str) -> None:
        with self._kunci:
            self._isi.pop(akun_id, None)


# --- YouTube Data API v3 ---------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _dokumen_discovery() -> str:
    """The youtube v3 discovery document bundled with google-api-python-client,
    read once per process (what `build(..., static_discovery=True)` reads on
    every call)."""
    from googleapiclient.discovery_cache import get_static_doc

    doc = get_static_doc("youtube", "v3")
    if doc is None:  # pragma: no cover - library without bundled documents
        raise RuntimeError("google-api-python-client tanpa dokumen discovery youtube v3")
    return doc


def _waktu(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _thumbnail(snippet: dict[str, Any]) -> str | None:
    thumbs = snippet.get("thumbnails") or {}
    for ukuran in ("high", "medium", "default"):
        if ukuran in thumbs and thumbs[ukuran].get("url"):
            return thumbs[ukuran]["url"]
    return None


def video_dari_resource(item: dict[str, Any]) -> VideoYoutube:
    """videos.list item (part=snippet,contentDetails,status) -> VideoYoutube."""
    snippet = item.get("snippet") or {}
    status = item.get("status") or {}
    durasi = (item.get("contentDetails") or {}).get("duration") or "P0D"
    return VideoYoutube(
        video_id=item["id"],
        channel_id=snippet["channelId"],
        judul_asli=snippet.get("title", ""),
        thumbnail=_thumbnail(snippet),
        durasi_iso=durasi,
        privasi=status["privacyStatus"],
        dapat_disematkan=bool(status.get("embeddable", False)),
        status_unggah=status["uploadStatus"],
        dipublikasikan_pada=_waktu(snippet.get("publishedAt")),
    )


class _TanpaHttp:
    """The http of the shared resource: never used (every call passes its own)."""

    def request(self, *args: Any, **kwargs: Any) -> Any:  # pragma: no cover - a bug if reached
        raise RuntimeError("the shared YouTube resource has no http; pass http= to execute()")


_kunci_resource = threading.Lock()
_resource: dict[str | None, Any] = {}


def resource_youtube(api_endpoint: str | None) -> Any:
    """The youtube v3 discovery resource, built once per process and endpoint
    (`build_from_document` parses the ~0.5 MB discovery document: tens of ms
    of CPU per build). Requests made from it are executed with each client's
    own authorised http (`execute(http=...)`), so one resource serves every
    account and thread; building a request creates new objects only."""
    with _kunci_resource:
        yt = _resource.get(api_endpoint)
        if yt is None:
            from googleapiclient.discovery import build_from_document

            opsi = {"api_endpoint": api_endpoint} if api_endpoint else None
            yt = _resource[api_endpoint] = build_from_document(
                _dokumen_discovery(), http=_TanpaHttp(), client_options=opsi)
        return yt


class KlienYoutube:
    """One teacher's YouTube account for one request. Cheap to build: the
    discovery resource is shared per process (`resource_youtube`); pass the
    cached `access_token` + `kedaluwarsa_pada` and no token call is made while
    it is valid. `token_akses()` hands the (possibly refreshed) token back."""

    def __init__(
        self,
        konfigurasi: KonfigurasiGoogle,
        *,
        refresh_token: str,
        access_token: str | None = None,
        kedaluwarsa_pada: datetime | None = None,
        saat_token_baru: Callable[[str, datetime | None], None] | None = None,
    ) -> None:
        import google_auth_httplib2
        import httplib2
        from google.oauth2.credentials import Credentials

        expiry = None
        if access_token and kedaluwarsa_pada is not None:
            expiry = kedaluwarsa_pada.astimezone(timezone.utc).replace(tzinfo=None)  # google-auth: naive UTC
        self._kredensial = Credentials(
            token=access_token,
            refresh_token=refresh_token,
            token_uri=konfigurasi.token_uri,
            client_id=konfigurasi.client_id,
            client_secret=konfigurasi.client_secret.get_secret_value(),
            scopes=[SCOPE_YOUTUBE_READONLY],
            expiry=expiry,
        )
        self._http = _HttpTanpaUlangWaktuHabis(google_auth_httplib2.AuthorizedHttp(
            self._kredensial, http=httplib2.Http(timeout=konfigurasi.timeout_detik)
        ))
        self._yt = resource_youtube(konfigurasi.api_endpoint)
        self._retries = konfigurasi.num_retries
        self._saat_token_baru = saat_token_baru
        self.unit_kuota = 0
        self.token_diperbarui = 0  # token endpoint calls made by this client

    def _jalankan(self, permintaan: Any) -> dict[str, Any]:
        self.unit_kuota += 1
        sebelum = self._kredensial.token
        try:
            return permintaan.execute(http=self._http, num_retries=self._retries)
        except Exception as e:  # noqa: BLE001 - mapped or re-raised by petakan_galat
            raise petakan_galat(e) from None
        finally:
            if self._kredensial.token and self._kredensial.token != sebelum:
                self.token_diperbarui += 1
                if self._saat_token_baru is not None:
                    self._saat_token_baru(*self.token_akses())  # type: ignore[arg-type]

    def token_akses(self) -> tuple[str | None, datetime | None]:
        """The current access token and its expiry (aware UTC), to cache
        with the account so the next request need not refresh."""
        exp = self._kredensial.expiry
        return self._kredensial.token, exp.replace(tzinfo=timezone.utc) if exp else None

    def kanal_saya(self) -> KanalYoutube | None:
        """The account's channel, or None when the Google account has no
        YouTube channel (the teacher is sent to the upload guide, K3). 1 unit."""
        body = self._jalankan(self._yt.channels().list(part="snippet,contentDetails", mine=True))
        items = body.get("items") or []
        if not items:
            return None
        item = items[0]
        snippet = item.get("snippet") or {}
        return KanalYoutube(
            channel_id=item["id"],
            judul=snippet.get("title", ""),
            playlist_unggahan=item["contentDetails"]["relatedPlaylists"]["uploads"],
            thumbnail=_thumbnail(snippet),
        )

    def unggahan(
        self, playlist_id: str, page_token: str | None = None, *, max_results: int = MAKS_PER_PANGGILAN
    ) -> HalamanUnggahan:
        """One page (newest first) of the uploads playlist. 1 unit."""
        kwargs: dict[str, Any] = {
            "part": "snippet,contentDetails,status",
            "playlistId": playlist_id,
            "maxResults": max(1, min(max_results, MAKS_PER_PANGGILAN)),
        }
        if page_token:
            kwargs["pageToken"] = page_token
        body = self._jalankan(self._yt.playlistItems().list(**kwargs))
        items = []
        for it in body.get("items") or []:
            snippet = it.get("snippet") or {}
            detail = it.get("contentDetails") or {}
            items.append(ItemUnggahan(
                video_id=detail.get("videoId") or snippet["resourceId"]["videoId"],
                judul=snippet.get("title", ""),
                thumbnail=_thumbnail(snippet),
                dipublikasikan_pada=_waktu(detail.get("videoPublishedAt") or snippet.get("publishedAt")),
                privasi=(it.get("status") or {}).get("privacyStatus"),
            ))
        return HalamanUnggahan(
            items=items,
            token_halaman_berikut=body.get("nextPageToken"),
            total=int((body.get("pageInfo") or {}).get("totalResults", len(items))),
        )

    def video(self, ids: list[str]) -> list[VideoYoutube]:
        """The videos YouTube still has, in the order asked; ids it does not
        return (deleted, or private to someone else) are simply missing.
        1 unit per 50 ids."""
        unik = list(dict.fromkeys(ids))
        hasil: dict[str, VideoYoutube] = {}
        for i in range(0, len(unik), MAKS_PER_PANGGILAN):
            batch = unik[i:i + MAKS_PER_PANGGILAN]
            body = self._jalankan(self._yt.videos().list(part=PART_VIDEO, id=",".join(batch)))
            for item in body.get("items") or []:
                v = video_dari_resource(item)
                hasil[v.video_id] = v
        return [hasil[i] for i in unik if i in hasil]

    def kanal_dan_video(self, video_id: str) -> tuple[KanalYoutube | None, VideoYoutube | None]:
        """What importing one chosen video needs (2 units): whose channel this
        account is, and the video's current state. The caller applies
        `periksa_video(video, kanal.channel_id)`."""
        kanal = self.kanal_saya()
        if kanal is None:
            return None, None
        videos = self.video([video_id])
        return kanal, (videos[0] if videos else None)
