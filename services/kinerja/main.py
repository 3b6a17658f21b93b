"""Entry points of the Pengelolaan Kinerja service (functions-framework loads this as `main`).

Thin by design: the logic lives in the `kinerja` package beside this file.
Function names carry the service prefix because every source is loaded as
module `main` and the names must stay unique across services.
"""
import functions_framework

from kinerja import entrypoints


@functions_framework.http
def kinerja_api(request):
    return entrypoints.handle_http(request)


@functions_framework.cloud_event
def kinerja_sapu_outbox(cloud_event):
    entrypoints.sapu_outbox(cloud_event)


@functions_framework.cloud_event
def kinerja_on_ptk_diperbarui(cloud_event):
    entrypoints.on_ptk_diperbarui(cloud_event)


@functions_framework.cloud_event
def kinerja_on_sekolah_diperbarui(cloud_event):
    entrypoints.on_sekolah_diperbarui(cloud_event)


@functions_framework.cloud_event
def kinerja_on_rapor_diterbitkan(cloud_event):
    entrypoints.on_rapor_diterbitkan(cloud_event)


@functions_framework.cloud_event
def kinerja_on_dinas_diperbarui(cloud_event):
    entrypoints.on_dinas_diperbarui(cloud_event)


@functions_framework.cloud_event
def kinerja_on_pengawas_diperbarui(cloud_event):
    entrypoints.on_pengawas_diperbarui(cloud_event)
