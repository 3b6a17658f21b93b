"""Each function's own requirements: `shared/requirements.in` (what the platform library every bundle
ships imports) plus `services/<svc>/requirements.in` (what the service adds), names only, compiled
with hashes into `services/<svc>/requirements.txt`, which its deploy bundle ships (infra/bundle.py).

    python -m infra.deps            # make requirements: recompile every service
    python -m infra.deps karya      # only some services

The repo's pinned requirements.txt is the constraint file, so a package pinned there has the same
version in every bundle and in the test venv; the compiled files add the transitive dependencies
and every file's sha256 (`pip install --require-hashes -r`). Compiling asks the package index;
checking that the compiled files are current (tests/infra/test_bundles.py) does not.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PINS = ROOT / "requirements.txt"
PYTHON_VERSION = "3.11"  # the functions' runtime, python311 (infra/modules/functions/variables.tf)
COMMAND = "make requirements"
_NAME = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._\-]*)(?:\[[^\]]*\])?\s*(?:==\s*([^\s;\\]+))?")


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(path: Path) -> dict[str, str | None]:
    """{normalized name: pinned version or None} of a requirements file, following `-r` includes."""
    found: dict[str, str | None] = {}
    for raw in path.read_text().splitlines():
        line = raw.split(" #")[0].strip()
        if not line or line.startswith(("#", "--")):
            continue
        if line.startswith(("-r ", "-c ")):
            if line.startswith("-r "):
                found |= parse((path.parent / line[3:].strip()).resolve())
            continue
        m = _NAME.match(line)
        if m:
            found[normalize(m[1])] = m[2]
    return found


SHARED = ROOT / "shared" / "requirements.in"


def sources(service: str) -> list[Path]:
    """The compile inputs of a service: shared/'s direct dependencies and its own."""
    return [SHARED, ROOT / "services" / service / "requirements.in"]


def wanted(service: str) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for path in sources(service):
        found |= parse(path)
    return found


def compiled(service: str) -> Path:
    return ROOT / "services" / service / "requirements.txt"


def hashes(service: str) -> dict[str, int]:
    """{normalized name: number of --hash lines} of a compiled file."""
    counts: dict[str, int] = {}
    name = None
    for line in compiled(service).read_text().splitlines():
        m = _NAME.match(line)
        if m and m[2]:
            name = normalize(m[1])
            counts[name] = 0
        elif name and line.strip().startswith("--hash=sha256:"):
            counts[name] += 1
    return counts


def services() -> list[str]:
    return sorted(p.parent.name for p in (ROOT / "services").glob("*/requirements.in"))


def uv() -> str:
    """The uv pinned in requirements-dev.txt (next to this interpreter), else one on PATH."""
    local = Path(sys.executable).parent / "uv"
    found = str(local) if local.exists() else shutil.which("uv")
    if not found:
        raise SystemExit("uv not found: make venv (requirements-dev.txt pins it)")
    return found


def compile_service(service: str) -> Path:
    subprocess.run([uv(), "pip", "compile", "--quiet", "--generate-hashes", "--python-version", PYTHON_VERSION,
                    "--python-platform", "linux", "--custom-compile-command", COMMAND, "-c", "requirements.txt",
                    *(str(p.relative_to(ROOT)) for p in sources(service)),
                    "-o", str(compiled(service).relative_to(ROOT))], cwd=ROOT, check=True)
    return compiled(service)


def main(argv: list[str] | None = None) -> int:
    from infra.bundle import chosen

    wanted = chosen(argv, "python -m infra.deps", "compile the services' requirements", services())
    if wanted is None:
        return 2
    for service in wanted:
        path = compile_service(service)
        print(f"{path.relative_to(ROOT)}  {len(hashes(service))} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
