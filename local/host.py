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

from shared.contracts import subscriptions_of

ROOT = Path(__file__).resolve().parent.parent


def build_app(service: str):
    source = str(ROOT / "services" / service / "main.py")
    http_app = functions_framework.create_app(f"{service}_api", source, "http")
    event_apps = {spec.function: functions_framework.create_app(spec.function, source, "cloudevent")
                  for spec in subscriptions_of(service)}

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
        return http_app(environ, start_response)

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m local.host")
    parser.add_argument("--service", required=True, choices=["karya", "umpan_balik", "kinerja", "sinkro"])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "services" / args.service))
    os.environ.setdefault("PMM_SERVICE", args.service)
    GunicornApplication(build_app(args.service), "127.0.0.1", args.port, False).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
