"""The acting principal (Plt. Kepala Sekolah) against the real Firestore emulator (P3, P10-P12, P14).

A teacher who is Plt. of their own school keeps their teacher cycle, whose superior is the Dinas side (never
themselves); they lead the school's teachers (plans approved by the system, observation and rating by the Plt.);
their SKP sebagai Plt. is a separate cycle record per school led, rated by their own superior; both SKPs and both
predicates are published, the Plt. one marked ``plt``.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kinerja.domain.penilaian import ID_PANDUAN
from kinerja.domain.predikat import PredikatOrganisasi
from kinerja.domain.rencana import StatusRencana
from kinerja.domain.siklus import siklus_id
from kinerja.service import penilaian, predikat, referensi, rencana, siklus
from shared.contracts.kinerja import PredikatDitetapkan, RencanaDisepakati, TahapRencanaDiperbarui
from tests.integration.test_kinerja_layanan import doc, kirim, rencana_lengkap, uow
from tests.integration.test_kinerja_penilaian import (JAN, JUN, PENJELASAN, A, S, galat, kode, nilai,
                                                     rencana_kepala_sekolah)
from tests.unit.kinerja import contoh as c

pytestmark = pytest.mark.integration
PLT, GURU, KD = c.email("plt1"), c.email("guru1"), c.email("kadis1")


def sekolah_plt(db, pengawas: bool = False) -> str:
    """A school led by a Plt. (a teacher of the same school), no definitive principal, with its Dinas."""
    npsn = c.npsn_baru()
    kirim(db, "referensi.dinas.diperbarui", c.dinas("dinas-a", "kadis-1", KD))
    kirim(db, "referensi.ptk.diperbarui", c.ptk("plt-1", npsn, urut=3, surel=PLT,
                                                plt=[c.PLT(npsn=npsn, nomor_sk="SK-PLT/1")]))
    kirim(db, "referensi.ptk.diperbarui", c.ptk("guru-1", npsn, urut=2, surel=GURU))
    kirim(db, "referensi.sekolah.diperbarui", c.sekolah(npsn, plt="plt-1", dinas_id="dinas-a"))
    return npsn


def rencana_plt(db, npsn: str):
    """The SKP sebagai Plt. Kepala Sekolah: its own cycle, indicator D3 like a principal."""
    return rencana_kepala_sekolah(db, PLT, npsn)


def outbox(db, topic: str, model):
    return [model.model_validate_json(d.to_dict()["data"]) for d in db.collection("kinerja__outbox").stream()
            if d.to_dict()["topic"] == topic]


def test_p14_plt_sekolah_sendiri_tidak_menyetujui_dirinya_dan_dinilai_atasannya(db):
    npsn, u = sekolah_plt(db), uow(db)
    sid_guru_plt, sid_skp_plt = siklus_id("plt-1", "2027-1"), siklus_id("plt-1", "2027-1", npsn)
    assert sid_guru_plt != sid_skp_plt

    # the school's teacher: approved by the system under a Plt. (P3), unchanged
    r = rencana.ajukan(u, GURU, *(lambda x: (x.rencana_id, x.versi))(rencana_lengkap(db, GURU)), JAN)
    assert r.status is StatusRencana.DISETUJUI and r.atasan.id == "plt-1"
    rencana.sepakati(u, GURU, r.rencana_id, r.versi, JAN)

    # the Plt.'s own teacher plan goes to the Kepala Dinas: never approved by themselves
    r = rencana_lengkap(db, PLT)
    r = rencana.ajukan(u, PLT, r.rencana_id, r.versi, JAN)
    assert (r.status, r.atasan.jenis.value, r.atasan.id) == (StatusRencana.DIAJUKAN, "kepala_dinas", "kadis-1")
    assert kode(rencana.setujui, u, PLT, r.rencana_id, r.versi, None, JAN) == "bukan_atasan"
    r = rencana.setujui(u, KD, r.rencana_id, r.versi, None, JAN)
    rencana.sepakati(u, PLT, r.rencana_id, r.versi, JAN)

    # the SKP sebagai Plt.: a separate record, only for the school's recorded Plt.
    assert kode(siklus.buka_siklus, u, GURU, "2027-1", JAN, npsn) == "bukan_plt_sekolah"
    r = rencana_plt(db, npsn)
    assert (r.rencana_id, r.jabatan.value, r.plt, r.npsn) == (sid_skp_plt, "kepala_sekolah", True, npsn)
    r = rencana.ajukan(u, PLT, r.rencana_id, r.versi, JAN)
    assert (r.status, r.atasan.jenis.value) == (StatusRencana.DIAJUKAN, "kepala_dinas")
    r = rencana.setujui(u, KD, r.rencana_id, r.versi, None, JAN)
    rencana.sepakati(u, PLT, r.rencana_id, r.versi, JAN)
    skp = {(e.ptk_id, e.plt): e for e in outbox(db, "kinerja.rencana.disepakati", RencanaDisepakati)}
    assert skp[("plt-1", False)].jabatan == "guru" and skp[("plt-1", False)].rencana_id == sid_guru_plt
    assert skp[("plt-1", True)].jabatan == "kepala_sekolah" and skp[("plt-1", True)].rencana_id == sid_skp_plt
    assert skp[("plt-1", True)].npsn == npsn and skp[("guru-1", False)].atasan.jenis == "plt_kepala_sekolah"
    assert siklus.siklus_saya(u, PLT, "2027-1", npsn).siklus.plt is True
    tahap = outbox(db, "kinerja.tahap_rencana.diperbarui", TahapRencanaDiperbarui)
    assert {(e.plt, e.npsn) for e in tahap if e.rencana_id == sid_skp_plt} == {(True, npsn)}
    assert {(e.plt, e.npsn) for e in tahap if e.rencana_id == sid_guru_plt} == {(False, None)}

    # ratings: the Plt. rates the school's teacher, not themselves; the Kepala Dinas rates the Plt. (both cycles)
    assert kode(nilai, db, sid_guru_plt, email=PLT) == "tidak_dapat_menilai_diri_sendiri"
    nilai(db, siklus_id("guru-1", "2027-1"), S, S, email=PLT)
    t = nilai(db, sid_guru_plt, A, A, email=KD)  # a teacher cycle: both ratings chosen by the superior
    assert (t.penilaian.rating_hasil_kerja.value, t.penilaian.dinilai_oleh) == ("di_atas_ekspektasi", "kadis-1")
    k = penilaian.simpan_draf_kiriman(u, PLT, npsn, "2027-1", 0, sorted(ID_PANDUAN), None, JUN)
    assert penilaian.kirim_ke_dinas(u, PLT, npsn, "2027-1", k.versi, True, PENJELASAN, JUN).terkirim == ("guru-1",)
    predikat.tetapkan_predikat_organisasi(u, KD, npsn, "2027-1", 0, PredikatOrganisasi.istimewa, JUN)
    # the SKP sebagai Plt.: Hasil Kerja is the school's result, only Perilaku is chosen (P14)
    t = penilaian.beri_rating(u, KD, sid_skp_plt, 0, penilaian.MasukanRating(rating_perilaku_kerja=S), JUN)
    assert t.penilaian.rating_hasil_kerja.value == "di_atas_ekspektasi"
    assert galat(predikat.tetapkan_predikat_kepala_sekolah, u, PLT, sid_skp_plt, 0, None, None, JUN).status == 403
    p_skp = predikat.tetapkan_predikat_kepala_sekolah(u, KD, sid_skp_plt, 0, None, None, JUN)
    p_guru = predikat.tetapkan_predikat_kepala_sekolah(u, KD, sid_guru_plt, 0, None, None, JUN)
    assert (p_skp.predikat.value, p_guru.predikat.value) == ("baik", "sangat_baik")
    ev = {(e.ptk_id, e.plt): e for e in outbox(db, "kinerja.predikat.ditetapkan", PredikatDitetapkan)}
    assert (ev[("plt-1", True)].jabatan, ev[("plt-1", True)].predikat_id) == ("kepala_sekolah", sid_skp_plt)
    assert (ev[("plt-1", False)].jabatan, ev[("plt-1", False)].predikat_id) == ("guru", sid_guru_plt)


def test_p14_plt_dengan_pengawas_terdelegasi(db):
    """With a pengawas delegated by decree, the Plt.'s plans go to the pengawas, as a definitive principal's."""
    npsn = sekolah_plt(db)
    kirim(db, "referensi.sekolah.diperbarui", c.sekolah(npsn, plt="plt-1", dinas_id="dinas-a", versi=2,
                                                       delegasi_penilai={"pengawas_id": "pws-1", "nomor_sk": "SK/9"}))
    u = uow(db)
    r = rencana_lengkap(db, PLT)
    r = rencana.ajukan(u, PLT, r.rencana_id, r.versi, JAN)
    assert (r.atasan.jenis.value, r.atasan.id, r.atasan.nomor_sk) == ("pengawas", "pws-1", "SK/9")
    r = rencana.ajukan(u, PLT, *(lambda x: (x.rencana_id, x.versi))(rencana_plt(db, npsn)), JAN)
    assert (r.atasan.jenis.value, r.atasan.id) == ("pengawas", "pws-1")


FEB = datetime(2027, 2, 1, 3, tzinfo=timezone.utc)


def _terapkan(db, efek, topic: str, payload) -> None:
    """A Dapodik event of mid-semester (its time picks the period), applied as the consumer does."""
    ev = c.event(topic, payload).model_copy(update={"time": FEB})
    uow(db).run(lambda tx: efek(tx, ev))


@pytest.mark.parametrize("pengganti", [{"plt": "plt-2"}, {"ks": "ks-baru"}])
def test_p15_skp_plt_ditutup_saat_dapodik_mencatat_plt_lain_atau_kepala_definitif(db, pengganti):
    """The school's record names another Plt. (or a definitive principal): the Plt.'s SKP sebagai Plt. of that
    school closes as the teacher cycle does on retirement; their teacher cycle stays open."""
    npsn, u = sekolah_plt(db), uow(db)
    guru = siklus.buka_siklus(u, PLT, "2027-1", JAN).siklus
    plt = siklus.buka_siklus(u, PLT, "2027-1", JAN, npsn).siklus
    # the same Plt. again (a newer record of the school): nothing closes
    _terapkan(db, referensi.terapkan_sekolah, "referensi.sekolah.diperbarui",
              c.sekolah(npsn, plt="plt-1", dinas_id="dinas-a", versi=2))
    assert doc(db, "siklus", plt.siklus_id)["status"] == "aktif"
    _terapkan(db, referensi.terapkan_sekolah, "referensi.sekolah.diperbarui",
              c.sekolah(npsn, dinas_id="dinas-a", versi=3, **pengganti))
    tutup = doc(db, "siklus", plt.siklus_id)
    assert tutup["status"] == "ditutup_tidak_aktif" and tutup["penanda"][-1]["kode"] == "plt_berakhir"
    assert tutup["penanda"][-1]["tanggal"] == "2027-02-01"
    assert doc(db, "siklus", guru.siklus_id)["status"] == "aktif"
    r = repo_rencana(db, plt.siklus_id)
    assert kode(rencana.cek_data, u, PLT, r.rencana_id, r.versi, JAN) == "siklus_ditutup"


def test_p15_pensiun_menutup_siklus_guru_dan_skp_plt(db):
    """A PTK event that ends the person's service closes their teacher cycle and every open SKP sebagai Plt."""
    npsn, u = sekolah_plt(db), uow(db)
    guru = siklus.buka_siklus(u, PLT, "2027-1", JAN).siklus
    plt = siklus.buka_siklus(u, PLT, "2027-1", JAN, npsn).siklus
    _terapkan(db, referensi.terapkan_ptk, "referensi.ptk.diperbarui",
              c.ptk("plt-1", npsn, urut=3, surel=PLT, plt=[c.PLT(npsn=npsn, nomor_sk="SK-PLT/1")], versi=2,
                    status_keaktifan="pensiun", tanggal_status="2027-03-01"))
    for sid in (guru.siklus_id, plt.siklus_id):
        tutup = doc(db, "siklus", sid)
        assert tutup["status"] == "ditutup_tidak_aktif" and tutup["penanda"][-1]["kode"] == "ptk_tidak_aktif"
    assert doc(db, "siklus", plt.siklus_id)["npsn"] == npsn  # closed where it was, never moved


def repo_rencana(db, rencana_id: str):
    from kinerja.service import repo

    return uow(db).run(lambda tx: repo.rencana_repo.get(tx, rencana_id))
