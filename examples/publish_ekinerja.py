"""e-Kinerja (BKN) -> PMM Guru: one pegawai's e-Kinerja account on `referensi.pegawai_ekinerja.diperbarui`.

    python examples/publish_ekinerja.py --project <gcp-project>

Organisation SKPs and Admin Instansi accounts go the same way on
referensi.skp_organisasi.diperbarui and referensi.admin_instansi.diperbarui.
"""
from __future__ import annotations

from typing import Any

import pmm_publish

TOPIC = "referensi.pegawai_ekinerja.diperbarui"
SOURCE = "//pmm.kemdikbud.go.id/eksternal:ekinerja"


def build_payload() -> dict[str, Any]:
    return {
        "nip": "198703152010012001",
        "terdaftar": True,
        "instansi_id": "A5EB03E23CCFF6A0E040640A040252AD",
        "unor_id": "UNOR-SDN-1-HARAPAN",
        "unor_aktif": True,
        "pengguna_pmm": True,
        "skp": [{"periode": "2026-1", "unor_id": "UNOR-SDN-1-HARAPAN", "unor_nama": "SD Negeri 1 Harapan"}],
        "penugasan_plt": [],
        "versi": 4,
        "diperbarui_pada": "2026-07-15T08:30:00Z",
    }


def main(argv: list[str] | None = None) -> str:
    # No ce-subject: the record's key is the NIP, and attributes end up in logs.
    return pmm_publish.main(TOPIC, SOURCE, build_payload, None, argv, __doc__.split("\n\n")[0])


if __name__ == "__main__":
    print(main())
