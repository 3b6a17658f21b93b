"""The web app on another origin, in a real browser (headless Chromium, as in
test_explorer_browser.py): a page served from an allowed origin (the e2e stack's
PMM_CORS_ORIGINS lists it, as production's lists the web app) calls user routes through the
local gateway with a token and reads the answers, errors included; the same page from an origin
not listed is refused by the browser itself (fetch rejects)."""
from __future__ import annotations

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.e2e.test_explorer_browser import browser  # noqa: F401 - the Chromium fixture
from tests.e2e.test_front_door import token

pytestmark = pytest.mark.e2e

HALAMAN = b"""<!doctype html><html lang="id"><head><meta charset="utf-8"><title>PMM web (uji)</title></head>
<body><script>
window.panggil = async (url, init) => {
  try {
    const r = await fetch(url, init);
    return {status: r.status, body: await r.json(), retryAfter: r.headers.get("Retry-After")};
  } catch (e) {
    return {ditolak: String(e)};
  }
};
</script></body></html>"""


class Halaman(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(HALAMAN)))
        self.end_headers()
        self.wfile.write(HALAMAN)

    def log_message(self, *args) -> None:
        pass


def serve(port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), Halaman)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def asal(stack):
    """Two origins serving the same page: the allowed one the stack was configured with, another not."""
    allowed = next(o for o in stack.cors_origins if o.startswith("http://127.0.0.1:"))
    servers = [serve(int(allowed.rsplit(":", 1)[1])), serve(0)]
    try:
        yield allowed, f"http://127.0.0.1:{servers[1].server_port}"
    finally:
        for s in servers:
            s.shutdown()
            s.server_close()


def test_page_on_an_allowed_origin_calls_user_routes_and_reads_answers(stack, browser, asal):  # noqa: F811
    allowed, _ = asal
    page = browser.new_page()
    page.goto(allowed + "/")
    sub = f"web-{os.urandom(3).hex()}"
    auth = {"Authorization": f"Bearer {token(stack, sub)}"}
    r = page.evaluate("([url, init]) => panggil(url, init)", [stack.base_url + "/v1/karya/saya",
                                                             {"headers": auth}])
    assert r.get("status") == 200, r
    assert r["body"]["items"] == []
    # a JSON POST (preflighted: Authorization and application/json) refused by validation: readable problem
    r = page.evaluate("([url, init]) => panggil(url, init)", [stack.base_url + "/v1/karya/draf", {
        "method": "POST", "headers": {**auth, "Content-Type": "application/json"}, "body": "{}"}])
    assert r.get("status") == 422, r
    assert r["body"]["kode"] == "permintaan_tidak_valid" and r["body"]["detail"]
    # no token: the 401 problem reaches the page too, so it can send the person to sign in
    r = page.evaluate("([url, init]) => panggil(url, init)", [stack.base_url + "/v1/kinerja/katalog", {}])
    assert r.get("status") == 401 and r["body"]["kode"] == "token_tidak_ada", r
    page.close()


def test_page_on_an_origin_not_allowed_is_refused_by_the_browser(stack, browser, asal):  # noqa: F811
    _, other = asal
    page = browser.new_page()
    page.goto(other + "/")
    auth = {"Authorization": f"Bearer {token(stack, 'web-asing')}"}
    for url, init in ((stack.base_url + "/v1/karya/saya", {"headers": auth}),
                      (stack.base_url + "/v1/kinerja/katalog", {})):
        r = page.evaluate("([url, init]) => panggil(url, init)", [url, init])
        assert "ditolak" in r and "Failed to fetch" in r["ditolak"], r
    page.close()
