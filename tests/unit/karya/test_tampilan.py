"""Pure pieces of the API layer: share views, the link holder's view and
the list cursor (K1, K7, K8). No I/O."""
import pytest

from shared.errors import DomainError
from karya import service
from karya.domain.berbagi import buat_tautan_pemilik
from karya.tampilan import KaryaTerbagiView, KaryaView, SimpanKaryaBody, TautanView, UbahKaryaBody
from tests.unit.karya.contoh import T0, karya_contoh


def test_k7_tautan_view_memberi_pesan_untuk_setiap_kanal_dan_hanya_hash_sebagai_id():
    k = karya_contoh()
    token, tautan = buat_tautan_pemilik(k, "guru-1", T0)
    v = TautanView.of("https://guru.kemdikbud.go.id/bukti-karya/t", token, tautan, k.judul)
    assert [m.kanal for m in v.pesan] == ["whatsapp", "telegram", "facebook", "x", "email", "salin_tautan"]
    assert v.tautan.endswith("/" + token) and v.tautan_id == tautan.token_hash != token
    assert all(v.tautan in m.teks for m in v.pesan)


def test_k7_pemegang_tautan_tidak_melihat_identitas_atau_akun_pemilik():
    k = karya_contoh()
    v = KaryaTerbagiView.of(k, "guru-2").model_dump()
    assert "pemilik_id" not in v and "akun_youtube_id" not in v and v["milik_saya"] is False
    assert v["putar"]["url_embed"].startswith("https://www.youtube-nocookie.com/embed/")
    assert KaryaTerbagiView.of(k, "guru-1").milik_saya is True


def test_k6_karya_tidak_tersedia_tidak_punya_pemutar():
    k = karya_contoh().perbarui_ketersediaan(None, T0)
    assert KaryaView.of(k).putar is None and KaryaView.of(k).alasan_tidak_tersedia == ["video_tidak_ditemukan"]


def test_k1_kursor_bolak_balik_dan_kursor_rusak_ditolak():
    k = service.KaryaTersimpan(**karya_contoh().model_dump(), urutan=123)
    assert service._baca_kursor(service._kursor(k)) == (123, k.id)
    for rusak in ("rusak", "W10", "WyJhIiwxXQ"):  # not base64 JSON, [], ["a", 1]
        with pytest.raises(DomainError) as e:
            service._baca_kursor(rusak)
        assert e.value.kode == "kursor_tidak_valid"


def test_k5_isian_tidak_dikenal_ditolak_di_tepi():
    with pytest.raises(ValueError):
        SimpanKaryaBody.model_validate({"judul": "a", "pemilik_id": "orang-lain"})
    assert UbahKaryaBody(versi=1, judul="Baru").perubahan() == {"judul": "Baru"}
