"""Composition root of the Pengelolaan Kinerja service: the one place adapters are chosen.

Tests call `bootstrap(**overrides)` with replacements instead of patching.
"""
from __future__ import annotations

import functools
from typing import Any

from pydantic import Field

from shared.objectstore import ObjectStore
from shared.platform import Platform
from shared.settings import Settings, load_settings


class KinerjaSettings(Settings):
    """Settings of this service (beyond the platform's)."""

    batas_berkas_byte: int = Field(
        10 * 1024 * 1024, alias="PMM_KINERJA_BATAS_BERKAS_BYTE", ge=1024,
        description="largest evidence / RPP / school document a user may upload (P9)")
    berkas_url_detik: int = Field(
        15 * 60, alias="PMM_KINERJA_BERKAS_URL_DETIK", ge=60, le=7 * 24 * 3600,
        description="lifetime of pre-signed upload and download URLs")


class KinerjaPlatform(Platform):
    settings: KinerjaSettings

    @functools.cached_property
    def berkas(self) -> ObjectStore:
        """Object store for uploads (moto locally, Cloud Storage's S3 API in production)."""
        return ObjectStore(self.settings.s3_bucket, self.settings.s3_endpoint_url)


@functools.cache
def default() -> KinerjaPlatform:
    """The process-wide platform, built at first use from the environment."""
    return bootstrap()


def bootstrap(settings: KinerjaSettings | None = None, **overrides: Any) -> KinerjaPlatform:
    return KinerjaPlatform(settings or load_settings(KinerjaSettings), **overrides)
