"""Security invariants of what the Terraform deploys, evaluated from the generated data and the HCL:
each function reads only its own secrets, holds no project-wide role it does not need and reaches
only its own service's Firestore database; every environment's upload CORS is a real https origin;
every HTTP function is behind the load balancer (NEG, backend with Cloud Armor, URL-map route);
Cloud Armor evaluates the WAF before the rate rules, which limit per IP and per partner key."""
from __future__ import annotations

import importlib
import json
import re
from urllib.parse import urlsplit

import pytest

from infra import sync
from tests.infra.conftest import INFRA, parse_dir, parse_tf

ENVS = ["staging", "prod"]


def _needed_secrets(function: dict, catalog: dict) -> set[str]:
    """Secret ids a function's own Settings class (and the catalog's extras for it) read."""
    sync._ensure_path()
    module, _, cls_name = function["settings_class"].rpartition(".")
    fields = sync.settings_fields(getattr(importlib.import_module(module), cls_name))
    names = set(fields)
    trigger = function["trigger"]
    for extra in catalog.get("extras", []):
        if function["service"] in extra["services"] and trigger in extra["triggers"]:
            names |= set(extra["env"])
    return {catalog["env"][n]["secret"] for n in names if "secret" in catalog["env"].get(n, {})}


def test_each_secret_is_readable_only_by_the_functions_whose_settings_read_it(functions_doc, module_hcl):
    catalog = json.loads(sync.CATALOG.read_text())
    # what the platform grants: one accessor binding per (function, secret in its .secrets)
    assert module_hcl("platform")["locals"]["secret_accessors"].count("for env, secret in f.secrets") == 1
    granted: dict[str, set[str]] = {}
    for name, f in functions_doc["functions"].items():
        for secret in f["secrets"].values():
            granted.setdefault(secret, set()).add(name)
    needers: dict[str, set[str]] = {}
    for name, f in functions_doc["functions"].items():
        for secret in _needed_secrets(f, catalog):
            needers.setdefault(secret, set()).add(name)
    assert set(granted) == set(functions_doc["secrets"])
    for secret, holders in granted.items():
        assert holders <= needers.get(secret, set()), f"{secret}: readable by {sorted(holders - needers[secret])} needlessly"
        assert holders == needers[secret], f"{secret}: needed by {sorted(needers[secret] - holders)} but not granted"
    assert granted["berkas-hmac-secret"] < set(functions_doc["functions"])  # not everyone holds the upload key
    # and no other accessor grant exists anywhere
    grants = [p for p in INFRA.rglob("*.tf") if "secretmanager.secretAccessor" in p.read_text()]
    assert [p.relative_to(INFRA).as_posix() for p in grants] == ["modules/secrets/main.tf"]


def test_no_function_holds_a_project_wide_role_it_does_not_need(module_hcl):
    project_grants = {}
    for path in INFRA.rglob("*.tf"):
        for block in parse_tf(path).get("resource", []):
            for name, body in block.get("google_project_iam_member", {}).items():
                project_grants[f"{path.parent.name}.{name}"] = body
    assert set(project_grants) == {"iam.function", "iam.firestore"}, project_grants
    iam = module_hcl("iam")
    # unconditional: log writing (request logs) and span writing (shared/tracing.py exports to Cloud Trace)
    assert iam["locals"]["project_roles"] == ["roles/logging.logWriter", "roles/cloudtrace.agent"]
    assert any("opentelemetry.exporter.cloud_trace" in p.read_text()
               for p in (INFRA.parent / "shared").rglob("*.py")), "no Cloud Trace export left: drop its role"
    for lib in ("google.cloud.monitoring",):
        hits = [p for p in (INFRA.parent / "shared").rglob("*.py") if lib in p.read_text()]
        hits += [p for p in (INFRA.parent / "services").rglob("*.py") if lib in p.read_text()]
        assert not hits, f"{lib} used in {hits}: grant its role, then update this test"
    fs = project_grants["iam.firestore"]
    assert fs["role"] == "roles/datastore.user" and fs["for_each"] == "${var.functions}"
    cond = fs["condition"][0]
    assert cond["expression"] == ('resource.name == \\"projects/${var.project_id}/databases/'
                                  '${var.database_of[each.value.service]}\\"')


@pytest.mark.parametrize("layout", ["per_service", "shared"])
def test_each_function_reaches_only_its_services_firestore_database(layout, functions_doc, firestore_doc):
    """Evaluate the firestore module's database_of and the IAM condition for every function."""
    databases = firestore_doc["databases"]
    database_of = {svc: (db if layout == "per_service" else "(default)") for svc, db in databases.items()}
    allowed = {name: f"projects/P/databases/{database_of[f['service']]}" for name, f in functions_doc["functions"].items()}
    for name, f in functions_doc["functions"].items():
        others = {allowed[o] for o, g in functions_doc["functions"].items() if g["service"] != f["service"]}
        if layout == "per_service":
            assert allowed[name] not in others, f"{name} shares a database with another service"
        assert allowed[name].endswith(database_of[f["service"]])
    for db in databases.values():  # valid database ids: 4-63 of [a-z0-9-], a letter first
        assert re.fullmatch(r"[a-z][a-z0-9-]{2,61}[a-z0-9]", db), db
    # every index and field setting lands in the database of the service owning its collection
    for entry in list(firestore_doc["fields"].values()) + list(firestore_doc["composite_indexes"].values()):
        assert entry["collection"].startswith(entry["service"] + "__"), entry


def test_cors_origins_are_https_origins_in_every_environment(module_hcl):
    storage = module_hcl("storage")["resource"]["google_storage_bucket"]["berkas"]
    assert storage["cors"][0]["origin"] == "${var.cors_origins}"
    for env in ENVS:
        origins = parse_tf(INFRA / "envs" / env / "terraform.tfvars")["cors_origins"]
        assert origins, f"{env}: no CORS origin: browsers could not PUT to pre-signed URLs"
        for origin in origins:
            parts = urlsplit(origin)
            assert parts.scheme == "https" and parts.netloc and "*" not in origin, f"{env}: {origin}"
            assert parts.path == "" and not parts.query, f"{env}: an origin has no path: {origin}"


def test_every_http_function_has_a_neg_a_protected_backend_and_a_url_map_route(frontdoor_doc, functions_doc,
                                                                                module_hcl):
    lb = module_hcl("load_balancer")["resource"]
    neg = lb["google_compute_region_network_endpoint_group"]["this"]
    assert neg["for_each"] == "${var.services}" and neg["network_endpoint_type"] == "SERVERLESS"
    assert neg["region"] == "${var.region}"
    assert neg["cloud_run"][0]["service"] == "${var.cloud_run_services[each.value.function]}"
    backend = lb["google_compute_backend_service"]["this"]
    assert backend["for_each"] == "${var.services}" and backend["load_balancing_scheme"] == "EXTERNAL_MANAGED"
    assert backend["backend"][0]["group"] == "${google_compute_region_network_endpoint_group.this[each.key].id}"
    assert backend["security_policy"] == "${google_compute_security_policy.this.id}"
    matcher = lb["google_compute_url_map"]["https"]["path_matcher"][0]
    rule = matcher["dynamic"][0]["path_rule"]
    assert rule["for_each"] == "${var.services}"
    body = rule["content"][0]
    assert body["paths"] == ["${path_rule.value.prefix}", "${path_rule.value.prefix}/*"]
    assert body["service"] == "${google_compute_backend_service.this[path_rule.key].id}"
    # evaluate: every HTTP function gets a NEG + route; each served route reaches its own function
    services = frontdoor_doc["services"]
    http = {name for name, f in functions_doc["functions"].items() if f["trigger"] == "http"}
    assert {s["function"] for s in services.values()} == http
    url_map = [(p, svc) for svc, s in services.items() for p in (s["prefix"], s["prefix"] + "/*")]
    for route in frontdoor_doc["routes"]:
        hits = {svc for p, svc in url_map if (route["path"] == p if not p.endswith("*")
                                              else route["path"].startswith(p[:-1]))}
        assert hits == {route["service"]}, route
    platform = module_hcl("platform")["module"]["functions"]
    assert "region" in platform and module_hcl("platform")["module"]["load_balancer"]["region"] == "${var.region}"


def test_front_door_terminates_https_redirects_http_and_uses_the_public_host(module_hcl):
    lb = module_hcl("load_balancer")["resource"]
    https, http = lb["google_compute_global_forwarding_rule"]["https"], lb["google_compute_global_forwarding_rule"]["http"]
    assert https["port_range"] == "443" and https["load_balancing_scheme"] == "EXTERNAL_MANAGED"
    assert http["port_range"] == "80" and http["load_balancing_scheme"] == "EXTERNAL_MANAGED"
    assert https["ip_address"] == http["ip_address"] == "${google_compute_global_address.this.id}"
    redirect = lb["google_compute_url_map"]["redirect"]["default_url_redirect"][0]
    assert redirect["https_redirect"] is True and redirect["strip_query"] is False
    assert lb["google_compute_managed_ssl_certificate"]["this"]["managed"][0]["domains"] == ["${var.hostname}"]
    assert lb["google_compute_ssl_policy"]["this"]["min_tls_version"] == "TLS_1_2"
    assert module_hcl("platform")["module"]["load_balancer"]["hostname"] == "${local.public_host}"
    for env in ENVS:
        public = parse_tf(INFRA / "envs" / env / "terraform.tfvars")["public_url"]
        assert re.match(r"^https://([^/:]+)", public), f"{env}: public_url must be https://<host>"


def test_cloud_armor_runs_the_waf_before_the_rate_rules_and_limits_per_client(module_hcl):
    lb = module_hcl("load_balancer")
    policy = lb["resource"]["google_compute_security_policy"]["this"]
    assert policy["adaptive_protection_config"][0]["layer_7_ddos_defense_config"][0]["enable"] is True
    waf = lb["locals"]["waf_rules"]
    assert {"sqli-v33-stable", "xss-v33-stable", "lfi-v33-stable", "rce-v33-stable"} <= set(waf)
    dyn = {d_name: d for entry in policy["dynamic"] for d_name, d in [next(iter(entry.items()))]}
    assert "rule" in dyn
    enforced = [d for entry in policy["dynamic"] for d in entry.values()
                if d["for_each"] == "${local.waf_rules}"][0]["content"][0]
    assert enforced["action"] == "deny(403)" and "preview" not in enforced
    preview = [d for entry in policy["dynamic"] for d in entry.values()
               if d["for_each"] == "${local.waf_preview_rules}"][0]["content"][0]
    assert preview["preview"] is True
    rules = {r["priority"]: r for r in policy["rule"]}
    rate = {p: r for p, r in rules.items() if r["action"] in ("throttle", "rate_based_ban")}
    # a conforming rate rule allows (and stops evaluation): every WAF rule must come first
    assert max(list(waf.values()) + list(lb["locals"]["waf_preview_rules"].values())) < min(rate)
    keys = {r["rate_limit_options"][0]["enforce_on_key"]: r for r in rate.values()}
    partner = keys["HTTP_HEADER"]
    assert partner["rate_limit_options"][0]["enforce_on_key_name"] == "x-api-key"
    assert partner["match"][0]["expr"][0]["expression"] == "request.path.matches('${var.partner_path_regex}')"
    ip = keys["IP"]
    assert ip["action"] == "rate_based_ban" and ip["rate_limit_options"][0]["exceed_action"] == "deny(429)"
    assert rules[2147483647]["action"] == "allow"


@pytest.mark.parametrize("env", ENVS)
def test_rate_limits_are_within_cloud_armor_bounds(env):
    limits = parse_tf(INFRA / "envs" / env / "terraform.tfvars")["rate_limits"]
    intervals = {10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600}
    assert limits["interval_sec"] in intervals and limits["partner_interval_sec"] in intervals
    assert 1 <= limits["ip_throttle_count"] < limits["ip_ban_count"] <= 10_000
    assert limits["ban_duration_sec"] >= limits["interval_sec"]
    assert 1 <= limits["partner_key_count"] <= 1_000_000


def test_hmac_key_secret_never_in_terraform_state_and_pair_is_pinned_together():
    texts = {p: p.read_text() for p in INFRA.rglob("*.tf")}
    assert not [p for p, t in texts.items() if "google_storage_hmac_key" in t]
    assert not [p for p, t in texts.items() if "google_secret_manager_secret_version" in t]
    for env in ENVS:
        pinned = parse_tf(INFRA / "envs" / env / "terraform.tfvars")["secret_versions"]
        assert pinned["berkas-hmac-access-id"] == pinned["berkas-hmac-secret"], env
        assert parse_dir(INFRA / "envs" / env)["module"]["platform"]["secret_versions"] == "${var.secret_versions}"


def test_terraform_and_the_runtime_agree_on_each_services_database(firestore_doc, functions_doc):
    """Functions open the database Settings names (PMM_FIRESTORE_DATABASE, Terraform sets it per
    service; unset, the service's own): both sides must agree, and per_service is the default."""
    from shared.settings import Settings, database_id

    assert "PMM_FIRESTORE_DATABASE" in sync.settings_fields(Settings)
    for service, database in firestore_doc["databases"].items():
        assert database == database_id(service)
        assert Settings(GOOGLE_CLOUD_PROJECT="demo-pmm-x", PMM_SERVICE=service, PMM_AUTH_ISSUER="i",
                        PMM_AUTH_AUDIENCE="a", PMM_AUTH_CERTS_URL="http://c").database == database
    for f in functions_doc["functions"].values():
        assert "PMM_FIRESTORE_DATABASE" in f["defaults"]  # set by modules/functions, not the catalog
    for folder in [INFRA / "platform"] + [INFRA / "envs" / env for env in ENVS]:
        assert parse_dir(folder)["variable"]["firestore_layout"]["default"] == "per_service", folder
    for env in ENVS:
        layout = parse_tf(INFRA / "envs" / env / "terraform.tfvars").get("firestore_layout", "per_service")
        assert layout == "per_service", f"{env}: shared is for rolling back only"
