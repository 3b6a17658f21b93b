"""The API explorer in a real browser: headless Chromium from Debian's packages (`make browser`
installs it when missing), driven by Playwright for Python pointed at that executable (never a
browser download of Playwright's own). Opens the page at `/`, then one service's Swagger UI,
authorizes with a development token and runs "Try it out" on a route; then the AsyncAPI page.
Screenshots go to test-artifacts/ (git-ignored)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from local.identity import mint

pytestmark = pytest.mark.e2e
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTEFAK = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: `make browser` installs Debian's chromium (make test runs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is pinned in requirements-dev.txt")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def test_halaman_penjelajah_dan_swagger_ui_dengan_token_pengembangan(stack, browser):
    ARTEFAK.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(stack.base_url) else None)

    # the page at / : four services, their status, the events page, how to mint a token
    page.goto(stack.base_url + "/")
    assert page.title() == "Penjelajah API PMM Guru (API explorer)"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Penjelajah API PMM Guru")
    for nama in ("Bukti Karya", "Umpan Balik", "Pengelolaan Kinerja", "Sinkro PMM"):
        assert page.get_by_role("heading", name=nama, level=3).is_visible()
    page.wait_for_function("document.querySelectorAll('.status.ok').length === 4", timeout=30_000)
    assert page.locator(".status.ok").count() == 4
    assert "make token SUB=guru-001 EMAIL=guru1@belajar.id" in page.locator("#token + ol").inner_text()
    assert page.get_by_role("link", name="Daftar peristiwa (AsyncAPI)").is_visible()
    page.screenshot(path=str(ARTEFAK / "explorer-index.png"), full_page=True)

    # one service's interactive docs
    page.locator(".kartu[data-slug=karya]").get_by_role("link", name="Dokumentasi interaktif").click()
    page.wait_for_selector(".swagger-ui .info .title", timeout=30_000)
    assert "karya" in page.locator(".swagger-ui .info .title").inner_text().lower()
    referensi = page.locator('.opblock-summary-path[data-path="/v1/karya/referensi"]')
    referensi.wait_for(timeout=30_000)
    assert page.locator(".opblock").count() >= 15  # every route of the service is listed

    # "Authorize" with a development token, as the page explains (make token SUB=... EMAIL=...)
    env = stack.platform_env()
    token = mint(stack.local_dir, env["PMM_AUTH_ISSUER"], "guru-penjelajah", "penjelajah@guru.sd.belajar.id",
                 audience=env["PMM_AUTH_AUDIENCE"])
    page.locator("button.authorize").first.click()
    modal = page.locator(".modal-ux")
    modal.locator("input[type=text]").first.fill(token)
    modal.locator("button.modal-btn.auth.authorize").first.click()
    modal.locator("button.btn-done, button.close-modal").first.click()

    # "Try it out" -> "Execute" on GET /v1/karya/referensi answers 200 with the reference tables
    referensi.click()
    op = page.locator(".opblock.is-open")
    op.locator("button.try-out__btn").click()
    op.locator("button.execute").click()
    status = op.locator(".live-responses-table tr.response td.response-col_status").first
    status.wait_for(timeout=30_000)
    assert status.inner_text().strip() == "200"
    assert "matematika" in op.locator(".live-responses-table .microlight, .live-responses-table pre").first.inner_text()
    op.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTEFAK / "explorer-karya-try-it-out.png"), full_page=False)

    # the AsyncAPI document, rendered readably
    page.goto(stack.base_url + "/_explorer/asyncapi.html")
    assert page.get_by_role("heading", name="referensi.ptk.diperbarui").is_visible()
    assert "kinerja_on_ptk_diperbarui" in page.locator("#topik-referensi_ptk_diperbarui").inner_text()
    page.screenshot(path=str(ARTEFAK / "explorer-asyncapi.png"), full_page=False)

    assert not errors, errors
    assert not outside, f"requests left the local stack (no CDN, no validator): {outside}"
