"""Dead-letter replay: `make replay TOPIC=<name> [ARGS="--sampai 2026-01-05T08:00:00+07:00 --kering"]`.

Pulls the messages parked on the dead-letter pull subscriptions `<function>.dlq.sub`
(infra/generated/messaging.json; `local/cloud.py provision_pubsub` makes the same ones on the
emulator) and republishes each to the topic its push subscription reads, with its data, attributes
and ordering key unchanged; a message is acked only after its publish succeeded. Consumers dedupe by
`ce-id`, so a message replayed twice (a crash between publish and ack) is harmless; subscriptions
of the same topic that already handled it ack the copy as a duplicate.

Same google-cloud-pubsub client in production and locally: with PUBSUB_EMULATOR_HOST set it talks to
the emulator. Project: `--project`, else GOOGLE_CLOUD_PROJECT.

TOPIC is any of: the original topic (every dead-letter queue of its subscriptions), a dead-letter topic
`<function>.dlq`, its subscription `<function>.dlq.sub`, a push subscription `<function>.push`, the
function's entry point name, or `semua` (every dead-letter queue). Runbook: docs/runbook.md.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

MESSAGING = Path(__file__).resolve().parents[1] / "infra" / "generated" / "messaging.json"
# Pub/Sub adds these when it forwards a message to a dead-letter topic; the replayed copy is the
# original message, so they are dropped (every other attribute is kept as is).
DLQ_ATTRIBUTE_PREFIX = "CloudPubSubDeadLetter"
PULL_BATCH = 100
PULL_TIMEOUT_SECONDS = 5.0
PUBLISH_TIMEOUT_SECONDS = 60.0


@dataclass(frozen=True)
class Antrean:
    """One dead-letter queue: its pull subscription and the topic its messages go back to."""
    subscription: str
    topic: str
    function: str


def antrean(messaging: dict[str, Any] | None = None) -> list[Antrean]:
    m = messaging if messaging is not None else json.loads(MESSAGING.read_text())
    subs = m["subscriptions"]
    return [Antrean(d["subscription"], subs[d["source_subscription"]]["topic"], d["function"])
            for d in m["dead_letter_topics"].values()]


def pilih(nama: str, semua: list[Antrean]) -> list[Antrean]:
    """The dead-letter queues `nama` names (see the module docstring); [] when none."""
    if nama == "semua":
        return list(semua)
    return [a for a in semua if nama in (a.subscription, a.subscription.removesuffix(".sub"), a.function,
                                         f"{a.function}.push", a.topic)]


@dataclass
class Laporan:
    dry_run: bool
    per_topic_type: Counter = field(default_factory=Counter)
    ids: list[str] = field(default_factory=list)
    dilewati_sampai: int = 0
    gagal: list[str] = field(default_factory=list)

    @property
    def jumlah(self) -> int:
        return sum(self.per_topic_type.values())

    def cetak(self, out=sys.stdout) -> None:
        kata = "would replay" if self.dry_run else "replayed"
        print(f"{kata} {self.jumlah} message(s)", file=out)
        for (topic, jenis), n in sorted(self.per_topic_type.items()):
            print(f"  {topic}  {jenis}  {n}", file=out)
        for i in self.ids:
            print(f"  id {i}", file=out)
        if self.dilewati_sampai:
            print(f"left parked (published after --sampai): {self.dilewati_sampai}", file=out)
        for g in self.gagal:
            print(f"NOT replayed (publish failed, left parked): {g}", file=out)


def _emulator() -> bool:
    return bool(os.environ.get("PUBSUB_EMULATOR_HOST"))


def _kosong_berturut() -> int:
    """Empty pulls in a row that mean "queue drained". Pub/Sub may answer a synchronous pull with no
    messages while some wait elsewhere in the service, so production asks twice; the emulator answers
    from its one queue, so once is enough there."""
    return 1 if _emulator() else 2


def _publish_time(received: Any) -> datetime:
    t = received.message.publish_time  # DatetimeWithNanoseconds (proto-plus) or Timestamp
    if hasattr(t, "ToDatetime"):
        return t.ToDatetime(tzinfo=timezone.utc)
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def replay(project: str, targets: list[Antrean], *, sampai: datetime | None = None, dry_run: bool = False,
           publisher: Any = None, subscriber: Any = None) -> Laporan:
    from google.api_core import exceptions as gexc
    from google.cloud import pubsub_v1

    publisher = publisher or pubsub_v1.PublisherClient(
        publisher_options=pubsub_v1.types.PublisherOptions(enable_message_ordering=True))
    subscriber = subscriber or pubsub_v1.SubscriberClient()
    laporan = Laporan(dry_run=dry_run)
    for a in targets:
        sub_path = subscriber.subscription_path(project, a.subscription)
        topic_path = publisher.topic_path(project, a.topic)
        dilihat: set[str] = set()
        ditahan: list[str] = []  # ack ids leased but not acked: given back at the end
        kosong = 0
        while kosong < _kosong_berturut():
            try:
                # the emulator holds an empty pull until the deadline unless told not to (Pub/Sub itself
                # deprecates the flag: there a long poll is the right thing)
                resp = subscriber.pull(request={"subscription": sub_path, "max_messages": PULL_BATCH}
                                       | ({"return_immediately": True} if _emulator() else {}),
                                       timeout=PULL_TIMEOUT_SECONDS)
                received = list(resp.received_messages)
            except gexc.DeadlineExceeded:
                received = []
            baru = [r for r in received if r.message.message_id not in dilihat]
            ditahan += [r.ack_id for r in received if r.message.message_id in dilihat]
            kosong = 0 if baru else kosong + 1
            for r in baru:
                msg = r.message
                dilihat.add(msg.message_id)
                if sampai is not None and _publish_time(r) > sampai:
                    laporan.dilewati_sampai += 1
                    ditahan.append(r.ack_id)
                    continue
                attrs = {k: v for k, v in msg.attributes.items() if not k.startswith(DLQ_ATTRIBUTE_PREFIX)}
                ce_id = attrs.get("ce-id", msg.message_id)
                if dry_run:
                    ditahan.append(r.ack_id)
                else:
                    try:
                        publisher.publish(topic_path, msg.data, ordering_key=msg.ordering_key,
                                          **attrs).result(timeout=PUBLISH_TIMEOUT_SECONDS)
                    except Exception as exc:  # noqa: BLE001 - reported, the message stays parked
                        laporan.gagal.append(f"{a.subscription} {ce_id}: {exc}")
                        ditahan.append(r.ack_id)
                        if msg.ordering_key:
                            publisher.resume_publish(topic_path, msg.ordering_key)
                        continue
                    # ack only once the copy is on the topic: a crash before this line replays it again
                    subscriber.acknowledge(request={"subscription": sub_path, "ack_ids": [r.ack_id]})
                laporan.per_topic_type[(a.topic, attrs.get("ce-type", "?"))] += 1
                laporan.ids.append(ce_id)
        # give the untouched ones back at once instead of after the lease (the next run sees them);
        # in slices, as one request carries at most 512 kB
        for i in range(0, len(ditahan), PULL_BATCH):
            subscriber.modify_ack_deadline(request={"subscription": sub_path, "ack_ids": ditahan[i:i + PULL_BATCH],
                                                    "ack_deadline_seconds": 0})
    return laporan


def _waktu(teks: str) -> datetime:
    t = datetime.fromisoformat(teks.replace("Z", "+00:00"))
    if t.tzinfo is None:
        raise argparse.ArgumentTypeError("--sampai needs a time zone, e.g. 2026-01-05T08:00:00+07:00")
    return t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="make replay", description=__doc__.split("\n\n")[0])
    ap.add_argument("topic", help="original topic, <function>.dlq(.sub), <function>.push, <function> or semua")
    ap.add_argument("--sampai", type=_waktu, help="replay only messages parked at or before this time (ISO 8601)")
    ap.add_argument("--kering", action="store_true", help="dry run: print what would be replayed, ack nothing")
    ap.add_argument("--project", default=os.environ.get("GOOGLE_CLOUD_PROJECT"))
    args = ap.parse_args(argv)
    if not args.project:
        ap.error("no project: pass --project or set GOOGLE_CLOUD_PROJECT")
    targets = pilih(args.topic, antrean())
    if not targets:
        ap.error(f"{args.topic!r} names no dead-letter queue in {MESSAGING.name}")
    print(f"project {args.project}; dead-letter subscriptions: {', '.join(a.subscription for a in targets)}")
    laporan = replay(args.project, targets, sampai=args.sampai, dry_run=args.kering)
    laporan.cetak()
    return 1 if laporan.gagal else 0


if __name__ == "__main__":
    sys.exit(main())
