"""Deliveries as Google makes them: each push subscription waits at least as long as its function may
run (in every stage), scheduler jobs publish only static data and attributes (no per-run identity to
rely on), every push subscription ends in a dead-letter topic after a bounded number of attempts."""
from __future__ import annotations

import json

import hcl2
import pytest

from tests.infra.conftest import INFRA

ENVS = sorted(p.parent.name for p in (INFRA / "envs").glob("*/terraform.tfvars"))


def _one(value):
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def timeout_of(env: str, function: str, role: str) -> int:
    """The function's timeout in `env`, read from the tfvars the way modules/functions merges them."""
    doc = hcl2.loads((INFRA / "envs" / env / "terraform.tfvars").read_text())
    override = _one(_one(doc.get("scaling", {})).get(function, {}))
    if "timeout_seconds" in override:
        return int(_one(override["timeout_seconds"]))
    return int(_one(_one(_one(doc["scaling_defaults"])[role])["timeout_seconds"]))


def test_there_are_stages_to_check():
    assert {"staging", "prod"} <= set(ENVS)


@pytest.mark.parametrize("env", ENVS)
def test_each_push_subscription_waits_at_least_its_functions_timeout(env, messaging, functions_doc):
    functions = functions_doc["functions"]
    for sid, sub in messaging["subscriptions"].items():
        fn = sub["function"]
        timeout = timeout_of(env, fn, functions[fn]["role"])
        ack = sub["ack_deadline_seconds"][env]
        assert ack >= timeout, f"{env}: {sid} ack deadline {ack} s < {fn} timeout {timeout} s (redelivered while running)"
        assert 10 <= ack <= 600, f"{env}: {sid} ack deadline {ack} s outside Pub/Sub's 10..600 s"


def test_the_video_recheck_runs_long_in_prod_and_its_subscription_waits_for_it(messaging):
    assert messaging["subscriptions"]["karya_periksa_video.push"]["ack_deadline_seconds"]["prod"] == 540


@pytest.mark.parametrize("env", ENVS)
def test_the_video_recheck_round_stops_within_its_functions_timeout(env):
    from karya.service import ANGGARAN_PERIKSA_DETIK, CADANGAN_PERIKSA_DETIK

    assert ANGGARAN_PERIKSA_DETIK + CADANGAN_PERIKSA_DETIK <= timeout_of(env, "karya_periksa_video", "consumer")


def test_terraform_takes_the_ack_deadline_per_subscription_and_stage(module_hcl):
    push = module_hcl("pubsub")["resource"]["google_pubsub_subscription"]["push"]
    assert push["ack_deadline_seconds"] == "${each.value.ack_deadline_seconds[var.environment]}"
    assert module_hcl("platform")["module"]["pubsub"]["environment"] == "${var.environment}"
    dead = push["dead_letter_policy"][0]
    assert dead["max_delivery_attempts"] == "${var.max_delivery_attempts}"
    default = module_hcl("pubsub")["variable"]["max_delivery_attempts"]["default"]
    assert 5 <= int(default) <= 100  # Pub/Sub's bounds: never an endless retry


def test_scheduler_jobs_publish_static_data_and_attributes_only(messaging, module_hcl):
    target = module_hcl("scheduler")["resource"]["google_cloud_scheduler_job"]["this"]["pubsub_target"][0]
    assert target["data"] == "${base64encode(each.value.data)}"
    assert target["attributes"] == "${each.value.attributes}"
    assert messaging["scheduler_jobs"]
    for name, job in messaging["scheduler_jobs"].items():
        data = json.loads(job["data"])
        assert data["jadwal"] == job["topic"] and data["periode_detik"] >= 60, name
        # identity comes per delivery (messageId + publishTime): no CloudEvents attributes a job would repeat
        assert not [k for k in job["attributes"] if k.startswith(("ce-", "goog"))], name


def test_tick_periods_follow_the_cron(messaging):
    periods = {j["topic"]: json.loads(j["data"])["periode_detik"] for j in messaging["scheduler_jobs"].values()}
    assert periods["jadwal.outbox.sapu"] == 60
    assert periods["jadwal.sinkro.harian"] == periods["jadwal.karya.periksa"] == 86400


# --- the local cloud sends what production sends
def test_local_scheduler_publishes_exactly_what_the_deployed_jobs_publish(messaging):
    import base64

    from local.cloud import tick_message
    from tests import golden

    for job in messaging["scheduler_jobs"].values():
        assert tick_message(job["topic"]) == (job["data"].encode(), job["attributes"])
    sapu = golden.template("pubsub_push_jadwal")["body"]["message"]
    assert tick_message("jadwal.outbox.sapu") == (base64.b64decode(sapu["data"]), sapu["attributes"])


def test_local_scheduler_reads_the_cron_in_the_jobs_time_zone():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from local.cloud import cron_matches

    wib = ZoneInfo("Asia/Jakarta")
    assert cron_matches("* * * * *", datetime(2026, 12, 3, 13, 7, tzinfo=wib))
    assert cron_matches("0 1 * * *", datetime(2026, 12, 3, 1, 0, tzinfo=wib))
    assert not cron_matches("0 1 * * *", datetime(2026, 12, 3, 1, 1, tzinfo=wib))
    assert cron_matches("30 2 * * *", datetime(2026, 12, 4, 2, 30, tzinfo=wib))
    assert not cron_matches("30 2 * * *", datetime(2026, 12, 4, 3, 30, tzinfo=wib))
    assert cron_matches("*/15 8-17 * * 1-5", datetime(2026, 12, 4, 9, 45, tzinfo=wib))  # a Friday
    assert not cron_matches("*/15 8-17 * * 1-5", datetime(2026, 12, 5, 9, 45, tzinfo=wib))  # Saturday


def test_local_push_subscriptions_wait_as_long_as_production_does(messaging):
    from local.cloud import ack_deadline

    for sid, sub in messaging["subscriptions"].items():
        assert ack_deadline(sid) == max(sub["ack_deadline_seconds"].values())


def test_local_scheduler_process_publishes_each_due_job_once_a_minute():
    """One minute of the stand-in at 01:00 WIB: the sweeper and the daily Sinkro job fire, each once,
    with the deployed data and attributes; the video re-check (02:30) does not."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from local.cloud import run_scheduler, tick_message

    published = []

    class Publisher:
        def topic_path(self, project, topic):
            return f"projects/{project}/topics/{topic}"

        def publish(self, path, data, **attributes):
            published.append((path, data, attributes))

            class Done:
                def result(self, timeout=None):
                    return str(len(published))

            return Done()

    start = datetime(2026, 12, 4, 1, 0, 5, tzinfo=ZoneInfo("Asia/Jakarta")).timestamp()
    times = iter([start, start + 1, start + 20, start + 21])  # two loops within the same minute
    loops = iter([False, False, True])
    run_scheduler("demo-x", stop=lambda: next(loops), publisher=Publisher(), clock=lambda: next(times),
                  sleep=lambda s: None)
    assert sorted(p for p, _, _ in published) == ["projects/demo-x/topics/jadwal.outbox.sapu",
                                                  "projects/demo-x/topics/jadwal.sinkro.harian"]
    for path, data, attributes in published:
        assert (data, attributes) == tick_message(path.rsplit("/", 1)[1])


def test_scheduler_jobs_set_no_attempt_deadline(module_hcl, messaging):
    """Ignored for Pub/Sub targets (a permanent plan diff); the push ack deadline bounds the work."""
    assert "attempt_deadline" not in module_hcl("scheduler")["resource"]["google_cloud_scheduler_job"]["this"]
    assert not [j for j in messaging["scheduler_jobs"].values() if "attempt_deadline" in j]
