"""S1-S3 on the emulators: every documented error #1-#20 from events alone, and its fixed-data retry.

The e-Kinerja stand-in runs in a thread over real HTTP; events are applied by the
real consumer (`Platform.consume`, ledger and all); the automatic retry a fix
triggers is the real `sinkro.batch.dijadwalkan` event, taken from the outbox sink
and handed to the chunk consumer.
"""
from __future__ import annotations

import random
from datetime import datetime, timezone

import pytest
import requests
from google.cloud.firestore_v1.base_query import FieldFilter
from werkzeug.serving import make_server

from local.standins.ekinerja import KeadaanEkinerja, PenanganTanpaNip, buat_app
from shared.contracts import topic_spec
from shared.events import make_event
from shared.firestore import UnitOfWork
from shared.settings import load_settings
from sinkro import bootstrap, service
from sinkro.domain.galat import SinkroGagal
from sinkro.service import Permintaan
from tests.support import push_cloud_event, serve_in_thread
from tests.unit.sinkro.skenario import PERIODE, SKENARIO, Dunia

pytestmark = pytest.mark.integration

KUNCI = "kunci-uji-ekinerja"
KONSUMEN = {
    "referensi.ptk.diperbarui": service.terapkan_ptk,
    "referensi.sekolah.diperbarui": service.terapkan_sekolah,
    "referensi.pegawai.diperbarui": service.terapkan_pegawai_siasn,
    "referensi.pegawai_ekinerja.diperbarui": service.terapkan_pegawai_ekinerja,
    "referensi.skp_organisasi.diperbarui": service.terapkan_skp_organisasi,
    "referensi.admin_instansi.diperbarui": service.terapkan_admin,
    "kinerja.rencana.disepakati": service.terapkan_rencana,
    "kinerja.predikat.ditetapkan": service.terapkan_predikat,
}


class Rekam:
    """Outbox sink that keeps what would be published."""

    def __init__(self) -> None:
        self.events = []

    def after_commit(self, service_name, events) -> None:
        self.events.extend(events)

    def ambil(self, topic: str):
        hasil = [e for e in self.events if e.topic == topic]
        self.events = [e for e in self.events if e.topic != topic]
        return hasil


@pytest.fixture(scope="module")
def standin():
    keadaan = KeadaanEkinerja(api_keys={KUNCI})
    with serve_in_thread(make_server("127.0.0.1", 0, buat_app(keadaan), threaded=True,
                                     request_handler=PenanganTanpaNip)) as url:
        yield url, keadaan


@pytest.fixture
def p(db, standin):
    url, keadaan = standin
    keadaan.perilaku.clear()
    settings = load_settings(bootstrap.SinkroSettings, service="sinkro", ekinerja_url=url, ekinerja_api_key=KUNCI,
                             pepper_kunci_api="pepper-uji", laju_per_detik=200, ulang_jeda_dasar=0.01)
    rekam = Rekam()
    platform = bootstrap.bootstrap(settings, db=db, uow=UnitOfWork(db, "sinkro", rekam))
    platform.rekam = rekam
    return platform


def terbitkan(p, topic: str, payload) -> str:
    event = make_event("uji", topic, payload)
    fn = KONSUMEN[topic]
    return p.consume(push_cloud_event(event), topic, f"uji_{fn.__name__}", fn)


def dunia(p, sk=None) -> Dunia:
    d = Dunia(random.Random().getrandbits(40).to_bytes(5, "big").hex(), random.Random())
    if sk is not None:
        sk.rusak(d)
    for topic, payload in d.events():
        terbitkan(p, topic, payload)
    return d


def sinkron(p, d: Dunia, jenis="skp", tetap=False, uji=False):
    return service.sinkronkan(p, Permintaan(d.ptk_id, jenis, PERIODE, {"peran": "guru", "id": d.ptk_id},
                                            tetap=tetap, uji=uji), datetime.now(timezone.utc))


def jalankan_ulang_otomatis(p) -> int:
    """Run every retry chunk the fixes emitted, through the chunk consumer's use case."""
    jumlah = 0
    for event in p.rekam.ambil("sinkro.batch.dijadwalkan"):
        service.proses_potongan(p, event.data)
        jumlah += 1
    return jumlah


def diterima(standin, nip):
    url, _ = standin
    return [c for c in requests.get(f"{url}/_admin/diterima", timeout=5).json()["diterima"] if c["nip"] == nip]


@pytest.mark.parametrize("sk", SKENARIO, ids=[s.id for s in SKENARIO])
def test_s3_setiap_galat_dari_event_lalu_perbaikan_berhasil(p, standin, sk):
    url, _ = standin
    d = dunia(p, sk)
    if sk.standin:
        requests.put(f"{url}/_admin/perilaku/{d.nip}", json=sk.standin, timeout=5).raise_for_status()
    hasil = sinkron(p, d, sk.jenis)
    if sk.perbaikan == "peringatan":  # #4 A: may proceed, shown as a warning
        assert hasil.hasil == "berhasil"
        [w] = hasil.peringatan
        assert (w["nomor"], w["kondisi"], w["aktor"]) == (4, "A", sk.aktor)
        assert (w["nilai_pmm"], w["nilai_bkn"]) == ("SDN 4 Pagi", "SD Negeri 4 Pagi")
        return
    galat = hasil.galat
    assert hasil.hasil == "gagal" and isinstance(galat, SinkroGagal), hasil
    assert (galat.nomor, galat.kondisi, galat.aktor.value) == (sk.nomor, sk.kondisi, sk.aktor)
    assert galat.tindak_lanjut and galat.extra["log_id"] == hasil.log_id
    entri = p.db.collection("sinkro__log").document(hasil.log_id).get().to_dict()
    assert (entri["nomor_galat"], entri["aktor"], entri["hasil"]) == (sk.nomor, sk.aktor, "gagal")
    assert entri["tindak_lanjut"] == list(galat.tindak_lanjut)
    [gagal_ev] = p.rekam.ambil("sinkro.sinkronisasi.gagal")
    assert gagal_ev.data.nomor_galat == sk.nomor and gagal_ev.data.log_id == hasil.log_id

    # the fix
    if sk.perbaikan == "otomatis":
        for topic, payload in sk.perbaiki(d):
            terbitkan(p, topic, payload)
        assert jalankan_ulang_otomatis(p) >= 1
        status = p.db.collection("sinkro__status").document(service.cm.kunci(d.ptk_id, sk.jenis, PERIODE)).get()
        assert status.get("hasil") == "berhasil", status.to_dict()
    elif sk.perbaikan == "ulang":
        requests.delete(f"{url}/_admin/perilaku/{d.nip}", timeout=5)
        assert sinkron(p, d, sk.jenis).hasil == "berhasil"
    elif sk.perbaikan == "tetap":
        ulang = sinkron(p, d, tetap=True)
        assert ulang.hasil == "berhasil"
        assert ulang.skp_lama_diganti["unor_id"] == f"unor-lama-{d.u}"  # the log says what was replaced
        entri = p.db.collection("sinkro__log").document(ulang.log_id).get().to_dict()
        assert entri["tetap_lakukan_sinkro"] and entri["skp_lama_diganti"]["unor_id"] == f"unor-lama-{d.u}"
        assert 12 in entri["nomor_peringatan"]
    elif sk.perbaikan == "skp_dulu":
        assert sinkron(p, d, "skp").hasil == "berhasil"
        assert sinkron(p, d, "predikat").hasil == "berhasil"
    kiriman = diterima(standin, d.nip)
    assert [c["jumlah_diterima"] for c in kiriman if c["jenis"] == sk.jenis] == [1]


def test_s1_idempoten_versi_sama_tidak_dikirim_lagi_versi_baru_dikirim(p, standin):
    d = dunia(p)
    assert sinkron(p, d).hasil == "berhasil"
    kedua = sinkron(p, d)
    assert kedua.hasil == "sudah_terkirim" and kedua.versi == 1
    assert [c["versi"] for c in diterima(standin, d.nip)] == [1]
    terbitkan(p, "kinerja.rencana.disepakati", topic_spec("kinerja.rencana.disepakati").payload(
        **(d.rencana | {"versi": 2})))
    assert sinkron(p, d).hasil == "berhasil"
    assert sorted(c["versi"] for c in diterima(standin, d.nip)) == [1, 2]
    logs = [x.to_dict() for x in p.db.collection("sinkro__log").where(filter=FieldFilter("pegawai_id", "==", d.ptk_id)).stream()]
    assert len(logs) == 2  # the no-op is not an attempt


def test_s3_uji_coba_menjawab_sama_tanpa_mengirim(p, standin):
    d = dunia(p, next(s for s in SKENARIO if s.id == "16"))
    uji = sinkron(p, d, uji=True)
    assert uji.hasil == "gagal" and uji.galat.nomor == 16 and uji.log_id is None
    assert diterima(standin, d.nip) == []
    assert uji.galat.extra["nilai_pmm"] == d.nip_atasan and uji.galat.extra["nilai_bkn"] == d.nip_salah


def test_event_lama_dan_duplikat_tidak_mengubah_cermin(p):
    d = dunia(p)
    from shared.contracts.referensi_dapodik import PtkDiperbarui

    d.ptk_v2(status_kepegawaian="pppk")  # versi 2
    assert terbitkan(p, "referensi.ptk.diperbarui", PtkDiperbarui(**d.ptk)) == "diproses"
    terbitkan(p, "referensi.ptk.diperbarui", PtkDiperbarui(**(d.ptk | {"versi": 1, "status_kepegawaian": "honorer"})))
    doc = p.db.collection("sinkro__ptk").document(service.cm.kunci(d.ptk_id)).get().to_dict()
    assert (doc["versi"], doc["status_kepegawaian"]) == (2, "pppk")
    event = make_event("uji", "referensi.ptk.diperbarui", PtkDiperbarui(**d.ptk))
    fn = service.terapkan_ptk
    assert p.consume(push_cloud_event(event), "referensi.ptk.diperbarui", "uji_dup", fn) == "diproses"
    assert p.consume(push_cloud_event(event), "referensi.ptk.diperbarui", "uji_dup", fn) == "duplikat"


def test_batch_tidak_bertanya_lagi_bila_data_tidak_berubah(p, standin):
    """A failure a person must fix is not re-sent or re-logged by the batch until the data changes."""
    d = dunia(p, next(s for s in SKENARIO if s.id == "7"))
    assert sinkron(p, d).galat.nomor == 7
    from shared.contracts.sinkro import BatchDijadwalkan, ButirSinkro

    batch = BatchDijadwalkan(batch_id="b", alasan="jadwal_harian",
                             butir=[ButirSinkro(pegawai_id=d.ptk_id, jenis="skp", periode=PERIODE)])
    assert service.proses_potongan(p, batch) == {"dilewati": 1}
