"""HTTP for the functions: routing on the Flask request, validation,
problem+json errors and the OpenAPI document generated from the models.

Entry points only parse, call and map errors: a handler gets a `Ctx` with the
verified principal and the validated body and query, calls a use case, and
returns a pydantic model (or a `Response`). Every error leaves as
`application/problem+json` with a stable `kode` and an Indonesian `pesan`.
"""
from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

import flask
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from shared.errors import DomainError
from shared.firestore import start_op_count
from shared.logs import get_logger, set_trace_from_header

log = get_logger(__name__)

Auth = Literal["public", "user", "partner"]
PROBLEM = "application/problem+json"
_PARAM = re.compile(r"<([a-z_]+)>")

_PESAN_VALIDASI = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom tidak dikenal",
    "string_too_long": "terlalu panjang",
    "string_too_short": "terlalu pendek atau kosong",
    "string_pattern_mismatch": "formatnya tidak sesuai",
    "literal_error": "nilainya tidak termasuk pilihan yang tersedia",
    "enum": "nilainya tidak termasuk pilihan yang tersedia",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "string_type": "harus berupa teks",
    "bool_type": "harus bernilai true atau false",
    "bool_parsing": "harus bernilai true atau false",
    "list_type": "harus berupa daftar",
    "dict_type": "harus berupa objek",
    "model_type": "harus berupa objek",
    "too_long": "terlalu banyak isian",
    "too_short": "kurang isian",
    "greater_than_equal": "nilainya terlalu kecil",
    "less_than_equal": "nilainya terlalu besar",
    "datetime_parsing": "harus berupa tanggal dan waktu ISO 8601",
    "date_parsing": "harus berupa tanggal (YYYY-MM-DD)",
    "value_error": "nilainya tidak valid",
}


def problem(status: int, kode: str, pesan: str, instance: str | None = None, **extra: Any) -> flask.Response:
    body = {"type": f"https://pmm.kemdikbud.go.id/masalah/{kode}", "title": kode, "status": status,
            "kode": kode, "pesan": pesan}
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    return flask.Response(json.dumps(body, ensure_ascii=False, default=str), status=status, mimetype=PROBLEM)


def validation_problem(exc: ValidationError, where: str) -> flask.Response:
    galat = []
    for err in exc.errors(include_url=False):
        lokasi = ".".join(str(p) for p in err["loc"]) or where
        pesan = _PESAN_VALIDASI.get(err["type"], "nilainya tidak valid")
        ctx = err.get("ctx") or {}
        if err["type"] == "string_too_long" and "max_length" in ctx:
            pesan += f" (maksimal {ctx['max_length']} karakter)"
        if err["type"] == "value_error" and ctx.get("error"):
            pesan = str(ctx["error"])
        galat.append({"lokasi": f"{where}.{lokasi}", "pesan": pesan})
    return problem(422, "permintaan_tidak_valid",
                   "Isian belum sesuai. Periksa kolom yang disebutkan lalu kirim lagi.", galat=galat)


class Principal(BaseModel):
    """Who is calling: a verified user (belajar.id) or a partner system."""

    sub: str
    email: str | None = None
    jenis: Literal["pengguna", "mitra"] = "pengguna"
    mitra: str | None = None  # partner system name for API-key callers


TIME_OVERRIDE_HEADER = "X-Pmm-Waktu-Uji"


@dataclass
class Ctx:
    request: flask.Request
    principal: Principal | None
    body: Any = None
    query: Any = None
    params: dict[str, str] = field(default_factory=dict)
    allow_time_override: bool = False

    @property
    def now(self) -> datetime:
        """The request's time. Locally and in tests (never in staging or prod) the header
        `X-Pmm-Waktu-Uji: <ISO 8601>` sets it, so a walkthrough can cross the stage windows
        of a semester in one run; the server's clock decides everywhere else."""
        override = self.request.headers.get(TIME_OVERRIDE_HEADER) if self.allow_time_override else None
        if override:
            try:
                value = datetime.fromisoformat(override.replace("Z", "+00:00"))
            except ValueError:
                raise DomainError("waktu_uji_tidak_valid", f"{TIME_OVERRIDE_HEADER} harus ISO 8601.", status=400) \
                    from None
            return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
        return datetime.now(timezone.utc)

    @property
    def user(self) -> Principal:
        if self.principal is None:  # pragma: no cover - guarded by the router
            raise RuntimeError("route is public")
        return self.principal


Handler = Callable[..., Any]


@dataclass
class Route:
    method: str
    path: str
    handler: Handler
    auth: Auth
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    summary: str
    tags: list[str]
    errors: dict[int, str]
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        pattern = _PARAM.sub(lambda m: f"(?P<{m.group(1)}>[A-Za-z0-9_.~-]{{1,200}})", re.escape(self.path)
                             .replace(r"\<", "<").replace(r"\>", ">"))
        self.regex = re.compile(f"^{pattern}$")


class Api:
    """One service's HTTP API under `/v1/<slug>`."""

    def __init__(self, service: str, slug: str, title: str, description: str = "",
                 max_body_bytes: int = 256 * 1024) -> None:
        self.service = service
        self.prefix = f"/v1/{slug}"
        self.title = title
        self.description = description
        self.max_body_bytes = max_body_bytes
        self.routes: list[Route] = []
        self.authenticate_user: Callable[[flask.Request], Principal] | None = None
        self.authenticate_partner: Callable[[flask.Request], Principal] | None = None
        self.project_id: str | None = None
        self.allow_time_override = False  # set by Platform.wire only for local and test
        self.route("GET", "/health", auth="public", summary="Liveness: the function answers",
                   tags=["operasional"])(lambda ctx: {"status": "ok", "layanan": self.service})
        # Liveness is probed often and needs nothing but the process: dispatch answers it first,
        # with a body serialised once (platform_bench.py measures it against a bare function).
        self._health_path = f"{self.prefix}/health"
        self._health_body = json.dumps({"status": "ok", "layanan": self.service}).encode()
        self.route("GET", "/openapi.json", auth="public", summary="This OpenAPI document",
                   tags=["operasional"])(lambda ctx: self.openapi())
        self.readiness: Callable[[], Any] | None = None
        self.route("GET", "/siap", auth="public", summary="Readiness: the function reaches its dependencies",
                   tags=["operasional"], errors={503: "A dependency is unreachable"})(self._siap)

    def route(self, method: str, path: str, *, auth: Auth = "user", body: type[BaseModel] | None = None,
              query: type[BaseModel] | None = None, response: type[BaseModel] | None = None,
              status: int = 200, summary: str = "", tags: list[str] | None = None,
              errors: dict[int, str] | None = None) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method.upper(), self.prefix + path, handler, auth, body, query, response,
                                     status, summary or (handler.__doc__ or "").strip().split("\n")[0],
                                     tags or [self.service], errors or {}))
            return handler
        return register

    def _siap(self, ctx: "Ctx") -> dict[str, str]:
        if self.readiness is None:
            raise DomainError("belum_siap", "Layanan belum siap.", status=503)
        try:
            self.readiness()
        except Exception:  # noqa: BLE001 - any dependency failure means not ready
            log.warning("readiness check failed", exc_info=True)
            raise DomainError("belum_siap", "Layanan belum dapat menjangkau basis data.", status=503) from None
        return {"status": "siap", "layanan": self.service}

    # --- dispatch
    def _match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
        path_found = False
        for route in self.routes:
            m = route.regex.match(path)
            if m:
                path_found = True
                if route.method == method:
                    return route, m.groupdict(), True
        return None, {}, path_found

    def __call__(self, request: flask.Request) -> flask.Response:
        return self.dispatch(request)

    def dispatch(self, request: flask.Request) -> flask.Response:
        if request.method == "GET" and request.path == self._health_path:
            return flask.Response(self._health_body, mimetype="application/json")
        started = time.perf_counter()
        ops = start_op_count()
        set_trace_from_header(request.headers.get("X-Cloud-Trace-Context"), self.project_id)
        route, params, path_found = self._match(request.method, request.path)
        try:
            if route is None:
                if path_found:
                    response = problem(405, "metode_tidak_diizinkan",
                                       f"Metode {request.method} tidak tersedia untuk alamat ini.")
                else:
                    response = problem(404, "rute_tidak_ditemukan", "Alamat yang diminta tidak ada.")
            else:
                response = self._handle(route, params, request)
        except DomainError as exc:
            response = problem(exc.status, exc.kode, exc.pesan, **exc.extra)
        except Exception:  # noqa: BLE001 - the last line of defence: log it, answer 500
            log.exception("unhandled error", extra={"route": route.path if route else request.path})
            response = problem(500, "galat_internal",
                               "Terjadi kesalahan pada sistem kami. Coba lagi beberapa saat lagi.")
        if route is not None and "operasional" in route.tags and response.status_code < 500:
            return response  # probes (health, readiness, openapi) would flood the log; the platform logs them
        log.info("request", extra={
            "httpRequest": {"requestMethod": request.method, "status": response.status_code,
                            "latency": f"{time.perf_counter() - started:.4f}s"},
            "route": route.path if route else None, "firestore_reads": ops.reads, "firestore_writes": ops.writes})
        return response

    def _handle(self, route: Route, params: dict[str, str], request: flask.Request) -> flask.Response:
        principal = self._authenticate(route, request)
        body = query = None
        if route.query is not None:
            raw_query = {k: (v if len(v) > 1 else v[0]) for k, v in request.args.to_dict(flat=False).items()}
            try:
                query = route.query.model_validate(raw_query)
            except ValidationError as exc:
                return validation_problem(exc, "query")
        if route.body is not None:
            parsed = self._read_json(request)
            if isinstance(parsed, flask.Response):
                return parsed
            try:
                body = route.body.model_validate(parsed)
            except ValidationError as exc:
                return validation_problem(exc, "body")
        result = route.handler(Ctx(request, principal, body, query, params, self.allow_time_override), **params)
        return self._to_response(result, route.status)

    def _authenticate(self, route: Route, request: flask.Request) -> Principal | None:
        if route.auth == "public":
            return None
        auth = self.authenticate_partner if route.auth == "partner" else self.authenticate_user
        if auth is None:
            raise DomainError("autentikasi_belum_dikonfigurasi", "Layanan belum siap menerima permintaan.",
                              status=503)
        return auth(request)

    def _read_json(self, request: flask.Request) -> Any:
        length = request.content_length
        if length is not None and length > self.max_body_bytes:
            return problem(413, "permintaan_terlalu_besar",
                           f"Isi permintaan terlalu besar (maksimal {self.max_body_bytes // 1024} KB).")
        if request.mimetype != "application/json":
            return problem(415, "jenis_konten_tidak_didukung", "Kirim isi permintaan sebagai application/json.")
        raw = request.get_data(cache=False)[: self.max_body_bytes + 1]
        if len(raw) > self.max_body_bytes:
            return problem(413, "permintaan_terlalu_besar",
                           f"Isi permintaan terlalu besar (maksimal {self.max_body_bytes // 1024} KB).")
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            return problem(400, "json_tidak_valid", "Isi permintaan bukan JSON yang valid.")

    @staticmethod
    def _to_response(result: Any, status: int) -> flask.Response:
        if isinstance(result, flask.Response):
            return result
        if isinstance(result, BaseModel):
            return flask.Response(result.model_dump_json(), status=status, mimetype="application/json")
        if result is None:
            return flask.Response(status=204 if status == 200 else status)
        return flask.Response(json.dumps(result, ensure_ascii=False, default=str), status=status,
                              mimetype="application/json")

    # --- OpenAPI
    def openapi(self) -> dict[str, Any]:
        models: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = []
        for r in self.routes:
            if r.body:
                models.append((r.body, "validation"))
            if r.response:
                models.append((r.response, "serialization"))
        keys, defs = models_json_schema(models, ref_template="#/components/schemas/{model}") if models else ({}, {})
        schemas = dict(defs.get("$defs", {}))
        schemas["Problem"] = {
            "type": "object", "required": ["kode", "pesan", "status"],
            "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                           "kode": {"type": "string", "description": "stable machine code"},
                           "pesan": {"type": "string", "description": "Indonesian message the user can act on"},
                           "instance": {"type": "string"}},
            "additionalProperties": True}
        paths: dict[str, Any] = {}
        for r in self.routes:
            op: dict[str, Any] = {"summary": r.summary, "tags": r.tags,
                                  "operationId": f"{self.service}_{r.handler.__name__}".replace("<lambda>",
                                                                                                 r.path.rsplit('/', 1)[-1].replace('.', '_'))}
            params = [{"name": p, "in": "path", "required": True,
                       "schema": {"type": "string", "pattern": "^[A-Za-z0-9_.~-]{1,200}$"}}
                      for p in _PARAM.findall(r.path)]
            if r.query:
                qschema = r.query.model_json_schema()
                for name, prop in qschema.get("properties", {}).items():
                    params.append({"name": name, "in": "query", "required": name in qschema.get("required", []),
                                   "schema": prop})
            if params:
                op["parameters"] = params
            if r.body:
                op["requestBody"] = {"required": True, "content": {"application/json": {
                    "schema": keys[(r.body, "validation")]}}}
            ok: dict[str, Any] = {"description": "OK"}
            if r.response:
                ok["content"] = {"application/json": {"schema": keys[(r.response, "serialization")]}}
            responses: dict[str, Any] = {str(r.status): ok}
            problem_ref = {"content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            default_errors = {} if r.auth == "public" else {401: "Token tidak valid atau tidak ada"}
            if r.body or r.query:
                default_errors[422] = "Isian tidak valid"
            for code, desc in {**default_errors, **r.errors}.items():
                responses[str(code)] = {"description": desc, **problem_ref}
            op["responses"] = responses
            if r.auth == "user":
                op["security"] = [{"belajarId": []}]
            elif r.auth == "partner":
                op["security"] = [{"kunciApi": []}]
            paths.setdefault(_PARAM.sub(r"{\1}", r.path), {})[r.method.lower()] = op
        return {
            "openapi": "3.1.0",
            "info": {"title": self.title, "version": "1.0.0", "description": self.description},
            "servers": [{"url": "/"}],
            "paths": paths,
            "components": {"schemas": schemas, "securitySchemes": {
                "belajarId": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                              "description": "ID token akun belajar.id (Google Workspace)"},
                "kunciApi": {"type": "apiKey", "in": "header", "name": "x-api-key",
                             "description": "Kunci API sistem mitra (e-Kinerja)"}}},
        }
