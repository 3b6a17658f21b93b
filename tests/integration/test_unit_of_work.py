"""The unit of work against the real Firestore and Pub/Sub emulators: state and
outbox in one transaction, publish after commit, the sweeper heals a crash,
version preconditions turn races into clear conflicts."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from shared.errors import Conflict
from shared.events import EventPayload, make_event
from shared.firestore import Repository, UnitOfWork, collection_name, start_op_count
from shared.models import StrictModel
from shared.outbox import PubSubOutbox
from tests.support import pull_all

pytestmark = pytest.mark.integration


class Catatan(StrictModel):
    id: str
    isi: str
    versi: int = 0


class CatatanDibuat(EventPayload):
    catatan_id: str


repo = Repository(Catatan, "catatan")


def make_uow(db, project="demo-pmm-test", crash=None):
    return UnitOfWork(db, "karya", PubSubOutbox(db, project), crash_after_commit=crash)


def outbox_ids(db):
    return [d.id for d in db.collection(collection_name("karya", "outbox")).stream()]


def test_commit_writes_state_publishes_event_and_clears_outbox(db, pubsub, topic_with_pull):
    topic, sub = topic_with_pull

    def work(tx):
        repo.add(tx, Catatan(id="c1", isi="halo"))
        tx.emit(make_event("karya", topic, CatatanDibuat(catatan_id="c1"), subject="catatan/c1"))
        return "ok"

    assert make_uow(db).run(work) == "ok"
    assert db.collection("karya__catatan").document("c1").get().to_dict()["isi"] == "halo"
    messages = pull_all(pubsub[1], sub, expect=1)
    assert len(messages) == 1
    attrs = messages[0].message.attributes
    assert attrs["ce-type"] == topic and attrs["ce-subject"] == "catatan/c1"
    assert outbox_ids(db) == []


def test_request_counts_the_state_the_outbox_entry_and_its_deletion_as_writes(db, pubsub, topic_with_pull):
    topic, _ = topic_with_pull

    def work(tx):
        repo.add(tx, Catatan(id="c9", isi="x"))
        tx.emit(make_event("karya", topic, CatatanDibuat(catatan_id="c9")))

    ops = start_op_count()
    make_uow(db).run(work)
    assert outbox_ids(db) == []
    assert ops.writes == 3  # the document, its outbox entry, and the entry's delete after publish


def test_failed_work_writes_nothing_and_publishes_nothing(db, pubsub, topic_with_pull):
    topic, sub = topic_with_pull

    def work(tx):
        repo.add(tx, Catatan(id="c2", isi="x"))
        tx.emit(make_event("karya", topic, CatatanDibuat(catatan_id="c2")))
        raise RuntimeError("gagal di tengah")

    with pytest.raises(RuntimeError):
        make_uow(db).run(work)
    assert not db.collection("karya__catatan").document("c2").get().exists
    assert outbox_ids(db) == [] and pull_all(pubsub[1], sub, expect=1, timeout=1) == []


def test_crash_between_commit_and_publish_is_healed_by_the_sweeper(db, pubsub, topic_with_pull):
    topic, sub = topic_with_pull

    class Crash(Exception):
        pass

    def crash():
        raise Crash()

    def work(tx):
        repo.add(tx, Catatan(id="c3", isi="x"))
        tx.emit(make_event("karya", topic, CatatanDibuat(catatan_id="c3")))

    with pytest.raises(Crash):
        make_uow(db, crash=crash).run(work)
    assert db.collection("karya__catatan").document("c3").get().exists  # committed
    assert len(outbox_ids(db)) == 1 and pull_all(pubsub[1], sub, expect=1, timeout=1) == []

    outbox = PubSubOutbox(db, "demo-pmm-test")
    assert outbox.sweep("karya", grace=timedelta(hours=1)) == {"ditemukan": 0, "diterbitkan": 0}  # too young
    assert outbox.sweep("karya", grace=timedelta(0)) == {"ditemukan": 1, "diterbitkan": 1}
    assert len(pull_all(pubsub[1], sub, expect=1)) == 1
    assert outbox_ids(db) == []
    assert outbox.sweep("karya", grace=timedelta(0))["ditemukan"] == 0  # nothing doubled


def test_publish_failure_leaves_the_event_in_the_outbox(db):
    def work(tx):
        repo.add(tx, Catatan(id="c4", isi="x"))
        tx.emit(make_event("karya", "topik.yang.tidak_ada", CatatanDibuat(catatan_id="c4")))

    make_uow(db).run(work)  # the request still succeeds: the commit happened
    assert len(outbox_ids(db)) == 1


def test_stale_version_is_a_conflict(db):
    uow = make_uow(db)
    uow.run(lambda tx: repo.add(tx, Catatan(id="c5", isi="a")))
    uow.run(lambda tx: repo.save(tx, repo.get_for_update(tx, "c5", 0).model_copy(update={"isi": "b"})))
    with pytest.raises(Conflict) as info:
        uow.run(lambda tx: repo.get_for_update(tx, "c5", 0))
    assert info.value.kode == "versi_tidak_cocok" and info.value.extra["versi_sekarang"] == 1


def test_two_tabs_with_the_same_version_exactly_one_wins(db):
    uow = make_uow(db)
    uow.run(lambda tx: repo.add(tx, Catatan(id="c6", isi="awal")))
    barrier = threading.Barrier(2)
    results: list[str] = []

    def edit(isi):
        def work(tx):
            current = repo.get_for_update(tx, "c6", 0)
            repo.save(tx, current.model_copy(update={"isi": isi}))
        barrier.wait()
        try:
            make_uow(db).run(work)
            results.append("menang")
        except Conflict:
            results.append("konflik")

    threads = [threading.Thread(target=edit, args=(isi,)) for isi in ("tab1", "tab2")]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(results) == ["konflik", "menang"]
    assert db.collection("karya__catatan").document("c6").get().to_dict()["versi"] == 1


def test_concurrent_increments_lose_nothing(db):
    uow = make_uow(db)
    uow.run(lambda tx: repo.add(tx, Catatan(id="c7", isi="0")))

    def bump():
        def work(tx):
            current = repo.get(tx, "c7")
            repo.save(tx, current.model_copy(update={"isi": str(int(current.isi) + 1)}))
        make_uow(db).run(work)

    errors = []

    def run():
        try:
            bump()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    final = db.collection("karya__catatan").document("c7").get().to_dict()
    # Every increment either landed or was refused as a conflict; none vanished.
    assert int(final["isi"]) == final["versi"] == 8 - len(errors)
    assert all(isinstance(e, Conflict) for e in errors)


def test_requests_stop_waiting_on_a_failing_pubsub_and_the_outbox_keeps_the_events(db):
    """With Pub/Sub unreachable the first request waits at most the short publish timeout;
    the next ones do not wait at all (breaker open) and every event stays in the outbox."""
    import time

    import grpc
    from google.cloud import pubsub_v1
    from google.pubsub_v1.services.publisher.transports import PublisherGrpcTransport

    dead = pubsub_v1.PublisherClient(transport=PublisherGrpcTransport(channel=grpc.insecure_channel("127.0.0.1:1")))
    outbox = PubSubOutbox(db, "demo-pmm-test", publisher=dead)
    uow = UnitOfWork(db, "karya", outbox)
    timings = []
    for n in range(3):
        started = time.monotonic()
        uow.run(lambda tx, n=n: tx.emit(make_event("karya", "uji.tidak.terkirim", CatatanDibuat(catatan_id=f"x{n}"))))
        timings.append(time.monotonic() - started)
    assert timings[0] < 5 and max(timings[1:]) < 1.0, timings
    assert outbox.breaker_open
    assert len(outbox_ids(db)) == 3


def test_prefetch_reads_in_one_batch_and_each_get_answers_from_it_once(db):
    make_uow(db).run(lambda tx: [repo.add(tx, Catatan(id=i, isi=i)) for i in ("p1", "p2")])
    ops = start_op_count()
    calls = []

    def work(tx):
        real_get_all = tx.transaction.get_all
        tx.transaction.get_all = lambda refs, **kw: calls.append(len(list(refs))) or real_get_all(refs, **kw)
        tx.prefetch([repo.ref(tx, "p1"), repo.ref(tx, "p2"), repo.ref(tx, "tidak-ada")])
        first = (repo.get(tx, "p1"), repo.get(tx, "p2"), repo.get(tx, "tidak-ada"))
        again = repo.get(tx, "p1")  # consumed: read again, as without prefetch
        return first, again

    (p1, p2, missing), again = make_uow(db).run(work)
    assert (p1.isi, p2.isi, missing, again.isi) == ("p1", "p2", None, "p1")
    assert calls == [3]  # one batched get for the three documents
    assert ops.reads == 4


@pytest.mark.parametrize("lewat_sweeper", [False, True])
def test_the_emitting_requests_traceparent_reaches_pubsub_after_commit_and_through_the_sweeper(
        db, pubsub, topic_with_pull, lewat_sweeper):
    from opentelemetry.trace import SpanKind

    from shared import tracing

    topic, sub = topic_with_pull
    incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"

    class Crash(Exception):
        pass

    def crash():
        raise Crash()

    def work(tx):
        repo.add(tx, Catatan(id=f"t{int(lewat_sweeper)}", isi="x"))
        tx.emit(make_event("karya", topic, CatatanDibuat(catatan_id="t")))

    tracing.configure("none", "karya", "demo-pmm-test")
    with tracing.span("POST /v1/karya/catatan", SpanKind.SERVER, tracing.parent_from_traceparent(incoming)):
        traceparent = tracing.current_traceparent()
        if lewat_sweeper:
            with pytest.raises(Crash):
                make_uow(db, crash=crash).run(work)
        else:
            make_uow(db).run(work)
    if lewat_sweeper:  # published later, outside the request's span: from the stored entry alone
        assert PubSubOutbox(db, "demo-pmm-test").sweep("karya", grace=timedelta(0))["diterbitkan"] == 1
    [message] = pull_all(pubsub[1], sub, expect=1)
    attrs = message.message.attributes
    assert traceparent.startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
    assert attrs["traceparent"] == attrs["ce-traceparent"] == traceparent
