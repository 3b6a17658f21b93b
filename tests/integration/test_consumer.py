"""The consumer helper against the real Firestore emulator: one effect per event id,
old events dropped, malformed ones raised (so Pub/Sub dead-letters them)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from shared.consumer import UndecodableEvent, consume
from shared.events import Event, EventPayload, make_event
from shared.firestore import UnitOfWork
from tests.support import push_cloud_event

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


def test_event_older_than_max_age_is_dropped_without_effect(db):
    old = Event[CatatanDibuat](source="//x/karya", type=TOPIC, data=CatatanDibuat(catatan_id="lama"),
                               time=datetime.now(timezone.utc) - timedelta(days=2))
    assert run(db, push_cloud_event(old)) == "kedaluwarsa"
    assert count(db) == 0


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

