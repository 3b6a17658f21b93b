"""Consuming events: from a Pub/Sub push (as a CloudEvent) to one idempotent effect.

Two envelope kinds arrive, both as the CloudEvent functions-framework builds from a
Pub/Sub push (`google.cloud.pubsub.topic.v1.messagePublished`, the message under
`data.message` with `data`, `attributes`, `messageId`, `publishTime`):
- an event our outbox published: its identity is in the `ce-*` attributes (CloudEvents
  Pub/Sub binary binding, `shared/events.py`) and stays the same when it is re-published;
- a Cloud Scheduler tick: a scheduler job publishes the same configured data and
  attributes on every run, so a tick's identity is the one thing Pub/Sub adds per
  publish, `messageId` + `publishTime` (a redelivery of that message keeps both; the
  next run gets new ones). Only scheduler topics accept this kind.
Any other shape is refused with a log line naming it (see `UndecodableEvent`).

The decision per failure is explicit:
- a scheduler tick older than its period: logged and acked (the next tick does the work);
- a state event, however old (a dead letter replayed after days, an outbox swept after an
  outage): applied; effects compare the payload's `versi`, so the newest state wins and
  age alone never loses data;
- a duplicate (its id is in the ledger): acked without effect;
- a message that cannot be decoded or validated, or arrives in an unknown envelope:
  raised, so Pub/Sub retries it up to the subscription's max delivery attempts and then
  parks it in the dead-letter topic, where it can be replayed after a fix (never dropped);
- the effect raising anything: raised, so Pub/Sub retries with backoff.
The effect and the ledger entry are written in the same transaction, so an
effect happens exactly once however often the message arrives.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any, Callable, Iterator

from cloudevents.http import CloudEvent
from opentelemetry.trace import Span, SpanKind
from pydantic import ValidationError

from shared import tracing

from shared.contracts import TOPICS, topic_spec
from shared.events import Event, EventPayload, utcnow
from shared.firestore import Tx, UnitOfWork, ledger_document, ledger_ref
from shared.logs import get_logger
from shared.tracing import CE_TRACEPARENT, TRACEPARENT

log = get_logger(__name__)
SCHEDULER = "cloud_scheduler"
# A tick whose data carries no period of its own (`JadwalTick.periode_detik`) is skipped after this.
DEFAULT_TICK_MAX_AGE = timedelta(minutes=10)


class UndecodableEvent(ValueError):
    """The message is not a valid event of its topic (goes to the dead-letter topic)."""


def envelope_shape(cloud_event: Any) -> str:
    """The shape of a delivery for logs: keys and types only, never values (no personal data)."""
    try:
        data = cloud_event.data
        head = f"type={cloud_event['type']!r}"
    except Exception:  # noqa: BLE001 - describing, not judging
        return f"not a CloudEvent ({type(cloud_event).__name__})"
    if not isinstance(data, dict):
        return f"{head} data={type(data).__name__}"
    message = data.get("message")
    if not isinstance(message, dict):
        return f"{head} data.keys={sorted(data)}"
    attributes = message.get("attributes") or {}
    names = sorted(attributes) if isinstance(attributes, dict) else type(attributes).__name__
    return f"{head} data.keys={sorted(data)} message.keys={sorted(message)} attributes={names}"


def is_tick_topic(topic: str) -> bool:
    spec = TOPICS.get(topic)
    return spec is not None and spec.producer == SCHEDULER


def _reason(exc: Exception) -> str:
    """Why a message failed, without its values (a validation error would quote the input)."""
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'data'}: {e['type']}" for e in exc.errors())[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


def _refuse(cloud_event: Any, topic: str, why: str, cause: Exception | None = None) -> UndecodableEvent:
    shape, reason = envelope_shape(cloud_event), _reason(cause) if cause else why
    log.error("undecodable delivery: raised so Pub/Sub retries it, then dead-letters it",
              extra={"topic": topic, "bentuk": shape, "alasan": reason})
    # Raised `from None`: a chained validation error would print the message's values in the traceback.
    return UndecodableEvent(f"not a valid {topic} event ({reason}); envelope: {shape}")


def _tick_identity(cloud_event: CloudEvent, message: dict[str, Any]) -> tuple[str, datetime]:
    """(event id, publish time) of a scheduler tick, from what Pub/Sub assigned to this publish."""
    message_id = message.get("messageId") or message.get("message_id") or cloud_event["id"]
    published = message.get("publishTime") or message.get("publish_time") or cloud_event["time"]
    if not message_id or not published:
        raise ValueError("a tick without messageId/publishTime")
    when = datetime.fromisoformat(str(published).replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise ValueError("publishTime without a time zone")
    digest = hashlib.sha256(f"{message_id}|{published}".encode()).hexdigest()[:32]
    return f"jadwal-{digest}", when


def decode_pubsub_cloud_event(cloud_event: CloudEvent, topic: str,
                              payload: type[EventPayload] | None = None) -> Event[Any]:
    model = payload or topic_spec(topic).payload
    try:
        message = cloud_event.data["message"]
        if not isinstance(message, dict):
            raise TypeError("data.message is not an object")
        attributes = dict(message.get("attributes") or {})
        data = base64.b64decode(message.get("data", ""), validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise _refuse(cloud_event, topic, "not a Pub/Sub push", exc) from None
    try:
        if any(k.startswith("ce-") for k in attributes):
            event = Event.from_pubsub(model, data, attributes)
        elif is_tick_topic(topic):
            event_id, when = _tick_identity(cloud_event, message)
            event = Event[model](id=event_id, source=str(cloud_event["source"]), type=topic,  # type: ignore[valid-type]
                                 time=when, data=model.model_validate_json(data))
        else:
            raise ValueError("no CloudEvents attributes (ce-id, ce-type, ...) on a topic that is not a scheduler's")
    except Exception as exc:  # noqa: BLE001 - any malformation is the same decision
        raise _refuse(cloud_event, topic, "invalid message", exc) from None
    if event.type != topic:
        raise _refuse(cloud_event, topic, f"event type {event.type} arrived on {topic}")
    return event


def tick_max_age(event: Event[Any], default: timedelta = DEFAULT_TICK_MAX_AGE) -> timedelta:
    period = getattr(event.data, "periode_detik", None)
    return timedelta(seconds=period) if period else default


def tick_is_stale(event: Event[Any], default: timedelta = DEFAULT_TICK_MAX_AGE) -> bool:
    """A tick older than its period: the next tick does the same work, so this one is skipped (and
    logged). Only ticks: events carry state and are applied however late they arrive."""
    age = utcnow() - event.time
    if age <= tick_max_age(event, default):
        return False
    log.warning("tick older than its period; skipped", extra={
        "event_id": event.id, "topic": event.type, "age_seconds": int(age.total_seconds())})
    return True


def decode_tick(cloud_event: CloudEvent, topic: str, default: timedelta = DEFAULT_TICK_MAX_AGE) -> Event[Any] | None:
    """The tick of a scheduler topic, or None when it is older than its period (ack it)."""
    event = decode_pubsub_cloud_event(cloud_event, topic)
    return None if tick_is_stale(event, default) else event


def delivery_traceparent(cloud_event: Any) -> str | None:
    """The `traceparent` the publisher put on the message (CloudEvents extension first), if any."""
    try:
        attributes = cloud_event.data["message"].get("attributes") or {}
        value = attributes.get(CE_TRACEPARENT) or attributes.get(TRACEPARENT)
    except Exception:  # noqa: BLE001 - a malformed envelope is refused by decoding, inside the span
        return None
    return value if isinstance(value, str) else None


@contextmanager
def delivery_span(cloud_event: Any, topic: str, consumer: str) -> Iterator[Span]:
    """The CONSUMER span of one delivery, continuing the trace of the request that emitted the event
    (a scheduler tick, carrying none, starts its own)."""
    try:
        message_id = str(cloud_event.data["message"].get("messageId") or "")
    except Exception:  # noqa: BLE001 - only a span attribute
        message_id = ""
    attributes = {"messaging.system": "gcp_pubsub", "messaging.operation.type": "process",
                  "messaging.destination.name": topic, "messaging.consumer.group.name": consumer,
                  "messaging.message.id": message_id}
    with tracing.span(f"process {topic}", SpanKind.CONSUMER,
                      tracing.parent_from_traceparent(delivery_traceparent(cloud_event)), attributes) as span:
        yield span


def consume(cloud_event: CloudEvent, *, topic: str, consumer: str, uow: UnitOfWork,
            effect: Callable[[Tx, Event[Any]], None], max_age: timedelta | None = None,
            payload: type[EventPayload] | None = None) -> str:
    """Apply `effect` once per event id, in a span continuing the emitter's trace. Returns what
    happened (for logs and tests).

    `payload` defaults to the topic's registered model. `max_age`: the age of a tick without
    a period of its own beyond which it is skipped; for events only the age logged as late."""
    with delivery_span(cloud_event, topic, consumer) as span:
        outcome = _consume(cloud_event, topic, consumer, uow, effect, max_age, payload)
        span.set_attribute("pmm.outcome", outcome)
        return outcome


def _consume(cloud_event: CloudEvent, topic: str, consumer: str, uow: UnitOfWork,
             effect: Callable[[Tx, Event[Any]], None], max_age: timedelta | None,
             payload: type[EventPayload] | None) -> str:
    event = decode_pubsub_cloud_event(cloud_event, topic, payload)
    age = utcnow() - event.time
    fields = {"event_id": event.id, "topic": topic, "consumer": consumer}
    if is_tick_topic(topic):
        if tick_is_stale(event, max_age or DEFAULT_TICK_MAX_AGE):
            return "kedaluwarsa"
    elif max_age is not None and age > max_age:
        log.info("late event applied (a replay or an outbox backlog); versions decide",
                 extra=fields | {"age_seconds": int(age.total_seconds())})

    def work(tx: Tx) -> str:
        ref = ledger_ref(tx.db, uow.service, consumer, event.id)
        if tx.get(ref) is not None:
            return "duplikat"
        effect(tx, event)
        tx.set(ref, ledger_document(consumer, event))
        return "diproses"

    outcome = uow.run(work)
    log.info("event consumed", extra=fields | {"outcome": outcome})
    return outcome
