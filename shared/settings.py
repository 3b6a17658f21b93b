"""Settings from the environment, validated once at start.

Every function reads its configuration through `get_settings()`; a missing or
malformed variable stops the cold start with one message that names each
variable and what it is for, instead of failing obscurely on first use.
Services extend `Settings` with their own fields (see each service's
`bootstrap`).
"""
from __future__ import annotations

import functools
import re
from typing import Annotated, Literal, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# An OAuth client id (`<number>-<hash>.apps.googleusercontent.com`) or a local audience such as `pmm-lokal`.
_AUDIENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")


class SettingsError(RuntimeError):
    """Configuration is missing or invalid; the message lists every problem."""


def database_id(service: str) -> str:
    """The Firestore database a service's data lives in: one per service (least privilege: each
    function may only touch its own service's database, infra/README.md). umpan_balik -> umpan-balik."""
    return service.replace("_", "-")


class Settings(BaseSettings):
    """Settings every function needs. Environment names are given explicitly."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    project_id: str = Field(alias="GOOGLE_CLOUD_PROJECT", min_length=6, max_length=30,
                            description="Google Cloud project id (locally a `demo-` id)")
    service: Literal["karya", "umpan_balik", "kinerja", "sinkro"] = Field(
        alias="PMM_SERVICE", description="which service this function belongs to")
    # No default: `local`/`test` switch on test-only behaviour (the time override header, fault
    # injection), so a function that forgot PMM_ENV must not start rather than start as `local`.
    environment: Literal["local", "test", "staging", "prod"] = Field(
        alias="PMM_ENV", description="deployment stage: local, test, staging or prod")
    firestore_database: str | None = Field(
        None, alias="PMM_FIRESTORE_DATABASE", pattern=r"^(\(default\)|[a-z][a-z0-9-]{2,61}[a-z0-9])$",
        description="Firestore database id; default: the service's own (umpan_balik -> umpan-balik)")
    firestore_emulator_host: str | None = Field(
        None, alias="FIRESTORE_EMULATOR_HOST", description="host:port of the Firestore emulator (local only)")
    pubsub_emulator_host: str | None = Field(
        None, alias="PUBSUB_EMULATOR_HOST", description="host:port of the Pub/Sub emulator (local only)")
    event_max_age_seconds: int = Field(
        3 * 24 * 3600, alias="PMM_EVENT_MAX_AGE_SECONDS", ge=60,
        description="a scheduler tick without a period of its own older than this is skipped; "
                    "events are applied however old (logged as late)")
    outbox_grace_seconds: int = Field(
        30, alias="PMM_OUTBOX_GRACE_SECONDS", ge=0,
        description="the sweeper leaves outbox entries younger than this to the request that wrote them")
    trace_exporter: Literal["none", "file", "gcp"] = Field(
        "none", alias="PMM_TRACE_EXPORTER",
        description="where spans go: none, file (JSON lines to PMM_TRACE_FILE) or gcp (Cloud Trace)")
    trace_file: str | None = Field(
        None, alias="PMM_TRACE_FILE", description="the JSON-lines file of PMM_TRACE_EXPORTER=file (local only)")
    auth_issuer: str = Field(alias="PMM_AUTH_ISSUER", description="expected `iss` of bearer tokens")
    auth_audience: Annotated[tuple[str, ...], NoDecode] = Field(
        alias="PMM_AUTH_AUDIENCE", min_length=1,
        description="accepted `aud` of bearer tokens: the OAuth client ids (web, Android, ...), comma-separated")
    auth_certs_url: str = Field(alias="PMM_AUTH_CERTS_URL",
                                description="URL of the issuer's signing certificates ({kid: PEM})")
    auth_hosted_domain: str | None = Field(
        None, alias="PMM_AUTH_HOSTED_DOMAIN", description="required `hd` claim (belajar.id in production)")
    s3_endpoint_url: str | None = Field(
        None, alias="PMM_S3_ENDPOINT_URL",
        description="S3 API endpoint (moto locally, https://storage.googleapis.com in production)")
    s3_bucket: str = Field("pmm-berkas", alias="PMM_S3_BUCKET", description="bucket for uploaded files")
    max_body_bytes: int = Field(256 * 1024, alias="PMM_MAX_BODY_BYTES", ge=1024,
                                description="largest JSON body an API accepts")
    cors_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        (), alias="PMM_CORS_ORIGINS",
        description="web origins (scheme://host[:port], comma-separated) whose pages may call the APIs (CORS)")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origins(cls, v: object) -> object:
        items = [o.strip() for o in v.split(",")] if isinstance(v, str) else v
        if isinstance(items, (list, tuple)):
            for o in items:
                if o and not re.fullmatch(r"https?://[A-Za-z0-9.-]+(:\d{1,5})?", o):
                    raise ValueError(f"{o!r} bukan origin (scheme://host[:port], tanpa path atau '*')")
            return tuple(o for o in items if o)
        return v

    @field_validator("auth_audience", mode="before")
    @classmethod
    def _audiences(cls, value: object) -> object:
        # PMM_AUTH_AUDIENCE is the client ids joined by commas (Terraform: `join(",", var.auth_audience)`),
        # the shape API Gateway's `x-google-audiences` takes too; a JSON list is not accepted.
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(","))
        return value

    @field_validator("auth_audience")
    @classmethod
    def _audiences_valid(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for audience in value:
            if not _AUDIENCE.match(audience):
                raise ValueError(f"{audience!r} is not a client id (give the ids joined by commas, nothing else)")
        if len(set(value)) != len(value):
            raise ValueError("a client id is listed twice")
        return value

    @model_validator(mode="after")
    def _trace_file_given(self) -> "Settings":
        if self.trace_exporter == "file" and not self.trace_file:
            raise ValueError("PMM_TRACE_EXPORTER=file needs PMM_TRACE_FILE (the JSON-lines file to append spans to)")
        return self

    @property
    def database(self) -> str:
        return self.firestore_database or database_id(self.service)

    @property
    def uses_emulators(self) -> bool:
        return bool(self.firestore_emulator_host or self.pubsub_emulator_host)


S = TypeVar("S", bound=Settings)


def load_settings(cls: type[S] = Settings, **overrides) -> S:  # type: ignore[assignment]
    """Build settings from the environment; raise SettingsError naming every problem."""
    try:
        return cls(**overrides)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "?"
            field = next((f for f in cls.model_fields.values() if f.alias == name), None)
            if field is None:
                field = cls.model_fields.get(name)
            env = (field.alias if field is not None and field.alias else name)
            what = field.description if field is not None and field.description else ""
            lines.append(f"  - {env}: {err['msg']}" + (f" ({what})" if what else ""))
        raise SettingsError(f"{cls.__name__}: configuration is incomplete:\n" + "\n".join(lines)) from None


@functools.cache
def get_settings(cls: type[S] = Settings) -> S:  # type: ignore[assignment]
    """The process-wide settings of `cls`, loaded once (lazily, at first use)."""
    return load_settings(cls)


def reset_settings_cache() -> None:
    get_settings.cache_clear()
