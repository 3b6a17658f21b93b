"""S1/S3 over real HTTP: the e-Kinerja client against the local stand-in.

No emulators: the stand-in runs in a thread on a free 127.0.0.1 port. Each
documented e-Kinerja failure (#6, #8, #9, #11, #12, #13) must arrive as its published
number; only #9 is retried, and a retried send takes effect exactly once.
"""
from __future__ import annotations

import logging

import pytest
import requests
from werkzeug.serving import make_server

from local.standins.ekinerja import GALAT_EKINERJA, KUNCI_BAWAAN, KeadaanEkinerja, PenanganTanpaNip, buat_app
from sinkro.adapters.ekinerja import (
    KebijakanUlang,
    KirimPlt,
    KirimPredikat,
    KirimSkp,
    KlienEkinerja,
    PenugasanPltKirim,
    RhkKirim,
)
from sinkro.domain.galat import Aktor, SinkroGagal, entri_menurut_kode
from tests.support import serve_in_thread

NIP = "198503122010012003"


@pytest.fixture
def standin():
    keadaan = KeadaanEkinerja()
    with serve_in_thread(make_server("127.0.0.1", 0, buat_app(keadaan), threaded=True,
                                     request_handler=PenanganTanpaNip)) as url:
        yield url, keadaan


@pytest.fixture
def jeda():
    return []


@pytest.fixture
def klien(standin, jeda):
    url, _ = standin
    k = KlienEkinerja(
        url,
        KUNCI_BAWAAN,
        timeout=(1.0, 0.3),
        kebijakan_ulang=KebijakanUlang(maks_percobaan=4, jeda_dasar=0.01, jeda_maks=0.05, batas_waktu_total=5),
        tidur=jeda.append,  # record instead of waiting: the test stays fast
    )
    yield k
    k.close()


def atur(standin, nip=NIP, **perilaku):
    url, _ = standin
    r = requests.put(f"{url}/_admin/perilaku/{nip}", json=perilaku, timeout=2)
    assert r.status_code == 200, r.text


def diterima(standin):
    url, _ = standin
    return requests.get(f"{url}/_admin/diterima", timeout=2).json()["diterima"]


def skp(versi=1, unor_id="unor-sdn4", periode="2024-1", timpa=False):
    return KirimSkp(
        nip=NIP,
        periode=periode,
        versi=versi,
        unor_id=unor_id,
        rhk=(RhkKirim(id="rhk-1", uraian="Meningkatnya kualitas pembelajaran"),),
        perilaku=("kolaboratif",),
        timpa_skp_lain=timpa,
    )


def test_s1_skp_diterima_dan_tercatat_sekali(standin, klien):
    terima = klien.kirim_skp(skp())
    assert terima.duplikat is False and terima.percobaan == 1 and terima.id_sinkron
    [catatan] = diterima(standin)
    assert (catatan["jenis"], catatan["nip"], catatan["periode"], catatan["versi"]) == ("skp", NIP, "2024-1", 1)
    assert catatan["jumlah_diterima"] == 1
    assert catatan["badan"]["rhk"][0]["id"] == "rhk-1"


def test_s1_kirim_ulang_versi_sama_duplikat_tanpa_efek_kedua(standin, klien):
    pertama = klien.kirim_skp(skp())
    kedua = klien.kirim_skp(skp())
    assert kedua.duplikat is True and kedua.id_sinkron == pertama.id_sinkron
    [catatan] = diterima(standin)
    assert (catatan["jumlah_diterima"], catatan["jumlah_permintaan"]) == (1, 2)


def test_s1_predikat_dan_plt_diterima_setelah_skp(standin, klien):
    klien.kirim_skp(skp())
    assert klien.kirim_predikat(KirimPredikat(nip=NIP, periode="2024-1", versi=1, predikat="Baik")).duplikat is False
    plt = KirimPlt(nip=NIP, periode="2024-1", versi=1, penugasan=(PenugasanPltKirim(npsn="60300101", nama_sekolah="SD Negeri 1 Siang"),))
    assert klien.kirim_plt(plt).duplikat is False
    assert sorted(c["jenis"] for c in diterima(standin)) == ["plt", "predikat", "skp"]


def test_s3_galat_6_kunci_api_di_luar_whitelist_tidak_diulang(standin, jeda):
    url, _ = standin
    with KlienEkinerja(url, "kunci-asing", tidur=jeda.append) as k:
        with pytest.raises(SinkroGagal) as info:
            k.kirim_skp(skp())
    assert (info.value.nomor, info.value.aktor) == (6, Aktor.helpdesk_bkn)
    assert jeda == [] and diterima(standin) == []


def test_s3_galat_6_diatur_per_pegawai_tidak_diulang(standin, klien, jeda):
    atur(standin, galat="api_key_tidak_terdaftar")
    with pytest.raises(SinkroGagal) as info:
        klien.kirim_skp(skp())
    assert info.value.nomor == 6 and jeda == []


@pytest.mark.parametrize("periode", ["2023-2", "2021-1"])
def test_s3_galat_8_periode_sebelum_2024_ditolak(standin, klien, jeda, periode):
    with pytest.raises(SinkroGagal) as info:
        klien.kirim_skp(skp(periode=periode))
    assert (info.value.nomor, info.value.aktor) == (8, Aktor.helpdesk_bkn)
    assert jeda == []


def test_s3_galat_8_diatur_per_pegawai(standin, klien, jeda):
    atur(standin, galat="periode_tidak_sesuai")
    with pytest.raises(SinkroGagal) as info:
        klien.kirim_skp(skp())
    assert info.value.nomor == 8 and jeda == []


def test_s3_galat_9_http_500_terus_menerus_diulang_lalu_menyerah(standin, klien, jeda):
    atur(standin, gagal_kali=100)
    with pytest.raises(SinkroGagal) as info:
        klien.kirim_skp(skp())
    assert info.value.nomor == 9 and info.value.dapat_diulang_otomatis
    assert len(jeda) == 3  # 4 attempts
    assert all(0 <= j <= 0.05 for j in jeda)
    assert diterima(standin) == []


def test_s3_galat_9_berkedip_gagal_dua_kali_lalu_berhasil_tepat_sekali(standin, klien, jeda):
    atur(standin, gagal_kali=2)
    terima = klien.kirim_skp(skp())
    assert terima.percobaan == 3 and len(jeda) == 2
    [catatan] = diterima(standin)
    assert (catatan["jumlah_diterima"], catatan["jumlah_permintaan"]) == (1, 1)


def test_s3_galat_9_jawaban_lambat_batas_waktu_diulang_efek_tetap_sekali(standin, klien, jeda):
    """The first answer comes after the client gave up; the resend is answered as a duplicate."""
    atur(standin, tunda_ms=800, tunda_kali=1)
    terima = klien.kirim_skp(skp())
    assert terima.percobaan == 2 and terima.duplikat is True and len(jeda) == 1
    [catatan] = diterima(standin)
    assert (catatan["jumlah_diterima"], catatan["jumlah_permintaan"]) == (1, 2)


def test_latensi_bawaan_di_bawah_batas_waktu_tetap_berhasil(standin, klien, jeda):
    url, keadaan = standin
    assert requests.put(f"{url}/_admin/latensi", json={"latensi_ms": 50}, timeout=2).status_code == 200
    assert keadaan.latensi_ms == 50
    assert klien.kirim_skp(skp()).percobaan == 1 and jeda == []


def test_s3_galat_11_unor_id_tidak_terdefinisi_tidak_diulang(standin, klien, jeda):
    atur(standin, galat="pegawai_belum_terdaftar_ekinerja", status=500)  # e-Kinerja's JS TypeError
    with pytest.raises(SinkroGagal) as info:
        klien.kirim_skp(skp())
    assert (info.value.nomor, info.value.aktor) == (11, Aktor.admin_instansi)
    assert jeda == []


def test_s3_galat_12_skp_unor_lain_lalu_tetap_lakukan_sinkro_mengganti(standin, klien):
    klien.kirim_skp(skp(versi=1, unor_id="unor-sdn7"))
    with pytest.raises(SinkroGagal) as info:
        klien.kirim_skp(skp(versi=2, unor_id="unor-sdn4"))
    assert (info.value.nomor, info.value.aktor) == (12, Aktor.pegawai)
    assert (info.value.nilai_pmm, info.value.nilai_bkn) == ("unor-sdn4", "unor-sdn7")
    assert klien.kirim_skp(skp(versi=2, unor_id="unor-sdn4", timpa=True)).duplikat is False
    assert {(c["versi"], c["badan"]["unor_id"]) for c in diterima(standin)} == {(1, "unor-sdn7"), (2, "unor-sdn4")}


def test_predikat_tanpa_skp_di_ekinerja_kode_sendiri_bukan_13(standin, klien):
    from sinkro.domain.galat import SkpBelumAdaDiEkinerja

    with pytest.raises(SkpBelumAdaDiEkinerja) as info:
        klien.kirim_predikat(KirimPredikat(nip=NIP, periode="2024-1", versi=1, predikat="Baik"))
    assert info.value.kode == "skp_belum_ada_di_ekinerja" and info.value.aktor is Aktor.pegawai


@pytest.mark.parametrize("periode, pengguna_pmm, status", [("2024-1", True, 422), ("2023-2", True, 201),
                                                           ("2024-1", False, 201)])
def test_s3_galat_13_skp_dibuat_manual_di_ekinerja_setelah_2023(standin, periode, pengguna_pmm, status):
    """Seed #13: "Pengguna PMM tidak dapat menambah SKP setelah tahun 2023, silahkan buat SKP di
    PMM/sinkrodata PMM": a PMM user typing an SKP in e-Kinerja for 2024 on."""
    url, _ = standin
    if not pengguna_pmm:
        requests.put(f"{url}/_admin/pengguna_pmm/{NIP}", json={"pengguna_pmm": False}, timeout=2).raise_for_status()
    r = requests.post(f"{url}/api/v1/skp", json={"nip": NIP, "periode": periode},
                      headers={"x-api-key": KUNCI_BAWAAN}, timeout=2)
    assert r.status_code == status, r.text
    if status == 422:
        galat = entri_menurut_kode(r.json()["kode_galat"])
        assert galat.nomor == 13 and r.json()["pesan"] == galat.judul_seed


def test_s3_galat_15_skp_organisasi_dibuat_oleh_sinkro_kepala_sekolah(standin, klien):
    """The stand-in models organisation SKPs as e-Kinerja does: a principal's accepted SKP creates it,
    and then the teacher's SKP that links to it is accepted (#15 clears)."""
    url, keadaan = standin
    requests.put(f"{url}/_admin/aturan", json={"periksa_skp_organisasi": True}, timeout=2).raise_for_status()
    nip_kepsek = "197801022003121004"
    guru = skp().model_copy(update={"atasan_nip": nip_kepsek})
    with pytest.raises(SinkroGagal) as info:
        klien.kirim_skp(guru)
    assert info.value.nomor == 15
    kepsek = skp().model_copy(update={"nip": nip_kepsek, "jabatan": "kepala_sekolah"})
    assert klien.kirim_skp(kepsek).duplikat is False
    assert requests.get(f"{url}/_admin/skp_organisasi", timeout=2).json()["skp_organisasi"] == [
        {"nip": nip_kepsek, "periode": "2024-1", "jumlah_rhk": 1}]
    assert klien.kirim_skp(guru).duplikat is False


def test_429_dengan_retry_after_dihormati_lalu_diterima_sekali(standin, klien, jeda):
    atur(standin, batas_laju_kali=1, retry_after=2)
    terima = klien.kirim_skp(skp())
    assert terima.percobaan == 2 and jeda == [2.0]
    assert [c["jumlah_diterima"] for c in diterima(standin)] == [1]


def test_perilaku_per_pegawai_tidak_mengenai_pegawai_lain(standin, klien):
    atur(standin, nip="197001011995031001", galat="periode_tidak_sesuai")
    assert klien.kirim_skp(skp()).percobaan == 1


def test_admin_menolak_perilaku_tidak_valid(standin):
    url, _ = standin
    r = requests.put(f"{url}/_admin/perilaku/{NIP}", json={"gagal_kali": -1}, timeout=2)
    assert r.status_code == 400
    r = requests.put(f"{url}/_admin/perilaku/{NIP}", json={"tidak_ada": 1}, timeout=2)
    assert r.status_code == 400


def test_kontrak_kode_galat_standin_ada_di_katalog():
    """Every kode_galat the stand-in can answer is one of the 20 documented errors, or one of the two
    answers that are not refusals of the data (predicate before SKP, too many requests)."""
    for kode in set(GALAT_EKINERJA) - {"skp_belum_ada_di_ekinerja", "terlalu_banyak_permintaan"}:
        assert entri_menurut_kode(kode) is not None, kode


def test_log_akses_standin_menyamarkan_nip(standin, caplog):
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        atur(standin, gagal_kali=0)
    assert "/_admin/perilaku/<nip>" in caplog.text
    assert NIP not in caplog.text


def test_kedatangan_mencatat_setiap_permintaan_untuk_memeriksa_laju(standin, klien):
    """The batch benchmark checks the client's rate limit from the outside with these times."""
    url, _ = standin
    klien.kirim_skp(skp())
    klien.kirim_skp(skp())
    kedatangan = requests.get(f"{url}/_admin/kedatangan", timeout=2).json()["kedatangan"]
    assert len(kedatangan) == 2 and kedatangan == sorted(kedatangan)
    assert requests.post(f"{url}/_admin/reset", timeout=2).status_code == 204
    assert requests.get(f"{url}/_admin/kedatangan", timeout=2).json()["kedatangan"] == []
