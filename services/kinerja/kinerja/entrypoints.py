"""HTTP routes and event handlers of the Pengelolaan Kinerja service (parse, call, map errors).

The caller is identified by the verified token's e-mail through the identity
index; roles come from the reference data (see ``service.akses``).
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from cloudevents.http import CloudEvent
from pydantic import ValidationError

from kinerja import bootstrap
from kinerja.domain import katalog
from kinerja.domain.observasi import IsianRefleksi, IsianTindakLanjut
from kinerja.domain.referensi import periksa_npsn
from kinerja.service import akses, berkas, pelaksanaan, referensi, rencana, sekolah, siklus, templat
from kinerja.service import penilaian as penilaian_svc
from kinerja.service import predikat as predikat_svc
from kinerja.skema import (
    BerkasView,
    BukaSiklusBody,
    DaftarBerkas,
    DaftarGuru,
    DaftarRencana,
    DaftarTemplat,
    TemplatView,
    GuruView,
    JadwalBody,
    KembalikanBody,
    KonfirmasiPeriodeView,
    PelaksanaanView,
    PenilaianBody,
    PengembanganBody,
    PerilakuBody,
    PersiapanBody,
    PilihanPraktikView,
    PraktikBody,
    RangkumanBody,
    RefleksiBody,
    RencanaView,
    SayaView,
    SetujuiBody,
    SiklusView,
    TiketUnggahView,
    TindakLanjutBody,
    TugasTambahanBody,
    UnggahBody,
    VersiBody,
    DaftarSekolahDinasView,
    DataSekolahDinasView,
    DrafKirimanBody,
    HalamanPenilaianView,
    KirimBody,
    PenetapanView,
    PenilaianView,
    PengirimanView,
    PredikatGuruBody,
    PredikatKepalaSekolahBody,
    PredikatOrganisasiBody,
    PredikatOrganisasiView,
    PredikatView,
    RatingBody,
    pengiriman_view,
    pratinjau_view,
)
from kinerja.domain.predikat import LABEL_PREDIKAT, LABEL_PREDIKAT_ORGANISASI
from shared.http import Api, Ctx, validation_problem

api = Api("kinerja", "kinerja", "Pengelolaan Kinerja API",
          "Perencanaan, Pelaksanaan (observasi praktik kinerja), bukti dukung, Penilaian, pengiriman ke Dinas dan "
          "Predikat Kinerja guru dan kepala sekolah (P1-P15).")

E_UMUM = {403: "Peran atau kepemilikan tidak sesuai", 404: "Tidak ditemukan",
          409: "versi_tidak_cocok, dokumen_sudah_dikumpulkan, status tidak sesuai", 422: "Aturan domain menolak"}


def handle_http(request):
    platform = bootstrap.default()
    if api.authenticate_user is None:
        platform.wire(api)
    return api.dispatch(request)


def rute(method: str, path: str, **kw: Any) -> Callable:
    """`api.route` whose handler also maps a model ValidationError raised inside a use case to 422."""
    def register(handler: Callable) -> Callable:
        @functools.wraps(handler)
        def wrapped(ctx: Ctx, **params: Any):
            if "npsn" in params:  # an NPSN in the path is an NPSN: 422 npsn_tidak_valid before any read
                periksa_npsn(params["npsn"])
            try:
                return handler(ctx, **params)
            except ValidationError as exc:
                return validation_problem(exc, "body")
        kw.setdefault("errors", E_UMUM)
        api.route(method, path, **kw)(wrapped)
        return handler
    return register


def _p():
    return bootstrap.default()


# ---------------------------------------------------------------- catalogues
@rute("GET", "/katalog", summary="Katalog berversi: sub-indikator D1/D3 dengan rubrik, pengembangan kompetensi, "
                                 "tugas tambahan, BerAKHLAK, materi PMM, pilihan tindak lanjut (P2, P5, P7, P13)")
def lihat_katalog(ctx: Ctx):
    return {"versi": katalog.versi_katalog(),
            "sub_indikator": katalog.katalog_sub_indikator().model_dump(mode="json"),
            "pengembangan_kompetensi": katalog.katalog_pengembangan().model_dump(mode="json"),
            "tugas_tambahan": katalog.katalog_tugas_tambahan().model_dump(mode="json"),
            "perilaku_kerja": katalog.katalog_perilaku_kerja().model_dump(mode="json"),
            "materi_pmm": katalog.katalog_materi().model_dump(mode="json"),
            "tindak_lanjut": katalog.katalog_tindak_lanjut().model_dump(mode="json")}


@rute("GET", "/templat-bukti", response=DaftarTemplat,
      summary="Contoh Format Bukti Dukung per langkah/RHK (?rhk=, ?item_id=) dengan URL unduh (P9)")
def templat_bukti(ctx: Ctx):
    p = _p()
    daftar = templat.daftar_templat(p.berkas, p.settings.berkas_url_detik, ctx.request.args.get("rhk") or None,
                                    ctx.request.args.get("item_id") or None)
    return DaftarTemplat(versi=katalog.katalog_templat().versi, templat=[
        TemplatView(id=x.templat.id, nama=x.templat.nama, tahap=x.templat.tahap, langkah=x.templat.langkah,
                    rhk=x.templat.rhk, item_id=x.templat.item_id, nama_berkas=x.templat.berkas, jenis=x.templat.jenis,
                    ukuran=x.ukuran, url_unduh=x.url_unduh) for x in daftar])


@rute("GET", "/saya", response=SayaView, summary="Cek Data: profil Dapodik dan peran Anda (P2)")
def saya(ctx: Ctx):
    return SayaView(**akses.profil(_p().uow, ctx.user.email))


# --------------------------------------------------------------------- cycle
@rute("POST", "/siklus", body=BukaSiklusBody, response=SiklusView, status=201,
      summary="Mulai siklus periode ini di sekolah induk (P1, P15), atau SKP sebagai Plt. Kepala Sekolah "
              "(plt_npsn, P14); idempoten")
def buka_siklus(ctx: Ctx):
    hasil = siklus.buka_siklus(_p().uow, ctx.user.email, ctx.body.periode, ctx.now, ctx.body.plt_npsn)
    return SiklusView(siklus=hasil.siklus, rencana=RencanaView.of(hasil.rencana))


@rute("GET", "/siklus/<periode>", response=SiklusView,
      summary="Siklus Anda pada periode ini; ?plt_npsn= untuk SKP sebagai Plt. Kepala Sekolah sekolah itu")
def siklus_saya(ctx: Ctx, periode: str):
    plt_npsn = ctx.request.args.get("plt_npsn") or None
    if plt_npsn is not None:
        periksa_npsn(plt_npsn)
    s = siklus.siklus_saya(_p().uow, ctx.user.email, periode, plt_npsn)
    return SiklusView(siklus=s.siklus, rencana=RencanaView.of(s.rencana) if s.rencana else None,
                      pelaksanaan=PelaksanaanView.of(s.pelaksanaan, "pemilik") if s.pelaksanaan else None)


@rute("POST", "/sekolah/<npsn>/periode/<periode>/konfirmasi", response=KonfirmasiPeriodeView, status=201,
      summary="Kepala Sekolah / Plt. membuka periode Juli-Desember untuk sekolahnya (P1)")
def konfirmasi_periode(ctx: Ctx, npsn: str, periode: str):
    return KonfirmasiPeriodeView(**siklus.konfirmasi_periode(_p().uow, ctx.user.email, npsn, periode, ctx.now))


# ---------------------------------------------------------------------- plan
@rute("GET", "/rencana/<rencana_id>", response=RencanaView, summary="Rencana (pemilik, atasannya, kepala sekolah)")
def lihat_rencana(ctx: Ctx, rencana_id: str):
    return RencanaView.of(rencana.lihat(_p().uow, ctx.user.email, rencana_id).rencana)


@rute("GET", "/rencana/<rencana_id>/pilihan-praktik", response=PilihanPraktikView,
      summary="Sub-indikator yang dapat dipilih, rekomendasi Rapor Pendidikan lebih dulu (P2)")
def pilihan_praktik(ctx: Ctx, rencana_id: str):
    pilihan = rencana.pilihan_praktik(_p().uow, ctx.user.email, rencana_id)
    return PilihanPraktikView(pilihan=[{"sub_indikator_id": x.sub_indikator.id, "nama": x.sub_indikator.nama,
                                        "direkomendasikan": x.direkomendasikan, "prioritas": x.prioritas}
                                       for x in pilihan])


@rute("PUT", "/rencana/<rencana_id>/cek-data", body=VersiBody, response=RencanaView, summary="Langkah 1: Cek Data")
def cek_data(ctx: Ctx, rencana_id: str):
    return RencanaView.of(rencana.cek_data(_p().uow, ctx.user.email, rencana_id, ctx.body.versi, ctx.now))


@rute("PUT", "/rencana/<rencana_id>/praktik-kinerja", body=PraktikBody, response=RencanaView,
      summary="Langkah 2: tepat satu sub-indikator (P2)")
def praktik_kinerja(ctx: Ctx, rencana_id: str):
    return RencanaView.of(rencana.pilih_praktik(_p().uow, ctx.user.email, rencana_id, ctx.body.versi,
                                                ctx.body.sub_indikator_id, ctx.now))


@rute("PUT", "/rencana/<rencana_id>/pengembangan-kompetensi", body=PengembanganBody, response=RencanaView,
      summary="Langkah 3: kegiatan 32-128 poin (P2)")
def pengembangan_kompetensi(ctx: Ctx, rencana_id: str):
    return RencanaView.of(rencana.atur_pengembangan(_p().uow, ctx.user.email, rencana_id, ctx.body.versi,
                                                    ctx.body.kegiatan, ctx.now))


@rute("PUT", "/rencana/<rencana_id>/tugas-tambahan", body=TugasTambahanBody, response=RencanaView,
      summary="Langkah 4: tugas tambahan (opsional, masing-masing dengan SK)")
def tugas_tambahan(ctx: Ctx, rencana_id: str):
    return RencanaView.of(rencana.atur_tugas_tambahan(_p().uow, ctx.user.email, rencana_id, ctx.body.versi,
                                                      ctx.body.tugas, ctx.now))


@rute("PUT", "/rencana/<rencana_id>/perilaku-kerja", body=PerilakuBody, response=RencanaView,
      summary="Langkah 5: prioritas BerAKHLAK (P13)")
def perilaku_kerja(ctx: Ctx, rencana_id: str):
    return RencanaView.of(rencana.atur_perilaku(_p().uow, ctx.user.email, rencana_id, ctx.body.versi,
                                                ctx.body.nilai_ids, ctx.now))


@rute("PUT", "/rencana/<rencana_id>/rangkuman", body=RangkumanBody, response=RencanaView,
      summary="Langkah 6: Rangkuman (dapat diubah)")
def rangkuman(ctx: Ctx, rencana_id: str):
    return RencanaView.of(rencana.simpan_rangkuman(_p().uow, ctx.user.email, rencana_id, ctx.body.versi,
                                                   ctx.body.rangkuman, ctx.now))


@rute("POST", "/rencana/<rencana_id>/ajukan", body=VersiBody, response=RencanaView,
      summary="Lanjut Ajukan ke atasan; otomatis disetujui di bawah Plt.; 'Data atasan Anda tidak ditemukan' (P3)")
def ajukan(ctx: Ctx, rencana_id: str):
    return RencanaView.of(rencana.ajukan(_p().uow, ctx.user.email, rencana_id, ctx.body.versi, ctx.now))


@rute("GET", "/persetujuan", response=DaftarRencana, summary="Rencana yang menunggu keputusan Anda sebagai atasan (P3)")
def kotak_persetujuan(ctx: Ctx):
    return DaftarRencana(rencana=[RencanaView.of(r) for r in rencana.kotak_masuk(_p().uow, ctx.user.email)])


@rute("POST", "/rencana/<rencana_id>/setujui", body=SetujuiBody, response=RencanaView,
      summary="Atasan menyetujui (dialog kinerja, P3)")
def setujui(ctx: Ctx, rencana_id: str):
    return RencanaView.of(rencana.setujui(_p().uow, ctx.user.email, rencana_id, ctx.body.versi, ctx.body.catatan,
                                          ctx.now))


@rute("POST", "/rencana/<rencana_id>/kembalikan", body=KembalikanBody, response=RencanaView,
      summary="Atasan mengembalikan dengan catatan (dialog kinerja, P3)")
def kembalikan(ctx: Ctx, rencana_id: str):
    return RencanaView.of(rencana.kembalikan(_p().uow, ctx.user.email, rencana_id, ctx.body.versi,
                                             ctx.body.catatan, ctx.now))


@rute("POST", "/rencana/<rencana_id>/sepakati", body=VersiBody, response=RencanaView,
      summary="Pemilik menyepakati: menjadi SKP, terbit kinerja.rencana.disepakati (P3, S1)")
def sepakati(ctx: Ctx, rencana_id: str):
    return RencanaView.of(rencana.sepakati(_p().uow, ctx.user.email, rencana_id, ctx.body.versi, ctx.now))


# --------------------------------------------------------------- observation
def _pv(p) -> PelaksanaanView:
    return PelaksanaanView.of(p)


@rute("GET", "/pelaksanaan/<pelaksanaan_id>", response=PelaksanaanView,
      summary="Pelaksanaan: langkah, progres, rubrik observasi (guru dan penilainya)")
def lihat_pelaksanaan(ctx: Ctx, pelaksanaan_id: str):
    t = pelaksanaan.lihat(_p().uow, ctx.user.email, pelaksanaan_id)
    return PelaksanaanView.of(t.pelaksanaan, t.peran)


def _isian_persiapan(body: PersiapanBody) -> pelaksanaan.MasukanPersiapan | None:
    i = body.isian
    if i is None:
        return None
    return pelaksanaan.MasukanPersiapan(target_perilaku_ids=tuple(i.target_perilaku_ids), upaya=i.upaya,
                                        jadwal_observasi=i.jadwal_observasi, rpp_berkas_id=i.rpp_berkas_id)


@rute("PUT", "/pelaksanaan/<pelaksanaan_id>/persiapan", body=PersiapanBody, response=PelaksanaanView,
      summary="Dokumen Persiapan: Simpan Draf (P5)")
def draf_persiapan(ctx: Ctx, pelaksanaan_id: str):
    m = _isian_persiapan(ctx.body) or pelaksanaan.MasukanPersiapan()
    return _pv(pelaksanaan.simpan_persiapan(_p().uow, ctx.user.email, pelaksanaan_id, ctx.body.versi, m, False,
                                            ctx.now))


@rute("POST", "/pelaksanaan/<pelaksanaan_id>/persiapan/kumpulkan", body=PersiapanBody, response=PelaksanaanView,
      summary="Dokumen Persiapan: Kumpulkan (tidak dapat diubah lagi, P5)")
def kumpulkan_persiapan(ctx: Ctx, pelaksanaan_id: str):
    return _pv(pelaksanaan.simpan_persiapan(_p().uow, ctx.user.email, pelaksanaan_id, ctx.body.versi,
                                            _isian_persiapan(ctx.body), True, ctx.now))


@rute("POST", "/pelaksanaan/<pelaksanaan_id>/jadwal", body=JadwalBody, response=PelaksanaanView,
      summary="Kepala sekolah menyepakati jadwal observasi (P5)")
def sepakati_jadwal(ctx: Ctx, pelaksanaan_id: str):
    return _pv(pelaksanaan.sepakati_jadwal(_p().uow, ctx.user.email, pelaksanaan_id, ctx.body.versi,
                                           ctx.body.waktu, ctx.now))


@rute("POST", "/pelaksanaan/<pelaksanaan_id>/observasi", body=PenilaianBody, response=PelaksanaanView,
      summary="Observasi Kelas oleh kepala sekolah: tiap fokus perilaku + rekomendasi (P6)")
def catat_observasi(ctx: Ctx, pelaksanaan_id: str):
    return _pv(pelaksanaan.catat_observasi(_p().uow, ctx.user.email, pelaksanaan_id, ctx.body.versi,
                                           dict(ctx.body.hasil), ctx.body.rekomendasi, ctx.now))


@rute("GET", "/pelaksanaan/<pelaksanaan_id>/observasi", summary="Cek Rincian hasil observasi (P6, P7)")
def rincian_observasi(ctx: Ctx, pelaksanaan_id: str):
    return pelaksanaan.rincian_observasi(_p().uow, ctx.user.email, pelaksanaan_id)


@rute("PUT", "/pelaksanaan/<pelaksanaan_id>/tindak-lanjut", body=TindakLanjutBody, response=PelaksanaanView,
      summary="Dokumen Tindak Lanjut: Simpan Draf (P7)")
def draf_tindak_lanjut(ctx: Ctx, pelaksanaan_id: str):
    return _pv(pelaksanaan.simpan_tindak_lanjut(_p().uow, ctx.user.email, pelaksanaan_id, ctx.body.versi,
                                                ctx.body.isian or IsianTindakLanjut(), False, ctx.now))


@rute("POST", "/pelaksanaan/<pelaksanaan_id>/tindak-lanjut/kumpulkan", body=TindakLanjutBody,
      response=PelaksanaanView, summary="Dokumen Tindak Lanjut: Kumpulkan (P7)")
def kumpulkan_tindak_lanjut(ctx: Ctx, pelaksanaan_id: str):
    return _pv(pelaksanaan.simpan_tindak_lanjut(_p().uow, ctx.user.email, pelaksanaan_id, ctx.body.versi,
                                                ctx.body.isian, True, ctx.now))


@rute("PUT", "/pelaksanaan/<pelaksanaan_id>/refleksi", body=RefleksiBody, response=PelaksanaanView,
      summary="Refleksi Tindak Lanjut: Simpan Draf (P8)")
def draf_refleksi(ctx: Ctx, pelaksanaan_id: str):
    return _pv(pelaksanaan.simpan_refleksi(_p().uow, ctx.user.email, pelaksanaan_id, ctx.body.versi,
                                           ctx.body.isian or IsianRefleksi(), False, ctx.now))


@rute("POST", "/pelaksanaan/<pelaksanaan_id>/refleksi/kumpulkan", body=RefleksiBody, response=PelaksanaanView,
      summary="Refleksi Tindak Lanjut: Kumpulkan (P8)")
def kumpulkan_refleksi(ctx: Ctx, pelaksanaan_id: str):
    return _pv(pelaksanaan.simpan_refleksi(_p().uow, ctx.user.email, pelaksanaan_id, ctx.body.versi,
                                           ctx.body.isian, True, ctx.now))


@rute("POST", "/pelaksanaan/<pelaksanaan_id>/penilaian-tindak-lanjut", body=PenilaianBody,
      response=PelaksanaanView, summary="Kepala sekolah menilai tindak lanjut; progres 100% (P8)")
def nilai_tindak_lanjut(ctx: Ctx, pelaksanaan_id: str):
    return _pv(pelaksanaan.nilai_tindak_lanjut(_p().uow, ctx.user.email, pelaksanaan_id, ctx.body.versi,
                                               dict(ctx.body.hasil), ctx.body.rekomendasi, ctx.now))


# -------------------------------------------------------------------- uploads
@rute("POST", "/berkas", body=UnggahBody, response=TiketUnggahView, status=201,
      summary="Minta URL unggah (PDF, DOCX, PPTX, JPG, PNG; XLSX untuk rekap kehadiran; batas ukuran) untuk RPP, "
              "bukti dukung (termasuk Surat Keterangan Selesai Pelatihan Mandiri per topik), dokumen sekolah (P9)")
def minta_unggah(ctx: Ctx):
    p, b = _p(), ctx.body
    m = berkas.PermintaanUnggah(tujuan=b.tujuan, nama_berkas=b.nama_berkas, jenis=b.jenis, ukuran=b.ukuran,
                                md5_base64=b.md5_base64, siklus_id=b.siklus_id, item_id=b.item_id, npsn=b.npsn,
                                kategori=b.kategori, bukti_khusus=b.bukti_khusus, materi_id=b.materi_id)
    hasil, tiket = berkas.minta_unggah(p.uow, p.berkas, ctx.user.email, m, p.settings.batas_berkas_byte,
                                       p.settings.berkas_url_detik, ctx.now)
    return TiketUnggahView(berkas=hasil, versi=hasil.versi,
                           unggah={"url": tiket.url, "method": tiket.method, "headers": tiket.headers,
                                   "berlaku_detik": tiket.berlaku_detik})


@rute("POST", "/berkas/<berkas_id>/konfirmasi", body=VersiBody, response=BerkasView,
      summary="Konfirmasi unggahan: ukuran, jenis, checksum diperiksa sebelum dilampirkan (P9)",
      errors={404: "berkas_tidak_ditemukan", 409: "berkas_belum_diunggah, ukuran_berkas_berbeda, jenis_berkas_berbeda, "
                                                  "checksum_berkas_berbeda, versi_tidak_cocok",
              410: "unggahan_kedaluwarsa (not confirmed within a day: the upload was deleted, upload again)"})
def konfirmasi_berkas(ctx: Ctx, berkas_id: str):
    p = _p()
    b = berkas.konfirmasi(p.uow, p.berkas, ctx.user.email, berkas_id, ctx.body.versi, ctx.now)
    return BerkasView(berkas=b, versi=b.versi)


@rute("GET", "/pelaksanaan/<pelaksanaan_id>/berkas", response=DaftarBerkas,
      summary="RPP dan bukti dukung terkonfirmasi satu siklus (guru dan penilainya)")
def berkas_siklus(ctx: Ctx, pelaksanaan_id: str):
    p = _p()
    daftar = berkas.bukti_siklus(p.uow, ctx.user.email, pelaksanaan_id)
    return DaftarBerkas(berkas=[BerkasView(berkas=b, versi=b.versi,
                                           url_unduh=berkas.url_unduh(p.berkas, b, p.settings.berkas_url_detik))
                                for b in daftar])


@rute("GET", "/sekolah/<npsn>/dokumen", response=DaftarBerkas,
      summary="Dokumen sekolah (KOSP, rekap kehadiran) untuk guru dan kepala sekolah sekolah ini (P9)")
def dokumen_sekolah(ctx: Ctx, npsn: str):
    p = _p()
    daftar = berkas.dokumen_sekolah(p.uow, ctx.user.email, npsn)
    return DaftarBerkas(berkas=[BerkasView(berkas=b, versi=b.versi,
                                           url_unduh=berkas.url_unduh(p.berkas, b, p.settings.berkas_url_detik))
                                for b in daftar])


# ----------------------------------------------------------- principal views
@rute("GET", "/sekolah/<npsn>/guru", response=DaftarGuru,
      summary="Daftar guru sekolah: tahap tiap guru dan yang menunggu Anda (kepala sekolah / Plt.)")
def daftar_guru(ctx: Ctx, npsn: str):
    periode = ctx.request.args.get("periode") or ""
    baris = sekolah.daftar_guru(_p().uow, ctx.user.email, npsn, periode)
    guru = [GuruView(ptk_id=b.ptk.ptk_id, nama=b.ptk.nama, jabatan=b.ptk.jabatan.value,
                     status_kepegawaian=b.ptk.status_kepegawaian.value,
                     siklus_id=b.siklus.siklus_id if b.siklus else None,
                     kewajiban=b.siklus.kewajiban.value if b.siklus else None, tahap=b.tahap,
                     status_rencana=b.rencana.status.value if b.rencana else None,
                     rencana_versi=b.rencana.versi if b.rencana else None,
                     langkah_observasi=(b.pelaksanaan.langkah_aktif.value if b.pelaksanaan.langkah_aktif else None)
                     if b.pelaksanaan else None,
                     progres_observasi_persen=b.pelaksanaan.progres_persen if b.pelaksanaan else None,
                     pelaksanaan_versi=b.pelaksanaan.versi if b.pelaksanaan else None,
                     menunggu_saya=list(b.menunggu_saya)) for b in baris]
    ringkasan: dict[str, int] = {}
    for g in guru:
        for t in g.menunggu_saya:
            ringkasan[t] = ringkasan.get(t, 0) + 1
    return DaftarGuru(npsn=npsn, periode=periode, guru=guru, ringkasan_menunggu=ringkasan)


# ------------------------------------------------------- assessment
def _periode_query(ctx: Ctx) -> str:
    return ctx.request.args.get("periode") or ""


@rute("GET", "/sekolah/<npsn>/penilaian", response=HalamanPenilaianView,
      summary="Penilaian Kinerja sekolah: guru, rating, poin kompetensi, panduan, draf, kiriman, temuan data pegawai, "
              "Predikat Kinerja Organisasi, isian awal predikat dan pelanggaran kurva (KS / Plt.; P10-P12)")
def halaman_penilaian(ctx: Ctx, npsn: str):
    h = penilaian_svc.halaman_penilaian(_p().uow, ctx.user.email, npsn, _periode_query(ctx), ctx.now)
    return HalamanPenilaianView.of(h, penilaian_svc.temuan_view)


@rute("GET", "/penilaian/<siklus_id>", response=PenilaianView,
      summary="Rating, poin kompetensi dan predikat satu siklus (pemilik dan Pejabat Penilainya)")
def lihat_penilaian(ctx: Ctx, siklus_id: str):
    return PenilaianView.of(penilaian_svc.lihat_penilaian(_p().uow, ctx.user.email, siklus_id))


@rute("PUT", "/penilaian/<siklus_id>", body=RatingBody, response=PenilaianView,
      summary="Beri/ubah Rating Hasil Kerja dan Rating Perilaku Kerja di masa penilaian, sebelum dikirim "
              "(kepala sekolah untuk guru; Kepala Dinas / pengawas untuk kepala sekolah; P10, P14)")
def beri_rating(ctx: Ctx, siklus_id: str):
    b = ctx.body
    m = penilaian_svc.MasukanRating(rating_perilaku_kerja=b.rating_perilaku_kerja, rating_hasil_kerja=b.rating_hasil_kerja,
                                    catatan_hasil_kerja=b.catatan_hasil_kerja,
                                    catatan_perilaku_kerja=b.catatan_perilaku_kerja)
    return PenilaianView.of(penilaian_svc.beri_rating(_p().uow, ctx.user.email, siklus_id, b.versi, m, ctx.now))


@rute("PUT", "/sekolah/<npsn>/periode/<periode>/kiriman", body=DrafKirimanBody, response=PengirimanView,
      summary="Centang panduan dan Simpan Draf penjelasan sebelum Kirim ke Dinas Pendidikan (P11)")
def draf_kiriman(ctx: Ctx, npsn: str, periode: str):
    k = penilaian_svc.simpan_draf_kiriman(_p().uow, ctx.user.email, npsn, periode, ctx.body.versi,
                                          ctx.body.panduan_dicentang, ctx.body.penjelasan, ctx.now)
    return PengirimanView(npsn=npsn, periode=periode, pengiriman=pengiriman_view(k))


@rute("POST", "/sekolah/<npsn>/periode/<periode>/kiriman/kirim", body=KirimBody, response=PengirimanView,
      summary="Kirim ke Dinas Pendidikan: konfirmasi + penjelasan; tiap penilaian dikirim sekali, guru yang dinilai "
              "kemudian masuk kiriman berikutnya; pegawai bermasalah ditahan (P11)")
def kirim_ke_dinas(ctx: Ctx, npsn: str, periode: str):
    h = penilaian_svc.kirim_ke_dinas(_p().uow, ctx.user.email, npsn, periode, ctx.body.versi, ctx.body.konfirmasi,
                                     ctx.body.penjelasan, ctx.now)
    return PengirimanView(npsn=npsn, periode=periode, pengiriman=pengiriman_view(h.pengiriman),
                          terkirim=list(h.terkirim), pratinjau=pratinjau_view(h.pratinjau, penilaian_svc.temuan_view))


@rute("GET", "/dinas/sekolah", response=DaftarSekolahDinasView,
      summary="Kepala Dinas: sekolah di wilayahnya, data penilaian terkirim, Predikat Kinerja Organisasi (P12)")
def sekolah_dinas(ctx: Ctx):
    periode = _periode_query(ctx)
    dinas, baris = predikat_svc.daftar_sekolah_dinas(_p().uow, ctx.user.email, periode)
    return DaftarSekolahDinasView.of(dinas, periode, baris)


@rute("GET", "/dinas/sekolah/<npsn>/penilaian", response=DataSekolahDinasView,
      summary="Kepala Dinas: data penilaian yang dikirim satu sekolah (P12)")
def data_sekolah_dinas(ctx: Ctx, npsn: str):
    return DataSekolahDinasView.of(predikat_svc.data_sekolah_untuk_dinas(_p().uow, ctx.user.email, npsn,
                                                                         _periode_query(ctx)))


@rute("PUT", "/sekolah/<npsn>/periode/<periode>/predikat-organisasi", body=PredikatOrganisasiBody,
      response=PredikatOrganisasiView,
      summary="Kepala Dinas menetapkan Predikat Kinerja Organisasi sekolah setelah datanya dikirim (P12)")
def predikat_organisasi(ctx: Ctx, npsn: str, periode: str):
    org = predikat_svc.tetapkan_predikat_organisasi(_p().uow, ctx.user.email, npsn, periode, ctx.body.versi,
                                                    ctx.body.predikat, ctx.now)
    return PredikatOrganisasiView(predikat_organisasi=org, versi=org.versi,
                                  label=LABEL_PREDIKAT_ORGANISASI[org.predikat])


@rute("PUT", "/sekolah/<npsn>/periode/<periode>/predikat", body=PredikatGuruBody, response=PenetapanView,
      summary="Kepala sekolah menetapkan Predikat Kinerja guru (isian awal matriks, penyesuaian beralasan) sebagai "
              "satu set yang memenuhi kurva distribusi; terbit kinerja.predikat.ditetapkan (P12)")
def predikat_guru(ctx: Ctx, npsn: str, periode: str):
    isian = [predikat_svc.IsianPredikat(pegawai_id=e.pegawai_id, predikat=e.predikat,
                                        alasan_penyesuaian=e.alasan_penyesuaian) for e in ctx.body.predikat]
    h = predikat_svc.tetapkan_predikat_guru(_p().uow, ctx.user.email, npsn, periode, ctx.body.versi, isian, ctx.now)
    return PenetapanView(npsn=npsn, periode=periode, versi=h.versi, predikat_organisasi=h.predikat_organisasi.value,
                         entri=h.entri, diterbitkan=list(h.berubah))


@rute("PUT", "/penilaian/<siklus_id>/predikat", body=PredikatKepalaSekolahBody, response=PredikatView,
      summary="Kepala Dinas / pengawas menetapkan Predikat Kinerja kepala sekolah; terbit kinerja.predikat.ditetapkan (P14)")
def predikat_kepala_sekolah(ctx: Ctx, siklus_id: str):
    pr = predikat_svc.tetapkan_predikat_kepala_sekolah(_p().uow, ctx.user.email, siklus_id, ctx.body.versi,
                                                       ctx.body.predikat, ctx.body.alasan_penyesuaian, ctx.now)
    return PredikatView(predikat=pr, versi=pr.versi, label=LABEL_PREDIKAT[pr.predikat])


# ------------------------------------------------------------------- events
def on_ptk_diperbarui(cloud_event: CloudEvent) -> str:
    return _p().consume(cloud_event, "referensi.ptk.diperbarui", "kinerja_on_ptk_diperbarui", referensi.terapkan_ptk)


def on_sekolah_diperbarui(cloud_event: CloudEvent) -> str:
    return _p().consume(cloud_event, "referensi.sekolah.diperbarui", "kinerja_on_sekolah_diperbarui",
                        referensi.terapkan_sekolah)


def on_rapor_diterbitkan(cloud_event: CloudEvent) -> str:
    return _p().consume(cloud_event, "referensi.rapor.diterbitkan", "kinerja_on_rapor_diterbitkan",
                        referensi.terapkan_rapor)


def on_dinas_diperbarui(cloud_event: CloudEvent) -> str:
    return _p().consume(cloud_event, "referensi.dinas.diperbarui", "kinerja_on_dinas_diperbarui",
                        referensi.terapkan_dinas)


def on_pengawas_diperbarui(cloud_event: CloudEvent) -> str:
    return _p().consume(cloud_event, "referensi.pengawas.diperbarui", "kinerja_on_pengawas_diperbarui",
                        referensi.terapkan_pengawas)


def sapu_outbox(cloud_event: CloudEvent) -> None:
    bootstrap.default().sweep_outbox(cloud_event)
