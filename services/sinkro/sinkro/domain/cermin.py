"""The mirror: what PMM, SIASN and e-Kinerja last told us, kept from events (S4), and the
snapshot `periksa` reads, built from it (pure: dicts in, `CerminSinkro` out).

Rules:
- newest version wins: a record is replaced only by a payload with a higher
  `versi` (`lebih_baru`); an older or repeated event changes nothing;
- wire payloads are lenient, the snapshot is strict: a value that cannot be
  what it claims (a 17-digit NIP, an NPSN with spaces) is treated as missing,
  so the check answers with the documented error (#1, ...) instead of failing.
"""
from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any

from shared.nip import nip_sah
from sinkro.domain.pemeriksaan import CerminSinkro, JenisSinkro

_NPSN = re.compile(r"^[A-Za-z0-9]{8}$")
_BUKAN_IDENT = re.compile(r"[^A-Za-z0-9_.:-]")

_TAHAP_SEBELUM_SEPAKAT = ("draf", "diajukan", "dikembalikan", "disetujui")

LABEL_PREDIKAT = {  # PermenPANRB 6/2022 wording as e-Kinerja shows it
    "sangat_baik": "Sangat Baik", "baik": "Baik", "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang/Misconduct", "sangat_kurang": "Sangat Kurang",
}


def kunci(*bagian: str) -> str:
    """Document id from a natural key: a hash, so ids neither leak a NIP nor grow monotonically."""
    return hashlib.sha256("\x1f".join(bagian).encode()).hexdigest()[:40]


def kunci_sumber(ptk_id: str, periode: str, plt_npsn: str | None = None) -> str:
    """Id of a mirrored plan / predicate: the teacher SKP keeps (ptk, periode) (existing data); an SKP sebagai
    Plt. Kepala Sekolah is one per school led, so its key adds the school (it never overwrites the other)."""
    return kunci(ptk_id, periode, "plt", plt_npsn) if plt_npsn else kunci(ptk_id, periode)


def kunci_payload(payload: dict[str, Any]) -> str:
    """`kunci_sumber` of a `kinerja.rencana.disepakati`, `kinerja.predikat.ditetapkan` or
    `kinerja.tahap_rencana.diperbarui` payload (or of the mirror document made from one)."""
    return kunci_sumber(payload["ptk_id"], payload["periode"], payload["npsn"] if payload.get("plt") else None)


def normal_email(email: str | None) -> str | None:
    return email.strip().lower() if email and email.strip() else None


def lebih_baru(tersimpan: dict[str, Any] | None, versi: int) -> bool:
    return tersimpan is None or versi > int(tersimpan.get("versi", -1))


def nip(nilai: Any) -> str | None:
    """A NIP kinerja would accept (shared rules: birth date, TMT, gender digit, PPPK layout), else None."""
    return nilai if isinstance(nilai, str) and nip_sah(nilai) else None


def npsn(nilai: Any) -> str | None:
    return nilai if isinstance(nilai, str) and _NPSN.match(nilai) else None


def ident(nilai: Any) -> str | None:
    if not isinstance(nilai, str) or not nilai.strip():
        return None
    return _BUKAN_IDENT.sub("-", nilai.strip())[:128]


def teks(nilai: Any, batas: int) -> str | None:
    if not isinstance(nilai, str) or not nilai.strip():
        return None
    return nilai.strip()[:batas]


def status_kepegawaian(nilai: Any) -> str | None:
    """Dapodik's `pns_diperbantukan` -> `PNS DIPERBANTUKAN` as the #7 reference list spells it."""
    return teks(nilai, 200).replace("_", " ").upper() if teks(nilai, 200) else None


def _tanggal(nilai: Any) -> date | None:
    if isinstance(nilai, datetime):
        return nilai.date()
    if isinstance(nilai, date):
        return nilai
    if isinstance(nilai, str) and nilai:
        try:
            return date.fromisoformat(nilai[:10])
        except ValueError:
            return None
    return None


# --- applying payloads (what the consumers store) ---

def dokumen_ptk(payload: dict[str, Any], tersimpan: dict[str, Any] | None, diterima: datetime) -> dict[str, Any]:
    """Mirror document of a Dapodik PTK. `sekolah_sejak` is the assignment's own date (`tmt_sekolah`,
    #4 B/C), never the record's update stamp; an older payload without it keeps the date known for
    the same school, and a new school without it has none (the check then does not guess)."""
    emails = [e for e in (normal_email(x) for x in [payload.get("email_belajar_id"),
                                                      *payload.get("email_belajar_id_lain", [])]) if e]
    tmt = _tanggal(payload.get("tmt_sekolah"))
    sama = tersimpan is not None and tersimpan.get("npsn_induk") == payload["npsn_induk"]
    sejak = tmt.isoformat() if tmt else (tersimpan.get("sekolah_sejak") if sama else None)
    return {
        "ptk_id": payload["ptk_id"], "nama": payload.get("nama"), "nip": payload.get("nip"),
        "pns_id": payload.get("pns_id"), "emails": sorted(set(emails)), "npsn_induk": payload["npsn_induk"],
        "status_kepegawaian": payload.get("status_kepegawaian"), "jabatan": payload.get("jabatan"),
        "plt": [{"npsn": p.get("npsn")} for p in payload.get("plt", [])],
        "status_keaktifan": payload.get("status_keaktifan"), "sekolah_sejak": sejak,
        "versi": payload["versi"],
    }


def dokumen_rencana(payload: dict[str, Any], tersimpan: dict[str, Any] | None) -> dict[str, Any]:
    """Mirror of an agreed SKP; `perlu_sinkro` marks it for the daily batch until this version is sent."""
    terkirim = int((tersimpan or {}).get("versi_terkirim", 0))
    atasan = payload.get("atasan") or {}
    return {
        "ptk_id": payload["ptk_id"], "periode": payload["periode"], "nip": payload.get("nip"),
        "npsn": payload.get("npsn"), "nama_sekolah": payload.get("nama_sekolah"), "jabatan": payload.get("jabatan"),
        "atasan_nip": atasan.get("nip"), "atasan_jenis": atasan.get("jenis"),
        "rhk": [{"urutan": r["urutan"], "teks": r["teks"], "indikator": r.get("indikator")}
                for r in payload.get("rhk", [])],
        "perilaku": [p["nama"] for p in payload.get("perilaku", [])],
        "versi": payload["versi"], "versi_terkirim": terkirim, "perlu_sinkro": payload["versi"] > terkirim,
        "plt": bool(payload.get("plt")),
    }


def dokumen_tahap(payload: dict[str, Any]) -> dict[str, Any]:
    """Mirror of the plan's stage (`kinerja.tahap_rencana.diperbarui`): #2 vs #14."""
    return {k: payload[k] for k in ("ptk_id", "periode", "rencana_id", "tahap", "versi")}


def dokumen_predikat(payload: dict[str, Any], tersimpan: dict[str, Any] | None) -> dict[str, Any]:
    terkirim = int((tersimpan or {}).get("versi_terkirim", 0))
    return {
        "ptk_id": payload["ptk_id"], "periode": payload["periode"], "predikat": payload["predikat"],
        "npsn": payload.get("npsn"), "plt": bool(payload.get("plt")),
        "versi": payload["versi"], "versi_terkirim": terkirim, "perlu_sinkro": payload["versi"] > terkirim,
    }


# --- building the snapshot ---

def sumber_plt(data: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(collection, document) of the Plt. SKPs and predicates of the period: what "Sinkro data PLT PMM" sends."""
    return [(k, d) for k in ("rencana", "predikat") for d in data.get(f"{k}_plt") or []]


def versi_untuk(jenis: JenisSinkro, data: dict[str, Any]) -> int | None:
    """The source version a send of `jenis` carries (the idempotency key with nip and periode).

    For `plt` it is the sum of the versions of every Plt. SKP and predicate of the period: each only grows
    and none is removed, so the sum grows with any change (a new school, a new plan version, a predicate)."""
    if jenis == "plt":
        sumber = sumber_plt(data)
        return sum(int(d["versi"]) for _, d in sumber) if sumber else None
    sumber = {"skp": data.get("rencana"), "predikat": data.get("predikat")}[jenis]
    return int(sumber["versi"]) if sumber else None


def _skp_kirim(rencana: dict[str, Any], periode: str) -> dict[str, Any]:
    return {"periode": periode, "status": "disepakati", "versi": max(1, int(rencana["versi"])),
            "rhk": [{"id": f"rhk-{r['urutan']}", "uraian": teks(r["teks"], 5000) or "-",
                     "indikator": [teks(r["indikator"], 500)] if teks(r.get("indikator"), 500) else []}
                    for r in rencana.get("rhk", [])],
            "perilaku": [teks(p, 500) for p in rencana.get("perilaku", []) if teks(p, 500)]}


def _label_predikat(predikat: dict[str, Any], periode: str) -> dict[str, Any]:
    return {"periode": periode, "versi": max(1, int(predikat["versi"])),
            "predikat": LABEL_PREDIKAT.get(predikat["predikat"], teks(predikat["predikat"], 200) or "-")}


def penugasan_plt(data: dict[str, Any], periode: str) -> list[dict[str, Any]]:
    """One entry per school with an SKP sebagai Plt. Kepala Sekolah in PMM for the period (#18/#20 count these),
    each with that SKP and its predicate when set; a Dapodik Plt. assignment without such an SKP is not one."""
    predikat = {d.get("npsn"): d for d in data.get("predikat_plt") or []}
    out = []
    for r in sorted(data.get("rencana_plt") or [], key=lambda x: str(x.get("npsn"))):
        if not npsn(r.get("npsn")):
            continue
        p = predikat.get(r["npsn"])
        out.append({"npsn": r["npsn"], "nama_sekolah": teks(r.get("nama_sekolah"), 200) or f"NPSN {r['npsn']}",
                    "skp": _skp_kirim(r, periode), "predikat": _label_predikat(p, periode) if p else None})
    return out


def bangun_cermin(data: dict[str, Any], periode: str) -> CerminSinkro:
    """`data` holds the mirror documents of one pegawai and period: ptk, sekolah, rencana, tahap, predikat,
    siasn, ekinerja, skp_organisasi, skp_terkirim (any may be None except ptk); rencana_plt, predikat_plt (lists,
    read for jenis plt only)."""
    ptk, rencana, predikat = data["ptk"], data.get("rencana"), data.get("predikat")
    siasn, ekin, org, terkirim = data.get("siasn"), data.get("ekinerja"), data.get("skp_organisasi"), \
        data.get("skp_terkirim")
    nip_pmm = nip(ptk.get("nip"))
    atasan_nip = nip((rencana or {}).get("atasan_nip"))
    sekolah = None  # Dapodik's school of the pegawai: its name from the school record, else from the plan
    induk = npsn(ptk.get("npsn_induk"))
    nama_induk = teks((data.get("sekolah") or {}).get("nama"), 200) or \
        (teks(rencana.get("nama_sekolah"), 200) if rencana and rencana.get("npsn") == induk else None)
    if induk and nama_induk:
        sekolah = {"npsn": induk, "nama": nama_induk}
    pmm: dict[str, Any] = {
        "pegawai_id": ident(ptk["ptk_id"]),
        "nip": nip_pmm,
        "pns_id": ident(ptk.get("pns_id")),
        "status_kepegawaian": status_kepegawaian(ptk.get("status_kepegawaian")),
        "peran": "kepala_sekolah" if ptk.get("jabatan") == "kepala_sekolah" else "guru",
        "sekolah": sekolah,
        "sekolah_sejak": ptk.get("sekolah_sejak") if sekolah else None,
        "atasan_nip": atasan_nip,
        "penugasan_plt": [{"npsn": t["npsn"], "nama_sekolah": t["nama_sekolah"]} for t in penugasan_plt(data, periode)],
    }
    tahap = data.get("tahap")
    if tahap and tahap.get("tahap") in _TAHAP_SEBELUM_SEPAKAT and int(tahap["versi"]) > int((rencana or {}).get("versi", 0)):
        # the newest word on the plan is a stage before "agreed" (plan versions only grow)
        pmm["skp"] = {"periode": periode, "status": tahap["tahap"], "versi": max(1, int(tahap["versi"]))}
    elif rencana:
        pmm["skp"] = _skp_kirim(rencana, periode)
    if predikat:
        pmm["predikat"] = _label_predikat(predikat, periode)
    cermin: dict[str, Any] = {"periode": periode, "pmm": pmm}
    if siasn and nip_pmm:
        unor = siasn.get("unor")
        cermin["siasn"] = {
            "nip": nip_pmm, "pns_id": ident(siasn.get("pns_id")),
            "status_kepegawaian": teks(siasn.get("status_kepegawaian"), 200),
            "unor": None if not unor or not ident(unor.get("id")) else {
                "id": ident(unor["id"]), "nama": teks(unor.get("nama"), 200) or unor["id"][:200],
                "aktif": bool(unor.get("aktif", True)), "unor_atasan_id": ident(unor.get("unor_atasan_id")),
                "npsn": npsn(unor.get("npsn"))},
            "unor_sejak": _tanggal(siasn.get("unor_sejak")),
            "atasan_nip": nip(siasn.get("atasan_nip")),
        }
    if ekin and nip_pmm:
        skp = _skp_ekinerja(ekin, terkirim, periode)
        cermin["ekinerja"] = {
            "pegawai_terdaftar": bool(ekin.get("terdaftar", True)), "unor_id": ident(ekin.get("unor_id")),
            "unor_aktif": bool(ekin.get("unor_aktif", True)), "terdaftar_pengguna_pmm": bool(ekin.get("pengguna_pmm", True)),
            "skp": skp,
            "penugasan_plt": [{"unor_id": ident(p["unor_id"]), "nama_unor": teks(p.get("nama_unor"), 200)}
                              for p in ekin.get("penugasan_plt", []) if ident(p.get("unor_id"))],
            "skp_organisasi_atasan": {"atasan_nip": atasan_nip, "periode": periode,
                                      "jumlah_rhk": int(org.get("jumlah_rhk", 0))}
            if org and org.get("ada", True) and atasan_nip else None,
        }
    return CerminSinkro.model_validate(cermin)


def _skp_ekinerja(ekin: dict[str, Any], terkirim: dict[str, Any] | None, periode: str) -> dict[str, Any] | None:
    """The SKP e-Kinerja holds for the period: what it last reported, or what we sent after that."""
    dilaporkan = next((s for s in ekin.get("skp", []) if s.get("periode") == periode and ident(s.get("unor_id"))), None)
    if terkirim and (dilaporkan is None or str(terkirim.get("pada", "")) >= str(ekin.get("diterapkan_pada", ""))):
        return {"periode": periode, "unor_id": terkirim["unor_id"], "unor_nama": terkirim.get("unor_nama")}
    if dilaporkan:
        return {"periode": periode, "unor_id": ident(dilaporkan["unor_id"]),
                "unor_nama": teks(dilaporkan.get("unor_nama"), 200)}
    return None


def sidik(cermin: CerminSinkro, jenis: str, tetap: bool) -> str:
    """Fingerprint of what a check decides on: same fingerprint, same local answer."""
    return hashlib.sha256(f"{jenis}|{tetap}|{cermin.model_dump_json()}".encode()).hexdigest()[:32]
