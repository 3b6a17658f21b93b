"""Long fault runs (issue 9): prints messages in, effects out, lost, doubled. Not a test.

    make faults                       # or: .venv/bin/python benchmarks/faults.py --pesan 300

Scenario "Pub/Sub emulator restarted mid-stream": on its own local cloud, colleagues keep sending
feedback (each POST commits the feedback and its `umpan_balik.umpan_balik.dikirim` event in the outbox,
then publishes); halfway the Pub/Sub emulator is SIGKILLed and started again on the same port (and
re-provisioned: the emulator keeps nothing). Requests made while it is down still succeed (the publish
fails after the commit and the entry stays in the outbox); after the restart the outbox sweeper
(`jadwal.outbox.sapu`, every minute in production; ticked here) publishes what was left. Effects out:
the owner's notifications (one per feedback, made by `umpan_balik_on_umpan_balik_dikirim`).

Caveat printed with the figures: messages the emulator had accepted but not yet pushed when it was
killed are gone (the emulator is in-memory; Cloud Pub/Sub is durable), so "lost" here counts them.
The e2e suites (tests/e2e/test_faults_*.py) cover duplicates, disorder, SIGKILL between commit and
publish, conflicts and the stand-ins slow/failing/flapping within CI time.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from local.cloud import LocalCloud, Ports, _answers, _signal_group, emulator_env  # noqa: E402
from local.identity import mint  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pesan", type=int, default=120, help="feedback POSTs in the stream")
    ap.add_argument("--laju", type=float, default=10, help="POSTs per second")
    args = ap.parse_args()
    state = Path(tempfile.mkdtemp(prefix="pmm-faults-"))
    os.environ["PMM_LOCAL_DIR"] = str(state / "local")
    cloud = LocalCloud(state_dir=state / "run", ports=Ports.free(), project="demo-pmm-faults")
    cloud.up()
    try:
        with emulator_env(cloud):
            os.environ["GOOGLE_CLOUD_PROJECT"] = cloud.project
            return restart_pubsub(cloud, args)
    finally:
        cloud.down()


def restart_pubsub(cloud: LocalCloud, args) -> int:
    from google.cloud import pubsub_v1

    from shared.contracts.karya import KaryaDipublikasikan
    from shared.contracts.platform import JadwalTick
    from shared.events import make_event

    env = cloud.platform_env()
    tok = lambda sub: mint(cloud.local_dir, env["PMM_AUTH_ISSUER"], sub, f"{sub}@belajar.id",  # noqa: E731
                           audience=env["PMM_AUTH_AUDIENCE"], lifetime=7200)
    pemilik = f"pemilik-{uuid.uuid4().hex[:8]}"
    karya_ids = [uuid.uuid4().hex for _ in range(max(1, args.pesan // 20))]
    publisher = pubsub_v1.PublisherClient()
    for k in karya_ids:  # the karya mirrors, as the karya service would publish them
        ev = make_event("karya", "karya.karya.dipublikasikan", KaryaDipublikasikan(
            karya_id=k, pemilik_id=pemilik, kategori="materi_ajar", judul="Pecahan", mata_pelajaran="matematika",
            tingkat_kelas="kelas_4", video_id="SariPublik1", dibuat_pada=datetime.now(timezone.utc), versi=1))
        data, attrs = ev.to_pubsub()
        publisher.publish(publisher.topic_path(cloud.project, ev.topic), data, **attrs).result(timeout=30)
    b = cloud.base_url + "/v1/umpan-balik"
    time.sleep(3)
    kues = {}
    for k in karya_ids:
        for _ in range(60):
            r = requests.get(f"{b}/karya/{k}/kuesioner", headers={"Authorization": f"Bearer {tok('x')}"}, timeout=30)
            if r.status_code == 200:
                kues[k] = r.json()["kuesioner"]
                break
            time.sleep(1)
    print(f"{len(kues)} karya mirrored; streaming {args.pesan} feedback POSTs at {args.laju}/s, "
          f"Pub/Sub emulator killed at {args.pesan // 3} and started again at {args.pesan // 2}", flush=True)
    pubsub = next(p for p in cloud.running() if p["name"] == "pubsub")
    ok = failed = 0
    t0 = time.monotonic()
    for i in range(args.pesan):
        if i == args.pesan // 3:
            _signal_group(pubsub["pid"], 9)
            print(f"  [{time.monotonic() - t0:5.1f} s] Pub/Sub emulator SIGKILLed", flush=True)
        if i == args.pesan // 2:
            cloud.restart("pubsub")  # recorded in the state file: `down` stops the new emulator too
            cloud.provision()
            print(f"  [{time.monotonic() - t0:5.1f} s] Pub/Sub emulator started again and re-provisioned",
                  flush=True)
        k = karya_ids[i % len(karya_ids)]
        q = kues[k]
        body = {"versi_kuesioner": q["versi"], "jawaban": {p["id"]: p["pilihan"][0]["id"] for p in q["pertanyaan"]},
                "tanggapan": {t["id"]: "Contohnya jelas dan runtut." for t in q.get("tanggapan", [])},
                "saran": "Tambahkan refleksi."}
        try:
            r = requests.post(f"{b}/karya/{k}/umpan-balik", json=body,
                              headers={"Authorization": f"Bearer {tok(f'rekan-{i}')}"}, timeout=60)
            ok += r.status_code == 201
            failed += r.status_code != 201
        except requests.RequestException:
            failed += 1
        time.sleep(max(0.0, t0 + (i + 1) / args.laju - time.monotonic()))
    print(f"  stream done in {time.monotonic() - t0:.1f} s: {ok} accepted, {failed} refused/failed", flush=True)
    # the sweeper ticks (Cloud Scheduler every minute in production)
    tick = make_event("cloud_scheduler", "jadwal.outbox.sapu", JadwalTick(jadwal="sapu-outbox"))
    time.sleep(31)  # PMM_OUTBOX_GRACE_SECONDS
    data, attrs = tick.to_pubsub()
    publisher = pubsub_v1.PublisherClient()
    publisher.publish(publisher.topic_path(cloud.project, tick.topic), data, **attrs).result(timeout=30)
    owner = {"Authorization": f"Bearer {tok(pemilik)}"}

    def notifications() -> int:
        n, cursor = 0, None
        while True:
            r = requests.get(f"{b}/notifikasi", params={"batas": 50, **({"kursor": cursor} if cursor else {})},
                             headers=owner, timeout=30).json()
            n += len(r["items"])
            cursor = r.get("kursor_berikut")
            if not cursor:
                return n
    deadline, seen = time.monotonic() + 120, 0
    while time.monotonic() < deadline:
        seen = notifications()
        if seen >= ok:
            break
        time.sleep(3)
    doubled = max(0, seen - ok)
    lost = max(0, ok - seen)
    print("\nPub/Sub emulator restarted mid-stream")
    print(f"  {'messages in':<28} {ok}")
    print(f"  {'effects out':<28} {seen}")
    print(f"  {'lost':<28} {lost}   (includes messages the in-memory emulator held when killed)")
    print(f"  {'doubled':<28} {doubled}")
    return 0 if doubled == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
