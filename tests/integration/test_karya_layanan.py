"""Bukti Karya use cases + Firestore repositories against the real Firestore
emulator, and the Google stand-in over real HTTP through the unchanged
google-api-python-client / google-auth (K1-K8).

The unit of work here has no publisher: events stay in `karya__outbox`,
which is exactly what the commit wrote (the e2e suite sees them on topics).
"""
from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from werkzeug.serving import make_server

from karya import service
from karya.bootstrap import KaryaSettings, bootstrap
from karya.domain.karya import MetadataKarya
from karya.domain.berbagi import hash_token
from local.standins.google import CLIENT_LOKAL, DATA_BAWAAN, _quiet_handler, create_app, video_id_generated
from shared.contracts.umpan_balik import UmpanBalikDikirim
from shared.errors import DomainError
from shared.events import make_event
from shared.firestore import UnitOfWork, _ops, start_op_count
from tests.integration.conftest import PROJECT
from tests.support import push_cloud_event, serve_in_thread

pytestmark = pytest.mark.integration
REDIRECT = CLIENT_LOKAL["redirect_uris"][0]
KANAL_BUDI = next(a for a in DATA_BAWAAN["accounts"] if a["id"] == "akun-budi")["channel"]["id"]
T0 = datetime(2024, 8, 1, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def google():
    with serve_in_thread(make_server("127.0.0.1", 0, create_app(), threaded=True,
                                     request_handler=_quiet_handler())) as url:
        yield url


@pytest.fixture
def p(db, google):
    settings = KaryaSettings(**{
        "PMM_SERVICE": "karya", "GOOGLE_CLOUD_PROJECT": PROJECT, "PMM_ENV": "test",
        "PMM_AUTH_ISSUER": "http://127.0.0.1:9/i", "PMM_AUTH_AUDIENCE": "a", "PMM_AUTH_CERTS_URL": "http://127.0.0.1:9/c",
        "PMM_GOOGLE_CLIENT_ID": CLIENT_LOKAL["client_id"], "PMM_GOOGLE_CLIENT_SECRET": CLIENT_LOKAL["client_secret"],
        "PMM_GOOGLE_OAUTH_AUTH_URL": f"{google}/authorize", "PMM_GOOGLE_TOKEN_URL": f"{google}/token",
        "PMM_YOUTUBE_API_URL": google, "PMM_KARYA_OAUTH_REDIRECT_URI": REDIRECT,
        "PMM_KUNCI_ENKRIPSI_TOKEN": base64.b64encode(b"k" * 32).decode(), "PMM_RAHASIA_STATE": "r" * 40,
        "PMM_URL_TAUTAN_KARYA": "https://guru.kemdikbud.go.id/bukti-karya/t"})
    return bootstrap(settings, db=db, uow=UnitOfWork(db, "karya"))


def admin(google, path, body=None):
    if body is None:
        r = requests.get(f"{google}/_admin/{path}", timeout=5)
    else:
        r = requests.post(f"{google}/_admin/{path}", json=body, timeout=5)
    assert r.status_code == 200, r.text
    return r.json()


def browser_consent(url: str, akun: str) -> dict[str, str]:
    """What the browser does at Google: consent as `akun`, come back with code and state."""
    r = requests.get(url + "&login_hint=" + akun, allow_redirects=False, timeout=5)
    assert r.status_code == 302, r.text
    q = {k: v[0] for k, v in parse_qs(urlsplit(r.headers["Location"]).query).items()}
    assert r.headers["Location"].startswith(REDIRECT)
    return q


def hubungkan(p, pelaku="guru-1", akun="akun-sari", now=T0):
    q = browser_consent(service.mulai_hubungkan(p, pelaku, now).url, akun)
    return service.selesaikan_hubungkan(p, pelaku, code=q.get("code"), state=q["state"], error=q.get("error"),
                                        now=now)


def metadata(**ubah):
    data = dict(judul="Pecahan dengan kue", deskripsi="Murid kelas 4 belajar pecahan.", kategori="praktik_pembelajaran",
                mata_pelajaran="matematika", tingkat_kelas="kelas_4", persetujuan=True)
    return MetadataKarya(**(data | ubah))


def simpan(p, akun, video_id="SariPublik1", pelaku="guru-1", now=T0, **meta):
    draf = service.buat_draf(p, pelaku, akun.id, video_id, now)
    return service.simpan_karya(p, pelaku, draf.id, metadata(**meta), now)


def outbox(db, topic):
    return [d.to_dict() for d in db.collection("karya__outbox").stream() if d.to_dict()["topic"] == topic]


def kode(exc_info) -> str:
    return exc_info.value.kode


# --- K3/K4: connecting an account -------------------------------------------------------

def test_k3_hubungkan_akun_menyimpan_refresh_token_hanya_terenkripsi_dan_terikat_dokumen(p, db, google):
    akun = hubungkan(p)
    assert akun.channel_id.startswith("UCsari") and akun.playlist_unggahan.startswith("UU")
    raw = db.collection("karya__akun_youtube").document(akun.id).get().to_dict()
    assert "stand-in" not in str(raw)  # the refresh token is never stored in clear
    assert raw["refresh_token_terenkripsi"].startswith("v1$lokal/kek-1$")
    refresh = p.enkripsi.dekripsi_teks(raw["refresh_token_terenkripsi"], f"karya/akun_youtube/{akun.id}/guru-1")
    assert refresh.startswith("1//0stand-in-")
    from karya.adapters.kripto import DekripsiGagal
    with pytest.raises(DekripsiGagal):  # copied onto another user's document it does not open
        p.enkripsi.dekripsi_teks(raw["refresh_token_terenkripsi"], f"karya/akun_youtube/{akun.id}/guru-2")
    quota = admin(google, "quota")
    assert quota["calls"] == {"channels.list": 1} and quota["token_grants"]["authorization_code"] == 1


def test_k3_state_sekali_pakai_dan_terikat_pengguna_yang_memulai(p):
    q = browser_consent(service.mulai_hubungkan(p, "guru-1", T0).url, "akun-sari")
    with pytest.raises(DomainError) as lain:
        service.selesaikan_hubungkan(p, "guru-2", code=q["code"], state=q["state"], error=None, now=T0)
    assert kode(lain) == "state_pengguna_lain" and lain.value.status == 403
    service.selesaikan_hubungkan(p, "guru-1", code=q["code"], state=q["state"], error=None, now=T0)
    with pytest.raises(DomainError) as lagi:
        service.selesaikan_hubungkan(p, "guru-1", code=q["code"], state=q["state"], error=None, now=T0)
    assert kode(lagi) == "state_sudah_dipakai"
    q2 = browser_consent(service.mulai_hubungkan(p, "guru-1", T0).url, "akun-sari")
    with pytest.raises(DomainError) as basi:
        service.selesaikan_hubungkan(p, "guru-1", code=q2["code"], state=q2["state"], error=None,
                                     now=T0 + timedelta(minutes=11))
    assert kode(basi) == "state_kedaluwarsa" and basi.value.status == 410


def test_k3_permintaan_login_tertunda_punya_ttl_dan_hilangnya_dijawab_jelas(p, db):
    """The pending attempt (PKCE verifier) carries the TTL field as a timestamp; once Firestore deleted
    it, the callback answers a problem with a kode (410 for the expired state), never a 500."""
    from karya.domain.oauth import BERLAKU_STATE

    mulai = service.mulai_hubungkan(p, "guru-1", T0)
    ref = db.collection("karya__otorisasi").document(mulai.permintaan.nonce)
    assert ref.get().to_dict()["kedaluwarsa"] == T0 + BERLAKU_STATE  # native: TTL ignores strings
    q = browser_consent(mulai.url, "akun-sari")
    ref.delete()  # what the TTL policy does after expiry
    with pytest.raises(DomainError) as basi:
        service.selesaikan_hubungkan(p, "guru-1", code=q["code"], state=q["state"], error=None,
                                     now=T0 + BERLAKU_STATE)
    assert (kode(basi), basi.value.status) == ("state_kedaluwarsa", 410)
    with pytest.raises(DomainError) as hilang:  # deleted early (not by TTL): still a clear 400, not a 500
        service.selesaikan_hubungkan(p, "guru-1", code=q["code"], state=q["state"], error=None, now=T0)
    assert (kode(hilang), hilang.value.status) == ("state_tidak_valid", 400)


def test_k3_akun_google_tanpa_kanal_diarahkan_ke_panduan_dan_tidak_disimpan(p, db):
    with pytest.raises(DomainError) as e:
        hubungkan(p, akun="akun-tanpa-kanal")
    assert kode(e) == "kanal_youtube_tidak_ada" and e.value.extra["panduan_unggah"].startswith("https://")
    assert list(db.collection("karya__akun_youtube").stream()) == []


def test_k3_kanal_tanpa_unggahan_memberi_daftar_kosong(p):
    akun = hubungkan(p, akun="akun-kanal-kosong")
    _, halaman = service.daftar_unggahan(p, "guru-1", akun.id, None, T0)
    assert (halaman.total, halaman.items) == (0, [])


def test_k4_beberapa_akun_per_pengguna_dan_putuskan_menghapus_serta_mencabut_token(p, db, google):
    sari, budi = hubungkan(p), hubungkan(p, akun="akun-budi")
    assert {a.id for a in service.daftar_akun(p, "guru-1")} == {sari.id, budi.id}
    assert service.daftar_akun(p, "guru-2") == []
    with pytest.raises(DomainError) as e:
        service.putuskan_akun(p, "guru-2", sari.id)
    assert kode(e) == "akun_youtube_tidak_ditemukan"
    raw = db.collection("karya__akun_youtube").document(sari.id).get().to_dict()
    refresh = p.enkripsi.dekripsi_teks(raw["refresh_token_terenkripsi"], f"karya/akun_youtube/{sari.id}/guru-1")
    service.putuskan_akun(p, "guru-1", sari.id)
    assert [a.id for a in service.daftar_akun(p, "guru-1")] == [budi.id]
    assert not db.collection("karya__akun_youtube").document(sari.id).get().exists
    r = requests.post(f"{google}/token", data={"grant_type": "refresh_token", "refresh_token": refresh,
                                               "client_id": CLIENT_LOKAL["client_id"],
                                               "client_secret": CLIENT_LOKAL["client_secret"]}, timeout=5)
    assert r.json()["error"] == "invalid_grant"  # revoked at Google too
    with pytest.raises(DomainError) as hilang:
        service.daftar_unggahan(p, "guru-1", sari.id, None, T0)
    assert kode(hilang) == "akun_youtube_tidak_ditemukan"


def test_k3_akun_yang_dicabut_di_google_meminta_login_ulang(p, google):
    akun = hubungkan(p)
    admin(google, "revoke", {"akun": "akun-sari"})
    with pytest.raises(DomainError) as e:
        service.daftar_unggahan(p, "guru-1", akun.id, None, T0)
    assert kode(e) == "akun_youtube_kedaluwarsa"


# --- K3/K5: import within 3 quota units ---------------------------------------------------

def test_k3_k5_impor_daftar_pilih_simpan_tiga_unit_kuota_dan_event_lengkap(p, db, google):
    akun = hubungkan(p)
    admin(google, "quota", {"reset": True})
    _, halaman = service.daftar_unggahan(p, "guru-1", akun.id, None, T0)
    assert [i.video_id for i in halaman.items][:2] == ["SariPublik1", "SariUnlist1"]
    assert "SariDihapus" not in [i.video_id for i in halaman.items]
    draf = service.buat_draf(p, "guru-1", akun.id, "SariUnlist1", T0)
    assert draf.judul_awal == "Refleksi pembelajaran IPAS"
    karya = service.simpan_karya(p, "guru-1", draf.id, metadata(), T0)
    quota = admin(google, "quota")
    assert quota["used"] == 3 and "search.list" not in quota["calls"]
    assert quota["calls"] == {"playlistItems.list": 1, "videos.list": 2}
    (event,) = outbox(db, "karya.karya.dipublikasikan")
    import json
    payload = json.loads(event["data"])
    assert payload == {"karya_id": karya.id, "pemilik_id": "guru-1", "kategori": "praktik_pembelajaran",
                       "judul": "Pecahan dengan kue", "mata_pelajaran": "matematika", "tingkat_kelas": "kelas_4",
                       "video_id": "SariUnlist1", "dibuat_pada": "2024-08-01T02:00:00Z", "versi": 1}
    assert db.collection("karya__draf").document(draf.id).get().exists is False
    counted = sum(v for d in db.collection("karya__kuota_youtube").stream()
                  for k, v in d.to_dict().items() if k in ("daftar_unggahan", "pilih_video", "simpan_karya"))
    assert counted == 3


@pytest.mark.parametrize("video_id,expected", [
    ("SariPrivat1", "video_privat"),
    ("SariNoEmbed", "video_tidak_dapat_disematkan"),
    ("SariProses1", "video_belum_diproses"),
    ("SariDitolak", "video_gagal_diproses"),
    ("SariDihapus", "video_tidak_ditemukan"),
])
def test_k3_video_yang_tidak_layak_ditolak_dengan_kode_masing_masing(p, video_id, expected):
    akun = hubungkan(p)
    with pytest.raises(DomainError) as e:
        service.buat_draf(p, "guru-1", akun.id, video_id, T0)
    assert kode(e) == expected


def test_k3_pengguna_tidak_dapat_mengimpor_video_kanal_lain(p):
    """Budi's public video, asked for through Sari's connected account."""
    akun = hubungkan(p)
    with pytest.raises(DomainError) as e:
        service.buat_draf(p, "guru-1", akun.id, video_id_generated(KANAL_BUDI, 0), T0)
    assert kode(e) == "video_bukan_milik_kanal"
    budi = hubungkan(p, pelaku="guru-2", akun="akun-budi")
    with pytest.raises(DomainError) as bukan_akunnya:  # and nobody can use another user's connected account
        service.buat_draf(p, "guru-1", budi.id, video_id_generated(KANAL_BUDI, 0), T0)
    assert kode(bukan_akunnya) == "akun_youtube_tidak_ditemukan"


def test_k4_ganti_video_pada_draf_dan_video_yang_berubah_privat_sebelum_disimpan_ditolak(p, google):
    akun = hubungkan(p)
    draf = service.buat_draf(p, "guru-1", akun.id, "SariPublik1", T0)
    draf2 = service.ganti_video(p, "guru-1", draf.id, "SariUnlist1", draf.versi, T0)
    assert (draf2.video.video_id, draf2.versi) == ("SariUnlist1", 2)
    with pytest.raises(DomainError) as basi:
        service.ganti_video(p, "guru-1", draf.id, "SariPublik1", draf.versi, T0)
    assert kode(basi) == "versi_tidak_cocok"
    admin(google, "video/SariUnlist1", {"privacy": "private"})
    with pytest.raises(DomainError) as e:
        service.simpan_karya(p, "guru-1", draf.id, metadata(), T0)
    assert kode(e) == "video_privat"


@pytest.mark.parametrize("ubah,expected", [
    ({"persetujuan": False}, "persetujuan_wajib"),
    ({"mata_pelajaran": "astrologi"}, "mata_pelajaran_tidak_dikenal"),
    ({"kategori": "vlog"}, "kategori_tidak_dikenal"),
    ({"judul": "x" * 101}, "judul_terlalu_panjang"),
    ({"tingkat_kelas": "tk_a"}, "mata_pelajaran_tidak_sesuai_tingkat"),
])
def test_k5_metadata_salah_ditolak_tanpa_memakai_kuota(p, google, ubah, expected):
    akun = hubungkan(p)
    draf = service.buat_draf(p, "guru-1", akun.id, "SariPublik1", T0)
    used = admin(google, "quota")["used"]
    with pytest.raises(DomainError) as e:
        service.simpan_karya(p, "guru-1", draf.id, metadata(**ubah), T0)
    assert kode(e) == expected
    assert admin(google, "quota")["used"] == used


# --- K1: only the owner -------------------------------------------------------------------

def test_k1_orang_lain_mendapat_404_bukan_403_untuk_karya(p):
    karya = simpan(p, hubungkan(p))
    for aksi in (lambda: service.ambil_karya(p, "guru-2", karya.id),
                 lambda: service.ubah_karya(p, "guru-2", karya.id, 1, {"judul": "Diambil alih"}, T0),
                 lambda: service.hapus_karya(p, "guru-2", karya.id, None, T0),
                 lambda: service.bagikan(p, "guru-2", karya.id, T0),
                 lambda: service.daftar_tautan(p, "guru-2", karya.id)):
        with pytest.raises(DomainError) as e:
            aksi()
        assert (e.value.status, kode(e)) == (404, "karya_tidak_ditemukan")
    assert service.ambil_karya(p, "guru-1", karya.id)[0].judul == "Pecahan dengan kue"


@pytest.mark.parametrize("versi", ["sekarang", 999_999])
def test_k1_orang_lain_mendapat_404_bukan_409_dengan_versi_apa_pun(p, db, google, versi):
    """Every karya write that takes a versi checks ownership first: a stranger with the current or a stale
    versi gets 404 (as for an id that does not exist), never 409 with `versi_sekarang`; nothing changes."""
    akun = hubungkan(p)
    draf = service.buat_draf(p, "guru-1", akun.id, "SariPublik1", T0)
    karya = simpan(p, akun)
    v = (lambda x: x.versi) if versi == "sekarang" else (lambda x: versi)
    sebelum = admin(google, "quota")["used"]
    for aksi, harap in (
            (lambda: service.ganti_video(p, "guru-2", draf.id, "SariUnlist1", v(draf), T0), "draf_tidak_ditemukan"),
            (lambda: service.ubah_karya(p, "guru-2", karya.id, v(karya), {"judul": "Diambil alih"}, T0),
             "karya_tidak_ditemukan"),
            (lambda: service.hapus_karya(p, "guru-2", karya.id, v(karya), T0), "karya_tidak_ditemukan")):
        with pytest.raises(DomainError) as e:
            aksi()
        assert (e.value.status, kode(e)) == (404, harap) and "versi_sekarang" not in e.value.extra
    assert admin(google, "quota")["used"] == sebelum  # refused before any YouTube call
    assert db.collection("karya__draf").document(draf.id).get().to_dict()["versi"] == draf.versi
    assert service.ambil_karya(p, "guru-1", karya.id)[0].versi == karya.versi
    with pytest.raises(DomainError) as basi:  # the owner still gets the conflict
        service.ganti_video(p, "guru-1", draf.id, "SariUnlist1", 999_999, T0)
    assert (basi.value.status, kode(basi)) == (409, "versi_tidak_cocok")


def test_k5_ubah_dan_hapus_menerbitkan_event_dengan_versi(p, db):
    karya = simpan(p, hubungkan(p))
    baru = service.ubah_karya(p, "guru-1", karya.id, 1, {"judul": "Pecahan (revisi)", "kategori": "materi_ajar"}, T0)
    assert (baru.versi, baru.judul, baru.kategori) == (2, "Pecahan (revisi)", "materi_ajar")
    with pytest.raises(DomainError) as e:
        service.ubah_karya(p, "guru-1", karya.id, 1, {"judul": "Lagi"}, T0)
    assert kode(e) == "versi_tidak_cocok"
    service.hapus_karya(p, "guru-1", karya.id, 2, T0)
    import json
    (ubah,) = outbox(db, "karya.karya.diperbarui")
    (hapus,) = outbox(db, "karya.karya.dihapus")
    assert json.loads(ubah["data"])["versi"] == 2 and json.loads(ubah["data"])["kategori"] == "materi_ajar"
    assert json.loads(hapus["data"])["karya_id"] == karya.id
    with pytest.raises(DomainError):
        service.ambil_karya(p, "guru-1", karya.id)


# --- K7/K8: links ----------------------------------------------------------------------------

def test_k7_k8_tautan_buka_teruskan_cabut(p, db):
    karya = simpan(p, hubungkan(p))
    token, tautan, _ = service.bagikan(p, "guru-1", karya.id, T0)
    raw = db.collection("karya__tautan").document(hash_token(token)).get().to_dict()
    assert token not in str(raw)  # only the hash is stored
    assert service.buka_tautan(p, token)[1].id == karya.id
    token2, terusan, _ = service.teruskan(p, "guru-2", token, T0)
    assert terusan.asal == "penerus" and service.buka_tautan(p, token2)[1].id == karya.id
    service.teruskan(p, "guru-3", token2, T0)
    reach = service.daftar_tautan(p, "guru-1", karya.id)
    assert sorted(t.asal for t, _ in reach) == ["pemilik", "penerus", "penerus"]
    assert dict((t.token_hash, n) for t, n in reach)[tautan.token_hash] == 1
    with pytest.raises(DomainError) as tebakan:
        service.buka_tautan(p, "A" * 43)
    assert (tebakan.value.status, kode(tebakan)) == (404, "tautan_tidak_valid")
    with pytest.raises(DomainError) as asing:  # a stranger cannot revoke (and learns nothing)
        service.cabut(p, "guru-9", karya.id, tautan.token_hash, T0)
    assert kode(asing) == "tautan_tidak_ditemukan"
    service.cabut(p, "guru-1", karya.id, tautan.token_hash, T0)
    for t in (token, token2):
        with pytest.raises(DomainError) as e:
            service.buka_tautan(p, t)
        assert (e.value.status, kode(e)) == (410, "tautan_dicabut")
    # every link and the revocation are published with hashes only (umpan_balik checks link holders with them)
    import json
    dibuat = [json.loads(d["data"]) for d in outbox(db, "karya.tautan.dibuat")]
    assert sorted((d["asal"], d["akar_hash"]) for d in dibuat) == \
        [("pemilik", tautan.token_hash), ("penerus", tautan.token_hash), ("penerus", tautan.token_hash)]
    assert {d["token_hash"] for d in dibuat} >= {hash_token(token), hash_token(token2)}
    assert next(d for d in dibuat if d["token_hash"] == hash_token(token2))["induk_hash"] == tautan.token_hash
    (dicabut,) = [json.loads(d["data"]) for d in outbox(db, "karya.tautan.dicabut")]
    assert (dicabut["token_hash"], dicabut["karya_id"], dicabut["akar_hash"]) == \
        (tautan.token_hash, karya.id, tautan.token_hash)
    service.cabut(p, "guru-1", karya.id, tautan.token_hash, T0)  # revoking twice publishes nothing more
    assert len(outbox(db, "karya.tautan.dicabut")) == 1
    assert not any(t in json.dumps(dibuat + [dicabut]) for t in (token, token2))


def terukur(fn, *args):
    """(result or the DomainError raised, Firestore reads counted) of one call, as a request's log line counts them."""
    ops = start_op_count()
    try:
        return fn(*args), ops.reads
    except DomainError as e:
        return e, ops.reads
    finally:
        _ops.set(None)


def test_k7_buka_tautan_tanpa_transaksi_melaporkan_bacaannya(p):
    """GET /tautan/{token} reads outside a transaction; its reads are counted (they were logged as 0)."""
    karya = simpan(p, hubungkan(p))
    token, _, _ = service.bagikan(p, "guru-1", karya.id, T0)
    token2, _, _ = service.teruskan(p, "guru-2", token, T0)
    (_, dibuka), reads = terukur(service.buka_tautan, p, token)
    assert dibuka.id == karya.id and reads == 2  # the link, then the karya
    assert terukur(service.buka_tautan, p, token2)[1] == 3  # an onward link: + its root
    e, reads = terukur(service.buka_tautan, p, "A" * 43)
    assert isinstance(e, DomainError) and e.kode == "tautan_tidak_valid" and reads == 1  # a missing document is billed
    (_, hitungan), reads = terukur(service.ambil_karya, p, "guru-1", karya.id)
    assert hitungan.jumlah == 0 and reads == 2  # the karya + the shard query (empty: 1 read)


# --- K1 "Bukti Karya Saya" + feedback counts ---------------------------------------------------

def test_k1_bukti_karya_saya_terbaru_dulu_dengan_kursor_dan_jumlah_umpan_balik(p, db):
    akun = hubungkan(p)
    ids = [simpan(p, akun, now=T0 + timedelta(minutes=i, microseconds=i * 7), judul=f"Karya {i}").id
           for i in range(3)]
    simpan(p, hubungkan(p, pelaku="guru-2", akun="akun-budi"), video_id=video_id_generated(KANAL_BUDI, 1),
           pelaku="guru-2")
    event = make_event("umpan_balik", "umpan_balik.umpan_balik.dikirim", UmpanBalikDikirim(
        umpan_balik_id="ub-1", karya_id=ids[2], pemilik_karya_id="guru-1", pemberi_peran="guru",
        kategori="praktik_pembelajaran", kuesioner_versi=1, dikirim_pada=T0))
    consume = lambda ev: p.consume(push_cloud_event(ev), "umpan_balik.umpan_balik.dikirim",  # noqa: E731
                                   "karya_on_umpan_balik_dikirim", service.hitung_umpan_balik)
    assert consume(event) == "diproses"
    assert consume(event) == "duplikat"  # redelivery counts once
    h1 = service.daftar_karya_saya(p, "guru-1", 2, None)
    assert [k.id for k, _ in h1.items] == [ids[2], ids[1]]
    assert [c.jumlah for _, c in h1.items] == [1, 0]
    h2 = service.daftar_karya_saya(p, "guru-1", 2, h1.kursor_berikut)
    assert [k.id for k, _ in h2.items] == [ids[0]] and h2.kursor_berikut is None
    with pytest.raises(DomainError) as e:
        service.daftar_karya_saya(p, "guru-1", 2, "bukan-kursor")
    assert kode(e) == "kursor_tidak_valid"


# --- K6: scheduled re-check -------------------------------------------------------------------

def test_k6_periksa_berkala_menandai_video_privat_dan_memberi_tahu_pemilik(p, db, google):
    akun = hubungkan(p)
    a = simpan(p, akun, video_id="SariPublik1")
    b = simpan(p, akun, video_id="SariUnlist1")
    admin(google, "quota", {"reset": True})
    admin(google, "video/SariPublik1", {"privacy": "private"})
    hasil = service.periksa_video_berkala(p, T0 + timedelta(days=1))
    assert hasil | {} == {"diperiksa": 2, "berubah": 1, "tidak_tersedia": 1, "dilewati": 0, "ditunda": 0,
                          "unit_kuota": 1}
    assert admin(google, "quota")["calls"] == {"videos.list": 1}  # both ids in one call
    ka, _ = service.ambil_karya(p, "guru-1", a.id)
    assert (ka.status, ka.alasan_tidak_tersedia, ka.versi) == ("video_tidak_tersedia", ["video_privat"], 2)
    assert service.ambil_karya(p, "guru-1", b.id)[0].status == "aktif"
    import json
    (event,) = outbox(db, "karya.video.tidak_tersedia")
    assert json.loads(event["data"])["alasan"] == ["video_privat"]
    with pytest.raises(DomainError) as e:
        service.bagikan(p, "guru-1", a.id, T0)
    assert kode(e) == "video_tidak_tersedia"
    admin(google, "video/SariPublik1", {"privacy": "public"})
    assert service.periksa_video_berkala(p, T0 + timedelta(days=2))["berubah"] == 1
    assert service.ambil_karya(p, "guru-1", a.id)[0].status == "aktif"
    assert len(outbox(db, "karya.video.tidak_tersedia")) == 1


def test_periksa_berkala_saat_youtube_gagal_tidak_menandai_video_hilang(p, db, google):
    """YouTube answers 503 backendError: no karya turns video_tidak_tersedia, nothing is published, and the
    round stops after the first account (one call and its retry, not one per account); the accounts not
    tried keep their place in the queue. Once YouTube is back the next round checks everything."""
    a = simpan(p, hubungkan(p, "guru-1"), video_id="SariPublik1", pelaku="guru-1")
    b = simpan(p, hubungkan(p, "guru-2"), video_id="SariUnlist1", pelaku="guru-2", now=T0 + timedelta(minutes=1))
    admin(google, "fault", {"target": "api", "fail_always": True})
    hasil = service.periksa_video_berkala(p, T0 + timedelta(days=1))
    assert hasil | {} == {"diperiksa": 0, "berubah": 0, "tidak_tersedia": 0, "dilewati": 2, "ditunda": 0,
                          "unit_kuota": 1}
    assert admin(google, "fault")["api"]["failed"] == 2  # the first account's call and its one retry
    for pelaku, k in (("guru-1", a), ("guru-2", b)):
        saved, _ = service.ambil_karya(p, pelaku, k.id)
        assert (saved.status, saved.versi) == ("aktif", 1)
    assert outbox(db, "karya.video.tidak_tersedia") == []
    assert service.ambil_karya(p, "guru-2", b.id)[0].diperiksa == b.diperiksa  # not tried: first next round
    admin(google, "fault", {"reset": True})
    hasil = service.periksa_video_berkala(p, T0 + timedelta(days=2))
    assert (hasil["diperiksa"], hasil["dilewati"], hasil["tidak_tersedia"]) == (2, 0, 0)


def test_periksa_berkala_berhenti_dalam_anggaran_waktu_dan_lanjut_pada_tick_berikut(p, db, google):
    """A round that runs out of its time budget starts no further account: those karya are not stamped,
    so the next tick checks them first; nothing is checked twice and nothing is lost."""
    a = simpan(p, hubungkan(p, "guru-1"), video_id="SariPublik1", pelaku="guru-1")
    b = simpan(p, hubungkan(p, "guru-2"), video_id="SariUnlist1", pelaku="guru-2", now=T0 + timedelta(minutes=1))
    detik = iter([0.0, 0.0, 100.0])  # start, first account within budget, second account after it
    hasil = service.periksa_video_berkala(p, T0 + timedelta(days=1), anggaran_detik=60, jam=lambda: next(detik))
    assert (hasil["diperiksa"], hasil["ditunda"]) == (1, 1)
    assert service.ambil_karya(p, "guru-1", a.id)[0].diperiksa > a.diperiksa
    assert service.ambil_karya(p, "guru-2", b.id)[0].diperiksa == b.diperiksa  # unstamped: first next round
    hasil = service.periksa_video_berkala(p, T0 + timedelta(days=2), batas=1)
    assert (hasil["diperiksa"], hasil["ditunda"]) == (1, 0)
    assert service.ambil_karya(p, "guru-2", b.id)[0].diperiksa > b.diperiksa


def test_k6_periksa_berkala_memakai_satu_panggilan_per_50_video(p, db, google):
    akun = hubungkan(p, akun="akun-budi")
    for n in range(51):  # stored directly: 51 karya of one account
        k = simpan(p, akun, video_id=video_id_generated(KANAL_BUDI, n)) if n == 0 else None
        if k is None:
            doc = db.collection("karya__karya").document(first.id).get().to_dict()
            vid = video_id_generated(KANAL_BUDI, n)
            doc |= {"id": f"k{n:03d}", "video": doc["video"] | {"video_id": vid}}
            db.collection("karya__karya").document(doc["id"]).set(doc)
        else:
            first = k
    admin(google, "quota", {"reset": True})
    hasil = service.periksa_video_berkala(p, T0 + timedelta(days=1))
    # (the copies' snapshots had the first video's title and duration: refreshed, still aktif)
    assert hasil["diperiksa"] == 51 and hasil["tidak_tersedia"] == 0 and hasil["unit_kuota"] == 2
    assert admin(google, "quota")["calls"] == {"videos.list": 2}


def test_quota_counter_write_outside_a_transaction_is_counted(p, google):
    """Listing uploads spends YouTube quota and bumps the sharded daily counter: a write the request's
    log line must report although no transaction made it."""
    akun = hubungkan(p)
    ops = start_op_count()
    try:
        service.daftar_unggahan(p, "guru-1", akun.id, None, T0)
        assert ops.writes == 1
    finally:
        _ops.set(None)
