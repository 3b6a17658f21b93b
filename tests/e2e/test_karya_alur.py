"""Bukti Karya end to end, over HTTP through the gateway of the whole local stack
(K1-K8): connect a YouTube account at the Google stand-in, list uploads, pick a
video, swap it, save a karya, play it, share it through every channel, a
colleague opens it and shares it onward, the owner sees reach and revokes; every
rejection has its own kode; events reach their topics and feedback counts
come back from the feedback topic.

The stack is shared and never wiped: every test uses fresh user ids. The
stand-in's videos are never modified here (other tests use them too).
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from google.cloud import pubsub_v1

from shared.contracts.umpan_balik import UmpanBalikDikirim
from shared.events import make_event
from tests.support import Firestores, pull_all, wait_until

pytestmark = pytest.mark.e2e
KANAL_BUDI_VIDEO = None  # resolved from the stand-in module below
METADATA = {"judul": "Pecahan dengan kue", "deskripsi": "Murid kelas 4 belajar pecahan memakai kue.",
            "kategori": "praktik_pembelajaran", "mata_pelajaran": "matematika", "tingkat_kelas": "kelas_4",
            "persetujuan": True}


def baru(prefix: str = "guru") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def consent(stack, url: str, akun: str) -> dict[str, str]:
    """The browser at Google: our authorize URL points at the stand-in; consent as `akun`."""
    assert url.startswith(f"http://127.0.0.1:{stack.ports.google}/")
    r = requests.get(url + "&login_hint=" + akun, allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text
    location = r.headers["Location"]
    assert urlsplit(location).path == "/v1/karya/youtube/callback"
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


def hubungkan(stack, client, akun: str = "akun-sari") -> dict:
    start = client.post("/v1/karya/youtube/otorisasi")
    assert start.status_code == 201, start.text
    q = consent(stack, start.json()["url_otorisasi"], akun)
    r = client.get("/v1/karya/youtube/callback", params=q)
    assert r.status_code == 201, r.text
    return r.json()


def simpan_karya(stack, client, video_id="SariPublik1", **meta) -> dict:
    akun = hubungkan(stack, client)
    draf = client.post("/v1/karya/draf", json={"akun_youtube_id": akun["id"], "video_id": video_id})
    assert draf.status_code == 201, draf.text
    r = client.post(f"/v1/karya/draf/{draf.json()['id']}/simpan", json=METADATA | meta)
    assert r.status_code == 201, r.text
    return r.json()


def problem(r, status: int, kode: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["Content-Type"] == "application/problem+json"
    body = r.json()
    assert body["kode"] == kode and body["pesan"]


def test_refresh_token_lokal_disegel_lewat_stand_in_cloud_kms(stack, as_user):
    """The local cloud runs production's key path: karya wraps each token's data key with the Cloud KMS
    stand-in (google-cloud-kms over HTTP); the stored value names the KMS key, never the token."""

    from local.cloud import LOCAL_KMS_KEY

    kms = f"http://127.0.0.1:{stack.ports.kms}/_admin/calls"
    sebelum = requests.get(kms, timeout=5).json()["encrypt"]
    akun = hubungkan(stack, as_user(baru()))
    raw = Firestores(stack.project).collection("karya__akun_youtube").document(akun["id"]).get()
    assert raw.to_dict()["refresh_token_terenkripsi"].startswith(f"v1${LOCAL_KMS_KEY}$")
    assert requests.get(kms, timeout=5).json()["encrypt"] == sebelum + 1


def test_k3_to_k8_guru_menghubungkan_memilih_menyimpan_memutar_membagikan_dan_rekan_membuka(stack, as_user):
    pemilik = as_user(baru(), "guru@belajar.id")
    rekan, rekan2, orang_asing = as_user(baru("rekan")), as_user(baru("rekan")), as_user(baru("asing"))

    # K3: login with a YouTube account, list uploads
    akun = hubungkan(stack, pemilik)
    assert akun["judul_kanal"] == "Kelas Bu Sari" and "refresh_token" not in str(akun)
    assert [a["id"] for a in pemilik.get("/v1/karya/youtube/akun").json()["items"]] == [akun["id"]]
    unggahan = pemilik.get(f"/v1/karya/youtube/akun/{akun['id']}/video").json()
    ids = [v["video_id"] for v in unggahan["items"]]
    assert ids[:2] == ["SariPublik1", "SariUnlist1"] and unggahan["panduan_unggah"] is None
    assert next(v for v in unggahan["items"] if v["video_id"] == "SariPrivat1")["dapat_dipilih"] is False

    # K3/K4: pick a video, "Ganti Video"
    draf = pemilik.post("/v1/karya/draf", json={"akun_youtube_id": akun["id"], "video_id": "SariPublik1"}).json()
    draf = pemilik.put(f"/v1/karya/draf/{draf['id']}/video", json={"video_id": "SariUnlist1", "versi": draf["versi"]})
    assert draf.status_code == 200 and draf.json()["video"]["video_id"] == "SariUnlist1"

    # K5: save with metadata and consent
    r = pemilik.post(f"/v1/karya/draf/{draf.json()['id']}/simpan", json=METADATA)
    assert r.status_code == 201, r.text
    karya = r.json()
    assert (karya["status"], karya["versi"], karya["video_id"]) == ("aktif", 1, "SariUnlist1")

    # K6: play
    putar = pemilik.get(f"/v1/karya/saya/{karya['id']}/putar").json()
    assert putar["url_embed"] == "https://www.youtube-nocookie.com/embed/SariUnlist1"
    assert putar["durasi_detik"] == 510 and putar["thumbnail"]

    # K1: a stranger without a link: 404, not 403
    problem(orang_asing.get(f"/v1/karya/saya/{karya['id']}"), 404, "karya_tidak_ditemukan")
    problem(orang_asing.get(f"/v1/karya/saya/{karya['id']}/putar"), 404, "karya_tidak_ditemukan")

    # K7: share through every channel
    tautan = pemilik.post(f"/v1/karya/saya/{karya['id']}/tautan")
    assert tautan.status_code == 201, tautan.text
    tautan = tautan.json()
    pesan = {m["kanal"]: m for m in tautan["pesan"]}
    assert list(pesan) == ["whatsapp", "telegram", "facebook", "x", "email", "salin_tautan"]
    link = tautan["tautan"]
    token = link.rsplit("/", 1)[1]
    assert pesan["whatsapp"]["url_berbagi"].startswith("https://wa.me/?text=")
    assert pesan["telegram"]["url_berbagi"].startswith("https://t.me/share/url?url=")
    assert pesan["facebook"]["url_berbagi"].startswith("https://www.facebook.com/sharer/sharer.php?u=")
    assert pesan["x"]["url_berbagi"].startswith("https://x.com/intent/post?text=")
    assert pesan["email"]["url_berbagi"].startswith("mailto:?subject=")
    assert pesan["salin_tautan"]["url_berbagi"] is None
    for m in pesan.values():
        assert "Pecahan dengan kue" in m["teks"] and link in m["teks"] and "Bapak/Ibu Guru" in m["teks"]

    # a colleague opens it through the link, and plays it
    dibuka = rekan.get(f"/v1/karya/tautan/{token}")
    assert dibuka.status_code == 200, dibuka.text
    assert dibuka.json()["judul"] == "Pecahan dengan kue" and dibuka.json()["milik_saya"] is False
    assert dibuka.json()["putar"]["url_embed"].endswith("/SariUnlist1")
    assert "pemilik_id" not in dibuka.json()

    # K8: onward share; the owner sees reach
    terusan = rekan.post(f"/v1/karya/tautan/{token}/teruskan")
    assert terusan.status_code == 201 and terusan.json()["asal"] == "penerus"
    assert "karya rekan guru" in terusan.json()["pesan"][0]["teks"]
    token2 = terusan.json()["tautan"].rsplit("/", 1)[1]
    assert rekan2.get(f"/v1/karya/tautan/{token2}").status_code == 200
    reach = pemilik.get(f"/v1/karya/saya/{karya['id']}/tautan").json()
    assert reach["jumlah_tautan_penerus"] == 1
    assert next(t for t in reach["items"] if t["tautan_id"] == tautan["tautan_id"])["jumlah_diteruskan"] == 1

    # revoke: the link and every onward link stop working
    assert pemilik.delete(f"/v1/karya/saya/{karya['id']}/tautan/{tautan['tautan_id']}").status_code == 204
    problem(rekan.get(f"/v1/karya/tautan/{token}"), 410, "tautan_dicabut")
    problem(rekan2.get(f"/v1/karya/tautan/{token2}"), 410, "tautan_dicabut")

    # "Bukti Karya Saya"
    saya = pemilik.get("/v1/karya/saya").json()
    assert [k["id"] for k in saya["items"]] == [karya["id"]] and saya["items"][0]["jumlah_umpan_balik"] == 0


def test_k3_k5_k7_setiap_penolakan_punya_kode_sendiri(stack, as_user):
    guru, lain = as_user(baru()), as_user(baru())
    akun = hubungkan(stack, guru)
    pilih = lambda vid: guru.post("/v1/karya/draf", json={"akun_youtube_id": akun["id"], "video_id": vid})  # noqa: E731
    problem(pilih("SariPrivat1"), 422, "video_privat")
    problem(pilih("SariNoEmbed"), 422, "video_tidak_dapat_disematkan")
    problem(pilih("SariProses1"), 422, "video_belum_diproses")
    problem(pilih("SariDihapus"), 404, "video_tidak_ditemukan")
    from local.standins.google import DATA_BAWAAN, video_id_generated

    kanal_budi = next(a for a in DATA_BAWAAN["accounts"] if a["id"] == "akun-budi")["channel"]["id"]
    problem(pilih(video_id_generated(kanal_budi, 0)), 422, "video_bukan_milik_kanal")
    problem(lain.post("/v1/karya/draf", json={"akun_youtube_id": akun["id"], "video_id": "SariPublik1"}),
            404, "akun_youtube_tidak_ditemukan")

    draf = pilih("SariPublik1").json()
    simpan = lambda **m: guru.post(f"/v1/karya/draf/{draf['id']}/simpan", json=METADATA | m)  # noqa: E731
    problem(simpan(persetujuan=False), 422, "persetujuan_wajib")
    problem(simpan(mata_pelajaran="astrologi"), 422, "mata_pelajaran_tidak_dikenal")
    problem(simpan(kategori="vlog"), 422, "kategori_tidak_dikenal")
    problem(simpan(judul=""), 422, "judul_wajib")
    r = guru.post(f"/v1/karya/draf/{draf['id']}/simpan", json=METADATA | {"pemilik_id": "orang-lain"})
    problem(r, 422, "permintaan_tidak_valid")  # identity never comes from the body
    problem(lain.post(f"/v1/karya/draf/{draf['id']}/simpan", json=METADATA), 404, "draf_tidak_ditemukan")

    # OAuth state: bound to the user who started, used once
    start = guru.post("/v1/karya/youtube/otorisasi").json()
    q = consent(stack, start["url_otorisasi"], "akun-sari")
    problem(lain.get("/v1/karya/youtube/callback", params=q), 403, "state_pengguna_lain")
    assert guru.get("/v1/karya/youtube/callback", params=q).status_code == 201
    problem(guru.get("/v1/karya/youtube/callback", params=q), 409, "state_sudah_dipakai")
    problem(guru.get("/v1/karya/youtube/callback", params={"state": "v1.palsu.palsu", "code": "x"}),
            400, "state_tidak_valid")
    start = guru.post("/v1/karya/youtube/otorisasi").json()
    problem(guru.get("/v1/karya/youtube/callback", params=consent(stack, start["url_otorisasi"], "akun-tanpa-kanal")),
            422, "kanal_youtube_tidak_ada")
    kosong = hubungkan(stack, guru, "akun-kanal-kosong")
    daftar = guru.get(f"/v1/karya/youtube/akun/{kosong['id']}/video").json()
    assert daftar["total"] == 0 and daftar["panduan_unggah"].startswith("https://support.google.com/youtube")

    # links and tokens
    problem(guru.get("/v1/karya/tautan/" + "A" * 43), 404, "tautan_tidak_valid")
    problem(as_user().get("/v1/karya/saya"), 401, "token_tidak_ada")
    problem(guru.get("/v1/karya/saya", params={"kursor": "rusak"}), 422, "kursor_tidak_valid")


def test_k5_event_dipublikasikan_sampai_di_topiknya_dan_umpan_balik_menambah_hitungan(stack, as_user):
    project = stack.project
    publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    sub = subscriber.create_subscription(request={
        "name": subscriber.subscription_path(project, f"uji.karya.{uuid.uuid4().hex[:8]}"),
        "topic": publisher.topic_path(project, "karya.karya.dipublikasikan")}).name
    pemilik_id = baru()
    pemilik = as_user(pemilik_id)
    karya = simpan_karya(stack, pemilik, kategori="materi_ajar")

    def mine():
        got = pull_all(subscriber, sub, expect=1, timeout=5)
        mine.seen.extend(m for m in got if m.message.attributes.get("ce-subject") == f"karya/{karya['id']}")
        return mine.seen
    mine.seen = []
    (message,) = wait_until(mine, timeout=60, what="karya.karya.dipublikasikan on its topic")
    import json
    payload = json.loads(message.message.data)
    assert payload["pemilik_id"] == pemilik_id and payload["kategori"] == "materi_ajar"
    assert payload["video_id"] == "SariPublik1" and payload["versi"] == 1
    assert message.message.attributes["ce-type"] == "karya.karya.dipublikasikan"

    # the feedback service's event, delivered by push to karya_on_umpan_balik_dikirim (twice: counted once)
    event = make_event("umpan_balik", "umpan_balik.umpan_balik.dikirim", UmpanBalikDikirim(
        umpan_balik_id=uuid.uuid4().hex, karya_id=karya["id"], pemilik_karya_id=pemilik_id, pemberi_peran="guru",
        kategori="materi_ajar", kuesioner_versi=1, dikirim_pada=datetime.now(timezone.utc)))
    data, attributes = event.to_pubsub()
    topic = publisher.topic_path(project, "umpan_balik.umpan_balik.dikirim")
    publisher.publish(topic, data, **attributes).result()
    publisher.publish(topic, data, **attributes).result()

    def count():
        items = pemilik.get("/v1/karya/saya").json()["items"]
        return items[0]["jumlah_umpan_balik"] if items and items[0]["jumlah_umpan_balik"] else None
    assert wait_until(count, timeout=60, interval=0.5, what="feedback count") == 1
    assert pemilik.get(f"/v1/karya/saya/{karya['id']}").json()["jumlah_umpan_balik"] == 1
    subscriber.delete_subscription(request={"subscription": sub})
