"""The request's Firestore operation count: billing rules and how a count follows a request.

Pure: no Firestore. The plain read helpers themselves (`read`, `read_many`, `stream`, `iter_stream`,
`count`) are measured against the emulator in tests/integration/test_firestore_baca.py."""
from __future__ import annotations

import contextvars
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from shared.firestore import _count, _ops, aggregation_reads, carry_op_count, query_reads, start_op_count


@pytest.mark.parametrize("documents, reads", [(0, 1), (1, 1), (2, 2), (500, 500)])
def test_query_billed_per_document_and_an_empty_result_is_one_read(documents, reads):
    assert query_reads(documents) == reads


@pytest.mark.parametrize("matched, reads", [(0, 1), (1, 1), (999, 1), (1000, 1), (1001, 2), (2500, 3), (10_000, 10)])
def test_count_billed_per_started_thousand_index_entries_at_least_one(matched, reads):
    assert aggregation_reads(matched) == reads


def test_nothing_counted_outside_a_request():
    def outside() -> None:
        _count(reads=3, writes=1)  # no start_op_count in this context: silently ignored

    contextvars.Context().run(outside)


def test_a_count_is_per_request_context():
    def request(reads: int):
        ops = start_op_count()
        _count(reads=reads, writes=1)
        return ops

    a = contextvars.Context().run(request, 2)
    b = contextvars.Context().run(request, 5)
    assert (a.reads, a.writes, b.reads, b.writes) == (2, 1, 5, 1)


def test_worker_threads_count_into_the_request_only_when_carried():
    def request():
        ops = start_op_count()
        with ThreadPoolExecutor(4) as ex:
            list(ex.map(lambda _: _count(reads=1), range(8)))  # a pool does not carry context variables
        lost = ops.reads
        with ThreadPoolExecutor(4) as ex:
            list(ex.map(carry_op_count(lambda _: _count(reads=1)), range(8)))
        return lost, ops.reads

    assert contextvars.Context().run(request) == (0, 8)


def test_carried_count_is_exact_under_contention_and_the_worker_is_left_clean():
    seen_after: list[object] = []

    def request():
        ops = start_op_count()

        def many(_):
            for _ in range(2000):
                _count(reads=1, writes=1)

        with ThreadPoolExecutor(8) as ex:
            list(ex.map(carry_op_count(many), range(8)))
            # the worker's own context is restored: later work on it counts into nobody's request
            ex.submit(lambda: seen_after.append(_ops.get())).result()
        return ops

    ops = contextvars.Context().run(request)
    assert (ops.reads, ops.writes) == (16_000, 16_000)
    assert seen_after == [None]


def test_carry_op_count_outside_a_request_counts_nothing():
    box = {}

    def run():
        carry_op_count(lambda: _count(reads=1))()
        box["ok"] = True

    t = threading.Thread(target=lambda: contextvars.Context().run(run))
    t.start()
    t.join()
    assert box == {"ok": True}


def test_services_read_firestore_only_through_counted_helpers():
    """A direct `ref.get()`, `query.stream()`, `db.get_all()` or `.count().get()` in a service package
    would be missing from its request's `firestore_reads` (use shared.firestore's read helpers or Tx)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    direct = re.compile(r"\.get\(\)|\.stream\(|\bget_all\(|\.count\(\)")
    found = [f"{path.relative_to(root)}:{n}: {line.strip()}"
             for svc in sorted((root / "services").iterdir()) if (svc / svc.name).is_dir()
             for path in sorted((svc / svc.name).rglob("*.py"))
             for n, line in enumerate(path.read_text().splitlines(), 1) if direct.search(line)]
    assert found == []
