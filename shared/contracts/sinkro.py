"""Topics produced by / subscriptions consumed in: sinkro (filled as the service lands)."""
from __future__ import annotations

from shared.contracts.registry import register_subscription, register_topic  # noqa: F401
from shared.events import EventPayload  # noqa: F401
