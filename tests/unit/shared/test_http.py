"""Routing, validation and problem+json answers of the shared HTTP layer."""
import json

import flask
import pytest
from pydantic import Field

from shared.errors import Conflict
from shared.http import Api, Principal
from shared.models import Nama, StrictModel


class Badan(StrictModel):
    judul: Nama
    jumlah: int = Field(ge=1, le=10)


class Tanya(StrictModel):
    halaman: int = 1


class Jawab(StrictModel):
    id: str
    judul: str


def make_api() -> tuple[Api, flask.Flask]:
    api = Api("karya", "karya", "Uji", max_body_bytes=2048)
    api.authenticate_user = lambda request: Principal(sub="guru-1")

    @api.route("POST", "/benda/<benda_id>", body=Badan, query=Tanya, response=Jawab, status=201)
    def buat(ctx, benda_id):
        return Jawab(id=benda_id, judul=f"{ctx.body.judul}:{ctx.query.halaman}:{ctx.user.sub}")

    @api.route("GET", "/bentrok")
    def bentrok(ctx):
        raise Conflict("versi_tidak_cocok", "Data sudah berubah.", versi_sekarang=3)

    @api.route("GET", "/rusak")
    def rusak(ctx):
        raise RuntimeError("boom 198705122010011003")

    app = flask.Flask("uji")
    app.add_url_rule("/<path:p>", "all", lambda p: api.dispatch(flask.request), methods=["GET", "POST", "PUT"])
    return api, app


@pytest.fixture
def client():
    return make_api()[1].test_client()


def test_valid_request_reaches_handler_with_parsed_body_query_and_principal(client):
    r = client.post("/v1/karya/benda/abc-1?halaman=2", json={"judul": " Video ", "jumlah": 3})
    assert r.status_code == 201 and r.json == {"id": "abc-1", "judul": "Video:2:guru-1"}


@pytest.mark.parametrize("body,lokasi", [
    ({"judul": "x", "jumlah": 3, "lain": 1}, "body.lain"),
    ({"jumlah": 3}, "body.judul"),
    ({"judul": "x" * 201, "jumlah": 3}, "body.judul"),
    ({"judul": "x", "jumlah": 11}, "body.jumlah"),
])
def test_invalid_body_is_problem_json_naming_the_field(client, body, lokasi):
    r = client.post("/v1/karya/benda/a", json=body)
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    assert r.json["kode"] == "permintaan_tidak_valid"
    assert lokasi in [g["lokasi"] for g in r.json["galat"]]
    assert r.json["pesan"]


def test_invalid_query_is_refused(client):
    r = client.post("/v1/karya/benda/a?halaman=dua", json={"judul": "x", "jumlah": 1})
    assert r.status_code == 422 and r.json["galat"][0]["lokasi"] == "query.halaman"


def test_unknown_query_parameter_is_refused(client):
    r = client.post("/v1/karya/benda/a?asal=1", json={"judul": "x", "jumlah": 1})
    assert r.status_code == 422 and r.json["galat"][0]["lokasi"] == "query.asal"


@pytest.mark.parametrize("kwargs,status,kode", [
    ({"data": "x", "content_type": "text/plain"}, 415, "jenis_konten_tidak_didukung"),
    ({"data": "{bukan json", "content_type": "application/json"}, 400, "json_tidak_valid"),
    ({"data": json.dumps({"judul": "x" * 3000}), "content_type": "application/json"}, 413, "permintaan_terlalu_besar"),
    ({"data": "[" * 50 + "]" * 50, "content_type": "application/json"}, 422, "permintaan_tidak_valid"),
])
def test_bad_bodies_get_their_own_kode(client, kwargs, status, kode):
    r = client.post("/v1/karya/benda/a", **kwargs)
    assert r.status_code == status and r.json["kode"] == kode


def test_deeply_nested_json_is_answered_not_crashed(client):
    r = client.post("/v1/karya/benda/a", data="[" * 100000, content_type="application/json")
    assert r.status_code in (400, 413)


def test_unknown_route_and_wrong_method(client):
    assert client.get("/v1/karya/tidak-ada").json["kode"] == "rute_tidak_ditemukan"
    r = client.get("/v1/karya/benda/a")
    assert r.status_code == 405 and r.json["kode"] == "metode_tidak_diizinkan"


def test_domain_error_maps_to_its_status_and_extra_fields(client):
    r = client.get("/v1/karya/bentrok")
    assert r.status_code == 409 and r.json["kode"] == "versi_tidak_cocok" and r.json["versi_sekarang"] == 3


def test_unexpected_error_is_500_without_internals(client):
    r = client.get("/v1/karya/rusak")
    assert r.status_code == 500 and r.json["kode"] == "galat_internal"
    assert "boom" not in r.get_data(as_text=True)


def test_user_route_without_authenticator_is_503_not_open():
    api = Api("karya", "karya", "Uji")

    @api.route("GET", "/rahasia")
    def rahasia(ctx):
        return {"ok": True}

    with flask.Flask("x").test_request_context("/v1/karya/rahasia"):
        r = api.dispatch(flask.request)
    assert r.status_code == 503


def test_openapi_describes_routes_models_and_security():
    api, app = make_api()
    doc = app.test_client().get("/v1/karya/openapi.json").json
    op = doc["paths"]["/v1/karya/benda/{benda_id}"]["post"]
    assert op["security"] == [{"belajarId": []}]
    assert op["requestBody"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Badan"
    assert {"201", "401", "422"} <= set(op["responses"])
    assert {p["name"] for p in op["parameters"]} == {"benda_id", "halaman"}
    assert doc["components"]["schemas"]["Badan"]["additionalProperties"] is False
    assert "security" not in doc["paths"]["/v1/karya/health"]["get"]


def test_time_override_header_only_when_allowed():
    api = Api("karya", "karya", "Uji")
    api.authenticate_user = lambda request: Principal(sub="guru-1")

    @api.route("GET", "/jam")
    def jam(ctx):
        return {"now": ctx.now.isoformat()}

    headers = {"X-Pmm-Waktu-Uji": "2026-03-10T08:00:00+07:00"}
    with flask.Flask("x").test_request_context("/v1/karya/jam", headers=headers):
        real = api.dispatch(flask.request).json["now"]
    assert not real.startswith("2026-03-10")
    api.allow_time_override = True
    with flask.Flask("x").test_request_context("/v1/karya/jam", headers=headers):
        assert api.dispatch(flask.request).json["now"] == "2026-03-10T08:00:00+07:00"
    with flask.Flask("x").test_request_context("/v1/karya/jam", headers={"X-Pmm-Waktu-Uji": "kemarin"}):
        assert api.dispatch(flask.request).json["kode"] == "waktu_uji_tidak_valid"


def test_health_answers_without_authentication_and_only_to_get():
    api = Api("kinerja", "kinerja", "Uji")  # no authenticator wired: liveness must not need one
    app = flask.Flask(__name__)
    app.add_url_rule("/<path:p>", "api", lambda p: api.dispatch(flask.request), methods=["GET", "POST"])
    ok = app.test_client().get("/v1/kinerja/health")
    assert ok.status_code == 200 and ok.get_json() == {"status": "ok", "layanan": "kinerja"}
    assert ok.mimetype == "application/json"
    post = app.test_client().post("/v1/kinerja/health")
    assert post.status_code == 405 and post.get_json()["kode"] == "metode_tidak_diizinkan"
