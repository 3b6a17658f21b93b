"""Composition root of the Sinkro PMM ke e-Kinerja service: the one place adapters are chosen.

Tests call `bootstrap(**overrides)` with replacements instead of patching.
"""
from __future__ import annotations

import functools
from typing import Any

from shared.platform import Platform
from shared.settings import Settings, load_settings


class SinkroSettings(Settings):
    """Settings of this service (beyond the platform's)."""


@functools.cache
def default() -> Platform:
    """The process-wide platform, built at first use from the environment."""
    return bootstrap()


def bootstrap(settings: SinkroSettings | None = None, **overrides: Any) -> Platform:
    return Platform(settings or load_settings(SinkroSettings), **overrides)
