"""One rule for every e-mail -> person index the reference consumers write (hardening, P1/P2/P14).

A belajar.id address belongs to one person. Dapodik records arrive in any order, repeated, and an
operator's typo (or a deliberate edit) can list someone else's address on another record; last writer
wins would let that record take over, or lock out, the address's owner. So an index entry keeps every
record's *claim* on the address (``klaim[slot][record key] = the fields that record wants on the entry``)
and resolves them the same way whatever the arrival order:

- claims naming one person: that person owns the address (fields of the lowest record key, so two
  records of the same person never flip-flop);
- claims naming two or more persons: quarantine. The slot's fields are emptied (neither takes the
  address) and ``bentrok[slot]`` names every claimant; sign-in with the address answers 403
  ``email_bentrok`` until Dapodik is fixed;
- a record that drops the address (newer version) withdraws its claim: the remaining owner gets it.

Each record's own newest version is already decided by its consumer (``versi``), so the set of claims,
hence the entry, depends only on the newest version of each record: idempotent and order-independent.
A slot is one role (PTK, Kepala Dinas, pengawas): the same person holding two roles is not a collision.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.errors import Forbidden

KLAIM = "klaim"  # the claims map: read by id only, exempt from indexing (see `tanpa_indeks` in the services)
KODE_BENTROK = "email_bentrok"
PESAN_BENTROK = ("Alamat email belajar.id Anda tercatat pada dua data Dapodik yang berbeda, sehingga belum dapat "
                 "dipakai untuk masuk. Minta Operator Sekolah memperbaiki email belajar.id di Dapodik / Verval PTK "
                 "agar hanya tercatat pada data Anda; setelah data terkirim ulang, akun Anda terhubung otomatis.")
TINDAK_LANJUT_BENTROK = ("Operator Sekolah memperbaiki email belajar.id di Dapodik / Verval PTK sehingga setiap "
                         "alamat hanya tercatat pada satu PTK.")


@dataclass(frozen=True)
class Slot:
    """One role's fields on an index entry. ``orang``: the field naming the person (claims naming
    different values collide); ``kunci``: the field holding the claiming record's key (to read an entry
    written before claims were kept); ``kolom``: every field the role writes."""
    nama: str
    orang: str
    kunci: str
    kolom: tuple[str, ...]


def _klaim_slot(entry: dict[str, Any], slot: Slot) -> dict[str, dict[str, Any]]:
    klaim = (entry.get(KLAIM) or {}).get(slot.nama)
    if klaim is not None:
        return dict(klaim)
    if entry.get(slot.orang):  # an entry from before claims were kept: its owner is the one claim
        return {str(entry.get(slot.kunci) or entry[slot.orang]): {k: entry.get(k) for k in slot.kolom}}
    return {}


def klaim(entry: dict[str, Any] | None, slot: Slot, kunci: str, isi: dict[str, Any] | None) -> dict[str, Any]:
    """The entry after the record ``kunci`` claims the address with ``isi`` (or withdraws, ``isi=None``).
    Returns the whole new document (the caller read ``entry`` in the same transaction and sets it back)."""
    baru = dict(entry or {})
    semua = _klaim_slot(baru, slot)
    if isi is None:
        semua.pop(kunci, None)
    else:
        semua[kunci] = {k: isi.get(k) for k in slot.kolom}
    baru[KLAIM] = {**(baru.get(KLAIM) or {}), slot.nama: semua}
    bentrok = dict(baru.get("bentrok") or {})
    orang = sorted({str(c.get(slot.orang)) for c in semua.values() if c.get(slot.orang)})
    if len(orang) == 1:
        pemilik = semua[min(k for k, c in semua.items() if c.get(slot.orang))]
        baru.update({k: pemilik.get(k) for k in slot.kolom})
        bentrok.pop(slot.nama, None)
    else:
        baru.update({k: None for k in slot.kolom})
        if orang:
            bentrok[slot.nama] = orang
        else:
            bentrok.pop(slot.nama, None)
    baru["bentrok"] = bentrok
    return baru


def bentrok(entry: dict[str, Any] | None) -> dict[str, list[str]]:
    """The quarantined slots of an entry: ``{slot: [person ids]}`` (empty when none)."""
    return dict((entry or {}).get("bentrok") or {})


def galat_bentrok() -> Forbidden:
    """The sign-in answer for a quarantined address. The other record's id is never shown to the caller."""
    return Forbidden(KODE_BENTROK, PESAN_BENTROK, aktor="operator_sekolah", tindak_lanjut=TINDAK_LANJUT_BENTROK)


def periksa(entry: dict[str, Any] | None) -> None:
    """Raise the 403 ``email_bentrok`` when the address is quarantined in any role."""
    if bentrok(entry):
        raise galat_bentrok()
