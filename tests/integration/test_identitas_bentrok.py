"""An e-mail two Dapodik records list is quarantined in every service's identity index, never given by
arrival order (shared/klaim_email.py): kinerja, umpan_balik and sinkro consumers on the emulator."""
from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from kinerja.service import akses, repo
from shared.consumer import consume
from shared.contracts.referensi_dapodik import PtkDiperbarui
from shared.errors import DomainError
from shared.events import make_event
from shared.firestore import UnitOfWork
from shared.klaim_email import KODE_BENTROK
from sinkro import service as sk
from tests.integration.test_kinerja_layanan import doc, kirim_event, peran_identitas, uow
from tests.integration.test_umpan_balik_layanan import Uji, beri, karya_baru
from tests.integration.test_umpan_balik_layanan import doc as doc_ub
from tests.integration.test_umpan_balik_layanan import kirim_event as kirim_ub
from tests.support import push_cloud_event
from tests.unit.kinerja import contoh as c
from tests.unit.umpan_balik import contoh as cu
from umpan_balik import service as ub

pytestmark = pytest.mark.integration

SUREL = c.email("rebutan")
TOPIK = "referensi.ptk.diperbarui"


def _ptk(ptk_id: str, npsn: str, versi: int = 1, surel: str | None = SUREL, urut: int = 1):
    return c.event(TOPIK, c.ptk(ptk_id, npsn, versi=versi, urut=urut, surel=surel))


def _kode(fn) -> str:
    with pytest.raises(DomainError) as info:
        fn()
    return info.value.kode


def _bentrok_operator(db) -> list[dict]:
    return [d.to_dict() for d in db.collection("kinerja__referensi_ditolak").stream()
            if d.to_dict().get("kode") == KODE_BENTROK]


@pytest.mark.parametrize("urutan", [(0, 1), (1, 0), (0, 1, 0, 1), (1, 1, 0)])
def test_kinerja_dua_ptk_satu_email_dikarantina_apa_pun_urutannya(db, urutan):
    npsn = c.npsn_baru()
    ev = [_ptk("ptk-a", npsn, urut=1), _ptk("ptk-b", npsn, urut=2)]
    for i in urutan:
        kirim_event(db, ev[i])
    entri = doc(db, "identitas", repo.hash_email(SUREL))
    assert entri["ptk_id"] is None and entri["bentrok"] == {"ptk": ["ptk-a", "ptk-b"]}
    assert _kode(lambda: uow(db).run(lambda tx: akses.kenali(tx, SUREL))) == KODE_BENTROK
    # the operators see one entry naming both records
    [catatan] = _bentrok_operator(db)
    assert sorted(catatan["kunci"]) == ["ptk/ptk-a", "ptk/ptk-b"] and catatan["aktor"] == "operator_sekolah"
    # one record drops the address (newer version): the other owns it, the operators' entry is gone
    kirim_event(db, _ptk("ptk-b", npsn, versi=2, urut=2, surel=c.email("budi")))
    assert uow(db).run(lambda tx: akses.kenali(tx, SUREL)).ptk_id == "ptk-a"
    assert uow(db).run(lambda tx: akses.kenali(tx, c.email("budi"))).ptk_id == "ptk-b"
    assert _bentrok_operator(db) == []


def test_kinerja_hasil_akhir_sama_untuk_setiap_urutan(db):
    npsn = c.npsn_baru()
    ev = [_ptk("ptk-a", npsn, urut=1), _ptk("ptk-b", npsn, urut=2), _ptk("ptk-b", npsn, versi=2, urut=2, surel=None)]
    hasil = []
    for urutan in itertools.permutations(ev):
        for d in db.collection("kinerja__identitas").stream():
            d.reference.delete()
        for col in ("ptk", "referensi_ditolak"):
            for d in db.collection(f"kinerja__{col}").stream():
                d.reference.delete()
        for e in urutan:
            kirim_event(db, e.model_copy(update={"id": e.id + "-" + "".join(x.id[-4:] for x in urutan)}))
        hasil.append(peran_identitas(doc(db, "identitas", repo.hash_email(SUREL))))
    assert all(h == {"ptk_id": "ptk-a"} for h in hasil), hasil


def test_kinerja_pengawas_yang_juga_ptk_bukan_bentrok_dua_pengawas_bentrok(db):
    kirim_event(db, _ptk("ptk-a", c.npsn_baru()))
    kirim_event(db, c.event("referensi.pengawas.diperbarui", c.pengawas("pgw-1", SUREL)))
    aktor = uow(db).run(lambda tx: akses.kenali(tx, SUREL))
    assert (aktor.ptk_id, aktor.pengawas_id) == ("ptk-a", "pgw-1")
    kirim_event(db, c.event("referensi.pengawas.diperbarui", c.pengawas("pgw-2", SUREL)))
    assert doc(db, "identitas", repo.hash_email(SUREL))["bentrok"] == {"pengawas": ["pgw-1", "pgw-2"]}
    assert _kode(lambda: uow(db).run(lambda tx: akses.kenali(tx, SUREL))) == KODE_BENTROK
    kirim_event(db, c.event("referensi.pengawas.diperbarui", c.pengawas("pgw-2", SUREL, versi=2, status="nonaktif")))
    assert uow(db).run(lambda tx: akses.kenali(tx, SUREL)).pengawas_id == "pgw-1"


# ------------------------------------------------------------------ umpan_balik

@pytest.mark.parametrize("urutan", [(0, 1), (1, 0), (1, 0, 1, 0)])
def test_umpan_balik_email_dua_ptk_dikarantina_lalu_pulih(db, urutan):
    p = Uji(db)
    surel = "rebutan@belajar.id"
    ev = [cu.ptk("ks-1", surel, jabatan="kepala_sekolah"), cu.ptk("guru-9", surel)]
    for i in urutan:
        assert kirim_ub(p, ev[i]) in ("diproses", "duplikat")
    entri = doc_ub(db, "identitas", ub.hash_email(surel))
    assert (entri["ptk_id"], entri["peran"], entri["bentrok"]) == (None, None, {"ptk": ["guru-9", "ks-1"]})
    karya_id = karya_baru(p).data.karya_id
    with pytest.raises(DomainError) as info:
        beri(p, karya_id, "sub-rebutan", email=surel)
    assert info.value.kode == KODE_BENTROK and info.value.status == 403
    assert kirim_ub(p, cu.ptk("guru-9", "guru9@belajar.id", versi=2)) == "diproses"
    ub_baru, _ = beri(p, karya_id, "sub-rebutan", email=surel)
    assert ub_baru.pemberi_peran == "kepala_sekolah"


# ------------------------------------------------------------------ sinkro

def test_sinkro_email_dua_ptk_403_bentrok_lalu_pulih(db):
    def kirim_sk(payload: dict) -> str:
        return consume(push_cloud_event(make_event("uji", TOPIK, PtkDiperbarui(**payload))), topic=TOPIK,
                       consumer="uji_ptk", uow=UnitOfWork(db, "sinkro"), effect=sk.terapkan_ptk,
                       max_age=timedelta(days=1))

    surel = "rebutan@belajar.id"
    dasar = dict(nama="Guru", nip=c.nip(1), npsn_induk="20100001", status_kepegawaian="pns", jabatan="guru")
    a = dasar | {"ptk_id": "ptk-a", "email_belajar_id": surel, "versi": 1}
    b = dasar | {"ptk_id": "ptk-b", "email_belajar_id": surel, "versi": 1}
    for payload in (b, a, b):
        kirim_sk(payload)
    with pytest.raises(DomainError) as info:
        sk.kenali(db, "sub-x", surel.upper())
    assert info.value.kode == KODE_BENTROK and info.value.status == 403
    kirim_sk(b | {"email_belajar_id": "lain@belajar.id", "versi": 2})
    assert sk.kenali(db, "sub-x", surel).ptk["ptk_id"] == "ptk-a"


def test_sinkro_dua_admin_aktif_satu_email_403_bentrok_lalu_pulih(db):
    from shared.contracts.referensi_bkn import AdminInstansiDiperbarui

    topik = "referensi.admin_instansi.diperbarui"

    def kirim_admin(**ubah) -> str:
        payload = AdminInstansiDiperbarui(**({"email": "admin.rebutan@belajar.id", "instansi_ids": ["i-1"],
                                              "versi": 1} | ubah))
        return consume(push_cloud_event(make_event("uji", topik, payload)), topic=topik, consumer="uji_admin",
                       uow=UnitOfWork(db, "sinkro"), effect=sk.terapkan_admin, max_age=timedelta(days=1))

    kirim_admin(admin_id="adm-1")
    assert sk.kenali(db, "sub-adm", "admin.rebutan@belajar.id").admin["admin_id"] == "adm-1"
    kirim_admin(admin_id="adm-2")
    with pytest.raises(DomainError) as info:
        sk.kenali(db, "sub-adm", "admin.rebutan@belajar.id")
    assert info.value.kode == KODE_BENTROK
    kirim_admin(admin_id="adm-1", aktif=False, versi=2)  # one is no longer an admin: the other keeps the address
    assert sk.kenali(db, "sub-adm", "admin.rebutan@belajar.id").admin["admin_id"] == "adm-2"
