"""HTTP routes and event handlers of the Pengelolaan Kinerja service (parse, call, map errors)."""
from __future__ import annotations

from cloudevents.http import CloudEvent

from shared.http import Api
from kinerja import bootstrap

api = Api("kinerja", "kinerja", "Pengelolaan Kinerja API")


def handle_http(request):
    platform = bootstrap.default()
    if api.authenticate_user is None:
        platform.wire(api)
    return api.dispatch(request)


def sapu_outbox(cloud_event: CloudEvent) -> None:
    bootstrap.default().sweep_outbox(cloud_event)
