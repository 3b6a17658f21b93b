"""Bearer tokens are verified (signature, issuer, audience, expiry, domain, verified e-mail) by the
production code path; partner keys are stored hashed and compared in constant time."""
import time

import flask
import pytest

from werkzeug.serving import make_server

from local.identity import certs_app, certs_document, ensure_key, mint
from shared.errors import DomainError, Unauthenticated
from shared.identity import ApiKeyVerifier, TokenVerifier, hash_api_key, new_api_key, parse_hashed_keys
from shared.platform import Platform
from shared.settings import Settings, SettingsError, load_settings
from tests.support import serve_in_thread

ISS, AUD = "http://issuer.test", "pmm-uji"


@pytest.fixture(scope="module")
def keydir(tmp_path_factory):
    d = tmp_path_factory.mktemp("issuer")
    ensure_key(d)
    return d


@pytest.fixture
def verifier(keydir):
    return TokenVerifier(ISS, AUD, "http://certs.test", "belajar.id", fetch=lambda url: (certs_document(keydir), 3600))


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


# --- several client ids (web + Android): PMM_AUTH_AUDIENCE lists them, comma-separated
WEB, ANDROID = "1-web.apps.googleusercontent.com", "1-android.apps.googleusercontent.com"
GOOGLE = "https://accounts.google.com"


@pytest.fixture(scope="module")
def certs_url(keydir):
    """The key dir's certificates over real HTTP, as the development issuer serves them."""
    with serve_in_thread(make_server("127.0.0.1", 0, certs_app(keydir), threaded=True)) as url:
        yield url + "/oauth2/v1/certs"


@pytest.fixture
def verifier_from_env(monkeypatch, certs_url):
    """The verifier production builds: Platform from Settings from the environment."""
    def build(audience: str, issuer: str = GOOGLE) -> TokenVerifier:
        monkeypatch.setenv("PMM_SERVICE", "kinerja")
        monkeypatch.setenv("PMM_AUTH_ISSUER", issuer)
        monkeypatch.setenv("PMM_AUTH_AUDIENCE", audience)
        monkeypatch.setenv("PMM_AUTH_CERTS_URL", certs_url)
        monkeypatch.setenv("PMM_AUTH_HOSTED_DOMAIN", "belajar.id")
        return Platform(load_settings(Settings)).verifier
    return build


def test_comma_separated_client_ids_each_accepted_others_refused(keydir, verifier_from_env):
    """Production sets two client ids (web, Android); each one's tokens are accepted."""
    verifier = verifier_from_env(f"{WEB},{ANDROID}")
    for aud in (WEB, ANDROID):
        assert verifier.verify(mint(keydir, GOOGLE, "g-1", "g1@belajar.id", aud))["aud"] == aud
    with pytest.raises(Unauthenticated, match="token_tidak_valid"):
        verifier.verify(mint(keydir, GOOGLE, "g-1", "g1@belajar.id", f"{WEB},{ANDROID}"))
    with pytest.raises(Unauthenticated, match="token_tidak_valid"):
        verifier.verify(mint(keydir, GOOGLE, "g-1", "g1@belajar.id", "2-lain.apps.googleusercontent.com"))


@pytest.mark.parametrize("raw,parsed", [
    ("pmm-lokal", ("pmm-lokal",)),
    (f"{WEB},{ANDROID}", (WEB, ANDROID)),
    (f" {WEB} , {ANDROID} ", (WEB, ANDROID)),
])
def test_audience_setting_is_a_list_from_a_comma_separated_variable(monkeypatch, raw, parsed):
    monkeypatch.setenv("PMM_SERVICE", "kinerja")
    monkeypatch.setenv("PMM_AUTH_AUDIENCE", raw)
    assert load_settings(Settings).auth_audience == parsed


@pytest.mark.parametrize("raw", ["", f"{WEB},", f'["{WEB}"]', f"{WEB} {ANDROID}", f"{WEB},{WEB}"])
def test_malformed_audience_stops_the_start_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("PMM_SERVICE", "kinerja")
    monkeypatch.setenv("PMM_AUTH_AUDIENCE", raw)
    with pytest.raises(SettingsError, match="PMM_AUTH_AUDIENCE"):
        load_settings(Settings)


@pytest.mark.parametrize("configured", [GOOGLE, "accounts.google.com"])
@pytest.mark.parametrize("iss", [GOOGLE, "accounts.google.com"])
def test_both_google_issuer_spellings_are_google(keydir, verifier_from_env, configured, iss):
    verifier = verifier_from_env(WEB, issuer=configured)
    assert verifier.verify(mint(keydir, iss, "g-1", "g1@belajar.id", WEB))["iss"] == iss


def test_other_issuers_get_no_alternative_spelling(keydir, verifier):
    with pytest.raises(Unauthenticated, match="token_tidak_valid"):
        verifier.verify(mint(keydir, "issuer.test", "guru-1", audience=AUD))
    with pytest.raises(Unauthenticated, match="token_tidak_valid"):
        verifier.verify(mint(keydir, "accounts.google.com", "guru-1", audience=AUD))


# --- a verified e-mail: callers are identified by it
@pytest.mark.parametrize("extra", [{"email_verified": False}, {"email_verified": "false"}, {"email_verified": None}])
def test_unverified_email_is_refused_with_its_own_kode(keydir, verifier, extra):
    token = mint(keydir, ISS, "guru-1", "guru1@belajar.id", AUD, extra=extra)
    with pytest.raises(Unauthenticated) as info:
        verifier.verify(token)
    assert info.value.kode == "email_belum_terverifikasi" and info.value.status == 401
    assert "terverifikasi" in info.value.pesan


def test_dev_issuer_marks_the_email_verified_by_default(keydir, verifier):
    claims = verifier.verify(mint(keydir, ISS, "guru-1", "guru1@belajar.id", AUD))
    assert claims["email_verified"] is True
    with pytest.raises(Unauthenticated, match="email_belum_terverifikasi"):
        verifier.verify(mint(keydir, ISS, "guru-1", "guru1@belajar.id", AUD, email_verified=False))


def test_token_without_email_needs_no_verification_claim(keydir, verifier):
    assert "email" not in verifier.verify(mint(keydir, ISS, "guru-1", audience=AUD))


# --- PMM_ENV has no default: `local` would switch on the test-only time override
def test_missing_environment_stops_the_start_naming_it(monkeypatch):
    monkeypatch.setenv("PMM_SERVICE", "kinerja")
    monkeypatch.delenv("PMM_ENV", raising=False)
    with pytest.raises(SettingsError) as info:
        load_settings(Settings)
    assert "PMM_ENV" in str(info.value) and "deployment stage" in str(info.value)
