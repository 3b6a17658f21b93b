"""Probe functions for the wiring tests: real functions-framework CloudEvent
functions built on the shared consumer, served like a service's and pushed to
by a real emulator subscription."""
import functions_framework

from shared.events import EventPayload
from shared.platform import Platform
from shared.settings import Settings, load_settings

TOPIC = "uji.probe.dikirim"


class ProbeDikirim(EventPayload):
    nomor: int


_platform = None


def platform() -> Platform:
    global _platform
    if _platform is None:
        _platform = Platform(load_settings(Settings))
    return _platform


def _count(tx, event):
    ref = tx.ref("probe", "hitungan")
    current = tx.get(ref) or {"n": 0, "nomor": []}
    tx.set(ref, {"n": current["n"] + 1, "nomor": current["nomor"] + [event.data.nomor]})


@functions_framework.cloud_event
def probe_catat(cloud_event):
    platform().consume(cloud_event, TOPIC, "probe_catat", _count, payload=ProbeDikirim)


@functions_framework.cloud_event
def probe_selalu_gagal(cloud_event):
    raise RuntimeError("probe: this handler always fails")
