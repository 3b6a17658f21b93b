"""Each function's Settings built from `infra/envs/<stage>/terraform.tfvars` the way Terraform passes
them (tfvars -> envs/<stage>/main.tf -> platform/main.tf -> modules/functions `local.refs` ->
generated/functions.json env), then a token minted for each listed client id is accepted by the
verifier those Settings build, and a token for any other audience refused. Secrets are stand-ins;
the point is the env vars' shapes (a comma-joined list read as one audience refused every prod token)."""
from __future__ import annotations

import re
import shutil
import subprocess

import hcl2
import pytest
from werkzeug.serving import make_server

from infra import sync
from local.identity import certs_app, ensure_key, mint
from shared.errors import Unauthenticated
from shared.platform import Platform
from shared.settings import load_settings
from tests.infra.conftest import INFRA, parse_dir, unquote
from tests.support import serve_in_thread

ENVS = ["staging", "prod"]
# Values that come from other modules' resources (not from tfvars): plausible stand-ins.
MODULE_OUTPUTS = {
    "module.storage.berkas_bucket": "pmm-berkas-uji",
    "module.kms.token_key_id": "projects/pmm-uji/locations/asia-southeast2/keyRings/pmm/cryptoKeys/token",
}
_EXPR = re.compile(r'^\$\{(?:(?P<var>var\.\w+)|join\("(?P<sep>[^"]*)", (?P<jvar>var\.\w+)\)|(?P<mod>module\.[\w.]+))\}$')


def evaluate(expr, variables: dict):
    """The few expression shapes these wirings use: `${var.x}`, `${join("<sep>", var.x)}`, a module output;
    anything else fails the test (teach this function the new shape)."""
    if not isinstance(expr, str) or "${" not in expr:
        return expr
    m = _EXPR.match(expr)
    assert m, f"expression this test cannot evaluate: {expr}"
    if m["var"]:
        return variables[m["var"][4:]]
    if m["jvar"]:
        value = variables[m["jvar"][4:]]
        assert isinstance(value, list), f"join() over a {type(value).__name__}: {expr}"
        return m["sep"].join(value)
    return MODULE_OUTPUTS[m["mod"]]


def with_defaults(folder, given: dict) -> dict:
    declared = parse_dir(folder)["variable"]
    out = {name: spec["default"] for name, spec in declared.items() if "default" in spec}
    return out | {k: v for k, v in given.items() if k in declared}


def tfvars(env: str) -> dict:
    return unquote(hcl2.loads((INFRA / "envs" / env / "terraform.tfvars").read_text()))


def refs_for(env: str) -> dict[str, object]:
    """`local.refs` of the functions module as Terraform evaluates it for this stage."""
    env_vars = with_defaults(INFRA / "envs" / env, tfvars(env))
    platform_call = parse_dir(INFRA / "envs" / env)["module"]["platform"]
    platform_vars = with_defaults(INFRA / "platform", {k: evaluate(v, env_vars) for k, v in platform_call.items()
                                                        if not k.startswith(("source", "depends_on"))
                                                        and "path.root" not in str(v)})
    functions_call = parse_dir(INFRA / "platform")["module"]["functions"]
    refs_expr = parse_dir(INFRA / "modules" / "functions")["locals"]["refs"]
    needed = {m.group(1) for e in refs_expr.values() for m in re.finditer(r"var\.(\w+)", e)}
    functions_vars = {k: evaluate(functions_call[k], platform_vars) for k in needed}
    return {ref: evaluate(expr, functions_vars) for ref, expr in refs_expr.items()}


def function_env(f: dict, refs: dict) -> dict[str, str]:
    env = {}
    for name, value in f["env"].items():
        resolved = refs.get(value, value)
        assert isinstance(resolved, str), f"{name} = {value} is a {type(resolved).__name__}, not a string"
        env[name] = resolved
    return env | {name: "s" * 48 for name in f["secrets"]}  # Secret Manager stand-ins


@pytest.fixture(scope="module")
def issuer(tmp_path_factory):
    """A key whose certificate is served over HTTP like Google's certs endpoint."""
    keydir = tmp_path_factory.mktemp("issuer")
    ensure_key(keydir)
    with serve_in_thread(make_server("127.0.0.1", 0, certs_app(keydir), threaded=True)) as url:
        yield keydir, url + "/oauth2/v1/certs"


@pytest.fixture
def production_env(monkeypatch):
    """A process environment holding exactly what Terraform sets (nothing from the test defaults)."""
    import os

    def apply(env: dict[str, str]) -> None:
        for name in list(os.environ):
            if name.startswith(("PMM_", "GOOGLE_CLOUD_", "FIRESTORE_", "PUBSUB_", "AWS_")):
                monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
    return apply


@pytest.mark.parametrize("env", ENVS)
def test_audience_is_a_list_joined_once_on_the_way_to_the_functions(env):
    audiences = tfvars(env)["auth_audience"]
    assert isinstance(audiences, list) and audiences and all("," not in a for a in audiences)
    assert refs_for(env)["ref:auth_audience"] == ",".join(audiences)
    # The load balancer passes the token through untouched; only the functions check the audience.
    assert not (INFRA / "modules" / "api_gateway").exists()


def test_prod_lists_the_web_and_the_android_client():
    assert len(tfvars("prod")["auth_audience"]) == 2


@pytest.mark.parametrize("env", ENVS)
def test_each_function_starts_with_terraforms_env_and_accepts_exactly_the_listed_clients(
        env, functions_doc, production_env, issuer):
    keydir, certs_url = issuer
    audiences = tfvars(env)["auth_audience"]
    refs = refs_for(env)
    checked_http = 0
    for name, f in functions_doc["functions"].items():
        production_env(function_env(f, refs))
        settings = load_settings(sync.settings_class(f["service"]))
        assert settings.environment == env, name
        assert settings.auth_audience == tuple(audiences), name
        assert settings.auth_certs_url.startswith("https://www.googleapis.com/"), name
        if f["trigger"] != "http":
            continue
        checked_http += 1
        # Only the certificate URL is pointed at the test's server; the rest is production's Settings.
        verifier = Platform(settings.model_copy(update={"auth_certs_url": certs_url})).verifier
        for audience in audiences:
            token = mint(keydir, settings.auth_issuer, f"sub-{name}", "guru@belajar.id", audience,
                         hd=settings.auth_hosted_domain)
            assert verifier.verify(token)["aud"] == audience, (name, audience)
        others = ["lain.apps.googleusercontent.com", "pmm-lokal"] + ([",".join(audiences)] if len(audiences) > 1 else [])
        for other in others:
            token = mint(keydir, settings.auth_issuer, f"sub-{name}", "guru@belajar.id", other,
                         hd=settings.auth_hosted_domain)
            with pytest.raises(Unauthenticated, match="token_tidak_valid"):
                verifier.verify(token)
    assert checked_http == 4


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform binary not installed")
def test_terraform_refuses_a_comma_joined_client_id(tmp_path):
    """The variable's validation, run by Terraform itself (no provider needed)."""
    block = re.search(r'variable "auth_audience" \{.*?\n\}', (INFRA / "platform" / "variables.tf").read_text(),
                      re.S).group(0)
    (tmp_path / "main.tf").write_text(block + '\noutput "joined" { value = join(",", var.auth_audience) }\n')
    subprocess.run(["terraform", "init", "-input=false"], cwd=tmp_path, capture_output=True, check=True)

    def plan(value: str) -> subprocess.CompletedProcess:
        (tmp_path / "uji.tfvars").write_text(f"auth_audience = {value}\n")
        return subprocess.run(["terraform", "plan", "-input=false", "-no-color", "-var-file=uji.tfvars"],
                              cwd=tmp_path, capture_output=True, text=True)

    for env in ENVS:
        line = next(l for l in (INFRA / "envs" / env / "terraform.tfvars").read_text().splitlines()
                    if l.startswith("auth_audience"))
        assert plan(line.split("=", 1)[1].strip()).returncode == 0, env
    for bad in ('["a.apps.googleusercontent.com,b.apps.googleusercontent.com"]', "[]",
                '"a.apps.googleusercontent.com"'):
        assert plan(bad).returncode != 0, bad
