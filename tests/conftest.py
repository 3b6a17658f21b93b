"""Test-wide settings: the platform variables every service needs, pointed at nothing real."""
import os

os.environ.setdefault("GOOGLE_CLOUD_PROJECT", "demo-pmm-test")
os.environ.setdefault("PMM_ENV", "test")
os.environ.setdefault("PMM_AUTH_ISSUER", "http://127.0.0.1:9/issuer")
os.environ.setdefault("PMM_AUTH_AUDIENCE", "pmm-uji")
os.environ.setdefault("PMM_AUTH_CERTS_URL", "http://127.0.0.1:9/certs")
