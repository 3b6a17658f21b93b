"""Errors that carry their own answer to the user.

Domain and service code raise `DomainError` (or a subclass); the HTTP layer
maps it to `application/problem+json` with the stable `kode` and the
Indonesian `pesan`. Domain code never needs to know about HTTP beyond the
suggested status.
"""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user can act on.

    kode   -- stable, machine-readable, snake_case (clients switch on it)
    pesan  -- Indonesian sentence telling the person what to do
    status -- HTTP status the API answers with
    extra  -- more problem fields (e.g. `nomor_galat`, `aktor`, `tindak_lanjut`)
    """

    status: int = 422

    def __init__(self, kode: str, pesan: str, *, status: int | None = None, **extra: Any) -> None:
        super().__init__(f"{kode}: {pesan}")
        self.kode = kode
        self.pesan = pesan
        if status is not None:
            self.status = status
        self.extra = extra


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Conflict(DomainError):
    """Lost a race or the document moved on (version precondition failed)."""

    status = 409


class Unauthenticated(DomainError):
    status = 401
