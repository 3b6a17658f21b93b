"""An e-mail address is bound to the first Google account (`sub`) a service sees with it, so an
address Workspace recycles to a new account does not inherit the old account's records; the real
Firestore emulator, and the whole path through a service's HTTP API with development tokens."""
from __future__ import annotations

import json
import threading

import flask
import pytest

from local.identity import certs_document, ensure_key, mint
from shared.errors import Forbidden
from shared.firestore import start_op_count
from shared.http import Api, Principal
from shared.identity import EmailBinding, TokenVerifier
from shared.platform import Platform
from shared.settings import Settings, load_settings

ISS, AUD = "http://issuer.test", "pmm-uji"


def kode(exc_info) -> str:
    return exc_info.value.kode


def test_first_account_binds_the_address_and_another_account_is_refused(db):
    ikatan = EmailBinding(db, "kinerja")
    ikatan.check(Principal(sub="akun-lama", email="Guru1@belajar.id"))
    ikatan.check(Principal(sub="akun-lama", email="guru1@belajar.id"))
    with pytest.raises(Forbidden) as info:
        EmailBinding(db, "kinerja").check(Principal(sub="akun-baru", email="guru1@belajar.id"))
    assert kode(info) == "akun_email_berganti" and info.value.status == 403
    assert "admin" in info.value.pesan.lower() and info.value.extra["aktor"] == "admin"
    docs = list(db.collection("kinerja__ikatan_email").stream())
    assert len(docs) == 1 and docs[0].to_dict()["sub"] == "akun-lama"
    assert "guru1" not in json.dumps(docs[0].to_dict(), default=str) and "guru1" not in docs[0].id


def test_bindings_belong_to_one_service(db):
    EmailBinding(db, "kinerja").check(Principal(sub="a", email="g@belajar.id"))
    EmailBinding(db, "sinkro").check(Principal(sub="a", email="g@belajar.id"))
    assert db.collection("sinkro__ikatan_email").document(EmailBinding(db, "sinkro").key("g@belajar.id")).get().exists
    assert EmailBinding(db, "sinkro").key("g@belajar.id") != EmailBinding(db, "kinerja").key("g@belajar.id")


def binding_lines(caplog) -> list[tuple[str, int, int]]:
    return [(r.hasil, r.firestore_reads, r.firestore_writes) for r in caplog.records if r.getMessage() == "ikatan email"]


def test_cost_one_read_and_one_write_once_then_nothing_in_the_same_process(db, caplog):
    """Logged on a line of its own: the request's own count (route budgets) stays the route's."""
    caplog.set_level("INFO", logger="shared.identity")
    ikatan = EmailBinding(db, "kinerja")
    request = start_op_count()
    ikatan.check(Principal(sub="s-1", email="hemat@belajar.id"))
    for _ in range(3):
        ikatan.check(Principal(sub="s-1", email="hemat@belajar.id"))
    EmailBinding(db, "kinerja").check(Principal(sub="s-1", email="hemat@belajar.id"))  # another process
    with pytest.raises(Forbidden):
        EmailBinding(db, "kinerja").check(Principal(sub="s-2", email="hemat@belajar.id"))
    assert binding_lines(caplog) == [("baru", 1, 1), ("cocok", 1, 0), ("berbeda", 1, 0)]
    assert (request.reads, request.writes) == (0, 0)
    assert "hemat" not in caplog.text


def test_a_refusal_is_not_cached_so_the_admins_fix_applies_at_once(db):
    ikatan = EmailBinding(db, "kinerja")
    ikatan.check(Principal(sub="lama", email="pindah@belajar.id"))
    with pytest.raises(Forbidden):
        ikatan.check(Principal(sub="baru", email="pindah@belajar.id"))
    # The admin moved the data and deleted the binding: the new account binds at its next request.
    db.collection("kinerja__ikatan_email").document(ikatan.key("pindah@belajar.id")).delete()
    ikatan.check(Principal(sub="baru", email="pindah@belajar.id"))
    with pytest.raises(Forbidden):
        EmailBinding(db, "kinerja").check(Principal(sub="lama", email="pindah@belajar.id"))


def test_two_accounts_racing_for_a_new_address_one_wins(db):
    barrier, outcome = threading.Barrier(2), {}

    def sign_in(sub: str) -> None:
        ikatan = EmailBinding(db, "kinerja")  # two instances: no shared cache
        barrier.wait(timeout=30)
        try:
            ikatan.check(Principal(sub=sub, email="rebutan@belajar.id"))
            outcome[sub] = "ok"
        except Forbidden as exc:
            outcome[sub] = exc.kode

    threads = [threading.Thread(target=sign_in, args=(s,)) for s in ("x", "y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(outcome.values()) == ["akun_email_berganti", "ok"], outcome
    winner = next(s for s, o in outcome.items() if o == "ok")
    ref = db.collection("kinerja__ikatan_email").document(EmailBinding(db, "kinerja").key("rebutan@belajar.id"))
    assert ref.get().to_dict()["sub"] == winner


@pytest.fixture
def api(db, tmp_path, monkeypatch):
    """A service's API wired by the platform as in production, tokens from the development issuer."""
    ensure_key(tmp_path)
    monkeypatch.setenv("PMM_SERVICE", "kinerja")
    settings = load_settings(Settings)
    verifier = TokenVerifier(ISS, AUD, "http://certs.invalid", "belajar.id",
                             fetch=lambda url: (certs_document(tmp_path), 3600))
    api = Api("kinerja", "kinerja", "uji")
    api.route("GET", "/saya")(lambda ctx: {"sub": ctx.user.sub})
    Platform(settings, db=db, verifier=verifier).wire(api)
    app = flask.Flask("uji")

    def call(sub: str, email: str | None, **claims) -> flask.Response:
        token = mint(tmp_path, ISS, sub, email, AUD, **claims)
        with app.test_request_context("/v1/kinerja/saya", headers={"Authorization": f"Bearer {token}"}):
            return api.dispatch(flask.request)

    return call


def test_over_http_a_recycled_address_gets_403_problem_json(api):
    assert api("akun-1", "daur@belajar.id").status_code == 200
    r = api("akun-2", "daur@belajar.id")
    assert r.status_code == 403 and r.mimetype == "application/problem+json"
    assert r.get_json()["kode"] == "akun_email_berganti"
    assert api("akun-1", "daur@belajar.id").status_code == 200


def test_over_http_an_unverified_address_gets_401_and_binds_nothing(api, db):
    r = api("akun-3", "belum@belajar.id", email_verified=False)
    assert r.status_code == 401 and r.mimetype == "application/problem+json"
    assert r.get_json()["kode"] == "email_belum_terverifikasi"
    assert list(db.collection("kinerja__ikatan_email").stream()) == []


def test_a_service_keyed_by_sub_alone_binds_nothing(db, tmp_path, monkeypatch):
    monkeypatch.setenv("PMM_SERVICE", "karya")

    from karya.bootstrap import KaryaPlatform

    assert KaryaPlatform.ikat_email is False

    class PerSub(Platform):
        ikat_email = False

    ensure_key(tmp_path)
    p = PerSub(load_settings(Settings), db=db, verifier=TokenVerifier(
        ISS, AUD, "http://certs.invalid", "belajar.id", fetch=lambda url: (certs_document(tmp_path), 3600)))
    with flask.Flask("uji").test_request_context(
            "/", headers={"Authorization": "Bearer " + mint(tmp_path, ISS, "s", "x@belajar.id", AUD)}):
        assert p.authenticate_user(flask.request).sub == "s"
    assert list(db.collection("karya__ikatan_email").stream()) == []
