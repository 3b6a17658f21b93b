"""The HTTP functions as production's front door hands them requests (a global external
Application Load Balancer with serverless NEGs): the golden request (tests/e2e/data/
permintaan_front_door.json) straight to each function host (functions-framework under
gunicorn, as local/host.py serves it), the same through the local gateway, CORS preflights from
the web app's development origin, and an oversized chunked body answered 413 with the host's
memory measured."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import requests

from local.cloud import SERVICES, WEB_DEV_ORIGIN
from local.identity import mint

pytestmark = pytest.mark.e2e
GOLDEN = json.loads((Path(__file__).parent / "data" / "permintaan_front_door.json").read_text())
MiB = 1024 * 1024


def token(stack, sub: str) -> str:
    env = stack.platform_env()
    return mint(stack.local_dir, env["PMM_AUTH_ISSUER"], sub, f"{sub}@guru.sd.belajar.id",
                audience=env["PMM_AUTH_AUDIENCE"])


def golden_headers(stack, sub: str) -> dict[str, str]:
    return {k: v.replace("{token}", token(stack, sub)) for k, v in GOLDEN["headers"].items()}


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_golden_front_door_request_reaches_each_http_function_with_the_callers_token(stack, service):
    rute = GOLDEN["routes"][service]
    headers = golden_headers(stack, f"pintu-{service}-{os.urandom(3).hex()}")
    for base in (stack.service_url(service), stack.base_url):  # the function as deployed, then the front door
        r = requests.request(rute["method"], base + rute["path"], headers=headers, timeout=30)
        assert r.status_code == rute["status"], (base, r.status_code, r.text[:300])
        if r.status_code >= 400:  # refused for who the caller is, not for a token not found
            assert r.json()["kode"] not in ("token_tidak_ada", "token_tidak_valid"), r.json()
        # production's web origin is not among the local stack's allowed origins: no CORS grant
        assert "Access-Control-Allow-Origin" not in r.headers
    without = {k: v for k, v in headers.items() if k != "Authorization"}
    r = requests.request(rute["method"], stack.base_url + rute["path"], headers=without, timeout=30)
    assert r.status_code == 401 and r.json()["kode"] == "token_tidak_ada"


@pytest.mark.parametrize("method,path", [("GET", "/v1/karya/saya"), ("POST", "/v1/kinerja/siklus"),
                                         ("PUT", "/v1/umpan-balik/notifikasi/n-1/buka"),
                                         ("POST", "/v1/sinkro/sinkronisasi")])
def test_preflight_from_the_web_apps_dev_origin_through_the_gateway(stack, method, path):
    r = requests.options(stack.base_url + path, headers={
        "Origin": WEB_DEV_ORIGIN, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": "authorization, content-type"}, timeout=30)
    if method == "PUT":  # /notifikasi/<id>/buka is POST only: the preflight says so and the browser stops
        assert r.status_code == 204 and "PUT" not in r.headers["Access-Control-Allow-Methods"]
        return
    assert r.status_code == 204, r.text[:200]
    assert r.headers["Access-Control-Allow-Origin"] == WEB_DEV_ORIGIN and "Origin" in r.headers["Vary"]
    assert method in r.headers["Access-Control-Allow-Methods"]
    assert {"authorization", "content-type"} <= {h.strip().lower() for h in
                                                  r.headers["Access-Control-Allow-Headers"].split(",")}
    assert int(r.headers["Access-Control-Max-Age"]) > 0
    # the actual answer (here a problem: no token) carries the grant too, so the page can read it
    r = requests.request(method, stack.base_url + path, headers={"Origin": WEB_DEV_ORIGIN}, json={}, timeout=30)
    assert r.status_code == 401 and r.headers["Access-Control-Allow-Origin"] == WEB_DEV_ORIGIN
    assert r.json()["detail"]
    asing = requests.request(method, stack.base_url + path, headers={"Origin": "http://localhost:3001"}, json={},
                             timeout=30)
    assert "Access-Control-Allow-Origin" not in asing.headers


def _peak_rss(pid: int) -> int:
    """VmHWM: the most resident memory the process ever had (bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError(f"no VmHWM for {pid}")


def test_chunked_30_mib_body_is_413_and_the_host_never_holds_it(stack):
    import psutil

    state = json.loads(stack.state_file.read_text())
    host = next(p["pid"] for p in state["processes"] if p["name"] == "karya")
    workers = psutil.Process(host).children(recursive=True)
    assert workers, "gunicorn workers of the karya host"
    headers = {"Authorization": f"Bearer {token(stack, 'badan-besar-' + os.urandom(3).hex())}",
               "Content-Type": "application/json"}
    for _ in range(2 * len(workers)):  # warm every worker up (imports, token certificates) on a small body
        assert requests.post(stack.service_url("karya") + "/v1/karya/draf", data=b"{}", headers=headers,
                             timeout=30).status_code == 422
    before = {w.pid: _peak_rss(w.pid) for w in workers}

    def body():
        chunk = b" " * MiB
        for _ in range(30):
            yield chunk

    r = requests.post(stack.service_url("karya") + "/v1/karya/draf", data=body(), headers=headers, timeout=120)
    assert r.status_code == 413, r.text[:200]
    assert r.headers["Content-Type"] == "application/problem+json"
    assert r.json()["kode"] == "permintaan_terlalu_besar" and r.json()["detail"]
    growth = max(_peak_rss(pid) - rss for pid, rss in before.items())
    print(f"\nkarya host, 30 MiB chunked body: peak RSS growth of the busiest worker {growth / MiB:.1f} MiB")
    assert growth < 10 * MiB
    # the connection's unread rest was discarded, the host still answers
    assert requests.get(stack.service_url("karya") + "/v1/karya/health", timeout=30).status_code == 200
