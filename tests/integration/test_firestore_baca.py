"""Plain (non-transactional) reads against the real Firestore emulator: each helper returns what
the client call it replaces returned and counts what Firestore bills (a missing document is one
read, an empty query one read, a count() one read per started 1,000 matches), so a request's log
line (`firestore_reads`) carries every read, in a transaction or not."""
from __future__ import annotations

import pytest
from google.cloud.firestore_v1.base_query import FieldFilter

from shared.firestore import (
    UnitOfWork,
    _ops,
    count,
    iter_stream,
    read,
    read_many,
    read_snapshot,
    start_op_count,
    stream,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def ops():
    counted = start_op_count()
    yield counted
    _ops.set(None)


def col(db):
    return db.collection("karya__uji_baca")


def isi(db, n: int, **fields) -> None:
    for mulai in range(0, n, 500):
        batch = db.batch()
        for i in range(mulai, min(n, mulai + 500)):
            batch.set(col(db).document(f"d{i:05d}"), {"i": i, **fields})
        batch.commit()


def taken(ops) -> tuple[int, int]:
    """(reads, writes) counted since the last call, then reset."""
    got = (ops.reads, ops.writes)
    ops.reads = ops.writes = 0
    return got


def test_read_one_document_existing_or_missing_is_one_read(db, ops):
    isi(db, 1)
    assert read(col(db).document("d00000")) == {"i": 0} and taken(ops) == (1, 0)
    assert read(col(db).document("tidak-ada")) is None and taken(ops) == (1, 0)
    snap = read_snapshot(col(db).document("d00000"))
    assert snap.exists and snap.id == "d00000" and taken(ops) == (1, 0)
    assert not read_snapshot(col(db).document("tidak-ada")).exists and taken(ops) == (1, 0)


def test_read_many_keeps_order_answers_none_for_missing_and_bills_every_document_asked(db, ops):
    isi(db, 2)
    other = db.collection("karya__uji_lain").document("d00000")  # same id, other collection
    other.set({"lain": True})
    refs = [col(db).document("d00001"), col(db).document("hilang"), col(db).document("d00000"), other]
    assert read_many(db, refs) == [{"i": 1}, None, {"i": 0}, {"lain": True}]
    assert taken(ops) == (4, 0)
    assert read_many(db, []) == [] and taken(ops) == (0, 0)  # no call, nothing billed


def test_stream_bills_each_document_and_an_empty_result_one_read(db, ops):
    isi(db, 3, genap=False)
    docs = stream(col(db).order_by("i"))
    assert [(d.id, d.get("i")) for d in docs] == [("d00000", 0), ("d00001", 1), ("d00002", 2)]
    assert taken(ops) == (3, 0)
    assert stream(col(db).where(filter=FieldFilter("genap", "==", True))) == [] and taken(ops) == (1, 0)
    assert len(stream(col(db).limit(2))) == 2 and taken(ops) == (2, 0)


def test_iter_stream_counts_as_documents_arrive(db, ops):
    isi(db, 3)
    it = iter_stream(col(db).order_by("i"))
    assert next(it).id == "d00000" and taken(ops) == (1, 0)
    assert [d.id for d in it] == ["d00001", "d00002"] and taken(ops) == (2, 0)
    assert list(iter_stream(col(db).where(filter=FieldFilter("i", ">", 99)))) == [] and taken(ops) == (1, 0)


def test_count_bills_one_read_per_started_thousand_matches(db, ops):
    assert count(col(db)) == 0 and taken(ops) == (1, 0)
    isi(db, 1001)
    assert count(col(db).where(filter=FieldFilter("i", "<", 1000))) == 1000 and taken(ops) == (1, 0)
    assert count(col(db)) == 1001 and taken(ops) == (2, 0)


def test_transaction_reads_count_as_before(db, ops):
    isi(db, 2)
    uow = UnitOfWork(db, "karya")

    def work(tx):
        tx.get(col(db).document("hilang"))
        tx.get_many([col(db).document("d00000"), col(db).document("d00001")])
        tx.query(col(db).where(filter=FieldFilter("i", ">", 5)))
        tx.set(col(db).document("d00002"), {"i": 2})

    uow.run(work)
    assert taken(ops) == (4, 1)
