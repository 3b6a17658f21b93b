"""Versioned reference data of Pengelolaan Kinerja, kept as JSON beside the code.

Every file carries a ``versi`` and a ``sumber`` (the docs/requirements.md#domain-facts line or the
source document and passage it comes from), so a regulation change is an edit of a
JSON file, reviewed like code, not a change of logic. Files are read once per
process (cold start stays small: nothing is read until first use).
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def muat(nama: str) -> Any:
    """Parsed content of ``<nama>.json`` in this package (cached, treat as read-only)."""
    teks = resources.files(__name__).joinpath(f"{nama}.json").read_text(encoding="utf-8")
    return json.loads(teks)


@lru_cache(maxsize=None)
def berkas(nama: str) -> bytes:
    """A file shipped beside the JSON (e.g. ``templat/<nama>.docx``), read once per process."""
    return resources.files(__name__).joinpath(nama).read_bytes()
