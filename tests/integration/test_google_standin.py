"""K3 over real HTTP: the YouTube adapter (real google-api-python-client and
google-auth) against the local Google stand-in.

No emulators: the stand-in runs in a thread on a free 127.0.0.1 port, with
fresh data per test. Everything YouTube-side is driven through the adapter;
`requests` is used only for what a browser or an operator does (following
the consent redirect, the stand-in's /_admin endpoints).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from werkzeug.serving import make_server

from karya.adapters.youtube import KlienYoutube, KonfigurasiGoogle, cabut_token, tukar_kode
from karya.domain.karya import Draf, MetadataKarya
from karya.domain.oauth import SCOPE_YOUTUBE_READONLY, code_challenge_s256, mulai_otorisasi, periksa_state
from karya.domain.video import periksa_video
from local.standins.google import (
    CLIENT_LOKAL,
    DATA_BAWAAN,
    _quiet_handler,
    create_app,
    video_id_generated,
)
from shared.errors import DomainError
from tests.support import serve_in_thread

ROOT = Path(__file__).resolve().parents[2]
RAHASIA_STATE = b"s" * 32
REDIRECT = CLIENT_LOKAL["redirect_uris"][0]
KANAL_SARI = next(a for a in DATA_BAWAAN["accounts"] if a["id"] == "akun-sari")["channel"]["id"]
KANAL_BUDI = next(a for a in DATA_BAWAAN["accounts"] if a["id"] == "akun-budi")["channel"]["id"]


@pytest.fixture
def google():
    with serve_in_thread(make_server("127.0.0.1", 0, create_app(), threaded=True,
                                     request_handler=_quiet_handler())) as url:
        yield url


@pytest.fixture
def cfg(google) -> KonfigurasiGoogle:
    return KonfigurasiGoogle(
        client_id=CLIENT_LOKAL["client_id"],
        client_secret=CLIENT_LOKAL["client_secret"],
        token_uri=f"{google}/token",
        auth_uri=f"{google}/authorize",
        revoke_uri=f"{google}/revoke",
        api_endpoint=f"{google}/",
        timeout_detik=5,
        num_retries=0,
    )


def admin(google, path, body=None):
    r = requests.post(f"{google}/_admin/{path}", json=body or {}, timeout=5) if body is not None else \
        requests.get(f"{google}/_admin/{path}", timeout=5)
    assert r.status_code == 200, r.text
    return r.json()


def login(cfg, akun="akun-sari", pengguna="guru-1", **extra_params):
    """What the browser does: open the authorization URL, consent as `akun`,
    come back to the redirect URI. Returns (code, state, pending request)."""
    mulai = mulai_otorisasi(
        rahasia=RAHASIA_STATE, pengguna_id=pengguna, client_id=cfg.client_id,
        redirect_uri=REDIRECT, sekarang=datetime.now(timezone.utc), auth_uri=cfg.auth_uri,
    )
    r = requests.get(mulai.url, params={"login_hint": akun, **extra_params}, allow_redirects=False, timeout=5)
    assert r.status_code == 302
    lokasi = r.headers["Location"]
    assert lokasi.startswith(REDIRECT + "?")
    q = {k: v[0] for k, v in parse_qs(urlsplit(lokasi).query).items()}
    return q.get("code"), q["state"], mulai.permintaan


def refresh_untuk(cfg, akun="akun-sari") -> str:
    code, _, permintaan = login(cfg, akun)
    token = tukar_kode(cfg, code=code, code_verifier=permintaan.code_verifier, redirect_uri=REDIRECT)
    return token.refresh_token.get_secret_value()


def klien_untuk(cfg, akun="akun-sari") -> KlienYoutube:
    return KlienYoutube(cfg, refresh_token=refresh_untuk(cfg, akun))


# --- OAuth -----------------------------------------------------------------------

def test_k3_login_pkce_state_tukar_kode_lalu_baca_kanal(cfg, google):
    code, state, permintaan = login(cfg)
    # state comes back unchanged and is bound to the PMM user who started it
    assert periksa_state(RAHASIA_STATE, state, "guru-1", datetime.now(timezone.utc)).nonce == permintaan.nonce
    token = tukar_kode(cfg, code=code, code_verifier=permintaan.code_verifier, redirect_uri=REDIRECT)
    assert token.scope == (SCOPE_YOUTUBE_READONLY,)
    assert token.refresh_token is not None and token.kedaluwarsa_pada > datetime.now(timezone.utc)
    # with the fresh access token handed over, no refresh is needed
    klien = KlienYoutube(cfg, refresh_token=token.refresh_token.get_secret_value(),
                         access_token=token.access_token.get_secret_value(),
                         kedaluwarsa_pada=token.kedaluwarsa_pada)
    kanal = klien.kanal_saya()
    assert kanal.channel_id == KANAL_SARI and kanal.playlist_unggahan == "UU" + KANAL_SARI[2:]
    assert admin(google, "quota")["token_grants"] == {"authorization_code": 1}
    assert klien.unit_kuota == 1


def test_k3_verifier_salah_atau_kode_dipakai_ulang_ditolak(cfg):
    code, _, permintaan = login(cfg)
    with pytest.raises(DomainError) as e:
        tukar_kode(cfg, code=code, code_verifier="x" * 43, redirect_uri=REDIRECT)
    assert e.value.kode == "kode_otorisasi_tidak_valid"
    tukar_kode(cfg, code=code, code_verifier=permintaan.code_verifier, redirect_uri=REDIRECT)
    with pytest.raises(DomainError) as e:
        tukar_kode(cfg, code=code, code_verifier=permintaan.code_verifier, redirect_uri=REDIRECT)
    assert e.value.kode == "kode_otorisasi_tidak_valid"


def test_k3_kode_terdaftar_lebih_dulu_dengan_challenge(cfg, google):
    verifier = "v" * 64
    admin(google, "codes", {"code": "4/0terdaftar", "akun": "akun-budi", "client_id": cfg.client_id,
                            "redirect_uri": REDIRECT, "code_challenge": code_challenge_s256(verifier)})
    token = tukar_kode(cfg, code="4/0terdaftar", code_verifier=verifier, redirect_uri=REDIRECT)
    klien = KlienYoutube(cfg, refresh_token=token.refresh_token.get_secret_value())
    assert klien.kanal_saya().channel_id == KANAL_BUDI


def test_k3_redirect_uri_atau_rahasia_klien_salah_adalah_konfigurasi_salah(cfg):
    code, _, permintaan = login(cfg)
    with pytest.raises(DomainError) as e:
        tukar_kode(cfg, code=code, code_verifier=permintaan.code_verifier, redirect_uri=REDIRECT + "x")
    assert e.value.kode == "konfigurasi_google_salah"
    salah = cfg.model_copy(update={"client_secret": type(cfg.client_secret)("salah")})
    with pytest.raises(DomainError) as e:
        tukar_kode(salah, code=code, code_verifier=permintaan.code_verifier, redirect_uri=REDIRECT)
    assert e.value.kode == "konfigurasi_google_salah"


def test_k3_izin_youtube_tidak_dicentang_ditolak(cfg):
    code, _, permintaan = login(cfg, stand_in_scopes="openid")
    with pytest.raises(DomainError) as e:
        tukar_kode(cfg, code=code, code_verifier=permintaan.code_verifier, redirect_uri=REDIRECT)
    assert e.value.kode == "izin_youtube_tidak_diberikan"


def test_k3_pengguna_menolak_di_layar_persetujuan(cfg):
    code, _, _ = login(cfg, stand_in_consent="deny")
    assert code is None


def test_k3_token_akses_kedaluwarsa_diperbarui_otomatis_dengan_refresh_token(cfg, google):
    code, _, permintaan = login(cfg)
    token = tukar_kode(cfg, code=code, code_verifier=permintaan.code_verifier, redirect_uri=REDIRECT)
    admin(google, "expire-access", {"akun": "akun-sari"})  # Google-side expiry, client still trusts it
    klien = KlienYoutube(cfg, refresh_token=token.refresh_token.get_secret_value(),
                         access_token=token.access_token.get_secret_value(),
                         kedaluwarsa_pada=token.kedaluwarsa_pada)
    assert klien.kanal_saya().channel_id == KANAL_SARI  # 401 -> refresh -> retried
    baru, kedaluwarsa = klien.token_akses()
    assert baru != token.access_token.get_secret_value() and kedaluwarsa > datetime.now(timezone.utc)
    assert admin(google, "quota")["token_grants"]["refresh_token"] == 1


def test_k3_refresh_token_kedaluwarsa_jadi_akun_youtube_kedaluwarsa(cfg, google):
    admin(google, "refresh-tokens", {"refresh_token": "1//kedaluwarsa", "akun": "akun-sari",
                                     "client_id": cfg.client_id, "expires_in": -1})
    with pytest.raises(DomainError) as e:
        KlienYoutube(cfg, refresh_token="1//kedaluwarsa").kanal_saya()
    assert e.value.kode == "akun_youtube_kedaluwarsa" and e.value.status == 403
    assert admin(google, "quota")["used"] == 0  # never reached YouTube


def test_k3_refresh_token_dicabut_jadi_akun_youtube_kedaluwarsa(cfg, google):
    klien = klien_untuk(cfg)
    assert klien.kanal_saya() is not None
    code, _, permintaan = login(cfg)
    token = tukar_kode(cfg, code=code, code_verifier=permintaan.code_verifier, redirect_uri=REDIRECT)
    assert cabut_token(cfg, token.refresh_token.get_secret_value()) is True
    with pytest.raises(DomainError) as e:
        KlienYoutube(cfg, refresh_token=token.refresh_token.get_secret_value()).kanal_saya()
    assert e.value.kode == "akun_youtube_kedaluwarsa"
    admin(google, "revoke", {"akun": "akun-sari"})  # the user removed PMM's access in their Google account
    with pytest.raises(DomainError):
        KlienYoutube(cfg, refresh_token=klien._kredensial.refresh_token).kanal_saya()


# --- channels and uploads --------------------------------------------------------

def test_k3_akun_google_tanpa_kanal_youtube(cfg):
    assert klien_untuk(cfg, "akun-tanpa-kanal").kanal_saya() is None


def test_k3_kanal_tanpa_unggahan(cfg):
    klien = klien_untuk(cfg, "akun-kanal-kosong")
    kanal = klien.kanal_saya()
    halaman = klien.unggahan(kanal.playlist_unggahan)
    assert (halaman.items, halaman.token_halaman_berikut, halaman.total) == ([], None, 0)


def test_k3_paginasi_lebih_dari_50_unggahan(cfg, google):
    klien = klien_untuk(cfg, "akun-budi")
    kanal = klien.kanal_saya()
    halaman, token, ukuran = [], None, []
    while True:
        h = klien.unggahan(kanal.playlist_unggahan, token)
        ukuran.append(len(h.items))
        halaman += h.items
        token = h.token_halaman_berikut
        if token is None:
            break
    assert ukuran == [50, 50, 20] and h.total == 120
    ids = [i.video_id for i in halaman]
    assert len(set(ids)) == 120 and set(ids) == {video_id_generated(KANAL_BUDI, n) for n in range(120)}
    assert [i.dipublikasikan_pada for i in halaman] == sorted((i.dipublikasikan_pada for i in halaman), reverse=True)
    assert klien.unit_kuota == 4 and admin(google, "quota")["used"] == 4


def test_k3_video_diambil_per_50_id(cfg, google):
    klien = klien_untuk(cfg, "akun-budi")
    ids = [video_id_generated(KANAL_BUDI, n) for n in range(120)]
    videos = klien.video(ids + ids[:3])  # duplicates asked once
    assert [v.video_id for v in videos] == ids
    assert admin(google, "quota")["calls"] == {"videos.list": 3}


def test_k3_halaman_unggahan_tidak_valid(cfg):
    klien = klien_untuk(cfg)
    with pytest.raises(DomainError) as e:
        klien.unggahan("UU" + KANAL_SARI[2:], "bukan-token")
    assert e.value.kode == "halaman_unggahan_tidak_valid"
    with pytest.raises(DomainError) as e:
        klien.unggahan("UUtidakAda")
    assert e.value.kode == "daftar_unggahan_tidak_ditemukan"


# --- every video state -------------------------------------------------------------

@pytest.mark.parametrize("video_id, kode", [
    ("SariPublik1", None),
    ("SariUnlist1", None),
    ("SariPrivat1", "video_privat"),
    ("SariNoEmbed", "video_tidak_dapat_disematkan"),
    ("SariProses1", "video_belum_diproses"),
    ("SariDitolak", "video_gagal_diproses"),
    ("SariDihapus", "video_tidak_ditemukan"),
])
def test_k3_setiap_status_video_dari_youtube(cfg, video_id, kode):
    klien = klien_untuk(cfg)
    kanal, video = klien.kanal_dan_video(video_id)
    assert klien.unit_kuota == 2  # importing one video: channels.list + videos.list
    if kode is None:
        assert periksa_video(video, kanal.channel_id).video_id == video_id
    else:
        with pytest.raises(DomainError) as e:
            periksa_video(video, kanal.channel_id)
        assert e.value.kode == kode


def test_k3_unggahan_menampilkan_video_privat_pemilik_tapi_bukan_yang_dihapus(cfg):
    klien = klien_untuk(cfg)
    ids = [i.video_id for i in klien.unggahan("UU" + KANAL_SARI[2:]).items]
    assert "SariPrivat1" in ids and "SariProses1" in ids and "SariDihapus" not in ids


def test_k3_video_kanal_lain_bukan_milik_dan_video_privat_orang_lain_tidak_terlihat(cfg):
    klien = klien_untuk(cfg, "akun-budi")
    kanal = klien.kanal_saya()
    videos = {v.video_id: v for v in klien.video(["SariPublik1", "SariPrivat1"])}
    assert set(videos) == {"SariPublik1"}
    with pytest.raises(DomainError) as e:
        periksa_video(videos["SariPublik1"], kanal.channel_id)
    assert e.value.kode == "video_bukan_milik_kanal"


def test_k4_k6_simpan_lalu_video_dijadikan_privat_di_youtube(cfg, google):
    klien = klien_untuk(cfg)
    kanal, video = klien.kanal_dan_video("SariPublik1")
    draf = Draf(pemilik_id="guru-1", akun_youtube_id="akun-sari", channel_id=kanal.channel_id)
    draf = draf.pilih_video(klien.video(["SariUnlist1"])[0]).ganti_video(video)  # "Ganti Video"
    karya = draf.simpan(
        karya_id="k-1", versi_persetujuan="2024-01", sekarang=datetime.now(timezone.utc),
        metadata=MetadataKarya(judul=draf.judul_awal, deskripsi="Pecahan dengan kue.",
                               kategori="praktik_pembelajaran", mata_pelajaran="matematika",
                               tingkat_kelas="kelas_4", persetujuan=True),
    )
    assert karya.video.video_id == "SariPublik1" and karya.video.durasi_detik == 725
    admin(google, "video/SariPublik1", {"privacy": "private"})
    karya2 = karya.perbarui_ketersediaan(klien.video(["SariPublik1"])[0], datetime.now(timezone.utc))
    assert karya2.status == "video_tidak_tersedia" and karya2.alasan_tidak_tersedia == ["video_privat"]
    admin(google, "video/SariPublik1", {"deleted": True})
    assert klien.video(["SariPublik1"]) == []


# --- quota -------------------------------------------------------------------------

def test_k3_kuota_habis_403_quota_exceeded(cfg, google):
    admin(google, "quota", {"limit": 2})
    klien = klien_untuk(cfg)
    kanal = klien.kanal_saya()
    klien.unggahan(kanal.playlist_unggahan)
    with pytest.raises(DomainError) as e:
        klien.video(["SariPublik1"])
    assert e.value.kode == "kuota_youtube_habis" and e.value.status == 503
    kuota = admin(google, "quota")
    assert (kuota["used"], kuota["limit"]) == (2, 2)
    r = requests.get(f"{google}/youtube/v3/videos", params={"part": "status", "id": "SariPublik1"},
                     headers={"Authorization": f"Bearer {klien.token_akses()[0]}"}, timeout=5)
    err = r.json()["error"]
    assert r.status_code == 403 and err["errors"][0]["reason"] == "quotaExceeded"
    assert err["errors"][0]["domain"] == "youtube.quota"


# --- how the client library is pointed at the stand-in ------------------------------

def test_build_static_discovery_dan_discovery_dari_stand_in_keduanya_bekerja(cfg, google):
    """Documents both ways: the library's bundled document with
    client_options.api_endpoint, or the document the stand-in serves."""
    from google.oauth2.credentials import Credentials
    from googleapiclient.discovery import build

    code, _, permintaan = login(cfg)
    token = tukar_kode(cfg, code=code, code_verifier=permintaan.code_verifier, redirect_uri=REDIRECT)
    cred = Credentials(token.access_token.get_secret_value())
    statik = build("youtube", "v3", credentials=cred, static_discovery=True, cache_discovery=False,
                   client_options={"api_endpoint": f"{google}/"})
    dinamis = build("youtube", "v3", credentials=cred, static_discovery=False, cache_discovery=False,
                    discoveryServiceUrl=f"{google}/discovery/v1/apis/{{api}}/{{apiVersion}}/rest")
    for yt in (statik, dinamis):
        body = yt.channels().list(part="contentDetails", mine=True).execute()
        assert body["items"][0]["id"] == KANAL_SARI


def test_cli_stand_in_dengan_file_data(tmp_path):
    data = {"clients": [CLIENT_LOKAL], "quota": {"limit_per_day": 7},
            "accounts": [{"id": "a", "email": "a@example.id", "name": "A",
                          "channel": {"id": "UC" + "c" * 22, "title": "K"}, "generated_videos": 3}]}
    berkas = tmp_path / "data.json"
    berkas.write_text(json.dumps(data))
    with __import__("socket").socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "local.standins.google", "--port", str(port),
                             "--data", str(berkas)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        batas = time.monotonic() + 10
        while True:
            try:
                kuota = requests.get(f"http://127.0.0.1:{port}/_admin/quota", timeout=1).json()
                break
            except requests.ConnectionError:
                assert time.monotonic() < batas and proc.poll() is None
                time.sleep(0.05)
        assert kuota["limit"] == 7
        dump = requests.get(f"http://127.0.0.1:{port}/_admin/data", timeout=2).json()
        assert len(dump["accounts"][0]["videos"]) == 3
    finally:
        proc.terminate()
        proc.wait(timeout=5)


# --- injected faults: slow, failing, flapping ------------------------------

def fault(google, **body):
    return admin(google, "fault", body)


def test_gangguan_admin_bentuk_galat_google_dan_reset(google, cfg):
    for body in ({"status": 502}, {"target": "authorize"}, {"fail_next": -1}, {"lambat": 1}):
        assert requests.post(f"{google}/_admin/fault", json=body, timeout=5).status_code == 400, body
    f = fault(google, target="api", fail_always=True)
    assert f["api"]["fail_always"] and f["api"]["status"] == 503 and f["token"]["fail_always"] is False
    klien = klien_untuk(cfg)  # the token endpoint still answers
    r = requests.get(f"{google}/youtube/v3/videos", params={"part": "status", "id": "SariPublik1"},
                     headers={"Authorization": f"Bearer {klien.token_akses()[0] or 'x'}"}, timeout=5)
    assert r.status_code == 503 and r.json()["error"]["status"] == "UNAVAILABLE"
    assert r.json()["error"]["errors"][0] | {} == {"message": "The service is currently unavailable.",
                                                   "domain": "global", "reason": "backendError"}
    assert admin(google, "quota")["used"] == 0  # a failed call costs no quota
    fault(google, target="token", fail_next=1, status=500)
    r = requests.post(f"{google}/token", data={"grant_type": "refresh_token"}, timeout=5)
    assert (r.status_code, r.json()) == (500, {"error": "internal_failure", "error_description": "Backend Error"})
    assert requests.post(f"{google}/token", data={"grant_type": "refresh_token"}, timeout=5).status_code == 401
    f = fault(google, reset=True)
    assert f["api"] == f["token"] and f["api"]["fail_always"] is False and f["api"]["failed"] == 0


def test_youtube_berkedip_dicoba_ulang_dengan_batas(cfg, google):
    """backendError once: the adapter's one retry absorbs it; twice: a clear youtube_tidak_tersedia (bounded)."""
    klien = klien_untuk(cfg.model_copy(update={"num_retries": 1}))
    fault(google, target="api", fail_next=1, status=500)
    assert [v.video_id for v in klien.video(["SariPublik1"])] == ["SariPublik1"]
    fault(google, target="api", fail_next=2)
    with pytest.raises(DomainError) as e:
        klien.video(["SariPublik1"])
    assert (e.value.kode, e.value.status) == ("youtube_tidak_tersedia", 503)
    assert admin(google, "fault")["api"]["failed"] == 2 and admin(google, "quota")["calls"] == {"videos.list": 1}


def test_token_berkedip_dicoba_ulang_google_auth_dan_gagal_terus_jelas(cfg, google):
    refresh = refresh_untuk(cfg)
    fault(google, target="token", fail_next=2)  # google-auth tries the token endpoint 3 times
    assert KlienYoutube(cfg, refresh_token=refresh).kanal_saya().channel_id == KANAL_SARI
    assert admin(google, "fault")["token"]["failed"] == 2
    fault(google, target="token", fail_always=True)
    with pytest.raises(DomainError) as e:
        KlienYoutube(cfg, refresh_token=refresh).kanal_saya()
    assert e.value.kode == "youtube_tidak_tersedia" and admin(google, "quota")["used"] == 1


@pytest.mark.parametrize("target", ["api", "token"])
def test_youtube_lambat_melewati_timeout_tidak_dicoba_ulang(cfg, google, target):
    """Slower than the adapter's timeout: one attempt, then youtube_tidak_tersedia (a retry would double the
    wait); once YouTube is fast again the same client works."""
    cepat = cfg.model_copy(update={"timeout_detik": 0.5, "num_retries": 2})
    refresh = refresh_untuk(cfg)
    fault(google, target=target, latency_ms=1500)
    mulai = time.monotonic()
    with pytest.raises(DomainError) as e:
        KlienYoutube(cepat, refresh_token=refresh).video(["SariPublik1"])
    assert e.value.kode == "youtube_tidak_tersedia" and time.monotonic() - mulai < 1.4
    assert admin(google, "fault")[target]["delayed"] == 1
    fault(google, reset=True)
    assert [v.video_id for v in KlienYoutube(cepat, refresh_token=refresh).video(["SariPublik1"])] == ["SariPublik1"]
