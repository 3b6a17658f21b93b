"""The HTTP edge as a browser on another origin sees it (CORS), problem `detail`, the capped body
read and per-caller rate limits (shared/batas.py) with a fake clock and an in-memory transaction."""
from __future__ import annotations

import io
import json

import flask
import pytest
from pydantic import Field

from shared.batas import Batas, Jatah, PembatasFirestore, parse_jatah
from shared.errors import Forbidden
from shared.firestore import start_op_count
from shared.http import Api, Principal
from shared.models import StrictModel
from shared.settings import SettingsError, load_settings

WEB = "http://localhost:3000"
ASING = "https://bukan-pmm.example"
BATAS_UJI = Batas("uji_menit", "batas_uji")


class Badan(StrictModel):
    judul: str = Field(max_length=20)


class FakeTx:
    def __init__(self, store: dict[str, dict]) -> None:
        self.store = store

    def ref(self, collection: str, doc_id: str) -> str:
        return f"{collection}/{doc_id}"

    def get_many(self, refs):
        from shared.firestore import _count
        _count(reads=len(refs))
        return {r.split("/")[1]: self.store.get(r) for r in refs}

    def set(self, ref: str, data: dict) -> None:
        from shared.firestore import _count
        _count(writes=1)
        self.store[ref] = data


class FakeUow:
    def __init__(self) -> None:
        self.store: dict[str, dict] = {}

    def run(self, work):
        staged = dict(self.store)
        result = work(FakeTx(staged))
        self.store.update(staged)  # commit only when the work did not raise
        return result


class Jam:
    def __init__(self, t: float = 1_000_000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def make_api(jatah: Jatah = Jatah(3, 60), jam: Jam | None = None) -> tuple[Api, flask.testing.FlaskClient, FakeUow]:
    api = Api("karya", "karya", "Uji", max_body_bytes=2048)
    api.cors_origins = frozenset({WEB})

    def auth(request):
        token = request.headers.get("Authorization", "")
        if not token.startswith("Bearer "):
            from shared.errors import Unauthenticated
            raise Unauthenticated("token_tidak_ada", "Silakan masuk terlebih dahulu.")
        return Principal(sub=token[len("Bearer "):])

    api.authenticate_user = auth
    uow = FakeUow()
    api.pembatas = PembatasFirestore(lambda: uow, lambda b: jatah, jam or Jam())

    @api.route("POST", "/benda", body=Badan, status=201)
    def buat(ctx):
        return {"judul": ctx.body.judul}

    @api.route("GET", "/benda/<benda_id>")
    def ambil(ctx, benda_id):
        raise Forbidden("bukan_milik_anda", "Ini bukan milik Anda.")

    @api.route("GET", "/kuota", batas=BATAS_UJI)
    def kuota(ctx):
        return {"ok": ctx.user.sub}

    @api.route("POST", "/tanpa-badan", status=201)
    def tanpa_badan(ctx):
        return {"ok": True}

    app = flask.Flask("uji")
    app.add_url_rule("/<path:p>", "all", lambda p: api.dispatch(flask.request),
                     methods=["GET", "POST", "PUT", "DELETE", "OPTIONS"], provide_automatic_options=False)
    return api, app.test_client(), uow


# --- CORS ------------------------------------------------------------------------------------------

def test_preflight_from_allowed_origin_answers_204_with_the_cors_headers_and_needs_no_token():
    _, client, _ = make_api()
    r = client.options("/v1/karya/benda", headers={"Origin": WEB, "Access-Control-Request-Method": "POST",
                                                   "Access-Control-Request-Headers": "authorization,content-type"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == WEB
    assert "Origin" in r.headers["Vary"]
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    allowed = {h.strip().lower() for h in r.headers["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type"} <= allowed
    assert int(r.headers["Access-Control-Max-Age"]) > 0


def test_preflight_lists_the_methods_of_the_path():
    _, client, _ = make_api()
    r = client.options("/v1/karya/benda/b-1", headers={"Origin": WEB, "Access-Control-Request-Method": "GET"})
    assert r.status_code == 204 and r.headers["Access-Control-Allow-Methods"] == "GET, OPTIONS"


def test_preflight_from_an_origin_not_listed_gets_no_cors_header():
    _, client, _ = make_api()
    r = client.options("/v1/karya/benda", headers={"Origin": ASING, "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in r.headers
    assert "Access-Control-Allow-Methods" not in r.headers


def test_preflight_to_an_unknown_path_is_404_problem():
    _, client, _ = make_api()
    r = client.options("/v1/karya/tidak-ada", headers={"Origin": WEB, "Access-Control-Request-Method": "GET"})
    assert r.status_code == 404 and r.mimetype == "application/problem+json"
    assert r.headers["Access-Control-Allow-Origin"] == WEB


def test_plain_options_without_preflight_headers_is_still_405():
    _, client, _ = make_api()
    assert client.options("/v1/karya/benda").status_code == 405


@pytest.mark.parametrize("method,path,kwargs,status", [
    ("POST", "/v1/karya/benda", {"json": {"judul": "a"}}, 201),
    ("POST", "/v1/karya/benda", {"json": {"judul": "a" * 30}}, 422),
    ("GET", "/v1/karya/benda/b-1", {}, 403),
    ("GET", "/v1/karya/tidak-ada", {}, 404),
    ("GET", "/v1/karya/health", {}, 200),
])
def test_actual_answers_carry_allow_origin_for_an_allowed_origin_only(method, path, kwargs, status):
    _, client, _ = make_api()
    auth = {"Authorization": "Bearer guru-1"}
    r = client.open(path, method=method, headers={"Origin": WEB, **auth}, **kwargs)
    assert r.status_code == status
    assert r.headers["Access-Control-Allow-Origin"] == WEB and "Origin" in r.headers["Vary"]
    other = client.open(path, method=method, headers={"Origin": ASING, **auth}, **kwargs)
    assert other.status_code == status and "Access-Control-Allow-Origin" not in other.headers


def test_unauthenticated_answer_carries_allow_origin_so_the_page_can_read_the_401():
    _, client, _ = make_api()
    r = client.post("/v1/karya/benda", json={"judul": "a"}, headers={"Origin": WEB})
    assert r.status_code == 401 and r.headers["Access-Control-Allow-Origin"] == WEB


def test_cors_origins_setting_is_a_validated_comma_list(monkeypatch):
    from shared.settings import Settings

    monkeypatch.setenv("PMM_SERVICE", "karya")
    monkeypatch.setenv("PMM_CORS_ORIGINS", "http://localhost:3000, https://guru.pmm.kemdikbud.go.id")
    assert load_settings(Settings).cors_origins == ("http://localhost:3000", "https://guru.pmm.kemdikbud.go.id")
    monkeypatch.setenv("PMM_CORS_ORIGINS", "*")
    with pytest.raises(SettingsError, match="PMM_CORS_ORIGINS"):
        load_settings(Settings)
    monkeypatch.delenv("PMM_CORS_ORIGINS")
    assert load_settings(Settings).cors_origins == ()


# --- problem detail -------------------------------------------------------------------------------

@pytest.mark.parametrize("method,path,kwargs,status", [
    ("POST", "/v1/karya/benda", {"json": {"judul": "a" * 30}}, 422),
    ("POST", "/v1/karya/benda", {"data": "{x", "content_type": "application/json"}, 400),
    ("POST", "/v1/karya/benda", {"data": "x", "content_type": "text/plain"}, 415),
    ("POST", "/v1/karya/benda", {"json": {"judul": "a" * 3000}}, 413),
    ("GET", "/v1/karya/benda/b-1", {}, 403),
    ("GET", "/v1/karya/tidak-ada", {}, 404),
    ("PUT", "/v1/karya/benda", {}, 405),
])
def test_every_problem_has_detail_besides_title_type_kode_pesan(method, path, kwargs, status):
    _, client, _ = make_api()
    r = client.open(path, method=method, headers={"Authorization": "Bearer guru-1"}, **kwargs)
    assert r.status_code == status and r.mimetype == "application/problem+json"
    body = json.loads(r.get_data())
    assert {"type", "title", "status", "kode", "pesan", "detail"} <= set(body)
    assert body["detail"].strip()


def test_validation_detail_names_the_field():
    _, client, _ = make_api()
    r = client.post("/v1/karya/benda", json={"judul": "a" * 30}, headers={"Authorization": "Bearer guru-1"})
    assert "body.judul" in r.json["detail"]


# --- capped body ----------------------------------------------------------------------------------

class Sungai(io.RawIOBase):
    """An endless chunked body: counts what was read from it."""

    def __init__(self) -> None:
        self.dibaca = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buf) -> int:
        n = len(buf)
        buf[:n] = b"x" * n
        self.dibaca += n
        return n


@pytest.mark.parametrize("path", ["/v1/karya/benda", "/v1/karya/tanpa-badan", "/v1/karya/tidak-ada"])
def test_chunked_body_is_read_at_most_cap_plus_one_and_answered_413_or_left(path):
    api, _, _ = make_api()
    sungai = Sungai()
    environ = {"wsgi.input": sungai, "wsgi.input_terminated": True}
    with flask.Flask("x").test_request_context(path, method="POST", environ_overrides=environ,
                                               headers={"Transfer-Encoding": "chunked",
                                                        "Content-Type": "application/json",
                                                        "Authorization": "Bearer guru-1"}):
        r = api.dispatch(flask.request)
    assert sungai.dibaca <= api.max_body_bytes + 1
    assert r.is_streamed  # functions-framework does not read the rest of a streamed answer's body
    if path != "/v1/karya/tidak-ada":
        assert r.status_code == 413 and json.loads(b"".join(r.response))["kode"] == "permintaan_terlalu_besar"


def test_declared_content_length_over_cap_is_refused_without_reading():
    api, client, _ = make_api()
    r = client.post("/v1/karya/benda", data=b"{}" + b" " * 5000, content_type="application/json",
                    headers={"Authorization": "Bearer guru-1"})
    assert r.status_code == 413 and r.headers["Content-Length"] == str(len(r.get_data()))


# --- rate limits ----------------------------------------------------------------------------------

def test_jatah_parses_count_per_seconds():
    assert parse_jatah("20/60") == Jatah(20, 60) and parse_jatah(" 5 / 86400 ") == Jatah(5, 86400)
    for salah in ("0/60", "20", "20/0", "x/60", "1/999999999"):
        with pytest.raises(ValueError):
            parse_jatah(salah)


def test_limit_per_user_answers_429_with_retry_after_and_the_window_resets():
    jam = Jam(1_000_040.0)  # 20 s into a 60 s window (it starts at 16_667 * 60 = 1_000_020)
    _, client, uow = make_api(Jatah(3, 60), jam)
    guru1 = {"Authorization": "Bearer guru-1", "Origin": WEB}
    for _ in range(3):
        assert client.get("/v1/karya/kuota", headers=guru1).status_code == 200
    r = client.get("/v1/karya/kuota", headers=guru1)
    assert r.status_code == 429 and r.mimetype == "application/problem+json"
    assert r.json["kode"] == "terlalu_banyak_permintaan" and r.json["detail"] and r.json["pesan"]
    assert r.headers["Retry-After"] == "40" and r.json["coba_lagi_detik"] == 40
    assert r.headers["Access-Control-Allow-Origin"] == WEB
    assert "Retry-After" in r.headers["Access-Control-Expose-Headers"]
    # another user has their own budget
    assert client.get("/v1/karya/kuota", headers={"Authorization": "Bearer guru-2"}).status_code == 200
    # the next window starts afresh
    jam.t = 1_000_040.0 + 40
    assert client.get("/v1/karya/kuota", headers=guru1).status_code == 200


def test_refused_requests_write_nothing_and_are_counted_in_the_op_count():
    jam = Jam()
    api, _, uow = make_api(Jatah(1, 60), jam)
    app = flask.Flask("x")
    headers = {"Authorization": "Bearer guru-1"}
    with app.test_request_context("/v1/karya/kuota", headers=headers):
        ops = start_op_count()
        api._handle(api._match("GET", "/v1/karya/kuota")[0], {}, flask.request)
        assert (ops.reads, ops.writes) == (1, 1)
    before = dict(uow.store)
    with app.test_request_context("/v1/karya/kuota", headers=headers):
        assert api.dispatch(flask.request).status_code == 429
    assert uow.store == before  # over the limit: read only, no write on the hot document


def test_invalid_requests_and_unauthenticated_ones_do_not_spend_the_budget():
    _, client, uow = make_api(Jatah(1, 60))
    assert client.get("/v1/karya/kuota").status_code == 401
    assert uow.store == {}


def test_public_route_cannot_declare_a_limit():
    api = Api("karya", "karya", "Uji")
    with pytest.raises(ValueError):
        api.route("GET", "/x", auth="public", batas=BATAS_UJI)


def test_wiring_names_a_missing_limit_setting():
    from shared.platform import Platform
    from shared.settings import Settings

    api = Api("karya", "karya", "Uji")
    api.route("GET", "/x", batas=BATAS_UJI)(lambda ctx: {})
    settings = Settings(GOOGLE_CLOUD_PROJECT="demo-pmm-test", PMM_SERVICE="karya", PMM_AUTH_ISSUER="i",
                        PMM_AUTH_AUDIENCE="a", PMM_AUTH_CERTS_URL="c")
    with pytest.raises(SettingsError, match="batas_uji"):
        Platform(settings, db=object()).wire(api)
