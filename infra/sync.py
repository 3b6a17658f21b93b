"""Generate the data files the Terraform reads, from the code.

    python -m infra.sync           # (re)write infra/generated/*.json   (make infra-sync)
    python -m infra.sync --check   # exit 1 and name each stale file (the test suite does this too)

The Terraform never lists a topic, subscription, function, env var or route by
hand: it `jsondecode`s these files and creates one resource per entry
(`for_each`). What they are built from:

- `messaging.json`: `shared.contracts` (TOPICS, SUBSCRIPTIONS, dead_letter_topic,
  subscription_id) and `infra/schedules.json` (cron of each scheduler topic);
- `functions.json`: the functions-framework entry points in each
  `services/<svc>/main.py`, the service's Settings class (its `bootstrap`) and
  `infra/settings_catalog.json` (where production gets each variable);
- `frontdoor.json`: each service's `/v1/<slug>` prefix and HTTP function (the load
  balancer's NEGs and URL map), the routes each service's `Api` serves, and the
  partner (x-api-key) routes Cloud Armor limits per key;
- `firestore.json`: the outbox and ledger collections of every service (TTL,
  the sweeper's index) and `infra/firestore_indexes.json`.

Everything that cannot be derived (a required setting production has no
source for, a scheduler topic without a schedule, a CloudEvent function no
subscription pushes to) stops the generator with a message saying what to add.
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import importlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INFRA = ROOT / "infra"
GENERATED = INFRA / "generated"
CATALOG = INFRA / "settings_catalog.json"
SCHEDULES = INFRA / "schedules.json"
INDEXES = INFRA / "firestore_indexes.json"
TIME_ZONE = "Asia/Jakarta"


class SyncError(RuntimeError):
    """The code is in a shape the generator cannot read at all."""


# What the code declares but production cannot have yet (a required setting with no source, a
# scheduler topic without a schedule, a subscription to a function main.py lacks). The files are
# still written without those entries; `make infra-sync` exits 1 and the test suite fails naming each.
PROBLEMS: list[str] = []


def _ensure_path() -> None:
    for p in [ROOT] + sorted((ROOT / "services").iterdir()):
        if str(p) not in sys.path and (p == ROOT or (p / "main.py").exists()):
            sys.path.insert(0, str(p))


# --- the code's side -------------------------------------------------------
def services() -> list[str]:
    """Every deployable source: a folder of services/ with a main.py."""
    return sorted(p.name for p in (ROOT / "services").iterdir() if (p / "main.py").exists())


def entry_points(service: str) -> dict[str, str]:
    """{function name: "http" | "cloudevent"} read from services/<svc>/main.py's decorators."""
    tree = ast.parse((ROOT / "services" / service / "main.py").read_text())
    found: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for deco in node.decorator_list:
            target = deco.func if isinstance(deco, ast.Call) else deco
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name == "http":
                found[node.name] = "http"
            elif name == "cloud_event":
                found[node.name] = "cloudevent"
    return found


def load_main(service: str):
    """Import services/<svc>/main.py as functions-framework would (module `main`), under a unique name."""
    _ensure_path()
    name = f"_pmm_main_{service}"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "services" / service / "main.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def api_of(service: str):
    """The `shared.http.Api` the service's HTTP function dispatches to (after its main is imported)."""
    from shared.http import Api

    load_main(service)
    apis = {id(v): v for m in list(sys.modules.values()) if m is not None
            and (getattr(m, "__name__", "") == service or getattr(m, "__name__", "").startswith(service + "."))
            for v in list(vars(m).values()) if isinstance(v, Api)}
    if len(apis) != 1:
        raise SyncError(f"services/{service}: expected one shared.http.Api in package {service}, found {len(apis)}")
    return next(iter(apis.values()))


def settings_class(service: str):
    """The most derived Settings subclass the service's bootstrap defines (or the platform's)."""
    from shared.settings import Settings

    _ensure_path()
    try:
        module = importlib.import_module(f"{service}.bootstrap")
    except ModuleNotFoundError:
        return Settings
    own = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Settings)
           and v.__module__ == module.__name__]
    if not own:
        return Settings
    leaves = [c for c in own if not any(o is not c and issubclass(o, c) for o in own)]
    if len(leaves) != 1:
        raise SyncError(f"{service}.bootstrap defines several unrelated Settings classes: {leaves}")
    return leaves[0]


def settings_fields(cls) -> dict[str, dict[str, Any]]:
    """{env name: {required, description}} of a Settings class."""
    return {(f.alias or name): {"required": f.is_required(), "description": f.description or ""}
            for name, f in cls.model_fields.items()}


# --- helpers ----------------------------------------------------------------
def deploy_name(function: str) -> str:
    """Cloud Functions 2nd gen / Cloud Run names: lowercase letters, digits, hyphens."""
    return function.replace("_", "-").lower()


def account_id(function: str) -> str:
    """A service account id (6-30 chars, [a-z][-a-z0-9]*[a-z0-9]) unique per function."""
    base = "fn-" + deploy_name(function)
    if len(base) <= 30:
        return base
    digest = hashlib.sha256(function.encode()).hexdigest()[:6]
    return base[:23].rstrip("-") + "-" + digest


def job_name(topic: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", topic)


def _load_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


# --- scheduler ticks and push deadlines ------------------------------------------
# Static attributes of every scheduler job (the same on every run; Pub/Sub adds only messageId and
# publishTime). They mark the producer for whoever reads a dead letter; a tick's identity is not here.
TICK_ATTRIBUTES = {"pmm-produsen": "cloud-scheduler"}
ENVS = INFRA / "envs"
PUSH_ACK_DEADLINE_MAX = 600  # Pub/Sub's maximum: how long a push waits for the function's answer


def cron_period_seconds(schedule: str) -> int:
    """Seconds between two runs of a 5-field cron with one run per period (`* * * * *`, `*/5 * * * *`,
    `0 * * * *`, `30 2 * * *`, `0 1 * * 1`): a tick older than this is skipped (the next one comes)."""
    fields = schedule.split()
    if len(fields) != 5:
        raise SyncError(f"cron {schedule!r}: expected 5 fields")
    minute, hour, dom, month, dow = fields
    if minute == "*":
        return 60
    if minute.startswith("*/") and minute[2:].isdigit():
        return 60 * int(minute[2:])
    if hour == "*":
        return 3600
    if hour.startswith("*/") and hour[2:].isdigit():
        return 3600 * int(hour[2:])
    if dom == "*" and month == "*":
        return 86400 if dow == "*" else 7 * 86400
    return 31 * 86400


def _unlist(value: Any) -> Any:
    """python-hcl2 wraps objects in one-element lists and keeps quotes on strings."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def function_timeouts() -> dict[str, dict[str, Any]]:
    """{env: {"defaults": {role: timeout}, "functions": {function: timeout}}} from
    infra/envs/<env>/terraform.tfvars (scaling_defaults per role, scaling per function)."""
    import hcl2

    out: dict[str, dict[str, Any]] = {}
    for tfvars in sorted(ENVS.glob("*/terraform.tfvars")):
        doc = hcl2.loads(tfvars.read_text())
        defaults = {_unlist(r): int(_unlist(_unlist(v).get("timeout_seconds")))
                    for r, v in _unlist(doc.get("scaling_defaults", {})).items()}
        scaling = _unlist(doc.get("scaling", {})) or {}
        per_fn = {_unlist(f): int(_unlist(_unlist(v)["timeout_seconds"]))
                  for f, v in scaling.items() if "timeout_seconds" in _unlist(v)}
        out[tfvars.parent.name] = {"defaults": defaults, "functions": per_fn}
    return out


def function_role(function: str) -> str:
    return "sweeper" if function.endswith("_sapu_outbox") else "consumer"


def ack_deadlines(function: str, timeouts: dict[str, dict[str, Any]]) -> dict[str, int]:
    """{env: ack deadline} of the push subscription to `function`: its timeout in that env. For a
    push the ack deadline is how long Pub/Sub waits for the HTTP answer; a shorter one would count
    a slow but successful run as failed and deliver it again while it still runs."""
    out = {}
    for env, t in sorted(timeouts.items()):
        timeout = t["functions"].get(function, t["defaults"].get(function_role(function)))
        if timeout is None:
            PROBLEMS.append(f"infra/envs/{env}/terraform.tfvars: no timeout_seconds for {function}'s role "
                            f"{function_role(function)} in scaling_defaults")
            continue
        if timeout > PUSH_ACK_DEADLINE_MAX:
            PROBLEMS.append(f"infra/envs/{env}/terraform.tfvars: {function} timeout {timeout} s exceeds the "
                            f"{PUSH_ACK_DEADLINE_MAX} s a Pub/Sub push can wait; cut its work below that")
        out[env] = max(10, min(timeout, PUSH_ACK_DEADLINE_MAX))
    return out


# --- the generated documents ------------------------------------------------
def build_messaging() -> dict[str, Any]:
    from shared.contracts import SUBSCRIPTIONS, TOPICS, dead_letter_topic, subscription_id

    schedules = _load_json(SCHEDULES)["jobs"]
    timeouts = function_timeouts()
    topics = {name: {"producer": spec.producer, "description": spec.description,
                     "payload": spec.payload.__name__}
              for name, spec in sorted(TOPICS.items())}
    subscriptions, dlqs, pending_subs = {}, {}, {}
    for spec in sorted(SUBSCRIPTIONS, key=lambda s: subscription_id(s)):
        sid, dlq = subscription_id(spec), dead_letter_topic(spec)
        if entry_points(spec.service).get(spec.function) != "cloudevent":
            # Contract registered ahead of its consumer: the topic is deployed, the push subscription
            # waits (listed, and reported as pending by the tests) until main.py defines the function.
            pending_subs[sid] = {"topic": spec.topic, "service": spec.service, "function": spec.function,
                                 "why": f"services/{spec.service}/main.py does not define {spec.function} "
                                        "as a @functions_framework.cloud_event function yet"}
            continue
        subscriptions[sid] = {"topic": spec.topic, "service": spec.service, "function": spec.function,
                              "deploy_name": deploy_name(spec.function), "dead_letter_topic": dlq,
                              "description": spec.description,
                              "ack_deadline_seconds": ack_deadlines(spec.function, timeouts)}
        dlqs[dlq] = {"subscription": dlq + ".sub", "source_subscription": sid, "function": spec.function}
    jobs, pending = {}, {}
    for topic, spec in sorted(TOPICS.items()):
        if spec.producer != "cloud_scheduler":
            continue
        if topic not in schedules:
            PROBLEMS.append(f"topic {topic} is produced by cloud_scheduler but infra/schedules.json has no "
                            f"schedule for it: add {{\"{topic}\": {{\"schedule\": \"<cron>\", ...}}}}")
    for topic, job in sorted(schedules.items()):
        entry = {"topic": topic, "schedule": job["schedule"], "time_zone": job.get("time_zone", TIME_ZONE),
                 "description": job["description"],
                 "data": json.dumps({"jadwal": topic, "periode_detik": cron_period_seconds(job["schedule"])},
                                    separators=(",", ":")),
                 "attributes": dict(TICK_ATTRIBUTES)}
        registered = topic in TOPICS and TOPICS[topic].producer == "cloud_scheduler"
        (jobs if registered else pending)[job_name(topic)] = entry
    external = {name: spec.producer.split(":", 1)[1] for name, spec in sorted(TOPICS.items())
                if spec.producer.startswith("eksternal:")}
    return {"_generated_by": "python -m infra.sync (make infra-sync); do not edit",
            "topics": topics, "subscriptions": subscriptions, "dead_letter_topics": dlqs,
            "scheduler_jobs": jobs, "pending_scheduler_jobs": pending, "pending_subscriptions": pending_subs,
            "external_producers": external}


def _env_for(service: str, trigger: str, cls, catalog: dict[str, Any]) -> tuple[dict, dict, dict, list]:
    env, secrets, defaults = {}, {}, {}
    fields = settings_fields(cls)
    missing = []
    names = list(fields)
    for extra in catalog.get("extras", []):
        if service in extra["services"] and trigger in extra["triggers"]:
            names += [n for n in extra["env"] if n not in names]
    for name in names:
        info = fields.get(name, {"required": True, "description": "extra (infra/settings_catalog.json extras)"})
        source = catalog["env"].get(name)
        if source is None:
            if info["required"]:
                missing.append(f"{name} ({info['description']})")
            else:
                defaults[name] = "code default (no entry in infra/settings_catalog.json)"
            continue
        if "omit" in source:
            if info["required"]:
                PROBLEMS.append(f"{name} is required by {cls.__name__} but infra/settings_catalog.json omits it")
            defaults[name] = source["omit"]
        elif "secret" in source:
            secrets[name] = source["secret"]
        elif "ref" in source:
            env[name] = "ref:" + source["ref"]
        elif source.get("service"):
            env[name] = service
        else:
            env[name] = source["value"]
    if missing:
        PROBLEMS.append(f"{cls.__module__}.{cls.__name__} requires settings production has no source for; "
                        "add each to infra/settings_catalog.json (value, ref, secret or omit): " + ", ".join(missing))
    required = sorted(n for n, i in fields.items() if i["required"])
    return env, secrets, defaults, required


def build_functions() -> dict[str, Any]:
    from shared.contracts import SUBSCRIPTIONS, TOPICS, subscription_id

    catalog = _load_json(CATALOG)
    functions: dict[str, Any] = {}
    for service in services():
        cls = settings_class(service)
        points = entry_points(service)
        produced = sorted(n for n, s in TOPICS.items() if s.producer == service)
        for name, kind in sorted(points.items()):
            if not name.startswith(service + "_"):
                PROBLEMS.append(f"services/{service}/main.py: {name} must start with {service}_ (names are global)")
            subs = sorted(subscription_id(s) for s in SUBSCRIPTIONS if s.function == name and s.service == service)
            if kind == "cloudevent" and not subs:
                PROBLEMS.append(f"{name} is a CloudEvent function in services/{service}/main.py but no "
                                "subscription in shared/contracts pushes to it (register_subscription): "
                                "deployed, but nothing triggers it")
            trigger = "http" if kind == "http" else "pubsub"
            env, secrets, defaults, required = _env_for(service, trigger, cls, catalog)
            functions[name] = {
                "service": service, "source": service, "entry_point": name, "deploy_name": deploy_name(name),
                "service_account_id": account_id(name), "trigger": trigger,
                "role": "api" if kind == "http" else function_role(name),
                "subscriptions": subs, "publishes": produced,
                "settings_class": f"{cls.__module__}.{cls.__name__}", "required_env": required,
                "env": env, "secrets": secrets, "defaults": defaults,
            }
    ids = [f["service_account_id"] for f in functions.values()]
    if len(set(ids)) != len(ids):
        raise SyncError(f"service account ids collide: {ids}")
    return {"_generated_by": "python -m infra.sync (make infra-sync); do not edit", "functions": functions,
            "secrets": sorted({s for f in functions.values() for s in f["secrets"].values()}),
            "refs": sorted({v for f in functions.values() for v in f["env"].values() if v.startswith("ref:")})}


def _path_regex(path: str) -> str:
    """An OpenAPI path as an anchored RE2 regex for Cloud Armor's `request.path.matches('...')`.

    Without backslashes: the regex sits in a single-quoted CEL string, where `\\-` or `\\.` would be
    invalid escapes. Route paths use only letters, digits, `_`, `-`, `.` and `/` besides `{param}`."""
    if not re.fullmatch(r"[A-Za-z0-9_./{}-]+", path):
        raise SyncError(f"route {path}: characters a Cloud Armor path regex cannot take literally")
    return "^" + re.sub(r"\{[^/]+?\}", "[^/]+", path.replace(".", "[.]")) + "$"


def build_frontdoor() -> dict[str, Any]:
    """What the external HTTPS load balancer needs: each service's path prefix and HTTP function (one
    serverless NEG, backend service and URL-map route `/v1/<slug>/*` per service), every route it
    serves (tests check each lies under its service's prefix), and the partner routes (x-api-key)
    that Cloud Armor rate-limits per key rather than per IP."""
    services_out: dict[str, Any] = {}
    routes, partner = [], []
    for service in services():
        function = f"{service}_api"
        if entry_points(service).get(function) != "http":
            continue
        doc = api_of(service).openapi()
        slugs = {path.split("/")[2] for path in doc["paths"] if path.startswith("/v1/")}
        if len(slugs) != 1 or any(not path.startswith("/v1/") for path in doc["paths"]):
            raise SyncError(f"services/{service}: every route must sit under one /v1/<slug>/ prefix, found {sorted(slugs)}")
        slug = slugs.pop()
        services_out[service] = {"slug": slug, "prefix": f"/v1/{slug}", "function": function,
                                 "deploy_name": deploy_name(function)}
        for path, methods in sorted(doc["paths"].items()):
            for method, op in sorted(methods.items()):
                schemes = sorted(next(iter(s)) for s in op.get("security", []) if s)
                routes.append({"method": method.upper(), "path": path, "service": service, "security": schemes})
                if "kunciApi" in schemes:
                    partner.append({"method": method.upper(), "path": path, "regex": _path_regex(path)})
    return {"_generated_by": "python -m infra.sync (make infra-sync); do not edit",
            "services": services_out, "partner_routes": partner,
            # no partner route: a regex no path matches (an empty one would match every request
            # and put all traffic under the partner's per-key limit)
            "partner_path_regex": "|".join(sorted({r["regex"] for r in partner})) or "^$", "routes": routes}


def build_firestore() -> dict[str, Any]:
    from shared.contracts.platform import JadwalTick
    from shared.events import make_event
    from shared.firestore import collection_name, ledger_document, outbox_document

    event = make_event("karya", "jadwal.outbox.sapu", JadwalTick(jadwal="probe"))
    outbox_fields, ledger_fields = set(outbox_document(event)), set(ledger_document("probe", event))
    if "dibuat" not in outbox_fields or "kedaluwarsa" not in ledger_fields:
        raise SyncError("shared.firestore changed the outbox `dibuat` / ledger `kedaluwarsa` fields; update build_firestore")
    from shared.contracts.registry import SERVICES
    from shared.settings import database_id

    fields = []
    for service in sorted(SERVICES):
        outbox, ledger = collection_name(service, "outbox"), collection_name(service, "ledger")
        fields += [
            {"key": f"{outbox}.dibuat", "collection": outbox, "field": "dibuat", "ttl": False, "indexed": True,
             "why": "the outbox sweeper queries dibuat < cutoff ORDER BY dibuat"},
            {"key": f"{outbox}.data", "collection": outbox, "field": "data", "ttl": False, "indexed": False,
             "why": "serialized event payload, never queried: no index writes"},
            {"key": f"{ledger}.kedaluwarsa", "collection": ledger, "field": "kedaluwarsa", "ttl": True,
             "indexed": False, "why": "TTL: ledger entries only have to outlive redeliveries; a TTL field is "
                                      "not queried, and an index on it would be a monotonic hotspot"},
        ]
    from shared.batas import KOLEKSI as BATAS

    for service in services():  # the rate-limit counters (shared/batas.py) of services whose routes declare one
        if f"{service}_api" in entry_points(service) and any(r.batas for r in api_of(service).routes):
            batas = collection_name(service, BATAS)
            fields.append({"key": f"{batas}.kedaluwarsa", "collection": batas, "field": "kedaluwarsa", "ttl": True,
                           "indexed": False, "why": "TTL: a rate-limit window's counter is useless a day after "
                                                    "the window; never queried (documents are read by id)"})
    from shared.firestore import KOLEKSI_KEDALUWARSA, TANPA_INDEKS, TTL_FIELD

    for service in services():  # pending things (uploads, OAuth attempts) declared with koleksi_kedaluwarsa
        load_main(service)
    for koleksi, why in sorted(KOLEKSI_KEDALUWARSA.items()):
        fields.append({"key": f"{koleksi}.{TTL_FIELD}", "collection": koleksi, "field": TTL_FIELD, "ttl": True,
                       "indexed": False, "why": why})
    for key, why in sorted(TANPA_INDEKS.items()):
        koleksi, _, field = key.partition(".")
        fields.append({"key": key, "collection": koleksi, "field": field, "ttl": False, "indexed": False, "why": why})
    composite = _load_json(INDEXES)["composite"]
    for i, idx in enumerate(composite):
        idx.setdefault("key", f"{idx['collection']}:" + ",".join(f"{f['field']}:{f.get('order', 'ARRAY')}"
                                                                  for f in idx["fields"]))
    for entry in fields + composite:
        # The service owning the collection (its `<service>__` prefix): its indexes and field settings
        # go to that service's database (infra/README.md, "Firestore: one database per service").
        owner = entry["collection"].split("__", 1)[0]
        if owner not in SERVICES or not entry["collection"].startswith(owner + "__"):
            raise SyncError(f"collection {entry['collection']} has no <service>__ prefix")
        entry["service"] = owner
    return {"_generated_by": "python -m infra.sync (make infra-sync); do not edit",
            "databases": {service: database_id(service) for service in sorted(SERVICES)},
            "fields": {f["key"]: f for f in fields}, "composite_indexes": {c["key"]: c for c in composite}}


FILES = {
    "messaging.json": build_messaging,
    "functions.json": build_functions,
    "frontdoor.json": build_frontdoor,
    "firestore.json": build_firestore,
}


def render() -> dict[str, str]:
    """The text of every generated file; fills PROBLEMS (cleared first)."""
    _ensure_path()
    PROBLEMS.clear()
    return {name: json.dumps(build(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
            for name, build in FILES.items()}


def problems() -> list[str]:
    render()
    return list(PROBLEMS)


def stale(generated_dir: Path = GENERATED) -> list[str]:
    """Names of generated files whose content differs from what the code generates now."""
    out = []
    for name, text in render().items():
        path = generated_dir / name
        if not path.exists() or path.read_text() != text:
            out.append(name)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.sync", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale files (exit 1)")
    args = parser.parse_args(argv)
    try:
        texts = render()
    except SyncError as exc:
        print(f"infra.sync: {exc}", file=sys.stderr)
        return 2
    if args.check:
        bad = [n for n, t in texts.items() if not (GENERATED / n).exists() or (GENERATED / n).read_text() != t]
        for n in bad:
            print(f"stale: infra/generated/{n} (run `make infra-sync` and commit it)", file=sys.stderr)
        for p in PROBLEMS:
            print(f"problem: {p}", file=sys.stderr)
        return 1 if bad or PROBLEMS else 0
    GENERATED.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        path = GENERATED / name
        changed = not path.exists() or path.read_text() != text
        path.write_text(text)
        print(f"{'wrote' if changed else 'same '} infra/generated/{name}")
    for p in PROBLEMS:
        print(f"problem: {p}", file=sys.stderr)
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())


def registry_drift(messaging: dict[str, Any]) -> list[str]:
    """Differences between the registry and a messaging document (what Terraform deploys), both ways."""
    from shared.contracts import SUBSCRIPTIONS, TOPICS, dead_letter_topic, subscription_id

    out = []
    deployed_topics = set(messaging.get("topics", {}))
    for name in sorted(set(TOPICS) - deployed_topics):
        out.append(f"topic {name} is registered in shared/contracts but not deployed by Terraform")
    for name in sorted(deployed_topics - set(TOPICS)):
        out.append(f"topic {name} is deployed by Terraform but no longer registered in shared/contracts")
    subs = messaging.get("subscriptions", {})
    pending = messaging.get("pending_subscriptions", {})
    registered = {subscription_id(s): s for s in SUBSCRIPTIONS}
    for sid, spec in sorted(registered.items()):
        if sid in pending:
            continue
        got = subs.get(sid)
        if got is None:
            out.append(f"subscription {sid} ({spec.topic} -> {spec.function}) is registered but not deployed")
            continue
        if got["topic"] != spec.topic or got["function"] != spec.function:
            out.append(f"subscription {sid} deploys {got['topic']} -> {got['function']}, registry says "
                       f"{spec.topic} -> {spec.function}")
        if got["dead_letter_topic"] != dead_letter_topic(spec):
            out.append(f"subscription {sid} dead-letters to {got['dead_letter_topic']}, not {dead_letter_topic(spec)}")
        if got["topic"] not in deployed_topics:
            out.append(f"subscription {sid} reads topic {got['topic']}, which Terraform does not deploy")
    for sid in sorted(set(subs) - set(registered)):
        out.append(f"subscription {sid} is deployed but not registered in shared/contracts")
    dlqs = messaging.get("dead_letter_topics", {})
    for sid, sub in sorted(subs.items()):
        dlq = dlqs.get(sub["dead_letter_topic"])
        if dlq is None or dlq.get("source_subscription") != sid or not dlq.get("subscription"):
            out.append(f"dead-letter topic {sub['dead_letter_topic']} of {sid} is missing or has no subscription")
    for topic, spec in sorted(TOPICS.items()):
        if spec.producer == "cloud_scheduler" and topic not in {j["topic"] for j in messaging.get("scheduler_jobs", {}).values()}:
            out.append(f"scheduler topic {topic} has no Cloud Scheduler job")
    return out
