"""Consuming events: from a Pub/Sub push (as a CloudEvent) to one idempotent effect.

The decision per failure is explicit:
- an event older than the configured maximum age: logged and acked (return);
- a duplicate (its id is in the ledger): acked without effect;
- a message that cannot be decoded or validated: raised, so Pub/Sub retries it
  a few times and then parks it in the subscription's dead-letter topic, where
  it can be replayed after a fix (never silently dropped);
- the effect raising anything: raised, so Pub/Sub retries with backoff.
The effect and the ledger entry are written in the same transaction, so an
effect happens exactly once however often the message arrives.
"""
from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any, Callable

from cloudevents.http import CloudEvent

from shared.contracts import topic_spec
from shared.events import Event, EventPayload, utcnow
from shared.firestore import Tx, UnitOfWork, ledger_document, ledger_ref
from shared.logs import get_logger

log = get_logger(__name__)


class UndecodableEvent(ValueError):
    """The message is not a valid event of its topic (goes to the dead-letter topic)."""


def decode_pubsub_cloud_event(cloud_event: CloudEvent, topic: str,
                              payload: type[EventPayload] | None = None) -> Event[Any]:
    model = payload or topic_spec(topic).payload
    try:
        message = cloud_event.data["message"]
        data = base64.b64decode(message.get("data", ""))
        attributes = dict(message.get("attributes") or {})
        event = Event.from_pubsub(model, data, attributes)
    except Exception as exc:  # noqa: BLE001 - any malformation is the same decision
        raise UndecodableEvent(f"not a valid {topic} event: {exc}") from exc
    if event.type != topic:
        raise UndecodableEvent(f"event type {event.type} arrived on {topic}")
    return event


def consume(cloud_event: CloudEvent, *, topic: str, consumer: str, uow: UnitOfWork,
            effect: Callable[[Tx, Event[Any]], None], max_age: timedelta,
            payload: type[EventPayload] | None = None) -> str:
    """Apply `effect` once per event id. Returns what happened (for logs and tests).

    `payload` defaults to the topic's registered model."""
    event = decode_pubsub_cloud_event(cloud_event, topic, payload)
    age = utcnow() - event.time
    fields = {"event_id": event.id, "topic": topic, "consumer": consumer}
    if age > max_age:
        log.warning("event too old; dropped", extra=fields | {"age_seconds": int(age.total_seconds())})
        return "kedaluwarsa"

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
