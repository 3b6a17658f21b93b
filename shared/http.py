"""HTTP for the functions: routing on the Flask request, validation,
problem+json errors and the OpenAPI document generated from the models.

Entry points only parse, call and map errors: a handler gets a `Ctx` with the
verified principal and the validated body and query, calls a use case, and
returns a pydantic model (or a `Response`). Every error leaves as
`application/problem+json` (RFC 9457) with a stable `kode`, an Indonesian `pesan`
the person can act on and `detail`, what happened in this occurrence.

The front door is a global external Application Load Balancer with serverless
NEGs: it passes the caller's `Authorization` through unchanged and does not do
CORS, so the router answers CORS itself (`cors_origins`, from PMM_CORS_ORIGINS):
a preflight (`OPTIONS` with `Access-Control-Request-Method`) to any route
answers 204 without a token; every answer to an allowed `Origin`, problems
included, carries `Access-Control-Allow-Origin`; another origin gets no CORS
header at all, so the browser refuses to hand the answer to its page.

A request body is read from the WSGI stream with a hard cap (`max_body_bytes`,
PMM_MAX_BODY_BYTES): at most cap + 1 bytes are ever held, a chunked body without
Content-Length included; more is 413.
"""
from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone
from dataclasses import dataclass, field
from typing import Any, Callable, Literal

import flask
from opentelemetry.trace import SpanKind
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from shared.batas import Batas, PembatasFirestore, TerlaluBanyak
from shared.errors import DomainError
from shared.firestore import start_op_count
from shared import tracing
from shared.logs import get_logger

log = get_logger(__name__)

Auth = Literal["public", "user", "partner"]
PROBLEM = "application/problem+json"
# CORS: what a browser page on an allowed origin may send and read. No credentials mode: the
# token travels in Authorization, never in a cookie.
CORS_ALLOW_HEADERS = "Authorization, Content-Type, X-Cloud-Trace-Context, traceparent"
CORS_EXPOSE_HEADERS = "Retry-After, Content-Disposition, X-Cloud-Trace-Context"
CORS_MAX_AGE_SECONDS = 3600  # browsers cap it (Chromium at 2 h); an hour saves most preflights
BODY_CHUNK = 64 * 1024
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


def problem_body(status: int, kode: str, pesan: str, instance: str | None = None, detail: str | None = None,
                 **extra: Any) -> bytes:
    """An RFC 9457 problem: `detail` says what happened this time (default: `pesan`, which does)."""
    body = {"type": f"https://pmm.kemdikbud.go.id/masalah/{kode}", "title": kode, "status": status,
            "detail": detail or pesan, "kode": kode, "pesan": pesan}
    if instance:
        body["instance"] = instance
    body.update({k: v for k, v in extra.items() if v is not None})
    return json.dumps(body, ensure_ascii=False, default=str).encode()


def problem(status: int, kode: str, pesan: str, instance: str | None = None, detail: str | None = None,
            **extra: Any) -> flask.Response:
    return flask.Response(problem_body(status, kode, pesan, instance, detail, **extra), status=status,
                          mimetype=PROBLEM)


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
    detail = f"{len(galat)} isian belum sesuai: " + "; ".join(f"{g['lokasi']} {g['pesan']}" for g in galat[:10])
    return problem(422, "permintaan_tidak_valid",
                   "Isian belum sesuai. Periksa kolom yang disebutkan lalu kirim lagi.", detail=detail + ".",
                   galat=galat)


def body_too_large(limit: int) -> flask.Response:
    """413. Streamed on purpose: functions-framework reads whatever body is left before a
    non-streamed answer (`read_request`), which would load the rest of an oversized body into
    memory; gunicorn discards the unread rest in small pieces instead."""
    response = problem(413, "permintaan_terlalu_besar", f"Isi permintaan terlalu besar (maksimal {limit // 1024} KB).",
                       detail=f"Isi permintaan melebihi batas {limit} byte; tidak diproses.")
    data = response.get_data()
    return flask.Response(iter([data]), status=413, mimetype=PROBLEM, headers={"Content-Length": str(len(data))})


def read_body_capped(request: flask.Request, limit: int) -> bytes | None:
    """The body, or None when it is longer than `limit`: never more than limit + 1 bytes read,
    whatever Content-Length says or when the body is chunked and has none."""
    declared = request.content_length
    if declared is not None and declared > limit:
        return None
    stream = request.stream
    chunks, size = [], 0
    while size <= limit:
        chunk = stream.read(min(BODY_CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return None if size > limit else b"".join(chunks)


def has_body(request: flask.Request) -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "").lower()


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
    batas: tuple[Batas, ...] = ()
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
        self.cors_origins: frozenset[str] = frozenset()  # set by Platform.wire from PMM_CORS_ORIGINS
        self.pembatas: PembatasFirestore | None = None  # set by Platform.wire; routes with `batas` need it
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
              errors: dict[int, str] | None = None,
              batas: Batas | tuple[Batas, ...] = ()) -> Callable[[Handler], Handler]:
        """`batas`: per-caller budgets (shared/batas.py) checked after authentication and validation."""
        if auth == "public" and batas:
            raise ValueError("a public route has no caller to limit")
        batas = (batas,) if isinstance(batas, Batas) else tuple(batas)

        def register(handler: Handler) -> Handler:
            self.routes.append(Route(method.upper(), self.prefix + path, handler, auth, body, query, response,
                                     status, summary or (handler.__doc__ or "").strip().split("\n")[0],
                                     tags or [self.service], errors or {}, batas))
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
    def _match(self, method: str, path: str) -> tuple[Route | None, dict[str, str], list[str]]:
        """The route and its parameters, and every method the path answers to (empty: unknown path)."""
        methods: list[str] = []
        for route in self.routes:
            m = route.regex.match(path)
            if m:
                methods.append(route.method)
                if route.method == method:
                    return route, m.groupdict(), methods
        return None, {}, methods

    # --- CORS
    def _allowed_origin(self, request: flask.Request) -> str | None:
        origin = request.headers.get("Origin")
        return origin if origin is not None and origin in self.cors_origins else None

    def _with_cors(self, request: flask.Request, response: flask.Response) -> flask.Response:
        if not self.cors_origins:
            return response
        response.vary.add("Origin")  # a cache must not hand one origin's answer to another
        origin = self._allowed_origin(request)
        if origin is not None:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSE_HEADERS
        return response

    def _preflight(self, request: flask.Request) -> flask.Response | None:
        """The answer to a CORS preflight, or None when the request is not one."""
        if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
            return None
        _, _, methods = self._match("", request.path)
        if not methods:
            return problem(404, "rute_tidak_ditemukan", "Alamat yang diminta tidak ada.",
                           detail=f"Tidak ada rute {request.path}.")
        response = flask.Response(status=204)
        if self._allowed_origin(request) is not None:
            allow_headers = CORS_ALLOW_HEADERS + (f", {TIME_OVERRIDE_HEADER}" if self.allow_time_override else "")
            response.headers["Access-Control-Allow-Methods"] = ", ".join(dict.fromkeys(methods + ["OPTIONS"]))
            response.headers["Access-Control-Allow-Headers"] = allow_headers
            response.headers["Access-Control-Max-Age"] = str(CORS_MAX_AGE_SECONDS)
        else:
            log.info("preflight from an origin not allowed", extra={"route": request.path})
        return response

    def __call__(self, request: flask.Request) -> flask.Response:
        return self.dispatch(request)

    def dispatch(self, request: flask.Request) -> flask.Response:
        if request.method == "GET" and request.path == self._health_path:
            return self._with_cors(request, flask.Response(self._health_body, mimetype="application/json"))
        preflight = self._preflight(request)
        if preflight is not None:
            return self._with_cors(request, preflight)
        route, params, methods = self._match(request.method, request.path)
        # Named by the route template, never the path (a path may carry an id); no query, no body.
        attributes = {"http.request.method": request.method, "http.route": route.path if route else ""}
        with tracing.span(f"{request.method} {route.path}" if route else request.method, SpanKind.SERVER,
                          tracing.parent_from_headers(request.headers), attributes) as span:
            response = self._answer(request, route, params, methods)
            span.set_attribute("http.response.status_code", response.status_code)
            if response.status_code >= 500:
                tracing.mark_error(span, str(response.status_code))
            return response

    def _answer(self, request: flask.Request, route: Route | None, params: dict[str, str],
                methods: list[str]) -> flask.Response:
        started = time.perf_counter()
        ops = start_op_count()
        try:
            if route is None:
                if methods:
                    response = problem(405, "metode_tidak_diizinkan",
                                       f"Metode {request.method} tidak tersedia untuk alamat ini.",
                                       detail=f"{request.path} menerima {', '.join(methods)}, bukan {request.method}.")
                else:
                    response = problem(404, "rute_tidak_ditemukan", "Alamat yang diminta tidak ada.",
                                       detail=f"Tidak ada rute {request.path}.")
            else:
                response = self._handle(route, params, request)
        except DomainError as exc:
            response = problem(exc.status, exc.kode, exc.pesan, **exc.extra)
            if isinstance(exc, TerlaluBanyak):
                response.headers["Retry-After"] = str(exc.retry_after)
        except Exception:  # noqa: BLE001 - the last line of defence: log it, answer 500
            log.exception("unhandled error", extra={"route": route.path if route else request.path})
            response = problem(500, "galat_internal",
                               "Terjadi kesalahan pada sistem kami. Coba lagi beberapa saat lagi.",
                               detail="Permintaan tidak selesai karena kesalahan tak terduga di server; "
                                      "tidak ada yang berubah sebagian.")
        if has_body(request) and not response.is_streamed:
            # An answer given before the body was read (401, 404, 405): read what is left with the cap
            # too, or functions-framework would read all of it into memory after this answer.
            if read_body_capped(request, self.max_body_bytes) is None:
                response = flask.Response(iter([response.get_data()]), status=response.status_code,
                                          headers=response.headers)
        response = self._with_cors(request, response)
        if route is not None and "operasional" in route.tags and response.status_code < 500:
            return response  # probes (health, readiness, openapi) would flood the log; the platform logs them
        log.info("request", extra={
            "httpRequest": {"requestMethod": request.method, "status": response.status_code,
                            "latency": f"{time.perf_counter() - started:.4f}s"},
            "route": route.path if route else None, "firestore_reads": ops.reads, "firestore_writes": ops.writes})
        return response

    def _handle(self, route: Route, params: dict[str, str], request: flask.Request) -> flask.Response:
        principal = self._authenticate(route, request)
        if route.body is None and has_body(request) and read_body_capped(request, self.max_body_bytes) is None:
            return body_too_large(self.max_body_bytes)  # a route that takes no body gets no big one either
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
        if route.batas:
            if self.pembatas is None:
                raise DomainError("batas_belum_dikonfigurasi", "Layanan belum siap menerima permintaan.", status=503)
            self.pembatas.pakai(route.batas, principal.sub if principal else "")
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
        raw = read_body_capped(request, self.max_body_bytes)
        if raw is None:
            return body_too_large(self.max_body_bytes)
        if request.mimetype != "application/json":
            return problem(415, "jenis_konten_tidak_didukung", "Kirim isi permintaan sebagai application/json.",
                           detail=f"Jenis konten {request.mimetype or '(kosong)'} tidak didukung.")
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):
            return problem(400, "json_tidak_valid", "Isi permintaan bukan JSON yang valid.",
                           detail="Isi permintaan tidak dapat dibaca sebagai JSON (periksa tanda kurung dan kutip).")

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
            "type": "object", "required": ["kode", "pesan", "status", "detail"],
            "properties": {"type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
                           "kode": {"type": "string", "description": "stable machine code"},
                           "pesan": {"type": "string", "description": "Indonesian message the user can act on"},
                           "detail": {"type": "string", "description": "what happened in this occurrence"},
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
            if r.batas:
                default_errors[429] = "terlalu_banyak_permintaan: batas per pengguna habis (Retry-After)"
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
