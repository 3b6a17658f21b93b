"""Platform topics: scheduler ticks shared by every service."""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from shared.contracts.registry import SERVICES, register_subscription, register_topic
from shared.events import EventPayload


class JadwalTick(EventPayload):
    """A Cloud Scheduler tick. Each job publishes the same data on every run,
    `{"jadwal": "<topic>", "periode_detik": <seconds between runs>}` (generated from
    infra/schedules.json), and no CloudEvents attributes: a tick's identity is the
    Pub/Sub messageId + publishTime of its delivery (`shared/consumer.py`)."""

    jadwal: str
    waktu: datetime | None = None
    periode_detik: int | None = Field(None, ge=1, description="a tick older than this is skipped")


OUTBOX_SAPU = register_topic(
    "jadwal.outbox.sapu", JadwalTick, "cloud_scheduler",
    "Every minute: each service publishes outbox entries a crash left behind.")

for _service in SERVICES:
    register_subscription(OUTBOX_SAPU.name, _service, f"{_service}_sapu_outbox",
                          "publish what a crash between commit and publish left in the outbox")
