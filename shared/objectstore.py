"""Uploaded files through the S3 API (moto locally, Cloud Storage's XML API in production).

The API hands out a pre-signed PUT whose signature covers the content type,
length and MD5, so the browser can only upload exactly the file it announced;
`confirm` then checks the stored object (exists, size, type, checksum) before
the caller attaches it to anything.
"""
from __future__ import annotations

import base64
import functools
from dataclasses import dataclass
from datetime import timedelta

from shared.errors import DomainError

PRESIGN_SECONDS = 15 * 60
# Unconfirmed uploads are written under this prefix and moved to their own key on confirm; the bucket's
# lifecycle rule (infra/modules/storage/main.tf, `age` in days) deletes what is left here, so an upload
# nobody confirmed disappears and a confirmed one never matches. Checked by tests/infra.
PREFIX_SEMENTARA = "sementara/"
UNGGAHAN_BERLAKU = timedelta(days=1)  # the rule's age: a pending upload's record expires with its object


def kunci_sementara(kunci: str) -> str:
    """Where the browser uploads the object that will live at ``kunci`` once confirmed."""
    return PREFIX_SEMENTARA + kunci


@dataclass(frozen=True)
class UploadTicket:
    url: str
    method: str
    headers: dict[str, str]
    kunci: str
    berlaku_detik: int


@dataclass(frozen=True)
class StoredObject:
    kunci: str
    ukuran: int
    jenis: str
    md5_base64: str


@functools.cache
def s3_client(endpoint_url: str | None, region: str = "us-east-1"):
    # boto3 costs ~0.3 s to import; only the routes that handle files pay it, at first use.
    import boto3
    from botocore.config import Config

    return boto3.client("s3", endpoint_url=endpoint_url, region_name=region,
                        config=Config(signature_version="s3v4", retries={"max_attempts": 3, "mode": "standard"}))


def md5_base64_to_hex(value: str) -> str:
    try:
        raw = base64.b64decode(value, validate=True)
    except ValueError:
        raw = b""
    if len(raw) != 16:
        raise DomainError("checksum_tidak_valid", "Checksum berkas (MD5, base64) tidak valid.")
    return raw.hex()


class ObjectStore:
    def __init__(self, bucket: str, endpoint_url: str | None = None, client=None) -> None:
        self.bucket = bucket
        self.client = client or s3_client(endpoint_url)

    def ensure_bucket(self) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.head_bucket(Bucket=self.bucket)
        except ClientError:
            self.client.create_bucket(Bucket=self.bucket)

    def presign_put(self, kunci: str, jenis: str, ukuran: int, md5_base64: str,
                    expires: int = PRESIGN_SECONDS) -> UploadTicket:
        md5_base64_to_hex(md5_base64)
        url = self.client.generate_presigned_url(
            "put_object",
            Params={"Bucket": self.bucket, "Key": kunci, "ContentType": jenis,
                    "ContentLength": ukuran, "ContentMD5": md5_base64},
            ExpiresIn=expires, HttpMethod="PUT")
        headers = {"Content-Type": jenis, "Content-Length": str(ukuran), "Content-MD5": md5_base64}
        return UploadTicket(url=url, method="PUT", headers=headers, kunci=kunci, berlaku_detik=expires)

    def confirm(self, kunci: str, jenis: str, ukuran: int, md5_base64: str) -> StoredObject:
        """The object as announced, or a DomainError naming what differs."""
        from botocore.exceptions import ClientError

        try:
            head = self.client.head_object(Bucket=self.bucket, Key=kunci)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                raise DomainError("berkas_belum_diunggah",
                                  "Berkas belum ditemukan. Unggah berkasnya dulu, lalu konfirmasi.",
                                  status=409) from None
            raise
        if head["ContentLength"] != ukuran:
            raise DomainError("ukuran_berkas_berbeda", "Ukuran berkas yang terunggah berbeda dari yang diumumkan.",
                              status=409)
        if head.get("ContentType") != jenis:
            raise DomainError("jenis_berkas_berbeda", "Jenis berkas yang terunggah berbeda dari yang diumumkan.",
                              status=409)
        if head.get("ETag", "").strip('"') != md5_base64_to_hex(md5_base64):
            raise DomainError("checksum_berkas_berbeda",
                              "Isi berkas tidak cocok dengan checksum-nya. Unggah ulang berkasnya.", status=409)
        return StoredObject(kunci=kunci, ukuran=ukuran, jenis=jenis, md5_base64=md5_base64)

    def pindahkan(self, dari: str, ke: str) -> None:
        """Move a confirmed upload out of the temporary prefix (server-side copy, then delete; both are
        idempotent, so a retried confirm or two racing ones end the same)."""
        self.client.copy_object(Bucket=self.bucket, Key=ke, CopySource={"Bucket": self.bucket, "Key": dari},
                                MetadataDirective="COPY")
        self.client.delete_object(Bucket=self.bucket, Key=dari)
