"""The e-mail claim rule (shared/klaim_email.py): an address two persons' records list is quarantined,
never given by arrival order; idempotent and order-independent; cleared when one record drops it."""
from __future__ import annotations

import itertools

import pytest

from shared import klaim_email
from shared.errors import Forbidden

PTK = klaim_email.Slot("ptk", orang="ptk_id", kunci="ptk_id", kolom=("ptk_id", "nama"))
PENGAWAS = klaim_email.Slot("pengawas", orang="pengawas_id", kunci="pengawas_id", kolom=("pengawas_id",))


def _jalankan(langkah):
    entry = None
    for slot, kunci, isi in langkah:
        entry = klaim_email.klaim(entry, slot, kunci, isi)
    return entry


A = (PTK, "ptk-a", {"ptk_id": "ptk-a", "nama": "Siti"})
B = (PTK, "ptk-b", {"ptk_id": "ptk-b", "nama": "Budi"})
B_LEPAS = (PTK, "ptk-b", None)


def test_satu_pemilik_mendapat_alamat():
    entry = _jalankan([A])
    assert entry["ptk_id"] == "ptk-a" and entry["nama"] == "Siti"
    assert klaim_email.bentrok(entry) == {}
    klaim_email.periksa(entry)  # no raise


def test_dua_orang_dikarantina_bukan_salah_satunya():
    entry = _jalankan([A, B])
    assert entry["ptk_id"] is None and entry["nama"] is None
    assert klaim_email.bentrok(entry) == {"ptk": ["ptk-a", "ptk-b"]}
    with pytest.raises(Forbidden) as info:
        klaim_email.periksa(entry)
    assert info.value.kode == "email_bentrok" and "Dapodik" in info.value.pesan
    assert "ptk-b" not in info.value.pesan  # the other record is never shown to the caller


@pytest.mark.parametrize("urutan", list(itertools.permutations([A, B, A, B])))
def test_urutan_dan_duplikat_tidak_mengubah_hasil(urutan):
    assert _jalankan(list(urutan)) == _jalankan([A, B])


def test_rekaman_melepas_alamat_pemilik_tersisa_mendapatkannya():
    for awal in ([A, B], [B, A]):
        entry = _jalankan([*awal, B_LEPAS])
        assert entry["ptk_id"] == "ptk-a" and klaim_email.bentrok(entry) == {}
    assert _jalankan([B_LEPAS, A, B, B_LEPAS])["ptk_id"] == "ptk-a"


def test_peran_lain_orang_sama_bukan_bentrok():
    entry = _jalankan([A, (PENGAWAS, "pgw-1", {"pengawas_id": "pgw-1"})])
    assert entry["ptk_id"] == "ptk-a" and entry["pengawas_id"] == "pgw-1"
    assert klaim_email.bentrok(entry) == {}


def test_karantina_satu_peran_tidak_menyentuh_peran_lain():
    entry = _jalankan([(PENGAWAS, "pgw-1", {"pengawas_id": "pgw-1"}), A, B])
    assert entry["pengawas_id"] == "pgw-1" and klaim_email.bentrok(entry) == {"ptk": ["ptk-a", "ptk-b"]}


def test_entri_lama_tanpa_klaim_dibaca_sebagai_klaim_pemiliknya():
    lama = {"ptk_id": "ptk-a", "nama": "Siti", "lain": 1}
    entry = klaim_email.klaim(lama, PTK, "ptk-b", {"ptk_id": "ptk-b", "nama": "Budi"})
    assert entry["ptk_id"] is None and entry["lain"] == 1
    assert klaim_email.bentrok(entry) == {"ptk": ["ptk-a", "ptk-b"]}


def test_dua_rekaman_orang_yang_sama_bukan_bentrok():
    kd = klaim_email.Slot("kepala_dinas", orang="kepala_dinas_id", kunci="dinas_id",
                          kolom=("kepala_dinas_id", "dinas_id"))
    satu = (kd, "dinas-1", {"kepala_dinas_id": "kd-1", "dinas_id": "dinas-1"})
    dua = (kd, "dinas-2", {"kepala_dinas_id": "kd-1", "dinas_id": "dinas-2"})
    assert _jalankan([dua, satu]) == _jalankan([satu, dua])
    assert _jalankan([satu, dua])["dinas_id"] == "dinas-1" and not klaim_email.bentrok(_jalankan([satu, dua]))
