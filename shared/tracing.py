"""OpenTelemetry tracing: one trace from an HTTP request through the outbox and Pub/Sub to every consumer.

- HTTP (`shared/http.py`): one SERVER span per request, `<METHOD> <route template>`, continuing the
  caller's W3C `traceparent` (the front door sends it), else Google's `X-Cloud-Trace-Context`.
- Outbox (`shared/firestore.py` Tx.emit): the event keeps the `traceparent` current when it was
  emitted; the outbox entry stores it and every publish (right after commit, or by the sweeper) sends
  it as the Pub/Sub attribute `traceparent` and as the CloudEvents distributed-tracing extension
  attribute, `ce-traceparent` in the Pub/Sub binary binding.
- Consumers (`shared/consumer.py`): one CONSUMER span per delivery, child of that `traceparent`.
- Logs (`shared/logs.py`): every line carries the active span's trace and span id.

Where spans go is `PMM_TRACE_EXPORTER`: `none` (spans still get ids for logs and propagation, nothing
is exported), `file` (JSON lines appended to `PMM_TRACE_FILE`, the local stack's
`.local/run/traces.jsonl`) or `gcp` (Cloud Trace; the exporter is imported only then, so a cold start
without it does not pay for it; with it, the import happens at the first export, off the request's
path). Spans leave through a BatchSpanProcessor; a CloudEvent invocation
flushes before it returns (the instance may be frozen once it has answered) and the provider flushes
at process exit.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
from contextlib import contextmanager
from typing import Any, Iterator, Mapping, Sequence

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

TRACEPARENT = "traceparent"
# CloudEvents distributed-tracing extension (`traceparent`), as a Pub/Sub binary-binding attribute.
CE_TRACEPARENT = "ce-traceparent"
EXPORTERS = ("none", "file", "gcp")
FLUSH_TIMEOUT_MILLIS = 5_000
# The file exporter is for people watching a local run: hand spans over quickly.
FILE_SCHEDULE_DELAY_MILLIS = 200

_propagator = TraceContextTextMapPropagator()
_XCTC = re.compile(r"^([0-9a-fA-F]{32})/(\d+)(?:;o=([01]))?$")
_lock = threading.Lock()
_provider: Any = None  # opentelemetry.sdk.trace.TracerProvider, imported at configure
_key: tuple[str, str | None, str] | None = None


class JsonLinesSpanExporter:
    """Appends one JSON object per finished span to a file (any number of processes may share it:
    each line is one `write` on an O_APPEND file)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.Lock()

    def export(self, spans: Sequence[Any]) -> Any:
        from opentelemetry.sdk.trace.export import SpanExportResult

        lines = "".join(json.dumps(span_record(s), ensure_ascii=False, default=str) + "\n" for s in spans)
        with self._lock:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, lines.encode())
            finally:
                os.close(fd)
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        pass

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return True


def span_record(span: Any) -> dict[str, Any]:
    """A finished span as one flat JSON object (ids in the hex form Cloud Trace and logs show)."""
    ctx = span.get_span_context()
    return {
        "name": span.name,
        "trace_id": format(ctx.trace_id, "032x"),
        "span_id": format(ctx.span_id, "016x"),
        "parent_span_id": format(span.parent.span_id, "016x") if span.parent else None,
        "kind": span.kind.name,
        "service": span.resource.attributes.get("service.name"),
        "start": span.start_time,
        "end": span.end_time,
        "status": span.status.status_code.name,
        "status_description": span.status.description,
        "attributes": dict(span.attributes or {}),
        "events": [{"name": e.name, "attributes": dict(e.attributes or {})} for e in span.events],
    }


def configure(exporter: str, service: str, project_id: str, file_path: str | None = None) -> None:
    """Install this process's tracer provider (idempotent; a different configuration replaces it,
    which only tests do)."""
    global _provider, _key
    key = (exporter, file_path, f"{project_id}/{service}")
    if _key == key:
        return
    if exporter not in EXPORTERS:
        raise ValueError(f"unknown trace exporter {exporter!r} (one of {', '.join(EXPORTERS)})")
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    with _lock:
        if _key == key:
            return
        provider = TracerProvider(resource=Resource.create({"service.name": f"pmm-{service}",
                                                            "gcp.project_id": project_id}))
        if exporter == "file":
            if not file_path:
                raise ValueError("PMM_TRACE_EXPORTER=file needs PMM_TRACE_FILE")
            provider.add_span_processor(BatchSpanProcessor(JsonLinesSpanExporter(file_path),
                                                           schedule_delay_millis=FILE_SCHEDULE_DELAY_MILLIS))
        elif exporter == "gcp":
            provider.add_span_processor(BatchSpanProcessor(LazyExporter(lambda: cloud_trace_exporter(project_id))))
        old, _provider, _key = _provider, provider, key
    if old is not None:
        old.shutdown()


class LazyExporter:
    """Builds the real exporter at the first export, on the batch processor's thread: importing Cloud
    Trace's client (gRPC) takes most of a second, which a cold start's first request should not wait for."""

    def __init__(self, build: Any) -> None:
        self._build = build
        self._exporter: Any = None
        self._built = False
        self._lock = threading.Lock()

    def _get(self) -> Any:
        with self._lock:
            if not self._built:
                self._exporter, self._built = self._build(), True
        return self._exporter

    def export(self, spans: Sequence[Any]) -> Any:
        from opentelemetry.sdk.trace.export import SpanExportResult

        exporter = self._get()
        return exporter.export(spans) if exporter is not None else SpanExportResult.FAILURE

    def shutdown(self) -> None:
        if self._exporter is not None:
            self._exporter.shutdown()

    def force_flush(self, timeout_millis: int = 30_000) -> bool:
        return True


def reset() -> None:
    """Back to no provider at all (tests: one test's exporter never receives the next test's spans)."""
    global _provider, _key
    with _lock:
        old, _provider, _key = _provider, None, None
    if old is not None:
        old.shutdown()


def cloud_trace_exporter(project_id: str) -> Any:
    """Cloud Trace's exporter, None when it cannot be built (no credentials): a function without
    traces still serves; its log lines keep their trace ids and the warning says why none export
    (once: the failure is remembered)."""
    try:
        from opentelemetry.exporter.cloud_trace import CloudTraceSpanExporter

        return CloudTraceSpanExporter(project_id=project_id)
    except Exception:  # noqa: BLE001 - tracing must never stop a function from starting
        logging.getLogger(__name__).warning("Cloud Trace exporter unavailable; spans are not exported",
                                            exc_info=True)
        return None


def tracer() -> trace.Tracer:
    # Our own provider, not the global one: the global can be set once per process, tests reconfigure.
    return (_provider or trace.get_tracer_provider()).get_tracer("pmm")


def flush() -> None:
    """Hand every finished span to the exporter now (before a CloudEvent invocation returns)."""
    if _provider is not None:
        _provider.force_flush(FLUSH_TIMEOUT_MILLIS)


def current_traceparent() -> str | None:
    """The W3C `traceparent` of the active span, None outside any trace."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get(TRACEPARENT)


def parent_from_traceparent(traceparent: str | None) -> otel_context.Context | None:
    """The context a `traceparent` names; None when it is missing or malformed (a new trace starts)."""
    if not traceparent:
        return None
    ctx = _propagator.extract({TRACEPARENT: traceparent})
    return ctx if trace.get_current_span(ctx).get_span_context().is_valid else None


def parent_from_headers(headers: Mapping[str, str]) -> otel_context.Context | None:
    """The caller's trace: W3C `traceparent`, else `X-Cloud-Trace-Context` (`TRACE/SPAN;o=1`)."""
    ctx = parent_from_traceparent(headers.get(TRACEPARENT))
    if ctx is not None:
        return ctx
    m = _XCTC.match(headers.get("X-Cloud-Trace-Context") or "")
    if not m or int(m.group(1), 16) == 0:
        return None
    span_id = int(m.group(2)) % 2**64 or 1
    flags = TraceFlags(TraceFlags.SAMPLED if m.group(3) == "1" else TraceFlags.DEFAULT)
    parent = SpanContext(int(m.group(1), 16), span_id, is_remote=True, trace_flags=flags)
    return trace.set_span_in_context(NonRecordingSpan(parent))


@contextmanager
def span(name: str, kind: SpanKind, parent: otel_context.Context | None,
         attributes: dict[str, Any] | None = None) -> Iterator[trace.Span]:
    """A span made current for the block; an exception marks it ERROR with its type and propagates.
    Never its message or traceback: those can quote the input (a NIP, an e-mail), and spans leave
    the process unredacted."""
    with tracer().start_as_current_span(name, context=parent, kind=kind, attributes=attributes,
                                        record_exception=False, set_status_on_exception=False) as current:
        try:
            yield current
        except BaseException as exc:
            current.set_attribute("exception.type", type(exc).__name__)
            mark_error(current, type(exc).__name__)
            raise


def mark_error(current: trace.Span, description: str) -> None:
    current.set_status(Status(StatusCode.ERROR, description))


def log_fields(project_id: str | None) -> dict[str, Any]:
    """The fields Cloud Logging joins a log line to its trace by (empty outside any span)."""
    ctx = trace.get_current_span().get_span_context()
    if not ctx.is_valid or not project_id:
        return {}
    return {"logging.googleapis.com/trace": f"projects/{project_id}/traces/{format(ctx.trace_id, '032x')}",
            "logging.googleapis.com/spanId": format(ctx.span_id, "016x"),
            "logging.googleapis.com/trace_sampled": ctx.trace_flags.sampled}
