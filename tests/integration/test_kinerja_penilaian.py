"""Penilaian, Kirim ke Dinas, Predikat against the real Firestore emulator (P10-P12, P14, P1 transitions).

Reference data arrives through the real consumer helper (as in test_kinerja_layanan); the use cases run in real
transactions with their outbox, so the published `kinerja.predikat.ditetapkan` payloads are read from the outbox.
"""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from kinerja.domain.penilaian import ID_PANDUAN, Rating
from kinerja.domain.predikat import Predikat, PredikatOrganisasi
from kinerja.domain.siklus import siklus_id
from kinerja.service import penilaian, predikat, rencana, sekolah
from shared.contracts.kinerja import PredikatDitetapkan
from shared.errors import DomainError
from tests.integration.test_kinerja_layanan import kirim, rencana_lengkap, uow
from tests.unit.kinerja import contoh as c

pytestmark = pytest.mark.integration
WIB = timezone(timedelta(hours=7))
JAN = datetime(2027, 1, 10, 9, tzinfo=WIB)
MEI = datetime(2027, 5, 10, 9, tzinfo=WIB)
JUN = datetime(2027, 6, 10, 9, tzinfo=WIB)
JUL = datetime(2027, 7, 5, 9, tzinfo=WIB)
A, S, B = Rating.di_atas_ekspektasi, Rating.sesuai_ekspektasi, Rating.di_bawah_ekspektasi
PENJELASAN = "Penilaian sudah didiskusikan dengan setiap guru dalam dialog kinerja akhir semester."
KS, KD = c.email("ks1"), c.email("kadis1")


def kode(fn, *args, **kw) -> str:
    with pytest.raises(DomainError) as info:
        fn(*args, **kw)
    return info.value.kode


def galat(fn, *args, **kw) -> DomainError:
    with pytest.raises(DomainError) as info:
        fn(*args, **kw)
    return info.value


def sekolah_penuh(db, guru: int = 3, lain: bool = False) -> dict:
    """A school with a principal, `guru` teachers with agreed plans (2027-1), a Dinas with its Kepala Dinas."""
    npsn = c.npsn_baru()
    kirim(db, "referensi.dinas.diperbarui", c.dinas("dinas-a", "kadis-1", KD))
    kirim(db, "referensi.ptk.diperbarui", c.ptk("ks-1", npsn, jabatan="kepala_sekolah", urut=1, surel=KS))
    for i in range(1, guru + 1):
        kirim(db, "referensi.ptk.diperbarui", c.ptk(f"guru-{i}", npsn, urut=10 + i, surel=c.email(f"guru{i}")))
    kirim(db, "referensi.sekolah.diperbarui", c.sekolah(npsn, ks="ks-1", dinas_id="dinas-a"))
    if lain:  # a school of another Dinas with its own Kepala Dinas
        kirim(db, "referensi.dinas.diperbarui", c.dinas("dinas-b", "kadis-2", c.email("kadis2")))
    u = uow(db)
    for i in range(1, guru + 1):
        g = c.email(f"guru{i}")
        r = rencana_lengkap(db, g)
        r = rencana.ajukan(u, g, r.rencana_id, r.versi, JAN)
        r = rencana.setujui(u, KS, r.rencana_id, r.versi, None, JAN)
        rencana.sepakati(u, g, r.rencana_id, r.versi, JAN)
    return {"npsn": npsn, "sid": {i: siklus_id(f"guru-{i}", "2027-1") for i in range(1, guru + 1)}}


def rencana_kepala_sekolah(db, surel: str = KS, plt_npsn: str | None = None):
    """A principal's plan (or an SKP sebagai Plt. of `plt_npsn`): indicator D3 Kepemimpinan Pembelajaran (P14)."""
    from kinerja.domain.rencana import InputPengembangan
    from kinerja.service import siklus
    u = uow(db)
    r = siklus.buka_siklus(u, surel, "2027-1", JAN, plt_npsn).rencana
    r = rencana.cek_data(u, surel, r.rencana_id, r.versi, JAN)
    assert kode(rencana.pilih_praktik, u, surel, r.rencana_id, r.versi, "D1.2", JAN) == \
        "sub_indikator_tidak_sesuai_jabatan"
    r = rencana.pilih_praktik(u, surel, r.rencana_id, r.versi, "D3.1", JAN)
    r = rencana.atur_pengembangan(u, surel, r.rencana_id, r.versi, [InputPengembangan(**x) for x in c.PENGEMBANGAN],
                                  JAN)
    r = rencana.atur_tugas_tambahan(u, surel, r.rencana_id, r.versi, [], JAN)
    r = rencana.atur_perilaku(u, surel, r.rencana_id, r.versi, c.PERILAKU, JAN)
    return rencana.simpan_rangkuman(u, surel, r.rencana_id, r.versi, "Kepemimpinan pembelajaran.", JAN)


def nilai(db, sid: str, hasil=S, perilaku=S, versi: int = 0, email: str = KS, when=JUN):
    return penilaian.beri_rating(uow(db), email, sid, versi,
                                 penilaian.MasukanRating(rating_hasil_kerja=hasil, rating_perilaku_kerja=perilaku,
                                                         catatan_hasil_kerja="Praktik meningkat."), when)


def outbox(db) -> list[PredikatDitetapkan]:
    return [PredikatDitetapkan.model_validate_json(d.to_dict()["data"]) for d in db.collection("kinerja__outbox").stream()
            if d.to_dict()["topic"] == "kinerja.predikat.ditetapkan"]


def test_p10_p11_p12_penilaian_kirim_predikat_organisasi_dan_predikat_guru(db):
    s = sekolah_penuh(db, guru=3, lain=True)
    npsn, sid, u = s["npsn"], s["sid"], uow(db)
    # inactive and duplicated staff of the same school (no plan): flagged with the fix
    kirim(db, "referensi.ptk.diperbarui", c.ptk("pensiun-1", npsn, urut=40, status_keaktifan="pensiun",
                                                tanggal_status="2027-03-01"))
    kirim(db, "referensi.ptk.diperbarui", c.ptk("dobel-a", npsn, urut=41))
    kirim(db, "referensi.ptk.diperbarui", c.ptk("dobel-b", npsn, urut=41, nama="PTK dobel-b kedua"))

    # P10 refusals: outside the window, not the superior, the teacher rating themselves
    assert kode(nilai, db, sid[1], when=MEI) == "di_luar_masa_penilaian"
    assert kode(nilai, db, sid[1], email=c.email("guru2")) == "bukan_atasan"
    assert kode(nilai, db, sid[1], email=c.email("guru1")) == "tidak_dapat_menilai_diri_sendiri"
    assert kode(nilai, db, sid[1], email=KD) == "bukan_atasan"
    t = nilai(db, sid[1], A, A)
    assert t.penilaian.versi == 1 and t.penilaian.poin_kompetensi == 44  # shown, never in the formula
    assert kode(nilai, db, sid[1], versi=0) == "versi_tidak_cocok"  # a second "create" loses
    t = nilai(db, sid[1], S, S, versi=1)  # changed before sending
    nilai(db, sid[2], S, S)

    h = penilaian.halaman_penilaian(u, KS, npsn, "2027-1", JUN)
    assert {b.ptk.ptk_id for b in h.baris} == {"guru-1", "guru-2", "guru-3", "pensiun-1", "dobel-a", "dobel-b"}
    jenis = {t.jenis.value: t for t in h.pratinjau.temuan}
    assert jenis["tidak_aktif"].aktor == "operator_sekolah" and "Dapodik" in jenis["tidak_aktif"].tindak_lanjut
    assert jenis["nip_ganda"].aktor == "pusat_bantuan" and set(jenis["nip_ganda"].pegawai_ids) == {"dobel-a", "dobel-b"}
    assert h.pratinjau.siap_dikirim == ("guru-1", "guru-2") and h.pratinjau.belum_dinilai == ("guru-3",)
    assert kode(penilaian.halaman_penilaian, u, c.email("guru1"), npsn, "2027-1", JUN) == "bukan_kepala_sekolah"

    # P11: draft, checklist, confirmation, explanation; sent once
    k = penilaian.simpan_draf_kiriman(u, KS, npsn, "2027-1", 0, ["kirim_satu_kali"], "Draf penjelasan.", JUN)
    assert k.versi == 1 and k.draf_penjelasan == "Draf penjelasan."
    e = galat(penilaian.kirim_ke_dinas, u, KS, npsn, "2027-1", 1, True, PENJELASAN, JUN)
    assert e.kode == "panduan_belum_dicentang" and "kirim_satu_kali" not in e.extra["item_ids"]
    assert kode(penilaian.simpan_draf_kiriman, u, c.email("guru1"), npsn, "2027-1", 1, None, "x", JUN) \
        == "bukan_kepala_sekolah"
    k = penilaian.simpan_draf_kiriman(u, KS, npsn, "2027-1", 1, sorted(ID_PANDUAN), "Draf kedua.", JUN)
    assert kode(penilaian.kirim_ke_dinas, u, KS, npsn, "2027-1", k.versi, False, PENJELASAN, JUN) \
        == "konfirmasi_belum_dicentang"
    assert kode(penilaian.kirim_ke_dinas, u, KS, npsn, "2027-1", k.versi, True, "Oke.", JUN) == "penjelasan_terlalu_pendek"
    # the Kepala Dinas cannot set the organisation predicate before the school sent its data
    assert kode(predikat.tetapkan_predikat_organisasi, u, KD, npsn, "2027-1", 0, PredikatOrganisasi.baik, JUN) \
        == "penilaian_sekolah_belum_dikirim"
    hasil = penilaian.kirim_ke_dinas(u, KS, npsn, "2027-1", k.versi, True, PENJELASAN, JUN)
    assert hasil.terkirim == ("guru-1", "guru-2") and hasil.pengiriman.kiriman[0].nomor == 1
    assert kode(penilaian.kirim_ke_dinas, u, KS, npsn, "2027-1", hasil.pengiriman.versi, True, PENJELASAN, JUN) \
        == "tidak_ada_penilaian_untuk_dikirim"
    sekarang = penilaian.lihat_penilaian(u, KS, sid[1]).penilaian
    assert sekarang.nomor_kiriman == 1
    e = galat(nilai, db, sid[1], B, B, versi=sekarang.versi)
    assert (e.kode, e.status) == ("penilaian_sudah_dikirim", 409)

    # P12: the Kepala Dinas sees the school and the data, sets the organisation predicate
    dinas, baris = predikat.daftar_sekolah_dinas(u, KD, "2027-1")
    assert [(b.sekolah.npsn, len(b.pengiriman.kiriman)) for b in baris] == [(npsn, 1)]
    data = predikat.data_sekolah_untuk_dinas(u, KD, npsn, "2027-1")
    assert [pn.pegawai_id for _, pn in data.penilaian] == ["guru-1", "guru-2"]
    assert kode(predikat.daftar_sekolah_dinas, u, KS, "2027-1") == "bukan_kepala_dinas"
    assert kode(predikat.data_sekolah_untuk_dinas, u, c.email("kadis2"), npsn, "2027-1") == "sekolah_di_luar_kewenangan"
    assert kode(predikat.tetapkan_predikat_organisasi, u, KS, npsn, "2027-1", 0, PredikatOrganisasi.baik, JUN) \
        == "bukan_kepala_dinas"
    # the principal cannot set teacher predicates before it exists
    assert kode(predikat.tetapkan_predikat_guru, u, KS, npsn, "2027-1", 0, [], JUN) == "predikat_organisasi_belum_ada"
    org = predikat.tetapkan_predikat_organisasi(u, KD, npsn, "2027-1", 0, PredikatOrganisasi.baik, JUN)
    org = predikat.tetapkan_predikat_organisasi(u, KD, npsn, "2027-1", org.versi, PredikatOrganisasi.baik, JUN)
    assert org.versi == 2  # still changeable: nothing depends on it yet

    # teacher predicates: the pre-fill (2 x Baik) violates the Baik curve -> every bound named with its counts
    I = predikat.IsianPredikat
    assert kode(predikat.tetapkan_predikat_guru, u, KS, npsn, "2027-1", 0, [I("guru-1")], JUN) == "predikat_belum_lengkap"
    assert kode(predikat.tetapkan_predikat_guru, u, KS, npsn, "2027-1", 0, [I("guru-3")], JUN) == "penilaian_belum_dikirim"
    e = galat(predikat.tetapkan_predikat_guru, u, KS, npsn, "2027-1", 0, [I("guru-1"), I("guru-2")], JUN)
    assert e.kode == "kurva_distribusi_tidak_terpenuhi"
    assert [(v["jenis"], v["batas_jumlah"], v["jumlah_saat_ini"], v["selisih"]) for v in e.extra["pelanggaran"]] == [
        ("paling_banyak", 1, 2, 1)]  # no Butuh Perbaikan / Kurang is forced on a team of two
    assert "Baik paling banyak 70% (1 dari 2 guru ASN); saat ini 2: kurangi 1" in e.pesan
    assert kode(predikat.tetapkan_predikat_guru, u, KS, npsn, "2027-1", 0,
                [I("guru-1"), I("guru-2", Predikat.butuh_perbaikan)], JUN) == "alasan_penyesuaian_wajib"
    h = predikat.tetapkan_predikat_guru(u, KS, npsn, "2027-1", 0,
                                        [I("guru-1"), I("guru-2", Predikat.butuh_perbaikan, "Tindak lanjut belum jalan.")],
                                        JUN)
    assert h.versi == 1 and h.berubah == ("guru-1", "guru-2")
    events = {p.ptk_id: p for p in outbox(db)}
    assert set(events) == {"guru-1", "guru-2"}
    g2 = events["guru-2"]
    assert (g2.nip, g2.npsn, g2.periode, g2.jabatan) == (c.nip(12), npsn, "2027-1", "guru")
    assert (g2.rating_hasil_kerja, g2.rating_perilaku_kerja, g2.predikat, g2.predikat_matriks, g2.disesuaikan) == \
        ("sesuai_ekspektasi", "sesuai_ekspektasi", "butuh_perbaikan", "baik", True)
    assert g2.predikat_organisasi == "baik" and g2.versi == 1 and g2.predikat_id == sid[2]
    # stale set refused; the organisation predicate is now locked
    assert kode(predikat.tetapkan_predikat_guru, u, KS, npsn, "2027-1", 0, [I("guru-1")], JUN) == "versi_tidak_cocok"
    assert kode(predikat.tetapkan_predikat_organisasi, u, KD, npsn, "2027-1", 2, PredikatOrganisasi.istimewa, JUN) \
        == "predikat_organisasi_terkunci"

    # a teacher rated later goes in a later batch, and joins the set; unchanged entries publish nothing
    nilai(db, sid[3], B, S)
    k2 = penilaian.kirim_ke_dinas(u, KS, npsn, "2027-1", hasil.pengiriman.versi, True, PENJELASAN, JUN)
    assert k2.terkirim == ("guru-3",) and [b.nomor for b in k2.pengiriman.kiriman] == [1, 2]
    h = predikat.tetapkan_predikat_guru(u, KS, npsn, "2027-1", 1, [I("guru-3")], JUN)
    assert h.berubah == ("guru-3",) and set(h.entri) == {"guru-1", "guru-2", "guru-3"}
    assert sorted(p.ptk_id for p in outbox(db)) == ["guru-1", "guru-2", "guru-3"]
    # the teacher sees their own ratings and predicate; another teacher does not
    t = penilaian.lihat_penilaian(u, c.email("guru2"), sid[2])
    assert t.predikat.predikat is Predikat.butuh_perbaikan and t.peran == "pemilik"
    assert kode(penilaian.lihat_penilaian, u, c.email("guru1"), sid[2]) == "tidak_berhak_melihat"
    # the school view shows the assessment stage
    rows = {b.ptk.ptk_id: b.tahap for b in sekolah.daftar_guru(u, KS, npsn, "2027-1")}
    assert rows["guru-1"] == "penilaian_dikirim"


def test_p14_kepala_sekolah_dinilai_kepala_dinas_hasil_sekolah_adalah_rating_hasil_kerja(db):
    s = sekolah_penuh(db, guru=1)
    npsn, u = s["npsn"], uow(db)
    # the principal's own plan (D3) goes to the Kepala Dinas
    r = rencana_kepala_sekolah(db)
    assert r.praktik.sub_indikator_id == "D3.1"
    r = rencana.ajukan(u, KS, r.rencana_id, r.versi, JAN)
    assert r.atasan.jenis.value == "kepala_dinas" and r.atasan.id == "kadis-1"
    r = rencana.setujui(u, KD, r.rencana_id, r.versi, None, JAN)
    r = rencana.sepakati(u, KS, r.rencana_id, r.versi, JAN)
    sid_ks = r.rencana_id
    m = penilaian.MasukanRating(rating_perilaku_kerja=A)
    # before the school's result exists, the principal cannot be rated
    assert kode(penilaian.beri_rating, u, KD, sid_ks, 0, m, JUN) == "predikat_organisasi_belum_ada"
    nilai(db, s["sid"][1], S, S)
    k = penilaian.simpan_draf_kiriman(u, KS, npsn, "2027-1", 0, sorted(ID_PANDUAN), None, JUN)
    penilaian.kirim_ke_dinas(u, KS, npsn, "2027-1", k.versi, True, PENJELASAN, JUN)
    predikat.tetapkan_predikat_organisasi(u, KD, npsn, "2027-1", 0, PredikatOrganisasi.istimewa, JUN)
    # refusals: the principal rates themselves, a teacher rates them, a wrong Rating Hasil Kerja
    assert kode(penilaian.beri_rating, u, KS, sid_ks, 0, m, JUN) == "tidak_dapat_menilai_diri_sendiri"
    assert kode(penilaian.beri_rating, u, c.email("guru1"), sid_ks, 0, m, JUN) == "bukan_atasan"
    salah = penilaian.MasukanRating(rating_perilaku_kerja=A, rating_hasil_kerja=S)
    assert kode(penilaian.beri_rating, u, KD, sid_ks, 0, salah, JUN) == "rating_hasil_kerja_mengikuti_organisasi"
    t = penilaian.beri_rating(u, KD, sid_ks, 0, m, JUN)
    assert t.pimpinan and t.penilaian.rating_hasil_kerja is A  # Istimewa -> Di Atas Ekspektasi
    # the principal's predicate is not part of the teachers' set
    assert kode(predikat.tetapkan_predikat_kepala_sekolah, u, KD, s["sid"][1], 0, None, None, JUN) \
        == "bukan_siklus_kepala_sekolah"
    assert kode(predikat.tetapkan_predikat_kepala_sekolah, u, KS, sid_ks, 0, None, None, JUN) \
        == "tidak_dapat_menilai_diri_sendiri"
    pr = predikat.tetapkan_predikat_kepala_sekolah(u, KD, sid_ks, 0, None, None, JUN)
    assert pr.predikat is Predikat.sangat_baik and pr.versi == 1
    [ev] = [p for p in outbox(db) if p.ptk_id == "ks-1"]
    assert (ev.jabatan, ev.predikat, ev.predikat_organisasi, ev.rating_hasil_kerja, ev.nip) == \
        ("kepala_sekolah", "sangat_baik", "istimewa", "di_atas_ekspektasi", c.nip(1))
    # locked afterwards: the rating and the organisation predicate
    assert kode(penilaian.beri_rating, u, KD, sid_ks, 1, m, JUN) == "predikat_sudah_ditetapkan"
    assert kode(predikat.tetapkan_predikat_organisasi, u, KD, npsn, "2027-1", 1, PredikatOrganisasi.baik, JUN) \
        == "predikat_organisasi_terkunci"


def test_p12_guru_non_asn_tidak_dihitung_dalam_kurva(db):
    """A non-ASN teacher who joined is rated and sent, but the curve counts the three ASN only."""
    s = sekolah_penuh(db, guru=3)
    npsn, sid, u = s["npsn"], dict(s["sid"]), uow(db)
    honorer = c.email("honorer1")
    kirim(db, "referensi.ptk.diperbarui", c.ptk("honorer-1", npsn, status="honorer", urut=50, surel=honorer))
    r = rencana_lengkap(db, honorer)
    r = rencana.ajukan(u, honorer, r.rencana_id, r.versi, JAN)
    r = rencana.setujui(u, KS, r.rencana_id, r.versi, None, JAN)
    rencana.sepakati(u, honorer, r.rencana_id, r.versi, JAN)
    sid["h"] = siklus_id("honorer-1", "2027-1")
    for k, (hasil, perilaku) in {1: (S, S), 2: (S, S), 3: (A, A), "h": (S, S)}.items():
        nilai(db, sid[k], hasil, perilaku)
    k = penilaian.simpan_draf_kiriman(u, KS, npsn, "2027-1", 0, sorted(ID_PANDUAN), None, JUN)
    assert set(penilaian.kirim_ke_dinas(u, KS, npsn, "2027-1", k.versi, True, PENJELASAN, JUN).terkirim) == \
        {"guru-1", "guru-2", "guru-3", "honorer-1"}
    predikat.tetapkan_predikat_organisasi(u, KD, npsn, "2027-1", 0, PredikatOrganisasi.baik, JUN)
    # counted, the honorer would make 3 Baik of 4 (> 2) and require a Butuh Perbaikan / Kurang
    assert penilaian.halaman_penilaian(u, KS, npsn, "2027-1", JUN).pelanggaran_kurva == []
    I = predikat.IsianPredikat
    h = predikat.tetapkan_predikat_guru(u, KS, npsn, "2027-1", 0,
                                        [I("guru-1"), I("guru-2"), I("guru-3"), I("honorer-1")], JUN)
    assert h.entri["honorer-1"]["predikat"] == "baik" and h.entri["guru-3"]["predikat"] == "sangat_baik"


def test_p1_periode_ditutup_hanya_baca_dan_penilaian_periode_2_hanya_desember(db):
    s = sekolah_penuh(db, guru=1)
    npsn, u = s["npsn"], uow(db)
    t = nilai(db, s["sid"][1])
    # Januari-Juni ratings not finished by 30 June are finished during Juli-Desember (P10)
    t = nilai(db, s["sid"][1], A, A, versi=t.penilaian.versi, when=JUL)
    assert penilaian.simpan_draf_kiriman(u, KS, npsn, "2027-1", 0, None, "x", JUL).versi == 1
    TAHUN_DEPAN = datetime(2028, 1, 3, 9, tzinfo=WIB)
    e = galat(nilai, db, s["sid"][1], S, S, versi=t.penilaian.versi, when=TAHUN_DEPAN)
    assert (e.kode, e.status) == ("periode_ditutup", 409)
    e = galat(penilaian.simpan_draf_kiriman, u, KS, npsn, "2027-1", 1, None, "x", TAHUN_DEPAN)
    assert e.kode == "periode_ditutup"
    # still readable
    assert penilaian.halaman_penilaian(u, KS, npsn, "2027-1", TAHUN_DEPAN).baris[0].penilaian is not None
    # period 2 opens only after the principal confirms; its assessment only in December
    from kinerja.service import siklus
    assert kode(siklus.buka_siklus, u, c.email("guru1"), "2027-2", JUL) == "periode_belum_dibuka"
    siklus.konfirmasi_periode(u, KS, npsn, "2027-2", JUL)
    assert siklus.buka_siklus(u, c.email("guru1"), "2027-2", JUL).baru
    assert kode(penilaian.simpan_draf_kiriman, u, KS, npsn, "2027-2", 0, None, "x",
                datetime(2027, 11, 20, tzinfo=WIB)) == "di_luar_jadwal"
    assert penilaian.simpan_draf_kiriman(u, KS, npsn, "2027-2", 0, None, "x", datetime(2027, 12, 2, tzinfo=WIB)).versi == 1


def test_dua_tab_bersamaan_tepat_satu_menang(db):
    """Two principals/tabs rate the same teacher and send the same school at once: one wins, the other 409."""
    s = sekolah_penuh(db, guru=1)
    npsn = s["npsn"]
    hasil: list[str] = []

    def sekali(fn):
        try:
            fn()
            hasil.append("ok")
        except DomainError as exc:
            hasil.append(f"{exc.status}")

    def balapan(*fns):
        hasil.clear()
        ts = [threading.Thread(target=sekali, args=(f,)) for f in fns]
        [t.start() for t in ts]
        [t.join(60) for t in ts]
        return sorted(hasil)

    assert balapan(lambda: nilai(db, s["sid"][1], A, A), lambda: nilai(db, s["sid"][1], B, B)) == ["409", "ok"]
    k = penilaian.simpan_draf_kiriman(uow(db), KS, npsn, "2027-1", 0, sorted(ID_PANDUAN), None, JUN)
    kirim_ = lambda: penilaian.kirim_ke_dinas(uow(db), KS, npsn, "2027-1", k.versi, True, PENJELASAN, JUN)  # noqa: E731
    assert balapan(kirim_, kirim_) == ["409", "ok"]
    doc = db.collection("kinerja__pengiriman_dinas").document(f"{npsn}_2027-1").get().to_dict()
    assert len(doc["kiriman"]) == 1
