"""Publishing a reference event to PMM Guru: validate against docs/asyncapi.json, then publish with
the CloudEvents attributes PMM's consumers require. Copy this file with your publish_<system>.py.

Needs `google-cloud-pubsub` and `jsonschema`. Credentials: Application Default Credentials of a
service account allowed to publish to the topic (roles/pubsub.publisher); with
PUBSUB_EMULATOR_HOST set the client talks to the Pub/Sub emulator instead.
The contract and its versioning policy: docs/asyncapi.json and docs/events.md.
"""
from __future__ import annotations

import argparse
import json
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import jsonschema
from google.cloud import pubsub_v1

ASYNCAPI = Path(__file__).resolve().parent.parent / "docs" / "asyncapi.json"


def load_asyncapi(path: str | Path = ASYNCAPI) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def message_of(doc: dict[str, Any], topic: str) -> dict[str, Any]:
    for message in doc["components"]["messages"].values():
        if message["title"] == topic:
            return message
    raise KeyError(f"{topic} is not a topic of this AsyncAPI document")


def topic_schema(doc: dict[str, Any], topic: str) -> dict[str, Any]:
    """The payload's JSON Schema as one self-contained document (its `#/components/schemas/...`
    references resolve inside it), identified by its dataschema URI."""
    message = message_of(doc, topic)
    return {"$id": message["headers"]["properties"]["ce-dataschema"]["const"], **message["payload"],
            "components": {"schemas": doc["components"]["schemas"]}}


def validate(doc: dict[str, Any], topic: str, payload: dict[str, Any]) -> None:
    """Raises jsonschema.ValidationError naming the first field PMM would refuse."""
    jsonschema.validate(payload, topic_schema(doc, topic), format_checker=jsonschema.FormatChecker())


def attributes(doc: dict[str, Any], topic: str, source: str, subject: str | None = None,
               event_id: str | None = None, time: datetime | None = None) -> dict[str, str]:
    """CloudEvents Pub/Sub binary binding. Keep `event_id` when re-sending the same change: PMM
    deduplicates on it. `time` is when the record changed (UTC)."""
    when = (time or datetime.now(timezone.utc)).astimezone(timezone.utc)
    attrs = {
        "ce-specversion": "1.0",
        "ce-id": event_id or uuid.uuid4().hex,
        "ce-source": source,
        "ce-type": topic,
        "ce-time": when.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "ce-dataschema": message_of(doc, topic)["headers"]["properties"]["ce-dataschema"]["const"],
        "content-type": "application/json",
    }
    if subject:
        attrs["ce-subject"] = subject
    jsonschema.validate(attrs, message_of(doc, topic)["headers"])
    return attrs


def publish(project: str, topic: str, payload: dict[str, Any], source: str, subject: str | None = None,
            doc: dict[str, Any] | None = None, publisher: pubsub_v1.PublisherClient | None = None,
            event_id: str | None = None) -> str:
    """Validate, publish, wait for Pub/Sub to accept it; returns the Pub/Sub message id."""
    doc = doc or load_asyncapi()
    validate(doc, topic, payload)
    attrs = attributes(doc, topic, source, subject, event_id)
    publisher = publisher or pubsub_v1.PublisherClient()
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return publisher.publish(publisher.topic_path(project, topic), data, **attrs).result(timeout=60)


def main(topic: str, source: str, build_payload: Callable[[], dict[str, Any]], subject_field: str | None,
         argv: list[str] | None = None, description: str = "") -> str:
    """`python publish_<system>.py --project <gcp-project>`: publish build_payload() once."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--project", required=True, help="the PMM Google Cloud project that owns the topic")
    args = parser.parse_args(argv)
    payload = build_payload()
    return publish(args.project, topic, payload, source, subject=payload[subject_field] if subject_field else None)
