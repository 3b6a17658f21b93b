"""Bearer tokens are verified (signature, issuer, audience, expiry, domain) by the
production code path; partner keys are stored hashed and compared in constant time."""
import time

import flask
import pytest

from local.identity import certs_document, ensure_key, mint
from shared.errors import DomainError, Unauthenticated
from shared.identity import ApiKeyVerifier, TokenVerifier, hash_api_key, new_api_key, parse_hashed_keys

ISS, AUD = "http://issuer.test", "pmm-uji"


@pytest.fixture(scope="module")
def keydir(tmp_path_factory):
    d = tmp_path_factory.mktemp("issuer")
    ensure_key(d)
    return d


@pytest.fixture
def verifier(keydir):
    return TokenVerifier(ISS, AUD, "http://certs.test", "belajar.id", fetch=lambda url: certs_document(keydir))


def test_valid_token_gives_principal(keydir, verifier):
    token = mint(keydir, ISS, "guru-1", "guru1@belajar.id", AUD)
    with flask.Flask("x").test_request_context(headers={"Authorization": f"Bearer {token}"}):
        p = verifier.principal(flask.request)
    assert p.sub == "guru-1" and p.email == "guru1@belajar.id"


@pytest.mark.parametrize("kwargs,kode", [
    ({"audience": "aplikasi-lain"}, "token_tidak_valid"),
    ({"now": time.time() - 7200}, "token_kedaluwarsa"),
    ({"hd": "gmail.com"}, "token_tidak_valid"),
    ({"hd": None}, "token_tidak_valid"),
])
def test_wrong_audience_expired_or_wrong_domain_is_refused(keydir, verifier, kwargs, kode):
    token = mint(keydir, ISS, "guru-1", **kwargs)
    with pytest.raises(Unauthenticated) as info:
        verifier.verify(token)
    assert info.value.kode == kode


def test_wrong_issuer_is_refused(keydir, verifier):
    with pytest.raises(Unauthenticated, match="token_tidak_valid"):
        verifier.verify(mint(keydir, "http://penipu.test", "guru-1", audience=AUD))


def test_token_signed_by_another_key_is_refused(tmp_path, verifier):
    other = tmp_path / "lain"
    forged = mint(other, ISS, "guru-1", audience=AUD)  # same kid, different key
    with pytest.raises(Unauthenticated, match="token_tidak_valid"):
        verifier.verify(forged)


@pytest.mark.parametrize("header", ["", "Basic abc", "Bearer ", "Bearer bukan.token.jwt"])
def test_missing_or_garbage_authorization_is_401(verifier, header):
    with flask.Flask("x").test_request_context(headers={"Authorization": header} if header else {}):
        with pytest.raises(Unauthenticated) as info:
            verifier.principal(flask.request)
    assert info.value.status == 401


def test_api_keys_are_hashed_and_checked():
    key = new_api_key()
    stored = parse_hashed_keys(f"ekinerja={hash_api_key(key, 'garam')}")
    assert key not in stored.values()
    verifier = ApiKeyVerifier(stored, "garam")
    assert verifier.partner_for(key) == "ekinerja"
    assert verifier.partner_for(key + "x") is None
    with flask.Flask("x").test_request_context(headers={"x-api-key": "salah"}):
        with pytest.raises(DomainError) as info:
            verifier.principal(flask.request)
    assert info.value.extra["nomor_galat"] == 6 and info.value.status == 401


def test_token_forwarded_by_api_gateway_is_used_and_verified(keydir, verifier):
    token = mint(keydir, ISS, "guru-2", audience=AUD)
    gateway_identity = "Bearer eyJ.gateway.token"
    headers = {"Authorization": gateway_identity, "X-Forwarded-Authorization": f"Bearer {token}"}
    with flask.Flask("x").test_request_context(headers=headers):
        assert verifier.principal(flask.request).sub == "guru-2"
    forged = {"X-Forwarded-Authorization": "Bearer " + mint(keydir, ISS, "guru-2", audience="lain")}
    with flask.Flask("x").test_request_context(headers=forged):
        with pytest.raises(Unauthenticated):
            verifier.principal(flask.request)
