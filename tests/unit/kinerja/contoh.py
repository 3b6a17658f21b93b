"""Builders of reference payloads and plan inputs shared by the kinerja integration and e2e tests."""
from __future__ import annotations

import base64
import hashlib
import os

from shared.contracts.referensi_dapodik import (
    DinasDiperbarui,
    PengawasDiperbarui,
    PenugasanPltData,
    PtkDiperbarui,
    RaporDiterbitkan,
    RekomendasiData,
    SekolahDiperbarui,
)
from shared.events import make_event

PDF = b"%PDF-1.4\n% bukti dukung uji\n" + b"0" * 2048


def unik() -> str:
    return os.urandom(4).hex()


def npsn_baru() -> str:
    return str(int.from_bytes(os.urandom(4), "big") % 90_000_000 + 10_000_000)


def nip(urut: int, pria: bool = True) -> str:
    """A valid PNS NIP: born 1985-03-14, TMT 2010-01, sequence ``urut`` (1-999)."""
    return f"19850314201001{'1' if pria else '2'}{urut:03d}"


def email(nama: str) -> str:
    return f"{nama}@guru.sd.belajar.id"


def ptk(ptk_id: str, npsn: str, *, jabatan: str = "guru", versi: int = 1, urut: int = 1, status: str = "pns",
        surel: str | None = None, **ubah) -> PtkDiperbarui:
    dasar = dict(ptk_id=ptk_id, nama=f"PTK {ptk_id}", nip=nip(urut) if status in ("pns", "cpns") else None,
                 npsn_induk=npsn, status_kepegawaian=status, jabatan=jabatan, versi=versi,
                 email_belajar_id=surel)
    dasar.update(ubah)
    return PtkDiperbarui(**dasar)


def sekolah(npsn: str, *, ks: str | None = None, plt: str | None = None, versi: int = 1, dinas_id: str = "dinas-uji",
            jenjang: str = "smp", **ubah) -> SekolahDiperbarui:
    return SekolahDiperbarui(npsn=npsn, nama=f"SMP Negeri Uji {npsn}", jenjang=jenjang, dinas_id=dinas_id,
                             kepala_sekolah_ptk_id=ks, plt_ptk_id=plt, versi=versi, **ubah)


def rapor(npsn: str, *subs: str, versi: int = 1, tahun: int = 2026) -> RaporDiterbitkan:
    return RaporDiterbitkan(npsn=npsn, tahun=tahun, versi=versi,
                            rekomendasi=[RekomendasiData(sub_indikator_id=s, prioritas=i + 1) for i, s in enumerate(subs)])


def dinas(dinas_id: str, kepala_id: str, surel: str, versi: int = 1) -> DinasDiperbarui:
    return DinasDiperbarui(dinas_id=dinas_id, nama=f"Dinas Pendidikan {dinas_id}", kepala_dinas_id=kepala_id,
                           kepala_dinas_nama="Kepala Dinas Uji", kepala_dinas_email_belajar_id=surel, versi=versi)


def pengawas(pengawas_id: str, surel: str | None, dinas_id: str = "dinas-uji", versi: int = 1,
             status: str = "aktif") -> PengawasDiperbarui:
    return PengawasDiperbarui(pengawas_id=pengawas_id, nama=f"Pengawas {pengawas_id}", email_belajar_id=surel,
                              dinas_id=dinas_id, status=status, versi=versi)


def event(topic: str, payload):
    return make_event("eksternal", topic, payload)


def md5_base64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


PLT = PenugasanPltData
PENGEMBANGAN = [{"kegiatan_id": "pelatihan_mandiri_aksi_nyata", "materi_id": "pm-disiplin-positif"},
                {"kegiatan_id": "pemimpin_komunitas_belajar"}]  # 8 + 36 = 44 poin
TUGAS = [{"tugas_id": "kepala_perpustakaan", "nomor_sk": "SK/001/2027"}]
PERILAKU = ["kompeten", "kolaboratif"]
