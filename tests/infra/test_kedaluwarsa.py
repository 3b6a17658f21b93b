"""Pending things expire: the bucket's lifecycle rule deletes exactly the keys unconfirmed uploads are
written to (and never a confirmed one), and every collection of pending documents has its TTL policy."""
from __future__ import annotations

import ast

from shared.firestore import KOLEKSI_KEDALUWARSA, TTL_FIELD
from shared.objectstore import PREFIX_SEMENTARA, UNGGAHAN_BERLAKU, kunci_sementara
from tests.infra.conftest import ROOT


def _aturan_hapus(module_hcl) -> list[dict]:
    berkas = module_hcl("storage")["resource"]["google_storage_bucket"]["berkas"]
    return [r["condition"][0] for r in berkas["lifecycle_rule"] if r["action"][0]["type"] == "Delete"]


def _panggilan(nama: str) -> list[tuple[str, ast.Call]]:
    """Every call of ``nama`` (a method or function) in the services' and shared code."""
    hasil = []
    for path in [*(ROOT / "services").rglob("*.py"), *(ROOT / "shared").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                f = node.func
                if (f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)) == nama:
                    hasil.append((str(path.relative_to(ROOT)), node))
    return hasil


def _kunci_tetap() -> list[str]:
    """The leading constant of every confirmed-object key the services build (``object_key=kunci`` with
    ``kunci = f"kinerja/..."``): read from the code, so a new layout is checked too."""
    awalan = []
    for path in (ROOT / "services").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.JoinedStr) and \
                    any(isinstance(t, ast.Name) and t.id == "kunci" for t in node.targets):
                pertama = node.value.values[0]
                if isinstance(pertama, ast.Constant):
                    awalan.append(pertama.value)
    return awalan


def test_aturan_lifecycle_menghapus_awalan_unggahan_sementara_setelah_masa_berlakunya(module_hcl):
    hapus = [c for c in _aturan_hapus(module_hcl) if "matches_prefix" in c]
    assert hapus == [{"age": UNGGAHAN_BERLAKU.days, "matches_prefix": [PREFIX_SEMENTARA]}]
    assert UNGGAHAN_BERLAKU.total_seconds() == UNGGAHAN_BERLAKU.days * 86400  # the rule counts whole days
    # no other Delete rule reaches live objects (only noncurrent versions, after their undo window)
    assert all(c.get("with_state") == "ARCHIVED" for c in _aturan_hapus(module_hcl) if "matches_prefix" not in c)


def test_setiap_url_unggah_menulis_ke_awalan_sementara_dan_kunci_tetap_di_luarnya():
    calls = _panggilan("presign_put")
    assert calls, "no presign_put call found"
    for where, call in calls:
        if where == "shared/objectstore.py":
            continue
        kunci = call.args[0] if call.args else next(k.value for k in call.keywords if k.arg == "kunci")
        assert isinstance(kunci, ast.Attribute) and kunci.attr == "kunci_unggah", where
    pembuat = [k.value for _, c in _panggilan("Berkas") for k in c.keywords if k.arg == "kunci_unggah"]
    assert pembuat and all(isinstance(v, ast.Call) and getattr(v.func, "id", "") == "kunci_sementara"
                           for v in pembuat)
    tetap = _kunci_tetap()
    assert tetap == ["kinerja/"]
    for awal in tetap:
        assert kunci_sementara(awal + "x.pdf").startswith(PREFIX_SEMENTARA)
        assert not awal.startswith(PREFIX_SEMENTARA)  # a confirmed object never matches the rule


def test_koleksi_tertunda_punya_kebijakan_ttl(firestore_doc):
    import infra.sync as sync

    for s in sync.services():
        sync.load_main(s)
    assert {"karya__otorisasi", "kinerja__berkas"} <= set(KOLEKSI_KEDALUWARSA)
    for koleksi in KOLEKSI_KEDALUWARSA:
        f = firestore_doc["fields"][f"{koleksi}.{TTL_FIELD}"]
        assert f["ttl"] is True and f["indexed"] is False
