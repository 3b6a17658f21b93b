"""Fixtures of the infra checks: the generated data, the parsed HCL, and tool venvs built once.

Tool virtualenvs live under build/ (git-ignored), keyed by the hash of their requirements, so a
developer pays the install once and CI once per run."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import hcl2
import pytest

ROOT = Path(__file__).resolve().parents[2]
INFRA = ROOT / "infra"
GENERATED = INFRA / "generated"
TOOLS = ROOT / "build" / "tools"


def unquote(value):
    """python-hcl2 8 keeps HCL's quotes on keys and string literals; drop them."""
    if isinstance(value, str):
        return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value
    if isinstance(value, list):
        return [unquote(v) for v in value]
    if isinstance(value, dict):
        return {unquote(k): unquote(v) for k, v in value.items() if k not in ("__comments__", "__is_block__")}
    return value


def parse_tf(path: Path) -> dict:
    with open(path) as fh:
        return unquote(hcl2.load(fh))


def parse_dir(folder: Path) -> dict:
    """Merge the blocks of every .tf in a folder: {"resource": {type: {name: body}}, "module": {...}, ...}."""
    merged: dict = {"resource": {}, "module": {}, "variable": {}, "output": {}, "locals": {}, "data": {},
                    "terraform": [], "provider": []}
    for path in sorted(folder.glob("*.tf")):
        doc = parse_tf(path)
        for block in doc.get("resource", []):
            for rtype, named in block.items():
                for name, body in named.items():
                    merged["resource"].setdefault(rtype, {})[name] = body
        for block in doc.get("data", []):
            for rtype, named in block.items():
                merged["data"].setdefault(rtype, {}).update(named)
        for key in ("module", "variable", "output"):
            for block in doc.get(key, []):
                merged[key].update(block)
        for block in doc.get("locals", []):
            merged["locals"].update(block)
        merged["terraform"] += doc.get("terraform", [])
        merged["provider"] += doc.get("provider", [])
    return merged


@pytest.fixture(scope="session")
def messaging() -> dict:
    return json.loads((GENERATED / "messaging.json").read_text())


@pytest.fixture(scope="session")
def functions_doc() -> dict:
    return json.loads((GENERATED / "functions.json").read_text())


@pytest.fixture(scope="session")
def frontdoor_doc() -> dict:
    return json.loads((GENERATED / "frontdoor.json").read_text())


@pytest.fixture(scope="session")
def firestore_doc() -> dict:
    return json.loads((GENERATED / "firestore.json").read_text())


@pytest.fixture(scope="session")
def module_hcl():
    cache: dict[str, dict] = {}

    def get(name: str) -> dict:
        if name not in cache:
            cache[name] = parse_dir(INFRA / "modules" / name) if name != "platform" else parse_dir(INFRA / "platform")
        return cache[name]

    return get


def tool_venv(name: str, requirements: Path, *, require_hashes: bool = False) -> tuple[Path, float]:
    """A clean virtualenv (no system site-packages) with `requirements` installed; built once per
    content hash and reused. Returns (its python, seconds spent installing now; 0 when reused)."""
    digest = hashlib.sha256(requirements.read_bytes()).hexdigest()[:12]
    venv = TOOLS / f"{name}-{digest}"
    python = venv / "bin" / "python"
    done = venv / ".installed"
    if done.exists() and python.exists() and (venv / "pyvenv.cfg").exists():
        return python, 0.0
    started = time.monotonic()
    TOOLS.mkdir(parents=True, exist_ok=True)
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--clear", str(venv)],
                   check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    proc = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                           *(["--require-hashes"] if require_hashes else []), "-r", str(requirements)],
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        raise RuntimeError(f"pip install -r {requirements} into {venv} failed:\n{proc.stderr[-4000:]}")
    done.write_text(requirements.read_text())
    return python, time.monotonic() - started
