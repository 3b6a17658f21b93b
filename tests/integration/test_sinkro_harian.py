"""The daily Sinkro batch fan-out (S3) against the Firestore emulator: the backlog is paged by a cursor,
each page is one transaction with its chunk events and the tick's progress; a redelivered tick (after a
crash or a timeout) continues where it stopped and emits no chunk twice."""
from __future__ import annotations

import itertools
from datetime import datetime, timezone

import pytest

from shared.contracts.platform import JadwalTick
from shared.events import Event
from shared.firestore import UnitOfWork, ledger_ref
from shared.settings import load_settings
from sinkro import bootstrap, service
from sinkro.domain.cermin import kunci
from tests.integration.test_sinkro_skenario import Rekam

pytestmark = pytest.mark.integration
KONSUMEN = "sinkro_on_jadwal_harian"
PERIODE = "2026-2"


@pytest.fixture
def p(db):
    settings = load_settings(bootstrap.SinkroSettings, service="sinkro", ekinerja_url="http://127.0.0.1:9",
                             ekinerja_api_key="kunci-uji-ekinerja", pepper_kunci_api="pepper-uji", ukuran_potongan=2)
    rekam = Rekam()
    platform = bootstrap.bootstrap(settings, db=db, uow=UnitOfWork(db, "sinkro", rekam))
    platform.rekam = rekam
    return platform


def tick(message_id: str = "1") -> Event:
    return Event[JadwalTick](id=f"jadwal-{message_id}", source="//pubsub.googleapis.com/projects/p/topics/t",
                             type="jadwal.sinkro.harian", data=JadwalTick(jadwal="jadwal.sinkro.harian"),
                             time=datetime.now(timezone.utc))


def tertunda(db, skp: int, predikat: int, selesai: int = 2) -> set[tuple[str, str, str]]:
    """`skp` pending SKPs, the first `predikat` of them with a pending predicate too, and `selesai`
    already synced (not pending). Returns the pending items."""
    items = set()
    for i in range(skp + selesai):
        ptk = f"ptk-{i:03d}"
        pending = i < skp
        db.collection("sinkro__rencana").document(kunci(ptk, PERIODE)).set(
            {"ptk_id": ptk, "periode": PERIODE, "perlu_sinkro": pending, "versi": 1})
        if pending:
            items.add((ptk, "skp", PERIODE))
        if i < predikat:
            db.collection("sinkro__predikat").document(kunci(ptk, PERIODE)).set(
                {"ptk_id": ptk, "periode": PERIODE, "perlu_sinkro": True, "versi": 1})
            items.add((ptk, "predikat", PERIODE))
    return items


def chunks(p) -> list[Event]:
    return p.rekam.ambil("sinkro.batch.dijadwalkan")


def items_of(events) -> list[tuple[str, str, str]]:
    return [(b.pegawai_id, b.jenis, b.periode) for e in events for b in e.data.butir]


def test_backlog_is_paged_and_every_item_is_fanned_out_once(p, db):
    items = tertunda(db, skp=7, predikat=4)
    hitung = service.jadwalkan_harian(p, KONSUMEN, tick(), ukuran_halaman=3)
    events = chunks(p)
    assert sorted(items_of(events)) == sorted(items)  # each pending item exactly once
    assert hitung["halaman"] >= 3 and hitung["butir"] == len(items) == 11
    assert all(len(e.data.butir) <= 3 for e in events)  # ukuran_potongan 2; a pegawai's items stay together
    for e in events:  # an SKP and its predicate travel in one chunk, the SKP first (#13)
        jenis = {}
        for b in e.data.butir:
            jenis.setdefault(b.pegawai_id, []).append(b.jenis)
        assert all(j in (["skp"], ["skp", "predikat"]) for j in jenis.values()), jenis
    assert all(e.id == e.data.batch_id for e in events)
    assert db.document(ledger_ref(db, "sinkro", KONSUMEN, tick().id).path).get().exists


def test_redelivered_tick_continues_after_the_last_page_and_emits_no_chunk_twice(p, db):
    items = tertunda(db, skp=9, predikat=3)
    jam = itertools.count(0, 10)  # every look at the clock is 10 s later: two pages fit in 25 s
    with pytest.raises(service.HarianBelumSelesai):
        service.jadwalkan_harian(p, KONSUMEN, tick(), ukuran_halaman=2, anggaran_detik=25, jam=lambda: next(jam))
    first = chunks(p)
    assert first and len(items_of(first)) < len(items)
    assert not db.document(ledger_ref(db, "sinkro", KONSUMEN, tick().id).path).get().exists
    service.jadwalkan_harian(p, KONSUMEN, tick(), ukuran_halaman=2)  # Pub/Sub delivers the tick again
    rest = chunks(p)
    assert sorted(items_of(first + rest)) == sorted(items)
    assert len({e.id for e in first + rest}) == len(first + rest)
    service.jadwalkan_harian(p, KONSUMEN, tick(), ukuran_halaman=2)  # and once more after it finished
    assert chunks(p) == []


def test_chunk_ids_come_from_the_tick_and_page(p, db):
    """The same page of the same tick gives the same chunk ids (a concurrent duplicate delivery that
    emitted a page anyway would be one chunk to the chunk consumer); another tick gives others."""
    tertunda(db, skp=3, predikat=0)
    a = service.event_potongan([[("x", "skp", PERIODE)], [("y", "skp", PERIODE)]], "jadwal_harian",
                               lambda i: kunci("jadwal-1", "0", str(i)))
    b = service.event_potongan([[("x", "skp", PERIODE)], [("y", "skp", PERIODE)]], "jadwal_harian",
                               lambda i: kunci("jadwal-1", "0", str(i)))
    c = service.event_potongan([[("x", "skp", PERIODE)]], "jadwal_harian", lambda i: kunci("jadwal-2", "0", str(i)))
    assert [e.id for e in a] == [e.id for e in b] and a[0].id != c[0].id
    service.jadwalkan_harian(p, KONSUMEN, tick("1"))
    one = chunks(p)
    service.jadwalkan_harian(p, KONSUMEN, tick("2"))  # the next night's tick: its own chunks
    two = chunks(p)
    assert not {e.id for e in one} & {e.id for e in two} and items_of(one) == items_of(two)
