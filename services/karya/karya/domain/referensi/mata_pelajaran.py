"""Mata pelajaran (K5: "Pilih mata pelajaran yang sesuai dengan konten pada video").

Sources:
- Struktur kurikulum per jenjang: Permendikbudristek No. 12/2024 tentang
  Kurikulum pada PAUD, Jenjang Pendidikan Dasar, dan Jenjang Pendidikan
  Menengah (Kurikulum Merdeka); "Pendidikan Pancasila" is that regulation's
  name for the former PPKn.
- Elemen capaian pembelajaran PAUD (PAUD has no subjects; its three elements
  stand in for them): Keputusan Kepala BSKAP No. 032/H/KR/2024 tentang
  Capaian Pembelajaran.
- Koding dan Kecerdasan Artifisial (optional subject from 2025/2026):
  Permendikdasmen No. 13/2025 (confidence M; drop the row if it is wrong).
- Bimbingan dan Konseling is a service, not a subject; it is listed so that
  Guru BK (docs/requirements.md#p15) can file a karya of a classroom guidance session.

Ids are stable: they are stored on every karya. Labels may change. A subject
lists the jenjang it is taught in; it is matched against the jenjang of the
chosen tingkat kelas (see `cocok_dengan_tingkat`).
"""
from __future__ import annotations

from shared.errors import DomainError
from shared.models import FrozenModel, Kode, Nama

from karya.domain.referensi.tingkat_kelas import PAUD, SD, SMA, SMK, SMP, TingkatKelas

_DASMEN = (SD, SMP, SMA, SMK)


class MataPelajaran(FrozenModel):
    id: Kode
    label: Nama
    kelompok: str  # paud | umum | peminatan | kejuruan | layanan
    jenjang: tuple[str, ...]


def _mp(id_: str, label: str, kelompok: str, *jenjang: str) -> MataPelajaran:
    return MataPelajaran(id=id_, label=label, kelompok=kelompok, jenjang=tuple(jenjang))


MATA_PELAJARAN: tuple[MataPelajaran, ...] = (
    # PAUD (Fase Fondasi): elemen capaian pembelajaran
    _mp("paud_nilai_agama_budi_pekerti", "Nilai Agama dan Budi Pekerti", "paud", PAUD),
    _mp("paud_jati_diri", "Jati Diri", "paud", PAUD),
    _mp(
        "paud_literasi_steam",
        "Dasar-Dasar Literasi, Matematika, Sains, Teknologi, Rekayasa, dan Seni",
        "paud",
        PAUD,
    ),
    # Umum (SD-SMA/SMK)
    _mp("pendidikan_agama_islam", "Pendidikan Agama Islam dan Budi Pekerti", "umum", *_DASMEN),
    _mp("pendidikan_agama_kristen", "Pendidikan Agama Kristen dan Budi Pekerti", "umum", *_DASMEN),
    _mp("pendidikan_agama_katolik", "Pendidikan Agama Katolik dan Budi Pekerti", "umum", *_DASMEN),
    _mp("pendidikan_agama_hindu", "Pendidikan Agama Hindu dan Budi Pekerti", "umum", *_DASMEN),
    _mp("pendidikan_agama_buddha", "Pendidikan Agama Buddha dan Budi Pekerti", "umum", *_DASMEN),
    _mp("pendidikan_agama_khonghucu", "Pendidikan Agama Khonghucu dan Budi Pekerti", "umum", *_DASMEN),
    _mp(
        "pendidikan_kepercayaan",
        "Pendidikan Kepercayaan terhadap Tuhan Yang Maha Esa dan Budi Pekerti",
        "umum",
        *_DASMEN,
    ),
    _mp("pendidikan_pancasila", "Pendidikan Pancasila", "umum", *_DASMEN),
    _mp("bahasa_indonesia", "Bahasa Indonesia", "umum", *_DASMEN),
    _mp("matematika", "Matematika", "umum", *_DASMEN),
    _mp("ipas", "Ilmu Pengetahuan Alam dan Sosial (IPAS)", "umum", SD),
    _mp("ipa", "Ilmu Pengetahuan Alam (IPA)", "umum", SMP, SMA),
    _mp("ips", "Ilmu Pengetahuan Sosial (IPS)", "umum", SMP, SMA),
    _mp("bahasa_inggris", "Bahasa Inggris", "umum", *_DASMEN),
    _mp("pjok", "Pendidikan Jasmani, Olahraga, dan Kesehatan (PJOK)", "umum", *_DASMEN),
    _mp("informatika", "Informatika", "umum", SMP, SMA, SMK),
    _mp("seni_musik", "Seni Musik", "umum", *_DASMEN),
    _mp("seni_rupa", "Seni Rupa", "umum", *_DASMEN),
    _mp("seni_teater", "Seni Teater", "umum", *_DASMEN),
    _mp("seni_tari", "Seni Tari", "umum", *_DASMEN),
    _mp("prakarya", "Prakarya", "umum", SMP),
    _mp("sejarah", "Sejarah", "umum", SMA, SMK),
    _mp("muatan_lokal", "Muatan Lokal (termasuk Bahasa Daerah)", "umum", *_DASMEN),
    _mp("koding_kecerdasan_artifisial", "Koding dan Kecerdasan Artifisial", "umum", *_DASMEN),
    # Peminatan / pilihan SMA (kelas XI-XII)
    _mp("fisika", "Fisika", "peminatan", SMA),
    _mp("kimia", "Kimia", "peminatan", SMA),
    _mp("biologi", "Biologi", "peminatan", SMA),
    _mp("sosiologi", "Sosiologi", "peminatan", SMA),
    _mp("ekonomi", "Ekonomi", "peminatan", SMA),
    _mp("geografi", "Geografi", "peminatan", SMA),
    _mp("antropologi", "Antropologi", "peminatan", SMA),
    _mp("matematika_tingkat_lanjut", "Matematika Tingkat Lanjut", "peminatan", SMA),
    _mp("bahasa_indonesia_tingkat_lanjut", "Bahasa Indonesia Tingkat Lanjut", "peminatan", SMA),
    _mp("bahasa_inggris_tingkat_lanjut", "Bahasa Inggris Tingkat Lanjut", "peminatan", SMA),
    _mp("prakarya_kewirausahaan", "Prakarya dan Kewirausahaan", "peminatan", SMA),
    _mp("bahasa_arab", "Bahasa Arab", "peminatan", SMA, SMK),
    _mp("bahasa_mandarin", "Bahasa Mandarin", "peminatan", SMA, SMK),
    _mp("bahasa_jepang", "Bahasa Jepang", "peminatan", SMA, SMK),
    _mp("bahasa_korea", "Bahasa Korea", "peminatan", SMA, SMK),
    _mp("bahasa_jerman", "Bahasa Jerman", "peminatan", SMA, SMK),
    _mp("bahasa_prancis", "Bahasa Prancis", "peminatan", SMA, SMK),
    # Kejuruan (SMK)
    _mp("projek_ipas", "Projek Ilmu Pengetahuan Alam dan Sosial", "kejuruan", SMK),
    _mp("dasar_program_keahlian", "Dasar-Dasar Program Keahlian", "kejuruan", SMK),
    _mp("konsentrasi_keahlian", "Konsentrasi Keahlian", "kejuruan", SMK),
    _mp("projek_kreatif_kewirausahaan", "Projek Kreatif dan Kewirausahaan", "kejuruan", SMK),
    _mp("praktik_kerja_lapangan", "Praktik Kerja Lapangan", "kejuruan", SMK),
    # Layanan
    _mp("bimbingan_konseling", "Bimbingan dan Konseling", "layanan", SMP, SMA, SMK),
)

_PER_ID = {m.id: m for m in MATA_PELAJARAN}


def daftar_mata_pelajaran(jenjang: str | None = None) -> list[MataPelajaran]:
    """All subjects, or those taught in one jenjang (for the form's picker)."""
    return [m for m in MATA_PELAJARAN if jenjang is None or jenjang in m.jenjang]


def cari_mata_pelajaran(id_: str) -> MataPelajaran:
    mapel = _PER_ID.get(id_)
    if mapel is None:
        raise DomainError(
            "mata_pelajaran_tidak_dikenal",
            "Mata pelajaran tidak dikenal. Pilih mata pelajaran dari daftar yang tersedia.",
            mata_pelajaran=id_,
        )
    return mapel


def cocok_dengan_tingkat(mapel: MataPelajaran, tingkat: TingkatKelas) -> bool:
    """A subject fits a grade when they share a jenjang (kelas 10-12 are both
    SMA and SMK)."""
    return any(j in mapel.jenjang for j in tingkat.jenjang)


def pastikan_cocok(mapel: MataPelajaran, tingkat: TingkatKelas) -> None:
    if not cocok_dengan_tingkat(mapel, tingkat):
        raise DomainError(
            "mata_pelajaran_tidak_sesuai_tingkat",
            f"Mata pelajaran {mapel.label} tidak diajarkan di {tingkat.label}. "
            "Periksa kembali pilihan mata pelajaran atau tingkat kelas.",
            mata_pelajaran=mapel.id,
            tingkat_kelas=tingkat.id,
        )
