"""The generated data Terraform reads agrees with the code: the drift checks.

Terraform's `for_each` over infra/generated/*.json deploys exactly what those files list (see
test_terraform.py), so code and infrastructure are in step when those files are (a) what the
generator makes from the code now and (b) in agreement with the registry, the entry points, the
Settings classes and the routes, checked here independently of the generator."""
from __future__ import annotations

import copy
import json
import re
import warnings

import pytest

from infra import sync
from tests.infra.conftest import GENERATED


def test_generated_files_are_up_to_date():
    stale = sync.stale()
    assert not stale, (f"infra/generated/{', '.join(stale)} no longer match the code "
                       "(a topic, subscription, entry point, setting or route changed): run `make infra-sync` "
                       "and commit infra/generated/")


def test_code_declares_nothing_production_cannot_have():
    problems = sync.problems()
    assert not problems, "\n".join(problems)


def test_pending_consumers_are_reported(messaging):
    pending = messaging["pending_subscriptions"]
    if pending:
        warnings.warn("subscriptions registered ahead of their functions (topic deployed, push subscription "
                      "not yet): " + ", ".join(sorted(pending)), stacklevel=1)
    for sid, p in pending.items():
        assert p["topic"] in messaging["topics"], f"{sid}: its topic must still be deployed"
        assert sid not in messaging["subscriptions"]


def test_registry_and_terraform_data_agree_both_ways(messaging):
    assert sync.registry_drift(messaging) == []


def test_a_topic_missing_from_terraform_fails_the_check(messaging, tmp_path):
    """Deliberate drift: a copy of the Terraform data with one registered topic removed."""
    drifted_dir = tmp_path / "generated"
    drifted_dir.mkdir()
    for name, text in sync.render().items():  # what the code generates now, then one topic dropped
        (drifted_dir / name).write_text(text)
    topic = next(t for t, s in messaging["topics"].items() if s["producer"] == "cloud_scheduler")
    drifted = copy.deepcopy(messaging)
    del drifted["topics"][topic]
    (drifted_dir / "messaging.json").write_text(json.dumps(drifted, indent=2))

    problems = sync.registry_drift(drifted)
    assert f"topic {topic} is registered in shared/contracts but not deployed by Terraform" in problems
    # its subscribers now read a topic Terraform would not create
    assert any("which Terraform does not deploy" in p for p in problems)
    assert sync.stale(drifted_dir) == ["messaging.json"]


def test_a_topic_deployed_but_gone_from_code_fails_the_check(messaging):
    drifted = copy.deepcopy(messaging)
    drifted["topics"]["karya.karya.dihilangkan"] = {"producer": "karya", "description": "", "payload": "X"}
    assert "topic karya.karya.dihilangkan is deployed by Terraform but no longer registered in shared/contracts" \
        in sync.registry_drift(drifted)


def test_a_subscription_without_its_dead_letter_topic_fails_the_check(messaging):
    drifted = copy.deepcopy(messaging)
    sid, sub = next(iter(drifted["subscriptions"].items()))
    del drifted["dead_letter_topics"][sub["dead_letter_topic"]]
    assert any(sub["dead_letter_topic"] in p for p in sync.registry_drift(drifted))


def test_every_entry_point_is_deployed_and_nothing_else(functions_doc):
    in_code = {name: (svc, kind) for svc in sync.services() for name, kind in sync.entry_points(svc).items()}
    deployed = functions_doc["functions"]
    assert set(in_code) == set(deployed), (
        f"in code, not deployed: {sorted(set(in_code) - set(deployed))}; "
        f"deployed, not in code: {sorted(set(deployed) - set(in_code))}")
    for name, (svc, kind) in in_code.items():
        assert deployed[name]["service"] == svc
        assert deployed[name]["trigger"] == ("http" if kind == "http" else "pubsub")
        assert deployed[name]["entry_point"] == name


def test_entry_points_match_what_functions_framework_registers():
    """The AST reading agrees with the decorators at run time."""
    from functions_framework import _function_registry

    for svc in sync.services():
        sync.load_main(svc)
        for name, kind in sync.entry_points(svc).items():
            want = "http" if kind == "http" else "cloudevent"
            assert _function_registry.REGISTRY_MAP.get(name) == want, name


def test_every_service_has_one_http_api(functions_doc):
    for svc in sync.services():
        assert functions_doc["functions"].get(f"{svc}_api", {}).get("trigger") == "http", svc


def test_each_event_function_is_pushed_by_its_subscriptions(functions_doc, messaging):
    for name, f in functions_doc["functions"].items():
        if f["trigger"] == "pubsub":
            assert f["subscriptions"], f"{name} has no push subscription"
            for sid in f["subscriptions"]:
                assert messaging["subscriptions"][sid]["function"] == name


def test_env_covers_every_required_setting(functions_doc):
    for name, f in functions_doc["functions"].items():
        cls = sync.settings_class(f["service"])
        assert f["settings_class"] == f"{cls.__module__}.{cls.__name__}"
        required = {(fld.alias or n) for n, fld in cls.model_fields.items() if fld.is_required()}
        provided = set(f["env"]) | set(f["secrets"])
        assert required <= provided, f"{name}: production sets no {sorted(required - provided)}"
        assert f["env"]["PMM_SERVICE"] == f["service"]
        assert f["env"]["GOOGLE_CLOUD_PROJECT"] == "ref:project_id"
        assert "FIRESTORE_EMULATOR_HOST" not in f["env"] and "PUBSUB_EMULATOR_HOST" not in f["env"]


def test_secret_values_never_appear_as_plain_env(functions_doc):
    catalog = json.loads((sync.CATALOG).read_text())["env"]
    secret_names = {n for n, s in catalog.items() if "secret" in s}
    for name, f in functions_doc["functions"].items():
        assert not (set(f["env"]) & secret_names), name
        assert set(f["secrets"].values()) <= set(functions_doc["secrets"])


def test_service_accounts_are_one_per_function_and_valid(functions_doc):
    ids = [f["service_account_id"] for f in functions_doc["functions"].values()]
    assert len(ids) == len(set(ids))
    for sa in ids:
        assert re.fullmatch(r"[a-z][-a-z0-9]{4,28}[a-z0-9]", sa), sa
    assert sync.account_id("umpan_balik_on_karya_dipublikasikan_yang_panjang").__len__() <= 30


def test_scheduler_jobs(messaging):
    from shared.contracts import TOPICS

    jobs = {j["topic"]: j for j in messaging["scheduler_jobs"].values()}
    assert jobs["jadwal.outbox.sapu"]["schedule"] == "* * * * *"
    for topic, job in jobs.items():
        assert TOPICS[topic].producer == "cloud_scheduler"
        assert json.loads(job["data"])["jadwal"] == topic
        assert job["time_zone"] == "Asia/Jakarta"
    wanted = {"jadwal.outbox.sapu", "jadwal.sinkro.harian", "jadwal.karya.periksa"}
    assert wanted <= set(jobs) | {j["topic"] for j in messaging["pending_scheduler_jobs"].values()}


def _service_routes() -> set[tuple[str, str]]:
    out = set()
    for svc in sync.services():
        if f"{svc}_api" in sync.entry_points(svc):
            for r in sync.api_of(svc).routes:
                out.add((r.method.lower(), re.sub(r"<([a-z_]+)>", r"{\1}", r.path)))
    return out


def test_frontdoor_routes_are_exactly_the_services_routes(frontdoor_doc):
    routed = {(r["method"].lower(), r["path"]) for r in frontdoor_doc["routes"]}
    served = _service_routes()
    assert routed == served, (f"served, not routed: {sorted(served - routed)}; "
                              f"routed, not served: {sorted(routed - served)}")


def test_frontdoor_sends_each_prefix_to_its_own_http_function(frontdoor_doc, functions_doc):
    services = frontdoor_doc["services"]
    http = {f["service"]: name for name, f in functions_doc["functions"].items() if f["trigger"] == "http"}
    assert set(services) == set(http)
    for svc, entry in services.items():
        assert entry["prefix"] == sync.api_of(svc).prefix == f"/v1/{entry['slug']}"
        assert entry["function"] == http[svc]
        assert entry["deploy_name"] == functions_doc["functions"][http[svc]]["deploy_name"]
    prefixes = [e["prefix"] for e in services.values()]
    # no prefix is a path-prefix of another: `/v1/<slug>/*` URL-map rules cannot overlap
    assert not [(a, b) for a in prefixes for b in prefixes if a != b and b.startswith(a + "/")]
    for route in frontdoor_doc["routes"]:
        assert route["path"].startswith(services[route["service"]]["prefix"] + "/"), route


def test_partner_routes_are_the_x_api_key_routes_and_the_regex_matches_exactly_them(frontdoor_doc):
    partner = {(r.method.upper(), re.sub(r"<([a-z_]+)>", r"{\1}", r.path))
               for svc in sync.services() for r in sync.api_of(svc).routes if r.auth == "partner"}
    assert partner, "the e-Kinerja route is called with x-api-key"
    assert {(r["method"], r["path"]) for r in frontdoor_doc["partner_routes"]} == partner
    regex = re.compile(frontdoor_doc["partner_path_regex"])
    for route in frontdoor_doc["routes"]:
        concrete = re.sub(r"\{[^/]+\}", "x1", route["path"])
        is_partner = (route["method"], route["path"]) in partner
        assert bool(regex.search(concrete)) == is_partner or not is_partner and any(
            (m, route["path"]) in partner for m in ("GET", "POST", "PUT", "PATCH", "DELETE")), route["path"]
    # it sits in a single-quoted Cloud Armor CEL string: no quote, no backslash escape
    assert "'" not in regex.pattern and "\\" not in regex.pattern


def test_path_regex_is_literal_without_backslashes():
    regex = sync._path_regex("/v1/umpan-balik/saya/{karya_id}/openapi.json")
    assert regex == "^/v1/umpan-balik/saya/[^/]+/openapi[.]json$" and "\\" not in regex
    assert re.search(regex, "/v1/umpan-balik/saya/k-1/openapi.json")
    assert not re.search(regex, "/v1/umpan-balik/saya/k-1/openapiXjson")
    with pytest.raises(sync.SyncError):
        sync._path_regex("/v1/sinkro/a b")


def test_firestore_data_covers_every_service(firestore_doc):
    from shared.contracts.registry import SERVICES

    fields = firestore_doc["fields"]
    for svc in SERVICES:
        assert fields[f"{svc}__outbox.dibuat"]["indexed"] is True
        ttl = fields[f"{svc}__ledger.kedaluwarsa"]
        assert ttl["ttl"] is True and ttl["indexed"] is False
