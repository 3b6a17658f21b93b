"""HTTP routes and event handlers of the Sinkro PMM ke e-Kinerja service (parse, call, map errors)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal

import flask
from cloudevents.http import CloudEvent
from pydantic import BaseModel, Field

from shared.batas import Batas
from shared.consumer import decode_pubsub_cloud_event
from shared.contracts.sinkro import BATCH_DIJADWALKAN, JADWAL_SINKRO_HARIAN
from shared.http import Api, Ctx
from shared.logs import get_logger
from shared.models import StrictModel
from shared.nip import periksa_nip, periksa_npsn
from sinkro import bootstrap, service

log = get_logger(__name__)

api = Api("sinkro", "sinkro", "Sinkro PMM ke e-Kinerja API",
          "Sinkronisasi SKP, predikat dan data Plt. dari PMM ke e-Kinerja BKN (S1-S4), dengan Log Sinkronisasi "
          "PMM untuk Admin Instansi. Galat sinkronisasi membawa `nomor_galat` (#1-#20 SRC-BIMTEK-MAPPI), `aktor` dan "
          "`tindak_lanjut`.")

Periode = str
POLA_PERIODE = r"^\d{4}-[12]$"
# NIP and NPSN are checked by the rules kinerja uses too (shared/nip.py), in the handler, so a
# malformed one answers 422 with a kode naming the wrong part (never 404 "not found").
NIP_DESC = "18-digit NIP / NI PPPK (birth date, TMT month, gender digit checked)"
Jenis = Literal["skp", "predikat", "plt"]
GALAT_SINKRO = {403: "Bukan untuk Anda (S1)", 404: "Pegawai tidak ditemukan (NIP sah, tidak ada di Dapodik)",
                409: "#12 SKP unor lain (pakai tetap_lakukan_sinkro) atau data belum siap",
                422: "Galat sinkro #1-#20 (nomor_galat, aktor, tindak_lanjut)",
                502: "#6/#8 ditolak e-Kinerja", 503: "#9 e-Kinerja gangguan (sudah dicoba ulang)"}
# A person's "sync" and "check" share one budget; the partner API has its own, per partner.
BATAS_SINKRO = (Batas("sinkro_menit", "batas_sinkro_menit"), Batas("sinkro_hari", "batas_sinkro_hari"))
BATAS_MITRA = Batas("mitra_menit", "batas_mitra_menit")


def handle_http(request):
    platform = bootstrap.default()
    if api.authenticate_user is None:
        platform.wire(api)
    return api.dispatch(request)


def _p():
    return bootstrap.default()


# --- models

class MintaSinkro(StrictModel):
    jenis: Jenis = Field("skp", description="skp, predikat: the own SKP (Sinkro PMM); plt = \"Sinkro data PLT PMM\": "
                                            "the SKPs sebagai Plt. Kepala Sekolah, one per school (#18-#20)")
    periode: str = Field(pattern=POLA_PERIODE, description="2024-1 (Jan-Jun) or 2024-2 (Jul-Des)")
    nip: str | None = Field(None, max_length=32,
                            description="only for an Admin Instansi acting for a pegawai of their instansi; " + NIP_DESC)
    tetap_lakukan_sinkro: bool = Field(False, description="#12: replace the SKP held under another unor")


class MintaSinkroMitra(StrictModel):
    nip: str = Field(max_length=32, description=NIP_DESC)
    jenis: Jenis = "skp"
    periode: str = Field(pattern=POLA_PERIODE)
    tetap_lakukan_sinkro: bool = False


class PeringatanView(BaseModel):
    nomor: int
    kode: str
    kondisi: str | None = None
    pesan: str
    aktor: str
    tindak_lanjut: list[str]
    nilai_pmm: Any = None
    nilai_bkn: Any = None


class HasilSinkroView(BaseModel):
    hasil: str = Field(description="berhasil, sudah_terkirim (same version: nothing sent), lolos_pemeriksaan")
    jenis: str
    periode: str
    versi: int | None = None
    log_id: str | None = None
    id_sinkron: str | None = None
    peringatan: list[PeringatanView] = []
    skp_lama_diganti: dict[str, Any] | None = None

    @classmethod
    def of(cls, h: service.HasilSinkro) -> "HasilSinkroView":
        return cls(hasil=h.hasil, jenis=h.jenis, periode=h.periode, versi=h.versi, log_id=h.log_id,
                   id_sinkron=h.id_sinkron, peringatan=[PeringatanView.model_validate(w) for w in h.peringatan],
                   skp_lama_diganti=h.skp_lama_diganti)


class SaringLog(StrictModel):
    instansi_id: str | None = Field(None, max_length=128)
    nomor_galat: int | None = Field(None, ge=1, le=20)
    hasil: Literal["berhasil", "gagal"] | None = None
    jenis: Jenis | None = None
    periode: str | None = Field(None, pattern=POLA_PERIODE)
    nip: str | None = Field(None, max_length=32, description=NIP_DESC)
    npsn: str | None = Field(None, max_length=16, description="8-digit NPSN of the school")
    batas: int = Field(50, ge=1, le=200)
    kursor: str | None = Field(None, max_length=400)

    def saring(self) -> service.Saring:
        _nip_sah(self.nip)
        if self.npsn is not None:
            periksa_npsn(self.npsn)
        return service.Saring(self.instansi_id, self.nomor_galat, self.hasil, self.jenis, self.periode, self.nip,
                              self.npsn)


def _nip_sah(nip: str | None) -> None:
    """422 `nip_format_tidak_valid` / `nip_tanggal_lahir_tidak_valid` / `nip_tmt_tidak_valid` / ..."""
    if nip is not None:
        periksa_nip(nip)


class EntriLogView(BaseModel):
    id: str
    pada: datetime
    pegawai_id: str
    nip: str | None = None
    nama: str | None = None
    instansi_id: str | None = None
    npsn: str | None = None
    jenis: str
    periode: str
    versi: int | None = None
    hasil: str
    nomor_galat: int | None = None
    kode: str
    kondisi: str | None = None
    pesan: str
    aktor: str | None = None
    tindak_lanjut: list[str] = []
    nilai_pmm: Any = None
    nilai_bkn: Any = None
    rincian: str | None = None
    peringatan: list[PeringatanView] = []
    skp_lama_diganti: dict[str, Any] | None = None
    tetap_lakukan_sinkro: bool = False
    pelaku: dict[str, str]
    otomatis: bool = False


class HalamanLog(BaseModel):
    butir: list[EntriLogView]
    kursor_berikutnya: str | None = None


class PegawaiTerdampakView(BaseModel):
    ptk_id: str
    nip: str | None = None
    nama: str | None = None
    jenis: str
    periode: str
    nomor_galat: int | None = None
    kode: str
    aktor: str | None = None
    nilai_pmm: Any = None
    nilai_bkn: Any = None
    pada: datetime


class HalamanPegawai(BaseModel):
    butir: list[PegawaiTerdampakView]
    kursor_berikutnya: str | None = None


class RekapBaris(BaseModel):
    nomor_galat: int
    kode: str
    pesan: str
    aktor: str
    tindak_lanjut: list[str]
    jumlah_percobaan: int
    jumlah_pegawai: int = Field(description="pegawai whose latest attempt still fails with this number")
    jumlah_peringatan: int = Field(description="successful syncs that carried it as a warning (#4 A, #12)")


class Rekap(BaseModel):
    baris: list[RekapBaris]


# --- routes

def _minta(ctx: Ctx, uji: bool) -> HasilSinkroView:
    b: MintaSinkro = ctx.body
    _nip_sah(b.nip)
    hasil = service.minta_sinkro(_p(), ctx.user.sub, ctx.user.email, nip=b.nip, jenis=b.jenis, periode=b.periode,
                                 tetap=b.tetap_lakukan_sinkro, uji=uji, now=ctx.now)
    if hasil.galat is not None:
        raise hasil.galat
    return HasilSinkroView.of(hasil)


@api.route("POST", "/sinkronisasi", body=MintaSinkro, response=HasilSinkroView, batas=BATAS_SINKRO,
           summary="Sinkro PMM: kirim SKP, predikat atau data Plt. ke e-Kinerja (S1)", errors=GALAT_SINKRO)
def sinkronisasi(ctx: Ctx):
    return _minta(ctx, uji=False)


@api.route("POST", "/sinkronisasi/periksa", body=MintaSinkro, response=HasilSinkroView, batas=BATAS_SINKRO,
           summary="Uji coba: pemeriksaan yang sama tanpa mengirim (S3)", errors=GALAT_SINKRO)
def periksa(ctx: Ctx):
    return _minta(ctx, uji=True)


@api.route("GET", "/riwayat", query=SaringLog, response=HalamanLog,
           summary="Riwayat sinkronisasi milik saya (S2)", errors={403: "Akun belum terhubung dengan Dapodik"})
def riwayat(ctx: Ctx):
    q: SaringLog = ctx.query
    butir, berikut = service.riwayat_saya(_p(), ctx.user.sub, ctx.user.email, q.saring(), q.batas, q.kursor)
    return HalamanLog(butir=[EntriLogView.model_validate(b) for b in butir], kursor_berikutnya=berikut)


@api.route("GET", "/log", query=SaringLog, response=HalamanLog,
           summary="Log Sinkronisasi PMM untuk Admin Instansi (S2)", errors={403: "Bukan Admin Instansi"})
def log_sinkronisasi(ctx: Ctx):
    q: SaringLog = ctx.query
    butir, berikut = service.log_admin(_p(), ctx.user.sub, ctx.user.email, q.saring(), q.batas, q.kursor)
    return HalamanLog(butir=[EntriLogView.model_validate(b) for b in butir], kursor_berikutnya=berikut)


@api.route("GET", "/log/rekap", query=SaringLog, response=Rekap,
           summary="Rekap galat per nomor: percobaan, pegawai terdampak, peringatan (S2)",
           errors={403: "Bukan Admin Instansi"})
def log_rekap(ctx: Ctx):
    q: SaringLog = ctx.query
    return Rekap(baris=[RekapBaris.model_validate(r) for r in
                        service.rekap(_p(), ctx.user.sub, ctx.user.email, q.saring())])


@api.route("GET", "/log/pegawai", query=SaringLog, response=HalamanPegawai,
           summary="Pegawai yang sinkronisasi terakhirnya gagal, per nomor galat (S2)",
           errors={403: "Bukan Admin Instansi"})
def log_pegawai(ctx: Ctx):
    q: SaringLog = ctx.query
    butir, berikut = service.pegawai_terdampak(_p(), ctx.user.sub, ctx.user.email, q.saring(), q.batas, q.kursor)
    return HalamanPegawai(butir=[PegawaiTerdampakView.model_validate(b) for b in butir], kursor_berikutnya=berikut)


@api.route("GET", "/log/ekspor.csv", query=SaringLog,
           summary="Ekspor Log Sinkronisasi PMM sebagai CSV (S2); terpotong: header X-Ekspor-Terpotong dan baris "
                   "penanda '# EKSPOR TERPOTONG' di akhir", errors={403: "Bukan Admin Instansi"})
def log_csv(ctx: Ctx):
    q: SaringLog = ctx.query
    ekspor = service.ekspor_csv(_p(), ctx.user.sub, ctx.user.email, q.saring())
    pertama = next(ekspor.baris)  # authorisation is decided before the first byte is sent

    def semua():
        yield pertama
        yield from ekspor.baris
    return flask.Response(semua(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="log-sinkronisasi-pmm.csv"',
        # a cut at the row limit is known now; a cut at the time limit only in the file's marker row
        "X-Ekspor-Terpotong": "batas_baris" if ekspor.terpotong_batas_baris else "tidak",
        "X-Ekspor-Batas-Baris": str(ekspor.batas_baris),
        "X-Ekspor-Batas-Waktu-Detik": f"{ekspor.batas_waktu:g}"})


@api.route("POST", "/mitra/sinkronisasi", auth="partner", body=MintaSinkroMitra, response=HasilSinkroView,
           batas=BATAS_MITRA,
           summary="API mitra: e-Kinerja meminta Sinkro PMM untuk satu NIP (x-api-key)",
           errors={401: "#6 xApiKey tidak ada di whitelist", **GALAT_SINKRO})
def mitra_sinkronisasi(ctx: Ctx):
    b: MintaSinkroMitra = ctx.body
    mitra = ctx.user.mitra or "mitra"
    _nip_sah(b.nip)
    hasil = service.minta_sinkro_mitra(_p(), mitra, nip=b.nip, jenis=b.jenis,
                                       periode=b.periode, tetap=b.tetap_lakukan_sinkro, now=ctx.now)
    if hasil.galat is not None:
        raise hasil.galat
    return HasilSinkroView.of(hasil)


# --- events

def sapu_outbox(cloud_event: CloudEvent) -> None:
    bootstrap.default().sweep_outbox(cloud_event)


def _konsumen(topic: str, nama: str, effect):
    def handler(cloud_event: CloudEvent) -> None:
        bootstrap.default().consume(cloud_event, topic, nama, effect)
    handler.__name__ = nama
    return handler


on_rencana_disepakati = _konsumen("kinerja.rencana.disepakati", "sinkro_on_rencana_disepakati",
                                  service.terapkan_rencana)
on_tahap_rencana_diperbarui = _konsumen("kinerja.tahap_rencana.diperbarui", "sinkro_on_tahap_rencana_diperbarui",
                                       service.terapkan_tahap_rencana)
on_predikat_ditetapkan = _konsumen("kinerja.predikat.ditetapkan", "sinkro_on_predikat_ditetapkan",
                                   service.terapkan_predikat)
on_ptk_diperbarui = _konsumen("referensi.ptk.diperbarui", "sinkro_on_ptk_diperbarui", service.terapkan_ptk)
on_sekolah_diperbarui = _konsumen("referensi.sekolah.diperbarui", "sinkro_on_sekolah_diperbarui",
                                  service.terapkan_sekolah)
on_pegawai_diperbarui = _konsumen("referensi.pegawai.diperbarui", "sinkro_on_pegawai_diperbarui",
                                  service.terapkan_pegawai_siasn)
on_pegawai_ekinerja_diperbarui = _konsumen("referensi.pegawai_ekinerja.diperbarui",
                                           "sinkro_on_pegawai_ekinerja_diperbarui", service.terapkan_pegawai_ekinerja)
on_skp_organisasi_diperbarui = _konsumen("referensi.skp_organisasi.diperbarui",
                                         "sinkro_on_skp_organisasi_diperbarui", service.terapkan_skp_organisasi)
on_admin_instansi_diperbarui = _konsumen("referensi.admin_instansi.diperbarui",
                                         "sinkro_on_admin_instansi_diperbarui", service.terapkan_admin)


def on_jadwal_harian(cloud_event: CloudEvent) -> None:
    """The daily tick (Cloud Scheduler: identity from the delivery's messageId + publishTime): fan the
    pending SKPs and predicates out in chunks, page by page, once per tick (safe to redeliver)."""
    p = bootstrap.default()
    konsumen = "sinkro_on_jadwal_harian"
    with p.delivery(cloud_event, JADWAL_SINKRO_HARIAN.name, konsumen):
        tick = p.tick(cloud_event, JADWAL_SINKRO_HARIAN.name)
        if tick is None or service.sudah_diproses(p.db, konsumen, tick.id):
            return
        service.jadwalkan_harian(p, konsumen, tick)


def on_batch_dijadwalkan(cloud_event: CloudEvent) -> None:
    """One chunk: every item checked and sent at the global rate; a redelivered chunk sends nothing twice."""
    p = bootstrap.default()
    konsumen = "sinkro_on_batch_dijadwalkan"
    with p.delivery(cloud_event, BATCH_DIJADWALKAN.name, konsumen):
        event = decode_pubsub_cloud_event(cloud_event, BATCH_DIJADWALKAN.name)
        if service.sudah_diproses(p.db, konsumen, event.id):
            return
        service.tunggu_giliran(event.data, datetime.now(timezone.utc))  # e-Kinerja's Retry-After (429/408)
        service.proses_potongan(p, event.data)
        service.tandai_diproses(p, konsumen, event)
