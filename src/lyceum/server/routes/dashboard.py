"""The dashboard: static HTML pages (no build step) that read the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse

router = APIRouter(include_in_schema=False)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGES = {
    "": "index.html",
    "experiments": "experiments.html",
    "research": "research.html",
    "traces": "traces.html",
}


# Pages load scripts and styles from this server only and talk to this server only; model
# output is inserted as text, and the policy is a second line of defence against injection.
PAGE_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def _page(name: str) -> FileResponse:
    return FileResponse(
        STATIC_DIR / name, media_type="text/html; charset=utf-8", headers=PAGE_HEADERS
    )


@router.get("/")
async def overview_page() -> FileResponse:
    return _page(PAGES[""])


@router.get("/dashboard")
async def dashboard_redirect() -> RedirectResponse:
    return RedirectResponse("/")


@router.get("/experiments")
async def experiments_page() -> FileResponse:
    return _page(PAGES["experiments"])


@router.get("/research")
async def research_page() -> FileResponse:
    return _page(PAGES["research"])


@router.get("/traces")
async def traces_page() -> FileResponse:
    return _page(PAGES["traces"])
