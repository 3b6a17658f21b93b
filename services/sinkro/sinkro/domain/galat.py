"""Catalogue of the 20 documented Sinkro PMM errors and the exception that carries one.

Source: SRC-BIMTEK-MAPPI ("Kendala Pesan Error untuk Sinkronisasi PMM dengan E-kinerja"),
slides 48-65; requirement S3. The table below is data: a new or reworded error
is an edit of `KATALOG`, never of logic.

Field notes
- `judul_seed` is the heading exactly as the source words it (some are English
  because e-Kinerja shows them in English); `pesan` is what we show a teacher or
  admin: the published heading where it is Indonesian, an Indonesian rendering plus
  the original where it is not.
- `aktor` is who must act next. Where the source names several people we take
  the one who changes the data (for example Operator Sekolah updates Verval PTK
  for #1, even though the pegawai first hands over the NIP).
- `dapat_diulang_otomatis`: only #9 (HTTP 500 / no answer) is transient; every
  other error needs a person and retrying it only hides it (e-Kinerja asking us
  to slow down, HTTP 429/408, is not a documented error: `EkinerjaMembatasi`).
- `kondisi`: errors whose cause, actor and follow-up differ by case (#1 two
  causes; #4 conditions A/B/C, plus `B_atau_C` when the dates cannot tell; #10
  PNS ID different or missing). Condition A of #4 may proceed (`boleh_lanjut`).
"""
from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType
from typing import Any, Mapping

from shared.errors import DomainError
from shared.models import FrozenModel


class Aktor(StrEnum):
    """Who must act to clear an error (S2: the admin log shows it per entry)."""

    pegawai = "pegawai"
    operator_sekolah = "operator_sekolah"
    admin_instansi = "admin_instansi"
    kepala_sekolah = "kepala_sekolah"
    helpdesk_bkn = "helpdesk_bkn"


class Golongan(StrEnum):
    """The source groups the errors by who can meet them (slides 50, 61, 64)."""

    kepala_sekolah_dan_guru = "kepala_sekolah_dan_guru"  # #1-#14
    guru = "guru"  # #15-#17
    plt_kepala_sekolah = "plt_kepala_sekolah"  # #18-#20


class KondisiGalat(FrozenModel):
    """One case of an error whose handling depends on the cause."""

    kondisi: str
    keterangan: str
    aktor: Aktor
    tindak_lanjut: tuple[str, ...]
    boleh_lanjut: bool = False


class EntriGalat(FrozenModel):
    nomor: int
    kode: str
    judul_seed: str
    pesan: str
    keterangan: str = ""
    aktor: Aktor
    tindak_lanjut: tuple[str, ...]
    dapat_diulang_otomatis: bool = False
    golongan: Golongan
    status_http: int = 422
    kondisi: tuple[KondisiGalat, ...] = ()
    sumber: str

    def cari_kondisi(self, kondisi: str) -> KondisiGalat:
        for varian in self.kondisi:
            if varian.kondisi == kondisi:
                return varian
        raise KeyError(f"galat #{self.nomor} tidak punya kondisi {kondisi!r}")


_LAPOR_HELPDESK = (
    "Pegawai melakukan screenshot atas pesan error yang terjadi di aplikasi e-Kinerja "
    "dan mencatat waktu kejadian.",
    "Pegawai mengirimkan screenshot tersebut bersama dengan NIP dan waktu kejadian kepada "
    "helpdesk BKN melalui laman: https://support-siasn.bkn.go.id/.",
)

_PERBARUI_NIP_VERVAL_PTK = (
    "Pegawai memberikan data NIP yang terdaftar di SIASN kepada Operator Sekolah untuk "
    "memastikan konsistensi data.",
    "Operator Sekolah melakukan pembaruan NIP dari pegawai pada Verval PTK agar data yang "
    "tercatat menjadi sesuai dengan informasi yang diberikan oleh pegawai.",
    "Tunggu waktu proses: dalam waktu beberapa hari setelah peremajaan NIP dilakukan, "
    "pegawai dapat kembali melakukan Sinkro PMM di e-Kinerja.",
)

_ENTRI: tuple[EntriGalat, ...] = (
    # SRC-BIMTEK-MAPPI, slides 50-51
    EntriGalat(
        nomor=1,
        kode="tombol_sinkro_tidak_muncul",
        judul_seed="Tombol sinkron PMM tidak muncul di e-Kinerja",
        pesan="Tombol sinkron PMM tidak muncul di e-Kinerja",
        keterangan="Diperlukan pembaruan data NIP pegawai pada Verval PTK yang sesuai dengan SIASN",
        aktor=Aktor.operator_sekolah,
        tindak_lanjut=_PERBARUI_NIP_VERVAL_PTK
        + (
            "Apabila tombol Sinkro PMM belum terlihat, pegawai dapat meminta Admin Instansi "
            "untuk memasukkan NIP sebagai pengguna PMM melalui fitur \"User PMM\" di e-Kinerja.",
        ),
        golongan=Golongan.kepala_sekolah_dan_guru,
        kondisi=(
            KondisiGalat(
                kondisi="nip_tidak_sesuai_siasn",
                keterangan="NIP pegawai di Verval PTK (PMM) tidak sesuai dengan NIP di SIASN.",
                aktor=Aktor.operator_sekolah,
                tindak_lanjut=_PERBARUI_NIP_VERVAL_PTK,
            ),
            KondisiGalat(
                kondisi="belum_terdaftar_pengguna_pmm",
                keterangan="Belum ada tombol sinkro PMM di e-Kinerja BKN, namun sudah berhasil "
                "melakukan pembaruan NIP di Verval PTK.",
                aktor=Aktor.admin_instansi,
                tindak_lanjut=(
                    "Anda dapat menghubungi Admin BKD untuk menambahkan Anda sebagai User PMM "
                    "melalui menu \"User PMM\". Setelah itu, tombol sinkro PMM akan muncul di e-Kinerja.",
                    "Selanjutnya, jika Anda sudah berhasil melakukan pembaruan Verval PTK, maka Anda "
                    "dapat menekan tombol sinkro PMM.",
                ),
            ),
        ),
        sumber="SRC-BIMTEK-MAPPI, slides 50-51",
    ),
    EntriGalat(
        nomor=2,
        kode="skp_belum_dibuat_di_pmm",
        judul_seed="Pegawai belum membuat SKP di PMM",
        pesan="Pegawai belum membuat SKP di PMM",
        aktor=Aktor.pegawai,
        tindak_lanjut=(
            "Pegawai terkait melanjutkan proses perencanaan di PMM, memastikan bahwa semua rencana "
            "telah disetujui oleh atasan dan disepakati bersama.",
            "Dalam waktu 1x24 jam setelah perencanaan selesai dibuat di PMM, pegawai dapat mencoba "
            "kembali tombol Sinkron PMM di e-Kinerja.",
        ),
        golongan=Golongan.kepala_sekolah_dan_guru,
        sumber="SRC-BIMTEK-MAPPI, slide 51",
    ),
    EntriGalat(
        nomor=3,
        kode="unor_tidak_terdaftar",
        judul_seed="Data Unit Kerja Pegawai tidak terdaftar di Referensi Unit Kerja",
        pesan="Data Unit Kerja Pegawai tidak terdaftar di Referensi Unit Kerja",
        keterangan="Sinkronisasi PMM gagal jika unit organisasi (unor) tidak aktif di e-Kinerja "
        "atau di SIASN.",
        aktor=Aktor.admin_instansi,
        tindak_lanjut=(
            "Admin Instansi melakukan perbaikan di e-Kinerja dan SIASN, memastikan bahwa unit "
            "organisasi (unor) terkait di kedua sistem tersebut berstatus aktif.",
            "Setelah perbaikan selesai, pegawai maupun Admin Instansi dapat mencoba kembali "
            "sinkronisasi PMM.",
        ),
        golongan=Golongan.kepala_sekolah_dan_guru,
        sumber="SRC-BIMTEK-MAPPI, slide 52",
    ),
    EntriGalat(
        nomor=4,
        kode="nama_unor_tidak_sama",
        judul_seed="Nama Sekolah atau Nama Unor tidak sama dengan data PMM",
        pesan="Nama Sekolah atau Nama Unor tidak sama dengan data PMM",
        keterangan="Terdapat perbedaan nama sekolah yang ada di Dapodik dengan nama unit "
        "organisasi (unor) yang ada di SIASN/e-Kinerja.",
        aktor=Aktor.admin_instansi,
        tindak_lanjut=(
            "Jika hanya nomenklatur yang berbeda (Kondisi A), pegawai dapat melanjutkan Sinkron PMM.",
            "Jika unor belum diperbarui di SIASN/e-Kinerja (Kondisi B) atau di Dapodik (Kondisi C), "
            "lakukan perbaikan data terlebih dahulu dan coba kembali Sinkron PMM.",
        ),
        golongan=Golongan.kepala_sekolah_dan_guru,
        kondisi=(
            KondisiGalat(
                kondisi="A",
                keterangan="Terdapat perbedaan nomenklatur antara Dapodik dengan SIASN/e-Kinerja "
                "(contoh: di Dapodik tertulis \"SD Negeri 4 Pagi\", sedangkan di SIASN/e-Kinerja "
                "tertulis \"SDN 4 Pagi\").",
                aktor=Aktor.admin_instansi,
                tindak_lanjut=(
                    "Pegawai dapat melanjutkan proses Sinkron PMM.",
                    "Admin Instansi dapat mengetahui perbedaan nama unor yang terdapat di PMM melalui "
                    "menu Log Sinkronisasi PMM di e-Kinerja, kemudian melakukan pembaruan nama unor "
                    "pada menu Manajemen Unor.",
                ),
                boleh_lanjut=True,
            ),
            KondisiGalat(
                kondisi="B",
                keterangan="Unor dari pegawai belum diperbarui di SIASN/e-Kinerja (contoh: di Dapodik "
                "tertulis sekolah yang baru \"SD Negeri 5 Petang\", namun di SIASN/e-Kinerja masih "
                "terdata sekolah yang lama \"SD Negeri 7 Pagi\").",
                aktor=Aktor.admin_instansi,
                tindak_lanjut=(
                    "Admin Instansi melakukan pembaruan unor dari pegawai melalui menu Manajemen "
                    "Pegawai di e-Kinerja.",
                    "Coba kembali Sinkron PMM setelah perbaikan data dilakukan.",
                ),
            ),
            KondisiGalat(
                # Not a seed condition: neither side's assignment date tells which record is outdated,
                # so both fixes are named and the pegawai, who knows where they teach now, picks one.
                kondisi="B_atau_C",
                keterangan="Nama sekolah di Dapodik berbeda dengan unor di SIASN/e-Kinerja, dan tanggal "
                "penugasan (TMT) di Dapodik maupun SIASN tidak cukup untuk memastikan data mana yang belum "
                "diperbarui (Kondisi B atau Kondisi C).",
                aktor=Aktor.pegawai,
                tindak_lanjut=(
                    "Jika Anda saat ini bertugas di sekolah yang tercatat di Dapodik (nilai_pmm), unor Anda belum "
                    "diperbarui di SIASN/e-Kinerja (Kondisi B): minta Admin Instansi memperbarui unor Anda "
                    "melalui menu Manajemen Pegawai di e-Kinerja.",
                    "Jika Anda saat ini bertugas di unor yang tercatat di SIASN/e-Kinerja (nilai_bkn), data "
                    "sekolah Anda belum diperbarui di Dapodik (Kondisi C): laporkan perpindahan sekolah kepada "
                    "Operator Sekolah agar diperbarui di Dapodik.",
                    "Coba kembali Sinkron PMM setelah perbaikan data dilakukan.",
                ),
            ),
            KondisiGalat(
                kondisi="C",
                keterangan="Unor dari pegawai belum diperbarui di Dapodik (contoh: di Dapodik tertulis "
                "sekolah yang lama \"SD Negeri 9 Petang\", namun di SIASN/e-Kinerja sudah terdata "
                "sekolah yang baru \"SD Negeri 13 Pagi\").",
                aktor=Aktor.operator_sekolah,
                tindak_lanjut=(
                    "Guru melaporkan perpindahan sekolah yang terjadi kepada Operator Sekolah.",
                    "Operator Sekolah memperbarui data sekolah yang sesuai di Dapodik.",
                    "Coba kembali Sinkron PMM setelah perbaikan data dilakukan.",
                ),
            ),
        ),
        sumber="SRC-BIMTEK-MAPPI, slides 52-54",
    ),
    EntriGalat(
        nomor=5,
        kode="unit_kerja_atasan_tidak_ditemukan",
        judul_seed="Unit Kerja atasan tidak ditemukan",
        pesan="Unit Kerja atasan tidak ditemukan",
        keterangan="Unit organisasi (unor) dari pegawai terkait di e-Kinerja tidak memiliki unit "
        "kerja atasan.",
        aktor=Aktor.admin_instansi,
        tindak_lanjut=(
            "Periksa Unor: Admin Instansi memastikan bahwa seluruh unit organisasi (unor) sekolah di "
            "e-Kinerja memiliki unit kerja atasan yang sesuai melalui menu Manajemen Unor.",
            "Perbaikan Unor: Admin Instansi menggunakan menu Manajemen Unor untuk menambahkan unit "
            "kerja atasan pada seluruh unor sekolah yang tidak memilikinya.",
            "Sinkronisasi Ulang: setelah perbaikan dilakukan, Admin Instansi dapat mencoba kembali "
            "Sinkro PMM di e-Kinerja.",
        ),
        golongan=Golongan.kepala_sekolah_dan_guru,
        sumber="SRC-BIMTEK-MAPPI, slide 54",
    ),
    EntriGalat(
        nomor=6,
        kode="api_key_tidak_terdaftar",
        judul_seed="xApiKey does not exists in whitelist",
        pesan="Kunci API (xApiKey) tidak terdaftar di whitelist e-Kinerja "
        "(\"xApiKey does not exists in whitelist\")",
        aktor=Aktor.helpdesk_bkn,
        tindak_lanjut=(
            "Tindak lanjut dilakukan oleh tim pengembang e-Kinerja berdasarkan laporan dari pegawai.",
            "Pegawai melakukan screenshot pesan error dan mencatat waktu kejadian untuk dilaporkan "
            "ke HelpDesk BKN.",
            "Pegawai mengirimkan screenshot pesan error beserta waktu kejadian kepada helpdesk BKN "
            "melalui tautan: https://support-siasn.bkn.go.id/.",
        ),
        golongan=Golongan.kepala_sekolah_dan_guru,
        status_http=502,
        sumber="SRC-BIMTEK-MAPPI, slide 55",
    ),
    EntriGalat(
        nomor=7,
        kode="status_kepegawaian_bukan_asn",
        judul_seed="Data status kepegawaian di PMM tidak terdaftar sebagai ASN",
        pesan="Data status kepegawaian di PMM tidak terdaftar sebagai ASN",
        keterangan="Error jenis ini berpotensi muncul pada pegawai yang belum terdaftar sebagai "
        "ASN berdasarkan data PMM.",
        aktor=Aktor.operator_sekolah,
        tindak_lanjut=(
            "Pegawai melakukan pengecekan data status kepegawaian di Dapodik.",
            "Pegawai meminta bantuan operator Dapodik agar melakukan pembaruan status kepegawaian "
            "menjadi salah satu dari: PNS / PPPK / CPNS / PNS Diperbantukan.",
            "Setelah beberapa hari, data status kepegawaian akan diperbarui dan proses Sinkro PMM "
            "dapat kembali dicoba.",
            "Jika setelah 1 minggu proses Sinkro PMM belum dapat dilakukan, harap hubungi Pusat "
            "Bantuan PMM untuk edukasi tindak lanjut.",
        ),
        golongan=Golongan.kepala_sekolah_dan_guru,
        sumber="SRC-BIMTEK-MAPPI, slide 55",
    ),
    EntriGalat(
        nomor=8,
        kode="periode_tidak_sesuai",
        judul_seed="Unexpected period value",
        pesan="Nilai periode tidak sesuai yang diharapkan e-Kinerja (\"Unexpected period value\")",
        aktor=Aktor.helpdesk_bkn,
        tindak_lanjut=_LAPOR_HELPDESK,
        golongan=Golongan.kepala_sekolah_dan_guru,
        status_http=502,
        sumber="SRC-BIMTEK-MAPPI, slide 56",
    ),
    EntriGalat(
        nomor=9,
        kode="galat_server_ekinerja",
        judul_seed="Request failed with status code 500",
        pesan="Permintaan ke e-Kinerja gagal karena gangguan server "
        "(\"Request failed with status code 500\")",
        keterangan="Gangguan sementara: sistem mencoba kembali secara otomatis.",
        aktor=Aktor.helpdesk_bkn,
        tindak_lanjut=_LAPOR_HELPDESK,
        dapat_diulang_otomatis=True,
        golongan=Golongan.kepala_sekolah_dan_guru,
        status_http=503,
        sumber="SRC-BIMTEK-MAPPI, slides 56-57",
    ),
    EntriGalat(
        nomor=10,
        kode="pns_id_tidak_padan",
        judul_seed="Data PNS ID belum padan antara SIASN dengan PMM",
        pesan="Data PNS ID belum padan antara SIASN dengan PMM",
        keterangan="Diperlukan pembaruan data NIP pegawai pada Verval PTK yang sesuai dengan SIASN",
        aktor=Aktor.operator_sekolah,
        tindak_lanjut=_PERBARUI_NIP_VERVAL_PTK,
        golongan=Golongan.kepala_sekolah_dan_guru,
        kondisi=(
            KondisiGalat(
                kondisi="pns_id_berbeda",
                keterangan="PNS ID di PMM (Dapodik/Verval PTK) berbeda dengan PNS ID di SIASN.",
                aktor=Aktor.operator_sekolah,
                tindak_lanjut=_PERBARUI_NIP_VERVAL_PTK,
            ),
            KondisiGalat(
                # NIP already equal to SIASN's (checked first), Dapodik has no PNS ID yet: the source's
                # steps 1-2 (fix the NIP) are done; what is left is its step 3, the matching ("padan")
                # that fills the PNS ID, and checking that the Verval PTK update went through.
                kondisi="pns_id_belum_ada",
                keterangan="NIP di Verval PTK sudah sama dengan SIASN, tetapi PNS ID belum tercatat di PMM: "
                "proses padan data setelah peremajaan NIP belum selesai.",
                aktor=Aktor.operator_sekolah,
                tindak_lanjut=(
                    "Tunggu waktu proses: dalam waktu beberapa hari setelah peremajaan NIP dilakukan, PNS ID "
                    "tercatat di PMM dan Sinkro PMM dicoba ulang secara otomatis; pegawai juga dapat kembali "
                    "melakukan Sinkro PMM di e-Kinerja.",
                    "Jika PNS ID belum juga tercatat, Operator Sekolah memastikan pengajuan perbaikan identitas "
                    "pegawai di Verval PTK sudah disetujui (tidak ditolak, misalnya dengan respon \"data tidak "
                    "sesuai dengan Dukcapil\").",
                ),
            ),
        ),
        sumber="SRC-BIMTEK-MAPPI, slide 57",
    ),
    EntriGalat(
        nomor=11,
        kode="pegawai_belum_terdaftar_ekinerja",
        judul_seed="JavaScript Error: Type Error : cannot read properties of undefined(reading 'unor_id')",
        pesan="Pegawai belum terdaftar di e-Kinerja sehingga unor_id tidak ditemukan "
        "(\"cannot read properties of undefined (reading 'unor_id')\")",
        aktor=Aktor.admin_instansi,
        tindak_lanjut=(
            "Pegawai dapat menginfokan ke Admin Instansi terkait untuk menambahkan pegawai ke "
            "e-Kinerja, di menu Admin Manajemen Ekinerja.",
        ),
        golongan=Golongan.kepala_sekolah_dan_guru,
        sumber="SRC-BIMTEK-MAPPI, slide 58",
    ),
    EntriGalat(
        nomor=12,
        kode="unor_skp_berbeda",
        judul_seed="SKP yang ada memiliki Unor yang berbeda dengan Pegawai saat ini",
        pesan="SKP yang ada memiliki Unor yang berbeda dengan Pegawai saat ini",
        keterangan="Dengan \"Tetap Lakukan Sinkro\" SKP lama akan diganti dan terhapus.",
        aktor=Aktor.pegawai,
        tindak_lanjut=(
            "Jika unor SKP sebelumnya salah, maka Anda dapat melanjutkan sinkron dengan mengklik "
            "\"Tetap Lakukan Sinkro\".",
            "Jika unor SKP sebelumnya betul, dan ternyata pindah unor baru, mohon jangan mengklik "
            "\"Tetap Lakukan Sinkro\" dikarenakan SKP tersebut akan terhapus. Pindahkan unor yang "
            "sesuai di e-Kinerja dan lakukan Sinkro PMM setelah pemindahan berhasil.",
        ),
        golongan=Golongan.kepala_sekolah_dan_guru,
        status_http=409,
        sumber="SRC-BIMTEK-MAPPI, slide 59",
    ),
    EntriGalat(
        nomor=13,
        kode="skp_hanya_lewat_sinkro",
        judul_seed="Pengguna PMM tidak dapat menambah SKP setelah tahun 2023, silahkan buat SKP di "
        "PMM/sinkrodata PMM",
        pesan="Pengguna PMM tidak dapat menambah SKP setelah tahun 2023, silahkan buat SKP di "
        "PMM/sinkrodata PMM",
        aktor=Aktor.pegawai,
        tindak_lanjut=(
            "Untuk membuat SKP, hanya bisa dilakukan dengan melakukan sinkron data PMM.",
            "Jika pegawai tidak merasa sebagai pengguna PMM, mereka dapat menghubungi Admin e-Kinerja "
            "di instansi terkait untuk dihapus dari pengguna PMM di e-Kinerja.",
        ),
        golongan=Golongan.kepala_sekolah_dan_guru,
        sumber="SRC-BIMTEK-MAPPI, slide 60",
    ),
    EntriGalat(
        nomor=14,
        kode="rhk_tidak_terdeteksi",
        judul_seed="Tidak ada RHK yang terdeteksi di PMM",
        pesan="Tidak ada RHK yang terdeteksi di PMM",
        aktor=Aktor.pegawai,
        tindak_lanjut=("Pastikan SKP yang diajukan ke Atasan sudah disetujui atasan dan disepakati.",),
        golongan=Golongan.kepala_sekolah_dan_guru,
        sumber="SRC-BIMTEK-MAPPI, slide 60",
    ),
    EntriGalat(
        nomor=15,
        kode="skp_organisasi_atasan_belum_ada",
        judul_seed="Data SKP Organisasi belum dibuat oleh atasan",
        pesan="Data SKP Organisasi belum dibuat oleh atasan",
        aktor=Aktor.kepala_sekolah,
        tindak_lanjut=(
            "Opsi A: Kepala Sekolah melakukan sinkronisasi di e-Kinerja, berdasarkan informasi yang "
            "diberikan oleh guru.",
            "Opsi B: Admin Instansi melakukan sinkronisasi PMM untuk Kepala Sekolah terkait di e-Kinerja.",
            "Jika Sinkron PMM untuk Kepala Sekolah di e-Kinerja berhasil, baik guru maupun Admin "
            "Instansi dapat mencoba kembali tombol Sinkro PMM di e-Kinerja.",
        ),
        golongan=Golongan.guru,
        sumber="SRC-BIMTEK-MAPPI, slide 61",
    ),
    EntriGalat(
        nomor=16,
        kode="atasan_tidak_sama",
        judul_seed="Atasan Pegawai tidak sama dengan data PMM",
        pesan="Atasan Pegawai tidak sama dengan data PMM",
        aktor=Aktor.admin_instansi,
        tindak_lanjut=(
            "Identifikasi Perbedaan Atasan: Admin Instansi menggunakan menu Log Sinkronisasi PMM di "
            "e-Kinerja untuk mengetahui perbedaan atasan yang terdapat di PMM.",
            "Pembaruan Data Atasan: Admin Instansi melakukan pembaruan data atasan unor di e-Kinerja "
            "dan SIASN sesuai dengan informasi yang ada di PMM.",
            "Sinkron PMM untuk Pegawai Terkait: setelah pembaruan data, Admin Instansi dapat "
            "melakukan sinkron PMM untuk pegawai terkait.",
        ),
        golongan=Golongan.guru,
        sumber="SRC-BIMTEK-MAPPI, slide 62",
    ),
    EntriGalat(
        nomor=17,
        kode="rhk_tidak_dapat_dikaitkan",
        judul_seed="Tidak ada RHK yang bisa dikaitkan",
        pesan="Tidak ada RHK yang bisa dikaitkan",
        keterangan="SKP atasan di e-Kinerja belum memiliki RHK yang dapat dikaitkan dengan RHK guru.",
        aktor=Aktor.kepala_sekolah,
        tindak_lanjut=(
            "Opsi A: Kepala Sekolah melakukan sinkronisasi di e-Kinerja, berdasarkan informasi yang "
            "diberikan oleh guru.",
            # The source's Opsi B breaks off mid-sentence (slide 63); completed as in #15.
            "Opsi B: Admin Instansi melakukan sinkronisasi PMM untuk Kepala Sekolah terkait; jika "
            "Sinkron PMM untuk Kepala Sekolah di e-Kinerja berhasil, guru dapat mencoba kembali "
            "Sinkro PMM.",
        ),
        golongan=Golongan.guru,
        sumber="SRC-BIMTEK-MAPPI, slide 63",
    ),
    EntriGalat(
        nomor=18,
        kode="bukan_plt_di_pmm",
        judul_seed="Pegawai tidak memiliki SKP sebagai Plt. Kepala Sekolah di PMM.",
        pesan="Pegawai tidak memiliki SKP sebagai Plt. Kepala Sekolah di PMM.",
        keterangan="Saat mengklik tombol \"Sinkro data PLT PMM\", data pegawai di PMM tidak "
        "terdaftar sebagai PLT.",
        aktor=Aktor.pegawai,
        tindak_lanjut=(
            "Silakan cek kembali akun PMM untuk memastikan apakah pegawai sudah terdaftar sebagai "
            "Plt. atau belum.",
            "Jika belum, perbaikan data perlu dilakukan di sisi PMM.",
        ),
        golongan=Golongan.plt_kepala_sekolah,
        sumber="SRC-BIMTEK-MAPPI, slide 64",
    ),
    EntriGalat(
        nomor=19,
        kode="bukan_plt_di_ekinerja",
        judul_seed="Pegawai tidak terdaftar sebagai Plt. kepala Sekolah di e-Kinerja",
        pesan="Pegawai tidak terdaftar sebagai Plt. kepala Sekolah di e-Kinerja",
        aktor=Aktor.admin_instansi,
        tindak_lanjut=(
            "Silakan menginformasikan kepada Admin Instansi untuk menambahkan Anda sebagai Plt. "
            "Kepala Sekolah.",
        ),
        golongan=Golongan.plt_kepala_sekolah,
        sumber="SRC-BIMTEK-MAPPI, slide 64",
    ),
    EntriGalat(
        nomor=20,
        kode="jumlah_plt_tidak_sesuai",
        judul_seed="Jumlah SKP sebagai Plt. Kepala Sekolah di PMM tidak sesuai dengan data "
        "Plt.Kepala Sekolah di E-kinerja.",
        pesan="Jumlah SKP sebagai Plt. Kepala Sekolah di PMM tidak sesuai dengan data Plt. Kepala "
        "Sekolah di e-Kinerja.",
        keterangan="Misalnya pegawai terdaftar sebagai Plt. di 2 sekolah di PMM, tetapi hanya "
        "terdaftar sebagai Plt. di 1 sekolah di e-Kinerja.",
        aktor=Aktor.admin_instansi,
        tindak_lanjut=(
            "Silakan menghubungi admin e-Kinerja jika memang data sebagai Plt. masih kurang agar "
            "bisa ditambahkan.",
        ),
        golongan=Golongan.plt_kepala_sekolah,
        sumber="SRC-BIMTEK-MAPPI, slide 65",
    ),
)

KATALOG: Mapping[int, EntriGalat] = MappingProxyType({e.nomor: e for e in _ENTRI})
_MENURUT_KODE: Mapping[str, EntriGalat] = MappingProxyType({e.kode: e for e in _ENTRI})


def entri(nomor: int) -> EntriGalat:
    """The catalogue entry for a published number (#1-#20)."""
    try:
        return KATALOG[nomor]
    except KeyError:
        raise KeyError(f"tidak ada galat sinkro nomor {nomor}") from None


def entri_menurut_kode(kode: str) -> EntriGalat | None:
    """The entry for a stable `kode` (as e-Kinerja's `kode_galat` carries it), or None."""
    return _MENURUT_KODE.get(kode)


class SinkroGagal(DomainError):
    """A sync refusal with its published number, the actor who must act and what to do.

    `nilai_pmm` / `nilai_bkn` put the differing values side by side (for
    example the NIP in Verval PTK and in SIASN) so the Admin Instansi sees the
    fix without opening three systems.
    """

    def __init__(
        self,
        nomor: int,
        *,
        kondisi: str | None = None,
        nilai_pmm: Any = None,
        nilai_bkn: Any = None,
        rincian: str | None = None,
    ) -> None:
        data = entri(nomor)
        varian = data.cari_kondisi(kondisi) if kondisi is not None else None
        self.nomor = nomor
        self.kondisi = kondisi
        self.aktor: Aktor = varian.aktor if varian else data.aktor
        self.tindak_lanjut: tuple[str, ...] = varian.tindak_lanjut if varian else data.tindak_lanjut
        self.keterangan = varian.keterangan if varian else data.keterangan
        self.boleh_lanjut = varian.boleh_lanjut if varian else False
        self.dapat_diulang_otomatis = data.dapat_diulang_otomatis
        self.nilai_pmm = nilai_pmm
        self.nilai_bkn = nilai_bkn
        self.rincian = rincian
        super().__init__(
            data.kode,
            data.pesan,
            status=data.status_http,
            nomor_galat=nomor,
            kondisi=kondisi,
            aktor=self.aktor.value,
            tindak_lanjut=list(self.tindak_lanjut),
            keterangan=self.keterangan,
            dapat_diulang_otomatis=self.dapat_diulang_otomatis,
            nilai_pmm=nilai_pmm,
            nilai_bkn=nilai_bkn,
            rincian=rincian,
        )

    def ringkasan(self) -> dict[str, Any]:
        """A JSON-ready record for the Log Sinkronisasi PMM (S2)."""
        return {"kode": self.kode, "pesan": self.pesan, **self.extra}


# --- who to contact (S2): the pegawai's own instansi, not a generic "hubungi BKD" ---

PROFIL_EKINERJA = "https://kinerja.bkn.go.id/profil"


def perlu_admin(galat: DomainError) -> bool:
    """The follow-up sends someone to an Admin Instansi / BKD / admin e-Kinerja."""
    if galat.extra.get("aktor") == Aktor.admin_instansi.value:
        return True
    return any("admin" in langkah.lower() for langkah in galat.extra.get("tindak_lanjut") or ())


def kontak_instansi(instansi_id: str | None, instansi_nama: str | None) -> dict[str, Any]:
    """Which BKD to contact, from the pegawai's instansi in SIASN / e-Kinerja.

    SRC-BIMTEK-MAPPI slide 49: the relevant Admin Instansi is the INSTANSI on the pegawai's e-Kinerja
    profile; under Kemendikbudristek that is the BKD of that government ("INSTANSI: Pemerintah
    Provinsi Jawa Tengah" -> "BKD Provinsi Jawa Tengah").
    """
    if instansi_nama:
        wilayah = instansi_nama.removeprefix("Pemerintah ").strip()
        bkd = f"BKD {wilayah}"
        langkah = (f"Admin Instansi yang dimaksud adalah Admin Instansi {instansi_nama} (BKD {wilayah}), "
                   f"sesuai bagian INSTANSI pada profil e-Kinerja Anda ({PROFIL_EKINERJA}).")
    elif instansi_id:
        bkd = None
        langkah = (f"Admin Instansi yang dimaksud adalah Admin Instansi untuk instansi {instansi_id}; nama "
                   f"instansinya tertera pada bagian INSTANSI di {PROFIL_EKINERJA}.")
    else:
        bkd = None
        langkah = (f"Instansi Anda belum tercatat di PMM: buka {PROFIL_EKINERJA}, cek bagian INSTANSI; instansi "
                   "itulah yang dapat membantu Anda (bagi guru Kemendikbudristek: BKD instansi tersebut).")
    return {"instansi_id": instansi_id, "instansi_nama": instansi_nama, "bkd": bkd, "langkah": langkah}


def sebut_instansi(galat: DomainError, instansi_id: str | None, instansi_nama: str | None) -> DomainError:
    """Add who to contact to a refusal whose follow-up needs an admin (idempotent)."""
    if not perlu_admin(galat) or "hubungi" in galat.extra:
        return galat
    kontak = kontak_instansi(instansi_id, instansi_nama)
    galat.extra["hubungi"] = {k: v for k, v in kontak.items() if k != "langkah"}
    galat.extra["tindak_lanjut"] = [*(galat.extra.get("tindak_lanjut") or ()), kontak["langkah"]]
    if isinstance(galat, SinkroGagal):
        galat.tindak_lanjut = tuple(galat.extra["tindak_lanjut"])
    return galat


# --- refusals that are not one of the 20 documented errors ---

class BukanAsn(DomainError):
    """A non-ASN pressed Sinkro PMM: Pengelolaan Kinerja is optional for them (P1) and their plan
    stays in PMM; nothing is sent. (An ASN whose Dapodik status is wrong gets #7 instead.)"""

    def __init__(self, status: str | None) -> None:
        self.aktor = Aktor.pegawai
        super().__init__(
            "bukan_asn_tidak_disinkronkan",
            f"Menurut Dapodik status kepegawaian Anda {status or 'belum diisi'}, bukan ASN. Pengelolaan Kinerja "
            "tidak wajib bagi guru non-ASN: rencana dan predikat Anda tetap tersimpan di PMM dan tidak dikirim "
            "ke e-Kinerja, sehingga Sinkro PMM tidak diperlukan.",
            status=422, aktor=self.aktor.value, nilai_pmm=status,
            tindak_lanjut=[
                "Tidak ada yang perlu dilakukan bila Anda memang bukan ASN.",
                "Jika Anda ASN (PNS / PPPK / CPNS / PNS Diperbantukan), minta Operator Sekolah memperbarui status "
                "kepegawaian Anda di Dapodik; setelah data diperbarui, Sinkro PMM dapat dicoba kembali.",
            ])


class SkpBelumAdaDiEkinerja(DomainError):
    """A predicate sent before e-Kinerja holds the period's SKP: sync the SKP first.

    Not seed #13: that number is e-Kinerja refusing an SKP *typed in by hand* after 2023."""

    def __init__(self, *, rincian: str | None = None) -> None:
        self.aktor = Aktor.pegawai
        super().__init__(
            "skp_belum_ada_di_ekinerja",
            "SKP periode ini belum ada di e-Kinerja, sehingga predikat belum dapat dikirim.",
            status=409, aktor=self.aktor.value, rincian=rincian,
            tindak_lanjut=[
                "Lakukan Sinkro PMM untuk SKP periode ini terlebih dahulu; setelah SKP diterima e-Kinerja, "
                "predikat dikirim otomatis atau dapat disinkronkan kembali.",
            ])


class EkinerjaMembatasi(DomainError):
    """e-Kinerja answered 429 (too many requests) or 408 (request timeout): not refused, just not now.

    Transient: retried automatically, after `coba_lagi_detik` (its Retry-After) at the earliest."""

    def __init__(self, status_ekinerja: int, coba_lagi_detik: float) -> None:
        self.aktor = Aktor.helpdesk_bkn
        self.coba_lagi_detik = coba_lagi_detik
        self.dapat_diulang_otomatis = True
        super().__init__(
            "ekinerja_sedang_sibuk",
            "e-Kinerja sedang membatasi jumlah permintaan, sehingga sinkronisasi belum dapat diterima. Sistem "
            "mencoba kembali secara otomatis; Anda tidak perlu melakukan apa pun.",
            status=503, aktor=self.aktor.value, status_ekinerja=status_ekinerja,
            coba_lagi_detik=round(coba_lagi_detik, 3), dapat_diulang_otomatis=True,
            tindak_lanjut=[
                f"Sinkronisasi dicoba kembali otomatis setelah sekitar {max(1, round(coba_lagi_detik))} detik.",
            ])
