"""Pelaksanaan Kinerja: the four observation steps (P4-P8)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from kinerja.domain.observasi import (
    KETERANGAN_BUKAN_NILAI_AKHIR,
    BerkasTerkonfirmasi,
    HasilObservasi,
    IsianPersiapan,
    IsianRefleksi,
    IsianTindakLanjut,
    Langkah,
    PejabatPenilai,
    Pelaksanaan,
)
from shared.errors import Conflict, DomainError, Forbidden

WIB = timezone(timedelta(hours=7))
T0 = datetime(2025, 2, 3, 8, 0, tzinfo=WIB)
JADWAL = datetime(2025, 3, 10, 9, 0, tzinfo=WIB)
GURU = "guru-1"
KS = "ks-1"
PLT = "plt-1"
FOKUS = ("fp-disiplin-1", "fp-disiplin-2", "fp-disiplin-3")
PENILAI = PejabatPenilai(definitif_id=KS)
EFEKTIF = {f: HasilObservasi.dilakukan_efektif for f in FOKUS}

RPP = BerkasTerkonfirmasi(
    object_key="kinerja/guru-1/2025-1/rpp.pdf",
    nama_berkas="Modul Ajar Pecahan.pdf",
    content_type="application/pdf",
    ukuran_byte=20480,
    md5_base64="1B2M2Y8AsgTpgAmY7PhCfg==",
)
PERSIAPAN_LENGKAP = IsianPersiapan(
    target_perilaku_ids=("fp-disiplin-2",),
    upaya="Membuat kesepakatan kelas bersama murid di awal pembelajaran.",
    jadwal_observasi=JADWAL,
    rpp_modul_ajar=RPP,
)
TINDAK_LANJUT_LENGKAP = IsianTindakLanjut(
    tantangan="Murid sulit fokus setelah jam istirahat.",
    tujuan_ids=("tujuan-disiplin-positif",),
    materi_pmm_ids=("pelatihan-mandiri-disiplin-positif",),
    periode_belajar="Maret sampai April, dua kali seminggu",
    dukungan_ids=("diskusi-dengan-kepala-sekolah",),
)


def _pelaksanaan() -> Pelaksanaan:
    return Pelaksanaan.mulai(
        id="pel-guru-1-2025-1",
        pegawai_id=GURU,
        periode_id="2025-1",
        fokus_perilaku_ids=FOKUS,
        rencana_disetujui=True,
        now=T0,
    )


def _sampai_persiapan_dikumpulkan() -> Pelaksanaan:
    return _pelaksanaan().kumpulkan_persiapan(aktor_id=GURU, isian=PERSIAPAN_LENGKAP, now=T0)


def _sampai_jadwal_disepakati() -> Pelaksanaan:
    return _sampai_persiapan_dikumpulkan().sepakati_jadwal(aktor_id=KS, penilai=PENILAI, now=T0)


def _sampai_observasi() -> Pelaksanaan:
    return _sampai_jadwal_disepakati().catat_observasi(
        aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, rekomendasi="Perkuat umpan balik.", now=JADWAL
    )


def _sampai_tindak_lanjut() -> Pelaksanaan:
    return _sampai_observasi().kumpulkan_tindak_lanjut(
        aktor_id=GURU, isian=TINDAK_LANJUT_LENGKAP, now=JADWAL + timedelta(days=2)
    )


def _sampai_refleksi() -> Pelaksanaan:
    return _sampai_tindak_lanjut().kumpulkan_refleksi(
        aktor_id=GURU, isian=IsianRefleksi(refleksi="Kelas lebih tertib."), now=JADWAL + timedelta(days=60)
    )


def _selesai() -> Pelaksanaan:
    return _sampai_refleksi().nilai_tindak_lanjut(
        aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, catatan="Tindak lanjut berjalan baik.",
        now=JADWAL + timedelta(days=61),
    )


def _kode(exc_info: pytest.ExceptionInfo) -> str:
    return exc_info.value.kode


# ------------------------------------------------------------------ P4 order
def test_p4_pelaksanaan_hanya_dimulai_setelah_rencana_disetujui():
    with pytest.raises(DomainError) as e:
        Pelaksanaan.mulai(
            id="x", pegawai_id=GURU, periode_id="2025-1", fokus_perilaku_ids=FOKUS,
            rencana_disetujui=False, now=T0,
        )
    assert _kode(e) == "rencana_belum_disetujui"


def test_p4_observasi_ditolak_sebelum_dokumen_persiapan_dikumpulkan():
    draf = _pelaksanaan().simpan_draf_persiapan(aktor_id=GURU, isian=PERSIAPAN_LENGKAP, now=T0)
    with pytest.raises(DomainError) as e:
        draf.catat_observasi(aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, rekomendasi="r", now=JADWAL)
    assert _kode(e) == "langkah_observasi_belum_berurutan"
    assert e.value.extra["langkah_belum_selesai"] == "dokumen_persiapan"


def test_p4_observasi_ditolak_sebelum_jadwal_disepakati():
    with pytest.raises(DomainError) as e:
        _sampai_persiapan_dikumpulkan().catat_observasi(
            aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, rekomendasi="r", now=JADWAL
        )
    assert _kode(e) == "jadwal_observasi_belum_disepakati"


@pytest.mark.parametrize("aksi", ["draf", "kumpulkan"])
def test_p4_dokumen_tindak_lanjut_ditolak_sebelum_observasi(aksi):
    p = _sampai_jadwal_disepakati()
    with pytest.raises(DomainError) as e:
        if aksi == "draf":
            p.simpan_draf_tindak_lanjut(aktor_id=GURU, isian=TINDAK_LANJUT_LENGKAP, now=JADWAL)
        else:
            p.kumpulkan_tindak_lanjut(aktor_id=GURU, isian=TINDAK_LANJUT_LENGKAP, now=JADWAL)
    assert _kode(e) == "langkah_observasi_belum_berurutan"
    assert e.value.extra["langkah_belum_selesai"] == "observasi_kelas"


def test_p4_refleksi_ditolak_sebelum_dokumen_tindak_lanjut_dikumpulkan():
    p = _sampai_observasi().simpan_draf_tindak_lanjut(
        aktor_id=GURU, isian=TINDAK_LANJUT_LENGKAP, now=JADWAL
    )
    with pytest.raises(DomainError) as e:
        p.simpan_draf_refleksi(aktor_id=GURU, isian=IsianRefleksi(refleksi="r"), now=JADWAL)
    assert _kode(e) == "langkah_observasi_belum_berurutan"
    assert e.value.extra["langkah_belum_selesai"] == "dokumen_tindak_lanjut"


def test_p8_penilaian_tindak_lanjut_ditolak_sebelum_refleksi_dikumpulkan():
    p = _sampai_tindak_lanjut().simpan_draf_refleksi(
        aktor_id=GURU, isian=IsianRefleksi(refleksi="r"), now=JADWAL
    )
    with pytest.raises(DomainError) as e:
        p.nilai_tindak_lanjut(aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, catatan="c", now=JADWAL)
    assert _kode(e) == "refleksi_belum_dikumpulkan"


# ------------------------------------------------------ P8 progress
def test_p8_progres_25_50_75_100_per_langkah():
    assert _pelaksanaan().progres_persen == 0
    assert _sampai_persiapan_dikumpulkan().progres_persen == 0  # schedule not yet agreed
    assert _sampai_jadwal_disepakati().progres_persen == 25
    assert _sampai_observasi().progres_persen == 50
    assert _sampai_tindak_lanjut().progres_persen == 75
    assert _sampai_refleksi().progres_persen == 75  # the principal has not assessed yet
    selesai = _selesai()
    assert selesai.progres_persen == 100
    assert selesai.selesai and selesai.langkah_aktif is None


def test_p4_langkah_aktif_mengikuti_urutan():
    assert _pelaksanaan().langkah_aktif is Langkah.dokumen_persiapan
    assert _sampai_jadwal_disepakati().langkah_aktif is Langkah.observasi_kelas
    assert _sampai_observasi().langkah_aktif is Langkah.dokumen_tindak_lanjut
    assert _sampai_tindak_lanjut().langkah_aktif is Langkah.refleksi_tindak_lanjut


# ------------------------------------------------ P5 Dokumen Persiapan
def test_p5_rubrik_menampilkan_fokus_perilaku_indikator_terpilih():
    assert _pelaksanaan().rubrik_observasi() == FOKUS


def test_p5_simpan_draf_boleh_sebagian_dan_dapat_diubah():
    p = _pelaksanaan().simpan_draf_persiapan(aktor_id=GURU, isian=IsianPersiapan(upaya="awal"), now=T0)
    assert p.persiapan.status == "draf" and p.persiapan.isian.upaya == "awal"
    p = p.simpan_draf_persiapan(aktor_id=GURU, isian=IsianPersiapan(upaya="diubah"), now=T0)
    assert p.persiapan.isian.upaya == "diubah"
    assert p.progres_persen == 0


def test_p5_target_perilaku_harus_dari_rubrik_bahkan_di_draf():
    with pytest.raises(DomainError) as e:
        _pelaksanaan().simpan_draf_persiapan(
            aktor_id=GURU, isian=IsianPersiapan(target_perilaku_ids=("fp-lain",)), now=T0
        )
    assert _kode(e) == "target_perilaku_tidak_dikenal"


def test_p5_target_perilaku_tidak_boleh_ganda():
    with pytest.raises(ValidationError):
        IsianPersiapan(target_perilaku_ids=("fp-disiplin-1", "fp-disiplin-1"))


@pytest.mark.parametrize(
    "kosongkan",
    ["target_perilaku_ids", "upaya", "jadwal_observasi", "rpp_modul_ajar"],
)
def test_p5_kumpulkan_menolak_dokumen_belum_lengkap(kosongkan):
    kosong = {"target_perilaku_ids": (), "upaya": None, "jadwal_observasi": None, "rpp_modul_ajar": None}
    isian = PERSIAPAN_LENGKAP.model_copy(update={kosongkan: kosong[kosongkan]})
    with pytest.raises(DomainError) as e:
        _pelaksanaan().kumpulkan_persiapan(aktor_id=GURU, isian=isian, now=T0)
    assert _kode(e) == "dokumen_belum_lengkap"
    assert e.value.extra["kurang"] == [kosongkan]


def test_p5_kumpulkan_memakai_draf_tersimpan():
    p = _pelaksanaan().simpan_draf_persiapan(aktor_id=GURU, isian=PERSIAPAN_LENGKAP, now=T0)
    p = p.kumpulkan_persiapan(aktor_id=GURU, now=T0 + timedelta(hours=1))
    assert p.persiapan.dikumpulkan
    assert p.persiapan.isian == PERSIAPAN_LENGKAP
    assert p.persiapan.dikumpulkan_pada == T0 + timedelta(hours=1)


def test_p5_kumpulkan_tanpa_draf_ditolak_belum_lengkap():
    with pytest.raises(DomainError) as e:
        _pelaksanaan().kumpulkan_persiapan(aktor_id=GURU, now=T0)
    assert _kode(e) == "dokumen_belum_lengkap"
    assert set(e.value.extra["kurang"]) == {"target_perilaku_ids", "upaya", "jadwal_observasi", "rpp_modul_ajar"}


@pytest.mark.parametrize("aksi", ["draf", "kumpulkan"])
def test_p5_dokumen_persiapan_yang_dikumpulkan_tidak_dapat_diubah(aksi):
    p = _sampai_persiapan_dikumpulkan()
    ubahan = PERSIAPAN_LENGKAP.model_copy(update={"upaya": "lain"})
    with pytest.raises(DomainError) as e:
        if aksi == "draf":
            p.simpan_draf_persiapan(aktor_id=GURU, isian=ubahan, now=T0)
        else:
            p.kumpulkan_persiapan(aktor_id=GURU, isian=ubahan, now=T0)
    assert _kode(e) == "dokumen_sudah_dikumpulkan"
    assert p.persiapan.isian.upaya == PERSIAPAN_LENGKAP.upaya


def test_p5_hanya_guru_pemilik_mengisi_dokumen_persiapan():
    for aktor in (KS, "guru-lain"):
        with pytest.raises(Forbidden) as e:
            _pelaksanaan().simpan_draf_persiapan(aktor_id=aktor, isian=PERSIAPAN_LENGKAP, now=T0)
        assert _kode(e) == "bukan_pemilik_dokumen"


# ------------------------------------------------- P5 schedule agreement
def test_p5_jadwal_disepakati_kepala_sekolah_sesuai_usulan_guru():
    p = _sampai_jadwal_disepakati()
    assert p.jadwal.waktu == JADWAL and p.jadwal.disepakati_oleh == KS


def test_p5_kepala_sekolah_dapat_menyepakati_waktu_lain_tanpa_mengubah_dokumen():
    lain = JADWAL + timedelta(days=3)
    p = _sampai_persiapan_dikumpulkan().sepakati_jadwal(aktor_id=KS, penilai=PENILAI, now=T0, waktu=lain)
    assert p.jadwal.waktu == lain
    assert p.persiapan.isian.jadwal_observasi == JADWAL  # the submitted document is untouched


def test_p5_jadwal_belum_dapat_disepakati_sebelum_dokumen_dikumpulkan():
    p = _pelaksanaan().simpan_draf_persiapan(aktor_id=GURU, isian=PERSIAPAN_LENGKAP, now=T0)
    with pytest.raises(DomainError) as e:
        p.sepakati_jadwal(aktor_id=KS, penilai=PENILAI, now=T0)
    assert _kode(e) == "dokumen_persiapan_belum_dikumpulkan"


def test_p5_guru_tidak_dapat_menyepakati_jadwal_sendiri():
    with pytest.raises(Forbidden) as e:
        _sampai_persiapan_dikumpulkan().sepakati_jadwal(aktor_id=GURU, penilai=PENILAI, now=T0)
    assert _kode(e) == "tidak_dapat_menilai_diri_sendiri"


def test_p5_jadwal_dapat_disepakati_ulang_hingga_observasi_dicatat():
    p = _sampai_jadwal_disepakati().sepakati_jadwal(
        aktor_id=KS, penilai=PENILAI, now=T0, waktu=JADWAL + timedelta(days=1)
    )
    assert p.jadwal.waktu == JADWAL + timedelta(days=1)
    with pytest.raises(DomainError) as e:
        _sampai_observasi().sepakati_jadwal(aktor_id=KS, penilai=PENILAI, now=JADWAL, waktu=JADWAL)
    assert _kode(e) == "observasi_sudah_dicatat"


# ----------------------------------------------------- P6 Observasi Kelas
def test_p6_observasi_ditolak_sebelum_tanggal_jadwal():
    with pytest.raises(DomainError) as e:
        _sampai_jadwal_disepakati().catat_observasi(
            aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, rekomendasi="r", now=JADWAL - timedelta(days=1)
        )
    assert _kode(e) == "observasi_sebelum_jadwal"


def test_p6_observasi_boleh_pada_hari_jadwal_walau_lebih_awal_dari_jamnya():
    # 07:00 WIB on the scheduled day (09:00 WIB) -- i.e. the previous day 00:00 UTC.
    pagi = datetime(2025, 3, 10, 0, 0, tzinfo=timezone.utc)
    p = _sampai_jadwal_disepakati().catat_observasi(
        aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, rekomendasi="r", now=pagi
    )
    assert p.progres_persen == 50


def test_p6_tanggal_dibandingkan_dalam_zona_waktu_jadwal():
    # 23:00 UTC on 9 March is already 06:00 WIB on 10 March -> allowed;
    # 16:00 UTC on 9 March is 23:00 WIB on 9 March -> refused.
    p = _sampai_jadwal_disepakati()
    p.catat_observasi(aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, rekomendasi="r",
                      now=datetime(2025, 3, 9, 23, 0, tzinfo=timezone.utc))
    with pytest.raises(DomainError) as e:
        p.catat_observasi(aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, rekomendasi="r",
                          now=datetime(2025, 3, 9, 16, 0, tzinfo=timezone.utc))
    assert _kode(e) == "observasi_sebelum_jadwal"


def test_p6_setiap_fokus_perilaku_harus_dinilai():
    sebagian = {FOKUS[0]: HasilObservasi.belum_dilakukan, FOKUS[1]: HasilObservasi.dilakukan_efektif}
    with pytest.raises(DomainError) as e:
        _sampai_jadwal_disepakati().catat_observasi(
            aktor_id=KS, penilai=PENILAI, hasil=sebagian, rekomendasi="r", now=JADWAL
        )
    assert _kode(e) == "hasil_observasi_belum_lengkap"
    assert e.value.extra["fokus_perilaku_ids"] == [FOKUS[2]]


def test_p6_fokus_perilaku_di_luar_rubrik_ditolak():
    hasil = dict(EFEKTIF, **{"fp-lain": HasilObservasi.belum_dilakukan})
    with pytest.raises(DomainError) as e:
        _sampai_jadwal_disepakati().catat_observasi(
            aktor_id=KS, penilai=PENILAI, hasil=hasil, rekomendasi="r", now=JADWAL
        )
    assert _kode(e) == "fokus_perilaku_tidak_dikenal"


def test_p6_rekomendasi_wajib_diisi():
    with pytest.raises(DomainError) as e:
        _sampai_jadwal_disepakati().catat_observasi(
            aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, rekomendasi="  ", now=JADWAL
        )
    assert _kode(e) == "rekomendasi_wajib_diisi"


def test_p6_skala_tiga_tingkat_dan_nilai_asing_ditolak():
    assert [h.value for h in HasilObservasi] == [
        "belum_dilakukan", "dilakukan_belum_efektif", "dilakukan_efektif",
    ]
    with pytest.raises(ValueError):
        _sampai_jadwal_disepakati().catat_observasi(
            aktor_id=KS, penilai=PENILAI, hasil={f: "sangat_efektif" for f in FOKUS},
            rekomendasi="r", now=JADWAL,
        )


def test_p6_observasi_tidak_dapat_dicatat_dua_kali():
    with pytest.raises(DomainError) as e:
        _sampai_observasi().catat_observasi(
            aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, rekomendasi="r", now=JADWAL
        )
    assert _kode(e) == "observasi_sudah_dicatat"


def test_p6_plt_kepala_sekolah_boleh_mengobservasi():
    penilai = PejabatPenilai(plt_id=PLT)
    p = _sampai_persiapan_dikumpulkan().sepakati_jadwal(aktor_id=PLT, penilai=penilai, now=T0)
    p = p.catat_observasi(aktor_id=PLT, penilai=penilai, hasil=EFEKTIF, rekomendasi="r", now=JADWAL)
    assert p.observasi.oleh == PLT


def test_p6_kepala_sekolah_lain_tidak_boleh_mengobservasi():
    with pytest.raises(Forbidden) as e:
        _sampai_jadwal_disepakati().catat_observasi(
            aktor_id="ks-sekolah-lain", penilai=PENILAI, hasil=EFEKTIF, rekomendasi="r", now=JADWAL
        )
    assert _kode(e) == "bukan_atasan"


def test_p6_plt_tidak_dapat_menilai_pelaksanaannya_sendiri():
    p = Pelaksanaan.mulai(id="p", pegawai_id=PLT, periode_id="2025-1", fokus_perilaku_ids=FOKUS,
                          rencana_disetujui=True, now=T0)
    p = p.kumpulkan_persiapan(aktor_id=PLT, isian=PERSIAPAN_LENGKAP, now=T0)
    with pytest.raises(Forbidden) as e:
        p.sepakati_jadwal(aktor_id=PLT, penilai=PejabatPenilai(plt_id=PLT), now=T0)
    assert _kode(e) == "tidak_dapat_menilai_diri_sendiri"


def test_p3_tanpa_atasan_pesan_data_atasan_tidak_ditemukan():
    with pytest.raises(DomainError) as e:
        _sampai_persiapan_dikumpulkan().sepakati_jadwal(aktor_id=KS, penilai=PejabatPenilai(), now=T0)
    assert _kode(e) == "atasan_tidak_ditemukan"
    assert "Dapodik" in e.value.pesan


def test_p14_tim_penilai_kepala_sekolah_boleh_mengobservasi():
    penilai = PejabatPenilai(definitif_id="kadis-1", tim_penilai_ids=frozenset({"pengawas-1"}))
    p = Pelaksanaan.mulai(id="p", pegawai_id=KS, periode_id="2025-1", fokus_perilaku_ids=FOKUS,
                          rencana_disetujui=True, now=T0)
    p = p.kumpulkan_persiapan(aktor_id=KS, isian=PERSIAPAN_LENGKAP, now=T0)
    p = p.sepakati_jadwal(aktor_id="pengawas-1", penilai=penilai, now=T0)
    assert p.jadwal.disepakati_oleh == "pengawas-1"


def test_p6_cek_rincian_guru_melihat_hasil_dan_label():
    rincian = _sampai_observasi().rincian_observasi(aktor_id=GURU, penilai=PENILAI)
    assert rincian.hasil == EFEKTIF
    assert rincian.label_hasil[FOKUS[0]] == "Dilakukan dan Efektif"
    assert rincian.rekomendasi == "Perkuat umpan balik."
    assert rincian.jadwal == JADWAL


def test_p7_hasil_observasi_ditandai_bukan_nilai_akhir():
    rincian = _sampai_observasi().rincian_observasi(aktor_id=GURU, penilai=PENILAI)
    assert rincian.keterangan == KETERANGAN_BUKAN_NILAI_AKHIR
    assert "bukan nilai akhir" in rincian.keterangan


def test_p6_cek_rincian_sebelum_observasi_dan_oleh_orang_lain_ditolak():
    with pytest.raises(DomainError) as e:
        _sampai_jadwal_disepakati().rincian_observasi(aktor_id=GURU, penilai=PENILAI)
    assert _kode(e) == "observasi_belum_dilakukan"
    with pytest.raises(Forbidden) as e:
        _sampai_observasi().rincian_observasi(aktor_id="guru-lain", penilai=PENILAI)
    assert _kode(e) == "tidak_berhak_melihat"


# ------------------------------------------------- P7 Dokumen Tindak Lanjut
@pytest.mark.parametrize(
    "kosongkan, nilai_kosong",
    [("tantangan", None), ("tujuan_ids", ()), ("materi_pmm_ids", ()),
     ("periode_belajar", None), ("dukungan_ids", ())],
)
def test_p7_kumpulkan_tindak_lanjut_wajib_lengkap(kosongkan, nilai_kosong):
    isian = TINDAK_LANJUT_LENGKAP.model_copy(update={kosongkan: nilai_kosong})
    with pytest.raises(DomainError) as e:
        _sampai_observasi().kumpulkan_tindak_lanjut(aktor_id=GURU, isian=isian, now=JADWAL)
    assert _kode(e) == "dokumen_belum_lengkap"
    assert e.value.extra["kurang"] == [kosongkan]


def test_p7_pembelajaran_lainnya_opsional_dan_beberapa_tujuan_boleh():
    isian = TINDAK_LANJUT_LENGKAP.model_copy(update={"tujuan_ids": ("t1", "t2"), "pembelajaran_lainnya": None})
    p = _sampai_observasi().kumpulkan_tindak_lanjut(aktor_id=GURU, isian=isian, now=JADWAL)
    assert p.tindak_lanjut.dikumpulkan and p.tindak_lanjut.isian.tujuan_ids == ("t1", "t2")


def test_p7_draf_tindak_lanjut_lalu_kumpulkan_lalu_terkunci():
    p = _sampai_observasi().simpan_draf_tindak_lanjut(
        aktor_id=GURU, isian=IsianTindakLanjut(tantangan="sebagian"), now=JADWAL
    )
    assert p.tindak_lanjut.status == "draf"
    p = p.kumpulkan_tindak_lanjut(aktor_id=GURU, isian=TINDAK_LANJUT_LENGKAP, now=JADWAL)
    with pytest.raises(DomainError) as e:
        p.simpan_draf_tindak_lanjut(aktor_id=GURU, isian=TINDAK_LANJUT_LENGKAP, now=JADWAL)
    assert _kode(e) == "dokumen_sudah_dikumpulkan"


def test_p7_kepala_sekolah_tidak_mengisi_dokumen_tindak_lanjut_guru():
    with pytest.raises(Forbidden):
        _sampai_observasi().simpan_draf_tindak_lanjut(aktor_id=KS, isian=TINDAK_LANJUT_LENGKAP, now=JADWAL)


# ---------------------------------------------- P8 Refleksi Tindak Lanjut
def test_p8_refleksi_wajib_diisi_saat_kumpulkan_dan_terkunci_setelahnya():
    with pytest.raises(DomainError) as e:
        _sampai_tindak_lanjut().kumpulkan_refleksi(aktor_id=GURU, isian=IsianRefleksi(), now=JADWAL)
    assert _kode(e) == "dokumen_belum_lengkap"
    with pytest.raises(DomainError) as e:
        _sampai_refleksi().simpan_draf_refleksi(aktor_id=GURU, isian=IsianRefleksi(refleksi="x"), now=JADWAL)
    assert _kode(e) == "dokumen_sudah_dikumpulkan"


def test_p8_hanya_atasan_menilai_tindak_lanjut_dan_hanya_sekali():
    with pytest.raises(Forbidden):
        _sampai_refleksi().nilai_tindak_lanjut(
            aktor_id=GURU, penilai=PENILAI, hasil=EFEKTIF, catatan="c", now=JADWAL
        )
    with pytest.raises(DomainError) as e:
        _selesai().nilai_tindak_lanjut(aktor_id=KS, penilai=PENILAI, hasil=EFEKTIF, catatan="c", now=JADWAL)
    assert _kode(e) == "tindak_lanjut_sudah_dinilai"


# --------------------------------------------- concurrency and immutability
def test_versi_naik_setiap_perubahan_dan_asal_tidak_berubah():
    awal = _pelaksanaan()
    draf = awal.simpan_draf_persiapan(aktor_id=GURU, isian=IsianPersiapan(upaya="a"), now=T0)
    assert (awal.versi, draf.versi) == (0, 1)
    assert awal.persiapan is None
    assert _selesai().versi == 6  # six transitions from a fresh aggregate


def test_periksa_versi_menolak_versi_lama():
    p = _sampai_observasi()
    p.periksa_versi(p.versi)
    with pytest.raises(Conflict) as e:
        p.periksa_versi(p.versi - 1)
    assert _kode(e) == "versi_berubah" and e.value.status == 409


def test_waktu_tanpa_zona_ditolak():
    with pytest.raises(ValueError):
        _pelaksanaan().simpan_draf_persiapan(aktor_id=GURU, isian=IsianPersiapan(), now=datetime(2025, 2, 3))


def test_agregat_dapat_disimpan_dan_dibaca_ulang_sebagai_json():
    p = _selesai()
    assert Pelaksanaan.model_validate_json(p.model_dump_json()) == p
