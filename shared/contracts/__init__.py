"""The published language between services and other ministry systems.

One registry of every Pub/Sub topic (with its payload model and producer) and
every subscription (which service's which CloudEvent function consumes it).
The local cloud creates topics and push subscriptions from it, infra checks
compare it with Terraform, and the AsyncAPI document is generated from it.
Payload models live beside their producer's area in this package, so producer
and consumers share one schema.
"""
from shared.contracts.registry import (  # noqa: F401
    SUBSCRIPTIONS,
    TOPICS,
    SubscriptionSpec,
    TopicSpec,
    dead_letter_topic,
    subscription_id,
    subscriptions_of,
    topic_spec,
)
from shared.contracts.registry import validate as _validate

# Each module registers the topics its area produces and the subscriptions its
# service's functions consume. One module per area, so work on one service
# never edits another's contract.
from shared.contracts import platform  # noqa: F401,E402
from shared.contracts import referensi_dapodik  # noqa: F401,E402  Dapodik / Verval PTK, Rapor Pendidikan
from shared.contracts import referensi_bkn  # noqa: F401,E402  SIASN, e-Kinerja reference data
from shared.contracts import karya  # noqa: F401,E402
from shared.contracts import umpan_balik  # noqa: F401,E402
from shared.contracts import kinerja  # noqa: F401,E402
from shared.contracts import sinkro  # noqa: F401,E402

_validate()
