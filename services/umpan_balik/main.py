"""Entry points of the Umpan Balik service (functions-framework loads this as `main`).

Thin by design: the logic lives in the `umpan_balik` package beside this file.
Function names carry the service prefix because every source is loaded as
module `main` and the names must stay unique across services.
"""
import functions_framework

from umpan_balik import entrypoints


@functions_framework.http
def umpan_balik_api(request):
    return entrypoints.handle_http(request)


@functions_framework.cloud_event
def umpan_balik_sapu_outbox(cloud_event):
    entrypoints.sapu_outbox(cloud_event)


@functions_framework.cloud_event
def umpan_balik_on_karya_dipublikasikan(cloud_event):
    entrypoints.on_karya_dipublikasikan(cloud_event)


@functions_framework.cloud_event
def umpan_balik_on_karya_diperbarui(cloud_event):
    entrypoints.on_karya_diperbarui(cloud_event)


@functions_framework.cloud_event
def umpan_balik_on_karya_dihapus(cloud_event):
    entrypoints.on_karya_dihapus(cloud_event)


@functions_framework.cloud_event
def umpan_balik_on_tautan_dibuat(cloud_event):
    entrypoints.on_tautan_dibuat(cloud_event)


@functions_framework.cloud_event
def umpan_balik_on_tautan_dicabut(cloud_event):
    entrypoints.on_tautan_dicabut(cloud_event)


@functions_framework.cloud_event
def umpan_balik_on_ptk_diperbarui(cloud_event):
    entrypoints.on_ptk_diperbarui(cloud_event)


@functions_framework.cloud_event
def umpan_balik_on_umpan_balik_dikirim(cloud_event):
    entrypoints.on_umpan_balik_dikirim(cloud_event)
