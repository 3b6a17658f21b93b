"""The event envelope round-trips through the Pub/Sub binding; the registry is consistent."""
import base64

import pytest
from cloudevents.http import CloudEvent

from shared.consumer import UndecodableEvent, decode_pubsub_cloud_event
from shared.contracts import SUBSCRIPTIONS, TOPICS, dead_letter_topic, subscription_id
from shared.contracts.platform import JadwalTick
from shared.events import Event, make_event


def push_cloud_event(data: bytes, attributes: dict) -> CloudEvent:
    return CloudEvent({"type": "google.cloud.pubsub.topic.v1.messagePublished",
                       "source": "//pubsub.googleapis.com/projects/demo/topics/jadwal.outbox.sapu"},
                      {"message": {"data": base64.b64encode(data).decode(), "attributes": attributes,
                                   "messageId": "1"}})


def test_event_round_trips_through_pubsub_attributes():
    event = make_event("karya", "jadwal.outbox.sapu", JadwalTick(jadwal="uji"), subject="karya/123")
    data, attributes = event.to_pubsub()
    assert attributes["ce-type"] == "jadwal.outbox.sapu" and attributes["ce-dataschema"] == (
        "https://guru.pmm.kemdikbud.go.id/skema/jadwal.outbox.sapu/v1")
    # what consumers deployed before the URI form do with it (shared/events.py until then): still v1
    older_reading = attributes["ce-dataschema"].rsplit("/v", 1)[-1]
    assert older_reading.isdigit() and int(older_reading) == 1
    assert attributes["ce-source"] == "//pmm.kemdikbud.go.id/karya"
    back = decode_pubsub_cloud_event(push_cloud_event(data, attributes), "jadwal.outbox.sapu")
    assert back == event


def test_newer_schema_version_than_consumer_knows_is_undecodable():
    event = make_event("karya", "jadwal.outbox.sapu", JadwalTick(jadwal="uji"))
    data, attributes = event.to_pubsub()
    attributes["ce-dataschema"] = "https://guru.pmm.kemdikbud.go.id/skema/jadwal.outbox.sapu/v2"
    with pytest.raises(UndecodableEvent):
        decode_pubsub_cloud_event(push_cloud_event(data, attributes), "jadwal.outbox.sapu")


@pytest.mark.parametrize("schema", ["jadwal.outbox.sapu/v1", "", "https://x.example/skema/jadwal.outbox.sapu/v1.json"])
def test_older_and_absent_dataschema_forms_still_decode(schema):
    """Messages published before the URI form (`<topic>/v1`, still in outboxes and dead letters) decode."""
    event = make_event("karya", "jadwal.outbox.sapu", JadwalTick(jadwal="uji"))
    data, attributes = event.to_pubsub()
    attributes["ce-dataschema"] = schema
    assert decode_pubsub_cloud_event(push_cloud_event(data, attributes), "jadwal.outbox.sapu") == event


def test_unreadable_dataschema_is_undecodable():
    data, attributes = make_event("karya", "jadwal.outbox.sapu", JadwalTick(jadwal="uji")).to_pubsub()
    attributes["ce-dataschema"] = "https://guru.pmm.kemdikbud.go.id/skema/jadwal.outbox.sapu/terbaru.json"
    with pytest.raises(UndecodableEvent):
        decode_pubsub_cloud_event(push_cloud_event(data, attributes), "jadwal.outbox.sapu")


@pytest.mark.parametrize("mutate", [
    lambda d, a: (b"{not json", a),
    lambda d, a: (d, {k: v for k, v in a.items() if k != "ce-id"}),
    lambda d, a: (d, a | {"ce-type": "lain.topik.lain"}),
])
def test_malformed_messages_are_undecodable(mutate):
    data, attributes = make_event("karya", "jadwal.outbox.sapu", JadwalTick(jadwal="x")).to_pubsub()
    data, attributes = mutate(data, dict(attributes))
    with pytest.raises(UndecodableEvent):
        decode_pubsub_cloud_event(push_cloud_event(data, attributes), "jadwal.outbox.sapu")


def test_payload_ignores_unknown_fields_from_a_newer_producer():
    data = b'{"jadwal": "x", "kolom_baru": 1}'
    _, attributes = make_event("karya", "jadwal.outbox.sapu", JadwalTick(jadwal="x")).to_pubsub()
    event = Event.from_pubsub(JadwalTick, data, attributes)
    assert event.data.jadwal == "x"


def test_registry_names_follow_the_convention_and_every_subscription_has_a_dlq():
    for name in TOPICS:
        assert len(name.split(".")) == 3, name
    functions = [s.function for s in SUBSCRIPTIONS]
    assert len(functions) == len(set(functions)), "function names must be unique across services"
    for spec in SUBSCRIPTIONS:
        assert spec.topic in TOPICS
        assert dead_letter_topic(spec) != spec.topic and subscription_id(spec).startswith(spec.function)
