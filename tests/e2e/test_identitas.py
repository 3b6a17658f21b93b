"""Who the caller is, through the gateway of the whole local stack: an unverified e-mail is refused
with its own kode, and an address that comes back on another Google account (a recycled address)
does not reach the records of the first one; karya, which keys everything by `sub`, is unaffected."""
from __future__ import annotations

import uuid

import pytest
import requests
from google.cloud.firestore_v1.base_query import FieldFilter

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


def test_an_address_two_dapodik_records_list_is_quarantined_until_one_drops_it(stack, as_user):
    """Two PTK records list one belajar.id address (a typo, or on purpose): sign-in answers 403
    `email_bentrok` naming the Operator Sekolah and Dapodik, for either person; when the newer version of
    one record drops the address, the other owns it."""
    from tests.e2e.test_kinerja_alur import db, terbitkan, tunggu_ptk
    from tests.unit.kinerja import contoh as c

    u, npsn = c.unik(), c.npsn_baru()
    surel = c.email(f"rebutan{u}")
    a, b = f"rebut-a-{u}", f"rebut-b-{u}"
    terbitkan(stack, c.event("referensi.ptk.diperbarui", c.ptk(b, npsn, urut=31, surel=surel)),
              c.event("referensi.ptk.diperbarui", c.ptk(a, npsn, urut=32, surel=surel)))
    tunggu_ptk(stack, a)
    tunggu_ptk(stack, b)
    body = problem(as_user(f"sub-{u}", surel).get("/v1/kinerja/saya"), 403, "email_bentrok")
    assert "Operator Sekolah" in body["pesan"] and "Dapodik" in body["pesan"]
    assert a not in str(body) and b not in str(body)  # the other record is not disclosed
    ditolak = [d.to_dict() for d in db(stack).collection("kinerja__referensi_ditolak")
               .where(filter=FieldFilter("kode", "==", "email_bentrok")).stream()]
    assert any(sorted(d["kunci"]) == [f"ptk/{a}", f"ptk/{b}"] for d in ditolak)  # the operators see it
    terbitkan(stack, c.event("referensi.ptk.diperbarui", c.ptk(b, npsn, versi=2, urut=31, surel=c.email(f"b{u}"))))
    tunggu_ptk(stack, b, versi=2)
    r = as_user(f"sub-{u}", surel).get("/v1/kinerja/saya")
    assert r.status_code == 200 and r.json()["ptk_id"] == a, r.text
