"""Karya's feedback counter is sharded (no hot document on a popular karya): 200 feedback events
on one karya, delivered concurrently through the real consumer (ledger + effect in one
transaction) against the Firestore emulator, count exactly 200, spread over the shards, and a
redelivery counts once. The owner's list reads the shards of a whole page in one query."""
from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from karya import service
from shared.contracts.umpan_balik import UmpanBalikDikirim
from shared.events import make_event
from tests.integration.test_karya_layanan import T0, google, hubungkan, p, simpan  # noqa: F401 - fixtures
from tests.support import push_cloud_event

pytestmark = pytest.mark.integration
N = 200


def dikirim(karya_id: str, i: int, peran: str):
    return make_event("umpan_balik", "umpan_balik.umpan_balik.dikirim", UmpanBalikDikirim(
        umpan_balik_id=f"ub-{i}", karya_id=karya_id, pemilik_karya_id="guru-1", pemberi_peran=peran,
        kategori="praktik_pembelajaran", kuesioner_versi=1, dikirim_pada=T0))


def consume(p, event):
    return p.consume(push_cloud_event(event), "umpan_balik.umpan_balik.dikirim", "karya_on_umpan_balik_dikirim",
                     service.hitung_umpan_balik)


def test_200_concurrent_feedbacks_on_one_karya_count_200_spread_over_the_shards(p, db):
    akun = hubungkan(p)
    populer, sepi = simpan(p, akun), simpan(p, akun, video_id="SariUnlist1")
    events = [dikirim(populer.id, i, "guru" if i % 4 else "kepala_sekolah") for i in range(N)]
    with ThreadPoolExecutor(16) as ex:
        hasil = list(ex.map(lambda e: consume(p, e), events))
    assert hasil == ["diproses"] * N
    assert consume(p, events[7]) == "duplikat"                         # redelivery counts once

    h = service.ambil_karya(p, "guru-1", populer.id)[1]
    assert h.jumlah == N and h.per_peran == {"guru": 150, "kepala_sekolah": 50}
    halaman = service.daftar_karya_saya(p, "guru-1", 10, None)
    assert {k.id: c.jumlah for k, c in halaman.items} == {populer.id: N, sepi.id: 0}

    shards = [d.to_dict() for d in db.collection("karya__umpan_balik").stream()]
    assert len(shards) == service.SHARD_UMPAN_BALIK                    # the quiet karya has none: no reads
    per_doc = Counter({d["shard"]: d["jumlah"] for d in shards})
    assert sum(per_doc.values()) == N
    bagian = N / service.SHARD_UMPAN_BALIK
    assert max(per_doc.values()) <= 2 * bagian, per_doc                # no document takes more than 2x its share
    assert min(per_doc.values()) >= bagian / 2, per_doc
    # the shard of an event is a function of its id alone (redeliveries land on the same document)
    assert all(service.shard_umpan_balik(e.id) == service.shard_umpan_balik(e.id) for e in events[:5])
    assert Counter(service.shard_umpan_balik(e.id) for e in events) == per_doc


def test_counts_written_before_sharding_are_still_summed(p, db):
    akun = hubungkan(p)
    k = simpan(p, akun)
    db.collection("karya__umpan_balik").document(k.id).set(
        {"karya_id": k.id, "jumlah": 3, "per_peran": {"guru": 3}})       # the old one-document layout
    assert consume(p, dikirim(k.id, 1, "guru")) == "diproses"
    h = service.ambil_karya(p, "guru-1", k.id)[1]
    assert h.jumlah == 4 and h.per_peran == {"guru": 4}
