"""Platform topics: scheduler ticks shared by every service."""
from __future__ import annotations

from datetime import datetime

from shared.contracts.registry import SERVICES, register_subscription, register_topic
from shared.events import EventPayload


class JadwalTick(EventPayload):
    """A Cloud Scheduler tick. Scheduler jobs publish `{"jadwal": "<job name>"}`."""

    jadwal: str
    waktu: datetime | None = None


OUTBOX_SAPU = register_topic(
    "jadwal.outbox.sapu", JadwalTick, "cloud_scheduler",
    "Every minute: each service publishes outbox entries a crash left behind.")

for _service in SERVICES:
    register_subscription(OUTBOX_SAPU.name, _service, f"{_service}_sapu_outbox",
                          "publish what a crash between commit and publish left in the outbox")
