"""Local stand-in for Google's OAuth 2.0 endpoints and the YouTube Data API v3.

Speaks real HTTP so the Karya service drives it with the unchanged client
libraries (google-api-python-client + google-auth):

    python -m local.standins.google --port 8575 [--host 127.0.0.1] [--data data.json]

Point the clients at it (see karya/adapters/youtube.py):
    token_uri    = http://127.0.0.1:8575/token
    auth_uri     = http://127.0.0.1:8575/authorize
    api_endpoint = http://127.0.0.1:8575/   (build(..., static_discovery=True,
                   client_options={"api_endpoint": ...}); the discovery document
                   is also served, at /discovery/v1/apis/youtube/v3/rest)

Endpoints
  GET  /authorize (alias /o/oauth2/v2/auth)  consent screen stand-in. With
       `login_hint` = account id or e-mail it consents at once and redirects to
       redirect_uri?code=..&state=..&scope=..; without it, an account chooser
       page. `stand_in_consent=deny` answers error=access_denied;
       `stand_in_scopes=<space list>` grants fewer scopes (granular consent).
  POST /token     grant_type=authorization_code (code, redirect_uri,
       code_verifier checked against the S256/plain challenge) or
       refresh_token. Client auth by body or HTTP Basic. Errors in Google's
       shape: {"error": "invalid_grant", "error_description": ...}.
  POST /revoke    token=<access or refresh token>.
  GET  /youtube/v3/channels       part, mine=true | id=
  GET  /youtube/v3/playlistItems  part, playlistId, maxResults<=50, pageToken
  GET  /youtube/v3/videos         part, id=<comma list, up to 50>
       Bearer token required (missing/expired/unknown -> 401 in Google's error
       JSON). Every authenticated call costs 1 quota unit (invalid ones too,
       as on YouTube); over the daily limit -> 403 reason quotaExceeded. The
       day resets at midnight America/Los_Angeles, as YouTube's does.
  GET  /discovery/v1/apis/youtube/v3/rest  the client library's own bundled
       document with rootUrl pointing here.
Admin (tests and local demos; not Google's):
  GET  /_admin/data              current data (same format as --data)
  POST /_admin/data              replace all data (JSON as below)
  POST /_admin/video/<id>        change a video: {"privacy", "embeddable",
                                 "upload_status", "deleted", "title", "duration"}
  GET  /_admin/quota             {"limit", "used", "day", "calls", "token_grants"}
  POST /_admin/quota             {"limit": n} and/or {"reset": true}
  POST /_admin/expire-access     {"akun": id} or {"access_token": t}: make access tokens expire
  POST /_admin/revoke            {"akun": id} or {"refresh_token": t}: revoke refresh tokens
  POST /_admin/codes             pre-register an authorization code (fields below)
  POST /_admin/refresh-tokens    pre-register a refresh token (fields below)
  GET  /_admin/fault             the fault behaviour per target, with counters
  POST /_admin/fault             {"target": "api" | "token" | "all",   (default "all")
                                  "latency_ms": ms, "latency_next": N | null,  slow: the next N calls, or all
                                  "fail_next": N,                      flapping: fail N calls, then fine
                                  "fail_always": true,                 failing: every call until reset
                                  "status": 500 | 503}                 (default 503)
                                 replaces the behaviour of the target(s); {"reset": true} clears all.
       "api" is the YouTube Data API (/youtube/v3/*), "token" is POST /token. A failed API call answers
       Google's error JSON, reason backendError (domain global), and costs no quota; a failed token call
       answers the OAuth shape Google's token endpoint uses, {"error": "internal_failure" (500) or
       "temporarily_unavailable" (503), "error_description": "Backend Error"}. Latency is added before the
       call is served, so a client that gives up first got nothing (reads only: nothing to redo).

Data format (JSON; every key optional; no --data -> `DATA_BAWAAN` below):
{
  "clients": [{"client_id": "...", "client_secret": "...", "redirect_uris": ["..."]}],
  "quota": {"limit_per_day": 10000},
  "access_token_lifetime": 3599,
  "accounts": [{
     "id": "akun-sari", "email": "sari@example.id", "name": "Sari",
     "channel": null | {"id": "UC<22>", "title": "...", "description": "..."},
     "videos": [{"id": "<11 chars>", "title": "...", "description": "...",
                 "published_at": "2024-07-01T08:00:00Z", "duration": "PT12M5S",
                 "privacy": "public|unlisted|private", "embeddable": true,
                 "upload_status": "processed|uploaded|failed|rejected",
                 "deleted": false}],
     "generated_videos": 0      # extra public, processed videos (pagination)
  }],
  "authorization_codes": [{"code", "akun", "client_id", "redirect_uri",
                           "code_challenge": null, "code_challenge_method": "S256",
                           "scope": "...", "expires_in": 600}],
  "refresh_tokens": [{"refresh_token", "akun", "client_id", "scope",
                      "revoked": false, "expires_in": null}]
}
Personal data: request logs show the path only (no query string, no body),
so e-mails in login_hint and tokens never reach the log.
"""
from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

from flask import Flask, Response, jsonify, redirect, request

try:
    from zoneinfo import ZoneInfo

    _PT = ZoneInfo("America/Los_Angeles")
except Exception:  # pragma: no cover - no tz database
    _PT = timezone(timedelta(hours=-8))

log = logging.getLogger("standin.google")

SCOPE_YOUTUBE_READONLY = "https://www.googleapis.com/auth/youtube.readonly"
SCOPE_YOUTUBE = "https://www.googleapis.com/auth/youtube"
MAX_RESULTS = 50
CODE_LIFETIME = 600


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _stable_id(seed: str, length: int) -> str:
    return _b64(hashlib.sha256(seed.encode()).digest())[:length]


def video_id_generated(channel_id: str, n: int) -> str:
    """Id of the n-th generated video of a channel (deterministic)."""
    return _stable_id(f"{channel_id}:{n}", 11)


# ---------------------------------------------------------------------------
# Default data: one account per situation a teacher can be in.
# ---------------------------------------------------------------------------

CLIENT_LOKAL = {
    "client_id": "pmm-lokal.apps.googleusercontent.com",
    "client_secret": "rahasia-klien-lokal",
    "redirect_uris": [
        "http://localhost:8080/v1/karya/youtube/callback",
        "http://127.0.0.1:8080/v1/karya/youtube/callback",
    ],
}
# The client local/cloud.py configures every function with (PMM_GOOGLE_CLIENT_ID/SECRET);
# its redirect URI is the karya callback behind the gateway (PMM_URL_PUBLIK default).
CLIENT_PLATFORM_LOKAL = {
    "client_id": "pmm-lokal-client",
    "client_secret": "rahasia-lokal",
    "redirect_uris": [
        "http://localhost:8080/v1/karya/youtube/callback",
        "http://127.0.0.1:8080/v1/karya/youtube/callback",
    ],
}
KANAL_SARI = "UCsariWulandariGuruSD4a"
KANAL_BUDI = "UCbudiSantosoGuruSMP7xQ"


def _v(id_: str, title: str, **kw: Any) -> dict[str, Any]:
    return {
        "id": id_, "title": title, "description": kw.pop("description", ""),
        "published_at": kw.pop("published_at", "2024-07-01T08:00:00Z"),
        "duration": kw.pop("duration", "PT10M"), "privacy": kw.pop("privacy", "public"),
        "embeddable": kw.pop("embeddable", True), "upload_status": kw.pop("upload_status", "processed"),
        "deleted": kw.pop("deleted", False), **kw,
    }


DATA_BAWAAN: dict[str, Any] = {
    "clients": [CLIENT_LOKAL, CLIENT_PLATFORM_LOKAL],
    "quota": {"limit_per_day": 10000},
    "access_token_lifetime": 3599,
    "accounts": [
        {
            "id": "akun-sari", "email": "sari.guru@example.id", "name": "Sari Wulandari",
            "channel": {"id": KANAL_SARI + "e", "title": "Kelas Bu Sari", "description": "Belajar bersama"},
            "videos": [
                _v("SariPublik1", "Pecahan dengan kue - Kelas 4", duration="PT12M5S",
                   published_at="2024-07-10T08:00:00Z"),
                _v("SariUnlist1", "Refleksi pembelajaran IPAS", privacy="unlisted",
                   duration="PT8M30S", published_at="2024-07-09T08:00:00Z"),
                _v("SariPrivat1", "Rekaman pribadi", privacy="private", published_at="2024-07-08T08:00:00Z"),
                _v("SariNoEmbed", "Video tanpa izin sematan", embeddable=False,
                   published_at="2024-07-07T08:00:00Z"),
                _v("SariProses1", "Masih diproses", upload_status="uploaded", duration="P0D",
                   published_at="2024-07-06T08:00:00Z"),
                _v("SariDitolak", "Ditolak YouTube", upload_status="rejected",
                   published_at="2024-07-05T08:00:00Z"),
                _v("SariDihapus", "Sudah dihapus", deleted=True, published_at="2024-07-04T08:00:00Z"),
            ],
        },
        {
            "id": "akun-budi", "email": "budi.guru@example.id", "name": "Budi Santoso",
            "channel": {"id": KANAL_BUDI + "A", "title": "IPA Pak Budi", "description": ""},
            "videos": [], "generated_videos": 120,
        },
        {"id": "akun-tanpa-kanal", "email": "tanpa.kanal@example.id", "name": "Rina", "channel": None},
        {
            "id": "akun-kanal-kosong", "email": "kanal.kosong@example.id", "name": "Dewi",
            "channel": {"id": "UCdewiKanalBaruTanpaVid0", "title": "Kanal Dewi", "description": ""},
            "videos": [],
        },
    ],
}


# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------

@dataclass
class Grant:
    akun: str
    client_id: str
    scope: str
    expires_at: float | None
    revoked: bool = False


@dataclass
class Code:
    akun: str
    client_id: str
    redirect_uri: str
    scope: str
    code_challenge: str | None
    code_challenge_method: str
    offline: bool
    expires_at: float
    used: bool = False


FAULT_TARGETS = ("api", "token")


@dataclass
class Fault:
    """How the stand-in misbehaves for one target (set through /_admin/fault)."""

    latency_ms: int = 0
    latency_next: int | None = None  # None: every call is slow
    fail_next: int = 0
    fail_always: bool = False
    status: int = 503
    delayed: int = 0  # counters: calls slowed, calls failed
    failed: int = 0

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> "Fault":
        fault = cls()
        for key in ("latency_ms", "fail_next"):
            value = body.get(key, 0)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{key} must be an integer >= 0")
            setattr(fault, key, value)
        latency_next = body.get("latency_next")
        if latency_next is not None and (not isinstance(latency_next, int) or latency_next < 0):
            raise ValueError("latency_next must be an integer >= 0 or null")
        fault.latency_next = latency_next
        fault.fail_always = bool(body.get("fail_always", False))
        fault.status = body.get("status", 503)
        if fault.status not in (500, 503):
            raise ValueError("status must be 500 or 503")
        return fault

    def take(self) -> tuple[float, bool]:
        """For one call: (seconds to wait, whether it fails); counts it."""
        delay = 0.0
        if self.latency_ms and (self.latency_next is None or self.latency_next > 0):
            if self.latency_next is not None:
                self.latency_next -= 1
            delay = self.latency_ms / 1000
            self.delayed += 1
        fail = self.fail_always or self.fail_next > 0
        if self.fail_next > 0:
            self.fail_next -= 1
        self.failed += fail
        return delay, fail

    def view(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class State:
    clock: Callable[[], float] = time.time
    lock: threading.RLock = field(default_factory=threading.RLock)
    data: dict[str, Any] = field(default_factory=dict)
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    videos: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> video (+ "_akun")
    codes: dict[str, Code] = field(default_factory=dict)
    refresh_tokens: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, Grant] = field(default_factory=dict)
    quota_limit: int = 10000
    quota_day: str = ""
    quota_used: int = 0
    calls: dict[str, int] = field(default_factory=dict)
    token_grants: dict[str, int] = field(default_factory=dict)
    access_token_lifetime: int = 3599
    faults: dict[str, Fault] = field(default_factory=lambda: {t: Fault() for t in FAULT_TARGETS})

    def load(self, data: dict[str, Any]) -> None:
        with self.lock:
            self.data = copy.deepcopy(data)
            self.clients = {c["client_id"]: c for c in data.get("clients", [])}
            self.accounts, self.videos = {}, {}
            self.codes, self.refresh_tokens, self.access_tokens = {}, {}, {}
            self.quota_limit = int(data.get("quota", {}).get("limit_per_day", 10000))
            self.quota_used, self.calls, self.token_grants = 0, {}, {}
            self.access_token_lifetime = int(data.get("access_token_lifetime", 3599))
            for akun in data.get("accounts", []):
                akun = copy.deepcopy(akun)
                self.accounts[akun["id"]] = akun
                kanal = akun.get("channel")
                vids = list(akun.get("videos", []))
                if kanal:
                    for n in range(int(akun.get("generated_videos", 0))):
                        vids.append(_v(
                            video_id_generated(kanal["id"], n), f"Video {kanal['title']} #{n + 1}",
                            published_at=(datetime(2023, 1, 1, tzinfo=timezone.utc)
                                          + timedelta(hours=n)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                            duration=f"PT{n % 50 + 1}M{n % 60}S",
                        ))
                for v in vids:
                    v = {**_v(v["id"], v.get("title", "")), **v}
                    if v["id"] in self.videos:
                        raise ValueError(f"video id ganda: {v['id']}")
                    if not kanal:
                        raise ValueError(f"akun {akun['id']} tanpa kanal tidak boleh punya video")
                    self.videos[v["id"]] = {**v, "_akun": akun["id"]}
            for c in data.get("authorization_codes", []):
                self.add_code(c)
            for r in data.get("refresh_tokens", []):
                self.add_refresh_token(r)

    def add_code(self, c: dict[str, Any]) -> None:
        self.codes[c["code"]] = Code(
            akun=c["akun"], client_id=c["client_id"], redirect_uri=c["redirect_uri"],
            scope=c.get("scope", SCOPE_YOUTUBE_READONLY), code_challenge=c.get("code_challenge"),
            code_challenge_method=c.get("code_challenge_method", "S256"),
            offline=c.get("offline", True), expires_at=self.clock() + c.get("expires_in", CODE_LIFETIME),
        )

    def add_refresh_token(self, r: dict[str, Any]) -> None:
        exp = r.get("expires_in")
        self.refresh_tokens[r["refresh_token"]] = Grant(
            akun=r["akun"], client_id=r["client_id"], scope=r.get("scope", SCOPE_YOUTUBE_READONLY),
            expires_at=None if exp is None else self.clock() + exp, revoked=r.get("revoked", False),
        )

    def channel_of(self, akun_id: str) -> dict[str, Any] | None:
        return (self.accounts.get(akun_id) or {}).get("channel")

    def uploads_playlist(self, channel_id: str) -> str:
        return "UU" + channel_id[2:]

    def today(self) -> str:
        return datetime.fromtimestamp(self.clock(), tz=_PT).date().isoformat()

    def dump(self) -> dict[str, Any]:
        out = copy.deepcopy(self.data)
        by_akun: dict[str, list[dict[str, Any]]] = {}
        for v in self.videos.values():
            by_akun.setdefault(v["_akun"], []).append({k: x for k, x in v.items() if k != "_akun"})
        for akun in out.get("accounts", []):
            akun["videos"] = by_akun.get(akun["id"], [])
            akun.pop("generated_videos", None)
        out["quota"] = {"limit_per_day": self.quota_limit}
        out.pop("authorization_codes", None)
        out.pop("refresh_tokens", None)
        return out


# ---------------------------------------------------------------------------
# Google's error shapes
# ---------------------------------------------------------------------------

def oauth_error(error: str, description: str, status: int = 400) -> Response:
    resp = jsonify({"error": error, "error_description": description})
    resp.status_code = status
    return resp


def api_error(status: int, reason: str, message: str, *, domain: str = "youtube.api",
              extra: dict[str, str] | None = None) -> Response:
    statuses = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
                404: "NOT_FOUND", 500: "INTERNAL", 503: "UNAVAILABLE"}
    err = {"message": message, "domain": domain, "reason": reason, **(extra or {})}
    resp = jsonify({"error": {"code": status, "message": message, "errors": [err],
                              "status": statuses.get(status, "UNKNOWN")}})
    resp.status_code = status
    if status == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="https://accounts.google.com/"'
    return resp


def _quota_error() -> Response:
    msg = ('The request cannot be completed because you have exceeded your '
           '<a href="/youtube/v3/getting-started#quota">quota</a>.')
    return api_error(403, "quotaExceeded", msg, domain="youtube.quota")


def _etag(*parts: Any) -> str:
    return _stable_id(json.dumps(parts, sort_keys=True, default=str), 27)


def _thumbnails(video_id: str) -> dict[str, Any]:
    base = f"https://i.ytimg.com/vi/{video_id}"
    return {
        "default": {"url": f"{base}/default.jpg", "width": 120, "height": 90},
        "medium": {"url": f"{base}/mqdefault.jpg", "width": 320, "height": 180},
        "high": {"url": f"{base}/hqdefault.jpg", "width": 480, "height": 360},
    }


def _parts(allowed: set[str]) -> tuple[set[str] | None, Response | None]:
    raw = request.args.get("part")
    if not raw:
        return None, api_error(400, "required", "Required parameter: part", domain="global",
                               extra={"location": "part", "locationType": "parameter"})
    parts = {p.strip() for p in raw.split(",") if p.strip()}
    unknown = parts - allowed
    if unknown:
        return None, api_error(400, "unknownPart", f"'{sorted(unknown)[0]}'", extra={
            "location": "part", "locationType": "parameter"})
    return parts, None


# ---------------------------------------------------------------------------
# App
# ---------------------------------------------------------------------------

def create_app(data: dict[str, Any] | None = None, *, clock: Callable[[], float] = time.time) -> Flask:
    app = Flask(__name__)
    st = State(clock=clock)
    st.load(DATA_BAWAAN if data is None else data)
    app.config["STATE"] = st

    # --- injected faults (/_admin/fault) -------------------------------------

    @app.before_request
    def inject_fault():
        if request.path.startswith("/youtube/v3/"):
            target = "api"
        elif request.path == "/token" and request.method == "POST":
            target = "token"
        else:
            return None
        with st.lock:
            delay, fail = st.faults[target].take()
            status = st.faults[target].status
        if delay:
            time.sleep(delay)
        if not fail:
            return None
        if target == "token":
            return oauth_error("internal_failure" if status == 500 else "temporarily_unavailable",
                               "Backend Error", status)
        return api_error(status, "backendError", "Backend Error" if status == 500 else
                         "The service is currently unavailable.", domain="global")

    # --- OAuth 2.0 --------------------------------------------------------

    def _client_from_request() -> tuple[dict[str, Any] | None, Response | None]:
        cid = request.form.get("client_id")
        secret = request.form.get("client_secret")
        if request.authorization and request.authorization.type == "basic":
            cid = cid or request.authorization.username
            secret = secret or request.authorization.password
        client = st.clients.get(cid or "")
        if client is None:
            return None, oauth_error("invalid_client", "The OAuth client was not found.", 401)
        if not secrets.compare_digest(str(secret or ""), str(client["client_secret"])):
            return None, oauth_error("invalid_client", "Unauthorized", 401)
        return client, None

    def _issue_access(akun: str, client_id: str, scope: str) -> tuple[str, int]:
        token = "ya29.stand-in." + secrets.token_urlsafe(32)
        st.access_tokens[token] = Grant(akun, client_id, scope, st.clock() + st.access_token_lifetime)
        return token, st.access_token_lifetime

    @app.get("/authorize")
    @app.get("/o/oauth2/v2/auth")
    def authorize():
        a = request.args
        client = st.clients.get(a.get("client_id", ""))
        if client is None:
            return Response("Error 401: invalid_client. The OAuth client was not found.", 401)
        redirect_uri = a.get("redirect_uri", "")
        if redirect_uri not in client.get("redirect_uris", []):
            return Response("Error 400: redirect_uri_mismatch", 400)

        def back(**params: str):
            params = {k: v for k, v in params.items() if v is not None}
            if a.get("state") is not None:
                params["state"] = a["state"]
            sep = "&" if "?" in redirect_uri else "?"
            return redirect(f"{redirect_uri}{sep}{urlencode(params)}", 302)

        if a.get("response_type") != "code":
            return back(error="unsupported_response_type")
        method = a.get("code_challenge_method", "plain")
        if a.get("code_challenge") and method not in ("S256", "plain"):
            return back(error="invalid_request", error_description="Invalid code_challenge_method")
        hint = a.get("login_hint")
        with st.lock:
            akun = None
            if hint:
                akun = st.accounts.get(hint) or next(
                    (x for x in st.accounts.values() if x.get("email", "").lower() == hint.lower()), None)
            if akun is None:
                links = "".join(
                    f'<li><a href="?{escape(urlencode({**a.to_dict(), "login_hint": x["id"]}))}">'
                    f'{escape(x.get("name", x["id"]))}</a></li>' for x in st.accounts.values())
                return Response(f"<!doctype html><title>Pilih akun</title><h1>Pilih akun</h1>"
                                f"<ul>{links}</ul>", 200, mimetype="text/html")
            if a.get("stand_in_consent") == "deny":
                return back(error="access_denied")
            requested = a.get("scope", "").split()
            granted = a.get("stand_in_scopes")
            scope = " ".join(granted.split() if granted is not None else requested)
            code = "4/0stand-in-" + secrets.token_urlsafe(32)
            st.codes[code] = Code(
                akun=akun["id"], client_id=client["client_id"], redirect_uri=redirect_uri, scope=scope,
                code_challenge=a.get("code_challenge"), code_challenge_method=method,
                offline=a.get("access_type") == "offline", expires_at=st.clock() + CODE_LIFETIME,
            )
        return back(code=code, scope=scope)

    @app.post("/token")
    def token():
        client, err = _client_from_request()
        if err:
            return err
        assert client is not None
        grant_type = request.form.get("grant_type", "")
        with st.lock:
            st.token_grants[grant_type] = st.token_grants.get(grant_type, 0) + 1
            if grant_type == "authorization_code":
                return _grant_code(client)
            if grant_type == "refresh_token":
                return _grant_refresh(client)
        return oauth_error("unsupported_grant_type", f"Invalid grant_type: {grant_type}")

    def _grant_code(client: dict[str, Any]) -> Response:
        f = request.form
        code = st.codes.get(f.get("code", ""))
        if code is None or code.used or code.expires_at <= st.clock() or code.client_id != client["client_id"]:
            return oauth_error("invalid_grant", "Malformed auth code." if code is None else "Bad Request")
        if f.get("redirect_uri") != code.redirect_uri:
            return oauth_error("redirect_uri_mismatch", "Bad Request")
        if code.code_challenge:
            verifier = f.get("code_verifier")
            if not verifier:
                return oauth_error("invalid_grant", "Missing code verifier.")
            expected = (_b64(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
                        if code.code_challenge_method == "S256" else verifier)
            if not secrets.compare_digest(expected, code.code_challenge):
                return oauth_error("invalid_grant", "Invalid code verifier.")
        code.used = True
        access, expires_in = _issue_access(code.akun, client["client_id"], code.scope)
        body: dict[str, Any] = {"access_token": access, "expires_in": expires_in, "scope": code.scope,
                                "token_type": "Bearer"}
        if code.offline:
            refresh = "1//0stand-in-" + secrets.token_urlsafe(32)
            st.refresh_tokens[refresh] = Grant(code.akun, client["client_id"], code.scope, None)
            body["refresh_token"] = refresh
        return jsonify(body)

    def _grant_refresh(client: dict[str, Any]) -> Response:
        grant = st.refresh_tokens.get(request.form.get("refresh_token", ""))
        if grant is None or grant.revoked or (grant.expires_at is not None and grant.expires_at <= st.clock()):
            return oauth_error("invalid_grant", "Token has been expired or revoked.")
        if grant.client_id != client["client_id"]:
            return oauth_error("unauthorized_client", "Unauthorized")
        scope = grant.scope
        asked = request.form.get("scope")
        if asked and not set(asked.split()) <= set(grant.scope.split()):
            return oauth_error("invalid_scope", "Bad Request")
        access, expires_in = _issue_access(grant.akun, client["client_id"], scope)
        return jsonify({"access_token": access, "expires_in": expires_in, "scope": scope,
                        "token_type": "Bearer"})

    @app.post("/revoke")
    def revoke():
        tok = request.form.get("token") or request.args.get("token", "")
        with st.lock:
            if tok in st.refresh_tokens:
                g = st.refresh_tokens[tok]
                g.revoked = True
                for a in st.access_tokens.values():
                    if a.akun == g.akun and a.client_id == g.client_id:
                        a.revoked = True
            elif tok in st.access_tokens:
                st.access_tokens[tok].revoked = True
            else:
                return oauth_error("invalid_token", "Token expired or revoked")
        return jsonify({})

    # --- YouTube Data API v3 -------------------------------------------------

    def _api_call(name: str) -> tuple[Grant | None, Response | None]:
        """Authenticates and charges one quota unit."""
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return None, api_error(401, "required", "Request is missing required authentication credential. "
                                   "Expected OAuth 2 access token.", domain="global",
                                   extra={"location": "Authorization", "locationType": "header"})
        with st.lock:
            grant = st.access_tokens.get(header[len("Bearer "):].strip())
            if grant is None or grant.revoked or (grant.expires_at or 0) <= st.clock():
                return None, api_error(401, "authError", "Invalid Credentials", domain="global",
                                       extra={"location": "Authorization", "locationType": "header"})
            if not ({SCOPE_YOUTUBE_READONLY, SCOPE_YOUTUBE} & set(grant.scope.split())):
                return None, api_error(403, "insufficientPermissions",
                                       "Request had insufficient authentication scopes.", domain="global")
            day = st.today()
            if day != st.quota_day:
                st.quota_day, st.quota_used = day, 0
            if st.quota_used + 1 > st.quota_limit:
                return None, _quota_error()
            st.quota_used += 1
            st.calls[name] = st.calls.get(name, 0) + 1
        return grant, None

    def _page(items: list[dict[str, Any]], total: int, per_page: int, kind: str, **extra: Any) -> Response:
        body = {"kind": kind, "etag": _etag(kind, [i.get("id") for i in items]), **extra,
                "pageInfo": {"totalResults": total, "resultsPerPage": per_page}}
        if items:  # YouTube leaves "items" out of an empty answer
            body["items"] = items
        return jsonify(body)

    @app.get("/youtube/v3/channels")
    def channels_list():
        grant, err = _api_call("channels.list")
        if err:
            return err
        assert grant is not None
        parts, err = _parts({"id", "snippet", "contentDetails", "status"})
        if err:
            return err
        assert parts is not None
        with st.lock:
            if request.args.get("mine") == "true":
                kanal = st.channel_of(grant.akun)
                found = [kanal] if kanal else []
            elif request.args.get("id"):
                ids = request.args["id"].split(",")
                found = [a["channel"] for a in st.accounts.values() if a.get("channel") and a["channel"]["id"] in ids]
            else:
                return api_error(400, "missingRequiredParameter",
                                 "No filter selected. Expected one of: mine, id, forHandle, forUsername, "
                                 "managedByMe, categoryId", extra={"location": "parameters.",
                                                                     "locationType": "other"})
            items = []
            for k in found:
                item: dict[str, Any] = {"kind": "youtube#channel", "etag": _etag(k), "id": k["id"]}
                if "snippet" in parts:
                    item["snippet"] = {
                        "title": k.get("title", ""), "description": k.get("description", ""),
                        "publishedAt": k.get("published_at", "2020-01-01T00:00:00Z"),
                        "thumbnails": {"default": {"url": f"https://yt3.ggpht.com/{k['id']}=s88", "width": 88,
                                                   "height": 88}},
                        "localized": {"title": k.get("title", ""), "description": k.get("description", "")},
                    }
                if "contentDetails" in parts:
                    item["contentDetails"] = {"relatedPlaylists": {"likes": "", "uploads": st.uploads_playlist(k["id"])}}
                if "status" in parts:
                    item["status"] = {"privacyStatus": "public", "isLinked": True}
                items.append(item)
        return _page(items, len(items), 5, "youtube#channelListResponse")

    def _visible(v: dict[str, Any], grant: Grant) -> bool:
        return not v.get("deleted") and (v.get("privacy") != "private" or v["_akun"] == grant.akun)

    def _page_token(offset: int) -> str:
        return "CA" + _b64(f"o:{offset}".encode())

    def _offset(token: str | None) -> int | None:
        if not token:
            return 0
        try:
            raw = base64.urlsafe_b64decode(token[2:] + "=" * (-len(token[2:]) % 4)).decode()
            if not token.startswith("CA") or not raw.startswith("o:"):
                return None
            return int(raw[2:])
        except (ValueError, UnicodeDecodeError):
            return None

    @app.get("/youtube/v3/playlistItems")
    def playlist_items_list():
        grant, err = _api_call("playlistItems.list")
        if err:
            return err
        assert grant is not None
        parts, err = _parts({"id", "snippet", "contentDetails", "status"})
        if err:
            return err
        assert parts is not None
        try:
            max_results = int(request.args.get("maxResults", "5"))
        except ValueError:
            max_results = -1
        if not 0 <= max_results <= MAX_RESULTS:
            return api_error(400, "invalidParameter",
                             f"Invalid value '{request.args.get('maxResults')}'. Values must be within the "
                             f"range: [0, {MAX_RESULTS}]", domain="global",
                             extra={"location": "maxResults", "locationType": "parameter"})
        offset = _offset(request.args.get("pageToken"))
        if offset is None:
            return api_error(400, "invalidPageToken", "The request specifies an invalid page token.")
        playlist_id = request.args.get("playlistId", "")
        with st.lock:
            akun = next((a for a in st.accounts.values() if a.get("channel")
                         and st.uploads_playlist(a["channel"]["id"]) == playlist_id), None)
            if akun is None:
                return api_error(404, "playlistNotFound",
                                 "The playlist identified with the request's <code>playlistId</code> "
                                 "parameter cannot be found.")
            kanal = akun["channel"]
            vids = sorted((v for v in st.videos.values() if v["_akun"] == akun["id"] and _visible(v, grant)),
                          key=lambda v: (v.get("published_at", ""), v["id"]), reverse=True)
            window = vids[offset:offset + max_results]
            items = []
            for pos, v in enumerate(window, start=offset):
                item: dict[str, Any] = {"kind": "youtube#playlistItem", "etag": _etag(playlist_id, v),
                                        "id": _stable_id(f"{playlist_id}:{v['id']}", 40)}
                if "snippet" in parts:
                    item["snippet"] = {
                        "publishedAt": v["published_at"], "channelId": kanal["id"], "title": v["title"],
                        "description": v.get("description", ""), "thumbnails": _thumbnails(v["id"]),
                        "channelTitle": kanal.get("title", ""), "playlistId": playlist_id, "position": pos,
                        "resourceId": {"kind": "youtube#video", "videoId": v["id"]},
                        "videoOwnerChannelTitle": kanal.get("title", ""), "videoOwnerChannelId": kanal["id"],
                    }
                if "contentDetails" in parts:
                    item["contentDetails"] = {"videoId": v["id"], "videoPublishedAt": v["published_at"]}
                if "status" in parts:
                    item["status"] = {"privacyStatus": v["privacy"]}
                items.append(item)
            extra: dict[str, Any] = {}
            if offset + max_results < len(vids) and max_results > 0:
                extra["nextPageToken"] = _page_token(offset + max_results)
            if offset > 0:
                extra["prevPageToken"] = _page_token(max(0, offset - max_results))
        return _page(items, len(vids), max_results, "youtube#playlistItemListResponse", **extra)

    @app.get("/youtube/v3/videos")
    def videos_list():
        grant, err = _api_call("videos.list")
        if err:
            return err
        assert grant is not None
        parts, err = _parts({"id", "snippet", "contentDetails", "status"})
        if err:
            return err
        assert parts is not None
        if not request.args.get("id"):
            return api_error(400, "missingRequiredParameter",
                             "No filter selected. Expected one of: id, chart, myRating", extra={
                                 "location": "parameters.", "locationType": "other"})
        ids = [i for i in request.args["id"].split(",") if i]
        if len(ids) > MAX_RESULTS:
            return api_error(400, "invalidFilters", "The request specifies an invalid filter parameter.")
        with st.lock:
            items = []
            for vid in dict.fromkeys(ids):
                v = st.videos.get(vid)
                if v is None or not _visible(v, grant):
                    continue  # deleted or not visible: simply absent, as on YouTube
                kanal = st.accounts[v["_akun"]]["channel"]
                item: dict[str, Any] = {"kind": "youtube#video", "etag": _etag(v), "id": v["id"]}
                if "snippet" in parts:
                    item["snippet"] = {
                        "publishedAt": v["published_at"], "channelId": kanal["id"], "title": v["title"],
                        "description": v.get("description", ""), "thumbnails": _thumbnails(v["id"]),
                        "channelTitle": kanal.get("title", ""), "categoryId": "27",
                        "liveBroadcastContent": "none",
                        "localized": {"title": v["title"], "description": v.get("description", "")},
                    }
                if "contentDetails" in parts:
                    item["contentDetails"] = {
                        "duration": v["duration"] if v["upload_status"] == "processed" else "P0D",
                        "dimension": "2d", "definition": "hd", "caption": "false",
                        "licensedContent": False, "contentRating": {}, "projection": "rectangular",
                    }
                if "status" in parts:
                    status = {"uploadStatus": v["upload_status"], "privacyStatus": v["privacy"],
                              "license": "youtube", "embeddable": bool(v["embeddable"]),
                              "publicStatsViewable": True, "madeForKids": False}
                    if v["upload_status"] == "rejected":
                        status["rejectionReason"] = v.get("rejection_reason", "duplicate")
                    if v["upload_status"] == "failed":
                        status["failureReason"] = v.get("failure_reason", "codec")
                    item["status"] = status
                items.append(item)
        return _page(items, len(items), len(items), "youtube#videoListResponse")

    @app.get("/discovery/v1/apis/youtube/v3/rest")
    def discovery():
        try:
            from importlib import resources

            doc = json.loads(resources.files("googleapiclient").joinpath(
                "discovery_cache/documents/youtube.v3.json").read_text("utf-8"))
        except Exception:  # the client library is not installed here
            return api_error(404, "notFound", "Discovery document not available")
        doc["rootUrl"] = request.host_url
        doc["baseUrl"] = request.host_url + doc.get("servicePath", "")
        doc.pop("mtlsRootUrl", None)
        return jsonify(doc)

    # --- admin ---------------------------------------------------------------

    @app.get("/_admin/data")
    def admin_get_data():
        with st.lock:
            return jsonify(st.dump())

    @app.post("/_admin/data")
    def admin_set_data():
        try:
            st.load(request.get_json(force=True))
        except (KeyError, ValueError, TypeError) as e:
            return jsonify({"error": f"data tidak valid: {e}"}), 400
        return jsonify({"ok": True, "accounts": len(st.accounts), "videos": len(st.videos)})

    @app.post("/_admin/video/<video_id>")
    def admin_video(video_id: str):
        body = request.get_json(force=True) or {}
        allowed = {"privacy", "embeddable", "upload_status", "deleted", "title", "description", "duration"}
        if set(body) - allowed:
            return jsonify({"error": f"field tidak dikenal: {sorted(set(body) - allowed)}"}), 400
        with st.lock:
            v = st.videos.get(video_id)
            if v is None:
                return jsonify({"error": "video tidak ada"}), 404
            v.update(body)
            return jsonify({k: x for k, x in v.items() if k != "_akun"})

    @app.get("/_admin/quota")
    def admin_quota():
        with st.lock:
            if st.today() != st.quota_day:
                st.quota_day, st.quota_used = st.today(), 0
            return jsonify({"limit": st.quota_limit, "used": st.quota_used, "day": st.quota_day,
                            "calls": dict(st.calls), "token_grants": dict(st.token_grants)})

    @app.post("/_admin/quota")
    def admin_set_quota():
        body = request.get_json(force=True) or {}
        with st.lock:
            if "limit" in body:
                st.quota_limit = int(body["limit"])
            if body.get("reset"):
                st.quota_used, st.calls, st.token_grants = 0, {}, {}
        return admin_quota()

    @app.get("/_admin/fault")
    def admin_fault():
        with st.lock:
            return jsonify({t: f.view() for t, f in st.faults.items()})

    @app.post("/_admin/fault")
    def admin_set_fault():
        body = request.get_json(force=True) or {}
        if body.get("reset"):
            with st.lock:
                st.faults = {t: Fault() for t in FAULT_TARGETS}
            return admin_fault()
        target = body.pop("target", "all")
        unknown = set(body) - {"latency_ms", "latency_next", "fail_next", "fail_always", "status"}
        if target not in (*FAULT_TARGETS, "all") or unknown:
            return jsonify({"error": f"target tidak dikenal: {target}" if not unknown
                            else f"field tidak dikenal: {sorted(unknown)}"}), 400
        try:
            faults = {t: Fault.from_json(body) for t in (FAULT_TARGETS if target == "all" else (target,))}
        except ValueError as e:
            return jsonify({"error": str(e)}), 400
        with st.lock:
            st.faults.update(faults)
        return admin_fault()

    def _select(tokens: dict[str, Grant], key: str) -> list[Grant]:
        body = request.get_json(force=True) or {}
        if key in body:
            return [tokens[body[key]]] if body[key] in tokens else []
        return [g for g in tokens.values() if g.akun == body.get("akun")]

    @app.post("/_admin/expire-access")
    def admin_expire_access():
        with st.lock:
            grants = _select(st.access_tokens, "access_token")
            for g in grants:
                g.expires_at = st.clock() - 1
        return jsonify({"expired": len(grants)})

    @app.post("/_admin/revoke")
    def admin_revoke():
        with st.lock:
            grants = _select(st.refresh_tokens, "refresh_token")
            for g in grants:
                g.revoked = True
        return jsonify({"revoked": len(grants)})

    @app.post("/_admin/codes")
    def admin_codes():
        with st.lock:
            st.add_code(request.get_json(force=True))
        return jsonify({"ok": True})

    @app.post("/_admin/refresh-tokens")
    def admin_refresh_tokens():
        with st.lock:
            st.add_refresh_token(request.get_json(force=True))
        return jsonify({"ok": True})

    return app


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------

def _quiet_handler():
    from werkzeug.serving import WSGIRequestHandler

    class PathOnlyHandler(WSGIRequestHandler):
        """Logs method, path (no query string) and status: no e-mail, code or token."""

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            path = self.path.split("?", 1)[0]
            log.info("%s %s %s", self.command, path, code)

    return PathOnlyHandler


def main(argv: list[str] | None = None) -> None:
    from werkzeug.serving import make_server

    p = argparse.ArgumentParser(description="Google OAuth + YouTube Data API v3 stand-in")
    p.add_argument("--port", type=int, default=8575)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--data", type=Path, help="JSON data file (default: built-in demo data)")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    data = json.loads(args.data.read_text("utf-8")) if args.data else None
    server = make_server(args.host, args.port, create_app(data), threaded=True,
                         request_handler=_quiet_handler())
    log.info("Google stand-in on http://%s:%d", args.host, args.port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
