"""Firestore access: a lazy client, a transaction wrapper that counts
operations and collects events, repositories of pydantic aggregates, and the
unit of work that writes state and outbox in one transaction.

Collections belong to one service and are named `<service>__<name>`, so a
service never reads another's data by accident and a test can check it.
"""
from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

from google.api_core import exceptions as gexc
from google.cloud import firestore

from shared.errors import Conflict
from shared.events import Event, utcnow
from shared.logs import get_logger
from shared.tracing import current_traceparent

log = get_logger(__name__)
T = TypeVar("T")
M = TypeVar("M")

LEDGER_TTL = timedelta(days=14)

# The Firestore TTL field of every collection that holds pending things (ledger, rate-limit windows,
# unconfirmed uploads, OAuth attempts). Firestore deletes a document some time (up to ~a day) after
# this timestamp; a document whose field is null or absent is never deleted (a confirmed upload).
TTL_FIELD = "kedaluwarsa"
# `<service>__<name>` -> why: the collections of pending things declared with `koleksi_kedaluwarsa`;
# `python -m infra.sync` gives each a TTL policy on TTL_FIELD (infra/generated/firestore.json).
KOLEKSI_KEDALUWARSA: dict[str, str] = {}


# `<service>__<name>.<field>` -> why: fields never queried (maps with arbitrary keys) that infra.sync
# exempts from single-field indexing (a map's subfields inherit the exemption).
TANPA_INDEKS: dict[str, str] = {}


def tanpa_indeks(service: str, name: str, field: str, why: str) -> str:
    """Declare a field of ``<service>__<name>`` that is never queried: no index entries are written for it."""
    TANPA_INDEKS[f"{collection_name(service, name)}.{field}"] = why
    return name


def koleksi_kedaluwarsa(service: str, name: str, why: str) -> str:
    """Declare a collection of pending documents that expire at their ``kedaluwarsa`` timestamp."""
    KOLEKSI_KEDALUWARSA[collection_name(service, name)] = why
    return name


def dengan_kedaluwarsa(data: dict[str, Any], kapan: Any) -> dict[str, Any]:
    """``data`` with the TTL field as a native timestamp (``model_dump(mode="json")`` would make it a
    string, which TTL ignores); ``kapan=None`` clears it, so the document is kept."""
    return data | {TTL_FIELD: kapan}


def tanpa_kedaluwarsa(data: dict[str, Any]) -> dict[str, Any]:
    """The stored document without the TTL field (models that forbid unknown fields read this)."""
    return {k: v for k, v in data.items() if k != TTL_FIELD}


@functools.cache
def firestore_client(project_id: str, database: str = "(default)") -> firestore.Client:
    """One client per process, project and database, created at first use (not at import)."""
    return firestore.Client(project=project_id, database=database)


def collection_name(service: str, name: str) -> str:
    return f"{service}__{name}"


# --- operation counting: every request's reads and writes end in its log line
@dataclass
class OpCount:
    reads: int = 0
    writes: int = 0


_ops: contextvars.ContextVar[OpCount | None] = contextvars.ContextVar("pmm_ops", default=None)
_ops_lock = threading.Lock()  # a request may fan its reads out over threads (see carry_op_count)

AGGREGATION_ENTRIES_PER_READ = 1000


def start_op_count() -> OpCount:
    ops = OpCount()
    _ops.set(ops)
    return ops


def _count(reads: int = 0, writes: int = 0) -> None:
    ops = _ops.get()
    if ops is not None:
        with _ops_lock:
            ops.reads += reads
            ops.writes += writes


def count_writes(writes: int) -> None:
    """Writes made outside a transaction (the outbox clean-up after publish) count too: Firestore
    bills a delete as a write."""
    _count(writes=writes)


@contextlib.contextmanager
def separate_op_count() -> Iterator[OpCount]:
    """Count a piece of work apart from the request around it; the work logs its own line with
    `firestore_reads`/`firestore_writes` (the e-mail binding, paid once per process and user, so
    route budgets keep measuring the route)."""
    ops = OpCount()
    token = _ops.set(ops)
    try:
        yield ops
    finally:
        _ops.reset(token)


def carry_op_count(fn: Callable[..., T]) -> Callable[..., T]:
    """`fn` counting into the caller's OpCount when it runs on another thread
    (a ThreadPoolExecutor does not carry context variables, so its reads would be lost)."""
    ops = _ops.get()

    def run(*args: Any, **kwargs: Any) -> T:
        token = _ops.set(ops)
        try:
            return fn(*args, **kwargs)
        finally:
            _ops.reset(token)

    return run


# --- how Firestore bills reads (what _count is told)
def query_reads(documents: int) -> int:
    """A query is billed one read per document returned; an empty result is still one read."""
    return max(1, documents)


def aggregation_reads(matched: int) -> int:
    """An aggregation (count()) is billed one read per batch of up to 1,000 index entries
    matched, at least one."""
    return max(1, -(-matched // AGGREGATION_ENTRIES_PER_READ))


def _by_path(snapshots: Iterable[firestore.DocumentSnapshot]) -> dict[str, dict[str, Any] | None]:
    """A batched get's answer by document path (None for a missing one); it comes in any order."""
    return {s.reference.path: (s.to_dict() if s.exists else None) for s in snapshots}


class Tx:
    """What a use case sees inside one Firestore transaction.

    Reads go through the transaction (they lock), writes are buffered until
    commit, and `emit` records events that the unit of work writes to the
    outbox in the same commit. Reads must come before writes.
    """

    def __init__(self, db: firestore.Client, transaction: firestore.Transaction, service: str) -> None:
        self.db = db
        self.transaction = transaction
        self.service = service
        self.events: list[Event[Any]] = []
        self._prefetched: dict[str, dict[str, Any] | None] = {}

    def collection(self, name: str) -> firestore.CollectionReference:
        return self.db.collection(collection_name(self.service, name))

    def ref(self, collection: str, doc_id: str) -> firestore.DocumentReference:
        return self.collection(collection).document(doc_id)

    def prefetch(self, refs: Iterable[firestore.DocumentReference]) -> None:
        """Read these documents in one round trip (one batched get in the transaction, locking them
        as single gets would); the next `get` of each answers from it. For use cases whose first
        reads are known up front: three dependent-looking gets become one RPC instead of three."""
        refs = [r for r in refs if r.path not in self._prefetched]
        if not refs:
            return
        found = _by_path(self.transaction.get_all(refs))
        _count(reads=len(refs))
        for r in refs:
            self._prefetched[r.path] = found.get(r.path)

    def get(self, ref: firestore.DocumentReference) -> dict[str, Any] | None:
        if ref.path in self._prefetched:
            return self._prefetched.pop(ref.path)  # once: a second get reads again, as without prefetch
        snap = ref.get(transaction=self.transaction)
        _count(reads=1)
        return snap.to_dict() if snap.exists else None

    def get_many(self, refs: Iterable[firestore.DocumentReference]) -> dict[str, dict[str, Any] | None]:
        refs = list(refs)
        if not refs:
            return {}
        found = _by_path(self.transaction.get_all(refs))
        _count(reads=len(refs))
        return {r.id: found.get(r.path) for r in refs}

    def query(self, query: firestore.Query) -> list[dict[str, Any]]:
        docs = list(query.stream(transaction=self.transaction))
        _count(reads=query_reads(len(docs)))  # an empty query is billed as one read
        return [d.to_dict() | {"_id": d.id} for d in docs]

    def create(self, ref: firestore.DocumentReference, data: dict[str, Any]) -> None:
        self.transaction.create(ref, data)
        _count(writes=1)

    def set(self, ref: firestore.DocumentReference, data: dict[str, Any], merge: bool = False) -> None:
        self.transaction.set(ref, data, merge=merge)
        _count(writes=1)

    def update(self, ref: firestore.DocumentReference, data: dict[str, Any]) -> None:
        self.transaction.update(ref, data)
        _count(writes=1)

    def delete(self, ref: firestore.DocumentReference) -> None:
        self.transaction.delete(ref)
        _count(writes=1)

    def emit(self, event: Event[Any]) -> None:
        # The outbox entry keeps the emitting request's trace, so a publish by the sweeper continues it too.
        traceparent = event.traceparent or current_traceparent()
        if traceparent != event.traceparent:
            event = event.model_copy(update={"traceparent": traceparent})
        self.events.append(event)


# --- plain reads (outside a transaction: read-only routes, checks before a transaction,
# schedulers), counted as Firestore bills them, like Tx's. Use these instead of
# `ref.get()`, `query.stream()`, `db.get_all()` and `query.count().get()` so a request's
# log line carries every read it made.
def read(ref: firestore.DocumentReference) -> dict[str, Any] | None:
    """One document, None when missing (a missing document is billed as one read too)."""
    snap = read_snapshot(ref)
    return snap.to_dict() if snap.exists else None


def read_snapshot(ref: firestore.DocumentReference) -> firestore.DocumentSnapshot:
    """One document as its snapshot (for `.exists`, or a query cursor: `start_after(snapshot)`)."""
    snap = ref.get()
    _count(reads=1)
    return snap


def read_many(db: firestore.Client, refs: Iterable[firestore.DocumentReference]) -> list[dict[str, Any] | None]:
    """Several documents in one batched get, in the order of `refs` (None where missing);
    one read per document asked for, existing or not."""
    refs = list(refs)
    if not refs:
        return []
    found = _by_path(db.get_all(refs))
    _count(reads=len(refs))
    return [found.get(r.path) for r in refs]


def stream(query: firestore.Query) -> list[firestore.DocumentSnapshot]:
    """Every document of a query (snapshots: `.id`, `.to_dict()`, `.get(field)`);
    one read per document, an empty result one read."""
    docs = list(query.stream())
    _count(reads=query_reads(len(docs)))
    return docs


def iter_stream(query: firestore.Query) -> Iterator[firestore.DocumentSnapshot]:
    """Like `stream` without holding the whole result (exports): each document is counted
    as it arrives, an empty result as one read when it ends."""
    documents = 0
    for snap in query.stream():
        documents += 1
        _count(reads=1)
        yield snap
    if documents == 0:
        _count(reads=1)


def count(query: firestore.Query) -> int:
    """How many documents match (a count() aggregation, billed per 1,000 index entries, at least one read)."""
    result = query.count().get()
    n = int(result[0][0].value)
    _count(reads=aggregation_reads(n))
    return n


class Repository(Generic[M]):
    """Aggregates of one pydantic model in one collection.

    The model carries `versi: int`; `save` bumps it, and `get_for_update`
    refuses when the caller's expected version is stale (two tabs, two
    principals: exactly one wins, the other gets 409).
    """

    def __init__(self, model: type[M], collection: str, id_field: str = "id") -> None:
        self.model = model
        self.collection = collection
        self.id_field = id_field

    def ref(self, tx: Tx, doc_id: str) -> firestore.DocumentReference:
        return tx.ref(self.collection, doc_id)

    def get(self, tx: Tx, doc_id: str) -> M | None:
        data = tx.get(self.ref(tx, doc_id))
        return None if data is None else self.model.model_validate(data)  # type: ignore[attr-defined]

    def get_for_update(self, tx: Tx, doc_id: str, expected_versi: int | None) -> M | None:
        found = self.get(tx, doc_id)
        if found is not None and expected_versi is not None and getattr(found, "versi") != expected_versi:
            raise Conflict(
                "versi_tidak_cocok",
                "Data ini sudah diubah di tempat lain. Muat ulang halaman, periksa perubahannya, lalu coba lagi.",
                versi_sekarang=getattr(found, "versi"), versi_dikirim=expected_versi)
        return found

    def add(self, tx: Tx, obj: M) -> M:
        tx.create(self.ref(tx, getattr(obj, self.id_field)), obj.model_dump(mode="json"))  # type: ignore[attr-defined]
        return obj

    def save(self, tx: Tx, obj: M) -> M:
        """Write the aggregate with its version bumped by one."""
        obj = obj.model_copy(update={"versi": getattr(obj, "versi") + 1})  # type: ignore[attr-defined]
        tx.set(self.ref(tx, getattr(obj, self.id_field)), obj.model_dump(mode="json"))  # type: ignore[attr-defined]
        return obj


class EventSink:
    """Where committed events go right after the commit (the outbox publisher)."""

    def after_commit(self, service: str, events: list[Event[Any]]) -> None:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass
class UnitOfWork:
    """Runs one use case in one Firestore transaction, outbox included.

    `run(work)` calls `work(tx)` inside a transaction (retried on contention),
    writes every event the work emitted to `<service>__outbox` in the same
    commit, and after the commit hands them to the sink to publish.
    """

    db: firestore.Client
    service: str
    sink: EventSink | None = None
    max_attempts: int = 5
    crash_after_commit: Callable[[], None] | None = field(default=None, repr=False)  # fault injection in tests

    def run(self, work: Callable[[Tx], T]) -> T:
        box: dict[str, Any] = {}

        @firestore.transactional
        def attempt(transaction: firestore.Transaction) -> T:
            tx = Tx(self.db, transaction, self.service)
            result = work(tx)
            for event in tx.events:
                tx.set(outbox_ref(self.db, self.service, event.id), outbox_document(event))
            box["events"] = tx.events
            return result

        try:
            result = attempt(self.db.transaction(max_attempts=self.max_attempts))
        except ValueError as exc:
            if isinstance(exc.__cause__, gexc.Aborted):
                raise Conflict("sedang_diubah", "Data ini sedang diubah oleh orang lain. Coba lagi sebentar lagi.") from exc
            raise
        except gexc.Aborted as exc:
            raise Conflict("sedang_diubah", "Data ini sedang diubah oleh orang lain. Coba lagi sebentar lagi.") from exc
        events = box.get("events") or []
        if self.crash_after_commit is not None:
            self.crash_after_commit()
        if events and self.sink is not None:
            self.sink.after_commit(self.service, events)
        return result


# --- outbox documents
def outbox_ref(db: firestore.Client, service: str, event_id: str) -> firestore.DocumentReference:
    return db.collection(collection_name(service, "outbox")).document(event_id)


def outbox_document(event: Event[Any]) -> dict[str, Any]:
    data, attributes = event.to_pubsub()
    return {"topic": event.topic, "data": data.decode(), "attributes": attributes, "dibuat": utcnow()}


def ledger_ref(db: firestore.Client, service: str, consumer: str, event_id: str) -> firestore.DocumentReference:
    return db.collection(collection_name(service, "ledger")).document(f"{consumer}:{event_id}")


def ledger_document(consumer: str, event: Event[Any]) -> dict[str, Any]:
    now = utcnow()
    # the ledger only has to outlive redeliveries
    return dengan_kedaluwarsa({"consumer": consumer, "topic": event.topic, "diproses": now}, now + LEDGER_TTL)
