"""Events the umpan_balik service publishes (and subscriptions of its functions)."""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from shared.contracts.registry import register_subscription, register_topic  # noqa: F401
from shared.events import EventPayload


class UmpanBalikDikirim(EventPayload):
    """A colleague sent feedback on a karya (U1). No text: consumers need counts, not content."""

    umpan_balik_id: str
    karya_id: str
    pemilik_karya_id: str
    pemberi_peran: str = Field(description="guru or kepala_sekolah")
    kategori: str
    kuesioner_versi: int
    dikirim_pada: datetime


UMPAN_BALIK_DIKIRIM = register_topic(
    "umpan_balik.umpan_balik.dikirim", UmpanBalikDikirim, "umpan_balik",
    "A colleague sent feedback on a karya; the karya list shows feedback counts from it.")
