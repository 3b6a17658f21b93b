"""The AsyncAPI document covers every registered topic and consumer, with resolvable schemas."""
import pytest

from shared.asyncapi import asyncapi_document
from shared.contracts import SUBSCRIPTIONS, TOPICS
from tests.support import example_module


def _resolve(doc, ref):
    node = doc
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def test_every_topic_is_a_channel_with_a_resolvable_payload():
    doc = asyncapi_document()
    addresses = {c["address"] for c in doc["channels"].values()}
    assert addresses == set(TOPICS)
    for message in doc["components"]["messages"].values():
        payload = message["payload"]
        schema = _resolve(doc, payload["$ref"]) if "$ref" in payload else payload
        assert schema["type"] == "object" and schema["properties"]
        assert message["headers"]["properties"]["ce-type"]["const"] == message["title"]


def test_every_subscription_is_a_receive_operation():
    doc = asyncapi_document()
    receives = {name for name, op in doc["operations"].items() if op["action"] == "receive"}
    assert receives == {s.function for s in SUBSCRIPTIONS}


def test_every_message_has_an_example_valid_against_its_schemas():
    import jsonschema

    payload_schema = example_module("pmm_publish").topic_schema
    doc = asyncapi_document()
    for message in doc["components"]["messages"].values():
        assert message["examples"], message["name"]
        for example in message["examples"]:
            jsonschema.validate(example["headers"], message["headers"],
                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            jsonschema.validate(example["payload"], payload_schema(doc, message["title"]),
                                format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
            TOPICS[message["title"]].payload.model_validate(example["payload"])


def test_an_invalid_example_is_caught_by_the_schema():
    import jsonschema

    payload_schema = example_module("pmm_publish").topic_schema
    doc = asyncapi_document()
    example = dict(doc["components"]["messages"]["ReferensiPtkDiperbarui"]["examples"][0]["payload"])
    del example["ptk_id"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(example, payload_schema(doc, "referensi.ptk.diperbarui"))


def test_dataschema_is_an_absolute_uri_naming_topic_and_version():
    from urllib.parse import urlsplit

    doc = asyncapi_document()
    for message in doc["components"]["messages"].values():
        uri = message["headers"]["properties"]["ce-dataschema"]["const"]
        parts = urlsplit(uri)
        assert parts.scheme == "https" and parts.netloc, uri
        assert parts.path.endswith(f"/{message['title']}/v{message['x-schema-version']}"), uri
