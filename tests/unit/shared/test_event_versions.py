"""The event schema versioning policy (docs/events.md) is enforced against the committed
docs/asyncapi.json: within a topic only additive changes; anything else needs a new topic version."""
from __future__ import annotations

import copy
import json

import pytest

from shared import asyncapi
from shared.asyncapi import asyncapi_document, breaking_changes


@pytest.fixture(scope="module")
def doc():
    return asyncapi_document()


def _changed(doc, mutate):
    new = copy.deepcopy(doc)
    mutate(new["components"]["schemas"], new["components"]["messages"])
    return breaking_changes(doc, new)


def test_the_code_changes_no_committed_topic_incompatibly():
    committed = json.loads(asyncapi.DOCUMENT.read_text())
    breaks = breaking_changes(committed, asyncapi_document())
    assert not breaks, ("a payload changed incompatibly within its topic; publish a new topic version instead "
                        "(docs/events.md):\n" + "\n".join(breaks))


def test_an_optional_field_and_a_new_topic_are_compatible(doc):
    def mutate(schemas, messages):
        schemas["PtkDiperbarui"]["properties"]["gelar"] = {"type": "string", "default": ""}
        messages["ReferensiPtkDiperbaruiV2"] = dict(messages["ReferensiPtkDiperbarui"],
                                                    title="referensi.ptk.diperbarui.v2", **{"x-schema-version": 2})
        schemas["PtkDiperbarui"]["properties"]["nama"]["description"] = "reworded"
    assert _changed(doc, mutate) == []


@pytest.mark.parametrize("mutate,expected", [
    (lambda s, m: s["PtkDiperbarui"]["properties"].pop("nuptk"), "referensi.ptk.diperbarui.nuptk: field removed"),
    (lambda s, m: (s["PtkDiperbarui"]["properties"].__setitem__("gelar", {"type": "string"}),
                   s["PtkDiperbarui"]["required"].append("gelar")),
     "referensi.ptk.diperbarui.gelar: new required field"),
    (lambda s, m: s["PtkDiperbarui"]["required"].append("nuptk"), "referensi.ptk.diperbarui.nuptk: now required"),
    (lambda s, m: s["PtkDiperbarui"]["properties"].__setitem__("versi", {"type": "string"}),
     "referensi.ptk.diperbarui.versi: type changed"),
    (lambda s, m: s["PtkDiperbarui"]["properties"]["nama"].__setitem__("maxLength", 100),
     "referensi.ptk.diperbarui.nama: type changed"),
    (lambda s, m: s["PenugasanPltData"]["properties"].__setitem__("npsn", {"type": "integer"}),
     "referensi.ptk.diperbarui.plt[].npsn: type changed"),
    (lambda s, m: m["ReferensiPtkDiperbarui"].__setitem__("x-schema-version", 2),
     "referensi.ptk.diperbarui: SCHEMA_VERSION changed in place"),
    (lambda s, m: m.pop("ReferensiPtkDiperbarui"), "referensi.ptk.diperbarui: topic removed"),
])
def test_incompatible_changes_are_named(doc, mutate, expected):
    assert any(b.startswith(expected) for b in _changed(doc, mutate)), _changed(doc, mutate)


def test_a_retired_topic_is_not_a_break(doc):
    new = copy.deepcopy(doc)
    del new["components"]["messages"]["ReferensiPtkDiperbarui"]
    assert breaking_changes(doc, new, retired={"referensi.ptk.diperbarui"}) == []


def test_the_generator_refuses_to_write_a_break(doc, tmp_path, monkeypatch, capsys):
    older = copy.deepcopy(doc)
    older["components"]["schemas"]["PtkDiperbarui"]["properties"]["dihapus"] = {"type": "string"}
    target = tmp_path / "asyncapi.json"
    target.write_text(json.dumps(older))
    monkeypatch.setattr(asyncapi, "DOCUMENT", target)
    assert asyncapi.main(["--write"]) == 1
    assert "referensi.ptk.diperbarui.dihapus: field removed" in capsys.readouterr().err
    assert json.loads(target.read_text()) == older
