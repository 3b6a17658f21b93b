"""Semester-start load: a benchmark that prints figures; not a test.

    make load                                   # 200 schools, 5,000 teachers, 60 s of load
    make load ARGS="--pengguna setengah --tanpa-jeda"   # the half-ceiling load: closed loop at the concurrency
                                                # where the bare one-read function is at half its maximum
    .venv/bin/python benchmarks/semester_load.py --sekolah 4 --guru-per-sekolah 5 --detik 20 --pengguna 8

1. starts its own local cloud (free ports, project `demo-pmm-beban`) and measures the bare
   functions-framework ceilings (`bare_hello`, `bare_one_read`) in the same run, at the same concurrency;
2. feeds synthetic reference data through the inbound events (Dapodik PTK + school + Rapor Pendidikan):
   N schools, each with a definitive principal and M teachers, pushed to every consumer; some teachers
   save a karya and share it by link (the real OAuth flow against the Google stand-in);
3. runs Locust (headless, as a subprocess, this file being its locustfile) with the semester-start mix:
   teachers opening their cycle, saving each plan step and submitting (Guru); principals approving
   what is waiting (KepalaSekolah: always exactly one user); colleagues opening a shared
   karya through its link and giving feedback through the same link token (Rekan);
4. prints per route p50/p95/p99, throughput, error rate; CPU-ms per request of each service (from
   /proc of its function processes) and Firestore reads/writes per request (from the functions'
   request log lines), each beside the bare ceilings of step 1 as a ratio.

Targets: zero errors; p99 of every write route < 250 ms at the load where the bare one-read
ceiling is at half its maximum; every route >= 0.5x the bare one-read function's throughput.
The national extrapolation from these figures is in docs/skala.md.
"""
from __future__ import annotations

import os
import random

# ---------------------------------------------------------------- the locustfile half (runs under locust)
if os.environ.get("PMM_BEBAN_DUNIA"):
    import collections
    import json as _json
    import time

    from locust import HttpUser, between, constant, task
    from locust.exception import StopUser

    _D = _json.loads(open(os.environ["PMM_BEBAN_DUNIA"]).read())
    _GURU = list(_D["guru"])
    random.shuffle(_GURU)
    _KS_SEKOLAH = {ks["npsn"]: ks for ks in _D["kepala_sekolah"]}
    _MENUNGGU: collections.deque = collections.deque()  # schools of submitted plans, oldest first
    _JAN = {"X-Pmm-Waktu-Uji": "2027-01-11T09:00:00+07:00"}
    K = "/v1/kinerja"

    def _jeda(lo: float, hi: float):
        """Think time between a user's tasks; `--tanpa-jeda` makes the mix a closed loop whose
        concurrency is exactly the number of users (how the bare ceiling is measured)."""
        return constant(0) if os.environ.get("PMM_BEBAN_TANPA_JEDA") else between(lo, hi)

    def _h(token: str) -> dict:
        return {"Authorization": f"Bearer {token}"} | _JAN

    class Guru(HttpUser):
        """A teacher plans: open the cycle, every step, submit (P2). One teacher per user iteration."""

        weight = 8
        wait_time = _jeda(0.5, 2)

        @task
        def rencanakan(self):
            if not _GURU:  # every teacher has planned: this user is done (never spin on nothing)
                raise StopUser()
            g = _GURU.pop()
            h = _h(g["token"])
            self.client.get(f"{K}/saya", headers=h, name="GET /v1/kinerja/saya")
            r = self.client.post(f"{K}/siklus", json={"periode": "2027-1"}, headers=h, name="POST /v1/kinerja/siklus")
            if r.status_code != 201:
                return
            rid, v = r.json()["rencana"]["rencana"]["rencana_id"], r.json()["rencana"]["versi"]
            self.client.get(f"{K}/rencana/{rid}", headers=h, name="GET /v1/kinerja/rencana/<rencana_id>")
            self.client.get(f"{K}/rencana/{rid}/pilihan-praktik", headers=h,
                            name="GET /v1/kinerja/rencana/<rencana_id>/pilihan-praktik")
            for langkah, body in (("cek-data", {}), ("praktik-kinerja", {"sub_indikator_id": "D1.2"}),
                                  ("pengembangan-kompetensi", {"kegiatan": [
                                      {"kegiatan_id": "pelatihan_mandiri_aksi_nyata", "materi_id": "pm-disiplin-positif"},
                                      {"kegiatan_id": "pemimpin_komunitas_belajar"}]}),
                                  ("tugas-tambahan", {"tugas": []}), ("perilaku-kerja", {"nilai_ids": ["kompeten"]}),
                                  ("rangkuman", {"rangkuman": "Disiplin positif di kelas."})):
                r = self.client.put(f"{K}/rencana/{rid}/{langkah}", json=body | {"versi": v}, headers=h,
                                    name=f"PUT /v1/kinerja/rencana/<rencana_id>/{langkah}")
                if r.status_code != 200:
                    return
                v = r.json()["versi"]
            r = self.client.post(f"{K}/rencana/{rid}/ajukan", json={"versi": v}, headers=h,
                                 name="POST /v1/kinerja/rencana/<rencana_id>/ajukan")
            if r.status_code == 200:
                _MENUNGGU.append(g["npsn"])

    class KepalaSekolah(HttpUser):
        """Principals open the approval inbox and approve what waits (P3). One Locust user plays, in
        turn, the principal of the school whose teacher submitted next, so approvals keep pace with
        submissions; one user only, because two sessions on one inbox race each other (that 409 is
        measured in the fault suite, not here)."""

        weight = 1
        fixed_count = 1
        wait_time = _jeda(1, 3)

        @task
        def setujui(self):
            if not _MENUNGGU:
                # Nothing submitted yet: a principal does not poll the inbox in a tight loop (in a
                # closed-loop run this user would otherwise be most of the load).
                time.sleep(0.2)
                return
            ks = _KS_SEKOLAH[_MENUNGGU.popleft()]
            h = _h(ks["token"])
            r = self.client.get(f"{K}/persetujuan", headers=h, name="GET /v1/kinerja/persetujuan")
            if r.status_code != 200:
                return
            for item in r.json().get("rencana", [])[:3]:
                rid = item["rencana"]["rencana_id"]
                self.client.post(f"{K}/rencana/{rid}/setujui", json={"versi": item["versi"]}, headers=h,
                                 name="POST /v1/kinerja/rencana/<rencana_id>/setujui")

    class Rekan(HttpUser):
        """A colleague holding a share link opens the karya and gives feedback through that link (K7, K8, U1):
        the link token is the capability at karya and at umpan_balik alike."""

        weight = 3
        wait_time = _jeda(0.5, 2)

        @task
        def buka_dan_beri_umpan_balik(self):
            if not _D["karya"]:
                raise StopUser()
            k, pemberi = random.choice(_D["karya"]), random.choice(_D["guru"])
            h, ub = _h(pemberi["token"]), f"/v1/umpan-balik/tautan/{k['token']}"
            self.client.get(f"/v1/karya/tautan/{k['token']}", headers=h, name="GET /v1/karya/tautan/<token>")
            r = self.client.get(f"{ub}/kuesioner", headers=h, name="GET /v1/umpan-balik/tautan/<token>/kuesioner")
            if r.status_code != 200 or r.json().get("milik_saya") or r.json().get("umpan_balik_saya_id"):
                return
            q = r.json()["kuesioner"]
            body = {"versi_kuesioner": q["versi"],
                    "jawaban": {p["id"]: random.choice(p["pilihan"])["id"] for p in q["pertanyaan"]},
                    "tanggapan": {t["id"]: "Contohnya jelas dan runtut, murid terlihat aktif." for t in
                                  q.get("tanggapan", [])},
                    "saran": "Tambahkan refleksi di akhir pelajaran."}
            self.client.post(f"{ub}/umpan-balik", json=body, headers=h,
                             name="POST /v1/umpan-balik/tautan/<token>/umpan-balik")


# ---------------------------------------------------------------- the orchestrator half
def main() -> int:
    import argparse
    import csv
    import json
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path
    from urllib.parse import parse_qs, urlsplit

    import requests

    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root), str(root / "benchmarks")]
    from local.cloud import LocalCloud, NotReady, Ports, emulator_env
    from local.identity import mint
    import platform_bench as pb

    ap = argparse.ArgumentParser()
    ap.add_argument("--sekolah", type=int, default=200)
    ap.add_argument("--guru-per-sekolah", type=int, default=25)
    ap.add_argument("--karya", type=int, default=20, help="teachers who save and share a karya")
    ap.add_argument("--pengguna", default="32",
                    help="concurrent Locust users (= bare ceiling connections); `setengah`: the concurrency at "
                         "which the bare one-read function reaches half its maximum throughput (the half-ceiling load)")
    ap.add_argument("--tanpa-jeda", action="store_true",
                    help="no think time: a closed loop, so the users are the concurrency")
    ap.add_argument("--detik", type=int, default=60)
    # The production process shape (infra/modules/functions: WORKERS = vCPUs, THREADS = concurrency / WORKERS):
    # measure it as deployed, one function instance = one core.
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers per function host")
    ap.add_argument("--threads", type=int, default=4, help="threads per worker (= the instance's concurrency)")
    ap.add_argument("--satu-cpu", action="store_true",
                    help="pin every function host to one core (Cloud Functions cpu=1), the rest on the other cores")
    args = ap.parse_args()

    state = Path(tempfile.mkdtemp(prefix="pmm-beban-"))
    os.environ["PMM_LOCAL_DIR"] = str(state / "local")
    cloud = LocalCloud(state_dir=state / "run", ports=Ports.free(), project="demo-pmm-beban",
                       workers=args.workers, threads=args.threads)
    print(f"machine: {os.cpu_count()} cores, load avg {os.getloadavg()[0]:.1f}; state {state}", flush=True)
    t0 = time.monotonic()
    cloud.progress = lambda line: print(line, flush=True)
    try:
        cloud.up()
    except NotReady as exc:
        print(f"local cloud did not come up: {exc}", file=sys.stderr, flush=True)
        return 1
    print(f"local cloud up in {time.monotonic() - t0:.0f} s; function hosts {args.workers} x {args.threads}"
          f"{', pinned to core 0' if args.satu_cpu else ''}", flush=True)
    if args.satu_cpu:
        pin_functions(cloud)
    try:
        with emulator_env(cloud):
            os.environ["GOOGLE_CLOUD_PROJECT"] = cloud.project
            # 1. bare ceilings, same run, same concurrency
            fs_env = {"FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{cloud.ports.firestore}",
                      "GOOGLE_CLOUD_PROJECT": cloud.project}
            print("\n1. bare functions-framework ceilings (2x4): one-read over concurrency, then at the load's")
            kurva = {c: pb.measure(f"bare one_read c={c}", "bare_one_read", pb.BARE, fs_env, 2, 4, "/", 4, c)
                     for c in (1, 2, 4, 8, 16, 32)}
            puncak = max(r["rps"] for r in kurva.values())
            setengah = min(c for c, r in kurva.items() if r["rps"] >= puncak / 2)
            print(f"  bare one-read maximum {puncak:.0f} req/s; half of it from {setengah} connections on")
            if args.pengguna == "setengah" and setengah < 3:
                print(f"  the mix needs 3 users for its three roles: running 3, not {setengah}")
            args.pengguna = max(3, setengah) if args.pengguna == "setengah" else int(args.pengguna)
            bare = {n: pb.measure(f"bare {n}", f"bare_{n}", pb.BARE, fs_env, 2, 4, "/", 8, args.pengguna)
                    for n in ("hello", "one_read")}
            # 2. reference data through the inbound events
            dunia = seed(cloud, args, mint, requests, parse_qs, urlsplit)
            path = state / "dunia.json"
            path.write_text(json.dumps(dunia))
            # 3. the mix
            offsets = {s: (state / "run" / "logs" / f"{s}.log").stat().st_size for s in
                       ("karya", "umpan_balik", "kinerja", "sinkro")}
            others = ("gateway", "firestore", "pubsub")
            cpu0 = {s: cpu_ms(cloud, s) for s in (*offsets, *others)}
            print(f"\n3. Locust: {args.pengguna} users, {args.detik} s (Guru 8 : Rekan 3 : KepalaSekolah 1), "
                  f"{'closed loop (no think time)' if args.tanpa_jeda else 'with think time'}", flush=True)
            prefix = state / "locust"
            subprocess.run([sys.executable, "-m", "locust", "-f", __file__, "--headless", "-u", str(args.pengguna),
                            "-r", str(max(1, args.pengguna // 4)), "-t", f"{args.detik}s", "--host", cloud.base_url,
                            "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                           env=os.environ | {"PMM_BEBAN_DUNIA": str(path)}
                           | ({"PMM_BEBAN_TANPA_JEDA": "1"} if args.tanpa_jeda else {}), cwd=root, check=False)
            cpu1 = {s: cpu_ms(cloud, s) for s in (*offsets, *others)}
            report(prefix, cloud, offsets, cpu0, cpu1, bare, args)
    finally:
        cloud.down()
    return 0


def seed(cloud, args, mint, requests, parse_qs, urlsplit) -> dict:
    """Schools, principals and teachers as Dapodik events; karya saved and shared over HTTP."""
    import time

    from google.cloud import pubsub_v1

    from shared.contracts.referensi_dapodik import PtkDiperbarui, RaporDiterbitkan, RekomendasiData, \
        SekolahDiperbarui
    from shared.events import make_event

    env = cloud.platform_env()
    token = lambda sub, email: mint(cloud.local_dir, env["PMM_AUTH_ISSUER"], sub, email,  # noqa: E731
                                    audience=env["PMM_AUTH_AUDIENCE"], lifetime=4 * 3600)
    publisher = pubsub_v1.PublisherClient()
    futures, dunia = [], {"guru": [], "kepala_sekolah": [], "karya": []}
    t0 = time.monotonic()
    urut = 0
    for i in range(args.sekolah):
        npsn = f"{70000000 + i}"
        ks_id = f"ks-{npsn}"
        events = [("referensi.sekolah.diperbarui", SekolahDiperbarui(
            npsn=npsn, nama=f"SD Negeri {i} Beban", jenjang="sd", dinas_id=f"dinas-{i % 20}",
            kepala_sekolah_ptk_id=ks_id, versi=1)),
            ("referensi.rapor.diterbitkan", RaporDiterbitkan(npsn=npsn, tahun=2026, versi=1, rekomendasi=[
                RekomendasiData(sub_indikator_id="D1.2", prioritas=1)]))]
        orang = [(ks_id, "kepala_sekolah")] + [(f"guru-{npsn}-{j}", "guru") for j in range(args.guru_per_sekolah)]
        for ptk_id, jabatan in orang:
            urut += 1
            email = f"{ptk_id}@guru.sd.belajar.id"
            nip = f"19850314201001{1 + (urut // 999) % 2}{urut % 999 + 1:03d}"
            events.append(("referensi.ptk.diperbarui", PtkDiperbarui(
                ptk_id=ptk_id, nama=f"PTK {ptk_id}", nip=nip, npsn_induk=npsn, status_kepegawaian="pns",
                jabatan=jabatan, versi=1, email_belajar_id=email)))
            (dunia["kepala_sekolah"] if jabatan == "kepala_sekolah" else dunia["guru"]).append(
                {"sub": ptk_id, "email": email, "token": token(ptk_id, email), "npsn": npsn})
        for topic, payload in events:
            data, attrs = make_event("eksternal", topic, payload).to_pubsub()
            futures.append(publisher.publish(publisher.topic_path(cloud.project, topic), data, **attrs))
    langkah = max(1, len(futures) // 4)
    for i, f in enumerate(futures, 1):
        f.result(timeout=60)
        if i % langkah == 0 or i == len(futures):
            print(f"   published {i}/{len(futures)} reference events, {len(futures) - i} left "
                  f"({time.monotonic() - t0:.1f} s)", flush=True)
    n_ptk = args.sekolah * (1 + args.guru_per_sekolah)
    print(f"\n2. published {len(futures)} reference events ({args.sekolah} schools, {n_ptk} PTK) "
          f"in {time.monotonic() - t0:.1f} s; waiting for the consumers", flush=True)
    from tests.support import Firestores

    db = Firestores(cloud.project)  # each service's own database
    tunggu_mirror(db, {"kinerja__ptk": n_ptk, "kinerja__sekolah": args.sekolah, "umpan_balik__ptk": n_ptk},
                  1800, "reference data", cloud.state_dir / "logs")
    print(f"   applied by kinerja and umpan_balik in {time.monotonic() - t0:.1f} s "
          f"({len(futures) / (time.monotonic() - t0):.0f} events/s end to end)", flush=True)
    # karya: the real OAuth flow at the Google stand-in, then a link
    for g in dunia["guru"][: args.karya]:
        h = {"Authorization": f"Bearer {g['token']}"}
        b = cloud.base_url
        start = requests.post(f"{b}/v1/karya/youtube/otorisasi", headers=h, timeout=30).json()
        loc = requests.get(start["url_otorisasi"] + "&login_hint=akun-sari", allow_redirects=False,
                           timeout=30).headers["Location"]
        q = {k: v[0] for k, v in parse_qs(urlsplit(loc).query).items()}
        akun = requests.get(f"{b}/v1/karya/youtube/callback", params=q, headers=h, timeout=30).json()
        draf = requests.post(f"{b}/v1/karya/draf", json={"akun_youtube_id": akun["id"], "video_id": "SariPublik1"},
                             headers=h, timeout=30).json()
        karya = requests.post(f"{b}/v1/karya/draf/{draf['id']}/simpan", headers=h, timeout=30, json={
            "judul": "Pecahan dengan kue", "deskripsi": "Murid belajar pecahan.", "kategori": "praktik_pembelajaran",
            "mata_pelajaran": "matematika", "tingkat_kelas": "kelas_4", "persetujuan": True}).json()
        tautan = requests.post(f"{b}/v1/karya/saya/{karya['id']}/tautan", headers=h, timeout=30).json()
        dunia["karya"].append({"karya_id": karya["id"], "token": tautan["tautan"].rsplit("/", 1)[1]})
    # umpan_balik knows a link only from karya's events (karya.karya.dipublikasikan, karya.tautan.dibuat);
    # until they arrive a link holder gets 404 tautan_tidak_valid, so the load starts once both are mirrored
    t1, n = time.monotonic(), len(dunia["karya"])
    tunggu_mirror(db, {"umpan_balik__karya": n, "umpan_balik__tautan": n}, 300, "karya and link events",
                  cloud.state_dir / "logs")
    print(f"   {n} karya saved and shared; mirrored by umpan_balik in {time.monotonic() - t1:.1f} s", flush=True)
    return dunia


def tunggu_mirror(db, harapan: dict[str, int], batas_detik: float, apa: str, log_dir: os.PathLike | None = None,
                  every: float = 10) -> None:
    """Wait until every Firestore collection holds at least its expected number of documents (the
    project is fresh, so a count is what the consumers applied). Every `every` seconds a line of
    applied / expected and what is left; on timeout the consuming services' log files and last lines."""
    import time

    from local.cloud import log_hint

    started = time.monotonic()
    deadline, next_note = started + batas_detik, started + every
    while True:
        counts = {c: db.collection(c).count().get()[0][0].value for c in harapan}
        if all(counts[c] >= n for c, n in harapan.items()):
            return
        now = time.monotonic()
        if now > deadline:
            behind = sorted({c.split("__")[0] for c, n in harapan.items() if counts[c] < n})
            logs = "".join(f"\n{s}: {log_hint(log_dir / f'{s}.log', 15)}" for s in behind) if log_dir else ""
            raise RuntimeError(f"{apa} not applied in time: {counts} (expected {harapan}){logs}")
        if now >= next_note:
            next_note = now + every
            left = sum(max(0, n - counts[c]) for c, n in harapan.items())
            print(f"   applying {apa} ({now - started:.0f} s): "
                  + ", ".join(f"{c} {counts[c]}/{n}" for c, n in harapan.items()) + f"; {left} left", flush=True)
        time.sleep(1)


def pin_functions(cloud) -> None:
    """One core for the four function hosts (each deployed instance has cpu=1), every other process of the
    local cloud and this script on the remaining cores, so the emulators do not steal the functions' core."""
    import json

    import platform_bench as pb

    fungsi = {"karya", "umpan_balik", "kinerja", "sinkro"}
    lain = set(range(os.cpu_count() or 1)) - {0} or {0}
    for p in json.loads(cloud.state_file.read_text())["processes"]:
        for pid in pb.group_pids(p["pid"]):
            for tid in os.listdir(f"/proc/{pid}/task"):  # every thread: affinity is per thread
                os.sched_setaffinity(int(tid), {0} if p["name"] in fungsi else lain)
    os.sched_setaffinity(0, lain)


def cpu_ms(cloud, service: str) -> float:
    """CPU-ms so far of every process in the named local-cloud process's group."""
    import json

    import platform_bench as pb

    procs = json.loads(cloud.state_file.read_text())["processes"]
    return pb.group_cpu_ms(next(p["pid"] for p in procs if p["name"] == service))


def report(prefix, cloud, offsets, cpu0, cpu1, bare, args) -> None:
    import csv
    import json
    from collections import defaultdict

    ops: dict[str, list[tuple[int, int]]] = defaultdict(list)
    per_service: dict[str, int] = defaultdict(int)
    for service, offset in offsets.items():
        with open(cloud.state_dir / "logs" / f"{service}.log", "rb") as f:
            f.seek(offset)
            for line in f.read().decode(errors="replace").splitlines():
                if not line.startswith("{"):
                    continue
                rec = json.loads(line)
                if rec.get("message") != "request" or not rec.get("route"):
                    continue
                key = f"{rec['httpRequest']['requestMethod']} {rec['route']}"
                ops[key].append((rec["firestore_reads"], rec["firestore_writes"]))
                per_service[service] += 1
    one = bare["one_read"]
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
    print(f"\n4. per route ({args.detik} s, {args.pengguna} users); ratios against bare one-read "
          f"({one['rps']:.0f} req/s, p99 {one['p99']:.1f} ms at {args.pengguna} connections)")
    # A route's throughput alone at this concurrency, by Little's law (users / mean latency), against
    # the bare one-read function's measured throughput at the same concurrency: the target "every
    # route >= 0.5x bare one-read" (the mix itself spreads its throughput over the routes by weight).
    print(f"  {'route':<62} {'n':>5} {'req/s':>6} {'err%':>5} {'p50':>5} {'p95':>5} {'p99':>5} "
          f"{'p99/bare':>8} {'alone/bare':>10} {'R/req':>5} {'W/req':>5}")
    worst_write_p99, total_err, total_n, worst_alone = 0.0, 0, 0, float("inf")
    for r in rows:
        name = r["Name"]
        n, err = int(r["Request Count"]), int(r["Failure Count"])
        if name == "Aggregated":
            continue
        total_n, total_err = total_n + n, total_err + err
        method, _, path = name.partition(" ")
        reads = writes = float("nan")
        if ops.get(name):
            reads = sum(o[0] for o in ops[name]) / len(ops[name])
            writes = sum(o[1] for o in ops[name]) / len(ops[name])
        p99 = float(r["99%"] or 0)
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            worst_write_p99 = max(worst_write_p99, p99)
        alone = args.pengguna / max(float(r["Average Response Time"] or 0) / 1000, 1e-9)
        worst_alone = min(worst_alone, alone / one["rps"])
        print(f"  {name:<62} {n:>5} {float(r['Requests/s']):>6.1f} {100 * err / max(n, 1):>5.1f} "
              f"{float(r['50%'] or 0):>5.0f} {float(r['95%'] or 0):>5.0f} {p99:>5.0f} {p99 / one['p99']:>8.1f} "
              f"{alone / one['rps']:>10.2f} {reads:>5.1f} {writes:>5.1f}")
    agg = next(r for r in rows if r["Name"] == "Aggregated")
    rps = float(agg["Requests/s"])
    print(f"  {'all routes':<62} {int(agg['Request Count']):>5} {rps:>6.1f} "
          f"{100 * total_err / max(total_n, 1):>5.1f} {float(agg['50%'] or 0):>5.0f} {float(agg['95%'] or 0):>5.0f} "
          f"{float(agg['99%'] or 0):>5.0f}")
    print(f"\n  throughput: {rps:.1f} req/s = {rps / one['rps']:.2f}x bare one-read, {rps / bare['hello']['rps']:.2f}x "
          f"bare hello; errors {total_err}; worst write p99 {worst_write_p99:.0f} ms (target < 250 ms); "
          f"slowest route alone {worst_alone:.2f}x bare one-read (target >= 0.5x)")
    print("\n  CPU per request (all processes of the service's function host), and the bare one-read "
          f"function's {one['cpu_ms']:.1f} CPU-ms per request over it (on Cloud Functions an instance's "
          "throughput is bounded by this; the emulators' share is Firestore's there):")
    for s in offsets:
        n = per_service.get(s, 0)
        if n:
            per = (cpu1[s] - cpu0[s]) / n
            print(f"    {s:<12} {per:6.1f} CPU-ms/request over {n} requests  "
                  f"(bare one-read / this = {one['cpu_ms'] / max(per, 1e-9):.2f}x)")
    total = sum(per_service.values())
    print(f"  and per request of all services ({total}), what serves them locally (on Google Cloud these are "
          "managed: API Gateway, Firestore, Pub/Sub):")
    for s in ("gateway", "firestore", "pubsub"):
        if total and s in cpu0:
            print(f"    {s:<12} {(cpu1[s] - cpu0[s]) / total:6.1f} CPU-ms/request")
    fails = f"{prefix}_failures.csv"
    if os.path.exists(fails) and total_err:
        print("\n  failures:")
        for r in list(csv.DictReader(open(fails)))[:10]:
            print(f"    {r['Method']} {r['Name']}: {r['Occurrences']} x {r['Error'][:120]}")


if __name__ == "__main__" and not os.environ.get("PMM_BEBAN_DUNIA"):
    raise SystemExit(main())
