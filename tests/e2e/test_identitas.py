"""Who the caller is, through the gateway of the whole local stack: an unverified e-mail is refused
with its own kode, and an address that comes back on another Google account (a recycled address)
does not reach the records of the first one; karya, which keys everything by `sub`, is unaffected."""
from __future__ import annotations

import uuid

import pytest
import requests

from local.identity import mint

pytestmark = pytest.mark.e2e


def problem(r: requests.Response, status: int, kode: str) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["Content-Type"] == "application/problem+json"
    body = r.json()
    assert body["kode"] == kode and body["pesan"], body
    return body


def test_unverified_email_is_401_with_its_own_kode(stack):
    env = stack.platform_env()
    token = mint(stack.local_dir, env["PMM_AUTH_ISSUER"], f"sub-{uuid.uuid4().hex[:8]}",
                 f"belum-{uuid.uuid4().hex[:8]}@belajar.id", audience=env["PMM_AUTH_AUDIENCE"],
                 email_verified=False)
    for slug in ("kinerja", "karya"):
        r = requests.get(f"{stack.base_url}/v1/{slug}/saya", headers={"Authorization": f"Bearer {token}"},
                         timeout=30)
        problem(r, 401, "email_belum_terverifikasi")


@pytest.mark.parametrize("path", ["/v1/kinerja/saya", "/v1/umpan-balik/notifikasi", "/v1/sinkro/riwayat"])
def test_a_recycled_address_on_a_new_account_is_sent_to_the_admin(as_user, path):
    email = f"daur-{uuid.uuid4().hex[:8]}@belajar.id"
    first = as_user(f"lama-{uuid.uuid4().hex[:8]}", email).get(path)
    assert first.status_code != 403 or first.json()["kode"] != "akun_email_berganti", first.text
    body = problem(as_user(f"baru-{uuid.uuid4().hex[:8]}", email).get(path), 403, "akun_email_berganti")
    assert "admin" in body["pesan"].lower()


def test_karya_keys_by_sub_and_does_not_bind_the_address(as_user):
    email = f"karya-{uuid.uuid4().hex[:8]}@belajar.id"
    for sub in (f"a-{uuid.uuid4().hex[:8]}", f"b-{uuid.uuid4().hex[:8]}"):
        r = as_user(sub, email).get("/v1/karya/saya")
        assert r.status_code == 200, r.text
