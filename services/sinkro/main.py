"""Entry points of the Sinkro PMM ke e-Kinerja service (functions-framework loads this as `main`).

Thin by design: the logic lives in the `sinkro` package beside this file.
Function names carry the service prefix because every source is loaded as
module `main` and the names must stay unique across services.
"""
import functions_framework

from sinkro import entrypoints


@functions_framework.http
def sinkro_api(request):
    return entrypoints.handle_http(request)


@functions_framework.cloud_event
def sinkro_sapu_outbox(cloud_event):
    entrypoints.sapu_outbox(cloud_event)


@functions_framework.cloud_event
def sinkro_on_rencana_disepakati(cloud_event):
    entrypoints.on_rencana_disepakati(cloud_event)


@functions_framework.cloud_event
def sinkro_on_tahap_rencana_diperbarui(cloud_event):
    entrypoints.on_tahap_rencana_diperbarui(cloud_event)


@functions_framework.cloud_event
def sinkro_on_predikat_ditetapkan(cloud_event):
    entrypoints.on_predikat_ditetapkan(cloud_event)


@functions_framework.cloud_event
def sinkro_on_ptk_diperbarui(cloud_event):
    entrypoints.on_ptk_diperbarui(cloud_event)


@functions_framework.cloud_event
def sinkro_on_sekolah_diperbarui(cloud_event):
    entrypoints.on_sekolah_diperbarui(cloud_event)


@functions_framework.cloud_event
def sinkro_on_pegawai_diperbarui(cloud_event):
    entrypoints.on_pegawai_diperbarui(cloud_event)


@functions_framework.cloud_event
def sinkro_on_pegawai_ekinerja_diperbarui(cloud_event):
    entrypoints.on_pegawai_ekinerja_diperbarui(cloud_event)


@functions_framework.cloud_event
def sinkro_on_skp_organisasi_diperbarui(cloud_event):
    entrypoints.on_skp_organisasi_diperbarui(cloud_event)


@functions_framework.cloud_event
def sinkro_on_admin_instansi_diperbarui(cloud_event):
    entrypoints.on_admin_instansi_diperbarui(cloud_event)


@functions_framework.cloud_event
def sinkro_on_jadwal_harian(cloud_event):
    entrypoints.on_jadwal_harian(cloud_event)


@functions_framework.cloud_event
def sinkro_on_batch_dijadwalkan(cloud_event):
    entrypoints.on_batch_dijadwalkan(cloud_event)
