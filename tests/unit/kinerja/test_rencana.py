"""The performance plan: ordered steps, dialogue, SKP derivation (P2, P3, P13, P14, P15)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kinerja.domain import rencana as r
from kinerja.domain.referensi import (
    Dinas,
    Jenjang,
    Ptk,
    RaporPendidikan,
    Sekolah,
    tentukan_atasan,
)
from kinerja.domain.siklus import buka_siklus
from shared.errors import DomainError

WIB = timezone(timedelta(hours=7))
NOW = datetime(2024, 1, 10, 9, 0, tzinfo=WIB)
LATER = NOW + timedelta(days=3)
PK_CUKUP = [r.InputPengembangan(kegiatan_id="pelatihan_mandiri_aksi_nyata", materi_id="pm-disiplin-positif"),
            r.InputPengembangan(kegiatan_id="pemimpin_komunitas_belajar")]  # 8 + 36 = 44


def ptk(**ubah) -> Ptk:
    dasar = dict(ptk_id="guru-1", nama="Budi", nip="198503142010011003", npsn_induk="20100001",
                 status_kepegawaian="pns", jabatan="guru", versi=1)
    dasar.update(ubah)
    return Ptk(**dasar)


def sekolah(**ubah) -> Sekolah:
    dasar = dict(npsn="20100001", nama="SMP Negeri 1", jenjang="smp", dinas_id="dinas-1",
                 kepala_sekolah_ptk_id="ks-1", versi=1)
    dasar.update(ubah)
    return Sekolah(**dasar)


def rencana_baru(p: Ptk | None = None, jenjang: Jenjang = Jenjang.SMP) -> r.Rencana:
    p = p or ptk()
    c = buka_siklus(p, "2024-1", now=NOW, dikonfirmasi_kepala_sekolah=False)
    return r.buat_rencana(c, p, jenjang, now=NOW)


def rencana_lengkap(p: Ptk | None = None, sub: str = "D1.2", tugas=()) -> r.Rencana:
    p = p or ptk()
    x = rencana_baru(p)
    x = r.cek_data(x, p.ptk_id, now=NOW)
    x = r.pilih_praktik_kinerja(x, p.ptk_id, sub, None, now=NOW)
    x = r.atur_pengembangan_kompetensi(x, p.ptk_id, PK_CUKUP, now=NOW)
    x = r.atur_tugas_tambahan(x, p.ptk_id, list(tugas), now=NOW)
    x = r.atur_perilaku_kerja(x, p.ptk_id, ["kompeten", "kolaboratif"], now=NOW)
    return r.simpan_rangkuman(x, p.ptk_id, "Fokus saya semester ini disiplin positif.", now=NOW)


def kode(fungsi, *args, **kwargs) -> str:
    with pytest.raises(DomainError) as info:
        fungsi(*args, **kwargs)
    return info.value.kode


# ------------------------------------------------------------------ steps


def test_p2_rencana_baru_draf_satu_per_siklus():
    x = rencana_baru()
    assert x.status is r.StatusRencana.DRAF and x.versi == 1
    assert x.rencana_id == x.siklus_id and x.langkah_berikutnya is r.Langkah.CEK_DATA
    assert set(x.versi_katalog) >= {"sub_indikator", "pengembangan_kompetensi"}


def test_p2_langkah_harus_berurutan():
    x = rencana_baru()
    with pytest.raises(DomainError) as info:
        r.pilih_praktik_kinerja(x, "guru-1", "D1.2", None, now=NOW)
    assert info.value.kode == "langkah_belum_berurutan" and "Cek Data" in info.value.pesan
    x = r.cek_data(x, "guru-1", now=NOW)
    assert kode(r.atur_perilaku_kerja, x, "guru-1", ["kompeten"], now=NOW) == "langkah_belum_berurutan"
    assert kode(r.simpan_rangkuman, x, "guru-1", None, now=NOW) == "langkah_belum_berurutan"


def test_p2_setiap_langkah_menaikkan_versi():
    x = rencana_lengkap()
    assert x.versi == 7 and x.langkah_berikutnya is None
    assert x.langkah_selesai == r.URUTAN_LANGKAH


def test_p2_praktik_tepat_satu_d1_untuk_guru():
    x = r.cek_data(rencana_baru(), "guru-1", now=NOW)
    x = r.pilih_praktik_kinerja(x, "guru-1", "D1.2", None, now=NOW)
    x = r.pilih_praktik_kinerja(x, "guru-1", "D1.5", None, now=NOW)  # replaces, never adds
    assert x.praktik.sub_indikator_id == "D1.5" and not x.praktik.direkomendasikan
    assert kode(r.pilih_praktik_kinerja, x, "guru-1", "D3.1", None, now=NOW) == "sub_indikator_tidak_sesuai_jabatan"
    assert kode(r.pilih_praktik_kinerja, x, "guru-1", "D9.9", None, now=NOW) == "sub_indikator_tidak_dikenal"


def test_p14_kepala_sekolah_memilih_d3():
    ks = ptk(ptk_id="ks-1", jabatan="kepala_sekolah")
    x = r.cek_data(rencana_baru(ks), "ks-1", now=NOW)
    assert r.pilih_praktik_kinerja(x, "ks-1", "D3.4", None, now=NOW).praktik.indikator == "D3"
    assert kode(r.pilih_praktik_kinerja, x, "ks-1", "D1.1", None, now=NOW) == "sub_indikator_tidak_sesuai_jabatan"


def test_p2_rekomendasi_rapor_didahulukan_tanpa_rapor_tetap_bisa_memilih():
    rapor = RaporPendidikan(npsn="20100001", tahun=2023, versi=1, rekomendasi=[
        {"sub_indikator_id": "D1.7", "prioritas": 2}, {"sub_indikator_id": "D1.3", "prioritas": 1},
        {"sub_indikator_id": "D3.1", "prioritas": 1}, {"sub_indikator_id": "X.9", "prioritas": 3}])
    pilihan = r.daftar_pilihan_praktik(r.Jabatan.GURU, rapor)
    assert [p.sub_indikator.id for p in pilihan[:2]] == ["D1.3", "D1.7"]
    assert all(p.direkomendasikan for p in pilihan[:2]) and not any(p.direkomendasikan for p in pilihan[2:])
    assert len(pilihan) == 8  # D3 / unknown recommendations ignored, every D1 still offered
    tanpa = r.daftar_pilihan_praktik(r.Jabatan.GURU, None)
    assert len(tanpa) == 8 and not any(p.direkomendasikan for p in tanpa)
    x = r.cek_data(rencana_baru(), "guru-1", now=NOW)
    assert r.pilih_praktik_kinerja(x, "guru-1", "D1.3", rapor, now=NOW).praktik.direkomendasikan
    assert not r.pilih_praktik_kinerja(x, "guru-1", "D1.1", rapor, now=NOW).praktik.direkomendasikan


def _sampai_pk(p="guru-1"):
    x = r.cek_data(rencana_baru(), p, now=NOW)
    return r.pilih_praktik_kinerja(x, p, "D1.2", None, now=NOW)


def test_p2_pengembangan_kompetensi_32_sampai_128_poin():
    x = _sampai_pk()
    empat = r.InputPengembangan(kegiatan_id="peserta_sesi_komunitas_belajar")
    with pytest.raises(DomainError) as info:
        r.atur_pengembangan_kompetensi(x, "guru-1", [empat] * 7, now=NOW)  # 28
    assert info.value.kode == "poin_pengembangan_kurang" and "28" in info.value.pesan
    assert r.atur_pengembangan_kompetensi(x, "guru-1", [empat] * 8, now=NOW).total_poin == 32
    kombel = r.InputPengembangan(kegiatan_id="pemimpin_komunitas_belajar")
    assert r.atur_pengembangan_kompetensi(x, "guru-1", [kombel] * 3 + [empat] * 5, now=NOW).total_poin == 128
    assert kode(r.atur_pengembangan_kompetensi, x, "guru-1", [kombel] * 3 + [empat] * 6, now=NOW) == \
        "poin_pengembangan_berlebih"
    assert kode(r.atur_pengembangan_kompetensi, x, "guru-1", [], now=NOW) == "poin_pengembangan_kurang"


def _dari_katalog(total: int) -> list:
    """Real catalogue activities adding up to ``total`` (Pelatihan Mandiri with distinct real topics)."""
    from kinerja.domain import katalog
    materi = iter(m.id for m in katalog.katalog_materi().materi)
    return [r.InputPengembangan(kegiatan_id=i, materi_id=next(materi) if katalog.kegiatan_pengembangan(i).perlu_materi
                                else None) for i in katalog.katalog_pengembangan().kombinasi(total)]


def test_p2_poin_kompetensi_setiap_total_yang_dapat_dibentuk_katalog():
    """For every total the catalogue's real items can produce (up to 160), the plan step accepts it exactly
    when 32 <= total <= 128; both limits are themselves reachable."""
    from kinerja.domain import katalog
    k = katalog.katalog_pengembangan()
    poin = {x.id: x.poin for x in k.kegiatan}
    terjangkau = [t for t in range(1, 161) if k.kombinasi(t)]
    assert 32 in terjangkau and 128 in terjangkau
    x = _sampai_pk()
    for total in terjangkau:
        items = _dari_katalog(total)
        assert sum(poin[i.kegiatan_id] for i in items) == total
        if 32 <= total <= 128:
            assert r.atur_pengembangan_kompetensi(x, "guru-1", items, now=NOW).total_poin == total
        else:
            with pytest.raises(DomainError) as info:
                r.atur_pengembangan_kompetensi(x, "guru-1", items, now=NOW)
            e = info.value
            if total < 32:  # the refusal names real activities that bring the total into range
                assert e.kode == "poin_pengembangan_kurang" and e.extra["kurang"] == 32 - total
                tambahan = sum(poin[i] for i in e.extra["saran_kegiatan_ids"])
                assert 32 <= total + tambahan <= 128
            else:
                assert e.kode == "poin_pengembangan_berlebih" and e.extra["lebih"] == total - 128


def test_p2_topik_pelatihan_mandiri_dihitung_sekali():
    x = _sampai_pk()
    pm = r.InputPengembangan(kegiatan_id="pelatihan_mandiri_aksi_nyata", materi_id="pm-disiplin-positif")
    assert kode(r.atur_pengembangan_kompetensi, x, "guru-1", [pm] * 4, now=NOW) == "materi_ganda"


def test_p2_katalog_dengan_batas_tak_tercapai_ditolak_saat_dimuat():
    from kinerja.domain import katalog
    d = katalog.katalog_pengembangan().model_dump()
    d["kegiatan"] = [dict(x, poin=6 if x["poin"] != 36 else 36) for x in d["kegiatan"]]  # 32 = 6a + 36b: none
    with pytest.raises(ValueError):
        katalog.KatalogPengembangan.model_validate(d)


def test_p2_pelatihan_mandiri_wajib_menyebut_materi():
    x = _sampai_pk()
    tanpa = [r.InputPengembangan(kegiatan_id="pelatihan_mandiri_aksi_nyata")] * 4
    assert kode(r.atur_pengembangan_kompetensi, x, "guru-1", tanpa, now=NOW) == "materi_wajib"
    salah = [r.InputPengembangan(kegiatan_id="pelatihan_mandiri_aksi_nyata", materi_id="pm-x")] * 4
    assert kode(r.atur_pengembangan_kompetensi, x, "guru-1", salah, now=NOW) == "materi_tidak_dikenal"
    assert kode(r.atur_pengembangan_kompetensi, x, "guru-1", [r.InputPengembangan(kegiatan_id="x")],
                now=NOW) == "kegiatan_pengembangan_tidak_dikenal"


def _sampai_tt():
    return r.atur_pengembangan_kompetensi(_sampai_pk(), "guru-1", PK_CUKUP, now=NOW)


def test_p2_tugas_tambahan_opsional_beberapa_dengan_sk():
    x = _sampai_tt()
    assert r.atur_tugas_tambahan(x, "guru-1", [], now=NOW).tugas_tambahan == ()
    dua = [r.InputTugasTambahan(tugas_id="wali_kelas", nomor_sk=" 800/17/SMPN1/2024 "),
           r.InputTugasTambahan(tugas_id="pembina_osis", nomor_sk="ST-05/2024")]
    y = r.atur_tugas_tambahan(x, "guru-1", dua, now=NOW)
    assert [(t.tugas_id, t.nomor_sk) for t in y.tugas_tambahan] == [
        ("wali_kelas", "800/17/SMPN1/2024"), ("pembina_osis", "ST-05/2024")]
    assert kode(r.atur_tugas_tambahan, x, "guru-1", [r.InputTugasTambahan(tugas_id="wali_kelas", nomor_sk="  ")],
                now=NOW) == "nomor_sk_wajib"
    assert kode(r.atur_tugas_tambahan, x, "guru-1", dua[:1] * 2, now=NOW) == "tugas_tambahan_ganda"
    assert kode(r.atur_tugas_tambahan, x, "guru-1",
                [r.InputTugasTambahan(tugas_id="ketua_program_keahlian", nomor_sk="1")],
                now=NOW) == "tugas_tambahan_tidak_berlaku"  # SMK only, this is an SMP


def test_p13_perilaku_kerja_minimal_satu_berakhlak():
    x = r.atur_tugas_tambahan(_sampai_tt(), "guru-1", [], now=NOW)
    assert kode(r.atur_perilaku_kerja, x, "guru-1", [], now=NOW) == "perilaku_kerja_kosong"
    assert kode(r.atur_perilaku_kerja, x, "guru-1", ["jujur"], now=NOW) == "perilaku_kerja_tidak_dikenal"
    assert kode(r.atur_perilaku_kerja, x, "guru-1", ["loyal", "loyal"], now=NOW) == "perilaku_kerja_ganda"
    assert r.atur_perilaku_kerja(x, "guru-1", ["adaptif"], now=NOW).perilaku_prioritas == ("adaptif",)


def test_p2_ubah_langkah_awal_meminta_rangkuman_diperiksa_lagi():
    x = rencana_lengkap()
    y = r.pilih_praktik_kinerja(x, "guru-1", "D1.4", None, now=NOW)
    assert r.Langkah.RANGKUMAN not in y.langkah_selesai
    assert r.Langkah.PERILAKU_KERJA in y.langkah_selesai  # later content kept
    assert kode(r.ajukan, y, "guru-1", _atasan(), now=NOW) == "langkah_belum_lengkap"


def test_p2_hanya_pemilik_yang_mengubah_dan_di_jadwal():
    x = rencana_baru()
    with pytest.raises(DomainError) as info:
        r.cek_data(x, "ks-1", now=NOW)
    assert info.value.kode == "bukan_pemilik_rencana" and info.value.status == 403
    juni = datetime(2024, 6, 2, 8, 0, tzinfo=WIB)
    assert kode(r.cek_data, x, "guru-1", now=juni) == "di_luar_jadwal"
    assert kode(r.cek_data, x, "guru-1", now=datetime(2024, 7, 2, tzinfo=WIB)) == "periode_ditutup"


def test_p2_pastikan_versi_konflik():
    x = rencana_baru()
    r.pastikan_versi(x, 1)
    with pytest.raises(DomainError) as info:
        r.pastikan_versi(x, 2)
    assert info.value.kode == "versi_tidak_cocok" and info.value.status == 409


# --------------------------------------------------------------- dialogue


def _atasan(**ubah):
    return tentukan_atasan(ptk(), sekolah(**ubah))


def test_p3_ajukan_setujui_sepakati_dengan_riwayat_dialog():
    x = r.ajukan(rencana_lengkap(), "guru-1", _atasan(), now=NOW)
    assert x.status is r.StatusRencana.DIAJUKAN and x.atasan.id == "ks-1"
    assert kode(r.sepakati, x, "guru-1", now=LATER) == "rencana_belum_disetujui"
    x = r.setujui(x, "ks-1", now=LATER, catatan="Bagus, lanjutkan.")
    assert x.status is r.StatusRencana.DISETUJUI
    x = r.sepakati(x, "guru-1", now=LATER + timedelta(hours=1))
    assert x.status is r.StatusRencana.DISEPAKATI
    assert [(e.pelaku_id, e.peran, e.aksi) for e in x.riwayat] == [
        ("guru-1", "pemilik", r.AksiDialog.DIAJUKAN), ("ks-1", "atasan", r.AksiDialog.DISETUJUI),
        ("guru-1", "pemilik", r.AksiDialog.DISEPAKATI)]
    assert x.riwayat[1].catatan == "Bagus, lanjutkan." and x.riwayat[1].pada == LATER


def test_p3_dikembalikan_dengan_catatan_lalu_draf_lagi():
    x = r.ajukan(rencana_lengkap(), "guru-1", _atasan(), now=NOW)
    assert kode(r.kembalikan, x, "ks-1", "  ", now=LATER) == "catatan_wajib"
    x = r.kembalikan(x, "ks-1", "Pilih sub-indikator sesuai rekomendasi Rapor.", now=LATER)
    assert x.status is r.StatusRencana.DIKEMBALIKAN and x.riwayat[-1].catatan.startswith("Pilih")
    y = r.pilih_praktik_kinerja(x, "guru-1", "D1.3", None, now=LATER)
    assert y.status is r.StatusRencana.DRAF
    y = r.simpan_rangkuman(y, "guru-1", None, now=LATER)
    assert r.ajukan(y, "guru-1", _atasan(), now=LATER).status is r.StatusRencana.DIAJUKAN
    # a returned plan may also be resubmitted as it is
    assert r.ajukan(x, "guru-1", _atasan(), now=LATER).status is r.StatusRencana.DIAJUKAN


def test_p3_hanya_atasan_menyetujui_dan_tidak_ada_ubahan_setelah_diajukan():
    x = r.ajukan(rencana_lengkap(), "guru-1", _atasan(), now=NOW)
    for pelaku in ("guru-1", "ks-lain"):
        with pytest.raises(DomainError) as info:
            r.setujui(x, pelaku, now=LATER)
        assert info.value.kode == "bukan_atasan" and info.value.status == 403
    assert kode(r.pilih_praktik_kinerja, x, "guru-1", "D1.1", None, now=LATER) == "rencana_tidak_dapat_diubah"
    assert kode(r.ajukan, x, "guru-1", _atasan(), now=LATER) == "rencana_tidak_dapat_diubah"
    y = r.setujui(x, "ks-1", now=LATER)
    assert kode(r.setujui, y, "ks-1", now=LATER) == "rencana_belum_diajukan"
    assert kode(r.atur_perilaku_kerja, y, "guru-1", ["loyal"], now=LATER) == "rencana_tidak_dapat_diubah"
    with pytest.raises(DomainError) as info:
        r.sepakati(y, "ks-1", now=LATER)
    assert info.value.kode == "bukan_pemilik_rencana"


def test_p3_p15_plt_disetujui_otomatis_oleh_sistem():
    plt = _atasan(kepala_sekolah_ptk_id=None, plt_ptk_id="plt-1")
    x = r.ajukan(rencana_lengkap(), "guru-1", plt, now=NOW)
    assert x.status is r.StatusRencana.DISETUJUI
    assert [(e.peran, e.aksi) for e in x.riwayat] == [("pemilik", r.AksiDialog.DIAJUKAN),
                                                      ("sistem", r.AksiDialog.DISETUJUI_OTOMATIS)]
    assert r.sepakati(x, "guru-1", now=LATER).status is r.StatusRencana.DISEPAKATI


def test_p3_p15_tanpa_atasan_tidak_bisa_diajukan():
    """The use case resolves the atasan first: with no KS and no Plt. it is refused before ajukan."""
    assert kode(_atasan, kepala_sekolah_ptk_id=None) == "atasan_tidak_ditemukan"


def test_p3_atasan_diri_sendiri_ditolak():
    atasan = _atasan().model_copy(update={"id": "guru-1"})
    assert kode(r.ajukan, rencana_lengkap(), "guru-1", atasan, now=NOW) == "atasan_tidak_valid"


def test_p14_rencana_kepala_sekolah_disetujui_kepala_dinas():
    ks = ptk(ptk_id="ks-1", jabatan="kepala_sekolah")
    x = rencana_baru(ks)
    x = r.cek_data(x, "ks-1", now=NOW)
    x = r.pilih_praktik_kinerja(x, "ks-1", "D3.2", None, now=NOW)
    x = r.atur_pengembangan_kompetensi(x, "ks-1", PK_CUKUP, now=NOW)
    x = r.atur_tugas_tambahan(x, "ks-1", [], now=NOW)
    x = r.atur_perilaku_kerja(x, "ks-1", ["berorientasi_pelayanan"], now=NOW)
    x = r.simpan_rangkuman(x, "ks-1", None, now=NOW)
    dinas = Dinas(dinas_id="dinas-1", nama="Dinas Pendidikan", kepala_dinas_id="kadis-1", versi=1)
    x = r.ajukan(x, "ks-1", tentukan_atasan(ks, sekolah(), dinas), now=NOW)
    assert kode(r.setujui, x, "ks-1", now=LATER) == "bukan_atasan"
    assert r.setujui(x, "kadis-1", now=LATER).status is r.StatusRencana.DISETUJUI


# ------------------------------------------------------------- SKP payload


def _disepakati(p: Ptk | None = None, **kw) -> r.Rencana:
    p = p or ptk()
    x = r.ajukan(rencana_lengkap(p, **kw), p.ptk_id, tentukan_atasan(p, sekolah()), now=NOW)
    return r.sepakati(r.setujui(x, "ks-1", now=LATER), p.ptk_id, now=LATER)


def test_s1_data_sinkron_hanya_setelah_disepakati():
    x = r.ajukan(rencana_lengkap(), "guru-1", _atasan(), now=NOW)
    with pytest.raises(DomainError) as info:
        r.data_sinkron(r.setujui(x, "ks-1", now=LATER))
    assert info.value.kode == "rencana_belum_disepakati"


def test_s1_data_sinkron_rhk_dari_praktik_pengembangan_dan_tugas_tambahan():
    tugas = [r.InputTugasTambahan(tugas_id="wali_kelas", nomor_sk="800/17/2024")]
    d = r.data_sinkron(_disepakati(tugas=tugas))
    assert (d.nip, d.periode, d.npsn, d.atasan.id, d.total_poin) == (
        "198503142010011003", "2024-1", "20100001", "ks-1", 44)
    assert [x.jenis for x in d.rhk] == [r.JenisRhk.PRAKTIK_KINERJA, r.JenisRhk.PENGEMBANGAN_KOMPETENSI,
                                        r.JenisRhk.TUGAS_TAMBAHAN]
    assert "pembelajaran" in d.rhk[0].teks and "Penerapan Disiplin Positif" in d.rhk[0].teks
    assert len(d.rhk[0].fokus_perilaku) == 3
    assert "44 poin" in d.rhk[1].indikator
    assert d.rhk[2].nomor_sk == "800/17/2024" and "Wali Kelas" in d.rhk[2].teks
    assert [p.nama for p in d.perilaku] == ["Kompeten", "Kolaboratif"]
    assert d.disepakati_pada == LATER and d.versi_rencana == _disepakati(tugas=tugas).versi


def test_p15_guru_bk_rumusan_rhk_layanan_bimbingan_konseling():
    bk = ptk(jabatan="guru_bk")
    d = r.data_sinkron(_disepakati(bk, sub="D1.3"))
    assert "bimbingan dan konseling" in d.rhk[0].teks and "pembelajaran yang berkualitas" not in d.rhk[0].teks
    assert "layanan bimbingan dan konseling" in d.rhk[0].indikator
    guru = r.data_sinkron(_disepakati(ptk(), sub="D1.3"))
    assert guru.rhk[0].teks != d.rhk[0].teks
