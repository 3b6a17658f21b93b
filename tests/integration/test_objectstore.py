"""The S3 adapter against moto's server over real HTTP: a pre-signed PUT uploads
exactly the announced file, and `confirm` checks it before anything attaches it."""
from __future__ import annotations

import base64
import hashlib

import boto3
from botocore.config import Config
import pytest
import requests

from shared.errors import DomainError
from shared.objectstore import ObjectStore

pytestmark = pytest.mark.integration
PDF = b"%PDF-1.7\n" + b"isi modul ajar " * 200


def md5(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


@pytest.fixture
def store(cloud):
    client = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{cloud.ports.moto}", region_name="us-east-1",
                          aws_access_key_id="lokal", aws_secret_access_key="lokal",
                          config=Config(signature_version="s3v4"))
    s = ObjectStore("pmm-uji", client=client)
    s.ensure_bucket()
    return s


def put(ticket, data: bytes, **header_overrides) -> requests.Response:
    headers = ticket.headers | header_overrides
    return requests.put(ticket.url, data=data, headers=headers, timeout=10)


def test_presigned_upload_then_confirm(store):
    ticket = store.presign_put("rpp/guru-1/modul.pdf", "application/pdf", len(PDF), md5(PDF))
    assert ticket.method == "PUT" and put(ticket, PDF).status_code == 200
    stored = store.confirm("rpp/guru-1/modul.pdf", "application/pdf", len(PDF), md5(PDF))
    assert stored.ukuran == len(PDF)


def test_confirm_before_upload_is_refused(store):
    with pytest.raises(DomainError) as info:
        store.confirm("rpp/guru-1/belum.pdf", "application/pdf", 10, md5(b"0123456789"))
    assert info.value.kode == "berkas_belum_diunggah"


def test_upload_of_other_content_than_announced_never_confirms(store):
    """Cloud Storage refuses a body whose MD5 differs from the signed Content-MD5; moto stores it.
    Either way `confirm` refuses, which is why nothing is attached before it."""
    ticket = store.presign_put("rpp/guru-1/lain.pdf", "application/pdf", len(PDF), md5(PDF))
    tampered = PDF[:-1] + b"X"
    accepted = put(ticket, tampered).status_code == 200
    with pytest.raises(DomainError) as info:
        store.confirm("rpp/guru-1/lain.pdf", "application/pdf", len(PDF), md5(PDF))
    assert info.value.kode == ("checksum_berkas_berbeda" if accepted else "berkas_belum_diunggah")


@pytest.mark.parametrize("announced,kode", [
    ({"jenis": "image/png"}, "jenis_berkas_berbeda"),
    ({"ukuran": len(PDF) + 1}, "ukuran_berkas_berbeda"),
    ({"md5": md5(b"lain")}, "checksum_berkas_berbeda"),
])
def test_confirm_names_what_differs(store, announced, kode):
    ticket = store.presign_put("rpp/guru-1/beda.pdf", "application/pdf", len(PDF), md5(PDF))
    assert put(ticket, PDF).status_code == 200
    with pytest.raises(DomainError) as info:
        store.confirm("rpp/guru-1/beda.pdf", announced.get("jenis", "application/pdf"),
                      announced.get("ukuran", len(PDF)), announced.get("md5", md5(PDF)))
    assert info.value.kode == kode


def test_invalid_checksum_is_refused_before_signing(store):
    with pytest.raises(DomainError) as info:
        store.presign_put("x.pdf", "application/pdf", 10, "bukan-md5")
    assert info.value.kode == "checksum_tidak_valid"
