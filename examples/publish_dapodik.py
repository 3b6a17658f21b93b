"""Dapodik / Verval PTK -> PMM Guru: one pendidik's current record on `referensi.ptk.diperbarui`.

    python examples/publish_dapodik.py --project <gcp-project>

Send the whole record every time it changes, with `versi` increased (PMM keeps the newest).
Schools, Dinas and pengawas go the same way on referensi.sekolah/dinas/pengawas.diperbarui.
"""
from __future__ import annotations

from typing import Any

import pmm_publish

TOPIC = "referensi.ptk.diperbarui"
SOURCE = "//pmm.kemdikbud.go.id/eksternal:dapodik"


def build_payload() -> dict[str, Any]:
    return {
        "ptk_id": "a1b2c3d4-0000-4000-8000-000000000001",
        "nama": "Siti Rahmawati",
        "nip": "198703152010012001",
        "npsn_induk": "20104567",
        "status_kepegawaian": "pns",
        "jabatan": "guru",
        "email_belajar_id": "siti.rahmawati@belajar.id",
        "status_keaktifan": "aktif",
        "versi": 7,
        "diperbarui_pada": "2026-07-15T08:30:00Z",
    }


def main(argv: list[str] | None = None) -> str:
    return pmm_publish.main(TOPIC, SOURCE, build_payload, "ptk_id", argv, __doc__.split("\n\n")[0])


if __name__ == "__main__":
    print(main())
