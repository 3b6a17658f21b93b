"""Karya domain: video eligibility (K3), draft and Ganti Video/akun (K4),
metadata and consent (K5), ownership (K1), play descriptor (K6)."""
from datetime import timedelta

import pytest
from pydantic import ValidationError

from shared.errors import DomainError, NotFound
from karya.domain.karya import (
    Draf,
    Karya,
    MetadataKarya,
    deskriptor_putar,
    pastikan_pemilik,
    periksa_metadata,
)
from karya.domain.video import durasi_ke_detik, masalah_video, periksa_video
from tests.unit.karya.contoh import KANAL, KANAL_LAIN, T0, draf, karya_contoh, metadata, video


@pytest.mark.parametrize(
    "iso, detik",
    [("PT12M5S", 725), ("PT1H", 3600), ("P0D", 0), ("P1DT2H3M4S", 93784), ("PT45S", 45), ("P1W", 604800)],
)
def test_k6_durasi_iso8601_youtube_ke_detik(iso, detik):
    assert durasi_ke_detik(iso) == detik


@pytest.mark.parametrize("iso", ["", "P", "PT", "12:05", "P1Y", "PT5.5S", "P1DT"])
def test_k6_durasi_tidak_valid_ditolak(iso):
    with pytest.raises(ValueError):
        durasi_ke_detik(iso)


def test_k6_durasi_detik_diisi_dari_iso_dan_harus_konsisten():
    assert video().durasi_detik == 725
    with pytest.raises(ValidationError):
        video(durasi_detik=10)


def test_k3_video_id_dan_channel_id_berformat_youtube():
    with pytest.raises(ValidationError):
        video(video_id="x/../embed")
    with pytest.raises(ValidationError):
        video(channel_id="bukan-kanal")


def test_k3_video_publik_atau_unlisted_yang_sudah_diproses_lolos():
    for privasi in ("public", "unlisted"):
        v = video(privasi=privasi)
        assert periksa_video(v, KANAL) is v


@pytest.mark.parametrize(
    "ubah, kode",
    [
        (dict(channel_id=KANAL_LAIN), "video_bukan_milik_kanal"),
        (dict(status_unggah="uploaded", durasi_iso="P0D"), "video_belum_diproses"),
        (dict(status_unggah="rejected"), "video_gagal_diproses"),
        (dict(status_unggah="failed"), "video_gagal_diproses"),
        (dict(dapat_disematkan=False), "video_tidak_dapat_disematkan"),
        (dict(privasi="private"), "video_privat"),
        (dict(status_unggah="deleted"), "video_tidak_ditemukan"),
    ],
)
def test_k3_video_tidak_layak_ditolak_dengan_kode_sendiri(ubah, kode):
    with pytest.raises(DomainError) as e:
        periksa_video(video(**ubah), KANAL)
    assert e.value.kode == kode
    assert e.value.pesan and e.value.extra["semua_masalah"][0] == kode


def test_k3_video_yang_hilang_dari_videos_list_adalah_not_found():
    with pytest.raises(NotFound) as e:
        periksa_video(None, KANAL)
    assert e.value.kode == "video_tidak_ditemukan" and e.value.status == 404


def test_k3_semua_masalah_dilaporkan_untuk_pemilih_video():
    v = video(privasi="private", dapat_disematkan=False)
    assert masalah_video(v, KANAL) == ["video_privat", "video_tidak_dapat_disematkan"]
    assert masalah_video(video(), KANAL) == []


def test_k4_ganti_video_mengganti_pilihan_sebelumnya():
    d = draf().pilih_video(video())
    d2 = d.ganti_video(video(video_id="AAAAAAAAAAA", judul_asli="Video kedua"))
    assert d2.video.video_id == "AAAAAAAAAAA" and d.video.video_id == "dQw4w9WgXcQ"
    assert d2.judul_awal == "Video kedua"


def test_k4_ganti_video_ke_video_tidak_layak_ditolak_dan_pilihan_lama_tetap():
    d = draf().pilih_video(video())
    with pytest.raises(DomainError) as e:
        d.ganti_video(video(video_id="BBBBBBBBBBB", privasi="private"))
    assert e.value.kode == "video_privat"
    assert d.video.video_id == "dQw4w9WgXcQ"


def test_k4_ganti_akun_membuang_video_dari_akun_lama():
    d = draf().pilih_video(video()).ganti_akun("akun-2", KANAL_LAIN)
    assert d.video is None and d.akun_youtube_id == "akun-2" and d.channel_id == KANAL_LAIN
    # a video of the new channel is accepted, one of the old channel is not
    assert d.pilih_video(video(channel_id=KANAL_LAIN)).video.channel_id == KANAL_LAIN
    with pytest.raises(DomainError) as e:
        d.pilih_video(video())
    assert e.value.kode == "video_bukan_milik_kanal"


def test_k5_simpan_video_membuat_karya_aktif_versi_1():
    k = draf().pilih_video(video()).simpan(
        karya_id="k-1", metadata=metadata(judul="  Pecahan  "), versi_persetujuan="2024-01", sekarang=T0
    )
    assert (k.status, k.versi, k.judul, k.pemilik_id) == ("aktif", 1, "Pecahan", "guru-1")
    assert k.persetujuan.disetujui is True and k.persetujuan.versi == "2024-01"
    assert k.persetujuan.disetujui_pada == T0 == k.dibuat_pada


def test_k5_simpan_tanpa_video_ditolak():
    with pytest.raises(DomainError) as e:
        draf().simpan(karya_id="k-1", metadata=metadata(), versi_persetujuan="v1", sekarang=T0)
    assert e.value.kode == "video_belum_dipilih"


def test_k5_persetujuan_wajib_punya_kode_sendiri():
    with pytest.raises(DomainError) as e:
        periksa_metadata(metadata(persetujuan=False))
    assert e.value.kode == "persetujuan_wajib" and e.value.extra["field"] == "persetujuan"


def test_k5_karya_tidak_dapat_dibuat_tanpa_persetujuan_walau_melewati_aturan():
    k = draf().pilih_video(video()).simpan(
        karya_id="k-1", metadata=metadata(), versi_persetujuan="v1", sekarang=T0
    )
    data = k.model_dump()
    data["persetujuan"]["disetujui"] = False
    with pytest.raises(ValidationError):
        Karya.model_validate(data)


@pytest.mark.parametrize(
    "ubah, kode",
    [
        (dict(judul="   "), "judul_wajib"),
        (dict(judul="x" * 101), "judul_terlalu_panjang"),
        (dict(deskripsi=""), "deskripsi_wajib"),
        (dict(deskripsi="x" * 5001), "deskripsi_terlalu_panjang"),
        (dict(kategori="vlog"), "kategori_tidak_dikenal"),
        (dict(kategori="simulasi_mengajar"), "kategori_belum_tersedia"),
        (dict(mata_pelajaran="ppkn"), "mata_pelajaran_tidak_dikenal"),
        (dict(tingkat_kelas="kelas_0"), "tingkat_kelas_tidak_dikenal"),
        (dict(mata_pelajaran="fisika", tingkat_kelas="kelas_2"), "mata_pelajaran_tidak_sesuai_tingkat"),
    ],
)
def test_k5_metadata_tidak_valid_kode_per_masalah(ubah, kode):
    with pytest.raises(DomainError) as e:
        periksa_metadata(metadata(**ubah))
    assert e.value.kode == kode


def test_k5_batas_judul_100_dan_deskripsi_5000_tepat_diterima():
    m = periksa_metadata(metadata(judul="j" * 100, deskripsi="d" * 5000))
    assert len(m.judul) == 100 and len(m.deskripsi) == 5000


def test_k5_semua_galat_form_dilaporkan_sekaligus():
    with pytest.raises(DomainError) as e:
        periksa_metadata(MetadataKarya())
    kode = [g["kode"] for g in e.value.extra["galat"]]
    assert kode == [
        "judul_wajib",
        "deskripsi_wajib",
        "kategori_tidak_dikenal",
        "mata_pelajaran_tidak_dikenal",
        "tingkat_kelas_tidak_dikenal",
        "persetujuan_wajib",
    ]


def test_k1_hanya_pemilik_yang_mengelola_karya_lainnya_tidak_bisa_menebak():
    k = karya_contoh()
    assert pastikan_pemilik(k, "guru-1") is k
    with pytest.raises(NotFound) as lain:
        pastikan_pemilik(k, "guru-2")
    with pytest.raises(NotFound) as tidak_ada:
        pastikan_pemilik(None, "guru-2")
    assert lain.value.kode == tidak_ada.value.kode == "karya_tidak_ditemukan"


def test_k6_deskriptor_putar_memakai_youtube_nocookie():
    e = deskriptor_putar(karya_contoh())
    assert e.url_embed == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert (e.durasi_detik, e.thumbnail) == (725, "https://i.ytimg.com/vi/dQw4w9WgXcQ/hqdefault.jpg")


def test_k6_video_dijadikan_privat_setelah_disimpan_karya_tidak_tersedia_lalu_pulih():
    k = karya_contoh()
    t1 = T0 + timedelta(days=1)
    k2 = k.perbarui_ketersediaan(video(privasi="private"), t1)
    assert (k2.status, k2.alasan_tidak_tersedia, k2.versi) == ("video_tidak_tersedia", ["video_privat"], 1)
    with pytest.raises(DomainError) as e:
        deskriptor_putar(k2)
    assert e.value.kode == "video_tidak_tersedia" and e.value.status == 409
    k3 = k2.perbarui_ketersediaan(video(), t1)
    assert (k3.status, k3.versi) == ("aktif", 1)  # the repository bumps versi on save
    assert k3.perbarui_ketersediaan(video(), t1) is k3  # no change: nothing to write


def test_k6_video_dihapus_membuat_karya_tidak_tersedia():
    k2 = karya_contoh().perbarui_ketersediaan(None, T0)
    assert k2.status == "video_tidak_tersedia" and k2.alasan_tidak_tersedia == ["video_tidak_ditemukan"]
    assert k2.video.video_id == "dQw4w9WgXcQ"


# --- edit rule and sort key (added with the service) ----------------------------------

def test_k5_ubah_metadata_memakai_aturan_yang_sama_dan_tanpa_perubahan_mengembalikan_self():
    from karya.domain.karya import urutan_waktu

    k = karya_contoh()
    t1 = T0 + timedelta(hours=1)
    baru = k.ubah_metadata({"judul": "  Pecahan kue  ", "kategori": "materi_ajar"}, t1)
    assert (baru.judul, baru.kategori, baru.diperbarui_pada, baru.versi) == ("Pecahan kue", "materi_ajar", t1, 1)
    assert baru.persetujuan == k.persetujuan and baru.dibuat_pada == k.dibuat_pada
    assert k.ubah_metadata({"judul": k.judul}, t1) is k
    for perubahan, kode in (({"mata_pelajaran": "astrologi"}, "mata_pelajaran_tidak_dikenal"),
                            ({"judul": ""}, "judul_wajib"),
                            ({"kategori": "praktik_baik"}, "kategori_belum_tersedia"),
                            ({"tingkat_kelas": "tk_a"}, "mata_pelajaran_tidak_sesuai_tingkat")):
        with pytest.raises(DomainError) as e:
            k.ubah_metadata(perubahan, t1)
        assert e.value.kode == kode
    with pytest.raises(ValueError):
        k.ubah_metadata({"pemilik_id": "guru-2"}, t1)
    assert urutan_waktu(T0) < urutan_waktu(T0 + timedelta(microseconds=1)) < urutan_waktu(T0 + timedelta(seconds=1))
    assert k.urutan_waktu == urutan_waktu(T0)


def test_k2_kategori_yang_kemudian_dinonaktifkan_tetap_boleh_dipertahankan_saat_mengubah():
    k = karya_contoh().model_copy(update={"kategori": "praktik_baik"})  # switched off after it was saved
    baru = k.ubah_metadata({"judul": "Judul baru"}, T0)
    assert (baru.kategori, baru.judul) == ("praktik_baik", "Judul baru")
