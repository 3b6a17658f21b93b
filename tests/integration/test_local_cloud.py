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


def test_a_test_run_stopped_by_sigterm_still_stops_what_its_fixtures_started(tmp_path):
    """`timeout` or a cancelled CI job sends SIGTERM: the session's fixtures must still tear down, or the
    processes they started (here a child in its own process group, as the local cloud's are) keep running."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from local.cloud import _alive

    root = Path(__file__).resolve().parents[2]
    pid_file = tmp_path / "child.pid"
    (tmp_path / "test_lama.py").write_text(f"""
import os, signal, subprocess, time
import pytest

@pytest.fixture(scope="session")
def anak():
    proc = subprocess.Popen(["sleep", "300"], start_new_session=True)
    open({str(pid_file)!r}, "w").write(str(proc.pid))
    yield proc
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(10)

def test_lama(anak):
    time.sleep(60)
""")
    run = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "tests.conftest", "-p", "no:cacheprovider",
                            "--rootdir", str(tmp_path), str(tmp_path / "test_lama.py")], cwd=root,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while not pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    child = int(pid_file.read_text())
    assert _alive(child)
    run.send_signal(signal.SIGTERM)
    run.wait(30)
    try:
        assert not _alive(child), run.stdout.read().decode()[-2000:]
    finally:
        if _alive(child):
            os.killpg(child, signal.SIGKILL)
