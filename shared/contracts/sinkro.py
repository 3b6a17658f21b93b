"""Events Sinkro PMM publishes, the scheduler tick it runs on, and the subscriptions of its functions (S1-S3).

`sinkro.sinkronisasi.berhasil` / `.gagal`: one per attempt that reached a
decision (sent and accepted, or refused with a documented error #1-#20); no NIP,
only ids, so any service may subscribe. `sinkro.batch.dijadwalkan` is the
service's own work queue: a chunk of (pegawai, jenis, periode) to sync, fanned
out by the daily tick or by a reference event that fixed a pegawai's data.
"""
from __future__ import annotations

from datetime import datetime

from pydantic import Field

from shared.contracts.platform import JadwalTick
from shared.contracts.registry import register_subscription, register_topic
from shared.events import EventPayload


class SinkronisasiBerhasil(EventPayload):
    log_id: str
    pegawai_id: str = Field(description="ptk_id in PMM")
    jenis: str = Field(description="skp, predikat, plt")
    periode: str
    versi: int
    id_sinkron: str
    peringatan: list[int] = Field([], description="published numbers shown as warnings (#4 A, #12 replaced)")
    pada: datetime


class SinkronisasiGagal(EventPayload):
    log_id: str
    pegawai_id: str
    jenis: str
    periode: str
    versi: int | None = None
    nomor_galat: int | None = Field(None, description="SRC-BIMTEK-MAPPI #1-#20; None for an undocumented refusal")
    kode: str
    aktor: str | None = None
    dapat_diulang_otomatis: bool = False
    pada: datetime


class ButirSinkro(EventPayload):
    pegawai_id: str
    jenis: str
    periode: str


class BatchDijadwalkan(EventPayload):
    """One chunk of work for the chunk consumer."""

    batch_id: str
    alasan: str = Field(description="jadwal_harian, data_diperbaiki or ulang_laju (e-Kinerja asked us to wait)")
    butir: list[ButirSinkro]
    tidak_sebelum: datetime | None = Field(
        None, description="do not send before this time (e-Kinerja's Retry-After); additive")


JADWAL_SINKRO_HARIAN = register_topic(
    "jadwal.sinkro.harian", JadwalTick, "cloud_scheduler",
    "Daily: Sinkro PMM fans out every agreed SKP and predicate not yet in e-Kinerja.")
SINKRONISASI_BERHASIL = register_topic(
    "sinkro.sinkronisasi.berhasil", SinkronisasiBerhasil, "sinkro",
    "An SKP, predicate or Plt. data reached e-Kinerja (possibly with warnings).")
SINKRONISASI_GAGAL = register_topic(
    "sinkro.sinkronisasi.gagal", SinkronisasiGagal, "sinkro",
    "A sync attempt was refused; carries the documented error number and who must act.")
BATCH_DIJADWALKAN = register_topic(
    "sinkro.batch.dijadwalkan", BatchDijadwalkan, "sinkro",
    "A chunk of pegawai to sync (daily batch or automatic retry after a data fix).")

for _topic, _fn, _what in (
    ("kinerja.rencana.disepakati", "sinkro_on_rencana_disepakati", "mirror the agreed SKP"),
    ("kinerja.tahap_rencana.diperbarui", "sinkro_on_tahap_rencana_diperbarui",
     "mirror the plan's stage (#2 vs #14)"),
    ("kinerja.predikat.ditetapkan", "sinkro_on_predikat_ditetapkan", "mirror the final predicate"),
    ("referensi.ptk.diperbarui", "sinkro_on_ptk_diperbarui", "mirror Dapodik identity, school, status, Plt."),
    ("referensi.sekolah.diperbarui", "sinkro_on_sekolah_diperbarui", "mirror school names (#4)"),
    ("referensi.pegawai.diperbarui", "sinkro_on_pegawai_diperbarui", "mirror SIASN"),
    ("referensi.pegawai_ekinerja.diperbarui", "sinkro_on_pegawai_ekinerja_diperbarui", "mirror e-Kinerja"),
    ("referensi.skp_organisasi.diperbarui", "sinkro_on_skp_organisasi_diperbarui", "mirror organisation SKPs"),
    ("referensi.admin_instansi.diperbarui", "sinkro_on_admin_instansi_diperbarui", "mirror Admin Instansi accounts"),
    ("jadwal.sinkro.harian", "sinkro_on_jadwal_harian", "fan out the daily batch"),
    ("sinkro.batch.dijadwalkan", "sinkro_on_batch_dijadwalkan", "sync one chunk at the configured rate"),
):
    register_subscription(_topic, "sinkro", _fn, _what)
