"""Build the deploy bundles Terraform uploads: one per function source (service).

    python -m infra.bundle            # make bundles
    python -m infra.bundle karya      # only some services

For each `services/<svc>/` it writes `build/bundles/<svc>/` (the folder Cloud
Functions builds from) and `build/bundles/<svc>.zip` (what Terraform uploads):

    main.py            services/<svc>/main.py (functions-framework loads it as `main`)
    <svc>/             the service package (domain, service, adapters, entrypoints, data files)
    shared/            the project's platform library
    requirements.txt   services/<svc>/requirements.txt: only what this service and shared/ import,
                       pinned as in the repo's requirements.txt, with hashes (python -m infra.deps)

The zip is reproducible (sorted entries, fixed timestamps and modes), so an
unchanged source keeps its md5 and Terraform (object name = `<svc>-<md5>.zip`)
does not redeploy it.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "bundles"
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.pyo", ".pytest_cache", "tests", "*.egg-info")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def services() -> list[str]:
    return sorted(p.name for p in (ROOT / "services").iterdir() if (p / "main.py").exists())


def build(service: str, out: Path = OUT) -> Path:
    """Write build/bundles/<service>/ and <service>.zip; return the zip's path."""
    src = ROOT / "services" / service
    folder = out / service
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for item in sorted(src.iterdir()):
        # requirements.in is a compile input (with shared/requirements.in); the build reads
        # only the compiled requirements.txt
        if item.name in ("__pycache__", "requirements.in") or item.name.startswith("."):
            continue
        if item.is_dir():
            shutil.copytree(item, folder / item.name, ignore=IGNORE)
        else:
            shutil.copy2(item, folder / item.name)
    shutil.copytree(ROOT / "shared", folder / "shared", ignore=IGNORE)
    archive = out / f"{service}.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(folder).as_posix(), ZIP_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    return archive


def chosen(argv: list[str] | None, prog: str, description: str, known: list[str]) -> list[str] | None:
    """The services named on the command line (default: all `known`); None after naming an unknown one."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("services", nargs="*", help=f"default: every one of {', '.join(known)}")
    wanted = parser.parse_args(argv).services or known
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        print(f"unknown services: {unknown}", file=sys.stderr)
        return None
    return wanted


def main(argv: list[str] | None = None) -> int:
    wanted = chosen(argv, "python -m infra.bundle", "build the deploy bundles", services())
    if wanted is None:
        return 2
    started = time.monotonic()
    for service in wanted:
        archive = build(service)
        files = sum(1 for p in (OUT / service).rglob("*") if p.is_file())
        print(f"{archive.relative_to(ROOT)}  {archive.stat().st_size / 1024:.0f} KiB, {files} files")
    print(f"{len(wanted)} bundles in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
