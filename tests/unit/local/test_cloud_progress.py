"""`make up` says what it waits for: a line per process as it comes up, and when one does not, which
one, why, its log file and the log's last lines (local/cloud.py)."""
import socket
import sys

import pytest

from local.cloud import LocalCloud, NotReady, Ports, Proc


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cloud(tmp_path):
    cloud = LocalCloud(state_dir=tmp_path, ports=Ports.free(), project="demo-pmm-progress")
    lines: list[str] = []
    cloud.progress = lines.append
    cloud.lines = lines
    started: list[Proc] = []
    cloud.start = lambda proc: started.append(cloud._start(proc)) or proc
    yield cloud
    cloud.stop(started)


def test_a_process_that_exits_at_once_is_named_with_its_log_path_and_last_lines(cloud):
    kode = "import sys; print('port 8085 sudah dipakai'); sys.exit(3)"
    rusak = cloud.start(Proc("rusak", [sys.executable, "-c", kode], f"tcp://127.0.0.1:{_free_port()}"))
    with pytest.raises(NotReady) as caught:
        cloud._wait_ready([rusak], timeout=60)
    message = str(caught.value)
    assert message.startswith("rusak exited during start")
    assert caught.value.log == rusak.log and rusak.log in message and rusak.log.endswith("rusak.log")
    assert "port 8085 sudah dipakai" in message.split(rusak.log, 1)[1]
    assert not any("siap" in line for line in cloud.lines)


def test_a_process_that_never_answers_is_named_after_the_timeout(cloud):
    diam = cloud.start(Proc("diam", [sys.executable, "-c", "print('menunggu kunci'); import time; time.sleep(60)"],
                            f"tcp://127.0.0.1:{_free_port()}"))
    with pytest.raises(NotReady) as caught:
        cloud._wait_ready([diam], timeout=0.5)
    assert str(caught.value).startswith("diam not ready after 0 s") and diam.log in str(caught.value)


def test_each_process_is_reported_ready_as_it_comes_up(cloud):
    port = _free_port()
    server = cloud.start(Proc("web", [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
                              f"http://127.0.0.1:{port}/"))
    helper = cloud.start(Proc("penjadwal", [sys.executable, "-c", "import time; time.sleep(60)"]))
    cloud._wait_ready([server, helper], timeout=60)
    assert any(line.split()[:3] == ["siap", "(ready)", "web"] and line.endswith(" s") for line in cloud.lines)
    assert any("penjadwal" in line and "no ready check" in line for line in cloud.lines)


def test_demo_that_is_not_applied_names_the_service_log(tmp_path, cloud):
    """`make demo` waiting for kinerja that never learns the people: the error points at kinerja's log."""
    from local.demo import bangun_dunia, tunggu_dikenali

    port = _free_port()
    web = cloud.start(Proc("web", [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port)],
                           f"http://127.0.0.1:{port}/"))
    cloud._wait_ready([web], timeout=60)  # answers 404 to every /v1/... path
    logs = tmp_path / "logs"
    (logs / "kinerja.log").write_text("ptk ditolak: skema tidak cocok\n")
    lines: list[str] = []
    with pytest.raises(RuntimeError) as caught:
        tunggu_dikenali(f"http://127.0.0.1:{port}", lambda o: "token", bangun_dunia(), timeout=0.5,
                        progress=lines.append, log_dir=logs)
    message = str(caught.value)
    assert "/v1/kinerja/saya masih 404" in message
    assert f"log {logs / 'kinerja.log'}" in message and message.endswith("ptk ditolak: skema tidak cocok")
    assert not any("diterapkan" in line for line in lines)
