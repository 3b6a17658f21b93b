"""The Google providers' configuration schema, read from CDKTF's prebuilt provider packages.

`@cdktf/provider-google` / `-beta` (pinned in tests/infra/provider-schema/package.json) are generated
from `terraform providers schema -json` of hashicorp/google and hashicorp/google-beta: every resource
and data source is a jsii class whose constructor takes a `<Name>Config` struct listing exactly the
arguments a configuration may set (required ones have no `optional`), and each nested block is a
struct of its own. We turn that into {resource type: {argument: required?, block: nested struct}}
and check every `resource "google_*"` / `data "google_*"` in infra/ against it, statically: no
provider download, so it runs where `terraform validate` cannot.

The .jsii files are ~100 MB each; the condensed schema is cached next to them (keyed by the
package version) so a session parses each package at most once, and later sessions not at all.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hcl2

SCHEMA_DIR = Path(__file__).resolve().parent / "provider-schema"
MODULES = SCHEMA_DIR / "node_modules"
STAMP = MODULES / ".installed"
PACKAGES = {"google": "@cdktf/provider-google", "google-beta": "@cdktf/provider-google-beta"}

# Terraform's own arguments, valid on every resource / data block whatever the provider says.
META_ARGUMENTS = {"count", "for_each", "provider", "depends_on"}
META_BLOCKS = {"lifecycle", "provisioner", "connection"}
DYNAMIC_KEYS = {"for_each", "iterator", "labels", "content"}
_MARKERS = ("__is_block__", "__comments__", "__inline_comments__")  # python-hcl2 bookkeeping
CACHE_FORMAT = 2  # bump when _condense changes what it writes
_DOC_NAME = re.compile(r"#(\w+) \w+#\w+\}")


def install() -> None:
    """What `make provider-schema` does: the pinned packages into node_modules/ (git-ignored)."""
    if STAMP.exists() and STAMP.read_text() == (SCHEMA_DIR / "package.json").read_text():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is not installed: `make provider-schema` (apt-get install npm) first")
    subprocess.run([npm, "install", "--no-package-lock", "--no-audit", "--no-fund", "--ignore-scripts",
                    "--omit=peer", "--legacy-peer-deps", "--loglevel=error"], cwd=SCHEMA_DIR, check=True)
    STAMP.write_text((SCHEMA_DIR / "package.json").read_text())


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def _struct_of(type_ref: dict[str, Any], assembly: str) -> str | None:
    """The nested-block struct a property's type names (directly, as a list, or in a union), if any."""
    if "fqn" in type_ref:
        return type_ref["fqn"] if type_ref["fqn"].startswith(assembly + ".") else None
    if "collection" in type_ref:
        return _struct_of(type_ref["collection"]["elementtype"], assembly)
    if "union" in type_ref:
        for t in type_ref["union"]["types"]:
            found = _struct_of(t, assembly)
            if found:
                return found
    return None


def _condense(jsii: dict[str, Any]) -> dict[str, Any]:
    assembly, types = jsii["name"], jsii["types"]
    kinds: dict[str, dict[str, str]] = {"resource": {}, "data": {}}
    structs: dict[str, dict[str, Any]] = {}
    wanted: list[str] = []
    for t in types.values():
        if t["kind"] != "class" or t.get("base") not in ("cdktf.TerraformResource", "cdktf.TerraformDataSource"):
            continue
        m = re.search(r"/docs/(resources|data-sources)/\w+ (\w+)\}", t["docs"].get("summary", ""))
        config = next((p["type"]["fqn"] for p in t.get("initializer", {}).get("parameters", [])
                       if p["name"] == "config"), None)
        if m and config:
            kinds["resource" if m.group(1) == "resources" else "data"][m.group(2)] = config
            wanted.append(config)
    while wanted:
        fqn = wanted.pop()
        if fqn in structs:
            continue
        props = {}
        # Only the struct's own properties: Terraform's meta-arguments come from an inherited
        # interface (cdktf.TerraformMetaArguments), so a nested `count` is the provider's own.
        for p in types[fqn].get("properties", []):
            doc = _DOC_NAME.search(p.get("docs", {}).get("remarks", ""))
            name = doc.group(1) if doc else _snake(p["name"])
            block = _struct_of(p["type"], assembly)
            props[name] = {"required": not p.get("optional", False), "block": block}
            if block:
                wanted.append(block)
        structs[fqn] = props
    return {"version": jsii["version"], "resource": kinds["resource"], "data": kinds["data"], "structs": structs}


def load(provider: str) -> dict[str, Any]:
    """The condensed schema of one provider (google | google-beta); cached beside the package."""
    pkg = MODULES / PACKAGES[provider]
    version = json.loads((pkg / "package.json").read_text())["version"]
    cache = MODULES / f".schema-{CACHE_FORMAT}-{provider}-{version}.json"
    if cache.exists():
        return json.loads(cache.read_text())
    with open(pkg / ".jsii") as fh:
        condensed = _condense(json.load(fh))
    cache.write_text(json.dumps(condensed))
    return condensed


@dataclass
class Finding:
    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}"


@dataclass
class Checker:
    schemas: dict[str, dict[str, Any]]
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def file(self, path: Path, label: str | None = None) -> None:
        with open(path) as fh:
            doc = hcl2.load(fh)
        for kind in ("resource", "data"):
            for block in doc.get(kind, []):
                for rtype, named in block.items():
                    rtype = rtype.strip('"')
                    for name, body in named.items():
                        if rtype.startswith("google_"):
                            self.top(kind, rtype, f"{label or path}: {kind} {rtype}.{name.strip(chr(34))}", body)

    def top(self, kind: str, rtype: str, where: str, body: dict[str, Any]) -> None:
        provider = str(body.get("provider", "google")).strip('"').split(".")[0]
        schema = self.schemas.get(provider)
        if schema is None:
            self.findings.append(Finding(where, f"provider {provider!r} is not a Google provider"))
            return
        config = schema[kind].get(rtype)
        if config is None:
            self.findings.append(Finding(where, f"{provider} {schema['version']} has no {kind} {rtype}"
                                         + (" (it is in google-beta: set provider = google-beta)"
                                            if provider == "google" and rtype in self.schemas["google-beta"][kind]
                                            else "")))
            return
        self.checked.append(where)
        self.block(schema, config, where, body, top=True)

    def block(self, schema: dict[str, Any], fqn: str, where: str, body: dict[str, Any], top: bool = False) -> None:
        props = schema["structs"][fqn]
        present: set[str] = set()
        for key, value in body.items():
            if key in _MARKERS:
                continue
            if top and (key in META_ARGUMENTS or key in META_BLOCKS):
                continue
            if key == "dynamic":
                for entry in value:
                    for label, dyn in entry.items():
                        label = label.strip('"')
                        present.add(label)
                        self._dynamic(schema, props, f"{where} > dynamic {label}", label, dyn)
                continue
            present.add(key)
            prop = props.get(key)
            is_block = isinstance(value, list) and bool(value) and all(
                isinstance(v, dict) and v.get("__is_block__") for v in value)
            if prop is None:
                self.findings.append(Finding(where, f"unknown {'block' if is_block else 'argument'} {key!r}"))
            elif prop["block"] and not is_block:
                self.findings.append(Finding(where, f"{key!r} is a nested block, written as an argument"))
            elif not prop["block"] and is_block:
                self.findings.append(Finding(where, f"{key!r} is an argument, written as a block"))
            elif prop["block"]:
                for v in value:
                    self.block(schema, prop["block"], f"{where} > {key}", v)
        for name, prop in sorted(props.items()):
            if prop["required"] and name not in present:
                self.findings.append(Finding(where, f"missing required {'block' if prop['block'] else 'argument'} "
                                                    f"{name!r}"))

    def _dynamic(self, schema, props, where, label, dyn) -> None:
        prop = props.get(label)
        if prop is None or not prop["block"]:
            self.findings.append(Finding(where, f"dynamic {label!r}: no nested block of that name"))
            return
        for key in dyn:
            if key not in _MARKERS and key not in DYNAMIC_KEYS:
                self.findings.append(Finding(where, f"dynamic block argument {key!r} (only {sorted(DYNAMIC_KEYS)})"))
        content = dyn.get("content")
        if not content:
            self.findings.append(Finding(where, "dynamic block without content"))
            return
        for c in content:
            self.block(schema, prop["block"], where, c)
