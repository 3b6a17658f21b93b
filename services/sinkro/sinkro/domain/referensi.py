"""Reference values the sync checks compare against (data only).

Edit here when a regulation or a partner system changes its values.
"""
from __future__ import annotations

# Employment statuses that may sync to e-Kinerja: SRC-BIMTEK-MAPPI, slide 55 (#7):
# "PNS / PPPK / CPNS / PNS Diperbantukan". Compared upper-cased, spaces collapsed.
STATUS_KEPEGAWAIAN_ASN: frozenset[str] = frozenset({"PNS", "PPPK", "CPNS", "PNS DIPERBANTUKAN"})


def status_kepegawaian_asn(status: str | None) -> bool:
    """True when a Dapodik/PMM employment status is one that may sync (#7)."""
    if not status:
        return False
    return " ".join(status.upper().split()) in STATUS_KEPEGAWAIAN_ASN
