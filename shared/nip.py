"""Identifiers of people and schools every service checks the same way: NIP / NI PPPK and NPSN (S4).

Pure rules, no I/O. kinerja (reference rows from Dapodik) and sinkro (sync requests, the partner API,
the log filter, the mirror it checks before sending) import this one implementation, so a NIP one
service accepts the other never calls malformed.

Rules are data (`ATURAN_NIP`), with their sources:
- NIP PNS 18 digits: Peraturan Kepala BKN No. 22/2007 and No. 43/2007 (8 digits birth date yyyymmdd,
  6 digits TMT CPNS yyyymm, 1 digit gender 1=pria 2=wanita, 3 digits serial from 001).
- NI PPPK 18 digits: the same, but digits 13-14 are the PPPK agreement code (21 = PPPK,
  24 = PPPK paruh waktu; secondary source, M), so for PPPK they are not checked as a month.
- NPSN: 8 digits (Dapodik).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Literal

from shared.errors import DomainError
from shared.models import FrozenModel

ATURAN_NIP: dict[str, Any] = {
    "tahun_lahir_min": 1940,
    "usia_pengangkatan_min_tahun": 17,
    "usia_pengangkatan_maks_tahun": 59,
    "kode_pppk_dikenal": ("21", "24"),
}


class InfoNip(FrozenModel):
    """What an 18-digit NIP (PNS/CPNS) or NI PPPK says about its holder."""

    nip: str
    tanggal_lahir: date
    tahun_pengangkatan: int
    bulan_pengangkatan: int | None  # None for NI PPPK (digits 13-14 are a PPPK code)
    kode_pppk: str | None
    jenis_kelamin: Literal["pria", "wanita"]
    nomor_urut: int


def _nip_galat(kode: str, pesan: str, nip: str) -> DomainError:
    return DomainError(kode, pesan, nip=nip, aktor="operator_sekolah",
                       tindak_lanjut="Berikan NIP yang tercatat di SIASN kepada Operator Sekolah; Operator Sekolah "
                       "memperbarui NIP Anda melalui Verval PTK agar sama dengan SIASN.")


def periksa_nip(nip: str, *, pppk: bool | None = None) -> InfoNip:
    """Validate an 18-digit NIP and return its parts; a refusal is a 422 `DomainError` whose `kode`
    names the part that is wrong (format, birth date, TMT, gender digit, serial).

    ``pppk=True``: digits 13-14 are the PPPK agreement code (not a month).
    ``pppk=False``: digits 13-14 must be the TMT month 01-12.
    ``pppk=None`` (status unknown): a month, or one of the known PPPK codes.
    """
    aturan = ATURAN_NIP
    if not isinstance(nip, str) or not re.fullmatch(r"\d{18}", nip):
        raise _nip_galat("nip_format_tidak_valid",
                         "NIP harus terdiri dari 18 digit angka tanpa spasi atau titik.", str(nip))
    lahir_teks, tahun_teks, bulan_teks, jk, urut = nip[:8], nip[8:12], nip[12:14], nip[14], nip[15:]
    try:
        lahir = date(int(lahir_teks[:4]), int(lahir_teks[4:6]), int(lahir_teks[6:8]))
    except ValueError:
        raise _nip_galat("nip_tanggal_lahir_tidak_valid",
                         f"Delapan digit pertama NIP ({lahir_teks}) bukan tanggal lahir yang valid (tahun-bulan-tanggal).",
                         nip) from None
    if lahir.year < aturan["tahun_lahir_min"]:
        raise _nip_galat("nip_tanggal_lahir_tidak_valid",
                         f"Tahun lahir pada NIP ({lahir.year}) tidak masuk akal untuk pegawai aktif.", nip)
    tahun = int(tahun_teks)
    usia = tahun - lahir.year
    if not aturan["usia_pengangkatan_min_tahun"] <= usia <= aturan["usia_pengangkatan_maks_tahun"]:
        raise _nip_galat("nip_tmt_tidak_valid",
                         f"Tahun pengangkatan pada NIP ({tahun}) tidak sesuai dengan tahun lahir ({lahir.year}).", nip)
    bulan: int | None = None
    kode_pppk: str | None = None
    bulan_valid = 1 <= int(bulan_teks) <= 12
    if pppk is True:
        kode_pppk = bulan_teks
    elif pppk is False:
        if not bulan_valid:
            raise _nip_galat("nip_tmt_tidak_valid",
                             f"Digit ke-13 dan ke-14 NIP ({bulan_teks}) harus bulan pengangkatan 01-12.", nip)
        bulan = int(bulan_teks)
    elif bulan_valid:
        bulan = int(bulan_teks)
    elif bulan_teks in aturan["kode_pppk_dikenal"]:
        kode_pppk = bulan_teks
    else:
        raise _nip_galat("nip_tmt_tidak_valid",
                         f"Digit ke-13 dan ke-14 NIP ({bulan_teks}) bukan bulan pengangkatan maupun kode PPPK.", nip)
    if jk not in ("1", "2"):
        raise _nip_galat("nip_jenis_kelamin_tidak_valid",
                         f"Digit ke-15 NIP ({jk}) harus 1 (pria) atau 2 (wanita).", nip)
    if urut == "000":
        raise _nip_galat("nip_nomor_urut_tidak_valid",
                         "Tiga digit terakhir NIP (nomor urut) tidak boleh 000.", nip)
    return InfoNip(nip=nip, tanggal_lahir=lahir, tahun_pengangkatan=tahun, bulan_pengangkatan=bulan,
                   kode_pppk=kode_pppk, jenis_kelamin="pria" if jk == "1" else "wanita", nomor_urut=int(urut))


def nip_sah(nip: Any, *, pppk: bool | None = None) -> bool:
    """True when `periksa_nip` accepts `nip` (for lenient wire data: invalid = missing)."""
    try:
        periksa_nip(nip, pppk=pppk)
    except DomainError:
        return False
    return True


def periksa_npsn(npsn: str) -> str:
    if not isinstance(npsn, str) or not re.fullmatch(r"\d{8}", npsn):
        raise DomainError("npsn_tidak_valid", f"NPSN '{npsn}' tidak valid: NPSN harus tepat 8 digit angka.",
                          npsn=str(npsn))
    return npsn
