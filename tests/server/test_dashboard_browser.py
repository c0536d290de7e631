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
REBOUND = "rebind.example"

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
                # A name a rebinding attacker controls, pointed at the server's address.
                f"--host-resolver-rules=MAP {REBOUND} 127.0.0.1",
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
        # The report opens as report.md does, on its short answer with its citations.
        assert page.locator("#report h3").first.inner_text() == "Short answer"
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

        # The same run from the workspace's list of every research run (CLI runs too).
        page.locator("#runs tr[data-run]").first.click()
        page.wait_for_selector("#detail sup.cite")
        assert page.url.endswith(
            "/research?run=" + page.locator("#runs tr.selected").get_attribute("data-run")
        )
        page.locator("#detail sup.cite").first.click()
        assert "supported" in page.inner_text("#evidence")

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


EVIL_PAGE = """<!doctype html><html><body><script>
const target = "{server}/api/research/jobs";
const body = JSON.stringify({{question: "a job a foreign page started"}});
Promise.allSettled([
  fetch(target, {{method: "POST", mode: "no-cors", headers: {{"Content-Type": "text/plain"}}, body}}),
  fetch(target, {{method: "POST", mode: "no-cors", body}}),
  fetch(target, {{method: "POST", headers: {{"Content-Type": "application/json"}}, body}}),
]).then(() => {{ document.title = "done"; }});
</script></body></html>"""


def test_dashboard_writes_work_and_foreign_pages_cannot_write(
    make_app, live_server, browser, workspace, tmp_path
):
    """Creating an experiment, starting a run, submitting and cancelling a research job
    from the dashboard pass the Host, Origin and content-type checks; a page from another
    origin and a page reached through a rebound name change nothing."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from .conftest import write_capitals

    write_capitals(workspace)
    app = make_app(run_jobs=False)
    queue = app.state.lyceum.queue
    errors: list[str] = []
    with live_server(app) as server:
        page = browser.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))

        page.goto(server.url + "/experiments")
        page.wait_for_selector("body[data-loaded=true]")
        page.click("summary")
        page.fill("#yaml", EXPERIMENT.replace("{path}", "capitals.jsonl"))
        page.click("#create")
        page.locator("#experiments button", has_text="Run").first.wait_for()
        page.locator("#experiments button", has_text="Run").first.click()
        _wait(lambda: queue.list_jobs(kind="lab"))

        page.goto(server.url + "/research")
        page.wait_for_selector("body[data-loaded=true]")
        page.fill("#question", "How do plants turn light into sugar?")
        page.click("#submit")
        [job] = _wait(lambda: queue.list_jobs(kind="research"))
        page.locator("button", has_text="Cancel").click()
        _wait(lambda: queue.get(job.id).status == "cancelled")
        assert page.inner_text("#error") == ""

        # A page on another origin (another port of this machine) tries to start a job.
        page_html = EVIL_PAGE.format(server=server.url).encode()

        class Evil(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                self.wfile.write(page_html)

            def log_message(self, *args: object) -> None:
                pass

        evil = ThreadingHTTPServer(("127.0.0.1", 0), Evil)
        threading.Thread(target=evil.serve_forever, daemon=True).start()
        try:
            attacker = browser.new_page()
            attacker.goto(f"http://127.0.0.1:{evil.server_address[1]}/")
            attacker.wait_for_function("document.title === 'done'")
        finally:
            evil.shutdown()
            evil.server_close()
        # DNS rebinding: the attacker's name now resolves to the server.
        port = server.url.rsplit(":", 1)[1]
        rebound = attacker.goto(f"http://{REBOUND}:{port}/api/research/jobs")
        assert rebound is not None and rebound.status == 421
        assert REBOUND not in attacker.content() or "misdirected" in attacker.content()

    assert [j.id for j in queue.list_jobs(kind="research")] == [job.id]
    refused = {
        labels["status"]
        for metric in app.state.lyceum.metrics.requests.collect()
        for sample in metric.samples
        if (labels := sample.labels) and sample.value and labels["status"] in ("403", "415", "421")
    }
    assert {"403", "421"} <= refused
    assert errors == []


EXPERIMENT = """name: from-the-dashboard
datasets:
  - name: jsonl
    options: {path: {path}}
methods: [naive]
models: [default]
"""


def _wait(predicate, timeout_s: float = 20.0):
    import time

    deadline = time.monotonic() + timeout_s
    while not (value := predicate()):
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)
    return value
