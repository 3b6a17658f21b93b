"""HTTP routes and event handlers of the Umpan Balik service (parse, call, map errors).

Every route needs a belajar.id bearer token; the caller is always `ctx.user.sub`
(and `ctx.user.email` only to look up their role in the Dapodik mirror).
"""
from __future__ import annotations

from typing import Any

import flask
from cloudevents.http import CloudEvent

from shared.errors import NotFound
from shared.http import Api, Ctx
from umpan_balik import bootstrap, service
from umpan_balik.domain import analisa as analisa_domain
from umpan_balik.domain.validasi import UmpanBalikMasuk
from umpan_balik.tampilan import (AnalisaView, DaftarNotifikasiView, DaftarUmpanBalikView, Halaman, KirimView,
                                  KuesionerKaryaView, NotifikasiDibukaView, NotifikasiView, UmpanBalikView)

api = Api("umpan_balik", "umpan-balik", "Umpan Balik API",
          "Feedback on a colleague's karya through its link: questionnaire per kategori, responses, "
          "suggestions, moderation, the owner's notifications and questionnaire analysis (U1-U5, K8).")

_VALIDASI = "permintaan_tidak_valid, jawaban_wajib_kosong, pilihan_tidak_valid, pertanyaan_tidak_dikenal, " \
            "tanggapan_tidak_dikenal, tanggapan_wajib_kosong, saran_wajib_kosong, teks_terlalu_panjang, " \
            "teks_mengandung_sara, teks_mengandung_ujaran_kebencian"


def _p():
    return bootstrap.default()


def handle_http(request):
    platform = bootstrap.default()
    if api.authenticate_user is None:
        platform.wire(api)
    return api.dispatch(request)


# --- link holders (U1-U3, K7, K8): the raw share-link token is the capability (only its sha256 is
# mirrored from karya's `karya.tautan.*` events); unknown link 404, revoked link or root 410.
_TAUTAN = "tautan_tidak_valid, karya_tidak_ditemukan"


@api.route("GET", "/tautan/<token>/kuesioner", response=KuesionerKaryaView,
           summary="Kuesioner of the karya behind a share link: the current questionnaire of its kategori (U2)",
           errors={404: f"{_TAUTAN}, kuesioner_kategori_tidak_dikenal", 410: "tautan_dicabut"})
def kuesioner_karya(ctx: Ctx, token: str):
    return KuesionerKaryaView.of(service.ambil_kuesioner(_p(), ctx.user.sub, token))


@api.route("POST", "/tautan/<token>/umpan-balik", body=UmpanBalikMasuk, response=KirimView, status=201,
           summary="Kirim Umpan Balik through a share link (U1, U3): 201 new; 200 with the existing one when "
                   "already sent",
           errors={404: _TAUTAN, 410: "tautan_dicabut", 403: "pemilik_tidak_dapat_memberi_umpan_balik",
                   409: "versi_kuesioner_tidak_cocok", 422: _VALIDASI})
def kirim(ctx: Ctx, token: str):
    ub, baru = service.kirim_umpan_balik(_p(), ctx.user.sub, ctx.user.email, token, ctx.body, ctx.now)
    view = KirimView(baru=baru, umpan_balik=UmpanBalikView.of(ub, ctx.user.sub, untuk_pemilik=False))
    return flask.Response(view.model_dump_json(), status=201 if baru else 200, mimetype="application/json")


@api.route("GET", "/tautan/<token>/umpan-balik", query=Halaman, response=DaftarUmpanBalikView,
           summary="Umpan balik yang dapat dilihat rekan pemegang tautan (U3), terbaru dahulu",
           errors={404: _TAUTAN, 410: "tautan_dicabut", 422: "kursor_tidak_valid"})
def umpan_balik_karya(ctx: Ctx, token: str):
    karya, items, berikut = service.daftar_umpan_balik_tautan(_p(), ctx.user.sub, token, ctx.query.batas,
                                                              ctx.query.kursor)
    return DaftarUmpanBalikView.of(karya, items, berikut, ctx.user.sub, untuk_pemilik=False)


# --- the owner (U4, U5)
@api.route("GET", "/notifikasi", query=Halaman, response=DaftarNotifikasiView,
           summary="Notifikasi umpan balik saya, terbaru dahulu, with the unread count (U4)",
           errors={422: "kursor_tidak_valid"})
def notifikasi(ctx: Ctx):
    items, belum, berikut = service.daftar_notifikasi(_p(), ctx.user.sub, ctx.query.batas, ctx.query.kursor)
    return DaftarNotifikasiView(belum_dibaca=belum, items=[NotifikasiView.of(n) for n in items],
                                kursor_berikut=berikut)


@api.route("POST", "/notifikasi/<notifikasi_id>/buka", response=NotifikasiDibukaView,
           summary="Buka notifikasi: marks it read and returns the feedback (U4)",
           errors={404: "notifikasi_tidak_ditemukan, karya_tidak_ditemukan, umpan_balik_tidak_ditemukan"})
def buka_notifikasi(ctx: Ctx, notifikasi_id: str):
    n, ub = service.buka_notifikasi(_p(), ctx.user.sub, notifikasi_id, ctx.now)
    return NotifikasiDibukaView(notifikasi=NotifikasiView.of(n),
                                umpan_balik=UmpanBalikView.of(ub, ctx.user.sub, untuk_pemilik=True))


@api.route("GET", "/saya/karya/<karya_id>/umpan-balik", query=Halaman, response=DaftarUmpanBalikView,
           summary="Tanggapan dan saran tiap rekan guru dan kepala sekolah, with their role (U5)",
           errors={404: "karya_tidak_ditemukan", 422: "kursor_tidak_valid"})
def umpan_balik_saya(ctx: Ctx, karya_id: str):
    karya, items, berikut = service.daftar_umpan_balik(_p(), ctx.user.sub, karya_id, ctx.query.batas,
                                                       ctx.query.kursor, sebagai_pemilik=True)
    return DaftarUmpanBalikView.of(karya, items, berikut, ctx.user.sub, untuk_pemilik=True)


@api.route("GET", "/saya/karya/<karya_id>/analisa", response=AnalisaView,
           summary="Lihat Analisa Kuesioner: count and percent of every answer, per version (U5)",
           errors={404: "karya_tidak_ditemukan"})
def analisa(ctx: Ctx, karya_id: str):
    karya, versi = service.analisa_karya(_p(), ctx.user.sub, karya_id)
    return AnalisaView.of(api.prefix, karya, versi)


@api.route("GET", "/saya/karya/<karya_id>/analisa/<kuesioner_id>/<pertanyaan_id>/diagram",
           summary="Pie chart of one question as an accessible SVG (image/svg+xml) (U5)",
           errors={404: "karya_tidak_ditemukan, pertanyaan_tidak_ditemukan"})
def diagram(ctx: Ctx, karya_id: str, kuesioner_id: str, pertanyaan_id: str):
    karya, versi = service.analisa_karya(_p(), ctx.user.sub, karya_id)
    for v in versi:
        if v.analisa.kuesioner_id != kuesioner_id:
            continue
        for q in v.analisa.pertanyaan:
            if q.pertanyaan_id == pertanyaan_id:
                svg = analisa_domain.diagram_pie_svg(q)
                return flask.Response(svg, status=200, mimetype="image/svg+xml",
                                      headers={"Cache-Control": "private, no-cache",
                                               "X-Content-Type-Options": "nosniff"})
    raise NotFound("pertanyaan_tidak_ditemukan", "Pertanyaan ini tidak ada pada kuesioner karya tersebut.",
                   kuesioner_id=kuesioner_id, pertanyaan_id=pertanyaan_id)


# --- event handlers
def _consume(cloud_event: CloudEvent, topic: str, function: str, effect: Any, platform=None) -> str:
    return (platform or bootstrap.default()).consume(cloud_event, topic, function, effect)


def on_karya_dipublikasikan(cloud_event: CloudEvent, platform=None) -> str:
    return _consume(cloud_event, "karya.karya.dipublikasikan", "umpan_balik_on_karya_dipublikasikan",
                    service.terapkan_karya, platform)


def on_karya_diperbarui(cloud_event: CloudEvent, platform=None) -> str:
    return _consume(cloud_event, "karya.karya.diperbarui", "umpan_balik_on_karya_diperbarui",
                    service.terapkan_karya, platform)


def on_karya_dihapus(cloud_event: CloudEvent, platform=None) -> str:
    return _consume(cloud_event, "karya.karya.dihapus", "umpan_balik_on_karya_dihapus",
                    service.terapkan_karya_dihapus, platform)


def on_tautan_dibuat(cloud_event: CloudEvent, platform=None) -> str:
    return _consume(cloud_event, "karya.tautan.dibuat", "umpan_balik_on_tautan_dibuat",
                    service.terapkan_tautan_dibuat, platform)


def on_tautan_dicabut(cloud_event: CloudEvent, platform=None) -> str:
    return _consume(cloud_event, "karya.tautan.dicabut", "umpan_balik_on_tautan_dicabut",
                    service.terapkan_tautan_dicabut, platform)


def on_ptk_diperbarui(cloud_event: CloudEvent, platform=None) -> str:
    return _consume(cloud_event, "referensi.ptk.diperbarui", "umpan_balik_on_ptk_diperbarui",
                    service.terapkan_ptk, platform)


def on_umpan_balik_dikirim(cloud_event: CloudEvent, platform=None) -> str:
    return _consume(cloud_event, service.TOPIK_DIKIRIM, "umpan_balik_on_umpan_balik_dikirim",
                    service.catat_umpan_balik_dikirim, platform)


def sapu_outbox(cloud_event: CloudEvent) -> None:
    bootstrap.default().sweep_outbox(cloud_event)
