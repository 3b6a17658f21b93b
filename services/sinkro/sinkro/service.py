"""Use cases of Sinkro PMM: keep the mirror, check, send, log, and run the batch (S1-S4).

One function per action; no Flask, no Pub/Sub wiring. Sending is an HTTP call,
so it never runs inside a Firestore transaction: a sync reads the mirror,
decides locally (`periksa`), sends, and then records the outcome (status, log
entry, outbox event) in one transaction. Idempotency rests on the version: the
pegawai's status keeps the highest version e-Kinerja accepted, a version already
accepted is never sent again, and e-Kinerja itself deduplicates on
(nip, periode, versi), so two concurrent sends of one version take effect once.
"""
from __future__ import annotations

import base64
import csv
import io
import logging
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter

from shared import klaim_email
from shared.contracts.sinkro import BatchDijadwalkan, ButirSinkro, SinkronisasiBerhasil, SinkronisasiGagal
from shared.errors import DomainError, NotFound
from shared.events import Event, make_event
from shared.firestore import (Tx, carry_op_count, collection_name, count, iter_stream, ledger_document, ledger_ref,
                              read, read_many, read_snapshot, stream)
from shared.logs import get_logger
from sinkro.domain import cermin as cm
from sinkro.domain.akses import Pelaku, pastikan_boleh
from sinkro.domain.galat import KATALOG, Aktor, BukanAsn, EkinerjaMembatasi, SinkroGagal, sebut_instansi
from sinkro.domain.laju import PembatasLaju, batas_proses
from sinkro.domain.pemeriksaan import SinkroBelumSiap, periksa

log = get_logger(__name__)
LAYANAN = "sinkro"
URUTAN_JENIS = {"skp": 0, "plt": 1, "predikat": 2}  # an SKP must reach e-Kinerja before its predicate (#13)


def _col(db: firestore.Client, nama: str) -> firestore.CollectionReference:
    return db.collection(collection_name(LAYANAN, nama))


def _utc(now: datetime | None = None) -> datetime:
    return now or datetime.now(timezone.utc)


# ======================================================================
# Mirror: consumers' effects (newest version wins; a fix retries failures)
# ======================================================================

def _status_gagal(tx: Tx, **sama_dengan: str) -> list[dict[str, Any]]:
    q = tx.collection("status").where(filter=FieldFilter("hasil", "==", "gagal"))
    for nama, nilai in sama_dengan.items():
        q = q.where(filter=FieldFilter(nama, "==", nilai))
    return tx.query(q.limit(200))


def _ulangi(tx: Tx, gagal: list[dict[str, Any]], alasan: str = "data_diperbaiki") -> None:
    """A reference event fixed someone's data: retry their failed syncs automatically."""
    if not gagal:
        return
    butir = sorted({(g["ptk_id"], g["jenis"], g["periode"]) for g in gagal}, key=lambda b: (b[0], URUTAN_JENIS[b[1]]))
    tx.emit(make_event(LAYANAN, "sinkro.batch.dijadwalkan", BatchDijadwalkan(
        batch_id=uuid.uuid4().hex, alasan=alasan,
        butir=[ButirSinkro(pegawai_id=p, jenis=j, periode=pr) for p, j, pr in butir])))


def _terapkan(tx: Tx, koleksi: str, doc_id: str, versi: int, buat: Callable[[dict | None], dict],
              gagal_terkait: dict[str, str] | None) -> bool:
    ref = tx.ref(koleksi, doc_id)
    lama = tx.get(ref)
    if not cm.lebih_baru(lama, versi):
        return False  # older or repeated: the newest stays
    gagal = _status_gagal(tx, **gagal_terkait) if gagal_terkait else []
    tx.set(ref, buat(lama))
    _ulangi(tx, gagal)
    return True


def terapkan_ptk(tx: Tx, event: Event) -> None:
    d = event.data.model_dump(mode="json")
    _terapkan(tx, "ptk", cm.kunci(d["ptk_id"]), d["versi"], lambda lama: cm.dokumen_ptk(d, lama, event.time),
              {"ptk_id": d["ptk_id"]})


def terapkan_rencana(tx: Tx, event: Event) -> None:
    d = event.data.model_dump(mode="json")
    _terapkan(tx, "rencana", cm.kunci_payload(d), d["versi"],
              lambda lama: cm.dokumen_rencana(d, lama), {"ptk_id": d["ptk_id"]})


def terapkan_tahap_rencana(tx: Tx, event: Event) -> None:
    """The plan's stage (#2 vs #14); nothing to retry: a stage before "agreed" never makes a sync pass."""
    d = event.data.model_dump(mode="json")
    _terapkan(tx, "tahap", cm.kunci_payload(d), d["versi"], lambda lama: cm.dokumen_tahap(d), None)


def terapkan_predikat(tx: Tx, event: Event) -> None:
    d = event.data.model_dump(mode="json")
    _terapkan(tx, "predikat", cm.kunci_payload(d), d["versi"],
              lambda lama: cm.dokumen_predikat(d, lama), {"ptk_id": d["ptk_id"]})


def terapkan_sekolah(tx: Tx, event: Event) -> None:
    d = event.data.model_dump(mode="json")
    _terapkan(tx, "sekolah", cm.kunci(d["npsn"]), d["versi"], lambda lama: {k: d[k] for k in ("npsn", "nama", "versi")},
              {"npsn": d["npsn"]})


def terapkan_pegawai_siasn(tx: Tx, event: Event) -> None:
    d = event.data.model_dump(mode="json")
    _terapkan(tx, "siasn", cm.kunci(d["nip"]), d["versi"], lambda lama: d, {"nip": d["nip"]})


def terapkan_pegawai_ekinerja(tx: Tx, event: Event) -> None:
    d = event.data.model_dump(mode="json") | {"diterapkan_pada": event.time.astimezone(timezone.utc).isoformat()}
    _terapkan(tx, "ekinerja", cm.kunci(d["nip"]), d["versi"], lambda lama: d, {"nip": d["nip"]})


def terapkan_skp_organisasi(tx: Tx, event: Event) -> None:
    d = event.data.model_dump(mode="json")
    _terapkan(tx, "skp_organisasi", cm.kunci(d["atasan_nip"], d["periode"]), d["versi"], lambda lama: d,
              {"atasan_nip": d["atasan_nip"], "periode": d["periode"]})


def terapkan_admin(tx: Tx, event: Event) -> None:
    d = event.data.model_dump(mode="json")
    d["email"] = cm.normal_email(d["email"])
    _terapkan(tx, "admin", cm.kunci(d["admin_id"]), d["versi"], lambda lama: d, None)


# ======================================================================
# Who is calling
# ======================================================================

def kenali(db: firestore.Client, sub: str, email: str | None) -> Pelaku:
    """The caller from the verified token's e-mail, through the mirrored Dapodik / Admin data."""
    email = cm.normal_email(email)
    if not email:
        return Pelaku(sub=sub)
    ptk = [d.to_dict() for d in stream(_col(db, "ptk").where(filter=FieldFilter("emails", "array_contains", email))
                                        .limit(2))]
    # an address two records list is nobody's (shared/klaim_email.py): the mirror keeps every record's
    # newest e-mails, so the query sees both claimants whatever order the events came in
    if len(ptk) > 1:
        raise klaim_email.galat_bentrok()
    admin = [d.to_dict() for d in stream(_col(db, "admin").where(filter=FieldFilter("email", "==", email)).limit(5))]
    aktif = [a for a in admin if a.get("aktif", True)]
    if len({a.get("admin_id") for a in aktif}) > 1:
        raise klaim_email.galat_bentrok()
    admin_aktif = aktif[0] if aktif else None
    return Pelaku(sub=sub, ptk=ptk[0] if ptk else None, admin=admin_aktif)


def _ptk_menurut_nip(db: firestore.Client, nip: str) -> dict[str, Any]:
    found = [d.to_dict() for d in stream(_col(db, "ptk").where(filter=FieldFilter("nip", "==", nip)).limit(2))]
    if not found:
        raise NotFound("pegawai_tidak_ditemukan", "Pegawai dengan NIP tersebut tidak ditemukan di data PMM (Dapodik).")
    return found[0]


def _instansi(db: firestore.Client, nip: str | None) -> set[str]:
    if not nip:
        return set()
    found = read_many(db, [_col(db, "siasn").document(cm.kunci(nip)), _col(db, "ekinerja").document(cm.kunci(nip))])
    return {d["instansi_id"] for d in found if d and d.get("instansi_id")}


# ======================================================================
# One sync
# ======================================================================

@dataclass
class Permintaan:
    pegawai_id: str
    jenis: str
    periode: str
    pelaku: dict[str, str]
    tetap: bool = False
    uji: bool = False
    otomatis: bool = False
    alasan: str = "permintaan"


@dataclass
class HasilSinkro:
    hasil: str  # berhasil | sudah_terkirim | lolos_pemeriksaan | gagal | dilewati
    jenis: str
    periode: str
    versi: int | None = None
    log_id: str | None = None
    id_sinkron: str | None = None
    peringatan: list[dict[str, Any]] = field(default_factory=list)
    skp_lama_diganti: dict[str, Any] | None = None
    galat: DomainError | None = None


def baca_data(db: firestore.Client, pegawai_id: str, periode: str, plt: bool = False) -> dict[str, Any]:
    """Every mirror document the check for one pegawai and period needs (three batched reads; with `plt`,
    the SKPs and predicates sebagai Plt. Kepala Sekolah too, one query each)."""
    r1 = {"ptk": _col(db, "ptk").document(cm.kunci(pegawai_id)),
          "rencana": _col(db, "rencana").document(cm.kunci(pegawai_id, periode)),
          "tahap": _col(db, "tahap").document(cm.kunci(pegawai_id, periode)),
          "predikat": _col(db, "predikat").document(cm.kunci(pegawai_id, periode))}
    r1 |= {f"status_{j}": _col(db, "status").document(cm.kunci(pegawai_id, j, periode)) for j in URUTAN_JENIS}
    data = _ambil(db, r1)
    if data["ptk"] is None:
        raise SinkroBelumSiap("data_dapodik_belum_ada",
                              "Data PTK pegawai ini belum diterima dari Dapodik, sehingga belum dapat disinkronkan.",
                              aktor=Aktor.operator_sekolah,
                              tindak_lanjut=("Operator Sekolah memastikan data PTK pegawai lengkap di Dapodik.",))
    nip = cm.nip(data["ptk"].get("nip"))
    atasan = cm.nip((data["rencana"] or {}).get("atasan_nip"))
    r2 = {}
    if nip:
        r2 |= {"siasn": _col(db, "siasn").document(cm.kunci(nip)),
               "ekinerja": _col(db, "ekinerja").document(cm.kunci(nip)),
               "skp_terkirim": _col(db, "skp_terkirim").document(cm.kunci(nip, periode))}
    if cm.npsn(data["ptk"].get("npsn_induk")):
        r2["sekolah"] = _col(db, "sekolah").document(cm.kunci(data["ptk"]["npsn_induk"]))
    if atasan:
        r2["skp_organisasi"] = _col(db, "skp_organisasi").document(cm.kunci(atasan, periode))
    if plt:
        for koleksi in ("rencana", "predikat"):
            data[f"{koleksi}_plt"] = [d.to_dict() for d in stream(
                _col(db, koleksi).where(filter=FieldFilter("ptk_id", "==", pegawai_id))
                .where(filter=FieldFilter("periode", "==", periode)).where(filter=FieldFilter("plt", "==", True))
                .limit(50))]
    return data | _ambil(db, r2)


def _ambil(db: firestore.Client, refs: dict[str, Any]) -> dict[str, Any]:
    if not refs:
        return {}
    return dict(zip(refs, read_many(db, refs.values())))


def sinkronkan(p, minta: Permintaan, now: datetime | None = None,
               gerbang: Callable[[], Any] | None = None) -> HasilSinkro:
    """Check, send and record one (pegawai, jenis, periode); see the module docstring."""
    db = p.db
    data = baca_data(db, minta.pegawai_id, minta.periode, plt=minta.jenis == "plt")
    cermin = cm.bangun_cermin(data, minta.periode)
    versi = cm.versi_untuk(minta.jenis, data)  # type: ignore[arg-type]
    status = data.get(f"status_{minta.jenis}")
    if not minta.uji and versi is not None and status and int(status.get("versi_terkirim") or 0) >= versi:
        return HasilSinkro("sudah_terkirim", minta.jenis, minta.periode, versi, status.get("log_id"),
                           status.get("id_sinkron"))
    hasil = periksa(cermin, minta.jenis, minta.tetap)  # type: ignore[arg-type]
    if isinstance(hasil.galat, BukanAsn):
        # P1: a non-ASN's plan stays in PMM. Nothing is sent and nothing failed, so nothing is logged:
        # the batch skips it, a person who pressed the button is told why.
        return HasilSinkro("dilewati" if minta.otomatis else "gagal", minta.jenis, minta.periode, versi,
                           galat=None if minta.otomatis else hasil.galat)
    if hasil.galat is not None:
        _sebut_instansi(hasil.galat, data)
    peringatan = [w.model_dump(mode="json") for w in hasil.peringatan]
    if minta.uji:
        return HasilSinkro("lolos_pemeriksaan" if hasil.ok else "gagal", minta.jenis, minta.periode, versi,
                           peringatan=peringatan, galat=hasil.galat)
    sidik = cm.sidik(cermin, minta.jenis, minta.tetap)
    if minta.otomatis and status and status.get("hasil") == "gagal" and status.get("sidik") == sidik \
            and not status.get("dapat_diulang_otomatis"):
        return HasilSinkro("dilewati", minta.jenis, minta.periode, versi)  # same data, same answer: ask a person
    konteks = _Konteks(minta, data, cermin, versi, sidik, peringatan, _utc(now))
    if not hasil.ok:
        return _catat(p, konteks, galat=hasil.galat)
    skp_lama = _skp_lama(cermin, status) if minta.jenis == "skp" and minta.tetap else None
    try:
        kiriman = _kiriman(minta, data, cermin, versi, hasil.unor_id)
        terima = _kirim(p.klien, minta.jenis, kiriman, gerbang or pembatas_laju(p).giliran)
    except DomainError as galat:
        return _catat(p, konteks, galat=_sebut_instansi(galat, data))
    return _catat(p, konteks, id_sinkron=terima.id_sinkron, skp_lama=skp_lama)


def _sebut_instansi(galat: DomainError, data: dict[str, Any]) -> DomainError:
    """Name the pegawai's own instansi (SIASN, else e-Kinerja) in a follow-up that needs an admin."""
    siasn, ekin = data.get("siasn") or {}, data.get("ekinerja") or {}
    return sebut_instansi(galat, siasn.get("instansi_id") or ekin.get("instansi_id"),
                          siasn.get("instansi_nama") or ekin.get("instansi_nama"))


def _skp_lama(cermin, status: dict | None) -> dict[str, Any] | None:
    """The SKP "Tetap Lakukan Sinkro" replaces (#12): from the mirror, else e-Kinerja's last #12 answer."""
    ekin = cermin.ekinerja
    if ekin and ekin.skp and ekin.skp.unor_id != ekin.unor_id:
        return {"unor_id": ekin.skp.unor_id, "unor_nama": ekin.skp.unor_nama}
    if status and status.get("nomor_galat") == 12:
        return {"unor_id": status.get("nilai_bkn"), "unor_nama": None}
    return None


def _kiriman(minta: Permintaan, data: dict, cermin, versi: int | None, unor_id: str | None):
    from sinkro.adapters.ekinerja import KirimPlt, KirimPredikat, KirimSkp, PenugasanPltKirim, RhkKirim

    pmm = cermin.pmm
    if minta.jenis == "skp":
        return KirimSkp(nip=pmm.nip, periode=minta.periode, versi=versi, unor_id=unor_id,
                        rhk=tuple(RhkKirim(id=r.id, uraian=r.uraian, indikator=r.indikator) for r in pmm.skp.rhk),
                        perilaku=pmm.skp.perilaku, timpa_skp_lain=minta.tetap, jabatan=pmm.peran.value,
                        atasan_nip=pmm.atasan_nip)
    if minta.jenis == "predikat":
        return KirimPredikat(nip=pmm.nip, periode=minta.periode, versi=versi, predikat=pmm.predikat.predikat)
    # "Sinkro data PLT PMM": every SKP sebagai Plt. Kepala Sekolah of the period, one per school, with its predicate
    return KirimPlt(nip=pmm.nip, periode=minta.periode, versi=versi, penugasan=tuple(
        PenugasanPltKirim(npsn=t["npsn"], nama_sekolah=t["nama_sekolah"], versi_skp=t["skp"]["versi"],
                          rhk=tuple(RhkKirim(**r) for r in t["skp"]["rhk"]), perilaku=tuple(t["skp"]["perilaku"]),
                          predikat=(t["predikat"] or {}).get("predikat"))
        for t in cm.penugasan_plt(data, minta.periode)))


def _kirim(klien, jenis: str, kiriman, gerbang=None):
    kirim = {"skp": klien.kirim_skp, "predikat": klien.kirim_predikat, "plt": klien.kirim_plt}[jenis]
    return kirim(kiriman, gerbang) if gerbang is not None else kirim(kiriman)


@dataclass
class _Konteks:
    minta: Permintaan
    data: dict[str, Any]
    cermin: Any
    versi: int | None
    sidik: str
    peringatan: list[dict[str, Any]]
    now: datetime


def _catat(p, k: _Konteks, *, galat: DomainError | None = None, id_sinkron: str | None = None,
           skp_lama: dict[str, Any] | None = None) -> HasilSinkro:
    """Record one attempt: status, log entry, mirror bookkeeping and the outcome event, in one commit."""
    m, cermin = k.minta, k.cermin
    log_id = uuid.uuid4().hex
    berhasil = galat is None
    siasn, ekin = k.data.get("siasn") or {}, k.data.get("ekinerja") or {}
    entri: dict[str, Any] = {
        "id": log_id, "pada": k.now, "pegawai_id": m.pegawai_id, "nip": cermin.pmm.nip,
        "nama": k.data["ptk"].get("nama"), "instansi_id": siasn.get("instansi_id") or ekin.get("instansi_id"),
        "npsn": cermin.pmm.sekolah.npsn if cermin.pmm.sekolah else k.data["ptk"].get("npsn_induk"),
        "jenis": m.jenis, "periode": m.periode, "versi": k.versi, "hasil": "berhasil" if berhasil else "gagal",
        "pelaku": m.pelaku, "otomatis": m.otomatis, "alasan": m.alasan, "tetap_lakukan_sinkro": m.tetap,
        "peringatan": k.peringatan, "nomor_peringatan": sorted({w["nomor"] for w in k.peringatan}),
        "id_sinkron": id_sinkron, "skp_lama_diganti": skp_lama,
    }
    if galat is not None:
        extra = galat.extra
        entri |= {"nomor_galat": extra.get("nomor_galat"), "kode": galat.kode, "pesan": galat.pesan,
                  "kondisi": extra.get("kondisi"), "aktor": extra.get("aktor"),
                  "tindak_lanjut": list(extra.get("tindak_lanjut") or []), "keterangan": extra.get("keterangan"),
                  "nilai_pmm": _polos(extra.get("nilai_pmm")), "nilai_bkn": _polos(extra.get("nilai_bkn")),
                  "rincian": extra.get("rincian"),
                  "dapat_diulang_otomatis": bool(extra.get("dapat_diulang_otomatis"))}
    else:
        entri |= {"nomor_galat": None, "kode": "berhasil", "pesan": "Data berhasil dikirim ke e-Kinerja."}

    # A principal's SKP accepted by e-Kinerja is the organisation SKP their teachers' SKPs link to (#15/#17)
    skp_organisasi = berhasil and m.jenis == "skp" and cermin.pmm.peran.value == "kepala_sekolah" \
        and cermin.pmm.nip is not None and cermin.pmm.skp is not None

    def work(tx: Tx) -> None:
        status_ref = tx.ref("status", cm.kunci(m.pegawai_id, m.jenis, m.periode))
        sumber_ref = tx.ref("rencana" if m.jenis == "skp" else "predikat", cm.kunci(m.pegawai_id, m.periode)) \
            if m.jenis in ("skp", "predikat") else None
        lama = tx.get(status_ref) or {}
        sumber = tx.get(sumber_ref) if (berhasil and sumber_ref is not None) else None
        # a Plt. send carried each Plt. SKP / predicate at the version read: those versions are sent
        plt_terkirim = [(tx.ref(koleksi, cm.kunci_payload(d)), int(d["versi"]))
                        for koleksi, d in cm.sumber_plt(k.data)] if berhasil and m.jenis == "plt" else []
        plt_sumber = [(ref, v, tx.get(ref)) for ref, v in plt_terkirim]
        org_ref = tx.ref("skp_organisasi", cm.kunci(cermin.pmm.nip, m.periode)) if skp_organisasi else None
        org_lama = tx.get(org_ref) if org_ref is not None else None
        guru_menunggu = _status_gagal(tx, atasan_nip=cermin.pmm.nip, periode=m.periode) if org_ref else []
        terkirim = int(lama.get("versi_terkirim") or 0)
        if berhasil and k.versi is not None:
            terkirim = max(terkirim, k.versi)
        tx.create(tx.ref("log", log_id), entri)
        tx.set(status_ref, {
            "ptk_id": m.pegawai_id, "jenis": m.jenis, "periode": m.periode, "nip": cermin.pmm.nip,
            "npsn": k.data["ptk"].get("npsn_induk"),
            "nama": entri["nama"], "atasan_nip": cermin.pmm.atasan_nip, "instansi_id": entri["instansi_id"],
            "hasil": entri["hasil"], "nomor_galat": entri["nomor_galat"], "kode": entri["kode"],
            "aktor": entri.get("aktor"), "nilai_pmm": entri.get("nilai_pmm"), "nilai_bkn": entri.get("nilai_bkn"),
            "dapat_diulang_otomatis": entri.get("dapat_diulang_otomatis", False), "sidik": k.sidik,
            "versi_dicoba": k.versi, "versi_terkirim": terkirim, "log_id": log_id,
            "id_sinkron": id_sinkron or lama.get("id_sinkron"), "pada": k.now})
        if sumber is not None:
            tx.update(sumber_ref, {"versi_terkirim": max(terkirim, int(sumber.get("versi_terkirim") or 0)),
                                   "perlu_sinkro": int(sumber["versi"]) > terkirim})
        for ref, v, doc in plt_sumber:
            if doc is not None:
                dikirim = max(v, int(doc.get("versi_terkirim") or 0))
                tx.update(ref, {"versi_terkirim": dikirim, "perlu_sinkro": int(doc["versi"]) > dikirim})
        if berhasil and m.jenis == "skp":
            unor = cermin.siasn.unor if cermin.siasn else None
            unor_id = (cermin.ekinerja.unor_id if cermin.ekinerja and cermin.ekinerja.unor_id else None) or \
                (unor.id if unor else None)
            tx.set(tx.ref("skp_terkirim", cm.kunci(cermin.pmm.nip, m.periode)),
                   {"unor_id": unor_id, "unor_nama": unor.nama if unor else None, "pada": k.now.isoformat()})
        if org_ref is not None:
            # the mirror's own record of it (e-Kinerja's later event with a higher versi still wins);
            # the teachers blocked by #15/#17 on this principal are retried at once
            tx.set(org_ref, {"atasan_nip": cermin.pmm.nip, "periode": m.periode, "ada": True,
                             "jumlah_rhk": len(cermin.pmm.skp.rhk), "versi": int((org_lama or {}).get("versi", 0)),
                             "sumber": "sinkro_kepala_sekolah", "pada": k.now.isoformat()})
            _ulangi(tx, guru_menunggu, alasan="skp_organisasi_dibuat")
        if isinstance(galat, EkinerjaMembatasi):
            # e-Kinerja asked us to wait: schedule this one item again after its Retry-After (never "done")
            tx.emit(make_event(LAYANAN, "sinkro.batch.dijadwalkan", BatchDijadwalkan(
                batch_id=uuid.uuid4().hex, alasan="ulang_laju",
                butir=[ButirSinkro(pegawai_id=m.pegawai_id, jenis=m.jenis, periode=m.periode)],
                tidak_sebelum=k.now + timedelta(seconds=galat.coba_lagi_detik))))
        if berhasil:
            tx.emit(make_event(LAYANAN, "sinkro.sinkronisasi.berhasil", SinkronisasiBerhasil(
                log_id=log_id, pegawai_id=m.pegawai_id, jenis=m.jenis, periode=m.periode, versi=k.versi or 0,
                id_sinkron=id_sinkron or "", peringatan=entri["nomor_peringatan"], pada=k.now),
                subject=f"pegawai/{m.pegawai_id}"))
        else:
            tx.emit(make_event(LAYANAN, "sinkro.sinkronisasi.gagal", SinkronisasiGagal(
                log_id=log_id, pegawai_id=m.pegawai_id, jenis=m.jenis, periode=m.periode, versi=k.versi,
                nomor_galat=entri["nomor_galat"], kode=entri["kode"], aktor=entri.get("aktor"),
                dapat_diulang_otomatis=entri.get("dapat_diulang_otomatis", False), pada=k.now),
                subject=f"pegawai/{m.pegawai_id}"))

    p.uow.run(work)
    log.info("sinkronisasi dicatat", extra={"log_id": log_id, "jenis": m.jenis, "hasil": entri["hasil"],
                                            "nomor_galat": entri["nomor_galat"], "otomatis": m.otomatis})
    if galat is not None:
        galat.extra["log_id"] = log_id
    return HasilSinkro(entri["hasil"], m.jenis, m.periode, k.versi, log_id, id_sinkron, k.peringatan, skp_lama,
                       galat)


def _polos(nilai: Any) -> Any:
    return nilai if nilai is None or isinstance(nilai, (str, int, float, bool)) else str(nilai)


# --- the HTTP use cases

def minta_sinkro(p, sub: str, email: str | None, *, nip: str | None, jenis: str, periode: str, tetap: bool,
                 uji: bool, now: datetime) -> HasilSinkro:
    """S1: a pegawai for themselves, an Admin Instansi for a pegawai of their instansi."""
    pelaku = kenali(p.db, sub, email)
    if nip is None or (pelaku.ptk and pelaku.ptk.get("nip") == nip):
        sebagai = pastikan_boleh(pelaku, nip, set())
        target = pelaku.ptk
    else:
        target = _ptk_menurut_nip(p.db, nip)
        sebagai = pastikan_boleh(pelaku, nip, _instansi(p.db, cm.nip(nip)))
    return sinkronkan(p, Permintaan(target["ptk_id"], jenis, periode, pelaku.catatan(sebagai), tetap=tetap, uji=uji),
                      now)


def minta_sinkro_mitra(p, mitra: str, *, nip: str, jenis: str, periode: str, tetap: bool, now: datetime) -> HasilSinkro:
    """e-Kinerja's "Sinkro PMM" button calling our partner API for one NIP."""
    target = _ptk_menurut_nip(p.db, nip)
    return sinkronkan(p, Permintaan(target["ptk_id"], jenis, periode, {"peran": "mitra", "id": mitra}, tetap=tetap),
                      now)


# ======================================================================
# Log Sinkronisasi (S2)
# ======================================================================

@dataclass
class Saring:
    instansi_id: str | None = None
    nomor_galat: int | None = None
    hasil: str | None = None
    jenis: str | None = None
    periode: str | None = None
    nip: str | None = None
    npsn: str | None = None


def _instansi_admin(pelaku: Pelaku, diminta: str | None) -> list[str]:
    from shared.errors import Forbidden

    milik = sorted(pelaku.instansi_admin)
    if not milik:
        raise Forbidden("bukan_admin_instansi", "Log Sinkronisasi PMM hanya dapat dibuka oleh Admin Instansi.")
    if diminta is not None:
        if diminta not in milik:
            raise Forbidden("bukan_instansi_anda", "Anda bukan Admin Instansi untuk instansi tersebut.")
        return [diminta]
    return milik[:30]


def _query_log(db, instansi: list[str] | None, s: Saring, pegawai_id: str | None = None):
    q = _col(db, "log")
    if pegawai_id is not None:
        q = q.where(filter=FieldFilter("pegawai_id", "==", pegawai_id))
    if instansi is not None:
        q = q.where(filter=FieldFilter("instansi_id", "in", instansi) if len(instansi) > 1
                    else FieldFilter("instansi_id", "==", instansi[0]))
    for nama in ("nomor_galat", "hasil", "jenis", "periode", "nip", "npsn"):
        nilai = getattr(s, nama)
        if nilai is not None:
            q = q.where(filter=FieldFilter(nama, "==", nilai))
    return q


def _halaman(db, q, koleksi: str, batas: int, kursor: str | None) -> tuple[list[dict], str | None]:
    q = q.order_by("pada", direction=firestore.Query.DESCENDING)
    if kursor:
        try:
            doc_id = base64.urlsafe_b64decode(kursor.encode()).decode()
        except Exception:  # noqa: BLE001
            raise DomainError("kursor_tidak_valid", "Kursor halaman tidak valid.", status=400) from None
        snap = read_snapshot(_col(db, koleksi).document(doc_id))
        if not snap.exists:
            raise DomainError("kursor_tidak_valid", "Kursor halaman tidak valid.", status=400)
        q = q.start_after(snap)
    docs = stream(q.limit(batas + 1))
    berikut = base64.urlsafe_b64encode(docs[batas - 1].id.encode()).decode() if len(docs) > batas else None
    return [d.to_dict() | {"id": d.id} for d in docs[:batas]], berikut


def log_admin(p, sub: str, email: str | None, s: Saring, batas: int, kursor: str | None):
    pelaku = kenali(p.db, sub, email)
    return _halaman(p.db, _query_log(p.db, _instansi_admin(pelaku, s.instansi_id), s), "log", batas, kursor)


def riwayat_saya(p, sub: str, email: str | None, s: Saring, batas: int, kursor: str | None):
    pelaku = kenali(p.db, sub, email)
    pastikan_boleh(pelaku, None, set())
    return _halaman(p.db, _query_log(p.db, None, s, pegawai_id=pelaku.ptk["ptk_id"]), "log", batas, kursor)


def pegawai_terdampak(p, sub: str, email: str | None, s: Saring, batas: int, kursor: str | None):
    """Pegawai whose latest attempt failed (the recap's "who"), filterable and paginated."""
    pelaku = kenali(p.db, sub, email)
    instansi = _instansi_admin(pelaku, s.instansi_id)
    q = _col(p.db, "status").where(filter=FieldFilter("hasil", "==", "gagal"))
    q = q.where(filter=FieldFilter("instansi_id", "in", instansi) if len(instansi) > 1
                else FieldFilter("instansi_id", "==", instansi[0]))
    for nama in ("nomor_galat", "jenis", "periode"):
        if getattr(s, nama) is not None:
            q = q.where(filter=FieldFilter(nama, "==", getattr(s, nama)))
    return _halaman(p.db, q, "status", batas, kursor)


def rekap(p, sub: str, email: str | None, s: Saring) -> list[dict[str, Any]]:
    """Per documented error: attempts in the log, pegawai still affected, warnings (#4 A, #12 replaced)."""
    pelaku = kenali(p.db, sub, email)
    instansi = _instansi_admin(pelaku, s.instansi_id)
    dasar_log = _query_log(p.db, instansi, Saring(jenis=s.jenis, periode=s.periode))
    dasar_status = _col(p.db, "status").where(filter=FieldFilter("hasil", "==", "gagal"))
    dasar_status = dasar_status.where(filter=FieldFilter("instansi_id", "in", instansi) if len(instansi) > 1
                                      else FieldFilter("instansi_id", "==", instansi[0]))
    for nama in ("jenis", "periode"):
        if getattr(s, nama) is not None:
            dasar_status = dasar_status.where(filter=FieldFilter(nama, "==", getattr(s, nama)))
    nomor = [s.nomor_galat] if s.nomor_galat else list(KATALOG)

    def hitung(n: int) -> dict[str, Any]:
        percobaan = count(dasar_log.where(filter=FieldFilter("nomor_galat", "==", n)))
        pegawai = count(dasar_status.where(filter=FieldFilter("nomor_galat", "==", n)))
        peringatan = count(dasar_log.where(filter=FieldFilter("nomor_peringatan", "array_contains", n))) \
            if n in (4, 12) else 0
        e = KATALOG[n]
        return {"nomor_galat": n, "kode": e.kode, "pesan": e.pesan, "aktor": e.aktor.value,
                "tindak_lanjut": list(e.tindak_lanjut), "jumlah_percobaan": percobaan,
                "jumlah_pegawai": pegawai, "jumlah_peringatan": peringatan}

    with ThreadPoolExecutor(8) as ex:
        semua = list(ex.map(carry_op_count(hitung), nomor))
    return [r for r in semua if r["jumlah_percobaan"] or r["jumlah_pegawai"] or r["jumlah_peringatan"]]


KOLOM_CSV = ("pada", "nip", "nama", "instansi_id", "npsn", "jenis", "periode", "versi", "hasil", "nomor_galat",
             "kode", "kondisi", "aktor", "pesan", "nilai_pmm", "nilai_bkn", "peringatan", "skp_lama_diganti",
             "pelaku", "otomatis", "tindak_lanjut")
BATAS_CSV = 50_000
BATAS_WAKTU_CSV = 240.0  # seconds of streaming; well inside the HTTP function's timeout and the gateway's
PENANDA_TERPOTONG = "# EKSPOR TERPOTONG"
# Opened by an Admin Instansi in Excel with Indonesian regional settings (README "CSV export"): UTF-8 with a
# BOM (else Excel reads it as ANSI and breaks names), `;` as delimiter (the id-ID list separator; a `sep=`
# line would make Excel ignore the BOM), times in WIB as Excel parses them, the zone named in the header.
BOM_CSV = "\ufeff"
PEMISAH_CSV = ";"
ZONA_CSV = timezone(timedelta(hours=7), "WIB")  # Asia/Jakarta: fixed UTC+7, no DST since 1964 (no tzdata needed)
JUDUL_CSV = {"pada": "pada (WIB, Asia/Jakarta)"}


def _sel(nilai: Any) -> str:
    if nilai is None:
        return ""
    if isinstance(nilai, datetime):
        teks = nilai.astimezone(ZONA_CSV).strftime("%Y-%m-%d %H:%M:%S")
    elif isinstance(nilai, (list, tuple)):
        teks = " | ".join(_sel(v) for v in nilai)
    elif isinstance(nilai, dict):
        teks = "; ".join(f"{k}={_sel(v)}" for k, v in nilai.items() if v is not None)
    else:
        teks = str(nilai)
    return "'" + teks if teks[:1] in ("=", "+", "-", "@", "\t", "\r") else teks  # no formula injection


@dataclass
class EksporCsv:
    """The export's rows and what the response headers must say before the first byte."""

    baris: Iterator[str]
    jumlah_cocok: int  # entries matching the filter, counted up to batas + 1
    batas_baris: int
    batas_waktu: float

    @property
    def terpotong_batas_baris(self) -> bool:
        return self.jumlah_cocok > self.batas_baris


def _penanda(alasan: str, ditulis: int, batas: str) -> list[str]:
    """The last row of a cut export: says it is cut, why, and what to do (never a silent cut)."""
    return [f"{PENANDA_TERPOTONG}: {alasan}",
            f"Hanya {ditulis} baris pertama (terbaru) yang diekspor karena {batas}. Persempit saringan "
            "(periode, jenis, nomor_galat, nip, npsn) lalu ekspor lagi."] + [""] * (len(KOLOM_CSV) - 2)


def ekspor_csv(p, sub: str, email: str | None, s: Saring, *, batas: int = BATAS_CSV,
               batas_waktu: float = BATAS_WAKTU_CSV, jam: Callable[[], float] = time.monotonic) -> EksporCsv:
    """The filtered log as CSV rows (streamed; spreadsheet formulas neutralised), newest first.

    At most `batas` rows and `batas_waktu` seconds of streaming. A row-limit cut is known before
    streaming (a count() aggregation), so the response header says it; either cut ends the file
    with a marker row (a time cut can only be told there: the headers are already sent)."""
    pelaku = kenali(p.db, sub, email)
    dasar = _query_log(p.db, _instansi_admin(pelaku, s.instansi_id), s)
    jumlah = count(dasar.limit(batas + 1))
    q = dasar.order_by("pada", direction=firestore.Query.DESCENDING).limit(batas)

    def baris():
        mulai = jam()
        buf = io.StringIO()
        buf.write(BOM_CSV)
        tulis = csv.writer(buf, delimiter=PEMISAH_CSV)
        tulis.writerow([JUDUL_CSV.get(k, k) for k in KOLOM_CSV])
        ditulis = 0
        for d in iter_stream(q):
            if jam() - mulai > batas_waktu:
                tulis.writerow(_penanda("batas_waktu", ditulis, f"batas waktu ekspor {batas_waktu:g} detik tercapai"))
                log.warning("ekspor csv terpotong", extra={"alasan": "batas_waktu", "baris": ditulis})
                break
            ditulis += 1
            e = d.to_dict()
            e["peringatan"] = [f"#{w['nomor']}{w.get('kondisi') or ''}" for w in e.get("peringatan") or []]
            e["pelaku"] = (e.get("pelaku") or {}).get("peran")
            tulis.writerow([_sel(e.get(k)) for k in KOLOM_CSV])
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
        else:
            if jumlah > batas:
                tulis.writerow(_penanda("batas_baris", ditulis, f"batas {batas} baris tercapai"))
                log.warning("ekspor csv terpotong", extra={"alasan": "batas_baris", "baris": ditulis})
        if buf.getvalue():
            yield buf.getvalue()

    return EksporCsv(baris(), jumlah, batas, batas_waktu)


# ======================================================================
# The scheduled batch
# ======================================================================

def potong(butir: list[tuple[str, str, str]], ukuran: int) -> list[list[tuple[str, str, str]]]:
    """Chunks of about `ukuran` items; a pegawai's items stay in one chunk (SKP before predicate)."""
    potongan: list[list[tuple[str, str, str]]] = [[]]
    for i, b in enumerate(butir):
        if len(potongan[-1]) >= ukuran and (i == 0 or butir[i - 1][0] != b[0]):
            potongan.append([])
        potongan[-1].append(b)
    return [c for c in potongan if c]


def event_potongan(potongan: list[list[tuple[str, str, str]]], alasan: str,
                   id_dari: Callable[[int], str] | None = None) -> list[Event]:
    """One `sinkro.batch.dijadwalkan` per chunk; `id_dari(i)` gives chunk i a deterministic id (event
    id = batch id), so the same chunk emitted twice is one chunk to its consumer."""
    events = []
    for i, chunk in enumerate(potongan):
        batch_id = id_dari(i) if id_dari else uuid.uuid4().hex
        event = make_event(LAYANAN, "sinkro.batch.dijadwalkan", BatchDijadwalkan(
            batch_id=batch_id, alasan=alasan,
            butir=[ButirSinkro(pegawai_id=a, jenis=b, periode=c) for a, b, c in chunk]))
        events.append(event.model_copy(update={"id": batch_id}) if id_dari else event)
    return events


# --- the daily batch: paged fan-out, safe to redo ---------------------------------------------
# Source documents of both kinds share their id, cm.kunci(pegawai, periode), so one cursor over
# document ids walks SKPs and predicates together and a pegawai's SKP and predicate of a periode
# land in the same page (and chunk): the SKP is still sent first (#13). An SKP sebagai Plt. and its
# predicate share theirs too (cm.kunci_sumber with the school) and go out as one `plt` item.
UKURAN_HALAMAN = 1000  # documents per kind per page: <= 2,000 items, ~20 chunk events + 1 write a commit
ANGGARAN_HARIAN_DETIK = 80.0  # below the tick consumer's 120 s timeout (= its push ack deadline)


class HarianBelumSelesai(RuntimeError):
    """The daily fan-out ran out of its time budget: raised so Pub/Sub delivers the tick again; the
    next delivery continues after the last committed page."""


def halaman_tertunda(db: firestore.Client, setelah: str | None,
                     ukuran: int = UKURAN_HALAMAN) -> tuple[list[tuple[str, str, str]], str | None]:
    """One page of pending items whose source document id comes after `setelah`: (items in send
    order, the id the next page starts after, or None when this was the last page)."""
    per_jenis = {}
    for koleksi, jenis in (("rencana", "skp"), ("predikat", "predikat")):
        # An equality-only query runs in document-id order on the single-field index (no composite);
        # a snapshot cursor keeps it so (the client orders by __name__ for it).
        q = _col(db, koleksi).where(filter=FieldFilter("perlu_sinkro", "==", True)).limit(ukuran)
        if setelah is not None:
            q = q.start_after(firestore.DocumentSnapshot(_col(db, koleksi).document(setelah), {}, True,
                                                         None, None, None))
        per_jenis[jenis] = stream(q.select(["ptk_id", "periode", "plt"]))
    # a kind that filled its page may have more: the page ends at the smallest such last id
    sampai = min((docs[-1].id for docs in per_jenis.values() if len(docs) >= ukuran), default=None)
    butir = {(d.get("ptk_id"), "plt" if (d.to_dict() or {}).get("plt") else jenis, d.get("periode"))
             for jenis, docs in per_jenis.items() for d in docs if sampai is None or d.id <= sampai}
    return sorted(butir, key=lambda b: (b[0], URUTAN_JENIS[b[1]], b[2])), sampai


def jadwalkan_harian(p, konsumen: str, tick: Event, ukuran_halaman: int = UKURAN_HALAMAN,
                     anggaran_detik: float = ANGGARAN_HARIAN_DETIK, jam: Callable[[], float] = time.monotonic
                     ) -> dict[str, int]:
    """Fan the pending SKPs and predicates out, page by page: each page is one transaction with
    its chunk events (outbox) and the tick's progress (page number, cursor) in the ledger. Chunk ids
    are derived from the tick id, page and position, and a page already committed is skipped, so a
    redelivered tick (or two deliveries at once) emits no chunk twice. The last page writes the
    tick's ledger entry. Out of time budget: raises HarianBelumSelesai (redelivered; continues)."""
    mulai = jam()
    kemajuan_ref = ledger_ref(p.db, LAYANAN, konsumen, f"{tick.id}~kemajuan")
    kemajuan = read(kemajuan_ref) or {"halaman": 0, "setelah": None}
    hitung = {"halaman": 0, "potongan": 0, "butir": 0}
    while not kemajuan.get("selesai"):
        if jam() - mulai >= anggaran_detik:
            log.warning("daily fan-out out of time; continues on redelivery",
                        extra={"event_id": tick.id, "halaman": kemajuan["halaman"]} | hitung)
            raise HarianBelumSelesai(f"daily fan-out stopped at page {kemajuan['halaman']}")
        halaman = int(kemajuan["halaman"])
        butir, sampai = halaman_tertunda(p.db, kemajuan.get("setelah"), ukuran_halaman)
        events = event_potongan(potong(butir, p.settings.ukuran_potongan), "jadwal_harian",
                                lambda i, h=halaman: cm.kunci(tick.id, str(h), str(i)))

        def work(tx: Tx, halaman=halaman, events=events, sampai=sampai, n=len(butir)) -> tuple[dict, bool]:
            sekarang = tx.get(kemajuan_ref) or {"halaman": 0}
            if int(sekarang["halaman"]) != halaman:  # another delivery committed this page already
                return sekarang, False
            for e in events:
                tx.emit(e)
            baru = ledger_document(konsumen, tick) | {"halaman": halaman + 1, "setelah": sampai,
                                                      "selesai": sampai is None}
            tx.set(kemajuan_ref, baru)
            if sampai is None:
                tx.set(ledger_ref(tx.db, LAYANAN, konsumen, tick.id), ledger_document(konsumen, tick))
            return baru, True

        kemajuan, ditulis = p.uow.run(work)
        if ditulis:
            hitung["halaman"] += 1
            hitung["potongan"] += len(events)
            hitung["butir"] += len(butir)
    log.info("batch harian dijadwalkan", extra={"event_id": tick.id} | hitung)
    return hitung


_kunci_pembatas = threading.Lock()
_pembatas: dict[tuple[int, int], PembatasLaju] = {}


def pembatas_laju(p) -> PembatasLaju:
    """The process-wide limiter of batch sends: this process's share of `laju_per_detik`
    (split over `pengirim_maks` processes), shared by every chunk this process runs."""
    s = p.settings
    kunci = (batas_proses(s.laju_per_detik, s.pengirim_maks), s.paralel_kirim)
    with _kunci_pembatas:
        if kunci not in _pembatas:
            _pembatas[kunci] = PembatasLaju(kunci[0], maks_jalan=s.paralel_kirim)
        return _pembatas[kunci]


def proses_potongan(p, batch: BatchDijadwalkan, pembatas: PembatasLaju | None = None) -> dict[str, int]:
    """Sync one chunk: pegawai in parallel (bounded), each pegawai's items in order, every
    HTTP attempt admitted by the process's sliding-window limiter (`domain/laju.py`)."""
    pembatas = pembatas or pembatas_laju(p)
    per_pegawai: dict[str, list[ButirSinkro]] = {}
    for b in batch.butir:
        per_pegawai.setdefault(b.pegawai_id, []).append(b)
    hitung: dict[str, int] = {}
    galat_tak_terduga: list[BaseException] = []

    def satu(butir: list[ButirSinkro]) -> None:
        for b in sorted(butir, key=lambda x: URUTAN_JENIS.get(x.jenis, 9)):
            try:
                r = sinkronkan(p, Permintaan(b.pegawai_id, b.jenis, b.periode, {"peran": "sistem", "id": batch.alasan},
                                             otomatis=True, alasan=batch.alasan), gerbang=pembatas.giliran)
                kunci = r.hasil
            except DomainError as exc:  # e.g. no Dapodik record yet: nothing to send, nothing to retry now
                kunci = exc.kode
            except BaseException as exc:  # noqa: BLE001 - infrastructure: let Pub/Sub redeliver the chunk
                galat_tak_terduga.append(exc)
                kunci = "galat_internal"
            hitung[kunci] = hitung.get(kunci, 0) + 1

    with ThreadPoolExecutor(max_workers=min(p.settings.paralel_kirim, max(1, len(per_pegawai)))) as ex:
        list(ex.map(satu, per_pegawai.values()))
    log.info("potongan selesai", extra={"batch_id": batch.batch_id, "hitung": hitung,
                                        "batas_per_detik": pembatas.batas})
    if galat_tak_terduga:
        raise galat_tak_terduga[0]
    return hitung


TUNGGU_DALAM_PROSES_MAKS = 60.0  # seconds a chunk consumer may wait for `tidak_sebelum` itself


class BelumWaktunya(RuntimeError):
    """A chunk whose `tidak_sebelum` is further away than a consumer should sleep: failing the
    delivery makes Pub/Sub redeliver it later (the subscription's retry backoff); the items stay
    unsent and pending (`perlu_sinkro`), so a dead-lettered chunk is still picked up by the daily batch."""


def tunggu_giliran(batch: BatchDijadwalkan, now: datetime, tidur: Callable[[float], None] = time.sleep) -> None:
    """Honour e-Kinerja's Retry-After carried by a rescheduled chunk (`alasan` ulang_laju)."""
    if batch.tidak_sebelum is None:
        return
    sisa = (batch.tidak_sebelum - now).total_seconds()
    if sisa <= 0:
        return
    if sisa > TUNGGU_DALAM_PROSES_MAKS:
        raise BelumWaktunya(f"potongan {batch.batch_id} baru boleh dikirim {sisa:.0f} dtk lagi")
    tidur(sisa)


def sudah_diproses(db: firestore.Client, konsumen: str, event_id: str) -> bool:
    return read_snapshot(ledger_ref(db, LAYANAN, konsumen, event_id)).exists


def tandai_diproses(p, konsumen: str, event: Event) -> None:
    p.uow.run(lambda tx: tx.set(ledger_ref(tx.db, LAYANAN, konsumen, event.id), ledger_document(konsumen, event)))
