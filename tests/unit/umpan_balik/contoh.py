"""Builders shared by the umpan_balik integration and e2e tests: karya and PTK events as
their producers publish them, and complete answers to a questionnaire version."""
from __future__ import annotations

import random
import uuid
from datetime import datetime, timezone

import hashlib

from shared.contracts.karya import KaryaDihapus, KaryaDipublikasikan, KaryaDiperbarui, TautanKaryaDibuat, \
    TautanKaryaDicabut
from shared.contracts.referensi_dapodik import PenugasanPltData, PtkDiperbarui
from shared.events import Event, make_event
from umpan_balik.domain.kuesioner import Kuesioner

KALIMAT_KEBENCIAN = "Dasar Cina, pantas saja pelit kasih nilai."  # e096 of the labelled set (suku)


def sekarang() -> datetime:
    return datetime.now(timezone.utc)


def baru(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def karya_dipublikasikan(pemilik_id: str, kategori: str = "praktik_pembelajaran", *, karya_id: str | None = None,
                         judul: str = "Pecahan dengan kue", versi: int = 1) -> Event:
    return make_event("karya", "karya.karya.dipublikasikan", KaryaDipublikasikan(
        karya_id=karya_id or uuid.uuid4().hex, pemilik_id=pemilik_id, kategori=kategori, judul=judul,
        mata_pelajaran="matematika", tingkat_kelas="kelas_4", video_id="SariPublik1", dibuat_pada=sekarang(),
        versi=versi), subject="karya")


def karya_diperbarui(asal: Event, *, versi: int, **ubah) -> Event:
    data = asal.data.model_dump() | {"versi": versi} | ubah
    return make_event("karya", "karya.karya.diperbarui", KaryaDiperbarui(**data, diperbarui_pada=sekarang()))


def karya_dihapus(asal: Event, *, versi: int) -> Event:
    return make_event("karya", "karya.karya.dihapus", KaryaDihapus(
        karya_id=asal.data.karya_id, pemilik_id=asal.data.pemilik_id, dihapus_pada=sekarang(), versi=versi))


def ptk(ptk_id: str, email: str | None, *, jabatan: str = "guru", versi: int = 1, plt: bool = False,
        nama: str | None = None, **ubah) -> Event:
    return make_event("eksternal:dapodik", "referensi.ptk.diperbarui", PtkDiperbarui(
        ptk_id=ptk_id, nama=nama or f"Ibu {ptk_id}", nip="198001012005012001", npsn_induk="20100001",
        status_kepegawaian="pns", jabatan=jabatan, email_belajar_id=email, versi=versi,
        plt=[PenugasanPltData(npsn="20100001", nomor_sk="SK/PLT/1")] if plt else [], **ubah))


def jawaban_lengkap(k: Kuesioner, rng: random.Random | None = None, saran: str = "Tambahkan refleksi di akhir.",
                    **tanggapan_ubah: str) -> dict:
    """A valid body for "Kirim Umpan Balik": every question answered (random option when `rng`)."""
    jawaban = {q.id: (rng.choice(q.pilihan) if rng else q.pilihan[-1]).id for q in k.pertanyaan}
    tanggapan = {t.id: f"Tanggapan saya untuk {t.id}: contohnya jelas dan runtut." for t in k.tanggapan}
    tanggapan |= tanggapan_ubah
    return {"versi_kuesioner": k.versi, "jawaban": jawaban, "tanggapan": tanggapan, "saran": saran}


def token_untuk(karya_id: str, nama: str = "pemilik") -> str:
    """A deterministic raw share-link token for tests (karya's are random; the shape does not matter)."""
    return f"tok-{nama}-{karya_id}"


def h(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tautan_dibuat(karya_id: str, token: str, *, akar: str | None = None, induk: str | None = None) -> Event:
    """`karya.tautan.dibuat` for a raw token (root: itself unless `akar`, the root's raw token, is given)."""
    return make_event("karya", "karya.tautan.dibuat", TautanKaryaDibuat(
        token_hash=h(token), karya_id=karya_id, akar_hash=h(akar or token), induk_hash=h(induk) if induk else None,
        asal="penerus" if akar else "pemilik", dibuat_pada=sekarang()), subject=f"karya/{karya_id}")


def tautan_dicabut(karya_id: str, token: str, *, akar: str | None = None) -> Event:
    return make_event("karya", "karya.tautan.dicabut", TautanKaryaDicabut(
        token_hash=h(token), karya_id=karya_id, akar_hash=h(akar or token), dicabut_pada=sekarang()),
        subject=f"karya/{karya_id}")
