"""The guided walkthrough (local/walkthrough.py) runs against the e2e stack and exits 0, so the
story a newcomer reads can never rot: every chapter whose service has landed must go through."""
from __future__ import annotations

import io

import pytest

from local.walkthrough import jalankan

pytestmark = pytest.mark.e2e


def test_walkthrough_menceritakan_seluruh_misi_dan_keluar_0(stack):
    out = io.StringIO()
    code = jalankan(stack, out=out)
    text = out.getvalue()
    print(text)
    assert code == 0, text[-3000:]
    assert "✓ Selesai" in text
    for bab in ("Bab 1 — Bukti Karya", "Bab 2 — Umpan Balik", "Bab 3 — Pengelolaan Kinerja",
                "Bab 3b — Observasi", "Bab 4 — Sinkro PMM"):
        assert bab in text
    assert "galat #10 pns_id_tidak_padan" in text and "#10: 1 percobaan" in text
    assert "terkirim (sent) sebagai" in text  # the feedback went through the share link (umpan_balik)
    # a second run on the same stack (fresh cast, unique ids) goes through as well
    assert jalankan(stack, bab=["karya"], out=io.StringIO()) == 0
