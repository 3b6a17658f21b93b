"""Faults at the service edge, over HTTP through the gateway of the whole local stack:
- two tabs of one teacher, and two principals (definitive and Plt.), acting on one document at the same
  moment: exactly one wins, every other gets 409 (`versi_tidak_cocok` or `sedang_diubah`);
- the e-Kinerja stand-in slow (answers after the client's timeout), failing (HTTP 500) and flapping
  (500 twice, then fine): the sync ends accepted exactly once (lost 0, doubled 0 at e-Kinerja);
- the YouTube stand-in failing (quota exhausted): a clear error, never 5xx;
- the Google stand-in (YouTube Data API and token endpoint, `/_admin/fault`) slow beyond the adapter's
  timeout, failing (503 backendError) and flapping (500 once, then fine) while a teacher saves a karya: a
  clear 503 `youtube_tidak_tersedia` problem and nothing saved, the later retry saves it; flapping is absorbed
  by the adapter's retry; exactly one karya either way. The scheduled re-check under a failing YouTube marks
  nothing as removed.
Each prints messages in, effects out, lost, doubled.
"""
from __future__ import annotations

import threading
import time
import uuid

import pytest
import requests

from tests.e2e.test_karya_alur import METADATA, hubungkan, problem, simpan_karya
from tests.e2e.test_kinerja_alur import JAN
from tests.e2e.test_kinerja_alur import ok, pada, siapkan_sekolah, susun_rencana, buka

pytestmark = pytest.mark.e2e
LAPORAN: list[tuple[str, int, int, int, int]] = []


def serentak(*calls):
    """Run the calls at the same moment; their responses in order."""
    out: list = [None] * len(calls)
    gate = threading.Barrier(len(calls))

    def run(i, f):
        gate.wait()
        out[i] = f()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(calls)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    return out


def test_dua_tab_pada_karya_yang_sama(stack, as_user):
    guru = as_user(f"tab-{uuid.uuid4().hex[:10]}")
    karya = simpan_karya(stack, guru)
    menang = kalah = 0
    versi = karya["versi"]
    for i in range(5):
        rs = serentak(*[lambda n=n: guru.request("PATCH", f"/v1/karya/saya/{karya['id']}",
                                                  json={"versi": versi, "judul": f"Tab {n} putaran {i}"})
                        for n in range(2)])
        codes = sorted(r.status_code for r in rs)
        assert codes == [200, 409], [r.text[:200] for r in rs]
        assert all(r.json()["kode"] in ("versi_tidak_cocok", "sedang_diubah") for r in rs if r.status_code == 409)
        menang, kalah = menang + 1, kalah + 1
        versi = next(r.json()["versi"] for r in rs if r.status_code == 200)
    assert guru.get(f"/v1/karya/saya/{karya['id']}").json()["versi"] == karya["versi"] + 5
    LAPORAN.append(("dua tab: PATCH karya bersamaan x5", 10, menang, 0, 0))


def test_dua_kepala_sekolah_pada_rencana_yang_sama(stack, as_user):
    ids = siapkan_sekolah(stack, ks=True, plt=True)
    guru, ks, plt = (as_user(ids[k], ids[f"e_{k}"]) for k in ("guru", "ks", "plt"))
    awal = buka(guru)
    r = susun_rencana(guru, {"rencana": awal["rencana"], "versi": awal["versi"]})
    rid = r["rencana"]["rencana_id"]
    r = ok(guru.post(f"/v1/kinerja/rencana/{rid}/ajukan", json={"versi": r["versi"]}, headers=pada(JAN)))
    rs = serentak(lambda: ks.post(f"/v1/kinerja/rencana/{rid}/setujui", json={"versi": r["versi"]},
                                  headers=pada(JAN)),
                  lambda: plt.post(f"/v1/kinerja/rencana/{rid}/kembalikan",
                                   json={"versi": r["versi"], "catatan": "Lengkapi."}, headers=pada(JAN)),
                  lambda: ks.post(f"/v1/kinerja/rencana/{rid}/kembalikan",
                                  json={"versi": r["versi"], "catatan": "Tab kedua."}, headers=pada(JAN)))
    codes = [x.status_code for x in rs]
    assert codes.count(200) <= 1 and all(c in (200, 403, 409) for c in codes), [x.text[:200] for x in rs]
    assert codes.count(200) == 1 or codes.count(403) >= 1, codes
    riwayat = ok(guru.get(f"/v1/kinerja/rencana/{rid}"))["rencana"]["riwayat"]
    keputusan = [e for e in riwayat if e["aksi"] in ("disetujui", "dikembalikan")]
    assert len(keputusan) == codes.count(200), (codes, riwayat)
    LAPORAN.append(("dua kepala sekolah: setujui/kembalikan bersamaan", 3, len(keputusan), 0,
                    max(0, len(keputusan) - 1)))


@pytest.fixture(scope="module")
def dunia_sinkro(stack):
    from tests.e2e.test_sinkro_e2e import buat_dunia, tunggu_cermin
    from google.cloud import pubsub_v1
    from shared.events import make_event
    from tests.support import Firestores

    publisher = pubsub_v1.PublisherClient()
    worlds = {k: buat_dunia() for k in ("lambat", "gagal", "berkedip")}
    futures = []
    for d in worlds.values():
        for topic, payload in d.events():
            data, attrs = make_event("uji-gangguan", topic, payload).to_pubsub()
            futures.append(publisher.publish(publisher.topic_path(stack.project, topic), data, **attrs))
    [f.result(timeout=30) for f in futures]
    db = Firestores(stack.project)
    for d in worlds.values():
        tunggu_cermin(db, d)
    return worlds


PERILAKU = {
    "lambat": {"tunda_ms": 12_000, "tunda_kali": 1},  # longer than the client's 10 s read timeout, once
    "gagal": {"gagal_kali": 50},  # 500 until reset: the sync reports #9, then the retry after the fix
    "berkedip": {"gagal_kali": 2},  # 500, 500, then fine: retried with backoff inside one request
}


@pytest.mark.parametrize("jenis", list(PERILAKU))
def test_ekinerja_lambat_gagal_berkedip(stack, as_user, dunia_sinkro, jenis):
    from tests.unit.sinkro.skenario import PERIODE

    d = dunia_sinkro[jenis]
    standin = f"http://127.0.0.1:{stack.ports.ekinerja}"
    requests.put(f"{standin}/_admin/perilaku/{d.nip}", json=PERILAKU[jenis], timeout=10).raise_for_status()
    guru = as_user(f"sub-{d.u}", d.email)
    masuk, jawaban = 0, []
    for _ in range(4):
        r = guru.session.post(guru.base + "/v1/sinkro/sinkronisasi", json={"jenis": "skp", "periode": PERIODE},
                              timeout=90)
        masuk += 1
        jawaban.append(r.status_code)
        assert r.status_code < 500 or r.json().get("nomor_galat") == 9, r.text[:300]
        if r.status_code == 200:
            break
        if jenis == "gagal":
            requests.delete(f"{standin}/_admin/perilaku/{d.nip}", timeout=10)  # e-Kinerja recovers
    assert jawaban[-1] == 200, jawaban
    diterima = requests.get(f"{standin}/_admin/diterima", timeout=10).json()
    mine = [x for x in (diterima if isinstance(diterima, list) else diterima.get("butir", diterima.get("diterima", [])))
            if isinstance(x, dict) and x.get("nip") == d.nip]
    jumlah = sum(x.get("jumlah_diterima", 1) for x in mine)
    requests.delete(f"{standin}/_admin/perilaku/{d.nip}", timeout=10)
    LAPORAN.append((f"e-Kinerja {jenis}: sinkron SKP ({jawaban})", masuk, jumlah, int(jumlah == 0),
                    max(0, jumlah - 1)))
    assert jumlah == 1, (jenis, mine)


def test_youtube_gagal_kuota_habis(stack, as_user):
    """YouTube answers quotaExceeded: the teacher gets a clear problem (or what the service already has),
    never a 5xx. (Revoking tokens is not done here: the stand-in's accounts are shared by the session.)"""
    from tests.e2e.test_karya_alur import hubungkan

    google = f"http://127.0.0.1:{stack.ports.google}"
    guru = as_user(f"yt-{uuid.uuid4().hex[:10]}")
    akun = hubungkan(stack, guru)
    kuota = requests.get(f"{google}/_admin/quota", timeout=10).json()
    try:
        requests.post(f"{google}/_admin/quota", json={"limit": kuota["used"]}, timeout=10).raise_for_status()
        r = guru.get(f"/v1/karya/youtube/akun/{akun['id']}/video")
        # a documented 503 `kuota_youtube_habis` ("coba lagi besok") is the clear answer; nothing else 5xx
        assert r.status_code < 500 or (r.status_code == 503 and r.json()["kode"] == "kuota_youtube_habis"), r.text
        if r.status_code >= 400:
            assert r.headers["Content-Type"].startswith("application/problem+json")
    finally:
        requests.post(f"{google}/_admin/quota", json={"limit": kuota["limit"]}, timeout=10)
    LAPORAN.append((f"YouTube kuota habis: {r.status_code}", 1, 1, 0, 0))


def gangguan_google(stack, **fault) -> dict:
    """Sets the Google stand-in's fault behaviour (`{"reset": True}` clears it); returns every target's."""
    r = requests.post(f"http://127.0.0.1:{stack.ports.google}/_admin/fault", json=fault, timeout=10)
    r.raise_for_status()
    return r.json()


def keadaan_gangguan(stack) -> dict:
    """The Google stand-in's fault behaviour and counters (delayed, failed) per target."""
    return requests.get(f"http://127.0.0.1:{stack.ports.google}/_admin/fault", timeout=10).json()


GANGGUAN_YOUTUBE = {
    "lambat": {"target": "api", "latency_ms": 12_000},  # beyond the adapter's 10 s timeout, until reset
    "gagal": {"target": "all", "fail_always": True},  # 503 backendError from the API and the token endpoint
    "berkedip": {"target": "api", "fail_next": 1, "status": 500},  # once, then fine: the adapter retries once
}


@pytest.mark.parametrize("jenis", list(GANGGUAN_YOUTUBE))
def test_youtube_lambat_gagal_berkedip_saat_simpan_karya(stack, as_user, jenis):
    """The teacher picked a video while YouTube was fine; YouTube misbehaves when they press "Simpan Video"
    (the save re-checks the video on YouTube before it writes)."""
    guru = as_user(f"yt-{jenis}-{uuid.uuid4().hex[:8]}")
    akun = hubungkan(stack, guru)
    draf = guru.post("/v1/karya/draf", json={"akun_youtube_id": akun["id"], "video_id": "SariPublik1"})
    assert draf.status_code == 201, draf.text
    simpan = f"/v1/karya/draf/{draf.json()['id']}/simpan"
    try:
        gangguan_google(stack, **GANGGUAN_YOUTUBE[jenis])
        r = guru.post(simpan, json=METADATA)
        masuk, jawaban = 1, [r.status_code]
        if jenis == "berkedip":
            assert r.status_code == 201, r.text  # the adapter's one retry absorbed the backendError
        else:
            problem(r, 503, "youtube_tidak_tersedia")
            assert "YouTube" in r.json()["pesan"] and "Coba lagi" in r.json()["pesan"]
            assert guru.get("/v1/karya/saya").json()["items"] == []  # nothing half-saved
        if jenis == "gagal":  # the rest of the import answers the same clear problem
            problem(guru.get(f"/v1/karya/youtube/akun/{akun['id']}/video"), 503, "youtube_tidak_tersedia")
            problem(guru.post("/v1/karya/draf", json={"akun_youtube_id": akun["id"], "video_id": "SariUnlist1"}),
                    503, "youtube_tidak_tersedia")
        fault = keadaan_gangguan(stack)
    finally:
        gangguan_google(stack, reset=True)
    if jenis == "lambat":
        assert fault["api"]["delayed"] == 1  # a timeout is not retried: the teacher waited 10 s, not 20
    if jenis == "berkedip":
        assert fault["api"]["failed"] == 1
    r = guru.post(simpan, json=METADATA)  # later: YouTube is back (or a double click after the 201)
    masuk, jawaban = masuk + 1, jawaban + [r.status_code]
    if jenis == "berkedip":
        problem(r, 404, "draf_tidak_ditemukan")  # the draft became the karya: a second save saves nothing
    else:
        assert r.status_code == 201, r.text
    karya = guru.get("/v1/karya/saya").json()["items"]
    LAPORAN.append((f"YouTube {jenis}: simpan karya ({jawaban})", masuk, len(karya), int(not karya),
                    max(0, len(karya) - 1)))
    assert len(karya) == 1 and karya[0]["status"] == "aktif", karya


def test_youtube_gagal_periksa_berkala_tidak_menandai_video_hilang(stack, as_user):
    """`jadwal.karya.periksa` while YouTube answers 503 backendError: the karya stays `aktif` (same versi),
    the round stops after the first account (its call and one retry); once YouTube is back the next tick
    checks it again."""
    from google.cloud import pubsub_v1
    from local.cloud import publish_tick
    from tests.support import Firestores, wait_until

    guru = as_user(f"yt-periksa-{uuid.uuid4().hex[:8]}")
    karya = simpan_karya(stack, guru)
    dok = Firestores(stack.project).collection("karya__karya").document(karya["id"])
    dok.update({"diperiksa": 0})  # first in the re-check queue (the stack is shared with other tests)
    publisher = pubsub_v1.PublisherClient()

    def tick() -> int:  # what the Cloud Scheduler job publishes (its data and attributes, nothing per run)
        publish_tick(stack.project, "jadwal.karya.periksa", publisher)
        return 1

    sebelum = dok.get().to_dict()["diperiksa"]
    try:
        gangguan_google(stack, target="api", fail_always=True)
        masuk = tick()
        efek = bool(wait_until(lambda: dok.get().to_dict()["diperiksa"] != sebelum, 60, what="the re-check tick"))
        time.sleep(3)  # room for the other accounts' calls (~1 s each with backoff), were they made
        gagal = keadaan_gangguan(stack)["api"]
    finally:
        gangguan_google(stack, reset=True)
    assert gagal["failed"] == 2, gagal  # one account tried (call + retry), not every account in the stack
    dilihat = guru.get(f"/v1/karya/saya/{karya['id']}").json()
    assert (dilihat["status"], dilihat["versi"]) == ("aktif", karya["versi"]), dilihat
    sebelum = dok.get().to_dict()["diperiksa"]
    masuk += tick()
    efek += bool(wait_until(lambda: dok.get().to_dict()["diperiksa"] != sebelum, 60,
                            what="the re-check tick after recovery"))
    dilihat = guru.get(f"/v1/karya/saya/{karya['id']}").json()
    assert (dilihat["status"], dilihat["versi"]) == ("aktif", karya["versi"]), dilihat
    hilang = int(dilihat["status"] != "aktif")  # a karya wrongly taken from the teacher
    LAPORAN.append(("YouTube gagal: periksa berkala, lalu pulih (tetap aktif)", masuk, efek, hilang, 0))


def test_zz_laporan(capsys):
    with capsys.disabled():
        print("\n\nFaults at the service edge: messages in, effects out, lost, doubled")
        for nama, masuk, efek, hilang, ganda in LAPORAN:
            print(f"  {nama:<62} {masuk:>4} {efek:>4} {hilang:>4} {ganda:>4}")
    assert all(h == 0 and g == 0 for _, _, _, h, g in LAPORAN)
