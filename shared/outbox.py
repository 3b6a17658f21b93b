"""Publishing the outbox to Pub/Sub: right after commit, and by the sweeper.

After a commit the request publishes its events and deletes their outbox
entries. If the process dies in between, the entries stay; the sweeper
(a scheduled CloudEvent function per service) publishes every entry older
than a grace period. A message may thus be published twice, never lost;
consumers deduplicate on the event id.
"""
from __future__ import annotations

import functools
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from google.cloud import firestore

from shared.events import Event, utcnow
from shared.firestore import EventSink, collection_name, count_writes, outbox_ref, stream
from shared.logs import get_logger

if TYPE_CHECKING:  # the Pub/Sub client is imported at first publish, not at cold start
    from google.cloud import pubsub_v1

log = get_logger(__name__)
# A request waits briefly for its own publish; the sweeper may wait longer.
REQUEST_PUBLISH_TIMEOUT_SECONDS = 2.0
SWEEP_PUBLISH_TIMEOUT_SECONDS = 10.0
# One sweep stops taking new pages after this; the sweeper's timeout (= its push ack deadline) is 60 s and
# one page may still take SWEEP_PUBLISH_TIMEOUT_SECONDS to publish.
SWEEP_BUDGET_SECONDS = 30.0
# After a failed publish, requests stop waiting on Pub/Sub for this long (the outbox keeps the events).
BREAKER_OPEN_SECONDS = 30.0


@functools.cache
def publisher_client() -> pubsub_v1.PublisherClient:
    from google.cloud import pubsub_v1
    from google.cloud.pubsub_v1.types import BatchSettings

    # A short batch latency: a request waits for its own publish, and the
    # default 10 ms would add that much to every write route.
    return pubsub_v1.PublisherClient(batch_settings=BatchSettings(max_messages=100, max_latency=0.002))


class PubSubOutbox(EventSink):
    """Publishes committed events and clears their outbox entries."""

    def __init__(self, db: firestore.Client, project_id: str,
                 publisher: pubsub_v1.PublisherClient | None = None) -> None:
        self.db = db
        self.project_id = project_id
        self._publisher = publisher
        self._breaker_open_until = 0.0

    @property
    def publisher(self) -> pubsub_v1.PublisherClient:
        if self._publisher is None:
            self._publisher = publisher_client()
        return self._publisher

    def topic_path(self, topic: str) -> str:
        return self.publisher.topic_path(self.project_id, topic)

    @property
    def breaker_open(self) -> bool:
        return time.monotonic() < self._breaker_open_until

    def _publish_raw(self, entries: list[tuple[str, str, bytes, dict[str, str]]],
                     timeout: float = SWEEP_PUBLISH_TIMEOUT_SECONDS) -> list[str]:
        """Publish (event_id, topic, data, attributes) entries; return the ids that made it."""
        futures = [(event_id, self.publisher.publish(self.topic_path(topic), data, **attributes))
                   for event_id, topic, data, attributes in entries]
        published = []
        for event_id, future in futures:
            try:
                future.result(timeout=timeout)
                published.append(event_id)
            except Exception:  # noqa: BLE001 - the sweeper will retry; never fail the request
                log.warning("publish failed; left in the outbox for the sweeper",
                            extra={"event_id": event_id}, exc_info=True)
        return published

    def _clear(self, service: str, event_ids: list[str]) -> None:
        if not event_ids:
            return
        batch = self.db.batch()
        for event_id in event_ids:
            batch.delete(outbox_ref(self.db, service, event_id))
        batch.commit()
        count_writes(len(event_ids))

    def after_commit(self, service: str, events: list[Event[Any]]) -> None:
        if self.breaker_open:
            # Pub/Sub failed moments ago: answer the user now; the sweeper publishes these.
            log.warning("publish skipped while Pub/Sub is failing; left for the sweeper",
                        extra={"events": len(events)})
            return
        entries = []
        for event in events:
            data, attributes = event.to_pubsub()
            entries.append((event.id, event.topic, data, attributes))
        try:
            published = self._publish_raw(entries, timeout=REQUEST_PUBLISH_TIMEOUT_SECONDS)
            if len(published) < len(entries):
                self._breaker_open_until = time.monotonic() + BREAKER_OPEN_SECONDS
            self._clear(service, published)
        except Exception:  # noqa: BLE001 - committed already; the sweeper heals it
            log.warning("outbox clean-up failed; the sweeper will finish it", exc_info=True)

    def sweep(self, service: str, grace: timedelta, limit: int = 500,
              budget_seconds: float = SWEEP_BUDGET_SECONDS) -> dict[str, int]:
        """Publish every outbox entry older than `grace`, `limit` a page, oldest first, page after page
        while pages come back full and the time budget lasts (a backlog after an outage drains at
        thousands a tick, not 500 a minute; what is left waits for the next tick); return counts."""
        started = time.monotonic()
        cutoff = utcnow() - grace
        counts = {"ditemukan": 0, "diterbitkan": 0}
        while True:
            query = (self.db.collection(collection_name(service, "outbox"))
                     .where(filter=firestore.FieldFilter("dibuat", "<", cutoff))
                     .order_by("dibuat").limit(limit))
            docs = stream(query)
            entries = []
            for doc in docs:
                entry = doc.to_dict()
                entries.append((doc.id, entry["topic"], entry["data"].encode(), dict(entry["attributes"])))
            published = self._publish_raw(entries)
            self._clear(service, published)
            counts["ditemukan"] += len(docs)
            counts["diterbitkan"] += len(published)
            # stop on a short page, on a page that did not fully publish (Pub/Sub failing: the same
            # entries would come back first), or out of time
            if len(docs) < limit or len(published) < len(docs) or time.monotonic() - started >= budget_seconds:
                break
        if counts["ditemukan"]:
            log.info("outbox swept", extra={"layanan": service, **counts})
        return counts
