"""The local stand-in for API Gateway: one base URL for the four APIs.

`/v1/karya/...` goes to the karya function, `/v1/umpan-balik/...` to
umpan_balik, and so on; everything else answers 404 as problem+json.
Connections to the functions are kept alive per thread.

    python -m local.gateway --port 8080 --upstreams karya=8081,umpan-balik=8082,...
"""
from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import threading
import time
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry
from functions_framework._http.gunicorn import GunicornApplication

# Keep-alive: clients (browsers, Locust) may idle between requests far longer than gunicorn's
# default 2 s, and a connection closed under them fails their next request; Google's front end keeps
# idle client connections for 610 s, so does this gateway. Function hosts keep theirs for
# HOST_KEEPALIVE_SECONDS, and the gateway drops its own upstream connections well before that.
CLIENT_KEEPALIVE_SECONDS = 610
HOST_KEEPALIVE_SECONDS = 75
UPSTREAM_IDLE_SECONDS = 30
HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
              "transfer-encoding", "upgrade", "content-length", "content-encoding", "host"}


# The API explorer (local/explorer/): static pages under /_explorer/, Swagger UI's assets from the
# npm package swagger-ui-dist (installed by `make` into local/explorer/node_modules/, git-ignored)
# under /_explorer/swagger-ui/, and the AsyncAPI document rendered as HTML at /_explorer/asyncapi.html.
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
        else:
            found = explorer_file(path)
            if found is None:
                pesan = ("Berkas penjelajah API tidak ada. Aset Swagger UI dipasang oleh `make up` "
                         "(local/explorer/node_modules)." if "/swagger-ui/" in path else "Alamat yang diminta tidak ada.")
                return problem(start_response, "404 Not Found", "rute_tidak_ditemukan", pesan)
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

    def problem(start_response, status: str, kode: str, pesan: str):
        body = json.dumps({"status": int(status.split()[0]), "kode": kode, "pesan": pesan}).encode()
        start_response(status, [("Content-Type", "application/problem+json"), ("Content-Length", str(len(body)))])
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
            return problem(start_response, "404 Not Found", "rute_tidak_ditemukan", "Alamat yang diminta tidak ada.")
        url = upstreams[parts[2]] + path
        if environ.get("QUERY_STRING"):
            url += "?" + environ["QUERY_STRING"]
        headers = {key[5:].replace("_", "-").title(): value for key, value in environ.items()
                   if key.startswith("HTTP_") and key[5:].replace("_", "-").lower() not in HOP_BY_HOP}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else None
        try:
            upstream = session().request(environ["REQUEST_METHOD"], url, headers=headers, data=body,
                                         timeout=60, allow_redirects=False)
        except requests.RequestException:
            return problem(start_response, "502 Bad Gateway", "layanan_tidak_tersedia",
                           "Layanan sedang tidak dapat dihubungi. Coba lagi sebentar lagi.")
        out_headers = [(k, v) for k, v in upstream.headers.items() if k.lower() not in HOP_BY_HOP]
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
