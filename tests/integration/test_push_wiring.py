"""The wiring end to end: an event committed through the unit of work reaches a
CloudEvent function (real functions-framework, real shared consumer) through a
real emulator push subscription; delivered twice it takes effect once; a
message that always fails ends in its dead-letter topic."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from google.protobuf import duration_pb2
from google.pubsub_v1.types import DeadLetterPolicy, PushConfig, RetryPolicy

from local.cloud import ROOT, Ports, _answers
from shared.events import make_event
from shared.firestore import UnitOfWork
from shared.outbox import PubSubOutbox
from tests.integration.probe.main import TOPIC, ProbeDikirim
from tests.support import Firestores, pull_all, wait_until

pytestmark = pytest.mark.integration
PROJECT = "demo-pmm-test"


@pytest.fixture(scope="module")
def probe_server(cloud, tmp_path_factory):
    port = Ports.free().gateway
    env = os.environ | cloud.platform_env() | {"PMM_SERVICE": "umpan_balik", "GOOGLE_CLOUD_PROJECT": PROJECT,
                                               "PYTHONPATH": str(ROOT), "WORKERS": "1", "THREADS": "4"}
    log = tmp_path_factory.mktemp("probe") / "probe.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "local.host", "--service", "umpan_balik", "--port", str(port),
                                 "--source", str(Path(__file__).parent / "probe" / "main.py"),
                                 "--events", "probe_catat,probe_selalu_gagal"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_until(lambda: _answers(f"tcp://127.0.0.1:{port}") or proc.poll() is not None, 60, what="probe server")
        assert proc.poll() is None, log.read_text()
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(10)


FAILING_TOPIC = "uji.probe.gagal"


@pytest.fixture(scope="module")
def wiring(pubsub, probe_server):
    """Push subscriptions as the local cloud makes them. The always-failing function gets
    its own topic: the emulator stalls its push loop when several messages of one topic
    are dead-lettered at once, which only this deliberately broken consumer would cause."""
    publisher, subscriber = pubsub
    made = {}
    for function, topic_name in (("probe_catat", TOPIC), ("probe_selalu_gagal", FAILING_TOPIC)):
        topic = publisher.create_topic(name=publisher.topic_path(PROJECT, topic_name)).name
        dlq = publisher.create_topic(name=publisher.topic_path(PROJECT, f"{function}.dlq")).name
        made[function + ".dlq"] = subscriber.create_subscription(request={
            "name": subscriber.subscription_path(PROJECT, f"{function}.dlq.sub"), "topic": dlq}).name
        subscriber.create_subscription(request={
            "name": subscriber.subscription_path(PROJECT, f"{function}.push"), "topic": topic,
            "push_config": PushConfig(push_endpoint=f"{probe_server}/_ce/{function}/projects/{PROJECT}/topics/{topic_name}"),
            "retry_policy": RetryPolicy(minimum_backoff=duration_pb2.Duration(seconds=1),
                                        maximum_backoff=duration_pb2.Duration(seconds=2)),
            "dead_letter_policy": DeadLetterPolicy(dead_letter_topic=dlq, max_delivery_attempts=5)})
    return made


def probe_count(db):
    # the probe host runs as umpan_balik: its effects land in umpan_balik's own database
    snap = Firestores(PROJECT).collection("umpan_balik__probe").document("hitungan").get()
    return snap.to_dict() if snap.exists else {"n": 0, "nomor": []}


def test_committed_event_reaches_the_consumer_once_even_when_delivered_twice(db, wiring, pubsub):
    uow = UnitOfWork(db, "karya", PubSubOutbox(db, PROJECT))
    first = make_event("karya", TOPIC, ProbeDikirim(nomor=1))
    uow.run(lambda tx: tx.emit(first))
    wait_until(lambda: probe_count(db)["n"] == 1, 30, what="first effect")

    # The same event published again (as the sweeper would after a lost ack): no second effect.
    data, attributes = first.to_pubsub()
    pubsub[0].publish(pubsub[0].topic_path(PROJECT, TOPIC), data, **attributes).result()
    second = make_event("karya", TOPIC, ProbeDikirim(nomor=2))
    uow.run(lambda tx: tx.emit(second))
    wait_until(lambda: probe_count(db)["n"] >= 2, 30, what="second effect")
    assert probe_count(db) == {"n": 2, "nomor": [1, 2]}


def test_message_that_always_fails_ends_in_its_dead_letter_topic(db, wiring, pubsub):
    event = make_event("karya", FAILING_TOPIC, ProbeDikirim(nomor=99))
    UnitOfWork(db, "karya", PubSubOutbox(db, PROJECT)).run(lambda tx: tx.emit(event))
    dead = pull_all(pubsub[1], wiring["probe_selalu_gagal.dlq"], expect=1, timeout=60)
    assert len(dead) == 1
    assert dead[0].message.attributes["ce-id"] == event.id
    assert int(dead[0].message.attributes["CloudPubSubDeadLetterSourceDeliveryCount"]) == 5
