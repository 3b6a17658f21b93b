"""The shared half of every service's composition root.

`Platform` owns the adapters every service needs (Firestore, the outbox
publisher, the unit of work, the token verifier), each created lazily at
first use so a cold start imports and connects only what a request needs.
A service's `bootstrap` builds one `Platform` and adds its own adapters;
tests pass replacements instead of patching.
"""
from __future__ import annotations

import os
import signal
from datetime import timedelta
from functools import cached_property
from typing import Any, Callable

from cloudevents.http import CloudEvent

from shared.consumer import consume
from shared.contracts.platform import OUTBOX_SAPU
from shared.events import Event, EventPayload
from shared.firestore import Tx, UnitOfWork, collection_name, firestore_client
from shared.http import Api
from shared.identity import TokenVerifier
from shared.outbox import PubSubOutbox
from shared.settings import Settings


CRASH_FILE_ENV = "PMM_UJI_MATI_SETELAH_COMMIT"


def crash_hook(settings: Settings) -> Callable[[], None] | None:
    """Fault injection, honoured only when PMM_ENV is `local` or `test`: while the file named by
    PMM_UJI_MATI_SETELAH_COMMIT exists, the next commit removes it and SIGKILLs its own process
    between the commit and the publish (the sweeper must heal what is left in the outbox)."""
    path = os.environ.get(CRASH_FILE_ENV)
    if not path or settings.environment not in ("local", "test"):
        return None

    def crash() -> None:
        try:
            os.unlink(path)  # atomic: exactly one commit (of one process) dies per file
        except FileNotFoundError:
            return
        os.kill(os.getpid(), signal.SIGKILL)

    return crash


class Platform:
    def __init__(self, settings: Settings, **overrides: Any) -> None:
        self.settings = settings
        self.service = settings.service
        for name, value in overrides.items():  # e.g. db=..., verifier=..., outbox=...
            setattr(self, name, value)

    @cached_property
    def db(self):
        return firestore_client(self.settings.project_id, self.settings.database)

    @cached_property
    def outbox(self) -> PubSubOutbox:
        return PubSubOutbox(self.db, self.settings.project_id)

    @cached_property
    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.db, self.service, self.outbox, crash_after_commit=crash_hook(self.settings))

    @cached_property
    def verifier(self) -> TokenVerifier:
        s = self.settings
        return TokenVerifier(s.auth_issuer, s.auth_audience, s.auth_certs_url, s.auth_hosted_domain)

    def wire(self, api: Api) -> Api:
        # Readiness: one plain document read proves credentials and network to Firestore.
        api.readiness = lambda: self.db.collection(collection_name(self.service, "platform")).document("siap").get()
        api.authenticate_user = lambda request: self.verifier.principal(request)
        api.project_id = self.settings.project_id
        api.max_body_bytes = self.settings.max_body_bytes
        api.allow_time_override = self.settings.environment in ("local", "test")
        return api

    def consume(self, cloud_event: CloudEvent, topic: str, consumer: str,
                effect: Callable[[Tx, Event[Any]], None], payload: type[EventPayload] | None = None) -> str:
        return consume(cloud_event, topic=topic, consumer=consumer, uow=self.uow, effect=effect,
                       max_age=timedelta(seconds=self.settings.event_max_age_seconds), payload=payload)

    def sweep_outbox(self, cloud_event: CloudEvent) -> dict[str, int]:
        """Handle a `jadwal.outbox.sapu` tick: publish what a crash left in the outbox."""
        from shared.consumer import decode_pubsub_cloud_event

        decode_pubsub_cloud_event(cloud_event, OUTBOX_SAPU.name)  # malformed ticks go to the DLQ
        return self.outbox.sweep(self.service, timedelta(seconds=self.settings.outbox_grace_seconds))
