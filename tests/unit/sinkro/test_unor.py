"""S3 #4: school name (Dapodik/PMM) vs unor name (SIASN/e-Kinerja), SRC-BIMTEK-MAPPI slides 52-54."""
import pytest

from sinkro.domain.unor import KesamaanUnor, bandingkan_nama_unor, normalisasi_nama_unor


def test_s3_galat_4_contoh_sumber_kondisi_a_sd_negeri_sama_dengan_sdn():
    assert bandingkan_nama_unor("SD Negeri 4 Pagi", "SDN 4 Pagi") is KesamaanUnor.nomenklatur


@pytest.mark.parametrize(
    ("pmm", "bkn"),
    [
        ("SD Negeri 4 Pagi", "SD N 4 Pagi"),
        ("SD Negeri 4 Pagi", "SDN. 4 Pagi"),
        ("SMP Negeri 1 Kepi", "SMPN 1 Kepi"),
        ("SMA Negeri 2 Merauke", "SMAN 2 MERAUKE"),
        ("SMK Negeri 3 Bandung", "SMKN 3 Bandung"),
        ("SLB Negeri Pembina", "SLBN Pembina"),
        ("SD Swasta Santo Yosef", "SDS Santo Yosef"),
        ("SMP Swasta Harapan", "SMP S Harapan"),
        ("Sekolah Dasar Negeri 4 Pagi", "SDN 4 Pagi"),
        ("Sekolah Menengah Pertama Negeri 5 Bogor", "SMPN 5 Bogor"),
        ("SD Negeri 004 Pagi", "SDN 4 Pagi"),
        ("SMP Negeri 2 Mappi", "SMPN II Mappi"),
        ("SD Negeri 4 Pagi", "UPTD SDN 4 Pagi"),
        ("SD Negeri 4 Pagi", "UPT Satuan Pendidikan SD Negeri 4 Pagi"),
        ("SMP Negeri 1 Jaya", "SLTP Negeri 1 Jaya"),
    ],
)
def test_s3_galat_4_kondisi_a_nomenklatur(pmm, bkn):
    assert bandingkan_nama_unor(pmm, bkn) is KesamaanUnor.nomenklatur


@pytest.mark.parametrize(
    ("pmm", "bkn"),
    [
        ("SD Negeri 4 Pagi", "SD NEGERI 4 PAGI"),
        ("SD Negeri 4 Pagi", "  SD  Negeri 4   Pagi "),
        ("SD Negeri 4 Pagi", "SD Negeri 4, Pagi."),
    ],
)
def test_s3_galat_4_huruf_spasi_tanda_baca_saja_dianggap_sama(pmm, bkn):
    assert bandingkan_nama_unor(pmm, bkn) is KesamaanUnor.sama


@pytest.mark.parametrize(
    ("pmm", "bkn"),
    [
        ("SD Negeri 5 Petang", "SD Negeri 7 Pagi"),  # published example, condition B
        ("SD Negeri 9 Petang", "SD Negeri 13 Pagi"),  # published example, condition C
        ("SD Negeri 4 Pagi", "SD Swasta 4 Pagi"),
        ("SD Negeri 4 Pagi", "SMP Negeri 4 Pagi"),
        ("SD Negeri 4 Pagi", "SD Negeri 40 Pagi"),
        ("SDN 4 Pagi", "SDS 4 Pagi"),
    ],
)
def test_s3_galat_4_perbedaan_nyata(pmm, bkn):
    assert bandingkan_nama_unor(pmm, bkn) is KesamaanUnor.berbeda


def test_huruf_s_lepas_hanya_berarti_swasta_setelah_jenjang():
    assert normalisasi_nama_unor("SD Santa Maria S") == "sd santa maria s"
    assert normalisasi_nama_unor("SD S Santa Maria") == "sd swasta santa maria"


def test_angka_romawi_hanya_sebagai_nomor_sekolah():
    """A Roman numeral elsewhere (a district name, say) stays as written."""
    assert normalisasi_nama_unor("SMPN II Mappi") == "smp negeri 2 mappi"
    assert normalisasi_nama_unor("SD Negeri Kecamatan V") == "sd negeri kecamatan v"


def test_awalan_lembaga_saja_tidak_dibuang_menjadi_kosong():
    assert normalisasi_nama_unor("UPTD") == "uptd"
