"""The whole local stack: every API answers under one base URL, tokens are
verified on the real path, and the scheduled sweeper in a real service
function heals a crash between commit and publish (through real push)."""
from __future__ import annotations

import http.client
import time
from datetime import datetime, timezone

import pytest
from google.cloud import pubsub_v1

from shared.contracts.platform import JadwalTick
from shared.events import EventPayload, make_event
from shared.firestore import UnitOfWork
from tests.support import Firestores, pull_all

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("slug", ["karya", "umpan-balik", "kinerja", "sinkro"])
def test_every_service_answers_health_and_openapi_under_one_base_url(as_user, slug):
    anonymous = as_user()
    health = anonymous.get(f"/v1/{slug}/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    ready = anonymous.get(f"/v1/{slug}/siap")
    assert ready.status_code == 200 and ready.json()["status"] == "siap"  # reached the Firestore emulator
    doc = anonymous.get(f"/v1/{slug}/openapi.json").json()
    assert doc["openapi"].startswith("3.") and f"/v1/{slug}/health" in doc["paths"]


def test_unknown_service_is_problem_json(as_user):
    r = as_user().get("/v1/toko/health")
    assert r.status_code == 404 and r.headers["Content-Type"] == "application/problem+json"


def test_a_client_idle_longer_than_gunicorns_default_keeps_its_connection(stack):
    """A browser or a load generator idles between requests; the gateway must not close its keep-alive
    connection after gunicorn's default 2 s (a close racing the next request fails it). The second
    request after 3 s on the same socket, then a third after the gateway's own upstream connection
    sat idle, both answer 200."""
    conn = http.client.HTTPConnection("127.0.0.1", stack.ports.gateway, timeout=10)
    try:
        sockets = set()
        for _ in range(3):
            conn.request("GET", "/v1/karya/health")  # http.client never reconnects a socket the server closed
            answer = conn.getresponse()
            assert answer.status == 200 and answer.read()
            sockets.add(id(conn.sock))
            time.sleep(3)
        assert len(sockets) == 1
    finally:
        conn.close()


class UjiDikirim(EventPayload):
    nomor: int


def test_sweeper_function_publishes_what_a_crash_left_in_the_outbox(stack):
    project = stack.project
    publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
    topic = publisher.create_topic(name=publisher.topic_path(project, "uji.e2e.sapu")).name
    sub = subscriber.create_subscription(request={"name": subscriber.subscription_path(project, "uji.e2e.sapu.sub"),
                                                  "topic": topic}).name
    db = Firestores(project).of("kinerja")  # the database kinerja's functions use

    def crash():
        raise SystemExit("mati setelah commit")

    event = make_event("kinerja", "uji.e2e.sapu", UjiDikirim(nomor=7))
    with pytest.raises(SystemExit):
        UnitOfWork(db, "kinerja", sink=None, crash_after_commit=crash).run(lambda tx: tx.emit(event))
    assert [d.id for d in db.collection("kinerja__outbox").stream()] == [event.id]

    # Cloud Scheduler's tick: the real kinerja_sapu_outbox function gets it by push.
    tick = make_event("kinerja", "jadwal.outbox.sapu", JadwalTick(jadwal="uji", waktu=datetime.now(timezone.utc)))
    data, attributes = tick.to_pubsub()
    # The request is younger than the default grace; the outbox entry is backdated instead of waiting.
    db.collection("kinerja__outbox").document(event.id).update({"dibuat": datetime(2020, 1, 1, tzinfo=timezone.utc)})
    publisher.publish(publisher.topic_path(project, "jadwal.outbox.sapu"), data, **attributes).result()

    messages = pull_all(subscriber, sub, expect=1, timeout=30)
    assert [m.message.attributes["ce-id"] for m in messages] == [event.id]
    assert list(db.collection("kinerja__outbox").stream()) == []
