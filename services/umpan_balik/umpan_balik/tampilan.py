"""Request and response models of the Umpan Balik API (what the OpenAPI document shows)."""
from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from umpan_balik.domain.analisa import AnalisaPertanyaan, HasilPilihan, format_persen
from umpan_balik.domain.kuesioner import Kuesioner
from umpan_balik.domain.notifikasi import Notifikasi
from umpan_balik.service import (BATAS_HALAMAN_BAWAAN, BATAS_HALAMAN_MAKS, AnalisaVersi, FormulirKuesioner,
                                 KaryaCermin, UmpanBalik, label_umpan_balik)


class View(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Halaman(View):
    batas: int = Field(BATAS_HALAMAN_BAWAAN, ge=1, le=BATAS_HALAMAN_MAKS)
    kursor: str | None = Field(None, max_length=500)


class KuesionerKaryaView(View):
    """The form a link holder fills for one karya (U1, U2)."""

    karya_id: str
    judul: str
    kategori: str
    milik_saya: bool = Field(description="the owner cannot give feedback on their own karya")
    umpan_balik_saya_id: str | None = Field(description="set when I already sent mine (one per person)")
    kuesioner: Kuesioner

    @classmethod
    def of(cls, f: FormulirKuesioner) -> "KuesionerKaryaView":
        return cls(karya_id=f.karya.karya_id, judul=f.karya.judul, kategori=f.karya.kategori,
                   milik_saya=f.milik_saya, umpan_balik_saya_id=f.umpan_balik_saya_id, kuesioner=f.kuesioner)


class JawabanView(View):
    pertanyaan_id: str
    pertanyaan: str
    pilihan_id: str
    pilihan: str


class TanggapanView(View):
    pertanyaan_id: str
    pertanyaan: str
    teks: str


class UmpanBalikView(View):
    """One feedback, its answers labelled with the questions of the version it was given on."""

    id: str
    karya_id: str
    kuesioner_id: str
    versi_kuesioner: int
    pemberi_peran: str = Field(description="guru or kepala_sekolah (from Dapodik, never from the request)")
    pemberi_nama: str | None = Field(None, description="only in the owner's view")
    milik_saya: bool
    jawaban: list[JawabanView]
    tanggapan: list[TanggapanView]
    saran: str
    saran_pertanyaan: str
    dikirim_pada: datetime

    @classmethod
    def of(cls, ub: UmpanBalik, pelaku: str, untuk_pemilik: bool) -> "UmpanBalikView":
        k = label_umpan_balik(ub)
        jawaban = []
        for q in k.pertanyaan:
            if q.id in ub.jawaban:
                pilihan = q.cari_pilihan(ub.jawaban[q.id])
                jawaban.append(JawabanView(pertanyaan_id=q.id, pertanyaan=q.teks, pilihan_id=ub.jawaban[q.id],
                                           pilihan=pilihan.teks if pilihan else ub.jawaban[q.id]))
        tanggapan = [TanggapanView(pertanyaan_id=t.id, pertanyaan=t.teks, teks=ub.tanggapan[t.id])
                     for t in k.tanggapan if t.id in ub.tanggapan]
        return cls(id=ub.id, karya_id=ub.karya_id, kuesioner_id=ub.kuesioner_id, versi_kuesioner=ub.versi,
                   pemberi_peran=ub.pemberi_peran, pemberi_nama=ub.pemberi_nama if untuk_pemilik else None,
                   milik_saya=ub.pemberi_id == pelaku, jawaban=jawaban, tanggapan=tanggapan, saran=ub.saran,
                   saran_pertanyaan=k.saran.teks, dikirim_pada=ub.dikirim_pada)


class KirimView(View):
    baru: bool = Field(description="false: I had already sent feedback on this karya; this is that one")
    umpan_balik: UmpanBalikView


class DaftarUmpanBalikView(View):
    karya_id: str
    judul: str
    items: list[UmpanBalikView]
    kursor_berikut: str | None

    @classmethod
    def of(cls, karya: KaryaCermin, items: list[UmpanBalik], berikut: str | None, pelaku: str,
           untuk_pemilik: bool) -> "DaftarUmpanBalikView":
        return cls(karya_id=karya.karya_id, judul=karya.judul,
                   items=[UmpanBalikView.of(u, pelaku, untuk_pemilik) for u in items], kursor_berikut=berikut)


class NotifikasiView(View):
    id: str
    karya_id: str
    karya_judul: str | None
    umpan_balik_id: str
    pemberi_peran: str
    dibaca: bool = Field(description="false: show the blue dot")
    dibuat: datetime

    @classmethod
    def of(cls, n: Notifikasi) -> "NotifikasiView":
        return cls(id=n.id, karya_id=n.karya_id, karya_judul=n.karya_judul, umpan_balik_id=n.umpan_balik_id,
                   pemberi_peran=n.pemberi_peran, dibaca=n.dibaca, dibuat=n.dibuat)


class DaftarNotifikasiView(View):
    belum_dibaca: int = Field(description="unread notifications (the number on the bell)")
    items: list[NotifikasiView]
    kursor_berikut: str | None


class NotifikasiDibukaView(View):
    notifikasi: NotifikasiView
    umpan_balik: UmpanBalikView


class HasilPilihanView(View):
    pilihan_id: str
    teks: str
    jumlah: int
    persen: float
    persen_teks: str = Field(description='Indonesian notation, e.g. "33,3%"')

    @classmethod
    def of(cls, h: HasilPilihan) -> "HasilPilihanView":
        return cls(pilihan_id=h.pilihan_id, teks=h.teks, jumlah=h.jumlah, persen=float(h.persen),
                   persen_teks=format_persen(h.persen))


class AnalisaPertanyaanView(View):
    pertanyaan_id: str
    nomor: int
    teks: str
    total: int
    pilihan: list[HasilPilihanView]
    diagram_svg: str = Field(description="path of the pie chart (image/svg+xml) of this question")

    @classmethod
    def of(cls, a: AnalisaPertanyaan, url: str) -> "AnalisaPertanyaanView":
        return cls(pertanyaan_id=a.pertanyaan_id, nomor=a.nomor, teks=a.teks, total=a.total,
                   pilihan=[HasilPilihanView.of(h) for h in a.pilihan], diagram_svg=url)


class AnalisaVersiView(View):
    kuesioner_id: str
    kategori: str
    versi: int
    terkini: bool
    jumlah_umpan_balik: int
    pertanyaan: list[AnalisaPertanyaanView]


class AnalisaView(View):
    """"Lihat Analisa Kuesioner" (U5): one block per questionnaire version answered."""

    karya_id: str
    judul: str
    jumlah_umpan_balik: int
    kuesioner: list[AnalisaVersiView]

    @classmethod
    def of(cls, prefix: str, karya: KaryaCermin, versi: list[AnalisaVersi]) -> "AnalisaView":
        blok = []
        for v in versi:
            a = v.analisa
            blok.append(AnalisaVersiView(
                kuesioner_id=a.kuesioner_id, kategori=a.kategori, versi=a.versi, terkini=v.terkini,
                jumlah_umpan_balik=v.jumlah_umpan_balik,
                pertanyaan=[AnalisaPertanyaanView.of(
                    q, f"{prefix}/saya/karya/{karya.karya_id}/analisa/{a.kuesioner_id}/{q.pertanyaan_id}/diagram")
                    for q in a.pertanyaan]))
        return cls(karya_id=karya.karya_id, judul=karya.judul,
                   jumlah_umpan_balik=sum(v.jumlah_umpan_balik for v in versi), kuesioner=blok)
