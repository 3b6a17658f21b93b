"""p50/p99 of the save and open routes of Bukti Karya under concurrent load
(prints figures; not a test). Starts the whole local stack on free ports, like
the e2e suite, and drives it through the gateway.

    .venv/bin/python services/karya/bench/karya_bench.py [--open 400] [--save 60] [--concurrency 8]

"save" = POST /draf (1 YouTube call) + POST /draf/{id}/simpan (1 YouTube call), each measured
on its own; "open" = GET /tautan/{token}. YouTube is the local stand-in, so Google's own
latency is not included.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

from local.cloud import LocalCloud, Ports  # noqa: E402
from local.identity import mint  # noqa: E402

META = {"judul": "Uji beban", "deskripsi": "Uji", "kategori": "materi_ajar", "mata_pelajaran": "matematika",
        "tingkat_kelas": "kelas_4", "persetujuan": True}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))] * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--open", type=int, default=400)
    ap.add_argument("--save", type=int, default=60)
    ap.add_argument("--concurrency", type=int, default=8)
    args = ap.parse_args()
    import os

    local_dir = Path(tempfile.mkdtemp(prefix="karya-bench-"))
    os.environ["PMM_LOCAL_DIR"] = str(local_dir)
    cloud = LocalCloud(state_dir=local_dir / "run", ports=Ports.free(), project="demo-pmm-bench")
    cloud.up()
    try:
        env = cloud.platform_env()
        sub = "bench-" + uuid.uuid4().hex[:8]
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + mint(cloud.local_dir, env["PMM_AUTH_ISSUER"], sub, None,
                                                       audience=env["PMM_AUTH_AUDIENCE"])
        base = cloud.base_url + "/v1/karya"
        url = s.post(base + "/youtube/otorisasi").json()["url_otorisasi"]
        loc = requests.get(url + "&login_hint=akun-sari", allow_redirects=False).headers["Location"]
        akun = s.get(base + "/youtube/callback", params={k: v[0] for k, v in parse_qs(urlsplit(loc).query).items()})
        akun_id = akun.json()["id"]

        def save(_):
            t0 = time.perf_counter()
            d = s.post(base + "/draf", json={"akun_youtube_id": akun_id, "video_id": "SariPublik1"})
            t1 = time.perf_counter()
            r = s.post(base + f"/draf/{d.json()['id']}/simpan", json=META)
            assert r.status_code == 201, r.text
            return t1 - t0, time.perf_counter() - t1, r.json()["id"]

        google = env["PMM_GOOGLE_TOKEN_URL"].rsplit("/", 1)[0]

        def grants() -> int:
            try:
                return requests.get(google + "/_admin/quota", timeout=5).json()["token_grants"].get("refresh_token", 0)
            except Exception:  # noqa: BLE001 - figures only
                return -1

        g0 = grants()
        with ThreadPoolExecutor(args.concurrency) as ex:
            saves = list(ex.map(save, range(args.save)))
        g1 = grants()
        token = s.post(base + f"/saya/{saves[0][2]}/tautan").json()["tautan"].rsplit("/", 1)[1]

        def buka(_):
            t0 = time.perf_counter()
            r = s.get(base + f"/tautan/{token}")
            assert r.status_code == 200, r.text
            return time.perf_counter() - t0

        with ThreadPoolExecutor(args.concurrency) as ex:
            t0 = time.perf_counter()
            opens = list(ex.map(buka, range(args.open)))
            dur = time.perf_counter() - t0
        for name, xs in (("POST /draf (pick, 1 unit)", [a for a, _, _ in saves]),
                         ("POST /draf/{id}/simpan (save, 1 unit)", [b for _, b, _ in saves]),
                         ("GET /tautan/{token} (open)", opens)):
            print(f"{name:40s} n={len(xs):4d} p50={pct(xs, 50):7.1f} ms  p99={pct(xs, 99):7.1f} ms  "
                  f"mean={statistics.mean(xs) * 1000:7.1f} ms")
        print(f"token refreshes at Google during {args.save} pick+save pairs: {g1 - g0}")
        print(f"open throughput: {args.open / dur:.0f} req/s at concurrency {args.concurrency}")
    finally:
        cloud.down()
    return 0


if __name__ == "__main__":
    sys.exit(main())
