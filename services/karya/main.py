"""Entry points of the Bukti Karya service (functions-framework loads this as `main`).

Thin by design: the logic lives in the `karya` package beside this file.
Function names carry the service prefix because every source is loaded as
module `main` and the names must stay unique across services.
"""
import functions_framework

from karya import entrypoints


@functions_framework.http
def karya_api(request):
    return entrypoints.handle_http(request)


@functions_framework.cloud_event
def karya_sapu_outbox(cloud_event):
    entrypoints.sapu_outbox(cloud_event)


@functions_framework.cloud_event
def karya_on_umpan_balik_dikirim(cloud_event):
    """umpan_balik.umpan_balik.dikirim: one more feedback on a karya (counts in 'Bukti Karya Saya')."""
    entrypoints.on_umpan_balik_dikirim(cloud_event)


@functions_framework.cloud_event
def karya_periksa_video(cloud_event):
    """jadwal.karya.periksa (Cloud Scheduler): re-check saved videos on YouTube (K6)."""
    entrypoints.periksa_video(cloud_event)
