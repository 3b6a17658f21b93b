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
from contextlib import contextmanager
from datetime import timedelta
from functools import cached_property
from typing import Any, Callable, Iterator

from cloudevents.http import CloudEvent
from opentelemetry.trace import Span

from shared import tracing
from shared.batas import PembatasFirestore
from shared.consumer import consume, decode_tick, delivery_span
from shared.contracts.platform import OUTBOX_SAPU
from shared.events import Event, EventPayload
from shared.firestore import Tx, UnitOfWork, collection_name, firestore_client
from shared.http import Api, Principal
from shared.identity import EmailBinding, TokenVerifier
from shared.logs import set_project
from shared.outbox import PubSubOutbox
from shared.settings import Settings, SettingsError


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
    # Bind each e-mail to the first account seen with it (shared.identity.EmailBinding). A service
    # whose records are keyed by `sub` alone, never by the e-mail, turns it off.
    ikat_email = True

    def __init__(self, settings: Settings, **overrides: Any) -> None:
        self.settings = settings
        self.service = settings.service
        for name, value in overrides.items():  # e.g. db=..., verifier=..., outbox=...
            setattr(self, name, value)
        set_project(settings.project_id)
        tracing.configure(settings.trace_exporter, self.service, settings.project_id, settings.trace_file)

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

    @cached_property
    def ikatan_email(self) -> EmailBinding:
        return EmailBinding(self.db, self.service)

    def authenticate_user(self, request: Any) -> Principal:
        principal = self.verifier.principal(request)
        if self.ikat_email and principal.email:
            self.ikatan_email.check(principal)
        return principal

    def wire(self, api: Api) -> Api:
        # Readiness: one plain document read proves credentials and network to Firestore.
        api.readiness = lambda: self.db.collection(collection_name(self.service, "platform")).document("siap").get()
        api.authenticate_user = self.authenticate_user
        api.project_id = self.settings.project_id
        api.max_body_bytes = self.settings.max_body_bytes
        api.allow_time_override = self.settings.environment in ("local", "test")
        api.cors_origins = frozenset(self.settings.cors_origins)
        api.pembatas = self.pembatas_untuk(api)
        return api

    def pembatas_untuk(self, api: Api) -> PembatasFirestore | None:
        """The rate limiter of the routes that declare `batas`; each budget's size is its Settings
        field (a missing field fails the wiring, not the first limited request)."""
        daftar = {b for r in api.routes for b in r.batas}
        if not daftar:
            return None
        hilang = sorted(b.setelan for b in daftar if not hasattr(self.settings, b.setelan))
        if hilang:
            raise SettingsError(f"{type(self.settings).__name__} lacks the rate-limit fields {', '.join(hilang)}")
        # Its own unit of work: no outbox, and no crash hook (fault injection is for the use case's commit).
        return PembatasFirestore(lambda: UnitOfWork(self.db, self.service),
                                 lambda batas: getattr(self.settings, batas.setelan))

    def consume(self, cloud_event: CloudEvent, topic: str, consumer: str,
                effect: Callable[[Tx, Event[Any]], None], payload: type[EventPayload] | None = None) -> str:
        try:
            return consume(cloud_event, topic=topic, consumer=consumer, uow=self.uow, effect=effect,
                           max_age=self.tick_max_age, payload=payload)
        finally:
            tracing.flush()  # the instance may be frozen once the invocation has answered

    @contextmanager
    def delivery(self, cloud_event: CloudEvent, topic: str, consumer: str) -> Iterator[Span]:
        """A CloudEvent handler that does not go through `consume` (ticks, chunks) runs in this: its
        span continues the emitter's trace, and its spans are exported before the invocation answers."""
        try:
            with delivery_span(cloud_event, topic, consumer) as span:
                yield span
        finally:
            tracing.flush()

    @property
    def tick_max_age(self) -> timedelta:
        """How old a tick without a period of its own may be; events are never dropped for age."""
        return timedelta(seconds=self.settings.event_max_age_seconds)

    def tick(self, cloud_event: CloudEvent, topic: str) -> Event[Any] | None:
        """A scheduler tick of `topic`, or None when it is older than its period (acked, skipped);
        an unknown envelope raises (retried, then dead-lettered)."""
        return decode_tick(cloud_event, topic, self.tick_max_age)

    def sweep_outbox(self, cloud_event: CloudEvent) -> dict[str, int]:
        """Handle a `jadwal.outbox.sapu` tick: publish what a crash left in the outbox."""
        with self.delivery(cloud_event, OUTBOX_SAPU.name, f"{self.service}_sapu_outbox"):
            if self.tick(cloud_event, OUTBOX_SAPU.name) is None:
                return {"ditemukan": 0, "diterbitkan": 0}
            return self.outbox.sweep(self.service, timedelta(seconds=self.settings.outbox_grace_seconds))
