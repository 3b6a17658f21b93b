"""One trace from an HTTP request through the outbox entry and the Pub/Sub push to the consumer's span,
and the same trace and span ids on the log lines (file exporter; the push goes through
functions-framework's own conversion, tests/golden)."""
from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from opentelemetry.trace import SpanKind

from shared import logs, tracing
from shared.consumer import consume
from shared.contracts.platform import JadwalTick
from shared.events import Event, make_event
from shared.firestore import Tx, outbox_document
from tests import golden
from tests.unit.shared.test_http import make_api

PROJECT = "demo-pmm-test"
TOPIC = "jadwal.outbox.sapu"
INCOMING = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
def spans(tmp_path):
    """Finished spans as the file exporter wrote them (read after a flush)."""
    path = tmp_path / "traces.jsonl"
    tracing.configure("file", "karya", PROJECT, str(path))
    logs.set_project(PROJECT)

    def read() -> list[dict[str, Any]]:
        tracing.flush()
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    yield read
    tracing.configure("none", "karya", PROJECT)
    logs.set_project(None)


@pytest.fixture
def log_lines():
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(logs.CloudLoggingFormatter())
    logging.getLogger().addHandler(handler)
    yield lambda: [json.loads(line) for line in out.getvalue().splitlines()]
    logging.getLogger().removeHandler(handler)


def test_request_span_continues_the_incoming_traceparent_and_names_the_route_template(spans, log_lines):
    client = make_api()[1].test_client()
    r = client.post("/v1/karya/benda/abc-1?halaman=2", json={"judul": "x", "jumlah": 1},
                    headers={"traceparent": INCOMING})
    assert r.status_code == 201
    [span] = spans()
    assert span["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert span["parent_span_id"] == "00f067aa0ba902b7" and span["kind"] == "SERVER"
    assert span["name"] == "POST /v1/karya/benda/<benda_id>"
    assert span["attributes"] == {"http.request.method": "POST", "http.route": "/v1/karya/benda/<benda_id>",
                                  "http.response.status_code": 201}
    assert "abc-1" not in json.dumps(span)  # the path's id never reaches a span
    [line] = [entry for entry in log_lines() if entry["message"] == "request"]
    assert line["logging.googleapis.com/trace"] == f"projects/{PROJECT}/traces/4bf92f3577b34da6a3ce929d0e0e4736"
    assert line["logging.googleapis.com/spanId"] == span["span_id"]
    assert line["logging.googleapis.com/trace_sampled"] is True


def test_request_without_traceparent_continues_x_cloud_trace_context(spans):
    client = make_api()[1].test_client()
    r = client.get("/v1/karya/rusak", headers={"X-Cloud-Trace-Context": "0123456789abcdef0123456789abcdef/17;o=1"})
    assert r.status_code == 500
    [span] = spans()
    assert span["trace_id"] == "0123456789abcdef0123456789abcdef"
    assert span["parent_span_id"] == format(17, "016x")
    assert span["status"] == "ERROR" and span["attributes"]["http.response.status_code"] == 500


def test_malformed_traceparent_starts_a_new_trace(spans):
    client = make_api()[1].test_client()
    client.get("/v1/karya/bentrok", headers={"traceparent": "00-zz-yy-01"})
    [span] = spans()
    assert span["parent_span_id"] is None and len(span["trace_id"]) == 32


def emitted_in_span() -> tuple[Event[Any], str]:
    """An event emitted inside a request's span, and that span's traceparent."""
    with tracing.span("POST /v1/karya/karya", SpanKind.SERVER, tracing.parent_from_traceparent(INCOMING)):
        tx = Tx(mock.MagicMock(), mock.MagicMock(), "karya")
        tx.emit(make_event("karya", TOPIC, JadwalTick(jadwal=TOPIC)))
        return tx.events[0], tracing.current_traceparent()


def test_outbox_entry_keeps_the_emitting_requests_traceparent_for_any_publish(spans):
    event, traceparent = emitted_in_span()
    assert traceparent.startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
    entry = outbox_document(event)
    # the sweeper publishes the stored attributes as they are; the request publishes event.to_pubsub()
    assert entry["attributes"]["traceparent"] == entry["attributes"]["ce-traceparent"] == traceparent
    assert event.to_pubsub()[1] == entry["attributes"]
    back = Event.from_pubsub(JadwalTick, entry["data"].encode(), entry["attributes"])
    assert back.traceparent == traceparent and back.id == event.id


def test_event_emitted_outside_any_trace_carries_no_trace_attributes():
    tx = Tx(mock.MagicMock(), mock.MagicMock(), "karya")
    tx.emit(make_event("karya", TOPIC, JadwalTick(jadwal=TOPIC)))
    attributes = outbox_document(tx.events[0])["attributes"]
    assert "traceparent" not in attributes and "ce-traceparent" not in attributes


class FakeUow:
    """Runs the work at once: the consumer's decision, not Firestore, is under test here."""
    service = "karya"

    def run(self, work):
        tx = mock.MagicMock()
        tx.get.return_value = None
        return work(tx)


def test_consumer_span_continues_the_trace_of_the_request_that_emitted_the_event(spans, log_lines):
    event, traceparent = emitted_in_span()
    ce = golden.to_cloud_event(golden.outbox_push(event, "karya_sapu_outbox", PROJECT))
    seen: list[dict[str, Any]] = []

    def effect(tx, ev):
        seen.append(tracing.log_fields(PROJECT))

    assert consume(ce, topic=TOPIC, consumer="karya_on_uji", uow=FakeUow(), effect=effect) == "diproses"
    request_span, consumer_span = spans()
    assert request_span["kind"] == "SERVER" and consumer_span["kind"] == "CONSUMER"
    assert consumer_span["trace_id"] == request_span["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert consumer_span["parent_span_id"] == traceparent.split("-")[2] == request_span["span_id"]
    assert consumer_span["name"] == f"process {TOPIC}"
    assert consumer_span["attributes"]["messaging.consumer.group.name"] == "karya_on_uji"
    assert consumer_span["attributes"]["pmm.outcome"] == "diproses"
    # the effect ran inside the span, and the "event consumed" line names it
    assert seen[0]["logging.googleapis.com/spanId"] == consumer_span["span_id"]
    [line] = [entry for entry in log_lines() if entry["message"] == "event consumed"]
    assert line["logging.googleapis.com/trace"].endswith("/traces/4bf92f3577b34da6a3ce929d0e0e4736")
    assert line["logging.googleapis.com/spanId"] == consumer_span["span_id"]


def test_scheduler_tick_without_trace_context_gets_a_trace_of_its_own(spans):
    ce = golden.to_cloud_event(golden.jadwal_push(TOPIC, "karya_sapu_outbox", PROJECT, "991"))
    consume(ce, topic=TOPIC, consumer="karya_sapu_outbox", uow=FakeUow(), effect=lambda tx, ev: None)
    [span] = spans()
    assert span["kind"] == "CONSUMER" and span["parent_span_id"] is None


def test_undecodable_delivery_fails_its_span_in_the_emitters_trace(spans):
    from shared.consumer import UndecodableEvent

    bad = mock.MagicMock()
    bad.data = {"message": {"data": "!!", "attributes": {"traceparent": INCOMING}}}
    with pytest.raises(UndecodableEvent):
        consume(bad, topic=TOPIC, consumer="karya_on_uji", uow=FakeUow(), effect=lambda tx, ev: None)
    [span] = spans()
    assert span["status"] == "ERROR" and span["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736"


def test_cold_start_does_not_import_the_cloud_trace_exporter_unless_asked():
    import subprocess
    import sys

    code = ("import sys, shared.platform, shared.http, shared.consumer; from shared import tracing; "
            "tracing.configure('none', 'karya', 'demo-pmm'); "
            "print(any(m.startswith('opentelemetry.exporter') or m.startswith('google.cloud.trace') "
            "for m in sys.modules))")
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root)
    assert out.stdout.strip() == "False"


def test_gcp_exporter_is_built_at_the_first_export_and_one_that_cannot_start_leaves_the_function_serving(caplog):
    with mock.patch("opentelemetry.exporter.cloud_trace.CloudTraceSpanExporter",
                    side_effect=RuntimeError("adc")) as build:
        tracing.configure("gcp", "karya", PROJECT)
        try:
            assert build.call_count == 0  # not at start: off the cold start's path
            with tracing.span("x", SpanKind.SERVER, None):
                assert tracing.current_traceparent() is not None
            tracing.flush()
            assert build.call_count == 1 and "Cloud Trace exporter unavailable" in caplog.text
            with tracing.span("y", SpanKind.SERVER, None):
                pass
            tracing.flush()
            assert build.call_count == 1  # the failure is remembered, not retried per batch
        finally:
            tracing.configure("none", "karya", PROJECT)


def test_gcp_exporter_hands_spans_to_cloud_trace():
    exported: list[str] = []
    fake = mock.MagicMock()
    fake.export.side_effect = lambda spans: exported.extend(s.name for s in spans) or 0
    with mock.patch("opentelemetry.exporter.cloud_trace.CloudTraceSpanExporter", return_value=fake) as build:
        tracing.configure("gcp", "karya", PROJECT)
        try:
            with tracing.span("GET /v1/karya/saya", SpanKind.SERVER, None):
                pass
            tracing.flush()
            assert exported == ["GET /v1/karya/saya"]
            assert build.call_args.kwargs == {"project_id": PROJECT}
        finally:
            tracing.configure("none", "karya", PROJECT)


def platform_settings(**extra):
    from shared.settings import Settings

    return Settings(GOOGLE_CLOUD_PROJECT=PROJECT, PMM_SERVICE="karya", PMM_AUTH_ISSUER="i",
                    PMM_AUTH_AUDIENCE="a", PMM_AUTH_CERTS_URL="c", **extra)


def test_a_cloudevent_invocation_exports_its_spans_before_it_answers(tmp_path):
    """Functions can be frozen once they have answered: `Platform.delivery` flushes on the way out."""
    from shared.platform import Platform

    path = tmp_path / "traces.jsonl"
    p = Platform(platform_settings(PMM_TRACE_EXPORTER="file", PMM_TRACE_FILE=str(path)), db=object())
    event, _ = emitted_in_span()
    ce = golden.to_cloud_event(golden.outbox_push(event, "karya_sapu_outbox", PROJECT))
    try:
        with p.delivery(ce, TOPIC, "karya_on_uji"):
            pass
        # no flush here: the spans must already be in the file (the batch delay is far longer than this)
        names = [json.loads(line)["name"] for line in path.read_text().splitlines()]
        assert f"process {TOPIC}" in names
    finally:
        tracing.configure("none", "karya", PROJECT)


def test_file_exporter_without_a_file_is_refused_at_start():
    from shared.settings import SettingsError, load_settings, Settings

    with pytest.raises(SettingsError, match="PMM_TRACE_FILE"):
        load_settings(Settings, GOOGLE_CLOUD_PROJECT=PROJECT, PMM_SERVICE="karya", PMM_AUTH_ISSUER="i",
                      PMM_AUTH_AUDIENCE="a", PMM_AUTH_CERTS_URL="c", PMM_TRACE_EXPORTER="file")


def test_a_failing_effect_marks_the_span_with_the_error_type_and_never_its_message(spans):
    event, _ = emitted_in_span()
    ce = golden.to_cloud_event(golden.outbox_push(event, "karya_sapu_outbox", PROJECT))

    def effect(tx, ev):
        raise RuntimeError("NIP 198705122010011003 guru@belajar.id tidak ditemukan")

    with pytest.raises(RuntimeError):
        consume(ce, topic=TOPIC, consumer="karya_on_uji", uow=FakeUow(), effect=effect)
    consumer_span = spans()[-1]
    assert consumer_span["kind"] == "CONSUMER" and consumer_span["status"] == "ERROR"
    assert consumer_span["attributes"]["exception.type"] == "RuntimeError"
    assert "198705122010011003" not in json.dumps(consumer_span) and "belajar.id" not in json.dumps(consumer_span)
