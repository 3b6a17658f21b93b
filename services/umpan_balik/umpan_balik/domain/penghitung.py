"""Sharded answer counters of a karya's questionnaire (U5, docs/design.md#storage).

Many colleagues may answer one karya's questionnaire at once, and a Firestore
document takes about one write a second, so the counts are spread over
`SHARD_COUNT` shard documents per (karya, questionnaire version), in one flat
collection so that one query on `karya_id` reads every version's shards:

    penghitung/{karya_id}~{kuesioner_id}~{shard 0..SHARD_COUNT-1}
    {
      "karya_id": ..., "kuesioner_id": ..., "shard": <int>,
      "jumlah_umpan_balik": <int>,
      "jumlah": {<pertanyaan_id>: {<pilihan_id>: <int>}}
    }

A feedback event increments one shard, chosen from the event id, with the
field paths from `kenaikan_shard` (ids are plain snake_case, so they are valid
unquoted Firestore field paths). The read side merges every shard with
`gabung_shard`. Counters are kept per questionnaire version, so a new version
never changes how old answers are counted; `hitung_ulang` recounts from the
stored feedbacks to check or rebuild the counters.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import Field, field_validator

from shared.models import FrozenModel
from umpan_balik.domain.kuesioner import Kuesioner
from umpan_balik.domain.validasi import UmpanBalikTervalidasi

SHARD_COUNT = 32
"""Shards per counter (karya, questionnaire version). Measured (integration test of
200 concurrent feedbacks): the local stack delivers ~17 feedbacks a second to one
karya; 10 shards gave ~2 writes/s per document on average (7 in the worst 1 s
window), 32 keep the average near 0.5/s. The owner's analysis reads at most 32
small documents per version. Changing it later is safe: the read side queries
every shard of a karya, whatever exists."""


def pilih_shard(event_id: str, shard_count: int = SHARD_COUNT) -> int:
    """The shard of one feedback event, stable across processes and
    redeliveries (sha256, not Python's per-process salted `hash`)."""
    if shard_count < 1:
        raise ValueError("shard_count harus paling sedikit 1")
    ringkasan = hashlib.sha256(event_id.encode("utf-8")).digest()
    return int.from_bytes(ringkasan[:8], "big") % shard_count


def id_penghitung(karya_id: str, kuesioner_id: str) -> str:
    """Parent document id of a counter: one per karya and questionnaire version."""
    return f"{karya_id}~{kuesioner_id}"


def id_shard(karya_id: str, kuesioner_id: str, shard: int) -> str:
    """Document id of one shard (natural key; the karya id is random, so ids spread)."""
    return f"{id_penghitung(karya_id, kuesioner_id)}~{shard}"


def kenaikan_shard(umpan_balik: UmpanBalikTervalidasi) -> dict[str, int]:
    """Field path -> increment that one feedback adds to its shard."""
    kenaikan = {"jumlah_umpan_balik": 1}
    for pertanyaan_id, pilihan_id in umpan_balik.jawaban.items():
        kenaikan[f"jumlah.{pertanyaan_id}.{pilihan_id}"] = 1
    return kenaikan


class Hitungan(FrozenModel):
    """Counts of one questionnaire version of one karya.

    Canonical form: options with zero answers are left out, so two Hitungan
    with the same counts compare equal however they were built.
    """

    jumlah_umpan_balik: int = Field(default=0, ge=0)
    jumlah: dict[str, dict[str, int]] = Field(default_factory=dict)

    @field_validator("jumlah")
    @classmethod
    def _tanpa_nol(cls, jumlah: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
        bersih: dict[str, dict[str, int]] = {}
        for pertanyaan_id, per_pilihan in jumlah.items():
            for pilihan_id, n in per_pilihan.items():
                if n < 0:
                    raise ValueError(f"jumlah negatif untuk {pertanyaan_id}.{pilihan_id}")
                if n:
                    bersih.setdefault(pertanyaan_id, {})[pilihan_id] = n
        return bersih


def _bilangan(nilai: Any, jalur: str) -> int:
    if isinstance(nilai, bool) or not isinstance(nilai, int):
        raise ValueError(f"shard rusak: {jalur} bukan bilangan bulat ({nilai!r})")
    return nilai


def gabung_shard(shards: Iterable[Mapping[str, Any] | None]) -> Hitungan:
    """Sum of the shard documents (a missing shard, None or {}, counts as zero)."""
    total = 0
    jumlah: dict[str, dict[str, int]] = {}
    for shard in shards:
        if not shard:
            continue
        total += _bilangan(shard.get("jumlah_umpan_balik", 0), "jumlah_umpan_balik")
        for pertanyaan_id, per_pilihan in (shard.get("jumlah") or {}).items():
            tujuan = jumlah.setdefault(pertanyaan_id, {})
            for pilihan_id, n in per_pilihan.items():
                n = _bilangan(n, f"jumlah.{pertanyaan_id}.{pilihan_id}")
                tujuan[pilihan_id] = tujuan.get(pilihan_id, 0) + n
    return Hitungan(jumlah_umpan_balik=total, jumlah=jumlah)


def hitung_ulang(
    daftar_umpan_balik: Iterable[UmpanBalikTervalidasi], kuesioner: Kuesioner
) -> Hitungan:
    """Counts recomputed from raw feedbacks: only those given on this exact
    version are counted, against this version's options."""
    total = 0
    jumlah: dict[str, dict[str, int]] = {}
    for umpan_balik in daftar_umpan_balik:
        if umpan_balik.kuesioner_id != kuesioner.id:
            continue  # answered on another version: counted by that version's counter
        total += 1
        for pertanyaan_id, pilihan_id in umpan_balik.jawaban.items():
            pertanyaan = kuesioner.cari_pertanyaan(pertanyaan_id)
            if pertanyaan is None or pertanyaan.cari_pilihan(pilihan_id) is None:
                raise ValueError(
                    f"jawaban {pertanyaan_id}={pilihan_id} tidak ada di kuesioner {kuesioner.id}"
                )
            per_pilihan = jumlah.setdefault(pertanyaan_id, {})
            per_pilihan[pilihan_id] = per_pilihan.get(pilihan_id, 0) + 1
    return Hitungan(jumlah_umpan_balik=total, jumlah=jumlah)
