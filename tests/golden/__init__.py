"""Golden envelopes: the exact HTTP requests Google's Pub/Sub push sends our functions.

`pubsub_push_outbox.json`: an event our outbox published (ce-* attributes), pushed with an OIDC token;
`pubsub_push_jadwal.json`: a Cloud Scheduler tick (only the job's configured data and attributes, plus
the messageId and publishTime Pub/Sub assigns). Helpers fill a template for one function and topic,
changing only what varies per delivery, and turn it into the CloudEvent functions-framework builds.
"""
from __future__ import annotations

import base64
import copy
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from shared.events import Event

GOLDEN = Path(__file__).resolve().parent
ROOT = GOLDEN.parents[1]


def template(name: str) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{name}.json").read_text())


def scheduler_jobs() -> dict[str, dict[str, Any]]:
    """{topic: job} from infra/generated/messaging.json: what Terraform deploys."""
    jobs = json.loads((ROOT / "infra" / "generated" / "messaging.json").read_text())["scheduler_jobs"]
    return {j["topic"]: j for j in jobs.values()}


def _rfc3339(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _fill(request: dict[str, Any], project: str, topic: str, function: str, message_id: str,
          published: datetime) -> dict[str, Any]:
    request["path"] = f"/projects/{project}/topics/{topic}"
    body = request["body"]
    body["subscription"] = f"projects/{project}/subscriptions/{function}.push"
    message = body["message"]
    message["messageId"] = message["message_id"] = message_id
    message["publishTime"] = message["publish_time"] = _rfc3339(published)
    return request


def outbox_push(event: Event[Any], function: str, project: str, message_id: str = "13190725651296011",
                published: datetime | None = None) -> dict[str, Any]:
    """The golden outbox push carrying `event` to `function`."""
    request = copy.deepcopy(template("pubsub_push_outbox"))
    data, attributes = event.to_pubsub()
    request["body"]["message"]["data"] = base64.b64encode(data).decode()
    request["body"]["message"]["attributes"] = attributes
    return _fill(request, project, event.topic, function, message_id, published or datetime.now(timezone.utc))


def jadwal_push(topic: str, function: str, project: str, message_id: str,
                published: datetime | None = None) -> dict[str, Any]:
    """The golden scheduler tick of `topic`'s job (data and attributes as messaging.json deploys them)."""
    job = scheduler_jobs()[topic]
    request = copy.deepcopy(template("pubsub_push_jadwal"))
    request["body"]["message"]["data"] = base64.b64encode(job["data"].encode()).decode()
    request["body"]["message"]["attributes"] = dict(job["attributes"])
    return _fill(request, project, topic, function, message_id, published or datetime.now(timezone.utc))


def post(client, request: dict[str, Any]):
    """Send a golden request through a WSGI test client (functions-framework's app)."""
    return client.open(request["path"], method=request["method"], headers=request["headers"],
                       data=json.dumps(request["body"]))


def to_cloud_event(request: dict[str, Any]):
    """The CloudEvent functions-framework makes of this raw push (its own conversion code)."""
    import flask
    from functions_framework import event_conversion

    app = flask.Flask("golden")
    with app.test_request_context(request["path"], method=request["method"], headers=request["headers"],
                                  data=json.dumps(request["body"])):
        return event_conversion.background_event_to_cloud_event(flask.request)
