"""infra/modules/monitoring: the alerts come from the generated data (every dead-letter queue has a
backlog alert, every push subscription an age alert, every HTTP function 5xx and latency alerts and
SLOs), the log-based metrics read the fields the services really log, every alert links a section
of docs/runbook.md that exists, and both stages pass what the module needs.

Terraform cannot run here (no provider downloads), so the per-entry expressions are rendered for each
entry of the generated data the way Terraform's for_each would: `${each.key}`, `${each.value.x}` and
the module's plain string locals."""
from __future__ import annotations

import json
import logging
import re
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from tests.infra.conftest import INFRA, ROOT, parse_dir, parse_tf

RUNBOOK = ROOT / "docs" / "runbook.md"
ENVS = ["staging", "prod"]


@pytest.fixture(scope="module")
def mon() -> dict:
    return parse_dir(INFRA / "modules" / "monitoring")


def _policies(mon) -> dict:
    return mon["resource"]["google_monitoring_alert_policy"]


def _render(template: str, mon: dict, key: str, value: dict, services: dict[str, str] | None = None) -> str:
    """One for_each instance of a string: what Terraform would interpolate for (key, value)."""
    out = template.replace('\\"', '"')
    for name in ("run_revision", "subscription", "metric_ekinerja", "metric_youtube"):
        out = out.replace("${local.%s}" % name, mon["locals"][name].replace('\\"', '"'))
    out = out.replace("${var.services[each.key]}", (services or {}).get(key, "<no service>"))
    out = out.replace("${each.key}", key)
    out = re.sub(r"\$\{each\.value\.(\w+)\}", lambda m: str(value[m.group(1)]), out)
    assert "${each." not in out, out
    return out


def _filter(policy: dict) -> str:
    (cond,) = policy["conditions"]
    return cond["condition_threshold"][0]["filter"]


def test_the_platform_feeds_the_module_the_generated_data():
    m = parse_dir(INFRA / "platform")["module"]["monitoring"]
    assert m["source"] == "../modules/monitoring"
    assert m["functions"] == "${local.functions}"
    assert m["subscriptions"] == "${local.messaging.subscriptions}"
    assert m["dead_letter_topics"] == "${local.messaging.dead_letter_topics}"
    assert m["services"] == "${module.functions.services}"
    assert m["scaling"] == "${module.functions.scaling}"
    assert m["notification_channels"] == "${var.notification_channels}"


def test_every_dead_letter_subscription_has_a_backlog_alert(mon, messaging):
    p = _policies(mon)["dead_letter"]
    assert p["for_each"] == "${var.dead_letter_topics}"
    cond = p["conditions"][0]["condition_threshold"][0]
    assert cond["threshold_value"] == 0 and cond["comparison"] == "COMPARISON_GT" and cond["duration"] == "300s"
    dlqs = messaging["dead_letter_topics"]
    assert len(dlqs) == len(messaging["subscriptions"]) > 0  # one queue per push subscription
    for key, dlq in dlqs.items():
        f = _render(_filter(p), mon, key, dlq)
        assert dlq["subscription"].endswith(".dlq.sub")
        assert f'resource.label.subscription_id="{dlq["subscription"]}"' in f
        assert 'metric.type="pubsub.googleapis.com/subscription/num_undelivered_messages"' in f
        assert 'resource.type="pubsub_subscription"' in f
        assert f"make replay TOPIC={dlq['subscription']}" in _render(p["documentation"][0]["content"], mon, key, dlq)


def test_every_push_subscription_has_an_age_alert_and_overrides_name_real_ones(mon, messaging):
    p = _policies(mon)["oldest_unacked"]
    assert p["for_each"] == "${var.subscriptions}"
    for key, sub in messaging["subscriptions"].items():
        f = _render(_filter(p), mon, key, sub)
        assert f'resource.label.subscription_id="{key}"' in f
        assert "subscription/oldest_unacked_message_age" in f
    for env in ENVS:
        overrides = parse_tf(INFRA / "envs" / env / "terraform.tfvars").get("oldest_unacked_age_overrides", {})
        assert set(overrides) <= set(messaging["subscriptions"]), f"{env}: {set(overrides)}"


def test_every_http_function_has_5xx_and_latency_alerts_and_slos(mon, functions_doc, frontdoor_doc):
    assert mon["locals"]["http_functions"] == '${{for name, f in var.functions : name => f if f.trigger == "http"}}'
    http = {n: f for n, f in functions_doc["functions"].items() if f["trigger"] == "http"}
    assert set(http) == {s["function"] for s in frontdoor_doc["services"].values()}  # every API
    services = {n: f["deploy_name"] for n, f in http.items()}
    pol = _policies(mon)
    for name in ("error_5xx", "latency_p99"):
        assert pol[name]["for_each"] == "${local.http_functions}", name
    for kind in ("availability", "latency"):
        assert mon["resource"]["google_monitoring_slo"][kind]["for_each"] == "${local.http_functions}"
    assert mon["resource"]["google_monitoring_custom_service"]["api"]["for_each"] == "${local.http_functions}"

    for key, fn in http.items():
        cond = pol["error_5xx"]["conditions"][0]["condition_threshold"][0]
        num = _render(cond["filter"], mon, key, fn, services)
        den = _render(cond["denominator_filter"], mon, key, fn, services)
        for f in (num, den):
            assert f'resource.label.service_name="{fn["deploy_name"]}"' in f
            assert 'metric.type="run.googleapis.com/request_count"' in f
        assert 'metric.label.response_code_class="5xx"' in num and "response_code_class" not in den

        lat = pol["latency_p99"]["conditions"][0]["condition_threshold"][0]
        assert 'metric.type="run.googleapis.com/request_latencies"' in _render(lat["filter"], mon, key, fn, services)
        assert lat["aggregations"][0]["cross_series_reducer"] == "REDUCE_PERCENTILE_99"


def test_near_max_alerts_follow_the_tfvars_scaling(mon):
    p = _policies(mon)["instances_near_max"]
    assert p["for_each"] == "${local.scaled_functions}"
    assert "var.scaling[name].max_instances > 1" in mon["locals"]["scaled_functions"]
    cond = p["conditions"][0]["condition_threshold"][0]
    assert "var.scaling[each.key].max_instances" in cond["threshold_value"]
    assert "run.googleapis.com/container/instance_count" in cond["filter"]
    outputs = parse_dir(INFRA / "modules" / "functions")["output"]
    assert outputs["scaling"]["value"] == "${local.scaling}"  # the same values the functions deploy with


def test_every_alert_links_a_runbook_section_that_exists(mon):
    runbook = RUNBOOK.read_text()
    anchors = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', runbook))
    docs = mon["locals"]["docs"]
    declared = set(re.findall(r'"([a-z0-9-]+)"', docs.split(":")[0]))
    assert "docs/runbook.md#${anchor}" in docs and "${var.runbook_url}#${anchor}" in docs
    assert declared <= anchors, f"sections missing in docs/runbook.md: {declared - anchors}"
    policies = _policies(mon)
    assert len(policies) >= 8
    for name, p in policies.items():
        content = p["documentation"][0]["content"]
        used = re.findall(r'local\.docs\[\\?"([a-z0-9-]+)\\?"\]', content)
        assert used and set(used) <= declared, f"{name}: {content}"
        assert p["notification_channels"] == "${var.notification_channels}", name


def test_the_ekinerja_metric_reads_what_sinkro_logs_on_a_send(mon):
    metric = mon["resource"]["google_logging_metric"]["ekinerja"]
    assert 'jsonPayload.message=\\"sinkronisasi dicatat\\"' in metric["filter"]
    src = (ROOT / "services" / "sinkro" / "sinkro" / "service.py").read_text()
    call = re.search(r'log\.info\("sinkronisasi dicatat", extra=\{(.*?)\}\)', src, re.S)
    assert call, "sinkro no longer logs 'sinkronisasi dicatat'"
    logged = set(re.findall(r'"(\w+)":', call.group(1)))
    for label, extractor in metric["label_extractors"].items():
        assert extractor == f"EXTRACT(jsonPayload.{label})" and label in logged, label
    alert = _policies(mon)["ekinerja_galat_9"]["conditions"][0]["condition_threshold"][0]
    assert 'metric.label.nomor_galat=\\"9\\"' in alert["filter"] and "nomor_galat" not in alert["denominator_filter"]


def test_the_youtube_metric_reads_what_karya_logs(mon, capsys):
    """karya's own quota line, formatted as Cloud Logging reads it, carries the fields the metric extracts."""
    from karya import service
    from shared.logs import CloudLoggingFormatter

    metric = mon["resource"]["google_logging_metric"]["youtube"]
    handler = logging.StreamHandler()
    handler.setFormatter(CloudLoggingFormatter())
    lines: list[str] = []
    handler.emit = lambda record: lines.append(handler.format(record))  # type: ignore[method-assign]
    service.log.addHandler(handler)
    try:
        broken = SimpleNamespace(db=SimpleNamespace(collection=lambda *_: (_ for _ in ()).throw(RuntimeError())))
        service.catat_kuota(broken, "simpan_karya", 1, datetime(2026, 1, 5, tzinfo=timezone.utc))
    finally:
        service.log.removeHandler(handler)
    entry = json.loads(lines[0])
    assert f'jsonPayload.message=\\"{entry["message"]}\\"' in metric["filter"]
    field = re.fullmatch(r"EXTRACT\(jsonPayload\.(\w+)\)", metric["value_extractor"]).group(1)
    assert entry[field] == 1
    assert entry["use_case"] == "simpan_karya" and metric["label_extractors"]["use_case"] == "EXTRACT(jsonPayload.use_case)"
    promql = _policies(mon)["youtube_quota"]["conditions"][0]["condition_prometheus_query_language"][0]["query"]
    assert "logging_googleapis_com:user_" in promql and "_sum" in promql  # the distribution's sum


def test_both_stages_set_thresholds_slos_and_channels():
    for env in ENVS:
        tfvars = parse_tf(INFRA / "envs" / env / "terraform.tfvars")
        assert isinstance(tfvars["notification_channels"], list)
        assert all(c.startswith("projects/") for c in tfvars["notification_channels"])
        slo = tfvars["slo"]
        assert 0.9 <= slo["availability"] < 1 and 0.5 <= slo["latency"] < 1 and slo["latency_ms"] > 0
        t = tfvars["alert_thresholds"]
        assert 0 < t["error_ratio_5xx"] < 1 and 0 < t["instances_near_max_ratio"] < 1
        assert 0 < t["youtube_units_per_day"] <= 10_000  # below YouTube's default daily quota


def test_runbook_is_linked_from_the_readmes():
    assert "docs/runbook.md" in (ROOT / "README.md").read_text()
    assert "../docs/runbook.md" in (INFRA / "README.md").read_text()


def test_one_dashboard_built_with_jsonencode_covering_every_alerted_signal(mon):
    (dash,) = mon["resource"]["google_monitoring_dashboard"].values()
    assert dash["dashboard_json"].startswith("${jsonencode(")
    charts = mon["locals"]["chart"]
    for signal in ("run.googleapis.com/request_count", "run.googleapis.com/request_latencies",
                   "run.googleapis.com/container/instance_count", "subscription/num_undelivered_messages",
                   "subscription/oldest_unacked_message_age", "google_logging_metric.ekinerja.name"):
        assert signal in charts, signal
    assert "google_logging_metric.youtube.name" in str(mon["locals"]["youtube_chart"])
