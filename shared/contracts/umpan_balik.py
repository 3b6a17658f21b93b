"""Events the umpan_balik service publishes (and subscriptions of its functions)."""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from shared.contracts.registry import register_subscription, register_topic
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

# What the umpan_balik service's functions consume (main.py has one CloudEvent function each).
register_subscription("karya.karya.dipublikasikan", "umpan_balik", "umpan_balik_on_karya_dipublikasikan",
                      "mirror the karya's owner, kategori and title (who may give feedback, which questionnaire)")
register_subscription("karya.karya.diperbarui", "umpan_balik", "umpan_balik_on_karya_diperbarui",
                      "keep the mirrored owner, kategori and title at the newest karya version")
register_subscription("karya.karya.dihapus", "umpan_balik", "umpan_balik_on_karya_dihapus",
                      "a deleted karya takes no more feedback and its feedback is no longer served")
register_subscription("karya.tautan.dibuat", "umpan_balik", "umpan_balik_on_tautan_dibuat",
                      "mirror the link's token hash and root: the link is the capability to give and read feedback")
register_subscription("karya.tautan.dicabut", "umpan_balik", "umpan_balik_on_tautan_dicabut",
                      "a revoked link (or root) no longer gives or reads feedback, even if it arrives before dibuat")
register_subscription("referensi.ptk.diperbarui", "umpan_balik", "umpan_balik_on_ptk_diperbarui",
                      "the giver's role (guru / kepala sekolah, Plt.) by the hash of their belajar.id e-mail")
register_subscription("umpan_balik.umpan_balik.dikirim", "umpan_balik", "umpan_balik_on_umpan_balik_dikirim",
                      "sharded questionnaire counters (U5) and the owner's notification (U4), once per event")
