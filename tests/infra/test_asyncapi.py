"""docs/asyncapi.json is what the code generates now and the official AsyncAPI parser accepts it."""
from __future__ import annotations

import json
import shutil
import subprocess

from shared import asyncapi

ROOT = asyncapi.DOCUMENT.parent.parent
VALIDATE = ROOT / "local" / "asyncapi" / "validate.mjs"
PARSER = ROOT / "local" / "asyncapi" / "node_modules" / "@asyncapi" / "parser"


def test_committed_asyncapi_is_up_to_date():
    assert asyncapi.DOCUMENT.exists() and asyncapi.DOCUMENT.read_text() == asyncapi.render(), (
        "docs/asyncapi.json no longer matches the contracts: run `make asyncapi` and commit it")


def _validate(path) -> subprocess.CompletedProcess:
    assert shutil.which("node"), "node is missing: `make test` installs npm/node"
    assert PARSER.is_dir(), "the AsyncAPI parser is missing: run `make asyncapi` (installs local/asyncapi/node_modules)"
    return subprocess.run(["node", str(VALIDATE), str(path)], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_official_parser_reports_no_errors():
    result = _validate(asyncapi.DOCUMENT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_official_parser_rejects_a_broken_document(tmp_path):
    """The check can fail: an operation pointing at a channel that does not exist."""
    doc = asyncapi.asyncapi_document()
    op = next(iter(doc["operations"].values()))
    op["channel"] = {"$ref": "#/channels/tidak_ada"}
    broken = tmp_path / "asyncapi.json"
    broken.write_text(json.dumps(doc))
    result = _validate(broken)
    assert result.returncode == 1 and "error\tinvalid-ref" in result.stdout, result.stdout + result.stderr


def test_check_command_agrees():
    assert asyncapi.main(["--check"]) == 0
