"""Envelopes as Google delivers them (golden requests in tests/golden/), through functions-framework's
own raw-push conversion: an outbox event keeps its ce-id; a Cloud Scheduler tick (no ce-* attributes,
the same data every run) gets its identity from messageId + publishTime; any other shape is refused
with a log line naming it (raised: Pub/Sub retries, then dead-letters)."""
from __future__ import annotations

import base64
import json
import logging
from datetime import datetime, timedelta, timezone

import pytest
from cloudevents.http import CloudEvent

from shared.consumer import UndecodableEvent, decode_pubsub_cloud_event, decode_tick
from shared.events import make_event
from tests import golden

PROJECT = "demo-pmm-test"
SAPU = "jadwal.outbox.sapu"


def test_golden_templates_have_the_documented_push_shape():
    for name in ("pubsub_push_outbox", "pubsub_push_jadwal"):
        t = golden.template(name)
        assert t["method"] == "POST" and t["path"].startswith("/projects/") and "/topics/" in t["path"]
        assert t["headers"]["Authorization"].startswith("Bearer ey")
        assert t["headers"]["Content-Type"] == "application/json"
        body = t["body"]
        assert set(body) == {"message", "subscription", "deliveryAttempt"}
        assert body["subscription"].startswith("projects/") and "/subscriptions/" in body["subscription"]
        assert set(body["message"]) == {"data", "attributes", "messageId", "message_id", "publishTime",
                                        "publish_time"}
        base64.b64decode(body["message"]["data"], validate=True)


def test_golden_tick_is_what_the_scheduler_job_deploys():
    """The tick template's data and attributes are the sweeper job's, byte for byte: drift shows here."""
    job = golden.scheduler_jobs()[SAPU]
    message = golden.template("pubsub_push_jadwal")["body"]["message"]
    assert base64.b64decode(message["data"]).decode() == job["data"]
    assert message["attributes"] == job["attributes"]
    assert not [k for k in message["attributes"] if k.startswith("ce-")]


def test_outbox_event_keeps_its_ce_id_through_functions_framework():
    event = make_event("karya", SAPU, golden_tick_payload())
    ce = golden.to_cloud_event(golden.outbox_push(event, "karya_sapu_outbox", PROJECT))
    assert ce["type"] == "google.cloud.pubsub.topic.v1.messagePublished"
    assert ce["source"] == f"//pubsub.googleapis.com/projects/{PROJECT}/topics/{SAPU}"
    back = decode_pubsub_cloud_event(ce, SAPU)
    assert back.id == event.id and back.data == event.data


def golden_tick_payload():
    from shared.contracts.platform import JadwalTick

    return JadwalTick(jadwal=SAPU)


def test_tick_identity_is_per_delivery_not_per_job():
    """Every run of a job publishes the same data and attributes: without messageId + publishTime every
    tick after the first would be a duplicate. A redelivery of one message keeps its identity."""
    now = datetime.now(timezone.utc)
    first = golden.to_cloud_event(golden.jadwal_push(SAPU, "karya_sapu_outbox", PROJECT, "111", now))
    again = golden.to_cloud_event(golden.jadwal_push(SAPU, "karya_sapu_outbox", PROJECT, "111", now))
    nxt = golden.to_cloud_event(golden.jadwal_push(SAPU, "karya_sapu_outbox", PROJECT, "112",
                                                   now + timedelta(minutes=1)))
    a, b, c = (decode_pubsub_cloud_event(e, SAPU) for e in (first, again, nxt))
    assert a.id == b.id != c.id
    assert a.time == now.replace(microsecond=now.microsecond // 1000 * 1000)
    assert a.type == SAPU and a.data.jadwal == SAPU and a.data.periode_detik == 60


def test_tick_older_than_its_period_is_skipped_and_a_fresh_one_runs():
    now = datetime.now(timezone.utc)
    fresh = golden.to_cloud_event(golden.jadwal_push(SAPU, "karya_sapu_outbox", PROJECT, "1", now))
    late = golden.to_cloud_event(golden.jadwal_push(SAPU, "karya_sapu_outbox", PROJECT, "2",
                                                    now - timedelta(seconds=61)))
    assert decode_tick(fresh, SAPU) is not None
    assert decode_tick(late, SAPU) is None
    daily = golden.to_cloud_event(golden.jadwal_push("jadwal.sinkro.harian", "sinkro_on_jadwal_harian", PROJECT,
                                                     "3", now - timedelta(hours=5)))
    assert decode_tick(daily, "jadwal.sinkro.harian") is not None  # within its day


def _push(data: bytes | None, attributes: dict | None, topic="referensi.ptk.diperbarui", **message) -> CloudEvent:
    body = {"messageId": "9", "publishTime": "2026-12-03T01:00:00Z"} | message
    if data is not None:
        body["data"] = base64.b64encode(data).decode()
    if attributes is not None:
        body["attributes"] = attributes
    return CloudEvent({"type": "google.cloud.pubsub.topic.v1.messagePublished",
                       "source": f"//pubsub.googleapis.com/projects/{PROJECT}/topics/{topic}"}, {"message": body})


@pytest.mark.parametrize("name, cloud_event, topic", [
    ("a scheduler-shaped message on an event topic", _push(b'{"jadwal": "x"}', {"pmm-produsen": "cloud-scheduler"}),
     "referensi.ptk.diperbarui"),
    ("attributes only, no ce-*", _push(None, {"kunci": "nilai"}), "referensi.ptk.diperbarui"),
    ("data not base64", CloudEvent({"type": "x", "source": "//y"}, {"message": {"data": "%%%", "messageId": "1"}}),
     "referensi.ptk.diperbarui"),
    ("no message", CloudEvent({"type": "x", "source": "//y"}, {"pesan": {}}), "referensi.ptk.diperbarui"),
    ("data a string", CloudEvent({"type": "x", "source": "//y"}, "teks"), SAPU),
    ("a tick whose data is not a tick", _push(b'[1, 2]', {}, topic=SAPU), SAPU),
    ("a tick without publishTime", CloudEvent({"type": "x", "source": "//y", "time": None},
                                              {"message": {"data": "e30=", "messageId": "1"}}), SAPU),
])
def test_unknown_envelope_raises_with_a_log_line_naming_its_shape(name, cloud_event, topic, caplog):
    with caplog.at_level(logging.ERROR), pytest.raises(UndecodableEvent) as err:
        decode_pubsub_cloud_event(cloud_event, topic)
    assert "envelope:" in str(err.value)
    lines = [r for r in caplog.records if "undecodable delivery" in r.getMessage()]
    assert lines, name
    assert getattr(lines[0], "bentuk", "") and getattr(lines[0], "topic", "") == topic


def test_the_log_line_and_the_error_name_keys_and_reasons_never_values(caplog):
    nip = "198503142010011001"
    with caplog.at_level(logging.ERROR), pytest.raises(UndecodableEvent) as tick:  # tick data fails validation
        decode_pubsub_cloud_event(_push(json.dumps({"jadwal": {"nip": nip}}).encode(), {}, topic=SAPU), SAPU)
    with caplog.at_level(logging.ERROR), pytest.raises(UndecodableEvent) as event:  # a value in a ce-* attribute
        decode_pubsub_cloud_event(_push(b"{}", {"ce-nip": nip}), "referensi.ptk.diperbarui")
    logged = " ".join(f"{getattr(r, 'bentuk', '')} {getattr(r, 'alasan', '')}" for r in caplog.records)
    assert "jadwal" in logged and "ce-nip" in logged
    assert nip not in logged and nip not in str(tick.value) and nip not in str(event.value)
    assert tick.value.__cause__ is None and tick.value.__suppress_context__  # no chained traceback with values
