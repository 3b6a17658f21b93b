"""Authorise before comparing versions (security finding: kinerja writes answered 409 with the current
``versi`` to anybody registered).

Every kinerja write use case is called by people who may not make it -- a guru of another school, the
Kepala Dinas on a teacher's plan, the school's principal / Plt. on the teacher's own documents, the
teacher on the principal's steps -- with the CURRENT and with a STALE ``versi``: the answer is always
403/404 (never 409, never ``versi_sekarang``), and nothing is written. The people who may write still
get 409 ``versi_tidak_cocok`` with a stale version.
"""
from __future__ import annotations

import pytest

from kinerja.domain.observasi import HasilObservasi, IsianRefleksi, IsianTindakLanjut
from kinerja.domain.rencana import InputPengembangan, InputTugasTambahan
from kinerja.service import berkas, pelaksanaan, rencana
from shared.errors import DomainError
from tests.integration.test_kinerja_layanan import FEB, JAN, JUN, doc, kirim, rencana_lengkap, sekolah_dengan, uow
from tests.unit.kinerja import contoh as c

pytestmark = pytest.mark.integration

STALE = 999_999
GURU, KS, PLT = c.email("guru1"), c.email("ks1"), c.email("plt1")
GURU_LAIN, KADIS = c.email("guru2"), c.email("kd1")


def dunia(db) -> dict:
    """A school with a principal and a Plt.; guru-1's plan submitted and approved (the Pelaksanaan exists);
    a guru of another school; the Kepala Dinas of the school's Dinas; an uploaded file of guru-1."""
    s = sekolah_dengan(db, ks=True, plt=True)
    kirim(db, "referensi.ptk.diperbarui", c.ptk("guru-2", c.npsn_baru(), urut=4, surel=GURU_LAIN))
    kirim(db, "referensi.dinas.diperbarui", c.dinas("dinas-uji", "kd-1", KADIS))
    u = uow(db)
    r = rencana_lengkap(db)
    r = rencana.ajukan(u, GURU, r.rencana_id, r.versi, JAN)
    r = rencana.setujui(u, KS, r.rencana_id, r.versi, None, JAN)
    p = pelaksanaan.lihat(u, GURU, r.rencana_id).pelaksanaan
    b = berkas.Berkas(berkas_id=f"b{c.unik()}", tujuan="rpp_modul_ajar", pemilik_id="guru-1", npsn=s["npsn"],
                      siklus_id=r.rencana_id, nama_berkas="modul.pdf", jenis="application/pdf", ukuran=100,
                      md5_base64=c.md5_base64(b"x"), object_key="kinerja/x/modul.pdf", dibuat_pada=FEB)
    u.run(lambda tx: berkas.berkas_repo.add(tx, b))
    return {"rid": r.rencana_id, "rversi": r.versi, "pversi": p.versi, "fokus": list(p.fokus_perilaku_ids),
            "bid": b.berkas_id}


def ditolak(fn, *args) -> DomainError:
    with pytest.raises(DomainError) as info:
        fn(*args)
    e = info.value
    assert e.status in (403, 404), (fn.__name__, e.kode, e.status)
    assert e.kode != "versi_tidak_cocok" and "versi_sekarang" not in e.extra, (fn.__name__, e.kode, e.extra)
    return e


def usang(fn, *args) -> None:
    with pytest.raises(DomainError) as info:
        fn(*args)
    assert (info.value.kode, info.value.status) == ("versi_tidak_cocok", 409), fn.__name__


def _rencana_tulis(rid: str):
    """(use case, args after (uow, email, rencana_id, versi)) of every owner write on a plan."""
    return [(rencana.cek_data, (JAN,)), (rencana.pilih_praktik, ("D1.2", JAN)),
            (rencana.atur_pengembangan, ([InputPengembangan(**x) for x in c.PENGEMBANGAN], JAN)),
            (rencana.atur_tugas_tambahan, ([InputTugasTambahan(**x) for x in c.TUGAS], JAN)),
            (rencana.atur_perilaku, (c.PERILAKU, JAN)), (rencana.simpan_rangkuman, ("x", JAN)),
            (rencana.ajukan, (JAN,)), (rencana.sepakati, (JAN,))]


def _pelaksanaan_pemilik(w: dict):
    m = pelaksanaan.MasukanPersiapan(target_perilaku_ids=(w["fokus"][0],), upaya="x")
    return [(pelaksanaan.simpan_persiapan, (m, False, FEB)), (pelaksanaan.simpan_persiapan, (m, True, FEB)),
            (pelaksanaan.simpan_tindak_lanjut, (IsianTindakLanjut(), False, FEB)),
            (pelaksanaan.simpan_refleksi, (IsianRefleksi(), False, JUN))]


def _pelaksanaan_penilai(w: dict):
    hasil = {f: HasilObservasi.dilakukan_efektif for f in w["fokus"]}
    return [(pelaksanaan.sepakati_jadwal, (None, FEB)), (pelaksanaan.catat_observasi, (hasil, "x", FEB)),
            (pelaksanaan.nilai_tindak_lanjut, (hasil, "x", JUN))]


def test_orang_lain_tidak_pernah_mendapat_409_atau_versi(db):
    w = dunia(db)
    u, rid = uow(db), w["rid"]
    sebelum = (doc(db, "rencana", rid), doc(db, "pelaksanaan", rid), doc(db, "berkas", w["bid"]))
    for versi_r, versi_p, versi_b in ((w["rversi"], w["pversi"], 1), (STALE, STALE, STALE)):
        # the owner's plan steps: the other school's guru, the Kepala Dinas, the principal and the Plt.
        for surel in (GURU_LAIN, KADIS, KS, PLT):
            for fn, rest in _rencana_tulis(rid):
                assert ditolak(fn, u, surel, rid, versi_r, *rest).kode == "bukan_pemilik_rencana"
        # the atasan's decision: anybody but the recorded atasan (ks-1), the owner included
        for surel in (GURU_LAIN, KADIS, PLT, GURU):
            assert ditolak(rencana.setujui, u, surel, rid, versi_r, None, JAN).kode == "bukan_atasan"
            assert ditolak(rencana.kembalikan, u, surel, rid, versi_r, "x", JAN).kode == "bukan_atasan"
        # the teacher's observation documents
        for surel in (GURU_LAIN, KADIS, KS, PLT):
            for fn, rest in _pelaksanaan_pemilik(w):
                assert ditolak(fn, u, surel, rid, versi_p, *rest).kode == "bukan_pemilik_dokumen"
        # the Pejabat Penilai's steps: the teacher themselves, another school's guru, the Kepala Dinas
        for surel, kode in ((GURU_LAIN, "bukan_atasan"), (KADIS, "bukan_atasan"),
                            (GURU, "tidak_dapat_menilai_diri_sendiri")):
            for fn, rest in _pelaksanaan_penilai(w):
                assert ditolak(fn, u, surel, rid, versi_p, *rest).kode == kode
        # the upload confirmation: only the uploader
        for surel in (GURU_LAIN, KADIS, KS, PLT):
            assert ditolak(berkas.konfirmasi, u, None, surel, w["bid"], versi_b, FEB).kode == "bukan_pemilik_berkas"
    assert (doc(db, "rencana", rid), doc(db, "pelaksanaan", rid), doc(db, "berkas", w["bid"])) == sebelum


def test_yang_berhak_tetap_mendapat_409_untuk_versi_usang(db):
    w = dunia(db)
    u, rid = uow(db), w["rid"]
    for fn, rest in _rencana_tulis(rid):
        usang(fn, u, GURU, rid, STALE, *rest)
    usang(rencana.setujui, u, KS, rid, STALE, None, JAN)
    usang(rencana.kembalikan, u, KS, rid, STALE, "x", JAN)
    for fn, rest in _pelaksanaan_pemilik(w):
        usang(fn, u, GURU, rid, STALE, *rest)
    for surel in (KS, PLT):  # the definitive principal and the Plt. are both Pejabat Penilai here
        for fn, rest in _pelaksanaan_penilai(w):
            usang(fn, u, surel, rid, STALE, *rest)
    usang(berkas.konfirmasi, u, None, GURU, w["bid"], STALE, FEB)


def test_rencana_tak_dikenal_404_untuk_siapa_pun(db):
    dunia(db)
    u = uow(db)
    for surel in (GURU_LAIN, KADIS, GURU):
        assert ditolak(rencana.cek_data, u, surel, "tidak-ada", 1, JAN).kode == "rencana_tidak_ditemukan"
        assert ditolak(pelaksanaan.simpan_refleksi, u, surel, "tidak-ada", 1, None, False, JUN).kode \
            == "pelaksanaan_tidak_ditemukan"
        assert ditolak(berkas.konfirmasi, u, None, surel, "tidak-ada", 1, FEB).kode == "berkas_tidak_ditemukan"
