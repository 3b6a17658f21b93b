"""tools/replay.py without Pub/Sub: which dead-letter queues a TOPIC names (from
infra/generated/messaging.json) and the arguments it refuses. The replay itself: tests/integration/test_replay.py."""
from __future__ import annotations

import pytest

from tools import replay


def test_a_topic_name_selects_every_dead_letter_queue_of_its_subscriptions():
    semua = replay.antrean()
    assert {a.function for a in replay.pilih("karya.karya.dipublikasikan", semua)} == \
        {"umpan_balik_on_karya_dipublikasikan"}
    assert {a.function for a in replay.pilih("referensi.ptk.diperbarui", semua)} == \
        {"kinerja_on_ptk_diperbarui", "sinkro_on_ptk_diperbarui", "umpan_balik_on_ptk_diperbarui"}
    assert replay.pilih("semua", semua) == semua
    assert replay.pilih("tidak.ada", semua) == []


@pytest.mark.parametrize("nama", ["sinkro_on_batch_dijadwalkan.dlq.sub", "sinkro_on_batch_dijadwalkan.dlq",
                                  "sinkro_on_batch_dijadwalkan.push", "sinkro_on_batch_dijadwalkan"])
def test_each_name_of_one_queue_selects_it_and_its_original_topic(nama):
    (a,) = replay.pilih(nama, replay.antrean())
    assert (a.subscription, a.topic) == ("sinkro_on_batch_dijadwalkan.dlq.sub", "sinkro.batch.dijadwalkan")


def test_refuses_a_time_without_zone_an_unknown_queue_and_no_project(monkeypatch, capsys):
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "demo-pmm")
    with pytest.raises(SystemExit) as e:
        replay.main(["semua", "--sampai", "2026-01-05T08:00:00"])
    assert e.value.code == 2 and "time zone" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        replay.main(["tidak.ada", "--kering"])
    assert e.value.code == 2 and "names no dead-letter queue" in capsys.readouterr().err
    monkeypatch.delenv("GOOGLE_CLOUD_PROJECT")
    with pytest.raises(SystemExit) as e:
        replay.main(["semua", "--kering"])
    assert e.value.code == 2 and "no project" in capsys.readouterr().err
