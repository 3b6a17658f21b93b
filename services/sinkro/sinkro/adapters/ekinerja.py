"""HTTP client for BKN's e-Kinerja "Sinkro PMM" API (S1, S3 #6/#8/#9/#11/#12/#13).

The real e-Kinerja interface is not public; the REST shape below is our
choice, spoken identically by the local stand-in (`local/standins/ekinerja.py`).

Requests (JSON, header `x-api-key: <key>`; the key must be on e-Kinerja's whitelist)::

    POST /api/v1/skp/sinkron
        {"nip": "18 digits", "periode": "2024-1", "versi": 3, "unor_id": "...",
         "rhk": [{"id": "...", "uraian": "...", "indikator": ["..."]}],
         "perilaku": ["..."], "timpa_skp_lain": false,
         "jabatan": "guru|kepala_sekolah", "atasan_nip": "18 digits|null"}
        (a principal's SKP becomes the organisation SKP its teachers' SKPs link to, #15/#17)
    POST /api/v1/predikat/sinkron
        {"nip": "...", "periode": "2024-1", "versi": 1, "predikat": "Baik"}
    POST /api/v1/plt/sinkron
        {"nip": "...", "periode": "2024-1", "versi": 1,
         "penugasan": [{"npsn": "...", "nama_sekolah": "...", "versi_skp": 2,
                        "rhk": [...], "perilaku": [...], "predikat": "Baik|null"}]}
        (one entry per SKP sebagai Plt. Kepala Sekolah, "Sinkro data PLT PMM"; `versi` grows with any of them)

Answers::

    201 {"status": "diterima", "id_sinkron": "...", "duplikat": false}   first time
    200 {"status": "diterima", "id_sinkron": "...", "duplikat": true}    same nip+periode+versi again
    4xx/5xx {"kode_galat": "<kode of sinkro.domain.galat>", "pesan": "...",
             optional "kondisi", "nilai_pmm", "nilai_bkn"}

`(nip, periode, versi)` is the idempotency key per kind: a resend after a
timeout cannot create a second SKP, so retrying is safe.

Error mapping: `kode_galat` picks the catalogue entry; without one, the
source's wording in `pesan` (e.g. "Unexpected period value"); without that, the
status: 401/403 -> #6, any 5xx -> #9, 429/408 -> `EkinerjaMembatasi` (not a
refusal: "not now"). #9 (5xx, timeouts, dropped connections) and 429/408 are
retried, with full-jitter exponential backoff that never waits less than the
answer's `Retry-After` (seconds or an HTTP date); when that wait does not fit
the time budget the error is raised with `coba_lagi_detik`, and the service
schedules the retry. An error a person must fix (#6, #8, #11, ...) is raised at
once, even when e-Kinerja wraps it in a 500. Any other answer is
`JawabanEkinerjaTidakDikenal`: retried by the next automatic run (it may be
e-Kinerja's transient state), never counted as accepted.

No personal data (NIP) and never the API key go into log messages.
"""
from __future__ import annotations

import logging
import random
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any, Callable, Literal

import requests

from shared.errors import DomainError
from shared.models import FrozenModel, Identifier, Nama, TeksPanjang, TeksPendek
from sinkro.domain.galat import (KATALOG, Aktor, EkinerjaMembatasi, SinkroGagal, SkpBelumAdaDiEkinerja,
                                 entri_menurut_kode)
from sinkro.domain.pemeriksaan import Nip, Npsn, Periode

log = logging.getLogger(__name__)

JALUR_SKP = "/api/v1/skp/sinkron"
JALUR_PREDIKAT = "/api/v1/predikat/sinkron"
JALUR_PLT = "/api/v1/plt/sinkron"

# The source's wording of errors e-Kinerja answers in free text (SRC-BIMTEK-MAPPI slides 55-58),
# matched case-insensitively when an answer carries no `kode_galat`.
_PENANDA_PESAN: tuple[tuple[str, int], ...] = (
    ("does not exists in whitelist", 6),
    ("unexpected period value", 8),
    ("reading 'unor_id'", 11),
    ("status code 500", 9),
)


# --- payloads ---


class RhkKirim(FrozenModel):
    id: Identifier
    uraian: TeksPanjang
    indikator: tuple[TeksPendek, ...] = ()


class KirimSkp(FrozenModel):
    nip: Nip
    periode: Periode
    versi: int
    unor_id: Identifier
    rhk: tuple[RhkKirim, ...]
    perilaku: tuple[TeksPendek, ...] = ()
    timpa_skp_lain: bool = False
    jabatan: Literal["guru", "kepala_sekolah"] = "guru"
    atasan_nip: Nip | None = None


class KirimPredikat(FrozenModel):
    nip: Nip
    periode: Periode
    versi: int
    predikat: Nama


class PenugasanPltKirim(FrozenModel):
    """One school led as Plt. with its SKP sebagai Plt. Kepala Sekolah (and its predicate once set)."""
    npsn: Npsn
    nama_sekolah: Nama
    versi_skp: int | None = None
    rhk: tuple[RhkKirim, ...] = ()
    perilaku: tuple[TeksPendek, ...] = ()
    predikat: Nama | None = None


class KirimPlt(FrozenModel):
    nip: Nip
    periode: Periode
    versi: int
    penugasan: tuple[PenugasanPltKirim, ...]


@dataclass(frozen=True)
class TandaTerima:
    """e-Kinerja accepted the send (or had already accepted this version)."""

    id_sinkron: str
    duplikat: bool
    percobaan: int


class JawabanEkinerjaTidakDikenal(DomainError):
    """e-Kinerja refused with an answer none of the 20 documented errors explains."""

    def __init__(self, status_http: int, rincian: str) -> None:
        self.aktor = Aktor.helpdesk_bkn
        super().__init__(
            "jawaban_ekinerja_tidak_dikenal",
            "e-Kinerja menolak sinkronisasi dengan jawaban yang tidak dikenal. Laporkan waktu "
            "kejadian kepada helpdesk BKN melalui https://support-siasn.bkn.go.id/.",
            status=502,
            aktor=self.aktor.value,
            status_ekinerja=status_http,
            rincian=rincian,
            dapat_diulang_otomatis=True,  # not a refusal we understand: the next automatic run asks again
        )


# --- client ---


@dataclass(frozen=True)
class KebijakanUlang:
    """Retry policy for #9 only: full-jitter exponential backoff, bounded in count and time."""

    maks_percobaan: int = 4  # attempts in all, the first included
    jeda_dasar: float = 0.5  # seconds; attempt n waits U(0, min(jeda_maks, jeda_dasar * 2**n))
    jeda_maks: float = 8.0
    batas_waktu_total: float = 30.0  # seconds from the first attempt; no retry would end after it


Gerbang = Callable[[], AbstractContextManager[Any]]


class KlienEkinerja:
    """Sends SKP, predikat and Plt. data to e-Kinerja; raises `SinkroGagal` with the published number."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (3.05, 10.0),
        kebijakan_ulang: KebijakanUlang = KebijakanUlang(),
        tidur: Callable[[float], None] = time.sleep,
        jam: Callable[[], float] = time.monotonic,
        acak: Callable[[], float] = random.random,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._session = session or requests.Session()
        self._timeout = timeout
        self._ulang = kebijakan_ulang
        self._tidur = tidur
        self._jam = jam
        self._acak = acak

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> "KlienEkinerja":
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def kirim_skp(self, kiriman: KirimSkp, gerbang: Gerbang | None = None) -> TandaTerima:
        return self._kirim(JALUR_SKP, kiriman, gerbang)

    def kirim_predikat(self, kiriman: KirimPredikat, gerbang: Gerbang | None = None) -> TandaTerima:
        return self._kirim(JALUR_PREDIKAT, kiriman, gerbang)

    def kirim_plt(self, kiriman: KirimPlt, gerbang: Gerbang | None = None) -> TandaTerima:
        return self._kirim(JALUR_PLT, kiriman, gerbang)

    def _kirim(self, jalur: str, kiriman: FrozenModel, gerbang: Gerbang | None = None) -> TandaTerima:
        """`gerbang`: a context manager factory held around every HTTP attempt (retries included),
        e.g. the batch's rate limiter (`PembatasLaju.giliran`)."""
        badan = kiriman.model_dump(mode="json")
        mulai = self._jam()
        percobaan = 0
        while True:
            percobaan += 1
            try:
                with gerbang() if gerbang is not None else nullcontext():
                    jawaban = self._session.post(
                        self._base_url + jalur,
                        json=badan,
                        headers={"x-api-key": self._api_key, "Accept": "application/json"},
                        timeout=self._timeout,
                    )
            except (requests.Timeout, requests.ConnectionError) as sebab:
                galat: DomainError = SinkroGagal(9, rincian=f"tidak ada jawaban: {type(sebab).__name__}")
                tunggu_minimal = 0.0
            else:
                if 200 <= jawaban.status_code < 300:
                    return _tanda_terima(jawaban, percobaan)
                galat = _galat_dari_jawaban(jawaban)
                tunggu_minimal = _retry_after(jawaban)
            sementara = isinstance(galat, EkinerjaMembatasi) or (
                isinstance(galat, SinkroGagal) and galat.dapat_diulang_otomatis)
            if not sementara:
                log.info("e-Kinerja menolak %s: %s (percobaan %d)", jalur, galat.kode, percobaan)
                raise galat
            jeda = self._jeda(percobaan, tunggu_minimal)
            if percobaan >= self._ulang.maks_percobaan or self._jam() - mulai + tunggu_minimal > \
                    self._ulang.batas_waktu_total or self._jam() - mulai + jeda > self._ulang.batas_waktu_total:
                log.warning("e-Kinerja %s gagal sementara, menyerah setelah %d percobaan", jalur, percobaan)
                raise galat
            log.warning(
                "e-Kinerja %s gagal sementara (%s), ulang dalam %.2f dtk (percobaan %d)",
                jalur,
                galat.extra.get("rincian"),
                jeda,
                percobaan,
            )
            self._tidur(jeda)

    def _jeda(self, percobaan: int, tunggu_minimal: float) -> float:
        """Backoff, but never shorter than e-Kinerja's Retry-After (the budget check decides whether to wait)."""
        plafon = min(self._ulang.jeda_maks, self._ulang.jeda_dasar * 2 ** (percobaan - 1))
        return max(tunggu_minimal, self._acak() * plafon)


def _tanda_terima(jawaban: requests.Response, percobaan: int) -> TandaTerima:
    badan = _json(jawaban) or {}
    return TandaTerima(
        id_sinkron=str(badan.get("id_sinkron", "")),
        duplikat=bool(badan.get("duplikat", False)),
        percobaan=percobaan,
    )


def _galat_dari_jawaban(jawaban: requests.Response) -> DomainError:
    badan = _json(jawaban)
    kode = badan.get("kode_galat") if isinstance(badan, dict) else None
    pesan = str(badan.get("pesan", "")) if isinstance(badan, dict) else jawaban.text[:500]
    if jawaban.status_code in (408, 429):
        return EkinerjaMembatasi(jawaban.status_code, _retry_after(jawaban) or 1.0)
    if kode == "skp_belum_ada_di_ekinerja":
        return SkpBelumAdaDiEkinerja(rincian=f"HTTP {jawaban.status_code}")
    nomor = _nomor_galat(jawaban.status_code, kode, pesan)
    if nomor is None:
        return JawabanEkinerjaTidakDikenal(jawaban.status_code, f"HTTP {jawaban.status_code} {kode or ''}".strip())
    tambahan: dict[str, Any] = {}
    if isinstance(badan, dict):
        kondisi = badan.get("kondisi")
        if kondisi is not None and any(k.kondisi == kondisi for k in KATALOG[nomor].kondisi):
            tambahan["kondisi"] = kondisi
        tambahan["nilai_pmm"] = badan.get("nilai_pmm")
        tambahan["nilai_bkn"] = badan.get("nilai_bkn")
    return SinkroGagal(nomor, rincian=f"HTTP {jawaban.status_code}", **tambahan)


def _nomor_galat(status: int, kode: Any, pesan: str) -> int | None:
    if isinstance(kode, str):
        dikenal = entri_menurut_kode(kode)
        if dikenal is not None:
            return dikenal.nomor
    teks = pesan.lower()
    for penanda, nomor in _PENANDA_PESAN:
        if penanda in teks:
            return nomor
    if status in (401, 403):
        return 6
    if status >= 500:
        return 9
    return None


def _json(jawaban: requests.Response) -> Any:
    try:
        return jawaban.json()
    except ValueError:
        return None


def _retry_after(jawaban: requests.Response) -> float:
    """Retry-After in seconds: delay-seconds or an HTTP-date (RFC 9110 section 10.2.3); 0 when absent."""
    nilai = (jawaban.headers.get("Retry-After") or "").strip()
    if not nilai:
        return 0.0
    try:
        return max(0.0, float(nilai))
    except ValueError:
        pass
    try:
        kapan = parsedate_to_datetime(nilai)
    except (TypeError, ValueError):
        return 0.0
    if kapan.tzinfo is None:
        kapan = kapan.replace(tzinfo=timezone.utc)
    return max(0.0, (kapan - datetime.now(timezone.utc)).total_seconds())
