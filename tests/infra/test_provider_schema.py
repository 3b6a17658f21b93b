"""Every `resource "google_*"` and `data "google_*"` in infra/ is one the Google provider it names
(`provider = google-beta` -> hashicorp/google-beta) accepts: no unknown argument or nested block,
no missing required argument or block (a `dynamic` block counts as its nested block). The schema is
the providers' own, as generated into @cdktf/provider-google(-beta) 16.12.1 (hashicorp/google
6.50.0), see tests/infra/provider_schema.py."""
from __future__ import annotations

import textwrap

import pytest

from tests.infra import provider_schema as ps
from tests.infra.conftest import INFRA


@pytest.fixture(scope="session")
def schemas() -> dict:
    ps.install()
    return {provider: ps.load(provider) for provider in ps.PACKAGES}


def _check(schemas, tmp_path, hcl: str) -> list[str]:
    path = tmp_path / "probe.tf"
    path.write_text(textwrap.dedent(hcl))
    checker = ps.Checker(schemas)
    checker.file(path, "probe.tf")
    return [str(f) for f in checker.findings]


def test_the_schema_is_the_google_provider_6(schemas):
    for provider, schema in schemas.items():
        assert schema["version"] == "16.12.1"
        assert {"google_cloudfunctions2_function", "google_compute_security_policy",
                "google_firestore_database"} <= set(schema["resource"]), provider
        assert "google_project" in schema["data"]


def test_every_google_block_in_infra_matches_its_provider_schema(schemas):
    checker = ps.Checker(schemas)
    files = sorted(INFRA.rglob("*.tf"))
    for path in files:
        checker.file(path, str(path.relative_to(INFRA.parent)))
    assert len(checker.checked) >= 30, checker.checked  # the walk really found the blocks
    assert not checker.findings, "\n".join(map(str, checker.findings))


def test_an_unknown_argument_fails(schemas, tmp_path):
    found = _check(schemas, tmp_path, '''
        resource "google_pubsub_topic" "t" {
          name          = "a"
          kms_key       = "k"
        }''')
    assert found == ["probe.tf: resource google_pubsub_topic.t: unknown argument 'kms_key'"]


def test_an_unknown_nested_block_fails_also_deep_and_in_dynamic(schemas, tmp_path):
    found = _check(schemas, tmp_path, '''
        resource "google_cloudfunctions2_function" "f" {
          name     = "f"
          location = "asia-southeast2"
          service_config {
            scaling { max = 1 }
            dynamic "secret_env" {
              for_each = {}
              content {}
            }
          }
        }''')
    assert "probe.tf: resource google_cloudfunctions2_function.f > service_config: unknown block 'scaling'" in found
    assert any("dynamic 'secret_env': no nested block" in f for f in found)
    assert len(found) == 2


def test_a_missing_required_argument_fails_and_a_dynamic_block_counts(schemas, tmp_path):
    found = _check(schemas, tmp_path, '''
        resource "google_firestore_index" "i" {
          collection = "c"
        }
        resource "google_firestore_index" "j" {
          collection = "c"
          dynamic "fields" {
            for_each = ["a", "b"]
            content {
              field_path = fields.value
              order      = "ASCENDING"
              colour     = "red"
            }
          }
        }''')
    assert found == ["probe.tf: resource google_firestore_index.i: missing required block 'fields'",
                     "probe.tf: resource google_firestore_index.j > dynamic fields: unknown argument 'colour'"]


def test_beta_only_resources_need_the_beta_provider(schemas, tmp_path):
    beta_only = sorted(set(schemas["google-beta"]["resource"]) - set(schemas["google"]["resource"]))
    assert beta_only
    found = _check(schemas, tmp_path, f'''
        resource "{beta_only[0]}" "x" {{
        }}''')
    assert found and "set provider = google-beta" in found[0]
    found = _check(schemas, tmp_path, '''
        data "google_project" "p" {
          provider  = google-beta
          projectid = "x"
        }''')
    assert found == ["probe.tf: data google_project.p: unknown argument 'projectid'"]
