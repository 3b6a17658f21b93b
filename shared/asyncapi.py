"""The AsyncAPI 3.0 document of every topic, generated from the contracts registry.

    python -m shared.asyncapi > asyncapi.json

Other ministry systems read it to publish reference events to us and to
consume ours; the API explorer renders it.
"""
from __future__ import annotations

import json
import sys
from typing import Any

from pydantic.json_schema import models_json_schema

from shared.contracts import SUBSCRIPTIONS, TOPICS
from shared.events import SPEC_VERSION


def _message_name(topic: str) -> str:
    return "".join(part.title() for part in topic.replace("_", ".").split("."))


def asyncapi_document() -> dict[str, Any]:
    models = [(spec.payload, "validation") for spec in TOPICS.values()]
    keys, defs = models_json_schema(models, ref_template="#/components/schemas/{model}")
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for name, spec in sorted(TOPICS.items()):
        message = _message_name(name)
        channel = name.replace(".", "_")
        messages[message] = {
            "name": message,
            "title": name,
            "summary": spec.description,
            "contentType": "application/json",
            "headers": {"type": "object", "description": "Pub/Sub attributes (CloudEvents binary binding)",
                        "required": ["ce-id", "ce-source", "ce-type", "ce-time", "ce-specversion"],
                        "properties": {
                            "ce-id": {"type": "string", "description": "event id; consumers deduplicate on it"},
                            "ce-source": {"type": "string", "example": f"//pmm.kemdikbud.go.id/{spec.producer}"},
                            "ce-type": {"type": "string", "const": name},
                            "ce-time": {"type": "string", "format": "date-time"},
                            "ce-subject": {"type": "string"},
                            "ce-specversion": {"type": "string", "const": SPEC_VERSION},
                            "ce-traceparent": {"type": "string", "description": "W3C trace context of the "
                                               "request that emitted the event (CloudEvents distributed tracing)"},
                            "traceparent": {"type": "string", "description": "the same, for tracing-aware readers"},
                            "ce-dataschema": {"type": "string",
                                              "const": f"{name}/v{spec.payload.SCHEMA_VERSION}"}}},
            "payload": keys[(spec.payload, "validation")],
        }
        channels[channel] = {"address": name, "title": name, "description": spec.description,
                             "messages": {message: {"$ref": f"#/components/messages/{message}"}},
                             "x-producer": spec.producer}
        operations[f"publish_{channel}"] = {
            "action": "send", "channel": {"$ref": f"#/channels/{channel}"},
            "summary": f"Published by {spec.producer}",
            "messages": [{"$ref": f"#/channels/{channel}/messages/{message}"}]}
        for sub in (s for s in SUBSCRIPTIONS if s.topic == name):
            operations[sub.function] = {
                "action": "receive", "channel": {"$ref": f"#/channels/{channel}"},
                "summary": f"{sub.service}: {sub.description or sub.function}",
                "messages": [{"$ref": f"#/channels/{channel}/messages/{message}"}]}
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "PMM Guru events", "version": "1.0.0",
                 "description": "Every Pub/Sub topic of the PMM teacher backend: what each carries, who "
                                "publishes it and who consumes it. Delivery is at least once and unordered; "
                                "each payload carries its source version so consumers keep the newest."},
        "defaultContentType": "application/json",
        "servers": {"pubsub": {"host": "pubsub.googleapis.com", "protocol": "googlepubsub",
                               "description": "Google Cloud Pub/Sub"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": defs.get("$defs", {})},
    }


if __name__ == "__main__":
    json.dump(asyncapi_document(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
