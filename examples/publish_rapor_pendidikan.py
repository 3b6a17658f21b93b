"""Rapor Pendidikan -> PMM Guru: a school's published report on `referensi.rapor.diterbitkan`.

    python examples/publish_rapor_pendidikan.py --project <gcp-project>

The recommended sub-indicators for improvement, highest priority first (prioritas 1).
"""
from __future__ import annotations

from typing import Any

import pmm_publish

TOPIC = "referensi.rapor.diterbitkan"
SOURCE = "//pmm.kemdikbud.go.id/eksternal:rapor_pendidikan"


def build_payload() -> dict[str, Any]:
    return {
        "npsn": "20104567",
        "tahun": 2026,
        "rekomendasi": [{"sub_indikator_id": "A.1.1", "prioritas": 1},
                        {"sub_indikator_id": "D.4.2", "prioritas": 2}],
        "versi": 3,
    }


def main(argv: list[str] | None = None) -> str:
    return pmm_publish.main(TOPIC, SOURCE, build_payload, "npsn", argv, __doc__.split("\n\n")[0])


if __name__ == "__main__":
    print(main())
