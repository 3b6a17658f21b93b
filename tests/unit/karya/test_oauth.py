"""Login dengan akun YouTube (K3, K4): PKCE, authorization URL, state bound
to the PMM user, single-use pending request."""
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from shared.errors import DomainError
from karya.domain.oauth import (
    SCOPE_YOUTUBE_READONLY,
    buat_code_verifier,
    buat_state,
    code_challenge_s256,
    mulai_otorisasi,
    periksa_state,
    url_otorisasi,
)
from tests.unit.karya.contoh import T0

RAHASIA = b"r" * 32
RAHASIA_BARU = b"n" * 32


def test_k3_pkce_s256_sesuai_vektor_uji_rfc7636():
    assert code_challenge_s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == (
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
    )


def test_k3_code_verifier_acak_panjang_sah():
    v = buat_code_verifier()
    assert 43 <= len(v) <= 128 and v != buat_code_verifier()
    code_challenge_s256(v)
    for buruk in ("pendek", "x" * 129, "a" * 42 + "!"):
        with pytest.raises(ValueError):
            code_challenge_s256(buruk)


def test_k3_url_otorisasi_hanya_youtube_readonly_offline_pilih_akun():
    url = url_otorisasi(
        client_id="cid", redirect_uri="https://pmm.example/cb", state="s", code_challenge="c"
    )
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://accounts.google.com/o/oauth2/v2/auth"
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert q == {
        "client_id": "cid",
        "redirect_uri": "https://pmm.example/cb",
        "response_type": "code",
        "scope": SCOPE_YOUTUBE_READONLY,
        "access_type": "offline",
        "prompt": "select_account consent",
        "state": "s",
        "code_challenge": "c",
        "code_challenge_method": "S256",
    }


def test_k3_state_pulang_pergi_untuk_pengguna_yang_sama():
    state, data = buat_state(RAHASIA, "guru-1", T0, nonce="n1")
    hasil = periksa_state(RAHASIA, state, "guru-1", T0 + timedelta(minutes=9))
    assert hasil.nonce == "n1" == data.nonce
    assert "guru-1" not in state  # the user id never goes to Google


def test_k3_state_milik_pengguna_lain_ditolak_dengan_kode_sendiri():
    state, _ = buat_state(RAHASIA, "guru-1", T0)
    with pytest.raises(DomainError) as e:
        periksa_state(RAHASIA, state, "guru-2", T0)
    assert e.value.kode == "state_pengguna_lain" and e.value.status == 403


def test_k3_state_kedaluwarsa_ditolak_dengan_kode_sendiri():
    state, _ = buat_state(RAHASIA, "guru-1", T0)
    with pytest.raises(DomainError) as e:
        periksa_state(RAHASIA, state, "guru-1", T0 + timedelta(minutes=10))
    assert e.value.kode == "state_kedaluwarsa"


@pytest.mark.parametrize("ubah", [
    lambda s: s[:-2] + ("AA" if not s.endswith("AA") else "BB"),  # signature
    lambda s: "v1." + s.split(".")[1][:-2] + "xx." + s.split(".")[2],  # payload
    lambda s: "v2" + s[2:],
    lambda s: "",
    lambda s: "v1.a.b.c",
])
def test_k3_state_dipalsukan_ditolak(ubah):
    state, _ = buat_state(RAHASIA, "guru-1", T0)
    with pytest.raises(DomainError) as e:
        periksa_state(RAHASIA, ubah(state), "guru-1", T0)
    assert e.value.kode == "state_tidak_valid"


def test_k3_state_dari_rahasia_lain_ditolak_tapi_rotasi_rahasia_diterima():
    state_lama, _ = buat_state(RAHASIA, "guru-1", T0)
    with pytest.raises(DomainError):
        periksa_state(RAHASIA_BARU, state_lama, "guru-1", T0)
    # during rotation the new secret signs, the old one still verifies
    assert periksa_state([RAHASIA_BARU, RAHASIA], state_lama, "guru-1", T0).nonce
    state_baru, _ = buat_state([RAHASIA_BARU, RAHASIA], "guru-1", T0)
    periksa_state(RAHASIA_BARU, state_baru, "guru-1", T0)


def test_k3_rahasia_terlalu_pendek_ditolak():
    with pytest.raises(ValueError):
        buat_state(b"pendek", "guru-1", T0)


def test_k3_mulai_otorisasi_menyimpan_verifier_dan_url_membawa_challenge():
    m = mulai_otorisasi(
        rahasia=RAHASIA, pengguna_id="guru-1", client_id="cid",
        redirect_uri="https://pmm.example/cb", sekarang=T0, auth_uri="http://127.0.0.1:9/authorize",
    )
    q = {k: v[0] for k, v in parse_qs(urlsplit(m.url).query).items()}
    assert m.url.startswith("http://127.0.0.1:9/authorize?")
    assert q["code_challenge"] == code_challenge_s256(m.permintaan.code_verifier)
    assert m.permintaan.code_verifier not in m.url
    assert periksa_state(RAHASIA, q["state"], "guru-1", T0).nonce == m.permintaan.nonce


def test_k3_permintaan_otorisasi_sekali_pakai_replay_ditolak():
    p = mulai_otorisasi(
        rahasia=RAHASIA, pengguna_id="guru-1", client_id="cid",
        redirect_uri="https://pmm.example/cb", sekarang=T0,
    ).permintaan
    dipakai = p.pakai("guru-1", T0 + timedelta(minutes=1))
    assert dipakai.dipakai_pada is not None
    with pytest.raises(DomainError) as e:
        dipakai.pakai("guru-1", T0 + timedelta(minutes=2))
    assert e.value.kode == "state_sudah_dipakai"
    with pytest.raises(DomainError) as e:
        p.pakai("guru-2", T0)
    assert e.value.kode == "state_pengguna_lain"
    with pytest.raises(DomainError) as e:
        p.pakai("guru-1", T0 + timedelta(minutes=11))
    assert e.value.kode == "state_kedaluwarsa"
