"""Evidence (P9) against the Firestore emulator and moto's S3 server over real HTTP: the "Contoh Format Bukti
Dukung" templates, the XLSX teacher-attendance summary, the Surat Keterangan Selesai of a Pelatihan Mandiri topic."""
from __future__ import annotations

import pytest
import requests

from kinerja.domain import katalog
from kinerja.service import berkas, rencana, templat
from kinerja.service.berkas import KategoriDokumenSekolah as Kat
from kinerja.service.berkas import TujuanBerkas as Tujuan
from shared.errors import DomainError
from tests.integration.test_kinerja_layanan import FEB, JAN, kirim, rencana_lengkap, uow
from tests.integration.test_objectstore import md5, put, store  # noqa: F401 - the fixture
from tests.unit.kinerja import contoh as c

pytestmark = pytest.mark.integration
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ISI_XLSX = b"PK\x03\x04" + b"rekap kehadiran guru " * 50
GURU, KS = c.email("guru1"), c.email("ks1")
BATAS, DETIK = 10 * 1024 * 1024, 900


def kode(fn, *args, **kw) -> str:
    with pytest.raises(DomainError) as info:
        fn(*args, **kw)
    return info.value.kode


def sekolah(db) -> str:
    npsn = c.npsn_baru()
    kirim(db, "referensi.ptk.diperbarui", c.ptk("ks-1", npsn, jabatan="kepala_sekolah", urut=1, surel=KS))
    kirim(db, "referensi.ptk.diperbarui", c.ptk("guru-1", npsn, urut=2, surel=GURU))
    kirim(db, "referensi.sekolah.diperbarui", c.sekolah(npsn, ks="ks-1"))
    return npsn


def test_p9_templat_bukti_per_rhk_diunduh_lewat_url_bertanda_tangan(store):  # noqa: F811
    semua = templat.daftar_templat(store, DETIK)
    assert {t.templat.id for t in semua} == {x.id for x in katalog.katalog_templat().templat}
    [perpus] = templat.daftar_templat(store, DETIK, "tugas_tambahan", "kepala_perpustakaan")
    assert (perpus.templat.nama, perpus.templat.langkah) == ("Contoh Laporan Kepala Perpustakaan", "kumpulkan_dokumen")
    assert [t.templat.id for t in templat.daftar_templat(store, DETIK, "praktik_kinerja")] == \
        ["formulir_observasi_kelas"]
    r = requests.get(perpus.url_unduh, timeout=10)
    assert r.status_code == 200 and r.content == katalog.isi_templat(perpus.templat)
    assert 'filename="laporan_kepala_perpustakaan.docx"' in r.headers["Content-Disposition"]
    assert r.content[:2] == b"PK" and perpus.ukuran == len(r.content)  # a real DOCX (zip) as shipped
    # idempotent: listed again, the same immutable key
    assert templat.daftar_templat(store, DETIK, "tugas_tambahan", "kepala_perpustakaan")[0].url_unduh.split("?")[0] \
        == perpus.url_unduh.split("?")[0]


def test_p9_rekap_kehadiran_xlsx_hanya_dokumen_sekolah_dan_konfirmasi_memeriksa_jenis_dan_ukuran(db, store):  # noqa: F811
    npsn, u = sekolah(db), uow(db)
    m = berkas.PermintaanUnggah(tujuan=Tujuan.DOKUMEN_SEKOLAH, nama_berkas="rekap-kehadiran-januari.xlsx", jenis=XLSX,
                                ukuran=len(ISI_XLSX), md5_base64=md5(ISI_XLSX), npsn=npsn, kategori=Kat.REKAP_KEHADIRAN)
    b, tiket = berkas.minta_unggah(u, store, KS, m, BATAS, DETIK, FEB)
    # confirm checks what was stored: nothing yet, then a wrong type, then the announced file
    assert kode(berkas.konfirmasi, u, store, KS, b.berkas_id, b.versi, FEB) == "berkas_belum_diunggah"
    assert put(tiket, ISI_XLSX).status_code == 200
    assert berkas.konfirmasi(u, store, KS, b.berkas_id, b.versi, FEB).status.value == "terkonfirmasi"
    # XLSX is not a KOSP, an RPP or a competence evidence
    for lain in (berkas.PermintaanUnggah(tujuan=Tujuan.DOKUMEN_SEKOLAH, nama_berkas="kosp.xlsx", jenis=XLSX,
                                         ukuran=10, md5_base64=md5(b"x"), npsn=npsn, kategori=Kat.KOSP),
                 berkas.PermintaanUnggah(tujuan=Tujuan.RPP_MODUL_AJAR, nama_berkas="rpp.xlsx", jenis=XLSX, ukuran=10,
                                         md5_base64=md5(b"x"), siklus_id="s")):
        with pytest.raises(DomainError) as info:
            berkas.minta_unggah(u, store, KS, lain, BATAS, DETIK, FEB)
        assert info.value.kode == "jenis_berkas_tidak_didukung" and "Rangkuman Kehadiran" in info.value.pesan
    assert kode(berkas.minta_unggah, u, store, KS, berkas.PermintaanUnggah(
        tujuan=Tujuan.DOKUMEN_SEKOLAH, nama_berkas="rekap.pdf", jenis=XLSX, ukuran=10, md5_base64=md5(b"x"), npsn=npsn,
        kategori=Kat.REKAP_KEHADIRAN), BATAS, DETIK, FEB) == "ekstensi_tidak_sesuai_jenis"
    assert kode(berkas.minta_unggah, u, store, KS, berkas.PermintaanUnggah(
        tujuan=Tujuan.DOKUMEN_SEKOLAH, nama_berkas="rekap.xlsx", jenis=XLSX, ukuran=BATAS + 1, md5_base64=md5(b"x"),
        npsn=npsn, kategori=Kat.REKAP_KEHADIRAN), BATAS, DETIK, FEB) == "berkas_terlalu_besar"
    # whatever the object store ends up holding under the key, confirm compares it with the announcement
    for isi, jenis, harapan in ((ISI_XLSX, "application/pdf", "jenis_berkas_berbeda"),
                                (ISI_XLSX + b"x", XLSX, "ukuran_berkas_berbeda")):
        b2, _ = berkas.minta_unggah(u, store, KS, m, BATAS, DETIK, FEB)
        store.client.put_object(Bucket=store.bucket, Key=b2.kunci_unggah, Body=isi, ContentType=jenis)
        assert kode(berkas.konfirmasi, u, store, KS, b2.berkas_id, b2.versi, FEB) == harapan
    dok = berkas.dokumen_sekolah(u, GURU, npsn)
    assert [(d.kategori.value, d.jenis) for d in dok] == [("rekap_kehadiran", XLSX)]  # what teachers see


def test_p9_surat_keterangan_selesai_pelatihan_mandiri_sebagai_bukti_topik(db, store):  # noqa: F811
    sekolah(db)
    u = uow(db)
    r = rencana_lengkap(db, GURU)  # Pelatihan Mandiri topic pm-disiplin-positif + komunitas belajar
    r = rencana.ajukan(u, GURU, r.rencana_id, r.versi, JAN)
    rencana.setujui(u, KS, r.rencana_id, r.versi, None, JAN)
    pdf = b"%PDF-1.7 surat keterangan selesai"

    def minta(**ubah):
        dasar = dict(tujuan=Tujuan.BUKTI_PENGEMBANGAN_KOMPETENSI, nama_berkas="sk-selesai.pdf", jenis="application/pdf",
                     ukuran=len(pdf), md5_base64=md5(pdf), siklus_id=r.rencana_id,
                     item_id="pelatihan_mandiri_aksi_nyata", bukti_khusus="surat_keterangan_selesai_pelatihan_mandiri",
                     materi_id="pm-disiplin-positif")
        return berkas.minta_unggah(u, store, GURU, berkas.PermintaanUnggah(**(dasar | ubah)), BATAS, DETIK, FEB)

    b, tiket = minta()
    assert (b.item_id, b.bukti_khusus, b.materi_id) == \
        ("pelatihan_mandiri_aksi_nyata", "surat_keterangan_selesai_pelatihan_mandiri", "pm-disiplin-positif")
    assert put(tiket, pdf).status_code == 200
    berkas.konfirmasi(u, store, GURU, b.berkas_id, b.versi, FEB)
    assert [x.bukti_khusus for x in berkas.bukti_siklus(u, GURU, r.rencana_id)] == \
        ["surat_keterangan_selesai_pelatihan_mandiri"]
    assert kode(minta, materi_id="pm-manajemen-kelas") == "materi_bukti_tidak_dikenal"  # a topic not in the plan
    assert kode(minta, materi_id=None) == "materi_bukti_tidak_dikenal"
    assert kode(minta, item_id="pemimpin_komunitas_belajar") == "bukti_khusus_tidak_sesuai"
    assert kode(minta, bukti_khusus=None) == "bukti_khusus_wajib"


def test_unggahan_ke_sementara_dipindah_saat_konfirmasi_yang_kedaluwarsa_410(db, store):  # noqa: F811
    """Unconfirmed uploads live under sementara/ (the bucket deletes them after a day) and their record
    carries the TTL field; confirm moves the object to its own key and clears the field; a confirm after
    the day answers 410 ``unggahan_kedaluwarsa``, never a 500."""
    from datetime import timedelta

    from shared.objectstore import PREFIX_SEMENTARA, UNGGAHAN_BERLAKU

    npsn, u = sekolah(db), uow(db)
    m = berkas.PermintaanUnggah(tujuan=Tujuan.DOKUMEN_SEKOLAH, nama_berkas="rekap.xlsx", jenis=XLSX,
                                ukuran=len(ISI_XLSX), md5_base64=md5(ISI_XLSX), npsn=npsn, kategori=Kat.REKAP_KEHADIRAN)
    b, tiket = berkas.minta_unggah(u, store, KS, m, BATAS, DETIK, FEB)
    assert tiket.kunci == b.kunci_unggah == PREFIX_SEMENTARA + b.object_key
    mentah = db.collection("kinerja__berkas").document(b.berkas_id).get().to_dict()
    assert mentah["kedaluwarsa"] == FEB + UNGGAHAN_BERLAKU  # a native timestamp: TTL ignores strings
    assert put(tiket, ISI_XLSX).status_code == 200
    ok = berkas.konfirmasi(u, store, KS, b.berkas_id, b.versi, FEB + timedelta(hours=23))
    assert ok.status.value == "terkonfirmasi"
    assert db.collection("kinerja__berkas").document(b.berkas_id).get().to_dict()["kedaluwarsa"] is None
    kunci = [o["Key"] for o in store.client.list_objects_v2(Bucket=store.bucket).get("Contents", [])]
    assert b.object_key in kunci and b.kunci_unggah not in kunci
    # the same confirm again (a retry) answers the confirmed record
    assert berkas.konfirmasi(u, store, KS, b.berkas_id, ok.versi, FEB + timedelta(days=3)).versi == ok.versi
    # a retry after the move but before the record was saved finds the object at its own key
    b3, t3 = berkas.minta_unggah(u, store, KS, m, BATAS, DETIK, FEB)
    assert put(t3, ISI_XLSX).status_code == 200
    store.pindahkan(b3.kunci_unggah, b3.object_key)
    assert berkas.konfirmasi(u, store, KS, b3.berkas_id, b3.versi, FEB).status.value == "terkonfirmasi"
    # not confirmed within the day: 410 with its kode, whether or not the object is still there
    b2, t2 = berkas.minta_unggah(u, store, KS, m, BATAS, DETIK, FEB)
    assert put(t2, ISI_XLSX).status_code == 200
    with pytest.raises(DomainError) as info:
        berkas.konfirmasi(u, store, KS, b2.berkas_id, b2.versi, FEB + UNGGAHAN_BERLAKU)
    assert (info.value.kode, info.value.status) == ("unggahan_kedaluwarsa", 410)
