"""S1 who may trigger, the global send rate, and the mirror's newest-wins / lenient-to-strict rules."""
from datetime import datetime, timezone

import pytest

from shared.errors import Forbidden
from sinkro.domain import cermin as cm
from sinkro.domain.akses import Pelaku, pastikan_boleh
from sinkro.domain.laju import PenjatahLaju, pesan, ukuran_blok
from sinkro.service import potong

NIP = "198503122010012003"
GURU = {"ptk_id": "ptk-1", "nip": NIP, "jabatan": "guru", "plt": []}


# --- S1: who may trigger
def test_s1_guru_untuk_diri_sendiri_tanpa_nip_atau_dengan_nip_sendiri():
    assert pastikan_boleh(Pelaku("s", ptk=GURU), None, set()) == "diri_sendiri"
    assert pastikan_boleh(Pelaku("s", ptk=GURU), NIP, set()) == "diri_sendiri"


def test_s1_guru_tidak_boleh_untuk_orang_lain():
    with pytest.raises(Forbidden) as info:
        pastikan_boleh(Pelaku("s", ptk=GURU), "197001011995031001", {"inst-1"})
    assert info.value.kode == "hanya_untuk_diri_sendiri"


def test_s1_admin_instansi_hanya_untuk_pegawai_instansinya():
    adm = Pelaku("s", admin={"admin_id": "a", "instansi_ids": ["inst-1"], "aktif": True})
    assert pastikan_boleh(adm, NIP, {"inst-1"}) == "admin_instansi"
    with pytest.raises(Forbidden):
        pastikan_boleh(adm, NIP, {"inst-2"})
    with pytest.raises(Forbidden):
        pastikan_boleh(adm, NIP, set())  # instansi unknown: not theirs


def test_s1_admin_nonaktif_tidak_berhak_dan_tanpa_ptk_tidak_bisa_untuk_diri_sendiri():
    nonaktif = Pelaku("s", admin={"admin_id": "a", "instansi_ids": ["inst-1"], "aktif": False})
    with pytest.raises(Forbidden):
        pastikan_boleh(nonaktif, NIP, {"inst-1"})
    with pytest.raises(Forbidden) as info:
        pastikan_boleh(Pelaku("s"), None, set())
    assert info.value.kode == "akun_tidak_terhubung"


def test_s1_peran_plt_dan_kepala_sekolah_dari_dapodik():
    assert Pelaku("s", ptk=GURU | {"plt": [{"npsn": "60300001"}]}).peran == "plt_kepala_sekolah"
    assert Pelaku("s", ptk=GURU | {"jabatan": "kepala_sekolah"}).peran == "kepala_sekolah"


# --- the global rate
def test_pesan_blok_bersambung_dan_tidak_mundur_ke_masa_lalu():
    assert pesan(None, 100.0, 10, 20) == (100.0, 100.5)
    assert pesan(100.5, 100.1, 10, 20) == (100.5, 101.0)  # queued behind the previous block
    assert pesan(90.0, 100.0, 10, 20) == (100.0, 100.5)  # idle schedule: starts now
    assert ukuran_blok(0.5) == 1 and ukuran_blok(40) == 20 and ukuran_blok(10_000) == 100


def test_penjatah_memberi_slot_berjarak_1_per_laju_dan_membuang_slot_terlewat():
    jam = [0.0]
    jadwal = {"berikut": 0.0}

    def pesan_blok(n):
        mulai, jadwal["berikut"] = pesan(jadwal["berikut"], jam[0], n, 10)
        return mulai

    def tidur(detik):
        jam[0] += detik

    penjatah = PenjatahLaju(pesan_blok, 10, blok=5, toleransi=0.25, jam=lambda: jam[0], tidur=tidur)
    slot = [penjatah.tunggu_giliran() for _ in range(7)]
    assert slot == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    jam[0] += 5  # the worker was busy: slots long past are dropped, not used in a burst
    assert penjatah.tunggu_giliran() >= 5.0 and penjatah.dibuang == 3


def test_potong_menjaga_butir_satu_pegawai_dalam_satu_potongan():
    butir = [("a", "skp", "2024-1"), ("a", "predikat", "2024-1"), ("b", "skp", "2024-1"), ("c", "skp", "2024-1")]
    assert potong(butir, 1) == [butir[:2], [butir[2]], [butir[3]]]
    assert sum(len(c) for c in potong(butir, 3)) == 4


# --- mirror
def test_versi_terbaru_menang():
    assert cm.lebih_baru(None, 0) and cm.lebih_baru({"versi": 1}, 2)
    assert not cm.lebih_baru({"versi": 2}, 2) and not cm.lebih_baru({"versi": 3}, 2)


def test_rencana_versi_baru_perlu_sinkro_versi_terkirim_tidak():
    d = {"ptk_id": "p", "periode": "2024-1", "versi": 3, "rhk": [], "perilaku": []}
    assert cm.dokumen_rencana(d, {"versi": 2, "versi_terkirim": 2})["perlu_sinkro"] is True
    assert cm.dokumen_rencana(d, {"versi": 3, "versi_terkirim": 3})["perlu_sinkro"] is False


def test_sekolah_sejak_berpindah_hanya_saat_sekolah_berganti():
    t = datetime(2024, 3, 1, tzinfo=timezone.utc)
    d = {"ptk_id": "p", "npsn_induk": "60300001", "versi": 2, "diperbarui_pada": "2024-02-01T00:00:00Z"}
    assert cm.dokumen_ptk(d, {"npsn_induk": "60300001", "sekolah_sejak": "2020-07-01"}, t)["sekolah_sejak"] == \
        "2020-07-01"
    assert cm.dokumen_ptk(d, {"npsn_induk": "60300009", "sekolah_sejak": "2020-07-01"}, t)["sekolah_sejak"] == \
        "2024-02-01"


def test_nilai_longgar_jadi_kosong_sehingga_pemeriksaan_menjawab_galat_seed():
    assert cm.nip("12345") is None and cm.nip(NIP) == NIP
    assert cm.npsn("6030 001") is None and cm.ident("unor 1/a") == "unor-1-a"
    assert cm.status_kepegawaian("pns_diperbantukan") == "PNS DIPERBANTUKAN"
    cermin = cm.bangun_cermin({"ptk": {"ptk_id": "p", "nip": "123", "status_kepegawaian": "pns",
                                       "npsn_induk": "60300001", "plt": []}}, "2024-1")
    from sinkro.domain.pemeriksaan import periksa

    assert periksa(cermin, "skp").galat.nomor == 1  # a malformed NIP is "NIP tidak sesuai SIASN"
