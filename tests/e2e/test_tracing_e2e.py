"""One trace across the whole local stack: a teacher agrees to the plan (kinerja, HTTP through the
gateway), kinerja's outbox publishes `kinerja.rencana.disepakati`, Pub/Sub pushes it to sinkro's
consumer; the kinerja request span, the sinkro consumer span and both services' log lines carry the
trace id the client sent in `traceparent` (file exporter: `.local/run/traces.jsonl`)."""
from __future__ import annotations

import json
import secrets
from pathlib import Path

import pytest

from tests.e2e.test_kinerja_alur import JAN, K, buka, ok, pada, siapkan_sekolah, susun_rencana
from tests.support import wait_until

pytestmark = pytest.mark.e2e
TOPIC = "kinerja.rencana.disepakati"


def read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    # a line still being written by another process is skipped until the next read
    out = []
    for line in path.read_text().splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            out.append(entry)
    return out


def test_one_trace_from_the_kinerja_request_to_the_sinkro_consumer(stack, as_user):
    ids = siapkan_sekolah(stack)
    guru, ks = as_user(ids["guru"], ids["e_guru"]), as_user(ids["ks"], ids["e_ks"])
    r = susun_rencana(guru, buka(guru))
    rid = r["rencana"]["rencana_id"]
    r = ok(guru.post(f"{K}/rencana/{rid}/ajukan", json={"versi": r["versi"]}, headers=pada(JAN)))
    r = ok(ks.post(f"{K}/rencana/{rid}/setujui", json={"versi": r["versi"]}, headers=pada(JAN)))

    trace_id, client_span = secrets.token_hex(16), secrets.token_hex(8)
    r = ok(guru.post(f"{K}/rencana/{rid}/sepakati", json={"versi": r["versi"]},
                     headers=pada(JAN) | {"traceparent": f"00-{trace_id}-{client_span}-01"}))
    assert r["rencana"]["status"] == "disepakati"

    def spans_of_trace() -> list[dict]:
        return [s for s in read_jsonl(stack.traces_file) if s["trace_id"] == trace_id]

    def both() -> list[dict] | None:
        spans = spans_of_trace()
        kinds = {(s["service"], s["kind"]) for s in spans}
        return spans if {("pmm-kinerja", "SERVER"), ("pmm-sinkro", "CONSUMER")} <= kinds else None

    spans = wait_until(both, timeout=90, interval=0.5, what=f"kinerja and sinkro spans of trace {trace_id}")
    [request] = [s for s in spans if s["kind"] == "SERVER"]
    assert request["name"] == "POST /v1/kinerja/rencana/<rencana_id>/sepakati"
    assert request["parent_span_id"] == client_span
    assert request["attributes"]["http.route"] == "/v1/kinerja/rencana/<rencana_id>/sepakati"
    assert request["attributes"]["http.response.status_code"] == 200
    assert rid not in json.dumps(request)
    [consumer] = [s for s in spans if s["service"] == "pmm-sinkro" and s["kind"] == "CONSUMER"]
    assert consumer["name"] == f"process {TOPIC}"
    # the consumer is a child of the span that emitted the event: the kinerja request
    assert consumer["parent_span_id"] == request["span_id"]
    assert consumer["attributes"]["messaging.consumer.group.name"] == "sinkro_on_rencana_disepakati"

    # both services' log lines name the same trace, each with its own span
    trace_name = f"projects/{stack.project}/traces/{trace_id}"
    logs = stack.state_dir / "logs"

    def lines(service: str) -> list[dict]:
        return [e for e in read_jsonl(logs / f"{service}.log") if e.get("logging.googleapis.com/trace") == trace_name]

    kinerja = wait_until(lambda: lines("kinerja"), timeout=30, what="kinerja log lines of the trace")
    sinkro = wait_until(lambda: [e for e in lines("sinkro") if e["message"] == "event consumed"], timeout=30,
                        what="sinkro log line of the trace")
    assert {e["logging.googleapis.com/spanId"] for e in kinerja} == {request["span_id"]}
    assert sinkro[0]["logging.googleapis.com/spanId"] == consumer["span_id"]
    assert sinkro[0]["logging.googleapis.com/trace_sampled"] is True
