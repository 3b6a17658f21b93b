"""SIASN (BKN) -> PMM Guru: one civil servant's current record on `referensi.pegawai.diperbarui`.

    python examples/publish_siasn.py --project <gcp-project>

Send the whole record every time it changes, with `versi` increased (PMM keeps the newest).
"""
from __future__ import annotations

from typing import Any

import pmm_publish

TOPIC = "referensi.pegawai.diperbarui"
SOURCE = "//pmm.kemdikbud.go.id/eksternal:siasn"


def build_payload() -> dict[str, Any]:
    return {
        "nip": "198703152010012001",
        "pns_id": "A8ACA7E2C6A73C8AE040640A0F0C1234",
        "nama": "Siti Rahmawati",
        "status_kepegawaian": "pns",
        "instansi_id": "A5EB03E23CCFF6A0E040640A040252AD",
        "unor": {"id": "UNOR-SDN-1-HARAPAN", "nama": "SD Negeri 1 Harapan", "aktif": True,
                 "unor_atasan_id": "UNOR-DISDIK-HARAPAN", "npsn": "20104567"},
        "unor_sejak": "2020-01-02",
        "atasan_nip": "197501102000031002",
        "versi": 12,
        "diperbarui_pada": "2026-07-15T08:30:00Z",
    }


def main(argv: list[str] | None = None) -> str:
    # ce-subject is the PNS ID, not the NIP: attributes end up in logs, a NIP must not.
    return pmm_publish.main(TOPIC, SOURCE, build_payload, "pns_id", argv, __doc__.split("\n\n")[0])


if __name__ == "__main__":
    print(main())
