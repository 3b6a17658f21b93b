"""S1/S3: e-Kinerja client maps answers to documented errors and retries only #9 (5xx, timeouts)."""
import json
import logging

import pytest
import requests

from sinkro.adapters.ekinerja import (
    JALUR_PREDIKAT,
    JALUR_SKP,
    JawabanEkinerjaTidakDikenal,
    KebijakanUlang,
    KirimPredikat,
    KirimSkp,
    KlienEkinerja,
    RhkKirim,
)
from sinkro.domain.galat import Aktor, SinkroGagal

NIP = "198503122010012003"


def jawaban(status: int, badan=None, headers=None, teks: str | None = None) -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = (json.dumps(badan) if badan is not None else (teks or "")).encode()
    r.headers.update(headers or {})
    if badan is not None:
        r.headers["Content-Type"] = "application/json"
    return r


class SesiPalsu:
    """Stands in for requests.Session: answers from a script, records each call."""

    def __init__(self, *skrip):
        self.skrip = list(skrip)
        self.panggilan = []

    def post(self, url, json=None, headers=None, timeout=None):
        self.panggilan.append({"url": url, "json": json, "headers": headers, "timeout": timeout})
        langkah = self.skrip.pop(0)
        if isinstance(langkah, Exception):
            raise langkah
        return langkah

    def close(self):
        pass


class Jam:
    def __init__(self):
        self.sekarang = 100.0
        self.tidur = []

    def __call__(self):
        return self.sekarang

    def tidurkan(self, detik):
        self.tidur.append(detik)
        self.sekarang += detik


def klien(sesi, *, acak=0.5, kebijakan=KebijakanUlang(), jam=None):
    jam = jam or Jam()
    k = KlienEkinerja(
        "http://ekinerja.test/",
        "kunci-rahasia",
        session=sesi,
        timeout=(0.5, 1.0),
        kebijakan_ulang=kebijakan,
        tidur=jam.tidurkan,
        jam=jam,
        acak=lambda: acak,
    )
    return k, jam


def skp(**ubah) -> KirimSkp:
    data = dict(
        nip=NIP,
        periode="2024-1",
        versi=3,
        unor_id="unor-sdn4",
        rhk=(RhkKirim(id="rhk-1", uraian="Meningkatnya kualitas pembelajaran"),),
        perilaku=("berorientasi pelayanan",),
    )
    data.update(ubah)
    return KirimSkp(**data)


DITERIMA = jawaban(201, {"status": "diterima", "id_sinkron": "s-1", "duplikat": False})


def test_s1_kirim_skp_berhasil_dengan_kunci_api_dan_badan_sesuai_protokol():
    sesi = SesiPalsu(DITERIMA)
    k, jam = klien(sesi)
    terima = k.kirim_skp(skp())
    assert (terima.id_sinkron, terima.duplikat, terima.percobaan) == ("s-1", False, 1)
    [p] = sesi.panggilan
    assert p["url"] == "http://ekinerja.test" + JALUR_SKP
    assert p["headers"]["x-api-key"] == "kunci-rahasia"
    assert p["timeout"] == (0.5, 1.0)
    assert p["json"] == {
        "nip": NIP,
        "periode": "2024-1",
        "versi": 3,
        "unor_id": "unor-sdn4",
        "rhk": [{"id": "rhk-1", "uraian": "Meningkatnya kualitas pembelajaran", "indikator": []}],
        "perilaku": ["berorientasi pelayanan"],
        "timpa_skp_lain": False,
        "jabatan": "guru",
        "atasan_nip": None,
    }
    assert jam.tidur == []


def test_kirim_predikat_ke_jalurnya_dan_duplikat_dikenali():
    sesi = SesiPalsu(jawaban(200, {"status": "diterima", "id_sinkron": "p-1", "duplikat": True}))
    k, _ = klien(sesi)
    terima = k.kirim_predikat(KirimPredikat(nip=NIP, periode="2024-1", versi=1, predikat="Baik"))
    assert terima.duplikat is True
    assert sesi.panggilan[0]["url"].endswith(JALUR_PREDIKAT)


def test_s3_galat_9_http_500_diulang_lalu_berhasil_dengan_jeda_full_jitter():
    sesi = SesiPalsu(jawaban(500, {"kode_galat": "galat_server_ekinerja", "pesan": "x"}), jawaban(502, teks="<html>"), DITERIMA)
    k, jam = klien(sesi, acak=0.5, kebijakan=KebijakanUlang(jeda_dasar=0.5, jeda_maks=8))
    assert k.kirim_skp(skp()).percobaan == 3
    # U(0, 0.5 * 2**n) with the draw fixed at 0.5
    assert jam.tidur == [0.25, 0.5]


def test_s3_galat_9_menyerah_setelah_maks_percobaan():
    sesi = SesiPalsu(*[jawaban(500, teks="Request failed with status code 500")] * 4)
    k, jam = klien(sesi, kebijakan=KebijakanUlang(maks_percobaan=4))
    with pytest.raises(SinkroGagal) as info:
        k.kirim_skp(skp())
    assert info.value.nomor == 9 and info.value.aktor is Aktor.helpdesk_bkn
    assert len(sesi.panggilan) == 4 and len(jam.tidur) == 3


def test_s3_galat_9_batas_waktu_total_menghentikan_pengulangan():
    sesi = SesiPalsu(*[jawaban(503, teks="")] * 10)
    k, jam = klien(sesi, acak=0.999, kebijakan=KebijakanUlang(maks_percobaan=10, jeda_dasar=4, jeda_maks=8, batas_waktu_total=10))
    with pytest.raises(SinkroGagal):
        k.kirim_skp(skp())
    assert sum(jam.tidur) <= 10
    assert len(sesi.panggilan) < 10


def test_jeda_tidak_melebihi_jeda_maks():
    sesi = SesiPalsu(*[jawaban(500, teks="")] * 6)
    k, jam = klien(sesi, acak=0.999, kebijakan=KebijakanUlang(maks_percobaan=6, jeda_dasar=1, jeda_maks=2, batas_waktu_total=100))
    with pytest.raises(SinkroGagal):
        k.kirim_skp(skp())
    assert max(jam.tidur) <= 2 and jam.tidur[0] < 1


def test_retry_after_dihormati_sebagai_jeda_minimal():
    sesi = SesiPalsu(jawaban(503, teks="", headers={"Retry-After": "3"}), DITERIMA)
    k, jam = klien(sesi, acak=0.0)
    k.kirim_skp(skp())
    assert jam.tidur == [3.0]


@pytest.mark.parametrize("sebab", [requests.ReadTimeout("lambat"), requests.ConnectTimeout("x"), requests.ConnectionError("putus")])
def test_s3_galat_9_batas_waktu_dan_koneksi_putus_diulang(sebab):
    sesi = SesiPalsu(sebab, DITERIMA)
    k, jam = klien(sesi)
    assert k.kirim_skp(skp()).percobaan == 2
    assert len(jam.tidur) == 1


def test_s3_galat_9_batas_waktu_terus_menerus_menjadi_galat_9():
    sesi = SesiPalsu(*[requests.ReadTimeout("lambat")] * 4)
    k, _ = klien(sesi)
    with pytest.raises(SinkroGagal) as info:
        k.kirim_skp(skp())
    assert info.value.nomor == 9 and "ReadTimeout" in info.value.rincian


@pytest.mark.parametrize(
    ("status", "badan", "nomor", "aktor"),
    [
        (403, {"kode_galat": "api_key_tidak_terdaftar", "pesan": "xApiKey does not exists in whitelist"}, 6, Aktor.helpdesk_bkn),
        (401, None, 6, Aktor.helpdesk_bkn),
        (400, {"pesan": "xApiKey does not exists in whitelist"}, 6, Aktor.helpdesk_bkn),
        (422, {"kode_galat": "periode_tidak_sesuai", "pesan": "Unexpected period value"}, 8, Aktor.helpdesk_bkn),
        (400, {"pesan": "Unexpected period value"}, 8, Aktor.helpdesk_bkn),
        (422, {"kode_galat": "pegawai_belum_terdaftar_ekinerja", "pesan": "-"}, 11, Aktor.admin_instansi),
        (500, {"kode_galat": "pegawai_belum_terdaftar_ekinerja", "pesan": "-"}, 11, Aktor.admin_instansi),
        (500, {"pesan": "JavaScript Error: Type Error : cannot read properties of undefined(reading 'unor_id')"}, 11, Aktor.admin_instansi),
        (500, {"kode_galat": "periode_tidak_sesuai", "pesan": "Unexpected period value"}, 8, Aktor.helpdesk_bkn),
        (422, {"kode_galat": "skp_hanya_lewat_sinkro", "pesan": "-"}, 13, Aktor.pegawai),
        (422, {"kode_galat": "skp_organisasi_atasan_belum_ada", "pesan": "-"}, 15, Aktor.kepala_sekolah),
    ],
)
def test_s3_galat_yang_butuh_orang_tidak_diulang_6_8_11(status, badan, nomor, aktor):
    """#6, #8, #11 (and every other non-#9) raise at once, even wrapped in a 500."""
    sesi = SesiPalsu(jawaban(status, badan), DITERIMA)
    k, jam = klien(sesi)
    with pytest.raises(SinkroGagal) as info:
        k.kirim_skp(skp())
    assert (info.value.nomor, info.value.aktor) == (nomor, aktor)
    assert len(sesi.panggilan) == 1 and jam.tidur == []


def test_s3_galat_12_dari_ekinerja_membawa_nilai_berdampingan():
    badan = {"kode_galat": "unor_skp_berbeda", "pesan": "-", "nilai_pmm": "unor-sdn4", "nilai_bkn": "unor-sdn7"}
    k, _ = klien(SesiPalsu(jawaban(409, badan)))
    with pytest.raises(SinkroGagal) as info:
        k.kirim_skp(skp())
    assert info.value.nomor == 12
    assert (info.value.nilai_pmm, info.value.nilai_bkn) == ("unor-sdn4", "unor-sdn7")


def test_s3_galat_4_kondisi_dari_ekinerja_diteruskan_bila_dikenal():
    badan = {"kode_galat": "nama_unor_tidak_sama", "pesan": "-", "kondisi": "C"}
    k, _ = klien(SesiPalsu(jawaban(422, badan)))
    with pytest.raises(SinkroGagal) as info:
        k.kirim_skp(skp())
    assert info.value.kondisi == "C" and info.value.aktor is Aktor.operator_sekolah


def test_jawaban_4xx_tidak_dikenal_bukan_galat_terdokumentasi_dan_tidak_diulang():
    sesi = SesiPalsu(jawaban(418, {"kode_galat": "teko", "pesan": "I'm a teapot"}), DITERIMA)
    k, _ = klien(sesi)
    with pytest.raises(JawabanEkinerjaTidakDikenal) as info:
        k.kirim_skp(skp())
    assert info.value.extra["status_ekinerja"] == 418
    assert len(sesi.panggilan) == 1
    # never counted as accepted, and not a person's fix either: the next automatic run asks again
    assert info.value.extra["dapat_diulang_otomatis"] is True


@pytest.mark.parametrize("status", [429, 408])
def test_429_dan_408_diulang_setelah_retry_after(status):
    """e-Kinerja asking us to slow down is not a refusal: wait at least its Retry-After, then resend."""
    sesi = SesiPalsu(jawaban(status, {"pesan": "Too Many Requests"}, headers={"Retry-After": "2"}), DITERIMA)
    k, jam = klien(sesi, acak=0.0)
    assert k.kirim_skp(skp()).id_sinkron == "s-1"
    assert jam.tidur == [2.0] and len(sesi.panggilan) == 2


def test_429_dengan_retry_after_di_luar_anggaran_waktu_dikembalikan_untuk_dijadwalkan():
    from sinkro.domain.galat import EkinerjaMembatasi

    sesi = SesiPalsu(jawaban(429, teks="", headers={"Retry-After": "120"}), DITERIMA)
    k, jam = klien(sesi)
    with pytest.raises(EkinerjaMembatasi) as info:
        k.kirim_skp(skp())
    assert info.value.coba_lagi_detik == 120 and info.value.dapat_diulang_otomatis
    assert info.value.kode == "ekinerja_sedang_sibuk" and info.value.status == 503
    assert len(sesi.panggilan) == 1 and jam.tidur == []  # not slept on, not "done": the service schedules it


def test_retry_after_tanggal_http():
    from datetime import datetime, timedelta, timezone
    from email.utils import format_datetime

    from sinkro.adapters.ekinerja import _retry_after

    nanti = datetime.now(timezone.utc) + timedelta(seconds=90)
    detik = _retry_after(jawaban(429, teks="", headers={"Retry-After": format_datetime(nanti, usegmt=True)}))
    assert 80 <= detik <= 91
    assert _retry_after(jawaban(429, teks="", headers={"Retry-After": "bukan tanggal"})) == 0.0


def test_s3_galat_13_dari_ekinerja_skp_manual_setelah_2023():
    sesi = SesiPalsu(jawaban(422, {"kode_galat": "skp_hanya_lewat_sinkro", "pesan": "Pengguna PMM tidak dapat "
                                   "menambah SKP setelah tahun 2023, silahkan buat SKP di PMM/sinkrodata PMM"}))
    k, _ = klien(sesi)
    with pytest.raises(SinkroGagal) as info:
        k.kirim_skp(skp())
    assert (info.value.nomor, info.value.aktor) == (13, Aktor.pegawai)


def test_predikat_sebelum_skp_dari_ekinerja_kode_sendiri_bukan_13():
    from sinkro.domain.galat import SkpBelumAdaDiEkinerja

    sesi = SesiPalsu(jawaban(409, {"kode_galat": "skp_belum_ada_di_ekinerja", "pesan": "SKP belum ada"}))
    k, _ = klien(sesi)
    with pytest.raises(SkpBelumAdaDiEkinerja):
        k.kirim_predikat(KirimPredikat(nip=NIP, periode="2024-1", versi=1, predikat="Baik"))


def test_log_tanpa_nip_dan_tanpa_kunci_api(caplog):
    sesi = SesiPalsu(jawaban(500, teks=""), jawaban(403, {"kode_galat": "api_key_tidak_terdaftar", "pesan": "-"}))
    k, _ = klien(sesi)
    with caplog.at_level(logging.DEBUG, logger="sinkro.adapters.ekinerja"):
        with pytest.raises(SinkroGagal):
            k.kirim_skp(skp())
    assert caplog.records
    assert NIP not in caplog.text and "kunci-rahasia" not in caplog.text


def test_gerbang_laju_dipegang_di_setiap_percobaan_termasuk_ulangan():
    """The batch's limiter wraps every HTTP attempt, so retries of #9 count against the limit too."""
    from contextlib import contextmanager

    sesi = SesiPalsu(jawaban(500, {"kode_galat": "galat_server_ekinerja", "pesan": "x"}), DITERIMA)
    masuk = []

    @contextmanager
    def gerbang():
        masuk.append(len(sesi.panggilan))
        yield
        masuk.append(len(sesi.panggilan))

    k, _ = klien(sesi)
    assert k.kirim_skp(skp(), gerbang).percobaan == 2
    assert masuk == [0, 1, 1, 2]          # held around attempt 1 and around attempt 2
