"""Settings are validated at start with a clear message; logs are JSON with no personal data."""
import json
import logging

import pytest

from shared import tracing
from shared.logs import CloudLoggingFormatter, redact, set_project
from shared.settings import Settings, SettingsError, load_settings


def test_missing_settings_are_named_with_their_purpose(monkeypatch):
    monkeypatch.delenv("GOOGLE_CLOUD_PROJECT", raising=False)
    monkeypatch.delenv("PMM_SERVICE", raising=False)
    with pytest.raises(SettingsError) as info:
        load_settings(Settings)
    text = str(info.value)
    assert "GOOGLE_CLOUD_PROJECT" in text and "Google Cloud project id" in text
    assert "PMM_SERVICE" in text


def test_invalid_service_name_is_refused(monkeypatch):
    monkeypatch.setenv("PMM_SERVICE", "toko")
    with pytest.raises(SettingsError, match="PMM_SERVICE"):
        load_settings(Settings)


def test_settings_read_from_environment(monkeypatch):
    monkeypatch.setenv("PMM_SERVICE", "kinerja")
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:1")
    s = load_settings(Settings)
    assert s.service == "kinerja" and s.uses_emulators and s.project_id == "demo-pmm-test"


def test_redact_masks_nip_nik_email_and_tokens():
    text = "guru 198705122010011003 nik 3174012345678901 surel ani@belajar.id Bearer abc.def.ghi"
    out = redact(text)
    assert "198705122010011003" not in out and "3174012345678901" not in out
    assert "ani@belajar.id" not in out and "abc.def.ghi" not in out
    assert redact({"nip": "x", "catatan": ["b@c.id"]}) == {"nip": "[disamarkan]", "catatan": ["[surel]"]}


def test_log_line_is_cloud_logging_json_with_trace():
    set_project("demo-pmm")
    record = logging.LogRecord("t", logging.WARNING, __file__, 1, "NIP %s ditolak", ("198705122010011003",), None)
    record.email = "a@b.id"
    parent = tracing.parent_from_headers({"X-Cloud-Trace-Context": "0123456789abcdef0123456789abcdef/1;o=1"})
    with tracing.span("uji", tracing.SpanKind.INTERNAL, parent):
        line = json.loads(CloudLoggingFormatter().format(record))
    outside = json.loads(CloudLoggingFormatter().format(record))
    assert line["severity"] == "WARNING"
    assert line["message"] == "NIP [nomor] ditolak"
    assert line["logging.googleapis.com/trace"] == "projects/demo-pmm/traces/0123456789abcdef0123456789abcdef"
    assert len(line["logging.googleapis.com/spanId"]) == 16 and line["logging.googleapis.com/trace_sampled"] is True
    assert line["email"] == "[disamarkan]"
    assert "logging.googleapis.com/trace" not in outside
    set_project(None)
