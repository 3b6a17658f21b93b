"""Composition root of the Sinkro PMM ke e-Kinerja service: the one place adapters are chosen.

Tests call `bootstrap(**overrides)` with replacements instead of patching.
"""
from __future__ import annotations

import functools
from functools import cached_property
from typing import Any

from pydantic import Field

from shared.batas import Jatah, JatahSetelan
from shared.errors import DomainError
from shared.http import Api, Principal
from shared.platform import Platform
from shared.settings import Settings, load_settings


class SinkroSettings(Settings):
    """Settings of this service (beyond the platform's)."""

    ekinerja_url: str = Field(alias="PMM_EKINERJA_URL", description="base URL of BKN's e-Kinerja Sinkro PMM API")
    ekinerja_api_key: str = Field(alias="PMM_EKINERJA_API_KEY", min_length=8,
                                  description="our x-api-key on e-Kinerja's whitelist (Secret Manager in prod)")
    pepper_kunci_api: str = Field(alias="PMM_PEPPER_KUNCI_API", min_length=6,
                                  description="pepper of the hashed partner API keys")
    kunci_mitra: str = Field("", alias="PMM_KUNCI_MITRA",
                             description="partner whitelist `name=hmac-sha256(key, pepper)`, comma-separated; a "
                                         "name may appear twice (old and new key while rotating). Locally the "
                                         "whitelist; in production the fallback of PMM_KUNCI_MITRA_RAHASIA")
    kunci_mitra_rahasia: str = Field("", alias="PMM_KUNCI_MITRA_RAHASIA", max_length=300,
                                     description="Secret Manager secret id (or projects/*/secrets/*/versions/* "
                                                 "name) holding the partner whitelist, read at runtime so a key "
                                                 "rotates without a redeploy; empty: PMM_KUNCI_MITRA")
    kunci_mitra_segar_detik: float = Field(300.0, alias="PMM_KUNCI_MITRA_SEGAR_DETIK", ge=10, le=3600,
                                           description="how often the partner whitelist is read again, seconds")
    laju_per_detik: float = Field(20.0, alias="PMM_SINKRO_LAJU_PER_DETIK", gt=0, le=1000,
                                  description="batch requests to e-Kinerja in any sliding second, all instances together")
    ukuran_potongan: int = Field(100, alias="PMM_SINKRO_UKURAN_POTONGAN", ge=1, le=400,
                                 description="(pegawai, jenis, periode) items per batch chunk message")
    paralel_kirim: int = Field(8, alias="PMM_SINKRO_PARALEL", ge=1, le=64,
                               description="concurrent sends inside one chunk consumer")
    pengirim_maks: int = Field(1, alias="PMM_SINKRO_PENGIRIM_MAKS", ge=1, le=1000,
                               description="most processes sending batch chunks at once (max instances of "
                                           "sinkro_on_batch_dijadwalkan x workers); each sends at most "
                                           "laju_per_detik / this per second")
    ulang_maks_percobaan: int = Field(4, alias="PMM_SINKRO_ULANG_MAKS", ge=1, le=10,
                                      description="attempts per send for #9 (HTTP 5xx / timeout)")
    ulang_jeda_dasar: float = Field(0.5, alias="PMM_SINKRO_ULANG_JEDA", ge=0, le=10,
                                    description="base of the full-jitter backoff for #9, seconds")
    batas_waktu_baca: float = Field(10.0, alias="PMM_SINKRO_BATAS_WAKTU", gt=0, le=60,
                                    description="read timeout of one e-Kinerja call, seconds")
    # Per-caller budgets (OWASP API4) on the routes that make us check and call e-Kinerja. A person
    # (a teacher for themself, an Admin Instansi for pegawai one by one) shares one budget between
    # "sync" and "check"; bulk work is the daily batch's. The partner API has one budget per partner:
    # one document per window takes its writes, so 60 a minute stays near Firestore's sustained
    # one write a second per document.
    batas_sinkro_menit: JatahSetelan = Field(Jatah(10, 60), alias="PMM_BATAS_SINKRO_MENIT",
                                             description="sync/check requests per user: <jumlah>/<detik>")
    batas_sinkro_hari: JatahSetelan = Field(Jatah(200, 86400), alias="PMM_BATAS_SINKRO_HARI",
                                            description="sync/check requests per user a day (UTC day)")
    batas_mitra_menit: JatahSetelan = Field(Jatah(60, 60), alias="PMM_BATAS_MITRA_MENIT",
                                            description="partner API sync requests per partner: <jumlah>/<detik>")


class SinkroPlatform(Platform):
    settings: SinkroSettings

    @cached_property
    def klien(self):
        from sinkro.adapters.ekinerja import KebijakanUlang, KlienEkinerja
        import requests

        s = self.settings
        session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=max(10, s.paralel_kirim * 4))
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return KlienEkinerja(s.ekinerja_url, s.ekinerja_api_key, session=session,
                             timeout=(3.05, s.batas_waktu_baca),
                             kebijakan_ulang=KebijakanUlang(maks_percobaan=s.ulang_maks_percobaan,
                                                            jeda_dasar=s.ulang_jeda_dasar))

    @cached_property
    def kunci_mitra(self):
        from sinkro.adapters.kunci_mitra import SumberKunciMitra, nama_versi_rahasia, pembaca_secret_manager

        s = self.settings
        if s.kunci_mitra_rahasia:
            baca = pembaca_secret_manager(nama_versi_rahasia(s.kunci_mitra_rahasia, s.project_id))
        else:
            baca = lambda: s.kunci_mitra  # noqa: E731 - locally the environment is the whitelist
        return SumberKunciMitra(baca, s.pepper_kunci_api, segar_detik=s.kunci_mitra_segar_detik,
                                cadangan=s.kunci_mitra)

    def wire(self, api: Api) -> Api:
        super().wire(api)
        api.authenticate_partner = self.mitra
        return api

    def mitra(self, request) -> Principal:
        """e-Kinerja calling us: a key off our whitelist is #6, with its actor and follow-up."""
        from sinkro.domain.galat import entri

        kunci = request.headers.get("x-api-key", "")
        mitra = self.kunci_mitra.mitra_untuk(kunci) if kunci else None
        if mitra is None:
            data = entri(6)
            raise DomainError("kunci_api_tidak_terdaftar",
                              "xApiKey tidak ada di whitelist. Hubungi pengelola PMM untuk mendaftarkan kunci Anda.",
                              status=401, nomor_galat=6, aktor=data.aktor.value, tindak_lanjut=list(data.tindak_lanjut))
        return Principal(sub=f"mitra:{mitra}", jenis="mitra", mitra=mitra)


@functools.cache
def default() -> SinkroPlatform:
    """The process-wide platform, built at first use from the environment."""
    return bootstrap()


def bootstrap(settings: SinkroSettings | None = None, **overrides: Any) -> SinkroPlatform:
    return SinkroPlatform(settings or load_settings(SinkroSettings), **overrides)
