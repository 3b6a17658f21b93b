"""End-to-end fixtures: the whole local stack (emulators, moto, stand-ins, every
function behind the gateway), started once per test session on free ports with
the same code as `make up`, and stopped by process group at the end."""
from __future__ import annotations

import os
import socket

import pytest
import requests

from local.cloud import WEB_DEV_ORIGIN, LocalCloud, Ports, emulator_env
from local.identity import mint
from tests.support import require_emulators

PROJECT = "demo-pmm-e2e"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    local_dir = tmp_path_factory.mktemp("local")
    saved = os.environ.get("PMM_LOCAL_DIR")
    os.environ["PMM_LOCAL_DIR"] = str(local_dir)
    # The browser test's web page is served from its own port: an allowed origin by settings, like
    # production's web app (PMM_CORS_ORIGINS), besides the web app's development origin.
    cloud = LocalCloud(state_dir=local_dir / "run", ports=Ports.free(), project=PROJECT,
                       cors_origins=(WEB_DEV_ORIGIN, f"http://127.0.0.1:{free_port()}"))
    cloud.up()
    try:
        with emulator_env(cloud):
            os.environ["GOOGLE_CLOUD_PROJECT"] = PROJECT
            require_emulators()
            yield cloud
    finally:
        cloud.down()
        os.environ["GOOGLE_CLOUD_PROJECT"] = "demo-pmm-test"
        if saved is None:
            os.environ.pop("PMM_LOCAL_DIR", None)
        else:
            os.environ["PMM_LOCAL_DIR"] = saved


class Client:
    """HTTP against the gateway as one signed-in user (or anonymous)."""

    def __init__(self, cloud: LocalCloud, sub: str | None, email: str | None = None) -> None:
        self.base = cloud.base_url
        self.session = requests.Session()
        if sub:
            token = mint(cloud.local_dir, cloud.platform_env()["PMM_AUTH_ISSUER"], sub, email,
                         audience=cloud.platform_env()["PMM_AUTH_AUDIENCE"])
            self.session.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        return self.session.request(method, self.base + path, timeout=30, **kwargs)

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs) -> requests.Response:
        return self.request("DELETE", path, **kwargs)


@pytest.fixture(scope="session")
def as_user(stack):
    """`as_user("guru-1", "guru1@belajar.id")` gives a client signed in as that user."""
    return lambda sub=None, email=None: Client(stack, sub, email)
