"""Base models every payload, request and domain record builds on.

Strict by default: unknown fields are rejected and every free text is bounded,
so bad input fails loudly at the edge instead of landing in Firestore.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

# Bounded text types. Use these instead of bare `str` in anything a user or a
# partner system can send.
Kode = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Nama = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
TeksPendek = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
TeksPanjang = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,128}$")]


class StrictModel(BaseModel):
    """Rejects unknown fields; validates on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_max_length=5000)


class FrozenModel(BaseModel):
    """Immutable value object (events, reference rows, catalogue entries)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=5000)
