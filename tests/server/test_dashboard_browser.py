"""The dashboard in a real browser: headless Chromium (Debian's) driven by Playwright loads
each page against a seeded store, clicks through, and takes screenshots.

Set LYCEUM_SCREENSHOTS_DIR to keep the screenshots (docs/screenshots/ holds a set).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lyceum.llm.backends.scripted import ScriptedBackend

from .conftest import dashboard_responder, seed_store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(),
        reason="Debian's chromium is not installed (apt-get install -y chromium)",
    ),
]


@pytest.fixture
def browser(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        # A fresh profile per test: launch_persistent_context is Playwright's way to pass
        # --user-data-dir.
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            headless=True,
            accept_downloads=True,
            viewport={"width": 1400, "height": 900},
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield context
        context.close()


def _shot(page, tmp_path: Path, name: str) -> Path:
    out = tmp_path / f"{name}.png"
    page.screenshot(path=str(out), full_page=True)
    keep = os.environ.get("LYCEUM_SCREENSHOTS_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(out, Path(keep) / out.name)
    assert out.stat().st_size > 10_000
    return out


def test_dashboard_pages_render_and_respond_to_clicks(
    make_app, live_server, browser, workspace, settings, research_options, tmp_path
):
    backend = ScriptedBackend([], name="fake", default_output=None).enqueue(
        *[dashboard_responder] * 3000
    )
    with TestClient(make_app(backend, extras={"research_options": research_options})) as c:
        seeded = seed_store(c, workspace, settings)

    sync_api = pytest.importorskip("playwright.sync_api")
    errors: list[str] = []
    with live_server(make_app(backend, run_jobs=False)) as server:
        page = browser.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: (
                errors.append(f"{msg.text} {msg.location}") if msg.type == "error" else None
            ),
        )

        # Overview: totals, four charts over time, runs and calls.
        page.goto(server.url + "/")
        page.wait_for_selector("body[data-loaded=true]")
        cards = page.locator(".card .label").all_text_contents()
        assert cards == ["Runs", "Calls", "Tokens", "Cost", "Cache hit rate"]
        assert page.locator("#chart-calls polyline").count() == 3
        assert page.locator("#chart-calls circle").count() >= 2 * 7
        assert page.locator("#runs tr").count() >= 4
        _shot(page, tmp_path, "overview")

        # Experiments: list, filter, detail with cards, histogram, grid, comparison, export.
        page.goto(server.url + "/experiments")
        page.wait_for_selector("body[data-loaded=true]")
        page.fill("#filter", "zzz")
        assert page.locator("#runs tr.clickable").count() == 0
        page.fill("#filter", "capitals")
        page.click(f"#runs tr[data-run='{seeded['lab_run']}']")
        page.wait_for_selector("#compare")
        assert "66.7%" in page.inner_text("#detail") and "100.0%" in page.inner_text("#detail")
        assert page.locator(".cell.wrong").count() == 2
        assert page.locator(".cell.right").count() == 10
        assert page.locator("#detail svg.chart rect").count() > 0
        page.locator(".cell.wrong").first.click()
        assert "Lyon" in page.inner_text("#example-detail")
        page.click("#compare")
        page.wait_for_selector("#comparison .statement")
        assert "McNemar" in page.inner_text("#comparison .statement")
        with page.expect_download() as download:
            page.click("#export")
        assert download.value.suggested_filename.endswith(".json")
        _shot(page, tmp_path, "experiment-detail")

        # Research: job list with progress, report with clickable citations, artifacts.
        page.goto(server.url + "/research")
        page.wait_for_selector("body[data-loaded=true]")
        page.click(f"#jobs tr[data-job='{seeded['research_job']}']")
        page.wait_for_selector("sup.cite")
        page.locator("sup.cite").first.click()
        evidence = page.inner_text("#evidence")
        assert "verdict" in evidence and "supported" in evidence
        assert page.locator("#passage mark").count() == 1
        assert page.locator("#artifacts button").count() >= 4
        with page.expect_download() as download:
            page.locator("#artifacts button", has_text="report.md").click()
        assert download.value.suggested_filename == "report.md"
        assert "finished" in page.inner_text("#log")
        _shot(page, tmp_path, "research-report")

        # Traces: the agent run as a timeline of calls and steps.
        page.goto(server.url + "/traces")
        page.wait_for_selector("body[data-loaded=true]")
        page.click(f"#runs tr[data-run='{seeded['agent_run']}']")
        page.wait_for_selector("#timeline li")
        kinds = page.locator("#timeline li").evaluate_all("els => els.map(e => e.className)")
        assert kinds == ["k-call", "k-step", "k-call", "k-step"], page.inner_text("#timeline")
        assert "calculator" in page.inner_text("#timeline")
        _shot(page, tmp_path, "agent-trace")
        page.select_option("#kind", "research")
        sync_api.expect(page.locator("#runs tr.clickable")).to_have_count(1)
        page.locator("#runs tr.clickable").first.click()
        page.locator("#timeline li.k-event").nth(5).wait_for()
        _shot(page, tmp_path, "research-trace")

    assert errors == []
