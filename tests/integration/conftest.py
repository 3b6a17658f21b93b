"""Integration fixtures: the real Firestore and Pub/Sub emulators (and moto's
S3 server), started once per test session on free ports, wiped between tests."""
from __future__ import annotations

import os
import re

import pytest

from local.cloud import LocalCloud, Ports
from tests.support import require_emulators, reset_firestore

PROJECT = "demo-pmm-test"


@pytest.fixture(scope="session")
def cloud(tmp_path_factory):
    cloud = LocalCloud(state_dir=tmp_path_factory.mktemp("cloud"), ports=Ports.free(), project=PROJECT)
    cloud.up(only={"firestore", "pubsub", "moto"})
    saved = {k: os.environ.get(k) for k in ("FIRESTORE_EMULATOR_HOST", "PUBSUB_EMULATOR_HOST",
                                               "GOOGLE_CLOUD_PROJECT")}
    os.environ.update({"FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{cloud.ports.firestore}",
                       "PUBSUB_EMULATOR_HOST": f"127.0.0.1:{cloud.ports.pubsub}",
                       "GOOGLE_CLOUD_PROJECT": PROJECT})
    require_emulators()
    try:
        yield cloud
    finally:
        cloud.down()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def db(cloud):
    from google.cloud import firestore

    reset_firestore(f"127.0.0.1:{cloud.ports.firestore}", PROJECT)
    return firestore.Client(project=PROJECT)


@pytest.fixture(scope="session")
def pubsub(cloud):
    from google.cloud import pubsub_v1

    return pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()


@pytest.fixture
def topic_with_pull(pubsub, request):
    """A fresh topic with a pull subscription: (topic name, subscription path)."""
    publisher, subscriber = pubsub
    name = f"uji.{re.sub(r'[^A-Za-z0-9_-]', '-', request.node.name)[:40]}.{os.urandom(3).hex()}"
    topic = publisher.create_topic(name=publisher.topic_path(PROJECT, name)).name
    sub = subscriber.create_subscription(request={"name": subscriber.subscription_path(PROJECT, name + ".sub"),
                                                  "topic": topic}).name
    return name, sub
