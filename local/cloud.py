"""The whole local cloud in one command.

    python -m local.cloud up      # emulators, moto, stand-ins, every function, the gateway
    python -m local.cloud status
    python -m local.cloud down    # stops exactly what `up` started, by process group

Each process is started in its own session (its process group id is its pid),
recorded in `.local/run/state.json`, and stopped by signalling the whole
group: killing only the `gcloud` wrapper would leave the Java emulator running.
Ports are configurable through PMM_PORT_* variables (see `Ports`); the
Firestore emulator never uses 8080, which belongs to the gateway.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterator

import requests

from local.standins.kms import KUNCI_BAWAAN as LOCAL_KMS_KEY
from shared.identity import hash_api_key

ROOT = Path(__file__).resolve().parent.parent
# Local-only secrets: fixed so a restart keeps stored tokens readable. Never used outside `demo-` projects.
LOCAL_TOKEN_KEY = "bG9rYWwtMzItYnl0ZS1rZXktdW50dWstdG9rZW4hISE="  # base64 of 32 bytes
LOCAL_EKINERJA_KEY = "kunci-pmm-untuk-ekinerja-lokal"
LOCAL_PARTNER_KEY = "kunci-ekinerja-untuk-pmm-lokal"
SERVICES = {"karya": "karya", "umpan_balik": "umpan-balik", "kinerja": "kinerja", "sinkro": "sinkro"}
JAVA_HEAP = os.environ.get("PMM_EMULATOR_JAVA_OPTS", "-Xms64m -Xmx512m -XX:+UseSerialGC")
# The PMM web app's development server; a page there may call the local APIs (CORS).
WEB_DEV_ORIGIN = "http://localhost:3000"


@dataclass
class Ports:
    gateway: int = 8080
    karya: int = 8081
    umpan_balik: int = 8082
    kinerja: int = 8083
    sinkro: int = 8084
    firestore: int = 8571
    pubsub: int = 8572
    moto: int = 8573
    identity: int = 8574
    google: int = 8575
    ekinerja: int = 8576
    kms: int = 8577

    @classmethod
    def from_env(cls) -> "Ports":
        return cls(**{f.name: int(os.environ.get(f"PMM_PORT_{f.name.upper()}", f.default))
                      for f in fields(cls)})

    @classmethod
    def free(cls) -> "Ports":
        """Ports nobody listens on now (for test runs beside a running `make up`)."""
        socks, numbers = [], []
        for _ in fields(cls):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            numbers.append(s.getsockname()[1])
        for s in socks:
            s.close()
        return cls(*numbers)


@dataclass
class Proc:
    name: str
    argv: list[str]
    ready_url: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    pid: int | None = None
    log: str | None = None


# Extra environment per service, added as the services grow their adapters.
SERVICE_ENV: dict[str, Callable[["LocalCloud"], dict[str, str]]] = {}


class LocalCloud:
    def __init__(self, state_dir: Path | None = None, ports: Ports | None = None, project: str = "demo-pmm",
                 python: str | None = None, workers: int = 2, threads: int = 4,
                 cors_origins: tuple[str, ...] | None = None) -> None:
        if not project.startswith("demo-"):
            raise ValueError("the local cloud only runs `demo-` projects (no real project is ever touched)")
        self.local_dir = Path(os.environ.get("PMM_LOCAL_DIR", ROOT / ".local"))
        self.state_dir = state_dir or self.local_dir / "run"
        self.ports = ports or Ports.from_env()
        self.project = project
        self.python = python or sys.executable
        self.workers, self.threads = workers, threads
        self.cors_origins = cors_origins or tuple(
            o for o in os.environ.get("PMM_CORS_ORIGINS", WEB_DEV_ORIGIN).split(",") if o)
        # `make up` prints what starts and what is ready as it happens (plain lines, CI logs stay
        # readable); tests and fault scripts leave it silent.
        self.progress: Callable[[str], None] = lambda line: None

    # --- configuration shared by every function
    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.ports.gateway}"

    def service_url(self, service: str) -> str:
        return f"http://127.0.0.1:{getattr(self.ports, service)}"

    @property
    def traces_file(self) -> Path:
        return self.state_dir / "traces.jsonl"

    def platform_env(self) -> dict[str, str]:
        p = self.ports
        return {
            "GOOGLE_CLOUD_PROJECT": self.project,
            "PMM_ENV": "local",
            "FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{p.firestore}",
            "PUBSUB_EMULATOR_HOST": f"127.0.0.1:{p.pubsub}",
            "PMM_AUTH_ISSUER": f"http://127.0.0.1:{p.identity}",
            "PMM_AUTH_AUDIENCE": "pmm-lokal",
            "PMM_AUTH_CERTS_URL": f"http://127.0.0.1:{p.identity}/oauth2/v1/certs",
            "PMM_AUTH_HOSTED_DOMAIN": "belajar.id",
            "PMM_S3_ENDPOINT_URL": f"http://127.0.0.1:{p.moto}",
            "PMM_S3_BUCKET": "pmm-berkas",
            "AWS_ACCESS_KEY_ID": "lokal", "AWS_SECRET_ACCESS_KEY": "lokal", "AWS_DEFAULT_REGION": "us-east-1",
            "PMM_LOCAL_DIR": str(self.local_dir),
            "PMM_CORS_ORIGINS": ",".join(self.cors_origins),
            # Every function appends its spans here: `make up`, then open .local/run/traces.jsonl.
            "PMM_TRACE_EXPORTER": "file",
            "PMM_TRACE_FILE": str(self.traces_file),
            # Outside systems' stand-ins (local/standins/), and local-only secrets.
            "PMM_GOOGLE_OAUTH_AUTH_URL": f"http://127.0.0.1:{p.google}/o/oauth2/v2/auth",
            "PMM_GOOGLE_TOKEN_URL": f"http://127.0.0.1:{p.google}/token",
            "PMM_YOUTUBE_API_URL": f"http://127.0.0.1:{p.google}",
            "PMM_GOOGLE_CLIENT_ID": "pmm-lokal-client",
            "PMM_GOOGLE_CLIENT_SECRET": "rahasia-lokal",
            # Refresh tokens: the Cloud KMS stand-in seals (production's code path); the fixed local key
            # still opens what it sealed (karya's bootstrap gives both; each value names its key).
            "PMM_KMS_KUNCI_TOKEN": LOCAL_KMS_KEY,
            "PMM_KMS_URL": f"http://127.0.0.1:{p.kms}",
            "PMM_KUNCI_ENKRIPSI_TOKEN": LOCAL_TOKEN_KEY,
            "PMM_RAHASIA_STATE": "rahasia-state-lokal-bukan-untuk-produksi",
            "PMM_EKINERJA_URL": f"http://127.0.0.1:{p.ekinerja}",
            "PMM_EKINERJA_API_KEY": LOCAL_EKINERJA_KEY,
            "PMM_PEPPER_KUNCI_API": "pepper-lokal",
            "PMM_KUNCI_MITRA": f"ekinerja={hash_api_key(LOCAL_PARTNER_KEY, 'pepper-lokal')}",
        }

    def function_env(self, service: str) -> dict[str, str]:
        env = self.platform_env() | {"PMM_SERVICE": service, "WORKERS": str(self.workers),
                                     "THREADS": str(self.threads),
                                     "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "services" / service)])}
        if service in SERVICE_ENV:
            env |= SERVICE_ENV[service](self)
        return env

    # --- the processes
    def emulator_procs(self) -> list[Proc]:
        p = self.ports
        java = {"JAVA_TOOL_OPTIONS": JAVA_HEAP, "CLOUDSDK_CORE_DISABLE_PROMPTS": "1"}
        return [
            Proc("firestore", ["gcloud", "emulators", "firestore", "start", f"--host-port=127.0.0.1:{p.firestore}",
                               f"--project={self.project}"], f"http://127.0.0.1:{p.firestore}/", java),
            Proc("pubsub", ["gcloud", "beta", "emulators", "pubsub", "start", f"--host-port=127.0.0.1:{p.pubsub}",
                            f"--project={self.project}"], f"http://127.0.0.1:{p.pubsub}/", java),
        ]

    def support_procs(self) -> list[Proc]:
        p = self.ports
        procs = [
            Proc("moto", [self.python, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(p.moto)],
                 f"http://127.0.0.1:{p.moto}/moto-api/data.json"),
            Proc("identity", [self.python, "-m", "local.identity", "serve", "--port", str(p.identity),
                              "--dir", str(self.local_dir)], f"http://127.0.0.1:{p.identity}/oauth2/v1/certs"),
        ]
        # Cloud Scheduler: the jobs Terraform deploys (infra/generated/messaging.json), on their cron.
        procs.append(Proc("scheduler", [self.python, "-m", "local.cloud", "scheduler"],
                          env=self.platform_env()))
        for name in ("google", "ekinerja", "kms"):
            if (ROOT / "local" / "standins" / f"{name}.py").exists():
                argv = [self.python, "-m", f"local.standins.{name}", "--port", str(getattr(p, name))]
                if name == "ekinerja":
                    argv += ["--api-key", LOCAL_EKINERJA_KEY]
                if name == "kms":
                    argv += ["--key", LOCAL_KMS_KEY]
                procs.append(Proc(name, argv, f"tcp://127.0.0.1:{getattr(p, name)}"))
        return procs

    def function_procs(self) -> list[Proc]:
        procs = [Proc(service, [self.python, "-m", "local.host", "--service", service, "--port",
                                str(getattr(self.ports, service))],
                      f"{self.service_url(service)}/v1/{slug}/health", self.function_env(service))
                 for service, slug in SERVICES.items()]
        upstreams = ",".join(f"{slug}={getattr(self.ports, service)}" for service, slug in SERVICES.items())
        gateway = [self.python, "-m", "local.gateway", "--port", str(self.ports.gateway), "--upstreams", upstreams]
        index = ROOT / "local" / "explorer" / "index.html"
        if index.exists():
            gateway += ["--index", str(index)]
        procs.append(Proc("gateway", gateway, f"{self.base_url}/v1/karya/health",
                          {"WORKERS": str(self.workers), "THREADS": "8"}))
        return procs

    def _start(self, proc: Proc) -> Proc:
        log_dir = self.state_dir / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        proc.log = str(log_dir / f"{proc.name}.log")
        env = os.environ.copy() | {"PYTHONPATH": str(ROOT)} | proc.env
        with open(proc.log, "ab") as out:
            popen = subprocess.Popen(proc.argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        proc.pid = popen.pid
        return proc

    def _wait_ready(self, procs: list[Proc], timeout: float = 120, every: float = 10) -> None:
        """Until each proc answers its ready_url: one progress line per proc as it comes up, one
        line of who is still awaited every `every` seconds; a proc that exits or never answers
        raises NotReady naming it, its log file and the log's last lines."""
        started = time.monotonic()
        deadline, next_note = started + timeout, started + every
        pending = [p for p in procs if p.ready_url]
        for proc in procs:
            if not proc.ready_url:
                self.progress(f"  jalan (running)  {proc.name:<11} pid {proc.pid}, no ready check")
        while pending:
            for proc in list(pending):
                if _answers(proc.ready_url):
                    pending.remove(proc)
                    self.progress(f"  siap (ready)     {proc.name:<11} {time.monotonic() - started:5.1f} s")
                elif not _alive(proc.pid):
                    raise NotReady(proc, "exited during start")
            now = time.monotonic()
            if pending and now > deadline:
                raise NotReady(pending[0], f"not ready after {timeout:.0f} s", also=pending[1:])
            if pending and now >= next_note:
                next_note = now + every
                self.progress(f"  menunggu (waiting) {now - started:5.1f} s: " + ", ".join(p.name for p in pending))
            if pending:
                time.sleep(0.2)

    # --- state
    @property
    def state_file(self) -> Path:
        return self.state_dir / "state.json"

    def _save(self, procs: list[Proc]) -> None:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps({
            "project": self.project, "ports": asdict(self.ports), "env": self.platform_env(),
            "processes": [asdict(p) for p in procs]}, indent=2))

    def running(self) -> list[dict]:
        if not self.state_file.exists():
            return []
        return [p for p in json.loads(self.state_file.read_text())["processes"] if _alive(p["pid"])]

    # --- commands
    def up(self, only: set[str] | None = None) -> list[Proc]:
        """Start everything (or only the named processes), wait until each answers, provision."""
        if self.running():
            raise AlreadyRunning(self.state_file)
        from local.identity import ensure_key

        ensure_key(self.local_dir)
        wanted = [p for p in self.emulator_procs() + self.support_procs() + self.function_procs()
                  if only is None or p.name in only]
        procs: list[Proc] = []
        try:
            procs = [self._start(p) for p in wanted]
            self._save(procs)
            self.progress(f"Memulai (starting) {len(procs)} proses: {', '.join(p.name for p in procs)}; "
                          f"logs in {self.state_dir / 'logs'}")
            self._wait_ready(procs)
            names = {p.name for p in procs}
            if "pubsub" in names:
                self.progress("  provisioning Pub/Sub topics, push subscriptions, dead-letter topics, bucket")
                self.provision(with_push=only is None or "gateway" in only)
        except BaseException:
            self.stop(procs)
            self.state_file.unlink(missing_ok=True)
            raise
        return procs

    def provision(self, with_push: bool = True) -> None:
        """Topics, push subscriptions with retry policy and dead-letter topics, the bucket."""
        with emulator_env(self):
            provision_pubsub(self.project, self.service_url if with_push else None)
            if not _answers(f"tcp://127.0.0.1:{self.ports.moto}"):
                return
            import boto3

            s3 = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{self.ports.moto}", region_name="us-east-1",
                              aws_access_key_id="lokal", aws_secret_access_key="lokal")
            try:
                s3.create_bucket(Bucket="pmm-berkas")
            except s3.exceptions.BucketAlreadyOwnedByYou:
                pass

    def restart(self, name: str) -> Proc:
        """Stop one recorded process (its whole group) and start it again, keeping the state file
        true, so `down` stops the new one too (fault scripts restart the Pub/Sub emulator)."""
        state = json.loads(self.state_file.read_text())
        old = next(p for p in state["processes"] if p["name"] == name)
        self.stop([old])
        proc = self._start(next(p for p in self.emulator_procs() + self.support_procs() + self.function_procs()
                                if p.name == name))
        state["processes"] = [asdict(proc) if p["name"] == name else p for p in state["processes"]]
        self.state_file.write_text(json.dumps(state, indent=2))
        self._wait_ready([proc])
        return proc

    def stop(self, procs: list[Proc] | list[dict]) -> None:
        pids = [p.pid if isinstance(p, Proc) else p["pid"] for p in procs]
        for pid in pids:
            _signal_group(pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for pid in pids:
            while _alive(pid) and time.monotonic() < deadline:
                time.sleep(0.1)
            _signal_group(pid, signal.SIGKILL)

    def down(self) -> int:
        if not self.state_file.exists():
            return 0
        procs = json.loads(self.state_file.read_text())["processes"]
        self.stop(procs)
        self.state_file.unlink(missing_ok=True)
        return len(procs)

    def describe(self) -> str:
        lines = [f"Platform lokal (local platform), project {self.project}", f"  API    {self.base_url}/v1/<layanan>"]
        for service, slug in SERVICES.items():
            lines.append(f"  {slug:<12} {self.base_url}/v1/{slug}  (openapi: /v1/{slug}/openapi.json)")
        p = self.ports
        lines += [f"  Firestore emulator  127.0.0.1:{p.firestore}", f"  Pub/Sub emulator    127.0.0.1:{p.pubsub}",
                  f"  S3 (moto)           http://127.0.0.1:{p.moto}",
                  f"  token issuer        http://127.0.0.1:{p.identity}  (python -m local.identity mint --sub ...)",
                  f"  Cloud KMS stand-in  http://127.0.0.1:{p.kms}  (key {LOCAL_KMS_KEY})",
                  "  Cloud Scheduler     the deployed jobs on their cron (python -m local.cloud tick <topic>: one now)",
                  f"  logs                {self.state_dir / 'logs'}"]
        return "\n".join(lines)


class NotReady(RuntimeError):
    """A process that did not come up: its name, its log file and the log's last lines."""

    def __init__(self, proc: Proc, why: str, also: "list[Proc] | tuple" = (), lines: int = 20) -> None:
        self.proc, self.log = proc, proc.log
        message = f"{proc.name} {why} (pid {proc.pid}); {log_hint(proc.log, lines)}"
        if also:
            message += "\nalso not ready: " + ", ".join(f"{p.name} (log {p.log})" for p in also)
        super().__init__(message)


class AlreadyRunning(RuntimeError):
    def __init__(self, state_file: Path) -> None:
        super().__init__(f"the local platform already runs (state in {state_file}); `make down` stops it")


# --- Pub/Sub provisioning, shared with the integration tests
@contextmanager
def emulator_env(cloud: LocalCloud) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in ("PUBSUB_EMULATOR_HOST", "FIRESTORE_EMULATOR_HOST")}
    os.environ["PUBSUB_EMULATOR_HOST"] = f"127.0.0.1:{cloud.ports.pubsub}"
    os.environ["FIRESTORE_EMULATOR_HOST"] = f"127.0.0.1:{cloud.ports.firestore}"
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def ack_deadline(subscription: str) -> int:
    """The longest ack deadline Terraform gives `subscription` in any stage (its function's timeout)."""
    sub = json.loads(GENERATED_MESSAGING.read_text())["subscriptions"].get(subscription, {})
    return max((sub.get("ack_deadline_seconds") or {}).values(), default=60)


def provision_pubsub(project: str, service_url: Callable[[str], str] | None,
                     max_delivery_attempts: int = 5) -> None:
    """Create every registered topic, and for each subscription its dead-letter topic
    (with a pull subscription on it) and its push subscription (when `service_url`)."""
    from google.api_core import exceptions as gexc
    from google.cloud import pubsub_v1
    from google.protobuf import duration_pb2
    from google.pubsub_v1.types import DeadLetterPolicy, PushConfig, RetryPolicy

    from shared.contracts import SUBSCRIPTIONS, TOPICS, dead_letter_topic, subscription_id

    publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()

    def create_topic(name: str) -> str:
        path = publisher.topic_path(project, name)
        try:
            publisher.create_topic(name=path)
        except gexc.AlreadyExists:
            pass
        return path

    for name in TOPICS:
        create_topic(name)
    for spec in SUBSCRIPTIONS:
        dlq = create_topic(dead_letter_topic(spec))
        try:
            subscriber.create_subscription(request={"name": subscriber.subscription_path(
                project, dead_letter_topic(spec) + ".sub"), "topic": dlq})
        except gexc.AlreadyExists:
            pass
        if service_url is None:
            continue
        endpoint = f"{service_url(spec.service)}/_ce/{spec.function}/projects/{project}/topics/{spec.topic}"
        try:
            subscriber.create_subscription(request={
                "name": subscriber.subscription_path(project, subscription_id(spec)),
                "topic": publisher.topic_path(project, spec.topic),
                "push_config": PushConfig(push_endpoint=endpoint),
                "ack_deadline_seconds": ack_deadline(subscription_id(spec)),
                "retry_policy": RetryPolicy(minimum_backoff=duration_pb2.Duration(seconds=1),
                                            maximum_backoff=duration_pb2.Duration(seconds=10)),
                "dead_letter_policy": DeadLetterPolicy(dead_letter_topic=dlq,
                                                       max_delivery_attempts=max_delivery_attempts)})
        except gexc.AlreadyExists:
            pass


# --- Cloud Scheduler stand-in: the jobs Terraform deploys, publishing what they publish
GENERATED_MESSAGING = ROOT / "infra" / "generated" / "messaging.json"


def scheduler_jobs() -> dict[str, dict]:
    """{topic: job} as Terraform deploys them (infra/generated/messaging.json `scheduler_jobs`)."""
    jobs = json.loads(GENERATED_MESSAGING.read_text())["scheduler_jobs"]
    return {job["topic"]: job for job in jobs.values()}


def tick_message(topic: str) -> tuple[bytes, dict[str, str]]:
    """(data, attributes) a job publishes: exactly its configured data and attributes, the same on
    every run (Pub/Sub adds messageId and publishTime; nothing else is per run)."""
    job = scheduler_jobs()[topic]
    return job["data"].encode(), dict(job.get("attributes") or {})


def publish_tick(project: str, topic: str, publisher=None) -> str:
    """Run a job now (like `gcloud scheduler jobs run`); returns the message id Pub/Sub assigned."""
    from google.cloud import pubsub_v1

    publisher = publisher or pubsub_v1.PublisherClient()
    data, attributes = tick_message(topic)
    return publisher.publish(publisher.topic_path(project, topic), data, **attributes).result(timeout=30)


def _cron_field(spec: str, value: int) -> bool:
    for part in spec.split(","):
        step = 1
        if "/" in part:
            part, raw = part.split("/", 1)
            step = int(raw)
        if part == "*":
            lo, hi = 0, 10**6
        elif "-" in part:
            lo, hi = (int(x) for x in part.split("-", 1))
        else:
            lo = hi = int(part)
        if lo <= value <= hi and (value - lo) % step == 0:
            return True
    return False


def cron_matches(schedule: str, when) -> bool:
    """Does a 5-field cron (as Cloud Scheduler reads it) fire at `when` (already in the job's zone)?"""
    minute, hour, dom, month, dow = schedule.split()
    return (_cron_field(minute, when.minute) and _cron_field(hour, when.hour) and _cron_field(dom, when.day)
            and _cron_field(month, when.month) and _cron_field(dow, when.isoweekday() % 7))


def due_jobs(when) -> list[str]:
    """Topics whose job fires in the minute of `when` (UTC), each read in its own time zone."""
    from zoneinfo import ZoneInfo

    return [topic for topic, job in scheduler_jobs().items()
            if cron_matches(job["schedule"], when.astimezone(ZoneInfo(job["time_zone"])))]


def run_scheduler(project: str, stop: Callable[[], bool] = lambda: False, publisher=None,
                  clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep) -> None:
    """Every minute, publish each job whose cron fires now in its time zone (Asia/Jakarta)."""
    from datetime import datetime, timezone

    if publisher is None:
        from google.cloud import pubsub_v1

        publisher = pubsub_v1.PublisherClient()
    last = None
    while not stop():
        now = datetime.fromtimestamp(clock(), timezone.utc).replace(second=0, microsecond=0)
        if now != last:
            last = now
            for topic in due_jobs(now):
                try:
                    message_id = publish_tick(project, topic, publisher)
                    print(f"{now.isoformat()} {topic} messageId={message_id}", flush=True)
                except Exception as exc:  # noqa: BLE001 - e.g. topics not provisioned yet; next minute
                    print(f"{now.isoformat()} {topic} not published: {exc!r}", flush=True)
        sleep(max(0.5, 60 - clock() % 60))


# --- process helpers
def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def _signal_group(pid: int | None, sig: int) -> None:
    if not pid:
        return
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _answers(url: str) -> bool:
    if url.startswith("tcp://"):
        host, _, port = url[len("tcp://"):].partition(":")
        try:
            with socket.create_connection((host, int(port)), timeout=0.5):
                return True
        except OSError:
            return False
    try:
        return requests.get(url, timeout=1).status_code < 500
    except requests.RequestException:
        return False


def log_hint(path: str | Path | None, lines: int = 20) -> str:
    """Where to look when a process misbehaved: its log file's path and last lines."""
    if not path or not Path(path).exists():
        return f"log {path} is missing"
    tail = _tail(str(path), lines)
    return f"log {path}, last {lines} lines:\n{tail}" if tail else f"log {path} is empty"


def _tail(path: str | None, lines: int = 20) -> str:
    if not path or not Path(path).exists():
        return ""
    return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.cloud", description="the local platform")
    parser.add_argument("command", choices=["up", "down", "status", "tick", "scheduler"])
    parser.add_argument("topic", nargs="?", help="tick: the scheduler topic whose job to run now")
    args = parser.parse_args(argv)
    cloud = LocalCloud()
    if args.command == "scheduler":  # the process `up` starts
        run_scheduler(os.environ.get("GOOGLE_CLOUD_PROJECT", cloud.project))
        return 0
    if args.command == "tick":
        if args.topic not in scheduler_jobs():
            print(f"no scheduler job publishes to {args.topic!r}; jobs: {', '.join(scheduler_jobs())}")
            return 2
        with emulator_env(cloud):
            print(f"{args.topic}: messageId {publish_tick(cloud.project, args.topic)}")
        return 0
    if args.command == "up":
        cloud.progress = lambda line: print(line, flush=True)
        try:
            started = time.monotonic()
            cloud.up()
        except AlreadyRunning as exc:
            print(f"Platform lokal sudah berjalan (already running). {exc}")
            print(cloud.describe())
            return 0
        except NotReady as exc:
            print(f"Gagal memulai (failed to start): {exc}", file=sys.stderr, flush=True)
            return 1
        print(cloud.describe())
        print(f"Siap dalam {time.monotonic() - started:.1f} s (ready). `make down` menghentikannya (stops it).")
        return 0
    if args.command == "down":
        count = cloud.down()
        print(f"Berhenti (stopped): {count} proses." if count else "Tidak ada yang berjalan (nothing runs).")
        return 0
    running = cloud.running()
    if not running:
        print("Tidak ada yang berjalan (nothing runs).")
        return 1
    print(cloud.describe())
    for p in running:
        print(f"  pid {p['pid']:<7} {p['name']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
