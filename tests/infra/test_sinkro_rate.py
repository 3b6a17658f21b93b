"""The e-Kinerja rate limit holds only if the senders the limiter assumes are the senders deployed:
PMM_SINKRO_PENGIRIM_MAKS must equal max instances x gunicorn workers of the batch consumer (S3, #9)."""
from pathlib import Path

import hcl2
import pytest

from sinkro.bootstrap import SinkroSettings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("env", ["staging", "prod"])
def test_batch_sender_count_matches_the_rate_limit_split(env):
    tfvars = hcl2.loads((ROOT / "infra" / "envs" / env / "terraform.tfvars").read_text())
    scaling = tfvars["scaling"]
    if isinstance(scaling, list):
        scaling = scaling[0]
    batch = scaling["sinkro_on_batch_dijadwalkan"]
    batch = batch[0] if isinstance(batch, list) else batch
    defaults = tfvars["scaling_defaults"]
    defaults = defaults[0] if isinstance(defaults, list) else defaults
    consumer = defaults["consumer"][0] if isinstance(defaults["consumer"], list) else defaults["consumer"]
    workers = max(1, int(float(str(batch.get("cpu", consumer["cpu"])).strip('"'))))
    senders = int(batch["max_instances"]) * workers
    assert senders == SinkroSettings.model_fields["pengirim_maks"].default
