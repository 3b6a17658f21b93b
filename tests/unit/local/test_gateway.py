"""The local gateway behaves as the load balancer production uses: the caller's Authorization
passes unchanged, the front end's headers are added, bodies stream (chunked too), unknown
prefixes are 404 problem+json, and it adds no CORS header of its own."""
from __future__ import annotations

import io
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from werkzeug.test import Client

from local.gateway import build_app


class Gema(BaseHTTPRequestHandler):
    """An upstream that answers with what it received."""

    def _answer(self) -> None:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        out = json.dumps({"path": self.path, "headers": dict(self.headers.items()), "panjang": len(body)}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def gateway():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gema)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Client(build_app({"karya": f"http://127.0.0.1:{server.server_port}"}))
    finally:
        server.shutdown()
        server.server_close()


def test_authorization_passes_unchanged_with_the_front_end_headers_added(gateway):
    r = gateway.get("/v1/karya/saya?batas=5", headers={"Authorization": "Bearer abc.def.ghi",
                                                        "X-Forwarded-For": "10.0.0.9"},
                    environ_base={"REMOTE_ADDR": "36.68.214.17"})
    seen = {k.lower(): v for k, v in r.json["headers"].items()}
    assert r.json["path"] == "/v1/karya/saya?batas=5"
    assert seen["authorization"] == "Bearer abc.def.ghi"
    assert "x-forwarded-authorization" not in seen
    assert seen["x-forwarded-for"] == "10.0.0.9, 36.68.214.17, 127.0.0.1"
    assert seen["x-forwarded-proto"] == "http" and seen["via"] == "1.1 google"
    trace = seen["x-cloud-trace-context"].split("/")[0]
    assert len(trace) == 32 and seen["traceparent"].startswith(f"00-{trace}-")
    assert r.headers["Via"] == "1.1 google"
    assert "Access-Control-Allow-Origin" not in r.headers  # CORS is the functions' answer, not the front door's


def test_a_client_trace_is_kept(gateway):
    tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    seen = {k.lower(): v for k, v in gateway.get("/v1/karya/x", headers={"traceparent": tp}).json["headers"].items()}
    assert seen["traceparent"] == tp
    assert seen["x-cloud-trace-context"] == f"4bf92f3577b34da6a3ce929d0e0e4736/{int('00f067aa0ba902b7', 16)};o=1"


def test_a_chunked_body_streams_through(gateway):
    body = b"x" * (300 * 1024)
    r = gateway.post("/v1/karya/draf", headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
                     environ_overrides={"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True})
    assert r.json["panjang"] == len(body)


@pytest.mark.parametrize("path", ["/v1/tidak-ada/x", "/v2/karya/saya", "/apa"])
def test_unknown_prefix_is_404_problem_with_detail(gateway, path):
    r = gateway.get(path)
    assert r.status_code == 404 and r.headers["Content-Type"] == "application/problem+json"
    assert r.json["kode"] == "rute_tidak_ditemukan" and r.json["detail"] and r.json["pesan"] and r.json["title"]


def test_explorer_offers_the_committed_asyncapi_document_for_download(gateway):
    from shared.asyncapi import DOCUMENT

    r = gateway.get("/_explorer/asyncapi.json")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.get_data() == DOCUMENT.read_bytes()
    assert 'href="/_explorer/asyncapi.json"' in gateway.get("/_explorer/asyncapi.html").get_data(as_text=True)
