"""Sinkro PMM on the whole local stack (S1-S4): events on the real topics, HTTP through the gateway.

Every documented error #1-#20 is produced from events alone (plus the e-Kinerja
stand-in's per-NIP behaviour for the errors only e-Kinerja can raise: #6, #8, #9),
answered with exactly its number, actor and follow-up, and then cleared by fixing
the data: a reference event (the service retries by itself), a retry, or
"Tetap Lakukan Sinkro". The stack is shared and never wiped: every world has
unique NIPs, ids and instansi.
"""
from __future__ import annotations

import random
import uuid

import pytest
import requests
from google.cloud import pubsub_v1
from google.cloud.firestore_v1.base_query import FieldFilter

from local.cloud import LOCAL_PARTNER_KEY, publish_tick
from shared.events import make_event
from sinkro.domain.cermin import kunci
from sinkro.domain.galat import entri
from tests.support import Firestores, wait_until
from tests.unit.sinkro.skenario import PERIODE, SKENARIO, Dunia, admin

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def bus(stack):
    publisher = pubsub_v1.PublisherClient()
    db = Firestores(stack.project)

    def terbit(events) -> None:
        futures = []
        for topic, payload in events:
            data, attributes = make_event("uji-e2e", topic, payload).to_pubsub()
            futures.append(publisher.publish(publisher.topic_path(stack.project, topic), data, **attributes))
        for f in futures:
            f.result(timeout=30)

    terbit.db = db
    return terbit


def _dokumen(db, koleksi: str, doc_id: str):
    snap = db.collection(f"sinkro__{koleksi}").document(doc_id).get()
    return snap.to_dict() if snap.exists else None


def tunggu_cermin(db, d: Dunia, timeout: float = 90) -> None:
    """Wait until the sinkro mirror holds every record of the world at its published version."""
    harap = [("ptk", kunci(d.ptk_id), d.ptk["versi"]), ("siasn", kunci(d.siasn["nip"]), d.siasn["versi"]),
             ("ekinerja", kunci(d.ekinerja["nip"]), d.ekinerja["versi"]), ("sekolah", kunci(d.sekolah["npsn"]), 1)]
    if d.rencana:
        harap.append(("rencana", kunci(d.ptk_id, PERIODE), d.rencana["versi"]))
    if d.organisasi:
        harap.append(("skp_organisasi", kunci(d.nip_atasan, PERIODE), d.organisasi["versi"]))
    if d.predikat:
        harap.append(("predikat", kunci(d.ptk_id, PERIODE), d.predikat["versi"]))

    def siap():
        return all((doc := _dokumen(db, k, i)) is not None and doc["versi"] >= v for k, i, v in harap)

    wait_until(siap, timeout=timeout, interval=0.3, what=f"cermin {d.u}")


def buat_dunia(sk=None, instansi: str | None = None) -> Dunia:
    d = Dunia(uuid.uuid4().hex[:10], random.Random())
    if instansi:
        d.instansi = instansi
        d.siasn["instansi_id"] = d.ekinerja["instansi_id"] = instansi
    if sk is not None:
        sk.rusak(d)
    return d


@pytest.fixture(scope="module")
def dunia_skenario(bus):
    """All scenario worlds published at once, so the suite waits for the mirror only once."""
    worlds = {sk.id: buat_dunia(sk) for sk in SKENARIO}
    bus([e for d in worlds.values() for e in d.events()])
    for d in worlds.values():
        tunggu_cermin(bus.db, d)
    return worlds


def standin(stack) -> str:
    return f"http://127.0.0.1:{stack.ports.ekinerja}"


def sinkron(klien, jenis="skp", **lain):
    return klien.post("/v1/sinkro/sinkronisasi", json={"jenis": jenis, "periode": PERIODE, **lain})


def terakhir(klien, jenis: str):
    r = klien.get("/v1/sinkro/riwayat", params={"jenis": jenis, "periode": PERIODE, "batas": 1})
    assert r.status_code == 200, r.text
    butir = r.json()["butir"]
    return butir[0] if butir else None


@pytest.mark.parametrize("sk", SKENARIO, ids=[s.id for s in SKENARIO])
def test_s3_galat_dari_event_dengan_aktor_dan_tindak_lanjut_lalu_perbaikan(stack, as_user, bus, dunia_skenario, sk):
    d = dunia_skenario[sk.id]
    guru = as_user(f"sub-{d.u}", d.email)
    if sk.standin:
        requests.put(f"{standin(stack)}/_admin/perilaku/{d.nip}", json=sk.standin, timeout=10).raise_for_status()
    r = sinkron(guru, sk.jenis)
    if sk.perbaikan == "peringatan":
        assert r.status_code == 200, r.text
        [w] = r.json()["peringatan"]
        assert (w["nomor"], w["kondisi"], w["aktor"]) == (4, "A", "admin_instansi")
        assert (w["nilai_pmm"], w["nilai_bkn"]) == ("SDN 4 Pagi", "SD Negeri 4 Pagi")
        return
    masalah = r.json()
    assert r.headers["Content-Type"] == "application/problem+json", r.text
    katalog = entri(sk.nomor)
    assert (masalah["nomor_galat"], masalah.get("kondisi"), masalah["aktor"]) == (sk.nomor, sk.kondisi, sk.aktor)
    assert masalah["kode"] == katalog.kode and masalah["pesan"] == katalog.pesan
    varian = katalog.cari_kondisi(sk.kondisi) if sk.kondisi else katalog
    assert masalah["tindak_lanjut"][:len(varian.tindak_lanjut)] == list(varian.tindak_lanjut)
    if "hubungi" in masalah:  # a follow-up that needs an admin names the pegawai's own instansi / BKD
        assert masalah["hubungi"]["instansi_nama"] == d.instansi_nama
        assert f"BKD {d.instansi_nama.removeprefix('Pemerintah ')}" in masalah["tindak_lanjut"][-1]
    else:
        assert masalah["tindak_lanjut"] == list(varian.tindak_lanjut)
    assert r.status_code == katalog.status_http
    assert terakhir(guru, sk.jenis)["nomor_galat"] == sk.nomor  # the pegawai's own history (S2)

    if sk.perbaikan == "otomatis":
        bus(sk.perbaiki(d))  # the source system fixes the data; the service retries by itself
        entri_baru = wait_until(lambda: (e := terakhir(guru, sk.jenis)) and e["hasil"] == "berhasil" and e,
                                timeout=90, interval=0.5, what=f"ulang otomatis #{sk.nomor}")
        assert entri_baru["otomatis"] and entri_baru["pelaku"]["peran"] == "sistem"
    elif sk.perbaikan == "ulang":
        requests.delete(f"{standin(stack)}/_admin/perilaku/{d.nip}", timeout=10)
        ulang = sinkron(guru, sk.jenis)
        assert ulang.status_code == 200 and ulang.json()["hasil"] == "berhasil", ulang.text
    elif sk.perbaikan == "tetap":
        ulang = sinkron(guru, "skp", tetap_lakukan_sinkro=True)
        assert ulang.status_code == 200, ulang.text
        assert ulang.json()["skp_lama_diganti"]["unor_id"] == f"unor-lama-{d.u}"
        assert terakhir(guru, "skp")["skp_lama_diganti"]["unor_id"] == f"unor-lama-{d.u}"
    kiriman = [c for c in requests.get(f"{standin(stack)}/_admin/diterima", timeout=10).json()["diterima"]
               if c["nip"] == d.nip and c["jenis"] == sk.jenis]
    assert [c["jumlah_diterima"] for c in kiriman] == [1]
    # the same version again changes nothing (S1 idempotency)
    lagi = sinkron(guru, sk.jenis)
    assert lagi.status_code == 200 and lagi.json()["hasil"] == "sudah_terkirim", lagi.text


def test_s2_rekap_admin_instansi_menghitung_per_nomor_dan_ekspor_csv(stack, as_user, bus):
    instansi = f"inst-rekap-{uuid.uuid4().hex[:8]}"
    tujuh = [s for s in SKENARIO if s.id == "7"][0]
    enam_belas = [s for s in SKENARIO if s.id == "16"][0]
    worlds = [buat_dunia(tujuh, instansi), buat_dunia(tujuh, instansi), buat_dunia(enam_belas, instansi)]
    email_admin = f"admin-{uuid.uuid4().hex[:8]}@belajar.id"
    bus([e for d in worlds for e in d.events()] + [admin(f"adm-{instansi}", email_admin, [instansi])])
    for d in worlds:
        tunggu_cermin(bus.db, d)
    wait_until(lambda: list(bus.db.collection("sinkro__admin").where(filter=FieldFilter("email", "==", email_admin)).stream()),
               timeout=60, what="admin cermin")
    for d in worlds:
        assert sinkron(as_user(f"sub-{d.u}", d.email)).status_code == 422
    adm = as_user(f"sub-{email_admin}", email_admin)
    # the Admin Instansi syncs for a pegawai of their instansi (S1): recorded with them as actor
    r = sinkron(adm, nip=worlds[0].nip)
    assert r.status_code == 422 and r.json()["nomor_galat"] == 7

    rekap = adm.get("/v1/sinkro/log/rekap")
    assert rekap.status_code == 200, rekap.text
    baris = {b["nomor_galat"]: b for b in rekap.json()["baris"]}
    assert set(baris) == {7, 16}
    assert (baris[7]["jumlah_percobaan"], baris[7]["jumlah_pegawai"]) == (3, 2)
    assert (baris[16]["jumlah_percobaan"], baris[16]["jumlah_pegawai"]) == (1, 1)
    assert baris[7]["aktor"] == "operator_sekolah" and baris[7]["tindak_lanjut"]

    halaman1 = adm.get("/v1/sinkro/log", params={"nomor_galat": 7, "batas": 2}).json()
    assert len(halaman1["butir"]) == 2 and halaman1["kursor_berikutnya"]
    halaman2 = adm.get("/v1/sinkro/log", params={"nomor_galat": 7, "batas": 2,
                                                 "kursor": halaman1["kursor_berikutnya"]}).json()
    assert len(halaman2["butir"]) == 1 and halaman2["kursor_berikutnya"] is None
    semua = halaman1["butir"] + halaman2["butir"]
    assert {b["pelaku"]["peran"] for b in semua} == {"guru", "admin_instansi"}
    assert all(b["nilai_pmm"] == "HONORER" for b in semua)  # the differing values side by side
    enam = adm.get("/v1/sinkro/log", params={"nomor_galat": 16}).json()["butir"]
    assert (enam[0]["nilai_pmm"], enam[0]["nilai_bkn"]) == (worlds[2].nip_atasan, worlds[2].nip_salah)
    terdampak = adm.get("/v1/sinkro/log/pegawai", params={"nomor_galat": 7}).json()["butir"]
    assert sorted(b["nip"] for b in terdampak) == sorted([worlds[0].nip, worlds[1].nip])

    csv = adm.get("/v1/sinkro/log/ekspor.csv")
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
    assert csv.headers["X-Ekspor-Terpotong"] == "tidak" and csv.headers["X-Ekspor-Batas-Baris"] == "50000"
    baris_csv = csv.text.strip().splitlines()
    assert csv.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert baris_csv[0].startswith("\ufeffpada (WIB, Asia/Jakarta);nip;nama") and len(baris_csv) == 1 + 4

    # S1 boundaries: a guru cannot sync someone else; an admin not for another instansi
    lain = buat_dunia()
    bus(lain.events())
    tunggu_cermin(bus.db, lain)
    r = sinkron(as_user(f"sub-{worlds[0].u}", worlds[0].email), nip=lain.nip)
    assert r.status_code == 403 and r.json()["kode"] == "hanya_untuk_diri_sendiri"
    r = sinkron(adm, nip=lain.nip)
    assert r.status_code == 403 and r.json()["kode"] == "bukan_pegawai_instansi_anda"
    assert as_user(f"sub-{worlds[0].u}", worlds[0].email).get("/v1/sinkro/log/rekap").status_code == 403
    assert as_user("sub-asing", "asing@belajar.id").post(
        "/v1/sinkro/sinkronisasi", json={"periode": PERIODE}).status_code == 403


def test_s1_api_mitra_menolak_kunci_salah_dengan_galat_6_dan_menerima_kunci_terdaftar(stack, as_user, bus):
    d = buat_dunia()
    bus(d.events())
    tunggu_cermin(bus.db, d)
    url = f"{stack.base_url}/v1/sinkro/mitra/sinkronisasi"
    body = {"nip": d.nip, "jenis": "skp", "periode": PERIODE}
    salah = requests.post(url, json=body, headers={"x-api-key": "kunci-asing"}, timeout=30)
    assert salah.status_code == 401
    assert (salah.json()["nomor_galat"], salah.json()["aktor"]) == (6, "helpdesk_bkn")
    assert salah.json()["tindak_lanjut"] == list(entri(6).tindak_lanjut)
    assert requests.post(url, json=body, timeout=30).json()["nomor_galat"] == 6
    benar = requests.post(url, json=body, headers={"x-api-key": LOCAL_PARTNER_KEY}, timeout=30)
    assert benar.status_code == 200 and benar.json()["hasil"] == "berhasil", benar.text


def test_batch_harian_mengirim_skp_tertunda_tepat_sekali(stack, bus):
    worlds = [buat_dunia() for _ in range(3)]
    bus([e for d in worlds for e in d.events()])
    for d in worlds:
        tunggu_cermin(bus.db, d)
    publish_tick(stack.project, "jadwal.sinkro.harian")  # as the Cloud Scheduler job publishes it

    def terkirim():
        diterima = requests.get(f"{standin(stack)}/_admin/diterima", timeout=10).json()["diterima"]
        return [c for c in diterima if c["nip"] in {d.nip for d in worlds}]

    kiriman = wait_until(lambda: len(terkirim()) == 3 and terkirim(), timeout=120, interval=0.5, what="batch")
    assert all(c["jumlah_diterima"] == 1 and c["jenis"] == "skp" for c in kiriman)
    for d in worlds:
        doc = wait_until(lambda d=d: _dokumen(bus.db, "rencana", kunci(d.ptk_id, PERIODE)), timeout=30)
        wait_until(lambda d=d: _dokumen(bus.db, "rencana", kunci(d.ptk_id, PERIODE))["perlu_sinkro"] is False,
                   timeout=30, what="perlu_sinkro")
        assert doc["versi"] == 1


@pytest.mark.parametrize("nip, kode", [("198513122010012003", "nip_tanggal_lahir_tidak_valid"),
                                       ("198503122010132003", "nip_tmt_tidak_valid"),
                                       ("198503122010013003", "nip_jenis_kelamin_tidak_valid"),
                                       ("19850312201001200", "nip_format_tidak_valid")])
def test_nip_salah_bentuk_422_dengan_kode_bukan_404(stack, as_user, nip, kode):
    """A malformed NIP is named as such (kinerja's rules, shared/nip.py) in a sync request, the partner
    API and the log filter; never a 404 "pegawai tidak ditemukan"."""
    adm = as_user("sub-adm-nip", f"adm-nip-{uuid.uuid4().hex[:6]}@belajar.id")
    r = sinkron(adm, nip=nip)
    assert (r.status_code, r.json()["kode"]) == (422, kode), r.text
    r = requests.post(f"{stack.base_url}/v1/sinkro/mitra/sinkronisasi", json={"nip": nip, "periode": PERIODE},
                      headers={"x-api-key": LOCAL_PARTNER_KEY}, timeout=30)
    assert (r.status_code, r.json()["kode"]) == (422, kode), r.text
    r = adm.get("/v1/sinkro/log", params={"nip": nip})
    assert (r.status_code, r.json()["kode"]) == (422, kode), r.text
    r = adm.get("/v1/sinkro/log", params={"npsn": "1234567"})
    assert (r.status_code, r.json()["kode"]) == (422, "npsn_tidak_valid"), r.text
