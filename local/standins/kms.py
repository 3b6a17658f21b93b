"""Local stand-in of Cloud KMS (symmetric encrypt/decrypt), over real HTTP.

Speaks the REST protocol google-cloud-kms's REST transport uses
(`KeyManagementServiceClient(transport="rest", client_options={"api_endpoint":
"http://127.0.0.1:8577"})`, see karya/adapters/kms.py), so the unchanged
client library drives it:

    POST /v1/{name=projects/*/locations/*/keyRings/*/cryptoKeys/**}:encrypt
         {"plaintext": b64, "additionalAuthenticatedData": b64,
          "plaintextCrc32c": "int64", "additionalAuthenticatedDataCrc32c": "int64"}
      -> {"name": ".../cryptoKeyVersions/N", "ciphertext": b64, "ciphertextCrc32c": "int64",
          "verifiedPlaintextCrc32c": true, "verifiedAdditionalAuthenticatedDataCrc32c": true,
          "protectionLevel": 1 | "SOFTWARE"}
    POST /v1/{name=projects/*/locations/*/keyRings/*/cryptoKeys/*}:decrypt
         {"ciphertext": b64, "additionalAuthenticatedData": b64,
          "ciphertextCrc32c": "int64", "additionalAuthenticatedDataCrc32c": "int64"}
      -> {"plaintext": b64, "plaintextCrc32c": "int64", "usedPrimary": true, "protectionLevel": ...}

As Cloud KMS does: JSON field names in lowerCamelCase, bytes in base64, the
int64 checksums as decimal strings (numbers accepted too), enums as numbers
when the query says `$alt=json;enum-encoding=int` (the client library does)
and as names otherwise, fields left out when false or empty. A checksum that
does not match its data answers 400 INVALID_ARGUMENT ("The checksum in field
... did not match the data in field ..."), one that matches sets the
`verified*` flag; without a checksum the flag stays false. Errors in Google's
JSON: {"error": {"code", "message", "status"}}:
  404 NOT_FOUND        a key the stand-in does not hold ("CryptoKey ... not found.")
  400 INVALID_ARGUMENT a ciphertext that does not open under the key with this
                       AAD ("Decryption failed: verify that 'name' refers to the
                       correct CryptoKey."), bad base64, plaintext > 64 KiB
  503 UNAVAILABLE      injected (`/_admin/fault`)

Keys: every key has versions 1..N (N = primary); version secrets are derived
with HKDF-SHA256 from a seed (`--seed`, default a fixed local value) and the
version's resource name, so a restart keeps every ciphertext readable, like
the fixed local key of local/cloud.py. Ciphertext = 4-byte version number +
12-byte nonce + AES-256-GCM(plaintext, AAD) with tag: opaque to clients, as
in KMS. A ciphertext only opens under the key that made it (another key's
secret fails the tag).

Admin (local only, not Google's):
    GET  /_admin/keys                  {"keys": {name: primary version}}
    POST /_admin/keys     {"name"}     add a key (201; 409 if it exists)
    POST /_admin/rotate   {"name"}     new primary version (old ones still decrypt)
    GET  /_admin/calls                 {"encrypt": n, "decrypt": n} served (faults included)
    POST /_admin/fault    {"fail_next": N, "status": 503,   fail the next N calls
                           "corrupt_next": N,               flip a bit of the next N answers'
                                                            ciphertext/plaintext (checksum kept)
                           "unverified_next": N,            next N encrypts claim no verification
                           "bad_checksum_next": N}          next N calls answer the checksum 400
                                                            (a request corrupted on the way)
                          {"reset": true}                   clears the faults
    POST /_admin/reset                 counters and faults cleared (keys kept)

    python -m local.standins.kms --port 8577 [--key NAME ...] [--seed TEXT]

The request log shows method, path and status: never a body (data keys).
"""
from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import logging
import os
import re
import struct
import threading
from dataclasses import dataclass, field
from typing import Any

import google_crc32c
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import Flask, Response, jsonify, request
from werkzeug.serving import WSGIRequestHandler, make_server

log = logging.getLogger("local.standins.kms")

# The key local/cloud.py gives karya (PMM_KMS_KUNCI_TOKEN): fixed, whatever the local project is called.
KUNCI_BAWAAN = "projects/demo-pmm/locations/asia-southeast2/keyRings/pmm-lokal/cryptoKeys/token"
BENIH_BAWAAN = "benih-kms-lokal-pmm-bukan-untuk-produksi"
MAKS_DATA = 64 * 1024
_NONCE = 12
_POLA_KUNCI = re.compile(r"^projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/:]+$")
_POLA_JALUR = re.compile(r"^(?P<kunci>projects/[^/]+/locations/[^/]+/keyRings/[^/]+/cryptoKeys/[^/:]+)"
                         r"(?:/cryptoKeyVersions/(?P<versi>[^/:]+))?:(?P<metode>encrypt|decrypt)$")
_STATUS = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND", 409: "ALREADY_EXISTS",
           429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE", 504: "DEADLINE_EXCEEDED"}
PROTECTION_SOFTWARE = 1


@dataclass
class KeadaanKms:
    """All state of the stand-in; one lock, since the server is threaded."""

    benih: bytes = BENIH_BAWAAN.encode()
    kunci: dict[str, int] = field(default_factory=lambda: {KUNCI_BAWAAN: 1})  # name -> primary version
    panggilan: dict[str, int] = field(default_factory=lambda: {"encrypt": 0, "decrypt": 0})
    gagal_berikut: int = 0
    status_gagal: int = 503
    rusak_berikut: int = 0
    tak_terverifikasi_berikut: int = 0
    crc_salah_berikut: int = 0
    kunci_lock: threading.Lock = field(default_factory=threading.Lock)

    def rahasia(self, nama: str, versi: int) -> bytes:
        hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"pmm-kms-standin",
                    info=f"{nama}/cryptoKeyVersions/{versi}".encode())
        return hkdf.derive(self.benih)


def galat(status: int, pesan: str) -> Response:
    """Google's JSON error body."""
    resp = jsonify({"error": {"code": status, "message": pesan, "status": _STATUS.get(status, "UNKNOWN")}})
    resp.status_code = status
    return resp


class _Tolak(Exception):
    def __init__(self, status: int, pesan: str) -> None:
        super().__init__(pesan)
        self.status, self.pesan = status, pesan


def _bytes(badan: dict[str, Any], kolom: str, wajib: bool = False) -> bytes:
    nilai = badan.get(kolom)
    if nilai in (None, ""):
        if wajib:
            raise _Tolak(400, f"{kolom} is required.")
        return b""
    if not isinstance(nilai, str):
        raise _Tolak(400, f'Invalid value at \'{kolom}\' (TYPE_BYTES), {nilai!r}')
    try:  # proto3 JSON accepts standard and URL-safe base64, padded or not
        return base64.b64decode(nilai.replace("-", "+").replace("_", "/") + "=" * (-len(nilai) % 4),
                                validate=True)
    except (binascii.Error, ValueError):
        raise _Tolak(400, f"Invalid value at '{kolom}' (TYPE_BYTES), Base64 decoding failed") from None


def _int64(badan: dict[str, Any], kolom: str) -> int | None:
    nilai = badan.get(kolom)
    if nilai is None:
        return None
    try:
        if isinstance(nilai, bool):
            raise ValueError
        return int(nilai)
    except (TypeError, ValueError):
        raise _Tolak(400, f"Invalid value at '{kolom}' (TYPE_INT64), {nilai!r}") from None


def _periksa_crc(badan: dict[str, Any], kolom_crc: str, data: bytes, nama_proto: tuple[str, str]) -> bool:
    """True when the checksum came and matched; 400 when it came and did not."""
    nilai = _int64(badan, kolom_crc)
    if nilai is None:
        return False
    if nilai != google_crc32c.value(data):
        raise _Tolak(400, f"The checksum in field {nama_proto[0]} did not match the data in field {nama_proto[1]}.")
    return True


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def buat_app(keadaan: KeadaanKms | None = None) -> Flask:
    """The stand-in as a WSGI app; `app.config["KEADAAN"]` holds its state."""
    keadaan = keadaan or KeadaanKms()
    app = Flask("kms_standin")
    app.config["KEADAAN"] = keadaan

    @app.post("/v1/<path:jalur>")
    def kms(jalur: str):
        cocok = _POLA_JALUR.match(jalur)
        if not cocok:
            return galat(404, f"The requested URL /v1/{jalur} was not found on this server.")
        nama, metode = cocok.group("kunci"), cocok.group("metode")
        enum_angka = "enum-encoding=int" in request.args.get("$alt", "")
        with keadaan.kunci_lock:
            keadaan.panggilan[metode] += 1
            if keadaan.gagal_berikut > 0:
                keadaan.gagal_berikut -= 1
                return galat(keadaan.status_gagal, "The service is currently unavailable.")
            primer = keadaan.kunci.get(nama)
            rusak = keadaan.rusak_berikut > 0
            keadaan.rusak_berikut -= rusak
            tak_terverifikasi = metode == "encrypt" and keadaan.tak_terverifikasi_berikut > 0
            keadaan.tak_terverifikasi_berikut -= tak_terverifikasi
            crc_salah = keadaan.crc_salah_berikut > 0
            keadaan.crc_salah_berikut -= crc_salah
        if primer is None:
            return galat(404, f"CryptoKey {nama} not found.")
        badan = request.get_json(silent=True)
        if not isinstance(badan, dict):
            return galat(400, "Invalid JSON payload received.")
        if crc_salah:
            data = "plaintext" if metode == "encrypt" else "ciphertext"
            return galat(400, f"The checksum in field {data}_crc32c did not match the data in field {data}.")
        try:
            if metode == "encrypt":
                versi_diminta = cocok.group("versi")
                versi = primer
                if versi_diminta is not None:
                    if not versi_diminta.isdigit() or not 1 <= int(versi_diminta) <= primer:
                        return galat(404, f"CryptoKeyVersion {nama}/cryptoKeyVersions/{versi_diminta} not found.")
                    versi = int(versi_diminta)
                jawaban = _enkripsi(keadaan, nama, versi, badan)
                if tak_terverifikasi:
                    jawaban.pop("verifiedPlaintextCrc32c", None)
                    jawaban.pop("verifiedAdditionalAuthenticatedDataCrc32c", None)
                kolom = "ciphertext"
            else:
                if cocok.group("versi") is not None:
                    return galat(404, f"The requested URL /v1/{jalur} was not found on this server.")
                jawaban = _dekripsi(keadaan, nama, primer, badan)
                kolom = "plaintext"
        except _Tolak as t:
            return galat(t.status, t.pesan)
        if rusak:  # a bit flipped on the way back; the checksum still describes the original
            data = bytearray(base64.b64decode(jawaban[kolom]))
            data[-1] ^= 0x01
            jawaban[kolom] = _b64(bytes(data))
        jawaban["protectionLevel"] = PROTECTION_SOFTWARE if enum_angka else "SOFTWARE"
        return jsonify(jawaban)

    @app.get("/_admin/keys")
    def daftar_kunci():
        with keadaan.kunci_lock:
            return jsonify({"keys": dict(keadaan.kunci)})

    @app.post("/_admin/keys")
    def tambah_kunci():
        nama = (request.get_json(silent=True) or {}).get("name")
        if not isinstance(nama, str) or not _POLA_KUNCI.match(nama):
            return galat(400, "name must be projects/*/locations/*/keyRings/*/cryptoKeys/*")
        with keadaan.kunci_lock:
            if nama in keadaan.kunci:
                return galat(409, f"CryptoKey {nama} already exists.")
            keadaan.kunci[nama] = 1
        return jsonify({"name": nama, "primary": 1}), 201

    @app.post("/_admin/rotate")
    def putar_kunci():
        nama = (request.get_json(silent=True) or {}).get("name")
        with keadaan.kunci_lock:
            if nama not in keadaan.kunci:
                return galat(404, f"CryptoKey {nama} not found.")
            keadaan.kunci[nama] += 1
            return jsonify({"name": nama, "primary": keadaan.kunci[nama]})

    @app.get("/_admin/calls")
    def daftar_panggilan():
        with keadaan.kunci_lock:
            return jsonify(dict(keadaan.panggilan))

    @app.post("/_admin/fault")
    def atur_gangguan():
        data = request.get_json(silent=True) or {}
        angka = {k: data.get(k, 0) for k in ("fail_next", "corrupt_next", "unverified_next", "bad_checksum_next")}
        status = data.get("status", 503)
        if not all(isinstance(v, int) and v >= 0 for v in angka.values()) or status not in _STATUS \
                or status < 500 and status != 429:
            return galat(400, "fail_next, corrupt_next, unverified_next, bad_checksum_next >= 0; status 429 or 5xx")
        with keadaan.kunci_lock:
            if data.get("reset"):
                angka = dict.fromkeys(angka, 0)
            keadaan.gagal_berikut, keadaan.rusak_berikut = angka["fail_next"], angka["corrupt_next"]
            keadaan.tak_terverifikasi_berikut, keadaan.status_gagal = angka["unverified_next"], status
            keadaan.crc_salah_berikut = angka["bad_checksum_next"]
        return jsonify(angka | {"status": status})

    @app.post("/_admin/reset")
    def reset():
        with keadaan.kunci_lock:
            keadaan.panggilan = {"encrypt": 0, "decrypt": 0}
            keadaan.gagal_berikut = keadaan.rusak_berikut = keadaan.tak_terverifikasi_berikut = 0
            keadaan.crc_salah_berikut = 0
        return "", 204

    return app


def _enkripsi(keadaan: KeadaanKms, nama: str, versi: int, badan: dict[str, Any]) -> dict[str, Any]:
    plaintext = _bytes(badan, "plaintext", wajib=True)
    aad = _bytes(badan, "additionalAuthenticatedData")
    if len(plaintext) > MAKS_DATA or len(aad) > MAKS_DATA:
        raise _Tolak(400, "The plaintext and additional authenticated data must each be at most 65536 bytes.")
    jawaban: dict[str, Any] = {}
    if _periksa_crc(badan, "plaintextCrc32c", plaintext, ("plaintext_crc32c", "plaintext")):
        jawaban["verifiedPlaintextCrc32c"] = True
    if _periksa_crc(badan, "additionalAuthenticatedDataCrc32c", aad,
                    ("additional_authenticated_data_crc32c", "additional_authenticated_data")):
        jawaban["verifiedAdditionalAuthenticatedDataCrc32c"] = True
    nonce = os.urandom(_NONCE)
    ciphertext = struct.pack(">I", versi) + nonce + AESGCM(keadaan.rahasia(nama, versi)).encrypt(nonce, plaintext, aad)
    return {"name": f"{nama}/cryptoKeyVersions/{versi}", "ciphertext": _b64(ciphertext),
            "ciphertextCrc32c": str(google_crc32c.value(ciphertext))} | jawaban


def _dekripsi(keadaan: KeadaanKms, nama: str, primer: int, badan: dict[str, Any]) -> dict[str, Any]:
    ciphertext = _bytes(badan, "ciphertext", wajib=True)
    aad = _bytes(badan, "additionalAuthenticatedData")
    _periksa_crc(badan, "ciphertextCrc32c", ciphertext, ("ciphertext_crc32c", "ciphertext"))
    _periksa_crc(badan, "additionalAuthenticatedDataCrc32c", aad,
                 ("additional_authenticated_data_crc32c", "additional_authenticated_data"))
    gagal = _Tolak(400, "Decryption failed: verify that 'name' refers to the correct CryptoKey.")
    if len(ciphertext) < 4 + _NONCE + 16:
        raise gagal
    (versi,) = struct.unpack(">I", ciphertext[:4])
    if not 1 <= versi <= primer:
        raise gagal
    try:
        plaintext = AESGCM(keadaan.rahasia(nama, versi)).decrypt(ciphertext[4:4 + _NONCE], ciphertext[4 + _NONCE:],
                                                                  aad)
    except InvalidTag:
        raise gagal from None
    jawaban: dict[str, Any] = {"plaintext": _b64(plaintext), "plaintextCrc32c": str(google_crc32c.value(plaintext))}
    if versi == primer:
        jawaban["usedPrimary"] = True
    return jawaban


class PenanganJalurSaja(WSGIRequestHandler):
    """Logs method, path (no query string) and status; never a body."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.info("%s %s %s", self.command, self.path.split("?", 1)[0], code)


def buat_server(host: str, port: int, keadaan: KeadaanKms | None = None):
    """A threaded werkzeug server for the stand-in; `port=0` picks a free port (`server.port`)."""
    return make_server(host, port, buat_app(keadaan), threaded=True, request_handler=PenanganJalurSaja)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Stand-in lokal Cloud KMS (encrypt/decrypt simetris)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8577)
    parser.add_argument("--key", action="append", default=None,
                        help=f"nama CryptoKey yang dipegang (boleh berulang; bawaan {KUNCI_BAWAAN})")
    parser.add_argument("--seed", default=None, help="benih rahasia kunci (bawaan: nilai lokal tetap)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    keadaan = KeadaanKms()
    if args.key:
        for nama in args.key:
            if not _POLA_KUNCI.match(nama):
                parser.error(f"--key {nama!r}: harus projects/*/locations/*/keyRings/*/cryptoKeys/*")
        keadaan.kunci = dict.fromkeys(args.key, 1)
    if args.seed:
        keadaan.benih = args.seed.encode()
    server = buat_server(args.host, args.port, keadaan)
    log.info("Cloud KMS stand-in on http://%s:%d (%d keys)", args.host, server.port, len(keadaan.kunci))
    with server, contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
