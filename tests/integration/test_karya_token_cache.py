"""Karya's per-process YouTube caches against the Google stand-in over real HTTP: the discovery
resource is built once, and a pick or save within the access token's lifetime makes no token call
(and no key unwrap). Quota units are unchanged (import = 3)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from karya import service
from karya.adapters import youtube
from karya.bootstrap import bootstrap
from shared.errors import DomainError
from tests.integration.test_karya_layanan import T0, admin, google, hubungkan, metadata, p  # noqa: F401 - fixtures

pytestmark = pytest.mark.integration


def sambung(p):
    """Connect at the real time: the exchanged access token's expiry is wall-clock time."""
    return hubungkan(p, now=datetime.now(timezone.utc))


def refreshes(google) -> int:
    return admin(google, "quota")["token_grants"].get("refresh_token", 0)


def impor(p, akun):
    service.daftar_unggahan(p, "guru-1", akun.id, None, T0)
    draf = service.buat_draf(p, "guru-1", akun.id, "SariPublik1", T0)
    return service.simpan_karya(p, "guru-1", draf.id, metadata(), T0)


def test_import_after_connect_makes_no_token_call_and_spends_three_units(p, google):
    akun = sambung(p)                         # the code exchange's access token is used and cached
    admin(google, "quota", {"reset": True})
    impor(p, akun)
    impor(p, akun)
    quota = admin(google, "quota")
    assert quota["used"] == 6 and quota["calls"] == {"playlistItems.list": 2, "videos.list": 4}
    assert quota["token_grants"].get("refresh_token", 0) == 0


def test_a_new_process_refreshes_once_then_reuses_and_decrypts_once(p, google, monkeypatch):
    akun = sambung(p)
    baru = bootstrap(p.settings, db=p.db, uow=p.uow)   # another instance: empty cache
    dekripsi = []
    asli = baru.enkripsi.dekripsi_teks
    monkeypatch.setattr(baru.enkripsi, "dekripsi_teks", lambda *a: dekripsi.append(a) or asli(*a))
    admin(google, "quota", {"reset": True})
    for _ in range(3):
        impor(baru, akun)
    assert refreshes(google) == 1 and len(dekripsi) == 1
    assert admin(google, "quota")["used"] == 9


def test_an_access_token_expired_at_google_is_refreshed_once_and_cached_again(p, google):
    akun = sambung(p)
    impor(p, akun)
    admin(google, "quota", {"reset": True})
    admin(google, "expire-access", {"akun": "akun-sari"})
    impor(p, akun)                            # 401 -> google-auth refreshes and retries
    impor(p, akun)
    assert refreshes(google) == 1


def test_revoked_refresh_token_still_asks_to_log_in_again(p, google):
    akun = sambung(p)
    impor(p, akun)
    admin(google, "revoke", {"akun": "akun-sari"})          # Google revokes the grant: refresh and
    admin(google, "expire-access", {"akun": "akun-sari"})   # access tokens (the stand-in needs both)
    with pytest.raises(DomainError) as e:
        service.buat_draf(p, "guru-1", akun.id, "SariPublik1", T0)
    assert e.value.kode == "akun_youtube_kedaluwarsa"


def test_reconnect_replaces_the_cached_token_and_disconnect_drops_it(p, google):
    akun = sambung(p)
    lama = p.cache_token.ambil(akun.id, service._sidik(akun), T0)
    akun2 = sambung(p)                      # same channel: same account id, new ciphertext
    assert akun2.id == akun.id and akun2.refresh_token_terenkripsi != akun.refresh_token_terenkripsi
    assert p.cache_token.ambil(akun.id, service._sidik(akun), T0) is None
    assert p.cache_token.ambil(akun.id, service._sidik(akun2), T0).refresh_token != lama.refresh_token
    service.putuskan_akun(p, "guru-1", akun.id)
    assert p.cache_token.ambil(akun.id, service._sidik(akun2), T0) is None


def test_the_discovery_resource_is_built_once_per_process(p, google):
    akun = sambung(p)
    a, b = service._klien(p, akun), service._klien(p, akun)
    assert a._yt is b._yt is youtube.resource_youtube(p.google.api_endpoint)
    assert a._http is not b._http             # each client executes with its own authorised http
