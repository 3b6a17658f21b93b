"""`make replay` (tools/replay.py) on the Pub/Sub emulator, with the dead-letter queues the local cloud
provisions under the names Terraform deploys: a dry run changes nothing, a replay republishes each
parked message once to its original topic (data and attributes as published) and acks it, a second
replay finds nothing, and `--sampai` leaves later messages parked."""
from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

import pytest

from local.cloud import provision_pubsub
from tests.integration.conftest import PROJECT
from tools import replay

pytestmark = pytest.mark.integration

FUNCTION = "karya_on_umpan_balik_dikirim"


@pytest.fixture
def dlq(pubsub):
    """(the dead-letter queue of FUNCTION, a fresh pull subscription on its original topic), the queue empty."""
    publisher, subscriber = pubsub
    provision_pubsub(PROJECT, None)
    (target,) = replay.pilih(f"{FUNCTION}.dlq.sub", replay.antrean())
    assert target.topic == "umpan_balik.umpan_balik.dikirim"  # from infra/generated/messaging.json
    _drain(subscriber, subscriber.subscription_path(PROJECT, target.subscription))
    watch = subscriber.create_subscription(request={
        "name": subscriber.subscription_path(PROJECT, f"uji.replay.{os.urandom(3).hex()}"),
        "topic": publisher.topic_path(PROJECT, target.topic)}).name
    yield target, watch
    subscriber.delete_subscription(request={"subscription": watch})


def _pull(subscriber, sub: str, ack: bool = True) -> list:
    got = []
    for _ in range(3):  # the emulator may answer a pull empty while a message is on its way
        resp = subscriber.pull(request={"subscription": sub, "max_messages": 50}, timeout=5)
        got += list(resp.received_messages)
        if resp.received_messages and ack:
            subscriber.acknowledge(request={"subscription": sub, "ack_ids": [r.ack_id for r in resp.received_messages]})
    return got


def _drain(subscriber, sub: str) -> None:
    _pull(subscriber, sub)


def _park(publisher, target, n: int) -> list[tuple[bytes, dict[str, str]]]:
    """What Pub/Sub forwards after max delivery attempts: the original data and attributes plus its own."""
    sent = []
    for i in range(n):
        data = f'{{"umpan_balik_id": "u{i}"}}'.encode()
        attrs = {"ce-id": f"ev-{os.urandom(4).hex()}", "ce-type": "umpan_balik.umpan_balik.dikirim",
                 "ce-source": "//pmm/umpan_balik", "ce-specversion": "1.0"}
        publisher.publish(publisher.topic_path(PROJECT, target.subscription.removesuffix(".sub")), data,
                          CloudPubSubDeadLetterSourceSubscription=f"{FUNCTION}.push",
                          CloudPubSubDeadLetterSourceDeliveryCount="10", **attrs).result(timeout=30)
        sent.append((data, attrs))
    return sent


def test_dry_run_changes_nothing_then_replay_republishes_each_once_and_acks_it(pubsub, dlq):
    publisher, subscriber = pubsub
    target, watch = dlq
    sent = _park(publisher, target, 2)

    kering = replay.replay(PROJECT, [target], dry_run=True)
    assert sorted(kering.ids) == sorted(a["ce-id"] for _, a in sent)
    assert kering.per_topic_type == {(target.topic, "umpan_balik.umpan_balik.dikirim"): 2}
    assert _pull(subscriber, watch) == []  # nothing published

    laporan = replay.replay(PROJECT, [target])  # the dry run left both parked and not leased
    assert sorted(laporan.ids) == sorted(a["ce-id"] for _, a in sent) and not laporan.gagal

    got = _pull(subscriber, watch)
    assert sorted((r.message.data, dict(r.message.attributes)) for r in got) == \
        sorted((d, a) for d, a in sent)  # once each, as first published (Pub/Sub's DLQ attributes dropped)

    again = replay.replay(PROJECT, [target])
    assert again.jumlah == 0 and again.ids == []
    assert _pull(subscriber, watch) == []


def test_sampai_leaves_later_messages_parked(pubsub, dlq):
    publisher, subscriber = pubsub
    target, watch = dlq
    _park(publisher, target, 1)

    before = replay.replay(PROJECT, [target], sampai=datetime.now(timezone.utc) - timedelta(hours=1))
    assert before.jumlah == 0 and before.dilewati_sampai == 1
    assert _pull(subscriber, watch) == []

    after = replay.replay(PROJECT, [target], sampai=datetime.now(timezone.utc) + timedelta(hours=1))
    assert after.jumlah == 1
    assert len(_pull(subscriber, watch)) == 1

