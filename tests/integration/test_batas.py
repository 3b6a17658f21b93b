"""Per-caller rate limits (shared/batas.py) on the Firestore emulator: two instances of a function
(two Api objects, each with its own Firestore client, wired by Platform as in production) share
one budget; concurrent requests never overspend it; the window ends when the clock says so."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import flask
import pytest
from google.cloud import firestore
from pydantic import Field

from shared.batas import Batas, Jatah, JatahSetelan
from shared.firestore import collection_name
from shared.http import Api, Principal
from shared.platform import Platform
from shared.settings import Settings

pytestmark = pytest.mark.integration
PROJECT = "demo-pmm-test"
BATAS = Batas("uji_jam", "batas_uji")


class UjiSettings(Settings):
    batas_uji: JatahSetelan = Field(Jatah(3, 3600), alias="PMM_BATAS_UJI")


class Jam:
    t = 1_800_000_000.0

    def __call__(self) -> float:
        return self.t


def instance(jam: Jam) -> tuple[Api, flask.Flask]:
    """One function instance: its own Api object and Firestore client, wired like production."""
    api = Api("karya", "karya", "Uji")

    @api.route("POST", "/mahal", batas=BATAS)
    def mahal(ctx):
        return {"oleh": ctx.user.sub}

    settings = UjiSettings(GOOGLE_CLOUD_PROJECT=PROJECT, PMM_SERVICE="karya", PMM_AUTH_ISSUER="i",
                           PMM_AUTH_AUDIENCE="a", PMM_AUTH_CERTS_URL="c")
    Platform(settings, db=firestore.Client(project=PROJECT)).wire(api)
    api.authenticate_user = lambda request: Principal(sub=request.headers["X-Uji-Sub"])
    api.pembatas.clock = jam
    return api, flask.Flask(f"uji-{id(api)}")


def call(inst: tuple[Api, flask.Flask], sub: str) -> flask.Response:
    api, app = inst
    with app.test_request_context("/v1/karya/mahal", method="POST", headers={"X-Uji-Sub": sub}):
        return api.dispatch(flask.request)


def test_two_instances_share_the_budget_and_the_window_resets(db):
    jam = Jam()
    a, b = instance(jam), instance(jam)
    assert [call(x, "guru-1").status_code for x in (a, b, a)] == [200, 200, 200]
    refused = call(b, "guru-1")
    assert refused.status_code == 429 and refused.headers["Retry-After"] == str(3600 - int(jam.t % 3600))
    assert refused.json["kode"] == "terlalu_banyak_permintaan" and refused.json["detail"]
    assert call(a, "guru-2").status_code == 200  # per user
    docs = [d.to_dict() for d in db.collection(collection_name("karya", "batas")).stream()]
    assert sorted(d["jumlah"] for d in docs) == [1, 3]
    assert all(d["batas"] == "uji_jam" and d["kedaluwarsa"] > d["jendela_akhir"] for d in docs)
    jam.t += 3600
    assert call(b, "guru-1").status_code == 200


def test_concurrent_requests_across_instances_never_overspend(db):
    jam = Jam()
    instances = [instance(jam), instance(jam)]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda i: call(instances[i % 2], "guru-serbu").status_code, range(10)))
    assert set(statuses) <= {200, 429}
    ok = statuses.count(200)
    assert 1 <= ok <= 3, statuses
    [doc] = [d.to_dict() for d in db.collection(collection_name("karya", "batas")).stream()]
    assert doc["jumlah"] == ok  # every success counted once, every refusal counted nothing
    assert call(instances[0], "guru-serbu").status_code == (200 if ok < 3 else 429)
