"""The local cloud keeps its state file true, so `make down` stops everything it started."""
import pytest

pytestmark = pytest.mark.integration


def test_restarted_process_is_recorded_so_down_stops_it(tmp_path):
    """A fault script that restarts an emulator must leave nothing running after `down`."""
    from local.cloud import LocalCloud, Ports, _alive

    cloud = LocalCloud(state_dir=tmp_path, ports=Ports.free(), project="demo-pmm-restart")
    first = cloud.up(only={"pubsub"})[0]
    try:
        second = cloud.restart("pubsub")
        assert not _alive(first.pid) and _alive(second.pid)
        assert [p["pid"] for p in cloud.running()] == [second.pid]
    finally:
        cloud.down()
    assert not _alive(second.pid)
