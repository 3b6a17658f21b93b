"""The local stand-in for production's front door: a global external Application Load
Balancer with one serverless NEG per service's HTTP function, routing by path prefix:
`/v1/karya/...` to karya_api, `/v1/umpan-balik/...` to umpan_balik_api, and so on;
anything else answers 404 as problem+json.

What it does as the load balancer does (and what the functions may rely on):
- the request goes through unchanged: the caller's `Authorization: Bearer <token>` is
  neither moved nor replaced (no `X-Forwarded-Authorization`: a load balancer calls the
  function without an identity of its own), the body streams through (chunked too);
- it adds what Google's front end adds: `X-Forwarded-For: <client>, <load balancer>`
  (appended to what the client sent), `X-Forwarded-Proto`, `Via: 1.1 google`, and the
  trace headers `X-Cloud-Trace-Context` and `traceparent` (kept when the client sent
  them, else one new trace for both);
- it does no CORS: the functions answer preflights and add `Access-Control-Allow-Origin`.
Connections to the functions are kept alive per thread.

    python -m local.gateway --port 8080 --upstreams karya=8081,umpan-balik=8082,...
"""
from __future__ import annotations

import argparse
import mimetypes
import re
import secrets
import sys
import threading
import time
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry
from functions_framework._http.gunicorn import GunicornApplication

from shared.http import PROBLEM, problem_body

# Keep-alive: clients (browsers, Locust) may idle between requests far longer than gunicorn's
# default 2 s, and a connection closed under them fails their next request; Google's front end keeps
# idle client connections for 610 s, so does this gateway. Function hosts keep theirs for
# HOST_KEEPALIVE_SECONDS, and the gateway drops its own upstream connections well before that.
CLIENT_KEEPALIVE_SECONDS = 610
HOST_KEEPALIVE_SECONDS = 75
UPSTREAM_IDLE_SECONDS = 30
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length", "content-encoding", "host"}


LB_ADDRESS = "127.0.0.1"  # the load balancer's own address in X-Forwarded-For
BODY_CHUNK = 64 * 1024
_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_XCTC = re.compile(r"^([0-9a-f]{32})/(\d+)(;o=([01]))?$")


def front_end_headers(environ: dict, headers: dict[str, str]) -> dict[str, str]:
    """The request headers as Google's front end forwards them to a serverless NEG."""
    out = dict(headers)
    client = environ.get("REMOTE_ADDR", "")
    out["X-Forwarded-For"] = ", ".join(v for v in (headers.get("X-Forwarded-For"), client, LB_ADDRESS) if v)
    out["X-Forwarded-Proto"] = environ.get("wsgi.url_scheme", "http")
    out["Via"] = ", ".join(v for v in (headers.get("Via"), "1.1 google") if v)
    tp = _TRACEPARENT.match(headers.get("Traceparent", ""))
    xctc = _XCTC.match(headers.get("X-Cloud-Trace-Context", ""))
    if tp:
        trace, span, sampled = tp.group(1), int(tp.group(2), 16), tp.group(3) == "01"
    elif xctc:
        trace, span, sampled = xctc.group(1), int(xctc.group(2)) % 2**64, xctc.group(4) == "1"
    else:
        trace, span, sampled = secrets.token_hex(16), secrets.randbits(63) or 1, True
    out.setdefault("X-Cloud-Trace-Context", f"{trace}/{span};o={int(sampled)}")
    out["Traceparent"] = headers.get("Traceparent") if tp else f"00-{trace}-{span:016x}-{'01' if sampled else '00'}"
    return out


# The API explorer (local/explorer/): static pages under /_explorer/, Swagger UI's assets from the
# npm package swagger-ui-dist (installed by `make` into local/explorer/node_modules/, git-ignored)
# under /_explorer/swagger-ui/, the AsyncAPI document rendered as HTML at /_explorer/asyncapi.html and
# the committed document itself (docs/asyncapi.json) as a download at /_explorer/asyncapi.json.
EXPLORER_DIR = Path(__file__).resolve().parent / "explorer"
SWAGGER_UI_DIR = EXPLORER_DIR / "node_modules" / "swagger-ui-dist"
STATIC_TYPES = {".html", ".css", ".js", ".png", ".svg", ".ico", ".json", ".map"}


def explorer_file(path: str) -> Path | None:
    """The file a `/_explorer/...` path names, or None (never outside the two folders, no dotfiles)."""
    rest = path[len("/_explorer/"):]
    root = EXPLORER_DIR
    if rest.startswith("swagger-ui/"):
        root, rest = SWAGGER_UI_DIR, rest[len("swagger-ui/"):]
    if not rest or any(part.startswith(".") or part == "node_modules" for part in rest.split("/")):
        return None
    candidate = (root / rest).resolve()
    if root.resolve() not in candidate.parents or candidate.suffix not in STATIC_TYPES or not candidate.is_file():
        return None
    return candidate


def build_app(upstreams: dict[str, str], index_html: bytes | None = None):
    local = threading.local()
    asyncapi_html: list[bytes] = []

    def explorer(start_response, path: str):
        if path == "/_explorer/asyncapi.html":
            if not asyncapi_html:
                from local.explorer import render_asyncapi_html
                asyncapi_html.append(render_asyncapi_html().encode())
            body, ctype = asyncapi_html[0], "text/html; charset=utf-8"
        elif path == "/_explorer/asyncapi.json":
            from shared.asyncapi import DOCUMENT
            body = DOCUMENT.read_bytes()
            start_response("200 OK", [("Content-Type", "application/json; charset=utf-8"),
                                      ("Content-Length", str(len(body))), ("Cache-Control", "no-cache"),
                                      ("Content-Disposition", 'attachment; filename="asyncapi.json"')])
            return [body]
        else:
            found = explorer_file(path)
            if found is None:
                pesan = ("Berkas penjelajah API tidak ada. Aset Swagger UI dipasang oleh `make up` "
                         "(local/explorer/node_modules)." if "/swagger-ui/" in path else "Alamat yang diminta tidak ada.")
                return problem(start_response, "404 Not Found", "rute_tidak_ditemukan", pesan,
                               f"Tidak ada berkas penjelajah API di {path}.")
            body = found.read_bytes()
            ctype = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            if ctype.startswith("text/") or ctype in ("application/javascript", "application/json"):
                ctype += "; charset=utf-8"
        start_response("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body))),
                                  ("Cache-Control", "no-cache")])
        return [body]

    def session() -> requests.Session:
        # A pooled connection idle longer than the function host's keep-alive is closed by the host;
        # reusing it races that close and fails the request (502). So a thread drops its pool before
        # the host would, and idempotent requests get one retry on a connection that died unused.
        now = time.monotonic()
        if not hasattr(local, "session") or now - local.used > UPSTREAM_IDLE_SECONDS:
            if hasattr(local, "session"):
                local.session.close()
            local.session = requests.Session()
            retry = Retry(total=1, connect=1, read=1, status=0, other=0, raise_on_status=False,
                          allowed_methods=Retry.DEFAULT_ALLOWED_METHODS)
            local.session.mount("http://", HTTPAdapter(max_retries=retry))
        local.used = now
        return local.session

    def problem(start_response, status: str, kode: str, pesan: str, detail: str):
        body = problem_body(int(status.split()[0]), kode, pesan, detail=detail)
        start_response(status, [("Content-Type", PROBLEM), ("Content-Length", str(len(body))), ("Via", "1.1 google")])
        return [body]

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        parts = path.split("/")
        if path in ("/", "") and index_html is not None:
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [index_html]
        if path.startswith("/_explorer/") and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return explorer(start_response, path)
        if len(parts) < 3 or parts[1] != "v1" or parts[2] not in upstreams:
            return problem(start_response, "404 Not Found", "rute_tidak_ditemukan", "Alamat yang diminta tidak ada.",
                           f"Tidak ada layanan di {path}; alamat API berbentuk /v1/<layanan>/... "
                           f"({', '.join(sorted(upstreams))}).")
        url = upstreams[parts[2]] + path
        if environ.get("QUERY_STRING"):
            url += "?" + environ["QUERY_STRING"]
        headers = {key[5:].replace("_", "-").title(): value for key, value in environ.items()
                   if key.startswith("HTTP_") and key[5:].replace("_", "-").lower() not in HOP_BY_HOP}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        headers = front_end_headers(environ, headers)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        stream = environ["wsgi.input"]
        if length:
            body = stream.read(length)
        elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            body = iter(lambda: stream.read(BODY_CHUNK), b"")  # streamed on, chunked, as the body arrives
        else:
            body = None
        try:
            upstream = session().request(environ["REQUEST_METHOD"], url, headers=headers, data=body,
                                         timeout=60, allow_redirects=False)
        except requests.RequestException:
            return problem(start_response, "502 Bad Gateway", "layanan_tidak_tersedia",
                           "Layanan sedang tidak dapat dihubungi. Coba lagi sebentar lagi.",
                           f"Layanan {parts[2]} tidak menjawab.")
        out_headers = [(k, v) for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP]
        out_headers.append(("Via", "1.1 google"))
        out_headers.append(("Content-Length", str(len(upstream.content))))
        start_response(f"{upstream.status_code} {upstream.reason}", out_headers)
        return [upstream.content]

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.gateway")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--upstreams", required=True, help="slug=port,slug=port")
    parser.add_argument("--index", help="HTML file served at /")
    args = parser.parse_args(argv)
    upstreams = {slug: f"http://127.0.0.1:{port}" for slug, _, port in
                 (item.partition("=") for item in args.upstreams.split(","))}
    index = open(args.index, "rb").read() if args.index else None
    GunicornApplication(build_app(upstreams, index), "127.0.0.1", args.port, False,
                        keepalive=CLIENT_KEEPALIVE_SECONDS).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
