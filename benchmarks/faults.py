"""Long fault runs: prints messages in, effects out, lost, doubled. Not a test.

    make faults                       # or: .venv/bin/python benchmarks/faults.py --pesan 300

Scenario "Pub/Sub emulator restarted mid-stream": on its own local cloud, colleagues keep sending
feedback through the owner's share links (`POST /tautan/{token}/umpan-balik`; each commits the feedback
and its `umpan_balik.umpan_balik.dikirim` event in the outbox, then publishes); a third of the way in
the Pub/Sub emulator is SIGKILLed, halfway it is started again on the same port and re-provisioned
(the emulator keeps nothing). Requests made while it is down still succeed (the publish fails after
the commit, or the breaker skips it, and the entry stays in the outbox); after the restart the outbox
sweeper (`jadwal.outbox.sapu`, every minute in production; ticked here) publishes what was left.
Effects out: the owner's notifications (one per feedback, made by `umpan_balik_on_umpan_balik_dikirim`),
matched to the accepted feedback by id.

"lost" is the platform's: accepted feedback without its notification. Apart from it the script prints
"lost by emulator restart": feedback whose publish the old emulator had acknowledged (the outbox entry
was cleared before the kill) but not yet pushed when it was killed (no notification at the kill). The
emulator keeps messages in memory, so those die with it; Cloud Pub/Sub stores a message before it
acknowledges the publish, so in production they are delivered. POSTs are sequential and each answers
after its publish, so the outbox read right after the kill tells exactly which publishes were acknowledged.
The e2e suites (tests/e2e/test_faults_*.py) cover duplicates, disorder, SIGKILL between commit and
publish, conflicts and the stand-ins slow/failing/flapping within CI time.
"""
from __future__ import annotations

import argparse
import hashlib
import json
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
    from google.cloud import firestore, pubsub_v1

    from shared.contracts.karya import KaryaDipublikasikan, TautanKaryaDibuat
    from shared.contracts.platform import JadwalTick
    from shared.events import make_event

    env = cloud.platform_env()
    tok = lambda sub: mint(cloud.local_dir, env["PMM_AUTH_ISSUER"], sub, f"{sub}@belajar.id",  # noqa: E731
                           audience=env["PMM_AUTH_AUDIENCE"], lifetime=7200)
    pemilik = f"pemilik-{uuid.uuid4().hex[:8]}"
    karya_ids = [uuid.uuid4().hex for _ in range(max(1, args.pesan // 20))]
    tautan = {k: f"tok-{uuid.uuid4().hex}" for k in karya_ids}  # raw share-link tokens (karya sends their hashes)
    publisher = pubsub_v1.PublisherClient()
    now = datetime.now(timezone.utc)
    for k in karya_ids:  # the karya mirrors and the owner's links, as the karya service would publish them
        h = hashlib.sha256(tautan[k].encode()).hexdigest()
        for ev in (make_event("karya", "karya.karya.dipublikasikan", KaryaDipublikasikan(
                       karya_id=k, pemilik_id=pemilik, kategori="materi_ajar", judul="Pecahan",
                       mata_pelajaran="matematika", tingkat_kelas="kelas_4", video_id="SariPublik1", dibuat_pada=now,
                       versi=1)),
                   make_event("karya", "karya.tautan.dibuat", TautanKaryaDibuat(
                       token_hash=h, karya_id=k, akar_hash=h, asal="pemilik", dibuat_pada=now))):
            data, attrs = ev.to_pubsub()
            publisher.publish(publisher.topic_path(cloud.project, ev.topic), data, **attrs).result(timeout=30)
    b = cloud.base_url + "/v1/umpan-balik"
    kues = {}
    for k in karya_ids:
        for _ in range(60):
            r = requests.get(f"{b}/tautan/{tautan[k]}/kuesioner", headers={"Authorization": f"Bearer {tok('x')}"},
                             timeout=30)
            if r.status_code == 200:
                kues[k] = r.json()["kuesioner"]
                break
            time.sleep(1)
    if len(kues) < len(karya_ids):
        print(f"only {len(kues)} of {len(karya_ids)} karya and links mirrored; giving up", flush=True)
        return 2
    kill_at, start_at = args.pesan // 3, args.pesan // 2
    print(f"{len(kues)} karya and links mirrored; streaming {args.pesan} feedback POSTs at {args.laju}/s, "
          f"Pub/Sub emulator killed before POST {kill_at} and started again before POST {start_at}", flush=True)
    from shared.settings import database_id

    db = firestore.Client(project=cloud.project, database=database_id("umpan_balik"))
    outbox = db.collection("umpan_balik__outbox")

    def in_outbox() -> set[str]:
        return {json.loads(d.to_dict()["data"])["umpan_balik_id"] for d in outbox.stream()}

    owner = {"Authorization": f"Bearer {tok(pemilik)}"}

    def notifications() -> list[str]:
        ids, cursor = [], None
        while True:
            r = requests.get(f"{b}/notifikasi", params={"batas": 50, **({"kursor": cursor} if cursor else {})},
                             headers=owner, timeout=30).json()
            ids += [n["umpan_balik_id"] for n in r["items"]]
            cursor = r.get("kursor_berikut")
            if not cursor:
                return ids
    pubsub = next(p for p in cloud.running() if p["name"] == "pubsub")
    accepted: dict[str, int] = {}  # umpan_balik id -> stream position
    failed = 0
    pending_at_kill: set[str] = set()
    in_flight_at_kill: set[str] = set()  # acknowledged by the old emulator, not yet delivered when it died
    t0 = time.monotonic()
    for i in range(args.pesan):
        if i == kill_at:
            # POSTs are sequential and each publishes (or gives up) before it answers, so the outbox is
            # settled now: an accepted feedback whose entry is gone had its publish acknowledged.
            _signal_group(pubsub["pid"], 9)
            pending_at_kill = in_outbox()
            in_flight_at_kill = set(accepted) - pending_at_kill - set(notifications())
            print(f"  [{time.monotonic() - t0:5.1f} s] Pub/Sub emulator SIGKILLed: "
                  f"{len(set(accepted) - pending_at_kill)} publishes acknowledged before, "
                  f"{len(in_flight_at_kill)} of them not yet delivered; {len(pending_at_kill)} in the outbox",
                  flush=True)
        if i == start_at:
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
            r = requests.post(f"{b}/tautan/{tautan[k]}/umpan-balik", json=body,
                              headers={"Authorization": f"Bearer {tok(f'rekan-{i}')}"}, timeout=60)
            if r.status_code == 201:
                accepted[r.json()["umpan_balik"]["id"]] = i
            else:
                failed += 1
        except requests.RequestException:
            failed += 1
        time.sleep(max(0.0, t0 + (i + 1) / args.laju - time.monotonic()))
    ok = len(accepted)
    print(f"  stream done in {time.monotonic() - t0:.1f} s: {ok} accepted, {failed} refused/failed; "
          f"{len(in_outbox())} left in the outbox", flush=True)
    # the sweeper ticks (Cloud Scheduler every minute in production)
    tick = make_event("cloud_scheduler", "jadwal.outbox.sapu", JadwalTick(jadwal="sapu-outbox"))
    time.sleep(31)  # PMM_OUTBOX_GRACE_SECONDS
    data, attrs = tick.to_pubsub()
    publisher = pubsub_v1.PublisherClient()
    publisher.publish(publisher.topic_path(cloud.project, tick.topic), data, **attrs).result(timeout=30)
    deadline, seen = time.monotonic() + 120, []
    while time.monotonic() < deadline:
        seen = notifications()
        if set(accepted) <= set(seen):
            break
        time.sleep(3)
    doubled = len(seen) - len(set(seen)) + len(set(seen) - set(accepted))
    missing = set(accepted) - set(seen)
    # Acknowledged by the old emulator before it was killed, never pushed: the in-memory emulator forgot
    # them (Cloud Pub/Sub keeps an acknowledged publish). Anything else missing is the platform's loss.
    by_emulator = missing & in_flight_at_kill
    by_platform = missing - by_emulator
    print("\nPub/Sub emulator restarted mid-stream")
    print(f"  {'messages in':<28} {ok}")
    print(f"  {'effects out':<28} {len(set(seen) & set(accepted))}")
    print(f"  {'lost':<28} {len(by_platform)}")
    print(f"  {'doubled':<28} {doubled}")
    print(f"  {'lost by emulator restart':<28} {len(by_emulator)}   (publish acknowledged by the in-memory "
          f"emulator before it was killed, never pushed; Cloud Pub/Sub keeps these)")
    if missing:
        left = in_outbox()
        for u in sorted(missing, key=accepted.get):
            how = ("publish acknowledged by the old emulator, undelivered when it was killed" if u in in_flight_at_kill
                   else "still in the outbox" if u in left else "published, never consumed")
            print(f"    missing: POST {accepted[u]}: {how}", flush=True)
    return 0 if not by_platform and doubled == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
