"""The HCL itself: it parses, and it wires every entry of the generated data (for_each over the
decoded files, never a hand list), with the settings production needs (OIDC push, retry, dead
letters, one service account per function, env vars, scaling variables)."""
from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.infra.conftest import INFRA, parse_dir, parse_tf

MODULES = ["kms", "iam", "secrets", "storage", "firestore", "functions", "pubsub", "scheduler", "load_balancer"]
ENVS = ["staging", "prod"]


def test_every_tf_file_parses():
    files = sorted(INFRA.rglob("*.tf"))
    assert len(files) >= 40
    for path in files:
        parse_tf(path)  # raises on a syntax error


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform binary not installed")
def test_terraform_fmt_is_clean():
    proc = subprocess.run(["terraform", "fmt", "-check", "-recursive", str(INFRA)], capture_output=True, text=True)
    assert proc.returncode == 0, f"run `terraform fmt -recursive infra`: {proc.stdout}"


def test_platform_reads_the_generated_files_and_feeds_the_modules(module_hcl):
    p = module_hcl("platform")
    loc = p["locals"]
    assert "jsondecode(file(" in loc["messaging"] and "generated/messaging.json" in loc["messaging"]
    assert "generated/functions.json" in loc["catalogue"]
    assert "generated/firestore.json" in loc["firestore"]
    m = p["module"]
    assert set(MODULES) <= set(m)
    assert m["pubsub"]["topics"] == "${local.messaging.topics}"
    assert m["pubsub"]["subscriptions"] == "${local.messaging.subscriptions}"
    assert m["pubsub"]["dead_letter_topics"] == "${local.messaging.dead_letter_topics}"
    assert m["scheduler"]["jobs"] == "${local.messaging.scheduler_jobs}"
    assert m["functions"]["functions"] == "${local.functions}"
    assert m["iam"]["functions"] == "${local.functions}"
    assert m["secrets"]["secret_ids"] == "${local.catalogue.secrets}"
    assert m["firestore"]["fields"] == "${local.firestore.fields}"
    assert m["firestore"]["composite_indexes"] == "${local.firestore.composite_indexes}"
    assert "generated/frontdoor.json" in loc["frontdoor"]
    assert m["load_balancer"]["services"] == "${local.frontdoor.services}"
    assert m["load_balancer"]["cloud_run_services"] == "${module.functions.services}"
    assert m["load_balancer"]["partner_path_regex"] == "${local.frontdoor.partner_path_regex}"
    assert m["firestore"]["databases"] == "${local.firestore.databases}"
    assert m["iam"]["database_of"] == m["functions"]["database_of"] == "${module.firestore.database_of}"
    assert m["pubsub"]["push_endpoints"] == "${module.functions.uris}"


def test_each_module_has_its_files(module_hcl):
    for name in MODULES:
        for f in ("main.tf", "variables.tf", "outputs.tf"):
            assert (INFRA / "modules" / name / f).exists(), f"modules/{name}/{f}"
        assert module_hcl(name)["resource"], name


def test_pubsub_topics_dlqs_and_push_subscriptions(module_hcl):
    r = module_hcl("pubsub")["resource"]
    assert r["google_pubsub_topic"]["topic"]["for_each"] == "${var.topics}"
    assert r["google_pubsub_topic"]["dlq"]["for_each"] == "${var.dead_letter_topics}"
    for t in r["google_pubsub_topic"].values():
        assert t["kms_key_name"] == "${var.kms_key_id}"
    dlq_sub = r["google_pubsub_subscription"]["dlq"]
    assert dlq_sub["for_each"] == "${var.dead_letter_topics}"
    assert "push_config" not in dlq_sub  # pull: dead letters wait for a person
    push = r["google_pubsub_subscription"]["push"]
    assert push["for_each"] == "${var.subscriptions}"
    assert push["topic"] == "${google_pubsub_topic.topic[each.value.topic].id}"
    retry = push["retry_policy"][0]
    assert retry["minimum_backoff"] and retry["maximum_backoff"]
    dead = push["dead_letter_policy"][0]
    assert dead["dead_letter_topic"] == "${google_pubsub_topic.dlq[each.value.dead_letter_topic].id}"
    assert dead["max_delivery_attempts"] == "${var.max_delivery_attempts}"
    cfg = push["push_config"][0]
    assert cfg["push_endpoint"] == ("${var.push_endpoints[each.value.function]}/projects/${var.project_id}"
                                   "/topics/${each.value.topic}")
    oidc = cfg["oidc_token"][0]
    assert oidc["service_account_email"] == "${var.push_service_account_email}"
    assert oidc["audience"] == "${var.push_endpoints[each.value.function]}"
    # the Pub/Sub service agent: publisher on every DLQ, subscriber on every source subscription
    agent_pub = r["google_pubsub_topic_iam_member"]["agent_dlq_publisher"]
    assert agent_pub["for_each"] == "${var.dead_letter_topics}" and agent_pub["role"] == "roles/pubsub.publisher"
    assert agent_pub["member"] == "${var.pubsub_agent_member}"
    agent_sub = r["google_pubsub_subscription_iam_member"]["agent_source_subscriber"]
    assert agent_sub["for_each"] == "${var.subscriptions}" and agent_sub["role"] == "roles/pubsub.subscriber"
    assert r["google_service_account_iam_member"]["agent_token_creator"]["role"] == \
        "roles/iam.serviceAccountTokenCreator"


def test_functions_one_per_entry_point_with_own_account_env_secrets_and_scaling(module_hcl, functions_doc):
    mod = module_hcl("functions")
    r = mod["resource"]
    fn = r["google_cloudfunctions2_function"]["this"]
    assert fn["for_each"] == "${var.functions}"
    assert fn["name"] == "${each.value.deploy_name}"
    build = fn["build_config"][0]
    assert build["entry_point"] == "${each.value.entry_point}"
    assert build["source"][0]["storage_source"][0]["object"] == \
        "${google_storage_bucket_object.source[each.value.source].name}"
    svc = fn["service_config"][0]
    assert svc["service_account_email"] == "${var.service_accounts[each.key]}"
    for attr, key in [("min_instance_count", "min_instances"), ("max_instance_count", "max_instances"),
                      ("max_instance_request_concurrency", "concurrency"), ("available_cpu", "cpu"),
                      ("available_memory", "memory"), ("timeout_seconds", "timeout_seconds")]:
        assert svc[attr] == "${local.scaling[each.key].%s}" % key, attr
    assert "each.value.env" in svc["environment_variables"]
    assert "lookup(local.refs, v, v)" in svc["environment_variables"]
    dyn = svc["dynamic"][0]["secret_environment_variables"]
    assert dyn["for_each"] == "${each.value.secrets}"
    assert dyn["content"][0]["secret"] == "${var.secret_ids[secret_environment_variables.value]}"
    assert svc["ingress_settings"] == \
        '${each.value.trigger == "http" ? "ALLOW_INTERNAL_AND_GCLB" : "ALLOW_INTERNAL_ONLY"}'
    assert svc["environment_variables"].count("PMM_FIRESTORE_DATABASE = var.database_of[each.value.service]") == 1
    # every `ref:` a function's env uses resolves
    refs = set(re.findall(r'"?(ref:[a-z_]+)"?\s*=', _raw("modules/functions/main.tf")))
    assert set(functions_doc["refs"]) <= refs, f"unresolved: {set(functions_doc['refs']) - refs}"
    # scaling is a variable, per role and per function
    v = mod["variable"]
    assert {"scaling_defaults", "scaling"} <= set(v)
    roles = {f["role"] for f in functions_doc["functions"].values()}
    assert roles <= {"api", "consumer", "sweeper"}
    inv = r["google_cloud_run_service_iam_member"]["invoker"]
    assert inv["for_each"] == "${var.functions}" and inv["role"] == "roles/run.invoker"
    # HTTP functions: allUsers (the load balancer forwards without an identity; ingress admits only
    # it); event functions: the push identity only
    assert inv["member"] == '${each.value.trigger == "http" ? "allUsers" : "serviceAccount:${var.push_invoker_email}"}'


def _raw(rel: str) -> str:
    return (INFRA / rel).read_text()


def test_one_service_account_per_function(module_hcl):
    sa = module_hcl("iam")["resource"]["google_service_account"]
    assert sa["function"]["for_each"] == "${var.functions}"
    assert sa["function"]["account_id"] == "${each.value.service_account_id}"
    roles = module_hcl("iam")["locals"]["project_roles"]
    # everything else is per resource or conditional
    assert roles == ["roles/logging.logWriter", "roles/cloudtrace.agent"]


def test_least_privilege_grants_are_per_function(module_hcl):
    loc = module_hcl("platform")["locals"]
    assert "f.publishes" in loc["function_publishers"]
    assert "f.secrets" in loc["secret_accessors"]
    assert "ref:kms_token_key" in loc["token_key_users"]
    acc = module_hcl("secrets")["resource"]["google_secret_manager_secret_iam_member"]["accessor"]
    assert acc["role"] == "roles/secretmanager.secretAccessor" and acc["for_each"] == "${var.accessors}"


def test_secrets_kms_storage_firestore_scheduler_gateway(module_hcl):
    s = module_hcl("secrets")["resource"]["google_secret_manager_secret"]["this"]
    assert s["for_each"] == "${toset(var.secret_ids)}"
    k = module_hcl("kms")["resource"]["google_kms_crypto_key"]
    assert {"token", "data"} <= set(k) and all(key["rotation_period"] for key in k.values())
    b = module_hcl("storage")["resource"]
    berkas = b["google_storage_bucket"]["berkas"]
    assert berkas["uniform_bucket_level_access"] is True and berkas["public_access_prevention"] == "enforced"
    assert len(berkas["lifecycle_rule"]) >= 3
    assert "google_storage_hmac_key" not in b  # made out of band: its secret never in state
    fs = module_hcl("firestore")["resource"]
    db = fs["google_firestore_database"]["this"]
    assert db["for_each"] == "${local.databases}" and db["type"] == "FIRESTORE_NATIVE"
    assert db["point_in_time_recovery_enablement"] == "POINT_IN_TIME_RECOVERY_ENABLED"
    assert db["delete_protection_state"] == "DELETE_PROTECTION_ENABLED" and db["location_id"] == "${var.location}"
    assert fs["google_firestore_backup_schedule"]["daily"]["for_each"] == "${local.databases}"
    assert fs["google_firestore_field"]["this"]["for_each"] == "${var.fields}"
    assert fs["google_firestore_index"]["composite"]["for_each"] == "${var.composite_indexes}"
    job = module_hcl("scheduler")["resource"]["google_cloud_scheduler_job"]["this"]
    assert job["for_each"] == "${var.jobs}"
    assert job["pubsub_target"][0]["topic_name"] == "${var.topic_ids[each.value.topic]}"
    lb = module_hcl("load_balancer")["resource"]
    assert {"google_compute_region_network_endpoint_group", "google_compute_backend_service",
            "google_compute_url_map", "google_compute_security_policy",
            "google_compute_managed_ssl_certificate"} <= set(lb)


def test_envs_have_remote_state_and_pass_every_platform_variable(module_hcl):
    platform_vars = module_hcl("platform")["variable"]
    required = {n for n, v in platform_vars.items() if "default" not in v}
    for env in ENVS:
        hcl = parse_dir(INFRA / "envs" / env)
        backends = [t["backend"] for t in hcl["terraform"] if "backend" in t]
        assert backends and "gcs" in backends[0][0], env
        assert backends[0][0]["gcs"]["prefix"] == env
        mod = hcl["module"]["platform"]
        assert mod["source"] == "../../platform"
        assert required <= set(mod), f"{env}: platform variables not passed: {required - set(mod)}"
        tfvars = parse_tf(INFRA / "envs" / env / "terraform.tfvars")
        assert tfvars["environment"] == env
        env_vars = set(hcl["variable"])
        assert set(tfvars) <= env_vars, f"{env}: tfvars sets undeclared {set(tfvars) - env_vars}"


def test_scaling_values_cover_every_role_and_name_real_functions(functions_doc):
    names = set(functions_doc["functions"])
    roles = {f["role"] for f in functions_doc["functions"].values()}
    for env in ENVS:
        tfvars = parse_tf(INFRA / "envs" / env / "terraform.tfvars")
        defaults = tfvars["scaling_defaults"]
        assert roles <= set(defaults), f"{env}: no scaling_defaults for {roles - set(defaults)}"
        for role, d in defaults.items():
            assert 0 <= d["min_instances"] <= d["max_instances"]
            assert d["concurrency"] >= 1
            assert not (d["concurrency"] > 1 and float(d["cpu"]) < 1), "concurrency > 1 needs a whole vCPU"
        stale = set(tfvars.get("scaling", {})) - names
        assert not stale, f"{env}: scaling for functions that no longer exist: {stale}"
    prod = parse_tf(INFRA / "envs" / "prod" / "terraform.tfvars")
    assert prod["scaling"]["kinerja_api"]["min_instances"] > 0  # warm for the semester-start spike


def test_every_checkov_skip_is_justified():
    for path in INFRA.rglob("*.tf"):
        for line in path.read_text().splitlines():
            if "checkov:skip" in line:
                m = re.search(r"checkov:skip=(CKV2?_[A-Z]+_\d+):\s*(.+)", line)
                assert m and len(m.group(2).strip()) > 20, f"{path}: skip without a reason: {line.strip()}"
