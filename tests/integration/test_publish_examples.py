"""The sample publishers an inbound system copies (examples/publish_<system>.py) publish, on the
Pub/Sub emulator, a message the consuming functions' decoder accepts."""
from __future__ import annotations

import base64
import os

import pytest
from cloudevents.http import CloudEvent
from google.api_core.exceptions import AlreadyExists

from shared.consumer import decode_pubsub_cloud_event
from shared.contracts import SUBSCRIPTIONS, TOPICS
from tests.integration.conftest import PROJECT
from tests.support import example_module, pull_all

SYSTEMS = ["publish_dapodik", "publish_siasn", "publish_rapor_pendidikan", "publish_ekinerja"]


def _as_push(received) -> CloudEvent:
    """The CloudEvent functions-framework builds from a Pub/Sub push of a pulled message."""
    m = received.message
    return CloudEvent({"type": "google.cloud.pubsub.topic.v1.messagePublished",
                       "source": f"//pubsub.googleapis.com/projects/{PROJECT}/topics/x"},
                      {"message": {"data": base64.b64encode(m.data).decode(), "attributes": dict(m.attributes),
                                   "messageId": m.message_id,
                                   "publishTime": m.publish_time.isoformat().replace("+00:00", "Z")}})


@pytest.mark.parametrize("name", SYSTEMS)
def test_sample_publisher_message_is_accepted_by_the_consumers(name, pubsub):
    module = example_module(name)
    assert module.TOPIC in TOPICS and TOPICS[module.TOPIC].producer.startswith("eksternal:")
    assert any(s.topic == module.TOPIC for s in SUBSCRIPTIONS), "a topic nobody consumes"
    publisher, subscriber = pubsub
    topic_path = publisher.topic_path(PROJECT, module.TOPIC)
    try:
        publisher.create_topic(name=topic_path)
    except AlreadyExists:
        pass
    sub = subscriber.create_subscription(request={
        "name": subscriber.subscription_path(PROJECT, f"uji.{name}.{os.urandom(3).hex()}"), "topic": topic_path}).name
    try:
        message_id = module.main(["--project", PROJECT])
        [received] = pull_all(subscriber, sub, expect=1)
        assert received.message.message_id == message_id
        attrs = dict(received.message.attributes)
        assert {"ce-id", "ce-source", "ce-type", "ce-time", "ce-specversion", "ce-dataschema", "content-type"} <= set(attrs)
        assert attrs["ce-type"] == module.TOPIC and attrs["ce-dataschema"].startswith("https://")
        event = decode_pubsub_cloud_event(_as_push(received), module.TOPIC)
        assert event.id == attrs["ce-id"] and event.type == module.TOPIC
        assert event.data.model_dump(mode="json", include=set(module.build_payload())) == module.build_payload()
    finally:
        subscriber.delete_subscription(request={"subscription": sub})


def test_an_invalid_payload_is_refused_before_anything_is_published(pubsub):
    import jsonschema

    dapodik = example_module("publish_dapodik")
    publisher, _ = pubsub
    payload = dapodik.build_payload() | {"versi": -1}
    with pytest.raises(jsonschema.ValidationError, match="-1"):
        example_module("pmm_publish").publish(PROJECT, dapodik.TOPIC, payload, dapodik.SOURCE, publisher=publisher)
