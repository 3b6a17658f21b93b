"""Predikat Kinerja: PermenPANRB 6/2022 matrix, curve, teacher and principal predicates (P10, P12, P14)."""
from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

import pytest

from kinerja.domain.observasi import PejabatPenilai
from kinerja.domain.penilaian import IsianRating, PenilaianKinerja, Rating
from kinerja.domain.predikat import (
    contoh_sebaran,
    KURVA_DISTRIBUSI,
    MATRIKS_PREDIKAT,
    RATING_HASIL_KERJA_PIMPINAN,
    JenisBatas,
    Predikat,
    PredikatKinerjaOrganisasi,
    PredikatOrganisasi,
    batas_berlaku,
    isi_awal_predikat,
    isian_rating_kepala_sekolah,
    periksa_kurva,
    periksa_kurva_sekolah,
    predikat_dari_matriks,
    predikat_kepala_sekolah,
    rating_hasil_kerja_kepala_sekolah,
    tetapkan_predikat_pegawai,
)
from shared.errors import DomainError, Forbidden

WIB = timezone(timedelta(hours=7))
NOW = datetime(2025, 6, 20, 10, 0, tzinfo=WIB)
KS = "ks-1"
KEPSEK = PejabatPenilai(definitif_id=KS)

A, S, B = Rating.di_atas_ekspektasi, Rating.sesuai_ekspektasi, Rating.di_bawah_ekspektasi
SB, BA, BP, K, SK = (
    Predikat.sangat_baik, Predikat.baik, Predikat.butuh_perbaikan, Predikat.kurang, Predikat.sangat_kurang,
)
O = PredikatOrganisasi


def dist(sb=0, ba=0, bp=0, k=0, sk=0) -> list[Predikat]:
    return [SB] * sb + [BA] * ba + [BP] * bp + [K] * k + [SK] * sk


def _penilaian(hasil=S, perilaku=S, poin=40, terkirim=True, pegawai_id="g1") -> PenilaianKinerja:
    return PenilaianKinerja(
        id=f"pn-{pegawai_id}", pegawai_id=pegawai_id, periode_id="2025-1", sekolah_id="npsn-1",
        rating_hasil_kerja=hasil, rating_perilaku_kerja=perilaku, poin_kompetensi=poin,
        dinilai_oleh=KS, nomor_kiriman=1 if terkirim else None, dibuat_pada=NOW, diperbarui_pada=NOW,
    )


def _tetapkan(penilaian=None, **kw):
    args = dict(id="pr-g1", aktor_id=KS, penilai=KEPSEK, penilaian=penilaian or _penilaian(),
                predikat_organisasi=O.baik, now=NOW)
    args.update(kw)
    return tetapkan_predikat_pegawai(**args)


# ------------------------------------------------------------ P12 matrix
@pytest.mark.parametrize(
    "hasil, perilaku, harapan",
    [
        (A, B, K), (A, S, BA), (A, A, SB),
        (S, B, K), (S, S, BA), (S, A, BA),
        (B, B, SK), (B, S, BP), (B, A, BP),
    ],
)
def test_p12_matriks_permenpanrb_6_2022_setiap_sel(hasil, perilaku, harapan):
    assert predikat_dari_matriks(hasil, perilaku) is harapan
    assert isi_awal_predikat(_penilaian(hasil, perilaku)) is harapan


def test_p12_matriks_lengkap_3x3():
    assert set(MATRIKS_PREDIKAT) == set(Rating)
    assert all(set(baris) == set(Rating) for baris in MATRIKS_PREDIKAT.values())


@pytest.mark.parametrize("hasil, perilaku", list(itertools.product(Rating, Rating)))
def test_p10_poin_kompetensi_tidak_mengubah_predikat(hasil, perilaku):
    sedikit, banyak = _penilaian(hasil, perilaku, poin=0), _penilaian(hasil, perilaku, poin=128)
    assert isi_awal_predikat(sedikit) is isi_awal_predikat(banyak)
    assert _tetapkan(sedikit).predikat is _tetapkan(banyak).predikat


# ------------------------------------------------------------- P12 curve data
def test_p12_kurva_untuk_kelima_predikat_organisasi():
    assert set(KURVA_DISTRIBUSI) == set(PredikatOrganisasi)


# Istimewa: Sangat Baik at most 70%.
def test_p12_kurva_istimewa_sangat_baik_paling_banyak_70_persen():
    assert periksa_kurva(O.istimewa, dist(sb=7, ba=3)) == []
    [v] = periksa_kurva(O.istimewa, dist(sb=8, ba=2))
    assert (v.jenis, v.batas_jumlah, v.jumlah_saat_ini, v.selisih) == (JenisBatas.paling_banyak, 7, 8, 1)
    assert v.pesan == "Sangat Baik paling banyak 70% (7 dari 10 guru ASN); saat ini 8: kurangi 1"


def test_p12_kurva_istimewa_sisanya_predikat_apa_saja():
    assert periksa_kurva(O.istimewa, dist(sb=1, bp=3, k=3, sk=3)) == []


# Baik: Baik at most 70%; some Butuh Perbaikan and/or Kurang.
def test_p12_kurva_baik_baik_paling_banyak_70_persen():
    assert periksa_kurva(O.baik, dist(ba=7, bp=1, sb=2)) == []
    [v] = periksa_kurva(O.baik, dist(ba=8, bp=1, sb=1))
    assert v.pesan == "Baik paling banyak 70% (7 dari 10 guru ASN); saat ini 8: kurangi 1"


@pytest.mark.parametrize("cukup", [dist(ba=7, bp=1, sb=2), dist(ba=7, k=1, sk=2)])
def test_p12_kurva_baik_harus_ada_butuh_perbaikan_dan_atau_kurang(cukup):
    assert periksa_kurva(O.baik, cukup) == []


def test_p12_kurva_baik_tanpa_butuh_perbaikan_atau_kurang_melanggar():
    [v] = periksa_kurva(O.baik, dist(ba=7, sb=2, sk=1))
    assert v.jenis is JenisBatas.harus_ada and v.selisih == 1
    assert v.pesan == "Harus ada Butuh Perbaikan dan/atau Kurang/Misconduct (paling sedikit 1 dari 10 guru ASN); saat ini 0: tambah 1"


# Butuh Perbaikan: BP at least 60%; SB at most 10%.
def test_p12_kurva_butuh_perbaikan_paling_sedikit_60_persen():
    assert periksa_kurva(O.butuh_perbaikan, dist(bp=6, ba=4)) == []
    [v] = periksa_kurva(O.butuh_perbaikan, dist(bp=5, ba=5))
    assert (v.jenis, v.batas_jumlah, v.selisih) == (JenisBatas.paling_sedikit, 6, 1)
    assert v.pesan == "Butuh Perbaikan paling sedikit 60% (6 dari 10 guru ASN); saat ini 5: tambah 1"


def test_p12_kurva_butuh_perbaikan_sangat_baik_paling_banyak_10_persen():
    assert periksa_kurva(O.butuh_perbaikan, dist(bp=6, sb=1, ba=3)) == []
    [v] = periksa_kurva(O.butuh_perbaikan, dist(bp=6, sb=2, ba=2))
    assert v.pesan == "Sangat Baik paling banyak 10% (1 dari 10 guru ASN); saat ini 2: kurangi 1"


# Kurang: K at least 60%; BP at least 10%; SB at most 10%.
def test_p12_kurva_kurang_kurang_paling_sedikit_60_persen():
    assert periksa_kurva(O.kurang, dist(k=6, bp=1, ba=3)) == []
    [v] = periksa_kurva(O.kurang, dist(k=5, bp=1, ba=4))
    assert v.pesan == "Kurang/Misconduct paling sedikit 60% (6 dari 10 guru ASN); saat ini 5: tambah 1"


def test_p12_kurva_kurang_butuh_perbaikan_paling_sedikit_10_persen():
    assert periksa_kurva(O.kurang, dist(k=6, bp=1, sk=3)) == []
    [v] = periksa_kurva(O.kurang, dist(k=6, bp=0, sk=4))
    assert v.pesan == "Butuh Perbaikan paling sedikit 10% (1 dari 10 guru ASN); saat ini 0: tambah 1"


def test_p12_kurva_kurang_sangat_baik_paling_banyak_10_persen():
    assert periksa_kurva(O.kurang, dist(k=6, bp=1, sb=1, ba=2)) == []
    [v] = periksa_kurva(O.kurang, dist(k=6, bp=1, sb=2, ba=1))
    assert v.pesan == "Sangat Baik paling banyak 10% (1 dari 10 guru ASN); saat ini 2: kurangi 1"


# Sangat Kurang: SK at least 60%; K and/or BP at least 10%; no SB.
def test_p12_kurva_sangat_kurang_sangat_kurang_paling_sedikit_60_persen():
    assert periksa_kurva(O.sangat_kurang, dist(sk=6, k=1, ba=3)) == []
    [v] = periksa_kurva(O.sangat_kurang, dist(sk=5, k=1, ba=4))
    assert v.pesan == "Sangat Kurang paling sedikit 60% (6 dari 10 guru ASN); saat ini 5: tambah 1"


@pytest.mark.parametrize("cukup", [dist(sk=6, k=1, ba=3), dist(sk=6, bp=1, ba=3)])
def test_p12_kurva_sangat_kurang_kurang_dan_atau_butuh_perbaikan_10_persen(cukup):
    assert periksa_kurva(O.sangat_kurang, cukup) == []


def test_p12_kurva_sangat_kurang_tanpa_kurang_atau_butuh_perbaikan_melanggar():
    [v] = periksa_kurva(O.sangat_kurang, dist(sk=6, ba=4))
    assert v.pesan == (
        "Kurang/Misconduct dan/atau Butuh Perbaikan paling sedikit 10% (1 dari 10 guru ASN); saat ini 0: tambah 1"
    )


def test_p12_kurva_sangat_kurang_tidak_boleh_ada_sangat_baik():
    assert periksa_kurva(O.sangat_kurang, dist(sk=6, k=1, ba=3, sb=0)) == []
    [v] = periksa_kurva(O.sangat_kurang, dist(sk=6, k=1, ba=2, sb=1))
    assert v.jenis is JenisBatas.tidak_boleh_ada
    assert v.pesan == "Sangat Baik tidak boleh ada (0 dari 10 guru ASN); saat ini 1: kurangi 1"


def test_p12_beberapa_pelanggaran_dilaporkan_sekaligus():
    pelanggaran = periksa_kurva(O.kurang, dist(sb=10))
    assert [(v.jenis, v.selisih) for v in pelanggaran] == [
        (JenisBatas.paling_sedikit, 6), (JenisBatas.paling_sedikit, 1), (JenisBatas.paling_banyak, 9),
    ]


# ------------------------------------------------ P12 exact integer counts
@pytest.mark.parametrize(
    "org, n, jenis_ke, harapan",
    [
        (O.istimewa, 7, 0, 4),  # floor(4.9)
        (O.istimewa, 9, 0, 6),  # floor(6.3)
        (O.butuh_perbaikan, 7, 0, 5),  # ceil(4.2)
        (O.butuh_perbaikan, 19, 1, 1),  # floor(1.9)
        (O.kurang, 11, 1, 2),  # ceil(1.1)
        (O.kurang, 30, 1, 3),  # exactly 3; float ceil(0.1*30)=ceil(3.0000000000000004) would say 4
        (O.sangat_kurang, 30, 1, 3),
    ],
)
def test_p12_batas_dihitung_dengan_bilangan_bulat(org, n, jenis_ke, harapan):
    assert batas_berlaku(org, n)[jenis_ke].jumlah == harapan


def test_p12_tiga_puluh_guru_sepuluh_persen_tepat_tiga_memenuhi():
    assert periksa_kurva(O.kurang, dist(k=18, bp=3, ba=9)) == []
    assert len(periksa_kurva(O.kurang, dist(k=18, bp=2, ba=10))) == 1


def test_p12_batas_tepat_pada_n_bukan_kelipatan_sepuluh():
    assert periksa_kurva(O.istimewa, dist(sb=4, ba=3)) == []  # 4/7 = 57% <= 70%
    assert len(periksa_kurva(O.istimewa, dist(sb=5, ba=2))) == 1  # 5/7 = 71.4% > 70%
    assert periksa_kurva(O.butuh_perbaikan, dist(bp=5, ba=2)) == []  # 5/7 = 71% >= 60%
    assert len(periksa_kurva(O.butuh_perbaikan, dist(bp=4, ba=3))) == 1  # 4/7 = 57% < 60%


# ------------------------------------------------------ P12 small teams
@pytest.mark.parametrize("org", list(PredikatOrganisasi))
def test_p12_tanpa_guru_tidak_ada_pelanggaran(org):
    assert periksa_kurva(org, []) == []


@pytest.mark.parametrize(
    "org, predikat, jumlah_pelanggaran",
    [
        # n = 1
        (O.istimewa, dist(sb=1), 0),  # 70% of one is an allowance, never rounded to nobody
        (O.istimewa, dist(ba=1), 0),
        (O.baik, dist(ba=1), 0),  # Baik allowed; "harus ada" BP/K waits until 30% is one person
        (O.baik, dist(bp=1), 0),
        (O.butuh_perbaikan, dist(bp=1), 0),
        (O.butuh_perbaikan, dist(ba=1), 1),
        (O.kurang, dist(k=1), 0),  # BP >= 10% lowered to 0: no room left
        (O.sangat_kurang, dist(sk=1), 0),  # K/BP >= 10% lowered to 0
        (O.sangat_kurang, dist(k=1), 1),
        # n = 2
        (O.istimewa, dist(sb=1, ba=1), 0),
        (O.istimewa, dist(sb=2), 1),
        (O.baik, dist(ba=1, bp=1), 0),
        (O.baik, dist(ba=1, sb=1), 0),  # no Butuh Perbaikan / Kurang forced
        (O.baik, dist(ba=2), 1),  # 2 of 2 Baik > 70%
        (O.butuh_perbaikan, dist(bp=2), 0),
        (O.butuh_perbaikan, dist(bp=1, ba=1), 1),  # ceil(1.2) = 2
        (O.kurang, dist(k=2), 0),
        (O.kurang, dist(k=1, bp=1), 1),  # K needs ceil(1.2) = 2 first
        (O.sangat_kurang, dist(sk=2), 0),
        # n = 3
        (O.istimewa, dist(sb=2, ba=1), 0),
        (O.istimewa, dist(sb=3), 1),
        (O.baik, dist(ba=2, k=1), 0),
        (O.baik, dist(ba=2, sb=1), 0),
        (O.baik, dist(ba=3), 1),
        (O.butuh_perbaikan, dist(bp=2, sb=1), 0),  # Sangat Baik 10% of 3 -> still one allowed
        (O.kurang, dist(k=2, bp=1), 0),  # all bounds apply in full from n = 3
        (O.kurang, dist(k=3), 1),
        (O.sangat_kurang, dist(sk=2, bp=1), 0),
        (O.sangat_kurang, dist(sk=3), 1),
    ],
)
def test_p12_tim_kecil_satu_sampai_tiga_guru(org, predikat, jumlah_pelanggaran):
    assert len(periksa_kurva(org, predikat)) == jumlah_pelanggaran


def test_p12_tim_kecil_baik_tidak_memaksa_butuh_perbaikan_sampai_empat_guru():
    for n in (1, 2, 3):
        _, ada = batas_berlaku(O.baik, n)
        assert (ada.jumlah, ada.jumlah_regulasi, ada.disesuaikan) == (0, 1, True)
    _, ada = batas_berlaku(O.baik, 4)
    assert (ada.jumlah, ada.disesuaikan) == (1, False)
    [v] = periksa_kurva(O.baik, dist(ba=2, sb=2))
    assert v.pesan == "Harus ada Butuh Perbaikan dan/atau Kurang/Misconduct (paling sedikit 1 dari 4 guru ASN); " \
                      "saat ini 0: tambah 1"


def test_p12_batas_atas_tim_kecil_ditandai_dan_disebut_dalam_pesan():
    [sb] = batas_berlaku(O.istimewa, 1)
    assert (sb.jumlah, sb.jumlah_regulasi, sb.disesuaikan) == (1, 0, True)
    [v] = periksa_kurva(O.butuh_perbaikan, dist(bp=3, sb=2))
    assert v.pesan == ("Sangat Baik paling banyak 10% (1 dari 5 guru ASN) (disesuaikan untuk tim kecil); "
                       "saat ini 2: kurangi 1")


@pytest.mark.parametrize("org", list(PredikatOrganisasi))
def test_p12_sifat_selalu_ada_sebaran_yang_diizinkan_untuk_1_sampai_60_guru(org):
    for n in range(1, 61):
        contoh = contoh_sebaran(org, n)
        assert sum(contoh.values()) == n
        sebaran = [p for p, k in contoh.items() for _ in range(k)]
        assert periksa_kurva(org, sebaran) == [], (org, n, contoh)


@pytest.mark.parametrize("n", range(1, 61))
def test_p12_sifat_semua_baik_diizinkan_di_mana_aturannya_membolehkan(n):
    semua_baik = dist(ba=n)
    # Istimewa: "the rest any other predicate" -> always; Baik: Baik at most 70% -> only a team of one
    assert periksa_kurva(O.istimewa, semua_baik) == []
    assert (periksa_kurva(O.baik, semua_baik) == []) == (n == 1)
    # the worse organisation predicates require their 60% group: never all Baik
    for org in (O.butuh_perbaikan, O.kurang, O.sangat_kurang):
        assert periksa_kurva(org, semua_baik) != []
    # Baik and Sangat Baik are never impossible under Istimewa and Baik, whatever the team size
    for org in (O.istimewa, O.baik):
        assert contoh_sebaran(org, n)[Predikat.baik] >= 1
        sb = [Predikat.sangat_baik] + [Predikat.baik] * (n - 1)
        assert not [v for v in periksa_kurva(org, sb) if Predikat.sangat_baik in v.predikat]


def test_p12_tim_kecil_minimum_kedua_ditandai_disesuaikan():
    utama, kedua, _ = batas_berlaku(O.kurang, 2)
    assert (utama.jumlah, utama.disesuaikan) == (2, False)
    assert (kedua.jumlah, kedua.jumlah_regulasi, kedua.disesuaikan) == (0, 1, True)


@pytest.mark.parametrize("org", list(PredikatOrganisasi))
@pytest.mark.parametrize("n", range(0, 13))
def test_p12_setiap_kurva_dapat_dipenuhi_untuk_setiap_ukuran_tim(org, n):
    """The small-team rule leaves at least one allowed distribution for every n."""
    for counts in itertools.product(range(n + 1), repeat=4):
        if sum(counts) <= n:
            sb, ba, bp, k = counts
            if not periksa_kurva(org, dist(sb, ba, bp, k, n - sum(counts))):
                return
    pytest.fail(f"kurva {org} tidak dapat dipenuhi untuk n={n}")


# -------------------------------------------------- P12 teacher predicate
def test_p12_predikat_guru_ditolak_sebelum_predikat_organisasi_ada():
    with pytest.raises(DomainError) as e:
        _tetapkan(predikat_organisasi=None)
    assert e.value.kode == "predikat_organisasi_belum_ada"


def test_p12_predikat_guru_setelah_penilaian_dikirim_ke_dinas():
    with pytest.raises(DomainError) as e:
        _tetapkan(_penilaian(terkirim=False))
    assert e.value.kode == "penilaian_belum_dikirim"


def test_p12_predikat_terisi_otomatis_dari_matriks():
    p = _tetapkan(_penilaian(A, A))
    assert p.predikat is SB and p.predikat_matriks is SB and not p.disesuaikan
    assert p.alasan_penyesuaian is None


def test_p12_penyesuaian_predikat_wajib_beralasan():
    with pytest.raises(DomainError) as e:
        _tetapkan(_penilaian(A, A), predikat=BA, alasan_penyesuaian="   ")
    assert e.value.kode == "alasan_penyesuaian_wajib"
    assert e.value.extra["predikat_matriks"] == "sangat_baik"
    p = _tetapkan(_penilaian(A, A), predikat=BA, alasan_penyesuaian="Menyesuaikan kurva distribusi organisasi.")
    assert (p.predikat, p.predikat_matriks, p.disesuaikan) == (BA, SB, True)


def test_p12_alasan_diabaikan_bila_sama_dengan_matriks():
    p = _tetapkan(_penilaian(A, A), predikat=SB, alasan_penyesuaian="tidak perlu")
    assert p.alasan_penyesuaian is None


def test_p12_hanya_atasan_menetapkan_predikat_guru():
    with pytest.raises(Forbidden):
        _tetapkan(aktor_id="guru-lain")


def test_p12_predikat_dapat_ditetapkan_ulang_dengan_versi_baru():
    pertama = _tetapkan()
    kedua = _tetapkan(predikat=BP, alasan_penyesuaian="Diskusi ulang.", sebelumnya=pertama)
    assert kedua.versi == pertama.versi + 1 and kedua.predikat is BP


def test_p12_periksa_kurva_sekolah_atas_predikat_yang_ditetapkan():
    predikat = [_tetapkan(_penilaian(S, S, pegawai_id=f"g{i}"), id=f"pr-{i}") for i in range(3)]
    pelanggaran = periksa_kurva_sekolah(O.baik, predikat)
    # 3 Baik of 3 > floor(2.1) = 2; no Butuh Perbaikan / Kurang is required of a team of 3.
    assert [v.jenis for v in pelanggaran] == [JenisBatas.paling_banyak]


# --------------------------------------------- P12 organisation predicate
def test_p12_predikat_organisasi_hanya_oleh_kepala_dinas_setelah_data_dikirim():
    kadis = PejabatPenilai(definitif_id="kadis-1")
    args = dict(id="po-1", sekolah_id="npsn-1", periode_id="2025-1", predikat=O.baik,
                kepala_dinas=kadis, now=NOW)
    with pytest.raises(Forbidden) as e:
        PredikatKinerjaOrganisasi.tetapkan(aktor_id=KS, data_penilaian_diterima=True, **args)
    assert e.value.kode == "bukan_kepala_dinas"
    with pytest.raises(DomainError) as e:
        PredikatKinerjaOrganisasi.tetapkan(aktor_id="kadis-1", data_penilaian_diterima=False, **args)
    assert e.value.kode == "penilaian_sekolah_belum_dikirim"
    po = PredikatKinerjaOrganisasi.tetapkan(aktor_id="kadis-1", data_penilaian_diterima=True, **args)
    assert po.predikat is O.baik


# ------------------------------------------------------- P14 kepala sekolah
@pytest.mark.parametrize(
    "org, rating",
    [(O.istimewa, A), (O.baik, S), (O.butuh_perbaikan, B), (O.kurang, B), (O.sangat_kurang, B)],
)
def test_p14_predikat_organisasi_menjadi_rating_hasil_kerja_kepala_sekolah(org, rating):
    assert rating_hasil_kerja_kepala_sekolah(org) is rating
    assert set(RATING_HASIL_KERJA_PIMPINAN) == set(PredikatOrganisasi)


@pytest.mark.parametrize(
    "org, perilaku, harapan",
    [(O.istimewa, A, SB), (O.istimewa, S, BA), (O.baik, A, BA), (O.kurang, S, BP), (O.sangat_kurang, B, SK)],
)
def test_p14_predikat_kepala_sekolah_lewat_matriks(org, perilaku, harapan):
    assert predikat_kepala_sekolah(org, perilaku) is harapan


def test_p14_isian_rating_kepala_sekolah_mengikuti_predikat_organisasi():
    isian = isian_rating_kepala_sekolah(O.istimewa, A, "Kepemimpinan pembelajaran kuat.")
    assert isinstance(isian, IsianRating)
    assert isian.rating_hasil_kerja is A and isian.rating_perilaku_kerja is A
    assert "Istimewa" in isian.catatan_hasil_kerja


def test_p14_predikat_kepala_sekolah_tanpa_kirim_dinas_tetapi_rating_hasil_kerja_harus_hasil_sekolah():
    """A principal is rated by the Kepala Dinas directly: nothing is sent, but the Rating Hasil Kerja
    must be the one the school's organisation predicate gives (`pimpinan=True`)."""
    kadis = PejabatPenilai(definitif_id="kadis-1")
    pn = _penilaian(A, S, terkirim=False, pegawai_id=KS)
    pr = _tetapkan(pn, aktor_id="kadis-1", penilai=kadis, predikat_organisasi=O.istimewa, pimpinan=True)
    assert pr.predikat is BA and pr.predikat_organisasi is O.istimewa
    with pytest.raises(DomainError) as e:
        _tetapkan(pn, aktor_id="kadis-1", penilai=kadis, predikat_organisasi=O.baik, pimpinan=True)
    assert e.value.kode == "rating_hasil_kerja_tidak_sesuai_organisasi"
    assert e.value.extra["rating_hasil_kerja_seharusnya"] == "sesuai_ekspektasi"
    with pytest.raises(DomainError) as e:  # the teachers' rule stays: not sent -> refused
        _tetapkan(pn, aktor_id="kadis-1", penilai=kadis, predikat_organisasi=O.istimewa)
    assert e.value.kode == "penilaian_belum_dikirim"
