"""Serve one service's functions in one process, the way Cloud Functions would
serve each: its HTTP function at `/`, and each CloudEvent function under
`/_ce/<function>/...` (the Pub/Sub push endpoint is
`/_ce/<function>/projects/<project>/topics/<topic>`, so functions-framework
sees the topic path and builds the CloudEvent source from it).

    python -m local.host --service karya --port 8081

Every function is created with functions-framework's own `create_app`, so the
request handling is the framework's, unchanged. Served by gunicorn with
WORKERS and THREADS from the environment (measured best here: 2 x 4).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import functions_framework
from functions_framework._http.gunicorn import GunicornApplication

from local.gateway import HOST_KEEPALIVE_SECONDS
from shared.contracts import subscriptions_of

ROOT = Path(__file__).resolve().parent.parent


def build_app(service: str):
    return build_functions_app(str(ROOT / "services" / service / "main.py"), f"{service}_api",
                               [spec.function for spec in subscriptions_of(service)])


def build_functions_app(source: str, http_target: str | None, event_targets: list[str]):
    """One WSGI app for the HTTP function and the CloudEvent functions of one source."""
    http_app = functions_framework.create_app(http_target, source, "http") if http_target else None
    event_apps = {name: functions_framework.create_app(name, source, "cloudevent") for name in event_targets}

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/_ce/"):
            name, _, rest = path[len("/_ce/"):].partition("/")
            target = event_apps.get(name)
            if target is None:
                start_response("404 Not Found", [("Content-Type", "text/plain")])
                return [f"no CloudEvent function {name}".encode()]
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + f"/_ce/{name}"
            environ["PATH_INFO"] = "/" + rest
            return target(environ, start_response)
        if http_app is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no HTTP function"]
        return http_app(environ, start_response)

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.host")
    parser.add_argument("--service", required=True, choices=["karya", "umpan_balik", "kinerja", "sinkro"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--source", help="another main.py (tests' probe functions) instead of the service's")
    parser.add_argument("--events", default="", help="with --source: its CloudEvent functions, comma-separated")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "services" / args.service))
    os.environ.setdefault("PMM_SERVICE", args.service)
    if args.source:
        app = build_functions_app(args.source, None, [e for e in args.events.split(",") if e])
    else:
        app = build_app(args.service)
    GunicornApplication(app, "127.0.0.1", args.port, False, keepalive=HOST_KEEPALIVE_SECONDS).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
