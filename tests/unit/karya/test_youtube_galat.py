"""K3: Google failures become stable kodes; YouTube resources map onto the
domain; the domain stays pure (no I/O, no Google imports)."""
import ast
import json
from pathlib import Path

import httplib2
import pytest
from google.auth import exceptions as gexc
from googleapiclient.errors import HttpError

from shared.errors import DomainError
from karya.adapters.youtube import WaktuHabis, petakan_galat, video_dari_resource


def http_error(status: int, reason: str = "") -> HttpError:
    body = {"error": {"code": status, "message": "m", "errors": [{"reason": reason, "domain": "d", "message": "m"}]}}
    return HttpError(httplib2.Response({"status": status}), json.dumps(body).encode())


@pytest.mark.parametrize("status, reason, kode", [
    (403, "quotaExceeded", "kuota_youtube_habis"),
    (403, "dailyLimitExceeded", "kuota_youtube_habis"),
    (403, "rateLimitExceeded", "youtube_sibuk"),
    (429, "", "youtube_sibuk"),
    (401, "authError", "akun_youtube_kedaluwarsa"),
    (403, "insufficientPermissions", "izin_youtube_tidak_diberikan"),
    (404, "playlistNotFound", "daftar_unggahan_tidak_ditemukan"),
    (400, "invalidPageToken", "halaman_unggahan_tidak_valid"),
    (500, "backendError", "youtube_tidak_tersedia"),
    (503, "", "youtube_tidak_tersedia"),
    (400, "somethingNew", "youtube_menolak_permintaan"),
])
def test_k3_galat_http_youtube_dipetakan_ke_kode(status, reason, kode):
    assert petakan_galat(http_error(status, reason)).kode == kode


@pytest.mark.parametrize("data, kode", [
    ({"error": "invalid_grant", "error_description": "Token has been expired or revoked."}, "akun_youtube_kedaluwarsa"),
    ({"error": "invalid_client"}, "konfigurasi_google_salah"),
    ({"error": "unauthorized_client"}, "konfigurasi_google_salah"),
    ({"error": "internal_failure"}, "youtube_tidak_tersedia"),
])
def test_k3_galat_refresh_dipetakan_ke_kode(data, kode):
    assert petakan_galat(gexc.RefreshError(f"{data['error']}: x", data)).kode == kode


def test_k3_galat_jaringan_youtube_tidak_tersedia():
    assert petakan_galat(gexc.TransportError("down")).kode == "youtube_tidak_tersedia"
    assert petakan_galat(ConnectionRefusedError()).kode == "youtube_tidak_tersedia"
    assert petakan_galat(httplib2.ServerNotFoundError("x")).kode == "youtube_tidak_tersedia"


class HttpPalsu:
    """Answers (or raises) from a script; counts the requests."""

    def __init__(self, *jawaban):
        self.jawaban, self.n = list(jawaban), 0

    def request(self, *args, **kwargs):
        self.n += 1
        j = self.jawaban.pop(0)
        if isinstance(j, BaseException):
            raise j
        return httplib2.Response({"status": j[0]}), json.dumps(j[1]).encode()


def _permintaan():
    from karya.adapters.youtube import resource_youtube

    req = resource_youtube(None).videos().list(part="status", id="SariPublik1")
    req._sleep = lambda detik: None  # googleapiclient's backoff, not waited for here
    return req


def test_waktu_habis_tidak_dicoba_ulang_tetapi_5xx_dicoba_ulang():
    """A socket timeout (slow YouTube or token endpoint) ends the call at once as youtube_tidak_tersedia;
    a 5xx backendError (flapping) is still retried by googleapiclient, num_retries times at most."""
    import socket

    from karya.adapters.youtube import _HttpTanpaUlangWaktuHabis

    lambat = HttpPalsu(*[socket.timeout("timed out")] * 3)
    with pytest.raises(WaktuHabis) as e:
        _permintaan().execute(http=_HttpTanpaUlangWaktuHabis(lambat), num_retries=2)
    assert lambat.n == 1 and petakan_galat(e.value).kode == "youtube_tidak_tersedia"

    gagal = {"error": {"code": 503, "errors": [{"reason": "backendError"}]}}
    berkedip = HttpPalsu((503, gagal), (200, {"items": []}))
    assert _permintaan().execute(http=_HttpTanpaUlangWaktuHabis(berkedip), num_retries=1) == {"items": []}
    assert berkedip.n == 2
    selalu = HttpPalsu(*[(503, gagal)] * 5)
    with pytest.raises(HttpError) as e:
        _permintaan().execute(http=_HttpTanpaUlangWaktuHabis(selalu), num_retries=1)
    assert selalu.n == 2 and petakan_galat(e.value).kode == "youtube_tidak_tersedia"


def test_k3_galat_lain_tidak_disembunyikan():
    with pytest.raises(KeyError):
        petakan_galat(KeyError("bug"))
    e = DomainError("x", "y")
    assert petakan_galat(e) is e


def test_k3_resource_video_youtube_ke_domain():
    v = video_dari_resource({
        "id": "SariPublik1",
        "snippet": {"channelId": "UC" + "a" * 22, "title": "Judul", "publishedAt": "2024-07-10T08:00:00Z",
                    "thumbnails": {"default": {"url": "d"}, "high": {"url": "h"}}},
        "contentDetails": {"duration": "PT1H2M3S"},
        "status": {"uploadStatus": "processed", "privacyStatus": "unlisted", "embeddable": True},
    })
    assert (v.durasi_detik, v.thumbnail, v.privasi, v.dipublikasikan_pada.year) == (3723, "h", "unlisted", 2024)
    v2 = video_dari_resource({
        "id": "SariProses1", "snippet": {"channelId": "UC" + "a" * 22, "title": "t"},
        "status": {"uploadStatus": "uploaded", "privacyStatus": "public"},
    })
    assert (v2.durasi_iso, v2.dapat_disematkan, v2.thumbnail) == ("P0D", False, None)


DOMAIN = Path(__file__).resolve().parents[3] / "services" / "karya" / "karya" / "domain"
TERLARANG = {"google", "googleapiclient", "requests", "httplib2", "flask", "werkzeug", "socket",
             "urllib.request", "http", "cryptography", "karya.adapters"}


def test_domain_murni_tanpa_io_dan_tanpa_impor_google():
    berkas = list(DOMAIN.rglob("*.py"))
    assert len(berkas) >= 8
    for f in berkas:
        for node in ast.walk(ast.parse(f.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for n in names:
                assert not any(n == t or n.startswith(t + ".") for t in TERLARANG), (f.name, n)
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open":
                pytest.fail(f"{f.name} opens a file")
