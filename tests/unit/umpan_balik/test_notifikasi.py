"""Feedback notifications: idempotent id, blue-dot unread count, newest first (U1, U4)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from umpan_balik.domain.notifikasi import (
    Notifikasi,
    buat_notifikasi,
    jumlah_belum_dibaca,
    notifikasi_id,
    tandai_dibaca,
    urutkan_terbaru,
)

WIB = timezone(timedelta(hours=7))
T0 = datetime(2024, 8, 1, 9, 0, tzinfo=WIB)


def notifikasi(event_id: str, menit: int = 0, **ubah):
    data = dict(
        event_id=event_id,
        penerima_id="guru-pemilik",
        karya_id="karya-1",
        umpan_balik_id=f"ub-{event_id}",
        pemberi_peran="guru",
        dibuat=T0 + timedelta(minutes=menit),
    )
    data.update(ubah)
    return buat_notifikasi(**data)


def test_u4_pengiriman_ulang_menghasilkan_notifikasi_yang_sama():
    assert notifikasi("evt-9") == notifikasi("evt-9")
    assert notifikasi("evt-9").id == notifikasi_id("evt-9")
    assert notifikasi("evt-9").id != notifikasi("evt-10").id
    assert notifikasi("evt-9").id.startswith("nb_") and len(notifikasi("evt-9").id) == 35


def test_u4_notifikasi_baru_belum_dibaca_dan_menunjuk_langsung_ke_umpan_balik():
    n = notifikasi("evt-1", pemberi_peran="kepala_sekolah")
    assert not n.dibaca and n.dibaca_pada is None
    assert (n.karya_id, n.umpan_balik_id, n.pemberi_peran) == ("karya-1", "ub-evt-1", "kepala_sekolah")


def test_u4_peran_pemberi_hanya_guru_atau_kepala_sekolah():
    with pytest.raises(ValidationError):
        notifikasi("evt-1", pemberi_peran="operator_sekolah")


def test_u4_waktu_tanpa_zona_ditolak():
    with pytest.raises(ValidationError):
        notifikasi("evt-1", dibuat=datetime(2024, 8, 1, 9, 0))


def test_u4_tandai_dibaca_idempoten_dan_menyimpan_waktu_pertama():
    n = notifikasi("evt-1")
    dibaca = tandai_dibaca(n, T0 + timedelta(hours=1))
    assert dibaca.dibaca and dibaca.dibaca_pada == T0 + timedelta(hours=1)
    assert tandai_dibaca(dibaca, T0 + timedelta(hours=5)) == dibaca
    assert not n.dibaca  # the original value object is untouched


def test_u4_dibaca_tanpa_waktu_tidak_konsisten():
    with pytest.raises(ValidationError):
        Notifikasi.model_validate({**notifikasi("evt-1").model_dump(), "dibaca": True})


def test_u4_jumlah_belum_dibaca_titik_biru():
    daftar = [notifikasi(f"evt-{i}", i) for i in range(5)]
    daftar[1] = tandai_dibaca(daftar[1], T0 + timedelta(days=1))
    daftar[3] = tandai_dibaca(daftar[3], T0 + timedelta(days=1))
    assert jumlah_belum_dibaca(daftar) == 3
    assert jumlah_belum_dibaca([]) == 0
    # a duplicate of an unread one (redelivery read twice) is counted once,
    # and a read copy wins over an unread copy of the same notification
    assert jumlah_belum_dibaca(daftar + [notifikasi("evt-0", 0)]) == 3
    assert jumlah_belum_dibaca(daftar + [tandai_dibaca(daftar[0], T0)]) == 2


def test_u4_urutan_terbaru_dulu_stabil_untuk_waktu_sama():
    acak = random.Random(5)
    daftar = [notifikasi(f"evt-{i}", acak.randint(0, 20)) for i in range(30)]
    urut = urutkan_terbaru(daftar)
    assert len(urut) == 30
    assert all(a.dibuat >= b.dibuat for a, b in zip(urut, urut[1:]))
    acak.shuffle(daftar)
    assert urutkan_terbaru(daftar) == urut  # same page order however it was read
    assert urutkan_terbaru(daftar + daftar[:5]) == urut


def test_u4_urutan_membandingkan_waktu_lintas_zona():
    utc = notifikasi("evt-a", dibuat=datetime(2024, 8, 1, 3, 0, tzinfo=timezone.utc))  # 10:00 WIB
    wib = notifikasi("evt-b", dibuat=datetime(2024, 8, 1, 9, 30, tzinfo=WIB))
    assert [n.id for n in urutkan_terbaru([wib, utc])] == [utc.id, wib.id]
