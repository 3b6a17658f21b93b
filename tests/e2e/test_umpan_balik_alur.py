"""Umpan Balik end to end, over HTTP through the gateway of the whole local stack
(U1-U5, K8).

A teacher saves two karya through the karya service (praktik pembelajaran and
materi ajar) and shares links; a colleague guru and a kepala sekolah (roles from
PTK reference events published to `referensi.ptk.diperbarui`, as Dapodik would)
open the links and give feedback with different questionnaires; a hateful
comment is refused with its kode; the owner sees unread notifications, opens
one, pages through the responses and reads the analysis with percentages and
SVG pie charts. A second test publishes a karya event directly, as the karya
service would, and delivers the same `dikirim` event twice: counted once.

The stack is shared and never wiped: every test uses fresh ids and e-mails.
"""
from __future__ import annotations

import json
import uuid
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from google.cloud import pubsub_v1

from shared.events import Event
from tests.support import Firestores, pull_all, wait_until
from tests.unit.umpan_balik import contoh as c
from umpan_balik.domain.kuesioner import kuesioner_terkini

pytestmark = pytest.mark.e2e
UB = "/v1/umpan-balik"
META = {"judul": "Pecahan dengan kue", "deskripsi": "Murid kelas 4 belajar pecahan memakai kue.",
        "kategori": "praktik_pembelajaran", "mata_pelajaran": "matematika", "tingkat_kelas": "kelas_4",
        "persetujuan": True}


def publikasikan(stack, ev: Event) -> None:
    """Publish an event to its real topic in the stack's Pub/Sub emulator (push reaches the functions)."""
    publisher = pubsub_v1.PublisherClient()
    data, attributes = ev.to_pubsub()
    publisher.publish(publisher.topic_path(stack.project, ev.topic), data, **attributes).result()


def problem(r, status: int, kode: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"] == "application/problem+json"
    body = r.json()
    assert body["kode"] == kode and body["pesan"]
    return body


def simpan_dan_bagikan(stack, pemilik, video_id: str, **meta) -> tuple[dict, str]:
    """Through the karya service: connect YouTube at the stand-in, save the video, make a link."""
    start = pemilik.post("/v1/karya/youtube/otorisasi")
    assert start.status_code == 201, start.text
    r = requests.get(start.json()["url_otorisasi"] + "&login_hint=akun-sari", allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text
    q = {k: v[0] for k, v in parse_qs(urlsplit(r.headers["Location"]).query).items()}
    akun = pemilik.get("/v1/karya/youtube/callback", params=q)
    assert akun.status_code == 201, akun.text
    draf = pemilik.post("/v1/karya/draf", json={"akun_youtube_id": akun.json()["id"], "video_id": video_id})
    assert draf.status_code == 201, draf.text
    karya = pemilik.post(f"/v1/karya/draf/{draf.json()['id']}/simpan", json=META | meta)
    assert karya.status_code == 201, karya.text
    tautan = pemilik.post(f"/v1/karya/saya/{karya.json()['id']}/tautan")
    assert tautan.status_code == 201, tautan.text
    return karya.json(), tautan.json()["tautan"].rsplit("/", 1)[1]


def buka_tautan(client, token: str) -> str:
    """A colleague opens the link at the karya service: the karya id is what the link reveals."""
    r = client.get(f"/v1/karya/tautan/{token}")
    assert r.status_code == 200, r.text
    return r.json()["karya_id"]


def kuesioner(client, token: str) -> dict:
    """The form behind a share link, once umpan_balik's mirrors have the karya and the link (their events
    arrive by push)."""
    def siap():
        r = client.get(f"{UB}/tautan/{token}/kuesioner")
        return r.json() if r.status_code == 200 else None
    return wait_until(siap, timeout=90, interval=0.5, what="kuesioner behind a share link")


def jawaban(k: dict, pilih: int = -1, saran: str = "Tambahkan refleksi bersama murid di akhir.") -> dict:
    return {"versi_kuesioner": k["versi"],
            "jawaban": {q["id"]: q["pilihan"][pilih]["id"] for q in k["pertanyaan"]},
            "tanggapan": {t["id"]: "Contoh konkret dan runtut, murid terlihat aktif." for t in k["tanggapan"]},
            "saran": saran}


def tunggu_ptk(stack, ptk_id: str) -> None:
    db = Firestores(stack.project)
    wait_until(lambda: db.collection("umpan_balik__ptk").document(ptk_id).get().exists, timeout=90,
               interval=0.5, what=f"PTK {ptk_id} in umpan_balik's mirror")


def test_u1_sampai_u5_rekan_dan_kepala_sekolah_memberi_umpan_balik_pemilik_membaca_analisa(stack, as_user):
    sub_pemilik, sub_rekan, sub_ks = c.baru("guru"), c.baru("rekan"), c.baru("ks")
    pemilik = as_user(sub_pemilik, f"{sub_pemilik}@belajar.id")
    rekan = as_user(sub_rekan, f"{sub_rekan}@belajar.id")
    ks = as_user(sub_ks, f"{sub_ks}@belajar.id")
    ptk_ks = c.baru("ptk")
    publikasikan(stack, c.ptk(ptk_ks, f"{sub_ks.upper()}@belajar.id", jabatan="kepala_sekolah", nama="Pak Harun"))

    praktik, token_praktik = simpan_dan_bagikan(stack, pemilik, "SariPublik1")
    materi, token_materi = simpan_dan_bagikan(stack, pemilik, "SariUnlist1", kategori="materi_ajar",
                                              judul="Video materi pecahan")
    # K8: colleagues reach the karya only through the link
    assert buka_tautan(rekan, token_praktik) == praktik["id"] and buka_tautan(ks, token_praktik) == praktik["id"]
    assert buka_tautan(rekan, token_materi) == materi["id"] and buka_tautan(ks, token_materi) == materi["id"]

    # U2: different questions per kategori
    f_praktik, f_materi = kuesioner(rekan, token_praktik), kuesioner(rekan, token_materi)
    assert f_praktik["kuesioner"]["id"] == "praktik_pembelajaran.v1" and f_praktik["milik_saya"] is False
    assert f_materi["kuesioner"]["id"] == "materi_ajar.v1"
    assert {q["id"] for q in f_praktik["kuesioner"]["pertanyaan"]}.isdisjoint(
        {q["id"] for q in f_materi["kuesioner"]["pertanyaan"]})
    kp, km = f_praktik["kuesioner"], f_materi["kuesioner"]

    # U3: a hateful comment is refused with its kode, and nothing is stored
    benci = problem(rekan.post(f"{UB}/tautan/{token_praktik}/umpan-balik",
                               json=jawaban(kp, saran=c.KALIMAT_KEBENCIAN)), 422, "teks_mengandung_sara")
    assert benci["kolom"] == "saran" and "Cina" not in benci["pesan"]
    assert kuesioner(rekan, token_praktik)["umpan_balik_saya_id"] is None
    # U1: the owner cannot, a field missing is named, then "Kirim Umpan Balik"
    problem(pemilik.post(f"{UB}/tautan/{token_praktik}/umpan-balik", json=jawaban(kp)), 403,
            "pemilik_tidak_dapat_memberi_umpan_balik")
    kurang = jawaban(kp)
    kurang["jawaban"].pop("pp_tujuan_jelas")
    problem(rekan.post(f"{UB}/tautan/{token_praktik}/umpan-balik", json=kurang), 422, "jawaban_wajib_kosong")
    problem(rekan.post(f"{UB}/tautan/{token_praktik}/umpan-balik", json=jawaban(km)), 422,
            "pertanyaan_tidak_dikenal")  # materi ajar questions on a praktik karya

    r = rekan.post(f"{UB}/tautan/{token_praktik}/umpan-balik", json=jawaban(kp, pilih=-1))
    assert r.status_code == 201, r.text
    ub_rekan = r.json()["umpan_balik"]
    assert r.json()["baru"] and ub_rekan["pemberi_peran"] == "guru" and ub_rekan["pemberi_nama"] is None
    ulang = rekan.post(f"{UB}/tautan/{token_praktik}/umpan-balik", json=jawaban(kp, pilih=0))
    assert ulang.status_code == 200 and ulang.json()["baru"] is False
    assert ulang.json()["umpan_balik"]["id"] == ub_rekan["id"]
    assert ulang.json()["umpan_balik"]["jawaban"][0]["pilihan_id"] == "ss"  # the first answer stands

    tunggu_ptk(stack, ptk_ks)
    r = ks.post(f"{UB}/tautan/{token_praktik}/umpan-balik", json=jawaban(kp, pilih=1))
    assert r.status_code == 201 and r.json()["umpan_balik"]["pemberi_peran"] == "kepala_sekolah", r.text
    r = ks.post(f"{UB}/tautan/{token_materi}/umpan-balik", json=jawaban(km, pilih=1))
    assert r.status_code == 201, r.text
    assert {j["pertanyaan_id"] for j in r.json()["umpan_balik"]["jawaban"]} == {q["id"] for q in km["pertanyaan"]}

    # U3: other link holders see the feedback (without names)
    lihat = ks.get(f"{UB}/tautan/{token_praktik}/umpan-balik").json()
    assert len(lihat["items"]) == 2 and all(u["pemberi_nama"] is None for u in lihat["items"])

    # U4: the owner's notifications, newest first, unread count; opening leads to the feedback
    def tiga():
        body = pemilik.get(f"{UB}/notifikasi").json()
        return body if body["belum_dibaca"] == 3 else None
    notif = wait_until(tiga, timeout=90, interval=0.5, what="three unread notifications")
    assert [n["dibuat"] for n in notif["items"]] == sorted([n["dibuat"] for n in notif["items"]], reverse=True)
    assert all(n["dibaca"] is False for n in notif["items"])
    terlama = notif["items"][-1]
    assert terlama["umpan_balik_id"] == ub_rekan["id"] and terlama["karya_judul"] == "Pecahan dengan kue"
    problem(rekan.post(f"{UB}/notifikasi/{terlama['id']}/buka"), 404, "notifikasi_tidak_ditemukan")
    dibuka = pemilik.post(f"{UB}/notifikasi/{terlama['id']}/buka")
    assert dibuka.status_code == 200, dibuka.text
    assert dibuka.json()["notifikasi"]["dibaca"] is True
    assert dibuka.json()["umpan_balik"]["id"] == ub_rekan["id"]
    assert dibuka.json()["umpan_balik"]["tanggapan"][0]["teks"].startswith("Contoh konkret")
    setelah = pemilik.get(f"{UB}/notifikasi").json()
    assert setelah["belum_dibaca"] == 2
    assert next(n for n in setelah["items"] if n["id"] == terlama["id"])["dibaca"] is True

    # U5: responses and suggestions with the giver's role, one per page
    halaman1 = pemilik.get(f"{UB}/saya/karya/{praktik['id']}/umpan-balik", params={"batas": 1}).json()
    halaman2 = pemilik.get(f"{UB}/saya/karya/{praktik['id']}/umpan-balik",
                           params={"batas": 1, "kursor": halaman1["kursor_berikut"]}).json()
    assert halaman2["kursor_berikut"] is None
    semua = halaman1["items"] + halaman2["items"]
    assert {u["pemberi_peran"] for u in semua} == {"guru", "kepala_sekolah"}
    assert next(u for u in semua if u["pemberi_peran"] == "kepala_sekolah")["pemberi_nama"] == "Pak Harun"
    assert all(u["saran"] and u["tanggapan"] for u in semua)
    problem(rekan.get(f"{UB}/saya/karya/{praktik['id']}/umpan-balik"), 404, "karya_tidak_ditemukan")

    # U5: "Lihat Analisa Kuesioner": counts, percentages summing to 100, SVG pie charts
    def analisa():
        body = pemilik.get(f"{UB}/saya/karya/{praktik['id']}/analisa").json()
        return body if body["jumlah_umpan_balik"] == 2 else None
    hasil = wait_until(analisa, timeout=90, interval=0.5, what="analysis of two feedbacks")
    (blok,) = hasil["kuesioner"]
    assert blok["kuesioner_id"] == "praktik_pembelajaran.v1" and blok["terkini"]
    pertama = blok["pertanyaan"][0]
    assert {p["pilihan_id"]: (p["jumlah"], p["persen_teks"]) for p in pertama["pilihan"]} == \
        {"sts": (0, "0,0%"), "ts": (1, "50,0%"), "s": (0, "0,0%"), "ss": (1, "50,0%")}
    for q in blok["pertanyaan"]:
        assert q["total"] == 2
        assert sum(Decimal(str(p["persen"])) for p in q["pilihan"]) == 100
    svg = pemilik.get(pertama["diagram_svg"])
    assert svg.status_code == 200 and svg.headers["Content-Type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and 'role="img"' in svg.text and "aria-labelledby" in svg.text
    assert "50,0%" in svg.text and pertama["teks"][:20] in svg.text
    problem(rekan.get(pertama["diagram_svg"]), 404, "karya_tidak_ditemukan")
    materi_analisa = pemilik.get(f"{UB}/saya/karya/{materi['id']}/analisa").json()
    assert materi_analisa["kuesioner"][0]["kuesioner_id"] == "materi_ajar.v1"

    # the karya list counts feedback from our dikirim event (karya service's consumer)
    def hitungan_karya():
        items = {k["id"]: k["jumlah_umpan_balik"] for k in pemilik.get("/v1/karya/saya").json()["items"]}
        return items if items.get(praktik["id"]) == 2 and items.get(materi["id"]) == 1 else None
    wait_until(hitungan_karya, timeout=90, interval=0.5, what="feedback counts in Bukti Karya Saya")

    # K7/K8: the link is the capability: a karya id is no link; the owner revokes the link -> every holder
    # (also one who already gave feedback) gets 410 for the form, sending and reading; the owner's view stays
    orang_asing = as_user(c.baru("asing"), f"{c.baru('asing')}@belajar.id")
    problem(orang_asing.get(f"{UB}/tautan/{praktik['id']}/umpan-balik"), 404, "tautan_tidak_valid")
    problem(orang_asing.post(f"{UB}/tautan/{praktik['id']}/umpan-balik", json=jawaban(kp)), 404,
            "tautan_tidak_valid")
    (tautan_praktik,) = pemilik.get(f"/v1/karya/saya/{praktik['id']}/tautan").json()["items"]
    cabut = pemilik.delete(f"/v1/karya/saya/{praktik['id']}/tautan/{tautan_praktik['tautan_id']}")
    assert cabut.status_code == 204, cabut.text
    wait_until(lambda: rekan.get(f"{UB}/tautan/{token_praktik}/umpan-balik").status_code == 410, timeout=90,
               interval=0.5, what="the revocation mirrored in umpan_balik")
    problem(rekan.get(f"{UB}/tautan/{token_praktik}/kuesioner"), 410, "tautan_dicabut")
    problem(orang_asing.post(f"{UB}/tautan/{token_praktik}/umpan-balik", json=jawaban(kp)), 410, "tautan_dicabut")
    assert len(pemilik.get(f"{UB}/saya/karya/{praktik['id']}/umpan-balik").json()["items"]) == 2
    assert ks.get(f"{UB}/tautan/{token_materi}/umpan-balik").status_code == 200  # the other karya's link lives


def test_u4_u5_event_yang_sama_dua_kali_tidak_menggandakan_hitungan(stack, as_user):
    """The karya event published as the karya service would (twice), and our own `dikirim`
    event redelivered twice more: one feedback counts once, one notification."""
    sub_pemilik, sub_rekan = c.baru("guru"), c.baru("rekan")
    pemilik, rekan = as_user(sub_pemilik, f"{sub_pemilik}@belajar.id"), as_user(sub_rekan, f"{sub_rekan}@belajar.id")
    ev = c.karya_dipublikasikan(sub_pemilik, "materi_ajar", judul="Materi pecahan senilai")
    publikasikan(stack, ev)
    publikasikan(stack, ev)
    karya_id = ev.data.karya_id
    token = c.token_untuk(karya_id, uuid.uuid4().hex)
    publikasikan(stack, c.tautan_dibuat(karya_id, token))  # the owner's link, as karya publishes it
    k = kuesioner(rekan, token)["kuesioner"]
    assert k["id"] == kuesioner_terkini("materi_ajar").id

    publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    sub = subscriber.create_subscription(request={
        "name": subscriber.subscription_path(stack.project, f"uji.umpan-balik.{uuid.uuid4().hex[:8]}"),
        "topic": publisher.topic_path(stack.project, "umpan_balik.umpan_balik.dikirim")}).name
    try:
        r = rekan.post(f"{UB}/tautan/{token}/umpan-balik", json=jawaban(k))
        assert r.status_code == 201, r.text
        ub_id = r.json()["umpan_balik"]["id"]

        def event_kami():
            got = pull_all(subscriber, sub, expect=1, timeout=5)
            event_kami.seen.extend(m for m in got if json.loads(m.message.data)["umpan_balik_id"] == ub_id)
            return event_kami.seen
        event_kami.seen = []
        (pesan,) = wait_until(event_kami, timeout=90, what="our dikirim event on its topic")
    finally:
        subscriber.delete_subscription(request={"subscription": sub})
    topic = publisher.topic_path(stack.project, "umpan_balik.umpan_balik.dikirim")
    for _ in range(2):   # the very same message (same ce-id) delivered again
        publisher.publish(topic, pesan.message.data, **dict(pesan.message.attributes)).result()

    def satu():
        body = pemilik.get(f"{UB}/saya/karya/{karya_id}/analisa").json()
        return body if body["jumlah_umpan_balik"] == 1 else None
    wait_until(satu, timeout=90, interval=0.5, what="the feedback counted")
    db = Firestores(stack.project)
    ledger = db.collection("umpan_balik__ledger").document(
        f"umpan_balik_on_umpan_balik_dikirim:{pesan.message.attributes['ce-id']}")
    wait_until(lambda: ledger.get().exists, timeout=60, what="ledger entry")
    # give the two redeliveries time to arrive (each is acked as a duplicate), then count again
    wait_until(lambda: _jumlah_diproses(stack, pesan.message.attributes["ce-id"]) >= 2, timeout=60,
               interval=1, what="redeliveries handled")
    body = pemilik.get(f"{UB}/saya/karya/{karya_id}/analisa").json()
    assert body["jumlah_umpan_balik"] == 1
    assert all(q["total"] == 1 for q in body["kuesioner"][0]["pertanyaan"])
    notif = pemilik.get(f"{UB}/notifikasi").json()
    assert notif["belum_dibaca"] == 1 and len(notif["items"]) == 1


def _jumlah_diproses(stack, event_id: str) -> int:
    """Redeliveries our dikirim handler acked as duplicates (from the function's JSON log lines)."""
    log = stack.state_dir / "logs" / "umpan_balik.log"
    n = 0
    for baris in log.read_text(errors="replace").splitlines():
        if event_id in baris and '"consumer": "umpan_balik_on_umpan_balik_dikirim"' in baris \
                and '"outcome": "duplikat"' in baris:
            n += 1
    return n


def _bacaan_per_rute(stack, layanan: str) -> dict[tuple[str, str], set[int]]:
    """Firestore reads of each successful request, from the function's request log."""
    terukur: dict[tuple[str, str], set[int]] = {}
    for line in (stack.state_dir / "logs" / f"{layanan}.log").read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        rec = json.loads(line)
        http = rec.get("httpRequest") or {}
        if rec.get("message") == "request" and http.get("status", 500) < 300:
            terukur.setdefault((http.get("requestMethod"), rec.get("route")), set()).add(rec["firestore_reads"])
    return terukur


def test_zz_rute_baca_tanpa_transaksi_mencatat_bacaan_firestore(stack):
    """The link-holder GET routes read outside a transaction; their log lines count those reads
    (they were logged with 0): the link (+ its root for an onward link), then the karya (and at
    umpan_balik the reader's own feedback) in one batched get."""
    karya = _bacaan_per_rute(stack, "karya")
    umpan_balik = _bacaan_per_rute(stack, "umpan_balik")
    print("\nroute: reads")
    for (m, r), v in sorted((karya | umpan_balik).items(), key=lambda kv: (kv[0][1] or "", kv[0][0] or "")):
        print(f"  {m} {r}: {sorted(v)}")
    buka = karya.get(("GET", "/v1/karya/tautan/<token>"))
    form = umpan_balik.get(("GET", f"{UB}/tautan/<token>/kuesioner"))
    assert buka and buka <= {2, 3}, buka
    assert form and form <= {3, 4}, form
