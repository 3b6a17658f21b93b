"""The event envelope: CloudEvents attributes around a versioned pydantic payload.

On Pub/Sub an event travels in the CloudEvents Pub/Sub binary binding: the
message data is the payload as JSON, the attributes are `ce-id`, `ce-source`,
`ce-type` (the topic), `ce-time`, `ce-subject`, `ce-specversion` and
`ce-dataschema` (an absolute URI, `<SCHEMA_BASE>/<topic>/v<schema version>`, as
CloudEvents requires; docs/asyncapi.json carries the schema), plus the trace context of the
request that emitted it as `ce-traceparent` and `traceparent`. The `ce-id` is ours and stays
the same when the sweeper publishes again, so consumers deduplicate on it.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from typing import Any, ClassVar, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from shared.tracing import CE_TRACEPARENT, TRACEPARENT

SPEC_VERSION = "1.0"
SOURCE_PREFIX = "//pmm.kemdikbud.go.id/"
# The public base of the payload schemas (prod `public_url` in infra/envs/prod/terraform.tfvars).
SCHEMA_BASE = "https://guru.pmm.kemdikbud.go.id/skema"
# The version in a dataschema: the URI above, or the relative `<topic>/v<N>` published before it
# (still in outboxes and dead-letter topics, so still read).
_SCHEMA_VERSION = re.compile(r"/v(\d+)(?:\.json)?$")


def dataschema(topic: str, version: int) -> str:
    """The `ce-dataschema` URI of `topic`'s payload at `version`. It ends in `/v<N>` (no `.json`) so
    consumers deployed before it was a URI, which read the digits after the last `/v`, still accept it."""
    return f"{SCHEMA_BASE}/{topic}/v{version}"


def dataschema_version(value: str) -> int | None:
    """The schema version a `ce-dataschema` names; 1 when absent, None when unreadable."""
    if not value:
        return 1
    found = _SCHEMA_VERSION.search(value)
    return int(found.group(1)) if found else None


class EventPayload(BaseModel):
    """Base of every event payload.

    Frozen; unknown fields are ignored so an older consumer still reads a
    newer producer's additive change. A breaking change bumps SCHEMA_VERSION.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)
    SCHEMA_VERSION: ClassVar[int] = 1


P = TypeVar("P", bound=EventPayload)


def new_event_id() -> str:
    return uuid.uuid4().hex


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Event(BaseModel, Generic[P]):
    """One event: CloudEvents context attributes plus the typed payload."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=new_event_id)
    source: str
    type: str
    time: datetime = Field(default_factory=utcnow)
    subject: str | None = None
    data: P
    # W3C trace context of the span that emitted the event (CloudEvents distributed-tracing extension),
    # so the consumer's span continues the request's trace; not part of the event's identity.
    traceparent: str | None = None

    @property
    def topic(self) -> str:
        return self.type

    @property
    def schema_version(self) -> int:
        return type(self.data).SCHEMA_VERSION

    def to_pubsub(self) -> tuple[bytes, dict[str, str]]:
        """Message data and attributes for Pub/Sub (CloudEvents binary binding)."""
        attributes = {
            "ce-specversion": SPEC_VERSION,
            "ce-id": self.id,
            "ce-source": self.source,
            "ce-type": self.type,
            "ce-time": self.time.astimezone(timezone.utc).isoformat().replace("+00:00", "Z"),
            "ce-dataschema": dataschema(self.type, self.schema_version),
            "content-type": "application/json",
        }
        if self.subject:
            attributes["ce-subject"] = self.subject
        if self.traceparent:
            # both spellings: `ce-traceparent` is the CloudEvents extension in the binary binding, plain
            # `traceparent` is what a tracing-aware Pub/Sub reader looks for
            attributes[CE_TRACEPARENT] = attributes[TRACEPARENT] = self.traceparent
        return self.data.model_dump_json().encode(), attributes

    @classmethod
    def from_pubsub(cls, payload_model: type[P], data: bytes, attributes: dict[str, str]) -> "Event[P]":
        """Rebuild an event from a Pub/Sub message; raises ValueError/ValidationError if malformed."""
        missing = [a for a in ("ce-id", "ce-source", "ce-type", "ce-time") if not attributes.get(a)]
        if missing:
            raise ValueError(f"message lacks CloudEvents attributes: {', '.join(missing)}")
        schema = attributes.get("ce-dataschema", "")
        version = dataschema_version(schema)
        if version is None or version > payload_model.SCHEMA_VERSION:
            raise ValueError(f"unsupported schema version {schema!r} (consumer knows "
                             f"v{payload_model.SCHEMA_VERSION})")
        return cls[payload_model](  # type: ignore[index]
            id=attributes["ce-id"],
            source=attributes["ce-source"],
            type=attributes["ce-type"],
            time=datetime.fromisoformat(attributes["ce-time"].replace("Z", "+00:00")),
            subject=attributes.get("ce-subject"),
            traceparent=attributes.get(CE_TRACEPARENT) or attributes.get(TRACEPARENT),
            data=payload_model.model_validate_json(data),
        )


def make_event(service: str, topic: str, payload: EventPayload, subject: str | None = None) -> Event[Any]:
    """An event produced by `service` on `topic`."""
    return Event(source=f"{SOURCE_PREFIX}{service}", type=topic, subject=subject, data=payload)
