"""The demo world (local/demo.py): loaded through the inbound events only, and idempotent:
loading it a second time publishes the very same events and changes no document."""
from __future__ import annotations

import io
import time

import pytest
import requests

from local.demo import bangun_dunia, muat
from tests.support import Firestores

pytestmark = pytest.mark.e2e


def _snapshot(db, dunia) -> dict:
    """update_time of every mirror document the demo's events write (kinerja and sinkro)."""
    from sinkro.domain.cermin import kunci

    asn = [o for o in dunia.orang if o.nip]
    refs = [db.collection("kinerja__ptk").document(o.ptk_id) for o in dunia.orang]
    refs += [db.collection("kinerja__sekolah").document(s.npsn) for s in dunia.sekolah]
    refs += [db.collection("sinkro__ptk").document(kunci(o.ptk_id)) for o in dunia.orang]
    refs += [db.collection("sinkro__sekolah").document(kunci(s.npsn)) for s in dunia.sekolah]
    refs += [db.collection(c).document(kunci(o.nip)) for o in asn for c in ("sinkro__siasn", "sinkro__ekinerja")]
    out = {}
    for snap in db.get_all(refs):
        out[snap.reference.path] = snap.update_time if snap.exists else None
    return out


def test_dunia_demo_deterministik_nip_valid_dan_sesuai_brief():
    a, b = bangun_dunia(), bangun_dunia()
    assert [e.id for e in a.events] == [e.id for e in b.events]
    assert [e.data for e in a.events] == [e.data for e in b.events]
    assert len(a.orang) == 30 and len(a.sekolah) == 3
    assert [bool(s.ks) for s in a.sekolah] == [True, False, False] and [bool(s.plt) for s in a.sekolah] == \
        [False, True, False]
    for o in a.orang:
        if o.nip:
            assert len(o.nip) == 18 and o.nip.isdigit() and o.nip[14] in "12" and o.nip[15:] != "000"
    assert {o.status for o in a.orang} >= {"pns", "pppk", "cpns", "honorer", "gty", "gtt"}
    assert len({o.cacat for o in a.orang if o.cacat}) >= 8
    assert all(len(akun["videos"]) == 7 for akun in a.akun_youtube) and len(a.akun_youtube) == 30
    assert bangun_dunia("lain").events[0].id != a.events[0].id


def test_memuat_dua_kali_tidak_mengubah_apa_pun(stack, as_user):
    dunia = bangun_dunia()
    muat(stack, dunia, out=io.StringIO())
    ks = dunia.cari("ks-sdn1")
    saya = as_user(ks.sub, ks.email).get("/v1/kinerja/saya").json()
    assert "kepala_sekolah" in saya["peran"]
    plt = dunia.cari("plt-smpn2")
    assert "plt_kepala_sekolah" in as_user(plt.sub, plt.email).get("/v1/kinerja/saya").json()["peran"]
    google = f"http://127.0.0.1:{stack.ports.google}/_admin/data"
    db = Firestores(stack.project)
    time.sleep(3)  # let late redeliveries settle
    before, youtube_before = _snapshot(db, dunia), requests.get(google, timeout=10).json()
    assert sum(1 for v in before.values() if v) >= 60
    out = io.StringIO()
    muat(stack, dunia, out=out)
    assert "sudah ada (already there)" in out.getvalue()
    time.sleep(5)
    assert _snapshot(db, dunia) == before
    assert requests.get(google, timeout=10).json() == youtube_before
