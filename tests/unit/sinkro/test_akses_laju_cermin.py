"""S1 who may trigger, the global send rate, and the mirror's newest-wins / lenient-to-strict rules."""
import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from shared.errors import Forbidden
from sinkro.domain import cermin as cm
from sinkro.domain.akses import Pelaku, pastikan_boleh
from sinkro.domain.laju import PembatasLaju, batas_proses
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
def test_bagian_per_proses_dari_batas_global():
    assert batas_proses(40, 1) == 40 and batas_proses(40, 2) == 20 and batas_proses(40, 3) == 13
    assert batas_proses(0.5, 4) == 1                      # never zero: at least one a second
    assert sum(batas_proses(40, 3) for _ in range(3)) <= 40


def _tersibuk(waktu: list[float], jendela: float) -> int:
    waktu, awal, terbanyak = sorted(waktu), 0, 0
    for akhir, t in enumerate(waktu):
        while t - waktu[awal] >= jendela:
            awal += 1
        terbanyak = max(terbanyak, akhir - awal + 1)
    return terbanyak


def test_jendela_geser_tetap_di_bawah_batas_walau_utas_terlambat_sebelum_request_sampai():
    """Real threads, real clock (window scaled to 0.2 s): each admitted attempt reaches the
    'server' 0-40 ms late (a loaded machine) and takes 0-30 ms more to answer. The busiest
    window of arrivals never exceeds the limit; in-flight never exceeds maks_jalan."""
    rng = random.Random(3)
    batas, jendela = 6, 0.2
    pembatas = PembatasLaju(batas, jendela=jendela, maks_jalan=4)
    tiba, kunci, jalan = [], threading.Lock(), [0, 0]
    jeda = [(rng.random() * 0.04, rng.random() * 0.03) for _ in range(120)]

    def satu(j):
        with pembatas.giliran():
            with kunci:
                jalan[0] += 1
                jalan[1] = max(jalan[1], jalan[0])
            time.sleep(j[0])
            with kunci:
                tiba.append(time.monotonic())
            time.sleep(j[1])
            with kunci:
                jalan[0] -= 1

    with ThreadPoolExecutor(16) as ex:
        list(ex.map(satu, jeda))
    assert len(tiba) == 120
    assert _tersibuk(tiba, jendela) <= batas
    assert jalan[1] <= 4
    assert pembatas.dalam_jendela() <= batas


def test_pembatas_menunggu_sampai_yang_tertua_keluar_dari_jendela():
    jam = [0.0]
    pembatas = PembatasLaju(2, jendela=1.0, jam=lambda: jam[0])
    for _ in range(2):
        with pembatas.giliran():
            jam[0] += 0.1
    assert pembatas.dalam_jendela() == 2                  # finished at 0.1 and 0.2: still in the window
    jam[0] = 1.15
    assert pembatas.dalam_jendela() == 1                  # 0.1 left at 1.1
    with pembatas.giliran() as t:
        assert t == 1.15


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


def test_sekolah_sejak_dari_tmt_penugasan_bukan_dari_stempel_pembaruan():
    """#4 B/C: only the assignment's own date counts; a Dapodik record touched for any other reason
    (an e-mail, a phone number) must not make an old school look new."""
    t = datetime(2024, 3, 1, tzinfo=timezone.utc)
    d = {"ptk_id": "p", "npsn_induk": "60300001", "versi": 2, "diperbarui_pada": "2024-02-01T00:00:00Z"}
    # same school, no TMT in the payload: the known date stays
    assert cm.dokumen_ptk(d, {"npsn_induk": "60300001", "sekolah_sejak": "2020-07-01"}, t)["sekolah_sejak"] == \
        "2020-07-01"
    # another school without a TMT: unknown, not the update stamp and not the arrival time
    assert cm.dokumen_ptk(d, {"npsn_induk": "60300009", "sekolah_sejak": "2020-07-01"}, t)["sekolah_sejak"] is None
    assert cm.dokumen_ptk(d, None, t)["sekolah_sejak"] is None
    # the TMT of the assignment wins over anything stored
    assert cm.dokumen_ptk(d | {"tmt_sekolah": "2018-07-16"}, {"npsn_induk": "60300001", "sekolah_sejak": "2020-07-01"},
                          t)["sekolah_sejak"] == "2018-07-16"


def test_nilai_longgar_jadi_kosong_sehingga_pemeriksaan_menjawab_galat_terdokumentasi():
    assert cm.nip("12345") is None and cm.nip(NIP) == NIP
    assert cm.npsn("6030 001") is None and cm.ident("unor 1/a") == "unor-1-a"
    assert cm.status_kepegawaian("pns_diperbantukan") == "PNS DIPERBANTUKAN"
    cermin = cm.bangun_cermin({"ptk": {"ptk_id": "p", "nip": "123", "status_kepegawaian": "pns",
                                       "npsn_induk": "60300001", "plt": []}}, "2024-1")
    from sinkro.domain.pemeriksaan import periksa

    assert periksa(cermin, "skp").galat.nomor == 1  # a malformed NIP is "NIP tidak sesuai SIASN"


def test_nip_cermin_memakai_aturan_yang_sama_dengan_kinerja():
    """A NIP kinerja refuses (no valid birth date, TMT month 13, gender digit 3) is no NIP for sinkro
    either, so the check answers #1 instead of sending it."""
    from shared.nip import periksa_nip

    for salah in ("198513122010012003", "198503122010132003", "198503122010013003", "198503122010012000"):
        assert cm.nip(salah) is None
    assert cm.nip("199009132022212014") == "199009132022212014"  # NI PPPK: digits 13-14 a PPPK code
    assert periksa_nip(NIP).nip == NIP


def _data_tahap(tahap: str | None, versi_tahap: int, rencana_versi: int | None) -> dict:
    data = {"ptk": {"ptk_id": "p", "nip": NIP, "pns_id": "X", "status_kepegawaian": "pns", "npsn_induk": "60300001",
                    "plt": []},
            "siasn": {"nip": NIP, "pns_id": "X", "status_kepegawaian": "PNS",
                      "unor": {"id": "u", "nama": "SD Negeri 4 Pagi", "aktif": True, "unor_atasan_id": "d"}}}
    if tahap:
        data["tahap"] = cm.dokumen_tahap({"ptk_id": "p", "periode": "2024-1", "rencana_id": "r", "tahap": tahap,
                                          "versi": versi_tahap})
    if rencana_versi:
        data["rencana"] = {"ptk_id": "p", "periode": "2024-1", "versi": rencana_versi,
                           "rhk": [{"urutan": 1, "teks": "Meningkatnya kualitas pembelajaran"}], "perilaku": []}
    return data


@pytest.mark.parametrize("tahap, nomor", [("diajukan", 14), ("disetujui", 14), ("draf", 2), ("dikembalikan", 2)])
def test_tahap_rencana_membedakan_galat_2_dari_14(tahap, nomor):
    """A submitted, or approved-not-agreed, plan is #14 ("pastikan SKP yang diajukan ke Atasan sudah
    disetujui atasan dan disepakati"), not #2 ("belum membuat SKP")."""
    from sinkro.domain.pemeriksaan import periksa

    galat = periksa(cm.bangun_cermin(_data_tahap(tahap, 4, None), "2024-1"), "skp").galat
    assert (galat.nomor, galat.extra["nilai_pmm"]) == (nomor, tahap)


def test_tahap_lama_tidak_menimpa_skp_yang_sudah_disepakati():
    """Out of order: the "diajukan" (versi 4) arriving after the agreed SKP (versi 6) changes nothing."""
    cermin = cm.bangun_cermin(_data_tahap("diajukan", 4, 6), "2024-1")
    assert cermin.pmm.skp.status.value == "disepakati" and cermin.pmm.skp.versi == 6
    cermin = cm.bangun_cermin(_data_tahap("disepakati", 6, None), "2024-1")
    assert cermin.pmm.skp is None  # agreed, content not received yet: #2 with its retry-within-24-hours follow-up


def test_potongan_ulang_laju_menunggu_retry_after_atau_minta_dikirim_ulang():
    """A chunk rescheduled after e-Kinerja's 429 waits its `tidak_sebelum`: in process when short,
    else the delivery fails so Pub/Sub brings it back later (nothing is marked done meanwhile)."""
    from datetime import timedelta

    from shared.contracts.sinkro import BatchDijadwalkan, ButirSinkro
    from sinkro.service import BelumWaktunya, tunggu_giliran

    t = datetime(2024, 3, 1, tzinfo=timezone.utc)
    butir = [ButirSinkro(pegawai_id="p", jenis="skp", periode="2024-1")]
    tidur = []
    tunggu_giliran(BatchDijadwalkan(batch_id="b", alasan="ulang_laju", butir=butir,
                                    tidak_sebelum=t + timedelta(seconds=20)), t, tidur.append)
    assert tidur == [20.0]
    tunggu_giliran(BatchDijadwalkan(batch_id="b", alasan="jadwal_harian", butir=butir), t, tidur.append)
    assert tidur == [20.0]
    with pytest.raises(BelumWaktunya):
        tunggu_giliran(BatchDijadwalkan(batch_id="b", alasan="ulang_laju", butir=butir,
                                        tidak_sebelum=t + timedelta(minutes=10)), t, tidur.append)


# --- the SKP sebagai Plt. Kepala Sekolah is its own record ("Sinkro data PLT PMM", #18-#20)
def _rencana(npsn: str, versi: int, teks: str, plt: bool) -> dict:
    return {"rencana_id": f"r-{npsn}-{plt}", "ptk_id": "p", "nip": NIP, "periode": "2024-1", "npsn": npsn,
            "nama_sekolah": f"SD {npsn}", "jabatan": "kepala_sekolah" if plt else "guru",
            "atasan": {"jenis": "kepala_dinas", "ptk_id": "k"}, "perilaku": [{"nama": "Kolaboratif"}],
            "rhk": [{"urutan": 1, "teks": teks, "indikator": "i"}], "versi": versi, "plt": plt}


def test_kunci_skp_plt_per_sekolah_tidak_menimpa_skp_guru():
    guru = _rencana("60300001", 1, "guru", plt=False)
    plt_a, plt_b = _rencana("60300002", 3, "plt a", plt=True), _rencana("60300003", 1, "plt b", plt=True)
    # the teacher SKP keeps the key stored data already has
    assert cm.kunci_payload(guru) == cm.kunci("p", "2024-1") == cm.kunci_payload(guru | {"plt": None})
    assert len({cm.kunci_payload(guru), cm.kunci_payload(plt_a), cm.kunci_payload(plt_b)}) == 3
    predikat = {"ptk_id": "p", "periode": "2024-1", "npsn": "60300002", "predikat": "baik", "versi": 1, "plt": True}
    assert cm.kunci_payload(cm.dokumen_predikat(predikat, None)) == cm.kunci_payload(cm.dokumen_rencana(plt_a, None))


def _data_plt(rencana_plt: list, predikat_plt: list = (), dapodik_plt: tuple = ()) -> dict:
    data = _data_tahap(None, 0, None)
    data["ptk"]["plt"] = [{"npsn": n} for n in dapodik_plt]
    data["sekolah"] = {"npsn": "60300001", "nama": "SD Negeri 4 Pagi"}
    data["rencana"] = cm.dokumen_rencana(_rencana("60300001", 1, "praktik guru", plt=False), None)
    data["rencana_plt"] = [cm.dokumen_rencana(r, None) for r in rencana_plt]
    data["predikat_plt"] = [cm.dokumen_predikat(p, None) for p in predikat_plt]
    data["ekinerja"] = {"nip": NIP, "unor_id": "u", "penugasan_plt": [{"unor_id": "plt-1"}]}
    return data


def test_cermin_skp_guru_dan_penugasan_plt_dari_skp_plt_per_sekolah():
    from sinkro.domain.pemeriksaan import periksa

    plt_a = _rencana("60300002", 3, "mutu sekolah a", plt=True)
    data = _data_plt([plt_a], [{"ptk_id": "p", "periode": "2024-1", "npsn": "60300002", "predikat": "baik",
                                "versi": 2, "plt": True}], dapodik_plt=("60300002",))
    cermin = cm.bangun_cermin(data, "2024-1")
    assert [r.uraian for r in cermin.pmm.skp.rhk] == ["praktik guru"] and cermin.pmm.skp.versi == 1
    assert [(t.npsn, t.nama_sekolah) for t in cermin.pmm.penugasan_plt] == [("60300002", "SD 60300002")]
    [t] = cm.penugasan_plt(data, "2024-1")
    assert [r["uraian"] for r in t["skp"]["rhk"]] == ["mutu sekolah a"] and t["predikat"]["predikat"] == "Baik"
    assert cm.versi_untuk("plt", data) == 3 + 2 and cm.versi_untuk("skp", data) == 1
    assert periksa(cermin, "plt").ok
    # a second school's Plt. SKP: PMM counts 2, e-Kinerja 1 -> #20 (the check counts SKPs per school)
    data2 = _data_plt([plt_a, _rencana("60300003", 1, "mutu sekolah b", plt=True)])
    assert periksa(cm.bangun_cermin(data2, "2024-1"), "plt").galat.nomor == 20
    assert cm.versi_untuk("plt", data2) > cm.versi_untuk("plt", _data_plt([plt_a]))


def test_plt_di_dapodik_tanpa_skp_plt_adalah_galat_18():
    from sinkro.domain.pemeriksaan import periksa

    data = _data_plt([], dapodik_plt=("60300002",))
    assert periksa(cm.bangun_cermin(data, "2024-1"), "plt").galat.nomor == 18
    assert cm.versi_untuk("plt", data) is None
