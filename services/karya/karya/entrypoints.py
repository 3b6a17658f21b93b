"""HTTP routes and event handlers of the Bukti Karya service (parse, call, map errors).

Every route is under /v1/karya and needs a verified belajar.id token; the
user is `ctx.user.sub`. Ownership is checked in the use cases: a karya,
account or draft of someone else answers 404 exactly like a missing one.
"""
from __future__ import annotations

from cloudevents.http import CloudEvent

from shared.batas import Batas
from shared.http import Api, Ctx

from karya import bootstrap, service
from karya.domain.karya import EmbedVideo, MetadataKarya, deskriptor_putar
from karya.tampilan import (
    AkunView,
    CallbackQuery,
    DaftarAkunView,
    DaftarKaryaView,
    DaftarQuery,
    DaftarTautanView,
    DrafView,
    GantiVideoBody,
    KaryaTerbagiView,
    KaryaView,
    OtorisasiView,
    PilihVideoBody,
    ReferensiView,
    RingkasTautanView,
    SimpanKaryaBody,
    TautanView,
    UbahKaryaBody,
    UnggahanQuery,
    UnggahanView,
    VersiQuery,
)

api = Api("karya", "karya", "Bukti Karya API",
          "Bukti Karya Saya (SRC-BUKTI-KARYA, K1-K8): import a video from the teacher's own YouTube channel, "
          "describe, play and share it by capability link.")

E404_KARYA = "karya_tidak_ditemukan (also for a karya of someone else)"
E_YT = "akun_youtube_kedaluwarsa, kuota_youtube_habis, youtube_tidak_tersedia"
# Every route that calls YouTube (or Google's OAuth token exchange) counts against both budgets.
BATAS_YOUTUBE = (Batas("youtube_menit", "batas_youtube_menit"), Batas("youtube_hari", "batas_youtube_hari"))


def handle_http(request):
    platform = bootstrap.default()
    if api.authenticate_user is None:
        platform.wire(api)
    return api.dispatch(request)


def _p() -> bootstrap.KaryaPlatform:
    return bootstrap.default()


# --- reference data ---------------------------------------------------------------------

@api.route("GET", "/referensi", response=ReferensiView, summary="Kategori, mata pelajaran, tingkat kelas, "
           "kanal berbagi (K2, K5, K7)")
def referensi(ctx: Ctx):
    return ReferensiView.semua()


# --- 1. YouTube accounts ----------------------------------------------------------------

@api.route("POST", "/youtube/otorisasi", response=OtorisasiView, status=201,
           summary="Login dengan akun YouTube: start OAuth (youtube.readonly, offline, PKCE, state) (K3)")
def mulai_otorisasi(ctx: Ctx):
    return OtorisasiView.of(service.mulai_hubungkan(_p(), ctx.user.sub, ctx.now))


@api.route("GET", "/youtube/callback", query=CallbackQuery, response=AkunView, status=201,
           batas=BATAS_YOUTUBE,
           summary="OAuth callback: code + state of the signed-in user; stores the account (K3, K4)",
           errors={400: "state_tidak_valid, login_youtube_dibatalkan, kode_otorisasi_tidak_valid",
                   403: "state_pengguna_lain, izin_youtube_tidak_diberikan", 409: "state_sudah_dipakai",
                   410: "state_kedaluwarsa (the login attempt expired; its pending request is deleted by TTL)",
                   422: "kanal_youtube_tidak_ada (with panduan_unggah)"})
def callback(ctx: Ctx):
    q = ctx.query
    return AkunView.of(service.selesaikan_hubungkan(_p(), ctx.user.sub, code=q.code, state=q.state,
                                                    error=q.error, now=ctx.now))


@api.route("GET", "/youtube/akun", response=DaftarAkunView, summary="My connected YouTube accounts (K4)")
def akun_saya(ctx: Ctx):
    return DaftarAkunView(items=[AkunView.of(a) for a in service.daftar_akun(_p(), ctx.user.sub)])


@api.route("DELETE", "/youtube/akun/<akun_id>", status=204,
           summary="Disconnect a YouTube account: its tokens are deleted and revoked (K4)",
           errors={404: "akun_youtube_tidak_ditemukan"})
def putuskan_akun(ctx: Ctx, akun_id: str):
    service.putuskan_akun(_p(), ctx.user.sub, akun_id)


@api.route("GET", "/youtube/akun/<akun_id>/video", query=UnggahanQuery, response=UnggahanView,
           batas=BATAS_YOUTUBE,
           summary="Uploads of a connected channel, 50 a page, newest first (1 quota unit) (K3)",
           errors={404: "akun_youtube_tidak_ditemukan", 403: E_YT})
def unggahan(ctx: Ctx, akun_id: str):
    akun, halaman = service.daftar_unggahan(_p(), ctx.user.sub, akun_id, ctx.query.halaman, ctx.now)
    return UnggahanView.of(akun.id, halaman, service.PANDUAN_UNGGAH)


# --- 2./3. draft, pick, save --------------------------------------------------------------

@api.route("POST", "/draf", body=PilihVideoBody, response=DrafView, status=201,
           batas=BATAS_YOUTUBE,
           summary="Pick a video of my connected channel (1 quota unit) (K3)",
           errors={404: "akun_youtube_tidak_ditemukan, video_tidak_ditemukan",
                   422: "video_bukan_milik_kanal, video_privat, video_tidak_dapat_disematkan, video_belum_diproses, "
                        "video_gagal_diproses"})
def pilih_video(ctx: Ctx):
    b = ctx.body
    return DrafView.of(service.buat_draf(_p(), ctx.user.sub, b.akun_youtube_id, b.video_id, ctx.now))


@api.route("PUT", "/draf/<draf_id>/video", body=GantiVideoBody, response=DrafView,
           batas=BATAS_YOUTUBE,
           summary="Ganti Video: swap the video of an unsaved draft (1 quota unit) (K4)",
           errors={404: "draf_tidak_ditemukan", 409: "versi_tidak_cocok"})
def ganti_video(ctx: Ctx, draf_id: str):
    return DrafView.of(service.ganti_video(_p(), ctx.user.sub, draf_id, ctx.body.video_id, ctx.body.versi, ctx.now))


@api.route("POST", "/draf/<draf_id>/simpan", body=SimpanKaryaBody, response=KaryaView, status=201,
           batas=BATAS_YOUTUBE,
           summary="Simpan Video: metadata + consent; publishes karya.karya.dipublikasikan (1 quota unit) (K5)",
           errors={404: "draf_tidak_ditemukan, video_tidak_ditemukan",
                   422: "persetujuan_wajib, judul_wajib, judul_terlalu_panjang, deskripsi_wajib, "
                        "kategori_tidak_dikenal, mata_pelajaran_tidak_dikenal, mata_pelajaran_tidak_sesuai_tingkat, "
                        "tingkat_kelas_tidak_dikenal, video_privat, ..."})
def simpan(ctx: Ctx, draf_id: str):
    metadata = MetadataKarya(**ctx.body.model_dump())
    return KaryaView.of(service.simpan_karya(_p(), ctx.user.sub, draf_id, metadata, ctx.now))


# --- 6. my works ---------------------------------------------------------------------------

@api.route("GET", "/saya", query=DaftarQuery, response=DaftarKaryaView,
           summary="Bukti Karya Saya: my works newest first, cursor pages, feedback counts (K1)",
           errors={422: "kursor_tidak_valid"})
def karya_saya(ctx: Ctx):
    h = service.daftar_karya_saya(_p(), ctx.user.sub, ctx.query.batas, ctx.query.kursor)
    return DaftarKaryaView(items=[KaryaView.of(k, c.jumlah) for k, c in h.items], kursor_berikut=h.kursor_berikut)


# --- 5. links -----------------------------------------

@api.route("GET", "/tautan/<token>", response=KaryaTerbagiView,
           summary="Open a karya through a shared link (K7, K8)",
           errors={404: "tautan_tidak_valid", 410: "tautan_dicabut"})
def buka_tautan(ctx: Ctx, token: str):
    _, karya = service.buka_tautan(_p(), token)
    return KaryaTerbagiView.of(karya, ctx.user.sub)


@api.route("POST", "/tautan/<token>/teruskan", response=TautanView, status=201,
           summary="Share a colleague's karya onward with my own link (K8)",
           errors={404: "tautan_tidak_valid", 410: "tautan_dicabut", 409: "video_tidak_tersedia"})
def teruskan(ctx: Ctx, token: str):
    p = _p()
    baru, tautan, karya = service.teruskan(p, ctx.user.sub, token, ctx.now)
    return TautanView.of(p.url_tautan, baru, tautan, karya.judul)


# --- the owner's karya ----------------------------------------------------------------------

@api.route("GET", "/saya/<karya_id>", response=KaryaView, summary="My karya (owner only) (K1)",
           errors={404: E404_KARYA})
def ambil(ctx: Ctx, karya_id: str):
    karya, hitungan = service.ambil_karya(_p(), ctx.user.sub, karya_id)
    return KaryaView.of(karya, hitungan.jumlah)


@api.route("PATCH", "/saya/<karya_id>", body=UbahKaryaBody, response=KaryaView,
           summary="Edit a karya's metadata; publishes karya.karya.diperbarui (K5)",
           errors={404: E404_KARYA, 409: "versi_tidak_cocok"})
def ubah(ctx: Ctx, karya_id: str):
    karya = service.ubah_karya(_p(), ctx.user.sub, karya_id, ctx.body.versi, ctx.body.perubahan(), ctx.now)
    return KaryaView.of(karya, service.ambil_karya(_p(), ctx.user.sub, karya_id)[1].jumlah)


@api.route("DELETE", "/saya/<karya_id>", query=VersiQuery, status=204,
           summary="Delete a karya; its links stop working; publishes karya.karya.dihapus",
           errors={404: E404_KARYA, 409: "versi_tidak_cocok"})
def hapus(ctx: Ctx, karya_id: str):
    service.hapus_karya(_p(), ctx.user.sub, karya_id, ctx.query.versi, ctx.now)


@api.route("GET", "/saya/<karya_id>/putar", response=EmbedVideo,
           summary="Play (▶): privacy-enhanced embed URL, thumbnail, duration (K6)",
           errors={404: E404_KARYA, 409: "video_tidak_tersedia"})
def putar(ctx: Ctx, karya_id: str):
    karya, _ = service.ambil_karya(_p(), ctx.user.sub, karya_id)
    return deskriptor_putar(karya)


@api.route("POST", "/saya/<karya_id>/tautan", response=TautanView, status=201,
           summary="Bagikan Karya: a new capability link with every channel's message (K7)",
           errors={404: E404_KARYA, 409: "video_tidak_tersedia"})
def bagikan(ctx: Ctx, karya_id: str):
    p = _p()
    token, tautan, karya = service.bagikan(p, ctx.user.sub, karya_id, ctx.now)
    return TautanView.of(p.url_tautan, token, tautan, karya.judul)


@api.route("GET", "/saya/<karya_id>/tautan", response=DaftarTautanView,
           summary="My karya's links and their onward shares (reach, K8)", errors={404: E404_KARYA})
def daftar_tautan(ctx: Ctx, karya_id: str):
    daftar = service.daftar_tautan(_p(), ctx.user.sub, karya_id)
    return DaftarTautanView(
        items=[RingkasTautanView(tautan_id=t.token_hash, asal=t.asal, dibuat_oleh_saya=t.dibuat_oleh == ctx.user.sub,
                                 dibuat_pada=t.dibuat_pada, dicabut=t.dicabut, jumlah_diteruskan=n)
               for t, n in daftar],
        jumlah_tautan_penerus=sum(1 for t, _ in daftar if t.asal == "penerus"))


@api.route("DELETE", "/saya/<karya_id>/tautan/<tautan_id>", status=204,
           summary="Revoke a link (owner: any; a sharer: their own); onward links of a revoked root stop too (K7)",
           errors={404: "tautan_tidak_ditemukan"})
def cabut_tautan(ctx: Ctx, karya_id: str, tautan_id: str):
    service.cabut(_p(), ctx.user.sub, karya_id, tautan_id, ctx.now)


# --- events -----------------------------------------------------------------------------------

def sapu_outbox(cloud_event: CloudEvent) -> None:
    bootstrap.default().sweep_outbox(cloud_event)


def on_umpan_balik_dikirim(cloud_event: CloudEvent) -> None:
    bootstrap.default().consume(cloud_event, "umpan_balik.umpan_balik.dikirim", "karya_on_umpan_balik_dikirim",
                                service.hitung_umpan_balik)


def periksa_video(cloud_event: CloudEvent) -> dict[str, int]:
    """Cloud Scheduler tick on `jadwal.karya.periksa` (unknown envelopes go to the dead-letter topic; a tick
    older than its period is skipped). The round stops within its time budget; the rest waits for the next."""
    p = bootstrap.default()
    with p.delivery(cloud_event, "jadwal.karya.periksa", "karya_periksa_video"):
        tick = p.tick(cloud_event, "jadwal.karya.periksa")
        if tick is None:
            return {}
        return service.periksa_video_berkala(p, tick.time)
