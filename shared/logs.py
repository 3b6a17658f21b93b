"""Structured JSON logs in the shape Cloud Logging reads from stdout.

Each line carries `severity`, `message`, the trace of the request
(`logging.googleapis.com/trace` from `X-Cloud-Trace-Context`) and any extra
fields. Personal data never reaches a line: NIP (18 digits), NIK (16 digits),
e-mail addresses and bearer tokens are masked in messages and field values.
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
from datetime import datetime, timezone
from typing import Any

_trace: contextvars.ContextVar[str | None] = contextvars.ContextVar("pmm_trace", default=None)

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# NIP is 18 digits, NIK 16, NUPTK 16: mask any run of 16 or more digits.
_LONG_DIGITS = re.compile(r"(?<!\d)\d{16,}(?!\d)")
_BEARER = re.compile(r"(?i)bearer\s+[A-Za-z0-9._~+/=-]+")
_SENSITIVE_KEYS = {"nip", "nik", "nuptk", "email", "surel", "token", "authorization", "refresh_token",
                   "access_token", "api_key", "x-api-key", "password", "nama"}


def redact(value: Any) -> Any:
    """Mask personal data in a string, or recursively in lists and dicts."""
    if isinstance(value, str):
        value = _BEARER.sub("Bearer [disamarkan]", value)
        value = _EMAIL.sub("[surel]", value)
        return _LONG_DIGITS.sub("[nomor]", value)
    if isinstance(value, dict):
        return {k: ("[disamarkan]" if str(k).lower() in _SENSITIVE_KEYS else redact(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(v) for v in value]
    return value


def set_trace_from_header(header: str | None, project_id: str | None) -> None:
    """Remember the request's trace (`TRACE_ID/SPAN;o=1`) for every line it logs."""
    if header and project_id:
        trace_id = header.split("/", 1)[0]
        if re.fullmatch(r"[0-9a-fA-F]{1,64}", trace_id):
            _trace.set(f"projects/{project_id}/traces/{trace_id}")
            return
    _trace.set(None)


_SEVERITY = {logging.DEBUG: "DEBUG", logging.INFO: "INFO", logging.WARNING: "WARNING",
             logging.ERROR: "ERROR", logging.CRITICAL: "CRITICAL"}
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class CloudLoggingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "severity": _SEVERITY.get(record.levelno, "DEFAULT"),
            "message": redact(record.getMessage()),
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(),
            "logger": record.name,
        }
        trace = _trace.get()
        if trace:
            entry["logging.googleapis.com/trace"] = trace
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = "[disamarkan]" if key.lower() in _SENSITIVE_KEYS else redact(value)
        if record.exc_info:
            entry["stack_trace"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


_configured = False


def configure_logging(level: int = logging.INFO) -> None:
    """Route the root logger to stdout as JSON lines (idempotent)."""
    global _configured
    if _configured:
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(CloudLoggingFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    _configured = True


def get_logger(name: str) -> logging.Logger:
    configure_logging()
    return logging.getLogger(name)
