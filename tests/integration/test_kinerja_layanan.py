"""Kinerja use cases and reference consumers against the real Firestore emulator (P1-P9, P14, P15).

Reference data arrives as the CloudEvent of a Pub/Sub push through the real
consumer helper (ledger + effect in one transaction); the use cases run in
real transactions with their outbox.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kinerja.domain.observasi import HasilObservasi, IsianRefleksi, IsianTindakLanjut
from kinerja.domain.rencana import InputPengembangan, InputTugasTambahan
from kinerja.service import pelaksanaan, referensi, rencana, sekolah, siklus
from kinerja.service import repo
from shared.consumer import consume
from shared.contracts.kinerja import RencanaDisepakati, TahapRencanaDiperbarui
from shared.errors import DomainError
from shared.events import Event
from shared.firestore import UnitOfWork
from tests.support import push_cloud_event
from tests.unit.kinerja import contoh as c

pytestmark = pytest.mark.integration
WIB = timezone(timedelta(hours=7))
JAN = datetime(2027, 1, 10, 9, tzinfo=WIB)
FEB = datetime(2027, 2, 8, 9, tzinfo=WIB)
MAR = datetime(2027, 3, 1, 10, tzinfo=WIB)
JUN = datetime(2027, 6, 5, 9, tzinfo=WIB)
EFEKTIF = HasilObservasi.dilakukan_efektif

EFEK = {"referensi.ptk.diperbarui": referensi.terapkan_ptk, "referensi.sekolah.diperbarui": referensi.terapkan_sekolah,
        "referensi.rapor.diterbitkan": referensi.terapkan_rapor, "referensi.dinas.diperbarui": referensi.terapkan_dinas,
        "referensi.pengawas.diperbarui": referensi.terapkan_pengawas}


def kirim(db, topic: str, payload) -> str:
    ev = c.event(topic, payload)
    return kirim_event(db, ev)


def kirim_event(db, ev: Event) -> str:
    return consume(push_cloud_event(ev), topic=ev.topic, consumer="kinerja_uji", uow=UnitOfWork(db, "kinerja"),
                   effect=EFEK[ev.topic], max_age=timedelta(days=1))


def uow(db) -> UnitOfWork:
    return UnitOfWork(db, "kinerja")


def doc(db, koleksi: str, doc_id: str):
    snap = db.collection(f"kinerja__{koleksi}").document(doc_id).get()
    return snap.to_dict() if snap.exists else None


def sekolah_dengan(db, ks: bool = True, plt: bool = False) -> dict:
    npsn = c.npsn_baru()
    kirim(db, "referensi.ptk.diperbarui", c.ptk("ks-1", npsn, jabatan="kepala_sekolah", urut=1, surel=c.email("ks1")))
    kirim(db, "referensi.ptk.diperbarui", c.ptk("guru-1", npsn, urut=2, surel=c.email("guru1")))
    if plt:
        kirim(db, "referensi.ptk.diperbarui", c.ptk("plt-1", npsn, urut=3, surel=c.email("plt1"),
                                                    plt=[c.PLT(npsn=npsn, nomor_sk="SK-PLT/1")]))
    kirim(db, "referensi.sekolah.diperbarui", c.sekolah(npsn, ks="ks-1" if ks else None, plt="plt-1" if plt else None))
    return {"npsn": npsn}


def rencana_lengkap(db, surel: str = c.email("guru1")):
    u = uow(db)
    r = siklus.buka_siklus(u, surel, "2027-1", JAN).rencana
    r = rencana.cek_data(u, surel, r.rencana_id, r.versi, JAN)
    r = rencana.pilih_praktik(u, surel, r.rencana_id, r.versi, "D1.2", JAN)
    r = rencana.atur_pengembangan(u, surel, r.rencana_id, r.versi,
                                  [InputPengembangan(**x) for x in c.PENGEMBANGAN], JAN)
    r = rencana.atur_tugas_tambahan(u, surel, r.rencana_id, r.versi, [InputTugasTambahan(**x) for x in c.TUGAS], JAN)
    r = rencana.atur_perilaku(u, surel, r.rencana_id, r.versi, c.PERILAKU, JAN)
    return rencana.simpan_rangkuman(u, surel, r.rencana_id, r.versi, "Fokus disiplin positif.", JAN)


def peran_identitas(entri: dict) -> dict:
    """An identity entry's role fields, without the claim bookkeeping (shared/klaim_email.py)."""
    return {k: v for k, v in entri.items() if k not in ("klaim", "bentrok")}


def kode(fn, *args) -> str:
    with pytest.raises(DomainError) as info:
        fn(*args)
    return info.value.kode


# ------------------------------------------------------------------ reference data


def test_s4_ptk_disimpan_dengan_indeks_identitas_tanpa_email(db):
    npsn = c.npsn_baru()
    assert kirim(db, "referensi.ptk.diperbarui", c.ptk("p-1", npsn, surel=c.email("siti"), nik="3201010101010001")) \
        == "diproses"
    stored = doc(db, "ptk", "p-1")
    assert stored["npsn_induk"] == npsn and stored["data"]["email_belajar_id"] is None
    assert "nik" not in stored["data"] and "siti" not in str(stored)
    assert doc(db, "identitas", repo.hash_email(c.email("siti")))["ptk_id"] == "p-1"


def test_p14_pengawas_diindeks_selama_aktif_email_lama_dibersihkan(db):
    from kinerja.service import akses

    lama, baru = c.email("pengawas.lama"), c.email("pengawas.baru")
    assert kirim(db, "referensi.pengawas.diperbarui", c.pengawas("pgw-1", lama)) == "diproses"
    assert peran_identitas(doc(db, "identitas", repo.hash_email(lama))) == {"pengawas_id": "pgw-1",
                                                                          "pengawas_dinas_id": "dinas-uji"}
    assert "pengawas.lama" not in str(doc(db, "pengawas", "pgw-1"))
    aktor = uow(db).run(lambda tx: akses.kenali(tx, lama))
    assert (aktor.id, aktor.pengawas_id, aktor.ptk_id, aktor.kepala_dinas_id) == ("pgw-1", "pgw-1", None, None)
    assert akses.profil(uow(db), lama)["peran"] == ["pengawas"]
    # the e-mail changes (v3) and an older version (v2) arrives late: only v3 counts
    v3 = c.event("referensi.pengawas.diperbarui", c.pengawas("pgw-1", baru, versi=3))
    assert kirim_event(db, v3) == "diproses"
    kirim(db, "referensi.pengawas.diperbarui", c.pengawas("pgw-1", lama, versi=2))
    assert doc(db, "identitas", repo.hash_email(lama))["pengawas_id"] is None
    assert doc(db, "identitas", repo.hash_email(baru))["pengawas_id"] == "pgw-1"
    assert kode(lambda: uow(db).run(lambda tx: akses.kenali(tx, lama))) == "akun_belum_terdaftar"
    assert kirim_event(db, v3) == "duplikat"
    # inactive: the entry is cleared, the record kept; a PTK entry on the same e-mail is untouched
    kirim(db, "referensi.ptk.diperbarui", c.ptk("p-pgw", c.npsn_baru(), surel=baru))
    kirim(db, "referensi.pengawas.diperbarui", c.pengawas("pgw-1", baru, versi=4, status="nonaktif"))
    assert peran_identitas(doc(db, "identitas", repo.hash_email(baru))) == {"ptk_id": "p-pgw", "pengawas_id": None,
                                                                          "pengawas_dinas_id": None}
    assert doc(db, "pengawas", "pgw-1")["data"]["status"] == "nonaktif"
    # strict validation: a record the domain refuses is recorded, not applied
    kirim(db, "referensi.pengawas.diperbarui", c.pengawas("pgw-1", baru, versi=5, status="pensiun"))
    assert doc(db, "pengawas", "pgw-1")["data"]["versi"] == 4


def test_s4_duplikat_dan_urutan_acak_menyimpan_yang_terbaru(db):
    npsn = c.npsn_baru()
    v2 = c.event("referensi.ptk.diperbarui", c.ptk("p-2", npsn, versi=2, nama="Nama Baru", surel=c.email("baru")))
    assert kirim_event(db, v2) == "diproses"
    assert kirim_event(db, v2) == "duplikat"
    # the older version arrives late: ignored, the identity of the newer e-mail stays
    assert kirim(db, "referensi.ptk.diperbarui", c.ptk("p-2", npsn, versi=1, nama="Nama Lama",
                                                       surel=c.email("lama"))) == "diproses"
    assert doc(db, "ptk", "p-2")["data"]["nama"] == "Nama Baru"
    assert doc(db, "identitas", repo.hash_email(c.email("lama"))) is None
    # a newer record with another e-mail moves the identity
    kirim(db, "referensi.ptk.diperbarui", c.ptk("p-2", npsn, versi=3, surel=c.email("ganti")))
    assert doc(db, "identitas", repo.hash_email(c.email("baru")))["ptk_id"] is None
    assert doc(db, "identitas", repo.hash_email(c.email("ganti")))["ptk_id"] == "p-2"
    # schools too
    kirim(db, "referensi.sekolah.diperbarui", c.sekolah(npsn, ks="ks-baru", versi=5))
    kirim(db, "referensi.sekolah.diperbarui", c.sekolah(npsn, ks="ks-lama", versi=4))
    assert doc(db, "sekolah", npsn)["kepala_sekolah_ptk_id"] == "ks-baru"
    # rapor: newest year wins even with a lower source version
    kirim(db, "referensi.rapor.diterbitkan", c.rapor(npsn, "D1.4", tahun=2026, versi=9))
    kirim(db, "referensi.rapor.diterbitkan", c.rapor(npsn, "D1.1", tahun=2025, versi=10))
    assert doc(db, "rapor", npsn)["rekomendasi"][0]["sub_indikator_id"] == "D1.4"


@pytest.mark.parametrize("ubah, kode_ditolak", [
    ({"nip": "198502302010011003"}, "nip_tanggal_lahir_tidak_valid"),
    ({"nip": "19850314201001100"}, "nip_format_tidak_valid"),
    ({"nip": None}, "nip_wajib_untuk_asn"),
    ({"npsn_induk": "123"}, "npsn_tidak_valid"),
    ({"jabatan": "kepala"}, "referensi_tidak_valid"),
    ({"email_belajar_id": "siti@gmail.com"}, "email_bukan_belajar_id"),
])
def test_s4_rekaman_tidak_valid_dicatat_untuk_operator_tanpa_menggagalkan_topik(db, ubah, kode_ditolak):
    ev = c.event("referensi.ptk.diperbarui", c.ptk("p-x", c.npsn_baru(), **ubah))
    assert kirim_event(db, ev) == "diproses"  # acked: one bad row never blocks the topic
    ditolak = doc(db, "referensi_ditolak", ev.id)
    assert ditolak["kode"] == kode_ditolak and ditolak["kunci"] == "ptk/p-x" and ditolak["pesan"]
    assert doc(db, "ptk", "p-x") is None


def test_nip_tidak_valid_saya_menyebut_alasan_dan_verval_ptk_bukan_akun_belum_terdaftar(db):
    """Dapodik sent the teacher with an invalid NIP: their /saya says so and names the Operator Sekolah
    and Verval PTK; once a corrected record arrives, the account works and the marker is gone."""
    from kinerja.service import akses
    npsn, surel = c.npsn_baru(), c.email("nipsalah")
    ev = c.event("referensi.ptk.diperbarui", c.ptk("p-nip", npsn, surel=surel, nip="198502302010011003"))
    assert kirim_event(db, ev) == "diproses"
    with pytest.raises(DomainError) as info:
        akses.profil(uow(db), surel)
    e = info.value
    assert (e.kode, e.status, e.extra["aktor"], e.extra["alasan_kode"]) == \
        ("data_ptk_ditolak", 403, "operator_sekolah", "nip_tanggal_lahir_tidak_valid")
    assert "Verval PTK" in e.pesan and "Operator Sekolah" in e.pesan and "belum terhubung" not in e.pesan
    assert doc(db, "referensi_ditolak", ev.id)["email_hash"] == [repo.hash_email(surel)]
    # an unrelated unknown account still gets the Dapodik e-mail message
    assert kode(siklus.buka_siklus, uow(db), c.email("asing2"), "2027-1", JAN) == "akun_belum_terdaftar"
    kirim(db, "referensi.ptk.diperbarui", c.ptk("p-nip", npsn, surel=surel, urut=7, versi=2))
    assert akses.profil(uow(db), surel)["ptk_id"] == "p-nip"
    assert "ptk_ditolak" not in doc(db, "identitas", repo.hash_email(surel))


def test_p15_pensiun_di_tengah_semester_menutup_siklus(db):
    sekolah_dengan(db)
    s = siklus.buka_siklus(uow(db), c.email("guru1"), "2027-1", JAN).siklus
    # Dapodik reports retirement; the consumer applies it to the cycle of the event's period
    ev = c.event("referensi.ptk.diperbarui", c.ptk("guru-1", doc(db, "siklus", s.siklus_id)["npsn"], versi=2, urut=2,
                                                   surel=c.email("guru1"), status_keaktifan="pensiun",
                                                   tanggal_status="2027-03-01"))
    ev = ev.model_copy(update={"time": datetime(2027, 2, 1, tzinfo=timezone.utc)})
    effect_uow = uow(db)
    effect_uow.run(lambda tx: referensi.terapkan_ptk(tx, ev))
    tutup = doc(db, "siklus", s.siklus_id)
    assert tutup["status"] == "ditutup_tidak_aktif" and tutup["penanda"][-1]["kode"] == "ptk_tidak_aktif"
    r = repo.rencana_repo
    rid = s.siklus_id
    versi = uow(db).run(lambda tx: r.get(tx, rid)).versi
    assert kode(rencana.cek_data, uow(db), c.email("guru1"), rid, versi, JAN) == "siklus_ditutup"


# --------------------------------------------------------------------------- plan


def test_p2_p3_rencana_dikembalikan_disetujui_disepakati_menerbitkan_event(db):
    s = sekolah_dengan(db)
    r = rencana_lengkap(db)
    u = uow(db)
    r = rencana.ajukan(u, c.email("guru1"), r.rencana_id, r.versi, JAN)
    assert r.status.value == "diajukan" and r.atasan.id == "ks-1"
    assert [x.rencana_id for x in rencana.kotak_masuk(u, c.email("ks1"))] == [r.rencana_id]
    assert kode(rencana.setujui, u, c.email("guru1"), r.rencana_id, r.versi, None, JAN) == "bukan_atasan"
    r = rencana.kembalikan(u, c.email("ks1"), r.rencana_id, r.versi, "Perjelas tugas tambahan.", JAN)
    r = rencana.simpan_rangkuman(u, c.email("guru1"), r.rencana_id, r.versi, "Sudah diperjelas.", JAN)
    r = rencana.ajukan(u, c.email("guru1"), r.rencana_id, r.versi, JAN)
    r = rencana.setujui(u, c.email("ks1"), r.rencana_id, r.versi, "Setuju.", JAN)
    assert doc(db, "pelaksanaan", r.rencana_id)["fokus_perilaku_ids"]  # opened with the approval
    r = rencana.sepakati(u, c.email("guru1"), r.rencana_id, r.versi, JAN)
    assert [e.aksi.value for e in r.riwayat] == ["diajukan", "dikembalikan", "diajukan", "disetujui", "disepakati"]
    outbox = [d.to_dict() for d in db.collection("kinerja__outbox").stream()]
    # every stage before agreement goes out too, so Sinkro PMM tells #2 from #14 (ids and stage only)
    tahap = sorted((TahapRencanaDiperbarui.model_validate_json(o["data"]) for o in outbox
                    if o["topic"] == "kinerja.tahap_rencana.diperbarui"), key=lambda t: t.versi)
    assert [t.tahap for t in tahap] == ["diajukan", "dikembalikan", "draf", "diajukan", "disetujui"]
    assert all(t.rencana_id == r.rencana_id and t.periode == "2027-1" for t in tahap) and tahap[-1].versi < r.versi
    outbox = [o for o in outbox if o["topic"] != "kinerja.tahap_rencana.diperbarui"]
    assert [o["topic"] for o in outbox] == ["kinerja.rencana.disepakati"]
    payload = RencanaDisepakati.model_validate_json(outbox[0]["data"])
    assert payload.npsn == s["npsn"] and payload.atasan.ptk_id == "ks-1" and payload.atasan.nip == c.nip(1)
    assert [x.jenis for x in payload.rhk] == ["praktik_kinerja", "pengembangan_kompetensi", "tugas_tambahan"]
    assert payload.periode == "2027-1" and payload.versi == r.versi and payload.nip == c.nip(2)


def test_p1_rencana_non_asn_tetap_di_pmm_tanpa_event_skp(db):
    """A non-ASN's plan (optional for them) is agreed in PMM but nothing of it is published for
    e-Kinerja: no `kinerja.rencana.disepakati` (Sinkro PMM would only fail it with #7)."""
    npsn = c.npsn_baru()
    kirim(db, "referensi.ptk.diperbarui", c.ptk("ks-1", npsn, jabatan="kepala_sekolah", urut=1, surel=c.email("ks1")))
    kirim(db, "referensi.ptk.diperbarui", c.ptk("guru-1", npsn, urut=2, status="honorer", surel=c.email("guru1")))
    kirim(db, "referensi.sekolah.diperbarui", c.sekolah(npsn, ks="ks-1"))
    u = uow(db)
    r = rencana_lengkap(db)
    r = rencana.ajukan(u, c.email("guru1"), r.rencana_id, r.versi, JAN)
    r = rencana.setujui(u, c.email("ks1"), r.rencana_id, r.versi, None, JAN)
    r = rencana.sepakati(u, c.email("guru1"), r.rencana_id, r.versi, JAN)
    assert r.status.value == "disepakati"
    topics = [d.to_dict()["topic"] for d in db.collection("kinerja__outbox").stream()]
    assert "kinerja.rencana.disepakati" not in topics


def test_p3_plt_saja_disetujui_otomatis(db):
    sekolah_dengan(db, ks=False, plt=True)
    r = rencana_lengkap(db)
    r = rencana.ajukan(uow(db), c.email("guru1"), r.rencana_id, r.versi, JAN)
    assert r.status.value == "disetujui" and r.atasan.jenis.value == "plt_kepala_sekolah"
    assert r.riwayat[-1].aksi.value == "disetujui_otomatis"


def test_p3_tanpa_atasan_ditolak_dengan_pesan_untuk_operator(db):
    sekolah_dengan(db, ks=False, plt=False)
    r = rencana_lengkap(db)
    with pytest.raises(DomainError) as info:
        rencana.ajukan(uow(db), c.email("guru1"), r.rencana_id, r.versi, JAN)
    assert info.value.kode == "atasan_tidak_ditemukan"
    assert info.value.pesan.startswith("Data atasan Anda tidak ditemukan") and "Operator Sekolah" in info.value.pesan


def test_versi_usang_ditolak_409(db):
    sekolah_dengan(db)
    r = siklus.buka_siklus(uow(db), c.email("guru1"), "2027-1", JAN).rencana
    rencana.cek_data(uow(db), c.email("guru1"), r.rencana_id, r.versi, JAN)
    with pytest.raises(DomainError) as info:
        rencana.cek_data(uow(db), c.email("guru1"), r.rencana_id, r.versi, JAN)
    assert info.value.kode == "versi_tidak_cocok" and info.value.status == 409


def test_p1_periode_2_menunggu_konfirmasi_kepala_sekolah(db):
    s = sekolah_dengan(db)
    juli = datetime(2027, 7, 5, tzinfo=WIB)
    assert kode(siklus.buka_siklus, uow(db), c.email("guru1"), "2027-2", juli) == "periode_belum_dibuka"
    assert kode(siklus.konfirmasi_periode, uow(db), c.email("guru1"), s["npsn"], "2027-2", juli) == "bukan_kepala_sekolah"
    siklus.konfirmasi_periode(uow(db), c.email("ks1"), s["npsn"], "2027-2", juli)
    assert siklus.buka_siklus(uow(db), c.email("guru1"), "2027-2", juli).baru


def test_p1_guru_kemenag_diarahkan_ke_ekinerja_tanpa_sinkron(db):
    """A madrasah (Kemenag) account: a clear message to fill e-Kinerja BKN directly; no cycle, nothing synced."""
    from kinerja.service import akses
    surel = "ahmad.guru@madrasah.kemenag.go.id"
    for fn, args in ((akses.profil, (uow(db), surel)), (siklus.buka_siklus, (uow(db), surel, "2027-1", JAN))):
        with pytest.raises(DomainError) as info:
            fn(*args)
        e = info.value
        assert (e.kode, e.status, e.extra["aktor"]) == ("guru_kemenag_gunakan_ekinerja", 403, "pegawai")
        assert "e-Kinerja BKN" in e.pesan
    assert doc(db, "identitas", repo.hash_email(surel)) is None  # nothing of theirs is kept or synced


def test_akun_tak_dikenal_ditolak(db):
    assert kode(siklus.buka_siklus, uow(db), c.email("asing"), "2027-1", JAN) == "akun_belum_terdaftar"


# -------------------------------------------------------------------- observation


def test_p4_p8_empat_langkah_berurutan_dan_tampilan_kepala_sekolah(db):
    s = sekolah_dengan(db)
    u, g, ks = uow(db), c.email("guru1"), c.email("ks1")
    r = rencana_lengkap(db)
    r = rencana.ajukan(u, g, r.rencana_id, r.versi, JAN)
    baris = sekolah.daftar_guru(u, ks, s["npsn"], "2027-1")
    assert [(b.ptk.ptk_id, b.tahap, b.menunggu_saya) for b in baris] == [
        ("guru-1", "menunggu_persetujuan_rencana", ("tinjau_rencana",))]
    r = rencana.setujui(u, ks, r.rencana_id, r.versi, None, JAN)
    pid = r.rencana_id
    p = pelaksanaan.lihat(u, g, pid).pelaksanaan
    fokus = list(p.fokus_perilaku_ids)
    # step 3 before step 1
    assert kode(pelaksanaan.simpan_tindak_lanjut, u, g, pid, p.versi, IsianTindakLanjut(), False, FEB) \
        == "langkah_observasi_belum_berurutan"
    m = pelaksanaan.MasukanPersiapan(target_perilaku_ids=(fokus[0],), upaya="Kesepakatan kelas.",
                                     jadwal_observasi=MAR)
    p = pelaksanaan.simpan_persiapan(u, g, pid, p.versi, m, False, FEB)
    assert p.persiapan.status.value == "draf"
    # incomplete (no RPP) cannot be submitted
    assert kode(pelaksanaan.simpan_persiapan, u, g, pid, p.versi, None, True, FEB) == "dokumen_belum_lengkap"
    assert kode(pelaksanaan.simpan_persiapan, u, g, pid, p.versi, m, False, JAN) == "di_luar_jadwal"
    assert p.progres_persen == 0


def test_p5_dokumen_dikumpulkan_tidak_dapat_diubah(db):
    """The RPP is attached from a confirmed upload; after Kumpulkan any write is refused."""
    sekolah_dengan(db)
    u, g, ks = uow(db), c.email("guru1"), c.email("ks1")
    r = rencana_lengkap(db)
    r = rencana.ajukan(u, g, r.rencana_id, r.versi, JAN)
    r = rencana.setujui(u, ks, r.rencana_id, r.versi, None, JAN)
    pid = r.rencana_id
    # a confirmed RPP upload written as the confirm use case would leave it
    from kinerja.service.berkas import Berkas, berkas_repo
    rpp = Berkas(berkas_id="rpp1", tujuan="rpp_modul_ajar", pemilik_id="guru-1", npsn=r.npsn, siklus_id=pid,
                 nama_berkas="modul.pdf", jenis="application/pdf", ukuran=100, md5_base64=c.md5_base64(b"x"),
                 object_key="kinerja/x/rpp1.pdf", status="terkonfirmasi", dibuat_pada=FEB)
    u.run(lambda tx: berkas_repo.add(tx, rpp))
    p = pelaksanaan.lihat(u, g, pid).pelaksanaan
    fokus = list(p.fokus_perilaku_ids)
    m = pelaksanaan.MasukanPersiapan(target_perilaku_ids=(fokus[0],), upaya="Kesepakatan kelas.",
                                     jadwal_observasi=MAR, rpp_berkas_id="rpp1")
    p = pelaksanaan.simpan_persiapan(u, g, pid, p.versi, m, True, FEB)
    assert p.persiapan.isian.rpp_modul_ajar.berkas_id == "rpp1"
    assert kode(pelaksanaan.simpan_persiapan, u, g, pid, p.versi, m, False, FEB) == "dokumen_sudah_dikumpulkan"
    assert kode(pelaksanaan.catat_observasi, u, ks, pid, p.versi, {f: EFEKTIF for f in fokus}, "Bagus", MAR) \
        == "jadwal_observasi_belum_disepakati"
    assert kode(pelaksanaan.sepakati_jadwal, u, g, pid, p.versi, None, FEB) == "tidak_dapat_menilai_diri_sendiri"
    p = pelaksanaan.sepakati_jadwal(u, ks, pid, p.versi, None, FEB)
    assert kode(pelaksanaan.catat_observasi, u, ks, pid, p.versi, {f: EFEKTIF for f in fokus}, "Bagus", FEB) \
        == "observasi_sebelum_jadwal"
    p = pelaksanaan.catat_observasi(u, ks, pid, p.versi, {f: EFEKTIF for f in fokus}, "Pertahankan.", MAR)
    tl = IsianTindakLanjut(tantangan="Fokus murid.", tujuan_ids=("merancang_ulang_perangkat_ajar",),
                           materi_pmm_ids=("pm-disiplin-positif",), periode_belajar="Maret-April",
                           dukungan_ids=("komunitas_belajar",))
    p = pelaksanaan.simpan_tindak_lanjut(u, g, pid, p.versi, tl, True, MAR)
    assert kode(pelaksanaan.nilai_tindak_lanjut, u, ks, pid, p.versi, {f: EFEKTIF for f in fokus}, "x", JUN) \
        == "refleksi_belum_dikumpulkan"
    p = pelaksanaan.simpan_refleksi(u, g, pid, p.versi, IsianRefleksi(refleksi="Lebih tertib."), True, JUN)
    p = pelaksanaan.nilai_tindak_lanjut(u, ks, pid, p.versi, {f: EFEKTIF for f in fokus}, "Baik.", JUN)
    assert p.progres_persen == 100 and p.selesai
