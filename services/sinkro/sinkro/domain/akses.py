"""Who may trigger a sync for whom (S1), decided from the mirror, never from the request body.

The caller is who the verified token's e-mail says, mapped through the mirrored
Dapodik PTK (guru, kepala sekolah, Plt.) and the mirrored Admin Instansi accounts:
- a guru, a kepala sekolah or a Plt. syncs their own SKP, predicate and (as Plt.)
  "Sinkro data PLT";
- an Admin Instansi syncs anyone whose instansi (SIASN, else e-Kinerja) is one
  they administer;
- nobody else, and nobody for someone else.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.errors import Forbidden


@dataclass(frozen=True)
class Pelaku:
    """The verified caller as the mirror knows them."""

    sub: str
    ptk: dict[str, Any] | None = None  # their own Dapodik record, when they are a pegawai
    admin: dict[str, Any] | None = None  # their Admin Instansi account, when active

    @property
    def instansi_admin(self) -> frozenset[str]:
        if not self.admin or not self.admin.get("aktif", True):
            return frozenset()
        return frozenset(self.admin.get("instansi_ids") or ())

    @property
    def peran(self) -> str:
        if self.ptk is not None:
            if self.ptk.get("plt"):
                return "plt_kepala_sekolah"
            return "kepala_sekolah" if self.ptk.get("jabatan") == "kepala_sekolah" else "guru"
        return "admin_instansi" if self.instansi_admin else "tidak_dikenal"

    def catatan(self, sebagai: str) -> dict[str, str]:
        """Who acted, for the log (no e-mail: an id and a role)."""
        if sebagai == "admin_instansi" and self.admin:
            return {"peran": "admin_instansi", "id": str(self.admin.get("admin_id"))}
        return {"peran": self.peran, "id": str(self.ptk["ptk_id"]) if self.ptk else self.sub}


def untuk_diri_sendiri(pelaku: Pelaku, nip_target: str | None) -> bool:
    """True when the caller asks for themselves (no NIP, or their own)."""
    return nip_target is None or (pelaku.ptk is not None and pelaku.ptk.get("nip") == nip_target)


def pastikan_boleh(pelaku: Pelaku, nip_target: str | None, instansi_target: set[str]) -> str:
    """The capacity the caller acts in (`diri_sendiri` or `admin_instansi`), or Forbidden."""
    if untuk_diri_sendiri(pelaku, nip_target):
        if pelaku.ptk is None:
            raise Forbidden("akun_tidak_terhubung",
                            "Akun belajar.id Anda belum terhubung dengan data PTK di Dapodik. Minta Operator "
                            "Sekolah memeriksa alamat belajar.id Anda di Dapodik.")
        return "diri_sendiri"
    if not pelaku.instansi_admin:
        raise Forbidden("hanya_untuk_diri_sendiri",
                        "Anda hanya dapat melakukan Sinkro PMM untuk data Anda sendiri. Sinkronisasi untuk "
                        "pegawai lain dilakukan oleh Admin Instansi.")
    if not (instansi_target & pelaku.instansi_admin):
        raise Forbidden("bukan_pegawai_instansi_anda",
                        "Pegawai ini tidak terdaftar pada instansi yang Anda kelola.")
    return "admin_instansi"
