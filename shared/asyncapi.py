"""The AsyncAPI 3.0 document of every topic, generated from the contracts registry.

    python -m shared.asyncapi --write   # (re)write docs/asyncapi.json   (make asyncapi; commit it)
    python -m shared.asyncapi --check   # exit 1 when docs/asyncapi.json is stale (the tests do this too)
    python -m shared.asyncapi           # print it

Other ministry systems read docs/asyncapi.json to publish reference events to us and to consume
ours (examples/publish_*.py); the API explorer renders it and offers it for download. Each message
carries an example (headers and payload) that validates against its schemas; the official parser
(`node local/asyncapi/validate.mjs docs/asyncapi.json`) checks the whole document. How a payload
schema may change without stranding an older consumer: docs/events.md.
"""
from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from shared.contracts import SUBSCRIPTIONS, TOPICS
from shared.events import SOURCE_PREFIX, SPEC_VERSION, dataschema

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "asyncapi.json"
REF_PREFIX = "#/components/schemas/"
EXAMPLE_ID = "5f0c6f3e9b7d4e2a8c1b0a9d8e7f6a5b"
EXAMPLE_TIME = "2026-07-15T08:30:00Z"
# Example values for fields whose name says what they hold (made up; the rest come from the type).
EXAMPLE_BY_NAME: dict[str, Any] = {
    "nip": "198703152010012001", "atasan_nip": "197501102000031002", "npsn": "20104567",
    "npsn_induk": "20104567", "npsn_lain": ["20104568"], "nik": "3273015503870001",
    "nuptk": "1234567890123456", "tanggal_lahir": "1987-03-15", "pns_id": "A8ACA7E2C6A73C8AE040640A0F0C1234",
    "email": "admin.instansi@belajar.id", "email_belajar_id": "guru.contoh@belajar.id",
    "email_belajar_id_lain": ["guru.contoh2@belajar.id"], "kepala_dinas_email_belajar_id": "kadis@belajar.id",
    "periode": "2026-1", "tahun": 2026, "jenjang": "SD", "status_kepegawaian": "pns", "jabatan": "guru",
    "status_keaktifan": "aktif", "status": "aktif", "versi": 1, "prioritas": 1,
}
# A string with a pattern needs an example matching it; a new pattern fails the generator until added here.
EXAMPLE_BY_PATTERN = {
    r"^[0-9a-f]{64}$": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    r"^\d{4}-[12]$": "2026-1",
}


def _message_name(topic: str) -> str:
    return "".join(part.title() for part in topic.replace("_", ".").split("."))


def example_from_schema(schema: dict[str, Any], defs: dict[str, Any], name: str = "") -> Any:
    """A valid instance of `schema`: the schema's own example when it has one, else every property
    filled from its type and limits (so the example shows the whole shape, optional fields too)."""
    if "$ref" in schema:
        return example_from_schema(defs[schema["$ref"][len(REF_PREFIX):]], defs, name)
    if schema.get("examples"):
        return copy.deepcopy(schema["examples"][0])
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example_from_schema(options[0], defs, name)
    kind = schema.get("type")
    if "pattern" in schema:
        if schema["pattern"] not in EXAMPLE_BY_PATTERN:
            raise ValueError(f"no example for pattern {schema['pattern']!r} ({name}): add it to EXAMPLE_BY_PATTERN")
        return EXAMPLE_BY_PATTERN[schema["pattern"]]
    if name in EXAMPLE_BY_NAME and kind != "object":
        return EXAMPLE_BY_NAME[name]
    if kind == "object":
        return {prop: example_from_schema(sub, defs, prop) for prop, sub in schema.get("properties", {}).items()}
    if kind == "array":
        return [example_from_schema(schema.get("items", {}), defs, name)]
    if kind == "boolean":
        return schema.get("default", True)
    if kind in ("integer", "number"):
        return max(schema.get("minimum", 1), 1)
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return EXAMPLE_TIME
        if fmt == "date":
            return EXAMPLE_TIME[:10]
        text = f"contoh-{name}" if name else "contoh"
        return text[: schema.get("maxLength", len(text))].ljust(schema.get("minLength", 0), "x")
    return None


def _headers(name: str, spec) -> dict[str, Any]:
    return {
        "type": "object", "description": "Pub/Sub attributes (CloudEvents Pub/Sub binary binding)",
        "required": ["ce-id", "ce-source", "ce-type", "ce-time", "ce-specversion"],
        "properties": {
            "ce-id": {"type": "string", "minLength": 1,
                      "description": "event id; the same on every re-publish, consumers deduplicate on it"},
            "ce-source": {"type": "string", "format": "uri-reference", "minLength": 1,
                          "description": "the producing system"},
            "ce-type": {"type": "string", "const": name},
            "ce-time": {"type": "string", "format": "date-time"},
            "ce-subject": {"type": "string"},
            "ce-specversion": {"type": "string", "const": SPEC_VERSION},
            "ce-dataschema": {"type": "string", "format": "uri",
                              "const": dataschema(name, spec.payload.SCHEMA_VERSION),
                              "description": "the payload schema and its version (absent: v1)"},
            "ce-traceparent": {"type": "string", "description": "W3C trace context of the request that "
                               "emitted the event (CloudEvents distributed tracing extension)"},
            "traceparent": {"type": "string", "description": "the same, for tracing-aware readers"},
            "content-type": {"type": "string", "const": "application/json"}}}


def asyncapi_document() -> dict[str, Any]:
    models = [(spec.payload, "validation") for spec in TOPICS.values()]
    keys, defs = models_json_schema(models, ref_template=REF_PREFIX + "{model}")
    schemas = defs.get("$defs", {})
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for name, spec in sorted(TOPICS.items()):
        message = _message_name(name)
        channel = name.replace(".", "_")
        payload = keys[(spec.payload, "validation")]
        example = spec.payload.model_validate(example_from_schema(payload, schemas)).model_dump(mode="json")
        messages[message] = {
            "name": message,
            "title": name,
            "summary": spec.description,
            "contentType": "application/json",
            "headers": _headers(name, spec),
            "payload": payload,
            "examples": [{
                "name": "contoh",
                "summary": f"A valid {name} message",
                "headers": {"ce-id": EXAMPLE_ID, "ce-source": f"{SOURCE_PREFIX}{spec.producer}",
                            "ce-type": name, "ce-time": EXAMPLE_TIME, "ce-specversion": SPEC_VERSION,
                            "ce-dataschema": dataschema(name, spec.payload.SCHEMA_VERSION),
                            "content-type": "application/json"},
                "payload": example}],
            "x-schema-version": spec.payload.SCHEMA_VERSION,
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
                                "each payload carries its source version so consumers keep the newest. "
                                "Schema changes follow docs/events.md: additive within a version, a "
                                "breaking change only as a new version."},
        "defaultContentType": "application/json",
        "servers": {"pubsub": {"host": "pubsub.googleapis.com", "protocol": "googlepubsub",
                               "description": "Google Cloud Pub/Sub"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


def render() -> str:
    return json.dumps(asyncapi_document(), indent=2, ensure_ascii=False) + "\n"


# What a payload schema may not change within a topic (docs/events.md): besides the field set and
# which fields are required, a field's type, format and limits. Wording and defaults may change.
_SHAPE_KEYS = ("type", "format", "const", "enum", "pattern", "maxLength", "minLength", "minimum", "maximum",
               "exclusiveMinimum", "exclusiveMaximum", "maxItems", "minItems")


def _deref(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = defs[node["$ref"][len(REF_PREFIX):]]
    return node


def _shape(node: dict[str, Any], defs: dict[str, Any]) -> Any:
    """A field's type and limits, comparable across documents (a model's class name is not part of it)."""
    node = _deref(node, defs)
    for key in ("anyOf", "oneOf"):
        if key in node:
            return (key, tuple(sorted(repr(_shape(n, defs)) for n in node[key])))
    if "allOf" in node and len(node["allOf"]) == 1:
        return _shape(node["allOf"][0], defs)
    if node.get("type") == "array":
        return ("array", _shape(node.get("items", {}), defs))
    return tuple((k, repr(node[k])) for k in _SHAPE_KEYS if k in node)


def _compare(old: dict[str, Any], new: dict[str, Any], old_defs: dict[str, Any], new_defs: dict[str, Any],
             path: str, out: list[str]) -> None:
    old, new = _deref(old, old_defs), _deref(new, new_defs)
    if _shape(old, old_defs) != _shape(new, new_defs):
        out.append(f"{path}: type changed")
        return
    if old.get("type") == "array":
        _compare(old.get("items", {}), new.get("items", {}), old_defs, new_defs, path + "[]", out)
    for key in ("anyOf", "oneOf"):
        if key in old:  # same shapes, so the members pair up by shape
            by_shape = {repr(_shape(n, new_defs)): n for n in new[key]}
            for member in old[key]:
                _compare(member, by_shape[repr(_shape(member, old_defs))], old_defs, new_defs, path, out)
    old_props, new_props = old.get("properties", {}), new.get("properties", {})
    for name in old_props:
        if name not in new_props:
            out.append(f"{path}.{name}: field removed")
        else:
            _compare(old_props[name], new_props[name], old_defs, new_defs, f"{path}.{name}", out)
    for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
        out.append(f"{path}.{name}: " + ("now required" if name in old_props else "new required field"))


def breaking_changes(old_doc: dict[str, Any], new_doc: dict[str, Any], retired: set[str] = frozenset()) -> list[str]:
    """What `new_doc` changes in a topic `old_doc` has, in a way that strands an older consumer or
    producer (docs/events.md). A new topic (e.g. `<topic>.v2`) and an optional field are fine."""
    def by_topic(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {m["title"]: m for m in doc["components"]["messages"].values()}

    old_messages, new_messages = by_topic(old_doc), by_topic(new_doc)
    old_defs, new_defs = old_doc["components"]["schemas"], new_doc["components"]["schemas"]
    out: list[str] = []
    for topic, old in sorted(old_messages.items()):
        new = new_messages.get(topic)
        if new is None:
            if topic not in retired:
                out.append(f"{topic}: topic removed (retire it only after its deprecation window: --retire {topic})")
            continue
        if new.get("x-schema-version", 1) != old.get("x-schema-version", 1):
            out.append(f"{topic}: SCHEMA_VERSION changed in place (older consumers would dead-letter it; "
                       f"publish a new topic {topic}.v{new.get('x-schema-version', 1)} instead)")
            continue
        _compare(old["payload"], new["payload"], old_defs, new_defs, topic, out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shared.asyncapi", description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help=f"write {DOCUMENT.name} into docs/")
    group.add_argument("--check", action="store_true", help="exit 1 when docs/asyncapi.json is stale")
    parser.add_argument("--retire", action="append", default=[], metavar="TOPIC",
                        help="a topic removed on purpose after its deprecation window (docs/events.md)")
    args = parser.parse_args(argv)
    text = render()
    current = DOCUMENT.read_text() if DOCUMENT.exists() else None
    breaks = breaking_changes(json.loads(current), json.loads(text), set(args.retire)) if current else []
    for line in breaks:
        print(f"breaking: {line}", file=sys.stderr)
    if breaks:
        print("not written: a breaking change needs a new topic version (docs/events.md)", file=sys.stderr)
        return 1
    if args.check:
        if current != text:
            print("stale: docs/asyncapi.json (run `make asyncapi` and commit it)", file=sys.stderr)
            return 1
        return 0
    if args.write:
        DOCUMENT.write_text(text)
        print(f"{'same ' if current == text else 'wrote'} docs/asyncapi.json")
        return 0
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
