"""S1-S3 on the emulators: every documented error #1-#20 from events alone, and its fixed-data retry.

The e-Kinerja stand-in runs in a thread over real HTTP; events are applied by the
real consumer (`Platform.consume`, ledger and all); the automatic retry a fix
triggers is the real `sinkro.batch.dijadwalkan` event, taken from the outbox sink
and handed to the chunk consumer.
"""
from __future__ import annotations

import csv
import io
import random
from datetime import datetime, timedelta, timezone

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
from sinkro.domain.galat import entri as entri_galat
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
    "kinerja.tahap_rencana.diperbarui": service.terapkan_tahap_rencana,
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
    if sk.kondisi:
        varian = galat.tindak_lanjut[:len(entri_galat(sk.nomor).cari_kondisi(sk.kondisi).tindak_lanjut)]
        assert list(varian) == list(entri_galat(sk.nomor).cari_kondisi(sk.kondisi).tindak_lanjut)
    if "hubungi" in galat.extra:  # follow-ups that need an admin name the pegawai's own instansi (BKD)
        assert galat.extra["hubungi"]["instansi_nama"] == d.instansi_nama
        assert d.instansi_nama in galat.tindak_lanjut[-1]
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


def test_non_asn_diberi_tahu_tanpa_mengirim_dan_batch_melewatinya(p, standin):
    """P1: Pengelolaan Kinerja is optional for non-ASN; their plan stays in PMM. The button answers why
    (its own kode, not #7), nothing is sent or logged, and the batch skips them."""
    d = Dunia(random.Random().getrandbits(40).to_bytes(5, "big").hex(), random.Random())
    d.ptk.update(status_kepegawaian="honorer", nip=None)
    for topic, payload in d.events():
        terbitkan(p, topic, payload)
    hasil = sinkron(p, d)
    assert hasil.hasil == "gagal" and hasil.galat.kode == "bukan_asn_tidak_disinkronkan"
    assert hasil.galat.status == 422 and "non-ASN" in hasil.galat.pesan and hasil.log_id is None
    from shared.contracts.sinkro import BatchDijadwalkan, ButirSinkro

    batch = BatchDijadwalkan(batch_id="b", alasan="jadwal_harian",
                             butir=[ButirSinkro(pegawai_id=d.ptk_id, jenis="skp", periode=PERIODE)])
    assert service.proses_potongan(p, batch) == {"dilewati": 1}
    assert diterima(standin, d.nip) == []
    logs = list(p.db.collection("sinkro__log").where(filter=FieldFilter("pegawai_id", "==", d.ptk_id)).stream())
    assert logs == []


def test_s3_galat_15_hilang_saat_kepala_sekolah_berhasil_sinkron(p, standin):
    """Seed #15: "Jika Sinkron PMM untuk Kepala Sekolah di e-Kinerja berhasil, baik guru maupun Admin
    Instansi dapat mencoba kembali": the principal's successful sync is the organisation SKP; the
    teacher's retry then works, and the teacher blocked on it is retried at once."""
    from shared.contracts.kinerja import AtasanData

    rng = random.Random()
    kepsek = Dunia(rng.getrandbits(40).to_bytes(5, "big").hex(), rng)
    kepsek.ptk["jabatan"] = "kepala_sekolah"
    kepsek.rencana |= {"jabatan": "kepala_sekolah"}
    guru = Dunia(rng.getrandbits(40).to_bytes(5, "big").hex(), rng)
    guru.nip_atasan = kepsek.nip
    guru.siasn["atasan_nip"] = kepsek.nip
    guru.rencana["atasan"] = AtasanData(jenis="kepala_sekolah", ptk_id=kepsek.ptk_id, nip=kepsek.nip,
                                        npsn=guru.npsn)
    guru.organisasi = None  # e-Kinerja has no organisation SKP of this principal yet
    for d in (kepsek, guru):
        for topic, payload in d.events():
            terbitkan(p, topic, payload)
    assert sinkron(p, guru).galat.nomor == 15
    p.rekam.ambil("sinkro.batch.dijadwalkan")
    assert sinkron(p, kepsek).hasil == "berhasil"  # Opsi A: the principal syncs
    assert jalankan_ulang_otomatis(p) == 1  # the teacher blocked by #15 is retried at once
    status = p.db.collection("sinkro__status").document(service.cm.kunci(guru.ptk_id, "skp", PERIODE)).get()
    assert status.get("hasil") == "berhasil", status.to_dict()
    assert [c["jumlah_diterima"] for c in diterima(standin, guru.nip)] == [1]


def test_predikat_sebelum_skp_kode_sendiri_lalu_berhasil_setelah_skp(p, standin):
    d = Dunia(random.Random().getrandbits(40).to_bytes(5, "big").hex(), random.Random())
    d.beri_predikat()
    for topic, payload in d.events():
        terbitkan(p, topic, payload)
    galat = sinkron(p, d, "predikat").galat
    assert galat.kode == "skp_belum_ada_di_ekinerja" and galat.extra.get("nomor_galat") is None
    assert sinkron(p, d, "skp").hasil == "berhasil"
    assert sinkron(p, d, "predikat").hasil == "berhasil"


def test_429_dari_ekinerja_dijadwalkan_ulang_tidak_pernah_ditandai_selesai(p, standin):
    """A 429 with Retry-After is not a refusal: the attempt is recorded as retryable, the SKP stays
    pending, a chunk is scheduled not before Retry-After, and the next batch does not skip it."""
    url, _ = standin
    d = dunia(p)
    requests.put(f"{url}/_admin/perilaku/{d.nip}", json={"batas_laju_kali": 1000, "retry_after": 120},
                 timeout=5).raise_for_status()
    sebelum = datetime.now(timezone.utc)
    hasil = sinkron(p, d)
    assert hasil.hasil == "gagal" and hasil.galat.kode == "ekinerja_sedang_sibuk" and hasil.galat.status == 503
    status = p.db.collection("sinkro__status").document(service.cm.kunci(d.ptk_id, "skp", PERIODE)).get().to_dict()
    assert status["dapat_diulang_otomatis"] is True and status["versi_terkirim"] == 0
    rencana = p.db.collection("sinkro__rencana").document(service.cm.kunci(d.ptk_id, PERIODE)).get().to_dict()
    assert rencana["perlu_sinkro"] is True  # never marked done: the daily batch still has it
    [ulang] = p.rekam.ambil("sinkro.batch.dijadwalkan")
    assert ulang.data.alasan == "ulang_laju" and ulang.data.butir[0].pegawai_id == d.ptk_id
    assert (ulang.data.tidak_sebelum - sebelum).total_seconds() >= 119
    with pytest.raises(service.BelumWaktunya):
        service.tunggu_giliran(ulang.data, datetime.now(timezone.utc))
    requests.delete(f"{url}/_admin/perilaku/{d.nip}", timeout=5)
    assert service.proses_potongan(p, ulang.data) == {"berhasil": 1}  # when its time has come


def test_sinkron_pengguna_melewati_gerbang_laju_yang_sama_dengan_batch(p, standin):
    d = dunia(p)
    pembatas = service.pembatas_laju(p)
    sebelum = len(pembatas.mulai)
    assert sinkron(p, d).hasil == "berhasil"
    assert len(pembatas.mulai) == sebelum + 1


def test_ekspor_csv_terpotong_menandai_baris_dan_header(p, standin):
    """The Admin Instansi export that hits its row or time limit says so: a marker row (and, for the
    row limit, known before streaming, the response header); never a silently cut file."""
    from shared.contracts.referensi_bkn import AdminInstansiDiperbarui

    instansi = f"inst-csv-{random.Random().getrandbits(32):x}"
    worlds = []
    for _ in range(3):
        d = Dunia(random.Random().getrandbits(40).to_bytes(5, "big").hex(), random.Random())
        d.siasn["instansi_id"] = d.ekinerja["instansi_id"] = instansi
        d.ptk["status_kepegawaian"] = "honorer"  # #7 (SIASN knows them as PNS): one log entry each
        for topic, payload in d.events():
            terbitkan(p, topic, payload)
        assert sinkron(p, d).galat.nomor == 7
        worlds.append(d)
    email = f"admin-{instansi}@belajar.id"
    terbitkan(p, "referensi.admin_instansi.diperbarui",
              AdminInstansiDiperbarui(admin_id=f"adm-{instansi}", email=email, instansi_ids=[instansi], versi=1))

    sebelum = datetime.now(timezone.utc).replace(microsecond=0)
    utuh = service.ekspor_csv(p, "sub-adm", email, service.Saring(), batas=5)
    teks = "".join(utuh.baris)
    baris = teks.strip().splitlines()
    assert not utuh.terpotong_batas_baris and len(baris) == 4 and service.PENANDA_TERPOTONG not in baris[-1]
    # Excel with Indonesian regional settings: BOM first, `;` between cells, times in WIB named in the header
    assert teks.startswith("\ufeffpada (WIB, Asia/Jakarta);nip;nama;")
    isi = list(csv.DictReader(io.StringIO(teks.removeprefix("\ufeff")), delimiter=";"))
    assert {r["nip"] for r in isi} == {d.nip for d in worlds} and {r["nomor_galat"] for r in isi} == {"7"}
    pada = datetime.strptime(isi[0]["pada (WIB, Asia/Jakarta)"], "%Y-%m-%d %H:%M:%S")
    wib = sebelum.astimezone(timezone(timedelta(hours=7))).replace(tzinfo=None)
    assert wib - timedelta(minutes=10) <= pada <= wib + timedelta(minutes=1)  # WIB wall clock, not UTC

    potong = service.ekspor_csv(p, "sub-adm", email, service.Saring(), batas=2)
    assert potong.terpotong_batas_baris  # the route puts this in X-Ekspor-Terpotong before the first byte
    baris = "".join(potong.baris).strip().splitlines()
    assert len(baris) == 1 + 2 + 1 and baris[-1].startswith(service.PENANDA_TERPOTONG + ": batas_baris")

    detik = iter(range(0, 1000, 10))
    lambat = service.ekspor_csv(p, "sub-adm", email, service.Saring(), batas_waktu=15, jam=lambda: next(detik))
    baris = "".join(lambat.baris).strip().splitlines()
    assert baris[-1].startswith(service.PENANDA_TERPOTONG + ": batas_waktu") and len(baris) < 1 + 3 + 1




def test_skp_plt_dan_skp_guru_tersimpan_dan_terkirim_terpisah(p, standin):
    """A Plt. has their teacher SKP and an SKP sebagai Plt. Kepala Sekolah of the same period: the mirror keeps
    both (the Plt. one has the higher version and must not replace the other), "Sinkro PMM" sends the teacher
    SKP, "Sinkro data PLT PMM" the Plt. one, and the daily batch finds both as separate items."""
    d = Dunia(random.Random().getrandbits(40).to_bytes(5, "big").hex(), random.Random())
    d.jadi_plt(1, 1)
    d.rencana_plt = [d.skp_plt(0, versi=4)]
    for topic, payload in d.events():
        terbitkan(p, topic, payload)

    tertunda, _ = service.halaman_tertunda(p.db, None, ukuran=10_000)
    assert {b for b in tertunda if b[0] == d.ptk_id} == {(d.ptk_id, "skp", PERIODE), (d.ptk_id, "plt", PERIODE)}

    # the next Plt. plan (a newer version, still "diajukan") is not the teacher plan's stage (#14)
    terbitkan(p, "kinerja.tahap_rencana.diperbarui", topic_spec("kinerja.tahap_rencana.diperbarui").payload(
        rencana_id=f"rencana-plt-1-{d.u}", ptk_id=d.ptk_id, periode=PERIODE, tahap="diajukan", versi=9,
        pada=datetime(2024, 1, 25, tzinfo=timezone.utc), plt=True, npsn=d.npsn_plt[1]))

    guru = sinkron(p, d, "skp")
    assert (guru.hasil, guru.versi) == ("berhasil", 1)
    plt = sinkron(p, d, "plt")
    assert (plt.hasil, plt.versi) == ("berhasil", 4)
    kiriman = {c["jenis"]: c["badan"] for c in diterima(standin, d.nip)}
    assert [r["uraian"] for r in kiriman["skp"]["rhk"]] == ["Meningkatnya kualitas pembelajaran"]
    [sekolah] = kiriman["plt"]["penugasan"]
    assert (sekolah["npsn"], sekolah["versi_skp"]) == (d.npsn_plt[0], 4)
    assert [r["uraian"] for r in sekolah["rhk"]] == ["Meningkatnya mutu sekolah 1"]

    # both sent: neither is pending any more, and the teacher SKP's record still holds the teacher's plan
    tertunda, _ = service.halaman_tertunda(p.db, None, ukuran=10_000)
    assert not [b for b in tertunda if b[0] == d.ptk_id]
    doc = p.db.collection("sinkro__rencana").document(service.cm.kunci(d.ptk_id, PERIODE)).get().to_dict()
    assert (doc["versi"], doc["plt"]) == (1, False)
    # a Plt. predicate is the Plt. SKP's news: a new `plt` send, the teacher predicate stays absent
    terbitkan(p, "kinerja.predikat.ditetapkan", topic_spec("kinerja.predikat.ditetapkan").payload(
        predikat_id=f"pred-plt-{d.u}", ptk_id=d.ptk_id, nip=d.nip, periode=PERIODE, npsn=d.npsn_plt[0],
        jabatan="kepala_sekolah", rating_hasil_kerja="sesuai_ekspektasi", rating_perilaku_kerja="sesuai_ekspektasi",
        predikat="sangat_baik", ditetapkan_pada=datetime(2024, 6, 21, tzinfo=timezone.utc), versi=1, plt=True))
    assert sinkron(p, d, "predikat").galat.kode == "predikat_belum_ditetapkan"  # no teacher predicate yet
    ulang = sinkron(p, d, "plt")
    assert (ulang.hasil, ulang.versi) == ("berhasil", 5)
    [baru] = [c["badan"] for c in diterima(standin, d.nip) if c["jenis"] == "plt" and c["versi"] == 5]
    assert baru["penugasan"][0]["predikat"] == "Sangat Baik"
