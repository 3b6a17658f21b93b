"""The per-process access-token cache of karya (pure)."""
from datetime import datetime, timedelta, timezone

from karya.adapters.youtube import CacheToken, TokenTersimpan

T = datetime(2026, 1, 1, tzinfo=timezone.utc)


def token(menit: int) -> TokenTersimpan:
    return TokenTersimpan(refresh_token="r", access_token="a", kedaluwarsa_pada=T + timedelta(minutes=menit))


def test_hit_only_for_the_same_ciphertext_and_while_the_token_has_time_left():
    c = CacheToken()
    c.simpan("akun", "sidik-1", token(60))
    assert c.ambil("akun", "sidik-1", T).access_token.get_secret_value() == "a"
    assert c.ambil("akun", "sidik-2", T) is None
    hampir = c.ambil("akun", "sidik-1", T + timedelta(minutes=56))      # < 5 min left: refresh token only
    assert hampir.access_token is None and hampir.refresh_token.get_secret_value() == "r"


def test_bounded_lru_and_delete():
    c = CacheToken(maks=2)
    for i in range(3):
        c.simpan(f"a{i}", "s", token(60))
    assert c.ambil("a0", "s", T) is None and c.ambil("a2", "s", T) is not None
    c.hapus("a2")
    assert c.ambil("a2", "s", T) is None
