"""Test-wide settings: the platform variables every service needs, pointed at nothing real; and a
SIGTERM that still tears the fixtures down."""
import os
import signal
import threading

import pytest

os.environ.setdefault("GOOGLE_CLOUD_PROJECT", "demo-pmm-test")
os.environ.setdefault("PMM_ENV", "test")
os.environ.setdefault("PMM_AUTH_ISSUER", "http://127.0.0.1:9/issuer")
os.environ.setdefault("PMM_AUTH_AUDIENCE", "pmm-uji")
os.environ.setdefault("PMM_AUTH_CERTS_URL", "http://127.0.0.1:9/certs")
os.environ.setdefault("PMM_TRACE_EXPORTER", "none")


@pytest.fixture(autouse=True)
def _tracing_reset():
    """A test that configured tracing (a Platform does) leaves no exporter behind for the next one."""
    yield
    from shared import tracing

    tracing.reset()


def _sigterm_as_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


# A run stopped by SIGTERM (`timeout`, a cancelled CI job) would otherwise skip fixture teardown and leave
# the local cloud it started (emulators, function hosts, gateway) running; as an interrupt, pytest tears
# the session fixtures down and they stop their processes by process group.
if threading.current_thread() is threading.main_thread():
    signal.signal(signal.SIGTERM, _sigterm_as_interrupt)
