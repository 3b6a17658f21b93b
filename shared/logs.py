"""Structured JSON logs in the shape Cloud Logging reads from stdout.

Each line carries `severity`, `message`, the active span's trace
(`logging.googleapis.com/trace`, `logging.googleapis.com/spanId`,
`logging.googleapis.com/trace_sampled`, see `shared/tracing.py`) and any extra
fields. Personal data never reaches a line: NIP (18 digits), NIK (16 digits),
e-mail addresses and bearer tokens are masked in messages and field values.
"""
from __future__ import annotations

import json
import logging
import re
import sys
from datetime import datetime, timezone
from typing import Any

from shared.tracing import log_fields

# The project the trace names point into (`projects/<project>/traces/<id>`); set once per process.
_project_id: str | None = None

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


def set_project(project_id: str | None) -> None:
    """Name the project whose Cloud Trace the lines' trace ids point into."""
    global _project_id
    _project_id = project_id


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
        entry.update(log_fields(_project_id))
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
