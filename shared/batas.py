"""Per-caller rate limits on routes that spend someone else's budget (OWASP API4).

One teacher listing their uploads in a loop could spend the whole app's YouTube
quota (10,000 units a day), and one caller could make us hammer e-Kinerja. A route
declares its budget, `api.route(..., batas=(BATAS_X, ...))`; the router checks it
after authentication and validation, before the handler, and answers 429
problem+json with `Retry-After` when the caller has used it up.

    BATAS_YOUTUBE = (Batas("youtube_menit", "batas_youtube_menit"),
                     Batas("youtube_hari", "batas_youtube_hari"))

A `Batas` names a counter (routes naming the same counter share it) and the
Settings field holding its `Jatah` ("<jumlah>/<detik>", e.g. "20/60": at most 20
requests in each fixed 60-second window; defaults are the fields' defaults, so
production can tune them per environment without a code change).

The count lives in Firestore, so every instance of a function shares it: one
document per (counter, caller, window) in the service's own `<service>__batas`
collection, read and incremented in one transaction (the router's op count
includes it). Once a caller is over the limit the transaction only reads, so a
document takes at most `jumlah` writes per window: the write rate on one
document is bounded by the limit itself, not by the caller's request rate.
Document ids are hashes (no hotspot on a key range, no user id in a key);
`kedaluwarsa` is the collection's TTL field.
"""
from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Callable, Iterable

from pydantic import BeforeValidator, PlainSerializer

from shared.errors import Conflict, DomainError
from shared.firestore import Tx, UnitOfWork

KOLEKSI = "batas"
_JATAH = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


@dataclass(frozen=True)
class Jatah:
    """At most `jumlah` requests in each fixed window of `jendela` seconds."""

    jumlah: int
    jendela: int

    def __str__(self) -> str:
        return f"{self.jumlah}/{self.jendela}"


def parse_jatah(value: Any) -> Jatah:
    if isinstance(value, Jatah):
        return value
    m = _JATAH.match(str(value))
    if not m or int(m.group(1)) < 1 or not 1 <= int(m.group(2)) <= 7 * 86400:
        raise ValueError("harus <jumlah>/<detik>, mis. 20/60 (jumlah >= 1, jendela 1 detik sampai 7 hari)")
    return Jatah(int(m.group(1)), int(m.group(2)))


# A Settings field type: `batas_x: JatahSetelan = Field(Jatah(20, 60), alias="PMM_BATAS_X", ...)`
# Dumped as its env form (`20/60`), so settings round-trip through model_dump(by_alias=True).
JatahSetelan = Annotated[Jatah, BeforeValidator(parse_jatah), PlainSerializer(str, return_type=str)]


@dataclass(frozen=True)
class Batas:
    """A route's budget: the counter `nama`, sized by the Settings field `setelan`."""

    nama: str
    setelan: str


class TerlaluBanyak(DomainError):
    """429: the caller used up a budget; `retry_after` seconds until its window ends."""

    status = 429

    def __init__(self, retry_after: int, jatah: Jatah | None = None) -> None:
        menit = max(1, math.ceil(retry_after / 60))
        if jatah is None:
            detail = "Permintaan Anda sedang diproses bersamaan; batas belum dapat dihitung."
        else:
            detail = (f"Batas {jatah.jumlah} permintaan per {_lama(jatah.jendela)} untuk tindakan ini sudah "
                      "tercapai.")
        super().__init__("terlalu_banyak_permintaan",
                         f"Anda terlalu sering melakukan tindakan ini. Coba lagi dalam {menit} menit.",
                         detail=detail, coba_lagi_detik=retry_after)
        self.retry_after = retry_after


def _lama(detik: int) -> str:
    for satuan, n in (("hari", 86400), ("jam", 3600), ("menit", 60)):
        if detik % n == 0:
            return f"{detik // n} {satuan}" if detik != n else satuan
    return f"{detik} detik"


def _doc_id(nama: str, kunci: str, jendela_ke: int) -> str:
    return hashlib.sha256(f"{nama}\x00{kunci}\x00{jendela_ke}".encode()).hexdigest()[:40]


class PembatasFirestore:
    """Checks and counts budgets in `<service>__batas`; `clock` is seconds since the epoch."""

    def __init__(self, uow: Callable[[], UnitOfWork], jatah: Callable[[Batas], Jatah],
                 clock: Callable[[], float] = time.time) -> None:
        self._uow_factory = uow  # built at first use: a cold start connects only what a request needs
        self._uow: UnitOfWork | None = None
        self.jatah = jatah
        self.clock = clock

    def pakai(self, daftar: Iterable[Batas], kunci: str) -> None:
        """Count one request of `kunci` against every budget, or raise TerlaluBanyak counting nothing."""
        now = self.clock()
        rencana = []
        for batas in daftar:
            j = self.jatah(batas)
            ke = int(now // j.jendela)
            rencana.append((batas, j, ke, _doc_id(batas.nama, kunci, ke)))

        def work(tx: Tx) -> None:
            refs = [tx.ref(KOLEKSI, doc_id) for *_, doc_id in rencana]
            found = tx.get_many(refs)
            habis = [(j, ke) for (_, j, ke, doc_id) in rencana
                     if int((found.get(doc_id) or {}).get("jumlah", 0)) >= j.jumlah]
            if habis:  # over a limit: read only, so a looping caller adds no writes
                j, ke = max(habis, key=lambda h: (h[1] + 1) * h[0].jendela)
                raise TerlaluBanyak(max(1, math.ceil((ke + 1) * j.jendela - now)), j)
            for (batas, j, ke, doc_id), ref in zip(rencana, refs):
                akhir = datetime.fromtimestamp((ke + 1) * j.jendela, timezone.utc)
                tx.set(ref, {"batas": batas.nama, "jumlah": int((found.get(doc_id) or {}).get("jumlah", 0)) + 1,
                             "jendela_akhir": akhir, "kedaluwarsa": akhir + timedelta(days=1)})

        if not rencana:
            return
        if self._uow is None:
            self._uow = self._uow_factory()
        try:
            self._uow.run(work)
        except Conflict:  # the same caller's requests collided past the retries: ask them to slow down
            raise TerlaluBanyak(1) from None
