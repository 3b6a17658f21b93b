"""Penilaian, Kirim ke Dinas and Predikat over HTTP on the whole local stack (P10-P12, P14).

Reference data (schools, PTK, the Dinas and its Kepala Dinas, Rapor) is fed as events on the inbound topics, as
in test_kinerja_alur (its helpers are reused); every test has its own NPSN and Dinas. Plans are made in January
2027 and the assessment runs in June 2027 (`X-Pmm-Waktu-Uji`).
"""
from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from google.cloud import pubsub_v1

from shared.contracts.kinerja import PredikatDitetapkan
from tests.e2e.test_kinerja_alur import JAN, JUN, K, buka, db, galat, ok, pada, susun_rencana, terbitkan, tunggu_ptk, \
    tunggu_sekolah
from tests.support import pull_all, wait_until
from tests.unit.kinerja import contoh as c

pytestmark = pytest.mark.e2e
MEI = "2027-05-10T09:00:00+07:00"
PERIODE = "2027-1"
PENJELASAN = "Penilaian sudah didiskusikan dengan setiap guru dalam dialog kinerja akhir semester."
PANDUAN = ["pegawai_tidak_aktif", "pegawai_terduplikasi", "kirim_satu_kali", "ubah_sebelum_kirim",
           "poin_kompetensi_bukan_penentu", "predikat_setelah_predikat_organisasi"]


def siapkan(stack, guru: int) -> dict:
    """A school of its own Dinas: principal, `guru` teachers, a Kepala Dinas; Rapor recommending D1.2, D1.4."""
    u = c.unik()
    npsn = c.npsn_baru()
    ids = {"npsn": npsn, "dinas": f"dinas-{u}", "kd": f"kadis-{u}", "e_kd": c.email(f"kadis{u}"), "ks": f"ks-{u}",
           "e_ks": c.email(f"ks{u}"),
           "guru": [(f"guru{i}-{u}", c.email(f"guru{i}{u}")) for i in range(1, guru + 1)]}
    events = [c.event("referensi.dinas.diperbarui", c.dinas(ids["dinas"], ids["kd"], ids["e_kd"])),
              c.event("referensi.ptk.diperbarui", c.ptk(ids["ks"], npsn, jabatan="kepala_sekolah", urut=1,
                                                        surel=ids["e_ks"])),
              c.event("referensi.sekolah.diperbarui", c.sekolah(npsn, ks=ids["ks"], dinas_id=ids["dinas"])),
              c.event("referensi.rapor.diterbitkan", c.rapor(npsn, "D1.2", "D1.4"))]
    events += [c.event("referensi.ptk.diperbarui", c.ptk(g, npsn, urut=20 + i, surel=e))
               for i, (g, e) in enumerate(ids["guru"])]
    terbitkan(stack, *events)
    for g, _ in [(ids["ks"], None), *ids["guru"]]:
        tunggu_ptk(stack, g)
    tunggu_sekolah(stack, npsn)
    ref = db(stack).collection("kinerja__dinas").document(ids["dinas"])
    wait_until(lambda: ref.get().exists, timeout=60, what="dinas applied")
    return ids


def rencana_disepakati(guru, ks) -> str:
    """Plan, submit, principal approves, teacher agrees (January); returns the cycle id."""
    r = susun_rencana(guru, buka(guru))
    rid = r["rencana"]["rencana_id"]
    r = ok(guru.post(f"{K}/rencana/{rid}/ajukan", json={"versi": r["versi"]}, headers=pada(JAN)))
    r = ok(ks.post(f"{K}/rencana/{rid}/setujui", json={"versi": r["versi"]}, headers=pada(JAN)))
    ok(guru.post(f"{K}/rencana/{rid}/sepakati", json={"versi": r["versi"]}, headers=pada(JAN)))
    return rid


def langganan(stack) -> tuple[pubsub_v1.SubscriberClient, str]:
    subscriber = pubsub_v1.SubscriberClient()
    sub = subscriber.create_subscription(request={
        "name": subscriber.subscription_path(stack.project, f"uji-predikat-{c.unik()}"),
        "topic": pubsub_v1.PublisherClient().topic_path(stack.project, "kinerja.predikat.ditetapkan")}).name
    return subscriber, sub


def rating(client, sid: str, versi: int, hasil: str | None, perilaku: str, when: str = JUN):
    body = {"versi": versi, "rating_perilaku_kerja": perilaku, "catatan_perilaku_kerja": "Kolaboratif."}
    if hasil:
        body |= {"rating_hasil_kerja": hasil, "catatan_hasil_kerja": "Praktik kelas meningkat."}
    return client.put(f"{K}/penilaian/{sid}", json=body, headers=pada(when))


def test_p10_p12_lima_guru_dinilai_dikirim_sekali_predikat_organisasi_lalu_predikat_guru_dengan_kurva(stack, as_user):
    ids = siapkan(stack, guru=5)
    npsn = ids["npsn"]
    ks, kd = as_user(ids["ks"], ids["e_ks"]), as_user(ids["kd"], ids["e_kd"])
    guru = [as_user(g, e) for g, e in ids["guru"]]
    subscriber, sub = langganan(stack)
    sid = [rencana_disepakati(g, ks) for g in guru]
    hal = f"{K}/sekolah/{npsn}/penilaian"

    page = ok(ks.get(hal, params={"periode": PERIODE}, headers=pada(JUN)))
    assert sorted(g["siklus_id"] for g in page["guru"] if g["dapat_dinilai"]) == sorted(sid)
    assert all(g["poin_kompetensi"] == 44 for g in page["guru"]) and len(page["panduan"]) == 6
    galat(guru[0].get(hal, params={"periode": PERIODE}), 403, "bukan_kepala_sekolah")

    # P10: ratings in the window by the principal only
    galat(rating(guru[1], sid[0], 0, "sesuai_ekspektasi", "sesuai_ekspektasi"), 403, "bukan_atasan")
    galat(rating(guru[0], sid[0], 0, "sesuai_ekspektasi", "sesuai_ekspektasi"), 403, "tidak_dapat_menilai_diri_sendiri")
    galat(rating(kd, sid[0], 0, "sesuai_ekspektasi", "sesuai_ekspektasi"), 403, "bukan_atasan")
    galat(rating(ks, sid[0], 0, "sesuai_ekspektasi", "sesuai_ekspektasi", when=MEI), 422, "di_luar_masa_penilaian")
    galat(rating(ks, sid[0], 0, None, "sesuai_ekspektasi"), 422, "rating_hasil_kerja_wajib")
    # two tabs rate the same teacher at once: exactly one wins
    with ThreadPoolExecutor(2) as pool:
        hasil = list(pool.map(lambda r: rating(ks, sid[0], 0, r, "sesuai_ekspektasi"),
                              ["sesuai_ekspektasi", "di_atas_ekspektasi"]))
    assert sorted(r.status_code for r in hasil) == [200, 409]
    v0 = next(r.json()["versi"] for r in hasil if r.status_code == 200)
    r = ok(rating(ks, sid[0], v0, "sesuai_ekspektasi", "sesuai_ekspektasi"))  # changed before sending
    assert r["versi"] == v0 + 1 and r["poin_kompetensi"] == 44 and r["label_rating"]["hasil_kerja"] == "Sesuai Ekspektasi"
    for s in sid[1:4]:
        ok(rating(ks, s, 0, "sesuai_ekspektasi", "sesuai_ekspektasi"))  # matrix: Baik
    ok(rating(ks, sid[4], 0, "di_atas_ekspektasi", "di_atas_ekspektasi"))  # matrix: Sangat Baik

    # P11: checklist and draft, then send once with confirmation and explanation
    kir = f"{K}/sekolah/{npsn}/periode/{PERIODE}/kiriman"
    d = ok(ks.put(kir, json={"versi": 0, "panduan_dicentang": PANDUAN[:2], "penjelasan": "Draf."}, headers=pada(JUN)))
    assert d["pengiriman"]["versi"] == 1 and d["pengiriman"]["draf_penjelasan"] == "Draf."
    galat(guru[0].put(kir, json={"versi": 1, "penjelasan": "x"}, headers=pada(JUN)), 403, "bukan_kepala_sekolah")
    body = galat(ks.post(f"{kir}/kirim", json={"versi": 1, "konfirmasi": True, "penjelasan": PENJELASAN},
                         headers=pada(JUN)), 422, "panduan_belum_dicentang")
    assert body["item_ids"] == PANDUAN[2:]
    d = ok(ks.put(kir, json={"versi": 1, "panduan_dicentang": PANDUAN, "penjelasan": "Draf kedua."}, headers=pada(JUN)))
    galat(ks.post(f"{kir}/kirim", json={"versi": 1, "konfirmasi": True, "penjelasan": PENJELASAN}, headers=pada(JUN)),
          409, "versi_tidak_cocok")
    galat(ks.post(f"{kir}/kirim", json={"versi": 2, "konfirmasi": False, "penjelasan": PENJELASAN}, headers=pada(JUN)),
          422, "konfirmasi_belum_dicentang")
    galat(ks.post(f"{kir}/kirim", json={"versi": 2, "konfirmasi": True, "penjelasan": "Setuju."}, headers=pada(JUN)),
          422, "penjelasan_terlalu_pendek")
    galat(kd.put(f"{K}/sekolah/{npsn}/periode/{PERIODE}/predikat-organisasi", json={"versi": 0, "predikat": "baik"},
                 headers=pada(JUN)), 422, "penilaian_sekolah_belum_dikirim")
    k = ok(ks.post(f"{kir}/kirim", json={"versi": 2, "konfirmasi": True, "penjelasan": PENJELASAN}, headers=pada(JUN)))
    assert sorted(k["terkirim"]) == sorted(g for g, _ in ids["guru"]) and len(k["pengiriman"]["kiriman"]) == 1
    # a second send of the same ratings is refused; a sent rating cannot change
    galat(ks.post(f"{kir}/kirim", json={"versi": k["pengiriman"]["versi"], "konfirmasi": True, "penjelasan": PENJELASAN},
                  headers=pada(JUN)), 422, "tidak_ada_penilaian_untuk_dikirim")
    sekarang = ok(ks.get(f"{K}/penilaian/{sid[0]}"))
    assert sekarang["penilaian"]["nomor_kiriman"] == 1
    galat(rating(ks, sid[0], sekarang["versi"], "di_bawah_ekspektasi", "sesuai_ekspektasi"), 409,
          "penilaian_sudah_dikirim")

    # P12: the Kepala Dinas sees the schools of the district and the data sent
    dinas = ok(kd.get(f"{K}/dinas/sekolah", params={"periode": PERIODE}))
    assert [(s["npsn"], s["data_terkirim"], s["jumlah_guru_terkirim"]) for s in dinas["sekolah"]] == [(npsn, True, 5)]
    data = ok(kd.get(f"{K}/dinas/sekolah/{npsn}/penilaian", params={"periode": PERIODE}))
    assert len(data["penilaian"]) == 5 and data["kiriman"][0]["penjelasan"] == PENJELASAN
    galat(ks.get(f"{K}/dinas/sekolah", params={"periode": PERIODE}), 403, "bukan_kepala_dinas")
    org_url = f"{K}/sekolah/{npsn}/periode/{PERIODE}/predikat-organisasi"
    galat(ks.put(org_url, json={"versi": 0, "predikat": "istimewa"}, headers=pada(JUN)), 403, "bukan_kepala_dinas")
    # the principal cannot set teacher predicates before the organisation predicate
    pred = f"{K}/sekolah/{npsn}/periode/{PERIODE}/predikat"
    galat(ks.put(pred, json={"versi": 0, "predikat": []}, headers=pada(JUN)), 422, "predikat_organisasi_belum_ada")
    org = ok(kd.put(org_url, json={"versi": 0, "predikat": "baik"}, headers=pada(JUN)))
    assert org["label"] == "Baik" and org["versi"] == 1

    # pre-filled from the matrix: 4 Baik + 1 Sangat Baik breaks the Baik curve; every bound named with counts
    page = ok(ks.get(hal, params={"periode": PERIODE}, headers=pada(JUN)))
    assert page["predikat_organisasi"]["predikat"] == "baik"
    assert sorted(g["predikat_matriks"] for g in page["guru"]) == ["baik"] * 4 + ["sangat_baik"]
    assert [v["jenis"] for v in page["pelanggaran_kurva"]] == ["paling_banyak", "harus_ada"]
    isian = [{"pegawai_id": g} for g, _ in ids["guru"]]
    body = galat(ks.put(pred, json={"versi": 0, "predikat": isian}, headers=pada(JUN)), 422,
                 "kurva_distribusi_tidak_terpenuhi")
    assert [(v["jenis"], v["batas_jumlah"], v["jumlah_saat_ini"], v["selisih"]) for v in body["pelanggaran"]] == [
        ("paling_banyak", 3, 4, 1), ("harus_ada", 1, 0, 1)]
    assert "Baik paling banyak 70% (3 dari 5 guru ASN); saat ini 4: kurangi 1" in body["pesan"]
    diubah = ids["guru"][3][0]
    isian[3] = {"pegawai_id": diubah, "predikat": "butuh_perbaikan"}
    galat(ks.put(pred, json={"versi": 0, "predikat": isian}, headers=pada(JUN)), 422, "alasan_penyesuaian_wajib")
    galat(guru[0].put(pred, json={"versi": 0, "predikat": isian}, headers=pada(JUN)), 403, "bukan_kepala_sekolah")
    isian[3]["alasan_penyesuaian"] = "Tindak lanjut observasi belum dijalankan."
    hasil = ok(ks.put(pred, json={"versi": 0, "predikat": isian}, headers=pada(JUN)))
    assert hasil["versi"] == 1 and len(hasil["diterbitkan"]) == 5
    assert hasil["entri"][diubah]["predikat"] == "butuh_perbaikan"
    galat(ks.put(pred, json={"versi": 0, "predikat": isian}, headers=pada(JUN)), 409, "versi_tidak_cocok")
    galat(kd.put(org_url, json={"versi": 1, "predikat": "istimewa"}, headers=pada(JUN)), 409,
          "predikat_organisasi_terkunci")

    # kinerja.predikat.ditetapkan reached its topic, one per teacher, every field filled
    pesan = [PredikatDitetapkan.model_validate_json(m.message.data) for m in pull_all(subscriber, sub, expect=5,
                                                                                        timeout=90)]
    pesan = {p.ptk_id: p for p in pesan if p.npsn == npsn}
    assert set(pesan) == {g for g, _ in ids["guru"]}
    p = pesan[diubah]
    assert (p.predikat, p.predikat_matriks, p.disesuaikan, p.predikat_organisasi, p.periode, p.jabatan, p.versi) == \
        ("butuh_perbaikan", "baik", True, "baik", PERIODE, "guru", 1)
    assert p.nip == c.nip(23) and p.rating_hasil_kerja == "sesuai_ekspektasi" and p.predikat_id == sid[3]
    assert pesan[ids["guru"][4][0]].predikat == "sangat_baik"
    # the teacher sees their own result
    mine = ok(guru[3].get(f"{K}/penilaian/{sid[3]}"))
    assert mine["peran"] == "pemilik" and mine["label_predikat"] == "Butuh Perbaikan"


def test_p14_kepala_sekolah_menjalani_siklusnya_dinilai_kepala_dinas(stack, as_user):
    ids = siapkan(stack, guru=1)
    npsn = ids["npsn"]
    ks, kd = as_user(ids["ks"], ids["e_ks"]), as_user(ids["kd"], ids["e_kd"])
    guru = as_user(*ids["guru"][0])
    subscriber, sub = langganan(stack)
    # the principal's own plan with D3 Kepemimpinan Pembelajaran, approved by the Kepala Dinas
    awal = buka(ks)
    rid, h = awal["rencana"]["rencana_id"], pada(JAN)
    v = ok(ks.put(f"{K}/rencana/{rid}/cek-data", json={"versi": awal["versi"]}, headers=h))["versi"]
    pilihan = ok(ks.get(f"{K}/rencana/{rid}/pilihan-praktik"))["pilihan"]
    assert all(p["sub_indikator_id"].startswith("D3") for p in pilihan) and len(pilihan) == 8
    galat(ks.put(f"{K}/rencana/{rid}/praktik-kinerja", json={"versi": v, "sub_indikator_id": "D1.2"}, headers=h), 422,
          "sub_indikator_tidak_sesuai_jabatan")
    v = ok(ks.put(f"{K}/rencana/{rid}/praktik-kinerja", json={"versi": v, "sub_indikator_id": "D3.1"}, headers=h))["versi"]
    v = ok(ks.put(f"{K}/rencana/{rid}/pengembangan-kompetensi", json={"versi": v, "kegiatan": c.PENGEMBANGAN},
                  headers=h))["versi"]
    v = ok(ks.put(f"{K}/rencana/{rid}/tugas-tambahan", json={"versi": v, "tugas": []}, headers=h))["versi"]
    v = ok(ks.put(f"{K}/rencana/{rid}/perilaku-kerja", json={"versi": v, "nilai_ids": c.PERILAKU}, headers=h))["versi"]
    v = ok(ks.put(f"{K}/rencana/{rid}/rangkuman", json={"versi": v}, headers=h))["versi"]
    r = ok(ks.post(f"{K}/rencana/{rid}/ajukan", json={"versi": v}, headers=h))
    assert r["rencana"]["atasan"]["jenis"] == "kepala_dinas" and r["rencana"]["atasan"]["id"] == ids["kd"]
    assert [x["rencana"]["rencana_id"] for x in ok(kd.get(f"{K}/persetujuan"))["rencana"]] == [rid]
    r = ok(kd.post(f"{K}/rencana/{rid}/setujui", json={"versi": r["versi"]}, headers=h))
    ok(ks.post(f"{K}/rencana/{rid}/sepakati", json={"versi": r["versi"]}, headers=h))

    # the school: its one teacher rated and sent; the Kepala Dinas sets Istimewa
    gsid = rencana_disepakati(guru, ks)
    galat(rating(kd, rid, 0, None, "sesuai_ekspektasi"), 422, "predikat_organisasi_belum_ada")
    ok(rating(ks, gsid, 0, "sesuai_ekspektasi", "sesuai_ekspektasi"))
    kir = f"{K}/sekolah/{npsn}/periode/{PERIODE}/kiriman"
    d = ok(ks.put(kir, json={"versi": 0, "panduan_dicentang": PANDUAN}, headers=pada(JUN)))
    ok(ks.post(f"{kir}/kirim", json={"versi": d["pengiriman"]["versi"], "konfirmasi": True, "penjelasan": PENJELASAN},
               headers=pada(JUN)))
    ok(kd.put(f"{K}/sekolah/{npsn}/periode/{PERIODE}/predikat-organisasi", json={"versi": 0, "predikat": "istimewa"},
              headers=pada(JUN)))

    # the Kepala Dinas rates the principal: Rating Hasil Kerja is the school's result, Perilaku is theirs
    galat(rating(ks, rid, 0, None, "di_atas_ekspektasi"), 403, "tidak_dapat_menilai_diri_sendiri")
    galat(rating(guru, rid, 0, None, "di_atas_ekspektasi"), 403, "bukan_atasan")
    galat(rating(kd, rid, 0, "sesuai_ekspektasi", "sesuai_ekspektasi"), 422, "rating_hasil_kerja_mengikuti_organisasi")
    r = ok(rating(kd, rid, 0, None, "sesuai_ekspektasi"))
    assert r["kepala_sekolah"] and r["penilaian"]["rating_hasil_kerja"] == "di_atas_ekspektasi"
    galat(ks.put(f"{K}/penilaian/{rid}/predikat", json={"versi": 0}, headers=pada(JUN)), 403,
          "tidak_dapat_menilai_diri_sendiri")
    galat(kd.put(f"{K}/penilaian/{gsid}/predikat", json={"versi": 0}, headers=pada(JUN)), 422,
          "bukan_siklus_kepala_sekolah")
    pr = ok(kd.put(f"{K}/penilaian/{rid}/predikat", json={"versi": 0}, headers=pada(JUN)))
    assert pr["predikat"]["predikat"] == "baik" and pr["label"] == "Baik" and pr["versi"] == 1  # A x S -> Baik
    galat(rating(kd, rid, r["versi"], None, "di_atas_ekspektasi"), 409, "predikat_sudah_ditetapkan")
    pesan = [PredikatDitetapkan.model_validate_json(m.message.data) for m in pull_all(subscriber, sub, expect=1,
                                                                                        timeout=90)]
    [p] = [p for p in pesan if p.ptk_id == ids["ks"]]
    assert (p.jabatan, p.predikat, p.predikat_organisasi, p.rating_hasil_kerja, p.rating_perilaku_kerja, p.npsn,
            p.nip) == ("kepala_sekolah", "baik", "istimewa", "di_atas_ekspektasi", "sesuai_ekspektasi", npsn, c.nip(1))
    mine = ok(ks.get(f"{K}/penilaian/{rid}"))
    assert mine["peran"] == "pemilik" and mine["predikat"]["predikat"] == "baik"


def test_p14_pengawas_yang_didelegasikan_masuk_dan_menilai_kepala_sekolah(stack, as_user):
    """The pengawas's e-mail arrives on `referensi.pengawas.diperbarui` through the real push subscription; the
    Kepala Dinas delegated the principal to them (`delegasi_penilai`): they sign in, approve the principal's plan,
    rate them and set their predicate. Another pengawas of the same Dinas is refused; a deactivated one is unknown."""
    ids = siapkan(stack, guru=1)
    npsn, u = ids["npsn"], c.unik()
    pgw, e_pgw, lain, e_lain = f"pengawas-{u}", c.email(f"pengawas{u}"), f"pengawas2-{u}", c.email(f"pengawas2{u}")
    ks, kd, guru = as_user(ids["ks"], ids["e_ks"]), as_user(ids["kd"], ids["e_kd"]), as_user(*ids["guru"][0])
    pengawas, pengawas_lain = as_user(pgw, e_pgw), as_user(lain, e_lain)
    galat(pengawas.get(f"{K}/saya"), 403, "akun_belum_terdaftar")  # no contract carried the e-mail yet
    terbitkan(stack, c.event("referensi.pengawas.diperbarui", c.pengawas(pgw, e_pgw, dinas_id=ids["dinas"])),
              c.event("referensi.pengawas.diperbarui", c.pengawas(lain, e_lain, dinas_id=ids["dinas"])),
              c.event("referensi.sekolah.diperbarui", c.sekolah(
                  npsn, ks=ids["ks"], dinas_id=ids["dinas"], versi=2, pengawas_ids=[pgw, lain],
                  delegasi_penilai={"pengawas_id": pgw, "nomor_sk": "SK-DELEGASI/1"})))
    for klien in (pengawas, pengawas_lain):
        wait_until(lambda: klien.get(f"{K}/saya").status_code == 200, timeout=60, what="pengawas signed in")
    assert ok(pengawas.get(f"{K}/saya"))["peran"] == ["pengawas"]
    ref = db(stack).collection("kinerja__sekolah").document(npsn)
    wait_until(lambda: (ref.get().to_dict() or {}).get("delegasi_penilai"), timeout=60, what="delegation applied")

    # the principal's plan goes to the delegated pengawas, who approves it; the other pengawas may not
    awal = buka(ks)
    rid, h = awal["rencana"]["rencana_id"], pada(JAN)
    v = ok(ks.put(f"{K}/rencana/{rid}/cek-data", json={"versi": awal["versi"]}, headers=h))["versi"]
    for langkah, body in (("praktik-kinerja", {"sub_indikator_id": "D3.1"}),
                          ("pengembangan-kompetensi", {"kegiatan": c.PENGEMBANGAN}), ("tugas-tambahan", {"tugas": []}),
                          ("perilaku-kerja", {"nilai_ids": c.PERILAKU}), ("rangkuman", {})):
        v = ok(ks.put(f"{K}/rencana/{rid}/{langkah}", json={"versi": v, **body}, headers=h))["versi"]
    r = ok(ks.post(f"{K}/rencana/{rid}/ajukan", json={"versi": v}, headers=h))
    assert r["rencana"]["atasan"]["jenis"] == "pengawas" and r["rencana"]["atasan"]["id"] == pgw
    assert [x["rencana"]["rencana_id"] for x in ok(pengawas.get(f"{K}/persetujuan"))["rencana"]] == [rid]
    assert ok(pengawas_lain.get(f"{K}/persetujuan"))["rencana"] == []
    galat(pengawas_lain.post(f"{K}/rencana/{rid}/setujui", json={"versi": r["versi"]}, headers=h), 403,
          "bukan_atasan")
    r = ok(pengawas.post(f"{K}/rencana/{rid}/setujui", json={"versi": r["versi"]}, headers=h))
    ok(ks.post(f"{K}/rencana/{rid}/sepakati", json={"versi": r["versi"]}, headers=h))

    # the school's result: its teacher rated and sent, the Kepala Dinas sets the organisation predicate
    gsid = rencana_disepakati(guru, ks)
    ok(rating(ks, gsid, 0, "sesuai_ekspektasi", "sesuai_ekspektasi"))
    kir = f"{K}/sekolah/{npsn}/periode/{PERIODE}/kiriman"
    d = ok(ks.put(kir, json={"versi": 0, "panduan_dicentang": PANDUAN}, headers=pada(JUN)))
    ok(ks.post(f"{kir}/kirim", json={"versi": d["pengiriman"]["versi"], "konfirmasi": True, "penjelasan": PENJELASAN},
               headers=pada(JUN)))
    galat(pengawas.put(f"{K}/sekolah/{npsn}/periode/{PERIODE}/predikat-organisasi",
                       json={"versi": 0, "predikat": "baik"}, headers=pada(JUN)), 403, "bukan_kepala_dinas")
    ok(kd.put(f"{K}/sekolah/{npsn}/periode/{PERIODE}/predikat-organisasi", json={"versi": 0, "predikat": "baik"},
              headers=pada(JUN)))

    # the delegated pengawas rates the principal and sets the predicate; the other pengawas is refused
    galat(rating(pengawas_lain, rid, 0, None, "di_atas_ekspektasi"), 403, "bukan_atasan")
    galat(pengawas_lain.get(f"{K}/penilaian/{rid}"), 403, "tidak_berhak_melihat")
    galat(rating(pengawas, gsid, 1, "sesuai_ekspektasi", "sesuai_ekspektasi"), 403, "bukan_atasan")  # a teacher
    r = ok(rating(pengawas, rid, 0, None, "di_atas_ekspektasi"))
    assert r["kepala_sekolah"] and r["penilaian"]["rating_hasil_kerja"] == "sesuai_ekspektasi"
    assert ok(pengawas.get(f"{K}/penilaian/{rid}"))["peran"] == "penilai"
    galat(pengawas_lain.put(f"{K}/penilaian/{rid}/predikat", json={"versi": 0}, headers=pada(JUN)), 403,
          "bukan_atasan")
    pr = ok(pengawas.put(f"{K}/penilaian/{rid}/predikat", json={"versi": 0}, headers=pada(JUN)))
    assert pr["predikat"]["predikat"] == "baik" and pr["versi"] == 1  # Sesuai x Di atas -> Baik

    # deactivated: the identity entry is cleared, the pengawas can no longer sign in
    terbitkan(stack, c.event("referensi.pengawas.diperbarui",
                             c.pengawas(lain, e_lain, dinas_id=ids["dinas"], versi=2, status="nonaktif")))
    wait_until(lambda: pengawas_lain.get(f"{K}/saya").status_code == 403, timeout=60, what="pengawas deactivated")
    galat(pengawas_lain.get(f"{K}/saya"), 403, "akun_belum_terdaftar")


# Budgets per request (reads, writes) of the assessment routes, N = teachers of the school (here at most 5):
# the figures in services/kinerja/README.md; a change that makes a route costlier fails here first.
N, S = 5, 1  # teachers of the biggest school here; schools of the Dinas
ANGGARAN = {
    ("PUT", "/v1/kinerja/penilaian/<siklus_id>"): (8, 1),  # guru 5; kepala sekolah 8 (+ Dinas, org., predikat)
    ("GET", "/v1/kinerja/penilaian/<siklus_id>"): (7, 0),  # 6; 7 for a principal's cycle (+ Dinas)
    ("GET", "/v1/kinerja/sekolah/<npsn>/penilaian"): (2 + (N + 1) + 3 * N + 3, 0),
    ("PUT", "/v1/kinerja/sekolah/<npsn>/periode/<periode>/kiriman"): (3, 1),
    ("POST", "/v1/kinerja/sekolah/<npsn>/periode/<periode>/kiriman/kirim"): (3 + (N + 1) + N, 1 + N),
    ("GET", "/v1/kinerja/dinas/sekolah"): (2 + S + 2 * S, 0),
    ("GET", "/v1/kinerja/dinas/sekolah/<npsn>/penilaian"): (5 + 2 * N, 0),
    ("PUT", "/v1/kinerja/sekolah/<npsn>/periode/<periode>/predikat-organisasi"): (7, 1),  # 5 the first time
    ("PUT", "/v1/kinerja/sekolah/<npsn>/periode/<periode>/predikat"): (5 + 2 * N, 1 + 3 * N),  # event: +entry +delete
    ("PUT", "/v1/kinerja/penilaian/<siklus_id>/predikat"): (8, 3),
}


def test_zz_baca_tulis_firestore_per_rute_penilaian_dalam_anggaran(stack):
    """Reads/writes of each successful assessment request, from the function's request log."""
    terukur: dict[tuple[str, str], set[tuple[int, int]]] = {}
    log = stack.state_dir / "logs" / "kinerja.log"
    for line in log.read_text(errors="replace").splitlines():
        if not line.startswith("{"):
            continue
        rec = json.loads(line)
        http = rec.get("httpRequest") or {}
        if rec.get("message") != "request" or http.get("status", 500) >= 300:
            continue
        kunci = (http.get("requestMethod"), rec.get("route"))
        if kunci in ANGGARAN:
            terukur.setdefault(kunci, set()).add((rec["firestore_reads"], rec["firestore_writes"]))
    print("\nroute (reads, writes):")
    for (m, r), v in sorted(terukur.items(), key=lambda kv: (kv[0][1] or "", kv[0][0] or "")):
        print(f"  {m} {r}: {sorted(v)}")
    for kunci, (baca, tulis) in ANGGARAN.items():
        assert kunci in terukur, f"{kunci} not exercised"
        assert all(b <= baca and t <= tulis for b, t in terukur[kunci]), (kunci, terukur[kunci])
