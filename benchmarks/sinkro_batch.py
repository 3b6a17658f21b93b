"""Benchmark (prints figures, not a test): the daily Sinkro batch against the e-Kinerja stand-in.

    .venv/bin/python -m benchmarks.sinkro_batch --n 10000 --laju 100 --latensi-ms 50

Starts the emulators, the e-Kinerja stand-in and the real sinkro functions (gunicorn,
push subscriptions) on free ports; seeds N agreed SKPs (each a pegawai whose checks all
pass) into the sinkro mirror with the consumers' own document builders (direct batch
writes: publishing 6 x N reference events is not what is measured); sets the stand-in
to answer in `--latensi-ms`; publishes one `jadwal.sinkro.harian` tick and waits until
e-Kinerja accepted N SKPs. Prints SKPs per second, the busiest second at the stand-in
against the configured rate, and whether every SKP was sent exactly once
(`/_admin/diterima`: one acceptance and one request per nip+periode+versi).
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "services" / "sinkro")]

from local.cloud import LocalCloud, Ports, emulator_env, provision_pubsub  # noqa: E402

PERIODE = "2024-1"


def seed(db, n: int, rng: random.Random) -> None:
    from sinkro.domain import cermin as cm

    now = datetime.now(timezone.utc)
    npsn, atasan = "60300001", "197801022003121004"
    batch, ops = db.batch(), 0

    def put(koleksi, doc_id, data):
        nonlocal batch, ops
        batch.set(db.collection(f"sinkro__{koleksi}").document(doc_id), data)
        ops += 1
        if ops == 500:
            batch.commit()
            batch, ops = db.batch(), 0

    put("sekolah", cm.kunci(npsn), {"npsn": npsn, "nama": "SD Negeri 4 Pagi", "versi": 1})
    put("skp_organisasi", cm.kunci(atasan, PERIODE), {"atasan_nip": atasan, "periode": PERIODE, "ada": True,
                                                      "jumlah_rhk": 3, "versi": 1})
    for i in range(n):
        nip = "19" + f"{rng.randrange(10**16):016d}"
        ptk_id, pns = f"ptk-bench-{i}", f"PNS-{i}"
        put("ptk", cm.kunci(ptk_id), cm.dokumen_ptk(
            {"ptk_id": ptk_id, "nama": f"Guru {i}", "nip": nip, "pns_id": pns, "email_belajar_id": None,
             "npsn_induk": npsn, "status_kepegawaian": "pns", "jabatan": "guru", "plt": [], "versi": 1},
            None, now))
        put("siasn", cm.kunci(nip), {"nip": nip, "pns_id": pns, "status_kepegawaian": "PNS", "instansi_id": "inst-1",
                                     "unor": {"id": "unor-1", "nama": "SD Negeri 4 Pagi", "aktif": True,
                                              "unor_atasan_id": "dinas-1"}, "atasan_nip": atasan, "versi": 1})
        put("ekinerja", cm.kunci(nip), {"nip": nip, "terdaftar": True, "instansi_id": "inst-1", "unor_id": "unor-1",
                                        "pengguna_pmm": True, "skp": [], "penugasan_plt": [], "versi": 1,
                                        "diterapkan_pada": now.isoformat()})
        put("rencana", cm.kunci(ptk_id, PERIODE), cm.dokumen_rencana(
            {"ptk_id": ptk_id, "periode": PERIODE, "nip": nip, "npsn": npsn, "nama_sekolah": "SD Negeri 4 Pagi",
             "jabatan": "guru", "atasan": {"jenis": "kepala_sekolah", "ptk_id": "kepsek", "nip": atasan},
             "rhk": [{"urutan": 1, "teks": "Meningkatnya kualitas pembelajaran", "indikator": "Umpan Balik"}],
             "perilaku": [{"id": "kolaboratif", "nama": "Kolaboratif"}], "versi": 1}, None))
    if ops:
        batch.commit()


def detik_tersibuk(kedatangan: list[float]) -> int:
    """Most requests that arrived in any sliding one-second window."""
    kedatangan = sorted(kedatangan)
    terbanyak, awal = 0, 0
    for akhir, t in enumerate(kedatangan):
        while t - kedatangan[awal] >= 1.0:
            awal += 1
        terbanyak = max(terbanyak, akhir - awal + 1)
    return terbanyak


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--laju", type=float, default=100.0, help="PMM_SINKRO_LAJU_PER_DETIK")
    ap.add_argument("--latensi-ms", type=int, default=50)
    ap.add_argument("--potongan", type=int, default=100)
    ap.add_argument("--paralel", type=int, default=8)
    ap.add_argument("--batas-waktu", type=float, default=1800)
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers of the sinkro functions")
    ap.add_argument("--pengirim", type=int, default=None,
                    help="PMM_SINKRO_PENGIRIM_MAKS (default: --workers: every worker may run chunks)")
    args = ap.parse_args(argv)

    os.environ.update({"PMM_SINKRO_LAJU_PER_DETIK": str(args.laju), "PMM_SINKRO_UKURAN_POTONGAN": str(args.potongan),
                       "PMM_SINKRO_PARALEL": str(args.paralel),
                       "PMM_SINKRO_PENGIRIM_MAKS": str(args.pengirim or args.workers)})
    tmp = Path(tempfile.mkdtemp(prefix="sinkro-bench-"))
    os.environ["PMM_LOCAL_DIR"] = str(tmp)
    cloud = LocalCloud(state_dir=tmp / "run", ports=Ports.free(), project="demo-pmm-bench", workers=args.workers)
    cloud.up(only={"firestore", "pubsub", "ekinerja", "sinkro"})
    try:
        with emulator_env(cloud):
            os.environ["GOOGLE_CLOUD_PROJECT"] = cloud.project
            from google.cloud import firestore, pubsub_v1

            from shared.contracts.platform import JadwalTick
            from shared.events import make_event
            from shared.settings import database_id

            provision_pubsub(cloud.project, cloud.service_url)
            ek = f"http://127.0.0.1:{cloud.ports.ekinerja}"
            requests.put(f"{ek}/_admin/latensi", json={"latensi_ms": args.latensi_ms}, timeout=10).raise_for_status()
            db = firestore.Client(project=cloud.project, database=database_id("sinkro"))
            t0 = time.monotonic()
            seed(db, args.n, random.Random(7))
            print(f"mirror seeded: {args.n} agreed SKPs in {time.monotonic() - t0:.1f} s", flush=True)

            data, attrs = make_event("cloud_scheduler", "jadwal.sinkro.harian",
                                     JadwalTick(jadwal="sinkro-harian", waktu=datetime.now(timezone.utc))).to_pubsub()
            publisher = pubsub_v1.PublisherClient()
            mulai = time.time()
            publisher.publish(publisher.topic_path(cloud.project, "jadwal.sinkro.harian"), data, **attrs).result()
            jumlah = 0
            while time.time() - mulai < args.batas_waktu:
                time.sleep(2)
                jumlah = len(requests.get(f"{ek}/_admin/kedatangan", timeout=30).json()["kedatangan"])
                print(f"  {time.time() - mulai:6.1f} s: {jumlah} requests at e-Kinerja", flush=True)
                if jumlah >= args.n:
                    break
            time.sleep(3)  # anything sent twice would arrive now
            kedatangan = requests.get(f"{ek}/_admin/kedatangan", timeout=30).json()["kedatangan"]
            diterima = requests.get(f"{ek}/_admin/diterima", timeout=60).json()["diterima"]
            selesai = max(kedatangan) if kedatangan else time.time()
            durasi = selesai - mulai
            sekali = all(c["jumlah_diterima"] == 1 and c["jumlah_permintaan"] == 1 for c in diterima)
            nip_unik = len({(c["nip"], c["periode"], c["versi"]) for c in diterima})
            tersibuk = detik_tersibuk(kedatangan)
            print("\n--- sinkro batch ---")
            print(f"N (agreed SKPs)           {args.n}")
            print(f"stand-in latency          {args.latensi_ms} ms")
            print(f"configured rate           {args.laju:g} /s  (chunk {args.potongan}, {args.paralel} parallel sends"
                  f" per chunk, {args.workers} gunicorn workers x 4 threads, each worker's share"
                  f" {int(args.laju // (args.pengirim or args.workers))}/s)")
            print(f"tick -> last send         {durasi:.1f} s")
            print(f"throughput                {len(kedatangan) / durasi:.1f} SKPs/s")
            if len(kedatangan) > 1:
                kirim = max(kedatangan) - min(kedatangan)
                print(f"send phase                {kirim:.1f} s, {len(kedatangan) / kirim:.1f} SKPs/s"
                      f" (first -> last request at e-Kinerja; excludes the fan-out)")
            print(f"busiest 1 s window        {tersibuk} requests (limit {args.laju:g}:"
                  f" {'honoured' if tersibuk <= args.laju else 'EXCEEDED'})")
            print(f"requests at e-Kinerja     {len(kedatangan)}")
            print(f"accepted distinct SKPs    {nip_unik} of {args.n}")
            print(f"every SKP sent once       {sekali and nip_unik == args.n and len(kedatangan) == args.n}")
            return 0 if sekali and nip_unik == args.n else 1
    finally:
        cloud.down()


if __name__ == "__main__":
    sys.exit(main())
