"""The AsyncAPI document covers every registered topic and consumer, with resolvable schemas."""
from shared.asyncapi import asyncapi_document
from shared.contracts import SUBSCRIPTIONS, TOPICS


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
