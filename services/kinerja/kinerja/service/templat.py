"""Evidence templates ("Contoh Format Bukti Dukung", P9): listed per step / RHK, downloaded through a
pre-signed GET from the object store.

The files ship with the code (``data/templat/``). The first request of a process makes sure each one is in
the bucket under a key that carries the catalogue version and the file's MD5 (``kinerja/templat/<versi>/
<md5>/<berkas>``): immutable, so a changed template is a new key and a HEAD that finds the key is enough.
No Firestore read or write: the list is the same for every signed-in user.
"""
from __future__ import annotations

import base64
import hashlib
import threading
from dataclasses import dataclass

from kinerja.domain import katalog
from shared.objectstore import ObjectStore

_TERSEDIA: set[str] = set()  # keys known to be in the bucket (this process)
_KUNCI = threading.Lock()


@dataclass(frozen=True)
class TemplatTersedia:
    templat: katalog.TemplatBukti
    ukuran: int
    url_unduh: str


def _kunci(t: katalog.TemplatBukti, isi: bytes) -> str:
    return f"kinerja/templat/{katalog.katalog_templat().versi}/{hashlib.md5(isi).hexdigest()}/{t.berkas}"


def _pastikan_ada(store: ObjectStore, kunci: str, t: katalog.TemplatBukti, isi: bytes) -> None:
    from botocore.exceptions import ClientError

    with _KUNCI:
        if kunci in _TERSEDIA:
            return
        try:
            store.client.head_object(Bucket=store.bucket, Key=kunci)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in ("404", "NoSuchKey", "NotFound"):
                raise
            store.client.put_object(Bucket=store.bucket, Key=kunci, Body=isi, ContentType=t.jenis,
                                    ContentMD5=base64.b64encode(hashlib.md5(isi).digest()).decode())
        _TERSEDIA.add(kunci)


def daftar_templat(store: ObjectStore, berlaku_detik: int, rhk: str | None = None,
                   item_id: str | None = None) -> list[TemplatTersedia]:
    """Templates for ``rhk`` / ``item_id`` (all when None), each with a download URL."""
    hasil = []
    for t in katalog.katalog_templat().templat:
        if (rhk and t.rhk != rhk) or (item_id and t.item_id != item_id):
            continue
        isi = katalog.isi_templat(t)
        kunci = _kunci(t, isi)
        _pastikan_ada(store, kunci, t, isi)
        url = store.client.generate_presigned_url(
            "get_object", ExpiresIn=berlaku_detik,
            Params={"Bucket": store.bucket, "Key": kunci,
                    "ResponseContentDisposition": f'attachment; filename="{t.berkas}"'})
        hasil.append(TemplatTersedia(t, len(isi), url))
    return hasil
