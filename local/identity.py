"""The development token issuer: its own RSA key, its certificates over HTTP,
and a command that mints an ID token for a given user.

Services verify these tokens with exactly the production code path
(`shared.identity.TokenVerifier`); only issuer, audience and certificate URL
differ, by settings.

    python -m local.identity mint --sub guru-001 --email guru1@belajar.id
"""
from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import sys
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from google.auth import crypt
from google.auth import jwt as gjwt

DEFAULT_DIR = Path(os.environ.get("PMM_LOCAL_DIR", Path(__file__).resolve().parent.parent / ".local"))
KID = "pmm-dev-1"
DEFAULT_AUDIENCE = "pmm-lokal"


def issuer_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


def ensure_key(directory: Path) -> tuple[Path, Path]:
    """Create the issuer's key and self-signed certificate once; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = directory / "dev-issuer-key.pem", directory / "dev-issuer-cert.pem"
    if key_path.exists() and cert_path.exists():
        return key_path, cert_path
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "PMM development issuer")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=3650)).sign(key, hashes.SHA256()))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    os.chmod(key_path, 0o600)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


@functools.lru_cache(maxsize=8)
def _signer(key_path: str, mtime_ns: int) -> crypt.RSASigner:
    # Parsing the PEM costs ~50 ms (the key is validated); a load run mints thousands of tokens.
    return crypt.RSASigner.from_string(Path(key_path).read_text(), key_id=KID)


def mint(directory: Path, issuer: str, sub: str, email: str | None = None, audience: str = DEFAULT_AUDIENCE,
         lifetime: int = 3600, hd: str | None = "belajar.id", now: float | None = None,
         extra: dict | None = None, email_verified: bool = True) -> str:
    """An ID token shaped like Google's: with an e-mail it carries `email_verified` (true unless
    told otherwise; the services refuse an unverified address)."""
    key_path, _ = ensure_key(directory)
    signer = _signer(str(key_path), key_path.stat().st_mtime_ns)
    issued = int(now if now is not None else time.time())
    claims = {"iss": issuer, "aud": audience, "sub": sub, "iat": issued, "exp": issued + lifetime}
    if email:
        claims["email"] = email
        claims["email_verified"] = email_verified
    if hd:
        claims["hd"] = hd
    claims.update(extra or {})
    return gjwt.encode(signer, claims).decode()


def certs_document(directory: Path) -> dict[str, str]:
    _, cert_path = ensure_key(directory)
    return {KID: cert_path.read_text()}


def certs_app(directory: Path):
    """WSGI app serving `/oauth2/v1/certs` like Google's certificate endpoint."""
    body = json.dumps(certs_document(directory)).encode()

    def app(environ, start_response):
        if environ.get("PATH_INFO") in ("/oauth2/v1/certs", "/"):
            start_response("200 OK", [("Content-Type", "application/json"), ("Cache-Control", "max-age=3600"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.identity", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("mint", help="print a development ID token")
    m.add_argument("--sub", required=True, help="the user's stable id (Google account id)")
    m.add_argument("--email", help="belajar.id address (reference data links it to the person)")
    # PMM_AUTH_AUDIENCE may list several client ids (comma-separated); a token is for one of them.
    m.add_argument("--audience", default=os.environ.get("PMM_AUTH_AUDIENCE", DEFAULT_AUDIENCE).split(",")[0].strip())
    m.add_argument("--issuer", default=os.environ.get("PMM_AUTH_ISSUER"))
    m.add_argument("--lifetime", type=int, default=3600)
    m.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    s = sub.add_parser("serve", help="serve the certificates")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--dir", type=Path, default=DEFAULT_DIR)
    args = parser.parse_args(argv)
    if args.cmd == "mint":
        issuer = args.issuer
        if not issuer:
            state = args.dir / "run" / "state.json"
            if state.exists():
                issuer = json.loads(state.read_text())["env"]["PMM_AUTH_ISSUER"]
            else:
                print("PMM_AUTH_ISSUER is not set and no local platform runs (make up first)", file=sys.stderr)
                return 2
        print(mint(args.dir, issuer, args.sub, args.email, args.audience, args.lifetime))
        return 0
    from werkzeug.serving import run_simple
    run_simple("127.0.0.1", args.port, certs_app(args.dir), threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
