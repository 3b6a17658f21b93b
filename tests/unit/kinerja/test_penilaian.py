"""Penilaian Kinerja: ratings and the send to the Dinas (P10, P11)."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from kinerja.domain.observasi import PejabatPenilai
from kinerja.domain.penilaian import (
    ID_PANDUAN,
    MIN_PANJANG_PENJELASAN,
    PANDUAN_KIRIM_DINAS,
    IsianRating,
    JenisTemuan,
    PegawaiSekolah,
    PengirimanDinas,
    PenilaianKinerja,
    Rating,
    StatusPegawai,
    periksa_data_pegawai,
    pratinjau_kiriman,
)
from shared.errors import Conflict, DomainError, Forbidden

WIB = timezone(timedelta(hours=7))
NOW = datetime(2025, 6, 10, 10, 0, tzinfo=WIB)
KS = "ks-1"
KEPSEK = PejabatPenilai(definitif_id=KS)
SEKOLAH = "npsn-20100001"
PERIODE = "2025-1"
PENJELASAN = "Penilaian sudah didiskusikan dengan setiap guru dan saya setujui."
SESUAI = IsianRating(
    rating_hasil_kerja=Rating.sesuai_ekspektasi,
    rating_perilaku_kerja=Rating.sesuai_ekspektasi,
    catatan_hasil_kerja="Praktik disiplin positif meningkat.",
)


def _nilai(pegawai_id: str, isian: IsianRating = SESUAI, **kw) -> PenilaianKinerja:
    args = dict(
        id=f"pn-{pegawai_id}", pegawai_id=pegawai_id, periode_id=PERIODE, sekolah_id=SEKOLAH,
        aktor_id=KS, penilai=KEPSEK, isian=isian, poin_kompetensi=40,
        rencana_disepakati=True, jendela_penilaian_terbuka=True, now=NOW,
    )
    args.update(kw)
    return PenilaianKinerja.beri(**args)


def _pegawai(pegawai_id: str, **kw) -> PegawaiSekolah:
    return PegawaiSekolah(pegawai_id=pegawai_id, nama=kw.pop("nama", f"Guru {pegawai_id}"), **kw)


def _pengiriman_siap() -> PengirimanDinas:
    p = PengirimanDinas.baru(id="kirim-1", sekolah_id=SEKOLAH, periode_id=PERIODE, now=NOW)
    return p.centang_panduan(aktor_id=KS, kepala_sekolah=KEPSEK, item_ids=ID_PANDUAN, now=NOW)


def _kirim(pengiriman, penilaian, pegawai, **kw):
    args = dict(aktor_id=KS, kepala_sekolah=KEPSEK, penilaian=penilaian, pegawai=pegawai,
                konfirmasi=True, penjelasan=PENJELASAN, now=NOW)
    args.update(kw)
    return pengiriman.kirim(**args)


# --------------------------------------------------------------- P10 ratings
def test_p10_skala_rating_tiga_tingkat():
    assert [r.value for r in Rating] == ["di_atas_ekspektasi", "sesuai_ekspektasi", "di_bawah_ekspektasi"]


def test_p10_kepala_sekolah_memberi_dua_rating_dengan_catatan():
    p = _nilai("g1")
    assert p.rating_hasil_kerja is Rating.sesuai_ekspektasi
    assert p.rating_perilaku_kerja is Rating.sesuai_ekspektasi
    assert p.catatan_hasil_kerja == "Praktik disiplin positif meningkat."
    assert p.poin_kompetensi == 40 and not p.terkirim


def test_p10_hanya_untuk_guru_yang_menyepakati_rencana():
    with pytest.raises(DomainError) as e:
        _nilai("g1", rencana_disepakati=False)
    assert e.value.kode == "rencana_belum_disepakati"


def test_p10_hanya_dalam_masa_penilaian():
    with pytest.raises(DomainError) as e:
        _nilai("g1", jendela_penilaian_terbuka=False)
    assert e.value.kode == "di_luar_masa_penilaian"
    with pytest.raises(DomainError) as e:
        _nilai("g1").ubah(aktor_id=KS, penilai=KEPSEK, isian=SESUAI, jendela_penilaian_terbuka=False, now=NOW)
    assert e.value.kode == "di_luar_masa_penilaian"


def test_p10_hanya_atasan_yang_menilai():
    with pytest.raises(Forbidden) as e:
        _nilai("g1", aktor_id="guru-lain")
    assert e.value.kode == "bukan_atasan"
    with pytest.raises(Forbidden) as e:
        _nilai("g1", aktor_id="g1", penilai=PejabatPenilai(definitif_id=KS))
    assert e.value.kode == "tidak_dapat_menilai_diri_sendiri"


def test_p10_plt_boleh_menilai():
    p = _nilai("g1", aktor_id="plt-1", penilai=PejabatPenilai(plt_id="plt-1"))
    assert p.dinilai_oleh == "plt-1"


def test_p11_rating_dapat_diubah_sebelum_dikirim():
    p = _nilai("g1")
    atas = SESUAI.model_copy(update={"rating_hasil_kerja": Rating.di_atas_ekspektasi})
    p2 = p.ubah(aktor_id=KS, penilai=KEPSEK, isian=atas, jendela_penilaian_terbuka=True, now=NOW)
    assert p2.rating_hasil_kerja is Rating.di_atas_ekspektasi and p2.versi == p.versi + 1
    assert p.rating_hasil_kerja is Rating.sesuai_ekspektasi  # the old value object is untouched


def test_periksa_versi_penilaian():
    p = _nilai("g1")
    with pytest.raises(Conflict):
        p.periksa_versi(p.versi + 1)


# ---------------------------------------------------------- P11 checklist
def test_p11_panduan_adalah_data_dan_setiap_butir_wajib_dicentang():
    assert len(PANDUAN_KIRIM_DINAS) >= 4
    assert {"pegawai_tidak_aktif", "pegawai_terduplikasi", "kirim_satu_kali"} <= ID_PANDUAN
    sebagian = set(ID_PANDUAN) - {"kirim_satu_kali"}
    p = PengirimanDinas.baru(id="k", sekolah_id=SEKOLAH, periode_id=PERIODE, now=NOW)
    p = p.centang_panduan(aktor_id=KS, kepala_sekolah=KEPSEK, item_ids=sebagian, now=NOW)
    with pytest.raises(DomainError) as e:
        _kirim(p, [_nilai("g1")], [_pegawai("g1")])
    assert e.value.kode == "panduan_belum_dicentang"
    assert e.value.extra["item_ids"] == ["kirim_satu_kali"]


def test_p11_butir_panduan_asing_ditolak():
    p = PengirimanDinas.baru(id="k", sekolah_id=SEKOLAH, periode_id=PERIODE, now=NOW)
    with pytest.raises(DomainError) as e:
        p.centang_panduan(aktor_id=KS, kepala_sekolah=KEPSEK, item_ids=["bukan_panduan"], now=NOW)
    assert e.value.kode == "panduan_tidak_dikenal"


def test_p11_konfirmasi_wajib_dicentang():
    with pytest.raises(DomainError) as e:
        _kirim(_pengiriman_siap(), [_nilai("g1")], [_pegawai("g1")], konfirmasi=False)
    assert e.value.kode == "konfirmasi_belum_dicentang"


def test_p11_penjelasan_minimal_panjang_tepat_di_batas():
    pendek = "x" * (MIN_PANJANG_PENJELASAN - 1)
    with pytest.raises(DomainError) as e:
        _kirim(_pengiriman_siap(), [_nilai("g1")], [_pegawai("g1")], penjelasan=pendek + "   ")
    assert e.value.kode == "penjelasan_terlalu_pendek"
    cukup = "x" * MIN_PANJANG_PENJELASAN
    hasil = _kirim(_pengiriman_siap(), [_nilai("g1")], [_pegawai("g1")], penjelasan=cukup)
    assert hasil.pengiriman.kiriman[0].penjelasan == cukup


def test_p11_draf_penjelasan_dapat_disimpan_dan_diubah():
    p = _pengiriman_siap().simpan_draf(aktor_id=KS, kepala_sekolah=KEPSEK, penjelasan="draf awal", now=NOW)
    p = p.simpan_draf(aktor_id=KS, kepala_sekolah=KEPSEK, penjelasan="draf kedua", now=NOW)
    assert p.draf_penjelasan == "draf kedua" and not p.sudah_pernah_dikirim


def test_p11_hanya_kepala_sekolah_yang_mengirim():
    with pytest.raises(Forbidden) as e:
        _kirim(_pengiriman_siap(), [_nilai("g1")], [_pegawai("g1")], aktor_id="g1")
    assert e.value.kode == "bukan_kepala_sekolah"


# ----------------------------------------------------- P11 send once, batches
def test_p11_kirim_menandai_penilaian_dan_penilaian_terkirim_tidak_dapat_diubah():
    hasil = _kirim(_pengiriman_siap(), [_nilai("g1"), _nilai("g2")], [_pegawai("g1"), _pegawai("g2")])
    assert [p.nomor_kiriman for p in hasil.terkirim] == [1, 1]
    assert hasil.pengiriman.kiriman[0].pegawai_ids == ("g1", "g2")
    assert hasil.pengiriman.draf_penjelasan is None
    with pytest.raises(DomainError) as e:
        hasil.terkirim[0].ubah(aktor_id=KS, penilai=KEPSEK, isian=SESUAI, jendela_penilaian_terbuka=True, now=NOW)
    assert e.value.kode == "penilaian_sudah_dikirim"


def test_p11_guru_yang_dinilai_kemudian_masuk_kiriman_berikutnya():
    roster = [_pegawai("g1"), _pegawai("g2")]
    pertama = _kirim(_pengiriman_siap(), [_nilai("g1")], roster)
    assert pertama.pratinjau.belum_dinilai == ("g2",)
    penilaian = list(pertama.terkirim) + [_nilai("g2")]
    kedua = _kirim(pertama.pengiriman, penilaian, roster)
    assert [k.nomor for k in kedua.pengiriman.kiriman] == [1, 2]
    assert kedua.pengiriman.kiriman[1].pegawai_ids == ("g2",)
    assert [(p.pegawai_id, p.nomor_kiriman) for p in kedua.terkirim] == [("g2", 2)]


def test_p11_tidak_ada_yang_baru_untuk_dikirim_ditolak():
    roster = [_pegawai("g1")]
    pertama = _kirim(_pengiriman_siap(), [_nilai("g1")], roster)
    with pytest.raises(DomainError) as e:
        _kirim(pertama.pengiriman, list(pertama.terkirim), roster)
    assert e.value.kode == "tidak_ada_penilaian_untuk_dikirim"


def test_p11_penilaian_sekolah_lain_ditolak():
    lain = _nilai("g1", sekolah_id="npsn-lain")
    with pytest.raises(ValueError):
        _kirim(_pengiriman_siap(), [lain], [_pegawai("g1")])


# ---------------------------------------------- P11 inactive and duplicates
@pytest.mark.parametrize("status", [StatusPegawai.pensiun, StatusPegawai.meninggal, StatusPegawai.mutasi])
def test_p11_pegawai_tidak_aktif_ditandai_perbaikan_dapodik_oleh_operator(status):
    temuan = periksa_data_pegawai([_pegawai("g1", status=status), _pegawai("g2")])
    assert len(temuan) == 1
    t = temuan[0]
    assert t.jenis is JenisTemuan.tidak_aktif and t.pegawai_ids == ("g1",)
    assert t.aktor == "operator_sekolah" and "Dapodik" in t.tindak_lanjut


def test_p11_nip_ganda_ditandai_pusat_bantuan_dengan_email():
    nip = "198001012005011001"
    temuan = periksa_data_pegawai([
        _pegawai("g1", nip=nip, email_belajar_id="a@guru.sd.belajar.id"),
        _pegawai("g2", nip=nip, email_belajar_id="b@guru.sd.belajar.id"),
        _pegawai("g3", nip="198001012005011002"),
    ])
    assert len(temuan) == 1
    t = temuan[0]
    assert t.jenis is JenisTemuan.nip_ganda and t.pegawai_ids == ("g1", "g2")
    assert t.aktor == "pusat_bantuan" and "Pusat Bantuan" in t.tindak_lanjut
    assert t.email_belajar_id == ("a@guru.sd.belajar.id", "b@guru.sd.belajar.id")


def test_p11_orang_sama_dua_kali_lewat_nik_atau_nama_dan_tanggal_lahir():
    lahir = date(1985, 5, 17)
    lewat_nik = periksa_data_pegawai([
        _pegawai("g1", nik="3201011705850001"), _pegawai("g2", nik="3201011705850001"),
    ])
    assert [t.jenis for t in lewat_nik] == [JenisTemuan.orang_ganda]
    lewat_nama = periksa_data_pegawai([
        _pegawai("g1", nama="Siti Aminah, S.Pd.", tanggal_lahir=lahir),
        _pegawai("g2", nama="siti  aminah s pd", tanggal_lahir=lahir),
    ])
    assert [t.pegawai_ids for t in lewat_nama] == [("g1", "g2")]


def test_p11_nama_sama_tetapi_orang_berbeda_tidak_ditandai():
    lahir = date(1985, 5, 17)
    assert periksa_data_pegawai([
        _pegawai("g1", nama="Budi", tanggal_lahir=lahir, nik="3201011705850001"),
        _pegawai("g2", nama="Budi", tanggal_lahir=lahir, nik="3201011705850002"),
        _pegawai("g3", nama="Budi", tanggal_lahir=date(1990, 1, 1)),
    ]) == []


def test_p11_satu_kelompok_ganda_dilaporkan_sekali():
    nip, nik = "198001012005011001", "3201011705850001"
    temuan = periksa_data_pegawai([_pegawai("g1", nip=nip, nik=nik), _pegawai("g2", nip=nip, nik=nik)])
    assert len(temuan) == 1


def test_p11_pegawai_bermasalah_ditahan_dari_kiriman_lainnya_tetap_dikirim():
    nip = "198001012005011001"
    roster = [
        _pegawai("g1"),
        _pegawai("g2", status=StatusPegawai.pensiun),
        _pegawai("g3", nip=nip),
        _pegawai("g4", nip=nip),
    ]
    penilaian = [_nilai(g) for g in ("g1", "g2", "g3", "g4")]
    pratinjau = pratinjau_kiriman(sekolah_id=SEKOLAH, periode_id=PERIODE, penilaian=penilaian, pegawai=roster)
    assert pratinjau.siap_dikirim == ("g1",)
    assert pratinjau.ditahan == ("g2", "g3", "g4")
    hasil = _kirim(_pengiriman_siap(), penilaian, roster)
    assert [p.pegawai_id for p in hasil.terkirim] == ["g1"]
    assert {t.jenis for t in hasil.pratinjau.temuan} == {JenisTemuan.tidak_aktif, JenisTemuan.nip_ganda}


def test_p11_hanya_pegawai_bermasalah_maka_kirim_ditolak_dengan_daftar_ditahan():
    roster = [_pegawai("g1", status=StatusPegawai.meninggal)]
    with pytest.raises(DomainError) as e:
        _kirim(_pengiriman_siap(), [_nilai("g1")], roster)
    assert e.value.kode == "tidak_ada_penilaian_untuk_dikirim"
    assert e.value.extra["ditahan"] == ["g1"]
