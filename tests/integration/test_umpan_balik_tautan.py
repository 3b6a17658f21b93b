"""The share link is the capability (K7, K8, U1, U3; security finding: feedback was tied to the karya id).

umpan_balik mirrors karya's `karya.tautan.dibuat` / `karya.tautan.dicabut` (token hashes only) and its
link-holder use cases take the raw token: unknown link 404, the link or its root revoked 410 -- for the
form, sending and reading. Knowing a karya id gives nothing. The mirror is idempotent and disorder-safe:
a revocation that arrives before its creation still wins. The owner's own routes stay owner-only by `sub`.
"""
from __future__ import annotations

import pytest

from tests.integration.test_umpan_balik_layanan import Uji, beri, doc, karya_baru, kirim_event, kode, tok
from tests.unit.umpan_balik import contoh as c
from umpan_balik import service

pytestmark = pytest.mark.integration


@pytest.fixture
def p(db) -> Uji:
    return Uji(db)


def status(fn, *args) -> tuple[int, str]:
    from shared.errors import DomainError

    with pytest.raises(DomainError) as info:
        fn(*args)
    return info.value.status, info.value.kode


def tiga_rute(p: Uji, token: str, pemberi: str = "rekan-x") -> list[tuple[int, str]]:
    """What the three link-holder use cases answer for this token (all must refuse the same way)."""
    return [status(service.ambil_kuesioner, p, pemberi, token),
            status(beri, p, "tidak-dipakai", pemberi, None, None, "praktik_pembelajaran", token),
            status(service.daftar_umpan_balik_tautan, p, pemberi, token, 10, None)]


def test_id_karya_atau_token_palsu_tidak_membuka_apa_pun(p):
    kid = karya_baru(p).data.karya_id
    beri(p, kid, "rekan-1")
    for palsu in (kid, "x" * 43, tok(kid) + "x", "", "a" * 500):
        assert tiga_rute(p, palsu) == [(404, "tautan_tidak_valid")] * 3, palsu
    assert len(service.daftar_umpan_balik_tautan(p, "rekan-2", tok(kid), 10, None)[1]) == 1


def test_tautan_dicabut_410_untuk_semua_pemegang_termasuk_yang_sudah_membuka(p):
    kid = karya_baru(p).data.karya_id
    assert service.ambil_kuesioner(p, "rekan-1", tok(kid)).karya.karya_id == kid  # opened while live
    beri(p, kid, "rekan-1")
    assert kirim_event(p, c.tautan_dicabut(kid, tok(kid))) == "diproses"
    assert tiga_rute(p, tok(kid), "rekan-1") == [(410, "tautan_dicabut")] * 3
    assert tiga_rute(p, tok(kid), "rekan-2") == [(410, "tautan_dicabut")] * 3
    # the owner keeps their own view (by `sub`), and a new link works again
    assert len(service.daftar_umpan_balik(p, "guru-pemilik", kid, 10, None)[1]) == 1
    baru = c.token_untuk(kid, "baru")
    assert kirim_event(p, c.tautan_dibuat(kid, baru)) == "diproses"
    assert beri(p, kid, "rekan-2", token=baru)[1]


def test_cabut_sebelum_dibuat_tetap_menang_dan_duplikat_tidak_mengubah(p):
    kid = karya_baru(p).data.karya_id
    t = c.token_untuk(kid, "acak")
    cabut, buat = c.tautan_dicabut(kid, t), c.tautan_dibuat(kid, t)
    assert kirim_event(p, cabut) == "diproses"
    assert tiga_rute(p, t) == [(410, "tautan_dicabut")] * 3
    assert kirim_event(p, buat) == "diproses"  # the late create does not revive it
    assert kirim_event(p, buat) == "duplikat" and kirim_event(p, cabut) == "duplikat"
    assert tiga_rute(p, t) == [(410, "tautan_dicabut")] * 3
    cermin = doc(p.db, "tautan", c.h(t))
    assert (cermin["dikenal"], cermin["dicabut"], cermin["karya_id"]) == (True, True, kid)
    assert t not in str(cermin)  # only the hash is stored


def test_rantai_teruskan_akar_dicabut_menghentikan_semua_penerus(p):
    kid = karya_baru(p).data.karya_id
    akar = tok(kid)
    penerus = c.token_untuk(kid, "penerus")
    cucu = c.token_untuk(kid, "cucu")
    # the grandchild's event overtakes its parent's: its root is known, so it works
    assert kirim_event(p, c.tautan_dibuat(kid, cucu, akar=akar, induk=penerus)) == "diproses"
    assert kirim_event(p, c.tautan_dibuat(kid, penerus, akar=akar, induk=akar)) == "diproses"
    assert beri(p, kid, "rekan-1", token=cucu)[1]
    # revoking an onward link stops that one only
    assert kirim_event(p, c.tautan_dicabut(kid, penerus, akar=akar)) == "diproses"
    assert status(service.ambil_kuesioner, p, "rekan-2", penerus) == (410, "tautan_dicabut")
    assert service.ambil_kuesioner(p, "rekan-2", cucu).karya.karya_id == kid
    # revoking the root stops every link of the chain
    assert kirim_event(p, c.tautan_dicabut(kid, akar)) == "diproses"
    for t in (akar, cucu):
        assert tiga_rute(p, t, "rekan-2") == [(410, "tautan_dicabut")] * 3


def test_tautan_karya_lain_memberi_umpan_balik_pada_karya_itu_saja(p):
    a, b = karya_baru(p).data.karya_id, karya_baru(p, pemilik="guru-lain").data.karya_id
    ub, _ = beri(p, a, "rekan-1", token=tok(b))
    assert (ub.karya_id, ub.pemilik_karya_id) == (b, "guru-lain")
    assert status(beri, p, a, "guru-pemilik") == (403, "pemilik_tidak_dapat_memberi_umpan_balik")


def terukur(fn, *args) -> tuple[object, int, int]:
    """(result or the DomainError raised, reads, writes) of one call, counted as a request's log line counts them."""
    from shared.errors import DomainError
    from shared.firestore import _ops, start_op_count

    ops = start_op_count()
    try:
        return fn(*args), ops.reads, ops.writes
    except DomainError as e:
        return e, ops.reads, ops.writes
    finally:
        _ops.set(None)


def test_rute_pemegang_tautan_melaporkan_bacaan_di_luar_transaksi(p):
    """The form and the list read outside a transaction, sending checks the link before its transaction:
    those reads are counted now (the form and the list were logged with 0 reads, sending with one too few)."""
    kid = karya_baru(p).data.karya_id
    penerus = c.token_untuk(kid, "penerus")
    assert kirim_event(p, c.tautan_dibuat(kid, penerus, akar=tok(kid), induk=tok(kid))) == "diproses"
    form, reads, writes = terukur(service.ambil_kuesioner, p, "rekan-1", tok(kid))
    assert form.karya.karya_id == kid and (reads, writes) == (3, 0)  # link; karya + own feedback together
    assert terukur(service.ambil_kuesioner, p, "rekan-1", penerus)[1:] == (4, 0)  # + the link's root
    (ub, baru), reads, writes = terukur(beri, p, kid, "rekan-1", None, "rekan1@belajar.id")
    # link outside; in the transaction link, then karya + feedback + identity; writes: feedback + outbox
    assert baru and (reads, writes) == (5, 2)
    (_, items, _), reads, writes = terukur(service.daftar_umpan_balik_tautan, p, "rekan-2", tok(kid), 10, None)
    assert [u.id for u in items] == [ub.id] and (reads, writes) == (3, 0)  # link, karya, one feedback
    galat, reads, _ = terukur(service.ambil_kuesioner, p, "rekan-1", "x" * 43)
    assert (galat.status, galat.kode, reads) == (404, "tautan_tidak_valid", 1)  # a missing link is billed too
