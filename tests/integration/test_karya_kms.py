"""Bukti Karya with production's key path: refresh tokens sealed through Cloud KMS (the stand-in
over real HTTP, the real google-cloud-kms client) against the Firestore emulator; tokens sealed
under the fixed local key before the switch stay usable; a key service that is down is a 503 of
its own, not "connect your account again"."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
import requests

from karya import service
from karya.bootstrap import KaryaSettings, bootstrap
from local.standins.kms import KUNCI_BAWAAN
from shared.errors import DomainError
from tests.integration.test_kms_standin import admin as kms_admin, standin  # noqa: F401 - fixture
from tests.integration.test_karya_layanan import T0, admin, google, hubungkan, metadata, p  # noqa: F401 - fixtures

pytestmark = pytest.mark.integration


@pytest.fixture
def p_kms(p, standin):
    """The same service, configured as the local cloud is: KMS seals, the local key still opens."""
    url, _ = standin
    settings = KaryaSettings(**(p.settings.model_dump(by_alias=True) | {
        "PMM_KUNCI_ENKRIPSI_TOKEN": p.settings.kunci_enkripsi_token.get_secret_value(),
        "PMM_GOOGLE_CLIENT_SECRET": p.settings.google_client_secret.get_secret_value(),
        "PMM_RAHASIA_STATE": p.settings.rahasia_state.get_secret_value(),
        "PMM_KMS_KUNCI_TOKEN": KUNCI_BAWAAN, "PMM_KMS_URL": url}))
    return bootstrap(settings, db=p.db, uow=p.uow)


def impor(p, akun):
    draf = service.buat_draf(p, "guru-1", akun.id, "SariPublik1", T0)
    return service.simpan_karya(p, "guru-1", draf.id, metadata(), T0)


def test_token_disegel_kms_dan_instans_hangat_tidak_memanggil_kms(p_kms, standin):
    url, _ = standin
    akun = hubungkan(p_kms, now=datetime.now(timezone.utc))
    raw = p_kms.db.collection("karya__akun_youtube").document(akun.id).get().to_dict()
    assert raw["refresh_token_terenkripsi"].startswith(f"v1${KUNCI_BAWAAN}$")
    assert kms_admin(url, "calls") == {"encrypt": 1, "decrypt": 0}
    impor(p_kms, akun)                                   # warm: the callback cached the token
    assert kms_admin(url, "calls")["decrypt"] == 0
    dingin = bootstrap(p_kms.settings, db=p_kms.db, uow=p_kms.uow)
    for _ in range(3):
        impor(dingin, akun)
    assert kms_admin(url, "calls") == {"encrypt": 1, "decrypt": 1}  # one unwrap per cold process


def test_token_lama_kunci_lokal_tetap_terpakai_setelah_beralih_ke_kms(p, p_kms, standin):
    url, _ = standin
    akun = hubungkan(p)                                   # sealed by the local-key-only configuration
    assert akun.refresh_token_terenkripsi.startswith("v1$lokal/kek-1$")
    assert impor(p_kms, akun).judul                      # opened by the KMS configuration, no KMS call
    assert kms_admin(url, "calls") == {"encrypt": 0, "decrypt": 0}
    baru = hubungkan(p_kms)                               # reconnecting reseals with KMS
    assert baru.id == akun.id and baru.refresh_token_terenkripsi.startswith(f"v1${KUNCI_BAWAAN}$")


def test_kms_mati_adalah_503_sendiri_bukan_minta_login_ulang(p_kms, standin):
    url, _ = standin
    akun = hubungkan(p_kms)
    dingin = bootstrap(p_kms.settings, db=p_kms.db, uow=p_kms.uow)
    dingin.enkripsi._utama._timeout = 1.0
    requests.post(f"{url}/_admin/fault", json={"fail_next": 1000}, timeout=5)
    with pytest.raises(DomainError) as e:
        service.buat_draf(dingin, "guru-1", akun.id, "SariPublik1", T0)
    assert (e.value.kode, e.value.status) == ("kunci_enkripsi_tidak_tersedia", 503)
    requests.post(f"{url}/_admin/fault", json={"reset": True}, timeout=5)
    assert service.buat_draf(dingin, "guru-1", akun.id, "SariPublik1", T0).id
