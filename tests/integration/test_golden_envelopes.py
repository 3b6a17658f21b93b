"""The golden envelopes (tests/golden/) fed to EVERY function that receives each kind, through
functions-framework as deployed: each service's main.py loaded by `functions_framework.create_app`
with the `cloudevent` signature, the raw push POSTed to `/projects/<p>/topics/<t>` with the OIDC header.

- an outbox-published event (ce-* attributes) to every event consumer: answered 2xx, its ledger entry
  (the effect's) written under the event's ce-id;
- a Cloud Scheduler tick (only the job's data and attributes from infra/generated/messaging.json, plus
  messageId/publishTime) to every tick consumer: the sweepers publish the outbox, the daily Sinkro batch
  fans out and records the tick under the identity derived from messageId + publishTime, the video
  re-check runs; a tick older than its period is acked without work; an unknown shape is refused (5xx/4xx:
  Pub/Sub retries it, then dead-letters it).
"""
from __future__ import annotations

import importlib
import logging
import os
import uuid
from datetime import datetime, timedelta, timezone

import functions_framework
import pytest
from werkzeug.serving import make_server

from local.cloud import LOCAL_EKINERJA_KEY, ROOT, provision_pubsub
from local.standins.ekinerja import KeadaanEkinerja, PenanganTanpaNip, buat_app
from shared.consumer import decode_pubsub_cloud_event
from shared.contracts import SUBSCRIPTIONS, TOPICS
from shared.events import make_event
from sinkro.domain.cermin import kunci
from tests import golden
from tests.e2e.test_faults_pesan import PABRIK
from tests.integration.conftest import PROJECT
from tests.support import Firestores, serve_in_thread
from tests.unit.sinkro.skenario import Dunia

pytestmark = pytest.mark.integration
TICKS = [s for s in SUBSCRIPTIONS if TOPICS[s.topic].producer == "cloud_scheduler"]
EVENTS = [s for s in SUBSCRIPTIONS if TOPICS[s.topic].producer != "cloud_scheduler"]


@pytest.fixture
def db(db):
    """Each function runs as deployed, on its own service's database: read them where they write
    (the shared `db` fixture has just reset every database)."""
    return Firestores(PROJECT)


@pytest.fixture(scope="module")
def clients(cloud):
    """{function: test client} for every CloudEvent function, each service's Platform built from the
    environment the local cloud gives that service (as in its own process)."""
    keadaan = KeadaanEkinerja(api_keys={LOCAL_EKINERJA_KEY})
    with serve_in_thread(make_server("127.0.0.1", 0, buat_app(keadaan), threaded=True,
                                     request_handler=PenanganTanpaNip)) as ekinerja:
        provision_pubsub(PROJECT, None)  # topics and dead-letter topics, no push: nothing cascades
        saved = dict(os.environ)
        out, bootstraps = {}, []
        try:
            for service in sorted({s.service for s in SUBSCRIPTIONS}):
                os.environ.update(cloud.function_env(service) | {"PMM_ENV": "test", "PMM_EKINERJA_URL": ekinerja,
                                                                 "PMM_OUTBOX_GRACE_SECONDS": "1"})
                source = str(ROOT / "services" / service / "main.py")
                for spec in (s for s in SUBSCRIPTIONS if s.service == service):
                    out[spec.function] = functions_framework.create_app(spec.function, source, "cloudevent").test_client()
                boot = importlib.import_module(f"{service}.bootstrap")
                boot.default.cache_clear()
                boot.default()  # pinned with this service's environment
                bootstraps.append(boot)
        finally:
            os.environ.clear()
            os.environ.update(saved)
        yield out
        for boot in bootstraps:
            boot.default.cache_clear()


def ledger_exists(db, service: str, function: str, event_id: str) -> bool:
    return db.collection(f"{service}__ledger").document(f"{function}:{event_id}").get().exists


@pytest.mark.parametrize("spec", EVENTS, ids=[s.function for s in EVENTS])
def test_outbox_event_push_reaches_every_consumer_and_takes_effect(clients, db, spec):
    event = make_event("uji-golden", spec.topic, PABRIK[spec.topic](Dunia(uuid.uuid4().hex[:10]), 1))
    request = golden.outbox_push(event, spec.function, PROJECT)
    response = golden.post(clients[spec.function], request)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert ledger_exists(db, spec.service, spec.function, event.id)


def tick_id(request) -> str:
    return decode_pubsub_cloud_event(golden.to_cloud_event(request), request["path"].rsplit("/", 1)[1]).id


@pytest.mark.parametrize("spec", [s for s in TICKS if s.topic == "jadwal.outbox.sapu"], ids=lambda s: s.function)
def test_scheduler_tick_runs_every_outbox_sweeper(clients, db, spec):
    stuck = make_event(spec.service, "jadwal.outbox.sapu", TOPICS["jadwal.outbox.sapu"].payload(jadwal="uji"))
    data, attributes = stuck.to_pubsub()
    ref = db.collection(f"{spec.service}__outbox").document(stuck.id)
    ref.set({"topic": stuck.topic, "data": data.decode(), "attributes": attributes,
             "dibuat": datetime.now(timezone.utc) - timedelta(minutes=5)})
    late = golden.jadwal_push(spec.topic, spec.function, PROJECT, "1001",
                              datetime.now(timezone.utc) - timedelta(minutes=3))
    assert golden.post(clients[spec.function], late).status_code == 200  # acked: older than its period
    assert ref.get().exists
    fresh = golden.jadwal_push(spec.topic, spec.function, PROJECT, "1002")
    assert golden.post(clients[spec.function], fresh).status_code == 200
    assert not ref.get().exists  # published and cleared


def test_scheduler_tick_runs_the_daily_sinkro_batch_once_per_delivery(clients, db):
    spec = next(s for s in TICKS if s.topic == "jadwal.sinkro.harian")
    ptk = f"ptk-{uuid.uuid4().hex[:8]}"
    db.collection("sinkro__rencana").document(kunci(ptk, "2026-2")).set(
        {"ptk_id": ptk, "periode": "2026-2", "perlu_sinkro": True, "versi": 1})
    first = golden.jadwal_push(spec.topic, spec.function, PROJECT, "2001")
    assert golden.post(clients[spec.function], first).status_code == 200
    progress = db.collection("sinkro__ledger").document(f"{spec.function}:{tick_id(first)}~kemajuan").get()
    assert progress.exists and progress.to_dict()["selesai"] is True
    assert ledger_exists(db, "sinkro", spec.function, tick_id(first))
    # the next run of the same job: same data and attributes, a new messageId: a new tick, not a duplicate
    second = golden.jadwal_push(spec.topic, spec.function, PROJECT, "2002")
    assert tick_id(second) != tick_id(first)
    assert golden.post(clients[spec.function], second).status_code == 200
    assert ledger_exists(db, "sinkro", spec.function, tick_id(second))


def test_scheduler_tick_runs_the_video_recheck(clients, caplog):
    spec = next(s for s in TICKS if s.topic == "jadwal.karya.periksa")
    with caplog.at_level(logging.INFO):
        response = golden.post(clients[spec.function], golden.jadwal_push(spec.topic, spec.function, PROJECT, "3001"))
    assert response.status_code == 200
    assert [r for r in caplog.records if r.getMessage() == "video re-check done"]


def test_every_tick_consumer_is_covered():
    assert {s.function for s in TICKS} == {"karya_sapu_outbox", "umpan_balik_sapu_outbox", "kinerja_sapu_outbox",
                                           "sinkro_sapu_outbox", "sinkro_on_jadwal_harian", "karya_periksa_video"}


@pytest.mark.parametrize("spec", [TICKS[0], EVENTS[0]], ids=lambda s: s.function)
def test_unknown_envelope_is_refused_so_pubsub_retries_then_dead_letters(clients, spec, caplog):
    request = golden.jadwal_push("jadwal.outbox.sapu", spec.function, PROJECT, "4001")
    request["path"] = f"/projects/{PROJECT}/topics/{spec.topic}"
    request["body"]["message"]["data"] = "W10="  # "[]": neither an event nor a tick
    with caplog.at_level(logging.ERROR):
        response = golden.post(clients[spec.function], request)
    assert response.status_code >= 400  # a push answered non-2xx is retried, then dead-lettered
    assert [r for r in caplog.records if "undecodable delivery" in r.getMessage() and getattr(r, "bentuk", "")]
