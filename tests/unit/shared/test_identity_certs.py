"""The verifier's certificates over real HTTP from an endpoint that fails, flaps and rotates keys:
cached certificates keep serving for their own lifetime (Cache-Control max-age), unknown key ids
and failures do not turn into a fetch per request, and no request waits behind another's fetch
unless it needs its result. Time is a clock the test moves; nothing here sleeps."""
from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from google.auth import crypt
from google.auth import jwt as gjwt
from werkzeug.serving import make_server

from local.identity import ensure_key
from shared.errors import DomainError, Unauthenticated
from shared.identity import (FAILED_FETCH_RETRY_SECONDS, UNKNOWN_KID_REFETCH_SECONDS, CertificateCache,
                             TokenVerifier)
from tests.support import serve_in_thread

ISS, AUD = "http://issuer.test", "pmm-uji"
WAIT = 30  # a guard against a hung test, never a measured duration


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class CertsEndpoint:
    """A certificate endpoint the test steers: which keys, max-age, Age, failing, or held until released."""

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.max_age: int | None = 100
        self.age = 0
        self.status = 200
        self.body: bytes | None = None
        self.requests = 0
        self.hold: threading.Event | None = None
        self.arrived = threading.Event()

    def __call__(self, environ, start_response):
        self.requests += 1
        self.arrived.set()
        if self.hold is not None:
            assert self.hold.wait(WAIT)
        if self.status != 200:
            start_response(f"{self.status} Gagal", [("Content-Type", "text/plain")])
            return [b"gagal"]
        body = self.body if self.body is not None else json.dumps(self.keys).encode()
        headers = [("Content-Type", "application/json")]
        if self.max_age is not None:
            headers.append(("Cache-Control", f"public, max-age={self.max_age}, must-revalidate, no-transform"))
            headers.append(("Age", str(self.age)))
        start_response("200 OK", headers)
        return [body]


class Key:
    def __init__(self, directory, kid: str) -> None:
        key_path, cert_path = ensure_key(directory)
        self.kid, self.cert = kid, cert_path.read_text()
        self.signer = crypt.RSASigner.from_string(key_path.read_text(), key_id=kid)

    def token(self, sub: str = "guru-1") -> str:
        now = int(time.time())
        return gjwt.encode(self.signer, {"iss": ISS, "aud": AUD, "sub": sub, "iat": now, "exp": now + 600}).decode()


@pytest.fixture(scope="module")
def keys(tmp_path_factory):
    return {kid: Key(tmp_path_factory.mktemp(kid), kid) for kid in ("k1", "k2", "palsu")}


@pytest.fixture
def endpoint(keys):
    ep = CertsEndpoint()
    ep.keys = {"k1": keys["k1"].cert}
    with serve_in_thread(make_server("127.0.0.1", 0, ep, threaded=True)) as url:
        ep.url = url + "/oauth2/v1/certs"
        yield ep
        if ep.hold is not None:
            ep.hold.set()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def verifier(endpoint, clock):
    return TokenVerifier(ISS, AUD, endpoint.url, clock=clock)


def unavailable(verifier, token) -> DomainError:
    with pytest.raises(DomainError) as info:
        verifier.verify(token)
    assert info.value.status == 503 and info.value.kode == "verifikasi_token_tidak_tersedia", info.value
    return info.value


def test_fresh_certificates_are_fetched_once(verifier, endpoint, keys, clock):
    for _ in range(5):
        assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"
        clock.now += 10
    assert endpoint.requests == 1


def test_a_failing_refresh_serves_the_cached_certificates_until_their_max_age(verifier, endpoint, keys, clock):
    verifier.verify(keys["k1"].token())
    endpoint.status = 500
    clock.now += 60  # past half the max-age (100 s): a refresh is due, and fails
    assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"
    assert endpoint.requests == 2
    clock.now += 1  # within the retry interval: no fetch per request while the endpoint is down
    assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"
    assert endpoint.requests == 2
    clock.now += FAILED_FETCH_RETRY_SECONDS
    assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"
    assert endpoint.requests == 3
    clock.now = 1000 + 100  # the certificates' own lifetime is over: nothing is trusted any more
    unavailable(verifier, keys["k1"].token())
    clock.now += 1  # answered from the failure just recorded, without asking again
    unavailable(verifier, keys["k1"].token())
    assert endpoint.requests == 4
    endpoint.status = 200
    clock.now += FAILED_FETCH_RETRY_SECONDS
    assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"
    assert endpoint.requests == 5


def test_a_flapping_endpoint_is_healed_by_the_next_successful_refresh(verifier, endpoint, keys, clock):
    verifier.verify(keys["k1"].token())
    for step in range(6):
        endpoint.status = 503 if step % 2 == 0 else 200
        clock.now += 55  # every step is past half of the lifetime of the last good response
        assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"
    assert endpoint.requests == 7


def test_max_age_less_age_is_the_lifetime(verifier, endpoint, keys, clock):
    endpoint.max_age, endpoint.age = 100, 80  # a cache answered with a copy 80 s old: 20 s left
    verifier.verify(keys["k1"].token())
    endpoint.status = 500
    clock.now += 19
    assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"
    clock.now += 2
    unavailable(verifier, keys["k1"].token())


def test_unknown_kid_fetches_at_most_once_per_interval(verifier, endpoint, keys, clock):
    verifier.verify(keys["k1"].token())
    for _ in range(20):  # a forged key id right after a fetch: refused from the cache
        with pytest.raises(Unauthenticated, match="token_tidak_valid"):
            verifier.verify(keys["palsu"].token())
    assert endpoint.requests == 1
    clock.now += UNKNOWN_KID_REFETCH_SECONDS
    for _ in range(20):
        with pytest.raises(Unauthenticated, match="token_tidak_valid"):
            verifier.verify(keys["palsu"].token())
    assert endpoint.requests == 2
    assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"  # the known key still works meanwhile


def test_a_rotated_key_is_picked_up_by_one_refetch(verifier, endpoint, keys, clock):
    verifier.verify(keys["k1"].token())
    endpoint.keys = {"k1": keys["k1"].cert, "k2": keys["k2"].cert}
    clock.now += UNKNOWN_KID_REFETCH_SECONDS
    assert verifier.verify(keys["k2"].token("guru-2"))["sub"] == "guru-2"
    assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"
    assert endpoint.requests == 2


@pytest.mark.parametrize("body", [b"bukan json", b"[]", b"{}", b'{"k1": 7}'])
def test_a_malformed_document_counts_as_a_failure(verifier, endpoint, keys, clock, body):
    verifier.verify(keys["k1"].token())
    endpoint.body = body
    clock.now += 60
    assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"  # the good certificates stay
    clock.now = 1000 + 100
    unavailable(verifier, keys["k1"].token())


def test_nothing_cached_and_endpoint_down_is_503_not_500(verifier, endpoint, keys, clock):
    endpoint.status = 500
    unavailable(verifier, keys["k1"].token())
    unavailable(verifier, keys["k1"].token())
    assert endpoint.requests == 1
    endpoint.status = 200
    clock.now += FAILED_FETCH_RETRY_SECONDS
    assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"


def test_without_cache_control_the_certificates_live_a_short_default(endpoint, keys, clock):
    endpoint.max_age = None
    verifier = TokenVerifier(ISS, AUD, endpoint.url, clock=clock)
    verifier.verify(keys["k1"].token())
    endpoint.status = 500
    clock.now += 299
    assert verifier.verify(keys["k1"].token())["sub"] == "guru-1"
    clock.now += 1
    unavailable(verifier, keys["k1"].token())


def test_cold_start_requests_share_one_fetch(verifier, endpoint, keys):
    endpoint.hold = threading.Event()
    tokens = [keys["k1"].token(f"guru-{i}") for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(verifier.verify, t) for t in tokens]
        assert endpoint.arrived.wait(WAIT)
        endpoint.hold.set()
        subs = sorted(f.result(timeout=WAIT)["sub"] for f in futures)
    assert subs == sorted(f"guru-{i}" for i in range(8))
    assert endpoint.requests == 1


def test_a_slow_refresh_holds_up_only_the_request_making_it(verifier, endpoint, keys, clock):
    verifier.verify(keys["k1"].token())
    clock.now += 60  # a refresh is due
    endpoint.hold = threading.Event()
    endpoint.arrived.clear()
    with ThreadPoolExecutor(1) as pool:
        refreshing = pool.submit(verifier.verify, keys["k1"].token("guru-lambat"))
        assert endpoint.arrived.wait(WAIT)
        # The refresh is in flight and stuck: other requests verify with the cached certificates now.
        for i in range(5):
            assert verifier.verify(keys["k1"].token(f"guru-{i}"))["sub"] == f"guru-{i}"
        assert not refreshing.done()
        endpoint.hold.set()
        assert refreshing.result(timeout=WAIT)["sub"] == "guru-lambat"
    assert endpoint.requests == 2


def test_cache_is_usable_on_its_own(endpoint, keys, clock):
    cache = CertificateCache(endpoint.url, lambda url: ({"k1": keys["k1"].cert}, 50), clock)
    assert set(cache.get("k1")) == {"k1"}
    assert endpoint.requests == 0
