"""Bagikan Karya: share channels and message templates (K7), capability
links stored as hashes, onward sharing by link holders (K8)."""
import hashlib
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from shared.errors import DomainError
from karya.domain.berbagi import (
    buat_tautan_pemilik,
    buat_token,
    cabut_tautan,
    daftar_kanal_berbagi,
    hash_token,
    pesan_berbagi,
    periksa_tautan,
    tautan_karya,
    teruskan_tautan,
)
from tests.unit.karya.contoh import T0, karya_contoh, video

TAUTAN = "https://guru.kemdikbud.go.id/bukti-karya/t/abc_DEF-123"
JUDUL = 'Pecahan & "Kue" #1?'


def test_k7_token_acak_256_bit_url_safe_dan_unik():
    tokens = {buat_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(t) == 43 and all(c.isalnum() or c in "-_" for c in t) for t in tokens)


def test_k7_yang_disimpan_hanya_hash_sha256_bukan_token():
    token, tautan = buat_tautan_pemilik(karya_contoh(), "guru-1", T0)
    assert tautan.token_hash == hashlib.sha256(token.encode()).hexdigest() == hash_token(token)
    assert token not in tautan.model_dump_json()
    assert (tautan.asal, tautan.akar_hash, tautan.induk_hash) == ("pemilik", tautan.token_hash, None)


def test_k1_k7_hanya_pemilik_membuat_tautan_pemilik():
    with pytest.raises(DomainError) as e:
        buat_tautan_pemilik(karya_contoh(), "guru-2", T0)
    assert e.value.kode == "karya_tidak_ditemukan"


def test_k7_karya_dengan_video_tidak_tersedia_tidak_dapat_dibagikan():
    k = karya_contoh().perbarui_ketersediaan(video(privasi="private"), T0)
    with pytest.raises(DomainError) as e:
        buat_tautan_pemilik(k, "guru-1", T0)
    assert e.value.kode == "video_tidak_tersedia"


def test_k7_url_tautan_memuat_token_dan_menolak_http_non_lokal():
    assert tautan_karya("https://guru.kemdikbud.go.id/bukti-karya/t/", "tok") == (
        "https://guru.kemdikbud.go.id/bukti-karya/t/tok"
    )
    with pytest.raises(ValueError):
        tautan_karya("http://contoh.id/t", "tok")


def test_k7_enam_kanal_berbagi_berurutan():
    assert [k.kode for k in daftar_kanal_berbagi()] == [
        "whatsapp", "telegram", "facebook", "x", "email", "salin_tautan",
    ]


def _q(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query, keep_blank_values=True).items()}


def test_k7_whatsapp_teks_dengan_tautan_terenkode():
    p = pesan_berbagi("whatsapp", JUDUL, TAUTAN)
    assert p.url_berbagi.startswith("https://wa.me/?text=")
    assert "&" not in p.url_berbagi.split("?text=")[1] and " " not in p.url_berbagi
    teks = _q(p.url_berbagi)["text"]
    assert teks.endswith("\n" + TAUTAN) and f'"{JUDUL}"' in teks
    assert "Platform Merdeka Mengajar" in teks


def test_k7_telegram_url_dan_teks_terpisah():
    q = _q(pesan_berbagi("telegram", JUDUL, TAUTAN).url_berbagi)
    assert q["url"] == TAUTAN and TAUTAN not in q["text"] and JUDUL in q["text"]


def test_k7_facebook_hanya_tautan():
    p = pesan_berbagi("facebook", JUDUL, TAUTAN)
    assert p.url_berbagi.startswith("https://www.facebook.com/sharer/sharer.php?u=")
    assert _q(p.url_berbagi) == {"u": TAUTAN}


def test_k7_x_intent_post():
    p = pesan_berbagi("x", JUDUL, TAUTAN)
    assert p.url_berbagi.startswith("https://x.com/intent/post?")
    q = _q(p.url_berbagi)
    assert q["url"] == TAUTAN and JUDUL in q["text"]


def test_k7_email_mailto_subjek_dan_isi_dengan_spasi_persen_20():
    p = pesan_berbagi("email", JUDUL, TAUTAN)
    assert p.url_berbagi.startswith("mailto:?subject=")
    assert "+" not in p.url_berbagi and "%20" in p.url_berbagi
    subjek, isi = p.url_berbagi[len("mailto:?subject="):].split("&body=")
    assert unquote(subjek) == f'Karya "{JUDUL}" di Platform Merdeka Mengajar'
    assert unquote(isi).endswith(TAUTAN)


def test_k7_salin_tautan_tanpa_url_dan_teks_memuat_tautan():
    p = pesan_berbagi("salin_tautan", JUDUL, TAUTAN)
    assert p.url_berbagi is None and p.teks.endswith(TAUTAN) and p.tautan == TAUTAN


def test_k7_kanal_tidak_dikenal():
    with pytest.raises(DomainError) as e:
        pesan_berbagi("instagram", JUDUL, TAUTAN)
    assert e.value.kode == "kanal_berbagi_tidak_dikenal"


def test_k8_templat_berbeda_untuk_berbagi_karya_rekan():
    assert "karya saya" in pesan_berbagi("whatsapp", "J", TAUTAN, "pemilik").teks
    assert "karya rekan guru" in pesan_berbagi("whatsapp", "J", TAUTAN, "penerus").teks


def test_k8_pemegang_tautan_dapat_meneruskan_dengan_tautan_sendiri():
    k = karya_contoh()
    _, akar = buat_tautan_pemilik(k, "guru-1", T0)
    token2, t2 = teruskan_tautan(akar, akar, k, "guru-2", T0)
    _, t3 = teruskan_tautan(t2, akar, k, "guru-3", T0)
    assert t2.token_hash == hash_token(token2) != akar.token_hash
    assert (t2.asal, t2.dibuat_oleh, t2.induk_hash, t2.akar_hash) == ("penerus", "guru-2", akar.token_hash, akar.token_hash)
    assert (t3.induk_hash, t3.akar_hash) == (t2.token_hash, akar.token_hash)
    assert periksa_tautan(t3, akar) is t3


def test_k8_mencabut_tautan_akar_mematikan_semua_tautan_terusan():
    k = karya_contoh()
    _, akar = buat_tautan_pemilik(k, "guru-1", T0)
    _, t2 = teruskan_tautan(akar, akar, k, "guru-2", T0)
    akar_dicabut = cabut_tautan(akar, k, "guru-1", T0 + timedelta(hours=1))
    for t in (akar_dicabut, t2):
        with pytest.raises(DomainError) as e:
            periksa_tautan(t, akar_dicabut)
        assert e.value.kode == "tautan_dicabut" and e.value.status == 410
    with pytest.raises(DomainError) as e:
        teruskan_tautan(t2, akar_dicabut, k, "guru-3", T0)
    assert e.value.kode == "tautan_dicabut"


def test_k8_pembuat_terusan_boleh_mencabut_tautannya_orang_lain_tidak():
    k = karya_contoh()
    _, akar = buat_tautan_pemilik(k, "guru-1", T0)
    _, t2 = teruskan_tautan(akar, akar, k, "guru-2", T0)
    assert cabut_tautan(t2, k, "guru-2", T0).dicabut
    assert cabut_tautan(t2, k, "guru-1", T0).dicabut_oleh == "guru-1"
    with pytest.raises(DomainError) as e:
        cabut_tautan(t2, k, "guru-3", T0)
    assert e.value.kode == "bukan_pembuat_tautan" and e.value.status == 403
    with pytest.raises(DomainError):
        cabut_tautan(akar, k, "guru-2", T0)


def test_k7_tautan_tidak_dikenal_atau_akar_salah_tidak_valid():
    k = karya_contoh()
    _, a = buat_tautan_pemilik(k, "guru-1", T0)
    _, b = buat_tautan_pemilik(k, "guru-1", T0)
    for tautan, akar in ((None, a), (a, None), (a, b)):
        with pytest.raises(DomainError) as e:
            periksa_tautan(tautan, akar)
        assert e.value.kode == "tautan_tidak_valid"
