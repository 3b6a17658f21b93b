"""Helpers shared by the integration and end-to-end suites (no fakes: real emulators)."""
from __future__ import annotations

import base64
import os
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import requests
from cloudevents.http import CloudEvent

from shared.events import Event


def require_emulators() -> None:
    """Refuse to run against anything but local emulators and a `demo-` project."""
    project = os.environ.get("GOOGLE_CLOUD_PROJECT", "")
    for var in ("FIRESTORE_EMULATOR_HOST", "PUBSUB_EMULATOR_HOST"):
        host = os.environ.get(var, "")
        if not host.startswith(("127.0.0.1:", "localhost:")):
            raise RuntimeError(f"{var}={host!r}: tests only run against a local emulator")
    if not project.startswith("demo-"):
        raise RuntimeError(f"GOOGLE_CLOUD_PROJECT={project!r}: tests only run against a `demo-` project")


def databases() -> list[str]:
    """`(default)` and every service's own database (each function uses its service's, as in production)."""
    from shared.contracts.registry import SERVICES
    from shared.settings import database_id

    return ["(default)"] + sorted(database_id(s) for s in SERVICES)


def reset_firestore(host: str, project: str) -> None:
    """Wipe every document of every database through the emulator's REST reset (one per database)."""
    for database in databases():
        url = f"http://{host}/emulator/v1/projects/{project}/databases/{database}/documents"
        requests.delete(url, timeout=10).raise_for_status()


class Firestores:
    """Every service's Firestore database, read like one client: collection `<service>__x` is opened
    in that service's database, where its function writes it (shared.settings.database_id)."""

    def __init__(self, project: str) -> None:
        self.project = project
        self._clients: dict[str, Any] = {}

    def of(self, service: str):
        """The client of one service's database (for code that takes a client, e.g. UnitOfWork)."""
        from google.cloud import firestore
        from shared.settings import database_id

        if service not in self._clients:
            self._clients[service] = firestore.Client(project=self.project, database=database_id(service))
        return self._clients[service]

    def collection(self, name: str):
        service, sep, _ = name.partition("__")
        if not sep:
            raise ValueError(f"collection {name!r} has no <service>__ prefix: which database?")
        return self.of(service).collection(name)

    def get_all(self, refs) -> Iterator[Any]:
        """Batched reads, one batch per database the references belong to."""
        groups: dict[int, tuple[Any, list]] = {}
        for ref in refs:
            groups.setdefault(id(ref._client), (ref._client, []))[1].append(ref)
        for client, group in groups.values():
            yield from client.get_all(group)

    def collections(self) -> Iterator[Any]:
        """Every top-level collection of every service's database."""
        from shared.contracts.registry import SERVICES

        for service in sorted(SERVICES):
            yield from self.of(service).collections()


def push_cloud_event(event: Event[Any], project: str = "demo-pmm-test") -> CloudEvent:
    """The CloudEvent functions-framework builds from a Pub/Sub push of `event`."""
    data, attributes = event.to_pubsub()
    return CloudEvent({"type": "google.cloud.pubsub.topic.v1.messagePublished",
                       "source": f"//pubsub.googleapis.com/projects/{project}/topics/{event.topic}"},
                      {"message": {"data": base64.b64encode(data).decode(), "attributes": attributes,
                                   "messageId": event.id}})


def wait_until(check: Callable[[], Any], timeout: float = 30, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def pull_all(subscriber, subscription: str, expect: int, timeout: float = 30) -> list:
    """Pull until `expect` messages arrived (acking them) or time runs out."""
    got: list = []
    deadline = time.monotonic() + timeout
    while len(got) < expect and time.monotonic() < deadline:
        response = subscriber.pull(request={"subscription": subscription, "max_messages": 100,
                                            "return_immediately": True}, timeout=10)
        if response.received_messages:
            got.extend(response.received_messages)
            subscriber.acknowledge(request={"subscription": subscription,
                                            "ack_ids": [m.ack_id for m in response.received_messages]})
        else:
            time.sleep(0.2)
    return got


@contextmanager
def serve_in_thread(server) -> Iterator[str]:
    """A werkzeug server (e.g. a stand-in's `buat_server("127.0.0.1", 0)`) in a daemon thread; yields its
    base URL; shut down and closed on exit."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()


def example_module(name: str):
    """examples/<name>.py, imported the way an integrator runs it (examples/ first on sys.path)."""
    import importlib
    import sys
    from pathlib import Path

    folder = str(Path(__file__).resolve().parent.parent / "examples")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module(name)
