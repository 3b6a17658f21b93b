"""Deploy bundles: built by `python -m infra.bundle`, complete, reproducible, and importable in a
clean virtualenv that has only the bundle's own requirements, installed with --require-hashes (no
system site-packages, no repo on the path), the way Cloud Functions builds them. Each venv is made
once per requirements hash under build/tools/ and reused (install measured and printed)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
import zipfile

import pytest

from infra import bundle, deps, sync
from tests.infra.conftest import GENERATED, ROOT, tool_venv

PROBE = r'''
import json, os, sys, time
started = time.perf_counter()
import main  # noqa: F401  as functions-framework loads the source
imported = time.perf_counter() - started
import functions_framework
spec = json.loads(sys.argv[1])
out = {"import_s": imported, "file": main.__file__, "functions": {}}
for name, f in spec.items():
    app = functions_framework.create_app(name, "main.py", "http" if f["trigger"] == "http" else "cloudevent")
    result = {"created": True}
    if f["trigger"] == "http":
        health = f["health"]
        response = app.test_client().get(health)
        result["health"] = response.status_code
    out["functions"][name] = result
leaked = [p for p in sys.path if p.startswith(os.environ["REPO_ROOT"]) and not p.startswith(sys.prefix)]
out["repo_on_path"] = leaked
print(json.dumps(out))
'''


@pytest.fixture(scope="session")
def bundles(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundles")
    return {svc: bundle.build(svc, out) for svc in bundle.services()}, out


@pytest.fixture(scope="session")
def bundle_pythons():
    """One clean venv per service, from that service's compiled requirements, hashes required."""
    pythons, took = {}, []
    for svc in bundle.services():
        pythons[svc], install_s = tool_venv("bundle", deps.compiled(svc), require_hashes=True)
        took.append(f"{svc} {install_s:.1f}")
    print("\nbundle venvs: pip install --require-hashes -r services/<svc>/requirements.txt, seconds "
          "(0 = reused): " + ", ".join(took))
    return pythons


def test_each_bundle_holds_service_shared_and_its_own_requirements(bundles):
    archives, out = bundles
    for svc, archive in archives.items():
        names = set(zipfile.ZipFile(archive).namelist())
        assert "main.py" in names and "requirements.txt" in names and "requirements.in" not in names
        assert f"{svc}/__init__.py" in names and f"{svc}/bootstrap.py" in names
        assert "shared/__init__.py" in names and "shared/contracts/registry.py" in names
        assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
        assert zipfile.ZipFile(archive).read("requirements.txt") == deps.compiled(svc).read_bytes()
    for req in (ROOT / "requirements.txt").read_text().splitlines():
        if req.strip() and not req.startswith("#"):
            assert "==" in req, f"unpinned requirement: {req}"


def test_every_service_has_compiled_requirements():
    assert deps.services() == bundle.services()


@pytest.mark.parametrize("svc", bundle.services())
def test_compiled_requirements_are_current(svc):
    """services/<svc>/requirements.txt is what `make requirements` makes of its requirements.in and
    the repo's pins (checked offline): every direct dependency is in it, every package the repo pins
    has the repo's version, every package is pinned exactly and carries hashes."""
    wanted = deps.wanted(svc)
    pins = deps.parse(deps.PINS)
    locked = deps.parse(deps.compiled(svc))
    assert wanted, f"{svc}: empty requirements.in"
    assert all(v is None for v in wanted.values()), f"{svc}: versions belong in requirements.txt, not .in"
    assert set(wanted) <= set(pins), f"{svc}: not pinned in the repo's requirements.txt: {set(wanted) - set(pins)}"
    assert set(wanted) <= set(locked), f"{svc}: recompile (make requirements), missing {set(wanted) - set(locked)}"
    stale = {n: (v, pins[n]) for n, v in locked.items() if n in pins and v != pins[n]}
    assert not stale, f"{svc}: compiled version != repo pin (make requirements): {stale}"
    assert all(locked.values()), f"{svc}: unpinned lines in the compiled file"
    unhashed = [n for n, count in deps.hashes(svc).items() if count == 0]
    assert not unhashed and set(deps.hashes(svc)) == set(locked), f"{svc}: without --hash: {unhashed}"


def test_only_karya_carries_the_youtube_and_kms_clients():
    for svc in bundle.services():
        locked = deps.parse(deps.compiled(svc))
        for name in ("google-api-python-client", "google-cloud-kms"):
            assert (name in locked) == (svc == "karya"), f"{svc}: {name}"
    # sinkro, kinerja and umpan_balik import nothing beyond shared/: the same set of packages
    others = {svc: set(deps.parse(deps.compiled(svc))) for svc in bundle.services() if svc != "karya"}
    assert len({frozenset(v) for v in others.values()}) == 1, others


def test_bundles_are_reproducible(bundles, tmp_path):
    archives, _ = bundles
    for svc, archive in archives.items():
        again = bundle.build(svc, tmp_path)
        assert hashlib.md5(again.read_bytes()).digest() == hashlib.md5(archive.read_bytes()).digest(), svc


def _fake_env(f: dict) -> dict[str, str]:
    """Production env of a function with refs and secrets replaced by stand-in values."""
    fake_refs = {"ref:project_id": "pmm-bundle-test", "ref:environment": "staging",
                 "ref:auth_audience": "client.apps.googleusercontent.com", "ref:bucket": "pmm-berkas",
                 "ref:google_client_id": "yt.apps.googleusercontent.com",
                 "ref:kms_token_key": "projects/p/locations/l/keyRings/r/cryptoKeys/token",
                 "ref:ekinerja_url": "https://ekinerja.invalid", "ref:public_url": "https://pmm.invalid",
                 "ref:cors_origins": "https://guru.pmm.invalid,https://pmm.invalid"}
    env = {k: fake_refs.get(v, v) for k, v in f["env"].items()}
    env |= {k: "s" * 48 for k in f["secrets"]}
    return env


def test_bundles_import_and_serve_in_a_clean_venv(bundles, bundle_pythons, functions_doc):
    """Every entry point loads from its bundle alone; each HTTP function answers its health route
    with exactly the env Terraform gives it (so Settings validate with production's variables)."""
    archives, out = bundles
    figures = {}
    for svc in archives:
        spec = {}
        for name, f in functions_doc["functions"].items():
            if f["source"] == svc:
                spec[name] = {"trigger": f["trigger"]}
                if f["trigger"] == "http":
                    spec[name]["health"] = sync.api_of(svc).prefix + "/health"
        merged_env = {}
        for name, f in functions_doc["functions"].items():
            if f["source"] == svc:
                merged_env |= _fake_env(f)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
               "REPO_ROOT": str(ROOT)} | merged_env
        started = time.monotonic()
        proc = subprocess.run([str(bundle_pythons[svc]), "-s", "-c", PROBE, json.dumps(spec)], cwd=out / svc,
                              env=env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, f"{svc}: {proc.stderr[-3000:]}"
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        assert result["file"].startswith(str(out / svc)), result["file"]
        assert result["repo_on_path"] == []
        assert set(result["functions"]) == set(spec)
        for name, r in result["functions"].items():
            if spec[name]["trigger"] == "http":
                assert r["health"] == 200, f"{name}: GET health -> {r['health']}"
        figures[svc] = (result["import_s"], time.monotonic() - started)
    print("\nbundle import (main) / whole probe, seconds: " +
          ", ".join(f"{s} {i:.2f}/{t:.2f}" for s, (i, t) in figures.items()))


def test_terraform_points_at_the_bundles():
    text = (ROOT / "infra" / "modules" / "functions" / "main.tf").read_text()
    assert '"${var.bundle_dir}/${each.value}.zip"' in text
    for env in ("staging", "prod"):
        assert 'bundle_dir            = "${path.root}/../../../build/bundles"' in \
            (ROOT / "infra" / "envs" / env / "main.tf").read_text()
    assert bundle.OUT == ROOT / "build" / "bundles"
    assert (GENERATED / "functions.json").exists()
