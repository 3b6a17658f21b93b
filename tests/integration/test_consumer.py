"""The consumer helper against the real Firestore emulator: one effect per event id, late events
applied (versions decide, age never drops state), stale scheduler ticks skipped, malformed ones
raised (so Pub/Sub dead-letters them)."""
from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest
from cloudevents.http import CloudEvent

from shared.consumer import UndecodableEvent, consume
from shared.events import Event, EventPayload, make_event
from shared.firestore import UnitOfWork
from tests.support import pull_all, push_cloud_event

pytestmark = pytest.mark.integration
TOPIC = "uji.catatan.dibuat"


class CatatanDibuat(EventPayload):
    catatan_id: str


def effect(tx, event):
    ref = tx.ref("hitungan", "semua")
    current = tx.get(ref) or {"n": 0}
    tx.set(ref, {"n": current["n"] + 1, "terakhir": event.data.catatan_id})


def run(db, cloud_event, max_age=timedelta(days=1)):
    return consume(cloud_event, topic=TOPIC, consumer="umpan_balik_uji", uow=UnitOfWork(db, "umpan_balik"),
                   effect=effect, max_age=max_age, payload=CatatanDibuat)


def count(db):
    snap = db.collection("umpan_balik__hitungan").document("semua").get()
    return snap.to_dict()["n"] if snap.exists else 0


def test_duplicate_delivery_takes_effect_once(db):
    event = make_event("karya", TOPIC, CatatanDibuat(catatan_id="c1"))
    assert run(db, push_cloud_event(event)) == "diproses"
    assert run(db, push_cloud_event(event)) == "duplikat"
    assert count(db) == 1
    other = make_event("karya", TOPIC, CatatanDibuat(catatan_id="c2"))
    assert run(db, push_cloud_event(other)) == "diproses" and count(db) == 2


def test_event_older_than_max_age_is_applied_not_dropped(db):
    """Age alone never drops a state event (versions decide which state wins); before, it was acked
    as `kedaluwarsa` and lost."""
    old = Event[CatatanDibuat](source="//x/karya", type=TOPIC, data=CatatanDibuat(catatan_id="lama"),
                               time=datetime.now(timezone.utc) - timedelta(days=2))
    assert run(db, push_cloud_event(old)) == "diproses"
    assert count(db) == 1


def test_tick_older_than_its_period_is_skipped_a_fresh_one_runs_once(db):
    from shared.contracts.platform import JadwalTick

    uow = UnitOfWork(db, "umpan_balik")

    def tick(minutes_ago: float):
        return Event[JadwalTick](source="//pubsub.googleapis.com/projects/p/topics/jadwal.outbox.sapu",
                                 type="jadwal.outbox.sapu", data=JadwalTick(jadwal="jadwal.outbox.sapu", periode_detik=60),
                                 time=datetime.now(timezone.utc) - timedelta(minutes=minutes_ago))

    def tick_effect(tx, event):
        ref = tx.ref("hitungan", "semua")
        tx.set(ref, {"n": (tx.get(ref) or {"n": 0})["n"] + 1})

    def go(event):
        return consume(push_cloud_event(event), topic="jadwal.outbox.sapu", consumer="umpan_balik_uji_tick",
                       uow=uow, effect=tick_effect, max_age=timedelta(days=3))

    assert go(tick(2)) == "kedaluwarsa" and count(db) == 0
    fresh = tick(0)
    assert go(fresh) == "diproses" and go(fresh) == "duplikat" and count(db) == 1


def test_malformed_message_raises_for_retry_and_dead_letter(db):
    event = make_event("karya", TOPIC, CatatanDibuat(catatan_id="c1"))
    broken = push_cloud_event(event)
    broken.data["message"]["data"] = "bm90IGpzb24="  # "not json"
    with pytest.raises(UndecodableEvent):
        run(db, broken)
    assert count(db) == 0


def test_failing_effect_leaves_no_ledger_entry_so_a_retry_can_succeed(db):
    event = make_event("karya", TOPIC, CatatanDibuat(catatan_id="c1"))
    calls = {"n": 0}

    def flaky(tx, ev):
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("sementara")
        effect(tx, ev)

    uow = UnitOfWork(db, "umpan_balik")
    with pytest.raises(ConnectionError):
        consume(push_cloud_event(event), topic=TOPIC, consumer="c", uow=uow, effect=flaky,
                max_age=timedelta(days=1), payload=CatatanDibuat)
    assert consume(push_cloud_event(event), topic=TOPIC, consumer="c", uow=uow, effect=flaky,
                   max_age=timedelta(days=1), payload=CatatanDibuat) == "diproses"
    assert count(db) == 1



# --- drill: a 4-day outage, then the backlog and the dead letters are replayed: 0 lost
def test_drill_outage_of_four_days_then_replay_loses_nothing(db, pubsub, topic_with_pull):
    """Events written during an outage wait 4 days (event time and outbox `dibuat` shifted back): the
    sweeper publishes the outbox backlog, a dead letter is replayed from its 7-day subscription, and
    every one of them takes effect exactly once (a second replay changes nothing)."""
    from shared.firestore import collection_name
    from shared.outbox import PubSubOutbox
    from tests.integration.conftest import PROJECT

    publisher, subscriber = pubsub
    topic, pull = topic_with_pull
    empat_hari_lalu = datetime.now(timezone.utc) - timedelta(days=4)
    events = [Event[CatatanDibuat](source="//pmm.kemdikbud.go.id/karya", type=topic,
                                   data=CatatanDibuat(catatan_id=f"c{i}"), time=empat_hari_lalu) for i in range(5)]
    backlog, dead_letter = events[:4], events[4]
    outbox = db.collection(collection_name("karya", "outbox"))
    for e in backlog:  # committed 4 days ago; the publish after commit never happened (outage)
        data, attributes = e.to_pubsub()
        outbox.document(e.id).set({"topic": topic, "data": data.decode(), "attributes": attributes,
                                   "dibuat": empat_hari_lalu})
    swept = PubSubOutbox(db, PROJECT).sweep("karya", timedelta(seconds=30), limit=3)  # one tick, two pages
    assert swept == {"ditemukan": 4, "diterbitkan": 4}
    assert list(outbox.stream()) == []
    data, attributes = dead_letter.to_pubsub()  # replayed from the dead-letter subscription on day 4
    publisher.publish(publisher.topic_path(PROJECT, topic), data, **attributes).result(30)
    delivered = pull_all(subscriber, pull, expect=5)
    assert len(delivered) == 5

    uow = UnitOfWork(db, "umpan_balik")

    def deliver(m):
        push = CloudEvent({"type": "google.cloud.pubsub.topic.v1.messagePublished",
                           "source": f"//pubsub.googleapis.com/projects/{PROJECT}/topics/{topic}"},
                          {"message": {"data": base64.b64encode(m.message.data).decode(),
                                       "attributes": dict(m.message.attributes), "messageId": m.message.message_id,
                                       "publishTime": m.message.publish_time.isoformat()}})
        return consume(push, topic=topic, consumer="umpan_balik_uji", uow=uow, effect=effect,
                       max_age=timedelta(days=3), payload=CatatanDibuat)

    assert [deliver(m) for m in delivered] == ["diproses"] * 5
    assert count(db) == 5  # lost = 0
    assert [deliver(m) for m in delivered] == ["duplikat"] * 5  # replayed again: doubled = 0
    assert count(db) == 5
