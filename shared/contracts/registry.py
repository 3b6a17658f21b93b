"""Registry of topics and subscriptions (filled by the modules of this package)."""
from __future__ import annotations

from dataclasses import dataclass

from shared.events import EventPayload

SERVICES = ("karya", "umpan_balik", "kinerja", "sinkro")


@dataclass(frozen=True)
class TopicSpec:
    name: str
    payload: type[EventPayload]
    producer: str  # a service, or `eksternal:<system>`, or `cloud_scheduler`
    description: str


@dataclass(frozen=True)
class SubscriptionSpec:
    topic: str
    service: str
    function: str  # the CloudEvent entry point in services/<service>/main.py
    description: str = ""


TOPICS: dict[str, TopicSpec] = {}
SUBSCRIPTIONS: list[SubscriptionSpec] = []


def register_topic(name: str, payload: type[EventPayload], producer: str, description: str) -> TopicSpec:
    if name in TOPICS:
        raise ValueError(f"topic {name} registered twice")
    spec = TopicSpec(name, payload, producer, description)
    TOPICS[name] = spec
    return spec


def register_subscription(topic: str, service: str, function: str, description: str = "") -> None:
    """Topics may be registered after their subscriptions (modules import in any order);
    `validate` checks the whole registry once everything is imported."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service}")
    SUBSCRIPTIONS.append(SubscriptionSpec(topic, service, function, description))


def topic_spec(name: str) -> TopicSpec:
    return TOPICS[name]


def subscriptions_of(service: str) -> list[SubscriptionSpec]:
    return [s for s in SUBSCRIPTIONS if s.service == service]


def subscription_id(spec: SubscriptionSpec) -> str:
    """Pub/Sub subscription name: `<function>` is unique across services already."""
    return f"{spec.function}.push"


def dead_letter_topic(spec: SubscriptionSpec) -> str:
    return f"{spec.function}.dlq"


def validate() -> None:
    unknown = [s for s in SUBSCRIPTIONS if s.topic not in TOPICS]
    if unknown:
        raise ValueError("subscriptions to unknown topics: " + ", ".join(f"{s.function}->{s.topic}" for s in unknown))
    functions = [s.function for s in SUBSCRIPTIONS]
    duplicates = {f for f in functions if functions.count(f) > 1}
    if duplicates:
        raise ValueError(f"CloudEvent function names used twice: {sorted(duplicates)}")
    for spec in SUBSCRIPTIONS:
        if not spec.function.startswith(spec.service + "_"):
            raise ValueError(f"{spec.function} must start with its service name {spec.service}_")
