"""Sharded answer counters: layout, merge, recount (U5, docs/design.md#storage)."""
from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from umpan_balik.domain.analisa import analisa_kuesioner
from umpan_balik.domain.kuesioner import Kuesioner, kuesioner_terkini
from umpan_balik.domain.penghitung import (
    SHARD_COUNT,
    Hitungan,
    gabung_shard,
    hitung_ulang,
    id_penghitung,
    kenaikan_shard,
    pilih_shard,
)
from umpan_balik.domain.validasi import UmpanBalikMasuk, validasi_umpan_balik

MA = kuesioner_terkini("materi_ajar")
AKAR = Path(__file__).resolve().parents[3]


def versi_2(kuesioner: Kuesioner) -> Kuesioner:
    """A later version: first question gains a neutral option, last one dropped."""
    data = kuesioner.model_dump(mode="json")
    data["id"], data["versi"] = f"{kuesioner.kategori}.v2", 2
    data["pertanyaan"][0]["pilihan"].insert(2, {"id": "n", "teks": "Ragu-ragu"})
    data["pertanyaan"].pop()
    return Kuesioner.model_validate(data)


def umpan_balik_acak(acak: random.Random, kuesioner: Kuesioner):
    masuk = UmpanBalikMasuk(
        jawaban={q.id: acak.choice(q.pilihan).id for q in kuesioner.pertanyaan},
        tanggapan={t.id: "Penjelasannya runtut." for t in kuesioner.tanggapan if t.wajib},
        saran="Tambahkan latihan soal.",
    )
    return validasi_umpan_balik(masuk, kuesioner)


def terapkan(shard: dict, kenaikan: dict[str, int]) -> None:
    """What Firestore's update with Increment on dotted field paths does."""
    for jalur, n in kenaikan.items():
        *induk, daun = jalur.split(".")
        tujuan = shard
        for kunci in induk:
            tujuan = tujuan.setdefault(kunci, {})
        tujuan[daun] = tujuan.get(daun, 0) + n


def test_u5_pilih_shard_stabil_lintas_proses_dan_dalam_rentang():
    assert pilih_shard("evt-1", 10) == 1
    assert pilih_shard("projects/pmm/topics/umpan_balik.umpan_balik.dikirim/123", 10) == 1
    assert pilih_shard("evt-1", 7) == 6
    assert pilih_shard("evt-1") == 9  # SHARD_COUNT = 32
    # Python's own hash() is salted per process; ours must not be.
    kode = "from umpan_balik.domain.penghitung import pilih_shard; print(pilih_shard('evt-1', 10))"
    keluaran = subprocess.run(
        [sys.executable, "-c", kode],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": f"{AKAR}:{AKAR / 'services/umpan_balik'}", "PYTHONHASHSEED": "123"},
    )
    assert keluaran.stdout.strip() == "1"


def test_u5_pilih_shard_tersebar_rata():
    sebaran = Counter(pilih_shard(f"evt-{i}") for i in range(20_000))
    assert set(sebaran) == set(range(SHARD_COUNT))
    rata = 20_000 / SHARD_COUNT
    assert all(0.85 * rata < n < 1.15 * rata for n in sebaran.values())


def test_u5_jumlah_shard_tidak_valid():
    with pytest.raises(ValueError):
        pilih_shard("evt-1", 0)


def test_u5_kenaikan_shard_satu_per_jawaban():
    umpan_balik = umpan_balik_acak(random.Random(1), MA)
    kenaikan = kenaikan_shard(umpan_balik)
    assert kenaikan["jumlah_umpan_balik"] == 1
    assert len(kenaikan) == 1 + len(MA.pertanyaan)
    assert all(n == 1 for n in kenaikan.values())
    assert f"jumlah.ma_durasi.{umpan_balik.jawaban['ma_durasi']}" in kenaikan


def test_u5_penghitung_bershard_sama_dengan_hitung_ulang_dan_pengiriman_ulang_tidak_menggandakan():
    acak = random.Random(42)
    shards: list[dict] = [{} for _ in range(SHARD_COUNT)]
    buku_event: set[str] = set()  # the service's event-id ledger
    tersimpan = []
    for i in range(500):
        umpan_balik = umpan_balik_acak(acak, MA)
        event_id = f"evt-{i}"
        for _ in range(acak.choice([1, 1, 1, 2, 3])):  # at-least-once delivery
            assert pilih_shard(event_id) == pilih_shard(event_id)
            if event_id in buku_event:
                continue
            buku_event.add(event_id)
            tersimpan.append(umpan_balik)
            terapkan(shards[pilih_shard(event_id)], kenaikan_shard(umpan_balik))

    acak.shuffle(shards)  # merge order does not matter
    gabungan = gabung_shard(shards + [None, {}])
    assert gabungan == hitung_ulang(tersimpan, MA)
    assert gabungan.jumlah_umpan_balik == 500
    assert sum(1 for s in shards if s) == SHARD_COUNT  # all shards used
    for q in MA.pertanyaan:
        assert sum(gabungan.jumlah[q.id].values()) == 500
    analisa = analisa_kuesioner(MA, gabungan.jumlah)
    assert all(a.total == 500 for a in analisa.pertanyaan)


def test_u2_u5_versi_baru_tidak_mengubah_hitungan_versi_lama():
    acak = random.Random(7)
    ma2 = versi_2(MA)
    lama = [umpan_balik_acak(acak, MA) for _ in range(40)]
    baru = [umpan_balik_acak(acak, ma2) for _ in range(25)]
    campur = lama + baru
    acak.shuffle(campur)

    hitungan_lama = hitung_ulang(campur, MA)
    assert hitungan_lama == hitung_ulang(lama, MA)
    assert hitungan_lama.jumlah_umpan_balik == 40
    assert "n" not in hitungan_lama.jumlah.get(MA.pertanyaan[0].id, {})
    assert hitung_ulang(campur, ma2).jumlah_umpan_balik == 25
    # v1 counts still read against v1 options (its last question still exists there)
    analisa = analisa_kuesioner(MA, hitungan_lama.jumlah)
    assert analisa.pertanyaan[-1].pertanyaan_id == "ma_durasi"
    assert analisa.pertanyaan[-1].total == 40
    assert id_penghitung("karya-1", MA.id) != id_penghitung("karya-1", ma2.id)


def test_u5_hitungan_kanonik_tanpa_nol():
    assert Hitungan(jumlah={"q": {"a": 0}}) == Hitungan()
    assert gabung_shard([{"jumlah": {"q": {"a": 0, "b": 2}}}]).jumlah == {"q": {"b": 2}}


@pytest.mark.parametrize(
    "shard",
    [
        {"jumlah_umpan_balik": "3"},
        {"jumlah": {"q": {"a": 1.5}}},
        {"jumlah": {"q": {"a": True}}},
        {"jumlah": {"q": {"a": -1}}},
    ],
)
def test_u5_shard_rusak_ditolak(shard):
    with pytest.raises(ValueError):
        gabung_shard([shard])


def test_u5_hitung_ulang_menolak_jawaban_di_luar_versinya():
    umpan_balik = umpan_balik_acak(random.Random(3), MA)
    rusak = umpan_balik.model_copy(update={"jawaban": {**umpan_balik.jawaban, "ma_durasi": "x"}})
    with pytest.raises(ValueError):
        hitung_ulang([rusak], MA)
